//! Narrative fragments in Russian, Tajik and English, as `[ru, tg, en]` triples, and the little
//! template language that assembles them.
//!
//! A template holds slots `{name}` (`{^name}` capitalises the first letter of the value) and
//! gender alternatives `[masculine|feminine]` for the victim (Russian and English; Tajik has no
//! grammatical gender). Slot values may contain gender alternatives too.
//!
//! Vocabulary that search tests can rely on: Russian texts use "пытки/пытках", "избиение/избили",
//! "задержан", "ИВС"; Tajik texts use "шиканҷа", "латукӯб", "боздошт", "ҳуқуқи".

use time::Date;

use crate::model::{Lang, PDate};
use crate::rng::R;

/// One text in the three languages: `[ru, tg, en]`.
pub(crate) type T3 = [&'static str; 3];

/// A sentence of a narrative: included `percent` percent of the time, one of `alts`.
pub(crate) struct Sentence {
    pub(crate) percent: u32,
    pub(crate) alts: &'static [T3],
}

const fn s(percent: u32, alts: &'static [T3]) -> Sentence {
    Sentence { percent, alts }
}

/// The values of the slots, in the case language.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slots {
    pub(crate) date: String,
    pub(crate) place: String,
    pub(crate) fac: String,
    pub(crate) fac_in: String,
    pub(crate) fac_to: String,
    pub(crate) perp: &'static str,
    pub(crate) perp_ins: &'static str,
    pub(crate) sus: &'static str,
    pub(crate) dur: &'static str,
    pub(crate) methods: String,
    pub(crate) inj: &'static str,
    pub(crate) n: String,
    pub(crate) cause: &'static str,
    pub(crate) years: String,
    pub(crate) rel: &'static str,
    pub(crate) rel_acc: &'static str,
    pub(crate) topic: &'static str,
    pub(crate) age: String,
    pub(crate) year: String,
}

/// Marks an unknown slot name in the output (tests look for it).
pub(crate) const UNKNOWN_SLOT: &str = "\u{FFFD}";

impl Slots {
    fn get(&self, key: &str) -> &str {
        match key {
            "date" => &self.date,
            "place" => &self.place,
            "fac" => &self.fac,
            "fac_in" => &self.fac_in,
            "fac_to" => &self.fac_to,
            "perp" => self.perp,
            "perp_ins" => self.perp_ins,
            "sus" => self.sus,
            "dur" => self.dur,
            "methods" => &self.methods,
            "inj" => self.inj,
            "n" => &self.n,
            "cause" => self.cause,
            "years" => &self.years,
            "rel" => self.rel,
            "rel_acc" => self.rel_acc,
            "topic" => self.topic,
            "age" => &self.age,
            "year" => &self.year,
            _ => UNKNOWN_SLOT,
        }
    }
}

/// Fills `template`: slots from `slots` (when given), gender alternatives by `female`.
pub(crate) fn render(template: &str, female: bool, slots: Option<&Slots>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    render_into(&mut out, template, female, slots);
    out
}

fn render_into(out: &mut String, template: &str, female: bool, slots: Option<&Slots>) {
    let mut rest = template;
    while let Some(i) = rest.find(['{', '[']) {
        out.push_str(&rest[..i]);
        let close = if rest[i..].starts_with('{') { '}' } else { ']' };
        let body_and_rest = &rest[i + 1..];
        let Some(j) = body_and_rest.find(close) else {
            out.push_str(&rest[i..]);
            return;
        };
        let body = &body_and_rest[..j];
        rest = &body_and_rest[j + 1..];
        if close == ']' {
            let (m, f) = body.split_once('|').unwrap_or((body, body));
            out.push_str(if female { f } else { m });
            continue;
        }
        let (capitalise, key) = match body.strip_prefix('^') {
            Some(k) => (true, k),
            None => (false, body),
        };
        let value = slots.map_or(UNKNOWN_SLOT, |s| s.get(key));
        let start = out.len();
        render_into(out, value, female, None);
        if capitalise {
            let tail = out.split_off(start);
            let mut chars = tail.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out.push_str(rest);
}

/// Picks one alternative of `alts` in `lang`.
pub(crate) fn pick(rng: &mut R, alts: &[T3], lang: Lang) -> &'static str {
    rng.pick(alts)[lang.index()]
}

/// Renders the sentences of a narrative, each included with its probability, joined by spaces.
pub(crate) fn narrative(
    rng: &mut R,
    sentences: &[Sentence],
    lang: Lang,
    female: bool,
    slots: &Slots,
) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        if rng.chance(sentence.percent) {
            let template = pick(rng, sentence.alts, lang);
            if !needs_empty_slot(template, slots) {
                parts.push(render(template, female, Some(slots)));
            }
        }
    }
    parts.join(" ")
}

/// Does `template` use a slot that is empty in `slots`? (Such a sentence is left out: no injury
/// sentence without an injury.)
fn needs_empty_slot(template: &str, slots: &Slots) -> bool {
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else { return false };
        let key = after[..j].trim_start_matches('^');
        if slots.get(key).is_empty() {
            return true;
        }
        rest = &after[j + 1..];
    }
    false
}

/// Joins clauses as a list: "a, b и c" / "a, b ва c" / "a, b and c".
pub(crate) fn and_list(items: &[String], lang: Lang) -> String {
    let and = [" и ", " ва ", " and "][lang.index()];
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

/// A capitalised "; "-joined list ending with a full stop: "Гематомы спины; перелом ребра."
pub(crate) fn sentence_list(items: &[&str]) -> String {
    let joined = items.join("; ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

const MONTH_RU_GEN: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTH_RU_PREP: [&str; 12] = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
];
const MONTH_TG: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "май",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];
const MONTH_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A partial date as an adverbial phrase: "12 марта 2023 года" / "в марте 2023 года" /
/// "в 2023 году"; "12 марти соли 2023" / "дар моҳи марти соли 2023" / "соли 2023";
/// "on 12 March 2023" / "in March 2023" / "in 2023". Estimated days get "приблизительно" /
/// "тахминан" / "around".
pub(crate) fn date_phrase(d: &PDate, lang: Lang) -> String {
    let y = d.year;
    let m = d.month.map(|m| usize::from(m.clamp(1, 12)) - 1);
    match (lang, m, d.day) {
        (Lang::Ru, None, _) => format!("в {y} году"),
        (Lang::Ru, Some(m), None) => format!("в {} {y} года", MONTH_RU_PREP[m]),
        (Lang::Ru, Some(m), Some(day)) => {
            let about = if d.estimated { "приблизительно " } else { "" };
            format!("{about}{day} {} {y} года", MONTH_RU_GEN[m])
        }
        (Lang::Tg, None, _) => format!("соли {y}"),
        (Lang::Tg, Some(m), None) => format!("дар моҳи {}и соли {y}", MONTH_TG[m]),
        (Lang::Tg, Some(m), Some(day)) => {
            let about = if d.estimated { "тахминан " } else { "" };
            format!("{about}{day} {}и соли {y}", MONTH_TG[m])
        }
        (Lang::En, None, _) => format!("in {y}"),
        (Lang::En, Some(m), None) => format!("in {} {y}", MONTH_EN[m]),
        (Lang::En, Some(m), Some(day)) => {
            let on = if d.estimated { "around" } else { "on" };
            format!("{on} {day} {} {y}", MONTH_EN[m])
        }
    }
}

/// A day as a partial date, with the precision drawn: mostly exact, sometimes day or month
/// unknown, sometimes estimated.
pub(crate) fn partial(rng: &mut R, date: Date) -> PDate {
    let month = Some(u8::from(date.month()));
    let day = Some(date.day());
    match rng.weighted(&[(0u8, 65), (1, 17), (2, 6), (3, 12)]) {
        0 => PDate { year: date.year(), month, day, estimated: false },
        1 => PDate { year: date.year(), month, day: None, estimated: false },
        2 => PDate { year: date.year(), month: None, day: None, estimated: false },
        _ => PDate { year: date.year(), month, day, estimated: true },
    }
}

/// An exact partial date.
pub(crate) fn exact(date: Date) -> PDate {
    PDate { year: date.year(), month: Some(u8::from(date.month())), day: Some(date.day()), estimated: false }
}

/// Russian "N лет/года/год" for an age.
pub(crate) fn ru_years(n: u32) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "лет",
        (1, _) => "год",
        (2..=4, _) => "года",
        _ => "лет",
    };
    format!("{n} {word}")
}

// ---------------------------------------------------------------------------------------------
// Slot values.

/// How long someone was held: (text, days).
pub(crate) const DURATIONS: &[(T3, u32)] = &[
    (["несколько часов", "якчанд соат", "several hours"], 0),
    (["около суток", "қариб як шабонарӯз", "about 24 hours"], 1),
    (["двое суток", "ду шабонарӯз", "two days"], 2),
    (["трое суток", "се шабонарӯз", "three days"], 3),
    (["пять дней", "панҷ рӯз", "five days"], 5),
    (["более недели", "зиёда аз як ҳафта", "more than a week"], 8),
];

/// Ordinary criminal suspicions (Russian prepositional after "в").
pub(crate) const SUSPICIONS_COMMON: &[T3] = &[
    ["краже", "дуздӣ", "theft"],
    ["грабеже", "ғоратгарӣ", "robbery"],
    ["мошенничестве", "қаллобӣ", "fraud"],
    ["убийстве", "одамкушӣ", "murder"],
    ["хулиганстве", "авбошӣ", "hooliganism"],
    ["разбое", "роҳзанӣ", "armed robbery"],
    ["незаконном обороте наркотиков", "муомилоти ғайриқонунии маводи мухаддир", "drug trafficking"],
];

/// Security-service accusations.
pub(crate) const SUSPICIONS_SCNS: &[T3] = &[
    [
        "участии в запрещённой организации",
        "узвият дар ташкилоти манъшуда",
        "membership of a banned organisation",
    ],
    [
        "распространении экстремистских материалов",
        "паҳн кардани маводи ифротгароёна",
        "distributing extremist material",
    ],
    ["связях с оппозицией за рубежом", "робита бо мухолифин дар хориҷа", "links with the opposition abroad"],
];

/// Drug accusations.
pub(crate) const SUSPICIONS_DRUGS: &[T3] = &[
    ["незаконном обороте наркотиков", "муомилоти ғайриқонунии маводи мухаддир", "drug trafficking"],
    ["хранении наркотических средств", "нигоҳ доштани маводи мухаддир", "possession of drugs"],
];

/// Official causes of death.
pub(crate) const DEATH_CAUSES: &[T3] = &[
    ["самоубийство", "худкушӣ", "suicide"],
    ["острая сердечная недостаточность", "норасоии шадиди дил", "acute heart failure"],
    ["падение с лестницы", "афтодан аз зинапоя", "a fall down the stairs"],
];

/// Injuries as the predicate of "у него …" / a full Tajik clause / an English clause (parallel to
/// the first entries of [`PHYSICAL`]).
pub(crate) const INJURIES: &[T3] = &[
    [
        "остались гематомы на спине и ногах",
        "дар пушт ва пойҳояш доғҳои кабуд монданд",
        "[he|she] was left with bruises on [his|her] back and legs",
    ],
    ["были сломаны два ребра", "ду қабурғааш шикаст", "two of [his|her] ribs were broken"],
    [
        "снизился слух на левое ухо",
        "шунавоии гӯши чапаш паст шуд",
        "the hearing in [his|her] left ear deteriorated",
    ],
    [
        "остались следы ожогов на руках",
        "дар дастонаш осори сӯхтан монд",
        "[he|she] was left with burn marks on [his|her] arms",
    ],
    [
        "диагностировано сотрясение головного мозга",
        "ӯ ба ларзиши мағзи сар гирифтор шуд",
        "[he|she] suffered a concussion",
    ],
    ["распухли стопы", "кафи пойҳояш варам карданд", "the soles of [his|her] feet were badly swollen"],
    [
        "остались следы от наручников на запястьях",
        "дар бандҳои дасташ осори дастбанд монд",
        "[he|she] was left with handcuff marks on [his|her] wrists",
    ],
];

/// Physical consequences (noun phrases for the act record).
pub(crate) const PHYSICAL: &[T3] = &[
    ["гематомы спины и бёдер", "доғҳои кабуд дар пушт ва ронҳо", "bruising of the back and thighs"],
    ["перелом двух рёбер", "шикастани ду қабурға", "two fractured ribs"],
    ["снижение слуха на левое ухо", "паст шудани шунавоии гӯши чап", "hearing loss in the left ear"],
    ["ожоги на предплечьях", "сӯхтагиҳо дар бозуҳо", "burns on the forearms"],
    ["сотрясение головного мозга", "ларзиши мағзи сар", "concussion"],
    ["отёк стоп", "варами кафи пойҳо", "swelling of the soles of the feet"],
    [
        "ссадины на запястьях от наручников",
        "харошидагиҳо дар бандҳои даст аз дастбанд",
        "handcuff abrasions on the wrists",
    ],
    ["выбитые зубы", "афтодани дандонҳо", "knocked-out teeth"],
    [
        "боли в пояснице, кровь в моче",
        "дарди камар ва хун дар пешоб",
        "lower back pain and blood in the urine",
    ],
];

/// Psychological consequences.
pub(crate) const PSYCHOLOGICAL: &[T3] = &[
    ["бессонница и ночные кошмары", "бехобӣ ва хобҳои даҳшатнок", "insomnia and nightmares"],
    [
        "постоянная тревога, страх выходить из дома",
        "изтироби доимӣ ва тарс аз баромадан аз хона",
        "constant anxiety, fear of leaving home",
    ],
    ["подавленное настроение, замкнутость", "рӯҳафтодагӣ ва гӯшанишинӣ", "low mood and withdrawal"],
    [
        "приступы паники при виде людей в форме",
        "ҳамлаҳои воҳима ҳангоми дидани одамони либоси расмӣ",
        "panic attacks at the sight of uniforms",
    ],
    ["трудности с концентрацией внимания", "душвории тамаркуз", "difficulty concentrating"],
];

/// Where a method was used: the wording differs in the army and in care institutions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    Custody,
    Army,
    Institution,
}

/// A method of violence (MT05 code) as a clause about the victim.
pub(crate) fn method_clause(code: &str, setting: Setting) -> T3 {
    match (code, setting) {
        ("030101", Setting::Institution) => [
            "[его|её] били по лицу и телу",
            "ба рӯю баданаш мезаданд",
            "[he|she] was hit in the face and body",
        ],
        ("030101", _) => [
            "[его|её] били руками и ногами по голове и телу",
            "ӯро бо мушту лагад ба сару бадан заданд",
            "[he|she] was punched and kicked in the head and body",
        ],
        ("030102", Setting::Army) => [
            "[его|её] избивали солдатским ремнём с пряжкой",
            "ӯро бо тасмаи сарбозӣ заданд",
            "[he|she] was beaten with a soldier's buckled belt",
        ],
        ("030102", _) => [
            "[его|её] избивали резиновой дубинкой",
            "ӯро бо калтаки резинӣ латукӯб карданд",
            "[he|she] was beaten with a rubber baton",
        ],
        ("030103", _) => [
            "[ему|ей] наносили удары ладонями по ушам («телефон»)",
            "бо кафи даст ба ҳарду гӯшаш заданд",
            "[he|she] was slapped on both ears (\"telephone\")",
        ],
        ("030104", _) => [
            "[его|её] били дубинкой по стопам",
            "бо калтак ба кафи пойҳояш заданд",
            "the soles of [his|her] feet were beaten with a baton",
        ],
        ("TJ.0301.OBJECT", _) => [
            "[его|её] били по голове бутылкой с водой, чтобы не оставалось следов",
            "бо шишаи пур аз об ба сараш заданд, то осор намонад",
            "[he|she] was hit on the head with a water bottle so as to leave no marks",
        ],
        ("0308", _) => [
            "[его|её] пытали электрическим током",
            "ӯро бо ҷараёни барқ шиканҷа карданд",
            "[he|she] was tortured with electric shocks",
        ],
        ("TJ.0308.WIRES", _) => [
            "к пальцам [его|её] рук подсоединяли провода и пропускали ток",
            "ба ангуштони дастонаш сим васл карда, ҷараёни барқ гузарониданд",
            "wires were attached to [his|her] fingers and current was applied",
        ],
        ("030902", _) => [
            "[ему|ей] надевали на голову полиэтиленовый пакет",
            "ба сараш халтаи селофанӣ кашиданд",
            "a plastic bag was pulled over [his|her] head",
        ],
        ("TJ.0309.MASK", _) => [
            "[ему|ей] надевали противогаз и перекрывали доступ воздуха",
            "ба сараш противогаз пӯшонида, роҳи нафасашро бастанд",
            "a gas mask was put on [him|her] and the air supply was cut off",
        ],
        ("031101", _) => [
            "[его|её] подвешивали за скованные руки",
            "ӯро аз дастони дастбандзадааш овезон карданд",
            "[he|she] was suspended by [his|her] handcuffed wrists",
        ],
        ("031103", _) => [
            "[его|её] часами заставляли стоять у стены",
            "ӯро маҷбур карданд, ки соатҳо дар назди девор рост истад",
            "[he|she] was made to stand against a wall for hours",
        ],
        ("031105", _) => [
            "[его|её] заставляли подолгу стоять на коленях",
            "ӯро маҷбур карданд, ки муддати дароз зону зада истад",
            "[he|she] was made to kneel for long periods",
        ],
        ("031502", _) => {
            ["[ему|ей] не давали спать", "намегузоштанд, ки хоб кунад", "[he|she] was kept awake"]
        }
        ("031501", Setting::Institution) => {
            ["[его|её] оставляли без еды", "ӯро бе хӯрок мемонданд", "[he|she] was left without food"]
        }
        ("031501", _) => [
            "[ему|ей] не давали воды и еды",
            "ба ӯ об ва хӯрок намедоданд",
            "[he|she] was denied food and water",
        ],
        ("031701", Setting::Institution) => {
            ["[его|её] привязывали к кровати", "ӯро ба кат баста мемонданд", "[he|she] was tied to the bed"]
        }
        ("031701", _) => [
            "[ему|ей] связывали руки за спиной",
            "дастонашро аз пушт бастанд",
            "[his|her] hands were tied behind [his|her] back",
        ],
        ("031904", _) => ["[ему|ей] завязывали глаза", "чашмонашро бастанд", "[he|she] was blindfolded"],
        ("030402", _) => [
            "[ему|ей] тушили сигареты о руки",
            "дар дастонаш сигор хомӯш карданд",
            "cigarettes were stubbed out on [his|her] arms",
        ],
        ("032102", _) => [
            "[его|её] заставляли раздеваться догола",
            "ӯро маҷбур карданд, ки либосашро пурра кашад",
            "[he|she] was forced to strip naked",
        ],
        ("032103", _) => [
            "[его|её] заставляли выполнять унизительные поручения",
            "ӯро маҷбур карданд, ки корҳои таҳқиромез иҷро кунад",
            "[he|she] was forced to perform degrading tasks",
        ],
        ("032201", _) => [
            "[ему|ей] угрожали расправой, если [он|она] пожалуется",
            "таҳдид карданд, ки агар шикоят кунад, ӯро ҷазо медиҳанд",
            "[he|she] was threatened with reprisals if [he|she] complained",
        ],
        ("032202", _) => [
            "[ему|ей] угрожали расправой над родственниками",
            "таҳдид карданд, ки ба наздиконаш зарар мерасонанд",
            "[his|her] relatives were threatened",
        ],
        ("TJ.0322.RAPE", _) => [
            "[ему|ей] угрожали сексуальным насилием над близкими",
            "таҳдид карданд, ки ба занони оилааш таҷовуз мекунанд",
            "[he|she] was threatened that women of [his|her] family would be raped",
        ],
        ("032301", _) => [
            "[ему|ей] угрожали убийством",
            "таҳдид карданд, ки ӯро мекушанд",
            "[he|she] was threatened with death",
        ],
        ("0303", _) => {
            ["[ему|ей] сломали ребро", "қабурғаашро шикастанд", "one of [his|her] ribs was broken"]
        }
        ("0318", Setting::Institution) => [
            "[его|её] запирали в изоляторе",
            "ӯро дар ҳуҷраи ҷудогона қуфл мекарданд",
            "[he|she] was locked in a seclusion room",
        ],
        ("0318", _) => [
            "[его|её] держали в одиночной камере",
            "ӯро дар камераи яккаса нигоҳ доштанд",
            "[he|she] was held in solitary confinement",
        ],
        ("0307", _) => [
            "[его|её] держали в холодном помещении без тёплой одежды",
            "ӯро бе либоси гарм дар ҳуҷраи хунук нигоҳ доштанд",
            "[he|she] was kept in a cold room without warm clothes",
        ],
        ("031503", _) => [
            "[ему|ей] отказывали в медицинской помощи",
            "аз расонидани ёрии тиббӣ ба ӯ даст кашиданд",
            "[he|she] was refused medical care",
        ],
        ("0325", _) => [
            "[ему|ей] насильно вводили успокоительные препараты",
            "ба ӯ маҷбуран доруҳои оромкунанда сӯзандору мекарданд",
            "[he|she] was forcibly injected with sedatives",
        ],
        _ => [
            "[его|её] оскорбляли и унижали",
            "ӯро дашном дода, таҳқир карданд",
            "[he|she] was insulted and humiliated",
        ],
    }
}

/// Methods used under interrogation (police, security service, drug agency).
pub(crate) const METHODS_INTERROGATION: &[&str] = &[
    "030101",
    "030102",
    "030103",
    "030104",
    "TJ.0301.OBJECT",
    "0308",
    "TJ.0308.WIRES",
    "030902",
    "TJ.0309.MASK",
    "031101",
    "031103",
    "031502",
    "031701",
    "031904",
    "030402",
    "032101",
    "032202",
    "TJ.0322.RAPE",
    "032301",
    "0303",
];
/// The marks a method leaves, as indices into [`PHYSICAL`] (the first seven also index
/// [`INJURIES`], in the same order). Methods without marks get no injury sentence and no physical
/// consequences.
pub(crate) fn marks(method: &str) -> &'static [usize] {
    match method {
        "030101" => &[0, 4, 7, 8, 1],
        "030102" => &[0, 8, 1],
        "030103" => &[2],
        "030104" | "031103" => &[5],
        "TJ.0301.OBJECT" => &[4, 8],
        "0308" | "TJ.0308.WIRES" | "030402" => &[3],
        "031101" | "031701" => &[6],
        "0303" => &[1],
        _ => &[],
    }
}

/// Does the method leave marks?
pub(crate) fn injures(method: &str) -> bool {
    !marks(method).is_empty()
}

/// Methods in pre-trial custody.
pub(crate) const METHODS_CUSTODY: &[&str] = &[
    "030101", "030102", "031502", "031501", "0318", "0307", "032101", "032202", "031503", "031103", "031105",
];
/// Methods in prisons and colonies.
pub(crate) const METHODS_PRISON: &[&str] =
    &["030101", "030102", "0318", "0307", "031501", "031503", "032101", "032102", "031105", "TJ.0301.OBJECT"];
/// Methods in the army (hazing, guardhouse).
pub(crate) const METHODS_ARMY: &[&str] =
    &["030101", "030102", "031105", "032101", "032103", "031502", "0303", "032201"];
/// Methods during a conscription round-up.
pub(crate) const METHODS_ROUNDUP: &[&str] = &["030101", "032101", "031701"];
/// Methods in psychiatric and social-care institutions.
pub(crate) const METHODS_INSTITUTION: &[&str] = &["031701", "0318", "030101", "0325", "031501", "032101"];

// ---------------------------------------------------------------------------------------------
// Who did it, per scenario: (Russian nominative, Russian instrumental, Tajik, English).

/// The perpetrators as a plural noun phrase in each form.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PerpForms {
    pub(crate) ru: &'static str,
    pub(crate) ru_ins: &'static str,
    pub(crate) tg: &'static str,
    pub(crate) en: &'static str,
}

impl PerpForms {
    /// (nominative, instrumental) in `lang` (both the same outside Russian).
    pub(crate) fn get(&self, lang: Lang) -> (&'static str, &'static str) {
        match lang {
            Lang::Ru => (self.ru, self.ru_ins),
            Lang::Tg => (self.tg, self.tg),
            Lang::En => (self.en, self.en),
        }
    }
}

pub(crate) const PERP_POLICE: PerpForms = PerpForms {
    ru: "сотрудники милиции",
    ru_ins: "сотрудниками милиции",
    tg: "кормандони милитсия",
    en: "police officers",
};
pub(crate) const PERP_SCNS: PerpForms = PerpForms {
    ru: "сотрудники ГКНБ",
    ru_ins: "сотрудниками ГКНБ",
    tg: "кормандони КДАМ",
    en: "SCNS officers",
};
pub(crate) const PERP_DRUGS: PerpForms = PerpForms {
    ru: "сотрудники АКН",
    ru_ins: "сотрудниками АКН",
    tg: "кормандони АНМН",
    en: "Drug Control Agency officers",
};
pub(crate) const PERP_PRISON: PerpForms = PerpForms {
    ru: "сотрудники учреждения",
    ru_ins: "сотрудниками учреждения",
    tg: "кормандони муассиса",
    en: "prison staff",
};
pub(crate) const PERP_ARMY: PerpForms = PerpForms {
    ru: "офицеры части",
    ru_ins: "офицерами части",
    tg: "афсарони қисм",
    en: "the unit's officers",
};
pub(crate) const PERP_INSTITUTION: PerpForms = PerpForms {
    ru: "сотрудники учреждения",
    ru_ins: "сотрудниками учреждения",
    tg: "кормандони муассиса",
    en: "staff",
};

// ---------------------------------------------------------------------------------------------
// Event narratives.

const RIGHTS: Sentence = s(
    90,
    &[
        [
            "Адвоката к [нему|ней] не допускали, родственникам о задержании не сообщили.",
            "Ба ӯ ҳуқуқи ҳимоя аз ҷониби адвокат дода нашуд ва ба наздиконаш дар бораи боздошт хабар надоданд.",
            "[He|She] was denied access to a lawyer, and [his|her] family was not informed of the arrest.",
        ],
        [
            "Права [ему|ей] не разъяснили, в звонке родственникам отказали.",
            "Ҳуқуқҳои ӯро шарҳ надоданд ва ба ӯ иҷозат надоданд, ки ба хешовандонаш занг занад.",
            "[His|Her] rights were not explained and [he|she] was not allowed to call [his|her] relatives.",
        ],
        [
            "Назначенный государством адвокат появился только на следующий день и на жалобы [заявителя|заявительницы] не отреагировал.",
            "Адвокати давлатӣ танҳо рӯзи дигар омад ва ба шикоятҳои ӯ аҳамият надод, гарчанде ки ҳуқуқи ҳимоя бояд аз лаҳзаи боздошт таъмин шавад.",
            "A state-appointed lawyer appeared only the next day and ignored [his|her] complaints.",
        ],
    ],
);

const INJURY: Sentence = s(
    70,
    &[
        [
            "В результате избиения у [него|неё] {inj}.",
            "Дар натиҷаи латукӯб {inj}.",
            "As a result of the beating, {inj}.",
        ],
        [
            "После избиения у [него|неё] {inj}, что подтвердил врач.",
            "Пас аз латукӯб {inj}, ки инро духтур тасдиқ кард.",
            "After the beating {inj}, as a doctor confirmed.",
        ],
    ],
);

/// Arrest by the police and torture at the police station.
pub(crate) const POLICE_ARREST: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} [заявитель был задержан|заявительница была задержана] {perp_ins} {place} по подозрению в {sus}.",
                "{^date} аризадиҳанда аз ҷониби {perp} {place} бо гумони {sus} боздошт шуд.",
                "{^date}, the applicant was detained by {perp} {place} on suspicion of {sus}.",
            ],
            [
                "{^date} {perp} задержали [заявителя|заявительницу] у дома {place} по подозрению в {sus}.",
                "{^date} {perp} аризадиҳандаро {place} дар назди хонааш бо гумони {sus} боздошт карданд.",
                "{^date}, {perp} detained the applicant near [his|her] home {place} on suspicion of {sus}.",
            ],
            [
                "{^date} [заявителя|заявительницу] вызвали {fac_to} «для беседы» и там задержали по подозрению в {sus}.",
                "{^date} аризадиҳандаро «барои суҳбат» ба {fac} даъват карданд ва дар он ҷо бо гумони {sus} боздошт карданд.",
                "{^date}, the applicant was summoned to {fac} \"for a conversation\" and detained there on suspicion of {sus}.",
            ],
        ],
    ),
    s(
        100,
        &[
            [
                "[Его|Её] продержали {fac_in} {dur} без оформления протокола задержания.",
                "Ӯро дар {fac} {dur} бе тартиб додани протоколи боздошт нигоҳ доштанд.",
                "[He|She] was held at {fac} for {dur} without an arrest record being drawn up.",
            ],
            [
                "Протокол задержания составили лишь спустя {dur}; всё это время [он находился|она находилась] {fac_in}.",
                "Протоколи боздошт танҳо баъд аз {dur} тартиб дода шуд; дар ин муддат ӯ дар {fac} буд.",
                "The arrest record was drawn up only after {dur}; all that time [he|she] was held at {fac}.",
            ],
        ],
    ),
    s(
        100,
        &[
            [
                "По словам [заявителя|заявительницы], во время допроса {methods}, добиваясь признания в {sus}.",
                "Ба гуфтаи аризадиҳанда, ҳангоми бозпурсӣ {methods}, то ӯ гуноҳашро иқрор кунад.",
                "According to the applicant, during interrogation {methods} to force a confession.",
            ],
            [
                "[Его|Её] пытали, требуя подписать признательные показания: {methods}.",
                "Ӯро шиканҷа карданд, то ки иқрорномаро имзо кунад: {methods}.",
                "[He|She] was tortured to make [him|her] sign a confession: {methods}.",
            ],
            [
                "В кабинете оперативных работников {methods}; избиение продолжалось несколько часов.",
                "Дар утоқи кормандони ҷустуҷӯи ҷиноятӣ {methods}; латукӯб якчанд соат давом кард.",
                "In the detectives' office {methods}; the beating went on for several hours.",
            ],
        ],
    ),
    RIGHTS,
    INJURY,
];

/// Pre-trial custody after the arrest.
pub(crate) const CUSTODY: &[Sentence] = &[
    s(
        100,
        &[
            [
                "После задержания [заявителя|заявительницу] перевели {fac_to}.",
                "Пас аз боздошт аризадиҳандаро ба {fac} интиқол доданд.",
                "After the arrest the applicant was transferred to {fac}.",
            ],
            [
                "{^date} суд санкционировал арест, и [заявителя|заявительницу] поместили {fac_to}.",
                "{^date} суд ҳабсро иҷозат дод ва аризадиҳандаро дар {fac} ҷойгир карданд.",
                "{^date}, a court authorised pre-trial detention and the applicant was placed in {fac}.",
            ],
            [
                "{^date} [заявитель был переведён|заявительница была переведена] {fac_to}.",
                "{^date} аризадиҳанда ба {fac} интиқол дода шуд.",
                "{^date}, the applicant was transferred to {fac}.",
            ],
        ],
    ),
    s(
        100,
        &[
            ["Там {methods}.", "Дар он ҷо {methods}.", "There {methods}."],
            [
                "Там {perp} продолжали давление: {methods}.",
                "Дар он ҷо {perp} фишорро идома доданд: {methods}.",
                "There {perp} kept up the pressure: {methods}.",
            ],
        ],
    ),
    s(
        90,
        &[
            [
                "Встречи с адвокатом [ему|ей] не предоставляли более двух недель.",
                "Зиёда аз ду ҳафта ба ӯ бо адвокат вохӯрдан иҷозат надоданд, ҳарчанд ин ҳуқуқи қонунии ӯст.",
                "[He|She] was not allowed to see a lawyer for more than two weeks.",
            ],
            [
                "Жалобы на пытки администрация не принимала, врач [его|её] не осматривал.",
                "Маъмурият шикоятҳоро дар бораи шиканҷа қабул накард ва духтур ӯро муоина накард.",
                "The administration refused to register complaints of torture, and no doctor examined [him|her].",
            ],
            [
                "Родственникам не сообщали, где [он находится|она находится].",
                "Ба хешовандонаш нагуфтанд, ки ӯ дар куҷо нигоҳ дошта мешавад.",
                "[His|Her] relatives were not told where [he|she] was being held.",
            ],
        ],
    ),
    s(
        50,
        &[[
            "Следователь пригрозил, что при отказе от показаний задержат и [его|её] родственников.",
            "Муфаттиш таҳдид кард, ки агар аз нишондодҳо даст кашад, хешовандонаш низ боздошт мешаванд.",
            "The investigator threatened that [his|her] relatives would also be detained if [he|she] withdrew [his|her] statements.",
        ]],
    ),
];

/// Abduction and torture by the security service.
pub(crate) const SCNS_ABDUCTION: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} [заявителя|заявительницу] забрали из дома люди в гражданской одежде, представившиеся сотрудниками ГКНБ.",
                "{^date} аризадиҳандаро одамони либоси шаҳрвандӣ, ки худро кормандони КДАМ муаррифӣ карданд, аз хонааш бурданд.",
                "{^date}, men in plain clothes who said they were SCNS officers took the applicant from [his|her] home.",
            ],
            [
                "{^date} [заявителя|заявительницу] остановили на улице {place}, надели на голову мешок и увезли на машине без номеров.",
                "{^date} аризадиҳандаро {place} дар кӯча нигоҳ дошта, ба сараш халта кашиданд ва бо мошини бе рақам бурданд.",
                "{^date}, the applicant was stopped in the street {place}, a bag was pulled over [his|her] head and [he|she] was driven away in a car without number plates.",
            ],
            [
                "{^date} [заявитель был задержан|заявительница была задержана] {perp_ins} {place} по подозрению в {sus}.",
                "{^date} аризадиҳанда аз ҷониби {perp} {place} бо гумони {sus} боздошт шуд.",
                "{^date}, the applicant was detained by {perp} {place} on suspicion of {sus}.",
            ],
        ],
    ),
    s(
        100,
        &[
            [
                "Несколько дней родственники не знали, где [он находится|она находится]; в милиции факт задержания отрицали.",
                "Чанд рӯз хешовандонаш намедонистанд, ки ӯ дар куҷост; дар милитсия боздошти ӯро инкор карданд.",
                "For several days [his|her] relatives did not know where [he|she] was; the police denied the detention.",
            ],
            [
                "[Его|Её] {dur} держали {fac_in} без регистрации задержания.",
                "Ӯро {dur} бе қайди боздошт дар {fac} нигоҳ доштанд.",
                "[He|She] was held at {fac} for {dur} without the detention being registered.",
            ],
        ],
    ),
    s(
        100,
        &[[
            "На допросах {methods}, требуя признаться в {sus}.",
            "Ҳангоми бозпурсӣ {methods} ва талаб карданд, ки ба {sus} иқрор шавад.",
            "During interrogations {methods}, and [he|she] was told to confess to {sus}.",
        ]],
    ),
    s(
        70,
        &[[
            "Пытки прекратились только после того, как [он подписал|она подписала] заранее подготовленные показания.",
            "Шиканҷа танҳо пас аз он қатъ шуд, ки ӯ нишондодҳои пешакӣ тайёршударо имзо кард.",
            "The torture stopped only after [he|she] signed statements prepared in advance.",
        ]],
    ),
    INJURY,
];

/// Arrest by the drug agency, planted drugs and extortion.
pub(crate) const DRUGS_STOP: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} {perp} остановили {place} машину, в которой [ехал заявитель|ехала заявительница].",
                "{^date} {perp} {place} мошинеро, ки аризадиҳанда дар он мерафт, нигоҳ доштанд.",
                "{^date}, {perp} stopped the car in which the applicant was travelling {place}.",
            ],
            [
                "{^date} [заявитель был задержан|заявительница была задержана] на улице {place} {perp_ins}.",
                "{^date} кормандони Агентии назорати маводи мухаддир аризадиҳандаро {place} дар кӯча боздошт карданд.",
                "{^date}, {perp} detained the applicant in the street {place}.",
            ],
        ],
    ),
    s(
        90,
        &[[
            "При досмотре без понятых у [него|неё] «обнаружили» свёрток с наркотиком, который, по словам [заявителя|заявительницы], был подброшен.",
            "Ҳангоми кофтукови шахсӣ бе иштироки шоҳидон гӯё аз ӯ маводи мухаддир «ёфтанд», ки ба гуфтаи аризадиҳанда, онро худи кормандон пинҳонӣ гузошта буданд.",
            "During a search without witnesses a package of drugs was \"found\" on [him|her]; the applicant says it was planted.",
        ]],
    ),
    s(
        100,
        &[
            [
                "Затем [его|её] доставили {fac_to}, где {methods}, требуя деньги за прекращение дела.",
                "Баъд ӯро ба {fac} бурданд ва дар он ҷо {methods}; сипас барои қатъ кардани парванда пул талаб карданд.",
                "[He|She] was then taken to {fac}, where {methods}, and the officers demanded money to drop the case.",
            ],
            [
                "В служебном кабинете {methods}, после чего потребовали крупную сумму за «решение вопроса».",
                "Дар утоқи хизматӣ {methods} ва баъд барои «ҳал кардани масъала» маблағи калон талаб карданд.",
                "In an office {methods}; the officers then demanded a large sum to \"settle the matter\".",
            ],
        ],
    ),
    RIGHTS,
    INJURY,
];

/// Beating in a prison or colony.
pub(crate) const PRISON_ABUSE: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} [заявитель, содержащийся|заявительница, содержащаяся] {fac_in}, [был избит|была избита] {perp_ins} после жалобы на условия содержания.",
                "{^date} аризадиҳанда, ки дар {fac} нигоҳ дошта мешавад, пас аз шикоят дар бораи шароити нигаҳдорӣ аз ҷониби {perp} латукӯб шуд.",
                "{^date}, the applicant, who is held at {fac}, was beaten by {perp} after complaining about conditions.",
            ],
            [
                "{^date} {perp} {fac_in} избили [заявителя|заявительницу] за якобы допущенное нарушение режима.",
                "{^date} {perp} дар {fac} аризадиҳандаро барои гӯё вайрон кардани низом латукӯб карданд.",
                "{^date}, {perp} at {fac} beat the applicant for an alleged breach of the rules.",
            ],
            [
                "{^date} во время обыска в камере {fac_in} {perp} избили [заявителя|заявительницу].",
                "{^date}, ҳангоми кофтукови камера дар {fac}, {perp} аризадиҳандаро латукӯб карданд.",
                "{^date}, during a cell search at {fac}, {perp} beat the applicant.",
            ],
        ],
    ),
    s(
        100,
        &[
            ["Кроме того, {methods}.", "Ғайр аз ин, {methods}.", "In addition, {methods}."],
            [
                "По словам [заявителя|заявительницы], {methods}.",
                "Ба гуфтаи аризадиҳанда, {methods}.",
                "According to the applicant, {methods}.",
            ],
        ],
    ),
    s(
        70,
        &[[
            "После этого [его|её] на {n} суток поместили в штрафной изолятор (ШИЗО) без отопления и постельных принадлежностей.",
            "Пас аз он ӯро ба муддати {n} шабонарӯз ба изолятори ҷаримавӣ (ШИЗО) гузоштанд, ки дар он ҷо гармидиҳӣ ва ҷогаҳ набуд.",
            "[He|She] was then put in a punishment cell (ShIZO) for {n} days, with no heating and no bedding.",
        ]],
    ),
    s(
        60,
        &[[
            "Жалобы [заявителя|заявительницы] в прокуратуру администрация не отправила.",
            "Маъмурият шикоятҳои ӯро ба прокуратура нафиристод ва ҳуқуқи ӯро ба шикоят поймол кард.",
            "The administration did not forward [his|her] complaints to the prosecutor.",
        ]],
    ),
    INJURY,
];

/// Denial of medical care in prison.
pub(crate) const PRISON_NEGLECT: &[Sentence] = &[
    s(
        100,
        &[[
            "{^date} здоровье [заявителя|заявительницы] резко ухудшилось после избиения, однако в медицинской помощи [ему|ей] отказали.",
            "{^date} саломатии аризадиҳанда пас аз латукӯб якбора бад шуд, вале ба ӯ ёрии тиббӣ нарасониданд.",
            "{^date}, the applicant's health deteriorated sharply after the beating, but [he|she] was refused medical care.",
        ]],
    ),
    s(
        80,
        &[
            [
                "Родственники передали лекарства, но администрация их не пропустила.",
                "Хешовандон дору оварданд, аммо маъмурият онҳоро нагузаронд.",
                "Relatives brought medicines, but the administration did not let them through.",
            ],
            [
                "[Его|Её] осмотрел только фельдшер, посоветовавший «меньше жаловаться».",
                "Ӯро танҳо фелдшер муоина кард ва маслиҳат дод, ки «камтар шикоят кунад».",
                "[He|She] was seen only by a paramedic, who advised [him|her] to \"complain less\".",
            ],
        ],
    ),
    s(
        80,
        &[
            [
                "По словам [заявителя|заявительницы], [его|её] жалобы надзирающему прокурору так и не были отправлены.",
                "Ба гуфтаи аризадиҳанда, шикоятҳояш ба прокурори назоратӣ фиристода нашуданд.",
                "According to the applicant, [his|her] complaints to the supervising prosecutor were never sent.",
            ],
            [
                "Письменные обращения [заявителя|заявительницы] администрация не регистрировала.",
                "Маъмурият аризаҳои хаттии ӯро ба қайд намегирифт.",
                "The administration did not register [his|her] written complaints.",
            ],
        ],
    ),
];

/// A conscription round-up.
pub(crate) const ARMY_ROUNDUP: &[Sentence] = &[
    s(
        100,
        &[[
            "{^date} [заявителя|заявительницу] задержали на улице {place} во время призывной «облавы», доставили в военкомат, а затем {fac_to}.",
            "{^date} аризадиҳандаро {place} дар кӯча ҳангоми «облава»-и даъват боздошт карда, ба комиссариати ҳарбӣ ва сипас ба {fac} бурданд.",
            "{^date}, the applicant was seized in the street {place} during a conscription \"round-up\", taken to the enlistment office and then to {fac}.",
        ]],
    ),
    s(100, &[["При задержании {methods}.", "Ҳангоми боздошт {methods}.", "During the arrest {methods}."]]),
    s(
        80,
        &[[
            "Родственникам о задержании не сообщили, а права [ему|ей] не разъяснили.",
            "Ба хешовандонаш дар бораи боздошт хабар надоданд ва ҳуқуқҳои ӯро шарҳ надоданд.",
            "[His|Her] relatives were not informed, and [his|her] rights were not explained.",
        ]],
    ),
];

/// Hazing in a military unit.
pub(crate) const ARMY_HAZING: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} {fac_in} старослужащие избили [заявителя|заявительницу], [проходившего|проходившую] срочную службу, за отказ отдать им деньги.",
                "{^date} дар {fac} сарбозони даъвати пешина аризадиҳандаро, ки хизмати ҳатмии ҳарбиро адо мекард, барои он ки ба онҳо пул надод, латукӯб карданд.",
                "{^date}, senior conscripts at {fac} beat the applicant, who was doing compulsory military service, for refusing to hand over money.",
            ],
            [
                "В первые месяцы службы {fac_in} [заявитель|заявительница] регулярно [подвергался|подвергалась] избиениям со стороны старослужащих; самый тяжёлый случай произошёл {date}.",
                "Дар моҳҳои аввали хизмат дар {fac} аризадиҳанда мунтазам аз ҷониби сарбозони даъвати пешина латукӯб мешуд; ҳодисаи вазнинтарин {date} рух дод.",
                "In [his|her] first months of service at {fac} the applicant was regularly beaten by senior conscripts; the worst incident happened {date}.",
            ],
            [
                "{^date} ночью старослужащие подняли [заявителя|заявительницу] с кровати и избили в казарме.",
                "{^date} шабона сарбозони даъвати пешина аризадиҳандаро аз ҷогаҳ хезонда, дар казарма латукӯб карданд.",
                "{^date}, senior conscripts pulled the applicant out of bed at night and beat [him|her] in the barracks.",
            ],
        ],
    ),
    s(
        100,
        &[[
            "По словам [заявителя|заявительницы], {methods}.",
            "Ба гуфтаи аризадиҳанда, {methods}.",
            "According to the applicant, {methods}.",
        ]],
    ),
    s(
        90,
        &[
            [
                "Командир роты знал о происходящем, но мер не принял.",
                "Фармондеҳи рота аз ин воқеа огоҳ буд, вале ҳеҷ чора наандешид.",
                "The company commander knew what was happening but took no action.",
            ],
            [
                "Офицеры части скрыли случившееся и запретили [ему|ей] обращаться в санчасть.",
                "Афсарони қисм ҳодисаро пинҳон карданд ва ба ӯ иҷозат надоданд, ки ба қисми тиббӣ муроҷиат кунад.",
                "The unit's officers covered up the incident and did not let [him|her] go to the medical post.",
            ],
            [
                "Дежурный офицер видел избиение, но не вмешался.",
                "Афсари навбатдор латукӯбро дид, вале дахолат накард.",
                "The duty officer saw the beating but did not intervene.",
            ],
        ],
    ),
    s(
        50,
        &[[
            "Родители узнали о случившемся лишь через месяц, когда [он смог|она смогла] позвонить домой.",
            "Падару модараш танҳо баъд аз як моҳ, вақте ки ӯ тавонист ба хона занг занад, аз ҳодиса огоҳ шуданд.",
            "[His|Her] parents learned about it only a month later, when [he|she] managed to call home.",
        ]],
    ),
    INJURY,
];

/// Punishment on the garrison guardhouse.
pub(crate) const ARMY_GUARDHOUSE: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date}, после жалобы родителям, [заявителя|заявительницу] на {n} суток поместили {fac_to}.",
                "{^date}, пас аз он ки ба падару модараш шикоят кард, аризадиҳандаро ба муддати {n} шабонарӯз ба {fac} гузоштанд.",
                "{^date}, after complaining to [his|her] parents, the applicant was put in {fac} for {n} days.",
            ],
            [
                "{^date} [заявителя|заявительницу] доставили {fac_to} за «самовольное оставление части».",
                "{^date} аризадиҳандаро барои «тарки худсаронаи қисм» ба {fac} бурданд.",
                "{^date}, the applicant was taken to {fac} for \"leaving the unit without permission\".",
            ],
        ],
    ),
    s(100, &[["Там {methods}.", "Дар он ҷо {methods}.", "There {methods}."]]),
    s(
        80,
        &[[
            "Несмотря на травмы, медицинскую помощь [ему|ей] не оказывали.",
            "Сарфи назар аз ҷароҳатҳояш, ба ӯ ёрии тиббӣ нарасониданд.",
            "Despite [his|her] injuries, [he|she] received no medical care.",
        ]],
    ),
];

/// Violence by staff in a psychiatric or social-care institution.
pub(crate) const INSTITUTION_ABUSE: &[Sentence] = &[
    s(
        100,
        &[[
            "{^date} [заявитель, содержавшийся|заявительница, содержавшаяся] {fac_in}, [подвергся|подверглась] насилию со стороны персонала.",
            "{^date} аризадиҳанда, ки дар {fac} нигоҳ дошта мешуд, аз ҷониби кормандон ба зӯроварӣ дучор шуд.",
            "{^date}, the applicant, who was held at {fac}, was subjected to violence by staff.",
        ]],
    ),
    s(
        100,
        &[[
            "По словам [заявителя|заявительницы], {methods}.",
            "Ба гуфтаи аризадиҳанда, {methods}.",
            "According to the applicant, {methods}.",
        ]],
    ),
    s(
        90,
        &[
            [
                "Сотрудники избивали тех, кто жаловался, а медработник записывал травмы как «самоповреждения».",
                "Кормандон касонеро, ки шикоят мекарданд, латукӯб мекарданд ва корманди тиббӣ ҷароҳатҳоро ҳамчун «худозорӣ» қайд мекард.",
                "Staff beat those who complained, and the medical worker recorded injuries as \"self-harm\".",
            ],
            [
                "Жалобы родственников на избиения руководство учреждения оставляло без ответа.",
                "Роҳбарияти муассиса ба шикоятҳои хешовандон дар бораи латукӯб ҷавоб намедод.",
                "The management ignored the relatives' complaints about the beatings.",
            ],
        ],
    ),
];

/// Isolation and neglect in an institution.
pub(crate) const INSTITUTION_NEGLECT: &[Sentence] = &[
    s(
        100,
        &[[
            "{^date} [заявителя|заявительницу] на несколько суток поместили в изолированное помещение без дневного света.",
            "{^date} аризадиҳандаро барои якчанд шабонарӯз дар ҳуҷраи ҷудогона бе рӯшноии рӯз нигоҳ доштанд.",
            "{^date}, the applicant was put in an isolated room without daylight for several days.",
        ]],
    ),
    s(
        80,
        &[[
            "Кормили раз в день, прогулки и свидания были запрещены.",
            "Рӯзе як маротиба хӯрок медоданд, сайругашт ва мулоқот манъ буд.",
            "Food was given once a day; walks and visits were banned.",
        ]],
    ),
    s(
        80,
        &[[
            "Медработники не фиксировали травмы, полученные при избиении.",
            "Кормандони тиббӣ ҷароҳатҳоеро, ки дар натиҷаи латукӯб пайдо шуда буданд, қайд намекарданд.",
            "Medical staff did not record the injuries caused by the beatings.",
        ]],
    ),
];

/// Death in custody or in the army.
pub(crate) const DEATH: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} родственникам сообщили, что [пострадавший скончался|пострадавшая скончалась] {fac_in}.",
                "{^date} ба хешовандон хабар доданд, ки ҷабрдида дар {fac} фавтидааст.",
                "{^date}, relatives were told that the victim had died at {fac}.",
            ],
            [
                "{^date} [пострадавший умер|пострадавшая умерла] {fac_in}; накануне, по имеющимся сведениям, [его|её] снова избивали.",
                "{^date} ҷабрдида дар {fac} фавтид; як рӯз пеш, тибқи маълумоти дастрас, ӯро боз латукӯб карда буданд.",
                "{^date}, the victim died at {fac}; the day before, according to available information, [he|she] had been beaten again.",
            ],
        ],
    ),
    s(
        100,
        &[[
            "Официальная версия — {cause}, однако, по словам родственников, на теле были видны следы побоев.",
            "Тибқи версияи расмӣ, сабаби марг {cause} аст, аммо ба гуфтаи хешовандон, дар ҷасад осори латукӯб дида мешуд.",
            "The official cause of death is {cause}, but relatives say the body bore marks of beating.",
        ]],
    ),
    s(
        80,
        &[[
            "Провести независимую судебно-медицинскую экспертизу не позволили, тело выдали с требованием похоронить в тот же день.",
            "Ба гузаронидани экспертизаи мустақили тиббӣ-судӣ иҷозат надоданд ва ҷасадро бо талаби дар ҳамон рӯз дафн кардан супориданд.",
            "An independent forensic examination was not allowed, and the body was handed over on condition that it be buried the same day.",
        ]],
    ),
];

/// Pressure on the family after a complaint, when a relative is on file.
pub(crate) const REPRISAL_RELATIVE: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date}, после подачи жалобы о пытках, {perp} начали оказывать давление на семью [заявителя|заявительницы].",
                "{^date}, пас аз пешниҳоди шикоят дар бораи шиканҷа, {perp} ба оилаи аризадиҳанда фишор оварданд.",
                "{^date}, after a complaint of torture was filed, {perp} began putting pressure on the applicant's family.",
            ],
            [
                "{^date} {rel_acc} [заявителя|заявительницы] вызвали в милицию и потребовали отозвать жалобу о пытках.",
                "{^date} {rel}и аризадиҳандаро ба милитсия даъват карда, талаб карданд, ки шикоят дар бораи шиканҷаро бозпас гирад.",
                "{^date}, the applicant's {rel} was summoned to the police and told to withdraw the torture complaint.",
            ],
        ],
    ),
    s(
        100,
        &[
            [
                "Семье угрожали новым уголовным делом и «проблемами» для других родственников.",
                "Ба оила бо парвандаи нави ҷиноятӣ ва «мушкилот» барои дигар хешовандон таҳдид карданд.",
                "The family was threatened with a new criminal case and \"problems\" for other relatives.",
            ],
            [
                "Человек, представившийся следователем, заявил, что если жалобы не прекратятся, «будет хуже».",
                "Шахсе, ки худро муфаттиш муаррифӣ кард, гуфт, ки агар шикоятҳо қатъ нашаванд, «бадтар мешавад».",
                "A man who said he was an investigator warned that \"things will get worse\" if the complaints continued.",
            ],
        ],
    ),
    s(
        60,
        &[[
            "Семья опасается новых преследований и просит не раскрывать её данные.",
            "Оила аз таъқиботи нав метарсад ва хоҳиш мекунад, ки маълумоташ ошкор карда нашавад.",
            "The family fears further persecution and asks that its details not be disclosed.",
        ]],
    ),
];

/// Pressure on the applicant after a complaint.
pub(crate) const REPRISAL_SELF: &[Sentence] = &[
    s(
        100,
        &[
            [
                "{^date} [заявителя|заявительницу] вызвали в милицию и потребовали отозвать жалобу о пытках.",
                "{^date} аризадиҳандаро ба милитсия даъват карда, талаб карданд, ки шикояти худро дар бораи шиканҷа бозпас гирад.",
                "{^date}, the applicant was summoned to the police and told to withdraw the torture complaint.",
            ],
            [
                "{^date}, после подачи жалобы о пытках, {perp} стали угрожать [заявителю|заявительнице].",
                "{^date}, пас аз пешниҳоди шикоят дар бораи шиканҷа, {perp} ба аризадиҳанда таҳдид карданд.",
                "{^date}, after the torture complaint was filed, {perp} began threatening the applicant.",
            ],
        ],
    ),
    s(
        100,
        &[
            [
                "[Ему|Ей] угрожали новым уголовным делом и «проблемами» для семьи.",
                "Ба ӯ бо парвандаи нави ҷиноятӣ ва «мушкилот» барои оилааш таҳдид карданд.",
                "[He|She] was threatened with a new criminal case and \"problems\" for [his|her] family.",
            ],
            [
                "Человек, представившийся следователем, заявил, что если жалобы не прекратятся, «будет хуже».",
                "Шахсе, ки худро муфаттиш муаррифӣ кард, гуфт, ки агар шикоятҳо қатъ нашаванд, «бадтар мешавад».",
                "A man who said he was an investigator warned that \"things will get worse\" if the complaints continued.",
            ],
        ],
    ),
    s(
        60,
        &[[
            "[Заявитель опасается|Заявительница опасается] новых преследований.",
            "Аризадиҳанда аз таъқиботи нав метарсад.",
            "The applicant fears further persecution.",
        ]],
    ),
];

/// The trial in which the confession is used.
pub(crate) const TRIAL: &[Sentence] = &[
    s(
        100,
        &[[
            "{^date} суд приступил к рассмотрению уголовного дела [заявителя|заявительницы].",
            "{^date} суд ба баррасии парвандаи ҷиноятии аризадиҳанда шурӯъ кард.",
            "{^date}, the court began hearing the applicant's criminal case.",
        ]],
    ),
    s(
        100,
        &[[
            "В суде [заявитель заявил|заявительница заявила], что признательные показания даны под пытками, однако судья не назначил проверку.",
            "Дар суд аризадиҳанда изҳор дошт, ки нишондодҳои иқрорӣ зери шиканҷа гирифта шудаанд, аммо судя санҷиш таъин накард.",
            "In court the applicant stated that the confession had been obtained under torture, but the judge ordered no inquiry.",
        ]],
    ),
    s(
        90,
        &[
            [
                "Приговор основан главным образом на этих показаниях: [заявитель осуждён|заявительница осуждена] к {years} годам лишения свободы.",
                "Ҳукм асосан ба ҳамин нишондодҳо асос ёфтааст: аризадиҳанда ба {years} соли маҳрумият аз озодӣ маҳкум шуд.",
                "The verdict rests mainly on that confession: the applicant was sentenced to {years} years' imprisonment.",
            ],
            [
                "Ходатайство защиты о проведении судебно-медицинской экспертизы было отклонено.",
                "Дархости ҳимоя дар бораи гузаронидани экспертизаи тиббӣ-судӣ рад карда шуд.",
                "The defence's request for a forensic medical examination was rejected.",
            ],
        ],
    ),
];

// ---------------------------------------------------------------------------------------------
// Case summaries, status sentences, information remarks.

/// What a case is about, per scenario (Russian: with its preposition "о"/"об").
pub(crate) const TOPICS_POLICE: &[T3] = &[
    ["о пытках", "шиканҷа", "torture"],
    ["об избиении и пытках", "латукӯб ва шиканҷа", "beating and torture"],
    ["об избиении при задержании", "латукӯб ҳангоми боздошт", "beating during arrest"],
];
pub(crate) const TOPICS_SCNS: &[T3] = &[
    ["о похищении и пытках", "рабудан ва шиканҷа", "abduction and torture"],
    ["о пытках", "шиканҷа", "torture"],
];
pub(crate) const TOPICS_DRUGS: &[T3] = &[
    ["об избиении и вымогательстве", "латукӯб ва тамаъҷӯӣ", "beating and extortion"],
    ["о пытках и вымогательстве", "шиканҷа ва тамаъҷӯӣ", "torture and extortion"],
];
pub(crate) const TOPICS_PRISON: &[T3] = &[
    ["об избиении", "латукӯб", "beating"],
    ["о пытках и жестоком обращении", "шиканҷа ва муносибати бераҳмона", "torture and ill-treatment"],
];
pub(crate) const TOPICS_ARMY: &[T3] = &[
    ["о неуставных отношениях и избиении", "муносибатҳои ғайриуставӣ ва латукӯб", "hazing and beating"],
    ["об избиениях со стороны сослуживцев", "латукӯб аз ҷониби ҳамхизматон", "beatings by fellow servicemen"],
];
pub(crate) const TOPICS_INSTITUTION: &[T3] = &[[
    "о жестоком обращении и избиении персоналом",
    "муносибати бераҳмона ва латукӯб аз ҷониби кормандон",
    "ill-treatment and beating by staff",
]];

/// First sentence of a summary, with the victim's age.
pub(crate) const SUMMARY_AGE: T3 = [
    "[Заявитель|Заявительница], {age}, сообщает {topic} {fac_in} в {year} году.",
    "Аризадиҳанда ({age}-сола) дар бораи {topic} дар {fac} дар соли {year} хабар медиҳад.",
    "The applicant, aged {age}, reports {topic} at {fac} in {year}.",
];
/// First sentence of a summary, age unknown.
pub(crate) const SUMMARY: T3 = [
    "[Заявитель|Заявительница] сообщает {topic} {fac_in} в {year} году.",
    "Аризадиҳанда дар бораи {topic} дар {fac} дар соли {year} хабар медиҳад.",
    "The applicant reports {topic} at {fac} in {year}.",
];
/// First sentence of a summary when the victim died.
pub(crate) const SUMMARY_DEATH: T3 = [
    "Родственники сообщают о смерти [пострадавшего|пострадавшей] {fac_in} в {year} году после избиения и пыток.",
    "Хешовандон дар бораи марги ҷабрдида дар {fac} дар соли {year} пас аз латукӯб ва шиканҷа хабар медиҳанд.",
    "Relatives report the death of the victim at {fac} in {year} after beating and torture.",
];
/// Second sentence of a summary: the main methods.
pub(crate) const SUMMARY_METHODS: T3 =
    ["По [его|её] словам, {methods}.", "Ба гуфтаи ӯ, {methods}.", "According to [him|her], {methods}."];

/// Where the case stands, per status.
pub(crate) fn status_sentences(status: &str) -> &'static [T3] {
    match status {
        "intake-screening" => &[[
            "Обращение поступило недавно и находится на первичной оценке.",
            "Муроҷиат навакак ворид шуда, дар марҳилаи арзёбии аввалия қарор дорад.",
            "The request arrived recently and is being screened.",
        ]],
        "open" => &[[
            "Дело открыто, юрист коалиции собирает документы и медицинские заключения.",
            "Парванда кушода шуд, ҳуқуқшиноси эътилоф ҳуҷҷатҳо ва хулосаҳои тиббиро ҷамъ меоварад.",
            "A case has been opened; the coalition lawyer is collecting documents and medical reports.",
        ]],
        "active" => &[
            [
                "В прокуратуру подана жалоба с требованием возбудить уголовное дело по статье о пытках; проверка продолжается.",
                "Ба прокуратура шикоят бо талаби оғози парвандаи ҷиноятӣ дар бораи шиканҷа пешниҳод шуд; санҷиш идома дорад.",
                "A complaint demanding a criminal investigation for torture has been filed with the prosecutor; the check is ongoing.",
            ],
            [
                "Коалиция обжалует в суде отказ в возбуждении уголовного дела.",
                "Эътилоф радди оғози парвандаи ҷиноятиро дар суд шикоят мекунад.",
                "The coalition is challenging the refusal to open a criminal case in court.",
            ],
        ],
        "pending" => &[[
            "Коалиция ожидает ответа прокуратуры и согласия [заявителя|заявительницы] на дальнейшие шаги.",
            "Эътилоф ҷавоби прокуратура ва розигии аризадиҳандаро барои қадамҳои минбаъда интизор аст.",
            "The coalition is awaiting the prosecutor's reply and the applicant's consent to further steps.",
        ]],
        "referred-out" => &[[
            "Обращение передано партнёрской организации по месту жительства [заявителя|заявительницы].",
            "Муроҷиат ба ташкилоти шарик дар маҳалли зисти аризадиҳанда супорида шуд.",
            "The request was referred to a partner organisation near the applicant's home.",
        ]],
        _ => &[
            [
                "Дело закрыто после отказа в возбуждении уголовного дела и исчерпания внутренних средств защиты.",
                "Парванда пас аз радди оғози парвандаи ҷиноятӣ ва истифодаи ҳамаи воситаҳои дохилии ҳифзи ҳуқуқ баста шуд.",
                "The case was closed after the refusal to open a criminal case and the exhaustion of domestic remedies.",
            ],
            [
                "Дело закрыто по просьбе [заявителя|заявительницы].",
                "Парванда бо хоҳиши аризадиҳанда баста шуд.",
                "The case was closed at the applicant's request.",
            ],
        ],
    }
}

/// Remarks on information from the victim.
pub(crate) const REMARKS_VICTIM: &[T3] = &[
    [
        "Показания записаны юристом коалиции при личной встрече.",
        "Нишондодҳоро ҳуқуқшиноси эътилоф ҳангоми вохӯрии шахсӣ сабт кард.",
        "Statement taken by the coalition lawyer in person.",
    ],
    [
        "Сведения получены по телефону горячей линии и подтверждены при повторном звонке.",
        "Маълумот тавассути хати боварӣ гирифта шуда, дар занги такрорӣ тасдиқ шуд.",
        "Received on the hotline and confirmed in a follow-up call.",
    ],
    [
        "Рассказ последователен и согласуется с медицинскими данными.",
        "Ҳикояи ӯ пайдарпай буда, ба маълумоти тиббӣ мувофиқат мекунад.",
        "The account is consistent and matches the medical findings.",
    ],
    [
        "Приложены фотографии телесных повреждений.",
        "Аксҳои ҷароҳатҳо замима шудаанд.",
        "Photographs of the injuries are attached.",
    ],
];
/// Remarks on information from a relative.
pub(crate) const REMARKS_RELATIVE: &[T3] = &[
    [
        "Сведения сообщил родственник по телефону горячей линии.",
        "Маълумотро хешованди ҷабрдида тавассути хати боварӣ хабар дод.",
        "Reported by a relative on the hotline.",
    ],
    [
        "Копия медицинского заключения получена от родственников.",
        "Нусхаи хулосаи тиббӣ аз хешовандон гирифта шуд.",
        "A copy of the medical report was obtained from the relatives.",
    ],
    [
        "Родственники видели следы побоев во время свидания.",
        "Хешовандон ҳангоми мулоқот осори латукӯбро диданд.",
        "Relatives saw marks of beating during a visit.",
    ],
];
/// Remarks on information from a lawyer.
pub(crate) const REMARKS_LAWYER: &[T3] = &[
    [
        "Адвокат ознакомился с материалами уголовного дела.",
        "Адвокат бо маводи парвандаи ҷиноятӣ шинос шуд.",
        "The lawyer examined the criminal case file.",
    ],
    [
        "Адвокат записал жалобы подзащитного во время свидания в учреждении.",
        "Адвокат ҳангоми мулоқот дар муассиса шикоятҳои ҳимояшавандаро сабт кард.",
        "The lawyer recorded the client's complaints during a visit to the facility.",
    ],
    [
        "Получено письменное объяснение, заверенное адвокатом.",
        "Баёномаи хаттии бо имзои адвокат тасдиқшуда гирифта шуд.",
        "A written statement certified by the lawyer was obtained.",
    ],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_slots_genders_and_capitals() {
        let slots = Slots {
            date: "в марте 2023 года".into(), inj: "[он|она] устал[|а]", ..Slots::default()
        };
        assert_eq!(
            render("{^date} [он|она] ушёл; {inj}.", false, Some(&slots)),
            "В марте 2023 года он ушёл; он устал."
        );
        assert_eq!(render("[Он|Она]: {inj}", true, Some(&slots)), "Она: она устала");
        assert!(render("{nope}", false, Some(&slots)).contains(UNKNOWN_SLOT));
        assert_eq!(render("unclosed {date", false, Some(&slots)), "unclosed {date");
    }

    #[test]
    fn date_phrases() {
        let d = PDate { year: 2023, month: Some(3), day: Some(12), estimated: false };
        assert_eq!(date_phrase(&d, Lang::Ru), "12 марта 2023 года");
        assert_eq!(date_phrase(&d, Lang::Tg), "12 марти соли 2023");
        assert_eq!(date_phrase(&d, Lang::En), "on 12 March 2023");
        let m = PDate { day: None, ..d };
        assert_eq!(date_phrase(&m, Lang::Ru), "в марте 2023 года");
        assert_eq!(date_phrase(&m, Lang::Tg), "дар моҳи марти соли 2023");
        let y = PDate { month: None, day: None, ..d };
        assert_eq!(date_phrase(&y, Lang::Ru), "в 2023 году");
        let e = PDate { estimated: true, ..d };
        assert_eq!(date_phrase(&e, Lang::En), "around 12 March 2023");
    }

    /// Every narrative table.
    const TABLES: &[&[Sentence]] = &[
        POLICE_ARREST,
        CUSTODY,
        SCNS_ABDUCTION,
        DRUGS_STOP,
        PRISON_ABUSE,
        PRISON_NEGLECT,
        ARMY_ROUNDUP,
        ARMY_HAZING,
        ARMY_GUARDHOUSE,
        INSTITUTION_ABUSE,
        INSTITUTION_NEGLECT,
        DEATH,
        REPRISAL_RELATIVE,
        REPRISAL_SELF,
        TRIAL,
    ];

    #[test]
    fn every_template_renders_in_every_language() {
        let slots = Slots {
            date: "x".into(),
            place: "x".into(),
            fac: "x".into(),
            fac_in: "x".into(),
            fac_to: "x".into(),
            perp: "x",
            perp_ins: "x",
            sus: "x",
            dur: "x",
            methods: "x".into(),
            inj: "x",
            n: "x".into(),
            cause: "x",
            years: "x".into(),
            rel: "x",
            rel_acc: "x",
            topic: "x",
            age: "x".into(),
            year: "x".into(),
        };
        let mut templates: Vec<&str> =
            TABLES.iter().flat_map(|t| t.iter()).flat_map(|s| s.alts.iter().flatten()).copied().collect();
        templates.extend([SUMMARY_AGE, SUMMARY, SUMMARY_DEATH, SUMMARY_METHODS].iter().flatten());
        for status in crate::model::CASE_STATUSES {
            templates.extend(status_sentences(status).iter().flatten());
        }
        for list in [INJURIES, PHYSICAL, PSYCHOLOGICAL, REMARKS_VICTIM, REMARKS_RELATIVE, REMARKS_LAWYER] {
            templates.extend(list.iter().flatten());
        }
        for female in [false, true] {
            for t in &templates {
                let out = render(t, female, Some(&slots));
                assert!(
                    !out.contains(['{', '}', '[', ']', '|']) && !out.contains(UNKNOWN_SLOT),
                    "{t:?} → {out:?}"
                );
                assert!(!needs_empty_slot(t, &slots));
            }
        }
    }

    #[test]
    fn every_pooled_method_has_its_own_wording() {
        let pools = [
            (METHODS_INTERROGATION, Setting::Custody),
            (METHODS_CUSTODY, Setting::Custody),
            (METHODS_PRISON, Setting::Custody),
            (METHODS_ARMY, Setting::Army),
            (METHODS_ROUNDUP, Setting::Army),
            (METHODS_INSTITUTION, Setting::Institution),
        ];
        let fallback = method_clause("032101", Setting::Custody);
        for (pool, setting) in pools {
            for m in pool.iter().filter(|m| **m != "032101") {
                assert_ne!(method_clause(m, setting), fallback, "{m} has no clause");
            }
        }
        // Marks index the injury lists.
        for m in pools.iter().flat_map(|p| p.0.iter()) {
            assert!(marks(m).iter().all(|&i| i < PHYSICAL.len()));
            assert!(marks(m).is_empty() || marks(m).iter().any(|&i| i < INJURIES.len()));
        }
    }

    #[test]
    fn russian_ages() {
        assert_eq!(ru_years(21), "21 год");
        assert_eq!(ru_years(22), "22 года");
        assert_eq!(ru_years(25), "25 лет");
        assert_eq!(ru_years(12), "12 лет");
        assert_eq!(ru_years(111), "111 лет");
    }

    #[test]
    fn lists() {
        let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(and_list(&items, Lang::Ru), "a, b и c");
        assert_eq!(and_list(&items[..2], Lang::Tg), "a ва b");
        assert_eq!(and_list(&items[..1], Lang::En), "a");
        assert_eq!(sentence_list(&["гематомы", "перелом"]), "Гематомы; перелом.");
    }
}
