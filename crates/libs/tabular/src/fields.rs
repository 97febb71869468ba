//! Field parsers (項目の解釈): turn what people type into typed values, or a
//! [`FieldError`] saying what is wrong in words they understand.
//!
//! All parsers trim (incl. U+3000) and accept full-width ASCII (全角英数),
//! because that is what Japanese input methods produce by default.

use chrono::NaiveDate;

use crate::normalize::{match_key, to_halfwidth_ascii, trim_cell};
use crate::report::FieldError;

fn required() -> FieldError {
    FieldError::new("入力してください", "This field is required")
}

/// Trim and treat "" as absent.
fn present(value: &str) -> Option<&str> {
    Some(trim_cell(value)).filter(|v| !v.is_empty())
}

/// Lift a parser for required values to one where empty means `None`.
fn optional<T>(value: &str, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    present(value).map(parse).transpose()
}

/// Non-empty text, trimmed (必須の文字列).
pub fn parse_required_text(value: &str) -> Result<String, FieldError> {
    present(value).map(str::to_string).ok_or_else(required)
}

/// Trimmed text, `None` when empty. Never fails; returns `Result` so it reads
/// like the other parsers with [`crate::ImportReport::field`].
pub fn parse_optional_text(value: &str) -> Result<Option<String>, FieldError> {
    Ok(present(value).map(str::to_string))
}

/// A date in any form `tabane_calendar::parse_date` accepts: 西暦 ("2025-04-01",
/// "2025/4/1") and 和暦 ("令和7年4月1日", "R7.4.1", "令和元年5月1日"), also in
/// full-width digits, and what [`crate::read_xlsx`] produces for date cells.
pub fn parse_required_date(value: &str) -> Result<NaiveDate, FieldError> {
    let value = present(value).ok_or_else(required)?;
    let half = to_halfwidth_ascii(value);
    if let Ok(date) = tabane_calendar::parse_date(&half) {
        return Ok(date);
    }
    // read_xlsx renders a date cell that carries a time of day as
    // "YYYY-MM-DD HH:MM:SS"; the date is what a date column means.
    if let Some(date) = half
        .split_once(' ')
        .filter(|(_, time)| is_time_of_day(time))
        .and_then(|(date, _)| tabane_calendar::parse_date(date).ok())
    {
        return Ok(date);
    }
    // Parse the text as typed once more so the message quotes it rather than
    // our normalised copy.
    tabane_calendar::parse_date(value).map_err(|e| FieldError::new(e.message_ja(), e.message_en()))
}

fn is_time_of_day(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Like [`parse_required_date`], `None` when empty.
pub fn parse_optional_date(value: &str) -> Result<Option<NaiveDate>, FieldError> {
    optional(value, parse_required_date)
}

/// A number split into sign, integer digits and optional fraction digits.
struct Number {
    negative: bool,
    int: String,
    frac: Option<String>,
}

/// Accepts full-width digits, thousands separators ("1,234", "１，２３４"),
/// a leading +/−, and ▲/△ which Japanese accounts use for negative amounts.
fn split_number(value: &str) -> Result<Number, FieldError> {
    let value = present(value).ok_or_else(required)?;
    let half = to_halfwidth_ascii(value);
    let not_a_number = || FieldError::new("数値として読めません", "Not a number");
    let (negative, rest) = match half.chars().next() {
        Some(c @ ('-' | '+' | '\u{2212}' | '▲' | '△')) => (c != '+', trim_cell(&half[c.len_utf8()..])),
        _ => (false, half.as_ref()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(f) = frac
        && !digits(f)
    {
        return Err(not_a_number());
    }
    let groups: Vec<&str> = int.split(',').collect();
    if !groups.iter().all(|g| digits(g)) {
        return Err(not_a_number());
    }
    // "12,34" is more likely a typo (or a European decimal comma) than 1234.
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(FieldError::new(
            "桁区切りのカンマの位置が正しくありません",
            "Thousands separators are in the wrong place",
        ));
    }
    Ok(Number { negative, int: groups.concat(), frac: frac.map(str::to_string) })
}

/// A whole number (整数), e.g. "1,234", "１２３４", "▲500".
pub fn parse_int(value: &str) -> Result<i64, FieldError> {
    let n = split_number(value)?;
    if n.frac.is_some() {
        return Err(FieldError::new("整数で入力してください", "Enter a whole number"));
    }
    let sign = if n.negative { "-" } else { "" };
    format!("{sign}{}", n.int).parse().map_err(|_| FieldError::new("数値が大きすぎます", "The number is too large"))
}

/// Like [`parse_int`], `None` when empty.
pub fn parse_optional_int(value: &str) -> Result<Option<i64>, FieldError> {
    optional(value, parse_int)
}

/// A decimal number (数値), e.g. "1,234.5", "０．５".
pub fn parse_decimal(value: &str) -> Result<f64, FieldError> {
    let n = split_number(value)?;
    let sign = if n.negative { "-" } else { "" };
    let text = match &n.frac {
        Some(f) => format!("{sign}{}.{f}", n.int),
        None => format!("{sign}{}", n.int),
    };
    // Only digits reach here, so the result is finite unless absurdly long.
    text.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| FieldError::new("数値が大きすぎます", "The number is too large"))
}

/// Like [`parse_decimal`], `None` when empty.
pub fn parse_optional_decimal(value: &str) -> Result<Option<f64>, FieldError> {
    optional(value, parse_decimal)
}

const TRUE_WORDS: &[&str] = &["はい", "有", "有り", "あり", "○", "〇", "◯", "true", "1", "yes", "y"];
const FALSE_WORDS: &[&str] = &["いいえ", "無", "無し", "なし", "×", "✕", "x", "false", "0", "no", "n"];

/// Yes/no (真偽): はい/いいえ, 有/無, ○/×, true/false, 1/0, yes/no
/// (also full-width and any ASCII case; "TRUE"/"FALSE" as read from xlsx).
pub fn parse_bool(value: &str) -> Result<bool, FieldError> {
    let key = match_key(present(value).ok_or_else(required)?);
    if TRUE_WORDS.contains(&key.as_str()) {
        Ok(true)
    } else if FALSE_WORDS.contains(&key.as_str()) {
        Ok(false)
    } else {
        Err(FieldError::new(
            "「はい」か「いいえ」で入力してください（○/×、有/無、1/0 も使えます）",
            "Enter yes or no (はい/いいえ, ○/×, 有/無, 1/0, true/false)",
        ))
    }
}

/// Like [`parse_bool`], `None` when empty.
pub fn parse_optional_bool(value: &str) -> Result<Option<bool>, FieldError> {
    optional(value, parse_bool)
}

/// One of a fixed set of values (選択肢). Each choice is `(canonical,
/// aliases)`; the canonical form is returned. Matching ignores width, ASCII
/// case and spaces.
pub fn parse_choice<'c>(value: &str, choices: &[(&'c str, &[&str])]) -> Result<&'c str, FieldError> {
    let key = match_key(present(value).ok_or_else(required)?);
    choices
        .iter()
        .find(|(canonical, aliases)| std::iter::once(canonical).chain(aliases.iter()).any(|n| match_key(n) == key))
        .map(|(canonical, _)| *canonical)
        .ok_or_else(|| {
            let ja: String = choices.iter().map(|(c, _)| format!("「{c}」")).collect();
            let en = choices.iter().map(|(c, _)| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
            FieldError::new(format!("{ja}のいずれかを入力してください"), format!("Must be one of {en}"))
        })
}

/// Like [`parse_choice`], `None` when empty.
pub fn parse_optional_choice<'c>(value: &str, choices: &[(&'c str, &[&str])]) -> Result<Option<&'c str>, FieldError> {
    optional(value, |v| parse_choice(v, choices))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text() {
        assert_eq!(parse_required_text("\u{3000}名称 ").unwrap(), "名称");
        assert_eq!(parse_required_text("\u{3000}").unwrap_err().message_ja, "入力してください");
        assert_eq!(parse_optional_text(" ").unwrap(), None);
    }

    #[test]
    fn integers_in_the_forms_people_type() {
        assert_eq!(parse_int("1234"), Ok(1234));
        assert_eq!(parse_int("1,234"), Ok(1234));
        assert_eq!(parse_int("１，２３４"), Ok(1234));
        assert_eq!(parse_int("　１２３４５６７　"), Ok(1_234_567));
        assert_eq!(parse_int("-1,000,000"), Ok(-1_000_000));
        assert_eq!(parse_int("－５"), Ok(-5));
        assert_eq!(parse_int("▲500"), Ok(-500));
        assert_eq!(parse_int("+7"), Ok(7));
        assert_eq!(parse_int("007"), Ok(7));
        assert!(parse_int("12,34").unwrap_err().message_ja.contains("カンマ"));
        assert!(parse_int("1234,567").is_err());
        assert!(parse_int("1.5").is_err());
        assert!(parse_int("abc").is_err());
        assert!(parse_int("1 234").is_err());
        assert!(parse_int("99999999999999999999").unwrap_err().message_ja.contains("大きすぎ"));
        assert_eq!(parse_optional_int(""), Ok(None));
        assert_eq!(parse_optional_int("２"), Ok(Some(2)));
        assert_eq!(parse_int("").unwrap_err().message_ja, "入力してください");
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("1,234.5"), Ok(1234.5));
        assert_eq!(parse_decimal("０．２５"), Ok(0.25));
        assert_eq!(parse_decimal("-3"), Ok(-3.0));
        assert!(parse_decimal("1.2.3").is_err());
        assert!(parse_decimal("inf").is_err());
        assert!(parse_decimal("NaN").is_err());
        assert!(parse_decimal(".5").is_err());
        assert_eq!(parse_optional_decimal(" "), Ok(None));
    }

    #[test]
    fn booleans() {
        for t in ["はい", "有", "○", "true", "TRUE", "１", "Yes", "ｙｅｓ"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["いいえ", "無", "×", "false", "FALSE", "0", "no", "ＮＯ"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        assert!(parse_bool("たぶん").is_err());
        assert_eq!(parse_optional_bool(""), Ok(None));
    }

    #[test]
    fn choices() {
        let kinds: &[(&str, &[&str])] = &[("都道府県", &["県", "prefecture"]), ("市町村", &["市", "municipality"])];
        assert_eq!(parse_choice("県", kinds), Ok("都道府県"));
        assert_eq!(parse_choice(" Municipality ", kinds), Ok("市町村"));
        assert_eq!(parse_choice("市町村", kinds), Ok("市町村"));
        let e = parse_choice("区", kinds).unwrap_err();
        assert_eq!(e.message_ja, "「都道府県」「市町村」のいずれかを入力してください");
        assert_eq!(parse_optional_choice("", kinds), Ok(None));
    }

    #[test]
    fn dates_in_western_and_japanese_forms() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        for v in [
            "2025-04-01",
            "2025/4/1",
            "令和7年4月1日",
            "R7.4.1",
            "令和７年４月１日",
            "２０２５／４／１",
            "2025-04-01 13:45:00",
        ] {
            assert_eq!(parse_required_date(v), Ok(d), "{v}");
        }
        assert_eq!(parse_required_date("令和元年5月1日"), Ok(NaiveDate::from_ymd_opt(2019, 5, 1).unwrap()));
        let e = parse_required_date("２０２５／２／３０").unwrap_err();
        assert!(e.message_ja.contains("２０２５／２／３０"), "{e:?}");
        assert!(parse_required_date("2025-04-01 lunch").is_err());
        assert_eq!(parse_required_date("").unwrap_err().message_ja, "入力してください");
        assert_eq!(parse_optional_date(" "), Ok(None));
    }
}
