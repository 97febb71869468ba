//! 推定データの取り扱い (data handling of the fit): exclusions, unestimable grades and errors.

mod common;

use rand::SeedableRng;
use rand::rngs::StdRng;
use tabane_hazard::{FitOptions, HazardError, Pair, fit};

const THETA: [f64; 3] = [0.08, 0.15, 0.25];

fn pair(from: usize, to: usize, years: f64) -> Pair {
    Pair { from, to, years, covariates: Vec::new(), repaired_between: false }
}

fn within(what: &str, truth: f64, estimate: f64, se: f64, k: f64) {
    assert!((estimate - truth).abs() <= k * se, "{what}: {truth} vs {estimate} ± {se}");
}

#[test]
fn too_few_pairs_from_a_grade_is_reported_and_censored() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut pairs = common::simulate_pairs(&THETA, None, 2, 4_000, &mut rng);
    pairs.extend([pair(3, 3, 5.0), pair(3, 4, 5.0), pair(3, 3, 4.0)]);
    let f = fit(&pairs, &FitOptions::default()).unwrap();
    assert_eq!(f.not_estimated, vec![(3, "健全性IIIからの組が3件しかありません（10件以上必要）".to_string())]);
    assert_eq!(f.theta[2], None);
    assert_eq!(f.beta[2], None);
    assert_eq!(f.std_err[2], None);
    assert_eq!(f.skipped_unestimated_start, 3);
    assert_eq!(f.pairs_used, 4_000);
    assert!(f.hazards().is_none());
    // Pairs that reached III or IV count as "reached III", so θ_I and θ_II stay unbiased.
    for (g, truth) in THETA.iter().enumerate().take(2) {
        within(&format!("θ{}", g + 1), *truth, f.theta[g].unwrap(), f.theta_std_err[g].unwrap(), 3.0);
    }
}

#[test]
fn a_gap_in_the_middle_splits_the_chain() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut pairs: Vec<Pair> =
        common::simulate_pairs(&THETA, None, 3, 6_000, &mut rng).into_iter().filter(|p| p.from != 2).collect();
    pairs.push(pair(2, 3, 6.0));
    let f = fit(&pairs, &FitOptions::default()).unwrap();
    assert_eq!(f.not_estimated.len(), 1);
    assert_eq!(f.not_estimated[0].0, 2);
    assert!(f.not_estimated[0].1.contains("1件しかありません"));
    within("θ1", THETA[0], f.theta[0].unwrap(), f.theta_std_err[0].unwrap(), 3.0);
    within("θ3", THETA[2], f.theta[2].unwrap(), f.theta_std_err[2].unwrap(), 3.0);
}

#[test]
fn repaired_and_improved_pairs_are_excluded() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut pairs = common::simulate_pairs(&THETA, None, 3, 500, &mut rng);
    let base = fit(&pairs, &FitOptions::default()).unwrap();
    // Repairs between inspections: any grades, always excluded.
    pairs.push(Pair { repaired_between: true, ..pair(3, 1, 5.0) });
    pairs.push(Pair { repaired_between: true, ..pair(1, 2, 5.0) });
    // Improved without a repair.
    pairs.push(pair(2, 1, 5.0));
    pairs.push(pair(4, 3, 5.0));
    // Already in IV: no information.
    pairs.push(pair(4, 4, 5.0));
    let f = fit(&pairs, &FitOptions::default()).unwrap();
    assert_eq!(f.excluded_repaired, 2);
    assert_eq!(f.improved_without_repair, vec![502, 503]);
    assert_eq!(f.skipped_worst_grade, 1);
    assert_eq!(f.pairs_used, 500);
    assert_eq!(f.theta, base.theta);
    assert_eq!(f.log_likelihood, base.log_likelihood);
}

#[test]
fn grades_without_observed_exit_or_stay() {
    let mut pairs: Vec<Pair> = (0..20).map(|i| pair(1, 1 + i % 2, 5.0)).collect();
    // From II: 12 pairs, all stayed, so no deterioration out of II was ever seen.
    pairs.extend((0..12).map(|_| pair(2, 2, 5.0)));
    // From III: 10 pairs, all reached IV.
    pairs.extend((0..10).map(|_| pair(3, 4, 5.0)));
    let f = fit(&pairs, &FitOptions::default()).unwrap();
    let grades: Vec<usize> = f.not_estimated.iter().map(|(g, _)| *g).collect();
    assert_eq!(grades, vec![2, 3]);
    assert!(f.not_estimated[0].1.contains("劣化した組がありません"));
    assert!(f.not_estimated[1].1.contains("とどまった組がありません"));
    // Grade I: half of the pairs left within 5 years: θ = ln 2 / 5.
    assert!((f.theta[0].unwrap() - 2f64.ln() / 5.0).abs() < 1e-8);
    assert_eq!(f.pairs_used, 20);
}

#[test]
fn nothing_estimable_is_an_answer_not_an_error() {
    let f = fit(&[pair(1, 2, 5.0), pair(2, 2, 5.0)], &FitOptions::default()).unwrap();
    assert_eq!(f.theta, vec![None, None, None]);
    assert_eq!(f.not_estimated.len(), 3);
    assert_eq!(f.not_estimated[2].1, "健全性IIIからの組がありません（10件以上必要）");
}

#[test]
fn covariate_fit_gives_asset_specific_hazards() {
    let mut rng = StdRng::seed_from_u64(5);
    let pairs = common::simulate_pairs(&THETA, Some(&[0.5, 0.0, -0.5]), 3, 3_000, &mut rng);
    let opts = FitOptions { covariate_names: vec!["海岸距離".into()], ..FitOptions::default() };
    let f = fit(&pairs, &opts).unwrap();
    let h0 = f.hazards_for(&[0.0]).unwrap();
    let h1 = f.hazards_for(&[1.0]).unwrap();
    assert!(h1.0[0] > h0.0[0] && h1.0[2] < h0.0[2]);
    let mean = f.hazards().unwrap();
    let at_mean = f.hazards_for(&f.covariate_means).unwrap();
    for (a, b) in mean.0.iter().zip(&at_mean.0) {
        assert!((a - b).abs() < 1e-12);
    }
}

#[test]
fn input_errors_name_the_pair() {
    let opts = FitOptions::default();
    let bad_grade = fit(&[pair(1, 1, 5.0), pair(1, 5, 5.0)], &opts).unwrap_err();
    assert_eq!(bad_grade, HazardError::BadGrade { index: 1, grade: 5, grades: 4 });
    assert_eq!(bad_grade.to_string(), "組[1]の健全性5は範囲外です（1〜4で指定してください）");

    let zero = fit(&[pair(1, 1, 0.0)], &opts).unwrap_err();
    assert_eq!(zero, HazardError::NonPositiveInterval { index: 0, years: 0.0 });
    assert!(zero.to_string().contains("点検間隔が正ではありません"));
    assert!(matches!(fit(&[pair(1, 1, f64::NAN)], &opts), Err(HazardError::NonPositiveInterval { index: 0, .. })));

    let with_x = FitOptions { covariate_names: vec!["交通量".into()], ..FitOptions::default() };
    assert_eq!(
        fit(&[pair(1, 1, 5.0)], &with_x).unwrap_err(),
        HazardError::CovariateCount { index: 0, expected: 1, got: 0 }
    );
    let nan = Pair { covariates: vec![f64::NAN], ..pair(1, 1, 5.0) };
    assert!(fit(&[nan], &with_x).unwrap_err().to_string().contains("交通量"));

    let all_excluded = [Pair { repaired_between: true, ..pair(1, 2, 5.0) }, pair(2, 1, 5.0)];
    let err = fit(&all_excluded, &opts).unwrap_err();
    assert_eq!(err, HazardError::NoUsablePairs);
    assert!(err.to_string().starts_with("推定に使える点検結果の組がありません"));

    let one_grade = FitOptions { grades: 1, ..FitOptions::default() };
    assert_eq!(fit(&[], &one_grade).unwrap_err(), HazardError::TooFewGrades(1));
}

#[test]
fn constant_covariate_is_refused() {
    let mut rng = StdRng::seed_from_u64(9);
    let pairs: Vec<Pair> = common::simulate_pairs(&THETA, None, 3, 300, &mut rng)
        .into_iter()
        .map(|p| Pair { covariates: vec![2.0], ..p })
        .collect();
    let opts = FitOptions { covariate_names: vec!["供用年数".into()], ..FitOptions::default() };
    assert_eq!(fit(&pairs, &opts).unwrap_err(), HazardError::ConstantCovariate("供用年数".into()));
}

#[test]
fn a_separating_covariate_is_an_error_not_a_number() {
    // Every asset with x = 1 deteriorated and none with x = 0 did: the slope has no finite
    // maximum-likelihood estimate, and no value may be printed as if it had one.
    let pairs: Vec<Pair> = (0..200)
        .map(|i| {
            let x = (i % 2) as f64;
            let from = 1 + (i / 2) % 3;
            let to = if x == 1.0 { from + 1 } else { from };
            Pair { covariates: vec![x], ..pair(from, to, 5.0) }
        })
        .collect();
    let opts = FitOptions { covariate_names: vec!["塩害地域".into()], ..FitOptions::default() };
    let err = fit(&pairs, &opts).unwrap_err();
    assert!(
        matches!(err, HazardError::Diverged { .. } | HazardError::NotConverged(_) | HazardError::SingularInformation),
        "{err:?}"
    );
}
