//! Monitoring and the UN follow-up over HTTP (issue 7): a visit's course refused with the allowed
//! stages in the reader's language, its team and allegations (nothing of what was said kept
//! without the person's authorisation), the figures with their counting rules; the import of the
//! UN's index reporting each item and safe to run twice, assessments from three viewpoints that
//! check what they cite, the confirmation of an unverified item, the matrix and the shadow-report
//! tables (audited).

mod common;

use common::{TestApp, escaped, raw_markup, script, submit, switch_language, text};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::record::Kind;
use ozodi_store::AuditFilter;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The path of the page a form redirected to, without the query.
fn page_of(to: &str) -> String {
    to.split(['?', '#']).next().unwrap_or_default().to_owned()
}

async fn facility(app: &TestApp, who: &reqwest::Client) -> Res<String> {
    let (status, to) = submit(
        app,
        who,
        "/facilities/new",
        "/facilities",
        &[("name", "ИВС ОВД города Исфара"), ("facility_type", "TJ.FAC.IVS"), ("region", "SUG")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    Ok(page_of(&to).trim_start_matches("/facilities/").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visit_is_recorded_step_by_step_and_an_allegation_needs_the_persons_authorisation() -> Res<()> {
    let app = TestApp::spawn().await;
    let monitor = app.login("monitor").await;
    let facility = facility(&app, &monitor).await?;
    let focus = script("visit.focus");
    let (status, to) = submit(
        &app,
        &monitor,
        "/visits/new",
        "/visits",
        &[
            ("facility", &facility),
            ("initial_date.y", "2026"),
            ("initial_date.m", "11"),
            ("initial_date.d", "20"),
            ("visit_type", "FULL"),
            ("notice", "ANNOUNCED"),
            ("mandate", "OMBUDSMAN_GROUP"),
            ("focus", &focus),
            ("interviews_private", "7"),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let visit = page_of(&to);
    let (_, html) = text(&app, &monitor, &visit).await?;
    assert!(html.contains(&escaped(&focus)) && !raw_markup(&html), "the focus is shown, escaped");
    assert!(html.contains("Запланирован"), "a new visit is planned");

    // An announced visit cannot be marked conducted before access is requested: refused with the
    // allowed stage, in each language, and nothing recorded.
    let step = |to: &'static str, seq: &'static str, note: &'static str| {
        let (app, monitor, visit) = (&app, &monitor, visit.clone());
        async move {
            submit(
                app,
                monitor,
                &visit,
                &format!("{visit}/steps"),
                &[("form", "step"), ("to", to), ("seq", seq), ("on_day", "2026-11-20"), ("note", note)],
            )
            .await
        }
    };
    for (lang, allowed) in
        [("ru", "«Запрошен доступ»"), ("tg", "«Дастрасӣ дархост шуд»"), ("en", "«Access requested»")]
    {
        switch_language(&app, &monitor, lang).await?;
        let (status, html) = step("CONDUCTED", "1", "").await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(allowed), "{lang}: {allowed}");
    }
    switch_language(&app, &monitor, "ru").await?;
    assert_eq!(step("ACCESS_REQUESTED", "1", "").await?.0, StatusCode::SEE_OTHER);
    // The same form again is stale.
    assert_eq!(step("ACCESS_GRANTED", "1", "").await?.0, StatusCode::CONFLICT);
    assert_eq!(step("ACCESS_GRANTED", "2", "").await?.0, StatusCode::SEE_OTHER);
    assert_eq!(step("CONDUCTED", "3", "").await?.0, StatusCode::SEE_OTHER);
    let id = ozodi_domain::record::RecordId::parse(visit.trim_start_matches("/visits/")).ok_or("id")?;
    assert_eq!(app.store().visit_detail(id).await?.state(), "CONDUCTED");

    // Team: a member of staff, and the Ombudsman's office by organisation only.
    let users = app.store().users().await?;
    let me = users.iter().find(|u| u.username.as_str() == "monitor").ok_or("monitor")?.id.to_string();
    let (status, _) = submit(
        &app,
        &monitor,
        &visit,
        &format!("{visit}/team"),
        &[("form", "team"), ("user", &me), ("role", "LEAD"), ("sex", "01")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = submit(
        &app,
        &monitor,
        &visit,
        &format!("{visit}/team"),
        &[("form", "team"), ("user", ""), ("organisation", ""), ("role", "OMBUDSMAN_STAFF"), ("sex", "02")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Выберите сотрудника или укажите организацию"));
    let (status, _) = submit(
        &app,
        &monitor,
        &visit,
        &format!("{visit}/team"),
        &[
            ("form", "team"),
            ("organisation", "Аппарат Уполномоченного"),
            ("role", "OMBUDSMAN_STAFF"),
            ("sex", "02"),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // An allegation without authorisation: what was said is refused, not silently kept.
    let said = "Маркерҷон: избиение в ИВС";
    let allege = |authorised: &'static str, summary: &'static str| {
        let (app, monitor, visit) = (&app, &monitor, visit.clone());
        async move {
            submit(
                app,
                monitor,
                &visit,
                &format!("{visit}/allegations"),
                &[
                    ("form", "allegation"),
                    ("authorised", authorised),
                    ("summary", summary),
                    ("caller_role", "victim"),
                    ("in_custody", "on"),
                ],
            )
            .await
        }
    };
    let (status, html) = allege("no", said).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Без разрешения человека ничего из сказанного не сохраняется"));
    assert_eq!(app.store().visit_detail(id).await?.allegations.len(), 0, "nothing recorded");
    assert_eq!(allege("no", "").await?.0, StatusCode::SEE_OTHER);
    assert_eq!(
        allege("yes", "").await?.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "authorised needs what was said"
    );
    assert_eq!(allege("yes", said).await?.0, StatusCode::SEE_OTHER);
    let detail = app.store().visit_detail(id).await?;
    assert_eq!(detail.allegations.len(), 2);
    let (contact, _) = detail.allegations[1].contact.ok_or("contact")?;
    let stored = app.store().contact(contact).await?.ok_or("stored")?;
    assert_eq!(stored.fields.channel.code(), "monitoring-visit");
    assert_eq!(stored.fields.region.as_deref(), Some("SUG"));

    // The figures, with their rules, for the analyst; the operator has no monitoring.
    let analyst = app.login("analyst").await;
    let (status, html) = text(&app, &analyst, "/monitoring").await?;
    assert_eq!(status, StatusCode::OK);
    for figure in ["Посещено мест лишения свободы", "Как считается", "Опрошено конфиденциально"]
    {
        assert!(html.contains(figure), "{figure}");
    }
    assert!(html.contains("<td>7</td>"), "private interviews summed");
    assert!(html.contains("<td>2 / 1</td>"), "two allegations, one passed on");
    let (status, _) = submit(
        &app,
        &analyst,
        "/monitoring",
        &format!("{visit}/steps"),
        &[("to", "DEBRIEFED"), ("seq", "4"), ("on_day", "2026-11-20")],
    )
    .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "analysts read, monitors record");
    let operator = app.login("operator").await;
    assert_eq!(text(&app, &operator, "/monitoring").await?.0, StatusCode::FORBIDDEN);
    assert_eq!(text(&app, &operator, &visit).await?.0, StatusCode::FORBIDDEN);
    Ok(())
}

fn fixture() -> Res<Vec<u8>> {
    Ok(std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../store/tests/fixtures/uhri-tajikistan.json"))?)
}

async fn import(
    app: &TestApp,
    who: &reqwest::Client,
    source: &str,
    file: Option<(&str, Vec<u8>)>,
) -> Res<(StatusCode, String)> {
    let token = app.csrf(who, "/recommendations/import").await;
    let mut form = Form::new().text("csrf", token).text("source", source.to_owned());
    if let Some((name, bytes)) = file {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    let r = who.post(app.url("/recommendations/import")).multipart(form).send().await?;
    Ok((r.status(), r.text().await?))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_un_index_is_imported_and_assessed_from_three_viewpoints() -> Res<()> {
    let app = TestApp::spawn().await;
    let analyst = app.login("analyst").await;
    // The shipped set, then the index's export; each item reported.
    let (status, html) = import(&app, &analyst, "shipped", None).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Добавлено: 9"), "{html}");
    let (status, html) = import(&app, &analyst, "uhri", Some(("export.json", fixture()?))).await?;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Добавлено: 1",
        "Обновлено: 2",
        "Пропущено: 4",
        "адресована другой стране",
        "нет номера пункта",
        "неизвестный механизм",
        "uhri_themes: Coffee and tea",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let (_, html) = import(&app, &analyst, "uhri", Some(("export.json", fixture()?))).await?;
    assert!(html.contains("Добавлено: 0") && html.contains("Обновлено: 0"), "safe to run twice");
    // Not an export: refused with a reason, nothing imported.
    let (status, html) =
        import(&app, &analyst, "uhri", Some(("people.csv", b"name,phone\nA,1".to_vec()))).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Это не таблица (XLSX) и не файл JSON"));
    // Only those who keep the follow-up import.
    let monitor = app.login("monitor").await;
    assert_eq!(text(&app, &monitor, "/recommendations/import").await?.0, StatusCode::FORBIDDEN);
    assert_eq!(text(&app, &monitor, "/recommendations").await?.0, StatusCode::OK, "every member reads them");

    // Para 10: unverified, with our summary; assessed from three viewpoints.
    let store = app.store();
    let recs = store.registry(Kind::UnRecommendation).await?;
    let para10 = recs.iter().find(|r| r.data.text("external_id") == Some("uhri-0001")).ok_or("para 10")?;
    let page = format!("/recommendations/{}", para10.id);
    let (_, html) = text(&app, &analyst, &page).await?;
    assert!(html.contains("id=\"unverified\""), "marked unverified");
    let assess = |assessor: &'static str,
                  status: &'static str,
                  day: &'static str,
                  links: &'static str,
                  grade: &'static str| {
        let (app, analyst, page) = (&app, &analyst, page.clone());
        async move {
            submit(
                app,
                analyst,
                &page,
                &format!("{page}/assessments"),
                &[
                    ("assessor", assessor),
                    ("status", status),
                    ("as_of", day),
                    ("official_grade", grade),
                    ("source_doc", ""),
                    ("evidence", "основание"),
                    ("links", links),
                ],
            )
            .await
        }
    };
    let (status, html) = assess("coalition", "INITIAL", "2026-11-01", "TJ-2026-9999", "").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Номера дела или ссылки из списка не существует"));
    let (status, html) = assess("coalition", "INITIAL", "2027-01-01", "", "").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert_eq!(
        assess("committee", "PARTIAL", "2025-05-23", "", "partially implemented").await?.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(assess("state", "FULL", "2022-07-25", "", "").await?.0, StatusCode::SEE_OTHER);
    assert_eq!(
        assess("coalition", "INITIAL", "2026-11-01", "Альтернативный доклад 2026, с. 12", "").await?.0,
        StatusCode::SEE_OTHER
    );
    let (_, html) = text(&app, &analyst, &page).await?;
    for shown in
        ["Начальные шаги", "Частично выполнено", "partially implemented", "Альтернативный доклад 2026, с. 12"]
    {
        assert!(html.contains(shown), "{shown}");
    }
    // Confirmed against the official text: the mark goes, and who did it is in the history.
    let version = store.record(para10.id).await?.ok_or("gone")?.version.to_string();
    let (status, _) =
        submit(&app, &analyst, &page, &format!("{page}/verify"), &[("version", &version)]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = text(&app, &analyst, &page).await?;
    assert!(!html.contains("id=\"unverified\""));

    // The matrix counts them with links to the lists behind; the shadow report sets the three
    // views side by side, and producing it is audited.
    let (_, html) = text(&app, &analyst, "/recommendations/matrix").await?;
    assert!(html.contains("/recommendations?theme=INVEST&#38;mechanism=CAT"), "a cell links to its list");
    let (_, html) = text(&app, &analyst, "/recommendations?theme=INVEST&mechanism=CAT").await?;
    assert!(html.contains(&format!("/recommendations/{}", para10.id)));
    let (status, html) = text(&app, &analyst, "/recommendations/shadow-report").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Что сообщает государство")
            && html.contains("Выполнено")
            && html.contains("Альтернативный доклад 2026")
    );
    let entries = |kind: AuditKind| {
        let store = store.clone();
        async move {
            store.audit_entries(&AuditFilter { kind: Some(kind), limit: 50, ..Default::default() }).await
        }
    };
    assert!(entries(AuditKind::Exported).await?.iter().any(|e| e.detail.contains("shadow-report")));
    assert_eq!(entries(AuditKind::RecommendationsImported).await?.len(), 3, "each import audited");
    assert_eq!(entries(AuditKind::RecommendationVerified).await?.len(), 1);
    Ok(())
}
