//! Case queries: numbering, team, versions, tombstones.

use ozodi_domain::UserId;
use ozodi_domain::case::{CaseId, CaseNumber, CaseStatus};
use sqlx::{FromRow, SqliteConnection, SqlitePool};
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::{CaseFields, CaseRecord, RecordVersion, StoreError, StoreResult, TeamMember, Tombstone};

/// The entity name of cases in `record_versions`.
pub(super) const ENTITY: &str = "case";

#[derive(FromRow)]
struct CaseRow {
    id: String,
    number_year: i64,
    number_seq: i64,
    status: String,
    region: Option<String>,
    hotline: Option<String>,
    title: String,
    summary: String,
    lead_user: Option<String>,
    opened_at: i64,
    version: i64,
    deleted_at: Option<i64>,
    deleted_by: Option<String>,
    delete_reason: Option<String>,
}

macro_rules! select_cases {
    ($tail:literal) => {
        concat!(
            "SELECT id, number_year, number_seq, status, region, hotline, title, summary, lead_user, opened_at, ",
            "version, deleted_at, deleted_by, delete_reason FROM cases ",
            $tail
        )
    };
}

impl CaseRow {
    fn into_record(self) -> StoreResult<CaseRecord> {
        let user = |s: Option<String>| {
            s.map(|s| UserId::parse(&s).ok_or(StoreError::Corrupt("cases.user"))).transpose()
        };
        let number = CaseNumber::new(
            i32::try_from(self.number_year).map_err(|_| StoreError::Corrupt("cases.number_year"))?,
            u32::try_from(self.number_seq).map_err(|_| StoreError::Corrupt("cases.number_seq"))?,
        )
        .ok_or(StoreError::Corrupt("cases.number"))?;
        let deleted = match self.deleted_at {
            Some(at) => Some(Tombstone {
                at: from_micros(at)?,
                by: user(self.deleted_by)?,
                reason: self.delete_reason.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(CaseRecord {
            id: CaseId::parse(&self.id).ok_or(StoreError::Corrupt("cases.id"))?,
            number,
            fields: CaseFields {
                status: CaseStatus::parse(&self.status).ok_or(StoreError::Corrupt("cases.status"))?,
                region: self.region,
                hotline: self.hotline,
                title: self.title,
                summary: self.summary,
                lead: user(self.lead_user)?,
            },
            opened_at: from_micros(self.opened_at)?,
            version: self.version,
            deleted,
        })
    }
}

/// The JSON snapshot stored with each version.
fn snapshot(record: &CaseRecord) -> serde_json::Value {
    serde_json::json!({
        "number": record.number.to_string(),
        "status": record.fields.status.code(),
        "region": record.fields.region,
        "hotline": record.fields.hotline,
        "title": record.fields.title,
        "summary": record.fields.summary,
        "lead": record.fields.lead.map(|u| u.to_string()),
        "deleted": record.deleted.as_ref().map(|d| serde_json::json!({ "reason": d.reason })),
    })
}

async fn load(conn: &mut SqliteConnection, id: CaseId) -> StoreResult<Option<CaseRecord>> {
    let row: Option<CaseRow> =
        sqlx::query_as(select_cases!("WHERE id = ?")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    row.map(CaseRow::into_record).transpose()
}

async fn write_version(
    conn: &mut SqliteConnection,
    record: &CaseRecord,
    actor: UserId,
    at: OffsetDateTime,
    change: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO record_versions (entity, record_id, version, at, actor, change, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(ENTITY)
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

pub(super) async fn create(
    conn: &mut SqliteConnection,
    fields: &CaseFields,
    creator: UserId,
    at: OffsetDateTime,
) -> StoreResult<CaseRecord> {
    let year = at.to_offset(ozodi_domain::dates::DUSHANBE).year();
    let seq: i64 =
        sqlx::query_scalar("SELECT coalesce(max(number_seq), 0) + 1 FROM cases WHERE number_year = ?")
            .bind(year)
            .fetch_one(&mut *conn)
            .await?;
    let number =
        CaseNumber::new(year, u32::try_from(seq).map_err(|_| StoreError::Corrupt("cases.number_seq"))?)
            .ok_or(StoreError::Corrupt("cases.number"))?;
    let record = CaseRecord {
        id: CaseId::new(),
        number,
        fields: fields.clone(),
        opened_at: at,
        version: 1,
        deleted: None,
    };
    sqlx::query(
        "INSERT INTO cases (id, number_year, number_seq, status, region, hotline, title, summary, lead_user, \
         opened_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
    )
    .bind(record.id.to_string())
    .bind(year)
    .bind(seq)
    .bind(fields.status.code())
    .bind(&fields.region)
    .bind(&fields.hotline)
    .bind(&fields.title)
    .bind(&fields.summary)
    .bind(fields.lead.map(|u| u.to_string()))
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    add_member(conn, record.id, creator, true, creator, at).await?;
    if let Some(lead) = fields.lead.filter(|l| *l != creator) {
        add_member(conn, record.id, lead, true, creator, at).await?;
    }
    write_version(conn, &record, creator, at, "created").await?;
    Ok(record)
}

pub(super) async fn get(pool: &SqlitePool, id: CaseId) -> StoreResult<Option<CaseRecord>> {
    let row: Option<CaseRow> =
        sqlx::query_as(select_cases!("WHERE id = ?")).bind(id.to_string()).fetch_optional(pool).await?;
    row.map(CaseRow::into_record).transpose()
}

/// The cases with these rowids, in the order given (missing ones left out).
pub(super) async fn by_rowids(conn: &mut SqliteConnection, rowids: &[i64]) -> StoreResult<Vec<CaseRecord>> {
    if rowids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<CaseRow> = sqlx::query_as(select_cases!(
        "WHERE rowid IN (SELECT value FROM json_each(?1)) \
         ORDER BY (SELECT j.key FROM json_each(?1) j WHERE j.value = cases.rowid)"
    ))
    .bind(serde_json::Value::from(rowids.to_vec()).to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(CaseRow::into_record).collect()
}

pub(super) async fn visible(
    pool: &SqlitePool,
    user: UserId,
    all: bool,
    include_deleted: bool,
    limit: u32,
) -> StoreResult<Vec<CaseRecord>> {
    // Newest recorded first, read backwards from the end of the table or of the user's team list
    // in the search facets, so the page costs what it shows however many cases there are.
    let rows: Vec<CaseRow> = if all {
        sqlx::query_as(select_cases!("WHERE (?1 OR deleted_at IS NULL) ORDER BY rowid DESC LIMIT ?2"))
            .bind(include_deleted)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
    } else if !include_deleted {
        sqlx::query_as(select_cases!(
            "WHERE rowid IN (SELECT case_row FROM case_facet_rows WHERE fid = \
             (SELECT id FROM facet_values WHERE facet = 'team' AND value = ?1) \
             ORDER BY case_row DESC LIMIT ?2) ORDER BY rowid DESC"
        ))
        .bind(user.to_string())
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
    } else {
        sqlx::query_as(select_cases!(
            "WHERE id IN (SELECT case_id FROM case_team WHERE user_id = ?1 AND removed_at IS NULL) \
             ORDER BY rowid DESC LIMIT ?2"
        ))
        .bind(user.to_string())
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
    };
    rows.into_iter().map(CaseRow::into_record).collect()
}

pub(super) async fn update(
    conn: &mut SqliteConnection,
    id: CaseId,
    expected_version: i64,
    fields: &CaseFields,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let current = load(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.version != expected_version || current.deleted.is_some() {
        return Err(StoreError::Conflict);
    }
    let record = CaseRecord { fields: fields.clone(), version: current.version + 1, ..current };
    sqlx::query(
        "UPDATE cases SET status = ?, region = ?, hotline = ?, title = ?, summary = ?, lead_user = ?, version = ? \
         WHERE id = ? AND version = ?",
    )
    .bind(fields.status.code())
    .bind(&fields.region)
    .bind(&fields.hotline)
    .bind(&fields.title)
    .bind(&fields.summary)
    .bind(fields.lead.map(|u| u.to_string()))
    .bind(record.version)
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    write_version(conn, &record, actor, at, "updated").await?;
    Ok(record.version)
}

pub(super) async fn set_deleted(
    conn: &mut SqliteConnection,
    id: CaseId,
    tombstone: Option<&str>,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let current = load(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.deleted.is_some() == tombstone.is_some() {
        return Err(StoreError::Conflict);
    }
    let deleted = tombstone.map(|reason| Tombstone { at, by: Some(actor), reason: reason.to_owned() });
    let record = CaseRecord { deleted, version: current.version + 1, ..current };
    sqlx::query(
        "UPDATE cases SET deleted_at = ?, deleted_by = ?, delete_reason = ?, version = ? WHERE id = ?",
    )
    .bind(tombstone.map(|_| micros(at)))
    .bind(tombstone.map(|_| actor.to_string()))
    .bind(tombstone)
    .bind(record.version)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    let change = if tombstone.is_some() { "deleted" } else { "restored" };
    write_version(conn, &record, actor, at, change).await?;
    Ok(record.version)
}

#[derive(FromRow)]
struct MemberRow {
    user_id: String,
    username: String,
    identity_access: bool,
    added_at: i64,
}

/// A case and its team in one query (the team as a JSON array of `[user, username, identity
/// access, added at]`).
/// The current team of the case in the row, as the JSON list [`team_from_json`] reads.
macro_rules! team_json {
    () => {
        concat!(
            "(SELECT json_group_array(json_array(t.user_id, u.username, t.identity_access, t.added_at)) ",
            "FROM (SELECT ct.user_id, ct.identity_access, ct.added_at FROM case_team ct ",
            "WHERE ct.case_id = cases.id AND ct.removed_at IS NULL) t JOIN users u ON u.id = t.user_id)"
        )
    };
}

pub(super) async fn with_team(
    conn: &mut SqliteConnection,
    id: CaseId,
) -> StoreResult<Option<(CaseRecord, Vec<TeamMember>)>> {
    #[derive(FromRow)]
    struct WithTeam {
        #[sqlx(flatten)]
        case: CaseRow,
        team: String,
    }
    let row: Option<WithTeam> = sqlx::query_as(concat!(
        "SELECT id, number_year, number_seq, status, region, hotline, title, summary, lead_user, opened_at, ",
        "version, deleted_at, deleted_by, delete_reason, ",
        team_json!(),
        " AS team FROM cases WHERE id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((row.case.into_record()?, team_from_json(&row.team)?)))
}

/// A case's whole file in two statements: the case with its team, persons and evidence (as JSON
/// lists in columns), then its records and the facilities they name.
pub(super) async fn file(conn: &mut SqliteConnection, id: CaseId) -> StoreResult<Option<crate::CaseFile>> {
    #[derive(FromRow)]
    struct Head {
        #[sqlx(flatten)]
        case: CaseRow,
        team: String,
        persons: String,
        evidence: String,
        contacts: String,
        evaluations: String,
    }
    let row: Option<Head> = sqlx::query_as(concat!(
        "SELECT id, number_year, number_seq, status, region, hotline, title, summary, lead_user, opened_at, ",
        "version, deleted_at, deleted_by, delete_reason, ",
        team_json!(),
        " AS team, ",
        "(SELECT json_group_array(json_array(p.id, p.case_id, p.pseudonym_seq, p.counting_unit, p.sex, ",
        "p.birth_year, p.version)) FROM persons p WHERE p.case_id = cases.id AND p.deleted_at IS NULL) AS persons, ",
        "(SELECT json_group_array(json_array(e.id, e.case_id, e.seq, e.title, e.description, e.compartment, ",
        "e.category, e.original_filename, e.mime, e.size_bytes, e.sha256, e.acquired_at, u.username, ",
        "e.deleted_at, e.deleted_by, e.delete_reason)) FROM evidence e LEFT JOIN users u ON u.id = e.acquired_by ",
        "WHERE e.case_id = cases.id) AS evidence, ",
        "(SELECT json_group_array(json_array(c.id, c.seq, c.channel, c.received_at)) FROM contacts c ",
        "WHERE c.case_id = cases.id) AS contacts, ",
        "(SELECT json_group_array(json_array(v.id, v.seq, v.state, v.data ->> '$.subject', v.shared_at IS NOT NULL, ",
        "v.sha256, a.seq)) FROM evaluations v LEFT JOIN evaluations a ON a.id = v.amends ",
        "WHERE v.case_id = cases.id) AS evaluations ",
        "FROM cases WHERE id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let team = team_from_json(&row.team)?;
    // json_group_array keeps no particular order: sorted here.
    let persons: Vec<super::persons::PersonRow> =
        serde_json::from_str(&row.persons).map_err(|_| StoreError::Corrupt("persons"))?;
    let mut persons =
        persons.into_iter().map(super::persons::PersonRow::into_record).collect::<StoreResult<Vec<_>>>()?;
    persons.sort_by_key(|p| p.pseudonym.0);
    let evidence: Vec<super::evidence::Row> =
        serde_json::from_str(&row.evidence).map_err(|_| StoreError::Corrupt("evidence"))?;
    let mut evidence =
        evidence.into_iter().map(super::evidence::Row::into_item).collect::<StoreResult<Vec<_>>>()?;
    evidence.sort_by_key(|e| e.seq);
    let contacts: Vec<(String, i64, String, i64)> =
        serde_json::from_str(&row.contacts).map_err(|_| StoreError::Corrupt("contacts"))?;
    let mut contacts = contacts
        .into_iter()
        .map(|(id, seq, channel, received)| {
            Ok(crate::intake::ContactLink {
                id: ozodi_domain::intake::ContactId::parse(&id).ok_or(StoreError::Corrupt("contacts.id"))?,
                seq,
                channel: ozodi_domain::intake::Channel::parse(&channel)
                    .ok_or(StoreError::Corrupt("contacts.channel"))?,
                received_at: super::from_micros(received)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    contacts.sort_by_key(|c| c.seq);
    // Only what lists an evaluation: no medical content.
    type EvaluationRow = (String, i64, String, Option<String>, i64, Option<String>, Option<i64>);
    let evaluations: Vec<EvaluationRow> =
        serde_json::from_str(&row.evaluations).map_err(|_| StoreError::Corrupt("evaluations"))?;
    let mut evaluations = evaluations
        .into_iter()
        .map(|(id, seq, state, subject, shared, sha256, amends)| {
            Ok(crate::ip::EvaluationSummary {
                id: ozodi_domain::ip::EvaluationId::parse(&id)
                    .ok_or(StoreError::Corrupt("evaluations.id"))?,
                seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt("evaluations.seq"))?,
                state,
                subject,
                // JSON has no boolean from SQLite: 0 or 1.
                shared: shared != 0,
                sha256,
                amends: amends.and_then(|a| u32::try_from(a).ok()),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    evaluations.sort_by_key(|e| e.seq);
    let (records, facilities) = super::records::of_case_with_facilities(conn, id).await?;
    Ok(Some(crate::CaseFile {
        case: row.case.into_record()?,
        team,
        records,
        facilities,
        persons,
        evidence,
        contacts,
        evaluations,
    }))
}

/// The team as the JSON list of `[user_id, username, identity_access, added_at]` the queries
/// aggregate, ordered by user name.
fn team_from_json(json: &str) -> StoreResult<Vec<TeamMember>> {
    let members: Vec<(String, String, i64, i64)> =
        serde_json::from_str(json).map_err(|_| StoreError::Corrupt("case_team"))?;
    let mut team = members
        .into_iter()
        .map(|(user, username, identity_access, added_at)| {
            Ok(TeamMember {
                user: UserId::parse(&user).ok_or(StoreError::Corrupt("case_team.user_id"))?,
                username,
                identity_access: identity_access != 0,
                added_at: from_micros(added_at)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    // json_group_array keeps no particular order.
    team.sort_by(|a, b| a.username.cmp(&b.username));
    Ok(team)
}

pub(super) async fn team(pool: &SqlitePool, id: CaseId) -> StoreResult<Vec<TeamMember>> {
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT case_team.user_id, users.username, case_team.identity_access, case_team.added_at \
         FROM case_team JOIN users ON users.id = case_team.user_id \
         WHERE case_team.case_id = ? AND case_team.removed_at IS NULL ORDER BY users.username",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TeamMember {
                user: UserId::parse(&r.user_id).ok_or(StoreError::Corrupt("case_team.user_id"))?,
                username: r.username,
                identity_access: r.identity_access,
                added_at: from_micros(r.added_at)?,
            })
        })
        .collect()
}

async fn end_membership(
    conn: &mut SqliteConnection,
    id: CaseId,
    user: UserId,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE case_team SET removed_at = ?, removed_by = ? WHERE case_id = ? AND user_id = ? AND removed_at IS NULL",
    )
    .bind(micros(at))
    .bind(by.to_string())
    .bind(id.to_string())
    .bind(user.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Adds a member; a current membership is ended first, so changing identity access keeps the
/// history of who could see names when.
pub(super) async fn add_member(
    conn: &mut SqliteConnection,
    id: CaseId,
    user: UserId,
    identity_access: bool,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    end_membership(conn, id, user, by, at).await?;
    let result = sqlx::query(
        "INSERT INTO case_team (case_id, user_id, identity_access, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(identity_access)
    .bind(micros(at))
    .bind(by.to_string())
    .execute(&mut *conn)
    .await;
    match result {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(StoreError::NotFound),
        other => other.map(|_| ()).map_err(StoreError::from),
    }
}

pub(super) async fn remove_member(
    conn: &mut SqliteConnection,
    id: CaseId,
    user: UserId,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    if end_membership(conn, id, user, by, at).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

#[derive(FromRow)]
struct VersionRow {
    version: i64,
    at: i64,
    actor: Option<String>,
    change: String,
    data: String,
}

pub(super) async fn versions(
    pool: &SqlitePool,
    entity: &str,
    record: &str,
) -> StoreResult<Vec<RecordVersion>> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT v.version, v.at, u.username AS actor, v.change, v.data FROM record_versions v \
         LEFT JOIN users u ON u.id = v.actor WHERE v.entity = ? AND v.record_id = ? ORDER BY v.version",
    )
    .bind(entity)
    .bind(record)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RecordVersion {
                version: r.version,
                at: from_micros(r.at)?,
                actor: r.actor,
                change: r.change,
                data: serde_json::from_str(&r.data)
                    .map_err(|_| StoreError::Corrupt("record_versions.data"))?,
            })
        })
        .collect()
}
