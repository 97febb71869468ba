//! Writing Excel workbooks (Excel 書出し).

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::error::ExportError;
use crate::normalize::display_width;
use crate::write::Cell;

/// Excel's row limit, header included.
const MAX_ROWS: usize = 1_048_576;
/// Excel shows at most 15 significant digits; larger integers are written as
/// text so that e.g. a 16-digit number keeps its last digit.
const MAX_EXACT_INT: u64 = 999_999_999_999_999;
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// Room for the bold font and the autofilter button on the header.
const HEADER_PADDING: usize = 4;

/// Write one sheet with a header row.
///
/// * header row bold, frozen, with an autofilter;
/// * `Cell::Text` is stored as text with the "@" (文字列) format, so codes
///   like "00123" keep their leading zeros even when the person edits them;
/// * `Cell::Int` uses the format "0" so long numbers are not shown as
///   1.23E+11, and integers beyond 15 digits are written as text;
/// * `Cell::Date` uses "yyyy/mm/dd";
/// * column widths follow the longest value, counting Japanese characters
///   as two.
///
/// The sheet name is adjusted to Excel's rules (no `[]:*?/\`, at most 31
/// characters) rather than failing an export over a cosmetic detail.
pub fn write_xlsx(
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<Vec<u8>, ExportError> {
    let header_format = Format::new().set_bold();
    let text_format = Format::new().set_num_format("@");
    let int_format = Format::new().set_num_format("0");
    let date_format = Format::new().set_num_format("yyyy/mm/dd");

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sanitize_sheet_name(sheet_name)).map_err(plain)?;

    let mut widths: Vec<usize> = headers.iter().map(|h| longest_line(h) + HEADER_PADDING).collect();
    for (c, header) in headers.iter().enumerate() {
        let col = column(c)?;
        sheet.write_string_with_format(0, col, *header, &header_format).map_err(|e| located(1, header, e))?;
    }

    let mut last_row = 0;
    for (i, row) in rows.into_iter().enumerate() {
        let number = i + 2;
        if number > MAX_ROWS {
            return Err(ExportError::TooManyRows);
        }
        if row.len() != headers.len() {
            return Err(ExportError::RowLength { row: number, expected: headers.len(), found: row.len() });
        }
        let r = (number - 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = column(c)?;
            let width = write_cell(sheet, r, col, cell, &text_format, &int_format, &date_format)
                .map_err(|e| located(number, headers[c], e))?;
            widths[c] = widths[c].max(width);
        }
        last_row = r;
    }

    for (c, w) in widths.iter().enumerate() {
        let width = (*w).clamp(MIN_WIDTH, MAX_WIDTH) as f64;
        sheet.set_column_width(column(c)?, width).map_err(plain)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(plain)?;
    if !headers.is_empty() {
        sheet.autofilter(0, 0, last_row, column(headers.len() - 1)?).map_err(plain)?;
    }
    workbook.save_to_buffer().map_err(plain)
}

/// Write one cell and return its display width.
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    col: u16,
    cell: &Cell,
    text_format: &Format,
    int_format: &Format,
    date_format: &Format,
) -> Result<usize, XlsxError> {
    match cell {
        Cell::Text(s) => {
            sheet.write_string_with_format(r, col, s, text_format)?;
            Ok(longest_line(s))
        }
        Cell::Int(n) if n.unsigned_abs() <= MAX_EXACT_INT => {
            sheet.write_number_with_format(r, col, *n as f64, int_format)?;
            Ok(n.to_string().len())
        }
        Cell::Int(n) => {
            sheet.write_string_with_format(r, col, n.to_string(), text_format)?;
            Ok(n.to_string().len())
        }
        Cell::Number(f) if f.is_finite() => {
            sheet.write_number(r, col, *f)?;
            // General format shows at most about 11 characters.
            Ok(f.to_string().len().min(12))
        }
        Cell::Number(f) => {
            sheet.write_string(r, col, f.to_string())?;
            Ok(f.to_string().len())
        }
        Cell::Date(d) => {
            let excel = u16::try_from(d.year())
                .ok()
                .and_then(|y| ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok())
                // Excel's calendar starts in 1900; it rejects earlier dates.
                .filter(|_| d.year() >= 1900);
            match excel {
                Some(dt) => sheet.write_datetime_with_format(r, col, &dt, date_format)?,
                None => sheet.write_string_with_format(r, col, d.format("%Y-%m-%d").to_string(), text_format)?,
            };
            Ok(10)
        }
        Cell::Empty => Ok(0),
    }
}

fn column(c: usize) -> Result<u16, ExportError> {
    u16::try_from(c).map_err(|_| ExportError::Xlsx(format!("列が多すぎます（{}列）", c + 1)))
}

fn longest_line(s: &str) -> usize {
    s.lines().map(display_width).max().unwrap_or(0)
}

fn plain(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

fn located(row: usize, header: &str, e: XlsxError) -> ExportError {
    ExportError::Xlsx(format!("{row}行目「{header}」: {e}"))
}

/// Make a name Excel accepts: forbidden characters become "_", leading and
/// trailing apostrophes go, and the name is cut to 31 UTF-16 units.
fn sanitize_sheet_name(name: &str) -> String {
    let replaced: String = name.trim().chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
    let mut out = String::new();
    let mut units = 0;
    for c in replaced.trim_matches('\'').chars() {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end_matches('\'').to_string();
    if out.is_empty() {
        "Sheet1".to_string()
    } else if out.eq_ignore_ascii_case("history") {
        // Reserved by Excel for change tracking.
        format!("{out}_")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_acceptable() {
        assert_eq!(sanitize_sheet_name("団体一覧"), "団体一覧");
        assert_eq!(sanitize_sheet_name("2025/04 [案]"), "2025_04 _案_");
        assert_eq!(sanitize_sheet_name("'x'"), "x");
        assert_eq!(sanitize_sheet_name("  "), "Sheet1");
        assert_eq!(sanitize_sheet_name("History"), "History_");
        let long = "あ".repeat(40);
        assert_eq!(sanitize_sheet_name(&long).chars().count(), 31);
        assert_eq!(sanitize_sheet_name(&"𠮷".repeat(20)).chars().count(), 15);
    }

    #[test]
    fn ragged_rows_are_rejected() {
        let e = write_xlsx("s", &["a", "b"], [vec![Cell::Empty]]).unwrap_err();
        assert_eq!(e, ExportError::RowLength { row: 2, expected: 2, found: 1 });
    }
}
