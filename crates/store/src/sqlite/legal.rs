//! Legal queries: the steps of proceedings (checked against their kind's state machine inside the
//! write transaction, so two lawyers cannot both move a proceeding from the same state), the
//! calendar of hearings and deadlines with its reminders, and the calendar feeds.

use ozodi_domain::UserId;
use ozodi_domain::case::{CaseId, CaseNumber};
use ozodi_domain::intake::NotificationKind;
use ozodi_domain::legal::{self, EntryId, EntryKind, Facts, Money, ProceedingKind, Proposal};
use ozodi_domain::record::RecordId;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

use super::{from_micros, micros};
use crate::legal::{
    CalendarEntry, CalendarQuery, EntryFields, EntryStatus, NewStep, ProceedingState, ProceedingStep,
};
use crate::{StoreError, StoreResult};

fn iso(date: Date) -> String {
    date.to_string()
}

fn parse_iso(text: &str) -> StoreResult<Date> {
    ozodi_domain::dates::parse_iso_day(text).ok_or(StoreError::Corrupt("proceeding_steps.decided_on"))
}

/// Writes the first step of a new proceeding: the state its kind starts in.
pub(super) async fn initial_step(
    conn: &mut SqliteConnection,
    proceeding: RecordId,
    kind: ProceedingKind,
    decided_on: Date,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO proceeding_steps (proceeding_id, seq, state, decided_on, by_user, at) \
         VALUES (?, 1, ?, ?, ?, ?)",
    )
    .bind(proceeding.to_string())
    .bind(kind.initial())
    .bind(iso(decided_on))
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

type StepRow = (i64, String, String, Option<String>, String, Option<String>, String, i64);

/// The steps of a proceeding, oldest first.
pub(super) async fn steps(
    conn: &mut SqliteConnection,
    proceeding: RecordId,
) -> StoreResult<Vec<ProceedingStep>> {
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT seq, state, decided_on, ground, note, document_id, by_user, at FROM proceeding_steps \
         WHERE proceeding_id = ? ORDER BY seq",
    )
    .bind(proceeding.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(seq, state, decided_on, ground, note, document, by, at)| {
            Ok(ProceedingStep {
                seq,
                state,
                decided_on: parse_iso(&decided_on)?,
                ground,
                note,
                document: document
                    .map(|d| RecordId::parse(&d).ok_or(StoreError::Corrupt("proceeding_steps.document_id")))
                    .transpose()?,
                by: UserId::parse(&by).ok_or(StoreError::Corrupt("proceeding_steps.by_user"))?,
                at: from_micros(at)?,
            })
        })
        .collect()
}

/// Where a proceeding stands, with the case it belongs to; `None` if there is no such live
/// proceeding.
pub(super) async fn state(
    conn: &mut SqliteConnection,
    proceeding: RecordId,
) -> StoreResult<Option<(CaseId, ProceedingState)>> {
    type Row = (String, Option<String>, Option<i64>, Option<String>, Option<i64>, i64);
    let row: Option<Row> = sqlx::query_as(
        "SELECT r.case_id, r.data ->> '$.proceeding_kind', r.data ->> '$.awarded', \
                (SELECT state FROM proceeding_steps WHERE proceeding_id = r.id ORDER BY seq DESC LIMIT 1), \
                (SELECT max(seq) FROM proceeding_steps WHERE proceeding_id = r.id), \
                (SELECT coalesce(sum(p.data ->> '$.amount'), 0) FROM record_refs f \
                   JOIN records p ON p.id = f.record_id \
                  WHERE f.target = r.id AND f.field = 'proceeding' AND p.kind = 'payment' \
                    AND p.deleted_at IS NULL) \
         FROM records r WHERE r.id = ? AND r.kind = 'proceeding' AND r.deleted_at IS NULL",
    )
    .bind(proceeding.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((case, kind, awarded, state, seq, paid)) = row else { return Ok(None) };
    let case = CaseId::parse(&case).ok_or(StoreError::Corrupt("records.case_id"))?;
    let kind = kind
        .as_deref()
        .and_then(ProceedingKind::parse)
        .ok_or(StoreError::Corrupt("records.proceeding_kind"))?;
    Ok(Some((
        case,
        ProceedingState {
            id: proceeding,
            kind,
            state: state.ok_or(StoreError::Corrupt("proceeding_steps"))?,
            seq: seq.unwrap_or(0),
            facts: Facts { awarded: awarded.map(Money), paid: Money(paid) },
        },
    )))
}

/// The current state of every proceeding of a case, by proceeding id.
pub(super) async fn states_of_case(
    conn: &mut SqliteConnection,
    case: CaseId,
) -> StoreResult<Vec<(RecordId, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.id, s.state FROM records r \
         JOIN proceeding_steps s ON s.proceeding_id = r.id \
          AND s.seq = (SELECT max(seq) FROM proceeding_steps WHERE proceeding_id = r.id) \
         WHERE r.case_id = ? AND r.kind = 'proceeding'",
    )
    .bind(case.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, state)| Ok((RecordId::parse(&id).ok_or(StoreError::Corrupt("records.id"))?, state)))
        .collect()
}

/// Records a step if the proceeding is still where the form saw it and its machine allows it.
/// Returns the step and the case.
pub(super) async fn add_step(
    conn: &mut SqliteConnection,
    step: &NewStep,
) -> StoreResult<(CaseId, ProceedingStep)> {
    let (case, current) = state(conn, step.proceeding).await?.ok_or(StoreError::NotFound)?;
    if current.seq != step.expected_seq {
        return Err(StoreError::Conflict);
    }
    let proposal = Proposal { ground: step.ground.as_deref(), note: &step.note };
    let to = legal::check_step(current.kind, &current.state, &step.to, current.facts, proposal)
        .map_err(StoreError::Step)?;
    if let Some(ground) = &step.ground {
        let live: Option<bool> = sqlx::query_scalar(
            "SELECT deprecated = 0 FROM vocab_terms WHERE list = 'decision_ground' AND code = ?",
        )
        .bind(ground)
        .fetch_optional(&mut *conn)
        .await?;
        if live != Some(true) {
            return Err(StoreError::Invalid("ground"));
        }
    }
    if let Some(document) = step.document {
        let ok: Option<bool> =
            sqlx::query_scalar("SELECT deleted_at IS NULL FROM evidence WHERE id = ? AND case_id = ?")
                .bind(document.to_string())
                .bind(case.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        if ok != Some(true) {
            return Err(StoreError::Invalid("document"));
        }
    }
    let seq = current.seq + 1;
    sqlx::query(
        "INSERT INTO proceeding_steps (proceeding_id, seq, state, decided_on, ground, note, document_id, \
         by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(step.proceeding.to_string())
    .bind(seq)
    .bind(to)
    .bind(iso(step.decided_on))
    .bind(&step.ground)
    .bind(&step.note)
    .bind(step.document.map(|d| d.to_string()))
    .bind(step.by.to_string())
    .bind(micros(step.at))
    .execute(&mut *conn)
    .await?;
    Ok((
        case,
        ProceedingStep {
            seq,
            state: to.to_owned(),
            decided_on: step.decided_on,
            ground: step.ground.clone(),
            note: step.note.clone(),
            document: step.document,
            by: step.by,
            at: step.at,
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------

macro_rules! entry_select {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.case_id, c.number_year, c.number_seq, e.proceeding_id, p.seq, e.kind, \
             e.starts_at, e.title, e.place, e.responsible, u.display_name, e.version, e.done_at, \
             e.cancelled_at FROM calendar_entries e JOIN cases c ON c.id = e.case_id \
             JOIN users u ON u.id = e.responsible LEFT JOIN records p ON p.id = e.proceeding_id ",
            $rest
        )
    };
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: String,
    case_id: String,
    number_year: i64,
    number_seq: i64,
    proceeding_id: Option<String>,
    seq: Option<i64>,
    kind: String,
    starts_at: i64,
    title: String,
    place: String,
    responsible: String,
    display_name: String,
    version: i64,
    done_at: Option<i64>,
    cancelled_at: Option<i64>,
}

impl EntryRow {
    fn into_entry(self) -> StoreResult<CalendarEntry> {
        let bad = StoreError::Corrupt;
        let proceeding = match (self.proceeding_id, self.seq) {
            (Some(id), Some(seq)) => Some((
                RecordId::parse(&id).ok_or(bad("calendar_entries.proceeding_id"))?,
                u32::try_from(seq).map_err(|_| bad("records.seq"))?,
            )),
            _ => None,
        };
        Ok(CalendarEntry {
            id: EntryId::parse(&self.id).ok_or(bad("calendar_entries.id"))?,
            case_id: CaseId::parse(&self.case_id).ok_or(bad("calendar_entries.case_id"))?,
            case_number: CaseNumber::new(
                i32::try_from(self.number_year).map_err(|_| bad("cases.number_year"))?,
                u32::try_from(self.number_seq).map_err(|_| bad("cases.number_seq"))?,
            )
            .ok_or(bad("cases.number_year"))?,
            proceeding,
            kind: EntryKind::parse(&self.kind).ok_or(bad("calendar_entries.kind"))?,
            starts_at: from_micros(self.starts_at)?,
            title: self.title,
            place: self.place,
            responsible: UserId::parse(&self.responsible).ok_or(bad("calendar_entries.responsible"))?,
            responsible_name: self.display_name,
            version: self.version,
            done_at: self.done_at.map(from_micros).transpose()?,
            cancelled_at: self.cancelled_at.map(from_micros).transpose()?,
        })
    }
}

/// One entry.
pub(super) async fn entry(conn: &mut SqliteConnection, id: EntryId) -> StoreResult<Option<CalendarEntry>> {
    let row: Option<EntryRow> = sqlx::query_as(entry_select!("WHERE e.id = ?"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(EntryRow::into_entry).transpose()
}

/// The entries a calendar shows, soonest first. Entries of tombstoned cases are never shown.
pub(super) async fn calendar(
    conn: &mut SqliteConnection,
    q: &CalendarQuery,
) -> StoreResult<Vec<CalendarEntry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(entry_select!(
        "WHERE e.starts_at >= ?1 AND e.starts_at < ?2 AND c.deleted_at IS NULL \
           AND (?3 OR (e.done_at IS NULL AND e.cancelled_at IS NULL)) \
           AND (?4 IS NULL OR e.case_id = ?4) \
           AND (?5 OR e.case_id IN (SELECT case_id FROM case_team WHERE user_id = ?6 AND removed_at IS NULL)) \
         ORDER BY e.starts_at, e.id LIMIT 2000"
    ))
    .bind(micros(q.from))
    .bind(micros(q.to))
    .bind(q.closed_too)
    .bind(q.case.map(|c| c.to_string()))
    .bind(q.all)
    .bind(q.user.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(EntryRow::into_entry).collect()
}

/// Checks an entry's fields against its case: a live case, a live proceeding of that case, a
/// responsible lawyer on its team.
async fn check_entry(conn: &mut SqliteConnection, case: CaseId, fields: &EntryFields) -> StoreResult<()> {
    let live: Option<bool> = sqlx::query_scalar("SELECT deleted_at IS NULL FROM cases WHERE id = ?")
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if live != Some(true) {
        return Err(StoreError::NotFound);
    }
    if let Some(proceeding) = fields.proceeding {
        let ok: Option<bool> = sqlx::query_scalar(
            "SELECT deleted_at IS NULL FROM records WHERE id = ? AND kind = 'proceeding' AND case_id = ?",
        )
        .bind(proceeding.to_string())
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?;
        if ok != Some(true) {
            return Err(StoreError::Invalid("proceeding"));
        }
    }
    let on_team: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM case_team t JOIN users u ON u.id = t.user_id \
         WHERE t.case_id = ? AND t.user_id = ? AND t.removed_at IS NULL AND u.disabled = 0",
    )
    .bind(case.to_string())
    .bind(fields.responsible.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if on_team.is_none() {
        return Err(StoreError::Invalid("responsible"));
    }
    Ok(())
}

/// Adds a hearing or deadline to a case.
pub(super) async fn create_entry(
    conn: &mut SqliteConnection,
    case: CaseId,
    fields: &EntryFields,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<EntryId> {
    check_entry(conn, case, fields).await?;
    let id = EntryId::new();
    sqlx::query(
        "INSERT INTO calendar_entries (id, case_id, proceeding_id, kind, starts_at, title, place, responsible, \
         version, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(id.to_string())
    .bind(case.to_string())
    .bind(fields.proceeding.map(|p| p.to_string()))
    .bind(fields.kind.code())
    .bind(micros(fields.starts_at))
    .bind(&fields.title)
    .bind(&fields.place)
    .bind(fields.responsible.to_string())
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Changes an open entry still at `expected_version`; a new time means a new reminder.
pub(super) async fn update_entry(
    conn: &mut SqliteConnection,
    id: EntryId,
    expected_version: i64,
    fields: &EntryFields,
) -> StoreResult<CaseId> {
    let current = entry(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.version != expected_version || current.done_at.is_some() || current.cancelled_at.is_some() {
        return Err(StoreError::Conflict);
    }
    check_entry(conn, current.case_id, fields).await?;
    sqlx::query(
        "UPDATE calendar_entries SET proceeding_id = ?1, kind = ?2, starts_at = ?3, title = ?4, place = ?5, \
         responsible = ?6, version = version + 1, \
         reminded = CASE WHEN starts_at = ?3 AND responsible = ?6 THEN reminded ELSE 0 END \
         WHERE id = ?7 AND version = ?8",
    )
    .bind(fields.proceeding.map(|p| p.to_string()))
    .bind(fields.kind.code())
    .bind(micros(fields.starts_at))
    .bind(&fields.title)
    .bind(&fields.place)
    .bind(fields.responsible.to_string())
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    Ok(current.case_id)
}

/// Marks an open entry done or cancelled.
pub(super) async fn set_entry_status(
    conn: &mut SqliteConnection,
    id: EntryId,
    expected_version: i64,
    status: EntryStatus,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<CaseId> {
    let current = entry(conn, id).await?.ok_or(StoreError::NotFound)?;
    let open = current.done_at.is_none() && current.cancelled_at.is_none();
    if current.version != expected_version || open == (status == EntryStatus::Open) {
        return Err(StoreError::Conflict);
    }
    let sql = match status {
        EntryStatus::Open => {
            // The reminder is due again if the entry still lies ahead.
            "UPDATE calendar_entries SET done_at = NULL, done_by = NULL, cancelled_at = NULL, cancelled_by = NULL, \
             reminded = 0, version = version + 1 WHERE id = ?3 AND ?1 IS NOT NULL AND ?2 IS NOT NULL"
        }
        EntryStatus::Done => {
            "UPDATE calendar_entries SET done_at = ?1, done_by = ?2, version = version + 1 WHERE id = ?3"
        }
        EntryStatus::Cancelled => {
            "UPDATE calendar_entries SET cancelled_at = ?1, cancelled_by = ?2, version = version + 1 WHERE id = ?3"
        }
    };
    sqlx::query(sql).bind(micros(at)).bind(by.to_string()).bind(id.to_string()).execute(&mut *conn).await?;
    Ok(current.case_id)
}

/// Reminds the responsible lawyer of every open entry that comes within
/// [`legal::REMIND_BEFORE`] of `now`, once per entry (and once more if its time is changed).
pub(super) async fn remind(conn: &mut SqliteConnection, now: OffsetDateTime) -> StoreResult<u64> {
    let due: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT e.id, e.responsible, e.kind FROM calendar_entries e JOIN cases c ON c.id = e.case_id \
         WHERE e.reminded = 0 AND e.done_at IS NULL AND e.cancelled_at IS NULL AND c.deleted_at IS NULL \
           AND e.starts_at <= ?",
    )
    .bind(micros(now + legal::REMIND_BEFORE))
    .fetch_all(&mut *conn)
    .await?;
    for (id, user, kind) in &due {
        let kind = match EntryKind::parse(kind) {
            Some(EntryKind::Hearing) => NotificationKind::Hearing,
            Some(EntryKind::Deadline) => NotificationKind::Deadline,
            None => return Err(StoreError::Corrupt("calendar_entries.kind")),
        };
        sqlx::query("UPDATE calendar_entries SET reminded = 1 WHERE id = ?")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO notifications (user_id, at, kind, entry_id) VALUES (?, ?, ?, ?)")
            .bind(user)
            .bind(micros(now))
            .bind(kind.code())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(due.len() as u64)
}

// ---------------------------------------------------------------------------------------------
// Feeds
// ---------------------------------------------------------------------------------------------

/// The active account a feed secret belongs to.
pub(super) async fn feed_user(conn: &mut SqliteConnection, token_hash: &[u8]) -> StoreResult<Option<UserId>> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id \
         WHERE f.token_hash = ? AND u.disabled = 0",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    found.map(|u| UserId::parse(&u).ok_or(StoreError::Corrupt("calendar_feeds.user_id"))).transpose()
}

/// Whether the user has a feed link, and since when.
pub(super) async fn feed_since(
    conn: &mut SqliteConnection,
    user: UserId,
) -> StoreResult<Option<OffsetDateTime>> {
    let at: Option<i64> = sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = ?")
        .bind(user.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    at.map(from_micros).transpose()
}

/// Replaces the user's feed secret (`Some`) or revokes it (`None`).
pub(super) async fn set_feed(
    conn: &mut SqliteConnection,
    user: UserId,
    token_hash: Option<&[u8]>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = ?")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    if let Some(hash) = token_hash {
        sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)")
            .bind(user.to_string())
            .bind(hash)
            .bind(micros(at))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
