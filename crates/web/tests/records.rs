//! The records of a case through the pages: who did what to whom, recorded with partial dates and
//! legal safeguards, shown on the case page's timeline with the persons' roles; refused input keeps
//! what was typed; links never leave the case; outsiders get 404s.

mod common;

use common::{TestApp, TestResult, location};
use reqwest::StatusCode;

/// The record id in a redirect such as `/cases/…/acts/<id>?saved=1`.
fn record_path(r: &reqwest::Response) -> String {
    location(r).split('?').next().unwrap_or_default().to_owned()
}

fn last_segment(path: &str) -> String {
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

struct Case {
    page: String,
    victim: String,
    officer: String,
}

/// A case with a victim and a perpetrator group, opened by the lawyer.
async fn case_with_persons(
    app: &TestApp,
    lawyer: &reqwest::Client,
) -> Result<Case, Box<dyn std::error::Error>> {
    let r = app.post(lawyer, "/cases/new", "/cases", &[("title", "Избиение в ИВС"), ("summary", "")]).await;
    let page = location(&r);
    for fields in [
        vec![("name", "Вымышленный Потерпевший"), ("sex", "01"), ("birth_year", "1990")],
        vec![("name", "Сотрудники ОВД"), ("group", "on")],
    ] {
        let r = app.post(lawyer, &format!("{page}/persons/new"), &format!("{page}/persons"), &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "person not created");
    }
    let persons = app
        .store()
        .persons_of_case(ozodi_domain::case::CaseId::parse(&last_segment(&page)).ok_or("id")?)
        .await?;
    assert_eq!(
        persons[1].fields.counting_unit, "03",
        "a group is MT07 03 (group/organisation), not 02 (family)"
    );
    Ok(Case { page, victim: persons[0].id.to_string(), officer: persons[1].id.to_string() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lawyer_records_who_did_what_to_whom_and_the_case_page_shows_it() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = case_with_persons(&app, &lawyer).await?;
    let page = &case.page;

    // The facility registry.
    let r = app
        .post(
            &lawyer,
            "/facilities/new",
            "/facilities",
            &[("name", "ИВС ОВД района Рудаки"), ("facility_type", "TJ.FAC.IVS"), ("region", "DRS")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let facility = last_segment(&record_path(&r));

    // An event with a day-unknown start.
    let r = app
        .post(
            &lawyer,
            &format!("{page}/events/new"),
            &format!("{page}/events"),
            &[
                ("title", "Задержание и избиение"),
                ("initial_date.y", "2024"),
                ("initial_date.m", "3"),
                ("description", "Задержан у дома, доставлен в ИВС."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let event_path = record_path(&r);
    let event = last_segment(&event_path);
    let html = app.get(&lawyer, &event_path).await.text().await?;
    assert!(html.contains("EV-0001") && html.contains("03.2024"), "{html}");
    assert!(html.contains(&format!("/acts/new?event={event}")), "the event offers to add an act");

    // An act with the legal-safeguard fields: lawyer access two days after the de facto detention.
    let r = app
        .post(
            &lawyer,
            &format!("{page}/acts/new?event={event}"),
            &format!("{page}/acts"),
            &[
                ("event", &event),
                ("victim", &case.victim),
                ("act_type", "02011111"),
                ("methods", "0301"),
                ("methods", "0302"),
                ("facility", &facility),
                ("initial_date.y", "2024"),
                ("initial_date.m", "3"),
                ("initial_date.d", "12"),
                ("initial_date.est", "on"),
                ("de_facto_detention_at", "2024-03-12T14:30"),
                ("lawyer_first_access_at", "2024-03-14T10:00"),
                ("rights_explained", "no"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await?);
    let act_path = record_path(&r);
    let act = last_segment(&act_path);
    let html = app.get(&lawyer, &act_path).await.text().await?;
    for expected in
        ["AC-0001", "Пытки", "P-0001", "~12.03.2024", "12.03.2024 14:30", "14.03.2024 10:00", "FC-0001"]
    {
        assert!(html.contains(expected), "act page lacks {expected}");
    }

    // The perpetrator group's involvement.
    let r = app
        .post(
            &lawyer,
            &format!("{page}/involvements/new?act={act}"),
            &format!("{page}/involvements"),
            &[("act", &act), ("perpetrator", &case.officer), ("agency", "MoIA")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await?);

    let html = app.get(&lawyer, page).await.text().await?;
    for expected in ["EV-0001", "AC-0001", "IN-0001", "Задержание и избиение", "03.2024"] {
        assert!(html.contains(expected), "case page lacks {expected}");
    }
    let persons = html.split("id=\"persons-h\"").nth(1).unwrap_or_default();
    let victim_line =
        persons.split("P-0001").nth(1).unwrap_or_default().split("</li>").next().unwrap_or_default();
    assert!(victim_line.contains("(AC-0001)"), "the victim's role comes from the act");
    let officer_line =
        persons.split("P-0002").nth(1).unwrap_or_default().split("</li>").next().unwrap_or_default();
    assert!(officer_line.contains("(IN-0001)"), "the perpetrator's role comes from the involvement");

    // Editing makes a version; the history shows the change with labels.
    let r = app
        .post(
            &lawyer,
            &format!("{event_path}/edit"),
            &event_path,
            &[
                ("version", "1"),
                ("title", "Задержание, избиение в ИВС"),
                ("initial_date.y", "2024"),
                ("initial_date.m", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let history = app.get(&lawyer, &format!("{event_path}/history")).await.text().await?;
    assert!(history.contains("Задержание и избиение") && history.contains("Задержание, избиение в ИВС"));
    // A stale form is refused and keeps what was typed.
    let r = app
        .post(
            &lawyer,
            &format!("{event_path}/edit"),
            &event_path,
            &[("version", "1"), ("title", "Устаревшая правка")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await?.contains("Устаревшая правка"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_input_keeps_what_was_typed_and_links_never_leave_the_case() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = case_with_persons(&app, &lawyer).await?;
    let other = case_with_persons(&app, &lawyer).await?;
    let page = &case.page;
    let r = app
        .post(&lawyer, &format!("{page}/events/new"), &format!("{page}/events"), &[("title", "Событие")])
        .await;
    let event = last_segment(&record_path(&r));
    let before = app
        .store()
        .records_of_case(ozodi_domain::case::CaseId::parse(&last_segment(page)).ok_or("id")?)
        .await?
        .len();

    // 30 February, an end before the start, a missing victim: one answer naming each problem, the
    // typed narrative kept.
    let r = app
        .post(
            &lawyer,
            &format!("{page}/acts/new"),
            &format!("{page}/acts"),
            &[
                ("event", &event),
                ("act_type", "02011111"),
                ("initial_date.y", "2024"),
                ("initial_date.m", "2"),
                ("initial_date.d", "30"),
                ("stated_reason", "Текст, который нельзя потерять"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(html.contains("Текст, который нельзя потерять"));
    assert!(html.contains("такого дня в этом месяце нет") || html.contains("does not exist"), "{html}");
    assert!(html.contains("aria-invalid=\"true\""));

    // The victim of another case, a forged code: refused, nothing written.
    for (field, value) in [("victim", other.victim.as_str()), ("act_type", "99999999")] {
        let mut fields =
            vec![("event", event.as_str()), ("victim", case.victim.as_str()), ("act_type", "02011111")];
        fields.retain(|(f, _)| *f != field);
        fields.push((field, value));
        let r = app.post(&lawyer, &format!("{page}/acts/new"), &format!("{page}/acts"), &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
    }
    let after = app
        .store()
        .records_of_case(ozodi_domain::case::CaseId::parse(&last_segment(page)).ok_or("id")?)
        .await?
        .len();
    assert_eq!(before, after, "nothing was written");

    // A record addressed under another case, or as another type, is not found.
    let event_path = format!("{page}/events/{event}");
    assert_eq!(app.get(&lawyer, &event_path).await.status(), StatusCode::OK);
    assert_eq!(
        app.get(&lawyer, &format!("{}/events/{event}", other.page)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&lawyer, &format!("{page}/acts/{event}")).await.status(), StatusCode::NOT_FOUND);

    // Outsiders: the doctor off the team gets the same 404 for the record and for a guessed id.
    let doctor = app.login("doctor").await;
    let guessed = format!("{page}/events/01900000-0000-7000-8000-000000000000");
    for path in [event_path.clone(), format!("{event_path}/edit"), format!("{event_path}/history"), guessed] {
        assert_eq!(app.get(&doctor, &path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = app.post(&doctor, "/dashboard", &event_path, &[("version", "1"), ("title", "взлом")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_are_tombstoned_with_a_reason_and_restored_by_the_coordinator() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = case_with_persons(&app, &lawyer).await?;
    let page = &case.page;
    let r = app
        .post(
            &lawyer,
            &format!("{page}/events/new"),
            &format!("{page}/events"),
            &[("title", "Лишняя запись")],
        )
        .await;
    let event_path = record_path(&r);
    // The lead (the lawyer who opened the case) deletes; a reason is required.
    let r = app
        .post(&lawyer, &format!("{event_path}/delete"), &format!("{event_path}/delete"), &[("reason", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &lawyer,
            &format!("{event_path}/delete"),
            &format!("{event_path}/delete"),
            &[("reason", "внесено дважды")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get(&lawyer, page).await.text().await?;
    assert!(html.contains("<del>EV-0001"), "listed among deleted records");
    let shown = app.get(&lawyer, &event_path).await.text().await?;
    assert!(shown.contains("внесено дважды") && !shown.contains("/restore"), "the lawyer cannot restore");
    let r = app.post(&lawyer, &event_path, &format!("{event_path}/restore"), &[]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let coordinator = app.login("coordinator").await;
    let r = app.post(&coordinator, &event_path, &format!("{event_path}/restore"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let history = app.get(&lawyer, &format!("{event_path}/history")).await.text().await?;
    assert!(history.contains("внесено дважды"));
    Ok(())
}
