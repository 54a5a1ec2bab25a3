//! Handlers, one module per area. Each one asks `Ctx::require` (the domain's `can`) before it reads
//! or changes anything, parses its form into domain types, and renders a template.

pub mod account;
pub mod admin_audit;
pub mod admin_users;
pub mod admin_vocab;
pub mod advocacy;
pub mod auth;
pub mod cases;
pub mod court;
pub mod dashboard;
pub mod evaluations;
pub mod evidence;
pub mod export;
pub mod intake;
pub mod legal;
pub mod monitoring;
pub mod persons;
pub mod publishing;
pub mod records;
pub mod rehab;
pub mod report;
pub mod seal;
pub mod search;
pub mod site_admin;
pub mod statistics;
pub mod system;
pub mod trainings;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppError;

/// Renders a template as a 200 page.
pub fn render(t: &impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a template with another status (a form returned with errors).
pub fn render_status(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    Ok((status, Html(t.render()?)).into_response())
}

/// One changed field of a version, as people read it.
#[derive(Debug)]
pub(crate) struct Change {
    /// The field's label.
    pub(crate) field: String,
    /// Its value before.
    pub(crate) before: String,
    /// Its value after.
    pub(crate) after: String,
}

/// One version of a record on a history page.
#[derive(Debug)]
pub(crate) struct VersionView {
    version: i64,
    at: String,
    actor: String,
    change: String,
    changes: Vec<Change>,
}

impl VersionView {
    /// The version as shown: when (Dushanbe time), by whom, what kind of change, what changed.
    pub(crate) fn new(ctx: &crate::ctx::Ctx, v: &ozodi_store::RecordVersion, changes: Vec<Change>) -> Self {
        VersionView {
            version: v.version,
            at: ctx.lang.datetime(v.at),
            actor: v.actor.clone().unwrap_or_else(|| "—".into()),
            change: ctx.lang.t(&format!("case-change-{}", v.change)),
            changes,
        }
    }
}
