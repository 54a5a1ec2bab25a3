//! The search index: one document of index terms per case (FTS5), refreshed in the same
//! transaction as every change to the case, its records, persons or evidence; the blind name
//! index; and the query with its facets.

use ozodi_domain::case::CaseId;
use ozodi_domain::person::Identity;
use ozodi_domain::record::{Data, Kind};
use ozodi_vault::blind::NameIndex;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use crate::{SearchQuery, SearchResults, StoreError, StoreResult};

/// What the index needs of a case row: rowid, number, title, summary, region, hotline, tombstone.
type CaseRow = (i64, i64, i64, String, String, Option<String>, Option<String>, Option<i64>);

/// Recomputes the search document of one case (removing it for a tombstoned case).
pub(super) async fn reindex_case(conn: &mut SqliteConnection, case: CaseId) -> StoreResult<()> {
    let id = case.to_string();
    let row: Option<CaseRow> = sqlx::query_as(
        "SELECT rowid, number_year, number_seq, title, summary, region, hotline, deleted_at FROM cases WHERE id = ?",
    )
    .bind(&id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((rowid, year, seq, title, summary, region, hotline, deleted)) = row else {
        return Err(StoreError::NotFound);
    };
    sqlx::query("DELETE FROM search_fts WHERE rowid = ?").bind(rowid).execute(&mut *conn).await?;
    if deleted.is_some() {
        return Ok(());
    }
    let mut text = format!("TJ-{year}-{seq:04}\n{title}\n{summary}\n");
    let records: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT kind, seq, data FROM records WHERE case_id = ? AND deleted_at IS NULL")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
    for (kind, seq, data) in &records {
        let Some(kind) = Kind::parse(kind) else { continue };
        let json: serde_json::Value =
            serde_json::from_str(data).map_err(|_| StoreError::Corrupt("records.data"))?;
        let data = Data::from_json(kind, &json);
        text.push_str(&ozodi_domain::record::reference(kind, u32::try_from(*seq).unwrap_or(0)));
        text.push('\n');
        for t in data.texts(kind) {
            text.push_str(t);
            text.push('\n');
        }
    }
    // The labels, in all three languages, of every term the case and its records use.
    let labels: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT v.label_ru, v.label_tg, v.label_en FROM (SELECT DISTINCT rc.list, rc.code FROM records r \
         JOIN record_codes rc ON rc.record_id = r.id WHERE r.case_id = ?3 AND r.deleted_at IS NULL \
         UNION SELECT 'region', ?1 UNION SELECT 'hotline', ?2) used \
         JOIN vocab_terms v ON v.list = used.list AND v.code = used.code",
    )
    .bind(&region)
    .bind(&hotline)
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    for (ru, tg, en) in labels {
        text.push_str(&format!("{ru}\n{tg}\n{en}\n"));
    }
    let facilities: Vec<String> = sqlx::query_scalar(
        "SELECT f.data FROM record_refs rr JOIN records a ON a.id = rr.record_id JOIN records f ON f.id = rr.target \
         WHERE a.case_id = ? AND a.deleted_at IS NULL AND rr.field = 'facility'",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    for data in facilities {
        let json: serde_json::Value =
            serde_json::from_str(&data).map_err(|_| StoreError::Corrupt("records.data"))?;
        for t in Data::from_json(Kind::Facility, &json).texts(Kind::Facility) {
            text.push_str(t);
            text.push('\n');
        }
    }
    let pseudonyms: Vec<i64> =
        sqlx::query_scalar("SELECT pseudonym_seq FROM persons WHERE case_id = ? AND deleted_at IS NULL")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
    for p in pseudonyms {
        text.push_str(&format!("P-{p:04}\n"));
    }
    let evidence: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT seq, title, description FROM evidence WHERE case_id = ? AND deleted_at IS NULL \
             AND compartment = 'case'",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    for (seq, title, description) in evidence {
        text.push_str(&format!("E-{seq:04}\n{title}\n{description}\n"));
    }
    let terms = ozodi_text::terms(&text).join(" ");
    sqlx::query("INSERT INTO search_fts (rowid, terms) VALUES (?, ?)")
        .bind(rowid)
        .bind(terms)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The name tokens of an identity: one per skeleton of its name and other names.
fn name_tokens(names: &NameIndex, identity: &Identity) -> Vec<String> {
    let mut tokens: Vec<String> =
        ozodi_text::name_keys(&format!("{} {}", identity.name, identity.other_names))
            .iter()
            .filter(|k| k.chars().count() >= 2)
            .map(|k| names.token(k))
            .collect();
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

/// Replaces the blind-index tokens of a person.
pub(super) async fn index_names(
    conn: &mut SqliteConnection,
    names: &NameIndex,
    person: &str,
    case: CaseId,
    identity: &Identity,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM name_index WHERE person_id = ?").bind(person).execute(&mut *conn).await?;
    for token in name_tokens(names, identity) {
        sqlx::query("INSERT OR IGNORE INTO name_index (person_id, case_id, token) VALUES (?, ?, ?)")
            .bind(person)
            .bind(case.to_string())
            .bind(token)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rebuilds every case's document; returns how many cases were indexed.
pub(super) async fn rebuild(pool: &SqlitePool) -> StoreResult<u64> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM cases ORDER BY rowid").fetch_all(pool).await?;
    let mut count = 0;
    for batch in ids.chunks(500) {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        for id in batch {
            let case = CaseId::parse(id).ok_or(StoreError::Corrupt("cases.id"))?;
            reindex_case(&mut tx, case).await?;
            count += 1;
        }
        tx.commit().await?;
    }
    Ok(count)
}

/// The FTS5 expression for a query: every index term quoted (so no user input is ever parsed as
/// query syntax), all required. `None` when the query has no searchable word.
pub(crate) fn match_expression(text: &str) -> Option<String> {
    let mut terms = ozodi_text::terms(text);
    terms.sort_unstable();
    terms.dedup();
    if terms.is_empty() {
        return None;
    }
    Some(terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" "))
}

/// Appends the conditions every search shares: visibility and facets.
fn conditions(b: &mut QueryBuilder<Sqlite>, q: &SearchQuery) {
    b.push(" WHERE c.deleted_at IS NULL");
    if !q.all_cases {
        b.push(" AND c.id IN (SELECT case_id FROM case_team WHERE removed_at IS NULL AND user_id = ");
        b.push_bind(q.user.to_string());
        b.push(")");
    }
    if let Some(region) = &q.region {
        b.push(" AND c.region = ").push_bind(region.clone());
    }
    if let Some(status) = &q.status {
        b.push(" AND c.status = ").push_bind(status.clone());
    }
    let code_facets = [("MT04", &q.act_type), ("MT05", &q.method), ("agency", &q.agency)];
    for (list, code) in code_facets {
        if let Some(code) = code {
            // A broader term finds its narrower ones (HURIDOCS codes nest by prefix): a range on
            // the (list, code) index, every code character sorting below '~'.
            b.push(
                " AND c.id IN (SELECT r.case_id FROM record_codes rc CROSS JOIN records r ON r.id = rc.record_id \
                 WHERE r.deleted_at IS NULL AND rc.list = ",
            );
            b.push_bind(list);
            b.push(" AND rc.code >= ").push_bind(code.clone());
            b.push(" AND rc.code < ").push_bind(format!("{code}~"));
            b.push(")");
        }
    }
    if let Some(kind) = &q.facility_type {
        b.push(
            " AND c.id IN (SELECT a.case_id FROM record_codes fc CROSS JOIN record_refs rr ON rr.target = fc.record_id \
             AND rr.field = 'facility' CROSS JOIN records a ON a.id = rr.record_id \
             WHERE a.deleted_at IS NULL AND fc.list = 'facility_type' AND fc.code = ",
        );
        b.push_bind(kind.clone()).push(")");
    }
    if q.from.is_some() || q.to.is_some() {
        b.push(
            " AND c.id IN (SELECT r.case_id FROM records r WHERE r.deleted_at IS NULL \
             AND r.kind IN ('event', 'act')",
        );
        if let Some(from) = q.from {
            b.push(" AND r.date_to >= ").push_bind(from.to_string());
        }
        if let Some(to) = q.to {
            b.push(" AND r.date_from <= ").push_bind(to.to_string());
        }
        b.push(")");
    }
}

/// The common table expressions of the hits of the text (`t`) and of names (`n`), as
/// `(rid, score)` with lower scores ranking first. Materialised: FTS5's `bm25` may only run in a
/// query of its own.
fn hits(b: &mut QueryBuilder<Sqlite>, q: &SearchQuery, expression: Option<&str>, tokens: &[String]) {
    b.push("WITH t(rid, score) AS MATERIALIZED (");
    match expression {
        Some(expression) => {
            b.push("SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH ");
            b.push_bind(expression.to_owned());
        }
        None => {
            b.push("SELECT 0, 0.0 WHERE 0");
        }
    }
    b.push("), n(rid, score) AS MATERIALIZED (");
    if tokens.is_empty() {
        b.push("SELECT 0, 0.0 WHERE 0");
    } else {
        // A person matches when every name word of the query matches one of their name skeletons;
        // only in cases where this user holds identity access.
        // Driven by the tokens (the primary key), never by a scan in person order.
        b.push(
            "SELECT cn.rowid, -1000000.0 FROM cases cn WHERE cn.id IN (SELECT m.case_id FROM \
             (SELECT ni.person_id, ni.case_id, ni.token FROM name_index ni INDEXED BY sqlite_autoindex_name_index_1 \
             WHERE ni.token IN (",
        );
        let mut sep = b.separated(", ");
        for t in tokens {
            sep.push_bind(t.clone());
        }
        b.push(")) m GROUP BY m.person_id HAVING count(DISTINCT m.token) = ");
        b.push_bind(i64::try_from(tokens.len()).unwrap_or(i64::MAX));
        b.push(
            ") AND cn.id IN (SELECT case_id FROM case_team WHERE removed_at IS NULL AND identity_access = 1 \
             AND user_id = ",
        );
        b.push_bind(q.user.to_string());
        b.push(")");
    }
    b.push(") ");
}

/// Above this many matches, results come newest first instead of by relevance.
const RANK_AT_MOST: i64 = 2_000;

pub(super) async fn search(
    pool: &SqlitePool,
    names: &NameIndex,
    q: &SearchQuery,
) -> StoreResult<SearchResults> {
    let expression = match_expression(&q.text);
    let mut tokens: Vec<String> = if q.names {
        ozodi_text::words(&q.text)
            .map(ozodi_text::name_key)
            .filter(|k| k.chars().count() >= 2)
            .map(|k| names.token(&k))
            .collect()
    } else {
        Vec::new()
    };
    tokens.sort_unstable();
    tokens.dedup();
    let has_text = !q.text.trim().is_empty();
    if has_text && expression.is_none() && tokens.is_empty() {
        return Ok(SearchResults { total: 0, cases: Vec::new() });
    }
    let start = |what: &str| {
        let mut b: QueryBuilder<Sqlite> = QueryBuilder::new("");
        if has_text {
            hits(&mut b, q, expression.as_deref(), &tokens);
            b.push(format!(
                "SELECT {what} FROM (SELECT rid, min(score) AS score FROM (SELECT rid, score FROM t UNION ALL \
                 SELECT rid, score FROM n) GROUP BY rid) h JOIN cases c ON c.rowid = h.rid"
            ));
        } else {
            b.push(format!("SELECT {what} FROM cases c"));
        }
        b
    };
    let mut count = start("count(*)");
    conditions(&mut count, q);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;

    // Ranking every match costs as much as there are matches; when a common word matches more
    // than a page-worth of cases many times over, the newest cases come first instead, read
    // straight from the index in order, so the page costs what it shows.
    let mut select = match (&expression, has_text && total > RANK_AT_MOST) {
        (Some(expression), true) => {
            let mut b: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT c.id FROM search_fts f JOIN cases c ON c.rowid = f.rowid WHERE search_fts MATCH ",
            );
            b.push_bind(expression.clone());
            b.push(" AND c.id IN (SELECT c.id FROM cases c");
            conditions(&mut b, q);
            b.push(") ORDER BY f.rowid DESC");
            b
        }
        _ => {
            let mut b = start("c.id");
            conditions(&mut b, q);
            b.push(if has_text {
                " ORDER BY h.score, c.opened_at DESC"
            } else {
                " ORDER BY c.opened_at DESC, c.number_seq DESC"
            });
            b
        }
    };
    select.push(" LIMIT ").push_bind(i64::from(q.limit)).push(" OFFSET ").push_bind(i64::from(q.offset));
    let ids: Vec<String> = select.build_query_scalar().fetch_all(pool).await?;
    let mut cases = Vec::with_capacity(ids.len());
    for id in ids {
        let id = CaseId::parse(&id).ok_or(StoreError::Corrupt("cases.id"))?;
        if let Some(case) = super::cases::get(pool, id).await? {
            cases.push(case);
        }
    }
    Ok(SearchResults { total: u64::try_from(total).unwrap_or(0), cases })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_query_becomes_quoted_terms_or_nothing() {
        assert_eq!(match_expression("Избиения в ИВС").as_deref(), Some("\"в\" \"ивс\" \"избиен\""));
        for hostile in
            ["\"", "*", "NEAR(a b)", "a OR b", "-x", "col:term", "^start", "(((", "'; DROP TABLE cases; --"]
        {
            let expr = match_expression(hostile).unwrap_or_default();
            assert!(
                expr.split(' ').all(|t| t.is_empty() || (t.starts_with('"') && t.ends_with('"'))),
                "{hostile} -> {expr}"
            );
        }
        assert_eq!(match_expression("  \"*: () "), None);
    }
}
