//! Loads the statistics' facts ([`crate::facts`]) from the records and keeps them current.
//!
//! Triggers write the id of every case whose counted records change (and every contact) into
//! `stats_dirty` with an increasing sequence, in the transaction of the change: what a reader
//! sees there is committed. Before a figure is computed the facts catch up: the cases changed
//! since their last sequence are loaded again from the records (all of them after a restore or a
//! large import), inside one read transaction, so the figures are those of one moment.

use std::collections::HashMap;

use ozodi_domain::stats::{Filter, Indicator};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

use crate::StoreResult;
use crate::facts::{
    Accused, Act, Advice, CaseFacts, Contact, Episode, Evaluation, Facts, Interner, Perpetration, Proceeding,
    REACHED_COURT, Reprisal, Sym, day, represents,
};
use crate::stats::{CountTable, Figure};

/// A nullable text column.
type Text = Option<String>;
/// An accused: case, proceeding, perpetrator, verdict.
type AccusedRow = (String, Text, Text, Text);
/// An episode: case, client, relation, state, day of referral.
type EpisodeRow = (String, Text, Text, String, Text);
/// A contact: id, line, region, channel, day, outside the mandate.
type ContactRow = (String, Text, Text, String, Text, i64);

/// Above this many changed cases, every fact is loaded again in one pass.
const FULL_RELOAD: usize = 2_000;

/// The facts, shared by the store's clones; `None` until first asked for.
pub(super) type Shared = std::sync::Arc<tokio::sync::RwLock<Option<Facts>>>;

/// Which cases (and contacts) to load.
#[derive(Clone, Copy)]
enum Scope<'a> {
    All,
    Case(&'a str),
}

impl Scope<'_> {
    /// ` AND {column} = ?` for one case, nothing for all.
    fn push(self, b: &mut QueryBuilder<Sqlite>, column: &str) {
        if let Scope::Case(id) = self {
            b.push(format!(" AND {column} = ")).push_bind(id.to_owned());
        }
    }
}

/// Brings the facts up to the last committed change.
pub(super) async fn catch_up(conn: &mut SqliteConnection, shared: &Shared) -> StoreResult<()> {
    let head: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM stats_dirty").fetch_one(&mut *conn).await?;
    if shared.read().await.as_ref().is_some_and(|f| f.seq == head) {
        return Ok(());
    }
    let mut guard = shared.write().await;
    let mut tx = conn.begin().await?;
    let head: i64 =
        sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM stats_dirty").fetch_one(&mut *tx).await?;
    match guard.as_mut() {
        Some(facts) if facts.seq == head => {}
        // Behind, on the same file: load what changed.
        Some(facts) if facts.seq < head => {
            let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM stats_dirty WHERE seq > ?")
                .bind(facts.seq)
                .fetch_all(&mut *tx)
                .await?;
            if keys.len() > FULL_RELOAD {
                *guard = Some(load_all(&mut tx, head).await?);
            } else {
                for key in &keys {
                    match key.strip_prefix("contact:") {
                        Some(contact) => load_contacts(&mut tx, facts, Some(contact)).await?,
                        None => load_cases(&mut tx, facts, Scope::Case(key)).await?,
                    }
                }
                facts.seq = head;
                facts.rebuild();
            }
        }
        // Never loaded, or the file went back (a restore): everything.
        _ => *guard = Some(load_all(&mut tx, head).await?),
    }
    tx.rollback().await?;
    Ok(())
}

async fn load_all(conn: &mut SqliteConnection, head: i64) -> StoreResult<Facts> {
    let mut facts = Facts::default();
    facts.seq = head;
    load_cases(conn, &mut facts, Scope::All).await?;
    load_contacts(conn, &mut facts, None).await?;
    facts.rebuild();
    Ok(facts)
}

/// The figure of an in-memory indicator ([`crate::facts::in_memory`]), as of now.
pub(super) async fn figure(
    conn: &mut SqliteConnection,
    shared: &Shared,
    indicator: Indicator,
    filter: &Filter,
) -> StoreResult<Figure> {
    catch_up(conn, shared).await?;
    let guard = shared.read().await;
    Ok(guard
        .as_ref()
        .map(|f| f.figure(indicator, filter))
        .unwrap_or_else(|| Facts::default().figure(indicator, filter)))
}

/// The public tables before disclosure control, as of now.
pub(super) async fn public_tables(
    conn: &mut SqliteConnection,
    shared: &Shared,
) -> StoreResult<Vec<CountTable>> {
    catch_up(conn, shared).await?;
    let guard = shared.read().await;
    Ok(guard.as_ref().map(Facts::public_tables).unwrap_or_else(|| Facts::default().public_tables()))
}

/// Loads the cases of `scope` (replacing what was held of them; a tombstoned case is dropped).
async fn load_cases(conn: &mut SqliteConnection, facts: &mut Facts, scope: Scope<'_>) -> StoreResult<()> {
    if let Scope::Case(id) = scope {
        let sym = facts.syms.intern(id);
        facts.cases.remove(&sym);
    }
    let s = &mut facts.syms;
    let mut cases: HashMap<Sym, CaseFacts> = HashMap::new();

    let mut b = QueryBuilder::new("SELECT c.id, c.region, c.hotline FROM cases c WHERE c.deleted_at IS NULL");
    scope.push(&mut b, "c.id");
    let rows: Vec<(String, Option<String>, Option<String>)> =
        b.build_query_as().fetch_all(&mut *conn).await?;
    for (id, region, hotline) in rows {
        let case = CaseFacts {
            region: s.opt(region.as_deref()),
            hotline: s.opt(hotline.as_deref()),
            ..CaseFacts::default()
        };
        cases.insert(s.intern(&id), case);
    }
    if cases.is_empty() {
        return Ok(());
    }

    // Acts, as `stat_acts` derives them with the case's search document.
    type ActRow = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
        String,
        Option<String>,
        Option<String>,
    );
    let mut b = QueryBuilder::new(
        "SELECT act_id, case_id, event_id, victim_id, victim_unit, day, region, hotline, agency, facility_type, \
         sex, minor, act_type, victim_status, violation FROM stat_acts WHERE 1 = 1",
    );
    scope.push(&mut b, "case_id");
    let rows: Vec<ActRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    for (
        id,
        case,
        event,
        victim,
        unit,
        on,
        region,
        hotline,
        agency,
        facility_type,
        sex,
        minor,
        act_type,
        status,
        violation,
    ) in rows
    {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        let mut act = Act {
            id: s.intern(&id),
            event: s.opt(event.as_deref()),
            victim: s.opt(victim.as_deref()),
            individual: unit.as_deref() == Some("01"),
            day: day(on.as_deref()),
            region: s.opt(region.as_deref()),
            hotline: s.opt(hotline.as_deref()),
            agency: s.opt(agency.as_deref()),
            facility_type: s.opt(facility_type.as_deref()),
            sex: s.opt(sex.as_deref()),
            minor: minor.map(|m| m == 1),
            act_type: s.intern(&act_type),
            violation: s.opt(violation.as_deref()),
            torture_or_illt: false,
            torture: false,
            documented: false,
            death: false,
        };
        act.classify(&act_type, status.as_deref(), violation.as_deref());
        c.acts.push(act);
    }

    // Identified perpetrators' involvements.
    let mut b = QueryBuilder::new(
        "SELECT i.case_id, i.data ->> '$.act', i.data ->> '$.perpetrator', i.data ->> '$.latest_status' \
         FROM records i WHERE i.kind = 'involvement' AND i.deleted_at IS NULL AND i.data ->> '$.identified' = 1 \
         AND i.case_id IS NOT NULL AND i.data ->> '$.act' IS NOT NULL",
    );
    scope.push(&mut b, "i.case_id");
    let rows: Vec<(String, String, Option<String>, Option<String>)> =
        b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, act, perpetrator, status) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.perpetrations.push(Perpetration {
            act: s.intern(&act),
            perpetrator: s.opt(perpetrator.as_deref()),
            status: s.opt(status.as_deref()),
        });
    }

    // Events with reprisal targets, a row per target.
    let mut b = QueryBuilder::new(
        "SELECT e.case_id, e.id, e.data ->> '$.initial_date.date', rc.code FROM record_codes rc \
         JOIN records e ON e.id = rc.record_id WHERE rc.list = 'reprisal_target' AND e.kind = 'event' \
         AND e.deleted_at IS NULL AND e.case_id IS NOT NULL",
    );
    scope.push(&mut b, "e.case_id");
    b.push(" ORDER BY e.id");
    let rows: Vec<(String, String, Option<String>, String)> =
        b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, event, on, target) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        let (event, target) = (s.intern(&event), s.intern(&target));
        match c.reprisals.last_mut() {
            Some(r) if r.event == event => r.targets.push(target),
            _ => c.reprisals.push(Reprisal { event, day: day(on.as_deref()), targets: vec![target] }),
        }
    }

    // Legal aid: interventions of type 0102 with a victim.
    let mut b = QueryBuilder::new(
        "SELECT v.case_id, v.data ->> '$.victim', v.data ->> '$.intervention_date.date' FROM record_codes rc \
         JOIN records v ON v.id = rc.record_id WHERE rc.list = 'MT20' AND rc.code = '0102' \
         AND v.kind = 'intervention' AND v.deleted_at IS NULL AND v.data ->> '$.victim' IS NOT NULL \
         AND v.case_id IS NOT NULL",
    );
    scope.push(&mut b, "v.case_id");
    let rows: Vec<(String, String, Option<String>)> = b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, victim, on) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.advice.push(Advice { victim: s.intern(&victim), day: day(on.as_deref()) });
    }

    // Proceedings with their last state, whether they reached court, art. 143-1, and payments.
    type ProceedingRow = (
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        i64,
        i64,
    );
    let court = REACHED_COURT.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
    let mut b = QueryBuilder::new(format!(
        "SELECT p.case_id, p.id, p.data ->> '$.proceeding_kind', p.data ->> '$.our_role', \
         p.data ->> '$.initial_date.date', \
         (SELECT ps.state FROM proceeding_steps ps WHERE ps.proceeding_id = p.id ORDER BY ps.seq DESC LIMIT 1), \
         EXISTS (SELECT 1 FROM record_codes q WHERE q.record_id = p.id AND q.list = 'legal_qual' AND q.code = 'CC-143-1'), \
         p.data ->> '$.awarded', \
         EXISTS (SELECT 1 FROM proceeding_steps ps WHERE ps.proceeding_id = p.id AND ps.state IN ({court})), \
         (SELECT coalesce(sum(y.data ->> '$.amount'), 0) FROM records y INDEXED BY records_by_case \
          WHERE y.case_id = p.case_id AND y.kind = 'payment' AND y.deleted_at IS NULL AND y.data ->> '$.proceeding' = p.id) \
         FROM records p WHERE p.kind = 'proceeding' AND p.deleted_at IS NULL AND p.case_id IS NOT NULL"
    ));
    scope.push(&mut b, "p.case_id");
    let rows: Vec<ProceedingRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, id, kind, role, on, state, art, awarded, reached, paid) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.proceedings.push(Proceeding {
            id: s.intern(&id),
            kind: s.opt(kind.as_deref()),
            represented: represents(role.as_deref()),
            day: day(on.as_deref()),
            state: s.opt(state.as_deref()),
            art_143_1: art == 1,
            awarded,
            reached_court: reached == 1,
            paid,
        });
    }

    // The accused, with the perpetrator their involvement names.
    let mut b = QueryBuilder::new(
        "SELECT a.case_id, a.data ->> '$.proceeding', i.data ->> '$.perpetrator', a.data ->> '$.verdict' \
         FROM records a JOIN records i ON i.id = a.data ->> '$.involvement' \
         WHERE a.kind = 'accused' AND a.deleted_at IS NULL AND a.case_id IS NOT NULL",
    );
    scope.push(&mut b, "a.case_id");
    let rows: Vec<AccusedRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, proceeding, perpetrator, verdict) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.accused.push(Accused {
            proceeding: s.opt(proceeding.as_deref()),
            perpetrator: s.opt(perpetrator.as_deref()),
            verdict: s.opt(verdict.as_deref()),
        });
    }

    // Rehabilitation episodes and the sessions held.
    let mut b = QueryBuilder::new(
        "SELECT e.case_id, e.data ->> '$.client', e.data ->> '$.client_relation', e.state, \
         e.data ->> '$.referred_at.date' FROM rehab_episodes e WHERE 1 = 1",
    );
    scope.push(&mut b, "e.case_id");
    let rows: Vec<EpisodeRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, client, relation, state, on) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.episodes.push(Episode {
            client: s.opt(client.as_deref()),
            relation: s.opt(relation.as_deref()),
            completed: state == "COMPLETED",
            day: day(on.as_deref()),
        });
    }
    let mut b = QueryBuilder::new(
        "SELECT e.case_id, s.data ->> '$.session_date.date' FROM rehab_sessions s \
         JOIN rehab_episodes e ON e.id = s.episode_id WHERE s.deleted_at IS NULL \
         AND coalesce(s.data ->> '$.missed', 0) = 0",
    );
    scope.push(&mut b, "e.case_id");
    let rows: Vec<(String, Option<String>)> = b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, on) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.sessions.push(day(on.as_deref()));
    }

    // Signed evaluations, dated in Dushanbe time.
    let mut b = QueryBuilder::new(
        "SELECT v.case_id, v.data ->> '$.overall_consistency', date(v.signed_at / 1000000, 'unixepoch', '+5 hours') \
         FROM evaluations v WHERE v.signed_at IS NOT NULL",
    );
    scope.push(&mut b, "v.case_id");
    let rows: Vec<(String, Option<String>, Option<String>)> =
        b.build_query_as().fetch_all(&mut *conn).await?;
    for (case, consistency, on) in rows {
        let Some(c) = held(s, &mut cases, &case) else { continue };
        c.evaluations
            .push(Evaluation { consistency: s.opt(consistency.as_deref()), day: day(on.as_deref()) });
    }

    facts.cases.extend(cases);
    Ok(())
}

/// The facts being loaded of a case by its id (none for a tombstoned case).
fn held<'a>(s: &Interner, cases: &'a mut HashMap<Sym, CaseFacts>, id: &str) -> Option<&'a mut CaseFacts> {
    cases.get_mut(&s.get(id)?)
}

/// Loads every contact, or one again.
async fn load_contacts(conn: &mut SqliteConnection, facts: &mut Facts, one: Option<&str>) -> StoreResult<()> {
    let mut b = QueryBuilder::new(
        "SELECT k.id, k.line, k.region, k.channel, date(k.received_at / 1000000, 'unixepoch', '+5 hours'), \
         coalesce(k.close_reason = 'outside-mandate', 0) FROM contacts k WHERE 1 = 1",
    );
    if let Some(id) = one {
        b.push(" AND k.id = ").push_bind(id.to_owned());
    }
    let rows: Vec<ContactRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    let s = &mut facts.syms;
    for (id, line, region, channel, on, outside) in rows {
        let contact = Contact {
            line: s.opt(line.as_deref()),
            region: s.opt(region.as_deref()),
            channel: s.intern(&channel),
            day: day(on.as_deref()),
            outside_mandate: outside == 1,
        };
        facts.contacts.insert(s.intern(&id), contact);
    }
    Ok(())
}
