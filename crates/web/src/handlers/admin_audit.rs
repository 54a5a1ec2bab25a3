//! Browsing the audit trail (both chains, changes and access log, merged by time), newest first,
//! filtered by kind, actor and date (dates are days in Dushanbe time). Paging goes backwards from
//! the last entry shown, so new entries arriving meanwhile do not shift the pages.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::{Action, Resource, Role, Username};
use ozodi_i18n::{DUSHANBE, Lang};
use ozodi_store::{AuditCursor, AuditFilter, AuditRow};
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

use super::render_status;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

const PAGE_SIZE: u32 = 100;
/// The most entries one download holds (the newest of those the filter selects).
const EXPORT_LIMIT: u32 = 100_000;

#[derive(Debug)]
struct KindOption {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Debug)]
struct EntryView {
    trail: String,
    seq: i64,
    at: String,
    actor: String,
    kind: String,
    subject: String,
    detail: String,
    client: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    p: Page,
    kinds: Vec<KindOption>,
    actor: String,
    from: String,
    until: String,
    entries: Vec<EntryView>,
    older: Option<String>,
    error: Option<String>,
    exports: (String, String),
}

fn parse_day(text: &str) -> Result<Option<OffsetDateTime>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    let date = Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| ())?;
    Ok(Some(date.with_time(Time::MIDNIGHT).assume_offset(DUSHANBE)))
}

/// Detail fields shown translated (`audit-detail-<key>`); others are shown under their own name.
pub const DETAIL_KEYS: [&str; 9] =
    ["reason", "via", "roles", "from", "to", "path", "action", "deprecated", "purpose"];
/// Detail values shown translated (`audit-value-<value>`); role codes show as role names.
pub const DETAIL_VALUES: [&str; 16] = [
    "wrong-password",
    "unknown-account",
    "disabled",
    "throttled",
    "web",
    "cli",
    "signal",
    "shutdown",
    "demo",
    "init",
    "view",
    "create",
    "update",
    "disable",
    "resetpassword",
    "seal",
];

fn detail_value(lang: Lang, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => {
            if let Some(role) = Role::parse(s) {
                lang.t(&format!("role-{}", role.code()))
            } else if DETAIL_VALUES.contains(&s.as_str()) {
                lang.t(&format!("audit-value-{s}"))
            } else {
                s.clone()
            }
        }
        serde_json::Value::Bool(b) => lang.t(if *b { "yes" } else { "no" }),
        serde_json::Value::Array(items) => {
            items.iter().map(|v| detail_value(lang, v)).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// The detail JSON as translated "name: value" pairs (the stored JSON is what the hash covers;
/// this is only how it is shown).
fn detail_text(lang: Lang, detail: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(detail) else {
        return detail.to_owned();
    };
    map.iter()
        .map(|(key, value)| {
            let label = if DETAIL_KEYS.contains(&key.as_str()) {
                lang.t(&format!("audit-detail-{key}"))
            } else {
                key.clone()
            };
            let value = if value.as_array().is_some_and(Vec::is_empty) {
                "—".to_owned()
            } else {
                detail_value(lang, value)
            };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn entry_view(ctx: &Ctx, row: AuditRow) -> EntryView {
    let kind = match AuditKind::parse(&row.kind) {
        Some(k) => ctx.lang.t(&format!("audit-kind-{}", k.code().replace('.', "-"))),
        None => row.kind.clone(),
    };
    EntryView {
        trail: ctx.lang.t(&format!("audit-trail-{}", row.trail.code())),
        seq: row.seq,
        at: ctx.lang.datetime(row.at),
        actor: row.actor.unwrap_or_else(|| "—".into()),
        kind,
        subject: row.subject.unwrap_or_default(),
        detail: detail_text(ctx.lang, &row.detail),
        client: row.client.unwrap_or_default(),
    }
}

/// `GET /admin/audit` (also as CSV or XLSX: the entries the filter selects, newest first, up to
/// [`EXPORT_LIMIT`]; the download itself is audited).
pub async fn browse(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::AuditTrail).await?;
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    let q = FormPairs::parse(query.as_bytes())?;
    let mut error = None;
    let mut filter = AuditFilter { limit: PAGE_SIZE, ..AuditFilter::default() };

    filter.kind = AuditKind::parse(q.get("kind"));
    let actor_text = q.get("actor").trim();
    if !actor_text.is_empty() {
        match Username::parse(actor_text) {
            Ok(name) => filter.actor = Some(name),
            Err(_) => error = Some(ctx.lang.t("audit-bad-actor")),
        }
    }
    match (parse_day(q.get("from")), parse_day(q.get("until"))) {
        (Ok(from), Ok(until)) => {
            filter.from = from;
            // "until" is inclusive: the whole day.
            filter.until = until.map(|u| u + time::Duration::days(1));
        }
        _ => error = Some(ctx.lang.t("audit-bad-date")),
    }
    filter.before = AuditCursor::parse(q.get("before")).unwrap_or_default();

    if let Some(format) = super::export::requested(&ctx).filter(|_| error.is_none()) {
        let whole = AuditFilter { limit: EXPORT_LIMIT, before: AuditCursor::default(), ..filter };
        let rows = su.store.audit_entries(&whole).await?;
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("audit-title"),
            headers: [
                "audit-trail",
                "audit-seq",
                "audit-when",
                "audit-actor",
                "audit-kind",
                "audit-subject",
                "audit-detail",
                "audit-client",
            ]
            .iter()
            .map(|k| lang.t(k))
            .collect(),
            rows: rows
                .into_iter()
                .map(|r| {
                    let e = entry_view(&ctx, r);
                    vec![e.trail, e.seq.to_string(), e.at, e.actor, e.kind, e.subject, e.detail, e.client]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, "audit", format, &table).await;
    }
    let rows = if error.is_none() { su.store.audit_entries(&filter).await? } else { Vec::new() };
    let next = filter.before.after(&rows);
    let entries: Vec<EntryView> = rows.into_iter().map(|r| entry_view(&ctx, r)).collect();
    let older = (entries.len() == PAGE_SIZE as usize).then(|| {
        let last = next.to_param();
        let mut params = form_urlencoded::Serializer::new(String::new());
        for name in ["kind", "actor", "from", "until"] {
            params.append_pair(name, q.get(name));
        }
        params.append_pair("before", &last);
        format!("/admin/audit?{}", params.finish())
    });
    let kinds = AuditKind::ALL
        .into_iter()
        .map(|k| KindOption {
            code: k.code(),
            label: ctx.lang.t(&format!("audit-kind-{}", k.code().replace('.', "-"))),
            selected: filter.kind == Some(k),
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render_status(
        status,
        &AuditPage {
            p: ctx.page("audit-title"),
            kinds,
            actor: actor_text.chars().take(64).collect(),
            from: q.get("from").chars().take(10).collect(),
            until: q.get("until").chars().take(10).collect(),
            entries,
            older,
            error,
            exports: super::export::links(&ctx),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_shown_translated() {
        let text =
            detail_text(Lang::Ru, r#"{"reason":"wrong-password","to":["lawyer","admin"],"from":[],"n":3}"#);
        assert_eq!(text, "было: —; n: 3; причина: неверный пароль; стало: Юрист, Администратор");
        assert_eq!(detail_text(Lang::En, "{}"), "");
        assert_eq!(detail_text(Lang::En, "not json"), "not json");
    }

    #[test]
    fn every_detail_key_and_value_is_translated() {
        for lang in Lang::ALL {
            for key in DETAIL_KEYS {
                assert!(lang.has(&format!("audit-detail-{key}")), "{key} in {lang}");
            }
            for value in DETAIL_VALUES {
                assert!(lang.has(&format!("audit-value-{value}")), "{value} in {lang}");
            }
        }
    }
}
