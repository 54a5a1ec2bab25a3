//! Monitoring of places of detention and the follow-up of recommendations (DOMAIN.md 3.6, 3.7, 5.8,
//! 5.9). Visits, findings, recommendations and UN documents and recommendations are records of the
//! registry, served by `records` (form, page, history, tombstone); this module adds what they have
//! besides their fields: a visit's course, team and allegations; a recommendation's assessments
//! from each viewpoint; the monitoring page, the recommendation list, the matrix by theme and
//! mechanism, the shadow-report tables and the import of the UN's index.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::intake::{CallerRole, Channel};
use ozodi_domain::monitoring::{self, Assessor, ImportLine, ImportOutcome, StepError};
use ozodi_domain::record::{Data, Kind, RecordId, Value};
use ozodi_domain::{Action, Resource};
use ozodi_i18n::Lang;
use ozodi_store::monitoring::{NewAssessment, NewTeamMember};
use ozodi_store::{Record, StoreError};

use super::legal::{not_allowed, today};
use super::records::{Labels, registry_resource};
use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// One option of a select.
#[derive(Debug)]
pub(super) struct Opt {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// A link in a list.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) href: String,
    pub(super) text: String,
    pub(super) muted: bool,
}

/// The label of a visit's state.
pub(super) fn state_label(lang: Lang, state: &str) -> String {
    lang.t(&format!("visit-state-{}", state.to_ascii_lowercase().replace('_', "-")))
}

fn assessor_label(lang: Lang, assessor: Assessor) -> String {
    lang.t(&format!("assessor-{}", assessor.code()))
}

/// The message of a refused step of a visit.
fn step_message(lang: Lang, error: &StepError) -> String {
    match error {
        StepError::NotAllowed { from, allowed } if !allowed.is_empty() => not_allowed(
            lang,
            error.key(),
            state_label(lang, from),
            allowed.iter().map(|s| state_label(lang, s)),
        ),
        other => lang.t(other.key()),
    }
}

fn parse_day(text: &str) -> Option<time::Date> {
    ozodi_domain::dates::parse_iso_day(text).filter(|d| (1991..=2100).contains(&d.year()))
}

/// Text from a form, trimmed, at most `max` characters, no control characters but line breaks.
fn clean(text: &str, max: usize) -> Option<String> {
    ozodi_domain::record::clean_text(text, max, false).ok()
}

/// A live registry record of `kind` for `action`: those who may read that part of the registry
/// learn that an id does not exist (404), as on its pages; a refused action is a 403.
async fn registry_record(ctx: &Ctx, kind: Kind, id: &str, action: Action) -> Result<Record, AppError> {
    let su = ctx.require(Action::View, registry_resource(kind, false)).await?;
    let record = match RecordId::parse(id) {
        Some(id) => su.store.record(id).await?,
        None => None,
    };
    match record {
        Some(r) if r.kind == kind && r.case_id.is_none() && r.deleted.is_none() => {
            ctx.require(action, registry_resource(kind, false)).await?;
            Ok(r)
        }
        _ => Err(AppError::NotFound),
    }
}

/// The page of a registry record again, with a refused form's message and values.
async fn refuse(
    ctx: &Ctx,
    kind: Kind,
    id: &str,
    status: StatusCode,
    message: String,
    form: FormPairs,
) -> Result<Response, AppError> {
    super::records::show_page(kind, ctx, None, id, status, Some((message, form))).await
}

// ---------------------------------------------------------------------------------------------
// A visit's panel: its course, team, allegations, findings and recommendations
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct StepView {
    /// The day it happened; empty for the first step (planning), which shows when it was
    /// entered instead, since a visit entered afterwards has no planning day.
    day: String,
    state: String,
    note: String,
    by: String,
}

#[derive(Debug)]
struct MemberView {
    seq: i64,
    who: String,
    role: String,
    sex: String,
    removed: bool,
}

#[derive(Debug)]
struct AllegationView {
    seq: i64,
    when: String,
    contact: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "monitoring/visit_panel.html")]
struct VisitPanel {
    p: Page,
    base: String,
    state: String,
    ended: bool,
    steps: Vec<StepView>,
    next: Vec<Opt>,
    seq: i64,
    day: String,
    note: String,
    /// Which form was refused (`step`, `team`, `allegation`) and why.
    error: Option<(String, String)>,
    can_update: bool,
    team: Vec<MemberView>,
    staff: Vec<Opt>,
    roles: Vec<Opt>,
    organisation: String,
    allegations: Vec<AllegationView>,
    passed_on: usize,
    /// The authorisation chosen in a refused form (`yes`, `no`).
    authorised: String,
    summary: String,
    roles_caller: Vec<Opt>,
    findings: Vec<Line>,
    recommendations: Vec<Line>,
}

/// The panel of a visit's page.
pub(super) async fn visit_panel(
    ctx: &Ctx,
    record: &Record,
    labels: &Labels,
    refused: Option<(String, FormPairs)>,
) -> Result<String, AppError> {
    let su = ctx.require(Action::View, Resource::Monitoring(false)).await?;
    let store = &su.store;
    let lang = ctx.lang;
    let detail = store.visit_detail(record.id).await?;
    let state = detail.state().to_owned();
    let unannounced = record.data.text("notice") == Some(monitoring::UNANNOUNCED);
    let (error, typed) = match refused {
        Some((message, form)) => (Some((form.get("form").to_owned(), message)), Some(form)),
        None => (None, None),
    };
    let typed_get = |name: &str| typed.as_ref().map(|f| f.get(name).to_owned()).unwrap_or_default();
    let chosen = typed_get("to");
    let next: Vec<Opt> = monitoring::next(&state, unannounced)
        .into_iter()
        .map(|s| Opt { value: s.to_owned(), label: state_label(lang, s), selected: chosen == s })
        .collect();
    let roles_terms = store.vocabulary("visit_role").await?;
    let chosen_role = typed_get("role");
    let roles = roles_terms
        .iter()
        .filter(|t| !t.deprecated)
        .map(|t| Opt {
            value: t.code.clone(),
            label: t.labels.get(lang.code()).to_owned(),
            selected: t.code == chosen_role,
        })
        .collect();
    let chosen_user = typed_get("user");
    let mut staff = vec![Opt {
        value: String::new(),
        label: lang.t("visit-team-other-org"),
        selected: chosen_user.is_empty(),
    }];
    staff.extend(store.users().await?.into_iter().filter(|u| !u.disabled && !u.roles.is_empty()).map(|u| {
        Opt {
            selected: u.id.to_string() == chosen_user,
            value: u.id.to_string(),
            label: u.display_name.as_str().to_owned(),
        }
    }));
    let role_label = |code: &str| {
        roles_terms
            .iter()
            .find(|t| t.code == code)
            .map_or(code.to_owned(), |t| t.labels.get(lang.code()).to_owned())
    };
    let team = detail
        .team
        .iter()
        .map(|m| MemberView {
            seq: m.seq,
            who: match (&m.user_name, m.organisation.is_empty()) {
                (Some(name), true) => name.clone(),
                (Some(name), false) => format!("{name} ({})", m.organisation),
                (None, _) => m.organisation.clone(),
            },
            role: role_label(&m.role),
            sex: lang.t(&format!("person-sex-{}", m.sex)),
            removed: m.removed,
        })
        .collect();
    let allegations: Vec<AllegationView> = detail
        .allegations
        .iter()
        .map(|a| AllegationView {
            seq: a.seq,
            when: lang.datetime(a.at),
            contact: a.contact.map(|(id, seq)| (format!("/contacts/{id}"), format!("K-{seq:06}"))),
        })
        .collect();
    let passed_on = allegations.iter().filter(|a| a.contact.is_some()).count();
    let chosen_caller = typed_get("caller_role");
    let roles_caller = [
        CallerRole::Victim,
        CallerRole::FellowDetainee,
        CallerRole::Relative,
        CallerRole::Witness,
        CallerRole::Other,
    ]
    .into_iter()
    .map(|r| Opt {
        value: r.code().to_owned(),
        label: lang.t(&format!("caller-{}", r.code())),
        selected: chosen_caller == r.code(),
    })
    .collect();
    let line = |r: &Record| Line {
        href: format!("/{}/{}", r.kind.slug(), r.id),
        text: labels_line(labels, r),
        muted: r.deleted.is_some(),
    };
    let findings =
        store.registry_referring(record.id, Kind::VisitFinding, "visit").await?.iter().map(line).collect();
    let recommendations = store
        .registry_referring(record.id, Kind::VisitRecommendation, "visit")
        .await?
        .iter()
        .map(line)
        .collect();
    let steps = detail
        .steps
        .iter()
        .map(|s| StepView {
            day: if s.seq == 1 { String::new() } else { lang.date(s.on_day) },
            state: state_label(lang, &s.state),
            note: s.note.clone(),
            by: if s.seq == 1 {
                lang.t_args("visit-entered", &[("date", &lang.date(s.on_day)), ("name", &s.by_name)])
            } else {
                s.by_name.clone()
            },
        })
        .collect();
    let panel = VisitPanel {
        p: ctx.page("visit-course"),
        base: format!("/visits/{}", record.id),
        ended: next.is_empty(),
        state: state_label(lang, &state),
        steps,
        next,
        seq: detail.last_seq(),
        day: typed.as_ref().map_or_else(|| today(ctx.now).to_string(), |f| f.get("on_day").to_owned()),
        note: typed_get("note"),
        error,
        can_update: record.deleted.is_none()
            && ozodi_domain::can(&su.actor, Action::Update, Resource::Monitoring(false)),
        team,
        staff,
        roles,
        organisation: typed_get("organisation"),
        allegations,
        passed_on,
        authorised: typed_get("authorised"),
        summary: typed_get("summary"),
        roles_caller,
        findings,
        recommendations,
    };
    Ok(panel.render()?)
}

/// A finding or recommendation as one line: its reference and what it says, shortened.
fn labels_line(labels: &Labels, r: &Record) -> String {
    let text = r.data.text("description").or(r.data.text("recommendation_text")).unwrap_or("");
    let short: String = text.chars().take(140).collect();
    let more = if text.chars().count() > 140 { "…" } else { "" };
    format!("{} · {short}{more}", labels.describe(r))
}

/// `POST /visits/{id}/steps`: the next step of a visit's course, if its machine allows it.
pub async fn visit_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let record = registry_record(&ctx, Kind::Visit, &id, Action::Update).await?;
    let su = ctx.require(Action::Update, Resource::Monitoring(false)).await?;
    let lang = ctx.lang;
    let Ok(seq) = form.get("seq").parse::<i64>() else { return Err(AppError::BadRequest) };
    let Some(day) = parse_day(form.get("on_day")) else {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("legal-step-bad-date"),
            form,
        )
        .await;
    };
    if day > today(ctx.now) {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("legal-step-future-date"),
            form,
        )
        .await;
    }
    let Some(note) = clean(form.get("note"), 2000) else {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("record-problem-text"),
            form,
        )
        .await;
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::VisitStep, Some(&ctx.client));
    match su
        .store
        .visit_step(record.id, seq, (form.get("to").trim(), day, &note), su.user.id, state.now(), audit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/visits/{id}?saved=1#course")).into_response()),
        Err(StoreError::VisitStep(e)) => {
            refuse(&ctx, Kind::Visit, &id, StatusCode::UNPROCESSABLE_ENTITY, step_message(lang, &e), form)
                .await
        }
        Err(StoreError::Conflict) => {
            refuse(&ctx, Kind::Visit, &id, StatusCode::CONFLICT, lang.t("legal-step-stale"), form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /visits/{id}/team`: adds a member of staff, or someone of another organisation.
pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let record = registry_record(&ctx, Kind::Visit, &id, Action::Update).await?;
    let su = ctx.require(Action::Update, Resource::Monitoring(false)).await?;
    let lang = ctx.lang;
    let user = match form.get("user").trim() {
        "" => None,
        text => Some(ozodi_domain::UserId::parse(text).ok_or(AppError::BadRequest)?),
    };
    let member = NewTeamMember {
        user,
        organisation: form.get("organisation").trim().to_owned(),
        role: form.get("role").trim().to_owned(),
        sex: form.get("sex").trim().to_owned(),
    };
    if user.is_none() && member.organisation.is_empty() {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("visit-team-who"),
            form,
        )
        .await;
    }
    let audit = state.audit_entry(Some(su.user.id), AuditKind::VisitTeamChanged, Some(&ctx.client));
    match su.store.add_visit_member(record.id, &member, su.user.id, state.now(), audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/visits/{id}?saved=1#team")).into_response()),
        Err(StoreError::Conflict) => {
            refuse(&ctx, Kind::Visit, &id, StatusCode::CONFLICT, lang.t("visit-team-already"), form).await
        }
        Err(StoreError::Invalid(_)) => {
            refuse(
                &ctx,
                Kind::Visit,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.t("record-problem-choice"),
                form,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /visits/{id}/team/{seq}/remove`: marks a member removed (added by mistake).
pub async fn remove_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, seq)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let record = registry_record(&ctx, Kind::Visit, &id, Action::Update).await?;
    let su = ctx.require(Action::Update, Resource::Monitoring(false)).await?;
    let audit = state.audit_entry(Some(su.user.id), AuditKind::VisitTeamChanged, Some(&ctx.client));
    match su.store.remove_visit_member(record.id, seq, su.user.id, state.now(), audit).await {
        Ok(()) => Ok(Redirect::to(&format!("/visits/{id}?saved=1#team")).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// `POST /visits/{id}/allegations`: counts an allegation; with the person's authorisation, passes
/// what was said (never a name) on as an intake contact. Without it, nothing of what was said is
/// stored: a text sent anyway is refused rather than silently kept.
pub async fn allegation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let record = registry_record(&ctx, Kind::Visit, &id, Action::Update).await?;
    let su = ctx.require(Action::Update, Resource::Monitoring(false)).await?;
    let lang = ctx.lang;
    let authorised = match form.get("authorised") {
        "yes" => true,
        "no" => false,
        _ => {
            return refuse(
                &ctx,
                Kind::Visit,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.t("visit-allegation-choose"),
                form,
            )
            .await;
        }
    };
    let Some(summary) = clean(form.get("summary"), ozodi_domain::intake::MAX_SUMMARY) else {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("record-problem-text"),
            form,
        )
        .await;
    };
    if !authorised && !summary.is_empty() {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("visit-allegation-no-text"),
            form,
        )
        .await;
    }
    if authorised && summary.is_empty() {
        return refuse(
            &ctx,
            Kind::Visit,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("visit-allegation-summary"),
            form,
        )
        .await;
    }
    let contact = authorised.then(|| ozodi_store::intake::NewContact {
        line: None,
        channel: Channel::Visit,
        received_at: state.now(),
        caller_role: CallerRole::parse(form.get("caller_role")).unwrap_or(CallerRole::Other),
        region: None,
        summary,
        in_custody: form.get("in_custody") == "on",
        at_risk: form.get("at_risk") == "on",
        consent_record: true,
        consent_act: true,
        follow_up: true,
    });
    let audit = state.audit_entry(Some(su.user.id), AuditKind::AllegationRecorded, Some(&ctx.client));
    match su.store.record_allegation(record.id, contact.as_ref(), su.user.id, state.now(), audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/visits/{id}?saved=1#allegations")).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// A recommendation's assessments
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct LinkView {
    text: String,
    href: Option<String>,
}

#[derive(Debug)]
struct AssessmentView {
    assessor: String,
    as_of: String,
    status: String,
    grade: String,
    source: String,
    evidence: String,
    links: Vec<LinkView>,
    by: String,
}

#[derive(Debug)]
struct ViewpointView {
    assessor: String,
    status: Option<String>,
    as_of: String,
    grade: String,
}

#[derive(Template)]
#[template(path = "monitoring/assessment_panel.html")]
struct AssessmentPanel {
    p: Page,
    action: String,
    viewpoints: Vec<ViewpointView>,
    history: Vec<AssessmentView>,
    assessors: Vec<Opt>,
    statuses: Vec<Opt>,
    day: String,
    grade: String,
    source: String,
    evidence: String,
    links: String,
    error: Option<String>,
    can_update: bool,
    superseded_by: Vec<Line>,
}

/// Where a link of an assessment leads.
fn link_href(link: &ozodi_store::monitoring::ResolvedLink) -> Option<String> {
    let target = link.target.as_deref()?;
    match &link.link {
        monitoring::EvidenceLink::Case(_) => Some(format!("/cases/{target}")),
        monitoring::EvidenceLink::Record(reference) => {
            let prefix = reference.split('-').next().unwrap_or("");
            let kind = Kind::REGISTRY.into_iter().find(|k| k.prefix() == prefix)?;
            Some(format!("/{}/{target}", kind.slug()))
        }
        monitoring::EvidenceLink::Publication(_) => None,
    }
}

/// Our summary in the reader's language (Tajik readers get the Russian one when there is no
/// Tajik summary yet).
pub(super) fn summary_in(lang: Lang, data: &Data) -> Option<String> {
    let pick = |names: &[&str]| names.iter().find_map(|n| data.text(n)).map(str::to_owned);
    match lang {
        Lang::En => pick(&["summary_en", "text_en", "summary_ru"]),
        Lang::Ru => pick(&["summary_ru", "text_ru", "summary_en", "text_en"]),
        Lang::Tg => pick(&["summary_tg", "summary_ru", "text_ru", "summary_en", "text_en"]),
    }
}

/// The assessments panel of a recommendation's page (of a visit or the UN).
pub(super) async fn assessment_panel(
    ctx: &Ctx,
    record: &Record,
    labels: &Labels,
    refused: Option<(String, FormPairs)>,
) -> Result<String, AppError> {
    let resource = registry_resource(record.kind, false);
    let su = ctx.require(Action::View, resource).await?;
    let store = &su.store;
    let lang = ctx.lang;
    let statuses_terms = store.vocabulary("impl_status").await?;
    let status_label = |code: &str| {
        statuses_terms
            .iter()
            .find(|t| t.code == code)
            .map_or(code.to_owned(), |t| t.labels.get(lang.code()).to_owned())
    };
    let assessments = store.assessments(record.id).await?;
    let viewpoints = Assessor::ALL
        .iter()
        .filter(|a| monitoring::VIEWPOINTS.contains(a) || assessments.iter().any(|x| x.assessor == **a))
        .map(|a| {
            let latest = assessments.iter().filter(|x| x.assessor == *a).max_by_key(|x| (x.as_of, x.seq));
            ViewpointView {
                assessor: assessor_label(lang, *a),
                status: latest.map(|l| status_label(&l.status)),
                as_of: latest.map(|l| lang.date(l.as_of)).unwrap_or_default(),
                grade: latest.map(|l| l.official_grade.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let history = assessments
        .iter()
        .rev()
        .map(|a| AssessmentView {
            assessor: assessor_label(lang, a.assessor),
            as_of: lang.date(a.as_of),
            status: status_label(&a.status),
            grade: a.official_grade.clone(),
            source: a.source_doc.clone(),
            evidence: a.evidence.clone(),
            links: a
                .links
                .iter()
                .map(|l| LinkView { text: l.link.text().to_owned(), href: link_href(l) })
                .collect(),
            by: a.by_name.clone(),
        })
        .collect();
    let (error, typed) = match refused {
        Some((message, form)) => (Some(message), Some(form)),
        None => (None, None),
    };
    let typed_get = |name: &str| typed.as_ref().map(|f| f.get(name).to_owned()).unwrap_or_default();
    let chosen_assessor = typed_get("assessor");
    let assessors = Assessor::ALL
        .iter()
        .map(|a| Opt {
            value: a.code().to_owned(),
            label: assessor_label(lang, *a),
            selected: chosen_assessor == a.code(),
        })
        .collect();
    let chosen_status = typed_get("status");
    let mut statuses =
        vec![Opt { value: String::new(), label: "—".into(), selected: chosen_status.is_empty() }];
    statuses.extend(statuses_terms.iter().filter(|t| !t.deprecated).map(|t| Opt {
        value: t.code.clone(),
        label: t.labels.get(lang.code()).to_owned(),
        selected: t.code == chosen_status,
    }));
    let un = record.kind == Kind::UnRecommendation;
    let superseded_by = if un {
        store
            .registry_referring(record.id, Kind::UnRecommendation, "repeated_from")
            .await?
            .iter()
            .filter(|r| r.deleted.is_none())
            .map(|r| Line {
                href: format!("/recommendations/{}", r.id),
                text: labels.describe(r),
                muted: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let panel = AssessmentPanel {
        p: ctx.page("assessments-title"),
        action: format!("/{}/{}/assessments", record.kind.slug(), record.id),
        viewpoints,
        history,
        assessors,
        statuses,
        day: typed.as_ref().map_or_else(|| today(ctx.now).to_string(), |f| f.get("as_of").to_owned()),
        grade: typed_get("official_grade"),
        source: typed_get("source_doc"),
        evidence: typed_get("evidence"),
        links: typed_get("links"),
        error,
        can_update: record.deleted.is_none() && ozodi_domain::can(&su.actor, Action::Update, resource),
        superseded_by,
    };
    Ok(panel.render()?)
}

/// `POST /{visit-recommendations|recommendations}/{id}/assessments`: records an assessment.
pub async fn add_assessment(
    kind: Kind,
    state: AppState,
    ctx: Ctx,
    id: String,
    form: FormPairs,
) -> Result<Response, AppError> {
    let record = registry_record(&ctx, kind, &id, Action::Update).await?;
    let su = ctx.require(Action::Update, registry_resource(kind, false)).await?;
    let lang = ctx.lang;
    let bad = |key: &str| lang.t(key);
    let Some(assessor) = Assessor::parse(form.get("assessor")) else {
        return refuse(&ctx, kind, &id, StatusCode::UNPROCESSABLE_ENTITY, bad("record-problem-choice"), form)
            .await;
    };
    let Some(as_of) = parse_day(form.get("as_of")) else {
        return refuse(&ctx, kind, &id, StatusCode::UNPROCESSABLE_ENTITY, bad("legal-step-bad-date"), form)
            .await;
    };
    let (Some(evidence), Some(grade), Some(source), Some(links_text)) = (
        clean(form.get("evidence"), 20_000),
        clean(form.get("official_grade"), 300),
        clean(form.get("source_doc"), 100),
        clean(form.get("links"), 4_000),
    ) else {
        return refuse(&ctx, kind, &id, StatusCode::UNPROCESSABLE_ENTITY, bad("record-problem-text"), form)
            .await;
    };
    let status = form.get("status").trim().to_owned();
    if let Err(problem) =
        monitoring::check_assessment(&status, as_of, today(ctx.now), &evidence, &grade, &source)
    {
        return refuse(&ctx, kind, &id, StatusCode::UNPROCESSABLE_ENTITY, bad(problem.key()), form).await;
    }
    let new = NewAssessment {
        assessor,
        as_of,
        status,
        official_grade: grade,
        source_doc: source,
        evidence,
        links: monitoring::parse_links(&links_text),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::AssessmentAdded, Some(&ctx.client));
    match su.store.add_assessment(record.id, &new, su.user.id, state.now(), audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/{}/{id}?saved=1#assessments", kind.slug())).into_response()),
        Err(StoreError::Invalid("links")) => {
            refuse(&ctx, kind, &id, StatusCode::UNPROCESSABLE_ENTITY, bad("assessment-unknown-link"), form)
                .await
        }
        Err(StoreError::Invalid(_)) => {
            refuse(&ctx, kind, &id, StatusCode::UNPROCESSABLE_ENTITY, bad("record-problem-choice"), form)
                .await
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// `POST /recommendations/{id}/verify`: someone confirmed the item against the official text.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let record = registry_record(&ctx, Kind::UnRecommendation, &id, Action::Update).await?;
    let su = ctx.require(Action::Update, Resource::UnFollowUp(false)).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let mut data = record.data.clone();
    let field = Kind::UnRecommendation.field("verified").ok_or(AppError::NotFound)?;
    data.set(field, Value::Flag);
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::RecommendationVerified, Some(&ctx.client));
    audit.subject = Some(record.id.to_string());
    match su.store.update_record(record.id, version, &data, su.user.id, state.now(), audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/recommendations/{id}?saved=1")).into_response()),
        Err(StoreError::Conflict) => {
            refuse(&ctx, Kind::UnRecommendation, &id, StatusCode::CONFLICT, ctx.lang.t("case-conflict"), form)
                .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "monitoring/unverified.html")]
struct UnverifiedBanner {
    p: Page,
    action: String,
    version: i64,
    can_update: bool,
}

/// The warning on a UN recommendation nobody has checked against the official text yet, with the
/// button that records the check.
pub(super) async fn unverified_banner(ctx: &Ctx, record: &Record) -> Result<Option<String>, AppError> {
    if matches!(record.data.get("verified"), Some(Value::Flag)) {
        return Ok(None);
    }
    let su = ctx.require(Action::View, Resource::UnFollowUp(false)).await?;
    let banner = UnverifiedBanner {
        p: ctx.page("un-title"),
        action: format!("/recommendations/{}/verify", record.id),
        version: record.version,
        can_update: record.deleted.is_none()
            && ozodi_domain::can(&su.actor, Action::Update, Resource::UnFollowUp(false)),
    };
    Ok(Some(banner.render()?))
}

#[derive(Template)]
#[template(path = "monitoring/document_panel.html")]
struct DocumentPanel {
    p: Page,
    recommendations: Vec<Line>,
}

/// The recommendations a UN document's page lists.
pub(super) async fn document_panel(ctx: &Ctx, record: &Record, labels: &Labels) -> Result<String, AppError> {
    let su = ctx.require(Action::View, Resource::UnFollowUp(false)).await?;
    let recommendations = su
        .store
        .registry_referring(record.id, Kind::UnRecommendation, "document")
        .await?
        .iter()
        .map(|r| Line {
            href: format!("/recommendations/{}", r.id),
            text: labels.describe(r),
            muted: r.deleted.is_some(),
        })
        .collect();
    Ok(DocumentPanel { p: ctx.page("un-title"), recommendations }.render()?)
}

// ---------------------------------------------------------------------------------------------
// The monitoring page: visits and their figures (statistics 18–20)
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct VisitRow {
    href: String,
    reference: String,
    facility: String,
    date: String,
    visit_type: String,
    notice: String,
    state: String,
    deleted: bool,
}

/// A figure with the rule it was counted by.
#[derive(Debug)]
pub(super) struct Figure {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) rule: String,
}

#[derive(Template)]
#[template(path = "monitoring/home.html")]
struct MonitoringPage {
    p: Page,
    rows: Vec<VisitRow>,
    figures: Vec<Figure>,
    can_create: bool,
    exports: (String, String),
}

/// The counts of statistics 18–20 over the registry's visits.
pub(super) struct MonitoringFigures {
    /// Distinct facilities with a visit that took place.
    pub(super) facilities_visited: usize,
    /// Visits that took place.
    pub(super) visits_conducted: usize,
    /// Of them, under the Ombudsman's monitoring group.
    pub(super) joint: usize,
    /// Of them, unannounced.
    pub(super) unannounced: usize,
    /// Visits refused at the gate.
    pub(super) access_denied: usize,
    /// Interviews in private.
    pub(super) private_interviews: u64,
    /// Allegations received, and passed on as contacts.
    pub(super) allegations: (i64, i64),
    /// Recommendations issued (live), and of them implemented in full or substantially by our
    /// latest assessment.
    pub(super) recommendations: (usize, usize),
}

/// Counts statistics 18–20 (DOMAIN.md 6) from the records.
pub(super) async fn monitoring_figures(
    store: &dyn ozodi_store::Store,
) -> Result<(Vec<Record>, MonitoringFigures), AppError> {
    let visits = store.registry(Kind::Visit).await?;
    let states = store.visit_states().await?;
    let allegations = store.allegation_counts().await?;
    let live: Vec<&Record> = visits.iter().filter(|v| v.deleted.is_none()).collect();
    let conducted: Vec<&&Record> =
        live.iter().filter(|v| states.get(&v.id).is_some_and(|s| monitoring::conducted(s))).collect();
    let mut facilities: Vec<&str> = conducted.iter().filter_map(|v| v.data.text("facility")).collect();
    facilities.sort_unstable();
    facilities.dedup();
    let count = |v: &Record, name: &str| match v.data.get(name) {
        Some(Value::Count(n)) => u64::from(*n),
        _ => 0,
    };
    let recommendations: Vec<Record> = store
        .registry(Kind::VisitRecommendation)
        .await?
        .into_iter()
        .filter(|r| r.deleted.is_none())
        .collect();
    let latest = store.latest_assessments(Kind::VisitRecommendation).await?;
    let implemented = recommendations
        .iter()
        .filter(|r| {
            latest.iter().any(|l| {
                l.recommendation == r.id
                    && l.assessor == Assessor::Coalition
                    && matches!(l.status.as_str(), "FULL" | "SUBSTANTIAL")
            })
        })
        .count();
    let figures = MonitoringFigures {
        facilities_visited: facilities.len(),
        visits_conducted: conducted.len(),
        joint: conducted.iter().filter(|v| v.data.text("mandate") == Some("OMBUDSMAN_GROUP")).count(),
        unannounced: conducted
            .iter()
            .filter(|v| v.data.text("notice") == Some(monitoring::UNANNOUNCED))
            .count(),
        access_denied: live
            .iter()
            .filter(|v| states.get(&v.id).map(String::as_str) == Some("ACCESS_DENIED"))
            .count(),
        private_interviews: conducted.iter().map(|v| count(v, "interviews_private")).sum(),
        allegations: live
            .iter()
            .filter_map(|v| allegations.get(&v.id))
            .fold((0, 0), |(n, p), (vn, vp)| (n + vn, p + vp)),
        recommendations: (recommendations.len(), implemented),
    };
    Ok((visits, figures))
}

/// The figures of the monitoring page, in order (translation keys `stat-{figure}` and
/// `stat-{figure}-rule`).
pub const FIGURES: [&str; 9] = [
    "facilities-visited",
    "visits-conducted",
    "visits-joint",
    "visits-unannounced",
    "visits-denied",
    "private-interviews",
    "allegations",
    "visit-recommendations",
    "visit-recommendations-implemented",
];

/// The figures of the monitoring page, each with its counting rule.
pub(super) fn monitoring_figure_views(lang: Lang, f: &MonitoringFigures) -> Vec<Figure> {
    let figure = |key: &str, value: String| Figure {
        label: lang.t(&format!("stat-{key}")),
        value,
        rule: lang.t(&format!("stat-{key}-rule")),
    };
    let percent = |part: usize, whole: usize| {
        (part * 100).checked_div(whole).map_or_else(|| "—".to_owned(), |share| format!("{part} ({share}%)"))
    };
    let values = [
        f.facilities_visited.to_string(),
        f.visits_conducted.to_string(),
        f.joint.to_string(),
        f.unannounced.to_string(),
        f.access_denied.to_string(),
        f.private_interviews.to_string(),
        format!("{} / {}", f.allegations.0, f.allegations.1),
        f.recommendations.0.to_string(),
        percent(f.recommendations.1, f.recommendations.0),
    ];
    FIGURES.iter().zip(values).map(|(key, value)| figure(key, value)).collect()
}

/// `GET /monitoring`: the visits, newest first, and the monitoring figures (the visits also as
/// CSV or XLSX).
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Monitoring(false)).await?;
    let store = &su.store;
    let lang = ctx.lang;
    let (visits, figures) = monitoring_figures(store.as_ref()).await?;
    let states = store.visit_states().await?;
    let labels = Labels::of(
        &ctx,
        None,
        &["visit_type", "visit_notice"],
        Vec::new(),
        store.facilities().await?,
        Vec::new(),
    )
    .await?;
    let show_deleted = ozodi_domain::can(&su.actor, Action::View, Resource::Monitoring(true));
    let mut rows: Vec<(Option<time::Date>, VisitRow)> = visits
        .iter()
        .filter(|v| v.deleted.is_none() || show_deleted)
        .map(|v| {
            let date = v.data.date("initial_date");
            let row = VisitRow {
                href: format!("/visits/{}", v.id),
                reference: v.reference(),
                facility: v.data.text("facility").map(|f| labels.reference(f)).unwrap_or_default(),
                date: date.map(|d| d.to_string()).unwrap_or_default(),
                visit_type: v
                    .data
                    .text("visit_type")
                    .map(|c| labels.term("visit_type", c))
                    .unwrap_or_default(),
                notice: v.data.text("notice").map(|c| labels.term("visit_notice", c)).unwrap_or_default(),
                state: states.get(&v.id).map(|s| state_label(lang, s)).unwrap_or_default(),
                deleted: v.deleted.is_some(),
            };
            (date.map(|d| d.date()), row)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let rows: Vec<VisitRow> = rows.into_iter().map(|(_, r)| r).collect();
    if let Some(format) = super::export::requested(&ctx) {
        let table = ozodi_exchange::table::Table {
            title: lang.t("monitoring-visits"),
            headers: vec![
                "№".into(),
                lang.t("field-facility"),
                lang.t("field-initial_date"),
                lang.t("field-visit_type"),
                lang.t("field-notice"),
                lang.t("visit-course"),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.reference.clone(),
                        r.facility.clone(),
                        r.date.clone(),
                        r.visit_type.clone(),
                        r.notice.clone(),
                        r.state.clone(),
                    ]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "visits", format, &table).await;
    }
    render(&MonitoringPage {
        p: ctx.page("monitoring-title"),
        rows,
        figures: monitoring_figure_views(lang, &figures),
        can_create: ozodi_domain::can(&su.actor, Action::Create, Resource::Monitoring(false)),
        exports: super::export::links(&ctx),
    })
}

// ---------------------------------------------------------------------------------------------
// UN recommendations: the list, the documents, the matrix, the shadow-report tables
// ---------------------------------------------------------------------------------------------

/// The filters of the recommendation list (and of the matrix's links into it).
#[derive(Debug, Default, serde::Deserialize)]
pub struct RecFilter {
    #[serde(default)]
    mechanism: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    verified: String,
    #[serde(default)]
    followup: String,
}

/// Everything the recommendation pages read: the live recommendations, our latest view and the
/// others', and the vocabulary they are shown with.
struct RecData {
    recs: Vec<Record>,
    latest: HashMap<(RecordId, Assessor), ozodi_store::monitoring::LatestAssessment>,
    labels: Labels,
}

impl RecData {
    async fn load(ctx: &Ctx, store: &dyn ozodi_store::Store) -> Result<RecData, AppError> {
        let recs: Vec<Record> = store
            .registry(Kind::UnRecommendation)
            .await?
            .into_iter()
            .filter(|r| r.deleted.is_none())
            .collect();
        let latest = store
            .latest_assessments(Kind::UnRecommendation)
            .await?
            .into_iter()
            .map(|l| ((l.recommendation, l.assessor), l))
            .collect();
        let labels = Labels::of(
            ctx,
            None,
            &["un_mechanism", "un_theme", "impl_status", "agency", "uhri_theme"],
            Vec::new(),
            Vec::new(),
            Vec::new(),
        )
        .await?;
        Ok(RecData { recs, latest, labels })
    }

    fn status(&self, id: RecordId, assessor: Assessor) -> Option<&str> {
        self.latest.get(&(id, assessor)).map(|l| l.status.as_str())
    }

    /// The first of our themes (a recommendation is filed under one theme in the tables), or "".
    fn theme(r: &Record) -> &str {
        r.data.codes("themes").first().copied().unwrap_or("")
    }
}

#[derive(Debug)]
struct RecRow {
    href: String,
    reference: String,
    label: String,
    mechanism: String,
    summary: String,
    themes: String,
    ours: String,
    state: String,
    committee: String,
    verified: bool,
    followup: bool,
}

#[derive(Template)]
#[template(path = "monitoring/recommendations.html")]
struct RecommendationsPage {
    p: Page,
    rows: Vec<RecRow>,
    total: usize,
    mechanisms: Vec<Opt>,
    themes: Vec<Opt>,
    statuses: Vec<Opt>,
    verified: String,
    followup: bool,
    can_create: bool,
    unverified: usize,
    exports: (String, String),
}

fn options(labels: &Labels, list: &str, codes: &[String], chosen: &str, lang: Lang) -> Vec<Opt> {
    let mut out =
        vec![Opt { value: String::new(), label: lang.t("filter-any"), selected: chosen.is_empty() }];
    out.extend(codes.iter().map(|c| Opt {
        label: labels.term(list, c),
        selected: c == chosen,
        value: c.clone(),
    }));
    out
}

/// The codes of a list, in its order.
async fn codes_of(store: &dyn ozodi_store::Store, list: &str) -> Result<Vec<String>, AppError> {
    Ok(store.vocabulary(list).await?.iter().filter(|t| !t.deprecated).map(|t| t.code.clone()).collect())
}

/// `GET /recommendations`: the UN recommendations, filtered (also as CSV or XLSX).
pub async fn recommendations(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filter): Query<RecFilter>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::UnFollowUp(false)).await?;
    let store = su.store.as_ref();
    let lang = ctx.lang;
    let data = RecData::load(&ctx, store).await?;
    let l = &data.labels;
    let status_of =
        |r: &Record, a: Assessor| data.status(r.id, a).map(|s| l.term("impl_status", s)).unwrap_or_default();
    let verified = |r: &Record| matches!(r.data.get("verified"), Some(Value::Flag));
    let rows: Vec<RecRow> = data
        .recs
        .iter()
        .filter(|r| {
            filter.mechanism.is_empty() || r.data.text("mechanism") == Some(filter.mechanism.as_str())
        })
        .filter(|r| match filter.theme.as_str() {
            "" => true,
            "-" => r.data.codes("themes").is_empty(),
            theme => r.data.codes("themes").contains(&theme),
        })
        .filter(|r| match filter.status.as_str() {
            "" => true,
            "-" => data.status(r.id, Assessor::Coalition).is_none(),
            status => data.status(r.id, Assessor::Coalition) == Some(status),
        })
        .filter(|r| match filter.verified.as_str() {
            "yes" => verified(r),
            "no" => !verified(r),
            _ => true,
        })
        .filter(|r| filter.followup != "on" || matches!(r.data.get("followup"), Some(Value::Flag)))
        .map(|r| RecRow {
            href: format!("/recommendations/{}", r.id),
            reference: r.reference(),
            label: l.describe(r).split(" · ").skip(1).collect::<Vec<_>>().join(" · "),
            mechanism: r.data.text("mechanism").map(|c| l.term("un_mechanism", c)).unwrap_or_default(),
            summary: summary_in(lang, &r.data).map(|s| shorten(&s, 220)).unwrap_or_default(),
            themes: r
                .data
                .codes("themes")
                .iter()
                .map(|c| l.term("un_theme", c))
                .collect::<Vec<_>>()
                .join(", "),
            ours: status_of(r, Assessor::Coalition),
            state: status_of(r, Assessor::State),
            committee: status_of(r, Assessor::Committee),
            verified: verified(r),
            followup: matches!(r.data.get("followup"), Some(Value::Flag)),
        })
        .collect();
    if let Some(format) = super::export::requested(&ctx) {
        let table = ozodi_exchange::table::Table {
            title: lang.t("un-title"),
            headers: vec![
                "№".into(),
                lang.t("un-recommendation"),
                lang.t("field-mechanism"),
                lang.t("un-summary"),
                lang.t("field-themes"),
                lang.t("field-verified"),
                lang.t("assessor-coalition"),
                lang.t("assessor-state"),
                lang.t("assessor-committee"),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.reference.clone(),
                        r.label.clone(),
                        r.mechanism.clone(),
                        r.summary.clone(),
                        r.themes.clone(),
                        lang.t(if r.verified { "yes" } else { "no" }),
                        r.ours.clone(),
                        r.state.clone(),
                        r.committee.clone(),
                    ]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "un-recommendations", format, &table).await;
    }
    let mut themes = options(l, "un_theme", &codes_of(store, "un_theme").await?, &filter.theme, lang);
    themes.push(Opt { value: "-".into(), label: lang.t("un-no-theme"), selected: filter.theme == "-" });
    let mut statuses =
        options(l, "impl_status", &codes_of(store, "impl_status").await?, &filter.status, lang);
    statuses.push(Opt {
        value: "-".into(),
        label: lang.t("un-not-assessed"),
        selected: filter.status == "-",
    });
    render(&RecommendationsPage {
        p: ctx.page("un-title"),
        total: data.recs.len(),
        unverified: data.recs.iter().filter(|r| !verified(r)).count(),
        rows,
        mechanisms: options(
            l,
            "un_mechanism",
            &codes_of(store, "un_mechanism").await?,
            &filter.mechanism,
            lang,
        ),
        themes,
        statuses,
        verified: filter.verified.clone(),
        followup: filter.followup == "on",
        can_create: ozodi_domain::can(&su.actor, Action::Create, Resource::UnFollowUp(false)),
        exports: super::export::links(&ctx),
    })
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[derive(Template)]
#[template(path = "monitoring/documents.html")]
struct DocumentsPage {
    p: Page,
    rows: Vec<Line>,
    can_create: bool,
    exports: (String, String),
}

/// `GET /recommendations/documents`: the UN documents (also as CSV or XLSX).
pub async fn documents(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::UnFollowUp(false)).await?;
    let labels =
        Labels::of(&ctx, None, &["un_mechanism", "un_doc_type"], Vec::new(), Vec::new(), Vec::new()).await?;
    let show_deleted = ozodi_domain::can(&su.actor, Action::View, Resource::UnFollowUp(true));
    let rows: Vec<Line> = su
        .store
        .registry(Kind::UnDocument)
        .await?
        .iter()
        .filter(|d| d.deleted.is_none() || show_deleted)
        .map(|d| {
            let mut parts = vec![labels.describe(d)];
            if d.data.text("symbol").is_some() {
                parts.extend(d.data.text("title").map(|t| shorten(t, 140)));
            }
            parts.extend(d.data.text("doc_type").map(|c| labels.term("un_doc_type", c)));
            parts.extend(d.data.date("adopted_date").or(d.data.date("issued_date")).map(|x| x.to_string()));
            Line {
                href: format!("/un-documents/{}", d.id),
                text: parts.join(" · "),
                muted: d.deleted.is_some(),
            }
        })
        .collect();
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("un-documents-title"),
            headers: vec![lang.t("un-documents-title")],
            rows: rows.iter().map(|l: &Line| vec![l.text.clone()]).collect(),
        };
        return super::export::respond(&state, &ctx, su, "un-documents", format, &table).await;
    }
    render(&DocumentsPage {
        p: ctx.page("un-documents-title"),
        rows,
        can_create: ozodi_domain::can(&su.actor, Action::Create, Resource::UnFollowUp(false)),
        exports: super::export::links(&ctx),
    })
}

#[derive(Debug)]
struct MatrixCell {
    count: usize,
    href: String,
}

#[derive(Debug)]
struct MatrixRow {
    label: String,
    cells: Vec<MatrixCell>,
    total: MatrixCell,
}

#[derive(Template)]
#[template(path = "monitoring/matrix.html")]
struct MatrixPage {
    p: Page,
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
    status_columns: Vec<String>,
    status_rows: Vec<MatrixRow>,
}

/// `GET /recommendations/matrix`: recommendations by theme and mechanism, and by theme and our
/// latest assessment; every cell links to the list behind it.
pub async fn matrix(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::UnFollowUp(false)).await?;
    let store = su.store.as_ref();
    let lang = ctx.lang;
    let data = RecData::load(&ctx, store).await?;
    let l = &data.labels;
    let mechanisms: Vec<String> = codes_of(store, "un_mechanism")
        .await?
        .into_iter()
        .filter(|m| data.recs.iter().any(|r| r.data.text("mechanism") == Some(m.as_str())))
        .collect();
    let mut themes: Vec<String> = codes_of(store, "un_theme").await?;
    themes.push("-".into());
    let statuses: Vec<String> = {
        let mut s = codes_of(store, "impl_status").await?;
        s.push("-".into());
        s
    };
    let in_theme = |r: &Record, theme: &str| match theme {
        "-" => r.data.codes("themes").is_empty(),
        t => r.data.codes("themes").contains(&t),
    };
    let href = |theme: &str, key: &str, value: &str| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("theme", theme);
        if !key.is_empty() {
            query.append_pair(key, value);
        }
        format!("/recommendations?{}", query.finish())
    };
    let theme_label = |t: &str| if t == "-" { lang.t("un-no-theme") } else { l.term("un_theme", t) };
    let mut rows = Vec::new();
    let mut status_rows = Vec::new();
    for theme in &themes {
        let of_theme: Vec<&Record> = data.recs.iter().filter(|r| in_theme(r, theme)).collect();
        if of_theme.is_empty() {
            continue;
        }
        let total = MatrixCell { count: of_theme.len(), href: href(theme, "", "") };
        rows.push(MatrixRow {
            label: theme_label(theme),
            cells: mechanisms
                .iter()
                .map(|m| MatrixCell {
                    count: of_theme.iter().filter(|r| r.data.text("mechanism") == Some(m.as_str())).count(),
                    href: href(theme, "mechanism", m),
                })
                .collect(),
            total: MatrixCell { count: total.count, href: total.href.clone() },
        });
        status_rows.push(MatrixRow {
            label: theme_label(theme),
            cells: statuses
                .iter()
                .map(|s| MatrixCell {
                    count: of_theme
                        .iter()
                        .filter(|r| match s.as_str() {
                            "-" => data.status(r.id, Assessor::Coalition).is_none(),
                            s => data.status(r.id, Assessor::Coalition) == Some(s),
                        })
                        .count(),
                    href: href(theme, "status", s),
                })
                .collect(),
            total,
        });
    }
    render(&MatrixPage {
        p: ctx.page("un-matrix-title"),
        columns: mechanisms.iter().map(|m| l.term("un_mechanism", m)).collect(),
        rows,
        status_columns: statuses
            .iter()
            .map(|s| if s == "-" { lang.t("un-not-assessed") } else { l.term("impl_status", s) })
            .collect(),
        status_rows,
    })
}

#[derive(Debug)]
struct ViewCell {
    status: String,
    detail: String,
}

#[derive(Debug)]
struct ShadowRow {
    reference: String,
    summary: String,
    state: ViewCell,
    committee: ViewCell,
    ours: ViewCell,
}

#[derive(Debug)]
struct ShadowSection {
    theme: String,
    rows: Vec<ShadowRow>,
}

#[derive(Template)]
#[template(path = "monitoring/shadow.html")]
struct ShadowPage {
    p: Page,
    date: String,
    sections: Vec<ShadowSection>,
    total: usize,
    unverified: usize,
}

/// `GET /recommendations/shadow-report`: the tables of a shadow report drafted from the records:
/// per theme, each recommendation with what the State reports, the committee's view and ours,
/// as of the latest assessments; for printing or copying into the report. Producing it is audited.
pub async fn shadow_report(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::UnFollowUp(false)).await?;
    let store = su.store.as_ref();
    let lang = ctx.lang;
    let data = RecData::load(&ctx, store).await?;
    let l = &data.labels;
    let mut themes: Vec<String> = codes_of(store, "un_theme").await?;
    themes.push(String::new());
    let mut sections = Vec::new();
    let mut unverified = 0;
    for theme in &themes {
        let mut rows = Vec::new();
        for r in data.recs.iter().filter(|r| RecData::theme(r) == theme) {
            let verified = matches!(r.data.get("verified"), Some(Value::Flag));
            unverified += usize::from(!verified);
            let mut full = data.latest.get(&(r.id, Assessor::Coalition));
            let cell = |a: Assessor| match data.latest.get(&(r.id, a)) {
                Some(x) => ViewCell {
                    status: l.term("impl_status", &x.status),
                    detail: [x.official_grade.clone(), lang.date(x.as_of)]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                },
                None => ViewCell { status: lang.t("un-not-assessed"), detail: String::new() },
            };
            let mut ours = cell(Assessor::Coalition);
            if let Some(latest) = full.take() {
                // Our evidence, in our words, is the point of a shadow report.
                let evidence = store
                    .assessments(r.id)
                    .await?
                    .into_iter()
                    .rev()
                    .find(|a| a.assessor == Assessor::Coalition && a.as_of == latest.as_of)
                    .map(|a| {
                        let links: Vec<String> = a.links.iter().map(|l| l.link.text().to_owned()).collect();
                        [a.evidence, links.join(", ")]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" — ")
                    })
                    .unwrap_or_default();
                if !evidence.is_empty() {
                    ours.detail = format!("{} · {evidence}", ours.detail);
                }
            }
            let mut reference = l.describe(r).split(" · ").skip(1).collect::<Vec<_>>().join(" · ");
            if !verified {
                reference.push_str(&format!(" ({})", lang.t("un-unverified")));
            }
            rows.push(ShadowRow {
                reference,
                summary: summary_in(lang, &r.data).unwrap_or_default(),
                state: cell(Assessor::State),
                committee: cell(Assessor::Committee),
                ours,
            });
        }
        if !rows.is_empty() {
            let theme = if theme.is_empty() { lang.t("un-no-theme") } else { l.term("un_theme", theme) };
            sections.push(ShadowSection { theme, rows });
        }
    }
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::Exported, Some(&ctx.client));
    audit.detail = serde_json::json!({ "what": "shadow-report", "format": "html", "rows": data.recs.len() });
    su.store.audit(audit).await?;
    render(&ShadowPage {
        p: ctx.page("un-shadow-title"),
        date: lang.date(today(ctx.now)),
        total: data.recs.len(),
        unverified,
        sections,
    })
}

// ---------------------------------------------------------------------------------------------
// Import of the UN's index (and of the shipped set)
// ---------------------------------------------------------------------------------------------

/// The largest file the import takes.
pub const MAX_IMPORT_BYTES: usize = 20 << 20;

#[derive(Debug)]
struct ImportRow {
    position: usize,
    label: String,
    outcome: String,
    kind: &'static str,
    left_out: String,
}

#[derive(Template)]
#[template(path = "monitoring/import.html")]
struct ImportPage {
    p: Page,
    error: Option<String>,
    report: Option<(usize, usize, usize)>,
    rows: Vec<ImportRow>,
}

fn import_rows(lang: Lang, lines: &[ImportLine]) -> Vec<ImportRow> {
    lines
        .iter()
        .map(|line| {
            let (kind, outcome) = match &line.outcome {
                ImportOutcome::Added => ("added", lang.t(line.outcome.key())),
                ImportOutcome::Updated(fields) => {
                    let names: Vec<String> = fields.iter().map(|f| lang.t(&format!("field-{f}"))).collect();
                    ("updated", lang.t_args(line.outcome.key(), &[("fields", &names.join(", "))]))
                }
                ImportOutcome::Skipped(reason) => {
                    let detail = match reason {
                        monitoring::SkipReason::UnknownMechanism(m) => m.clone(),
                        monitoring::SkipReason::OtherCountry(c) => c.clone(),
                        monitoring::SkipReason::BadText(f) => lang.t(&format!("field-{f}")),
                        _ => String::new(),
                    };
                    ("skipped", lang.t_args(line.outcome.key(), &[("detail", &detail)]))
                }
            };
            ImportRow {
                position: line.position,
                label: line.label.clone(),
                outcome,
                kind,
                left_out: line.left_out.join("; "),
            }
        })
        .collect()
}

/// `GET /recommendations/import`: the upload form.
pub async fn import_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Action::Create, Resource::UnFollowUp(false)).await?;
    render(&ImportPage { p: ctx.page("un-import-title"), error: None, report: None, rows: Vec::new() })
}

/// Reads the multipart form: the CSRF token first, then the source (`uhri` with a file, or
/// `shipped`).
async fn read_upload(
    ctx: &Ctx,
    mut multipart: Multipart,
) -> Result<Result<(String, Vec<u8>), String>, AppError> {
    let mut field =
        multipart.next_field().await.map_err(|_| AppError::BadRequest)?.ok_or(AppError::BadRequest)?;
    let mut token = Vec::new();
    if field.name() == Some("csrf") {
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
            token.extend_from_slice(&chunk);
            if token.len() > 256 {
                return Err(AppError::BadRequest);
            }
        }
    }
    let token = String::from_utf8(token).unwrap_or_default();
    if ctx.csrf.is_empty() || !ozodi_vault::token::secrets_equal(&token, &ctx.csrf) {
        tracing::warn!(request_id = ctx.request_id, "CSRF token missing or wrong on an import; refused");
        return Err(AppError::Page(crate::error::ErrorKind::Csrf, None));
    }
    drop(field);
    let mut source = String::new();
    let mut bytes = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name() {
            Some("source") => {
                let mut raw = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                    raw.extend_from_slice(&chunk);
                    if raw.len() > 32 {
                        return Err(AppError::BadRequest);
                    }
                }
                source = String::from_utf8(raw).unwrap_or_default();
            }
            Some("file") => {
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_IMPORT_BYTES {
                        return Ok(Err(ctx.lang.t("un-import-too-large")));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Ok((source, bytes)))
}

/// `POST /recommendations/import`: imports the UN's index (or the shipped set) and reports what
/// happened to each item. Safe to run again; the coalition's assessments are never touched.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::UnFollowUp(false)).await?;
    let lang = ctx.lang;
    let page = |error: Option<String>, rows: Vec<ImportRow>, report| ImportPage {
        p: ctx.page("un-import-title"),
        error,
        report,
        rows,
    };
    let (source, bytes) = match read_upload(&ctx, multipart).await? {
        Ok(found) => found,
        Err(message) => {
            return render_status(StatusCode::PAYLOAD_TOO_LARGE, &page(Some(message), Vec::new(), None));
        }
    };
    type Read =
        Result<(Vec<monitoring::ImportDocument>, Vec<monitoring::ImportItem>), ozodi_exchange::ReadError>;
    let read: Read = match source.as_str() {
        "shipped" => ozodi_exchange::shipped::read(),
        _ if bytes.is_empty() => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(Some(lang.t("un-import-no-file")), Vec::new(), None),
            );
        }
        _ => tokio::task::spawn_blocking(move || -> Read {
            ozodi_exchange::uhri::read(&bytes).map(|items| (Vec::new(), items))
        })
        .await
        .map_err(AppError::internal)?,
    };
    let (documents, items) = match read {
        Ok(found) => found,
        Err(e) => {
            let message = lang.t_args(e.key(), &[("max", &ozodi_exchange::MAX_ITEMS.to_string())]);
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(Some(message), Vec::new(), None));
        }
    };
    let mut audit =
        state.audit_entry(Some(su.user.id), AuditKind::RecommendationsImported, Some(&ctx.client));
    audit.subject = Some(if source == "shipped" { "shipped".into() } else { "uhri".into() });
    let lines = su.store.import_recommendations(&documents, &items, su.user.id, state.now(), audit).await?;
    let count = |kind: &str| lines.iter().filter(|l| l.outcome.key().starts_with(kind)).count();
    let report = Some((count("import-added"), count("import-updated"), count("import-skipped")));
    render(&page(None, import_rows(lang, &lines), report))
}
