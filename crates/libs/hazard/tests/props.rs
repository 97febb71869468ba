//! 性質テスト (property tests) of the transition matrix for random, well-separated hazards.

use proptest::prelude::*;
use tabane_hazard::Hazards;

/// Three hazards in [0.01, 1] with relative gaps of at least 5 %, in random order.
fn separated_hazards() -> impl Strategy<Value = Hazards> {
    (0.01f64..0.8, 1.05f64..3.0, 1.05f64..3.0, 0usize..6).prop_map(|(a, r1, r2, order)| {
        let mut v = [a, (a * r1).min(0.9), 0.0];
        v[2] = (v[1] * r2).min(1.0);
        // Clamping may close a gap; nudge down so the three stay apart.
        if v[2] / v[1] < 1.05 {
            v[1] = v[2] / 1.05;
        }
        if v[1] / v[0] < 1.05 {
            v[0] = v[1] / 1.05;
        }
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        Hazards(perms[order].iter().map(|&i| v[i]).collect())
    })
}

proptest! {
    #[test]
    fn rows_sum_to_one_and_worst_grade_accumulates(
        h in separated_hazards(),
        z in 0.001f64..=50.0,
        dz in 0.0f64..5.0,
    ) {
        let p = h.transition(z);
        let later = h.transition(z + dz);
        let n = h.grades();
        for i in 0..n {
            prop_assert!((p.row(i).sum() - 1.0).abs() < 1e-12);
            prop_assert!(p.row(i).iter().all(|v| (0.0..=1.0).contains(v)));
            // Grade IV is absorbing, so the probability of being there never decreases.
            prop_assert!(later[(i, n - 1)] >= p[(i, n - 1)] - 1e-12);
        }
    }

    #[test]
    fn closed_form_agrees_with_expm_when_accepted(h in separated_hazards(), z in 0.01f64..=50.0) {
        // The closed form may refuse very short intervals (it would lose digits), but
        // whatever it returns must match.
        if let Ok(c) = h.transition_closed_form(z) {
            prop_assert!((c - h.transition_expm(z)).amax() < 1e-10);
        }
    }
}
