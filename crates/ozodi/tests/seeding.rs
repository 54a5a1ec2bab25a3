//! The synthetic dataset loaded through the store API: everything the generator made is there,
//! led by the lawyer, with names only in the identity compartment and the audit chain intact.

use std::collections::BTreeMap;

use ozodi::seeding::{Accounts, LoadReport, load};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::record::{Kind, Value};
use ozodi_domain::stats::{AgeGroup, Filter, Indicator};
use ozodi_seed::{Case, DEMO_SEED, Generator};
use ozodi_store::{AuditFilter, Instance, NewAuditEntry, Store};
use ozodi_vault::KdfParams;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CASES: usize = 20;

fn expected(facilities: usize, cases: &[Case]) -> LoadReport {
    let events = || cases.iter().flat_map(|c| &c.events);
    let acts = || events().flat_map(|e| &e.acts);
    LoadReport {
        facilities,
        cases: cases.len(),
        persons: cases.iter().map(|c| c.persons.len()).sum(),
        events: events().count(),
        acts: acts().count(),
        involvements: acts().map(|a| a.involvements.len()).sum(),
        informations: events().map(|e| e.informations.len()).sum(),
        interventions: events().map(|e| e.interventions.len()).sum(),
        proceedings: cases.iter().map(|c| c.legal.len()).sum(),
        accused: cases.iter().flat_map(|c| &c.legal).map(|p| p.accused.len()).sum(),
        payments: cases.iter().flat_map(|c| &c.legal).flat_map(|p| &p.steps).map(|s| s.payments.len()).sum(),
        legal_steps: cases.iter().flat_map(|c| &c.legal).map(|p| p.steps.len()).sum(),
        episodes: cases.iter().map(|c| c.rehab.len()).sum(),
        sessions: cases.iter().flat_map(|c| &c.rehab).map(|e| e.sessions.len()).sum(),
        evaluations: cases.iter().map(|c| c.evaluations.len()).sum(),
        ..LoadReport::default()
    }
}

/// Every identifying string of the generated persons.
fn identifying(cases: &[Case]) -> Vec<String> {
    let mut out = Vec::new();
    for id in cases.iter().flat_map(|c| &c.persons).filter_map(|p| p.identity.as_ref()) {
        out.push(id.name.clone());
        out.extend(id.other_names.split("; ").map(str::to_owned));
        out.extend([id.phone.clone(), id.address.clone(), id.id_document.clone()]);
    }
    out.retain(|s| s.chars().count() >= 5);
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn generated_cases_are_stored_like_typed_ones() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let kdf = KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 };
    let store = Instance::at(tmp.path().join("data")).init("a test passphrase", kdf).await?;
    let result = check(&store).await;
    store.close().await;
    result
}

async fn check(store: &ozodi_store::SqliteStore) -> TestResult {
    let accounts = Accounts::demo(store, "a demo password 2026").await?;
    assert_eq!(store.users().await?.len(), 9, "one account per persona");
    let again = Accounts::demo(store, "a demo password 2026").await?;
    assert_eq!(again, accounts, "existing accounts are reused");

    let mut generator = Generator::new(DEMO_SEED);
    let facilities = generator.facilities(ozodi_seed::DEMO_FACILITIES);
    let cases: Vec<Case> = generator.cases(&facilities, CASES).collect();
    let mut progress = Vec::new();
    let report = load(store, &facilities, cases.clone().into_iter(), &accounts, |n| progress.push(n)).await?;
    assert_eq!(progress, (1..=CASES).collect::<Vec<_>>());
    assert_eq!(
        LoadReport { team_members: 0, status_steps: 0, ..report },
        expected(facilities.len(), &cases),
        "everything generated is stored"
    );
    assert!(report.team_members > 0 && report.status_steps > 0, "{report:?}");
    assert_eq!(store.facilities().await?.len(), facilities.len());

    let stored = store.cases_for(accounts.lawyer.id, false, true, 1000).await?;
    assert_eq!(stored.len(), CASES, "the lawyer is on every team");
    let by_text: BTreeMap<(&str, &str), &Case> =
        cases.iter().map(|c| ((c.title.as_str(), c.summary.as_str()), c)).collect();
    let secrets = identifying(&cases);
    assert!(secrets.len() > CASES, "{} identifying strings", secrets.len());
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut doctor_cases, mut moments_checked) = (0, 0);
    for case in &stored {
        let generated = by_text
            .get(&(case.fields.title.as_str(), case.fields.summary.as_str()))
            .ok_or("a stored case that was not generated")?;
        assert_eq!(case.fields.lead, Some(accounts.lawyer.id), "the lawyer leads {}", case.number);
        assert_eq!(case.fields.status.code(), generated.status, "{} reached its status", case.number);
        assert_eq!(case.number.year(), generated.opened_on.year(), "numbered in the year it was opened");
        assert_eq!(case.fields.region.as_deref(), Some(generated.region));
        assert_eq!(case.fields.hotline.as_deref(), generated.hotline);

        let mut texts = vec![case.fields.title.clone(), case.fields.summary.clone()];
        texts.extend(store.versions("case", &case.id.to_string()).await?.iter().map(|v| v.data.to_string()));
        let records = store.records_of_case(case.id).await?;
        texts.extend(records.iter().map(|r| r.data.to_json().to_string()));
        for text in &texts {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{} holds an identifying string", case.number);
            }
        }
        for r in &records {
            *counts.entry(r.kind.code()).or_default() += 1;
        }

        // Persons in generated order, identities sealed but intact.
        let persons = store.persons_of_case(case.id).await?;
        assert_eq!(persons.len(), generated.persons.len());
        if let (Some(first), Some(person)) = (persons.first(), generated.persons.first())
            && let Some(identity) = &person.identity
        {
            let entry = NewAuditEntry {
                at: time::OffsetDateTime::now_utc(),
                actor: Some(accounts.lawyer.id),
                kind: AuditKind::IdentityRevealed,
                subject: Some(first.id.to_string()),
                detail: serde_json::json!({ "purpose": "test" }),
                client: None,
            };
            let revealed = store.reveal_identity(first.id, entry).await?;
            assert_eq!(revealed.name, identity.name);
            assert_eq!(revealed.contacts, identity.phone);
            assert_eq!(first.fields.birth_year, person.birth_year);
        }

        // The arrest safeguards: registration counted in hours from the de facto detention.
        let mut acts: Vec<_> = records.iter().filter(|r| r.kind == Kind::Act).collect();
        acts.sort_by_key(|r| r.seq);
        let generated_acts: Vec<_> = generated.events.iter().flat_map(|e| &e.acts).collect();
        assert_eq!(acts.len(), generated_acts.len());
        for (stored, act) in acts.iter().zip(generated_acts) {
            let moment = |name| match stored.data.get(name) {
                Some(Value::Moment(m)) => Some(*m),
                _ => None,
            };
            let hours = act.arrest.as_ref().and_then(|a| a.detained_hours_before_registration);
            match (moment("de_facto_detention_at"), moment("registered_at"), hours) {
                (Some(detained), Some(registered), Some(h)) => {
                    assert_eq!((registered - detained).whole_hours(), i64::from(h));
                    moments_checked += 1;
                }
                (Some(_), registered, h) => assert_eq!(registered.is_some(), h.is_some()),
                (None, registered, _) => assert!(registered.is_none()),
            }
            assert_eq!(stored.data.text("act_type"), Some(act.act_type));
            assert_eq!(stored.data.codes("methods"), act.methods);
        }

        let team = store.case_team(case.id).await?;
        assert!(team.iter().any(|m| m.user == accounts.lawyer.id && m.identity_access));
        if let Some(doctor) = team.iter().find(|m| m.user == accounts.doctor.id) {
            assert!(!doctor.identity_access, "the doctor works without names");
            doctor_cases += 1;
        }
    }
    let want = expected(facilities.len(), &cases);
    assert_eq!(counts.get("event").copied().unwrap_or(0), want.events);
    assert_eq!(counts.get("act").copied().unwrap_or(0), want.acts);
    assert_eq!(counts.get("involvement").copied().unwrap_or(0), want.involvements);
    assert_eq!(counts.get("information").copied().unwrap_or(0), want.informations);
    assert_eq!(counts.get("intervention").copied().unwrap_or(0), want.interventions);
    assert!(doctor_cases > 0 && doctor_cases < CASES, "the doctor is on some teams: {doctor_cases}");
    assert!(moments_checked > 0, "some arrests have their safeguard hours");

    // Audited as the accounts that acted, marked as demo data; the chain is intact.
    let created = store
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::RecordCreated),
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await?;
    assert_eq!(created.len(), report.facilities + report.records());
    // The store writes the detail of a rehabilitation episode and of an evaluation itself (no
    // clinical word in the trail).
    let own = |d: &str| d.contains("\"what\":\"rehab_episode\"") || d.contains("\"amends\"");
    assert!(
        created
            .iter()
            .all(|e| (e.detail.contains("\"via\":\"demo\"") || own(&e.detail)) && e.actor.is_some())
    );
    let chain = store.verify_audit().await?.map_err(|b| format!("audit chain broken: {b:?}"))?;
    assert!(
        chain.changes.entries as usize > report.facilities + report.cases + report.persons + report.records()
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_generated_value_stops_the_load_naming_case_and_field() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let kdf = KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 };
    let store = Instance::at(tmp.path().join("data")).init("a test passphrase", kdf).await?;
    let result = async {
        let accounts = Accounts::demo(&store, "a demo password 2026").await?;
        let mut generator = Generator::new(DEMO_SEED);
        let facilities = generator.facilities(ozodi_seed::DEMO_FACILITIES);
        let cases: Vec<Case> = generator.cases(&facilities, 3).collect();

        // A code the vocabulary lacks: refused by the store.
        let mut bad_code = cases.clone();
        let act = bad_code[1].events[0].acts.first_mut().ok_or("no act")?;
        act.act_type = "77777777";
        let err = load(&store, &facilities, bad_code.into_iter(), &accounts, |_| {}).await.err();
        let message = format!("{:#}", err.ok_or("the unknown code was accepted")?);
        assert!(message.contains("generated case 1") && message.contains("`act_type`"), "{message}");

        // A title longer than the form allows: refused by the schema, before the store.
        let mut long = cases;
        long[2].events[0].title = "а".repeat(201);
        let err = load(&store, &facilities, long.into_iter(), &accounts, |_| {}).await.err();
        let message = format!("{:#}", err.ok_or("the long title was accepted")?);
        assert!(message.contains("generated case 2") && message.contains("`title`"), "{message}");
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    store.close().await;
    result
}

/// Every filter worth trying on `cases`: none, each value of each dimension the data has, a few
/// years, both age groups, and some combinations.
fn filters(cases: &[Case], facilities: &[ozodi_seed::Facility]) -> Vec<Filter> {
    use std::collections::BTreeSet;
    let mut out = vec![Filter::default()];
    let mut regions = BTreeSet::new();
    let mut hotlines = BTreeSet::new();
    let mut agencies = BTreeSet::new();
    for case in cases {
        hotlines.extend(case.hotline);
        for event in &case.events {
            regions.insert(event.region);
            agencies.extend(event.acts.iter().flat_map(|a| a.involvements.iter().map(|i| i.agency)));
        }
    }
    let types: BTreeSet<&str> = facilities.iter().map(|f| f.facility_type).collect();
    let one = |set: &BTreeSet<&str>| set.iter().map(|v| Some((*v).to_owned())).collect::<Vec<_>>();
    out.extend(one(&regions).into_iter().map(|region| Filter { region, ..Filter::default() }));
    out.extend(one(&hotlines).into_iter().map(|hotline| Filter { hotline, ..Filter::default() }));
    out.extend(one(&agencies).into_iter().map(|agency| Filter { agency, ..Filter::default() }));
    out.extend(one(&types).into_iter().map(|facility_type| Filter { facility_type, ..Filter::default() }));
    for sex in ["01", "02", "99"] {
        out.push(Filter { sex: Some(sex.into()), ..Filter::default() });
    }
    for age in [AgeGroup::Minor, AgeGroup::Adult] {
        out.push(Filter { age: Some(age), ..Filter::default() });
    }
    for year in [2012, 2018, 2021, 2024, 2026] {
        let day = |m, d| time::Date::from_calendar_date(year, m, d).ok();
        out.push(Filter {
            from: day(time::Month::January, 1),
            to: day(time::Month::December, 31),
            ..Filter::default()
        });
    }
    out.push(Filter {
        from: time::Date::from_calendar_date(2020, time::Month::July, 15).ok(),
        ..Filter::default()
    });
    out.push(Filter {
        region: regions.first().map(|r| (*r).to_owned()),
        sex: Some("02".into()),
        age: Some(AgeGroup::Adult),
        ..Filter::default()
    });
    out.push(Filter {
        agency: agencies.first().map(|a| (*a).to_owned()),
        facility_type: types.first().map(|t| (*t).to_owned()),
        to: time::Date::from_calendar_date(2023, time::Month::December, 31).ok(),
        ..Filter::default()
    });
    out
}

#[tokio::test]
async fn every_computed_statistic_equals_the_generators_truth() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let kdf = KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 };
    let store = Instance::at(tmp.path().join("data")).init("a test passphrase", kdf).await?;
    let result = async {
        let accounts = Accounts::demo(&store, "a demo password 2026").await?;
        let mut generator = Generator::new(DEMO_SEED);
        let facilities = generator.facilities(ozodi_seed::DEMO_FACILITIES);
        let cases: Vec<Case> = generator.cases(&facilities, 120).collect();
        load(&store, &facilities, cases.clone().into_iter(), &accounts, |_| {}).await?;
        let registry = generator.registry(cases.len(), &facilities);
        let stored = ozodi::seeding::load_registry(&store, &registry, &facilities, &accounts).await?;
        assert_eq!(
            (stored.trainings, stored.publications, stored.meetings),
            (registry.trainings.len(), registry.publications.len(), registry.meetings.len())
        );

        // The generated world has something to count for every indicator.
        for indicator in Indicator::ALL.iter().copied() {
            let truth = ozodi_seed::truth(indicator, &cases, &facilities, &registry, &Filter::default());
            assert!(truth.value > 0, "{indicator:?}: {truth:?}");
        }
        let (mut compared, mut nonzero) = (0, 0);
        for filter in filters(&cases, &facilities) {
            for indicator in Indicator::ALL.iter().copied() {
                let want = ozodi_seed::truth(indicator, &cases, &facilities, &registry, &filter);
                let got = store.statistic(indicator, &filter).await?;
                let context = format!("{indicator:?} with {filter:?}");
                assert_eq!(got.value, want.value, "{context}");
                for (key, n) in &want.parts {
                    assert_eq!(got.part(key), Some(*n), "{context}: part {key:?}");
                }
                // Breakdowns by a vocabulary term are complete: nothing counted the truth lacks.
                for part in got.parts.iter().filter(|p| p.list.is_some()) {
                    let n = got.part(&part.key).unwrap_or(0);
                    assert_eq!(want.parts.get(&part.key).copied().unwrap_or(0), n, "{context}: {part:?}");
                }
                compared += 1;
                nonzero += usize::from(want.value > 0);
            }
        }
        assert!(compared > 500, "{compared} figures compared");
        assert!(nonzero > 100, "the filters leave something to count: {nonzero} non-zero figures");
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    store.close().await;
    result
}
