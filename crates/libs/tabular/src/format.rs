//! 書出し形式 (export format): the three file forms every export offers, and writing a table
//! in one of them.

use crate::{Cell, ExportError, OutputEncoding, write_csv_cells, write_xlsx};

/// 書出し形式 (export format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// UTF-8 with BOM (Excel opens it by double-click).
    CsvUtf8,
    /// Shift_JIS as Windows writes it; characters it cannot hold are reported, never replaced.
    Cp932,
    Xlsx,
}

impl ExportFormat {
    /// `csv` (the default, also for an empty value), `utf8`, `cp932`/`sjis`, `xlsx`.
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s.trim() {
            "" | "csv" | "utf8" => Some(ExportFormat::CsvUtf8),
            "cp932" | "sjis" => Some(ExportFormat::Cp932),
            "xlsx" => Some(ExportFormat::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::CsvUtf8 => "text/csv; charset=utf-8",
            ExportFormat::Cp932 => "text/csv; charset=Shift_JIS",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The name `parse` reads back (for links and audit entries).
    pub fn key(self) -> &'static str {
        match self {
            ExportFormat::CsvUtf8 => "csv",
            ExportFormat::Cp932 => "cp932",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::CsvUtf8 | ExportFormat::Cp932 => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// The table as a file of this form (`sheet` names the xlsx worksheet).
    pub fn write(
        self,
        sheet: &str,
        headers: &[&str],
        rows: impl IntoIterator<Item = Vec<Cell>>,
    ) -> Result<Vec<u8>, ExportError> {
        match self {
            ExportFormat::CsvUtf8 => write_csv_cells(headers, rows, OutputEncoding::Utf8Bom),
            ExportFormat::Cp932 => write_csv_cells(headers, rows, OutputEncoding::Cp932),
            ExportFormat::Xlsx => write_xlsx(sheet, headers, rows),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_is_named_parsed_and_written() {
        assert_eq!(ExportFormat::parse(""), Some(ExportFormat::CsvUtf8));
        assert_eq!(ExportFormat::parse(" sjis "), Some(ExportFormat::Cp932));
        assert_eq!(ExportFormat::parse("xlsx"), Some(ExportFormat::Xlsx));
        assert_eq!(ExportFormat::parse("pdf"), None);
        let rows = || vec![vec![Cell::from("髙橋"), Cell::Int(3)]];
        let utf8 = ExportFormat::CsvUtf8.write("s", &["氏名", "件数"], rows()).unwrap();
        assert!(utf8.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
        let sjis = ExportFormat::Cp932.write("s", &["氏名", "件数"], rows()).unwrap();
        assert!(!sjis.starts_with(b"\xEF\xBB\xBF") && sjis.len() < utf8.len());
        let xlsx = ExportFormat::Xlsx.write("s", &["氏名", "件数"], rows()).unwrap();
        assert!(xlsx.starts_with(b"PK"), "a zip container");
        assert_eq!(ExportFormat::Cp932.extension(), "csv");
        assert_eq!(
            ExportFormat::Xlsx.content_type(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
    }
}
