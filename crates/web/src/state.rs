//! The application state: configuration, the clock, the throttles, and the vault's one switch:
//! either sealed (no store, no keys in memory) or unsealed (an open store). Sealing takes the store
//! out, ends every session and closes every connection, so nothing keyed stays reachable.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use ozodi_domain::UserId;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::throttle::Throttle;
use ozodi_store::{InstanceError, NewAuditEntry, Store, Unsealer};
use ozodi_vault::VaultError;
use time::OffsetDateTime;

use crate::clock::Clock;
use crate::config::WebConfig;

/// Shared, cheaply clonable application state.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    config: WebConfig,
    clock: Arc<dyn Clock>,
    unsealer: Arc<dyn Unsealer>,
    store: RwLock<Option<Arc<dyn Store>>>,
    unseal_lock: tokio::sync::Mutex<()>,
    hashing: tokio::sync::Semaphore,
    pair_throttle: Mutex<Throttle<(String, String)>>,
    account_throttle: Mutex<Throttle<String>>,
    client_throttle: Mutex<Throttle<String>>,
    unseal_throttle: Mutex<Throttle<String>>,
    backups: Mutex<BackupStatus>,
    reports: Mutex<Throttle<()>>,
    report_clients: Mutex<Throttle<[u8; 16]>>,
    follow_up_failures: Mutex<Throttle<[u8; 16]>>,
    client_tag: Option<ozodi_vault::token::EphemeralTag>,
    /// The public site's catalogue with the stamp it was read at (public data only).
    site_catalogue: Mutex<Option<(String, Arc<Vec<ozodi_store::site::PublicItem>>)>>,
}

/// What scheduled backups last did, for the administrators' dashboard. The server's scheduler
/// (in the binary) reports here; nothing here is secret.
#[derive(Clone, Debug, Default)]
pub struct BackupStatus {
    /// Scheduled backups are configured.
    pub scheduled: bool,
    /// The last backup written and verified by a trial restore: when, its file name, its bytes.
    pub last_ok: Option<(OffsetDateTime, String, u64)>,
    /// The last failure: when, and which step failed.
    pub last_failure: Option<(OffsetDateTime, BackupFailure)>,
}

/// Which step of a scheduled backup failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupFailure {
    /// Writing the archive (space, permissions, the snapshot).
    Write,
    /// The written archive failed its trial restore.
    Check,
}

/// Password hashes computed at once. Each takes 46 MiB for tens of milliseconds; without a bound a
/// flood of login attempts from many addresses would exhaust memory before throttling applies.
const MAX_CONCURRENT_HASHES: usize = 2;

/// Why an unseal attempt failed, as the unseal page tells it.
#[derive(Debug)]
pub enum UnsealFailure {
    /// The passphrase is wrong.
    WrongPassphrase,
    /// Too many wrong passphrases from this client; try again at this time.
    Throttled(OffsetDateTime),
    /// The instance itself is broken (key file, database); the operator must look at the log.
    Broken(InstanceError),
}

impl AppState {
    /// A sealed state; `unsealer` opens the instance when the passphrase arrives.
    pub fn new(config: WebConfig, clock: Arc<dyn Clock>, unsealer: Arc<dyn Unsealer>) -> Self {
        let window = config.throttle_window;
        let per_pair = config.max_failures_per_account_and_client;
        let per_account = config.max_failures_per_account;
        let per_client = config.max_failures_per_client;
        AppState(Arc::new(Inner {
            clock,
            unsealer,
            store: RwLock::new(None),
            unseal_lock: tokio::sync::Mutex::new(()),
            hashing: tokio::sync::Semaphore::new(MAX_CONCURRENT_HASHES),
            pair_throttle: Mutex::new(Throttle::new(per_pair, window)),
            account_throttle: Mutex::new(Throttle::new(per_account, window)),
            client_throttle: Mutex::new(Throttle::new(per_client, window)),
            unseal_throttle: Mutex::new(Throttle::new(per_pair, window)),
            backups: Mutex::new(BackupStatus::default()),
            reports: Mutex::new(Throttle::new(config.reports_per_hour, time::Duration::hours(1))),
            report_clients: Mutex::new(Throttle::new(
                config.reports_per_client_per_hour,
                time::Duration::hours(1),
            )),
            follow_up_failures: Mutex::new(Throttle::new(per_client, window)),
            client_tag: ozodi_vault::token::EphemeralTag::new().ok(),
            site_catalogue: Mutex::new(None),
            config,
        }))
    }

    /// The published catalogue, read again only when the store's stamp changed since.
    pub(crate) async fn site_catalogue(
        &self,
        store: &dyn Store,
    ) -> ozodi_store::StoreResult<Arc<Vec<ozodi_store::site::PublicItem>>> {
        let stamp = store.site_stamp().await?;
        if let Ok(cached) = self.0.site_catalogue.lock()
            && let Some((at, items)) = cached.as_ref()
            && *at == stamp
        {
            return Ok(items.clone());
        }
        let items = Arc::new(store.site_published().await?);
        if let Ok(mut cached) = self.0.site_catalogue.lock() {
            *cached = Some((stamp, items.clone()));
        }
        Ok(items)
    }

    /// The settings.
    pub fn config(&self) -> &WebConfig {
        &self.0.config
    }

    /// Now, from the injected clock.
    pub fn now(&self) -> OffsetDateTime {
        self.0.clock.now()
    }

    /// The open store, or `None` while sealed.
    pub fn store(&self) -> Option<Arc<dyn Store>> {
        self.0.store.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// What scheduled backups last did.
    pub fn backup_status(&self) -> BackupStatus {
        self.0.backups.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Records what a scheduled backup did (or that backups are scheduled at all).
    pub fn update_backup_status(&self, update: impl FnOnce(&mut BackupStatus)) {
        update(&mut self.0.backups.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Whether the instance is sealed.
    pub fn is_sealed(&self) -> bool {
        self.store().is_none()
    }

    /// Unseals with `passphrase` (from the CLI, a file or the web page). A second unseal while
    /// unsealed is a no-op. Failed attempts from a client are throttled like logins.
    pub async fn unseal(&self, passphrase: &str, client: Option<&str>) -> Result<(), UnsealFailure> {
        let _one_at_a_time = self.0.unseal_lock.lock().await;
        if !self.is_sealed() {
            return Ok(());
        }
        let client_key = client.unwrap_or("-").to_owned();
        let now = self.now();
        lock(&self.0.unseal_throttle).check(&client_key, now).map_err(UnsealFailure::Throttled)?;
        let started = Instant::now();
        let store = match self.0.unsealer.unseal(passphrase).await {
            Ok(store) => store,
            Err(InstanceError::Vault(VaultError::WrongPassphrase)) => {
                lock(&self.0.unseal_throttle).fail(client_key, now);
                tracing::warn!("unseal refused: wrong passphrase");
                return Err(UnsealFailure::WrongPassphrase);
            }
            Err(e) => {
                tracing::error!(error = %e, "unseal failed");
                return Err(UnsealFailure::Broken(e));
            }
        };
        lock(&self.0.unseal_throttle).clear(&client_key);
        let entry = self.audit_entry(None, AuditKind::Unsealed, client);
        if let Err(e) = store.audit(entry).await {
            tracing::error!(error = %e, "could not audit the unseal; staying sealed");
            store.close().await;
            return Err(UnsealFailure::Broken(InstanceError::Store(e)));
        }
        *self.0.store.write().unwrap_or_else(|e| e.into_inner()) = Some(store.clone());
        tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "unsealed");
        // The statistics' facts are read in the background (seconds for a large instance), not
        // by the first reader of the statistics page. A seal meanwhile closes the store under it.
        tokio::spawn(async move {
            let started = Instant::now();
            match store.prepare_statistics().await {
                Ok(()) => {
                    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "statistics ready")
                }
                Err(e) => tracing::warn!(error = %e, "statistics not prepared"),
            }
        });
        Ok(())
    }

    /// Seals: audits who sealed, ends every session, closes the store and drops it (and with it
    /// the database key). Returns false if it was already sealed.
    pub async fn seal(&self, actor: Option<UserId>, how: &str, client: Option<&str>) -> bool {
        let taken = self.0.store.write().unwrap_or_else(|e| e.into_inner()).take();
        let Some(store) = taken else { return false };
        let mut entry = self.audit_entry(actor, AuditKind::Sealed, client);
        entry.detail = serde_json::json!({ "via": how });
        if let Err(e) = store.audit(entry).await {
            tracing::error!(error = %e, "could not audit the seal (sealing anyway)");
        }
        if let Err(e) = store.delete_all_sessions().await {
            tracing::error!(error = %e, "could not end sessions while sealing (sealing anyway)");
        }
        store.close().await;
        drop(store);
        tracing::warn!(via = how, "sealed: keys dropped, serving only the unseal page");
        true
    }

    /// Runs a password hash or verification on the blocking pool, at most
    /// [`MAX_CONCURRENT_HASHES`] at a time.
    pub async fn hashing<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        let _permit = self.0.hashing.acquire().await.map_err(crate::error::AppError::internal)?;
        tokio::task::spawn_blocking(work).await.map_err(crate::error::AppError::internal)
    }

    /// A new audit entry stamped with the current time.
    pub fn audit_entry(&self, actor: Option<UserId>, kind: AuditKind, client: Option<&str>) -> NewAuditEntry {
        NewAuditEntry {
            at: self.now(),
            actor,
            kind,
            subject: None,
            detail: serde_json::json!({}),
            client: client.map(str::to_owned),
        }
    }

    /// Whether a login for `account` from `client` may proceed now; `Err(retry_at)` (the latest of
    /// the limits that apply) if not.
    pub fn login_allowed(&self, account: &str, client: &str) -> Result<(), OffsetDateTime> {
        let now = self.now();
        let pair = (account.to_owned(), client.to_owned());
        let checks = [
            lock(&self.0.pair_throttle).check(&pair, now),
            lock(&self.0.account_throttle).check(&pair.0, now),
            lock(&self.0.client_throttle).check(&pair.1, now),
        ];
        match checks.into_iter().filter_map(Result::err).max() {
            Some(retry_at) => Err(retry_at),
            None => Ok(()),
        }
    }

    /// Counts a failed login against the account from this client, the account and the client.
    pub fn login_failed(&self, account: &str, client: &str) {
        let now = self.now();
        let mut pairs = lock(&self.0.pair_throttle);
        pairs.fail((account.to_owned(), client.to_owned()), now);
        pairs.prune(now);
        drop(pairs);
        let mut accounts = lock(&self.0.account_throttle);
        accounts.fail(account.to_owned(), now);
        accounts.prune(now);
        drop(accounts);
        let mut clients = lock(&self.0.client_throttle);
        clients.fail(client.to_owned(), now);
        clients.prune(now);
    }

    /// Forgets the failures of this account from this client after a successful login. The
    /// account-wide and client-wide counts stay: one valid login must not reset the budget for
    /// guessing others.
    pub fn login_succeeded(&self, account: &str, client: &str) {
        lock(&self.0.pair_throttle).clear(&(account.to_owned(), client.to_owned()));
    }
}

impl AppState {
    /// A client's tag for the public report pages' limits: a keyed hash of its address under a key
    /// drawn at start and held only in memory (none when no randomness was available, and then
    /// every client counts as one).
    fn client_tag(&self, client: &str) -> [u8; 16] {
        self.0.client_tag.as_ref().map(|t| t.tag(client.as_bytes())).unwrap_or_default()
    }

    /// Whether a web report from `client` may be accepted now: under the limit of all reports per
    /// hour and of this client's. `Err(retry_at)` otherwise. Counts it when accepted.
    pub fn take_report_slot(&self, client: &str) -> Result<(), OffsetDateTime> {
        let now = self.now();
        let tag = self.client_tag(client);
        let mut all = lock(&self.0.reports);
        let mut clients = lock(&self.0.report_clients);
        let checks = [all.check(&(), now), clients.check(&tag, now)];
        if let Some(retry_at) = checks.into_iter().filter_map(Result::err).max() {
            return Err(retry_at);
        }
        all.fail((), now);
        clients.fail(tag, now);
        clients.prune(now);
        Ok(())
    }

    /// Whether `client` may try a receipt now (too many wrong ones block it for a while).
    pub fn follow_up_allowed(&self, client: &str) -> Result<(), OffsetDateTime> {
        let tag = self.client_tag(client);
        lock(&self.0.follow_up_failures).check(&tag, self.now())
    }

    /// Counts a wrong receipt or secret from `client`.
    pub fn follow_up_failed(&self, client: &str) {
        let now = self.now();
        let tag = self.client_tag(client);
        let mut failures = lock(&self.0.follow_up_failures);
        failures.fail(tag, now);
        failures.prune(now);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
