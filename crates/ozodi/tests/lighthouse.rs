//! Lighthouse (`e2e/lighthouse.mjs`) on the public site of the real `ozodi demo`, in Debian's
//! Chromium: the Russian home, library and a publication, and the Tajik home must score at least 95
//! for performance and for accessibility under Lighthouse's default mobile emulation. The scores
//! are printed (`cargo test -- --nocapture` shows them).
//!
//! Needs Node.js, `npm ci --prefix e2e` and Debian's `chromium`; `.ci/run` installs them. Where they
//! are missing the test says so and passes, except under CI (`CI` set), where it fails.
//!
//! Only 127.0.0.1 is contacted: the demo listens there, and the runner's browser resolves no other
//! host.

mod e2e;

use e2e::{Server, required};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Seeding the demo takes up to a minute in a debug build; Lighthouse takes about ten seconds a page.
const DEMO_STARTS_WITHIN: Duration = Duration::from_secs(300);
const LIGHTHOUSE_ENDS_WITHIN: Duration = Duration::from_secs(600);

/// The runner and every process it started: each has the runner's private `TMPDIR` in its
/// environment (and Chromium's profile, made by chrome-launcher with `mktemp -t`, lies in it).
/// Whatever is still running when this is dropped (the runner stopped early, or Chromium outlived
/// it) is killed by its id.
struct Runner {
    marker: PathBuf,
    node: Option<Child>,
}

impl Runner {
    fn leftovers(&self) -> Vec<u32> {
        let own = std::process::id();
        let marker = self.marker.to_string_lossy().into_owned();
        let tmpdir = format!("TMPDIR={marker}");
        let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
        entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| pid != own)
            .filter(|pid| {
                let read = |what: &str| std::fs::read(format!("/proc/{pid}/{what}")).unwrap_or_default();
                let environ = read("environ");
                let cmdline = String::from_utf8_lossy(&read("cmdline")).into_owned();
                environ.split(|&b| b == 0).any(|v| v == tmpdir.as_bytes()) || cmdline.contains(&marker)
            })
            .collect()
    }

    /// Kills what is left (after a few seconds' grace for a browser being killed to go) and says
    /// how many there were.
    fn clean_up(&mut self) -> usize {
        if let Some(node) = self.node.as_mut() {
            let _ = node.kill();
            let _ = node.wait();
        }
        let grace = Instant::now() + Duration::from_secs(5);
        let mut left = self.leftovers();
        while !left.is_empty() && Instant::now() < grace {
            std::thread::sleep(Duration::from_millis(100));
            left = self.leftovers();
        }
        for pid in &left {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).stderr(Stdio::null()).status();
        }
        left.len()
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let left = self.clean_up();
        if left > 0 {
            eprintln!("killed {left} processes the Lighthouse runner left behind");
        }
    }
}

fn drain(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_site_scores_95_in_lighthouse_performance_and_accessibility() -> TestResult {
    let Some((chromium, e2e)) =
        required(&["lighthouse", "chrome-launcher"], "Lighthouse on the public site")?
    else {
        return Ok(());
    };
    let started = Instant::now();
    let tmp = tempfile::tempdir()?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ozodi"))
        .args(["demo", "--bind", "127.0.0.1", "--port", "0", "--site-port", "0", "--data-dir"])
        .arg(tmp.path().join("data"))
        .env("OZODI_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    // Read in a thread, so a demo that stops talking fails the test instead of hanging it.
    let (said, heard) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = said.send(line);
        }
    });
    let deadline = Instant::now() + DEMO_STARTS_WITHIN;
    let site = loop {
        let wait = deadline.saturating_duration_since(Instant::now());
        let line = heard.recv_timeout(wait).map_err(|_| "the demo did not start its public site")?;
        if let Some(rest) = line.strip_prefix("public site on ") {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    assert!(site.starts_with("http://127.0.0.1:"), "the site is on {site}");
    eprintln!("demo seeded and serving in {:.0} s", started.elapsed().as_secs_f64());

    // A publication, as a reader finds it: the first Russian one the library links to (any
    // publication if none is Russian).
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(30)).build()?;
    let library = reqwest::Url::parse(&format!("{site}/ru/library.html"))?;
    let html = client.get(library.clone()).send().await?.error_for_status()?.text().await?;
    let links: Vec<reqwest::Url> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains("publications/"))
        .filter_map(|href| library.join(href).ok())
        .collect();
    let publication = links
        .iter()
        .find(|u| u.path().starts_with("/ru/publications/"))
        .or_else(|| links.first())
        .ok_or("the library links to no publication")?;
    let urls = [
        format!("{site}/ru/index.html"),
        library.to_string(),
        publication.to_string(),
        format!("{site}/tg/index.html"),
    ];

    let marker = tmp.path().join("lighthouse");
    std::fs::create_dir(&marker)?;
    let measuring = Instant::now();
    let mut node = Command::new("node")
        .arg(e2e.join("lighthouse.mjs"))
        .args(&urls)
        .env("CHROME_PATH", &chromium)
        .env("LIGHTHOUSE_MIN", "95")
        .env("TMPDIR", &marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (out, err) =
        (drain(node.stdout.take().ok_or("no stdout")?), drain(node.stderr.take().ok_or("no stderr")?));
    let mut runner = Runner { marker, node: Some(node) };
    let deadline = Instant::now() + LIGHTHOUSE_ENDS_WITHIN;
    let status = loop {
        if let Some(status) = runner.node.as_mut().ok_or("no runner")?.try_wait()? {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    // Whatever the outcome, nothing of the runner outlives it, and the demo stops.
    let left = runner.clean_up();
    drop(runner);
    drop(server);
    if left > 0 {
        eprintln!("killed {left} processes the Lighthouse runner left behind");
    }
    let (said, complained) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
    eprintln!("{said}");
    eprintln!(
        "Lighthouse on {} pages in {:.0} s ({:.0} s in all)",
        urls.len(),
        measuring.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let status = status.ok_or_else(|| format!("Lighthouse did not finish in time:\n{complained}\n{said}"))?;
    assert!(status.success(), "Lighthouse on the public site: {status}\n{complained}\n{said}");
    assert_eq!(said.lines().count(), urls.len(), "one line a page:\n{said}");
    assert_eq!(left, 0, "the runner left {left} processes behind (now killed)");
    Ok(())
}
