//! The SQLCipher store against real files: fails closed, stores nothing in clear, audits atomically.

use std::collections::BTreeMap;
use std::path::Path;

use ozodi_domain::audit::AuditKind;
use ozodi_domain::{DisplayName, Role, Username};
use ozodi_store::{NewAuditEntry, NewUser, OpenMode, SqliteStore, Store, StoreError};
use ozodi_vault::{DataKey, KdfParams, KeyFile};
use time::OffsetDateTime;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: None,
        kind,
        subject: None,
        detail: serde_json::json!({}),
        client: Some("127.0.0.1".into()),
    }
}

fn new_user(name: &str, display: &str) -> Result<NewUser, Box<dyn std::error::Error>> {
    Ok(NewUser {
        username: Username::parse(name)?,
        display_name: DisplayName::parse(display)?,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
        roles: [Role::Lawyer].into_iter().collect(),
        must_change_password: false,
    })
}

fn key() -> Result<DataKey, Box<dyn std::error::Error>> {
    let params = KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 };
    Ok(KeyFile::create("test passphrase 123", params)?.1)
}

fn snapshot(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, std::io::Error> {
    let mut files = BTreeMap::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        files.insert(e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path())?);
    }
    Ok(files)
}

#[tokio::test]
async fn marker_never_reaches_disk_in_clear() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let store = SqliteStore::open(&path, &key()?, OpenMode::Create).await?;
    let marker = "Marker-Зарина-Ҳусейнова-7f3a";
    store.create_user(new_user("zarina", marker)?, entry(AuditKind::UserCreated)).await?;
    for (name, bytes) in snapshot(dir.path())? {
        assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()), "marker found in {name}");
        assert!(!bytes.windows(6).any(|w| w == b"zarina"), "user name found in {name}");
    }
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn wrong_key_fails_closed_and_changes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let store = SqliteStore::open(&path, &key()?, OpenMode::Create).await?;
    store.audit(entry(AuditKind::Unsealed)).await?;
    store.close().await;
    let before = snapshot(dir.path())?;
    let err = SqliteStore::open(&path, &key()?, OpenMode::Existing).await.err();
    assert!(matches!(err, Some(StoreError::NotOurDatabase(_))), "{err:?}");
    assert_eq!(before, snapshot(dir.path())?, "a failed open must not touch any file");
    Ok(())
}

#[tokio::test]
async fn plaintext_sqlite_file_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    // A plain SQLite database, as an attacker or a mistaken restore might leave there.
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.resize(4096, 0);
    std::fs::write(&path, &bytes)?;
    let before = snapshot(dir.path())?;
    let err = SqliteStore::open(&path, &key()?, OpenMode::Existing).await.err();
    assert!(matches!(err, Some(StoreError::NotOurDatabase(_))), "{err:?}");
    assert_eq!(before, snapshot(dir.path())?);
    assert!(matches!(
        SqliteStore::open(&dir.path().join("absent.db"), &key()?, OpenMode::Existing).await.err(),
        Some(StoreError::Missing(_))
    ));
    Ok(())
}

#[tokio::test]
async fn duplicate_user_names_conflict_and_write_no_audit() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
    store.create_user(new_user("firuz", "Firuz")?, entry(AuditKind::UserCreated)).await?;
    let err = store.create_user(new_user("FIRUZ", "Other")?, entry(AuditKind::UserCreated)).await.err();
    assert!(matches!(err, Some(StoreError::Conflict)), "{err:?}");
    let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!(report.changes.entries, 1, "the failed insert must not leave an audit entry");
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn appended_entries_form_a_verifiable_chain() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
    for _ in 0..3 {
        store.audit(entry(AuditKind::LoginFailed)).await?;
    }
    let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!(report.access.entries, 3, "stand-alone entries go to the access log");
    assert_eq!(report.changes.entries, 0);
    // Many at once are committed in groups, one statement each: still one unbroken chain, each
    // caller with its own place in it.
    let waiting: Vec<_> = (0..200)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.audit(entry(AuditKind::CaseViewed)).await })
        })
        .collect();
    let mut seqs = Vec::new();
    for w in waiting {
        seqs.push(w.await??);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (4..204).collect::<Vec<i64>>());
    let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!(report.access.entries, 203);
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn two_processes_appending_to_one_access_log_keep_one_chain() -> TestResult {
    // The server's writer remembers where the access log ended; a second opener of the same
    // instance (a command run beside the server) appending in between must not fork the chain
    // or lose an entry: the writer notices and appends after the other's entries.
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let key = key()?;
    let server = SqliteStore::open(&path, &key, OpenMode::Create).await?;
    let other = SqliteStore::open(&path, &key, OpenMode::Existing).await?;
    let mut seqs = Vec::new();
    for round in 0..5 {
        seqs.push(server.audit(entry(AuditKind::CaseViewed)).await?);
        seqs.push(server.audit(entry(AuditKind::CaseViewed)).await?);
        seqs.push(other.audit(entry(AuditKind::LoginFailed)).await?);
        if round % 2 == 0 {
            seqs.push(other.audit(entry(AuditKind::LoginFailed)).await?);
        }
    }
    let count = i64::try_from(seqs.len())?;
    let expected: Vec<i64> = (1..=count).collect();
    assert_eq!(seqs, expected, "every entry has its own place, in the order it was acknowledged");
    for store in [&server, &other] {
        let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
        assert_eq!(report.access.entries, count);
    }
    other.close().await;
    server.close().await;
    Ok(())
}

#[tokio::test]
async fn connections_run_wal_with_full_sync_under_sqlcipher() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
    let (mode, sync, cipher) = store.durability().await?;
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL: an acknowledged write survives a crash");
    assert!(cipher.starts_with('4'), "SQLCipher 4.x, got {cipher:?}");
    store.close().await;
    Ok(())
}

fn vocab_list(label_tg: &str) -> ozodi_domain::vocab::List {
    let text = format!(
        "list = \"MT99\"\nsource = \"huridocs\"\n[name]\nen = \"Test\"\nru = \"Тест\"\ntg = \"Санҷиш\"\n\n\
         [[term]]\ncode = \"01\"\nlabels = {{ en = \"One\", ru = \"Один\", tg = \"{label_tg}\" }}\n\n\
         [[term]]\ncode = \"0101\"\nparent = \"01\"\nlabels = {{ en = \"Sub\", ru = \"Под\", tg = \"Зер\" }}\n"
    );
    ozodi_domain::vocab::List::parse("test.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn shipped_vocabularies_load_once_and_admin_changes_survive_upgrades() -> TestResult {
    use ozodi_domain::vocab::{Labels, Term};
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
    let first = store.sync_vocabularies(&[vocab_list("Як")]).await?;
    assert_eq!((first.lists_added, first.terms_added), (1, 2));
    let again = store.sync_vocabularies(&[vocab_list("Як")]).await?;
    assert_eq!((again.lists_added, again.terms_added), (0, 0), "loading is idempotent");

    // An administrator relabels one term, adds one and deprecates one.
    let relabelled = Labels { en: "First".into(), ru: "Первый".into(), tg: "Якум".into() };
    store.relabel_term("MT99", "01", &relabelled, entry(AuditKind::TermRelabelled)).await?;
    let added = Term {
        code: "TJ.99.X".into(),
        parent: Some("01".into()),
        labels: Labels { en: "Local".into(), ru: "Местный".into(), tg: "Маҳаллӣ".into() },
    };
    store.add_term("MT99", &added, entry(AuditKind::TermAdded)).await?;
    assert!(matches!(
        store.add_term("MT99", &added, entry(AuditKind::TermAdded)).await,
        Err(StoreError::Conflict)
    ));
    let orphan = Term { parent: Some("77".into()), code: "TJ.99.Y".into(), ..added.clone() };
    assert!(matches!(
        store.add_term("MT99", &orphan, entry(AuditKind::TermAdded)).await,
        Err(StoreError::NotFound)
    ));
    store.set_term_deprecated("MT99", "0101", true, entry(AuditKind::TermDeprecated)).await?;

    // An upgrade ships new labels: the administrator's relabel wins, other shipped labels refresh.
    store.sync_vocabularies(&[vocab_list("Якум (нав)")]).await?;
    let terms = store.vocabulary("MT99").await?;
    let codes: Vec<&str> = terms.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, vec!["01", "0101", "TJ.99.X"]);
    assert_eq!(terms[0].labels.tg, "Якум", "relabelled by an administrator: kept");
    assert!(terms[1].deprecated && !terms[0].deprecated);
    assert!(terms[2].added_by_admin);
    let audited = store.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!(audited.changes.entries, 3, "relabel, add and deprecate were audited (failed adds were not)");
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn the_real_shipped_vocabularies_load() -> TestResult {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
    let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
    let report = store.sync_vocabularies(&lists).await?;
    assert_eq!(report.lists_added as usize, lists.len());
    let torture = store.vocabulary("MT04").await?.iter().find(|t| t.code == "02011111").cloned();
    assert_eq!(torture.map(|t| t.labels.ru).as_deref(), Some("Пытки"));
    store.close().await;
    Ok(())
}

mod cases {
    use super::*;
    use ozodi_domain::UserId;
    use ozodi_domain::case::CaseStatus;
    use ozodi_store::CaseFields;
    use time::macros::datetime;

    fn fields(title: &str) -> CaseFields {
        CaseFields {
            status: CaseStatus::IntakeScreening,
            region: Some("SUG".into()),
            hotline: None,
            title: title.into(),
            summary: "Задержан в ОВД, избит".into(),
            lead: None,
        }
    }

    async fn setup() -> Result<(tempfile::TempDir, SqliteStore, UserId, UserId), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
        let a = store.create_user(new_user("lawyer.a", "A")?, entry(AuditKind::UserCreated)).await?;
        let b = store.create_user(new_user("lawyer.b", "B")?, entry(AuditKind::UserCreated)).await?;
        Ok((dir, store, a, b))
    }

    #[tokio::test]
    async fn numbers_run_per_year_in_dushanbe_time_and_the_creator_joins_the_team() -> TestResult {
        let (_dir, store, a, _) = setup().await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let first = store.create_case(&fields("one"), a, at, entry(AuditKind::CaseCreated)).await?;
        let second = store.create_case(&fields("two"), a, at, entry(AuditKind::CaseCreated)).await?;
        assert_eq!(first.number.to_string(), "TJ-2026-0001");
        assert_eq!(second.number.to_string(), "TJ-2026-0002");
        // 20:00 UTC on 31 December is already 1 January in Dushanbe.
        let new_year = store
            .create_case(&fields("three"), a, datetime!(2026-12-31 20:00 UTC), entry(AuditKind::CaseCreated))
            .await?;
        assert_eq!(new_year.number.to_string(), "TJ-2027-0001");
        let team = store.case_team(first.id).await?;
        assert_eq!(team.len(), 1);
        assert!(team[0].user == a && team[0].identity_access);
        store.close().await;
        Ok(())
    }

    #[tokio::test]
    async fn only_the_team_lists_a_case_unless_listing_all() -> TestResult {
        let (_dir, store, a, b) = setup().await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let case = store.create_case(&fields("one"), a, at, entry(AuditKind::CaseCreated)).await?;
        assert_eq!(store.cases_for(a, false, false, 50).await?.len(), 1);
        assert!(store.cases_for(b, false, false, 50).await?.is_empty(), "not on the team: nothing listed");
        assert_eq!(store.cases_for(b, true, false, 50).await?.len(), 1, "a coordinator lists all");
        store.set_team_member(case.id, b, false, a, at, entry(AuditKind::TeamChanged)).await?;
        assert_eq!(store.cases_for(b, false, false, 50).await?.len(), 1);
        store.remove_team_member(case.id, b, a, at, entry(AuditKind::TeamChanged)).await?;
        assert!(store.cases_for(b, false, false, 50).await?.is_empty());
        let missing = store.remove_team_member(case.id, b, a, at, entry(AuditKind::TeamChanged)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)));
        store.close().await;
        Ok(())
    }

    #[tokio::test]
    async fn edits_make_versions_and_stale_edits_are_refused() -> TestResult {
        let (_dir, store, a, b) = setup().await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let case = store.create_case(&fields("one"), a, at, entry(AuditKind::CaseCreated)).await?;
        let mut changed = fields("one, documented");
        changed.status = CaseStatus::Open;
        let v2 = store.update_case(case.id, 1, &changed, a, at, entry(AuditKind::CaseUpdated)).await?;
        assert_eq!(v2, 2);
        // Someone still holding version 1 must not silently overwrite version 2.
        let stale =
            store.update_case(case.id, 1, &fields("stale"), b, at, entry(AuditKind::CaseUpdated)).await;
        assert!(matches!(stale, Err(StoreError::Conflict)));
        let now = store.case(case.id).await?.ok_or("case vanished")?;
        assert_eq!((now.version, now.fields.title.as_str()), (2, "one, documented"));
        let versions = store.versions("case", &case.id.to_string()).await?;
        let changes: Vec<&str> = versions.iter().map(|v| v.change.as_str()).collect();
        assert_eq!(changes, vec!["created", "updated"]);
        assert_eq!(versions[0].data["title"], "one");
        assert_eq!(versions[1].data["status"], "open");
        assert_eq!(versions[1].actor.as_deref(), Some("lawyer.a"));
        store.close().await;
        Ok(())
    }

    #[tokio::test]
    async fn delete_is_a_tombstone_that_can_be_restored() -> TestResult {
        let (_dir, store, a, _) = setup().await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let case = store.create_case(&fields("one"), a, at, entry(AuditKind::CaseCreated)).await?;
        store
            .tombstone_case(case.id, "duplicate of TJ-2026-0002", a, at, entry(AuditKind::CaseDeleted))
            .await?;
        let gone = store.case(case.id).await?.ok_or("physically removed")?;
        assert_eq!(gone.deleted.as_ref().map(|d| d.reason.as_str()), Some("duplicate of TJ-2026-0002"));
        assert!(store.cases_for(a, false, false, 50).await?.is_empty());
        assert_eq!(store.cases_for(a, true, true, 50).await?.len(), 1);
        let again = store.tombstone_case(case.id, "x", a, at, entry(AuditKind::CaseDeleted)).await;
        assert!(matches!(again, Err(StoreError::Conflict)));
        let edit = store
            .update_case(case.id, gone.version, &fields("x"), a, at, entry(AuditKind::CaseUpdated))
            .await;
        assert!(matches!(edit, Err(StoreError::Conflict)), "a tombstoned case is not edited");
        store.restore_case(case.id, a, at, entry(AuditKind::CaseRestored)).await?;
        let back = store.case(case.id).await?.ok_or("gone")?;
        assert!(back.deleted.is_none());
        let changes: Vec<String> =
            store.versions("case", &case.id.to_string()).await?.into_iter().map(|v| v.change).collect();
        assert_eq!(changes, vec!["created", "deleted", "restored"]);
        let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
        assert_eq!(report.changes.entries, 2 + 3, "two users, then create, delete, restore");
        store.close().await;
        Ok(())
    }
}

mod persons {
    use super::*;
    use ozodi_domain::case::CaseStatus;
    use ozodi_domain::person::{Identity, Sex};
    use ozodi_store::{CaseFields, PersonFields};
    use ozodi_vault::SubKeyPurpose;
    use sqlx::ConnectOptions;
    use time::macros::datetime;

    #[tokio::test]
    async fn identities_are_sealed_even_from_the_database_key_and_reveals_are_audited() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("ozodi.db");
        let data_key = key()?;
        let store = SqliteStore::open(&path, &data_key, OpenMode::Create).await?;
        let lawyer = store.create_user(new_user("lawyer.a", "A")?, entry(AuditKind::UserCreated)).await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let fields = CaseFields {
            status: CaseStatus::Open,
            region: None,
            hotline: None,
            title: "t".into(),
            summary: String::new(),
            lead: None,
        };
        let case = store.create_case(&fields, lawyer, at, entry(AuditKind::CaseCreated)).await?;
        let marker = "Маркер Ҷамшедов 7Q";
        let identity =
            Identity { name: marker.into(), contacts: "+992 90 000 00 00".into(), ..Identity::default() };
        let person_fields =
            PersonFields { counting_unit: "01".into(), sex: Some(Sex::Male), birth_year: Some(1994) };
        let person = store
            .create_person(case.id, &person_fields, &identity, lawyer, at, entry(AuditKind::CaseUpdated))
            .await?;
        assert_eq!(person.pseudonym.to_string(), "P-0001");
        let listed = store.persons_of_case(case.id).await?;
        assert_eq!(listed.len(), 1);

        // With the database key alone (what a seized, unsealed database would give), the name is
        // not there: not in the identity table, not in any version row.
        let hex = data_key.derive(SubKeyPurpose::Database).to_hex();
        let mut raw = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .pragma("key", format!("\"x'{}'\"", hex.as_str()))
            .connect()
            .await?;
        let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM identities").fetch_one(&mut raw).await?;
        assert!(!sealed.windows(marker.len()).any(|w| w == marker.as_bytes()));
        let versions: Vec<String> =
            sqlx::query_scalar("SELECT data FROM record_versions").fetch_all(&mut raw).await?;
        assert!(versions.iter().all(|v| !v.contains(marker) && !v.contains("+992")));
        let audit_text: Vec<String> =
            sqlx::query_scalar("SELECT detail FROM audit").fetch_all(&mut raw).await?;
        assert!(audit_text.iter().all(|d| !d.contains(marker)));

        let before = store.verify_audit().await?.map_err(|b| b.to_string())?.changes.entries;
        let mut reveal = entry(AuditKind::IdentityRevealed);
        reveal.detail = serde_json::json!({ "purpose": "preparing the complaint" });
        let opened = store.reveal_identity(person.id, reveal).await?;
        assert_eq!(opened.name, marker);
        assert_eq!(
            store.verify_audit().await?.map_err(|b| b.to_string())?.changes.entries,
            before + 1,
            "the reveal was audited"
        );
        store.close().await;
        Ok(())
    }
}

mod records {
    use super::*;
    use ozodi_domain::case::CaseStatus;
    use ozodi_domain::person::Identity;
    use ozodi_domain::record::{Data, Input, Kind};
    use ozodi_store::{CaseFields, PersonFields};
    use time::macros::datetime;

    struct Form(Vec<(&'static str, String)>);

    impl Input for Form {
        fn all(&self, name: &str) -> Vec<&str> {
            self.0.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str()).collect()
        }
    }

    fn data(kind: Kind, pairs: Vec<(&'static str, String)>) -> Result<Data, Box<dyn std::error::Error>> {
        Data::parse(kind, &Form(pairs)).map_err(|e| format!("{e:?}").into())
    }

    #[tokio::test]
    async fn records_link_within_their_case_version_and_tombstone() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
        let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
        store.sync_vocabularies(&lists).await?;
        let a = store.create_user(new_user("lawyer.a", "A")?, entry(AuditKind::UserCreated)).await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let fields = CaseFields {
            status: CaseStatus::Open,
            region: None,
            hotline: None,
            title: "t".into(),
            summary: String::new(),
            lead: None,
        };
        let case = store.create_case(&fields, a, at, entry(AuditKind::CaseCreated)).await?;
        let other = store.create_case(&fields, a, at, entry(AuditKind::CaseCreated)).await?;
        let pf = PersonFields { counting_unit: "01".into(), sex: None, birth_year: None };
        let victim = store
            .create_person(case.id, &pf, &Identity::default(), a, at, entry(AuditKind::CaseUpdated))
            .await?;
        let stranger = store
            .create_person(other.id, &pf, &Identity::default(), a, at, entry(AuditKind::CaseUpdated))
            .await?;
        let facility_data =
            data(Kind::Facility, vec![("name", "ИВС ОВД".into()), ("facility_type", "TJ.FAC.IVS".into())])?;
        let facility = store
            .create_record(Kind::Facility, None, &facility_data, a, at, entry(AuditKind::RecordCreated))
            .await?;
        assert_eq!(facility.reference(), "FC-0001");
        let event_data = data(
            Kind::Event,
            vec![
                ("title", "Задержание".into()),
                ("initial_date.y", "2024".into()),
                ("initial_date.m", "3".into()),
            ],
        )?;
        let event = store
            .create_record(Kind::Event, Some(case.id), &event_data, a, at, entry(AuditKind::RecordCreated))
            .await?;
        assert_eq!(event.reference(), "EV-0001");
        let act = |person: String, method: &str| {
            data(
                Kind::Act,
                vec![
                    ("event", event.id.to_string()),
                    ("victim", person),
                    ("act_type", "02011111".into()),
                    ("methods", method.into()),
                    ("facility", facility.id.to_string()),
                ],
            )
        };
        // A person of another case cannot be the victim here: the link is refused, nothing written.
        let refused = store
            .create_record(
                Kind::Act,
                Some(case.id),
                &act(stranger.id.to_string(), "0301")?,
                a,
                at,
                entry(AuditKind::RecordCreated),
            )
            .await;
        assert!(matches!(refused, Err(StoreError::Invalid("victim"))), "{refused:?}");
        // A code the list lacks is refused.
        let bad_code = store
            .create_record(
                Kind::Act,
                Some(case.id),
                &act(victim.id.to_string(), "9999")?,
                a,
                at,
                entry(AuditKind::RecordCreated),
            )
            .await;
        assert!(matches!(bad_code, Err(StoreError::Invalid("methods"))), "{bad_code:?}");
        // An event of this case cannot be filed under another case.
        let wrong_case = store
            .create_record(
                Kind::Act,
                Some(other.id),
                &act(victim.id.to_string(), "0301")?,
                a,
                at,
                entry(AuditKind::RecordCreated),
            )
            .await;
        assert!(matches!(wrong_case, Err(StoreError::Invalid(_))));
        assert_eq!(store.records_of_case(case.id).await?.len(), 1, "only the event");

        let created = store
            .create_record(
                Kind::Act,
                Some(case.id),
                &act(victim.id.to_string(), "0301")?,
                a,
                at,
                entry(AuditKind::RecordCreated),
            )
            .await?;
        let roles = ozodi_store::RecordRole::of(&store.records_of_case(case.id).await?);
        assert_eq!(roles.len(), 1);
        assert_eq!((roles[0].person.as_str(), roles[0].field), (victim.id.to_string().as_str(), "victim"));

        let edited = store
            .update_record(
                created.id,
                1,
                &act(victim.id.to_string(), "0302")?,
                a,
                at,
                entry(AuditKind::RecordUpdated),
            )
            .await?;
        assert_eq!(edited.version, 2);
        let stale = store
            .update_record(
                created.id,
                1,
                &act(victim.id.to_string(), "0303")?,
                a,
                at,
                entry(AuditKind::RecordUpdated),
            )
            .await;
        assert!(matches!(stale, Err(StoreError::Conflict)));
        store
            .set_record_deleted(created.id, Some("entered twice"), a, at, entry(AuditKind::RecordDeleted))
            .await?;
        assert!(
            ozodi_store::RecordRole::of(&store.records_of_case(case.id).await?).is_empty(),
            "a tombstoned act gives no role"
        );
        let kept = store.record(created.id).await?.ok_or("physically removed")?;
        assert_eq!(kept.deleted.map(|d| d.reason), Some("entered twice".into()));
        store.set_record_deleted(created.id, None, a, at, entry(AuditKind::RecordRestored)).await?;
        let versions = store.versions("act", &created.id.to_string()).await?;
        let changes: Vec<&str> = versions.iter().map(|v| v.change.as_str()).collect();
        assert_eq!(changes, vec!["created", "updated", "deleted", "restored"]);
        assert_eq!(versions[0].data["methods"], serde_json::json!(["0301"]));
        assert_eq!(versions[1].data["methods"], serde_json::json!(["0302"]));

        // The case file read in one go says exactly what the separate reads say: records in
        // timeline order (the tombstoned one too), the facility they name, persons, evidence.
        for (n, title) in ["первое", "второе"].into_iter().enumerate() {
            let item = ozodi_store::Evidence {
                id: ozodi_domain::record::RecordId::new(),
                case_id: case.id,
                seq: 0,
                title: title.into(),
                description: "описание".into(),
                identity: n == 1,
                category: ozodi_store::EvidenceCategory::Photo,
                original_filename: format!("{n}.jpg"),
                mime: "image/jpeg".into(),
                size: 10 + n as u64,
                sha256: "ab".repeat(32),
                acquired_at: at,
                acquired_by: None,
                deleted: None,
            };
            store.create_evidence(&item, entry(AuditKind::EvidenceCustody)).await?;
        }
        store.set_record_deleted(created.id, Some("again"), a, at, entry(AuditKind::RecordDeleted)).await?;
        let file = store.case_file(case.id).await?.ok_or("no file")?;
        let (expected_case, expected_team) = store.case_with_team(case.id).await?.ok_or("no case")?;
        let expected_records = store.records_of_case(case.id).await?;
        assert_eq!(format!("{:?}", file.case), format!("{expected_case:?}"));
        assert_eq!(format!("{:?}", file.team), format!("{expected_team:?}"));
        assert_eq!(format!("{:?}", file.records), format!("{expected_records:?}"));
        assert_eq!(format!("{:?}", file.facilities), format!("{:?}", vec![facility.clone()]));
        assert_eq!(format!("{:?}", file.persons), format!("{:?}", store.persons_of_case(case.id).await?));
        assert_eq!(format!("{:?}", file.evidence), format!("{:?}", store.evidence_of_case(case.id).await?));
        assert_eq!((file.records.len(), file.persons.len(), file.evidence.len()), (2, 1, 2));
        assert!(file.records.iter().any(|r| r.deleted.is_some()), "the tombstoned act is in the file");
        assert!(store.case_file(ozodi_domain::case::CaseId::new()).await?.is_none());
        store.close().await;
        Ok(())
    }
}

mod search {
    use super::*;
    use ozodi_domain::UserId;
    use ozodi_domain::case::{CaseId, CaseStatus};
    use ozodi_domain::person::Identity;
    use ozodi_store::{CaseFields, PersonFields, SearchQuery, SearchResults};
    use time::macros::datetime;

    fn query(user: UserId, text: &str) -> SearchQuery {
        SearchQuery { names: true, ..SearchQuery::new(user, text) }
    }

    async fn found(store: &SqliteStore, q: &SearchQuery) -> Result<Vec<CaseId>, StoreError> {
        Ok(store.search(q).await?.cases.into_iter().map(|c| c.id).collect())
    }

    #[tokio::test]
    async fn russian_and_tajik_word_forms_and_name_spellings_find_cases_only_where_allowed() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
        let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
        store.sync_vocabularies(&lists).await?;
        let a = store.create_user(new_user("lawyer.a", "A")?, entry(AuditKind::UserCreated)).await?;
        let b = store.create_user(new_user("lawyer.b", "B")?, entry(AuditKind::UserCreated)).await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let fields = |title: &str, summary: &str, region: &str| CaseFields {
            status: CaseStatus::Open,
            region: Some(region.into()),
            hotline: None,
            title: title.into(),
            summary: summary.into(),
            lead: None,
        };
        let ru = store
            .create_case(
                &fields("Избиение в ИВС", "Задержанного избили сотрудники милиции.", "SUG"),
                a,
                at,
                entry(AuditKind::CaseCreated),
            )
            .await?;
        let tg = store
            .create_case(
                &fields("Шиканҷа дар боздоштгоҳ", "Ҳуқуқи ӯ ба ҳимоятгар вайрон карда шуд.", "KHT"),
                a,
                at,
                entry(AuditKind::CaseCreated),
            )
            .await?;
        let pf = PersonFields { counting_unit: "01".into(), sex: None, birth_year: None };
        let identity = Identity { name: "Фарҳод Иброҳимов".into(), ..Identity::default() };
        store.create_person(tg.id, &pf, &identity, a, at, entry(AuditKind::CaseUpdated)).await?;

        // Russian morphology and Tajik folding and suffixes.
        assert_eq!(found(&store, &query(a, "избиения")).await?, vec![ru.id]);
        assert_eq!(found(&store, &query(a, "избили")).await?, vec![ru.id], "the verb's stem");
        assert_eq!(found(&store, &query(a, "хукуки")).await?, vec![tg.id], "typed without Tajik letters");
        assert_eq!(
            found(&store, &query(a, "шиканҷаҳо")).await?,
            vec![tg.id],
            "the plural finds the singular"
        );
        // Vocabulary labels in every language: the case's region.
        assert_eq!(found(&store, &query(a, "Khatlon")).await?, vec![tg.id]);
        // A pseudonym.
        assert_eq!(found(&store, &query(a, "P-0001")).await?, vec![tg.id]);

        // Names, in any spelling, for the team member with identity access.
        for spelling in ["Ibragimov", "Ибрагимов", "Иброҳимов", "Ibrohimov Farhod"] {
            assert_eq!(found(&store, &query(a, spelling)).await?, vec![tg.id], "{spelling}");
        }
        // A member without identity access, or a role that may not know names, learns nothing: no
        // result and a zero count.
        store.set_team_member(tg.id, b, false, a, at, entry(AuditKind::TeamChanged)).await?;
        let results = store.search(&query(b, "Ibragimov")).await?;
        assert_eq!((results.total, results.cases.len()), (0, 0));
        assert_eq!(
            found(&store, &query(b, "хукуки")).await?,
            vec![tg.id],
            "b still finds the case by its text"
        );
        let mut no_names = query(a, "Ibragimov");
        no_names.names = false;
        assert_eq!(store.search(&no_names).await?.total, 0);
        // Outside the team nothing at all; the coordinator (all cases) finds both by text.
        store.remove_team_member(tg.id, b, a, at, entry(AuditKind::TeamChanged)).await?;
        assert!(found(&store, &query(b, "шиканҷа")).await?.is_empty());
        let mut all = query(b, "");
        all.all_cases = true;
        all.names = true;
        assert_eq!(store.search(&all).await?.total, 2);
        let mut all_by_name = query(b, "Ibragimov");
        all_by_name.all_cases = true;
        assert_eq!(store.search(&all_by_name).await?.total, 0, "the coordinator off the team finds no name");

        // Facets.
        let mut by_region = query(a, "");
        by_region.region = Some("SUG".into());
        assert_eq!(found(&store, &by_region).await?, vec![ru.id]);
        // Malformed queries: results or nothing, never an error.
        for hostile in ["\"", "*", "NEAR(", "a OR", "' OR 1=1 --", "((((", "\u{0}", &"ы".repeat(5000)] {
            store.search(&query(a, hostile)).await?;
        }
        // A tombstoned case leaves the index; the rebuild gives the same answers.
        store.tombstone_case(ru.id, "duplicate", a, at, entry(AuditKind::CaseDeleted)).await?;
        assert!(found(&store, &query(a, "избиение")).await?.is_empty());
        assert_eq!(store.rebuild_search_index().await?, 2);
        assert!(found(&store, &query(a, "избиение")).await?.is_empty());
        assert_eq!(found(&store, &query(a, "хукуки")).await?, vec![tg.id]);
        store.close().await;
        Ok(())
    }

    /// A bulk load (no per-change index upkeep) leaves a complete index at close; a query matching
    /// more cases than are counted says so and pages through the newest; a list by facet alone
    /// counts exactly below the cap, newest first.
    #[tokio::test]
    async fn a_bulk_load_is_indexed_at_close_and_broad_queries_stop_counting_at_the_cap() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("ozodi.db");
        let key = key()?;
        let store = SqliteStore::open(&path, &key, OpenMode::Create).await?;
        let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
        store.sync_vocabularies(&lists).await?;
        let a = store.create_user(new_user("lawyer.a", "A")?, entry(AuditKind::UserCreated)).await?;
        store.close().await;

        let cap = SearchResults::COUNT_AT_MOST;
        let store = SqliteStore::open(&path, &key, OpenMode::BulkLoad).await?;
        let at = datetime!(2026-03-01 10:00 UTC);
        let mut ids = Vec::new();
        for n in 0..=cap {
            let fields = CaseFields {
                status: CaseStatus::Open,
                region: Some(if n % 2 == 0 { "SUG" } else { "KHT" }.into()),
                hotline: None,
                title: format!("Избиение {n}"),
                summary: String::new(),
                lead: None,
            };
            ids.push(store.create_case(&fields, a, at, entry(AuditKind::CaseCreated)).await?.id);
        }
        store.close().await;

        let store = SqliteStore::open(&path, &key, OpenMode::Existing).await?;
        let broad = store.search(&query(a, "избиения")).await?;
        assert_eq!((broad.total, broad.more), (cap, true));
        let newest: Vec<CaseId> = ids.iter().rev().take(20).copied().collect();
        assert_eq!(broad.cases.iter().map(|c| c.id).collect::<Vec<_>>(), newest, "newest first");
        let mut last = query(a, "избиения");
        last.offset = u32::try_from(cap)? - 10;
        assert_eq!(store.search(&last).await?.cases.len(), 10, "pages end at the cap");

        let mut sughd = query(a, "");
        sughd.region = Some("SUG".into());
        let listed = store.search(&sughd).await?;
        assert_eq!((listed.total, listed.more), (cap / 2 + 1, false));
        assert_eq!(listed.cases.first().map(|c| c.id), ids.last().copied());
        store.close().await;
        Ok(())
    }
}

#[tokio::test]
async fn stand_alone_entries_go_to_the_encrypted_access_log_and_pages_merge_both_trails() -> TestResult {
    use ozodi_store::{AuditCursor, AuditFilter, Trail};
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let store = SqliteStore::open(&path, &key()?, OpenMode::Create).await?;
    let t0 = OffsetDateTime::now_utc().replace_nanosecond(0)?;
    let at = |s: i64| t0 + time::Duration::seconds(s);
    // Changes at seconds 0, 2, 4, 6; stand-alone entries at 1, 2 (the same time as a change),
    // 3, 5, 6, 6 and 7. One carries a marker that must not reach the disk in clear.
    let marker = "Marker-Access-Ҷамшед-91c2";
    for (i, s) in [0, 2, 4, 6].into_iter().enumerate() {
        let mut e = entry(AuditKind::UserCreated);
        e.at = at(s);
        store.create_user(new_user(&format!("user{i}"), "Someone")?, e).await?;
    }
    for s in [1, 2, 3, 5, 6, 6, 7] {
        let mut e = entry(AuditKind::LoginFailed);
        e.at = at(s);
        e.detail = serde_json::json!({ "note": marker });
        store.audit(e).await?;
    }
    let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!((report.changes.entries, report.access.entries), (4, 7));
    for (name, bytes) in snapshot(dir.path())? {
        assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()), "marker found in {name}");
    }
    assert!(snapshot(dir.path())?.contains_key("ozodi.access.db"), "the access log is a file of its own");

    // Page through three at a time: every entry once, newest first; at equal times the trail of
    // changes comes first. The cursor survives its trip through a URL.
    let mut seen = Vec::new();
    let mut filter = AuditFilter { limit: 3, ..AuditFilter::default() };
    loop {
        let page = store.audit_entries(&filter).await?;
        if page.is_empty() {
            break;
        }
        let param = filter.before.after(&page).to_param();
        filter.before = AuditCursor::parse(&param).ok_or(param)?;
        seen.extend(page.iter().map(|r| ((r.at - t0).whole_seconds(), r.trail, r.seq)));
    }
    use Trail::{Access as A, Changes as C};
    let expected = [
        (7, A, 7),
        (6, C, 4),
        (6, A, 6),
        (6, A, 5),
        (5, A, 4),
        (4, C, 3),
        (3, A, 3),
        (2, C, 2),
        (2, A, 2),
        (1, A, 1),
        (0, C, 1),
    ];
    assert_eq!(seen, expected);
    // Filters apply to both trails; the actor's name is resolved for access entries too.
    let user = store.users().await?.into_iter().next().ok_or("no user")?;
    let mut e = entry(AuditKind::CaseViewed);
    e.actor = Some(user.id);
    store.audit(e).await?;
    let by = store
        .audit_entries(&AuditFilter {
            actor: Some(user.username.clone()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await?;
    assert_eq!(by.len(), 1);
    assert_eq!((by[0].trail, by[0].actor.as_deref()), (A, Some(user.username.as_str())));
    let failed = store
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::LoginFailed),
            limit: 50,
            ..AuditFilter::default()
        })
        .await?;
    assert_eq!(failed.len(), 7);
    // Each trail keeps its own order even when the clock went back: the chain proves the order.
    let mut e = entry(AuditKind::UserCreated);
    e.at = at(-60);
    store.create_user(new_user("late", "Someone")?, e).await?;
    let changes: Vec<i64> = store
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::UserCreated),
            limit: 50,
            ..AuditFilter::default()
        })
        .await?
        .iter()
        .map(|r| r.seq)
        .collect();
    assert_eq!(changes, [5, 4, 3, 2, 1]);
    for bad in ["12", "x.1", "-3.", "1.2.3", "0.4"] {
        assert!(AuditCursor::parse(bad).is_none(), "{bad}");
    }
    assert_eq!(AuditCursor::parse("."), Some(AuditCursor::default()));
    assert_eq!(AuditCursor::parse("7."), Some(AuditCursor { changes: Some(7), access: None }));
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn a_missing_or_swapped_access_log_is_refused_not_replaced() -> TestResult {
    let key = key()?;
    let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    for dir in [&a, &b] {
        let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key, OpenMode::Create).await?;
        store.audit(entry(AuditKind::LoginFailed)).await?;
        store.close().await;
    }
    let log = a.path().join("ozodi.access.db");
    let saved = std::fs::read(&log)?;
    // Another database's log (same key, so it decrypts): refused.
    std::fs::copy(b.path().join("ozodi.access.db"), &log)?;
    let swapped = SqliteStore::open(&a.path().join("ozodi.db"), &key, OpenMode::Existing).await.err();
    assert!(matches!(swapped, Some(StoreError::AccessLog(_))), "{swapped:?}");
    // No log at all: refused, and none is made up.
    std::fs::remove_file(&log)?;
    let missing = SqliteStore::open(&a.path().join("ozodi.db"), &key, OpenMode::Existing).await.err();
    assert!(matches!(missing, Some(StoreError::AccessLog(_))), "{missing:?}");
    assert!(!log.exists());
    // Its own log back: opens, with its entry.
    std::fs::write(&log, saved)?;
    let store = SqliteStore::open(&a.path().join("ozodi.db"), &key, OpenMode::Existing).await?;
    let report = store.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!(report.access.entries, 1);
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn a_session_read_again_reflects_every_change_at_once() -> TestResult {
    use ozodi_store::Session;
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key()?, OpenMode::Create).await?;
    let id = store.create_user(new_user("nodira", "Nodira")?, entry(AuditKind::UserCreated)).await?;
    let now = OffsetDateTime::now_utc().replace_nanosecond(0)?;
    let session = Session { user_id: id, csrf_token: "c".repeat(64), created_at: now, last_seen_at: now };
    let token = [7u8; 32];
    store.create_session(&token, &session, entry(AuditKind::LoginSucceeded)).await?;
    let read = |store: &SqliteStore| {
        let store = store.clone();
        async move { store.session(&token).await }
    };
    // Read twice (the second from memory), then change: the next read shows the change.
    for _ in 0..2 {
        assert!(read(&store).await?.is_some_and(|(_, u)| u.roles.contains(Role::Lawyer)));
    }
    store.set_roles(id, [Role::Doctor].into_iter().collect(), entry(AuditKind::RolesChanged)).await?;
    let (_, user) = read(&store).await?.ok_or("session gone")?;
    assert!(user.roles.contains(Role::Doctor) && !user.roles.contains(Role::Lawyer));
    let later = now + time::Duration::minutes(5);
    store.touch_session(&token, later).await?;
    assert_eq!(read(&store).await?.map(|(s, _)| s.last_seen_at), Some(later));
    store.set_language(id, "tg").await?;
    assert_eq!(read(&store).await?.and_then(|(_, u)| u.language), Some("tg".into()));
    store.set_disabled(id, true, entry(AuditKind::UserDisabled)).await?;
    assert!(read(&store).await?.is_none(), "disabling ends the session at once");
    store.set_disabled(id, false, entry(AuditKind::UserEnabled)).await?;
    store.create_session(&token, &session, entry(AuditKind::LoginSucceeded)).await?;
    assert!(read(&store).await?.is_some());
    store.delete_session(&token, None).await?;
    assert!(read(&store).await?.is_none(), "logging out ends it at once");
    store.close().await;
    Ok(())
}
