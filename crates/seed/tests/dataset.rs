//! Properties of the generated dataset: determinism, vocabulary codes, references, texts, sizes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ozodi_domain::case::{CaseStatus, Tri as DomainTri};
use ozodi_domain::dates::DatePrecision;
use ozodi_seed::{Case, DEMO_SEED, Facility, Generator, Lang, PDate, Person, demo, facility_count};

fn generate(seed: u64, facilities: usize, cases: usize) -> (Vec<Facility>, Vec<Case>) {
    let mut generator = Generator::new(seed);
    let f = generator.facilities(facilities);
    let c = generator.cases(&f, cases).collect();
    (f, c)
}

/// Every `code` of every vocabulary file, by `list`.
fn vocabularies() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/data/vocabularies");
    let mut lists: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()));
    for entry in entries.into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let table: toml::Table = toml::from_str(&text).unwrap_or_default();
        let list = table.get("list").and_then(|l| l.as_str()).unwrap_or_default().to_string();
        let codes = lists.entry(list).or_default();
        for term in table.get("term").and_then(|t| t.as_array()).into_iter().flatten() {
            if let Some(code) = term.get("code").and_then(|c| c.as_str()) {
                codes.insert(code.to_string());
            }
        }
    }
    assert!(lists.len() >= 40, "vocabulary files not found in {}", dir.display());
    lists
}

/// Every (list, code) the dataset uses.
fn codes(facilities: &[Facility], cases: &[Case]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for f in facilities {
        out.extend([("facility_type", f.facility_type), ("agency", f.authority), ("region", f.region)]);
    }
    for c in cases {
        for p in &c.legal {
            out.extend([("proceeding_kind", p.kind), ("our_role", p.our_role), ("forum", p.forum)]);
            out.extend(p.qualification.iter().map(|q| ("legal_qual", *q)));
            out.extend(p.steps.iter().filter_map(|s| s.ground).map(|g| ("decision_ground", g)));
            out.extend(p.accused.iter().filter_map(|a| a.verdict).map(|v| ("verdict", v)));
            out.extend(p.un_body.map(|b| ("un_body", b)));
        }
        out.extend(c.evaluations.iter().map(|e| ("ip_consistency", e.consistency)));
        for e in &c.rehab {
            out.push(("rehab_client", e.relation));
            out.extend(e.baseline.map(|(i, _)| ("rehab_instrument", i)));
        }
        out.push(("region", c.region));
        out.extend(c.hotline.map(|h| ("hotline", h)));
        for p in &c.persons {
            out.push(("MT07", p.counting_unit));
        }
        for e in &c.events {
            out.push(("region", e.region));
            out.extend(e.violation_status.map(|v| ("MT41", v)));
            out.extend(e.reprisal_targets.iter().map(|t| ("reprisal_target", *t)));
            for a in &e.acts {
                out.push(("MT04", a.act_type));
                out.extend(a.methods.iter().map(|m| ("MT05", *m)));
                out.extend(a.location_type.map(|l| ("MT17", l)));
                out.extend(a.victim_status.map(|v| ("MT25", v)));
                out.extend(a.characteristics.iter().map(|c| ("MT23", *c)));
                if let Some(r) = &a.arrest {
                    out.extend(r.lawyer_kind.map(|k| ("MT31", k)));
                    out.extend(r.whereabouts.map(|w| ("MT30", w)));
                }
                if let Some(t) = &a.torture {
                    out.extend(t.statements_signed.iter().map(|s| ("MT36", *s)));
                    out.extend(t.medical_attention.iter().map(|s| ("MT37", *s)));
                    out.extend(t.intent.iter().map(|s| ("MT38", *s)));
                }
                for i in &a.involvements {
                    out.extend([("MT18", i.degree), ("MT24", i.perpetrator_type), ("agency", i.agency)]);
                }
            }
            for i in &e.informations {
                out.push(("MT19", i.connection));
                out.extend(i.material.iter().map(|m| ("MT16", *m)));
                out.extend(i.reliability.map(|r| ("MT42", r)));
            }
            for i in &e.interventions {
                out.extend(i.types.iter().map(|t| ("MT20", *t)));
                out.extend(i.response.map(|r| ("MT27", r)));
                out.extend(i.status.map(|s| ("MT45", s)));
            }
        }
    }
    out
}

/// Every free text of a case, with what it is.
fn texts(c: &Case) -> Vec<(&'static str, &str)> {
    let mut out = vec![("title", c.title.as_str()), ("summary", c.summary.as_str())];
    for p in &c.persons {
        out.extend(p.description.as_deref().map(|d| ("person description", d)));
    }
    for e in &c.events {
        out.extend([("event title", e.title.as_str()), ("description", e.description.as_str())]);
        for a in &e.acts {
            out.extend([
                ("stated reason", a.stated_reason.as_str()),
                ("physical", a.physical_consequences.as_str()),
                ("psychological", a.psychological_consequences.as_str()),
            ]);
        }
        out.extend(e.informations.iter().map(|i| ("remarks", i.remarks.as_str())));
        out.extend(e.interventions.iter().map(|i| ("parties requested", i.parties_requested.as_str())));
    }
    out
}

fn all_dates(c: &Case) -> Vec<PDate> {
    let mut out = Vec::new();
    for e in &c.events {
        out.extend(e.start.iter().chain(e.end.iter()).copied());
        for a in &e.acts {
            out.extend(a.start.iter().chain(a.end.iter()).copied());
        }
        out.extend(e.informations.iter().filter_map(|i| i.date));
        out.extend(e.interventions.iter().filter_map(|i| i.date));
    }
    out
}

#[test]
fn the_same_seed_gives_the_same_dataset_and_another_seed_another() {
    let (fa, a) = generate(42, 60, 50);
    let (fb, b) = generate(42, 60, 50);
    assert_eq!(format!("{fa:?}"), format!("{fb:?}"));
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let (fc, c) = generate(43, 60, 50);
    assert_ne!(format!("{fa:?}"), format!("{fc:?}"));
    assert_ne!(format!("{a:?}"), format!("{c:?}"));
    // The demo is the demo seed.
    let (df, dc) = demo(DEMO_SEED);
    assert_eq!((df.len(), dc.len()), (60, 300));
    assert_eq!(format!("{:?}", &dc[..50]), format!("{:?}", generate(DEMO_SEED, 60, 50).1));
}

/// FNV-1a, 64 bit: a hash that is the same on every platform and Rust release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn the_demo_dataset_does_not_drift() {
    // A fingerprint of the whole demo. It changes when the generator's output changes: on purpose
    // (update the constant) or by accident (a dependency or platform changed the random stream).
    let (facilities, cases) = demo(DEMO_SEED);
    let persons: usize = cases.iter().map(|c| c.persons.len()).sum();
    let acts: usize = cases.iter().flat_map(|c| &c.events).map(|e| e.acts.len()).sum();
    let fingerprint = fnv1a(format!("{facilities:?}{cases:?}").as_bytes());
    assert_eq!(
        (facilities.len(), cases.len(), persons, acts, fingerprint),
        (60, 300, 746, 1173, 7_782_789_063_178_090_707)
    );
}

#[test]
fn every_code_is_in_its_vocabulary() {
    let vocab = vocabularies();
    let (facilities, cases) = generate(7, 200, 3000);
    let mut used: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (list, code) in codes(&facilities, &cases) {
        let known = vocab.get(list).unwrap_or_else(|| panic!("no vocabulary file for list {list}"));
        assert!(known.contains(code), "code {code:?} is not in list {list}");
        used.entry(list).or_default().insert(code);
    }
    // Lists without a vocabulary file yet: sex (MT39) and the case workflow status.
    for c in &cases {
        assert!(CaseStatus::parse(c.status).is_some(), "status {}", c.status);
        for p in &c.persons {
            assert!(p.sex.is_none_or(|s| ["01", "02", "99"].contains(&s)));
        }
    }
    // The generator draws on a broad part of the vocabularies.
    for (list, at_least) in [("MT04", 25), ("MT05", 35), ("MT17", 15), ("facility_type", 16), ("agency", 8)] {
        let n = used.get(list).map_or(0, BTreeSet::len);
        assert!(n >= at_least, "only {n} codes of {list} used: {:?}", used.get(list));
    }
}

#[test]
fn the_codes_of_dates_and_tri_states_are_the_domain_codes() {
    let (_, cases) = generate(11, 60, 300);
    for c in &cases {
        for d in all_dates(c) {
            assert!(DatePrecision::parse(d.precision_code()).is_some());
            assert!(d.first_day().is_some(), "{d:?}");
        }
        for a in c.events.iter().flat_map(|e| &e.acts) {
            if let Some(r) = &a.arrest {
                for t in [r.rights_explained, r.medical_exam_on_admission, r.incommunicado] {
                    assert_eq!(DomainTri::parse(t.code()).code(), t.code());
                }
            }
        }
    }
}

#[test]
fn every_index_points_at_something() {
    let (facilities, cases) = generate(3, 60, 3000);
    let (few, few_cases) = generate(3, 5, 300);
    for (facilities, cases) in [(&facilities, &cases), (&few, &few_cases)] {
        for c in cases {
            let n = c.persons.len();
            assert!((1..=4).contains(&n), "{n} persons");
            assert!((1..=3).contains(&c.events.len()));
            for e in &c.events {
                assert!((1..=2).contains(&e.acts.len()));
                for a in &e.acts {
                    assert!(a.victim < n);
                    assert!(a.facility.is_none_or(|f| f < facilities.len()));
                    for i in &a.involvements {
                        assert!(i.perpetrator < n && i.perpetrator != a.victim);
                        let p = &c.persons[i.perpetrator];
                        assert_eq!(i.identified, p.identity.is_some(), "identified means named");
                    }
                    if let Some(f) = a.facility {
                        assert!(a.location_type.is_some());
                        assert_eq!(facilities[f].region, e.region);
                    }
                }
                for i in &e.informations {
                    assert!(i.source < n);
                }
                for i in &e.interventions {
                    assert!(i.party < n && i.victim.is_none_or(|v| v < n));
                }
            }
        }
    }
}

#[test]
fn dates_are_between_2015_and_2026_and_in_order() {
    let (_, cases) = generate(5, 60, 2000);
    for c in &cases {
        assert!((2015..=2026).contains(&c.opened_on.year()));
        let mut previous: Option<PDate> = None;
        for e in &c.events {
            let start = e.start;
            assert!(start.is_some());
            if let (Some(p), Some(s)) = (previous, start) {
                assert!(not_before(s, p), "events out of order in {}", c.title);
            }
            previous = start;
            if let (Some(s), Some(end)) = (start, e.end) {
                assert!(not_before(end, s), "event ends before it starts: {e:?}");
            }
        }
        for d in all_dates(c) {
            assert!((2015..=2026).contains(&d.year), "{d:?}");
            assert!(d.day.is_none() || d.month.is_some());
        }
    }
    // Partial dates occur.
    let all: Vec<PDate> = cases.iter().flat_map(all_dates).collect();
    assert!(all.iter().any(|d| d.day.is_none() && d.month.is_some()));
    assert!(all.iter().any(|d| d.month.is_none()));
    assert!(all.iter().any(|d| d.estimated));
}

/// `later` is not before `earlier`, as far as their precision tells.
fn not_before(later: PDate, earlier: PDate) -> bool {
    match (later.month.zip(earlier.month), later.day.zip(earlier.day)) {
        (None, _) => later.year >= earlier.year,
        (Some(months), None) => (later.year, months.0) >= (earlier.year, months.1),
        (Some(months), Some(days)) => (later.year, months.0, days.0) >= (earlier.year, months.1, days.1),
    }
}

/// Every word of every spelling of every name in the case.
fn name_words(persons: &[Person]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for id in persons.iter().filter_map(|p| p.identity.as_ref()) {
        for spelling in std::iter::once(id.name.as_str()).chain(id.other_names.split("; ")) {
            out.extend(spelling.split_whitespace().map(str::to_lowercase));
        }
    }
    out
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

#[test]
fn titles_and_narratives_never_contain_a_name() {
    let (_, cases) = generate(13, 60, 3000);
    for c in &cases {
        let names = name_words(&c.persons);
        for (what, text) in texts(c) {
            for w in words(text) {
                assert!(!names.contains(&w), "{what} {text:?} contains the name word {w:?}");
            }
        }
    }
}

#[test]
fn names_have_their_spelling_variants() {
    let (_, cases) = generate(17, 60, 500);
    let mut seen = 0;
    for c in &cases {
        for id in c.persons.iter().filter_map(|p| p.identity.as_ref()) {
            assert!(!id.name.is_empty() && !id.other_names.is_empty());
            let variants: Vec<&str> = id.other_names.split("; ").collect();
            assert!(!variants.contains(&id.name.as_str()));
            assert!(variants.iter().any(|v| v.is_ascii()) || id.name.is_ascii(), "no Latin spelling: {id:?}");
            if !id.phone.is_empty() {
                assert!(id.phone.starts_with("+992 00 "), "{}", id.phone);
                seen += 1;
            }
        }
    }
    assert!(seen > 500);
}

#[test]
fn texts_are_fully_rendered_and_in_the_case_language() {
    let (_, cases) = generate(19, 60, 3000);
    let tajik = |t: &str| t.chars().any(|c| "ғӣқӯҳҷҒӢҚӮҲҶ".contains(c));
    let cyrillic = |t: &str| t.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)));
    let mut count = BTreeMap::new();
    for c in &cases {
        *count.entry(c.lang.code()).or_insert(0usize) += 1;
        for (what, text) in texts(c) {
            assert!(!text.contains(['{', '}', '[', ']', '\u{FFFD}']), "{what} not rendered: {text:?}");
            if text.is_empty() {
                continue;
            }
            assert!(!text.contains("  ") && text.trim() == text, "{what}: {text:?}");
            // Narratives are long enough to always hold a Tajik letter; short labels need not.
            let narrative = matches!(what, "title" | "summary" | "event title" | "description" | "remarks");
            match c.lang {
                Lang::Tg if narrative => {
                    assert!(tajik(text), "Tajik {what} without a Tajik letter: {text:?}")
                }
                Lang::Tg => assert!(cyrillic(text), "Tajik {what}: {text:?}"),
                Lang::Ru => assert!(cyrillic(text) && !tajik(text), "Russian {what}: {text:?}"),
                Lang::En => assert!(!cyrillic(text), "English {what}: {text:?}"),
            }
        }
        let summary = c.summary.to_lowercase();
        let keywords: &[&str] = match c.lang {
            Lang::Ru => &["пытк", "избиен"],
            Lang::Tg => &["шиканҷа", "латукӯб"],
            Lang::En => &["tortur", "beat"],
        };
        assert!(keywords.iter().any(|k| summary.contains(k)), "summary without keyword: {}", c.summary);
    }
    // Roughly 60 % Russian, 30 % Tajik, 10 % English.
    let share = |l: &str| count.get(l).copied().unwrap_or(0) as f64 / cases.len() as f64;
    assert!(
        (share("ru") - 0.6).abs() < 0.05
            && (share("tg") - 0.3).abs() < 0.05
            && (share("en") - 0.1).abs() < 0.03
    );
}

#[test]
fn search_words_occur() {
    let (_, cases) = generate(23, 60, 1000);
    let joined = |lang: Lang| -> String {
        cases
            .iter()
            .filter(|c| c.lang == lang)
            .flat_map(|c| {
                std::iter::once(c.summary.clone()).chain(c.events.iter().map(|e| e.description.clone()))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let ru = joined(Lang::Ru);
    for w in ["избиение", "избиения", "избили", "пытки", "пытках", "задержан", "ИВС"]
    {
        assert!(ru.contains(w), "no Russian narrative contains {w:?}");
    }
    let tg = joined(Lang::Tg);
    for w in ["шиканҷа", "ҳуқуқи", "боздошт", "латукӯб"] {
        assert!(tg.contains(w), "no Tajik narrative contains {w:?}");
    }
}

#[test]
fn narratives_vary() {
    let (_, cases) = generate(29, 60, 2000);
    let descriptions: BTreeSet<&str> =
        cases.iter().flat_map(|c| &c.events).map(|e| e.description.as_str()).collect();
    let titles: BTreeSet<&str> = cases.iter().map(|c| c.title.as_str()).collect();
    let events: usize = cases.iter().map(|c| c.events.len()).sum();
    assert!(descriptions.len() * 10 > events * 9, "{} distinct descriptions of {events}", descriptions.len());
    assert!(titles.len() > 800, "{} distinct titles", titles.len());
}

#[test]
fn sizes_average_2_5_persons_and_4_acts_per_case() {
    let (_, cases) = generate(DEMO_SEED, facility_count(2000), 2000);
    let n = cases.len() as f64;
    let persons = cases.iter().map(|c| c.persons.len()).sum::<usize>() as f64 / n;
    let acts = cases.iter().flat_map(|c| &c.events).map(|e| e.acts.len()).sum::<usize>() as f64 / n;
    assert!((persons - 2.5).abs() <= 0.25, "{persons} persons per case");
    assert!((acts - 4.0).abs() <= 0.4, "{acts} acts per case");
}

#[test]
fn facilities_are_unique_and_spread() {
    let mut generator = Generator::new(31);
    let mut facilities = generator.facilities(60);
    facilities.extend(generator.facilities(facility_count(100_000) - 60));
    let names: BTreeSet<&str> = facilities.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.len(), facilities.len());
    let regions: BTreeSet<&str> = facilities.iter().map(|f| f.region).collect();
    assert_eq!(regions.len(), 5);
    // Army cases point at military units run by the army.
    let (f, cases) = generate(31, 60, 1000);
    let army = cases
        .iter()
        .flat_map(|c| &c.events)
        .flat_map(|e| &e.acts)
        .filter(|a| a.act_type == "TJ.ACT.HAZING")
        .filter_map(|a| a.facility)
        .filter(|&i| f[i].facility_type == "TJ.FAC.MILUNIT")
        .count();
    assert!(army > 20);
}

#[test]
fn ten_thousand_cases() {
    let mut generator = Generator::new(DEMO_SEED);
    let facilities = generator.facilities(facility_count(10_000));
    let mut acts = 0;
    for case in generator.cases(&facilities, 10_000) {
        acts += case.events.iter().map(|e| e.acts.len()).sum::<usize>();
    }
    assert!(acts > 30_000);
}

#[test]
fn every_generated_proceeding_follows_its_machine_and_the_figures_are_plausible() {
    use ozodi_domain::legal::{Facts, Money, ProceedingKind, Proposal, check_step};
    let (_, cases) = demo(DEMO_SEED);
    let (mut represented, mut in_court, mut judgments) = (0, 0, 0);
    for case in &cases {
        let involvements =
            case.events.iter().flat_map(|e| &e.acts).map(|a| a.involvements.len()).sum::<usize>();
        for p in &case.legal {
            let kind = ProceedingKind::parse(p.kind).unwrap_or_else(|| panic!("kind {}", p.kind));
            let (mut state, mut day, mut paid) = (kind.initial(), p.filed, 0);
            for step in &p.steps {
                paid += step.payments.iter().map(|(_, a)| a).sum::<i64>();
                let facts = Facts { awarded: p.awarded.map(Money), paid: Money(paid) };
                let proposal = Proposal { ground: step.ground, note: "" };
                state = check_step(kind, state, step.to, facts, proposal)
                    .unwrap_or_else(|e| panic!("{} {state} -> {}: {e:?}", p.kind, step.to));
                assert!(step.on > day, "steps go forward in time");
                assert!(step.on <= time::macros::date!(2026 - 10 - 31));
                day = step.on;
            }
            assert!(p.filed >= case.opened_on, "filed after the case was opened");
            for a in &p.accused {
                assert!(a.involvement < involvements, "an accused points at an involvement of the case");
            }
            in_court += usize::from(p.kind == "CRIMINAL" && p.reached("INDICTMENT_SENT"));
            judgments += usize::from(p.awarded.is_some());
        }
        represented += usize::from(
            case.legal.iter().any(|p| ["VICTIM_REP", "CIVIL_REP", "UN_COUNSEL"].contains(&p.our_role)),
        );
    }
    // Of the order of the coalition's published figures for about 300 cases.
    assert!((60..=200).contains(&represented), "{represented} cases represented");
    assert!((5..=60).contains(&in_court), "{in_court} criminal cases in court");
    assert!((1..=30).contains(&judgments), "{judgments} compensation judgments");
}
