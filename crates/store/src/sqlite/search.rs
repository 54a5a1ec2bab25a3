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
    sqlx::query("DELETE FROM case_facet_rows WHERE case_row = ?").bind(rowid).execute(&mut *conn).await?;
    // The statistics' facts are derived from the same records, in the same transaction.
    super::stats::refresh_case(conn, &id).await?;
    if deleted.is_some() {
        return Ok(());
    }
    facets(conn, rowid, &id).await?;
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

/// The `(facet, value)` pairs of the live case with rowid `?1` and id `?2` (see the `case_facets`
/// and `facet_ids` migrations): region, status, team and identity access, and the terms of its
/// records with their broader terms (every term of the list whose code is a prefix of the code).
macro_rules! case_facets {
    () => {
        "used (facet, value) AS ( \
     SELECT 'region', region FROM cases WHERE rowid = ?1 AND region IS NOT NULL \
     UNION ALL SELECT 'status', status FROM cases WHERE rowid = ?1 \
     UNION ALL SELECT 'team', user_id FROM case_team WHERE case_id = ?2 AND removed_at IS NULL \
     UNION ALL SELECT 'identity', user_id FROM case_team WHERE case_id = ?2 AND removed_at IS NULL \
         AND identity_access = 1 \
     UNION SELECT t.list, v.code FROM ( \
         SELECT DISTINCT rc.list, rc.code FROM records r JOIN record_codes rc ON rc.record_id = r.id \
         WHERE r.case_id = ?2 AND r.deleted_at IS NULL AND rc.list IN ('MT04', 'MT05', 'agency') \
         UNION SELECT DISTINCT 'facility_type', fc.code FROM records r \
         JOIN record_refs rr ON rr.record_id = r.id AND rr.field = 'facility' \
         JOIN record_codes fc ON fc.record_id = rr.target AND fc.list = 'facility_type' \
         WHERE r.case_id = ?2 AND r.deleted_at IS NULL) t \
     JOIN vocab_terms v ON v.list = t.list AND v.code = substr(t.code, 1, length(v.code)))"
    };
}

/// Writes the facet rows of a live case: its values get ids first if they have none yet.
async fn facets(conn: &mut SqliteConnection, rowid: i64, id: &str) -> StoreResult<()> {
    sqlx::query(concat!(
        "WITH ",
        case_facets!(),
        " INSERT OR IGNORE INTO facet_values (facet, value) SELECT facet, value FROM used"
    ))
    .bind(rowid)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(concat!(
        "WITH ",
        case_facets!(),
        " INSERT OR IGNORE INTO case_facet_rows (fid, case_row) \
         SELECT v.id, ?1 FROM used JOIN facet_values v ON v.facet = used.facet AND v.value = used.value"
    ))
    .bind(rowid)
    .bind(id)
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
        sqlx::query(
            "INSERT OR IGNORE INTO name_index (token, case_row, person_id, case_id) \
             SELECT ?1, rowid, ?2, id FROM cases WHERE id = ?3",
        )
        .bind(token)
        .bind(person)
        .bind(case.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Rebuilds every case's document; returns how many cases were indexed.
pub(super) async fn rebuild(pool: &SqlitePool) -> StoreResult<u64> {
    // The name index is keyed by case rowid too, which a VACUUM may renumber.
    sqlx::query(
        "UPDATE name_index SET case_row = (SELECT rowid FROM cases WHERE cases.id = name_index.case_id) \
         WHERE case_row <> (SELECT rowid FROM cases WHERE cases.id = name_index.case_id)",
    )
    .execute(pool)
    .await?;
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

/// The facet values a query asks for, as `(facet, value)` pairs of `facet_values`: the terms of
/// records, region and status, and the team the user must be on.
fn wanted_facets(q: &SearchQuery) -> Vec<(&'static str, String)> {
    let mut wanted = Vec::new();
    for (facet, value) in [
        ("MT04", &q.act_type),
        ("MT05", &q.method),
        ("agency", &q.agency),
        ("facility_type", &q.facility_type),
        ("region", &q.region),
        ("status", &q.status),
    ] {
        if let Some(value) = value {
            wanted.push((facet, value.clone()));
        }
    }
    if !q.all_cases {
        wanted.push(("team", q.user.to_string()));
    }
    wanted
}

/// The id and case count of each facet value (`facet_values`), in the order asked; `None` for a
/// value no case lists.
async fn resolve(
    conn: &mut SqliteConnection,
    facets: &[(&'static str, String)],
) -> StoreResult<Vec<Option<(i64, i64)>>> {
    let wanted = serde_json::Value::from(
        facets.iter().map(|(facet, value)| serde_json::json!([facet, value])).collect::<Vec<_>>(),
    );
    let found: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT j.key, v.id, v.cases FROM json_each(?) j \
         JOIN facet_values v ON v.facet = j.value ->> 0 AND v.value = j.value ->> 1 WHERE v.cases > 0",
    )
    .bind(wanted.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = vec![None; facets.len()];
    for (key, id, cases) in found {
        if let Some(slot) = usize::try_from(key).ok().and_then(|k| out.get_mut(k)) {
            *slot = Some((id, cases));
        }
    }
    Ok(out)
}

/// The ids of the resolved values `chosen`, ordered by how many cases each lists, fewest first:
/// the first drives a list without text, and the probes that most often fail come first. `None`
/// when one of them lists no case at all (then nothing can match).
fn shortest_first(chosen: impl IntoIterator<Item = Option<(i64, i64)>>) -> Option<Vec<i64>> {
    let mut found = chosen.into_iter().collect::<Option<Vec<_>>>()?;
    found.sort_by_key(|(_, cases)| *cases);
    Some(found.into_iter().map(|(id, _)| id).collect())
}

/// Appends, for the case whose rowid is the SQL expression `row`, one primary-key probe per facet
/// value id and the date range.
fn conditions(b: &mut QueryBuilder<Sqlite>, q: &SearchQuery, row: &str, facets: &[i64]) {
    for fid in facets {
        b.push(" AND EXISTS (SELECT 1 FROM case_facet_rows p WHERE p.fid = ").push_bind(*fid);
        b.push(format!(" AND p.case_row = {row})"));
    }
    if q.from.is_some() || q.to.is_some() {
        b.push(format!(
            " AND EXISTS (SELECT 1 FROM cases dc JOIN records r ON r.case_id = dc.id WHERE dc.rowid = {row} \
             AND r.deleted_at IS NULL AND r.kind IN ('event', 'act')"
        ));
        if let Some(from) = q.from {
            b.push(" AND r.date_to >= ").push_bind(from.to_string());
        }
        if let Some(to) = q.to {
            b.push(" AND r.date_from <= ").push_bind(to.to_string());
        }
        b.push(")");
    }
}

/// The rowids of the cases where a person's name matches every name word of the query (blind
/// tokens), among the cases where the user holds identity access and that meet the facets; newest
/// first.
async fn name_hits(
    conn: &mut SqliteConnection,
    q: &SearchQuery,
    tokens: &[String],
    with_identity: Option<Vec<i64>>,
) -> StoreResult<Vec<i64>> {
    let Some(with_identity) = with_identity else { return Ok(Vec::new()) };
    // Read backwards along the first token's cases; every other token must belong to the same
    // person (a primary-key probe each).
    let Some((first, others)) = tokens.split_first() else { return Ok(Vec::new()) };
    let mut b: QueryBuilder<Sqlite> =
        QueryBuilder::new("SELECT DISTINCT n.case_row FROM name_index n WHERE n.token = ");
    b.push_bind(first.clone());
    for t in others {
        b.push(" AND EXISTS (SELECT 1 FROM name_index m WHERE m.token = ");
        b.push_bind(t.clone());
        b.push(" AND m.case_row = n.case_row AND m.person_id = n.person_id)");
    }
    conditions(&mut b, q, "n.case_row", &with_identity);
    b.push(" ORDER BY n.case_row DESC LIMIT ")
        .push_bind(i64::try_from(SearchResults::COUNT_AT_MOST + 1).unwrap_or(0));
    Ok(b.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// The rowids of the cases whose document matches the text (or, without text, that meet the
/// facets), newest first or, for text, by relevance (FTS5's `bm25`, best first); at most `limit`.
async fn matches(
    conn: &mut SqliteConnection,
    q: &SearchQuery,
    expression: Option<&str>,
    facets: &[i64],
    limit: i64,
    by_relevance: bool,
) -> StoreResult<Vec<i64>> {
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new("");
    match (expression, facets.split_first()) {
        (Some(expression), _) => {
            b.push("SELECT f.rowid FROM search_fts f WHERE search_fts MATCH ")
                .push_bind(expression.to_owned());
            conditions(&mut b, q, "f.rowid", facets);
            b.push(if by_relevance {
                " ORDER BY bm25(search_fts), f.rowid DESC"
            } else {
                " ORDER BY f.rowid DESC"
            });
        }
        (None, Some((fid, rest))) => {
            b.push("SELECT d.case_row FROM case_facet_rows d WHERE d.fid = ").push_bind(*fid);
            conditions(&mut b, q, "d.case_row", rest);
            b.push(" ORDER BY d.case_row DESC");
        }
        (None, None) => {
            b.push("SELECT c.rowid FROM cases c WHERE c.deleted_at IS NULL");
            conditions(&mut b, q, "c.rowid", &[]);
            b.push(" ORDER BY c.rowid DESC");
        }
    }
    b.push(" LIMIT ").push_bind(limit);
    Ok(b.build_query_scalar().fetch_all(&mut *conn).await?)
}

/// A search: matching cases are collected up to [`SearchResults::COUNT_AT_MOST`] (plus one, to
/// know there are more), each condition a probe of the facets, so a query costs what it collects
/// whatever the size of the instance. Cases found by a name come first; then text matches by
/// relevance when the words match at most that many documents, newest first otherwise (and for
/// lists without text).
pub(super) async fn search(
    pool: &SqlitePool,
    names: &NameIndex,
    q: &SearchQuery,
) -> StoreResult<SearchResults> {
    let expression = ozodi_text::match_expression(&q.text);
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
        return Ok(SearchResults { total: 0, more: false, cases: Vec::new() });
    }
    let cap = usize::try_from(SearchResults::COUNT_AT_MOST).unwrap_or(usize::MAX);
    // One connection for every step: each release of a pooled connection is a round trip to its
    // thread.
    let mut conn = pool.acquire().await?;
    let conn = &mut *conn;
    // The query's facet values and, for names, the user's identity access, resolved together.
    // Names are found only where the user holds identity access, whatever team the case has.
    let mut wanted = wanted_facets(q);
    wanted.push(("identity", q.user.to_string()));
    let resolved = resolve(conn, &wanted).await?;
    let (identity, rest) = resolved.split_last().map_or((None, &[][..]), |(i, r)| (*i, r));
    let for_names = shortest_first(
        wanted.iter().zip(rest).filter(|((facet, _), _)| *facet != "team").map(|(_, r)| *r).chain([identity]),
    );
    let facets = shortest_first(rest.iter().copied());
    let mut found =
        if tokens.is_empty() { Vec::new() } else { name_hits(conn, q, &tokens, for_names).await? };
    if let Some(facets) = facets.filter(|_| !has_text || expression.is_some()) {
        let limit = i64::try_from(cap + 1).unwrap_or(i64::MAX);
        // Relevance needs every match scored: only when the words match at most `cap` documents
        // (counted straight from the index, which stops there), else newest first.
        let by_relevance = match &expression {
            Some(expression) => {
                let documents: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?)",
                )
                .bind(expression)
                .bind(limit)
                .fetch_one(&mut *conn)
                .await?;
                documents < limit
            }
            None => false,
        };
        let by_text = matches(conn, q, expression.as_deref(), &facets, limit, by_relevance).await?;
        let named: std::collections::HashSet<i64> = found.iter().copied().collect();
        found.extend(by_text.into_iter().filter(|r| !named.contains(r)));
    }
    let more = found.len() > cap;
    found.truncate(cap);
    let start = usize::try_from(q.offset).unwrap_or(usize::MAX).min(found.len());
    let end = start.saturating_add(usize::try_from(q.limit).unwrap_or(0)).min(found.len());
    let cases = super::cases::by_rowids(conn, &found[start..end]).await?;
    Ok(SearchResults { total: u64::try_from(found.len()).unwrap_or(0), more, cases })
}
