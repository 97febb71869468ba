//! Property: whatever we write, we read back unchanged.

use encoding_rs::SHIFT_JIS;
use proptest::prelude::*;
use tabane_tabular::*;

/// Printable text: ASCII (with the CSV-special `,` `"` and spaces), kana,
/// kanji, full-width forms, and characters CP932 lacks. Line breaks inside
/// cells are included; other control characters are not.
fn cell() -> impl Strategy<Value = String> {
    let ch = |s: prop::char::CharStrategy<'static>| s.prop_map(String::from);
    prop::collection::vec(
        prop_oneof![
            4 => ch(prop::char::range(' ', '~')),
            1 => Just(",".to_string()),
            1 => Just("\"".to_string()),
            1 => Just("\r\n".to_string()),
            1 => Just("\n".to_string()),
            2 => ch(prop::char::range('ぁ', 'ん')),
            2 => ch(prop::char::range('一', '龥')),
            1 => ch(prop::char::range('！', '～')),
            1 => prop::sample::select(vec!['\u{3000}', '髙', '①', '𠮷', '😀', '€', '¥', 'ｱ']).prop_map(String::from),
        ],
        0..8,
    )
    .prop_map(|pieces| pieces.concat())
}

/// Headers are trimmed and trailing empty ones dropped by the reader, and
/// rows whose cells are all blank are skipped; generate what survives that.
fn table() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (1usize..5).prop_flat_map(|width| {
        let header = "[a-zA-Z0-9ぁ-ん一-龥]{1,6}";
        let row = prop::collection::vec(cell(), width)
            .prop_filter("blank rows are skipped", |r| r.iter().any(|c| !clean_cell(c).is_empty()));
        (prop::collection::vec(header, width), prop::collection::vec(row, 0..12))
    })
}

fn cells(t: &Table) -> Vec<Vec<String>> {
    t.rows.iter().map(|r| r.cells.clone()).collect()
}

/// Characters that survive CP932 unchanged (encode, then decode).
fn cp932_round_trips(s: &str) -> bool {
    let (bytes, _, had_errors) = SHIFT_JIS.encode(s);
    !had_errors && SHIFT_JIS.decode_without_bom_handling(&bytes).0 == s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn utf8_bom_round_trip((headers, rows) in table()) {
        let h: Vec<&str> = headers.iter().map(String::as_str).collect();
        let bytes = write_csv(&h, rows.clone(), OutputEncoding::Utf8Bom).unwrap();
        let t = read_csv(&bytes, InputEncoding::Auto).unwrap();
        prop_assert_eq!(&t.headers, &headers);
        prop_assert_eq!(cells(&t), rows);
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        prop_assert_eq!(numbers, (2..2 + t.rows.len()).collect::<Vec<_>>());
    }

    #[test]
    fn cp932_round_trip_when_encodable((headers, rows) in table()) {
        let h: Vec<&str> = headers.iter().map(String::as_str).collect();
        let all_encodable = headers.iter().chain(rows.iter().flatten()).all(|s| cp932_round_trips(s));
        let result = write_csv(&h, rows.clone(), OutputEncoding::Cp932);
        if all_encodable {
            let t = read_csv(&result.unwrap(), InputEncoding::Cp932).unwrap();
            prop_assert_eq!(&t.headers, &headers);
            prop_assert_eq!(cells(&t), rows);
        } else if let Err(ExportError::Unencodable { items }) = result {
            // Every reported character is really unencodable and sits in the
            // cell it is reported for.
            for u in &items {
                prop_assert!(!is_cp932_encodable(u.character));
                prop_assert!(u.value.contains(u.character));
                let in_place = if u.row == 1 { headers.contains(&u.value) } else { rows[u.row - 2].contains(&u.value) };
                prop_assert!(in_place);
            }
        } else {
            // Only ¥ (→ 0x5C) style conventional mappings may be written.
            prop_assert!(result.is_ok());
        }
    }
}
