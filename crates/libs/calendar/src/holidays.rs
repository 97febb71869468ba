//! 祝日 (national holidays), from the `@holiday-jp/holiday_jp` dataset (1970–2050).
//!
//! The table is generated at build time by `build.rs`; no dates are typed by hand here.
//! Names are exactly as the dataset gives them, including substitute holidays
//! ("山の日 振替休日") and 国民の休日 (named "休日" in the dataset), as well as one-off
//! holidays such as "休日（祝日扱い）" (2019-05-01).
//!
//! Outside [`holiday_data_range`] nothing is known, so every date there is treated
//! as a non-holiday.

use chrono::{Datelike, NaiveDate};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/holidays.rs"));
}
use generated::HOLIDAYS;

type Entry = (i32, u32, u32, &'static str, &'static str);

fn key(d: NaiveDate) -> (i32, u32, u32) {
    (d.year(), d.month(), d.day())
}

fn entry_key(e: &Entry) -> (i32, u32, u32) {
    (e.0, e.1, e.2)
}

fn entry_date(e: &Entry) -> NaiveDate {
    NaiveDate::from_ymd_opt(e.0, e.1, e.2).expect("build.rs validates every dataset date")
}

fn lookup(d: NaiveDate) -> Option<&'static Entry> {
    HOLIDAYS.binary_search_by_key(&key(d), entry_key).ok().map(|i| &HOLIDAYS[i])
}

/// 祝日名: the Japanese name of the holiday on `d`, e.g. 2021-07-23 → "スポーツの日".
pub fn holiday_name(d: NaiveDate) -> Option<&'static str> {
    lookup(d).map(|e| e.3)
}

/// English name of the holiday on `d`, e.g. 2021-07-22 → "Marine Day".
pub fn holiday_name_en(d: NaiveDate) -> Option<&'static str> {
    lookup(d).map(|e| e.4)
}

/// Whether `d` is a 祝日 (including 振替休日 and 国民の休日).
pub fn is_holiday(d: NaiveDate) -> bool {
    lookup(d).is_some()
}

/// All 祝日 from `from` to `to`, both inclusive, in date order (empty if `from > to`).
pub fn holidays_between(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, &'static str)> {
    if from > to {
        return Vec::new();
    }
    let lo = HOLIDAYS.partition_point(|e| entry_key(e) < key(from));
    let hi = HOLIDAYS.partition_point(|e| entry_key(e) <= key(to));
    HOLIDAYS[lo..hi].iter().map(|e| (entry_date(e), e.3)).collect()
}

/// First and last dated entry in the dataset; outside this range no 祝日 are known.
pub fn holiday_data_range() -> (NaiveDate, NaiveDate) {
    // build.rs refuses to generate an empty table.
    (entry_date(&HOLIDAYS[0]), entry_date(&HOLIDAYS[HOLIDAYS.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::ymd;

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(HOLIDAYS.windows(2).all(|w| entry_key(&w[0]) < entry_key(&w[1])));
    }

    #[test]
    fn known_dates() {
        assert_eq!(holiday_name(ymd(2021, 7, 22)), Some("海の日"));
        assert_eq!(holiday_name(ymd(2021, 7, 23)), Some("スポーツの日"));
        assert_eq!(holiday_name_en(ymd(2021, 7, 22)), Some("Marine Day"));
        assert_eq!(holiday_name(ymd(2021, 7, 21)), None);
        assert!(!is_holiday(ymd(2025, 4, 1)));
    }

    #[test]
    fn between_is_inclusive() {
        let gw = holidays_between(ymd(2025, 4, 29), ymd(2025, 5, 6));
        let dates: Vec<_> = gw.iter().map(|(d, _)| *d).collect();
        assert_eq!(dates, [ymd(2025, 4, 29), ymd(2025, 5, 3), ymd(2025, 5, 4), ymd(2025, 5, 5), ymd(2025, 5, 6)]);
        assert!(holidays_between(ymd(2025, 5, 6), ymd(2025, 4, 29)).is_empty());
    }

    #[test]
    fn range() {
        let (first, last) = holiday_data_range();
        assert_eq!(first, ymd(1970, 1, 1));
        assert!(last >= ymd(2050, 1, 1));
    }
}
