//! The real binary, as an operator runs it: init, serve (sealed and unsealed), seal, passphrase
//! change, audit verification against tampering, and a scan of the data directory for plaintext.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use ozodi_store::{Instance, NewAuditEntry, Store};
use ozodi_vault::chain::{EntryFields, entry_hash};
use ozodi_vault::{KeyFile, SubKeyPurpose};
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PASSPHRASE: &str = "a long instance passphrase";
const ADMIN_PASSWORD: &str = "keeper of the keys 2026";

fn ozodi() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ozodi"));
    for (key, _) in std::env::vars() {
        if key.starts_with("OZODI_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("OZODI_LOG", "info");
    cmd.stdin(Stdio::null());
    cmd
}

fn run(args: &[&str]) -> Output {
    ozodi().args(args).output().unwrap_or_else(|e| panic!("cannot run ozodi: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

struct Fixture {
    tmp: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(tmp.path().join("pass"), format!("{PASSPHRASE}\n")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(tmp.path().join("admin"), ADMIN_PASSWORD).unwrap_or_else(|e| panic!("{e}"));
        Fixture { tmp }
    }
    fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }
    fn data_str(&self) -> String {
        self.data().display().to_string()
    }
    fn file(&self, name: &str) -> String {
        self.tmp.path().join(name).display().to_string()
    }
    fn init(&self) -> Output {
        let (data, pass, admin) = (self.data_str(), self.file("pass"), self.file("admin"));
        run(&["init", "--data-dir", &data, "--passphrase-file", &pass, "--admin-password-file", &admin])
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(fx: &Fixture, extra: &[&str], log: Option<&Path>) -> Server {
        let data = fx.data_str();
        let mut cmd = ozodi();
        cmd.args(["serve", "--data-dir", &data, "--port", "0"]).args(extra).stdout(Stdio::piped());
        match log {
            Some(path) => cmd.stderr(std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"))),
            None => cmd.stderr(Stdio::null()),
        };
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start ozodi serve: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(30);
        let base = loop {
            assert!(Instant::now() < deadline, "server did not start");
            let line =
                lines.next().and_then(Result::ok).unwrap_or_else(|| panic!("server exited before listening"));
            if let Some(rest) = line.strip_prefix("ozodi listening on ") {
                break rest.trim_end_matches('/').to_owned();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs `c` in as the administrator created by `init`.
    async fn log_in_admin(&self, c: &reqwest::Client) -> TestResult {
        let url = self.url("/login");
        let r = post(c, &url, &url, &[("username", "admin"), ("password", ADMIN_PASSWORD)]).await?;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the administrator could not log in");
        Ok(())
    }

    /// SIGTERM, then wait: the server seals and exits cleanly.
    fn stop(mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn csrf(c: &reqwest::Client, url: &str) -> Result<String, Box<dyn std::error::Error>> {
    let html = c.get(url).send().await?.text().await?;
    let at = html.find("name=\"csrf\" value=\"").ok_or("no csrf")? + 19;
    Ok(html[at..at + 64].to_owned())
}

async fn post(
    c: &reqwest::Client,
    page: &str,
    url: &str,
    fields: &[(&str, &str)],
) -> Result<reqwest::Response, Box<dyn std::error::Error>> {
    let token = csrf(c, page).await?;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    Ok(c.post(url).form(&all).send().await?)
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn init_creates_an_instance_and_refuses_to_overwrite_it() {
    let fx = Fixture::new();
    let out = fx.init();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(fx.data().join("key.json").exists() && fx.data().join("ozodi.db").exists());
    let before = snapshot(&fx.data());
    let again = fx.init();
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("refusing to overwrite"), "{}", text(&again.stderr));
    assert_eq!(before, snapshot(&fx.data()), "a refused init changes nothing");
    let key = std::fs::read_to_string(fx.data().join("key.json")).unwrap_or_default();
    assert!(key.contains("argon2id") && key.contains("xchacha20poly1305"));

    let weak = Fixture::new();
    std::fs::write(weak.tmp.path().join("admin"), "password1234").unwrap_or_else(|e| panic!("{e}"));
    let out = weak.init();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("not acceptable"), "{}", text(&out.stderr));
    assert!(!weak.data().join("key.json").exists(), "nothing is created when the password is refused");
}

#[test]
fn serve_fails_closed_on_wrong_passphrase_missing_damaged_key_or_foreign_database() {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let data = fx.data_str();
    std::fs::write(fx.tmp.path().join("wrong"), "not the passphrase at all")
        .unwrap_or_else(|e| panic!("{e}"));
    let wrong = fx.file("wrong");
    let before = snapshot(&fx.data());

    let out = run(&["serve", "--data-dir", &data, "--port", "0", "--passphrase-file", &wrong]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("passphrase is wrong"), "{}", text(&out.stderr));
    assert_eq!(before, snapshot(&fx.data()));

    // A damaged key file.
    let key = fx.data().join("key.json");
    let original = std::fs::read(&key).unwrap_or_default();
    std::fs::write(&key, &original[..original.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
    let pass = fx.file("pass");
    let out = run(&["serve", "--data-dir", &data, "--port", "0", "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("damaged"), "{}", text(&out.stderr));

    // A missing key file.
    std::fs::remove_file(&key).unwrap_or_else(|e| panic!("{e}"));
    let out = run(&["serve", "--data-dir", &data, "--port", "0", "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no instance"), "{}", text(&out.stderr));
    std::fs::write(&key, &original).unwrap_or_else(|e| panic!("{e}"));

    // An unencrypted database in place of ours.
    let db = fx.data().join("ozodi.db");
    let mut plain = b"SQLite format 3\0".to_vec();
    plain.resize(8192, 0);
    std::fs::write(&db, &plain).unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&fx.data());
    let out = run(&["serve", "--data-dir", &data, "--port", "0", "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("cannot be opened with this instance's key"), "{}", text(&out.stderr));
    assert_eq!(before, snapshot(&fx.data()), "nothing created or modified");
}

#[tokio::test]
async fn sealed_start_web_unseal_cli_seal_and_signal_seal() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let server = Server::start(&fx, &[], None);
    let c = client();
    assert_eq!(
        c.get(server.url("/healthz")).send().await?.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "starts sealed"
    );
    let r = post(&c, &server.url("/unseal"), &server.url("/unseal"), &[("passphrase", PASSPHRASE)]).await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.get(server.url("/healthz")).send().await?.status(), StatusCode::OK);
    server.log_in_admin(&c).await?;

    let data = fx.data_str();
    let out = run(&["seal", "--data-dir", &data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "sealed");
    let r = c.get(server.url("/dashboard")).send().await?;
    assert_eq!(r.headers().get("location").and_then(|v| v.to_str().ok()), Some("/unseal"));

    post(&c, &server.url("/unseal"), &server.url("/unseal"), &[("passphrase", PASSPHRASE)]).await?;
    assert_eq!(c.get(server.url("/healthz")).send().await?.status(), StatusCode::OK);
    Command::new("kill").arg("-USR1").arg(server.child.id().to_string()).status()?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while c.get(server.url("/healthz")).send().await?.status() == StatusCode::OK {
        assert!(Instant::now() < deadline, "SIGUSR1 did not seal");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop();
    let out = run(&["seal", "--data-dir", &data]);
    assert!(!out.status.success(), "no server to seal any more");
    Ok(())
}

#[tokio::test]
async fn passphrase_file_and_prompt_free_unseal_and_passphrase_change() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let db_copy = fx.tmp.path().join("db-before-change");
    std::fs::copy(fx.data().join("ozodi.db"), &db_copy)?;
    let log_copy = fx.tmp.path().join("log-before-change");
    std::fs::copy(fx.data().join("ozodi.access.db"), &log_copy)?;
    std::fs::write(fx.tmp.path().join("new"), "a brand new passphrase")?;
    let (data, pass, new) = (fx.data_str(), fx.file("pass"), fx.file("new"));
    let out = run(&[
        "passphrase",
        "change",
        "--data-dir",
        &data,
        "--passphrase-file",
        &pass,
        "--new-passphrase-file",
        &new,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let old = run(&["audit", "verify", "--data-dir", &data, "--passphrase-file", &pass]);
    assert!(!old.status.success(), "the old passphrase no longer opens the instance");
    let ok = run(&["audit", "verify", "--data-dir", &data, "--passphrase-file", &new]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));

    // Not re-encrypted: the database as it was before the change opens with the new passphrase.
    let other = fx.tmp.path().join("other");
    std::fs::create_dir(&other)?;
    std::fs::copy(fx.data().join("key.json"), other.join("key.json"))?;
    std::fs::copy(&db_copy, other.join("ozodi.db"))?;
    std::fs::copy(&log_copy, other.join("ozodi.access.db"))?;
    let store = Instance::at(&other).open("a brand new passphrase").await?;
    assert!(store.user_for_login(&ozodi_domain::Username::parse("admin")?).await?.is_some());
    store.close().await;

    // Served with the passphrase from a file named by the environment.
    let mut cmd = ozodi();
    cmd.env("OZODI_PASSPHRASE_FILE", &new);
    let child = cmd
        .args(["serve", "--data-dir", &data, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut server = Server { child, base: String::new() };
    let stdout = server.child.stdout.take().ok_or("no stdout")?;
    let line = BufReader::new(stdout).lines().next().ok_or("no output")??;
    server.base =
        line.strip_prefix("ozodi listening on ").ok_or("unexpected output")?.trim_end_matches('/').to_owned();
    assert_eq!(
        client().get(server.url("/healthz")).send().await?.status(),
        StatusCode::OK,
        "unsealed from the file"
    );
    server.stop();
    Ok(())
}

/// A raw connection to an instance's database, as an attacker holding the passphrase would open it.
async fn raw(dir: &Path) -> Result<sqlx::SqliteConnection, Box<dyn std::error::Error>> {
    raw_file(dir, "ozodi.db", SubKeyPurpose::Database).await
}

/// The same for one of the instance's other encrypted databases (the access log).
async fn raw_file(
    dir: &Path,
    file: &str,
    purpose: SubKeyPurpose,
) -> Result<sqlx::SqliteConnection, Box<dyn std::error::Error>> {
    let key = KeyFile::read(&dir.join("key.json"))?.unwrap_key(PASSPHRASE)?;
    let hex = key.derive(purpose).to_hex();
    let conn = SqliteConnectOptions::new()
        .filename(dir.join(file))
        .pragma("key", format!("\"x'{}'\"", hex.as_str()))
        .connect()
        .await?;
    Ok(conn)
}

fn copy_instance(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        std::fs::copy(entry.path(), to.join(entry.file_name()))?;
    }
    Ok(())
}

#[tokio::test]
async fn audit_verify_detects_edit_delete_insert_and_reorder() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let store = Instance::at(fx.data()).open(PASSPHRASE).await?;
    for i in 0..5 {
        store
            .audit(NewAuditEntry {
                at: time::OffsetDateTime::now_utc(),
                actor: None,
                kind: ozodi_domain::audit::AuditKind::LoginFailed,
                subject: None,
                detail: serde_json::json!({ "n": i }),
                client: Some("127.0.0.1".into()),
            })
            .await?;
    }
    store.close().await;
    let pass = fx.file("pass");
    let intact = run(&["audit", "verify", "--data-dir", &fx.data_str(), "--passphrase-file", &pass]);
    assert!(intact.status.success(), "{}{}", text(&intact.stdout), text(&intact.stderr));
    // Init's entries are changes (the administrator's account, the shipped UN recommendations
    // loaded); the five stand-alone entries are in the access log.
    assert!(
        text(&intact.stdout).contains("intact: 2 entries of changes")
            && text(&intact.stdout).contains("; 5 entries in the access log"),
        "{}",
        text(&intact.stdout)
    );

    let tamperings: [(&str, i64, &[&str]); 4] = [
        ("edit", 3, &["UPDATE audit SET detail = '{\"n\":99}' WHERE seq = 3"]),
        ("delete", 4, &["DELETE FROM audit WHERE seq = 3"]),
        (
            "insert",
            4,
            &["UPDATE audit SET seq = -seq WHERE seq >= 3", "UPDATE audit SET seq = 1 - seq WHERE seq < 0"],
        ),
        (
            "reorder",
            3,
            &[
                "UPDATE audit SET seq = -3 WHERE seq = 3",
                "UPDATE audit SET seq = 3 WHERE seq = 4",
                "UPDATE audit SET seq = 4 WHERE seq = -3",
            ],
        ),
    ];
    for (name, first_bad, statements) in tamperings {
        let copy = fx.tmp.path().join(format!("copy-{name}"));
        copy_instance(&fx.data(), &copy)?;
        let mut conn = raw_file(&copy, "ozodi.access.db", SubKeyPurpose::AccessLog).await?;
        // The application's append-only triggers stop casual edits; an attacker drops them.
        let refused = sqlx::query("DELETE FROM audit WHERE seq = 2").execute(&mut conn).await;
        assert!(refused.is_err(), "the trigger refuses deletes");
        sqlx::query("DROP TRIGGER audit_no_update").execute(&mut conn).await?;
        sqlx::query("DROP TRIGGER audit_no_delete").execute(&mut conn).await?;
        for sql in statements {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut conn).await?;
        }
        if name == "insert" {
            // A forged entry that chains correctly to its predecessor: only its successor betrays it.
            let prev: Vec<u8> =
                sqlx::query_scalar("SELECT hash FROM audit WHERE seq = 2").fetch_one(&mut conn).await?;
            let prev: [u8; 32] = prev.try_into().map_err(|_| "bad hash")?;
            let fields = EntryFields {
                seq: 3,
                at_micros: 1,
                actor: None,
                kind: "login.ok",
                subject: None,
                detail: "{}",
                client: None,
            };
            sqlx::query("INSERT INTO audit (seq, at, actor, kind, subject, detail, client, prev_hash, hash) VALUES (3, 1, NULL, 'login.ok', NULL, '{}', NULL, ?, ?)")
                .bind(prev.as_slice())
                .bind(entry_hash(&prev, &fields).as_slice())
                .execute(&mut conn)
                .await?;
        }
        conn.close().await?;
        let out =
            run(&["audit", "verify", "--data-dir", &copy.display().to_string(), "--passphrase-file", &pass]);
        assert!(!out.status.success(), "{name} was not detected: {}", text(&out.stdout));
        let report = text(&out.stdout);
        assert!(
            report.contains(&format!("BROKEN in the access log at entry {first_bad}")),
            "{name}: {report}"
        );
    }
    // The trail of changes is verified as well.
    let copy = fx.tmp.path().join("copy-changes");
    copy_instance(&fx.data(), &copy)?;
    let mut conn = raw(&copy).await?;
    sqlx::query("DROP TRIGGER audit_no_update").execute(&mut conn).await?;
    sqlx::query("UPDATE audit SET client = '10.9.8.7' WHERE seq = 1").execute(&mut conn).await?;
    conn.close().await?;
    let out =
        run(&["audit", "verify", "--data-dir", &copy.display().to_string(), "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stdout).contains("BROKEN in the trail of changes at entry 1"), "{}", text(&out.stdout));
    // Deleting the access log, or putting another instance's log in its place, does not give a
    // fresh empty log: the instance refuses to open.
    let gone = fx.tmp.path().join("copy-gone");
    copy_instance(&fx.data(), &gone)?;
    std::fs::remove_file(gone.join("ozodi.access.db"))?;
    let out =
        run(&["audit", "verify", "--data-dir", &gone.display().to_string(), "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("access log"), "{}", text(&out.stderr));
    assert!(!gone.join("ozodi.access.db").exists(), "no empty log was made up");
    Ok(())
}

#[tokio::test]
async fn marker_written_through_the_application_never_reaches_disk_in_clear() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let log = fx.data().join("server.log");
    let pass = fx.file("pass");
    let server = Server::start(&fx, &["--passphrase-file", &pass], Some(&log));
    let marker = "Маркер-Ҷонон-Zq7x-Қурбонӣ";
    let c = client();
    server.log_in_admin(&c).await?;
    let r = post(
        &c,
        &server.url("/admin/users/new"),
        &server.url("/admin/users"),
        &[("username", "marker.user"), ("display_name", marker), ("role", "lawyer")],
    )
    .await?;
    assert_eq!(r.status(), StatusCode::OK);
    let list = c.get(server.url("/admin/users")).send().await?.text().await?;
    assert!(list.contains(marker), "the marker was stored");
    server.stop();

    let mut checked = 0;
    for (name, bytes) in snapshot(&fx.data()) {
        for needle in
            [marker.as_bytes(), b"marker.user".as_slice(), ADMIN_PASSWORD.as_bytes(), PASSPHRASE.as_bytes()]
        {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{} found in {name}", text(needle));
        }
        checked += 1;
    }
    assert!(checked >= 3, "database, key file and log were scanned");
    assert!(std::fs::metadata(&log)?.len() > 0, "the log was written");
    Ok(())
}

#[tokio::test]
async fn evidence_verify_reports_a_flipped_byte_and_a_missing_file() -> TestResult {
    use ozodi_domain::audit::AuditKind;
    use ozodi_domain::record::RecordId;
    use ozodi_store::{CaseFields, Evidence, EvidenceCategory};

    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let store = Instance::at(fx.data()).open(PASSPHRASE).await?;
    let entry = |kind| NewAuditEntry {
        at: time::OffsetDateTime::now_utc(),
        actor: None,
        kind,
        subject: None,
        detail: serde_json::json!({}),
        client: None,
    };
    let admin = store.users().await?.first().map(|u| u.id).ok_or("no admin")?;
    let fields = CaseFields {
        status: ozodi_domain::case::CaseStatus::Open,
        region: None,
        hotline: None,
        title: "t".into(),
        summary: String::new(),
        lead: None,
    };
    let case = store
        .create_case(&fields, admin, time::OffsetDateTime::now_utc(), entry(AuditKind::CaseCreated))
        .await?;
    let files = store.evidence_files();
    std::fs::create_dir_all(&files.dir)?;
    let mut ids = Vec::new();
    for n in 0..2u8 {
        let id = RecordId::new();
        let content = [b"%PDF-1.7\n".as_slice(), &vec![n; 100_000]].concat();
        let (key, dir) = files.of(n == 1);
        std::fs::create_dir_all(dir)?;
        let info =
            ozodi_vault::blob::write_blob(key, &id.to_string(), content.as_slice(), dir, 1 << 20).await?;
        let item = Evidence {
            id,
            case_id: case.id,
            seq: 0,
            title: format!("file {n}"),
            description: String::new(),
            identity: n == 1,
            category: EvidenceCategory::Document,
            original_filename: "a.pdf".into(),
            mime: "application/pdf".into(),
            size: info.size,
            sha256: hex::encode(info.sha256),
            acquired_at: time::OffsetDateTime::now_utc(),
            acquired_by: None,
            deleted: None,
        };
        store.create_evidence(&item, entry(AuditKind::EvidenceCustody)).await?;
        ids.push((id, info.path));
    }
    store.close().await;
    let pass = fx.file("pass");
    let verify = || run(&["evidence", "verify", "--data-dir", &fx.data_str(), "--passphrase-file", &pass]);
    let intact = verify();
    assert!(intact.status.success(), "{}{}", text(&intact.stdout), text(&intact.stderr));
    assert!(text(&intact.stdout).contains("evidence intact: 2 files"));

    // One flipped byte in the middle of the first file; the second file removed.
    let mut bytes = std::fs::read(&ids[0].1)?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&ids[0].1, bytes)?;
    std::fs::remove_file(&ids[1].1)?;
    let broken = verify();
    assert_eq!(broken.status.code(), Some(1));
    let out = text(&broken.stdout);
    assert!(out.contains("E-0001") && out.contains("DAMAGED"), "{out}");
    assert!(out.contains("E-0002") && out.contains("MISSING"), "{out}");
    Ok(())
}

#[tokio::test]
async fn search_rebuild_recomputes_the_index_from_the_records() -> TestResult {
    use ozodi_domain::audit::AuditKind;
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let store = Instance::at(fx.data()).open(PASSPHRASE).await?;
    let admin = store.users().await?.first().map(|u| u.id).ok_or("no admin")?;
    let fields = ozodi_store::CaseFields {
        status: ozodi_domain::case::CaseStatus::Open,
        region: None,
        hotline: None,
        title: "Избиение задержанного".into(),
        summary: String::new(),
        lead: None,
    };
    let entry = NewAuditEntry {
        at: time::OffsetDateTime::now_utc(),
        actor: None,
        kind: AuditKind::CaseCreated,
        subject: None,
        detail: serde_json::json!({}),
        client: None,
    };
    store.create_case(&fields, admin, time::OffsetDateTime::now_utc(), entry).await?;
    store.close().await;
    let pass = fx.file("pass");
    let out = run(&["search", "rebuild", "--data-dir", &fx.data_str(), "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("search index rebuilt: 1 cases"), "{}", text(&out.stdout));
    // The rebuilt index still finds the case by a word form.
    let store = Instance::at(fx.data()).open(PASSPHRASE).await?;
    let found = store
        .search(&ozodi_store::SearchQuery {
            all_cases: true,
            ..ozodi_store::SearchQuery::new(admin, "избиения")
        })
        .await?;
    store.close().await;
    assert_eq!(found.total, 1);
    Ok(())
}

/// `ozodi demo` seeds a new instance by a bulk load (no syncs, no index upkeep per change) and
/// serves it: the load must end with every case in the search index and its facets, the file
/// checkpointed, and an intact audit chain.
#[tokio::test]
async fn demo_bulk_loads_an_indexed_instance_and_serves_it() -> TestResult {
    let fx = Fixture::new();
    let data = fx.data_str();
    let mut child = ozodi()
        .args(["demo", "--cases", "12", "--data-dir", &data, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(120);
    let base = loop {
        assert!(Instant::now() < deadline, "the demo did not start");
        let line = lines.next().ok_or("the demo exited before listening")??;
        if let Some(rest) = line.strip_prefix("ozodi listening on ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let served = client().get(format!("{base}/login")).send().await?.status();
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status()?;
    child.wait()?;
    assert_eq!(served, StatusCode::OK);

    let store = Instance::at(fx.data()).open("ozodi-demo-passphrase").await?;
    let lawyer =
        store.users().await?.into_iter().find(|u| u.username.as_str() == "lawyer").ok_or("no lawyer")?;
    let query =
        |text: &str| ozodi_store::SearchQuery { limit: 50, ..ozodi_store::SearchQuery::new(lawyer.id, text) };
    // The lawyer leads every demo case: the team facet lists all twelve, the text index has them.
    let listed = store.search(&query("")).await?;
    let numbers = store.search(&query("TJ")).await?;
    let chain = store.verify_audit().await?;
    store.close().await;
    assert_eq!((listed.total, listed.more), (12, false));
    assert_eq!(numbers.total, 12, "every case number is in the text index");
    assert!(chain.is_ok(), "{chain:?}");
    Ok(())
}

#[tokio::test]
async fn backup_of_a_running_server_verifies_and_restores_into_a_new_directory() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let server = Server::start(&fx, &["--passphrase-file", &fx.file("pass")], None);
    let c = client();
    // The server keeps working (a login writes to both databases) while the backup is taken.
    server.log_in_admin(&c).await?;
    let (data, pass, archive) = (fx.data_str(), fx.file("pass"), fx.file("office.ozb"));
    let out = run(&["backup", &archive, "--data-dir", &data, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}\n{}", text(&out.stdout), text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("backup written and verified by a trial restore"), "{said}");
    assert!(said.contains("writing the archive: 100%"), "progress is shown: {said}");
    assert_eq!(c.get(server.url("/dashboard")).send().await?.status(), StatusCode::OK, "still serving");

    let out = run(&["backup", "--verify", &archive, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("backup intact and restorable"), "{}", text(&out.stdout));
    // Nothing unpacked is left beside the archive.
    let beside: Vec<String> = std::fs::read_dir(fx.tmp.path())?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "left behind: {beside:?}");

    // Wrong passphrase and a damaged archive: refused with a clear message, nothing restored.
    std::fs::write(fx.tmp.path().join("wrong"), "not the passphrase\n")?;
    let restored = fx.tmp.path().join("restored");
    let restored_str = restored.display().to_string();
    let out =
        run(&["restore", &archive, "--data-dir", &restored_str, "--passphrase-file", &fx.file("wrong")]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("passphrase does not open"), "{}", text(&out.stderr));
    let mut bytes = std::fs::read(&archive)?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(fx.tmp.path().join("damaged.ozb"), &bytes)?;
    let out =
        run(&["restore", &fx.file("damaged.ozb"), "--data-dir", &restored_str, "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("damaged or was altered"), "{}", text(&out.stderr));
    assert!(!restored.exists(), "a refused restore creates nothing");
    // Restoring over the running instance is refused.
    let out = run(&["restore", &archive, "--data-dir", &data, "--passphrase-file", &pass]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("not empty"), "{}", text(&out.stderr));
    server.stop();

    let out = run(&["restore", &archive, "--data-dir", &restored_str, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("restored into"), "{}", text(&out.stdout));
    let out = run(&["audit", "verify", "--data-dir", &restored_str, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let out = run(&["evidence", "verify", "--data-dir", &restored_str, "--passphrase-file", &pass]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    // The restored instance has the same accounts, and its trail says where it came from.
    let original = Instance::at(fx.data()).open(PASSPHRASE).await?;
    let copy = Instance::at(&restored).open(PASSPHRASE).await?;
    let names =
        |users: Vec<ozodi_store::User>| users.into_iter().map(|u| u.username.to_string()).collect::<Vec<_>>();
    assert_eq!(names(original.users().await?), names(copy.users().await?));
    let filter = ozodi_store::AuditFilter {
        kind: Some(ozodi_domain::audit::AuditKind::Restored),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(copy.audit_entries(&filter).await?.len(), 1, "the restore is in the restored trail");
    let backups = ozodi_store::AuditFilter {
        kind: Some(ozodi_domain::audit::AuditKind::BackupCreated),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(original.audit_entries(&backups).await?.len(), 1, "the backup is in the original's trail");
    original.close().await;
    copy.close().await;
    Ok(())
}

#[tokio::test]
async fn scheduled_backups_are_verified_pruned_and_shown_to_administrators() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let backups = fx.tmp.path().join("backups");
    std::fs::create_dir_all(&backups)?;
    // Two older archives (by name) and an unrelated file the pruning must leave alone.
    for old in ["ozodi-backup-20200101T000000Z.ozb", "ozodi-backup-20200102T000000Z.ozb", "notes.txt"] {
        std::fs::write(backups.join(old), "old")?;
    }
    let config = fx.tmp.path().join("ozodi.toml");
    std::fs::write(
        &config,
        format!("backup_dir = \"{}\"\nbackup_interval_minutes = 60\nbackup_keep = 2\n", backups.display()),
    )?;
    let config = config.display().to_string();
    let server = Server::start(&fx, &["--passphrase-file", &fx.file("pass"), "--config", &config], None);
    let c = client();
    server.log_in_admin(&c).await?;
    // The newest archive is years old, so one is due at once.
    let deadline = Instant::now() + Duration::from_secs(60);
    let page = loop {
        let page =
            c.get(server.url("/dashboard")).header("accept-language", "en").send().await?.text().await?;
        if page.contains("Last backup:") {
            break page;
        }
        assert!(Instant::now() < deadline, "no scheduled backup shown: {page}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(page.contains("verified by a trial restore"), "{page}");
    let mut names: Vec<String> = std::fs::read_dir(&backups)?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "notes.txt");
    assert_eq!(names[1], "ozodi-backup-20200102T000000Z.ozb", "the oldest was removed: {names:?}");
    assert!(names[2].starts_with("ozodi-backup-2") && names[2].ends_with(".ozb"));
    let out = run(&[
        "backup",
        "--verify",
        &backups.join(&names[2]).display().to_string(),
        "--passphrase-file",
        &fx.file("pass"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    server.stop();

    // A backup directory that cannot be created: the administrator sees it, in their language.
    let blocked = fx.tmp.path().join("notes-file");
    std::fs::write(&blocked, "a file, not a directory")?;
    std::fs::write(
        fx.tmp.path().join("ozodi.toml"),
        format!("backup_dir = \"{}\"\n", blocked.join("backups").display()),
    )?;
    let server = Server::start(&fx, &["--passphrase-file", &fx.file("pass"), "--config", &config], None);
    let c = client();
    server.log_in_admin(&c).await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page =
            c.get(server.url("/dashboard")).header("accept-language", "tg").send().await?.text().await?;
        if page.contains("role=\"alert\"") {
            assert!(page.contains("сабт нашуд"), "{page}");
            break;
        }
        assert!(Instant::now() < deadline, "the failure is not shown: {page}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    server.stop();
    Ok(())
}

/// A minimal SMTP server on 127.0.0.1: accepts one message per connection and hands over what the
/// client sent (envelope and content).
async fn fake_smtp(listener: tokio::net::TcpListener, got: tokio::sync::mpsc::Sender<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    while let Ok((stream, _)) = listener.accept().await {
        let got = got.clone();
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut lines = tokio::io::BufReader::new(read).lines();
            let mut transcript = String::new();
            let _ = write.write_all(b"220 fake ESMTP\r\n").await;
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                transcript.push_str(&line);
                transcript.push('\n');
                let reply: &[u8] = if in_data {
                    if line == "." {
                        in_data = false;
                        b"250 queued\r\n"
                    } else {
                        continue;
                    }
                } else {
                    match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                        Some("EHLO") => b"250-fake\r\n250 8BITMIME\r\n",
                        Some("DATA") => {
                            in_data = true;
                            b"354 go on\r\n"
                        }
                        Some("QUIT") => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 OK\r\n",
                    }
                };
                if write.write_all(reply).await.is_err() {
                    break;
                }
            }
            let _ = got.send(transcript).await;
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_are_announced_by_email_without_any_case_content() -> TestResult {
    let fx = Fixture::new();
    assert!(fx.init().status.success());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let smtp = format!("smtp://127.0.0.1:{}", listener.local_addr()?.port());
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(fake_smtp(listener, tx));
    let config = fx.tmp.path().join("ozodi.toml");
    std::fs::write(&config, format!("smtp_url = \"{smtp}\"\nsmtp_from = \"ozodi@coalition.example\"\n"))?;
    let config = config.display().to_string();
    let server = Server::start(&fx, &["--passphrase-file", &fx.file("pass"), "--config", &config], None);
    let c = client();
    server.log_in_admin(&c).await?;
    // The administrator takes the coordinator's role too, so urgent alerts reach them.
    let users = c.get(server.url("/admin/users")).send().await?.text().await?;
    let me = users
        .split("/admin/users/")
        .skip(1)
        .filter_map(|s| s.get(..36))
        .find(|id| id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .ok_or("no account link")?
        .to_owned();
    let page = server.url(&format!("/admin/users/{me}"));
    let r = post(&c, &page, &format!("{page}/roles"), &[("role", "admin"), ("role", "coordinator")]).await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // In English, so the e-mail is plain ASCII and can be searched as it travelled.
    let r = post(&c, &page, &server.url("/lang"), &[("lang", "en"), ("next", "/dashboard")]).await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let notes = server.url("/notifications");
    let r =
        post(&c, &notes, &server.url("/notifications/email"), &[("email", "coordinator@coalition.example")])
            .await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(&c, &notes, &server.url("/notifications/email"), &[("email", "not an address")]).await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // An urgent contact: the coordinator is notified in the application, and told by e-mail that
    // something waits, without a word of what.
    let form = server.url("/contacts/new");
    let r = post(
        &c,
        &form,
        &server.url("/contacts"),
        &[
            ("line", "none"),
            (
                "received_at",
                &time::OffsetDateTime::now_utc()
                    .to_offset(time::macros::offset!(+5))
                    .format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"))?,
            ),
            ("channel", "walk-in"),
            ("caller", "relative"),
            ("region", "KHT"),
            ("summary", "Marker-Summary-9d3f: задержан в Бохтаре"),
            ("name", "Marker-Name-Шарофат"),
            ("consent_record", "on"),
            ("in_custody", "on"),
        ],
    )
    .await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await?);
    let mail = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await?.ok_or("no e-mail")?;
    assert!(mail.contains("RCPT TO:<coordinator@coalition.example>"), "{mail}");
    assert!(mail.contains("One new notification waits for you in ozodi."), "{mail}");
    for secret in ["Marker-Summary", "Marker-Name", "Бохтар", "K-0000", "KHT", "/contacts/"] {
        assert!(!mail.contains(secret), "the e-mail carries {secret}: {mail}");
    }
    server.stop();
    Ok(())
}
