//! Reading CSV files into a [`Table`] (CSV 取込).
//!
//! Japanese offices send CSV in two encodings: UTF-8 (often with a BOM, as
//! Excel writes "CSV UTF-8") and Shift_JIS as Windows writes it (CP932, what
//! Excel writes for plain "CSV"). Both are accepted; see [`InputEncoding`].

use std::borrow::Cow;

use encoding_rs::SHIFT_JIS;

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

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF8_NAME: &str = "UTF-8";
const CP932_NAME: &str = "Shift_JIS(CP932)";

/// Read a CSV file (header row first).
///
/// Performance: the whole buffer is decoded once (for UTF-8 that is just a
/// validation and no copy), then parsed with `csv::ByteRecord`; a 1,000,000
/// row file takes a few seconds in release builds.
pub fn read_csv(bytes: &[u8], enc: InputEncoding) -> Result<Table, TabularError> {
    let text = decode(bytes, enc)?;
    parse_csv(&text)
}

/// Read a file by its extension: `.csv` / `.txt` as CSV with `enc`,
/// `.xlsx` / `.xlsm` as the first worksheet.
pub fn read_file(file_name: &str, bytes: &[u8], enc: InputEncoding) -> Result<Table, TabularError> {
    // Browsers on Windows may send "C:\fakepath\名簿.csv"; only the last
    // component matters.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let extension = match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    };
    match extension.as_str() {
        "csv" | "txt" => read_csv(bytes, enc),
        "xlsx" | "xlsm" => crate::read_xlsx(bytes, None),
        "" => Err(TabularError::UnknownExtension { extension: "（なし）".to_string() }),
        _ => Err(TabularError::UnknownExtension { extension: format!(".{extension}") }),
    }
}

fn decode(bytes: &[u8], enc: InputEncoding) -> Result<Cow<'_, str>, TabularError> {
    let without_bom = bytes.strip_prefix(UTF8_BOM);
    match enc {
        InputEncoding::Auto => match without_bom {
            // A BOM is an explicit declaration; trust it and report bad bytes.
            Some(body) => decode_utf8(body),
            None => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(Cow::Borrowed(s)),
                Err(_) => SHIFT_JIS
                    .decode_without_bom_handling_and_without_replacement(bytes)
                    .ok_or(TabularError::EncodingUndetermined),
            },
        },
        InputEncoding::Utf8 => decode_utf8(without_bom.unwrap_or(bytes)),
        InputEncoding::Cp932 => SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes).ok_or_else(|| {
            undecodable(CP932_NAME, bytes, |f| {
                SHIFT_JIS.decode_without_bom_handling_and_without_replacement(f).is_none()
            })
        }),
    }
}

fn decode_utf8(body: &[u8]) -> Result<Cow<'_, str>, TabularError> {
    std::str::from_utf8(body)
        .map(Cow::Borrowed)
        .map_err(|_| undecodable(UTF8_NAME, body, |f| std::str::from_utf8(f).is_err()))
}

/// Slow path, only taken when decoding failed: find which rows hold the bad
/// bytes. Parsing the raw bytes is sound for both encodings because the CSV
/// structural bytes (`"` `,` CR LF) never occur inside a UTF-8 or CP932
/// multi-byte character.
fn undecodable(encoding: &'static str, bytes: &[u8], bad: impl Fn(&[u8]) -> bool) -> TabularError {
    let mut rows = Vec::new();
    let result = for_each_record(bytes, |number, record| {
        if record.iter().any(&bad) {
            rows.push(number);
        }
        Ok(())
    });
    if let Err(e) = result {
        return e;
    }
    TabularError::Undecodable { encoding, rows }
}

/// Parse decoded CSV text into a [`Table`].
fn parse_csv(text: &str) -> Result<Table, TabularError> {
    let mut builder = TableBuilder::default();
    for_each_record(text.as_bytes(), |number, record| {
        // Fields of a `&str` are split at ASCII bytes, so each is valid UTF-8
        // and the lossy conversion never replaces anything. A `'` our writer put
        // before a formula-like cell comes off again.
        let cells = record
            .iter()
            .map(|f| crate::write::restore_formula_text(&String::from_utf8_lossy(f)).to_string())
            .collect();
        builder.push(number, cells)
    })?;
    builder.finish()
}

/// Call `f` with the Excel row number and fields of every record.
fn for_each_record(
    bytes: &[u8],
    mut f: impl FnMut(usize, &csv::ByteRecord) -> Result<(), TabularError>,
) -> Result<(), TabularError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        // Short rows are padded and long rows are reported by row number,
        // which is friendlier than the csv crate's length error.
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows = RowCounter { bytes, last: 0 };
    while reader.read_byte_record(&mut record).map_err(|e| TabularError::Csv(e.to_string()))? {
        let start = record.position().map_or(0, |p| p.byte());
        let number = rows.number_at(usize::try_from(start).unwrap_or(usize::MAX));
        f(number, &record)?;
    }
    Ok(())
}

/// Works out Excel row numbers from record positions.
///
/// The csv crate silently skips empty lines and its line counter does not
/// count them consistently across LF / CRLF / CR files, yet Excel shows an
/// empty line as a row. What the crate does give is a byte position that
/// lies in the gap between the previous record's last byte and this record's
/// first byte; that gap consists only of line terminators (an unquoted field
/// cannot contain CR/LF and a quoted one ends with `"`), so counting the
/// terminators in it gives the number of rows advanced.
struct RowCounter<'a> {
    bytes: &'a [u8],
    /// Row number of the previous record; 0 before the first.
    last: usize,
}

impl RowCounter<'_> {
    fn number_at(&mut self, position: usize) -> usize {
        let is_terminator = |b: u8| b == b'\n' || b == b'\r';
        let mut first = position.min(self.bytes.len());
        while first < self.bytes.len() && is_terminator(self.bytes[first]) {
            first += 1;
        }
        let mut i = first;
        let mut breaks = 0;
        while i > 0 && is_terminator(self.bytes[i - 1]) {
            // CRLF is one line break, as are a lone LF or a lone CR.
            i -= if self.bytes[i - 1] == b'\n' && i >= 2 && self.bytes[i - 2] == b'\r' { 2 } else { 1 };
            breaks += 1;
        }
        self.last = if self.last == 0 { 1 + breaks } else { self.last + breaks.max(1) };
        self.last
    }
}

/// Shared by the CSV and xlsx readers so both treat headers, blank rows and
/// ragged rows the same way.
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
