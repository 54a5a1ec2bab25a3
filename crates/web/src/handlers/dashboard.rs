//! The start page after login: urgent alerts first, then the user's tasks and notifications, what
//! the account can do, and for administrators how backups stand.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use ozodi_domain::{Action, Resource, Role};

use super::render;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::page::Page;
use crate::state::{AppState, BackupFailure, BackupStatus};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    p: Page,
    roles: Vec<String>,
    admin: bool,
    /// For administrators: how scheduled backups stand (a line, and whether it is a failure).
    backup: Option<(String, bool)>,
    /// The open urgent alerts that go to the user.
    alerts: Vec<super::intake::AlertRow>,
    /// Open tasks, and of them overdue.
    tasks: (i64, i64),
    /// Unread notifications.
    unread: i64,
    /// Whether the user logs contacts.
    intake: bool,
}

/// `GET /dashboard`.
pub async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let roles = su.user.roles.iter().map(|r: Role| ctx.lang.t(&format!("role-{}", r.code()))).collect();
    let admin = ozodi_domain::can(&su.actor, Action::View, Resource::Accounts);
    let backup = admin.then(|| backup_line(&ctx, &state.backup_status()));
    let alerts = super::intake::shown_alerts(&state, &ctx, su).await?;
    let (open, overdue, unread) = su.store.work_summary(su.user.id, ctx.now).await?;
    let intake = ozodi_domain::can(&su.actor, Action::Create, Resource::Contacts);
    render(&DashboardPage {
        p: ctx.page("dashboard-title"),
        roles,
        admin,
        backup,
        alerts,
        tasks: (open, overdue),
        unread,
        intake,
    })
}

/// The administrators' line on backups: off, none yet, the last good one, or a failure newer than
/// it (shown as an alert until a later backup succeeds).
fn backup_line(ctx: &Ctx, status: &BackupStatus) -> (String, bool) {
    if !status.scheduled {
        return (ctx.lang.t("backup-off"), true);
    }
    let failed_last = match (&status.last_failure, &status.last_ok) {
        (Some((failed, _)), Some((ok, _, _))) => failed > ok,
        (Some(_), None) => true,
        _ => false,
    };
    if let (true, Some((at, why))) = (failed_last, &status.last_failure) {
        let key = match why {
            BackupFailure::Write => "backup-failed-write",
            BackupFailure::Check => "backup-failed-check",
        };
        return (ctx.lang.t_args(key, &[("time", &ctx.lang.datetime(*at))]), true);
    }
    match &status.last_ok {
        Some((at, file, bytes)) => (
            ctx.lang.t_args(
                "backup-last-ok",
                &[
                    ("time", &ctx.lang.datetime(*at)),
                    ("file", file),
                    ("size", &format!("{:.1} MB", *bytes as f64 / 1_000_000.0)),
                ],
            ),
            false,
        ),
        None => (ctx.lang.t("backup-none-yet"), false),
    }
}
