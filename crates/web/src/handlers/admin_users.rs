//! Account administration: list, create, change roles and display name, disable and re-enable,
//! reset a password. Every action is audited in the same transaction as the change. Temporary
//! passwords are generated here, shown to the administrator once, and must be replaced at the
//! user's next login.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::user::AccountFieldError;
use ozodi_domain::{Action, DisplayName, Resource, Role, RoleSet, UserId, Username};
use ozodi_store::{NewUser, Store, StoreError, User};

use super::{render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// A row of the account list, prepared for display.
#[derive(Debug)]
struct UserView {
    id: String,
    username: String,
    display_name: String,
    roles: String,
    disabled: bool,
    must_change: bool,
    created: String,
}

fn view(ctx: &Ctx, u: &User) -> UserView {
    let roles: Vec<String> = u.roles.iter().map(|r| ctx.lang.t(&format!("role-{}", r.code()))).collect();
    UserView {
        id: u.id.to_string(),
        username: u.username.to_string(),
        display_name: u.display_name.as_str().to_owned(),
        roles: roles.join(", "),
        disabled: u.disabled,
        must_change: u.must_change_password,
        created: ctx.lang.datetime(u.created_at),
    }
}

/// A role checkbox.
#[derive(Debug)]
struct RoleOption {
    code: &'static str,
    label: String,
    checked: bool,
}

fn role_options(ctx: &Ctx, selected: RoleSet) -> Vec<RoleOption> {
    Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            code: r.code(),
            label: ctx.lang.t(&format!("role-{}", r.code())),
            checked: selected.contains(r),
        })
        .collect()
}

fn parse_roles(form: &FormPairs) -> Result<RoleSet, AppError> {
    form.all("role").map(|code| Role::parse(code).ok_or(AppError::BadRequest)).collect()
}

/// A fresh temporary password: 16 characters from an alphabet without look-alikes, in groups of
/// four (about 79 bits).
fn temporary_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    ozodi_vault::random_bytes(&mut bytes)?;
    let mut out = String::with_capacity(19);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 is not a multiple of 31; the bias (at most 1/256 per character) is irrelevant for a
        // one-time password that must be changed at first login.
        out.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
    }
    Ok(out)
}

async fn hash_password(state: &AppState, password: String) -> Result<String, AppError> {
    Ok(state.hashing(move || ozodi_vault::password::hash(&password)).await??)
}

/// The administrator acting and the account at `id`, if `action` on that account is allowed. An
/// unknown or malformed id is a 404.
async fn administered<'c>(
    ctx: &'c Ctx,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, User), AppError> {
    let su = ctx.require(Action::View, Resource::Accounts).await?;
    let id = UserId::parse(id).ok_or(AppError::NotFound)?;
    let user = su.store.user(id).await?.ok_or(AppError::NotFound)?;
    ctx.require(action, Resource::Account(user.id)).await?;
    Ok((su, user))
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    p: Page,
    users: Vec<UserView>,
    exports: (String, String),
}

/// `GET /admin/users` (also as CSV or XLSX).
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Accounts).await?;
    let users: Vec<UserView> = su.store.users().await?.iter().map(|u| view(&ctx, u)).collect();
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("users-title"),
            headers: ["user-username", "user-display-name", "user-roles", "user-status", "user-created"]
                .iter()
                .map(|k| lang.t(k))
                .collect(),
            rows: users
                .iter()
                .map(|u| {
                    let status = match (u.disabled, u.must_change) {
                        (true, _) => lang.t("user-disabled"),
                        (false, true) => lang.t("user-must-change"),
                        (false, false) => lang.t("user-active"),
                    };
                    vec![
                        u.username.clone(),
                        u.display_name.clone(),
                        u.roles.clone(),
                        status,
                        u.created.clone(),
                    ]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "users", format, &table).await;
    }
    render(&UsersPage { p: ctx.page("users-title"), users, exports: super::export::links(&ctx) })
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewUserPage {
    p: Page,
    username: String,
    display_name: String,
    roles: Vec<RoleOption>,
    errors: Vec<String>,
}

/// `GET /admin/users/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Action::Create, Resource::Accounts).await?;
    render(&NewUserPage {
        p: ctx.page("user-new-title"),
        username: String::new(),
        display_name: String::new(),
        roles: role_options(&ctx, RoleSet::EMPTY),
        errors: Vec::new(),
    })
}

#[derive(Template)]
#[template(path = "admin/temporary_password.html")]
struct TemporaryPasswordPage {
    p: Page,
    user: UserView,
    password: String,
    created: bool,
}

fn field_error_key(e: AccountFieldError) -> &'static str {
    match e {
        AccountFieldError::BadUsername => "user-bad-username",
        AccountFieldError::BadDisplayName => "user-bad-display-name",
    }
}

/// `POST /admin/users`: creates the account with a temporary password shown once.
pub async fn create(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Accounts).await?;
    let roles = parse_roles(&form)?;
    let username = Username::parse(form.get("username"));
    let display_name = DisplayName::parse(form.get("display_name"));
    let mut errors: Vec<String> = [username.as_ref().err(), display_name.as_ref().err()]
        .into_iter()
        .flatten()
        .map(|e| ctx.lang.t(field_error_key(*e)))
        .collect();
    if let (Ok(username), Ok(display_name)) = (username, display_name) {
        let password = temporary_password()?;
        let new = NewUser {
            username,
            display_name,
            password_hash: hash_password(&state, password.clone()).await?,
            roles,
            must_change_password: true,
        };
        let mut entry = state.audit_entry(Some(su.user.id), AuditKind::UserCreated, Some(&ctx.client));
        entry.detail = serde_json::json!({ "roles": roles.iter().map(Role::code).collect::<Vec<_>>() });
        match su.store.create_user(new, entry).await {
            Ok(id) => {
                let user = su.store.user(id).await?.ok_or(AppError::NotFound)?;
                return render(&TemporaryPasswordPage {
                    p: ctx.page("user-created-title"),
                    user: view(&ctx, &user),
                    password,
                    created: true,
                });
            }
            Err(StoreError::Conflict) => errors.push(ctx.lang.t("user-username-taken")),
            Err(e) => return Err(e.into()),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewUserPage {
            p: ctx.page("user-new-title"),
            username: form.get("username").chars().take(64).collect(),
            display_name: form.get("display_name").chars().take(200).collect(),
            roles: role_options(&ctx, roles),
            errors,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    p: Page,
    user: UserView,
    roles: Vec<RoleOption>,
    is_self: bool,
    error: Option<String>,
    notice: Option<String>,
}

async fn user_page(
    ctx: &Ctx,
    user: &User,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let is_self = ctx.user.as_ref().is_some_and(|su| su.user.id == user.id);
    render_status(
        status,
        &UserPage {
            p: ctx.page("user-title"),
            user: view(ctx, user),
            roles: role_options(ctx, user.roles),
            is_self,
            error,
            notice,
        },
    )
}

/// `GET /admin/users/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, user) = administered(&ctx, &id, Action::View).await?;
    let notice = ctx.path.contains("saved=1").then(|| ctx.lang.t("saved"));
    user_page(&ctx, &user, StatusCode::OK, None, notice).await
}

/// Whether a change would leave no enabled administrator.
async fn would_remove_last_admin(
    store: &dyn Store,
    user: &User,
    still_admin: bool,
) -> Result<bool, AppError> {
    Ok(user.roles.contains(Role::Admin)
        && !user.disabled
        && !still_admin
        && store.active_admin_count().await? <= 1)
}

fn saved(id: UserId) -> Response {
    Redirect::to(&format!("/admin/users/{id}?saved=1")).into_response()
}

/// `POST /admin/users/{id}/roles`.
pub async fn set_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, user) = administered(&ctx, &id, Action::Update).await?;
    let roles = parse_roles(&form)?;
    if would_remove_last_admin(su.store.as_ref(), &user, roles.contains(Role::Admin)).await? {
        return user_page(&ctx, &user, StatusCode::CONFLICT, Some(ctx.lang.t("user-last-admin")), None).await;
    }
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::RolesChanged, Some(&ctx.client)).about(user.id);
    entry.detail = serde_json::json!({
        "from": user.roles.iter().map(Role::code).collect::<Vec<_>>(),
        "to": roles.iter().map(Role::code).collect::<Vec<_>>(),
    });
    su.store.set_roles(user.id, roles, entry).await?;
    Ok(saved(user.id))
}

/// `POST /admin/users/{id}/name`.
pub async fn set_name(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, user) = administered(&ctx, &id, Action::Update).await?;
    let name = match DisplayName::parse(form.get("display_name")) {
        Ok(name) => name,
        Err(e) => {
            let message = ctx.lang.t(field_error_key(e));
            return user_page(&ctx, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(message), None).await;
        }
    };
    let entry = state.audit_entry(Some(su.user.id), AuditKind::UserRenamed, Some(&ctx.client)).about(user.id);
    su.store.set_display_name(user.id, &name, entry).await?;
    Ok(saved(user.id))
}

/// `POST /admin/users/{id}/disable` and `/enable`.
pub async fn set_disabled(
    state: AppState,
    ctx: Ctx,
    id: String,
    disabled: bool,
) -> Result<Response, AppError> {
    let (su, user) = administered(&ctx, &id, Action::Disable).await?;
    if disabled && would_remove_last_admin(su.store.as_ref(), &user, false).await? {
        return user_page(&ctx, &user, StatusCode::CONFLICT, Some(ctx.lang.t("user-last-admin")), None).await;
    }
    let kind = if disabled { AuditKind::UserDisabled } else { AuditKind::UserEnabled };
    let entry = state.audit_entry(Some(su.user.id), kind, Some(&ctx.client)).about(user.id);
    su.store.set_disabled(user.id, disabled, entry).await?;
    Ok(saved(user.id))
}

#[derive(Template)]
#[template(path = "admin/confirm.html")]
struct ConfirmPage {
    p: Page,
    user: UserView,
    explain: String,
    action: String,
    button: String,
}

async fn confirm(ctx: Ctx, id: String, action: Action, what: &str) -> Result<Response, AppError> {
    let (_, user) = administered(&ctx, &id, action).await?;
    let view = view(&ctx, &user);
    render(&ConfirmPage {
        p: ctx.page(&format!("user-{what}-confirm-title")),
        explain: ctx.lang.t_args(&format!("user-{what}-confirm-body"), &[("username", &view.username)]),
        action: format!("/admin/users/{}/{what}", view.id),
        button: ctx.lang.t(&format!("user-{what}")),
        user: view,
    })
}

/// `GET /admin/users/{id}/disable`: the confirmation.
pub async fn confirm_disable(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    confirm(ctx, id, Action::Disable, "disable").await
}

/// `GET /admin/users/{id}/reset-password`: the confirmation.
pub async fn confirm_reset(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    confirm(ctx, id, Action::ResetPassword, "reset-password").await
}

/// `POST /admin/users/{id}/disable`.
pub async fn disable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_disabled(state, ctx, id, true).await
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_disabled(state, ctx, id, false).await
}

/// `POST /admin/users/{id}/reset-password`: a temporary password, shown once; every session of
/// the account ends; the user must choose a new password at next login.
pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (su, user) = administered(&ctx, &id, Action::ResetPassword).await?;
    let password = temporary_password()?;
    let hash = hash_password(&state, password.clone()).await?;
    let entry =
        state.audit_entry(Some(su.user.id), AuditKind::PasswordReset, Some(&ctx.client)).about(user.id);
    su.store.set_password(user.id, &hash, true, entry).await?;
    let user = su.store.user(user.id).await?.ok_or(AppError::NotFound)?;
    render(&TemporaryPasswordPage {
        p: ctx.page("user-reset-title"),
        user: view(&ctx, &user),
        password,
        created: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_field_error_has_a_message_in_every_language() {
        for e in [AccountFieldError::BadUsername, AccountFieldError::BadDisplayName] {
            for lang in ozodi_i18n::Lang::ALL {
                assert!(lang.has(field_error_key(e)), "{e:?} in {lang}");
            }
        }
    }

    #[test]
    fn temporary_passwords_pass_the_policy() -> Result<(), AppError> {
        let user = Username::parse("someone").map_err(|_| AppError::BadRequest)?;
        let a = temporary_password()?;
        assert_eq!(a.len(), 19);
        assert_ne!(a, temporary_password()?);
        assert_eq!(ozodi_domain::password::check_new_password(&a, &a, &user), Ok(()));
        Ok(())
    }
}
