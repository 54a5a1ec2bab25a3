//! The audit trail: append (inside the caller's write transaction), browse, verify.

use ozodi_vault::chain::{self, ChainBreak, EntryFields, StoredEntry, Verifier};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use super::{from_micros, micros};
use crate::{AuditFilter, AuditRow, ChainReport, NewAuditEntry, StoreResult};

/// Appends `e` after the current head. Must run inside a `BEGIN IMMEDIATE` transaction so that no
/// other writer can read the same head.
pub(super) async fn append(conn: &mut SqliteConnection, e: &NewAuditEntry) -> StoreResult<i64> {
    let head: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (seq, prev) = match head {
        Some((seq, hash)) => (seq + 1, hash.try_into().unwrap_or([0xff; 32])),
        None => (1, chain::GENESIS),
    };
    let actor = e.actor.map(|a| a.to_string());
    let detail = e.detail.to_string();
    let fields = EntryFields {
        seq,
        at_micros: micros(e.at),
        actor: actor.as_deref(),
        kind: e.kind.code(),
        subject: e.subject.as_deref(),
        detail: &detail,
        client: e.client.as_deref(),
    };
    let hash = chain::entry_hash(&prev, &fields);
    sqlx::query(
        "INSERT INTO audit (seq, at, actor, kind, subject, detail, client, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(fields.at_micros)
    .bind(fields.actor)
    .bind(fields.kind)
    .bind(fields.subject)
    .bind(fields.detail)
    .bind(fields.client)
    .bind(prev.as_slice())
    .bind(hash.as_slice())
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

#[derive(FromRow)]
struct ListRow {
    seq: i64,
    at: i64,
    actor: Option<String>,
    kind: String,
    subject: Option<String>,
    detail: String,
    client: Option<String>,
}

pub(super) async fn list(pool: &SqlitePool, f: &AuditFilter) -> StoreResult<Vec<AuditRow>> {
    let rows: Vec<ListRow> = sqlx::query_as(
        "SELECT a.seq, a.at, ua.username AS actor, a.kind, COALESCE(us.username, a.subject) AS subject, \
                a.detail, a.client \
         FROM audit a LEFT JOIN users ua ON ua.id = a.actor LEFT JOIN users us ON us.id = a.subject \
         WHERE (?1 IS NULL OR a.kind = ?1) AND (?2 IS NULL OR ua.username = ?2) \
           AND (?3 IS NULL OR a.at >= ?3) AND (?4 IS NULL OR a.at < ?4) AND (?5 IS NULL OR a.seq < ?5) \
         ORDER BY a.seq DESC LIMIT ?6",
    )
    .bind(f.kind.map(|k| k.code()))
    .bind(f.actor.as_ref().map(|a| a.as_str()))
    .bind(f.from.map(micros))
    .bind(f.until.map(micros))
    .bind(f.before_seq)
    .bind(i64::from(f.limit))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditRow {
                seq: r.seq,
                at: from_micros(r.at)?,
                actor: r.actor,
                kind: r.kind,
                subject: r.subject,
                detail: r.detail,
                client: r.client,
            })
        })
        .collect()
}

#[derive(FromRow)]
struct ChainRow {
    seq: i64,
    at: i64,
    actor: Option<String>,
    kind: String,
    subject: Option<String>,
    detail: String,
    client: Option<String>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

const BATCH: i64 = 1000;

/// Walks the whole trail in sequence order, a batch at a time so memory stays flat.
pub(super) async fn verify(pool: &SqlitePool) -> StoreResult<Result<ChainReport, ChainBreak>> {
    let mut verifier = Verifier::default();
    let mut after = i64::MIN;
    loop {
        let rows: Vec<ChainRow> = sqlx::query_as(
            "SELECT seq, at, actor, kind, subject, detail, client, prev_hash, hash FROM audit \
             WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(BATCH)
        .fetch_all(pool)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for r in &rows {
            let entry = StoredEntry {
                fields: EntryFields {
                    seq: r.seq,
                    at_micros: r.at,
                    actor: r.actor.as_deref(),
                    kind: &r.kind,
                    subject: r.subject.as_deref(),
                    detail: &r.detail,
                    client: r.client.as_deref(),
                },
                prev_hash: &r.prev_hash,
                hash: &r.hash,
            };
            if let Err(brk) = verifier.push(&entry) {
                return Ok(Err(brk));
            }
        }
    }
    Ok(Ok(ChainReport { entries: verifier.count(), head: verifier.head() }))
}
