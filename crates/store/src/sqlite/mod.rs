//! The SQLite + SQLCipher implementation of [`Store`]. The database is opened with a raw 256-bit
//! key derived from the instance data key (no per-connection PBKDF2), in WAL mode with
//! `synchronous=FULL` so an acknowledged write survives a crash, and migrated at open.

mod audit;
mod backup;
mod cases;
mod evidence;
mod facts;
mod intake;
mod ip;
mod legal;
mod monitoring;
mod persons;
mod records;
mod rehab;
mod search;
mod site;
mod stats;
mod training;
mod users;
mod vocab;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use ozodi_domain::{DisplayName, RoleSet, UserId, Username};
use ozodi_vault::{DataKey, SubKeyPurpose};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};
use time::OffsetDateTime;

use crate::{
    AuditFilter, AuditReport, AuditRow, CaseFields, CaseRecord, NewAuditEntry, NewUser, RecordVersion,
    Session, Store, StoreError, StoreResult, StoredTerm, TeamMember, Trail, TrailBreak, User, VocabSync,
};
use crate::{PersonFields, PersonRecord};
use ozodi_domain::case::CaseId;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
static ACCESS_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations-access");

/// The access log of the database at `path`: `ozodi.db` → `ozodi.access.db`, next to it.
pub fn access_log_path(path: &Path) -> std::path::PathBuf {
    path.with_extension("access.db")
}

/// Whether [`SqliteStore::open`] may create the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// A new instance: the file must not exist yet.
    Create,
    /// An existing instance: the file must exist and open with the key.
    Existing,
    /// An existing instance being filled by a bulk load (the demo and the benchmark dataset):
    /// nothing is synced to disk until [`Store::close`], and the search index is not kept up to
    /// date change by change but rebuilt once, at the latest by `close`, which then checkpoints
    /// and syncs the file. A crash during such a load can lose or damage what was loaded, so it
    /// is only for data that can be loaded again; never for a server.
    BulkLoad,
}

/// The SQLCipher-backed store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// Readers (`query_only`). Several, so pages are read in parallel.
    pool: SqlitePool,
    /// The one connection that writes. One writer is all SQLite allows at a time anyway, and a
    /// connection's page cache survives only its own writes: with every write on this connection
    /// its cache stays warm (decrypting pages is the main cost of a cold read under SQLCipher).
    writer: SqlitePool,
    /// The access log: the stand-alone audit entries, in their own file and chain
    /// ([`crate::Trail::Access`]). A commit there leaves the readers' caches of the main database
    /// warm; every read of a case page is one such commit.
    access: SqlitePool,
    /// The file, for the final sync of a bulk load and for backups.
    path: std::path::PathBuf,
    /// The data key, for opening a backup's snapshot of this instance (the store holds every
    /// subkey derived from it anyway).
    key: std::sync::Arc<ozodi_vault::DataKey>,
    /// Set in [`OpenMode::BulkLoad`]: the search index is stale since the last rebuild.
    bulk: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The identity compartment's cipher (its own subkey of the data key).
    identity: std::sync::Arc<ozodi_vault::field::FieldCipher>,
    /// The evidence key and directory (next to the database).
    evidence: std::sync::Arc<crate::EvidenceFiles>,
    /// The blind index key of names.
    names: std::sync::Arc<ozodi_vault::blind::NameIndex>,
    /// Sessions as last read (see [`SessionCache`]).
    sessions: std::sync::Arc<SessionCache>,
    /// Vocabulary lists as last read: every form and page needs several, and they change only
    /// through this store (each change empties the cache after its commit).
    /// Shared, not copied: a case page reads five lists, some of hundreds of terms.
    vocab_cache:
        std::sync::Arc<std::sync::RwLock<std::collections::HashMap<String, std::sync::Arc<Vec<StoredTerm>>>>>,
    /// Stand-alone audit entries (every read of a case page is one) go through one writer task
    /// that commits whatever is waiting to the access log in a single transaction: group commit. A caller still gets
    /// its answer only after its entry is durable.
    audit_queue: tokio::sync::mpsc::Sender<(NewAuditEntry, tokio::sync::oneshot::Sender<StoreResult<i64>>)>,
    /// Lines, staff and open alerts as last read (every page shows the alerts to the people they
    /// go to); emptied after each change to them, and kept at most [`INTAKE_TTL`] (another
    /// process may write the same file).
    intake_cache: std::sync::Arc<std::sync::Mutex<Option<CachedIntake>>>,
    /// The statistics' facts in memory ([`crate::facts`]), brought up to the last committed
    /// change before each figure.
    stats_facts: facts::Shared,
}

/// The intake snapshot and when it was read.
type CachedIntake = (std::time::Instant, std::sync::Arc<crate::intake::IntakeSnapshot>);

/// How long the intake snapshot is trusted without re-reading.
const INTAKE_TTL: Duration = Duration::from_secs(2);

/// Sessions (with their users) as last read: every request of a logged-in user looks its session
/// up. Every change to sessions or accounts empties it after writing, and an entry read while
/// such a change was under way is not kept (the generation moved on). Entries also expire after
/// [`SessionCache::TTL`], bounding what another process writing the same file could leave stale.
#[derive(Debug, Default)]
struct SessionCache {
    generation: std::sync::atomic::AtomicU64,
    entries: std::sync::Mutex<std::collections::HashMap<Vec<u8>, (std::time::Instant, Session, User)>>,
}

impl SessionCache {
    const TTL: Duration = Duration::from_secs(2);
    const MAX: usize = 10_000;

    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn get(&self, token_hash: &[u8]) -> Option<(Session, User)> {
        let entries = self.entries.lock().ok()?;
        let (at, session, user) = entries.get(token_hash)?;
        (at.elapsed() < Self::TTL).then(|| (session.clone(), user.clone()))
    }

    /// Keeps what was read, unless something changed since `generation` was taken before reading.
    fn put(&self, token_hash: &[u8], generation: u64, (session, user): &(Session, User)) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if self.generation() != generation {
            return;
        }
        if entries.len() >= Self::MAX {
            entries.retain(|_, (at, _, _)| at.elapsed() < Self::TTL);
        }
        if entries.len() < Self::MAX {
            entries.insert(token_hash.to_vec(), (std::time::Instant::now(), session.clone(), user.clone()));
        }
    }

    /// After any change to sessions or accounts (also after a failed one: it may have committed).
    fn forget(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        entries.clear();
    }
}

/// The group-commit writer of stand-alone audit entries: waits for one, takes every other entry
/// already waiting (up to 256), appends them in one statement and answers each caller.
///
/// It is the only writer of the access log in this process, so it keeps the trail's head from
/// its last commit and each batch is a single self-committing insert. The head is read again
/// (inside `BEGIN IMMEDIATE`) at the start and after any failure: if another process appended in
/// between, the insert's entry numbers are already taken, it fails without writing, and the
/// batch is retried that way. If a batch still fails, each entry is retried on its own so every
/// caller gets its own answer.
async fn audit_writer(
    pool: SqlitePool,
    mut queue: tokio::sync::mpsc::Receiver<(NewAuditEntry, tokio::sync::oneshot::Sender<StoreResult<i64>>)>,
) {
    async fn append_reading_head(
        pool: &SqlitePool,
        entries: &[&NewAuditEntry],
    ) -> StoreResult<(Vec<i64>, audit::Head)> {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let head = audit::head(&mut tx).await?;
        let appended = audit::append_after(&mut tx, head, entries).await?;
        tx.commit().await?;
        Ok(appended)
    }
    async fn append_after(
        pool: &SqlitePool,
        head: audit::Head,
        entries: &[&NewAuditEntry],
    ) -> StoreResult<(Vec<i64>, audit::Head)> {
        let mut conn = pool.acquire().await?;
        audit::append_after(&mut conn, head, entries).await
    }
    let mut head: Option<audit::Head> = None;
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match queue.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let entries: Vec<&NewAuditEntry> = batch.iter().map(|(e, _)| e).collect();
        let appended = match head.take() {
            Some(known) => match append_after(&pool, known, &entries).await {
                Ok(appended) => Ok(appended),
                Err(_) => append_reading_head(&pool, &entries).await,
            },
            None => append_reading_head(&pool, &entries).await,
        };
        match appended {
            Ok((seqs, new_head)) => {
                head = Some(new_head);
                for ((_, reply), seq) in batch.into_iter().zip(seqs) {
                    let _ = reply.send(Ok(seq));
                }
            }
            Err(_) => {
                for (entry, reply) in batch {
                    let answer = append_reading_head(&pool, &[&entry])
                        .await
                        .map(|(seqs, _)| seqs.first().copied().unwrap_or(0));
                    let _ = reply.send(answer);
                }
            }
        }
    }
}

pub use backup::schema_version;

/// sqlx counts a connection's open transactions itself. When SQLite ends a transaction on its own
/// (a COMMIT that fails because the disk is full rolls back), the ROLLBACK sqlx sends when the
/// transaction is dropped fails, its count stays up, and every later `BEGIN` on that connection is
/// refused: writing would never resume, even once space is freed. So a connection handed out while
/// still "in a transaction" (after its queued ROLLBACK had its chance) is replaced by a new one.
fn replace_stuck_connections(options: SqlitePoolOptions) -> SqlitePoolOptions {
    options.before_acquire(|conn, _| {
        Box::pin(async move {
            use sqlx::Connection;
            if !conn.is_in_transaction() {
                return Ok(true);
            }
            conn.ping().await?;
            Ok(!conn.is_in_transaction())
        })
    })
}

/// Writes one row of the shared version history (`record_versions`): the values after a change
/// to a document kept outside the records table (an evaluation, a training).
pub(super) async fn version_row(
    conn: &mut sqlx::SqliteConnection,
    entity: &str,
    id: &str,
    version: i64,
    data: &ozodi_domain::record::Data,
    who: (UserId, OffsetDateTime),
    change: &str,
) -> StoreResult<()> {
    version_json(conn, entity, id, version, &data.to_json(), who, change).await
}

/// [`version_row`] for a document that is not a schema's `Data` (a page of the site, a case's
/// public summary): the JSON as it is.
pub(super) async fn version_json(
    conn: &mut sqlx::SqliteConnection,
    entity: &str,
    id: &str,
    version: i64,
    json: &serde_json::Value,
    (by, at): (UserId, OffsetDateTime),
    change: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO record_versions (entity, record_id, version, at, actor, change, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(entity)
    .bind(id)
    .bind(version)
    .bind(micros(at))
    .bind(by.to_string())
    .bind(change)
    .bind(json.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1000) as i64
}

pub(crate) fn from_micros(m: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(m) * 1000).map_err(|_| StoreError::Corrupt("time"))
}

fn classify(path: &Path, err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.code().as_deref() == Some("26")
    {
        return StoreError::NotOurDatabase(path.to_owned());
    }
    StoreError::Database(err)
}

/// Opens the access log next to the main database (creating it the first time) and checks that
/// it is the one the main database recorded: a missing or swapped log is refused, never replaced
/// by an empty one.
async fn open_access_log(
    path: &Path,
    key: &DataKey,
    main: &SqlitePool,
    synchronous: SqliteSynchronous,
) -> StoreResult<SqlitePool> {
    let file = access_log_path(path);
    let linked: Option<String> = sqlx::query_scalar("SELECT id FROM access_log").fetch_optional(main).await?;
    if linked.is_some() && !file.exists() {
        return Err(StoreError::AccessLog(file));
    }
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(StoreError::Database)?
        .filename(&file)
        .create_if_missing(linked.is_none())
        .pragma("key", format!("\"x'{}'\"", key.derive(SubKeyPurpose::AccessLog).to_hex().as_str()))
        .pragma("cache_size", "-2048")
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Checkpoints run beside the writer (see `checkpoint_access_log`), not inside a commit
        // that pages are waiting for.
        .pragma("wal_autocheckpoint", "0");
    // One connection for the group-commit writer, one for browsing, verifying and checkpoints.
    let access = replace_stuck_connections(SqlitePoolOptions::new())
        .test_before_acquire(false)
        .max_connections(2)
        .connect_with(options)
        .await
        .map_err(|e| match classify(&file, e) {
            StoreError::NotOurDatabase(_) => StoreError::AccessLog(file.clone()),
            other => other,
        })?;
    let checked = async {
        ACCESS_MIGRATIONS.run(&access).await?;
        let mut tx = access.begin_with("BEGIN IMMEDIATE").await?;
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM identity").fetch_optional(&mut *tx).await?;
        let id = match id {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                sqlx::query("INSERT INTO identity (id, created_at) VALUES (?, ?)")
                    .bind(&id)
                    .bind(micros(OffsetDateTime::now_utc()))
                    .execute(&mut *tx)
                    .await?;
                id
            }
        };
        tx.commit().await?;
        match linked {
            Some(linked) if linked != id => Err(StoreError::AccessLog(file.clone())),
            Some(_) => Ok(()),
            None => {
                sqlx::query("INSERT INTO access_log (id, created_at) VALUES (?, ?)")
                    .bind(&id)
                    .bind(micros(OffsetDateTime::now_utc()))
                    .execute(main)
                    .await?;
                Ok(())
            }
        }
    }
    .await;
    match checked {
        Ok(()) => {
            tokio::spawn(checkpoint_access_log(access.clone()));
            Ok(access)
        }
        Err(e) => {
            access.close().await;
            Err(e)
        }
    }
}

/// Moves the access log's write-ahead log into its file once a second with a passive checkpoint,
/// which does not hold up the writer: every case page waits for its entry's commit, and a
/// checkpoint inside that commit (SQLite's default, every 1,000 pages) made every page waiting
/// then wait for the copy and its sync. Ends when the store closes.
async fn checkpoint_access_log(access: SqlitePool) {
    let mut every = tokio::time::interval(Duration::from_secs(1));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if access.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&access).await {
            if access.is_closed() {
                return;
            }
            tracing::warn!(error = %e, "access log checkpoint failed; trying again");
        }
    }
}

impl SqliteStore {
    /// Opens (or, with [`OpenMode::Create`], creates) the encrypted database at `path`, checks that
    /// SQLCipher is really in use and applies pending migrations. Call [`Store::close`] before the
    /// process exits: SQLite worker threads still closing SQLCipher connections can race OpenSSL's
    /// exit-time teardown (seen as a SIGSEGV at exit in tests that dropped an open store). Fails closed: a wrong key or a
    /// foreign file yields [`StoreError::NotOurDatabase`] and nothing is written.
    pub async fn open(path: &Path, key: &DataKey, mode: OpenMode) -> StoreResult<Self> {
        match mode {
            OpenMode::Existing | OpenMode::BulkLoad if !path.exists() => {
                return Err(StoreError::Missing(path.to_owned()));
            }
            OpenMode::Create if path.exists() || access_log_path(path).exists() => {
                return Err(StoreError::Conflict);
            }
            _ => {}
        }
        let hex = key.derive(SubKeyPurpose::Database).to_hex();
        let bulk = mode == OpenMode::BulkLoad;
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(StoreError::Database)?
            .filename(path)
            .create_if_missing(mode == OpenMode::Create)
            .pragma("key", format!("\"x'{}'\"", hex.as_str()))
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(if bulk { SqliteSynchronous::Off } else { SqliteSynchronous::Full })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // Page caches in KiB (negative: SQLite's unit for "kibibytes").
        // No ping before each use: a pooled SQLite connection is a file handle in this process, and
        // the ping is one more round trip to its worker thread for every query.
        let writer = replace_stuck_connections(SqlitePoolOptions::new())
            .test_before_acquire(false)
            .max_connections(1)
            .min_connections(1)
            .connect_with(options.clone().pragma("cache_size", "-32768"))
            .await
            .map_err(|e| classify(path, e))?;
        let cipher: Option<String> = sqlx::query_scalar("PRAGMA cipher_version")
            .fetch_optional(&writer)
            .await
            .map_err(|e| classify(path, e))?;
        if cipher.as_deref().is_none_or(str::is_empty) {
            writer.close().await;
            return Err(StoreError::NoEncryption);
        }
        if let Err(e) = MIGRATIONS.run(&writer).await {
            writer.close().await;
            return Err(e.into());
        }
        // An instance from before the statistics gets their facts once.
        let backfilled = async {
            let mut conn = writer.acquire().await?;
            stats::backfill(&mut conn).await
        };
        if let Err(e) = backfilled.await {
            writer.close().await;
            return Err(e);
        }
        let pool = match SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(6)
            .min_connections(1)
            .connect_with(options.pragma("cache_size", "-4096").pragma("query_only", "ON"))
            .await
        {
            Ok(pool) => pool,
            Err(e) => {
                writer.close().await;
                return Err(classify(path, e));
            }
        };
        let identity = std::sync::Arc::new(ozodi_vault::field::FieldCipher::identity(key));
        let evidence = std::sync::Arc::new(crate::EvidenceFiles {
            key: ozodi_vault::blob::BlobKey::new(key),
            dir: path.parent().unwrap_or(Path::new(".")).join("evidence"),
            identity_key: ozodi_vault::blob::BlobKey::identity(key),
            identity_dir: path.parent().unwrap_or(Path::new(".")).join("identity-files"),
        });
        let names = std::sync::Arc::new(ozodi_vault::blind::NameIndex::new(key));
        let access = match open_access_log(
            path,
            key,
            &writer,
            if bulk { SqliteSynchronous::Off } else { SqliteSynchronous::Full },
        )
        .await
        {
            Ok(access) => access,
            Err(e) => {
                pool.close().await;
                writer.close().await;
                return Err(e);
            }
        };
        let (audit_queue, queue) = tokio::sync::mpsc::channel(1024);
        tokio::spawn(audit_writer(access.clone(), queue));
        Ok(SqliteStore {
            pool,
            writer,
            access,
            path: path.to_owned(),
            key: std::sync::Arc::new(key.clone()),
            bulk: bulk.then(|| std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false))),
            identity,
            evidence,
            names,
            vocab_cache: Default::default(),
            sessions: Default::default(),
            audit_queue,
            intake_cache: Default::default(),
            stats_facts: Default::default(),
        })
    }

    /// Starts a write transaction that takes the write lock at once, so concurrent writers queue
    /// instead of failing on a stale snapshot (and the audit sequence never forks).
    async fn write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Refreshes the search document of a case in a write transaction (in a bulk load: marks the
    /// index stale instead).
    async fn reindex(&self, conn: &mut sqlx::SqliteConnection, case: CaseId) -> StoreResult<()> {
        match &self.bulk {
            Some(stale) => {
                stale.store(true, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
            None => search::reindex_case(conn, case).await,
        }
    }

    /// Refreshes the search documents a record's change affects: its case's, or for a facility
    /// every case with an act at that place.
    async fn reindex_for(
        &self,
        conn: &mut sqlx::SqliteConnection,
        record: &crate::Record,
    ) -> StoreResult<()> {
        if let Some(case) = record.case_id {
            return self.reindex(conn, case).await;
        }
        if let Some(stale) = &self.bulk {
            stale.store(true, std::sync::atomic::Ordering::Relaxed);
            return Ok(());
        }
        let cases: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT a.case_id FROM record_refs rr JOIN records a ON a.id = rr.record_id \
             WHERE rr.target = ? AND rr.field = 'facility' AND a.case_id IS NOT NULL",
        )
        .bind(record.id.to_string())
        .fetch_all(&mut *conn)
        .await?;
        for case in cases {
            self.reindex(conn, CaseId::parse(&case).ok_or(StoreError::Corrupt("records.case_id"))?).await?;
        }
        Ok(())
    }

    /// Ends a bulk load ([`OpenMode::BulkLoad`]): rebuilds the search index if anything changed
    /// since the last rebuild, moves everything from the WAL into the main file and syncs it. From
    /// then on the file is an ordinary instance. Does nothing for a store opened otherwise;
    /// [`Store::close`] calls it too, but only a caller of this learns whether it failed.
    pub async fn finish_bulk_load(&self) -> StoreResult<()> {
        let Some(stale) = &self.bulk else { return Ok(()) };
        if stale.load(std::sync::atomic::Ordering::Relaxed) {
            self.rebuild_search_index().await?;
        }
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.writer).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.access).await?;
        for file in [self.path.clone(), access_log_path(&self.path)] {
            std::fs::File::open(file)
                .and_then(|f| f.sync_all())
                .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        }
        Ok(())
    }

    /// Empties the vocabulary cache (after a change to any list).
    fn forget_intake(&self) {
        if let Ok(mut cache) = self.intake_cache.lock() {
            *cache = None;
        }
    }

    fn forget_vocabularies(&self) {
        if let Ok(mut cache) = self.vocab_cache.write() {
            cache.clear();
        }
    }

    /// The journal mode and `synchronous` level a pooled connection actually runs with, and the
    /// SQLCipher version: for `--version`-style diagnostics and the durability test.
    pub async fn durability(&self) -> StoreResult<(String, i64, String)> {
        let mut conn = self.pool.acquire().await?;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
        let cipher: String = sqlx::query_scalar("PRAGMA cipher_version").fetch_one(&mut *conn).await?;
        Ok((mode, sync, cipher))
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_user(&self, user: NewUser, audit: NewAuditEntry) -> StoreResult<UserId> {
        let mut tx = self.write().await?;
        let id = users::insert(&mut tx, &user, audit.at).await?;
        let mut audit = audit;
        audit.subject = Some(id.to_string());
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        users::by_id(&self.pool, id).await
    }

    async fn user_for_login(&self, username: &Username) -> StoreResult<Option<(User, String)>> {
        users::for_login(&self.pool, username).await
    }

    async fn password_hash(&self, id: UserId) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        users::all(&self.pool).await
    }

    async fn active_admin_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM users JOIN user_roles ON user_roles.user_id = users.id \
             WHERE user_roles.role = 'admin' AND users.disabled = 0",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn set_roles(&self, id: UserId, roles: RoleSet, audit: NewAuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        users::touch(&mut tx, id, audit.at).await?;
        users::replace_roles(&mut tx, id, roles).await?;
        audit::append(&mut tx, &audit).await?;
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn set_display_name(
        &self,
        id: UserId,
        name: &DisplayName,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        users::touch(&mut tx, id, audit.at).await?;
        sqlx::query("UPDATE users SET display_name = ? WHERE id = ?")
            .bind(name.as_str())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        audit::append(&mut tx, &audit).await?;
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, audit: NewAuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        users::touch(&mut tx, id, audit.at).await?;
        sqlx::query("UPDATE users SET disabled = ? WHERE id = ?")
            .bind(disabled)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        if disabled {
            users::delete_sessions(&mut tx, id).await?;
        }
        audit::append(&mut tx, &audit).await?;
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        must_change: bool,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        users::touch(&mut tx, id, audit.at).await?;
        sqlx::query("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?")
            .bind(password_hash)
            .bind(must_change)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        users::delete_sessions(&mut tx, id).await?;
        audit::append(&mut tx, &audit).await?;
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn set_language(&self, id: UserId, language: &str) -> StoreResult<()> {
        let done = sqlx::query("UPDATE users SET language = ? WHERE id = ?")
            .bind(language)
            .bind(id.to_string())
            .execute(&self.writer)
            .await;
        self.sessions.forget();
        if done?.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_session(&self, token_hash: &[u8], s: &Session, audit: NewAuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(s.user_id.to_string())
        .bind(&s.csrf_token)
        .bind(micros(s.created_at))
        .bind(micros(s.last_seen_at))
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, &audit).await?;
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn session(&self, token_hash: &[u8]) -> StoreResult<Option<(Session, User)>> {
        if let Some(found) = self.sessions.get(token_hash) {
            return Ok(Some(found));
        }
        let generation = self.sessions.generation();
        let found = users::session(&self.pool, token_hash).await?;
        if let Some(found) = &found {
            self.sessions.put(token_hash, generation, found);
        }
        Ok(found)
    }

    async fn touch_session(&self, token_hash: &[u8], at: OffsetDateTime) -> StoreResult<()> {
        let done = sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(micros(at))
            .bind(token_hash)
            .execute(&self.writer)
            .await;
        self.sessions.forget();
        done?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &[u8], audit: Option<NewAuditEntry>) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash).execute(&mut *tx).await?;
        if let Some(entry) = audit {
            audit::append(&mut tx, &entry).await?;
        }
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn delete_user_sessions(&self, id: UserId) -> StoreResult<()> {
        let mut tx = self.write().await?;
        users::delete_sessions(&mut tx, id).await?;
        let committed = tx.commit().await;
        self.sessions.forget();
        committed?;
        Ok(())
    }

    async fn delete_expired_sessions(
        &self,
        idle_cutoff: OffsetDateTime,
        absolute_cutoff: OffsetDateTime,
    ) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?")
            .bind(micros(idle_cutoff))
            .bind(micros(absolute_cutoff))
            .execute(&self.writer)
            .await;
        self.sessions.forget();
        Ok(done?.rows_affected())
    }

    async fn delete_all_sessions(&self) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM sessions").execute(&self.writer).await;
        self.sessions.forget();
        done?;
        Ok(())
    }

    async fn sync_vocabularies(&self, lists: &[ozodi_domain::vocab::List]) -> StoreResult<VocabSync> {
        let mut tx = self.write().await?;
        let report = vocab::sync(&mut tx, lists).await?;
        tx.commit().await?;
        self.forget_vocabularies();
        Ok(report)
    }

    async fn vocabulary(&self, list: &str) -> StoreResult<std::sync::Arc<Vec<StoredTerm>>> {
        if let Some(terms) = self.vocab_cache.read().ok().and_then(|c| c.get(list).cloned()) {
            return Ok(terms);
        }
        let terms = std::sync::Arc::new(vocab::terms(&self.pool, list).await?);
        if let Ok(mut cache) = self.vocab_cache.write() {
            cache.insert(list.to_owned(), terms.clone());
        }
        Ok(terms)
    }

    async fn add_term(
        &self,
        list: &str,
        term: &ozodi_domain::vocab::Term,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        vocab::add(&mut tx, list, term).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        self.forget_vocabularies();
        Ok(())
    }

    async fn relabel_term(
        &self,
        list: &str,
        code: &str,
        labels: &ozodi_domain::vocab::Labels,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        vocab::relabel(&mut tx, list, code, labels).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        self.forget_vocabularies();
        Ok(())
    }

    async fn set_term_deprecated(
        &self,
        list: &str,
        code: &str,
        deprecated: bool,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        vocab::set_deprecated(&mut tx, list, code, deprecated).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        self.forget_vocabularies();
        Ok(())
    }

    async fn create_case(
        &self,
        fields: &CaseFields,
        creator: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<CaseRecord> {
        let mut tx = self.write().await?;
        let record = cases::create(&mut tx, fields, creator, at).await?;
        self.reindex(&mut tx, record.id).await?;
        let mut audit = audit;
        audit.subject = Some(record.id.to_string());
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn case(&self, id: CaseId) -> StoreResult<Option<CaseRecord>> {
        cases::get(&self.pool, id).await
    }

    async fn case_file(&self, id: CaseId) -> StoreResult<Option<crate::CaseFile>> {
        // One connection and two statements: every statement and every release of a pooled
        // connection is a round trip to its thread.
        cases::file(&mut *self.pool.acquire().await?, id).await
    }

    async fn case_with_team(&self, id: CaseId) -> StoreResult<Option<(CaseRecord, Vec<TeamMember>)>> {
        cases::with_team(&mut *self.pool.acquire().await?, id).await
    }

    async fn cases_for(
        &self,
        user: UserId,
        all: bool,
        include_deleted: bool,
        limit: u32,
    ) -> StoreResult<Vec<CaseRecord>> {
        cases::visible(&self.pool, user, all, include_deleted, limit).await
    }

    async fn update_case(
        &self,
        id: CaseId,
        expected_version: i64,
        fields: &CaseFields,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = cases::update(&mut tx, id, expected_version, fields, actor, at).await?;
        self.reindex(&mut tx, id).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn tombstone_case(
        &self,
        id: CaseId,
        reason: &str,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = cases::set_deleted(&mut tx, id, Some(reason), actor, at).await?;
        self.reindex(&mut tx, id).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn restore_case(
        &self,
        id: CaseId,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = cases::set_deleted(&mut tx, id, None, actor, at).await?;
        self.reindex(&mut tx, id).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn case_team(&self, id: CaseId) -> StoreResult<Vec<TeamMember>> {
        cases::team(&self.pool, id).await
    }

    async fn set_team_member(
        &self,
        id: CaseId,
        user: UserId,
        identity_access: bool,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        cases::add_member(&mut tx, id, user, identity_access, by, at).await?;
        self.reindex(&mut tx, id).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn remove_team_member(
        &self,
        id: CaseId,
        user: UserId,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        cases::remove_member(&mut tx, id, user, by, at).await?;
        self.reindex(&mut tx, id).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_person(
        &self,
        case: CaseId,
        fields: &PersonFields,
        identity: &ozodi_domain::person::Identity,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<PersonRecord> {
        let mut tx = self.write().await?;
        let record = persons::create(&mut tx, &self.identity, case, fields, identity, actor, at).await?;
        search::index_names(&mut tx, &self.names, &record.id.to_string(), case, identity).await?;
        self.reindex(&mut tx, case).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn update_person(
        &self,
        person: ozodi_domain::person::PersonId,
        expected_version: i64,
        fields: &PersonFields,
        identity: Option<&ozodi_domain::person::Identity>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<PersonRecord> {
        let mut tx = self.write().await?;
        let record =
            persons::update(&mut tx, &self.identity, person, expected_version, fields, identity, actor, at)
                .await?;
        if let Some(identity) = identity {
            search::index_names(&mut tx, &self.names, &person.to_string(), record.case_id, identity).await?;
        }
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn person(&self, id: ozodi_domain::person::PersonId) -> StoreResult<Option<PersonRecord>> {
        persons::get(&self.pool, id).await
    }

    async fn persons_of_case(&self, case: CaseId) -> StoreResult<Vec<PersonRecord>> {
        persons::of_case(&mut *self.pool.acquire().await?, case).await
    }

    async fn reveal_identity(
        &self,
        person: ozodi_domain::person::PersonId,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::person::Identity> {
        let mut tx = self.write().await?;
        audit::append(&mut tx, &audit).await?;
        let identity = persons::open(&mut tx, &self.identity, person).await?;
        tx.commit().await?;
        Ok(identity)
    }

    async fn create_record(
        &self,
        kind: ozodi_domain::record::Kind,
        case: Option<CaseId>,
        data: &ozodi_domain::record::Data,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::Record> {
        let mut tx = self.write().await?;
        let record = records::create(&mut tx, kind, case, data, actor, at).await?;
        self.reindex_for(&mut tx, &record).await?;
        let mut audit = audit;
        audit.subject = Some(record.id.to_string());
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn record(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Option<crate::Record>> {
        records::get(&self.pool, id).await
    }

    async fn records_by_id(&self, ids: &[ozodi_domain::record::RecordId]) -> StoreResult<Vec<crate::Record>> {
        records::by_ids(&mut *self.pool.acquire().await?, ids).await
    }

    async fn records_of_case(&self, case: CaseId) -> StoreResult<Vec<crate::Record>> {
        records::of_case(&mut *self.pool.acquire().await?, case).await
    }

    async fn registry(&self, kind: ozodi_domain::record::Kind) -> StoreResult<Vec<crate::Record>> {
        records::registry(&mut *self.pool.acquire().await?, kind).await
    }

    async fn registry_referring(
        &self,
        target: ozodi_domain::record::RecordId,
        kind: ozodi_domain::record::Kind,
        field: &str,
    ) -> StoreResult<Vec<crate::Record>> {
        records::referring(&mut *self.pool.acquire().await?, target, kind, field).await
    }

    async fn visit_detail(
        &self,
        visit: ozodi_domain::record::RecordId,
    ) -> StoreResult<crate::monitoring::VisitDetail> {
        monitoring::detail(&mut *self.pool.acquire().await?, visit).await
    }

    async fn visit_states(
        &self,
    ) -> StoreResult<std::collections::HashMap<ozodi_domain::record::RecordId, String>> {
        monitoring::states(&mut *self.pool.acquire().await?).await
    }

    async fn statistic(
        &self,
        indicator: ozodi_domain::stats::Indicator,
        filter: &ozodi_domain::stats::Filter,
    ) -> StoreResult<crate::stats::Figure> {
        let mut conn = self.pool.acquire().await?;
        if crate::facts::in_memory(indicator) {
            facts::figure(&mut conn, &self.stats_facts, indicator, filter).await
        } else {
            stats::figure(&mut conn, indicator, filter).await
        }
    }

    async fn prepare_statistics(&self) -> StoreResult<()> {
        facts::catch_up(&mut *self.pool.acquire().await?, &self.stats_facts).await
    }

    async fn public_tables(&self) -> StoreResult<Vec<crate::stats::CountTable>> {
        facts::public_tables(&mut *self.pool.acquire().await?, &self.stats_facts).await
    }

    async fn statistic_cases(
        &self,
        indicator: ozodi_domain::stats::Indicator,
        filter: &ozodi_domain::stats::Filter,
    ) -> StoreResult<Vec<CaseId>> {
        let ids = stats::cases(&mut *self.pool.acquire().await?, indicator, filter).await?;
        ids.iter().map(|id| CaseId::parse(id).ok_or(StoreError::Corrupt("records.case_id"))).collect()
    }

    async fn allegation_counts(
        &self,
    ) -> StoreResult<std::collections::HashMap<ozodi_domain::record::RecordId, (i64, i64)>> {
        monitoring::allegation_counts(&mut *self.pool.acquire().await?).await
    }

    async fn visit_step(
        &self,
        visit: ozodi_domain::record::RecordId,
        expected_seq: i64,
        (to, on_day, note): (&str, time::Date, &str),
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<&'static str> {
        let mut tx = self.write().await?;
        let state = monitoring::step(&mut tx, visit, expected_seq, to, on_day, note, by, at).await?;
        let mut audit = audit.about(visit);
        audit.detail = serde_json::json!({ "change": "state", "state": state, "what": "visit" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(state)
    }

    async fn add_visit_member(
        &self,
        visit: ozodi_domain::record::RecordId,
        member: &crate::monitoring::NewTeamMember,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let seq = monitoring::add_member(&mut tx, visit, member, by, at).await?;
        let mut audit = audit.about(visit);
        audit.detail = serde_json::json!({ "change": "added", "member": seq, "role": member.role });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn remove_visit_member(
        &self,
        visit: ozodi_domain::record::RecordId,
        seq: i64,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        monitoring::remove_member(&mut tx, visit, seq, by, at).await?;
        let mut audit = audit.about(visit);
        audit.detail = serde_json::json!({ "change": "removed", "member": seq });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_allegation(
        &self,
        visit: ozodi_domain::record::RecordId,
        contact: Option<&crate::intake::NewContact>,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<crate::intake::Contact>> {
        let mut tx = self.write().await?;
        let region = monitoring::allegation_target(&mut tx, visit).await?;
        let (created, alert) = match contact {
            Some(fields) => {
                let mut fields = fields.clone();
                fields.line = None;
                fields.channel = ozodi_domain::intake::Channel::Visit;
                fields.region = fields.region.or(region);
                let details = ozodi_domain::intake::CallerDetails::default();
                let (contact, alert) =
                    intake::create(&mut tx, &self.identity, &fields, &details, Some(by), at).await?;
                intake::first_version(&mut tx, &contact, Some(by), at).await?;
                (Some(contact), alert)
            }
            None => (None, None),
        };
        let seq = monitoring::add_allegation(
            &mut tx,
            visit,
            created.as_ref().map(|c| c.id),
            contact.is_some(),
            by,
            at,
        )
        .await?;
        let mut audit = audit.about(visit);
        audit.detail = serde_json::json!({
            "allegation": seq,
            "contact": created.as_ref().map(|c| c.id.to_string()),
            "alert": alert.map(|a| a.to_string()),
        });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        if alert.is_some() {
            self.forget_intake();
        }
        Ok(created)
    }

    async fn add_assessment(
        &self,
        recommendation: ozodi_domain::record::RecordId,
        assessment: &crate::monitoring::NewAssessment,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let seq = monitoring::add_assessment(&mut tx, recommendation, assessment, by, at).await?;
        let mut audit = audit.about(recommendation);
        audit.detail = serde_json::json!({
            "assessment": seq,
            "assessor": assessment.assessor.code(),
            "status": assessment.status,
        });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn assessments(
        &self,
        recommendation: ozodi_domain::record::RecordId,
    ) -> StoreResult<Vec<crate::monitoring::Assessment>> {
        monitoring::assessments(&mut *self.pool.acquire().await?, recommendation).await
    }

    async fn latest_assessments(
        &self,
        kind: ozodi_domain::record::Kind,
    ) -> StoreResult<Vec<crate::monitoring::LatestAssessment>> {
        monitoring::latest(&mut *self.pool.acquire().await?, kind).await
    }

    async fn import_recommendations(
        &self,
        documents: &[ozodi_domain::monitoring::ImportDocument],
        items: &[ozodi_domain::monitoring::ImportItem],
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Vec<ozodi_domain::monitoring::ImportLine>> {
        let mut tx = self.write().await?;
        let lines = monitoring::import(&mut tx, documents, items, by, at).await?;
        let count = |key: &str| lines.iter().filter(|l| l.outcome.key().starts_with(key)).count();
        let mut audit = audit;
        audit.detail = serde_json::json!({
            "items": lines.len(),
            "added": count("import-added"),
            "updated": count("import-updated"),
            "skipped": count("import-skipped"),
        });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(lines)
    }

    async fn update_record(
        &self,
        id: ozodi_domain::record::RecordId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::Record> {
        let mut tx = self.write().await?;
        let record = records::update(&mut tx, id, expected_version, data, actor, at).await?;
        self.reindex_for(&mut tx, &record).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn set_record_deleted(
        &self,
        id: ozodi_domain::record::RecordId,
        reason: Option<&str>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::Record> {
        let mut tx = self.write().await?;
        let record = records::set_deleted(&mut tx, id, reason, actor, at).await?;
        if record.kind == ozodi_domain::record::Kind::Publication && reason.is_some() {
            // A removed publication leaves the public site in the same transaction.
            site::withdraw(&mut tx, id, record.version, actor, at).await?;
        }
        self.reindex_for(&mut tx, &record).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(record)
    }

    fn evidence_files(&self) -> std::sync::Arc<crate::EvidenceFiles> {
        self.evidence.clone()
    }

    async fn create_evidence(
        &self,
        item: &crate::Evidence,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::Evidence> {
        let mut tx = self.write().await?;
        let created = evidence::insert(&mut tx, item, audit.actor).await?;
        self.reindex(&mut tx, item.case_id).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn evidence(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Option<crate::Evidence>> {
        evidence::get(&self.pool, id).await
    }

    async fn evidence_of_case(&self, case: CaseId) -> StoreResult<Vec<crate::Evidence>> {
        evidence::of_case(&mut *self.pool.acquire().await?, case).await
    }

    async fn all_evidence(&self) -> StoreResult<Vec<crate::Evidence>> {
        evidence::all(&self.pool).await
    }

    async fn record_custody(
        &self,
        id: ozodi_domain::record::RecordId,
        action: &str,
        detail: serde_json::Value,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        evidence::custody(&mut tx, id, audit.at, audit.actor, action, &detail).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_evidence_deleted(
        &self,
        id: ozodi_domain::record::RecordId,
        reason: Option<&str>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = evidence::set_deleted(&mut tx, id, reason, actor, at).await?;
        self.reindex(&mut tx, case).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn custody(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Vec<crate::CustodyEvent>> {
        evidence::chain(&self.pool, id).await
    }

    async fn duplicate_candidates(
        &self,
        person: ozodi_domain::person::PersonId,
        user: UserId,
    ) -> StoreResult<Vec<crate::DuplicateCandidate>> {
        persons::duplicates(&self.pool, person, user).await
    }

    async fn decide_duplicate(
        &self,
        a: ozodi_domain::person::PersonId,
        b: ozodi_domain::person::PersonId,
        same: bool,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        persons::decide(&mut tx, a, b, same, actor, at).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn search(&self, query: &crate::SearchQuery) -> StoreResult<crate::SearchResults> {
        search::search(&self.pool, &self.names, query).await
    }

    async fn rebuild_search_index(&self) -> StoreResult<u64> {
        let count = search::rebuild(&self.writer).await?;
        if let Some(stale) = &self.bulk {
            stale.store(false, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(count)
    }

    async fn versions(&self, entity: &str, record: &str) -> StoreResult<Vec<RecordVersion>> {
        cases::versions(&self.pool, entity, record).await
    }

    async fn intake_snapshot(&self) -> StoreResult<std::sync::Arc<crate::intake::IntakeSnapshot>> {
        if let Ok(cache) = self.intake_cache.lock()
            && let Some((at, snapshot)) = cache.as_ref()
            && at.elapsed() < INTAKE_TTL
        {
            return Ok(snapshot.clone());
        }
        let started = std::time::Instant::now();
        let snapshot = std::sync::Arc::new(intake::snapshot(&mut *self.pool.acquire().await?).await?);
        if let Ok(mut cache) = self.intake_cache.lock() {
            *cache = Some((started, snapshot.clone()));
        }
        Ok(snapshot)
    }

    async fn save_line(
        &self,
        line: &crate::intake::Line,
        expected_version: i64,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = intake::save_line(&mut tx, line, expected_version).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        self.forget_intake();
        Ok(version)
    }

    async fn set_line_staff(
        &self,
        line: &ozodi_domain::intake::LineCode,
        user: UserId,
        member: bool,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        if intake::set_staff(&mut tx, line, user, member, actor, at).await? {
            audit::append(&mut tx, &audit).await?;
            tx.commit().await?;
            self.forget_intake();
        }
        Ok(())
    }

    async fn create_contact(
        &self,
        fields: &crate::intake::NewContact,
        details: &ozodi_domain::intake::CallerDetails,
        actor: Option<UserId>,
        at: OffsetDateTime,
        report: Option<crate::intake::WebReport<'_>>,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::intake::Contact> {
        let mut tx = self.write().await?;
        let (mut contact, alert) =
            intake::create(&mut tx, &self.identity, fields, details, actor, at).await?;
        if let Some(report) = report {
            intake::create_report(&mut tx, contact.id, &report).await?;
            contact.web_report = true;
        }
        intake::first_version(&mut tx, &contact, actor, at).await?;
        let mut audit = audit.about(contact.id);
        if let Some(alert) = alert
            && let Some(detail) = audit.detail.as_object_mut()
        {
            detail.insert("alert".into(), serde_json::Value::String(alert.to_string()));
        }
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        if alert.is_some() {
            self.forget_intake();
        }
        Ok(contact)
    }

    async fn contact(
        &self,
        id: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Option<crate::intake::Contact>> {
        intake::get(&mut *self.pool.acquire().await?, id).await
    }

    async fn contact_queue(
        &self,
        line: Option<Option<&ozodi_domain::intake::LineCode>>,
        limit: u32,
    ) -> StoreResult<Vec<crate::intake::Contact>> {
        intake::queue(&mut *self.pool.acquire().await?, line, limit).await
    }

    async fn contacts_assigned_to(&self, user: UserId) -> StoreResult<Vec<crate::intake::Contact>> {
        intake::assigned_to(&mut *self.pool.acquire().await?, user).await
    }

    async fn contacts_of_case(&self, case: CaseId) -> StoreResult<Vec<crate::intake::Contact>> {
        intake::of_case(&mut *self.pool.acquire().await?, case).await
    }

    async fn reveal_caller(
        &self,
        id: ozodi_domain::intake::ContactId,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::intake::CallerDetails> {
        let mut tx = self.write().await?;
        audit::append(&mut tx, &audit).await?;
        let details = intake::open_details(&mut tx, &self.identity, id).await?;
        tx.commit().await?;
        Ok(details)
    }

    async fn triage_contact(
        &self,
        id: ozodi_domain::intake::ContactId,
        expected_version: i64,
        triage: crate::intake::Triage,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<(i64, Option<CaseId>)> {
        use crate::intake::Triage;
        let mut tx = self.write().await?;
        let (version, case) = match &triage {
            Triage::OpenCase(fields) => {
                let record = cases::create(&mut tx, fields, actor, at).await?;
                self.reindex(&mut tx, record.id).await?;
                let mut created = audit.clone().about(record.id);
                created.kind = ozodi_domain::audit::AuditKind::CaseCreated;
                created.detail = serde_json::json!({ "from_contact": id.to_string() });
                audit::append(&mut tx, &created).await?;
                let v = intake::set_outcome(
                    &mut tx,
                    id,
                    expected_version,
                    intake::Outcome::Opened(record.id),
                    actor,
                    at,
                )
                .await?;
                (v, Some(record.id))
            }
            Triage::Link(case) => {
                let v = intake::set_outcome(
                    &mut tx,
                    id,
                    expected_version,
                    intake::Outcome::Linked(*case),
                    actor,
                    at,
                )
                .await?;
                (v, Some(*case))
            }
            Triage::Close(reason, note) => {
                let v = intake::set_outcome(
                    &mut tx,
                    id,
                    expected_version,
                    intake::Outcome::Closed(*reason, note),
                    actor,
                    at,
                )
                .await?;
                (v, None)
            }
        };
        audit::append(&mut tx, &audit.about(id)).await?;
        tx.commit().await?;
        self.forget_intake();
        Ok((version, case))
    }

    async fn assign_contact(
        &self,
        id: ozodi_domain::intake::ContactId,
        expected_version: i64,
        user: Option<UserId>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = intake::assign(&mut tx, id, expected_version, user, actor, at).await?;
        audit::append(&mut tx, &audit.about(id)).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn move_contact(
        &self,
        id: ozodi_domain::intake::ContactId,
        expected_version: i64,
        line: &ozodi_domain::intake::LineCode,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = intake::move_to_line(&mut tx, id, expected_version, line, actor, at).await?;
        audit::append(&mut tx, &audit.about(id)).await?;
        tx.commit().await?;
        // The open alerts carry the contact's line.
        self.forget_intake();
        Ok(version)
    }

    async fn alert_of(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Option<crate::intake::Alert>> {
        intake::alert_of(&mut *self.pool.acquire().await?, contact).await
    }

    async fn alerts_seen_by(&self, user: UserId) -> StoreResult<Vec<ozodi_domain::intake::AlertId>> {
        intake::seen_by(&mut *self.pool.acquire().await?, user).await
    }

    async fn mark_alerts_seen(
        &self,
        user: UserId,
        alerts: &[ozodi_domain::intake::AlertId],
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        if alerts.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        intake::mark_seen(&mut tx, user, alerts, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn acknowledge_alert(
        &self,
        contact: ozodi_domain::intake::ContactId,
        user: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let alert = intake::acknowledge(&mut tx, contact, user, at).await?;
        let mut audit = audit.about(contact);
        audit.detail = serde_json::json!({ "alert": alert.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        self.forget_intake();
        Ok(())
    }

    async fn run_intake_clock(
        &self,
        cutoff: OffsetDateTime,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        let escalated = intake::escalate(&mut tx, cutoff, now).await?;
        for (alert, contact) in &escalated {
            let mut entry = audit.clone().about(contact);
            entry.detail = serde_json::json!({ "alert": alert.to_string() });
            audit::append(&mut tx, &entry).await?;
        }
        let due = intake::notice_due_tasks(&mut tx, now).await?;
        let reminded = legal::remind(&mut tx, now).await?;
        if escalated.is_empty() && due == 0 && reminded == 0 {
            // Nothing changed: end the transaction without a commit.
            tx.rollback().await?;
            return Ok(0);
        }
        tx.commit().await?;
        self.forget_intake();
        Ok(escalated.len())
    }

    async fn create_task(
        &self,
        task: &crate::intake::NewTask,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::intake::TaskId> {
        let mut tx = self.write().await?;
        let id = intake::create_task(&mut tx, task).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({
            "change": "created",
            "contact": task.contact.map(|c| c.to_string()),
            "case": task.case.map(|c| c.to_string()),
            "assigned_to": task.assigned_to.to_string(),
        });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn task(&self, id: ozodi_domain::intake::TaskId) -> StoreResult<Option<crate::intake::Task>> {
        intake::task(&mut *self.pool.acquire().await?, id).await
    }

    async fn open_tasks_of(&self, user: UserId) -> StoreResult<Vec<crate::intake::Task>> {
        intake::open_tasks_of(&mut *self.pool.acquire().await?, user).await
    }

    async fn tasks_of_contact(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Vec<crate::intake::Task>> {
        intake::tasks_of_contact(&mut *self.pool.acquire().await?, contact).await
    }

    async fn complete_task(
        &self,
        id: ozodi_domain::intake::TaskId,
        user: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        intake::complete_task(&mut tx, id, user, at).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "done" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn notifications(
        &self,
        user: UserId,
        limit: u32,
    ) -> StoreResult<(Vec<crate::intake::Notification>, i64)> {
        let mut conn = self.pool.acquire().await?;
        let list = intake::notifications(&mut conn, user, limit).await?;
        let unread = intake::unread(&mut conn, user).await?;
        Ok((list, unread))
    }

    async fn work_summary(&self, user: UserId, now: OffsetDateTime) -> StoreResult<(i64, i64, i64)> {
        intake::work_summary(&mut *self.pool.acquire().await?, user, now).await
    }

    async fn mark_notifications_read(&self, user: UserId, at: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.write().await?;
        intake::mark_read(&mut tx, user, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn report_by_receipt(
        &self,
        receipt_hash: &[u8],
    ) -> StoreResult<Option<(ozodi_domain::intake::ContactId, Vec<u8>)>> {
        intake::report_by_receipt(&mut *self.pool.acquire().await?, receipt_hash).await
    }

    async fn report_files(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Vec<crate::intake::ReportFile>> {
        intake::files(&mut *self.pool.acquire().await?, contact).await
    }

    async fn report_file(
        &self,
        contact: ozodi_domain::intake::ContactId,
        seq: i64,
        original: bool,
    ) -> StoreResult<Option<(String, Vec<u8>)>> {
        intake::file(&mut *self.pool.acquire().await?, contact, seq, original).await
    }

    async fn report_messages(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Vec<crate::intake::ReportMessage>> {
        intake::messages(&mut *self.pool.acquire().await?, contact).await
    }

    async fn add_report_message(
        &self,
        contact: ozodi_domain::intake::ContactId,
        author: Option<UserId>,
        body: &str,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        intake::add_message(&mut tx, contact, author, body, at).await?;
        audit::append(&mut tx, &audit.about(contact)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn notify_email(&self, user: UserId) -> StoreResult<Option<String>> {
        intake::notify_email(&mut *self.pool.acquire().await?, user).await
    }

    async fn set_notify_email(
        &self,
        user: UserId,
        email: Option<&str>,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        intake::set_notify_email(&mut tx, user, email).await?;
        audit::append(&mut tx, &audit.about(user)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pending_emails(&self) -> StoreResult<Vec<crate::intake::PendingEmail>> {
        intake::pending_emails(&mut *self.pool.acquire().await?).await
    }

    async fn mark_emailed(&self, user: UserId, up_to: i64, at: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.write().await?;
        intake::mark_emailed(&mut tx, user, up_to, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn intake_figures(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<crate::intake::IntakeFigures> {
        intake::figures(&mut *self.pool.acquire().await?, from, to).await
    }

    async fn publication_course(
        &self,
        id: ozodi_domain::record::RecordId,
    ) -> StoreResult<crate::site::Course> {
        site::course(&mut *self.pool.acquire().await?, id).await
    }

    async fn publication_step(
        &self,
        id: ozodi_domain::record::RecordId,
        request: &crate::site::StepRequest,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::site::Course> {
        let mut tx = self.write().await?;
        let course = site::step(&mut tx, id, request, actor, at).await?;
        audit::append(&mut tx, &audit.about(id)).await?;
        tx.commit().await?;
        Ok(course)
    }

    async fn site_published(&self) -> StoreResult<Vec<crate::site::PublicItem>> {
        site::published(&mut *self.pool.acquire().await?).await
    }

    async fn site_stamp(&self) -> StoreResult<String> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) || '-' || coalesce(max(published_at), 0) || '-' || coalesce(sum(seq * version), 0) \
             FROM site_published",
        )
        .fetch_one(&mut *self.pool.acquire().await?)
        .await?)
    }

    async fn site_search(&self, query: &str) -> StoreResult<Vec<u32>> {
        site::search(&mut *self.pool.acquire().await?, query).await
    }

    async fn publication_files(
        &self,
        publication: ozodi_domain::record::RecordId,
    ) -> StoreResult<Vec<crate::site::FileMeta>> {
        site::files(&mut *self.pool.acquire().await?, publication).await
    }

    async fn publication_file(
        &self,
        file: ozodi_domain::record::RecordId,
        public: bool,
    ) -> StoreResult<Option<(crate::site::FileMeta, Vec<u8>)>> {
        site::file(&mut *self.pool.acquire().await?, file, public).await
    }

    async fn add_publication_file(
        &self,
        publication: ozodi_domain::record::RecordId,
        file: &crate::site::NewFile,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::record::RecordId> {
        let mut tx = self.write().await?;
        let id = site::add_file(&mut tx, publication, file, actor, at).await?;
        audit::append(&mut tx, &audit.about(publication)).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn remove_publication_file(
        &self,
        publication: ozodi_domain::record::RecordId,
        file: ozodi_domain::record::RecordId,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        site::remove_file(&mut tx, publication, file, actor, at).await?;
        audit::append(&mut tx, &audit.about(publication)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn site_pages(&self) -> StoreResult<Vec<crate::site::SitePage>> {
        site::pages(&mut *self.pool.acquire().await?).await
    }

    async fn save_site_page(
        &self,
        page: ozodi_domain::site::Page,
        lang: &str,
        text: (&str, &str),
        expected_version: i64,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version =
            site::save_page(&mut tx, page, lang, text.0, text.1, expected_version, actor, at).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn case_public_summary(&self, case: CaseId) -> StoreResult<Option<(String, i64)>> {
        site::case_summary(&mut *self.pool.acquire().await?, case).await
    }

    async fn save_case_public_summary(
        &self,
        case: CaseId,
        text: &str,
        expected_version: i64,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let version = site::save_case_summary(&mut tx, case, text, expected_version, actor, at).await?;
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn import_publication(
        &self,
        key: &str,
        data: &ozodi_domain::record::Data,
        publish: bool,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<(ozodi_domain::record::RecordId, crate::site::Imported)> {
        let mut tx = self.write().await?;
        if let Some(id) = site::imported(&mut tx, key).await? {
            return Ok((id, crate::site::Imported::AlreadyThere));
        }
        let kind = ozodi_domain::record::Kind::Publication;
        let record = records::create(&mut tx, kind, None, data, actor, at).await?;
        site::remember_import(&mut tx, key, record.id, at).await?;
        if publish {
            use ozodi_domain::site::{Stage, Step};
            for (step, from) in [(Step::Submit, Stage::Draft), (Step::Publish, Stage::Review)] {
                let request =
                    crate::site::StepRequest { step, from, version: record.version, note: "import".into() };
                site::step(&mut tx, record.id, &request, actor, at).await?;
            }
        }
        audit::append(&mut tx, &audit.about(record.id)).await?;
        tx.commit().await?;
        Ok((record.id, crate::site::Imported::Added))
    }

    async fn create_training(
        &self,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::record::RecordId> {
        let mut tx = self.write().await?;
        let id = training::create(&mut tx, data, by, at).await?;
        audit::append(&mut tx, &audit.about(id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_training(
        &self,
        id: ozodi_domain::record::RecordId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        training::update(&mut tx, id, expected_version, data, by, at).await?;
        audit::append(&mut tx, &audit.about(id)).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_training_participants(
        &self,
        id: ozodi_domain::record::RecordId,
        row: &crate::training::Participants,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        training::set_participants(&mut tx, id, row).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({
            "participants": { "profession": row.profession, "sex": row.sex, "region": row.region, "count": row.count }
        });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn trainings(&self) -> StoreResult<Vec<crate::training::Training>> {
        training::list(&mut *self.pool.acquire().await?, None).await
    }

    async fn training(
        &self,
        id: ozodi_domain::record::RecordId,
    ) -> StoreResult<Option<crate::training::Training>> {
        Ok(training::list(&mut *self.pool.acquire().await?, Some(id)).await?.into_iter().next())
    }

    async fn create_episode(
        &self,
        case: CaseId,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::rehab::EpisodeId> {
        let mut tx = self.write().await?;
        let id = rehab::create(&mut tx, case, data, by, at).await?;
        let mut audit = audit.about(id);
        audit.detail =
            serde_json::json!({ "change": "created", "case": case.to_string(), "what": "rehab_episode" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn episode(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
    ) -> StoreResult<Option<crate::rehab::Episode>> {
        rehab::get(&mut *self.pool.acquire().await?, id).await
    }

    async fn episodes(
        &self,
        case: Option<CaseId>,
        member: Option<UserId>,
    ) -> StoreResult<Vec<crate::rehab::EpisodeSummary>> {
        rehab::list(&mut *self.pool.acquire().await?, case, member).await
    }

    async fn update_episode(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = rehab::update(&mut tx, id, expected_version, data, by, at).await?;
        let mut audit = audit.about(id);
        audit.detail =
            serde_json::json!({ "change": "updated", "case": case.to_string(), "what": "rehab_episode" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn episode_step(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        expected_version: i64,
        step: crate::rehab::StepRequest<'_>,
        audit: NewAuditEntry,
    ) -> StoreResult<&'static str> {
        let mut tx = self.write().await?;
        let (case, state) = rehab::step(&mut tx, id, expected_version, step).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "state", "state": state, "case": case.to_string(), "what": "rehab_episode" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(state)
    }

    async fn add_session(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let (case, seq) = rehab::add_session(&mut tx, id, data, (by, at)).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "session-added", "session": seq, "case": case.to_string(), "what": "rehab_episode" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn remove_session(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        seq: i64,
        expected_version: i64,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = rehab::remove_session(&mut tx, id, seq, expected_version, at).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "session-removed", "session": seq, "case": case.to_string(), "what": "rehab_episode" });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn rehab_figures(&self) -> StoreResult<crate::rehab::RehabFigures> {
        rehab::figures(&mut *self.pool.acquire().await?).await
    }

    async fn create_evaluation(
        &self,
        case: CaseId,
        data: &ozodi_domain::record::Data,
        amends: Option<ozodi_domain::ip::EvaluationId>,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::ip::EvaluationId> {
        let mut tx = self.write().await?;
        let id = ip::create(&mut tx, case, data, amends, by, at).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "created", "case": case.to_string(), "amends": amends.map(|a| a.to_string()) });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn evaluation(
        &self,
        id: ozodi_domain::ip::EvaluationId,
    ) -> StoreResult<Option<crate::ip::Evaluation>> {
        ip::get(&mut *self.pool.acquire().await?, id).await
    }

    async fn evaluations_of_case(&self, case: CaseId) -> StoreResult<Vec<crate::ip::EvaluationSummary>> {
        ip::of_case(&mut *self.pool.acquire().await?, case).await
    }

    async fn update_evaluation(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = ip::update(&mut tx, id, expected_version, data, by, at).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "updated", "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_finding(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        data: &ozodi_domain::record::Data,
        audit: NewAuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let (case, seq) = ip::add_finding(&mut tx, id, data).await?;
        let mut audit = audit.about(id);
        audit.detail =
            serde_json::json!({ "change": "finding-added", "finding": seq, "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn change_finding(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        seq: i64,
        expected_version: i64,
        data: Option<&ozodi_domain::record::Data>,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = ip::change_finding(&mut tx, id, seq, expected_version, data, at).await?;
        let change = if data.is_some() { "finding-updated" } else { "finding-removed" };
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": change, "finding": seq, "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_evaluation_shared(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        shared: bool,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = ip::set_shared(&mut tx, id, shared, by, at).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": if shared { "shared" } else { "unshared" }, "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn evaluation_step(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        expected_version: i64,
        step: crate::ip::StepRequest<'_>,
        audit: NewAuditEntry,
    ) -> StoreResult<&'static str> {
        let mut tx = self.write().await?;
        let (case, state) = ip::step(&mut tx, id, expected_version, step).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "state", "state": state, "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(state)
    }

    async fn proceeding_steps(
        &self,
        proceeding: ozodi_domain::record::RecordId,
    ) -> StoreResult<Vec<crate::legal::ProceedingStep>> {
        legal::steps(&mut *self.pool.acquire().await?, proceeding).await
    }

    async fn proceeding_state(
        &self,
        proceeding: ozodi_domain::record::RecordId,
    ) -> StoreResult<Option<(CaseId, crate::legal::ProceedingState)>> {
        legal::state(&mut *self.pool.acquire().await?, proceeding).await
    }

    async fn proceeding_states_of_case(
        &self,
        case: CaseId,
    ) -> StoreResult<Vec<(ozodi_domain::record::RecordId, String)>> {
        legal::states_of_case(&mut *self.pool.acquire().await?, case).await
    }

    async fn add_proceeding_step(
        &self,
        step: &crate::legal::NewStep,
        audit: NewAuditEntry,
    ) -> StoreResult<crate::legal::ProceedingStep> {
        let mut tx = self.write().await?;
        let (case, recorded) = legal::add_step(&mut tx, step).await?;
        let mut audit = audit.about(step.proceeding);
        audit.detail = serde_json::json!({
            "case": case.to_string(),
            "state": recorded.state,
            "seq": recorded.seq,
        });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    async fn calendar_entry(
        &self,
        id: ozodi_domain::legal::EntryId,
    ) -> StoreResult<Option<crate::legal::CalendarEntry>> {
        legal::entry(&mut *self.pool.acquire().await?, id).await
    }

    async fn calendar(
        &self,
        query: &crate::legal::CalendarQuery,
    ) -> StoreResult<Vec<crate::legal::CalendarEntry>> {
        legal::calendar(&mut *self.pool.acquire().await?, query).await
    }

    async fn create_calendar_entry(
        &self,
        case: CaseId,
        fields: &crate::legal::EntryFields,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::legal::EntryId> {
        let mut tx = self.write().await?;
        let id = legal::create_entry(&mut tx, case, fields, by, at).await?;
        let mut audit = audit.about(id);
        audit.detail =
            serde_json::json!({ "change": "created", "case": case.to_string(), "kind": fields.kind.code() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn update_calendar_entry(
        &self,
        id: ozodi_domain::legal::EntryId,
        expected_version: i64,
        fields: &crate::legal::EntryFields,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = legal::update_entry(&mut tx, id, expected_version, fields).await?;
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": "updated", "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_calendar_entry_status(
        &self,
        id: ozodi_domain::legal::EntryId,
        expected_version: i64,
        status: crate::legal::EntryStatus,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = legal::set_entry_status(&mut tx, id, expected_version, status, by, at).await?;
        let change = match status {
            crate::legal::EntryStatus::Done => "done",
            crate::legal::EntryStatus::Cancelled => "cancelled",
            crate::legal::EntryStatus::Open => "reopened",
        };
        let mut audit = audit.about(id);
        audit.detail = serde_json::json!({ "change": change, "case": case.to_string() });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn calendar_feed_user(&self, token_hash: &[u8]) -> StoreResult<Option<UserId>> {
        legal::feed_user(&mut *self.pool.acquire().await?, token_hash).await
    }

    async fn calendar_feed_since(&self, user: UserId) -> StoreResult<Option<OffsetDateTime>> {
        legal::feed_since(&mut *self.pool.acquire().await?, user).await
    }

    async fn set_calendar_feed(
        &self,
        user: UserId,
        token_hash: Option<&[u8]>,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        legal::set_feed(&mut tx, user, token_hash, at).await?;
        let mut audit = audit.about(user);
        audit.detail =
            serde_json::json!({ "change": if token_hash.is_some() { "created" } else { "revoked" } });
        audit::append(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit(&self, entry: NewAuditEntry) -> StoreResult<i64> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        if self.audit_queue.send((entry, reply)).await.is_err() {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        answer.await.map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))?
    }

    async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRow>> {
        audit::list(&self.pool, &self.access, filter).await
    }

    async fn verify_audit(&self) -> StoreResult<Result<AuditReport, TrailBreak>> {
        let changes = match audit::verify(&self.pool).await? {
            Ok(report) => report,
            Err(brk) => return Ok(Err(TrailBreak { trail: Trail::Changes, brk })),
        };
        let access = match audit::verify(&self.access).await? {
            Ok(report) => report,
            Err(brk) => return Ok(Err(TrailBreak { trail: Trail::Access, brk })),
        };
        Ok(Ok(AuditReport { changes, access }))
    }

    async fn write_backup(
        &self,
        key_file: &Path,
        dest: &Path,
        progress: &(dyn Fn(crate::backup::Progress) + Send + Sync),
    ) -> Result<crate::backup::Manifest, crate::backup::BackupError> {
        crate::backup::create(self, key_file, dest, progress).await
    }

    async fn verify_backup(
        &self,
        archive: &Path,
        scratch: &Path,
        progress: &(dyn Fn(crate::backup::Progress) + Send + Sync),
    ) -> Result<crate::backup::Manifest, crate::backup::BackupError> {
        crate::backup::verify(archive, &self.key, scratch, progress).await
    }

    async fn close(&self) {
        self.pool.close().await;
        if let Err(e) = self.finish_bulk_load().await {
            tracing::error!(error = %e, "the bulk load did not finish: load it again");
        }
        self.writer.close().await;
        self.access.close().await;
    }
}
