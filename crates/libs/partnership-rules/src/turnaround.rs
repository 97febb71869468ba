//! 回答所要日数と回答目標日 (turnaround of proposals, 受付 → 回答), spec R2, seed lines 202, 273,
//! 285, 288, and the 提案処理状況一覧 with its overdue list (§5, acceptance check 1).
//!
//! The seed gives only references (平均検討期間 3.7カ月 → 1.8カ月 with a window, line 288; 「42%短縮」,
//! line 273 — they disagree, spec §9.6), so the target is a setting 「回答目標日数」. The spec counts
//! it in calendar days (55日 from 2025-05-01 is 2025-06-25); a municipality may instead count
//! 開庁日 (business days without 土日・祝日・年末年始, from `tabane-calendar`). Both counts are
//! always shown, so a change of setting never hides how long a proposer has waited.

use crate::error::{Field, PartnershipRuleError};
use crate::quantity::{Decimal, Ratio};
use chrono::NaiveDate;
use serde::Serialize;
use tabane_calendar::BusinessCalendar;

/// 日数の数え方 (how the target is counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum DayCount {
    /// 暦日 (the spec's reading: `answered_on − received_on`).
    #[default]
    Calendar,
    /// 開庁日 (営業日: not 土日, 祝日 or 12/29–1/3).
    Business,
}

/// 回答目標の設定 (the answer target of a municipality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TurnaroundSetting {
    /// 回答目標日数
    pub target_days: u32,
    pub count: DayCount,
    pub calendar: BusinessCalendar,
}

impl Default for TurnaroundSetting {
    /// 55暦日 ≈ 1.8カ月 (spec R2's example of the seed's line 288).
    fn default() -> Self {
        Self { target_days: 55, count: DayCount::Calendar, calendar: BusinessCalendar::default() }
    }
}

const TARGET_DAYS: Field = Field::new("回答目標日数", "answer target (days)");
const RECEIVED: Field = Field::new("受付日", "received on");
const ANSWERED: Field = Field::new("回答日", "answered on");
const AS_OF: Field = Field::new("基準日", "as of");

/// The longest target accepted: ten years would already be no target at all.
const MAX_TARGET_DAYS: i64 = 3650;

impl TurnaroundSetting {
    /// Reads 「回答目標日数」 as typed: a whole number of days from 1 to 3650.
    pub fn parse_target_days(typed: &str) -> Result<u32, PartnershipRuleError> {
        let d = Decimal::parse(TARGET_DAYS, typed)?;
        let r = d.as_ratio();
        let out_of_range = || PartnershipRuleError::OutOfRange {
            field: TARGET_DAYS,
            value: d.display(),
            min: "1".into(),
            max: MAX_TARGET_DAYS.to_string(),
        };
        if r.den() != 1 || r.num() < 1 || r.num() > i128::from(MAX_TARGET_DAYS) {
            return Err(out_of_range());
        }
        u32::try_from(r.num()).map_err(|_| out_of_range())
    }

    /// 回答目標日: 2025-05-01 + 55暦日 = 2025-06-25 (R2, acceptance check 1).
    pub fn due_on(&self, received_on: NaiveDate) -> NaiveDate {
        let n = self.target_days.min(MAX_TARGET_DAYS as u32);
        match self.count {
            DayCount::Calendar => {
                received_on.checked_add_days(chrono::Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX)
            }
            // add_business_days with n ≥ 1 never returns the receiving day itself.
            DayCount::Business => self.calendar.add_business_days(received_on, n as i32),
        }
    }

    /// Days from `from` to `to` in this setting's count (negative if `to` is earlier).
    fn between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        match self.count {
            DayCount::Calendar => (to - from).num_days(),
            DayCount::Business => self.calendar.business_days_between(from, to),
        }
    }

    /// 「1日超過」「2開庁日超過」. Past a Friday target on the Saturday no 開庁日 has passed yet,
    /// but the target has: then the calendar days are shown rather than 「0開庁日超過」.
    fn overdue_ja(&self, due_on: NaiveDate, on: NaiveDate) -> (i64, String) {
        let over = self.between(due_on, on);
        match self.count {
            DayCount::Business if over > 0 => (over, format!("回答目標日を{over}開庁日超過")),
            DayCount::Business => (over, format!("回答目標日を{}日超過", (on - due_on).num_days())),
            DayCount::Calendar => (over, format!("回答目標日を{over}日超過")),
        }
    }

    fn unit_ja(&self) -> &'static str {
        match self.count {
            DayCount::Calendar => "日",
            DayCount::Business => "開庁日",
        }
    }
}

/// 回答状況 (where a reception stands against its target).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TurnaroundState {
    /// 未回答・目標日前
    Open { days_left: i64 },
    /// 未回答・本日が目標日
    DueToday,
    /// 未回答・目標日超過
    Overdue { days_over: i64 },
    /// 目標日までに回答
    AnsweredInTime,
    /// 目標日を過ぎて回答
    AnsweredLate { days_over: i64 },
}

/// 回答所要日数 (turnaround of one reception).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turnaround {
    pub received_on: NaiveDate,
    /// 回答目標日
    pub due_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    /// 経過日数 (暦日): to the answer, or to `as_of` while open (R2: `today − received_on`).
    pub calendar_days: i64,
    /// 経過開庁日数
    pub business_days: i64,
    pub state: TurnaroundState,
    /// 「回答目標日を1日超過」「50日（1.6カ月）」…
    pub label_ja: String,
}

/// 回答所要日数: from 受付日 to 回答日 (or to `as_of` while unanswered).
pub fn turnaround(
    received_on: NaiveDate,
    answered_on: Option<NaiveDate>,
    as_of: NaiveDate,
    setting: &TurnaroundSetting,
) -> Result<Turnaround, PartnershipRuleError> {
    if answered_on.is_some_and(|a| a < received_on) {
        return Err(PartnershipRuleError::DateBefore { field: ANSWERED, earlier: RECEIVED });
    }
    if answered_on.is_none() && as_of < received_on {
        return Err(PartnershipRuleError::DateBefore { field: AS_OF, earlier: RECEIVED });
    }
    let due_on = setting.due_on(received_on);
    let end = answered_on.unwrap_or(as_of);
    let calendar_days = (end - received_on).num_days();
    let business_days = setting.calendar.business_days_between(received_on, end);
    let unit = setting.unit_ja();
    let (state, label_ja) = match answered_on {
        Some(a) => {
            let months = Ratio::new(i128::from(calendar_days) * 16, 487).map(Ratio::display_1dp).unwrap_or_default();
            let spent = match setting.count {
                DayCount::Calendar => format!("{calendar_days}日（{months}カ月）"),
                DayCount::Business => format!("{business_days}開庁日（{calendar_days}日・{months}カ月）"),
            };
            if a <= due_on {
                (TurnaroundState::AnsweredInTime, spent)
            } else {
                let (over, late) = setting.overdue_ja(due_on, a);
                (TurnaroundState::AnsweredLate { days_over: over }, format!("{spent}・{late}"))
            }
        }
        None if as_of > due_on => {
            let (over, label) = setting.overdue_ja(due_on, as_of);
            (TurnaroundState::Overdue { days_over: over }, label)
        }
        None if as_of == due_on => (TurnaroundState::DueToday, "本日が回答目標日".to_owned()),
        None => {
            let left = setting.between(as_of, due_on);
            (TurnaroundState::Open { days_left: left }, format!("回答目標日まであと{left}{unit}"))
        }
    };
    Ok(Turnaround { received_on, due_on, answered_on, calendar_days, business_days, state, label_ja })
}

/// 提案処理状況一覧の1行 (a reception as the overdue list reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReception {
    pub reception_no: String,
    pub received_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    /// 取下げ: no answer is owed.
    pub withdrawn: bool,
}

/// 回答目標日超過の一覧 (`?overdue=1`, acceptance check 1): unanswered, not withdrawn, past the
/// target on `as_of`. Most overdue first, then by 受付日 and 受付番号, so the list is stable.
/// A reception dated after `as_of` (a typing error) is not overdue and is left out, not refused,
/// because one bad row must not hide the others.
pub fn overdue_list(
    receptions: &[OpenReception],
    as_of: NaiveDate,
    setting: &TurnaroundSetting,
) -> Vec<(String, Turnaround)> {
    let mut out: Vec<(String, Turnaround)> = receptions
        .iter()
        .filter(|r| r.answered_on.is_none() && !r.withdrawn)
        .filter_map(|r| turnaround(r.received_on, None, as_of, setting).ok().map(|t| (r.reception_no.clone(), t)))
        .filter(|(_, t)| matches!(t.state, TurnaroundState::Overdue { .. }))
        .collect();
    let over = |t: &Turnaround| match t.state {
        TurnaroundState::Overdue { days_over } => days_over,
        _ => 0,
    };
    out.sort_by(|(na, a), (nb, b)| {
        over(b).cmp(&over(a)).then(a.received_on.cmp(&b.received_on)).then_with(|| na.cmp(nb))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// R2 and acceptance check 1.
    #[test]
    fn r2_examples() {
        let s = TurnaroundSetting::default();
        assert_eq!(s.due_on(ymd(2025, 5, 1)), ymd(2025, 6, 25));
        let t = turnaround(ymd(2025, 5, 1), None, ymd(2025, 6, 26), &s).unwrap();
        assert_eq!(t.state, TurnaroundState::Overdue { days_over: 1 });
        assert_eq!(t.label_ja, "回答目標日を1日超過");
        assert_eq!(t.calendar_days, 56);
        let t = turnaround(ymd(2025, 5, 1), Some(ymd(2025, 6, 20)), ymd(2025, 7, 1), &s).unwrap();
        assert_eq!((t.calendar_days, t.label_ja.as_str()), (50, "50日（1.6カ月）"));
        assert_eq!(t.state, TurnaroundState::AnsweredInTime);
        let t = turnaround(ymd(2025, 5, 1), None, ymd(2025, 6, 25), &s).unwrap();
        assert_eq!(t.label_ja, "本日が回答目標日");
        let t = turnaround(ymd(2025, 5, 1), None, ymd(2025, 6, 20), &s).unwrap();
        assert_eq!(t.label_ja, "回答目標日まであと5日");
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for count in [DayCount::Calendar, DayCount::Business] {
            let s = TurnaroundSetting { count, ..Default::default() };
            assert_eq!(s.due_on(NaiveDate::MAX), NaiveDate::MAX);
            assert!(turnaround(NaiveDate::MAX, None, NaiveDate::MAX, &s).is_ok());
        }
    }

    /// 開庁日 count: 2025-05-01 (木) + 5 開庁日 skips the 5/3–5/6 holidays and the weekends.
    #[test]
    fn business_days_skip_golden_week() {
        let s = TurnaroundSetting { target_days: 5, count: DayCount::Business, ..Default::default() };
        assert_eq!(s.due_on(ymd(2025, 5, 1)), ymd(2025, 5, 12));
        let t = turnaround(ymd(2025, 5, 1), None, ymd(2025, 5, 13), &s).unwrap();
        assert_eq!(t.label_ja, "回答目標日を1開庁日超過");
        assert_eq!((t.calendar_days, t.business_days), (12, 6));
        let t = turnaround(ymd(2025, 5, 1), Some(ymd(2025, 5, 9)), ymd(2025, 6, 1), &s).unwrap();
        assert_eq!((t.state, t.label_ja.as_str()), (TurnaroundState::AnsweredInTime, "4開庁日（8日・0.3カ月）"));
        // Across 年末年始: received 2025-12-26 (金), 2 開庁日 → 2026-01-05 (月), 1/6 (火).
        let s = TurnaroundSetting { target_days: 2, ..s };
        assert_eq!(s.due_on(ymd(2025, 12, 26)), ymd(2026, 1, 6));
    }

    #[test]
    fn overdue_list_acceptance_1() {
        let s = TurnaroundSetting::default();
        let rec = |no: &str, received: NaiveDate, answered: Option<NaiveDate>, withdrawn: bool| OpenReception {
            reception_no: no.into(),
            received_on: received,
            answered_on: answered,
            withdrawn,
        };
        let rs = [
            rec("2025-0002", ymd(2025, 5, 1), None, false),
            rec("2025-0001", ymd(2025, 4, 20), None, false),
            rec("2025-0003", ymd(2025, 4, 1), Some(ymd(2025, 6, 1)), false),
            rec("2025-0004", ymd(2025, 4, 1), None, true),
            rec("2025-0005", ymd(2025, 6, 1), None, false),
            rec("2025-0006", ymd(2025, 7, 1), None, false),
        ];
        let list = overdue_list(&rs, ymd(2025, 6, 26), &s);
        let got: Vec<_> = list.iter().map(|(n, t)| (n.as_str(), t.label_ja.as_str())).collect();
        assert_eq!(got, [("2025-0001", "回答目標日を12日超過"), ("2025-0002", "回答目標日を1日超過")]);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let s = TurnaroundSetting::default();
        let e = turnaround(ymd(2025, 5, 1), Some(ymd(2025, 4, 30)), ymd(2025, 5, 1), &s).unwrap_err();
        assert_eq!(e.to_string(), "「回答日」が「受付日」より前の日付です");
        assert_eq!(e.message_en(), "\"answered on\" is before \"received on\"");
        assert_eq!(TurnaroundSetting::parse_target_days("５５").unwrap(), 55);
        assert!(TurnaroundSetting::parse_target_days("0").is_err());
        assert!(TurnaroundSetting::parse_target_days("2.5").is_err());
        assert_eq!(
            TurnaroundSetting::parse_target_days("abc").unwrap_err().to_string(),
            "回答目標日数：数値を入力してください"
        );
    }

    proptest! {
        #[test]
        fn due_is_after_receipt_and_overdue_only_after_due(
            start in 0i64..20_000, n in 1u32..400, later in 0i64..800, business in any::<bool>()
        ) {
            let received = ymd(1990, 1, 1) + chrono::Days::new(start as u64);
            let s = TurnaroundSetting {
                target_days: n,
                count: if business { DayCount::Business } else { DayCount::Calendar },
                ..Default::default()
            };
            let due = s.due_on(received);
            prop_assert!(due > received);
            let as_of = received + chrono::Days::new(later as u64);
            let t = turnaround(received, None, as_of, &s).unwrap();
            let overdue = matches!(t.state, TurnaroundState::Overdue { .. });
            prop_assert_eq!(overdue, as_of > due);
            if let TurnaroundState::Overdue { days_over } = t.state {
                let min = if business { 0 } else { 1 };
                prop_assert!(days_over >= min);
                prop_assert!(t.label_ja.starts_with("回答目標日を") && !t.label_ja.contains("を0"));
            }
        }
    }
}
