//! Medico-legal evaluations (Istanbul Protocol, annex IV): the report's form and page, findings
//! marked on the body diagrams (SVG drawn here; every region is a link, so no script is needed),
//! the workflow up to the signature, the person's consent to share with the case's lawyers, and
//! the printable report that carries its hash.
//!
//! Confidential: `Resource::Evaluation` lets only the clinicians on the case's team, and its
//! lawyers once the person consented, read one; everyone else gets the 404 of a case they may
//! not open. An evaluation is not a record of the case: it is not in the search index, the case
//! file or the case's timeline.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseId;
use ozodi_domain::ip::{self, EvaluationId};
use ozodi_domain::record::{Data, Kind};
use ozodi_domain::{Action, CaseAccess, EvaluationAccess, Resource};
use ozodi_store::ip::Evaluation;
use ozodi_store::{CaseRecord, StoreError};

use super::cases::case_for;
use super::records::{Labels, ShownSection, parse_or_refuse, schema_form, shown_sections, values_of};
use super::render_status;
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

fn state_label(ctx: &Ctx, state: &str) -> String {
    ctx.lang.t(&format!("ip-state-{}", state.to_ascii_lowercase().replace('_', "-")))
}

/// What the actor may do with an evaluation of this case, shared or not.
fn access(case: CaseAccess, e: Option<&Evaluation>) -> EvaluationAccess {
    EvaluationAccess { case, shared_with_lawyers: e.is_some_and(|e| e.shared.is_some()) }
}

/// The labels an evaluation's and a finding's fields need: their vocabularies and the case's
/// persons (the person examined).
async fn labels(ctx: &Ctx, su: &SessionUser, case: CaseId) -> Result<Labels, AppError> {
    let persons = su.store.persons_of_case(case).await?;
    Labels::of(
        ctx,
        Some(case),
        &Labels::lists_of(&[Kind::Evaluation, Kind::Finding]),
        Vec::new(),
        Vec::new(),
        persons,
    )
    .await
}

/// Loads an evaluation of the case for `action`; anything refused or missing is a 404.
async fn evaluation_for<'c>(
    ctx: &'c Ctx,
    case_id: &str,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, CaseRecord, CaseAccess, Evaluation), AppError> {
    let (su, case, case_access) = case_for(ctx, case_id, Action::View).await?;
    let found = match EvaluationId::parse(id) {
        Some(id) => su.store.evaluation(id).await?.filter(|e| e.case_id == case.id),
        None => None,
    };
    let Some(evaluation) = found else {
        // The same answer whether it does not exist or may not be read.
        return Err(AppError::NotFound);
    };
    ctx.require_hidden(action, Resource::Evaluation(access(case_access, Some(&evaluation)))).await?;
    Ok((su, case, case_access, evaluation))
}

// ---------------------------------------------------------------------------------------------
// The body diagrams
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct RegionView {
    x: u16,
    y: u16,
    w: u16,
    h: u16,
    round: u16,
    label: String,
    href: Option<String>,
    marked: bool,
}

#[derive(Debug)]
struct MarkView {
    x: u16,
    y: u16,
    label: String,
    title: String,
}

#[derive(Debug)]
struct Diagram {
    /// Whether the regions are links (then the drawing is a group of controls, not an image).
    links: bool,
    regions: Vec<RegionView>,
    marks: Vec<MarkView>,
    front: String,
    back: String,
}

fn diagram(ctx: &Ctx, labels: &Labels, findings: &[(i64, Data)], add: Option<&str>) -> Diagram {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut marks = Vec::new();
    for (seq, data) in findings {
        let Some(code) = data.text("body_region") else { continue };
        let Some((_, rect)) = ip::region(code) else { continue };
        let n = counts.entry(code.to_owned()).or_default();
        let (x, y) = ip::mark(rect, *n);
        *n += 1;
        let lesion = data.text("lesion_type").map(|l| labels.term("lesion", l)).unwrap_or_default();
        marks.push(MarkView {
            x,
            y,
            label: format!("F{seq}"),
            title: format!("F{seq}: {} · {lesion}", labels.term("body_region", code)),
        });
    }
    let regions = ip::regions()
        .into_iter()
        .map(|(code, _, (x, y, w, h))| RegionView {
            x,
            y,
            w,
            h,
            round: if code.contains("HEAD") { w / 2 } else { 6 },
            label: labels.term("body_region", &code),
            href: add.map(|base| format!("{base}?body_region={code}")),
            marked: counts.contains_key(&code),
        })
        .collect();
    Diagram {
        links: add.is_some(),
        regions,
        marks,
        front: ctx.lang.t("ip-diagram-front"),
        back: ctx.lang.t("ip-diagram-back"),
    }
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct FindingRow {
    reference: String,
    region: String,
    lesion: String,
    size: String,
    consistency: String,
    description: String,
    remove: Option<(String, i64)>,
}

#[derive(Debug)]
struct Opt {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "evaluations/show.html")]
struct ShowPage {
    p: Page,
    back: String,
    base: String,
    heading: String,
    state: String,
    amends: Option<(String, String)>,
    sections: Vec<ShownSection>,
    findings: Vec<FindingRow>,
    diagram: Diagram,
    steps: Vec<(String, String, String, String)>,
    next: Vec<Opt>,
    version: i64,
    can_edit: bool,
    can_step: bool,
    shared: Option<String>,
    can_share: bool,
    signed: Option<(String, String, String, bool)>,
    error: Option<String>,
    notice: Option<String>,
    addendum: Option<String>,
}

async fn show_page(
    ctx: &Ctx,
    case_id: &str,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (su, case, case_access, e) = evaluation_for(ctx, case_id, id, Action::View).await?;
    // Reading a report is reading the case, audited the same way.
    let mut entry = ctx_entry(ctx, su, AuditKind::CaseViewed);
    entry.subject = Some(case.id.to_string());
    entry.detail = serde_json::json!({ "evaluation": e.id.to_string() });
    su.store.audit(entry).await?;
    let labels = labels(ctx, su, case.id).await?;
    let writes =
        ozodi_domain::can(&su.actor, Action::Update, Resource::Evaluation(access(case_access, Some(&e))));
    let editable = writes && e.signed.is_none() && ip::editable(&e.state);
    let base = format!("/cases/{}/evaluations/{}", case.id, e.id);
    let live: Vec<(i64, Data)> =
        e.findings.iter().filter(|f| !f.removed).map(|f| (f.seq, f.data.clone())).collect();
    let findings = e
        .findings
        .iter()
        .filter(|f| !f.removed)
        .map(|f| FindingRow {
            reference: format!("F{}", f.seq),
            region: f.data.text("body_region").map(|c| labels.term("body_region", c)).unwrap_or_default(),
            lesion: f.data.text("lesion_type").map(|c| labels.term("lesion", c)).unwrap_or_default(),
            size: match f.data.get("size_mm") {
                Some(ozodi_domain::record::Value::Count(n)) => format!("{n} mm"),
                _ => String::new(),
            },
            consistency: f
                .data
                .text("consistency")
                .map(|c| labels.term("ip_consistency", c))
                .unwrap_or_default(),
            description: f.data.text("description").unwrap_or_default().to_owned(),
            remove: editable.then(|| (format!("{base}/findings/{}/remove", f.seq), f.version)),
        })
        .collect();
    let add = format!("{base}/findings/new");
    let diagram = diagram(ctx, &labels, &live, editable.then_some(add.as_str()));
    let next = if writes {
        ip::next(&e.state)
            .into_iter()
            .filter(|s| *s != "TRANSMITTED" || e.signed.is_some())
            .map(|s| Opt { value: s.to_owned(), label: state_label(ctx, s) })
            .collect()
    } else {
        Vec::new()
    };
    let mut p = ctx.page("ip-title");
    let heading = format!("{} · {}", e.reference(), p.title);
    p.title = heading.clone();
    render_status(
        status,
        &ShowPage {
            p,
            back: format!("/cases/{}", case.id),
            heading,
            state: state_label(ctx, &e.state),
            amends: e.amends.map(|(id, seq)| {
                (
                    format!("/cases/{}/evaluations/{id}", case.id),
                    ozodi_domain::record::reference(Kind::Evaluation, seq),
                )
            }),
            sections: shown_sections(ctx, &labels, Kind::Evaluation, &e.data),
            findings,
            diagram,
            steps: e
                .steps
                .iter()
                .map(|s| {
                    (ctx.lang.datetime(s.at), state_label(ctx, &s.state), s.by_name.clone(), s.note.clone())
                })
                .collect(),
            can_step: !next.is_empty(),
            next,
            version: e.version,
            can_edit: editable,
            shared: e.shared.map(|(at, _)| ctx.lang.datetime(at)),
            can_share: writes,
            signed: e.signed.as_ref().map(|s| {
                let by = e.steps.iter().rev().find(|st| st.state == "SIGNED").map(|st| st.by_name.clone());
                (ctx.lang.datetime(s.at), by.unwrap_or_default(), s.sha256.clone(), s.holds())
            }),
            error,
            notice: ctx.path.contains("saved=1").then(|| ctx.lang.t("saved")),
            addendum: (writes && e.signed.is_some())
                .then(|| format!("/cases/{}/evaluations/new?amends={}", case.id, e.id)),
            base,
        },
    )
}

fn ctx_entry(ctx: &Ctx, su: &SessionUser, kind: AuditKind) -> ozodi_store::NewAuditEntry {
    ozodi_store::NewAuditEntry {
        at: ctx.now,
        actor: Some(su.user.id),
        kind,
        subject: None,
        detail: serde_json::json!({}),
        client: Some(ctx.client.clone()),
    }
}

/// `GET /cases/{id}/evaluations/{eid}`.
pub async fn show(ctx: Ctx, Path((case_id, id)): Path<(String, String)>) -> Result<Response, AppError> {
    show_page(&ctx, &case_id, &id, StatusCode::OK, None).await
}

/// `GET /cases/{id}/evaluations/new` (`?amends=` for an addendum).
pub async fn new_form(ctx: Ctx, Path(case_id): Path<String>) -> Result<Response, AppError> {
    let (su, case, case_access) = case_for(&ctx, &case_id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::Evaluation(access(case_access, None))).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "amends")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let values = FormPairs::from_pairs(pairs);
    schema_form(
        &ctx,
        &labels,
        Kind::Evaluation,
        &values,
        Vec::new(),
        StatusCode::OK,
        new_frame(&ctx, case.id, values.get("amends")),
        0,
    )
}

fn new_frame(ctx: &Ctx, case: CaseId, amends: &str) -> (String, String, String) {
    let action = if amends.is_empty() {
        format!("/cases/{case}/evaluations")
    } else {
        format!("/cases/{case}/evaluations?amends={amends}")
    };
    (ctx.lang.t("ip-new-title"), action, format!("/cases/{case}"))
}

/// `POST /cases/{id}/evaluations`: opens one (an addendum with `?amends=`).
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(case_id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, case_access) = case_for(&ctx, &case_id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::Evaluation(access(case_access, None))).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let amends_text = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "amends")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let amends = match amends_text.as_str() {
        "" => None,
        text => Some(EvaluationId::parse(text).ok_or(AppError::BadRequest)?),
    };
    let frame = new_frame(&ctx, case.id, &amends_text);
    let data = match parse_or_refuse(&ctx, &labels, Kind::Evaluation, &form, frame.clone(), 0)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordCreated, Some(&ctx.client));
    match su.store.create_evaluation(case.id, &data, amends, su.user.id, state.now(), audit).await {
        Ok(id) => Ok(Redirect::to(&format!("/cases/{}/evaluations/{id}?saved=1", case.id)).into_response()),
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            schema_form(
                &ctx,
                &labels,
                Kind::Evaluation,
                &form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                frame,
                0,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /cases/{id}/evaluations/{eid}/edit`.
pub async fn edit_form(ctx: Ctx, Path((case_id, id)): Path<(String, String)>) -> Result<Response, AppError> {
    let (su, case, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    if e.signed.is_some() || !ip::editable(&e.state) {
        return show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("ip-signed-immutable")))
            .await;
    }
    let labels = labels(&ctx, su, case.id).await?;
    let base = format!("/cases/{}/evaluations/{}", case.id, e.id);
    let frame = (ctx.lang.t_args("record-edit-title", &[("ref", &e.reference())]), base.clone(), base);
    schema_form(
        &ctx,
        &labels,
        Kind::Evaluation,
        &values_of(Kind::Evaluation, &e.data),
        Vec::new(),
        StatusCode::OK,
        frame,
        e.version,
    )
}

/// `POST /cases/{id}/evaluations/{eid}`: saves the report unless someone saved first or it was
/// signed meanwhile.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let base = format!("/cases/{}/evaluations/{}", case.id, e.id);
    let frame =
        (ctx.lang.t_args("record-edit-title", &[("ref", &e.reference())]), base.clone(), base.clone());
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let data = match parse_or_refuse(&ctx, &labels, Kind::Evaluation, &form, frame.clone(), version)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.update_evaluation(e.id, version, &data, su.user.id, state.now(), audit).await {
        Ok(()) => Ok(Redirect::to(&format!("{base}?saved=1")).into_response()),
        Err(StoreError::Conflict) => {
            let errors = vec![("version", ctx.lang.t("ip-stale"))];
            schema_form(&ctx, &labels, Kind::Evaluation, &form, errors, StatusCode::CONFLICT, frame, version)
        }
        Err(StoreError::Immutable) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("ip-signed-immutable")))
                .await
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            schema_form(
                &ctx,
                &labels,
                Kind::Evaluation,
                &form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                frame,
                version,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /cases/{id}/evaluations/{eid}/findings/new` (`?body_region=` from the diagram).
pub async fn new_finding(
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (su, case, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "body_region")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let frame = finding_frame(&ctx, &case, &e);
    schema_form(
        &ctx,
        &labels,
        Kind::Finding,
        &FormPairs::from_pairs(pairs),
        Vec::new(),
        StatusCode::OK,
        frame,
        0,
    )
}

fn finding_frame(ctx: &Ctx, case: &CaseRecord, e: &Evaluation) -> (String, String, String) {
    let base = format!("/cases/{}/evaluations/{}", case.id, e.id);
    (ctx.lang.t_args("ip-finding-new", &[("ref", &e.reference())]), format!("{base}/findings"), base)
}

/// `POST /cases/{id}/evaluations/{eid}/findings`.
pub async fn add_finding(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let frame = finding_frame(&ctx, &case, &e);
    let data = match parse_or_refuse(&ctx, &labels, Kind::Finding, &form, frame.clone(), 0)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.add_finding(e.id, &data, audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{}/evaluations/{}?saved=1#findings", case.id, e.id))
            .into_response()),
        Err(StoreError::Immutable) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("ip-signed-immutable")))
                .await
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            schema_form(
                &ctx,
                &labels,
                Kind::Finding,
                &form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                frame,
                0,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/evaluations/{eid}/findings/{seq}/remove`: before signing only.
pub async fn remove_finding(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id, seq)): Path<(String, String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, _, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    let seq: i64 = seq.parse().map_err(|_| AppError::NotFound)?;
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    match e.findings.iter().find(|f| f.seq == seq) {
        None => return Err(AppError::NotFound),
        // Removing twice (a repeated submission) changes nothing more.
        Some(f) if f.removed => {
            return Ok(Redirect::to(&format!("/cases/{case_id}/evaluations/{id}#findings")).into_response());
        }
        Some(_) => {}
    }
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.change_finding(e.id, seq, version, None, state.now(), audit).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/cases/{case_id}/evaluations/{id}?saved=1#findings")).into_response())
        }
        Err(StoreError::Immutable) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("ip-signed-immutable")))
                .await
        }
        Err(StoreError::Conflict) => {
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("ip-stale"))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/evaluations/{eid}/steps`: the next workflow state; signing freezes it.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, _, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let note: String = form.get("note").trim().chars().take(500).collect();
    if note.chars().any(char::is_control) {
        return show_page(
            &ctx,
            &case_id,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(ctx.lang.t("record-problem-text")),
        )
        .await;
    }
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    let request =
        ozodi_store::ip::StepRequest { to: form.get("to"), note: &note, by: su.user.id, at: state.now() };
    match su.store.evaluation_step(e.id, version, request, audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{case_id}/evaluations/{id}?saved=1")).into_response()),
        Err(StoreError::Evaluation(err)) => {
            let message = match &err {
                ip::EvaluationError::NotAllowed { from, allowed } => super::legal::not_allowed(
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
            show_page(&ctx, &case_id, &id, StatusCode::CONFLICT, Some(ctx.lang.t("ip-stale"))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/evaluations/{eid}/sharing`: the person's consent to share the report with
/// the case's lawyers, recorded or withdrawn by a clinician.
pub async fn sharing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, _, _, e) = evaluation_for(&ctx, &case_id, &id, Action::Update).await?;
    let shared = match form.get("share") {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.set_evaluation_shared(e.id, shared, su.user.id, state.now(), audit).await {
        Ok(()) | Err(StoreError::Conflict) => {
            Ok(Redirect::to(&format!("/cases/{case_id}/evaluations/{id}?saved=1")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "evaluations/print.html")]
struct PrintPage {
    p: Page,
    heading: String,
    case_number: String,
    state: String,
    sections: Vec<ShownSection>,
    findings: Vec<FindingRow>,
    diagram: Diagram,
    signed: Option<(String, String, String, bool)>,
    printed: String,
}

/// `GET /cases/{id}/evaluations/{eid}/print`: the report for printing (the print stylesheet
/// leaves out everything but the report). A signed report is printed from the document that was
/// signed, with its hash and whether it still matches; a draft says it is one. Audited.
pub async fn print(ctx: Ctx, Path((case_id, id)): Path<(String, String)>) -> Result<Response, AppError> {
    let (su, case, _, e) = evaluation_for(&ctx, &case_id, &id, Action::View).await?;
    let mut entry = ctx_entry(&ctx, su, AuditKind::CaseViewed);
    entry.subject = Some(case.id.to_string());
    entry.detail = serde_json::json!({ "evaluation": e.id.to_string(), "printed": true });
    su.store.audit(entry).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let (data, findings) = printed_content(&e)?;
    let rows = finding_rows(&labels, &findings);
    let mut p = ctx.page("ip-title");
    let heading = format!("{} · {}", e.reference(), p.title);
    p.title = heading.clone();
    let mut response = render_status(
        StatusCode::OK,
        &PrintPage {
            p,
            heading,
            case_number: case.number.to_string(),
            state: state_label(&ctx, &e.state),
            sections: shown_sections(&ctx, &labels, Kind::Evaluation, &data),
            diagram: diagram(&ctx, &labels, &findings, None),
            findings: rows,
            signed: e.signed.as_ref().map(|s| {
                let by = e.steps.iter().rev().find(|st| st.state == "SIGNED").map(|st| st.by_name.clone());
                (ctx.lang.datetime(s.at), by.unwrap_or_default(), s.sha256.clone(), s.holds())
            }),
            printed: ctx.lang.t_args(
                "ip-printed-by",
                &[("who", su.user.display_name.as_str()), ("when", &ctx.lang.datetime(ctx.now))],
            ),
        },
    )?;
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// What a printed report shows: the document that was signed, if signed; else the draft.
fn printed_content(e: &Evaluation) -> Result<(Data, Vec<(i64, Data)>), AppError> {
    Ok(match &e.signed {
        Some(s) => {
            let doc: serde_json::Value = serde_json::from_str(&s.document).map_err(AppError::internal)?;
            let data = Data::from_json(Kind::Evaluation, &doc["values"]);
            let findings = doc["findings"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|f| {
                            (f["finding"].as_i64().unwrap_or(0), Data::from_json(Kind::Finding, &f["values"]))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (data, findings)
        }
        None => (
            e.data.clone(),
            e.findings.iter().filter(|f| !f.removed).map(|f| (f.seq, f.data.clone())).collect(),
        ),
    })
}

fn finding_rows(labels: &Labels, findings: &[(i64, Data)]) -> Vec<FindingRow> {
    findings
        .iter()
        .map(|(seq, d)| FindingRow {
            reference: format!("F{seq}"),
            region: d.text("body_region").map(|c| labels.term("body_region", c)).unwrap_or_default(),
            lesion: d.text("lesion_type").map(|c| labels.term("lesion", c)).unwrap_or_default(),
            size: match d.get("size_mm") {
                Some(ozodi_domain::record::Value::Count(n)) => format!("{n} mm"),
                _ => String::new(),
            },
            consistency: d.text("consistency").map(|c| labels.term("ip_consistency", c)).unwrap_or_default(),
            description: d.text("description").unwrap_or_default().to_owned(),
            remove: None,
        })
        .collect()
}

/// `GET /cases/{id}/evaluations/{eid}/pdf`: the same report as a PDF, its footer on every page
/// naming who printed it and when, and the hash of the signed document. Audited.
pub async fn pdf(ctx: Ctx, Path((case_id, id)): Path<(String, String)>) -> Result<Response, AppError> {
    use ozodi_print::{Block, Document, Drawing};
    let (su, case, _, e) = evaluation_for(&ctx, &case_id, &id, Action::View).await?;
    let mut entry = ctx_entry(&ctx, su, AuditKind::CaseViewed);
    entry.subject = Some(case.id.to_string());
    entry.detail = serde_json::json!({ "evaluation": e.id.to_string(), "pdf": true });
    su.store.audit(entry).await?;
    let labels = labels(&ctx, su, case.id).await?;
    let (data, findings) = printed_content(&e)?;
    let lang = ctx.lang;
    let mut blocks = vec![
        Block::Title(format!("{} · {}", e.reference(), lang.t("ip-title"))),
        Block::Field(lang.t("calendar-case"), case.number.to_string()),
        Block::Field(lang.t("ip-state"), state_label(&ctx, &e.state)),
        Block::Text(lang.t("ip-confidential")),
    ];
    if e.signed.is_none() {
        blocks.push(Block::Text(lang.t("ip-draft-not-signed")));
    }
    for section in shown_sections(&ctx, &labels, Kind::Evaluation, &data) {
        if let Some(legend) = section.legend {
            blocks.push(Block::Heading(legend));
        }
        for row in section.rows {
            blocks.push(Block::Field(row.label, row.value.text));
        }
    }
    blocks.push(Block::Heading(lang.t("ip-findings")));
    let d = diagram(&ctx, &labels, &findings, None);
    blocks.push(Block::Drawing(Drawing {
        size: (f32::from(ip::DIAGRAM.0), f32::from(ip::DIAGRAM.1)),
        boxes: d
            .regions
            .iter()
            .map(|r| (f32::from(r.x), f32::from(r.y), f32::from(r.w), f32::from(r.h), r.marked))
            .collect(),
        marks: d.marks.iter().map(|m| (f32::from(m.x), f32::from(m.y), m.label.clone())).collect(),
        captions: vec![(100.0, d.front.clone()), (300.0, d.back.clone())],
    }));
    for f in finding_rows(&labels, &findings) {
        let value = [f.region, f.lesion, f.size, f.consistency, f.description]
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        blocks.push(Block::Field(f.reference, value));
    }
    let printed = lang.t_args(
        "ip-printed-by",
        &[("who", su.user.display_name.as_str()), ("when", &lang.datetime(ctx.now))],
    );
    let footer = match &e.signed {
        Some(s) => {
            let by = e
                .steps
                .iter()
                .rev()
                .find(|st| st.state == "SIGNED")
                .map(|st| st.by_name.clone())
                .unwrap_or_default();
            blocks.push(Block::Heading(lang.t("ip-signed")));
            blocks.push(Block::Field(lang.t("ip-signed"), format!("{} · {by}", lang.datetime(s.at))));
            blocks.push(Block::Field("SHA-256".into(), s.sha256.clone()));
            let check = if s.holds() { lang.t("ip-hash-holds") } else { lang.t("ip-hash-broken") };
            blocks.push(Block::Text(check));
            format!("{printed} · {} · SHA-256 {}", e.reference(), s.sha256)
        }
        None => format!("{printed} · {} · {}", e.reference(), lang.t("ip-draft-not-signed")),
    };
    let document = Document {
        blocks,
        footer,
        page_label: lang.t_args("print-page", &[("page", "{page}"), ("pages", "{pages}")]),
    };
    let bytes = tokio::task::spawn_blocking(move || ozodi_print::render(&document))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{}.pdf\"", e.reference())),
        ],
        bytes,
    )
        .into_response())
}

/// The evaluations of a case the actor may read, for the case page: (link, text). The case file
/// read them with the case, in the same statement.
pub(super) fn listed(
    ctx: &Ctx,
    su: &SessionUser,
    case: CaseId,
    case_access: CaseAccess,
    evaluations: &[ozodi_store::ip::EvaluationSummary],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in evaluations {
        let access = EvaluationAccess { case: case_access, shared_with_lawyers: e.shared };
        if !ozodi_domain::can(&su.actor, Action::View, Resource::Evaluation(access)) {
            continue;
        }
        let mut text = format!(
            "{} · {}",
            ozodi_domain::record::reference(Kind::Evaluation, e.seq),
            state_label(ctx, &e.state)
        );
        if let Some(original) = e.amends {
            text.push_str(" · ");
            text.push_str(&ctx.lang.t_args(
                "ip-addendum-to",
                &[("ref", &ozodi_domain::record::reference(Kind::Evaluation, original))],
            ));
        }
        out.push((format!("/cases/{case}/evaluations/{}", e.id), text));
    }
    out
}
