//! ozodi's web layer: the axum router (every route in `router.rs`), handlers per area, askama
//! templates, the request context (session, language, CSRF), security headers and the one
//! [`error::AppError`] that turns every failure into a translated page with a request id.
//!
//! Only this crate knows HTTP. It asks `ozodi_domain::can` before every read or change, and
//! reaches data only through the `ozodi_store::Store` trait.

pub mod clock;
pub mod config;
mod ctx;
mod error;
mod form;
pub mod handlers;
mod middleware;
mod page;
mod router;
pub mod site;
mod state;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::WebConfig;
pub use page::ALERTS_JS_PATH;
pub use router::router;
pub use state::{AppState, BackupFailure, BackupStatus, UnsealFailure};

use std::net::SocketAddr;

use tokio::net::TcpListener;

/// Serves `state` on `listener` until `shutdown` resolves. Connection info (the peer address) is
/// passed to handlers for login throttling.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
