//! 混合整数計画 (MILP) formulation, solved with good_lp's pure-Rust microlp backend.
//!
//! Variables: binary `x[c][o][y]` = repair candidate `c` with option `o` in year `y`.
//!
//! * objective: maximise Σ gain(c, o, y) · x + tie-break term (below);
//!   the do-nothing baseline is a constant and is added back afterwards.
//! * one repair per candidate: Σ_{o,y} x[c][o][y] ≤ 1 (= 1 for 判定区分IV items).
//! * budgets: Σ_{c of owner w, o} cost · x[c][o][y] ≤ budget[w][y] for every owner and year.
//!
//! Variables that can never be useful are not created, which keeps the
//! branch-and-bound small: options costing more than the owner's budget that
//! year, options that are not allowed (IV items after the deadline or without
//! improvement), and — for optional items — repairs with no positive gain.

use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, variable};

use super::{Choice, Plan, PlanError, Problem};

/// 計算時間の上限: branch and bound can run for minutes on a tight budget; after this the solver
/// stops and reports an error (the caller falls back to the greedy heuristic), so a request
/// never leaves a solver running.
pub const TIME_LIMIT_SECONDS: f64 = 2.5;

/// Total weight of the tie-break term, relative to the largest gain coefficient.
///
/// 同便益ならIV→III→IIの順 (at equal benefit prefer IV, then III, then II): each
/// repair of a candidate in grade g adds `(g − 1) · ε`, with
/// `ε = TIE_BREAK · max|gain| / (3 · candidates)`, so the whole term is below
/// `TIE_BREAK · max|gain|`. Benefit differences smaller than that are treated
/// as ties. The factor is kept well above microlp's relative pruning tolerance
/// (1e-9) so that the solver really distinguishes tied plans.
pub const TIE_BREAK: f64 = 1e-4;

/// 最適な補修計画を求める (solve exactly as a MILP).
///
/// Returns [`PlanError::EmergencyUnfunded`] listing the IV items that cannot be
/// funded when the model is infeasible because of them.
pub fn solve_milp(problem: &Problem) -> Result<Plan, PlanError> {
    problem.validate()?;
    let placement = problem.place_emergencies();

    let mut vars = ProblemVariables::new();
    // (candidate, option, year, variable, gain)
    let mut xs: Vec<(usize, usize, u32, Variable, f64)> = Vec::new();
    for (c, cand) in problem.candidates.iter().enumerate() {
        let budget = &problem.budgets[&cand.owner_id];
        for (o, opt) in cand.options.iter().enumerate() {
            for y in 1..=problem.horizon_years {
                let gain = problem.gain(c, o, y);
                let useful = problem.is_mandatory(c) || gain > 0.0;
                if useful && problem.allowed(c, o, y) && opt.cost_yen <= budget[y as usize - 1] {
                    xs.push((c, o, y, vars.add(variable().binary()), gain));
                }
            }
        }
    }
    // A mandatory item without any variable cannot be repaired at all.
    if let Err(shortfalls) = &placement {
        let no_var = (0..problem.candidates.len()).any(|c| problem.is_mandatory(c) && !xs.iter().any(|x| x.0 == c));
        if no_var {
            return Err(PlanError::EmergencyUnfunded(shortfalls.clone()));
        }
    }

    let scale = xs.iter().map(|x| x.4.abs()).fold(0.0, f64::max).max(1.0);
    let eps = TIE_BREAK * scale / (3.0 * problem.candidates.len().max(1) as f64);
    let mut objective = Expression::with_capacity(xs.len());
    for &(c, _, _, v, gain) in &xs {
        let rank = f64::from(problem.candidates[c].grade.level() - 1);
        objective.add_mul(gain + rank * eps, v);
    }

    let mut model =
        good_lp::WithTimeLimit::with_time_limit(vars.maximise(objective).using(good_lp::microlp), TIME_LIMIT_SECONDS);
    for c in 0..problem.candidates.len() {
        let mut sum = Expression::from(0.0);
        let mut any = false;
        for x in xs.iter().filter(|x| x.0 == c) {
            sum += x.3;
            any = true;
        }
        if !any {
            continue;
        }
        model = if problem.is_mandatory(c) {
            model.with(constraint!(sum == 1.0))
        } else {
            model.with(constraint!(sum <= 1.0))
        };
    }
    for (owner, budget) in &problem.budgets {
        for (yi, &cap) in budget.iter().enumerate() {
            let year = yi as u32 + 1;
            let mut spend = Expression::from(0.0);
            let mut any = false;
            for &(c, o, y, v, _) in &xs {
                let cand = &problem.candidates[c];
                if y == year && cand.owner_id == *owner {
                    spend.add_mul(cand.options[o].cost_yen as f64, v);
                    any = true;
                }
            }
            if any {
                model = model.with(constraint!(spend <= cap as f64));
            }
        }
    }

    let solution = match model.solve() {
        Ok(s) => s,
        Err(good_lp::ResolutionError::Infeasible) => {
            // Only the mandatory equalities can make this model infeasible.
            return Err(match placement {
                Err(shortfalls) => PlanError::EmergencyUnfunded(shortfalls),
                Ok(_) => PlanError::Solver("実行可能解がありません".into()),
            });
        }
        Err(e) => return Err(PlanError::Solver(e.to_string())),
    };
    // Stopped by the time limit: the plan is feasible but not proven best; the caller decides
    // (the service falls back to the greedy heuristic and says so).
    if matches!(good_lp::Solution::status(&solution), good_lp::SolutionStatus::TimeLimit) {
        return Err(PlanError::Solver(format!("{TIME_LIMIT_SECONDS}秒以内に最適解が確定しませんでした")));
    }
    let mut choices = vec![None; problem.candidates.len()];
    for &(c, o, y, v, _) in &xs {
        if solution.value(v) > 0.5 {
            choices[c] = Some(Choice { option: o, year: y });
        }
    }
    // Guard against numerical surprises: never hand out a plan that breaks a rule.
    problem.check(&choices).map_err(PlanError::Solver)?;
    Ok(problem.plan_from(choices))
}
