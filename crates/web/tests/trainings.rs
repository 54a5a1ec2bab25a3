//! Trainings over HTTP (issue 6): events recorded by those who run them, participants counted by
//! profession, sex and region (never named), the counts added up exactly, the Istanbul Protocol
//! figure for health workers, refused input changing nothing.

mod common;

use common::{TestApp, escaped, raw_markup, script, submit, text};
use reqwest::StatusCode;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn figure(html: &str, id: &str) -> Option<u64> {
    let at = html.find(&format!("id=\"{id}\">"))? + id.len() + 6;
    html[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn participants_are_counted_by_profession_sex_and_region_and_added_up_exactly() -> Res<()> {
    let app = TestApp::spawn().await;
    let doctor = app.login("doctor").await;
    let title = script("training.title");
    let mut trainings = Vec::new();
    for (kind, name) in [("IP_HEALTH", title.as_str()), ("IP_LEGAL", "Протоколи Истанбул барои судяҳо")]
    {
        let (status, to) = submit(
            &app,
            &doctor,
            "/trainings/new",
            "/trainings",
            &[
                ("title", name),
                ("training_kind", kind),
                ("initial_date.y", "2026"),
                ("initial_date.m", "10"),
                ("initial_date.d", "12"),
                ("region", "SUG"),
            ],
        )
        .await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        trainings.push(to.split('?').next().unwrap_or_default().to_owned());
    }
    let (health, legal) = (&trainings[0], &trainings[1]);
    let set = |path: &str, profession: &str, sex: &str, region: &str, count: &str| {
        let (path, profession, sex, region, count) =
            (path.to_owned(), profession.to_owned(), sex.to_owned(), region.to_owned(), count.to_owned());
        let (app, doctor) = (&app, &doctor);
        async move {
            submit(
                app,
                doctor,
                &path,
                &format!("{path}/participants"),
                &[("profession", &profession), ("sex", &sex), ("region", &region), ("count", &count)],
            )
            .await
        }
    };
    for (profession, sex, region, count) in [
        ("DOCTOR", "02", "SUG", "12"),
        ("DOCTOR", "01", "SUG", "8"),
        ("NURSE", "02", "KHT", "10"),
        ("LAWYER", "01", "SUG", "3"),
        ("DOCTOR", "02", "SUG", "14"), // a correction replaces the count
        ("NURSE", "02", "KHT", "0"),   // 0 removes the line…
        ("NURSE", "02", "KHT", "10"),  // …and it comes back
    ] {
        let (status, _) = set(health, profession, sex, region, count).await?;
        assert_eq!(status, StatusCode::SEE_OTHER, "{profession} {sex} {count}");
    }
    for (profession, sex, count) in [("JUDGE", "99", "5"), ("DOCTOR", "01", "2")] {
        let (status, _) = set(legal, profession, sex, "", count).await?;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    // Refused: a negative, a word, too many, a forged profession or sex; nothing changes.
    let before = app.store().trainings().await?;
    for (profession, sex, count) in [
        ("DOCTOR", "01", "-1"),
        ("DOCTOR", "01", "много"),
        ("DOCTOR", "01", "10001"),
        ("<x>", "01", "1"),
        ("DOCTOR", "03", "1"),
    ] {
        let (status, page) = set(health, profession, sex, "", count).await?;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{profession} {sex} {count}");
        assert!(page.contains("role=\"alert\""), "the refusal is explained");
    }
    assert_eq!(app.store().trainings().await?, before, "refused counts change nothing");

    // 14 + 8 doctors and 10 nurses trained in the Istanbul Protocol; 42 participants in all.
    let (status, list) = text(&app, &doctor, "/trainings").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figure(&list, "health-workers"), Some(32), "health workers trained in the protocol");
    assert!(list.contains("<dd>42</dd>"), "every participant");
    assert!(!raw_markup(&list) && list.contains(&escaped(&title)), "the title is escaped");
    let (_, page) = text(&app, &doctor, health).await?;
    assert!(page.contains(": 35</h2>"), "the training's own total: 14 + 8 + 10 + 3");
    assert!(!raw_markup(&page));

    // A stale edit is refused.
    let (_, edit) = text(&app, &doctor, &format!("{health}/edit")).await?;
    let version = edit
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0")
        .to_owned();
    let fields = [
        ("title", "Протоколи Истанбул"),
        ("training_kind", "IP_HEALTH"),
        ("initial_date.y", "2026"),
        ("version", "1"),
    ];
    let (status, _) = submit(&app, &doctor, &format!("{health}/edit"), health, &fields).await?;
    assert_eq!(status, StatusCode::CONFLICT, "drawn at version 1, now at {version}");

    // Who may: analysts read the figures but record nothing; an administrator has no business here.
    let analyst = app.login("analyst").await;
    assert_eq!(text(&app, &analyst, "/trainings").await?.0, StatusCode::OK);
    let (status, _) =
        submit(&app, &analyst, "/trainings", "/trainings", &[("title", "x"), ("training_kind", "IP_HEALTH")])
            .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    assert_eq!(text(&app, &admin, "/trainings").await?.0, StatusCode::FORBIDDEN);
    Ok(())
}
