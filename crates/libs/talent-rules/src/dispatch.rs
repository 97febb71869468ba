//! 派遣計画（週間） (weekly dispatch scheduling; spec R11, line 221–229, 482–485).
//!
//! The seed's picture is a person working 「週２日勤務」 at Ａ市 and Ｂ町 (line 225). A weekly
//! assignment (weekdays, from, to) becomes visit dates that skip 祝日 and the 年末年始 closure
//! (12/29–1/3), both from `tabane-calendar` so that holidays are never typed here; two assignments
//! of the same person may not share a weekday while their periods overlap.

use crate::error::{Field, TalentRuleError, required};
use crate::text::{iso, month_day, weekday_ja};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use tabane_calendar::{BusinessCalendar, end_of_month, holiday_name};

/// 派遣 (a weekly assignment of one talent to one municipality).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeeklyAssignment {
    /// 派遣先 (the municipality's name, as shown in messages).
    pub municipality: String,
    /// 派遣曜日
    pub weekdays: Vec<Weekday>,
    /// 派遣期間 (both ends inclusive)
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl WeeklyAssignment {
    fn validate(&self) -> Result<(), TalentRuleError> {
        required(Field::new("派遣先", "municipality"), &self.municipality)?;
        if self.weekdays.is_empty() {
            return Err(TalentRuleError::Missing { field: Field::new("派遣曜日", "weekdays") });
        }
        if self.to < self.from {
            return Err(TalentRuleError::ReversedPeriod { field: Field::new("派遣期間", "assignment period") });
        }
        Ok(())
    }

    fn overlaps(&self, other: &WeeklyAssignment) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// 派遣しない日 (a scheduled weekday that is skipped, and why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    pub date: NaiveDate,
    /// 「敬老の日」 or 「年末年始（閉庁）」.
    pub reason_ja: String,
}

impl SkippedDay {
    /// 「9/15 敬老の日」, as the monthly report lists it.
    pub fn label_ja(&self) -> String {
        format!("{} {}", month_day(self.date), self.reason_ja)
    }
}

/// 派遣予定日 (the visit dates of an assignment within a window).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitPlan {
    pub municipality: String,
    pub dates: Vec<NaiveDate>,
    pub skipped: Vec<SkippedDay>,
}

/// Why a scheduled day is not a working day, if it is not: 祝日 (with its name) or 年末年始.
fn skip_reason(d: NaiveDate) -> Option<String> {
    if let Some(name) = holiday_name(d) {
        return Some(name.to_owned());
    }
    // Municipal offices close 12/29–1/3 by ordinance (spec R11, platform business calendar).
    BusinessCalendar::is_year_end_period(d).then(|| "年末年始（閉庁）".to_owned())
}

/// The visit dates of `a` between `window_from` and `window_to` (inclusive).
pub fn visit_dates(
    a: &WeeklyAssignment,
    window_from: NaiveDate,
    window_to: NaiveDate,
) -> Result<VisitPlan, TalentRuleError> {
    a.validate()?;
    let mut plan = VisitPlan { municipality: a.municipality.clone(), dates: Vec::new(), skipped: Vec::new() };
    let from = a.from.max(window_from);
    let to = a.to.min(window_to);
    if from > to {
        return Ok(plan);
    }
    for d in from.iter_days().take_while(|d| *d <= to) {
        if !a.weekdays.contains(&d.weekday()) {
            continue;
        }
        match skip_reason(d) {
            Some(reason_ja) => plan.skipped.push(SkippedDay { date: d, reason_ja }),
            None => plan.dates.push(d),
        }
    }
    Ok(plan)
}

/// 月別派遣予定 (the visit dates of `a` in one calendar month).
pub fn month_plan(a: &WeeklyAssignment, year: i32, month: u32) -> Result<VisitPlan, TalentRuleError> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        let field = Field::new("対象月", "month");
        return Err(TalentRuleError::OutOfRange { field, value: month.into(), min: 1, max: 12 });
    };
    visit_dates(a, first, end_of_month(first))
}

/// 派遣登録の確認結果 (what adding an assignment would mean).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentCheck {
    /// Warnings that do not refuse (e.g. 「土曜日は開庁日ではありません」).
    pub warnings: Vec<String>,
    /// 週の勤務日数: distinct weekdays over the new assignment and the existing ones it overlaps.
    pub days_per_week: usize,
}

/// Checks a new assignment of a person against the person's existing ones (R11): a shared weekday
/// in overlapping periods is refused (409) naming the existing assignment; a weekend day warns.
pub fn check_new_assignment(
    existing: &[WeeklyAssignment],
    new: &WeeklyAssignment,
) -> Result<AssignmentCheck, TalentRuleError> {
    new.validate()?;
    for other in existing.iter().filter(|o| o.overlaps(new)) {
        // In weekday order, so the message names the first clashing day of the week.
        let mut shared: Vec<Weekday> = new.weekdays.iter().copied().filter(|w| other.weekdays.contains(w)).collect();
        shared.sort_by_key(|w| w.num_days_from_monday());
        if let Some(w) = shared.first() {
            return Err(TalentRuleError::WeekdayClash {
                weekday: weekday_ja(*w),
                municipality: other.municipality.clone(),
                from: iso(other.from),
                to: iso(other.to),
            });
        }
    }
    let mut warnings = Vec::new();
    for w in [Weekday::Sat, Weekday::Sun] {
        if new.weekdays.contains(&w) {
            warnings.push(format!("{}曜日は開庁日ではありません", weekday_ja(w)));
        }
    }
    let mut days: Vec<Weekday> = new.weekdays.clone();
    for other in existing.iter().filter(|o| o.overlaps(new)) {
        days.extend(other.weekdays.iter().copied());
    }
    days.sort_by_key(|w| w.num_days_from_monday());
    days.dedup();
    Ok(AssignmentCheck { warnings, days_per_week: days.len() })
}

/// 月別派遣日数 (days per municipality in a month, for the 派遣計画表).
pub fn monthly_counts(
    assignments: &[WeeklyAssignment],
    year: i32,
    month: u32,
) -> Result<Vec<(String, usize)>, TalentRuleError> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for a in assignments {
        let n = month_plan(a, year, month)?.dates.len();
        match out.iter_mut().find(|(m, _)| *m == a.municipality) {
            Some((_, c)) => *c += n,
            None => out.push((a.municipality.clone(), n)),
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "dispatch_tests.rs"]
mod tests;
