//! 出来型 (output) per item, owner and month: planned from the annual 工程表 against actual.
//!
//! Seed 004, 4592–4597 (Q5-4, 福島県宮下土木事務所):
//! ① 「MMRは、年度当初に…年間の施工計画書及び工程表（時期・箇所（路線等）・実施方法・計画出来型・
//!   セルフモニタリング予定日等）を作成し、発注者からの承認を得る」 — the plan rows here.
//! ② 「MMRは、1か月毎に施工実績（出来型）をとりまとめ、工程表に反映させる」 — the actual rows, and this
//!   module's comparison. The 変更工程表 approved at the monthly meeting is a new plan: the caller
//!   passes whichever plan version is approved; versions and approval are not modelled here.
//!
//! Work done in a month or for an item the plan does not list is kept (planned 0, flagged
//! `unplanned`) rather than dropped, because unplanned output is exactly what the meeting should see.

use crate::error::{ContractRuleError, Field, Result};
use crate::value::{Quantity, YearMonth, required};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const ITEM: Field = Field::new("業務項目", "contract item");
const OWNER: Field = Field::new("発注者", "owner");

/// One row of the 工程表 (planned) or of the monthly 出来型 report (actual).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputEntry {
    pub item_code: String,
    pub owner: String,
    pub month: YearMonth,
    pub quantity: Quantity,
}

/// 計画・実績 for one item, owner and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputRow {
    pub item_code: String,
    pub owner: String,
    pub month: YearMonth,
    pub planned: Quantity,
    pub actual: Quantity,
    /// 差異 = actual − planned, in thousandths of the unit (negative = behind plan).
    pub variance_milli: i128,
    /// 累計計画 and 累計実績 for this item and owner up to and including this month.
    pub cumulative_planned: Quantity,
    pub cumulative_actual: Quantity,
    /// Actual output with no plan row for this item, owner and month.
    pub unplanned: bool,
}

/// 合計 for one item and owner over all months given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputTotal {
    pub item_code: String,
    pub owner: String,
    pub planned: Quantity,
    pub actual: Quantity,
    pub variance_milli: i128,
    /// 進捗率 actual ÷ planned in 0.1 % steps (rounded down); `None` when nothing was planned.
    pub progress_permille: Option<u64>,
}

/// The comparison: rows sorted by item, owner and month, then totals per item and owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputReport {
    pub rows: Vec<OutputRow>,
    pub totals: Vec<OutputTotal>,
}

type Key = (String, String, YearMonth);

fn add_into(map: &mut BTreeMap<Key, Quantity>, e: &OutputEntry) -> Result<()> {
    let item = required(ITEM, &e.item_code)?;
    let owner = required(OWNER, &e.owner)?;
    let slot = map.entry((item, owner, e.month)).or_default();
    *slot = slot.checked_add(e.quantity).ok_or_else(|| overflow(e.quantity))?;
    Ok(())
}

fn overflow(q: Quantity) -> ContractRuleError {
    ContractRuleError::OutOfRange {
        field: Field::new("出来型", "output quantity"),
        value: q.to_string(),
        min: "0".into(),
        max: Quantity(u64::MAX).to_string(),
    }
}

/// 計画出来型 vs 出来型 (4592–4595 ①②). Planned against actual per item, owner and month, with cumulative figures and totals. Several
/// rows for the same item, owner and month (several jobs, several plan lines) are added up.
pub fn compare(plan: &[OutputEntry], actual: &[OutputEntry]) -> Result<OutputReport> {
    let mut planned = BTreeMap::new();
    for e in plan {
        add_into(&mut planned, e)?;
    }
    let mut done = BTreeMap::new();
    for e in actual {
        add_into(&mut done, e)?;
    }
    let keys: std::collections::BTreeSet<&Key> = planned.keys().chain(done.keys()).collect();
    let mut rows = Vec::new();
    let mut totals: Vec<OutputTotal> = Vec::new();
    let mut cum = (Quantity::ZERO, Quantity::ZERO);
    for key in keys {
        let p = planned.get(key).copied();
        let a = done.get(key).copied().unwrap_or_default();
        let same_series = totals.last().is_some_and(|t| t.item_code == key.0 && t.owner == key.1);
        if !same_series {
            cum = (Quantity::ZERO, Quantity::ZERO);
            totals.push(OutputTotal {
                item_code: key.0.clone(),
                owner: key.1.clone(),
                planned: Quantity::ZERO,
                actual: Quantity::ZERO,
                variance_milli: 0,
                progress_permille: None,
            });
        }
        let pq = p.unwrap_or_default();
        cum = (cum.0.checked_add(pq).ok_or_else(|| overflow(pq))?, cum.1.checked_add(a).ok_or_else(|| overflow(a))?);
        rows.push(OutputRow {
            item_code: key.0.clone(),
            owner: key.1.clone(),
            month: key.2,
            planned: pq,
            actual: a,
            variance_milli: a.diff(pq),
            cumulative_planned: cum.0,
            cumulative_actual: cum.1,
            unplanned: p.is_none(),
        });
        if let Some(t) = totals.last_mut() {
            t.planned = cum.0;
            t.actual = cum.1;
        }
    }
    for t in &mut totals {
        t.variance_milli = t.actual.diff(t.planned);
        t.progress_permille = (t.planned > Quantity::ZERO)
            .then(|| u64::try_from(u128::from(t.actual.0) * 1000 / u128::from(t.planned.0)).unwrap_or(u64::MAX));
    }
    Ok(OutputReport { rows, totals })
}

/// The rows of one month (for the monthly report and the meeting).
pub fn month_rows(report: &OutputReport, month: YearMonth) -> Vec<&OutputRow> {
    report.rows.iter().filter(|r| r.month == month).collect()
}
