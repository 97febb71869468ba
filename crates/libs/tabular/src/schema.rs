//! Column declarations and binding a file's headers to them (列定義と見出しの対応付け).

use crate::normalize::{match_key, trim_cell};
use crate::read::{Row, Table};
use crate::report::{FieldError, ImportReport, RowError};

/// Row number of the header (見出し行) in error reports.
const HEADER_ROW: usize = 1;

/// One column a module accepts (列定義).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Key the module's code uses, e.g. "code". Also accepted as a header.
    pub key: &'static str,
    /// Japanese header, e.g. "団体コード"; used in messages when the file
    /// has no such column.
    pub header_ja: &'static str,
    /// English header, e.g. "Organization code".
    pub header_en: &'static str,
    /// Other headers people use for the same thing, e.g. "団体ｺｰﾄﾞ", "コード".
    pub aliases: &'static [&'static str],
    /// The header must be present (必須列). Whether each cell may be empty is
    /// up to the field parser.
    pub required: bool,
}

/// The columns of one import format (取込様式).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    pub columns: &'static [Column],
}

impl Schema {
    /// The column with this key.
    pub fn column(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// Japanese headers in order, e.g. for writing an empty template.
    pub fn headers_ja(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.header_ja).collect()
    }

    /// Match the table's headers to the columns.
    ///
    /// A header matches a column when, after trimming (incl. U+3000),
    /// full-width → half-width ASCII, removing inner spaces and ignoring ASCII
    /// case, it equals the column's Japanese or English header, an alias or
    /// the key. Headers that match nothing are ignored (see
    /// [`BoundTable::unknown_headers`]). A missing required column or two
    /// headers for the same column are reported against row 1.
    pub fn bind<'t>(&self, table: &'t Table) -> Result<BoundTable<'t>, ImportReport> {
        Ok(BoundTable { table, binding: self.bind_headers(&table.headers)? })
    }

    /// [`Schema::bind`] for a header row alone, as a streamed [`crate::Source`]
    /// gives it: the binding then reads each row as it comes
    /// ([`Binding::row`]).
    pub fn bind_headers(&self, file_headers: &[String]) -> Result<Binding, ImportReport> {
        debug_assert!(self.is_unambiguous(), "two columns of the schema share a header or key");
        let mut positions: Vec<Option<usize>> = vec![None; self.columns.len()];
        let mut report = ImportReport::new(0);
        let mut unknown = Vec::new();
        for (pos, header) in file_headers.iter().enumerate() {
            let key = match_key(header);
            if key.is_empty() {
                continue;
            }
            let Some(col) = self.columns.iter().position(|c| names(c).any(|n| match_key(n) == key)) else {
                unknown.push(pos);
                continue;
            };
            match positions[col] {
                None => positions[col] = Some(pos),
                Some(first) => report.add(RowError::custom(
                    HEADER_ROW,
                    header.clone(),
                    format!(
                        "列「{}」が重複しています（{}列と{}列）",
                        self.columns[col].header_ja,
                        column_letter(first),
                        column_letter(pos)
                    ),
                    format!(
                        "Column \"{}\" appears twice (columns {} and {})",
                        self.columns[col].header_en,
                        column_letter(first),
                        column_letter(pos)
                    ),
                )),
            }
        }
        for (col, column) in self.columns.iter().enumerate() {
            if column.required && positions[col].is_none() {
                report.add(RowError::custom(
                    HEADER_ROW,
                    column.header_ja,
                    format!("必須の列「{}」が見出し行にありません", column.header_ja),
                    format!(
                        "The required column \"{}\" ({}) is missing from the header row",
                        column.header_en, column.header_ja
                    ),
                ));
            }
        }
        if !report.is_ok() {
            return Err(report);
        }
        let headers = self
            .columns
            .iter()
            .zip(&positions)
            .map(|(c, p)| p.map_or(c.header_ja.to_string(), |p| file_headers[p].clone()))
            .collect();
        let unknown = unknown.into_iter().map(|p| file_headers[p].clone()).collect();
        Ok(Binding { columns: self.columns, positions, headers, unknown })
    }

    fn is_unambiguous(&self) -> bool {
        let mut seen = std::collections::HashMap::new();
        self.columns.iter().enumerate().all(|(i, c)| names(c).all(|n| *seen.entry(match_key(n)).or_insert(i) == i))
    }
}

fn names(c: &Column) -> impl Iterator<Item = &'static str> {
    [c.header_ja, c.header_en, c.key].into_iter().chain(c.aliases.iter().copied())
}

/// Spreadsheet column letter for a 0-based position: 0 → A, 26 → AA.
fn column_letter(mut pos: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (pos % 26) as u8));
        if pos < 26 {
            break;
        }
        pos = pos / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// A header row matched to a [`Schema`]: where each column is in the file.
#[derive(Debug, Clone)]
pub struct Binding {
    columns: &'static [Column],
    /// For each schema column, its position in the file (None if absent).
    positions: Vec<Option<usize>>,
    /// For each schema column, the header as the file has it, or the Japanese
    /// header when the file lacks the column.
    headers: Vec<String>,
    /// Headers in the file that match no column.
    unknown: Vec<String>,
}

impl Binding {
    /// A row of the file seen through the schema.
    pub fn row<'b>(&'b self, row: &'b Row) -> BoundRow<'b> {
        BoundRow { bound: self, row }
    }

    /// Whether the file has this column. An optional column that is absent
    /// often means "leave unchanged", which differs from an empty cell.
    pub fn has(&self, key: &str) -> bool {
        self.index(key).is_some_and(|i| self.positions[i].is_some())
    }

    /// Header of the column as the file has it (or the Japanese header).
    pub fn header(&self, key: &str) -> &str {
        self.index(key).map_or("", |i| &self.headers[i])
    }

    /// Headers in the file that match no column, so a caller can warn about
    /// a probable typo instead of silently ignoring the data.
    pub fn unknown_headers(&self) -> Vec<&str> {
        self.unknown.iter().map(String::as_str).collect()
    }

    fn index(&self, key: &str) -> Option<usize> {
        let i = self.columns.iter().position(|c| c.key == key);
        debug_assert!(i.is_some(), "column key {key:?} is not in the schema");
        i
    }
}

/// A table whose headers have been matched to a [`Schema`].
#[derive(Debug, Clone)]
pub struct BoundTable<'t> {
    table: &'t Table,
    binding: Binding,
}

impl<'t> BoundTable<'t> {
    /// Data rows in file order.
    pub fn rows(&self) -> impl Iterator<Item = BoundRow<'_>> {
        self.table.rows.iter().map(move |row| self.binding.row(row))
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.table.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.rows.is_empty()
    }

    /// Whether the file has this column. An optional column that is absent
    /// often means "leave unchanged", which differs from an empty cell.
    pub fn has(&self, key: &str) -> bool {
        self.binding.has(key)
    }

    /// Header of the column as the file has it (or the Japanese header).
    pub fn header(&self, key: &str) -> &str {
        self.binding.header(key)
    }

    /// Headers in the file that match no column, so a caller can warn about
    /// a probable typo instead of silently ignoring the data.
    pub fn unknown_headers(&self) -> Vec<&str> {
        self.binding.unknown_headers()
    }

    /// The header binding alone.
    pub fn binding(&self) -> &Binding {
        &self.binding
    }
}

/// One data row seen through the schema.
#[derive(Debug, Clone, Copy)]
pub struct BoundRow<'b> {
    bound: &'b Binding,
    row: &'b Row,
}

impl<'b> BoundRow<'b> {
    /// Row number as Excel shows it (header = 1).
    pub fn number(&self) -> usize {
        self.row.number
    }

    /// The cell for `key`, trimmed (incl. U+3000); "" when the column is
    /// absent. Full-width characters are kept: the field parsers normalise
    /// what they need, while names must stay as typed.
    pub fn get(&self, key: &str) -> &'b str {
        self.bound.index(key).and_then(|i| self.bound.positions[i]).map_or("", |p| trim_cell(&self.row.cells[p]))
    }

    /// Header of the column, for messages.
    pub fn header(&self, key: &str) -> &'b str {
        self.bound.header(key)
    }

    /// The underlying row, e.g. to read columns outside the schema.
    pub fn raw(&self) -> &'b Row {
        self.row
    }

    /// Build a [`RowError`] for this row and column from a domain check
    /// (e.g. a check digit), sorted with the field errors.
    pub fn error(&self, key: &str, error: FieldError) -> RowError {
        let mut e = RowError::custom(self.number(), self.header(key), error.message_ja, error.message_en);
        e.value = self.get(key).to_string();
        e.set_order(self.bound.index(key));
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
