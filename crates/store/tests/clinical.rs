//! Evaluations and rehabilitation in the store. An evaluation's signing needs consent and a
//! conclusion, freezes the report with a hash of exactly what was signed, and from then on nothing
//! changes it, not through the store and not by SQL around it; corrections are addenda. A
//! rehabilitation episode follows its course inside the write transaction, takes no session once
//! ended, adds up to counts that hold (a client counted once, missed and removed sessions not at
//! all, tombstoned cases left out), and is never deleted by SQL.

use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseStatus;
use ozodi_domain::ip::EvaluationError;
use ozodi_domain::person::{Identity, Sex};
use ozodi_domain::record::{Data, Input, Kind};
use ozodi_domain::rehab::{EpisodeId, StepError};
use ozodi_domain::{DisplayName, Role, UserId, Username};
use ozodi_store::{
    CaseFields, NewAuditEntry, NewUser, OpenMode, PersonFields, SqliteStore, Store, StoreError,
};
use ozodi_vault::{DataKey, KdfParams, KeyFile, SubKeyPurpose};
use sqlx::ConnectOptions;
use time::OffsetDateTime;
use time::macros::datetime;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const T0: OffsetDateTime = datetime!(2026-11-30 08:00 UTC);

fn entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry { at: T0, actor: None, kind, subject: None, detail: serde_json::json!({}), client: None }
}

struct Form(Vec<(&'static str, String)>);

impl Input for Form {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str()).collect()
    }
}

fn data(kind: Kind, fields: &[(&'static str, &str)]) -> Result<Data, String> {
    let form = Form(fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect());
    Data::parse(kind, &form).map_err(|e| format!("{e:?}"))
}

/// A store with the shipped vocabularies, a doctor, a case and one person in it.
struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    key: DataKey,
    store: SqliteStore,
    doctor: UserId,
    case: ozodi_store::CaseRecord,
    person: ozodi_store::PersonRecord,
}

async fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let key: DataKey =
        KeyFile::create("test passphrase 123", KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 })?.1;
    let store = SqliteStore::open(&path, &key, OpenMode::Create).await?;
    let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
    store.sync_vocabularies(&lists).await?;
    let doctor: UserId = store
        .create_user(
            NewUser {
                username: Username::parse("doctor")?,
                display_name: DisplayName::parse("Dr. Test")?,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
                roles: [Role::Doctor].into_iter().collect(),
                must_change_password: false,
            },
            entry(AuditKind::UserCreated),
        )
        .await?;
    let fields = CaseFields {
        status: CaseStatus::Open,
        region: None,
        hotline: None,
        title: "t".into(),
        summary: String::new(),
        lead: None,
    };
    let case = store.create_case(&fields, doctor, T0, entry(AuditKind::CaseCreated)).await?;
    let name = "Маркерҷон Маркерзода";
    let person = store
        .create_person(
            case.id,
            &PersonFields { counting_unit: "01".into(), sex: Some(Sex::Male), birth_year: Some(1990) },
            &Identity { name: name.into(), ..Identity::default() },
            doctor,
            T0,
            entry(AuditKind::CaseUpdated),
        )
        .await?;
    Ok(Fixture { _dir: dir, path, key, store, doctor, case, person })
}

/// An encrypted connection straight to the database file, around the store.
async fn raw(fx: &Fixture) -> Result<sqlx::SqliteConnection, Box<dyn std::error::Error>> {
    let hex = fx.key.derive(SubKeyPurpose::Database).to_hex();
    Ok(sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&fx.path)
        .pragma("key", format!("\"x'{}'\"", hex.as_str()))
        .connect()
        .await?)
}

#[tokio::test]
async fn a_signed_evaluation_is_frozen_with_the_hash_of_what_was_signed() -> TestResult {
    let fx = fixture().await?;
    let Fixture { store, doctor, case, person, .. } = &fx;
    let doctor = *doctor;
    let subject = person.id.to_string();
    let report =
        data(Kind::Evaluation, &[("subject", &subject), ("allegations", "Били дубинкой по спине.")])?;
    let id =
        store.create_evaluation(case.id, &report, None, doctor, T0, entry(AuditKind::RecordCreated)).await?;
    let finding = data(
        Kind::Finding,
        &[("body_region", "B-UPPER_BACK"), ("lesion_type", "BRUISE"), ("consistency", "HC")],
    )?;
    store.add_finding(id, &finding, entry(AuditKind::RecordUpdated)).await?;
    // A region that is not on the diagrams is refused by the store.
    let bad = data(Kind::Finding, &[("body_region", "X-NOWHERE"), ("lesion_type", "BRUISE")])?;
    assert!(matches!(
        store.add_finding(id, &bad, entry(AuditKind::RecordUpdated)).await,
        Err(StoreError::Invalid(_))
    ));

    let step = |to: &'static str| {
        let store = &store;
        async move {
            let version = store.evaluation(id).await?.ok_or("gone")?.version;
            store
                .evaluation_step(
                    id,
                    version,
                    ozodi_store::ip::StepRequest { to, note: "", by: doctor, at: T0 },
                    entry(AuditKind::RecordUpdated),
                )
                .await
                .map_err(Into::into)
        }
    };
    let _: &str = step("SCHEDULED").await.map_err(|e: Box<dyn std::error::Error>| e)?;
    step("EXAMINED").await.map_err(|e: Box<dyn std::error::Error>| e)?;
    step("DRAFTING").await.map_err(|e: Box<dyn std::error::Error>| e)?;
    // Signing needs the consent, then the conclusion.
    let version = store.evaluation(id).await?.ok_or("gone")?.version;
    let refused = store
        .evaluation_step(
            id,
            version,
            ozodi_store::ip::StepRequest { to: "SIGNED", note: "", by: doctor, at: T0 },
            entry(AuditKind::RecordUpdated),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Evaluation(EvaluationError::NoConsent))), "{refused:?}");
    let complete = data(
        Kind::Evaluation,
        &[
            ("subject", &subject),
            ("allegations", "Били дубинкой по спине."),
            ("informed_consent", "yes"),
            ("overall_consistency", "HC"),
        ],
    )?;
    store.update_evaluation(id, version, &complete, doctor, T0, entry(AuditKind::RecordUpdated)).await?;
    // A stale form is refused.
    let stale =
        store.update_evaluation(id, version, &complete, doctor, T0, entry(AuditKind::RecordUpdated)).await;
    assert!(matches!(stale, Err(StoreError::Conflict)));
    step("SIGNED").await.map_err(|e: Box<dyn std::error::Error>| e)?;

    let signed = store.evaluation(id).await?.ok_or("gone")?;
    let signature = signed.signed.clone().ok_or("not signed")?;
    assert!(signature.holds(), "the stored document hashes to the stored hash");
    assert!(signature.document.contains("B-UPPER_BACK") && signature.document.contains("Били дубинкой"));
    assert!(
        signature.document.contains("P-0001") && !signature.document.contains("Маркерҷон"),
        "pseudonym, not name"
    );

    // Nothing changes it through the store…
    let later = store
        .update_evaluation(id, signed.version, &report, doctor, T0, entry(AuditKind::RecordUpdated))
        .await;
    assert!(matches!(later, Err(StoreError::Immutable)), "{later:?}");
    assert!(matches!(
        store.add_finding(id, &finding, entry(AuditKind::RecordUpdated)).await,
        Err(StoreError::Immutable)
    ));
    let removed = store.change_finding(id, 1, 1, None, T0, entry(AuditKind::RecordUpdated)).await;
    assert!(matches!(removed, Err(StoreError::Immutable)), "{removed:?}");
    let back = store
        .evaluation_step(
            id,
            signed.version,
            ozodi_store::ip::StepRequest { to: "DRAFTING", note: "", by: doctor, at: T0 },
            entry(AuditKind::RecordUpdated),
        )
        .await;
    assert!(matches!(back, Err(StoreError::Evaluation(EvaluationError::NotAllowed { .. }))));

    // …nor by SQL with the database key around it.
    let mut raw = raw(&fx).await?;
    for attack in [
        "UPDATE evaluations SET data = '{}'",
        "UPDATE evaluations SET sha256 = lower(hex(randomblob(32)))",
        "UPDATE evaluations SET signed_document = '{}'",
        "UPDATE evaluation_findings SET data = '{}'",
        "INSERT INTO evaluation_findings (evaluation_id, seq, data, version) SELECT id, 9, '{}', 1 FROM evaluations",
        "DELETE FROM evaluation_findings",
        "DELETE FROM evaluations",
    ] {
        let result = sqlx::query(attack).execute(&mut raw).await;
        assert!(result.is_err(), "{attack} was allowed");
    }
    drop(raw);
    let again = store.evaluation(id).await?.ok_or("gone")?;
    assert_eq!(again.signed, signed.signed, "unchanged");

    // Transmission records the recipient; a correction is an addendum to the signed report.
    let version = again.version;
    let refused = store
        .evaluation_step(
            id,
            version,
            ozodi_store::ip::StepRequest { to: "TRANSMITTED", note: " ", by: doctor, at: T0 },
            entry(AuditKind::RecordUpdated),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Evaluation(EvaluationError::NoRecipient))));
    store
        .evaluation_step(
            id,
            version,
            ozodi_store::ip::StepRequest {
                to: "TRANSMITTED",
                note: "адвокату клиента, лично",
                by: doctor,
                at: T0,
            },
            entry(AuditKind::RecordUpdated),
        )
        .await?;
    let addendum = store
        .create_evaluation(case.id, &report, Some(id), doctor, T0, entry(AuditKind::RecordCreated))
        .await?;
    let addendum = store.evaluation(addendum).await?.ok_or("gone")?;
    assert_eq!(addendum.amends.map(|(a, _)| a), Some(id));
    // An addendum to an unsigned report makes no sense.
    let refused = store
        .create_evaluation(case.id, &report, Some(addendum.id), doctor, T0, entry(AuditKind::RecordCreated))
        .await;
    assert!(matches!(refused, Err(StoreError::Invalid("amends"))));
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn an_episode_follows_its_course_its_counts_add_up_and_sql_deletes_nothing() -> TestResult {
    let fx = fixture().await?;
    let Fixture { store, doctor, case, person, .. } = &fx;
    let (doctor, client) = (*doctor, person.id.to_string());
    let referral = |day: &str| {
        data(
            Kind::Episode,
            &[
                ("client", &client),
                ("client_relation", "VICTIM"),
                ("referred_at.y", "2026"),
                ("referred_at.m", "11"),
                ("referred_at.d", day),
            ],
        )
    };
    let first =
        store.create_episode(case.id, &referral("2")?, doctor, T0, entry(AuditKind::RecordCreated)).await?;
    let step = |id: EpisodeId, to: &'static str, note: &'static str| async move {
        let version = store.episode(id).await?.ok_or("gone")?.version;
        let request = ozodi_store::rehab::StepRequest { to, note, by: doctor, at: T0 };
        store.episode_step(id, version, request, entry(AuditKind::RecordUpdated)).await.map_err(Into::into)
    };
    // The store checks the machine itself: no assessment without its instrument, no jump.
    let refused: Result<_, Box<dyn std::error::Error>> = step(first, "ASSESSED", "").await;
    assert!(matches!(
        refused.map_err(|e| e.downcast::<StoreError>().map(|e| *e)),
        Err(Ok(StoreError::Rehab(StepError::NoBaseline)))
    ));
    let jump = step(first, "COMPLETED", "done").await;
    assert!(jump.is_err(), "REFERRED → COMPLETED is not a step");
    let session = |day: &str, missed: bool| {
        let mut fields = vec![
            ("session_date.y", "2026"),
            ("session_date.m", "11"),
            ("session_date.d", day),
            ("modality", "INDIVIDUAL"),
        ];
        if missed {
            fields.push(("missed", "on"));
        }
        data(Kind::Session, &fields)
    };
    for (day, missed) in [("3", false), ("10", true), ("17", false)] {
        store.add_session(first, &session(day, missed)?, doctor, T0, entry(AuditKind::RecordUpdated)).await?;
    }
    let version = store.episode(first).await?.ok_or("gone")?.sessions[2].version;
    store.remove_session(first, 3, version, T0, entry(AuditKind::RecordUpdated)).await?;
    step(first, "DROPPED_OUT", "перестал приходить").await?;
    let ended =
        store.add_session(first, &session("24", false)?, doctor, T0, entry(AuditKind::RecordUpdated)).await;
    assert!(matches!(ended, Err(StoreError::Ended)), "an ended episode takes no session");
    // Referred again later: the same client is still one person helped.
    store.create_episode(case.id, &referral("25")?, doctor, T0, entry(AuditKind::RecordCreated)).await?;
    let figures = store.rehab_figures().await?;
    assert_eq!(figures.clients, [("2026".to_owned(), "VICTIM".to_owned(), 1)]);
    assert_eq!(figures.sessions, [("2026".to_owned(), 1)], "missed and removed sessions are not held");
    assert_eq!(figures.states, [("REFERRED".to_owned(), 1), ("DROPPED_OUT".to_owned(), 1)]);
    let course: Vec<String> =
        store.episode(first).await?.ok_or("gone")?.steps.into_iter().map(|s| s.state).collect();
    assert_eq!(course, ["REFERRED", "DROPPED_OUT"], "refused steps left no trace");

    // A tombstoned case leaves the counts.
    store.tombstone_case(case.id, "ошибка", doctor, T0, entry(AuditKind::CaseDeleted)).await?;
    assert_eq!(store.rehab_figures().await?, ozodi_store::rehab::RehabFigures::default());

    // Nothing is deleted or rewritten by SQL around the store.
    let mut raw = raw(&fx).await?;
    for attack in [
        "DELETE FROM rehab_episodes",
        "DELETE FROM rehab_sessions",
        "DELETE FROM rehab_steps",
        "UPDATE rehab_steps SET state = 'COMPLETED'",
    ] {
        let result = sqlx::query(attack).execute(&mut raw).await;
        assert!(result.is_err(), "{attack} was allowed");
    }
    drop(raw);
    let kept = store.episode(first).await?.ok_or("deleted")?;
    assert_eq!((kept.steps.len(), kept.sessions.len()), (2, 3), "the course and the sessions are all there");
    Ok(())
}
