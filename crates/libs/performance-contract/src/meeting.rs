//! 月例会議 (the monthly meeting): its agenda generated from plain data.
//!
//! Seed 004, 4536–4556 (Q5-3 「月例会議によるモニタリング」), the 報告事項:
//! ① 業務実施状況の確認 — 要望に対する受付状況の確認;
//! ② 実行予算について — 現状までの予算執行状況の確認;
//! ③ 懸念事項について — 事業を進める上での疑問点等を共有;
//! ④ 改善項目について — 市・業者双方から本業務に関する改善点を協議.
//! 4595–4597 (Q5-4 ②): the 変更工程表 is approved at this meeting, so the month's 出来型 against plan
//! is listed under ① when given. 1426 (静岡県・下田市) holds the same kind of meeting quarterly with
//! three parties; the period label is the caller's, so a quarterly agenda is the same function.
//!
//! The figures are the caller's (the monthly report and the budget page compute them); this module
//! only arranges them, so the agenda cannot disagree with those pages.

use crate::error::{ContractRuleError, Field, Result};
use crate::level::{Assessment, Status};
use crate::limit::{LimitUse, use_line_ja};
use crate::output::OutputRow;
use crate::value::{YearMonth, signed_milli};
use serde::{Deserialize, Serialize};

/// ① 受付状況 of one owner for the month (from the monthly report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeStatus {
    pub owner: String,
    /// 受付 (jobs received in the month).
    pub received: u32,
    /// 完了 (jobs confirmed complete in the month).
    pub completed: u32,
    /// 対応中 at the end of the month.
    pub in_progress: u32,
    /// 期限超過 at the end of the month.
    pub overdue: u32,
}

/// Everything the agenda is drawn from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    /// 対象期間, e.g. the month; `None` = not given (refused).
    pub month: Option<YearMonth>,
    pub intake: Vec<IntakeStatus>,
    /// 出来型 rows of the month (from [`crate::output::month_rows`]).
    pub output: Vec<OutputRow>,
    /// 要求水準 assessments of the month.
    pub levels: Vec<Assessment>,
    /// ② 指示限度額 use at the end of the month (from [`crate::limit::usage`]).
    pub budget: Vec<LimitUse>,
    /// ③ 懸念事項, free text from either side.
    pub concerns: Vec<String>,
    /// ④ 改善項目, free text from either side (including improvement requests raised).
    pub improvements: Vec<String>,
}

/// 議題 (one agenda item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub title: String,
    pub lines: Vec<String>,
}

const NONE: &str = "（報告事項なし）";

/// 議事次第 (4544–4556). The four agenda items of Q5-3, in the seed's order. Empty sections say so rather than vanish,
/// because the seed's list is fixed and an absent section reads as forgotten.
pub fn agenda(input: &MeetingInput) -> Result<Vec<AgendaItem>> {
    let month = input.month.ok_or(ContractRuleError::Missing { field: Field::new("対象月", "month") })?;

    let mut intake = Vec::new();
    for s in &input.intake {
        if s.owner.trim().is_empty() {
            return Err(ContractRuleError::Missing { field: Field::new("発注者", "owner") });
        }
        intake.push(format!(
            "{}：受付{}件、完了{}件、対応中{}件、期限超過{}件",
            s.owner.trim(),
            s.received,
            s.completed,
            s.in_progress,
            s.overdue
        ));
    }
    if !input.intake.is_empty() {
        let sum = |f: fn(&IntakeStatus) -> u32| input.intake.iter().fold(0u64, |a, s| a + u64::from(f(s)));
        intake.push(format!(
            "合計：受付{}件、完了{}件、対応中{}件、期限超過{}件",
            sum(|s| s.received),
            sum(|s| s.completed),
            sum(|s| s.in_progress),
            sum(|s| s.overdue)
        ));
    }
    for r in input.output.iter().filter(|r| r.month == month) {
        let flag = if r.unplanned { "（計画外）" } else { "" };
        intake.push(format!(
            "出来型 {}・{}：計画{}、実績{}、差異{}{flag}",
            r.item_code,
            r.owner,
            r.planned,
            r.actual,
            signed_milli(r.variance_milli)
        ));
    }
    for a in &input.levels {
        let short = if a.checks_short_of_frequency { "（点検回数が頻度に満たない）" } else { "" };
        intake.push(format!("要求水準 {}・{}：{}{short}", a.level_id, a.owner, a.status.label_ja()));
    }
    if intake.is_empty() {
        intake.push(NONE.into());
    }

    let mut budget: Vec<String> = input.budget.iter().map(use_line_ja).collect();
    if budget.is_empty() {
        budget.push("（指示限度額の設定なし）".into());
    }

    let texts = |v: &[String]| {
        let lines: Vec<String> =
            v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(|s| format!("・{s}")).collect();
        if lines.is_empty() { vec![NONE.to_string()] } else { lines }
    };
    let mut improvements = texts(&input.improvements);
    // A level not met this month is an improvement to discuss whether or not anyone typed it in.
    let unmet: Vec<String> = input
        .levels
        .iter()
        .filter(|a| a.status == Status::NotMet)
        .map(|a| format!("・要求水準{}（{}）が未達：改善要求の要否", a.level_id, a.owner))
        .collect();
    if !unmet.is_empty() {
        improvements.retain(|l| l != NONE);
        improvements.extend(unmet);
    }

    Ok(vec![
        AgendaItem { title: format!("①業務実施状況の確認（{month}の受付状況）"), lines: intake },
        AgendaItem {
            title: "②実行予算について（現状までの予算執行状況）".into(), lines: budget
        },
        AgendaItem { title: "③懸念事項について".into(), lines: texts(&input.concerns) },
        AgendaItem { title: "④改善項目について".into(), lines: improvements },
    ])
}
