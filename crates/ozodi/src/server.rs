//! Running the server: bind, optionally unseal, serve until SIGINT/SIGTERM, seal on SIGUSR1 or on
//! `ozodi seal` (a line on the owner-only control socket in the data directory).

use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use ozodi_store::Instance;
use ozodi_web::{AppState, SystemClock, UnsealFailure};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, UnixListener, UnixStream};
use tokio::signal::unix::{SignalKind, signal};
use zeroize::Zeroizing;

use crate::config::Settings;
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

    say(format!("ozodi listening on http://{addr}/"));
    if state.is_sealed() {
        say(format!("sealed: unseal at http://{addr}/unseal"));
    }
    after_bind(addr);

    let result = ozodi_web::serve(listener, state.clone(), shutdown_signal()).await;
    state.seal(None, "shutdown", None).await;
    let _ = std::fs::remove_file(&socket_path);
    result.context("the server stopped with an error")
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
