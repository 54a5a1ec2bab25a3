//! An instance on disk: a data directory holding the key file (`key.json`), the encrypted
//! database (`ozodi.db`, with its WAL), the encrypted access log next to it (`ozodi.access.db`, the
//! stand-alone audit entries) and the encrypted evidence and identity files. This is the one place that knows that layout; `init`,
//! `serve`, `passphrase change` and `audit verify` all go through it.

use std::fs::{self, DirBuilder};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use ozodi_vault::{KdfParams, KeyFile, VaultError};

use crate::{OpenMode, SqliteStore, Store, StoreError};

/// What can go wrong opening or creating an instance.
#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    /// A key problem (wrong passphrase, missing or damaged key file).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A database problem (foreign or unencrypted file, missing database).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `init` found an instance already there.
    #[error("an instance already exists in {0}; refusing to overwrite it")]
    AlreadyExists(PathBuf),
    /// Creating the data directory failed.
    #[error("cannot create the data directory {path}: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The key derivation task did not finish.
    #[error("the unseal task failed")]
    Task,
}

/// Opens an instance given its passphrase. The web layer's unseal page holds one of these and
/// does not know which backend is behind it.
#[async_trait]
pub trait Unsealer: Send + Sync + std::fmt::Debug {
    /// Derives the keys, opens the store and applies pending migrations.
    async fn unseal(&self, passphrase: &str) -> Result<Arc<dyn Store>, InstanceError>;
}

/// An instance's data directory.
#[derive(Clone, Debug)]
pub struct Instance {
    dir: PathBuf,
}

impl Instance {
    /// The instance in `dir` (which may not exist yet).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Instance { dir: dir.into() }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key file.
    pub fn key_path(&self) -> PathBuf {
        self.dir.join("key.json")
    }

    /// The database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir.join("ozodi.db")
    }

    /// The access log (its own encrypted database; a backup must hold it with the database).
    pub fn access_log_path(&self) -> PathBuf {
        crate::sqlite::access_log_path(&self.db_path())
    }

    /// Whether anything of an instance (key file, database or access log) is present.
    pub fn exists(&self) -> bool {
        self.key_path().exists() || self.db_path().exists() || self.access_log_path().exists()
    }

    /// Creates a new instance: the directory (owner-only), a fresh data key wrapped under
    /// `passphrase`, and an empty migrated database. Refuses if anything of an instance is there.
    pub async fn init(&self, passphrase: &str, params: KdfParams) -> Result<SqliteStore, InstanceError> {
        if self.exists() {
            return Err(InstanceError::AlreadyExists(self.dir.clone()));
        }
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(|source| InstanceError::Io { path: self.dir.clone(), source })?;
        let pass = passphrase.to_owned();
        let (file, key) = tokio::task::spawn_blocking(move || KeyFile::create(&pass, params))
            .await
            .map_err(|_| InstanceError::Task)??;
        // The database first, then the key file: if creating the database fails, no key file is
        // left behind claiming an instance that does not exist.
        let store = SqliteStore::open(&self.db_path(), &key, OpenMode::Create).await?;
        load_shipped_vocabularies(&store).await?;
        if let Err(e) = file.write(&self.key_path(), false) {
            store.close().await;
            let _ = fs::remove_file(self.db_path());
            let _ = fs::remove_file(self.access_log_path());
            return Err(e.into());
        }
        Ok(store)
    }

    /// Reads the key file and unwraps the data key with `passphrase` (Argon2id, off the runtime).
    async fn data_key(&self, passphrase: &str) -> Result<ozodi_vault::DataKey, InstanceError> {
        let file = KeyFile::read(&self.key_path())?;
        let pass = passphrase.to_owned();
        tokio::task::spawn_blocking(move || file.unwrap_key(&pass))
            .await
            .map_err(|_| InstanceError::Task)?
            .map_err(Into::into)
    }

    /// Unwraps the data key with `passphrase` and opens the existing database.
    pub async fn open(&self, passphrase: &str) -> Result<SqliteStore, InstanceError> {
        let key = self.data_key(passphrase).await?;
        let store = SqliteStore::open(&self.db_path(), &key, OpenMode::Existing).await?;
        load_shipped_vocabularies(&store).await?;
        Ok(store)
    }

    /// Opens the existing database with the data key itself (a backup being verified or restored:
    /// the key was unwrapped from the archive's copy of the key file).
    pub async fn open_with_key(&self, key: &ozodi_vault::DataKey) -> Result<SqliteStore, InstanceError> {
        let store = SqliteStore::open(&self.db_path(), key, OpenMode::Existing).await?;
        load_shipped_vocabularies(&store).await?;
        Ok(store)
    }

    /// Opens the existing database for a bulk load ([`OpenMode::BulkLoad`]: no sync and no search
    /// index upkeep until [`Store::close`], which rebuilds the index and syncs). For loading the
    /// demo or benchmark dataset into a fresh instance; never for a server.
    pub async fn open_for_bulk_load(&self, passphrase: &str) -> Result<SqliteStore, InstanceError> {
        let key = self.data_key(passphrase).await?;
        Ok(SqliteStore::open(&self.db_path(), &key, OpenMode::BulkLoad).await?)
    }

    /// Rewraps the data key under a new passphrase. The database is not touched.
    pub async fn change_passphrase(&self, old: &str, new: &str) -> Result<(), InstanceError> {
        let path = self.key_path();
        let file = KeyFile::read(&path)?;
        let (old, new) = (old.to_owned(), new.to_owned());
        let rewrapped = tokio::task::spawn_blocking(move || file.rewrap(&old, &new))
            .await
            .map_err(|_| InstanceError::Task)??;
        rewrapped.write(&path, true)?;
        Ok(())
    }
}

/// Loads the vocabularies shipped in this binary (first start and every upgrade). A shipped file
/// that does not parse is a build defect caught by the test suite; here it is logged and skipped
/// so that an instance never stays sealed over it.
async fn load_shipped_vocabularies(store: &SqliteStore) -> Result<(), InstanceError> {
    let mut lists = Vec::new();
    for parsed in ozodi_domain::vocab::shipped() {
        match parsed {
            Ok(list) => lists.push(list),
            Err(e) => tracing::error!(error = %e, "skipping a shipped vocabulary"),
        }
    }
    let report = store.sync_vocabularies(&lists).await?;
    if report.terms_added > 0 {
        tracing::info!(lists = report.lists_added, terms = report.terms_added, "vocabularies loaded");
    }
    Ok(())
}

#[async_trait]
impl Unsealer for Instance {
    /// Opens the instance for a server: as [`Instance::open`], and then sets aside evidence files
    /// left by uploads a crash cut short (see [`SqliteStore::set_aside_unrecorded_files`]).
    async fn unseal(&self, passphrase: &str) -> Result<Arc<dyn Store>, InstanceError> {
        let store = self.open(passphrase).await?;
        if let Err(e) = store.set_aside_unrecorded_files().await {
            store.close().await;
            return Err(e.into());
        }
        Ok(Arc::new(store))
    }
}
