//! Administering vocabularies through the pages: add a local term, relabel, deprecate, restore;
//! never delete; bad input comes back with the form kept and a translated reason.

mod common;

use common::{TestApp, TestResult, location};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_lists_are_loaded_and_shown_in_three_languages() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let index = app.get(&admin, "/admin/vocabularies").await.text().await?;
    assert!(index.contains("/admin/vocabularies/MT04"));
    let acts = app.get(&admin, "/admin/vocabularies/MT04").await.text().await?;
    assert!(acts.contains("02011111") && acts.contains("Пытки"), "torture is in MT04 with its Russian label");
    assert!(acts.chars().any(|c| "ғӣқӯҳҷ".contains(c)), "Tajik labels are shown");
    assert_eq!(app.get(&admin, "/admin/vocabularies/NOPE").await.status(), StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrator_adds_relabels_deprecates_and_restores_a_term() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let page = "/admin/vocabularies/MT04";
    let add = [
        ("code", "tj.act.test"),
        ("parent", "020101"),
        ("ru", "Тестовый термин"),
        ("tg", "Истилоҳи санҷишӣ"),
        ("en", "Test term"),
    ];
    let r = app.post(&admin, page, "/admin/vocabularies/MT04/terms", &add).await;
    assert_eq!(location(&r), "/admin/vocabularies/MT04?saved=1");
    let html = app.get(&admin, page).await.text().await?;
    assert!(html.contains("TJ.ACT.TEST") && html.contains("Истилоҳи санҷишӣ"));

    // Duplicate and malformed codes, a missing label, an unknown parent: refused, form kept.
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&add, "уже есть в списке"),
        (&[("code", "020101"), ("ru", "а"), ("tg", "б"), ("en", "c")], "должен начинаться с TJ."),
        (
            &[("code", "TJ.ACT.X"), ("ru", "а"), ("tg", ""), ("en", "c")],
            "на русском, таджикском и английском",
        ),
        (
            &[("code", "TJ.ACT.Y"), ("parent", "99999999"), ("ru", "а"), ("tg", "б"), ("en", "c")],
            "Родительского термина нет",
        ),
    ];
    for (fields, message) in cases {
        let r = app.post(&admin, page, "/admin/vocabularies/MT04/terms", fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await?;
        assert!(html.contains(message), "expected {message}");
    }

    let term = "/admin/vocabularies/MT04/02011111";
    let r = app
        .post(
            &admin,
            term,
            &format!("{term}/labels"),
            &[("ru", "Пытки (ст. 143-1 УК)"), ("tg", "Шиканҷа"), ("en", "Torture")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.post(&admin, term, &format!("{term}/deprecate"), &[]).await;
    let stored = app.store().vocabulary("MT04").await?;
    let torture = stored.iter().find(|t| t.code == "02011111").ok_or("torture term gone")?;
    assert!(torture.deprecated && torture.relabelled && torture.labels.ru == "Пытки (ст. 143-1 УК)");

    // An upgrade (the next unseal reloads the shipped lists) keeps the administrator's label.
    app.state.seal(None, "test", None).await;
    app.state.unseal(common::PASSPHRASE, None).await.map_err(|e| format!("{e:?}"))?;
    let stored = app.store().vocabulary("MT04").await?;
    let torture = stored.iter().find(|t| t.code == "02011111").ok_or("torture term gone")?;
    assert_eq!(torture.labels.ru, "Пытки (ст. 143-1 УК)");
    assert!(stored.iter().any(|t| t.code == "TJ.ACT.TEST"), "added terms survive");

    let admin = app.login("admin").await;
    app.post(&admin, term, &format!("{term}/restore"), &[]).await;
    let stored = app.store().vocabulary("MT04").await?;
    assert!(!stored.iter().any(|t| t.deprecated), "restored");
    Ok(())
}
