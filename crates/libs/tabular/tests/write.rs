//! Writing CSV and xlsx, and reading what we wrote back.

use chrono::NaiveDate;
use tabane_tabular::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
}

#[test]
fn cp932_csv_round_trips_through_read_csv() {
    let headers = ["団体コード", "団体名", "備考"];
    let rows = strings(&[
        &["011002", "札幌市", "政令市\r\n（北海道）"],
        &["012025", "髙森町①", "カンマ, と \"引用符\""],
        &["013030", "ｶﾀｶﾅ ～ 〜", ""],
    ]);
    let bytes = write_csv(&headers, rows.clone(), OutputEncoding::Cp932).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "output must be Shift_JIS, not UTF-8");
    for enc in [InputEncoding::Auto, InputEncoding::Cp932] {
        let t = read_csv(&bytes, enc).unwrap();
        assert_eq!(t.headers, headers);
        // The wave dash typed on a Mac ("〜" U+301C) is the same JIS character
        // as Windows' "～" (U+FF5E) and comes back as the latter; everything
        // else comes back unchanged.
        let mut expected = rows.clone();
        expected[2][1] = "ｶﾀｶﾅ ～ ～".to_string();
        assert_eq!(t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>(), expected);
        assert_eq!(t.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 3, 4]);
    }
}

#[test]
fn utf8_bom_csv_round_trips() {
    let rows = strings(&[&["𠮷野家", "😀"], &["", "x"]]);
    let bytes = write_csv(&["名称", "絵文字"], rows.clone(), OutputEncoding::Utf8Bom).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let t = read_csv(&bytes, InputEncoding::Auto).unwrap();
    assert_eq!(t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>(), rows);
}

#[test]
fn unencodable_characters_are_reported_not_dropped() {
    let rows = strings(&[&["1", "髙橋"], &["2", "山田"], &["3", "𠮷田"], &["4", "佐藤"], &["5", "鈴木😀"]]);
    let e = write_csv(&["番号", "名称"], rows, OutputEncoding::Cp932).unwrap_err();
    let ExportError::Unencodable { items } = &e else { panic!("{e:?}") };
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0].row, items[0].column.as_str(), items[0].character, items[0].value.as_str()),
        (4, "名称", '𠮷', "𠮷田")
    );
    assert_eq!((items[1].row, items[1].character), (6, '😀'));
    assert_eq!(
        e.to_string(),
        "4行目「名称」の文字「𠮷」はShift_JIS(CP932)で表せません\n6行目「名称」の文字「😀」はShift_JIS(CP932)で表せません"
    );
    assert!(is_cp932_encodable('髙') && !is_cp932_encodable('𠮷'));
}

fn sample_cells() -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let headers = vec!["団体コード", "団体名", "人口", "面積", "設置日", "備考"];
    let rows = vec![
        vec![
            Cell::from("011002"),
            Cell::from("札幌市"),
            Cell::Int(1_973_395),
            Cell::Number(1121.26),
            Cell::Date(date(1922, 8, 1)),
            Cell::Empty,
        ],
        vec![
            Cell::from("00123"),
            Cell::from("髙森町①\n（改行）"),
            Cell::Int(-5),
            Cell::Number(0.5),
            Cell::Date(date(2025, 4, 1)),
            Cell::from("=1+1"),
        ],
        vec![
            Cell::from("220001"),
            Cell::Empty,
            Cell::Int(1_234_567_890_123),
            Cell::Number(-3.0),
            Cell::Empty,
            Cell::from(" 前後の空白 "),
        ],
        vec![
            Cell::Empty,
            Cell::from("x"),
            Cell::Int(12_345_678_901_234_567),
            Cell::Number(1e-7),
            Cell::Date(date(2019, 5, 1)),
            Cell::from("最後"),
        ],
    ];
    (headers, rows)
}

#[test]
fn xlsx_round_trips_through_read_xlsx() {
    let (headers, rows) = sample_cells();
    let bytes = write_xlsx("団体一覧", &headers, rows.clone()).unwrap();
    let t = read_xlsx(&bytes, None).unwrap();
    assert_eq!(t.headers, headers);
    let expected: Vec<Vec<String>> = vec![
        vec!["011002", "札幌市", "1973395", "1121.26", "1922-08-01", ""],
        vec!["00123", "髙森町①\n（改行）", "-5", "0.5", "2025-04-01", "=1+1"],
        vec!["220001", "", "1234567890123", "-3", "", " 前後の空白 "],
        vec!["", "x", "12345678901234567", "0.0000001", "2019-05-01", "最後"],
    ]
    .into_iter()
    .map(|r| r.into_iter().map(String::from).collect())
    .collect();
    assert_eq!(t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>(), expected);
    assert_eq!(t.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 3, 4, 5]);

    // The same rows as CSV read back to the same text.
    let csv = write_csv_cells(&headers, rows, OutputEncoding::Utf8Bom).unwrap();
    let from_csv = read_csv(&csv, InputEncoding::Auto).unwrap();
    assert_eq!(from_csv.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>(), expected);
}

#[test]
fn xlsx_cells_parse_with_the_field_parsers() {
    let (headers, rows) = sample_cells();
    let t = read_xlsx(&write_xlsx("s", &headers, rows).unwrap(), None).unwrap();
    assert_eq!(parse_required_date(&t.rows[0].cells[4]), Ok(date(1922, 8, 1)));
    assert_eq!(parse_int(&t.rows[2].cells[2]), Ok(1_234_567_890_123));
    assert_eq!(parse_decimal(&t.rows[0].cells[3]), Ok(1121.26));
}

#[test]
fn sheets_are_chosen_by_name() {
    let bytes = write_xlsx("名簿[2025]", &["a"], [vec![Cell::from("1")]]).unwrap();
    assert_eq!(read_xlsx(&bytes, Some("名簿_2025_")).unwrap().rows[0].cells, ["1"]);
    let e = read_xlsx(&bytes, Some("別シート")).unwrap_err();
    assert_eq!(e.to_string(), "シート「別シート」が見つかりません（あるシート: 「名簿_2025_」）。");
    // read_file picks xlsx by extension.
    let t = read_file("名簿.XLSX", &bytes, InputEncoding::Auto).unwrap();
    assert_eq!(t.headers, ["a"]);
}

#[test]
fn xlsx_row_numbers_follow_the_sheet() {
    // A sheet written by hand: blank rows 1–2, header in row 3, a number code
    // stored as a number, a gap row.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(2, 1, "コード").unwrap();
    ws.write_string(2, 2, " 名称\u{3000}").unwrap();
    ws.write_number(3, 1, 220001.0).unwrap();
    ws.write_string(3, 2, "A").unwrap();
    ws.write_number(5, 1, 13.0).unwrap();
    ws.write_boolean(5, 2, true).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let t = read_xlsx(&bytes, None).unwrap();
    assert_eq!(t.headers, ["コード", "名称"]);
    assert_eq!(t.rows[0].cells, ["220001", "A"]);
    assert_eq!(t.rows[1].cells, ["13", "TRUE"]);
    assert_eq!(t.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [4, 6]);
}

#[test]
fn xlsx_data_beyond_the_headers_is_an_error() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "a").unwrap();
    ws.write_string(1, 0, "1").unwrap();
    ws.write_string(2, 2, "stray").unwrap();
    let e = read_xlsx(&wb.save_to_buffer().unwrap(), None).unwrap_err();
    assert_eq!(e, TabularError::TooManyCells { row: 3, expected: 1, found: 3 });
}

#[test]
fn an_empty_workbook_is_empty() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    assert_eq!(read_xlsx(&wb.save_to_buffer().unwrap(), None), Err(TabularError::Empty));
}

/// A workbook found by the xlsx fuzz target: calamine overflows on its cell reference (in
/// builds with overflow checks). Reading it is an error naming the file as broken, not a panic.
#[test]
fn a_hostile_workbook_is_an_error_not_a_panic() {
    // Inputs the fuzzer found that make calamine 0.38 overflow (a dimension reference, and a
    // cell's row reference in `get_row_and_optional_column`): read_xlsx answers, it never panics.
    for bytes in [
        &include_bytes!("fixtures/fuzz-xlsx-overflow.xlsx")[..],
        &include_bytes!("fixtures/fuzz-xlsx-row-overflow.xlsx")[..],
    ] {
        match read_xlsx(bytes, None) {
            Err(TabularError::XlsxUnreadable(_)) | Err(TabularError::Empty) | Ok(_) => {}
            Err(other) => panic!("unexpected error kind: {other:?}"),
        }
    }
    // Declares 555,555,555,555,559 shared strings in 380 bytes: calamine would reserve room for
    // them first, the allocation fails and the process aborts. The reader refuses the file.
    // The second hides a `>` inside a quoted attribute value before the count.
    for bytes in [
        &include_bytes!("fixtures/fuzz-xlsx-shared-strings-count.xlsx")[..],
        &include_bytes!("fixtures/fuzz-xlsx-shared-strings-quoted.xlsx")[..],
    ] {
        match read_xlsx(bytes, None) {
            Err(TabularError::XlsxUnreadable(m)) => assert!(m.contains("shared strings"), "{m}"),
            other => panic!("expected an unreadable workbook, got {other:?}"),
        }
    }
}
