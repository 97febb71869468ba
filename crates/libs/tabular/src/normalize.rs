//! Normalising what people type (入力値の正規化).
//!
//! Japanese input methods make it easy to type "１２３" or "ＡＢＣ" (全角英数)
//! where a program expects "123"; these helpers undo that for matching and
//! parsing. They deliberately leave kana alone: converting 半角カナ to 全角
//! (or the reverse) changes what a name *is*, and that is a decision for the
//! module that owns the data, not for the import layer.

use std::borrow::Cow;

/// Offset between a full-width ASCII variant (U+FF01–U+FF5E) and its ASCII
/// counterpart (U+0021–U+007E).
const FULLWIDTH_OFFSET: u32 = 0xFF01 - 0x21;

/// Map full-width ASCII (U+FF01–U+FF5E, 全角英数記号) to ASCII and the
/// ideographic space U+3000 (全角スペース) to a plain space. Nothing else
/// changes. Borrows when there is nothing to change, which is the common case.
pub fn to_halfwidth_ascii(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_fullwidth_ascii) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(halfwidth_char).collect())
}

fn is_fullwidth_ascii(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')
}

fn halfwidth_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - FULLWIDTH_OFFSET).unwrap_or(c),
        _ => c,
    }
}

/// Characters stripped from both ends of a cell. `char::is_whitespace`
/// already covers U+3000 (全角スペース) and NBSP; the zero-width ones are
/// added because they arrive invisibly by copy-and-paste from web pages and
/// PDFs, and a stray BOM survives when a UTF-8 file is concatenated.
fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}')
}

/// Trim surrounding whitespace, including the full-width space U+3000, without
/// allocating.
pub fn trim_cell(s: &str) -> &str {
    s.trim_matches(is_trimmable)
}

/// Trimmed copy of a cell (セルの前後の空白を除去).
pub fn clean_cell(s: &str) -> String {
    trim_cell(s).to_string()
}

/// Key used to compare headers and choice values: trimmed, half-width, ASCII
/// lower-case, and with inner whitespace removed (so "団体 コード" and
/// "Postal Code" match "団体コード" and "postal code").
pub(crate) fn match_key(s: &str) -> String {
    to_halfwidth_ascii(trim_cell(s)).chars().filter(|c| !is_trimmable(*c)).map(|c| c.to_ascii_lowercase()).collect()
}

/// Approximate width of a string in Excel column units: East Asian wide
/// characters take two, everything else one. Only used to size columns, so
/// an approximation is fine.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_ascii_becomes_ascii() {
        assert_eq!(to_halfwidth_ascii("ＡＢＣ１２３！～"), "ABC123!~");
        assert_eq!(to_halfwidth_ascii("令和７年\u{3000}４月"), "令和7年 4月");
    }

    #[test]
    fn kana_and_plain_text_are_untouched_and_borrowed() {
        assert!(matches!(to_halfwidth_ascii("abc ｱｲｳ アイウ"), Cow::Borrowed(_)));
        assert_eq!(to_halfwidth_ascii("ｶﾞｯｺｳ がっこう"), "ｶﾞｯｺｳ がっこう");
        // U+FF5F/U+FF60 (white parentheses) and U+FF61+ (半角カナ) are outside the range.
        assert_eq!(to_halfwidth_ascii("｟｠｡"), "｟｠｡");
    }

    #[test]
    fn clean_cell_trims_fullwidth_space() {
        assert_eq!(clean_cell("\u{3000} 団体コード\u{3000}\t"), "団体コード");
        assert_eq!(clean_cell("\u{FEFF}code\u{200B}"), "code");
        assert_eq!(trim_cell("a b"), "a b");
    }

    #[test]
    fn match_key_ignores_width_case_and_spaces() {
        assert_eq!(match_key("　Ｐｏｓｔａｌ　Code "), "postalcode");
        assert_eq!(match_key("団体 コード"), match_key("団体コード"));
    }

    #[test]
    fn width_counts_wide_characters_twice() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("団体コード"), 10);
        assert_eq!(display_width("ｱｲｳ"), 3);
    }
}
