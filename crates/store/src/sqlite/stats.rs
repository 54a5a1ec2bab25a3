//! Statistics queries (DOMAIN.md section 6): the derived facts of acts (`stat_acts`, rewritten
//! with the case's search document), the figures of the few records the facts in memory do not
//! hold (trainings, visits, the registry: `crate::facts::in_memory`), and the cases behind a
//! figure. Every figure is computed from the records when asked, with the filters each indicator
//! can honour (`domain::stats`).

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
        // Counted from the facts in memory (`crate::facts::in_memory`).
        _ => 0,
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
            let roles = crate::facts::REPRESENTING.map(|r| format!("'{r}'")).join(", ");
            b.push(format!(" AND p.data ->> '$.our_role' IN ({roles})"));
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
