//! The true value of every statistic (DOMAIN.md section 6) for a generated dataset, worked out from
//! the generated cases themselves, with the counting rules of `ozodi_domain::stats`, so a test can
//! hold the figures the store computes from its records against what was generated.
//!
//! Every indicator has records to count: the generator makes the cases with their legal course,
//! rehabilitation and evaluations, and the register (contacts, visits, trainings, the UN and
//! advocacy work).

use std::collections::{BTreeMap, BTreeSet};

use ozodi_domain::stats::{AgeGroup, Dimension, Filter, Indicator, death, documented_status, ill_treatment};
use time::Date;

use crate::model::{Act, Case, Event, Facility};
use crate::registry::Registry;

/// One indicator's true figure: the headline value and its breakdowns by the keys the store uses
/// (a vocabulary code, or a fixed key such as `torture` or `individuals`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Truth {
    /// The headline value.
    pub value: i64,
    /// The breakdowns that have a non-zero count.
    pub parts: BTreeMap<String, i64>,
}

/// What the statistics know of one act, as the store derives it from the records.
struct Facts<'a> {
    /// The act's own date, else its event's.
    day: Option<Date>,
    region: &'a str,
    hotline: Option<&'a str>,
    /// The agency of the act's first involvement.
    agency: Option<&'a str>,
    facility_type: Option<&'a str>,
    sex: Option<&'a str>,
    minor: Option<bool>,
}

impl<'a> Facts<'a> {
    fn of(case: &'a Case, event: &'a Event, act: &'a Act, facilities: &'a [Facility]) -> Self {
        let victim = case.persons.get(act.victim);
        Facts {
            day: act.start.or(event.start).and_then(|d| d.first_day()),
            region: event.region,
            hotline: case.hotline,
            agency: act.involvements.first().map(|i| i.agency),
            facility_type: act.facility.and_then(|i| facilities.get(i)).map(|f| f.facility_type),
            sex: victim.and_then(|p| p.sex),
            minor: act.age.map(|a| a < 18),
        }
    }

    /// Whether the act passes every filter an act-based indicator honours.
    fn passes(&self, f: &Filter) -> bool {
        let same =
            |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
        f.in_period(self.day)
            && same(&f.region, Some(self.region))
            && same(&f.hotline, self.hotline)
            && same(&f.agency, self.agency)
            && same(&f.facility_type, self.facility_type)
            && same(&f.sex, self.sex)
            && match f.age {
                None => true,
                Some(AgeGroup::Minor) => self.minor == Some(true),
                Some(AgeGroup::Adult) => self.minor == Some(false),
            }
    }
}

/// Every act of the dataset with where it sits: (case, event, act).
fn acts(cases: &[Case]) -> impl Iterator<Item = (usize, &Case, usize, &Event, &Act)> {
    cases.iter().enumerate().flat_map(|(c, case)| {
        case.events
            .iter()
            .enumerate()
            .flat_map(move |(e, event)| event.acts.iter().map(move |a| (c, case, e, event, a)))
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The roles in which the coalition represents someone.
const REPRESENTING: [&str; 4] = ["VICTIM_REP", "CIVIL_REP", "UN_COUNSEL", "DEFENCE"];

/// The legal figures (statistics 7-13): proceedings dated by the day they were filed, in their
/// case's region and on its hotline.
fn legal(indicator: Indicator, cases: &[Case], filter: &Filter, parts: &mut BTreeMap<String, i64>) -> i64 {
    let same = |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
    let proceedings = cases.iter().enumerate().flat_map(|(c, case)| {
        case.legal
            .iter()
            .enumerate()
            .filter(move |_| same(&filter.region, Some(case.region)) && same(&filter.hotline, case.hotline))
            .filter(|(_, p)| filter.in_period(Some(p.filed)))
            .map(move |(n, p)| (c, case, n, p))
    });
    match indicator {
        Indicator::Represented => {
            let mut all = BTreeSet::new();
            let mut by_kind: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
            for (c, _, _, p) in proceedings.filter(|(_, _, _, p)| REPRESENTING.contains(&p.our_role)) {
                all.insert(c);
                by_kind.entry(p.kind).or_default().insert(c);
            }
            for (kind, set) in by_kind {
                parts.insert(kind.to_owned(), count(set.len()));
            }
            count(all.len())
        }
        Indicator::Complaints | Indicator::UnCommunications => {
            let kind = if indicator == Indicator::Complaints { "COMPLAINT" } else { "UN" };
            let mut total = 0;
            for (_, _, _, p) in proceedings.filter(|(_, _, _, p)| p.kind == kind) {
                total += 1;
                *parts.entry(format!("state-{}", p.state())).or_default() += 1;
            }
            total
        }
        Indicator::CriminalCases => {
            let criminal: Vec<_> = proceedings.filter(|(_, _, _, p)| p.kind == "CRIMINAL").collect();
            let torture =
                criminal.iter().filter(|(_, _, _, p)| p.qualification.contains(&"CC-143-1")).count();
            parts.insert("art-143-1".into(), count(torture));
            parts.insert("other-articles".into(), count(criminal.len() - torture));
            count(criminal.len())
        }
        Indicator::Prosecuted => {
            // Accused in a criminal case that went to court (the indictment was sent), each
            // perpetrator once.
            let (mut persons, mut convicted, mut acquitted, mut in_court) =
                (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
            for (c, case, n, p) in proceedings.filter(|(_, _, _, p)| p.reached("INDICTMENT_SENT")) {
                let involvements: Vec<_> =
                    case.events.iter().flat_map(|e| &e.acts).flat_map(|a| &a.involvements).collect();
                for accused in &p.accused {
                    let Some(i) = involvements.get(accused.involvement) else { continue };
                    persons.insert((c, i.perpetrator));
                    in_court.insert((c, n));
                    match accused.verdict {
                        Some("CONVICTION") => convicted.insert((c, i.perpetrator)),
                        Some("ACQUITTAL") => acquitted.insert((c, i.perpetrator)),
                        _ => false,
                    };
                }
            }
            parts.insert("criminal-cases".into(), count(in_court.len()));
            parts.insert("convicted".into(), count(convicted.len()));
            parts.insert("acquitted".into(), count(acquitted.len()));
            count(persons.len())
        }
        Indicator::Compensation => {
            let claims: Vec<_> = proceedings.filter(|(_, _, _, p)| p.kind == "CIVIL").collect();
            let mut awarded: Vec<i64> = claims.iter().filter_map(|(_, _, _, p)| p.awarded).collect();
            awarded.sort_unstable();
            let median = match awarded.len() {
                0 => 0,
                n if n % 2 == 1 => awarded[n / 2],
                n => (awarded[n / 2 - 1] + awarded[n / 2]) / 2,
            };
            let paid: i64 = claims
                .iter()
                .flat_map(|(_, _, _, p)| &p.steps)
                .flat_map(|s| &s.payments)
                .map(|(_, a)| a)
                .sum();
            parts.insert("judgments".into(), count(awarded.len()));
            parts.insert("awarded".into(), awarded.iter().sum());
            parts.insert("median-awarded".into(), median);
            parts.insert("paid".into(), paid);
            count(claims.len())
        }
        _ => 0,
    }
}

/// `filter` without the dimensions `indicator` does not honour (`Indicator::dimensions`): those
/// leave its figure as it is.
fn honoured(indicator: Indicator, filter: &Filter) -> Filter {
    let mut f = filter.clone();
    for dimension in filter.not_applicable(indicator) {
        match dimension {
            Dimension::Period => (f.from, f.to) = (None, None),
            Dimension::Region => f.region = None,
            Dimension::Hotline => f.hotline = None,
            Dimension::Agency => f.agency = None,
            Dimension::FacilityType => f.facility_type = None,
            Dimension::Sex => f.sex = None,
            Dimension::Age => f.age = None,
        }
    }
    f
}

/// The professions that count as health workers (DOMAIN.md 6, statistic 16).
const HEALTH_WORKERS: [&str; 6] =
    ["FORENSIC", "DOCTOR", "PSYCHIATRIST", "PSYCHOLOGIST", "NURSE", "CUSTODIAL_MEDIC"];

/// The register's figures: trainings by their day and region, publications and meetings by
/// their day.
fn register(
    indicator: Indicator,
    registry: &Registry,
    facilities: &[Facility],
    filter: &Filter,
    parts: &mut BTreeMap<String, i64>,
) -> i64 {
    // Visits: dated by the visit, placed by the facility's region, type and authority.
    let visits = || {
        registry.visits.iter().filter(|v| {
            let Some(f) = facilities.get(v.facility) else { return false };
            filter.in_period(Some(v.day))
                && filter.region.as_deref().is_none_or(|r| r == f.region)
                && filter.facility_type.as_deref().is_none_or(|t| t == f.facility_type)
                && filter.agency.as_deref().is_none_or(|a| a == f.authority)
        })
    };
    let conducted = |v: &&crate::registry::Visit| ozodi_domain::monitoring::conducted(v.state());
    match indicator {
        Indicator::Visits => {
            let places: BTreeSet<usize> = visits().filter(conducted).map(|v| v.facility).collect();
            parts.insert("visits".into(), count(visits().filter(conducted).count()));
            parts.insert(
                "joint".into(),
                count(visits().filter(conducted).filter(|v| v.mandate == "OMBUDSMAN_GROUP").count()),
            );
            parts.insert("denied".into(), count(visits().filter(|v| v.state() == "ACCESS_DENIED").count()));
            for v in visits().filter(conducted) {
                *parts.entry(v.visit_type.to_owned()).or_default() += 1;
                *parts.entry(v.notice.to_owned()).or_default() += 1;
            }
            count(places.len())
        }
        Indicator::Interviews => {
            parts.insert("allegations".into(), visits().map(|v| i64::from(v.allegations)).sum());
            visits().filter(conducted).map(|v| i64::from(v.interviews_private)).sum()
        }
        Indicator::VisitRecommendations => {
            let recs: Vec<_> = visits().flat_map(|v| &v.recommendations).collect();
            let implemented =
                recs.iter().filter(|r| matches!(r.assessed, Some(("FULL" | "SUBSTANTIAL", _)))).count();
            parts.insert("implemented".into(), count(implemented));
            count(recs.len())
        }
        Indicator::HealthTrained | Indicator::OthersTrained => {
            let health = indicator == Indicator::HealthTrained;
            let (mut total, mut events) = (0, 0);
            for t in registry.trainings.iter().filter(|t| {
                filter.in_period(Some(t.day))
                    && filter.region.as_deref().is_none_or(|r| r == t.region)
                    && (!health || t.kind == "IP_HEALTH")
            }) {
                let mut counted = false;
                for (profession, sex, n) in &t.participants {
                    if HEALTH_WORKERS.contains(profession) == health {
                        total += i64::from(*n);
                        *parts.entry((*profession).to_owned()).or_default() += i64::from(*n);
                        *parts.entry(format!("sex-{sex}")).or_default() += i64::from(*n);
                        counted = true;
                    }
                }
                events += i64::from(counted);
            }
            parts.insert("events".into(), events);
            total
        }
        Indicator::Contacts | Indicator::Army => {
            let mut total = 0;
            let army = indicator == Indicator::Army;
            for c in registry.contacts.iter().filter(|c| {
                (!army || c.line == Some("ARMY"))
                    && filter.in_period(Some(c.day))
                    && filter.region.as_deref().is_none_or(|r| c.region == Some(r))
                    && filter.hotline.as_deref().is_none_or(|h| c.line == Some(h))
            }) {
                total += 1;
                *parts.entry(c.line.map_or("no-line".to_owned(), str::to_owned)).or_default() += 1;
                *parts.entry(format!("channel-{}", c.channel)).or_default() += 1;
                if c.outside_mandate {
                    *parts.entry("outside-mandate".into()).or_default() += 1;
                }
            }
            total
        }
        Indicator::UnTracked => {
            let mut total = 0;
            for r in registry.un_recommendations.iter().filter(|r| filter.in_period(Some(r.day))) {
                total += 1;
                *parts.entry(r.mechanism.to_owned()).or_default() += 1;
                let ours = r.assessed.map_or("not-assessed", |(status, _)| status);
                *parts.entry(ours.to_owned()).or_default() += 1;
            }
            total
        }
        Indicator::Published => {
            let mut total = 0;
            for p in registry.publications.iter().filter(|p| filter.in_period(Some(p.day))) {
                total += 1;
                *parts.entry(p.kind.to_owned()).or_default() += 1;
            }
            total
        }
        Indicator::Meetings => {
            let mut total = 0;
            for m in registry.meetings.iter().filter(|m| filter.in_period(Some(m.day))) {
                total += 1;
                *parts.entry(m.kind.to_owned()).or_default() += 1;
            }
            total
        }
        _ => 0,
    }
}

/// The true figure of `indicator` for `cases` (generated with `facilities`) and the generated
/// `registry` under `filter`.
pub fn truth(
    indicator: Indicator,
    cases: &[Case],
    facilities: &[Facility],
    registry: &Registry,
    filter: &Filter,
) -> Truth {
    let filter = &honoured(indicator, filter);
    let mut parts: BTreeMap<String, i64> = BTreeMap::new();
    let torture_or_illt = |a: &Act| a.act_type == ozodi_domain::stats::TORTURE || ill_treatment(a.act_type);
    let value = match indicator {
        Indicator::Documented => {
            let mut events: BTreeMap<(usize, usize), &str> = BTreeMap::new();
            let mut torture: BTreeSet<(usize, usize)> = BTreeSet::new();
            for (c, case, e, event, act) in acts(cases) {
                if !torture_or_illt(act)
                    || !documented_status(event.violation_status)
                    || !Facts::of(case, event, act, facilities).passes(filter)
                {
                    continue;
                }
                events.insert((c, e), event.violation_status.unwrap_or_default());
                if act.act_type == ozodi_domain::stats::TORTURE {
                    torture.insert((c, e));
                }
            }
            for status in events.values() {
                *parts.entry((*status).to_owned()).or_default() += 1;
            }
            parts.insert("torture".into(), count(torture.len()));
            count(events.len())
        }
        Indicator::Victims => {
            let (mut individuals, mut groups) = (BTreeSet::new(), BTreeSet::new());
            for (c, case, _, event, act) in acts(cases) {
                if torture_or_illt(act)
                    && documented_status(event.violation_status)
                    && Facts::of(case, event, act, facilities).passes(filter)
                {
                    let individual = case.persons.get(act.victim).is_some_and(|p| p.counting_unit == "01");
                    if individual { &mut individuals } else { &mut groups }.insert((c, act.victim));
                }
            }
            parts.insert("individuals".into(), count(individuals.len()));
            parts.insert("groups".into(), count(groups.len()));
            count(individuals.len())
        }
        Indicator::Deaths => {
            let mut total = 0;
            for (_, case, _, event, act) in acts(cases) {
                let facts = Facts::of(case, event, act, facilities);
                if death(act.act_type, act.victim_status) && facts.passes(filter) {
                    total += 1;
                    *parts.entry(facts.facility_type.unwrap_or_default().to_owned()).or_default() += 1;
                }
            }
            total
        }
        Indicator::Perpetrators => {
            // Identified perpetrators, once each, by their latest status (the generator gives
            // none, so all of them are under the empty key).
            let mut persons = BTreeSet::new();
            for (c, case, _, event, act) in acts(cases) {
                if Facts::of(case, event, act, facilities).passes(filter) {
                    persons
                        .extend(act.involvements.iter().filter(|i| i.identified).map(|i| (c, i.perpetrator)));
                }
            }
            parts.insert(String::new(), count(persons.len()));
            count(persons.len())
        }
        Indicator::Advice => {
            // Distinct victims given legal aid (MT20 0102), dated by the intervention, filtered by
            // the case's region and hotline; the victim's sex, age and the agency do not apply.
            let mut victims = BTreeSet::new();
            for (c, case) in cases.iter().enumerate() {
                let same = |want: &Option<String>, have: Option<&str>| {
                    want.as_deref().is_none_or(|w| have == Some(w))
                };
                if !same(&filter.region, Some(case.region)) || !same(&filter.hotline, case.hotline) {
                    continue;
                }
                for i in case.events.iter().flat_map(|e| &e.interventions) {
                    if let Some(victim) = i.victim
                        && i.types.contains(&"0102")
                        && filter.in_period(i.date.and_then(|d| d.first_day()))
                    {
                        victims.insert((c, victim));
                    }
                }
            }
            count(victims.len())
        }
        Indicator::Reprisals => {
            // Events that were reprisals, by whom they targeted, dated by the event, in the
            // case's region and on its hotline.
            let same =
                |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
            let mut total = 0;
            for case in cases
                .iter()
                .filter(|c| same(&filter.region, Some(c.region)) && same(&filter.hotline, c.hotline))
            {
                for event in case.events.iter().filter(|e| !e.reprisal_targets.is_empty()) {
                    if filter.in_period(event.start.and_then(|d| d.first_day())) {
                        total += 1;
                        for target in &event.reprisal_targets {
                            *parts.entry((*target).to_owned()).or_default() += 1;
                        }
                    }
                }
            }
            total
        }
        Indicator::Evaluations => {
            // Signed reports by their conclusion, dated by the signature, in the case's region and
            // on its hotline.
            let same =
                |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
            let mut total = 0;
            for case in cases
                .iter()
                .filter(|c| same(&filter.region, Some(c.region)) && same(&filter.hotline, c.hotline))
            {
                for e in
                    case.evaluations.iter().filter(|e| e.signed.is_some_and(|d| filter.in_period(Some(d))))
                {
                    total += 1;
                    *parts.entry(e.consistency.to_owned()).or_default() += 1;
                }
            }
            total
        }
        Indicator::Rehabilitation => {
            // Clients once each (by relation), episodes completed, sessions held; by the day of
            // the referral (sessions: their own day), in the case's region and on its hotline.
            let same =
                |want: &Option<String>, have: Option<&str>| want.as_deref().is_none_or(|w| have == Some(w));
            let (mut clients, mut by_relation, mut completed, mut sessions) =
                (BTreeSet::new(), BTreeMap::<&str, BTreeSet<(usize, usize)>>::new(), 0, 0);
            for (c, case) in cases.iter().enumerate() {
                if !same(&filter.region, Some(case.region)) || !same(&filter.hotline, case.hotline) {
                    continue;
                }
                for e in &case.rehab {
                    sessions += e
                        .sessions
                        .iter()
                        .filter(|(day, missed)| !missed && filter.in_period(Some(*day)))
                        .count();
                    if filter.in_period(Some(e.referred)) {
                        clients.insert((c, e.client));
                        by_relation.entry(e.relation).or_default().insert((c, e.client));
                        completed += usize::from(e.state() == "COMPLETED");
                    }
                }
            }
            for (relation, set) in by_relation {
                parts.insert(relation.to_owned(), count(set.len()));
            }
            parts.insert("completed".into(), count(completed));
            parts.insert("sessions".into(), count(sessions));
            count(clients.len())
        }
        Indicator::Represented
        | Indicator::Complaints
        | Indicator::UnCommunications
        | Indicator::CriminalCases
        | Indicator::Prosecuted
        | Indicator::Compensation => legal(indicator, cases, filter, &mut parts),
        Indicator::HealthTrained
        | Indicator::OthersTrained
        | Indicator::Published
        | Indicator::Meetings
        | Indicator::Visits
        | Indicator::Interviews
        | Indicator::VisitRecommendations
        | Indicator::UnTracked
        | Indicator::Contacts
        | Indicator::Army => register(indicator, registry, facilities, filter, &mut parts),
    };
    parts.retain(|_, n| *n > 0);
    Truth { value, parts }
}
