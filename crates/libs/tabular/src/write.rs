//! Writing CSV (CSV 書出し).
//!
//! The default is UTF-8 with a BOM and CRLF line endings: Excel opens that
//! correctly by double-click, while BOM-less UTF-8 is shown as mojibake.
//! CP932 is offered for older systems that only take Shift_JIS; characters
//! CP932 cannot hold are reported, never dropped or replaced, because a
//! silently altered name in an official record is worse than a failed export.

use chrono::NaiveDate;
use encoding_rs::SHIFT_JIS;

use crate::error::{ExportError, Unencodable};

/// Character encoding of an exported CSV (出力文字コード).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputEncoding {
    /// UTF-8 with BOM: what Excel needs to recognise UTF-8.
    #[default]
    Utf8Bom,
    /// UTF-8 without BOM, for programs that choke on the BOM.
    Utf8,
    /// Shift_JIS as Windows writes it (CP932).
    Cp932,
}

/// A typed cell, so one row source can feed both CSV and xlsx.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, including codes: "00123" stays "00123" (never a number).
    Text(String),
    Int(i64),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    /// The CSV form: dates as "YYYY-MM-DD" (which Excel recognises and
    /// [`crate::parse_required_date`] reads back), numbers as Rust prints them
    /// (never with exponent or a trailing ".0").
    pub fn to_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Number(f) => f.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Self {
        Cell::Int(i)
    }
}

impl From<f64> for Cell {
    fn from(f: f64) -> Self {
        Cell::Number(f)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Write a CSV with a header row and CRLF line endings.
///
/// Every row must have `headers.len()` cells ([`ExportError::RowLength`]).
/// With [`OutputEncoding::Cp932`], every cell holding a character CP932
/// cannot represent is listed in [`ExportError::Unencodable`] (row numbers as
/// Excel will show them: header = 1).
///
/// Some JIS X 0208 characters have two Unicode code points: the one macOS and
/// JIS use and the one Windows (CP932) uses, e.g. the wave dash "〜" U+301C
/// vs "～" U+FF5E (波ダッシュ問題). Those are written as the CP932 byte for the
/// same JIS character, so the file reads back with the Windows code point;
/// this is the same character, not a substitute, and refusing it would fail
/// every export containing text typed on a Mac. Likewise "¥" → 0x5C,
/// "‾" → 0x7E and "−" (U+2212) → "－", as the Windows encoder does. See
/// [`is_cp932_encodable`].
pub fn write_csv(
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
    enc: OutputEncoding,
) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    if enc == OutputEncoding::Utf8Bom {
        out.extend_from_slice(UTF8_BOM);
    }
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let check = enc == OutputEncoding::Cp932;
    let mut unencodable = Vec::new();
    let csv_error = |e: csv::Error| ExportError::Csv(e.to_string());

    if check {
        for header in headers {
            find_unencodable(1, header, header, &mut unencodable);
        }
    }
    writer.write_record(headers.iter().map(|h| neutralise_formula(h).into_owned())).map_err(csv_error)?;
    for (i, row) in rows.into_iter().enumerate() {
        let number = i + 2;
        if row.len() != headers.len() {
            return Err(ExportError::RowLength { row: number, expected: headers.len(), found: row.len() });
        }
        if check {
            for (value, header) in row.iter().zip(headers) {
                find_unencodable(number, header, value, &mut unencodable);
            }
        }
        // Rows with unencodable cells are still written so that the scan
        // covers the whole table; the output is discarded below.
        writer.write_record(row.iter().map(|c| neutralise_formula(c).into_owned())).map_err(csv_error)?;
    }
    let utf8 = writer.into_inner().map_err(|e| ExportError::Csv(e.to_string()))?;
    if !unencodable.is_empty() {
        return Err(ExportError::Unencodable { items: unencodable });
    }
    if !check {
        return Ok(utf8);
    }
    // Everything written came from `&str`, so this cannot fail.
    let text = String::from_utf8(utf8).map_err(|e| ExportError::Csv(e.to_string()))?;
    let text: String = text.chars().map(windows_code_point).collect();
    let (bytes, _, had_errors) = SHIFT_JIS.encode(&text);
    debug_assert!(!had_errors, "every cell was checked above");
    Ok(bytes.into_owned())
}

/// 数式の無害化 (CSV injection): a cell that begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return is taken as a formula by Excel and LibreOffice
/// when the file is opened, so a name typed as `=HYPERLINK(…)` by one user
/// would run on another's desk. Such a cell is written with a leading `'`
/// (OWASP's recommendation), which the spreadsheet shows as text. A plain
/// number such as `-1500` or `+3.5` is not a formula and is left as it is, so
/// negative amounts stay numbers.
///
/// The reader takes the `'` off again ([`restore_formula_text`]), so what we
/// write reads back unchanged. To keep that exact, a cell that already begins
/// with apostrophes before such a character gets one more.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralise_formula`], applied by the CSV reader.
pub fn restore_formula_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

fn looks_like_formula(cell: &str) -> bool {
    let text = cell.trim_start_matches('\'');
    let risky = text.chars().next().is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    risky && !is_plain_number(text)
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// [`write_csv`] for typed rows (see [`Cell::to_text`]).
pub fn write_csv_cells(
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
    enc: OutputEncoding,
) -> Result<Vec<u8>, ExportError> {
    write_csv(headers, rows.into_iter().map(|r| r.iter().map(Cell::to_text).collect()), enc)
}

/// Whether a character can be written in CP932 by [`write_csv`]: it is in
/// CP932 (including the NEC/IBM extensions such as "髙" and "①"), or it is
/// the JIS/macOS code point of a CP932 character (e.g. "〜" U+301C).
pub fn is_cp932_encodable(c: char) -> bool {
    let mut buf = [0u8; 4];
    !SHIFT_JIS.encode(windows_code_point(c).encode_utf8(&mut buf)).2
}

/// The CP932 (Windows) code point for JIS X 0208 characters that JIS and
/// macOS map to a different Unicode code point.
fn windows_code_point(c: char) -> char {
    match c {
        '\u{301C}' => '\u{FF5E}', // 〜 WAVE DASH → ～
        '\u{2016}' => '\u{2225}', // ‖ DOUBLE VERTICAL LINE → ∥
        '\u{2014}' => '\u{2015}', // — EM DASH → ―
        '\u{00A2}' => '\u{FFE0}', // ¢ → ￠
        '\u{00A3}' => '\u{FFE1}', // £ → ￡
        '\u{00AC}' => '\u{FFE2}', // ¬ → ￢
        _ => c,
    }
}

/// Append one entry per distinct unencodable character of `value`.
fn find_unencodable(row: usize, column: &str, value: &str, out: &mut Vec<Unencodable>) {
    // Fast path: most cells are ASCII or encode cleanly as a whole.
    if value.is_ascii() {
        return;
    }
    let windows: String = value.chars().map(windows_code_point).collect();
    if !SHIFT_JIS.encode(&windows).2 {
        return;
    }
    let mut seen: Vec<char> = Vec::new();
    for c in value.chars() {
        if !seen.contains(&c) && !is_cp932_encodable(c) {
            seen.push(c);
            out.push(Unencodable { row, column: column.to_string(), character: c, value: value.to_string() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn utf8_bom_with_crlf_and_quoting() {
        let out = write_csv(&["a", "b"], rows(&[&["x,y", "line\nbreak"], &["\"q\"", ""]]), OutputEncoding::default())
            .unwrap();
        assert_eq!(out, b"\xEF\xBB\xBFa,b\r\n\"x,y\",\"line\nbreak\"\r\n\"\"\"q\"\"\",\r\n");
        let plain = write_csv(&["a"], rows(&[&["1"]]), OutputEncoding::Utf8).unwrap();
        assert_eq!(plain, b"a\r\n1\r\n");
    }

    #[test]
    fn cp932_output_is_shift_jis() {
        let out = write_csv(&["名称"], rows(&[&["髙橋①"], &["9:00〜17:00 ‖—¢£¬"]]), OutputEncoding::Cp932).unwrap();
        let (expected, _, _) = SHIFT_JIS.encode("名称\r\n髙橋①\r\n9:00～17:00 ∥―￠￡￢\r\n");
        assert_eq!(out, expected.as_ref());
    }

    #[test]
    fn every_unencodable_cell_is_listed() {
        let e = write_csv(
            &["コード", "名称"],
            rows(&[&["1", "山田"], &["2", "𠮷野家😀𠮷"], &["3", "吉野"], &["4", "x"], &["5", "🍣"]]),
            OutputEncoding::Cp932,
        )
        .unwrap_err();
        let ExportError::Unencodable { items } = &e else { panic!("{e:?}") };
        let found: Vec<(usize, &str, char)> = items.iter().map(|u| (u.row, u.column.as_str(), u.character)).collect();
        assert_eq!(found, [(3, "名称", '𠮷'), (3, "名称", '😀'), (6, "名称", '🍣')]);
        assert_eq!(items[0].value, "𠮷野家😀𠮷");
        assert!(e.to_string().starts_with("3行目「名称」の文字「𠮷」はShift_JIS(CP932)で表せません\n"));
    }

    #[test]
    fn unencodable_header_is_row_1() {
        let e = write_csv(&["€"], Vec::<Vec<String>>::new(), OutputEncoding::Cp932).unwrap_err();
        assert!(e.to_string().starts_with("1行目「€」の文字「€」"));
    }

    #[test]
    fn ragged_rows_are_a_caller_error() {
        let e = write_csv(&["a", "b"], rows(&[&["1", "2"], &["1"]]), OutputEncoding::Utf8).unwrap_err();
        assert_eq!(e, ExportError::RowLength { row: 3, expected: 2, found: 1 });
    }

    #[test]
    fn typed_cells_as_text() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        let out = write_csv_cells(
            &["c", "i", "n", "d", "e"],
            [vec![Cell::from("007"), Cell::Int(-5), Cell::Number(1.5), Cell::Date(d), Cell::from(None::<i64>)]],
            OutputEncoding::Utf8,
        )
        .unwrap();
        assert_eq!(out, b"c,i,n,d,e\r\n007,-5,1.5,2025-04-01,\r\n");
        assert_eq!(Cell::Number(3.0).to_text(), "3");
    }

    #[test]
    fn formulas_are_written_as_text_in_utf8_and_cp932() {
        let cells: &[&str] = &[
            "=HYPERLINK(\"http://x\",\"y\")",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\tTab",
            "\rCR",
            "-1500",
            "+3.5",
            "下田市",
            "a=b",
            "'=literal",
        ];
        for enc in [OutputEncoding::Utf8, OutputEncoding::Cp932] {
            let out = write_csv(&["値"], cells.iter().map(|c| vec![c.to_string()]), enc).unwrap();
            let text = match enc {
                OutputEncoding::Cp932 => SHIFT_JIS.decode(&out).0.into_owned(),
                _ => String::from_utf8(out).unwrap(),
            };
            let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            let got: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
            assert_eq!(
                got,
                [
                    "'=HYPERLINK(\"http://x\",\"y\")",
                    "'+SUM(A1)",
                    "'-2+3",
                    "'@cmd",
                    "'\tTab",
                    "'\rCR",
                    "-1500",
                    "+3.5",
                    "下田市",
                    "a=b",
                    "''=literal"
                ],
                "{enc:?}"
            );
        }
        let back = crate::read_csv(
            &write_csv(&["値"], cells.iter().map(|c| vec![c.to_string()]), OutputEncoding::Utf8Bom).unwrap(),
            crate::InputEncoding::Auto,
        )
        .unwrap();
        let back: Vec<&str> = back.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(back, cells, "our reader reads back what was meant");
        let typed =
            write_csv_cells(&["n"], [vec![Cell::Int(-5)], vec![Cell::Number(-1.25)]], OutputEncoding::Utf8).unwrap();
        assert_eq!(String::from_utf8(typed).unwrap(), "n\r\n-5\r\n-1.25\r\n", "negative numbers stay numbers");
    }
}
