//! Training events (DOMAIN.md 3.8): Istanbul Protocol training for health workers, training of
//! lawyers, investigators, journalists. Participants are counted by profession, sex and region,
//! never named; the list adds the counts up, and says how many health workers were trained in the
//! Istanbul Protocol, the figure the coalition publishes.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::person::Sex;
use ozodi_domain::record::{Kind, RecordId};
use ozodi_domain::{Action, Resource};
use ozodi_store::StoreError;
use ozodi_store::training::{Participants, Training};

use super::records::{Labels, ShownSection, parse_or_refuse, schema_form, shown_sections, values_of};
use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// The professions that count as health workers (the first six of the `profession` list).
pub const HEALTH_WORKERS: [&str; 6] =
    ["FORENSIC", "DOCTOR", "PSYCHIATRIST", "PSYCHOLOGIST", "NURSE", "CUSTODIAL_MEDIC"];

/// The sexes a count is kept by.
const SEXES: [Sex; 3] = [Sex::Female, Sex::Male, Sex::Unknown];

async fn labels(ctx: &Ctx) -> Result<Labels, AppError> {
    let mut lists = Labels::lists_of(&[Kind::Training]);
    lists.push("profession");
    Labels::of(ctx, None, &lists, Vec::new(), Vec::new(), Vec::new()).await
}

fn sex_label(ctx: &Ctx, code: &str) -> String {
    ctx.lang.t(&format!("person-sex-{code}"))
}

/// Health workers trained in the Istanbul Protocol, over `trainings`.
pub fn health_workers_trained(trainings: &[Training]) -> u64 {
    trainings
        .iter()
        .filter(|t| t.data.text("training_kind") == Some("IP_HEALTH"))
        .flat_map(|t| t.participants.iter())
        .filter(|p| HEALTH_WORKERS.contains(&p.profession.as_str()))
        .map(|p| u64::from(p.count))
        .sum()
}

#[derive(Debug)]
struct Row {
    href: String,
    reference: String,
    title: String,
    kind: String,
    dates: String,
    region: String,
    total: u64,
}

#[derive(Debug)]
struct Tally {
    label: String,
    women: u64,
    men: u64,
    unstated: u64,
    total: u64,
}

fn tally(labels: &Labels, trainings: &[&Training]) -> Vec<Tally> {
    let mut out: Vec<Tally> = Vec::new();
    for t in trainings {
        for p in &t.participants {
            let label = labels.term("profession", &p.profession);
            let at = match out.iter().position(|r| r.label == label) {
                Some(i) => i,
                None => {
                    out.push(Tally { label, women: 0, men: 0, unstated: 0, total: 0 });
                    out.len() - 1
                }
            };
            let row = &mut out[at];
            let n = u64::from(p.count);
            match p.sex.as_str() {
                "02" => row.women += n,
                "01" => row.men += n,
                _ => row.unstated += n,
            }
            row.total += n;
        }
    }
    out
}

#[derive(Template)]
#[template(path = "trainings/list.html")]
struct ListPage {
    p: Page,
    rows: Vec<Row>,
    tallies: Vec<Tally>,
    health_workers: u64,
    total: u64,
    can_create: bool,
    exports: (String, String),
}

fn dates(t: &Training) -> String {
    match (t.data.date("initial_date"), t.data.date("final_date")) {
        (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
        (Some(a), _) => a.to_string(),
        (None, Some(b)) => b.to_string(),
        (None, None) => String::new(),
    }
}

/// `GET /trainings` (also as CSV or XLSX).
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Trainings).await?;
    let trainings = su.store.trainings().await?;
    let labels = labels(&ctx).await?;
    let rows: Vec<Row> = trainings
        .iter()
        .map(|t| Row {
            href: format!("/trainings/{}", t.id),
            reference: t.reference(),
            title: t.data.text("title").unwrap_or_default().to_owned(),
            kind: t.data.text("training_kind").map(|k| labels.term("training_kind", k)).unwrap_or_default(),
            dates: dates(t),
            region: t.data.text("region").map(|r| labels.term("region", r)).unwrap_or_default(),
            total: t.total(),
        })
        .collect();
    let all: Vec<&Training> = trainings.iter().collect();
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("trainings-title"),
            headers: vec![
                "№".into(),
                lang.t("field-title"),
                lang.t("field-training_kind"),
                lang.t("trainings-dates"),
                lang.t("field-region"),
                lang.t("trainings-total"),
            ],
            rows: rows
                .iter()
                .map(|r: &Row| {
                    vec![
                        r.reference.clone(),
                        r.title.clone(),
                        r.kind.clone(),
                        r.dates.clone(),
                        r.region.clone(),
                        r.total.to_string(),
                    ]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "trainings", format, &table).await;
    }
    render(&ListPage {
        p: ctx.page("trainings-title"),
        exports: super::export::links(&ctx),
        rows,
        tallies: tally(&labels, &all),
        health_workers: health_workers_trained(&trainings),
        total: trainings.iter().map(Training::total).sum(),
        can_create: ozodi_domain::can(&su.actor, Action::Create, Resource::Trainings),
    })
}

/// `GET /trainings/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Action::Create, Resource::Trainings).await?;
    let labels = labels(&ctx).await?;
    let frame = (ctx.lang.t("trainings-new"), "/trainings".to_owned(), "/trainings".to_owned());
    schema_form(&ctx, &labels, Kind::Training, &FormPairs::default(), Vec::new(), StatusCode::OK, frame, 0)
}

/// `POST /trainings`.
pub async fn create(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Trainings).await?;
    let labels = labels(&ctx).await?;
    let frame = (ctx.lang.t("trainings-new"), "/trainings".to_owned(), "/trainings".to_owned());
    let data = match parse_or_refuse(&ctx, &labels, Kind::Training, &form, frame.clone(), 0)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordCreated, Some(&ctx.client));
    match su.store.create_training(&data, su.user.id, state.now(), audit).await {
        Ok(id) => Ok(Redirect::to(&format!("/trainings/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            schema_form(
                &ctx,
                &labels,
                Kind::Training,
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

#[derive(Debug)]
struct Opt {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "trainings/show.html")]
struct ShowPage {
    p: Page,
    id: String,
    heading: String,
    sections: Vec<ShownSection>,
    participants: Vec<(String, String, String, u32)>,
    tallies: Vec<Tally>,
    total: u64,
    can_edit: bool,
    professions: Vec<Opt>,
    sexes: Vec<Opt>,
    regions: Vec<Opt>,
    error: Option<String>,
    notice: Option<String>,
}

async fn show_page(
    ctx: &Ctx,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Trainings).await?;
    let training = match RecordId::parse(id) {
        Some(id) => su.store.training(id).await?,
        None => None,
    };
    let training = training.ok_or(AppError::NotFound)?;
    let labels = labels(ctx).await?;
    let store = &su.store;
    let terms = |list: &'static str| {
        let store = store.clone();
        async move { store.vocabulary(list).await }
    };
    let lang = ctx.lang.code();
    let professions = terms("profession")
        .await?
        .iter()
        .filter(|t| !t.deprecated)
        .map(|t| Opt { value: t.code.clone(), label: t.labels.get(lang).to_owned() })
        .collect();
    let mut regions = vec![Opt { value: String::new(), label: "—".into() }];
    regions.extend(
        terms("region")
            .await?
            .iter()
            .filter(|t| !t.deprecated)
            .map(|t| Opt { value: t.code.clone(), label: t.labels.get(lang).to_owned() }),
    );
    let mut p = ctx.page("trainings-title");
    let heading = format!("{} · {}", training.reference(), training.data.text("title").unwrap_or_default());
    p.title = heading.clone();
    render_status(
        status,
        &ShowPage {
            p,
            id: training.id.to_string(),
            heading,
            sections: shown_sections(ctx, &labels, Kind::Training, &training.data),
            participants: training
                .participants
                .iter()
                .map(|r| {
                    let region =
                        if r.region.is_empty() { "—".into() } else { labels.term("region", &r.region) };
                    (labels.term("profession", &r.profession), sex_label(ctx, &r.sex), region, r.count)
                })
                .collect(),
            tallies: tally(&labels, &[&training]),
            total: training.total(),
            can_edit: ozodi_domain::can(&su.actor, Action::Update, Resource::Trainings),
            professions,
            sexes: SEXES
                .iter()
                .map(|s| Opt { value: s.code().to_owned(), label: sex_label(ctx, s.code()) })
                .collect(),
            regions,
            error,
            notice: ctx.path.contains("saved=1").then(|| ctx.lang.t("saved")),
        },
    )
}

/// `GET /trainings/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    show_page(&ctx, &id, StatusCode::OK, None).await
}

/// The training `id` for a change, with who may change it.
async fn training_for<'c>(
    ctx: &'c Ctx,
    id: &str,
) -> Result<(&'c crate::ctx::SessionUser, Training), AppError> {
    let su = ctx.require(Action::Update, Resource::Trainings).await?;
    let found = match RecordId::parse(id) {
        Some(id) => su.store.training(id).await?,
        None => None,
    };
    Ok((su, found.ok_or(AppError::NotFound)?))
}

/// `GET /trainings/{id}/edit`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, training) = training_for(&ctx, &id).await?;
    let labels = labels(&ctx).await?;
    let base = format!("/trainings/{}", training.id);
    let frame = (ctx.lang.t_args("record-edit-title", &[("ref", &training.reference())]), base.clone(), base);
    let values = values_of(Kind::Training, &training.data);
    schema_form(&ctx, &labels, Kind::Training, &values, Vec::new(), StatusCode::OK, frame, training.version)
}

/// `POST /trainings/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, training) = training_for(&ctx, &id).await?;
    let labels = labels(&ctx).await?;
    let base = format!("/trainings/{}", training.id);
    let frame =
        (ctx.lang.t_args("record-edit-title", &[("ref", &training.reference())]), base.clone(), base.clone());
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let data = match parse_or_refuse(&ctx, &labels, Kind::Training, &form, frame.clone(), version)? {
        Ok(d) => d,
        Err(page) => return Ok(page),
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.update_training(training.id, version, &data, su.user.id, state.now(), audit).await {
        Ok(()) => Ok(Redirect::to(&format!("{base}?saved=1")).into_response()),
        Err(StoreError::Conflict) => {
            let errors = vec![("version", ctx.lang.t("ip-stale"))];
            schema_form(&ctx, &labels, Kind::Training, &form, errors, StatusCode::CONFLICT, frame, version)
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            schema_form(
                &ctx,
                &labels,
                Kind::Training,
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

/// `POST /trainings/{id}/participants`: how many of one profession, sex and region (0 removes).
pub async fn participants(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, training) = training_for(&ctx, &id).await?;
    let Some(count) = form.get("count").trim().parse::<u32>().ok().filter(|n| *n <= 10_000) else {
        return show_page(
            &ctx,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(ctx.lang.t("trainings-bad-count")),
        )
        .await;
    };
    let row = Participants {
        profession: form.get("profession").to_owned(),
        sex: form.get("sex").to_owned(),
        region: form.get("region").to_owned(),
        count,
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::RecordUpdated, Some(&ctx.client));
    match su.store.set_training_participants(training.id, &row, audit).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/trainings/{}?saved=1#participants", training.id)).into_response())
        }
        Err(StoreError::Invalid(_)) => {
            show_page(&ctx, &id, StatusCode::UNPROCESSABLE_ENTITY, Some(ctx.lang.t("record-problem-choice")))
                .await
        }
        Err(e) => Err(e.into()),
    }
}
