//! The statistics' facts held in memory (DOMAIN.md section 6): for every live case, what its
//! figures are counted from (its acts with their filter dimensions, identified perpetrators,
//! reprisals, legal aid, proceedings, the accused, rehabilitation, signed evaluations), and every
//! hotline contact. Nothing here is a source of truth: the store loads it from the records and
//! replaces a case's facts after every committed change to that case (`stats_dirty`), so every
//! figure is still computed from the records as they stand when it is asked for, without reading
//! a hundred thousand cases' JSON for each of two dozen figures.
//!
//! Ids and vocabulary codes are interned: a figure walks small fixed-size rows and counts distinct
//! events, victims or perpetrators in bit sets.

use std::collections::{BTreeMap, HashMap};

use ozodi_domain::stats::{self, AgeGroup, Filter, Indicator};
use time::Date;

use crate::stats::{CountTable, Figure, Part};

/// An interned string: an id or a vocabulary code.
pub type Sym = u32;

/// Strings to [`Sym`]s and back. Grows only: a changed case interns its ids again and finds them.
#[derive(Debug, Default)]
pub struct Interner {
    map: HashMap<Box<str>, Sym>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The symbol of `s`, new if it has none yet.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = Sym::try_from(self.names.len()).unwrap_or(Sym::MAX);
        self.names.push(s.into());
        self.map.insert(s.into(), sym);
        sym
    }

    /// The symbol of an optional string.
    pub fn opt(&mut self, s: Option<&str>) -> Option<Sym> {
        s.map(|s| self.intern(s))
    }

    /// The symbol of `s` if it has one (a code nobody used has none).
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    /// The string of a symbol.
    pub fn name(&self, sym: Sym) -> &str {
        usize::try_from(sym).ok().and_then(|i| self.names.get(i)).map_or("", |s| s)
    }

    /// How many symbols there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// An ISO day as stored (`YYYY-MM-DD`); anything else is an unknown day.
pub fn day(s: Option<&str>) -> Option<Date> {
    let s = s?;
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = s.get(0..4)?.parse().ok()?;
    let month: u8 = s.get(5..7)?.parse().ok()?;
    let day: u8 = s.get(8..10)?.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// One live act of a live case, as `stat_acts` derives it.
#[derive(Clone, Debug)]
pub struct Act {
    /// The act's id.
    pub id: Sym,
    /// Its event.
    pub event: Option<Sym>,
    /// Its victim (a person).
    pub victim: Option<Sym>,
    /// Whether the victim is an individual (MT07 `01`).
    pub individual: bool,
    /// The act's start, else its event's.
    pub day: Option<Date>,
    /// The event's region, else the case's.
    pub region: Option<Sym>,
    /// The case's hotline.
    pub hotline: Option<Sym>,
    /// The agency of the act's first involvement naming one.
    pub agency: Option<Sym>,
    /// The type of the place the act names.
    pub facility_type: Option<Sym>,
    /// The victim's sex.
    pub sex: Option<Sym>,
    /// Whether the victim was under 18 (unknown: `None`).
    pub minor: Option<bool>,
    /// The act type (MT04).
    pub act_type: Sym,
    /// The event's violation status (MT41).
    pub violation: Option<Sym>,
    /// Torture or ill-treatment (`domain::stats::TORTURE`, `ill_treatment`).
    pub torture_or_illt: bool,
    /// Torture itself.
    pub torture: bool,
    /// Documented by its event's violation status (`domain::stats::documented_status`).
    pub documented: bool,
    /// A death (`domain::stats::death`).
    pub death: bool,
}

impl Act {
    /// Sets the derived flags from the act type, victim status and violation status.
    pub fn classify(&mut self, act_type: &str, victim_status: Option<&str>, violation: Option<&str>) {
        self.torture = act_type == stats::TORTURE;
        self.torture_or_illt = self.torture || stats::ill_treatment(act_type);
        self.documented = stats::documented_status(violation);
        self.death = stats::death(act_type, victim_status);
    }
}

/// An identified perpetrator's involvement in an act.
#[derive(Clone, Debug)]
pub struct Perpetration {
    /// The act.
    pub act: Sym,
    /// The perpetrator (a person).
    pub perpetrator: Option<Sym>,
    /// The latest status (MT26).
    pub status: Option<Sym>,
}

/// An event with reprisal targets.
#[derive(Clone, Debug)]
pub struct Reprisal {
    /// The event.
    pub event: Sym,
    /// Its start.
    pub day: Option<Date>,
    /// Whom it targeted (`reprisal_target`).
    pub targets: Vec<Sym>,
}

/// Legal aid given to a victim (an intervention of type `0102`).
#[derive(Clone, Debug)]
pub struct Advice {
    /// The victim.
    pub victim: Sym,
    /// The intervention's day.
    pub day: Option<Date>,
}

/// A live proceeding.
#[derive(Clone, Debug)]
pub struct Proceeding {
    /// Its id.
    pub id: Sym,
    /// Its kind (`proceeding_kind`).
    pub kind: Option<Sym>,
    /// Whether the coalition represents someone in it.
    pub represented: bool,
    /// Its start.
    pub day: Option<Date>,
    /// Its last step's state.
    pub state: Option<Sym>,
    /// Whether it is qualified under art. 143-1.
    pub art_143_1: bool,
    /// The compensation awarded, in diram.
    pub awarded: Option<i64>,
    /// Whether it ever reached an indictment or a court.
    pub reached_court: bool,
    /// What was paid under it, in diram.
    pub paid: i64,
}

/// A person accused in a proceeding.
#[derive(Clone, Debug)]
pub struct Accused {
    /// The proceeding.
    pub proceeding: Option<Sym>,
    /// The perpetrator the accused's involvement names.
    pub perpetrator: Option<Sym>,
    /// The verdict on them.
    pub verdict: Option<Sym>,
}

/// A rehabilitation episode.
#[derive(Clone, Debug)]
pub struct Episode {
    /// The client (a person).
    pub client: Option<Sym>,
    /// Victim or relative (`rehab_client`).
    pub relation: Option<Sym>,
    /// Whether it was completed.
    pub completed: bool,
    /// The day of the referral.
    pub day: Option<Date>,
}

/// A signed medico-legal evaluation.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Its overall conclusion (`ip_consistency`).
    pub consistency: Option<Sym>,
    /// The day it was signed (Dushanbe time).
    pub day: Option<Date>,
}

/// What the statistics count of one live case.
#[derive(Clone, Debug, Default)]
pub struct CaseFacts {
    /// The case's region.
    pub region: Option<Sym>,
    /// The case's hotline.
    pub hotline: Option<Sym>,
    /// Its live acts.
    pub acts: Vec<Act>,
    /// Identified perpetrators' involvements.
    pub perpetrations: Vec<Perpetration>,
    /// Events with reprisal targets.
    pub reprisals: Vec<Reprisal>,
    /// Legal aid given.
    pub advice: Vec<Advice>,
    /// Live proceedings.
    pub proceedings: Vec<Proceeding>,
    /// The accused.
    pub accused: Vec<Accused>,
    /// Rehabilitation episodes.
    pub episodes: Vec<Episode>,
    /// Days of the sessions held (not missed, not removed).
    pub sessions: Vec<Option<Date>>,
    /// Signed evaluations.
    pub evaluations: Vec<Evaluation>,
}

/// A hotline contact.
#[derive(Clone, Debug)]
pub struct Contact {
    /// Its line.
    pub line: Option<Sym>,
    /// The caller's region.
    pub region: Option<Sym>,
    /// The channel.
    pub channel: Sym,
    /// The day received (Dushanbe time).
    pub day: Option<Date>,
    /// Closed as outside the mandate.
    pub outside_mandate: bool,
}

/// Every fact, as of the change `seq` of `stats_dirty`.
#[derive(Debug, Default)]
pub struct Facts {
    /// The last change included.
    pub seq: i64,
    /// Ids and codes.
    pub syms: Interner,
    /// Live cases by id.
    pub cases: HashMap<Sym, CaseFacts>,
    /// Contacts by id.
    pub contacts: HashMap<Sym, Contact>,
    /// The same, side by side (see [`Facts::rebuild`]).
    flat: Flat,
}

/// Whether the figures of an indicator come from these facts (the others, trainings, visits and
/// the registry, are few and counted by the database).
pub fn in_memory(indicator: Indicator) -> bool {
    !matches!(
        indicator,
        Indicator::HealthTrained
            | Indicator::OthersTrained
            | Indicator::Visits
            | Indicator::Interviews
            | Indicator::VisitRecommendations
            | Indicator::UnTracked
            | Indicator::Published
            | Indicator::Meetings
    )
}

/// Distinct symbols, as a bit set.
struct Distinct {
    bits: Vec<u64>,
    n: i64,
}

impl Distinct {
    fn new(size: usize) -> Distinct {
        Distinct { bits: vec![0; size / 64 + 1], n: 0 }
    }

    fn insert(&mut self, sym: Sym) {
        let Ok(i) = usize::try_from(sym) else { return };
        if let Some(word) = self.bits.get_mut(i / 64) {
            let bit = 1u64 << (i % 64);
            if *word & bit == 0 {
                *word |= bit;
                self.n += 1;
            }
        }
    }
}

/// Distinct symbols per group.
struct Groups {
    size: usize,
    groups: Vec<(Option<Sym>, Distinct)>,
}

impl Groups {
    fn new(size: usize) -> Groups {
        Groups { size, groups: Vec::new() }
    }

    fn insert(&mut self, group: Option<Sym>, sym: Sym) {
        if let Some((_, d)) = self.groups.iter_mut().find(|(g, _)| *g == group) {
            d.insert(sym);
            return;
        }
        let mut d = Distinct::new(self.size);
        d.insert(sym);
        self.groups.push((group, d));
    }

    /// `(key, count)` by key, an absent key as "" (first, as SQL orders NULL).
    fn counts(&self, syms: &Interner) -> Vec<(String, i64)> {
        let mut rows: Vec<(String, i64)> =
            self.groups.iter().map(|(g, d)| (g.map_or("", |g| syms.name(g)).to_owned(), d.n)).collect();
        rows.sort();
        rows
    }
}

/// Counts per group.
/// Counts per key, by key (an absent key as "", first).
fn tally(keys: impl Iterator<Item = Option<Sym>>, syms: &Interner) -> Vec<(String, i64)> {
    let mut counts: Vec<(Option<Sym>, i64)> = Vec::new();
    for key in keys {
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    let mut rows: BTreeMap<String, i64> = BTreeMap::new();
    for (key, n) in counts {
        *rows.entry(key.map_or("", |k| syms.name(k)).to_owned()).or_default() += n;
    }
    rows.into_iter().collect()
}

fn terms(list: &'static str, rows: Vec<(String, i64)>) -> Vec<Part> {
    rows.into_iter().filter(|(_, n)| *n > 0).map(|(code, n)| Part::term(list, code, n)).collect()
}

/// A filter's value resolved to a symbol: `None` when unrestricted, `Some(None)` when nothing can
/// match (a code no record uses).
type Want = Option<Option<Sym>>;

fn is(want: Want, value: Option<Sym>) -> bool {
    match want {
        None => true,
        Some(w) => w.is_some() && w == value,
    }
}

/// A filter resolved against the facts' symbols.
struct Selection<'a> {
    f: &'a Filter,
    region: Want,
    hotline: Want,
    agency: Want,
    facility_type: Want,
    sex: Want,
}

impl<'a> Selection<'a> {
    fn new(f: &'a Filter, syms: &Interner) -> Selection<'a> {
        let want = |v: &Option<String>| v.as_deref().map(|v| syms.get(v));
        Selection {
            f,
            region: want(&f.region),
            hotline: want(&f.hotline),
            agency: want(&f.agency),
            facility_type: want(&f.facility_type),
            sex: want(&f.sex),
        }
    }

    /// Work of a case dated `day`: the period, the case's region and hotline.
    fn case(&self, place: &Place, day: Option<Date>) -> bool {
        self.f.in_period(day) && is(self.region, place.region) && is(self.hotline, place.hotline)
    }

    /// An act: every dimension.
    fn act(&self, a: &Act) -> bool {
        self.f.in_period(a.day)
            && is(self.region, a.region)
            && is(self.hotline, a.hotline)
            && is(self.agency, a.agency)
            && is(self.facility_type, a.facility_type)
            && is(self.sex, a.sex)
            && match self.f.age {
                Some(AgeGroup::Minor) => a.minor == Some(true),
                Some(AgeGroup::Adult) => a.minor == Some(false),
                None => true,
            }
    }
}

/// The states in which a criminal case has reached an indictment or a court.
pub const REACHED_COURT: [&str; 9] = [
    "INDICTMENT_SENT",
    "TRIAL",
    "VERDICT_CONVICTION",
    "VERDICT_ACQUITTAL",
    "TERMINATED_IN_COURT",
    "APPEAL",
    "CASSATION",
    "FINAL",
    "EXECUTION",
];

/// The roles (`our_role`) in which the coalition represents someone.
pub const REPRESENTING: [&str; 4] = ["VICTIM_REP", "CIVIL_REP", "UN_COUNSEL", "DEFENCE"];

/// Whether the coalition represents someone in a proceeding where its role is `role`.
pub fn represents(role: Option<&str>) -> bool {
    role.is_some_and(|r| REPRESENTING.contains(&r))
}

/// Where a case's work is counted: the case's region and hotline.
#[derive(Clone, Copy, Debug, Default)]
struct Place {
    region: Option<Sym>,
    hotline: Option<Sym>,
}

impl Place {
    fn of(c: &CaseFacts) -> Place {
        Place { region: c.region, hotline: c.hotline }
    }
}

/// The facts of every case side by side, rebuilt after each change, so that a figure walks a few
/// contiguous arrays instead of a hundred thousand cases' own.
#[derive(Debug, Default)]
struct Flat {
    acts: Vec<Act>,
    /// With the index of their act in `acts`.
    perpetrations: Vec<(Perpetration, usize)>,
    reprisals: Vec<(Reprisal, Place)>,
    advice: Vec<(Advice, Place)>,
    /// With their case.
    proceedings: Vec<(Proceeding, Place, Sym)>,
    /// With the index of their proceeding in `proceedings`.
    accused: Vec<(Accused, usize)>,
    episodes: Vec<(Episode, Place)>,
    sessions: Vec<(Option<Date>, Place)>,
    evaluations: Vec<(Evaluation, Place)>,
    contacts: Vec<Contact>,
}

impl Facts {
    /// Lays the facts side by side again; called after every change to them.
    pub fn rebuild(&mut self) {
        let mut flat = Flat::default();
        for (case, c) in &self.cases {
            let place = Place::of(c);
            let first_act = flat.acts.len();
            flat.acts.extend(c.acts.iter().cloned());
            for p in &c.perpetrations {
                if let Some(i) = c.acts.iter().position(|a| a.id == p.act) {
                    flat.perpetrations.push((p.clone(), first_act + i));
                }
            }
            flat.reprisals.extend(c.reprisals.iter().map(|r| (r.clone(), place)));
            flat.advice.extend(c.advice.iter().map(|a| (a.clone(), place)));
            let first_proceeding = flat.proceedings.len();
            flat.proceedings.extend(c.proceedings.iter().map(|p| (p.clone(), place, *case)));
            for a in &c.accused {
                if let Some(i) = c.proceedings.iter().position(|p| Some(p.id) == a.proceeding) {
                    flat.accused.push((a.clone(), first_proceeding + i));
                }
            }
            flat.episodes.extend(c.episodes.iter().map(|e| (e.clone(), place)));
            flat.sessions.extend(c.sessions.iter().map(|d| (*d, place)));
            flat.evaluations.extend(c.evaluations.iter().map(|e| (e.clone(), place)));
        }
        flat.contacts.extend(self.contacts.values().cloned());
        self.flat = flat;
    }

    /// The figure of an indicator counted from these facts (see [`in_memory`]), as of the last
    /// [`Facts::rebuild`].
    pub fn figure(&self, indicator: Indicator, f: &Filter) -> Figure {
        let sel = Selection::new(f, &self.syms);
        let syms = &self.syms;
        let flat = &self.flat;
        let size = syms.len();
        let sym = |s: &str| syms.get(s);
        let mut parts = Vec::new();
        let value = match indicator {
            Indicator::Contacts | Indicator::Army => {
                let army = sym("ARMY");
                let contacts: Vec<&Contact> = flat
                    .contacts
                    .iter()
                    .filter(|k| indicator != Indicator::Army || (army.is_some() && k.line == army))
                    .filter(|k| f.in_period(k.day) && is(sel.region, k.region) && is(sel.hotline, k.line))
                    .collect();
                for (line, n) in tally(contacts.iter().map(|k| k.line), syms) {
                    parts.push(if line.is_empty() {
                        Part::count("no-line", n)
                    } else {
                        Part::term("hotline", line, n)
                    });
                }
                for (channel, n) in tally(contacts.iter().map(|k| Some(k.channel)), syms) {
                    parts.push(Part::count(&format!("channel-{channel}"), n));
                }
                let outside = contacts.iter().filter(|k| k.outside_mandate).count();
                parts.push(Part::count("outside-mandate", count(outside)));
                count(contacts.len())
            }
            Indicator::Documented => {
                let mut by = Groups::new(size);
                let mut torture = Distinct::new(size);
                for a in flat.acts.iter().filter(|a| a.documented && sel.act(a)) {
                    let Some(event) = a.event else { continue };
                    if a.torture_or_illt {
                        by.insert(a.violation, event);
                    }
                    if a.torture {
                        torture.insert(event);
                    }
                }
                let rows = by.counts(syms);
                let total = rows.iter().map(|(_, n)| n).sum();
                parts.extend(terms("MT41", rows));
                parts.push(Part::count("torture", torture.n));
                total
            }
            Indicator::Victims => {
                let mut individuals = Distinct::new(size);
                let mut groups = Distinct::new(size);
                for a in flat.acts.iter().filter(|a| a.torture_or_illt && a.documented && sel.act(a)) {
                    let Some(victim) = a.victim else { continue };
                    if a.individual { individuals.insert(victim) } else { groups.insert(victim) }
                }
                if groups.n > 0 {
                    parts.push(Part::count("groups", groups.n));
                }
                if individuals.n > 0 {
                    parts.push(Part::count("individuals", individuals.n));
                }
                individuals.n
            }
            Indicator::Deaths => {
                let rows =
                    tally(flat.acts.iter().filter(|a| a.death && sel.act(a)).map(|a| a.facility_type), syms);
                let total = rows.iter().map(|(_, n)| n).sum();
                parts.extend(terms("facility_type", rows));
                total
            }
            Indicator::Perpetrators => {
                let mut by = Groups::new(size);
                for (p, act) in &flat.perpetrations {
                    let Some(who) = p.perpetrator else { continue };
                    if flat.acts.get(*act).is_some_and(|a| sel.act(a)) {
                        by.insert(p.status, who);
                    }
                }
                let rows = by.counts(syms);
                let total = rows.iter().map(|(_, n)| n).sum();
                parts.extend(terms("MT26", rows));
                total
            }
            Indicator::Reprisals => {
                let mut by = Groups::new(size);
                let mut all = Distinct::new(size);
                for (r, _) in flat.reprisals.iter().filter(|(r, place)| sel.case(place, r.day)) {
                    all.insert(r.event);
                    for target in &r.targets {
                        by.insert(Some(*target), r.event);
                    }
                }
                parts.extend(terms("reprisal_target", by.counts(syms)));
                all.n
            }
            Indicator::Advice => {
                let mut victims = Distinct::new(size);
                for (a, _) in flat.advice.iter().filter(|(a, place)| sel.case(place, a.day)) {
                    victims.insert(a.victim);
                }
                victims.n
            }
            Indicator::Represented => {
                let mut by = Groups::new(size);
                let mut all = Distinct::new(size);
                for (p, _, case) in
                    flat.proceedings.iter().filter(|(p, place, _)| p.represented && sel.case(place, p.day))
                {
                    by.insert(p.kind, *case);
                    all.insert(*case);
                }
                parts.extend(terms("proceeding_kind", by.counts(syms)));
                all.n
            }
            Indicator::Complaints | Indicator::UnCommunications => {
                let kind = sym(if indicator == Indicator::Complaints { "COMPLAINT" } else { "UN" });
                let rows = tally(self.proceedings(&sel, kind).map(|p| p.state), syms);
                let total = rows.iter().map(|(_, n)| n).sum();
                parts.extend(rows.into_iter().map(|(state, n)| Part::count(&format!("state-{state}"), n)));
                total
            }
            Indicator::CriminalCases => {
                let (mut total, mut torture) = (0, 0);
                for p in self.proceedings(&sel, sym("CRIMINAL")) {
                    total += 1;
                    torture += i64::from(p.art_143_1);
                }
                parts.push(Part::count("art-143-1", torture));
                parts.push(Part::count("other-articles", total - torture));
                total
            }
            Indicator::Prosecuted => {
                let (conviction, acquittal) = (sym("CONVICTION"), sym("ACQUITTAL"));
                let mut persons = Distinct::new(size);
                let mut cases = Distinct::new(size);
                let mut convicted = Distinct::new(size);
                let mut acquitted = Distinct::new(size);
                for (a, i) in &flat.accused {
                    let Some((p, place, _)) = flat.proceedings.get(*i) else { continue };
                    if !p.reached_court || !sel.case(place, p.day) {
                        continue;
                    }
                    cases.insert(p.id);
                    let Some(who) = a.perpetrator else { continue };
                    persons.insert(who);
                    if a.verdict.is_some() && a.verdict == conviction {
                        convicted.insert(who);
                    }
                    if a.verdict.is_some() && a.verdict == acquittal {
                        acquitted.insert(who);
                    }
                }
                parts.push(Part::count("criminal-cases", cases.n));
                parts.push(Part::count("convicted", convicted.n));
                parts.push(Part::count("acquitted", acquitted.n));
                persons.n
            }
            Indicator::Compensation => {
                let civil: Vec<&Proceeding> = self.proceedings(&sel, sym("CIVIL")).collect();
                let mut awarded: Vec<i64> = civil.iter().filter_map(|p| p.awarded).collect();
                awarded.sort_unstable();
                let median = match awarded.len() {
                    0 => 0,
                    n if n % 2 == 1 => awarded[n / 2],
                    n => (awarded[n / 2 - 1] + awarded[n / 2]) / 2,
                };
                let paid: i64 = self.proceedings(&sel, None).map(|p| p.paid).sum();
                parts.push(Part::count("judgments", count(awarded.len())));
                parts.push(Part::money("awarded", awarded.iter().sum()));
                parts.push(Part::money("median-awarded", median));
                parts.push(Part::money("paid", paid));
                count(civil.len())
            }
            Indicator::Rehabilitation => {
                let mut by = Groups::new(size);
                let mut clients = Distinct::new(size);
                let mut completed = 0;
                for (e, _) in flat.episodes.iter().filter(|(e, place)| sel.case(place, e.day)) {
                    if let Some(client) = e.client {
                        by.insert(e.relation, client);
                        clients.insert(client);
                    }
                    completed += i64::from(e.completed);
                }
                let sessions = flat.sessions.iter().filter(|(day, place)| sel.case(place, *day)).count();
                parts.extend(terms("rehab_client", by.counts(syms)));
                parts.push(Part::count("completed", completed));
                parts.push(Part::count("sessions", count(sessions)));
                clients.n
            }
            Indicator::Evaluations => {
                let signed = flat
                    .evaluations
                    .iter()
                    .filter(|(e, place)| sel.case(place, e.day))
                    .map(|(e, _)| e.consistency);
                let rows = tally(signed, syms);
                let total = rows.iter().map(|(_, n)| n).sum();
                parts.extend(terms("ip_consistency", rows));
                total
            }
            // Counted by the database.
            _ => 0,
        };
        Figure { indicator, value, parts }
    }

    /// The live proceedings of a kind (`None`: any kind) whose case and start pass the filter.
    fn proceedings<'s>(
        &'s self,
        sel: &'s Selection<'_>,
        kind: Option<Sym>,
    ) -> impl Iterator<Item = &'s Proceeding> + 's {
        let any = kind.is_none();
        self.flat
            .proceedings
            .iter()
            .filter(move |(p, place, _)| (any || p.kind == kind) && sel.case(place, p.day))
            .map(|(p, _, _)| p)
    }

    /// The tables published as public statistics, before disclosure control: documented events
    /// by region and year, individual victims by sex and age group, deaths by type of place and
    /// year.
    pub fn public_tables(&self) -> Vec<CountTable> {
        let syms = &self.syms;
        // Keys as symbols and years while counting; as text once per cell.
        type Key = (Option<Sym>, Option<i32>);
        let mut documented: Vec<(Key, Sym)> = Vec::new();
        let mut victims: Vec<((Option<Sym>, u8), Sym)> = Vec::new();
        let mut deaths: HashMap<Key, i64> = HashMap::new();
        for a in &self.flat.acts {
            let year = a.day.map(Date::year);
            if a.torture_or_illt && a.documented {
                if let Some(event) = a.event {
                    documented.push(((a.region, year), event));
                }
                if let (true, Some(victim)) = (a.individual, a.victim) {
                    let age = match a.minor {
                        Some(true) => 0,
                        Some(false) => 1,
                        None => 2,
                    };
                    victims.push(((a.sex, age), victim));
                }
            }
            if a.death {
                *deaths.entry((a.facility_type, year)).or_default() += 1;
            }
        }
        let name = |s: Option<Sym>, absent: &str| s.map_or(absent.to_owned(), |s| syms.name(s).to_owned());
        let year = |y: Option<i32>| y.map_or(String::new(), |y| format!("{y:04}"));
        let documented: Vec<(String, String, i64)> =
            distinct(documented).into_iter().map(|((r, y), n)| (name(r, ""), year(y), n)).collect();
        let victims: Vec<(String, String, i64)> = distinct(victims)
            .into_iter()
            .map(|((sex, age), n)| {
                let age = ["minor", "adult", "unknown"].get(usize::from(age)).copied().unwrap_or("unknown");
                (name(sex, "99"), age.to_owned(), n)
            })
            .collect();
        let deaths: Vec<(String, String, i64)> =
            deaths.into_iter().map(|((t, y), n)| (name(t, ""), year(y), n)).collect();
        vec![
            CountTable::from_triples("documented-by-region-year", Some("region"), &documented),
            CountTable::from_triples("victims-by-sex-age", None, &victims),
            CountTable::from_triples("deaths-by-place-year", Some("facility_type"), &deaths),
        ]
    }
}

/// How many distinct symbols each key has.
fn distinct<K: Ord + Copy>(mut rows: Vec<(K, Sym)>) -> Vec<(K, i64)> {
    rows.sort_unstable();
    rows.dedup();
    let mut out: Vec<(K, i64)> = Vec::new();
    for (k, _) in rows {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(facts: &mut Facts, id: &str, event: &str, victim: &str, act_type: &str, violation: &str) -> Act {
        let s = &mut facts.syms;
        let mut a = Act {
            id: s.intern(id),
            event: Some(s.intern(event)),
            victim: Some(s.intern(victim)),
            individual: true,
            day: day(Some("2025-03-01")),
            region: Some(s.intern("SUG")),
            hotline: None,
            agency: None,
            facility_type: None,
            sex: Some(s.intern("02")),
            minor: Some(false),
            act_type: s.intern(act_type),
            violation: Some(s.intern(violation)),
            torture_or_illt: false,
            torture: false,
            documented: false,
            death: false,
        };
        a.classify(act_type, None, Some(violation));
        a
    }

    /// Two acts of one event against one victim count once; an act outside the period, of a
    /// violation status not documented, or of another type does not count.
    #[test]
    fn events_and_victims_are_counted_once_and_filters_hold() {
        let mut facts = Facts::default();
        let acts = vec![
            act(&mut facts, "a1", "e1", "p1", "02011111", "0101"),
            act(&mut facts, "a2", "e1", "p1", "02010101", "0101"),
            act(&mut facts, "a3", "e2", "p2", "02011111", "02"),
            act(&mut facts, "a4", "e3", "p3", "01010101", "0101"),
        ];
        let case = facts.syms.intern("c1");
        facts.cases.insert(case, CaseFacts { acts, ..CaseFacts::default() });
        facts.rebuild();
        let all = Filter::default();
        let documented = facts.figure(Indicator::Documented, &all);
        assert_eq!(
            (documented.value, documented.part("0101"), documented.part("torture")),
            (1, Some(1), Some(1))
        );
        assert_eq!(facts.figure(Indicator::Victims, &all).value, 1);
        let later = Filter { from: day(Some("2025-04-01")), ..Filter::default() };
        assert_eq!(facts.figure(Indicator::Documented, &later).value, 0);
        let unknown_region = Filter { region: Some("NOWHERE".into()), ..Filter::default() };
        assert_eq!(facts.figure(Indicator::Victims, &unknown_region).value, 0);
        let men = Filter { sex: Some("01".into()), ..Filter::default() };
        assert_eq!(facts.figure(Indicator::Victims, &men).value, 0);
    }

    #[test]
    fn only_iso_days_are_days() {
        assert_eq!(day(Some("2025-02-28")).map(|d| d.to_string()), Some("2025-02-28".to_owned()));
        assert_eq!(day(Some("2025-02-30")), None);
        assert_eq!(day(Some("2025-02")), None);
        assert_eq!(day(None), None);
    }
}
