//! Intake queries: lines and their staff, contacts (caller details sealed with the identity key),
//! alerts and their log, tasks, notifications, web reports and the figures. Every change that
//! fans out (an urgent contact notifies the people its alert goes to) does so in the change's own
//! transaction.

use ozodi_domain::case::CaseId;
use ozodi_domain::intake::{
    AlertId, AlertStep, CallerDetails, CallerRole, Channel, CloseReason, ContactId, ContactStatus, LineCode,
    NotificationKind, TaskId,
};
use ozodi_domain::vocab::Labels;
use ozodi_domain::{Role, UserId};
use ozodi_vault::field::FieldCipher;
use sqlx::{FromRow, SqliteConnection};
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::intake::{
    Alert, AlertLogEntry, Contact, IntakeFigures, IntakeSnapshot, Line, NewContact, NewTask, Notification,
    OpenAlert, ReportMessage, Task,
};
use crate::{StoreError, StoreResult};

fn user_id(text: &str, column: &'static str) -> StoreResult<UserId> {
    UserId::parse(text).ok_or(StoreError::Corrupt(column))
}

fn opt_user(text: Option<String>, column: &'static str) -> StoreResult<Option<UserId>> {
    text.map(|t| user_id(&t, column)).transpose()
}

fn json_list(text: &str, column: &'static str) -> StoreResult<Vec<String>> {
    serde_json::from_str(text).map_err(|_| StoreError::Corrupt(column))
}

// ---------------------------------------------------------------------------------------------
// Lines and staff
// ---------------------------------------------------------------------------------------------

#[derive(FromRow)]
struct LineRow {
    code: String,
    label_ru: String,
    label_tg: String,
    label_en: String,
    numbers: String,
    regions: String,
    active: bool,
    position: i64,
    version: i64,
}

#[derive(FromRow)]
struct OpenAlertRow {
    id: String,
    contact: String,
    seq: i64,
    line: Option<String>,
    region: Option<String>,
    in_custody: bool,
    raised: i64,
    escalated: Option<i64>,
}

/// Reads what [`IntakeSnapshot`] holds.
pub(super) async fn snapshot(conn: &mut SqliteConnection) -> StoreResult<IntakeSnapshot> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT code, label_ru, label_tg, label_en, numbers, regions, active, position, version \
         FROM hotline_lines ORDER BY position, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        lines.push(Line {
            code: LineCode::parse(&r.code).ok_or(StoreError::Corrupt("hotline_lines.code"))?,
            labels: Labels { en: r.label_en, ru: r.label_ru, tg: r.label_tg },
            numbers: json_list(&r.numbers, "hotline_lines.numbers")?,
            regions: json_list(&r.regions, "hotline_lines.regions")?,
            active: r.active,
            position: r.position,
            version: r.version,
        });
    }
    let staff_rows: Vec<(String, String)> =
        sqlx::query_as("SELECT line, user_id FROM line_staff WHERE removed_at IS NULL ORDER BY added_at")
            .fetch_all(&mut *conn)
            .await?;
    let mut staff = Vec::with_capacity(staff_rows.len());
    for (line, user) in staff_rows {
        staff.push((
            LineCode::parse(&line).ok_or(StoreError::Corrupt("line_staff.line"))?,
            user_id(&user, "line_staff.user_id")?,
        ));
    }
    let alert_rows: Vec<OpenAlertRow> = sqlx::query_as(
        "SELECT alerts.id AS id, contacts.id AS contact, contacts.seq AS seq, contacts.line AS line, \
             contacts.region AS region, contacts.in_custody AS in_custody, alerts.raised_at AS raised, \
             alerts.escalated_at AS escalated FROM alerts JOIN contacts ON contacts.id = alerts.contact_id \
             WHERE alerts.acknowledged_at IS NULL ORDER BY alerts.raised_at",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut open_alerts = Vec::with_capacity(alert_rows.len());
    for OpenAlertRow { id, contact, seq, line, region, in_custody, raised, escalated } in alert_rows {
        open_alerts.push(OpenAlert {
            id: AlertId::parse(&id).ok_or(StoreError::Corrupt("alerts.id"))?,
            contact: ContactId::parse(&contact).ok_or(StoreError::Corrupt("contacts.id"))?,
            contact_seq: seq,
            line: line
                .map(|l| LineCode::parse(&l).ok_or(StoreError::Corrupt("contacts.line")))
                .transpose()?,
            region,
            in_custody,
            raised_at: from_micros(raised)?,
            escalated_at: escalated.map(from_micros).transpose()?,
        });
    }
    Ok(IntakeSnapshot { lines, staff, open_alerts })
}

/// Creates (`expected_version` 0) or updates a line.
pub(super) async fn save_line(
    conn: &mut SqliteConnection,
    line: &Line,
    expected_version: i64,
) -> StoreResult<i64> {
    let numbers = serde_json::to_string(&line.numbers).map_err(|_| StoreError::Corrupt("numbers"))?;
    let regions = serde_json::to_string(&line.regions).map_err(|_| StoreError::Corrupt("regions"))?;
    if expected_version == 0 {
        let position: i64 = sqlx::query_scalar("SELECT coalesce(max(position), 0) + 1 FROM hotline_lines")
            .fetch_one(&mut *conn)
            .await?;
        let done = sqlx::query(
            "INSERT INTO hotline_lines (code, label_ru, label_tg, label_en, numbers, regions, active, position, \
             version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (code) DO NOTHING",
        )
        .bind(line.code.as_str())
        .bind(&line.labels.ru)
        .bind(&line.labels.tg)
        .bind(&line.labels.en)
        .bind(&numbers)
        .bind(&regions)
        .bind(line.active)
        .bind(position)
        .execute(&mut *conn)
        .await?;
        return if done.rows_affected() == 1 { Ok(1) } else { Err(StoreError::Conflict) };
    }
    let done = sqlx::query(
        "UPDATE hotline_lines SET label_ru = ?, label_tg = ?, label_en = ?, numbers = ?, regions = ?, active = ?, \
         version = version + 1 WHERE code = ? AND version = ?",
    )
    .bind(&line.labels.ru)
    .bind(&line.labels.tg)
    .bind(&line.labels.en)
    .bind(&numbers)
    .bind(&regions)
    .bind(line.active)
    .bind(line.code.as_str())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 { Ok(expected_version + 1) } else { Err(StoreError::Conflict) }
}

/// Adds `user` to a line's staff or removes them; `Ok(false)` when nothing changed.
pub(super) async fn set_staff(
    conn: &mut SqliteConnection,
    line: &LineCode,
    user: UserId,
    member: bool,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<bool> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM hotline_lines WHERE code = ?")
        .bind(line.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let done = if member {
        sqlx::query(
            "INSERT INTO line_staff (line, user_id, added_at, added_by) \
             SELECT ?, id, ?, ? FROM users WHERE id = ? AND disabled = 0 \
             AND NOT EXISTS (SELECT 1 FROM line_staff WHERE line = ? AND user_id = ? AND removed_at IS NULL)",
        )
        .bind(line.as_str())
        .bind(micros(at))
        .bind(actor.to_string())
        .bind(user.to_string())
        .bind(line.as_str())
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE line_staff SET removed_at = ?, removed_by = ? WHERE line = ? AND user_id = ? AND removed_at IS NULL",
        )
        .bind(micros(at))
        .bind(actor.to_string())
        .bind(line.as_str())
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

/// The contact columns [`ContactRow`] reads, from `contacts`, followed by a fixed tail.
macro_rules! select_contacts {
    ($tail:literal) => {
        concat!(
            "SELECT ",
            "id, seq, line, channel, received_at, caller_role, region, summary, in_custody, ",
            "at_risk, consent_record, consent_act, follow_up, details IS NOT NULL AS has_details, status, close_reason, ",
            "close_note, case_id, assigned_to, created_by, handled_at, handled_by, version, ",
            "EXISTS (SELECT 1 FROM web_reports WHERE web_reports.contact_id = contacts.id) AS web_report",
            " FROM contacts ",
            $tail
        )
    };
}

#[derive(FromRow)]
struct ContactRow {
    id: String,
    seq: i64,
    line: Option<String>,
    channel: String,
    received_at: i64,
    caller_role: String,
    region: Option<String>,
    summary: String,
    in_custody: bool,
    at_risk: bool,
    consent_record: bool,
    consent_act: bool,
    follow_up: bool,
    has_details: bool,
    status: String,
    close_reason: Option<String>,
    close_note: Option<String>,
    case_id: Option<String>,
    assigned_to: Option<String>,
    created_by: Option<String>,
    handled_at: Option<i64>,
    handled_by: Option<String>,
    version: i64,
    web_report: bool,
}

impl ContactRow {
    fn into_contact(self) -> StoreResult<Contact> {
        let handled = match (self.handled_at, self.handled_by) {
            (Some(at), Some(by)) => Some((from_micros(at)?, user_id(&by, "contacts.handled_by")?)),
            _ => None,
        };
        Ok(Contact {
            id: ContactId::parse(&self.id).ok_or(StoreError::Corrupt("contacts.id"))?,
            seq: self.seq,
            fields: NewContact {
                line: self
                    .line
                    .map(|l| LineCode::parse(&l).ok_or(StoreError::Corrupt("contacts.line")))
                    .transpose()?,
                channel: Channel::parse(&self.channel).ok_or(StoreError::Corrupt("contacts.channel"))?,
                received_at: from_micros(self.received_at)?,
                caller_role: CallerRole::parse(&self.caller_role)
                    .ok_or(StoreError::Corrupt("contacts.caller_role"))?,
                region: self.region,
                summary: self.summary,
                in_custody: self.in_custody,
                at_risk: self.at_risk,
                consent_record: self.consent_record,
                consent_act: self.consent_act,
                follow_up: self.follow_up,
            },
            has_details: self.has_details,
            status: ContactStatus::parse(&self.status).ok_or(StoreError::Corrupt("contacts.status"))?,
            close_reason: self
                .close_reason
                .map(|r| CloseReason::parse(&r).ok_or(StoreError::Corrupt("contacts.close_reason")))
                .transpose()?,
            close_note: self.close_note,
            case: self
                .case_id
                .map(|c| CaseId::parse(&c).ok_or(StoreError::Corrupt("contacts.case_id")))
                .transpose()?,
            assigned_to: opt_user(self.assigned_to, "contacts.assigned_to")?,
            created_by: opt_user(self.created_by, "contacts.created_by")?,
            handled,
            web_report: self.web_report,
            version: self.version,
        })
    }
}

/// The people an urgent contact's alert goes to: active coordinators, and active lawyers on the
/// staff of the contact's line or of a line covering its region.
async fn alert_recipients(
    conn: &mut SqliteConnection,
    line: Option<&LineCode>,
    region: Option<&str>,
) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT users.id FROM users JOIN user_roles ON user_roles.user_id = users.id \
         WHERE users.disabled = 0 AND (user_roles.role = ? OR (user_roles.role = ? AND EXISTS ( \
           SELECT 1 FROM line_staff JOIN hotline_lines ON hotline_lines.code = line_staff.line \
           WHERE line_staff.user_id = users.id AND line_staff.removed_at IS NULL \
           AND (line_staff.line = ? OR EXISTS (SELECT 1 FROM json_each(hotline_lines.regions) WHERE value = ?))))) \
         ORDER BY users.id",
    )
    .bind(Role::Coordinator.code())
    .bind(Role::Lawyer.code())
    .bind(line.map(LineCode::as_str))
    .bind(region)
    .fetch_all(&mut *conn)
    .await?)
}

async fn coordinators(conn: &mut SqliteConnection) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT users.id FROM users JOIN user_roles ON user_roles.user_id = users.id \
         WHERE users.disabled = 0 AND user_roles.role = ? ORDER BY users.id",
    )
    .bind(Role::Coordinator.code())
    .fetch_all(&mut *conn)
    .await?)
}

async fn notify(
    conn: &mut SqliteConnection,
    users: &[String],
    kind: NotificationKind,
    contact: Option<ContactId>,
    task: Option<TaskId>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    for user in users {
        sqlx::query(
            "INSERT INTO notifications (user_id, at, kind, contact_id, task_id) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user)
        .bind(micros(at))
        .bind(kind.code())
        .bind(contact.map(|c| c.to_string()))
        .bind(task.map(|t| t.to_string()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn alert_log(
    conn: &mut SqliteConnection,
    alert: AlertId,
    user: Option<UserId>,
    step: AlertStep,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO alert_log (alert_id, at, user_id, step) VALUES (?, ?, ?, ?)")
        .bind(alert.to_string())
        .bind(micros(at))
        .bind(user.map(|u| u.to_string()))
        .bind(step.code())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Logs a contact: seals the caller's details, raises the alert of an urgent one and notifies
/// the people it goes to. Returns the contact and, if raised, its alert.
pub(super) async fn create(
    conn: &mut SqliteConnection,
    cipher: &FieldCipher,
    fields: &NewContact,
    details: &CallerDetails,
    actor: Option<UserId>,
    at: OffsetDateTime,
) -> StoreResult<(Contact, Option<AlertId>)> {
    if let Some(line) = &fields.line {
        let active: Option<bool> = sqlx::query_scalar("SELECT active FROM hotline_lines WHERE code = ?")
            .bind(line.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        if active != Some(true) {
            return Err(StoreError::Invalid("line"));
        }
    }
    if !details.is_empty() && !fields.consent_record {
        return Err(StoreError::Invalid("details"));
    }
    let seq: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM contacts").fetch_one(&mut *conn).await?;
    let id = ContactId::new();
    let sealed = if details.is_empty() {
        None
    } else {
        let json = zeroize::Zeroizing::new(
            serde_json::to_string(details).map_err(|_| StoreError::Corrupt("caller details"))?,
        );
        Some(cipher.seal(&id.to_string(), "caller", &json).map_err(|_| StoreError::Corrupt("caller seal"))?)
    };
    sqlx::query(
        "INSERT INTO contacts (id, seq, line, channel, received_at, caller_role, region, summary, in_custody, \
         at_risk, consent_record, consent_act, follow_up, details, status, created_by, created_at, version) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, 1)",
    )
    .bind(id.to_string())
    .bind(seq)
    .bind(fields.line.as_ref().map(LineCode::as_str))
    .bind(fields.channel.code())
    .bind(micros(fields.received_at))
    .bind(fields.caller_role.code())
    .bind(&fields.region)
    .bind(&fields.summary)
    .bind(fields.in_custody)
    .bind(fields.at_risk)
    .bind(fields.consent_record)
    .bind(fields.consent_act)
    .bind(fields.follow_up)
    .bind(sealed.as_deref())
    .bind(actor.map(|a| a.to_string()))
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    let alert = if fields.in_custody || fields.at_risk {
        let alert = AlertId::new();
        sqlx::query("INSERT INTO alerts (id, contact_id, raised_at) VALUES (?, ?, ?)")
            .bind(alert.to_string())
            .bind(id.to_string())
            .bind(micros(at))
            .execute(&mut *conn)
            .await?;
        alert_log(conn, alert, actor, AlertStep::Raised, at).await?;
        let to = alert_recipients(conn, fields.line.as_ref(), fields.region.as_deref()).await?;
        notify(conn, &to, NotificationKind::Alert, Some(id), None, at).await?;
        Some(alert)
    } else {
        None
    };
    let contact = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    Ok((contact, alert))
}

/// A contact by id.
pub(super) async fn get(conn: &mut SqliteConnection, id: ContactId) -> StoreResult<Option<Contact>> {
    let row: Option<ContactRow> = sqlx::query_as(select_contacts!("WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(ContactRow::into_contact).transpose()
}

/// Contacts not yet handled, oldest first: of one line, of no line (`Some(None)`), or of all.
pub(super) async fn queue(
    conn: &mut SqliteConnection,
    line: Option<Option<&LineCode>>,
    limit: u32,
) -> StoreResult<Vec<Contact>> {
    let rows: Vec<ContactRow> = match line {
        Some(Some(code)) => {
            sqlx::query_as(select_contacts!(
                "WHERE status = 'new' AND line = ? \
                 ORDER BY received_at, seq LIMIT ?"
            ))
            .bind(code.as_str())
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        Some(None) => {
            sqlx::query_as(select_contacts!(
                "WHERE status = 'new' AND line IS NULL \
                 ORDER BY received_at, seq LIMIT ?"
            ))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query_as(select_contacts!("WHERE status = 'new' ORDER BY received_at, seq LIMIT ?"))
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.into_iter().map(ContactRow::into_contact).collect()
}

/// Contacts assigned to `user` and not yet handled, oldest first.
pub(super) async fn assigned_to(conn: &mut SqliteConnection, user: UserId) -> StoreResult<Vec<Contact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(select_contacts!(
        "WHERE status = 'new' AND assigned_to = ? ORDER BY received_at, seq"
    ))
    .bind(user.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(ContactRow::into_contact).collect()
}

/// Contacts linked to a case.
pub(super) async fn of_case(conn: &mut SqliteConnection, case: CaseId) -> StoreResult<Vec<Contact>> {
    let rows: Vec<ContactRow> = sqlx::query_as(select_contacts!("WHERE case_id = ? ORDER BY seq"))
        .bind(case.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(ContactRow::into_contact).collect()
}

/// Opens the sealed caller details (the caller already wrote the audit entry in this transaction).
pub(super) async fn open_details(
    conn: &mut SqliteConnection,
    cipher: &FieldCipher,
    id: ContactId,
) -> StoreResult<CallerDetails> {
    let sealed: Option<Option<Vec<u8>>> = sqlx::query_scalar("SELECT details FROM contacts WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(sealed) = sealed.ok_or(StoreError::NotFound)? else { return Ok(CallerDetails::default()) };
    let json = cipher
        .open(&id.to_string(), "caller", &sealed)
        .map_err(|_| StoreError::Corrupt("contacts.details"))?;
    serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("contacts.details"))
}

/// Writes the contact's version row (what it looks like after a change).
async fn version_row(
    conn: &mut SqliteConnection,
    contact: &Contact,
    change: &str,
    actor: Option<UserId>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let data = serde_json::json!({
        "line": contact.fields.line.as_ref().map(LineCode::as_str),
        "status": contact.status.code(),
        "close_reason": contact.close_reason.map(CloseReason::code),
        "close_note": contact.close_note,
        "case": contact.case.map(|c| c.to_string()),
        "assigned_to": contact.assigned_to.map(|u| u.to_string()),
    });
    sqlx::query(
        "INSERT INTO record_versions (entity, record_id, version, at, actor, change, data) VALUES ('contact', ?, ?, ?, ?, ?, ?)",
    )
    .bind(contact.id.to_string())
    .bind(contact.version)
    .bind(micros(at))
    .bind(actor.map(|a| a.to_string()))
    .bind(change)
    .bind(data.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the first version of a new contact.
pub(super) async fn first_version(
    conn: &mut SqliteConnection,
    contact: &Contact,
    actor: Option<UserId>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    version_row(conn, contact, "created", actor, at).await
}

/// How triage ended, as stored.
pub(super) enum Outcome<'a> {
    /// A case was opened from the contact.
    Opened(CaseId),
    /// The contact was linked to an existing case.
    Linked(CaseId),
    /// Closed with a reason and a note.
    Closed(CloseReason, &'a str),
}

/// Triage: the contact, still `new` and at `expected_version`, gets its outcome. Returns the new
/// version.
pub(super) async fn set_outcome(
    conn: &mut SqliteConnection,
    id: ContactId,
    expected_version: i64,
    outcome: Outcome<'_>,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let (status, case, close) = match outcome {
        Outcome::Opened(case) => (ContactStatus::CaseOpened, Some(case), None),
        Outcome::Linked(case) => (ContactStatus::Linked, Some(case), None),
        Outcome::Closed(reason, note) => (ContactStatus::Closed, None, Some((reason, note))),
    };
    if let Some(case) = case {
        let live: Option<i64> = sqlx::query_scalar("SELECT 1 FROM cases WHERE id = ? AND deleted_at IS NULL")
            .bind(case.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        if live.is_none() {
            return Err(StoreError::Invalid("case"));
        }
    }
    let done = sqlx::query(
        "UPDATE contacts SET status = ?, case_id = ?, close_reason = ?, close_note = ?, handled_at = ?, \
         handled_by = ?, version = version + 1 WHERE id = ? AND version = ? AND status = 'new'",
    )
    .bind(status.code())
    .bind(case.map(|c| c.to_string()))
    .bind(close.map(|(r, _)| r.code()))
    .bind(close.map(|(_, n)| n.to_owned()).filter(|n| !n.is_empty()))
    .bind(micros(at))
    .bind(actor.to_string())
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(if get(conn, id).await?.is_some() { StoreError::Conflict } else { StoreError::NotFound });
    }
    // Triage is the contact being handled: an open alert is acknowledged by it.
    acknowledge_open(conn, id, actor, at).await?;
    let contact = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    version_row(conn, &contact, "triaged", Some(actor), at).await?;
    Ok(contact.version)
}

/// Assigns the contact (at `expected_version`) to `user`, or to nobody; notifies the assignee.
pub(super) async fn assign(
    conn: &mut SqliteConnection,
    id: ContactId,
    expected_version: i64,
    user: Option<UserId>,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    if let Some(user) = user {
        let active: Option<bool> = sqlx::query_scalar("SELECT disabled = 0 FROM users WHERE id = ?")
            .bind(user.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        if active != Some(true) {
            return Err(StoreError::Invalid("assignee"));
        }
    }
    let done = sqlx::query(
        "UPDATE contacts SET assigned_to = ?, version = version + 1 WHERE id = ? AND version = ?",
    )
    .bind(user.map(|u| u.to_string()))
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(if get(conn, id).await?.is_some() { StoreError::Conflict } else { StoreError::NotFound });
    }
    if let Some(user) = user.filter(|u| *u != actor) {
        notify(conn, &[user.to_string()], NotificationKind::Assignment, Some(id), None, at).await?;
    }
    let contact = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    version_row(conn, &contact, "assigned", Some(actor), at).await?;
    Ok(contact.version)
}

/// Hands the contact (at `expected_version`) to another line's team: it moves to that line's
/// queue; the new line's staff are notified as for an assignment.
pub(super) async fn move_to_line(
    conn: &mut SqliteConnection,
    id: ContactId,
    expected_version: i64,
    line: &LineCode,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let active: Option<bool> = sqlx::query_scalar("SELECT active FROM hotline_lines WHERE code = ?")
        .bind(line.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if active != Some(true) {
        return Err(StoreError::Invalid("line"));
    }
    let done =
        sqlx::query("UPDATE contacts SET line = ?, version = version + 1 WHERE id = ? AND version = ?")
            .bind(line.as_str())
            .bind(id.to_string())
            .bind(expected_version)
            .execute(&mut *conn)
            .await?;
    if done.rows_affected() != 1 {
        return Err(if get(conn, id).await?.is_some() { StoreError::Conflict } else { StoreError::NotFound });
    }
    let staff: Vec<String> = sqlx::query_scalar(
        "SELECT line_staff.user_id FROM line_staff JOIN users ON users.id = line_staff.user_id \
         WHERE line_staff.line = ? AND line_staff.removed_at IS NULL AND users.disabled = 0 AND users.id != ?",
    )
    .bind(line.as_str())
    .bind(actor.to_string())
    .fetch_all(&mut *conn)
    .await?;
    notify(conn, &staff, NotificationKind::Assignment, Some(id), None, at).await?;
    let contact = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    version_row(conn, &contact, "moved", Some(actor), at).await?;
    Ok(contact.version)
}

// ---------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------

/// The alert of a contact, with its log.
pub(super) async fn alert_of(conn: &mut SqliteConnection, contact: ContactId) -> StoreResult<Option<Alert>> {
    type AlertRow = (String, i64, Option<i64>, Option<String>, Option<i64>);
    let row: Option<AlertRow> = sqlx::query_as(
        "SELECT id, raised_at, acknowledged_at, acknowledged_by, escalated_at FROM alerts WHERE contact_id = ?",
    )
    .bind(contact.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, raised, ack_at, ack_by, escalated)) = row else { return Ok(None) };
    let log_rows: Vec<(i64, Option<String>, String)> =
        sqlx::query_as("SELECT at, user_id, step FROM alert_log WHERE alert_id = ? ORDER BY at, rowid")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
    let mut log = Vec::with_capacity(log_rows.len());
    for (at, user, step) in log_rows {
        log.push(AlertLogEntry {
            at: from_micros(at)?,
            user: opt_user(user, "alert_log.user_id")?,
            step: AlertStep::parse(&step).ok_or(StoreError::Corrupt("alert_log.step"))?,
        });
    }
    let acknowledged = match (ack_at, ack_by) {
        (Some(at), Some(by)) => Some((from_micros(at)?, user_id(&by, "alerts.acknowledged_by")?)),
        _ => None,
    };
    Ok(Some(Alert {
        id: AlertId::parse(&id).ok_or(StoreError::Corrupt("alerts.id"))?,
        contact,
        raised_at: from_micros(raised)?,
        acknowledged,
        escalated_at: escalated.map(from_micros).transpose()?,
        log,
    }))
}

/// Records that `user` saw these alerts (once per user and alert).
pub(super) async fn mark_seen(
    conn: &mut SqliteConnection,
    user: UserId,
    alerts: &[AlertId],
    at: OffsetDateTime,
) -> StoreResult<()> {
    for alert in alerts {
        sqlx::query("INSERT OR IGNORE INTO alert_log (alert_id, at, user_id, step) VALUES (?, ?, ?, 'seen')")
            .bind(alert.to_string())
            .bind(micros(at))
            .bind(user.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The alerts `user` has seen, among `alerts`.
pub(super) async fn seen_by(conn: &mut SqliteConnection, user: UserId) -> StoreResult<Vec<AlertId>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT alert_log.alert_id FROM alert_log JOIN alerts ON alerts.id = alert_log.alert_id \
         WHERE alerts.acknowledged_at IS NULL AND alert_log.user_id = ? AND alert_log.step = 'seen'",
    )
    .bind(user.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| AlertId::parse(r).ok_or(StoreError::Corrupt("alert_log.alert_id"))).collect()
}

async fn acknowledge_open(
    conn: &mut SqliteConnection,
    contact: ContactId,
    user: UserId,
    at: OffsetDateTime,
) -> StoreResult<Option<AlertId>> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM alerts WHERE contact_id = ? AND acknowledged_at IS NULL")
            .bind(contact.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let Some(id) = id else { return Ok(None) };
    let alert = AlertId::parse(&id).ok_or(StoreError::Corrupt("alerts.id"))?;
    sqlx::query("UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?")
        .bind(micros(at))
        .bind(user.to_string())
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    alert_log(conn, alert, Some(user), AlertStep::Acknowledged, at).await?;
    Ok(Some(alert))
}

/// Acknowledges the open alert of a contact; `Conflict` when it is no longer open.
pub(super) async fn acknowledge(
    conn: &mut SqliteConnection,
    contact: ContactId,
    user: UserId,
    at: OffsetDateTime,
) -> StoreResult<AlertId> {
    acknowledge_open(conn, contact, user, at).await?.ok_or(StoreError::Conflict)
}

/// Escalates every open alert raised at or before `cutoff` and not yet escalated; notifies the
/// coordinators. Returns the escalated alerts with their contacts.
pub(super) async fn escalate(
    conn: &mut SqliteConnection,
    cutoff: OffsetDateTime,
    now: OffsetDateTime,
) -> StoreResult<Vec<(AlertId, ContactId)>> {
    let due: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, contact_id FROM alerts WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND raised_at <= ? \
         ORDER BY raised_at",
    )
    .bind(micros(cutoff))
    .fetch_all(&mut *conn)
    .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let to = coordinators(conn).await?;
    let mut escalated = Vec::with_capacity(due.len());
    for (id, contact) in due {
        let alert = AlertId::parse(&id).ok_or(StoreError::Corrupt("alerts.id"))?;
        let contact = ContactId::parse(&contact).ok_or(StoreError::Corrupt("alerts.contact_id"))?;
        sqlx::query("UPDATE alerts SET escalated_at = ? WHERE id = ?")
            .bind(micros(now))
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        alert_log(conn, alert, None, AlertStep::Escalated, now).await?;
        notify(conn, &to, NotificationKind::Escalation, Some(contact), None, now).await?;
        escalated.push((alert, contact));
    }
    Ok(escalated)
}

// ---------------------------------------------------------------------------------------------
// Tasks and notifications
// ---------------------------------------------------------------------------------------------

/// The task columns [`TaskRow`] reads.
macro_rules! task_columns {
    () => {
        "id, contact_id, case_id, title, due_at, assigned_to, created_by, created_at, done_at, done_by"
    };
}

#[derive(FromRow)]
struct TaskRow {
    id: String,
    contact_id: Option<String>,
    case_id: Option<String>,
    title: String,
    due_at: i64,
    assigned_to: String,
    created_by: String,
    created_at: i64,
    done_at: Option<i64>,
    done_by: Option<String>,
}

impl TaskRow {
    fn into_task(self) -> StoreResult<Task> {
        let done = match (self.done_at, self.done_by) {
            (Some(at), Some(by)) => Some((from_micros(at)?, user_id(&by, "tasks.done_by")?)),
            _ => None,
        };
        Ok(Task {
            id: TaskId::parse(&self.id).ok_or(StoreError::Corrupt("tasks.id"))?,
            fields: NewTask {
                contact: self
                    .contact_id
                    .map(|c| ContactId::parse(&c).ok_or(StoreError::Corrupt("tasks.contact_id")))
                    .transpose()?,
                case: self
                    .case_id
                    .map(|c| CaseId::parse(&c).ok_or(StoreError::Corrupt("tasks.case_id")))
                    .transpose()?,
                title: self.title,
                due_at: from_micros(self.due_at)?,
                assigned_to: user_id(&self.assigned_to, "tasks.assigned_to")?,
                created_by: user_id(&self.created_by, "tasks.created_by")?,
                created_at: from_micros(self.created_at)?,
            },
            done,
        })
    }
}

/// Creates a task and notifies its assignee (unless they gave it to themselves).
pub(super) async fn create_task(conn: &mut SqliteConnection, task: &NewTask) -> StoreResult<TaskId> {
    let active: Option<bool> = sqlx::query_scalar("SELECT disabled = 0 FROM users WHERE id = ?")
        .bind(task.assigned_to.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if active != Some(true) {
        return Err(StoreError::Invalid("assignee"));
    }
    let id = TaskId::new();
    sqlx::query(concat!(
        "INSERT INTO tasks (",
        task_columns!(),
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)"
    ))
    .bind(id.to_string())
    .bind(task.contact.map(|c| c.to_string()))
    .bind(task.case.map(|c| c.to_string()))
    .bind(&task.title)
    .bind(micros(task.due_at))
    .bind(task.assigned_to.to_string())
    .bind(task.created_by.to_string())
    .bind(micros(task.created_at))
    .execute(&mut *conn)
    .await?;
    if task.assigned_to != task.created_by {
        notify(
            conn,
            &[task.assigned_to.to_string()],
            NotificationKind::Task,
            task.contact,
            Some(id),
            task.created_at,
        )
        .await?;
    }
    Ok(id)
}

/// A task by id.
pub(super) async fn task(conn: &mut SqliteConnection, id: TaskId) -> StoreResult<Option<Task>> {
    let row: Option<TaskRow> =
        sqlx::query_as(concat!("SELECT ", task_columns!(), " FROM tasks WHERE id = ?"))
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    row.map(TaskRow::into_task).transpose()
}

/// Open tasks of `user`, soonest due first (so the overdue ones lead).
pub(super) async fn open_tasks_of(conn: &mut SqliteConnection, user: UserId) -> StoreResult<Vec<Task>> {
    let rows: Vec<TaskRow> = sqlx::query_as(concat!(
        "SELECT ",
        task_columns!(),
        " FROM tasks WHERE assigned_to = ? AND done_at IS NULL ORDER BY due_at, id"
    ))
    .bind(user.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(TaskRow::into_task).collect()
}

/// Tasks following up a contact, open ones first.
pub(super) async fn tasks_of_contact(
    conn: &mut SqliteConnection,
    contact: ContactId,
) -> StoreResult<Vec<Task>> {
    let rows: Vec<TaskRow> = sqlx::query_as(concat!(
        "SELECT ",
        task_columns!(),
        " FROM tasks WHERE contact_id = ? ORDER BY done_at IS NOT NULL, due_at, id"
    ))
    .bind(contact.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(TaskRow::into_task).collect()
}

/// Marks a task done; `Conflict` if it already is.
pub(super) async fn complete_task(
    conn: &mut SqliteConnection,
    id: TaskId,
    user: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE tasks SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL")
        .bind(micros(at))
        .bind(user.to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Conflict) }
}

/// Notifies the assignee of every open task that fell due by `now` and was not noticed yet.
pub(super) async fn notice_due_tasks(conn: &mut SqliteConnection, now: OffsetDateTime) -> StoreResult<u64> {
    let due: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, assigned_to, contact_id FROM tasks WHERE done_at IS NULL AND due_noticed = 0 AND due_at <= ?",
    )
    .bind(micros(now))
    .fetch_all(&mut *conn)
    .await?;
    for (id, user, contact) in &due {
        let task = TaskId::parse(id).ok_or(StoreError::Corrupt("tasks.id"))?;
        let contact = contact
            .as_deref()
            .map(|c| ContactId::parse(c).ok_or(StoreError::Corrupt("tasks.contact_id")))
            .transpose()?;
        sqlx::query("UPDATE tasks SET due_noticed = 1 WHERE id = ?").bind(id).execute(&mut *conn).await?;
        notify(conn, std::slice::from_ref(user), NotificationKind::TaskDue, contact, Some(task), now).await?;
    }
    Ok(due.len() as u64)
}

/// The newest notifications of `user`.
pub(super) async fn notifications(
    conn: &mut SqliteConnection,
    user: UserId,
    limit: u32,
) -> StoreResult<Vec<Notification>> {
    type NotificationRow =
        (i64, i64, String, Option<String>, Option<String>, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, n.at, n.kind, n.contact_id, n.task_id, n.read_at, n.entry_id, e.case_id \
         FROM notifications n LEFT JOIN calendar_entries e ON e.id = n.entry_id WHERE n.user_id = ? \
         ORDER BY n.id DESC LIMIT ?",
    )
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, at, kind, contact, task, read, entry, case) in rows {
        let entry = match (entry, case) {
            (Some(e), Some(c)) => Some((
                ozodi_domain::legal::EntryId::parse(&e)
                    .ok_or(StoreError::Corrupt("notifications.entry_id"))?,
                CaseId::parse(&c).ok_or(StoreError::Corrupt("calendar_entries.case_id"))?,
            )),
            _ => None,
        };
        out.push(Notification {
            id,
            at: from_micros(at)?,
            kind: NotificationKind::parse(&kind).ok_or(StoreError::Corrupt("notifications.kind"))?,
            contact: contact
                .map(|c| ContactId::parse(&c).ok_or(StoreError::Corrupt("notifications.contact_id")))
                .transpose()?,
            task: task
                .map(|t| TaskId::parse(&t).ok_or(StoreError::Corrupt("notifications.task_id")))
                .transpose()?,
            entry,
            read_at: read.map(from_micros).transpose()?,
        });
    }
    Ok(out)
}

/// Open tasks, of them overdue at `now`, and unread notifications of `user`, in one statement.
pub(super) async fn work_summary(
    conn: &mut SqliteConnection,
    user: UserId,
    now: OffsetDateTime,
) -> StoreResult<(i64, i64, i64)> {
    let user = user.to_string();
    Ok(sqlx::query_as(
        "SELECT (SELECT count(*) FROM tasks WHERE assigned_to = ?1 AND done_at IS NULL), \
         (SELECT count(*) FROM tasks WHERE assigned_to = ?1 AND done_at IS NULL AND due_at < ?2), \
         (SELECT count(*) FROM notifications WHERE user_id = ?1 AND read_at IS NULL)",
    )
    .bind(&user)
    .bind(micros(now))
    .fetch_one(&mut *conn)
    .await?)
}

/// How many notifications `user` has not read.
pub(super) async fn unread(conn: &mut SqliteConnection, user: UserId) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL")
        .bind(user.to_string())
        .fetch_one(&mut *conn)
        .await?)
}

/// Marks every notification of `user` read.
pub(super) async fn mark_read(
    conn: &mut SqliteConnection,
    user: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
        .bind(micros(at))
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Web reports
// ---------------------------------------------------------------------------------------------

/// Records the receipt of a web report (hashes only) and its files.
pub(super) async fn create_report(
    conn: &mut SqliteConnection,
    contact: ContactId,
    report: &crate::intake::WebReport<'_>,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO web_reports (contact_id, receipt_hash, secret_hash) VALUES (?, ?, ?)")
        .bind(contact.to_string())
        .bind(report.receipt_hash)
        .bind(report.secret_hash)
        .execute(&mut *conn)
        .await?;
    for (seq, file) in (1i64..).zip(report.files) {
        sqlx::query(
            "INSERT INTO report_files (contact_id, seq, media_type, size, sha256, original, working, working_sha256) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(contact.to_string())
        .bind(seq)
        .bind(&file.media_type)
        .bind(i64::try_from(file.original.len()).map_err(|_| StoreError::Invalid("file"))?)
        .bind(&file.sha256)
        .bind(&file.original)
        .bind(file.working.as_ref().map(|(bytes, _)| bytes.as_slice()))
        .bind(file.working.as_ref().map(|(_, sha)| sha.as_slice()))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The files of a report, without their bytes.
pub(super) async fn files(
    conn: &mut SqliteConnection,
    contact: ContactId,
) -> StoreResult<Vec<crate::intake::ReportFile>> {
    type FileRow = (i64, String, i64, Vec<u8>, Option<i64>, Option<Vec<u8>>);
    let rows: Vec<FileRow> = sqlx::query_as(
        "SELECT seq, media_type, size, sha256, length(working), working_sha256 FROM report_files \
         WHERE contact_id = ? ORDER BY seq",
    )
    .bind(contact.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(seq, media_type, size, sha256, working_size, working_sha)| crate::intake::ReportFile {
            seq,
            media_type,
            size,
            sha256,
            working: working_size.zip(working_sha),
        })
        .collect())
}

/// One file's type and bytes (the original or the working copy).
pub(super) async fn file(
    conn: &mut SqliteConnection,
    contact: ContactId,
    seq: i64,
    original: bool,
) -> StoreResult<Option<(String, Vec<u8>)>> {
    let row: Option<(String, Option<Vec<u8>>)> = if original {
        sqlx::query_as("SELECT media_type, original FROM report_files WHERE contact_id = ? AND seq = ?")
            .bind(contact.to_string())
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?
    } else {
        sqlx::query_as("SELECT media_type, working FROM report_files WHERE contact_id = ? AND seq = ?")
            .bind(contact.to_string())
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?
    };
    Ok(row.and_then(|(mime, bytes)| bytes.map(|b| (mime, b))))
}

/// The report with this receipt hash: its contact and the hash of its secret.
pub(super) async fn report_by_receipt(
    conn: &mut SqliteConnection,
    receipt_hash: &[u8],
) -> StoreResult<Option<(ContactId, Vec<u8>)>> {
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT contact_id, secret_hash FROM web_reports WHERE receipt_hash = ?")
            .bind(receipt_hash)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(c, s)| Ok((ContactId::parse(&c).ok_or(StoreError::Corrupt("web_reports.contact_id"))?, s)))
        .transpose()
}

/// The messages of a report, oldest first.
pub(super) async fn messages(
    conn: &mut SqliteConnection,
    contact: ContactId,
) -> StoreResult<Vec<ReportMessage>> {
    let rows: Vec<(i64, bool, Option<String>, String)> = sqlx::query_as(
        "SELECT at, from_sender, author, body FROM report_messages WHERE contact_id = ? ORDER BY id",
    )
    .bind(contact.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(at, from_sender, author, body)| {
            Ok(ReportMessage {
                at: from_micros(at)?,
                from_sender,
                author: opt_user(author, "report_messages.author")?,
                body,
            })
        })
        .collect()
}

/// Adds a message. One from the sender notifies whoever the contact is assigned to, or else the
/// staff of its line, or else the coordinators.
pub(super) async fn add_message(
    conn: &mut SqliteConnection,
    contact: ContactId,
    author: Option<UserId>,
    body: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let report: Option<i64> = sqlx::query_scalar("SELECT 1 FROM web_reports WHERE contact_id = ?")
        .bind(contact.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if report.is_none() {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO report_messages (contact_id, at, from_sender, author, body) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(contact.to_string())
    .bind(micros(at))
    .bind(author.is_none())
    .bind(author.map(|a| a.to_string()))
    .bind(body)
    .execute(&mut *conn)
    .await?;
    if author.is_none() {
        let c = get(conn, contact).await?.ok_or(StoreError::NotFound)?;
        let mut to: Vec<String> = c.assigned_to.map(|u| vec![u.to_string()]).unwrap_or_default();
        if to.is_empty()
            && let Some(line) = &c.fields.line
        {
            to = sqlx::query_scalar(
                "SELECT line_staff.user_id FROM line_staff JOIN users ON users.id = line_staff.user_id \
                     WHERE line_staff.line = ? AND line_staff.removed_at IS NULL AND users.disabled = 0",
            )
            .bind(line.as_str())
            .fetch_all(&mut *conn)
            .await?;
        }
        if to.is_empty() {
            to = coordinators(conn).await?;
        }
        notify(conn, &to, NotificationKind::ReportMessage, Some(contact), None, at).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

/// Contacts in a period counted by one expression, most frequent first.
macro_rules! counts_by {
    ($conn:expr, $expression:literal, $from:expr, $to:expr) => {
        sqlx::query_as::<_, (String, i64)>(concat!(
            "SELECT ",
            $expression,
            " AS k, count(*) FROM contacts WHERE received_at >= ? AND received_at < ? GROUP BY k ORDER BY count(*) DESC, k"
        ))
        .bind($from)
        .bind($to)
        .fetch_all(&mut *$conn)
    };
}

/// The intake figures for contacts received in `[from, to)`.
pub(super) async fn figures(
    conn: &mut SqliteConnection,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> StoreResult<IntakeFigures> {
    let (f, t) = (micros(from), micros(to));
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM contacts WHERE received_at >= ? AND received_at < ?")
            .bind(f)
            .bind(t)
            .fetch_one(&mut *conn)
            .await?;
    let (alerts, acknowledged, escalated): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(acknowledged_at), count(escalated_at) FROM alerts \
         WHERE raised_at >= ? AND raised_at < ?",
    )
    .bind(f)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    // From the contact itself (a call may be logged some minutes after it came in), not from the
    // moment it was logged; never negative.
    let response_micros: Vec<i64> = sqlx::query_scalar(
        "SELECT max(alerts.acknowledged_at - min(contacts.received_at, alerts.raised_at), 0) AS d \
         FROM alerts JOIN contacts ON contacts.id = alerts.contact_id \
         WHERE alerts.raised_at >= ? AND alerts.raised_at < ? AND alerts.acknowledged_at IS NOT NULL ORDER BY d",
    )
    .bind(f)
    .bind(t)
    .fetch_all(&mut *conn)
    .await?;
    Ok(IntakeFigures {
        total,
        by_line: counts_by!(conn, "coalesce(line, '')", f, t).await?,
        by_channel: counts_by!(conn, "channel", f, t).await?,
        by_caller: counts_by!(conn, "caller_role", f, t).await?,
        by_region: counts_by!(conn, "coalesce(region, '')", f, t).await?,
        by_month: {
            // Months in Dushanbe time (UTC+5, no daylight saving).
            let mut m =
                counts_by!(conn, "strftime('%Y-%m', received_at / 1000000 + 5 * 3600, 'unixepoch')", f, t)
                    .await?;
            m.sort();
            m
        },
        alerts,
        acknowledged,
        escalated,
        response_seconds: response_micros.into_iter().map(|d| d / 1_000_000).collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// E-mail announcements
// ---------------------------------------------------------------------------------------------

/// The address a user asked notifications to be announced at.
pub(super) async fn notify_email(conn: &mut SqliteConnection, user: UserId) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>("SELECT notify_email FROM users WHERE id = ?")
        .bind(user.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .flatten())
}

/// Sets or clears it.
pub(super) async fn set_notify_email(
    conn: &mut SqliteConnection,
    user: UserId,
    email: Option<&str>,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE users SET notify_email = ? WHERE id = ?")
        .bind(email)
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Per active user with an address: unread notifications not yet announced.
pub(super) async fn pending_emails(
    conn: &mut SqliteConnection,
) -> StoreResult<Vec<crate::intake::PendingEmail>> {
    let rows: Vec<(String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT users.id, users.notify_email, users.language, count(*), max(notifications.id) \
         FROM notifications JOIN users ON users.id = notifications.user_id \
         WHERE notifications.emailed_at IS NULL AND notifications.read_at IS NULL \
         AND users.notify_email IS NOT NULL AND users.disabled = 0 \
         GROUP BY users.id ORDER BY users.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(user, email, language, count, up_to)| {
            Ok(crate::intake::PendingEmail {
                user: user_id(&user, "users.id")?,
                email,
                language,
                count,
                up_to,
            })
        })
        .collect()
}

/// Marks a user's notifications up to `up_to` as announced.
pub(super) async fn mark_emailed(
    conn: &mut SqliteConnection,
    user: UserId,
    up_to: i64,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE notifications SET emailed_at = ? WHERE user_id = ? AND id <= ? AND emailed_at IS NULL",
    )
    .bind(micros(at))
    .bind(user.to_string())
    .bind(up_to)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
