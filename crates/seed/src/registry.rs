//! The coalition's work outside the case files, generated in proportion to the number of cases:
//! trainings with their participants counted by profession and sex (statistics 16-17), materials
//! published (22), and meetings and briefings with international organisations (the advocacy
//! log). The proportions follow the coalition's published figures (for about 200 cases, 130
//! health workers trained, 800 materials, about 50 meetings), up to 300 trainings, 2,000
//! materials and 500 meetings however many cases there are.

use time::{Date, Duration, Month};

use crate::rng::R;

/// A training event (DOMAIN.md 3.9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Training {
    /// Title, in Russian.
    pub title: String,
    /// Kind, list `training_kind`.
    pub kind: &'static str,
    /// The day it was held.
    pub day: Date,
    /// Region, list `region`.
    pub region: &'static str,
    /// Participants: profession (list `profession`), sex (`01`, `02`, `99`) and how many.
    pub participants: Vec<(&'static str, &'static str, u32)>,
}

/// A material published (DOMAIN.md 3.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// Title, in its first language.
    pub title: String,
    /// Kind, list `publication_kind`.
    pub kind: &'static str,
    /// The day it came out.
    pub day: Date,
    /// Languages, list `language`.
    pub languages: Vec<&'static str>,
}

/// A meeting or briefing (the advocacy log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    /// Kind, list `meeting_kind`.
    pub kind: &'static str,
    /// The day.
    pub day: Date,
    /// With whom, as it would be written down (an organisation, never a person's name).
    pub counterpart: &'static str,
    /// Type of counterpart, list `counterpart_type`.
    pub counterpart_type: &'static str,
}

/// Everything of the register generated for a dataset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    /// Trainings.
    pub trainings: Vec<Training>,
    /// Publications.
    pub publications: Vec<Publication>,
    /// Meetings.
    pub meetings: Vec<Meeting>,
}

const REGIONS: &[&str] = &["SUG", "KHT", "DUS", "DRS", "GBAO"];

const TRAININGS: &[(&str, &str, &[&str])] = &[
    (
        "IP_HEALTH",
        "Стамбульский протокол для медицинских работников",
        &["DOCTOR", "FORENSIC", "NURSE", "PSYCHIATRIST", "PSYCHOLOGIST", "CUSTODIAL_MEDIC"],
    ),
    ("IP_LEGAL", "Стамбульский протокол для юристов", &["LAWYER", "JUDGE", "PROSECUTOR"]),
    ("INVESTIGATORS", "Расследование пыток: стандарты и практика", &["INVESTIGATOR", "PROSECUTOR"]),
    ("MONITORING", "Мониторинг мест лишения свободы", &["NGO", "LAWYER", "DOCTOR"]),
    ("JOURNALISTS", "Освещение темы пыток в СМИ", &["JOURNALIST", "NGO"]),
    ("PSYCHOLOGISTS", "Реабилитация пострадавших от пыток", &["PSYCHOLOGIST", "PSYCHIATRIST"]),
];

const PUBLICATIONS: &[(&str, u32, &str)] = &[
    ("ARTICLE", 30, "Статья о практике пыток в местах содержания"),
    ("MEDIA", 25, "Материал СМИ о деле, которое ведёт коалиция"),
    ("PRESS_RELEASE", 15, "Пресс-релиз коалиции"),
    ("INTERVIEW", 10, "Интервью юриста коалиции"),
    ("THEMATIC", 6, "Тематический доклад"),
    ("POLICY", 5, "Аналитическая записка"),
    ("MANUAL", 3, "Методическое пособие"),
    ("CAMPAIGN", 3, "Материал кампании 26 июня"),
    ("FOLLOW_UP", 2, "Доклад о выполнении рекомендаций"),
    ("ALTERNATIVE_REPORT", 1, "Альтернативный доклад"),
];

const COUNTERPARTS: &[(&str, &str, u32)] = &[
    ("Управление ООН по правам человека", "UN", 4),
    ("Бюро ОБСЕ", "OSCE", 3),
    ("Делегация Европейского союза", "EU", 3),
    ("Посольство", "EMBASSY", 3),
    ("Уполномоченный по правам человека", "OMBUDSMAN", 3),
    ("Генеральная прокуратура", "STATE", 2),
    ("Партнёрская организация", "NGO", 2),
];

fn first_day() -> Date {
    Date::from_calendar_date(2019, Month::January, 1).unwrap_or(Date::MIN)
}

fn last_day() -> Date {
    Date::from_calendar_date(2026, Month::October, 31).unwrap_or(Date::MAX)
}

/// The register for a dataset of `cases` cases.
pub(crate) fn generate(rng: &mut R, cases: usize) -> Registry {
    let kinds: Vec<(usize, u32)> = (0..TRAININGS.len()).map(|i| (i, if i == 0 { 5 } else { 1 })).collect();
    let trainings = (0..(cases / 15).clamp(1, 300))
        .map(|_| {
            let (kind, title, professions) = TRAININGS[rng.weighted(&kinds)];
            let mut participants = Vec::new();
            let how_many = rng.range(1, 3) as usize;
            for profession in rng.sample(professions, how_many) {
                for sex in ["02", "01"] {
                    let n = rng.range(0, 12);
                    if n > 0 {
                        participants.push((profession, sex, n));
                    }
                }
            }
            Training {
                title: title.to_owned(),
                kind,
                day: rng.day_between(first_day(), last_day()),
                region: rng.pick(REGIONS),
                participants,
            }
        })
        .collect();
    let weights: Vec<(usize, u32)> = PUBLICATIONS.iter().enumerate().map(|(i, (_, w, _))| (i, *w)).collect();
    let publications = (0..(cases * 4).min(2_000))
        .map(|n| {
            let (kind, _, title) = PUBLICATIONS[rng.weighted(&weights)];
            let languages = match rng.range(0, 9) {
                0..=4 => vec!["ru"],
                5..=6 => vec!["ru", "tg"],
                7 => vec!["tg"],
                _ => vec!["ru", "tg", "en"],
            };
            Publication {
                title: format!("{title} № {}", n + 1),
                kind,
                day: rng.day_between(first_day(), last_day()),
                languages,
            }
        })
        .collect();
    let counterparts: Vec<(usize, u32)> =
        COUNTERPARTS.iter().enumerate().map(|(i, (_, _, w))| (i, *w)).collect();
    let meetings = (0..(cases / 4).clamp(1, 500))
        .map(|_| {
            let (counterpart, counterpart_type, _) = COUNTERPARTS[rng.weighted(&counterparts)];
            let kind =
                rng.weighted(&[("MEETING", 5), ("BRIEFING", 3), ("ROUND_TABLE", 2), ("DELEGATION", 1)]);
            let day = rng.day_between(first_day(), last_day() - Duration::days(1));
            Meeting { kind, day, counterpart, counterpart_type }
        })
        .collect();
    Registry { trainings, publications, meetings }
}
