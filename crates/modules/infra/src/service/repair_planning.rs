//! 補修計画 (budget-constrained repair plan) and ライフサイクルコスト比較 (LCC) from the tenant's
//! inspection records.
//!
//! * 補修候補: assets of the chosen owners (each visible to the actor through
//!   [`access::visible_owner_ids`]) whose latest confirmed 定期点検 has 健全性 II–IV and whose
//!   findings are not all repaired yet.
//! * 補修工法: one option per candidate, 「健全性Iへの補修」, costing the unit cost of its grade.
//! * 対策なしのリスク: from the one-year transition matrix of the fitted 劣化予測
//!   ([`crate::analytics::forecast`]): the expected growth of the repair cost over one year of
//!   deferral, plus the annual loss of an asset in 健全性IV (通行規制・事故のリスク) times the
//!   probability of being in IV.
//! * 予算: one annual budget per owner; IV items must be repaired by the deadline year.
//!
//! Small plans are solved exactly with the MILP of `tabane-planning`; larger ones (or when the
//! solver takes too long) with its greedy heuristic. The result says which.

use crate::analytics::forecast;
use crate::entities::{asset, inspection as insp, inspection_member as mem};
use crate::service::access;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;
use tabane_calendar::FiscalYear;
use tabane_core::{Ctx, Error, Result};
use tabane_planning::lcc::{self, Comparison, LccInput};
use tabane_planning::repair_plan::{self, Candidate, Grade, PlanError, Problem, RepairOption};

/// 既定の補修単価 (default unit costs for repairing an asset in II, III, IV back to I, yen).
pub const DEFAULT_UNIT_COSTS: [u64; 3] = [2_000_000, 8_000_000, 20_000_000];
/// 既定の年間予算 (default annual budget per owner, yen).
pub const DEFAULT_BUDGET: u64 = 30_000_000;
/// 既定の健全性IVの年間損失 (default annual loss while an asset is in IV, yen).
pub const DEFAULT_LOSS_IV: u64 = 20_000_000;
/// 劣化予測が得られないときのハザード率 (θ per year for I, II, III; the demo's and the
/// reference check's values).
pub const FALLBACK_THETA: [f64; 3] = [0.08, 0.15, 0.25];
/// Largest model (candidates × years) given to the MILP; larger ones use the greedy heuristic.
/// microlp's branch and bound can run for minutes on a tight budget, so `solve_milp` stops at
/// a time limit (`tabane-planning`, `milp.rs`) with the best plan found so far.
const MILP_MAX_VARS: usize = 400;
/// Time given to the exact solver before falling back to the greedy heuristic (a safety net:
/// the solver stops itself earlier).
const MILP_TIMEOUT: Duration = Duration::from_secs(4);

/// 計画の条件 (parsed and checked inputs).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PlanParams {
    /// 計画期間 (years).
    pub years: u32,
    /// 補修単価 for II, III, IV.
    pub unit_costs: [u64; 3],
    /// 健全性IVの年間損失.
    pub loss_iv_yen: u64,
    /// 緊急措置の期限 (year 1..=years).
    pub emergency_deadline_year: u32,
    /// (owner organisation id, annual budget).
    pub budgets: Vec<(i64, u64)>,
}

/// 劣化モデル used for the risks.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ModelInfo {
    /// 1年後の推移確率 (rows I..IV).
    pub one_year: Vec<Vec<f64>>,
    /// Whether it came from the tenant's fitted forecast (else the fallback θ).
    pub fitted: bool,
    /// Why the fallback was used, if it was.
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct OwnerRow {
    pub owner_org_id: i64,
    pub owner_name: String,
    pub annual_budget_yen: u64,
}

/// 補修候補 as shown.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CandidateRow {
    pub asset_id: i64,
    pub asset_name: String,
    pub kind: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    /// 健全性 1..=4.
    pub grade: i32,
    pub inspected_on: chrono::NaiveDate,
    pub cost_yen: u64,
    /// 対策なしの年間リスク (expected yen per year).
    pub annual_risk_yen: f64,
}

/// One repair in the plan.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PlanActionRow")]
pub struct ActionRow {
    pub year: u32,
    pub fiscal_year_label: String,
    pub asset_id: i64,
    pub asset_name: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub grade_before: i32,
    pub grade_after: i32,
    pub cost_yen: u64,
}

/// Spend and budget of one year.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct YearRow {
    pub year: u32,
    pub fiscal_year_label: String,
    /// Per owner, in the order of `owners`: (spend, budget).
    pub by_owner: Vec<(u64, u64)>,
    pub spend_yen: u64,
    pub budget_yen: u64,
}

/// 緊急措置を賄えない管理者.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ShortfallRow {
    pub owner_org_id: i64,
    pub owner_name: String,
    pub available_yen: u64,
    pub required_yen: u64,
    pub short_by_yen: u64,
    /// (asset id, asset name, cheapest repair cost).
    pub unfunded: Vec<(i64, String, Option<u64>)>,
}

/// 補修計画の結果.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PlanOutcome {
    pub params: PlanParams,
    pub owners: Vec<OwnerRow>,
    pub model: ModelInfo,
    pub candidates: Vec<CandidateRow>,
    /// Whether every IV item could be funded and a plan was made.
    pub feasible: bool,
    /// "milp" (exact) or "greedy" (heuristic); None when infeasible.
    pub solver: Option<String>,
    pub actions: Vec<ActionRow>,
    pub years: Vec<YearRow>,
    /// Candidates left for later (not repaired within the horizon).
    pub deferred: Vec<CandidateRow>,
    pub total_cost_yen: u64,
    /// 便益の増分 (expected yen of risk avoided over the horizon).
    pub risk_avoided_yen: f64,
    pub emergency_shortfalls: Vec<ShortfallRow>,
    /// A summary in Japanese (e.g. why it is infeasible).
    pub message: Option<String>,
}

/// The acting organisation, or refuse.
pub fn default_owner(ctx: &Ctx) -> Result<i64> {
    ctx.org_id.ok_or_else(|| {
        Error::invalid(
            "budgets",
            "管理者の予算",
            "Owner budgets",
            "を1つ以上入力してください（所属団体がありません）",
            "needs at least one owner (no acting organisation)",
        )
    })
}

/// Checks that every owner is visible to the actor and returns (id, name); an owner the actor
/// may not see is `NotFound`, so its existence is not revealed.
async fn owner_names<D: ConnectionTrait>(db: &D, ctx: &Ctx, owners: &[i64]) -> Result<Vec<(i64, String)>> {
    let visible = access::visible_owner_ids(db, ctx).await?;
    let mut out = Vec::new();
    for &o in owners {
        if visible.as_ref().is_some_and(|v| !v.contains(&o)) {
            return Err(Error::NotFound);
        }
        let org = tabane_core::service::orgs::get(db, ctx, o).await?;
        out.push((o, org.name));
    }
    Ok(out)
}

/// 1年後の推移確率: the tenant's fitted forecast, or the fallback θ with a note.
pub async fn model<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<ModelInfo> {
    let f = forecast::forecast(db, ctx).await?;
    if f.one_year.len() == 4 {
        return Ok(ModelInfo { one_year: f.one_year, fitted: true, note: None });
    }
    let h =
        tabane_hazard::Hazards::new(FALLBACK_THETA.to_vec()).map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    let p = h.transition(1.0);
    let one_year = (0..p.nrows()).map(|i| (0..p.ncols()).map(|j| p[(i, j)]).collect()).collect();
    let why = f.message.unwrap_or_default();
    Ok(ModelInfo {
        one_year,
        fitted: false,
        note: Some(format!(
            "劣化予測を推定できないため（{why}）、既定のハザード率 θ = 0.08・0.15・0.25（1年あたり）を使っています"
        )),
    })
}

/// 対策なしの年間リスク of each grade I..IV: Σ_j P[g][j]·c_j − c_g + P[g][IV]·loss.
pub fn annual_risk(one_year: &[Vec<f64>], unit_costs: [u64; 3], loss_iv: u64) -> [f64; 4] {
    let c = [0.0, unit_costs[0] as f64, unit_costs[1] as f64, unit_costs[2] as f64];
    let mut r = [0.0; 4];
    for (g, row) in one_year.iter().enumerate().take(4) {
        let expected: f64 = row.iter().zip(c).map(|(p, cj)| p * cj).sum();
        r[g] = expected - c[g] + row.get(3).copied().unwrap_or(0.0) * loss_iv as f64;
    }
    r
}

/// (asset, its latest confirmed inspection) for the owners' assets, latest first by asset id.
async fn latest_inspections<D: ConnectionTrait>(db: &D, owners: &[i64]) -> Result<Vec<insp::Model>> {
    let rows = insp::Entity::find()
        .filter(insp::Column::Status.eq("confirmed"))
        .filter(insp::Column::OwnerOrgId.is_in(owners.to_vec()))
        .filter(insp::Column::Grade.is_not_null())
        .order_by_asc(insp::Column::AssetId)
        .order_by_asc(insp::Column::InspectedOn)
        .order_by_asc(insp::Column::Id)
        .all(db)
        .await?;
    let mut latest: BTreeMap<i64, insp::Model> = BTreeMap::new();
    for r in rows {
        latest.insert(r.asset_id, r);
    }
    Ok(latest.into_values().collect())
}

fn grade_of(g: i32) -> Option<Grade> {
    match g {
        1 => Some(Grade::I),
        2 => Some(Grade::II),
        3 => Some(Grade::III),
        4 => Some(Grade::IV),
        _ => None,
    }
}

/// Fiscal year label of plan year `y` (year 1 = the next 年度).
pub fn fiscal_label(y: u32) -> String {
    FiscalYear(FiscalYear::of(crate::service::work_orders::today_jst()).0 + y as i32).label_ja()
}

/// 補修候補 of the owners.
async fn candidates<D: ConnectionTrait>(
    db: &D,
    owners: &[(i64, String)],
    p: &PlanParams,
    risk: &[f64; 4],
) -> Result<Vec<CandidateRow>> {
    let ids: Vec<i64> = owners.iter().map(|o| o.0).collect();
    let latest: Vec<insp::Model> = latest_inspections(db, &ids)
        .await?
        .into_iter()
        .filter(|i| i.grade.is_some_and(|g| (2..=4).contains(&g)))
        .collect();
    let insp_ids: Vec<i64> = latest.iter().map(|i| i.id).collect();
    let members = if insp_ids.is_empty() {
        vec![]
    } else {
        mem::Entity::find().filter(mem::Column::InspectionId.is_in(insp_ids)).all(db).await?
    };
    let asset_ids: Vec<i64> = latest.iter().map(|i| i.asset_id).collect();
    let assets: BTreeMap<i64, asset::Model> = if asset_ids.is_empty() {
        BTreeMap::new()
    } else {
        asset::Entity::find()
            .filter(asset::Column::Id.is_in(asset_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect()
    };
    let mut out = Vec::new();
    for i in latest {
        // Already repaired: every finding of II or worse is marked done.
        let findings: Vec<&mem::Model> =
            members.iter().filter(|m| m.inspection_id == i.id && m.judgement.is_some_and(|j| j >= 2)).collect();
        if !findings.is_empty() && findings.iter().all(|m| m.repair_status == "done") {
            continue;
        }
        let (Some(g), Some(a)) = (i.grade, assets.get(&i.asset_id)) else { continue };
        let owner_name = owners.iter().find(|o| o.0 == i.owner_org_id).map(|o| o.1.clone()).unwrap_or_default();
        out.push(CandidateRow {
            asset_id: a.id,
            asset_name: a.name.clone(),
            kind: a.kind.clone(),
            owner_org_id: i.owner_org_id,
            owner_name,
            grade: g,
            inspected_on: i.inspected_on,
            cost_yen: p.unit_costs[(g - 2) as usize],
            annual_risk_yen: risk[(g - 1) as usize],
        });
    }
    // Worst first, then by id, so tables read naturally.
    out.sort_by_key(|c| (-c.grade, c.asset_id));
    Ok(out)
}

/// 補修計画を作る (build the problem from the tenant's data and solve it).
pub async fn plan<D: ConnectionTrait>(db: &D, ctx: &Ctx, p: PlanParams) -> Result<PlanOutcome> {
    let owner_ids: Vec<i64> = p.budgets.iter().map(|b| b.0).collect();
    let owners = owner_names(db, ctx, &owner_ids).await?;
    let model = model(db, ctx).await?;
    let risk = annual_risk(&model.one_year, p.unit_costs, p.loss_iv_yen);
    let cands = candidates(db, &owners, &p, &risk).await?;
    let problem = Problem {
        horizon_years: p.years,
        candidates: cands
            .iter()
            .map(|c| Candidate {
                asset_id: c.asset_id.to_string(),
                owner_id: c.owner_org_id.to_string(),
                grade: grade_of(c.grade).unwrap_or(Grade::II),
                do_nothing_benefit: -c.annual_risk_yen,
                options: vec![RepairOption {
                    name: "健全性Iへの補修".into(),
                    cost_yen: c.cost_yen,
                    resulting_grade: Grade::I,
                    annual_benefit: -risk[0],
                }],
            })
            .collect(),
        budgets: p.budgets.iter().map(|(o, b)| (o.to_string(), vec![*b; p.years as usize])).collect(),
        emergency_deadline_year: Some(p.emergency_deadline_year),
    };
    let owner_rows: Vec<OwnerRow> = p
        .budgets
        .iter()
        .zip(&owners)
        .map(|((_, b), (id, name))| OwnerRow { owner_org_id: *id, owner_name: name.clone(), annual_budget_yen: *b })
        .collect();
    let mut out = PlanOutcome {
        params: p.clone(),
        owners: owner_rows,
        model,
        candidates: cands.clone(),
        feasible: false,
        solver: None,
        actions: vec![],
        years: vec![],
        deferred: vec![],
        total_cost_yen: 0,
        risk_avoided_yen: 0.0,
        emergency_shortfalls: vec![],
        message: None,
    };
    let (plan, solver) = match solve(problem).await {
        Ok(x) => x,
        Err(PlanError::EmergencyUnfunded(shortfalls)) => {
            let name_of = |id: &str| {
                cands.iter().find(|c| c.asset_id.to_string() == id).map(|c| (c.asset_id, c.asset_name.clone()))
            };
            out.emergency_shortfalls = shortfalls
                .iter()
                .map(|s| {
                    let oid: i64 = s.owner_id.parse().unwrap_or_default();
                    ShortfallRow {
                        owner_org_id: oid,
                        owner_name: owners.iter().find(|o| o.0 == oid).map(|o| o.1.clone()).unwrap_or_default(),
                        available_yen: s.available_yen,
                        required_yen: s.required_yen,
                        short_by_yen: s.short_by_yen,
                        unfunded: s
                            .unfunded
                            .iter()
                            .filter_map(|(id, cost)| name_of(id).map(|(i, n)| (i, n, *cost)))
                            .collect(),
                    }
                })
                .collect();
            let parts: Vec<String> = out
                .emergency_shortfalls
                .iter()
                .map(|s| {
                    let items: Vec<String> = s
                        .unfunded
                        .iter()
                        .map(|(_, n, c)| {
                            format!("{n}（{}）", c.map(|c| format!("{c}円")).unwrap_or_else(|| "工法なし".into()))
                        })
                        .collect();
                    format!(
                        "{}: 期限までの予算 {}円に対し緊急措置に {}円が必要で {}円不足。賄えない施設: {}",
                        s.owner_name,
                        s.available_yen,
                        s.required_yen,
                        s.short_by_yen,
                        items.join("、")
                    )
                })
                .collect();
            out.message = Some(format!(
                "健全性IVの施設の緊急措置を期限（{}年目）までの予算で賄えません。{}",
                p.emergency_deadline_year,
                parts.join(" / ")
            ));
            return Ok(out);
        }
        Err(PlanError::Invalid(m)) => {
            return Err(Error::invalid(
                "budgets",
                "計画の条件",
                "Plan conditions",
                m,
                "the plan conditions are invalid",
            ));
        }
        Err(e) => return Err(Error::conflict(e.to_string(), "The solver could not make a plan")),
    };
    out.feasible = true;
    out.solver = Some(solver.into());
    out.risk_avoided_yen = plan.benefit_gain;
    let mut planned = vec![false; cands.len()];
    for a in &plan.actions {
        let c = &cands[a.candidate];
        planned[a.candidate] = true;
        out.actions.push(ActionRow {
            year: a.year,
            fiscal_year_label: fiscal_label(a.year),
            asset_id: c.asset_id,
            asset_name: c.asset_name.clone(),
            owner_org_id: c.owner_org_id,
            owner_name: c.owner_name.clone(),
            grade_before: c.grade,
            grade_after: a.grade_after.level() as i32,
            cost_yen: a.cost_yen,
        });
        out.total_cost_yen += a.cost_yen;
    }
    out.deferred = cands.iter().zip(&planned).filter(|(_, p)| !**p).map(|(c, _)| c.clone()).collect();
    for y in 1..=p.years {
        let by_owner: Vec<(u64, u64)> = p
            .budgets
            .iter()
            .map(|(o, b)| {
                (plan.spend.get(&o.to_string()).and_then(|s| s.get(y as usize - 1)).copied().unwrap_or(0), *b)
            })
            .collect();
        out.years.push(YearRow {
            year: y,
            fiscal_year_label: fiscal_label(y),
            spend_yen: by_owner.iter().map(|x| x.0).sum(),
            budget_yen: by_owner.iter().map(|x| x.1).sum(),
            by_owner,
        });
    }
    Ok(out)
}

/// MILP within a time limit, else the greedy heuristic.
async fn solve(problem: Problem) -> std::result::Result<(repair_plan::Plan, &'static str), PlanError> {
    let vars = problem.candidates.len() * problem.horizon_years as usize;
    if vars <= MILP_MAX_VARS {
        let p = problem.clone();
        match tokio::time::timeout(MILP_TIMEOUT, tokio::task::spawn_blocking(move || repair_plan::solve_milp(&p))).await
        {
            Ok(Ok(Ok(plan))) => return Ok((plan, "milp")),
            Ok(Ok(Err(e @ (PlanError::EmergencyUnfunded(_) | PlanError::Invalid(_))))) => return Err(e),
            _ => {} // solver error, panic or timeout: fall back
        }
    }
    let p = problem;
    match tokio::task::spawn_blocking(move || repair_plan::solve_greedy(&p)).await {
        Ok(r) => r.map(|plan| (plan, "greedy")),
        Err(e) => Err(PlanError::Solver(e.to_string())),
    }
}

/// LCC 比較の条件.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LccParams {
    pub unit_costs: [u64; 3],
    pub years: u32,
    pub inspection_interval_years: u32,
    /// 割引率 (fraction, e.g. 0.04).
    pub discount_rate: f64,
    pub owners: Vec<i64>,
}

/// LCC 比較の結果.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LccOutcome {
    pub params: LccParams,
    pub model: ModelInfo,
    /// 施設数 per grade I..IV (latest confirmed inspection) used as the start.
    pub start: Vec<f64>,
    pub comparison: Comparison,
    pub note: Option<String>,
}

/// 予防保全と事後保全の LCC (50 years by default) for the owners' inspected assets.
pub async fn lcc<D: ConnectionTrait>(db: &D, ctx: &Ctx, p: LccParams) -> Result<LccOutcome> {
    owner_names(db, ctx, &p.owners).await?;
    let model = model(db, ctx).await?;
    let mut start = vec![0.0; 4];
    for i in latest_inspections(db, &p.owners).await? {
        if let Some(g) = i.grade.filter(|g| (1..=4).contains(g)) {
            start[(g - 1) as usize] += 1.0;
        }
    }
    let mut note = None;
    if start.iter().sum::<f64>() == 0.0 {
        start[0] = 1.0;
        note = Some("確定済みの点検結果がないため、健全性Iの1施設として試算しています".to_string());
    }
    let input = LccInput {
        one_year: model.one_year.clone(),
        start: start.clone(),
        repair_cost_yen: vec![0, p.unit_costs[0], p.unit_costs[1], p.unit_costs[2]],
        years: p.years,
        inspection_interval_years: p.inspection_interval_years,
        discount_rate: p.discount_rate,
    };
    let comparison = lcc::compare(&input).map_err(|e| {
        Error::invalid("lcc", "LCCの条件", "LCC conditions", e.to_string(), "the LCC conditions are invalid")
    })?;
    Ok(LccOutcome { params: p, model, start, comparison, note })
}

/// Owners the actor may plan for: visible owners with confirmed inspections, the acting
/// organisation first.
pub async fn plannable_owners<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<(i64, String)>> {
    use sea_orm::QuerySelect;
    let mut q = insp::Entity::find()
        .select_only()
        .column(insp::Column::OwnerOrgId)
        .distinct()
        .filter(insp::Column::Status.eq("confirmed"));
    if let Some(ids) = access::visible_owner_ids(db, ctx).await? {
        q = q.filter(insp::Column::OwnerOrgId.is_in(ids));
    }
    let mut ids: Vec<i64> = q.into_tuple::<i64>().all(db).await?;
    if let Some(me) = ctx.org_id {
        ids.retain(|i| *i != me);
        ids.insert(0, me);
    }
    let mut out = Vec::new();
    for id in ids {
        if let Ok(o) = tabane_core::service::orgs::get(db, ctx, id).await {
            out.push((id, o.name));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
