//! Intake over HTTP (issue 5): a contact logged on a line becomes a case through the queue; an
//! unacknowledged alert escalates to the coordinators on the injected clock; an anonymous web
//! report reaches its region and its sender follows up with the receipt; nothing about the sender
//! is kept (database, audit trail, log); floods and robots are turned away.

mod common;

use std::sync::{Arc, Mutex, OnceLock};

use common::{TestApp, TestResult, csrf_in, location, photo_with};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::intake::{Channel, ContactId, ContactStatus, LineCode};
use ozodi_store::AuditFilter;
use ozodi_web::WebConfig;
use reqwest::{Client, StatusCode};
use time::Duration;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Everything the server logs in this test binary.
fn captured_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        // Everything down to debug, except the test's own HTTP client (which of course knows the
        // server's address).
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug,hyper_util::client=off,reqwest=off"))
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buffer
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn text(app: &TestApp, client: &Client, path: &str) -> Res<(StatusCode, String)> {
    let r = app.get(client, path).await;
    Ok((r.status(), r.text().await?))
}

/// Puts `user` on a line's staff through the configuration page, as the coordinator would.
async fn put_on_line(app: &TestApp, coordinator: &Client, line: &str, user: &str) -> Res<()> {
    let page = format!("/admin/lines/{line}");
    let r =
        app.post(coordinator, &page, &format!("{page}/staff"), &[("change", "add"), ("user", user)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "adding {user} to {line}");
    Ok(())
}

/// The contact form's fields for an urgent call on the Sughd line.
fn urgent_call(summary: &str, when: &str) -> Vec<(&'static str, String)> {
    vec![
        ("line", "SUG".into()),
        ("received_at", when.into()),
        ("channel", "call".into()),
        ("caller", "relative".into()),
        ("region", "SUG".into()),
        ("summary", summary.into()),
        ("in_custody", "on".into()),
        ("name", "Вымышленная Сестра".into()),
        ("contacts", "+992 900 11 22 33".into()),
        ("consent_record", "on".into()),
        ("consent_act", "on".into()),
        ("follow_up", "on".into()),
    ]
}

async fn log_contact(app: &TestApp, client: &Client, fields: &[(&str, String)]) -> Res<ContactId> {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post(client, "/contacts/new", "/contacts", &pairs).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "logging a contact: {}",
        r.text().await.unwrap_or_default()
    );
    let to = location(&r);
    Ok(ContactId::parse(to.trim_start_matches("/contacts/")).ok_or("no contact id in the redirect")?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_on_a_line_becomes_a_case_through_the_queue() -> TestResult {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    put_on_line(&app, &coordinator, "SUG", "operator").await?;
    put_on_line(&app, &coordinator, "SUG", "lawyer").await?;
    let operator = app.login("operator").await;
    let lawyer = app.login("lawyer").await;
    let doctor = app.login("doctor").await;

    // A refused form comes back with everything typed, and nothing is saved.
    let mut bad = urgent_call("", "2026-11-29T10:30");
    bad.retain(|(k, _)| *k != "consent_record");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post(&operator, "/contacts/new", "/contacts", &pairs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    for kept in
        ["Вымышленная Сестра", "+992 900 11 22 33", "value=\"2026-11-29T10:30\"", "value=\"SUG\" selected"]
    {
        assert!(html.contains(kept), "the refused form lost {kept}");
    }
    assert!(html.contains("name=\"in_custody\" checked"), "the urgency tick was lost");
    assert!(
        html.contains("Напишите суть") || html.contains("Write what was said"),
        "no message for the summary"
    );
    assert!(app.store().contact_queue(None, 10).await?.is_empty(), "a refused form saved something");

    // Two contacts: the older one leads the queue.
    let later =
        log_contact(&app, &operator, &urgent_call("Задержан брат, в отделе милиции.", "2026-11-29T10:40"))
            .await?;
    let mut calm = urgent_call("Спрашивают о праве на адвоката.", "2026-11-29T09:15");
    calm.retain(|(k, _)| *k != "in_custody");
    let earlier = log_contact(&app, &operator, &calm).await?;
    let (status, queue) = text(&app, &lawyer, "/lines/SUG").await?;
    assert_eq!(status, StatusCode::OK);
    let (a, b) = (queue.find(&earlier.to_string()), queue.find(&later.to_string()));
    assert!(a.is_some() && b.is_some() && a < b, "the oldest unhandled contact must come first");

    // The alert is on the lawyer's and the coordinator's pages, not on the doctor's.
    for (who, expected) in [(&lawyer, true), (&coordinator, true), (&doctor, false)] {
        let (_, page) = text(&app, who, "/cases").await?;
        assert_eq!(
            page.contains("id=\"alert-banner\"") && !page.contains("hidden><a href=\"/alerts\""),
            expected
        );
    }
    let (_, dashboard) = text(&app, &lawyer, "/dashboard").await?;
    assert!(dashboard.contains(&format!("/contacts/{later}")), "the dashboard lists the alert");

    // The lawyer opens the case from the contact: the case carries the contact's facts.
    let page = format!("/contacts/{later}");
    let (_, html) = text(&app, &lawyer, &page).await?;
    assert!(html.contains(&app.store().contact(later).await?.ok_or("gone")?.reference()));
    let version = app.store().contact(later).await?.ok_or("gone")?.version.to_string();
    let r = app
        .post(
            &lawyer,
            &page,
            &format!("{page}/triage"),
            &[("version", &version), ("decision", "open"), ("title", "Задержание в Худжанде")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let case_path = location(&r);
    assert!(case_path.starts_with("/cases/"), "{case_path}");
    let (status, case_html) = text(&app, &lawyer, &case_path).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(
        case_html.contains("Задержан брат, в отделе милиции."),
        "the case starts from the contact's summary"
    );
    assert!(case_html.contains(&format!("/contacts/{later}")), "the case page links the contact behind it");
    let contact = app.store().contact(later).await?.ok_or("gone")?;
    assert_eq!(contact.status, ContactStatus::CaseOpened);
    let alert = app.store().alert_of(later).await?.ok_or("no alert")?;
    let lawyer_id = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "lawyer")
        .ok_or("no lawyer")?
        .id;
    assert_eq!(alert.acknowledged.map(|(_, by)| by), Some(lawyer_id), "triage acknowledges the alert");
    let steps: Vec<_> = alert.log.iter().map(|l| (l.step, l.user == Some(lawyer_id))).collect();
    use ozodi_domain::intake::AlertStep;
    assert!(steps.contains(&(AlertStep::Seen, true)), "the log shows that the lawyer saw it: {steps:?}");
    assert!(steps.contains(&(AlertStep::Acknowledged, true)));
    // Handled contacts leave the queue; the other one stays.
    let (_, queue) = text(&app, &lawyer, "/lines/SUG").await?;
    assert!(!queue.contains(&later.to_string()) && queue.contains(&earlier.to_string()));

    // The coordinator hands the other contact to the Khatlon team, and back: it changes queues.
    let page = format!("/contacts/{earlier}");
    for (to, queue) in [("line:KHT", "/lines/KHT"), ("line:SUG", "/lines/SUG")] {
        let version = app.store().contact(earlier).await?.ok_or("gone")?.version.to_string();
        let r = app
            .post(&coordinator, &page, &format!("{page}/assign"), &[("version", &version), ("user", to)])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "moving to {to}");
        let (_, html) = text(&app, &coordinator, queue).await?;
        assert!(html.contains(&earlier.to_string()), "the contact is not in {queue}");
    }

    // The other contact: closed with a reason after a follow-up task; the task list puts the
    // overdue one first.
    let page = format!("/contacts/{earlier}");
    for (title, due) in
        [("Перезвонить завтра", "2026-11-30T12:00"), ("Отправить памятку", "2026-11-29T08:00")]
    {
        let r =
            app.post(&operator, &page, &format!("{page}/tasks"), &[("title", title), ("due_at", due)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let (_, tasks) = text(&app, &operator, "/tasks").await?;
    let (overdue, upcoming) = (tasks.find("Отправить памятку"), tasks.find("Перезвонить завтра"));
    assert!(overdue.is_some() && overdue < upcoming, "overdue tasks come first");
    assert!(tasks.contains("class=\"overdue\""));
    let version = app.store().contact(earlier).await?.ok_or("gone")?.version.to_string();
    let r = app
        .post(
            &operator,
            &page,
            &format!("{page}/triage"),
            &[
                ("version", &version),
                ("decision", "close"),
                ("reason", "information-only"),
                ("note", "Дана памятка"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let closed = app.store().contact(earlier).await?.ok_or("gone")?;
    assert_eq!((closed.status, closed.close_note.as_deref()), (ContactStatus::Closed, Some("Дана памятка")));
    // A decision from a stale version is refused and changes nothing.
    let r = app
        .post(
            &operator,
            &page,
            &format!("{page}/triage"),
            &[("version", &version), ("decision", "close"), ("reason", "outside-mandate")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(app.store().contact(earlier).await?.ok_or("gone")?.close_reason, closed.close_reason);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unacknowledged_alert_escalates_to_the_coordinators_after_two_hours() -> TestResult {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    put_on_line(&app, &coordinator, "KHT", "operator").await?;
    put_on_line(&app, &coordinator, "KHT", "lawyer").await?;
    let operator = app.login("operator").await;
    let mut fields = urgent_call("Сын в изоляторе, угрожают.", "2026-11-29T10:55");
    fields[0].1 = "KHT".into();
    fields[4].1 = "KHT".into();
    let id = log_contact(&app, &operator, &fields).await?;
    // A follow-up task for the lawyer, due in an hour: the lawyer hears of it when it falls due.
    let page = format!("/contacts/{id}");
    let r = app
        .post(
            &operator,
            &page,
            &format!("{page}/tasks"),
            &[("title", "Навестить в ИВС"), ("due_at", "2026-11-29T12:00"), ("user", "lawyer")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lawyer_id = app
        .store()
        .users()
        .await?
        .into_iter()
        .find(|u| u.username.as_str() == "lawyer")
        .ok_or("no lawyer")?
        .id;
    let kinds =
        |list: Vec<ozodi_store::intake::Notification>| list.into_iter().map(|n| n.kind).collect::<Vec<_>>();
    use ozodi_domain::intake::NotificationKind;
    assert!(kinds(app.store().notifications(lawyer_id, 20).await?.0).contains(&NotificationKind::Task));

    // 1 h 59 min: nothing escalates, however often the clock runs. (Sessions time out meanwhile:
    // people log in again.)
    app.clock.advance(Duration::minutes(119));
    assert_eq!(ozodi_web::handlers::intake::tick(&app.state).await?, 0);
    let due = kinds(app.store().notifications(lawyer_id, 20).await?.0);
    assert_eq!(
        due.iter().filter(|k| **k == NotificationKind::TaskDue).count(),
        1,
        "the due task is announced once: {due:?}"
    );
    let coordinator = app.login("coordinator").await;
    let (_, page) = text(&app, &coordinator, "/alerts").await?;
    assert!(!page.contains("escalated") && !page.contains("передан координаторам"), "escalated too early");

    // 2 h: the coordinators' page escalates it (as the server's 30-second clock would).
    app.clock.advance(Duration::minutes(1));
    let (_, page) = text(&app, &coordinator, "/dashboard").await?;
    let banner = page.find("id=\"alert-banner\"").map(|i| &page[i..(i + 200).min(page.len())]);
    assert!(page.contains("class=\"alert-banner escalated\""), "the banner shows the escalation: {banner:?}");
    assert_eq!(ozodi_web::handlers::intake::tick(&app.state).await?, 0, "escalates once");
    let (_, notes) = text(&app, &coordinator, "/notifications").await?;
    let reference = app.store().contact(id).await?.ok_or("gone")?.reference();
    assert!(notes.contains(&reference), "the coordinator is notified");
    let alert = app.store().alert_of(id).await?.ok_or("no alert")?;
    assert_eq!(alert.escalated_at, Some(app.state.now()));
    let escalations = app
        .store()
        .audit_entries(&AuditFilter {
            kind: Some(AuditKind::AlertEscalated),
            limit: 10,
            ..Default::default()
        })
        .await?;
    assert_eq!(escalations.len(), 1, "one audit entry for the escalation");

    // The lawyer acknowledges 2 h 30 min after it was raised, 2 h 35 min after the call came in
    // (it was logged five minutes late): the figures count from the call.
    app.clock.advance(Duration::minutes(30));
    let lawyer = app.login("lawyer").await;
    let coordinator = app.login("coordinator").await;
    let page = format!("/contacts/{id}");
    let r = app.post(&lawyer, &page, &format!("{page}/acknowledge"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.post(&coordinator, &page, &format!("{page}/acknowledge"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "an alert is acknowledged once");
    let (_, contact_page) = text(&app, &coordinator, &page).await?;
    assert!(contact_page.contains("Test lawyer"), "the log names who acknowledged");
    let (_, banner_page) = text(&app, &coordinator, "/cases").await?;
    assert!(
        banner_page.contains("id=\"alert-banner\" class=\"alert-banner\" role=\"status\" hidden"),
        "no alert left"
    );
    let (status, figures) = text(&app, &coordinator, "/intake/figures?from=2026-11-01&to=2026-11-30").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(figures.contains("2 ч 35 мин"), "median and worst time to acknowledgement");
    let (status, _) = text(&app, &app.login("analyst").await, "/intake/figures").await?;
    assert_eq!(status, StatusCode::OK, "analysts read the figures");
    let (status, _) = text(&app, &app.login("operator").await, "/intake/figures").await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    Ok(())
}

/// Posts a public form without any cookie or token, as a browser with cookies off would.
async fn public_post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Res<reqwest::Response> {
    Ok(Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Marker-UA-4f1c")
        .build()?
        .post(app.url(path))
        .form(fields)
        .send()
        .await?)
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_report_reaches_its_region_and_the_sender_follows_up_with_the_receipt() -> TestResult {
    let log = captured_log();
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    put_on_line(&app, &coordinator, "KHT", "lawyer").await?;
    let lawyer = app.login("lawyer").await;

    // The form: Tajik when asked, no cookie, nothing from another host.
    let anonymous = Client::builder().user_agent("Marker-UA-4f1c").build()?;
    let r = anonymous.get(app.url("/report?lang=tg")).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none(), "the report form sets a cookie");
    let html = r.text().await?;
    assert!(html.contains("<html lang=\"tg\">") && html.contains("Чӣ рӯй дод?"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the form loads or links something elsewhere"
    );
    assert!(!html.contains("<script"), "the report form needs no script");

    let summary = "Ҳамсояамро шаби гузашта дар шӯъбаи милисаи Бохтар заданд. Marker-Report-8e2a";
    let r = public_post(
        &app,
        "/report?lang=tg",
        &[
            ("place", "region:KHT"),
            ("caller", "witness"),
            ("summary", summary),
            ("at_risk", "on"),
            ("website", ""),
        ],
    )
    .await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none(), "the receipt sets a cookie");
    let receipt = r.text().await?;
    let code = between(&receipt, "<dd><code>", "</code>").ok_or("no receipt code")?.to_owned();
    let rest = &receipt[receipt.find(&code).ok_or("code")? + code.len()..];
    let secret = between(rest, "<dd><code>", "</code>").ok_or("no secret")?.to_owned();
    assert_eq!((code.len(), secret.len()), (12, 24), "{code} {secret}");

    // It waits in the Khatlon queue as a web contact, raised an alert for the region's lawyer.
    let queue = app.store().contact_queue(Some(Some(&LineCode::parse("KHT").ok_or("code")?)), 10).await?;
    assert_eq!(queue.len(), 1);
    let contact = &queue[0];
    assert_eq!((contact.fields.channel, contact.web_report, contact.created_by), (Channel::Web, true, None));
    let (_, lawyer_queue) = text(&app, &lawyer, "/lines/KHT").await?;
    assert!(lawyer_queue.contains(&contact.id.to_string()));
    let (_, alerts) = text(&app, &lawyer, "/alerts").await?;
    assert!(alerts.contains(&contact.id.to_string()), "an at-risk report raises an alert");

    // Following up: a wrong secret is refused, the right one shows the status.
    let r =
        public_post(&app, "/report/follow-up", &[("code", &code), ("secret", "AAAA-AAAA-AAAA-AAAA-AAAA")])
            .await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let lower = code.to_lowercase().replace('-', " ");
    let r = public_post(&app, "/report/follow-up?lang=en", &[("code", &lower), ("secret", &secret)]).await?;
    assert_eq!(r.status(), StatusCode::OK, "typing the code in lower case with spaces works");
    assert!(r.text().await?.contains("Received; waiting to be handled"));

    // The sender writes; the lawyer reads it and answers; the sender reads the answer, without
    // learning who wrote it.
    let r = public_post(
        &app,
        "/report/message?lang=en",
        &[("code", &code), ("secret", &secret), ("body", "He is still in the cell. Marker-Message-1b7d")],
    )
    .await?;
    assert_eq!(r.status(), StatusCode::OK);
    let page = format!("/contacts/{}", contact.id);
    let (_, staff_view) = text(&app, &lawyer, &page).await?;
    assert!(staff_view.contains("Marker-Message-1b7d"));
    let r =
        app.post(&lawyer, &page, &format!("{page}/messages"), &[("body", "A lawyer is on the way.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = public_post(&app, "/report/follow-up?lang=en", &[("code", &code), ("secret", &secret)]).await?;
    let status_page = r.text().await?;
    assert!(status_page.contains("A lawyer is on the way.") && status_page.contains("The coalition"));
    assert!(!status_page.contains("Test lawyer"), "the sender learns who handles the report");
    let version = app.store().contact(contact.id).await?.ok_or("gone")?.version.to_string();
    let r = app
        .post(
            &lawyer,
            &page,
            &format!("{page}/triage"),
            &[("version", &version), ("decision", "open"), ("title", "Web report, Bokhtar")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = public_post(&app, "/report/follow-up?lang=en", &[("code", &code), ("secret", &secret)]).await?;
    assert!(r.text().await?.contains("The coalition is working on it"));

    // Nothing about the sender: no actor and no address in the audit entries of the report and
    // its message, no address or browser in the log.
    let entries = app.store().audit_entries(&AuditFilter { limit: 500, ..Default::default() }).await?;
    for e in entries.iter().filter(|e| e.subject.as_deref() == Some(&contact.id.to_string())) {
        let from_sender = e.kind == AuditKind::ContactCreated.code()
            || (e.kind == AuditKind::ReportMessage.code() && e.detail.contains("sender"));
        if from_sender {
            assert_eq!((e.actor.as_deref(), e.client.as_deref()), (None, None), "{e:?}");
        }
    }
    assert!(entries.iter().all(|e| !e.detail.contains("Marker-UA")), "the browser reached the audit trail");
    let logged = String::from_utf8_lossy(&log.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    assert!(logged.contains("\"/report\"") || logged.contains("/report"), "the capture saw the requests");
    for trace in ["Marker-UA", "127.0.0.1", "Marker-Report", "Marker-Message", &code, &secret] {
        let line = logged.lines().find(|l| l.contains(trace));
        assert!(line.is_none(), "the log holds {trace}: {line:?}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_and_robots_are_turned_away_and_nothing_is_stored() -> TestResult {
    let config = WebConfig { reports_per_client_per_hour: 2, reports_per_hour: 3, ..WebConfig::default() };
    let app = TestApp::spawn_with(config, true).await;
    let report = [("place", "region:SUG"), ("summary", "Избили при задержании.")];
    // A robot fills the field people never see: refused, nothing stored.
    let mut robot = report.to_vec();
    robot.push(("website", "http://spam.example"));
    let r = public_post(&app, "/report", &robot).await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store().contact_queue(None, 10).await?.is_empty());
    // Too long: refused with the text kept.
    let long = "x".repeat(20_001);
    let r = public_post(&app, "/report", &[("summary", long.as_str())]).await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Two from one address, then the third is refused until the hour is over.
    for _ in 0..2 {
        assert_eq!(public_post(&app, "/report", &report).await?.status(), StatusCode::OK);
    }
    let r = public_post(&app, "/report?lang=en", &report).await?;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await?.contains("Too many reports"));
    assert_eq!(app.store().contact_queue(None, 10).await?.len(), 2);
    app.clock.advance(Duration::minutes(61));
    assert_eq!(public_post(&app, "/report", &report).await?.status(), StatusCode::OK);
    // Guessing receipts: after the allowed failures, even a right one waits.
    for _ in 0..WebConfig::default().max_failures_per_client {
        let r = public_post(&app, "/report/follow-up", &[("code", "ABCD-EFGH-JK"), ("secret", "x")]).await?;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r =
        public_post(&app, "/report/follow-up?lang=en", &[("code", "ABCD-EFGH-JK"), ("secret", "x")]).await?;
    assert!(r.text().await?.contains("Too many wrong attempts"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_pages_say_they_are_closed_while_sealed() -> TestResult {
    let app = TestApp::spawn_sealed().await;
    let r = Client::new().get(app.url("/report?lang=en")).send().await?;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await?.contains("987873333"), "the closed page gives the hotline numbers");
    let r = public_post(&app, "/report", &[("summary", "x")]).await?;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_are_configured_by_coordinators_with_checked_fields() -> TestResult {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    let fields = [
        ("version", "0"),
        ("code", "GBAO"),
        ("label_ru", "ГБАО"),
        ("label_tg", "ВМКБ"),
        ("label_en", "GBAO"),
        ("numbers", "(+992) 935 00 00 00"),
        ("region", "GBAO"),
        ("active", "on"),
    ];
    let r = app.post(&coordinator, "/admin/lines/new", "/admin/lines", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let snapshot = app.store().intake_snapshot().await?;
    assert_eq!(snapshot.line_for_region("GBAO").map(|l| l.code.as_str()), Some("GBAO"));
    // The same code again, and bad numbers: refused with the form kept.
    let r = app.post(&coordinator, "/admin/lines/new", "/admin/lines", &fields).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let mut bad = fields.to_vec();
    bad[1] = ("code", "PMR");
    bad[5] = ("numbers", "call us");
    let r = app.post(&coordinator, "/admin/lines/new", "/admin/lines", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await?.contains("call us"));
    // The page is not for lawyers.
    let lawyer = app.login("lawyer").await;
    assert_eq!(app.get(&lawyer, "/admin/lines").await.status(), StatusCode::FORBIDDEN);
    let html = app.get(&coordinator, "/admin/lines").await.text().await?;
    assert!(csrf_in(&html).is_none() || html.contains("GBAO"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_of_a_web_report_are_kept_whole_and_staff_work_on_copies_without_metadata() -> TestResult {
    use reqwest::multipart::{Form, Part};
    use sha2::Digest;
    let app = TestApp::spawn().await;
    let coordinator = app.login("coordinator").await;
    let public = Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let marker = "Marker-GPS-38.5598N-68.7870E";
    let photo = photo_with(marker);
    let pdf = format!(
        "%PDF-1.4\n% Author: {marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    );
    let form = |files: Vec<Part>| {
        let mut form = Form::new()
            .text("place", "region:DUS")
            .text("caller", "victim")
            .text("summary", "Побои в ИВС, фото следов прилагаю.");
        for part in files {
            form = form.part("files", part);
        }
        form
    };
    let part = |bytes: &[u8], name: &str, mime: &str| -> Res<Part> {
        Ok(Part::bytes(bytes.to_vec()).file_name(name.to_owned()).mime_str(mime)?)
    };

    // Refused: a program, a file too large, too many files. The text comes back; nothing is stored.
    let exe = part(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "tool.exe", "application/octet-stream")?;
    let r = public.post(app.url("/report?lang=en")).multipart(form(vec![exe])).send().await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(
        html.contains("Only JPEG and PNG photos and PDF documents") && html.contains("Побои в ИВС"),
        "{html}"
    );
    let big = vec![0xFFu8; 10 * 1024 * 1024 + 1];
    let r = public
        .post(app.url("/report?lang=en"))
        .multipart(form(vec![part(&big, "big.jpg", "image/jpeg")?]))
        .send()
        .await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await?.contains("larger than 10 MB"));
    let four = (0..4).map(|_| part(&photo, "a.jpg", "image/jpeg")).collect::<Res<Vec<_>>>()?;
    let r = public.post(app.url("/report?lang=en")).multipart(form(four)).send().await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store().contact_queue(None, 10).await?.is_empty(), "a refused report was stored");

    // A photo and a PDF: received, no cookie.
    let files = vec![
        part(&photo, "IMG_Dushanbe_Marker-Filename.jpg", "image/jpeg")?,
        part(pdf.as_bytes(), "statement.pdf", "application/pdf")?,
    ];
    let r = public.post(app.url("/report?lang=en")).multipart(form(files)).send().await?;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none());
    assert!(r.text().await?.contains("2 files were received"));
    let contact = app.store().contact_queue(None, 10).await?.into_iter().next().ok_or("no contact")?;
    let page = format!("/contacts/{}", contact.id);
    let html = app.get(&coordinator, &page).await.text().await?;
    let photo_sha = hex::encode(sha2::Sha256::digest(&photo));
    assert!(html.contains(&photo_sha), "the original's SHA-256 is shown");
    assert!(
        !html.contains("Marker-Filename") && !html.contains("statement.pdf"),
        "the sender's file names are kept"
    );

    // The photo's working copy has no EXIF; its original is byte for byte what was sent.
    let r = app.get(&coordinator, &format!("{page}/files/1/working")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition =
        r.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains(&contact.reference()),
        "{disposition}"
    );
    let working = r.bytes().await?;
    assert!(working.starts_with(&[0xFF, 0xD8]) && !working.windows(10).any(|w| w == b"Marker-GPS"));
    let original = app.get(&coordinator, &format!("{page}/files/1/original")).await.bytes().await?;
    assert_eq!(original.as_ref(), photo.as_slice());
    // The PDF has no working copy (its metadata cannot be removed here); its original is there.
    assert_eq!(
        app.get(&coordinator, &format!("{page}/files/2/working")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&coordinator, &format!("{page}/files/2/original")).await.bytes().await?.as_ref(),
        pdf.as_bytes()
    );
    // Outsiders get nothing; downloads are audited.
    let doctor = app.login("doctor").await;
    assert_eq!(app.get(&doctor, &format!("{page}/files/1/original")).await.status(), StatusCode::NOT_FOUND);
    let reads = app
        .store()
        .audit_entries(&AuditFilter { kind: Some(AuditKind::ContactViewed), limit: 50, ..Default::default() })
        .await?;
    assert!(reads.iter().any(|e| e.detail.contains("\"copy\":\"original\"")), "downloads are audited");

    // Nothing of the files is on disk in clear.
    let data = app.dir.path().join("data");
    let mut stack = vec![data];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path)?;
                assert!(
                    !bytes.windows(10).any(|w| w == b"Marker-GPS"),
                    "a file's content in clear in {path:?}"
                );
            }
        }
    }
    Ok(())
}
