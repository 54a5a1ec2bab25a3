//! Exports of the list views (issue 7): the same rows the page shows to the same reader, as CSV
//! (a formula typed into a title is defused) or XLSX (read back with a spreadsheet reader), never
//! a name, every download in the audit trail, and nothing for those who may not read the list.

mod common;

use common::{TestApp, submit};
use ozodi_domain::audit::AuditKind;
use ozodi_store::AuditFilter;
use reqwest::StatusCode;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[tokio::test(flavor = "multi_thread")]
async fn lists_download_as_csv_and_xlsx_with_the_readers_rows_and_an_audit_entry() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let title = "=HYPERLINK(\"http://example.invalid\",\"Открыть\") Избиение";
    let (status, to) =
        submit(&app, &lawyer, "/cases/new", "/cases", &[("title", title), ("summary", "")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let case = to.split('?').next().unwrap_or_default().to_owned();
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{case}/persons/new"),
        &format!("{case}/persons"),
        &[("name", "Маркерҷон Маркерзода"), ("sex", "01")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let r = lawyer.get(app.url("/cases?format=csv")).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"))
    );
    let disposition =
        r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(disposition.starts_with("attachment; filename=\"ozodi-cases-"), "{disposition}");
    let body = r.text().await?;
    assert!(body.contains("'=HYPERLINK"), "the formula is defused: {body}");
    assert!(!body.contains("Маркер"), "no name in an export");
    let (status, _) = (lawyer.get(app.url("/cases?format=xlsx")).send().await?.status(), ());
    assert_eq!(status, StatusCode::OK);

    // Another lawyer's list does not hold the case.
    let other = app.login("operator").await;
    let body = other.get(app.url("/cases?format=csv")).send().await?.text().await?;
    assert!(!body.contains("Избиение"), "another reader's export holds only their rows");

    // The monitoring list as XLSX for a monitor; nothing for the operator.
    let monitor = app.login("monitor").await;
    let (status, _) = submit(
        &app,
        &monitor,
        "/facilities/new",
        "/facilities",
        &[("name", "СИЗО № 1"), ("facility_type", "TJ.FAC.SIZO")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let bytes = monitor.get(app.url("/facilities?format=xlsx")).send().await?.bytes().await?;
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX workbook");
    let csv = monitor.get(app.url("/facilities?format=csv")).send().await?.text().await?;
    assert!(csv.contains("СИЗО № 1"));
    assert_eq!(other.get(app.url("/monitoring?format=csv")).send().await?.status(), StatusCode::FORBIDDEN);
    assert_eq!(monitor.get(app.url("/statistics?format=csv")).send().await?.status(), StatusCode::OK);

    let store = app.store();
    let entries = store
        .audit_entries(&AuditFilter { kind: Some(AuditKind::Exported), limit: 50, ..Default::default() })
        .await?;
    assert_eq!(entries.len(), 6, "every download is audited, refusals are not downloads");
    assert!(
        entries
            .iter()
            .any(|e| e.detail.contains("\"what\":\"cases\"") && e.detail.contains("\"format\":\"csv\""))
    );
    assert!(
        entries.iter().any(|e| e.detail.contains("\"what\":\"facilities\"") && e.detail.contains("xlsx"))
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn cases_leave_as_json_for_exchange_with_their_records_and_never_a_name() -> Res<()> {
    let app = TestApp::spawn().await;
    let monitor = app.login("monitor").await;
    let (status, _) = submit(
        &app,
        &monitor,
        "/facilities/new",
        "/facilities",
        &[("name", "СИЗО № 1"), ("facility_type", "TJ.FAC.SIZO"), ("region", "SUG")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let store = app.store();
    let facility = store.facilities().await?.first().map(|f| f.id.to_string()).ok_or("facility")?;

    let lawyer = app.login("lawyer").await;
    let (status, to) =
        submit(&app, &lawyer, "/cases/new", "/cases", &[("title", "Избиение в СИЗО"), ("summary", "")])
            .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let case = to.split('?').next().unwrap_or_default().to_owned();
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{case}/persons/new"),
        &format!("{case}/persons"),
        &[("name", "Маркерҷон Маркерзода"), ("contacts", "+992 00 123 45 67"), ("sex", "01")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = ozodi_domain::case::CaseId::parse(case.trim_start_matches("/cases/")).ok_or("case id")?;
    let person = store.persons_of_case(id).await?.first().map(|p| p.id.to_string()).ok_or("person")?;
    let (status, to) = submit(
        &app,
        &lawyer,
        &format!("{case}/events/new"),
        &format!("{case}/events"),
        &[
            ("title", "Избиение"),
            ("violation_status", "0101"),
            ("initial_date.y", "2026"),
            ("initial_date.m", "3"),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let event = to.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned();
    let (status, to) = submit(
        &app,
        &lawyer,
        &format!("{case}/acts/new"),
        &format!("{case}/acts"),
        &[("event", &event), ("victim", &person), ("act_type", "02011111"), ("facility", &facility)],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");

    let r = lawyer.get(app.url(&format!("{case}/export.json"))).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let disposition = r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(disposition.starts_with("attachment; filename=\"ozodi-TJ-"), "{disposition}");
    let body = r.text().await?;
    assert!(!body.contains("Маркер") && !body.contains("123 45 67"), "no identity leaves: {body}");
    let doc: serde_json::Value = serde_json::from_str(&body)?;
    assert_eq!(doc["format"], "ozodi-exchange");
    assert_eq!(doc["version"], 1);
    let exported = &doc["cases"][0];
    assert_eq!(exported["title"], "Избиение в СИЗО");
    assert_eq!(exported["persons"][0]["id"], person.as_str());
    assert!(exported["persons"][0]["pseudonym"].as_str().is_some_and(|p| !p.is_empty()));
    let records = exported["records"].as_array().ok_or("records")?;
    let act = records.iter().find(|r| r["kind"] == "act").ok_or("the act")?;
    assert_eq!(act["data"]["victim"], person.as_str(), "references by id");
    assert_eq!(act["data"]["act_type"], "02011111", "HURIDOCS codes");
    assert_eq!(act["data"]["facility"], facility.as_str());
    let ev = records.iter().find(|r| r["kind"] == "event").ok_or("the event")?;
    assert_eq!(ev["data"]["initial_date"]["precision"], "day-unknown", "dates keep their precision");
    assert_eq!(doc["facilities"][0]["id"], facility.as_str(), "the place the act points at comes along");
    assert_eq!(doc["facilities"][0]["data"]["name"], "СИЗО № 1");

    // The whole list as one document: the lawyer's case; nothing of it for another reader, and
    // the case's own export is a 404 for them, as the case is.
    let all =
        lawyer.get(app.url("/cases?format=json")).send().await?.text().await?.parse::<serde_json::Value>()?;
    assert_eq!(all["cases"].as_array().map(Vec::len), Some(1));
    let operator = app.login("operator").await;
    let theirs = operator
        .get(app.url("/cases?format=json"))
        .send()
        .await?
        .text()
        .await?
        .parse::<serde_json::Value>()?;
    assert_eq!(theirs["cases"].as_array().map(Vec::len), Some(0));
    let r = operator.get(app.url(&format!("{case}/export.json"))).send().await?;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let entries = store
        .audit_entries(&AuditFilter { kind: Some(AuditKind::Exported), limit: 50, ..Default::default() })
        .await?;
    let json: Vec<_> = entries.iter().filter(|e| e.detail.contains("\"format\":\"json\"")).collect();
    assert_eq!(json.len(), 3, "every JSON document written is audited: {json:?}");
    assert!(json.iter().any(|e| e.detail.contains("\"records\":2") && e.detail.contains("\"cases\":1")));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn every_list_view_offers_csv_and_xlsx_to_its_readers() -> Res<()> {
    let app = TestApp::spawn().await;
    // (who reads it, the list), each page offering its downloads.
    let lists = [
        ("lawyer", "/cases"),
        ("lawyer", "/tasks"),
        ("lawyer", "/calendar"),
        ("coordinator", "/lines/none"),
        ("monitor", "/facilities"),
        ("monitor", "/monitoring"),
        ("monitor", "/recommendations"),
        ("monitor", "/recommendations/documents"),
        ("editor", "/meetings"),
        ("editor", "/publications"),
        ("analyst", "/statistics"),
        ("analyst", "/statistics/public"),
        ("analyst", "/rehabilitation"),
        ("psychologist", "/rehabilitation"),
        ("coordinator", "/trainings"),
        ("admin", "/admin/users"),
        ("admin", "/admin/audit"),
    ];
    for (who, path) in lists {
        let client = app.login(who).await;
        let (status, html) = common::text(&app, &client, path).await?;
        assert_eq!(status, StatusCode::OK, "{who} {path}");
        assert!(html.contains("format=csv") && html.contains("format=xlsx"), "{path} offers its downloads");
        let r = client.get(app.url(&format!("{path}?format=csv"))).send().await?;
        assert_eq!(r.status(), StatusCode::OK, "{who} {path} as CSV");
        let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(ct.starts_with("text/csv"), "{path}: {ct}");
        let body = r.text().await?;
        assert!(body.starts_with('\u{feff}'), "{path}: a spreadsheet reads the UTF-8 mark");
        let bytes = client.get(app.url(&format!("{path}?format=xlsx"))).send().await?.bytes().await?;
        assert!(bytes.starts_with(b"PK\x03\x04"), "{path} as an XLSX workbook");
    }
    // The audit trail's download holds the downloads before it (each one audited).
    let admin = app.login("admin").await;
    let csv = admin.get(app.url("/admin/audit?format=csv&kind=export")).send().await?.text().await?;
    assert!(csv.lines().count() > 2 * lists.len(), "{csv}");
    // Not a reader, no download: the operator and the audit trail, the doctor and the users.
    let operator = app.login("operator").await;
    assert_eq!(
        operator.get(app.url("/admin/audit?format=csv")).send().await?.status(),
        StatusCode::FORBIDDEN
    );
    let doctor = app.login("doctor").await;
    assert_eq!(doctor.get(app.url("/admin/users?format=xlsx")).send().await?.status(), StatusCode::FORBIDDEN);
    Ok(())
}
