//! Authorisation of every intake route, for every role and for a visitor without a session, with
//! the domain's `can` as the oracle; refused writes change nothing. Then stored script payloads in
//! every new free-text field, read back on every page that shows them.

mod common;

use common::{TestApp, TestResult, escaped, location, raw_markup, script as payload};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::intake::{CallerDetails, CallerRole, Channel, ContactId, LineCode, TaskId};
use ozodi_domain::{Action, Actor, ContactAccess, LineAccess, Resource, Role, UserId, can};
use ozodi_store::intake::{NewContact, NewTask};
use ozodi_store::{NewAuditEntry, Store};
use reqwest::{Client, StatusCode};
use time::macros::datetime;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn entry(kind: AuditKind) -> NewAuditEntry {
    NewAuditEntry {
        at: datetime!(2026-11-29 06:00 UTC),
        actor: None,
        kind,
        subject: None,
        detail: serde_json::json!({}),
        client: None,
    }
}

async fn user_id(store: &dyn Store, name: &str) -> Res<UserId> {
    Ok(store.users().await?.into_iter().find(|u| u.username.as_str() == name).ok_or("no such user")?.id)
}

/// A new urgent contact on the Sughd line, logged by the operator; a web report when `web`.
async fn contact(store: &dyn Store, operator: UserId, summary: &str, web: bool) -> Res<ContactId> {
    let fields = NewContact {
        line: LineCode::parse("SUG"),
        channel: if web { Channel::Web } else { Channel::Call },
        received_at: datetime!(2026-11-29 05:30 UTC),
        caller_role: CallerRole::Relative,
        region: Some("SUG".into()),
        summary: summary.into(),
        in_custody: true,
        at_risk: false,
        consent_record: true,
        consent_act: true,
        follow_up: true,
    };
    let details = CallerDetails {
        name: "Вымышленный Абонент".into(), contacts: "+992 900 00 00 07".into()
    };
    // A web report has no author and a receipt (random here: receipts are unique).
    let mut receipt = [0u8; 32];
    ozodi_vault::random_bytes(&mut receipt)?;
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let files = [ozodi_store::intake::NewReportFile {
        media_type: "application/pdf".into(),
        sha256: vec![0; 32],
        original: pdf.clone(),
        working: Some((pdf, vec![0; 32])),
    }];
    let (actor, report) = if web {
        (
            None,
            Some(ozodi_store::intake::WebReport {
                receipt_hash: receipt.as_slice(),
                secret_hash: b"secret-hash".as_slice(),
                files: &files,
            }),
        )
    } else {
        (Some(operator), None)
    };
    let c = store
        .create_contact(
            &fields,
            &details,
            actor,
            datetime!(2026-11-29 05:30 UTC),
            report,
            entry(AuditKind::ContactCreated),
        )
        .await?;
    Ok(c.id)
}

#[derive(Clone, Copy, Debug)]
enum Need {
    /// Reaching the page at all (every account).
    Dashboard,
    /// Logging contacts.
    LogContacts,
    /// An action on the matrix's contact (refusal: 404).
    Contact(Action),
    /// The Sughd line's queue.
    Line,
    /// The queue of contacts without a line (coordinators).
    NoLine,
    /// Configuring lines.
    Lines,
    /// The figures.
    Figures,
    /// Completing the operator's task (assignee, author or coordinator; refusal: 404).
    Task,
}

fn allowed(actor: &Actor, need: Need, operator: bool) -> bool {
    let access = ContactAccess { staff: operator, creator: operator, ..Default::default() };
    match need {
        Need::Dashboard => can(actor, Action::View, Resource::Dashboard),
        Need::LogContacts => can(actor, Action::Create, Resource::Contacts),
        Need::Contact(action) => can(actor, action, Resource::Contact(access)),
        Need::Line => can(actor, Action::View, Resource::Line(LineAccess { staff: operator })),
        Need::NoLine => actor.roles.contains(Role::Coordinator),
        Need::Lines => can(actor, Action::Update, Resource::Lines),
        Need::Figures => can(actor, Action::View, Resource::IntakeFigures),
        Need::Task => operator || actor.roles.contains(Role::Coordinator),
    }
}

fn refusal(need: Need) -> StatusCode {
    match need {
        Need::Contact(_) | Need::Task => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    }
}

async fn csrf_of(app: &TestApp, client: &Client) -> String {
    app.csrf(client, "/account/password").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_intake_route_answers_each_role_as_the_domain_rules() -> TestResult {
    let app = TestApp::spawn().await;
    let store = app.store();
    let operator = user_id(store.as_ref(), "operator").await?;
    let coordinator = user_id(store.as_ref(), "coordinator").await?;
    let sug = LineCode::parse("SUG").ok_or("code")?;
    store
        .set_line_staff(&sug, operator, true, coordinator, app.state.now(), entry(AuditKind::LineChanged))
        .await?;
    let shared = contact(store.as_ref(), operator, "Общий случай для чтения.", false).await?;
    let web = contact(store.as_ref(), operator, "Веб-сообщение с файлом.", true).await?;
    let mut cells = 0;

    // A few outcomes stated outright, so that a wrong rule in `can` itself does not pass unnoticed.
    for (who, path, status) in [
        ("operator", format!("/contacts/{shared}"), StatusCode::OK),
        ("coordinator", format!("/contacts/{shared}"), StatusCode::OK),
        ("lawyer", format!("/contacts/{shared}"), StatusCode::NOT_FOUND),
        ("doctor", format!("/contacts/{shared}"), StatusCode::NOT_FOUND),
        ("admin", format!("/contacts/{shared}/reveal"), StatusCode::NOT_FOUND),
        ("doctor", "/intake".to_owned(), StatusCode::FORBIDDEN),
        ("analyst", "/intake/figures".to_owned(), StatusCode::OK),
        ("lawyer", "/lines/SUG".to_owned(), StatusCode::FORBIDDEN),
        ("admin", "/admin/lines".to_owned(), StatusCode::OK),
        ("operator", "/admin/lines".to_owned(), StatusCode::FORBIDDEN),
    ] {
        let client = app.login(who).await;
        assert_eq!(app.get(&client, &path).await.status(), status, "{who} GET {path}");
    }

    for role in Role::ALL.iter().copied().map(Some).chain([None]) {
        let (client, actor) = match role {
            Some(role) => {
                let id = user_id(store.as_ref(), role.code()).await?;
                (
                    app.login(role.code()).await,
                    Some(Actor { id, roles: [role].into_iter().collect(), must_change_password: false }),
                )
            }
            None => (app.client(), None),
        };
        let is_operator = role == Some(Role::Operator);
        let expect = |need: Need, ok: StatusCode| match &actor {
            None => StatusCode::SEE_OTHER,
            Some(a) if allowed(a, need, is_operator) => ok,
            Some(_) => refusal(need),
        };

        // Reading.
        let reads: Vec<(String, Need)> = vec![
            ("/intake".into(), Need::LogContacts),
            ("/contacts/new".into(), Need::LogContacts),
            (format!("/contacts/{shared}"), Need::Contact(Action::View)),
            (format!("/contacts/{shared}/reveal"), Need::Contact(Action::RevealIdentity)),
            ("/lines/SUG".into(), Need::Line),
            ("/lines/none".into(), Need::NoLine),
            ("/alerts".into(), Need::Dashboard),
            ("/alerts/poll".into(), Need::Dashboard),
            ("/tasks".into(), Need::Dashboard),
            ("/notifications".into(), Need::Dashboard),
            ("/intake/figures".into(), Need::Figures),
            ("/admin/lines".into(), Need::Lines),
            ("/admin/lines/new".into(), Need::Lines),
            ("/admin/lines/SUG".into(), Need::Lines),
            (format!("/contacts/{web}/files/1/original"), Need::Contact(Action::View)),
            (format!("/contacts/{web}/files/1/working"), Need::Contact(Action::View)),
        ];
        for (path, need) in reads {
            let status = app.get(&client, &path).await.status();
            assert_eq!(status, expect(need, StatusCode::OK), "{role:?} GET {path}");
            cells += 1;
        }

        // Writing: each against a fresh contact, so that a refusal can be seen to change nothing.
        // A visitor without a session gets a token from the login page, so that only the login
        // requirement can stop its requests.
        let csrf = match role {
            Some(_) => csrf_of(&app, &client).await,
            None => app.csrf(&client, "/login").await,
        };
        let writes: Vec<(&str, Need, StatusCode)> = vec![
            ("acknowledge", Need::Contact(Action::Update), StatusCode::SEE_OTHER),
            ("triage", Need::Contact(Action::Update), StatusCode::SEE_OTHER),
            ("assign", Need::Contact(Action::ManageTeam), StatusCode::SEE_OTHER),
            ("tasks", Need::Contact(Action::Update), StatusCode::SEE_OTHER),
            ("reveal", Need::Contact(Action::RevealIdentity), StatusCode::OK),
            ("messages", Need::Contact(Action::Update), StatusCode::SEE_OTHER),
        ];
        for (what, need, ok) in writes {
            let id =
                contact(store.as_ref(), operator, "Запись для проверки прав.", what == "messages").await?;
            let before = store.contact(id).await?.ok_or("gone")?;
            let version = before.version.to_string();
            let fields: Vec<(&str, &str)> = match what {
                "triage" => {
                    vec![("version", &version), ("decision", "close"), ("reason", "information-only")]
                }
                "assign" => vec![("version", &version), ("user", "psychologist")],
                "tasks" => vec![("title", "Перезвонить"), ("due_at", "2026-11-30T10:00")],
                "reveal" => vec![("purpose", "Проверка прав доступа")],
                "messages" => vec![("body", "Ответ автору")],
                _ => vec![],
            };
            let mut body = vec![("csrf", csrf.as_str())];
            body.extend(fields);
            let r = client.post(app.url(&format!("/contacts/{id}/{what}"))).form(&body).send().await?;
            let expected = expect(need, ok);
            assert_eq!(r.status(), expected, "{role:?} POST {what}");
            if expected != ok {
                let after = store.contact(id).await?.ok_or("gone")?;
                assert_eq!(after, before, "{role:?} {what}: a refused write changed the contact");
                assert!(
                    store.alert_of(id).await?.ok_or("no alert")?.acknowledged.is_none(),
                    "{role:?} {what}"
                );
                assert!(store.tasks_of_contact(id).await?.is_empty(), "{role:?} {what}");
                assert!(store.report_messages(id).await?.is_empty(), "{role:?} {what}");
            }
            cells += 1;
        }

        // Logging a contact (on no line: the route's permission, not the line's).
        let before = store.contact_queue(None, 1000).await?.len();
        let r = client
            .post(app.url("/contacts"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("line", "none"),
                ("received_at", "2026-11-29T10:00"),
                ("channel", "walk-in"),
                ("caller", "victim"),
                ("summary", "Пришёл в офис."),
            ])
            .send()
            .await?;
        let expected = expect(Need::LogContacts, StatusCode::SEE_OTHER);
        assert_eq!(r.status(), expected, "{role:?} POST /contacts");
        let grew = store.contact_queue(None, 1000).await?.len() > before;
        assert_eq!(
            grew,
            expected == StatusCode::SEE_OTHER && actor.is_some(),
            "{role:?} POST /contacts stored"
        );
        cells += 1;

        // A line on the Sughd line's staff: refused by everyone but coordinators and administrators.
        let line = store.intake_snapshot().await?.line(&sug).ok_or("no line")?.clone();
        let version = line.version.to_string();
        let r = client
            .post(app.url("/admin/lines/SUG"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", &version),
                ("label_ru", &line.labels.ru),
                ("label_tg", &line.labels.tg),
                ("label_en", &line.labels.en),
                ("numbers", &line.numbers.join("\n")),
                ("region", "SUG"),
                ("active", "on"),
            ])
            .send()
            .await?;
        let expected = expect(Need::Lines, StatusCode::SEE_OTHER);
        assert_eq!(r.status(), expected, "{role:?} POST /admin/lines/SUG");
        let after = store.intake_snapshot().await?.line(&sug).ok_or("no line")?.version;
        assert_eq!(
            after > line.version,
            expected == StatusCode::SEE_OTHER && actor.is_some(),
            "{role:?} line saved"
        );
        let r = client
            .post(app.url("/admin/lines/SUG/staff"))
            .form(&[("csrf", csrf.as_str()), ("change", "add"), ("user", "editor")])
            .send()
            .await?;
        assert_eq!(r.status(), expect(Need::Lines, StatusCode::SEE_OTHER), "{role:?} POST staff");
        let editor = user_id(store.as_ref(), "editor").await?;
        if store.intake_snapshot().await?.on_staff(editor, &sug) {
            assert!(matches!(role, Some(Role::Coordinator | Role::Admin)), "{role:?} changed the staff");
            store
                .set_line_staff(
                    &sug,
                    editor,
                    false,
                    coordinator,
                    app.state.now(),
                    entry(AuditKind::LineChanged),
                )
                .await?;
        }
        let code = format!("T-{}", role.map(|r| r.code().len()).unwrap_or(0) + cells);
        let r = client
            .post(app.url("/admin/lines"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", "0"),
                ("code", &code),
                ("label_ru", "Проверка"),
                ("label_tg", "Санҷиш"),
                ("label_en", "Check"),
                ("numbers", "987000000"),
            ])
            .send()
            .await?;
        assert_eq!(r.status(), expect(Need::Lines, StatusCode::SEE_OTHER), "{role:?} POST /admin/lines");
        cells += 3;

        // Completing the operator's own task.
        let task: TaskId = store
            .create_task(
                &NewTask {
                    contact: Some(shared),
                    case: None,
                    title: "Задача оператора".into(),
                    due_at: datetime!(2026-11-30 06:00 UTC),
                    assigned_to: operator,
                    created_by: operator,
                    created_at: app.state.now(),
                },
                entry(AuditKind::TaskChanged),
            )
            .await?;
        let r = client
            .post(app.url(&format!("/tasks/{task}/done")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await?;
        let expected = expect(Need::Task, StatusCode::SEE_OTHER);
        assert_eq!(r.status(), expected, "{role:?} POST /tasks/…/done");
        let done = store.task(task).await?.ok_or("gone")?.done.is_some();
        assert_eq!(done, expected == StatusCode::SEE_OTHER && actor.is_some(), "{role:?} task done");
        // Without an SMTP server there is nothing to set: every account gets "not found".
        let r = client
            .post(app.url("/notifications/email"))
            .form(&[("csrf", csrf.as_str()), ("email", "someone@coalition.example")])
            .send()
            .await?;
        let expected = if actor.is_some() { StatusCode::NOT_FOUND } else { StatusCode::SEE_OTHER };
        assert_eq!(r.status(), expected, "{role:?} POST /notifications/email");
        let r = client.post(app.url("/notifications/read")).form(&[("csrf", csrf.as_str())]).send().await?;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{role:?} POST /notifications/read");
        if actor.is_none() {
            assert_eq!(location(&r), "/login");
        }
        cells += 2;
    }
    assert!(cells > 250, "only {cells} cells ran");
    Ok(())
}

fn shows(html: &str, what: &str, payloads: &[String]) {
    assert!(!raw_markup(html), "raw markup on {what}");
    for p in payloads {
        assert!(html.contains(&escaped(p)), "{what} does not show {p} escaped");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_scripts_in_every_intake_field_come_back_escaped() -> TestResult {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    let [summary, name, contacts, note, task, reply, sender, report, label, title] =
        ["summary", "name", "contacts", "note", "task", "reply", "sender", "report", "label", "title"]
            .map(payload);

    // A line whose names are payloads.
    let r = app
        .post(
            &coordinator,
            "/admin/lines/new",
            "/admin/lines",
            &[
                ("version", "0"),
                ("code", "XSS"),
                ("label_ru", &label),
                ("label_tg", &label),
                ("label_en", &label),
                ("numbers", "987000001"),
                ("region", "GBAO"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post(
            &coordinator,
            "/admin/lines/XSS",
            "/admin/lines/XSS/staff",
            &[("change", "add"), ("user", "operator")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let operator = app.login("operator").await;

    // A contact with payloads in every free field.
    let r = app
        .post(
            &operator,
            "/contacts/new",
            "/contacts",
            &[
                ("line", "XSS"),
                ("received_at", "2026-11-29T10:00"),
                ("channel", "call"),
                ("caller", "relative"),
                ("region", "GBAO"),
                ("summary", &summary),
                ("name", &name),
                ("contacts", &contacts),
                ("consent_record", "on"),
                ("in_custody", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = location(&r);
    let r = app
        .post(&operator, &page, &format!("{page}/tasks"), &[("title", &task), ("due_at", "2026-11-28T10:00")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for path in ["/intake", "/lines/XSS", "/tasks", &page] {
        let html = app.get(&operator, path).await.text().await?;
        let expected: Vec<String> = match path {
            "/intake" | "/lines/XSS" => vec![label.clone()],
            "/tasks" => vec![task.clone()],
            _ => vec![summary.clone(), task.clone(), label.clone()],
        };
        shows(&html, path, &expected);
    }
    // Alerts go to coordinators (and lawyers), whose pages name the line.
    for path in ["/dashboard", "/alerts", "/notifications"] {
        let html = app.get(&coordinator, path).await.text().await?;
        let expected = if path == "/notifications" { vec![] } else { vec![label.clone()] };
        shows(&html, path, &expected);
    }
    let r = app
        .post(
            &operator,
            &format!("{page}/reveal"),
            &format!("{page}/reveal"),
            &[("purpose", "Перезвонить сестре")],
        )
        .await;
    shows(&r.text().await?, "the revealed details", &[name.clone(), contacts.clone()]);
    let html = app.get(&coordinator, "/admin/lines").await.text().await?;
    shows(&html, "/admin/lines", std::slice::from_ref(&label));
    let html = app.get(&coordinator, "/admin/lines/XSS").await.text().await?;
    shows(&html, "/admin/lines/XSS", std::slice::from_ref(&label));

    // Closing with a note; opening a case from another contact with a payload title.
    let id = ContactId::parse(page.trim_start_matches("/contacts/")).ok_or("id")?;
    let version = app.store().contact(id).await?.ok_or("gone")?.version.to_string();
    let r = app
        .post(
            &operator,
            &page,
            &format!("{page}/triage"),
            &[
                ("version", &version),
                ("decision", "close"),
                ("reason", "referred-elsewhere"),
                ("note", &note),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    shows(&app.get(&operator, &page).await.text().await?, "the closed contact", std::slice::from_ref(&note));

    // A web report with payloads, a reply and a message from the sender.
    let public = Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let r = public
        .post(app.url("/report?lang=en"))
        .form(&[("place", "region:GBAO"), ("summary", report.as_str())])
        .send()
        .await?;
    let receipt = r.text().await?;
    let codes: Vec<String> = receipt
        .split("<dd><code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next())
        .map(str::to_owned)
        .collect();
    let [code, secret] = codes.as_slice() else { return Err("no receipt".into()) };
    let r = public
        .post(app.url("/report/message"))
        .form(&[("code", code.as_str()), ("secret", secret.as_str()), ("body", sender.as_str())])
        .send()
        .await?;
    shows(&r.text().await?, "the sender's status page", std::slice::from_ref(&sender));
    let web = app.store().contact_queue(Some(Some(&LineCode::parse("XSS").ok_or("code")?)), 10).await?;
    let web = web.iter().find(|c| c.web_report).ok_or("no web contact")?;
    let web_page = format!("/contacts/{}", web.id);
    let r = app.post(&operator, &web_page, &format!("{web_page}/messages"), &[("body", &reply)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    shows(
        &app.get(&operator, &web_page).await.text().await?,
        "the web report's page",
        &[report.clone(), sender.clone(), reply.clone()],
    );
    let r = public
        .post(app.url("/report/follow-up"))
        .form(&[("code", code.as_str()), ("secret", secret.as_str())])
        .send()
        .await?;
    shows(&r.text().await?, "the follow-up page", &[sender.clone(), reply.clone()]);
    let version = web.version.to_string();
    let r = app
        .post(
            &operator,
            &web_page,
            &format!("{web_page}/triage"),
            &[("version", &version), ("decision", "open"), ("title", &title)],
        )
        .await;
    // Operators may open cases; the case page shows the title escaped.
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    shows(
        &app.get(&operator, &location(&r)).await.text().await?,
        "the case opened from the report",
        &[title.clone(), report.clone()],
    );
    // A payload in the public form's refused submission comes back escaped too.
    let r = public
        .post(app.url("/report"))
        .form(&[("summary", report.as_str()), ("name", name.as_str())])
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    shows(&r.text().await?, "the refused public form", &[report.clone(), name.clone()]);
    Ok(())
}
