//! Case files: the list, opening a case, the case page (audited on every read), editing with
//! versions, status transitions through the state machine, the team, the history with differences,
//! tombstones and restore. Outsiders get a 404 for a case they may not open: its existence is not
//! confirmed.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::{CaseEvent, CaseId, CaseStatus};
use ozodi_domain::{Action, CaseAccess, Resource, Role, Username};
use ozodi_store::{CaseFields, CaseRecord, StoreError};

use super::{Change, VersionView, render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

const MAX_TITLE: usize = 200;
const MAX_SUMMARY: usize = 20_000;

/// A choice in a select or a group of radio buttons (a vocabulary term, a line, a role…).
#[derive(Debug)]
pub(super) struct Choice {
    pub(super) code: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// The terms of a vocabulary list as choices in the user's language: current ones, and a
/// deprecated one only if it is the selected value.
pub(super) async fn choices(ctx: &Ctx, list: &str, selected: Option<&str>) -> Result<Vec<Choice>, AppError> {
    let store = ctx.store()?;
    Ok(store
        .vocabulary(list)
        .await?
        .iter()
        .filter(|t| !t.deprecated || Some(t.code.as_str()) == selected)
        .map(|t| Choice {
            selected: Some(t.code.as_str()) == selected,
            label: t.labels.get(ctx.lang.code()).to_owned(),
            code: t.code.clone(),
        })
        .collect())
}

/// A term's label in the user's language ("—" for none, the code itself if the list lacks it).
pub(super) async fn label(ctx: &Ctx, list: &str, code: Option<&str>) -> Result<String, AppError> {
    let Some(code) = code else { return Ok("—".into()) };
    let store = ctx.store()?;
    let terms = store.vocabulary(list).await?;
    Ok(terms
        .iter()
        .find(|t| t.code == code)
        .map(|t| t.labels.get(ctx.lang.code()).to_owned())
        .unwrap_or_else(|| code.to_owned()))
}

/// The case and the actor's relation to it, if `action` is allowed; a 404 otherwise.
pub(super) async fn case_for<'c>(
    ctx: &'c Ctx,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, CaseRecord, CaseAccess), AppError> {
    let (su, case, access, _) = case_with_team(ctx, id, action).await?;
    Ok((su, case, access))
}

/// [`case_for`], also handing over the current team it read (the case page shows it).
async fn case_with_team<'c>(
    ctx: &'c Ctx,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, CaseRecord, CaseAccess, Vec<ozodi_store::TeamMember>), AppError> {
    // Only an account that may use the application at all learns whether a case exists: one that
    // must first change its password is sent there before the case is looked up, so that an
    // existing case and a missing one answer alike.
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let id = CaseId::parse(id).ok_or(AppError::NotFound)?;
    let (case, team) = su.store.case_with_team(id).await?.ok_or(AppError::NotFound)?;
    let access = access_of(su, &case, &team);
    let su = ctx.require_hidden(action, Resource::Case(access)).await?;
    Ok((su, case, access, team))
}

/// The user's relation to a case, for `can`.
fn access_of(su: &SessionUser, case: &CaseRecord, team: &[ozodi_store::TeamMember]) -> CaseAccess {
    let member = team.iter().find(|m| m.user == su.user.id);
    CaseAccess {
        on_team: member.is_some(),
        identity_access: member.is_some_and(|m| m.identity_access),
        lead: case.fields.lead == Some(su.user.id),
        deleted: case.deleted.is_some(),
    }
}

#[derive(Debug)]
struct CaseRow {
    id: String,
    number: String,
    title: String,
    status: String,
    region: String,
    opened: String,
    deleted: bool,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    p: Page,
    cases: Vec<CaseRow>,
    can_create: bool,
    exports: (String, String),
}

/// `GET /cases` (also as CSV or XLSX: `export`; as the JSON exchange document of its cases with
/// their records: `format=json`).
pub async fn list(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let coordinator = su.user.roles.contains(Role::Coordinator);
    let records = su.store.cases_for(su.user.id, coordinator, coordinator, 200).await?;
    if super::export::wants_json(&ctx) {
        // For data exchange: the live cases of the list whose records the reader may see.
        let (mut documents, mut count, mut facilities) = (Vec::new(), 0, std::collections::BTreeMap::new());
        for c in records.iter().filter(|c| c.deleted.is_none()) {
            let Some((case, team)) = su.store.case_with_team(c.id).await? else { continue };
            let access = access_of(su, &case, &team);
            if !ozodi_domain::can(&su.actor, Action::View, Resource::Record(access, false)) {
                continue;
            }
            let (document, n) =
                super::export::case_document(su.store.as_ref(), &case, &mut facilities).await?;
            documents.push(document);
            count += n;
        }
        return super::export::respond_json(&state, &ctx, su, "cases", documents, count, facilities).await;
    }
    let mut cases = Vec::new();
    for c in records {
        cases.push(CaseRow {
            id: c.id.to_string(),
            number: c.number.to_string(),
            title: c.fields.title.clone(),
            status: ctx.lang.t(&format!("case-status-{}", c.fields.status.code())),
            region: label(&ctx, "region", c.fields.region.as_deref()).await?,
            opened: ctx.lang.datetime(c.opened_at),
            deleted: c.deleted.is_some(),
        });
    }
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("cases-title"),
            headers: [
                "case-number",
                "case-field-title",
                "case-field-status",
                "case-field-region",
                "case-opened",
            ]
            .iter()
            .map(|k| lang.t(k))
            .collect(),
            rows: cases
                .iter()
                .map(|c| {
                    vec![
                        c.number.clone(),
                        c.title.clone(),
                        c.status.clone(),
                        c.region.clone(),
                        c.opened.clone(),
                    ]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "cases", format, &table).await;
    }
    let can_create = ozodi_domain::can(&su.actor, Action::Create, Resource::Cases);
    render(&ListPage { p: ctx.page("cases-title"), cases, can_create, exports: super::export::links(&ctx) })
}

#[derive(Template)]
#[template(path = "cases/form.html")]
struct FormPage {
    p: Page,
    action: String,
    title: String,
    summary: String,
    regions: Vec<Choice>,
    hotlines: Vec<Choice>,
    version: i64,
    errors: Vec<String>,
}

/// `GET /cases/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Action::Create, Resource::Cases).await?;
    render(&FormPage {
        p: ctx.page("case-new-title"),
        action: "/cases".into(),
        title: String::new(),
        summary: String::new(),
        regions: choices(&ctx, "region", None).await?,
        hotlines: choices(&ctx, "hotline", None).await?,
        version: 0,
        errors: Vec::new(),
    })
}

/// A submitted vocabulary code: `Ok(None)` when empty, `Ok(Some)` when the list has it, `Err(())`
/// for anything else (a forged or stale value).
async fn known_code(ctx: &Ctx, list: &str, code: &str) -> Result<Result<Option<String>, ()>, AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(Ok(None));
    }
    let terms = ctx.store()?.vocabulary(list).await?;
    Ok(if terms.iter().any(|t| t.code == code) { Ok(Some(code.to_owned())) } else { Err(()) })
}

/// Reads and checks the editable fields; returns the translated problems instead when any.
async fn parse_fields(
    ctx: &Ctx,
    form: &FormPairs,
    base: CaseFields,
) -> Result<Result<CaseFields, Vec<String>>, AppError> {
    let mut errors = Vec::new();
    let title = form.get("title").trim().to_owned();
    if title.is_empty() || title.chars().count() > MAX_TITLE || title.chars().any(char::is_control) {
        errors.push(ctx.lang.t("case-bad-title"));
    }
    let summary = form.get("summary").trim().to_owned();
    if summary.chars().count() > MAX_SUMMARY {
        errors.push(ctx.lang.t("case-bad-summary"));
    }
    let region = known_code(ctx, "region", form.get("region")).await?;
    let hotline = known_code(ctx, "hotline", form.get("hotline")).await?;
    if region.is_err() || hotline.is_err() {
        errors.push(ctx.lang.t("case-bad-choice"));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(CaseFields {
        title,
        summary,
        region: region.unwrap_or(None),
        hotline: hotline.unwrap_or(None),
        ..base
    }))
}

/// `POST /cases`: opens a case; the creator joins the team with identity access.
pub async fn create(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Cases).await?;
    let base = CaseFields {
        status: CaseStatus::IntakeScreening,
        region: None,
        hotline: None,
        title: String::new(),
        summary: String::new(),
        lead: su.user.roles.contains(Role::Lawyer).then_some(su.user.id),
    };
    match parse_fields(&ctx, &form, base).await? {
        Ok(fields) => {
            let entry = state.audit_entry(Some(su.user.id), AuditKind::CaseCreated, Some(&ctx.client));
            let case = su.store.create_case(&fields, su.user.id, state.now(), entry).await?;
            Ok(Redirect::to(&format!("/cases/{}", case.id)).into_response())
        }
        Err(errors) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                p: ctx.page("case-new-title"),
                action: "/cases".into(),
                title: form.get("title").chars().take(MAX_TITLE + 50).collect(),
                summary: form.get("summary").chars().take(MAX_SUMMARY + 50).collect(),
                regions: choices(&ctx, "region", Some(form.get("region"))).await?,
                hotlines: choices(&ctx, "hotline", Some(form.get("hotline"))).await?,
                version: 0,
                errors,
            },
        ),
    }
}

#[derive(Debug)]
struct MemberView {
    id: String,
    username: String,
    identity_access: bool,
}

#[derive(Debug)]
pub(super) struct PersonView {
    pub(super) id: String,
    pub(super) pseudonym: String,
    pub(super) description: String,
    pub(super) roles: String,
}

/// The persons of a case as its page and its court file list them: pseudonym, a description
/// without names, and their roles in the case's records.
pub(super) fn person_views(ctx: &Ctx, labels: &super::records::Labels) -> Vec<PersonView> {
    let roles = ozodi_store::RecordRole::of(&labels.records);
    labels
        .persons
        .iter()
        .map(|person| {
            let mut parts = Vec::new();
            if person.fields.counting_unit != "01" {
                parts.push(ctx.lang.t("person-group"));
            }
            if let Some(sex) = person.fields.sex {
                parts.push(ctx.lang.t(&format!("person-sex-{}", sex.code())));
            }
            if let Some(year) = person.fields.birth_year {
                parts.push(ctx.lang.t_args("person-born", &[("year", &year.to_string())]));
            }
            let id = person.id.to_string();
            let roles = roles
                .iter()
                .filter(|r| r.person == id)
                .map(|r| {
                    let role = match (r.field, r.connection.as_deref()) {
                        ("source", Some("0102")) => "witness",
                        ("source", Some(c)) if c.starts_with("02") => "relative",
                        (field, _) => field,
                    };
                    format!(
                        "{} ({})",
                        ctx.lang.t(&format!("person-role-{role}")),
                        ozodi_domain::record::reference(r.kind, r.seq)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            PersonView { id, pseudonym: person.pseudonym.to_string(), description: parts.join(", "), roles }
        })
        .collect()
}

/// A line on the case page: a record's reference, description and address.
#[derive(Debug)]
struct Line {
    href: String,
    text: String,
}

#[derive(Debug)]
struct ActLine {
    line: Line,
    involvements: Vec<Line>,
}

#[derive(Debug)]
struct EventLine {
    line: Line,
    dates: String,
    acts: Vec<ActLine>,
}

/// The events and acts in date order, and the other records of the case.
#[derive(Debug, Default)]
struct Timeline {
    events: Vec<EventLine>,
    others: Vec<Line>,
    removed: Vec<Line>,
}

fn timeline(ctx: &Ctx, case: &CaseRecord, labels: &super::records::Labels) -> Timeline {
    use ozodi_domain::record::Kind;
    let href = |r: &ozodi_store::Record| format!("/cases/{}/{}/{}", case.id, r.kind.slug(), r.id);
    let line = |r: &ozodi_store::Record| {
        let mut text = labels.describe(r);
        if r.kind == Kind::Event {
            // The timeline shows the dates beside the line already.
            text = [r.reference(), r.data.text("title").unwrap_or_default().to_owned()].join(" · ");
        } else if r.kind == Kind::Involvement {
            let perpetrator = r.data.text("perpetrator").map(|p| labels.reference(p)).unwrap_or_default();
            let agency = r.data.text("agency").map(|a| labels.term("agency", a)).unwrap_or_default();
            text = [text, perpetrator, agency]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
        } else if !matches!(r.kind, Kind::Event | Kind::Act) {
            text = format!("{text} · {}", ctx.lang.t(&format!("record-kind-{}", r.kind.code())));
        }
        Line { href: href(r), text }
    };
    let live: Vec<&ozodi_store::Record> = labels.records.iter().filter(|r| r.deleted.is_none()).collect();
    let mut placed = std::collections::HashSet::new();
    let mut events = Vec::new();
    for event in live.iter().filter(|r| r.kind == Kind::Event) {
        placed.insert(event.id);
        let id = event.id.to_string();
        let mut acts = Vec::new();
        for act in live.iter().filter(|r| r.kind == Kind::Act && r.data.text("event") == Some(id.as_str())) {
            placed.insert(act.id);
            let act_id = act.id.to_string();
            let involvements = live
                .iter()
                .filter(|r| r.kind == Kind::Involvement && r.data.text("act") == Some(act_id.as_str()))
                .map(|r| {
                    placed.insert(r.id);
                    line(r)
                })
                .collect();
            acts.push(ActLine { line: line(act), involvements });
        }
        let dates = match (event.data.date("initial_date"), event.data.date("final_date")) {
            (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
            (Some(a), _) => a.to_string(),
            (None, Some(b)) => format!("– {b}"),
            (None, None) => ctx.lang.t("record-date-unknown"),
        };
        events.push(EventLine { line: line(event), dates, acts });
    }
    // The legal records have their own section (proceedings) and pages (accused, payments).
    let others = live
        .iter()
        .filter(|r| !placed.contains(&r.id) && !Kind::LEGAL.contains(&r.kind))
        .map(|r| line(r))
        .collect();
    let removed = labels.records.iter().filter(|r| r.deleted.is_some()).map(line).collect();
    Timeline { events, others, removed }
}

#[derive(Debug)]
struct EventButton {
    code: &'static str,
    label: String,
    needs_reason: bool,
}

#[derive(Template)]
#[template(path = "cases/show.html")]
struct ShowPage {
    p: Page,
    id: String,
    number: String,
    title: String,
    summary: String,
    status: String,
    region: String,
    hotline: String,
    opened: String,
    version: i64,
    team: Vec<MemberView>,
    persons: Vec<PersonView>,
    timeline: Timeline,
    evidence: Vec<Line>,
    contacts: Vec<Line>,
    proceedings: Vec<Line>,
    can_add_proceeding: bool,
    evaluations: Vec<Line>,
    can_add_evaluation: bool,
    episodes: Vec<Line>,
    can_add_episode: bool,
    can_court_file: bool,
    can_reveal: bool,
    events: Vec<EventButton>,
    can_edit: bool,
    can_manage_team: bool,
    can_delete: bool,
    deleted: Option<String>,
    can_restore: bool,
    error: Option<String>,
    notice: Option<String>,
    /// The public summary publications may cite, and its version.
    public_summary: String,
    public_summary_version: i64,
}

async fn show_page(
    ctx: &Ctx,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, AppError> {
    // The whole file in one read, like `case_with_team` but with everything the page shows; the
    // same 404 for a case the user may not open as for one that does not exist.
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let case_id = CaseId::parse(id).ok_or(AppError::NotFound)?;
    let file = su.store.case_file(case_id).await?.ok_or(AppError::NotFound)?;
    let access = access_of(su, &file.case, &file.team);
    let su = ctx.require_hidden(Action::View, Resource::Case(access)).await?;
    let mut entry = ozodi_store::NewAuditEntry {
        at: ctx.now,
        actor: Some(su.user.id),
        kind: AuditKind::CaseViewed,
        subject: Some(file.case.id.to_string()),
        detail: serde_json::json!({}),
        client: Some(ctx.client.clone()),
    };
    if status != StatusCode::OK {
        entry.detail = serde_json::json!({ "reason": "form-error" });
    }
    // The page is built while the access log commits the entry (a sync to disk); nothing is sent
    // before that commit succeeded.
    let (audited, page) =
        tokio::join!(su.store.audit(entry), render_show(ctx, su, access, file, status, error));
    audited?;
    page
}

async fn render_show(
    ctx: &Ctx,
    su: &SessionUser,
    access: CaseAccess,
    file: ozodi_store::CaseFile,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, AppError> {
    let case = &file.case;
    let team = file
        .team
        .into_iter()
        .map(|m| MemberView {
            id: m.user.to_string(),
            username: m.username,
            identity_access: m.identity_access,
        })
        .collect();
    let labels = super::records::Labels::of(
        ctx,
        Some(case.id),
        &["MT04", "region", "agency", "MT19", "proceeding_kind"],
        file.records,
        file.facilities,
        file.persons,
    )
    .await?;
    let persons = person_views(ctx, &labels);
    let timeline = timeline(ctx, case, &labels);
    let can_reveal = case.deleted.is_none()
        && ozodi_domain::can(&su.actor, Action::RevealIdentity, Resource::Case(access));
    let evidence = file
        .evidence
        .into_iter()
        .filter(|e| e.deleted.is_none() && (!e.identity || can_reveal))
        .map(|e| Line {
            href: format!("/cases/{}/evidence/{}", case.id, e.id),
            text: format!(
                "{} · {} · {}",
                e.reference(),
                e.title,
                ctx.lang.t(&format!("evidence-category-{}", e.category.code()))
            ),
        })
        .collect();
    // Proceedings with where they stand (one more statement, only for a case that has any).
    let mut proceedings = Vec::new();
    let live_proceedings: Vec<&ozodi_store::Record> = labels
        .records
        .iter()
        .filter(|r| r.kind == ozodi_domain::record::Kind::Proceeding && r.deleted.is_none())
        .collect();
    if !live_proceedings.is_empty() {
        let states = su.store.proceeding_states_of_case(case.id).await?;
        for r in live_proceedings {
            let kind =
                r.data.text("proceeding_kind").map(|k| labels.term("proceeding_kind", k)).unwrap_or_default();
            let state = states
                .iter()
                .find(|(id, _)| *id == r.id)
                .map(|(_, s)| ctx.lang.t(&super::legal::state_key(s)))
                .unwrap_or_default();
            proceedings.push(Line {
                href: format!("/cases/{}/proceedings/{}", case.id, r.id),
                text: format!(
                    "{} · {kind} · {} · {state}",
                    r.reference(),
                    r.data.text("title").unwrap_or_default()
                ),
            });
        }
    }
    // Medico-legal evaluations: the case file read them; each is listed only to who may open it.
    let evaluations = super::evaluations::listed(ctx, su, case.id, access, &file.evaluations)
        .into_iter()
        .map(|(href, text)| Line { href, text })
        .collect();
    let can_add_evaluation = ozodi_domain::can(
        &su.actor,
        Action::Create,
        Resource::Evaluation(ozodi_domain::EvaluationAccess { case: access, shared_with_lawyers: false }),
    );
    // Rehabilitation: read only for who may open it (the rehabilitation team, the coordinators).
    let episodes = super::rehab::listed(ctx, su, case.id, access)
        .await?
        .into_iter()
        .map(|(href, text)| Line { href, text })
        .collect();
    let can_add_episode = ozodi_domain::can(&su.actor, Action::Create, Resource::Rehabilitation(access));
    let contacts = file
        .contacts
        .iter()
        .map(|c| Line {
            href: format!("/contacts/{}", c.id),
            text: format!(
                "{} · {} · {}",
                c.reference(),
                ctx.lang.t(&format!("channel-{}", c.channel.code())),
                ctx.lang.datetime(c.received_at)
            ),
        })
        .collect();
    let can = |action| ozodi_domain::can(&su.actor, action, Resource::Case(access));
    let events = if case.deleted.is_none() && can(Action::Update) {
        case.fields
            .status
            .allowed()
            .into_iter()
            .map(|e| EventButton {
                code: e.code(),
                label: ctx.lang.t(&format!("case-event-{}", e.code())),
                needs_reason: e.needs_reason(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let deleted = case.deleted.as_ref().map(|d| d.reason.clone());
    let notice = ctx.path.contains("saved=1").then(|| ctx.lang.t("saved"));
    let (public_summary, public_summary_version) =
        su.store.case_public_summary(case.id).await?.unwrap_or_default();
    render_status(
        status,
        &ShowPage {
            p: ctx.page("case-title"),
            id: case.id.to_string(),
            number: case.number.to_string(),
            title: case.fields.title.clone(),
            summary: case.fields.summary.clone(),
            status: ctx.lang.t(&format!("case-status-{}", case.fields.status.code())),
            region: label(ctx, "region", case.fields.region.as_deref()).await?,
            hotline: label(ctx, "hotline", case.fields.hotline.as_deref()).await?,
            opened: ctx.lang.datetime(case.opened_at),
            version: case.version,
            team,
            persons,
            timeline,
            evidence,
            contacts,
            proceedings,
            can_add_proceeding: ozodi_domain::can(&su.actor, Action::Create, Resource::Legal(access)),
            evaluations,
            can_add_evaluation,
            episodes,
            can_add_episode,
            can_court_file: ozodi_domain::can(&su.actor, Action::Create, Resource::CourtFile(access)),
            can_reveal: case.deleted.is_none() && can(Action::RevealIdentity),
            events,
            can_edit: case.deleted.is_none() && can(Action::Update),
            can_manage_team: can(Action::ManageTeam),
            can_delete: can(Action::Delete),
            can_restore: can(Action::Restore),
            deleted,
            error,
            notice,
            public_summary,
            public_summary_version,
        },
    )
}

/// The longest public summary of a case, in characters.
const MAX_PUBLIC_SUMMARY: usize = 3_000;

/// `POST /cases/{id}/public-summary`: the case as the public may read it when a publication
/// cites it (without names, exact places or identifying dates), at the version the form showed.
pub async fn public_summary(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::Update).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let Ok(text) = ozodi_domain::record::clean_text(form.get("public_summary"), MAX_PUBLIC_SUMMARY, false)
    else {
        return show_page(
            &ctx,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(ctx.lang.t("case-public-summary-bad")),
        )
        .await;
    };
    if let Some(problem) = ozodi_markup::problems(&text).first() {
        let message = ctx.lang.t_args(problem.key(), &[("link", problem.destination())]);
        return show_page(&ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, Some(message)).await;
    }
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::CaseUpdated, Some(&ctx.client)).about(case.id);
    entry.detail = serde_json::json!({ "public_summary": version + 1 });
    match su.store.save_case_public_summary(case.id, &text, version, su.user.id, state.now(), entry).await {
        Ok(_) => Ok(saved(case.id)),
        Err(StoreError::Conflict) => {
            show_page(&ctx, &id, StatusCode::CONFLICT, Some(ctx.lang.t("case-conflict"))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /cases/{id}`: the case page; every read is audited.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    show_page(&ctx, &id, StatusCode::OK, None).await
}

fn saved(id: CaseId) -> Response {
    Redirect::to(&format!("/cases/{id}?saved=1")).into_response()
}

/// `POST /cases/{id}/status`: one step of the state machine; a refused step names the allowed ones.
pub async fn transition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::Update).await?;
    let event = CaseEvent::parse(form.get("event")).ok_or(AppError::BadRequest)?;
    let reason = form.get("reason").trim().chars().take(1000).collect::<String>();
    let next = match case.fields.status.apply(event) {
        Ok(next) => next,
        Err(refused) => {
            let allowed: Vec<String> =
                refused.allowed.iter().map(|e| ctx.lang.t(&format!("case-event-{}", e.code()))).collect();
            let message = ctx.lang.t_args("case-transition-refused", &[("allowed", &allowed.join(", "))]);
            return show_page(&ctx, &id, StatusCode::CONFLICT, Some(message)).await;
        }
    };
    if event.needs_reason() && reason.is_empty() {
        return show_page(
            &ctx,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(ctx.lang.t("case-reason-required")),
        )
        .await;
    }
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let fields = CaseFields { status: next, ..case.fields.clone() };
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::CaseUpdated, Some(&ctx.client)).about(case.id);
    entry.detail =
        serde_json::json!({ "event": event.code(), "from": case.fields.status.code(), "to": next.code() });
    match su.store.update_case(case.id, version, &fields, su.user.id, state.now(), entry).await {
        Ok(_) => Ok(saved(case.id)),
        Err(StoreError::Conflict) => {
            show_page(&ctx, &id, StatusCode::CONFLICT, Some(ctx.lang.t("case-conflict"))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /cases/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, case, _) = case_for(&ctx, &id, Action::Update).await?;
    if case.deleted.is_some() {
        return Err(AppError::NotFound);
    }
    render(&FormPage {
        p: ctx.page("case-edit-title"),
        action: format!("/cases/{}", case.id),
        title: case.fields.title.clone(),
        summary: case.fields.summary.clone(),
        regions: choices(&ctx, "region", case.fields.region.as_deref()).await?,
        hotlines: choices(&ctx, "hotline", case.fields.hotline.as_deref()).await?,
        version: case.version,
        errors: Vec::new(),
    })
}

/// `POST /cases/{id}`: saves an edit as a new version, unless someone else saved first.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::Update).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let again = |errors: Vec<String>, status: StatusCode| {
        let ctx = ctx.clone();
        let action = format!("/cases/{}", case.id);
        let (title, summary) = (form.get("title").to_owned(), form.get("summary").to_owned());
        let (region, hotline) = (form.get("region").to_owned(), form.get("hotline").to_owned());
        async move {
            render_status(
                status,
                &FormPage {
                    p: ctx.page("case-edit-title"),
                    action,
                    title: title.chars().take(MAX_TITLE + 50).collect(),
                    summary: summary.chars().take(MAX_SUMMARY + 50).collect(),
                    regions: choices(&ctx, "region", Some(&region)).await?,
                    hotlines: choices(&ctx, "hotline", Some(&hotline)).await?,
                    version,
                    errors,
                },
            )
        }
    };
    let fields = match parse_fields(&ctx, &form, case.fields.clone()).await? {
        Ok(fields) => fields,
        Err(errors) => return again(errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let entry = state.audit_entry(Some(su.user.id), AuditKind::CaseUpdated, Some(&ctx.client)).about(case.id);
    match su.store.update_case(case.id, version, &fields, su.user.id, state.now(), entry).await {
        Ok(_) => Ok(saved(case.id)),
        Err(StoreError::Conflict) => again(vec![ctx.lang.t("case-conflict")], StatusCode::CONFLICT).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/team`: adds a member by user name (or changes their identity access).
pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::ManageTeam).await?;
    let found = match Username::parse(form.get("username")) {
        Ok(name) => su.store.user_for_login(&name).await?.map(|(u, _)| u),
        Err(_) => None,
    };
    let Some(user) = found.filter(|u| !u.disabled) else {
        return show_page(
            &ctx,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(ctx.lang.t("case-team-unknown-user")),
        )
        .await;
    };
    let identity_access = form.get("identity_access") == "on";
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::TeamChanged, Some(&ctx.client)).about(case.id);
    entry.detail = serde_json::json!({ "added": user.username.as_str(), "identity": identity_access });
    su.store.set_team_member(case.id, user.id, identity_access, su.user.id, state.now(), entry).await?;
    Ok(saved(case.id))
}

/// `POST /cases/{id}/team/{user}/remove`.
pub async fn remove_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, user)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::ManageTeam).await?;
    let user = ozodi_domain::UserId::parse(&user).ok_or(AppError::NotFound)?;
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::TeamChanged, Some(&ctx.client)).about(case.id);
    entry.detail = serde_json::json!({ "removed": user.to_string() });
    su.store.remove_team_member(case.id, user, su.user.id, state.now(), entry).await?;
    Ok(saved(case.id))
}

#[derive(Template)]
#[template(path = "cases/history.html")]
struct HistoryPage {
    p: Page,
    id: String,
    number: String,
    versions: Vec<VersionView>,
}

fn show_value(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The order in which a version's fields are listed.
const HISTORY_FIELDS: [&str; 8] =
    ["number", "title", "status", "region", "hotline", "lead", "summary", "deleted"];

/// `GET /cases/{id}/history`: every version with what changed, values shown as people read them
/// (status and vocabulary labels, user names), not as stored codes.
pub async fn history(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::View).await?;
    let versions = su.store.versions("case", &case.id.to_string()).await?;
    let regions = su.store.vocabulary("region").await?;
    let hotlines = su.store.vocabulary("hotline").await?;
    let users = su.store.users().await?;
    let shown = |field: &str, value: Option<&serde_json::Value>| -> String {
        let text = value.and_then(|v| v.as_str());
        let term = |terms: &[ozodi_store::StoredTerm], code: &str| {
            terms.iter().find(|t| t.code == code).map(|t| t.labels.get(ctx.lang.code()).to_owned())
        };
        match (field, text) {
            ("status", Some(code)) => ctx.lang.t(&format!("case-status-{code}")),
            ("region", Some(code)) => term(&regions, code).unwrap_or_else(|| code.to_owned()),
            ("hotline", Some(code)) => term(&hotlines, code).unwrap_or_else(|| code.to_owned()),
            ("lead", Some(id)) => users
                .iter()
                .find(|u| u.id.to_string() == id)
                .map(|u| u.username.to_string())
                .unwrap_or_else(|| "—".into()),
            ("deleted", _) => match value.and_then(|v| v.get("reason")).and_then(|r| r.as_str()) {
                Some(reason) => reason.to_owned(),
                None => "—".into(),
            },
            _ => show_value(value),
        }
    };
    let mut views = Vec::new();
    let empty = serde_json::Map::new();
    for (i, v) in versions.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|p| versions[p].data.as_object()).unwrap_or(&empty);
        let after = v.data.as_object().unwrap_or(&empty);
        let changes = HISTORY_FIELDS
            .iter()
            .filter_map(|field| {
                let (old, new) = (shown(field, before.get(*field)), shown(field, after.get(*field)));
                (old != new).then(|| Change {
                    field: ctx.lang.t(&format!("case-field-{field}")),
                    before: old,
                    after: new,
                })
            })
            .collect();
        views.push(VersionView::new(&ctx, v, changes));
    }
    views.reverse();
    render(&HistoryPage {
        p: ctx.page("case-history-title"),
        id: case.id.to_string(),
        number: case.number.to_string(),
        versions: views,
    })
}

#[derive(Template)]
#[template(path = "cases/delete.html")]
struct DeletePage {
    p: Page,
    id: String,
    number: String,
    error: Option<String>,
}

/// `GET /cases/{id}/delete`: the confirmation, asking for a reason.
pub async fn delete_form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, case, _) = case_for(&ctx, &id, Action::Delete).await?;
    render(&DeletePage {
        p: ctx.page("case-delete-title"),
        id: case.id.to_string(),
        number: case.number.to_string(),
        error: None,
    })
}

/// `POST /cases/{id}/delete`: a tombstone with a reason; nothing is removed.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::Delete).await?;
    let reason = form.get("reason").trim().chars().take(1000).collect::<String>();
    if reason.is_empty() {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &DeletePage {
                p: ctx.page("case-delete-title"),
                id: case.id.to_string(),
                number: case.number.to_string(),
                error: Some(ctx.lang.t("case-reason-required")),
            },
        );
    }
    let entry = state.audit_entry(Some(su.user.id), AuditKind::CaseDeleted, Some(&ctx.client)).about(case.id);
    su.store.tombstone_case(case.id, &reason, su.user.id, state.now(), entry).await?;
    Ok(Redirect::to("/cases").into_response())
}

/// `POST /cases/{id}/restore`: the coordinator brings a tombstoned case back.
pub async fn restore(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (su, case, _) = case_for(&ctx, &id, Action::Restore).await?;
    let entry =
        state.audit_entry(Some(su.user.id), AuditKind::CaseRestored, Some(&ctx.client)).about(case.id);
    su.store.restore_case(case.id, su.user.id, state.now(), entry).await?;
    Ok(saved(case.id))
}

/// `GET /cases/{id}/export.json`: the case with its records as a JSON exchange document
/// (`export::case_document`: no identity ever leaves in it). Audited.
pub async fn export_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (su, case, access) = case_for(&ctx, &id, Action::View).await?;
    ctx.require_hidden(Action::View, Resource::Record(access, false)).await?;
    let mut facilities = std::collections::BTreeMap::new();
    let (document, count) = super::export::case_document(su.store.as_ref(), &case, &mut facilities).await?;
    super::export::respond_json(&state, &ctx, su, &case.number.to_string(), vec![document], count, facilities)
        .await
}
