//! Collecting per-row validation errors (取込エラー一覧).
//!
//! An import checks every row and reports all problems at once, each with the
//! row number and column header the person sees in their own file, so they
//! can fix the file in one pass instead of one error per upload.

use std::fmt;

use serde::Serialize;

use crate::schema::BoundRow;

/// Why one value was rejected, in both UI languages. Field parsers return
/// it; callers doing domain checks create their own with [`FieldError::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[error("{message_ja}")]
pub struct FieldError {
    pub message_ja: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(message_ja: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self { message_ja: message_ja.into(), message_en: message_en.into() }
    }
}

/// One problem in one cell (or row, or the header row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RowError {
    /// Row number as Excel shows it (header = 1).
    pub row: usize,
    /// Column header as the file has it, or the Japanese header if the file
    /// lacks the column; "" for an error about the whole row.
    pub column: String,
    /// The offending (trimmed) value; "" if not about a single value.
    pub value: String,
    pub message_ja: String,
    pub message_en: String,
    /// Schema position of the column, so errors sort in the file's column
    /// order rather than by header text; `None` sorts after known columns.
    #[serde(skip)]
    order: Option<usize>,
}

impl RowError {
    /// An error from validation done by the caller (e.g. a check digit or a
    /// duplicate code across rows). Prefer [`BoundRow::error`] when you have
    /// the row: it also fills in the value and the column order.
    pub fn custom(
        row: usize,
        column: impl Into<String>,
        message_ja: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Self {
            row,
            column: column.into(),
            value: String::new(),
            message_ja: message_ja.into(),
            message_en: message_en.into(),
            order: None,
        }
    }

    pub(crate) fn set_order(&mut self, order: Option<usize>) {
        self.order = order;
    }

    fn sort_key(&self) -> (usize, usize) {
        (self.row, self.order.unwrap_or(usize::MAX))
    }

    /// e.g. "3行目「団体コード」: 検査数字が違います（正しくは 4）"
    pub fn render_ja(&self) -> String {
        if self.column.is_empty() {
            format!("{}行目: {}", self.row, self.message_ja)
        } else {
            format!("{}行目「{}」: {}", self.row, self.column, self.message_ja)
        }
    }

    /// e.g. "Row 3, \"団体コード\": wrong check digit (should be 4)"
    pub fn render_en(&self) -> String {
        if self.column.is_empty() {
            format!("Row {}: {}", self.row, self.message_en)
        } else {
            format!("Row {}, \"{}\": {}", self.row, self.column, self.message_en)
        }
    }
}

/// All errors found in one import, plus how many rows were checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct ImportReport {
    /// Sorted by row, then column order.
    pub errors: Vec<RowError>,
    pub rows_checked: usize,
}

impl ImportReport {
    pub fn new(rows_checked: usize) -> Self {
        Self { errors: Vec::new(), rows_checked }
    }

    /// Record `result`'s error against `row` and the column `key`, returning
    /// the value if there was one. Lets an import read as a list of fields
    /// and still collect every error.
    pub fn field<T>(&mut self, row: &BoundRow<'_>, key: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(row.error(key, e));
                None
            }
        }
    }

    /// Add an error, keeping the list sorted (stable for equal positions).
    pub fn add(&mut self, error: RowError) {
        let key = error.sort_key();
        let at = self.errors.partition_point(|e| e.sort_key() <= key);
        self.errors.insert(at, error);
    }

    /// No errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// One line per error, in Japanese.
    pub fn render_ja(&self) -> String {
        self.sorted().map(RowError::render_ja).collect::<Vec<_>>().join("\n")
    }

    /// One line per error, in English.
    pub fn render_en(&self) -> String {
        self.sorted().map(RowError::render_en).collect::<Vec<_>>().join("\n")
    }

    /// `errors` is public, so a caller may have pushed out of order.
    fn sorted(&self) -> impl Iterator<Item = &RowError> {
        let mut v: Vec<&RowError> = self.errors.iter().collect();
        v.sort_by_key(|e| e.sort_key());
        v.into_iter()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_ja())
    }
}

impl std::error::Error for ImportReport {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_sort_by_row_then_column_order() {
        let mut r = ImportReport::new(3);
        let mut later_col = RowError::custom(3, "名称", "b", "b");
        later_col.set_order(Some(1));
        let mut first_col =
            RowError::custom(3, "団体コード", "検査数字が違います（正しくは 4）", "wrong check digit (should be 4)");
        first_col.set_order(Some(0));
        r.add(RowError::custom(4, "", "行全体", "whole row"));
        r.add(later_col);
        r.add(first_col);
        r.add(RowError::custom(2, "x", "c", "c"));
        assert_eq!(
            r.render_ja(),
            "2行目「x」: c\n3行目「団体コード」: 検査数字が違います（正しくは 4）\n3行目「名称」: b\n4行目: 行全体"
        );
        assert!(r.render_en().contains("Row 3, \"団体コード\": wrong check digit (should be 4)"));
        assert!(!r.is_ok());
        assert!(ImportReport::new(0).is_ok());
    }
}
