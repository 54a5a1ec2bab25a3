//! The public site's queries: a publication's course checked in the write transaction (the
//! stage and version the form was drawn at must still be current), the public copy of the
//! version published with its search terms, files, the site's own pages and the import's keys.

use ozodi_domain::UserId;
use ozodi_domain::record::{Kind, RecordId};
use ozodi_domain::site::{Page, Stage, Step, check_step};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::{from_micros, micros};
use crate::site::{Course, CourseStep, FileMeta, NewFile, PublicItem, SitePage, StepRequest};
use crate::{Record, StoreError, StoreResult};

/// The course of a publication, oldest step first.
pub(super) async fn course(conn: &mut SqliteConnection, id: RecordId) -> StoreResult<Course> {
    type StepRow = (String, String, i64, Option<i64>, String, i64, String);
    let rows: Vec<StepRow> = sqlx::query_as(
        "SELECT step, stage, version, public_version, note, at, actor FROM publication_steps \
         WHERE publication_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let bad = StoreError::Corrupt;
    let steps = rows
        .into_iter()
        .map(|(step, stage, version, public_version, note, at, actor)| {
            Ok(CourseStep {
                step: Step::parse(&step).ok_or(bad("publication_steps.step"))?,
                stage: Stage::parse(&stage).ok_or(bad("publication_steps.stage"))?,
                version,
                public_version,
                note,
                at: from_micros(at)?,
                actor: UserId::parse(&actor).ok_or(bad("publication_steps.actor"))?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let last = steps.last();
    Ok(Course {
        stage: last.map_or(Stage::Draft, |s| s.stage),
        public_version: last.and_then(|s| s.public_version),
        steps,
    })
}

/// The publication `id`, live, or `NotFound`.
async fn publication(conn: &mut SqliteConnection, id: RecordId) -> StoreResult<Record> {
    match super::records::load(conn, id).await? {
        Some(r) if r.kind == Kind::Publication && r.deleted.is_none() => Ok(r),
        _ => Err(StoreError::NotFound),
    }
}

/// Takes a step of a publication's course if the form's stage and version are still current;
/// publishing writes the public copy of that version, taking down removes it.
pub(super) async fn step(
    conn: &mut SqliteConnection,
    id: RecordId,
    request: &StepRequest,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<Course> {
    let record = publication(conn, id).await?;
    let current = course(conn, id).await?;
    if current.stage != request.from || record.version != request.version {
        return Err(StoreError::Conflict);
    }
    let stage = check_step(current.stage, request.step, &record.data).map_err(StoreError::SiteStep)?;
    let public_version = match request.step {
        Step::Publish => {
            publish(conn, &record, at).await?;
            Some(record.version)
        }
        Step::Unpublish => {
            take_down(conn, id).await?;
            None
        }
        Step::Submit | Step::Return => current.public_version,
    };
    append(conn, id, request.step, stage, record.version, public_version, &request.note, (actor, at)).await?;
    course(conn, id).await
}

#[expect(clippy::too_many_arguments, reason = "one row of the course, column by column")]
async fn append(
    conn: &mut SqliteConnection,
    id: RecordId,
    step: Step,
    stage: Stage,
    version: i64,
    public_version: Option<i64>,
    note: &str,
    (actor, at): (UserId, OffsetDateTime),
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO publication_steps (publication_id, seq, step, stage, version, public_version, note, at, actor) \
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM publication_steps WHERE publication_id = ?1), \
                 ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(id.to_string())
    .bind(step.code())
    .bind(stage.code())
    .bind(version)
    .bind(public_version)
    .bind(note.trim())
    .bind(micros(at))
    .bind(actor.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A publication that is tombstoned leaves the public site at once, with a step saying so.
pub(super) async fn withdraw(
    conn: &mut SqliteConnection,
    id: RecordId,
    version: i64,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let current = course(conn, id).await?;
    if current.public_version.is_none() && current.stage == Stage::Draft {
        return Ok(());
    }
    take_down(conn, id).await?;
    append(conn, id, Step::Unpublish, Stage::Draft, version, None, "removed", (actor, at)).await
}

async fn take_down(conn: &mut SqliteConnection, id: RecordId) -> StoreResult<()> {
    let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM site_published WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(seq) = seq {
        sqlx::query("DELETE FROM site_fts WHERE rowid = ?").bind(seq).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM site_published WHERE seq = ?").bind(seq).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The first language version of a publication: followed through `translation_of` (at most a
/// few hops; a loop ends where it started).
async fn group_of(conn: &mut SqliteConnection, record: &Record) -> StoreResult<RecordId> {
    let mut group = record.id;
    let mut next = record.data.text("translation_of").and_then(RecordId::parse);
    for _ in 0..8 {
        let Some(id) = next.filter(|n| *n != record.id) else { break };
        match super::records::load(conn, id).await? {
            Some(r) if r.kind == Kind::Publication => {
                group = r.id;
                next = r.data.text("translation_of").and_then(RecordId::parse);
            }
            _ => break,
        }
    }
    Ok(group)
}

/// Writes the public copy of the record's current version: the public fields only (never the
/// remarks), the files attached and not removed, and its search terms.
async fn publish(conn: &mut SqliteConnection, record: &Record, at: OffsetDateTime) -> StoreResult<()> {
    let data = &record.data;
    let text = |f: &str| data.text(f).unwrap_or("").trim().to_owned();
    let tags = ozodi_domain::site::tags(&text("tags"));
    let cases = cited(conn, &text("cited_cases")).await?;
    let public = serde_json::json!({
        "cases": cases,
        "title": text("title"),
        "summary": text("summary"),
        "body": text("body"),
        "tags": tags,
        "authors": text("authors"),
        "url": text("url"),
    });
    let files: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM publication_files WHERE publication_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(record.id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let day = data.date("initial_date").map(|d| d.date()).ok_or(StoreError::Invalid("initial_date"))?;
    let group = group_of(conn, record).await?;
    let first: Option<i64> = sqlx::query_scalar("SELECT first_published_at FROM site_published WHERE id = ?")
        .bind(record.id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    take_down(conn, record.id).await?;
    sqlx::query(
        "INSERT INTO site_published (seq, id, version, group_id, lang, kind, day, data, files, published_at, first_published_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(i64::from(record.seq))
    .bind(record.id.to_string())
    .bind(record.version)
    .bind(group.to_string())
    .bind(text("lang"))
    .bind(text("publication_kind"))
    .bind(day.to_string())
    .bind(public.to_string())
    .bind(serde_json::json!(files).to_string())
    .bind(micros(at))
    .bind(first.unwrap_or_else(|| micros(at)))
    .execute(&mut *conn)
    .await?;
    let searchable =
        [text("title"), text("summary"), text("body"), tags.join(" "), text("authors")].join("\n");
    sqlx::query("INSERT INTO site_fts (rowid, terms) VALUES (?, ?)")
        .bind(i64::from(record.seq))
        .bind(ozodi_text::terms(&searchable).join(" "))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

type PublishedRow = (i64, String, i64, String, String, String, String, String, String, i64, i64);

macro_rules! published {
    ($tail:literal) => {
        concat!(
            "SELECT seq, id, version, group_id, lang, kind, day, data, files, published_at, first_published_at ",
            "FROM site_published ",
            $tail
        )
    };
}

fn parse_published(row: PublishedRow, files: &[FileMeta]) -> StoreResult<PublicItem> {
    let (seq, id, version, group, lang, kind, day, data, file_ids, published_at, first) = row;
    let bad = StoreError::Corrupt;
    let json: serde_json::Value = serde_json::from_str(&data).map_err(|_| bad("site_published.data"))?;
    let ids: Vec<String> = serde_json::from_str(&file_ids).map_err(|_| bad("site_published.files"))?;
    let field = |f: &str| json.get(f).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    Ok(PublicItem {
        seq: u32::try_from(seq).map_err(|_| bad("site_published.seq"))?,
        id: RecordId::parse(&id).ok_or(bad("site_published.id"))?,
        version,
        group: RecordId::parse(&group).ok_or(bad("site_published.group_id"))?,
        lang,
        kind,
        day: ozodi_domain::dates::parse_iso_day(&day).ok_or(bad("site_published.day"))?,
        title: field("title"),
        summary: field("summary"),
        body: field("body"),
        tags: json
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        authors: field("authors"),
        url: field("url"),
        cases: json
            .get("cases")
            .and_then(|t| t.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        files: ids.iter().filter_map(|i| files.iter().find(|f| f.id.to_string() == *i).cloned()).collect(),
        first_published_at: from_micros(first)?,
        published_at: from_micros(published_at)?,
    })
}

/// Every published item, newest first (bodies included: the catalogue of a coalition is a few
/// thousand items), with the files they list.
pub(super) async fn published(conn: &mut SqliteConnection) -> StoreResult<Vec<PublicItem>> {
    let rows: Vec<PublishedRow> =
        sqlx::query_as(published!("ORDER BY day DESC, seq DESC")).fetch_all(&mut *conn).await?;
    let files = public_files(conn).await?;
    rows.into_iter().map(|r| parse_published(r, &files)).collect()
}

/// The numbers of the published items whose text has every searchable word of `query`, best
/// match first (at most 1,000).
pub(super) async fn search(conn: &mut SqliteConnection, query: &str) -> StoreResult<Vec<u32>> {
    let Some(expression) = ozodi_text::match_expression(query) else { return Ok(Vec::new()) };
    let seqs: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM site_fts WHERE site_fts MATCH ? ORDER BY rank LIMIT 1000")
            .bind(expression)
            .fetch_all(&mut *conn)
            .await?;
    Ok(seqs.into_iter().filter_map(|s| u32::try_from(s).ok()).collect())
}

macro_rules! file_meta {
    ($tail:literal) => {
        concat!(
            "SELECT id, publication_id, name, mime, size, sha256, created_by, created_at, deleted_at ",
            "FROM publication_files ",
            $tail
        )
    };
}

type FileRow = (String, String, String, String, i64, String, String, i64, Option<i64>);

fn parse_file(row: FileRow) -> StoreResult<FileMeta> {
    let (id, publication, name, mime, size, sha256, created_by, created_at, deleted_at) = row;
    let bad = StoreError::Corrupt;
    Ok(FileMeta {
        id: RecordId::parse(&id).ok_or(bad("publication_files.id"))?,
        publication: RecordId::parse(&publication).ok_or(bad("publication_files.publication_id"))?,
        name,
        mime,
        size: u64::try_from(size).map_err(|_| bad("publication_files.size"))?,
        sha256,
        created_by: UserId::parse(&created_by).ok_or(bad("publication_files.created_by"))?,
        created_at: from_micros(created_at)?,
        deleted_at: deleted_at.map(from_micros).transpose()?,
    })
}

/// The files some published item lists.
async fn public_files(conn: &mut SqliteConnection) -> StoreResult<Vec<FileMeta>> {
    let rows: Vec<FileRow> = sqlx::query_as(file_meta!(
        "WHERE id IN (SELECT j.value FROM site_published p, json_each(p.files) j)"
    ))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(parse_file).collect()
}

/// The files of a publication, removed ones included, oldest first.
pub(super) async fn files(conn: &mut SqliteConnection, publication: RecordId) -> StoreResult<Vec<FileMeta>> {
    let rows: Vec<FileRow> = sqlx::query_as(file_meta!("WHERE publication_id = ? ORDER BY created_at, id"))
        .bind(publication.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(parse_file).collect()
}

/// A file with its bytes; with `public`, only if a published item lists it.
pub(super) async fn file(
    conn: &mut SqliteConnection,
    id: RecordId,
    public: bool,
) -> StoreResult<Option<(FileMeta, Vec<u8>)>> {
    type FileWithBytes = (String, String, String, String, i64, String, String, i64, Option<i64>, Vec<u8>);
    let row: Option<FileWithBytes> = sqlx::query_as(
        "SELECT id, publication_id, name, mime, size, sha256, created_by, created_at, deleted_at, content \
             FROM publication_files f WHERE id = ? AND (? = 0 OR \
             EXISTS (SELECT 1 FROM site_published p, json_each(p.files) j WHERE j.value = f.id))",
    )
    .bind(id.to_string())
    .bind(public)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(id, p, name, mime, size, sha, by, at, del, content)| {
        Ok((parse_file((id, p, name, mime, size, sha, by, at, del))?, content))
    })
    .transpose()
}

/// Attaches a file to a live publication.
pub(super) async fn add_file(
    conn: &mut SqliteConnection,
    publication_id: RecordId,
    file: &NewFile,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<RecordId> {
    publication(conn, publication_id).await?;
    let id = RecordId::new();
    sqlx::query(
        "INSERT INTO publication_files (id, publication_id, name, mime, size, sha256, content, created_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(publication_id.to_string())
    .bind(&file.name)
    .bind(&file.mime)
    .bind(i64::try_from(file.bytes.len()).map_err(|_| StoreError::Invalid("file"))?)
    .bind(hex::encode(Sha256::digest(&file.bytes)))
    .bind(&file.bytes)
    .bind(actor.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Removes a file from its publication (a version already published keeps it until the next
/// publication or a take-down).
pub(super) async fn remove_file(
    conn: &mut SqliteConnection,
    publication_id: RecordId,
    id: RecordId,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE publication_files SET deleted_at = ?, deleted_by = ? \
         WHERE id = ? AND publication_id = ? AND deleted_at IS NULL",
    )
    .bind(micros(at))
    .bind(actor.to_string())
    .bind(id.to_string())
    .bind(publication_id.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Every page of the site in every language, the ones never written with version 0 and no
/// text.
pub(super) async fn pages(conn: &mut SqliteConnection) -> StoreResult<Vec<SitePage>> {
    let rows: Vec<(String, String, String, String, i64, i64)> =
        sqlx::query_as("SELECT page, lang, title, body, version, updated_at FROM site_pages")
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::new();
    for page in Page::ALL {
        for lang in ozodi_domain::site::LANGS {
            let row = rows.iter().find(|r| r.0 == page.code() && r.1 == lang);
            out.push(SitePage {
                page,
                lang: lang.to_owned(),
                title: row.map(|r| r.2.clone()).unwrap_or_default(),
                body: row.map(|r| r.3.clone()).unwrap_or_default(),
                version: row.map_or(0, |r| r.4),
                updated_at: row.map(|r| from_micros(r.5)).transpose()?,
            });
        }
    }
    Ok(out)
}

/// Saves a page of the site if it is still at `expected_version` (0 for one never written).
#[expect(clippy::too_many_arguments, reason = "the page, its text and who saves it when")]
pub(super) async fn save_page(
    conn: &mut SqliteConnection,
    page: Page,
    lang: &str,
    title: &str,
    body: &str,
    expected_version: i64,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    if !ozodi_domain::site::LANGS.contains(&lang) {
        return Err(StoreError::NotFound);
    }
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM site_pages WHERE page = ? AND lang = ?")
            .bind(page.code())
            .bind(lang)
            .fetch_optional(&mut *conn)
            .await?;
    if current.unwrap_or(0) != expected_version {
        return Err(StoreError::Conflict);
    }
    let version = expected_version + 1;
    sqlx::query(
        "INSERT INTO site_pages (page, lang, title, body, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (page, lang) DO UPDATE SET title = excluded.title, body = excluded.body, \
         version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(page.code())
    .bind(lang)
    .bind(title)
    .bind(body)
    .bind(version)
    .bind(actor.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    let change = if version == 1 { "created" } else { "updated" };
    let json = serde_json::json!({ "title": title, "body": body });
    let id = format!("{}/{lang}", page.code());
    super::version_json(conn, "site_page", &id, version, &json, (actor, at), change).await?;
    Ok(version)
}

/// The publication an import key brought in before, if any.
pub(super) async fn imported(conn: &mut SqliteConnection, key: &str) -> StoreResult<Option<RecordId>> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT publication_id FROM publication_imports WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(id.as_deref().and_then(RecordId::parse))
}

/// Remembers that `key` brought in `publication`.
pub(super) async fn remember_import(
    conn: &mut SqliteConnection,
    key: &str,
    publication: RecordId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO publication_imports (key, publication_id, imported_at) VALUES (?, ?, ?)")
        .bind(key)
        .bind(publication.to_string())
        .bind(micros(at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A case's public summary and its version, if one was written.
pub(super) async fn case_summary(
    conn: &mut SqliteConnection,
    case: ozodi_domain::case::CaseId,
) -> StoreResult<Option<(String, i64)>> {
    Ok(sqlx::query_as("SELECT text, version FROM case_public_summaries WHERE case_id = ?")
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?)
}

/// Saves a case's public summary if it is still at `expected_version` (0: none yet).
pub(super) async fn save_case_summary(
    conn: &mut SqliteConnection,
    case: ozodi_domain::case::CaseId,
    text: &str,
    expected_version: i64,
    actor: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let live: Option<bool> = sqlx::query_scalar("SELECT deleted_at IS NULL FROM cases WHERE id = ?")
        .bind(case.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if live != Some(true) {
        return Err(StoreError::NotFound);
    }
    let current = case_summary(conn, case).await?.map_or(0, |(_, v)| v);
    if current != expected_version {
        return Err(StoreError::Conflict);
    }
    let version = current + 1;
    sqlx::query(
        "INSERT INTO case_public_summaries (case_id, text, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (case_id) DO UPDATE SET text = excluded.text, version = excluded.version, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(case.to_string())
    .bind(text)
    .bind(version)
    .bind(actor.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    let change = if version == 1 { "created" } else { "updated" };
    let json = serde_json::json!({ "text": text });
    super::version_json(conn, "case_public_summary", &case.to_string(), version, &json, (actor, at), change)
        .await?;
    Ok(version)
}

/// The public summaries of the cases a publication cites (`TJ-2026-0042`, separated by commas),
/// in the order cited; refused when a number names no live case with a public summary (the
/// message does not say which of the two, so that nobody learns which cases exist).
async fn cited(conn: &mut SqliteConnection, line: &str) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    for number in line.split([',', ';']).map(str::trim).filter(|n| !n.is_empty()) {
        let missing = || StoreError::SiteStep(ozodi_domain::site::StepError::Incomplete(vec!["cited_cases"]));
        let number = ozodi_domain::case::CaseNumber::parse(number).ok_or_else(missing)?;
        let text: Option<String> = sqlx::query_scalar(
            "SELECT s.text FROM cases c JOIN case_public_summaries s ON s.case_id = c.id \
             WHERE c.number_year = ? AND c.number_seq = ? AND c.deleted_at IS NULL AND trim(s.text) != ''",
        )
        .bind(number.year())
        .bind(number.seq())
        .fetch_optional(&mut *conn)
        .await?;
        let text = text.ok_or_else(missing)?;
        if !out.contains(&text) {
            out.push(text);
        }
    }
    Ok(out)
}
