//! Reading CSV files into a [`Table`] (CSV 取込).
//!
//! Japanese offices send CSV in two encodings: UTF-8 (often with a BOM, as
//! Excel writes "CSV UTF-8") and Shift_JIS as Windows writes it (CP932, what
//! Excel writes for plain "CSV"). Both are accepted; see [`InputEncoding`].

use crate::error::TabularError;
use crate::normalize::trim_cell;

/// A table as read from a file, before any schema is applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Header cells (見出し), trimmed of surrounding whitespace including
    /// U+3000. Trailing empty headers are dropped.
    pub headers: Vec<String>,
    /// Data rows. Rows whose cells are all blank are skipped; every row has
    /// exactly `headers.len()` cells.
    pub rows: Vec<Row>,
}

/// One data row (データ行).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Row number as Excel shows it (行番号): the header is row 1 and the
    /// first data row is row 2 when the file starts with the header. Blank
    /// lines count, as they do in Excel; line breaks inside a quoted cell do
    /// not, so in a text editor the number is the line the row starts on
    /// unless an earlier cell contains a line break.
    pub number: usize,
    /// Cells exactly as in the file (not trimmed), padded with "" to the
    /// header count.
    pub cells: Vec<String>,
}

impl Row {
    pub(crate) fn empty() -> Self {
        Row { number: 0, cells: Vec::new() }
    }
}

/// Character encoding of an incoming CSV (文字コード).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputEncoding {
    /// BOM → UTF-8; valid UTF-8 → UTF-8; otherwise CP932 if that decodes
    /// cleanly; otherwise [`TabularError::EncodingUndetermined`].
    #[default]
    Auto,
    /// UTF-8, with or without BOM.
    Utf8,
    /// Shift_JIS as Windows writes it (CP932).
    Cp932,
}

impl InputEncoding {
    /// The encoding a form or query names: `utf8`, `cp932` (or `sjis`); anything else (empty,
    /// `auto`) is detected from the bytes.
    pub fn from_name(name: &str) -> InputEncoding {
        match name.trim() {
            "utf8" | "utf-8" => InputEncoding::Utf8,
            "cp932" | "sjis" => InputEncoding::Cp932,
            _ => InputEncoding::Auto,
        }
    }
}

/// Read a CSV file (header row first).
///
/// The bytes are checked for their encoding once, then parsed as a stream
/// (see [`crate::Source`], which imports use directly so as not to hold every
/// row); a 1,000,000 row file takes a few seconds in release builds.
pub fn read_csv(bytes: &[u8], enc: InputEncoding) -> Result<Table, TabularError> {
    crate::Source::csv(bytes, enc).read_all()
}

/// Read a file by its extension: `.csv` / `.txt` as CSV with `enc`,
/// `.xlsx` / `.xlsm` as the first worksheet.
pub fn read_file(file_name: &str, bytes: &[u8], enc: InputEncoding) -> Result<Table, TabularError> {
    match extension(file_name)?.as_str() {
        "xlsx" | "xlsm" => crate::read_xlsx(bytes, None),
        _ => read_csv(bytes, enc),
    }
}

/// The lower-case extension of a file name we can read ("csv", "txt",
/// "xlsx", "xlsm"); any other is [`TabularError::UnknownExtension`].
pub(crate) fn extension(file_name: &str) -> Result<String, TabularError> {
    // Browsers on Windows may send "C:\fakepath\名簿.csv"; only the last
    // component matters.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let extension = match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    };
    match extension.as_str() {
        "csv" | "txt" | "xlsx" | "xlsm" => Ok(extension),
        "" => Err(TabularError::UnknownExtension { extension: "（なし）".to_string() }),
        _ => Err(TabularError::UnknownExtension { extension: format!(".{extension}") }),
    }
}

/// The xlsx reader's table builder. The CSV stream (`source.rs`) applies the
/// same rules to headers, blank rows and ragged rows; `tests/read_csv.rs` and
/// `tests/write.rs` hold both to them.
#[derive(Default)]
pub(crate) struct TableBuilder {
    headers: Option<Vec<String>>,
    rows: Vec<Row>,
}

impl TableBuilder {
    /// Add a physical row. The first non-blank row becomes the header.
    pub(crate) fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), TabularError> {
        // Blank rows (including ",,,," which Excel writes for formatted but
        // empty rows) carry no data and would only produce spurious
        // "required" errors.
        let Some(last_filled) = cells.iter().rposition(|c| !trim_cell(c).is_empty()) else {
            return Ok(());
        };
        let Some(headers) = &self.headers else {
            cells.truncate(last_filled + 1);
            self.headers = Some(cells.iter().map(|c| trim_cell(c).to_string()).collect());
            return Ok(());
        };
        let width = headers.len();
        if last_filled >= width {
            return Err(TabularError::TooManyCells { row: number, expected: width, found: last_filled + 1 });
        }
        // Extra cells that are all blank (a trailing comma) lose nothing.
        cells.resize(width, String::new());
        self.rows.push(Row { number, cells });
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<Table, TabularError> {
        let headers = self.headers.ok_or(TabularError::Empty)?;
        Ok(Table { headers, rows: self.rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(csv: &[u8]) -> Vec<usize> {
        read_csv(csv, InputEncoding::Utf8).unwrap().rows.iter().map(|r| r.number).collect()
    }

    #[test]
    fn row_numbers_count_blank_lines_for_every_line_ending() {
        assert_eq!(numbers(b"h\na\nb\n"), [2, 3]);
        assert_eq!(numbers(b"h\r\na\r\n\r\nb\r\n\r\n"), [2, 4]);
        assert_eq!(numbers(b"h\ra\r\r\rb\r"), [2, 5]);
        assert_eq!(numbers(b"\n\nh\na\n\n\nb"), [4, 7]);
        assert_eq!(numbers(b"h\n\"a\nx\"\n\"\"\"q\"\n,\nb\n"), [2, 3, 5]);
    }

    #[test]
    fn embedded_line_breaks_do_not_shift_row_numbers() {
        let t = read_csv(b"h1,h2\r\n\"x\r\ny\",1\r\nz,2\r\n", InputEncoding::Auto).unwrap();
        assert_eq!(t.rows[0].cells, ["x\r\ny", "1"]);
        assert_eq!(t.rows[1].number, 3);
    }

    #[test]
    fn blank_rows_above_the_header_are_skipped() {
        let t = read_csv(b",,\n\xE3\x80\x80h1 ,h2,\na,b\n", InputEncoding::Auto).unwrap();
        assert_eq!(t.headers, ["h1", "h2"]);
        assert_eq!(t.rows[0].number, 3);
    }

    #[test]
    fn trailing_empty_cells_are_tolerated_but_filled_extra_cells_are_not() {
        let t = read_csv(b"a,b\n1,2,,\n3\n", InputEncoding::Auto).unwrap();
        assert_eq!(t.rows[0].cells, ["1", "2"]);
        assert_eq!(t.rows[1].cells, ["3", ""]);
        let e = read_csv(b"a,b\n1,2\n1,2,3\n", InputEncoding::Auto).unwrap_err();
        assert_eq!(e, TabularError::TooManyCells { row: 3, expected: 2, found: 3 });
        assert_eq!(e.to_string(), "3行目の項目数が多すぎます（見出しは2列、この行は3列）。");
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(read_csv(b"", InputEncoding::Auto), Err(TabularError::Empty));
        assert_eq!(read_csv(b"\r\n,,\r\n", InputEncoding::Auto), Err(TabularError::Empty));
    }

    #[test]
    fn extension_decides_the_format() {
        assert!(read_file("C:\\fakepath\\名簿.CSV", b"a\n1\n", InputEncoding::Auto).is_ok());
        assert!(read_file("list.txt", b"a\n1\n", InputEncoding::Auto).is_ok());
        let e = read_file("old.xls", b"", InputEncoding::Auto).unwrap_err();
        assert_eq!(e, TabularError::UnknownExtension { extension: ".xls".into() });
        assert!(e.to_string().contains("「.xls」"));
        assert!(read_file("noext", b"", InputEncoding::Auto).is_err());
    }
}
