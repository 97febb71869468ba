//! 営業日 (business days / 開庁日) for municipal offices.

use crate::holidays::is_holiday;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// 営業日カレンダー: which days an office is open.
///
/// Saturdays, Sundays and 祝日 are always closed. `year_end_closure` adds the
/// 年末年始閉庁 (12/29–1/3), which municipal offices observe by ordinance even though
/// those days are not national holidays; it defaults to `true`.
///
/// 祝日 are only known inside [`crate::holiday_data_range`] (1970–2050); outside it
/// only weekends and the year-end closure are taken into account.
///
/// Stepping functions saturate at [`NaiveDate::MIN`] / [`NaiveDate::MAX`] rather than
/// panicking; only there can their result fail to be a business day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessCalendar {
    /// 年末年始閉庁 (12/29–1/3).
    pub year_end_closure: bool,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        Self { year_end_closure: true }
    }
}

impl BusinessCalendar {
    /// Calendar with 年末年始閉庁 (the usual municipal calendar).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `d` falls in the 年末年始 closure (12/29–1/3), regardless of the option.
    pub fn is_year_end_period(d: NaiveDate) -> bool {
        matches!((d.month(), d.day()), (12, 29..) | (1, ..=3))
    }

    /// 営業日: not a Saturday/Sunday, not a 祝日, and (if enabled) not in 12/29–1/3.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let closed = self.year_end_closure && Self::is_year_end_period(d);
        // Holiday lookup last: it is the only non-trivial check.
        !(weekend || closed || is_holiday(d))
    }

    /// `d` itself if it is a business day, otherwise the next one (翌営業日).
    pub fn next_business_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut cur = d;
        while !self.is_business_day(cur) {
            match cur.succ_opt() {
                Some(next) => cur = next,
                None => break,
            }
        }
        cur
    }

    /// `d` itself if it is a business day, otherwise the previous one (前営業日).
    pub fn previous_business_day_on_or_before(&self, d: NaiveDate) -> NaiveDate {
        let mut cur = d;
        while !self.is_business_day(cur) {
            match cur.pred_opt() {
                Some(prev) => cur = prev,
                None => break,
            }
        }
        cur
    }

    /// 営業日の加算: the `n`-th business day after `d` (`n > 0`) or before it (`n < 0`),
    /// not counting `d` itself. `n == 0` gives `d` if it is a business day, else the next one.
    pub fn add_business_days(&self, d: NaiveDate, n: i32) -> NaiveDate {
        if n == 0 {
            return self.next_business_day_on_or_after(d);
        }
        let step = |x: NaiveDate| if n > 0 { x.succ_opt() } else { x.pred_opt() };
        let mut cur = d;
        let mut remaining = n.unsigned_abs();
        while remaining > 0 {
            let Some(next) = step(cur) else { break };
            cur = next;
            if self.is_business_day(cur) {
                remaining -= 1;
            }
        }
        cur
    }

    /// Number of business days in `(from, to]` — i.e. how many business days it takes
    /// to get from `from` to `to`. Negative (counting `(to, from]`) if `to < from`.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.business_days_between(to, from);
        }
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_business_day(*d)).count() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::ymd;

    const CLOSED: BusinessCalendar = BusinessCalendar { year_end_closure: true };
    const OPEN: BusinessCalendar = BusinessCalendar { year_end_closure: false };

    #[test]
    fn weekends_holidays_closure() {
        assert!(CLOSED.is_business_day(ymd(2025, 4, 1)));
        assert!(!CLOSED.is_business_day(ymd(2025, 4, 5))); // Saturday
        assert!(!CLOSED.is_business_day(ymd(2025, 5, 5))); // こどもの日
        assert!(!CLOSED.is_business_day(ymd(2025, 12, 29)));
        assert!(OPEN.is_business_day(ymd(2025, 12, 29)));
        assert!(!OPEN.is_business_day(ymd(2026, 1, 1))); // 元日 is a holiday anyway
        assert!(OPEN.is_business_day(ymd(2026, 1, 2)));
        assert!(BusinessCalendar::default().year_end_closure);
    }

    #[test]
    fn stepping() {
        assert_eq!(CLOSED.add_business_days(ymd(2025, 4, 4), 1), ymd(2025, 4, 7));
        assert_eq!(CLOSED.add_business_days(ymd(2025, 4, 7), -1), ymd(2025, 4, 4));
        assert_eq!(CLOSED.add_business_days(ymd(2025, 4, 5), 0), ymd(2025, 4, 7));
        assert_eq!(CLOSED.add_business_days(ymd(2025, 4, 4), 0), ymd(2025, 4, 4));
        assert_eq!(CLOSED.previous_business_day_on_or_before(ymd(2025, 4, 6)), ymd(2025, 4, 4));
    }

    #[test]
    fn counting() {
        assert_eq!(CLOSED.business_days_between(ymd(2025, 4, 4), ymd(2025, 4, 7)), 1);
        assert_eq!(CLOSED.business_days_between(ymd(2025, 4, 7), ymd(2025, 4, 4)), -1);
        assert_eq!(CLOSED.business_days_between(ymd(2025, 4, 7), ymd(2025, 4, 7)), 0);
        assert_eq!(CLOSED.business_days_between(ymd(2025, 4, 6), ymd(2025, 4, 13)), 5);
    }

    #[test]
    fn saturates_at_date_limits() {
        assert_eq!(CLOSED.add_business_days(NaiveDate::MAX, 3), NaiveDate::MAX);
        assert_eq!(CLOSED.add_business_days(NaiveDate::MIN, -3), NaiveDate::MIN);
    }
}
