//! The coalition's work outside the case files, generated in proportion to the number of cases:
//! monitoring visits with their course, interviews, allegations and recommendations (statistics
//! 18-20), trainings with their participants counted by profession and sex (statistics 16-17), materials
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

/// A monitoring visit to a place of detention (DOMAIN.md 3.6, 5.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// The place, index into the facility slice the register was generated with.
    pub facility: usize,
    /// The day of the visit.
    pub day: Date,
    /// Type, list `visit_type`.
    pub visit_type: &'static str,
    /// Notice, list `visit_notice`.
    pub notice: &'static str,
    /// Under whose mandate, list `visit_mandate` (`OMBUDSMAN_GROUP`: joint with the Ombudsman).
    pub mandate: &'static str,
    /// The steps after `PLANNED`: state, day and note.
    pub steps: Vec<(&'static str, Date, &'static str)>,
    /// Persons interviewed in private.
    pub interviews_private: u32,
    /// Allegations received (none passed on as contacts: no authorisation recorded).
    pub allegations: u32,
    /// The recommendations made after it.
    pub recommendations: Vec<VisitRecommendation>,
}

impl Visit {
    /// Its state after its last step.
    pub fn state(&self) -> &'static str {
        self.steps.last().map_or("PLANNED", |s| s.0)
    }
}

/// A recommendation of a visit, with the monitoring group's latest view of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRecommendation {
    /// The text, in Russian.
    pub text: &'static str,
    /// The body responsible, list `agency`.
    pub body: &'static str,
    /// The coalition's assessment (list `impl_status`) and its day, if one was made.
    pub assessed: Option<(&'static str, Date)>,
}

/// A contact on the hotlines that did not become one of the generated cases (statistics 1-2): a
/// question, a report outside the mandate, a call that was referred elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The line, a code of the hotline lines (`SUG`, `KHT`, `DUS`, `ARMY`), or none (a walk-in).
    pub line: Option<&'static str>,
    /// The channel, `ozodi_domain::intake::Channel` code.
    pub channel: &'static str,
    /// The day it came in (Dushanbe time) and the hour.
    pub day: Date,
    /// The hour, 0-23.
    pub hour: u8,
    /// Who called, `ozodi_domain::intake::CallerRole` code.
    pub caller: &'static str,
    /// Region, list `region`, when known.
    pub region: Option<&'static str>,
    /// What was said, without names.
    pub summary: &'static str,
    /// Closed as outside the mandate (else left for triage).
    pub outside_mandate: bool,
}

/// A UN recommendation the coalition tracks (DOMAIN.md 3.7), with its own latest view of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnRecommendation {
    /// The mechanism, list `un_mechanism`.
    pub mechanism: &'static str,
    /// The document's symbol (invented, in the shape of the real ones).
    pub symbol: String,
    /// The paragraph.
    pub paragraph: String,
    /// The document's date.
    pub day: Date,
    /// The summary, in English.
    pub summary: &'static str,
    /// The coalition's assessment (list `impl_status`) and its day, if one was made.
    pub assessed: Option<(&'static str, Date)>,
}

/// Everything of the register generated for a dataset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    /// Hotline contacts.
    pub contacts: Vec<Contact>,
    /// UN recommendations tracked.
    pub un_recommendations: Vec<UnRecommendation>,
    /// Monitoring visits.
    pub visits: Vec<Visit>,
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

const VISIT_RECOMMENDATIONS: &[&str] = &[
    "Обеспечить медицинский осмотр каждого задержанного при поступлении с фиксацией телесных повреждений",
    "Регистрировать задержание с момента фактического ограничения свободы",
    "Обеспечить доступ адвоката с первого часа задержания",
    "Установить видеонаблюдение в комнатах допроса и хранить записи не менее года",
    "Привести камеры в соответствие с нормами площади, освещения и вентиляции",
    "Обеспечить конфиденциальную подачу жалоб прокурору",
];

/// The visits to `facilities` for a dataset of `cases` cases.
fn visits(rng: &mut R, cases: usize, facilities: &[crate::model::Facility]) -> Vec<Visit> {
    if facilities.is_empty() {
        return Vec::new();
    }
    (0..(cases / 15).clamp(1, 300))
        .map(|_| {
            let facility = rng.below(facilities.len());
            let day = rng.day_between(first_day(), last_day() - Duration::days(200));
            let notice = rng.weighted(&[("UNANNOUNCED", 4), ("ANNOUNCED", 4), ("SHORT_NOTICE", 2)]);
            let mut steps: Vec<(&'static str, Date, &'static str)> = Vec::new();
            let denied = rng.chance(15);
            let refusal = "Начальник учреждения отказал в доступе группе";
            if notice != "UNANNOUNCED" {
                steps.push(("ACCESS_REQUESTED", day - Duration::days(10), ""));
                steps.push(if denied {
                    ("ACCESS_DENIED", day - Duration::days(3), refusal)
                } else {
                    ("ACCESS_GRANTED", day - Duration::days(3), "")
                });
            } else if denied {
                steps.push(("ACCESS_DENIED", day, refusal));
            }
            if !denied {
                steps.push(("CONDUCTED", day, ""));
                let mut at = day;
                for (to, days) in [("DEBRIEFED", 0), ("REPORT_DRAFTING", 5), ("REPORT_SENT", 30)] {
                    if rng.chance(80) {
                        at += Duration::days(days);
                        steps.push((to, at, ""));
                    } else {
                        break;
                    }
                }
                if steps.last().is_some_and(|s| s.0 == "REPORT_SENT") && rng.chance(70) {
                    let to = if rng.chance(50) { "RESPONSE_RECEIVED" } else { "NO_RESPONSE" };
                    steps.push((to, at + Duration::days(60), ""));
                }
            }
            let conducted = !denied;
            let authority = facilities[facility].authority;
            let recommendations = if conducted {
                (0..rng.range(1, 4))
                    .map(|_| VisitRecommendation {
                        text: rng.pick(VISIT_RECOMMENDATIONS),
                        body: if rng.chance(70) { authority } else { "GOV" },
                        assessed: rng.chance(60).then(|| {
                            let status = rng.weighted(&[
                                ("NOT_STARTED", 3),
                                ("INITIAL", 2),
                                ("PARTIAL", 3),
                                ("SUBSTANTIAL", 1),
                                ("FULL", 1),
                                ("NO_INFO", 2),
                            ]);
                            (status, day + Duration::days(i64::from(rng.range(90, 180))))
                        }),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Visit {
                facility,
                day,
                visit_type: rng.weighted(&[("FULL", 5), ("FOLLOW_UP", 2), ("REACTIVE", 2), ("THEMATIC", 1)]),
                notice,
                mandate: rng.weighted(&[("OMBUDSMAN_GROUP", 6), ("NGO_ACCESS", 2), ("AUTHORISED", 2)]),
                steps,
                interviews_private: if conducted { rng.range(3, 25) } else { 0 },
                allegations: if conducted { rng.range(0, 4) } else { 0 },
                recommendations,
            }
        })
        .collect()
}

const UN_SUMMARIES: &[&str] = &[
    "Ensure that all allegations of torture are promptly, impartially and effectively investigated",
    "Guarantee access to a lawyer and a doctor from the outset of deprivation of liberty",
    "Exclude in practice evidence obtained under torture",
    "Provide redress, including fair and adequate compensation, to victims of torture",
    "Establish an independent national preventive mechanism",
    "Protect human rights defenders and lawyers from reprisals",
];

/// The UN recommendations, by cycle of each mechanism.
fn un_recommendations(rng: &mut R, cases: usize) -> Vec<UnRecommendation> {
    (0..(cases / 10).clamp(1, 300))
        .map(|n| {
            let mechanism =
                rng.weighted(&[("CAT", 4), ("UPR", 4), ("CCPR", 3), ("SR-TORTURE", 1), ("CRC", 1)]);
            let day = rng.day_between(first_day(), last_day() - Duration::days(400));
            let symbol = match mechanism {
                "UPR" => format!("A/HRC/{}/{}", 40 + day.year() % 20, 10 + n % 7),
                m => format!("{m}/C/TJK/CO/{}", 3 + n % 3),
            };
            UnRecommendation {
                mechanism,
                symbol,
                paragraph: (5 + n % 60).to_string(),
                day,
                summary: rng.pick(UN_SUMMARIES),
                assessed: rng.chance(50).then(|| {
                    let status = rng.weighted(&[
                        ("NOT_STARTED", 3),
                        ("PARTIAL", 3),
                        ("SUBSTANTIAL", 1),
                        ("NO_INFO", 2),
                    ]);
                    (status, day + Duration::days(i64::from(rng.range(200, 380))))
                }),
            }
        })
        .collect()
}

const CONTACT_SUMMARIES: &[(&str, bool)] = &[
    ("Спрашивают, как подать жалобу на действия сотрудников милиции.", false),
    ("Сообщают об избиении при задержании, просят адвоката.", false),
    ("Жалоба на задержку пенсии: вне мандата коалиции.", true),
    ("Спор с соседями о земельном участке: вне мандата.", true),
    ("Мать солдата сообщает о неуставных отношениях в части.", false),
    ("Просят разъяснить права задержанного.", false),
];

/// The contacts on the lines for a dataset of `cases` cases.
fn contacts(rng: &mut R, cases: usize) -> Vec<Contact> {
    (0..(cases * 2).clamp(1, 5_000))
        .map(|_| {
            let line = rng.weighted(&[
                (Some("SUG"), 3),
                (Some("KHT"), 3),
                (Some("DUS"), 3),
                (Some("ARMY"), 2),
                (None, 1),
            ]);
            let region = match line {
                Some("SUG") => Some("SUG"),
                Some("KHT") => Some("KHT"),
                Some("DUS") => Some(if rng.chance(70) { "DUS" } else { "DRS" }),
                _ => rng.chance(60).then(|| rng.pick(REGIONS)),
            };
            let (summary, outside) = rng.pick(CONTACT_SUMMARIES);
            Contact {
                line,
                channel: if line.is_none() {
                    "walk-in"
                } else {
                    rng.weighted(&[("call", 6), ("messenger", 3), ("sms", 1)])
                },
                day: rng.day_between(first_day(), last_day()),
                hour: u8::try_from(rng.range(0, 23)).unwrap_or(12),
                caller: rng.weighted(&[
                    ("victim", 3),
                    ("relative", 4),
                    ("lawyer", 1),
                    ("anonymous", 1),
                    ("other", 1),
                ]),
                region,
                summary,
                outside_mandate: outside && rng.chance(90),
            }
        })
        .collect()
}

/// The register for a dataset of `cases` cases whose places of detention are `facilities`.
pub(crate) fn generate(rng: &mut R, cases: usize, facilities: &[crate::model::Facility]) -> Registry {
    let visits = visits(rng, cases, facilities);
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
    let un_recommendations = un_recommendations(rng, cases);
    let contacts = contacts(rng, cases);
    Registry { contacts, un_recommendations, visits, trainings, publications, meetings }
}
