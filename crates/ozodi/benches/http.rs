//! Baseline HTTP benchmark of the real `ozodi` binary (built with the bench profile).
//!
//! Run: `cargo bench -p ozodi --bench http` (seconds per route: `OZODI_BENCH_SECS`, default 10;
//! connections: `OZODI_BENCH_CONNECTIONS`, default 32; `OZODI_BENCH_CASES=N` first imports N
//! synthetic cases of `ozodi-seed` through the store API and reports the import rate, default 0;
//! `OZODI_BENCH_DATA=dir` keeps that instance in `dir` and reuses it on later runs;
//! `OZODI_BENCH_ONLY=text` drives only the dataset routes whose name contains `text`).
//!
//! It creates a throwaway encrypted instance, starts `ozodi serve` sealed on 127.0.0.1 port 0,
//! measures the unseal (Argon2id + opening SQLCipher + migrations) until the first page is served,
//! the resident memory idle, then drives each route with N concurrent keep-alive connections for a
//! fixed time: the bare `/healthz` route, the login page and the authenticated dashboard. It
//! reports requests per second, p50/p99 latency, the dashboard/healthz ratio, and the server's
//! peak resident memory under load. The load generator runs on the same machine (loopback only).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ozodi_store::Store;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const PASSPHRASE: &str = "benchmark instance passphrase";
const PASSWORD: &str = "benchmark keeper password";

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The server under test (for its CPU time).
static SERVER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// CPU time the server process has used so far (all threads, user and system), in seconds: the
/// cost of a route independent of how fast the load generator on the same cores happened to be.
fn server_cpu_secs() -> f64 {
    let pid = SERVER.load(Ordering::Relaxed);
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    ticks as f64 / clock_ticks_per_sec()
}

fn clock_ticks_per_sec() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

fn csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + 19;
    html.get(at..at + 64).map(str::to_owned)
}

struct Stats {
    name: &'static str,
    requests: usize,
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
    /// Server CPU time per request, milliseconds.
    cpu_ms: f64,
}

/// One request of a route's rotation: a GET, or a POST of a form.
#[derive(Clone)]
struct Req {
    url: String,
    form: Option<Vec<(String, String)>>,
}

async fn load(
    name: &'static str,
    url: String,
    cookie: Option<String>,
    connections: usize,
    secs: u64,
) -> Result<Stats> {
    load_many(name, vec![Req { url, form: None }], cookie, connections, secs).await
}

/// Drives `connections` keep-alive clients for `secs` seconds, each cycling through `reqs` from
/// its own starting point (so concurrent clients ask for different cases).
async fn load_many(
    name: &'static str,
    reqs: Vec<Req>,
    cookie: Option<String>,
    connections: usize,
    secs: u64,
) -> Result<Stats> {
    let reqs = Arc::new(reqs);
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let cpu_before = server_cpu_secs();
    let mut tasks = Vec::new();
    for n in 0..connections {
        let (reqs, cookie, errors) = (reqs.clone(), cookie.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let client =
                reqwest::Client::builder().pool_max_idle_per_host(1).build().map_err(|e| e.to_string())?;
            let mut latencies = Vec::with_capacity(4096);
            let mut i = n * reqs.len() / connections.max(1);
            while Instant::now() < deadline {
                let r = &reqs[i % reqs.len()];
                i += 1;
                let t = Instant::now();
                let mut req = match &r.form {
                    Some(form) => client.post(&r.url).form(form),
                    None => client.get(&r.url),
                };
                if let Some(c) = &cookie {
                    req = req.header("cookie", c.as_str());
                }
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(t.elapsed());
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await?.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = server_cpu_secs() - cpu_before;
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Stats {
        name,
        requests: all.len(),
        rps: all.len() as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        errors: errors.load(Ordering::Relaxed),
        cpu_ms: cpu * 1000.0 / all.len().max(1) as f64,
    })
}

fn start(bin: &str, data: &str) -> Result<(Child, String)> {
    let mut child = Command::new(bin)
        .args(["serve", "--data-dir", data, "--port", "0"])
        .env("OZODI_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().ok_or("server exited")??;
        if let Some(rest) = line.strip_prefix("ozodi listening on ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok((child, base))
}

/// Logs in; returns the session cookie and the session's CSRF token.
async fn log_in(base: &str, user: &str) -> Result<(String, String)> {
    let web = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let r = web.get(format!("{base}/login")).send().await?;
    let anon = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let token = csrf(&r.text().await?).ok_or("no csrf")?;
    let r = web
        .post(format!("{base}/login"))
        .header("cookie", anon)
        .form(&[("csrf", token.as_str()), ("username", user), ("password", PASSWORD)])
        .send()
        .await?;
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ozodi_session="))
        .and_then(|c| c.split(';').next())
        .ok_or("login failed")?
        .to_owned();
    let page =
        web.get(format!("{base}/search")).header("cookie", cookie.as_str()).send().await?.text().await?;
    Ok((cookie, csrf(&page).ok_or("no csrf on the search page")?))
}

/// "Cases found: N" on a search page.
fn found(page: &str) -> String {
    page.split("role=\"status\">").nth(1).and_then(|s| s.split('<').next()).unwrap_or("?").to_owned()
}

/// Up to 2,000 case ids of the instance (for the case-page rotation).
async fn case_ids(data: &str) -> Result<Vec<String>> {
    let store = ozodi_store::Instance::at(data).open(PASSPHRASE).await?;
    let lawyer = store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "lawyer")
        .map(|u| u.id)
        .ok_or("no lawyer");
    let ids = match lawyer {
        Ok(id) => store
            .cases_for(id, true, false, 2000)
            .await
            .map(|c| c.into_iter().map(|c| c.id.to_string()).collect()),
        Err(e) => Ok(Err(e)?),
    };
    store.close().await;
    Ok(ids?)
}

/// What an import took: loading the cases (through the store API, in a bulk load: no sync, no
/// index upkeep), rebuilding the search index once, and the final checkpoint and sync.
struct Imported {
    report: ozodi::seeding::LoadReport,
    load: Duration,
    rebuild: Duration,
    sync: Duration,
}

/// Imports `cases` generated cases (and their facility register) into the instance at `data`, as
/// the demo accounts; progress on standard error.
async fn import(data: &str, cases: usize) -> Result<Imported> {
    let store = ozodi_store::Instance::at(data).open_for_bulk_load(PASSPHRASE).await?;
    let loaded = async {
        let accounts = ozodi::seeding::Accounts::demo(&store, PASSWORD).await?;
        let mut generator = ozodi_seed::Generator::new(ozodi_seed::DEMO_SEED);
        let facilities = generator.facilities(ozodi_seed::facility_count(cases));
        let step = (cases / 20).max(1);
        let started = Instant::now();
        let report =
            ozodi::seeding::load(&store, &facilities, generator.cases(&facilities, cases), &accounts, |n| {
                if n.is_multiple_of(step) {
                    eprintln!("imported {n}/{cases} cases ({:.0} s)", started.elapsed().as_secs_f64());
                }
            })
            .await?;
        // The register of the coalition's own work (trainings, visits, UN recommendations,
        // publications, meetings), scaled to the cases.
        let registry = generator.registry(cases, &facilities);
        ozodi::seeding::load_registry(&store, &registry, &facilities, &accounts).await?;
        let load = started.elapsed();
        let started = Instant::now();
        store.rebuild_search_index().await?;
        let rebuild = started.elapsed();
        let started = Instant::now();
        store.finish_bulk_load().await?;
        Ok::<_, anyhow::Error>(Imported { report, load, rebuild, sync: started.elapsed() })
    }
    .await;
    store.close().await;
    Ok(loaded?)
}

#[tokio::main]
#[expect(clippy::print_stdout, reason = "a benchmark reports on standard output")]
async fn main() -> Result<()> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    let secs: u64 = std::env::var("OZODI_BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let connections: usize =
        std::env::var("OZODI_BENCH_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(32);
    let bin = env!("CARGO_BIN_EXE_ozodi");
    let tmp = tempfile::tempdir()?;
    // `OZODI_BENCH_DATA=dir` keeps the instance (and its imported dataset) in `dir` and reuses it
    // on the next run instead of importing again.
    let kept = std::env::var("OZODI_BENCH_DATA").ok();
    let data = kept.clone().unwrap_or_else(|| tmp.path().join("data").display().to_string());
    let reused = kept.is_some() && ozodi_store::Instance::at(&data).exists();
    let pass = tmp.path().join("pass");
    let admin = tmp.path().join("admin");
    std::fs::write(&pass, PASSPHRASE)?;
    std::fs::write(&admin, PASSWORD)?;
    if !reused {
        let out = Command::new(bin)
            .args(["init", "--data-dir", &data, "--passphrase-file"])
            .arg(&pass)
            .arg("--admin-password-file")
            .arg(&admin)
            .output()?;
        if !out.status.success() {
            return Err(format!("init failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
    }

    let cases: usize = std::env::var("OZODI_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let import = if cases > 0 && !reused { Some(import(&data, cases).await?) } else { None };
    if reused {
        eprintln!("reusing the instance in {data}");
    }
    let dataset = import.is_some() || reused;
    let data_for_ids = data.clone();

    let (mut child, base) = start(bin, &data)?;
    let pid = child.id();
    SERVER.store(pid, Ordering::Relaxed);
    let sealed_rss = rss_kib(pid, "VmRSS:");

    // Unseal through the web page, then log in: time until the dashboard is served.
    let web =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let token = csrf(&web.get(format!("{base}/unseal")).send().await?.text().await?).ok_or("no csrf")?;
    let t0 = Instant::now();
    let r = web
        .post(format!("{base}/unseal"))
        .form(&[("csrf", token.as_str()), ("passphrase", PASSPHRASE)])
        .send()
        .await?;
    let unsealed = t0.elapsed();
    if !r.status().is_redirection() {
        return Err("unseal failed".into());
    }
    web.get(format!("{base}/login")).send().await?.text().await?;
    let to_first_page = t0.elapsed();
    let (cookie, _) = log_in(&base, "admin").await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss = rss_kib(pid, "VmRSS:");

    let peak = Arc::new(AtomicU64::new(0));
    let running = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, running) = (peak.clone(), running.clone());
        tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(pid, "VmRSS:"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let hello = load("GET /healthz (hello)", format!("{base}/healthz"), None, connections, secs).await?;
    let login = load("GET /login", format!("{base}/login"), None, connections, secs).await?;
    let dash =
        load("GET /dashboard (authenticated)", format!("{base}/dashboard"), Some(cookie), connections, secs)
            .await?;
    let mut dataset_stats = Vec::new();
    let mut hits = Vec::new();
    if dataset {
        // The lawyer leads every generated case: the case page, the filtered list and search run
        // over all of them, names included.
        let (lawyer, csrf_token) = log_in(&base, "lawyer").await?;
        let store_ids = case_ids(&data_for_ids).await?;
        let case_reqs: Vec<Req> =
            store_ids.iter().map(|id| Req { url: format!("{base}/cases/{id}"), form: None }).collect();
        let only = std::env::var("OZODI_BENCH_ONLY").unwrap_or_default();
        let wanted = |name: &str| name.contains(only.as_str());
        if wanted("case page") {
            dataset_stats.push(
                load_many("GET /cases/{id} (case page)", case_reqs, Some(lawyer.clone()), connections, secs)
                    .await?,
            );
        }
        if wanted("case list") {
            let list = Req { url: format!("{base}/cases"), form: None };
            dataset_stats.push(
                load_many("GET /cases (case list)", vec![list], Some(lawyer.clone()), connections, secs)
                    .await?,
            );
        }
        // The full statistics page: every indicator of DOMAIN.md section 6 computed from the
        // records on each request. One connection gives the page's own render time; the same
        // number of connections as the other routes gives its latency under load.
        if wanted("statistics") {
            let page = Req { url: format!("{base}/statistics"), form: None };
            dataset_stats.push(
                load_many(
                    "GET /statistics (1 connection)",
                    vec![page.clone()],
                    Some(lawyer.clone()),
                    1,
                    secs,
                )
                .await?,
            );
            dataset_stats.push(
                load_many("GET /statistics (full page)", vec![page], Some(lawyer.clone()), connections, secs)
                    .await?,
            );
            let filtered = Req {
                url: format!("{base}/statistics?region=SUG&sex=02&from=2020-01-01&to=2025-12-31"),
                form: None,
            };
            dataset_stats.push(
                load_many("GET /statistics (filtered)", vec![filtered], Some(lawyer.clone()), 1, secs)
                    .await?,
            );
            let public = Req { url: format!("{base}/statistics/public"), form: None };
            dataset_stats.push(
                load_many("GET /statistics/public (1 conn)", vec![public], Some(lawyer.clone()), 1, secs)
                    .await?,
            );
        }
        let search = |fields: &[(&str, &str)]| {
            let mut form = vec![("csrf".to_owned(), csrf_token.clone())];
            form.extend(fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
            Req { url: format!("{base}/search"), form: Some(form) }
        };
        let routes: [(&'static str, Vec<(&str, &str)>); 6] = [
            (
                "POST /search region+act type (list)",
                vec![("q", ""), ("region", "SUG"), ("act_type", "02011111")],
            ),
            ("POST /search \"избиение\" (common ru)", vec![("q", "избиение")]),
            ("POST /search \"шиканҷа\" (common tg)", vec![("q", "шиканҷа")]),
            ("POST /search \"ушиб рёбер\" (rarer ru)", vec![("q", "ушиб рёбер")]),
            ("POST /search \"латукӯб\" (tg)", vec![("q", "латукӯб")]),
            ("POST /search \"Ibragimov\" (a name)", vec![("q", "Ibragimov")]),
        ];
        let client = reqwest::Client::new();
        for (name, fields) in routes.into_iter().filter(|(name, _)| wanted(name)) {
            let req = search(&fields);
            let page = client
                .post(&req.url)
                .header("cookie", lawyer.as_str())
                .form(req.form.as_deref().unwrap_or_default())
                .send()
                .await?
                .text()
                .await?;
            hits.push((name, found(&page)));
            dataset_stats.push(load_many(name, vec![req], Some(lawyer.clone()), connections, secs).await?);
        }
    }
    running.store(false, Ordering::Relaxed);
    sampler.await?;
    let hwm = rss_kib(pid, "VmHWM:");
    let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
    let _ = child.wait();

    println!(
        "ozodi HTTP baseline: {connections} connections, {secs} s per route, loopback, load generator on the same machine"
    );
    println!(
        "{:<32} {:>9} {:>10} {:>10} {:>10} {:>7} {:>12}",
        "route", "requests", "req/s", "p50 ms", "p99 ms", "errors", "server CPU ms"
    );
    for s in [&hello, &login, &dash].into_iter().chain(dataset_stats.iter()) {
        println!(
            "{:<32} {:>9} {:>10.0} {:>10.2} {:>10.2} {:>7} {:>12.3}",
            s.name,
            s.requests,
            s.rps,
            s.p50.as_secs_f64() * 1000.0,
            s.p99.as_secs_f64() * 1000.0,
            s.errors,
            s.cpu_ms
        );
    }
    println!("dashboard / hello throughput: {:.0}%", 100.0 * dash.rps / hello.rps);
    for (name, count) in &hits {
        println!("{name}: {count} cases match");
    }
    println!("login page / hello throughput: {:.0}%", 100.0 * login.rps / hello.rps);
    println!(
        "unseal (Argon2id 64 MiB + SQLCipher open + migrations): {:.0} ms; first page served after {:.0} ms",
        unsealed.as_secs_f64() * 1000.0,
        to_first_page.as_secs_f64() * 1000.0
    );
    if let Some(Imported { report, load, rebuild, sync }) = import {
        println!(
            "dataset: {} synthetic cases ({} persons, {} records, {} facilities) imported through the store API in {:.1} s: {:.0} cases/s",
            report.cases,
            report.persons,
            report.records(),
            report.facilities,
            load.as_secs_f64(),
            report.cases as f64 / load.as_secs_f64()
        );
        println!(
            "search index rebuilt from the records in {:.1} s; final checkpoint and sync {:.1} s",
            rebuild.as_secs_f64(),
            sync.as_secs_f64()
        );
    }
    println!(
        "resident memory: sealed {:.1} MiB, idle unsealed {:.1} MiB, peak under load {:.1} MiB (VmHWM {:.1} MiB)",
        sealed_rss as f64 / 1024.0,
        idle_rss as f64 / 1024.0,
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    Ok(())
}
