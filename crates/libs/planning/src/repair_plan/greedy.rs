//! 増分便益費用比による貪欲法 (incremental benefit/cost greedy heuristic).
//!
//! For instances too large for the exact MILP. Same rules as the MILP; the
//! result is feasible but not necessarily optimal.
//!
//! 1. Place the 判定区分IV items first (cheapest improving option, earliest
//!    year with room; see [`Problem::place_emergencies`]).
//! 2. Repeatedly apply the best *move*: give a candidate a repair, or switch its
//!    repair to another option/year, ranked by incremental benefit ÷
//!    incremental cost (moves that add benefit without adding cost first).
//!    A switch, not only an addition, is allowed because the cheapest option
//!    chosen early may later be worth upgrading when money is left over.
//! 3. Stop when no move adds benefit within the budgets.
//!
//! Each move strictly increases total benefit, so the loop terminates. Moves
//! only change one owner's spending, so only that owner's candidates need
//! their best move recomputed.

use std::cmp::Ordering;

use super::{Choice, Plan, PlanError, Problem};

/// Gains below this are treated as no improvement (float noise).
const MIN_IMPROVEMENT: f64 = 1e-9;

#[derive(Debug, Clone, Copy)]
struct Move {
    choice: Choice,
    /// 1 when the move adds benefit without adding cost, else 0.
    free: u8,
    /// Incremental benefit per yen (or the benefit itself when `free`).
    score: f64,
}

/// 貪欲法で補修計画を求める (solve with the incremental benefit/cost heuristic).
pub fn solve_greedy(problem: &Problem) -> Result<Plan, PlanError> {
    problem.validate()?;
    let mut choices = problem.place_emergencies().map_err(PlanError::EmergencyUnfunded)?;
    let owners: Vec<&String> = problem.budgets.keys().collect();
    let owner_of: Vec<usize> =
        problem.candidates.iter().map(|c| owners.iter().position(|o| **o == c.owner_id).unwrap_or(0)).collect();
    let mut spend: Vec<Vec<u64>> = vec![vec![0; problem.horizon_years as usize]; owners.len()];
    for (c, ch) in choices.iter().enumerate() {
        if let Some(ch) = ch {
            spend[owner_of[c]][ch.year as usize - 1] += problem.candidates[c].options[ch.option].cost_yen;
        }
    }

    let best_for = |c: usize, choices: &[Option<Choice>], spend: &[Vec<u64>]| -> Option<Move> {
        let cand = &problem.candidates[c];
        let budget = &problem.budgets[&cand.owner_id];
        let w = owner_of[c];
        let (cur_gain, cur_cost, cur_year) = match choices[c] {
            Some(ch) => (problem.gain(c, ch.option, ch.year), cand.options[ch.option].cost_yen, ch.year),
            None => (0.0, 0, 0),
        };
        let mut best: Option<Move> = None;
        for (o, opt) in cand.options.iter().enumerate() {
            for y in 1..=problem.horizon_years {
                if !problem.allowed(c, o, y) {
                    continue;
                }
                let db = problem.gain(c, o, y) - cur_gain;
                if db <= MIN_IMPROVEMENT {
                    continue;
                }
                let freed = if cur_year == y { cur_cost } else { 0 };
                if spend[w][y as usize - 1] - freed + opt.cost_yen > budget[y as usize - 1] {
                    continue;
                }
                let dc = opt.cost_yen as f64 - cur_cost as f64;
                let m = if dc <= 0.0 {
                    Move { choice: Choice { option: o, year: y }, free: 1, score: db }
                } else {
                    Move { choice: Choice { option: o, year: y }, free: 0, score: db / dc }
                };
                // Within one candidate, first found wins ties (lower option, earlier year).
                if best.is_none_or(|b| rank(&m, &b) == Ordering::Greater) {
                    best = Some(m);
                }
            }
        }
        best
    };

    let mut best: Vec<Option<Move>> = (0..problem.candidates.len()).map(|c| best_for(c, &choices, &spend)).collect();
    loop {
        // Highest rank wins; at equal rank the higher grade (IV→III→II), then input order.
        let mut pick: Option<usize> = None;
        for (c, m) in best.iter().enumerate() {
            let Some(m) = m else { continue };
            let better = match pick {
                None => true,
                Some(p) => {
                    let pm = best[p].as_ref().expect("picked move exists");
                    match rank(m, pm) {
                        Ordering::Greater => true,
                        Ordering::Less => false,
                        Ordering::Equal => problem.candidates[c].grade > problem.candidates[p].grade,
                    }
                }
            };
            if better {
                pick = Some(c);
            }
        }
        let Some(c) = pick else { break };
        let m = best[c].expect("picked move exists");
        let cand = &problem.candidates[c];
        let w = owner_of[c];
        if let Some(old) = choices[c] {
            spend[w][old.year as usize - 1] -= cand.options[old.option].cost_yen;
        }
        spend[w][m.choice.year as usize - 1] += cand.options[m.choice.option].cost_yen;
        choices[c] = Some(m.choice);
        for (d, slot) in best.iter_mut().enumerate() {
            if owner_of[d] == w {
                *slot = best_for(d, &choices, &spend);
            }
        }
    }
    problem.check(&choices).map_err(PlanError::Solver)?;
    Ok(problem.plan_from(choices))
}

fn rank(a: &Move, b: &Move) -> Ordering {
    a.free.cmp(&b.free).then(a.score.total_cmp(&b.score))
}
