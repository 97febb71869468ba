//! 和暦 (Japanese era calendar).
//!
//! Supported range: from 明治6年1月1日 (1873-01-01) onward. Japan switched from the
//! lunisolar calendar to the Gregorian one on that day (明治5年12月3日 became 明治6年1月1日),
//! so before it a 和暦 month/day does not correspond to the Gregorian month/day and a
//! conversion would silently be wrong. [`Era::Meiji`]`.start()` is still the real start of
//! the era expressed in the Gregorian calendar (1868-01-25 = 明治元年1月1日 in the old
//! calendar), but [`to_wareki`] returns `None` and [`from_wareki`] returns
//! [`CalendarError::BeforeGregorian`] for anything before 1873-01-01.

use crate::error::CalendarError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

pub(crate) const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// 太陽暦の採用日 (adoption of the Gregorian calendar): the first supported date.
pub const GREGORIAN_START: NaiveDate = ymd(1873, 1, 1);

/// 元号 (era name). Variants are in chronological order, so `Ord` follows time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Era {
    /// 明治
    Meiji,
    /// 大正
    Taisho,
    /// 昭和
    Showa,
    /// 平成
    Heisei,
    /// 令和
    Reiwa,
}

impl Era {
    /// All eras, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// 元号名 in kanji, e.g. "令和".
    pub fn name_ja(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// Latin initial used in short forms such as "R7.4.1".
    pub fn initial(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// First day of the era (Gregorian). For 明治 this is 1868-01-25, although dates are
    /// only supported from 1873-01-01 (see the module docs).
    pub fn start(self) -> NaiveDate {
        match self {
            Era::Meiji => ymd(1868, 1, 25),
            Era::Taisho => ymd(1912, 7, 30),
            Era::Showa => ymd(1926, 12, 25),
            Era::Heisei => ymd(1989, 1, 8),
            Era::Reiwa => ymd(2019, 5, 1),
        }
    }

    /// Last day of the era, or `None` for the current era.
    pub fn end(self) -> Option<NaiveDate> {
        self.next().map(|next| next.start().pred_opt().expect("era start is after NaiveDate::MIN"))
    }

    /// The following era, if any.
    pub fn next(self) -> Option<Era> {
        match self {
            Era::Meiji => Some(Era::Taisho),
            Era::Taisho => Some(Era::Showa),
            Era::Showa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Reiwa),
            Era::Reiwa => None,
        }
    }

    /// Whether `d` falls inside the era (ignoring the Gregorian-adoption restriction).
    pub fn contains(self, d: NaiveDate) -> bool {
        d >= self.start() && self.end().is_none_or(|end| d <= end)
    }

    /// The era in force on `d`, or `None` before 明治 began.
    /// Unlike [`to_wareki`] this does not stop at 1873, because naming a *year*
    /// (e.g. for 年度 labels) needs no month/day correspondence.
    pub fn at(d: NaiveDate) -> Option<Era> {
        Era::ALL.into_iter().rev().find(|era| d >= era.start())
    }

    /// Looks up an era by its kanji name ("令和").
    pub fn from_name_ja(name: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|era| era.name_ja() == name)
    }

    /// Looks up an era by its Latin initial, case-insensitively ('R' or 'r').
    pub fn from_initial(c: char) -> Option<Era> {
        let c = c.to_ascii_uppercase();
        Era::ALL.into_iter().find(|era| era.initial() == c)
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_ja())
    }
}

/// 和暦の日付 (a date in the Japanese era calendar). `year` 1 is 元年.
///
/// Fields are public for convenience; values built by hand are not validated —
/// use [`from_wareki`] to turn one into a checked [`NaiveDate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Wareki {
    pub era: Era,
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Wareki {
    /// "令和元年5月1日", "令和7年4月1日" — the first year is written 元年 as in official documents.
    pub fn format_ja(&self) -> String {
        format_ja_parts(self.era, self.year, self.month, self.day)
    }

    /// "R1.5.1" — compact form used in forms and spreadsheets (first year written as 1).
    pub fn format_short(&self) -> String {
        format!("{}{}.{}.{}", self.era.initial(), self.year, self.month, self.day)
    }

    /// The Gregorian date, checked against the era boundaries.
    pub fn to_date(&self) -> Result<NaiveDate, CalendarError> {
        from_wareki(self.era, self.year, self.month, self.day)
    }
}

impl fmt::Display for Wareki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_ja())
    }
}

/// "令和7年" / "令和元年" — the year part shared by dates and 年度 labels.
pub(crate) fn era_year_ja(era: Era, year: u32) -> String {
    if year == 1 { format!("{}元年", era.name_ja()) } else { format!("{}{}年", era.name_ja(), year) }
}

pub(crate) fn format_ja_parts(era: Era, year: u32, month: u32, day: u32) -> String {
    format!("{}{}月{}日", era_year_ja(era, year), month, day)
}

/// Converts a Gregorian date to 和暦.
///
/// Returns `None` before 1873-01-01 (adoption of the Gregorian calendar in Japan;
/// see the module docs for why earlier dates are not converted).
pub fn to_wareki(d: NaiveDate) -> Option<Wareki> {
    if d < GREGORIAN_START {
        return None;
    }
    let era = Era::at(d)?;
    // Every era here starts in a year ≤ d.year(), so the difference is non-negative.
    let year = u32::try_from(d.year() - era.start().year() + 1).ok()?;
    Some(Wareki { era, year, month: d.month(), day: d.day() })
}

/// Converts a 和暦 date to Gregorian, rejecting dates outside the era
/// (e.g. 平成31年5月1日 — 平成 ended on 2019-04-30 — or 令和元年4月30日), year 0,
/// impossible dates (2月30日) and 明治 dates before 1873-01-01.
pub fn from_wareki(era: Era, year: u32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    if year == 0 {
        return Err(CalendarError::EraYearZero { era });
    }
    let gregorian_year = i64::from(era.start().year()) + i64::from(year) - 1;
    let gregorian_year = i32::try_from(gregorian_year).map_err(|_| CalendarError::OutOfRange)?;
    let date = match NaiveDate::from_ymd_opt(gregorian_year, month, day) {
        Some(d) => d,
        // A valid month/day in a year chrono cannot represent is a range problem, not a bad date.
        None if NaiveDate::from_ymd_opt(gregorian_year, 1, 1).is_none() => {
            return Err(CalendarError::OutOfRange);
        }
        None => {
            return Err(CalendarError::InvalidDate { year: gregorian_year, month, day });
        }
    };
    // Checked before the era span so that e.g. 明治元年1月1日 (a real lunisolar date, but
    // before 1868-01-25 in Gregorian terms) reports the real reason.
    if era == Era::Meiji && date < GREGORIAN_START {
        return Err(CalendarError::BeforeGregorian);
    }
    if !era.contains(date) {
        return Err(CalendarError::OutsideEra { era, year, month, day });
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(era: Era, year: u32, month: u32, day: u32) -> Wareki {
        Wareki { era, year, month, day }
    }

    #[test]
    fn boundaries() {
        let cases = [
            (ymd(1912, 7, 29), w(Era::Meiji, 45, 7, 29)),
            (ymd(1912, 7, 30), w(Era::Taisho, 1, 7, 30)),
            (ymd(1926, 12, 24), w(Era::Taisho, 15, 12, 24)),
            (ymd(1926, 12, 25), w(Era::Showa, 1, 12, 25)),
            (ymd(1989, 1, 7), w(Era::Showa, 64, 1, 7)),
            (ymd(1989, 1, 8), w(Era::Heisei, 1, 1, 8)),
            (ymd(2019, 4, 30), w(Era::Heisei, 31, 4, 30)),
            (ymd(2019, 5, 1), w(Era::Reiwa, 1, 5, 1)),
        ];
        for (date, wareki) in cases {
            assert_eq!(to_wareki(date), Some(wareki), "{date}");
            assert_eq!(from_wareki(wareki.era, wareki.year, wareki.month, wareki.day), Ok(date));
        }
    }

    #[test]
    fn gregorian_adoption_limit() {
        assert_eq!(to_wareki(ymd(1872, 12, 31)), None);
        assert_eq!(to_wareki(ymd(1873, 1, 1)), Some(w(Era::Meiji, 6, 1, 1)));
        assert_eq!(from_wareki(Era::Meiji, 5, 12, 2), Err(CalendarError::BeforeGregorian));
        assert_eq!(from_wareki(Era::Meiji, 1, 1, 1), Err(CalendarError::BeforeGregorian));
        assert_eq!(from_wareki(Era::Meiji, 6, 1, 1), Ok(GREGORIAN_START));
    }

    #[test]
    fn rejects_outside_era() {
        assert!(matches!(from_wareki(Era::Heisei, 31, 5, 1), Err(CalendarError::OutsideEra { .. })));
        assert!(matches!(from_wareki(Era::Reiwa, 1, 4, 30), Err(CalendarError::OutsideEra { .. })));
        assert!(matches!(from_wareki(Era::Showa, 64, 1, 8), Err(CalendarError::OutsideEra { .. })));
        assert!(matches!(from_wareki(Era::Taisho, 1, 7, 29), Err(CalendarError::OutsideEra { .. })));
        assert_eq!(from_wareki(Era::Reiwa, 0, 5, 1), Err(CalendarError::EraYearZero { era: Era::Reiwa }));
        assert_eq!(
            from_wareki(Era::Reiwa, 7, 2, 29),
            Err(CalendarError::InvalidDate { year: 2025, month: 2, day: 29 })
        );
        assert_eq!(from_wareki(Era::Reiwa, u32::MAX, 1, 1), Err(CalendarError::OutOfRange));
    }

    #[test]
    fn formatting() {
        assert_eq!(w(Era::Reiwa, 1, 5, 1).format_ja(), "令和元年5月1日");
        assert_eq!(w(Era::Reiwa, 7, 4, 1).format_ja(), "令和7年4月1日");
        assert_eq!(w(Era::Reiwa, 1, 5, 1).format_short(), "R1.5.1");
        assert_eq!(w(Era::Showa, 64, 1, 7).to_string(), "昭和64年1月7日");
        assert_eq!(Era::Heisei.end(), Some(ymd(2019, 4, 30)));
        assert_eq!(Era::Reiwa.end(), None);
        assert_eq!(Era::from_initial('r'), Some(Era::Reiwa));
        assert_eq!(Era::from_name_ja("大正"), Some(Era::Taisho));
    }

    #[test]
    fn error_message_is_japanese() {
        let err = from_wareki(Era::Heisei, 32, 1, 1).unwrap_err();
        assert_eq!(err.to_string(), "平成32年1月1日は平成の期間（1989年1月8日〜2019年4月30日）外です");
    }
}
