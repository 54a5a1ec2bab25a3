//! What the browser tests share: where the workspace is, what they need installed, and the
//! server they start (killed when the test ends, whatever happens).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// The workspace's root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Debian's chromium and `e2e/` with the node `modules` installed, or why they are not here.
pub fn prerequisites(modules: &[&str]) -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("OZODI_E2E_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.exists() {
        return Err(format!("no browser at {} (apt-get install chromium)", chromium.display()));
    }
    let e2e = workspace().join("e2e");
    if modules.iter().any(|m| !e2e.join("node_modules").join(m).exists()) {
        return Err("e2e/node_modules is missing (npm ci --prefix e2e)".into());
    }
    if Command::new("node").arg("--version").output().map(|o| !o.status.success()).unwrap_or(true) {
        return Err("no node on the PATH".into());
    }
    Ok((chromium, e2e))
}

/// [`prerequisites`] as the tests use them: missing ones skip the test on a workstation (`None`,
/// saying why) and fail it in CI, which must run `what`.
pub fn required(modules: &[&str], what: &str) -> Result<Option<(PathBuf, PathBuf)>, String> {
    match prerequisites(modules) {
        Ok(found) => Ok(Some(found)),
        Err(missing) if std::env::var_os("CI").is_some() => Err(format!("CI must run {what}: {missing}")),
        Err(missing) => {
            eprintln!("skipped: {missing}");
            Ok(None)
        }
    }
}

/// A server process, killed on drop.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
