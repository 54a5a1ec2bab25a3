//! Sealed, unsealed, sealed again: what is served in each state.

mod common;

use common::{PASSPHRASE, TestApp, TestResult, location};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sealed_server_serves_only_the_unseal_page() -> TestResult {
    let app = TestApp::spawn_sealed().await;
    let c = app.client();
    for path in ["/", "/login", "/dashboard", "/admin/users", "/admin/audit", "/account/password", "/nope"] {
        let r = app.get(&c, path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&r), "/unseal", "{path}");
    }
    let r = app.post(&c, "/unseal", "/login", &[("username", "admin"), ("password", "x")]).await;
    assert_eq!(location(&r), "/unseal", "no login while sealed");
    let page = app.get(&c, "/unseal").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await?.contains("Система запечатана"));
    assert_eq!(app.get(&c, "/healthz").await.status(), StatusCode::SERVICE_UNAVAILABLE);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passphrase_fails_closed() -> TestResult {
    let app = TestApp::spawn_sealed().await;
    let c = app.client();
    let r = app.post(&c, "/unseal", "/unseal", &[("passphrase", "not the passphrase")]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await?.contains("Неверная парольная фраза"));
    assert!(app.state.is_sealed());
    assert_eq!(location(&app.get(&c, "/dashboard").await), "/unseal");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unseal_attempts_are_throttled() -> TestResult {
    let app = TestApp::spawn_sealed().await;
    let c = app.client();
    for _ in 0..5 {
        app.post(&c, "/unseal", "/unseal", &[("passphrase", "guessing guessing")]).await;
    }
    let r = app.post(&c, "/unseal", "/unseal", &[("passphrase", PASSPHRASE)]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "even the right passphrase waits out the window");
    assert!(app.state.is_sealed());
    app.clock.advance(time::Duration::minutes(15));
    let r = app.post(&c, "/unseal", "/unseal", &[("passphrase", PASSPHRASE)]).await;
    assert_eq!(location(&r), "/login");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unseal_through_the_web_then_log_in() -> TestResult {
    let app = TestApp::spawn_sealed().await;
    let c = app.client();
    let r = app.post(&c, "/unseal", "/unseal", &[("passphrase", PASSPHRASE)]).await;
    assert_eq!(location(&r), "/login");
    assert!(!app.state.is_sealed());
    assert_eq!(location(&app.get(&c, "/unseal").await), "/", "the unseal page is gone once unsealed");
    let admin = app.login("admin").await;
    assert_eq!(app.get(&admin, "/dashboard").await.status(), StatusCode::OK);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seal_now_drops_access_for_everyone() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let lawyer = app.login("lawyer").await;
    let confirm = app.get(&admin, "/admin/seal").await.text().await?;
    assert!(confirm.contains("Запечатать экземпляр сейчас"), "a confirmation comes first");
    let r = app.post(&admin, "/admin/seal", "/admin/seal", &[]).await;
    assert_eq!(location(&r), "/unseal");
    assert!(app.state.is_sealed());
    assert!(app.state.store().is_none(), "the store (and its key) is gone");
    for c in [&admin, &lawyer] {
        assert_eq!(location(&app.get(c, "/dashboard").await), "/unseal");
    }
    // After unsealing again, the old sessions are gone: everyone logs in anew.
    app.state.unseal(PASSPHRASE, None).await.map_err(|e| format!("{e:?}"))?;
    assert_eq!(location(&app.get(&lawyer, "/dashboard").await), "/login");
    let report = app.store().verify_audit().await?.map_err(|b| b.to_string())?;
    assert!(report.entries() > 3);
    assert!(report.access.entries >= 2, "the seal and the unseal stand alone, in the access log");
    let sealed = app
        .store()
        .audit_entries(&ozodi_store::AuditFilter {
            kind: Some(ozodi_domain::audit::AuditKind::Sealed),
            limit: 5,
            ..Default::default()
        })
        .await?;
    assert_eq!(sealed.first().and_then(|e| e.actor.clone()).as_deref(), Some("admin"));
    Ok(())
}
