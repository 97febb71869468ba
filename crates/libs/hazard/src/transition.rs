//! 推移確率 (transition probabilities) and forecasts for given hazards.

use serde::{Deserialize, Serialize};

use crate::{HazardError, Matrix};

/// 閉形式の適用限界 (closed-form limit): the smallest relative gap
/// |θ_a − θ_b| / max(θ_a, θ_b) between two hazards for which the closed form is attempted.
/// The closed form divides by every difference θ_a − θ_b.
pub const CLOSED_FORM_MIN_RELATIVE_GAP: f64 = 1e-6;

/// 誤差の増幅の上限 (largest tolerated error amplification) of the closed form: the sum of
/// the absolute values of the terms of one entry. The terms alternate in sign while their sum
/// is a probability, so the rounding error is about 1e-16 times this; 1e6 keeps every entry
/// within about 1e-10 of the exact value.
pub const CLOSED_FORM_MAX_AMPLIFICATION: f64 = 1e6;

/// ハザード率 (hazard rates per year) θ_1..θ_{J−1} of the non-absorbing grades; grade J
/// (e.g. IV 緊急措置段階) is absorbing and has no entry.
///
/// The field is public so estimates can be written directly; the methods that return a
/// plain number or matrix panic when a hazard is negative or not finite, so use
/// [`Hazards::new`] (or [`Hazards::validate`]) on anything that came from outside.
/// A hazard of 0 is allowed (a grade that never deteriorates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hazards(pub Vec<f64>);

impl Hazards {
    /// Checked constructor.
    pub fn new(theta: Vec<f64>) -> Result<Self, HazardError> {
        let h = Hazards(theta);
        h.validate()?;
        Ok(h)
    }

    /// Every hazard must be finite and ≥ 0.
    pub fn validate(&self) -> Result<(), HazardError> {
        match self.0.iter().position(|t| !(t.is_finite() && *t >= 0.0)) {
            Some(i) => Err(HazardError::InvalidHazard { grade: i + 1, value: self.0[i] }),
            None => Ok(()),
        }
    }

    /// 健全性の段階数 (number of grades) J = number of hazards + 1.
    pub fn grades(&self) -> usize {
        self.0.len() + 1
    }

    /// 推移強度行列 (generator) Q: Q_ii = −θ_i, Q_i,i+1 = θ_i, last row zero.
    pub fn generator(&self) -> Matrix {
        let n = self.grades();
        let mut q = Matrix::zeros(n, n);
        for (i, &t) in self.0.iter().enumerate() {
            q[(i, i)] = -t;
            q[(i, i + 1)] = t;
        }
        q
    }

    /// 推移確率行列（閉形式）(J×J transition matrix over `z` years from the closed form of
    /// Tsuda et al. 2005):
    ///
    /// π_ij(z) = Σ_{k=i..j} Π_{m=i..k−1} θ_m/(θ_m − θ_k) · Π_{m=k..j−1} θ_m/(θ_{m+1} − θ_k) · e^{−θ_k z}
    /// for i ≤ j < J, and π_iJ = 1 − Σ_{j<J} π_ij.
    ///
    /// Errors when two hazards are closer than [`CLOSED_FORM_MIN_RELATIVE_GAP`]
    /// ([`HazardError::NearEqualHazards`]), when some entry would amplify rounding error by
    /// more than [`CLOSED_FORM_MAX_AMPLIFICATION`] ([`HazardError::IllConditioned`]), and on
    /// invalid hazards or intervals. Entries are clamped to [0, 1].
    pub fn transition_closed_form(&self, z: f64) -> Result<Matrix, HazardError> {
        self.validate()?;
        check_interval(z)?;
        let th = &self.0;
        if let Some((a, b, gap)) = closest_pair(th)
            && gap < CLOSED_FORM_MIN_RELATIVE_GAP
        {
            return Err(HazardError::NearEqualHazards { a, b, relative_gap: gap });
        }
        let n = self.grades();
        if z == 0.0 {
            // The alternating sums cancel only to round-off at z = 0; the answer is exact.
            return Ok(Matrix::identity(n, n));
        }
        let mut p = Matrix::zeros(n, n);
        let mut amplification: f64 = 0.0;
        for i in 0..n - 1 {
            let mut row_sum = 0.0;
            for j in i..n - 1 {
                let (value, abs_sum) = closed_form_entry(th, i, j, z);
                amplification = amplification.max(abs_sum);
                let value = value.clamp(0.0, 1.0);
                p[(i, j)] = value;
                row_sum += value;
            }
            // The absorbing column is the complement, as in the paper; it is never computed
            // from its own (longer, more cancellation-prone) sum.
            p[(i, n - 1)] = (1.0 - row_sum).max(0.0);
        }
        p[(n - 1, n - 1)] = 1.0;
        if amplification > CLOSED_FORM_MAX_AMPLIFICATION {
            return Err(HazardError::IllConditioned { amplification });
        }
        Ok(p)
    }

    /// 推移確率行列（行列指数関数）(transition matrix as expm(Q z), by nalgebra's
    /// scaling-and-squaring Padé approximation). Accurate for any hazards, including equal
    /// ones. Tiny negative round-off is clamped to 0.
    ///
    /// # Panics
    /// If a hazard is negative or not finite, or `z` is negative or not finite.
    pub fn transition_expm(&self, z: f64) -> Matrix {
        self.assert_valid(z);
        let mut p = (self.generator() * z).exp();
        let n = self.grades();
        for i in 0..n {
            for j in 0..n {
                // A pure-deterioration chain never moves to a better grade; exact zeros
                // below the diagonal keep callers from seeing 1e-18 "recoveries".
                p[(i, j)] = if j < i { 0.0 } else { p[(i, j)].clamp(0.0, 1.0) };
            }
        }
        p
    }

    /// 推移確率行列 (transition matrix over `z` years): the closed form when it is accurate,
    /// otherwise the matrix exponential. Never NaN for valid input.
    ///
    /// # Panics
    /// If a hazard is negative or not finite, or `z` is negative or not finite.
    pub fn transition(&self, z: f64) -> Matrix {
        self.assert_valid(z);
        self.transition_closed_form(z).unwrap_or_else(|_| self.transition_expm(z))
    }

    /// 期待滞在期間 (expected sojourn in years) 1/θ_i for grades 1..J−1; infinite for a
    /// hazard of 0.
    pub fn expected_sojourn(&self) -> Vec<f64> {
        self.0.iter().map(|t| 1.0 / t).collect()
    }

    /// 期待劣化期間 (expected years from grade `from` (1-based) to the worst grade J):
    /// Σ_{m=from..J−1} 1/θ_m. Zero when `from` = J.
    ///
    /// # Panics
    /// If `from` is not in 1..=J.
    pub fn expected_time_to_worst(&self, from: usize) -> f64 {
        assert!((1..=self.grades()).contains(&from), "健全性{from}は範囲外です（1〜{}）", self.grades());
        self.0[from - 1..].iter().map(|t| 1.0 / t).sum()
    }

    /// 健全性分布の予測 (network grade distribution after 1, 2, ..., `years` years).
    ///
    /// `start` has one entry per grade: shares (summing to 1) give shares, counts of bridges
    /// give expected counts, since the forecast is linear. Element `t − 1` of the result is
    /// the distribution after `t` years.
    ///
    /// # Panics
    /// If `start.len()` ≠ J or a hazard is invalid.
    pub fn distribution_after(&self, start: &[f64], years: u32) -> Vec<Vec<f64>> {
        let n = self.grades();
        assert_eq!(start.len(), n, "初期分布の長さが健全性の段階数と違います");
        (1..=years)
            .map(|t| {
                // Each year from P(t) directly rather than by repeated multiplication, so
                // long horizons do not accumulate round-off.
                let p = self.transition(f64::from(t));
                (0..n).map(|j| (0..=j).map(|i| start[i] * p[(i, j)]).sum()).collect()
            })
            .collect()
    }

    /// 一定期間内に所定の健全性以下になる確率 (probability that an asset now in
    /// `from_grade` is in `at_least_grade` or worse after `years` years, e.g. reaches III
    /// or IV within 5 years). Because the worst grade is absorbing this is also the
    /// probability of having reached it at some time within the period. 1 when
    /// `at_least_grade` ≤ `from_grade`.
    ///
    /// # Panics
    /// If a grade is not in 1..=J, `years` is negative or not finite, or a hazard is invalid.
    pub fn prob_at_least(&self, from_grade: usize, at_least_grade: usize, years: f64) -> f64 {
        let n = self.grades();
        assert!((1..=n).contains(&from_grade) && (1..=n).contains(&at_least_grade), "健全性が範囲外です（1〜{n}）");
        if at_least_grade <= from_grade {
            return 1.0;
        }
        let p = self.transition(years);
        let s: f64 = (at_least_grade - 1..n).map(|j| p[(from_grade - 1, j)]).sum();
        s.clamp(0.0, 1.0)
    }

    fn assert_valid(&self, z: f64) {
        if let Err(e) = self.validate().and_then(|_| check_interval(z)) {
            panic!("{e}");
        }
    }
}

fn check_interval(z: f64) -> Result<(), HazardError> {
    if z.is_finite() && z >= 0.0 { Ok(()) } else { Err(HazardError::InvalidInterval(z)) }
}

/// |a − b| / max(a, b); two zero hazards count as identical.
pub(crate) fn relative_gap(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == 0.0 { 0.0 } else { (a - b).abs() / m }
}

/// The two closest hazards as (grade, grade, relative gap), grades 1-based.
fn closest_pair(th: &[f64]) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    for (a, &ta) in th.iter().enumerate() {
        for (b, &tb) in th.iter().enumerate().skip(a + 1) {
            let gap = relative_gap(ta, tb);
            if best.is_none_or(|(_, _, g)| gap < g) {
                best = Some((a + 1, b + 1, gap));
            }
        }
    }
    best
}

/// One closed-form entry π_ij(z) (0-based i ≤ j < J) and the sum of the absolute values of
/// its terms, which bounds the rounding error.
fn closed_form_entry(th: &[f64], i: usize, j: usize, z: f64) -> (f64, f64) {
    let mut sum = 0.0;
    let mut abs_sum = 0.0;
    for k in i..=j {
        let tk = th[k];
        let before: f64 = th[i..k].iter().map(|&tm| tm / (tm - tk)).product();
        let after: f64 = th[k..j].iter().zip(&th[k + 1..=j]).map(|(&tm, &tnext)| tm / (tnext - tk)).product();
        let term = before * after * (-tk * z).exp();
        sum += term;
        abs_sum += term.abs();
    }
    (sum, abs_sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper() -> Hazards {
        Hazards(vec![0.08, 0.15, 0.25])
    }

    #[test]
    fn check_values_one_year_row() {
        let p = paper().transition_closed_form(1.0).unwrap();
        let want = [0.9231, 0.0713, 0.0051, 0.0004];
        for (j, w) in want.iter().enumerate() {
            assert!((p[(0, j)] - w).abs() < 1e-4, "π_1{} = {}", j + 1, p[(0, j)]);
        }
    }

    #[test]
    fn expected_times() {
        let h = paper();
        assert!((h.expected_time_to_worst(1) - 23.2).abs() < 0.05);
        assert_eq!(h.expected_time_to_worst(4), 0.0);
        assert!((h.expected_time_to_worst(3) - 4.0).abs() < 1e-12);
        assert_eq!(h.expected_sojourn(), vec![12.5, 1.0 / 0.15, 4.0]);
    }

    #[test]
    fn zero_interval_is_identity() {
        let p = paper().transition(0.0);
        assert_eq!(p, Matrix::identity(4, 4));
    }

    #[test]
    fn equal_hazards_refused_by_closed_form_only() {
        let h = Hazards(vec![0.1, 0.1, 0.3]);
        let e = h.transition_closed_form(2.0).unwrap_err();
        assert!(matches!(e, HazardError::NearEqualHazards { a: 1, b: 2, .. }));
        assert!(e.to_string().contains("健全性IとII"));
        let p = h.transition(2.0);
        // Two equal hazards: π_12 = θ z e^{−θ z} (Erlang).
        assert!((p[(0, 1)] - 0.2 * (-0.2f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn short_interval_with_close_hazards_is_ill_conditioned() {
        let h = Hazards(vec![0.1, 0.1001, 0.1002]);
        assert!(matches!(h.transition_closed_form(1.0), Err(HazardError::IllConditioned { .. })));
        let p = h.transition(1.0);
        let q = h.transition_expm(1.0);
        assert!((p - q).amax() < 1e-14);
    }

    #[test]
    fn zero_hazard_never_leaves() {
        let h = Hazards(vec![0.2, 0.0, 0.5]);
        let p = h.transition(10.0);
        assert_eq!(p[(1, 1)], 1.0);
        assert_eq!(p[(0, 3)], 0.0);
        assert!(h.expected_time_to_worst(1).is_infinite());
    }

    #[test]
    fn invalid_input() {
        assert!(matches!(Hazards::new(vec![0.1, -0.2]), Err(HazardError::InvalidHazard { grade: 2, .. })));
        assert!(matches!(paper().transition_closed_form(-1.0), Err(HazardError::InvalidInterval(_))));
        assert!(std::panic::catch_unwind(|| paper().transition(f64::NAN)).is_err());
    }

    #[test]
    fn forecasts() {
        let h = paper();
        let d = h.distribution_after(&[100.0, 0.0, 0.0, 0.0], 2);
        assert_eq!(d.len(), 2);
        assert!((d[0][0] - 92.31).abs() < 0.01);
        assert!((d[1].iter().sum::<f64>() - 100.0).abs() < 1e-9);
        let p5 = h.prob_at_least(2, 3, 5.0);
        let p = h.transition(5.0);
        assert!((p5 - p[(1, 2)] - p[(1, 3)]).abs() < 1e-15);
        assert_eq!(h.prob_at_least(3, 2, 5.0), 1.0);
        // Single-grade model: nothing can happen.
        let single = Hazards(vec![]);
        assert_eq!(single.transition(3.0), Matrix::identity(1, 1));
    }
}
