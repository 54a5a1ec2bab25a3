//! The command line: one binary whose subcommands cover running the server and every
//! administrative task. `--help` never shows secrets: passphrases are only ever read from files,
//! the environment (a variable naming a file) or a terminal prompt without echo.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// ozodi: secure documentation and case management against torture.
#[derive(Debug, Parser)]
#[command(name = "ozodi", version, about, propagate_version = true)]
pub struct Cli {
    /// TOML configuration file (settings there are overridden by OZODI_* variables and flags).
    #[arg(long, global = true, env = "OZODI_CONFIG", hide_env_values = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an encrypted demo instance with synthetic accounts (created on first run, reused after).
    Demo(DemoArgs),
    /// Create a new instance: data directory, key file, encrypted database, first administrator.
    Init(InitArgs),
    /// Serve an instance. Starts sealed unless a passphrase is supplied.
    Serve(ServeArgs),
    /// Seal a running server: it drops its keys and serves only the unseal page.
    Seal(DataDirArgs),
    /// Manage the instance passphrase.
    #[command(subcommand)]
    Passphrase(PassphraseCommand),
    /// Work with the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Work with the evidence files.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Work with the search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Write an encrypted backup archive of an instance (while its server runs), and verify it
    /// by a trial restore; with --verify, only check an existing archive.
    Backup(BackupArgs),
    /// Work with the public website.
    #[command(subcommand)]
    Site(SiteCommand),
    /// Restore a backup archive into a new data directory (never over an existing instance).
    Restore(RestoreArgs),
}

/// Where the instance lives.
#[derive(Debug, Args)]
pub struct DataDirArgs {
    /// Data directory of the instance [default: ./ozodi-data, or ./ozodi-demo for `demo`].
    #[arg(long, env = "OZODI_DATA_DIR", hide_env_values = true)]
    pub data_dir: Option<PathBuf>,
}

/// Where to listen.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to listen on [default: 127.0.0.1].
    #[arg(long, env = "OZODI_BIND", hide_env_values = true)]
    pub bind: Option<std::net::IpAddr>,
    /// Port of the public website (its own listener, on the same address); 0 picks a free port.
    /// Without it, `serve` runs no public site and `demo` runs it on a free port.
    #[arg(long, env = "OZODI_SITE_PORT")]
    pub site_port: Option<u16>,
    /// Port to listen on; 0 picks a free port and prints it [default: 8080].
    #[arg(long, env = "OZODI_PORT", hide_env_values = true)]
    pub port: Option<u16>,
}

/// Where a passphrase comes from, if not from a prompt.
#[derive(Debug, Args)]
pub struct PassphraseArgs {
    /// File holding the instance passphrase (first line). The variable names the file, never
    /// the passphrase itself.
    #[arg(long, env = "OZODI_PASSPHRASE_FILE", hide_env_values = true)]
    pub passphrase_file: Option<PathBuf>,
}

/// `ozodi demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub listen: ListenArgs,
    /// How many invented cases a new demo instance gets (the fixed-seed generator scales to
    /// 100,000 for load tests).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=200_000))]
    pub cases: u32,
}

/// `ozodi init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
    /// Login name of the first administrator.
    #[arg(long, default_value = "admin")]
    pub admin_username: String,
    /// Display name of the first administrator.
    #[arg(long, default_value = "Administrator")]
    pub admin_name: String,
    /// File holding the first administrator's password (first line); asked at the terminal
    /// without echo when absent.
    #[arg(long)]
    pub admin_password_file: Option<PathBuf>,
}

/// `ozodi serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub listen: ListenArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
    /// Ask for the passphrase at the terminal (without echo) before serving.
    #[arg(long, conflicts_with = "passphrase_file")]
    pub prompt: bool,
}

/// `ozodi passphrase …`.
#[derive(Debug, Subcommand)]
pub enum PassphraseCommand {
    /// Rewrap the data key under a new passphrase. The database is not re-encrypted.
    Change(PassphraseChangeArgs),
}

/// `ozodi passphrase change`.
#[derive(Debug, Args)]
pub struct PassphraseChangeArgs {
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
    /// File holding the new passphrase (first line); asked twice at the terminal when absent.
    #[arg(long)]
    pub new_passphrase_file: Option<PathBuf>,
}

/// `ozodi audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the audit hash chain. Exits 0 when intact, 1 naming the first bad entry.
    Verify(AuditVerifyArgs),
}

/// `ozodi audit verify`.
#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// `ozodi evidence …`.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Re-hash every original: exits 0 when every file is present and matches its recorded SHA-256,
    /// 1 listing each missing, damaged or altered file.
    Verify(AuditVerifyArgs),
}

/// `ozodi backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The archive to write (refused if it exists), or with --verify the archive to check.
    pub file: PathBuf,
    /// Only check FILE: unpack it into a private directory beside it, verify every file, the
    /// audit chains, the counts and every evidence file, then remove what was unpacked.
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// `ozodi restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup archive.
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// `ozodi site …`.
#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Write the whole public website (pages, feeds, sitemap, files) into a folder as static
    /// files with relative links: a mirror for any static host, or a copy on a USB stick that
    /// opens from the file system when the site is blocked.
    Export(SiteExportArgs),
    /// Bring existing publications over from a folder of Markdown or HTML files with an index
    /// (index.csv, index.yaml or index.yml: title, date, kind, language, tags, file; optional
    /// summary, authors, translation, id). Reports each item imported, skipped or failed and why;
    /// safe to run twice.
    Import(SiteImportArgs),
}

/// `ozodi site import`.
#[derive(Debug, Args)]
pub struct SiteImportArgs {
    /// The folder holding the index and the files.
    pub dir: PathBuf,
    /// The account the publications are recorded by: an editor or a coordinator.
    #[arg(long = "as", value_name = "USERNAME")]
    pub as_user: String,
    /// Keep the imported items as drafts to be reviewed, instead of publishing them at once.
    #[arg(long)]
    pub draft: bool,
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// `ozodi site export`.
#[derive(Debug, Args)]
pub struct SiteExportArgs {
    /// The folder to write (created; refused if it exists and is not empty).
    pub dir: PathBuf,
    /// The site's public address for the sitemap, feeds and previews (https://…/), if not
    /// configured as `site_url`.
    #[arg(long)]
    pub site_url: Option<String>,
    #[command(flatten)]
    pub data: DataDirArgs,
    #[command(flatten)]
    pub passphrase: PassphraseArgs,
}

/// `ozodi search …`.
#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the records (after relabelling vocabulary terms, or to check
    /// that the index is derived data). Run it with the server stopped or sealed.
    Rebuild(AuditVerifyArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_help_and_help_hides_environment_values() {
        let mut cmd = Cli::command();
        for sub in ["demo", "init", "serve", "seal", "passphrase", "audit", "evidence", "search"] {
            let found = cmd.find_subcommand_mut(sub).map(|s| s.render_long_help().to_string());
            let help = found.unwrap_or_else(|| panic!("no subcommand {sub}"));
            assert!(!help.is_empty(), "{sub} has no help");
        }
        // SAFETY of the assertion: the variable is set in this test process only.
        let help = Cli::command().find_subcommand_mut("serve").map(|s| s.render_long_help().to_string());
        let help = help.unwrap_or_default();
        assert!(help.contains("OZODI_PASSPHRASE_FILE"));
        assert!(!help.contains("=/"), "environment values must never be shown: {help}");
    }

    #[test]
    fn parses_the_documented_commands() {
        let ok = |args: &[&str]| Cli::try_parse_from(args).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(ok(&["ozodi", "demo", "--port", "0"]), Ok(()));
        assert_eq!(ok(&["ozodi", "serve", "--data-dir", "/tmp/x", "--passphrase-file", "/tmp/p"]), Ok(()));
        assert_eq!(ok(&["ozodi", "passphrase", "change", "--new-passphrase-file", "/tmp/n"]), Ok(()));
        assert_eq!(ok(&["ozodi", "audit", "verify"]), Ok(()));
        assert_eq!(ok(&["ozodi", "evidence", "verify", "--data-dir", "/tmp/x"]), Ok(()));
        assert_eq!(ok(&["ozodi", "search", "rebuild", "--data-dir", "/tmp/x"]), Ok(()));
        assert_eq!(ok(&["ozodi", "seal"]), Ok(()));
        assert_eq!(ok(&["ozodi", "site", "export", "/tmp/site", "--data-dir", "/tmp/x"]), Ok(()));
        assert_eq!(ok(&["ozodi", "demo", "--site-port", "0"]), Ok(()));
        assert_eq!(ok(&["ozodi", "site", "import", "/tmp/old", "--as", "editor", "--draft"]), Ok(()));
        assert!(ok(&["ozodi", "site", "import", "/tmp/old"]).is_err(), "the account is required");
        assert_eq!(ok(&["ozodi", "backup", "/tmp/b.ozb", "--data-dir", "/tmp/x"]), Ok(()));
        assert_eq!(ok(&["ozodi", "backup", "--verify", "/tmp/b.ozb"]), Ok(()));
        assert_eq!(ok(&["ozodi", "restore", "/tmp/b.ozb", "--data-dir", "/tmp/y"]), Ok(()));
        assert!(ok(&["ozodi", "backup"]).is_err(), "the archive is required");
        assert!(ok(&["ozodi", "serve", "--prompt", "--passphrase-file", "/tmp/p"]).is_err());
        assert!(ok(&["ozodi", "serve", "--port", "99999"]).is_err());
        assert!(ok(&["ozodi", "unknown"]).is_err());
    }
}
