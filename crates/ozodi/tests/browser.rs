//! The browser journeys (`e2e/journeys.mjs`) against the real binary, in Debian's Chromium through
//! playwright-core: ru, tg and en, with JavaScript on and off, axe-core on every page visited, page
//! weight, requests to other hosts, and times under emulated slow links; then the public site (the
//! demo's publications) without JavaScript: axe-core and page weight. Screenshots of every step go
//! to `e2e/results/`.
//!
//! Needs Node.js, `npm ci --prefix e2e` and Debian's `chromium`; `.ci/run` installs them. Where they
//! are missing the test says so and passes, except under CI (`CI` set), where it fails.

mod e2e;

use e2e::{Server, required};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ozodi_domain::{DisplayName, Role, Username};
use ozodi_store::{Instance, Store};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PASSPHRASE: &str = "browser journeys passphrase";
const PASSWORD: &str = "browser journeys password 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys_in_three_languages_with_and_without_javascript() -> TestResult {
    let Some((chromium, e2e)) = required(&["playwright-core", "axe-core"], "the browser journeys")? else {
        return Ok(());
    };
    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("data");
    let instance = Instance::at(&data);
    let store = instance.init(PASSPHRASE, ozodi_vault::KdfParams::default()).await?;
    let accounts = ozodi::seeding::Accounts::demo(&store, PASSWORD).await?;
    // The shipped UN recommendations, as `ozodi init` loads them.
    ozodi::seeding::recommendations(&store, accounts.lawyer.id).await?;
    // The operator answers the Sughd line and the lawyer serves it (receives its alerts).
    let sughd = ozodi_domain::intake::LineCode::parse("SUG").ok_or("no line code")?;
    for who in [accounts.operator.id, accounts.lawyer.id] {
        let entry = ozodi_store::NewAuditEntry {
            at: time::OffsetDateTime::now_utc(),
            actor: None,
            kind: ozodi_domain::audit::AuditKind::LineChanged,
            subject: None,
            detail: serde_json::json!({ "via": "test" }),
            client: None,
        };
        store.set_line_staff(&sughd, who, true, who, time::OffsetDateTime::now_utc(), entry).await?;
    }
    let (username, name) = (Username::parse("lawyer.other")?, DisplayName::parse("Другой юрист")?);
    let hash = ozodi_vault::password::hash(PASSWORD)?;
    ozodi::seeding::create_account(&store, username, name, Role::Lawyer, hash).await?;
    // The demo's public site: publications in three languages, published by the demo editor.
    ozodi::seeding::demo_site(&store).await?;
    store.close().await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_ozodi"))
        .args(["serve", "--port", "0", "--site-port", "0", "--data-dir"])
        .arg(&data)
        .env("OZODI_LOG", "warn")
        // Six journeys send six web reports from one address.
        .env("OZODI_REPORTS_PER_CLIENT_PER_HOUR", "100")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut base, mut site) = (None, None);
    let (base, site) = loop {
        if Instant::now() > deadline {
            return Err("the server did not start".into());
        }
        let line = lines.next().ok_or("the server exited")??;
        if let Some(rest) = line.strip_prefix("ozodi listening on ") {
            base = Some(rest.trim_end_matches('/').to_owned());
        } else if let Some(rest) = line.strip_prefix("public site on ") {
            site = Some(rest.trim_end_matches('/').to_owned());
        }
        if let (Some(base), Some(site)) = (&base, &site) {
            break (base.clone(), site.clone());
        }
    };
    std::thread::spawn(move || for _ in lines {});

    let results = e2e.join("results");
    let out = Command::new("node")
        .arg(e2e.join("journeys.mjs"))
        .env("OZODI_E2E_URL", &base)
        .env("OZODI_E2E_SITE", &site)
        .env("OZODI_E2E_PASSPHRASE", PASSPHRASE)
        .env("OZODI_E2E_PASSWORD", PASSWORD)
        .env("OZODI_E2E_RESULTS", &results)
        .env("OZODI_E2E_CHROMIUM", &chromium)
        .output()?;
    drop(server);
    let said = String::from_utf8_lossy(&out.stdout);
    let complained = String::from_utf8_lossy(&out.stderr);
    eprintln!("{said}");
    assert!(out.status.success(), "the browser journeys failed:\n{complained}\n{said}");
    assert!(
        said.contains("pages checked in 6 journeys, 6 legal, 6 medical, 6 intake and 6 monitoring journeys"),
        "{said}"
    );
    assert!(
        said.contains("public site: 4 pages checked without JavaScript, axe-core violations 0"),
        "{said}"
    );
    Ok(())
}
