//! Settings: defaults, overridden by the TOML file (`--config` / `OZODI_CONFIG`), overridden by
//! `OZODI_*` variables, overridden by flags. Nothing here is secret (passphrases are only ever
//! read from files or prompts), so `Debug` is safe to log.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ozodi_web::WebConfig;
use serde::Deserialize;
use time::Duration;

/// The TOML file. Every key is optional; unknown keys are an error (a typo must not silently fall
/// back to a default).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Data directory.
    pub data_dir: Option<PathBuf>,
    /// Listen address.
    pub bind: Option<IpAddr>,
    /// Listen port.
    pub port: Option<u16>,
    /// Port of the public website's own listener (none: no public site is served).
    pub site_port: Option<u16>,
    /// The public website's address (`https://example.org/`), for its sitemap, feeds and
    /// previews.
    pub site_url: Option<String>,
    /// Behind a TLS-terminating reverse proxy (Secure cookies, trust X-Forwarded-For from loopback).
    pub behind_tls_proxy: Option<bool>,
    /// Idle session timeout in minutes.
    pub session_idle_minutes: Option<i64>,
    /// Absolute session timeout in hours.
    pub session_absolute_hours: Option<i64>,
    /// Failed logins allowed per account from one client address per window.
    pub max_failed_logins_per_account_and_client: Option<usize>,
    /// Failed logins allowed per account from all addresses per window.
    pub max_failed_logins_per_account: Option<usize>,
    /// Failed logins allowed per client address per window.
    pub max_failed_logins_per_client: Option<usize>,
    /// The throttling window in minutes.
    pub throttle_window_minutes: Option<i64>,
    /// Log filter (tracing's env-filter syntax), e.g. "info" or "ozodi_web=debug".
    pub log: Option<String>,
    /// Directory for scheduled backups; none are taken without it.
    pub backup_dir: Option<PathBuf>,
    /// Minutes between scheduled backups (default 1440, once a day).
    pub backup_interval_minutes: Option<i64>,
    /// How many verified scheduled backups to keep (default 7; older ones are removed).
    pub backup_keep: Option<usize>,
    /// Minutes an urgent alert may stay unacknowledged before it escalates to the coordinators
    /// (default 120).
    pub escalate_after_minutes: Option<i64>,
    /// Web reports accepted per hour from all senders together (default 60).
    pub reports_per_hour: Option<usize>,
    /// Web reports accepted per hour from one client address (default 5; kept in memory only).
    pub reports_per_client_per_hour: Option<usize>,
    /// The SMTP server that announces notifications by e-mail, e.g.
    /// `smtps://alerts@mail.example.org:465` or `smtp://mail.example.org:587?tls=required`.
    /// None: no e-mail is ever sent.
    pub smtp_url: Option<String>,
    /// A file holding the SMTP password (never the configuration file itself).
    pub smtp_password_file: Option<PathBuf>,
    /// The sender address of those e-mails.
    pub smtp_from: Option<String>,
}

impl FileConfig {
    /// Reads the file, or the empty configuration when no file is named.
    pub fn load(path: Option<&Path>) -> anyhow::Result<FileConfig> {
        let Some(path) = path else { return Ok(FileConfig::default()) };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("the configuration file {} is not valid", path.display()))
    }
}

fn env<T: std::str::FromStr>(name: &str) -> anyhow::Result<Option<T>> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => match v.trim().parse() {
            Ok(parsed) => Ok(Some(parsed)),
            Err(_) => bail!("the environment variable {name} has an invalid value"),
        },
        _ => Ok(None),
    }
}

/// The resolved settings of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Data directory.
    pub data_dir: PathBuf,
    /// Listen address.
    pub bind: IpAddr,
    /// Listen port.
    pub port: u16,
    /// The public website's port, if it is served.
    pub site_port: Option<u16>,
    /// Web settings.
    pub web: WebConfig,
    /// Scheduled backups, if configured.
    pub backup: Option<BackupSchedule>,
    /// E-mail announcements of notifications, if configured.
    pub mail: Option<MailSettings>,
}

/// The SMTP server for e-mail announcements (see `mail.rs`).
#[derive(Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// `smtp://` or `smtps://` URL (user name included; lettre's syntax).
    pub url: String,
    /// The password, read from its file at start.
    pub password: Option<String>,
    /// The sender.
    pub from: String,
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings").field("from", &self.from).finish_non_exhaustive()
    }
}

/// Scheduled backups (see `server::backup_schedule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    /// Where archives go.
    pub dir: PathBuf,
    /// Time between backups.
    pub every: std::time::Duration,
    /// Verified archives kept.
    pub keep: usize,
}

/// Defaults of scheduled backups (README, "Backups").
pub const DEFAULT_BACKUP_INTERVAL_MINUTES: i64 = 24 * 60;
/// See [`DEFAULT_BACKUP_INTERVAL_MINUTES`].
pub const DEFAULT_BACKUP_KEEP: usize = 7;

/// Defaults (documented in README.md, "Configuration").
pub const DEFAULT_PORT: u16 = 8080;

impl Settings {
    /// Merges flags (already merged with their variables by clap) over the file over defaults.
    pub fn resolve(
        file: &FileConfig,
        data_dir: Option<PathBuf>,
        default_dir: &str,
        bind: Option<IpAddr>,
        port: Option<u16>,
    ) -> anyhow::Result<Settings> {
        let mut web = WebConfig::default();
        if let Some(v) = env::<bool>("OZODI_BEHIND_TLS_PROXY")?.or(file.behind_tls_proxy) {
            web.behind_tls_proxy = v;
        }
        if let Some(v) = env::<i64>("OZODI_SESSION_IDLE_MINUTES")?.or(file.session_idle_minutes) {
            if v < 1 {
                bail!("the idle session timeout must be at least one minute");
            }
            web.sessions.idle = Duration::minutes(v);
        }
        if let Some(v) = env::<i64>("OZODI_SESSION_ABSOLUTE_HOURS")?.or(file.session_absolute_hours) {
            if v < 1 {
                bail!("the absolute session timeout must be at least one hour");
            }
            web.sessions.absolute = Duration::hours(v);
        }
        if let Some(v) = env::<usize>("OZODI_MAX_FAILED_LOGINS_PER_ACCOUNT_AND_CLIENT")?
            .or(file.max_failed_logins_per_account_and_client)
        {
            web.max_failures_per_account_and_client = v.max(1);
        }
        if let Some(v) =
            env::<usize>("OZODI_MAX_FAILED_LOGINS_PER_ACCOUNT")?.or(file.max_failed_logins_per_account)
        {
            web.max_failures_per_account = v.max(1);
        }
        if let Some(v) =
            env::<usize>("OZODI_MAX_FAILED_LOGINS_PER_CLIENT")?.or(file.max_failed_logins_per_client)
        {
            web.max_failures_per_client = v.max(1);
        }
        if let Some(v) = env::<i64>("OZODI_THROTTLE_WINDOW_MINUTES")?.or(file.throttle_window_minutes) {
            web.throttle_window = Duration::minutes(v.max(1));
        }
        if let Some(v) = env::<i64>("OZODI_ESCALATE_AFTER_MINUTES")?.or(file.escalate_after_minutes) {
            if v < 1 {
                bail!("escalate_after_minutes must be at least 1");
            }
            web.escalate_after = Duration::minutes(v);
        }
        if let Some(v) = env::<usize>("OZODI_REPORTS_PER_HOUR")?.or(file.reports_per_hour) {
            web.reports_per_hour = v.max(1);
        }
        if let Some(v) =
            env::<usize>("OZODI_REPORTS_PER_CLIENT_PER_HOUR")?.or(file.reports_per_client_per_hour)
        {
            web.reports_per_client_per_hour = v.max(1);
        }
        if let Some(url) = env::<String>("OZODI_SITE_URL")?.or_else(|| file.site_url.clone()) {
            let url = url.trim().to_owned();
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
            {
                bail!("site_url must be an http:// or https:// address");
            }
            web.site_url = Some(if url.ends_with('/') { url } else { format!("{url}/") });
        }
        let backup = match env::<PathBuf>("OZODI_BACKUP_DIR")?.or_else(|| file.backup_dir.clone()) {
            None => None,
            Some(dir) => {
                let minutes = env::<i64>("OZODI_BACKUP_INTERVAL_MINUTES")?
                    .or(file.backup_interval_minutes)
                    .unwrap_or(DEFAULT_BACKUP_INTERVAL_MINUTES);
                if minutes < 1 {
                    bail!("the backup interval must be at least one minute");
                }
                let keep =
                    env::<usize>("OZODI_BACKUP_KEEP")?.or(file.backup_keep).unwrap_or(DEFAULT_BACKUP_KEEP);
                if keep < 1 {
                    bail!("backup_keep must be at least 1");
                }
                let every = std::time::Duration::from_secs(u64::try_from(minutes)?.saturating_mul(60));
                Some(BackupSchedule { dir, every, keep })
            }
        };
        let mail = match env::<String>("OZODI_SMTP_URL")?.or_else(|| file.smtp_url.clone()) {
            None => None,
            Some(url) => {
                let from = env::<String>("OZODI_SMTP_FROM")?
                    .or_else(|| file.smtp_from.clone())
                    .context("smtp_url is set but smtp_from (the sender address) is not")?;
                let password = match env::<PathBuf>("OZODI_SMTP_PASSWORD_FILE")?
                    .or_else(|| file.smtp_password_file.clone())
                {
                    None => None,
                    Some(path) => Some(
                        std::fs::read_to_string(&path)
                            .with_context(|| {
                                format!("cannot read the SMTP password file {}", path.display())
                            })?
                            .trim_end_matches(['\r', '\n'])
                            .to_owned(),
                    ),
                };
                web.email_notifications = true;
                Some(MailSettings { url, password, from })
            }
        };
        Ok(Settings {
            backup,
            mail,
            data_dir: data_dir
                .or_else(|| file.data_dir.clone())
                .unwrap_or_else(|| PathBuf::from(default_dir)),
            bind: bind.or(file.bind).unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            port: port.or(file.port).unwrap_or(DEFAULT_PORT),
            site_port: file.site_port,
            web,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file_which_beats_defaults() -> anyhow::Result<()> {
        let file: FileConfig =
            toml::from_str("port = 9000\ndata_dir = \"/srv/ozodi\"\nsession_idle_minutes = 10")?;
        let s = Settings::resolve(&file, None, "./ozodi-data", None, Some(9100))?;
        assert_eq!(s.port, 9100);
        assert_eq!(s.data_dir, PathBuf::from("/srv/ozodi"));
        assert_eq!(s.web.sessions.idle, Duration::minutes(10));
        let d = Settings::resolve(&FileConfig::default(), None, "./ozodi-data", None, None)?;
        assert_eq!(d.port, DEFAULT_PORT);
        assert_eq!(d.bind, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(d.data_dir, PathBuf::from("./ozodi-data"));
        Ok(())
    }

    #[test]
    fn backups_are_scheduled_only_with_a_directory_and_sane_values() -> anyhow::Result<()> {
        let none = Settings::resolve(&FileConfig::default(), None, "./d", None, None)?;
        assert_eq!(none.backup, None);
        let file: FileConfig = toml::from_str("backup_dir = \"/srv/backups\"\nbackup_keep = 3")?;
        let s = Settings::resolve(&file, None, "./d", None, None)?;
        let expected = BackupSchedule {
            dir: PathBuf::from("/srv/backups"),
            every: std::time::Duration::from_secs(24 * 3600),
            keep: 3,
        };
        assert_eq!(s.backup, Some(expected));
        for bad in
            ["backup_dir = \"/b\"\nbackup_keep = 0", "backup_dir = \"/b\"\nbackup_interval_minutes = 0"]
        {
            let file: FileConfig = toml::from_str(bad)?;
            assert!(Settings::resolve(&file, None, "./d", None, None).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<FileConfig>("prot = 9000").is_err());
    }
}
