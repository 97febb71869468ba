//! 支払い (payment basis per contract item): 総価 vs 単価, and 総価 payment following the levels reached.
//!
//! Seed 004:
//! * 2405–2409: 【単価契約】 単価を契約で定め、施工数量に基づいて計算; 【総価契約】 総額をもって請負金額.
//! * 2411–2418: the amount paid for — 総価: 「各業務の要求水準で示した回数、数量等… 要求水準を満たして
//!   いれば、実施した作業数量にかかわらない」; 単価: 「指示に基づき実施した作業数量」.
//! * 3252 and 4536: 性能規定 pays on whether the 管理水準 is reached, 「実施した数量で精算はされない」.
//! * 4355–4362 (Q4-5): 単価 = 精算払い (work instructed by the owner), 総価 = 定額払い.
//!
//! So a 単価 item is charged job by job at quantity × unit price from the contract's unit-price
//! schedule, and a 総価 item never is: its fixed installment is paid per period, less a deduction
//! for levels not reached. **The seed prints no deduction rule** (nor does seed 002's 別添資料5,
//! which is not reproduced in the text). The rule is therefore a [`DeductionRule`] setting whose
//! default is [`DeductionRule::None`]; the other shapes are offered, not claimed from any source.

use crate::error::{ContractRuleError, Field, Result};
use crate::level::{Assessment, Status};
use crate::value::{Quantity, required, yen};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const ITEM: Field = Field::new("業務項目", "contract item");
const UNIT_PRICE_CODE: Field = Field::new("単価表の項目", "unit-price schedule entry");
const PERCENT: Field = Field::new("減額率", "deduction rate");
const AMOUNT: Field = Field::new("金額", "amount");

/// 単価表の1行 (one entry of the contract's unit-price schedule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPriceEntry {
    pub code: String,
    pub name: String,
    /// 単位 (m², 箇所, t …).
    pub unit: String,
    /// 単価 in yen per unit.
    pub price: u64,
}

/// 単価表 (the unit-price schedule of a contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPriceSchedule {
    pub entries: Vec<UnitPriceEntry>,
}

impl UnitPriceSchedule {
    /// Checks the schedule: codes, names and units present, each code once.
    pub fn validate(&self) -> Result<()> {
        let mut seen = BTreeSet::new();
        for e in &self.entries {
            let code = required(UNIT_PRICE_CODE, &e.code)?;
            required(Field::new("単価表の名称", "unit-price entry name"), &e.name)?;
            required(Field::new("単位", "unit"), &e.unit)?;
            if !seen.insert(code.clone()) {
                return Err(ContractRuleError::Duplicate { field: UNIT_PRICE_CODE, value: code });
            }
        }
        Ok(())
    }

    pub fn get(&self, code: &str) -> Result<&UnitPriceEntry> {
        self.entries
            .iter()
            .find(|e| e.code.trim() == code.trim())
            .ok_or_else(|| ContractRuleError::Unknown { field: UNIT_PRICE_CODE, value: code.to_string() })
    }
}

/// 発注者ごとの金額 (an amount for one owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerAmount {
    pub owner: String,
    pub amount: u64,
}

/// 支払い方式 (payment basis of an item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    /// 総価 (定額払い): a fixed installment per owner per payment period, following the levels.
    LumpSum { installments: Vec<OwnerAmount> },
    /// 単価 (精算払い): quantity instructed × the schedule's unit price.
    UnitPrice { schedule_code: String },
}

/// 業務項目 (one item of the contract, e.g. 除草, 舗装補修).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractItem {
    pub code: String,
    pub name: String,
    pub basis: Basis,
    /// The 要求水準 this item's 総価 payment follows (ignored for 単価 items).
    pub level_ids: Vec<String>,
}

/// Checks the items against the schedule: codes once, unit-price codes known. Use
/// [`validate_item_levels`] as well when the contract's levels are at hand.
pub fn validate_items(items: &[ContractItem], schedule: &UnitPriceSchedule) -> Result<()> {
    schedule.validate()?;
    let mut seen = BTreeSet::new();
    for item in items {
        let code = required(ITEM, &item.code)?;
        required(Field::new("業務項目名", "item name"), &item.name)?;
        if !seen.insert(code.clone()) {
            return Err(ContractRuleError::Duplicate { field: ITEM, value: code });
        }
        match &item.basis {
            Basis::UnitPrice { schedule_code } => {
                schedule.get(schedule_code)?;
            }
            Basis::LumpSum { installments } => {
                let mut owners = BTreeSet::new();
                for i in installments {
                    let owner = required(Field::new("発注者", "owner"), &i.owner)?;
                    if !owners.insert(owner.clone()) {
                        return Err(ContractRuleError::Duplicate {
                            field: Field::new("発注者", "owner"),
                            value: owner,
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks that every level an item's 総価 payment follows is one of the contract's levels, so a
/// typo in a level id cannot make a level silently 未確認 on every statement.
pub fn validate_item_levels(items: &[ContractItem], levels: &[crate::level::RequirementLevel]) -> Result<()> {
    for item in items {
        for id in &item.level_ids {
            if !levels.iter().any(|l| l.id.trim() == id.trim()) {
                return Err(ContractRuleError::Unknown {
                    field: Field::new("要求水準ID", "requirement level id"),
                    value: id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// 1件の請求額 (the charge for one instructed job on a 単価 item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCharge {
    pub amount: u64,
    /// 「除草（人力） 120.5m² × 単価350円 = 42,175円（円未満切り捨て）」
    pub reason: String,
}

/// 単価契約の請求 (2405–2406, 2418: 「指示に基づき実施した作業数量」 × 単価). The charge for one job:
/// quantity × unit price for a 単価 item; a 総価 item is refused, because
/// 総価 work is paid by the levels reached and must not also be charged job by job (2415–2418).
pub fn charge_job(item: &ContractItem, schedule: &UnitPriceSchedule, quantity: Quantity) -> Result<JobCharge> {
    match &item.basis {
        Basis::LumpSum { .. } => Err(ContractRuleError::LumpSumNotChargeable { field: ITEM, item: item.name.clone() }),
        Basis::UnitPrice { schedule_code } => {
            let entry = schedule.get(schedule_code)?;
            let amount = quantity.times_unit_price(entry.price).ok_or_else(|| ContractRuleError::OutOfRange {
                field: Field::new("数量", "quantity"),
                value: quantity.to_string(),
                min: "0".into(),
                max: u64::MAX.to_string(),
            })?;
            let reason = format!(
                "単価契約：{} {}{} × 単価{} = {}（円未満切り捨て）",
                entry.name,
                quantity,
                entry.unit,
                yen(entry.price),
                yen(amount)
            );
            Ok(JobCharge { amount, reason })
        }
    }
}

/// 減額の規定 (the deduction rule for 総価 items with levels not reached). A setting: the seed
/// prints none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeductionRule {
    /// 減額しない: the default, because no source gives a rule. Unmet levels are still listed.
    #[default]
    None,
    /// 未達1件につき定率: `basis_points` (1/100 %) of the installment per unmet level, capped at the
    /// installment.
    FixedPerUnmetLevel { basis_points: u32 },
    /// 未達割合に比例: installment × unmet levels ÷ levels linked to the item.
    Proportional,
}

/// Whether a level with no record in the period (未確認) counts as not reached. A setting: the seed
/// only says payment follows the level reached (3252), not what to do without evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unchecked {
    /// 未確認は減額の対象としない (default): listed in the reason, not deducted.
    #[default]
    NotDeducted,
    /// 未確認も未達として扱う.
    CountsAsUnmet,
}

/// 支払いの設定.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSettings {
    pub deduction: DeductionRule,
    pub unchecked: Unchecked,
}

impl PaymentSettings {
    pub fn validate(&self) -> Result<()> {
        if let DeductionRule::FixedPerUnmetLevel { basis_points } = self.deduction
            && basis_points > 10_000
        {
            return Err(ContractRuleError::OutOfRange {
                field: PERCENT,
                value: format!("{}%", f64::from(basis_points) / 100.0),
                min: "0%".into(),
                max: "100%".into(),
            });
        }
        Ok(())
    }
}

/// 数量実績 of a 単価 item for one owner in the period (the sum of its instructed jobs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitQuantity {
    pub item_code: String,
    pub owner: String,
    pub quantity: Quantity,
}

/// 支払明細の1行.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub item_code: String,
    pub item_name: String,
    pub owner: String,
    /// 「総価」 or 「単価」.
    pub basis_ja: String,
    pub gross: u64,
    pub deduction: u64,
    pub net: u64,
    /// Why this amount, in Japanese.
    pub reason: String,
}

/// 支払明細 (one owner's payment statement for a period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub owner: String,
    pub lines: Vec<PaymentLine>,
    pub total_gross: u64,
    pub total_deduction: u64,
    pub total_net: u64,
}

/// 支払明細 (2413–2418 and 3252: 総価 is paid when the levels are met, whatever the quantity; 単価
/// on the quantity instructed). The `assessments` must be those of the same period; this function
/// does not know the period. The payment statement of `owner` for a period: each 総価 item's installment less the deduction
/// the setting gives for its levels' assessments, and each 単価 item's quantity × unit price.
/// An item without an installment or quantity for this owner has no line.
pub fn statement(
    owner: &str,
    items: &[ContractItem],
    schedule: &UnitPriceSchedule,
    assessments: &[Assessment],
    quantities: &[UnitQuantity],
    settings: PaymentSettings,
) -> Result<Statement> {
    validate_items(items, schedule)?;
    settings.validate()?;
    let owner = required(Field::new("発注者", "owner"), owner)?;
    for q in quantities {
        let item = items
            .iter()
            .find(|i| i.code.trim() == q.item_code.trim())
            .ok_or_else(|| ContractRuleError::Unknown { field: ITEM, value: q.item_code.clone() })?;
        if matches!(item.basis, Basis::LumpSum { .. }) && q.quantity > Quantity::ZERO {
            return Err(ContractRuleError::LumpSumNotChargeable { field: ITEM, item: item.name.clone() });
        }
    }
    let mut lines = Vec::new();
    for item in items {
        let line = match &item.basis {
            Basis::LumpSum { installments } => {
                let Some(inst) = installments.iter().find(|i| i.owner.trim() == owner) else { continue };
                lump_sum_line(item, &owner, inst.amount, assessments, settings)
            }
            Basis::UnitPrice { .. } => {
                let mut total = Quantity::ZERO;
                let mut any = false;
                for q in quantities.iter().filter(|q| q.item_code.trim() == item.code.trim() && q.owner.trim() == owner)
                {
                    any = true;
                    total = total.checked_add(q.quantity).ok_or_else(|| ContractRuleError::OutOfRange {
                        field: Field::new("数量", "quantity"),
                        value: q.quantity.to_string(),
                        min: "0".into(),
                        max: u64::MAX.to_string(),
                    })?;
                }
                if !any {
                    continue;
                }
                let charge = charge_job(item, schedule, total)?;
                PaymentLine {
                    item_code: item.code.clone(),
                    item_name: item.name.clone(),
                    owner: owner.clone(),
                    basis_ja: "単価".into(),
                    gross: charge.amount,
                    deduction: 0,
                    net: charge.amount,
                    reason: format!("{}。単価契約は指示に基づき実施した数量で精算します", charge.reason),
                }
            }
        };
        lines.push(line);
    }
    let sum = |f: fn(&PaymentLine) -> u64| -> Result<u64> {
        lines.iter().try_fold(0u64, |acc, l| {
            acc.checked_add(f(l)).ok_or_else(|| ContractRuleError::OutOfRange {
                field: AMOUNT,
                value: "合計".into(),
                min: "0".into(),
                max: u64::MAX.to_string(),
            })
        })
    };
    let (total_gross, total_deduction, total_net) = (sum(|l| l.gross)?, sum(|l| l.deduction)?, sum(|l| l.net)?);
    Ok(Statement { owner, lines, total_gross, total_deduction, total_net })
}

fn lump_sum_line(
    item: &ContractItem,
    owner: &str,
    gross: u64,
    assessments: &[Assessment],
    settings: PaymentSettings,
) -> PaymentLine {
    let status_of = |level_id: &str| {
        assessments
            .iter()
            .find(|a| a.level_id.trim() == level_id.trim() && a.owner.trim() == owner)
            .map_or(Status::NotChecked, |a| a.status)
    };
    let levels: Vec<(&str, Status)> = item.level_ids.iter().map(|id| (id.as_str(), status_of(id))).collect();
    let names = |s: Status| levels.iter().filter(|(_, st)| *st == s).map(|(id, _)| *id).collect::<Vec<_>>();
    let (met, unmet, unchecked) = (names(Status::Met), names(Status::NotMet), names(Status::NotChecked));
    let deducted_count = unmet.len()
        + match settings.unchecked {
            Unchecked::NotDeducted => 0,
            Unchecked::CountsAsUnmet => unchecked.len(),
        };
    let deduction = match settings.deduction {
        DeductionRule::None => 0,
        DeductionRule::FixedPerUnmetLevel { basis_points } => {
            let d = u128::from(gross) * u128::from(basis_points) * deducted_count as u128 / 10_000;
            u64::try_from(d).unwrap_or(u64::MAX).min(gross)
        }
        DeductionRule::Proportional if levels.is_empty() => 0,
        DeductionRule::Proportional => {
            u64::try_from(u128::from(gross) * deducted_count as u128 / levels.len() as u128).unwrap_or(gross)
        }
    };
    let mut reason =
        vec![format!("総価契約：定額{}（要求水準を満たしていれば実施数量にかかわらず支払い）", yen(gross))];
    if levels.is_empty() {
        reason.push("要求水準が紐づいていないため減額の対象外".into());
    } else {
        let list = |v: &[&str]| if v.is_empty() { "なし".to_string() } else { v.join("、") };
        reason.push(format!("達成：{}／未達：{}／未確認：{}", list(&met), list(&unmet), list(&unchecked)));
        let rule = match settings.deduction {
            DeductionRule::None => "減額規定なし（設定。手引きに減額の定めはありません）".to_string(),
            DeductionRule::FixedPerUnmetLevel { basis_points } => {
                format!("未達1件につき{}%減額（設定）", f64::from(basis_points) / 100.0)
            }
            DeductionRule::Proportional => {
                format!("未達の割合に比例して減額（設定）：{deducted_count}／{}", levels.len())
            }
        };
        reason.push(rule);
        if !unchecked.is_empty() {
            reason.push(match settings.unchecked {
                Unchecked::NotDeducted => "未確認の要求水準は減額の対象としない（設定）".into(),
                Unchecked::CountsAsUnmet => "未確認の要求水準も未達として扱う（設定）".into(),
            });
        }
        if deduction > 0 {
            reason.push(format!("減額{}（円未満切り捨て）", yen(deduction)));
        }
    }
    PaymentLine {
        item_code: item.code.clone(),
        item_name: item.name.clone(),
        owner: owner.to_string(),
        basis_ja: "総価".into(),
        gross,
        deduction,
        net: gross - deduction,
        reason: reason.join("。"),
    }
}
