//! The index of a folder of publications made before ozodi (the old website's articles, reports
//! and press releases), read for migration into the publications library.
//!
//! The index is a table with one row per publication: `index.csv`, or `index.yaml` / `index.yml`
//! holding a list of mappings. Its columns (or keys) are matched by name, trimmed and ignoring
//! case, with these names:
//!
//! | field | names | value |
//! |---|---|---|
//! | title | `title` | required |
//! | date | `date` | `2024-03-12`, `2024-03`, `2024`, `12.03.2024`, `03.2024` |
//! | kind | `kind`, `type` | a code (`ANNUAL_REPORT`) or a name in English, Russian or Tajik |
//! | language | `language`, `lang` | `ru`, `tg`, `en` or the language's name |
//! | tags | `tags`, `tag` | separated by `;` or `,` (in YAML also a list) |
//! | file | `file`, `path` | the publication's text, relative to the folder |
//! | summary | `summary` | optional |
//! | authors | `authors`, `author` | optional, as tags |
//! | group | `translation`, `group` | optional: rows sharing it are language versions of one publication |
//! | key | `id` | optional stable key; the file's path when absent |
//!
//! The file is Markdown (`.md`, `.markdown`, `.txt`) or HTML (`.html`, `.htm`, converted to
//! Markdown by [`html_to_markdown`]), in UTF-8. A CSV index may separate its fields by commas,
//! semicolons (as a spreadsheet set to Russian saves it) or tabs: the header line tells which.
//!
//! Each row gives an [`Outcome`]: the publication, or why that row was not taken. Only a file that
//! is no index at all (or an empty or oversized one) is a [`ReadError`]. Nothing here touches the
//! disk: the caller passes the index's bytes and a function that reads a file by its relative
//! path, which is called only for paths that passed [`safe_path`].

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::LazyLock;

use htmd::options::{BulletListMarker, HrStyle, Options};
use htmd::{HtmlToMarkdown, Node};
use ozodi_domain::dates::PartialDate;
use saphyr::{LoadableYamlNode, Yaml};

use crate::{MAX_ITEMS, ReadError};

/// The largest publication file taken (5 MB).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The deepest nesting of HTML elements converted. Real pages stay far below it (a page exported
/// from a word processor nests a few dozen deep); a deeper one is refused ([`Reason::TooDeep`]),
/// because the converter walks the tree recursively: at this depth it needs under 1 MB of stack
/// in a debug build, a quarter of that optimised.
pub const MAX_HTML_DEPTH: usize = 128;

/// The kinds of publication (the codes of the `publication_kind` vocabulary).
pub const KINDS: [&str; 11] = [
    "ARTICLE",
    "POLICY",
    "THEMATIC",
    "INTERVIEW",
    "PRESS_RELEASE",
    "ANNUAL_REPORT",
    "ALTERNATIVE_REPORT",
    "FOLLOW_UP",
    "MANUAL",
    "MEDIA",
    "CAMPAIGN",
];

/// The languages a publication can be in.
pub const LANGUAGES: [&str; 3] = ["ru", "tg", "en"];

/// Names of kinds as staff write them, besides the codes and the vocabulary's labels (compared
/// after [`normalise`]).
const KIND_NAMES: &[(&str, &str)] = &[
    ("article", "ARTICLE"),
    ("статья", "ARTICLE"),
    ("policy", "POLICY"),
    ("policy document", "POLICY"),
    ("программный документ", "POLICY"),
    ("analysis", "THEMATIC"),
    ("study", "THEMATIC"),
    ("thematic", "THEMATIC"),
    ("thematic report", "THEMATIC"),
    ("исследование", "THEMATIC"),
    ("анализ", "THEMATIC"),
    ("аналитика", "THEMATIC"),
    ("тематический доклад", "THEMATIC"),
    ("interview", "INTERVIEW"),
    ("интервью", "INTERVIEW"),
    ("press release", "PRESS_RELEASE"),
    ("пресс релиз", "PRESS_RELEASE"),
    ("annual report", "ANNUAL_REPORT"),
    ("ежегодный доклад", "ANNUAL_REPORT"),
    ("alternative report", "ALTERNATIVE_REPORT"),
    ("shadow report", "ALTERNATIVE_REPORT"),
    ("альтернативный доклад", "ALTERNATIVE_REPORT"),
    ("follow up", "FOLLOW_UP"),
    ("manual", "MANUAL"),
    ("пособие", "MANUAL"),
    ("media", "MEDIA"),
    ("campaign", "CAMPAIGN"),
    ("кампания", "CAMPAIGN"),
];

/// Names of languages as staff write them, besides the codes and the vocabulary's labels.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("russian", "ru"),
    ("русский", "ru"),
    ("рус", "ru"),
    ("rus", "ru"),
    ("tajik", "tg"),
    ("tojiki", "tg"),
    ("тоҷикӣ", "tg"),
    ("таджикский", "tg"),
    ("tj", "tg"),
    ("tgk", "tg"),
    ("english", "en"),
    ("английский", "en"),
    ("eng", "en"),
];

/// The labels (English, Russian, Tajik) of the shipped vocabulary list `list`, normalised, with
/// their codes.
fn vocabulary_labels(list: &str) -> Vec<(String, String)> {
    ozodi_domain::vocab::shipped()
        .into_iter()
        .flatten()
        .filter(|l| l.list == list)
        .flat_map(|l| l.terms)
        .flat_map(|t| {
            [t.labels.en, t.labels.ru, t.labels.tg].map(|label| (normalise(&label), t.code.clone()))
        })
        .collect()
}

static KIND_LABELS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| vocabulary_labels("publication_kind"));

static LANGUAGE_LABELS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| vocabulary_labels("language"));

/// A name as compared: lower case, `_` and `-` as spaces, runs of spaces as one.
fn normalise(name: &str) -> String {
    name.to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The kind's code for a code or a name (`press release`, `Пресс-релиз`, `Мақола`), any case.
pub fn kind_code(text: &str) -> Option<&'static str> {
    let name = normalise(text);
    if name.is_empty() {
        return None;
    }
    KINDS
        .into_iter()
        .find(|code| normalise(code) == name)
        .or_else(|| KIND_NAMES.iter().find(|(n, _)| *n == name).map(|(_, code)| *code))
        .or_else(|| {
            let code = KIND_LABELS.iter().find(|(label, _)| *label == name).map(|(_, c)| c)?;
            KINDS.into_iter().find(|k| k == code)
        })
}

/// The language's code for a code, a language tag (`ru-RU`) or a name (`русский`, `Тоҷикӣ`).
pub fn language_code(text: &str) -> Option<&'static str> {
    let name = normalise(text);
    let by_name = |name: &str| {
        LANGUAGES
            .into_iter()
            .find(|code| *code == name)
            .or_else(|| LANGUAGE_NAMES.iter().find(|(n, _)| *n == name).map(|(_, code)| *code))
            .or_else(|| {
                let code = LANGUAGE_LABELS.iter().find(|(label, _)| label == name).map(|(_, c)| c)?;
                LANGUAGES.into_iter().find(|l| l == code)
            })
    };
    by_name(&name).or_else(|| {
        // A language tag: `ru-RU` (normalised to `ru ru`), `tg-Cyrl`.
        let (primary, _) = name.split_once(' ')?;
        (primary.len() <= 3).then(|| by_name(primary)).flatten()
    })
}

/// A date as staff write it: `2024-03-12`, `2024-03`, `2024` (also with a time after the day),
/// or `12.03.2024`, `03.2024` (optionally followed by `г.`). What is left out is unknown.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    let text = text.strip_suffix("г.").or_else(|| text.strip_suffix('г')).unwrap_or(text).trim_end();
    // A time after an ISO day: `2024-03-12T10:00:00`, `2024-03-12 10:00`.
    let text = match text.split_once(['T', ' ']) {
        Some((day, _)) if day.len() == 10 && day.contains('-') => day,
        _ => text,
    };
    let digits = |part: &str, sizes: std::ops::RangeInclusive<usize>| {
        sizes.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = text.split(['-', '.']).collect();
    let (year, month, day) = if text.contains('.') {
        match parts.as_slice() {
            [d, m, y] if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) => (*y, *m, *d),
            [m, y] if digits(m, 1..=2) && digits(y, 4..=4) => (*y, *m, ""),
            _ => return None,
        }
    } else {
        match parts.as_slice() {
            [y] if digits(y, 4..=4) => (*y, "", ""),
            [y, m] if digits(y, 4..=4) && digits(m, 1..=2) => (*y, *m, ""),
            [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => (*y, *m, *d),
            _ => return None,
        }
    };
    PartialDate::from_fields(year, month, day, false).ok().flatten()
}

/// A file's path as the index gives it, if it is safe to read: relative, in `/`-separated parts,
/// none of them `..`, with no backslash, colon (a drive letter or a stream) or control character
/// (NUL included). `.` parts and repeated slashes are dropped: `./reports//a.md` is
/// `reports/a.md`.
pub fn safe_path(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty()
        || text.starts_with('/')
        || text.chars().any(|c| c == '\\' || c == ':' || c.is_control())
    {
        return None;
    }
    let mut parts = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The values of a list written in one cell: separated by `;`, `,` or line breaks, trimmed,
/// without empty ones or repeats (ignoring case; the first spelling is kept).
fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in text.split([';', ',', '\n']).map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o.to_lowercase() == value.to_lowercase()) {
            out.push(value.to_owned());
        }
    }
    out
}

/// One publication read from the index and its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Its row in the index, counted as [`Outcome::Failed`]'s.
    pub row: usize,
    /// The stable key: the `id` column, or the file's path when there is none.
    pub key: String,
    /// The title.
    pub title: String,
    /// The date, with what is known of it.
    pub date: PartialDate,
    /// The kind's code (one of [`KINDS`]).
    pub kind: String,
    /// The language's code (one of [`LANGUAGES`]).
    pub lang: String,
    /// The tags, as written.
    pub tags: Vec<String>,
    /// The authors, as written.
    pub authors: Vec<String>,
    /// The summary, if given.
    pub summary: Option<String>,
    /// The key shared by the language versions of one publication, if given.
    pub group: Option<String>,
    /// The file's path, relative to the folder, as [`safe_path`] gives it.
    pub file: String,
    /// The text as Markdown.
    pub body_markdown: String,
}

/// What became of one row of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The publication.
    Item(Item),
    /// The row was not taken.
    Failed {
        /// The row's number among the data rows, from 1 (in a CSV index, the first row after the
        /// header is 1; a spreadsheet shows it as its row 2).
        row: usize,
        /// The file as the row writes it, if it names one.
        file: Option<String>,
        /// Why.
        reason: Reason,
    },
}

/// Why a row of the index was not taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// No title.
    #[error("no title")]
    MissingTitle,
    /// No date, or not one of the forms taken.
    #[error("not a date: {0:?}")]
    BadDate(String),
    /// No kind, or not one known.
    #[error("not a kind of publication: {0:?}")]
    BadKind(String),
    /// No language, or not Russian, Tajik or English.
    #[error("not a language: {0:?}")]
    BadLanguage(String),
    /// No file named, or the file is not there.
    #[error("the file is missing")]
    MissingFile,
    /// The file's path leaves the folder or is otherwise unsafe (see [`safe_path`]).
    #[error("the file's path is not a safe relative path")]
    UnsafePath,
    /// The file could not be read (the system's reason, for the log).
    #[error("the file cannot be read: {0}")]
    UnreadableFile(String),
    /// The file is not UTF-8 text.
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    /// Neither Markdown nor HTML, by its extension.
    #[error("not a Markdown or HTML file")]
    UnsupportedType,
    /// Nothing left once converted.
    #[error("the file has no text")]
    EmptyBody,
    /// An earlier row has the same key.
    #[error("the same key as row {first_row}")]
    DuplicateKey {
        /// The row that has the key.
        first_row: usize,
    },
    /// Larger than [`MAX_FILE_BYTES`].
    #[error("the file is larger than {MAX_FILE_BYTES} bytes")]
    TooLarge,
    /// HTML nested deeper than [`MAX_HTML_DEPTH`].
    #[error("the HTML is nested deeper than {MAX_HTML_DEPTH} elements")]
    TooDeep,
}

impl Reason {
    /// The translation key of the message shown to users.
    pub fn key(&self) -> &'static str {
        match self {
            Reason::MissingTitle => "site-import-missing-title",
            Reason::BadDate(_) => "site-import-bad-date",
            Reason::BadKind(_) => "site-import-bad-kind",
            Reason::BadLanguage(_) => "site-import-bad-language",
            Reason::MissingFile => "site-import-missing-file",
            Reason::UnsafePath => "site-import-unsafe-path",
            Reason::UnreadableFile(_) => "site-import-unreadable-file",
            Reason::NotUtf8 => "site-import-not-utf8",
            Reason::UnsupportedType => "site-import-unsupported-type",
            Reason::EmptyBody => "site-import-empty-body",
            Reason::DuplicateKey { .. } => "site-import-duplicate-key",
            Reason::TooLarge => "site-import-too-large",
            Reason::TooDeep => "site-import-too-deep",
        }
    }
}

/// The fields of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Id,
    Title,
    Date,
    Kind,
    Lang,
    Tags,
    File,
    Summary,
    Authors,
    Group,
}

const NAMES: &[(Field, &[&str])] = &[
    (Field::Id, &["id"]),
    (Field::Title, &["title"]),
    (Field::Date, &["date"]),
    (Field::Kind, &["kind", "type"]),
    (Field::Lang, &["language", "lang"]),
    (Field::Tags, &["tags", "tag"]),
    (Field::File, &["file", "path"]),
    (Field::Summary, &["summary"]),
    (Field::Authors, &["authors", "author"]),
    (Field::Group, &["translation", "group"]),
];

fn field_of(name: &str) -> Option<Field> {
    let name = name.trim_start_matches('\u{feff}').trim().to_lowercase();
    NAMES.iter().find(|(_, names)| names.contains(&name.as_str())).map(|(f, _)| *f)
}

/// A value of a row: a cell's text, or a YAML list.
#[derive(Clone, Debug)]
enum Value {
    Text(String),
    List(Vec<String>),
}

/// One data row: its number (from 1) and its recognised fields (the first of a repeated one).
#[derive(Debug)]
struct Row {
    number: usize,
    values: Vec<(Field, Value)>,
}

impl Row {
    fn text(&self, field: Field) -> String {
        match self.values.iter().find(|(f, _)| *f == field).map(|(_, v)| v) {
            Some(Value::Text(t)) => t.trim().to_owned(),
            Some(Value::List(items)) => items.join("; "),
            None => String::new(),
        }
    }

    fn list(&self, field: Field) -> Vec<String> {
        match self.values.iter().find(|(f, _)| *f == field).map(|(_, v)| v) {
            Some(Value::Text(t)) => split_list(t),
            // A YAML list is already split: its items are taken whole.
            Some(Value::List(items)) => {
                items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()).map(str::to_owned).collect()
            }
            None => Vec::new(),
        }
    }

    fn optional(&self, field: Field) -> Option<String> {
        Some(self.text(field)).filter(|t| !t.is_empty())
    }

    fn push(&mut self, field: Field, value: Value) {
        if !self.values.iter().any(|(f, _)| *f == field) {
            self.values.push((field, value));
        }
    }

    fn is_blank(&self) -> bool {
        self.values.iter().all(|(_, v)| match v {
            Value::Text(t) => t.trim().is_empty(),
            Value::List(items) => items.iter().all(|i| i.trim().is_empty()),
        })
    }
}

/// Reads an index named `file_name` (its extension tells CSV from YAML) with the bytes `bytes`,
/// reading each row's file with `read` (given the path as [`safe_path`] returns it; an error of
/// kind `NotFound` counts as a missing file).
///
/// Rows are numbered from 1 among the data rows, as a person counts them: in a CSV index the
/// header is not counted (the first data row is 1) and blank rows are counted but give no
/// outcome; in a YAML index the first item of the list is 1. Each row is checked in this order
/// and fails with the first reason found: a key repeated from an earlier row (the first row with
/// a key keeps it, whatever became of it), the file's path, the title, the date, the kind, the
/// language, the file's type, then the file itself.
pub fn read_index(
    file_name: &str,
    bytes: &[u8],
    mut read: impl FnMut(&str) -> Result<Vec<u8>, std::io::Error>,
) -> Result<Vec<Outcome>, ReadError> {
    let extension = extension(file_name).ok_or(ReadError::SiteIndexType)?;
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::SiteEncoding)?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let rows = match extension.as_str() {
        "csv" => csv_rows(text)?,
        "yaml" | "yml" => yaml_rows(text)?,
        _ => return Err(ReadError::SiteIndexType),
    };
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    let converter = converter();
    let mut keys = HashMap::new();
    Ok(rows.iter().map(|row| read_row(row, &mut keys, &mut read, &converter)).collect())
}

/// A file name's extension in lower case.
fn extension(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, extension) = base.rsplit_once('.')?;
    (!stem.is_empty()).then(|| extension.to_lowercase())
}

/// The data rows of a CSV index.
fn csv_rows(text: &str) -> Result<Vec<Row>, ReadError> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter(text)).flexible(true).from_reader(text.as_bytes());
    let fields: Vec<Option<Field>> =
        reader.headers().map_err(|e| ReadError::SiteIndex(e.to_string()))?.iter().map(field_of).collect();
    if !(fields.contains(&Some(Field::Title)) && fields.contains(&Some(Field::File))) {
        return Err(ReadError::SiteColumns);
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::SiteIndex(e.to_string()))?;
        let mut row = Row { number: i + 1, values: Vec::new() };
        for (field, cell) in fields.iter().zip(record.iter()) {
            if let Some(field) = field {
                row.push(*field, Value::Text(cell.to_owned()));
            }
        }
        if row.is_blank() {
            continue;
        }
        if rows.len() >= MAX_ITEMS {
            return Err(ReadError::TooMany(MAX_ITEMS));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The CSV index's delimiter: whichever of `,`, `;` and tab the header line has most of (commas
/// when none).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|d| (count(char::from(*d)), *d == b',')).unwrap_or(b',')
}

/// A YAML scalar as text (a date or number written bare is a number to YAML).
fn yaml_text(node: &Yaml<'_>) -> Option<String> {
    match node {
        Yaml::Tagged(_, inner) => yaml_text(inner),
        _ => node
            .as_str()
            .map(str::to_owned)
            .or_else(|| node.as_integer().map(|n| n.to_string()))
            .or_else(|| node.as_floating_point().map(|f| f.to_string()))
            .or_else(|| node.as_bool().map(|b| b.to_string())),
    }
}

/// The data rows of a YAML index: a list of mappings.
fn yaml_rows(text: &str) -> Result<Vec<Row>, ReadError> {
    let docs = Yaml::load_from_str(text).map_err(|e| ReadError::SiteIndex(e.to_string()))?;
    let Some(root) = docs.first() else { return Err(ReadError::Empty) };
    if root.is_null() {
        return Err(ReadError::Empty);
    }
    let items = root.as_vec().ok_or_else(|| ReadError::SiteIndex("not a list of mappings".into()))?;
    if items.len() > MAX_ITEMS {
        return Err(ReadError::TooMany(MAX_ITEMS));
    }
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = match item {
            Yaml::Tagged(_, inner) => inner,
            other => other,
        };
        let mapping = item
            .as_mapping()
            .ok_or_else(|| ReadError::SiteIndex(format!("item {} is not a mapping", i + 1)))?;
        let mut row = Row { number: i + 1, values: Vec::new() };
        for (key, value) in mapping {
            let Some(field) = yaml_text(key).as_deref().and_then(field_of) else { continue };
            let value = match value.as_vec() {
                Some(list) => Value::List(list.iter().filter_map(yaml_text).collect()),
                None => Value::Text(yaml_text(value).unwrap_or_default()),
            };
            row.push(field, value);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    let has = |field: Field| rows.iter().any(|r| r.values.iter().any(|(f, _)| *f == field));
    if !(has(Field::Title) && has(Field::File)) {
        return Err(ReadError::SiteColumns);
    }
    Ok(rows)
}

/// How a file's text is taken, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileType {
    Markdown,
    Html,
}

fn file_type(path: &str) -> Option<FileType> {
    match extension(path)?.as_str() {
        "md" | "markdown" | "txt" => Some(FileType::Markdown),
        "html" | "htm" => Some(FileType::Html),
        _ => None,
    }
}

/// One row's outcome, checked in the order [`read_index`] gives; `keys` holds the keys of the
/// rows before it and the rows that gave them.
fn read_row(
    row: &Row,
    keys: &mut HashMap<String, usize>,
    read: &mut impl FnMut(&str) -> Result<Vec<u8>, std::io::Error>,
    converter: &HtmlToMarkdown,
) -> Outcome {
    let written = row.optional(Field::File);
    let fail = |reason: Reason| Outcome::Failed { row: row.number, file: written.clone(), reason };
    let path = written.as_deref().and_then(safe_path);
    if let Some(key) = row.optional(Field::Id).or_else(|| path.clone()) {
        if let Some(first_row) = keys.get(&key) {
            return fail(Reason::DuplicateKey { first_row: *first_row });
        }
        keys.insert(key, row.number);
    }
    let Some(path) = path else {
        return fail(if written.is_some() { Reason::UnsafePath } else { Reason::MissingFile });
    };
    let title = row.text(Field::Title);
    if title.is_empty() {
        return fail(Reason::MissingTitle);
    }
    let date_text = row.text(Field::Date);
    let Some(date) = parse_date(&date_text) else { return fail(Reason::BadDate(date_text)) };
    let kind_text = row.text(Field::Kind);
    let Some(kind) = kind_code(&kind_text) else { return fail(Reason::BadKind(kind_text)) };
    let lang_text = row.text(Field::Lang);
    let Some(lang) = language_code(&lang_text) else { return fail(Reason::BadLanguage(lang_text)) };
    let Some(file_type) = file_type(&path) else { return fail(Reason::UnsupportedType) };
    let bytes = match read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return fail(Reason::MissingFile),
        Err(e) => return fail(Reason::UnreadableFile(e.to_string())),
    };
    if bytes.len() > MAX_FILE_BYTES {
        return fail(Reason::TooLarge);
    }
    let Ok(text) = std::str::from_utf8(&bytes) else { return fail(Reason::NotUtf8) };
    let text = clean_text(text);
    let body = match file_type {
        FileType::Markdown => markdown_body(&text),
        FileType::Html => match convert(converter, &text) {
            Some(body) => body,
            None => return fail(Reason::TooDeep),
        },
    };
    if body.trim().is_empty() {
        return fail(Reason::EmptyBody);
    }
    Outcome::Item(Item {
        row: row.number,
        key: row.optional(Field::Id).unwrap_or_else(|| path.clone()),
        title,
        date,
        kind: kind.to_owned(),
        lang: lang.to_owned(),
        tags: row.list(Field::Tags),
        authors: row.list(Field::Authors),
        summary: row.optional(Field::Summary),
        group: row.optional(Field::Group),
        file: path,
        body_markdown: body,
    })
}

/// A file's text without a leading byte order mark, with `\n` line ends and NUL replaced (as
/// CommonMark does).
fn clean_text(text: &str) -> String {
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace(['\r'], "\n").replace('\0', "\u{fffd}")
}

/// A Markdown file's body: without the front matter a static site generator keeps at its top
/// (YAML between two `---` lines, its first line a `key: value`), without blank lines around it
/// and trailing spaces.
fn markdown_body(text: &str) -> String {
    let front_matter = text.strip_prefix("---\n").and_then(|rest| {
        let (front, body) =
            rest.split_once("\n---\n").or_else(|| rest.strip_suffix("\n---").map(|front| (front, "")))?;
        let first = front.lines().find(|l| !l.trim().is_empty())?;
        first.contains(": ").then_some(body).or_else(|| first.trim_end().ends_with(':').then_some(body))
    });
    front_matter.unwrap_or(text).trim_start_matches('\n').trim_end().to_owned()
}

/// The converter: Markdown with `#` headings and `-` lists, leaving out what is not the text of
/// the page (scripts, styles, the head, navigation, footers, frames, forms and embedded objects).
fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            hr_style: HrStyle::Dashes,
            ..Options::default()
        })
        .skip_tags(vec![
            "script", "style", "head", "title", "nav", "footer", "iframe", "noscript", "form", "template",
            "svg", "canvas", "object", "embed",
        ])
        .build()
}

/// Elements the parser never nests inside themselves: empty ones, and those it ends itself when
/// the next one starts (a `<p>` at the next `<p>`, an `<a>` at the next `<a>`). Left out of the
/// count, they cannot build a deep tree alone; the tree's true depth, which they add to, is
/// measured after parsing.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rt", "rp", "thead",
    "tbody", "tfoot", "colgroup", "caption", "html", "head", "body", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "form", "button", "nobr",
];

/// Elements whose content is text up to their end tag, not elements.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Whether a page nests its elements deeper than [`MAX_HTML_DEPTH`], as far as its tags tell, in
/// one pass. Parsing a page nested many thousand elements deep takes time that grows with the
/// square of its depth, so such a page is refused before it is parsed; the tree the parser builds
/// is measured again after (this count can be off for tag soup).
fn nested_too_deep(html: &str) -> bool {
    let html = html.to_ascii_lowercase();
    let mut open: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(found) = html.get(at..).and_then(|rest| rest.find('<')) {
        let start = at + found + 1;
        let rest = html.get(start..).unwrap_or_default();
        if rest.starts_with("!--") {
            at = rest.find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_len = rest
            .get(name_start..)
            .unwrap_or_default()
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - name_start);
        let name = rest.get(name_start..name_start + name_len).unwrap_or_default();
        // The rest of the tag (its attributes) holds no tags.
        at = rest.find('>').map_or(html.len(), |end| start + end + 1);
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if closing {
            if let Some(position) = open.iter().rposition(|open| *open == name) {
                open.truncate(position);
            }
        } else if RAW_TEXT.contains(&name) {
            let end = format!("</{name}");
            at = html.get(at..).and_then(|rest| rest.find(&end)).map_or(html.len(), |end| at + end);
        } else if !NOT_NESTING.contains(&name) {
            open.push(name);
            if open.len() > MAX_HTML_DEPTH {
                return true;
            }
        }
    }
    false
}

/// Converts HTML to Markdown (see [`converter`]), or `None` if it is nested deeper than
/// [`MAX_HTML_DEPTH`].
fn convert(converter: &HtmlToMarkdown, html: &str) -> Option<String> {
    if nested_too_deep(html) {
        return None;
    }
    // Parsing builds the whole document: whatever stands outside `<body>` is moved into `<head>`
    // (left out) or into the body, so only the body's content is converted.
    let tree = converter.html_to_tree(html).ok()?;
    if depth(&tree) > MAX_HTML_DEPTH {
        return None;
    }
    Some(converter.tree_to_markdown(&tree).trim().to_owned())
}

/// The depth of a tree, walked without recursion.
fn depth(root: &Rc<Node>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(Rc::clone(root), 0)];
    while let Some((node, level)) = stack.pop() {
        deepest = deepest.max(level);
        stack.extend(node.children.borrow().iter().map(|child| (Rc::clone(child), level + 1)));
    }
    deepest
}

/// Converts an HTML page to Markdown: only the text of its body (scripts, styles, navigation,
/// footers, frames and forms are left out), headings, lists, links and emphasis kept, trimmed.
/// The page is parsed as a browser parses it, so text a page leaves outside its `<body>` (or a
/// fragment with no `<body>` at all) counts as the body's, and `<head>` is left out. A page
/// nested deeper than [`MAX_HTML_DEPTH`] gives an empty string.
pub fn html_to_markdown(html: &str) -> String {
    convert(&converter(), &clean_text(html)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use ozodi_domain::dates::DatePrecision;

    use super::*;

    /// A folder of files in memory, and the paths asked for.
    struct Folder {
        files: HashMap<&'static str, Vec<u8>>,
        asked: Vec<String>,
    }

    impl Folder {
        fn new(files: &[(&'static str, &[u8])]) -> Self {
            Folder { files: files.iter().map(|(p, b)| (*p, b.to_vec())).collect(), asked: Vec::new() }
        }

        fn read(&mut self, path: &str) -> Result<Vec<u8>, std::io::Error> {
            self.asked.push(path.to_owned());
            if path == "locked.md" {
                return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied"));
            }
            self.files.get(path).cloned().ok_or_else(|| std::io::ErrorKind::NotFound.into())
        }
    }

    fn index(name: &str, text: &str, folder: &mut Folder) -> Vec<Outcome> {
        read_index(name, text.as_bytes(), |p| folder.read(p)).unwrap_or_default()
    }

    fn items(outcomes: &[Outcome]) -> Vec<&Item> {
        outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Item(item) => Some(item),
                Outcome::Failed { .. } => None,
            })
            .collect()
    }

    /// (row, file, reason key) of every failed row.
    fn failures(outcomes: &[Outcome]) -> Vec<(usize, Option<&str>, &'static str)> {
        outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Failed { row, file, reason } => Some((*row, file.as_deref(), reason.key())),
                Outcome::Item(_) => None,
            })
            .collect()
    }

    fn day(y: &str, m: &str, d: &str) -> Option<PartialDate> {
        PartialDate::from_fields(y, m, d, false).ok().flatten()
    }

    const RU_MD: &str = "# Пытки в изоляторах временного содержания\n\nКоалиция *зафиксировала* 27 \
                         обращений.\n\n- Доступ к адвокату\n- Медицинский осмотр\n";
    const TG_MD: &str = "# Шиканҷа дар ҷойҳои маҳрумӣ аз озодӣ\n\nМушоҳидаҳои ғайриҳукуматӣ дар \
                         рӯзҳои аввали боздошт ва қонуни нав.\n";
    const EN_HTML: &str = r#"<!DOCTYPE html>
<html><head><title>Old coalition site</title><script>var tracker = "UA-1";</script>
<style>h1 { color: red }</style></head>
<body>
<nav><a href="/">Home</a> | <a href="/about">About us</a></nav>
<h1>Safeguards in the first hours of detention</h1>
<p>Access to a lawyer <em>from the moment of arrest</em> is <strong>essential</strong>.
See the <a href="https://example.org/report">full report</a>.</p>
<script>alert("injected")</script>
<ul><li>Medical examination</li><li>Notice to the family</li></ul>
<form><input name="q"><button>Search</button></form>
<footer>Copyright the old site</footer>
</body></html>"#;

    fn three_versions() -> Folder {
        Folder::new(&[
            ("ru/ivs-2023.md", RU_MD.as_bytes()),
            ("tg/ivs-2023.md", TG_MD.as_bytes()),
            ("en/safeguards.html", EN_HTML.as_bytes()),
        ])
    }

    /// The HTML file's body keeps its text, headings, links, emphasis and lists, and loses the
    /// page around it.
    fn assert_converted(body: &str) {
        assert!(body.starts_with("# Safeguards in the first hours of detention"), "{body}");
        assert!(body.contains("[full report](https://example.org/report)"), "{body}");
        assert!(body.contains("_from the moment of arrest_") || body.contains("*from the moment of arrest*"));
        assert!(body.contains("**essential**"), "{body}");
        assert!(body.contains("- Medical examination"), "{body}");
        for gone in
            ["tracker", "injected", "Home", "About us", "color", "Old coalition site", "Search", "Copyright"]
        {
            assert!(!body.contains(gone), "{gone:?} survived in {body}");
        }
    }

    #[test]
    fn a_csv_index_gives_the_russian_tajik_and_english_versions_with_their_text() {
        let csv = "title,date,kind,language,tags,file,summary,authors,translation\n\
            \"Пытки в ИВС: доклад за 2023 год\",2024-03-12,annual report,ru,\"пытки; ИВС; адвокат\",ru/ivs-2023.md,\"Итоги мониторинга ИВС.\",\"Дилшод Намунаев; Сабрина Примерова\",ivs-2023\n\
            \"Шиканҷа дар ҷойҳои маҳрумӣ аз озодӣ: гузориши ғайриҳукуматӣ\",12.03.2024,ANNUAL_REPORT,тоҷикӣ,\"шиканҷа, ҳимоятгар\",tg/ivs-2023.md,,Дилшод Намунаев,ivs-2023\n\
            Safeguards in the first hours,2024-03,Article,English,safeguards,en/safeguards.html,,,\n";
        let mut folder = three_versions();
        let outcomes = index("index.csv", csv, &mut folder);
        assert_eq!(failures(&outcomes), vec![]);
        let items = items(&outcomes);
        assert_eq!(items.len(), 3);

        let ru = items[0];
        assert_eq!(ru.key, "ru/ivs-2023.md");
        assert_eq!(ru.title, "Пытки в ИВС: доклад за 2023 год");
        assert_eq!(Some(ru.date), day("2024", "3", "12"));
        assert_eq!((ru.kind.as_str(), ru.lang.as_str()), ("ANNUAL_REPORT", "ru"));
        assert_eq!(ru.tags, vec!["пытки", "ИВС", "адвокат"]);
        assert_eq!(ru.authors, vec!["Дилшод Намунаев", "Сабрина Примерова"]);
        assert_eq!(ru.summary.as_deref(), Some("Итоги мониторинга ИВС."));
        assert_eq!(ru.group.as_deref(), Some("ivs-2023"));
        assert_eq!(ru.body_markdown, RU_MD.trim_end());

        let tg = items[1];
        assert_eq!(tg.title, "Шиканҷа дар ҷойҳои маҳрумӣ аз озодӣ: гузориши ғайриҳукуматӣ");
        assert_eq!((tg.lang.as_str(), tg.date), ("tg", ru.date));
        assert_eq!(tg.tags, vec!["шиканҷа", "ҳимоятгар"]);
        assert_eq!(tg.authors, vec!["Дилшод Намунаев"]);
        assert_eq!((tg.summary.as_deref(), tg.group.as_deref()), (None, Some("ivs-2023")));
        assert!(tg.body_markdown.contains("рӯзҳои аввали боздошт ва қонуни нав"));

        let en = items[2];
        assert_eq!((en.kind.as_str(), en.lang.as_str(), en.group.as_deref()), ("ARTICLE", "en", None));
        assert_eq!(en.date.precision(), DatePrecision::DayUnknown);
        assert_eq!(en.file, "en/safeguards.html");
        assert_converted(&en.body_markdown);
        assert_eq!(folder.asked, vec!["ru/ivs-2023.md", "tg/ivs-2023.md", "en/safeguards.html"]);
    }

    #[test]
    fn a_yaml_index_reads_the_same_with_lists_and_bare_numbers() {
        let yaml = r#"
- title: "Пытки в ИВС: доклад за 2023 год"
  date: 2024-03-12
  kind: Ежегодный доклад
  lang: русский
  tags: [пытки, ИВС]
  file: ./ru//ivs-2023.md
  authors:
    - Намунаев, Дилшод
  translation: ivs-2023
  id: 101
- title: "Шиканҷа дар ҷойҳои маҳрумӣ аз озодӣ"
  date: 2024
  kind: Гузориши солона
  language: Tajik
  tags: "шиканҷа; қонун"
  file: tg/ivs-2023.md
  translation: ivs-2023
  id: 102
- Title: Safeguards in the first hours
  Date: "2024-03"
  Kind: press-release
  Language: en-GB
  File: en/safeguards.html
  summary: What must happen in the first hours.
"#;
        let mut folder = three_versions();
        let outcomes = index("index.yaml", yaml, &mut folder);
        assert_eq!(failures(&outcomes), vec![]);
        let items = items(&outcomes);
        assert_eq!(items.len(), 3);
        assert_eq!((items[0].key.as_str(), items[0].file.as_str()), ("101", "ru/ivs-2023.md"));
        assert_eq!((items[0].kind.as_str(), items[0].lang.as_str()), ("ANNUAL_REPORT", "ru"));
        assert_eq!(items[0].tags, vec!["пытки", "ИВС"]);
        // A YAML list is taken whole: the comma inside an author's name stays.
        assert_eq!(items[0].authors, vec!["Намунаев, Дилшод"]);
        assert_eq!(items[0].body_markdown, RU_MD.trim_end());
        assert_eq!((items[1].key.as_str(), items[1].lang.as_str()), ("102", "tg"));
        assert_eq!(items[1].date.precision(), DatePrecision::MonthDayUnknown);
        assert_eq!(items[1].kind, "ANNUAL_REPORT");
        assert_eq!(items[1].tags, vec!["шиканҷа", "қонун"]);
        assert_eq!(items[0].group, items[1].group);
        assert_eq!((items[2].key.as_str(), items[2].kind.as_str()), ("en/safeguards.html", "PRESS_RELEASE"));
        assert_eq!(items[2].lang, "en");
        assert_eq!(items[2].summary.as_deref(), Some("What must happen in the first hours."));
        assert_converted(&items[2].body_markdown);
        assert_eq!(read_index("index.yml", yaml.as_bytes(), |p| folder.read(p)).map(|o| o.len()), Ok(3));
    }

    #[test]
    fn bad_rows_fail_each_with_its_reason_and_the_good_ones_are_read() {
        let csv = "id,title,date,kind,lang,file\n\
            ,Хороший материал,2024-01-15,article,ru,good.md\n\
            ,Плохая дата,2024-13-01,article,ru,a.md\n\
            ,Неизвестный вид,2024-01-15,brochure,ru,b.md\n\
            ,Неизвестный язык,2024-01-15,article,de,c.md\n\
            ,Побег из папки,2024-01-15,article,ru,../etc/passwd\n\
            ,Абсолютный путь,2024-01-15,article,ru,/etc/passwd\n\
            ,Нет файла,2024-01-15,article,ru,missing.md\n\
            ,Не UTF-8,2024-01-15,article,ru,cp1251.md\n\
            ,Документ Word,2024-01-15,article,ru,report.docx\n\
            ,Повтор,2024-02-01,interview,ru,good.md\n\
            ,,2024-01-15,article,ru,untitled.md\n\
            ,Без файла,2024-01-15,article,ru,\n\
            ,Закрытый файл,2024-01-15,article,ru,locked.md\n\
            ,Пустой,2024-01-15,article,ru,empty.html\n\
            x1,Первый с ключом,2024-01-15,article,ru,missing-too.md\n\
            x1,Второй с ключом,2024-01-15,article,ru,good2.md\n\
            ,Windows,2024-01-15,article,ru,..\\secret.md\n";
        let mut folder = Folder::new(&[
            ("good.md", "Текст.".as_bytes()),
            ("good2.md", "Текст.".as_bytes()),
            ("cp1251.md", b"\xcf\xfb\xf2\xea\xe8"),
            ("report.docx", b"PK\x03\x04"),
            ("untitled.md", "Текст.".as_bytes()),
            ("empty.html", b"<html><body><script>x()</script><nav>menu</nav>  </body></html>"),
        ]);
        let outcomes = index("index.csv", csv, &mut folder);
        assert_eq!(items(&outcomes).len(), 1);
        assert_eq!(
            failures(&outcomes),
            vec![
                (2, Some("a.md"), "site-import-bad-date"),
                (3, Some("b.md"), "site-import-bad-kind"),
                (4, Some("c.md"), "site-import-bad-language"),
                (5, Some("../etc/passwd"), "site-import-unsafe-path"),
                (6, Some("/etc/passwd"), "site-import-unsafe-path"),
                (7, Some("missing.md"), "site-import-missing-file"),
                (8, Some("cp1251.md"), "site-import-not-utf8"),
                (9, Some("report.docx"), "site-import-unsupported-type"),
                (10, Some("good.md"), "site-import-duplicate-key"),
                (11, Some("untitled.md"), "site-import-missing-title"),
                (12, None, "site-import-missing-file"),
                (13, Some("locked.md"), "site-import-unreadable-file"),
                (14, Some("empty.html"), "site-import-empty-body"),
                (15, Some("missing-too.md"), "site-import-missing-file"),
                (16, Some("good2.md"), "site-import-duplicate-key"),
                (17, Some("..\\secret.md"), "site-import-unsafe-path"),
            ]
        );
        // The reasons carry what was written, and the system's words stay out of the key.
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, Outcome::Failed { reason: Reason::BadKind(k), .. } if k == "brochure"))
        );
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, Outcome::Failed { reason: Reason::DuplicateKey { first_row: 1 }, .. }))
        );
        assert!(outcomes.iter().any(
            |o| matches!(o, Outcome::Failed { reason: Reason::UnreadableFile(why), .. } if why.contains("permission"))
        ));
        // Unsafe paths, repeated keys and unsupported types are never read.
        assert!(folder.asked.iter().all(|p| !p.contains("passwd") && !p.contains("secret")));
        assert_eq!(folder.asked.iter().filter(|p| *p == "good.md").count(), 1);
        assert!(!folder.asked.contains(&"report.docx".to_owned()));
        assert!(!folder.asked.contains(&"good2.md".to_owned()));
    }

    #[test]
    fn dates_are_read_in_the_forms_staff_write_them() {
        let exact = day("2024", "3", "12");
        assert_eq!(parse_date("2024-03-12"), exact);
        assert_eq!(parse_date(" 12.03.2024 "), exact);
        assert_eq!(parse_date("12.3.2024"), exact);
        assert_eq!(parse_date("12.03.2024 г."), exact);
        assert_eq!(parse_date("2024-03-12T09:30:00+05:00"), exact);
        assert_eq!(parse_date("2024-03-12 09:30"), exact);
        assert_eq!(parse_date("2024-03"), day("2024", "3", ""));
        assert_eq!(parse_date("03.2024"), day("2024", "3", ""));
        assert_eq!(parse_date("2024"), day("2024", "", ""));
        assert_eq!(parse_date("2024").map(PartialDate::precision), Some(DatePrecision::MonthDayUnknown));
        assert_eq!(parse_date("2024-03").map(PartialDate::precision), Some(DatePrecision::DayUnknown));
        assert_eq!(parse_date("12.03.2024").map(PartialDate::precision), Some(DatePrecision::Exact));
        for bad in [
            "",
            "2024-02-30",
            "31.04.2024",
            "2024-13",
            "03/12/2024",
            "12.03.24",
            "1850",
            "2024-3-12x",
            "весна 2024",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn tags_and_authors_split_on_semicolons_and_commas() {
        assert_eq!(split_list("пытки; ИВС, адвокат"), vec!["пытки", "ИВС", "адвокат"]);
        assert_eq!(split_list(" ; шиканҷа ;; Шиканҷа , "), vec!["шиканҷа"]);
        assert_eq!(split_list("one\ntwo"), vec!["one", "two"]);
        assert!(split_list(" ; , ").is_empty());
        let csv = "title;file;date;kind;lang;tags;authors\n\
            Статья;a.md;2024;article;ru;\"пытки, ИВС; адвокат\";\"Дилшод Намунаев, Сабрина Примерова\"\n";
        let mut folder = Folder::new(&[("a.md", b"Text")]);
        let outcomes = index("index.csv", csv, &mut folder);
        let items = items(&outcomes);
        assert_eq!(
            items.first().map(|i| i.tags.clone()),
            Some(vec!["пытки".into(), "ИВС".into(), "адвокат".into()])
        );
        assert_eq!(items.first().map(|i| i.authors.len()), Some(2));
    }

    #[test]
    fn headers_match_whatever_the_case_spacing_and_alias() {
        let csv = " Title ;DATE;Type; Lang ;TAGS;Path;Group;ID\n\
            Интервью с юристом;05.06.2023;интервью;RU;права;talk.md;talk;int-7\n";
        let mut folder = Folder::new(&[("talk.md", b"Text")]);
        let outcomes = index("INDEX.CSV", csv, &mut folder);
        assert_eq!(failures(&outcomes), vec![]);
        let item = items(&outcomes).first().map(|i| (*i).clone());
        let item = item.map(|i| (i.key, i.kind, i.lang, i.group, i.file, i.tags));
        assert_eq!(
            item,
            Some((
                "int-7".into(),
                "INTERVIEW".into(),
                "ru".into(),
                Some("talk".into()),
                "talk.md".into(),
                vec!["права".into()]
            ))
        );
        assert_eq!(field_of("\u{feff}title"), Some(Field::Title));
        assert_eq!(field_of("Translation"), Some(Field::Group));
        assert_eq!(field_of("colour"), None);
    }

    #[test]
    fn an_index_and_files_with_a_byte_order_mark_and_windows_line_ends_read() {
        let csv = "\u{feff}title,date,kind,language,file\r\nДоклад,2024-01-01,policy,ru,a.md\r\n";
        let mut folder = Folder::new(&[("a.md", "\u{feff}# Заголовок\r\n\r\nТекст.\r\n".as_bytes())]);
        let outcomes = index("index.csv", csv, &mut folder);
        assert_eq!(failures(&outcomes), vec![]);
        let items = items(&outcomes);
        assert_eq!(items.first().map(|i| i.body_markdown.as_str()), Some("# Заголовок\n\nТекст."));
        assert_eq!(items.first().map(|i| i.kind.as_str()), Some("POLICY"));
        let yaml = "\u{feff}- title: Доклад\n  date: 2024\n  kind: POLICY\n  lang: ru\n  file: a.md\n";
        assert_eq!(index("index.yaml", yaml, &mut folder).len(), 1);
    }

    #[test]
    fn kinds_and_languages_are_known_by_code_and_by_name() {
        for (name, code) in [
            ("ARTICLE", "ARTICLE"),
            ("статья", "ARTICLE"),
            ("Policy Document", "POLICY"),
            ("Программный документ", "POLICY"),
            ("analysis", "THEMATIC"),
            ("Study", "THEMATIC"),
            ("Исследование", "THEMATIC"),
            ("анализ", "THEMATIC"),
            ("Аналитика", "THEMATIC"),
            ("ИНТЕРВЬЮ", "INTERVIEW"),
            ("Press release", "PRESS_RELEASE"),
            ("press_release", "PRESS_RELEASE"),
            ("Пресс-релиз", "PRESS_RELEASE"),
            ("annual report", "ANNUAL_REPORT"),
            ("Ежегодный доклад", "ANNUAL_REPORT"),
            ("shadow report", "ALTERNATIVE_REPORT"),
            ("Альтернативный доклад", "ALTERNATIVE_REPORT"),
            ("follow-up", "FOLLOW_UP"),
            ("manual", "MANUAL"),
            ("media", "MEDIA"),
            ("campaign", "CAMPAIGN"),
            // The vocabulary's own labels, Tajik included.
            ("Мақола", "ARTICLE"),
            ("Мусоҳиба", "INTERVIEW"),
            ("Alternative (shadow) report to the UN", "ALTERNATIVE_REPORT"),
        ] {
            assert_eq!(kind_code(name), Some(code), "{name:?}");
        }
        for unknown in ["", "brochure", "report", "ARTICLES"] {
            assert_eq!(kind_code(unknown), None, "{unknown:?}");
        }
        for (name, code) in [
            ("ru", "ru"),
            ("RU", "ru"),
            ("Русский", "ru"),
            ("russian", "ru"),
            ("ru-RU", "ru"),
            ("tg", "tg"),
            ("тоҷикӣ", "tg"),
            ("Таджикский", "tg"),
            ("Tajik", "tg"),
            ("tg-Cyrl", "tg"),
            ("en", "en"),
            ("English", "en"),
            ("Англисӣ", "en"),
        ] {
            assert_eq!(language_code(name), Some(code), "{name:?}");
        }
        for unknown in ["", "de", "uz", "Узбекский", "french", "english-ish language"] {
            assert_eq!(language_code(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn only_safe_relative_paths_are_taken() {
        assert_eq!(safe_path("reports/2023/a.md").as_deref(), Some("reports/2023/a.md"));
        assert_eq!(safe_path(" ./reports//a.md ").as_deref(), Some("reports/a.md"));
        assert_eq!(safe_path("доклады/пытки 2023.md").as_deref(), Some("доклады/пытки 2023.md"));
        assert_eq!(safe_path("a..b.md").as_deref(), Some("a..b.md"));
        for unsafe_path in [
            "",
            "/etc/passwd",
            "../etc/passwd",
            "reports/../../etc/passwd",
            "reports/..",
            "..\\etc\\passwd",
            "reports\\a.md",
            "\\\\server\\share\\a.md",
            "C:/Windows/a.md",
            "c:a.md",
            "a.md\0.html",
            "a\n.md",
            ".",
            "./",
        ] {
            assert_eq!(safe_path(unsafe_path), None, "{unsafe_path:?}");
        }
    }

    #[test]
    fn a_file_that_is_no_index_is_an_error() {
        let read = |_: &str| -> Result<Vec<u8>, std::io::Error> { Ok(b"Text".to_vec()) };
        let header = "title,date,kind,lang,file\n";
        assert_eq!(read_index("index.json", b"[]", read), Err(ReadError::SiteIndexType));
        assert_eq!(read_index("index", b"title", read), Err(ReadError::SiteIndexType));
        assert_eq!(read_index(".csv", b"title", read), Err(ReadError::SiteIndexType));
        assert_eq!(read_index("index.csv", b"title,file\n\xcf\xfb", read), Err(ReadError::SiteEncoding));
        assert_eq!(read_index("index.csv", b"", read), Err(ReadError::Empty));
        assert_eq!(read_index("index.csv", header.as_bytes(), read), Err(ReadError::Empty));
        assert_eq!(read_index("index.csv", b"title,file\n,\n , \n", read), Err(ReadError::Empty));
        assert_eq!(read_index("index.csv", b"name,phone\nA,1\n", read), Err(ReadError::SiteColumns));
        assert_eq!(read_index("index.yaml", b"- name: A\n", read), Err(ReadError::SiteColumns));
        assert_eq!(read_index("index.yaml", b"# nothing\n", read), Err(ReadError::Empty));
        assert_eq!(read_index("index.yaml", b"[]", read), Err(ReadError::Empty));
        assert!(matches!(read_index("index.yaml", b"title: A\n", read), Err(ReadError::SiteIndex(_))));
        assert!(matches!(read_index("index.yaml", b"- [a, b]\n", read), Err(ReadError::SiteIndex(_))));
        assert!(matches!(read_index("index.yml", b"- title: [\n", read), Err(ReadError::SiteIndex(_))));
        let too_many = format!("{header}{}", "A,2024,article,ru,a.md\n".repeat(MAX_ITEMS + 1));
        assert_eq!(read_index("index.csv", too_many.as_bytes(), read), Err(ReadError::TooMany(MAX_ITEMS)));
        let keys = [
            ReadError::SiteIndexType,
            ReadError::SiteEncoding,
            ReadError::SiteIndex(String::new()),
            ReadError::SiteColumns,
        ]
        .map(|e| e.key());
        assert_eq!(
            keys,
            [
                "site-import-error-index-type",
                "site-import-error-encoding",
                "site-import-error-index",
                "site-import-error-columns"
            ]
        );
    }

    #[test]
    fn html_keeps_the_text_of_its_body_as_markdown() {
        assert_converted(&html_to_markdown(EN_HTML));
        // A fragment without <html> or <body> is a body too.
        assert_eq!(
            html_to_markdown("<h2>Итоги</h2><p>Текст <b>важный</b></p>"),
            "## Итоги\n\nТекст **важный**"
        );
        let page = "<html><head><title>T</title><noscript>enable JS</noscript></head><body>\
            <iframe src=\"https://example.org\">frame</iframe><noscript>no script</noscript>\
            <p>Матн</p><ol><li>як</li><li>ду</li></ol></body></html>";
        let md = html_to_markdown(page);
        assert!(md.starts_with("Матн\n\n1. як"), "{md}");
        assert!(!md.contains("script") && !md.contains("frame") && !md.contains('T'), "{md}");
        assert_eq!(html_to_markdown("<script>only()</script>"), "");
        assert_eq!(html_to_markdown(""), "");
    }

    #[test]
    fn markdown_front_matter_is_left_out_but_a_leading_rule_is_kept() {
        assert_eq!(markdown_body("---\ntitle: Доклад\ndate: 2024\n---\n\n# Доклад\n"), "# Доклад");
        assert_eq!(markdown_body("---\nlayout: post\n---"), "");
        assert_eq!(
            markdown_body("---\nТекст после черты\n\n---\nещё\n"),
            "---\nТекст после черты\n\n---\nещё"
        );
        assert_eq!(markdown_body("\n\n    code\n  \n"), "    code");
        let csv = "title,date,kind,lang,file\nA,2024,article,ru,a.md\n";
        let mut folder = Folder::new(&[("a.md", b"---\ntitle: A\n---\n  \n")]);
        assert_eq!(
            failures(&index("index.csv", csv, &mut folder)),
            vec![(1, Some("a.md"), "site-import-empty-body")]
        );
    }

    #[test]
    fn oversized_and_deeply_nested_files_are_refused_without_panicking() {
        let csv = "title,date,kind,lang,file\nA,2024,article,ru,big.md\nB,2024,article,ru,deep.html\n\
                   C,2024,article,ru,nested.html\n";
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        let deep = format!("{}x{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        let nested = format!(
            "{}<b>x</b>{}",
            "<div>".repeat(MAX_HTML_DEPTH - 10),
            "</div>".repeat(MAX_HTML_DEPTH - 10)
        );
        let mut folder = Folder::new(&[
            ("big.md", &big),
            ("deep.html", deep.as_bytes()),
            ("nested.html", nested.as_bytes()),
        ]);
        let outcomes = index("index.csv", csv, &mut folder);
        assert_eq!(
            failures(&outcomes),
            vec![
                (1, Some("big.md"), "site-import-too-large"),
                (2, Some("deep.html"), "site-import-too-deep")
            ]
        );
        assert_eq!(items(&outcomes).first().map(|i| i.body_markdown.as_str()), Some("**x**"));
        assert_eq!(html_to_markdown(&deep), "");
    }

    #[test]
    fn deep_nesting_is_spotted_before_parsing() {
        let chain = |n: usize| format!("{}x{}", "<div class=\"a>b\">".repeat(n), "</div>".repeat(n));
        assert!(!nested_too_deep(&chain(MAX_HTML_DEPTH)));
        assert!(nested_too_deep(&chain(MAX_HTML_DEPTH + 1)));
        // Unclosed (never closed) divs nest too, in any case.
        assert!(nested_too_deep(&"<DIV>".repeat(MAX_HTML_DEPTH + 1)));
        // An old page's unclosed paragraphs, items and cells, empty elements, closed siblings,
        // comments and scripts do not.
        let old_page = "<p>Параграф<li>пункт<td>ячейка<br><img src=x><hr><a name=x>".repeat(2_000);
        let siblings = "<div><span>a</span></div>".repeat(2_000);
        let hidden = format!(
            "<!-- {} --><script>{}</script>",
            "<div>".repeat(2_000),
            "let s = '<div>';".repeat(2_000)
        );
        for page in [&old_page, &siblings, &hidden] {
            assert!(!nested_too_deep(page));
        }
        assert!(convert(&converter(), &old_page).is_some_and(|md| md.starts_with("Параграф")));
        assert_eq!(convert(&converter(), &hidden), Some(String::new()));
        assert!(!nested_too_deep("<"));
        assert!(!nested_too_deep("</"));
        assert!(!nested_too_deep("<script>"));
        assert!(!nested_too_deep("<!--"));
        assert!(!nested_too_deep("<é><ж>"));
    }

    #[test]
    fn odd_input_gives_errors_or_outcomes_never_a_panic() {
        let odd: &[&[u8]] = &[
            b"\"",
            b"title,file\n\"unclosed",
            b"title,file\nA,a.md,extra,cells\nB",
            b"\xef\xbb\xbf",
            b"title\xef\xbb\xbf,file\n",
            b"- title: A\n  file: {a: b}\n  date: [1, 2]\n",
            b"- !!map {title: A, file: a.md}\n- &x {title: B, file: b.md}\n- *x\n",
            b"--- \n...\n",
            b"- title: A\n  file: a.md\n---\n- other document\n",
        ];
        let mut folder = Folder::new(&[("a.md", b"\0text\r")]);
        for bytes in odd {
            for name in ["index.csv", "index.yaml"] {
                let _ = read_index(name, bytes, |p| folder.read(p));
            }
        }
        for html in
            ["<", "<html><body></html></body><body>", "<table><td>x</td>", "<?xml version=\"1.0\"?><p>x</p>"]
        {
            let _ = html_to_markdown(html);
        }
        assert_eq!(clean_text("\u{feff}a\0b\r\nc\rd"), "a\u{fffd}b\nc\nd");
    }

    #[test]
    fn every_reason_has_its_own_key() {
        let reasons = [
            Reason::MissingTitle,
            Reason::BadDate(String::new()),
            Reason::BadKind(String::new()),
            Reason::BadLanguage(String::new()),
            Reason::MissingFile,
            Reason::UnsafePath,
            Reason::UnreadableFile("disk on fire".into()),
            Reason::NotUtf8,
            Reason::UnsupportedType,
            Reason::EmptyBody,
            Reason::DuplicateKey { first_row: 1 },
            Reason::TooLarge,
            Reason::TooDeep,
        ];
        let keys: std::collections::HashSet<_> = reasons.iter().map(Reason::key).collect();
        assert_eq!(keys.len(), reasons.len());
        assert!(keys.iter().all(|k| k.starts_with("site-import-") && !k.contains("fire")));
    }
}
