//! 月の加算 (month arithmetic) with end-of-month clamping, as used for
//! 「〜か月後」「〜か月前」 deadlines: one month after January 31 is the last day of February.

use chrono::{Datelike, NaiveDate};

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    // The very last representable month has no successor; it is December-length anyway.
    Some(next.map_or(31, |n| n.signed_duration_since(first).num_days() as u32))
}

/// 月の加算: `d` moved by `n` months, clamping the day to the end of the target month
/// (2025-01-31 +1 → 2025-02-28; 2024-01-31 +1 → 2024-02-29; 2025-07-31 −4 → 2025-03-31).
///
/// Saturates at [`NaiveDate::MIN`] / [`NaiveDate::MAX`] instead of panicking, because `n`
/// may come from user-edited deadline rules.
pub fn add_months(d: NaiveDate, n: i32) -> NaiveDate {
    let index = i64::from(d.year()) * 12 + i64::from(d.month0()) + i64::from(n);
    let saturated = if n < 0 { NaiveDate::MIN } else { NaiveDate::MAX };
    let Ok(year) = i32::try_from(index.div_euclid(12)) else {
        return saturated;
    };
    let month = index.rem_euclid(12) as u32 + 1;
    let Some(last) = days_in_month(year, month) else {
        return saturated;
    };
    NaiveDate::from_ymd_opt(year, month, d.day().min(last)).unwrap_or(saturated)
}

/// 月初: the first day of `d`'s month.
pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists in every month")
}

/// 翌月1日: the first day of the month after `d` (saturates at [`NaiveDate::MAX`]).
pub fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    let next = add_months(first_of_month(d), 1);
    // From a 1st, add_months only returns MAX (the 31st) when it saturated.
    if next == NaiveDate::MAX { next } else { first_of_month(next) }
}

/// 月末: the last day of `d`'s month.
pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    let last = days_in_month(d.year(), d.month()).expect("d's own month exists");
    d.with_day(last).expect("last day exists")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::ymd;

    #[test]
    fn clamping() {
        assert_eq!(add_months(ymd(2025, 1, 31), 1), ymd(2025, 2, 28));
        assert_eq!(add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
        assert_eq!(add_months(ymd(2025, 7, 31), -4), ymd(2025, 3, 31));
        assert_eq!(add_months(ymd(2032, 3, 31), -4), ymd(2031, 11, 30));
        assert_eq!(add_months(ymd(2025, 11, 15), 2), ymd(2026, 1, 15));
        assert_eq!(add_months(ymd(2025, 1, 15), -1), ymd(2024, 12, 15));
        assert_eq!(add_months(ymd(2025, 1, 15), 0), ymd(2025, 1, 15));
    }

    #[test]
    fn saturates() {
        assert_eq!(add_months(ymd(2025, 1, 1), i32::MAX), NaiveDate::MAX);
        assert_eq!(add_months(ymd(2025, 1, 1), i32::MIN), NaiveDate::MIN);
        assert_eq!(first_of_next_month(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(end_of_month(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn month_edges() {
        assert_eq!(first_of_next_month(ymd(2025, 12, 31)), ymd(2026, 1, 1));
        assert_eq!(first_of_next_month(ymd(2025, 4, 15)), ymd(2025, 5, 1));
        assert_eq!(end_of_month(ymd(2024, 2, 3)), ymd(2024, 2, 29));
        assert_eq!(end_of_month(ymd(2025, 2, 3)), ymd(2025, 2, 28));
        assert_eq!(first_of_month(ymd(2025, 2, 3)), ymd(2025, 2, 1));
    }
}
