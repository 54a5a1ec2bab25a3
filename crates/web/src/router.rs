//! Every route in one place, and the middleware stack around them.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

use crate::handlers::{
    account, admin_audit, admin_users, admin_vocab, auth, cases, dashboard, persons, seal, system,
};
use crate::middleware;
use crate::state::AppState;

/// The application: routes, then (innermost first) the context middleware, the panic catcher,
/// compression and the security headers (outermost, so even the panic page carries them).
pub fn router(state: AppState) -> Router {
    let max_body = state.config().max_body_bytes;
    Router::new()
        .route("/", get(system::root))
        .route("/healthz", get(system::healthz))
        .route("/static/{hash}/ozodi.css", get(system::css))
        .route("/lang", post(system::switch_language))
        .route("/unseal", get(seal::unseal_form).post(seal::unseal))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/new", get(cases::new_form))
        .route("/cases/{id}", get(cases::show).post(cases::update))
        .route("/cases/{id}/edit", get(cases::edit_form))
        .route("/cases/{id}/status", post(cases::transition))
        .route("/cases/{id}/history", get(cases::history))
        .route("/cases/{id}/team", post(cases::add_member))
        .route("/cases/{id}/team/{user}/remove", post(cases::remove_member))
        .route("/cases/{id}/delete", get(cases::delete_form).post(cases::delete))
        .route("/cases/{id}/restore", post(cases::restore))
        .route("/cases/{id}/persons", post(persons::create))
        .route("/cases/{id}/persons/new", get(persons::new_form))
        .route("/cases/{id}/persons/{person}/reveal", get(persons::reveal_form).post(persons::reveal))
        .route("/account/password", get(account::password_form).post(account::change_password))
        .route("/admin/users", get(admin_users::list).post(admin_users::create))
        .route("/admin/users/new", get(admin_users::new_form))
        .route("/admin/users/{id}", get(admin_users::show))
        .route("/admin/users/{id}/roles", post(admin_users::set_roles))
        .route("/admin/users/{id}/name", post(admin_users::set_name))
        .route("/admin/users/{id}/disable", get(admin_users::confirm_disable).post(admin_users::disable))
        .route("/admin/users/{id}/enable", post(admin_users::enable))
        .route(
            "/admin/users/{id}/reset-password",
            get(admin_users::confirm_reset).post(admin_users::reset_password),
        )
        .route("/admin/audit", get(admin_audit::browse))
        .route("/admin/vocabularies", get(admin_vocab::index))
        .route("/admin/vocabularies/{list}", get(admin_vocab::show))
        .route("/admin/vocabularies/{list}/terms", post(admin_vocab::add))
        .route("/admin/vocabularies/{list}/{code}", get(admin_vocab::term))
        .route("/admin/vocabularies/{list}/{code}/labels", post(admin_vocab::relabel))
        .route("/admin/vocabularies/{list}/{code}/deprecate", post(admin_vocab::deprecate))
        .route("/admin/vocabularies/{list}/{code}/restore", post(admin_vocab::restore))
        .route("/admin/seal", get(seal::seal_form).post(seal::seal))
        .fallback(system::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::context))
        .layer(CatchPanicLayer::custom(middleware::panic_page))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .with_state(state)
}
