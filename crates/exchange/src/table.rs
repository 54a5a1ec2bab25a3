//! Tables written out for spreadsheets: CSV (UTF-8 with a byte-order mark, so spreadsheet
//! programs read Cyrillic right) and XLSX (one sheet, a bold frozen header row). Every cell is
//! text; nothing is ever written as a formula.
//!
//! A cell a spreadsheet program would take for a formula (starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) is written with a leading apostrophe in CSV, as OWASP advises against CSV
//! injection: an exported case title must not run when someone opens the file. XLSX cells are
//! typed as strings, which programs never evaluate.

use rust_xlsxwriter::{Format, Workbook};

/// A table: a title (the sheet's name), column headers and rows of text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name (cut to what spreadsheets allow).
    pub title: String,
    /// The column headers.
    pub headers: Vec<String>,
    /// The rows, each as long as the headers.
    pub rows: Vec<Vec<String>>,
}

/// Why a table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("the table could not be written: {0}")]
pub struct WriteError(String);

/// A cell as CSV carries it: a would-be formula is defused with a leading apostrophe.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

impl Table {
    /// The table as CSV.
    pub fn csv(&self) -> Result<Vec<u8>, WriteError> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer
                .write_record(self.headers.iter().map(|h| defused(h).into_owned()))
                .map_err(|e| WriteError(e.to_string()))?;
            for row in &self.rows {
                writer
                    .write_record(row.iter().map(|c| defused(c).into_owned()))
                    .map_err(|e| WriteError(e.to_string()))?;
            }
            writer.flush().map_err(|e| WriteError(e.to_string()))?;
        }
        Ok(out)
    }

    /// The table as an XLSX workbook of one sheet.
    pub fn xlsx(&self) -> Result<Vec<u8>, WriteError> {
        let err = |e: rust_xlsxwriter::XlsxError| WriteError(e.to_string());
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        // A sheet's name: at most 31 characters, none of []:*?/\.
        let name: String = self.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        if !name.trim().is_empty() {
            sheet.set_name(name.trim()).map_err(err)?;
        }
        let bold = Format::new().set_bold();
        for (col, header) in self.headers.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| WriteError("too many columns".into()))?;
            sheet.write_string_with_format(0, col, header, &bold).map_err(err)?;
            sheet.set_column_width(col, 24).map_err(err)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| WriteError("too many rows".into()))?;
            for (col, cell) in row.iter().enumerate() {
                let col = u16::try_from(col).map_err(|_| WriteError("too many columns".into()))?;
                sheet.write_string(r, col, cell).map_err(err)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        book.save_to_buffer().map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn table() -> Table {
        Table {
            title: "Дела: Sughd/2026".into(),
            headers: vec!["№".into(), "Название".into()],
            rows: vec![
                vec!["TJ-2026-0001".into(), "Избиение в ИВС; «кавычки», запятые".into()],
                vec!["TJ-2026-0002".into(), "=HYPERLINK(\"http://example.invalid\")".into()],
                vec!["TJ-2026-0003".into(), "Ҳуқуқи инсон\nдве строки".into()],
            ],
        }
    }

    #[test]
    fn csv_keeps_cyrillic_and_tajik_and_defuses_formulas() {
        let bytes = table().csv().unwrap_or_default();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte-order mark for spreadsheet programs");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][1], "Избиение в ИВС; «кавычки», запятые");
        assert_eq!(&rows[1][1], "'=HYPERLINK(\"http://example.invalid\")", "a formula is defused");
        assert_eq!(&rows[2][1], "Ҳуқуқи инсон\nдве строки");
    }

    #[test]
    fn xlsx_holds_every_cell_as_text_and_reads_back() {
        let bytes = table().xlsx().unwrap_or_default();
        let mut book: Xlsx<_> = match Xlsx::new(std::io::Cursor::new(bytes)) {
            Ok(book) => book,
            Err(e) => panic!("{e}"),
        };
        let names = book.sheet_names();
        assert_eq!(names, vec!["Дела Sughd2026".to_owned()]);
        let range = match book.worksheet_range_at(0) {
            Some(Ok(range)) => range,
            _ => panic!("no sheet"),
        };
        let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(cells.len(), 4);
        assert_eq!(
            cells[2][1],
            Data::String("=HYPERLINK(\"http://example.invalid\")".into()),
            "text, not a formula"
        );
        assert_eq!(cells[3][1], Data::String("Ҳуқуқи инсон\nдве строки".into()));
    }
}
