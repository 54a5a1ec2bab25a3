//! Training queries: the events (checked against their schema's vocabularies in the write
//! transaction, versioned) and the participant counts.

use ozodi_domain::UserId;
use ozodi_domain::record::{Data, FieldType, Kind, RecordId};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::training::{Participants, Training};
use crate::{StoreError, StoreResult};

async fn term_exists(conn: &mut SqliteConnection, list: &str, code: &str) -> StoreResult<bool> {
    let live: Option<bool> =
        sqlx::query_scalar("SELECT deprecated = 0 FROM vocab_terms WHERE list = ? AND code = ?")
            .bind(list)
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(live == Some(true))
}

async fn check(conn: &mut SqliteConnection, data: &Data) -> StoreResult<()> {
    for field in Kind::Training.fields() {
        if let FieldType::Code(list) | FieldType::Codes(list) = field.ty {
            for code in data.codes(field.name) {
                if !term_exists(conn, list, code).await? {
                    return Err(StoreError::Invalid(field.name));
                }
            }
        }
    }
    Ok(())
}

/// Records a training event.
pub(super) async fn create(
    conn: &mut SqliteConnection,
    data: &Data,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<RecordId> {
    check(conn, data).await?;
    let id = RecordId::new();
    sqlx::query(
        "INSERT INTO trainings (id, seq, data, version, created_by, created_at) \
         VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM trainings), ?, 1, ?, ?)",
    )
    .bind(id.to_string())
    .bind(data.to_json().to_string())
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    super::version_row(conn, "training", &id.to_string(), 1, data, (by, at), "created").await?;
    Ok(id)
}

/// Saves its fields if still at `expected_version`.
pub(super) async fn update(
    conn: &mut SqliteConnection,
    id: RecordId,
    expected_version: i64,
    data: &Data,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    check(conn, data).await?;
    let done =
        sqlx::query("UPDATE trainings SET data = ?, version = version + 1 WHERE id = ? AND version = ?")
            .bind(data.to_json().to_string())
            .bind(id.to_string())
            .bind(expected_version)
            .execute(&mut *conn)
            .await?;
    if done.rows_affected() != 1 {
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM trainings WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        return Err(if exists.is_some() { StoreError::Conflict } else { StoreError::NotFound });
    }
    super::version_row(conn, "training", &id.to_string(), expected_version + 1, data, (by, at), "updated")
        .await
}

/// Sets how many of one profession, sex and region took part (0 removes the row).
pub(super) async fn set_participants(
    conn: &mut SqliteConnection,
    id: RecordId,
    row: &Participants,
) -> StoreResult<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM trainings WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    if !term_exists(conn, "profession", &row.profession).await? {
        return Err(StoreError::Invalid("profession"));
    }
    if !row.region.is_empty() && !term_exists(conn, "region", &row.region).await? {
        return Err(StoreError::Invalid("region"));
    }
    if !matches!(row.sex.as_str(), "01" | "02" | "99") {
        return Err(StoreError::Invalid("sex"));
    }
    if row.count > 10_000 {
        return Err(StoreError::Invalid("count"));
    }
    if row.count == 0 {
        sqlx::query("DELETE FROM training_participants WHERE training_id = ? AND profession = ? AND sex = ? AND region = ?")
            .bind(id.to_string())
            .bind(&row.profession)
            .bind(&row.sex)
            .bind(&row.region)
            .execute(&mut *conn)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO training_participants (training_id, profession, sex, region, count) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (training_id, profession, sex, region) DO UPDATE SET count = excluded.count",
        )
        .bind(id.to_string())
        .bind(&row.profession)
        .bind(&row.sex)
        .bind(&row.region)
        .bind(row.count)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE trainings SET version = version + 1 WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every training, newest first, with its counts (two statements whatever their number).
pub(super) async fn list(conn: &mut SqliteConnection, only: Option<RecordId>) -> StoreResult<Vec<Training>> {
    let only = only.map(|i| i.to_string());
    let rows: Vec<(String, i64, String, i64, String, i64)> = sqlx::query_as(
        "SELECT id, seq, data, version, created_by, created_at FROM trainings WHERE ?1 IS NULL OR id = ?1 ORDER BY seq DESC",
    )
    .bind(&only)
    .fetch_all(&mut *conn)
    .await?;
    let counts: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT training_id, profession, sex, region, count FROM training_participants \
         WHERE ?1 IS NULL OR training_id = ?1 ORDER BY training_id, profession, sex, region",
    )
    .bind(&only)
    .fetch_all(&mut *conn)
    .await?;
    let bad = StoreError::Corrupt;
    rows.into_iter()
        .map(|(id, seq, data, version, created_by, created_at)| {
            let json: serde_json::Value = serde_json::from_str(&data).map_err(|_| bad("trainings.data"))?;
            Ok(Training {
                participants: counts
                    .iter()
                    .filter(|c| c.0 == id)
                    .map(|(_, profession, sex, region, count)| Participants {
                        profession: profession.clone(),
                        sex: sex.clone(),
                        region: region.clone(),
                        count: u32::try_from(*count).unwrap_or(0),
                    })
                    .collect(),
                id: RecordId::parse(&id).ok_or(bad("trainings.id"))?,
                seq: u32::try_from(seq).map_err(|_| bad("trainings.seq"))?,
                data: Data::from_json(Kind::Training, &json),
                version,
                created_by: UserId::parse(&created_by).ok_or(bad("trainings.created_by"))?,
                created_at: from_micros(created_at)?,
            })
        })
        .collect()
}
