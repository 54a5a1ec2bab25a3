//! Monitoring queries: the course of a visit (checked against its machine inside the write
//! transaction), its team, the allegations received, the assessments of recommendations (their
//! evidence references checked to exist), and the import of recommendations.

use std::collections::{HashMap, HashSet};

use ozodi_domain::UserId;
use ozodi_domain::dates::{DatePrecision, PartialDate};
use ozodi_domain::intake::ContactId;
use ozodi_domain::monitoring::{
    self, Assessor, EvidenceLink, ImportDocument, ImportItem, ImportLine, ImportOutcome, SkipReason,
    paragraph_key, symbol_key,
};
use ozodi_domain::record::{self, Data, FieldType, Kind, RecordId, Value};
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};

use super::{from_micros, micros};
use crate::monitoring::{
    Allegation, Assessment, LatestAssessment, NewAssessment, NewTeamMember, ResolvedLink, TeamMember,
    VisitDetail, VisitStep,
};
use crate::{Record, StoreError, StoreResult};

fn parse_day(text: &str, column: &'static str) -> StoreResult<Date> {
    ozodi_domain::dates::parse_iso_day(text).ok_or(StoreError::Corrupt(column))
}

/// A live record of `kind` in the registry, or `NotFound` (a tombstoned one is not changed).
async fn live(conn: &mut SqliteConnection, id: RecordId, kind: Kind) -> StoreResult<Data> {
    let row: Option<(String, bool)> = sqlx::query_as(
        "SELECT data, deleted_at IS NULL FROM records WHERE id = ? AND kind = ? AND case_id IS NULL",
    )
    .bind(id.to_string())
    .bind(kind.code())
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some((data, true)) => {
            let json = serde_json::from_str(&data).map_err(|_| StoreError::Corrupt("records.data"))?;
            Ok(Data::from_json(kind, &json))
        }
        _ => Err(StoreError::NotFound),
    }
}

async fn term_exists(conn: &mut SqliteConnection, list: &str, code: &str) -> StoreResult<bool> {
    let live: Option<bool> =
        sqlx::query_scalar("SELECT deprecated = 0 FROM vocab_terms WHERE list = ? AND code = ?")
            .bind(list)
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(live == Some(true))
}

/// Writes the first step of a new visit.
pub(super) async fn initial_step(
    conn: &mut SqliteConnection,
    visit: RecordId,
    day: Date,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    insert_step(conn, visit, 1, monitoring::INITIAL, day, "", (by, at)).await
}

async fn insert_step(
    conn: &mut SqliteConnection,
    visit: RecordId,
    seq: i64,
    state: &str,
    day: Date,
    note: &str,
    (by, at): (UserId, OffsetDateTime),
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO visit_steps (visit_id, seq, state, on_day, note, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(visit.to_string())
    .bind(seq)
    .bind(state)
    .bind(day.to_string())
    .bind(note)
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The course, team and allegations of a visit.
pub(super) async fn detail(conn: &mut SqliteConnection, visit: RecordId) -> StoreResult<VisitDetail> {
    let id = visit.to_string();
    let steps: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT s.seq, s.state, s.on_day, s.note, u.display_name, s.at FROM visit_steps s \
         JOIN users u ON u.id = s.by_user WHERE s.visit_id = ? ORDER BY s.seq",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    type MemberRow = (i64, Option<String>, Option<String>, String, String, String, bool);
    type AllegationRow = (i64, bool, Option<String>, Option<i64>, i64);
    let team: Vec<MemberRow> = sqlx::query_as(
        "SELECT t.seq, t.user_id, u.display_name, t.organisation, t.role, t.sex, t.removed_at IS NOT NULL \
         FROM visit_team t LEFT JOIN users u ON u.id = t.user_id WHERE t.visit_id = ? ORDER BY t.seq",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    let allegations: Vec<AllegationRow> = sqlx::query_as(
        "SELECT a.seq, a.authorised, a.contact_id, c.seq, a.at FROM visit_allegations a \
         LEFT JOIN contacts c ON c.id = a.contact_id WHERE a.visit_id = ? ORDER BY a.seq",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(VisitDetail {
        steps: steps
            .into_iter()
            .map(|(seq, state, on_day, note, by_name, at)| {
                Ok(VisitStep {
                    seq,
                    state,
                    on_day: parse_day(&on_day, "visit_steps.on_day")?,
                    note,
                    by_name,
                    at: from_micros(at)?,
                })
            })
            .collect::<StoreResult<_>>()?,
        team: team
            .into_iter()
            .map(|(seq, user, user_name, organisation, role, sex, removed)| TeamMember {
                seq,
                user: user.as_deref().and_then(UserId::parse),
                user_name,
                organisation,
                role,
                sex,
                removed,
            })
            .collect(),
        allegations: allegations
            .into_iter()
            .map(|(seq, authorised, contact, contact_seq, at)| {
                let contact = contact.as_deref().and_then(ContactId::parse).zip(contact_seq);
                Ok(Allegation { seq, authorised, contact, at: from_micros(at)? })
            })
            .collect::<StoreResult<_>>()?,
    })
}

/// Where every visit stands: its last step.
pub(super) async fn states(conn: &mut SqliteConnection) -> StoreResult<HashMap<RecordId, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.visit_id, s.state FROM visit_steps s \
         WHERE s.seq = (SELECT max(seq) FROM visit_steps l WHERE l.visit_id = s.visit_id)",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().filter_map(|(id, state)| RecordId::parse(&id).map(|id| (id, state))).collect())
}

/// How many allegations each visit received, and how many of them were passed on as contacts.
pub(super) async fn allegation_counts(
    conn: &mut SqliteConnection,
) -> StoreResult<HashMap<RecordId, (i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT visit_id, count(*), count(contact_id) FROM visit_allegations GROUP BY visit_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, n, passed)| RecordId::parse(&id).map(|id| (id, (n, passed))))
        .collect())
}

/// Moves a visit's course on if its last step is still `expected_seq`; returns the state reached.
#[expect(
    clippy::too_many_arguments,
    reason = "a step: which visit, from where, to what, when and why, by whom"
)]
pub(super) async fn step(
    conn: &mut SqliteConnection,
    visit: RecordId,
    expected_seq: i64,
    to: &str,
    on_day: Date,
    note: &str,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<&'static str> {
    let data = live(conn, visit, Kind::Visit).await?;
    let current = detail(conn, visit).await?;
    if current.last_seq() != expected_seq {
        return Err(StoreError::Conflict);
    }
    let unannounced = data.text("notice") == Some(monitoring::UNANNOUNCED);
    let state =
        monitoring::check_step(current.state(), to, unannounced, note).map_err(StoreError::VisitStep)?;
    insert_step(conn, visit, expected_seq + 1, state, on_day, note.trim(), (by, at)).await?;
    Ok(state)
}

/// Adds a member to a visit's team; returns their number in it.
pub(super) async fn add_member(
    conn: &mut SqliteConnection,
    visit: RecordId,
    member: &NewTeamMember,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    live(conn, visit, Kind::Visit).await?;
    if !term_exists(conn, "visit_role", &member.role).await? {
        return Err(StoreError::Invalid("role"));
    }
    if !matches!(member.sex.as_str(), "01" | "02" | "99") {
        return Err(StoreError::Invalid("sex"));
    }
    let organisation = record::clean_text(&member.organisation, 200, true)
        .map_err(|_| StoreError::Invalid("organisation"))?;
    match member.user {
        Some(user) => {
            let active: Option<bool> = sqlx::query_scalar("SELECT disabled = 0 FROM users WHERE id = ?")
                .bind(user.to_string())
                .fetch_optional(&mut *conn)
                .await?;
            if active != Some(true) {
                return Err(StoreError::Invalid("user"));
            }
            let already: Option<i64> = sqlx::query_scalar(
                "SELECT seq FROM visit_team WHERE visit_id = ? AND user_id = ? AND removed_at IS NULL",
            )
            .bind(visit.to_string())
            .bind(user.to_string())
            .fetch_optional(&mut *conn)
            .await?;
            if already.is_some() {
                return Err(StoreError::Conflict);
            }
        }
        None if organisation.is_empty() => return Err(StoreError::Invalid("organisation")),
        None => {}
    }
    let seq: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM visit_team WHERE visit_id = ?")
        .bind(visit.to_string())
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO visit_team (visit_id, seq, user_id, organisation, role, sex, added_by, added_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(visit.to_string())
    .bind(seq)
    .bind(member.user.map(|u| u.to_string()))
    .bind(organisation)
    .bind(&member.role)
    .bind(&member.sex)
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

/// Marks a member of a visit's team removed.
pub(super) async fn remove_member(
    conn: &mut SqliteConnection,
    visit: RecordId,
    seq: i64,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    live(conn, visit, Kind::Visit).await?;
    let done = sqlx::query(
        "UPDATE visit_team SET removed_at = ?, removed_by = ? WHERE visit_id = ? AND seq = ? AND removed_at IS NULL",
    )
    .bind(micros(at))
    .bind(by.to_string())
    .bind(visit.to_string())
    .bind(seq)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Counts an allegation received during a visit, with the contact it became (if authorised).
pub(super) async fn add_allegation(
    conn: &mut SqliteConnection,
    visit: RecordId,
    contact: Option<ContactId>,
    authorised: bool,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    if contact.is_some() && !authorised {
        return Err(StoreError::Invalid("authorised"));
    }
    let seq: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM visit_allegations WHERE visit_id = ?")
            .bind(visit.to_string())
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO visit_allegations (visit_id, seq, authorised, contact_id, by_user, at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(visit.to_string())
    .bind(seq)
    .bind(authorised)
    .bind(contact.map(|c| c.to_string()))
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

/// The live visit an allegation is recorded on, and the region of its facility (the contact's
/// region, so the lawyers serving it hear of it).
pub(super) async fn allegation_target(
    conn: &mut SqliteConnection,
    visit: RecordId,
) -> StoreResult<Option<String>> {
    let data = live(conn, visit, Kind::Visit).await?;
    let Some(facility) = data.text("facility") else { return Ok(None) };
    let region: Option<Option<String>> =
        sqlx::query_scalar("SELECT data ->> '$.region' FROM records WHERE id = ? AND kind = 'facility'")
            .bind(facility)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(region.flatten())
}

/// Finds what a link points at: a case by its number, a registry record by its reference.
async fn resolve_link(conn: &mut SqliteConnection, link: &EvidenceLink) -> StoreResult<Option<String>> {
    match link {
        EvidenceLink::Publication(_) => Ok(None),
        EvidenceLink::Case(number) => {
            let number = ozodi_domain::case::CaseNumber::parse(number).ok_or(StoreError::Invalid("links"))?;
            let found: Option<String> =
                sqlx::query_scalar("SELECT id FROM cases WHERE number_year = ? AND number_seq = ?")
                    .bind(number.year())
                    .bind(number.seq())
                    .fetch_optional(&mut *conn)
                    .await?;
            found.map(Some).ok_or(StoreError::Invalid("links"))
        }
        EvidenceLink::Record(reference) => {
            let (prefix, number) = reference.split_once('-').ok_or(StoreError::Invalid("links"))?;
            let kind = Kind::REGISTRY
                .into_iter()
                .find(|k| k.prefix() == prefix)
                .ok_or(StoreError::Invalid("links"))?;
            let seq: i64 = number.parse().map_err(|_| StoreError::Invalid("links"))?;
            let found: Option<String> =
                sqlx::query_scalar("SELECT id FROM records WHERE kind = ? AND seq = ? AND case_id IS NULL")
                    .bind(kind.code())
                    .bind(seq)
                    .fetch_optional(&mut *conn)
                    .await?;
            found.map(Some).ok_or(StoreError::Invalid("links"))
        }
    }
}

/// Records an assessment of a live recommendation; returns its number.
pub(super) async fn add_assessment(
    conn: &mut SqliteConnection,
    recommendation: RecordId,
    new: &NewAssessment,
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<i64> {
    let kind: Option<String> = sqlx::query_scalar(
        "SELECT kind FROM records WHERE id = ? AND case_id IS NULL AND deleted_at IS NULL",
    )
    .bind(recommendation.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if !kind.as_deref().and_then(Kind::parse).is_some_and(Kind::assessed) {
        return Err(StoreError::NotFound);
    }
    if !term_exists(conn, "impl_status", &new.status).await? {
        return Err(StoreError::Invalid("status"));
    }
    let clean = |text: &str, max: usize, line: bool, field: &'static str| {
        record::clean_text(text, max, line).map_err(|_| StoreError::Invalid(field))
    };
    let grade = clean(&new.official_grade, 300, true, "official_grade")?;
    let source = clean(&new.source_doc, 100, true, "source_doc")?;
    let evidence = clean(&new.evidence, 20_000, false, "evidence")?;
    let mut links = Vec::new();
    for link in &new.links {
        let target = resolve_link(conn, link).await?;
        links.push(serde_json::json!([link.kind(), link.text(), target]));
    }
    let seq: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM assessments WHERE recommendation_id = ?")
            .bind(recommendation.to_string())
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO assessments (recommendation_id, seq, assessor, as_of, status, official_grade, source_doc, \
         evidence, links, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(recommendation.to_string())
    .bind(seq)
    .bind(new.assessor.code())
    .bind(new.as_of.to_string())
    .bind(&new.status)
    .bind(grade)
    .bind(source)
    .bind(evidence)
    .bind(serde_json::Value::from(links).to_string())
    .bind(by.to_string())
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

fn parse_links(json: &str) -> Vec<ResolvedLink> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let kind = item.get(0)?.as_str()?;
            let text = item.get(1)?.as_str()?.to_owned();
            let link = match kind {
                "case" => EvidenceLink::Case(text),
                "record" => EvidenceLink::Record(text),
                _ => EvidenceLink::Publication(text),
            };
            Some(ResolvedLink { link, target: item.get(2).and_then(|t| t.as_str()).map(str::to_owned) })
        })
        .collect()
}

/// The assessments of a recommendation, oldest first.
pub(super) async fn assessments(
    conn: &mut SqliteConnection,
    recommendation: RecordId,
) -> StoreResult<Vec<Assessment>> {
    type Row = (i64, String, String, String, String, String, String, String, String, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.seq, a.assessor, a.as_of, a.status, a.official_grade, a.source_doc, a.evidence, a.links, \
         u.display_name, a.at FROM assessments a JOIN users u ON u.id = a.by_user \
         WHERE a.recommendation_id = ? ORDER BY a.as_of, a.seq",
    )
    .bind(recommendation.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(seq, assessor, as_of, status, official_grade, source_doc, evidence, links, by_name, at)| {
            Ok(Assessment {
                seq,
                assessor: Assessor::parse(&assessor).ok_or(StoreError::Corrupt("assessments.assessor"))?,
                as_of: parse_day(&as_of, "assessments.as_of")?,
                status,
                official_grade,
                source_doc,
                evidence,
                links: parse_links(&links),
                by_name,
                at: from_micros(at)?,
            })
        })
        .collect()
}

/// The latest assessment from each viewpoint of every recommendation of `kind` (the latest day;
/// on the same day, the one recorded last).
pub(super) async fn latest(conn: &mut SqliteConnection, kind: Kind) -> StoreResult<Vec<LatestAssessment>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT recommendation_id, assessor, status, official_grade, as_of FROM ( \
           SELECT a.recommendation_id, a.assessor, a.status, a.official_grade, a.as_of, \
                  row_number() OVER (PARTITION BY a.recommendation_id, a.assessor ORDER BY a.as_of DESC, a.seq DESC) AS n \
           FROM assessments a JOIN records r ON r.id = a.recommendation_id WHERE r.kind = ?) WHERE n = 1",
    )
    .bind(kind.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, assessor, status, official_grade, as_of)| {
            Ok(LatestAssessment {
                recommendation: RecordId::parse(&id)
                    .ok_or(StoreError::Corrupt("assessments.recommendation_id"))?,
                assessor: Assessor::parse(&assessor).ok_or(StoreError::Corrupt("assessments.assessor"))?,
                status,
                official_grade,
                as_of: parse_day(&as_of, "assessments.as_of")?,
            })
        })
        .collect()
}

/// The live terms of a list with their labels (for matching what an import gives).
async fn terms(conn: &mut SqliteConnection, list: &str) -> StoreResult<Vec<(String, [String; 3])>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT code, label_en, label_ru, label_tg FROM vocab_terms WHERE list = ? AND deprecated = 0 ORDER BY position",
    )
    .bind(list)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(c, en, ru, tg)| (c, [en, ru, tg])).collect())
}

/// Lower case, single spaces, without a parenthesised part: how a label is compared.
fn label_key(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The term a raw value names: its code, or one of its labels (with or without the part in
/// brackets, in any case).
fn match_term(terms: &[(String, [String; 3])], raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let key = label_key(raw);
    terms
        .iter()
        .find(|(code, labels)| {
            code.eq_ignore_ascii_case(raw)
                || labels.iter().any(|l| label_key(l) == key || l.trim().to_lowercase() == raw.to_lowercase())
        })
        .map(|(code, _)| code.clone())
}

/// The vocabulary an import matches against.
struct Vocab(HashMap<&'static str, Vec<(String, [String; 3])>>);

impl Vocab {
    async fn load(conn: &mut SqliteConnection) -> StoreResult<Vocab> {
        let mut lists = HashMap::new();
        for list in [
            "un_mechanism",
            "uhri_theme",
            "affected_persons",
            "upr_position",
            "un_theme",
            "agency",
            "un_doc_type",
        ] {
            lists.insert(list, terms(conn, list).await?);
        }
        Ok(Vocab(lists))
    }

    fn code(&self, list: &str, raw: &str) -> Option<String> {
        let aliases: &[(&str, &str)] = match list {
            "un_mechanism" => &[
                ("SP", "SP-OTHER"),
                ("special procedures", "SP-OTHER"),
                ("HRC", "CCPR"),
                ("SR Torture", "SR-TORTURE"),
                ("SR on torture", "SR-TORTURE"),
            ],
            _ => &[],
        };
        aliases
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(raw.trim()))
            .map(|(_, c)| (*c).to_owned())
            .or_else(|| self.0.get(list).and_then(|terms| match_term(terms, raw)))
    }

    /// The codes of several raw values; the ones that match nothing go to `left_out`.
    fn codes(&self, list: &str, raws: &[String], field: &str, left_out: &mut Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for raw in raws.iter().filter(|r| !r.trim().is_empty()) {
            match self.code(list, raw) {
                Some(code) if !out.contains(&code) => out.push(code),
                Some(_) => {}
                None => left_out.push(format!("{field}: {}", raw.trim())),
            }
        }
        out
    }
}

fn field(kind: Kind, name: &str) -> StoreResult<&'static record::FieldDef> {
    kind.field(name).ok_or(StoreError::Corrupt("schema"))
}

/// Sets a text field from an import (empty leaves it unset); too long or control characters refuse
/// the item.
fn set_text(data: &mut Data, kind: Kind, name: &'static str, text: &str) -> Result<(), SkipReason> {
    let Some(def) = kind.field(name) else { return Ok(()) };
    let (max, line) = match def.ty {
        FieldType::Line(max) => (max, true),
        FieldType::Text(max) => (max, false),
        _ => return Ok(()),
    };
    let clean = record::clean_text(text, max, line).map_err(|_| SkipReason::BadText(name))?;
    if !clean.is_empty() {
        data.set(def, Value::Text(clean));
    }
    Ok(())
}

fn set_codes(data: &mut Data, kind: Kind, name: &str, codes: Vec<String>) -> StoreResult<()> {
    if !codes.is_empty() {
        data.set(field(kind, name)?, Value::Codes(codes));
    }
    Ok(())
}

fn set_day(data: &mut Data, kind: Kind, name: &str, day: Option<Date>) -> StoreResult<()> {
    if let Some(day) = day {
        data.set(field(kind, name)?, Value::Date(PartialDate::from_stored(day, DatePrecision::Exact)));
    }
    Ok(())
}

/// The official fields of an item, as the recommendation's values.
fn official(
    item: &ImportItem,
    vocab: &Vocab,
    mechanism: &str,
    left_out: &mut Vec<String>,
) -> StoreResult<Result<Data, SkipReason>> {
    let kind = Kind::UnRecommendation;
    let mut data = Data::default();
    data.set(field(kind, "mechanism")?, Value::Code(mechanism.to_owned()));
    let texts: [(&'static str, &str); 5] = [
        ("symbol", item.symbol.trim()),
        ("paragraph", item.paragraph.trim()),
        ("text_en", &item.text_en),
        ("text_ru", &item.text_ru),
        ("external_id", item.external_id.trim()),
    ];
    for (name, text) in texts {
        if let Err(reason) = set_text(&mut data, kind, name, text) {
            return Ok(Err(reason));
        }
    }
    let sdg =
        item.sdg_targets.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    if let Err(reason) = set_text(&mut data, kind, "sdg_targets", &sdg) {
        return Ok(Err(reason));
    }
    set_day(&mut data, kind, "document_date", item.date)?;
    set_codes(
        &mut data,
        kind,
        "uhri_themes",
        vocab.codes("uhri_theme", &item.uhri_themes, "uhri_themes", left_out),
    )?;
    set_codes(
        &mut data,
        kind,
        "affected_persons",
        vocab.codes("affected_persons", &item.affected_persons, "affected_persons", left_out),
    )?;
    if mechanism == "UPR" {
        if let Err(reason) = set_text(&mut data, kind, "recommending_state", &item.recommending_state) {
            return Ok(Err(reason));
        }
        if !item.upr_position.trim().is_empty() {
            match vocab.code("upr_position", &item.upr_position) {
                Some(code) => data.set(field(kind, "upr_position")?, Value::Code(code)),
                None => left_out.push(format!("upr_position: {}", item.upr_position.trim())),
            }
        }
    } else {
        for (name, raw) in
            [("recommending_state", &item.recommending_state), ("upr_position", &item.upr_position)]
        {
            if !raw.trim().is_empty() {
                left_out.push(format!("{name}: {}", raw.trim()));
            }
        }
    }
    Ok(Ok(data))
}

/// How an item is found again: its source id, else mechanism, symbol and paragraph (an item
/// stored without a symbol is found by mechanism and paragraph).
struct Existing {
    record: Record,
}

fn find<'a>(existing: &'a [Existing], mechanism: &str, item: &ImportItem) -> Option<&'a Existing> {
    let external = item.external_id.trim();
    if !external.is_empty()
        && let Some(found) = existing.iter().find(|e| e.record.data.text("external_id") == Some(external))
    {
        return Some(found);
    }
    let paragraph = paragraph_key(&item.paragraph);
    let symbol = symbol_key(&item.symbol);
    existing.iter().find(|e| {
        let data = &e.record.data;
        let stored_symbol = data.text("symbol").map(symbol_key).unwrap_or_default();
        data.text("mechanism") == Some(mechanism)
            && data.text("paragraph").map(paragraph_key).as_deref() == Some(paragraph.as_str())
            && (stored_symbol.is_empty() || symbol.is_empty() || stored_symbol == symbol)
    })
}

/// Imports documents and recommendations in one transaction: new items are added (with the
/// coalition's fields when the source carries them); existing ones get the official fields the
/// source gives, nothing else; the assessments are never touched. Returns a line per item.
pub(super) async fn import(
    conn: &mut SqliteConnection,
    documents: &[ImportDocument],
    items: &[ImportItem],
    by: UserId,
    at: OffsetDateTime,
) -> StoreResult<Vec<ImportLine>> {
    let vocab = Vocab::load(conn).await?;
    // The documents first, so the items can name them.
    let mut document_ids: HashMap<String, RecordId> = HashMap::new();
    for doc in super::records::registry(conn, Kind::UnDocument).await? {
        if let Some(symbol) = doc.data.text("symbol") {
            document_ids.insert(symbol_key(symbol), doc.id);
        }
        if let Some(title) = doc.data.text("title") {
            document_ids.entry(title.trim().to_lowercase()).or_insert(doc.id);
        }
    }
    for doc in documents {
        let symbol = symbol_key(&doc.symbol);
        let title_key = doc.title.trim().to_lowercase();
        let known = if symbol.is_empty() { document_ids.get(&title_key) } else { document_ids.get(&symbol) };
        if known.is_some() || title_key.is_empty() {
            continue;
        }
        let Some(mechanism) = vocab.code("un_mechanism", &doc.mechanism) else { continue };
        let kind = Kind::UnDocument;
        let mut data = Data::default();
        data.set(field(kind, "mechanism")?, Value::Code(mechanism));
        let texts: [(&'static str, &str); 5] = [
            ("title", &doc.title),
            ("symbol", &doc.symbol),
            ("session", &doc.session),
            ("read_status", &doc.read_status),
            ("remarks", &doc.notes),
        ];
        let mut bad = false;
        for (name, text) in texts {
            bad |= set_text(&mut data, kind, name, text).is_err();
        }
        if bad {
            continue;
        }
        if let Some(code) = vocab.code("un_doc_type", &doc.doc_type) {
            data.set(field(kind, "doc_type")?, Value::Code(code));
        }
        set_day(&mut data, kind, "adopted_date", doc.adopted)?;
        set_day(&mut data, kind, "issued_date", doc.issued)?;
        let record = super::records::create(conn, kind, None, &data, by, at).await?;
        document_ids.insert(if symbol.is_empty() { title_key } else { symbol }, record.id);
    }
    let mut existing: Vec<Existing> = super::records::registry(conn, Kind::UnRecommendation)
        .await?
        .into_iter()
        .map(|record| Existing { record })
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut lines = Vec::with_capacity(items.len());
    for item in items {
        let label = match (item.symbol.trim(), item.paragraph.trim()) {
            ("", p) => format!("{} ¶{p}", item.mechanism.trim()),
            (s, p) => format!("{s} ¶{p}"),
        };
        let mut line = ImportLine {
            position: item.position,
            label,
            outcome: ImportOutcome::Added,
            left_out: Vec::new(),
        };
        let Some(mechanism) = vocab.code("un_mechanism", &item.mechanism) else {
            line.outcome = ImportOutcome::Skipped(SkipReason::UnknownMechanism(
                item.mechanism.trim().chars().take(100).collect(),
            ));
            lines.push(line);
            continue;
        };
        if !item.countries.is_empty() && !item.countries.iter().any(|c| monitoring::is_tajikistan(c)) {
            let countries = item.countries.join(", ").chars().take(100).collect();
            line.outcome = ImportOutcome::Skipped(SkipReason::OtherCountry(countries));
            lines.push(line);
            continue;
        }
        if paragraph_key(&item.paragraph).is_empty() {
            line.outcome = ImportOutcome::Skipped(SkipReason::NoParagraph);
            lines.push(line);
            continue;
        }
        let key = format!("{mechanism}|{}|{}", symbol_key(&item.symbol), paragraph_key(&item.paragraph));
        if !seen.insert(key) {
            line.outcome = ImportOutcome::Skipped(SkipReason::Repeated);
            lines.push(line);
            continue;
        }
        let official = match official(item, &vocab, &mechanism, &mut line.left_out)? {
            Ok(data) => data,
            Err(reason) => {
                line.outcome = ImportOutcome::Skipped(reason);
                lines.push(line);
                continue;
            }
        };
        let kind = Kind::UnRecommendation;
        match find(&existing, &mechanism, item) {
            Some(found) if found.record.deleted.is_some() => {
                line.outcome = ImportOutcome::Skipped(SkipReason::Removed);
            }
            Some(found) => {
                let mut merged = found.record.data.clone();
                let mut changed = Vec::new();
                for name in record::UN_OFFICIAL_FIELDS {
                    if let Some(value) = official.get(name)
                        && merged.get(name) != Some(value)
                    {
                        merged.set(field(kind, name)?, value.clone());
                        changed.push(*name);
                    }
                }
                if changed.is_empty() {
                    line.outcome = ImportOutcome::Skipped(SkipReason::Unchanged);
                } else {
                    let id = found.record.id;
                    let version = found.record.version;
                    let updated = super::records::update(conn, id, version, &merged, by, at).await?;
                    if let Some(slot) = existing.iter_mut().find(|e| e.record.id == id) {
                        slot.record = updated;
                    }
                    line.outcome = ImportOutcome::Updated(changed);
                }
            }
            None => {
                let mut data = official;
                if let Some(own) = &item.own {
                    let mut bad = None;
                    for (name, text) in [
                        ("summary_en", &own.summary_en),
                        ("summary_ru", &own.summary_ru),
                        ("source_note", &own.source_note),
                    ] {
                        if let Err(reason) = set_text(&mut data, kind, name, text) {
                            bad = Some(reason);
                        }
                    }
                    if let Some(reason) = bad {
                        line.outcome = ImportOutcome::Skipped(reason);
                        lines.push(line);
                        continue;
                    }
                    set_codes(
                        &mut data,
                        kind,
                        "themes",
                        vocab.codes("un_theme", &own.themes, "themes", &mut line.left_out),
                    )?;
                    set_codes(
                        &mut data,
                        kind,
                        "responsible_bodies",
                        vocab.codes(
                            "agency",
                            &own.responsible_bodies,
                            "responsible_bodies",
                            &mut line.left_out,
                        ),
                    )?;
                    if own.followup {
                        data.set(field(kind, "followup")?, Value::Flag);
                    }
                    if own.verified {
                        data.set(field(kind, "verified")?, Value::Flag);
                    }
                    let doc_key = symbol_key(&own.document);
                    let document = document_ids
                        .get(&doc_key)
                        .or_else(|| document_ids.get(&own.document.trim().to_lowercase()));
                    if let Some(document) = document {
                        data.set(field(kind, "document")?, Value::Ref(document.to_string()));
                    }
                }
                let record = super::records::create(conn, kind, None, &data, by, at).await?;
                existing.push(Existing { record });
            }
        }
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_in_any_case_with_or_without_what_is_in_brackets() {
        let terms = vec![
            (
                "CAT".to_owned(),
                [
                    "Committee against Torture (CAT)".to_owned(),
                    "Комитет против пыток (КПП)".to_owned(),
                    String::new(),
                ],
            ),
            (
                "MoIA".to_owned(),
                ["Ministry of Internal Affairs (police/militia)".to_owned(), String::new(), String::new()],
            ),
        ];
        assert_eq!(match_term(&terms, "cat"), Some("CAT".into()));
        assert_eq!(match_term(&terms, "Committee against torture"), Some("CAT".into()));
        assert_eq!(match_term(&terms, "КОМИТЕТ ПРОТИВ ПЫТОК"), Some("CAT".into()));
        assert_eq!(match_term(&terms, "Ministry of Internal Affairs"), Some("MoIA".into()));
        assert_eq!(match_term(&terms, "Ministry"), None);
        assert_eq!(match_term(&terms, "  "), None);
    }
}
