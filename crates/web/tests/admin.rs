//! Administration: who may reach it (a walk over every admin route × every role), what it does,
//! and that it is audited.

mod common;

use common::{TestApp, TestResult, location};
use ozodi_domain::Role;
use ozodi_domain::audit::AuditKind;
use ozodi_store::AuditFilter;
use reqwest::StatusCode;

/// Every administration route: (method, path template). `{id}` is another account's id.
const ADMIN_ROUTES: [(&str, &str); 21] = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("GET", "/admin/users/{id}"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/seal"),
    ("GET", "/admin/users/{id}/disable"),
    ("GET", "/admin/users/{id}/reset-password"),
    ("POST", "/admin/users"),
    ("POST", "/admin/users/{id}/roles"),
    ("POST", "/admin/users/{id}/name"),
    ("POST", "/admin/users/{id}/disable"),
    ("POST", "/admin/users/{id}/enable"),
    ("POST", "/admin/users/{id}/reset-password"),
    ("POST", "/admin/seal"),
    ("GET", "/admin/vocabularies"),
    ("GET", "/admin/vocabularies/MT04"),
    ("GET", "/admin/vocabularies/MT04/02011111"),
    ("POST", "/admin/vocabularies/MT04/terms"),
    ("POST", "/admin/vocabularies/MT04/02011111/labels"),
    ("POST", "/admin/vocabularies/MT04/02011111/deprecate"),
    ("POST", "/admin/vocabularies/MT04/02011111/restore"),
];

async fn id_of(app: &TestApp, username: &str) -> Result<String, Box<dyn std::error::Error>> {
    let users = app.store().users().await?;
    Ok(users
        .into_iter()
        .find(|u| u.username.as_str() == username)
        .map(|u| u.id.to_string())
        .ok_or("no such user")?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_administrators_reach_every_admin_route() -> TestResult {
    let app = TestApp::spawn().await;
    let target = id_of(&app, "editor").await?;
    let before = app.store().user(ozodi_domain::UserId::parse(&target).ok_or("id")?).await?.ok_or("user")?;
    let users_before = app.store().users().await?.len();
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let client = app.login(role.code()).await;
        let token = app.csrf(&client, "/dashboard").await;
        for (method, template) in ADMIN_ROUTES {
            let path = template.replace("{id}", &target);
            let r = match method {
                "GET" => client.get(app.url(&path)).send().await?,
                _ => {
                    let fields = [
                        ("csrf", token.as_str()),
                        ("role", "admin"),
                        ("username", "intruder"),
                        ("display_name", "X"),
                    ];
                    client.post(app.url(&path)).form(&fields).send().await?
                }
            };
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{} {method} {path}", role.code());
            assert!(r.text().await?.contains("Нет доступа"));
        }
    }
    // Nothing changed, nothing sealed, and every refusal was audited.
    let after = app.store().user(before.id).await?.ok_or("user")?;
    assert_eq!(after.roles, before.roles);
    assert_eq!(after.disabled, before.disabled);
    assert_eq!(app.store().users().await?.len(), users_before);
    assert!(!app.state.is_sealed());
    let denied = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::AccessDenied), limit: 500, ..Default::default() })
        .await?;
    assert_eq!(denied.len(), 8 * ADMIN_ROUTES.len());

    // Visitors without a session are sent to the login page.
    let anon = app.client();
    for (method, template) in ADMIN_ROUTES.iter().filter(|(m, _)| *m == "GET") {
        let r = app.get(&anon, &template.replace("{id}", &target)).await;
        assert_eq!(location(&r), "/login", "{method} {template}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrator_creates_an_account_that_must_change_its_password() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let r = app
        .post(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[
                ("username", "Shahlo.N"),
                ("display_name", "Шаҳло Неъматова"),
                ("role", "lawyer"),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await?;
    let at = html.find("<code>").ok_or("no temporary password")? + 6;
    let temporary: String = html[at..].chars().take_while(|c| *c != '<').collect();
    let user = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "shahlo.n")
        .ok_or("not created")?;
    assert!(
        user.roles.contains(Role::Lawyer)
            && user.roles.contains(Role::Coordinator)
            && !user.roles.contains(Role::Admin)
    );
    assert!(user.must_change_password);

    let again = app
        .post(
            &admin,
            "/admin/users/new",
            "/admin/users",
            &[("username", "shahlo.n"), ("display_name", "Другой"), ("role", "lawyer")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await?.contains("уже занято"));

    let c = app.client();
    let r = app.post(&c, "/login", "/login", &[("username", "shahlo.n"), ("password", &temporary)]).await;
    assert_eq!(location(&r), "/account/password");
    let created = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::UserCreated), limit: 50, ..Default::default() })
        .await?;
    assert_eq!(created.first().and_then(|e| e.subject.clone()).as_deref(), Some("shahlo.n"));
    assert_eq!(created.first().and_then(|e| e.actor.clone()).as_deref(), Some("admin"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_change_and_are_audited_and_the_last_admin_cannot_be_removed() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let lawyer = id_of(&app, "lawyer").await?;
    let page = format!("/admin/users/{lawyer}");
    let r = app.post(&admin, &page, &format!("{page}/roles"), &[("role", "lawyer"), ("role", "admin")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let changed = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::RolesChanged), limit: 5, ..Default::default() })
        .await?;
    assert!(changed.first().is_some_and(|e| e.detail.contains("\"to\":[\"lawyer\",\"admin\"]")));

    // Two administrators: one may demote the other, but not the last one.
    let r = app.post(&admin, &page, &format!("{page}/roles"), &[("role", "lawyer")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let me = id_of(&app, "admin").await?;
    let mine = format!("/admin/users/{me}");
    let r = app.post(&admin, &mine, &format!("{mine}/roles"), &[("role", "coordinator")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await?.contains("последний активный администратор"));
    assert_eq!(app.store().active_admin_count().await?, 1);

    // Administrators cannot disable or reset themselves through the administration pages.
    let r = app.post(&admin, &mine, &format!("{mine}/disable"), &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_trail_can_be_browsed_and_filtered() -> TestResult {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let c = app.client();
    app.post(&c, "/login", "/login", &[("username", "lawyer"), ("password", "wrong password!")]).await;
    let all = app.get(&admin, "/admin/audit").await.text().await?;
    assert!(all.contains("Неудачный вход") && all.contains("Вход"));
    let failed = app.get(&admin, "/admin/audit?kind=login.failed").await.text().await?;
    assert!(failed.contains("причина: неверный пароль") && !failed.contains(">Вход</td>"), "{failed}");
    let by_admin = app.get(&admin, "/admin/audit?actor=admin").await.text().await?;
    assert!(by_admin.contains(">admin</td>") && !by_admin.contains(">Неудачный вход</td>"));
    let today = app.get(&admin, "/admin/audit?from=2026-11-29&until=2026-11-29").await.text().await?;
    assert!(today.contains("Вход"), "entries of the day in Dushanbe time");
    let future = app.get(&admin, "/admin/audit?from=2030-01-01").await.text().await?;
    assert!(future.contains("Записей не найдено"));
    let r = app.get(&admin, "/admin/audit?from=29.11.2026").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await?.contains("Дата в фильтре недопустима"));
    Ok(())
}
