//! 予算制約下の補修計画 (budget-constrained repair plan).
//!
//! Each candidate asset (橋梁・舗装 etc.) has a 健全度 (判定区分 I–IV) and a few
//! repair options. Over a horizon of N years, choose at most one repair per
//! candidate and the year to do it, maximising total benefit, without exceeding
//! any owner's (管理者 = member municipality) budget in any year. Items in
//! 判定区分IV (緊急措置段階) must be repaired by a deadline.
//!
//! Benefit model: every option — and doing nothing — has an *annual* value
//! (便益, e.g. risk reduction; may be negative for a risk). Repairing with
//! option `o` in year `y` earns the do-nothing value in years `1..y` and the
//! option's value in years `y..=N`, so earlier repairs are worth more. A
//! candidate left alone earns the do-nothing value every year.
//!
//! Two solvers share these rules: [`solve_milp`] (exact, good_lp + microlp) and
//! [`solve_greedy`] (incremental benefit/cost heuristic for very large inputs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

mod greedy;
mod milp;

pub use greedy::solve_greedy;
pub use milp::solve_milp;

/// 判定区分 (soundness grade from periodic inspection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Grade {
    /// I 健全.
    I = 1,
    /// II 予防保全段階.
    II = 2,
    /// III 早期措置段階.
    III = 3,
    /// IV 緊急措置段階.
    IV = 4,
}

impl Grade {
    /// 1..=4.
    pub fn level(self) -> u8 {
        self as u8
    }
}

/// 補修工法 (one repair option of a candidate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RepairOption {
    /// 工法名.
    pub name: String,
    /// 費用 (yen).
    pub cost_yen: u64,
    /// 補修後の判定区分.
    pub resulting_grade: Grade,
    /// 補修後の年間便益 (annual benefit / negative risk after the repair).
    pub annual_benefit: f64,
}

/// 補修候補 (a candidate asset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Candidate {
    /// 施設ID.
    pub asset_id: String,
    /// 管理者ID (whose budget pays).
    pub owner_id: String,
    /// 現在の判定区分.
    pub grade: Grade,
    /// 対策なしの年間便益 (annual value when left alone; typically ≤ the options').
    pub do_nothing_benefit: f64,
    /// 補修工法の候補.
    pub options: Vec<RepairOption>,
}

/// 計画問題 (the planning problem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Problem {
    /// 計画期間 (years, ≥ 1).
    pub horizon_years: u32,
    /// 補修候補.
    pub candidates: Vec<Candidate>,
    /// 管理者ごとの年度別予算 (owner → budget for years 1..=N, yen).
    pub budgets: BTreeMap<String, Vec<u64>>,
    /// 緊急措置の期限: IV items must be repaired in a year ≤ this
    /// (1 = 初年度); `None` disables the rule.
    pub emergency_deadline_year: Option<u32>,
}

/// 選択 (option index and year, 1-based) for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Choice {
    /// Index into the candidate's `options`.
    pub option: usize,
    /// 実施年度 (1..=N).
    pub year: u32,
}

/// 補修計画の1件.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Action {
    /// Index of the candidate.
    pub candidate: usize,
    /// 施設ID.
    pub asset_id: String,
    /// 管理者ID.
    pub owner_id: String,
    /// 工法名.
    pub option_name: String,
    /// Index of the option.
    pub option: usize,
    /// 実施年度.
    pub year: u32,
    /// 費用.
    pub cost_yen: u64,
    /// 補修前の判定区分.
    pub grade_before: Grade,
    /// 補修後の判定区分.
    pub grade_after: Grade,
}

/// 補修計画 (a feasible plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Plan {
    /// Repairs, ordered by year then candidate.
    pub actions: Vec<Action>,
    /// Per candidate: the choice, or `None` (対策なし).
    pub choices: Vec<Option<Choice>>,
    /// 総便益 over the horizon (without the tie-break term).
    pub total_benefit: f64,
    /// 便益の増分 compared with doing nothing at all.
    pub benefit_gain: f64,
    /// 支出 per owner per year.
    pub spend: BTreeMap<String, Vec<u64>>,
}

/// 緊急措置を賄えない管理者ごとの内訳.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EmergencyShortfall {
    /// 管理者ID.
    pub owner_id: String,
    /// 期限までの予算合計.
    pub available_yen: u64,
    /// 緊急措置の最低費用合計 (cheapest repair of every IV item).
    pub required_yen: u64,
    /// 不足額: at least this much more budget is needed.
    pub short_by_yen: u64,
    /// 予算に収まらない施設 (asset id, cheapest repair cost; `None` = no option improves it).
    pub unfunded: Vec<(String, Option<u64>)>,
}

/// 補修計画のエラー.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PlanError {
    /// Malformed problem.
    #[error("入力が不正です: {0}")]
    Invalid(String),
    /// Mandatory emergency repairs exceed the budget.
    #[error("緊急措置（判定区分IV）の補修を期限内の予算で賄えません: {}", describe(.0))]
    EmergencyUnfunded(Vec<EmergencyShortfall>),
    /// The solver failed.
    #[error("最適化ソルバーが解を得られませんでした: {0}")]
    Solver(String),
}

fn describe(shortfalls: &[EmergencyShortfall]) -> String {
    let parts: Vec<String> = shortfalls
        .iter()
        .map(|s| {
            let items: Vec<String> = s
                .unfunded
                .iter()
                .map(|(id, cost)| match cost {
                    Some(c) => format!("{id}（{c} 円）"),
                    None => format!("{id}（改善する工法なし）"),
                })
                .collect();
            format!(
                "{}: 予算 {} 円に対し必要額 {} 円、{} 円不足。対象 {}",
                s.owner_id,
                s.available_yen,
                s.required_yen,
                s.short_by_yen,
                items.join("、")
            )
        })
        .collect();
    parts.join(" / ")
}

impl Problem {
    /// Validate shapes and numbers.
    pub fn validate(&self) -> Result<(), PlanError> {
        let n = self.horizon_years;
        if n == 0 {
            return Err(PlanError::Invalid("計画期間は1年以上にしてください".into()));
        }
        if let Some(d) = self.emergency_deadline_year
            && !(1..=n).contains(&d)
        {
            return Err(PlanError::Invalid(format!("緊急措置の期限 {d} 年目が計画期間 {n} 年の範囲外です")));
        }
        for (owner, b) in &self.budgets {
            if b.len() != n as usize {
                return Err(PlanError::Invalid(format!(
                    "{owner} の予算が {} 年分あります（計画期間 {n} 年）",
                    b.len()
                )));
            }
        }
        for c in &self.candidates {
            if !self.budgets.contains_key(&c.owner_id) {
                return Err(PlanError::Invalid(format!("{} の管理者 {} の予算がありません", c.asset_id, c.owner_id)));
            }
            let values = std::iter::once(c.do_nothing_benefit).chain(c.options.iter().map(|o| o.annual_benefit));
            if values.into_iter().any(|v| !v.is_finite()) {
                return Err(PlanError::Invalid(format!("{} の便益に不正な値があります", c.asset_id)));
            }
        }
        Ok(())
    }

    /// Whether candidate `c` is a mandatory emergency repair.
    pub fn is_mandatory(&self, c: usize) -> bool {
        self.emergency_deadline_year.is_some() && self.candidates[c].grade == Grade::IV
    }

    /// Whether choosing option `o` in `year` is allowed for candidate `c`:
    /// a mandatory item may only take an improving option by the deadline.
    pub fn allowed(&self, c: usize, o: usize, year: u32) -> bool {
        let cand = &self.candidates[c];
        match self.emergency_deadline_year {
            Some(d) if cand.grade == Grade::IV => year <= d && cand.options[o].resulting_grade < cand.grade,
            _ => true,
        }
    }

    /// 便益の増分 of choosing option `o` in `year` over leaving `c` alone:
    /// (option value − do-nothing value) × years remaining (N − year + 1).
    pub fn gain(&self, c: usize, o: usize, year: u32) -> f64 {
        let cand = &self.candidates[c];
        let years_in_effect = f64::from(self.horizon_years - year + 1);
        (cand.options[o].annual_benefit - cand.do_nothing_benefit) * years_in_effect
    }

    /// 総便益 of doing nothing anywhere.
    pub fn baseline(&self) -> f64 {
        let n = f64::from(self.horizon_years);
        self.candidates.iter().map(|c| c.do_nothing_benefit * n).sum()
    }

    /// Build a [`Plan`] from per-candidate choices (no feasibility check).
    pub fn plan_from(&self, choices: Vec<Option<Choice>>) -> Plan {
        let mut spend: BTreeMap<String, Vec<u64>> =
            self.budgets.keys().map(|k| (k.clone(), vec![0; self.horizon_years as usize])).collect();
        let mut actions = Vec::new();
        let mut gain = 0.0;
        for (c, ch) in choices.iter().enumerate() {
            let Some(ch) = ch else { continue };
            let cand = &self.candidates[c];
            let opt = &cand.options[ch.option];
            gain += self.gain(c, ch.option, ch.year);
            if let Some(s) = spend.get_mut(&cand.owner_id) {
                s[ch.year as usize - 1] += opt.cost_yen;
            }
            actions.push(Action {
                candidate: c,
                asset_id: cand.asset_id.clone(),
                owner_id: cand.owner_id.clone(),
                option_name: opt.name.clone(),
                option: ch.option,
                year: ch.year,
                cost_yen: opt.cost_yen,
                grade_before: cand.grade,
                grade_after: opt.resulting_grade,
            });
        }
        actions.sort_by_key(|a| (a.year, a.candidate));
        Plan { actions, choices, total_benefit: self.baseline() + gain, benefit_gain: gain, spend }
    }

    /// 緊急措置の事前確認: place every IV item's cheapest improving option into the
    /// earliest year (≤ deadline) that still has room, cheapest items first
    /// (this maximises how many get funded). Returns the placement, or the
    /// shortfall per owner when some items do not fit.
    ///
    /// With a deadline of year 1 this is exact. With a later deadline the
    /// first-fit packing can miss a feasible arrangement; [`solve_milp`] then
    /// still tries the exact model before reporting the shortfall.
    pub fn place_emergencies(&self) -> Result<Vec<Option<Choice>>, Vec<EmergencyShortfall>> {
        let mut choices = vec![None; self.candidates.len()];
        let Some(deadline) = self.emergency_deadline_year else {
            return Ok(choices);
        };
        let mut shortfalls = Vec::new();
        for (owner, budget) in &self.budgets {
            let mut left: Vec<u64> = budget[..deadline as usize].to_vec();
            let available: u64 = left.iter().sum();
            // (candidate, cheapest improving option)
            let mut items: Vec<(usize, Option<usize>)> = (0..self.candidates.len())
                .filter(|&c| self.is_mandatory(c) && self.candidates[c].owner_id == *owner)
                .map(|c| {
                    let cand = &self.candidates[c];
                    let best = (0..cand.options.len())
                        .filter(|&o| self.allowed(c, o, 1))
                        .min_by_key(|&o| (cand.options[o].cost_yen, o));
                    (c, best)
                })
                .collect();
            let cost = |&(c, o): &(usize, Option<usize>)| o.map(|o| self.candidates[c].options[o].cost_yen);
            items.sort_by_key(|it| (cost(it).unwrap_or(u64::MAX), it.0));
            let required: u64 = items.iter().filter_map(cost).sum();
            let mut unfunded = Vec::new();
            for it in &items {
                let (c, Some(o)) = *it else {
                    unfunded.push((self.candidates[it.0].asset_id.clone(), None));
                    continue;
                };
                let price = self.candidates[c].options[o].cost_yen;
                match left.iter().position(|&l| l >= price) {
                    Some(y) => {
                        left[y] -= price;
                        choices[c] = Some(Choice { option: o, year: y as u32 + 1 });
                    }
                    None => unfunded.push((self.candidates[c].asset_id.clone(), Some(price))),
                }
            }
            if unfunded.is_empty() {
                continue;
            }
            // Not enough money in total, or (later deadlines) enough in total but no
            // single year has room for the first leftover item.
            let short_by = if required > available {
                required - available
            } else {
                let first = unfunded.iter().find_map(|(_, c)| *c).unwrap_or(0);
                left.iter().map(|&l| first.saturating_sub(l)).min().unwrap_or(first)
            };
            shortfalls.push(EmergencyShortfall {
                owner_id: owner.clone(),
                available_yen: available,
                required_yen: required,
                short_by_yen: short_by,
                unfunded,
            });
        }
        if shortfalls.is_empty() { Ok(choices) } else { Err(shortfalls) }
    }

    /// Check a plan against every rule: one repair per candidate, allowed
    /// options/years, mandatory items present, budgets respected.
    pub fn check(&self, choices: &[Option<Choice>]) -> Result<(), String> {
        if choices.len() != self.candidates.len() {
            return Err("候補数と選択数が一致しません".into());
        }
        let mut spend: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for (c, ch) in choices.iter().enumerate() {
            let cand = &self.candidates[c];
            match ch {
                None if self.is_mandatory(c) => {
                    return Err(format!("{} は緊急措置が必要です", cand.asset_id));
                }
                None => {}
                Some(ch) => {
                    if ch.option >= cand.options.len() || !(1..=self.horizon_years).contains(&ch.year) {
                        return Err(format!("{} の選択が範囲外です", cand.asset_id));
                    }
                    if !self.allowed(c, ch.option, ch.year) {
                        return Err(format!("{} の工法または年度が緊急措置の条件を満たしません", cand.asset_id));
                    }
                    let s = spend.entry(cand.owner_id.as_str()).or_insert_with(|| vec![0; self.horizon_years as usize]);
                    s[ch.year as usize - 1] += cand.options[ch.option].cost_yen;
                }
            }
        }
        for (owner, s) in spend {
            let budget = &self.budgets[owner];
            for (y, (&used, &cap)) in s.iter().zip(budget).enumerate() {
                if used > cap {
                    return Err(format!("{owner} の {} 年目の支出 {used} 円が予算 {cap} 円を超えます", y + 1));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "repair_plan_tests.rs"]
mod tests;
