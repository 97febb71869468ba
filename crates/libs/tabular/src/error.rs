//! Errors that stop a whole import or export (as opposed to per-row
//! validation errors, which are collected in [`crate::ImportReport`]).
//!
//! `Display` is Japanese because that is what the person at the counter reads;
//! `message_en()` gives the English text for the English UI and logs.

use serde::Serialize;

/// Longest list of row numbers spelled out in a message; a file with a wrong
/// encoding can have an error on every row, and nobody reads 10,000 numbers.
const MAX_ROWS_IN_MESSAGE: usize = 10;

/// A file could not be read as a table at all (読み込みエラー).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TabularError {
    /// Auto-detection found neither UTF-8 nor Shift_JIS (CP932).
    #[error(
        "文字コードを判別できませんでした。UTF-8 または Shift_JIS(CP932) で保存し直すか、読み込み時に文字コードを指定してください。"
    )]
    EncodingUndetermined,

    /// The bytes are not valid in the encoding that was declared or chosen.
    #[error("{}に {} として読めない文字があります。文字コードの指定を確認してください。", rows_ja(rows), encoding)]
    Undecodable {
        /// Encoding name as shown to people ("UTF-8", "Shift_JIS(CP932)").
        encoding: &'static str,
        /// Rows (Excel numbering) containing undecodable bytes.
        rows: Vec<usize>,
    },

    /// The file has no header row (空のファイル).
    #[error("ファイルが空です（見出し行がありません）。")]
    Empty,

    /// A data row has non-empty cells beyond the last header.
    #[error("{row}行目の項目数が多すぎます（見出しは{expected}列、この行は{found}列）。")]
    TooManyCells { row: usize, expected: usize, found: usize },

    /// The CSV parser itself failed.
    #[error("CSV を読み込めませんでした: {0}")]
    Csv(String),

    /// calamine could not open the workbook or the sheet.
    #[error("Excel ファイル（xlsx）を読み込めませんでした: {0}")]
    XlsxUnreadable(String),

    /// The requested sheet does not exist.
    #[error("シート「{name}」が見つかりません（あるシート: {}）。", quoted_list(available))]
    SheetNotFound { name: String, available: Vec<String> },

    /// A file read more than once by an import (a check, then the write) was changed in
    /// between; nothing was written.
    #[error("ファイルが取り込みの途中で変更されました。何も書き込んでいません。もう一度取り込んでください。")]
    Changed,

    /// The file name has an extension we do not read.
    #[error("拡張子「{extension}」のファイルは読み込めません。CSV（.csv / .txt）か Excel（.xlsx）で保存してください。")]
    UnknownExtension { extension: String },
}

impl TabularError {
    /// English text of the error.
    pub fn message_en(&self) -> String {
        match self {
            Self::EncodingUndetermined => "Could not determine the character encoding. Save the file as UTF-8 or Shift_JIS (CP932), or choose the encoding explicitly when importing.".to_string(),
            Self::Undecodable { encoding, rows } => format!(
                "{} contain characters that are not valid {encoding}. Check the selected encoding.",
                rows_en(rows)
            ),
            Self::Empty => "The file is empty (there is no header row).".to_string(),
            Self::TooManyCells { row, expected, found } => format!(
                "Row {row} has too many cells ({expected} headers, {found} cells in this row)."
            ),
            Self::Csv(m) => format!("Could not read the CSV: {m}"),
            Self::XlsxUnreadable(m) => format!("Could not read the Excel (xlsx) file: {m}"),
            Self::SheetNotFound { name, available } => format!(
                "Sheet \"{name}\" not found (sheets: {}).",
                quoted_list(available)
            ),
            Self::Changed => {
                "The file was changed while it was being imported. Nothing was written; import it again.".to_string()
            }
            Self::UnknownExtension { extension } => format!(
                "Files with the extension \"{extension}\" cannot be imported. Save as CSV (.csv / .txt) or Excel (.xlsx)."
            ),
        }
    }
}

fn rows_ja(rows: &[usize]) -> String {
    let mut s = rows.iter().take(MAX_ROWS_IN_MESSAGE).map(|r| format!("{r}行目")).collect::<Vec<_>>().join("、");
    if rows.len() > MAX_ROWS_IN_MESSAGE {
        s.push_str(&format!("ほか（計{}行）", rows.len()));
    }
    s
}

fn rows_en(rows: &[usize]) -> String {
    let list = rows.iter().take(MAX_ROWS_IN_MESSAGE).map(usize::to_string).collect::<Vec<_>>().join(", ");
    let plural = if rows.len() == 1 { "Row" } else { "Rows" };
    if rows.len() > MAX_ROWS_IN_MESSAGE {
        format!("{plural} {list} and others ({} rows in total)", rows.len())
    } else {
        format!("{plural} {list}")
    }
}

fn quoted_list(items: &[String]) -> String {
    items.iter().map(|s| format!("「{s}」")).collect::<Vec<_>>().join("")
}

/// One cell character that cannot be written in the requested encoding
/// (CP932 で表せない文字).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Unencodable {
    /// Row in the output file (header = 1, first data row = 2).
    pub row: usize,
    /// Header of the column.
    pub column: String,
    /// The offending character.
    pub character: char,
    /// The whole cell, so the person can find it.
    pub value: String,
}

impl Unencodable {
    /// e.g. "5行目「名称」の文字「𠮷」はShift_JIS(CP932)で表せません"
    pub fn message_ja(&self) -> String {
        format!("{}行目「{}」の文字「{}」はShift_JIS(CP932)で表せません", self.row, self.column, self.character)
    }

    pub fn message_en(&self) -> String {
        format!(
            "Row {}, \"{}\": the character \"{}\" (U+{:04X}) cannot be represented in Shift_JIS (CP932)",
            self.row, self.column, self.character, self.character as u32
        )
    }
}

/// An export could not be produced (書き出しエラー).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, schemars::JsonSchema)]
#[non_exhaustive]
pub enum ExportError {
    /// Characters that CP932 cannot hold. Every such cell is listed so the
    /// person can fix them all at once, or choose UTF-8 instead; silently
    /// replacing them would corrupt names in official records.
    #[error("{}", unencodable_ja(items))]
    Unencodable { items: Vec<Unencodable> },

    /// A row's cell count differs from the header count (a programming error
    /// in the caller; writing it would shift data into the wrong columns).
    #[error("{row}行目の項目数（{found}）が見出しの数（{expected}）と一致しません。")]
    RowLength { row: usize, expected: usize, found: usize },

    /// More rows than an Excel sheet can hold.
    #[error("行数が Excel の上限（1,048,576行）を超えています。CSV で書き出してください。")]
    TooManyRows,

    /// The CSV writer failed.
    #[error("CSV を書き出せませんでした: {0}")]
    Csv(String),

    /// rust_xlsxwriter failed.
    #[error("Excel ファイル（xlsx）を書き出せませんでした: {0}")]
    Xlsx(String),
}

impl ExportError {
    /// English text of the error.
    pub fn message_en(&self) -> String {
        match self {
            Self::Unencodable { items } => items.iter().map(Unencodable::message_en).collect::<Vec<_>>().join("\n"),
            Self::RowLength { row, expected, found } => {
                format!("Row {row} has {found} cells but there are {expected} headers.")
            }
            Self::TooManyRows => {
                "Too many rows for an Excel sheet (limit 1,048,576). Export as CSV instead.".to_string()
            }
            Self::Csv(m) => format!("Could not write the CSV: {m}"),
            Self::Xlsx(m) => format!("Could not write the Excel (xlsx) file: {m}"),
        }
    }
}

fn unencodable_ja(items: &[Unencodable]) -> String {
    items.iter().map(Unencodable::message_ja).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unencodable_message_matches_the_wording_people_see() {
        let u = Unencodable { row: 5, column: "名称".into(), character: '𠮷', value: "𠮷野家".into() };
        assert_eq!(u.message_ja(), "5行目「名称」の文字「𠮷」はShift_JIS(CP932)で表せません");
        assert!(u.message_en().contains("U+20BB7"));
    }

    #[test]
    fn long_row_lists_are_shortened() {
        let e = TabularError::Undecodable { encoding: "UTF-8", rows: (2..40).collect() };
        let ja = e.to_string();
        assert!(ja.starts_with("2行目、3行目"));
        assert!(ja.contains("ほか（計38行）"));
        assert!(e.message_en().starts_with("Rows 2, 3"));
    }
}
