//! Reading CSV in the encodings and shapes Japanese offices produce.

use encoding_rs::SHIFT_JIS;
use tabane_tabular::{InputEncoding, Source, TabularError, read_csv, read_file};

const SAMPLE: &str = "団体コード,団体名,備考\r\n\
                      011002,札幌市,\"政令市\r\n（北海道）\"\r\n\
                      012025,函館市,\"カンマ, 引用符\"\"入り\"\r\n\
                      \r\n\
                      013030,髙森町①,\r\n\
                      \r\n\r\n";

fn sjis(s: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = SHIFT_JIS.encode(s);
    assert!(!had_errors);
    bytes.into_owned()
}

fn with_bom(s: &str) -> Vec<u8> {
    let mut v = b"\xEF\xBB\xBF".to_vec();
    v.extend_from_slice(s.as_bytes());
    v
}

#[test]
fn utf8_with_and_without_bom_read_the_same() {
    let plain = read_csv(SAMPLE.as_bytes(), InputEncoding::Auto).unwrap();
    assert_eq!(read_csv(&with_bom(SAMPLE), InputEncoding::Auto).unwrap(), plain);
    assert_eq!(read_csv(&with_bom(SAMPLE), InputEncoding::Utf8).unwrap(), plain);
    assert_eq!(read_csv(SAMPLE.as_bytes(), InputEncoding::Utf8).unwrap(), plain);
    // The BOM must not stick to the first header.
    assert_eq!(plain.headers, ["団体コード", "団体名", "備考"]);
}

#[test]
fn cp932_reads_identically_to_utf8_both_detected_and_forced() {
    let utf8 = read_csv(SAMPLE.as_bytes(), InputEncoding::Auto).unwrap();
    let bytes = sjis(SAMPLE);
    assert!(std::str::from_utf8(&bytes).is_err(), "sample must not be valid UTF-8");
    assert_eq!(read_csv(&bytes, InputEncoding::Auto).unwrap(), utf8);
    assert_eq!(read_csv(&bytes, InputEncoding::Cp932).unwrap(), utf8);
}

#[test]
fn quoted_fields_keep_line_breaks_commas_and_quotes() {
    let t = read_csv(SAMPLE.as_bytes(), InputEncoding::Auto).unwrap();
    assert_eq!(t.rows.len(), 3, "blank and trailing lines are skipped");
    assert_eq!(t.rows[0].cells, ["011002", "札幌市", "政令市\r\n（北海道）"]);
    assert_eq!(t.rows[1].cells, ["012025", "函館市", "カンマ, 引用符\"入り"]);
    assert_eq!(t.rows[2].cells, ["013030", "髙森町①", ""]);
}

#[test]
fn row_numbers_are_excel_row_numbers() {
    let t = read_csv(SAMPLE.as_bytes(), InputEncoding::Auto).unwrap();
    let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
    // Header 1, 札幌 2 (its cell spans two lines), 函館 3, blank 4, 髙森 5.
    assert_eq!(numbers, [2, 3, 5]);
}

#[test]
fn headers_are_trimmed_including_fullwidth_space() {
    let t = read_csv("\u{3000}コード\u{3000}, 名称 ,\t備考\n1,a,b\n".as_bytes(), InputEncoding::Auto).unwrap();
    assert_eq!(t.headers, ["コード", "名称", "備考"]);
    // Cells are kept as typed; trimming them is the schema's job.
    let t = read_csv("a\n\u{3000}x \n".as_bytes(), InputEncoding::Auto).unwrap();
    assert_eq!(t.rows[0].cells, ["\u{3000}x "]);
}

#[test]
fn short_rows_are_padded_and_long_rows_name_the_row() {
    let t = read_csv(b"a,b,c\n1\n1,2\n", InputEncoding::Auto).unwrap();
    assert_eq!(t.rows[0].cells, ["1", "", ""]);
    assert_eq!(t.rows[1].cells, ["1", "2", ""]);
    let e = read_csv(b"a,b\n1,2\n\n1,2,3,4\n", InputEncoding::Auto).unwrap_err();
    assert_eq!(e, TabularError::TooManyCells { row: 4, expected: 2, found: 4 });
    assert!(e.message_en().starts_with("Row 4 has too many cells"));
}

#[test]
fn forcing_utf8_on_cp932_bytes_reports_the_rows() {
    let bytes = sjis("コード,名称\r\n1,abc\r\n2,山田\r\n3,def\r\n4,田中\r\n");
    let e = read_csv(&bytes, InputEncoding::Utf8).unwrap_err();
    // Row 1 (the header) is Japanese too.
    assert_eq!(e, TabularError::Undecodable { encoding: "UTF-8", rows: vec![1, 3, 5] });
    assert_eq!(
        e.to_string(),
        "1行目、3行目、5行目に UTF-8 として読めない文字があります。文字コードの指定を確認してください。"
    );
}

#[test]
fn forcing_cp932_on_bad_bytes_reports_the_row() {
    // 0xFF is not a valid byte in CP932.
    let e = read_csv(b"a,b\r\n1,2\r\n3,\xFF\r\n", InputEncoding::Cp932).unwrap_err();
    assert_eq!(e, TabularError::Undecodable { encoding: "Shift_JIS(CP932)", rows: vec![3] });
}

#[test]
fn undeterminable_encoding_suggests_the_override() {
    let e = read_csv(b"a,b\r\n1,\xFF\xFE\r\n", InputEncoding::Auto).unwrap_err();
    assert_eq!(e, TabularError::EncodingUndetermined);
    assert!(e.to_string().contains("文字コードを指定"));
    assert!(e.message_en().contains("choose the encoding"));
}

#[test]
fn a_bom_declares_utf8_even_if_the_rest_is_broken() {
    let mut bytes = with_bom("a\n");
    bytes.extend_from_slice(b"ok\n\x82\xA0\n");
    let e = read_csv(&bytes, InputEncoding::Auto).unwrap_err();
    assert_eq!(e, TabularError::Undecodable { encoding: "UTF-8", rows: vec![3] });
}

#[test]
fn fullwidth_digits_survive_cp932() {
    let t = read_csv(&sjis("金額\r\n１，２３４\r\n"), InputEncoding::Auto).unwrap();
    assert_eq!(t.rows[0].cells, ["１，２３４"]);
}

#[test]
fn read_file_dispatches_on_extension() {
    let csv = read_file("名簿.csv", &sjis("a\r\nあ\r\n"), InputEncoding::Auto).unwrap();
    assert_eq!(csv.rows[0].cells, ["あ"]);
    let e = read_file("名簿.ods", b"", InputEncoding::Auto).unwrap_err();
    assert_eq!(
        e.to_string(),
        "拡張子「.ods」のファイルは読み込めません。CSV（.csv / .txt）か Excel（.xlsx）で保存してください。"
    );
}

/// Run with `cargo test --release -p tabane-tabular --test read_csv -- --ignored --nocapture`.
#[test]
#[ignore = "performance check; run in release"]
fn a_million_rows_read_quickly() {
    let mut text = String::from("団体コード,団体名,区分,人口,面積,設置日,備考\r\n");
    for i in 0..1_000_000 {
        text.push_str(&format!(
            "{:06},テスト市{i},市町村,{},{}.25,2025-04-01,\"備考, {i}\"\r\n",
            i % 999_999,
            i * 3,
            i % 1000
        ));
    }
    for (name, bytes, enc) in
        [("UTF-8", text.as_bytes().to_vec(), InputEncoding::Auto), ("CP932", sjis(&text), InputEncoding::Auto)]
    {
        let start = std::time::Instant::now();
        let t = read_csv(&bytes, enc).unwrap();
        let elapsed = start.elapsed();
        assert_eq!(t.rows.len(), 1_000_000);
        assert_eq!(t.rows[999_999].number, 1_000_001);
        println!("{name}: {} MB in {elapsed:?}", bytes.len() / 1_000_000);
    }
}

/// A CSV file is streamed (one row at a time, in small reads) to exactly the table the same
/// bytes give in memory, and a file changed between two passes is refused.
#[test]
fn a_file_streams_like_bytes_and_a_change_between_passes_is_refused() {
    let dir = std::env::temp_dir().join(format!("tabane-tabular-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sample.csv");
    // Long enough to cross the reader's buffer many times, with every kind of line break.
    let mut text = String::from(SAMPLE);
    for i in 0..20_000 {
        let end = ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"][i % 5];
        text.push_str(&format!("{i},\"行{i}\r\n続き\",x{end}"));
    }
    for bytes in [text.clone().into_bytes(), sjis(&text), with_bom(&text)] {
        std::fs::write(&path, &bytes).unwrap();
        let from_bytes = read_csv(&bytes, InputEncoding::Auto).unwrap();
        let source = Source::csv_file(&path, InputEncoding::Auto);
        assert_eq!(source.read_all().unwrap(), from_bytes);
        assert_eq!(source.read_all().unwrap(), from_bytes, "a second pass reads the same");
    }
    // Excel row numbers, counted independently: the sample's last row is row 5 and its two
    // empty lines rows 6 and 7; the first added row is row 8, and each ending adds one or two.
    let table = Source::csv_file(&path, InputEncoding::Auto).read_all().unwrap();
    let mut expected = 8;
    for i in 0..20_000 {
        // The sample has three data rows before these.
        let row = &table.rows[3 + i];
        assert_eq!((row.cells[0].as_str(), row.number), (i.to_string().as_str(), expected), "row of {i}");
        assert_eq!(row.cells[1], format!("行{i}\r\n続き"));
        expected += if i % 5 >= 3 { 2 } else { 1 };
    }
    let source = Source::csv_file(&path, InputEncoding::Auto);
    let mut rows = source.rows().unwrap();
    while rows.next_row().unwrap().is_some() {}
    drop(rows);
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    assert_eq!(source.rows().err(), Some(TabularError::Changed));
    std::fs::remove_dir_all(&dir).unwrap();
}
