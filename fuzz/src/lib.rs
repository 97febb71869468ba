//! Invariant checks shared by the fuzz targets.

use tabane_tabular::Table;

/// What every successfully read table promises, whatever the input.
pub fn check_table(t: &Table) {
    assert!(!t.headers.is_empty(), "a table has at least one header");
    assert!(
        !t.headers.last().is_some_and(|h| h.is_empty()),
        "trailing empty headers are dropped: {:?}",
        t.headers
    );
    let mut last = 0;
    for row in &t.rows {
        assert_eq!(row.cells.len(), t.headers.len(), "every row is padded to the header count");
        assert!(row.number > last && row.number >= 2, "row numbers increase past the header: {} after {last}", row.number);
        last = row.number;
    }
    // The field parsers run on every cell of an import; a few rows are plenty for them.
    for cell in t.rows.iter().take(4).flat_map(|r| &r.cells) {
        let _ = tabane_tabular::parse_optional_date(cell);
        let _ = tabane_tabular::parse_optional_int(cell);
        let _ = tabane_tabular::parse_optional_decimal(cell);
        let _ = tabane_tabular::parse_optional_bool(cell);
    }
}
