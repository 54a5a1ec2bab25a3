//! Schema-driven records (events, acts, … and facilities): JSON values checked against their
//! schema, integrity of references and vocabulary codes checked inside the write transaction,
//! versions, tombstones.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::record::{Data, Kind, RecordId, Target};
use sqlx::{FromRow, SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::{Record, StoreError, StoreResult, Tombstone};

#[derive(FromRow)]
pub(super) struct Row {
    id: String,
    kind: String,
    case_id: Option<String>,
    seq: i64,
    data: String,
    version: i64,
    created_at: i64,
    deleted_at: Option<i64>,
    deleted_by: Option<String>,
    delete_reason: Option<String>,
}

macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT id, kind, case_id, seq, data, version, created_at, deleted_at, deleted_by, delete_reason ",
            "FROM records ",
            $tail
        )
    };
}

impl Row {
    pub(super) fn into_record(self) -> StoreResult<Record> {
        let kind = Kind::parse(&self.kind).ok_or(StoreError::Corrupt("records.kind"))?;
        let json: serde_json::Value =
            serde_json::from_str(&self.data).map_err(|_| StoreError::Corrupt("records.data"))?;
        let deleted = match self.deleted_at {
            Some(at) => Some(Tombstone {
                at: from_micros(at)?,
                by: self.deleted_by.as_deref().and_then(UserId::parse),
                reason: self.delete_reason.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(Record {
            id: RecordId::parse(&self.id).ok_or(StoreError::Corrupt("records.id"))?,
            kind,
            case_id: self
                .case_id
                .map(|c| CaseId::parse(&c).ok_or(StoreError::Corrupt("records.case_id")))
                .transpose()?,
            seq: u32::try_from(self.seq).map_err(|_| StoreError::Corrupt("records.seq"))?,
            data: Data::from_json(kind, &json),
            version: self.version,
            created_at: from_micros(self.created_at)?,
            deleted,
        })
    }
}

/// The version snapshot: the values plus the tombstone, if any.
fn snapshot(record: &Record) -> serde_json::Value {
    let mut json = record.data.to_json();
    if let (Some(map), Some(d)) = (json.as_object_mut(), &record.deleted) {
        map.insert("deleted".into(), serde_json::json!({ "reason": d.reason }));
    }
    json
}

async fn write_version(
    conn: &mut SqliteConnection,
    record: &Record,
    actor: UserId,
    at: OffsetDateTime,
    change: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO record_versions (entity, record_id, version, at, actor, change, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(record.kind.code())
    .bind(record.id.to_string())
    .bind(record.version)
    .bind(micros(at))
    .bind(actor.to_string())
    .bind(change)
    .bind(snapshot(record).to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Refuses references that point outside the case, at the wrong kind of record, or at a tombstoned
/// record (unless the previous version already held that exact reference); and vocabulary codes
/// that the list lacks, or that are deprecated (unless already there).
async fn check(
    conn: &mut SqliteConnection,
    kind: Kind,
    case: Option<CaseId>,
    data: &Data,
    previous: Option<&Data>,
) -> StoreResult<()> {
    let case = case.map(|c| c.to_string());
    for (field, target, id) in data.refs(kind) {
        let kept = previous.is_some_and(|p| p.text(field) == Some(id));
        let live: Option<bool> = match target {
            Target::Person => {
                sqlx::query_scalar("SELECT deleted_at IS NULL FROM persons WHERE id = ? AND case_id = ?")
                    .bind(id)
                    .bind(&case)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            Target::Event | Target::Act | Target::Proceeding | Target::Involvement => {
                let wanted = target.kind().map_or("", Kind::code);
                sqlx::query_scalar(
                    "SELECT deleted_at IS NULL FROM records WHERE id = ? AND kind = ? AND case_id = ?",
                )
                .bind(id)
                .bind(wanted)
                .bind(&case)
                .fetch_optional(&mut *conn)
                .await?
            }
            Target::Facility
            | Target::Visit
            | Target::VisitFinding
            | Target::UnDocument
            | Target::UnRecommendation
            | Target::Publication => {
                let wanted = target.kind().map_or("", Kind::code);
                sqlx::query_scalar(
                    "SELECT deleted_at IS NULL FROM records WHERE id = ? AND kind = ? AND case_id IS NULL",
                )
                .bind(id)
                .bind(wanted)
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        match live {
            Some(true) => {}
            Some(false) if kept => {}
            _ => return Err(StoreError::Invalid(field)),
        }
    }
    legal_rules(conn, kind, data, previous).await?;
    monitoring_rules(conn, kind, data).await?;
    // Every code of every field in one query: (field, list, code) in, deprecation state out.
    let mut wanted = Vec::new();
    for field in kind.fields() {
        let list = match field.ty {
            ozodi_domain::record::FieldType::Code(l) | ozodi_domain::record::FieldType::Codes(l) => l,
            _ => continue,
        };
        for code in data.codes(field.name) {
            wanted.push((field.name, list, code));
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let json = serde_json::Value::from(
        wanted.iter().map(|(_, list, code)| serde_json::json!([list, code])).collect::<Vec<_>>(),
    );
    let found: Vec<(i64, Option<bool>)> = sqlx::query_as(
        "SELECT j.key, v.deprecated = 1 FROM json_each(?) j \
         LEFT JOIN vocab_terms v ON v.list = j.value ->> 0 AND v.code = j.value ->> 1 ORDER BY j.key",
    )
    .bind(json.to_string())
    .fetch_all(&mut *conn)
    .await?;
    for ((field, _, code), (_, deprecated)) in wanted.iter().zip(&found) {
        let kept = previous.is_some_and(|p| p.codes(field).contains(code));
        match deprecated {
            Some(false) => {}
            Some(true) if kept => {}
            _ => return Err(StoreError::Invalid(field)),
        }
    }
    if found.len() != wanted.len() {
        return Err(StoreError::Corrupt("vocab_terms"));
    }
    Ok(())
}

/// The rules of the legal records that need the store: a proceeding keeps its kind (its state
/// history follows that kind's machine) and is not its own parent; a payment belongs to a civil
/// claim; an accused belongs to a criminal case.
async fn legal_rules(
    conn: &mut SqliteConnection,
    kind: Kind,
    data: &Data,
    previous: Option<&Data>,
) -> StoreResult<()> {
    use ozodi_domain::legal::ProceedingKind;
    if kind == Kind::Proceeding
        && let Some(previous) = previous
        && previous.text("proceeding_kind") != data.text("proceeding_kind")
    {
        return Err(StoreError::Invalid("proceeding_kind"));
    }
    let wanted = match kind {
        Kind::Payment => ProceedingKind::CivilClaim,
        Kind::Accused => ProceedingKind::CriminalCase,
        _ => return Ok(()),
    };
    let Some(id) = data.text("proceeding") else { return Ok(()) };
    let found: Option<String> = sqlx::query_scalar(
        "SELECT data ->> '$.proceeding_kind' FROM records WHERE id = ? AND kind = 'proceeding'",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    if found.as_deref() != Some(wanted.code()) {
        return Err(StoreError::Invalid("proceeding"));
    }
    Ok(())
}

/// The rules of the monitoring records that need the store: a visit's recommendation answers a
/// finding of the same visit.
async fn monitoring_rules(conn: &mut SqliteConnection, kind: Kind, data: &Data) -> StoreResult<()> {
    if kind != Kind::VisitRecommendation {
        return Ok(());
    }
    let Some(finding) = data.text("finding") else { return Ok(()) };
    let visit: Option<Option<String>> =
        sqlx::query_scalar("SELECT data ->> '$.visit' FROM records WHERE id = ? AND kind = 'visit_finding'")
            .bind(finding)
            .fetch_optional(&mut *conn)
            .await?;
    if visit.flatten().as_deref() != data.text("visit") {
        return Err(StoreError::Invalid("finding"));
    }
    Ok(())
}

/// Rewrites the derived index rows of a record.
async fn index(conn: &mut SqliteConnection, record: &Record) -> StoreResult<()> {
    let id = record.id.to_string();
    sqlx::query("DELETE FROM record_refs WHERE record_id = ?").bind(&id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM record_codes WHERE record_id = ?").bind(&id).execute(&mut *conn).await?;
    // One statement per table, whatever the number of rows.
    let refs: Vec<serde_json::Value> = record
        .data
        .refs(record.kind)
        .into_iter()
        .map(|(field, _, target)| serde_json::json!([field, target]))
        .collect();
    if !refs.is_empty() {
        sqlx::query(
            "INSERT INTO record_refs (record_id, field, target) \
             SELECT ?1, j.value ->> 0, j.value ->> 1 FROM json_each(?2) j",
        )
        .bind(&id)
        .bind(serde_json::Value::from(refs).to_string())
        .execute(&mut *conn)
        .await?;
    }
    let codes: Vec<serde_json::Value> = record
        .data
        .vocab_codes(record.kind)
        .into_iter()
        .map(|(list, code)| serde_json::json!([list, code]))
        .collect();
    if !codes.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO record_codes (record_id, list, code) \
             SELECT ?1, j.value ->> 0, j.value ->> 1 FROM json_each(?2) j",
        )
        .bind(&id)
        .bind(serde_json::Value::from(codes).to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The earliest and latest day a record's dates allow.
fn date_range(data: &Data) -> (Option<String>, Option<String>) {
    let start = ["initial_date", "intervention_date", "material_date", "payment_date"]
        .iter()
        .find_map(|n| data.date(n));
    let end = data.date("final_date").or(start);
    (start.or(end).map(|d| d.date().to_string()), end.map(|d| d.latest().to_string()))
}

pub(super) async fn create(
    conn: &mut SqliteConnection,
    kind: Kind,
    case: Option<CaseId>,
    data: &Data,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<Record> {
    if kind.in_registry() != case.is_none() {
        return Err(StoreError::NotFound);
    }
    if let Some(case) = case {
        let live: Option<bool> = sqlx::query_scalar("SELECT deleted_at IS NULL FROM cases WHERE id = ?")
            .bind(case.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        if live != Some(true) {
            return Err(StoreError::NotFound);
        }
    }
    check(conn, kind, case, data, None).await?;
    let seq: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM records WHERE kind = ?")
        .bind(kind.code())
        .fetch_one(&mut *conn)
        .await?;
    let record = Record {
        id: RecordId::new(),
        kind,
        case_id: case,
        seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt("records.seq"))?,
        data: data.clone(),
        version: 1,
        created_at: at,
        deleted: None,
    };
    let (from, to) = date_range(data);
    sqlx::query(
        "INSERT INTO records (id, kind, case_id, seq, data, date_from, date_to, version, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
    )
    .bind(record.id.to_string())
    .bind(kind.code())
    .bind(case.map(|c| c.to_string()))
    .bind(seq)
    .bind(data.to_json().to_string())
    .bind(from)
    .bind(to)
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    index(conn, &record).await?;
    write_version(conn, &record, actor, at, "created").await?;
    if kind == Kind::Proceeding {
        // A proceeding starts in its kind's initial state, as its first step.
        let proceeding = data
            .text("proceeding_kind")
            .and_then(ozodi_domain::legal::ProceedingKind::parse)
            .ok_or(StoreError::Invalid("proceeding_kind"))?;
        let day = data
            .date("initial_date")
            .map_or_else(|| at.to_offset(ozodi_domain::dates::DUSHANBE).date(), |d| d.date());
        super::legal::initial_step(conn, record.id, proceeding, day, actor, at).await?;
    }
    if kind == Kind::Visit {
        // A visit starts planned, as the first step of its course.
        let day = at.to_offset(ozodi_domain::dates::DUSHANBE).date();
        super::monitoring::initial_step(conn, record.id, day, actor, at).await?;
    }
    Ok(record)
}

pub(super) async fn load(conn: &mut SqliteConnection, id: RecordId) -> StoreResult<Option<Record>> {
    let row: Option<Row> =
        sqlx::query_as(select!("WHERE id = ?")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    row.map(Row::into_record).transpose()
}

pub(super) async fn get(pool: &SqlitePool, id: RecordId) -> StoreResult<Option<Record>> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

pub(super) async fn of_case(conn: &mut SqliteConnection, case: CaseId) -> StoreResult<Vec<Record>> {
    let rows: Vec<Row> =
        sqlx::query_as(select!("WHERE case_id = ? ORDER BY date_from IS NULL, date_from, kind, seq"))
            .bind(case.to_string())
            .fetch_all(&mut *conn)
            .await?;
    rows.into_iter().map(Row::into_record).collect()
}

/// Every record of a case (tombstoned ones too) in timeline order, and after them the facilities
/// any of them names, in registry order: the records part of a case file, in one statement.
pub(super) async fn of_case_with_facilities(
    conn: &mut SqliteConnection,
    case: CaseId,
) -> StoreResult<(Vec<Record>, Vec<Record>)> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT id, kind, case_id, seq, data, version, created_at, deleted_at, deleted_by, delete_reason, ",
        "0 AS part, date_from IS NULL AS undated, date_from AS since FROM records WHERE case_id = ?1 ",
        "UNION ALL ",
        // Driven from the case's references (CROSS JOIN fixes the order), not by scanning the
        // registry for ids in the list.
        "SELECT f.id, f.kind, f.case_id, f.seq, f.data, f.version, f.created_at, f.deleted_at, f.deleted_by, ",
        "f.delete_reason, 1, 0, NULL FROM (SELECT DISTINCT rr.target AS target FROM records r ",
        "JOIN record_refs rr ON rr.record_id = r.id WHERE r.case_id = ?1) named ",
        "CROSS JOIN records f ON f.id = named.target WHERE f.kind = 'facility' ",
        "ORDER BY part, undated, since, kind, seq"
    ))
    .bind(case.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut records = Vec::with_capacity(rows.len());
    let mut facilities = Vec::new();
    for row in rows {
        let record = row.into_record()?;
        if record.case_id.is_some() {
            records.push(record);
        } else {
            facilities.push(record);
        }
    }
    Ok((records, facilities))
}

/// Every record of one registry type (tombstoned ones too), in the order they were made.
pub(super) async fn registry(conn: &mut SqliteConnection, kind: Kind) -> StoreResult<Vec<Record>> {
    let rows: Vec<Row> = sqlx::query_as(select!("WHERE kind = ? AND case_id IS NULL ORDER BY seq"))
        .bind(kind.code())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(Row::into_record).collect()
}

/// The registry records of `kind` whose `field` names `target` (a visit's findings), in order.
pub(super) async fn referring(
    conn: &mut SqliteConnection,
    target: RecordId,
    kind: Kind,
    field: &str,
) -> StoreResult<Vec<Record>> {
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT r.id, r.kind, r.case_id, r.seq, r.data, r.version, r.created_at, r.deleted_at, r.deleted_by, ",
        "r.delete_reason FROM record_refs rr CROSS JOIN records r ON r.id = rr.record_id ",
        "WHERE rr.target = ? AND rr.field = ? AND r.kind = ? ORDER BY r.seq"
    ))
    .bind(target.to_string())
    .bind(field)
    .bind(kind.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(Row::into_record).collect()
}

pub(super) async fn update(
    conn: &mut SqliteConnection,
    id: RecordId,
    expected_version: i64,
    data: &Data,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<Record> {
    let current = load(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.version != expected_version || current.deleted.is_some() {
        return Err(StoreError::Conflict);
    }
    check(conn, current.kind, current.case_id, data, Some(&current.data)).await?;
    // No record is its own parent, previous visit or earlier recommendation.
    if let Some((field, _, _)) =
        data.refs(current.kind).into_iter().find(|(_, _, id)| *id == current.id.to_string().as_str())
    {
        return Err(StoreError::Invalid(field));
    }
    let record = Record { data: data.clone(), version: current.version + 1, ..current };
    let (from, to) = date_range(data);
    sqlx::query(
        "UPDATE records SET data = ?, date_from = ?, date_to = ?, version = ? WHERE id = ? AND version = ?",
    )
    .bind(data.to_json().to_string())
    .bind(from)
    .bind(to)
    .bind(record.version)
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    index(conn, &record).await?;
    write_version(conn, &record, actor, at, "updated").await?;
    Ok(record)
}

pub(super) async fn set_deleted(
    conn: &mut SqliteConnection,
    id: RecordId,
    reason: Option<&str>,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<Record> {
    let current = load(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.deleted.is_some() == reason.is_some() {
        return Err(StoreError::Conflict);
    }
    let deleted = reason.map(|r| Tombstone { at, by: Some(actor), reason: r.to_owned() });
    let record = Record { deleted, version: current.version + 1, ..current };
    sqlx::query(
        "UPDATE records SET deleted_at = ?, deleted_by = ?, delete_reason = ?, version = ? WHERE id = ?",
    )
    .bind(reason.map(|_| micros(at)))
    .bind(reason.map(|_| actor.to_string()))
    .bind(reason)
    .bind(record.version)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    write_version(conn, &record, actor, at, if reason.is_some() { "deleted" } else { "restored" }).await?;
    Ok(record)
}

/// Every live link to a person: which record names them in which field.
pub(super) async fn by_ids(conn: &mut SqliteConnection, ids: &[RecordId]) -> StoreResult<Vec<Record>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let rows: Vec<Row> = sqlx::query_as(select!("WHERE id IN (SELECT value FROM json_each(?))"))
        .bind(serde_json::Value::from(list).to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(Row::into_record).collect()
}
