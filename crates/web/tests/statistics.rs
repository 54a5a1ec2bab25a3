//! The statistics page over HTTP (issue 7): every indicator with its counting rule in each
//! language, the filters applied where they can be and named where they cannot, a refused filter
//! answered with a reason, the cases behind a figure shown only as far as the reader may open
//! them, and no statistics for those whose work is not reporting.

mod common;

use common::{TestApp, submit, switch_language, text};
use ozodi_domain::stats::Indicator;
use reqwest::StatusCode;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The figure shown for an indicator (`<span class="figure">N</span>` in its heading).
fn figure(html: &str, indicator: Indicator) -> Option<i64> {
    let at = html.find(&format!("id=\"{}-h\"", indicator.code()))?;
    let rest = &html[at..];
    let start = rest.find("class=\"figure\">")? + "class=\"figure\">".len();
    rest[start..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

/// A case of the lawyer's in Sughd with one documented act of torture of a woman in 2026; its path.
async fn documented_case(app: &TestApp, lawyer: &reqwest::Client) -> Res<String> {
    let (app, lawyer) = (app, lawyer);
    // A case of the lawyer's in Sughd with one documented act of torture of a woman.
    let (status, to) = submit(
        app,
        lawyer,
        "/cases/new",
        "/cases",
        &[("title", "Проверка статистики"), ("summary", ""), ("region", "SUG")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let case = to.split('?').next().unwrap_or_default().to_owned();
    let (status, _) = submit(
        app,
        lawyer,
        &format!("{case}/persons/new"),
        &format!("{case}/persons"),
        &[("name", "Синтетическое Лицо"), ("sex", "02")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = ozodi_domain::case::CaseId::parse(case.trim_start_matches("/cases/")).ok_or("case id")?;
    let person = app.store().persons_of_case(id).await?.first().map(|p| p.id.to_string()).ok_or("person")?;
    let (status, to) = submit(
        app,
        lawyer,
        &format!("{case}/events/new"),
        &format!("{case}/events"),
        &[("title", "Избиение"), ("violation_status", "0101"), ("initial_date.y", "2026")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let event = to.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned();
    let (status, to) = submit(
        app,
        lawyer,
        &format!("{case}/acts/new"),
        &format!("{case}/acts"),
        &[("event", &event), ("victim", &person), ("act_type", "02011111")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");

    Ok(case)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_figures_follow_the_records_the_filters_and_the_readers_rights() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let case = documented_case(&app, &lawyer).await?;

    let analyst = app.login("analyst").await;
    let (status, html) = text(&app, &analyst, "/statistics").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figure(&html, Indicator::Documented), Some(1));
    assert_eq!(figure(&html, Indicator::Victims), Some(1));
    assert!(html.contains("<svg class=\"chart\""), "a chart drawn on the server");
    assert!(!html.contains("<script"), "no script needed");
    // Filtered by region and sex: still 1; by Khatlon: 0. A training is not filtered by sex, and
    // says so.
    let (_, html) = text(&app, &analyst, "/statistics?region=SUG&sex=02").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(1));
    assert!(html.contains("Без фильтра: Пол потерпевшего"), "the filter a training cannot take is named");
    let (_, html) = text(&app, &analyst, "/statistics?region=KHT").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(0));
    let (_, html) = text(&app, &analyst, "/statistics?from=2027-01-01").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(0));
    // Refused filters, with a reason.
    for (query, reason) in [
        ("from=2026-13-01", "Дата периода указана неверно"),
        ("from=2026-05-01&to=2026-01-01", "Период заканчивается раньше"),
        ("region=%3Cscript%3E", "Значение фильтра не из списка"),
        ("age=old", "Значение фильтра не из списка"),
    ] {
        let (status, html) = text(&app, &analyst, &format!("/statistics?{query}")).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(html.contains(reason), "{query}: {reason}");
    }
    // Every indicator's name and rule, in each language.
    for (lang, name) in [("tg", "Ҳодисаҳои шиканҷа"), ("en", "Cases of torture and ill-treatment documented")]
    {
        switch_language(&app, &analyst, lang).await?;
        let (_, html) = text(&app, &analyst, "/statistics").await?;
        assert!(html.contains(name), "{lang}");
    }

    // The cases behind: the lawyer sees their case, the analyst (on no team) only a count.
    let (status, html) = text(&app, &lawyer, "/statistics/documented/cases").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&case), "the lawyer's own case is listed");
    let (_, html) = text(&app, &analyst, "/statistics/documented/cases").await?;
    assert!(!html.contains(&case), "the analyst cannot open the case");
    assert!(
        html.contains("1 you may not open")
            || html.contains("1 вам недоступны")
            || html.contains("1 барои шумо дастнорас")
    );
    assert_eq!(
        text(&app, &analyst, "/statistics/meetings/cases").await?.0,
        StatusCode::NOT_FOUND,
        "not about cases"
    );
    // Those whose work is not reporting get no statistics.
    for who in ["operator", "doctor", "admin"] {
        let client = app.login(who).await;
        assert_eq!(text(&app, &client, "/statistics").await?.0, StatusCode::FORBIDDEN, "{who}");
    }
    Ok(())
}

/// The rendered public table's rows: label, cells, total (the last row is the column totals).
fn public_rows(html: &str, title: &str) -> Vec<Vec<String>> {
    let Some(at) = html.find(title) else { return Vec::new() };
    let rest = &html[at..];
    let end = rest.find("</table>").unwrap_or(rest.len());
    let table = &rest[..end];
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|cell| {
                    cell.split("</td>").next().unwrap_or("").replace("<strong>", "").replace("</strong>", "")
                })
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn public_tables_withhold_small_cells_and_subtraction_gives_nothing_away() -> Res<()> {
    use ozodi_domain::audit::AuditKind;
    use ozodi_domain::record::{Data, Input, Kind};
    struct Form(Vec<(&'static str, String)>);
    impl Input for Form {
        fn all(&self, name: &str) -> Vec<&str> {
            self.0.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.as_str()).collect()
        }
    }
    let app = TestApp::spawn().await;
    let store = app.store();
    let user = store.users().await?.into_iter().find(|u| u.username.as_str() == "lawyer").ok_or("lawyer")?.id;
    let at = app.state.now();
    let entry = |kind| app.state.audit_entry(Some(user), kind, None);
    // Sughd: 12 documented events in 2025 and 9 in 2026; Khatlon: 2 in 2025 (small) and 7 in 2026.
    for (region, year, events) in
        [("SUG", "2025", 12), ("SUG", "2026", 9), ("KHT", "2025", 2), ("KHT", "2026", 7)]
    {
        let fields = ozodi_store::CaseFields {
            status: ozodi_domain::case::CaseStatus::Open,
            region: Some(region.into()),
            hotline: None,
            title: "t".into(),
            summary: String::new(),
            lead: None,
        };
        let case = store.create_case(&fields, user, at, entry(AuditKind::CaseCreated)).await?.id;
        let person = store
            .create_person(
                case,
                &ozodi_store::PersonFields { counting_unit: "01".into(), sex: None, birth_year: None },
                &ozodi_domain::person::Identity {
                    name: "Синтетическое Лицо".into(), ..Default::default()
                },
                user,
                at,
                entry(AuditKind::CaseUpdated),
            )
            .await?
            .id
            .to_string();
        for _ in 0..events {
            let event = Data::parse(
                Kind::Event,
                &Form(vec![
                    ("title", "e".into()),
                    ("violation_status", "0101".into()),
                    ("initial_date.y", year.into()),
                ]),
            )
            .map_err(|e| format!("{e:?}"))?;
            let event = store
                .create_record(Kind::Event, Some(case), &event, user, at, entry(AuditKind::RecordCreated))
                .await?
                .id;
            let act = Data::parse(
                Kind::Act,
                &Form(vec![
                    ("event", event.to_string()),
                    ("victim", person.clone()),
                    ("act_type", "02011111".into()),
                ]),
            )
            .map_err(|e| format!("{e:?}"))?;
            store
                .create_record(Kind::Act, Some(case), &act, user, at, entry(AuditKind::RecordCreated))
                .await?;
        }
    }
    let analyst = app.login("analyst").await;
    let (status, html) = text(&app, &analyst, "/statistics/public").await?;
    assert_eq!(status, StatusCode::OK);
    let rows =
        public_rows(&html, "Задокументированные случаи пыток и жестокого обращения по регионам и годам");
    assert_eq!(rows.len(), 3, "two regions and the totals: {rows:?}");
    let all: Vec<&String> = rows.iter().flatten().collect();
    assert!(all.iter().any(|c| c.as_str() == "&#60;5"), "the small cell is withheld: {rows:?}");
    assert!(!all.iter().any(|c| c.as_str() == "2"), "the number 2 is never shown: {rows:?}");
    // The obvious attack on every row and column: a shown total minus the shown cells.
    let number = |c: &String| c.parse::<i64>().ok();
    let mut lines: Vec<Vec<String>> = rows.clone();
    for j in 0..rows[0].len() {
        lines.push(rows.iter().map(|r| r[j].clone()).collect());
    }
    for line in lines {
        let (cells, total) = line.split_at(line.len() - 1);
        let hidden = cells.iter().filter(|c| number(c).is_none()).count();
        if let (1, Some(total)) = (hidden, number(&total[0])) {
            let shown: i64 = cells.iter().filter_map(number).sum();
            let revealed = total - shown;
            assert!(!(1..5).contains(&revealed), "{line:?} gives away {revealed}");
        }
    }
    // The download carries the same withheld cells.
    let csv = analyst.get(app.url("/statistics/public?format=csv")).send().await?.text().await?;
    assert!(csv.contains("<5") && !csv.contains(",2\n"), "{csv}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_annual_report_prints_the_years_figures_in_each_language_and_is_audited() -> Res<()> {
    use ozodi_domain::audit::AuditKind;
    use ozodi_store::AuditFilter;
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    documented_case(&app, &lawyer).await?;
    let analyst = app.login("analyst").await;

    // The year's report holds the same figures as the statistics page over that year.
    let (status, report) = text(&app, &analyst, "/statistics/report?year=2026").await?;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = text(&app, &analyst, "/statistics?from=2026-01-01&to=2026-12-31").await?;
    for indicator in Indicator::ALL {
        assert_eq!(figure(&report, *indicator), figure(&page, *indicator), "{indicator:?}");
    }
    assert_eq!(figure(&report, Indicator::Documented), Some(1));
    assert!(report.contains("Годовой отчёт за 2026 год") && report.contains("<svg class=\"chart\""));
    assert!(!report.contains("<script"));
    let (_, earlier) = text(&app, &analyst, "/statistics/report?year=2025").await?;
    assert_eq!(figure(&earlier, Indicator::Documented), Some(0), "2026's act is not in 2025");
    // Without a year, the last full year; a year outside the list is refused with a reason.
    let (_, default) = text(&app, &analyst, "/statistics/report").await?;
    assert!(default.contains("Годовой отчёт за 2025 год"));
    for year in ["1999", "2027", "20x6", "%3Cscript%3E"] {
        let (status, html) = text(&app, &analyst, &format!("/statistics/report?year={year}")).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{year}");
        assert!(html.contains("Выберите год из списка"), "{year}");
        let r = app.get(&analyst, &format!("/statistics/report/pdf?year={year}")).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{year}");
    }

    // The PDF in each language, read back: title, an indicator, the footer and page numbers.
    for (lang, title, indicator, page) in [
        ("ru", "Годовой отчёт за 2026 год", "Задокументировано случаев пыток", "Страница 1 из"),
        ("tg", "Ҳисоботи солонаи 2026", "Ҳодисаҳои шиканҷа", "Саҳифаи 1 аз"),
        ("en", "Annual report 2026", "Cases of torture and ill-treatment documented", "Page 1 of"),
    ] {
        switch_language(&app, &analyst, lang).await?;
        let (_, html) = text(&app, &analyst, "/statistics/report?year=2026").await?;
        assert!(html.contains(title) && html.contains(indicator), "{lang}: the printable page");
        let r = app.get(&analyst, "/statistics/report/pdf?year=2026").await;
        assert_eq!(r.status(), StatusCode::OK, "{lang}");
        assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
        let pdf = r.bytes().await?;
        let flat = common::pdf_text(&pdf)?.split_whitespace().collect::<Vec<_>>().join(" ");
        for want in [title, indicator, page] {
            assert!(flat.contains(want), "{lang}: {want:?} in the PDF: {flat}");
        }
    }
    let exported = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::Exported), limit: 50, ..Default::default() })
        .await?;
    assert_eq!(
        exported.iter().filter(|e| e.detail.contains("\"annual-report\"")).count(),
        3,
        "every PDF written is audited, the refused ones not"
    );
    // Those whose work is not reporting get no report.
    let doctor = app.login("doctor").await;
    for path in ["/statistics/report", "/statistics/report/pdf?year=2026"] {
        assert_eq!(app.get(&doctor, path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    Ok(())
}

/// The figures are those of the records as they stand: a change committed a moment ago is counted
/// on the next page, whatever it touched (a new act, a case's tombstone and its restoring, a call
/// logged on a hotline). The server holds the facts in memory and must never show stale ones.
#[tokio::test(flavor = "multi_thread")]
async fn a_committed_change_is_counted_on_the_next_page() -> Res<()> {
    let app = TestApp::spawn().await;
    let analyst = app.login("analyst").await;
    let (_, html) = text(&app, &analyst, "/statistics").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(0));
    let contacts = figure(&html, Indicator::Contacts).ok_or("no contacts figure")?;

    let lawyer = app.login("lawyer").await;
    let case = documented_case(&app, &lawyer).await?;
    let (_, html) = text(&app, &analyst, "/statistics?sex=02").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(1), "the new act is counted");
    assert_eq!(figure(&html, Indicator::Victims), Some(1));

    let reason = [("reason", "дубликат")];
    let r = app.post(&lawyer, &format!("{case}/delete"), &format!("{case}/delete"), &reason).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&app, &analyst, "/statistics").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(0), "a tombstoned case counts no more");
    assert_eq!(figure(&html, Indicator::Victims), Some(0));
    let coordinator = app.login("coordinator").await;
    app.post(&coordinator, &case, &format!("{case}/restore"), &[]).await;
    let (_, html) = text(&app, &analyst, "/statistics").await?;
    assert_eq!(figure(&html, Indicator::Documented), Some(1), "a restored case counts again");

    let operator = app.login("operator").await;
    let call = [
        ("line", "none"),
        ("received_at", "2026-11-29T10:30"),
        ("channel", "call"),
        ("caller", "victim"),
        ("region", "SUG"),
        ("summary", "Синтетический звонок"),
        ("consent_record", "on"),
        ("consent_act", "on"),
    ];
    let r = app.post(&operator, "/contacts/new", "/contacts", &call).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let (_, html) = text(&app, &analyst, "/statistics").await?;
    assert_eq!(figure(&html, Indicator::Contacts), Some(contacts + 1), "the call is counted");
    Ok(())
}
