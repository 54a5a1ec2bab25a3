//! Small routes: the health check, the stylesheet, the root redirect, the language switch and the
//! fallback 404.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_i18n::Lang;

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::middleware::LANG_COOKIE;
use crate::page::CSS;
use crate::state::AppState;

/// `GET /healthz`: "ok" when unsealed, 503 "sealed" when sealed. Also the bare baseline route of
/// the benchmark.
pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.is_sealed() {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "sealed").into_response()
    } else {
        "ok".into_response()
    }
}

/// `GET /static/{hash}/ozodi.css`: the embedded stylesheet, cacheable forever (the hash changes
/// with the content).
pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
        .into_response()
}

/// `GET /static/{hash}/alerts.js`: the alert banner's poll, cached forever (the hash changes with
/// the content).
pub async fn alerts_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        crate::page::ALERTS_JS,
    )
        .into_response()
}

/// `GET /`: to the dashboard (which sends visitors on to the login page).
pub async fn root() -> Redirect {
    Redirect::to("/dashboard")
}

/// Only local paths may be returned to: never `//host` or `https://host` (no open redirect).
pub fn local_path(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n']);
    if ok { next } else { "/" }
}

/// `POST /lang`: switches the language and returns to the same page. Saved on the account when
/// logged in, in a cookie otherwise.
pub async fn switch_language(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormPairs,
) -> Result<Response, AppError> {
    let lang = Lang::parse(form.get("lang")).ok_or(AppError::BadRequest)?;
    let next = local_path(form.get("next")).to_owned();
    if let Some(su) = &ctx.user {
        su.store.set_language(su.user.id, lang.code()).await?;
    }
    let config = state.config();
    let cookie = format!(
        "{}={}; Max-Age=31536000{}",
        config.cookie_name(LANG_COOKIE),
        lang.code(),
        config.cookie_attributes()
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

/// Unknown addresses.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/admin/users?x=1"), "/admin/users?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(local_path(bad), "/", "{bad}");
        }
    }
}
