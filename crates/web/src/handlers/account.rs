//! The user's own account: changing the password (also the forced change after a reset).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::password::{PasswordError, check_new_password};
use ozodi_domain::{Action, Resource};
use zeroize::Zeroizing;

use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    p: Page,
    forced: bool,
    error: Option<String>,
}

/// The translation key of a password policy failure.
pub fn password_error_key(e: PasswordError) -> &'static str {
    match e {
        PasswordError::TooShort => "password-too-short",
        PasswordError::TooLong => "password-too-long",
        PasswordError::Common => "password-common",
        PasswordError::ContainsUsername => "password-contains-username",
        PasswordError::Mismatch => "password-mismatch",
    }
}

/// `GET /account/password`.
pub async fn password_form(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::OwnAccount).await?;
    let forced = su.user.must_change_password;
    render(&PasswordPage { p: ctx.page("password-title"), forced, error: None })
}

/// `POST /account/password`: checks the current password, applies the policy, stores the new
/// hash and ends every session of the account (this one included), then asks for a fresh login.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::OwnAccount).await?;
    let forced = su.user.must_change_password;
    let current = Zeroizing::new(form.get("current").to_owned());
    let new = Zeroizing::new(form.get("new").to_owned());
    let confirm = Zeroizing::new(form.get("confirm").to_owned());
    let fail = |key: &str| {
        render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage { p: ctx.page("password-title"), forced, error: Some(ctx.lang.t(key)) },
        )
    };

    let stored = su.store.password_hash(su.user.id).await?;
    let cur = current.clone();
    let ok = state.hashing(move || ozodi_vault::password::verify(&cur, stored.as_deref())).await?;
    if !ok {
        return fail("password-current-wrong");
    }
    if let Err(e) = check_new_password(&new, &confirm, &su.user.username) {
        return fail(password_error_key(e));
    }
    if *new == *current {
        return fail("password-same");
    }
    let pw = new.clone();
    let hash = state.hashing(move || ozodi_vault::password::hash(&pw)).await??;
    let entry = state.audit_entry(Some(su.user.id), AuditKind::PasswordChanged, Some(&ctx.client));
    su.store.set_password(su.user.id, &hash, false, entry).await?;
    Ok(Redirect::to("/login?changed=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ozodi_i18n::Lang;

    #[test]
    fn every_password_error_has_a_message_in_every_language() {
        let all = [
            PasswordError::TooShort,
            PasswordError::TooLong,
            PasswordError::Common,
            PasswordError::ContainsUsername,
            PasswordError::Mismatch,
        ];
        for e in all {
            for lang in Lang::ALL {
                assert!(lang.has(password_error_key(e)), "{e:?} in {lang}");
            }
        }
    }
}
