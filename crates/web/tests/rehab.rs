//! Rehabilitation over HTTP (issue 6): a psychologist on the case records a referral, the
//! assessment, sessions and the outcome along DOMAIN.md 5.7; a refused stage names the allowed
//! ones in every language; the coordinator follows the course without reading session notes;
//! the case's lawyer, an analyst on the team and clinicians off it see nothing; analysts get
//! counts that add up and carry no names.

mod common;

use common::{TestApp, escaped, raw_markup, script, submit, switch_language, text};
use ozodi_domain::case::CaseId;
use reqwest::{Client, StatusCode};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The version field of the course form.
fn version_in(html: &str) -> String {
    let from = html.find("/steps\"").unwrap_or(0);
    let rest = &html[from..];
    let at =
        rest.find("name=\"version\" value=\"").map(|i| i + "name=\"version\" value=\"".len()).unwrap_or(0);
    rest[at..].chars().take_while(char::is_ascii_digit).collect()
}

/// Moves the episode at `base` to `to` with `note`; the status and the page or redirect.
async fn step(app: &TestApp, who: &Client, base: &str, to: &str, note: &str) -> Res<(StatusCode, String)> {
    let (_, html) = text(app, who, base).await?;
    let version = version_in(&html);
    submit(app, who, base, &format!("{base}/steps"), &[("to", to), ("note", note), ("version", &version)])
        .await
}

const DATE: [(&str, &str); 3] = [("referred_at.y", "2026"), ("referred_at.m", "11"), ("referred_at.d", "20")];
const NOTES: &str = "Маркер клинической записи: кошмары реже";

#[tokio::test(flavor = "multi_thread")]
async fn an_episode_follows_its_course_and_only_its_team_and_the_coordinator_open_it() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let (_, to) =
        submit(&app, &lawyer, "/cases/new", "/cases", &[("title", "Пытки в ИВС"), ("summary", "")]).await?;
    let case = CaseId::parse(to.rsplit('/').next().unwrap_or_default()).ok_or("no case")?;
    let page = format!("/cases/{case}");
    for name in ["Реабҷон Маркерзода", "Модари Маркерзода"] {
        let (status, _) = submit(
            &app,
            &lawyer,
            &format!("{page}/persons/new"),
            &format!("{page}/persons"),
            &[("name", name)],
        )
        .await?;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let persons = app.store().persons_of_case(case).await?;
    let (victim, mother) = (persons[0].id.to_string(), persons[1].id.to_string());
    let coordinator = app.login("coordinator").await;
    for member in ["psychologist", "analyst"] {
        let (status, _) =
            submit(&app, &coordinator, &page, &format!("{page}/team"), &[("username", member)]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let psychologist = app.login("psychologist").await;
    // The lawyer, though lead of the case, neither refers nor sees rehabilitation.
    let (status, _) = text(&app, &lawyer, &format!("{page}/rehabilitation/new")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, case_page) = text(&app, &lawyer, &page).await?;
    assert!(!case_page.contains("id=\"rehab-h\""), "the lawyer's case page has no rehabilitation");

    // A referral with a bad client (another case's person, or none) is refused; nothing written.
    let new = format!("{page}/rehabilitation/new");
    let post = format!("{page}/rehabilitation");
    let (status, html) = submit(&app, &psychologist, &new, &post, &[("client_relation", "VICTIM")]).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("class=\"error\""), "the form says what is missing");
    let stranger = ozodi_domain::person::PersonId::new().to_string();
    let mut fields = vec![("client", stranger.as_str()), ("client_relation", "VICTIM")];
    fields.extend(DATE);
    let (status, _) = submit(&app, &psychologist, &new, &post, &fields).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store().episodes(Some(case), None).await?.is_empty(), "nothing was written");

    let reason = script("rehab.reason");
    let mut fields = vec![
        ("client", victim.as_str()),
        ("client_relation", "VICTIM"),
        ("referral_reason", reason.as_str()),
        ("service_kinds", "COUNSELLING"),
        ("service_kinds", "PSYCHIATRIC"),
    ];
    fields.extend(DATE);
    let (status, to) = submit(&app, &psychologist, &new, &post, &fields).await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let base = to.split('?').next().unwrap_or_default().to_owned();
    let (_, html) = text(&app, &psychologist, &base).await?;
    assert!(!raw_markup(&html) && html.contains(&escaped(&reason)), "the episode escapes what it shows");

    // An impossible stage: refused, the allowed ones named, in every language.
    for (lang, allowed, from) in [
        ("ru", "«Проведена оценка»", "Направлен"),
        ("tg", "«Арзёбӣ шуд»", "Фиристода шуд"),
        ("en", "«Assessed»", "Referred"),
    ] {
        switch_language(&app, &psychologist, lang).await?;
        let (status, html) = step(&app, &psychologist, &base, "COMPLETED", "ok").await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        assert!(html.contains(allowed) && html.contains(from), "{lang}: the refusal names {allowed}");
        assert!(html.contains("id=\"rehab-error\""), "{lang}: shown as an alert");
    }
    // The assessment needs its instrument recorded first.
    let (status, html) = step(&app, &psychologist, &base, "ASSESSED", "").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("instrument of the first assessment"), "says what is missing");
    let (_, edit) = text(&app, &psychologist, &format!("{base}/edit")).await?;
    let version = {
        let at =
            edit.find("name=\"version\" value=\"").ok_or("no version")? + "name=\"version\" value=\"".len();
        edit[at..].chars().take_while(char::is_ascii_digit).collect::<String>()
    };
    let mut fields = vec![
        ("client", victim.as_str()),
        ("client_relation", "VICTIM"),
        ("baseline_instrument", "PCL5"),
        ("baseline_score", "52"),
        ("version", version.as_str()),
    ];
    fields.extend(DATE);
    let (status, _) = submit(&app, &psychologist, &format!("{base}/edit"), &base, &fields).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The same stale form again: someone else saved meanwhile.
    let (status, _) = submit(&app, &psychologist, &format!("{base}/edit"), &base, &fields).await?;
    assert_eq!(status, StatusCode::CONFLICT);
    for to in ["ASSESSED", "IN_TREATMENT"] {
        let (status, html) = step(&app, &psychologist, &base, to, "").await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}: {html}");
    }

    // Sessions: one held with notes, one missed.
    for (day, missed) in [("24", false), ("27", true)] {
        let mut fields = vec![
            ("session_date.y", "2026"),
            ("session_date.m", "11"),
            ("session_date.d", day),
            ("modality", "INDIVIDUAL"),
            ("duration_minutes", "50"),
            ("notes", NOTES),
        ];
        if missed {
            fields.push(("missed", "on"));
        }
        let (status, to) = submit(
            &app,
            &psychologist,
            &format!("{base}/sessions/new"),
            &format!("{base}/sessions"),
            &fields,
        )
        .await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    }
    let (_, html) = text(&app, &psychologist, &base).await?;
    assert!(html.contains(NOTES), "the clinician reads the notes");

    // The coordinator follows the course, not the notes, and records no session.
    let (status, html) = text(&app, &coordinator, &base).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">S1<") && html.contains(">S2<"), "the sessions are listed");
    assert!(!html.contains("кошмары"), "the coordinator does not read session notes");
    let (status, _) = text(&app, &coordinator, &format!("{base}/sessions/new")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = submit(
        &app,
        &coordinator,
        &base,
        &format!("{base}/sessions"),
        &[("session_date.y", "2026"), ("modality", "GROUP")],
    )
    .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = step(&app, &coordinator, &base, "PAUSED", "").await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "the coordinator does not move the course");

    // Nobody else opens it: the lead lawyer, an analyst on the team, a doctor and an operator off it.
    let analyst = app.login("analyst").await;
    for who in [&lawyer, &analyst, &app.login("doctor").await, &app.login("operator").await] {
        for path in [base.clone(), format!("{base}/edit"), format!("{base}/sessions/new")] {
            let (status, html) = text(&app, who, &path).await?;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!html.contains("кошмары") && !html.contains("rehab.reason"));
        }
        let (status, _) = step(&app, who, &base, "PAUSED", "").await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    // A second client, a family member, referred by the coordinator.
    let mut fields = vec![("client", mother.as_str()), ("client_relation", "FAMILY")];
    fields.extend(DATE);
    let (status, _) = submit(&app, &coordinator, &new, &post, &fields).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The analyst's counts: one victim and one family member referred in 2026, one session held
    // (the missed one does not count), no names, no references, no notes, no links.
    let (status, html) = text(&app, &analyst, "/rehabilitation").await?;
    assert_eq!(status, StatusCode::OK);
    let clients = &html[html.find("id=\"rehab-clients\"").ok_or("no client table")?..];
    let clients = &clients[..clients.find("</table>").unwrap_or(clients.len())];
    assert!(clients.contains("<td>2026</td><td>Пострадавший</td><td>1</td>"), "{clients}");
    assert!(clients.contains("<td>2026</td><td>Член семьи пострадавшего</td><td>1</td>"), "{clients}");
    let sessions = &html[html.find("id=\"rehab-sessions\"").ok_or("no session table")?..];
    assert!(sessions.contains("<td>2026</td><td>1</td>"), "one session held");
    for secret in ["Маркерзода", "P-0", "RE-0", "/rehabilitation/", "кошмары"] {
        assert!(!html.contains(secret), "the analyst's figures show {secret}");
    }
    // The coordinator's list has both episodes; a lawyer has no such page at all.
    let (_, html) = text(&app, &coordinator, "/rehabilitation").await?;
    assert!(html.contains("RE-0001") && html.contains("RE-0002"));
    let (status, _) = text(&app, &lawyer, "/rehabilitation").await?;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Ending needs a note; an ended episode takes no more sessions.
    let (status, html) = step(&app, &psychologist, &base, "COMPLETED", " ").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ending an episode needs a note"));
    let (status, _) = step(&app, &psychologist, &base, "COMPLETED", "PCL-5 down to 21; goals met").await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = text(&app, &psychologist, &format!("{base}/sessions/new")).await?;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("no more sessions"));
    let (status, _) = submit(
        &app,
        &psychologist,
        &base,
        &format!("{base}/sessions"),
        &[("session_date.y", "2026"), ("modality", "GROUP")],
    )
    .await?;
    assert_eq!(status, StatusCode::CONFLICT);
    let episode = app
        .store()
        .episode(
            ozodi_domain::rehab::EpisodeId::parse(base.rsplit('/').next().unwrap_or_default()).ok_or("id")?,
        )
        .await?
        .ok_or("episode")?;
    assert_eq!(episode.state, "COMPLETED");
    let course: Vec<&str> = episode.steps.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(course, ["REFERRED", "ASSESSED", "IN_TREATMENT", "COMPLETED"], "refused steps left no trace");
    assert_eq!(episode.sessions.len(), 2);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_entered_by_mistake_is_removed_once_and_stays_in_the_history() -> Res<()> {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    let (_, to) =
        submit(&app, &coordinator, "/cases/new", "/cases", &[("title", "Реабилитация"), ("summary", "")])
            .await?;
    let case = CaseId::parse(to.rsplit('/').next().unwrap_or_default()).ok_or("no case")?;
    let page = format!("/cases/{case}");
    submit(&app, &coordinator, &format!("{page}/persons/new"), &format!("{page}/persons"), &[("name", "Х")])
        .await?;
    submit(&app, &coordinator, &page, &format!("{page}/team"), &[("username", "psychologist")]).await?;
    let client = app.store().persons_of_case(case).await?[0].id.to_string();
    let psychologist = app.login("psychologist").await;
    let mut fields = vec![("client", client.as_str()), ("client_relation", "VICTIM")];
    fields.extend(DATE);
    let (_, to) = submit(
        &app,
        &psychologist,
        &format!("{page}/rehabilitation/new"),
        &format!("{page}/rehabilitation"),
        &fields,
    )
    .await?;
    let base = to.split('?').next().unwrap_or_default().to_owned();
    let (status, _) = submit(
        &app,
        &psychologist,
        &format!("{base}/sessions/new"),
        &format!("{base}/sessions"),
        &[
            ("session_date.y", "2026"),
            ("session_date.m", "11"),
            ("session_date.d", "21"),
            ("modality", "ONLINE"),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = text(&app, &psychologist, &base).await?;
    assert!(html.contains("<details class=\"inline\"><summary>"), "removal asks for a confirmation first");
    let remove = format!("{base}/sessions/1/remove");
    // The coordinator cannot remove it.
    let (status, _) = submit(&app, &coordinator, &base, &remove, &[("version", "1")]).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = submit(&app, &psychologist, &base, &remove, &[("version", "1")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Twice changes nothing more.
    let (status, _) = submit(&app, &psychologist, &base, &remove, &[("version", "1")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = text(&app, &psychologist, &base).await?;
    assert!(!html.contains(">S1<"), "the removed session is no longer listed");
    let id =
        ozodi_domain::rehab::EpisodeId::parse(base.rsplit('/').next().unwrap_or_default()).ok_or("id")?;
    let episode = app.store().episode(id).await?.ok_or("episode")?;
    assert_eq!(episode.sessions.len(), 1);
    assert!(episode.sessions[0].removed, "kept as a tombstone");
    // Someone else's forged number is a 404, a non-number too.
    for path in [format!("{base}/sessions/9/remove"), format!("{base}/sessions/x/remove")] {
        let (status, _) = submit(&app, &psychologist, &base, &path, &[("version", "1")]).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    Ok(())
}
