//! Controlled vocabularies (DOMAIN.md section 4): HURIDOCS micro-thesauri subsets and the
//! coalition's local `TJ.*` lists, stored as data, not enums. The shipped lists live in
//! `data/vocabularies/*.toml` and are embedded in the binary; the store loads them at first start
//! and on upgrade, and administrators may add, relabel and deprecate terms (never delete one).
//!
//! HURIDOCS codes are hierarchical, two digits per level (`03` > `0301` > `030101`); local codes
//! name their parent explicitly.

use std::collections::HashSet;

use serde::Deserialize;

include!(concat!(env!("OUT_DIR"), "/shipped_vocabularies.rs"));

/// A label in the three interface languages.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// English.
    pub en: String,
    /// Russian.
    pub ru: String,
    /// Tajik.
    pub tg: String,
}

impl Labels {
    /// The label in a language given by code (`ru`, `tg`, `en`); Russian for anything else.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "en" => &self.en,
            "tg" => &self.tg,
            _ => &self.ru,
        }
    }
}

/// One term of a list.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The code (HURIDOCS digits or a local `TJ.*` code).
    pub code: String,
    /// The parent term's code, for terms below the top level.
    #[serde(default)]
    pub parent: Option<String>,
    /// The labels.
    pub labels: Labels,
}

/// Where a list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A HURIDOCS micro-thesaurus (codes kept unchanged).
    Huridocs,
    /// A list of the coalition's own.
    Local,
}

/// A vocabulary list as shipped.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct List {
    /// The list id (`MT04`, `agency`, …).
    pub list: String,
    /// HURIDOCS or local.
    pub source: Source,
    /// The list's name.
    pub name: Labels,
    /// The terms, in display order.
    #[serde(rename = "term")]
    pub terms: Vec<Term>,
}

/// Why a vocabulary file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VocabError {
    /// Not valid TOML of the expected shape.
    #[error("{file}: {reason}")]
    Parse {
        /// The file.
        file: String,
        /// What the parser said.
        reason: String,
    },
    /// A structural problem (duplicate code, missing parent, empty label).
    #[error("{file}: {reason}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

fn check_labels(labels: &Labels) -> bool {
    [&labels.en, &labels.ru, &labels.tg].iter().all(|l| !l.trim().is_empty())
}

impl List {
    /// Parses and checks one file: codes unique, every parent present (and listed before its
    /// children), every label non-empty.
    pub fn parse(file: &str, text: &str) -> Result<List, VocabError> {
        let list: List = toml::from_str(text)
            .map_err(|e| VocabError::Parse { file: file.to_owned(), reason: e.to_string() })?;
        let invalid = |reason: String| VocabError::Invalid { file: file.to_owned(), reason };
        if list.list.trim().is_empty() || !check_labels(&list.name) {
            return Err(invalid("the list id and its name in ru, tg and en are required".into()));
        }
        let mut seen = HashSet::new();
        for term in &list.terms {
            if term.code.trim().is_empty() || !check_labels(&term.labels) {
                return Err(invalid(format!(
                    "term {:?} needs a code and labels in ru, tg and en",
                    term.code
                )));
            }
            if let Some(parent) = &term.parent
                && !seen.contains(parent.as_str())
            {
                return Err(invalid(format!(
                    "term {} names parent {parent}, which is not listed before it",
                    term.code
                )));
            }
            if !seen.insert(term.code.as_str()) {
                return Err(invalid(format!("term {} appears twice", term.code)));
            }
        }
        Ok(list)
    }

    /// A term by code.
    pub fn term(&self, code: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.code == code)
    }
}

/// Every shipped list, parsed. A broken shipped file is a build defect: the test suite checks them
/// all, and at run time a broken one is reported and skipped rather than stopping the server.
pub fn shipped() -> Vec<Result<List, VocabError>> {
    SHIPPED_FILES.iter().map(|(file, text)| List::parse(file, text)).collect()
}

/// Checks a code an administrator gives a new term. Local terms live in the `TJ.` namespace so they
/// can never collide with (or reuse) a HURIDOCS code (DOMAIN.md 4.0): `TJ.` followed by 1-40
/// characters of `A-Z 0-9 . _ -`.
pub fn parse_local_code(input: &str) -> Option<String> {
    let code = input.trim().to_ascii_uppercase();
    let rest = code.strip_prefix("TJ.")?;
    let ok = (1..=40).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && !rest.starts_with('.')
        && !rest.ends_with('.');
    ok.then_some(code)
}

/// Whether HURIDOCS code `code` lies under `ancestor` (a prefix test on the two-digit levels).
pub fn is_descendant(code: &str, ancestor: &str) -> bool {
    code.len() > ancestor.len()
        && code.starts_with(ancestor)
        && (code.len() - ancestor.len()).is_multiple_of(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
list = "MT04"
source = "huridocs"
[name]
en = "Types of acts"
ru = "Типы действий"
tg = "Намудҳои амал"

[[term]]
code = "0201"
labels = { en = "Physical", ru = "Физическое", tg = "Ҷисмонӣ" }

[[term]]
code = "020101"
parent = "0201"
labels = { en = "Physical assault", ru = "Физическое нападение", tg = "Ҳамлаи ҷисмонӣ" }
"#;

    #[test]
    fn a_valid_list_parses() -> Result<(), VocabError> {
        let list = List::parse("sample.toml", SAMPLE)?;
        assert_eq!(list.source, Source::Huridocs);
        assert_eq!(list.term("020101").map(|t| t.labels.get("tg")), Some("Ҳамлаи ҷисмонӣ"));
        Ok(())
    }

    #[test]
    fn structural_errors_are_refused() {
        let orphan = SAMPLE.replace("parent = \"0201\"", "parent = \"0999\"");
        assert!(matches!(List::parse("x", &orphan), Err(VocabError::Invalid { .. })));
        let duplicate = SAMPLE.replace("code = \"020101\"", "code = \"0201\"");
        assert!(matches!(List::parse("x", &duplicate), Err(VocabError::Invalid { .. })));
        let no_tajik = SAMPLE.replace("tg = \"Ҷисмонӣ\"", "tg = \"\"");
        assert!(matches!(List::parse("x", &no_tajik), Err(VocabError::Invalid { .. })));
        assert!(matches!(List::parse("x", "list = ["), Err(VocabError::Parse { .. })));
    }

    #[test]
    fn every_shipped_list_is_valid_and_tajik_is_tajik() {
        let lists: Vec<List> = shipped().into_iter().map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect();
        assert!(lists.len() >= 10, "only {} shipped lists", lists.len());
        let mut ids = HashSet::new();
        for list in &lists {
            assert!(ids.insert(list.list.clone()), "list {} shipped twice", list.list);
            let tajik = list.terms.iter().map(|t| t.labels.tg.as_str()).collect::<String>();
            assert!(
                tajik.chars().any(|c| "ғӣқӯҳҷҒӢҚӮҲҶ".contains(c)),
                "{}: no Tajik letters in tg labels",
                list.list
            );
        }
        let acts = lists.iter().find(|l| l.list == "MT04").unwrap_or_else(|| panic!("MT04 missing"));
        assert!(acts.term("02011111").is_some(), "torture (02011111) must be in MT04");
    }

    #[test]
    fn administrators_add_only_namespaced_local_codes() {
        assert_eq!(parse_local_code(" tj.act.hazing2 ").as_deref(), Some("TJ.ACT.HAZING2"));
        for bad in
            ["020101", "TJ.", "TJ..X", "TJ.X.", "TJ.Х", "TJ.a b", "MT04.X", &format!("TJ.{}", "A".repeat(41))]
        {
            assert_eq!(parse_local_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn huridocs_hierarchy_is_a_prefix_test() {
        assert!(is_descendant("030101", "03"));
        assert!(is_descendant("030101", "0301"));
        assert!(!is_descendant("0301", "0301"));
        assert!(!is_descendant("0310", "031"));
        assert!(!is_descendant("0401", "03"));
    }
}
