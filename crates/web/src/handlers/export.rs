//! Exports of the list views as CSV or XLSX (`?format=csv|xlsx` on the list's own address): the
//! same rows the page shows to the same reader, so permissions and the identity compartment hold
//! as they do on the page (no list carries a name). Every export writes an audit entry (what, the
//! format and how many rows); the file's name says what and when, never who.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_exchange::table::Table;

use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::state::AppState;

/// The formats a list can be downloaded in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, UTF-8.
    Csv,
    /// An Office Open XML workbook.
    Xlsx,
}

impl Format {
    fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The format the request asks for (`format=csv` or `format=xlsx` in its query), if any.
pub fn requested(ctx: &Ctx) -> Option<Format> {
    let query = ctx.path.split_once('?').map(|(_, q)| q)?;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "format").and_then(|(_, v)| {
        match v.as_ref() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    })
}

/// The addresses of the page's CSV and XLSX downloads: its own, with `format` set.
pub fn links(ctx: &Ctx) -> (String, String) {
    let (path, query) = ctx.path.split_once('?').unwrap_or((&ctx.path, ""));
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "format")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let with = |format: &str| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            q.append_pair(k, v);
        }
        q.append_pair("format", format);
        format!("{path}?{}", q.finish())
    };
    (with("csv"), with("xlsx"))
}

/// Answers with the table as a file, after writing the audit entry.
pub async fn respond(
    state: &AppState,
    ctx: &Ctx,
    su: &SessionUser,
    what: &str,
    format: Format,
    table: &Table,
) -> Result<Response, AppError> {
    let bytes = match format {
        Format::Csv => table.csv(),
        Format::Xlsx => table.xlsx(),
    }
    .map_err(AppError::internal)?;
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::Exported, Some(&ctx.client));
    audit.detail = serde_json::json!({ "what": what, "format": format.code(), "rows": table.rows.len() });
    su.store.audit(audit).await?;
    let day = state.now().to_offset(ozodi_domain::dates::DUSHANBE).date();
    let disposition = format!("attachment; filename=\"ozodi-{what}-{day}.{}\"", format.code());
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
