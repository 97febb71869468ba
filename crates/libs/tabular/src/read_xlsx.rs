//! Reading Excel workbooks (.xlsx) into a [`Table`] (Excel 取込).
//!
//! Cells are turned into the text a person sees in Excel, so the same schema
//! and field parsers serve CSV and xlsx imports.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use crate::error::TabularError;
use crate::read::{Table, TableBuilder};

/// Read one worksheet of an .xlsx workbook; the first sheet when `sheet` is
/// `None`.
///
/// * integral numbers print without ".0" (a code 220001 stored as a number
///   comes out "220001"); other numbers are rounded to Excel's 15 significant
///   digits, so 0.1+0.2 reads "0.3" as Excel shows it;
/// * date cells become "YYYY-MM-DD" (with " HH:MM:SS" only if there is a time);
/// * booleans become "TRUE" / "FALSE", error cells their code ("#N/A");
/// * empty cells become "".
///
/// Row numbers are the sheet's own row numbers, so they match what the person
/// sees even if the table does not start in row 1.
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, TabularError> {
    // calamine can panic on hostile workbooks (integer overflow on a dimension reference such
    // as `A1:XFD0` or a column of many letters, found by the xlsx fuzz target, in builds with
    // overflow checks). A panic is never how bad input is refused: it becomes an error here.
    check_shared_strings(bytes)?;
    std::panic::catch_unwind(|| read_xlsx_unguarded(bytes, sheet))
        .unwrap_or_else(|_| Err(TabularError::XlsxUnreadable("the workbook's structure is broken (壊れた構造)".into())))
}

/// How much of a shared-strings part is decompressed to measure it (a larger part is refused).
const MAX_SHARED_STRINGS_BYTES: u64 = 256 * 1024 * 1024;

/// calamine 0.38 reserves room for as many strings as the workbook declares (`<sst
/// uniqueCount="…">`) before it reads any. A hostile count makes that allocation fail, and a
/// failed allocation aborts the whole process: it is not a panic, so the guard in [`read_xlsx`]
/// cannot catch it (found by the xlsx fuzz target). Every string takes at least five bytes of the
/// part (`<si/>`), so a count above a fifth of the part's decompressed length is false: the file
/// is refused before calamine sees it.
fn check_shared_strings(bytes: &[u8]) -> Result<(), TabularError> {
    let broken =
        || TabularError::XlsxUnreadable("the shared strings declare more entries than they hold (壊れた構造)".into());
    // Not a zip, or a broken one: calamine reports it in its own words.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else { continue };
        let is_sst = part.name().is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        if !is_sst {
            continue;
        }
        let mut head = Vec::new();
        if (&mut part).take(64 * 1024).read_to_end(&mut head).is_err() {
            continue; // calamine meets the same error and reports it
        }
        let Some(declared) = unique_count(&head) else { continue };
        let rest = std::io::copy(&mut (&mut part).take(MAX_SHARED_STRINGS_BYTES), &mut std::io::sink()).unwrap_or(0);
        let length = head.len() as u64 + rest;
        if length >= MAX_SHARED_STRINGS_BYTES || declared > length / 5 {
            return Err(broken());
        }
    }
    Ok(())
}

/// The `uniqueCount` of the first `<sst …>` tag in `head`; `u64::MAX` when it is too large to read.
fn unique_count(head: &[u8]) -> Option<u64> {
    let sst = head.windows(4).position(|w| w == b"<sst")?;
    // The tag ends at the first `>` outside a quoted value (a value may hold `>`; XML allows it).
    let mut quote = None;
    let mut tag_end = head.len();
    for (i, &b) in head[sst..].iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                tag_end = sst + i;
                break;
            }
            None => {}
        }
    }
    let tag = &head[sst..tag_end];
    let at = tag.windows(11).position(|w| w == b"uniqueCount")? + 11;
    let value = tag[at..].iter().skip_while(|b| b.is_ascii_whitespace() || **b == b'=' || **b == b'"' || **b == b'\'');
    let digits: Vec<u8> = value.take_while(|b| b.is_ascii_digit()).copied().collect();
    if digits.is_empty() {
        return None;
    }
    Some(std::str::from_utf8(&digits).ok()?.parse::<u64>().unwrap_or(u64::MAX))
}

fn read_xlsx_unguarded(bytes: &[u8], sheet: Option<&str>) -> Result<Table, TabularError> {
    let unreadable = |e: calamine::XlsxError| TabularError::XlsxUnreadable(e.to_string());
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let names = workbook.sheet_names();
    let name = match sheet {
        None => names.first().cloned().ok_or(TabularError::Empty)?,
        Some(wanted) => names
            .iter()
            // People type sheet names with stray spaces; an exact match wins.
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.trim() == wanted.trim()))
            .cloned()
            .ok_or_else(|| TabularError::SheetNotFound { name: wanted.to_string(), available: names.clone() })?,
    };
    let range = workbook.worksheet_range(&name).map_err(unreadable)?;
    let Some((first_row, _)) = range.start() else {
        return Err(TabularError::Empty);
    };
    let mut builder = TableBuilder::default();
    for (i, cells) in range.rows().enumerate() {
        let number = first_row as usize + 1 + i;
        builder.push(number, cells.iter().map(cell_text).collect())?;
    }
    builder.finish()
}

/// The text Excel would show for a cell, in the forms the field parsers accept.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) if dt.is_duration() => duration_text(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            let has_time = (h, mi, s, ms) != (0, 0, 0, 0);
            if dt.as_f64() < 1.0 && has_time {
                // A time of day with no date part.
                format!("{h:02}:{mi:02}:{s:02}")
            } else if has_time {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}")
            }
        }
        Data::DateTimeIso(s) => {
            let s = s.strip_suffix("T00:00:00").unwrap_or(s);
            s.replacen('T', " ", 1)
        }
        Data::DurationIso(s) => s.clone(),
    }
}

/// Numbers as Excel displays them in a "General" cell: Excel keeps 15
/// significant digits, so float noise beyond that is not something the
/// person typed.
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        // Avoid "-0".
        return "0".to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        // `{}` never prints ".0" for f64, and below 1e15 the value is exact.
        return format!("{f}");
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{rounded}")
}

fn duration_text(days: f64) -> String {
    let total_seconds = (days * 86_400.0).round() as i64;
    let sign = if total_seconds < 0 { "-" } else { "" };
    // A huge duration saturates to i64::MIN, whose `abs` overflows: a hostile file must not
    // panic the reader.
    let t = total_seconds.unsigned_abs();
    format!("{sign}{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn a_huge_duration_is_text_not_a_panic() {
        assert_eq!(duration_text(-1.0 / 24.0), "-1:00:00");
        assert!(duration_text(-1e300).starts_with('-'));
        assert!(!duration_text(1e300).is_empty());
        assert!(!duration_text(f64::NAN).is_empty());
    }

    #[test]
    fn numbers_print_as_excel_shows_them() {
        assert_eq!(number_text(220001.0), "220001");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1234567.891), "1234567.891");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }

    #[test]
    fn date_cells_become_iso_dates() {
        // 45748 = 2025-04-01 in the 1900 date system.
        let dt = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&dt(45748.0)), "2025-04-01");
        assert_eq!(cell_text(&dt(45748.5)), "2025-04-01 12:00:00");
        assert_eq!(cell_text(&dt(0.75)), "18:00:00");
        let dur = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(cell_text(&dur), "36:00:00");
        assert_eq!(cell_text(&Data::DateTimeIso("2025-04-01T00:00:00".into())), "2025-04-01");
    }

    #[test]
    fn garbage_is_reported_as_unreadable() {
        let e = read_xlsx(b"not a zip", None).unwrap_err();
        assert!(matches!(e, TabularError::XlsxUnreadable(_)));
        assert!(e.to_string().starts_with("Excel ファイル（xlsx）を読み込めませんでした"));
    }
}
