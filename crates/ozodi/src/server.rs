//! Running the server: bind, optionally unseal, serve until SIGINT/SIGTERM, seal on SIGUSR1 or on
//! `ozodi seal` (a line on the owner-only control socket in the data directory).

use std::net::SocketAddr;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use ozodi_store::Instance;
use ozodi_web::{AppState, BackupFailure, SystemClock, UnsealFailure};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, UnixListener, UnixStream};
use tokio::signal::unix::{SignalKind, signal};
use zeroize::Zeroizing;

use crate::config::{BackupSchedule, Settings};
use crate::say;

/// The control socket of an instance.
pub fn control_socket(dir: &Path) -> PathBuf {
    dir.join("control.sock")
}

/// Explains an unseal failure to the operator.
pub fn unseal_message(failure: &UnsealFailure) -> String {
    match failure {
        UnsealFailure::WrongPassphrase => "the passphrase is wrong; nothing was opened or changed".into(),
        UnsealFailure::Throttled(_) => "too many wrong passphrases; try again later".into(),
        UnsealFailure::Broken(e) => format!("{e}"),
    }
}

/// Serves the instance. With `passphrase`, unseals before accepting connections and fails
/// closed (exits with an error) if that does not work.
pub async fn run(
    settings: &Settings,
    instance: Instance,
    passphrase: Option<Zeroizing<String>>,
    after_bind: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let socket_path = control_socket(instance.dir());
    if UnixStream::connect(&socket_path).await.is_ok() {
        bail!("another ozodi server is already running on {}", instance.dir().display());
    }
    let state = AppState::new(settings.web.clone(), Arc::new(SystemClock), Arc::new(instance.clone()));
    if let Some(pass) = passphrase {
        state
            .unseal(&pass, None)
            .await
            .map_err(|f| anyhow::anyhow!("cannot unseal: {}", unseal_message(&f)))?;
    }
    let listener = TcpListener::bind((settings.bind, settings.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", settings.bind, settings.port))?;
    let addr = listener.local_addr()?;

    let _ = std::fs::remove_file(&socket_path);
    let control = UnixListener::bind(&socket_path)
        .with_context(|| format!("cannot create the control socket {}", socket_path.display()))?;
    std::fs::set_permissions(&socket_path, std::fs::Permissions::from_mode(0o600))?;
    tokio::spawn(control_loop(control, state.clone()));
    tokio::spawn(seal_on_signal(state.clone()));
    let mailer = settings.mail.as_ref().map(crate::mail::Mailer::new).transpose()?;
    tokio::spawn(intake_clock(state.clone(), mailer));
    if let Some(schedule) = settings.backup.clone() {
        state.update_backup_status(|s| s.scheduled = true);
        tokio::spawn(backup_schedule(state.clone(), instance.clone(), schedule));
    }

    say(format!("ozodi listening on http://{addr}/"));
    if let Some(port) = settings.site_port {
        // The public website: its own listener, its own router; nothing internal is routed there.
        let site = TcpListener::bind((settings.bind, port))
            .await
            .with_context(|| format!("cannot listen on {}:{port} for the public site", settings.bind))?;
        say(format!("public site on http://{}/", site.local_addr()?));
        let site_state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = ozodi_web::site::serve(site, site_state, std::future::pending()).await {
                tracing::error!(error = %e, "the public site stopped");
            }
        });
    }
    if state.is_sealed() {
        say(format!("sealed: unseal at http://{addr}/unseal"));
    }
    after_bind(addr);

    let result = ozodi_web::serve(listener, state.clone(), shutdown_signal()).await;
    state.seal(None, "shutdown", None).await;
    let _ = std::fs::remove_file(&socket_path);
    result.context("the server stopped with an error")
}

/// Every 30 seconds: escalates urgent alerts nobody acknowledged in time and notices tasks that
/// fell due (see `ozodi_web::handlers::intake::tick`), then announces waiting notifications by
/// e-mail when a mailer is configured. Nothing happens while sealed.
async fn intake_clock(state: AppState, mailer: Option<crate::mail::Mailer>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match ozodi_web::handlers::intake::tick(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(escalated = n, "urgent alerts escalated to the coordinators"),
            Err(e) => tracing::error!(error = %e, "the intake clock failed; it tries again in 30 seconds"),
        }
        if let Some(mailer) = &mailer
            && let Err(e) = mailer.send_pending(&state).await
        {
            tracing::error!(error = %e, "e-mail announcements failed; tried again in 30 seconds");
        }
    }
}

async fn control_loop(listener: UnixListener, state: AppState) {
    while let Ok((stream, _)) = listener.accept().await {
        let state = state.clone();
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut line = String::new();
            let mut reader = BufReader::new(read.take(64));
            if reader.read_line(&mut line).await.is_err() {
                return;
            }
            let reply = match line.trim() {
                "seal" => {
                    if state.seal(None, "cli", None).await {
                        "sealed\n"
                    } else {
                        "already sealed\n"
                    }
                }
                "status" => {
                    if state.is_sealed() {
                        "sealed\n"
                    } else {
                        "unsealed\n"
                    }
                }
                _ => "unknown command\n",
            };
            let _ = write.write_all(reply.as_bytes()).await;
        });
    }
}

async fn seal_on_signal(state: AppState) {
    let Ok(mut usr1) = signal(SignalKind::user_defined1()) else { return };
    while usr1.recv().await.is_some() {
        state.seal(None, "signal", None).await;
    }
}

async fn shutdown_signal() {
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

/// Asks a running server to seal, through its control socket.
pub async fn request_seal(dir: &Path) -> anyhow::Result<String> {
    let path = control_socket(dir);
    let mut stream = UnixStream::connect(&path)
        .await
        .with_context(|| format!("no running ozodi server found at {}", path.display()))?;
    stream.write_all(b"seal\n").await?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply).await?;
    Ok(reply.trim().to_owned())
}

/// Scheduled archives are named after their time (UTC), so the newest is found by name.
const BACKUP_PREFIX: &str = "ozodi-backup-";
const BACKUP_TIME: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

/// The scheduled archives in `dir`, oldest first, with their times.
fn scheduled_archives(dir: &Path) -> Vec<(time::PrimitiveDateTime, PathBuf)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stamp = name.strip_prefix(BACKUP_PREFIX).and_then(|n| n.strip_suffix(".ozb"));
        if let Some(at) = stamp.and_then(|s| time::PrimitiveDateTime::parse(s, BACKUP_TIME).ok()) {
            found.push((at, entry.path()));
        }
    }
    found.sort();
    found
}

/// Takes a backup whenever the newest archive in the directory is older than the interval (so a
/// restarted server does not wait a whole interval), verifies each by a trial restore, keeps the
/// newest `keep`, and reports to the administrators' dashboard. While sealed nothing can be read,
/// so nothing is taken; after a failure it waits a tenth of the interval (at most ten minutes)
/// before trying again.
async fn backup_schedule(state: AppState, instance: Instance, schedule: BackupSchedule) {
    let retry = (schedule.every / 10).min(std::time::Duration::from_secs(600));
    let mut failed_at: Option<std::time::Instant> = None;
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if failed_at.is_some_and(|at| at.elapsed() < retry) {
            continue;
        }
        let Some(store) = state.store() else { continue };
        let now = state.now();
        let newest = scheduled_archives(&schedule.dir).pop().map(|(at, _)| at.assume_utc());
        if newest.is_some_and(|at| now - at < schedule.every) {
            continue;
        }
        failed_at = match backup_once(&state, &instance, &schedule, store.as_ref(), now).await {
            Ok(()) => None,
            Err(()) => Some(std::time::Instant::now()),
        };
    }
}

async fn backup_once(
    state: &AppState,
    instance: &Instance,
    schedule: &BackupSchedule,
    store: &dyn ozodi_store::Store,
    now: time::OffsetDateTime,
) -> Result<(), ()> {
    let fail = |why: BackupFailure| state.update_backup_status(|s| s.last_failure = Some((now, why)));
    let stamp = now.format(BACKUP_TIME).unwrap_or_default();
    let name = format!("{BACKUP_PREFIX}{stamp}.ozb");
    let dest = schedule.dir.join(&name);
    if let Err(e) = std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&schedule.dir) {
        tracing::error!(error = %e, dir = %schedule.dir.display(), "scheduled backup: cannot create the backup directory");
        fail(BackupFailure::Write);
        return Err(());
    }
    tracing::info!(file = %dest.display(), "scheduled backup: writing");
    let manifest = match store.write_backup(&instance.key_path(), &dest, &|_| {}).await {
        Ok(manifest) => manifest,
        Err(e) => {
            tracing::error!(error = %e, "scheduled backup failed");
            fail(BackupFailure::Write);
            return Err(());
        }
    };
    let verified = store.verify_backup(&dest, &schedule.dir, &|_| {}).await;
    let mut entry = manifest.created_entry("schedule", &dest, verified.is_ok());
    entry.at = now;
    if let Err(e) = store.audit(entry).await {
        tracing::error!(error = %e, "scheduled backup: the audit entry could not be written");
    }
    if let Err(e) = verified {
        tracing::error!(error = %e, file = %dest.display(), "scheduled backup failed its verification; kept as .failed");
        let _ = std::fs::rename(&dest, dest.with_extension("ozb.failed"));
        fail(BackupFailure::Check);
        return Err(());
    }
    let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    tracing::info!(file = %dest.display(), bytes, "scheduled backup written and verified");
    state.update_backup_status(|s| s.last_ok = Some((now, name.clone(), bytes)));
    let archives = scheduled_archives(&schedule.dir);
    let surplus = archives.len().saturating_sub(schedule.keep);
    for (_, old) in archives.into_iter().take(surplus) {
        match std::fs::remove_file(&old) {
            Ok(()) => tracing::info!(file = %old.display(), "scheduled backup: removed an old archive"),
            Err(e) => tracing::warn!(error = %e, file = %old.display(), "cannot remove an old archive"),
        }
    }
    Ok(())
}
