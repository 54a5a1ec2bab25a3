//! Backups against real files: taken while writes go on, restored into a new directory, compared
//! record by record and file by file; damaged, foreign, newer and misdirected archives refused.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseStatus;
use ozodi_domain::person::{Identity, Sex};
use ozodi_domain::{DisplayName, Role, Username};
use ozodi_store::backup::{self, BackupError, Manifest};
use ozodi_store::{CaseFields, Instance, NewAuditEntry, NewUser, PersonFields, SqliteStore, Store};
use ozodi_vault::archive::{ArchiveHeader, ArchiveKey, ArchiveReader, ArchiveWriter};
use ozodi_vault::{DataKey, KdfParams};
use time::OffsetDateTime;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PASSPHRASE: &str = "backup test passphrase";
const MARKER: &str = "Маркер Ҷӯрабоев 9Z";

fn entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: None,
        kind,
        subject: None,
        detail: serde_json::json!({}),
        client: None,
    }
}

fn fields(title: &str) -> CaseFields {
    CaseFields {
        status: CaseStatus::Open,
        region: Some("SUG".into()),
        hotline: None,
        title: title.into(),
        summary: "Задержан в ОВД, избит".into(),
        lead: None,
    }
}

fn no_progress(_: backup::Progress) {}

struct Fixture {
    dir: tempfile::TempDir,
    instance: Instance,
    store: SqliteStore,
    lawyer: ozodi_domain::UserId,
}

/// An instance with a lawyer, a case with a named victim, and two evidence files (one in the
/// identity compartment).
async fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let instance = Instance::at(dir.path().join("data"));
    let store = instance.init(PASSPHRASE, KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 }).await?;
    let lawyer = store
        .create_user(
            NewUser {
                username: Username::parse("lawyer.a")?,
                display_name: DisplayName::parse("A")?,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
                roles: [Role::Lawyer].into_iter().collect(),
                must_change_password: false,
            },
            entry(AuditKind::UserCreated),
        )
        .await?;
    let at = OffsetDateTime::now_utc();
    let case = store.create_case(&fields(MARKER), lawyer, at, entry(AuditKind::CaseCreated)).await?;
    let identity = Identity { name: MARKER.into(), ..Identity::default() };
    let person_fields =
        PersonFields { counting_unit: "01".into(), sex: Some(Sex::Male), birth_year: Some(1990) };
    store
        .create_person(case.id, &person_fields, &identity, lawyer, at, entry(AuditKind::CaseUpdated))
        .await?;
    let files = store.evidence_files();
    for (n, identity) in [false, true].into_iter().enumerate() {
        let id = ozodi_domain::record::RecordId::new();
        let (key, dir) = files.of(identity);
        tokio::fs::create_dir_all(dir).await?;
        let plain = format!("{MARKER} medical certificate {n} ").repeat(20_000);
        let info = ozodi_vault::write_blob(key, &id.to_string(), plain.as_bytes(), dir, 10 << 20).await?;
        let item = ozodi_store::Evidence {
            id,
            case_id: case.id,
            seq: 0,
            title: format!("справка {n}"),
            description: String::new(),
            identity,
            category: ozodi_store::EvidenceCategory::Document,
            original_filename: format!("{n}.pdf"),
            mime: "application/pdf".into(),
            size: info.size,
            sha256: hex::encode(info.sha256),
            acquired_at: at,
            acquired_by: Some(lawyer.to_string()),
            deleted: None,
        };
        store.create_evidence(&item, entry(AuditKind::EvidenceCustody)).await?;
    }
    store.audit(entry(AuditKind::CaseViewed)).await?;
    Ok(Fixture { dir, instance, store, lawyer })
}

async fn key_of(archive: &Path) -> Result<DataKey, BackupError> {
    backup::unwrap_key(archive, PASSPHRASE).await
}

/// Every case with its team, persons, records and evidence, as text to compare.
async fn everything(store: &SqliteStore) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for case in store.cases_for(ozodi_domain::UserId::new(), true, true, 100_000).await? {
        let file = store.case_file(case.id).await?.ok_or("case vanished")?;
        out.push(format!("{:?}", (&file.case, &file.team, &file.records, &file.persons, &file.evidence)));
    }
    out.sort();
    Ok(out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_backup_taken_during_writes_restores_every_record_and_file() -> TestResult {
    let f = fixture().await?;
    let before = everything(&f.store).await?;
    // Writes go on while the backup runs: each acknowledged case is either wholly in it or not.
    let writer = {
        let store = f.store.clone();
        let lawyer = f.lawyer;
        tokio::spawn(async move {
            let mut acknowledged = 0;
            for i in 0..40 {
                let at = OffsetDateTime::now_utc();
                store
                    .create_case(&fields(&format!("during {i}")), lawyer, at, entry(AuditKind::CaseCreated))
                    .await?;
                store.audit(entry(AuditKind::CaseViewed)).await?;
                acknowledged += 1;
            }
            Ok::<_, ozodi_store::StoreError>(acknowledged)
        })
    };
    let archive = f.dir.path().join("first.ozb");
    let manifest = backup::create(&f.store, &f.instance.key_path(), &archive, &no_progress).await?;
    let acknowledged = writer.await??;
    assert_eq!(acknowledged, 40);
    let after = everything(&f.store).await?;

    // Nothing of the content is in clear in the archive, and no staging is left behind.
    let bytes = std::fs::read(&archive)?;
    assert!(!contains(&bytes, MARKER.as_bytes()), "a name in clear in the archive");
    assert!(!contains(&bytes, "Задержан".as_bytes()));
    let left: Vec<PathBuf> =
        std::fs::read_dir(f.dir.path())?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    assert_eq!(left.len(), 2, "only the data directory and the archive: {left:?}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&archive)?.permissions().mode() & 0o777, 0o600);

    assert_eq!(manifest.evidence.len(), 2);
    assert_eq!(manifest.audit_break, None);
    assert!(manifest.count("cases") >= 1 && manifest.count("cases") <= 41);
    assert!(manifest.members.iter().any(|m| m.name.starts_with("identity-files/")));

    // Verify (a trial restore) and restore give the same manifest; the restored instance opens
    // with the passphrase and holds a consistent state between "before" and "after".
    let key = key_of(&archive).await?;
    let verified = backup::verify(&archive, &key, f.dir.path(), &no_progress).await?;
    assert_eq!(verified, manifest);
    let target = f.dir.path().join("restored");
    let restored_manifest = backup::restore(&archive, &key, &target, &no_progress).await?;
    assert_eq!(restored_manifest, manifest);
    let restored = Instance::at(&target).open(PASSPHRASE).await?;
    let got = everything(&restored).await?;
    assert_eq!(got.len() as i64, manifest.count("cases"));
    for case in &before {
        assert!(got.contains(case), "a case written before the backup is missing");
    }
    for case in &got {
        assert!(after.contains(case), "a restored case differs from the original");
    }
    let report = restored.verify_audit().await?.map_err(|b| b.to_string())?;
    assert_eq!(report.changes.entries, manifest.count("audit_changes"));
    assert_eq!(report.access.entries, manifest.count("audit_access"));
    // Every evidence file decrypts to exactly what was received.
    for item in restored.all_evidence().await? {
        let files = restored.evidence_files();
        let (blob_key, dir) = files.of(item.identity);
        let path = ozodi_vault::blob::blob_path(dir, &item.id.to_string())?;
        let digest = ozodi_vault::verify_blob(blob_key, &item.id.to_string(), &path).await?;
        assert_eq!(hex::encode(digest.sha256), item.sha256);
    }
    // The identity compartment came along: the name is there for whoever holds the key.
    let cases = restored.cases_for(f.lawyer, true, true, 100).await?;
    let first = cases.iter().find(|c| c.fields.title == MARKER).ok_or("the first case is missing")?;
    let person = restored.persons_of_case(first.id).await?.into_iter().next().ok_or("no person")?;
    let identity = restored.reveal_identity(person.id, entry(AuditKind::IdentityRevealed)).await?;
    assert_eq!(identity.name, MARKER);
    restored.close().await;

    // Restoring again over it, or into a directory with anything in it, is refused.
    assert!(matches!(
        backup::restore(&archive, &key, &target, &no_progress).await,
        Err(BackupError::TargetNotEmpty(_))
    ));
    // And a backup never overwrites a file.
    assert!(matches!(
        backup::create(&f.store, &f.instance.key_path(), &archive, &no_progress).await,
        Err(BackupError::Exists(_))
    ));
    f.store.close().await;
    Ok(())
}

#[tokio::test]
async fn damaged_foreign_and_misdirected_archives_are_refused_with_a_clear_message() -> TestResult {
    let f = fixture().await?;
    let archive = f.dir.path().join("b.ozb");
    backup::create(&f.store, &f.instance.key_path(), &archive, &no_progress).await?;
    f.store.close().await;
    let key = key_of(&archive).await?;
    let good = std::fs::read(&archive)?;

    let check = |bytes: Vec<u8>, name: &'static str| {
        let path = f.dir.path().join(name);
        let key = key.clone();
        async move {
            std::fs::write(&path, bytes)?;
            let verified = backup::verify(&path, &key, path.parent().ok_or("no parent")?, &no_progress).await;
            let target = path.with_extension("restored");
            let restored = backup::restore(&path, &key, &target, &no_progress).await;
            assert!(!target.exists(), "{name}: a failed restore left {}", target.display());
            Ok::<_, Box<dyn std::error::Error>>((verified, restored))
        }
    };
    // A flipped byte in the middle, a cut archive, and bytes appended.
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let cut = good[..good.len() - 1000].to_vec();
    let mut longer = good.clone();
    longer.extend_from_slice(b"appended");
    for (bytes, name) in [(flipped, "flipped.ozb"), (cut, "cut.ozb"), (longer, "longer.ozb")] {
        let (verified, restored) = check(bytes, name).await?;
        for result in [verified, restored] {
            let err = result.err().ok_or(format!("{name} was accepted"))?;
            assert!(matches!(err, BackupError::Damaged(_)), "{name}: {err:?}");
            assert!(err.to_string().contains("damaged or was altered"), "{name}: {err}");
        }
    }
    // Not an archive at all.
    let (verified, _) = check(b"SQLite format 3\0 and more".to_vec(), "foreign.ozb").await?;
    assert!(matches!(verified, Err(BackupError::NotAnArchive(_))));
    // The wrong passphrase.
    assert!(matches!(
        backup::unwrap_key(&archive, "not the passphrase").await,
        Err(BackupError::WrongPassphrase)
    ));
    // Another instance's key does not open it (authentication fails, nothing is written).
    let other = Instance::at(f.dir.path().join("other"));
    other.init(PASSPHRASE, KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 }).await?.close().await;
    let other_archive = f.dir.path().join("other.ozb");
    let other_store = other.open(PASSPHRASE).await?;
    backup::create(&other_store, &other.key_path(), &other_archive, &no_progress).await?;
    other_store.close().await;
    let (verified, _) = check(std::fs::read(&other_archive)?, "wrong-key.ozb").await?;
    assert!(matches!(verified, Err(BackupError::Damaged(_))), "{verified:?}");
    Ok(())
}

/// Re-encrypts `archive` with its manifest changed by `edit` (as a newer ozodi would have written).
fn rewrite(archive: &Path, key: &DataKey, out: &Path, edit: impl Fn(&mut Manifest)) -> TestResult {
    let archive_key = ArchiveKey::new(key);
    let mut input = std::fs::File::open(archive)?;
    let header = ArchiveHeader::read(&mut input)?.ok_or("no header")?;
    let mut tar_in = tar::Archive::new(ArchiveReader::new(input, &header, &archive_key));
    let writer = ArchiveWriter::new(std::fs::File::create(out)?, &archive_key, header.key_file())?;
    let mut tar_out = tar::Builder::new(writer);
    for entry in tar_in.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name == "manifest.json" {
            let mut manifest: Manifest = serde_json::from_slice(&bytes)?;
            edit(&mut manifest);
            bytes = serde_json::to_vec(&manifest)?;
        }
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o600);
        tar_out.append_data(&mut h, &name, bytes.as_slice())?;
    }
    tar_out.into_inner()?.finish()?.flush()?;
    Ok(())
}

#[tokio::test]
async fn an_archive_from_a_newer_schema_or_with_a_lying_manifest_is_refused() -> TestResult {
    let f = fixture().await?;
    let archive = f.dir.path().join("c.ozb");
    backup::create(&f.store, &f.instance.key_path(), &archive, &no_progress).await?;
    f.store.close().await;
    let key = key_of(&archive).await?;

    let newer = f.dir.path().join("newer.ozb");
    rewrite(&archive, &key, &newer, |m| m.schema_version += 1)?;
    let target = f.dir.path().join("from-newer");
    match backup::restore(&newer, &key, &target, &no_progress).await {
        Err(BackupError::NewerSchema { archive, known }) => assert_eq!(archive, known + 1),
        other => return Err(format!("a newer schema was not refused: {other:?}").into()),
    }
    assert!(!target.exists());

    // Authentic encryption, but the manifest does not match the content: caught too.
    let lying = f.dir.path().join("lying.ozb");
    rewrite(&archive, &key, &lying, |m| {
        if let Some(c) = m.counts.get_mut("cases") {
            *c += 1;
        }
    })?;
    let err = backup::verify(&lying, &key, f.dir.path(), &no_progress).await.err().ok_or("accepted")?;
    assert!(err.to_string().contains("cases: 2 in the manifest, 1 restored"), "{err}");
    let hashes = f.dir.path().join("hashes.ozb");
    rewrite(&archive, &key, &hashes, |m| m.members[0].sha256 = "00".repeat(32))?;
    let err = backup::verify(&hashes, &key, f.dir.path(), &no_progress).await.err().ok_or("accepted")?;
    assert!(matches!(err, BackupError::Inconsistent { .. }), "{err:?}");
    // The untouched archive still verifies.
    backup::verify(&archive, &key, f.dir.path(), &no_progress).await?;
    Ok(())
}
