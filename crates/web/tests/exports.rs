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
