//! Statistics queries (DOMAIN.md section 6). Every figure is computed from the records when asked,
//! with the filters each indicator can honour (`domain::stats`): acts through their derived facts
//! (`stat_acts`, rewritten with the case's search document), the rest from the records of one
//! kind (indexed by kind), their case's region and hotline, and their own date.

use ozodi_domain::stats::{AgeGroup, Filter, Indicator};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::StoreResult;
use crate::stats::{Figure, Part};

/// The facts of the live acts of live cases, from the records; `{case}` is the condition on the
/// act's case.
macro_rules! facts_sql {
    ($case:literal) => {
        concat!(
            "INSERT INTO stat_acts (act_id, case_id, event_id, victim_id, victim_unit, day, region, hotline, agency, ",
            "facility_type, sex, minor, act_type, victim_status, violation) ",
            "SELECT a.id, a.case_id, a.data ->> '$.event', a.data ->> '$.victim', p.counting_unit, ",
            "coalesce(a.data ->> '$.initial_date.date', e.data ->> '$.initial_date.date'), ",
            "coalesce(e.data ->> '$.region', c.region), c.hotline, ",
            // By the case's own records: left to itself the planner would walk every involvement
            // of the instance in `seq` order (the `(kind, seq)` index) to avoid a sort.
            "(SELECT i.data ->> '$.agency' FROM records i INDEXED BY records_by_case ",
            "WHERE i.case_id = a.case_id AND i.kind = 'involvement' ",
            " AND i.deleted_at IS NULL AND i.data ->> '$.act' = a.id AND i.data ->> '$.agency' IS NOT NULL ",
            " ORDER BY i.seq LIMIT 1), ",
            "f.data ->> '$.facility_type', p.sex, ",
            "CASE WHEN a.data ->> '$.age' IS NULL THEN NULL WHEN a.data ->> '$.age' < 18 THEN 1 ELSE 0 END, ",
            "a.data ->> '$.act_type', a.data ->> '$.victim_status', e.data ->> '$.violation_status' ",
            "FROM records a JOIN cases c ON c.id = a.case_id ",
            "LEFT JOIN records e ON e.id = a.data ->> '$.event' ",
            "LEFT JOIN persons p ON p.id = a.data ->> '$.victim' ",
            "LEFT JOIN records f ON f.id = a.data ->> '$.facility' ",
            "WHERE a.kind = 'act' AND a.deleted_at IS NULL AND c.deleted_at IS NULL AND ",
            $case
        )
    };
}

/// Rewrites the facts of one case (none for a tombstoned case).
pub(super) async fn refresh_case(conn: &mut SqliteConnection, case: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM stat_acts WHERE case_id = ?").bind(case).execute(&mut *conn).await?;
    sqlx::query(facts_sql!("a.case_id = ?")).bind(case).execute(&mut *conn).await?;
    Ok(())
}

/// Fills the facts of every case when there are none yet but there are acts (an instance from
/// before the statistics); returns whether it did.
pub(super) async fn backfill(conn: &mut SqliteConnection) -> StoreResult<bool> {
    let have: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM stat_acts LIMIT 1").fetch_optional(&mut *conn).await?;
    let acts: Option<i64> = sqlx::query_scalar("SELECT 1 FROM records WHERE kind = 'act' LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if have.is_some() || acts.is_none() {
        return Ok(false);
    }
    sqlx::query(facts_sql!("a.case_id IS NOT NULL")).execute(&mut *conn).await?;
    Ok(true)
}

/// The torture and ill-treatment acts (`domain::stats::TORTURE`, `ill_treatment`).
const TORTURE_OR_ILLT: &str = " AND (s.act_type = '02011111' OR s.act_type = 'TJ.ACT.ILLT' OR \
     (s.act_type LIKE '0201%' AND s.act_type <> '02011111'))";
/// Documented by the event's violation status (`domain::stats::documented_status`).
const DOCUMENTED: &str = " AND (s.violation LIKE '01%' OR s.violation IN ('03', '04'))";
/// Deaths (`domain::stats::death`).
const DEATH: &str = " AND (s.act_type IN ('01010601', '01019001') OR s.victim_status = '0101')";

/// The filters on the facts `s` of acts.
fn act_filters(b: &mut QueryBuilder<Sqlite>, f: &Filter) {
    if let Some(from) = f.from {
        b.push(" AND s.day >= ").push_bind(from.to_string());
    }
    if let Some(to) = f.to {
        b.push(" AND s.day <= ").push_bind(to.to_string());
    }
    for (column, value) in [
        ("s.region", &f.region),
        ("s.hotline", &f.hotline),
        ("s.agency", &f.agency),
        ("s.facility_type", &f.facility_type),
        ("s.sex", &f.sex),
    ] {
        if let Some(value) = value {
            b.push(format!(" AND {column} = ")).push_bind(value.clone());
        }
    }
    match f.age {
        Some(AgeGroup::Minor) => {
            b.push(" AND s.minor = 1");
        }
        Some(AgeGroup::Adult) => {
            b.push(" AND s.minor = 0");
        }
        None => {}
    }
}

/// The filters on work of a case `c` dated by `day` (an SQL expression of an ISO day).
fn case_filters(b: &mut QueryBuilder<Sqlite>, f: &Filter, day: &str) {
    if let Some(from) = f.from {
        b.push(format!(" AND {day} >= ")).push_bind(from.to_string());
    }
    if let Some(to) = f.to {
        b.push(format!(" AND {day} <= ")).push_bind(to.to_string());
    }
    if let Some(region) = &f.region {
        b.push(" AND c.region = ").push_bind(region.clone());
    }
    if let Some(hotline) = &f.hotline {
        b.push(" AND c.hotline = ").push_bind(hotline.clone());
    }
}

/// A period alone on `day`.
fn period(b: &mut QueryBuilder<Sqlite>, f: &Filter, day: &str) {
    if let Some(from) = f.from {
        b.push(format!(" AND {day} >= ")).push_bind(from.to_string());
    }
    if let Some(to) = f.to {
        b.push(format!(" AND {day} <= ")).push_bind(to.to_string());
    }
}

/// Runs a `(key, count)` query; keys that are NULL become "".
async fn pairs(conn: &mut SqliteConnection, mut b: QueryBuilder<Sqlite>) -> StoreResult<Vec<(String, i64)>> {
    let rows: Vec<(Option<String>, i64)> = b.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(k, n)| (k.unwrap_or_default(), n)).collect())
}

async fn single(conn: &mut SqliteConnection, mut b: QueryBuilder<Sqlite>) -> StoreResult<i64> {
    Ok(b.build_query_scalar::<i64>().fetch_one(&mut *conn).await?)
}

fn terms(list: &'static str, rows: Vec<(String, i64)>) -> Vec<Part> {
    rows.into_iter().filter(|(_, n)| *n > 0).map(|(code, n)| Part::term(list, code, n)).collect()
}

/// The state of a proceeding `p`: its last step.
const PROCEEDING_STATE: &str =
    "(SELECT ps.state FROM proceeding_steps ps WHERE ps.proceeding_id = p.id ORDER BY ps.seq DESC LIMIT 1)";

/// Proceedings of one kind with their case, filtered.
fn proceedings(select: &str, kind: &str, f: &Filter) -> QueryBuilder<Sqlite> {
    let mut b = QueryBuilder::new(format!(
        "SELECT {select} FROM records p JOIN cases c ON c.id = p.case_id \
         WHERE p.kind = 'proceeding' AND p.deleted_at IS NULL AND c.deleted_at IS NULL"
    ));
    if !kind.is_empty() {
        b.push(" AND p.data ->> '$.proceeding_kind' = ").push_bind(kind.to_owned());
    }
    case_filters(&mut b, f, "p.data ->> '$.initial_date.date'");
    b
}

/// The professions that count as health workers (the `profession` list's first six).
pub const HEALTH_WORKERS: [&str; 6] =
    ["FORENSIC", "DOCTOR", "PSYCHIATRIST", "PSYCHOLOGIST", "NURSE", "CUSTODIAL_MEDIC"];

/// Computes one indicator's figure.
pub(super) async fn figure(
    conn: &mut SqliteConnection,
    indicator: Indicator,
    f: &Filter,
) -> StoreResult<Figure> {
    let mut parts = Vec::new();
    let value = match indicator {
        Indicator::Contacts | Indicator::Army => {
            let army = indicator == Indicator::Army;
            let contacts = |select: &str| {
                let mut b = QueryBuilder::new(format!("SELECT {select} FROM contacts k WHERE 1 = 1"));
                if army {
                    b.push(" AND k.line = 'ARMY'");
                }
                period(&mut b, f, "date(k.received_at / 1000000, 'unixepoch', '+5 hours')");
                if let Some(region) = &f.region {
                    b.push(" AND k.region = ").push_bind(region.clone());
                }
                if let Some(line) = &f.hotline {
                    b.push(" AND k.line = ").push_bind(line.clone());
                }
                b
            };
            let mut by_line = contacts("coalesce(k.line, ''), count(*)");
            by_line.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(pairs(conn, by_line).await?.into_iter().map(|(l, n)| {
                if l.is_empty() { Part::count("no-line", n) } else { Part::term("hotline", l, n) }
            }));
            let mut by_channel = contacts("k.channel, count(*)");
            by_channel.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(
                pairs(conn, by_channel)
                    .await?
                    .into_iter()
                    .map(|(c, n)| Part::count(&format!("channel-{c}"), n)),
            );
            let mut outside = contacts("count(*)");
            outside.push(" AND k.close_reason = 'outside-mandate'");
            parts.push(Part::count("outside-mandate", single(conn, outside).await?));
            single(conn, contacts("count(*)")).await?
        }
        Indicator::Documented => {
            let mut b = QueryBuilder::new(
                "SELECT s.violation, count(DISTINCT s.event_id) FROM stat_acts s WHERE 1 = 1",
            );
            b.push(TORTURE_OR_ILLT).push(DOCUMENTED);
            act_filters(&mut b, f);
            b.push(" GROUP BY 1 ORDER BY 1");
            let rows = pairs(conn, b).await?;
            let total = rows.iter().map(|(_, n)| n).sum();
            parts.extend(terms("MT41", rows));
            let mut torture = QueryBuilder::new(
                "SELECT count(DISTINCT s.event_id) FROM stat_acts s WHERE s.act_type = '02011111'",
            );
            torture.push(DOCUMENTED);
            act_filters(&mut torture, f);
            parts.push(Part::count("torture", single(conn, torture).await?));
            total
        }
        Indicator::Victims => {
            let mut b = QueryBuilder::new(
                "SELECT CASE WHEN s.victim_unit = '01' THEN 'individuals' ELSE 'groups' END, \
                 count(DISTINCT s.victim_id) FROM stat_acts s WHERE s.victim_id IS NOT NULL",
            );
            b.push(TORTURE_OR_ILLT).push(DOCUMENTED);
            act_filters(&mut b, f);
            b.push(" GROUP BY 1");
            let rows = pairs(conn, b).await?;
            let individuals = rows.iter().find(|(k, _)| k == "individuals").map_or(0, |(_, n)| *n);
            parts.extend(rows.into_iter().map(|(k, n)| Part::count(&k, n)));
            individuals
        }
        Indicator::Deaths => {
            let mut b = QueryBuilder::new("SELECT s.facility_type, count(*) FROM stat_acts s WHERE 1 = 1");
            b.push(DEATH);
            act_filters(&mut b, f);
            b.push(" GROUP BY 1 ORDER BY 1");
            let rows = pairs(conn, b).await?;
            let total = rows.iter().map(|(_, n)| n).sum();
            parts.extend(terms("facility_type", rows));
            total
        }
        Indicator::Perpetrators => {
            let mut b = QueryBuilder::new(
                "SELECT i.data ->> '$.latest_status', count(DISTINCT i.data ->> '$.perpetrator') \
                 FROM records i JOIN stat_acts s ON s.act_id = i.data ->> '$.act' \
                 WHERE i.kind = 'involvement' AND i.deleted_at IS NULL AND i.data ->> '$.identified' = 1",
            );
            act_filters(&mut b, f);
            b.push(" GROUP BY 1 ORDER BY 1");
            let rows = pairs(conn, b).await?;
            let total = rows.iter().map(|(_, n)| n).sum();
            parts.extend(terms("MT26", rows));
            total
        }
        Indicator::Reprisals => {
            let mut b = QueryBuilder::new(
                "SELECT rc.code, count(DISTINCT e.id) FROM record_codes rc JOIN records e ON e.id = rc.record_id \
                 JOIN cases c ON c.id = e.case_id WHERE rc.list = 'reprisal_target' AND e.kind = 'event' \
                 AND e.deleted_at IS NULL AND c.deleted_at IS NULL",
            );
            case_filters(&mut b, f, "e.data ->> '$.initial_date.date'");
            b.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("reprisal_target", pairs(conn, b).await?));
            let mut total = QueryBuilder::new(
                "SELECT count(DISTINCT e.id) FROM record_codes rc JOIN records e ON e.id = rc.record_id \
                 JOIN cases c ON c.id = e.case_id WHERE rc.list = 'reprisal_target' AND e.kind = 'event' \
                 AND e.deleted_at IS NULL AND c.deleted_at IS NULL",
            );
            case_filters(&mut total, f, "e.data ->> '$.initial_date.date'");
            single(conn, total).await?
        }
        Indicator::Advice => {
            let mut b = QueryBuilder::new(
                "SELECT count(DISTINCT v.data ->> '$.victim') FROM record_codes rc JOIN records v ON v.id = rc.record_id \
                 JOIN cases c ON c.id = v.case_id WHERE rc.list = 'MT20' AND rc.code = '0102' \
                 AND v.kind = 'intervention' AND v.deleted_at IS NULL AND c.deleted_at IS NULL \
                 AND v.data ->> '$.victim' IS NOT NULL",
            );
            case_filters(&mut b, f, "v.data ->> '$.intervention_date.date'");
            single(conn, b).await?
        }
        Indicator::Represented => {
            let represented =
                " AND p.data ->> '$.our_role' IN ('VICTIM_REP', 'CIVIL_REP', 'UN_COUNSEL', 'DEFENCE')";
            let mut b = proceedings("p.data ->> '$.proceeding_kind', count(DISTINCT p.case_id)", "", f);
            b.push(represented).push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("proceeding_kind", pairs(conn, b).await?));
            let mut total = proceedings("count(DISTINCT p.case_id)", "", f);
            total.push(represented);
            single(conn, total).await?
        }
        Indicator::Complaints | Indicator::UnCommunications => {
            let kind = if indicator == Indicator::Complaints { "COMPLAINT" } else { "UN" };
            let mut b = proceedings(&format!("{PROCEEDING_STATE}, count(*)"), kind, f);
            b.push(" GROUP BY 1 ORDER BY 1");
            let rows = pairs(conn, b).await?;
            let total = rows.iter().map(|(_, n)| n).sum();
            parts.extend(rows.into_iter().map(|(state, n)| Part::count(&format!("state-{state}"), n)));
            total
        }
        Indicator::CriminalCases => {
            let art = " AND EXISTS (SELECT 1 FROM record_codes q WHERE q.record_id = p.id AND q.list = 'legal_qual' \
                       AND q.code = 'CC-143-1')";
            let mut torture = proceedings("count(*)", "CRIMINAL", f);
            torture.push(art);
            let torture = single(conn, torture).await?;
            let total = single(conn, proceedings("count(*)", "CRIMINAL", f)).await?;
            parts.push(Part::count("art-143-1", torture));
            parts.push(Part::count("other-articles", total - torture));
            total
        }
        Indicator::Prosecuted => {
            let reached = "('INDICTMENT_SENT', 'TRIAL', 'VERDICT_CONVICTION', 'VERDICT_ACQUITTAL', \
                            'TERMINATED_IN_COURT', 'APPEAL', 'CASSATION', 'FINAL', 'EXECUTION')";
            let accused = |select: &str, more: &str| {
                let mut b = QueryBuilder::new(format!(
                    "SELECT {select} FROM records a JOIN records p ON p.id = a.data ->> '$.proceeding' \
                     JOIN records i ON i.id = a.data ->> '$.involvement' JOIN cases c ON c.id = a.case_id \
                     WHERE a.kind = 'accused' AND a.deleted_at IS NULL AND p.deleted_at IS NULL \
                     AND c.deleted_at IS NULL AND EXISTS (SELECT 1 FROM proceeding_steps ps \
                     WHERE ps.proceeding_id = p.id AND ps.state IN {reached}){more}"
                ));
                case_filters(&mut b, f, "p.data ->> '$.initial_date.date'");
                b
            };
            let persons = "count(DISTINCT i.data ->> '$.perpetrator')";
            let total = single(conn, accused(persons, "")).await?;
            parts.push(Part::count(
                "criminal-cases",
                single(conn, accused("count(DISTINCT p.id)", "")).await?,
            ));
            parts.push(Part::count(
                "convicted",
                single(conn, accused(persons, " AND a.data ->> '$.verdict' = 'CONVICTION'")).await?,
            ));
            parts.push(Part::count(
                "acquitted",
                single(conn, accused(persons, " AND a.data ->> '$.verdict' = 'ACQUITTAL'")).await?,
            ));
            total
        }
        Indicator::Compensation => {
            let total = single(conn, proceedings("count(*)", "CIVIL", f)).await?;
            let mut b = proceedings("p.data ->> '$.awarded'", "CIVIL", f);
            b.push(" AND p.data ->> '$.awarded' IS NOT NULL ORDER BY 1");
            let mut awarded: Vec<i64> = b.build_query_scalar::<i64>().fetch_all(&mut *conn).await?;
            awarded.sort_unstable();
            let median = match awarded.len() {
                0 => 0,
                n if n % 2 == 1 => awarded[n / 2],
                n => (awarded[n / 2 - 1] + awarded[n / 2]) / 2,
            };
            let mut paid = QueryBuilder::new(
                "SELECT coalesce(sum(y.data ->> '$.amount'), 0) FROM records y JOIN records p ON p.id = y.data ->> '$.proceeding' \
                 JOIN cases c ON c.id = p.case_id WHERE y.kind = 'payment' AND y.deleted_at IS NULL \
                 AND p.deleted_at IS NULL AND c.deleted_at IS NULL",
            );
            case_filters(&mut paid, f, "p.data ->> '$.initial_date.date'");
            parts.push(Part::count("judgments", i64::try_from(awarded.len()).unwrap_or(0)));
            parts.push(Part::money("awarded", awarded.iter().sum()));
            parts.push(Part::money("median-awarded", median));
            parts.push(Part::money("paid", single(conn, paid).await?));
            total
        }
        Indicator::Rehabilitation => {
            let episodes = |select: &str| {
                let mut b = QueryBuilder::new(format!(
                    "SELECT {select} FROM rehab_episodes e JOIN cases c ON c.id = e.case_id WHERE c.deleted_at IS NULL"
                ));
                case_filters(&mut b, f, "e.data ->> '$.referred_at.date'");
                b
            };
            let mut by = episodes("e.data ->> '$.client_relation', count(DISTINCT e.data ->> '$.client')");
            by.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("rehab_client", pairs(conn, by).await?));
            let mut completed = episodes("count(*)");
            completed.push(" AND e.state = 'COMPLETED'");
            parts.push(Part::count("completed", single(conn, completed).await?));
            let mut sessions = QueryBuilder::new(
                "SELECT count(*) FROM rehab_sessions s JOIN rehab_episodes e ON e.id = s.episode_id \
                 JOIN cases c ON c.id = e.case_id WHERE c.deleted_at IS NULL AND s.deleted_at IS NULL \
                 AND coalesce(s.data ->> '$.missed', 0) = 0",
            );
            case_filters(&mut sessions, f, "s.data ->> '$.session_date.date'");
            parts.push(Part::count("sessions", single(conn, sessions).await?));
            single(conn, episodes("count(DISTINCT e.data ->> '$.client')")).await?
        }
        Indicator::Evaluations => {
            let evaluations = |select: &str| {
                let mut b = QueryBuilder::new(format!(
                    "SELECT {select} FROM evaluations v JOIN cases c ON c.id = v.case_id \
                     WHERE c.deleted_at IS NULL AND v.signed_at IS NOT NULL"
                ));
                case_filters(&mut b, f, "date(v.signed_at / 1000000, 'unixepoch', '+5 hours')");
                b
            };
            let mut by = evaluations("v.data ->> '$.overall_consistency', count(*)");
            by.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("ip_consistency", pairs(conn, by).await?));
            single(conn, evaluations("count(*)")).await?
        }
        Indicator::HealthTrained | Indicator::OthersTrained => {
            let health = HEALTH_WORKERS.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(", ");
            let (which, kind) = if indicator == Indicator::HealthTrained {
                (
                    format!(" AND tp.profession IN ({health})"),
                    " AND t.data ->> '$.training_kind' = 'IP_HEALTH'",
                )
            } else {
                (format!(" AND tp.profession NOT IN ({health})"), "")
            };
            let trained = |select: &str| {
                let mut b = QueryBuilder::new(format!(
                    "SELECT {select} FROM training_participants tp JOIN trainings t ON t.id = tp.training_id \
                     WHERE 1 = 1{which}{kind}"
                ));
                period(&mut b, f, "t.data ->> '$.initial_date.date'");
                if let Some(region) = &f.region {
                    b.push(" AND t.data ->> '$.region' = ").push_bind(region.clone());
                }
                b
            };
            let mut by = trained("tp.profession, sum(tp.count)");
            by.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("profession", pairs(conn, by).await?));
            let mut sex = trained("tp.sex, sum(tp.count)");
            sex.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(
                pairs(conn, sex).await?.into_iter().map(|(s, n)| Part::count(&format!("sex-{s}"), n)),
            );
            parts.push(Part::count("events", single(conn, trained("count(DISTINCT t.id)")).await?));
            single(conn, trained("coalesce(sum(tp.count), 0)")).await?
        }
        Indicator::Visits | Indicator::Interviews | Indicator::VisitRecommendations => {
            return visits(conn, indicator, f).await;
        }
        Indicator::UnTracked | Indicator::Published | Indicator::Meetings => {
            let (kind, list, field, day) = match indicator {
                Indicator::UnTracked => ("un_recommendation", "un_mechanism", "mechanism", "document_date"),
                Indicator::Published => {
                    ("publication", "publication_kind", "publication_kind", "initial_date")
                }
                _ => ("meeting", "meeting_kind", "meeting_kind", "initial_date"),
            };
            let registry = |select: String| {
                let mut b = QueryBuilder::new(format!(
                    "SELECT {select} FROM records r WHERE r.kind = '{kind}' AND r.case_id IS NULL AND r.deleted_at IS NULL"
                ));
                period(&mut b, f, &format!("r.data ->> '$.{day}.date'"));
                b
            };
            let mut by = registry(format!("r.data ->> '$.{field}', count(*)"));
            by.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms(list, pairs(conn, by).await?));
            if indicator == Indicator::UnTracked {
                // Our latest assessment of each.
                let mut ours = registry(
                    "coalesce((SELECT a.status FROM assessments a WHERE a.recommendation_id = r.id AND a.assessor = 'coalition' \
                     ORDER BY a.as_of DESC, a.seq DESC LIMIT 1), ''), count(*)"
                        .to_owned(),
                );
                ours.push(" GROUP BY 1 ORDER BY 1");
                parts.extend(pairs(conn, ours).await?.into_iter().map(|(s, n)| {
                    if s.is_empty() {
                        Part::count("not-assessed", n)
                    } else {
                        Part::term("impl_status", s, n)
                    }
                }));
            }
            single(conn, registry("count(*)".to_owned())).await?
        }
    };
    Ok(Figure { indicator, value, parts })
}

/// The filters on the place `fc` a visit went to: its region, type and authority.
fn place_filters(b: &mut QueryBuilder<Sqlite>, f: &Filter) {
    for (path, value) in
        [("region", &f.region), ("facility_type", &f.facility_type), ("authority", &f.agency)]
    {
        if let Some(value) = value {
            b.push(format!(" AND fc.data ->> '$.{path}' = ")).push_bind(value.clone());
        }
    }
}

/// Statistics 18–20: visits, interviews and allegations, and the visits' recommendations, with the
/// period on the visit's date and the place's region, type and authority.
async fn visits(conn: &mut SqliteConnection, indicator: Indicator, f: &Filter) -> StoreResult<Figure> {
    let conducted = "(SELECT vs.state FROM visit_steps vs WHERE vs.visit_id = v.id ORDER BY vs.seq DESC LIMIT 1) \
                     NOT IN ('PLANNED', 'ACCESS_REQUESTED', 'ACCESS_GRANTED', 'ACCESS_DENIED')";
    let visits = |select: &str, more: &str| {
        let mut b = QueryBuilder::new(format!(
            "SELECT {select} FROM records v JOIN records fc ON fc.id = v.data ->> '$.facility' \
             WHERE v.kind = 'visit' AND v.case_id IS NULL AND v.deleted_at IS NULL{more}"
        ));
        period(&mut b, f, "v.data ->> '$.initial_date.date'");
        place_filters(&mut b, f);
        b
    };
    let mut parts = Vec::new();
    let conducted_more = format!(" AND {conducted}");
    let value = match indicator {
        Indicator::Visits => {
            parts.push(Part::count("visits", single(conn, visits("count(*)", &conducted_more)).await?));
            parts.push(Part::count(
                "joint",
                single(
                    conn,
                    visits(
                        "count(*)",
                        &format!("{conducted_more} AND v.data ->> '$.mandate' = 'OMBUDSMAN_GROUP'"),
                    ),
                )
                .await?,
            ));
            let denied = " AND (SELECT vs.state FROM visit_steps vs WHERE vs.visit_id = v.id ORDER BY vs.seq DESC LIMIT 1) \
                          = 'ACCESS_DENIED'";
            parts.push(Part::count("denied", single(conn, visits("count(*)", denied)).await?));
            let mut by_type = visits("v.data ->> '$.visit_type', count(*)", &conducted_more);
            by_type.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("visit_type", pairs(conn, by_type).await?));
            let mut by_notice = visits("v.data ->> '$.notice', count(*)", &conducted_more);
            by_notice.push(" GROUP BY 1 ORDER BY 1");
            parts.extend(terms("visit_notice", pairs(conn, by_notice).await?));
            single(conn, visits("count(DISTINCT v.data ->> '$.facility')", &conducted_more)).await?
        }
        Indicator::Interviews => {
            let mut received = QueryBuilder::new(
                "SELECT count(*) FROM visit_allegations a JOIN records v ON v.id = a.visit_id \
                 JOIN records fc ON fc.id = v.data ->> '$.facility' WHERE v.deleted_at IS NULL",
            );
            period(&mut received, f, "v.data ->> '$.initial_date.date'");
            place_filters(&mut received, f);
            let mut passed = QueryBuilder::new(
                "SELECT count(*) FROM visit_allegations a JOIN records v ON v.id = a.visit_id \
                 JOIN records fc ON fc.id = v.data ->> '$.facility' WHERE v.deleted_at IS NULL AND a.contact_id IS NOT NULL",
            );
            period(&mut passed, f, "v.data ->> '$.initial_date.date'");
            place_filters(&mut passed, f);
            parts.push(Part::count("allegations", single(conn, received).await?));
            parts.push(Part::count("passed-on", single(conn, passed).await?));
            single(conn, visits("coalesce(sum(v.data ->> '$.interviews_private'), 0)", &conducted_more))
                .await?
        }
        _ => {
            let recs = |more: &str| {
                let mut b = QueryBuilder::new(format!(
                    "SELECT count(*) FROM records r JOIN records v ON v.id = r.data ->> '$.visit' \
                     JOIN records fc ON fc.id = v.data ->> '$.facility' \
                     WHERE r.kind = 'visit_recommendation' AND r.deleted_at IS NULL AND v.deleted_at IS NULL{more}"
                ));
                period(&mut b, f, "v.data ->> '$.initial_date.date'");
                place_filters(&mut b, f);
                b
            };
            let implemented = " AND (SELECT a.status FROM assessments a WHERE a.recommendation_id = r.id \
                               AND a.assessor = 'coalition' ORDER BY a.as_of DESC, a.seq DESC LIMIT 1) IN ('FULL', 'SUBSTANTIAL')";
            parts.push(Part::count("implemented", single(conn, recs(implemented)).await?));
            single(conn, recs("")).await?
        }
    };
    Ok(Figure { indicator, value, parts })
}

/// The cases behind a figure about cases (`Indicator::about_cases`), oldest first; empty for the
/// others.
pub(super) async fn cases(
    conn: &mut SqliteConnection,
    indicator: Indicator,
    f: &Filter,
) -> StoreResult<Vec<String>> {
    let mut b = match indicator {
        Indicator::Documented | Indicator::Victims => {
            let mut b = QueryBuilder::new("SELECT DISTINCT s.case_id FROM stat_acts s WHERE 1 = 1");
            b.push(TORTURE_OR_ILLT).push(DOCUMENTED);
            act_filters(&mut b, f);
            b
        }
        Indicator::Deaths => {
            let mut b = QueryBuilder::new("SELECT DISTINCT s.case_id FROM stat_acts s WHERE 1 = 1");
            b.push(DEATH);
            act_filters(&mut b, f);
            b
        }
        Indicator::Perpetrators => {
            let mut b = QueryBuilder::new(
                "SELECT DISTINCT s.case_id FROM records i JOIN stat_acts s ON s.act_id = i.data ->> '$.act' \
                 WHERE i.kind = 'involvement' AND i.deleted_at IS NULL AND i.data ->> '$.identified' = 1",
            );
            act_filters(&mut b, f);
            b
        }
        Indicator::Reprisals => {
            let mut b = QueryBuilder::new(
                "SELECT DISTINCT e.case_id FROM record_codes rc JOIN records e ON e.id = rc.record_id \
                 JOIN cases c ON c.id = e.case_id WHERE rc.list = 'reprisal_target' AND e.kind = 'event' \
                 AND e.deleted_at IS NULL AND c.deleted_at IS NULL",
            );
            case_filters(&mut b, f, "e.data ->> '$.initial_date.date'");
            b
        }
        Indicator::Advice => {
            let mut b = QueryBuilder::new(
                "SELECT DISTINCT v.case_id FROM record_codes rc JOIN records v ON v.id = rc.record_id \
                 JOIN cases c ON c.id = v.case_id WHERE rc.list = 'MT20' AND rc.code = '0102' \
                 AND v.kind = 'intervention' AND v.deleted_at IS NULL AND c.deleted_at IS NULL",
            );
            case_filters(&mut b, f, "v.data ->> '$.intervention_date.date'");
            b
        }
        Indicator::Represented => {
            let mut b = proceedings("DISTINCT p.case_id", "", f);
            b.push(" AND p.data ->> '$.our_role' IN ('VICTIM_REP', 'CIVIL_REP', 'UN_COUNSEL', 'DEFENCE')");
            b
        }
        Indicator::Complaints => proceedings("DISTINCT p.case_id", "COMPLAINT", f),
        Indicator::UnCommunications => proceedings("DISTINCT p.case_id", "UN", f),
        Indicator::CriminalCases | Indicator::Prosecuted => proceedings("DISTINCT p.case_id", "CRIMINAL", f),
        Indicator::Compensation => proceedings("DISTINCT p.case_id", "CIVIL", f),
        _ => return Ok(Vec::new()),
    };
    Ok(b.build_query_scalar::<String>().fetch_all(&mut *conn).await?)
}

/// The tables published as public statistics, before disclosure control: documented events by
/// region and year, individual victims by sex and age group, deaths by type of place and year.
pub(super) async fn public_tables(conn: &mut SqliteConnection) -> StoreResult<Vec<crate::stats::CountTable>> {
    use crate::stats::CountTable;
    let documented: Vec<(String, String, i64)> = sqlx::query_as(concat!(
        "SELECT coalesce(s.region, ''), coalesce(substr(s.day, 1, 4), ''), count(DISTINCT s.event_id) FROM stat_acts s ",
        "WHERE (s.act_type = '02011111' OR s.act_type = 'TJ.ACT.ILLT' OR (s.act_type LIKE '0201%' AND s.act_type <> '02011111')) ",
        "AND (s.violation LIKE '01%' OR s.violation IN ('03', '04')) GROUP BY 1, 2"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let victims: Vec<(String, String, i64)> = sqlx::query_as(concat!(
        "SELECT coalesce(s.sex, '99'), CASE s.minor WHEN 1 THEN 'minor' WHEN 0 THEN 'adult' ELSE 'unknown' END, ",
        "count(DISTINCT s.victim_id) FROM stat_acts s ",
        "WHERE s.victim_unit = '01' AND (s.act_type = '02011111' OR s.act_type = 'TJ.ACT.ILLT' OR ",
        "(s.act_type LIKE '0201%' AND s.act_type <> '02011111')) AND (s.violation LIKE '01%' OR s.violation IN ('03', '04')) ",
        "GROUP BY 1, 2"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let deaths: Vec<(String, String, i64)> = sqlx::query_as(concat!(
        "SELECT coalesce(s.facility_type, ''), coalesce(substr(s.day, 1, 4), ''), count(*) FROM stat_acts s ",
        "WHERE s.act_type IN ('01010601', '01019001') OR s.victim_status = '0101' GROUP BY 1, 2"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(vec![
        CountTable::from_triples("documented-by-region-year", Some("region"), &documented),
        CountTable::from_triples("victims-by-sex-age", None, &victims),
        CountTable::from_triples("deaths-by-place-year", Some("facility_type"), &deaths),
    ])
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Row};

    /// The plan of the statement that derives a case's facts (run on every change of a case and
    /// for every case by a rebuild): each table reached through an index by the case, never a walk
    /// of every record of a kind. Left to itself, SQLite would walk every involvement of the
    /// instance for every act (it measured hours for a rebuild of 100,000 cases).
    #[tokio::test]
    async fn a_cases_facts_are_derived_from_its_own_records() -> Result<(), Box<dyn std::error::Error>> {
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
        super::super::MIGRATIONS.run(&mut conn).await?;
        let sql = facts_sql!("a.case_id = ?");
        let select = &sql[sql.find("SELECT").ok_or("no SELECT")?..];
        let plan: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {select}")))
            .bind("case")
            .fetch_all(&mut conn)
            .await?
            .iter()
            .map(|row| row.try_get::<String, _>(3))
            .collect::<Result<_, _>>()?;
        assert!(plan.iter().all(|step| !step.starts_with("SCAN")), "{plan:#?}");
        assert!(
            plan.iter()
                .any(|step| step.starts_with("SEARCH i USING INDEX records_by_case (case_id=? AND kind=?)")),
            "the involvement of an act is looked up among its case's records: {plan:#?}"
        );
        Ok(())
    }
}
