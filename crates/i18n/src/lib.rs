//! ozodi's three languages: the Fluent catalogues (`locales/{ru,tg,en}/*.ftl`, embedded at compile
//! time), language negotiation, and date formatting in Dushanbe time.
//!
//! Every user-visible string is a key present in all three catalogues (a test fails otherwise).
//! Russian is the default. Tajik has no CLDR plural rules in Fluent's data, so Tajik messages use
//! only `*[other]` variants.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use time::OffsetDateTime;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // No Unicode isolation marks around placeables: they show up as stray characters in
        // attributes and in text copied out of the page.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub use ozodi_domain::dates::DUSHANBE;

/// An interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Russian (the default).
    #[default]
    Ru,
    /// Tajik, in Cyrillic.
    Tg,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Tg, Lang::En];

    /// The BCP 47 code (`ru`, `tg`, `en`), used in cookies, the database and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Tg => "tg",
            Lang::En => "en",
        }
    }

    /// The language's own name, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::Tg => "Тоҷикӣ",
            Lang::En => "English",
        }
    }

    /// Parses a code; unknown codes give `None`.
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Ru => langid!("ru"),
            Lang::Tg => langid!("tg"),
            Lang::En => langid!("en"),
        }
    }

    /// The message for `key`. A missing key shows the key itself (and fails the catalogue test),
    /// never an empty string.
    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(&self.langid(), key).unwrap_or_else(|| key.to_owned())
    }

    /// The message for `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, &str)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.to_string()))).collect();
        LOCALES.try_lookup_with_args(&self.langid(), key, &map).unwrap_or_else(|| key.to_owned())
    }

    /// A translated message with numeric arguments (so that plural forms are chosen by number:
    /// `[one]`, `[few]`, `[many]` in Russian).
    pub fn t_counts(self, key: &str, args: &[(&'static str, i64)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(*v))).collect();
        LOCALES.try_lookup_with_args(&self.langid(), key, &map).unwrap_or_else(|| key.to_owned())
    }

    /// Whether the catalogue of this language itself has `key` (without falling back to
    /// Russian). A message that exists but needs arguments counts as present: formatting it
    /// without them fails with a Fluent error, not a retrieval error.
    pub fn has(self, key: &str) -> bool {
        match LOCALES.lookup_single_language(&self.langid(), key, None::<&HashMap<&str, FluentValue<'_>>>) {
            Ok(_) => true,
            Err(e) => e.to_string().starts_with("Fluent errors"),
        }
    }

    /// A date and time in Dushanbe time, as people there write it.
    pub fn datetime(self, t: OffsetDateTime) -> String {
        let d = t.to_offset(DUSHANBE);
        match self {
            Lang::Ru | Lang::Tg => format!(
                "{:02}.{:02}.{} {:02}:{:02}",
                d.day(),
                u8::from(d.month()),
                d.year(),
                d.hour(),
                d.minute()
            ),
            Lang::En => format!(
                "{}-{:02}-{:02} {:02}:{:02}",
                d.year(),
                u8::from(d.month()),
                d.day(),
                d.hour(),
                d.minute()
            ),
        }
    }

    /// A calendar day, as people there write it (`06.12.2026`; ISO in English).
    pub fn date(self, d: time::Date) -> String {
        match self {
            Lang::Ru | Lang::Tg => format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year()),
            Lang::En => d.to_string(),
        }
    }

    /// A time of day in Dushanbe time (for "try again at 14:05").
    pub fn time_of_day(self, t: OffsetDateTime) -> String {
        let d = t.to_offset(DUSHANBE);
        format!("{:02}:{:02}", d.hour(), d.minute())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Picks the best of our languages from an `Accept-Language` header, honouring q-values; Russian
/// when nothing matches. Tajik browsers often send `tg`, sometimes `tg-Cyrl-TJ`.
pub fn negotiate(accept_language: &str) -> Lang {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (index, part) in accept_language.split(',').enumerate().take(32) {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let Some(lang) = Lang::parse(primary) else { continue };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bq, bi, _)) => q > bq || (q == bq && index < bi),
        };
        if better {
            best = Some((q, index, lang));
        }
    }
    best.map(|(_, _, l)| l).unwrap_or_default()
}

/// The directory holding the catalogues, for tests that read the `.ftl` sources.
pub const LOCALES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn negotiation_honours_quality_and_falls_back_to_russian() {
        assert_eq!(negotiate("tg-Cyrl-TJ,ru;q=0.8,en;q=0.5"), Lang::Tg);
        assert_eq!(negotiate("de-DE,en;q=0.4,ru;q=0.9"), Lang::Ru);
        assert_eq!(negotiate("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(negotiate("fr"), Lang::Ru);
        assert_eq!(negotiate(""), Lang::Ru);
        assert_eq!(negotiate("tg;q=0,en"), Lang::En);
    }

    #[test]
    fn times_are_shown_in_dushanbe() {
        let t = datetime!(2026-11-29 20:05 UTC);
        assert_eq!(Lang::Ru.datetime(t), "30.11.2026 01:05");
        assert_eq!(Lang::En.datetime(t), "2026-11-30 01:05");
        assert_eq!(Lang::Tg.time_of_day(t), "01:05");
    }
}
