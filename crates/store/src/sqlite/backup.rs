//! What a backup needs from SQLite: consistent encrypted copies of both databases, taken while
//! the server goes on working, and the counts a backup's manifest records.

use std::collections::BTreeMap;
use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use std::os::unix::fs::DirBuilderExt;

use sqlx::{ConnectOptions, Connection};

use super::{MIGRATIONS, SqliteStore, access_log_path};
use crate::StoreResult;

/// The newest schema (migration) version this build knows.
pub fn schema_version() -> i64 {
    MIGRATIONS.migrations.iter().map(|m| m.version).max().unwrap_or(0)
}

/// The tables a manifest counts, with the name it gives each count.
const COUNTED: [(&str, &str); 9] = [
    ("cases", "SELECT count(*) FROM cases"),
    ("case_team", "SELECT count(*) FROM case_team"),
    ("records", "SELECT count(*) FROM records"),
    ("record_versions", "SELECT count(*) FROM record_versions"),
    ("persons", "SELECT count(*) FROM persons"),
    ("identities", "SELECT count(*) FROM identities"),
    ("evidence", "SELECT count(*) FROM evidence"),
    ("custody_events", "SELECT count(*) FROM custody_events"),
    ("users", "SELECT count(*) FROM users"),
];

impl SqliteStore {
    /// Writes a consistent copy of the database and of the access log into `dir` (as `ozodi.db`
    /// and `ozodi.access.db`), each encrypted with its own key exactly like the originals: SQLite's
    /// `VACUUM INTO` reads one snapshot, so writes that go on meanwhile are either wholly in the
    /// copy or not at all. Runs on connections of its own, so pages and writes are not held up.
    pub(crate) async fn snapshot_into(&self, dir: &Path) -> StoreResult<()> {
        let target = dir.join("ozodi.db");
        let pairs = [
            (&self.path, self.key.derive(ozodi_vault::SubKeyPurpose::Database), target.clone()),
            (
                &access_log_path(&self.path),
                self.key.derive(ozodi_vault::SubKeyPurpose::AccessLog),
                access_log_path(&target),
            ),
        ];
        for (source, key, copy) in pairs {
            let mut conn = SqliteConnectOptions::new()
                .filename(source)
                .pragma("key", format!("\"x'{}'\"", key.to_hex().as_str()))
                .busy_timeout(std::time::Duration::from_secs(30))
                // Copying a large instance takes minutes; that is expected, not a slow query.
                .disable_statement_logging()
                .connect()
                .await?;
            let copied = sqlx::query("VACUUM INTO ?")
                .bind(copy.to_string_lossy().into_owned())
                .execute(&mut conn)
                .await;
            conn.close().await?;
            copied?;
        }
        Ok(())
    }

    /// How many rows each table a manifest counts holds, and how many entries each audit trail.
    pub(crate) async fn counts(&self) -> StoreResult<BTreeMap<String, i64>> {
        let mut counts = BTreeMap::new();
        for (name, sql) in COUNTED {
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
            counts.insert(name.to_owned(), n);
        }
        let changes: i64 = sqlx::query_scalar("SELECT count(*) FROM audit").fetch_one(&self.pool).await?;
        let access: i64 = sqlx::query_scalar("SELECT count(*) FROM audit").fetch_one(&self.access).await?;
        counts.insert("audit_changes".to_owned(), changes);
        counts.insert("audit_access".to_owned(), access);
        Ok(counts)
    }

    /// The data key this store was opened with (a backup opens its snapshot with it).
    pub(crate) fn data_key(&self) -> &ozodi_vault::DataKey {
        &self.key
    }
}

impl SqliteStore {
    /// Moves evidence files that no record names into `.unrecorded/` beside them: the file of an
    /// upload whose record was never committed (the process died between sealing the file and the
    /// commit, so the upload was never acknowledged), and temporary files of uploads cut short.
    /// Nothing is deleted. Only for a server opening the instance, when no upload can be in
    /// flight; returns how many files were moved.
    pub async fn set_aside_unrecorded_files(&self) -> StoreResult<usize> {
        let recorded: std::collections::HashSet<String> =
            crate::Store::all_evidence(self).await?.into_iter().map(|e| format!("{}.blob", e.id)).collect();
        let mut moved = 0;
        for dir in [&self.evidence.dir, &self.evidence.identity_dir] {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let unrecorded = name.ends_with(".blob") && !recorded.contains(&name);
                let interrupted = name.starts_with('.') && name.ends_with(".tmp");
                if !(unrecorded || interrupted) {
                    continue;
                }
                let aside = dir.join(".unrecorded");
                let result = std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(&aside)
                    .and_then(|()| std::fs::rename(entry.path(), aside.join(&name)));
                match result {
                    Ok(()) => {
                        moved += 1;
                        tracing::warn!(file = %name, "an evidence file no record names was set aside (an upload that was never acknowledged)");
                    }
                    Err(e) => {
                        tracing::error!(error = %e, file = %name, "cannot set aside an unrecorded evidence file")
                    }
                }
            }
        }
        Ok(moved)
    }
}
