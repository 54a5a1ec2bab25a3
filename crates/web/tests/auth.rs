//! Logging in and out, throttling, sessions: rotation, revocation and timeouts.

mod common;

use common::{PASSWORD, TestApp, TestResult, cookie_value, location};
use reqwest::StatusCode;
use time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_lands_on_the_dashboard_and_logout_ends_the_session() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.login("lawyer").await;
    let page = app.get(&client, "/dashboard").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    assert!(html.contains("Test lawyer"), "dashboard greets the user");
    assert!(html.contains("Юрист"), "roles are shown in Russian by default");

    let r = app.post(&client, "/dashboard", "/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login");
    let after = app.get(&client, "/dashboard").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&after), "/login");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_get_the_same_answer() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.client();
    let wrong = app
        .post(&client, "/login", "/login", &[("username", "lawyer"), ("password", "not the password")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong_html = wrong.text().await?;
    let unknown =
        app.post(&client, "/login", "/login", &[("username", "nobody"), ("password", PASSWORD)]).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown_html = unknown.text().await?;
    for html in [&wrong_html, &unknown_html] {
        assert!(html.contains("Неверное имя пользователя или пароль."));
    }
    assert!(cookie_value(&app.get(&client, "/dashboard").await, "ozodi_session").is_none());
    let filter = ozodi_store::AuditFilter {
        kind: Some(ozodi_domain::audit::AuditKind::LoginFailed),
        limit: 10,
        ..Default::default()
    };
    let failed = app.store().audit_entries(&filter).await?;
    assert_eq!(failed.len(), 2, "both failures are audited");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_throttled_per_account_and_allowed_again_after_the_window() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..5 {
        let r = app
            .post(&client, "/login", "/login", &[("username", "doctor"), ("password", "guess guess guess")])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while the account is throttled, with a time to retry.
    let blocked =
        app.post(&client, "/login", "/login", &[("username", "doctor"), ("password", PASSWORD)]).await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    let html = blocked.text().await?;
    assert!(html.contains("Попробуйте снова после 11:15"), "tells when (Dushanbe time): {html}");
    // Another account from the same address is not blocked by the first one's failures.
    assert_eq!(
        app.post(&client, "/login", "/login", &[("username", "lawyer"), ("password", PASSWORD)])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    app.clock.advance(Duration::minutes(15));
    let later = app.client();
    let ok = app.post(&later, "/login", "/login", &[("username", "doctor"), ("password", PASSWORD)]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER, "a legitimate user gets in once the window has passed");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_throttled_per_client_address_across_accounts() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.client();
    for i in 0..20 {
        let name = format!("spray{i}");
        let r = app
            .post(&client, "/login", "/login", &[("username", &name), ("password", "guess guess guess")])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app.post(&client, "/login", "/login", &[("username", "editor"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "password spraying from one address is stopped");
    app.clock.advance(Duration::minutes(16));
    let r = app.post(&client, "/login", "/login", &[("username", "editor"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_id_rotates_at_login_and_the_old_one_dies() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.client();
    let first =
        app.post(&client, "/login", "/login", &[("username", "monitor"), ("password", PASSWORD)]).await;
    let token1 = cookie_value(&first, "ozodi_session").ok_or("no session cookie")?;
    let cookie = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ozodi_session="))
        .unwrap_or("")
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "not Secure on plain loopback HTTP unless configured");

    // Logging in again from the same browser issues a new id and ends the old session.
    let again =
        app.post(&client, "/dashboard", "/login", &[("username", "monitor"), ("password", PASSWORD)]).await;
    let token2 = cookie_value(&again, "ozodi_session").ok_or("no new session cookie")?;
    assert_ne!(token1, token2);
    let bare = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let old =
        bare.get(app.url("/dashboard")).header("cookie", format!("ozodi_session={token1}")).send().await?;
    assert_eq!(location(&old), "/login", "the pre-login session id must be dead");
    let new =
        bare.get(app.url("/dashboard")).header("cookie", format!("ozodi_session={token2}")).send().await?;
    assert_eq!(new.status(), StatusCode::OK);

    // A planted (fixed) session id gets the visitor nowhere.
    let r = bare
        .get(app.url("/dashboard"))
        .header("cookie", format!("ozodi_session={}", "ab".repeat(32)))
        .send()
        .await?;
    assert_eq!(location(&r), "/login");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_timeout_ends_the_session() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.login("analyst").await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(app.get(&client, "/dashboard").await.status(), StatusCode::OK, "activity within 30 minutes");
    app.clock.advance(Duration::minutes(29));
    assert_eq!(
        app.get(&client, "/dashboard").await.status(),
        StatusCode::OK,
        "activity renews the idle clock"
    );
    app.clock.advance(Duration::minutes(30));
    let r = app.get(&client, "/dashboard").await;
    assert_eq!(location(&r), "/login", "30 idle minutes end the session");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_sessions_are_swept_from_the_database() -> TestResult {
    let app = TestApp::spawn().await;
    let _abandoned = app.login("analyst").await;
    app.clock.advance(Duration::minutes(31));
    let _fresh = app.login("editor").await;
    let now = app.state.now();
    let left =
        app.store().delete_expired_sessions(now - Duration::minutes(30), now - Duration::hours(12)).await?;
    assert_eq!(left, 0, "the login already swept the abandoned session");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absolute_timeout_ends_even_an_active_session() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.login("editor").await;
    // Active every 29 minutes: alive through 24 x 29 = 696 minutes, dead at 725 (> 12 hours).
    for step in 1..=25 {
        app.clock.advance(Duration::minutes(29));
        let r = app.get(&client, "/dashboard").await;
        if step < 25 {
            assert_eq!(r.status(), StatusCode::OK, "alive after {} minutes", step * 29);
        } else {
            assert_eq!(location(&r), "/login", "dead after 12 hours however active");
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_revokes_every_session() -> TestResult {
    let app = TestApp::spawn().await;
    let phone = app.login("psychologist").await;
    let laptop = app.login("psychologist").await;
    let new = "новый длинный пароль 42";
    let r = app
        .post(
            &laptop,
            "/account/password",
            "/account/password",
            &[("current", PASSWORD), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for client in [&phone, &laptop] {
        assert_eq!(location(&app.get(client, "/dashboard").await), "/login");
    }
    let c = app.client();
    let old = app.post(&c, "/login", "/login", &[("username", "psychologist"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let ok = app.post(&c, "/login", "/login", &[("username", "psychologist"), ("password", new)]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_new_passwords_are_refused_with_a_reason() -> TestResult {
    let app = TestApp::spawn().await;
    let client = app.login("operator").await;
    let cases = [
        ("short", "short", "короче 12 символов"),
        ("qwertyuiop123", "qwertyuiop123", "списке распространённых"),
        ("operator-is-me-2026", "operator-is-me-2026", "имя пользователя"),
        ("a long enough phrase", "a long enough phrase!", "не совпадают"),
    ];
    for (new, confirm, message) in cases {
        let r = app
            .post(
                &client,
                "/account/password",
                "/account/password",
                &[("current", PASSWORD), ("new", new), ("confirm", confirm)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await?.contains(message), "{new}: expected {message}");
    }
    let wrong = app
        .post(
            &client,
            "/account/password",
            "/account/password",
            &[("current", "wrong"), ("new", "a fine long phrase"), ("confirm", "a fine long phrase")],
        )
        .await;
    assert!(wrong.text().await?.contains("Текущий пароль неверен"));
    assert_eq!(
        app.get(&client, "/dashboard").await.status(),
        StatusCode::OK,
        "failed attempts change nothing"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_an_account_ends_its_sessions_and_blocks_login() -> TestResult {
    let app = TestApp::spawn().await;
    let victim = app.login("lawyer").await;
    let admin = app.login("admin").await;
    let lawyer_id = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "lawyer")
        .map(|u| u.id)
        .ok_or("no lawyer")?;
    let page = format!("/admin/users/{lawyer_id}");
    let confirm = app.get(&admin, &format!("{page}/disable")).await.text().await?;
    assert!(confirm.contains("Отключить эту учётную запись?"), "a confirmation comes first");
    assert_eq!(app.get(&victim, "/dashboard").await.status(), StatusCode::OK, "showing it changes nothing");
    let r = app.post(&admin, &page, &format!("{page}/disable"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&app.get(&victim, "/dashboard").await), "/login");
    let c = app.client();
    let r = app.post(&c, "/login", "/login", &[("username", "lawyer"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.post(&admin, &page, &format!("{page}/enable"), &[]).await;
    let r = app.post(&c, "/login", "/login", &[("username", "lawyer"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "re-enabled account logs in again");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_forces_a_new_one_at_next_login() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let victim = app.login("monitor").await;
    let id = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "monitor")
        .map(|u| u.id)
        .ok_or("no monitor")?;
    let page = format!("/admin/users/{id}");
    let confirm = app.get(&admin, &format!("{page}/reset-password")).await.text().await?;
    assert!(confirm.contains("Сбросить этот пароль?"), "a confirmation comes first");
    assert!(
        app.store().user(id).await?.is_some_and(|u| !u.must_change_password),
        "showing it changes nothing"
    );
    let r = app.post(&admin, &page, &format!("{page}/reset-password"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await?;
    let at = html.find("<code>").ok_or("no temporary password shown")? + 6;
    let temporary: String = html[at..].chars().take_while(|c| *c != '<').collect();
    assert_eq!(temporary.len(), 19);
    assert_eq!(location(&app.get(&victim, "/dashboard").await), "/login", "reset ends the user's sessions");

    let c = app.client();
    let r = app.post(&c, "/login", "/login", &[("username", "monitor"), ("password", &temporary)]).await;
    assert_eq!(location(&r), "/account/password");
    assert_eq!(location(&app.get(&c, "/dashboard").await), "/account/password", "nothing else until changed");
    let new = "мониторинг тюрем 2026";
    let r = app
        .post(
            &c,
            "/account/password",
            "/account/password",
            &[("current", &temporary), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(location(&r), "/login?changed=1");
    let c = app.client();
    let r = app.post(&c, "/login", "/login", &[("username", "monitor"), ("password", new)]).await;
    assert_eq!(location(&r), "/dashboard");
    Ok(())
}

/// A client behind our (configured) TLS proxy, so tests can play several addresses.
async fn post_from(app: &TestApp, address: &str, username: &str, password: &str) -> reqwest::Response {
    let client = app.client();
    let token = app.csrf(&client, "/login").await;
    client
        .post(app.url("/login"))
        .header("x-forwarded-for", address)
        .form(&[("csrf", token.as_str()), ("username", username), ("password", password)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_cannot_lock_a_colleague_out_but_distributed_guessing_is_stopped() -> TestResult {
    let config = ozodi_web::WebConfig { behind_tls_proxy: true, ..Default::default() };
    let app = TestApp::spawn_with(config, true).await;
    for _ in 0..6 {
        post_from(&app, "203.0.113.7", "lawyer", "wrong guess wrong").await;
    }
    let attacker = post_from(&app, "203.0.113.7", "lawyer", PASSWORD).await;
    assert_eq!(attacker.status(), StatusCode::TOO_MANY_REQUESTS, "the guessing address is throttled");
    let colleague = post_from(&app, "198.51.100.20", "lawyer", PASSWORD).await;
    assert_eq!(colleague.status(), StatusCode::SEE_OTHER, "the real user elsewhere still gets in");

    // Guesses spread over many addresses hit the per-account limit (50 per window).
    for i in 0..50 {
        post_from(&app, &format!("192.0.2.{i}"), "doctor", "wrong guess wrong").await;
    }
    let r = post_from(&app, "198.51.100.99", "doctor", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(Duration::minutes(15));
    assert_eq!(post_from(&app, "198.51.100.99", "doctor", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    Ok(())
}
