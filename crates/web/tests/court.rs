//! The case file for court over HTTP (issue 6): the case's lawyer chooses sections and whom it is
//! for; the file lists every evidence item with its SHA-256, names who produced it, when and for
//! whom on every page, and writes an audit entry; names appear only when chosen by someone with
//! identity access, each audited as a reveal; the PDF reads back in all three languages with the
//! Tajik letters intact; nobody else on the team produces one.

mod common;

use common::{TestApp, pdf_text, raw_markup, script, submit, switch_language, text};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseId;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sha2::{Digest, Sha256};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const NAME: &str = "Судҷон Қурбонзода";
const FILE: &[u8] =
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% court file test\n";

/// The entries of `kind` in the audit trail.
async fn entries(app: &TestApp, kind: AuditKind) -> Res<Vec<ozodi_store::AuditRow>> {
    let filter =
        ozodi_store::AuditFilter { kind: Some(kind), limit: 1000, ..ozodi_store::AuditFilter::default() };
    Ok(app.store().audit_entries(&filter).await?)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lawyer_produces_a_court_file_with_hashes_a_footer_and_an_audit_entry() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let (_, to) =
        submit(&app, &lawyer, "/cases/new", "/cases", &[("title", "Шиканҷа дар ҳабс"), ("summary", "")])
            .await?;
    let case = CaseId::parse(to.rsplit('/').next().unwrap_or_default()).ok_or("no case")?;
    let page = format!("/cases/{case}");
    submit(&app, &lawyer, &format!("{page}/persons/new"), &format!("{page}/persons"), &[("name", NAME)])
        .await?;
    let payload = script("court.event");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{page}/events/new"),
        &format!("{page}/events"),
        &[("title", payload.as_str()), ("initial_date.y", "2026"), ("initial_date.m", "10")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let token = app.csrf(&lawyer, &format!("{page}/evidence/new")).await;
    let part = Part::bytes(FILE.to_vec()).file_name("xulosa.pdf").mime_str("application/pdf")?;
    let form = Form::new()
        .text("csrf", token)
        .text("title", "Хулосаи табиб")
        .text("description", "")
        .part("file", part);
    let r = lawyer.post(app.url(&format!("{page}/evidence"))).multipart(form).send().await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let sha256 = hex::encode(Sha256::digest(FILE));
    let coordinator = app.login("coordinator").await;
    for member in ["doctor", "analyst"] {
        submit(&app, &coordinator, &page, &format!("{page}/team"), &[("username", member)]).await?;
    }

    // The case page offers it to the lawyer; the form offers names to them alone.
    let (_, html) = text(&app, &lawyer, &page).await?;
    assert!(html.contains(&format!("{page}/court-file")));
    let court = format!("{page}/court-file");
    let (status, form) = text(&app, &lawyer, &court).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"identities\"") && form.contains("value=\"evidence\" aria-describedby"));
    // Nobody else on the team; the coordinator, yes, without names.
    for who in ["doctor", "analyst", "operator"] {
        let client = app.login(who).await;
        let (status, html) = text(&app, &client, &court).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
        assert!(!html.contains("court-recipient"), "{who}");
        let (status, _) =
            submit(&app, &client, &page, &court, &[("section", "case"), ("recipient", "Суд")]).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who}");
    }
    let (status, form) = text(&app, &coordinator, &court).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(!form.contains("value=\"identities\""), "the coordinator is not offered names");
    let (status, _) =
        submit(&app, &coordinator, &court, &court, &[("section", "identities"), ("recipient", "Суди ноҳия")])
            .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a forged choice of names is refused");

    // Bad requests: refused with a reason, nothing produced, nothing audited.
    let (status, html) = submit(&app, &lawyer, &court, &court, &[("recipient", "Суди ноҳияи Сино")]).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"court-error\"") && html.contains("хотя бы один раздел"));
    let (status, html) =
        submit(&app, &lawyer, &court, &court, &[("section", "case"), ("recipient", " ")]).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("для кого дело"));
    let (status, _) = submit(
        &app,
        &lawyer,
        &court,
        &court,
        &[("section", "case"), ("recipient", "Суд"), ("format", "docx")],
    )
    .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(entries(&app, AuditKind::CourtFileProduced).await?.is_empty());

    // The printable file: the sections chosen, the evidence hash, the footer, no names.
    let recipient = "Суди ноҳияи Сино, парвандаи 1-234/2026";
    let fields = [
        ("section", "case"),
        ("section", "persons"),
        ("section", "documentation"),
        ("section", "evidence"),
        ("recipient", recipient),
        ("format", "html"),
    ];
    let (status, html) = submit(&app, &lawyer, &court, &court, &fields).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&sha256), "the evidence item's SHA-256 is listed");
    assert!(html.contains("E-0001 · Хулосаи табиб"));
    assert!(
        html.contains("class=\"print-footer\"") && html.contains(recipient),
        "the footer names the recipient"
    );
    assert!(html.contains("Сформировал(а) Test lawyer"), "and who produced it");
    assert!(html.contains("P-0001") && !html.contains("Қурбонзода"), "persons by pseudonym only");
    assert!(!raw_markup(&html), "what the records hold is escaped");
    assert!(!html.contains("Заседания и сроки"), "a section not chosen is left out");
    let audit = entries(&app, AuditKind::CourtFileProduced).await?;
    assert_eq!(audit.len(), 1, "producing the file is audited once");
    let detail = &audit[0].detail;
    assert!(
        detail.contains("evidence") && detail.contains("html") && detail.contains("1-234/2026"),
        "{detail}"
    );
    assert!(!detail.contains("Қурбонзода"));

    // The PDF in every language, with names chosen: Tajik letters intact, the hash, the footer;
    // each name shown is a reveal in the audit trail.
    let reveals_before = entries(&app, AuditKind::IdentityRevealed).await?.len();
    for (lang, title) in
        [("ru", "Дело для суда"), ("tg", "Парванда барои суд"), ("en", "Case file for court")]
    {
        switch_language(&app, &lawyer, lang).await?;
        let fields = [
            ("section", "case"),
            ("section", "identities"),
            ("section", "evidence"),
            ("recipient", recipient),
            ("format", "pdf"),
        ];
        let r = app.post(&lawyer, &court, &court, &fields).await;
        assert_eq!(r.status(), StatusCode::OK, "{lang}");
        assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
        let disposition = r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(disposition.starts_with("attachment") && !disposition.contains("Қурбон"), "{disposition}");
        let text = pdf_text(&r.bytes().await?)?;
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(title), "{lang}: the title: {flat}");
        assert!(flat.contains(NAME), "{lang}: the name, Tajik letters intact: {flat}");
        assert!(flat.contains("Шиканҷа дар ҳабс"), "{lang}: the case title");
        assert!(flat.contains("Сино"), "{lang}: the footer's recipient");
        assert!(flat.replace(' ', "").contains(&sha256), "{lang}: the evidence hash");
    }
    let reveals = entries(&app, AuditKind::IdentityRevealed).await?;
    assert_eq!(reveals.len(), reveals_before + 3, "one reveal per name shown");
    assert!(reveals[0].detail.contains("court file"), "the reveal's purpose names the court file");
    assert_eq!(entries(&app, AuditKind::CourtFileProduced).await?.len(), 4);
    Ok(())
}
