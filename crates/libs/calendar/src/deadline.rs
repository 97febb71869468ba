//! 期限ルール (deadline rules as data): "7日前", "40日以内", "翌月1日から6か月後", …
//!
//! A rule is a list of steps applied to an anchor date (meeting, invoice, completion,
//! …) followed by an optional adjustment when the result is not a business day. Rules
//! are stored as data (serde) or as a compact text form (see [`DeadlineRule::parse`])
//! so that administrators can edit them without code changes.

use crate::business::BusinessCalendar;
use crate::error::CalendarError;
use crate::months::{add_months, end_of_month, first_of_month, first_of_next_month};
use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// One step of a 期限ルール.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DeadlineStep {
    /// 暦日: `n` calendar days later (negative: earlier). Text: `+40d`, `-7d`.
    Days { n: i32 },
    /// 営業日: `n` business days later/earlier; 0 means "that day or the next business
    /// day" (see [`BusinessCalendar::add_business_days`]). Text: `+5bd`.
    BusinessDays { n: i32 },
    /// か月: `n` months later/earlier, clamped to the end of the month. Text: `-4m`.
    Months { n: i32 },
    /// 翌月1日. Text: `next_month_start`.
    FirstOfNextMonth,
    /// 月初 (the 1st of the current month). Text: `month_start`.
    FirstOfMonth,
    /// 月末. Text: `end_of_month`.
    EndOfMonth,
}

/// What to do when the computed date is not a business day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjust {
    /// Keep the date as computed.
    #[default]
    None,
    /// 翌営業日に繰り下げ (e.g. a deadline falling on a Saturday moves to Monday).
    NextBusinessDay,
    /// 前営業日に繰り上げ.
    PreviousBusinessDay,
}

/// 期限ルール: steps applied in order to an anchor date, then `adjust`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub steps: Vec<DeadlineStep>,
    #[serde(default)]
    pub adjust: Adjust,
}

impl DeadlineStep {
    /// Applies this step to `d`. Saturates at the representable date limits.
    pub fn apply(self, d: NaiveDate, cal: &BusinessCalendar) -> NaiveDate {
        match self {
            DeadlineStep::Days { n } => {
                let saturated = if n < 0 { NaiveDate::MIN } else { NaiveDate::MAX };
                d.checked_add_signed(TimeDelta::days(i64::from(n))).unwrap_or(saturated)
            }
            DeadlineStep::BusinessDays { n } => cal.add_business_days(d, n),
            DeadlineStep::Months { n } => add_months(d, n),
            DeadlineStep::FirstOfNextMonth => first_of_next_month(d),
            DeadlineStep::FirstOfMonth => first_of_month(d),
            DeadlineStep::EndOfMonth => end_of_month(d),
        }
    }

    /// Whether the step moves by an amount (as opposed to snapping to a day of the month).
    fn is_offset(self) -> bool {
        matches!(self, DeadlineStep::Days { .. } | DeadlineStep::BusinessDays { .. } | DeadlineStep::Months { .. })
    }

    /// Japanese phrase for the step. `last` marks the final step, where a forward
    /// calendar-day offset reads as a time limit ("40日以内") rather than a date ("40日後").
    fn phrase_ja(self, last: bool) -> String {
        let signed = |n: i32, unit: &str, zero: &str| match n {
            0 => zero.to_owned(),
            n if n > 0 => format!("{n}{unit}後"),
            n => format!("{}{unit}前", n.unsigned_abs()),
        };
        match self {
            DeadlineStep::Days { n } if last && n > 0 => format!("{n}日以内"),
            DeadlineStep::Days { n } => signed(n, "日", "当日"),
            DeadlineStep::BusinessDays { n } => signed(n, "営業日", "当日または翌営業日"),
            DeadlineStep::Months { n } => signed(n, "か月", "当日"),
            DeadlineStep::FirstOfNextMonth => "翌月1日".to_owned(),
            DeadlineStep::FirstOfMonth => "月初".to_owned(),
            DeadlineStep::EndOfMonth => "月末".to_owned(),
        }
    }
}

impl DeadlineRule {
    /// A rule with the given steps and no adjustment.
    pub fn new(steps: Vec<DeadlineStep>) -> Self {
        Self { steps, adjust: Adjust::None }
    }

    /// Same rule with a different [`Adjust`].
    pub fn with_adjust(mut self, adjust: Adjust) -> Self {
        self.adjust = adjust;
        self
    }

    /// 「n日前」: e.g. notices due 7 days before a meeting.
    pub fn days_before(n: u32) -> Self {
        Self::new(vec![DeadlineStep::Days { n: -clamp_i32(n) }])
    }

    /// 「n日以内」: the last day of an n-day window starting the day after the anchor.
    pub fn within_days(n: u32) -> Self {
        Self::new(vec![DeadlineStep::Days { n: clamp_i32(n) }])
    }

    /// 「n営業日後」.
    pub fn business_days_after(n: u32) -> Self {
        Self::new(vec![DeadlineStep::BusinessDays { n: clamp_i32(n) }])
    }

    /// The deadline for `anchor`: every step in order, then the business-day adjustment.
    pub fn apply(&self, anchor: NaiveDate, cal: &BusinessCalendar) -> NaiveDate {
        let d = self.steps.iter().fold(anchor, |d, step| step.apply(d, cal));
        match self.adjust {
            Adjust::None => d,
            Adjust::NextBusinessDay => cal.next_business_day_on_or_after(d),
            Adjust::PreviousBusinessDay => cal.previous_business_day_on_or_before(d),
        }
    }

    /// Parses the compact text form; see [`crate::deadline_text`] for the grammar.
    pub fn parse(s: &str) -> Result<DeadlineRule, CalendarError> {
        crate::deadline_text::parse(s)
    }

    /// Canonical text form; `DeadlineRule::parse(&r.to_text()) == Ok(r)`.
    pub fn to_text(&self) -> String {
        crate::deadline_text::to_text(self)
    }

    /// 日本語の説明: "7日前", "40日以内", "5営業日後", "翌月1日から6か月後", "3か月後の月末",
    /// with "（営業日でない場合は翌営業日）" etc. for the adjustment.
    pub fn describe_ja(&self) -> String {
        let mut out = String::new();
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                // "翌月1日から6か月後" but "3か月後の月末".
                out.push_str(if step.is_offset() { "から" } else { "の" });
            }
            out.push_str(&step.phrase_ja(i + 1 == self.steps.len()));
        }
        if out.is_empty() {
            out.push_str("当日");
        }
        match self.adjust {
            Adjust::None => {}
            Adjust::NextBusinessDay => out.push_str("（営業日でない場合は翌営業日）"),
            Adjust::PreviousBusinessDay => out.push_str("（営業日でない場合は前営業日）"),
        }
        out
    }
}

impl FromStr for DeadlineRule {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeadlineRule::parse(s)
    }
}

fn clamp_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wareki::ymd;

    const CAL: BusinessCalendar = BusinessCalendar { year_end_closure: true };

    #[test]
    fn examples() {
        assert_eq!(DeadlineRule::days_before(7).apply(ymd(2025, 6, 10), &CAL), ymd(2025, 6, 3));
        assert_eq!(DeadlineRule::within_days(40).apply(ymd(2025, 4, 1), &CAL), ymd(2025, 5, 11));
        let r = DeadlineRule::new(vec![DeadlineStep::FirstOfNextMonth, DeadlineStep::Months { n: 6 }]);
        assert_eq!(r.apply(ymd(2025, 4, 15), &CAL), ymd(2025, 11, 1));
        let r = DeadlineRule::new(vec![DeadlineStep::Months { n: -4 }]);
        assert_eq!(r.apply(ymd(2032, 3, 31), &CAL), ymd(2031, 11, 30));
    }

    #[test]
    fn descriptions() {
        assert_eq!(DeadlineRule::days_before(7).describe_ja(), "7日前");
        assert_eq!(DeadlineRule::within_days(40).describe_ja(), "40日以内");
        assert_eq!(DeadlineRule::business_days_after(5).describe_ja(), "5営業日後");
        let r = DeadlineRule::new(vec![DeadlineStep::FirstOfNextMonth, DeadlineStep::Months { n: 6 }]);
        assert_eq!(r.describe_ja(), "翌月1日から6か月後");
        let r = DeadlineRule::new(vec![DeadlineStep::Months { n: 3 }, DeadlineStep::EndOfMonth]);
        assert_eq!(r.describe_ja(), "3か月後の月末");
        let r = DeadlineRule::new(vec![DeadlineStep::Months { n: -4 }]).with_adjust(Adjust::PreviousBusinessDay);
        assert_eq!(r.describe_ja(), "4か月前（営業日でない場合は前営業日）");
        assert_eq!(DeadlineRule::default().describe_ja(), "当日");
    }

    #[test]
    fn serde_shape() {
        let r = DeadlineRule::days_before(7).with_adjust(Adjust::NextBusinessDay);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"steps":[{"op":"days","n":-7}],"adjust":"next_business_day"}"#);
        let back: DeadlineRule = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        let no_adjust: DeadlineRule = serde_json::from_str(r#"{"steps":[{"op":"first_of_next_month"}]}"#).unwrap();
        assert_eq!(no_adjust, DeadlineRule::new(vec![DeadlineStep::FirstOfNextMonth]));
    }

    #[test]
    fn saturating_days() {
        let r = DeadlineRule::new(vec![DeadlineStep::Days { n: i32::MAX }]);
        assert_eq!(r.apply(ymd(2025, 1, 1), &CAL), NaiveDate::MAX);
    }
}
