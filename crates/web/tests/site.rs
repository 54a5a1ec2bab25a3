//! The public website (issue 8): the publishing course and who may take which step, what the
//! public sees (only published versions, Markdown rendered safely), that the site's listener
//! knows nothing of the internal system and sets no cookie, and that the static copy's links all
//! resolve in the folder it was written to.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{TestApp, photo_with, submit, text};
use reqwest::StatusCode;
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Serves the public site of `app` on its own listener (127.0.0.1, port 0); returns its base.
async fn site(app: &TestApp) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let base = format!("http://{}", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let state = app.state.clone();
    tokio::spawn(async move {
        let _ = ozodi_web::site::serve(listener, state, std::future::pending()).await;
    });
    base
}

/// Creates a publication as `client` and returns its id.
async fn create(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> Result<String, Box<dyn std::error::Error>> {
    let (status, target) = submit(app, client, "/publications/new", "/publications", fields).await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{target}");
    Ok(target.trim_start_matches("/publications/").split('?').next().unwrap_or("").to_owned())
}

/// The stage and version the publication's panel offers its steps at.
async fn drawn_at(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
) -> Result<(String, String), Box<dyn std::error::Error>> {
    let (_, html) = text(app, client, &format!("/publications/{id}")).await?;
    let value = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        html.find(&marker).map(|i| html[i + marker.len()..].split('"').next().unwrap_or("").to_owned())
    };
    Ok((value("from").unwrap_or_default(), value("version").unwrap_or_default()))
}

async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    step: &str,
) -> Result<(StatusCode, String), Box<dyn std::error::Error>> {
    let (from, version) = drawn_at(app, client, id).await?;
    let from = if from.is_empty() { "draft".to_owned() } else { from };
    let version = if version.is_empty() { "1".to_owned() } else { version };
    submit(
        app,
        client,
        &format!("/publications/{id}"),
        &format!("/publications/{id}/steps"),
        &[("step", step), ("from", &from), ("version", &version), ("note", "")],
    )
    .await
}

const XSS_BODY: &str = "## Итоги\n\nТекст **важный**.\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[нажми](javascript:alert(1))\n\n[источник](https://example.org/report)";

#[tokio::test(flavor = "multi_thread")]
async fn a_publication_goes_public_only_when_an_editor_publishes_the_reviewed_version() -> TestResult {
    let app = TestApp::spawn().await;
    let site = site(&app).await;
    let public = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let lawyer = app.login("lawyer").await;
    let id = create(
        &app,
        &lawyer,
        &[
            ("title", "Доклад о пытках в ИВС"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("initial_date.m", "3"),
            ("initial_date.d", "1"),
            ("lang", "ru"),
            ("tags", "пытки, ИВС"),
            ("summary", "Краткое содержание доклада."),
            ("body", XSS_BODY),
            ("remarks", "ВНУТРЕННЯЯ ПОМЕТКА"),
        ],
    )
    .await?;
    let record =
        app.store().record(ozodi_domain::record::RecordId::parse(&id).ok_or("id")?).await?.ok_or("gone")?;
    let page = format!("/ru/publications/{}.html", record.seq);

    // A draft is not public.
    assert_eq!(public.get(format!("{site}{page}")).send().await?.status(), StatusCode::NOT_FOUND);
    // The author may ask for review but not publish; publishing skips no review.
    assert_eq!(step(&app, &lawyer, &id, "publish").await?.0, StatusCode::FORBIDDEN);
    let editor = app.login("editor").await;
    let (status, body) = step(&app, &editor, &id, "publish").await?;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(step(&app, &lawyer, &id, "submit").await?.0, StatusCode::SEE_OTHER);
    // An analyst keeps the advocacy log too but decides nothing about the public site.
    let analyst = app.login("analyst").await;
    assert_eq!(step(&app, &analyst, &id, "publish").await?.0, StatusCode::FORBIDDEN);

    // A text with a script address does not go public; the panel says why.
    let (status, body) = step(&app, &editor, &id, "publish").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("javascript:alert(1)"), "the refused link is named: {body}");
    assert_eq!(public.get(format!("{site}{page}")).send().await?.status(), StatusCode::NOT_FOUND);

    // Corrected, reviewed again, published.
    let version = app.store().record(record.id).await?.ok_or("gone")?.version.to_string();
    let fixed = XSS_BODY.replace("[нажми](javascript:alert(1))", "нажми");
    let (status, target) = submit(
        &app,
        &lawyer,
        &format!("/publications/{id}/edit"),
        &format!("/publications/{id}"),
        &[
            ("version", version.as_str()),
            ("title", "Доклад о пытках в ИВС"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("initial_date.m", "3"),
            ("initial_date.d", "1"),
            ("lang", "ru"),
            ("tags", "пытки, ИВС"),
            ("summary", "Краткое содержание доклада."),
            ("body", fixed.as_str()),
            ("remarks", "ВНУТРЕННЯЯ ПОМЕТКА"),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{target}");
    let (status, body) = step(&app, &editor, &id, "publish").await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

    let response = public.get(format!("{site}{page}")).send().await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("set-cookie").is_none());
    let html = response.text().await?;
    assert!(html.contains("<strong>важный</strong>"));
    // The raw HTML of the text is shown as text, never run.
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(!html.contains("onerror=alert") || html.contains("&lt;img"), "{html}");
    assert!(html.contains("rel=\"noopener noreferrer\""));
    // Internal remarks never reach the public.
    assert!(!html.contains("ВНУТРЕННЯЯ ПОМЕТКА"));
    assert!(html.contains("<html lang=\"ru\">"));

    // Later edits stay internal until they are reviewed and published again.
    let version = app.store().record(record.id).await?.ok_or("gone")?.version.to_string();
    let (status, _) = submit(
        &app,
        &lawyer,
        &format!("/publications/{id}/edit"),
        &format!("/publications/{id}"),
        &[
            ("version", version.as_str()),
            ("title", "Доклад о пытках в ИВС — черновик правки"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("initial_date.m", "3"),
            ("initial_date.d", "1"),
            ("lang", "ru"),
            ("body", "Новая, ещё не проверенная редакция."),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = public.get(format!("{site}{page}")).send().await?.text().await?;
    assert!(!html.contains("черновик правки") && !html.contains("не проверенная"), "{html}");

    // In its language's feed and sitemap, not in the others'.
    let feed = public.get(format!("{site}/ru/feed.atom")).send().await?;
    assert!(
        feed.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/atom+xml"))
    );
    let feed = feed.text().await?;
    assert!(
        feed.contains("<title>Доклад о пытках в ИВС</title>") && feed.contains(&format!("urn:uuid:{id}")),
        "{feed}"
    );
    assert!(!feed.contains("ВНУТРЕННЯЯ"));
    let tg_feed = public.get(format!("{site}/tg/feed.atom")).send().await?.text().await?;
    assert!(!tg_feed.contains("Доклад о пытках"));
    let map = public.get(format!("{site}/ru/sitemap.xml")).send().await?.text().await?;
    assert!(map.contains(&format!("{site}{page}</loc>")), "{map}");
    assert!(!public.get(format!("{site}/en/sitemap.xml")).send().await?.text().await?.contains(&page));
    let index = public.get(format!("{site}/sitemap.xml")).send().await?.text().await?;
    for lang in ["ru", "tg", "en"] {
        assert!(index.contains(&format!("<loc>{site}/{lang}/sitemap.xml</loc>")), "{index}");
    }
    // Search finds it by another form of the word (the internal search's analysis).
    let found = public.get(format!("{site}/ru/library.html?q=пыткам")).send().await?.text().await?;
    assert!(found.contains("Доклад о пытках в ИВС"), "{found}");

    // Taken down: gone from the page, the library, the feed and the search.
    let (status, _) = step(&app, &editor, &id, "unpublish").await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(public.get(format!("{site}{page}")).send().await?.status(), StatusCode::NOT_FOUND);
    let feed = public.get(format!("{site}/ru/feed.atom")).send().await?.text().await?;
    assert!(!feed.contains("Доклад о пытках"));
    let found = public.get(format!("{site}/ru/library.html?q=пыткам")).send().await?.text().await?;
    assert!(!found.contains("Доклад о пытках в ИВС"));

    // Every publish and unpublish is in the audit trail, with the version concerned.
    let steps = app.store().publication_course(record.id).await?.steps;
    let codes: Vec<&str> = steps.iter().map(|s| s.step.code()).collect();
    assert_eq!(codes, ["submit", "publish", "unpublish"]);
    assert_eq!(
        steps[1].version,
        steps[1].public_version.unwrap_or(0),
        "the published version is the one reviewed"
    );
    let audit = app.get(&app.login("admin").await, "/admin/audit").await.text().await?;
    assert!(
        audit.contains(&ozodi_i18n::Lang::En.t("audit-kind-publication-step"))
            || audit.contains(&ozodi_i18n::Lang::Ru.t("audit-kind-publication-step"))
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_site_knows_nothing_of_the_internal_system_and_sets_no_cookie() -> TestResult {
    let app = TestApp::spawn().await;
    let site = site(&app).await;
    let public = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    // Even with a stolen session cookie, nothing internal answers on the site's listener.
    for path in [
        "/login",
        "/dashboard",
        "/cases",
        "/cases/new",
        "/admin/users",
        "/admin/audit",
        "/unseal",
        "/statistics",
        "/publications",
        "/contacts/new",
        "/search",
        "/lang",
        "/healthz",
        "/feeds/calendar/x",
        "/ru/../login",
        "/ru/library/../../cases",
    ] {
        let r = public.get(format!("{site}{path}")).header("cookie", "ozodi_session=forged").send().await?;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(r.headers().get("set-cookie").is_none(), "{path}");
        let body = r.text().await?;
        assert!(!body.contains("/login") && !body.contains("/dashboard"), "{path}: {body}");
    }
    let r = public.post(format!("{site}/login")).form(&[("username", "lawyer")]).send().await?;
    assert!(r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::METHOD_NOT_ALLOWED);
    // The anonymous report form is there, knowing nobody either.
    let r = public.get(format!("{site}/report?lang=tg")).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none());
    let form = r.text().await?;
    assert!(form.contains("<html lang=\"tg\">") && !form.contains("/login"));
    let css_gz = public
        .get(format!("{site}/site.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await?
        .bytes()
        .await?
        .len();
    // Its pages: no cookie, no link to an internal address, correct languages, hreflang.
    for lang in ["ru", "tg", "en"] {
        for page in ["index", "library", "statistics", "members", "groups", "principles", "contacts"] {
            let r = public.get(format!("{site}/{lang}/{page}.html")).send().await?;
            assert_eq!(r.status(), StatusCode::OK, "{lang}/{page}");
            assert!(r.headers().get("set-cookie").is_none());
            let html = r.text().await?;
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{lang}/{page}");
            // Under 50 KB compressed on a first visit (the stylesheet included).
            let gz = public
                .get(format!("{site}/{lang}/{page}.html"))
                .header("accept-encoding", "gzip")
                .send()
                .await?
                .bytes()
                .await?
                .len();
            assert!(gz + css_gz < 50 * 1024, "{lang}/{page}: {gz} + {css_gz} bytes");
            for other in ["ru", "tg", "en"] {
                assert!(html.contains(&format!("hreflang=\"{other}\"")), "{lang}/{page}");
            }
            for href in links(&html) {
                assert!(!href.starts_with('/'), "{lang}/{page}: absolute link {href}");
                let own = href.starts_with(&format!("{site}/"));
                assert!(own || !href.starts_with("http"), "{lang}/{page}: a link elsewhere: {href}");
            }
        }
    }
    Ok(())
}

/// Every `href` and `src` of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_static_copy_opens_from_a_folder_with_every_link_resolving() -> TestResult {
    let app = TestApp::spawn().await;
    let editor = app.login("editor").await;
    let mut ids = Vec::new();
    for (lang, title) in [
        ("ru", "Пресс-релиз о мониторинге"),
        ("tg", "Мақола дар бораи ҳабсхона"),
        ("en", "Interview on detention"),
    ] {
        let id = create(
            &app,
            &editor,
            &[
                ("title", title),
                ("publication_kind", "PRESS_RELEASE"),
                ("initial_date.y", "2025"),
                ("initial_date.m", "6"),
                ("lang", lang),
                ("tags", "мониторинг, ҳуқуқи инсон"),
                ("body", "Текст [другая публикация](../index.html) и *курсив*."),
            ],
        )
        .await?;
        assert_eq!(step(&app, &editor, &id, "submit").await?.0, StatusCode::SEE_OTHER);
        assert_eq!(step(&app, &editor, &id, "publish").await?.0, StatusCode::SEE_OTHER);
        ids.push(id);
    }
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("site");
    let written = ozodi_web::site::export(app.state.clone(), &out, None).await?;
    assert!(written > 40, "{written}");
    // A second export into the same folder is refused rather than mixing two copies.
    assert!(ozodi_web::site::export(app.state.clone(), &out, None).await.is_err());

    // The link checker: every relative link of every page names a file of the copy.
    let mut pages = Vec::new();
    collect(&out, &mut pages)?;
    let mut checked = 0;
    let mut broken = BTreeSet::new();
    for page in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        let html = std::fs::read_to_string(page)?;
        assert!(!html.contains("search\" method"), "no live search form in the copy");
        for href in links(&html) {
            if href.starts_with("http")
                || href.starts_with("mailto:")
                || href.starts_with("tel:")
                || href.starts_with('#')
            {
                continue;
            }
            assert!(!href.starts_with('/'), "{}: {href}", page.display());
            let path = href.split(['#', '?']).next().unwrap_or("");
            let target = page.parent().ok_or("no parent")?.join(path);
            checked += 1;
            if !target.is_file() {
                broken.insert(format!("{} → {href}", page.strip_prefix(&out)?.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.into_iter().collect::<Vec<_>>().join("\n"));
    assert!(checked > 500, "{checked}");
    // The tag pages exist under their Tajik names.
    assert!(out.join("tg/library/tag-ҳуқуқи-инсон.html").is_file());
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn attached_files_go_public_with_the_publication_and_photos_lose_their_metadata() -> TestResult {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::spawn().await;
    let site = site(&app).await;
    let public = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let editor = app.login("editor").await;
    let id = create(
        &app,
        &editor,
        &[
            ("title", "Фотографии из СИЗО"),
            ("publication_kind", "ARTICLE"),
            ("initial_date.y", "2026"),
            ("lang", "ru"),
            ("body", "См. фото."),
        ],
    )
    .await?;
    let upload = |bytes: Vec<u8>, name: &str, token: String| -> Result<Form, Box<dyn std::error::Error>> {
        Ok(Form::new().text("csrf", token).part("file", Part::bytes(bytes).file_name(name.to_owned())))
    };
    let token = app.csrf(&editor, &format!("/publications/{id}")).await;
    let marker = "Marker-GPS-38.5598N-68.7870E";
    let r = editor
        .post(app.url(&format!("/publications/{id}/files")))
        .multipart(upload(photo_with(marker), "../../IMG_0001.JPG", token.clone())?)
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Anything but a PDF or a picture is refused, and nothing is stored.
    let r = editor
        .post(app.url(&format!("/publications/{id}/files")))
        .multipart(upload(b"MZ\x90\0 not a document".to_vec(), "report.pdf.exe", token.clone())?)
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Without the token first, nothing is read.
    let r = editor
        .post(app.url(&format!("/publications/{id}/files")))
        .multipart(Form::new().part("file", Part::bytes(photo_with("x")).file_name("a.jpg")))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let rid = ozodi_domain::record::RecordId::parse(&id).ok_or("id")?;
    let files = app.store().publication_files(rid).await?;
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(file.name, "IMG_0001.jpg", "no path in a name");
    let (_, stored) = app.store().publication_file(file.id, false).await?.ok_or("no file")?;
    assert!(!String::from_utf8_lossy(&stored).contains(marker), "the photo's metadata is gone");
    let address = format!("{site}/files/{}.jpg", file.id);
    // Not public before the publication is.
    assert_eq!(public.get(&address).send().await?.status(), StatusCode::NOT_FOUND);
    assert_eq!(step(&app, &editor, &id, "submit").await?.0, StatusCode::SEE_OTHER);
    assert_eq!(step(&app, &editor, &id, "publish").await?.0, StatusCode::SEE_OTHER);
    let r = public.get(&address).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/jpeg"));
    assert_eq!(r.bytes().await?.to_vec(), stored);
    let record = app.store().record(rid).await?.ok_or("gone")?;
    let page = public.get(format!("{site}/ru/publications/{}.html", record.seq)).send().await?.text().await?;
    assert!(
        page.contains(&format!("../../files/{}.jpg", file.id)) && page.contains("loading=\"lazy\""),
        "{page}"
    );
    // Taken down: the file goes with it.
    assert_eq!(step(&app, &editor, &id, "unpublish").await?.0, StatusCode::SEE_OTHER);
    assert_eq!(public.get(&address).send().await?.status(), StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_coalitions_pages_are_written_by_editors_in_each_language() -> TestResult {
    let app = TestApp::spawn().await;
    let site = site(&app).await;
    let public = reqwest::Client::new();
    let lawyer = app.login("lawyer").await;
    assert_eq!(app.get(&lawyer, "/site-pages").await.status(), StatusCode::FORBIDDEN);
    let r = app
        .post(
            &lawyer,
            "/publications",
            "/site-pages/members/tg",
            &[("version", "0"), ("title", "x"), ("body", "y")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let editor = app.login("editor").await;
    let (status, html) = text(&app, &editor, "/site-pages").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("/site-pages/members/tg"));
    let form = "/site-pages/members/tg";
    let fields =
        [("version", "0"), ("title", "Аъзоёни эътилоф"), ("body", "Ташкилоти **ҷамъиятии** «Намуна»")];
    let (status, _) = submit(&app, &editor, form, form, &fields).await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = public.get(format!("{site}/tg/members.html")).send().await?.text().await?;
    assert!(page.contains("<strong>ҷамъиятии</strong>") && page.contains("Аъзоёни эътилоф"), "{page}");
    // Saving over someone else's change is refused, and nothing changes.
    let (status, _) =
        submit(&app, &editor, form, form, &[("version", "0"), ("title", "Кӯҳна"), ("body", "Матни кӯҳна")])
            .await?;
    assert_eq!(status, StatusCode::CONFLICT);
    // A link into the internal system is refused.
    let (status, body) = submit(
        &app,
        &editor,
        form,
        form,
        &[("version", "1"), ("title", "Аъзоён"), ("body", "[парванда](/cases/1)")],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("/cases/1"));
    let page = public.get(format!("{site}/tg/members.html")).send().await?.text().await?;
    assert!(page.contains("Аъзоёни эътилоф") && !page.contains("Кӯҳна") && !page.contains("парванда"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_publication_cites_a_case_only_through_its_public_summary() -> TestResult {
    let app = TestApp::spawn().await;
    let site = site(&app).await;
    let public = reqwest::Client::new();
    let lawyer = app.login("lawyer").await;
    let (status, target) = submit(
        &app,
        &lawyer,
        "/cases/new",
        "/cases",
        &[("title", "Избиение в ИВС Бохтара"), ("summary", "ВНУТРЕННЕЕ: Шарипов А., задержан 12.03 в 14:00")],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case_path = target.split('?').next().unwrap_or("").to_owned();
    let case = app
        .store()
        .case(ozodi_domain::case::CaseId::parse(case_path.trim_start_matches("/cases/")).ok_or("case id")?)
        .await?
        .ok_or("no case")?;
    let number = case.number.to_string();

    let editor = app.login("editor").await;
    let id = create(
        &app,
        &editor,
        &[
            ("title", "Пытки в изоляторах"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("lang", "ru"),
            ("body", "Обзор."),
            ("cited_cases", &format!("{number}, TJ-2026-9999")),
        ],
    )
    .await?;
    assert_eq!(step(&app, &editor, &id, "submit").await?.0, StatusCode::SEE_OTHER);
    // Neither the case without a public summary nor a number that names no case can be cited,
    // and the message does not tell the two apart.
    let (status, body) = step(&app, &editor, &id, "publish").await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&ozodi_i18n::Lang::Ru.t("publishing-missing-cited_cases")) || body.contains("TJ-2026"),
        "{body}"
    );

    // The lawyer writes the public summary on the case's page.
    let summary = "Мужчина сообщил о побоях во время допроса в изоляторе временного содержания.";
    let (status, _) = submit(
        &app,
        &lawyer,
        &case_path,
        &format!("{case_path}/public-summary"),
        &[("version", "0"), ("public_summary", summary)],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().case_public_summary(case.id).await?.map(|s| s.1), Some(1));
    let stale = [("version", "0"), ("public_summary", "x")];
    let r = app.post(&lawyer, &case_path, &format!("{case_path}/public-summary"), &stale).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "a stale version is refused");
    // The editor cannot write it: the case is not theirs, and they do not learn it exists.
    let r = app.post(&editor, "/publications", &format!("{case_path}/public-summary"), &stale).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Only the numbers of existing cases with a summary: drop the unknown one.
    let rid = ozodi_domain::record::RecordId::parse(&id).ok_or("id")?;
    let record = app.store().record(rid).await?.ok_or("gone")?;
    let (status, _) = step(&app, &editor, &id, "return").await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let version = app.store().record(rid).await?.ok_or("gone")?.version.to_string();
    let (status, _) = submit(
        &app,
        &editor,
        &format!("/publications/{id}/edit"),
        &format!("/publications/{id}"),
        &[
            ("version", version.as_str()),
            ("title", "Пытки в изоляторах"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("lang", "ru"),
            ("body", "Обзор."),
            ("cited_cases", number.as_str()),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(step(&app, &editor, &id, "submit").await?.0, StatusCode::SEE_OTHER);
    let (status, body) = step(&app, &editor, &id, "publish").await?;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let page = public.get(format!("{site}/ru/publications/{}.html", record.seq)).send().await?.text().await?;
    assert!(page.contains(summary), "{page}");
    // Nothing else of the case: not its number, its internal summary, its title or its address.
    assert!(!page.contains(&number) && !page.contains("ВНУТРЕННЕЕ") && !page.contains("Бохтара"), "{page}");
    assert!(!page.contains(&case.id.to_string()));
    Ok(())
}

/// Text of `chars` characters made of invented Cyrillic words (as hard to compress as prose).
fn long_text(chars: usize) -> String {
    const SYLLABLES: [&str; 32] = [
        "ба", "ро", "ни", "ҷо", "қу", "ҳа", "ғи", "мӯ", "ст", "ва", "ле", "то", "да", "ши", "кӣ", "за", "пу",
        "ры", "ме", "жа", "хо", "тӯ", "ли", "ка", "на", "ор", "ис", "ул", "ем", "ой", "ар", "ун",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = String::new();
    while out.chars().count() < chars {
        let syllables = 1 + next() % 4;
        for _ in 0..syllables {
            out.push_str(SYLLABLES[(next() % 32) as usize]);
        }
        out.push(match next() % 12 {
            0 => '.',
            1 => ',',
            _ => ' ',
        });
        if next() % 60 == 0 {
            out.push_str("\n\n");
        }
    }
    out.chars().take(chars).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_longest_publication_stays_under_fifty_kilobytes_on_the_wire() -> TestResult {
    let app = TestApp::spawn().await;
    let site = site(&app).await;
    let public = reqwest::Client::new();
    let editor = app.login("editor").await;
    let body = long_text(ozodi_domain::site::MAX_BODY_CHARS);
    let id = create(
        &app,
        &editor,
        &[
            ("title", "Гузориши дароз"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("lang", "tg"),
            ("summary", &long_text(900)),
            ("body", &body),
        ],
    )
    .await?;
    assert_eq!(step(&app, &editor, &id, "submit").await?.0, StatusCode::SEE_OTHER);
    assert_eq!(step(&app, &editor, &id, "publish").await?.0, StatusCode::SEE_OTHER);
    let record =
        app.store().record(ozodi_domain::record::RecordId::parse(&id).ok_or("id")?).await?.ok_or("gone")?;
    let gz = |path: String| {
        let public = public.clone();
        async move {
            let r = public.get(path).header("accept-encoding", "gzip").send().await?;
            assert_eq!(r.status(), StatusCode::OK);
            Ok::<usize, Box<dyn std::error::Error>>(r.bytes().await?.len())
        }
    };
    let page = gz(format!("{site}/tg/publications/{}.html", record.seq)).await?;
    let css = gz(format!("{site}/site.css")).await?;
    eprintln!("the longest publication: {page} bytes gzip, its stylesheet {css}");
    assert!(page + css < 50 * 1024, "{page} + {css} bytes compressed");
    // One character more is refused by the form.
    let version = record.version.to_string();
    let (status, _) = submit(
        &app,
        &editor,
        &format!("/publications/{id}/edit"),
        &format!("/publications/{id}"),
        &[
            ("version", version.as_str()),
            ("title", "Гузориши дароз"),
            ("publication_kind", "THEMATIC"),
            ("initial_date.y", "2026"),
            ("lang", "tg"),
            ("body", &format!("{body}а")),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}
