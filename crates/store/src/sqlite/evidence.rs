//! Evidence metadata and chains of custody. The files themselves are sealed by `vault::blob`.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::record::RecordId;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use super::{from_micros, micros};
use crate::{CustodyEvent, Evidence, EvidenceCategory, StoreError, StoreResult, Tombstone};

/// Also read from a JSON array in column order (the case file reads several lists in one statement).
#[derive(FromRow, serde::Deserialize)]
pub(super) struct Row {
    id: String,
    case_id: String,
    seq: i64,
    title: String,
    description: String,
    compartment: String,
    category: String,
    original_filename: String,
    mime: String,
    size_bytes: i64,
    sha256: String,
    acquired_at: i64,
    acquired_by: Option<String>,
    deleted_at: Option<i64>,
    deleted_by: Option<String>,
    delete_reason: Option<String>,
}

macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT e.id, e.case_id, e.seq, e.title, e.description, e.compartment, e.category, e.original_filename, e.mime, ",
            "e.size_bytes, e.sha256, e.acquired_at, u.username AS acquired_by, e.deleted_at, e.deleted_by, ",
            "e.delete_reason FROM evidence e LEFT JOIN users u ON u.id = e.acquired_by ",
            $tail
        )
    };
}

impl Row {
    pub(super) fn into_item(self) -> StoreResult<Evidence> {
        let deleted = match self.deleted_at {
            Some(at) => Some(Tombstone {
                at: from_micros(at)?,
                by: self.deleted_by.as_deref().and_then(UserId::parse),
                reason: self.delete_reason.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(Evidence {
            id: RecordId::parse(&self.id).ok_or(StoreError::Corrupt("evidence.id"))?,
            case_id: CaseId::parse(&self.case_id).ok_or(StoreError::Corrupt("evidence.case_id"))?,
            seq: u32::try_from(self.seq).map_err(|_| StoreError::Corrupt("evidence.seq"))?,
            title: self.title,
            description: self.description,
            identity: self.compartment == "identity",
            category: EvidenceCategory::parse(&self.category)
                .ok_or(StoreError::Corrupt("evidence.category"))?,
            original_filename: self.original_filename,
            mime: self.mime,
            size: u64::try_from(self.size_bytes).map_err(|_| StoreError::Corrupt("evidence.size_bytes"))?,
            sha256: self.sha256,
            acquired_at: from_micros(self.acquired_at)?,
            acquired_by: self.acquired_by,
            deleted,
        })
    }
}

pub(super) async fn insert(
    conn: &mut SqliteConnection,
    item: &Evidence,
    actor: Option<UserId>,
) -> StoreResult<Evidence> {
    let live: Option<bool> = sqlx::query_scalar("SELECT deleted_at IS NULL FROM cases WHERE id = ?")
        .bind(item.case_id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if live != Some(true) {
        return Err(StoreError::NotFound);
    }
    let seq: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM evidence").fetch_one(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO evidence (id, case_id, seq, title, description, compartment, category, original_filename, \
         mime, size_bytes, sha256, acquired_at, acquired_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(item.id.to_string())
    .bind(item.case_id.to_string())
    .bind(seq)
    .bind(&item.title)
    .bind(&item.description)
    .bind(if item.identity { "identity" } else { "case" })
    .bind(item.category.code())
    .bind(&item.original_filename)
    .bind(&item.mime)
    .bind(i64::try_from(item.size).map_err(|_| StoreError::Corrupt("evidence.size_bytes"))?)
    .bind(&item.sha256)
    .bind(micros(item.acquired_at))
    .bind(actor.map(|a| a.to_string()))
    .execute(&mut *conn)
    .await?;
    let detail = serde_json::json!({ "sha256": item.sha256, "size": item.size });
    custody(conn, item.id, item.acquired_at, actor, "received", &detail).await?;
    Ok(Evidence { seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt("evidence.seq"))?, ..item.clone() })
}

pub(super) async fn custody(
    conn: &mut SqliteConnection,
    id: RecordId,
    at: time::OffsetDateTime,
    actor: Option<UserId>,
    action: &str,
    detail: &serde_json::Value,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO custody_events (evidence_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(id.to_string())
        .bind(micros(at))
        .bind(actor.map(|a| a.to_string()))
        .bind(action)
        .bind(detail.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(super) async fn get(pool: &SqlitePool, id: RecordId) -> StoreResult<Option<Evidence>> {
    let row: Option<Row> =
        sqlx::query_as(select!("WHERE e.id = ?")).bind(id.to_string()).fetch_optional(pool).await?;
    row.map(Row::into_item).transpose()
}

pub(super) async fn of_case(conn: &mut SqliteConnection, case: CaseId) -> StoreResult<Vec<Evidence>> {
    let rows: Vec<Row> = sqlx::query_as(select!("WHERE e.case_id = ? ORDER BY e.seq"))
        .bind(case.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(Row::into_item).collect()
}

pub(super) async fn all(pool: &SqlitePool) -> StoreResult<Vec<Evidence>> {
    let rows: Vec<Row> = sqlx::query_as(select!("ORDER BY e.seq")).fetch_all(pool).await?;
    rows.into_iter().map(Row::into_item).collect()
}

pub(super) async fn chain(pool: &SqlitePool, id: RecordId) -> StoreResult<Vec<CustodyEvent>> {
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT c.at, u.username, c.action, c.detail FROM custody_events c LEFT JOIN users u ON u.id = c.actor \
         WHERE c.evidence_id = ? ORDER BY c.seq",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(at, actor, action, detail)| {
            Ok(CustodyEvent {
                at: from_micros(at)?,
                actor,
                action,
                detail: serde_json::from_str(&detail)
                    .map_err(|_| StoreError::Corrupt("custody_events.detail"))?,
            })
        })
        .collect()
}

pub(super) async fn set_deleted(
    conn: &mut SqliteConnection,
    id: RecordId,
    reason: Option<&str>,
    actor: UserId,
    at: time::OffsetDateTime,
) -> StoreResult<CaseId> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT case_id, deleted_at FROM evidence WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let (case, deleted) = row.ok_or(StoreError::NotFound)?;
    if deleted.is_some() == reason.is_some() {
        return Err(StoreError::Conflict);
    }
    sqlx::query("UPDATE evidence SET deleted_at = ?, deleted_by = ?, delete_reason = ? WHERE id = ?")
        .bind(reason.map(|_| micros(at)))
        .bind(reason.map(|_| actor.to_string()))
        .bind(reason)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    CaseId::parse(&case).ok_or(StoreError::Corrupt("evidence.case_id"))
}
