//! Intake: the hotline contact log, urgent alerts, triage, tasks and notifications (issue 5,
//! DOMAIN.md section 3.2). A contact is need-to-know like a case: the staff of its line (and the
//! lawyers serving its region), its assignee and the coordinators open it; everyone else gets the
//! same 404 as for a contact that does not exist.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::{CaseId, CaseStatus};
use ozodi_domain::dates::{local_datetime_input, parse_local_datetime};
use ozodi_domain::intake::{
    self as domain, AlertStep, CallerDetails, CallerRole, Channel, CloseReason, ContactId, ContactStatus,
    LineCode, NotificationKind, TaskId, check_contact,
};
use ozodi_domain::{Action, ContactAccess, LineAccess, Resource, Role, UserId, can};
use ozodi_store::intake::{AlertLogEntry, Contact, IntakeSnapshot, NewContact, NewTask, OpenAlert, Triage};
use ozodi_store::{CaseFields, StoreError, User};
use time::Duration;

use super::cases::{Choice, choices, label};
use super::{render, render_status};
use crate::ctx::{AlertBanner, Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

const MAX_TASK_TITLE: usize = 300;
const MAX_NOTE: usize = 2_000;
const MAX_MESSAGE: usize = 5_000;

// ---------------------------------------------------------------------------------------------
// Who sees what
// ---------------------------------------------------------------------------------------------

/// Whether an open alert goes to the user: coordinators get every alert; lawyers those of the
/// lines they serve, by line or by region.
pub(crate) fn alert_goes_to(su: &SessionUser, alert: &OpenAlert, snapshot: &IntakeSnapshot) -> bool {
    let roles = su.user.roles;
    roles.contains(Role::Coordinator)
        || (roles.contains(Role::Lawyer)
            && (alert.line.as_ref().is_some_and(|l| snapshot.on_staff(su.user.id, l))
                || alert.region.as_deref().is_some_and(|r| snapshot.serves_region(su.user.id, r))))
}

/// The banner on every page: the open alerts that go to the user.
pub(crate) fn banner(su: &SessionUser, snapshot: &IntakeSnapshot) -> AlertBanner {
    if su.actor.must_change_password {
        return AlertBanner::default();
    }
    let receives = su.user.roles.contains(Role::Coordinator)
        || (su.user.roles.contains(Role::Lawyer) && snapshot.lines_of(su.user.id).next().is_some());
    let mine: Vec<&OpenAlert> =
        snapshot.open_alerts.iter().filter(|a| alert_goes_to(su, a, snapshot)).collect();
    AlertBanner {
        open: mine.len(),
        escalated: if su.user.roles.contains(Role::Coordinator) {
            mine.iter().filter(|a| a.escalated_at.is_some()).count()
        } else {
            0
        },
        receives,
    }
}

/// The actor's relation to a contact, for `can` (without the case team, see [`contact_for`]).
fn contact_access(su: &SessionUser, contact: &Contact, snapshot: &IntakeSnapshot) -> ContactAccess {
    let on_line = contact.fields.line.as_ref().is_some_and(|l| snapshot.on_staff(su.user.id, l));
    let serves = su.user.roles.contains(Role::Lawyer)
        && contact.fields.region.as_deref().is_some_and(|r| snapshot.serves_region(su.user.id, r));
    ContactAccess {
        staff: on_line || serves,
        assigned: contact.assigned_to == Some(su.user.id),
        creator: contact.created_by == Some(su.user.id),
        case_team: false,
        case_identity: false,
    }
}

/// The contact, if `action` is allowed on it; a 404 otherwise (audited as a refusal).
async fn contact_for<'c>(
    ctx: &'c Ctx,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, Contact, std::sync::Arc<IntakeSnapshot>), AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let id = ContactId::parse(id).ok_or(AppError::NotFound)?;
    let contact = su.store.contact(id).await?.ok_or(AppError::NotFound)?;
    let snapshot = su.store.intake_snapshot().await?;
    let mut access = contact_access(su, &contact, &snapshot);
    if let Some(case) = contact.case {
        let member = su.store.case_team(case).await?.into_iter().find(|m| m.user == su.user.id);
        access.case_team = member.is_some();
        access.case_identity = member.is_some_and(|m| m.identity_access);
    }
    let su = ctx.require_hidden(action, Resource::Contact(access)).await?;
    Ok((su, contact, snapshot))
}

/// Escalates the alerts nobody acknowledged in time and notices tasks that fell due. Run by the
/// server every 30 seconds, and by the pages that show alerts when one is due, so what they show is
/// never behind the clock.
pub async fn tick(state: &AppState) -> Result<usize, StoreError> {
    let Some(store) = state.store() else { return Ok(0) };
    let now = state.now();
    let cutoff = now - state.config().escalate_after;
    let entry = state.audit_entry(None, AuditKind::AlertEscalated, None);
    store.run_intake_clock(cutoff, now, entry).await
}

/// The intake snapshot, after escalating any alert that is due (a write only then): every page
/// a logged-in user sees is built from it, so no page shows an alert as less urgent than the clock
/// says, even between two runs of the server's clock.
pub(crate) async fn current_snapshot(
    state: &AppState,
    store: &dyn ozodi_store::Store,
) -> Result<std::sync::Arc<IntakeSnapshot>, StoreError> {
    let snapshot = store.intake_snapshot().await?;
    let now = state.now();
    let due = snapshot.open_alerts.iter().any(|a| {
        a.escalated_at.is_none() && domain::escalation_due(a.raised_at, now, state.config().escalate_after)
    });
    if !due {
        return Ok(snapshot);
    }
    tick(state).await?;
    store.intake_snapshot().await
}

// ---------------------------------------------------------------------------------------------
// Shared views
// ---------------------------------------------------------------------------------------------

fn line_label(ctx: &Ctx, snapshot: &IntakeSnapshot, line: Option<&LineCode>) -> String {
    match line {
        Some(code) => snapshot
            .line(code)
            .map(|l| l.labels.get(ctx.lang.code()).to_owned())
            .unwrap_or_else(|| code.to_string()),
        None => ctx.lang.t("contact-no-line"),
    }
}

fn names(users: &[User]) -> HashMap<UserId, String> {
    users.iter().map(|u| (u.id, u.display_name.as_str().to_owned())).collect()
}

fn name_of(names: &HashMap<UserId, String>, user: Option<UserId>) -> String {
    user.and_then(|u| names.get(&u).cloned()).unwrap_or_else(|| "—".into())
}

/// A contact in a list.
#[derive(Debug)]
struct ContactRow {
    id: String,
    reference: String,
    received: String,
    line: String,
    channel: String,
    caller: String,
    region: String,
    urgent: bool,
    assigned: String,
    status: String,
    excerpt: String,
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(140).collect();
    if text.chars().count() > 140 {
        out.push('…');
    }
    out
}

async fn contact_row(
    ctx: &Ctx,
    snapshot: &IntakeSnapshot,
    names: &HashMap<UserId, String>,
    c: &Contact,
) -> Result<ContactRow, AppError> {
    Ok(ContactRow {
        id: c.id.to_string(),
        reference: c.reference(),
        received: ctx.lang.datetime(c.fields.received_at),
        line: line_label(ctx, snapshot, c.fields.line.as_ref()),
        channel: ctx.lang.t(&format!("channel-{}", c.fields.channel.code())),
        caller: ctx.lang.t(&format!("caller-{}", c.fields.caller_role.code())),
        region: label(ctx, "region", c.fields.region.as_deref()).await?,
        urgent: c.fields.in_custody || c.fields.at_risk,
        assigned: name_of(names, c.assigned_to),
        status: ctx.lang.t(&format!("contact-status-{}", c.status.code())),
        excerpt: excerpt(&c.fields.summary),
    })
}

// ---------------------------------------------------------------------------------------------
// Intake home and queues
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct LineQueue {
    href: String,
    name: String,
    numbers: String,
    waiting: usize,
    active: bool,
}

#[derive(Template)]
#[template(path = "intake/home.html")]
struct HomePage {
    p: Page,
    lines: Vec<LineQueue>,
    alerts: Vec<AlertRow>,
}

/// An open alert in a list (the intake page, the alerts page, the dashboard).
#[derive(Debug)]
pub(crate) struct AlertRow {
    pub(crate) href: String,
    pub(crate) reference: String,
    pub(crate) raised: String,
    pub(crate) line: String,
    pub(crate) region: String,
    pub(crate) kind: String,
    pub(crate) escalated: bool,
}

async fn alert_rows(
    ctx: &Ctx,
    su: &SessionUser,
    snapshot: &IntakeSnapshot,
) -> Result<Vec<AlertRow>, AppError> {
    let mut rows = Vec::new();
    for a in snapshot.open_alerts.iter().filter(|a| alert_goes_to(su, a, snapshot)) {
        rows.push(AlertRow {
            href: format!("/contacts/{}", a.contact),
            reference: format!("K-{:06}", a.contact_seq),
            raised: ctx.lang.datetime(a.raised_at),
            line: line_label(ctx, snapshot, a.line.as_ref()),
            region: label(ctx, "region", a.region.as_deref()).await?,
            kind: ctx.lang.t(if a.in_custody { "alert-in-custody" } else { "alert-at-risk" }),
            escalated: a.escalated_at.is_some(),
        });
    }
    Ok(rows)
}

/// `GET /intake`: the lines the user answers (all of them for coordinators) with how many
/// contacts wait in each, and the user's open alerts.
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Contacts).await?;
    let snapshot = current_snapshot(&state, su.store.as_ref()).await?;
    let mut lines = Vec::new();
    for line in &snapshot.lines {
        let access = LineAccess { staff: snapshot.on_staff(su.user.id, &line.code) };
        if !can(&su.actor, Action::View, Resource::Line(access)) {
            continue;
        }
        let waiting = su.store.contact_queue(Some(Some(&line.code)), 1000).await?.len();
        lines.push(LineQueue {
            href: format!("/lines/{}", line.code),
            name: line.labels.get(ctx.lang.code()).to_owned(),
            numbers: line.numbers.join(", "),
            waiting,
            active: line.active,
        });
    }
    if su.user.roles.contains(Role::Coordinator) {
        lines.push(LineQueue {
            href: "/lines/none".into(),
            name: ctx.lang.t("contact-no-line"),
            numbers: String::new(),
            waiting: su.store.contact_queue(Some(None), 1000).await?.len(),
            active: true,
        });
    }
    let alerts = alert_rows(&ctx, su, &snapshot).await?;
    render(&HomePage { p: ctx.page("intake-title"), lines, alerts })
}

#[derive(Template)]
#[template(path = "intake/queue.html")]
struct QueuePage {
    p: Page,
    name: String,
    numbers: String,
    contacts: Vec<ContactRow>,
    exports: (String, String),
}

/// `GET /lines/{code}`: the line's unhandled contacts, oldest first (`none`: contacts that came
/// through no line, for the coordinators). As CSV or XLSX without what was said: the summary stays
/// on the contact's page.
pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let snapshot = su.store.intake_snapshot().await?;
    let (line, name, numbers) = if code == "none" {
        if !su.user.roles.contains(Role::Coordinator) {
            ctx.require(Action::View, Resource::Line(LineAccess { staff: false })).await?;
        }
        (None, ctx.lang.t("contact-no-line"), String::new())
    } else {
        let code = LineCode::parse(&code).ok_or(AppError::NotFound)?;
        let line = snapshot.line(&code).ok_or(AppError::NotFound)?.clone();
        ctx.require(Action::View, Resource::Line(LineAccess { staff: snapshot.on_staff(su.user.id, &code) }))
            .await?;
        (Some(code), line.labels.get(ctx.lang.code()).to_owned(), line.numbers.join(", "))
    };
    let users = names(&su.store.users().await?);
    let mut contacts = Vec::new();
    for c in su.store.contact_queue(Some(line.as_ref()), 500).await? {
        contacts.push(contact_row(&ctx, &snapshot, &users, &c).await?);
    }
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: format!("{}: {name}", lang.t("queue-title")),
            headers: [
                "contact-reference",
                "contact-received",
                "contact-line",
                "contact-channel",
                "contact-caller",
                "contact-region",
                "contact-urgent",
                "contact-assigned",
                "contact-status",
            ]
            .iter()
            .map(|k| lang.t(k))
            .collect(),
            rows: contacts
                .iter()
                .map(|c| {
                    vec![
                        c.reference.clone(),
                        c.received.clone(),
                        c.line.clone(),
                        c.channel.clone(),
                        c.caller.clone(),
                        c.region.clone(),
                        if c.urgent { lang.t("contact-urgent") } else { String::new() },
                        c.assigned.clone(),
                        c.status.clone(),
                    ]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "contacts", format, &table).await;
    }
    render(&QueuePage {
        p: ctx.page("queue-title"),
        name,
        numbers,
        contacts,
        exports: super::export::links(&ctx),
    })
}

// ---------------------------------------------------------------------------------------------
// Logging a contact
// ---------------------------------------------------------------------------------------------

/// The form value of "no line" (a walk-in, a referral).
const NO_LINE: &str = "none";

#[derive(Template)]
#[template(path = "intake/contact_form.html")]
struct ContactForm {
    p: Page,
    lines: Vec<Choice>,
    no_line: bool,
    channels: Vec<Choice>,
    callers: Vec<Choice>,
    regions: Vec<Choice>,
    received_at: String,
    summary: String,
    name: String,
    contacts: String,
    in_custody: bool,
    at_risk: bool,
    consent_record: bool,
    consent_act: bool,
    follow_up: bool,
    errors: Vec<String>,
}

/// The lines the user may log a contact on (active ones).
fn loggable_lines<'s>(su: &SessionUser, snapshot: &'s IntakeSnapshot) -> Vec<&'s ozodi_store::intake::Line> {
    snapshot
        .lines
        .iter()
        .filter(|l| l.active)
        .filter(|l| {
            can(
                &su.actor,
                Action::Create,
                Resource::Line(LineAccess { staff: snapshot.on_staff(su.user.id, &l.code) }),
            )
        })
        .collect()
}

async fn contact_form(
    ctx: &Ctx,
    su: &SessionUser,
    form: &FormPairs,
    defaults: bool,
    errors: Vec<String>,
) -> Result<ContactForm, AppError> {
    let snapshot = su.store.intake_snapshot().await?;
    let lines = loggable_lines(su, &snapshot);
    // A fresh form preselects the line when the user answers exactly one; otherwise the line must
    // be chosen (a contact on the wrong line waits in the wrong queue).
    let line_selected =
        if defaults && lines.len() == 1 { lines[0].code.to_string() } else { form.get("line").to_owned() };
    let no_line = !defaults && line_selected == NO_LINE;
    let channel_selected =
        if defaults { Channel::Call.code().to_owned() } else { form.get("channel").to_owned() };
    let caller_selected = if defaults { String::new() } else { form.get("caller").to_owned() };
    let checked = |name: &str| form.get(name) == "on";
    Ok(ContactForm {
        p: ctx.page("contact-new-title"),
        lines: lines
            .iter()
            .map(|l| Choice {
                code: l.code.to_string(),
                label: format!("{} · {}", l.labels.get(ctx.lang.code()), l.numbers.join(", ")),
                selected: l.code.as_str() == line_selected,
            })
            .collect(),
        no_line,
        channels: Channel::ALL
            .iter()
            .filter(|c| **c != Channel::Web)
            .map(|c| Choice {
                code: c.code().into(),
                label: ctx.lang.t(&format!("channel-{}", c.code())),
                selected: c.code() == channel_selected,
            })
            .collect(),
        callers: CallerRole::ALL
            .iter()
            .map(|c| Choice {
                code: c.code().into(),
                label: ctx.lang.t(&format!("caller-{}", c.code())),
                selected: c.code() == caller_selected,
            })
            .collect(),
        regions: choices(ctx, "region", Some(form.get("region"))).await?,
        received_at: if defaults {
            local_datetime_input(ctx.now)
        } else {
            form.get("received_at").chars().take(40).collect()
        },
        summary: form.get("summary").chars().take(domain::MAX_SUMMARY + 50).collect(),
        name: form.get("name").chars().take(domain::MAX_DETAIL + 50).collect(),
        contacts: form.get("contacts").chars().take(domain::MAX_DETAIL + 50).collect(),
        in_custody: checked("in_custody"),
        at_risk: checked("at_risk"),
        consent_record: checked("consent_record"),
        consent_act: checked("consent_act"),
        follow_up: defaults || checked("follow_up"),
        errors,
    })
}

/// `GET /contacts/new`: the one screen to log a contact.
pub async fn new_contact(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Contacts).await?;
    render(&contact_form(&ctx, su, &FormPairs::default(), true, Vec::new()).await?)
}

/// Reads a submitted contact; returns the translated problems instead when any.
async fn parse_contact(
    ctx: &Ctx,
    su: &SessionUser,
    form: &FormPairs,
) -> Result<Result<(NewContact, CallerDetails), Vec<String>>, AppError> {
    let snapshot = su.store.intake_snapshot().await?;
    let mut problems = Vec::new();
    let line = match form.get("line") {
        NO_LINE => None,
        "" => {
            problems.push(domain::ContactProblem::LineMissing);
            None
        }
        code => match LineCode::parse(code) {
            Some(code) if loggable_lines(su, &snapshot).iter().any(|l| l.code == code) => Some(code),
            _ => {
                problems.push(domain::ContactProblem::BadChoice);
                None
            }
        },
    };
    let channel = Channel::parse(form.get("channel")).filter(|c| *c != Channel::Web);
    let caller = CallerRole::parse(form.get("caller"));
    if channel.is_none() || caller.is_none() {
        problems.push(domain::ContactProblem::BadChoice);
    }
    let region = match form.get("region") {
        "" => None,
        code => {
            let terms = su.store.vocabulary("region").await?;
            if terms.iter().any(|t| t.code == code) {
                Some(code.to_owned())
            } else {
                problems.push(domain::ContactProblem::BadChoice);
                None
            }
        }
    };
    let received_at =
        parse_local_datetime(form.get("received_at")).filter(|t| *t <= ctx.now + Duration::minutes(5));
    if received_at.is_none() {
        problems.push(domain::ContactProblem::BadTime);
    }
    let details = CallerDetails {
        name: form.get("name").trim().to_owned(),
        contacts: form.get("contacts").trim().to_owned(),
    };
    let checked = |name: &str| form.get(name) == "on";
    let summary = form.get("summary").trim().to_owned();
    problems.extend(check_contact(&summary, &details, checked("consent_record")));
    problems.dedup();
    match (channel, caller, received_at) {
        (Some(channel), Some(caller_role), Some(received_at)) if problems.is_empty() => Ok(Ok((
            NewContact {
                line,
                channel,
                received_at,
                caller_role,
                region,
                summary,
                in_custody: checked("in_custody"),
                at_risk: checked("at_risk"),
                consent_record: checked("consent_record"),
                consent_act: checked("consent_act"),
                follow_up: checked("follow_up"),
            },
            details,
        ))),
        _ => Ok(Err(problems.iter().map(|p| ctx.lang.t(p.key())).collect())),
    }
}

/// `POST /contacts`: logs the contact; an urgent one raises its alert at once. A refused form comes
/// back with everything typed still in it.
pub async fn create_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Contacts).await?;
    match parse_contact(&ctx, su, &form).await? {
        Ok((fields, details)) => {
            let mut entry = state.audit_entry(Some(su.user.id), AuditKind::ContactCreated, Some(&ctx.client));
            entry.detail = serde_json::json!({
                "line": fields.line.as_ref().map(LineCode::as_str),
                "channel": fields.channel.code(),
                "urgent": fields.in_custody || fields.at_risk,
            });
            let contact = su
                .store
                .create_contact(&fields, &details, Some(su.user.id), state.now(), None, entry)
                .await?;
            Ok(Redirect::to(&format!("/contacts/{}", contact.id)).into_response())
        }
        Err(errors) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &contact_form(&ctx, su, &form, false, errors).await?,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The contact page
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct LogRow {
    at: String,
    who: String,
    step: String,
}

#[derive(Debug)]
struct AlertView {
    open: bool,
    escalated: bool,
    kind: String,
    raised: String,
    log: Vec<LogRow>,
}

#[derive(Debug)]
struct TaskRow {
    id: String,
    title: String,
    due: String,
    overdue: bool,
    assignee: String,
    done: Option<String>,
    contact: Option<(String, String)>,
    can_complete: bool,
}

#[derive(Debug)]
struct FileRow {
    seq: i64,
    kind: String,
    size: String,
    sha256: String,
    working: bool,
}

#[derive(Debug)]
struct MessageRow {
    at: String,
    from_sender: bool,
    author: String,
    body: String,
}

#[derive(Template)]
#[template(path = "intake/contact.html")]
struct ContactPage {
    p: Page,
    id: String,
    reference: String,
    version: i64,
    row: ContactRow,
    summary: String,
    in_custody: bool,
    at_risk: bool,
    consent_record: bool,
    consent_act: bool,
    follow_up: bool,
    has_details: bool,
    web_report: bool,
    is_new: bool,
    outcome: Option<String>,
    close_note: Option<String>,
    case_link: Option<(String, String)>,
    handled: Option<String>,
    alert: Option<AlertView>,
    can_reveal: bool,
    close_reasons: Vec<Choice>,
    cases: Vec<Choice>,
    staff: Vec<Choice>,
    tasks: Vec<TaskRow>,
    messages: Vec<MessageRow>,
    files: Vec<FileRow>,
    /// Lines the contact can be handed to (their teams).
    teams: Vec<Choice>,
    default_due: String,
    errors: Vec<String>,
}

fn task_row(
    ctx: &Ctx,
    su: &SessionUser,
    names: &HashMap<UserId, String>,
    t: &ozodi_store::intake::Task,
) -> TaskRow {
    TaskRow {
        id: t.id.to_string(),
        title: t.fields.title.clone(),
        due: ctx.lang.datetime(t.fields.due_at),
        overdue: t.done.is_none() && t.fields.due_at < ctx.now,
        assignee: name_of(names, Some(t.fields.assigned_to)),
        done: t.done.map(|(at, by)| format!("{} · {}", ctx.lang.datetime(at), name_of(names, Some(by)))),
        contact: None,
        can_complete: t.done.is_none() && may_complete(su, t),
    }
}

fn may_complete(su: &SessionUser, t: &ozodi_store::intake::Task) -> bool {
    t.fields.assigned_to == su.user.id
        || t.fields.created_by == su.user.id
        || su.user.roles.contains(Role::Coordinator)
}

async fn contact_page(
    ctx: &Ctx,
    su: &SessionUser,
    contact: &Contact,
    snapshot: &IntakeSnapshot,
    errors: Vec<String>,
) -> Result<ContactPage, AppError> {
    let store = &su.store;
    let users = store.users().await?;
    let names = names(&users);
    let access = contact_access(su, contact, snapshot);
    let alert = match store.alert_of(contact.id).await? {
        Some(mut a) => {
            // The first sight of an open alert by someone it goes to is logged (and shown at once).
            let seen = a.log.iter().any(|l| l.step == AlertStep::Seen && l.user == Some(su.user.id));
            if a.acknowledged.is_none() && !seen && alert_goes_to_contact(su, contact, snapshot) {
                store.mark_alerts_seen(su.user.id, &[a.id], ctx.now).await?;
                a.log.push(AlertLogEntry { at: ctx.now, user: Some(su.user.id), step: AlertStep::Seen });
            }
            Some(AlertView {
                open: a.acknowledged.is_none(),
                escalated: a.escalated_at.is_some(),
                kind: ctx.lang.t(if contact.fields.in_custody {
                    "alert-in-custody"
                } else {
                    "alert-at-risk"
                }),
                raised: ctx.lang.datetime(a.raised_at),
                log: a
                    .log
                    .iter()
                    .map(|l| LogRow {
                        at: ctx.lang.datetime(l.at),
                        who: match l.user {
                            Some(u) => name_of(&names, Some(u)),
                            None if l.step == AlertStep::Escalated => ctx.lang.t("alert-by-clock"),
                            None => ctx.lang.t("alert-by-web"),
                        },
                        step: ctx.lang.t(&format!("alert-step-{}", l.step.code())),
                    })
                    .collect(),
            })
        }
        None => None,
    };
    let is_new = contact.status == ContactStatus::New;
    let coordinator = su.user.roles.contains(Role::Coordinator);
    let cases = if is_new {
        store
            .cases_for(su.user.id, coordinator, false, 200)
            .await?
            .into_iter()
            .filter(|c| c.deleted.is_none())
            .map(|c| Choice {
                code: c.id.to_string(),
                label: format!("{} · {}", c.number, c.fields.title),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    // Whom the contact can be assigned to: people whose role acts on contacts, active.
    let staff = users
        .iter()
        .filter(|u| !u.disabled)
        .filter(|u| {
            [Role::Lawyer, Role::Operator, Role::Coordinator, Role::Psychologist, Role::Doctor]
                .into_iter()
                .any(|r| u.roles.contains(r))
        })
        .map(|u| Choice {
            code: u.username.as_str().to_owned(),
            label: u.display_name.as_str().to_owned(),
            selected: contact.assigned_to == Some(u.id),
        })
        .collect();
    let case_link = match contact.case {
        Some(id) => store.case(id).await?.map(|c| (format!("/cases/{}", c.id), c.number.to_string())),
        None => None,
    };
    let outcome = match contact.status {
        ContactStatus::New => None,
        ContactStatus::Closed => Some(format!(
            "{}: {}",
            ctx.lang.t("contact-status-closed"),
            contact
                .close_reason
                .map(|r| ctx.lang.t(&format!("close-reason-{}", r.code())))
                .unwrap_or_default()
        )),
        other => Some(ctx.lang.t(&format!("contact-status-{}", other.code()))),
    };
    let tasks =
        store.tasks_of_contact(contact.id).await?.iter().map(|t| task_row(ctx, su, &names, t)).collect();
    let messages = if contact.web_report {
        store
            .report_messages(contact.id)
            .await?
            .into_iter()
            .map(|m| MessageRow {
                at: ctx.lang.datetime(m.at),
                from_sender: m.from_sender,
                author: if m.from_sender { ctx.lang.t("report-sender") } else { name_of(&names, m.author) },
                body: m.body,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ContactPage {
        p: ctx.page("contact-title"),
        id: contact.id.to_string(),
        reference: contact.reference(),
        version: contact.version,
        row: contact_row(ctx, snapshot, &names, contact).await?,
        summary: contact.fields.summary.clone(),
        in_custody: contact.fields.in_custody,
        at_risk: contact.fields.at_risk,
        consent_record: contact.fields.consent_record,
        consent_act: contact.fields.consent_act,
        follow_up: contact.fields.follow_up,
        has_details: contact.has_details,
        web_report: contact.web_report,
        is_new,
        outcome,
        close_note: contact.close_note.clone(),
        case_link,
        handled: contact
            .handled
            .map(|(at, by)| format!("{} · {}", ctx.lang.datetime(at), name_of(&names, Some(by)))),
        alert,
        can_reveal: contact.has_details && can(&su.actor, Action::RevealIdentity, Resource::Contact(access)),
        close_reasons: CloseReason::ALL
            .iter()
            .map(|r| Choice {
                code: r.code().into(),
                label: ctx.lang.t(&format!("close-reason-{}", r.code())),
                selected: false,
            })
            .collect(),
        cases,
        staff,
        tasks,
        messages,
        teams: snapshot
            .lines
            .iter()
            .filter(|l| l.active && Some(&l.code) != contact.fields.line.as_ref())
            .map(|l| Choice {
                code: format!("line:{}", l.code),
                label: l.labels.get(ctx.lang.code()).to_owned(),
                selected: false,
            })
            .collect(),
        files: if contact.web_report {
            store
                .report_files(contact.id)
                .await?
                .into_iter()
                .map(|f| FileRow {
                    seq: f.seq,
                    kind: f.media_type,
                    size: super::evidence::size_text(u64::try_from(f.size).unwrap_or(0)),
                    sha256: hex::encode(&f.sha256),
                    working: f.working.is_some(),
                })
                .collect()
        } else {
            Vec::new()
        },
        default_due: local_datetime_input(ctx.now + Duration::days(1)),
        errors,
    })
}

fn alert_goes_to_contact(su: &SessionUser, contact: &Contact, snapshot: &IntakeSnapshot) -> bool {
    let probe = OpenAlert {
        id: ozodi_domain::intake::AlertId::new(),
        contact: contact.id,
        contact_seq: contact.seq,
        line: contact.fields.line.clone(),
        region: contact.fields.region.clone(),
        in_custody: contact.fields.in_custody,
        raised_at: contact.fields.received_at,
        escalated_at: None,
    };
    alert_goes_to(su, &probe, snapshot)
}

async fn show_contact(
    ctx: &Ctx,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let (su, contact, snapshot) = contact_for(ctx, id, Action::View).await?;
    let page = contact_page(ctx, su, &contact, &snapshot, errors).await?;
    render_status(status, &page)
}

/// `GET /contacts/{id}`: the contact, its alert and log, triage, tasks and messages. Audited.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (su, contact, snapshot) = contact_for(&ctx, &id, Action::View).await?;
    let entry =
        state.audit_entry(Some(su.user.id), AuditKind::ContactViewed, Some(&ctx.client)).about(contact.id);
    su.store.audit(entry).await?;
    let page = contact_page(&ctx, su, &contact, &snapshot, Vec::new()).await?;
    render(&page)
}

/// The contact page again, saying someone else changed the contact meanwhile.
async fn conflict(ctx: &Ctx, id: &str) -> Result<Response, AppError> {
    show_contact(ctx, id, StatusCode::CONFLICT, vec![ctx.lang.t("contact-conflict")]).await
}

/// The active account with this user name, if any.
async fn active_user(su: &SessionUser, username: &str) -> Result<Option<UserId>, AppError> {
    Ok(su
        .store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == username && !u.disabled)
        .map(|u| u.id))
}

fn back(id: impl std::fmt::Display) -> Response {
    Redirect::to(&format!("/contacts/{id}")).into_response()
}

/// `POST /contacts/{id}/acknowledge`: someone is acting on the alert.
pub async fn acknowledge(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (su, contact, _) = contact_for(&ctx, &id, Action::Update).await?;
    let entry = state.audit_entry(Some(su.user.id), AuditKind::AlertAcknowledged, Some(&ctx.client));
    match su.store.acknowledge_alert(contact.id, su.user.id, state.now(), entry).await {
        Ok(()) => Ok(back(contact.id)),
        // Someone else was quicker: the page shows who.
        Err(StoreError::Conflict) => {
            show_contact(&ctx, &id, StatusCode::CONFLICT, vec![ctx.lang.t("alert-already-acknowledged")])
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /contacts/{id}/triage`: open a case, link to one, or close with a reason.
pub async fn triage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, contact, _) = contact_for(&ctx, &id, Action::Update).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let refuse = |key: &str| show_contact(&ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, vec![ctx.lang.t(key)]);
    let decision = match form.get("decision") {
        "open" => {
            ctx.require(Action::Create, Resource::Cases).await?;
            let title = form.get("title").trim().to_owned();
            if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
                return refuse("case-bad-title").await;
            }
            let hotline = match &contact.fields.line {
                Some(code) => {
                    let terms = su.store.vocabulary("hotline").await?;
                    terms.iter().any(|t| t.code == code.as_str()).then(|| code.to_string())
                }
                None => None,
            };
            Triage::OpenCase(CaseFields {
                status: CaseStatus::IntakeScreening,
                region: contact.fields.region.clone(),
                hotline,
                title,
                summary: contact.fields.summary.clone(),
                lead: su.user.roles.contains(Role::Lawyer).then_some(su.user.id),
            })
        }
        "link" => {
            let Some(case) = CaseId::parse(form.get("case")) else { return refuse("triage-pick-case").await };
            // Linking needs the right to work on that case, like adding anything to it.
            let (case_record, team) = su.store.case_with_team(case).await?.ok_or(AppError::NotFound)?;
            let member = team.iter().find(|m| m.user == su.user.id);
            let access = ozodi_domain::CaseAccess {
                on_team: member.is_some(),
                identity_access: member.is_some_and(|m| m.identity_access),
                lead: case_record.fields.lead == Some(su.user.id),
                deleted: case_record.deleted.is_some(),
            };
            ctx.require_hidden(Action::Update, Resource::Case(access)).await?;
            Triage::Link(case)
        }
        "close" => {
            let Some(reason) = CloseReason::parse(form.get("reason")) else {
                return refuse("triage-pick-reason").await;
            };
            let note = form.get("note").trim().to_owned();
            if note.chars().count() > MAX_NOTE
                || note.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
            {
                return refuse("triage-bad-note").await;
            }
            Triage::Close(reason, note)
        }
        _ => return Err(AppError::BadRequest),
    };
    let mut entry = state.audit_entry(Some(su.user.id), AuditKind::ContactUpdated, Some(&ctx.client));
    entry.detail = serde_json::json!({ "change": "triage", "decision": form.get("decision") });
    match su.store.triage_contact(contact.id, version, decision, su.user.id, state.now(), entry).await {
        Ok((_, Some(case))) if form.get("decision") == "open" => {
            Ok(Redirect::to(&format!("/cases/{case}")).into_response())
        }
        Ok(_) => Ok(back(contact.id)),
        Err(StoreError::Conflict) => conflict(&ctx, &id).await,
        Err(StoreError::Invalid(_)) => refuse("triage-pick-case").await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /contacts/{id}/assign`: to a colleague by user name, or to nobody.
pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, contact, snapshot) = contact_for(&ctx, &id, Action::ManageTeam).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    // To a team: another line takes the contact into its queue.
    if let Some(code) = form.get("user").strip_prefix("line:") {
        let Some(line) = LineCode::parse(code).filter(|l| snapshot.line(l).is_some_and(|l| l.active)) else {
            return show_contact(
                &ctx,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![ctx.lang.t("contact-error-bad-choice")],
            )
            .await;
        };
        let mut entry = state.audit_entry(Some(su.user.id), AuditKind::ContactUpdated, Some(&ctx.client));
        entry.detail = serde_json::json!({ "change": "moved", "to": line.as_str() });
        return match su.store.move_contact(contact.id, version, &line, su.user.id, state.now(), entry).await {
            Ok(_) => Ok(back(contact.id)),
            Err(StoreError::Conflict) => conflict(&ctx, &id).await,
            Err(e) => Err(e.into()),
        };
    }
    let user = match form.get("user") {
        "" => None,
        name => match active_user(su, name).await? {
            Some(u) => Some(u),
            None => {
                return show_contact(
                    &ctx,
                    &id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    vec![ctx.lang.t("assign-unknown-user")],
                )
                .await;
            }
        },
    };
    let mut entry = state.audit_entry(Some(su.user.id), AuditKind::ContactUpdated, Some(&ctx.client));
    entry.detail = serde_json::json!({ "change": "assigned", "to": user.map(|u| u.to_string()) });
    match su.store.assign_contact(contact.id, version, user, su.user.id, state.now(), entry).await {
        Ok(_) => Ok(back(contact.id)),
        Err(StoreError::Conflict) => conflict(&ctx, &id).await,
        Err(StoreError::Invalid(_)) => {
            show_contact(&ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, vec![ctx.lang.t("assign-unknown-user")])
                .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /contacts/{id}/tasks`: a follow-up task with a due date, for oneself or a colleague.
pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, contact, _) = contact_for(&ctx, &id, Action::Update).await?;
    let title = form.get("title").trim().to_owned();
    let mut errors = Vec::new();
    if title.is_empty() || title.chars().count() > MAX_TASK_TITLE || title.chars().any(char::is_control) {
        errors.push(ctx.lang.t("task-bad-title"));
    }
    let due_at = parse_local_datetime(form.get("due_at"));
    if due_at.is_none() {
        errors.push(ctx.lang.t("task-bad-due"));
    }
    let assignee = match form.get("user") {
        "" => Some(su.user.id),
        name => active_user(su, name).await?,
    };
    if assignee.is_none() {
        errors.push(ctx.lang.t("assign-unknown-user"));
    }
    let (Some(due_at), Some(assigned_to), true) = (due_at, assignee, errors.is_empty()) else {
        return show_contact(&ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let task = NewTask {
        contact: Some(contact.id),
        case: contact.case,
        title,
        due_at,
        assigned_to,
        created_by: su.user.id,
        created_at: state.now(),
    };
    let entry = state.audit_entry(Some(su.user.id), AuditKind::TaskChanged, Some(&ctx.client));
    su.store.create_task(&task, entry).await?;
    Ok(back(contact.id))
}

/// `POST /contacts/{id}/messages`: a reply to the sender of a web report (they read it with their
/// receipt).
pub async fn reply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, contact, _) = contact_for(&ctx, &id, Action::Update).await?;
    if !contact.web_report {
        return Err(AppError::NotFound);
    }
    let body = form.get("body").trim().to_owned();
    if body.is_empty()
        || body.chars().count() > MAX_MESSAGE
        || body.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return show_contact(
            &ctx,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![ctx.lang.t("report-bad-message")],
        )
        .await;
    }
    let mut entry = state.audit_entry(Some(su.user.id), AuditKind::ReportMessage, Some(&ctx.client));
    entry.detail = serde_json::json!({ "from": "staff" });
    su.store.add_report_message(contact.id, Some(su.user.id), &body, state.now(), entry).await?;
    Ok(back(contact.id))
}

#[derive(Template)]
#[template(path = "intake/reveal.html")]
struct RevealPage {
    p: Page,
    id: String,
    reference: String,
    details: Option<CallerDetails>,
    error: Option<String>,
}

/// `GET /contacts/{id}/reveal`: asks for the purpose before showing the caller's details.
pub async fn reveal_form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, contact, _) = contact_for(&ctx, &id, Action::RevealIdentity).await?;
    render(&RevealPage {
        p: ctx.page("contact-reveal-title"),
        id: contact.id.to_string(),
        reference: contact.reference(),
        details: None,
        error: None,
    })
}

/// `POST /contacts/{id}/reveal`: shows the caller's details; the audit entry (with the purpose) is
/// written before they are opened.
pub async fn reveal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, contact, _) = contact_for(&ctx, &id, Action::RevealIdentity).await?;
    let purpose: String = form.get("purpose").trim().chars().take(500).collect();
    let page = |details, error| RevealPage {
        p: ctx.page("contact-reveal-title"),
        id: contact.id.to_string(),
        reference: contact.reference(),
        details,
        error,
    };
    if purpose.chars().count() < 5 {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(None, Some(ctx.lang.t("person-purpose-required"))),
        );
    }
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::IdentityRevealed, Some(&ctx.client)).about(contact.id);
    entry.detail = serde_json::json!({ "contact": contact.reference(), "purpose": purpose });
    let details = su.store.reveal_caller(contact.id, entry).await?;
    render(&page(Some(details), None))
}

// ---------------------------------------------------------------------------------------------
// Alerts, tasks, notifications
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "intake/alerts.html")]
struct AlertsPage {
    p: Page,
    alerts: Vec<AlertRow>,
}

/// The open alerts that go to the user, after escalating any that are due; showing them logs
/// that the user saw them (each user's first sight once).
pub(crate) async fn shown_alerts(
    state: &AppState,
    ctx: &Ctx,
    su: &SessionUser,
) -> Result<Vec<AlertRow>, AppError> {
    let snapshot = current_snapshot(state, su.store.as_ref()).await?;
    let mine: Vec<_> =
        snapshot.open_alerts.iter().filter(|a| alert_goes_to(su, a, &snapshot)).map(|a| a.id).collect();
    if !mine.is_empty() {
        let seen = su.store.alerts_seen_by(su.user.id).await?;
        let unseen: Vec<_> = mine.into_iter().filter(|a| !seen.contains(a)).collect();
        su.store.mark_alerts_seen(su.user.id, &unseen, state.now()).await?;
    }
    alert_rows(ctx, su, &snapshot).await
}

/// `GET /alerts`: the open alerts that go to the user.
pub async fn alerts(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let alerts = shown_alerts(&state, &ctx, su).await?;
    render(&AlertsPage { p: ctx.page("alerts-title"), alerts })
}

/// `GET /alerts/poll`: how many alerts wait for the user, for the banner's script.
pub async fn poll(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let snapshot = current_snapshot(&state, su.store.as_ref()).await?;
    let banner = banner(su, &snapshot);
    let body = serde_json::json!({
        "open": banner.open,
        "escalated": banner.escalated,
        "text": crate::page::alert_text(ctx.lang, banner),
    });
    Ok(([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response())
}

#[derive(Template)]
#[template(path = "intake/tasks.html")]
struct TasksPage {
    p: Page,
    tasks: Vec<TaskRow>,
    assigned: Vec<ContactRow>,
    exports: (String, String),
}

/// `GET /tasks`: the user's open tasks, overdue ones first, and the contacts assigned to them
/// (the tasks also as CSV or XLSX).
pub async fn tasks(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let names = names(&su.store.users().await?);
    let snapshot = su.store.intake_snapshot().await?;
    let mut tasks = Vec::new();
    for t in su.store.open_tasks_of(su.user.id).await? {
        let mut row = task_row(&ctx, su, &names, &t);
        if let Some(c) = t.fields.contact {
            row.contact = su.store.contact(c).await?.map(|c| (format!("/contacts/{}", c.id), c.reference()));
        }
        tasks.push(row);
    }
    // Soonest due first puts every overdue task above every other one.
    let mut assigned = Vec::new();
    for c in su.store.contacts_assigned_to(su.user.id).await? {
        assigned.push(contact_row(&ctx, &snapshot, &names, &c).await?);
    }
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("tasks-title"),
            headers: ["task-title", "task-due", "task-assignee", "task-state", "contact-reference"]
                .iter()
                .map(|k| lang.t(k))
                .collect(),
            rows: tasks
                .iter()
                .map(|t| {
                    let state = if t.overdue { lang.t("task-overdue") } else { lang.t("task-open") };
                    let contact = t.contact.as_ref().map(|(_, r)| r.clone()).unwrap_or_default();
                    vec![t.title.clone(), t.due.clone(), t.assignee.clone(), state, contact]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "tasks", format, &table).await;
    }
    render(&TasksPage { p: ctx.page("tasks-title"), tasks, assigned, exports: super::export::links(&ctx) })
}

/// `POST /tasks/{id}/done`: by its assignee, its author or a coordinator.
pub async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let id = TaskId::parse(&id).ok_or(AppError::NotFound)?;
    let task = su.store.task(id).await?.ok_or(AppError::NotFound)?;
    if !may_complete(su, &task) {
        return Err(AppError::NotFound);
    }
    let entry = state.audit_entry(Some(su.user.id), AuditKind::TaskChanged, Some(&ctx.client));
    match su.store.complete_task(id, su.user.id, state.now(), entry).await {
        Ok(()) | Err(StoreError::Conflict) => {}
        Err(e) => return Err(e.into()),
    }
    let next = match (form.get("back"), task.fields.contact) {
        ("contact", Some(c)) => format!("/contacts/{c}"),
        _ => "/tasks".into(),
    };
    Ok(Redirect::to(&next).into_response())
}

#[derive(Debug)]
struct NotificationRow {
    at: String,
    text: String,
    href: Option<String>,
    unread: bool,
}

#[derive(Template)]
#[template(path = "intake/notifications.html")]
struct NotificationsPage {
    p: Page,
    notifications: Vec<NotificationRow>,
    unread: i64,
    /// `Some(address or "")` when e-mail announcements are available.
    email: Option<String>,
    error: Option<String>,
}

/// `GET /notifications`: the newest 100, unread ones marked.
pub async fn notifications(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    notifications_page(&state, &ctx, StatusCode::OK, None, None).await
}

async fn notifications_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    typed: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let (list, unread) = su.store.notifications(su.user.id, 100).await?;
    let mut rows = Vec::with_capacity(list.len());
    for n in list {
        let reference = match n.contact {
            Some(c) => su.store.contact(c).await?.map(|c| c.reference()),
            None => None,
        };
        rows.push(NotificationRow {
            at: ctx.lang.datetime(n.at),
            text: ctx.lang.t_args(
                &format!("notification-{}", n.kind.code()),
                &[("contact", reference.as_deref().unwrap_or("—"))],
            ),
            href: match (n.kind, n.contact) {
                (NotificationKind::Task | NotificationKind::TaskDue, _) => Some("/tasks".into()),
                (NotificationKind::Hearing | NotificationKind::Deadline, _) => {
                    n.entry.map(|(_, case)| format!("/cases/{case}/calendar"))
                }
                (_, Some(c)) => Some(format!("/contacts/{c}")),
                _ => None,
            },
            unread: n.read_at.is_none(),
        });
    }
    let email = if state.config().email_notifications {
        Some(match typed {
            Some(t) => t,
            None => su.store.notify_email(su.user.id).await?.unwrap_or_default(),
        })
    } else {
        None
    };
    render_status(
        status,
        &NotificationsPage { p: ctx.page("notifications-title"), notifications: rows, unread, email, error },
    )
}

/// A plausible e-mail address: one `@` with text around it and a dot after it, no spaces or
/// control characters, at most 254 characters. (The mailer checks it again when sending.)
fn plausible_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    text.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c))
}

/// `POST /notifications/email`: sets (or, empty, clears) the address at which the user is told
/// that notifications wait. The e-mail says only that; never what they are about.
pub async fn set_email(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::OwnAccount).await?;
    if !state.config().email_notifications {
        return Err(AppError::NotFound);
    }
    let typed = form.get("email").trim().to_owned();
    if !typed.is_empty() && !plausible_email(&typed) {
        let typed = typed.chars().take(300).collect();
        let error = Some(ctx.lang.t("notifications-bad-email"));
        return notifications_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(typed), error).await;
    }
    let entry = state.audit_entry(Some(su.user.id), AuditKind::NotifyEmailChanged, Some(&ctx.client));
    let email = (!typed.is_empty()).then_some(typed.as_str());
    su.store.set_notify_email(su.user.id, email, entry).await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// `POST /notifications/read`: marks them all read.
pub async fn mark_read(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    su.store.mark_notifications_read(su.user.id, state.now()).await?;
    Ok(Redirect::to("/notifications").into_response())
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct FigureRow {
    label: String,
    count: i64,
}

#[derive(Debug)]
struct FigureTable {
    caption: String,
    /// The heading of the first column (what the rows are).
    column: String,
    rows: Vec<FigureRow>,
}

#[derive(Template)]
#[template(path = "intake/figures.html")]
struct FiguresPage {
    p: Page,
    from: String,
    to: String,
    total: i64,
    tables: Vec<FigureTable>,
    alerts: i64,
    acknowledged: i64,
    escalated: i64,
    median: String,
    worst: String,
    error: Option<String>,
}

/// The period of the figures page.
#[derive(Debug, serde::Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

fn parse_day(text: &str) -> Option<time::Date> {
    let mut parts = text.trim().splitn(3, '-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    time::Date::from_calendar_date(
        y,
        time::Month::try_from(u8::try_from(m).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()
}

/// A duration as people read it: `1 h 05 min`, `12 min`, `40 s`.
fn duration_text(ctx: &Ctx, seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h > 0 {
        ctx.lang.t_counts("duration-hours", &[("hours", h), ("minutes", m)])
    } else if m > 0 {
        ctx.lang.t_counts("duration-minutes", &[("minutes", m)])
    } else {
        ctx.lang.t_counts("duration-seconds", &[("seconds", s)])
    }
}

/// `GET /intake/figures?from=YYYY-MM-DD&to=YYYY-MM-DD`: contacts by line, channel, caller, region
/// and month; alert response times (median and worst). The period is inclusive, in Dushanbe time;
/// by default the current year.
pub async fn figures(ctx: Ctx, Query(period): Query<Period>) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::IntakeFigures).await?;
    let today = ctx.now.to_offset(ozodi_domain::dates::DUSHANBE).date();
    let year_start = time::Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    let mut error = None;
    let mut day =
        |text: Option<&String>, default: time::Date| match text.map(String::as_str).filter(|t| !t.is_empty())
        {
            None => default,
            Some(t) => parse_day(t).unwrap_or_else(|| {
                error = Some(ctx.lang.t("figures-bad-period"));
                default
            }),
        };
    let from = day(period.from.as_ref(), year_start);
    let to = day(period.to.as_ref(), today).max(from);
    let start =
        time::PrimitiveDateTime::new(from, time::Time::MIDNIGHT).assume_offset(ozodi_domain::dates::DUSHANBE);
    let end = time::PrimitiveDateTime::new(to.next_day().unwrap_or(to), time::Time::MIDNIGHT)
        .assume_offset(ozodi_domain::dates::DUSHANBE);
    let f = su.store.intake_figures(start, end).await?;
    let snapshot = su.store.intake_snapshot().await?;
    let mut region_rows = Vec::new();
    for (code, count) in &f.by_region {
        region_rows.push(FigureRow {
            label: label(&ctx, "region", Some(code).filter(|c| !c.is_empty()).map(String::as_str)).await?,
            count: *count,
        });
    }
    let table =
        |caption: &str, column: &str, rows: &[(String, i64)], label: &dyn Fn(&str) -> String| FigureTable {
            caption: ctx.lang.t(caption),
            column: ctx.lang.t(column),
            rows: rows.iter().map(|(k, n)| FigureRow { label: label(k), count: *n }).collect(),
        };
    let tables = vec![
        table("figures-by-line", "contact-line", &f.by_line, &|k| {
            line_label(&ctx, &snapshot, LineCode::parse(k).as_ref())
        }),
        table("figures-by-channel", "contact-channel", &f.by_channel, &|k| {
            ctx.lang.t(&format!("channel-{k}"))
        }),
        table("figures-by-caller", "contact-caller", &f.by_caller, &|k| ctx.lang.t(&format!("caller-{k}"))),
        FigureTable {
            caption: ctx.lang.t("figures-by-region"),
            column: ctx.lang.t("contact-region"),
            rows: region_rows,
        },
        table("figures-by-month", "figures-month", &f.by_month, &|k| k.to_owned()),
    ];
    let median = match f.response_seconds.len() {
        0 => "—".to_owned(),
        n if n % 2 == 1 => duration_text(&ctx, f.response_seconds[n / 2]),
        n => duration_text(&ctx, (f.response_seconds[n / 2 - 1] + f.response_seconds[n / 2]) / 2),
    };
    let worst = f.response_seconds.last().map(|s| duration_text(&ctx, *s)).unwrap_or_else(|| "—".into());
    render(&FiguresPage {
        p: ctx.page("figures-title"),
        from: from.to_string(),
        to: to.to_string(),
        total: f.total,
        tables,
        alerts: f.alerts,
        acknowledged: f.acknowledged,
        escalated: f.escalated,
        median,
        worst,
        error,
    })
}

// ---------------------------------------------------------------------------------------------
// Configuring lines
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct StaffRow {
    username: String,
    name: String,
    roles: String,
}

#[derive(Debug)]
struct LineRow {
    code: String,
    name: String,
    numbers: String,
    regions: String,
    active: bool,
    staff: usize,
}

#[derive(Template)]
#[template(path = "intake/lines.html")]
struct LinesPage {
    p: Page,
    lines: Vec<LineRow>,
}

/// `GET /admin/lines`.
pub async fn lines(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Lines).await?;
    let snapshot = su.store.intake_snapshot().await?;
    let mut lines = Vec::new();
    for l in &snapshot.lines {
        let mut regions = Vec::new();
        for r in &l.regions {
            regions.push(label(&ctx, "region", Some(r)).await?);
        }
        lines.push(LineRow {
            code: l.code.to_string(),
            name: l.labels.get(ctx.lang.code()).to_owned(),
            numbers: l.numbers.join(", "),
            regions: regions.join(", "),
            active: l.active,
            staff: snapshot.staff.iter().filter(|(c, _)| c == &l.code).count(),
        });
    }
    render(&LinesPage { p: ctx.page("lines-title"), lines })
}

#[derive(Template)]
#[template(path = "intake/line_form.html")]
struct LinePage {
    p: Page,
    /// `None` for a new line.
    code: Option<String>,
    new_code: String,
    label_ru: String,
    label_tg: String,
    label_en: String,
    numbers: String,
    regions: Vec<Choice>,
    active: bool,
    version: i64,
    staff: Vec<StaffRow>,
    candidates: Vec<Choice>,
    errors: Vec<String>,
}

async fn line_page(
    ctx: &Ctx,
    su: &SessionUser,
    code: Option<&LineCode>,
    form: Option<&FormPairs>,
    errors: Vec<String>,
) -> Result<LinePage, AppError> {
    let snapshot = su.store.intake_snapshot().await?;
    let line = code.and_then(|c| snapshot.line(c)).cloned();
    let chosen: Vec<String> = match form {
        Some(f) => f.all("region").map(str::to_owned).collect(),
        None => line.as_ref().map(|l| l.regions.clone()).unwrap_or_default(),
    };
    let mut regions = choices(ctx, "region", None).await?;
    for r in &mut regions {
        r.selected = chosen.contains(&r.code);
    }
    let users = su.store.users().await?;
    let staff: Vec<StaffRow> = match code {
        Some(c) => snapshot
            .staff
            .iter()
            .filter(|(l, _)| l == c)
            .filter_map(|(_, u)| users.iter().find(|x| x.id == *u))
            .map(|u| StaffRow {
                username: u.username.as_str().to_owned(),
                name: u.display_name.as_str().to_owned(),
                roles: u
                    .roles
                    .iter()
                    .map(|r| ctx.lang.t(&format!("role-{}", r.code())))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        None => Vec::new(),
    };
    let candidates = users
        .iter()
        .filter(|u| !u.disabled && (u.roles.contains(Role::Operator) || u.roles.contains(Role::Lawyer)))
        .filter(|u| !staff.iter().any(|s| s.username == u.username.as_str()))
        .map(|u| Choice {
            code: u.username.as_str().to_owned(),
            label: u.display_name.as_str().to_owned(),
            selected: false,
        })
        .collect();
    let value = |name: &str, stored: Option<&str>| match form {
        Some(f) => f.get(name).chars().take(300).collect(),
        None => stored.unwrap_or_default().to_owned(),
    };
    Ok(LinePage {
        p: ctx.page(if code.is_some() { "line-edit-title" } else { "line-new-title" }),
        code: code.map(ToString::to_string),
        new_code: value("code", None),
        label_ru: value("label_ru", line.as_ref().map(|l| l.labels.ru.as_str())),
        label_tg: value("label_tg", line.as_ref().map(|l| l.labels.tg.as_str())),
        label_en: value("label_en", line.as_ref().map(|l| l.labels.en.as_str())),
        numbers: match form {
            Some(f) => f.get("numbers").chars().take(300).collect(),
            None => line.as_ref().map(|l| l.numbers.join("\n")).unwrap_or_default(),
        },
        regions,
        active: match form {
            Some(f) => f.get("active") == "on",
            None => line.as_ref().is_none_or(|l| l.active),
        },
        version: line.as_ref().map(|l| l.version).unwrap_or(0),
        staff,
        candidates,
        errors,
    })
}

/// `GET /admin/lines/new`.
pub async fn new_line(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Lines).await?;
    render(&line_page(&ctx, su, None, None, Vec::new()).await?)
}

/// `GET /admin/lines/{code}`: the line's fields and staff.
pub async fn line(ctx: Ctx, Path(code): Path<String>) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Lines).await?;
    let code = LineCode::parse(&code).ok_or(AppError::NotFound)?;
    su.store.intake_snapshot().await?.line(&code).ok_or(AppError::NotFound)?;
    render(&line_page(&ctx, su, Some(&code), None, Vec::new()).await?)
}

async fn save_line_form(
    state: AppState,
    ctx: Ctx,
    code: Option<LineCode>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Lines).await?;
    let mut errors = Vec::new();
    let line_code = match &code {
        Some(c) => Some(c.clone()),
        None => LineCode::parse(form.get("code").trim()),
    };
    if line_code.is_none() {
        errors.push(ctx.lang.t("line-bad-code"));
    }
    let label = |name: &str| {
        let v = form.get(name).trim().to_owned();
        (!v.is_empty() && v.chars().count() <= 200 && !v.chars().any(char::is_control)).then_some(v)
    };
    let (ru, tg, en) = (label("label_ru"), label("label_tg"), label("label_en"));
    if ru.is_none() || tg.is_none() || en.is_none() {
        errors.push(ctx.lang.t("line-bad-label"));
    }
    let numbers = domain::parse_numbers(form.get("numbers"));
    if numbers.is_none() {
        errors.push(ctx.lang.t("line-bad-numbers"));
    }
    let known = choices(&ctx, "region", None).await?;
    let regions: Vec<String> = form.all("region").map(str::to_owned).collect();
    if regions.iter().any(|r| !known.iter().any(|k| &k.code == r)) {
        errors.push(ctx.lang.t("contact-error-bad-choice"));
    }
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let (ctx_ref, form_ref, code_ref) = (&ctx, &form, &code);
    let again = |errors, status| async move {
        render_status(status, &line_page(ctx_ref, su, code_ref.as_ref(), Some(form_ref), errors).await?)
    };
    let (Some(line_code), Some(ru), Some(tg), Some(en), Some(numbers), true) =
        (line_code, ru, tg, en, numbers, errors.is_empty())
    else {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let line = ozodi_store::intake::Line {
        code: line_code.clone(),
        labels: ozodi_domain::vocab::Labels { en, ru, tg },
        numbers,
        regions,
        active: form.get("active") == "on",
        position: 0,
        version,
    };
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::LineChanged, Some(&ctx.client)).about(&line_code);
    entry.detail = serde_json::json!({ "change": if version == 0 { "created" } else { "updated" } });
    match su.store.save_line(&line, version, entry).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/lines/{line_code}")).into_response()),
        Err(StoreError::Conflict) => {
            let key = if version == 0 { "line-code-taken" } else { "contact-conflict" };
            again(vec![ctx.lang.t(key)], StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/lines`: a new line.
pub async fn create_line(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormPairs,
) -> Result<Response, AppError> {
    save_line_form(state, ctx, None, form).await
}

/// `POST /admin/lines/{code}`: new fields for a line.
pub async fn update_line(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let code = LineCode::parse(&code).ok_or(AppError::NotFound)?;
    save_line_form(state, ctx, Some(code), form).await
}

/// `POST /admin/lines/{code}/staff`: puts an operator or lawyer on the line, or takes them off.
pub async fn set_staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Lines).await?;
    let code = LineCode::parse(&code).ok_or(AppError::NotFound)?;
    su.store.intake_snapshot().await?.line(&code).ok_or(AppError::NotFound)?;
    let member = match form.get("change") {
        "add" => true,
        "remove" => false,
        _ => return Err(AppError::BadRequest),
    };
    let Some(user) = su.store.users().await?.into_iter().find(|u| u.username.as_str() == form.get("user"))
    else {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &line_page(&ctx, su, Some(&code), None, vec![ctx.lang.t("assign-unknown-user")]).await?,
        );
    };
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::LineChanged, Some(&ctx.client)).about(&code);
    entry.detail = serde_json::json!({ "change": if member { "staff-added" } else { "staff-removed" }, "user": user.id.to_string() });
    su.store.set_line_staff(&code, user.id, member, su.user.id, state.now(), entry).await?;
    Ok(Redirect::to(&format!("/admin/lines/{code}")).into_response())
}

/// The file name a download gets: the contact's number and the file's, never the sender's name for
/// the file.
fn file_name(reference: &str, seq: i64, mime: &str, original: bool) -> String {
    let ext = match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "application/pdf" => "pdf",
        _ => "bin",
    };
    let which = if original { "original" } else { "working" };
    format!("{reference}-{seq}-{which}.{ext}")
}

/// `GET /contacts/{id}/files/{seq}/{working|original}`: a web report's file, as an attachment.
/// The working copy has no metadata; the original is as sent (it may carry where and with what it
/// was taken). Every download is audited.
pub async fn file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, seq, copy)): Path<(String, i64, String)>,
) -> Result<Response, AppError> {
    let (su, contact, _) = contact_for(&ctx, &id, Action::View).await?;
    let original = match copy.as_str() {
        "original" => true,
        "working" => false,
        _ => return Err(AppError::NotFound),
    };
    let (mime, bytes) = su.store.report_file(contact.id, seq, original).await?.ok_or(AppError::NotFound)?;
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::ContactViewed, Some(&ctx.client)).about(contact.id);
    entry.detail = serde_json::json!({ "file": seq, "copy": copy });
    su.store.audit(entry).await?;
    let name = file_name(&contact.reference(), seq, &mime, original);
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}
