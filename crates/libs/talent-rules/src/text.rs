//! Small formatting helpers for the Japanese text the rules show (yen, 年度, dates, percentages).

use chrono::{Datelike, NaiveDate, Weekday};
use tabane_calendar::FiscalYear;

/// 「令和7年度」.
pub(crate) fn fy_ja(fy: FiscalYear) -> String {
    fy.label_ja()
}

/// 「9,000,000円」.
pub(crate) fn yen(amount: i64) -> String {
    format!("{}円", grouped(amount))
}

/// 「2,000万円」 for whole 万円, else [`yen`]: caps are written in 万円 in the seed (line 197–202).
pub(crate) fn man_yen(amount: i64) -> String {
    if amount != 0 && amount % 10_000 == 0 { format!("{}万円", grouped(amount / 10_000)) } else { yen(amount) }
}

/// Digits grouped by three with commas, as on a 算定資料.
pub(crate) fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 「2025-09-01」.
pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// 「9/15」.
pub(crate) fn month_day(d: NaiveDate) -> String {
    format!("{}/{}", d.month(), d.day())
}

/// 曜日 as one character: 月 火 水 木 金 土 日.
pub(crate) fn weekday_ja(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "月",
        Weekday::Tue => "火",
        Weekday::Wed => "水",
        Weekday::Thu => "木",
        Weekday::Fri => "金",
        Weekday::Sat => "土",
        Weekday::Sun => "日",
    }
}

/// `part / whole` as a percentage with one decimal, rounded half up: 30/35 → 「85.7%」.
/// `None` when `whole` is 0 (no rate can be shown).
pub(crate) fn percent_1dp(part: u64, whole: u64) -> Option<String> {
    if whole == 0 {
        return None;
    }
    // Integer arithmetic: tenths of a percent, rounded half up.
    let tenths = (part as u128 * 2000 + whole as u128) / (2 * whole as u128);
    Some(format!("{}.{}%", tenths / 10, tenths % 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(yen(9_000_000), "9,000,000円");
        assert_eq!(yen(0), "0円");
        assert_eq!(yen(-1_500), "-1,500円");
        assert_eq!(man_yen(20_000_000), "2,000万円");
        assert_eq!(man_yen(3_000_000), "300万円");
        assert_eq!(man_yen(1_234), "1,234円");
        assert_eq!(percent_1dp(30, 35).as_deref(), Some("85.7%"));
        assert_eq!(percent_1dp(35, 35).as_deref(), Some("100.0%"));
        assert_eq!(percent_1dp(1, 0), None);
        assert_eq!(fy_ja(FiscalYear(2029)), "令和11年度");
    }
}
