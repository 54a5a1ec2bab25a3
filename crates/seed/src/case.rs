//! One case: a scenario (police custody, security service, drug agency, prison, army, care
//! institution), a chain of 1-3 events, the people involved, and the coalition's work on it.
//!
//! Sizes are tuned for the benchmark: 2.5 persons and 4.0 acts per case on average (events:
//! 1/2/3 with 15/30/55 %, so 2.4 on average; 2 acts per event two times in three, 1.67 on
//! average).

use time::{Date, Duration, Month};

use crate::facility::{self as fac, Forms};
use crate::geo::{self, PLACES, Place};
use crate::model::{
    Act, Arrest, CASE_STATUSES, Case, Event, Facility, Identity, Information, Intervention, Involvement,
    Lang, Person, TortureDetail, Tri,
};
use crate::names::FullName;
use crate::rng::R;
use crate::text::{self, PerpForms, Sentence, Setting, Slots, T3};

/// First possible event day.
fn min_date() -> Date {
    Date::from_calendar_date(2015, Month::January, 1).unwrap_or(Date::MIN)
}

/// Last possible day of anything (events, opening, interventions).
fn max_date() -> Date {
    Date::from_calendar_date(2026, Month::October, 31).unwrap_or(Date::MAX)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    Police,
    Scns,
    Drugs,
    Prison,
    Army,
    Institution,
}

const SCENARIOS: &[(Scenario, u32)] = &[
    (Scenario::Police, 40),
    (Scenario::Scns, 10),
    (Scenario::Drugs, 8),
    (Scenario::Prison, 14),
    (Scenario::Army, 16),
    (Scenario::Institution, 6),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    PoliceArrest,
    Custody,
    ScnsAbduction,
    DrugsStop,
    PrisonAbuse,
    PrisonNeglect,
    ArmyRoundup,
    ArmyHazing,
    ArmyGuardhouse,
    InstAbuse,
    InstNeglect,
    Death,
    Reprisal,
    Trial,
}

impl Scenario {
    /// The events in order; the first `n` are used, and a death (if any) ends the chain.
    fn chain(self, rng: &mut R, n: usize, death: bool) -> Vec<Kind> {
        use Kind as K;
        let last = |rng: &mut R| if rng.chance(50) { K::Reprisal } else { K::Trial };
        let full = match self {
            Scenario::Police => [K::PoliceArrest, K::Custody, last(rng)],
            Scenario::Scns => [K::ScnsAbduction, K::Custody, last(rng)],
            Scenario::Drugs => [K::DrugsStop, K::Custody, last(rng)],
            Scenario::Prison => [K::PrisonAbuse, K::PrisonNeglect, K::Reprisal],
            Scenario::Army if rng.chance(20) => [K::ArmyRoundup, K::ArmyHazing, K::Reprisal],
            Scenario::Army => [K::ArmyHazing, K::ArmyGuardhouse, K::Reprisal],
            Scenario::Institution => [K::InstAbuse, K::InstNeglect, K::Reprisal],
        };
        let mut chain: Vec<Kind> = full.into_iter().take(n).collect();
        if death && chain.len() >= 2 {
            let last = chain.len() - 1;
            chain[last] = K::Death;
        }
        chain
    }

    fn can_die(self) -> bool {
        matches!(self, Scenario::Police | Scenario::Prison | Scenario::Army)
    }

    fn perp_forms(self) -> PerpForms {
        match self {
            Scenario::Police => text::PERP_POLICE,
            Scenario::Scns => text::PERP_SCNS,
            Scenario::Drugs => text::PERP_DRUGS,
            Scenario::Prison => text::PERP_PRISON,
            Scenario::Army => text::PERP_ARMY,
            Scenario::Institution => text::PERP_INSTITUTION,
        }
    }

    fn topics(self) -> &'static [T3] {
        match self {
            Scenario::Police => text::TOPICS_POLICE,
            Scenario::Scns => text::TOPICS_SCNS,
            Scenario::Drugs => text::TOPICS_DRUGS,
            Scenario::Prison => text::TOPICS_PRISON,
            Scenario::Army => text::TOPICS_ARMY,
            Scenario::Institution => text::TOPICS_INSTITUTION,
        }
    }

    fn suspicions(self) -> &'static [T3] {
        match self {
            Scenario::Scns => text::SUSPICIONS_SCNS,
            Scenario::Drugs => text::SUSPICIONS_DRUGS,
            _ => text::SUSPICIONS_COMMON,
        }
    }

    fn setting(self) -> Setting {
        match self {
            Scenario::Army => Setting::Army,
            Scenario::Institution => Setting::Institution,
            _ => Setting::Custody,
        }
    }

    /// MT24 type of the unidentified group in `kind`.
    fn group_type(self, kind: Kind) -> &'static str {
        match self {
            Scenario::Police | Scenario::Drugs => "010104",
            Scenario::Scns => "010106",
            Scenario::Prison => "010105",
            Scenario::Army if kind == Kind::ArmyHazing => "TJ.PERP.CONSCRIPT",
            Scenario::Army => "010103",
            Scenario::Institution => "1105",
        }
    }

    /// MT24 type of a named officer.
    fn officer_type(self) -> &'static str {
        match self {
            Scenario::Police | Scenario::Drugs => "010104",
            Scenario::Scns => "010106",
            Scenario::Prison => "010105",
            Scenario::Army => "010103",
            Scenario::Institution => "1105",
        }
    }

    fn officer_degree(self, rng: &mut R) -> &'static str {
        match self {
            Scenario::Police | Scenario::Scns | Scenario::Drugs => {
                rng.weighted(&[("0101", 50), ("0102", 50)])
            }
            Scenario::Prison => rng.weighted(&[("0102", 60), ("0101", 40)]),
            Scenario::Army => rng.weighted(&[("0502", 50), ("0501", 30), ("0503", 20)]),
            Scenario::Institution => rng.weighted(&[("0502", 60), ("0101", 40)]),
        }
    }

    /// Description of the unidentified group ({fac} is the first facility).
    fn group_description(self) -> T3 {
        match self {
            Scenario::Police => [
                "Неустановленные сотрудники милиции: {fac}",
                "Кормандони номаълуми милитсия: {fac}",
                "Unidentified police officers: {fac}",
            ],
            Scenario::Scns => {
                ["Неустановленные сотрудники ГКНБ", "Кормандони номаълуми КДАМ", "Unidentified SCNS officers"]
            }
            Scenario::Drugs => [
                "Неустановленные сотрудники АКН",
                "Кормандони номаълуми АНМН",
                "Unidentified Drug Control Agency officers",
            ],
            Scenario::Prison => [
                "Неустановленные сотрудники учреждения: {fac}",
                "Кормандони номаълуми муассиса: {fac}",
                "Unidentified staff: {fac}",
            ],
            Scenario::Army => [
                "Старослужащие и офицеры: {fac}",
                "Сарбозони даъвати пешина ва афсарон: {fac}",
                "Senior conscripts and officers: {fac}",
            ],
            Scenario::Institution => {
                ["Персонал учреждения: {fac}", "Кормандони муассиса: {fac}", "Staff: {fac}"]
            }
        }
    }

    /// Post of a named officer.
    fn officer_description(self) -> T3 {
        match self {
            Scenario::Police => [
                "Старший оперуполномоченный, {fac}",
                "Корманди калони оперативӣ, {fac}",
                "Senior detective, {fac}",
            ],
            Scenario::Scns => ["Следователь ГКНБ", "Муфаттиши КДАМ", "SCNS investigator"],
            Scenario::Drugs => ["Начальник отдела, {fac}", "Сардори шуъба, {fac}", "Head of section, {fac}"],
            Scenario::Prison => [
                "Заместитель начальника по режиму, {fac}",
                "Муовини сардор оид ба низом, {fac}",
                "Deputy head for security, {fac}",
            ],
            Scenario::Army => ["Командир роты, {fac}", "Фармондеҳи рота, {fac}", "Company commander, {fac}"],
            Scenario::Institution => {
                ["Заведующий отделением, {fac}", "Мудири шуъба, {fac}", "Head of ward, {fac}"]
            }
        }
    }

    fn titles(self) -> &'static [T3] {
        match self {
            Scenario::Police => &[
                ["Пытки {fac_in}, {year}", "Шиканҷа дар {fac}, {year}", "Torture at {fac}, {year}"],
                ["Избиение {fac_in}, {year}", "Латукӯб дар {fac}, {year}", "Beating at {fac}, {year}"],
                [
                    "Избиение и пытки {fac_in}, {year}",
                    "Латукӯб ва шиканҷа дар {fac}, {year}",
                    "Beating and torture at {fac}, {year}",
                ],
                [
                    "Пытки после задержания {place}, {year}",
                    "Шиканҷа пас аз боздошт {place}, {year}",
                    "Torture after arrest {place}, {year}",
                ],
            ],
            Scenario::Scns => &[
                [
                    "Похищение и пытки сотрудниками ГКНБ {place}, {year}",
                    "Рабудан ва шиканҷа аз ҷониби кормандони КДАМ {place}, {year}",
                    "Abduction and torture by SCNS officers {place}, {year}",
                ],
                ["Пытки {fac_in}, {year}", "Шиканҷа дар {fac}, {year}", "Torture at {fac}, {year}"],
            ],
            Scenario::Drugs => &[
                [
                    "Избиение сотрудниками АКН {place}, {year}",
                    "Латукӯб аз ҷониби кормандони АНМН {place}, {year}",
                    "Beating by Drug Control Agency officers {place}, {year}",
                ],
                [
                    "Пытки и вымогательство {fac_in}, {year}",
                    "Шиканҷа ва тамаъҷӯӣ дар {fac}, {year}",
                    "Torture and extortion at {fac}, {year}",
                ],
            ],
            Scenario::Prison => &[
                ["Избиение {fac_in}, {year}", "Латукӯб дар {fac}, {year}", "Beating at {fac}, {year}"],
                [
                    "Жестокое обращение {fac_in}, {year}",
                    "Муносибати бераҳмона дар {fac}, {year}",
                    "Ill-treatment at {fac}, {year}",
                ],
            ],
            Scenario::Army => &[
                [
                    "Дедовщина {fac_in}, {year}",
                    "Муносибатҳои ғайриуставӣ дар {fac}, {year}",
                    "Hazing at {fac}, {year}",
                ],
                [
                    "Избиение военнослужащего {fac_in}, {year}",
                    "Латукӯби сарбоз дар {fac}, {year}",
                    "Beating of a conscript at {fac}, {year}",
                ],
            ],
            Scenario::Institution => &[
                [
                    "Жестокое обращение {fac_in}, {year}",
                    "Муносибати бераҳмона дар {fac}, {year}",
                    "Ill-treatment at {fac}, {year}",
                ],
                [
                    "Насилие со стороны персонала {fac_in}, {year}",
                    "Зӯроварии кормандон дар {fac}, {year}",
                    "Violence by staff at {fac}, {year}",
                ],
            ],
        }
    }
}

impl Kind {
    fn sentences(self, has_relative: bool) -> &'static [Sentence] {
        match self {
            Kind::PoliceArrest => text::POLICE_ARREST,
            Kind::Custody => text::CUSTODY,
            Kind::ScnsAbduction => text::SCNS_ABDUCTION,
            Kind::DrugsStop => text::DRUGS_STOP,
            Kind::PrisonAbuse => text::PRISON_ABUSE,
            Kind::PrisonNeglect => text::PRISON_NEGLECT,
            Kind::ArmyRoundup => text::ARMY_ROUNDUP,
            Kind::ArmyHazing => text::ARMY_HAZING,
            Kind::ArmyGuardhouse => text::ARMY_GUARDHOUSE,
            Kind::InstAbuse => text::INSTITUTION_ABUSE,
            Kind::InstNeglect => text::INSTITUTION_NEGLECT,
            Kind::Death => text::DEATH,
            Kind::Reprisal if has_relative => text::REPRISAL_RELATIVE,
            Kind::Reprisal => text::REPRISAL_SELF,
            Kind::Trial => text::TRIAL,
        }
    }

    fn titles(self) -> &'static [T3] {
        match self {
            Kind::PoliceArrest => &[
                [
                    "Задержание и пытки {fac_in}",
                    "Боздошт ва шиканҷа дар {fac}",
                    "Arrest and torture at {fac}",
                ],
                [
                    "Задержание и избиение {fac_in}",
                    "Боздошт ва латукӯб дар {fac}",
                    "Arrest and beating at {fac}",
                ],
            ],
            Kind::Custody => &[[
                "Содержание под стражей {fac_in}: давление и лишение права на защиту",
                "Нигоҳдорӣ дар {fac}: фишор ва маҳрум кардан аз ҳуқуқи ҳимоя",
                "Custody at {fac}: pressure and denial of counsel",
            ]],
            Kind::ScnsAbduction => &[[
                "Похищение и пытки сотрудниками ГКНБ",
                "Рабудан ва шиканҷа аз ҷониби кормандони КДАМ",
                "Abduction and torture by SCNS officers",
            ]],
            Kind::DrugsStop => &[[
                "Задержание сотрудниками АКН и вымогательство",
                "Боздошт аз ҷониби кормандони АНМН ва тамаъҷӯӣ",
                "Arrest by Drug Control Agency officers and extortion",
            ]],
            Kind::PrisonAbuse => &[["Избиение {fac_in}", "Латукӯб дар {fac}", "Beating at {fac}"]],
            Kind::PrisonNeglect => &[[
                "Отказ в медицинской помощи {fac_in}",
                "Маҳрум кардан аз ёрии тиббӣ дар {fac}",
                "Denial of medical care at {fac}",
            ]],
            Kind::ArmyRoundup => &[[
                "Принудительный призыв и жестокое обращение",
                "Даъвати маҷбурӣ ва муносибати бераҳмона",
                "Forced conscription and ill-treatment",
            ]],
            Kind::ArmyHazing => {
                &[["Неуставные отношения {fac_in}", "Муносибатҳои ғайриуставӣ дар {fac}", "Hazing at {fac}"]]
            }
            Kind::ArmyGuardhouse => {
                &[["Жестокое обращение {fac_in}", "Муносибати бераҳмона дар {fac}", "Ill-treatment at {fac}"]]
            }
            Kind::InstAbuse => &[[
                "Насилие со стороны персонала {fac_in}",
                "Зӯроварии кормандон дар {fac}",
                "Violence by staff at {fac}",
            ]],
            Kind::InstNeglect => &[[
                "Изоляция и ненадлежащие условия {fac_in}",
                "Ҷудо нигоҳ доштан ва шароити номуносиб дар {fac}",
                "Isolation and poor conditions at {fac}",
            ]],
            Kind::Death => &[["Смерть {fac_in}", "Марг дар {fac}", "Death at {fac}"]],
            Kind::Reprisal => &[[
                "Давление на семью после жалобы",
                "Фишор ба оила пас аз шикоят дар бораи шиканҷа",
                "Pressure on the family after the complaint",
            ]],
            Kind::Trial => &[[
                "Суд и использование показаний, полученных под пытками",
                "Суд ва истифодаи нишондодҳое, ки зери шиканҷа гирифта шудаанд",
                "Trial based on a confession obtained under torture",
            ]],
        }
    }

    /// Facility types for the event's own place; `None` when the event reuses the previous
    /// event's place or has none.
    fn facility_types(self, scenario: Scenario) -> Option<&'static [(&'static str, u32)]> {
        Some(match self {
            Kind::PoliceArrest => &[(fac::POLICE, 65), (fac::IVS, 35)],
            Kind::Custody if scenario == Scenario::Scns => &[(fac::SCNS, 1)],
            Kind::Custody => &[(fac::IVS, 65), (fac::SIZO, 35)],
            Kind::ScnsAbduction => &[(fac::SCNS, 1)],
            Kind::DrugsStop => &[(fac::DCA_OFFICE, 1)],
            Kind::PrisonAbuse => &[(fac::COLONY, 60), (fac::SIZO, 20), (fac::PRISON, 10), (fac::JUV, 10)],
            Kind::ArmyRoundup => &[(fac::MILUNIT, 1)],
            Kind::ArmyHazing => &[(fac::MILUNIT, 88), (fac::BORDER, 12)],
            Kind::ArmyGuardhouse => &[(fac::GUARD, 1)],
            Kind::InstAbuse => &[(fac::PSYCH, 35), (fac::PNI, 25), (fac::CHILD, 25), (fac::NARCO, 15)],
            Kind::PrisonNeglect | Kind::InstNeglect | Kind::Death | Kind::Reprisal | Kind::Trial => {
                return None;
            }
        })
    }

    /// Act types: (primary pool, secondary pool, secondary comes first in time).
    fn act_types(self) -> (Pool, Pool, bool) {
        match self {
            Kind::PoliceArrest => {
                (&[("02011111", 70), ("TJ.ACT.ILLT", 30)], &[("030102", 80), ("36010301", 20)], true)
            }
            Kind::Custody => (
                &[("02011111", 50), ("TJ.ACT.ILLT", 30), ("36010201", 20)],
                &[("350109", 40), ("TJ.ACT.INCOMM", 25), ("36010204", 20), ("350113", 15)],
                false,
            ),
            Kind::ScnsAbduction => (
                &[("02011111", 1)],
                &[("030104", 45), ("TJ.ACT.INCOMM", 30), ("030102", 15), ("030103", 10)],
                true,
            ),
            Kind::DrugsStop => (&[("02011111", 50), ("020101", 50)], &[("030101", 1)], true),
            Kind::PrisonAbuse => {
                (&[("02011111", 45), ("TJ.ACT.ILLT", 55)], &[("360102", 60), ("36010201", 40)], false)
            }
            Kind::PrisonNeglect => (&[("36010204", 1)], &[("36010206", 70), ("360102", 30)], false),
            Kind::ArmyRoundup => (&[("TJ.ACT.ILLT", 1)], &[("030102", 60), ("36010301", 40)], true),
            Kind::ArmyHazing => {
                (&[("TJ.ACT.HAZING", 70), ("02011111", 30)], &[("020101", 60), ("TJ.ACT.ILLT", 40)], false)
            }
            Kind::ArmyGuardhouse => {
                (&[("TJ.ACT.ILLT", 70), ("02011111", 30)], &[("360102", 70), ("020121", 30)], false)
            }
            Kind::InstAbuse => (&[("TJ.ACT.ILLT", 70), ("02011111", 30)], &[("36010201", 1)], false),
            Kind::InstNeglect => {
                (&[("36010204", 50), ("360102", 50)], &[("36010206", 60), ("36010201", 40)], false)
            }
            Kind::Death => {
                (&[("01010601", 40), ("01019001", 40), ("01019006", 20)], &[("0101900302", 1)], false)
            }
            Kind::Reprisal => (
                &[("02010301", 60), ("02010302", 25), ("020103", 15)],
                &[("02010301", 60), ("020103", 40)],
                false,
            ),
            Kind::Trial => (&[("350118", 1)], &[("36010302", 50), ("350113", 50)], false),
        }
    }

    /// The pool the event's methods come from (empty: no violence narrated).
    fn methods_pool(self) -> &'static [&'static str] {
        match self {
            Kind::PoliceArrest | Kind::ScnsAbduction | Kind::DrugsStop => text::METHODS_INTERROGATION,
            Kind::Custody => text::METHODS_CUSTODY,
            Kind::PrisonAbuse => text::METHODS_PRISON,
            Kind::ArmyHazing | Kind::ArmyGuardhouse => text::METHODS_ARMY,
            Kind::ArmyRoundup => text::METHODS_ROUNDUP,
            Kind::InstAbuse => text::METHODS_INSTITUTION,
            _ => &[],
        }
    }

    /// Days after the previous event.
    fn delay(self) -> (u32, u32) {
        match self {
            Kind::Custody => (1, 10),
            Kind::PrisonNeglect | Kind::InstNeglect => (3, 45),
            Kind::ArmyHazing => (20, 120),
            Kind::ArmyGuardhouse => (5, 60),
            Kind::Death => (1, 30),
            Kind::Reprisal => (20, 150),
            Kind::Trial => (60, 240),
            _ => (0, 0),
        }
    }

    fn stated_reason(self, rng: &mut R) -> T3 {
        match self {
            Kind::PoliceArrest | Kind::ScnsAbduction | Kind::DrugsStop => SR_SUSPICION,
            Kind::Custody if rng.chance(50) => SR_SUSPICION,
            Kind::Custody => [
                "Мера пресечения — заключение под стражу по решению суда.",
                "Чораи пешгирӣ — ҳабс бо қарори суд.",
                "Pre-trial detention ordered by a court.",
            ],
            Kind::PrisonAbuse => [
                "Администрация ссылается на нарушение режима содержания.",
                "Маъмурият ба вайрон кардани низоми нигаҳдорӣ ишора мекунад.",
                "The administration cites a breach of prison rules.",
            ],
            Kind::PrisonNeglect => [
                "Администрация утверждает, что медицинская помощь не требовалась.",
                "Маъмурият иддао дорад, ки ёрии тиббӣ лозим набуд.",
                "The administration claims no medical care was needed.",
            ],
            Kind::ArmyHazing | Kind::ArmyGuardhouse => [
                "Командование части утверждает, что травмы получены при падении во время занятий.",
                "Фармондеҳии қисм иддао дорад, ки ҷароҳатҳо ҳангоми машқ аз афтодан пайдо шудаанд.",
                "The unit's command claims the injuries came from a fall during training.",
            ],
            Kind::ArmyRoundup => [
                "Официально: уклонение от призыва на военную службу.",
                "Сабаби расмӣ: саркашӣ аз даъват ба хизмати ҳарбӣ.",
                "Official reason: evading conscription.",
            ],
            Kind::InstAbuse | Kind::InstNeglect => [
                "Персонал объясняет меры необходимостью «успокоить» [пациента|пациентку].",
                "Кормандон ин чораҳоро бо зарурати «ором кардани» бемор шарҳ медиҳанд.",
                "Staff say the measures were needed to \"calm\" the patient.",
            ],
            Kind::Death => {
                ["Официальная версия: {cause}.", "Версияи расмӣ: {cause}.", "Official version: {cause}."]
            }
            Kind::Reprisal => ["Причина не называлась.", "Сабаб гуфта нашуд.", "No reason was given."],
            Kind::Trial => [
                "Суд признал показания допустимыми доказательствами.",
                "Суд нишондодҳоро далели қобили қабул донист.",
                "The court admitted the statements as evidence.",
            ],
        }
    }
}

/// Codes with weights.
type Pool = &'static [(&'static str, u32)];

const SR_SUSPICION: T3 = [
    "Официально: подозрение в {sus}.",
    "Сабаби расмӣ: гумони {sus}.",
    "Official reason: suspicion of {sus}.",
];

const VIOLENCE: &[&str] = &["02011111", "TJ.ACT.ILLT", "TJ.ACT.HAZING", "020101", "020121"];
const DETENTION: &[&str] = &["030101", "030102", "030103", "030104", "TJ.ACT.INCOMM", "36010301"];
const TORTURE: &[&str] = &["02011111", "TJ.ACT.ILLT", "TJ.ACT.HAZING"];
const THREATS: &[&str] = &["02010301", "02010302", "020103"];
const DEATHS: &[&str] = &["01010601", "01019001", "01019006", "0101900302"];

/// A relative of the victim.
#[derive(Clone, Copy, Debug)]
struct Relation {
    /// Russian nominative, Russian accusative, Tajik, English.
    ru: &'static str,
    ru_acc: &'static str,
    tg: &'static str,
    en: &'static str,
    female: bool,
    /// Years older than the victim (negative: younger), range.
    age_gap: (i32, i32),
}

const RELATIONS: &[Relation] = &[
    Relation {
        ru: "мать", ru_acc: "мать", tg: "модар", en: "mother", female: true, age_gap: (20, 30)
    },
    Relation {
        ru: "отец", ru_acc: "отца", tg: "падар", en: "father", female: false, age_gap: (22, 35)
    },
    Relation {
        ru: "брат", ru_acc: "брата", tg: "бародар", en: "brother", female: false, age_gap: (-6, 6)
    },
    Relation {
        ru: "сестра", ru_acc: "сестру", tg: "хоҳар", en: "sister", female: true, age_gap: (-6, 6)
    },
];
const WIFE: Relation =
    Relation {
        ru: "жена", ru_acc: "жену", tg: "ҳамсар", en: "wife", female: true, age_gap: (-8, 0)
    };
const HUSBAND: Relation =
    Relation {
        ru: "муж", ru_acc: "мужа", tg: "ҳамсар", en: "husband", female: false, age_gap: (0, 8)
    };

const STREETS: &[T3] = &[
    ["Навбахор", "Навбаҳор", "Navbahor"],
    ["Гулистон", "Гулистон", "Guliston"],
    ["Дусти", "Дӯстӣ", "Dusti"],
    ["Истиклол", "Истиқлол", "Istiqlol"],
    ["Бахористон", "Баҳористон", "Bahoriston"],
    ["Ватан", "Ватан", "Vatan"],
    ["Чинор", "Чинор", "Chinor"],
    ["Садбарг", "Садбарг", "Sadbarg"],
    ["Ободи", "Ободӣ", "Obodi"],
];

/// Where an event happened: a registered facility, or a plausible unregistered one.
#[derive(Clone, Debug)]
struct Site {
    facility: Option<usize>,
    facility_type: &'static str,
    authority: &'static str,
    place: usize,
    forms: Forms,
}

impl Site {
    fn place(&self) -> &'static Place {
        &PLACES[self.place.min(PLACES.len() - 1)]
    }
}

/// A facility of one of `types`, preferably in `place`, else in `region`; the case moves to the
/// facility's region when only another region has one.
fn site(
    rng: &mut R,
    facilities: &[Facility],
    types: &[(&'static str, u32)],
    region: &str,
    place: usize,
) -> Site {
    let t = rng.weighted(types);
    let of_type: Vec<usize> = (0..facilities.len()).filter(|&i| facilities[i].facility_type == t).collect();
    let same_place: Vec<usize> = of_type.iter().copied().filter(|&i| facilities[i].place == place).collect();
    let here: Vec<usize> = of_type.iter().copied().filter(|&i| facilities[i].region == region).collect();
    let chosen = [same_place, here, of_type].into_iter().find(|c| !c.is_empty()).map(|c| rng.pick(&c));
    match chosen {
        Some(i) => {
            let f = &facilities[i];
            Site {
                facility: Some(i),
                facility_type: f.facility_type,
                authority: f.authority,
                place: f.place,
                forms: Forms::of(f),
            }
        }
        None => {
            let place = if t == fac::BORDER && !PLACES[place].border {
                let border: Vec<usize> = (0..PLACES.len()).filter(|&i| PLACES[i].border).collect();
                rng.pick(&border)
            } else {
                place
            };
            let n = match t {
                fac::MILUNIT => rng.range(10_000, 99_999),
                fac::SIZO | fac::COLONY => rng.range(1, 9),
                _ => 0,
            };
            let authority = match t {
                fac::POLICE | fac::IVS | fac::ADMIN => "MoIA",
                fac::SIZO | fac::COLONY | fac::PRISON | fac::JUV => "MoJ-PEN",
                fac::SCNS | fac::BORDER => "SCNS",
                fac::DCA_OFFICE => "DCA",
                fac::MILUNIT | fac::GUARD => "MoD",
                fac::CHILD => "MoES",
                _ => "MoHSP",
            };
            Site {
                facility: None,
                facility_type: t,
                authority,
                place,
                forms: fac::forms(t, &PLACES[place], n, 1),
            }
        }
    }
}

/// The people of a case and their indices.
struct Cast {
    persons: Vec<Person>,
    victims: Vec<usize>,
    /// Victims' ages at the first event (None: unknown), parallel to `victims`.
    ages: Vec<Option<u32>>,
    /// Birth years by person index (victims and relatives).
    birth_years: Vec<Option<i32>>,
    group: Option<usize>,
    officer: Option<usize>,
    relative: Option<(usize, Relation)>,
    lawyer: Option<usize>,
}

/// Invented identity data for `name` living in `place`.
fn identity(
    rng: &mut R,
    name: &FullName,
    lang: Lang,
    place: &Place,
    birth_year: Option<i32>,
    doc: T3,
) -> Identity {
    let (name_text, other_names) = name.spellings(lang);
    let phone = format!("+992 00 {:03} {:02} {:02}", rng.range(0, 999), rng.range(0, 99), rng.range(0, 99));
    let street = rng.pick(STREETS)[lang.index()];
    let house = rng.range(1, 140);
    let locality = place.locality(lang);
    let address = match lang {
        Lang::Ru if rng.chance(40) => {
            format!("{locality}, ул. {street}, д. {house}, кв. {}", rng.range(1, 80))
        }
        Lang::Ru => format!("{locality}, ул. {street}, д. {house}"),
        Lang::Tg => format!("{locality}, кӯчаи {street}, хонаи {house}"),
        Lang::En => format!("{house} {street} Street, {locality}"),
    };
    let id_document = format!("{} {:06}", doc[lang.index()], rng.range(0, 999_999));
    let date_of_birth = birth_year.filter(|_| rng.chance(60)).and_then(|y| {
        let jan1 = Date::from_calendar_date(y, Month::January, 1).ok()?;
        let dec31 = Date::from_calendar_date(y, Month::December, 31).ok()?;
        Some(rng.day_between(jan1, dec31))
    });
    Identity { name: name_text, other_names, phone, address, id_document, date_of_birth }
}

const PASSPORT: T3 = ["паспорт № A00", "шиноснома № A00", "passport No. A00"];
const MILITARY_ID: T3 = ["военный билет № АБ 00", "билети ҳарбӣ № АБ 00", "military ID No. AB 00"];
const BAR_ID: T3 = ["удостоверение адвоката № 00", "шаҳодатномаи адвокат № 00", "bar ID No. 00"];

fn sex_code(female: bool) -> &'static str {
    if female { "02" } else { "01" }
}

/// Everything the case-level texts need about the first event.
struct Lead {
    female: bool,
    first_year: i32,
}

#[expect(clippy::too_many_arguments, reason = "one call site; the arguments are the case's main choices")]
fn cast(
    rng: &mut R,
    lang: Lang,
    scenario: Scenario,
    first_site: &Site,
    home: &Place,
    lead: &Lead,
    age: u32,
    death: bool,
) -> Cast {
    let mut persons: Vec<Person> = Vec::with_capacity(4);
    let mut birth_years: Vec<Option<i32>> = Vec::with_capacity(4);
    let fac_slots = |forms: &Forms| Slots {
        fac: match lang {
            Lang::Ru => forms.ru.clone(),
            Lang::Tg => forms.tg.clone(),
            Lang::En => forms.en.clone(),
        },
        ..Slots::default()
    };
    let slots = fac_slots(&first_site.forms);
    let doc = if scenario == Scenario::Army { MILITARY_ID } else { PASSPORT };

    // The victim.
    let female = lead.female;
    let victim_name = FullName::random(rng, female, None, 30);
    let birth_year = rng.chance(88).then(|| lead.first_year - age as i32);
    let sex = if rng.chance(3) { "99" } else { sex_code(female) };
    persons.push(Person {
        counting_unit: "01",
        sex: Some(sex),
        birth_year,
        description: None,
        group_size: None,
        identity: Some(identity(rng, &victim_name, lang, home, birth_year, doc)),
    });
    birth_years.push(birth_year);
    let mut victims = vec![0];
    let mut ages = vec![birth_year.map(|_| age).or_else(|| rng.chance(50).then_some(age))];

    // A second victim: a brother or a co-accused.
    if !death && scenario != Scenario::Institution && rng.chance(8) {
        let family = rng.chance(50).then(|| victim_name.surname());
        let name = FullName::random(rng, false, family, 30);
        let age2 = (age as i32 + rng.range(0, 10) as i32 - 5).clamp(16, 70) as u32;
        let age2 = if scenario == Scenario::Army { age.clamp(18, 21) } else { age2 };
        let by = rng.chance(85).then(|| lead.first_year - age2 as i32);
        persons.push(Person {
            counting_unit: "01",
            sex: Some("01"),
            birth_year: by,
            description: None,
            group_size: None,
            identity: Some(identity(rng, &name, lang, home, by, doc)),
        });
        birth_years.push(by);
        victims.push(persons.len() - 1);
        ages.push(by.map(|_| age2));
    }

    // The unidentified group.
    let group = rng.chance(96).then(|| {
        persons.push(Person {
            counting_unit: "03",
            sex: None,
            birth_year: None,
            description: Some(text::render(scenario.group_description()[lang.index()], female, Some(&slots))),
            group_size: rng.chance(60).then(|| rng.range(2, 5)),
            identity: None,
        });
        birth_years.push(None);
        persons.len() - 1
    });

    // A named officer.
    let officer = (persons.len() < 4 && rng.chance(14)).then(|| {
        let officer_female = rng.chance(10);
        let name = FullName::random(rng, officer_female, None, 50);
        let (name_text, other_names) = name.spellings(lang);
        persons.push(Person {
            counting_unit: "01",
            sex: Some(sex_code(officer_female)),
            birth_year: None,
            description: Some(text::render(
                scenario.officer_description()[lang.index()],
                female,
                Some(&slots),
            )),
            group_size: None,
            identity: Some(Identity {
                name: name_text,
                other_names,
                phone: String::new(),
                address: String::new(),
                id_document: String::new(),
                date_of_birth: None,
            }),
        });
        birth_years.push(None);
        persons.len() - 1
    });

    // A relative (always when the victim died: someone has to tell).
    let relative = (persons.len() < 4 && (death || rng.chance(17))).then(|| {
        let relation = if rng.chance(20) { if female { HUSBAND } else { WIFE } } else { rng.pick(RELATIONS) };
        let name = FullName::random(rng, relation.female, Some(victim_name.surname()), 20);
        let gap = relation.age_gap.0 + rng.range(0, (relation.age_gap.1 - relation.age_gap.0) as u32) as i32;
        let by = birth_year.map(|y| (y - gap).min(lead.first_year - 16));
        let description = [
            format!("{} [пострадавшего|пострадавшей]", relation.ru),
            format!("{}и ҷабрдида", relation.tg),
            format!("the victim's {}", relation.en),
        ];
        persons.push(Person {
            counting_unit: "01",
            sex: Some(sex_code(relation.female)),
            birth_year: by,
            description: Some(text::render(&description[lang.index()], female, None)),
            group_size: None,
            identity: Some(identity(rng, &name, lang, home, by, PASSPORT)),
        });
        birth_years.push(by);
        (persons.len() - 1, relation)
    });

    // A coalition lawyer.
    let lawyer = (persons.len() < 4 && rng.chance(15)).then(|| {
        let lawyer_female = rng.chance(40);
        let name = FullName::random(rng, lawyer_female, None, 50);
        let office = &PLACES[geo::place_in(rng, home.region, |p| p.kind == geo::Kind::City)];
        let by = Some(rng.range(1960, 1995) as i32);
        let mut id = identity(rng, &name, lang, office, by, BAR_ID);
        id.date_of_birth = None;
        persons.push(Person {
            counting_unit: "01",
            sex: Some(sex_code(lawyer_female)),
            birth_year: by,
            description: Some(
                ["Адвокат коалиции", "Адвокати эътилоф", "Coalition lawyer"][lang.index()].to_string(),
            ),
            group_size: None,
            identity: Some(id),
        });
        birth_years.push(by);
        persons.len() - 1
    });
    Cast { persons, victims, ages, birth_years, group, officer, relative, lawyer }
}

/// Age range of the victim for a scenario and its first facility.
fn age_range(scenario: Scenario, facility_type: &str) -> (u32, u32) {
    match (scenario, facility_type) {
        (Scenario::Army, _) => (18, 21),
        (_, fac::JUV) => (14, 17),
        (_, fac::CHILD) => (10, 17),
        (Scenario::Institution, _) => (18, 65),
        (Scenario::Drugs, _) => (18, 45),
        (Scenario::Scns, _) => (20, 60),
        _ => (17, 55),
    }
}

fn status_for(rng: &mut R, opened: Date) -> &'static str {
    let age_days = (max_date() - opened).whole_days();
    let pick = |w: [u32; 6]| -> [(&'static str, u32); 6] {
        [
            (CASE_STATUSES[0], w[0]),
            (CASE_STATUSES[1], w[1]),
            (CASE_STATUSES[2], w[2]),
            (CASE_STATUSES[3], w[3]),
            (CASE_STATUSES[4], w[4]),
            (CASE_STATUSES[5], w[5]),
        ]
    };
    if age_days < 60 {
        rng.weighted(&pick([40, 40, 20, 0, 0, 0]))
    } else if age_days < 365 {
        rng.weighted(&pick([5, 20, 45, 20, 5, 5]))
    } else {
        rng.weighted(&pick([0, 3, 30, 20, 7, 40]))
    }
}

fn later(rng: &mut R, date: Date, (lo, hi): (u32, u32)) -> Date {
    (date + Duration::days(i64::from(rng.range(lo, hi)))).min(max_date())
}

/// Methods of an act of type `t` in an event of `kind` whose narrated methods are `narrated`.
fn act_methods(
    rng: &mut R,
    t: &str,
    kind: Kind,
    scenario: Scenario,
    narrated: &[&'static str],
) -> Vec<&'static str> {
    match t {
        _ if VIOLENCE.contains(&t) => narrated.to_vec(),
        "36010201" if kind == Kind::Custody => narrated.to_vec(),
        "36010201" => vec![rng.pick(&["032101", "032102", "0318"])],
        "030101" | "030102" | "36010301" => match (scenario, kind) {
            (Scenario::Scns, _) => vec!["0206"],
            (_, Kind::ArmyRoundup) => vec!["0203"],
            _ if rng.chance(50) => vec!["0201"],
            _ => Vec::new(),
        },
        "030103" | "030104" | "TJ.ACT.INCOMM" if rng.chance(60) => vec!["0206"],
        "360102" => {
            let k = rng.range(1, 2) as usize;
            rng.sample(&["031905", "0307", "031501"], k)
        }
        "36010204" => vec![rng.pick(&["031503", "031504"])],
        "01019001" => vec!["0102"],
        "01010601" if rng.chance(50) => vec!["0102"],
        "01019006" => vec!["0320"],
        "0101900302" => vec!["031503"],
        "02010301" | "020103" => vec![rng.pick(&["0322", "032202", "TJ.0322.RAPE"])],
        "02010302" => vec![rng.pick(&["0323", "032302", "032301"])],
        _ => Vec::new(),
    }
}

fn location(rng: &mut R, kind: Kind, t: &str, site: &Site) -> Option<&'static str> {
    let detention = DETENTION.contains(&t);
    Some(match kind {
        Kind::PoliceArrest => "0305",
        Kind::ScnsAbduction if detention => rng.weighted(&[("070407", 40), ("0905", 30), ("010101", 30)]),
        Kind::DrugsStop if detention => rng.weighted(&[("0701", 40), ("070407", 40), ("030501", 20)]),
        Kind::ArmyRoundup if detention => rng.weighted(&[("0701", 70), ("030201", 30)]),
        Kind::Reprisal => rng.weighted(&[("010101", 50), ("0305", 50)]),
        Kind::Trial => "0307",
        _ => match site.facility_type {
            fac::POLICE | fac::IVS | fac::ADMIN | fac::DCA_OFFICE => "0305",
            fac::SIZO | fac::COLONY | fac::PRISON => "0306",
            fac::JUV => "040705",
            fac::SCNS => "0904",
            fac::MILUNIT | fac::GUARD => {
                if rng.chance(20) {
                    "030401"
                } else {
                    "0304"
                }
            }
            fac::BORDER => "0804",
            fac::CHILD => "040701",
            fac::PSYCH | fac::PNI | fac::NARCO => "040704",
            _ => return None,
        },
    })
}

/// Does the act take place at the event's facility?
fn at_facility(kind: Kind, t: &str) -> bool {
    let detention = DETENTION.contains(&t);
    match kind {
        Kind::ScnsAbduction | Kind::DrugsStop | Kind::ArmyRoundup => !detention,
        Kind::Reprisal | Kind::Trial => false,
        _ => true,
    }
}

fn victim_status(
    rng: &mut R,
    kind: Kind,
    t: &str,
    scenario: Scenario,
    on_relative: bool,
) -> Option<&'static str> {
    if DEATHS.contains(&t) {
        return Some("0101");
    }
    if on_relative {
        return None;
    }
    Some(match (kind, scenario) {
        (Kind::Reprisal, _) => rng.weighted(&[("020101", 40), ("99", 60)]),
        (Kind::Trial, _) => rng.weighted(&[("020203", 60), ("020202", 25), ("020101", 15)]),
        (Kind::ArmyRoundup, _) if DETENTION.contains(&t) => "0201",
        (_, Scenario::Army) => rng.weighted(&[("0102", 40), ("010201", 40), ("010203", 20)]),
        (_, Scenario::Prison) => rng.weighted(&[("020203", 70), ("010201", 30)]),
        (_, Scenario::Institution) => rng.weighted(&[("010201", 60), ("99", 40)]),
        (Kind::Custody, _) => rng.weighted(&[("020201", 60), ("020202", 20), ("010201", 20)]),
        _ if DETENTION.contains(&t) => "020201",
        _ => rng.weighted(&[("0102", 40), ("010201", 40), ("020201", 20)]),
    })
}

#[expect(clippy::too_many_arguments, reason = "the victim's traits all feed one list")]
fn characteristics(
    rng: &mut R,
    scenario: Scenario,
    site_type: &str,
    female: bool,
    age: Option<u32>,
    on_relative: bool,
    journalist: bool,
    religious: bool,
) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    if on_relative {
        out.push("050101");
    } else {
        match (scenario, site_type) {
            (Scenario::Prison, _) => out.push("0406"),
            (Scenario::Army, _) => out.push("TJ.CHAR.CONSCRIPT"),
            (_, fac::PSYCH) => out.push("040702"),
            (_, fac::PNI) => out.push("0205"),
            (_, fac::CHILD) => out.push("020207"),
            (Scenario::Police, _) if rng.chance(8) => out.push("0401"),
            _ => {}
        }
        if religious {
            out.push("0302");
        }
        if journalist {
            out.push("010309");
        }
        if age.is_some_and(|a| a < 18) && !out.contains(&"020207") {
            out.push("0202");
        }
    }
    if female {
        out.push("0201");
    }
    out
}

fn arrest(rng: &mut R, scenario: Scenario) -> Arrest {
    let lawyer_after_hours = rng.chance(60).then(|| rng.range(12, 336));
    let lawyer_kind = match lawyer_after_hours {
        Some(_) => Some(rng.weighted(&[("51", 60), ("53", 20), ("52", 15), ("54", 5)])),
        None => rng.chance(50).then_some("01"),
    };
    let whereabouts: &[(&str, u32)] = if scenario == Scenario::Scns {
        &[("0102", 45), ("02", 30), ("01010201", 25)]
    } else {
        &[("01010201", 35), ("01010202", 30), ("0101", 15), ("010102", 10), ("99", 10)]
    };
    Arrest {
        detained_hours_before_registration: rng.chance(80).then(|| rng.range(3, 72)),
        rights_explained: rng.weighted(&[(Tri::No, 55), (Tri::Unknown, 30), (Tri::Yes, 15)]),
        family_notified_after_hours: rng.chance(60).then(|| rng.range(6, 120)),
        lawyer_after_hours,
        lawyer_kind,
        medical_exam_on_admission: rng.weighted(&[(Tri::No, 60), (Tri::Unknown, 30), (Tri::Yes, 10)]),
        judge_after_hours: rng.chance(50).then(|| rng.range(48, 168)),
        incommunicado: rng.weighted(&[(Tri::Yes, 35), (Tri::No, 35), (Tri::Unknown, 30)]),
        whereabouts: Some(rng.weighted(whereabouts)),
    }
}

fn torture_detail(rng: &mut R, scenario: Scenario, has_trial: bool) -> TortureDetail {
    let statements: &[(&[&str], u32)] = match scenario {
        Scenario::Police | Scenario::Scns | Scenario::Drugs => &[(&["01"], 70), (&["03"], 15), (&["99"], 15)],
        Scenario::Prison => &[(&["02"], 60), (&["01"], 20), (&["99"], 20)],
        Scenario::Army | Scenario::Institution => &[(&["02"], 70), (&["99"], 30)],
    };
    let medical: &[(&[&str], u32)] = &[
        (&["0101", "0203"], 40),
        (&["0204"], 20),
        (&["0202", "0203"], 15),
        (&["0105", "0204"], 10),
        (&["99"], 15),
    ];
    let intent: &[(&[&str], u32)] = match scenario {
        Scenario::Police => &[(&["01"], 70), (&["01", "0201"], 20), (&["01", "07"], 10)],
        Scenario::Scns => &[(&["01", "05"], 60), (&["01"], 40)],
        Scenario::Drugs => &[(&["07", "01"], 70), (&["07"], 30)],
        Scenario::Prison => &[(&["03"], 60), (&["03", "0201"], 40)],
        Scenario::Army => &[(&["TJ.INT.HAZING"], 60), (&["TJ.INT.HAZING", "07"], 25), (&["03"], 15)],
        Scenario::Institution => &[(&["03"], 40), (&["0201"], 30), (&["99"], 30)],
    };
    let interrogation = matches!(scenario, Scenario::Police | Scenario::Scns | Scenario::Drugs);
    let (used, retracted) = if has_trial {
        (Tri::Yes, rng.weighted(&[(Tri::Yes, 80), (Tri::No, 10), (Tri::Unknown, 10)]))
    } else if interrogation {
        (rng.weighted(&[(Tri::Unknown, 60), (Tri::No, 40)]), Tri::Unknown)
    } else {
        (Tri::No, Tri::No)
    };
    TortureDetail {
        statements_signed: rng.weighted(statements).to_vec(),
        medical_attention: rng.weighted(medical).to_vec(),
        intent: rng.weighted(intent).to_vec(),
        confession_used_in_court: used,
        retracted_in_court: retracted,
    }
}

/// Renders one of `alts` (triples) with `slots`.
fn say(rng: &mut R, alts: &[T3], lang: Lang, female: bool, slots: &Slots) -> String {
    text::render(text::pick(rng, alts, lang), female, Some(slots))
}

fn consequences(rng: &mut R, list: &[T3], lang: Lang, lo: u32, hi: u32) -> String {
    let k = rng.range(lo, hi) as usize;
    let picked = rng.sample(list, k);
    let items: Vec<&str> = picked.iter().map(|t| t[lang.index()]).collect();
    text::sentence_list(&items)
}

/// Generates one case.
pub(crate) fn generate(rng: &mut R, facilities: &[Facility]) -> Case {
    let lang = rng.weighted(&[(Lang::Ru, 60), (Lang::Tg, 30), (Lang::En, 10)]);
    let li = lang.index();
    let scenario = rng.weighted(SCENARIOS);
    let region = rng.weighted(geo::REGION_WEIGHTS);
    let place = geo::place_in(rng, region, |_| true);

    let n_events = rng.weighted(&[(1usize, 15), (2, 30), (3, 55)]);
    let death = scenario.can_die() && n_events >= 2 && rng.chance(8);
    let chain = scenario.chain(rng, n_events, death);
    let has_trial = chain.contains(&Kind::Trial);

    // The first place, which fixes the case's region.
    let first_types = chain.first().and_then(|k| k.facility_types(scenario)).unwrap_or(&[(fac::POLICE, 1)]);
    let first_site = site(rng, facilities, first_types, region, place);
    let region = first_site.place().region;
    let home =
        if first_site.place().region == PLACES[place].region { &PLACES[place] } else { first_site.place() };

    // Dates: the first event, then each next one some days later.
    let first_day = rng.day_between(min_date(), max_date() - Duration::days(240));
    let mut days = vec![first_day];
    for kind in chain.iter().skip(1) {
        let prev = days.last().copied().unwrap_or(first_day);
        days.push(later(rng, prev, kind.delay()));
    }
    let opened_on = later(rng, first_day, (1, 120));
    let status = status_for(rng, opened_on);

    // The people.
    let female = scenario != Scenario::Army && rng.chance(12);
    let (lo, hi) = age_range(scenario, first_site.facility_type);
    let age = rng.range(lo, hi);
    let lead = Lead { female, first_year: first_day.year() };
    let cast = cast(rng, lang, scenario, &first_site, home, &lead, age, death);
    let journalist = rng.chance(3);
    let religious = scenario == Scenario::Scns && rng.chance(30);
    let perp = scenario.perp_forms().get(lang);
    let sus = rng.pick(scenario.suspicions())[li];
    let agency = first_site.authority;

    let mut events: Vec<Event> = Vec::with_capacity(chain.len());
    let mut sites: Vec<Site> = Vec::with_capacity(chain.len());
    let mut first_methods: Vec<&'static str> = Vec::new();
    for (e, kind) in chain.iter().copied().enumerate() {
        let day = days.get(e).copied().unwrap_or(first_day);
        let this_site = if e == 0 {
            first_site.clone()
        } else {
            match kind.facility_types(scenario) {
                Some(_) if kind == Kind::ArmyHazing => {
                    sites.last().cloned().unwrap_or_else(|| first_site.clone())
                }
                Some(types) => site(rng, facilities, types, region, first_site.place),
                None => sites.last().cloned().unwrap_or_else(|| first_site.clone()),
            }
        };

        // Narrated methods.
        let pool = kind.methods_pool();
        let narrated: Vec<&'static str> = if pool.is_empty() {
            Vec::new()
        } else {
            let k = rng.weighted(&[(1usize, 30), (2, 45), (3, 25)]);
            let mut methods = rng.sample(pool, k);
            // These narratives speak of a beating: at least one method leaves marks.
            let beating = matches!(
                kind,
                Kind::PoliceArrest
                    | Kind::ScnsAbduction
                    | Kind::DrugsStop
                    | Kind::PrisonAbuse
                    | Kind::ArmyHazing
            );
            if beating && !methods.iter().any(|m| text::injures(m)) {
                let injuring: Vec<&'static str> = pool.iter().copied().filter(|m| text::injures(m)).collect();
                let m = rng.pick(&injuring);
                if !methods.contains(&m) {
                    methods.insert(0, m);
                    methods.truncate(3);
                }
            }
            methods
        };
        if e == 0 {
            first_methods.clone_from(&narrated);
        }
        let clauses: Vec<String> = narrated
            .iter()
            .map(|m| text::render(text::method_clause(m, scenario.setting())[li], female, None))
            .collect();

        // The marks the narrated methods leave: the injury sentence and the physical consequences
        // come from them.
        let mut marks: Vec<usize> = Vec::new();
        for m in narrated.iter().flat_map(|m| text::marks(m)) {
            if !marks.contains(m) {
                marks.push(*m);
            }
        }
        let visible: Vec<usize> = marks.iter().copied().filter(|&i| i < text::INJURIES.len()).collect();
        let (dur, dur_days) = rng.pick(text::DURATIONS);
        let n_days = rng.pick(&[5u32, 7, 10, 15]);
        let start = text::partial(rng, day);
        let end_day = match kind {
            Kind::PoliceArrest | Kind::ScnsAbduction => Some(later(rng, day, (dur_days, dur_days))),
            Kind::Custody => Some(later(rng, day, (7, 90))),
            Kind::PrisonAbuse | Kind::ArmyGuardhouse => Some(later(rng, day, (n_days, n_days))),
            Kind::InstNeglect => Some(later(rng, day, (3, 10))),
            _ => None,
        };
        let end = end_day
            .filter(|_| rng.chance(60))
            .map(|d| if rng.chance(80) { text::exact(d) } else { text::partial(rng, d) });

        let forms = &this_site.forms;
        let relative = cast.relative;
        let slots = Slots {
            date: text::date_phrase(&start, lang),
            place: this_site.place().in_(lang),
            fac: [&forms.ru, &forms.tg, &forms.en][li].clone(),
            fac_in: [&forms.ru_in, &forms.tg, &forms.en][li].clone(),
            fac_to: [&forms.ru_to, &forms.tg, &forms.en][li].clone(),
            perp: perp.0,
            perp_ins: perp.1,
            sus,
            dur: dur[li],
            methods: text::and_list(&clauses, lang),
            inj: if visible.is_empty() { "" } else { text::INJURIES[rng.pick(&visible)][li] },
            n: n_days.to_string(),
            cause: rng.pick(text::DEATH_CAUSES)[li],
            years: rng.range(3, 12).to_string(),
            rel: relative.map_or("", |(_, r)| [r.ru, r.tg, r.en][li]),
            rel_acc: relative.map_or("", |(_, r)| [r.ru_acc, r.tg, r.en][li]),
            ..Slots::default()
        };
        let description = text::narrative(rng, kind.sentences(relative.is_some()), lang, female, &slots);
        let title = say(rng, kind.titles(), lang, female, &slots);

        // The acts.
        let (primary, secondary, secondary_first) = kind.act_types();
        let two = rng.chance(67);
        let mut plan: Vec<(usize, &'static str)> = Vec::with_capacity(2);
        let v0 = cast.victims[0];
        if kind == Kind::Reprisal {
            let first_target = relative.map_or(v0, |(i, _)| i);
            plan.push((first_target, rng.weighted(primary)));
            if two {
                let t = rng.weighted(secondary);
                plan.push((if relative.is_some() { v0 } else { first_target }, t));
            }
        } else if cast.victims.len() > 1 && kind != Kind::Death {
            let t = rng.weighted(primary);
            plan.push((v0, t));
            if two {
                plan.push((cast.victims[1], t));
            }
        } else if two {
            let p = rng.weighted(primary);
            let s = rng.weighted(secondary);
            if secondary_first {
                plan.extend([(v0, s), (v0, p)]);
            } else {
                plan.extend([(v0, p), (v0, s)]);
            }
        } else {
            plan.push((v0, rng.weighted(primary)));
        }

        let mut acts: Vec<Act> = Vec::with_capacity(plan.len());
        for (victim, t) in plan {
            let on_relative = relative.is_some_and(|(i, _)| i == victim);
            let vpos = cast.victims.iter().position(|&v| v == victim);
            let elapsed = (day.year() - first_day.year()).max(0) as u32;
            let victim_age = match vpos {
                Some(p) => cast.ages.get(p).copied().flatten().map(|a| a + elapsed),
                None => {
                    cast.birth_years.get(victim).copied().flatten().map(|y| (day.year() - y).max(0) as u32)
                }
            };
            let victim_female =
                if on_relative { relative.is_some_and(|(_, r)| r.female) } else { female && victim == v0 };
            let violent = VIOLENCE.contains(&t) || t == "36010201";
            let reason = kind.stated_reason(rng);
            let stated =
                if rng.chance(85) { say(rng, &[reason], lang, female, &slots) } else { String::new() };
            let physical = if violent && !marks.is_empty() && rng.chance(85) {
                let k = rng.range(1, 3) as usize;
                let items: Vec<&str> =
                    rng.sample(&marks, k).into_iter().map(|i| text::PHYSICAL[i][li]).collect();
                text::sentence_list(&items)
            } else {
                String::new()
            };
            let psychological = if (violent || THREATS.contains(&t)) && rng.chance(70) {
                consequences(rng, text::PSYCHOLOGICAL, lang, 1, 2)
            } else {
                String::new()
            };
            let mut involvements: Vec<Involvement> = Vec::with_capacity(2);
            if kind != Kind::Trial {
                if let Some(g) = cast.group {
                    let degree = if scenario == Scenario::Army || kind == Kind::Reprisal {
                        "0101"
                    } else {
                        rng.weighted(&[("0101", 85), ("0104", 15)])
                    };
                    involvements.push(Involvement {
                        perpetrator: g,
                        degree,
                        perpetrator_type: scenario.group_type(kind),
                        agency,
                        identified: false,
                    });
                }
                if let Some(o) = cast.officer
                    && (involvements.is_empty() || rng.chance(60))
                {
                    let degree = if kind == Kind::Reprisal { "0101" } else { scenario.officer_degree(rng) };
                    involvements.push(Involvement {
                        perpetrator: o,
                        degree,
                        perpetrator_type: scenario.officer_type(),
                        agency,
                        identified: true,
                    });
                }
            }
            acts.push(Act {
                victim,
                act_type: t,
                methods: act_methods(rng, t, kind, scenario, &narrated),
                location_type: location(rng, kind, t, &this_site),
                facility: if at_facility(kind, t) { this_site.facility } else { None },
                start: Some(start),
                end,
                stated_reason: stated,
                physical_consequences: physical,
                psychological_consequences: psychological,
                age: victim_age.and_then(|a| u8::try_from(a).ok()),
                victim_status: victim_status(rng, kind, t, scenario, on_relative),
                characteristics: characteristics(
                    rng,
                    scenario,
                    this_site.facility_type,
                    victim_female,
                    victim_age,
                    on_relative,
                    journalist && !on_relative,
                    religious && !on_relative,
                ),
                arrest: DETENTION.contains(&t).then(|| arrest(rng, scenario)),
                torture: TORTURE.contains(&t).then(|| torture_detail(rng, scenario, has_trial)),
                involvements,
            });
        }

        // Sources.
        let n_info = if e == 0 { 1 + usize::from(rng.chance(25)) } else { usize::from(rng.chance(60)) };
        let mut informations: Vec<Information> = Vec::with_capacity(n_info);
        for _ in 0..n_info {
            let mut who: Vec<(u8, u32)> = Vec::with_capacity(3);
            if !death {
                who.push((0, 50));
            }
            if cast.relative.is_some() {
                who.push((1, 30));
            }
            if cast.lawyer.is_some() {
                who.push((2, 20));
            }
            if who.is_empty() {
                continue;
            }
            let (source, connection, material, remarks) = match rng.weighted(&who) {
                1 => {
                    let mut m = vec![rng.pick(&["091420051801", "120520200501"])];
                    if kind == Kind::Death && rng.chance(50) {
                        m.push("012120151601");
                    } else if rng.chance(30) {
                        m.push("160815201501");
                    }
                    (cast.relative.map_or(v0, |(i, _)| i), "020101", m, text::REMARKS_RELATIVE)
                }
                2 => {
                    let m = vec![rng.pick(&["031521182001", "190907140501", "160825190901"])];
                    (cast.lawyer.unwrap_or(v0), "0401", m, text::REMARKS_LAWYER)
                }
                _ => {
                    let mut m = vec!["220903200901"];
                    if rng.chance(40) {
                        m.push(rng.pick(&["160815201501", "160825190901", "091420051801"]));
                    }
                    (v0, "0101", m, text::REMARKS_VICTIM)
                }
            };
            let d = later(rng, day, (0, 30));
            informations.push(Information {
                source,
                connection,
                date: Some(if rng.chance(80) { text::exact(d) } else { text::partial(rng, d) }),
                material,
                reliability: rng
                    .chance(95)
                    .then(|| rng.weighted(&[("01", 30), ("02", 45), ("03", 20), ("99", 5)])),
                remarks: say(rng, remarks, lang, female, &slots),
            });
        }

        // Interventions.
        let mut interventions: Vec<Intervention> = Vec::new();
        let wants = status != "intake-screening" && rng.chance(if e == 0 { 65 } else { 40 });
        let party = if cast.lawyer.is_some() && rng.chance(70) {
            cast.lawyer
        } else {
            cast.relative.map(|(i, _)| i).or(cast.lawyer).or((!death).then_some(v0))
        };
        if let (true, Some(party)) = (wants, party) {
            let by_lawyer = Some(party) == cast.lawyer;
            let p = this_site.place();
            let prosecutor = || -> String {
                if scenario == Scenario::Army {
                    MILITARY_PROSECUTOR[li].to_string()
                } else {
                    p.prosecutor(lang)
                }
            };
            let options: &[(u8, u32)] = if by_lawyer {
                &[(0, 35), (1, 25), (2, 10), (3, 10), (4, 8), (5, 7), (6, 5)]
            } else {
                &[(0, 60), (3, 30), (7, 10)]
            };
            let (types, requested, responses): (Vec<&'static str>, String, &[(&'static str, u32)]) =
                match rng.weighted(options) {
                    0 => (vec!["0201"], prosecutor(), RESPONSES_AUTHORITY),
                    1 => (vec!["0102"], p.court(lang), RESPONSES_COURT),
                    2 => (
                        vec!["0102", "0202"],
                        geo::regional_prosecutor(region, lang).to_string(),
                        RESPONSES_AUTHORITY,
                    ),
                    3 => (vec!["TJ.INT.OMB"], OMBUDSMAN[li].to_string(), RESPONSES_OMBUDSMAN),
                    4 => (vec!["TJ.INT.UN"], rng.pick(UN_BODIES)[li].to_string(), RESPONSES_UN),
                    5 => (vec!["TJ.INT.PSY"], REHAB[li].to_string(), RESPONSES_CARE),
                    6 => (vec!["0103"], FORENSIC[li].to_string(), RESPONSES_CARE),
                    _ => (vec!["0106"], COALITION[li].to_string(), RESPONSES_CARE),
                };
            let d = later(rng, day.max(opened_on), (0, 60));
            let status_pool: &[(&str, u32)] = if status == "closed" {
                &[("07", 60), ("04", 40)]
            } else {
                &[("01", 20), ("02", 35), ("03", 10), ("05", 30), ("06", 5)]
            };
            interventions.push(Intervention {
                party,
                victim: rng.chance(70).then_some(v0),
                types,
                date: Some(if rng.chance(85) { text::exact(d) } else { text::partial(rng, d) }),
                parties_requested: requested,
                response: rng.chance(80).then(|| rng.weighted(responses)),
                status: Some(rng.weighted(status_pool)),
            });
        }

        let violation_status = Some(if status == "intake-screening" {
            rng.weighted(&[("03", 60), ("99", 40)])
        } else {
            rng.weighted(&[("0101", 25), ("04", 35), ("03", 20), ("01", 8), ("99", 12)])
        });
        // A reprisal is against whom its narrative names: the relatives pressed, or the victim.
        let reprisal_targets = match kind {
            Kind::Reprisal if relative.is_some() => vec!["RELATIVE"],
            Kind::Reprisal => vec!["VICTIM"],
            _ => Vec::new(),
        };
        events.push(Event {
            title,
            description,
            region: this_site.place().region,
            start: Some(start),
            end,
            violation_status,
            reprisal_targets,
            acts,
            informations,
            interventions,
        });
        sites.push(this_site);
    }

    // Case-level texts.
    let year = first_day.year().to_string();
    let death_site = if death { sites.last().unwrap_or(&first_site) } else { &first_site };
    let title_site = death_site;
    let tf = &title_site.forms;
    let age_text = match lang {
        Lang::Ru => text::ru_years(age),
        _ => age.to_string(),
    };
    let clauses: Vec<String> = first_methods
        .iter()
        .map(|m| text::render(text::method_clause(m, scenario.setting())[li], female, None))
        .collect();
    let slots = Slots {
        place: title_site.place().in_(lang),
        fac: [&tf.ru, &tf.tg, &tf.en][li].clone(),
        fac_in: [&tf.ru_in, &tf.tg, &tf.en][li].clone(),
        fac_to: [&tf.ru_to, &tf.tg, &tf.en][li].clone(),
        topic: rng.pick(scenario.topics())[li],
        age: age_text,
        year,
        methods: text::and_list(&clauses, lang),
        ..Slots::default()
    };
    let title = if death {
        let alts: &[T3] = if scenario == Scenario::Army { DEATH_TITLES_ARMY } else { DEATH_TITLES };
        say(rng, alts, lang, female, &slots)
    } else {
        say(rng, scenario.titles(), lang, female, &slots)
    };
    let mut summary: Vec<String> = Vec::with_capacity(3);
    let opening = if death {
        text::SUMMARY_DEATH
    } else if cast.ages.first().copied().flatten().is_some() {
        text::SUMMARY_AGE
    } else {
        text::SUMMARY
    };
    summary.push(text::render(opening[li], female, Some(&slots)));
    if !death && !clauses.is_empty() && rng.chance(60) {
        summary.push(text::render(text::SUMMARY_METHODS[li], female, Some(&slots)));
    }
    summary.push(say(rng, text::status_sentences(status), lang, female, &slots));

    let hotline = if scenario == Scenario::Army && rng.chance(70) {
        Some("ARMY")
    } else {
        match region {
            "SUG" | "KHT" | "DUS" | "DRS" if rng.chance(75) => {
                ["SUG", "KHT", "DUS", "DRS"].into_iter().find(|h| *h == region)
            }
            "GBAO" if rng.chance(30) => Some("DUS"),
            _ => None,
        }
    };

    Case {
        lang,
        title,
        summary: summary.join(" "),
        region,
        hotline,
        status,
        opened_on,
        persons: cast.persons,
        events,
        legal: Vec::new(),
        rehab: Vec::new(),
        evaluations: Vec::new(),
    }
}

const DEATH_TITLES: &[T3] =
    &[["Смерть {fac_in}, {year}", "Марг дар {fac}, {year}", "Death at {fac}, {year}"]];
const DEATH_TITLES_ARMY: &[T3] = &[[
    "Гибель военнослужащего {fac_in}, {year}",
    "Марги сарбоз дар {fac}, {year}",
    "Death of a conscript at {fac}, {year}",
]];

const OMBUDSMAN: T3 = [
    "Уполномоченный по правам человека в Республике Таджикистан",
    "Ваколатдор оид ба ҳуқуқи инсон дар Ҷумҳурии Тоҷикистон",
    "Human Rights Commissioner (Ombudsman) of Tajikistan",
];
const MILITARY_PROSECUTOR: T3 = [
    "Военная прокуратура Республики Таджикистан",
    "Прокуратураи ҳарбии Ҷумҳурии Тоҷикистон",
    "Military Prosecutor's Office of Tajikistan",
];
const UN_BODIES: &[T3] = &[
    ["Комитет ООН против пыток", "Кумитаи СММ бар зидди шиканҷа", "UN Committee against Torture"],
    [
        "Специальный докладчик ООН по вопросу о пытках",
        "Маърӯзачии махсуси СММ оид ба шиканҷа",
        "UN Special Rapporteur on torture",
    ],
];
const REHAB: T3 =
    ["Реабилитационный центр коалиции", "Маркази тавонбахшии эътилоф", "Coalition rehabilitation centre"];
const FORENSIC: T3 = [
    "Независимый судебно-медицинский эксперт",
    "Коршиноси мустақили тиббӣ-судӣ",
    "Independent forensic doctor",
];
const COALITION: T3 = ["Коалиция против пыток", "Эътилоф бар зидди шиканҷа", "Coalition against Torture"];

const RESPONSES_AUTHORITY: &[(&str, u32)] =
    &[("06", 25), ("05", 20), ("0301", 25), ("04", 15), ("0204", 10), ("0302", 5)];
const RESPONSES_COURT: &[(&str, u32)] = &[("05", 40), ("06", 30), ("0301", 30)];
const RESPONSES_OMBUDSMAN: &[(&str, u32)] = &[("04", 40), ("05", 30), ("06", 20), ("0102", 10)];
const RESPONSES_UN: &[(&str, u32)] = &[("04", 50), ("06", 50)];
const RESPONSES_CARE: &[(&str, u32)] = &[("010103", 80), ("0101", 20)];
