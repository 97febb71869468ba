//! xlsx reader (calamine underneath). The first byte picks what the rest of the input is:
//!
//! * 0: a whole .xlsx file (zip container, then everything inside);
//! * 1–4: one part of the template workbook (`templates/book.xlsx`) — the first sheet, the
//!   styles (date and duration formats), the shared strings or the workbook (sheet list) —
//!   zipped back with the right CRCs, so mutations reach calamine's XML and cell handling
//!   instead of dying at the zip checksum.
use std::io::{Cursor, Read, Write};

use tabane_tabular::{InputEncoding, read_file, read_xlsx};
use zip::write::SimpleFileOptions;

const TEMPLATE: &[u8] = include_bytes!("../../templates/book.xlsx");
const PARTS: [&str; 4] = [
    "xl/worksheets/sheet1.xml",
    "xl/styles.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
];

fn template_parts() -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(TEMPLATE)).expect("template is a zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).expect("template entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("template entry reads");
            (file.name().expect("template entry name").into_owned(), bytes)
        })
        .collect()
}

fn with_part(parts: &[(String, Vec<u8>)], name: &str, content: &[u8]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (n, bytes) in parts {
        out.start_file(n.as_str(), stored).expect("zip entry");
        out.write_all(if n == name { content } else { bytes }).expect("zip write");
    }
    out.finish().expect("zip finish").into_inner()
}

fn check(data: &[u8]) {
    let first = read_xlsx(data, None);
    if let Ok(t) = &first {
        tabane_fuzz::check_table(t);
    }
    assert_eq!(read_file("台帳.xlsx", data, InputEncoding::Auto), first);
    // A named sheet goes through the sheet lookup (exact, then trimmed).
    if let Ok(t) = read_xlsx(data, Some(" Sheet1 ")) {
        tabane_fuzz::check_table(&t);
    }
}

fn main() {
    let parts = template_parts();
    // `fuzz_nohook!`: read_xlsx catches calamine's panics on purpose (they become "unreadable"
    // errors), and afl's default hook would abort on those caught panics as if they were crashes.
    // A panic that escapes read_xlsx still aborts and is reported.
    afl::fuzz_nohook!(|data: &[u8]| {
        let Some((&mode, rest)) = data.split_first() else { return };
        match PARTS.get(usize::from(mode % 5).wrapping_sub(1)) {
            None => check(rest),
            Some(part) => check(&with_part(&parts, part, rest)),
        }
    });
}
