//! Rehabilitation queries: episodes (codes and the client checked in the write transaction, every
//! save a version), their course (checked against DOMAIN.md 5.7 in the same transaction), their
//! sessions, and the counts of statistic 14, computed without reading any note.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::record::{Data, Kind};
use ozodi_domain::rehab::{self, EpisodeId};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::ip::{check, parse_data, user};
use super::{from_micros, micros};
use crate::rehab::{Episode, EpisodeStep, EpisodeSummary, RehabFigures, Session, StepRequest};
use crate::{StoreError, StoreResult};

async fn add_step(
    conn: &mut SqliteConnection,
    id: EpisodeId,
    state: &str,
    note: &str,
    (by, at): (UserId, OffsetDateTime),
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO rehab_steps (episode_id, seq, state, note, by_user, at) \
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM rehab_steps WHERE episode_id = ?1), ?2, ?3, ?4, ?5)",
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

/// Records a referral of a live case.
pub(super) async fn create(
    conn: &mut SqliteConnection,
    case: CaseId,
    data: &Data,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<EpisodeId> {
    let live: Option<bool> = sqlx::query_scalar("SELECT deleted_at IS NULL FROM cases WHERE id = ?")
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if live != Some(true) {
        return Err(StoreError::NotFound);
    }
    check(conn, Kind::Episode, case, data).await?;
    let id = EpisodeId::new();
    sqlx::query(
        "INSERT INTO rehab_episodes (id, case_id, seq, data, state, version, created_by, created_at) \
         VALUES (?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM rehab_episodes), ?, ?, 1, ?, ?)",
    )
    .bind(id.to_string())
    .bind(case.to_string())
    .bind(data.to_json().to_string())
    .bind(rehab::INITIAL)
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    super::version_row(conn, Kind::Episode.code(), &id.to_string(), 1, data, (by, at), "created").await?;
    add_step(conn, id, rehab::INITIAL, "", (by, at)).await?;
    Ok(id)
}

/// One episode with its sessions and course.
pub(super) async fn get(conn: &mut SqliteConnection, id: EpisodeId) -> StoreResult<Option<Episode>> {
    let row: Option<(String, i64, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT case_id, seq, data, state, version, created_by, created_at FROM rehab_episodes WHERE id = ?",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((case_id, seq, data, state, version, created_by, created_at)) = row else {
        return Ok(None);
    };
    let sessions: Vec<(i64, String, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT seq, data, version, created_by, deleted_at FROM rehab_sessions WHERE episode_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT s.seq, s.state, s.note, u.display_name, s.at FROM rehab_steps s \
         JOIN users u ON u.id = s.by_user WHERE s.episode_id = ? ORDER BY s.seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let bad = StoreError::Corrupt;
    Ok(Some(Episode {
        id,
        case_id: CaseId::parse(&case_id).ok_or(bad("rehab_episodes.case_id"))?,
        seq: u32::try_from(seq).map_err(|_| bad("rehab_episodes.seq"))?,
        data: parse_data(Kind::Episode, &data, "rehab_episodes.data")?,
        state,
        version,
        created_by: user(&created_by, "rehab_episodes.created_by")?,
        created_at: from_micros(created_at)?,
        sessions: sessions
            .into_iter()
            .map(|(seq, data, version, by, deleted)| {
                Ok(Session {
                    seq,
                    data: parse_data(Kind::Session, &data, "rehab_sessions.data")?,
                    version,
                    created_by: user(&by, "rehab_sessions.created_by")?,
                    removed: deleted.is_some(),
                })
            })
            .collect::<StoreResult<_>>()?,
        steps: steps
            .into_iter()
            .map(|(seq, state, note, by_name, at)| {
                Ok(EpisodeStep { seq, state, note, by_name, at: from_micros(at)? })
            })
            .collect::<StoreResult<_>>()?,
    }))
}

/// Episodes of one case, of the cases `member` is on the team of, or all; oldest first.
pub(super) async fn list(
    conn: &mut SqliteConnection,
    case: Option<CaseId>,
    member: Option<UserId>,
) -> StoreResult<Vec<EpisodeSummary>> {
    type Row = (String, String, i64, i64, i64, String, Option<i64>, Option<String>, Option<String>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.id, e.case_id, c.number_year, c.number_seq, e.seq, e.state, p.pseudonym_seq, \
                e.data ->> '$.client_relation', e.data ->> '$.referred_at.date', \
                (SELECT count(*) FROM rehab_sessions s WHERE s.episode_id = e.id AND s.deleted_at IS NULL \
                    AND coalesce(s.data ->> '$.missed', 0) = 0) \
         FROM rehab_episodes e JOIN cases c ON c.id = e.case_id \
         LEFT JOIN persons p ON p.id = e.data ->> '$.client' \
         WHERE c.deleted_at IS NULL AND (?1 IS NULL OR e.case_id = ?1) \
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM case_team t WHERE t.case_id = e.case_id \
                                      AND t.user_id = ?2 AND t.removed_at IS NULL)) \
         ORDER BY e.seq",
    )
    .bind(case.map(|c| c.to_string()))
    .bind(member.map(|m| m.to_string()))
    .fetch_all(&mut *conn)
    .await?;
    let bad = StoreError::Corrupt;
    rows.into_iter()
        .map(|(id, case_id, year, number, seq, state, pseudonym, relation, referred_at, sessions)| {
            Ok(EpisodeSummary {
                id: EpisodeId::parse(&id).ok_or(bad("rehab_episodes.id"))?,
                case_id: CaseId::parse(&case_id).ok_or(bad("rehab_episodes.case_id"))?,
                case_number: format!("TJ-{year}-{number:04}"),
                seq: u32::try_from(seq).map_err(|_| bad("rehab_episodes.seq"))?,
                state,
                client: pseudonym.map(|p| format!("P-{p:04}")),
                relation,
                referred_at,
                sessions: u32::try_from(sessions).unwrap_or(0),
            })
        })
        .collect()
}

/// Loads an episode for a change: it must exist and be at `expected_version`.
async fn current(
    conn: &mut SqliteConnection,
    id: EpisodeId,
    expected_version: Option<i64>,
) -> StoreResult<Episode> {
    let episode = get(conn, id).await?.ok_or(StoreError::NotFound)?;
    if expected_version.is_some_and(|v| v != episode.version) {
        return Err(StoreError::Conflict);
    }
    Ok(episode)
}

/// Saves an episode's values (the referral, assessment, plan and outcome may be completed and
/// corrected at any point of the course; every save is a version).
pub(super) async fn update(
    conn: &mut SqliteConnection,
    id: EpisodeId,
    expected_version: i64,
    data: &Data,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<CaseId> {
    let episode = current(conn, id, Some(expected_version)).await?;
    check(conn, Kind::Episode, episode.case_id, data).await?;
    sqlx::query("UPDATE rehab_episodes SET data = ?, version = version + 1 WHERE id = ?")
        .bind(data.to_json().to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    super::version_row(
        conn,
        Kind::Episode.code(),
        &id.to_string(),
        episode.version + 1,
        data,
        (by, at),
        "updated",
    )
    .await?;
    Ok(episode.case_id)
}

/// Moves the course on; returns the case and the state reached.
pub(super) async fn step(
    conn: &mut SqliteConnection,
    id: EpisodeId,
    expected_version: i64,
    request: StepRequest<'_>,
) -> StoreResult<(CaseId, &'static str)> {
    let StepRequest { to, note, by, at } = request;
    let episode = current(conn, id, Some(expected_version)).await?;
    let baseline = episode.data.text("baseline_instrument").is_some();
    let state = rehab::check_step(&episode.state, to, baseline, note).map_err(StoreError::Rehab)?;
    sqlx::query("UPDATE rehab_episodes SET state = ?, version = version + 1 WHERE id = ?")
        .bind(state)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    add_step(conn, id, state, note.trim(), (by, at)).await?;
    Ok((episode.case_id, state))
}

/// Adds a session while the episode runs; returns the case and the session's number.
pub(super) async fn add_session(
    conn: &mut SqliteConnection,
    id: EpisodeId,
    data: &Data,
    (by, at): (UserId, OffsetDateTime),
) -> StoreResult<(CaseId, i64)> {
    let episode = current(conn, id, None).await?;
    if rehab::ended(&episode.state) {
        return Err(StoreError::Ended);
    }
    check(conn, Kind::Session, episode.case_id, data).await?;
    let seq = episode.sessions.iter().map(|s| s.seq).max().unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO rehab_sessions (episode_id, seq, data, version, created_by, created_at) VALUES (?, ?, ?, 1, ?, ?)",
    )
    .bind(id.to_string())
    .bind(seq)
    .bind(data.to_json().to_string())
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE rehab_episodes SET version = version + 1 WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    let entity = format!("{}:{id}", Kind::Session.code());
    super::version_row(conn, &entity, &seq.to_string(), 1, data, (by, at), "created").await?;
    Ok((episode.case_id, seq))
}

/// Tombstones a session entered by mistake.
pub(super) async fn remove_session(
    conn: &mut SqliteConnection,
    id: EpisodeId,
    seq: i64,
    expected_version: i64,
    at: OffsetDateTime,
) -> StoreResult<CaseId> {
    let episode = current(conn, id, None).await?;
    let session = episode.sessions.iter().find(|s| s.seq == seq && !s.removed).ok_or(StoreError::NotFound)?;
    if session.version != expected_version {
        return Err(StoreError::Conflict);
    }
    sqlx::query(
        "UPDATE rehab_sessions SET deleted_at = ?, version = version + 1 WHERE episode_id = ? AND seq = ?",
    )
    .bind(micros(at))
    .bind(id.to_string())
    .bind(seq)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE rehab_episodes SET version = version + 1 WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(episode.case_id)
}

/// The counts of statistic 14 over live cases: distinct clients by relation and year of
/// referral, sessions held by year, episodes by state.
pub(super) async fn figures(conn: &mut SqliteConnection) -> StoreResult<RehabFigures> {
    let clients: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT coalesce(substr(e.data ->> '$.referred_at.date', 1, 4), ''), e.data ->> '$.client_relation', \
                count(DISTINCT e.data ->> '$.client') \
         FROM rehab_episodes e JOIN cases c ON c.id = e.case_id WHERE c.deleted_at IS NULL \
         GROUP BY 1, 2 ORDER BY 1 DESC, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    let sessions: Vec<(String, i64)> = sqlx::query_as(
        "SELECT coalesce(substr(s.data ->> '$.session_date.date', 1, 4), ''), count(*) \
         FROM rehab_sessions s JOIN rehab_episodes e ON e.id = s.episode_id JOIN cases c ON c.id = e.case_id \
         WHERE c.deleted_at IS NULL AND s.deleted_at IS NULL AND coalesce(s.data ->> '$.missed', 0) = 0 \
         GROUP BY 1 ORDER BY 1 DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    let states: Vec<(String, i64)> = sqlx::query_as(
        "SELECT e.state, count(*) FROM rehab_episodes e JOIN cases c ON c.id = e.case_id \
         WHERE c.deleted_at IS NULL GROUP BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let n = |c: i64| u32::try_from(c).unwrap_or(0);
    let mut states: Vec<(String, u32)> = states.into_iter().map(|(s, c)| (s, n(c))).collect();
    states.sort_by_key(|(s, _)| rehab::STATES.iter().position(|x| x == s));
    Ok(RehabFigures {
        clients: clients.into_iter().map(|(y, r, c)| (y, r, n(c))).collect(),
        sessions: sessions.into_iter().map(|(y, c)| (y, n(c))).collect(),
        states,
    })
}
