//! The identity compartment through the pages: names never appear for anyone without identity
//! access (pages, lists, history, audit browsing), and every reveal states a purpose and is audited.

mod common;

use common::{TestApp, TestResult, location};
use ozodi_domain::audit::AuditKind;
use ozodi_store::AuditFilter;
use reqwest::StatusCode;

const MARKER: &str = "Ҷонибеки Маркерзода";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_stay_behind_pseudonyms_and_reveals_are_audited_with_a_purpose() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let r = app.post(&lawyer, "/cases/new", "/cases", &[("title", "Дело"), ("summary", "")]).await;
    let page = location(&r);
    let r = app
        .post(
            &lawyer,
            &format!("{page}/persons/new"),
            &format!("{page}/persons"),
            &[("name", MARKER), ("contacts", "+992 93 123 45 67"), ("sex", "01"), ("birth_year", "1991")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Team members: the doctor without identity access, the analyst with it (granted, but analysts
    // never see names), and the coordinator off the team.
    app.post(&lawyer, &page, &format!("{page}/team"), &[("username", "doctor")]).await;
    app.post(&lawyer, &page, &format!("{page}/team"), &[("username", "analyst"), ("identity_access", "on")])
        .await;
    let admin = app.login("admin").await;
    for (who, client) in [
        ("doctor", app.login("doctor").await),
        ("analyst", app.login("analyst").await),
        ("coordinator", app.login("coordinator").await),
        ("lawyer", lawyer.clone()),
    ] {
        for path in [page.clone(), format!("{page}/history"), "/cases".into(), "/dashboard".into()] {
            let html = app.get(&client, &path).await.text().await?;
            assert!(!html.contains(MARKER) && !html.contains("123 45 67"), "{who} sees the name on {path}");
        }
        let case_page = app.get(&client, &page).await.text().await?;
        assert!(case_page.contains("P-0001"), "{who} sees the pseudonym");
        assert_eq!(
            case_page.contains("/reveal"),
            who == "lawyer",
            "only the lawyer is offered a reveal link ({who})"
        );
    }
    let audit_page = app.get(&admin, "/admin/audit").await.text().await?;
    assert!(!audit_page.contains(MARKER), "not even the audit trail shows the name");

    // The lawyer reveals, stating a purpose; without one, nothing is shown.
    let html = app.get(&lawyer, &page).await.text().await?;
    let reveal = html
        .split("href=\"")
        .find(|s| s.contains("/reveal"))
        .and_then(|s| s.split('"').next())
        .ok_or("no reveal link")?
        .to_owned();
    let r = app.post(&lawyer, &reveal, &reveal, &[("purpose", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.text().await?.contains(MARKER));
    let r = app.post(&lawyer, &reveal, &reveal, &[("purpose", "подготовка жалобы прокурору")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await?;
    assert!(html.contains(MARKER) && html.contains("+992 93 123 45 67"));
    let revealed = app
        .store()
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::IdentityRevealed),
            limit: 10,
            ..Default::default()
        })
        .await?;
    assert_eq!(revealed.len(), 1);
    assert!(
        revealed[0].detail.contains("подготовка жалобы прокурору")
            && revealed[0].actor.as_deref() == Some("lawyer")
    );

    // Others are refused the reveal with a 404, even knowing the address.
    for who in ["doctor", "analyst", "coordinator", "admin"] {
        let c = app.login(who).await;
        assert_eq!(app.get(&c, &reveal).await.status(), StatusCode::NOT_FOUND, "{who}");
        let r = app.post(&c, "/dashboard", &reveal, &[("purpose", "curiosity, no reason")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}");
        assert!(!r.text().await?.contains(MARKER));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_needs_a_name_and_a_sane_year() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let page =
        location(&app.post(&lawyer, "/cases/new", "/cases", &[("title", "Дело"), ("summary", "")]).await);
    let r = app
        .post(
            &lawyer,
            &format!("{page}/persons/new"),
            &format!("{page}/persons"),
            &[("name", ""), ("birth_year", "19x1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(html.contains("Нужно имя") && html.contains("между 1900 и 2100"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_victim_recorded_again_in_another_spelling_is_suggested_and_the_decision_recorded() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let open = |title: &'static str| {
        let app = &app;
        let lawyer = lawyer.clone();
        async move {
            let r = app
                .post(
                    &lawyer,
                    "/cases/new",
                    "/cases",
                    &[("title", title), ("summary", ""), ("region", "SUG")],
                )
                .await;
            location(&r)
        }
    };
    let first = open("Первое обращение").await;
    let r = app
        .post(
            &lawyer,
            &format!("{first}/persons/new"),
            &format!("{first}/persons"),
            &[("name", "Фарҳод Иброҳимов"), ("birth_year", "1990")],
        )
        .await;
    assert!(location(&r).ends_with("?saved=1"), "no candidates yet: back to the case");
    // The same man, in Russian spelling, in a second case: the form offers the first record.
    let second = open("Повторное обращение").await;
    let r = app
        .post(
            &lawyer,
            &format!("{second}/persons/new"),
            &format!("{second}/persons"),
            &[("name", "Фарход Ибрагимов"), ("birth_year", "1990")],
        )
        .await;
    let suggestions = location(&r);
    assert!(suggestions.ends_with("/duplicates"), "{suggestions}");
    let html = app.get(&lawyer, &suggestions).await.text().await?;
    assert!(html.contains("P-0001") && html.contains("TJ-2026-0001"), "the first record is suggested");
    assert!(html.contains("тот же год рождения") && html.contains("тот же регион"));
    assert!(
        !html.contains("Иброҳимов") && !html.contains("Ибрагимов"),
        "the page shows pseudonyms, not names"
    );
    let other = html
        .split("name=\"other\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no candidate form")?
        .to_owned();
    let r = app.post(&lawyer, &suggestions, &suggestions, &[("other", &other), ("decision", "same")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.get(&lawyer, &suggestions).await.text().await?.contains("решено: тот же человек"));
    let decided = app
        .store()
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::DuplicateDecided),
            limit: 10,
            ..Default::default()
        })
        .await?;
    assert_eq!(decided.len(), 1);

    // Someone without identity access on the case gets no suggestions page at all (the
    // suggestions come from names), and cannot forge a decision.
    app.post(&lawyer, &second, &format!("{second}/team"), &[("username", "doctor")]).await;
    let doctor = app.login("doctor").await;
    assert_eq!(app.get(&doctor, &suggestions).await.status(), StatusCode::NOT_FOUND);
    let r =
        app.post(&doctor, "/dashboard", &suggestions, &[("other", &other), ("decision", "different")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persons_are_corrected_as_versions_and_a_corrected_name_is_searchable() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let r = app.post(&lawyer, "/cases/new", "/cases", &[("title", "Дело"), ("summary", "")]).await;
    let case = location(&r);
    app.post(
        &lawyer,
        &format!("{case}/persons/new"),
        &format!("{case}/persons"),
        &[("name", "Опечатка Ошибочная")],
    )
    .await;
    let person = app
        .store()
        .persons_of_case(
            ozodi_domain::case::CaseId::parse(case.rsplit('/').next().unwrap_or_default()).ok_or("id")?,
        )
        .await?[0]
        .clone();
    let base = format!("{case}/persons/{}", person.id);

    // Shown fields, by a team member without identity access.
    app.post(&lawyer, &case, &format!("{case}/team"), &[("username", "doctor")]).await;
    let doctor = app.login("doctor").await;
    let r = app
        .post(
            &doctor,
            &format!("{base}/edit"),
            &base,
            &[("version", "1"), ("sex", "02"), ("birth_year", "1985")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // ... who cannot touch the identity.
    let r = app
        .post(
            &doctor,
            "/dashboard",
            &format!("{base}/identity"),
            &[("version", "2"), ("name", "Чужая правка")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A stale shown-fields form is refused.
    let r =
        app.post(&lawyer, &format!("{base}/edit"), &base, &[("version", "1"), ("birth_year", "1999")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // The lawyer reveals (with a purpose), then corrects the name.
    let r = app
        .post(
            &lawyer,
            &format!("{base}/reveal"),
            &format!("{base}/reveal"),
            &[("purpose", "исправление опечатки")],
        )
        .await;
    let html = r.text().await?;
    assert!(html.contains("Опечатка Ошибочная") && html.contains("/identity"));
    let r = app
        .post(
            &lawyer,
            &format!("{base}/edit"),
            &format!("{base}/identity"),
            &[("version", "2"), ("name", "Ҷамшед Ҳасанов"), ("sex", "02"), ("birth_year", "1985")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let now = app.store().persons_of_case(person.case_id).await?[0].clone();
    assert_eq!(
        (now.version, now.fields.birth_year),
        (3, Some(1985)),
        "shown fields kept by the identity form"
    );
    // The new name is found in any spelling; the old one no longer.
    let r = app.post(&lawyer, "/search", "/search", &[("q", "Khasanov")]).await;
    assert!(r.text().await?.contains("TJ-2026-0001"));
    let r = app.post(&lawyer, "/search", "/search", &[("q", "Ошибочная")]).await;
    assert!(!r.text().await?.contains("TJ-2026-0001"));
    let versions = app.store().versions("person", &person.id.to_string()).await?;
    assert_eq!(versions.len(), 3);
    assert!(versions.iter().all(|v| !v.data.to_string().contains("Ҳасанов")), "no name in the version rows");
    Ok(())
}
