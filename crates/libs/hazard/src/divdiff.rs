//! 推移確率の対数とその微分 (log transition probability and its derivatives) for the
//! likelihood.
//!
//! Along the path of grades i, i+1, ..., j the closed form factorises as
//!
//!   π_ij(z) = (Π_{m=i..j−1} ν_m) · E(ν_i, ..., ν_j),
//!   E(ν_0..ν_n) = Σ_k e^{−ν_k z} / Π_{l≠k} (ν_l − ν_k),
//!
//! where E is the divided difference of y ↦ e^{z y} at the nodes y_k = −ν_k. Writing the
//! absorbing end of a path as a node with hazard 0 makes the same formula give the
//! probability of having reached that end (its Laplace transform gains the factor 1/s), so
//! one routine serves both "in grade j" and "reached grade ≥ b".
//!
//! Derivatives of a divided difference with respect to a node are divided differences with
//! that node repeated, which lets the fallback compute exact derivatives with the matrix
//! exponential (Opitz: expm of the bidiagonal matrix with diagonal z·y_k and superdiagonal
//! z has the divided difference in its top-right corner) whenever the closed form loses
//! accuracy because nodes are close to each other relative to 1/z.

use crate::Matrix;

/// Largest tolerated rounding amplification of the closed form, including the extra
/// 1/(gap·z) factors its derivatives carry: keeps Hessian entries to about 1e-9 relative.
const MAX_AMPLIFICATION: f64 = 1e7;

/// ln π and its derivatives with respect to ln ν_m of the parameter nodes.
#[derive(Debug, Clone)]
pub(crate) struct LogProb {
    pub value: f64,
    /// ∂ ln π / ∂ ln ν_m, one per parameter node (empty if not requested).
    pub grad: Vec<f64>,
    /// ∂² ln π / ∂ ln ν_m ∂ ln ν_n, row-major `n_par × n_par` (empty if not requested).
    pub hess: Vec<f64>,
}

/// ln E and, if requested, E_m/E and E_mn/E (derivatives with respect to ν, not ln ν).
struct LogDivDiff {
    ln_e: f64,
    d1: Vec<f64>,
    d2: Vec<f64>,
}

/// Log-probability of a path.
///
/// * `nodes`: hazards along the path; the first `n_par` are parameters, a further trailing
///   node (hazard 0) marks an absorbing end.
/// * `n_trans`: number of transitions made (= leading factors ν_0..ν_{n_trans−1}).
/// * `derivs`: also compute gradient and Hessian.
pub(crate) fn log_prob(nodes: &[f64], n_par: usize, n_trans: usize, z: f64, derivs: bool) -> LogProb {
    let dd = closed_form(nodes, n_par, z, derivs).unwrap_or_else(|| matrix_exponential(nodes, n_par, z, derivs));
    let value = nodes[..n_trans].iter().map(|v| v.ln()).sum::<f64>() + dd.ln_e;
    if !derivs {
        return LogProb { value, grad: Vec::new(), hess: Vec::new() };
    }
    let grad: Vec<f64> = (0..n_par).map(|m| f64::from(u8::from(m < n_trans)) + nodes[m] * dd.d1[m]).collect();
    let mut hess = vec![0.0; n_par * n_par];
    for m in 0..n_par {
        for n in 0..n_par {
            // Chain rule to ln ν: ν_m ν_n ∂² ln E/∂ν_m∂ν_n, plus ν_m ∂ ln E/∂ν_m on the
            // diagonal; the ln ν terms of the leading product are linear and drop out.
            let second = dd.d2[m * n_par + n] - dd.d1[m] * dd.d1[n];
            let mut h = nodes[m] * nodes[n] * second;
            if m == n {
                h += nodes[m] * dd.d1[m];
            }
            hess[m * n_par + n] = h;
        }
    }
    LogProb { value, grad, hess }
}

/// Closed form, scaled by e^{ν_min z} so long intervals do not underflow. `None` when the
/// alternating sum would lose too many digits.
fn closed_form(nodes: &[f64], n_par: usize, z: f64, derivs: bool) -> Option<LogDivDiff> {
    let n = nodes.len();
    let shift = nodes.iter().copied().fold(f64::INFINITY, f64::min);
    let mut a = vec![0.0; n];
    let mut min_gap = f64::INFINITY;
    for (k, ak) in a.iter_mut().enumerate() {
        let mut w = (-(nodes[k] - shift) * z).exp();
        for (l, &nl) in nodes.iter().enumerate() {
            if l != k {
                let d = nl - nodes[k];
                min_gap = min_gap.min(d.abs());
                w /= d;
            }
        }
        *ak = w;
    }
    let e: f64 = a.iter().sum();
    if !(e.is_finite() && e > 0.0) {
        return None;
    }
    let amplification = a.iter().map(|v| v.abs()).sum::<f64>() / e;
    // Each derivative order adds a factor of about 1 + 1/(gap·z). It is applied even when
    // only the value is wanted so that value-only (line search) and full evaluations take
    // the same route at the same point and the two never disagree in the last digits.
    let per_derivative = 1.0 + 1.0 / (min_gap * z);
    let risk = amplification * per_derivative * per_derivative;
    if risk.is_nan() || risk > MAX_AMPLIFICATION {
        return None;
    }
    let ln_e = e.ln() - shift * z;
    if !derivs {
        return Some(LogDivDiff { ln_e, d1: Vec::new(), d2: Vec::new() });
    }
    // g_km = ∂ ln a_k / ∂ν_m and h_kmn = ∂² ln a_k / ∂ν_m ∂ν_n, from
    // ln a_k = −ν_k z − Σ_{l≠k} ln(ν_l − ν_k).
    let inv = |m: usize, k: usize| 1.0 / (nodes[m] - nodes[k]);
    let mut d1 = vec![0.0; n_par];
    let mut d2 = vec![0.0; n_par * n_par];
    let mut g = vec![0.0; n_par];
    for (k, &ak) in a.iter().enumerate() {
        let w = ak / e;
        for (m, gm) in g.iter_mut().enumerate() {
            *gm = if m == k { -z + (0..n).filter(|&l| l != k).map(|l| inv(l, k)).sum::<f64>() } else { -inv(m, k) };
        }
        for m in 0..n_par {
            d1[m] += w * g[m];
            for nn in 0..n_par {
                let h = if m == k && nn == k {
                    (0..n).filter(|&l| l != k).map(|l| inv(l, k).powi(2)).sum::<f64>()
                } else if m == k {
                    -inv(nn, k).powi(2)
                } else if nn == k {
                    -inv(m, k).powi(2)
                } else if m == nn {
                    inv(m, k).powi(2)
                } else {
                    0.0
                };
                d2[m * n_par + nn] += w * (g[m] * g[nn] + h);
            }
        }
    }
    Some(LogDivDiff { ln_e, d1, d2 })
}

/// Exact route through confluent divided differences, each from one small matrix exponential.
fn matrix_exponential(nodes: &[f64], n_par: usize, z: f64, derivs: bool) -> LogDivDiff {
    let shift = nodes.iter().copied().fold(f64::INFINITY, f64::min);
    let e = scaled_divdiff(nodes, shift, z);
    // A non-positive value can only be underflow of a probability that is effectively 0;
    // −∞ makes the line search back off.
    let ln_e = if e > 0.0 { e.ln() - shift * z } else { f64::NEG_INFINITY };
    if !derivs {
        return LogDivDiff { ln_e, d1: Vec::new(), d2: Vec::new() };
    }
    let mut extended = nodes.to_vec();
    let mut d1 = vec![0.0; n_par];
    let mut d2 = vec![0.0; n_par * n_par];
    for m in 0..n_par {
        // ∂E/∂ν_m = −E(nodes, ν_m): the sign comes from y = −ν.
        extended.push(nodes[m]);
        d1[m] = -scaled_divdiff(&extended, shift, z) / e;
        for nn in m..n_par {
            // ∂²E/∂ν_m∂ν_n = E(nodes, ν_m, ν_n), doubled when m = n because the node then
            // appears twice in the first derivative.
            extended.push(nodes[nn]);
            let factor = if m == nn { 2.0 } else { 1.0 };
            let v = factor * scaled_divdiff(&extended, shift, z) / e;
            d2[m * n_par + nn] = v;
            d2[nn * n_par + m] = v;
            extended.pop();
        }
        extended.pop();
    }
    LogDivDiff { ln_e, d1, d2 }
}

/// e^{shift·z} · E(nodes) as the top-right entry of expm(z·B), B bidiagonal with diagonal
/// −(ν_k − shift) and superdiagonal 1.
fn scaled_divdiff(nodes: &[f64], shift: f64, z: f64) -> f64 {
    let n = nodes.len();
    if n == 1 {
        return (-(nodes[0] - shift) * z).exp();
    }
    let mut b = Matrix::zeros(n, n);
    for k in 0..n {
        b[(k, k)] = -(nodes[k] - shift) * z;
        if k + 1 < n {
            b[(k, k + 1)] = z;
        }
    }
    b.exp()[(0, n - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(nodes: &[f64], n_par: usize, z: f64) -> (LogDivDiff, LogDivDiff) {
        let c = closed_form(nodes, n_par, z, true).expect("well separated");
        let m = matrix_exponential(nodes, n_par, z, true);
        (c, m)
    }

    #[test]
    fn closed_form_and_matrix_exponential_agree() {
        for (nodes, n_par) in [
            (vec![0.08, 0.15, 0.25, 0.0], 3),
            (vec![0.08, 0.15, 0.25], 3),
            (vec![0.15, 0.25, 0.0], 2),
            (vec![0.3], 1),
            (vec![0.3, 0.0], 1),
        ] {
            for z in [1.5, 4.0, 9.0] {
                let (c, m) = both(&nodes, n_par, z);
                assert!((c.ln_e - m.ln_e).abs() < 1e-10, "{nodes:?} z={z}");
                for (x, y) in c.d1.iter().zip(&m.d1).chain(c.d2.iter().zip(&m.d2)) {
                    assert!((x - y).abs() < 1e-8 * (1.0 + y.abs()), "{nodes:?} z={z}: {x} vs {y}");
                }
            }
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let nodes = [0.08, 0.15, 0.25, 0.0];
        let z = 6.0;
        let base = log_prob(&nodes, 3, 3, z, true);
        let h = 1e-5;
        for m in 0..3 {
            let at = |s: f64| {
                let mut v = nodes;
                v[m] *= s.exp();
                log_prob(&v, 3, 3, z, true)
            };
            let (up, down) = (at(h), at(-h));
            let g = (up.value - down.value) / (2.0 * h);
            assert!((g - base.grad[m]).abs() < 1e-7, "grad {m}: {g} vs {}", base.grad[m]);
            for n in 0..3 {
                let hn = (up.grad[n] - down.grad[n]) / (2.0 * h);
                assert!((hn - base.hess[m * 3 + n]).abs() < 1e-6, "hess {m}{n}");
            }
        }
    }

    #[test]
    fn equal_nodes_use_the_fallback() {
        // Erlang: two stages with the same hazard; reached the second within z.
        let lp = log_prob(&[0.2, 0.2], 2, 1, 3.0, true);
        assert!((lp.value - (0.2f64 * 3.0 * (-0.6f64).exp()).ln()).abs() < 1e-12);
        assert!(lp.grad.iter().chain(&lp.hess).all(|v| v.is_finite()));
    }

    #[test]
    fn long_intervals_do_not_underflow() {
        // Moved on from θ = 2 and stayed in θ = 3 over 400 years: π ≈ 2e^{−800}, whose
        // e^{−800} underflows while its log does not.
        let lp = log_prob(&[2.0, 3.0], 2, 1, 400.0, false);
        assert!((lp.value - (2f64.ln() - 800.0)).abs() < 1e-9, "{}", lp.value);
    }
}
