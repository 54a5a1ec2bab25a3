//! The subcommands.

use std::process::ExitCode;

use anyhow::{Context, bail};
use ozodi::seeding;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::password::check_new_password;
use ozodi_domain::{DisplayName, Role, RoleSet, Username};
use ozodi_store::{Instance, InstanceError, NewAuditEntry, NewUser, Store, backup};
use ozodi_vault::{KdfParams, VaultError};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::cli::{
    AuditVerifyArgs, BackupArgs, DataDirArgs, DemoArgs, InitArgs, PassphraseChangeArgs, RestoreArgs,
    ServeArgs,
};
use crate::config::{FileConfig, Settings};
use crate::{say, secrets, server};

/// The demo instance's passphrase. Printed at start: the demo holds synthetic data only.
pub const DEMO_PASSPHRASE: &str = "ozodi-demo-passphrase";

fn instance_dir(file: &FileConfig, args: &DataDirArgs, default: &str) -> std::path::PathBuf {
    args.data_dir.clone().or_else(|| file.data_dir.clone()).unwrap_or_else(|| default.into())
}

fn explain(e: InstanceError) -> anyhow::Error {
    match e {
        InstanceError::Vault(VaultError::WrongPassphrase) => {
            anyhow::anyhow!("the passphrase is wrong; nothing was opened or changed")
        }
        InstanceError::Vault(VaultError::KeyFileMissing(p)) => anyhow::anyhow!(
            "no key file at {}: is this the right data directory? (create an instance with `ozodi init`)",
            p.display()
        ),
        other => anyhow::Error::new(other),
    }
}

fn audit_entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: None,
        kind,
        subject: None,
        detail: serde_json::json!({ "via": "cli" }),
        client: None,
    }
}

/// `ozodi demo`.
pub async fn demo(file: &FileConfig, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let mut settings =
        Settings::resolve(file, args.data.data_dir, "./ozodi-demo", args.listen.bind, args.listen.port)?;
    // The demo always shows the public site, on a free port unless one is asked for.
    settings.site_port = args.listen.site_port.or(settings.site_port).or(Some(0));
    let instance = Instance::at(&settings.data_dir);
    if instance.exists() {
        say(format!("reusing the demo instance in {}", settings.data_dir.display()));
    } else {
        say(format!("creating an encrypted demo instance in {}", settings.data_dir.display()));
        instance.init(DEMO_PASSPHRASE, KdfParams::default()).await.map_err(explain)?.close().await;
        let store = instance.open_for_bulk_load(DEMO_PASSPHRASE).await.map_err(explain)?;
        let seeded = match seed_demo(&store, args.cases as usize).await {
            Ok(()) => store.finish_bulk_load().await.map_err(Into::into),
            Err(e) => Err(e),
        };
        store.close().await;
        seeded.with_context(|| {
            format!("seeding the demo failed; remove {} before trying again", settings.data_dir.display())
        })?;
    }
    let passphrase = Zeroizing::new(DEMO_PASSPHRASE.to_owned());
    server::run(&settings, instance, Some(passphrase), |addr| {
        say("");
        say("ozodi demo (synthetic data only)");
        say(format!("  open:        http://{addr}/"));
        say(format!("  passphrase:  {DEMO_PASSPHRASE}   (to unseal after \"seal now\")"));
        say(format!("  password:    {}   (every account below)", seeding::DEMO_PASSWORD));
        say("  accounts:");
        for (username, _, role) in seeding::DEMO_ACCOUNTS {
            say(format!("    {username:<14} {}", role.code()));
        }
        say("  stop with Ctrl+C");
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// `ozodi site export DIR`: the public website as static files.
pub async fn site_export(file: &FileConfig, args: crate::cli::SiteExportArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(file, args.data.data_dir, "./ozodi-data", None, None)?;
    let instance = Instance::at(&settings.data_dir);
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let state = ozodi_web::AppState::new(
        settings.web.clone(),
        std::sync::Arc::new(ozodi_web::SystemClock),
        std::sync::Arc::new(instance),
    );
    state
        .unseal(&passphrase, None)
        .await
        .map_err(|f| anyhow::anyhow!("cannot unseal: {}", server::unseal_message(&f)))?;
    let base_url = args.site_url.or_else(|| settings.web.site_url.clone());
    let started = std::time::Instant::now();
    let result = ozodi_web::site::export(state.clone(), &args.dir, base_url).await;
    state.seal(None, "site export", None).await;
    let written = result.map_err(|e| anyhow::anyhow!("the site could not be written: {e}"))?;
    say(format!(
        "public site written to {}: {written} files in {:.1} s; open index.html",
        args.dir.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(ExitCode::SUCCESS)
}

/// `ozodi site import DIR --as USER`: existing publications from a folder, each reported.
pub async fn site_import(file: &FileConfig, args: crate::cli::SiteImportArgs) -> anyhow::Result<ExitCode> {
    use ozodi::site_import::Line;
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let store = instance.open(&passphrase).await.map_err(explain)?;
    let result = async {
        let username = ozodi_domain::Username::parse(&args.as_user)
            .map_err(|_| anyhow::anyhow!("{} is not a user name", args.as_user))?;
        let Some((user, _)) = store.user_for_login(&username).await? else {
            bail!("no account {}", args.as_user)
        };
        let actor = ozodi_domain::Actor { id: user.id, roles: user.roles, must_change_password: false };
        if user.disabled
            || !ozodi_domain::can(&actor, ozodi_domain::Action::Update, ozodi_domain::Resource::Site)
        {
            bail!("{} may not publish on the public site (an editor or a coordinator may)", args.as_user);
        }
        ozodi::site_import::import(&store, &args.dir, user.id, !args.draft, OffsetDateTime::now_utc()).await
    }
    .await;
    store.close().await;
    let lines = result?;
    let (mut added, mut there, mut failed) = (0, 0, 0);
    for line in &lines {
        match line {
            Line::Added { row, reference, title } => {
                added += 1;
                say(format!("row {row:>4}  imported   {reference}  {title}"));
            }
            Line::AlreadyThere { row, title } => {
                there += 1;
                say(format!("row {row:>4}  skipped    imported before  {title}"));
            }
            Line::Failed { row, file, reason } => {
                failed += 1;
                say(format!("row {row:>4}  failed     {}: {reason}", file.as_deref().unwrap_or("-")));
            }
        }
    }
    say(format!(
        "{added} imported{}, {there} imported before, {failed} failed",
        if args.draft { " as drafts" } else { " and published" }
    ));
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Creates the demo accounts and loads the demo dataset (invented cases) through the store API.
async fn seed_demo(store: &ozodi_store::SqliteStore, count: usize) -> anyhow::Result<()> {
    let accounts = seeding::Accounts::demo(store, seeding::DEMO_PASSWORD).await?;
    let (facilities, mut cases) = if count == ozodi_seed::DEMO_CASES {
        ozodi_seed::demo(ozodi_seed::DEMO_SEED)
    } else {
        let mut generator = ozodi_seed::Generator::new(ozodi_seed::DEMO_SEED);
        let facilities = generator.facilities(ozodi_seed::facility_count(count));
        let cases = generator.cases(&facilities, count).collect();
        (facilities, cases)
    };
    // In the order they were opened, so case numbers follow the dates within each year.
    cases.sort_by_key(|c| c.opened_on);
    let total = cases.len();
    say(format!("seeding {total} synthetic cases and {} places of detention…", facilities.len()));
    let started = std::time::Instant::now();
    let report = seeding::load(store, &facilities, cases.into_iter(), &accounts, |done| {
        if done.is_multiple_of(100.max(total / 20)) || done == total {
            say(format!("  {done}/{total}"));
        }
    })
    .await?;
    seeding::demo_intake(store, &accounts).await?;
    seeding::demo_legal(store, &accounts).await?;
    let (added, unverified) = seeding::recommendations(store, accounts.lawyer.id).await?;
    say(format!(
        "loaded {added} UN recommendations to Tajikistan ({unverified} not yet checked against the official text)"
    ));
    seeding::demo_monitoring(store, &accounts).await?;
    seeding::demo_site(store).await?;
    say(format!(
        "seeded {} cases, {} persons and {} records in {:.1} s",
        report.cases,
        report.persons,
        report.records(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// `ozodi init`.
pub async fn init(file: &FileConfig, args: InitArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    if instance.exists() {
        bail!("an instance already exists in {}; refusing to overwrite it", dir.display());
    }
    let username = Username::parse(&args.admin_username).context("invalid administrator user name")?;
    let display_name = DisplayName::parse(&args.admin_name).context("invalid administrator display name")?;
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "instance passphrase", true)?;
    let password =
        secrets::file_or_prompt(args.admin_password_file.as_deref(), "administrator password", true)?;
    check_new_password(&password, &password, &username)
        .map_err(|e| anyhow::anyhow!("the administrator password is not acceptable: {e}"))?;
    let hash = ozodi_vault::password::hash(&password)?;

    let store = instance.init(&passphrase, KdfParams::default()).await.map_err(explain)?;
    let roles: RoleSet = [Role::Admin].into_iter().collect();
    let user = NewUser { username, display_name, password_hash: hash, roles, must_change_password: false };
    let mut entry = audit_entry(AuditKind::UserCreated);
    entry.detail = serde_json::json!({ "via": "init", "roles": ["admin"] });
    let admin = store.create_user(user, entry).await?;
    let seeded = seeding::recommendations(&store, admin).await;
    store.close().await;
    let (added, unverified) = seeded.context("loading the shipped UN recommendations failed")?;
    say(format!("created a new encrypted instance in {}", dir.display()));
    say(format!(
        "loaded {added} UN recommendations to Tajikistan ({unverified} not yet checked against the official text)"
    ));
    say("keep the passphrase safe: without it the data cannot be read by anyone, including you");
    Ok(ExitCode::SUCCESS)
}

/// `ozodi serve`.
pub async fn serve(file: &FileConfig, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut settings =
        Settings::resolve(file, args.data.data_dir, "./ozodi-data", args.listen.bind, args.listen.port)?;
    settings.site_port = args.listen.site_port.or(settings.site_port);
    let instance = Instance::at(&settings.data_dir);
    if !instance.key_path().exists() {
        bail!(
            "no instance in {} (no key file); create one with `ozodi init --data-dir {}`",
            settings.data_dir.display(),
            settings.data_dir.display()
        );
    }
    let passphrase = match (&args.passphrase.passphrase_file, args.prompt) {
        (Some(path), _) => Some(secrets::from_file(path, "passphrase")?),
        (None, true) => Some(secrets::prompt("Instance passphrase")?),
        (None, false) => None,
    };
    server::run(&settings, instance, passphrase, |_| {}).await?;
    Ok(ExitCode::SUCCESS)
}

/// `ozodi seal`.
pub async fn seal(file: &FileConfig, args: DataDirArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args, "./ozodi-data");
    let reply = server::request_seal(&dir).await?;
    say(&reply);
    Ok(if reply == "sealed" || reply == "already sealed" { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `ozodi passphrase change`.
pub async fn change_passphrase(file: &FileConfig, args: PassphraseChangeArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    let old =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "current passphrase", false)?;
    let new = secrets::file_or_prompt(args.new_passphrase_file.as_deref(), "new passphrase", true)?;
    instance.change_passphrase(&old, &new).await.map_err(explain)?;
    let store = instance.open(&new).await.map_err(explain)?;
    store.audit(audit_entry(AuditKind::PassphraseChanged)).await?;
    store.close().await;
    say("the passphrase was changed; the data key and the database are unchanged");
    Ok(ExitCode::SUCCESS)
}

/// `ozodi audit verify`.
pub async fn verify_audit(file: &FileConfig, args: AuditVerifyArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let store = instance.open(&passphrase).await.map_err(explain)?;
    let result = store.verify_audit().await;
    store.close().await;
    match result? {
        Ok(report) => {
            let hex = |head: [u8; 32]| head.iter().map(|b| format!("{b:02x}")).collect::<String>();
            say(format!(
                "audit trail intact: {} entries of changes, head {}; {} entries in the access log, head {}",
                report.changes.entries,
                hex(report.changes.head),
                report.access.entries,
                hex(report.access.head)
            ));
            Ok(ExitCode::SUCCESS)
        }
        Err(b) => {
            let trail = match b.trail {
                ozodi_store::Trail::Changes => "trail of changes",
                ozodi_store::Trail::Access => "access log",
            };
            say(format!("AUDIT TRAIL BROKEN in the {trail} at entry {}: {}", b.brk.seq, b.brk.reason));
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `ozodi evidence verify`: decrypts and re-hashes every original, one chunk at a time; records a
/// "verified" custody event for each intact one.
pub async fn verify_evidence(file: &FileConfig, args: AuditVerifyArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let store = instance.open(&passphrase).await.map_err(explain)?;
    let result = check_evidence(&store).await;
    store.close().await;
    let (checked, problems) = result?;
    if problems.is_empty() {
        say(format!("evidence intact: {checked} files, each matching its recorded SHA-256"));
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        say(problem);
    }
    say(format!("EVIDENCE PROBLEMS: {} of {checked} files", problems.len()));
    Ok(ExitCode::FAILURE)
}

async fn check_evidence(store: &ozodi_store::SqliteStore) -> anyhow::Result<(usize, Vec<String>)> {
    use ozodi_vault::blob::{BlobError, blob_path, verify_blob};
    let files = store.evidence_files();
    let items = store.all_evidence().await?;
    let mut problems = Vec::new();
    for item in &items {
        let id = item.id.to_string();
        let (key, dir) = files.of(item.identity);
        let path = blob_path(dir, &id)?;
        let outcome = match verify_blob(key, &id, &path).await {
            Ok(digest) if hex::encode(digest.sha256) == item.sha256 && digest.size == item.size => Ok(()),
            Ok(digest) => Err(format!(
                "{} ({id}): ALTERED: SHA-256 {} does not match the recorded {}",
                item.reference(),
                hex::encode(digest.sha256),
                item.sha256
            )),
            Err(BlobError::Missing(_)) => {
                Err(format!("{} ({id}): MISSING: {}", item.reference(), path.display()))
            }
            Err(BlobError::Corrupt(_)) => Err(format!(
                "{} ({id}): DAMAGED: the encrypted file fails authentication (altered or truncated)",
                item.reference()
            )),
            Err(e) => Err(format!("{} ({id}): cannot be read: {e}", item.reference())),
        };
        let mut entry = audit_entry(AuditKind::EvidenceCustody);
        entry.subject = Some(id.clone());
        let detail = match &outcome {
            Ok(()) => serde_json::json!({ "sha256": item.sha256, "result": "intact", "via": "cli" }),
            Err(_) => serde_json::json!({ "sha256": item.sha256, "result": "failed", "via": "cli" }),
        };
        entry.detail = serde_json::json!({ "action": "verified", "result": detail["result"], "via": "cli" });
        store.record_custody(item.id, "verified", detail, entry).await?;
        if let Err(problem) = outcome {
            problems.push(problem);
        }
    }
    // Files nobody recorded (a crash between sealing a file and recording it leaves one behind).
    for dir in [&files.dir, &files.identity_dir] {
        let Ok(mut entries) = tokio::fs::read_dir(dir).await else { continue };
        while let Some(entry) = entries.next_entry().await? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".blob")
                && !items.iter().any(|i| i.id.to_string() == id)
            {
                problems.push(format!("{name}: UNRECORDED: a file with no evidence record"));
            }
        }
    }
    Ok((items.len(), problems))
}

/// `ozodi search rebuild`: recomputes every case's search document from the records.
pub async fn rebuild_search(file: &FileConfig, args: AuditVerifyArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let store = instance.open(&passphrase).await.map_err(explain)?;
    let started = std::time::Instant::now();
    let result = store.rebuild_search_index().await;
    store.close().await;
    let cases = result?;
    say(format!("search index rebuilt: {cases} cases in {:.1} s", started.elapsed().as_secs_f64()));
    Ok(ExitCode::SUCCESS)
}

/// Prints a backup's progress: each step once, and the bytes in steps of a tenth.
fn progress_printer() -> impl Fn(backup::Progress) + Send + Sync {
    let last = std::sync::atomic::AtomicU64::new(u64::MAX);
    move |step| match step {
        backup::Progress::Snapshot => say("copying the databases (a consistent snapshot)…"),
        backup::Progress::Checking => say("counting and verifying the copy…"),
        backup::Progress::Writing { done, total } => {
            let tenth = done.saturating_mul(10) / total.max(1);
            if last.swap(tenth, std::sync::atomic::Ordering::Relaxed) != tenth {
                say(format!(
                    "  writing the archive: {}% ({} of {})",
                    tenth * 10,
                    megabytes(done),
                    megabytes(total)
                ));
            }
        }
        backup::Progress::Unpacking { done } => {
            let step = done / (512 << 20);
            if last.swap(step, std::sync::atomic::Ordering::Relaxed) != step {
                say(format!("  unpacked {}", megabytes(done)));
            }
        }
        backup::Progress::Verifying => say("checking the audit chains, the counts and every evidence file…"),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn describe(manifest: &backup::Manifest) -> String {
    format!(
        "{} cases, {} persons, {} records, {} evidence files, {} + {} audit entries; taken {}",
        manifest.count("cases"),
        manifest.count("persons"),
        manifest.count("records"),
        manifest.evidence.len(),
        manifest.count("audit_changes"),
        manifest.count("audit_access"),
        manifest.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    )
}

/// The directory an archive is checked in: next to it.
fn beside(file: &std::path::Path) -> std::path::PathBuf {
    file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).to_owned()
}

/// `ozodi backup FILE` and `ozodi backup --verify FILE`.
pub async fn backup(file: &FileConfig, args: BackupArgs) -> anyhow::Result<ExitCode> {
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let progress = progress_printer();
    if args.verify {
        let key = backup::unwrap_key(&args.file, &passphrase).await?;
        let manifest = backup::verify(&args.file, &key, &beside(&args.file), &progress).await?;
        say(format!("backup intact and restorable: {}", describe(&manifest)));
        if let Some(brk) = &manifest.audit_break {
            say(format!("NOTE: the audit trail was already broken when this backup was taken: {brk}"));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let instance = Instance::at(&dir);
    let store = instance.open(&passphrase).await.map_err(explain)?;
    let written = async {
        let manifest = store.write_backup(&instance.key_path(), &args.file, &progress).await?;
        say(format!("written {} ({})", args.file.display(), megabytes(std::fs::metadata(&args.file)?.len())));
        // With the key the open store holds: no second Argon2id unwrap of the passphrase.
        let verified = store.verify_backup(&args.file, &beside(&args.file), &progress).await;
        store.audit(manifest.created_entry("cli", &args.file, verified.is_ok())).await?;
        verified.context("the archive was written but failed its check; do not rely on it")?;
        Ok::<_, anyhow::Error>(manifest)
    }
    .await;
    store.close().await;
    let manifest = written?;
    say(format!("backup written and verified by a trial restore: {}", describe(&manifest)));
    if let Some(brk) = &manifest.audit_break {
        say(format!("WARNING: the audit trail is broken in the instance itself: {brk}"));
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `ozodi restore FILE --data-dir DIR`.
pub async fn restore(file: &FileConfig, args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let dir = instance_dir(file, &args.data, "./ozodi-data");
    let passphrase =
        secrets::file_or_prompt(args.passphrase.passphrase_file.as_deref(), "passphrase", false)?;
    let key = backup::unwrap_key(&args.file, &passphrase).await?;
    let manifest = backup::restore(&args.file, &key, &dir, &progress_printer()).await?;
    let store = Instance::at(&dir).open(&passphrase).await.map_err(explain)?;
    let mut entry = audit_entry(AuditKind::Restored);
    entry.detail = serde_json::json!({
        "via": "cli",
        "file": args.file.file_name().map(|n| n.to_string_lossy().into_owned()),
        "taken": manifest.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    });
    let audited = store.audit(entry).await;
    store.close().await;
    audited?;
    say(format!("restored into {} and verified: {}", dir.display(), describe(&manifest)));
    say(format!("serve it with: ozodi serve --data-dir {}", dir.display()));
    Ok(ExitCode::SUCCESS)
}
