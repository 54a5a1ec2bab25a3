//! The statistics of DOMAIN.md section 6 against a small world whose true figures are known by
//! construction: the counting rules (what is torture or ill-treatment, what is documented, a death,
//! a victim counted once, a tombstoned case left out) and every filter, including those that must
//! not narrow a figure they do not apply to.

use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::{CaseId, CaseStatus};
use ozodi_domain::person::{Identity, Sex};
use ozodi_domain::record::{Data, Input, Kind, RecordId};
use ozodi_domain::stats::{AgeGroup, Filter, Indicator};
use ozodi_domain::{DisplayName, Role, UserId, Username};
use ozodi_store::{CaseFields, NewAuditEntry, NewUser, OpenMode, PersonFields, SqliteStore, Store};
use ozodi_vault::{KdfParams, KeyFile};
use time::OffsetDateTime;
use time::macros::{date, datetime};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const T0: OffsetDateTime = datetime!(2026-11-30 08:00 UTC);

fn entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry { at: T0, actor: None, kind, subject: None, detail: serde_json::json!({}), client: None }
}

struct Form(Vec<(&'static str, String)>);

impl Input for Form {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str()).collect()
    }
}

fn data(kind: Kind, fields: &[(&'static str, &str)]) -> Res<Data> {
    let form = Form(fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect());
    Ok(Data::parse(kind, &form).map_err(|e| format!("{kind:?}: {e:?}"))?)
}

struct World {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    user: UserId,
}

impl World {
    async fn record(
        &self,
        kind: Kind,
        case: Option<CaseId>,
        fields: &[(&'static str, &str)],
    ) -> Res<RecordId> {
        let d = data(kind, fields)?;
        Ok(self.store.create_record(kind, case, &d, self.user, T0, entry(AuditKind::RecordCreated)).await?.id)
    }

    async fn case(&self, region: &str) -> Res<CaseId> {
        let fields = CaseFields {
            status: CaseStatus::Open,
            region: Some(region.into()),
            hotline: Some(region.into()),
            title: "t".into(),
            summary: String::new(),
            lead: None,
        };
        Ok(self.store.create_case(&fields, self.user, T0, entry(AuditKind::CaseCreated)).await?.id)
    }

    async fn person(&self, case: CaseId, unit: &str, sex: Sex) -> Res<String> {
        let fields = PersonFields { counting_unit: unit.into(), sex: Some(sex), birth_year: None };
        let identity = Identity { name: "Синтетическое Лицо".into(), ..Identity::default() };
        let p = self
            .store
            .create_person(case, &fields, &identity, self.user, T0, entry(AuditKind::CaseUpdated))
            .await?;
        Ok(p.id.to_string())
    }

    async fn figure(&self, indicator: Indicator, filter: &Filter) -> Res<ozodi_store::stats::Figure> {
        Ok(self.store.statistic(indicator, filter).await?)
    }
}

async fn world() -> Res<World> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let key = KeyFile::create("test passphrase 123", KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 })?.1;
    let store = SqliteStore::open(&path, &key, OpenMode::Create).await?;
    let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
    store.sync_vocabularies(&lists).await?;
    let user = store
        .create_user(
            NewUser {
                username: Username::parse("coordinator")?,
                display_name: DisplayName::parse("Test coordinator")?,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
                roles: [Role::Coordinator].into_iter().collect(),
                must_change_password: false,
            },
            entry(AuditKind::UserCreated),
        )
        .await?;
    Ok(World { _dir: dir, store, user })
}

#[tokio::test]
async fn every_indicator_counts_by_its_rule_and_every_filter_narrows_only_what_it_applies_to() -> Res<()> {
    let w = world().await?;
    let sizo = w
        .record(
            Kind::Facility,
            None,
            &[("name", "СИЗО"), ("facility_type", "TJ.FAC.SIZO"), ("region", "SUG")],
        )
        .await?;
    let sizo = sizo.to_string();

    // Case A (Sughd): a confirmed event with torture of a girl of 17 at the SIZO by the police, and
    // ill-treatment of a man; an unlikely event (torture again, not documented, a reprisal
    // against a lawyer); a likely killing of a group in 2026 at the SIZO.
    let a = w.case("SUG").await?;
    let v1 = w.person(a, "01", Sex::Female).await?;
    let v2 = w.person(a, "01", Sex::Male).await?;
    let group = w.person(a, "03", Sex::NotApplicable).await?;
    let officer = w.person(a, "01", Sex::Male).await?;
    let e1 = w
        .record(
            Kind::Event,
            Some(a),
            &[
                ("title", "Е1"),
                ("violation_status", "0101"),
                ("region", "SUG"),
                ("initial_date.y", "2025"),
                ("initial_date.m", "3"),
                ("initial_date.d", "1"),
            ],
        )
        .await?
        .to_string();
    let torture = w
        .record(
            Kind::Act,
            Some(a),
            &[("event", &e1), ("victim", &v1), ("act_type", "02011111"), ("age", "17"), ("facility", &sizo)],
        )
        .await?
        .to_string();
    w.record(
        Kind::Act,
        Some(a),
        &[("event", &e1), ("victim", &v2), ("act_type", "TJ.ACT.ILLT"), ("age", "30")],
    )
    .await?;
    w.record(
        Kind::Involvement,
        Some(a),
        &[
            ("act", &torture),
            ("perpetrator", &officer),
            ("agency", "MoIA"),
            ("identified", "on"),
            ("latest_status", "01"),
        ],
    )
    .await?;
    let e2 = w
        .record(
            Kind::Event,
            Some(a),
            &[
                ("title", "Е2"),
                ("violation_status", "02"),
                ("reprisal_targets", "LAWYER"),
                ("initial_date.y", "2025"),
            ],
        )
        .await?
        .to_string();
    w.record(Kind::Act, Some(a), &[("event", &e2), ("victim", &v1), ("act_type", "02011111")]).await?;
    let e3 = w
        .record(
            Kind::Event,
            Some(a),
            &[
                ("title", "Е3"),
                ("violation_status", "04"),
                ("region", "KHT"),
                ("initial_date.y", "2026"),
                ("initial_date.m", "1"),
                ("initial_date.d", "10"),
            ],
        )
        .await?
        .to_string();
    w.record(
        Kind::Act,
        Some(a),
        &[("event", &e3), ("victim", &group), ("act_type", "01019001"), ("facility", &sizo)],
    )
    .await?;

    // Case B (Khatlon): a possible torture of a woman in 2026.
    let b = w.case("KHT").await?;
    let v3 = w.person(b, "01", Sex::Female).await?;
    let e4 = w
        .record(
            Kind::Event,
            Some(b),
            &[
                ("title", "Е4"),
                ("violation_status", "03"),
                ("initial_date.y", "2026"),
                ("initial_date.m", "2"),
                ("initial_date.d", "1"),
            ],
        )
        .await?
        .to_string();
    w.record(Kind::Act, Some(b), &[("event", &e4), ("victim", &v3), ("act_type", "02011111"), ("age", "40")])
        .await?;

    // Case C: documented torture, then the case is tombstoned: it counts nowhere.
    let c = w.case("SUG").await?;
    let v4 = w.person(c, "01", Sex::Female).await?;
    let e5 =
        w.record(Kind::Event, Some(c), &[("title", "Е5"), ("violation_status", "0101")]).await?.to_string();
    w.record(Kind::Act, Some(c), &[("event", &e5), ("victim", &v4), ("act_type", "02011111")]).await?;
    w.store.tombstone_case(c, "дубликат", w.user, T0, entry(AuditKind::CaseDeleted)).await?;

    let all = Filter::default();
    let documented = w.figure(Indicator::Documented, &all).await?;
    assert_eq!(documented.value, 2, "E1 and E4; E2 is unlikely, E3 is no torture, C is tombstoned");
    assert_eq!(
        (documented.part("0101"), documented.part("03"), documented.part("torture")),
        (Some(1), Some(1), Some(2))
    );
    let victims = w.figure(Indicator::Victims, &all).await?;
    assert_eq!(victims.value, 3, "V1 once although tortured twice, V2, V3");
    let deaths = w.figure(Indicator::Deaths, &all).await?;
    assert_eq!((deaths.value, deaths.part("TJ.FAC.SIZO")), (1, Some(1)));
    assert_eq!(w.figure(Indicator::Perpetrators, &all).await?.part("01"), Some(1));
    let reprisals = w.figure(Indicator::Reprisals, &all).await?;
    assert_eq!((reprisals.value, reprisals.part("LAWYER")), (1, Some(1)));

    // Every filter on the acts.
    let f = |build: fn(&mut Filter)| {
        let mut filter = Filter::default();
        build(&mut filter);
        filter
    };
    let cases = [
        (f(|f| f.region = Some("SUG".into())), 1, 2),
        (f(|f| f.region = Some("KHT".into())), 1, 1),
        (f(|f| f.hotline = Some("KHT".into())), 1, 1),
        (f(|f| f.sex = Some("02".into())), 2, 2),
        (f(|f| f.age = Some(AgeGroup::Minor)), 1, 1),
        (f(|f| f.age = Some(AgeGroup::Adult)), 2, 2),
        (f(|f| f.agency = Some("MoIA".into())), 1, 1),
        (f(|f| f.facility_type = Some("TJ.FAC.SIZO".into())), 1, 1),
        (f(|f| f.from = Some(date!(2026 - 01 - 01))), 1, 1),
        (f(|f| f.to = Some(date!(2025 - 12 - 31))), 1, 2),
    ];
    for (filter, events, people) in cases {
        assert_eq!(w.figure(Indicator::Documented, &filter).await?.value, events, "documented {filter:?}");
        assert_eq!(w.figure(Indicator::Victims, &filter).await?.value, people, "victims {filter:?}");
    }
    let in_2026 = f(|f| f.from = Some(date!(2026 - 01 - 01)));
    assert_eq!(w.figure(Indicator::Deaths, &in_2026).await?.value, 1);
    assert_eq!(w.figure(Indicator::Deaths, &f(|f| f.sex = Some("01".into()))).await?.value, 0);
    // The cases behind: only live cases.
    let behind = w.store.statistic_cases(Indicator::Documented, &all).await?;
    assert_eq!(behind.len(), 2);
    assert!(behind.contains(&a) && behind.contains(&b) && !behind.contains(&c));

    // Legal work on case A: a complaint where we represent the victim, a criminal case under
    // art. 143-1 that reached the indictment with one accused convicted, a civil claim awarded
    // 1 000 somoni of which 400 were paid.
    w.record(
        Kind::Proceeding,
        Some(a),
        &[("proceeding_kind", "COMPLAINT"), ("title", "Жалоба"), ("our_role", "VICTIM_REP")],
    )
    .await?;
    let criminal = w
        .record(
            Kind::Proceeding,
            Some(a),
            &[
                ("proceeding_kind", "CRIMINAL"),
                ("title", "Дело"),
                ("legal_qualification", "CC-143-1"),
                ("initial_date.y", "2025"),
            ],
        )
        .await?;
    let involvement = w
        .store
        .records_of_case(a)
        .await?
        .into_iter()
        .find(|r| r.kind == Kind::Involvement)
        .ok_or("involvement")?
        .id;
    w.record(
        Kind::Accused,
        Some(a),
        &[
            ("proceeding", &criminal.to_string()),
            ("involvement", &involvement.to_string()),
            ("verdict", "CONVICTION"),
        ],
    )
    .await?;
    let step = ozodi_store::legal::NewStep {
        proceeding: criminal,
        expected_seq: 1,
        to: "INDICTMENT_SENT".into(),
        decided_on: date!(2025 - 06 - 01),
        ground: None,
        note: String::new(),
        document: None,
        by: w.user,
        at: T0,
    };
    w.store.add_proceeding_step(&step, entry(AuditKind::ProceedingStep)).await?;
    let civil = w
        .record(
            Kind::Proceeding,
            Some(a),
            &[("proceeding_kind", "CIVIL"), ("title", "Иск"), ("awarded", "1 000")],
        )
        .await?;
    w.record(
        Kind::Payment,
        Some(a),
        &[("proceeding", &civil.to_string()), ("payment_date.y", "2026"), ("amount", "400")],
    )
    .await?;
    let represented = w.figure(Indicator::Represented, &all).await?;
    assert_eq!((represented.value, represented.part("COMPLAINT")), (1, Some(1)));
    let criminal_cases = w.figure(Indicator::CriminalCases, &all).await?;
    assert_eq!((criminal_cases.value, criminal_cases.part("art-143-1")), (1, Some(1)));
    let prosecuted = w.figure(Indicator::Prosecuted, &all).await?;
    assert_eq!(
        (prosecuted.value, prosecuted.part("convicted"), prosecuted.part("criminal-cases")),
        (1, Some(1), Some(1))
    );
    let compensation = w.figure(Indicator::Compensation, &all).await?;
    assert_eq!(compensation.value, 1);
    assert_eq!(
        (compensation.part("awarded"), compensation.part("paid"), compensation.part("median-awarded")),
        (Some(100_000), Some(40_000), Some(100_000))
    );
    // The legal figures follow the case's region; the sex of a victim does not narrow them.
    assert_eq!(w.figure(Indicator::Represented, &f(|f| f.region = Some("KHT".into()))).await?.value, 0);
    let by_sex = f(|f| f.sex = Some("01".into()));
    assert_eq!(w.figure(Indicator::Represented, &by_sex).await?.value, 1);
    assert_eq!(by_sex.not_applicable(Indicator::Represented), vec![ozodi_domain::stats::Dimension::Sex]);

    // Trainings: five doctors and two lawyers in Sughd in 2025.
    let training = w
        .store
        .create_training(
            &data(
                Kind::Training,
                &[
                    ("title", "ПИ"),
                    ("training_kind", "IP_HEALTH"),
                    ("initial_date.y", "2025"),
                    ("initial_date.m", "5"),
                    ("initial_date.d", "1"),
                    ("region", "SUG"),
                ],
            )?,
            w.user,
            T0,
            entry(AuditKind::RecordCreated),
        )
        .await?;
    for (profession, sex, count) in [("DOCTOR", "02", 5), ("LAWYER", "01", 2)] {
        let row = ozodi_store::training::Participants {
            profession: profession.into(),
            sex: sex.into(),
            region: "SUG".into(),
            count,
        };
        w.store.set_training_participants(training, &row, entry(AuditKind::RecordUpdated)).await?;
    }
    assert_eq!(w.figure(Indicator::HealthTrained, &all).await?.value, 5);
    assert_eq!(w.figure(Indicator::OthersTrained, &all).await?.value, 2);
    assert_eq!(w.figure(Indicator::HealthTrained, &f(|f| f.region = Some("KHT".into()))).await?.value, 0);
    assert_eq!(w.figure(Indicator::HealthTrained, &in_2026).await?.value, 0);

    // A visit made, with seven private interviews; a meeting; a publication; the UN set.
    let visit = w
        .record(
            Kind::Visit,
            None,
            &[
                ("facility", &sizo),
                ("initial_date.y", "2026"),
                ("initial_date.m", "3"),
                ("initial_date.d", "3"),
                ("visit_type", "FULL"),
                ("notice", "UNANNOUNCED"),
                ("interviews_private", "7"),
            ],
        )
        .await?;
    w.store
        .visit_step(
            visit,
            1,
            ("CONDUCTED", date!(2026 - 03 - 03), ""),
            w.user,
            T0,
            entry(AuditKind::VisitStep),
        )
        .await?;
    let visits = w.figure(Indicator::Visits, &all).await?;
    assert_eq!((visits.value, visits.part("visits")), (1, Some(1)));
    assert_eq!(w.figure(Indicator::Interviews, &all).await?.value, 7);
    assert_eq!(
        w.figure(Indicator::Visits, &f(|f| f.facility_type = Some("TJ.FAC.IVS".into()))).await?.value,
        0
    );
    w.record(
        Kind::Meeting,
        None,
        &[("initial_date.y", "2026"), ("meeting_kind", "BRIEFING"), ("counterpart", "ОБСЕ")],
    )
    .await?;
    w.record(
        Kind::Publication,
        None,
        &[("title", "Доклад"), ("publication_kind", "ANNUAL_REPORT"), ("initial_date.y", "2025")],
    )
    .await?;
    assert_eq!(w.figure(Indicator::Meetings, &all).await?.part("BRIEFING"), Some(1));
    assert_eq!(w.figure(Indicator::Published, &in_2026).await?.value, 0, "published in 2025");
    let (documents, items) = ozodi_exchange::shipped::read()?;
    w.store
        .import_recommendations(&documents, &items, w.user, T0, entry(AuditKind::RecommendationsImported))
        .await?;
    let un = w.figure(Indicator::UnTracked, &all).await?;
    assert_eq!(
        (un.value, un.part("CAT"), un.part("UPR"), un.part("not-assessed")),
        (9, Some(5), Some(4), Some(9))
    );
    Ok(())
}
