//! The catalogues are complete: every message exists in ru, tg and en, every file parses, and the
//! Tajik catalogue is Tajik (it uses the letters Russian lacks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
use fluent_syntax::parser;
use ozodi_i18n::{LOCALES_DIR, Lang};

fn catalogue(lang: Lang) -> BTreeMap<String, String> {
    let dir = Path::new(LOCALES_DIR).join(lang.code());
    let mut messages = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .ftl files in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let resource = parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", path.display()));
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let id = m.id.name.to_owned();
                assert!(!messages.contains_key(&id), "{id} is defined twice in {}", lang.code());
                let mut flat = String::new();
                if let Some(value) = &m.value {
                    for element in &value.elements {
                        match element {
                            PatternElement::TextElement { value } => flat.push_str(value),
                            PatternElement::Placeable { expression } => {
                                if let Expression::Select { .. } = expression {
                                    flat.push_str("{select}");
                                }
                                if let Expression::Inline(InlineExpression::VariableReference { id }) =
                                    expression
                                {
                                    flat.push_str(&format!("{{${}}}", id.name));
                                }
                            }
                        }
                    }
                }
                messages.insert(id, flat);
            }
        }
    }
    messages
}

#[test]
fn every_message_exists_in_every_language() {
    let catalogues: Vec<(Lang, BTreeMap<String, String>)> =
        Lang::ALL.iter().map(|l| (*l, catalogue(*l))).collect();
    let all: BTreeSet<&String> = catalogues.iter().flat_map(|(_, c)| c.keys()).collect();
    let mut missing = Vec::new();
    for (lang, c) in &catalogues {
        for key in &all {
            if !c.contains_key(*key) {
                missing.push(format!("{}: {key}", lang.code()));
            }
            if c.get(*key).is_some_and(|v| v.trim().is_empty()) {
                missing.push(format!("{}: {key} is empty", lang.code()));
            }
        }
    }
    assert!(missing.is_empty(), "missing or empty messages:\n{}", missing.join("\n"));
    assert!(all.len() > 100, "suspiciously few messages: {}", all.len());
}

#[test]
fn messages_use_the_same_variables_in_every_language() {
    let en = catalogue(Lang::En);
    for lang in [Lang::Ru, Lang::Tg] {
        let other = catalogue(lang);
        for (key, text) in &en {
            let vars = |s: &str| {
                s.match_indices("{$")
                    .map(|(i, _)| s[i..].split('}').next().unwrap_or("").to_owned())
                    .collect::<BTreeSet<_>>()
            };
            if let Some(o) = other.get(key) {
                assert_eq!(vars(text), vars(o), "{key} uses different variables in {}", lang.code());
            }
        }
    }
}

#[test]
fn tajik_is_written_in_tajik() {
    let tg: String = catalogue(Lang::Tg).into_values().collect();
    let tajik_letters = tg.chars().filter(|c| "ғӣқӯҳҷҒӢҚӮҲҶ".contains(*c)).count();
    assert!(tajik_letters > 100, "the tg catalogue has only {tajik_letters} Tajik-specific letters");
    // Letters of Russian that the Tajik alphabet lacks (щ, ы, ь, ц) occur only in loanwords.
    let russian_only = tg.chars().filter(|c| "щыьцЩЫЬЦ".contains(*c)).count();
    assert!(russian_only < 5, "the tg catalogue looks Russian ({russian_only} Russian-only letters)");
}

#[test]
fn lookups_resolve_in_each_language() {
    assert_eq!(Lang::En.t("login-title"), "Log in");
    assert_eq!(Lang::Ru.t("login-title"), "Вход");
    assert_eq!(Lang::Tg.t("login-title"), "Воридшавӣ");
    assert_eq!(Lang::Tg.t_args("dashboard-welcome", &[("name", "Ҷамшед")]), "Хуш омадед, Ҷамшед.");
    for lang in Lang::ALL {
        assert!(lang.has("login-title"));
        assert!(!lang.has("no-such-message"));
    }
}
