//! 推移確率の検証 (transition probabilities): closed form against the matrix exponential,
//! stochastic-matrix properties, and the near-equal-hazard fallback.

use tabane_hazard::{HazardError, Hazards, Matrix};

const INTERVALS: [f64; 6] = [0.1, 1.0, 2.5, 5.0, 10.0, 30.0];

fn hazard_sets() -> Vec<Hazards> {
    vec![
        Hazards(vec![0.08, 0.15, 0.25]),
        Hazards(vec![0.25, 0.15, 0.08]),
        Hazards(vec![0.02, 0.5, 0.1]),
        Hazards(vec![0.3, 0.05, 0.9, 0.15]),
        Hazards(vec![0.12]),
        Hazards(vec![0.01, 0.03, 0.06, 0.1, 0.2, 0.4]),
    ]
}

fn assert_stochastic(p: &Matrix, what: &str) {
    for i in 0..p.nrows() {
        let row = p.row(i);
        assert!(row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)), "{what}: row {i} = {row}");
        assert!((row.sum() - 1.0).abs() < 1e-12, "{what}: row {i} sums to {}", row.sum());
        assert!(row.iter().take(i).all(|v| *v == 0.0), "{what}: improvement in row {i}");
    }
}

#[test]
fn paper_check_values() {
    let h = Hazards(vec![0.08, 0.15, 0.25]);
    for p in [h.transition(1.0), h.transition_closed_form(1.0).unwrap(), h.transition_expm(1.0)] {
        for (j, want) in [0.9231, 0.0713, 0.0051, 0.0004].iter().enumerate() {
            assert!((p[(0, j)] - want).abs() < 1e-4, "π_1{} = {}", j + 1, p[(0, j)]);
        }
    }
    assert!((h.expected_time_to_worst(1) - 23.2).abs() < 0.05);
}

#[test]
fn closed_form_equals_matrix_exponential() {
    for h in hazard_sets() {
        for z in INTERVALS {
            let what = format!("θ = {:?}, z = {z}", h.0);
            let closed = h.transition_closed_form(z).unwrap_or_else(|e| panic!("{what}: {e}"));
            let expm = h.transition_expm(z);
            let diff = (&closed - &expm).amax();
            assert!(diff < 1e-10, "{what}: max difference {diff:e}");
            assert_stochastic(&closed, &what);
            assert_stochastic(&expm, &what);
            assert_stochastic(&h.transition(z), &what);
        }
    }
}

#[test]
fn chapman_kolmogorov() {
    // P(a + b) = P(a) P(b): the Markov property the forecasts rely on.
    for h in hazard_sets() {
        let lhs = h.transition(7.5);
        let rhs = h.transition(2.5) * h.transition(5.0);
        assert!((lhs - rhs).amax() < 1e-12, "θ = {:?}", h.0);
    }
}

#[test]
fn near_equal_hazards_fall_back_to_expm() {
    let h = Hazards(vec![0.1, 0.1 + 1e-12, 0.1]);
    for z in INTERVALS {
        let err = h.transition_closed_form(z).unwrap_err();
        assert!(matches!(err, HazardError::NearEqualHazards { .. }), "{err}");
        let p = h.transition(z);
        assert_stochastic(&p, &format!("z = {z}"));
        assert!((&p - h.transition_expm(z)).amax() < 1e-12);
        // All three hazards are 0.1, so the time to IV is Erlang(3, 0.1).
        let tz: f64 = 0.1 * z;
        let erlang = 1.0 - (-tz).exp() * (1.0 + tz + tz * tz / 2.0);
        assert!((p[(0, 3)] - erlang).abs() < 1e-10, "z = {z}: {} vs {erlang}", p[(0, 3)]);
    }
    assert!(err_message_is_japanese(&h));
}

fn err_message_is_japanese(h: &Hazards) -> bool {
    h.transition_closed_form(1.0).unwrap_err().to_string().contains("ほぼ等しく")
}

#[test]
fn forecasts_of_a_network() {
    let h = Hazards(vec![0.08, 0.15, 0.25]);
    // 100 bridges: 60 in I, 30 in II, 10 in III.
    let d = h.distribution_after(&[60.0, 30.0, 10.0, 0.0], 10);
    assert_eq!(d.len(), 10);
    for year in &d {
        assert!((year.iter().sum::<f64>() - 100.0).abs() < 1e-9);
    }
    // The share in IV only grows.
    assert!(d.windows(2).all(|w| w[1][3] >= w[0][3]));
    let p = h.transition(10.0);
    let want: f64 = 60.0 * p[(0, 3)] + 30.0 * p[(1, 3)] + 10.0 * p[(2, 3)];
    assert!((d[9][3] - want).abs() < 1e-9);
    // A bridge in II reaching III or IV within 5 years.
    let p5 = h.prob_at_least(2, 3, 5.0);
    assert!((p5 - (1.0 - (-0.15f64 * 5.0).exp())).abs() < 1e-12);
}
