//! Handlers, one module per area. Each one asks `Ctx::require` (the domain's `can`) before it reads
//! or changes anything, parses its form into domain types, and renders a template.

pub mod account;
pub mod admin_audit;
pub mod admin_users;
pub mod admin_vocab;
pub mod auth;
pub mod cases;
pub mod dashboard;
pub mod evidence;
pub mod persons;
pub mod records;
pub mod seal;
pub mod search;
pub mod system;

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
