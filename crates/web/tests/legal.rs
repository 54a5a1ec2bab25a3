//! Legal work over HTTP (issue 6): proceedings follow their state machines and a refused step
//! names the allowed ones, in every language; a civil claim's amounts add up in diram and its
//! payment states follow the payments; accused link the case's perpetrators with their verdicts;
//! hearings and deadlines are on the case's and the lawyer's calendars, remind the responsible
//! lawyer once, and reach a phone through a revocable feed that carries no names.

mod common;

use common::{TestApp, submit, switch_language, text};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseId;
use ozodi_domain::intake::NotificationKind;
use ozodi_domain::legal::Money;
use ozodi_domain::record::RecordId;
use ozodi_store::AuditFilter;
use reqwest::{Client, StatusCode};
use time::Duration;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// A case opened by `client`, with `members` added to its team by the coordinator.
async fn open_case(app: &TestApp, client: &Client, members: &[&str]) -> Res<CaseId> {
    let (status, to) =
        submit(app, client, "/cases/new", "/cases", &[("title", "Пытки в ИВС"), ("summary", "Сводка.")])
            .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = CaseId::parse(to.rsplit('/').next().unwrap_or_default()).ok_or("no case id")?;
    let coordinator = app.login("coordinator").await;
    let page = format!("/cases/{id}");
    for member in members {
        let (status, _) =
            submit(app, &coordinator, &page, &format!("{page}/team"), &[("username", member)]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{member} added");
    }
    Ok(id)
}

/// Creates a record of the case from its form; returns its id.
async fn create(
    app: &TestApp,
    client: &Client,
    case: CaseId,
    slug: &str,
    fields: &[(&str, &str)],
) -> Res<RecordId> {
    let base = format!("/cases/{case}/{slug}");
    let (status, to) = submit(app, client, &format!("{base}/new"), &base, fields).await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{slug} not created: {to}");
    let id = to.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default();
    Ok(RecordId::parse(id).ok_or("no record id")?)
}

/// Records a step on a proceeding; the form's step count comes from the store (as the page shows).
async fn step(
    app: &TestApp,
    client: &Client,
    case: CaseId,
    proceeding: RecordId,
    to: &str,
    extra: &[(&str, &str)],
) -> Res<(StatusCode, String)> {
    let (_, state) = app.store().proceeding_state(proceeding).await?.ok_or("no proceeding")?;
    let seq = state.seq.to_string();
    let page = format!("/cases/{case}/proceedings/{proceeding}");
    let today = app.state.now().to_offset(ozodi_domain::dates::DUSHANBE).date().to_string();
    let mut fields = vec![("to", to), ("seq", seq.as_str()), ("decided_on", today.as_str())];
    fields.extend_from_slice(extra);
    submit(app, client, &page, &format!("{page}/steps"), &fields).await
}

async fn state_of(app: &TestApp, proceeding: RecordId) -> Res<String> {
    Ok(app.store().proceeding_state(proceeding).await?.ok_or("no proceeding")?.1.state)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_complaint_follows_its_machine_and_a_refused_step_names_the_allowed_ones() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = open_case(&app, &lawyer, &["doctor"]).await?;
    let complaint = create(
        &app,
        &lawyer,
        case,
        "proceedings",
        &[
            ("proceeding_kind", "COMPLAINT"),
            ("title", "Заявление в прокуратуру района"),
            ("forum", "PROSECUTOR_DISTRICT"),
            ("external_ref", "№ 123"),
        ],
    )
    .await?;
    assert_eq!(state_of(&app, complaint).await?, "DRAFT", "a complaint starts as a draft");
    let (_, page) = text(&app, &lawyer, &format!("/cases/{case}")).await?;
    assert!(
        page.contains("Заявление в прокуратуру района") && page.contains("Черновик"),
        "the case lists it"
    );

    // An impossible step: refused, nothing recorded, the allowed step named, in every language.
    for (lang, allowed, from) in
        [("ru", "«Подано»", "Черновик"), ("tg", "«Пешниҳод шуд»", "Лоиҳа"), ("en", "«Filed»", "Draft")]
    {
        switch_language(&app, &lawyer, lang).await?;
        let (status, page) =
            step(&app, &lawyer, case, complaint, "REFUSED", &[("ground", "NO_CORPUS")]).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        assert!(page.contains(allowed) && page.contains(from), "{lang}: the refusal names {allowed}");
        assert!(page.contains("id=\"step-error\""), "{lang}: shown as an alert");
    }
    assert_eq!(app.store().proceeding_steps(complaint).await?.len(), 1, "nothing recorded");
    // A state of another kind of proceeding, and a forged one.
    for forged in ["TRIAL", "NONSENSE"] {
        let (status, _) = step(&app, &lawyer, case, complaint, forged, &[]).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{forged}");
    }

    // The allowed path; a refusal needs its ground.
    for to in ["FILED", "PRE_INVESTIGATION_CHECK"] {
        let (status, _) = step(&app, &lawyer, case, complaint, to, &[]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    }
    let (status, page) = step(&app, &lawyer, case, complaint, "REFUSED", &[]).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("needs its ground"), "the ground is asked for");
    let (status, _) =
        step(&app, &lawyer, case, complaint, "REFUSED", &[("ground", "SELF_INFLICTED")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A decision dated tomorrow is refused; so is a form drawn before someone else's step.
    let tomorrow = (app.state.now() + Duration::days(2)).date().to_string();
    let page = format!("/cases/{case}/proceedings/{complaint}");
    let (status, _) = submit(
        &app,
        &lawyer,
        &page,
        &format!("{page}/steps"),
        &[("to", "REFUSAL_APPEALED"), ("seq", "4"), ("decided_on", &tomorrow)],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a future date");
    let today = app.state.now().date().to_string();
    let (status, _) = submit(
        &app,
        &lawyer,
        &page,
        &format!("{page}/steps"),
        &[("to", "REFUSAL_APPEALED"), ("seq", "3"), ("decided_on", &today)],
    )
    .await?;
    assert_eq!(status, StatusCode::CONFLICT, "a stale form");
    for to in ["REFUSAL_APPEALED", "REFUSAL_UPHELD"] {
        let (status, _) = step(&app, &lawyer, case, complaint, to, &[]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    }
    // A final state is left only by re-opening, with a reason.
    let (status, _) = step(&app, &lawyer, case, complaint, "PRE_INVESTIGATION_CHECK", &[]).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "re-opening without a reason");
    let (status, _) = step(
        &app,
        &lawyer,
        case,
        complaint,
        "PRE_INVESTIGATION_CHECK",
        &[("note", "Новое заключение судебно-медицинской экспертизы")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "re-opened with a reason");
    let steps = app.store().proceeding_steps(complaint).await?;
    let states: Vec<&str> = steps.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(
        states,
        [
            "DRAFT",
            "FILED",
            "PRE_INVESTIGATION_CHECK",
            "REFUSED",
            "REFUSAL_APPEALED",
            "REFUSAL_UPHELD",
            "PRE_INVESTIGATION_CHECK"
        ]
    );
    assert_eq!(steps[3].ground.as_deref(), Some("SELF_INFLICTED"));
    let audited = app
        .store()
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::ProceedingStep),
            limit: 50,
            ..Default::default()
        })
        .await?;
    assert_eq!(audited.len(), 6, "every step is audited");

    // The doctor on the team sees where it stands but does not move it, nor change the proceeding.
    let doctor = app.login("doctor").await;
    let (status, page) = text(&app, &doctor, &format!("/cases/{case}/proceedings/{complaint}")).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Доследственная проверка") && !page.contains("name=\"seq\""), "read only");
    let (status, _) = step(&app, &doctor, case, complaint, "CASE_OPENED", &[]).await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "a doctor records no steps");
    let (status, _) = text(&app, &doctor, &format!("/cases/{case}/proceedings/{complaint}/edit")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor edits the proceeding");
    // The kind of a proceeding cannot change once it has a history.
    let (status, _) = submit(
        &app,
        &lawyer,
        &page_of(case, complaint),
        &page_of(case, complaint),
        &[("proceeding_kind", "CIVIL"), ("title", "Заявление в прокуратуру района"), ("version", "1")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the kind is fixed");
    assert_eq!(state_of(&app, complaint).await?, "PRE_INVESTIGATION_CHECK");
    Ok(())
}

fn page_of(case: CaseId, proceeding: RecordId) -> String {
    format!("/cases/{case}/proceedings/{proceeding}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_civil_claim_adds_up_its_payments_in_diram_and_its_states_follow_them() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = open_case(&app, &lawyer, &[]).await?;
    // Civil amounts on a complaint are refused, and so is an amount that is not one.
    let base = format!("/cases/{case}/proceedings");
    let (status, page) = submit(
        &app,
        &lawyer,
        &format!("{base}/new"),
        &base,
        &[("proceeding_kind", "COMPLAINT"), ("title", "Заявление"), ("claimed", "1000")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("does not belong") || page.contains("не относится"), "says why");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{base}/new"),
        &base,
        &[("proceeding_kind", "CIVIL"), ("title", "Иск"), ("claimed", "12,345")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "three decimals");
    let claim = create(
        &app,
        &lawyer,
        case,
        "proceedings",
        &[
            ("proceeding_kind", "CIVIL"),
            ("title", "Иск о компенсации морального вреда"),
            ("claimed", "50 000"),
            ("awarded", "25 000,50"),
            ("defendant", "Министерство финансов"),
        ],
    )
    .await?;
    // Payments: 10 000,25 + 0,10 + 0,20, and one recorded by mistake and removed.
    for amount in ["10 000,25", "0,10", "0.20"] {
        create(
            &app,
            &lawyer,
            case,
            "payments",
            &[
                ("proceeding", &claim.to_string()),
                ("payment_date.y", "2026"),
                ("payment_date.m", "11"),
                ("amount", amount),
            ],
        )
        .await?;
    }
    let wrong = create(
        &app,
        &lawyer,
        case,
        "payments",
        &[("proceeding", &claim.to_string()), ("payment_date.y", "2026"), ("amount", "5000")],
    )
    .await?;
    let coordinator = app.login("coordinator").await;
    let page = format!("/cases/{case}/payments/{wrong}/delete");
    let (status, _) = submit(&app, &coordinator, &page, &page, &[("reason", "ошибка ввода")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, state) = app.store().proceeding_state(claim).await?.ok_or("no claim")?;
    assert_eq!(state.facts.paid, Money(1_000_055), "10 000,55 exactly, the removed one left out");
    assert_eq!(state.facts.awarded, Some(Money(2_500_050)));
    let (_, page) = text(&app, &lawyer, &page_of(case, claim)).await?;
    assert!(page.contains("10\u{202f}000,55\u{a0}TJS"), "the sum is shown");
    assert!(page.contains("14\u{202f}999,95\u{a0}TJS"), "and what is outstanding");
    // A payment under a complaint is refused.
    let complaint = create(
        &app,
        &lawyer,
        case,
        "proceedings",
        &[("proceeding_kind", "COMPLAINT"), ("title", "Заявление")],
    )
    .await?;
    let base = format!("/cases/{case}/payments");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{base}/new"),
        &base,
        &[("proceeding", &complaint.to_string()), ("payment_date.y", "2026"), ("amount", "1")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "payments belong to civil claims");

    for to in ["FILED", "ACCEPTED", "HEARING", "JUDGMENT_GRANTED_PARTIAL", "FINAL", "ENFORCEMENT"] {
        let (status, page) = step(&app, &lawyer, case, claim, to, &[]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}: {page}");
    }
    let (status, page) = step(&app, &lawyer, case, claim, "PAID_FULL", &[]).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not paid in full");
    assert!(page.contains("выплачено частично"), "the payments' own status is named");
    let (status, _) = step(&app, &lawyer, case, claim, "PAID_PARTIAL", &[]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    create(
        &app,
        &lawyer,
        case,
        "payments",
        &[("proceeding", &claim.to_string()), ("payment_date.y", "2026"), ("amount", "14 999,95")],
    )
    .await?;
    let (status, _) = step(&app, &lawyer, case, claim, "PAID_FULL", &[]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "paid in full once the payments say so");
    let (_, page) = text(&app, &lawyer, &page_of(case, claim)).await?;
    assert!(page.contains("paid in full") || page.contains("выплачено полностью"), "status shown");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn accused_link_the_cases_perpetrators_with_charges_verdict_and_sentence() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = open_case(&app, &lawyer, &[]).await?;
    let persons = format!("/cases/{case}/persons");
    for name in ["Жертва Проверочная", "Сотрудник Проверочный"] {
        let (status, _) =
            submit(&app, &lawyer, &format!("{persons}/new"), &persons, &[("name", name)]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let people = app.store().persons_of_case(case).await?;
    let (victim, officer) = (people[0].id.to_string(), people[1].id.to_string());
    let event = create(&app, &lawyer, case, "events", &[("title", "Задержание и избиение")]).await?;
    let act = create(
        &app,
        &lawyer,
        case,
        "acts",
        &[("event", &event.to_string()), ("victim", &victim), ("act_type", "02011111")],
    )
    .await?;
    let involvement =
        create(&app, &lawyer, case, "involvements", &[("act", &act.to_string()), ("perpetrator", &officer)])
            .await?;
    let criminal = create(
        &app,
        &lawyer,
        case,
        "proceedings",
        &[("proceeding_kind", "CRIMINAL"), ("title", "Дело по ст. 143-1")],
    )
    .await?;
    assert_eq!(state_of(&app, criminal).await?, "INVESTIGATION");
    let accused = create(
        &app,
        &lawyer,
        case,
        "accused",
        &[
            ("proceeding", &criminal.to_string()),
            ("involvement", &involvement.to_string()),
            ("charges", "CC-143-1"),
            ("verdict", "CONVICTION"),
            ("penalty_kind", "IMPRISONMENT"),
            ("term_months", "84"),
            ("amnesty_applied", "no"),
        ],
    )
    .await?;
    switch_language(&app, &lawyer, "en").await?;
    let (_, page) = text(&app, &lawyer, &page_of(case, criminal)).await?;
    assert!(page.contains(&format!("/cases/{case}/accused/{accused}")), "the accused is listed");
    assert!(page.contains("84 months") && page.contains("Imprisonment"), "with the sentence: {page}");
    // An accused must be an involvement of this case and a criminal case's.
    let complaint = create(
        &app,
        &lawyer,
        case,
        "proceedings",
        &[("proceeding_kind", "COMPLAINT"), ("title", "Заявление")],
    )
    .await?;
    let base = format!("/cases/{case}/accused");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{base}/new"),
        &base,
        &[("proceeding", &complaint.to_string()), ("involvement", &involvement.to_string())],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "accused belong to criminal cases");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{base}/new"),
        &base,
        &[("proceeding", &criminal.to_string()), ("involvement", &act.to_string())],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an act is not an involvement");
    // Another case's proceeding cannot be referenced.
    let other = open_case(&app, &lawyer, &[]).await?;
    let base = format!("/cases/{other}/payments");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{base}/new"),
        &base,
        &[("proceeding", &criminal.to_string()), ("payment_date.y", "2026"), ("amount", "1")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a proceeding of another case");
    Ok(())
}

/// The feed's body, fetched as a calendar application would: no cookies.
async fn feed(app: &TestApp, link: &str) -> Res<(StatusCode, String, bool)> {
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let path = link.find("/feeds/").map(|i| &link[i..]).ok_or("no feed path")?;
    let r = client.get(app.url(path)).send().await?;
    let cookie = r.headers().contains_key(reqwest::header::SET_COOKIE);
    Ok((r.status(), r.text().await?, cookie))
}

fn feed_link(page: &str) -> Option<String> {
    let at = page.find("id=\"feed-link\"")?;
    let rest = &page[at..];
    let start = rest.find("value=\"")? + "value=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn hearings_and_deadlines_remind_once_and_reach_a_phone_without_names() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = open_case(&app, &lawyer, &["doctor"]).await?;
    let persons = format!("/cases/{case}/persons");
    let (status, _) =
        submit(&app, &lawyer, &format!("{persons}/new"), &persons, &[("name", "Маркерҷон Маркерзода")])
            .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let pseudonym = app.store().persons_of_case(case).await?[0].pseudonym.to_string();
    let criminal = create(
        &app,
        &lawyer,
        case,
        "proceedings",
        &[("proceeding_kind", "CRIMINAL"), ("title", "Дело Маркерзода")],
    )
    .await?;
    let lawyer_id =
        app.store().users().await?.into_iter().find(|u| u.username.as_str() == "lawyer").ok_or("lawyer")?.id;
    let calendar = format!("/cases/{case}/calendar");
    // A hearing needs its time; the responsible lawyer must be on the team.
    let (status, page) = submit(
        &app,
        &lawyer,
        &calendar,
        &calendar,
        &[
            ("kind", "hearing"),
            ("day", "2026-12-03"),
            ("title", "Заседание"),
            ("responsible", &lawyer_id.to_string()),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Заседание"), "the typed title comes back");
    let outsider = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "monitor")
        .ok_or("monitor")?
        .id;
    let (status, _) = submit(
        &app,
        &lawyer,
        &calendar,
        &calendar,
        &[
            ("kind", "deadline"),
            ("day", "2026-12-10"),
            ("title", "Срок обжалования"),
            ("responsible", &outsider.to_string()),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not on the team");
    // A hearing on 3 December at 10:00 (Dushanbe), with a name in its title and place (people do
    // that), and a deadline on the 10th.
    for fields in [
        vec![
            ("kind", "hearing"),
            ("day", "2026-12-03"),
            ("time", "10:00"),
            ("title", "Заседание по делу Маркерзода"),
            ("place", "Суд района Сино, зал 3, судья Маркерова"),
        ],
        vec![("kind", "deadline"), ("day", "2026-12-10"), ("title", "Срок апелляции")],
    ] {
        let proceeding = criminal.to_string();
        let responsible = lawyer_id.to_string();
        let mut fields = fields;
        fields.push(("proceeding", &proceeding));
        fields.push(("responsible", &responsible));
        let (status, to) = submit(&app, &lawyer, &calendar, &calendar, &fields).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    }
    let (_, page) = text(&app, &lawyer, "/calendar").await?;
    assert!(
        page.contains("Заседание по делу Маркерзода") && page.contains("Срок апелляции"),
        "the lawyer's calendar"
    );
    let (_, page) = text(&app, &lawyer, &page_of(case, criminal)).await?;
    assert!(page.contains("Срок апелляции"), "the proceeding's page");
    // The doctor on the team reads the case's calendar but adds nothing; the coordinator, not on
    // the team, has none of it on their own calendar.
    let doctor = app.login("doctor").await;
    let (status, page) = text(&app, &doctor, &calendar).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Срок апелляции") && !page.contains("name=\"title\""), "read only");
    let (status, _) = submit(
        &app,
        &doctor,
        &calendar,
        &calendar,
        &[
            ("kind", "deadline"),
            ("day", "2026-12-11"),
            ("title", "Срок"),
            ("responsible", &lawyer_id.to_string()),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let coordinator = app.login("coordinator").await;
    let (_, page) = text(&app, &coordinator, "/calendar").await?;
    assert!(!page.contains("Срок апелляции"), "only the cases of one's own teams");

    // Reminders: two days ahead, once.
    let reminders = |app: &TestApp| {
        let store = app.store();
        async move {
            let (list, _) = store.notifications(lawyer_id, 50).await?;
            Ok::<_, Box<dyn std::error::Error>>(
                list.iter()
                    .filter(|n| matches!(n.kind, NotificationKind::Hearing | NotificationKind::Deadline))
                    .count(),
            )
        }
    };
    ozodi_web::handlers::intake::tick(&app.state).await?;
    assert_eq!(reminders(&app).await?, 0, "four days ahead: no reminder yet");
    app.clock.advance(Duration::days(3));
    ozodi_web::handlers::intake::tick(&app.state).await?;
    ozodi_web::handlers::intake::tick(&app.state).await?;
    assert_eq!(reminders(&app).await?, 1, "the hearing, once");
    let lawyer = app.login("lawyer").await;
    let (_, page) = text(&app, &lawyer, "/notifications").await?;
    assert!(page.contains(&format!("/cases/{case}/calendar")), "the reminder links to the calendar");

    // The feed: created, read without cookies, carrying times and numbers only.
    let (status, page) = submit(&app, &lawyer, "/calendar/feed", "/calendar/feed", &[]).await?;
    assert_eq!(status, StatusCode::OK);
    let link = feed_link(&page).ok_or("no link shown")?;
    assert!(link.starts_with("http://127.0.0.1:"), "a full address: {link}");
    let (status, body, cookie) = feed(&app, &link).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(!cookie, "the feed sets no cookie");
    let number = app.store().case(case).await?.ok_or("no case")?.number.to_string();
    assert!(body.starts_with("BEGIN:VCALENDAR") && body.contains("BEGIN:VEVENT"), "{body}");
    assert!(body.contains(&number) && body.contains("LP-0001"), "case and proceeding numbers");
    assert!(body.contains("DTSTART:20261203T050000Z"), "10:00 in Dushanbe is 05:00 UTC: {body}");
    assert!(
        body.contains("DTSTART;VALUE=DATE:20261210") && body.contains("DTEND;VALUE=DATE:20261211"),
        "the deadline is the whole day: {body}"
    );
    // (The proceeding's number LP-0001 ends like the pseudonym P-0001: look past it.)
    let without_numbers = body.replace("LP-", "");
    for secret in ["Маркер", "Сино", "Заседание по делу", "Срок апелляции", "Дело ", pseudonym.as_str()]
    {
        assert!(!without_numbers.contains(secret), "the feed shows no names or titles: {secret}");
    }
    let reads = app
        .store()
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::CalendarFeedRead),
            limit: 10,
            ..Default::default()
        })
        .await?;
    assert_eq!(reads.len(), 1, "reading the feed is audited");
    // A new link replaces the old; revoking ends it.
    let (_, page) = submit(&app, &lawyer, "/calendar/feed", "/calendar/feed", &[]).await?;
    let second = feed_link(&page).ok_or("no second link")?;
    assert_eq!(feed(&app, &link).await?.0, StatusCode::NOT_FOUND, "the old link stopped working");
    assert_eq!(feed(&app, &second).await?.0, StatusCode::OK);
    let (status, _) = submit(&app, &lawyer, "/calendar/feed", "/calendar/feed/revoke", &[]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(feed(&app, &second).await?.0, StatusCode::NOT_FOUND, "revoked");
    assert_eq!(feed(&app, "/feeds/calendar/not-a-secret").await?.0, StatusCode::NOT_FOUND);

    // Done: off the upcoming list; a stale form is refused.
    let entries = app
        .store()
        .calendar(&ozodi_store::legal::CalendarQuery {
            case: Some(case),
            user: lawyer_id,
            all: true,
            from: time::OffsetDateTime::UNIX_EPOCH,
            to: app.state.now() + Duration::days(365),
            closed_too: true,
        })
        .await?;
    let hearing =
        entries.iter().find(|e| e.kind == ozodi_domain::legal::EntryKind::Hearing).ok_or("no hearing")?;
    let page = format!("/cases/{case}/calendar/{}", hearing.id);
    let version = hearing.version.to_string();
    let (status, _) =
        submit(&app, &lawyer, &page, &format!("{page}/status"), &[("status", "done"), ("version", &version)])
            .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = submit(
        &app,
        &lawyer,
        &page,
        &format!("{page}/status"),
        &[("status", "cancelled"), ("version", &version)],
    )
    .await?;
    assert_eq!(status, StatusCode::CONFLICT, "already done");
    let (_, html) = text(&app, &lawyer, "/calendar").await?;
    assert!(!html.contains("Заседание по делу Маркерзода"), "done entries leave the calendar");
    // Marked done by mistake: opened again.
    let version = (hearing.version + 1).to_string();
    let (status, _) =
        submit(&app, &lawyer, &page, &format!("{page}/status"), &[("status", "open"), ("version", &version)])
            .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = text(&app, &lawyer, "/calendar").await?;
    assert!(html.contains("Заседание по делу Маркерзода"), "open again");
    Ok(())
}
