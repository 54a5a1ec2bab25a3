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

/// Whether the request asks for the JSON exchange form (`format=json`).
pub fn wants_json(ctx: &Ctx) -> bool {
    ctx.path
        .split_once('?')
        .is_some_and(|(_, q)| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "format" && v == "json"))
}

/// The name of the JSON exchange format, and its version (bumped on any incompatible change).
pub const EXCHANGE_FORMAT: &str = "ozodi-exchange";
/// See [`EXCHANGE_FORMAT`].
pub const EXCHANGE_VERSION: u32 = 1;

/// One case for data exchange: its fields, its persons by pseudonym (never an identity: names,
/// contacts and documents stay in the sealed compartment), its live records with their
/// vocabulary codes and references by id, and the register entries (places of detention) they
/// point at. Tombstoned records are left out.
pub async fn case_document(
    store: &dyn ozodi_store::Store,
    case: &ozodi_store::CaseRecord,
    facilities: &mut std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<(serde_json::Value, usize), AppError> {
    use serde_json::json;
    let persons: Vec<serde_json::Value> = store
        .persons_of_case(case.id)
        .await?
        .iter()
        .map(|p| {
            json!({
                "id": p.id.to_string(),
                "pseudonym": p.pseudonym.to_string(),
                "counting_unit": p.fields.counting_unit,
                "sex": p.fields.sex.map(|s| s.code()),
                "birth_year": p.fields.birth_year,
            })
        })
        .collect();
    let mut records = Vec::new();
    for r in store.records_of_case(case.id).await?.iter().filter(|r| r.deleted.is_none()) {
        if let Some(ozodi_domain::record::Value::Ref(id)) = r.data.get("facility")
            && !facilities.contains_key(id)
            && let Some(f) = ozodi_domain::record::RecordId::parse(id)
            && let Some(f) = store.record(f).await?.filter(|f| f.deleted.is_none())
        {
            facilities.insert(
                id.clone(),
                json!({ "id": id, "reference": f.reference(), "data": f.data.to_exchange_json() }),
            );
        }
        records.push(json!({
            "id": r.id.to_string(),
            "reference": r.reference(),
            "kind": r.kind.code(),
            "version": r.version,
            "created_at": rfc3339(r.created_at),
            "data": r.data.to_exchange_json(),
        }));
    }
    let count = records.len();
    let f = &case.fields;
    Ok((
        json!({
            "id": case.id.to_string(),
            "number": case.number.to_string(),
            "title": f.title,
            "summary": f.summary,
            "status": f.status.code(),
            "region": f.region,
            "hotline": f.hotline,
            "opened_at": rfc3339(case.opened_at),
            "version": case.version,
            "persons": persons,
            "records": records,
        }),
        count,
    ))
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Answers with the cases as one JSON exchange document, after writing the audit entry (`what`,
/// the format, how many cases and records).
pub async fn respond_json(
    state: &AppState,
    ctx: &Ctx,
    su: &SessionUser,
    what: &str,
    cases: Vec<serde_json::Value>,
    records: usize,
    facilities: std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<Response, AppError> {
    let now = state.now();
    let document = serde_json::json!({
        "format": EXCHANGE_FORMAT,
        "version": EXCHANGE_VERSION,
        "exported_at": rfc3339(now),
        "codes": "Vocabulary codes are those of the HURIDOCS micro-thesauri (MT…) and of ozodi's own lists, as listed on the instance's vocabulary pages; dates carry their precision; amounts are in diram (1/100 TJS); identities are never exported.",
        "cases": cases,
        "facilities": facilities.into_values().collect::<Vec<_>>(),
    });
    let bytes = serde_json::to_vec_pretty(&document).map_err(AppError::internal)?;
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::Exported, Some(&ctx.client));
    audit.detail = serde_json::json!({
        "what": what,
        "format": "json",
        "cases": document["cases"].as_array().map_or(0, Vec::len),
        "records": records,
    });
    su.store.audit(audit).await?;
    let day = now.to_offset(ozodi_domain::dates::DUSHANBE).date();
    let disposition = format!("attachment; filename=\"ozodi-{what}-{day}.json\"");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
