//! 信頼区間の被覆率 (coverage of the 95 % intervals) over many simulated data sets: checks
//! that the standard errors from the observed information are calibrated, not just that one
//! seed happens to pass. About 5 s in a debug build (0.5 s with `--release`).

mod common;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tabane_hazard::{FitOptions, fit};

#[test]
fn ninety_five_percent_intervals_cover_about_95_percent() {
    let theta = [0.08, 0.15, 0.25];
    let slopes = [0.3, 0.3, 0.3];
    let opts = FitOptions { covariate_names: vec!["x".into()], ..FitOptions::default() };
    let runs = 200;
    let mut covered = [0usize; 6];
    let mut iterations = 0;
    for seed in 0..runs {
        let mut rng = StdRng::seed_from_u64(seed);
        let pairs = common::simulate_pairs(&theta, Some(&slopes), 3, 2_000, &mut rng);
        let f = fit(&pairs, &opts).unwrap();
        iterations = iterations.max(f.iterations);
        for g in 0..3 {
            let (b, se) = (f.beta[g].as_ref().unwrap(), f.std_err[g].as_ref().unwrap());
            covered[2 * g] += usize::from((b[0] - theta[g].ln()).abs() <= 1.96 * se[0]);
            covered[2 * g + 1] += usize::from((b[1] - slopes[g]).abs() <= 1.96 * se[1]);
        }
    }
    println!("coverage per parameter (of {runs}): {covered:?}; most iterations {iterations}");
    // Binomial(200, 0.95) is below 180 with probability < 0.1 %.
    for c in covered {
        assert!((180..=200).contains(&c), "coverage {c}/{runs}");
    }
}
