//! 工程表 (the annual construction schedule) drawn up by the MMR, as plain rows.
//!
//! Seed 004, 4592–4593 (Q5-4 ①): 「年間の施工計画書及び工程表（時期・箇所（路線等）・実施方法・計画出来型・
//! セルフモニタリング予定日等）を作成し、発注者からの承認を得る」. Each row here carries exactly those
//! columns; approval (and the 変更工程表 of ②) is the deliverables register's job, not this module's.
//!
//! From the rows come the planned 出来型 for [`crate::output::compare`] and the list of self-monitoring
//! dates that have passed without a record. The seed gives no tolerance for a セルフモニタリング予定日;
//! a record for the same level and owner anywhere in the same calendar month counts, because the
//! 工程表 and the 出来型 are both kept by month (4595).

use crate::error::{ContractRuleError, Field, Result};
use crate::level::{MonitoringRecord, Source};
use crate::output::OutputEntry;
use crate::value::{Quantity, YearMonth, required};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 工程表の1行.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleLine {
    pub item_code: String,
    pub owner: String,
    /// 時期.
    pub month: YearMonth,
    /// 箇所（路線等）.
    pub place: String,
    /// 実施方法.
    pub method: String,
    /// 計画出来型.
    pub planned: Quantity,
    /// The 要求水準 this work is monitored against, if any.
    pub level_id: Option<String>,
    /// セルフモニタリング予定日.
    pub self_monitoring_on: Option<NaiveDate>,
}

/// Checks each row by field: the columns of 4593 present, and a level named where a
/// セルフモニタリング予定日 is set.
pub fn validate(lines: &[ScheduleLine]) -> Result<()> {
    for line in lines {
        required(Field::new("業務項目", "contract item"), &line.item_code)?;
        required(Field::new("発注者", "owner"), &line.owner)?;
        required(Field::new("箇所（路線等）", "place (route)"), &line.place)?;
        required(Field::new("実施方法", "method"), &line.method)?;
        if line.self_monitoring_on.is_some() && line.level_id.as_deref().is_none_or(|l| l.trim().is_empty()) {
            // A self-monitoring date without a level cannot be checked against any record.
            return Err(ContractRuleError::Missing { field: Field::new("要求水準ID", "requirement level id") });
        }
    }
    Ok(())
}

/// The planned 出来型 rows of the schedule (several places of one item and month are added up by
/// [`crate::output::compare`]).
pub fn plan_entries(lines: &[ScheduleLine]) -> Result<Vec<OutputEntry>> {
    validate(lines)?;
    Ok(lines
        .iter()
        .map(|l| OutputEntry {
            item_code: l.item_code.trim().to_string(),
            owner: l.owner.trim().to_string(),
            month: l.month,
            quantity: l.planned,
        })
        .collect())
}

/// A セルフモニタリング予定日 that passed without a self-monitoring record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedSelfMonitoring {
    pub item_code: String,
    pub owner: String,
    pub place: String,
    pub level_id: String,
    pub due: NaiveDate,
}

/// Self-monitoring dates before `today` with no セルフモニタリング record for the same level and
/// owner in the same month. A date's month is only judged once it has passed, so nothing is
/// reported as missed while it can still be done.
pub fn missed_self_monitoring(
    lines: &[ScheduleLine],
    records: &[MonitoringRecord],
    today: NaiveDate,
) -> Result<Vec<MissedSelfMonitoring>> {
    validate(lines)?;
    let mut missed = Vec::new();
    for line in lines {
        let (Some(due), Some(level)) = (line.self_monitoring_on, line.level_id.as_deref()) else { continue };
        if due >= today {
            continue;
        }
        let month = YearMonth::of(due);
        let done = records.iter().any(|r| {
            r.source == Source::SelfMonitoring
                && r.level_id.trim() == level.trim()
                && r.owner.trim() == line.owner.trim()
                && month.contains(r.date)
        });
        if !done {
            missed.push(MissedSelfMonitoring {
                item_code: line.item_code.trim().to_string(),
                owner: line.owner.trim().to_string(),
                place: line.place.trim().to_string(),
                level_id: level.trim().to_string(),
                due,
            });
        }
    }
    missed.sort_by(|a, b| (a.due, &a.owner, &a.place).cmp(&(b.due, &b.owner, &b.place)));
    Ok(missed)
}
