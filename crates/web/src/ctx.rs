//! The per-request context: request id, client address, language, CSRF token and (when logged
//! in) the session's user. Built once by the context middleware; handlers take it as an
//! extractor and ask it for permission through the domain's one authorisation function.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::{Action, Actor, Resource, can};
use ozodi_i18n::Lang;
use ozodi_store::{NewAuditEntry, Store, User};

use crate::error::AppError;
use crate::page::{Nav, Page};

/// A logged-in user, as found through the session cookie.
#[derive(Debug)]
pub struct SessionUser {
    /// The account.
    pub user: User,
    /// What the authorisation function needs to know about it.
    pub actor: Actor,
    /// The hash of the session token (to end this session at logout).
    pub token_hash: Vec<u8>,
    /// The session's CSRF token.
    pub csrf: String,
    /// The store the session was found in.
    pub store: Arc<dyn Store>,
}

/// What every handler knows about the request.
#[derive(Debug)]
pub struct CtxData {
    /// Random id shown on error pages and written in the log line of the request.
    pub request_id: String,
    /// The client's address (the peer, or the proxy's `X-Forwarded-For` when configured).
    pub client: String,
    /// The language of the response.
    pub lang: Lang,
    /// The CSRF token to embed in forms.
    pub csrf: String,
    /// The current path and query (the language switch returns here).
    pub path: String,
    /// The logged-in user, if any.
    pub user: Option<SessionUser>,
    /// The store, if unsealed.
    pub store: Option<Arc<dyn Store>>,
    /// When the request arrived (from the injected clock).
    pub now: time::OffsetDateTime,
    /// The open urgent alerts that go to the logged-in user (shown on every page).
    pub alerts: AlertBanner,
}

/// How many open urgent alerts go to the user, and how many of them escalated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlertBanner {
    /// Open alerts for the user.
    pub open: usize,
    /// Of which escalated (shown to coordinators).
    pub escalated: usize,
    /// Whether the user is one alerts go to at all (the page then polls for new ones).
    pub receives: bool,
}

/// Cheap handle on the request's [`CtxData`].
#[derive(Clone, Debug)]
pub struct Ctx(pub Arc<CtxData>);

impl std::ops::Deref for Ctx {
    type Target = CtxData;
    fn deref(&self) -> &CtxData {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| AppError::internal("request context missing"))
    }
}

impl Ctx {
    /// The logged-in user if `can(actor, action, resource)` holds. Otherwise: to the login page
    /// when nobody is logged in, to the password page when a new password is due, and a 403 page
    /// (audited) when the role does not allow it.
    pub async fn require(&self, action: Action, resource: Resource) -> Result<&SessionUser, AppError> {
        let Some(su) = &self.user else { return Err(AppError::LoginRequired) };
        if can(&su.actor, action, resource) {
            return Ok(su);
        }
        if su.actor.must_change_password {
            return Err(AppError::Redirect("/account/password".into()));
        }
        let entry = NewAuditEntry {
            at: self.now,
            actor: Some(su.actor.id),
            kind: AuditKind::AccessDenied,
            subject: None,
            detail: serde_json::json!({ "path": self.path_without_query(), "action": format!("{action:?}").to_lowercase() }),
            client: Some(self.client.clone()),
        };
        su.store.audit(entry).await?;
        Err(AppError::Forbidden)
    }

    /// Like [`Ctx::require`], but a refusal is a 404 indistinguishable from a record that does not
    /// exist: for case records, whose existence must not be confirmed to outsiders. The refusal is
    /// still audited (it may be someone guessing ids).
    pub async fn require_hidden(&self, action: Action, resource: Resource) -> Result<&SessionUser, AppError> {
        match self.require(action, resource).await {
            Err(AppError::Page(crate::error::ErrorKind::Forbidden, _)) => Err(AppError::NotFound),
            other => other,
        }
    }

    /// The store, or a redirect to the unseal page.
    pub fn store(&self) -> Result<Arc<dyn Store>, AppError> {
        self.store.clone().ok_or(AppError::Sealed)
    }

    /// The path without its query string (for audit details: queries may hold filter values).
    pub fn path_without_query(&self) -> &str {
        self.path.split('?').next().unwrap_or("/")
    }

    /// The page frame (language, CSRF token, navigation) for a template, titled by `title_key`.
    pub fn page(&self, title_key: &str) -> Page {
        let nav = self.user.as_ref().map(|su| Nav {
            display_name: su.user.display_name.as_str().to_owned(),
            full: !su.actor.must_change_password,
            admin: can(&su.actor, Action::View, Resource::Accounts),
            facilities: can(&su.actor, Action::View, Resource::Facilities),
            intake: can(&su.actor, Action::Create, Resource::Contacts),
            figures: can(&su.actor, Action::View, Resource::IntakeFigures),
            lines: can(&su.actor, Action::Update, Resource::Lines),
            calendar: can(&su.actor, Action::View, Resource::OwnCalendar),
            trainings: can(&su.actor, Action::View, Resource::Trainings),
            rehabilitation: can(&su.actor, Action::View, Resource::RehabFigures),
            monitoring: can(&su.actor, Action::View, Resource::Monitoring(false)),
            un: can(&su.actor, Action::View, Resource::UnFollowUp(false)),
            advocacy: can(&su.actor, Action::View, Resource::Advocacy(false)),
            statistics: can(&su.actor, Action::View, Resource::Statistics),
        });
        Page {
            lang: self.lang,
            title: self.lang.t(title_key),
            csrf: self.csrf.clone(),
            path: self.path.clone(),
            nav,
            alerts: self.alerts,
        }
    }
}
