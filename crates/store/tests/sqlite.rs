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
    assert_eq!(report.entries, 1, "the failed insert must not leave an audit entry");
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
    assert_eq!(report.entries, 3);
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
    Ok(())
}
