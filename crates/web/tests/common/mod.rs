//! A real server on 127.0.0.1, port 0, with a fresh encrypted instance per test, driven over HTTP
//! by a cookie-keeping client. The clock is manual so timeouts can be tested without waiting.

#![allow(dead_code, reason = "each test binary uses a different part of the harness")]

use std::sync::Arc;

use ozodi_domain::{DisplayName, Role, RoleSet, Username};
use ozodi_store::{Instance, NewAuditEntry, NewUser, Store};
use ozodi_vault::KdfParams;
use ozodi_web::{AppState, ManualClock, WebConfig};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use tempfile::TempDir;
use time::macros::datetime;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub const PASSPHRASE: &str = "test instance passphrase";
pub const PASSWORD: &str = "correct horse battery staple";

/// Cheap Argon2 parameters for the instance key in tests (the real default costs ~0.25 s).
pub const TEST_KDF: KdfParams = KdfParams { m_cost_kib: 4096, t_cost: 1, p_cost: 1 };

pub struct TestApp {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    /// Stops the server and seals the instance, waiting until every database connection is closed.
    /// Without the wait, the test process could exit while SQLite worker threads are still closing
    /// SQLCipher connections, racing OpenSSL's teardown (seen: SIGSEGV at exit, about one run in
    /// ten). Tests run on the multi-thread runtime so that this blocking wait leaves other workers
    /// free to hand pooled connections back.
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let state = self.state.clone();
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                let _ = tokio::time::timeout(
                    std::time::Duration::from_secs(10),
                    state.seal(None, "test-end", None),
                )
                .await;
            })
        });
    }
}

fn new_user(username: &str, display: &str, roles: RoleSet, hash: &str) -> NewUser {
    NewUser {
        username: Username::parse(username).unwrap_or_else(|e| panic!("{e}")),
        display_name: DisplayName::parse(display).unwrap_or_else(|e| panic!("{e}")),
        password_hash: hash.to_owned(),
        roles,
        must_change_password: false,
    }
}

fn seed_entry() -> NewAuditEntry {
    NewAuditEntry {
        at: time::OffsetDateTime::now_utc(),
        actor: None,
        kind: ozodi_domain::audit::AuditKind::UserCreated,
        subject: None,
        detail: serde_json::json!({ "via": "test" }),
        client: None,
    }
}

impl TestApp {
    /// An unsealed instance with one account per role (user name = role code, e.g. "admin",
    /// "lawyer"), all with [`PASSWORD`].
    pub async fn spawn() -> TestApp {
        Self::spawn_with(WebConfig::default(), true).await
    }

    /// A sealed instance (same accounts).
    pub async fn spawn_sealed() -> TestApp {
        Self::spawn_with(WebConfig::default(), false).await
    }

    pub async fn spawn_with(config: WebConfig, unsealed: bool) -> TestApp {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let instance = Instance::at(dir.path().join("data"));
        let store = instance.init(PASSPHRASE, TEST_KDF).await.unwrap_or_else(|e| panic!("{e}"));
        let hash = ozodi_vault::password::hash(PASSWORD).unwrap_or_else(|e| panic!("{e}"));
        for role in Role::ALL {
            let roles: RoleSet = [role].into_iter().collect();
            let display = format!("Test {}", role.code());
            store
                .create_user(new_user(role.code(), &display, roles, &hash), seed_entry())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        store.close().await;

        let clock = Arc::new(ManualClock::new(datetime!(2026-11-29 06:00 UTC)));
        let state = AppState::new(config, clock.clone(), Arc::new(instance));
        if unsealed {
            state.unseal(PASSPHRASE, None).await.unwrap_or_else(|e| panic!("{e:?}"));
        }
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
        let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        let (tx, rx) = oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            let _ = ozodi_web::serve(listener, serving, async {
                let _ = rx.await;
            })
            .await;
        });
        TestApp { base, clock, state, dir, shutdown: Some(tx) }
    }

    pub fn store(&self) -> Arc<dyn Store> {
        self.state.store().unwrap_or_else(|| panic!("sealed"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests check them).
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The CSRF token of the form on `page` (which also sets the anonymous CSRF cookie).
    pub async fn csrf(&self, client: &Client, page: &str) -> String {
        let html = self.get(client, page).await.text().await.unwrap_or_default();
        csrf_in(&html).unwrap_or_else(|| panic!("no CSRF token on {page}"))
    }

    /// Posts `fields` plus the CSRF token taken from `page`.
    pub async fn post(&self, client: &Client, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf(client, page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        client.post(self.url(path)).form(&all).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// Logs in and returns the client holding the session.
    pub async fn login(&self, username: &str) -> Client {
        let client = self.client();
        let r =
            self.post(&client, "/login", "/login", &[("username", username), ("password", PASSWORD)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {username} failed");
        client
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].chars().take_while(|c| c.is_ascii_hexdigit()).collect())
}

pub fn location(r: &Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

pub fn cookie_value(r: &Response, name: &str) -> Option<String> {
    r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_owned())
    })
}

/// A stored-script payload carrying `marker`: a script tag and an image with an error handler.
pub fn script(marker: &str) -> String {
    format!("<script>alert(\"{marker}\")</script><img src=x onerror=alert('{marker}')>")
}

/// What askama's HTML escaper makes of `text` (numeric references: `&#60;` for `<`).
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Markup that only a payload could have put there (the pages have no images at all, and no script
/// but our own alert poll, which is taken out first).
pub fn raw_markup(html: &str) -> bool {
    let own = format!("<script src=\"{}\" defer></script>", *ozodi_web::ALERTS_JS_PATH);
    let lower = html.replace(&own, "").to_lowercase();
    lower.contains("<script") || lower.contains("<img")
}

/// A GET's status and body.
pub async fn text(
    app: &TestApp,
    client: &Client,
    path: &str,
) -> Result<(StatusCode, String), Box<dyn std::error::Error>> {
    let r = app.get(client, path).await;
    Ok((r.status(), r.text().await?))
}

/// Posts a form drawn from `page`: the status, and the redirect's target or the page returned.
pub async fn submit(
    app: &TestApp,
    client: &Client,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Result<(StatusCode, String), Box<dyn std::error::Error>> {
    let r = app.post(client, page, path, fields).await;
    let status = r.status();
    if status == StatusCode::SEE_OTHER {
        return Ok((status, location(&r)));
    }
    Ok((status, r.text().await?))
}

/// Switches the account's language (the form every page's footer carries).
pub async fn switch_language(
    app: &TestApp,
    client: &Client,
    lang: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let r = app.post(client, "/dashboard", "/lang", &[("lang", lang), ("back", "/dashboard")]).await;
    assert!(r.status().is_redirection(), "language switched");
    Ok(())
}

/// The text of a PDF, through poppler's `pdftotext` (installed by .ci/run).
pub fn pdf_text(pdf: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf)?;
    let out =
        std::process::Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&path).arg("-").output()?;
    if !out.status.success() {
        return Err(format!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// A small JPEG whose EXIF segment holds `marker` (as a phone would write the place it was taken).
pub fn photo_with(marker: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    let mut segment = |m: u8, contents: &[u8]| {
        b.extend([0xFF, m]);
        b.extend(u16::try_from(contents.len() + 2).unwrap_or(u16::MAX).to_be_bytes());
        b.extend(contents);
    };
    segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    segment(0xE1, &[b"Exif\0\0".as_slice(), marker.as_bytes()].concat());
    segment(0xDB, &[0u8; 65]);
    segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]);
    b.extend([0x12, 0x34, 0x56, 0xFF, 0xD9]);
    b
}
