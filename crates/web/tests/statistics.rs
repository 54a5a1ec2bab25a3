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

#[tokio::test(flavor = "multi_thread")]
async fn the_figures_follow_the_records_the_filters_and_the_readers_rights() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    // A case of the lawyer's in Sughd with one documented act of torture of a woman.
    let (status, to) = submit(
        &app,
        &lawyer,
        "/cases/new",
        "/cases",
        &[("title", "Проверка статистики"), ("summary", ""), ("region", "SUG")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let case = to.split('?').next().unwrap_or_default().to_owned();
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{case}/persons/new"),
        &format!("{case}/persons"),
        &[("name", "Синтетическое Лицо"), ("sex", "02")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = ozodi_domain::case::CaseId::parse(case.trim_start_matches("/cases/")).ok_or("case id")?;
    let person = app.store().persons_of_case(id).await?.first().map(|p| p.id.to_string()).ok_or("person")?;
    let (status, to) = submit(
        &app,
        &lawyer,
        &format!("{case}/events/new"),
        &format!("{case}/events"),
        &[("title", "Избиение"), ("violation_status", "0101"), ("initial_date.y", "2026")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let event = to.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned();
    let (status, to) = submit(
        &app,
        &lawyer,
        &format!("{case}/acts/new"),
        &format!("{case}/acts"),
        &[("event", &event), ("victim", &person), ("act_type", "02011111")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");

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
