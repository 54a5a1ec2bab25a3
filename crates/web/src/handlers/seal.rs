//! Sealing and unsealing through the web: the unseal page (the only page served while sealed) and
//! the administrators' "seal now" action.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::{Action, Resource};
use zeroize::Zeroizing;

use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::{AppState, UnsealFailure};

#[derive(Template)]
#[template(path = "unseal.html")]
struct UnsealPage {
    p: Page,
    error: Option<String>,
}

/// `GET /unseal`.
pub async fn unseal_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if !state.is_sealed() {
        return Ok(Redirect::to("/").into_response());
    }
    render(&UnsealPage { p: ctx.page("unseal-title"), error: None })
}

/// `POST /unseal`.
pub async fn unseal(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    if !state.is_sealed() {
        return Ok(Redirect::to("/").into_response());
    }
    let passphrase = Zeroizing::new(form.get("passphrase").to_owned());
    let error = match state.unseal(&passphrase, Some(&ctx.client)).await {
        Ok(()) => return Ok(Redirect::to("/login").into_response()),
        Err(UnsealFailure::WrongPassphrase) => (StatusCode::UNAUTHORIZED, ctx.lang.t("unseal-wrong")),
        Err(UnsealFailure::Throttled(at)) => (
            StatusCode::TOO_MANY_REQUESTS,
            ctx.lang.t_args("throttled", &[("time", &ctx.lang.time_of_day(at))]),
        ),
        Err(UnsealFailure::Broken(_)) => (StatusCode::INTERNAL_SERVER_ERROR, ctx.lang.t("unseal-broken")),
    };
    render_status(error.0, &UnsealPage { p: ctx.page("unseal-title"), error: Some(error.1) })
}

#[derive(Template)]
#[template(path = "admin/seal.html")]
struct SealPage {
    p: Page,
}

/// `GET /admin/seal`: the confirmation.
pub async fn seal_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Action::Seal, Resource::Instance).await?;
    render(&SealPage { p: ctx.page("seal-title") })
}

/// `POST /admin/seal`: drops the keys now.
pub async fn seal(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Seal, Resource::Instance).await?;
    state.seal(Some(su.user.id), "web", Some(&ctx.client)).await;
    Ok(Redirect::to("/unseal").into_response())
}
