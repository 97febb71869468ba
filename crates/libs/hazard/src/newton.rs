//! ニュートン・ラフソン法 (Newton–Raphson) on the joint log-likelihood of all estimable
//! grades.

use crate::HazardError;
use crate::Matrix;
use crate::divdiff::log_prob;

/// One observation as a path through the estimable grades.
#[derive(Debug, Clone)]
pub(crate) struct PathObs {
    /// 0-based grade the pair starts in.
    pub first: usize,
    /// Number of hazards on the path (grades first..first+n_par).
    pub n_par: usize,
    /// Number of transitions made; equals `n_par` when the path ends in an absorbing state.
    pub n_trans: usize,
    /// The path ends by having reached an absorbing (or censoring) grade.
    pub absorbing: bool,
    pub z: f64,
}

/// The likelihood: observations, their design rows and the parameter layout.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub obs: Vec<PathObs>,
    /// Row-major design, `k` values per observation, the first being the constant 1.
    pub x: Vec<f64>,
    pub k: usize,
    /// Parameter block of each 0-based grade; `None` for grades that are not estimated.
    pub block: Vec<Option<usize>>,
    pub n_blocks: usize,
}

pub(crate) struct Evaluation {
    pub ll: f64,
    pub grad: Vec<f64>,
    /// Row-major Hessian of the log-likelihood.
    pub hess: Vec<f64>,
}

pub(crate) struct Optimum {
    pub beta: Vec<f64>,
    pub ll: f64,
    pub hess: Vec<f64>,
    pub iterations: usize,
}

/// Stop when the Newton decrement gᵀ(−H)⁻¹g (about twice the remaining possible gain in
/// ln L) falls below this.
const TOLERANCE: f64 = 1e-9;
/// If the line search cannot improve although the decrement is this small, the remaining
/// gain is within floating-point noise of ln L and the point is accepted (it is then within
/// about 1 % of a standard error of the maximum).
const NOISE_TOLERANCE: f64 = 1e-4;
/// Largest change of any (standardised) parameter in one step: a factor e² in a hazard.
/// Stops a poor early quadratic model from throwing hazards into overflow.
const MAX_STEP: f64 = 2.0;

impl Problem {
    pub fn n_params(&self) -> usize {
        self.n_blocks * self.k
    }

    /// ln L and, if `derivs`, its gradient and Hessian with respect to β.
    pub fn evaluate(&self, beta: &[f64], derivs: bool) -> Evaluation {
        let np = self.n_params();
        let k = self.k;
        let mut ll = 0.0;
        let (mut grad, mut hess) = if derivs { (vec![0.0; np], vec![0.0; np * np]) } else { (Vec::new(), Vec::new()) };
        let mut nodes = Vec::with_capacity(self.block.len() + 1);
        let mut blocks = Vec::with_capacity(self.block.len());
        for (o, ob) in self.obs.iter().enumerate() {
            let x = &self.x[o * k..(o + 1) * k];
            nodes.clear();
            blocks.clear();
            for g in ob.first..ob.first + ob.n_par {
                let b = self.block[g].expect("paths only cross estimated grades");
                let lin: f64 = x.iter().zip(&beta[b * k..(b + 1) * k]).map(|(a, c)| a * c).sum();
                nodes.push(lin.exp());
                blocks.push(b);
            }
            if ob.absorbing {
                nodes.push(0.0);
            }
            if !nodes.iter().all(|v| v.is_finite()) {
                return minus_infinity();
            }
            let lp = log_prob(&nodes, ob.n_par, ob.n_trans, ob.z, derivs);
            if !lp.value.is_finite() {
                return minus_infinity();
            }
            ll += lp.value;
            if !derivs {
                continue;
            }
            // θ_m = exp(x·β_m): ∂/∂β_m = x ∂/∂ln θ_m, so each path derivative spreads over
            // the block of its grade as an outer product with the design row.
            for (m, &bm) in blocks.iter().enumerate() {
                for (c, xc) in x.iter().enumerate() {
                    grad[bm * k + c] += lp.grad[m] * xc;
                }
                for (n, &bn) in blocks.iter().enumerate() {
                    let h = lp.hess[m * ob.n_par + n];
                    for (c, xc) in x.iter().enumerate() {
                        let row = (bm * k + c) * np + bn * k;
                        for (d, xd) in x.iter().enumerate() {
                            hess[row + d] += h * xc * xd;
                        }
                    }
                }
            }
        }
        Evaluation { ll, grad, hess }
    }
}

fn minus_infinity() -> Evaluation {
    Evaluation { ll: f64::NEG_INFINITY, grad: Vec::new(), hess: Vec::new() }
}

/// Maximise ln L from `start` by Newton–Raphson with step halving (Armijo condition).
pub(crate) fn maximise(problem: &Problem, start: Vec<f64>, max_iter: usize) -> Result<Optimum, HazardError> {
    let mut beta = start;
    let mut cur = problem.evaluate(&beta, true);
    if !cur.ll.is_finite() {
        return Err(HazardError::NotConverged(0));
    }
    for iter in 0..=max_iter {
        let d = ascent_direction(&cur.grad, &cur.hess);
        let decrement: f64 = cur.grad.iter().zip(&d).map(|(g, s)| g * s).sum();
        if decrement < TOLERANCE {
            return Ok(Optimum { beta, ll: cur.ll, hess: cur.hess, iterations: iter });
        }
        if iter == max_iter {
            break;
        }
        let largest = d.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let mut t = if largest > MAX_STEP { MAX_STEP / largest } else { 1.0 };
        let mut accepted = None;
        for _ in 0..60 {
            let trial: Vec<f64> = beta.iter().zip(&d).map(|(b, s)| b + t * s).collect();
            let ll = problem.evaluate(&trial, false).ll;
            if ll.is_finite() && ll >= cur.ll + 1e-4 * t * decrement {
                accepted = Some(trial);
                break;
            }
            t *= 0.5;
        }
        match accepted {
            Some(b) => {
                beta = b;
                cur = problem.evaluate(&beta, true);
            }
            None if decrement < NOISE_TOLERANCE => {
                return Ok(Optimum { beta, ll: cur.ll, hess: cur.hess, iterations: iter });
            }
            None => return Err(HazardError::NotConverged(iter)),
        }
    }
    Err(HazardError::NotConverged(max_iter))
}

/// Newton direction (−H)⁻¹ g. Where −H is not positive definite (far from the optimum) a
/// multiple of its diagonal scale is added until it is (Levenberg), which bends the step
/// towards steepest ascent but keeps it an ascent direction.
fn ascent_direction(grad: &[f64], hess: &[f64]) -> Vec<f64> {
    let n = grad.len();
    let info = Matrix::from_row_slice(n, n, hess).map(|v| -v);
    let g = nalgebra::DVector::from_column_slice(grad);
    let scale = info.diagonal().iter().fold(0.0f64, |a, v| a.max(v.abs())).max(1e-12);
    let mut lambda = 0.0;
    for _ in 0..30 {
        let shifted = &info + Matrix::identity(n, n) * lambda;
        if let Some(ch) = shifted.cholesky() {
            return ch.solve(&g).iter().copied().collect();
        }
        lambda = if lambda == 0.0 { 1e-8 * scale } else { lambda * 10.0 };
    }
    grad.iter().map(|v| v / scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hazards;

    /// Outcome counts proportional to the true transition probabilities (no sampling noise),
    /// so the maximum is close to the true hazards.
    fn expected_counts_problem() -> Problem {
        let h = Hazards(vec![0.08, 0.15, 0.25]);
        let mut obs = Vec::new();
        for z in [2.0, 5.0, 9.0] {
            let p = h.transition(z);
            for i in 0..3 {
                for j in i..4 {
                    let count = (p[(i, j)] * 300.0).round() as usize;
                    let absorbing = j == 3;
                    let n_par = if absorbing { 3 - i } else { j - i + 1 };
                    let ob = PathObs { first: i, n_par, n_trans: j - i, absorbing, z };
                    obs.extend(std::iter::repeat_n(ob, count));
                }
            }
        }
        Problem { x: vec![1.0; obs.len()], obs, k: 1, block: vec![Some(0), Some(1), Some(2)], n_blocks: 3 }
    }

    #[test]
    fn converges_from_poor_starts() {
        let problem = expected_counts_problem();
        let truth = [0.08f64, 0.15, 0.25];
        let reference = maximise(&problem, truth.iter().map(|t| t.ln()).collect(), 100).unwrap();
        // Equal starting hazards also exercise the matrix-exponential route.
        for start in [[0.0; 3], [-7.0; 3], [1.5, -4.0, 0.5]] {
            let opt = maximise(&problem, start.to_vec(), 100).unwrap();
            assert!((opt.ll - reference.ll).abs() < 1e-7, "start {start:?}");
            for (a, b) in opt.beta.iter().zip(&reference.beta) {
                assert!((a - b).abs() < 1e-5, "start {start:?}: {:?}", opt.beta);
            }
        }
        for (b, t) in reference.beta.iter().zip(truth) {
            assert!((b.exp() - t).abs() < 0.01 * t, "{:?}", reference.beta);
        }
    }

    #[test]
    fn analytic_gradient_matches_the_likelihood() {
        let problem = expected_counts_problem();
        let beta = vec![-2.0, -2.2, -1.0];
        let at = problem.evaluate(&beta, true);
        let h = 1e-6;
        for i in 0..3 {
            let mut up = beta.clone();
            up[i] += h;
            let mut down = beta.clone();
            down[i] -= h;
            let numeric = (problem.evaluate(&up, false).ll - problem.evaluate(&down, false).ll) / (2.0 * h);
            assert!((numeric - at.grad[i]).abs() < 1e-4 * (1.0 + numeric.abs()), "{i}");
        }
    }
}
