//! Attacks on the boundary: forged requests, hostile input, response headers.

mod common;

use common::{PASSWORD, TestApp, TestResult, location};
use reqwest::StatusCode;

const REQUEST_ID_LABEL: &str = "Номер запроса";

async fn user_count(app: &TestApp) -> usize {
    app.store().users().await.map(|u| u.len()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_token_required_for_account_creation() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let before = user_count(&app).await;
    let fields = [("username", "mallory"), ("display_name", "Mallory"), ("role", "admin")];
    let missing = admin.post(app.url("/admin/users")).form(&fields).send().await?;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let html = missing.text().await?;
    assert!(html.contains("Форма устарела"), "translated CSRF page: {html}");
    assert!(html.contains(REQUEST_ID_LABEL));
    let mut forged = vec![("csrf", "00".repeat(32))];
    forged.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong = admin.post(app.url("/admin/users")).form(&forged).send().await?;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert_eq!(user_count(&app).await, before, "a refused request changes nothing");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_token_required_for_logout_login_and_seal() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    for path in ["/logout", "/admin/seal", "/lang"] {
        let r = admin.post(app.url(path)).form(&[("lang", "en"), ("next", "/")]).send().await?;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert!(!app.state.is_sealed(), "a forged seal request must not seal");
    assert_eq!(
        app.get(&admin, "/dashboard").await.status(),
        StatusCode::OK,
        "a forged logout must not log out"
    );

    // Login CSRF: a cross-site form cannot log the victim into the attacker's account.
    let victim = app.client();
    let r =
        victim.post(app.url("/login")).form(&[("username", "lawyer"), ("password", PASSWORD)]).send().await?;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A token from another browser does not help either.
    let attacker = app.client();
    let token = app.csrf(&attacker, "/login").await;
    app.csrf(&victim, "/login").await;
    let r = victim
        .post(app.url("/login"))
        .form(&[("csrf", token.as_str()), ("username", "lawyer"), ("password", PASSWORD)])
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_every_response() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let css = {
        let html = app.get(&admin, "/dashboard").await.text().await?;
        let at = html.find("/static/").ok_or("no stylesheet link")?;
        html[at..].split('"').next().unwrap_or("").to_owned()
    };
    for path in ["/login", "/dashboard", "/admin/users", "/no/such/page", "/", css.as_str(), "/healthz"] {
        let r = app.get(&admin, path).await;
        let h = r.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"), "{path}");
        assert_eq!(h.get("referrer-policy").and_then(|v| v.to_str().ok()), Some("no-referrer"), "{path}");
        let cache = h.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("");
        if path.starts_with("/static/") {
            assert!(cache.contains("immutable"), "{path}: {cache}");
        } else {
            assert_eq!(cache, "no-store", "{path}");
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_and_reference_no_other_host() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let r = admin.get(app.url("/admin/users")).header("accept-encoding", "gzip").send().await?;
    assert_eq!(r.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    let html = app.get(&admin, "/admin/users").await.text().await?;
    for needle in ["http://", "https://", "//cdn", "<script"] {
        assert!(!html.contains(needle), "page references {needle}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_gets_a_translated_error_and_changes_nothing() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let token = app.csrf(&admin, "/admin/users/new").await;
    let before = user_count(&app).await;

    // An oversized body: over the 64 KiB limit, but small enough that the client has finished
    // sending when the server answers early (a larger one raced the server's close under load).
    let big = format!("csrf={token}&username=big&display_name={}", "x".repeat(100_000));
    let r = admin
        .post(app.url("/admin/users"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await?.contains("Слишком много данных"));

    // Invalid UTF-8 in a field.
    let bad = format!("csrf={token}&username=abc&display_name=%FF%FE");
    let r = admin
        .post(app.url("/admin/users"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(bad)
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await?.contains(REQUEST_ID_LABEL));

    // A body that is not a form at all.
    let r = admin
        .post(app.url("/admin/users"))
        .header("content-type", "application/json")
        .body("{\"x\":1}")
        .send()
        .await?;
    assert!(r.status().is_client_error());

    // An oversized field inside the limit.
    let long_name = "ғ".repeat(500);
    let r = admin
        .post(app.url("/admin/users"))
        .form(&[("csrf", token.as_str()), ("username", "longname"), ("display_name", long_name.as_str())])
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(html.contains("от 1 до 100 символов"));
    assert!(html.contains("value=\"longname\""), "the form comes back with what was typed");

    // Unknown and malformed ids.
    for path in ["/admin/users/0190f5a4-0000-7000-8000-000000000000", "/admin/users/not-a-uuid"] {
        let r = app.get(&admin, path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let html = r.text().await?;
        assert!(html.contains("Страница не найдена") && html.contains(REQUEST_ID_LABEL), "{path}");
    }
    // Invalid UTF-8 in the path.
    let r = app.get(&admin, "/admin/users/%FF").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await?.contains(REQUEST_ID_LABEL));
    // Wrong method.
    let r = admin.delete(app.url("/admin/users")).send().await?;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "CSRF is checked before anything else for unsafe methods");

    assert_eq!(user_count(&app).await, before);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_xss_in_display_name_is_escaped() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let payload = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let r = app
        .post(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[("username", "xss"), ("display_name", payload), ("role", "lawyer")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let list = app.get(&admin, "/admin/users").await.text().await?;
    assert!(!list.contains("<script>alert(1)"), "raw script tag in the page");
    assert!(!list.contains("<img src=x"), "raw img tag in the page");
    assert!(list.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "the name is shown, escaped");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_injection_in_login_and_filters_is_inert() -> TestResult {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = app
        .post(&c, "/login", "/login", &[("username", "admin' OR '1'='1"), ("password", "' OR 1=1 --")])
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let admin = app.login("admin").await;
    let r = app.get(&admin, "/admin/audit?kind=login.ok'%20OR%201=1--&actor=admin'--&from=2026-01-01").await;
    assert!(r.status() == StatusCode::OK || r.status() == StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(!html.contains("SQL") && !html.contains("sqlite"), "no database internals on the page");
    assert!(app.store().verify_audit().await?.is_ok());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_redirect_through_language_switch_is_refused() -> TestResult {
    let app = TestApp::spawn().await;
    let c = app.client();
    let r = app.post(&c, "/login", "/lang", &[("lang", "en"), ("next", "//evil.example/")]).await;
    assert_eq!(location(&r), "/");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_tls_proxy_cookies_are_secure_and_host_prefixed() -> TestResult {
    let config = ozodi_web::WebConfig { behind_tls_proxy: true, ..Default::default() };
    let app = TestApp::spawn_with(config, true).await;
    let r = app.get(&app.client(), "/login").await;
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(cookie.starts_with("__Host-ozodi_csrf="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    Ok(())
}
