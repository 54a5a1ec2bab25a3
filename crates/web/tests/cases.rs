//! Case files over HTTP: need-to-know (404 outside the team), opening, editing with versions and
//! conflicts, the state machine, the team, history, tombstone and restore, audited reads.

mod common;

use common::{TestApp, TestResult, location};
use ozodi_domain::audit::AuditKind;
use ozodi_store::AuditFilter;
use reqwest::StatusCode;

async fn open_case(
    app: &TestApp,
    client: &reqwest::Client,
    title: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let r = app
        .post(
            client,
            "/cases/new",
            "/cases",
            &[
                ("title", title),
                ("region", "SUG"),
                ("hotline", "SUG"),
                ("summary", "Задержан в ОВД, избит дубинкой."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "case not created");
    Ok(location(&r))
}

/// The page's main content without the per-request id.
fn main_part(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("<p class=\"muted\">").unwrap_or(html.len());
    &html[start..end.max(start)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outsiders_get_a_404_and_the_team_and_coordinator_get_the_case() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let page = open_case(&app, &lawyer, "Избиение в ОВД Сино").await?;
    let html = app.get(&lawyer, &page).await.text().await?;
    assert!(
        html.contains("TJ-2026-0001")
            && html.contains("Избиение в ОВД Сино")
            && html.contains("Согдийская область")
    );

    let unknown = app.get(&lawyer, "/cases/0190f5a4-0000-7000-8000-000000000000").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown_html = unknown.text().await?;
    for role in ["operator", "doctor", "psychologist", "monitor", "analyst", "editor", "admin"] {
        let c = app.login(role).await;
        for path in
            [page.clone(), format!("{page}/history"), format!("{page}/edit"), format!("{page}/delete")]
        {
            let r = app.get(&c, &path).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{role} {path}");
            // The same page as for an id that does not exist: existence is not confirmed.
            let body = r.text().await?;
            assert_eq!(main_part(&body), main_part(&unknown_html), "{role} {path}");
        }
        let r = app
            .post(&c, "/dashboard", &format!("{page}/status"), &[("event", "in-mandate"), ("version", "1")])
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{role} may not change the case");
        assert!(
            !app.get(&c, "/cases").await.text().await?.contains("TJ-2026-0001"),
            "{role} must not list it"
        );
    }
    let coordinator = app.login("coordinator").await;
    assert_eq!(app.get(&coordinator, &page).await.status(), StatusCode::OK);
    assert!(app.get(&coordinator, "/cases").await.text().await?.contains("TJ-2026-0001"));

    let viewed = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::CaseViewed), limit: 50, ..Default::default() })
        .await?;
    assert_eq!(viewed.len(), 2, "every read of the case page is audited (lawyer, coordinator)");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_machine_refuses_impossible_steps_naming_the_allowed_ones() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let page = open_case(&app, &lawyer, "Дело").await?;
    let step = |event: &'static str, version: &'static str, reason: &'static str| {
        let (app, lawyer, page) = (&app, &lawyer, page.clone());
        async move {
            app.post(
                lawyer,
                &page,
                &format!("{page}/status"),
                &[("event", event), ("version", version), ("reason", reason)],
            )
            .await
        }
    };
    let refused = step("close", "1", "готово").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let html = refused.text().await?;
    assert!(html.contains("Этот шаг невозможен") && html.contains("В мандате: открыть"), "{html}");
    assert_eq!(location(&step("in-mandate", "1", "").await), format!("{page}?saved=1"));
    assert_eq!(location(&step("documentation-done", "2", "").await), format!("{page}?saved=1"));
    let no_reason = step("close", "3", "").await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        location(&step("close", "3", "средство правовой защиты получено").await),
        format!("{page}?saved=1")
    );
    let html = app.get(&lawyer, &page).await.text().await?;
    assert!(html.contains("Закрыто") && html.contains("Открыть дело снова"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_are_versioned_and_a_stale_form_does_not_overwrite() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let page = open_case(&app, &lawyer, "Первое название").await?;
    let edit = format!("{page}/edit");
    let r = app
        .post(
            &lawyer,
            &edit,
            &page,
            &[("title", "Второе название"), ("region", "KHT"), ("summary", "Дополнено"), ("version", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stale = app
        .post(&lawyer, &edit, &page, &[("title", "Устаревшая правка"), ("summary", ""), ("version", "1")])
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let html = stale.text().await?;
    assert!(
        html.contains("Кто-то другой изменил это дело") && html.contains("Устаревшая правка"),
        "the typed text is kept"
    );
    let history = app.get(&lawyer, &format!("{page}/history")).await.text().await?;
    assert!(history.contains("Первое название") && history.contains("Второе название"));
    assert!(
        history.contains("<del>Согдийская область</del>")
            && history.contains("<ins>Хатлонская область</ins>")
    );
    assert!(history.contains("<ins>lawyer</ins>"), "the lead is shown by user name, not id");
    assert!(!history.contains("<del>—</del></td><td data-label=\"Стало\"><ins>—</ins>"), "no empty changes");
    assert!(!history.contains("Устаревшая правка"));

    let bad = app
        .post(&lawyer, &edit, &page, &[("title", ""), ("region", "MARS"), ("summary", ""), ("version", "2")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await?;
    assert!(html.contains("от 1 до 200 символов") && html.contains("нет в списке"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_payloads_in_case_fields_come_back_escaped() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let payload = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let r = app.post(&lawyer, "/cases/new", "/cases", &[("title", payload), ("summary", payload)]).await;
    let page = location(&r);
    for path in [page.clone(), "/cases".into(), format!("{page}/history"), format!("{page}/edit")] {
        let html = app.get(&lawyer, &path).await.text().await?;
        assert!(!html.contains("<script>alert") && !html.contains("<img src=x"), "{path}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_changes_are_audited_and_give_or_take_access() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let page = open_case(&app, &lawyer, "Команда").await?;
    let doctor = app.login("doctor").await;
    assert_eq!(app.get(&doctor, &page).await.status(), StatusCode::NOT_FOUND);
    app.post(&lawyer, &page, &format!("{page}/team"), &[("username", "doctor")]).await;
    assert_eq!(app.get(&doctor, &page).await.status(), StatusCode::OK);
    let doctor_id = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "doctor")
        .map(|u| u.id)
        .ok_or("doctor")?;
    // The doctor is on the team but not its lead: may not manage the team.
    let r = app.post(&doctor, &page, &format!("{page}/team"), &[("username", "psychologist")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.post(&lawyer, &page, &format!("{page}/team"), &[("username", "nobody")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.post(&lawyer, &page, &format!("{page}/team/{doctor_id}/remove"), &[]).await;
    assert_eq!(app.get(&doctor, &page).await.status(), StatusCode::NOT_FOUND);
    let changes = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::TeamChanged), limit: 10, ..Default::default() })
        .await?;
    assert_eq!(changes.len(), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_is_a_tombstone_the_coordinator_restores() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let page = open_case(&app, &lawyer, "Удаляемое").await?;
    let r = app.post(&lawyer, &format!("{page}/delete"), &format!("{page}/delete"), &[("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    let r = app
        .post(&lawyer, &format!("{page}/delete"), &format!("{page}/delete"), &[("reason", "дубликат")])
        .await;
    assert_eq!(location(&r), "/cases");
    assert_eq!(app.get(&lawyer, &page).await.status(), StatusCode::NOT_FOUND, "gone from the team's view");
    let coordinator = app.login("coordinator").await;
    let html = app.get(&coordinator, &page).await.text().await?;
    assert!(html.contains("дубликат"));
    app.post(&coordinator, &page, &format!("{page}/restore"), &[]).await;
    assert_eq!(app.get(&lawyer, &page).await.status(), StatusCode::OK, "restored");
    Ok(())
}
