//! 指示限度額 (instruction limits): per fiscal year, per contract term, per district; the per-job
//! cap and the response days of a contract.
//!
//! Seed 004, 1636–1642 (三重県四日市市): 「業務規模（指示限度額） 1年4か月 地区ごとに 4.21~4.74億円
//! （R6.3～R7.7）」, a 単価契約 (1648). So a limit belongs to an owner, optionally to one 地区, and to a
//! period that is either a 年度 or a contract term crossing fiscal years. A job counts against every
//! limit whose owner, district and period it falls in, and must fit under all of them.
//!
//! The seed's two figures for that term do not agree exactly: 「1年4か月」 is 16 months, while R6.3 to
//! R7.7 counted inclusively is 17 calendar months. A term is therefore stored by its first and last
//! day; [`LimitPeriod::months_from`] is only a convenience for 「○か月」 terms that start on a day.
//!
//! The per-job cap (1件あたりの上限) and the response days per urgency are settings **with no
//! source in the seed** (coverage audit, Wrong-9): the seed gives neither.

use crate::error::{ContractRuleError, Field, Result};
use crate::value::{required, yen};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use tabane_calendar::{BusinessCalendar, FiscalYear};

const JOB_AMOUNT: Field = Field::new("指示金額", "instructed amount");
const OWNER: Field = Field::new("発注者", "owner");

/// 対象期間 of a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LimitPeriod {
    /// 年度 (April–March).
    FiscalYear(FiscalYear),
    /// 契約期間 (first and last day inclusive), which may cross fiscal years.
    Term { first: NaiveDate, last: NaiveDate },
}

impl LimitPeriod {
    /// A term of `months` months starting on `first` (its last day is the day before the same day
    /// `months` later). Refuses 0 months.
    pub fn months_from(first: NaiveDate, months: u32) -> Result<Self> {
        let bad = || ContractRuleError::OutOfRange {
            field: Field::new("契約期間（月数）", "term (months)"),
            value: months.to_string(),
            min: "1".into(),
            max: "1200".into(),
        };
        if months == 0 || months > 1200 {
            return Err(bad());
        }
        let last = first.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt()).ok_or_else(bad)?;
        Ok(LimitPeriod::Term { first, last })
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            LimitPeriod::Term { first, last } if last < first => Err(ContractRuleError::DateBefore {
                field: Field::new("契約期間の終了日", "term end"),
                earlier: Field::new("契約期間の開始日", "term start"),
            }),
            LimitPeriod::FiscalYear(fy) if !(1..=9999).contains(&fy.0) => Err(ContractRuleError::OutOfRange {
                field: Field::new("年度", "fiscal year"),
                value: fy.0.to_string(),
                min: "1".into(),
                max: "9999".into(),
            }),
            _ => Ok(()),
        }
    }

    /// Whether `d` lies in the period. A fiscal year outside chrono's range contains nothing.
    pub fn contains(&self, d: NaiveDate) -> bool {
        match self {
            LimitPeriod::FiscalYear(fy) => fy.contains(d),
            LimitPeriod::Term { first, last } => *first <= d && d <= *last,
        }
    }

    /// 「2025年度」 or 「2024-03-01〜2025-07-31」.
    pub fn label_ja(&self) -> String {
        match self {
            LimitPeriod::FiscalYear(fy) => format!("{}年度", fy.0),
            LimitPeriod::Term { first, last } => format!("{first}〜{last}"),
        }
    }
}

/// 指示限度額 (one limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructionLimit {
    pub owner: String,
    /// 地区; `None` = the owner's whole area.
    pub district: Option<String>,
    pub period: LimitPeriod,
    pub amount: u64,
}

impl InstructionLimit {
    pub fn validate(&self) -> Result<()> {
        required(OWNER, &self.owner)?;
        if let Some(d) = &self.district {
            required(Field::new("地区", "district"), d)?;
        }
        self.period.validate()
    }

    /// 「静岡県・北部地区・2025年度」.
    pub fn scope_ja(&self) -> String {
        match &self.district {
            Some(d) => format!("{}・{}・{}", self.owner.trim(), d.trim(), self.period.label_ja()),
            None => format!("{}・{}", self.owner.trim(), self.period.label_ja()),
        }
    }

    /// Whether a job of this owner and district, instructed on `day`, counts against this limit.
    pub fn applies_to(&self, owner: &str, district: Option<&str>, day: NaiveDate) -> bool {
        let district_ok = match &self.district {
            None => true,
            Some(d) => district.is_some_and(|jd| jd.trim() == d.trim()),
        };
        self.owner.trim() == owner.trim() && district_ok && self.period.contains(day)
    }
}

/// An instructed job as the limits see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructedJob {
    pub id: String,
    pub owner: String,
    pub district: Option<String>,
    /// 指示日.
    pub instructed_on: NaiveDate,
    /// 指示金額 (or the confirmed cost once known, as the caller decides).
    pub amount: u64,
}

/// 執行状況 of one limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitUse {
    pub scope: String,
    pub limit: u64,
    pub used: u64,
    /// 残額 (0 when already over, e.g. after the limit was lowered by a 変更契約).
    pub remaining: u64,
}

/// 執行額と残額 (4550: 「現状までの予算執行状況の確認」 at the monthly meeting). How much of `limit`
/// the `jobs` use. Sums saturate rather than overflow.
pub fn usage(limit: &InstructionLimit, jobs: &[InstructedJob]) -> LimitUse {
    let used = jobs
        .iter()
        .filter(|j| limit.applies_to(&j.owner, j.district.as_deref(), j.instructed_on))
        .fold(0u64, |acc, j| acc.saturating_add(j.amount));
    LimitUse { scope: limit.scope_ja(), limit: limit.amount, used, remaining: limit.amount.saturating_sub(used) }
}

/// 1件あたりの上限 (the per-job cap). No source in the seed; `None` = no cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSettings {
    pub per_job_cap: Option<u64>,
}

/// 指示の可否 (1636–1642: 指示限度額 per 地区 and term; per 年度 as the owner budgets). Whether a new
/// job may be instructed: it must fit under the per-job cap and under every limit it
/// counts against. On success, each such limit's use *after* the job, so the screen can show the
/// remaining amount. With no applicable limit the list is empty: nothing restricts the job.
pub fn check_job(
    limits: &[InstructionLimit],
    jobs: &[InstructedJob],
    new_job: &InstructedJob,
    settings: JobSettings,
) -> Result<Vec<LimitUse>> {
    required(OWNER, &new_job.owner)?;
    if let Some(cap) = settings.per_job_cap
        && new_job.amount > cap
    {
        return Err(ContractRuleError::PerJobCapExceeded { field: JOB_AMOUNT, cap, requested: new_job.amount });
    }
    let mut after = Vec::new();
    for limit in limits {
        limit.validate()?;
        if !limit.applies_to(&new_job.owner, new_job.district.as_deref(), new_job.instructed_on) {
            continue;
        }
        // The job itself may already be among `jobs` (re-checking an edit): do not count it twice.
        let others: Vec<InstructedJob> = jobs.iter().filter(|j| j.id != new_job.id).cloned().collect();
        let u = usage(limit, &others);
        if new_job.amount > u.remaining {
            return Err(ContractRuleError::LimitExceeded {
                field: JOB_AMOUNT,
                scope: u.scope,
                limit: u.limit,
                used: u.used,
                remaining: u.remaining,
                requested: new_job.amount,
            });
        }
        let used = u.used + new_job.amount;
        after.push(LimitUse { scope: u.scope, limit: u.limit, used, remaining: u.limit - used });
    }
    Ok(after)
}

/// 緊急度 (urgency of a job).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Urgency {
    /// 緊急
    Emergency,
    /// 早期
    Early,
    /// 通常
    Normal,
}

/// 対応日数 per urgency, in 開庁日 (business days). A contract setting with no source in the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseDays {
    pub emergency: u32,
    pub early: u32,
    pub normal: u32,
}

impl ResponseDays {
    /// The infra module's current defaults (緊急 0, 早期 3, 通常 10 開庁日). **Not from the seed**:
    /// offered only so a new contract has something to edit; the screen must say so.
    pub const UNSOURCED_DEFAULT: ResponseDays = ResponseDays { emergency: 0, early: 3, normal: 10 };

    /// Refuses more than a year of business days, which can only be a typo.
    pub fn validate(&self) -> Result<()> {
        for (v, ja, en) in [
            (self.emergency, "対応日数（緊急）", "response days (emergency)"),
            (self.early, "対応日数（早期）", "response days (early)"),
            (self.normal, "対応日数（通常）", "response days (normal)"),
        ] {
            if v > 250 {
                return Err(ContractRuleError::OutOfRange {
                    field: Field::new(ja, en),
                    value: v.to_string(),
                    min: "0".into(),
                    max: "250".into(),
                });
            }
        }
        Ok(())
    }

    /// 対応期限: `days` 開庁日 after the instruction; 0 = the instruction day, or the next 開庁日 when
    /// the job is instructed on a holiday (`tabane-calendar`'s rule).
    pub fn due_date(
        &self,
        instructed_on: NaiveDate,
        urgency: Urgency,
        calendar: &BusinessCalendar,
    ) -> Result<NaiveDate> {
        self.validate()?;
        let days = match urgency {
            Urgency::Emergency => self.emergency,
            Urgency::Early => self.early,
            Urgency::Normal => self.normal,
        };
        // validate() bounds days at 250, so the conversion cannot fail.
        Ok(calendar.add_business_days(instructed_on, i32::try_from(days).unwrap_or(250)))
    }
}

/// 「残額 12,345,000円（限度額 …、指示済 …）」 for the budget page and the meeting.
pub fn use_line_ja(u: &LimitUse) -> String {
    let over = if u.used > u.limit { format!("（{}超過）", yen(u.used - u.limit)) } else { String::new() };
    format!("{}：限度額{}、指示済{}、残額{}{over}", u.scope, yen(u.limit), yen(u.used), yen(u.remaining))
}
