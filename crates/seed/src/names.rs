//! Invented Tajik-style names: a common given name, an optional patronymic and a surname built
//! from a common root with an `-ов/-ова`, `-зода` or `-ӣ` ending. Combining lists this way names
//! nobody in particular. Every name has its spelling variants: Tajik Cyrillic ("Иброҳимов"),
//! Russian-style ("Ибрагимов"), plain Cyrillic without Tajik letters ("Иброхимов") and Latin from
//! either ("Ibragimov", "Ibrohimov").

use crate::model::Lang;
use crate::rng::R;

/// Male given names: (Tajik spelling, Russian-style spelling).
pub(crate) const MALE: &[(&str, &str)] = &[
    ("Фирӯз", "Фируз"),
    ("Бахтиёр", "Бахтиёр"),
    ("Ҷамшед", "Джамшед"),
    ("Далер", "Далер"),
    ("Шуҳрат", "Шухрат"),
    ("Фаррух", "Фаррух"),
    ("Умед", "Умед"),
    ("Меҳроб", "Мехроб"),
    ("Сӯҳроб", "Сухроб"),
    ("Рустам", "Рустам"),
    ("Илҳом", "Ильхом"),
    ("Парвиз", "Парвиз"),
    ("Зафар", "Зафар"),
    ("Алишер", "Алишер"),
    ("Манучеҳр", "Манучехр"),
    ("Баҳодур", "Баходур"),
    ("Комрон", "Камрон"),
    ("Хуршед", "Хуршед"),
    ("Нодир", "Нодир"),
    ("Шаҳзод", "Шахзод"),
    ("Аброр", "Аброр"),
    ("Ҳусниддин", "Хусниддин"),
    ("Абдураҳмон", "Абдурахмон"),
    ("Ҷаҳонгир", "Джахонгир"),
    ("Фарҳод", "Фарход"),
    ("Акмал", "Акмал"),
    ("Дилшод", "Дилшод"),
    ("Некрӯз", "Некруз"),
    ("Сиёвуш", "Сиявуш"),
    ("Исмат", "Исмат"),
    ("Шоҳрух", "Шахрух"),
    ("Ёдгор", "Ёдгор"),
    ("Тоҷиддин", "Таджиддин"),
    ("Қиёмиддин", "Киёмиддин"),
];

/// Female given names: (Tajik spelling, Russian-style spelling).
pub(crate) const FEMALE: &[(&str, &str)] = &[
    ("Нигора", "Нигора"),
    ("Мадина", "Мадина"),
    ("Зарина", "Зарина"),
    ("Гулноза", "Гулноза"),
    ("Шаҳло", "Шахло"),
    ("Малика", "Малика"),
    ("Мавҷуда", "Мавджуда"),
    ("Дилноза", "Дилноза"),
    ("Фарзона", "Фарзона"),
    ("Нилуфар", "Нилуфар"),
    ("Парвина", "Парвина"),
    ("Саодат", "Саодат"),
    ("Гулчеҳра", "Гулчехра"),
    ("Меҳрангез", "Мехрангез"),
    ("Зулфия", "Зульфия"),
    ("Рухсора", "Рухсора"),
    ("Таҳмина", "Тахмина"),
    ("Ширин", "Ширин"),
    ("Мунира", "Мунира"),
    ("Гулбаҳор", "Гулбахор"),
    ("Моҳира", "Мохира"),
    ("Фотима", "Фатима"),
    ("Сабоҳат", "Сабохат"),
];

/// Fathers' names for patronymics: (Tajik, Russian-style).
const PATRONYMIC: &[(&str, &str)] = &[
    ("Ҷалол", "Джалол"),
    ("Раҳим", "Рахим"),
    ("Карим", "Карим"),
    ("Шариф", "Шариф"),
    ("Саид", "Саид"),
    ("Ҳасан", "Хасан"),
    ("Назар", "Назар"),
    ("Сафар", "Сафар"),
    ("Давлат", "Давлат"),
    ("Исмоил", "Исмаил"),
    ("Қодир", "Кадыр"),
    ("Юсуф", "Юсуф"),
    ("Бахтиёр", "Бахтиёр"),
    ("Рустам", "Рустам"),
    ("Фирӯз", "Фируз"),
];

/// Surname roots: (Tajik, Russian-style).
const ROOTS: &[(&str, &str)] = &[
    ("Иброҳим", "Ибрагим"),
    ("Қурбон", "Курбан"),
    ("Ҷалол", "Джалол"),
    ("Раҳим", "Рахим"),
    ("Шариф", "Шариф"),
    ("Назар", "Назар"),
    ("Саид", "Саид"),
    ("Ҳасан", "Хасан"),
    ("Карим", "Карим"),
    ("Исмоил", "Исмаил"),
    ("Ҳамид", "Хамид"),
    ("Ёқуб", "Якуб"),
    ("Юсуф", "Юсуф"),
    ("Саттор", "Саттар"),
    ("Ғаффор", "Гаффар"),
    ("Қодир", "Кадыр"),
    ("Тоҳир", "Тахир"),
    ("Зоҳир", "Захир"),
    ("Раҷаб", "Раджаб"),
    ("Давлат", "Давлат"),
    ("Ашур", "Ашур"),
    ("Сафар", "Сафар"),
    ("Ҳолиқ", "Халик"),
    ("Маҳмуд", "Махмуд"),
    ("Латиф", "Латиф"),
    ("Ҳайдар", "Хайдар"),
    ("Азиз", "Азиз"),
    ("Олим", "Алим"),
    ("Усмон", "Усман"),
    ("Мурод", "Мурад"),
    ("Собир", "Сабир"),
    ("Ғулом", "Гулям"),
    ("Ҳаким", "Хаким"),
    ("Мирзо", "Мирзо"),
    ("Бобо", "Бобо"),
    ("Нурулло", "Нурулло"),
    ("Абдулло", "Абдулло"),
    ("Ҷумъа", "Джума"),
];

/// Roots whose `-ӣ` form is also an everyday word ("давлатӣ" = "state", "олимӣ" = "scholarly",
/// "сафарӣ" = "travelling"): a narrative could otherwise seem to contain a surname.
const NOT_WITH_I: &[&str] = &["Давлат", "Олим", "Сафар"];

/// How a surname is formed from its root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// Russian-era `-ов` / `-ова` (`-ев` after a vowel).
    Ov,
    /// Tajik `-зода`.
    Zoda,
    /// Tajik `-ӣ`.
    I,
}

/// A family name: shared by relatives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Surname {
    root: usize,
    style: Style,
}

impl Surname {
    /// A random family name.
    pub(crate) fn random(rng: &mut R) -> Surname {
        let root = rng.below(ROOTS.len());
        let mut style = rng.weighted(&[(Style::Ov, 55), (Style::Zoda, 30), (Style::I, 15)]);
        if style == Style::I && (ends_in_vowel(ROOTS[root].0) || NOT_WITH_I.contains(&ROOTS[root].0)) {
            style = Style::Zoda;
        }
        Surname { root, style }
    }

    fn tg(self, female: bool) -> String {
        let root = ROOTS[self.root].0;
        match self.style {
            Style::Ov => ov(root, female),
            Style::Zoda => format!("{root}зода"),
            Style::I => format!("{root}ӣ"),
        }
    }

    fn ru(self, female: bool) -> String {
        match self.style {
            Style::Ov => ov(ROOTS[self.root].1, female),
            Style::Zoda | Style::I => fold(&self.tg(female)),
        }
    }
}

fn ov(root: &str, female: bool) -> String {
    let suffix = if ends_in_vowel(root) { "ев" } else { "ов" };
    format!("{root}{suffix}{}", if female { "а" } else { "" })
}

fn ends_in_vowel(word: &str) -> bool {
    word.chars().last().is_some_and(|c| "аеёиоуыэюяӣӯ".contains(c))
}

/// A full invented name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FullName {
    given: (&'static str, &'static str),
    patronymic: Option<(&'static str, &'static str)>,
    surname: Surname,
    female: bool,
}

impl FullName {
    /// A random name in family `surname` (a new family if `None`), with a patronymic
    /// `patronymic_percent` percent of the time.
    pub(crate) fn random(
        rng: &mut R,
        female: bool,
        surname: Option<Surname>,
        patronymic_percent: u32,
    ) -> FullName {
        let given = if female { rng.pick(FEMALE) } else { rng.pick(MALE) };
        let patronymic = rng.chance(patronymic_percent).then(|| rng.pick(PATRONYMIC));
        let surname = surname.unwrap_or_else(|| Surname::random(rng));
        FullName { given, patronymic, surname, female }
    }

    /// The family name, for relatives.
    pub(crate) fn surname(&self) -> Surname {
        self.surname
    }

    /// Tajik Cyrillic spelling.
    pub(crate) fn tg(&self) -> String {
        let patronymic = self.patronymic.map(|p| patronymic(p.0, self.female));
        join(self.given.0, patronymic.as_deref(), &self.surname.tg(self.female))
    }

    /// Russian-style spelling.
    pub(crate) fn ru(&self) -> String {
        let patronymic = self.patronymic.map(|p| patronymic(p.1, self.female));
        join(self.given.1, patronymic.as_deref(), &self.surname.ru(self.female))
    }

    /// (primary spelling in `lang`, the other spellings joined by "; ").
    pub(crate) fn spellings(&self, lang: Lang) -> (String, String) {
        let tg = self.tg();
        let ru = self.ru();
        let variants = [fold(&tg), latin(&ru), latin(&tg)];
        let primary = match lang {
            Lang::Tg => tg.clone(),
            Lang::Ru => ru.clone(),
            Lang::En => variants[1].clone(),
        };
        let mut others: Vec<String> = Vec::new();
        for v in [tg, ru].into_iter().chain(variants) {
            if v != primary && !others.contains(&v) {
                others.push(v);
            }
        }
        (primary, others.join("; "))
    }
}

fn patronymic(father: &str, female: bool) -> String {
    format!("{father}{}", if female { "овна" } else { "ович" })
}

fn join(given: &str, patronymic: Option<&str>, surname: &str) -> String {
    match patronymic {
        Some(p) => format!("{given} {p} {surname}"),
        None => format!("{given} {surname}"),
    }
}

/// Tajik letters replaced by what people type on a Russian keyboard (ҳ→х, қ→к, ғ→г, ҷ→дж, ӣ→и,
/// ӯ→у).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ҳ' => out.push('х'),
            'Ҳ' => out.push('Х'),
            'қ' => out.push('к'),
            'Қ' => out.push('К'),
            'ғ' => out.push('г'),
            'Ғ' => out.push('Г'),
            'ҷ' => out.push_str("дж"),
            'Ҷ' => out.push_str("Дж"),
            'ӣ' => out.push('и'),
            'Ӣ' => out.push('И'),
            'ӯ' => out.push('у'),
            'Ӯ' => out.push('У'),
            _ => out.push(c),
        }
    }
    out
}

/// Latin transliteration of a Cyrillic (Russian or Tajik) text, passport style: "Ибрагимов" →
/// "Ibragimov", "Джалолов" → "Dzhalolov", "Ҷалолов" → "Jalolov", "Қурбонов" → "Qurbonov".
pub(crate) fn latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let t = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'э' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' | 'ӣ' => "i",
            'й' | 'ы' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ӯ' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ю' => "yu",
            'я' => "ya",
            'ғ' => "gh",
            'қ' => "q",
            'ҳ' => "h",
            'ҷ' => "j",
            _ => {
                out.push(c);
                continue;
            }
        };
        if c != lower {
            let mut chars = t.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brief_examples_are_spelling_variants() {
        let ibr = Surname { root: 0, style: Style::Ov };
        assert_eq!(ibr.tg(false), "Иброҳимов");
        assert_eq!(ibr.ru(false), "Ибрагимов");
        assert_eq!(latin(&ibr.ru(false)), "Ibragimov");
        let kur = Surname { root: 1, style: Style::Ov };
        assert_eq!((kur.tg(false), kur.ru(false)), ("Қурбонов".into(), "Курбанов".into()));
        assert_eq!(latin("Курбанов"), "Kurbanov");
        let jal = Surname { root: 2, style: Style::Ov };
        assert_eq!((jal.tg(true), jal.ru(true)), ("Ҷалолова".into(), "Джалолова".into()));
        assert_eq!(latin("Джалолов"), "Dzhalolov");
        assert_eq!(latin("Ҷалолов"), "Jalolov");
        let jum = Surname { root: ROOTS.len() - 1, style: Style::Ov };
        assert_eq!((jum.tg(false), jum.ru(false)), ("Ҷумъаев".into(), "Джумаев".into()));
        let zoda = Surname { root: 0, style: Style::Zoda };
        assert_eq!((zoda.tg(false), zoda.ru(false)), ("Иброҳимзода".into(), "Иброхимзода".into()));
        let i = Surname { root: 1, style: Style::I };
        assert_eq!((i.tg(false), i.ru(false)), ("Қурбонӣ".into(), "Курбони".into()));
    }

    #[test]
    fn spellings_put_the_language_spelling_first_and_list_the_rest_once() {
        let name = FullName {
            given: ("Фирӯз", "Фируз"),
            patronymic: Some(("Ҷалол", "Джалол")),
            surname: Surname { root: 1, style: Style::Ov },
            female: false,
        };
        let (tg, others) = name.spellings(Lang::Tg);
        assert_eq!(tg, "Фирӯз Ҷалолович Қурбонов");
        assert_eq!(
            others,
            "Фируз Джалолович Курбанов; Фируз Джалолович Курбонов; Firuz Dzhalolovich Kurbanov; \
             Firuz Jalolovich Qurbonov"
        );
        assert_eq!(name.spellings(Lang::En).0, "Firuz Dzhalolovich Kurbanov");
    }
}
