//! The export of the OHCHR Universal Human Rights Index: its spreadsheet download (XLSX) or its
//! JSON download, read into [`ImportItem`]s.
//!
//! Columns (or JSON keys) are matched by name, ignoring case, spaces and punctuation, with the
//! names the index has used over time (its spreadsheet still spells "Reccomending Body"). A list
//! in one cell is one value per line (or separated by semicolons), each with the index's leading
//! "- ". The index has no paragraph column: the paragraph number is read from the start of the
//! text ("49. The Committee recommends…", "123.45 Ensure that…") when no column gives it.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use ozodi_domain::monitoring::ImportItem;
use serde_json::Value as Json;

use crate::{MAX_ITEMS, ReadError, iso_day, serial_day};

/// The fields an export can give, and the names of the columns that give them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Id,
    Symbol,
    Paragraph,
    Text,
    TextRu,
    Body,
    Date,
    Themes,
    Affected,
    Sdgs,
    RecommendingState,
    Position,
    Countries,
}

const NAMES: &[(Column, &[&str])] = &[
    (Column::Id, &["ohchrannotationid", "annotationid", "uhriid", "id"]),
    (Column::Symbol, &["documentsymbol", "symbol"]),
    (Column::Paragraph, &["paragraph", "paragraphnumber", "para", "recommendationnumber"]),
    (Column::Text, &["text", "texten", "textenglish", "recommendation", "recommendationtext", "annotation"]),
    (Column::TextRu, &["textru", "textrussian"]),
    (Column::Body, &["reccomendingbody", "recommendingbody", "body", "mechanism"]),
    (Column::Date, &["documentpublicationdate", "publicationdate", "documentdate", "date"]),
    (Column::Themes, &["themes", "theme"]),
    (Column::Affected, &["affectedpersons", "affectedpersonsgroups", "concernedgroups", "groups"]),
    (Column::Sdgs, &["sdgs", "sdg", "sdgtargets"]),
    (
        Column::RecommendingState,
        &["uprreccomendingstates", "uprrecommendingstates", "recommendingstates", "recommendingstate"],
    ),
    (Column::Position, &["uprposition", "position"]),
    (Column::Countries, &["countriesconcerned", "countries", "country"]),
];

/// A column or key name as compared: lower case letters and digits only.
fn name_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn column_of(name: &str) -> Option<Column> {
    let key = name_key(name);
    NAMES.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(c, _)| *c)
}

/// One cell's value as the reader sees it.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Day(time::Date),
    List(Vec<String>),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Day(d) => d.to_string(),
            Cell::List(items) => items.join("; "),
        }
    }

    /// The values of a list cell: one per line or semicolon, without the index's "- ".
    fn list(&self) -> Vec<String> {
        let raw: Vec<String> = match self {
            Cell::List(items) => items.clone(),
            other => other.text().split(['\n', ';']).map(str::to_owned).collect(),
        };
        raw.iter()
            .map(|v| v.trim().trim_start_matches(['-', '•', '–']).trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    fn day(&self) -> Option<time::Date> {
        match self {
            Cell::Day(d) => Some(*d),
            Cell::Text(t) => iso_day(t).or_else(|| t.trim().parse::<f64>().ok().and_then(serial_day)),
            Cell::List(_) => None,
        }
    }
}

/// One row: the cells of the columns that were recognised.
type Row = Vec<(Column, Cell)>;

fn get(row: &Row, column: Column) -> Option<&Cell> {
    row.iter().find(|(c, _)| *c == column).map(|(_, v)| v)
}

/// Reads an export: a spreadsheet (by its signature) or JSON.
pub fn read(bytes: &[u8]) -> Result<Vec<ImportItem>, ReadError> {
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(bytes)?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotRecognised)?;
        let text = text.trim_start_matches('\u{feff}').trim_start();
        if !(text.starts_with('[') || text.starts_with('{')) {
            return Err(ReadError::NotRecognised);
        }
        json_rows(text)?
    };
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(rows.into_iter().map(|(position, row)| item(position, &row)).collect())
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<(usize, Row)>, ReadError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(ReadError::Spreadsheet(e.to_string())),
        None => return Err(ReadError::Empty),
    };
    let mut rows = range.rows();
    let Some(header) = rows.next() else { return Err(ReadError::Empty) };
    let columns: Vec<Option<Column>> = header
        .iter()
        .map(|cell| match cell {
            Data::String(name) => column_of(name),
            _ => None,
        })
        .collect();
    check_columns(columns.iter().flatten().copied())?;
    let mut out = Vec::new();
    for (i, cells) in rows.enumerate() {
        if out.len() >= MAX_ITEMS {
            return Err(ReadError::TooMany(MAX_ITEMS));
        }
        let mut row = Row::new();
        for (column, cell) in columns.iter().zip(cells) {
            let Some(column) = column else { continue };
            let value = match cell {
                Data::Empty | Data::Error(_) => continue,
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Int(n) => Cell::Text(n.to_string()),
                Data::Float(f) if *column == Column::Date => match serial_day(*f) {
                    Some(day) => Cell::Day(day),
                    None => continue,
                },
                Data::Float(f) => Cell::Text(f.to_string()),
                Data::Bool(b) => Cell::Text(b.to_string()),
                Data::DateTime(dt) => match serial_day(dt.as_f64()) {
                    Some(day) => Cell::Day(day),
                    None => continue,
                },
            };
            row.push((*column, value));
        }
        if !row.is_empty() {
            // Spreadsheet rows are counted from 1, the header being row 1.
            out.push((i + 2, row));
        }
    }
    Ok(out)
}

fn json_rows(text: &str) -> Result<Vec<(usize, Row)>, ReadError> {
    let json: Json = serde_json::from_str(text).map_err(|e| ReadError::Json(e.to_string()))?;
    // A list of records, or an object holding one under a usual key.
    let records = match &json {
        Json::Array(items) => items,
        Json::Object(map) => ["data", "records", "results", "items", "annotations"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Json::as_array))
            .ok_or_else(|| ReadError::Json("no list of records".into()))?,
        _ => return Err(ReadError::Json("no list of records".into())),
    };
    if records.is_empty() {
        return Err(ReadError::Empty);
    }
    if records.len() > MAX_ITEMS {
        return Err(ReadError::TooMany(MAX_ITEMS));
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let Some(map) = record.as_object() else {
            return Err(ReadError::Json(format!("item {} is not an object", i + 1)));
        };
        let mut row = Row::new();
        for (key, value) in map {
            let Some(column) = column_of(key) else { continue };
            if row.iter().any(|(c, _)| *c == column) {
                continue;
            }
            let cell = match value {
                Json::String(s) => Cell::Text(s.clone()),
                Json::Number(n) if column == Column::Date => match n.as_f64().and_then(serial_day) {
                    Some(day) => Cell::Day(day),
                    None => continue,
                },
                Json::Number(n) => Cell::Text(n.to_string()),
                Json::Bool(b) => Cell::Text(b.to_string()),
                Json::Array(items) => Cell::List(
                    items
                        .iter()
                        .filter_map(|v| match v {
                            Json::String(s) => Some(s.clone()),
                            Json::Number(n) => Some(n.to_string()),
                            // The index sometimes gives a list of {"name": …} objects.
                            Json::Object(o) => ["name", "label", "title", "value"]
                                .iter()
                                .find_map(|k| o.get(*k).and_then(Json::as_str).map(str::to_owned)),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => continue,
            };
            seen.push(column);
            row.push((column, cell));
        }
        out.push((i + 1, row));
    }
    check_columns(seen.into_iter())?;
    Ok(out)
}

/// An export names at least the text, the symbol or the body; otherwise it is some other file.
fn check_columns(mut columns: impl Iterator<Item = Column>) -> Result<(), ReadError> {
    if columns.any(|c| matches!(c, Column::Text | Column::Symbol | Column::Body)) {
        Ok(())
    } else {
        Err(ReadError::NoColumns)
    }
}

fn item(position: usize, row: &Row) -> ImportItem {
    let text = |c: Column| get(row, c).map(Cell::text).unwrap_or_default();
    let list = |c: Column| get(row, c).map(Cell::list).unwrap_or_default();
    let text_en = text(Column::Text);
    let paragraph = match get(row, Column::Paragraph) {
        Some(cell) => cell.text(),
        None => paragraph_in(&text_en).unwrap_or_default(),
    };
    // The body cell can name several (a special procedure and "Special Procedures"): the first.
    let mechanism = list(Column::Body).into_iter().next().unwrap_or_default();
    ImportItem {
        position,
        external_id: text(Column::Id),
        mechanism,
        symbol: text(Column::Symbol),
        paragraph,
        date: get(row, Column::Date).and_then(Cell::day),
        text_en,
        text_ru: text(Column::TextRu),
        uhri_themes: list(Column::Themes),
        affected_persons: list(Column::Affected),
        recommending_state: list(Column::RecommendingState).join(", "),
        upr_position: list(Column::Position).into_iter().next().unwrap_or_default(),
        sdg_targets: list(Column::Sdgs),
        countries: list(Column::Countries),
        own: None,
    }
}

/// The paragraph number at the start of a recommendation's text, after an optional heading:
/// "49. The Committee…" → 49, "Rural women 49.The Committee…" → 49, "123.45 Ensure…" → 123.45,
/// "18 (c) Ensure…" → 18(c). Only the first 200 characters are looked at.
pub fn paragraph_in(text: &str) -> Option<String> {
    let head: Vec<char> = text.chars().take(200).collect();
    let mut i = 0;
    while i < head.len() {
        let at_word_start = i == 0 || !head[i - 1].is_alphanumeric();
        if !(head[i].is_ascii_digit() && at_word_start) {
            i += 1;
            continue;
        }
        let start = i;
        while i < head.len() && head[i].is_ascii_digit() {
            i += 1;
        }
        let mut number: String = head[start..i].iter().collect();
        // A second level (a UPR number, 123.45).
        if i + 1 < head.len() && head[i] == '.' && head[i + 1].is_ascii_digit() {
            let dot = i;
            i += 1;
            while i < head.len() && head[i].is_ascii_digit() {
                i += 1;
            }
            number.extend(&head[dot..i]);
        }
        // A lettered sub-paragraph: "18 (c)" or "18(c)".
        let mut j = i;
        while j < head.len() && head[j] == ' ' {
            j += 1;
        }
        if j + 2 < head.len() && head[j] == '(' && head[j + 1].is_ascii_lowercase() && head[j + 2] == ')' {
            number.push('(');
            number.push(head[j + 1]);
            number.push(')');
            i = j + 3;
        }
        // What follows a paragraph number: a full stop, or a space, then a capital (or an
        // opening bracket) starting the sentence.
        let mut k = i;
        if k < head.len() && head[k] == '.' {
            k += 1;
        }
        while k < head.len() && head[k] == ' ' {
            k += 1;
        }
        let separated = k > i;
        if separated && k < head.len() && (head[k].is_uppercase() || head[k] == '(' || head[k] == '"') {
            return Some(number);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraph_is_read_from_the_start_of_the_text() {
        assert_eq!(paragraph_in("49. The Committee recommends").as_deref(), Some("49"));
        assert_eq!(paragraph_in("Rural women 49.The Committee notes").as_deref(), Some("49"));
        assert_eq!(paragraph_in("123.45 Ensure that torture").as_deref(), Some("123.45"));
        assert_eq!(paragraph_in("18 (c) Ensure that detainees").as_deref(), Some("18(c)"));
        assert_eq!(paragraph_in("Torture 10. The State party should").as_deref(), Some("10"));
        assert_eq!(paragraph_in("The State party should ensure 2 things"), None);
        assert_eq!(paragraph_in("In 2018 the Committee"), None);
        assert_eq!(paragraph_in(""), None);
    }

    #[test]
    fn columns_match_whatever_the_case_spacing_and_the_index_s_spelling() {
        assert_eq!(column_of("Reccomending Body"), Some(Column::Body));
        assert_eq!(column_of("recommending_body"), Some(Column::Body));
        assert_eq!(column_of("OHCHR Annotation Id"), Some(Column::Id));
        assert_eq!(column_of("UPR Reccomending States"), Some(Column::RecommendingState));
        assert_eq!(column_of("Affected Persons"), Some(Column::Affected));
        assert_eq!(column_of("Colour"), None);
    }

    #[test]
    fn json_lists_and_strings_both_give_values_without_the_leading_dash() {
        let json = br#"[{"AnnotationId": "a1", "Symbol": "CAT/C/TJK/CO/3", "Body": "- CAT",
            "Text": "10. The State party should", "Themes": ["- Torture and CIDT", "Impunity"],
            "Affected Persons": "- Persons deprived of their liberty\n- Children",
            "PublicationDate": "2018-06-18T00:00:00", "Countries": ["Tajikistan"]}]"#;
        let items = read(json).unwrap_or_default();
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item.mechanism, "CAT");
        assert_eq!(item.paragraph, "10");
        assert_eq!(item.uhri_themes, vec!["Torture and CIDT", "Impunity"]);
        assert_eq!(item.affected_persons, vec!["Persons deprived of their liberty", "Children"]);
        assert_eq!(item.date, Some(time::macros::date!(2018 - 06 - 18)));
        assert_eq!(item.countries, vec!["Tajikistan"]);
        assert_eq!(item.position, 1);
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        assert_eq!(read(b"name,phone\nA,1"), Err(ReadError::NotRecognised));
        assert_eq!(read(b"[{\"colour\": \"red\"}]"), Err(ReadError::NoColumns));
        assert!(matches!(read(b"[{\"Text\": "), Err(ReadError::Json(_))));
        assert_eq!(read(b"[]"), Err(ReadError::Empty));
        assert!(matches!(read(b"PK\x03\x04 not really a zip"), Err(ReadError::Spreadsheet(_))));
        assert_eq!(read(b"{\"Text\": 1}"), Err(ReadError::Json("no list of records".into())));
    }
}
