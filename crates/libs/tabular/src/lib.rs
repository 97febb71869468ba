//! Import/export of tables for every Tabane module (取込・書出し基盤).
//!
//! Reading: [`read_csv`] (UTF-8 with/without BOM, or CP932 = Shift_JIS as
//! Windows writes it), [`read_xlsx`], or [`read_file`] by extension, giving a
//! [`Table`] whose row numbers match what the person sees in Excel. Imports
//! read a [`Source`] instead: a CSV (bytes or a file) is streamed one reused
//! row at a time on each pass, so a million-row file is checked and written
//! without holding its rows; xlsx is read whole.
//!
//! Validating: a module declares its columns as a [`Schema`], binds the
//! table's headers to it (Japanese, English or alias headers, full-width or
//! not), parses each field with the `parse_*` functions and collects every
//! problem in an [`ImportReport`]:
//!
//! ```
//! use tabane_tabular::*;
//!
//! static SCHEMA: Schema = Schema {
//!     columns: &[
//!         Column { key: "code", header_ja: "団体コード", header_en: "Code", aliases: &["コード"], required: true },
//!         Column { key: "count", header_ja: "件数", header_en: "Count", aliases: &[], required: false },
//!     ],
//! };
//!
//! let table = read_csv("団体コード,件数\r\n011002,１，２３４\r\n,x\r\n".as_bytes(), InputEncoding::Auto).unwrap();
//! let bound = SCHEMA.bind(&table).unwrap();
//! let mut report = ImportReport::new(bound.len());
//! for row in bound.rows() {
//!     let code = report.field(&row, "code", parse_required_text(row.get("code")));
//!     let count = report.field(&row, "count", parse_optional_int(row.get("count")));
//!     if let (Some(code), Some(count)) = (code, count) {
//!         assert_eq!((code.as_str(), count), ("011002", Some(1234)));
//!     }
//! }
//! assert_eq!(report.render_ja(), "3行目「団体コード」: 入力してください\n3行目「件数」: 数値として読めません");
//! ```
//!
//! Writing: [`write_csv`] / [`write_csv_cells`] (UTF-8 with BOM by default,
//! CP932 on request, refusing characters CP932 cannot hold) and
//! [`write_xlsx`].
//!
//! The crate never touches a database; it only turns bytes into rows and
//! rows into bytes.

mod encoding;
mod error;
mod fields;
mod format;
mod lines;
pub mod normalize;
mod read;
mod read_xlsx;
mod report;
mod schema;
mod source;
mod write;
mod write_xlsx;

pub use error::{ExportError, TabularError, Unencodable};
pub use fields::{
    parse_bool, parse_choice, parse_decimal, parse_int, parse_optional_bool, parse_optional_choice,
    parse_optional_date, parse_optional_decimal, parse_optional_int, parse_optional_text, parse_required_date,
    parse_required_text,
};
pub use format::ExportFormat;
pub use normalize::{clean_cell, to_halfwidth_ascii};
pub use read::{InputEncoding, Row, Table, read_csv, read_file};
pub use read_xlsx::read_xlsx;
pub use report::{FieldError, ImportReport, RowError};
pub use schema::{Binding, BoundRow, BoundTable, Column, Schema};
pub use source::{Rows, Source};
pub use write::{
    Cell, OutputEncoding, is_cp932_encodable, neutralise_formula, restore_formula_text, write_csv, write_csv_cells,
};
pub use write_xlsx::write_xlsx;
