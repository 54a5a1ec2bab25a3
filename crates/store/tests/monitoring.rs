//! Monitoring and the UN follow-up in the store: a visit follows its course inside the write
//! transaction and its history cannot be rewritten by SQL; an allegation is passed on as an
//! intake contact only with the person's authorisation, and nothing of what was said is kept
//! otherwise; assessments keep every viewpoint over time and check what they cite; an import of
//! the UN's index is safe to run twice and never touches the coalition's own fields or
//! assessments.

use ozodi_domain::audit::AuditKind;
use ozodi_domain::monitoring::{Assessor, EvidenceLink, ImportOutcome, SkipReason, StepError};
use ozodi_domain::record::{Data, Input, Kind, RecordId, Value};
use ozodi_domain::{DisplayName, Role, UserId, Username};
use ozodi_store::monitoring::{NewAssessment, NewTeamMember};
use ozodi_store::{NewAuditEntry, NewUser, OpenMode, SqliteStore, Store, StoreError};
use ozodi_vault::{DataKey, KdfParams, KeyFile, SubKeyPurpose};
use sqlx::ConnectOptions;
use time::OffsetDateTime;
use time::macros::{date, datetime};

type TestResult = Result<(), Box<dyn std::error::Error>>;

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

fn data(kind: Kind, fields: &[(&'static str, &str)]) -> Result<Data, String> {
    let form = Form(fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect());
    Data::parse(kind, &form).map_err(|e| format!("{e:?}"))
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    key: DataKey,
    store: SqliteStore,
    monitor: UserId,
    facility: RecordId,
}

async fn fixture() -> Result<Fixture, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ozodi.db");
    let key: DataKey =
        KeyFile::create("test passphrase 123", KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 })?.1;
    let store = SqliteStore::open(&path, &key, OpenMode::Create).await?;
    let lists: Vec<_> = ozodi_domain::vocab::shipped().into_iter().collect::<Result<_, _>>()?;
    store.sync_vocabularies(&lists).await?;
    let monitor = store
        .create_user(
            NewUser {
                username: Username::parse("monitor")?,
                display_name: DisplayName::parse("Test monitor")?,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
                roles: [Role::Monitor].into_iter().collect(),
                must_change_password: false,
            },
            entry(AuditKind::UserCreated),
        )
        .await?;
    let facility = store
        .create_record(
            Kind::Facility,
            None,
            &data(
                Kind::Facility,
                &[("name", "СИЗО № 1"), ("facility_type", "TJ.FAC.SIZO"), ("region", "SUG")],
            )?,
            monitor,
            T0,
            entry(AuditKind::RecordCreated),
        )
        .await?
        .id;
    Ok(Fixture { _dir: dir, path, key, store, monitor, facility })
}

async fn raw(fx: &Fixture) -> Result<sqlx::SqliteConnection, Box<dyn std::error::Error>> {
    let hex = fx.key.derive(SubKeyPurpose::Database).to_hex();
    Ok(sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&fx.path)
        .pragma("key", format!("\"x'{}'\"", hex.as_str()))
        .connect()
        .await?)
}

async fn visit(fx: &Fixture, notice: &str) -> Result<RecordId, Box<dyn std::error::Error>> {
    let facility = fx.facility.to_string();
    let fields = data(
        Kind::Visit,
        &[
            ("facility", &facility),
            ("initial_date.y", "2026"),
            ("initial_date.m", "11"),
            ("initial_date.d", "20"),
            ("visit_type", "FULL"),
            ("notice", notice),
            ("mandate", "OMBUDSMAN_GROUP"),
        ],
    )?;
    Ok(fx
        .store
        .create_record(Kind::Visit, None, &fields, fx.monitor, T0, entry(AuditKind::RecordCreated))
        .await?
        .id)
}

#[tokio::test]
async fn a_visit_follows_its_course_and_its_history_cannot_be_rewritten() -> TestResult {
    let fx = fixture().await?;
    let store = &fx.store;
    let id = visit(&fx, "ANNOUNCED").await?;
    let step = |seq: i64, to: &'static str, note: &'static str| async move {
        store
            .visit_step(
                id,
                seq,
                (to, date!(2026 - 11 - 20), note),
                fx.monitor,
                T0,
                entry(AuditKind::VisitStep),
            )
            .await
    };
    assert_eq!(store.visit_detail(id).await?.state(), "PLANNED");
    // An announced visit asks for access first.
    match step(1, "CONDUCTED", "").await {
        Err(StoreError::VisitStep(StepError::NotAllowed { from: "PLANNED", allowed })) => {
            assert_eq!(allowed, vec!["ACCESS_REQUESTED"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(step(1, "ACCESS_REQUESTED", "").await?, "ACCESS_REQUESTED");
    // A form that still shows the first step is stale.
    assert!(matches!(step(1, "ACCESS_GRANTED", "").await, Err(StoreError::Conflict)));
    // A denial needs a note.
    assert!(matches!(step(2, "ACCESS_DENIED", " ").await, Err(StoreError::VisitStep(StepError::NoNote))));
    assert_eq!(step(2, "ACCESS_DENIED", "Начальник не допустил").await?, "ACCESS_DENIED");
    assert!(matches!(
        step(3, "CONDUCTED", "").await,
        Err(StoreError::VisitStep(StepError::NotAllowed { allowed, .. })) if allowed.is_empty()
    ));
    let detail = store.visit_detail(id).await?;
    assert_eq!(
        detail.steps.iter().map(|s| s.state.as_str()).collect::<Vec<_>>(),
        ["PLANNED", "ACCESS_REQUESTED", "ACCESS_DENIED"]
    );
    assert_eq!(store.visit_states().await?.get(&id).map(String::as_str), Some("ACCESS_DENIED"));

    // An unannounced visit goes from planning to the gate.
    let unannounced = visit(&fx, "UNANNOUNCED").await?;
    store
        .visit_step(
            unannounced,
            1,
            ("CONDUCTED", date!(2026 - 11 - 20), ""),
            fx.monitor,
            T0,
            entry(AuditKind::VisitStep),
        )
        .await?;

    // The course cannot be rewritten or erased around the store.
    let mut conn = raw(&fx).await?;
    for sql in ["UPDATE visit_steps SET state = 'CLOSED'", "DELETE FROM visit_steps"] {
        assert!(sqlx::query(sql).execute(&mut conn).await.is_err(), "{sql} must be refused");
    }
    // A tombstoned visit takes no step.
    store
        .set_record_deleted(
            unannounced,
            Some("entered twice"),
            fx.monitor,
            T0,
            entry(AuditKind::RecordDeleted),
        )
        .await?;
    assert!(matches!(
        store
            .visit_step(
                unannounced,
                2,
                ("DEBRIEFED", date!(2026 - 11 - 20), ""),
                fx.monitor,
                T0,
                entry(AuditKind::VisitStep)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

#[tokio::test]
async fn an_allegation_becomes_a_contact_only_with_the_persons_authorisation() -> TestResult {
    let fx = fixture().await?;
    let store = &fx.store;
    let id = visit(&fx, "ANNOUNCED").await?;
    // Counted only: no contact, no text anywhere.
    assert!(
        store
            .record_allegation(id, None, fx.monitor, T0, entry(AuditKind::AllegationRecorded))
            .await?
            .is_none()
    );
    let contact = ozodi_store::intake::NewContact {
        line: Some(ozodi_domain::intake::LineCode::parse("SUG").ok_or("line")?),
        channel: ozodi_domain::intake::Channel::Call,
        received_at: T0,
        caller_role: ozodi_domain::intake::CallerRole::Victim,
        region: None,
        summary: "Избиение при допросе в ИВС".into(),
        in_custody: true,
        at_risk: false,
        consent_record: true,
        consent_act: true,
        follow_up: true,
    };
    let created = store
        .record_allegation(id, Some(&contact), fx.monitor, T0, entry(AuditKind::AllegationRecorded))
        .await?
        .ok_or("no contact")?;
    // Whatever the form said, the contact came from a visit, on no line, in the facility's region.
    assert_eq!(created.fields.channel, ozodi_domain::intake::Channel::Visit);
    assert_eq!(created.fields.line, None);
    assert_eq!(created.fields.region.as_deref(), Some("SUG"));
    let detail = store.visit_detail(id).await?;
    assert_eq!(detail.allegations.len(), 2);
    assert_eq!(detail.allegations[0].contact, None);
    assert_eq!(detail.allegations[1].contact.map(|(c, _)| c), Some(created.id));
    assert_eq!(store.allegation_counts().await?.get(&id), Some(&(2, 1)));
    let mut conn = raw(&fx).await?;
    assert!(sqlx::query("UPDATE visit_allegations SET authorised = 1").execute(&mut conn).await.is_err());
    assert!(sqlx::query("INSERT INTO visit_allegations (visit_id, seq, authorised, contact_id, by_user, at) \
                         SELECT visit_id, 9, 0, (SELECT id FROM contacts LIMIT 1), by_user, at FROM visit_allegations LIMIT 1")
        .execute(&mut conn)
        .await
        .is_err(), "a contact without authorisation must be refused by the table itself");

    // A team: staff by account once, others by organisation only.
    let member = |user: Option<UserId>, org: &str| NewTeamMember {
        user,
        organisation: org.into(),
        role: "LEAD".into(),
        sex: "99".into(),
    };
    store
        .add_visit_member(
            id,
            &member(Some(fx.monitor), ""),
            fx.monitor,
            T0,
            entry(AuditKind::VisitTeamChanged),
        )
        .await?;
    assert!(matches!(
        store
            .add_visit_member(
                id,
                &member(Some(fx.monitor), ""),
                fx.monitor,
                T0,
                entry(AuditKind::VisitTeamChanged)
            )
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store
            .add_visit_member(id, &member(None, " "), fx.monitor, T0, entry(AuditKind::VisitTeamChanged))
            .await,
        Err(StoreError::Invalid("organisation"))
    ));
    let seq = store
        .add_visit_member(
            id,
            &member(None, "Аппарат Уполномоченного"),
            fx.monitor,
            T0,
            entry(AuditKind::VisitTeamChanged),
        )
        .await?;
    store.remove_visit_member(id, seq, fx.monitor, T0, entry(AuditKind::VisitTeamChanged)).await?;
    assert!(matches!(
        store.remove_visit_member(id, seq, fx.monitor, T0, entry(AuditKind::VisitTeamChanged)).await,
        Err(StoreError::NotFound)
    ));
    let team = store.visit_detail(id).await?.team;
    assert_eq!(team.iter().filter(|m| !m.removed).count(), 1);
    assert!(sqlx::query("DELETE FROM visit_team").execute(&mut conn).await.is_err());
    Ok(())
}

#[tokio::test]
async fn assessments_keep_every_viewpoint_over_time_and_check_what_they_cite() -> TestResult {
    let fx = fixture().await?;
    let store = &fx.store;
    let id = visit(&fx, "ANNOUNCED").await?;
    let visit_id = id.to_string();
    let finding = store
        .create_record(
            Kind::VisitFinding,
            None,
            &data(
                Kind::VisitFinding,
                &[
                    ("visit", &visit_id),
                    ("area", "COND"),
                    ("severity", "CONCERN"),
                    ("description", "Переполнено"),
                ],
            )?,
            fx.monitor,
            T0,
            entry(AuditKind::RecordCreated),
        )
        .await?;
    let rec = store
        .create_record(
            Kind::VisitRecommendation,
            None,
            &data(
                Kind::VisitRecommendation,
                &[
                    ("visit", &visit_id),
                    ("finding", &finding.id.to_string()),
                    ("recommendation_text", "Снизить наполняемость"),
                    ("responsible_body", "MoJ-PEN"),
                ],
            )?,
            fx.monitor,
            T0,
            entry(AuditKind::RecordCreated),
        )
        .await?;
    // A finding of another visit cannot be answered here.
    let other = visit(&fx, "ANNOUNCED").await?.to_string();
    assert!(matches!(
        store
            .create_record(
                Kind::VisitRecommendation,
                None,
                &data(
                    Kind::VisitRecommendation,
                    &[
                        ("visit", &other),
                        ("finding", &finding.id.to_string()),
                        ("recommendation_text", "x"),
                        ("responsible_body", "PGO")
                    ],
                )?,
                fx.monitor,
                T0,
                entry(AuditKind::RecordCreated),
            )
            .await,
        Err(StoreError::Invalid("finding"))
    ));
    let assessment = |assessor, as_of, status: &str, links: Vec<EvidenceLink>| NewAssessment {
        assessor,
        as_of,
        status: status.into(),
        official_grade: String::new(),
        source_doc: String::new(),
        evidence: "основание".into(),
        links,
    };
    let add = |a: NewAssessment| async move {
        store.add_assessment(rec.id, &a, fx.monitor, T0, entry(AuditKind::AssessmentAdded)).await
    };
    add(assessment(Assessor::State, date!(2026 - 10 - 01), "FULL", Vec::new())).await?;
    add(assessment(
        Assessor::Coalition,
        date!(2026 - 10 - 05),
        "NOT_STARTED",
        vec![EvidenceLink::Record("MV-0001".into())],
    ))
    .await?;
    add(assessment(
        Assessor::Coalition,
        date!(2026 - 11 - 05),
        "PARTIAL",
        vec![EvidenceLink::Publication("Отчёт, с. 4".into())],
    ))
    .await?;
    // An earlier day recorded later does not become the latest.
    add(assessment(Assessor::Coalition, date!(2026 - 09 - 01), "CONTRARY", Vec::new())).await?;
    // What it cites must exist; a status must be a term.
    assert!(matches!(
        add(assessment(
            Assessor::Coalition,
            date!(2026 - 11 - 06),
            "PARTIAL",
            vec![EvidenceLink::Case("TJ-2026-9999".into())]
        ))
        .await,
        Err(StoreError::Invalid("links"))
    ));
    assert!(matches!(
        add(assessment(
            Assessor::Coalition,
            date!(2026 - 11 - 06),
            "PARTIAL",
            vec![EvidenceLink::Record("MV-0099".into())]
        ))
        .await,
        Err(StoreError::Invalid("links"))
    ));
    assert!(matches!(
        add(assessment(Assessor::Coalition, date!(2026 - 11 - 06), "DONE", Vec::new())).await,
        Err(StoreError::Invalid("status"))
    ));
    let all = store.assessments(rec.id).await?;
    assert_eq!(all.len(), 4);
    assert_eq!(
        all.iter().find(|a| a.links.iter().any(|l| l.target.is_some())).map(|a| a.status.as_str()),
        Some("NOT_STARTED")
    );
    let latest = store.latest_assessments(Kind::VisitRecommendation).await?;
    let view = |a: Assessor| latest.iter().find(|l| l.assessor == a).map(|l| l.status.clone());
    assert_eq!(view(Assessor::Coalition).as_deref(), Some("PARTIAL"));
    assert_eq!(view(Assessor::State).as_deref(), Some("FULL"));
    assert_eq!(view(Assessor::Committee), None);
    // Only recommendations are assessed.
    assert!(matches!(
        store
            .add_assessment(
                id,
                &assessment(Assessor::Coalition, date!(2026 - 11 - 01), "FULL", Vec::new()),
                fx.monitor,
                T0,
                entry(AuditKind::AssessmentAdded)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let mut conn = raw(&fx).await?;
    for sql in ["UPDATE assessments SET status = 'FULL'", "DELETE FROM assessments"] {
        assert!(sqlx::query(sql).execute(&mut conn).await.is_err(), "{sql} must be refused");
    }
    Ok(())
}

#[tokio::test]
async fn the_un_index_imports_twice_without_touching_the_coalitions_work() -> TestResult {
    let fx = fixture().await?;
    let store = &fx.store;
    // The shipped set first, as a new instance gets it.
    let (documents, items) = ozodi_exchange::shipped::read()?;
    let lines = store
        .import_recommendations(&documents, &items, fx.monitor, T0, entry(AuditKind::RecommendationsImported))
        .await?;
    assert_eq!(lines.iter().filter(|l| l.outcome == ImportOutcome::Added).count(), 9, "{lines:#?}");
    let again = store
        .import_recommendations(&documents, &items, fx.monitor, T0, entry(AuditKind::RecommendationsImported))
        .await?;
    assert!(again.iter().all(|l| l.outcome == ImportOutcome::Skipped(SkipReason::Unchanged)), "{again:#?}");
    let docs = store.registry(Kind::UnDocument).await?;
    assert_eq!(docs.len(), documents.len(), "documents are not added twice");
    let recs = store.registry(Kind::UnRecommendation).await?;
    let para10 =
        recs.iter().find(|r| r.data.text("external_id") == Some("CAT-CO3-10")).ok_or("para 10")?.clone();
    assert!(para10.data.get("verified").is_none(), "unverified items stay unverified");
    assert_eq!(para10.data.codes("themes"), ["INVEST"]);
    assert!(para10.data.text("document").is_some(), "linked to CAT/C/TJK/CO/3");
    // Our assessment of it, before the official text arrives.
    let ours = NewAssessment {
        assessor: Assessor::Coalition,
        as_of: date!(2026 - 11 - 01),
        status: "INITIAL".into(),
        official_grade: String::new(),
        source_doc: String::new(),
        evidence: "наша оценка".into(),
        links: Vec::new(),
    };
    store.add_assessment(para10.id, &ours, fx.monitor, T0, entry(AuditKind::AssessmentAdded)).await?;

    // Then the index's export, twice.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/uhri-tajikistan.json"))?;
    let uhri = ozodi_exchange::uhri::read(&bytes)?;
    let first = store
        .import_recommendations(&[], &uhri, fx.monitor, T0, entry(AuditKind::RecommendationsImported))
        .await?;
    let outcome = |lines: &[ozodi_domain::monitoring::ImportLine], position: usize| {
        lines.iter().find(|l| l.position == position).map(|l| l.outcome.clone())
    };
    // Para 10 was there: its official fields arrive, found by symbol and paragraph.
    match outcome(&first, 1) {
        Some(ImportOutcome::Updated(fields)) => {
            for f in ["text_en", "uhri_themes", "affected_persons", "external_id", "document_date"] {
                assert!(fields.contains(&f), "{f} in {fields:?}");
            }
        }
        other => panic!("{other:?}"),
    }
    let left_out = &first.iter().find(|l| l.position == 1).ok_or("line 1")?.left_out;
    assert_eq!(
        left_out,
        &["uhri_themes: Coffee and tea".to_owned()],
        "an unknown theme is reported, not invented"
    );
    assert_eq!(outcome(&first, 2), Some(ImportOutcome::Added));
    // The UPR item stored without a symbol is found by mechanism and paragraph.
    assert!(matches!(outcome(&first, 3), Some(ImportOutcome::Updated(_))), "{first:#?}");
    assert!(matches!(outcome(&first, 4), Some(ImportOutcome::Skipped(SkipReason::OtherCountry(_)))));
    assert_eq!(outcome(&first, 5), Some(ImportOutcome::Skipped(SkipReason::NoParagraph)));
    assert_eq!(outcome(&first, 6), Some(ImportOutcome::Skipped(SkipReason::Repeated)));
    assert!(matches!(outcome(&first, 7), Some(ImportOutcome::Skipped(SkipReason::UnknownMechanism(_)))));
    let second = store
        .import_recommendations(&[], &uhri, fx.monitor, T0, entry(AuditKind::RecommendationsImported))
        .await?;
    for position in [1, 2, 3] {
        assert_eq!(
            outcome(&second, position),
            Some(ImportOutcome::Skipped(SkipReason::Unchanged)),
            "row {position}"
        );
    }
    // Nothing of ours changed: summaries, themes, the unverified mark, the assessment.
    let after = store.record(para10.id).await?.ok_or("gone")?;
    for field in ["summary_en", "summary_ru", "source_note", "document"] {
        assert_eq!(after.data.get(field), para10.data.get(field), "{field}");
    }
    assert_eq!(after.data.codes("themes"), ["INVEST"]);
    assert!(after.data.get("verified").is_none());
    assert!(matches!(after.data.get("text_en"), Some(Value::Text(t)) if t.contains("fixture wording")));
    let assessments = store.assessments(para10.id).await?;
    assert_eq!(assessments.len(), 1);
    assert_eq!(assessments[0].status, "INITIAL");
    assert_eq!(store.registry(Kind::UnRecommendation).await?.len(), 10, "one added, none doubled");

    // A recommendation the coalition removed stays removed.
    let added = store
        .registry(Kind::UnRecommendation)
        .await?
        .into_iter()
        .find(|r| r.data.text("external_id") == Some("uhri-0002"))
        .ok_or("added")?;
    store
        .set_record_deleted(added.id, Some("duplicate"), fx.monitor, T0, entry(AuditKind::RecordDeleted))
        .await?;
    let third = store
        .import_recommendations(&[], &uhri, fx.monitor, T0, entry(AuditKind::RecommendationsImported))
        .await?;
    assert_eq!(outcome(&third, 2), Some(ImportOutcome::Skipped(SkipReason::Removed)));
    Ok(())
}
