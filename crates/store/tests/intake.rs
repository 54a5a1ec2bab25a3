//! Intake in the store: the seeded lines, who an urgent contact's alert reaches, escalation once
//! and only after the cutoff, triage that opens a case in the same transaction, and caller
//! details that never reach the file in clear.

use ozodi_domain::audit::AuditKind;
use ozodi_domain::intake::{CallerDetails, CallerRole, Channel, ContactStatus, LineCode, NotificationKind};
use ozodi_domain::{DisplayName, Role, UserId, Username};
use ozodi_store::intake::{NewContact, Triage};
use ozodi_store::{CaseFields, NewAuditEntry, NewUser, OpenMode, SqliteStore, Store, StoreError};
use ozodi_vault::{DataKey, KdfParams, KeyFile};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const T0: OffsetDateTime = datetime!(2026-11-30 08:00 UTC);

fn entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry { at: T0, actor: None, kind, subject: None, detail: serde_json::json!({}), client: None }
}

async fn user(store: &SqliteStore, name: &str, role: Role) -> Result<UserId, Box<dyn std::error::Error>> {
    Ok(store
        .create_user(
            NewUser {
                username: Username::parse(name)?,
                display_name: DisplayName::parse(name)?,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
                roles: [role].into_iter().collect(),
                must_change_password: false,
            },
            entry(AuditKind::UserCreated),
        )
        .await?)
}

fn contact(line: Option<&str>, region: Option<&str>, urgent: bool) -> NewContact {
    NewContact {
        line: line.and_then(LineCode::parse),
        channel: Channel::Call,
        received_at: T0,
        caller_role: CallerRole::Relative,
        region: region.map(str::to_owned),
        summary: "Брата задержали вчера вечером, держат в отделе.".into(),
        in_custody: urgent,
        at_risk: false,
        consent_record: true,
        consent_act: true,
        follow_up: true,
    }
}

async fn open() -> Result<(tempfile::TempDir, SqliteStore), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let key: DataKey =
        KeyFile::create("test passphrase 123", KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 })?.1;
    let store = SqliteStore::open(&dir.path().join("ozodi.db"), &key, OpenMode::Create).await?;
    Ok((dir, store))
}

#[tokio::test]
async fn the_published_lines_are_seeded() -> TestResult {
    let (_dir, store) = open().await?;
    let snapshot = store.intake_snapshot().await?;
    let numbers: Vec<(&str, Vec<String>)> =
        snapshot.lines.iter().map(|l| (l.code.as_str(), l.numbers.clone())).collect();
    assert_eq!(
        numbers,
        vec![
            ("SUG", vec!["987873333".to_owned()]),
            ("KHT", vec!["987876666".to_owned()]),
            ("DUS", vec!["987087676".to_owned()]),
            ("ARMY", vec!["(+992) 933 331 703".to_owned(), "(+992) 922 221 803".to_owned()]),
        ]
    );
    assert_eq!(snapshot.line_for_region("DRS").map(|l| l.code.as_str()), Some("DUS"));
    store.close().await;
    Ok(())
}

#[tokio::test]
async fn an_urgent_contact_alerts_the_region_and_escalates_once_to_the_coordinators() -> TestResult {
    let (dir, store) = open().await?;
    let coordinator = user(&store, "coordinator", Role::Coordinator).await?;
    let sughd_lawyer = user(&store, "sughd-lawyer", Role::Lawyer).await?;
    let khatlon_lawyer = user(&store, "khatlon-lawyer", Role::Lawyer).await?;
    let operator = user(&store, "operator", Role::Operator).await?;
    let sug = LineCode::parse("SUG").ok_or("code")?;
    let kht = LineCode::parse("KHT").ok_or("code")?;
    for (line, who) in [(&sug, sughd_lawyer), (&kht, khatlon_lawyer), (&sug, operator)] {
        store.set_line_staff(line, who, true, coordinator, T0, entry(AuditKind::LineChanged)).await?;
    }

    let marker = "Маркер-Шаҳло-Ғоибова-5c1e";
    let details = CallerDetails { name: marker.into(), contacts: "+992 900 00 00 01".into() };
    // Names without the consent to record them are refused by the store too.
    let mut no_consent = contact(Some("SUG"), Some("SUG"), true);
    no_consent.consent_record = false;
    let refused = store
        .create_contact(&no_consent, &details, Some(operator), T0, None, entry(AuditKind::ContactCreated))
        .await;
    assert!(matches!(refused, Err(StoreError::Invalid("details"))), "{refused:?}");

    let c = store
        .create_contact(
            &contact(Some("SUG"), Some("SUG"), true),
            &details,
            Some(operator),
            T0,
            None,
            entry(AuditKind::ContactCreated),
        )
        .await?;
    assert!(c.has_details);
    let alerted = |n: &[ozodi_store::intake::Notification], kind| {
        n.iter().filter(|n| n.kind == kind && n.contact == Some(c.id)).count()
    };
    for (who, expected) in [(coordinator, 1), (sughd_lawyer, 1), (khatlon_lawyer, 0), (operator, 0)] {
        let (list, _) = store.notifications(who, 50).await?;
        assert_eq!(alerted(&list, NotificationKind::Alert), expected, "alert notifications of {who}");
    }
    assert_eq!(store.intake_snapshot().await?.open_alerts.len(), 1);

    // Not yet due: nothing escalates.
    let audit = entry(AuditKind::AlertEscalated);
    assert_eq!(
        store.run_intake_clock(T0 - Duration::seconds(1), T0 + Duration::minutes(119), audit.clone()).await?,
        0
    );
    // Due: escalates once, however often the clock runs.
    let later = T0 + Duration::hours(2);
    assert_eq!(store.run_intake_clock(T0, later, audit.clone()).await?, 1);
    assert_eq!(store.run_intake_clock(T0, later + Duration::minutes(1), audit).await?, 0);
    let (list, unread) = store.notifications(coordinator, 50).await?;
    assert_eq!(alerted(&list, NotificationKind::Escalation), 1);
    assert_eq!(unread, 2);
    assert_eq!(alerted(&store.notifications(sughd_lawyer, 50).await?.0, NotificationKind::Escalation), 0);

    // Triage opens the case in the same transaction and acknowledges the alert.
    let fields = CaseFields {
        status: ozodi_domain::case::CaseStatus::IntakeScreening,
        region: Some("SUG".into()),
        hotline: Some("SUG".into()),
        title: "Задержание в Худжанде".into(),
        summary: c.fields.summary.clone(),
        lead: Some(sughd_lawyer),
    };
    let (version, case) = store
        .triage_contact(
            c.id,
            c.version,
            Triage::OpenCase(fields),
            sughd_lawyer,
            later,
            entry(AuditKind::ContactUpdated),
        )
        .await?;
    let case = case.ok_or("no case")?;
    let after = store.contact(c.id).await?.ok_or("contact gone")?;
    assert_eq!((after.status, after.case, after.version), (ContactStatus::CaseOpened, Some(case), version));
    assert!(store.case_team(case).await?.iter().any(|m| m.user == sughd_lawyer));
    let alert = store.alert_of(c.id).await?.ok_or("no alert")?;
    assert_eq!(alert.acknowledged.map(|(_, by)| by), Some(sughd_lawyer));
    assert!(store.intake_snapshot().await?.open_alerts.is_empty());
    // A second triage from the same version is refused: nothing is decided twice.
    let again = store
        .triage_contact(
            c.id,
            c.version,
            Triage::Link(case),
            coordinator,
            later,
            entry(AuditKind::ContactUpdated),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");

    store.close().await;
    for file in std::fs::read_dir(dir.path())? {
        let path = file?.path();
        if path.is_file() {
            let bytes = std::fs::read(&path)?;
            assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_bytes()), "caller name in {path:?}");
        }
    }
    Ok(())
}
