//! Login and logout. Login is throttled per account and per client address; a failure never says
//! whether the account exists; a success always starts a brand-new session (the old one, if any,
//! is ended), so a planted session id is worthless.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::Username;
use ozodi_domain::audit::AuditKind;
use ozodi_store::Session;
use ozodi_vault::token::{random_token, token_hash};
use zeroize::Zeroizing;

use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::middleware::SESSION_COOKIE;
use crate::page::Page;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    p: Page,
    username: String,
    notice: Option<String>,
    error: Option<String>,
}

/// `GET /login`.
pub async fn login_form(ctx: Ctx) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let notice = ctx.path.contains("changed=1").then(|| ctx.lang.t("password-changed-login"));
    render(&LoginPage { p: ctx.page("login-title"), username: String::new(), notice, error: None })
}

/// `POST /login`.
pub async fn login(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    let store = ctx.store()?;
    // Bounded: the typed name is a throttling key even when no such account exists.
    let typed: String = form.get("username").trim().to_lowercase().chars().take(64).collect();
    let password = Zeroizing::new(form.get("password").to_owned());
    let again = |status: StatusCode, message: String| {
        render_status(
            status,
            &LoginPage {
                p: ctx.page("login-title"),
                username: typed.clone(),
                notice: None,
                error: Some(message),
            },
        )
    };

    if let Err(retry_at) = state.login_allowed(&typed, &ctx.client) {
        let mut entry = state.audit_entry(None, AuditKind::LoginFailed, Some(&ctx.client));
        entry.detail = serde_json::json!({ "reason": "throttled" });
        store.audit(entry).await?;
        let message = ctx.lang.t_args("throttled", &[("time", &ctx.lang.time_of_day(retry_at))]);
        return again(StatusCode::TOO_MANY_REQUESTS, message);
    }

    let found = match Username::parse(&typed) {
        Ok(name) => store.user_for_login(&name).await?,
        Err(_) => None,
    };
    let stored_hash = found.as_ref().map(|(_, h)| h.clone());
    let pw = password.clone();
    let verified =
        tokio::task::spawn_blocking(move || ozodi_vault::password::verify(&pw, stored_hash.as_deref()))
            .await
            .map_err(AppError::internal)?;

    let user = match found {
        Some((user, _)) if verified && !user.disabled => user,
        other => {
            state.login_failed(&typed, &ctx.client);
            let mut entry = state.audit_entry(None, AuditKind::LoginFailed, Some(&ctx.client));
            let reason = match &other {
                None => "unknown-account",
                Some((u, _)) if u.disabled => "disabled",
                Some(_) => "wrong-password",
            };
            entry.subject = other.map(|(u, _)| u.id.to_string());
            entry.detail = serde_json::json!({ "reason": reason });
            store.audit(entry).await?;
            return again(StatusCode::UNAUTHORIZED, ctx.lang.t("login-failed"));
        }
    };

    state.login_succeeded(&typed, &ctx.client);
    if let Some(old) = &ctx.user {
        store.delete_session(&old.token_hash, None).await?;
    }
    let token = random_token()?;
    let now = state.now();
    let session =
        Session { user_id: user.id, csrf_token: random_token()?, created_at: now, last_seen_at: now };
    let entry = state.audit_entry(Some(user.id), AuditKind::LoginSucceeded, Some(&ctx.client));
    store.create_session(&token_hash(&token), &session, entry).await?;
    // Sessions abandoned without logout are swept here, so the table never keeps dead ones long.
    let policy = state.config().sessions;
    store.delete_expired_sessions(now - policy.idle, now - policy.absolute).await?;

    let config = state.config();
    let cookie = format!("{}={token}{}", config.cookie_name(SESSION_COOKIE), config.cookie_attributes());
    let to = if user.must_change_password { "/account/password" } else { "/dashboard" };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response())
}

/// `POST /logout`: ends this session (audited) and clears the cookie.
pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let Some(su) = &ctx.user else { return Ok(Redirect::to("/login").into_response()) };
    let entry = state.audit_entry(Some(su.user.id), AuditKind::Logout, Some(&ctx.client));
    su.store.delete_session(&su.token_hash, Some(entry)).await?;
    let config = state.config();
    let cookie = format!("{}=; Max-Age=0{}", config.cookie_name(SESSION_COOKIE), config.cookie_attributes());
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
