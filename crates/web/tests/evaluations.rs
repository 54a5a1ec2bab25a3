//! Medico-legal evaluations over HTTP (issue 6): a doctor on the case writes the report and marks
//! findings on the body diagrams (links, no script); signing needs consent and a conclusion and
//! freezes the report, whose printable version carries its hash in every language; the case's
//! lawyer reads it only once the person's consent is recorded, nobody else at all.

mod common;

use common::{TestApp, escaped, pdf_text, raw_markup, script, submit, switch_language, text};
use ozodi_domain::case::CaseId;
use reqwest::StatusCode;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The version field of the workflow form (the page's other forms carry findings' versions), or
/// of the only form on an edit page.
fn version_in(html: &str) -> String {
    let from = html.find("/steps\"").unwrap_or(0);
    let rest = &html[from..];
    let at =
        rest.find("name=\"version\" value=\"").map(|i| i + "name=\"version\" value=\"".len()).unwrap_or(0);
    rest[at..].chars().take_while(char::is_ascii_digit).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_report_is_frozen_printed_with_its_hash_and_read_only_by_its_clinicians() -> Res<()> {
    let app = TestApp::spawn().await;
    let lawyer = app.login("lawyer").await;
    let (_, to) =
        submit(&app, &lawyer, "/cases/new", "/cases", &[("title", "Избиение"), ("summary", "")]).await?;
    let case = CaseId::parse(to.rsplit('/').next().unwrap_or_default()).ok_or("no case")?;
    let page = format!("/cases/{case}");
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("{page}/persons/new"),
        &format!("{page}/persons"),
        &[("name", "Маркерҷон Маркерзода")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let subject = app.store().persons_of_case(case).await?[0].id.to_string();
    let coordinator = app.login("coordinator").await;
    for member in ["doctor", "analyst"] {
        let (status, _) =
            submit(&app, &coordinator, &page, &format!("{page}/team"), &[("username", member)]).await?;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let doctor = app.login("doctor").await;
    // The lawyer, though lead of the case, does not open evaluations.
    let (status, _) = text(&app, &lawyer, &format!("{page}/evaluations/new")).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let payload = script("ip.allegations");
    let (status, to) = submit(
        &app,
        &doctor,
        &format!("{page}/evaluations/new"),
        &format!("{page}/evaluations"),
        &[("subject", &subject), ("allegations", &payload), ("requested_by", "LAWYER")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let base = to.split('?').next().unwrap_or_default().to_owned();
    let (_, html) = text(&app, &doctor, &base).await?;
    assert!(!raw_markup(&html) && html.contains(&escaped(&payload)), "the report escapes what it shows");
    // Every region of the drawing is a link that adds a finding there.
    assert!(
        html.contains(&format!("{base}/findings/new?body_region=B-SOLE-L")),
        "the soles are on the diagram"
    );
    let (status, form) = text(&app, &doctor, &format!("{base}/findings/new?body_region=B-SOLE-L")).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"B-SOLE-L\" selected"), "the region chosen on the drawing is preselected");
    assert!(form.contains("value=\"F-CHEST\""), "and the list offers every region without the drawing");
    for (region, lesion) in [("B-SOLE-L", "BRUISE"), ("F-WRIST-R", "ABRASION")] {
        let (status, to) = submit(
            &app,
            &doctor,
            &format!("{base}/findings/new"),
            &format!("{base}/findings"),
            &[("body_region", region), ("lesion_type", lesion), ("size_mm", "30"), ("consistency", "HC")],
        )
        .await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    }
    let (_, html) = text(&app, &doctor, &base).await?;
    assert!(
        html.contains(">F1</text>") && html.contains(">F2</text>"),
        "both findings are marked on the drawing"
    );

    // Signing: refused without consent, then without a conclusion; signed with both.
    for to in ["SCHEDULED", "EXAMINED", "DRAFTING"] {
        let (_, html) = text(&app, &doctor, &base).await?;
        let (status, _) = submit(
            &app,
            &doctor,
            &base,
            &format!("{base}/steps"),
            &[("to", to), ("version", &version_in(&html))],
        )
        .await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    }
    let (_, html) = text(&app, &doctor, &base).await?;
    let (status, html) = submit(
        &app,
        &doctor,
        &base,
        &format!("{base}/steps"),
        &[("to", "SIGNED"), ("version", &version_in(&html))],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("информированного согласия"), "says what is missing");
    let (_, edit) = text(&app, &doctor, &format!("{base}/edit")).await?;
    let (status, _) = submit(
        &app,
        &doctor,
        &format!("{base}/edit"),
        &base,
        &[
            ("subject", &subject),
            ("allegations", &payload),
            ("informed_consent", "yes"),
            ("overall_consistency", "HC"),
            ("version", &version_in(&edit)),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = text(&app, &doctor, &base).await?;
    let (status, _) = submit(
        &app,
        &doctor,
        &base,
        &format!("{base}/steps"),
        &[("to", "SIGNED"), ("version", &version_in(&html))],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id =
        ozodi_domain::ip::EvaluationId::parse(base.rsplit('/').next().unwrap_or_default()).ok_or("id")?;
    let signed = app.store().evaluation(id).await?.ok_or("gone")?.signed.ok_or("not signed")?;

    // Frozen: no edit, no finding.
    let (status, _) = text(&app, &doctor, &format!("{base}/edit")).await?;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = submit(
        &app,
        &doctor,
        &base,
        &format!("{base}/findings"),
        &[("body_region", "F-CHEST"), ("lesion_type", "BURN")],
    )
    .await?;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.store().evaluation(id).await?.ok_or("gone")?.signed.as_ref(), Some(&signed), "unchanged");

    // Printed in each language, with its hash and the Tajik letters intact.
    for (lang, words) in [
        ("ru", "Судебно-медицинское обследование"),
        ("tg", "Муоинаи тиббӣ-ҳуқуқӣ"),
        ("en", "Medico-legal evaluation"),
    ] {
        switch_language(&app, &doctor, lang).await?;
        let (status, print) = text(&app, &doctor, &format!("{base}/print")).await?;
        assert_eq!(status, StatusCode::OK);
        assert!(
            print.contains(&signed.sha256) && print.contains(words),
            "{lang}: the printed report carries its hash"
        );
        assert!(print.contains("<svg") && !raw_markup(&print), "{lang}: the diagram, nothing raw");
        if lang == "tg" {
            assert!(print.contains("Кафи пойи чап"), "Tajik region names intact");
        }
        // The PDF, read back as text (poppler's pdftotext): the hash, the words, the letters.
        let r = app.get(&doctor, &format!("{base}/pdf")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
        let pdf = r.bytes().await?;
        let text = pdf_text(&pdf)?;
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(words), "{lang}: the PDF's title: {flat}");
        assert!(flat.replace(' ', "").contains(&signed.sha256), "{lang}: the PDF carries the hash");
        if lang == "tg" {
            assert!(flat.contains("Кафи пойи чап"), "Tajik region names intact in the PDF");
            assert!(flat.contains("Ҳуҷҷати махфии тиббӣ"), "ҳ, ҷ and ӣ intact in the PDF");
            assert!(flat.contains("Саҳифаи 1 аз"), "the page footer in Tajik");
        }
    }

    // The lawyer reads it only once the person's consent is recorded; the coordinator and the
    // analyst on the team never.
    let (status, _) = text(&app, &lawyer, &base).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, case_page) = text(&app, &lawyer, &page).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(!case_page.contains(&base), "not even listed");
    let (status, case_page) = text(&app, &doctor, &page).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(case_page.contains(&base) && case_page.contains("ME-0001"), "listed to the doctor");
    let (status, _) = submit(&app, &doctor, &base, &format!("{base}/sharing"), &[("share", "yes")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = text(&app, &lawyer, &base).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&signed.sha256) && !html.contains(&format!("{base}/steps")), "read only");
    let (_, case_page) = text(&app, &lawyer, &page).await?;
    assert!(case_page.contains(&base), "listed to the lawyer once shared");
    let analyst = app.login("analyst").await;
    for who in [&coordinator, &analyst] {
        let (status, _) = text(&app, who, &base).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = text(&app, who, &format!("{base}/print")).await?;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = submit(&app, &doctor, &base, &format!("{base}/sharing"), &[("share", "no")]).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = text(&app, &lawyer, &base).await?;
    assert_eq!(status, StatusCode::NOT_FOUND, "withdrawn consent closes it again");

    // A correction is an addendum.
    let (status, to) = submit(
        &app,
        &doctor,
        &format!("{page}/evaluations/new?amends={id}"),
        &format!("{page}/evaluations?amends={id}"),
        &[("subject", &subject), ("allegations", "Уточнение: повреждение F2 на левом запястье.")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let (_, html) = text(&app, &doctor, to.split('?').next().unwrap_or_default()).await?;
    assert!(html.contains("ME-0001"), "the addendum names the report it corrects");
    Ok(())
}
