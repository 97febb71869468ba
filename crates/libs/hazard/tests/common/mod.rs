//! 模擬データ (simulated inspection pairs) shared by the integration tests.

use rand::Rng;
use rand_distr::{Distribution, Exp};
use tabane_hazard::Pair;

/// Grade after `years` for an asset starting in `from` (1-based) with hazards `theta`
/// (θ_1..θ_{J−1}): successive exponential sojourns until the interval is used up.
pub fn simulate_grade<R: Rng>(theta: &[f64], from: usize, years: f64, rng: &mut R) -> usize {
    let mut grade = from;
    let mut elapsed = 0.0;
    while grade <= theta.len() {
        elapsed += Exp::new(theta[grade - 1]).expect("positive hazard").sample(rng);
        if elapsed > years {
            break;
        }
        grade += 1;
    }
    grade
}

/// `n` pairs with start grades uniform over 1..=starts, intervals uniform on [1, 10) years
/// and, when `slopes` is given, one covariate x ~ U(0, 1) acting as θ_i · exp(slope_i x).
#[allow(dead_code)] // not every test binary uses every helper
pub fn simulate_pairs<R: Rng>(
    theta: &[f64],
    slopes: Option<&[f64]>,
    starts: usize,
    n: usize,
    rng: &mut R,
) -> Vec<Pair> {
    (0..n)
        .map(|_| {
            let from = rng.random_range(1..=starts);
            let years = rng.random_range(1.0..10.0);
            let (covariates, th) = match slopes {
                None => (Vec::new(), theta.to_vec()),
                Some(s) => {
                    let x: f64 = rng.random_range(0.0..1.0);
                    let th = theta.iter().zip(s).map(|(t, b)| t * (b * x).exp()).collect();
                    (vec![x], th)
                }
            };
            let to = simulate_grade(&th, from, years, rng);
            Pair { from, to, years, covariates, repaired_between: false }
        })
        .collect()
}
