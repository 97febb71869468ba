//! 最尤推定 (maximum-likelihood estimation) of the hazards from 点検結果の組 (pairs of
//! consecutive inspections of the same member).
//!
//! # What is used
//! * Pairs with a 補修 (repair) between the inspections are excluded and counted, since the
//!   model has no recovery.
//! * Pairs whose grade improved without a repair are excluded and listed: they contradict the
//!   model and usually point at inspection or data-entry differences worth checking.
//! * Pairs starting in the worst grade carry no information (it is absorbing) and are counted.
//!
//! # Grades that cannot be estimated
//! A grade is 推定不能 (not estimated) when fewer than `min_pairs_per_grade` usable pairs
//! start in it, when no pair is seen to leave it (the estimate would be 0), or when no pair is
//! seen to stay in it (the estimate would run off to infinity). No fallback value is invented
//! for such a grade. Instead it acts as a 打ち切り (censoring) point: a pair from a lower grade
//! that ended at or beyond it only tells that the asset had *reached* it, and that is how it
//! enters the likelihood, which then depends only on the hazards below. Pairs starting in an
//! unestimated grade are left out (counted in `skipped_unestimated_start`). The chain
//! thereby splits into independent segments, and every reported hazard is a genuine maximum-
//! likelihood estimate from the information that does not involve the unestimated grades.

use serde::{Deserialize, Serialize};

use crate::newton::{PathObs, Problem, maximise};
use crate::{HazardError, Hazards, Matrix, grade_label};

/// 点検結果の組 (one pair of consecutive inspections).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pair {
    /// 前回の健全性 (grade at the earlier inspection), 1-based.
    pub from: usize,
    /// 今回の健全性 (grade at the later inspection), 1-based.
    pub to: usize,
    /// 点検間隔 (years between the inspections), > 0.
    pub years: f64,
    /// 共変量 (covariates, e.g. traffic, distance from the coast), without the constant.
    pub covariates: Vec<f64>,
    /// 補修の有無 (whether the member was repaired between the inspections).
    pub repaired_between: bool,
}

/// 推定の設定 (fit options).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FitOptions {
    /// 健全性の段階数 J (4 for road bridges).
    pub grades: usize,
    /// 共変量の名前, one per entry of [`Pair::covariates`]; used in messages and output.
    pub covariate_names: Vec<String>,
    /// 最少件数: grades with fewer usable pairs starting in them are not estimated.
    pub min_pairs_per_grade: usize,
    /// 最大反復回数 of Newton–Raphson.
    pub max_iter: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { grades: 4, covariate_names: Vec::new(), min_pairs_per_grade: 10, max_iter: 100 }
    }
}

/// 推定結果 (fit result). Vectors indexed by grade have J − 1 entries (grade 1 first).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Fit {
    /// 健全性の段階数 J.
    pub grades: usize,
    pub covariate_names: Vec<String>,
    /// 共変量の平均 over the pairs used, at which `theta` is evaluated (zeros when no grade
    /// could be estimated).
    pub covariate_means: Vec<f64>,
    /// ハザード率 (per year) at the mean covariates; `None` if not estimated.
    pub theta: Vec<Option<f64>>,
    /// 標準誤差 of `theta` (delta method).
    pub theta_std_err: Vec<Option<f64>>,
    /// 係数 β_i: constant first, then one per covariate, so θ_i = exp(β_i · (1, x)).
    pub beta: Vec<Option<Vec<f64>>>,
    /// 標準誤差 of `beta`, from the inverse of the observed Fisher information.
    pub std_err: Vec<Option<Vec<f64>>>,
    /// 最大対数尤度 (maximised log-likelihood of the pairs used; 0 when no grade could be
    /// estimated). Pairs censored at an unestimated grade enter as "reached that grade".
    pub log_likelihood: f64,
    /// Newton–Raphson steps taken.
    pub iterations: usize,
    /// Pairs that entered the likelihood.
    pub pairs_used: usize,
    /// Pairs with a repair between the inspections (excluded).
    pub excluded_repaired: usize,
    /// Indices of pairs whose grade improved without a repair (excluded).
    pub improved_without_repair: Vec<usize>,
    /// Pairs starting in the worst grade (no information; excluded).
    pub skipped_worst_grade: usize,
    /// Pairs starting in a grade that could not be estimated (excluded).
    pub skipped_unestimated_start: usize,
    /// 推定できなかった健全性 (grade, reason in Japanese).
    pub not_estimated: Vec<(usize, String)>,
}

impl Fit {
    /// The estimated hazards at the mean covariates, if every grade was estimated.
    pub fn hazards(&self) -> Option<Hazards> {
        self.theta.iter().copied().collect::<Option<Vec<f64>>>().map(Hazards)
    }

    /// Hazards for an asset with the given covariates, if every grade was estimated.
    ///
    /// # Panics
    /// If `covariates` does not have one value per covariate name.
    pub fn hazards_for(&self, covariates: &[f64]) -> Option<Hazards> {
        assert_eq!(covariates.len(), self.covariate_names.len(), "共変量の数が違います");
        self.beta
            .iter()
            .map(|b| {
                b.as_ref().map(|b| {
                    let lin = b[0] + b[1..].iter().zip(covariates).map(|(c, x)| c * x).sum::<f64>();
                    lin.exp()
                })
            })
            .collect::<Option<Vec<f64>>>()
            .map(Hazards)
    }
}

/// Standardised hazards outside this range (per year) are reported as diverged rather than
/// printed: 1e-6 is a million-year sojourn, 1e3 a sojourn of hours.
const PLAUSIBLE_THETA: (f64, f64) = (1e-6, 1e3);
/// Largest plausible effect of one standard deviation of a covariate on ln θ.
const PLAUSIBLE_SLOPE: f64 = 15.0;

/// 指数ハザードモデルの推定 (fit the exponential hazard model by maximum likelihood).
/// See the module documentation for which pairs are used.
pub fn fit(pairs: &[Pair], opts: &FitOptions) -> Result<Fit, HazardError> {
    let grades = opts.grades;
    if grades < 2 {
        return Err(HazardError::TooFewGrades(grades));
    }
    let q = opts.covariate_names.len();
    let mut excluded_repaired = 0;
    let mut improved_without_repair = Vec::new();
    let mut skipped_worst_grade = 0;
    let mut candidates: Vec<&Pair> = Vec::new();
    for (index, p) in pairs.iter().enumerate() {
        validate_pair(index, p, opts)?;
        if p.repaired_between {
            excluded_repaired += 1;
        } else if p.to < p.from {
            improved_without_repair.push(index);
        } else if p.from == grades {
            skipped_worst_grade += 1;
        } else {
            candidates.push(p);
        }
    }
    if candidates.is_empty() {
        return Err(HazardError::NoUsablePairs);
    }

    let reasons = estimability(&candidates, grades, opts.min_pairs_per_grade);
    let mut block = vec![None; grades - 1];
    let mut n_blocks = 0;
    for (g, r) in reasons.iter().enumerate() {
        if r.is_none() {
            block[g] = Some(n_blocks);
            n_blocks += 1;
        }
    }
    let (used, skipped_unestimated_start): (Vec<&Pair>, Vec<&Pair>) =
        candidates.iter().partition(|p| reasons[p.from - 1].is_none());

    let mut fit = Fit {
        grades,
        covariate_names: opts.covariate_names.clone(),
        covariate_means: vec![0.0; q],
        theta: vec![None; grades - 1],
        theta_std_err: vec![None; grades - 1],
        beta: vec![None; grades - 1],
        std_err: vec![None; grades - 1],
        log_likelihood: 0.0,
        iterations: 0,
        pairs_used: used.len(),
        excluded_repaired,
        improved_without_repair,
        skipped_worst_grade,
        skipped_unestimated_start: skipped_unestimated_start.len(),
        not_estimated: reasons.iter().enumerate().filter_map(|(g, r)| r.clone().map(|r| (g + 1, r))).collect(),
    };
    if used.is_empty() {
        // Every grade is unestimable: the reasons are the result.
        return Ok(fit);
    }

    // Centre and scale the covariates so the constant is ln θ at the mean and Newton works
    // on a well-conditioned problem; results are mapped back to the raw scale below.
    let n = used.len() as f64;
    let mut mean = vec![0.0; q];
    let mut sd = vec![0.0; q];
    for c in 0..q {
        mean[c] = used.iter().map(|p| p.covariates[c]).sum::<f64>() / n;
        let var = used.iter().map(|p| (p.covariates[c] - mean[c]).powi(2)).sum::<f64>() / n;
        sd[c] = var.sqrt();
        // Covariates were checked to be finite, so the spread is a number.
        if sd[c] <= 1e-12 * (1.0 + mean[c].abs()) {
            return Err(HazardError::ConstantCovariate(opts.covariate_names[c].clone()));
        }
    }
    let k = q + 1;
    let mut x = Vec::with_capacity(used.len() * k);
    let mut obs = Vec::with_capacity(used.len());
    for p in &used {
        x.push(1.0);
        x.extend(p.covariates.iter().zip(mean.iter().zip(&sd)).map(|(v, (m, s))| (v - m) / s));
        obs.push(path(p, &block, grades));
    }
    let problem = Problem { obs, x, k, block: block.clone(), n_blocks };

    let mut start = vec![0.0; problem.n_params()];
    for (g, b) in block.iter().enumerate() {
        if let Some(b) = b {
            start[b * k] = crude_hazard(&used, g).ln();
        }
    }
    let opt = maximise(&problem, start, opts.max_iter)?;

    let np = problem.n_params();
    let info = Matrix::from_row_slice(np, np, &opt.hess).map(|v| -v);
    let cov = info.cholesky().ok_or(HazardError::SingularInformation)?.inverse();
    for (g, b) in block.iter().enumerate() {
        let Some(b) = *b else { continue };
        let s = &opt.beta[b * k..(b + 1) * k];
        let theta = s[0].exp();
        if !(PLAUSIBLE_THETA.0..=PLAUSIBLE_THETA.1).contains(&theta) || s[1..].iter().any(|v| v.abs() > PLAUSIBLE_SLOPE)
        {
            return Err(HazardError::Diverged { grade: g + 1, value: theta });
        }
        let cov_s = cov.view((b * k, b * k), (k, k)).into_owned();
        // Raw scale: β_c = β̃_c / sd_c and β_0 = β̃_0 − Σ_c β̃_c mean_c / sd_c, a linear map A,
        // so Cov(β) = A Cov(β̃) Aᵀ.
        let mut a = Matrix::zeros(k, k);
        a[(0, 0)] = 1.0;
        for c in 0..q {
            a[(0, c + 1)] = -mean[c] / sd[c];
            a[(c + 1, c + 1)] = 1.0 / sd[c];
        }
        let beta = &a * nalgebra::DVector::from_column_slice(s);
        let cov_raw = &a * cov_s * a.transpose();
        fit.theta[g] = Some(theta);
        fit.theta_std_err[g] = Some(theta * cov[(b * k, b * k)].sqrt());
        fit.beta[g] = Some(beta.iter().copied().collect());
        fit.std_err[g] = Some(cov_raw.diagonal().iter().map(|v| v.sqrt()).collect());
    }
    fit.covariate_means = mean;
    fit.log_likelihood = opt.ll;
    fit.iterations = opt.iterations;
    Ok(fit)
}

fn validate_pair(index: usize, p: &Pair, opts: &FitOptions) -> Result<(), HazardError> {
    let grades = opts.grades;
    for grade in [p.from, p.to] {
        if !(1..=grades).contains(&grade) {
            return Err(HazardError::BadGrade { index, grade, grades });
        }
    }
    if !(p.years.is_finite() && p.years > 0.0) {
        return Err(HazardError::NonPositiveInterval { index, years: p.years });
    }
    if p.covariates.len() != opts.covariate_names.len() {
        return Err(HazardError::CovariateCount {
            index,
            expected: opts.covariate_names.len(),
            got: p.covariates.len(),
        });
    }
    if let Some(c) = p.covariates.iter().position(|v| !v.is_finite()) {
        return Err(HazardError::NonFiniteCovariate { index, name: opts.covariate_names[c].clone() });
    }
    Ok(())
}

/// Reason each non-absorbing grade (0-based) cannot be estimated, `None` if it can.
///
/// Iterated to a fixed point because marking a grade unestimable cuts the segment above it
/// off from the pairs below, which can leave another grade without an observed exit or stay.
fn estimability(candidates: &[&Pair], grades: usize, min_pairs: usize) -> Vec<Option<String>> {
    let mut reasons: Vec<Option<String>> = (0..grades - 1)
        .map(|g| {
            let n = candidates.iter().filter(|p| p.from == g + 1).count();
            let label = grade_label(g + 1);
            match n {
                _ if n >= min_pairs => None,
                0 => Some(format!("健全性{label}からの組がありません（{min_pairs}件以上必要）")),
                _ => Some(format!("健全性{label}からの組が{n}件しかありません（{min_pairs}件以上必要）")),
            }
        })
        .collect();
    loop {
        let mut changed = false;
        for g in 0..grades - 1 {
            if reasons[g].is_some() {
                continue;
            }
            // Pairs starting in the same segment at or below g are the ones that see grade g.
            let lo = (0..g).rev().find(|&h| reasons[h].is_some()).map_or(0, |h| h + 1);
            let seen = candidates.iter().filter(|p| (lo + 1..=g + 1).contains(&p.from));
            let (mut exits, mut stays) = (0, 0);
            for p in seen {
                if p.to > g + 1 {
                    exits += 1;
                } else if p.to == g + 1 {
                    stays += 1;
                }
            }
            let label = grade_label(g + 1);
            if exits == 0 {
                reasons[g] =
                    Some(format!("健全性{label}から劣化した組がありません（ハザードが0となり推定できません）"));
                changed = true;
            } else if stays == 0 {
                reasons[g] = Some(format!(
                    "健全性{label}にとどまった組がありません（ハザードが無限大に発散するため推定できません）"
                ));
                changed = true;
            }
        }
        if !changed {
            return reasons;
        }
    }
}

/// The path a usable pair contributes: up to its final grade, or, if it ended at or beyond
/// the next unestimated grade (or the worst grade), "reached that grade" as an absorbing end.
fn path(p: &Pair, block: &[Option<usize>], grades: usize) -> PathObs {
    let first = p.from - 1;
    let end = (first..grades - 1).find(|&g| block[g].is_none()).unwrap_or(grades - 1);
    let last = p.to - 1;
    if last >= end {
        PathObs { first, n_par: end - first, n_trans: end - first, absorbing: true, z: p.years }
    } else {
        PathObs { first, n_par: last - first + 1, n_trans: last - first, absorbing: false, z: p.years }
    }
}

/// Starting value: the hazard that would give the observed share of pairs leaving grade g
/// over the mean interval, kept away from 0 and 1 so the log stays finite.
fn crude_hazard(used: &[&Pair], g: usize) -> f64 {
    let from_g: Vec<&&Pair> = used.iter().filter(|p| p.from == g + 1).collect();
    let n = from_g.len().max(1) as f64;
    let left = from_g.iter().filter(|p| p.to > g + 1).count() as f64;
    let share = (left / n).clamp(0.5 / n, 1.0 - 0.5 / n);
    let mean_z = from_g.iter().map(|p| p.years).sum::<f64>() / n;
    (-(1.0 - share).ln() / mean_z.max(1e-9)).clamp(1e-4, 10.0)
}
