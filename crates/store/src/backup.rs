//! Backups that are proven to restore.
//!
//! A backup is one file (`.ozb`): the instance's key file in clear (it is passphrase-wrapped) and
//! then one encrypted, authenticated stream (`ozodi_vault::archive`) holding a tar of
//!
//! - `ozodi.db` and `ozodi.access.db`: consistent copies of the two databases (SQLCipher-encrypted
//!   as on disk; see `SqliteStore::snapshot_into`), taken while the server goes on working;
//! - `evidence/<id>.blob` and `identity-files/<id>.blob`: the encrypted originals of every evidence
//!   item the database copy records (they are immutable, so the files match the copy);
//! - `manifest.json`, last: format, schema version, the time, the count of every table, the state
//!   of both audit chains, each member's size and SHA-256, each evidence item's recorded SHA-256.
//!
//! Nothing is ever written in plaintext: the copies are staged encrypted in a private directory
//! next to the archive and removed after. The archive is written under a temporary name, synced,
//! and linked into place without ever replacing a file.
//!
//! Verification is a trial restore: the archive is unpacked into a private directory, every
//! member checked against the manifest, the instance opened, both audit chains verified, every
//! count compared and every evidence file decrypted and re-hashed; then it is removed. `restore`
//! does the same into a new data directory, which appears under its name only once all of it
//! passed.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ozodi_vault::archive::{ArchiveHeader, ArchiveKey, ArchiveReader, ArchiveWriter, is_damage};
use ozodi_vault::blob::{blob_path, verify_blob};
use ozodi_vault::{DataKey, KeyFile, VaultError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::{Instance, InstanceError, SqliteStore, Store, StoreError};

/// The file name extension of backup archives.
pub const EXTENSION: &str = "ozb";

const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// A manifest lists one line per evidence file; 256 MiB is millions of them.
const MAX_MANIFEST: u64 = 256 * 1024 * 1024;

/// What an archive holds, written into it last and checked on every verify and restore.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format (1).
    pub format: u32,
    /// When the snapshot was taken.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The ozodi version that wrote it.
    pub ozodi_version: String,
    /// The database schema (newest migration) of the snapshot.
    pub schema_version: i64,
    /// Rows per table and entries per audit trail.
    pub counts: BTreeMap<String, i64>,
    /// Both audit chains verified at backup time: `None` if intact, else the first break.
    pub audit_break: Option<String>,
    /// Every file in the archive but the manifest, in order.
    pub members: Vec<Member>,
    /// Every evidence item the snapshot records.
    pub evidence: Vec<EvidenceEntry>,
}

impl Manifest {
    /// Total bytes of the members.
    pub fn bytes(&self) -> u64 {
        self.members.iter().map(|m| m.size).sum()
    }

    /// A count by name (0 if absent).
    pub fn count(&self, name: &str) -> i64 {
        self.counts.get(name).copied().unwrap_or(0)
    }
}

/// One file of the archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Its path inside the archive (and in the data directory).
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of its bytes as archived (hex).
    pub sha256: String,
}

/// One evidence item as the snapshot records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceEntry {
    /// The item's id (its file's name).
    pub id: String,
    /// In the identity compartment.
    pub identity: bool,
    /// Plaintext bytes.
    pub size: u64,
    /// SHA-256 of the plaintext, as recorded at intake (hex).
    pub sha256: String,
}

impl Manifest {
    /// The access-log entry of a written archive: where it was made from (`via`), its file name,
    /// what it holds and whether its trial restore passed. No path, no content.
    pub fn created_entry(&self, via: &str, file: &Path, verified: bool) -> crate::NewAuditEntry {
        crate::NewAuditEntry {
            at: OffsetDateTime::now_utc(),
            actor: None,
            kind: ozodi_domain::audit::AuditKind::BackupCreated,
            subject: None,
            detail: serde_json::json!({
                "via": via,
                "file": file.file_name().map(|n| n.to_string_lossy().into_owned()),
                "cases": self.count("cases"),
                "evidence": self.evidence.len(),
                "verified": verified,
            }),
            client: None,
        }
    }
}

/// Steps of a long backup, for a progress display.
#[derive(Clone, Debug)]
pub enum Progress {
    /// Copying the databases (the longest step on a large instance).
    Snapshot,
    /// Counting and verifying the copy.
    Checking,
    /// Writing the archive: bytes done of the total.
    Writing {
        /// Bytes written so far.
        done: u64,
        /// Bytes to write.
        total: u64,
    },
    /// Unpacking and checking an archive: bytes read so far.
    Unpacking {
        /// Bytes unpacked so far.
        done: u64,
    },
    /// Opening the unpacked instance and re-checking it.
    Verifying,
}

/// What can go wrong with a backup. Messages name files, never content.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The destination exists.
    #[error("{0} already exists; refusing to overwrite it")]
    Exists(PathBuf),
    /// The file is not an ozodi backup archive (or of an unknown version).
    #[error("{0} is not an ozodi backup archive (or one written by a newer ozodi)")]
    NotAnArchive(PathBuf),
    /// The archive fails authentication: altered, damaged or cut short.
    #[error("{0} is damaged or was altered (it fails authentication); it cannot be trusted or restored")]
    Damaged(PathBuf),
    /// The archive authenticates but does not hold what its manifest says.
    #[error("{path} is incomplete or inconsistent: {reason}")]
    Inconsistent {
        /// The archive.
        path: PathBuf,
        /// What does not match.
        reason: String,
    },
    /// The archive comes from a newer ozodi.
    #[error(
        "the backup holds database schema {archive}, newer than this ozodi knows ({known}); restore it with a newer ozodi"
    )]
    NewerSchema {
        /// The archive's schema version.
        archive: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// The restore target holds something.
    #[error("{0} is not empty; restore into a new data directory")]
    TargetNotEmpty(PathBuf),
    /// The passphrase does not open the archive's key file.
    #[error("the passphrase does not open this backup's key file; nothing was restored")]
    WrongPassphrase,
    /// The unpacked instance failed a check.
    #[error("the backup's content failed a check: {0}")]
    Check(String),
    /// Opening the unpacked instance failed.
    #[error(transparent)]
    Instance(#[from] InstanceError),
    /// A database error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A background task did not finish.
    #[error("the backup task failed")]
    Task,
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.to_owned(), source }
}

/// Writes a backup archive of the instance `store` serves to `dest`, whose key file is at
/// `key_file`. `progress` hears of each step.
pub async fn create(
    store: &SqliteStore,
    key_file: &Path,
    dest: &Path,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Manifest, BackupError> {
    if dest.exists() {
        return Err(BackupError::Exists(dest.to_owned()));
    }
    let parent = parent_of(dest);
    let key_bytes = fs::read(key_file).map_err(io_at(key_file))?;
    let scratch = private_dir(&parent, ".ozodi-backup-")?;
    progress(Progress::Snapshot);
    store.snapshot_into(scratch.path()).await?;
    progress(Progress::Checking);
    let snapshot =
        SqliteStore::open(&scratch.path().join("ozodi.db"), store.data_key(), crate::OpenMode::Existing)
            .await?;
    let read = async {
        let counts = snapshot.counts().await?;
        let evidence = snapshot.all_evidence().await?;
        let audit = snapshot.verify_audit().await?;
        Ok::<_, StoreError>((counts, evidence, audit))
    }
    .await;
    snapshot.close().await;
    let (counts, evidence, audit) = read?;

    let files = store.evidence_files();
    let mut members = vec![
        ("ozodi.db".to_owned(), scratch.path().join("ozodi.db")),
        ("ozodi.access.db".to_owned(), crate::access_log_path(&scratch.path().join("ozodi.db"))),
    ];
    let mut entries = Vec::with_capacity(evidence.len());
    for item in &evidence {
        let id = item.id.to_string();
        let (_, dir) = files.of(item.identity);
        let path = blob_path(dir, &id).map_err(|_| BackupError::Check(format!("evidence id {id}")))?;
        members.push((format!("{}/{id}.blob", compartment(item.identity)), path));
        entries.push(EvidenceEntry {
            id,
            identity: item.identity,
            size: item.size,
            sha256: item.sha256.clone(),
        });
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: OffsetDateTime::now_utc(),
        ozodi_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: crate::sqlite::schema_version(),
        counts,
        audit_break: audit.err().map(|b| b.to_string()),
        members: Vec::new(),
        evidence: entries,
    };
    let key = ArchiveKey::new(store.data_key());
    let dest = dest.to_owned();
    let progress_total: u64 = members.iter().filter_map(|(_, p)| fs::metadata(p).ok()).map(|m| m.len()).sum();
    let written = blocking_with_progress(
        move |done| write_archive(&dest, &key, &key_bytes, members, manifest, done),
        |done| progress(Progress::Writing { done, total: progress_total }),
    )
    .await;
    drop(scratch);
    written
}

/// Runs `job` (file work that blocks) off the async runtime, passing each byte count it reports on
/// to `report` as it comes.
async fn blocking_with_progress<T: Send + 'static>(
    job: impl FnOnce(&dyn Fn(u64)) -> Result<T, BackupError> + Send + 'static,
    report: impl Fn(u64),
) -> Result<T, BackupError> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let running = tokio::task::spawn_blocking(move || {
        job(&|done| {
            let _ = tx.send(done);
        })
    });
    let mut running = std::pin::pin!(running);
    loop {
        tokio::select! {
            done = rx.recv() => if let Some(done) = done {
                report(done);
            },
            result = &mut running => break result.map_err(|_| BackupError::Task)?,
        }
    }
}

fn compartment(identity: bool) -> &'static str {
    if identity { "identity-files" } else { "evidence" }
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned()
}

/// A directory only the owner can enter, removed when dropped.
fn private_dir(parent: &Path, prefix: &str) -> Result<tempfile::TempDir, BackupError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .tempdir_in(parent)
        .map_err(io_at(parent))
}

/// A reader that hashes and counts what passes through it, and tells `progress` the running
/// total (`before` plus what it read) every [`PROGRESS_STEP`] bytes.
struct Hashing<'a, R> {
    inner: R,
    hasher: Sha256,
    size: u64,
    before: u64,
    progress: &'a dyn Fn(u64),
}

const PROGRESS_STEP: u64 = 64 << 20;

impl<'a, R> Hashing<'a, R> {
    fn new(inner: R, before: u64, progress: &'a dyn Fn(u64)) -> Self {
        Hashing { inner, hasher: Sha256::new(), size: 0, before, progress }
    }
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        let crossed = (self.size + n as u64) / PROGRESS_STEP > self.size / PROGRESS_STEP;
        self.size += n as u64;
        if crossed {
            (self.progress)(self.before + self.size);
        }
        Ok(n)
    }
}

fn tar_header(size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    header
}

fn write_archive(
    dest: &Path,
    key: &ArchiveKey,
    key_file: &[u8],
    members: Vec<(String, PathBuf)>,
    mut manifest: Manifest,
    progress: &dyn Fn(u64),
) -> Result<Manifest, BackupError> {
    let parent = parent_of(dest);
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Owner-only, under a random name; removed on drop unless linked into place below.
    let staged = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .tempfile_in(&parent)
        .map_err(io_at(&parent))?;
    let tmp = staged.path().to_owned();
    let file = staged.as_file().try_clone().map_err(io_at(&tmp))?;
    let result = (|| {
        let writer = ArchiveWriter::new(BufWriter::with_capacity(256 * 1024, file), key, key_file)
            .map_err(io_at(&tmp))?;
        let mut tar = tar::Builder::new(writer);
        let mut done = 0u64;
        for (member, path) in members {
            let source = File::open(&path).map_err(io_at(&path))?;
            let size = source.metadata().map_err(io_at(&path))?.len();
            let mut hashing = Hashing::new(source.take(size), done, progress);
            tar.append_data(&mut tar_header(size), &member, &mut hashing).map_err(io_at(&path))?;
            if hashing.size != size {
                return Err(BackupError::Check(format!("{member} changed while it was being copied")));
            }
            done += size;
            progress(done);
            manifest.members.push(Member {
                name: member,
                size,
                sha256: hex::encode(hashing.hasher.finalize()),
            });
        }
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| io_at(&tmp)(io::Error::other(e)))?;
        tar.append_data(&mut tar_header(json.len() as u64), MANIFEST, json.as_slice())
            .map_err(io_at(&tmp))?;
        let writer = tar.into_inner().map_err(io_at(&tmp))?;
        let buffered = writer.finish().map_err(io_at(&tmp))?;
        let file = buffered.into_inner().map_err(|e| io_at(&tmp)(e.into_error()))?;
        file.sync_all().map_err(io_at(&tmp))?;
        // A hard link fails if the destination exists: no window between check and write.
        fs::hard_link(&tmp, dest).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => BackupError::Exists(dest.to_owned()),
            _ => io_at(dest)(e),
        })?;
        File::open(&parent).and_then(|d| d.sync_all()).map_err(io_at(&parent))?;
        Ok(manifest)
    })();
    drop(staged);
    result
}

/// Reads an archive's header: the key file that opens it.
pub fn read_header(archive: &Path) -> Result<ArchiveHeader, BackupError> {
    let mut file = File::open(archive).map_err(io_at(archive))?;
    ArchiveHeader::read(&mut file)
        .map_err(io_at(archive))?
        .ok_or_else(|| BackupError::NotAnArchive(archive.to_owned()))
}

/// Unwraps the data key of the instance an archive holds with its passphrase.
pub async fn unwrap_key(archive: &Path, passphrase: &str) -> Result<DataKey, BackupError> {
    let header = read_header(archive)?;
    let text = String::from_utf8(header.key_file().to_vec())
        .map_err(|_| BackupError::NotAnArchive(archive.to_owned()))?;
    let file = KeyFile::parse(&text, archive).map_err(|_| BackupError::NotAnArchive(archive.to_owned()))?;
    let pass = passphrase.to_owned();
    match tokio::task::spawn_blocking(move || file.unwrap_key(&pass)).await.map_err(|_| BackupError::Task)? {
        Ok(key) => Ok(key),
        Err(VaultError::WrongPassphrase) => Err(BackupError::WrongPassphrase),
        Err(e) => Err(BackupError::Instance(e.into())),
    }
}

/// Checks an archive by restoring it into a private directory under `scratch_parent` and checking
/// everything there (see the module's documentation); removes that directory after.
pub async fn verify(
    archive: &Path,
    key: &DataKey,
    scratch_parent: &Path,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Manifest, BackupError> {
    let scratch = private_dir(scratch_parent, ".ozodi-verify-")?;
    let dir = scratch.path().join("instance");
    let manifest = unpack_and_check(archive, key, &dir, progress).await;
    drop(scratch);
    manifest
}

/// Restores an archive into `target`, a data directory that must not exist yet or be empty. The
/// instance is unpacked and checked beside it and moved into place only once every check passed.
pub async fn restore(
    archive: &Path,
    key: &DataKey,
    target: &Path,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Manifest, BackupError> {
    let occupied = match fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_at(target)(e)),
    };
    if occupied || Instance::at(target).exists() {
        return Err(BackupError::TargetNotEmpty(target.to_owned()));
    }
    let parent = parent_of(target);
    fs::DirBuilder::new().recursive(true).mode(0o700).create(&parent).map_err(io_at(&parent))?;
    let scratch = private_dir(&parent, ".ozodi-restore-")?;
    let staged = scratch.path().join("instance");
    let manifest = unpack_and_check(archive, key, &staged, progress).await?;
    if target.exists() {
        fs::remove_dir(target).map_err(io_at(target))?;
    }
    fs::rename(&staged, target).map_err(io_at(target))?;
    File::open(&parent).and_then(|d| d.sync_all()).map_err(io_at(&parent))?;
    drop(scratch);
    Ok(manifest)
}

async fn unpack_and_check(
    archive: &Path,
    key: &DataKey,
    dir: &Path,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Manifest, BackupError> {
    fs::DirBuilder::new().mode(0o700).create(dir).map_err(io_at(dir))?;
    let (archive_path, dir_path, archive_key) = (archive.to_owned(), dir.to_owned(), ArchiveKey::new(key));
    let manifest = blocking_with_progress(
        move |done| unpack(&archive_path, &archive_key, &dir_path, done),
        |done| progress(Progress::Unpacking { done }),
    )
    .await?;
    if manifest.schema_version > crate::sqlite::schema_version() {
        return Err(BackupError::NewerSchema {
            archive: manifest.schema_version,
            known: crate::sqlite::schema_version(),
        });
    }
    progress(Progress::Verifying);
    let store = Instance::at(dir).open_with_key(key).await?;
    let checked = check_instance(&store, &manifest).await;
    store.close().await;
    checked?;
    Ok(manifest)
}

/// The unpacked instance against its manifest: audit chains, counts, every evidence file.
async fn check_instance(store: &SqliteStore, manifest: &Manifest) -> Result<(), BackupError> {
    if let Err(brk) = store.verify_audit().await? {
        // A chain already broken when the backup was taken is reported as such: the backup is
        // still a faithful copy, and restoring it is how that state is examined.
        if manifest.audit_break.as_deref() != Some(brk.to_string().as_str()) {
            return Err(BackupError::Check(format!("the audit trail is broken: {brk}")));
        }
    }
    if manifest.schema_version == crate::sqlite::schema_version() {
        let counts = store.counts().await?;
        if counts != manifest.counts {
            let differing: Vec<String> = manifest
                .counts
                .iter()
                .filter(|(name, n)| counts.get(*name) != Some(n))
                .map(|(name, n)| {
                    format!(
                        "{name}: {n} in the manifest, {} restored",
                        counts.get(name).copied().unwrap_or(0)
                    )
                })
                .collect();
            return Err(BackupError::Check(format!("counts differ ({})", differing.join("; "))));
        }
    }
    let recorded = store.all_evidence().await?;
    if recorded.len() != manifest.evidence.len() {
        return Err(BackupError::Check(format!(
            "{} evidence items in the database, {} in the manifest",
            recorded.len(),
            manifest.evidence.len()
        )));
    }
    let files = store.evidence_files();
    for item in &recorded {
        let id = item.id.to_string();
        let listed = manifest.evidence.iter().any(|e| {
            e.id == id && e.identity == item.identity && e.sha256 == item.sha256 && e.size == item.size
        });
        if !listed {
            return Err(BackupError::Check(format!(
                "evidence {} differs from the manifest",
                item.reference()
            )));
        }
        let (blob_key, blob_dir) = files.of(item.identity);
        let path = blob_path(blob_dir, &id).map_err(|_| BackupError::Check(format!("evidence id {id}")))?;
        match verify_blob(blob_key, &id, &path).await {
            Ok(digest) if hex::encode(digest.sha256) == item.sha256 && digest.size == item.size => {}
            Ok(_) => {
                return Err(BackupError::Check(format!(
                    "evidence {} does not match its recorded SHA-256",
                    item.reference()
                )));
            }
            Err(e) => return Err(BackupError::Check(format!("evidence {}: {e}", item.reference()))),
        }
    }
    Ok(())
}

/// Whether `name` is a member an archive may hold, and so a safe relative path to write.
fn allowed_member(name: &str) -> bool {
    if matches!(name, "ozodi.db" | "ozodi.access.db") {
        return true;
    }
    let Some((dir, file)) = name.split_once('/') else { return false };
    let Some(id) = file.strip_suffix(".blob") else { return false };
    matches!(dir, "evidence" | "identity-files")
        && (1..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Reads through an archive, writing its members into `dir` (and the key file from its header),
/// and returns its manifest once every member matched it.
fn unpack(
    archive: &Path,
    key: &ArchiveKey,
    dir: &Path,
    progress: &dyn Fn(u64),
) -> Result<Manifest, BackupError> {
    let mut input = BufReader::with_capacity(256 * 1024, File::open(archive).map_err(io_at(archive))?);
    let header = ArchiveHeader::read(&mut input)
        .map_err(io_at(archive))?
        .ok_or_else(|| BackupError::NotAnArchive(archive.to_owned()))?;
    let damage = Arc::new(AtomicBool::new(false));
    let reader = Watch { inner: ArchiveReader::new(input, &header, key), damage: damage.clone() };
    let failed = |e: io::Error| {
        if damage.load(Ordering::SeqCst) || is_damage(&e) {
            BackupError::Damaged(archive.to_owned())
        } else {
            io_at(archive)(e)
        }
    };
    let inconsistent = |reason: String| BackupError::Inconsistent { path: archive.to_owned(), reason };
    let mut tar = tar::Archive::new(reader);
    let mut found: Vec<Member> = Vec::new();
    let mut manifest: Option<Manifest> = None;
    let mut done = 0u64;
    for entry in tar.entries().map_err(failed)? {
        let mut entry = entry.map_err(failed)?;
        let name = entry.path().map_err(failed)?.to_string_lossy().into_owned();
        if manifest.is_some() {
            return Err(inconsistent(format!("{name} after the manifest")));
        }
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(inconsistent(format!("{name} is not a regular file")));
        }
        if name == MANIFEST {
            let mut json = Vec::new();
            (&mut entry).take(MAX_MANIFEST).read_to_end(&mut json).map_err(failed)?;
            let parsed: Manifest =
                serde_json::from_slice(&json).map_err(|_| BackupError::NotAnArchive(archive.to_owned()))?;
            if parsed.format != FORMAT {
                return Err(BackupError::NotAnArchive(archive.to_owned()));
            }
            manifest = Some(parsed);
            continue;
        }
        if !allowed_member(&name) || found.iter().any(|m| m.name == name) {
            return Err(inconsistent(format!("unexpected member {name}")));
        }
        let path = dir.join(&name);
        if let Some(sub) = path.parent() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(sub).map_err(io_at(sub))?;
        }
        let out =
            OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).map_err(io_at(&path))?;
        let mut out = BufWriter::with_capacity(256 * 1024, out);
        let mut hashing = Hashing::new(&mut entry, done, progress);
        copy(&mut hashing, &mut out, &path, &failed)?;
        let file = out.into_inner().map_err(|e| io_at(&path)(e.into_error()))?;
        file.sync_all().map_err(io_at(&path))?;
        done += hashing.size;
        progress(done);
        found.push(Member { name, size: hashing.size, sha256: hex::encode(hashing.hasher.finalize()) });
    }
    // Read to the very end: the last chunk's tag is what proves the archive was not cut.
    let mut rest = tar.into_inner();
    io::copy(&mut rest, &mut io::sink()).map_err(failed)?;
    let manifest = manifest.ok_or_else(|| inconsistent("no manifest".into()))?;
    if found != manifest.members {
        let missing: Vec<&str> =
            manifest.members.iter().filter(|m| !found.contains(m)).map(|m| m.name.as_str()).collect();
        return Err(inconsistent(format!("members differ from the manifest: {}", missing.join(", "))));
    }
    let key_path = dir.join("key.json");
    let mut key_file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&key_path)
        .map_err(io_at(&key_path))?;
    key_file.write_all(header.key_file()).map_err(io_at(&key_path))?;
    key_file.sync_all().map_err(io_at(&key_path))?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(io_at(dir))?;
    Ok(manifest)
}

fn copy(
    from: &mut impl Read,
    to: &mut impl Write,
    path: &Path,
    failed: &dyn Fn(io::Error) -> BackupError,
) -> Result<(), BackupError> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(failed(e)),
        };
        to.write_all(&buf[..n]).map_err(io_at(path))?;
    }
}

/// Remembers whether the archive failed authentication, whatever a parser makes of the error.
struct Watch<R> {
    inner: R,
    damage: Arc<AtomicBool>,
}

impl<R: Read> Read for Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if is_damage(e) {
                self.damage.store(true, Ordering::SeqCst);
            }
        })
    }
}
