//! ozodi's data exchange: readers that turn files from elsewhere into domain values, and writers
//! of tables, with no IO of their own (bytes in, values out, and back).
//!
//! - [`uhri`]: the export of the OHCHR Universal Human Rights Index (its JSON download or its
//!   spreadsheet), columns matched by name.
//! - [`shipped`]: the set of UN recommendations to Tajikistan that ships with ozodi
//!   (`data/un-recommendations-tj.yaml`), summarised in the coalition's own words.
//! - [`table`]: tables written out as CSV and XLSX (exports of the list views).
//! - [`site`]: the index (CSV or YAML) of a folder of earlier publications, with their Markdown or
//!   HTML files, read for migration into the publications library.

pub mod shipped;
pub mod site;
pub mod table;
pub mod uhri;

/// Why a file could not be read at all (a single bad item is reported by the import, not here).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Neither a spreadsheet nor JSON.
    #[error("not a spreadsheet (XLSX) or JSON file")]
    NotRecognised,
    /// The spreadsheet could not be opened.
    #[error("the spreadsheet cannot be read: {0}")]
    Spreadsheet(String),
    /// The JSON does not parse, or is not a list of records.
    #[error("the JSON cannot be read: {0}")]
    Json(String),
    /// No column (or key) names the text, the symbol or the body: not an export of the index.
    #[error("no column names the recommendation's text, document symbol or body")]
    NoColumns,
    /// More items than one import takes.
    #[error("more than {0} items")]
    TooMany(usize),
    /// No items at all.
    #[error("no items")]
    Empty,
    /// The shipped set does not parse (a build that ships a broken file).
    #[error("the shipped recommendations do not parse: {0}")]
    Shipped(String),
    /// A publications index named neither `.csv` nor `.yaml` / `.yml`.
    #[error("the publications index is not a CSV or YAML file")]
    SiteIndexType,
    /// A publications index that is not UTF-8 text.
    #[error("the publications index is not UTF-8 text")]
    SiteEncoding,
    /// A publications index that does not parse, or a YAML one that is not a list of mappings.
    #[error("the publications index cannot be read: {0}")]
    SiteIndex(String),
    /// A publications index without a title or a file column.
    #[error("the publications index has no title or no file column")]
    SiteColumns,
}

impl ReadError {
    /// The translation key of the message shown to users.
    pub fn key(&self) -> &'static str {
        match self {
            ReadError::NotRecognised => "import-error-format",
            ReadError::Spreadsheet(_) => "import-error-spreadsheet",
            ReadError::Json(_) => "import-error-json",
            ReadError::NoColumns => "import-error-columns",
            ReadError::TooMany(_) => "import-error-too-many",
            ReadError::Empty => "import-error-empty",
            ReadError::Shipped(_) => "import-error-shipped",
            ReadError::SiteIndexType => "site-import-error-index-type",
            ReadError::SiteEncoding => "site-import-error-encoding",
            ReadError::SiteIndex(_) => "site-import-error-index",
            ReadError::SiteColumns => "site-import-error-columns",
        }
    }
}

/// The most items one import takes (the whole index for one country is a few thousand).
pub const MAX_ITEMS: usize = 50_000;

/// Parses a day written `2018-05-14` (also with a time after it).
pub(crate) fn iso_day(text: &str) -> Option<time::Date> {
    let day = text.trim().get(..10)?;
    ozodi_domain::dates::parse_iso_day(day)
}

/// A day from a spreadsheet's serial number (days since 30 December 1899).
pub(crate) fn serial_day(serial: f64) -> Option<time::Date> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let epoch = time::macros::date!(1899 - 12 - 30);
    #[expect(clippy::cast_possible_truncation, reason = "checked to be a day number in range above")]
    let days = serial.floor() as i64;
    epoch.checked_add(time::Duration::days(days))
}
