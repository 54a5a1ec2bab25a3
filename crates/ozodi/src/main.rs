//! The `ozodi` binary: parses the command line, sets up logging and runs one subcommand. Thin by
//! design; the work is in the library crates.

mod cli;
mod commands;
mod config;
mod mail;
mod secrets;
mod server;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::cli::{
    AuditCommand, Cli, Command, EvidenceCommand, PassphraseCommand, SearchCommand, SiteCommand,
};
use crate::config::FileConfig;

/// Writes a line for the operator on standard output (URLs, accounts, results).
pub fn say(line: impl AsRef<str>) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", line.as_ref());
    let _ = out.flush();
}

fn init_logging(file: &FileConfig) {
    let filter = std::env::var("OZODI_LOG")
        .ok()
        .or_else(|| file.log.clone())
        .unwrap_or_else(|| "info,sqlx=warn".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let file = match FileConfig::load(cli.config.as_deref()) {
        Ok(file) => file,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&file);
    let result = match cli.command {
        Command::Demo(args) => commands::demo(&file, args).await,
        Command::Init(args) => commands::init(&file, args).await,
        Command::Serve(args) => commands::serve(&file, args).await,
        Command::Seal(args) => commands::seal(&file, args).await,
        Command::Passphrase(PassphraseCommand::Change(args)) => {
            commands::change_passphrase(&file, args).await
        }
        Command::Audit(AuditCommand::Verify(args)) => commands::verify_audit(&file, args).await,
        Command::Evidence(EvidenceCommand::Verify(args)) => commands::verify_evidence(&file, args).await,
        Command::Search(SearchCommand::Rebuild(args)) => commands::rebuild_search(&file, args).await,
        Command::Backup(args) => commands::backup(&file, args).await,
        Command::Restore(args) => commands::restore(&file, args).await,
        Command::Site(SiteCommand::Export(args)) => commands::site_export(&file, args).await,
        Command::Site(SiteCommand::Import(args)) => commands::site_import(&file, args).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
