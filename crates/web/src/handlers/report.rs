//! The anonymous web report (issue 5): a public form in three languages that works without
//! JavaScript and without cookies, and a follow-up page where the sender, with the receipt code
//! and secret they were given, sees the status and exchanges messages with the coalition (as
//! whistle-blowing platforms do).
//!
//! Nothing about the sender is kept: the middleware reads no cookie and sets none on these pages,
//! the request log has no address, the contact and its audit entry carry neither actor nor client,
//! and the address is used only in memory, under a keyed hash whose key changes at every start,
//! by the flood limits. The receipt code and the secret are stored only as SHA-256 hashes.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::Response;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::intake::{
    self as domain, CallerDetails, CallerRole, Channel, ContactStatus, LineCode, receipt,
};
use ozodi_i18n::Lang;
use ozodi_store::Store;
use ozodi_store::intake::{NewContact, NewReportFile, WebReport};
use ozodi_vault::token::{secrets_equal, token_hash};
use sha2::Digest;

use super::cases::Choice;
use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::state::AppState;

/// The frame of a public page: language links instead of the staff pages' switch (which needs a
/// cookie), no navigation.
#[derive(Debug)]
pub struct PublicPage {
    /// The language.
    pub lang: Lang,
    /// The translated title.
    pub title: String,
    /// The page's own address without a language (`/report`), for the language links.
    pub here: &'static str,
}

impl PublicPage {
    fn new(ctx: &Ctx, title_key: &str, here: &'static str) -> Self {
        PublicPage { lang: ctx.lang, title: ctx.lang.t(title_key), here }
    }

    /// A translated message.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The languages.
    pub fn langs(&self) -> [Lang; 3] {
        Lang::ALL
    }

    /// Whether `code` is the page's language.
    pub fn is_current(&self, code: &str) -> bool {
        self.lang.code() == code
    }

    /// The stylesheet's address.
    pub fn css(&self) -> &str {
        &crate::page::CSS_PATH
    }
}

#[derive(Template)]
#[template(path = "report/form.html")]
struct FormPage {
    p: PublicPage,
    hotlines: Vec<(String, String)>,
    places: Vec<Choice>,
    callers: Vec<Choice>,
    summary: String,
    name: String,
    contacts: String,
    in_custody: bool,
    at_risk: bool,
    consent_record: bool,
    consent_act: bool,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "report/receipt.html")]
struct ReceiptPage {
    p: PublicPage,
    code: String,
    secret: String,
    /// How many files arrived, said in words (none when there were none).
    files: Option<String>,
}

#[derive(Template)]
#[template(path = "report/closed.html")]
struct ClosedPage {
    p: PublicPage,
    message: String,
}

#[derive(Template)]
#[template(path = "report/follow_up.html")]
struct FollowUpPage {
    p: PublicPage,
    errors: Vec<String>,
}

#[derive(Debug)]
struct MessageView {
    at: String,
    from_sender: bool,
    body: String,
}

#[derive(Template)]
#[template(path = "report/status.html")]
struct StatusPage {
    p: PublicPage,
    reference: String,
    received: String,
    status: String,
    messages: Vec<MessageView>,
    code: String,
    secret: String,
    draft: String,
    errors: Vec<String>,
}

const ARMY: &str = "line:ARMY";

/// Files a report may carry.
pub const MAX_FILES: usize = 3;
/// The largest file, in bytes.
pub const MAX_FILE_BYTES: usize = 10 << 20;
/// The largest text field of the form, in bytes.
const MAX_TEXT_BYTES: usize = 128 << 10;
/// The types a report's files may have: photos and PDF documents (recognised from the content).
const FILE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "application/pdf"];

/// A file as it came in the form.
struct Upload {
    mime: &'static str,
    bytes: Vec<u8>,
}

/// What was wrong with the files (each a translated message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileProblem {
    TooBig,
    TooMany,
    Type,
}

impl FileProblem {
    fn key(self) -> &'static str {
        match self {
            FileProblem::TooBig => "report-file-too-big",
            FileProblem::TooMany => "report-too-many-files",
            FileProblem::Type => "report-file-type",
        }
    }
}

/// The report form's body: its fields and files. Accepts the multipart form the page sends and a
/// plain urlencoded one (a form without files).
pub struct ReportBody {
    form: FormPairs,
    files: Vec<Upload>,
    problem: Option<FileProblem>,
}

impl std::fmt::Debug for ReportBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the text or the files: they are the report.
        f.debug_struct("ReportBody")
            .field("files", &self.files.len())
            .field("problem", &self.problem)
            .finish()
    }
}

impl<S: Send + Sync> FromRequest<S> for ReportBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let form = FormPairs::from_request(req, state).await?;
            return Ok(ReportBody { form, files: Vec::new(), problem: None });
        }
        let mut multipart = Multipart::from_request(req, state).await.map_err(|_| AppError::BadRequest)?;
        let mut pairs = Vec::new();
        let mut files = Vec::new();
        let mut problem = None;
        while let Some(mut field) = multipart.next_field().await.map_err(|_| AppError::BadRequest)? {
            let name = field.name().unwrap_or("").to_owned();
            if name != "files" {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                    text.extend_from_slice(&chunk);
                    if text.len() > MAX_TEXT_BYTES {
                        return Err(AppError::PayloadTooLarge);
                    }
                }
                let text = String::from_utf8(text).map_err(|_| AppError::BadRequest)?;
                if pairs.len() >= 64 {
                    return Err(AppError::BadRequest);
                }
                pairs.push((name, text));
                continue;
            }
            let declared = field.content_type().unwrap_or("").to_owned();
            let mut bytes = Vec::new();
            let mut too_big = false;
            while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    too_big = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            if too_big {
                // Stop reading: the rest of the body is not wanted (the response closes the
                // connection, as for every refused upload).
                problem = Some(FileProblem::TooBig);
                break;
            }
            if bytes.is_empty() {
                continue; // an empty file input
            }
            if files.len() == MAX_FILES {
                problem = Some(FileProblem::TooMany);
                break;
            }
            let recognised = super::evidence::recognise(&bytes[..bytes.len().min(8192)], &declared)
                .map(|r| r.mime)
                .filter(|m| FILE_TYPES.contains(m));
            match recognised {
                Some(mime) => files.push(Upload { mime, bytes }),
                None => problem = problem.or(Some(FileProblem::Type)),
            }
        }
        Ok(ReportBody { form: FormPairs::from_pairs(pairs), files, problem })
    }
}

/// Where it happened: the regions, and service in the army (which goes to the army line).
async fn places(ctx: &Ctx, store: &dyn Store, selected: &str) -> Result<Vec<Choice>, AppError> {
    let mut out: Vec<Choice> = store
        .vocabulary("region")
        .await?
        .iter()
        .filter(|t| !t.deprecated)
        .map(|t| {
            let code = format!("region:{}", t.code);
            Choice { selected: code == selected, code, label: t.labels.get(ctx.lang.code()).to_owned() }
        })
        .collect();
    let snapshot = store.intake_snapshot().await?;
    if snapshot.lines.iter().any(|l| l.active && l.code.as_str() == "ARMY") {
        out.push(Choice {
            code: ARMY.into(),
            label: ctx.lang.t("report-place-army"),
            selected: selected == ARMY,
        });
    }
    Ok(out)
}

fn callers(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    CallerRole::ALL
        .iter()
        .map(|c| Choice {
            code: c.code().into(),
            label: ctx.lang.t(&format!("caller-{}", c.code())),
            selected: c.code() == selected || (selected.is_empty() && *c == CallerRole::Anonymous),
        })
        .collect()
}

async fn form_page(
    ctx: &Ctx,
    store: &dyn Store,
    form: &FormPairs,
    errors: Vec<String>,
) -> Result<FormPage, AppError> {
    let checked = |name: &str| form.get(name) == "on";
    let snapshot = store.intake_snapshot().await?;
    Ok(FormPage {
        p: PublicPage::new(ctx, "report-title", "/report"),
        hotlines: snapshot
            .lines
            .iter()
            .filter(|l| l.active)
            .map(|l| (l.labels.get(ctx.lang.code()).to_owned(), l.numbers.join(", ")))
            .collect(),
        places: places(ctx, store, form.get("place")).await?,
        callers: callers(ctx, form.get("caller")),
        summary: form.get("summary").chars().take(domain::MAX_SUMMARY + 50).collect(),
        name: form.get("name").chars().take(domain::MAX_DETAIL + 50).collect(),
        contacts: form.get("contacts").chars().take(domain::MAX_DETAIL + 50).collect(),
        in_custody: checked("in_custody"),
        at_risk: checked("at_risk"),
        consent_record: checked("consent_record"),
        consent_act: checked("consent_act"),
        errors,
    })
}

/// The page shown while the instance is sealed: reports cannot be taken (nothing could be stored
/// encrypted), and the hotlines are named instead.
fn closed(ctx: &Ctx) -> Result<Response, AppError> {
    render_status(
        StatusCode::SERVICE_UNAVAILABLE,
        &ClosedPage {
            p: PublicPage::new(ctx, "report-title", "/report"),
            message: ctx.lang.t("report-closed"),
        },
    )
}

/// `GET /report`.
pub async fn form(ctx: Ctx) -> Result<Response, AppError> {
    let Some(store) = ctx.store.clone() else { return closed(&ctx) };
    render(&form_page(&ctx, store.as_ref(), &FormPairs::default(), Vec::new()).await?)
}

/// Draws a code of `len` characters of the receipt alphabet.
fn random_code(len: usize) -> Result<String, AppError> {
    loop {
        let mut bytes = [0u8; 64];
        ozodi_vault::random_bytes(&mut bytes)?;
        if let Some(code) = receipt::encode(&bytes, len) {
            return Ok(code);
        }
    }
}

/// `POST /report`: checks the form, the honeypot and the flood limits; files the report as a web
/// contact in the queue of the line that serves the chosen place; shows the receipt once.
pub async fn submit(State(state): State<AppState>, ctx: Ctx, body: ReportBody) -> Result<Response, AppError> {
    let Some(store) = ctx.store.clone() else { return closed(&ctx) };
    let store = store.as_ref();
    let ReportBody { form, files, problem: file_problem } = body;
    // A field people never see: only a program fills it in.
    if !form.get("website").is_empty() {
        tracing::info!(request_id = ctx.request_id, "web report refused: honeypot field filled");
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&ctx, store, &form, vec![ctx.lang.t("report-refused")]).await?,
        );
    }
    let snapshot = store.intake_snapshot().await?;
    let mut problems = Vec::new();
    let (line, region) = match form.get("place") {
        "" => (None, None),
        ARMY => (LineCode::parse("ARMY"), None),
        place => match place.strip_prefix("region:") {
            Some(code)
                if store.vocabulary("region").await?.iter().any(|t| t.code == code && !t.deprecated) =>
            {
                (snapshot.line_for_region(code).map(|l| l.code.clone()), Some(code.to_owned()))
            }
            _ => {
                problems.push(domain::ContactProblem::BadChoice);
                (None, None)
            }
        },
    };
    let caller_role = match form.get("caller") {
        "" => Some(CallerRole::Anonymous),
        code => CallerRole::parse(code),
    };
    if caller_role.is_none() {
        problems.push(domain::ContactProblem::BadChoice);
    }
    let checked = |name: &str| form.get(name) == "on";
    let summary = form.get("summary").trim().to_owned();
    let details = CallerDetails {
        name: form.get("name").trim().to_owned(),
        contacts: form.get("contacts").trim().to_owned(),
    };
    problems.extend(domain::check_contact(&summary, &details, checked("consent_record")));
    problems.dedup();
    let Some(caller_role) = caller_role.filter(|_| problems.is_empty() && file_problem.is_none()) else {
        let mut errors: Vec<String> =
            problems.iter().map(|p| ctx.lang.t(&format!("report-{}", p.key()))).collect();
        if let Some(p) = file_problem {
            errors.push(ctx.lang.t(p.key()));
        }
        if !files.is_empty() || file_problem.is_some() {
            // A browser cannot put files back into a form: say so.
            errors.push(ctx.lang.t("report-files-again"));
        }
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&ctx, store, &form, errors).await?,
        );
    };
    if let Err(retry_at) = state.take_report_slot(&ctx.client) {
        let message = ctx.lang.t_args("report-too-many", &[("time", &ctx.lang.time_of_day(retry_at))]);
        return render_status(
            StatusCode::TOO_MANY_REQUESTS,
            &form_page(&ctx, store, &form, vec![message]).await?,
        );
    }
    let code = random_code(receipt::CODE_LEN)?;
    let secret = random_code(receipt::SECRET_LEN)?;
    let fields = NewContact {
        line,
        channel: Channel::Web,
        received_at: ctx.now,
        caller_role,
        region,
        summary,
        in_custody: checked("in_custody"),
        at_risk: checked("at_risk"),
        consent_record: checked("consent_record"),
        consent_act: checked("consent_act"),
        follow_up: true,
    };
    // No actor, no client: the trail records that a web report arrived, nothing about who sent it.
    let mut entry = state.audit_entry(None, AuditKind::ContactCreated, None);
    entry.detail = serde_json::json!({ "channel": "web" });
    if !files.is_empty() {
        entry.detail = serde_json::json!({ "channel": "web", "files": files.len() });
    }
    let receipt_hash = token_hash(&code);
    let secret_hash = token_hash(&secret);
    // The originals are kept as sent; images also get a working copy without metadata.
    let files: Vec<NewReportFile> = files
        .into_iter()
        .map(|f| {
            let working = ozodi_media::working_copy(f.mime, &f.bytes).map(|w| {
                let sha = sha2::Sha256::digest(&w).to_vec();
                (w, sha)
            });
            NewReportFile {
                media_type: f.mime.to_owned(),
                sha256: sha2::Sha256::digest(&f.bytes).to_vec(),
                original: f.bytes,
                working,
            }
        })
        .collect();
    let count = files.len();
    let report = WebReport { receipt_hash: &receipt_hash, secret_hash: &secret_hash, files: &files };
    store.create_contact(&fields, &details, None, ctx.now, Some(report), entry).await?;
    render(&ReceiptPage {
        p: PublicPage::new(&ctx, "report-receipt-title", "/report/follow-up"),
        code: receipt::group(&code),
        secret: receipt::group(&secret),
        files: (count > 0).then(|| {
            ctx.lang.t_counts("report-files-received", &[("count", i64::try_from(count).unwrap_or(i64::MAX))])
        }),
    })
}

/// `GET /report/follow-up`: asks for the receipt code and secret.
pub async fn follow_up_form(ctx: Ctx) -> Result<Response, AppError> {
    if ctx.store.is_none() {
        return closed(&ctx);
    }
    render(&FollowUpPage {
        p: PublicPage::new(&ctx, "report-follow-up-title", "/report/follow-up"),
        errors: Vec::new(),
    })
}

/// The report behind a typed receipt code and secret, if both are right. Wrong ones count against
/// the client (in memory, under its keyed tag); the comparison of the secret is constant-time.
async fn authenticate(
    state: &AppState,
    ctx: &Ctx,
    store: &dyn Store,
    form: &FormPairs,
) -> Result<Result<(domain::ContactId, String, String), String>, AppError> {
    if let Err(retry_at) = state.follow_up_allowed(&ctx.client) {
        return Ok(Err(ctx
            .lang
            .t_args("report-follow-up-throttled", &[("time", &ctx.lang.time_of_day(retry_at))])));
    }
    let code = receipt::normalise(form.get("code"), receipt::CODE_LEN);
    let secret = receipt::normalise(form.get("secret"), receipt::SECRET_LEN);
    let found = match &code {
        Some(code) => store.report_by_receipt(&token_hash(code)).await?,
        None => None,
    };
    match (found, code, secret) {
        (Some((contact, stored)), Some(code), Some(secret))
            if secrets_equal(&hex::encode(&stored), &hex::encode(token_hash(&secret))) =>
        {
            Ok(Ok((contact, code, secret)))
        }
        _ => {
            state.follow_up_failed(&ctx.client);
            Ok(Err(ctx.lang.t("report-follow-up-wrong")))
        }
    }
}

async fn status_page(
    ctx: &Ctx,
    store: &dyn Store,
    contact: domain::ContactId,
    code: &str,
    secret: &str,
    draft: String,
    errors: Vec<String>,
) -> Result<StatusPage, AppError> {
    let c = store.contact(contact).await?.ok_or(AppError::NotFound)?;
    // The sender learns where the report stands, never who handles it or what the case is.
    let status = match c.status {
        ContactStatus::New => "report-status-received",
        ContactStatus::CaseOpened | ContactStatus::Linked => "report-status-working",
        ContactStatus::Closed => "report-status-closed",
    };
    Ok(StatusPage {
        p: PublicPage::new(ctx, "report-status-title", "/report/follow-up"),
        reference: receipt::group(code),
        received: ctx.lang.datetime(c.fields.received_at),
        status: ctx.lang.t(status),
        messages: store
            .report_messages(contact)
            .await?
            .into_iter()
            .map(|m| MessageView { at: ctx.lang.datetime(m.at), from_sender: m.from_sender, body: m.body })
            .collect(),
        code: code.to_owned(),
        secret: secret.to_owned(),
        draft,
        errors,
    })
}

/// `POST /report/follow-up`: the report's status and messages, for the right receipt and secret.
pub async fn follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormPairs,
) -> Result<Response, AppError> {
    let Some(store) = ctx.store.clone() else { return closed(&ctx) };
    match authenticate(&state, &ctx, store.as_ref(), &form).await? {
        Ok((contact, code, secret)) => render(
            &status_page(&ctx, store.as_ref(), contact, &code, &secret, String::new(), Vec::new()).await?,
        ),
        Err(message) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FollowUpPage {
                p: PublicPage::new(&ctx, "report-follow-up-title", "/report/follow-up"),
                errors: vec![message],
            },
        ),
    }
}

/// `POST /report/message`: the sender writes to the coalition (the receipt and secret travel in
/// the form's body, never in the address).
pub async fn message(State(state): State<AppState>, ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    let Some(store) = ctx.store.clone() else { return closed(&ctx) };
    let store = store.as_ref();
    let (contact, code, secret) = match authenticate(&state, &ctx, store, &form).await? {
        Ok(found) => found,
        Err(message) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FollowUpPage {
                    p: PublicPage::new(&ctx, "report-follow-up-title", "/report/follow-up"),
                    errors: vec![message],
                },
            );
        }
    };
    let body = form.get("body").trim().to_owned();
    if body.is_empty()
        || body.chars().count() > 5_000
        || body.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        let draft = form.get("body").chars().take(5_050).collect();
        let page =
            status_page(&ctx, store, contact, &code, &secret, draft, vec![ctx.lang.t("report-bad-message")])
                .await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let mut entry = state.audit_entry(None, AuditKind::ReportMessage, None);
    entry.detail = serde_json::json!({ "from": "sender" });
    store.add_report_message(contact, None, &body, ctx.now, entry).await?;
    render(&status_page(&ctx, store, contact, &code, &secret, String::new(), Vec::new()).await?)
}
