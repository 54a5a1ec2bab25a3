//! Three languages: negotiation, the switcher, saved preferences, and every key the web layer uses
//! present in every catalogue.

mod common;

use common::{TestApp, TestResult, location};
use ozodi_domain::Role;
use ozodi_domain::audit::AuditKind;
use ozodi_i18n::Lang;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_follows_accept_language_then_cookie_then_account() -> TestResult {
    let app = TestApp::spawn().await;
    let c = app.client();
    let tg =
        c.get(app.url("/login")).header("accept-language", "tg-TJ,ru;q=0.5").send().await?.text().await?;
    assert!(tg.contains("lang=\"tg\"") && tg.contains("Воридшавӣ"));
    let en = c.get(app.url("/login")).header("accept-language", "en-US").send().await?.text().await?;
    assert!(en.contains("Log in"));
    let ru = c.get(app.url("/login")).send().await?.text().await?;
    assert!(ru.contains("Вход"), "Russian by default");

    // The switch keeps the visitor on the same page and sticks in a cookie.
    let r = app.post(&c, "/login", "/lang", &[("lang", "tg"), ("next", "/login?x=1")]).await;
    assert_eq!(location(&r), "/login?x=1");
    let page = c.get(app.url("/login")).header("accept-language", "en").send().await?.text().await?;
    assert!(page.contains("Воридшавӣ"), "the cookie beats Accept-Language");

    // A logged-in user's choice is saved on the account and follows them to a new browser.
    let admin = app.login("admin").await;
    let r = app.post(&admin, "/admin/users", "/lang", &[("lang", "en"), ("next", "/admin/users")]).await;
    assert_eq!(location(&r), "/admin/users");
    let fresh = app.login("admin").await;
    let html = app.get(&fresh, "/dashboard").await.text().await?;
    assert!(html.contains("Welcome, Test admin."), "{html}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_renders_in_tajik() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    app.post(&admin, "/dashboard", "/lang", &[("lang", "tg"), ("next", "/")]).await;
    let id = app.store().users().await?.into_iter().next().map(|u| u.id).ok_or("no user")?;
    for (path, expected) in [
        ("/dashboard", "Шарҳи умумӣ"),
        ("/admin/users", "Ҳисобҳои корбарон"),
        ("/admin/users/new", "Ҳисоби нав"),
        (&format!("/admin/users/{id}"), "Нақшҳо"),
        ("/admin/audit", "Феҳристи аудит"),
        ("/admin/seal", "Ҳозир мӯҳр кардан"),
        ("/account/password", "Иваз кардани парол"),
        ("/no/such/page", "Саҳифа ёфт нашуд"),
    ] {
        let r = app.get(&admin, path).await;
        let html = r.text().await?;
        assert!(html.contains("lang=\"tg\"") && html.contains(expected), "{path} lacks {expected}");
        assert!(!html.contains("-title<") && !html.contains(">nav-"), "{path} shows a raw key");
    }
    Ok(())
}

/// Keys the web layer builds at run time from codes.
fn dynamic_keys() -> Vec<String> {
    let mut keys: Vec<String> = Role::ALL.iter().map(|r| format!("role-{}", r.code())).collect();
    keys.extend(AuditKind::ALL.iter().map(|k| format!("audit-kind-{}", k.code().replace('.', "-"))));
    for kind in [
        "error-bad-request",
        "error-forbidden",
        "error-csrf",
        "error-not-found",
        "error-method",
        "error-too-large",
        "error-internal",
        "error-disk-full",
    ] {
        keys.push(format!("{kind}-title"));
        keys.push(format!("{kind}-body"));
    }
    for status in ozodi_domain::case::CaseStatus::ALL {
        keys.push(format!("case-status-{}", status.code()));
    }
    for event in ozodi_domain::case::CaseEvent::ALL {
        keys.push(format!("case-event-{}", event.code()));
    }
    for change in ["created", "updated", "deleted", "restored"] {
        keys.push(format!("case-change-{change}"));
    }
    for field in ["number", "status", "region", "hotline", "title", "summary", "lead", "deleted"] {
        keys.push(format!("case-field-{field}"));
    }
    for sex in ozodi_domain::person::Sex::ALL {
        keys.push(format!("person-sex-{}", sex.code()));
    }
    use ozodi_domain::record::{Group, Kind, Problem};
    for kind in Kind::ALL {
        keys.push(format!("record-kind-{}", kind.code()));
        keys.extend(kind.fields().iter().map(|f| format!("field-{}", f.name)));
    }
    keys.extend(
        [
            Group::Arrest,
            Group::Torture,
            Group::Killing,
            Group::Civil,
            Group::Un,
            Group::Verdict,
            Group::Conditions,
            Group::History,
            Group::Physical,
            Group::Psychological,
            Group::Interpretation,
            Group::Conclusions,
            Group::Assessment,
            Group::Outcome,
            Group::Access,
            Group::Population,
            Group::Interviews,
            Group::Aftermath,
            Group::Official,
            Group::Tracking,
        ]
        .map(|g| format!("record-group-{}", g.code())),
    );
    for state in ozodi_domain::monitoring::STATES {
        keys.push(format!("visit-state-{}", state.to_ascii_lowercase().replace('_', "-")));
    }
    for assessor in ozodi_domain::monitoring::Assessor::ALL {
        keys.push(format!("assessor-{}", assessor.code()));
    }
    {
        use ozodi_domain::monitoring::{AssessmentProblem, ImportOutcome, SkipReason, StepError};
        for e in [
            StepError::NotAllowed { from: "PLANNED", allowed: vec!["ACCESS_REQUESTED"] },
            StepError::NotAllowed { from: "CLOSED", allowed: Vec::new() },
            StepError::NoNote,
        ] {
            keys.push(e.key().to_owned());
        }
        for p in [AssessmentProblem::NoStatus, AssessmentProblem::Future, AssessmentProblem::NoEvidence] {
            keys.push(p.key().to_owned());
        }
        for o in [
            ImportOutcome::Added,
            ImportOutcome::Updated(Vec::new()),
            ImportOutcome::Skipped(SkipReason::Unchanged),
            ImportOutcome::Skipped(SkipReason::NoParagraph),
            ImportOutcome::Skipped(SkipReason::UnknownMechanism(String::new())),
            ImportOutcome::Skipped(SkipReason::Repeated),
            ImportOutcome::Skipped(SkipReason::BadText("x")),
            ImportOutcome::Skipped(SkipReason::Removed),
            ImportOutcome::Skipped(SkipReason::OtherCountry(String::new())),
        ] {
            keys.push(o.key().to_owned());
        }
    }
    for e in [
        ozodi_exchange::ReadError::NotRecognised,
        ozodi_exchange::ReadError::Spreadsheet(String::new()),
        ozodi_exchange::ReadError::Json(String::new()),
        ozodi_exchange::ReadError::NoColumns,
        ozodi_exchange::ReadError::TooMany(1),
        ozodi_exchange::ReadError::Empty,
        ozodi_exchange::ReadError::Shipped(String::new()),
    ] {
        keys.push(e.key().to_owned());
    }
    for figure in ozodi_web::handlers::monitoring::FIGURES {
        keys.push(format!("stat-{figure}"));
        keys.push(format!("stat-{figure}-rule"));
    }
    for indicator in ozodi_domain::stats::Indicator::ALL {
        keys.push(indicator.key());
        keys.push(format!("{}-rule", indicator.key()));
    }
    for d in ozodi_domain::stats::Dimension::ALL {
        keys.push(format!("stats-dimension-{}", d.code().replace('_', "-")));
    }
    for a in ozodi_domain::stats::AgeGroup::ALL {
        keys.push(format!("stats-age-{}", a.code()));
    }
    for part in [
        "torture",
        "individuals",
        "groups",
        "no-line",
        "outside-mandate",
        "art-143-1",
        "other-articles",
        "criminal-cases",
        "convicted",
        "acquitted",
        "judgments",
        "awarded",
        "median-awarded",
        "paid",
        "completed",
        "sessions",
        "events",
        "visits",
        "joint",
        "denied",
        "allegations",
        "passed-on",
        "implemented",
        "not-assessed",
    ] {
        keys.push(format!("stats-part-{part}"));
    }
    for table in ["documented-by-region-year", "victims-by-sex-age", "deaths-by-place-year"] {
        keys.push(format!("stats-public-{table}"));
    }
    for kind in Kind::ADVOCACY {
        keys.push(format!("{}-total", kind.slug()));
        keys.push(format!("{}-total-rule", kind.slug()));
    }
    for channel in ozodi_domain::intake::Channel::ALL {
        keys.push(format!("channel-{}", channel.code()));
    }
    for state in ozodi_domain::rehab::STATES {
        keys.push(format!("rehab-state-{}", state.to_ascii_lowercase().replace('_', "-")));
    }
    for state in ozodi_domain::ip::STATES {
        keys.push(format!("ip-state-{}", state.to_ascii_lowercase().replace('_', "-")));
    }
    for section in ozodi_web::handlers::court::SECTIONS {
        keys.push(format!("court-section-{section}"));
        keys.push(format!("court-section-{section}-help"));
    }
    use ozodi_domain::rehab::StepError;
    for e in [
        StepError::NotAllowed { from: "REFERRED", allowed: vec!["ASSESSED"] },
        StepError::NotAllowed { from: "COMPLETED", allowed: Vec::new() },
        StepError::NoBaseline,
        StepError::NoNote,
    ] {
        keys.push(e.key().to_owned());
    }
    for problem in [
        Problem::Required,
        Problem::BadText,
        Problem::BadCount,
        Problem::BadMoment,
        Problem::EndBeforeStart,
        Problem::SelfLink,
        Problem::BadChoice,
    ] {
        keys.push(problem.key().to_owned());
    }
    for e in ozodi_domain::dates::PartialDateError::ALL {
        keys.push(Problem::BadDate(e).key().to_owned());
    }
    keys.extend(["yes", "no", "unknown"].map(|t| format!("tri-{t}")));
    for role in ["victim", "perpetrator", "source", "witness", "relative", "related_person", "party"] {
        keys.push(format!("person-role-{role}"));
    }
    keys.push("field-version".into());
    keys.extend(
        ozodi_web::handlers::search::FACETS
            .iter()
            .map(|(name, _, _)| ozodi_web::handlers::search::facet_label(name)),
    );
    keys.extend(["same", "different"].map(|d| format!("duplicate-decision-{d}")));
    for action in ["received", "viewed", "downloaded", "exported", "verified"] {
        keys.push(format!("evidence-custody-{action}"));
    }
    for category in ozodi_store::EvidenceCategory::ALL {
        keys.push(format!("evidence-category-{}", category.code()));
    }
    for what in ["disable", "reset-password"] {
        keys.push(format!("user-{what}"));
        keys.push(format!("user-{what}-confirm-title"));
        keys.push(format!("user-{what}-confirm-body"));
    }
    keys
}

/// Keys written literally in templates and handlers: `t("…")`, `t1("…"`, `t_args("…"`, `page("…")`,
/// `fail("…")` (the `*_error_key` helpers are checked by unit tests next to them).
fn literal_keys() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // Every file under templates/ and src/, however deep.
    let mut files = Vec::new();
    let mut dirs = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let mut keys = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for call in [".t(\"", ".t1(\"", "t_args(\"", ".page(\"", "fail(\""] {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                if key.contains('-') && rest[key.len()..].starts_with('"') {
                    keys.push(key);
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_the_web_layer_uses_exists_in_every_language() {
    let literal = literal_keys();
    assert!(literal.len() > 80, "the scan found only {} keys", literal.len());
    let mut missing = Vec::new();
    for key in literal.iter().chain(dynamic_keys().iter()) {
        for lang in Lang::ALL {
            if !lang.has(key) {
                missing.push(format!("{}: {key}", lang.code()));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "missing translations:\n{}", missing.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_are_shown_in_dushanbe_time() -> TestResult {
    // The test clock stands at 06:00 UTC, which is 11:00 in Dushanbe.
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let html = app.get(&admin, "/admin/audit?kind=login.ok").await.text().await?;
    assert!(html.contains("29.11.2026 11:00"), "{html}");
    assert_eq!(app.get(&admin, "/admin/audit").await.status(), StatusCode::OK);
    Ok(())
}
