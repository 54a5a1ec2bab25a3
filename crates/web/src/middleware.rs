//! Request middleware: the context (seal gate, session, language, CSRF) and the security headers.
//!
//! Order, outermost first (see `router.rs`): security headers, compression, panic catcher, context.
//! The context middleware is also where error markers become translated error pages, because it
//! is the one place that knows both the language and the request id.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use ozodi_domain::Actor;
use ozodi_domain::session::SessionState;
use ozodi_i18n::{Lang, negotiate};
use ozodi_vault::token::{random_token, secrets_equal, token_hash};

use crate::ctx::{Ctx, CtxData, SessionUser};
use crate::error::{ErrorKind, ErrorMarker};
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// Session cookie base name.
pub const SESSION_COOKIE: &str = "ozodi_session";
/// Anonymous CSRF cookie base name.
pub const CSRF_COOKIE: &str = "ozodi_csrf";
/// Language cookie base name (visitors without an account).
pub const LANG_COOKIE: &str = "ozodi_lang";

/// Activity is written back to the session at most this often, so a busy page does not turn
/// every read into a synchronous disk write.
const TOUCH_EVERY: time::Duration = time::Duration::seconds(60);

/// Paths reachable while sealed (the public report pages say themselves that they are closed).
fn allowed_while_sealed(path: &str) -> bool {
    path == "/unseal"
        || path == "/lang"
        || path == "/healthz"
        || path.starts_with("/static/")
        || is_public(path)
}

/// The public pages for anonymous reporters (DESIGN: no cookies, no address, no session). They
/// never read a cookie, never set one, never look at who the client is; their forms carry their
/// own proof (the receipt and secret), so there is no CSRF token either: a forged submission
/// could only file a report in the forger's own name. The calendar feeds (`/feeds/…`) are read
/// by calendar applications with a secret link instead of a session: no cookie either way.
pub fn is_public(path: &str) -> bool {
    path == "/report" || path.starts_with("/report/") || path.starts_with("/feeds/")
}

/// The language a public page was asked for with `?lang=`, if any.
fn query_language(query: Option<&str>) -> Option<Lang> {
    form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(&v))
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn client_address(state: &AppState, req: &Request) -> String {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if state.config().behind_tls_proxy && peer.is_some_and(|p| p.is_loopback()) {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_owned())
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
        if let Some(addr) = forwarded {
            return addr;
        }
    }
    peer.map(|p| p.to_string()).unwrap_or_else(|| "-".into())
}

fn request_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = ozodi_vault::random_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Finds the logged-in user behind the session cookie, ending sessions that expired or whose
/// account was disabled. Returns the user (if any) and whether the cookie must be cleared.
async fn load_session(state: &AppState, token: Option<&str>) -> Result<(Option<SessionUser>, bool), String> {
    let (Some(store), Some(token)) = (state.store(), token) else { return Ok((None, token.is_some())) };
    let hash = token_hash(token);
    let Some((session, user)) = store.session(&hash).await.map_err(|e| e.to_string())? else {
        return Ok((None, true));
    };
    let now = state.now();
    let expired =
        state.config().sessions.state(session.created_at, session.last_seen_at, now) != SessionState::Live;
    if expired || user.disabled {
        store.delete_session(&hash, None).await.map_err(|e| e.to_string())?;
        return Ok((None, true));
    }
    if now - session.last_seen_at >= TOUCH_EVERY {
        store.touch_session(&hash, now).await.map_err(|e| e.to_string())?;
    }
    let actor = Actor { id: user.id, roles: user.roles, must_change_password: user.must_change_password };
    let csrf = session.csrf_token;
    Ok((Some(SessionUser { user, actor, token_hash: hash, csrf, store }), false))
}

fn choose_language(user: Option<&SessionUser>, headers: &HeaderMap, cookie_name: &str) -> Lang {
    user.and_then(|su| su.user.language.as_deref())
        .and_then(Lang::parse)
        .or_else(|| cookie(headers, cookie_name).and_then(Lang::parse))
        .unwrap_or_else(|| {
            negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""))
        })
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Builds the context, enforces the seal gate and CSRF, runs the handler, renders error pages and
/// writes one log line per request.
pub async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request_id();
    let client = client_address(&state, &req);
    let method = req.method().clone();
    let path = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let config = state.config().clone();
    let session_name = config.cookie_name(SESSION_COOKIE);
    let csrf_name = config.cookie_name(CSRF_COOKIE);

    let sealed = state.is_sealed();
    let public = is_public(req.uri().path());
    let (user, clear_session, failure) = if public {
        (None, false, None)
    } else {
        match load_session(&state, cookie(req.headers(), &session_name)).await {
            Ok((user, clear)) => (user, clear, None),
            Err(cause) => (None, false, Some(cause)),
        }
    };
    let lang = if public {
        query_language(req.uri().query()).unwrap_or_else(|| {
            negotiate(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""))
        })
    } else {
        choose_language(user.as_ref(), req.headers(), &config.cookie_name(LANG_COOKIE))
    };
    let anon_csrf = cookie(req.headers(), &csrf_name).filter(|v| v.len() == 64).map(str::to_owned);
    // Static files need no token, and the public pages' visitors must leave with no cookie at
    // all (the report form's stylesheet is a static file).
    let cookieless = public || req.uri().path().starts_with("/static/");
    let (csrf, new_anon_csrf) = match (&user, &anon_csrf) {
        _ if cookieless => (String::new(), None),
        (Some(su), _) => (su.csrf.clone(), None),
        (None, Some(token)) => (token.clone(), None),
        (None, None) => {
            let token = random_token().unwrap_or_default();
            (token.clone(), Some(token))
        }
    };
    let alerts = match (&user, state.store()) {
        (Some(su), Some(store)) => {
            match crate::handlers::intake::current_snapshot(&state, store.as_ref()).await {
                Ok(snapshot) => crate::handlers::intake::banner(su, &snapshot),
                Err(e) => {
                    tracing::warn!(request_id, error = %e, "intake snapshot unavailable; no alert banner");
                    Default::default()
                }
            }
        }
        _ => Default::default(),
    };
    let ctx = Ctx(Arc::new(CtxData {
        request_id: request_id.clone(),
        // On the public pages the address is only ever used, in memory, by the report limits.
        client,
        lang,
        csrf,
        path: path.clone(),
        store: state.store(),
        now: state.now(),
        user,
        alerts,
    }));

    let response = if let Some(cause) = failure {
        error_response(ErrorKind::Internal, Some(cause))
    } else if sealed && !allowed_while_sealed(req.uri().path()) {
        Redirect::to("/unseal").into_response()
    } else if public {
        let mut req = req;
        req.extensions_mut().insert(ctx.clone());
        next.run(req).await
    } else if !is_safe(&method) && is_upload(route.as_deref(), &method, req.headers()) && ctx.user.is_some() {
        // The upload handlers check the token, which must be the form's first field, before they
        // read anything else (buffering a file of up to 2 GiB here is not an option).
        let mut req = req;
        req.extensions_mut().insert(ctx.clone());
        next.run(req).await
    } else if !is_safe(&method) {
        let limit = if route.as_deref().is_some_and(|r| LARGE_FORM_ROUTES.contains(&r)) {
            LARGE_FORM_BYTES
        } else {
            config.max_body_bytes
        };
        match check_csrf(req, &ctx, anon_csrf.as_deref(), limit).await {
            Ok(mut req) => {
                req.extensions_mut().insert(ctx.clone());
                next.run(req).await
            }
            Err(kind) => error_response(kind, None),
        }
    } else {
        let mut req = req;
        req.extensions_mut().insert(ctx.clone());
        next.run(req).await
    };

    let mut response = render_errors(response, &ctx);
    let attrs = config.cookie_attributes();
    if let Some(token) = new_anon_csrf {
        add_cookie(&mut response, &format!("{csrf_name}={token}{attrs}"));
    }
    if clear_session {
        add_cookie(&mut response, &format!("{session_name}=; Max-Age=0{attrs}"));
    }
    tracing::info!(
        request_id,
        method = %method,
        route = route.as_deref().unwrap_or("-"),
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The forms that carry a long text (a publication's body in Markdown: up to
/// `site::MAX_BODY_CHARS` characters, six bytes each once form-encoded in Cyrillic).
pub const LARGE_FORM_ROUTES: [&str; 3] =
    ["/publications", "/publications/{rid}", "/site-pages/{page}/{lang}"];
/// How large those forms may be.
pub const LARGE_FORM_BYTES: usize = 1 << 20;

/// The routes that take `multipart/form-data` uploads and check the CSRF token themselves, as
/// the form's first field, before reading anything else.
const UPLOAD_ROUTES: [&str; 3] =
    ["/cases/{id}/evidence", "/recommendations/import", "/publications/{id}/files"];

/// Whether this is a `multipart/form-data` POST to a route that streams uploads.
fn is_upload(route: Option<&str>, method: &axum::http::Method, headers: &axum::http::HeaderMap) -> bool {
    route.is_some_and(|r| UPLOAD_ROUTES.contains(&r))
        && method == axum::http::Method::POST
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"))
}

fn error_response(kind: ErrorKind, cause: Option<String>) -> Response {
    let mut response = kind.status().into_response();
    response.extensions_mut().insert(ErrorMarker { kind, cause });
    response
}

/// Reads the body (bounded), checks the `csrf` field against the session's token (or the
/// anonymous cookie), and hands the request on with its body restored.
async fn check_csrf(
    req: Request,
    ctx: &Ctx,
    anon_cookie: Option<&str>,
    limit: usize,
) -> Result<Request, ErrorKind> {
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| ErrorKind::PayloadTooLarge)?;
    let form = FormPairs::parse(&bytes).map_err(|_| ErrorKind::BadRequest)?;
    let submitted = form.get("csrf");
    let expected = match &ctx.user {
        Some(_) => Some(ctx.csrf.as_str()),
        None => anon_cookie,
    };
    match expected {
        Some(token) if !token.is_empty() && secrets_equal(submitted, token) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => {
            tracing::warn!(request_id = ctx.request_id, "CSRF token missing or wrong; request refused");
            Err(ErrorKind::Csrf)
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    p: Page,
    body: String,
    request_id: String,
}

#[derive(Template)]
#[template(path = "report/error.html")]
struct PublicErrorPage {
    p: crate::handlers::report::PublicPage,
    body: String,
    request_id: String,
}

/// Replaces marked or bare error responses with the translated error page.
fn render_errors(response: Response, ctx: &Ctx) -> Response {
    let marker = response.extensions().get::<ErrorMarker>().cloned();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let kind = match (&marker, is_html) {
        (Some(m), _) => m.kind,
        (None, false) => match ErrorKind::from_status(response.status()) {
            Some(kind) => kind,
            None => return response,
        },
        (None, true) => return response,
    };
    if let Some(ErrorMarker { cause: Some(cause), .. }) = &marker {
        tracing::error!(request_id = ctx.request_id, cause, "request failed");
    }
    let status = kind.status();
    let page = ErrorPage {
        p: ctx.page(&format!("{}-title", kind.key())),
        body: ctx.lang.t(&format!("{}-body", kind.key())),
        request_id: ctx.request_id.clone(),
    };
    // The public pages keep their own frame: no menu, no language form, nothing of the system
    // (they are also served on the public site's listener).
    let path = ctx.path.split('?').next().unwrap_or("");
    let rendered = if is_public(path) {
        let p = crate::handlers::report::PublicPage {
            lang: ctx.lang,
            title: page.p.title.clone(),
            here: "/report",
        };
        PublicErrorPage { p, body: page.body, request_id: page.request_id }.render()
    } else {
        page.render()
    };
    match rendered {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, "error").into_response(),
    }
}

fn add_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The security headers on every response. No inline script is allowed, only our own files (the
/// alert poll); nothing may frame us; responses carry no referrer; pages are never cached.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    // An upload refused part-way (too large, a full disk, a bad type) is answered before its body
    // was read to the end; the connection then cannot carry another request, so say so, or the
    // client's next request on it fails.
    let upload = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut response = next.run(req).await;
    if upload && !response.status().is_redirection() {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The page shown when a handler panicked: no language is known at that point, so it speaks all
/// three. The panic itself is logged by the panic hook, never shown.
pub fn panic_page(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let body = "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><title>ozodi</title>\
        <h1>Внутренняя ошибка · Хатогии дохилӣ · Internal error</h1>\
        <p>Попробуйте ещё раз. · Бори дигар кӯшиш кунед. · Please try again.</p>";
    (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
}
