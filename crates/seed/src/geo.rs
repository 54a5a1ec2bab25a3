//! Towns and districts of Tajikistan by region (list `region`), with the word forms the narratives
//! need. Districts named after persons are left out, so a place can never look like a name.

use crate::model::Lang;
use crate::rng::R;

/// What kind of locality a place is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A town or city.
    City,
    /// A rural district (ноҳия / район).
    District,
    /// A district of the capital.
    CapitalDistrict,
}

/// One town or district.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place {
    pub(crate) region: &'static str,
    pub(crate) kind: Kind,
    /// Borders a neighbouring country (border posts).
    pub(crate) border: bool,
    tg: &'static str,
    ru: &'static str,
    en: &'static str,
}

const fn p(
    region: &'static str,
    kind: Kind,
    border: bool,
    tg: &'static str,
    ru: &'static str,
    en: &'static str,
) -> Place {
    Place { region, kind, border, tg, ru, en }
}

use Kind::{CapitalDistrict as Cd, City as C, District as D};

/// Every place.
pub(crate) const PLACES: &[Place] = &[
    p("SUG", C, false, "Хуҷанд", "Худжанд", "Khujand"),
    p("SUG", C, true, "Исфара", "Исфара", "Isfara"),
    p("SUG", C, false, "Истаравшан", "Истаравшан", "Istaravshan"),
    p("SUG", C, false, "Конибодом", "Канибадам", "Konibodom"),
    p("SUG", C, false, "Панҷакент", "Пенджикент", "Panjakent"),
    p("SUG", C, false, "Бӯстон", "Бустон", "Buston"),
    p("SUG", C, false, "Гулистон", "Гулистон", "Guliston"),
    p("SUG", D, false, "Спитамен", "Спитамен", "Spitamen"),
    p("SUG", D, false, "Зафаробод", "Зафарабад", "Zafarobod"),
    p("SUG", D, false, "Мастчоҳ", "Мастчох", "Mastchoh"),
    p("SUG", D, true, "Ашт", "Ашт", "Asht"),
    p("SUG", D, false, "Шаҳристон", "Шахристан", "Shahriston"),
    p("KHT", C, false, "Бохтар", "Бохтар", "Bokhtar"),
    p("KHT", C, false, "Кӯлоб", "Куляб", "Kulob"),
    p("KHT", C, false, "Норак", "Нурек", "Norak"),
    p("KHT", C, false, "Левакант", "Левакант", "Levakant"),
    p("KHT", D, false, "Данғара", "Дангара", "Danghara"),
    p("KHT", D, false, "Восеъ", "Восе", "Vose"),
    p("KHT", D, false, "Кушониён", "Кушониён", "Kushoniyon"),
    p("KHT", D, false, "Вахш", "Вахш", "Vakhsh"),
    p("KHT", D, true, "Панҷ", "Пяндж", "Panj"),
    p("KHT", D, true, "Фархор", "Фархор", "Farkhor"),
    p("KHT", D, false, "Ёвон", "Яван", "Yovon"),
    p("KHT", D, true, "Шаҳритус", "Шаартуз", "Shahritus"),
    p("KHT", D, true, "Ҷайҳун", "Джайхун", "Jayhun"),
    p("KHT", D, false, "Мӯъминобод", "Муминабад", "Muminobod"),
    p("DUS", C, false, "Душанбе", "Душанбе", "Dushanbe"),
    p("DUS", Cd, false, "Шоҳмансур", "Шохмансур", "Shohmansur"),
    p("DUS", Cd, false, "Сино", "Сино", "Sino"),
    p("DUS", Cd, false, "Фирдавсӣ", "Фирдавси", "Firdavsi"),
    p("DRS", C, false, "Ваҳдат", "Вахдат", "Vahdat"),
    p("DRS", C, false, "Ҳисор", "Гиссар", "Hisor"),
    p("DRS", C, false, "Роғун", "Рогун", "Roghun"),
    p("DRS", D, false, "Рӯдакӣ", "Рудаки", "Rudaki"),
    p("DRS", D, false, "Варзоб", "Варзоб", "Varzob"),
    p("DRS", D, false, "Шаҳринав", "Шахринав", "Shahrinav"),
    p("DRS", D, false, "Рашт", "Рашт", "Rasht"),
    p("DRS", D, false, "Файзобод", "Файзабад", "Fayzobod"),
    p("DRS", D, false, "Нуробод", "Нурабад", "Nurobod"),
    p("DRS", D, false, "Тавилдара", "Тавильдара", "Tavildara"),
    p("DRS", D, true, "Лахш", "Лахш", "Lakhsh"),
    p("GBAO", C, false, "Хоруғ", "Хорог", "Khorugh"),
    p("GBAO", D, true, "Рӯшон", "Рушан", "Rushon"),
    p("GBAO", D, true, "Ишкошим", "Ишкашим", "Ishkoshim"),
    p("GBAO", D, true, "Ванҷ", "Ванч", "Vanj"),
    p("GBAO", D, true, "Дарвоз", "Дарваз", "Darvoz"),
    p("GBAO", D, true, "Мурғоб", "Мургаб", "Murghob"),
    p("GBAO", D, true, "Шуғнон", "Шугнан", "Shughnon"),
];

/// Where cases happen: weighted toward Sughd, Khatlon, Dushanbe and the Districts of Republican
/// Subordination.
pub(crate) const REGION_WEIGHTS: &[(&str, u32)] =
    &[("SUG", 28), ("KHT", 27), ("DUS", 20), ("DRS", 17), ("GBAO", 8)];

/// A random place of `region` satisfying `ok` (any place of the region if none does).
pub(crate) fn place_in(rng: &mut R, region: &str, ok: impl Fn(&Place) -> bool) -> usize {
    let fitting: Vec<usize> =
        (0..PLACES.len()).filter(|&i| PLACES[i].region == region && ok(&PLACES[i])).collect();
    if fitting.is_empty() {
        let any: Vec<usize> = (0..PLACES.len()).filter(|&i| PLACES[i].region == region).collect();
        if any.is_empty() { 0 } else { rng.pick(&any) }
    } else {
        rng.pick(&fitting)
    }
}

impl Place {
    /// Short Russian locality: "г. Бохтар", "р-н Рудаки", "р-н Сино, г. Душанбе".
    pub(crate) fn ru_short(&self) -> String {
        match self.kind {
            C => format!("г. {}", self.ru),
            D => format!("р-н {}", self.ru),
            Cd => format!("р-н {}, г. Душанбе", self.ru),
        }
    }

    /// Russian genitive after an institution: "ОВД района Рудаки", "ОВД города Бохтар".
    pub(crate) fn ru_of(&self) -> String {
        match self.kind {
            C => format!("города {}", self.ru),
            D => format!("района {}", self.ru),
            Cd => format!("района {} г. Душанбе", self.ru),
        }
    }

    /// Tajik noun phrase: "шаҳри Бохтар", "ноҳияи Рӯдакӣ", "ноҳияи Синои шаҳри Душанбе".
    pub(crate) fn tg(&self) -> String {
        match self.kind {
            C => format!("шаҳри {}", self.tg),
            D => format!("ноҳияи {}", self.tg),
            Cd => format!("ноҳияи {}и шаҳри Душанбе", self.tg),
        }
    }

    /// English name: "Bokhtar", "Rudaki District", "Sino District, Dushanbe".
    pub(crate) fn en(&self) -> String {
        match self.kind {
            C => self.en.to_string(),
            D => format!("{} District", self.en),
            Cd => format!("{} District, Dushanbe", self.en),
        }
    }

    /// "In this place": "в районе Рудаки" / "дар ноҳияи Рӯдакӣ" / "in Rudaki District".
    pub(crate) fn in_(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => match self.kind {
                C => format!("в городе {}", self.ru),
                D => format!("в районе {}", self.ru),
                Cd => format!("в районе {} г. Душанбе", self.ru),
            },
            Lang::Tg => format!("дар {}", self.tg()),
            Lang::En => format!("in {}", self.en()),
        }
    }

    /// The locality in `lang` for addresses: "г. Бохтар" / "шаҳри Бохтар" / "Bokhtar".
    pub(crate) fn locality(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => self.ru_short(),
            Lang::Tg => self.tg(),
            Lang::En => self.en(),
        }
    }

    /// The district (or city) prosecutor's office.
    pub(crate) fn prosecutor(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => format!("Прокуратура {}", self.ru_of()),
            Lang::Tg => format!("Прокуратураи {}", self.tg()),
            Lang::En => format!("{} Prosecutor's Office", self.en()),
        }
    }

    /// The district (or city) court.
    pub(crate) fn court(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => format!("Суд {}", self.ru_of()),
            Lang::Tg => format!("Суди {}", self.tg()),
            Lang::En => format!("{} Court", self.en()),
        }
    }
}

/// The regional prosecutor's office (the Prosecutor General for the Districts of Republican
/// Subordination, which have no regional office).
pub(crate) fn regional_prosecutor(region: &str, lang: Lang) -> &'static str {
    let forms: [&str; 3] = match region {
        "SUG" => [
            "Прокуратура Согдийской области",
            "Прокуратураи вилояти Суғд",
            "Sughd Regional Prosecutor's Office",
        ],
        "KHT" => [
            "Прокуратура Хатлонской области",
            "Прокуратураи вилояти Хатлон",
            "Khatlon Regional Prosecutor's Office",
        ],
        "DUS" => {
            ["Прокуратура города Душанбе", "Прокуратураи шаҳри Душанбе", "Dushanbe City Prosecutor's Office"]
        }
        "GBAO" => ["Прокуратура ГБАО", "Прокуратураи ВМКБ", "GBAO Prosecutor's Office"],
        _ => [
            "Генеральная прокуратура Республики Таджикистан",
            "Прокуратураи генералии Ҷумҳурии Тоҷикистон",
            "Prosecutor General's Office of Tajikistan",
        ],
    };
    forms[lang.index()]
}
