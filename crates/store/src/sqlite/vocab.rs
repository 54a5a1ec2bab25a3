//! Vocabulary queries: loading the shipped lists and the administrators' changes.

use ozodi_domain::vocab::{Labels, List, Source, Term};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::{StoreError, StoreResult, StoredTerm, VocabSync};

async fn count(conn: &mut SqliteConnection, sql: &'static str) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(sql).fetch_one(&mut *conn).await?)
}

/// Inserts what is new; refreshes the labels, parent and order of shipped terms that no
/// administrator relabelled; never deletes.
pub(super) async fn sync(conn: &mut SqliteConnection, lists: &[List]) -> StoreResult<VocabSync> {
    let lists_before = count(conn, "SELECT count(*) FROM vocab_lists").await?;
    let terms_before = count(conn, "SELECT count(*) FROM vocab_terms").await?;
    for list in lists {
        let source = match list.source {
            Source::Huridocs => "huridocs",
            Source::Local => "local",
        };
        sqlx::query(
            "INSERT INTO vocab_lists (id, source, name_en, name_ru, name_tg) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET source = excluded.source, name_en = excluded.name_en, \
             name_ru = excluded.name_ru, name_tg = excluded.name_tg",
        )
        .bind(&list.list)
        .bind(source)
        .bind(&list.name.en)
        .bind(&list.name.ru)
        .bind(&list.name.tg)
        .execute(&mut *conn)
        .await?;
        for (position, term) in list.terms.iter().enumerate() {
            sqlx::query(
                "INSERT INTO vocab_terms (list, code, parent, position, label_en, label_ru, label_tg, origin) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, 'shipped') \
                 ON CONFLICT (list, code) DO UPDATE SET parent = excluded.parent, position = excluded.position, \
                 label_en = excluded.label_en, label_ru = excluded.label_ru, label_tg = excluded.label_tg \
                 WHERE vocab_terms.origin = 'shipped' AND vocab_terms.relabelled = 0",
            )
            .bind(&list.list)
            .bind(&term.code)
            .bind(&term.parent)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(&term.labels.en)
            .bind(&term.labels.ru)
            .bind(&term.labels.tg)
            .execute(&mut *conn)
            .await?;
        }
    }
    let lists_after = count(conn, "SELECT count(*) FROM vocab_lists").await?;
    let terms_after = count(conn, "SELECT count(*) FROM vocab_terms").await?;
    Ok(VocabSync {
        lists_added: u64::try_from(lists_after - lists_before).unwrap_or(0),
        terms_added: u64::try_from(terms_after - terms_before).unwrap_or(0),
    })
}

#[derive(FromRow)]
struct TermRow {
    code: String,
    parent: Option<String>,
    label_en: String,
    label_ru: String,
    label_tg: String,
    origin: String,
    relabelled: bool,
    deprecated: bool,
}

pub(super) async fn terms(pool: &SqlitePool, list: &str) -> StoreResult<Vec<StoredTerm>> {
    let rows: Vec<TermRow> = sqlx::query_as(
        "SELECT code, parent, label_en, label_ru, label_tg, origin, relabelled, deprecated \
         FROM vocab_terms WHERE list = ? ORDER BY position, code",
    )
    .bind(list)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredTerm {
            code: r.code,
            parent: r.parent,
            labels: Labels { en: r.label_en, ru: r.label_ru, tg: r.label_tg },
            added_by_admin: r.origin == "admin",
            relabelled: r.relabelled,
            deprecated: r.deprecated,
        })
        .collect())
}

pub(super) async fn add(conn: &mut SqliteConnection, list: &str, term: &Term) -> StoreResult<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM vocab_lists WHERE id = ?")
        .bind(list)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    let position: i64 =
        sqlx::query_scalar("SELECT coalesce(max(position), -1) + 1 FROM vocab_terms WHERE list = ?")
            .bind(list)
            .fetch_one(&mut *conn)
            .await?;
    let result = sqlx::query(
        "INSERT INTO vocab_terms (list, code, parent, position, label_en, label_ru, label_tg, origin) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'admin')",
    )
    .bind(list)
    .bind(&term.code)
    .bind(&term.parent)
    .bind(position)
    .bind(&term.labels.en)
    .bind(&term.labels.ru)
    .bind(&term.labels.tg)
    .execute(&mut *conn)
    .await;
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Err(StoreError::NotFound),
        other => other.map(|_| ()).map_err(StoreError::from),
    }
}

pub(super) async fn relabel(
    conn: &mut SqliteConnection,
    list: &str,
    code: &str,
    labels: &Labels,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE vocab_terms SET label_en = ?, label_ru = ?, label_tg = ?, relabelled = 1 WHERE list = ? AND code = ?",
    )
    .bind(&labels.en)
    .bind(&labels.ru)
    .bind(&labels.tg)
    .bind(list)
    .bind(code)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) async fn set_deprecated(
    conn: &mut SqliteConnection,
    list: &str,
    code: &str,
    deprecated: bool,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE vocab_terms SET deprecated = ? WHERE list = ? AND code = ?")
        .bind(deprecated)
        .bind(list)
        .bind(code)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
