//! Evidence through the pages: the file is streamed into an encrypted blob, its SHA-256 recorded
//! and shown; downloads return the original as an attachment; every view and download is in the
//! chain of custody; oversized, empty, mistyped and forged uploads store nothing; no plaintext of
//! an uploaded file is anywhere under the data directory.

mod common;

use common::{TestApp, TestResult, location};
use ozodi_web::WebConfig;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sha2::{Digest, Sha256};

const MARKER: &str = "ПЛЕЙНТЕКСТ-МАРКЕР-ДОКАЗАТЕЛЬСТВА-7Q";

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    while bytes.len() < size {
        bytes.extend_from_slice(MARKER.as_bytes());
        bytes.push(b'\n');
    }
    bytes.truncate(size);
    bytes
}

#[expect(clippy::too_many_arguments, reason = "each upload test varies a different part of the request")]
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    case: &str,
    csrf: Option<String>,
    title: &str,
    file: Vec<u8>,
    name: &str,
    mime: &str,
) -> reqwest::Response {
    let token = match csrf {
        Some(t) => t,
        None => app.csrf(client, &format!("{case}/evidence/new")).await,
    };
    let part = Part::bytes(file).file_name(name.to_owned()).mime_str(mime).unwrap_or_else(|e| panic!("{e}"));
    let form = Form::new()
        .text("csrf", token)
        .text("title", title.to_owned())
        .text("description", "")
        .part("file", part);
    client
        .post(app.url(&format!("{case}/evidence")))
        .multipart(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_encrypted_hashed_and_downloaded_intact_with_a_custody_log() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let r = app.post(&lawyer, "/cases/new", "/cases", &[("title", "Дело"), ("summary", "")]).await;
    let case = location(&r);
    // Three chunks and a bit: the streaming path, not one buffer.
    let original = pdf(200_000);
    let expected = hex::encode(Sha256::digest(&original));
    let r = upload(
        &app,
        &lawyer,
        &case,
        None,
        "Заключение эксперта",
        original.clone(),
        "заключение.pdf",
        "application/pdf",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let item = location(&r).split('?').next().unwrap_or_default().to_owned();
    let page = app.get(&lawyer, &item).await.text().await?;
    assert!(page.contains(&expected), "the page shows the SHA-256 recorded at ingest");
    assert!(page.contains("E-0001") && page.contains("заключение.pdf"));

    let r = app.get(&lawyer, &format!("{item}/download")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition =
        r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(r.headers().get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    let body = r.bytes().await?;
    assert_eq!(hex::encode(Sha256::digest(&body)), expected, "the download is the original");

    let page = app.get(&lawyer, &item).await.text().await?;
    for action in ["получено, отпечаток снят", "просмотрено", "скачано"]
    {
        assert!(page.contains(action), "custody log lacks {action}");
    }
    assert!(app.get(&lawyer, &case).await.text().await?.contains("E-0001"), "listed on the case page");

    // Outsiders: 404 for the page and the file.
    let doctor = app.login("doctor").await;
    assert_eq!(app.get(&doctor, &item).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&doctor, &format!("{item}/download")).await.status(), StatusCode::NOT_FOUND);

    // A tombstone with a reason, restored by the coordinator; the file stays intact throughout.
    let r = app.post(&lawyer, &format!("{item}/delete"), &format!("{item}/delete"), &[("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &lawyer,
            &format!("{item}/delete"),
            &format!("{item}/delete"),
            &[("reason", "загружено по ошибке")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!app.get(&lawyer, &case).await.text().await?.contains("E-0001"));
    let r = app.post(&lawyer, &item, &format!("{item}/restore"), &[]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "only the coordinator restores");
    let coordinator = app.login("coordinator").await;
    let r = app.post(&coordinator, &item, &format!("{item}/restore"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.get(&lawyer, &case).await.text().await?.contains("E-0001"));

    // No plaintext of the file anywhere under the data directory.
    let mut files = Vec::new();
    files_under(app.dir.path(), &mut files);
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "blob")), "a blob was written");
    for f in files {
        let bytes = std::fs::read(&f)?;
        assert!(!bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()), "plaintext in {}", f.display());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_empty_mistyped_and_forged_uploads_store_nothing() -> TestResult {
    let config = WebConfig { max_evidence_bytes: 100_000, ..WebConfig::default() };
    let app = TestApp::spawn_with(config, true).await;
    let lawyer = app.login("lawyer").await;
    let r = app.post(&lawyer, "/cases/new", "/cases", &[("title", "Дело"), ("summary", "")]).await;
    let case = location(&r);

    let r = upload(&app, &lawyer, &case, None, "Большой", pdf(150_000), "big.pdf", "application/pdf").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Refused before the body was read to the end: the connection is not reused for the next
    // request (which would otherwise fail on the client's side).
    assert_eq!(r.headers().get("connection").and_then(|v| v.to_str().ok()), Some("close"));
    assert!(r.text().await?.contains("Файл больше"));
    let next = app.get(&lawyer, &case).await;
    assert_eq!(next.status(), StatusCode::OK, "the next request after a refused upload goes through");
    let r = upload(&app, &lawyer, &case, None, "Пустой", Vec::new(), "empty.pdf", "application/pdf").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await?.contains("загрузка была пустой"));
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0 payload".to_vec();
    let r = upload(&app, &lawyer, &case, None, "Программа", elf, "report.pdf", "application/pdf").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await?.contains("не соответствует"));
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let r = upload(&app, &lawyer, &case, None, "Страница", html, "x.html", "text/html").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A forged request without the session's CSRF token.
    let r = upload(
        &app,
        &lawyer,
        &case,
        Some("forged".into()),
        "Подделка",
        pdf(1000),
        "a.pdf",
        "application/pdf",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A team outsider gets the same 404 as for the case.
    let doctor = app.login("doctor").await;
    let token = app.csrf(&doctor, "/dashboard").await;
    let r = upload(&app, &doctor, &case, Some(token), "Чужой", pdf(1000), "a.pdf", "application/pdf").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let case_id =
        ozodi_domain::case::CaseId::parse(case.rsplit('/').next().unwrap_or_default()).ok_or("id")?;
    assert!(app.store().evidence_of_case(case_id).await?.is_empty(), "no record was written");
    let mut files = Vec::new();
    files_under(&app.dir.path().join("data").join("evidence"), &mut files);
    assert!(files.is_empty(), "no file was left behind: {files:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_files_stay_in_the_compartment() -> TestResult {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let r = app.post(&lawyer, "/cases/new", "/cases", &[("title", "Дело"), ("summary", "")]).await;
    let case = location(&r);
    app.post(&lawyer, &case, &format!("{case}/team"), &[("username", "doctor")]).await;
    let token = app.csrf(&lawyer, &format!("{case}/evidence/new")).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let part = Part::bytes(png).file_name("face.png").mime_str("image/png")?;
    let form = Form::new()
        .text("csrf", token)
        .text("title", "Фото лица")
        .text("description", "")
        .text("identity", "on")
        .part("file", part);
    let r = lawyer.post(app.url(&format!("{case}/evidence"))).multipart(form).send().await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let item = location(&r).split('?').next().unwrap_or_default().to_owned();
    assert!(app.get(&lawyer, &case).await.text().await?.contains("Фото лица"));
    assert_eq!(app.get(&lawyer, &format!("{item}/download")).await.status(), StatusCode::OK);

    // The doctor is on the team without identity access: not listed, not reachable.
    let doctor = app.login("doctor").await;
    assert!(!app.get(&doctor, &case).await.text().await?.contains("Фото лица"));
    assert_eq!(app.get(&doctor, &item).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&doctor, &format!("{item}/download")).await.status(), StatusCode::NOT_FOUND);
    // Nor may the doctor file something into the compartment.
    let token = app.csrf(&doctor, &format!("{case}/evidence/new")).await;
    let form = Form::new()
        .text("csrf", token)
        .text("title", "x")
        .text("identity", "on")
        .part("file", Part::bytes(pdf(100)).file_name("a.pdf").mime_str("application/pdf")?);
    let r = doctor.post(app.url(&format!("{case}/evidence"))).multipart(form).send().await?;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The file lives in its own directory, apart from case evidence.
    let mut identity_files = Vec::new();
    files_under(&app.dir.path().join("data").join("identity-files"), &mut identity_files);
    let mut case_files = Vec::new();
    files_under(&app.dir.path().join("data").join("evidence"), &mut case_files);
    assert_eq!((identity_files.len(), case_files.len()), (1, 0));
    Ok(())
}
