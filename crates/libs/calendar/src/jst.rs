//! 日本標準時 (Japan Standard Time): the one clock of the application. Staff read times, and
//! deadlines count calendar days, in JST (UTC+9, no daylight saving), whatever the server's zone.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// UTC+9.
pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset")
}

/// Now, in JST.
pub fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&offset())
}

/// Today's date in Japan.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// The Japanese calendar day of an instant.
pub fn date_of(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&offset()).date_naive()
}

/// An instant shown in JST.
pub fn at(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&offset())
}

/// The instant a Japanese calendar day begins (00:00 JST), in UTC.
pub fn start_of(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(offset())
        .single()
        .expect("a fixed offset has one local time")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_utc_evening_is_the_next_morning_in_japan() {
        let t = Utc.with_ymd_and_hms(2026, 3, 31, 15, 30, 0).unwrap();
        assert_eq!(date_of(t), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), "00:30 JST on 1 April: the new 年度");
        assert_eq!(at(t).format("%Y-%m-%d %H:%M").to_string(), "2026-04-01 00:30");
        assert_eq!(
            start_of(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()),
            Utc.with_ymd_and_hms(2026, 3, 31, 15, 0, 0).unwrap()
        );
        assert_eq!(date_of(start_of(today())), today());
    }
}
