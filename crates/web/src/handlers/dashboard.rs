//! The start page after login. Later capabilities (cases, hotlines, legal aid, monitoring,
//! statistics) will fill it; for now it says what the account can do and what is coming.

use askama::Template;
use axum::response::Response;
use ozodi_domain::{Action, Resource, Role};

use super::render;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::page::Page;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    p: Page,
    roles: Vec<String>,
    admin: bool,
}

/// `GET /dashboard`.
pub async fn dashboard(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let roles = su.user.roles.iter().map(|r: Role| ctx.lang.t(&format!("role-{}", r.code()))).collect();
    let admin = ozodi_domain::can(&su.actor, Action::View, Resource::Accounts);
    render(&DashboardPage { p: ctx.page("dashboard-title"), roles, admin })
}
