//! The UN recommendations to Tajikistan that ship with ozodi (`data/un-recommendations-tj.yaml`):
//! a first, partial set (CAT/C/TJK/CO/3 and its follow-up, the UPR) summarised in the coalition's
//! own words, with the documents they come from. Items marked `verified: false` were derived
//! indirectly and stay marked unverified until someone confirms them against the official text.
//!
//! The file speaks in its own terms (theme slugs, the names of State bodies); this reader turns
//! them into the vocabularies' codes with the tables below, and leaves anything else as written
//! for the import to report.

use ozodi_domain::monitoring::{ImportDocument, ImportItem, OwnFields};
use saphyr::{LoadableYamlNode, Yaml};

use crate::{ReadError, iso_day};

/// The shipped file.
pub const SHIPPED: &str = include_str!("../data/un-recommendations-tj.yaml");

/// The file's theme slugs and the `un_theme` terms they are.
const THEMES: &[(&str, &str)] = &[
    ("investigation", "INVEST"),
    ("penalties-and-amnesty", "DEF-SANCT"),
    ("safeguards", "SAFEGUARDS"),
    ("army", "ARMY"),
    ("human-rights-defenders-and-lawyers", "HRD"),
    ("impunity", "IMPUNITY"),
    ("redress", "REDRESS"),
    ("monitoring", "MONITOR"),
    ("other", "OTHER"),
];

/// The State bodies as the file names them and their `agency` terms (names that are also a
/// term's label need no entry).
const BODIES: &[(&str, &str)] = &[
    ("Government", "GOV"),
    ("Supreme Court", "COURTS"),
    ("Ministry of Health", "MoHSP"),
    ("Ministry of Defence", "MoD"),
    ("Ministry of Justice", "MoJ"),
];

/// Which mechanism a source's issuing body is (the file also lists sources that are not UN
/// documents, such as a State's statement or an NGO's page: those are left out).
fn mechanism_of(body: &str) -> Option<&'static str> {
    let body = body.to_lowercase();
    if body.contains("committee against torture") {
        Some("CAT")
    } else if body.contains("human rights committee") {
        Some("CCPR")
    } else if body.contains("universal periodic review") || body.contains("state under review") {
        Some("UPR")
    } else if body.contains("special rapporteur on torture") {
        Some("SR-TORTURE")
    } else if body.contains("special rapporteur") {
        Some("SP-OTHER")
    } else {
        None
    }
}

/// The kind of document, from its title.
fn doc_type_of(title: &str) -> &'static str {
    let title = title.to_lowercase();
    let table: &[(&str, &str)] = &[
        ("concluding observations", "CO"),
        ("list of issues", "LOI"),
        ("follow-up letter", "FU_LETTER"),
        ("information received from", "STATE_FU"),
        ("periodic report", "STATE_REPORT"),
        ("working group on the universal periodic review", "UPR_WG"),
        ("views on conclusions", "UPR_ADD"),
        ("report on the visit", "SR_MISSION"),
    ];
    table.iter().find(|(words, _)| title.contains(words)).map_or("OTHER", |(_, code)| code)
}

fn text(node: &Yaml<'_>, key: &str) -> String {
    match node.as_mapping_get(key) {
        Some(v) => v
            .as_str()
            .map(str::to_owned)
            .or_else(|| v.as_integer().map(|n| n.to_string()))
            .or_else(|| v.as_floating_point().map(|f| f.to_string()))
            .unwrap_or_default()
            .trim()
            .to_owned(),
        None => String::new(),
    }
}

fn list(node: &Yaml<'_>, key: &str) -> Vec<String> {
    node.as_mapping_get(key)
        .and_then(|v| v.as_vec())
        .map(|items| items.iter().filter_map(|i| i.as_str().map(|s| s.trim().to_owned())).collect())
        .unwrap_or_default()
}

fn flag(node: &Yaml<'_>, key: &str) -> bool {
    node.as_mapping_get(key).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Reads the shipped set: the UN documents, then the recommendations.
pub fn read() -> Result<(Vec<ImportDocument>, Vec<ImportItem>), ReadError> {
    read_str(SHIPPED)
}

/// Reads a file in the shipped set's shape.
pub fn read_str(source: &str) -> Result<(Vec<ImportDocument>, Vec<ImportItem>), ReadError> {
    let docs = Yaml::load_from_str(source).map_err(|e| ReadError::Shipped(e.to_string()))?;
    let root = docs.first().ok_or_else(|| ReadError::Shipped("empty".into()))?;
    let sources = root.as_mapping_get("sources").and_then(|s| s.as_vec()).map(Vec::as_slice).unwrap_or(&[]);
    let mut documents = Vec::new();
    // (mechanism, day) of each document, to attach items that have no symbol to the document of
    // their review.
    let mut by_day: Vec<(&'static str, time::Date, String)> = Vec::new();
    for source in sources {
        let Some(mechanism) = mechanism_of(&text(source, "body")) else { continue };
        let title = text(source, "title");
        let adopted = iso_day(&text(source, "adopted"));
        let issued = iso_day(&text(source, "issued")).or_else(|| iso_day(&text(source, "received")));
        if let Some(day) = adopted.or_else(|| iso_day(&text(source, "review_date"))) {
            by_day.push((mechanism, day, title.clone()));
        }
        documents.push(ImportDocument {
            doc_type: doc_type_of(&title).to_owned(),
            title,
            mechanism: mechanism.to_owned(),
            symbol: text(source, "symbol"),
            session: text(source, "session"),
            adopted,
            issued,
            read_status: text(source, "read_status"),
            notes: text(source, "notes"),
        });
    }
    let recommendations =
        root.as_mapping_get("recommendations").and_then(|s| s.as_vec()).map(Vec::as_slice).unwrap_or(&[]);
    let mut items = Vec::new();
    for (i, rec) in recommendations.iter().enumerate() {
        let mechanism = text(rec, "mechanism");
        let symbol = text(rec, "symbol");
        let date = iso_day(&text(rec, "date"));
        let document = if symbol.is_empty() {
            by_day
                .iter()
                .find(|(m, day, _)| *m == mechanism && Some(*day) == date)
                .map(|(_, _, title)| title.clone())
                .unwrap_or_default()
        } else {
            symbol.clone()
        };
        let themes = list(rec, "themes")
            .into_iter()
            .map(|t| {
                THEMES.iter().find(|(slug, _)| *slug == t).map_or(t.clone(), |(_, code)| (*code).to_owned())
            })
            .collect();
        let responsible_bodies = list(rec, "responsible_bodies")
            .into_iter()
            .map(|b| {
                BODIES.iter().find(|(name, _)| *name == b).map_or(b.clone(), |(_, code)| (*code).to_owned())
            })
            .collect();
        let paragraph = match text(rec, "sub_item") {
            sub if sub.is_empty() => text(rec, "paragraph"),
            sub => format!("{}({sub})", text(rec, "paragraph")),
        };
        items.push(ImportItem {
            position: i + 1,
            external_id: text(rec, "id"),
            mechanism,
            symbol,
            paragraph,
            date,
            recommending_state: text(rec, "recommending_state"),
            upr_position: text(rec, "response"),
            own: Some(OwnFields {
                summary_en: text(rec, "summary_en"),
                summary_ru: text(rec, "summary_ru"),
                themes,
                responsible_bodies,
                followup: flag(rec, "follow_up"),
                verified: flag(rec, "verified"),
                source_note: text(rec, "source_note"),
                document,
            }),
            ..ImportItem::default()
        });
    }
    Ok((documents, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_set_reads_with_its_documents_and_unverified_items_marked() {
        let (documents, items) = read().unwrap_or_default();
        // The UN documents only: the State's statement and the NGOs' pages are not.
        assert!(documents.iter().any(|d| d.symbol == "CAT/C/TJK/CO/3" && d.doc_type == "CO"));
        assert!(documents.iter().any(|d| d.symbol == "CAT/C/TJK/Q/4" && d.doc_type == "LOI"));
        assert!(documents.iter().all(|d| !d.title.contains("Australia") && !d.title.contains("IPHR")));
        assert_eq!(items.len(), 9);
        let para10 = items.iter().find(|i| i.external_id == "CAT-CO3-10").cloned().unwrap_or_default();
        assert_eq!((para10.mechanism.as_str(), para10.paragraph.as_str()), ("CAT", "10"));
        let own = para10.own.unwrap_or_default();
        assert!(own.followup && !own.verified);
        assert_eq!(own.themes, vec!["INVEST"]);
        assert_eq!(own.document, "CAT/C/TJK/CO/3");
        assert!(
            own.responsible_bodies.contains(&"MoIA".to_owned())
                || own.responsible_bodies.contains(&"Ministry of Internal Affairs".to_owned())
        );
        let upr = items.iter().find(|i| i.paragraph == "123.61").cloned().unwrap_or_default();
        assert_eq!(upr.recommending_state, "Armenia");
        assert_eq!(upr.upr_position, "supported");
        assert!(upr.symbol.is_empty());
        assert!(upr.own.unwrap_or_default().document.contains("third cycle"));
        assert!(items.iter().filter(|i| i.own.as_ref().is_some_and(|o| o.verified)).count() >= 2);
    }

    #[test]
    fn a_broken_file_is_an_error_not_a_panic() {
        assert!(matches!(read_str("sources: [\n"), Err(ReadError::Shipped(_))));
        assert_eq!(read_str("other: 1").map(|(d, i)| (d.len(), i.len())), Ok((0, 0)));
    }
}
