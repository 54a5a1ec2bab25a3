//! Publishing (issue 8): a publication's course to the public site on its record page (draft,
//! review, published, with the version the public sees), its preview as the site will show it,
//! and the steps, taken against the stage and version the form was drawn at.
//!
//! Writing a publication and asking for review is for whoever keeps the advocacy log
//! (`Resource::Advocacy`); sending it back, publishing and taking it down is for the editors and
//! coordinators (`Resource::Site`). Every step is audited with the version it concerned.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::record::{Kind, RecordId};
use ozodi_domain::site::{Stage, Step, StepError};
use ozodi_domain::{Action, Resource};
use ozodi_store::site::StepRequest;
use ozodi_store::{Record, StoreError};

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::state::AppState;

#[derive(Debug)]
struct StepView {
    step: String,
    when: String,
    by: String,
    version: i64,
    note: String,
}

#[derive(Debug)]
struct Action_ {
    code: &'static str,
    label: String,
    note: bool,
}

#[derive(Debug)]
struct FileView {
    id: String,
    name: String,
    size: String,
    image: bool,
    /// What to write in the text to show a picture (its address from a publication's page).
    snippet: String,
}

#[derive(Template)]
#[template(path = "publishing/panel.html")]
struct Panel {
    id: String,
    files: Vec<FileView>,
    can_attach: bool,
    csrf: String,
    stage: String,
    stage_code: &'static str,
    version: i64,
    public: Option<String>,
    behind: bool,
    steps: Vec<StepView>,
    actions: Vec<Action_>,
    problems: Vec<String>,
    missing: Vec<String>,
    error: Option<String>,
    labels: PanelLabels,
}

/// The panel's fixed texts in the reader's language.
#[derive(Debug)]
struct PanelLabels {
    title: String,
    stage: String,
    history: String,
    note: String,
    preview: String,
    none: String,
    public_page: String,
    files: String,
    no_files: String,
    remove: String,
    attach: String,
    attach_help: String,
    attach_button: String,
}

fn t(ctx: &Ctx, key: &str) -> String {
    ctx.lang.t(key)
}

/// The publishing panel of a publication's page; `refused` is a step just refused, with why.
pub(super) async fn panel(
    ctx: &Ctx,
    record: &Record,
    refused: Option<(String, FormPairs)>,
) -> Result<String, AppError> {
    let su = ctx.require(Action::View, Resource::Site).await?;
    let course = su.store.publication_course(record.id).await?;
    let users = su.store.users().await?;
    let name = |id: ozodi_domain::UserId| {
        users.iter().find(|u| u.id == id).map(|u| u.display_name.as_str().to_owned()).unwrap_or_default()
    };
    let editor = ozodi_domain::can(&su.actor, Action::Update, Resource::Site);
    let author = ozodi_domain::can(&su.actor, Action::Update, Resource::Advocacy(false));
    let actions = ozodi_domain::site::next(course.stage)
        .into_iter()
        .filter(|s| if s.is_editorial() { editor } else { author })
        // Submitting a published text again only makes sense once it changed.
        .filter(|s| {
            !(course.stage == Stage::Published
                && *s == Step::Submit
                && course.public_version == Some(record.version))
        })
        .map(|s| Action_ {
            code: s.code(),
            label: t(ctx, &format!("publishing-do-{}", s.code())),
            note: s != Step::Submit && s != Step::Publish,
        })
        .collect();
    let mut problems = Vec::new();
    for field in ["summary", "body"] {
        for p in ozodi_markup::problems(record.data.text(field).unwrap_or("")) {
            problems.push(ctx.lang.t_args(p.key(), &[("link", p.destination())]));
        }
    }
    let files = su
        .store
        .publication_files(record.id)
        .await?
        .into_iter()
        .filter(|f| f.deleted_at.is_none())
        .map(|f| FileView {
            id: f.id.to_string(),
            size: ctx.lang.t_args("site-size-kb", &[("size", &f.size.div_ceil(1024).to_string())]),
            image: f.mime.starts_with("image/"),
            snippet: format!("![{}](../../{})", f.name, crate::site::file_path(&f)),
            name: f.name,
        })
        .collect();
    let html = Panel {
        id: record.id.to_string(),
        files,
        can_attach: author,
        csrf: ctx.csrf.clone(),
        stage: t(ctx, &format!("publishing-stage-{}", course.stage.code())),
        stage_code: course.stage.code(),
        version: record.version,
        public: course
            .public_version
            .map(|v| ctx.lang.t_args("publishing-public-version", &[("version", &v.to_string())])),
        behind: course.public_version.is_some_and(|v| v != record.version),
        steps: course
            .steps
            .iter()
            .rev()
            .map(|s| StepView {
                step: t(ctx, &format!("publishing-step-{}", s.step.code())),
                when: ctx.lang.datetime(s.at),
                by: name(s.actor),
                version: s.version,
                note: s.note.clone(),
            })
            .collect(),
        actions,
        problems,
        missing: ozodi_domain::site::missing_for_publishing(&record.data)
            .into_iter()
            .map(|f| t(ctx, &format!("publishing-missing-{f}")))
            .collect(),
        error: refused.map(|(message, _)| message),
        labels: PanelLabels {
            title: t(ctx, "publishing-title"),
            stage: t(ctx, "publishing-stage"),
            history: t(ctx, "publishing-history"),
            note: t(ctx, "publishing-note"),
            preview: t(ctx, "publishing-preview"),
            none: t(ctx, "publishing-no-steps"),
            public_page: t(ctx, "publishing-behind"),
            files: t(ctx, "publishing-files"),
            no_files: t(ctx, "publishing-no-files"),
            remove: t(ctx, "publishing-file-remove"),
            attach: t(ctx, "publishing-attach"),
            attach_help: t(ctx, "publishing-attach-help"),
            attach_button: t(ctx, "publishing-attach-button"),
        },
    }
    .render()?;
    Ok(html)
}

/// `POST /publications/{id}/steps`: one step of the course, against the form's stage and
/// version.
pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Advocacy(false)).await?;
    let record = live_publication(su, &id).await?;
    let Some(step) = Step::parse(form.get("step")) else { return Err(AppError::BadRequest) };
    let Some(from) = Stage::parse(form.get("from")) else { return Err(AppError::BadRequest) };
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    if step.is_editorial() {
        ctx.require(Action::Update, Resource::Site).await?;
    } else {
        ctx.require(Action::Update, Resource::Advocacy(false)).await?;
    }
    let refuse = |message: String, status: StatusCode, form: FormPairs| {
        let ctx = ctx.clone();
        let id = id.clone();
        async move {
            super::records::show_page(Kind::Publication, &ctx, None, &id, status, Some((message, form))).await
        }
    };
    let Ok(note) = ozodi_domain::record::clean_text(form.get("note"), 2000, false) else {
        return refuse(t(&ctx, "record-problem-text"), StatusCode::UNPROCESSABLE_ENTITY, form).await;
    };
    // Nothing with a link into the internal system, a script address or a picture from
    // elsewhere goes public.
    let stage = su.store.publication_course(record.id).await?.stage;
    if step == Step::Publish
        && ozodi_domain::site::next(stage).contains(&step)
        && ["summary", "body"]
            .iter()
            .any(|f| !ozodi_markup::problems(record.data.text(f).unwrap_or("")).is_empty())
    {
        return refuse(t(&ctx, "publishing-has-problems"), StatusCode::UNPROCESSABLE_ENTITY, form).await;
    }
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::PublicationStep, Some(&ctx.client));
    audit.detail = serde_json::json!({ "step": step.code(), "version": version });
    let request = StepRequest { step, from, version, note };
    match su.store.publication_step(record.id, &request, su.user.id, state.now(), audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/publications/{id}?saved=1#publishing")).into_response()),
        Err(StoreError::Conflict) => refuse(t(&ctx, "publishing-conflict"), StatusCode::CONFLICT, form).await,
        Err(StoreError::SiteStep(StepError::Incomplete(missing))) => {
            let fields: Vec<String> =
                missing.iter().map(|f| t(&ctx, &format!("publishing-missing-{f}"))).collect();
            let message = ctx.lang.t_args("site-step-incomplete", &[("missing", &fields.join(", "))]);
            refuse(message, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
        Err(StoreError::SiteStep(e)) => refuse(t(&ctx, e.key()), StatusCode::CONFLICT, form).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /publications/{id}/preview`: the current version as the public site would show it.
pub async fn preview(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Advocacy(false)).await?;
    let record = match RecordId::parse(&id) {
        Some(rid) => su.store.record(rid).await?,
        None => None,
    };
    let record = match record {
        Some(r) if r.kind == Kind::Publication => r,
        _ => return Err(AppError::NotFound),
    };
    let mut p = ctx.page("publishing-preview");
    p.title = record.data.text("title").unwrap_or("").to_owned();
    super::render(&Preview {
        p,
        back: format!("/publications/{id}"),
        summary: ozodi_markup::render(record.data.text("summary").unwrap_or("")),
        body: ozodi_markup::render(record.data.text("body").unwrap_or("")),
        lang: record
            .data
            .text("lang")
            .filter(|l| ozodi_domain::site::LANGS.contains(l))
            .unwrap_or("")
            .to_owned(),
    })
}

#[derive(Template)]
#[template(path = "publishing/preview.html")]
struct Preview {
    p: crate::page::Page,
    back: String,
    summary: String,
    body: String,
    lang: String,
}

/// The largest file a publication takes (a long report as PDF; photographs).
pub const MAX_FILE_BYTES: usize = 20 << 20;

/// `POST /publications/{id}/files`: attaches a PDF or a picture. Pictures are stored without
/// their metadata (EXIF, GPS, XMP, comments: a photograph must not tell where and by whom it was
/// taken); a PDF is kept as it is. The CSRF token is the form's first field.
pub async fn add_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Advocacy(false)).await?;
    let record = live_publication(su, &id).await?;
    let mut field =
        multipart.next_field().await.map_err(|_| AppError::BadRequest)?.ok_or(AppError::BadRequest)?;
    let token = if field.name() == Some("csrf") {
        super::evidence::bounded_text(&mut field, 128).await?
    } else {
        String::new()
    };
    if ctx.csrf.is_empty() || !ozodi_vault::token::secrets_equal(&token, &ctx.csrf) {
        tracing::warn!(request_id = ctx.request_id, "CSRF token missing or wrong on an upload; refused");
        return Err(AppError::Page(crate::error::ErrorKind::Csrf, None));
    }
    drop(field);
    let mut received: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| AppError::BadRequest)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_FILE_BYTES {
                return refuse_file(&ctx, &id, t(&ctx, "publishing-file-too-large")).await;
            }
        }
        received = Some((name, bytes));
    }
    let Some((name, bytes)) = received.filter(|(_, b)| !b.is_empty()) else {
        return refuse_file(&ctx, &id, t(&ctx, "publishing-file-missing")).await;
    };
    let mime = infer::get(&bytes).map(|k| k.mime_type()).unwrap_or("");
    let bytes = match mime {
        "application/pdf" => bytes,
        "image/jpeg" | "image/png" => match ozodi_media::working_copy(mime, &bytes) {
            Some(clean) => clean,
            None => return refuse_file(&ctx, &id, t(&ctx, "publishing-file-type")).await,
        },
        _ => return refuse_file(&ctx, &id, t(&ctx, "publishing-file-type")).await,
    };
    let name = clean_name(&name, mime);
    let file = ozodi_store::site::NewFile { name, mime: mime.to_owned(), bytes };
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::PublicationFileChanged, Some(&ctx.client));
    audit.detail = serde_json::json!({ "change": "added", "mime": mime, "bytes": file.bytes.len() });
    su.store.add_publication_file(record.id, &file, su.user.id, state.now(), audit).await?;
    Ok(Redirect::to(&format!("/publications/{id}?saved=1#publishing")).into_response())
}

/// A file name safe to show and to send: no path, no control characters, at most 120
/// characters, with the extension of its type.
fn clean_name(name: &str, mime: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let base: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>')).take(120).collect();
    let ext = match mime {
        "application/pdf" => ".pdf",
        "image/jpeg" => ".jpg",
        _ => ".png",
    };
    let stem = base.rsplit_once('.').map_or(base.as_str(), |(s, _)| s).trim();
    if stem.is_empty() { format!("file{ext}") } else { format!("{stem}{ext}") }
}

async fn refuse_file(ctx: &Ctx, id: &str, message: String) -> Result<Response, AppError> {
    super::records::show_page(
        Kind::Publication,
        ctx,
        None,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some((message, FormPairs::default())),
    )
    .await
}

async fn live_publication(su: &crate::ctx::SessionUser, id: &str) -> Result<Record, AppError> {
    let record = match RecordId::parse(id) {
        Some(rid) => su.store.record(rid).await?,
        None => None,
    };
    match record {
        Some(r) if r.kind == Kind::Publication && r.deleted.is_none() => Ok(r),
        _ => Err(AppError::NotFound),
    }
}

/// `POST /publications/{id}/files/{file}/remove`: the file leaves the publication (a version
/// already public keeps it until the next publication or a take-down).
pub async fn remove_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Advocacy(false)).await?;
    let record = live_publication(su, &id).await?;
    let file = RecordId::parse(&file).ok_or(AppError::NotFound)?;
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::PublicationFileChanged, Some(&ctx.client));
    audit.detail = serde_json::json!({ "change": "removed", "file": file.to_string() });
    match su.store.remove_publication_file(record.id, file, su.user.id, state.now(), audit).await {
        Ok(()) | Err(StoreError::NotFound) => {
            Ok(Redirect::to(&format!("/publications/{id}?saved=1#publishing")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /publications/{id}/files/{file}`: a file as the editors see it before it is public.
pub async fn file(ctx: Ctx, Path((id, file)): Path<(String, String)>) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Advocacy(false)).await?;
    let record = live_publication(su, &id).await?;
    let file = RecordId::parse(&file).ok_or(AppError::NotFound)?;
    let (meta, bytes) = su.store.publication_file(file, false).await?.ok_or(AppError::NotFound)?;
    if meta.publication != record.id {
        return Err(AppError::NotFound);
    }
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encoding::utf8_percent_encode(&meta.name, percent_encoding::NON_ALPHANUMERIC)
    );
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, meta.mime.clone()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
