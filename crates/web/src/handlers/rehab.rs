//! Rehabilitation (DOMAIN.md 3.4, 5.7): the referral of a victim or family member, the episode's
//! course, its sessions and its outcome, and the counts the coalition reports (statistic 14).
//!
//! Confidential: `Resource::Rehabilitation` lets only the rehabilitation team (the clinicians on
//! the case's team) and the coordinators open an episode; everyone else gets the 404 of a case
//! they may not open. Session notes are for the clinicians alone (`Resource::ClinicalNotes`):
//! a coordinator sees that a session took place, not what was said. Analysts see counts only
//! (`/rehabilitation`). Episodes are not records of the case: they are not in the search index,
//! the case's timeline or its export.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseId;
use ozodi_domain::record::{Data, Kind, Value};
use ozodi_domain::rehab::{self, EpisodeId};
use ozodi_domain::{Action, CaseAccess, Resource};
use ozodi_store::rehab::{Episode, EpisodeSummary};
use ozodi_store::{CaseRecord, StoreError};

use super::cases::case_for;
use super::records::{Labels, ShownSection, parse_or_refuse, schema_form, shown_sections, values_of};
use super::{render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

pub(super) fn state_label(ctx: &Ctx, state: &str) -> String {
    ctx.lang.t(&format!("rehab-state-{}", state.to_ascii_lowercase().replace('_', "-")))
}

/// The labels an episode's and a session's fields need: their vocabularies and the case's
/// persons (the client).
async fn labels(ctx: &Ctx, su: &SessionUser, case: CaseId) -> Result<Labels, AppError> {
    let persons = su.store.persons_of_case(case).await?;
    let lists = Labels::lists_of(&[Kind::Episode, Kind::Session]);
    Labels::of(ctx, Some(case), &lists, Vec::new(), Vec::new(), persons).await
}

/// Loads an episode of the case for `action`; anything refused or missing is a 404.
async fn episode_for<'c>(
    ctx: &'c Ctx,
    case_id: &str,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, CaseRecord, CaseAccess, Episode), AppError> {
    let (su, case, access) = case_for(ctx, case_id, Action::View).await?;
    ctx.require_hidden(action, Resource::Rehabilitation(access)).await?;
    let found = match EpisodeId::parse(id) {
        Some(id) => su.store.episode(id).await?.filter(|e| e.case_id == case.id),
        None => None,
    };
    let episode = found.ok_or(AppError::NotFound)?;
    Ok((su, case, access, episode))
}

fn missed(data: &Data) -> bool {
    matches!(data.get("missed"), Some(Value::Flag))
}

#[derive(Debug)]
struct SessionRow {
    reference: String,
    date: String,
    modality: String,
    duration: String,
    practitioner: String,
    missed: bool,
    notes: Option<String>,
    remove: Option<(String, i64)>,
}

#[derive(Debug)]
struct Opt {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "rehab/show.html")]
struct ShowPage {
    p: Page,
    back: String,
    base: String,
    heading: String,
    state: String,
    ended: bool,
    sections: Vec<ShownSection>,
    sessions: Vec<SessionRow>,
    clinical: bool,
    can_add_session: bool,
    steps: Vec<(String, String, String, String)>,
    next: Vec<Opt>,
    version: i64,
    can_edit: bool,
    error: Option<String>,
    notice: Option<String>,
}

async fn show_page(
    ctx: &Ctx,
    case_id: &str,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (su, case, access, e) = episode_for(ctx, case_id, id, Action::View).await?;
    // Reading an episode is reading the case, audited the same way.
    let entry = ozodi_store::NewAuditEntry {
        at: ctx.now,
        actor: Some(su.user.id),
        kind: AuditKind::CaseViewed,
        subject: Some(case.id.to_string()),
        detail: serde_json::json!({ "rehab_episode": e.id.to_string() }),
        client: Some(ctx.client.clone()),
    };
    su.store.audit(entry).await?;
    let labels = labels(ctx, su, case.id).await?;
    let can = |action, resource| ozodi_domain::can(&su.actor, action, resource);
    let writes = can(Action::Update, Resource::Rehabilitation(access));
    let clinical = can(Action::View, Resource::ClinicalNotes(access));
    let ended = rehab::ended(&e.state);
    let base = format!("/cases/{}/rehabilitation/{}", case.id, e.id);
    let sessions = e
        .sessions
        .iter()
        .filter(|s| !s.removed)
        .map(|s| SessionRow {
            reference: format!("S{}", s.seq),
            date: s.data.date("session_date").map(|d| d.to_string()).unwrap_or_default(),
            modality: s.data.text("modality").map(|m| labels.term("rehab_modality", m)).unwrap_or_default(),
            duration: match s.data.get("duration_minutes") {
                Some(Value::Count(n)) => ctx.lang.t_args("rehab-minutes", &[("n", &n.to_string())]),
                _ => String::new(),
            },
            practitioner: s.data.text("practitioner").unwrap_or_default().to_owned(),
            missed: missed(&s.data),
            notes: clinical.then(|| s.data.text("notes").unwrap_or_default().to_owned()),
            remove: (clinical && writes).then(|| (format!("{base}/sessions/{}/remove", s.seq), s.version)),
        })
        .collect();
    let next = if writes {
        rehab::next(&e.state)
            .into_iter()
            .map(|s| Opt { value: s.to_owned(), label: state_label(ctx, s) })
            .collect()
    } else {
        Vec::new()
    };
    let mut p = ctx.page("rehab-title");
    let heading = format!("{} · {}", e.reference(), p.title);
    p.title = heading.clone();
    render_status(
        status,
        &ShowPage {
            p,
            back: format!("/cases/{}", case.id),
            heading,
            state: state_label(ctx, &e.state),
            ended,
            sections: shown_sections(ctx, &labels, Kind::Episode, &e.data),
            sessions,
            clinical,
            can_add_session: clinical && !ended,
            steps: e
                .steps
                .iter()
                .map(|s| {
                    (ctx.lang.datetime(s.at), state_label(ctx, &s.state), s.by_name.clone(), s.note.clone())
                })
                .collect(),
            next,
            version: e.version,
            can_edit: writes,
            error,
            notice: ctx.path.contains("saved=1").then(|| ctx.lang.t("saved")),
            base,
        },
    )
}

/// `GET /cases/{id}/rehabilitation/{rid}`.
pub async fn show(ctx: Ctx, Path((case_id, id)): Path<(String, String)>) -> Result<Response, AppError> {
    show_page(&ctx, &case_id, &id, StatusCode::OK, None).await
}

/// A date field of a form filled with today's date in Dushanbe.
fn today_in(name: &str, ctx: &Ctx) -> Vec<(String, String)> {
    let today = super::legal::today(ctx.now);
    vec![
        (format!("{name}.y"), today.year().to_string()),
        (format!("{name}.m"), u8::from(today.month()).to_string()),
        (format!("{name}.d"), today.day().to_string()),
    ]
}

fn new_frame(ctx: &Ctx, case: CaseId) -> (String, String, String) {
    (ctx.lang.t("rehab-new-title"), format!("/cases/{case}/rehabilitation"), format!("/cases/{case}"))
}

/// `GET /cases/{id}/rehabilitation/new`: the referral form.
pub async fn new_form(ctx: Ctx, Path(case_id): Path<String>) -> Result<Response, AppError> {
    let (su, case, access) = case_for(&ctx, &case_id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::Rehabilitation(access)).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let values = FormPairs::from_pairs(today_in("referred_at", &ctx));
    schema_form(
        &ctx,
        &labels,
        Kind::Episode,
        &values,
        Vec::new(),
        StatusCode::OK,
        new_frame(&ctx, case.id),
        0,
    )
}

/// Shows the episode form again with the refusals (422), or the store's (409 when stale).
fn refused(
    ctx: &Ctx,
    labels: &Labels,
    kind: Kind,
    form: &FormPairs,
    errors: Vec<(&'static str, String)>,
    (status, frame, version): (StatusCode, (String, String, String), i64),
) -> Result<Response, AppError> {
    schema_form(ctx, labels, kind, form, errors, status, frame, version)
}

/// `POST /cases/{id}/rehabilitation`: records a referral.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(case_id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access) = case_for(&ctx, &case_id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::Rehabilitation(access)).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let frame = new_frame(&ctx, case.id);
    let data = match parse_or_refuse(&ctx, &labels, Kind::Episode, &form, frame.clone(), 0)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordCreated, Some(&ctx.client));
    match su.store.create_episode(case.id, &data, su.user.id, state.now(), audit).await {
        Ok(id) => {
            Ok(Redirect::to(&format!("/cases/{}/rehabilitation/{id}?saved=1", case.id)).into_response())
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            refused(&ctx, &labels, Kind::Episode, &form, errors, (StatusCode::UNPROCESSABLE_ENTITY, frame, 0))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /cases/{id}/rehabilitation/{rid}/edit`.
pub async fn edit_form(ctx: Ctx, Path((case_id, id)): Path<(String, String)>) -> Result<Response, AppError> {
    let (su, case, _, e) = episode_for(&ctx, &case_id, &id, Action::Update).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let base = format!("/cases/{}/rehabilitation/{}", case.id, e.id);
    let frame = (ctx.lang.t_args("record-edit-title", &[("ref", &e.reference())]), base.clone(), base);
    let values = values_of(Kind::Episode, &e.data);
    schema_form(&ctx, &labels, Kind::Episode, &values, Vec::new(), StatusCode::OK, frame, e.version)
}

/// `POST /cases/{id}/rehabilitation/{rid}`: saves the episode unless someone changed it first.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _, e) = episode_for(&ctx, &case_id, &id, Action::Update).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let base = format!("/cases/{}/rehabilitation/{}", case.id, e.id);
    let frame =
        (ctx.lang.t_args("record-edit-title", &[("ref", &e.reference())]), base.clone(), base.clone());
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let data = match parse_or_refuse(&ctx, &labels, Kind::Episode, &form, frame.clone(), version)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.update_episode(e.id, version, &data, su.user.id, state.now(), audit).await {
        Ok(()) => Ok(Redirect::to(&format!("{base}?saved=1")).into_response()),
        Err(StoreError::Conflict) => {
            let errors = vec![("version", ctx.lang.t("rehab-stale"))];
            refused(&ctx, &labels, Kind::Episode, &form, errors, (StatusCode::CONFLICT, frame, version))
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            refused(
                &ctx,
                &labels,
                Kind::Episode,
                &form,
                errors,
                (StatusCode::UNPROCESSABLE_ENTITY, frame, version),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/rehabilitation/{rid}/steps`: the next stage of the course.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, _, _, e) = episode_for(&ctx, &case_id, &id, Action::Update).await?;
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let note: String = form.get("note").trim().chars().take(1000).collect();
    if note.chars().any(char::is_control) {
        let message = Some(ctx.lang.t("record-problem-text"));
        return show_page(&ctx, &case_id, &id, StatusCode::UNPROCESSABLE_ENTITY, message).await;
    }
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    let request =
        ozodi_store::rehab::StepRequest { to: form.get("to"), note: &note, by: su.user.id, at: state.now() };
    match su.store.episode_step(e.id, version, request, audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{case_id}/rehabilitation/{id}?saved=1")).into_response()),
        Err(StoreError::Rehab(err)) => {
            let message = match &err {
                rehab::StepError::NotAllowed { from, allowed } => super::legal::not_allowed(
                    ctx.lang,
                    err.key(),
                    state_label(&ctx, from),
                    allowed.iter().map(|s| state_label(&ctx, s)),
                ),
                other => ctx.lang.t(other.key()),
            };
            show_page(&ctx, &case_id, &id, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await
        }
        Err(StoreError::Conflict) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("rehab-stale"))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Loads an episode for recording or removing a session: the clinicians on the team only.
async fn clinical_episode<'c>(
    ctx: &'c Ctx,
    case_id: &str,
    id: &str,
) -> Result<(&'c SessionUser, CaseRecord, Episode), AppError> {
    let (su, case, access, e) = episode_for(ctx, case_id, id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::ClinicalNotes(access)).await?;
    Ok((su, case, e))
}

fn session_frame(ctx: &Ctx, case: &CaseRecord, e: &Episode) -> (String, String, String) {
    let base = format!("/cases/{}/rehabilitation/{}", case.id, e.id);
    (ctx.lang.t_args("rehab-session-new", &[("ref", &e.reference())]), format!("{base}/sessions"), base)
}

/// `GET /cases/{id}/rehabilitation/{rid}/sessions/new`.
pub async fn new_session(
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (su, case, e) = clinical_episode(&ctx, &case_id, &id).await?;
    if rehab::ended(&e.state) {
        return show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("rehab-ended"))).await;
    }
    let labels = labels(&ctx, su, case.id).await?;
    let mut values = today_in("session_date", &ctx);
    values.push(("modality".into(), "INDIVIDUAL".into()));
    values.push(("practitioner".into(), su.user.display_name.as_str().to_owned()));
    let values = FormPairs::from_pairs(values);
    let frame = session_frame(&ctx, &case, &e);
    schema_form(&ctx, &labels, Kind::Session, &values, Vec::new(), StatusCode::OK, frame, 0)
}

/// `POST /cases/{id}/rehabilitation/{rid}/sessions`.
pub async fn add_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, e) = clinical_episode(&ctx, &case_id, &id).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let frame = session_frame(&ctx, &case, &e);
    let data = match parse_or_refuse(&ctx, &labels, Kind::Session, &form, frame.clone(), 0)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.add_session(e.id, &data, su.user.id, state.now(), audit).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/cases/{case_id}/rehabilitation/{id}?saved=1#sessions"))
                .into_response())
        }
        Err(StoreError::Ended) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("rehab-ended"))).await
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            refused(&ctx, &labels, Kind::Session, &form, errors, (StatusCode::UNPROCESSABLE_ENTITY, frame, 0))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/rehabilitation/{rid}/sessions/{seq}/remove`: a session entered by mistake.
pub async fn remove_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id, seq)): Path<(String, String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access, e) = episode_for(&ctx, &case_id, &id, Action::Update).await?;
    ctx.require_hidden(Action::Update, Resource::ClinicalNotes(access)).await?;
    let seq: i64 = seq.parse().map_err(|_| AppError::NotFound)?;
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let back = format!("/cases/{}/rehabilitation/{}", case.id, e.id);
    match e.sessions.iter().find(|s| s.seq == seq) {
        None => return Err(AppError::NotFound),
        // Removing twice (a repeated submission) changes nothing more.
        Some(s) if s.removed => return Ok(Redirect::to(&format!("{back}#sessions")).into_response()),
        Some(_) => {}
    }
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.remove_session(e.id, seq, version, state.now(), audit).await {
        Ok(()) => Ok(Redirect::to(&format!("{back}?saved=1#sessions")).into_response()),
        Err(StoreError::Conflict) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("rehab-stale"))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The episodes of a case as its page lists them, for who may open them (no clinical content).
pub(super) async fn listed(
    ctx: &Ctx,
    su: &SessionUser,
    case: CaseId,
    access: CaseAccess,
) -> Result<Vec<(String, String)>, AppError> {
    if !ozodi_domain::can(&su.actor, Action::View, Resource::Rehabilitation(access)) {
        return Ok(Vec::new());
    }
    let labels = relations(ctx).await?;
    Ok(su
        .store
        .episodes(Some(case), None)
        .await?
        .iter()
        .map(|e| (format!("/cases/{case}/rehabilitation/{}", e.id), summary_text(ctx, &labels, e)))
        .collect())
}

/// The one vocabulary a list of episodes needs: victim or family member.
async fn relations(ctx: &Ctx) -> Result<Labels, AppError> {
    Labels::of(ctx, None, &["rehab_client"], Vec::new(), Vec::new(), Vec::new()).await
}

fn summary_text(ctx: &Ctx, labels: &Labels, e: &EpisodeSummary) -> String {
    let mut parts = vec![ozodi_domain::record::reference(Kind::Episode, e.seq), state_label(ctx, &e.state)];
    if let Some(client) = &e.client {
        parts.push(client.clone());
    }
    if let Some(relation) = &e.relation {
        parts.push(labels.term("rehab_client", relation));
    }
    parts.push(ctx.lang.t_args("rehab-sessions-held", &[("n", &e.sessions.to_string())]));
    parts.join(" · ")
}

#[derive(Debug)]
struct ListRow {
    href: String,
    case: String,
    text: String,
    referred: String,
}

#[derive(Debug)]
struct Figure {
    label: String,
    value: u32,
}

#[derive(Template)]
#[template(path = "rehab/list.html")]
struct ListPage {
    p: Page,
    figures: bool,
    clients: Vec<(String, Vec<Figure>)>,
    sessions: Vec<Figure>,
    states: Vec<Figure>,
    episodes: Option<Vec<ListRow>>,
    exports: (String, String),
}

/// `GET /rehabilitation`: the counts of statistic 14 for those who may see figures, and the
/// episodes of one's own cases (all of them for a coordinator). Analysts get only counts. As CSV
/// or XLSX: the episodes the reader sees, or for an analyst the counts.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::RehabFigures).await?;
    let labels = relations(&ctx).await?;
    let figures = su.store.rehab_figures().await?;
    let mut clients: Vec<(String, Vec<Figure>)> = Vec::new();
    for (year, relation, n) in &figures.clients {
        let year = if year.is_empty() { ctx.lang.t("rehab-year-unknown") } else { year.clone() };
        let figure = Figure { label: labels.term("rehab_client", relation), value: *n };
        match clients.iter_mut().find(|(y, _)| *y == year) {
            Some((_, list)) => list.push(figure),
            None => clients.push((year, vec![figure])),
        }
    }
    let roles = su.actor.roles;
    let coordinator = roles.contains(ozodi_domain::Role::Coordinator);
    let clinician =
        roles.contains(ozodi_domain::Role::Doctor) || roles.contains(ozodi_domain::Role::Psychologist);
    // A coordinator follows every episode; a clinician those of their cases; an analyst none.
    let episodes = if coordinator || clinician {
        let member = (!coordinator).then_some(su.user.id);
        let rows: Vec<ListRow> = su
            .store
            .episodes(None, member)
            .await?
            .iter()
            .map(|e| ListRow {
                href: format!("/cases/{}/rehabilitation/{}", e.case_id, e.id),
                case: e.case_number.clone(),
                text: summary_text(&ctx, &labels, e),
                referred: e.referred_at.clone().unwrap_or_default(),
            })
            .collect();
        Some(rows)
    } else {
        None
    };
    let sessions: Vec<Figure> = figures
        .sessions
        .iter()
        .map(|(year, n)| Figure {
            label: if year.is_empty() { ctx.lang.t("rehab-year-unknown") } else { year.clone() },
            value: *n,
        })
        .collect();
    let states: Vec<Figure> =
        figures.states.iter().map(|(s, n)| Figure { label: state_label(&ctx, s), value: *n }).collect();
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let (headers, rows): (&[&str], Vec<Vec<String>>) = match &episodes {
            Some(list) => (
                &["rehab-case", "rehab-episode", "field-referred_at"],
                list.iter().map(|e| vec![e.case.clone(), e.text.clone(), e.referred.clone()]).collect(),
            ),
            None => {
                let mut rows = Vec::new();
                for (year, list) in &clients {
                    for f in list {
                        rows.push(vec![
                            lang.t("rehab-clients"),
                            year.clone(),
                            f.label.clone(),
                            f.value.to_string(),
                        ]);
                    }
                }
                for f in &sessions {
                    rows.push(vec![
                        lang.t("rehab-sessions"),
                        f.label.clone(),
                        String::new(),
                        f.value.to_string(),
                    ]);
                }
                for f in &states {
                    rows.push(vec![
                        lang.t("rehab-episodes"),
                        String::new(),
                        f.label.clone(),
                        f.value.to_string(),
                    ]);
                }
                (&["rehab-figures", "rehab-year", "rehab-state", "stat-value"], rows)
            }
        };
        let table = ozodi_exchange::table::Table {
            title: lang.t("rehab-list-title"),
            headers: headers.iter().map(|k| lang.t(k)).collect(),
            rows,
        };
        return super::export::respond(&state, &ctx, su, "rehabilitation", format, &table).await;
    }
    render(&ListPage {
        p: ctx.page("rehab-list-title"),
        figures: !figures.states.is_empty(),
        clients,
        sessions,
        states,
        episodes,
        exports: super::export::links(&ctx),
    })
}
