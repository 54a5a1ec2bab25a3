//! Evaluation queries: the report and its findings (vocabulary codes and the person examined
//! checked in the write transaction, as for records), the workflow, sharing, and signing: the
//! canonical document is built here, from what is stored, and hashed in the same transaction
//! that freezes it.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::ip::{self, EvaluationId, Readiness};
use ozodi_domain::record::{Data, Kind, Value};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::ip::{Evaluation, EvaluationStep, EvaluationSummary, Finding, Signature};

use crate::{StoreError, StoreResult};

pub(super) fn user(text: &str, column: &'static str) -> StoreResult<UserId> {
    UserId::parse(text).ok_or(StoreError::Corrupt(column))
}

pub(super) fn parse_data(kind: Kind, text: &str, column: &'static str) -> StoreResult<Data> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|_| StoreError::Corrupt(column))?;
    Ok(Data::from_json(kind, &json))
}

/// Checks the vocabulary codes and the persons (of the case) of a document kept apart from the
/// records: an evaluation and its findings, a rehabilitation episode and its sessions.
pub(super) async fn check(
    conn: &mut SqliteConnection,
    kind: Kind,
    case: CaseId,
    data: &Data,
) -> StoreResult<()> {
    use ozodi_domain::record::{FieldType, Target};
    for field in kind.fields() {
        match field.ty {
            FieldType::Code(list) | FieldType::Codes(list) => {
                for code in data.codes(field.name) {
                    let live: Option<bool> = sqlx::query_scalar(
                        "SELECT deprecated = 0 FROM vocab_terms WHERE list = ? AND code = ?",
                    )
                    .bind(list)
                    .bind(code)
                    .fetch_optional(&mut *conn)
                    .await?;
                    if live != Some(true) {
                        return Err(StoreError::Invalid(field.name));
                    }
                }
            }
            FieldType::Ref(Target::Person) => {
                let Some(person) = data.text(field.name) else { continue };
                let live: Option<bool> =
                    sqlx::query_scalar("SELECT deleted_at IS NULL FROM persons WHERE id = ? AND case_id = ?")
                        .bind(person)
                        .bind(case.to_string())
                        .fetch_optional(&mut *conn)
                        .await?;
                if live != Some(true) {
                    return Err(StoreError::Invalid(field.name));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

async fn add_step(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    state: &str,
    note: &str,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO evaluation_steps (evaluation_id, seq, state, note, by_user, at) \
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM evaluation_steps WHERE evaluation_id = ?1), ?2, ?3, ?4, ?5)",
    )
    .bind(id.to_string())
    .bind(state)
    .bind(note)
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Opens an evaluation (or an addendum to a signed one of the same case).
pub(super) async fn create(
    conn: &mut SqliteConnection,
    case: CaseId,
    data: &Data,
    amends: Option<EvaluationId>,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<EvaluationId> {
    let live: Option<bool> = sqlx::query_scalar("SELECT deleted_at IS NULL FROM cases WHERE id = ?")
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if live != Some(true) {
        return Err(StoreError::NotFound);
    }
    if let Some(original) = amends {
        let signed: Option<bool> =
            sqlx::query_scalar("SELECT signed_at IS NOT NULL FROM evaluations WHERE id = ? AND case_id = ?")
                .bind(original.to_string())
                .bind(case.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        if signed != Some(true) {
            return Err(StoreError::Invalid("amends"));
        }
    }
    check(conn, Kind::Evaluation, case, data).await?;
    let id = EvaluationId::new();
    sqlx::query(
        "INSERT INTO evaluations (id, case_id, seq, amends, data, state, version, created_by, created_at) \
         VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM evaluations), ?, ?, ?, 1, ?, ?)",
    )
    .bind(id.to_string())
    .bind(case.to_string())
    .bind(amends.map(|a| a.to_string()))
    .bind(data.to_json().to_string())
    .bind(ip::INITIAL)
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    super::version_row(conn, "evaluation", &id.to_string(), 1, data, (by, at), "created").await?;
    add_step(conn, id, ip::INITIAL, "", by, at).await?;
    Ok(id)
}

type EvaluationRow = (
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
    String,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// One evaluation with its findings and history.
pub(super) async fn get(conn: &mut SqliteConnection, id: EvaluationId) -> StoreResult<Option<Evaluation>> {
    let row: Option<EvaluationRow> = sqlx::query_as(
        "SELECT e.id, e.case_id, e.seq, e.amends, a.seq, e.data, e.state, e.version, e.created_by, e.created_at, \
                e.shared_at, e.shared_by, e.signed_at, e.signed_by, e.signed_document, e.sha256 \
         FROM evaluations e LEFT JOIN evaluations a ON a.id = e.amends WHERE e.id = ?",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((
        _,
        case_id,
        seq,
        amends,
        amends_seq,
        data,
        state,
        version,
        created_by,
        created_at,
        shared_at,
        shared_by,
        signed_at,
        signed_by,
        document,
        sha256,
    )) = row
    else {
        return Ok(None);
    };
    let findings: Vec<(i64, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT seq, data, version, deleted_at FROM evaluation_findings WHERE evaluation_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT s.seq, s.state, s.note, s.by_user, u.display_name, s.at FROM evaluation_steps s \
         JOIN users u ON u.id = s.by_user WHERE s.evaluation_id = ? ORDER BY s.seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let bad = StoreError::Corrupt;
    Ok(Some(Evaluation {
        id,
        case_id: CaseId::parse(&case_id).ok_or(bad("evaluations.case_id"))?,
        seq: u32::try_from(seq).map_err(|_| bad("evaluations.seq"))?,
        amends: match (amends, amends_seq) {
            (Some(a), Some(s)) => Some((
                EvaluationId::parse(&a).ok_or(bad("evaluations.amends"))?,
                u32::try_from(s).map_err(|_| bad("evaluations.seq"))?,
            )),
            _ => None,
        },
        data: parse_data(Kind::Evaluation, &data, "evaluations.data")?,
        state,
        version,
        created_by: user(&created_by, "evaluations.created_by")?,
        created_at: from_micros(created_at)?,
        shared: match (shared_at, shared_by) {
            (Some(at), Some(by)) => Some((from_micros(at)?, user(&by, "evaluations.shared_by")?)),
            _ => None,
        },
        signed: match (signed_at, signed_by, document, sha256) {
            (Some(at), Some(by), Some(document), Some(sha256)) => Some(Signature {
                at: from_micros(at)?,
                by: user(&by, "evaluations.signed_by")?,
                document,
                sha256,
            }),
            _ => None,
        },
        findings: findings
            .into_iter()
            .map(|(seq, data, version, deleted)| {
                Ok(Finding {
                    seq,
                    data: parse_data(Kind::Finding, &data, "evaluation_findings.data")?,
                    version,
                    removed: deleted.is_some(),
                })
            })
            .collect::<StoreResult<_>>()?,
        steps: steps
            .into_iter()
            .map(|(seq, state, note, by, by_name, at)| {
                Ok(EvaluationStep {
                    seq,
                    state,
                    note,
                    by: user(&by, "evaluation_steps.by_user")?,
                    by_name,
                    at: from_micros(at)?,
                })
            })
            .collect::<StoreResult<_>>()?,
    }))
}

/// The evaluations of a case, oldest first.
pub(super) async fn of_case(
    conn: &mut SqliteConnection,
    case: CaseId,
) -> StoreResult<Vec<EvaluationSummary>> {
    type Row = (String, i64, String, Option<String>, bool, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.id, e.seq, e.state, e.data ->> '$.subject', e.shared_at IS NOT NULL, e.sha256, a.seq \
         FROM evaluations e LEFT JOIN evaluations a ON a.id = e.amends WHERE e.case_id = ? ORDER BY e.seq",
    )
    .bind(case.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, seq, state, subject, shared, sha256, amends)| {
            Ok(EvaluationSummary {
                id: EvaluationId::parse(&id).ok_or(StoreError::Corrupt("evaluations.id"))?,
                seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt("evaluations.seq"))?,
                state,
                subject,
                shared,
                sha256,
                amends: amends.and_then(|a| u32::try_from(a).ok()),
            })
        })
        .collect()
}

/// Loads an evaluation for a change: it must exist, be at `expected_version` (when given) and
/// still be editable.
async fn editable(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    expected_version: Option<i64>,
) -> StoreResult<Evaluation> {
    let current = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(StoreError::Conflict);
    }
    if current.signed.is_some() || !ip::editable(&current.state) {
        return Err(StoreError::Immutable);
    }
    Ok(current)
}

async fn bump(conn: &mut SqliteConnection, id: EvaluationId) -> StoreResult<()> {
    sqlx::query("UPDATE evaluations SET version = version + 1 WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Saves the report's values.
pub(super) async fn update(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    expected_version: i64,
    data: &Data,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<CaseId> {
    let current = editable(conn, id, Some(expected_version)).await?;
    check(conn, Kind::Evaluation, current.case_id, data).await?;
    sqlx::query("UPDATE evaluations SET data = ?, version = version + 1 WHERE id = ?")
        .bind(data.to_json().to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    super::version_row(conn, "evaluation", &id.to_string(), current.version + 1, data, (by, at), "updated")
        .await?;
    Ok(current.case_id)
}

/// Adds a finding; returns its number.
pub(super) async fn add_finding(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    data: &Data,
) -> StoreResult<(CaseId, i64)> {
    let current = editable(conn, id, None).await?;
    check(conn, Kind::Finding, current.case_id, data).await?;
    let seq = current.findings.iter().map(|f| f.seq).max().unwrap_or(0) + 1;
    sqlx::query("INSERT INTO evaluation_findings (evaluation_id, seq, data, version) VALUES (?, ?, ?, 1)")
        .bind(id.to_string())
        .bind(seq)
        .bind(data.to_json().to_string())
        .execute(&mut *conn)
        .await?;
    bump(conn, id).await?;
    Ok((current.case_id, seq))
}

/// Changes a finding (`Some`) or removes it (`None`) while the report is a draft.
pub(super) async fn change_finding(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    seq: i64,
    expected_version: i64,
    data: Option<&Data>,
    at: OffsetDateTime,
) -> StoreResult<CaseId> {
    let current = editable(conn, id, None).await?;
    let finding = current.findings.iter().find(|f| f.seq == seq && !f.removed).ok_or(StoreError::NotFound)?;
    if finding.version != expected_version {
        return Err(StoreError::Conflict);
    }
    match data {
        Some(data) => {
            check(conn, Kind::Finding, current.case_id, data).await?;
            sqlx::query(
                "UPDATE evaluation_findings SET data = ?, version = version + 1 WHERE evaluation_id = ? AND seq = ?",
            )
            .bind(data.to_json().to_string())
            .bind(id.to_string())
            .bind(seq)
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE evaluation_findings SET deleted_at = ?, version = version + 1 WHERE evaluation_id = ? AND seq = ?",
            )
            .bind(micros(at))
            .bind(id.to_string())
            .bind(seq)
            .execute(&mut *conn)
            .await?;
        }
    }
    bump(conn, id).await?;
    Ok(current.case_id)
}

/// Records the person's consent to share the report with the case's lawyers (`true`), or its
/// withdrawal. Possible at any state: consent is the person's, not the report's.
pub(super) async fn set_shared(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    shared: bool,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<CaseId> {
    let current = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.shared.is_some() == shared {
        return Err(StoreError::Conflict);
    }
    let (at, by) = if shared { (Some(micros(at)), Some(by.to_string())) } else { (None, None) };
    sqlx::query("UPDATE evaluations SET shared_at = ?, shared_by = ? WHERE id = ?")
        .bind(at)
        .bind(by)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(current.case_id)
}

/// Moves the workflow on; signing freezes the report with its canonical document and hash.
/// Returns the case and the state reached.
pub(super) async fn step(
    conn: &mut SqliteConnection,
    id: EvaluationId,
    expected_version: i64,
    request: crate::ip::StepRequest<'_>,
) -> StoreResult<(CaseId, &'static str)> {
    let crate::ip::StepRequest { to, note, by, at } = request;
    let current = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    if current.version != expected_version {
        return Err(StoreError::Conflict);
    }
    let ready = Readiness {
        consent_given: matches!(
            current.data.get("informed_consent"),
            Some(Value::Tri(ozodi_domain::case::Tri::Yes))
        ),
        refusal_reason: current.data.text("consent_refusal_reason").is_some_and(|r| !r.trim().is_empty()),
        conclusion: current.data.text("overall_consistency").is_some(),
    };
    let state = ip::check_step(&current.state, to, ready, note).map_err(StoreError::Evaluation)?;
    if state == "SIGNED" {
        let document = canonical(conn, &current, by, at).await?;
        let sha256 = hex::encode(ozodi_vault::token::token_hash(&document));
        sqlx::query(
            "UPDATE evaluations SET state = ?, version = version + 1, signed_at = ?, signed_by = ?, \
             signed_document = ?, sha256 = ? WHERE id = ?",
        )
        .bind(state)
        .bind(micros(at))
        .bind(by.to_string())
        .bind(&document)
        .bind(&sha256)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query("UPDATE evaluations SET state = ?, version = version + 1 WHERE id = ?")
            .bind(state)
            .bind(id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    add_step(conn, id, state, note.trim(), by, at).await?;
    Ok((current.case_id, state))
}

/// The document a signature covers: the report's number and case, the person examined by
/// pseudonym, every value and every live finding, the report it amends, and who signed when.
async fn canonical(
    conn: &mut SqliteConnection,
    e: &Evaluation,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<String> {
    let (year, number): (i64, i64) = sqlx::query_as("SELECT number_year, number_seq FROM cases WHERE id = ?")
        .bind(e.case_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let pseudonym: Option<i64> = match e.data.text("subject") {
        Some(subject) => {
            sqlx::query_scalar("SELECT pseudonym_seq FROM persons WHERE id = ?")
                .bind(subject)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    let signer: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = ?")
        .bind(by.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let findings: Vec<serde_json::Value> = e
        .findings
        .iter()
        .filter(|f| !f.removed)
        .map(|f| serde_json::json!({ "finding": f.seq, "values": f.data.to_json() }))
        .collect();
    let document = serde_json::json!({
        "evaluation": e.reference(),
        "id": e.id.to_string(),
        "case": format!("TJ-{year}-{number:04}"),
        "subject": pseudonym.map(|p| format!("P-{p:04}")),
        "amends": e.amends.map(|(_, seq)| ozodi_domain::record::reference(Kind::Evaluation, seq)),
        "values": e.data.to_json(),
        "findings": findings,
        "signed_by": { "id": by.to_string(), "name": signer },
        "signed_at": at.format(&time::format_description::well_known::Rfc3339).map_err(|_| StoreError::Corrupt("time"))?,
    });
    Ok(document.to_string())
}
