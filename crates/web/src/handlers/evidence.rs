//! Evidence: upload (streamed into an encrypted file, hashed while received, never held whole in
//! memory), the item's page with its SHA-256 and chain of custody, and the download (streamed out,
//! as an attachment). Every view and download is a custody event, audited.
//!
//! The upload is `multipart/form-data`, so the CSRF token is not checked by the middleware (which
//! would have to buffer the body): it must be the form's first field, and this handler checks it
//! before reading anything else.

use askama::Template;
use axum::body::Body;
use axum::extract::Multipart;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::record::RecordId;
use ozodi_domain::{Action, Resource};
use ozodi_store::{Evidence, EvidenceCategory, NewAuditEntry};
use ozodi_vault::blob::{BlobError, BlobWriter, blob_path, open_blob};

use super::cases::case_for;
use super::{render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::page::Page;
use crate::state::AppState;

const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 5_000;

/// What the content of a file turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub struct Recognised {
    /// The category.
    pub category: EvidenceCategory,
    /// The type recognised from the content.
    pub mime: &'static str,
}

/// Recognises a file from its first bytes and checks that the type the browser declared agrees.
/// Unrecognised binary content, executables and archives are refused; plain text is accepted only
/// when declared as such and valid UTF-8.
pub fn recognise(head: &[u8], declared: &str) -> Option<Recognised> {
    let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let found = infer::get(head);
    let Some(kind) = found else {
        // The head may end inside a multi-byte character: an incomplete last sequence is fine.
        let utf8 = match std::str::from_utf8(head) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        };
        let text = declared == "text/plain" && utf8 && !head.contains(&0);
        return text.then_some(Recognised { category: EvidenceCategory::Document, mime: "text/plain" });
    };
    let mime = kind.mime_type();
    let category = match kind.matcher_type() {
        infer::MatcherType::Image => EvidenceCategory::Photo,
        infer::MatcherType::Audio => EvidenceCategory::Audio,
        infer::MatcherType::Video => EvidenceCategory::Video,
        infer::MatcherType::Doc => EvidenceCategory::Document,
        _ if mime == "application/pdf" => EvidenceCategory::Document,
        // Office documents are zip files; accept the zip only when it was declared as one.
        infer::MatcherType::Archive
            if mime == "application/zip"
                && (declared.starts_with("application/vnd.openxmlformats-officedocument")
                    || declared.starts_with("application/vnd.oasis.opendocument")) =>
        {
            return Some(Recognised { category: EvidenceCategory::Document, mime: "application/zip" });
        }
        _ => return None,
    };
    let agrees = declared == mime
        || declared.is_empty()
        || declared == "application/octet-stream"
        || (declared.split('/').next() == mime.split('/').next() && category != EvidenceCategory::Document);
    agrees.then_some(Recognised { category, mime })
}

#[derive(Template)]
#[template(path = "evidence/form.html")]
struct FormPage {
    p: Page,
    case_id: String,
    number: String,
    title: String,
    description: String,
    max: String,
    errors: Vec<String>,
    can_identity: bool,
}

async fn uploader<'c>(
    ctx: &'c Ctx,
    id: &str,
) -> Result<(&'c SessionUser, ozodi_store::CaseRecord, ozodi_domain::CaseAccess), AppError> {
    let (su, case, access) = case_for(ctx, id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::Record(access, false)).await?;
    Ok((su, case, access))
}

pub(crate) fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
    } else if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// `GET /cases/{id}/evidence/new`.
pub async fn new_form(state: AppState, ctx: Ctx, id: String) -> Result<Response, AppError> {
    let (su, case, access) = uploader(&ctx, &id).await?;
    render(&FormPage {
        can_identity: ozodi_domain::can(&su.actor, Action::RevealIdentity, Resource::Case(access)),
        p: ctx.page("evidence-new-title"),
        case_id: case.id.to_string(),
        number: case.number.to_string(),
        title: String::new(),
        description: String::new(),
        max: size_text(state.config().max_evidence_bytes),
        errors: Vec::new(),
    })
}

/// Reads a text field of at most `max` characters without buffering more than that.
pub(super) async fn bounded_text(
    field: &mut axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<String, AppError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > max * 4 {
            return Err(AppError::PayloadTooLarge);
        }
    }
    String::from_utf8(bytes).map_err(|_| AppError::BadRequest)
}

/// `POST /cases/{id}/evidence`: streams the file into an encrypted blob, hashing as it goes.
pub async fn upload(
    state: AppState,
    ctx: Ctx,
    id: String,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (su, case, access) = uploader(&ctx, &id).await?;
    let can_identity = ozodi_domain::can(&su.actor, Action::RevealIdentity, Resource::Case(access));
    let max = state.config().max_evidence_bytes;
    // The CSRF token first, before anything else is read.
    let mut field =
        multipart.next_field().await.map_err(|_| AppError::BadRequest)?.ok_or(AppError::BadRequest)?;
    let token =
        if field.name() == Some("csrf") { bounded_text(&mut field, 128).await? } else { String::new() };
    if ctx.csrf.is_empty() || !ozodi_vault::token::secrets_equal(&token, &ctx.csrf) {
        tracing::warn!(request_id = ctx.request_id, "CSRF token missing or wrong on an upload; refused");
        return Err(AppError::Page(crate::error::ErrorKind::Csrf, None));
    }
    drop(field);
    let mut title = String::new();
    let mut description = String::new();
    let mut errors = Vec::new();
    let mut received = None;
    let mut identity = false;
    let files = su.store.evidence_files();
    let item = RecordId::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| AppError::BadRequest)? {
        match field.name() {
            Some("title") => title = bounded_text(&mut field, MAX_TITLE).await?.trim().to_owned(),
            Some("description") => {
                description = bounded_text(&mut field, MAX_DESCRIPTION).await?.trim().replace("\r\n", "\n");
            }
            Some("identity") => {
                identity = bounded_text(&mut field, 8).await? == "on";
                if identity && !can_identity {
                    return Err(AppError::NotFound);
                }
            }
            Some("file") if received.is_none() => {
                if title.is_empty()
                    || title.chars().count() > MAX_TITLE
                    || title.chars().any(char::is_control)
                {
                    errors.push(ctx.lang.t("case-bad-title"));
                    break;
                }
                let filename: String = field
                    .file_name()
                    .unwrap_or("")
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(200)
                    .collect();
                let declared = field.content_type().unwrap_or("").to_owned();
                if filename.is_empty() {
                    errors.push(ctx.lang.t("evidence-empty"));
                    break;
                }
                let (key, dir) = files.of(identity);
                tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::io(&e))?;
                let mut writer =
                    BlobWriter::create(key, &item.to_string(), dir, max).await.map_err(|e| blob_error(&e))?;
                let mut failed = None;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if let Err(e) = writer.write(&chunk).await {
                                failed = Some(e);
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(_) => {
                            failed = Some(BlobError::Aborted);
                            break;
                        }
                    }
                }
                let info = match failed {
                    Some(e) => Err(e),
                    None => writer.finish().await,
                };
                match info {
                    Ok(info) => received = Some((info, filename, declared)),
                    Err(BlobError::Empty) => errors.push(ctx.lang.t("evidence-empty")),
                    Err(BlobError::TooLarge { .. }) => {
                        errors.push(ctx.lang.t_args("evidence-too-large", &[("max", &size_text(max))]));
                    }
                    Err(BlobError::Aborted) => errors.push(ctx.lang.t("evidence-interrupted")),
                    Err(e) => return Err(blob_error(&e)),
                }
                if !errors.is_empty() {
                    break;
                }
            }
            _ => return Err(AppError::BadRequest),
        }
    }
    let refuse = |errors: Vec<String>| {
        render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                p: ctx.page("evidence-new-title"),
                case_id: case.id.to_string(),
                number: case.number.to_string(),
                title: title.clone(),
                description: description.clone(),
                max: size_text(max),
                errors,
                can_identity,
            },
        )
    };
    let Some((info, filename, declared)) = received else {
        if errors.is_empty() {
            errors.push(ctx.lang.t("evidence-empty"));
        }
        return refuse(errors);
    };
    let remove = || std::fs::remove_file(&info.path);
    let Some(recognised) = recognise(&info.head, &declared) else {
        let _ = remove();
        return refuse(vec![ctx.lang.t("evidence-bad-type")]);
    };
    if description.chars().count() > MAX_DESCRIPTION {
        let _ = remove();
        return refuse(vec![ctx.lang.t("case-bad-summary")]);
    }
    let sha256 = hex::encode(info.sha256);
    let item = Evidence {
        id: item,
        case_id: case.id,
        seq: 0,
        title,
        description,
        identity,
        category: recognised.category,
        original_filename: filename,
        mime: recognised.mime.to_owned(),
        size: info.size,
        sha256: sha256.clone(),
        acquired_at: state.now(),
        acquired_by: None,
        deleted: None,
    };
    let mut entry = state.audit_entry(Some(su.user.id), AuditKind::EvidenceCustody, Some(&ctx.client));
    entry.subject = Some(item.id.to_string());
    entry.detail = serde_json::json!({ "action": "received", "case": case.id.to_string(), "sha256": sha256 });
    match su.store.create_evidence(&item, entry).await {
        Ok(created) => {
            Ok(Redirect::to(&format!("/cases/{}/evidence/{}?saved=1", case.id, created.id)).into_response())
        }
        Err(e) => {
            let _ = remove();
            Err(e.into())
        }
    }
}

#[derive(Debug)]
struct CustodyView {
    at: String,
    actor: String,
    action: String,
}

#[derive(Template)]
#[template(path = "evidence/show.html")]
struct ShowPage {
    p: Page,
    case_id: String,
    number: String,
    id: String,
    reference: String,
    title: String,
    description: String,
    category: String,
    filename: String,
    mime: String,
    size: String,
    sha256: String,
    acquired: String,
    custody: Vec<CustodyView>,
    notice: Option<String>,
    deleted: Option<String>,
    can_delete: bool,
    can_restore: bool,
}

async fn item_for<'c>(
    ctx: &'c Ctx,
    id: &str,
    eid: &str,
) -> Result<(&'c SessionUser, ozodi_store::CaseRecord, Evidence), AppError> {
    item_with_access(ctx, id, eid).await.map(|(su, case, item, _)| (su, case, item))
}

async fn item_with_access<'c>(
    ctx: &'c Ctx,
    id: &str,
    eid: &str,
) -> Result<(&'c SessionUser, ozodi_store::CaseRecord, Evidence, ozodi_domain::CaseAccess), AppError> {
    let (su, case, access) = case_for(ctx, id, Action::View).await?;
    let item = match RecordId::parse(eid) {
        Some(eid) => su.store.evidence(eid).await?,
        None => None,
    };
    let item = item.filter(|i| i.case_id == case.id).ok_or(AppError::NotFound)?;
    if item.identity {
        // Identity files are for those who may reveal identities on the case, like names.
        ctx.require_hidden(Action::RevealIdentity, Resource::Case(access)).await?;
    }
    Ok((su, case, item, access))
}

fn custody_entry(
    state: &AppState,
    ctx: &Ctx,
    su: &SessionUser,
    item: &Evidence,
    action: &str,
) -> NewAuditEntry {
    let mut entry = state.audit_entry(Some(su.user.id), AuditKind::EvidenceCustody, Some(&ctx.client));
    entry.subject = Some(item.id.to_string());
    entry.detail = serde_json::json!({ "action": action, "case": item.case_id.to_string() });
    entry
}

/// `GET /cases/{id}/evidence/{eid}`: the item, its hash and its chain of custody (this view is
/// added to it).
pub async fn show(state: AppState, ctx: Ctx, id: String, eid: String) -> Result<Response, AppError> {
    let (su, case, item, access) = item_with_access(&ctx, &id, &eid).await?;
    let live = item.deleted.is_none();
    let can = |action, deleted| ozodi_domain::can(&su.actor, action, Resource::Record(access, deleted));
    let entry = custody_entry(&state, &ctx, su, &item, "viewed");
    su.store.record_custody(item.id, "viewed", serde_json::json!({}), entry).await?;
    let custody = su
        .store
        .custody(item.id)
        .await?
        .into_iter()
        .map(|c| CustodyView {
            at: ctx.lang.datetime(c.at),
            actor: c.actor.unwrap_or_else(|| ctx.lang.t("evidence-by-system")),
            action: ctx.lang.t(&format!("evidence-custody-{}", c.action)),
        })
        .collect();
    let mut p = ctx.page("evidence-title");
    p.title = format!("{} · {}", item.reference(), item.title);
    render(&ShowPage {
        p,
        case_id: case.id.to_string(),
        number: case.number.to_string(),
        id: item.id.to_string(),
        reference: item.reference(),
        title: item.title.clone(),
        description: item.description.clone(),
        category: if item.identity {
            format!(
                "{} · {}",
                ctx.lang.t(&format!("evidence-category-{}", item.category.code())),
                ctx.lang.t("evidence-identity")
            )
        } else {
            ctx.lang.t(&format!("evidence-category-{}", item.category.code()))
        },
        filename: item.original_filename.clone(),
        mime: item.mime.clone(),
        size: format!("{} ({} B)", size_text(item.size), item.size),
        sha256: item.sha256.clone(),
        acquired: format!(
            "{} · {}",
            ctx.lang.datetime(item.acquired_at),
            item.acquired_by.clone().unwrap_or_default()
        ),
        custody,
        notice: ctx.path.contains("saved=1").then(|| ctx.lang.t("evidence-received")),
        deleted: item.deleted.as_ref().map(|d| d.reason.clone()),
        can_delete: live && can(Action::Delete, false),
        can_restore: !live && can(Action::Restore, true),
    })
}

#[derive(Template)]
#[template(path = "records/delete.html")]
struct DeletePage {
    p: Page,
    action: String,
    back: String,
    heading: String,
    error: Option<String>,
}

async fn removable<'c>(
    ctx: &'c Ctx,
    id: &str,
    eid: &str,
    action: Action,
) -> Result<(&'c SessionUser, Evidence, DeletePage), AppError> {
    let (su, case, item, access) = item_with_access(ctx, id, eid).await?;
    ctx.require_hidden(action, Resource::Record(access, item.deleted.is_some())).await?;
    let heading = ctx.lang.t_args("record-delete-title", &[("ref", &item.reference())]);
    let mut p = ctx.page("evidence-title");
    p.title = heading.clone();
    let back = format!("/cases/{}/evidence/{}", case.id, item.id);
    let page = DeletePage { p, action: format!("{back}/delete"), back, heading, error: None };
    Ok((su, item, page))
}

/// `GET /cases/{id}/evidence/{eid}/delete`: the confirmation, asking for a reason.
pub async fn delete_form(ctx: Ctx, id: String, eid: String) -> Result<Response, AppError> {
    let (_, _, page) = removable(&ctx, &id, &eid, Action::Delete).await?;
    render(&page)
}

/// `POST /cases/{id}/evidence/{eid}/delete`: a tombstone with a reason; the original file stays.
pub async fn delete(
    state: AppState,
    ctx: Ctx,
    id: String,
    eid: String,
    form: crate::form::FormPairs,
) -> Result<Response, AppError> {
    let (su, item, mut page) = removable(&ctx, &id, &eid, Action::Delete).await?;
    let reason = form.get("reason").trim().chars().take(1000).collect::<String>();
    if reason.is_empty() {
        page.error = Some(ctx.lang.t("case-reason-required"));
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let mut entry = custody_entry(&state, &ctx, su, &item, "deleted");
    entry.kind = AuditKind::RecordDeleted;
    su.store.set_evidence_deleted(item.id, Some(&reason), su.user.id, state.now(), entry).await?;
    Ok(Redirect::to(&format!("/cases/{}", item.case_id)).into_response())
}

/// `POST /cases/{id}/evidence/{eid}/restore`: the coordinator brings a tombstoned item back.
pub async fn restore(state: AppState, ctx: Ctx, id: String, eid: String) -> Result<Response, AppError> {
    let (su, item, page) = removable(&ctx, &id, &eid, Action::Restore).await?;
    let mut entry = custody_entry(&state, &ctx, su, &item, "restored");
    entry.kind = AuditKind::RecordRestored;
    su.store.set_evidence_deleted(item.id, None, su.user.id, state.now(), entry).await?;
    Ok(Redirect::to(&page.back).into_response())
}

/// RFC 5987 encoding of a file name for `Content-Disposition`.
fn encode_filename(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /cases/{id}/evidence/{eid}/download`: the original, decrypted chunk by chunk as it is
/// sent; a damaged file breaks the transfer instead of delivering altered bytes.
pub async fn download(state: AppState, ctx: Ctx, id: String, eid: String) -> Result<Response, AppError> {
    let (su, _, item) = item_for(&ctx, &id, &eid).await?;
    let files = su.store.evidence_files();
    let (key, dir) = files.of(item.identity);
    let path = blob_path(dir, &item.id.to_string()).map_err(|e| AppError::internal(e.to_string()))?;
    let reader = open_blob(key, &item.id.to_string(), &path)
        .await
        .map_err(|e| AppError::internal(format!("evidence {}: {e}", item.reference())))?;
    let entry = custody_entry(&state, &ctx, su, &item, "downloaded");
    su.store.record_custody(item.id, "downloaded", serde_json::json!({}), entry).await?;
    let reference = item.reference();
    let stream = futures_util::stream::unfold(Some(reader), move |reader| {
        let reference = reference.clone();
        async move {
            let mut reader = reader?;
            match reader.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok(axum::body::Bytes::from(chunk)), Some(reader))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!(evidence = reference, error = %e, "evidence file failed to decrypt during download");
                    Some((Err(std::io::Error::other("evidence file damaged")), None))
                }
            }
        }
    });
    let extension = item.original_filename.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
    let disposition = format!(
        "attachment; filename=\"{}.{}\"; filename*=UTF-8''{}",
        item.reference(),
        encode_filename(extension),
        encode_filename(&item.original_filename)
    );
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&item.mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(item.size));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A failed evidence file operation: 507 when the disk is full (the file was not kept), else 500.
fn blob_error(e: &BlobError) -> AppError {
    match e {
        BlobError::Io { source, .. } => AppError::io(source),
        other => AppError::internal(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    const ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";

    #[test]
    fn declared_types_must_match_the_content() {
        let png = recognise(PNG, "image/png");
        assert_eq!(png.map(|r| (r.category, r.mime)), Some((EvidenceCategory::Photo, "image/png")));
        assert!(
            recognise(PNG, "image/jpeg").is_some(),
            "an image declared as another image format is still an image"
        );
        assert!(recognise(PNG, "application/pdf").is_none(), "a PNG declared as a PDF is refused");
        assert_eq!(recognise(PDF, "application/pdf").map(|r| r.category), Some(EvidenceCategory::Document));
        assert!(recognise(PDF, "image/png").is_none());
        assert!(recognise(ELF, "application/pdf").is_none(), "executables are refused");
        assert!(recognise(ELF, "application/octet-stream").is_none());
        assert_eq!(
            recognise("Протокол допроса".as_bytes(), "text/plain").map(|r| r.mime),
            Some("text/plain")
        );
        assert!(recognise("<html><script>".as_bytes(), "text/html").is_none(), "HTML is not accepted");
        assert!(recognise(b"\x00\x01\x02binary", "text/plain").is_none());
    }

    #[test]
    fn file_names_are_encoded_for_the_header() {
        assert_eq!(encode_filename("акт.pdf"), "%D0%B0%D0%BA%D1%82.pdf");
        assert_eq!(encode_filename("a\"b\r\n.pdf"), "a%22b%0D%0A.pdf");
    }
}
