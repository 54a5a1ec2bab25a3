//! Crash safety (DESIGN.md principle 2): the real server, killed with SIGKILL at random moments
//! while several users create cases, edit them and upload evidence, then started again. Every write
//! the server acknowledged must be there, whole; nothing may be half-written; the audit chains and
//! the evidence files must verify.
//!
//! `OZODI_CRASH_CYCLES` sets the number of kill cycles (default 50, what CI runs); run 1,000
//! locally with `OZODI_CRASH_CYCLES=1000 cargo test --release -p ozodi --test crash`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ozodi_domain::{DisplayName, Role, Username};
use ozodi_store::{Instance, Store};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use reqwest::redirect::Policy;
use sha2::Digest;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PASSPHRASE: &str = "crash test instance passphrase";
const PASSWORD: &str = "crash test lawyer password 1";
const WORKERS: usize = 3;

fn ozodi() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ozodi"));
    for (key, _) in std::env::vars() {
        if key.starts_with("OZODI_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("OZODI_LOG", "warn").stdin(Stdio::null());
    cmd
}

/// What the server acknowledged (a redirect to the saved thing), and nothing else.
#[derive(Debug, Default)]
struct Ledger {
    /// Case id -> (version, title) of the last acknowledged write.
    cases: HashMap<String, (i64, String)>,
    /// Evidence id -> (case id, SHA-256 of the uploaded bytes).
    evidence: HashMap<String, (String, String)>,
    writes: usize,
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data: &Path, pass: &Path) -> Result<Server, Box<dyn std::error::Error>> {
        let mut child = ozodi()
            .args(["serve", "--port", "0", "--data-dir"])
            .arg(data)
            .arg("--passphrase-file")
            .arg(pass)
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("OZODI_TEST_SERVER_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let base = loop {
            if Instant::now() > deadline {
                return Err("the server did not start".into());
            }
            let line = lines
                .next()
                .ok_or("the server exited before listening (did a crash leave it unable to start?)")??;
            if let Some(rest) = line.strip_prefix("ozodi listening on ") {
                break rest.trim_end_matches('/').to_owned();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Ok(Server { child, base })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
}

fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + 19;
    html.get(at..at + 64).map(str::to_owned)
}

fn location(r: &reqwest::Response) -> Option<String> {
    r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Logs in and returns the client and its session's CSRF token; `None` if the server went away.
async fn log_in(base: &str) -> Option<(reqwest::Client, String)> {
    let c = client().ok()?;
    let page = c.get(format!("{base}/login")).send().await.ok()?.text().await.ok()?;
    let token = csrf_of(&page)?;
    let form = [("csrf", token.as_str()), ("username", "lawyer.crash"), ("password", PASSWORD)];
    let r = c.post(format!("{base}/login")).form(&form).send().await.ok()?;
    if r.status() != StatusCode::SEE_OTHER {
        return None;
    }
    let page = c.get(format!("{base}/cases/new")).send().await.ok()?.text().await.ok()?;
    Some((c.clone(), csrf_of(&page)?))
}

/// One user's writes until the server dies: create a case, edit it, upload a file to it, again.
/// Records in the ledger only what the server acknowledged.
async fn work(base: String, worker: usize, cycle: usize, ledger: Arc<Mutex<Ledger>>) {
    let Some((c, token)) = log_in(&base).await else { return };
    let mut rng = ChaCha8Rng::seed_from_u64((cycle * 31 + worker) as u64);
    for n in 0.. {
        let title = format!("crash {cycle}.{worker}.{n}");
        let form = [
            ("csrf", token.as_str()),
            ("title", title.as_str()),
            ("region", "SUG"),
            ("summary", "Задержан, избит; проверка устойчивости к сбоям."),
        ];
        let Ok(r) = c.post(format!("{base}/cases")).form(&form).send().await else { return };
        let Some(case) = location(&r).filter(|_| r.status() == StatusCode::SEE_OTHER) else { return };
        let case = case.trim_start_matches("/cases/").to_owned();
        {
            let mut l = ledger.lock().unwrap_or_else(|e| e.into_inner());
            l.cases.insert(case.clone(), (1, title.clone()));
            l.writes += 1;
        }
        // Two edits, each acknowledged one bumping the version.
        for version in 1..=2i64 {
            let edited = format!("{title} v{}", version + 1);
            let v = version.to_string();
            let form = [
                ("csrf", token.as_str()),
                ("title", edited.as_str()),
                ("region", "KHT"),
                ("summary", "Дополнено после опроса."),
                ("version", v.as_str()),
            ];
            let Ok(r) = c.post(format!("{base}/cases/{case}")).form(&form).send().await else { return };
            if r.status() != StatusCode::SEE_OTHER {
                return;
            }
            let mut l = ledger.lock().unwrap_or_else(|e| e.into_inner());
            l.cases.insert(case.clone(), (version + 1, edited));
            l.writes += 1;
        }
        // An upload of a few chunks.
        let mut content = b"%PDF-1.7\n".to_vec();
        let len = rng.random_range(1_000..300_000);
        content.extend((0..len).map(|_| rng.random_range(0..=255u8)));
        let sha = hex::encode(sha2::Sha256::digest(&content));
        let Ok(part) = Part::bytes(content).file_name("report.pdf").mime_str("application/pdf") else {
            return;
        };
        let form = Form::new()
            .text("csrf", token.clone())
            .text("title", "Справка")
            .text("description", "")
            .part("file", part);
        let Ok(r) = c.post(format!("{base}/cases/{case}/evidence")).multipart(form).send().await else {
            return;
        };
        let Some(at) = location(&r).filter(|_| r.status() == StatusCode::SEE_OTHER) else { return };
        let Some(id) = at.split("/evidence/").nth(1).and_then(|rest| rest.split('?').next()) else { return };
        let mut l = ledger.lock().unwrap_or_else(|e| e.into_inner());
        l.evidence.insert(id.to_owned(), (case.clone(), sha));
        l.writes += 1;
    }
}

async fn setup(dir: &Path) -> Result<(PathBuf, PathBuf), Box<dyn std::error::Error>> {
    let data = dir.join("data");
    let pass = dir.join("pass");
    std::fs::write(&pass, format!("{PASSPHRASE}\n"))?;
    let instance = Instance::at(&data);
    let store = instance.init(PASSPHRASE, ozodi_vault::KdfParams::default()).await?;
    let (username, name) = (Username::parse("lawyer.crash")?, DisplayName::parse("Crash Lawyer")?);
    let hash = ozodi_vault::password::hash(PASSWORD)?;
    ozodi::seeding::create_account(&store, username, name, Role::Lawyer, hash).await?;
    store.close().await;
    Ok((data, pass))
}

/// `ozodi audit verify` and `ozodi evidence verify` must both pass.
fn verify_clean(data: &Path, pass: &Path, when: &str) -> TestResult {
    for what in ["audit", "evidence"] {
        let out = ozodi()
            .args([what, "verify", "--data-dir"])
            .arg(data)
            .arg("--passphrase-file")
            .arg(pass)
            .output()?;
        assert!(
            out.status.success(),
            "{what} verify {when}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_moments_loses_no_acknowledged_write_and_half_writes_nothing() -> TestResult {
    let cycles: usize = std::env::var("OZODI_CRASH_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let tmp = tempfile::tempdir()?;
    let (data, pass) = setup(tmp.path()).await?;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let started = Instant::now();
    for cycle in 0..cycles {
        let mut server = Server::start(&data, &pass)?;
        let workers: Vec<_> =
            (0..WORKERS).map(|w| tokio::spawn(work(server.base.clone(), w, cycle, ledger.clone()))).collect();
        // Kill at a random moment: early (logins, first commits) or late (uploads in flight).
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..900))).await;
        server.child.kill()?;
        server.child.wait()?;
        for w in workers {
            w.await?;
        }
    }
    let writes = ledger.lock().unwrap_or_else(|e| e.into_inner()).writes;
    eprintln!("{cycles} kill cycles, {writes} acknowledged writes, {:.1} s", started.elapsed().as_secs_f64());
    assert!(writes >= cycles, "too few writes were acknowledged to test anything: {writes}");

    // The server starts once more after the last kill (it sets aside files of uploads the kill
    // cut short), then everything is checked against the ledger with the server stopped.
    drop(Server::start(&data, &pass)?);
    let ledger = std::mem::take(&mut *ledger.lock().unwrap_or_else(|e| e.into_inner()));
    let store = Instance::at(&data).open(PASSPHRASE).await?;
    let lawyer = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.to_string() == "lawyer.crash")
        .ok_or("no lawyer")?;
    for (id, (version, title)) in &ledger.cases {
        let case_id = ozodi_domain::case::CaseId::parse(id).ok_or("bad case id")?;
        let case = store.case(case_id).await?.ok_or(format!("acknowledged case {id} ({title}) is lost"))?;
        // A write whose answer the kill swallowed may have committed: never older, and exactly the
        // acknowledged content at the acknowledged version.
        assert!(
            case.version >= *version,
            "case {id}: version {} older than acknowledged {version}",
            case.version
        );
        if case.version == *version {
            assert_eq!(&case.fields.title, title, "case {id}: content differs from what was acknowledged");
        }
    }
    for (id, (case, sha)) in &ledger.evidence {
        let item = store
            .evidence(ozodi_domain::record::RecordId::parse(id).ok_or("bad evidence id")?)
            .await?
            .ok_or(format!("acknowledged evidence {id} is lost"))?;
        assert_eq!(&item.case_id.to_string(), case);
        assert_eq!(&item.sha256, sha, "evidence {id}: recorded hash differs from the uploaded bytes");
    }
    // Nothing half-written: every case (acknowledged or not) has its creator on the team, one
    // history row per version, and every evidence item its "received" custody event.
    for case in store.cases_for(lawyer.id, true, true, 1_000_000).await? {
        let team = store.case_team(case.id).await?;
        assert!(team.iter().any(|m| m.user == lawyer.id), "case {} has no team", case.id);
        let history = store.versions("case", &case.id.to_string()).await?;
        assert_eq!(history.len() as i64, case.version, "case {}: history and version disagree", case.id);
    }
    for item in store.all_evidence().await? {
        let custody = store.custody(item.id).await?;
        assert!(!custody.is_empty(), "evidence {} has no custody event", item.id);
    }
    store.close().await;
    let set_aside =
        std::fs::read_dir(data.join("evidence").join(".unrecorded")).map(|d| d.count()).unwrap_or(0);
    eprintln!("{set_aside} files of uploads cut short were set aside");

    verify_clean(&data, &pass, &format!("after {cycles} kills"))?;
    Ok(())
}

/// A size-limited tmpfs, unmounted on drop. `None` where mounting is not allowed (not root).
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Result<Option<SmallDisk>, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(at)?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status();
        Ok(status.ok().filter(|s| s.success()).map(|_| SmallDisk(at.to_owned())))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system holding `path` to the last byte.
fn fill(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    let block = vec![0x5a_u8; 64 * 1024];
    loop {
        if let Err(e) = f.write_all(&block) {
            break if e.kind() == std::io::ErrorKind::StorageFull { Ok(()) } else { Err(e) };
        }
    }?;
    // Whatever is left below one block.
    for _ in 0..64 * 1024 {
        if f.write_all(&[0]).is_err() {
            break;
        }
    }
    let _ = f.sync_all();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_refused_clearly_acknowledges_nothing_falsely_and_recovers_without_restart()
-> TestResult {
    let tmp = tempfile::tempdir()?;
    let Some(disk) = SmallDisk::mount(&tmp.path().join("disk"), "48m")? else {
        if std::env::var_os("CI").is_some() {
            return Err("CI runs as root and must be able to mount a tmpfs for the full-disk test".into());
        }
        eprintln!("skipped: mounting a tmpfs needs root (CI runs this test)");
        return Ok(());
    };
    let (data, pass) = setup(&disk.0).await?;
    std::fs::copy(&pass, tmp.path().join("pass"))?;
    std::fs::remove_file(&pass)?;
    let pass = tmp.path().join("pass");
    let server = Server::start(&data, &pass)?;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let (c, token) = log_in(&server.base).await.ok_or("cannot log in")?;

    // A case to upload to, before the disk fills.
    let form = [("csrf", token.as_str()), ("title", "before"), ("region", "SUG"), ("summary", "x")];
    let r = c.post(format!("{}/cases", server.base)).form(&form).send().await?;
    let case = location(&r).ok_or("no location")?.trim_start_matches("/cases/").to_owned();
    ledger.lock().unwrap_or_else(|e| e.into_inner()).cases.insert(case, (1, "before".into()));

    let filler = disk.0.join("filler");
    fill(&filler)?;
    let mut uploads_refused = 0;
    let mut refused = 0;
    for n in 0..20 {
        let title = format!("full {n}");
        let form = [("csrf", token.as_str()), ("title", title.as_str()), ("region", "SUG"), ("summary", "x")];
        let r = c.post(format!("{}/cases", server.base)).form(&form).send().await?;
        match r.status() {
            StatusCode::SEE_OTHER => {
                let case = location(&r).ok_or("no location")?.trim_start_matches("/cases/").to_owned();
                ledger.lock().unwrap_or_else(|e| e.into_inner()).cases.insert(case, (1, title));
            }
            StatusCode::INSUFFICIENT_STORAGE => {
                refused += 1;
                let page = r.text().await?;
                assert!(page.contains("Диск сервера заполнен") || page.contains("disk is full"), "{page}");
            }
            other => return Err(format!("a full disk gave {other}: {}", r.text().await?).into()),
        }
        let mut content = b"%PDF-1.7\n".to_vec();
        content.extend(std::iter::repeat_n(7u8, 200_000));
        let part = Part::bytes(content).file_name("a.pdf").mime_str("application/pdf")?;
        let form = Form::new()
            .text("csrf", token.clone())
            .text("title", "t")
            .text("description", "")
            .part("file", part);
        let cases: Vec<String> =
            ledger.lock().unwrap_or_else(|e| e.into_inner()).cases.keys().cloned().collect();
        if let Some(case) = cases.first() {
            let r = c.post(format!("{}/cases/{case}/evidence", server.base)).multipart(form).send().await?;
            match r.status() {
                StatusCode::SEE_OTHER => {}
                StatusCode::INSUFFICIENT_STORAGE => {
                    refused += 1;
                    uploads_refused += 1;
                }
                other => return Err(format!("an upload to a full disk gave {other}").into()),
            }
        }
    }
    assert!(refused > 0, "nothing was refused on a full disk");
    assert!(uploads_refused > 0, "no upload was refused on a full disk");

    // Space returns: the same server takes writes again, no restart.
    std::fs::remove_file(&filler)?;
    for n in 0..3 {
        let title = format!("after {n}");
        let form = [("csrf", token.as_str()), ("title", title.as_str()), ("region", "SUG"), ("summary", "x")];
        let r = c.post(format!("{}/cases", server.base)).form(&form).send().await?;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "writing did not resume once space returned");
        let case = location(&r).ok_or("no location")?.trim_start_matches("/cases/").to_owned();
        ledger.lock().unwrap_or_else(|e| e.into_inner()).cases.insert(case, (1, title));
    }
    drop(server);

    let store = Instance::at(&data).open(PASSPHRASE).await?;
    let acknowledged = std::mem::take(&mut ledger.lock().unwrap_or_else(|e| e.into_inner()).cases);
    for (id, (_, title)) in &acknowledged {
        let case = store.case(ozodi_domain::case::CaseId::parse(id).ok_or("bad id")?).await?;
        assert_eq!(case.map(|c| c.fields.title).as_ref(), Some(title), "acknowledged case {id} is lost");
    }
    store.close().await;
    verify_clean(&data, &pass, "after a full disk")?;
    Ok(())
}
