//! Plain values shared by the rules: 数量 (quantities kept exact to 1/1000), 円, 年月.
//!
//! Quantities are fixed-point rather than `f64` because 出来型 totals and 単価 × 数量 must add up
//! to the same yen on every screen; a float sum depends on the order of the rows.

use crate::error::{ContractRuleError, Field, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// 数量 (a quantity: m², 回, 箇所, km …) in thousandths of its unit, never negative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(pub u64);

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);

    /// A whole number of units (saturating, so no input can overflow into a panic).
    pub const fn units(n: u64) -> Self {
        Quantity(n.saturating_mul(1000))
    }

    /// Reads 「1,234.5」-style text (half-width or full-width digits, commas allowed, up to three
    /// decimals). More decimals are refused rather than rounded, so no input is silently changed.
    pub fn parse(field: Field, input: &str) -> Result<Self> {
        let folded: String = input
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                'ー' | '－' => '-',
                _ => c,
            })
            .collect();
        if folded.is_empty() {
            return Err(ContractRuleError::Missing { field });
        }
        let bad = || ContractRuleError::NotANumber { field, input: input.to_string() };
        if folded.starts_with('-') {
            return Err(ContractRuleError::Negative { field, value: input.to_string() });
        }
        let (int, frac) = folded.split_once('.').unwrap_or((&folded, ""));
        if int.is_empty() || frac.len() > 3 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let int: u64 = int.parse().map_err(|_| bad())?;
        let frac_milli: u64 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
        int.checked_mul(1000).and_then(|v| v.checked_add(frac_milli)).map(Quantity).ok_or_else(bad)
    }

    /// The sum, or `None` on overflow (impossible for real quantities, but never a panic).
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Quantity)
    }

    /// 単価 × 数量 in yen, 円未満切り捨て. The seed prints no rounding rule; truncation is the usual
    /// practice for 単価契約 and keeps the result at or below the exact product.
    pub fn times_unit_price(self, unit_price: u64) -> Option<u64> {
        let exact = u128::from(self.0) * u128::from(unit_price) / 1000;
        u64::try_from(exact).ok()
    }

    /// Signed difference `self - other` in thousandths (出来型の差異).
    pub fn diff(self, other: Quantity) -> i128 {
        i128::from(self.0) - i128::from(other.0)
    }
}

impl fmt::Display for Quantity {
    /// 「1234.5」: trailing zero decimals dropped, so whole numbers print as integers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (int, frac) = (self.0 / 1000, self.0 % 1000);
        if frac == 0 {
            write!(f, "{int}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{int}.{}", s.trim_end_matches('0'))
        }
    }
}

/// Formats a signed thousandths value (a variance) the way [`Quantity`] prints, with its sign.
pub fn signed_milli(v: i128) -> String {
    let q = Quantity(u64::try_from(v.unsigned_abs()).unwrap_or(u64::MAX));
    if v < 0 {
        format!("-{q}")
    } else if v > 0 {
        format!("+{q}")
    } else {
        "0".into()
    }
}

/// Yen with thousands separators: 「1,234,567円」.
pub fn yen(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out + "円"
}

/// 年月 (a calendar month), the unit of the monthly 出来型 and the 月例会議.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

const MONTH: Field = Field::new("月", "month");

impl YearMonth {
    /// A month; `month` outside 1–12 (or a year chrono cannot represent) is refused by field.
    pub fn new(year: i32, month: u32) -> Result<Self> {
        if !(1..=12).contains(&month) {
            return Err(ContractRuleError::OutOfRange {
                field: MONTH,
                value: month.to_string(),
                min: "1".into(),
                max: "12".into(),
            });
        }
        if NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            return Err(ContractRuleError::OutOfRange {
                field: Field::new("年", "year"),
                value: year.to_string(),
                min: "1".into(),
                max: "9999".into(),
            });
        }
        Ok(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of(d: NaiveDate) -> Self {
        Self { year: d.year(), month: d.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// Whether `d` falls in this month.
    pub fn contains(self, d: NaiveDate) -> bool {
        Self::of(d) == self
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月", self.year, self.month)
    }
}

/// Refuses empty text for a required field; returns it trimmed.
pub(crate) fn required(field: Field, s: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() { Err(ContractRuleError::Missing { field }) } else { Ok(t.to_string()) }
}
