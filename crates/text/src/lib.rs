//! ozodi's text analysis for search, shared by every storage backend so that SQLite FTS5 and a
//! future PostgreSQL `tsvector` index exactly the same terms.
//!
//! - [`fold`]: lower-case, `ё`→`е`, combining marks dropped, and the Tajik letters folded to the
//!   Russian-keyboard look-alikes people type when they have no Tajik layout (ҳ→х, қ→к, ғ→г, ҷ→ч,
//!   ӣ→и, ӯ→у), so "хукуки" finds "ҳуқуқи".
//! - [`terms`]: the index terms of a text: folded words, light Tajik suffix stripping, then the
//!   Russian Snowball stemmer, so "избиения" finds "избиение" and "шиканҷаҳо" finds "шиканҷа".
//! - [`name_key`]: a transliteration skeleton for personal names, the same for Cyrillic (Tajik or
//!   Russian spelling) and Latin, so "Ibragimov" finds "Иброҳимов" and "Ибрагимов".
//!
//! Pure functions, no IO, no state: the index is derived data and can always be rebuilt.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words longer than this are cut: nobody searches for them, and it bounds the work per word.
const MAX_WORD_CHARS: usize = 64;

fn fold_char(c: char, out: &mut String) {
    match c {
        'ё' => out.push('е'),
        'ҳ' => out.push('х'),
        'қ' => out.push('к'),
        'ғ' => out.push('г'),
        'ҷ' => out.push('ч'),
        'ӣ' => out.push('и'),
        'ӯ' => out.push('у'),
        // Combining marks (a macron typed after и or у, an acute accent): dropped.
        '\u{0300}'..='\u{036F}' => {}
        other => out.push(other),
    }
}

/// Lower-cases and folds a text for matching (see the module documentation).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        fold_char(c, &mut out);
    }
    out
}

/// The words of a text: maximal runs of letters and digits (combining marks stay with their
/// letter), each cut to 64 characters.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c)))
        .filter(|w| !w.is_empty())
        .map(|w| match w.char_indices().nth(MAX_WORD_CHARS) {
            Some((cut, _)) => &w[..cut],
            None => w,
        })
}

fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// Letters of Russian that the Tajik alphabet lacks: a word holding one is not Tajik, so Tajik
/// suffixes are not stripped from it. (Tajik does write э, as in "эътилоф".)
fn has_russian_only_letters(folded: &str) -> bool {
    folded.chars().any(|c| matches!(c, 'ы' | 'щ' | 'ь' | 'ц'))
}

/// Tajik suffix slots, outermost first (folded forms): the object marker -ро; then a personal
/// possessive or the izofat -и; then the plural -ҳо. Word = stem + plural + izofat/possessive + ро.
const TAJIK_SLOTS: [&[&str]; 3] = [&["ро"], &["ашон", "атон", "амон", "аш", "и"], &["хо"]];

/// Strips at most one suffix per slot, keeping at least three letters of stem.
fn strip_tajik(folded: &str) -> &str {
    if has_russian_only_letters(folded) {
        return folded;
    }
    let mut word = folded;
    for slot in TAJIK_SLOTS {
        if let Some(stem) =
            slot.iter().find_map(|s| word.strip_suffix(s)).filter(|st| st.chars().count() >= 3)
        {
            word = stem;
        }
    }
    word
}

/// The index term of one word: folded, then (Cyrillic) Tajik suffixes stripped and the Russian
/// stemmer applied, or (Latin) the English stemmer; numbers stay as they are.
pub fn term(word: &str) -> String {
    let folded = fold(word);
    if is_cyrillic(&folded) {
        RUSSIAN.stem(strip_tajik(&folded)).into_owned()
    } else if folded.chars().any(char::is_alphabetic) {
        ENGLISH.stem(&folded).into_owned()
    } else {
        folded
    }
}

/// The index terms of a text, in order (duplicates kept: ranking counts them).
pub fn terms(text: &str) -> Vec<String> {
    words(text).map(term).filter(|t| !t.is_empty()).collect()
}

/// The SQLite FTS5 expression for a query: every index term quoted (so no user input is ever
/// parsed as query syntax), all of them required. `None` when the query has no searchable word.
pub fn match_expression(text: &str) -> Option<String> {
    let mut terms = terms(text);
    terms.sort_unstable();
    terms.dedup();
    if terms.is_empty() {
        return None;
    }
    Some(terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" "))
}

/// Appends the skeleton class of a Latin or Cyrillic letter: `Some('a')` for vowels, the consonant
/// class otherwise, `None` for letters that carry no sound of their own (ъ, ь) or are not letters.
fn class(c: char) -> Option<char> {
    Some(match c {
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'а' | 'е' | 'ё' | 'и' | 'ӣ' | 'й' | 'о' | 'у' | 'ӯ' | 'ы'
        | 'э' | 'ю' | 'я' => 'a',
        'b' | 'б' => 'b',
        'v' | 'w' | 'в' => 'v',
        'g' | 'h' | 'x' | 'г' | 'ғ' | 'ҳ' | 'х' => 'h',
        'd' | 'д' => 'd',
        'j' | 'ж' | 'ҷ' | 'ч' => 'j',
        'z' | 'з' => 'z',
        'k' | 'q' | 'c' | 'к' | 'қ' => 'k',
        'l' | 'л' => 'l',
        'm' | 'м' => 'm',
        'n' | 'н' => 'n',
        'p' | 'п' => 'p',
        'r' | 'р' => 'r',
        's' | 'с' | 'ш' | 'щ' | 'ц' => 's',
        't' | 'т' => 't',
        'f' | 'ф' => 'f',
        _ => return None,
    })
}

/// Latin digraphs (and the Russian "дж") that stand for one sound, rewritten before classing.
fn rewrite_digraphs(word: &str) -> String {
    word.replace("dzh", "j")
        .replace("dj", "j")
        .replace("zh", "j")
        .replace("ch", "j")
        .replace("sh", "s")
        .replace("kh", "h")
        .replace("gh", "h")
        .replace("ts", "s")
        .replace("дж", "ж")
}

/// A transliteration skeleton of one name word: the consonant classes in order, repeated classes
/// merged, vowels dropped except a leading one (kept as `a`). "Иброҳимов", "Ибрагимов",
/// "Ibragimov" and "Ibrohimov" all give `abrhmv`. Empty for a word without letters.
pub fn name_key(word: &str) -> String {
    let lower =
        rewrite_digraphs(&word.to_lowercase().replace(|c: char| ('\u{0300}'..='\u{036F}').contains(&c), ""));
    let mut key = String::new();
    let mut last: Option<char> = None;
    for (i, c) in lower.chars().filter_map(class).enumerate() {
        if c == 'a' && i > 0 {
            last = Some('a');
            continue;
        }
        if last != Some(c) {
            key.push(c);
        }
        last = Some(c);
    }
    key
}

/// The skeletons of every word of a full name (empty ones left out).
pub fn name_keys(name: &str) -> Vec<String> {
    words(name).map(name_key).filter(|k| !k.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_query_becomes_quoted_terms_or_nothing() {
        assert_eq!(match_expression("Избиения в ИВС").as_deref(), Some("\"в\" \"ивс\" \"избиен\""));
        for hostile in
            ["\"", "*", "NEAR(a b)", "a OR b", "-x", "col:term", "^start", "(((", "'; DROP TABLE cases; --"]
        {
            let expr = match_expression(hostile).unwrap_or_default();
            assert!(
                expr.split(' ').all(|t| t.is_empty() || (t.starts_with('"') && t.ends_with('"'))),
                "{hostile} -> {expr}"
            );
        }
        assert_eq!(match_expression("  \"*: () "), None);
    }

    #[test]
    fn folding_makes_tajik_match_what_people_type() {
        assert_eq!(fold("ҲУҚУҚИ"), "хукуки");
        assert_eq!(fold("Ёқубҷон Ғаффорӣ"), "екубчон гаффори");
        assert_eq!(fold("Кӯҳ"), fold("Ку\u{0304}х"), "a combining macron is the same as ӯ");
        assert_eq!(terms("ҳуқуқи инсон"), terms("хукуки инсон"));
    }

    #[test]
    fn russian_word_forms_meet() {
        assert_eq!(term("избиения"), term("избиение"));
        assert_eq!(term("избиении"), term("избиение"));
        assert_eq!(term("пытки"), term("пыткам"));
        assert_eq!(term("задержанного"), term("задержанный"));
        assert_eq!(term("ЁЛКА"), term("елки"));
        assert_ne!(term("закон"), term("зона"));
    }

    #[test]
    fn tajik_word_forms_meet() {
        assert_eq!(term("шиканҷаҳо"), term("шиканҷа"));
        assert_eq!(term("шиканҷаи"), term("шиканҷа"));
        assert_eq!(term("писарашро"), term("писар"));
        assert_eq!(term("ҳуқуқҳои"), term("ҳуқуқ"));
        assert_eq!(term("милисаҳо"), term("милиса"));
        assert_eq!(term("ҳуқуқҳои"), term("ҳуқуқи"));
        assert_eq!(term("пытки"), term("пытка"), "izofat stripping must not split Russian forms");
        // A Russian word keeps its ending: no Tajik stripping where Russian-only letters show.
        assert_ne!(term("объяснительную"), "объяснительную".to_owned());
    }

    #[test]
    fn english_and_numbers() {
        assert_eq!(term("Beatings"), term("beating"));
        assert_eq!(terms("TJ-2026-0042"), vec!["tj", "2026", "0042"]);
    }

    #[test]
    fn names_match_across_tajik_russian_and_latin_spellings() {
        let k = name_key("Иброҳимов");
        assert_eq!(k, "abrhmv");
        for variant in ["Ибрагимов", "Ibragimov", "Ibrohimov", "IBROHIMOV", "Ибро\u{0304}ҳимов"]
        {
            assert_eq!(name_key(variant), k, "{variant}");
        }
        for (a, b) in [
            ("Қурбонов", "Kurbanov"),
            ("Қурбонов", "Qurbonov"),
            ("Ҷалолов", "Джалолов"),
            ("Ҷалолов", "Jalolov"),
            ("Ҷалолов", "Dzhalolov"),
            ("Шарипова", "Sharipova"),
            ("Ғаффоров", "Gafforov"),
            ("Ҳасанов", "Khasanov"),
            ("Ҳасанов", "Hasanov"),
            ("Умаров", "Umarov"),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} ~ {b}");
        }
        assert_ne!(name_key("Умаров"), name_key("Каримов"));
        assert_eq!(name_keys("Сомон  Қурбонзода, 1990"), vec!["smn", "krbnzd"]);
    }

    #[test]
    fn hostile_input_is_harmless() {
        assert!(terms("").is_empty());
        assert!(terms("\"*:^()-- OR NEAR/3 \u{0}").iter().all(|t| t.chars().all(char::is_alphanumeric)));
        let long = "а".repeat(10_000);
        assert!(terms(&long)[0].chars().count() <= 64);
        assert_eq!(name_key("---"), "");
    }
}
