//! 日付の解釈: reading a date the way a person types it into a form.
//!
//! Accepted (after trimming, and after folding full-width characters to ASCII so that
//! "２０２５／４／１" and "Ｒ７．４．１" work as typed with a Japanese IME):
//!
//! * Western: `2025-04-01`, `2025/4/1`, `2025.4.1`, `20250401`, `2025年4月1日`
//! * 和暦: `令和7年4月1日`, `令和元年5月1日`, `令和 7年 4月 1日`, `R7.4.1`, `R7/4/1`,
//!   `r7-4-1`, `令和7.4.1`, and the one-character era ligatures (`㋿7年4月1日`)
//!
//! Western years must have four digits, so that "25/4/1" is rejected instead of being
//! silently read as the year 25. The same separator must be used twice.

use crate::error::{DateParseError, DateParseErrorKind};
use crate::wareki::{Era, from_wareki};
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A run of digits: value and digit count.
    Num(u32, usize),
    /// 元 (as in 元年, the first year of an era).
    Gan,
    Era(Era),
    /// One of `-`, `/`, `.`.
    Sep(char),
    /// 年, 月 or 日.
    Unit(char),
}

/// Folds full-width ASCII, the ideographic space and the various dashes a Japanese IME
/// produces into their ASCII forms.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF70}' => '-',
        _ => c,
    }
}

fn era_ligature(c: char) -> Option<Era> {
    match c {
        '\u{337E}' => Some(Era::Meiji),
        '\u{337D}' => Some(Era::Taisho),
        '\u{337C}' => Some(Era::Showa),
        '\u{337B}' => Some(Era::Heisei),
        '\u{32FF}' => Some(Era::Reiwa),
        _ => None,
    }
}

/// Splits the folded input into tokens; `None` means a character we do not understand.
fn tokenize(chars: &[char]) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            // Digits separated only by whitespace ("2025 4 1") are ambiguous; and no
            // accepted form has more than 8 digits in a row.
            if digits > 8 || matches!(tokens.last(), Some(Token::Num(..))) {
                return None;
            }
            let value = chars[start..i].iter().fold(0u32, |acc, d| acc * 10 + d.to_digit(10).unwrap_or(0));
            tokens.push(Token::Num(value, digits));
            continue;
        }
        let token = match c {
            '-' | '/' | '.' => Token::Sep(c),
            '年' | '月' | '日' => Token::Unit(c),
            '元' => Token::Gan,
            c if c.is_ascii_alphabetic() => Token::Era(Era::from_initial(c)?),
            c => {
                if let Some(era) = era_ligature(c) {
                    Token::Era(era)
                } else {
                    let pair: String = chars[i..chars.len().min(i + 2)].iter().collect();
                    let era = Era::from_name_ja(&pair)?;
                    i += 1; // the second character of the era name
                    Token::Era(era)
                }
            }
        };
        tokens.push(token);
        i += 1;
    }
    Some(tokens)
}

/// A recognised but not yet validated date.
enum Shape {
    Western(u32, u32, u32),
    Wareki(Era, u32, u32, u32),
}

fn month_or_day(t: Token) -> Option<u32> {
    match t {
        Token::Num(v, 1..=2) => Some(v),
        _ => None,
    }
}

/// `Y年M月D日` or `Y s M s D` with the same separator twice; returns the three parts.
fn triple(tokens: &[Token]) -> Option<(Token, u32, u32)> {
    match *tokens {
        [y, Token::Unit('年'), m, Token::Unit('月'), d, Token::Unit('日')] => {
            Some((y, month_or_day(m)?, month_or_day(d)?))
        }
        [y, Token::Sep(s1), m, Token::Sep(s2), d] if s1 == s2 => Some((y, month_or_day(m)?, month_or_day(d)?)),
        _ => None,
    }
}

fn shape(tokens: &[Token]) -> Option<Shape> {
    match tokens {
        [Token::Num(v, 8)] => Some(Shape::Western(v / 10_000, v / 100 % 100, v % 100)),
        [Token::Era(era), rest @ ..] => {
            let (y, m, d) = triple(rest)?;
            let year = match y {
                Token::Gan => 1,
                // Four digits, so that every date with a four-digit year reads back from
                // its own 和暦 form (3179-04-01 is 令和1161年4月1日).
                Token::Num(v, 1..=4) => v,
                _ => return None,
            };
            Some(Shape::Wareki(*era, year, m, d))
        }
        _ => match triple(tokens)? {
            (Token::Num(y, 4), m, d) => Some(Shape::Western(y, m, d)),
            _ => None,
        },
    }
}

/// 日付の解釈: parses a date as typed by a person (see the module docs for the forms).
///
/// Errors say why: empty input, unknown format, a date that does not exist
/// (2025-02-30), or a 和暦 date outside its era (平成32年1月1日).
pub fn parse_date(s: &str) -> Result<NaiveDate, DateParseError> {
    let input = s.trim();
    if input.is_empty() {
        return Err(DateParseError::new(input, DateParseErrorKind::Empty));
    }
    // The form imports and machines write almost always: read without allocating.
    if let Some(d) = iso_date(input) {
        return Ok(d);
    }
    let mut chars: Vec<char> = Vec::with_capacity(input.len());
    chars.extend(input.chars().map(fold));
    let unknown = || DateParseError::new(input, DateParseErrorKind::UnknownFormat);
    let tokens = tokenize(&chars).ok_or_else(unknown)?;
    match shape(&tokens).ok_or_else(unknown)? {
        Shape::Western(y, m, d) => {
            // y has at most four digits here, so the cast cannot overflow.
            NaiveDate::from_ymd_opt(y as i32, m, d)
                .ok_or_else(|| DateParseError::new(input, DateParseErrorKind::InvalidDate))
        }
        Shape::Wareki(era, y, m, d) => {
            let date = from_wareki(era, y, m, d).map_err(|e| DateParseError::from_calendar(input, &e))?;
            // The same range as a four-digit Western year, so every accepted date can be
            // written back as YYYY-MM-DD.
            if date.year() > 9999 {
                return Err(DateParseError::new(input, DateParseErrorKind::OutOfRange));
            }
            Ok(date)
        }
    }
}

/// `YYYY-MM-DD` in ASCII digits naming a real date; anything else (including an impossible
/// date, whose error the general path words) is left to the general path.
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    // Years 1000–9999 only (the cast cannot overflow); earlier ones take the general path.
    let y = num(0..4).filter(|y| *y >= 1000)?;
    NaiveDate::from_ymd_opt(y as i32, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::ymd;

    #[test]
    fn western_forms() {
        for s in ["2025-04-01", "2025/4/1", "2025.4.1", "20250401", "2025年4月1日", "  2025-04-01\n"] {
            assert_eq!(parse_date(s), Ok(ymd(2025, 4, 1)), "{s}");
        }
    }

    #[test]
    fn the_iso_fast_path_agrees_with_the_general_one() {
        assert_eq!(iso_date("2025-04-01"), Some(ymd(2025, 4, 1)));
        for s in ["2025-02-30", "2025-4-01", "２０２５-04-01", "2025-04-0a", "0000-01-01"] {
            assert_eq!(iso_date(s), None, "{s}");
        }
        assert!(matches!(parse_date("2025-02-30"), Err(e) if e.kind == DateParseErrorKind::InvalidDate));
    }

    #[test]
    fn wareki_forms() {
        for s in ["令和7年4月1日", "R7.4.1", "R7/4/1", "r7.4.1", "令和 7年 4月 1日", "㋿7年4月1日", "令和7.4.1"]
        {
            assert_eq!(parse_date(s), Ok(ymd(2025, 4, 1)), "{s}");
        }
        assert_eq!(parse_date("令和元年5月1日"), Ok(ymd(2019, 5, 1)));
        assert_eq!(parse_date("H31.4.30"), Ok(ymd(2019, 4, 30)));
        assert_eq!(parse_date("S64.1.7"), Ok(ymd(1989, 1, 7)));
    }

    #[test]
    fn full_width() {
        for s in ["２０２５／４／１", "令和７年４月１日", "Ｒ７．４．１", "\u{3000}２０２５－０４－０１\u{3000}"]
        {
            assert_eq!(parse_date(s), Ok(ymd(2025, 4, 1)), "{s}");
        }
    }

    /// Found by the `date` fuzz target: `to_wareki` writes 令和 years past 999 for dates
    /// from 3018 on, which the parser used to reject as an unknown format.
    #[test]
    fn four_digit_era_years_read_back() {
        let d = ymd(3179, 4, 1);
        assert_eq!(parse_date("31790401"), Ok(d));
        let w = crate::wareki::to_wareki(d).unwrap();
        assert_eq!(w.format_ja(), "令和1161年4月1日");
        assert_eq!(parse_date(&w.format_ja()), Ok(d));
        assert_eq!(parse_date(&w.format_short()), Ok(d));
        assert_eq!(parse_date("R7981.12.31"), Ok(ymd(9999, 12, 31)));
        assert_eq!(kind("R10000.1.1"), DateParseErrorKind::UnknownFormat);
        // Found next: 令和8357年 is the year 10375, which has no YYYY-MM-DD form.
        assert_eq!(kind("R8357.4.11"), DateParseErrorKind::OutOfRange);
        assert_eq!(kind("R7982.1.1"), DateParseErrorKind::OutOfRange);
        assert_eq!(kind("H1000.1.1"), DateParseErrorKind::OutsideEra(Era::Heisei));
    }

    fn kind(s: &str) -> DateParseErrorKind {
        parse_date(s).unwrap_err().kind
    }

    #[test]
    fn rejections() {
        assert_eq!(kind(""), DateParseErrorKind::Empty);
        assert_eq!(kind("   "), DateParseErrorKind::Empty);
        for s in [
            "abc",
            "25/4/1",
            "2025/4-1",
            "2025 4 1",
            "2025年4月",
            "元年5月1日",
            "X7.4.1",
            "令和7年4月1日日",
            "123456789",
        ] {
            assert_eq!(kind(s), DateParseErrorKind::UnknownFormat, "{s}");
        }
        assert_eq!(kind("2025-02-30"), DateParseErrorKind::InvalidDate);
        assert_eq!(kind("20251301"), DateParseErrorKind::InvalidDate);
        assert_eq!(kind("平成32年1月1日"), DateParseErrorKind::OutsideEra(Era::Heisei));
        assert_eq!(kind("令和0年1月1日"), DateParseErrorKind::EraYearZero);
        assert_eq!(kind("明治5年1月1日"), DateParseErrorKind::BeforeGregorian);
    }

    #[test]
    fn messages() {
        let e = parse_date("2025-02-30").unwrap_err();
        assert_eq!(e.message_ja(), "日付「2025-02-30」は存在しません");
        assert_eq!(e.to_string(), e.message_ja());
        assert_eq!(e.message_en(), "the date \"2025-02-30\" does not exist");
        assert_eq!(
            parse_date("平成32年1月1日").unwrap_err().message_ja(),
            "「平成32年1月1日」は平成の期間（1989年1月8日〜2019年4月30日）外です"
        );
        assert_eq!(
            parse_date(" abc ").unwrap_err().message_ja(),
            "日付「abc」を読み取れません（例: 2025-04-01, 令和7年4月1日, R7.4.1）"
        );
    }
}
