//! 費用負担 (cost sharing between municipalities or departments) — 群マネの手引き Q4-1.
//!
//! The guide lists three patterns (出典: 広域化・共同化計画実施マニュアル):
//! ① 業務量割 (by workload), ② 数量割 (by quantity: road length, number of
//! facilities, population), ③ 複合配分 (a weighted mix of 業務量割, 数量割 and
//! 均等割). Costs that fit no single basis — e.g. 「マネジメント業務のような新規業務は
//! 別途調整」, 「数量按分が適さない業務・項目は均等割等の調整」 — are handled by
//! giving each [`CostItem`] its own [`Method`].
//!
//! When one municipality places the order for the others (代行), the guide says
//! they pay 「委託費に加えて、事務費（事業費の数％ 等）を上乗せ」, but 「発注手続きを
//! 持ち回りとする場合など…事務費を求めない場合もあります」; see [`Leadership`].
//!
//! All amounts are integer yen and always add up exactly to the total, using
//! the largest-remainder method ([`largest_remainder`]).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// 費用分担の入力エラー.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SharingError {
    /// No members to share among.
    #[error("構成団体が指定されていません")]
    NoMembers,
    /// A basis vector has the wrong length.
    #[error("{item}: 按分基準の数（{got}）が構成団体数（{expected}）と一致しません")]
    LengthMismatch {
        /// Cost item name.
        item: String,
        /// Number of members.
        expected: usize,
        /// Number of values given.
        got: usize,
    },
    /// A weight or basis value is negative, NaN or infinite.
    #[error("{item}: 按分基準または配分比率に不正な値があります（{value}）")]
    InvalidValue {
        /// Cost item name.
        item: String,
        /// The offending value.
        value: f64,
    },
    /// All weights are zero, or a weighted basis sums to zero.
    #[error("{item}: {basis} の合計が0のため按分できません")]
    ZeroBasis {
        /// Cost item name.
        item: String,
        /// Which basis (配分比率, 業務量, 数量).
        basis: &'static str,
    },
    /// The lead index is out of range.
    #[error("代表団体の番号 {lead} が構成団体数 {members} を超えています")]
    LeadOutOfRange {
        /// Given lead index.
        lead: usize,
        /// Number of members.
        members: usize,
    },
}

/// 按分基準 (allocation basis).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Basis {
    /// 均等割 (equal shares).
    Equal,
    /// 業務量割 (by workload): 想定される業務量や過去の類似業務等に係る業務量, one value per member.
    Workload(Vec<f64>),
    /// 数量割 (by quantity): 管理対象施設の数量（延長）や人口規模, one value per member.
    Quantity(Vec<f64>),
}

/// One weighted part of a method, e.g. 数量割 80%.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Component {
    /// 配分比率 (relative weight; only ratios matter, so 20/80 and 0.2/0.8 are the same).
    pub weight: f64,
    /// 按分基準.
    pub basis: Basis,
}

/// 費用分担方法 (sharing method): one basis or a 複合配分 of several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Method {
    /// Weighted components; a single component is a pure method.
    pub components: Vec<Component>,
}

impl Method {
    /// 均等割.
    pub fn equal() -> Self {
        Self::single(Basis::Equal)
    }
    /// 業務量割.
    pub fn workload(values: Vec<f64>) -> Self {
        Self::single(Basis::Workload(values))
    }
    /// 数量割.
    pub fn quantity(values: Vec<f64>) -> Self {
        Self::single(Basis::Quantity(values))
    }
    /// 複合配分, e.g. `[(20.0, Basis::Equal), (80.0, Basis::Quantity(km))]` for 均等割20%＋数量割80%.
    pub fn combined(parts: impl IntoIterator<Item = (f64, Basis)>) -> Self {
        Self { components: parts.into_iter().map(|(weight, basis)| Component { weight, basis }).collect() }
    }
    fn single(basis: Basis) -> Self {
        Self { components: vec![Component { weight: 1.0, basis }] }
    }

    /// Each member's exact (fractional) proportion of the total; sums to 1.
    fn proportions(&self, item: &str, n: usize) -> Result<Vec<f64>, SharingError> {
        let invalid = |value: f64| SharingError::InvalidValue { item: item.to_string(), value };
        let mut total_weight = 0.0;
        for c in &self.components {
            if !(c.weight.is_finite() && c.weight >= 0.0) {
                return Err(invalid(c.weight));
            }
            total_weight += c.weight;
        }
        if total_weight <= 0.0 {
            return Err(SharingError::ZeroBasis { item: item.to_string(), basis: "配分比率" });
        }
        let mut p = vec![0.0; n];
        for c in &self.components {
            let (values, label) = match &c.basis {
                Basis::Equal => (None, "均等割"),
                Basis::Workload(v) => (Some(v), "業務量"),
                Basis::Quantity(v) => (Some(v), "数量"),
            };
            let Some(values) = values else {
                let each = c.weight / total_weight / n as f64;
                p.iter_mut().for_each(|x| *x += each);
                continue;
            };
            if values.len() != n {
                return Err(SharingError::LengthMismatch { item: item.to_string(), expected: n, got: values.len() });
            }
            if let Some(&bad) = values.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                return Err(invalid(bad));
            }
            if c.weight == 0.0 {
                continue; // an unused component may legitimately have an all-zero basis
            }
            let sum: f64 = values.iter().sum();
            if sum <= 0.0 {
                return Err(SharingError::ZeroBasis { item: item.to_string(), basis: label });
            }
            let scale = c.weight / total_weight / sum;
            for (x, v) in p.iter_mut().zip(values) {
                *x += v * scale;
            }
        }
        Ok(p)
    }
}

/// Resolution at which fractional remainders are compared (1/10,000 yen).
///
/// Shares are computed in `f64`; for totals up to 10^10 yen the rounding noise is
/// about 10^-6 yen, so comparing remainders at this resolution keeps
/// mathematically equal remainders equal and the member-order tie-break applies.
const REMAINDER_RESOLUTION: f64 = 10_000.0;

/// 最大剰余方式 (largest-remainder method): split `total_yen` in proportion to
/// `proportions` (non-negative, summing to 1) into integer yen that add up
/// exactly to `total_yen`.
///
/// Rule: floor each exact share `total × p_i`; then give the remaining yen one
/// each to the members with the largest fractional remainders, ties broken by
/// member order (earlier member first). Remainders are compared at 1/10,000 yen
/// so that floating-point noise cannot reorder equal remainders. If floating
/// point noise ever left the floors summing above the total, the excess is
/// taken back one yen each from the smallest remainders (latest member first),
/// so the sum is exact in every case.
pub fn largest_remainder(total_yen: u64, proportions: &[f64]) -> Vec<u64> {
    let n = proportions.len();
    if n == 0 {
        return Vec::new();
    }
    let total = total_yen as f64;
    let mut shares = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    for &p in proportions {
        let exact = (total * p).max(0.0);
        let floor = exact.floor();
        shares.push((floor as u64).min(total_yen));
        keys.push(((exact - floor) * REMAINDER_RESOLUTION).round() as u64);
    }
    // Largest remainder first; stable sort keeps member order among ties.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| keys[b].cmp(&keys[a]));
    let assigned: u128 = shares.iter().map(|&s| u128::from(s)).sum();
    if assigned <= u128::from(total_yen) {
        let remaining = (u128::from(total_yen) - assigned) as usize;
        // Normally remaining < n; cycling keeps the rule well defined even if not.
        for j in 0..remaining {
            shares[order[j % n]] += 1;
        }
    } else {
        let mut excess = assigned - u128::from(total_yen);
        let mut i = 0;
        while excess > 0 {
            let m = order[n - 1 - (i % n)];
            if shares[m] > 0 {
                shares[m] -= 1;
                excess -= 1;
            }
            i += 1;
        }
    }
    shares
}

/// 費用を按分する (allocate one total among `member_count` members by `method`).
pub fn allocate(total_yen: u64, member_count: usize, method: &Method) -> Result<Vec<u64>, SharingError> {
    allocate_item("費用", total_yen, member_count, method)
}

fn allocate_item(item: &str, total_yen: u64, n: usize, method: &Method) -> Result<Vec<u64>, SharingError> {
    if n == 0 {
        return Err(SharingError::NoMembers);
    }
    let p = method.proportions(item, n)?;
    Ok(largest_remainder(total_yen, &p))
}

/// 費用項目 (a cost item with its own sharing method), e.g. 巡回 by road length,
/// 全体マネジメント業務 equally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CostItem {
    /// 項目名.
    pub name: String,
    /// 金額 (yen).
    pub total_yen: u64,
    /// 分担方法.
    pub method: Method,
}

/// 発注事務の役割分担 (who places the order), which decides the 事務費.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Leadership {
    /// 持ち回り (the 事務局 rotates, 協議会パターン) or 共同発注: no 事務費.
    Rotating,
    /// 代行 (the lead orders for everyone): every other member pays the lead a
    /// 事務費 (事務負担料) of `fee_basis_points`/10,000 of its own share, 円未満切り捨て.
    Delegated {
        /// Index of the lead (幹事市) in the member list.
        lead: usize,
        /// 事務費率 in basis points (300 = 3%).
        fee_basis_points: u32,
    },
}

/// 構成団体ごとの負担額.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemberShare {
    /// 団体名.
    pub name: String,
    /// Share of each cost item, in item order (yen).
    pub item_shares_yen: Vec<u64>,
    /// 委託費の負担額 (sum of item shares, yen).
    pub share_yen: u64,
    /// 事務費 paid to the lead (0 for the lead and under [`Leadership::Rotating`]).
    pub admin_fee_paid_yen: u64,
    /// 事務費 received (only the lead receives).
    pub admin_fee_received_yen: u64,
    /// 実質負担額 = share + fee paid − fee received (may be negative for the lead).
    pub net_burden_yen: i64,
}

/// 費用分担の結果.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sharing {
    /// Per member, in input order.
    pub members: Vec<MemberShare>,
    /// 委託費の合計 (= Σ item totals = Σ shares = Σ net burdens).
    pub total_yen: u64,
    /// 事務費の合計.
    pub total_admin_fee_yen: u64,
}

/// 費用分担を計算する (share every cost item among the members, then apply the 事務費).
pub fn share_costs(
    member_names: &[String],
    items: &[CostItem],
    leadership: Leadership,
) -> Result<Sharing, SharingError> {
    let n = member_names.len();
    if n == 0 {
        return Err(SharingError::NoMembers);
    }
    if let Leadership::Delegated { lead, .. } = leadership
        && lead >= n
    {
        return Err(SharingError::LeadOutOfRange { lead, members: n });
    }
    let mut members: Vec<MemberShare> = member_names
        .iter()
        .map(|name| MemberShare {
            name: name.clone(),
            item_shares_yen: Vec::with_capacity(items.len()),
            share_yen: 0,
            admin_fee_paid_yen: 0,
            admin_fee_received_yen: 0,
            net_burden_yen: 0,
        })
        .collect();
    for item in items {
        let shares = allocate_item(&item.name, item.total_yen, n, &item.method)?;
        for (m, s) in members.iter_mut().zip(shares) {
            m.item_shares_yen.push(s);
            m.share_yen += s;
        }
    }
    let mut total_fee = 0u64;
    if let Leadership::Delegated { lead, fee_basis_points } = leadership {
        for (i, m) in members.iter_mut().enumerate() {
            if i != lead {
                // Integer arithmetic so that e.g. 3% of 1,000,000 is exactly 30,000.
                let fee = (u128::from(m.share_yen) * u128::from(fee_basis_points) / 10_000) as u64;
                m.admin_fee_paid_yen = fee;
                total_fee += fee;
            }
        }
        members[lead].admin_fee_received_yen = total_fee;
    }
    for m in &mut members {
        m.net_burden_yen = m.share_yen as i64 + m.admin_fee_paid_yen as i64 - m.admin_fee_received_yen as i64;
    }
    Ok(Sharing { members, total_yen: items.iter().map(|i| i.total_yen).sum(), total_admin_fee_yen: total_fee })
}

#[cfg(test)]
#[path = "cost_sharing_tests.rs"]
mod tests;
