//! Bringing existing publications over from a folder (issue 8): every row is reported as
//! imported, skipped or failed with its reason; language versions are linked; the published ones
//! are on the public site at once; a second run changes nothing.

use ozodi::site_import::{Line, import};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::record::Kind;
use ozodi_domain::{DisplayName, Role, RoleSet, Username};
use ozodi_store::{Instance, NewAuditEntry, NewUser, Store};
use ozodi_vault::KdfParams;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const INDEX: &str = "title,date,kind,language,tags,file,translation,summary
Доклад о пытках в ИВС,14.05.2024,annual report,ru,пытки; ИВС,2024/report-ru.md,report-2024,Итоги года
Гузориш дар бораи шиканҷа,2024-05-14,ANNUAL_REPORT,tg,шиканҷа,2024/report-tg.html,report-2024,
Report on torture,2024-05,Annual report,en,torture,2024/report-en.md,report-2024,
Без даты,,ARTICLE,ru,,a.md,,
Чужой путь,2024,ARTICLE,ru,,../secret.md,,
Нет файла,2024,ARTICLE,ru,,missing.md,,
Неизвестный вид,2024,poem,ru,,b.md,,
";

#[tokio::test]
async fn a_folder_is_imported_once_with_every_row_reported() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let kdf = KdfParams { m_cost_kib: 1024, t_cost: 1, p_cost: 1 };
    let store = Instance::at(tmp.path().join("data")).init("a test passphrase", kdf).await?;
    let result = check(&store, tmp.path()).await;
    store.close().await;
    result
}

async fn check(store: &dyn Store, tmp: &std::path::Path) -> TestResult {
    let entry = || NewAuditEntry {
        at: time::OffsetDateTime::now_utc(),
        actor: None,
        kind: AuditKind::UserCreated,
        subject: None,
        detail: serde_json::json!({}),
        client: None,
    };
    let editor = store
        .create_user(
            NewUser {
                username: Username::parse("editor")?,
                display_name: DisplayName::parse("Редактор")?,
                password_hash: "x".into(),
                roles: [Role::Editor].into_iter().collect::<RoleSet>(),
                must_change_password: false,
            },
            entry(),
        )
        .await?;
    let dir = tmp.join("old-site");
    std::fs::create_dir_all(dir.join("2024"))?;
    std::fs::write(dir.join("index.csv"), INDEX)?;
    std::fs::write(tmp.join("secret.md"), "outside the folder")?;
    std::fs::write(dir.join("a.md"), "Текст статьи.")?;
    std::fs::write(dir.join("b.md"), "Текст.")?;
    std::fs::write(dir.join("2024/report-ru.md"), "## Итоги\n\nТекст **доклада**.")?;
    std::fs::write(
        dir.join("2024/report-tg.html"),
        "<html><head><script>alert(1)</script></head><body><nav>Меню</nav><h1>Гузориш</h1><p>Матни <em>гузориш</em>.</p></body></html>",
    )?;
    std::fs::write(dir.join("2024/report-en.md"), "The **report**.")?;

    let now = time::OffsetDateTime::now_utc();
    let lines = import(store, &dir, editor, true, now).await?;
    let added: Vec<&Line> = lines.iter().filter(|l| matches!(l, Line::Added { .. })).collect();
    assert_eq!(added.len(), 3, "{lines:#?}");
    let failed: Vec<(usize, &str)> = lines
        .iter()
        .filter_map(|l| match l {
            Line::Failed { row, reason, .. } => Some((*row, reason.as_str())),
            _ => None,
        })
        .collect();
    let rows: Vec<usize> = failed.iter().map(|f| f.0).collect();
    assert_eq!(rows, [4, 5, 6, 7], "{lines:#?}");
    assert!(failed[0].1.contains("date"), "{failed:?}");
    assert!(failed[1].1.contains("leaves the folder"), "{failed:?}");
    assert!(failed[2].1.contains("missing"), "{failed:?}");
    assert!(failed[3].1.contains("kind"), "{failed:?}");

    // Published, with the three language versions linked to the first.
    let public = store.site_published().await?;
    assert_eq!(public.len(), 3);
    let group = public[0].group;
    assert!(public.iter().all(|p| p.group == group));
    let tg = public.iter().find(|p| p.lang == "tg").ok_or("no Tajik version")?;
    assert!(tg.body.contains("*гузориш*") && tg.body.contains("Гузориш"), "{}", tg.body);
    assert!(!tg.body.contains("alert") && !tg.body.contains("Меню"), "{}", tg.body);
    let ru = public.iter().find(|p| p.lang == "ru").ok_or("no Russian version")?;
    assert_eq!(ru.tags, ["пытки", "ИВС"]);
    assert_eq!(ru.day.to_string(), "2024-05-14");
    assert_eq!(ru.summary, "Итоги года");
    // Found by the public search in Russian and Tajik.
    assert_eq!(store.site_search("пыткам").await?.len(), 1);
    assert_eq!(store.site_search("шиканҷа").await?.len(), 1);

    // A second run changes nothing: the same rows are skipped, no publication is added.
    let before = store.registry(Kind::Publication).await?.len();
    let again = import(store, &dir, editor, true, now).await?;
    assert_eq!(again.iter().filter(|l| matches!(l, Line::AlreadyThere { .. })).count(), 3, "{again:#?}");
    assert_eq!(again.iter().filter(|l| matches!(l, Line::Added { .. })).count(), 0);
    assert_eq!(store.registry(Kind::Publication).await?.len(), before);
    assert_eq!(store.site_published().await?.len(), 3);

    // As drafts: stored, not public.
    let drafts = tmp.join("drafts");
    std::fs::create_dir_all(&drafts)?;
    std::fs::write(
        drafts.join("index.yaml"),
        "- title: Черновик\n  date: 2025\n  kind: article\n  lang: ru\n  file: d.md\n",
    )?;
    std::fs::write(drafts.join("d.md"), "Текст.")?;
    let lines = import(store, &drafts, editor, false, now).await?;
    assert!(matches!(lines.as_slice(), [Line::Added { .. }]), "{lines:#?}");
    assert_eq!(store.site_published().await?.len(), 3);
    Ok(())
}
