//! The audit trail: append (inside the caller's write transaction), browse, verify. The same
//! table and functions serve both trails: the main database's and the access log's.

use ozodi_vault::chain::{self, ChainBreak, EntryFields, StoredEntry, Verifier};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use super::{from_micros, micros};
use crate::{AuditFilter, AuditRow, ChainReport, NewAuditEntry, StoreError, StoreResult, Trail};

/// Appends `e` after the current head. Must run inside a `BEGIN IMMEDIATE` transaction so that no
/// other writer can read the same head.
pub(super) async fn append(conn: &mut SqliteConnection, e: &NewAuditEntry) -> StoreResult<i64> {
    let head = head(conn).await?;
    let (seqs, _) = append_after(conn, head, &[e]).await?;
    Ok(seqs.first().copied().unwrap_or(0))
}

/// The last entry of the trail: its number and hash (0 and the genesis hash when empty).
pub(super) async fn head(conn: &mut SqliteConnection) -> StoreResult<Head> {
    let head: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match head {
        Some((seq, hash)) => Head { seq, hash: hash.try_into().unwrap_or([0xff; 32]) },
        None => Head { seq: 0, hash: chain::GENESIS },
    })
}

/// Where a trail ends: the next entry is number `seq + 1` and links to `hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Head {
    pub seq: i64,
    pub hash: [u8; 32],
}

/// Appends `entries` in order after `head` with one statement and returns their numbers and the
/// new head. The statement is atomic on its own; an outdated `head` cannot fork the chain, because
/// entry numbers are the table's primary key: the insert fails and writes nothing.
pub(super) async fn append_after(
    conn: &mut SqliteConnection,
    head: Head,
    entries: &[&NewAuditEntry],
) -> StoreResult<(Vec<i64>, Head)> {
    let Head { mut seq, hash: mut prev } = head;
    let mut insert: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
        "INSERT INTO audit (seq, at, actor, kind, subject, detail, client, prev_hash, hash) ",
    );
    let mut seqs = Vec::with_capacity(entries.len());
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        seq += 1;
        let (at, actor, detail) = (micros(e.at), e.actor.map(|a| a.to_string()), e.detail.to_string());
        let hash = chain::entry_hash(
            &prev,
            &EntryFields {
                seq,
                at_micros: at,
                actor: actor.as_deref(),
                kind: e.kind.code(),
                subject: e.subject.as_deref(),
                detail: &detail,
                client: e.client.as_deref(),
            },
        );
        rows.push((
            seq,
            at,
            actor,
            e.kind.code(),
            e.subject.as_deref(),
            detail,
            e.client.as_deref(),
            prev,
            hash,
        ));
        seqs.push(seq);
        prev = hash;
    }
    if rows.is_empty() {
        return Ok((seqs, head));
    }
    insert.push_values(rows, |mut b, (seq, at, actor, kind, subject, detail, client, prev, hash)| {
        b.push_bind(seq)
            .push_bind(at)
            .push_bind(actor)
            .push_bind(kind)
            .push_bind(subject)
            .push_bind(detail)
            .push_bind(client)
            .push_bind(prev.to_vec())
            .push_bind(hash.to_vec());
    });
    insert.build().execute(&mut *conn).await?;
    Ok((seqs, Head { seq, hash: prev }))
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

/// One trail's entries matching `f`, newest first: at most `f.limit`, all below `before`.
/// `actor` is the filter's user id (resolved once for both trails).
async fn list_trail(
    pool: &SqlitePool,
    f: &AuditFilter,
    actor: Option<&str>,
    before: Option<i64>,
) -> StoreResult<std::collections::VecDeque<ListRow>> {
    let rows: Vec<ListRow> = sqlx::query_as(
        "SELECT seq, at, actor, kind, subject, detail, client FROM audit \
         WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR actor = ?2) \
           AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4) AND (?5 IS NULL OR seq < ?5) \
         ORDER BY seq DESC LIMIT ?6",
    )
    .bind(f.kind.map(|k| k.code()))
    .bind(actor)
    .bind(f.from.map(micros))
    .bind(f.until.map(micros))
    .bind(before)
    .bind(i64::from(f.limit))
    .fetch_all(pool)
    .await?;
    Ok(rows.into())
}

/// Both trails, each newest first by sequence number, interleaved by time (the trail of changes
/// first at equal times), with the user names of actors and subjects looked up in the main
/// database.
pub(super) async fn list(
    main: &SqlitePool,
    access: &SqlitePool,
    f: &AuditFilter,
) -> StoreResult<Vec<AuditRow>> {
    let actor: Option<String> = match &f.actor {
        None => None,
        Some(name) => {
            let id = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
                .bind(name.as_str())
                .fetch_optional(main)
                .await?;
            match id {
                Some(id) => Some(id),
                None => return Ok(Vec::new()),
            }
        }
    };
    let mut changes = list_trail(main, f, actor.as_deref(), f.before.changes).await?;
    let mut accesses = list_trail(access, f, actor.as_deref(), f.before.access).await?;
    let mut rows = Vec::with_capacity(f.limit as usize);
    while rows.len() < f.limit as usize {
        let next = match (changes.front(), accesses.front()) {
            (Some(c), Some(a)) if c.at >= a.at => changes.pop_front().map(|r| (Trail::Changes, r)),
            (_, Some(_)) => accesses.pop_front().map(|r| (Trail::Access, r)),
            (Some(_), None) => changes.pop_front().map(|r| (Trail::Changes, r)),
            (None, None) => None,
        };
        match next {
            Some(row) => rows.push(row),
            None => break,
        }
    }
    let ids: Vec<&str> =
        rows.iter().flat_map(|(_, r)| [r.actor.as_deref(), r.subject.as_deref()]).flatten().collect();
    let names: std::collections::HashMap<String, String> =
        sqlx::query_as("SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(?))")
            .bind(serde_json::to_string(&ids).map_err(|_| StoreError::Corrupt("audit.actor"))?)
            .fetch_all(main)
            .await?
            .into_iter()
            .collect();
    rows.into_iter()
        .map(|(trail, r)| {
            Ok(AuditRow {
                trail,
                seq: r.seq,
                at: from_micros(r.at)?,
                actor: r.actor.map(|a| names.get(&a).cloned().unwrap_or(a)),
                kind: r.kind,
                subject: r.subject.map(|s| names.get(&s).cloned().unwrap_or(s)),
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
