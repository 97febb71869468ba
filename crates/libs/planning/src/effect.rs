//! 導入効果試算 (effect estimate) — 群マネの手引き Q2-7, Q2-8, Q2-10, Q2-11.
//!
//! The guide compares the 「直営＋委託」のトータルコスト (total cost of in-house
//! work plus outsourcing) before and after bundling. In-house work is measured
//! in 直営対応時間 (direct staff hours) and converted to money with a
//! 人件費単価 (labour rate); after bundling, 新たに必要となる経費 (new costs,
//! e.g. the 全体マネジメント業務 overall-management fee) are added.
//!
//! For several municipalities (Q2-8) the same comparison is made per member and
//! summed, because the saving often shows up unevenly: the lead municipality
//! that takes over ordering work (代行) spends *more* hours while the others
//! spend far fewer.
//!
//! No scale-merit discount is applied to the outsourcing amount (Q2-11):
//! 「業務を束ねることの目的は必ずしもコスト縮減ではなく」, and where a merged
//! overhead would be unfair to the contractor the guide suggests
//! 「従前の地区ごとに諸経費を算出した後に合計する」. Enter the after-bundling
//! outsourcing amount as estimated that way.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// 導入効果試算の入力エラー (invalid input to the effect estimate).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EffectError {
    /// A numeric input was negative, NaN or infinite.
    #[error("{member} の {field} が不正な値です（{value}）。0 以上の有限な数を指定してください")]
    InvalidNumber {
        /// Member name (or parameter group) the value belongs to.
        member: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
}

/// 費用の内訳 (cost breakdown of one municipality at one point in time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Costs {
    /// 直営対応時間 (direct staff hours per year).
    pub staff_hours: f64,
    /// 人件費単価 (labour rate, yen per hour) used to monetise `staff_hours`.
    pub labour_rate_yen_per_hour: f64,
    /// 委託金額 (outsourcing cost, yen).
    pub outsourcing_yen: u64,
    /// 新たに必要となる経費 (new costs such as the 全体マネジメント業務 fee, yen).
    pub new_costs_yen: u64,
}

impl Costs {
    /// 直営分の貨幣換算 (staff hours × labour rate, rounded to the nearest yen).
    pub fn staff_cost_yen(&self) -> u64 {
        yen(self.staff_hours * self.labour_rate_yen_per_hour)
    }

    /// 直営＋委託のトータルコスト (total cost = staff cost + outsourcing + new costs).
    pub fn total_yen(&self) -> u64 {
        self.staff_cost_yen() + self.outsourcing_yen + self.new_costs_yen
    }

    fn validate(&self, member: &str) -> Result<(), EffectError> {
        check(member, "直営対応時間", self.staff_hours)?;
        check(member, "人件費単価", self.labour_rate_yen_per_hour)
    }
}

/// 構成自治体 (member municipality) with its costs before (現状) and after (導入後) bundling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Member {
    /// 自治体名 (e.g. "A市").
    pub name: String,
    /// 現状 (before bundling).
    pub before: Costs,
    /// 導入後 (after bundling).
    pub after: Costs,
}

/// Result of one member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MemberEstimate {
    /// 自治体名.
    pub name: String,
    /// 現状のトータルコスト (yen).
    pub before_total_yen: u64,
    /// 導入後のトータルコスト (yen).
    pub after_total_yen: u64,
    /// コスト縮減額 (before − after; negative when the member pays more, e.g. the lead).
    pub saving_yen: i64,
    /// 現状の直営対応時間.
    pub staff_hours_before: f64,
    /// 導入後の直営対応時間.
    pub staff_hours_after: f64,
}

/// 導入効果試算の結果 (estimate over all members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Estimate {
    /// Per-member results, in input order.
    pub per_member: Vec<MemberEstimate>,
    /// 現状の合計 (yen).
    pub total_before_yen: u64,
    /// 導入後の合計 (yen).
    pub total_after_yen: u64,
    /// 縮減額 (yen, negative when bundling costs more).
    pub saving_yen: i64,
    /// 縮減率 (saving ÷ total before); `None` when the total before is 0.
    pub saving_rate: Option<f64>,
    /// 直営対応時間の合計（現状）.
    pub total_hours_before: f64,
    /// 直営対応時間の合計（導入後）.
    pub total_hours_after: f64,
    /// 直営対応時間の縮減率; `None` when there were no hours before.
    pub hours_saving_rate: Option<f64>,
}

/// 導入効果を試算する (compute the before/after comparison for all members).
pub fn estimate(members: &[Member]) -> Result<Estimate, EffectError> {
    let mut per_member = Vec::with_capacity(members.len());
    for m in members {
        m.before.validate(&m.name)?;
        m.after.validate(&m.name)?;
        let before = m.before.total_yen();
        let after = m.after.total_yen();
        per_member.push(MemberEstimate {
            name: m.name.clone(),
            before_total_yen: before,
            after_total_yen: after,
            saving_yen: before as i64 - after as i64,
            staff_hours_before: m.before.staff_hours,
            staff_hours_after: m.after.staff_hours,
        });
    }
    let total_before_yen: u64 = per_member.iter().map(|m| m.before_total_yen).sum();
    let total_after_yen: u64 = per_member.iter().map(|m| m.after_total_yen).sum();
    let saving_yen = total_before_yen as i64 - total_after_yen as i64;
    let total_hours_before: f64 = per_member.iter().map(|m| m.staff_hours_before).sum();
    let total_hours_after: f64 = per_member.iter().map(|m| m.staff_hours_after).sum();
    Ok(Estimate {
        per_member,
        total_before_yen,
        total_after_yen,
        saving_yen,
        saving_rate: (total_before_yen > 0).then(|| saving_yen as f64 / total_before_yen as f64),
        total_hours_before,
        total_hours_after,
        hours_saving_rate: (total_hours_before > 0.0)
            .then(|| (total_hours_before - total_hours_after) / total_hours_before),
    })
}

// ---------------------------------------------------------------------------
// 三条市の積算パラメータ (Sanjo parameters, Q2-10)
// ---------------------------------------------------------------------------

/// 見積 (obtaining quotes): hours per contract, Sanjo.
pub const SANJO_HOURS_QUOTE: f64 = 0.5;
/// 発注 (placing the order): hours per contract, Sanjo.
pub const SANJO_HOURS_ORDER: f64 = 0.5;
/// 工事監理 (supervising the work): hours per contract, Sanjo.
pub const SANJO_HOURS_SUPERVISION: f64 = 1.0;
/// 各活動の記録 (recording each activity): hours per contract, Sanjo.
pub const SANJO_HOURS_RECORD: f64 = 1.0;
/// 巡回速度 (patrol speed, km/h) used by Sanjo for roads.
pub const SANJO_PATROL_SPEED_KM_PER_H: f64 = 20.0;
/// 軽作業員 2名体制 (patrol crew size) used by Sanjo.
pub const SANJO_PATROL_CREW: u32 = 2;
/// 提案件数: 年間1件 (one improvement proposal per year).
pub const SANJO_PROPOSALS_PER_YEAR: u32 = 1;

/// 全体マネジメント業務（全体業務調整）の試算 (overall coordination estimate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoordinationEstimate {
    /// 対応件数 = 過去3ヵ年の維持管理業務委託件数.
    pub contracts: u32,
    /// 見積 hours (contracts × 0.5).
    pub quote_hours: f64,
    /// 発注 hours (contracts × 0.5).
    pub order_hours: f64,
    /// 工事監理 hours (contracts × 1.0).
    pub supervision_hours: f64,
    /// 各活動の記録 hours (contracts × 1.0).
    pub record_hours: f64,
    /// 対応時間の合計 (contracts × 3 h).
    pub total_hours: f64,
    /// 費用 (total hours × 土木一般世話役 rate, rounded to yen).
    pub cost_yen: u64,
}

/// 全体業務調整の費用 (Q2-10, 新潟県三条市): 「直営実施時の実績時間から算出」.
///
/// * `contracts_past_3_years` — ①対応件数⇒過去3ヵ年の維持管理業務委託件数
/// * ②対応時間⇒１件当たりの対応時間（3時間）, 内訳⇒見積0.5＋発注0.5＋工事監理1.0＋各活動の記録1.0
/// * `sewayaku_rate_yen_per_hour` — 積算構成：土木一般世話役 (labour rate of a civil-works foreman)
///
/// The guide counts contracts over three years, which matches Sanjo's three-year
/// contract (「3年間で3件」 for proposals), so the result is for the whole
/// contract period; divide by 3 for a single year.
pub fn sanjo_coordination(
    contracts_past_3_years: u32,
    sewayaku_rate_yen_per_hour: f64,
) -> Result<CoordinationEstimate, EffectError> {
    check("全体業務調整", "土木一般世話役単価", sewayaku_rate_yen_per_hour)?;
    let n = f64::from(contracts_past_3_years);
    let (quote_hours, order_hours) = (n * SANJO_HOURS_QUOTE, n * SANJO_HOURS_ORDER);
    let (supervision_hours, record_hours) = (n * SANJO_HOURS_SUPERVISION, n * SANJO_HOURS_RECORD);
    let total_hours = quote_hours + order_hours + supervision_hours + record_hours;
    Ok(CoordinationEstimate {
        contracts: contracts_past_3_years,
        quote_hours,
        order_hours,
        supervision_hours,
        record_hours,
        total_hours,
        cost_yen: yen(total_hours * sewayaku_rate_yen_per_hour),
    })
}

/// 巡回頻度 (patrol frequency) as used in the guide's Sanjo example.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum PatrolFrequency {
    /// 週1回 (52 times a year), e.g. 都市公園.
    Weekly,
    /// 月2回 (24 times a year), e.g. 地域交流公園・児童遊園.
    TwiceMonthly,
    /// 月1回 (12 times a year), e.g. 幹線市道・緑地.
    Monthly,
    /// 年2回, e.g. その他市道.
    TwiceYearly,
    /// 年n回 (any other count).
    PerYear(u32),
}

impl PatrolFrequency {
    /// 年間巡回回数 (times per year).
    pub fn times_per_year(self) -> u32 {
        match self {
            Self::Weekly => 52,
            Self::TwiceMonthly => 24,
            Self::Monthly => 12,
            Self::TwiceYearly => 2,
            Self::PerYear(n) => n,
        }
    }
}

/// 巡回路線 (a patrol route: e.g. all 幹線市道 of the area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatrolRoute {
    /// 路線区分 (e.g. "幹線市道").
    pub name: String,
    /// 延長 (route length, km).
    pub length_km: f64,
    /// 巡回頻度.
    pub frequency: PatrolFrequency,
}

/// 巡回作業の積算条件 (patrol cost parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatrolParams {
    /// 巡回速度 (km/h); Sanjo uses 20.
    pub speed_km_per_h: f64,
    /// 体制 (crew size); Sanjo uses 軽作業員2名.
    pub crew: u32,
    /// 軽作業員の労務単価 (yen per person-hour).
    pub worker_rate_yen_per_hour: f64,
    /// 燃料費・車両損料 (fuel and vehicle cost per vehicle-hour, yen); 0 if not estimated.
    pub vehicle_yen_per_hour: f64,
}

impl PatrolParams {
    /// 三条市の条件 (20 km/h, 2 workers) with the given rates.
    pub fn sanjo(worker_rate_yen_per_hour: f64, vehicle_yen_per_hour: f64) -> Self {
        Self {
            speed_km_per_h: SANJO_PATROL_SPEED_KM_PER_H,
            crew: SANJO_PATROL_CREW,
            worker_rate_yen_per_hour,
            vehicle_yen_per_hour,
        }
    }
}

/// 巡回作業の試算 (annual patrol estimate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PatrolEstimate {
    /// 年間走行距離 (km/year) = Σ 回数 × 延長.
    pub km_per_year: f64,
    /// 年間巡回時間 (vehicle-hours/year) = km ÷ speed.
    pub vehicle_hours: f64,
    /// 年間人工時間 (person-hours/year) = vehicle-hours × crew.
    pub person_hours: f64,
    /// 労務費 (yen/year).
    pub labour_yen: u64,
    /// 燃料費・車両損料 (yen/year).
    pub vehicle_yen: u64,
    /// 合計 (yen/year).
    pub total_yen: u64,
}

/// アウトソーシング費用（巡回作業）(Q2-10): 「設定した巡回頻度から算出」.
///
/// 積算構成：軽作業員（2名体制）・燃料費・車両損料; 巡回速度 20km/h.
/// Hours = Σ(巡回頻度 × 延長) ÷ 巡回速度; cost = hours × 体制人数 × 労務単価
/// + hours × 燃料費・車両損料.
pub fn patrol_cost(routes: &[PatrolRoute], params: &PatrolParams) -> Result<PatrolEstimate, EffectError> {
    check("巡回作業", "労務単価", params.worker_rate_yen_per_hour)?;
    check("巡回作業", "燃料費・車両損料", params.vehicle_yen_per_hour)?;
    if !(params.speed_km_per_h.is_finite() && params.speed_km_per_h > 0.0) {
        return Err(EffectError::InvalidNumber {
            member: "巡回作業".into(),
            field: "巡回速度",
            value: params.speed_km_per_h,
        });
    }
    let mut km_per_year = 0.0;
    for r in routes {
        check(&r.name, "延長", r.length_km)?;
        km_per_year += f64::from(r.frequency.times_per_year()) * r.length_km;
    }
    let vehicle_hours = km_per_year / params.speed_km_per_h;
    let person_hours = vehicle_hours * f64::from(params.crew);
    let labour_yen = yen(person_hours * params.worker_rate_yen_per_hour);
    let vehicle_yen = yen(vehicle_hours * params.vehicle_yen_per_hour);
    Ok(PatrolEstimate {
        km_per_year,
        vehicle_hours,
        person_hours,
        labour_yen,
        vehicle_yen,
        total_yen: labour_yen + vehicle_yen,
    })
}

/// 提案1件当たりの作業人工 (staff input per proposal, one consultant grade).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProposalStaff {
    /// 職種 (e.g. "主任技師", "技師A", "技師B").
    pub role: String,
    /// 作業人工 (person-days per proposal).
    pub person_days: f64,
    /// 日額単価 (yen per person-day).
    pub daily_rate_yen: f64,
}

/// 改善提案の検討費用の試算 (improvement-proposal estimate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProposalEstimate {
    /// 提案件数 (contract years × 1).
    pub proposals: u32,
    /// 1件当たりの費用 (yen).
    pub cost_per_proposal_yen: u64,
    /// 合計 (yen).
    pub total_yen: u64,
}

/// 全体マネジメント業務（改善提案の検討費用）(Q2-10): 「見積から積算」.
///
/// 積算構成：コンサル技術者（主任技師、技師Ａ～Ｂ）; ①作業人工⇒提案当たりに要する
/// 対応時間を設定; ②提案件数⇒年間1件（3年間で3件）の提案を要求.
pub fn improvement_proposals(
    contract_years: u32,
    staff_per_proposal: &[ProposalStaff],
) -> Result<ProposalEstimate, EffectError> {
    let mut per = 0.0;
    for s in staff_per_proposal {
        check(&s.role, "作業人工", s.person_days)?;
        check(&s.role, "日額単価", s.daily_rate_yen)?;
        per += s.person_days * s.daily_rate_yen;
    }
    let proposals = contract_years * SANJO_PROPOSALS_PER_YEAR;
    // Round the per-proposal cost first so that total = count × unit price,
    // as a 見積 (quote) would be written.
    let cost_per_proposal_yen = yen(per);
    Ok(ProposalEstimate { proposals, cost_per_proposal_yen, total_yen: cost_per_proposal_yen * u64::from(proposals) })
}

/// Round a non-negative yen amount to the nearest yen (円未満四捨五入).
fn yen(x: f64) -> u64 {
    x.round() as u64
}

fn check(member: &str, field: &'static str, value: f64) -> Result<(), EffectError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(EffectError::InvalidNumber { member: member.to_string(), field, value })
    }
}

#[cfg(test)]
#[path = "effect_tests.rs"]
mod tests;
