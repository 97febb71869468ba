//! CSV reader: encoding detection (BOM / UTF-8 / CP932), CSV parsing, row numbering, and the
//! field parsers on the cells. The first byte picks the encoding the caller asks for.
use tabane_tabular::{InputEncoding, read_csv, read_file};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&mode, bytes)) = data.split_first() else { return };
        let enc = match mode % 3 {
            0 => InputEncoding::Auto,
            1 => InputEncoding::Utf8,
            _ => InputEncoding::Cp932,
        };
        let result = read_csv(bytes, enc);
        if let Ok(t) = &result {
            tabane_fuzz::check_table(t);
        }
        // Auto on valid UTF-8 without a BOM must read exactly as UTF-8 does.
        if enc == InputEncoding::Auto && !bytes.starts_with(b"\xEF\xBB\xBF") && std::str::from_utf8(bytes).is_ok() {
            assert_eq!(result, read_csv(bytes, InputEncoding::Utf8));
        }
        // read_file picks the reader by extension, browser "fakepath" included.
        assert_eq!(read_file("C:\\fakepath\\名簿.CSV", bytes, enc), result);
    });
}
