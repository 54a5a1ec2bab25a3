//! Search through the pages: word forms in Russian and Tajik, names only for identity access,
//! nothing outside one's cases, any text safe, the query never in the address.

mod common;

use common::{TestApp, TestResult, location};
use reqwest::StatusCode;

async fn search(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = app.post(client, "/search", "/search", fields).await;
    let status = r.status();
    (status, r.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn word_forms_names_and_need_to_know_through_the_search_page() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let r = app
        .post(
            &lawyer,
            "/cases/new",
            "/cases",
            &[
                ("title", "Шиканҷа дар ИВС"),
                ("summary", "Избиение задержанного; ҳуқуқи ҳимоя вайрон шуд."),
                ("region", "KHT"),
            ],
        )
        .await;
    let case = location(&r);
    let r = app
        .post(
            &lawyer,
            &format!("{case}/persons/new"),
            &format!("{case}/persons"),
            &[("name", "Фарҳод Иброҳимов")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.post(&lawyer, &case, &format!("{case}/team"), &[("username", "doctor")]).await;

    for words in ["избиения", "хукуки", "шиканҷаҳо", "Ибрагимов", "Ibragimov"]
    {
        let (status, html) = search(&app, &lawyer, &[("q", words)]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("TJ-2026-0001"), "{words} finds the case");
    }
    // The doctor is on the team without identity access: the text, never the name.
    let doctor = app.login("doctor").await;
    assert!(search(&app, &doctor, &[("q", "избиение")]).await.1.contains("TJ-2026-0001"));
    let (_, html) = search(&app, &doctor, &[("q", "Ibragimov")]).await;
    assert!(!html.contains("TJ-2026-0001") && html.contains(": 0"), "no hit and a zero count");
    // Off the team: nothing.
    let psychologist = app.login("psychologist").await;
    let (_, html) = search(&app, &psychologist, &[("q", "избиение")]).await;
    assert!(!html.contains("TJ-2026-0001"));
    // Facets.
    assert!(search(&app, &lawyer, &[("q", ""), ("region", "KHT")]).await.1.contains("TJ-2026-0001"));
    assert!(!search(&app, &lawyer, &[("q", ""), ("region", "SUG")]).await.1.contains("TJ-2026-0001"));
    // Any text: results or a clear message, never an error page.
    for hostile in ["\"", "*", "NEAR(a", "' OR 1=1 --", "<script>alert(1)</script>", "((((", "a OR b AND"] {
        let (status, html) = search(&app, &lawyer, &[("q", hostile)]).await;
        assert_eq!(status, StatusCode::OK, "{hostile}");
        assert!(!html.contains("<script>alert(1)"), "the query comes back escaped");
    }
    let (status, html) = search(&app, &lawyer, &[("q", &"ы".repeat(400))]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Слишком длинный запрос"));
    let (status, _) = search(&app, &lawyer, &[("q", "x"), ("from", "31.02.2024")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The form posts: the words never appear in an address.
    let page = app.get(&lawyer, "/search").await.text().await?;
    assert!(page.contains("method=\"post\" action=\"/search\""));
    Ok(())
}
