//! 年度 (fiscal year, April–March), as used by Japanese local governments.

use crate::wareki::{Era, era_year_ja};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// 年度 (fiscal year, April–March), identified by the Western year in which it starts:
/// `FiscalYear(2025)` runs from 2025-04-01 to 2026-03-31 and is 令和7年度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The 年度 containing `d`: 2026-03-31 is in FY2025, 2026-04-01 in FY2026.
    pub fn of(d: NaiveDate) -> FiscalYear {
        if d.month() >= 4 { FiscalYear(d.year()) } else { FiscalYear(d.year() - 1) }
    }

    /// 年度初日: April 1 of the starting year.
    ///
    /// # Panics
    /// If the year is outside chrono's representable range (about ±262,000 years).
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("fiscal year within chrono's date range")
    }

    /// 年度末: March 31 of the following year.
    ///
    /// # Panics
    /// If the year is outside chrono's representable range.
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("fiscal year within chrono's date range")
    }

    /// Whether `d` lies within this 年度 (start and end inclusive).
    pub fn contains(self, d: NaiveDate) -> bool {
        FiscalYear::of(d) == self
    }

    /// The following 年度.
    pub fn next(self) -> FiscalYear {
        FiscalYear(self.0 + 1)
    }

    /// The preceding 年度.
    pub fn previous(self) -> FiscalYear {
        FiscalYear(self.0 - 1)
    }

    /// 和暦の年度名: "令和7年度" (FY2025), "令和元年度" (FY2019), "平成30年度" (FY2018).
    ///
    /// Rule: the year number is the 和暦 year of the Western year in which the 年度
    /// starts, and the era is the one in force at the end of that Western year
    /// (December 31). That matches official usage at both recent era changes:
    /// FY2019 (April 2019, still 平成31年) is called 令和元年度, and FY1988 — whose
    /// last day, 1989-03-31, was already 平成 — is 昭和63年度, with 平成元年度 being FY1989.
    /// (Choosing the era by the 年度's last day, March 31, would label FY1988 as the
    /// non-existent "平成0年度", so it is not used.)
    ///
    /// Years before 明治 fall back to the Western form "1867年度".
    pub fn label_ja(self) -> String {
        let year_end = NaiveDate::from_ymd_opt(self.0, 12, 31);
        match year_end.and_then(Era::at) {
            Some(era) => {
                // The era is in force on Dec 31 of self.0, so it started in or before self.0.
                let era_year = (self.0 - era.start().year() + 1) as u32;
                format!("{}度", era_year_ja(era, era_year))
            }
            None => format!("{}年度", self.0),
        }
    }

    /// "FY2025".
    pub fn label_en(self) -> String {
        format!("FY{}", self.0)
    }
}

impl fmt::Display for FiscalYear {
    /// Same as [`FiscalYear::label_ja`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_ja())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::ymd;

    #[test]
    fn of_and_bounds() {
        assert_eq!(FiscalYear::of(ymd(2026, 3, 31)), FiscalYear(2025));
        assert_eq!(FiscalYear::of(ymd(2026, 4, 1)), FiscalYear(2026));
        assert_eq!(FiscalYear(2025).start(), ymd(2025, 4, 1));
        assert_eq!(FiscalYear(2025).end(), ymd(2026, 3, 31));
        assert!(FiscalYear(2025).contains(ymd(2025, 12, 31)));
        assert!(!FiscalYear(2025).contains(ymd(2026, 4, 1)));
    }

    #[test]
    fn labels() {
        assert_eq!(FiscalYear(2025).label_ja(), "令和7年度");
        assert_eq!(FiscalYear(2019).label_ja(), "令和元年度");
        assert_eq!(FiscalYear(2018).label_ja(), "平成30年度");
        assert_eq!(FiscalYear(1989).label_ja(), "平成元年度");
        assert_eq!(FiscalYear(1988).label_ja(), "昭和63年度");
        assert_eq!(FiscalYear(1868).label_ja(), "明治元年度");
        assert_eq!(FiscalYear(1867).label_ja(), "1867年度");
        assert_eq!(FiscalYear(2025).label_en(), "FY2025");
        assert_eq!(FiscalYear(2025).to_string(), "令和7年度");
    }
}
