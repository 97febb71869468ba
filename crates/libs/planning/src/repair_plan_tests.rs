use super::*;
use proptest::prelude::*;

fn cand(id: &str, owner: &str, grade: Grade, do_nothing: f64, options: &[(u64, Grade, f64)]) -> Candidate {
    Candidate {
        asset_id: id.into(),
        owner_id: owner.into(),
        grade,
        do_nothing_benefit: do_nothing,
        options: options
            .iter()
            .enumerate()
            .map(|(i, &(cost_yen, resulting_grade, annual_benefit))| RepairOption {
                name: format!("工法{}", i + 1),
                cost_yen,
                resulting_grade,
                annual_benefit,
            })
            .collect(),
    }
}

fn problem(horizon: u32, candidates: Vec<Candidate>, budgets: &[(&str, Vec<u64>)], deadline: Option<u32>) -> Problem {
    Problem {
        horizon_years: horizon,
        candidates,
        budgets: budgets.iter().map(|(o, b)| (o.to_string(), b.clone())).collect(),
        emergency_deadline_year: deadline,
    }
}

/// Objective computed year by year, independently of `Problem::gain`.
fn objective(p: &Problem, choices: &[Option<Choice>]) -> f64 {
    let mut total = 0.0;
    for (c, ch) in p.candidates.iter().zip(choices) {
        for t in 1..=p.horizon_years {
            total += match ch {
                Some(ch) if t >= ch.year => c.options[ch.option].annual_benefit,
                _ => c.do_nothing_benefit,
            };
        }
    }
    total
}

/// Independent budget check.
fn within_budgets(p: &Problem, choices: &[Option<Choice>]) -> bool {
    p.budgets.iter().all(|(owner, budget)| {
        (1..=p.horizon_years).all(|y| {
            let used: u64 = p
                .candidates
                .iter()
                .zip(choices)
                .filter(|(c, ch)| c.owner_id == *owner && ch.is_some_and(|ch| ch.year == y))
                .map(|(c, ch)| c.options[ch.unwrap().option].cost_yen)
                .sum();
            used <= budget[y as usize - 1]
        })
    })
}

/// Exhaustive search with budget pruning: the optimal objective, or None if
/// the mandatory items cannot all be placed.
fn brute_force(p: &Problem) -> Option<f64> {
    fn go(
        p: &Problem,
        c: usize,
        choices: &mut Vec<Option<Choice>>,
        spend: &mut BTreeMap<String, Vec<u64>>,
        best: &mut Option<f64>,
    ) {
        if c == p.candidates.len() {
            let v = objective(p, choices);
            if best.is_none_or(|b| v > b) {
                *best = Some(v);
            }
            return;
        }
        let cand = &p.candidates[c];
        let mandatory = p.emergency_deadline_year.is_some() && cand.grade == Grade::IV;
        if !mandatory {
            choices.push(None);
            go(p, c + 1, choices, spend, best);
            choices.pop();
        }
        for (o, opt) in cand.options.iter().enumerate() {
            for y in 1..=p.horizon_years {
                if mandatory && (y > p.emergency_deadline_year.unwrap() || opt.resulting_grade >= cand.grade) {
                    continue;
                }
                let yi = y as usize - 1;
                if spend[&cand.owner_id][yi] + opt.cost_yen > p.budgets[&cand.owner_id][yi] {
                    continue;
                }
                spend.get_mut(&cand.owner_id).unwrap()[yi] += opt.cost_yen;
                choices.push(Some(Choice { option: o, year: y }));
                go(p, c + 1, choices, spend, best);
                choices.pop();
                spend.get_mut(&cand.owner_id).unwrap()[yi] -= opt.cost_yen;
            }
        }
    }
    let mut spend = p.budgets.iter().map(|(k, v)| (k.clone(), vec![0; v.len()])).collect();
    let mut best = None;
    go(p, 0, &mut Vec::new(), &mut spend, &mut best);
    best
}

#[test]
fn milp_beats_greedy_on_a_knapsack_trap() {
    // Ratio order takes A (7/6) first and then nothing fits; B + C is better.
    let p = problem(
        1,
        vec![
            cand("A橋", "A市", Grade::III, 0.0, &[(6, Grade::I, 7.0)]),
            cand("B橋", "A市", Grade::III, 0.0, &[(5, Grade::I, 5.0)]),
            cand("C橋", "A市", Grade::III, 0.0, &[(5, Grade::I, 5.0)]),
        ],
        &[("A市", vec![10])],
        Some(1),
    );
    let exact = solve_milp(&p).unwrap();
    assert_eq!(exact.total_benefit, 10.0);
    let ids: Vec<&str> = exact.actions.iter().map(|a| a.asset_id.as_str()).collect();
    assert_eq!(ids, ["B橋", "C橋"]);
    let heuristic = solve_greedy(&p).unwrap();
    assert_eq!(heuristic.total_benefit, 7.0);
    assert_eq!(brute_force(&p), Some(10.0));
}

#[test]
fn earlier_repair_is_worth_more_and_budgets_are_per_year() {
    // Both bridges want year 1, but year 1 only funds one; the other goes to year 2.
    let p = problem(
        3,
        vec![
            cand("橋1", "B町", Grade::III, -5.0, &[(100, Grade::I, 0.0)]),
            cand("橋2", "B町", Grade::II, -2.0, &[(100, Grade::I, 0.0)]),
        ],
        &[("B町", vec![100, 100, 0])],
        Some(1),
    );
    let plan = solve_milp(&p).unwrap();
    assert_eq!(plan.choices, vec![Some(Choice { option: 0, year: 1 }), Some(Choice { option: 0, year: 2 })]);
    // baseline −21; gains 5×3 + 2×2 = 19
    assert_eq!(plan.total_benefit, -2.0);
    assert_eq!(plan.benefit_gain, 19.0);
    assert_eq!(plan.spend["B町"], vec![100, 100, 0]);
    assert_eq!(solve_greedy(&p).unwrap().total_benefit, -2.0);
}

#[test]
fn grade_iv_wins_ties_over_iii_and_iii_over_ii() {
    let tie = |g1: Grade, g2: Grade| {
        problem(
            1,
            vec![
                cand("先", "C村", g1, 0.0, &[(50, Grade::I, 3.0)]),
                cand("後", "C村", g2, 0.0, &[(50, Grade::I, 3.0)]),
            ],
            &[("C村", vec![50])],
            None, // no mandatory rule, so only the tie-break decides
        )
    };
    for (lower, higher) in [(Grade::III, Grade::IV), (Grade::II, Grade::III), (Grade::II, Grade::IV)] {
        let p = tie(lower, higher);
        for plan in [solve_milp(&p).unwrap(), solve_greedy(&p).unwrap()] {
            assert_eq!(plan.actions.len(), 1);
            assert_eq!(plan.actions[0].asset_id, "後", "{lower:?} vs {higher:?}");
            assert_eq!(plan.total_benefit, 3.0);
        }
    }
    // With the grades in the other order the earlier candidate wins, so it is the grade that decides.
    let p = tie(Grade::IV, Grade::III);
    assert_eq!(solve_milp(&p).unwrap().actions[0].asset_id, "先");
}

#[test]
fn emergency_items_are_forced_by_the_deadline() {
    // The IV item has a small benefit, but it must be repaired in year 1.
    let p = problem(
        2,
        vec![
            cand("緊急橋", "A市", Grade::IV, 0.0, &[(80, Grade::II, 1.0), (60, Grade::IV, 9.0)]),
            cand("予防橋", "A市", Grade::II, 0.0, &[(100, Grade::I, 50.0)]),
        ],
        &[("A市", vec![100, 100])],
        Some(1),
    );
    for plan in [solve_milp(&p).unwrap(), solve_greedy(&p).unwrap()] {
        // 工法2 does not improve the grade, so it does not count as an emergency repair.
        assert_eq!(plan.choices[0], Some(Choice { option: 0, year: 1 }));
        assert_eq!(plan.choices[1], Some(Choice { option: 0, year: 2 }));
    }
}

#[test]
fn unfundable_emergencies_are_listed_with_the_shortfall() {
    let p = problem(
        2,
        vec![
            cand("IV-1", "A市", Grade::IV, -10.0, &[(100, Grade::I, 0.0), (120, Grade::I, 1.0)]),
            cand("IV-2", "A市", Grade::IV, -10.0, &[(80, Grade::II, 0.0)]),
            cand("IV-3", "A市", Grade::IV, -10.0, &[(60, Grade::III, 0.0)]),
            cand("IV-4", "A市", Grade::IV, -10.0, &[(10, Grade::IV, 0.0)]),
            cand("IV-5", "B町", Grade::IV, -10.0, &[(10, Grade::I, 0.0)]),
        ],
        &[("A市", vec![150, 1_000]), ("B町", vec![10, 0])],
        Some(1),
    );
    let expected = PlanError::EmergencyUnfunded(vec![EmergencyShortfall {
        owner_id: "A市".into(),
        available_yen: 150,
        required_yen: 240,
        short_by_yen: 90,
        // cheapest first: IV-3 (60) and IV-2 (80) fit into 150; IV-1 (100) does not;
        // IV-4 has no option that improves its grade.
        unfunded: vec![("IV-1".into(), Some(100)), ("IV-4".into(), None)],
    }]);
    assert_eq!(solve_milp(&p).unwrap_err(), expected);
    assert_eq!(solve_greedy(&p).unwrap_err(), expected);
    assert_eq!(
        expected.to_string(),
        "緊急措置（判定区分IV）の補修を期限内の予算で賄えません: A市: 予算 150 円に対し必要額 240 円、\
         90 円不足。対象 IV-1（100 円）、IV-4（改善する工法なし）"
    );
}

#[test]
fn later_deadline_finds_packings_first_fit_misses() {
    // Deadline year 2, budgets 6 and 3; items 4, 3, 2. First-fit cheapest-first puts 2+3
    // into year 1, leaving 4 unplaceable (1 yen short in year 1); 2+4 | 3 fits.
    let p = problem(
        2,
        vec![
            cand("a", "X", Grade::IV, 0.0, &[(4, Grade::I, 1.0)]),
            cand("b", "X", Grade::IV, 0.0, &[(3, Grade::I, 1.0)]),
            cand("c", "X", Grade::IV, 0.0, &[(2, Grade::I, 1.0)]),
        ],
        &[("X", vec![6, 3])],
        Some(2),
    );
    let Err(short) = p.place_emergencies() else { panic!("first-fit should fail here") };
    assert_eq!(short[0].short_by_yen, 1);
    let plan = solve_milp(&p).unwrap();
    assert_eq!(plan.total_benefit, brute_force(&p).unwrap());
    assert!(matches!(solve_greedy(&p), Err(PlanError::EmergencyUnfunded(_))));
}

#[test]
fn invalid_inputs_are_rejected() {
    let c = || vec![cand("x", "A市", Grade::II, 0.0, &[(1, Grade::I, 1.0)])];
    let e = solve_milp(&problem(0, c(), &[("A市", vec![])], None)).unwrap_err();
    assert_eq!(e.to_string(), "入力が不正です: 計画期間は1年以上にしてください");
    assert!(solve_milp(&problem(2, c(), &[("A市", vec![1])], None)).is_err());
    assert!(solve_milp(&problem(1, c(), &[("B町", vec![1])], None)).is_err());
    assert!(solve_greedy(&problem(1, c(), &[("A市", vec![1])], Some(2))).is_err());
}

#[test]
fn fifteen_candidates_match_brute_force() {
    // Deterministic pseudo-random instance: 15 candidates, 2 owners, 2 options, 1 year.
    let mut seed = 12_345u64;
    let mut next = |m: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    let grades = [Grade::I, Grade::II, Grade::III, Grade::III];
    let candidates: Vec<Candidate> = (0..15)
        .map(|i| {
            let g = grades[next(4) as usize];
            let opts = [(10 + next(40), Grade::I, next(20) as f64), (5 + next(20), Grade::II, next(10) as f64)];
            cand(&format!("橋{i}"), if i % 2 == 0 { "A市" } else { "B町" }, g, 0.0, &opts)
        })
        .collect();
    let p = problem(1, candidates, &[("A市", vec![120]), ("B町", vec![90])], Some(1));
    let exact = solve_milp(&p).unwrap();
    assert!((exact.total_benefit - brute_force(&p).unwrap()).abs() < 1e-6);
    assert!(within_budgets(&p, &exact.choices));
    let heuristic = solve_greedy(&p).unwrap();
    assert!(within_budgets(&p, &heuristic.choices));
    assert!(heuristic.total_benefit <= exact.total_benefit + 1e-9);
}

fn grade_of(i: u8) -> Grade {
    [Grade::I, Grade::II, Grade::III, Grade::IV][i as usize % 4]
}

/// Small random instances: ≤ 7 candidates, ≤ 2 options, ≤ 2 years, ≤ 2 owners.
fn instance() -> impl Strategy<Value = Problem> {
    let option = (1u64..60, 0u8..4, 0u32..15);
    let candidate = (0u8..4, 0u8..2, 0u32..5, prop::collection::vec(option, 1..3));
    (1u32..3, prop::collection::vec(candidate, 1..8), prop::collection::vec(0u64..120, 4), any::<bool>()).prop_map(
        |(horizon, cands, budgets, deadline)| {
            let candidates = cands
                .into_iter()
                .enumerate()
                .map(|(i, (g, owner, dn, opts))| {
                    let opts: Vec<(u64, Grade, f64)> =
                        opts.into_iter().map(|(c, rg, b)| (c, grade_of(rg), f64::from(b))).collect();
                    cand(&format!("c{i}"), ["A", "B"][owner as usize], grade_of(g), f64::from(dn), &opts)
                })
                .collect();
            let h = horizon as usize;
            problem(
                horizon,
                candidates,
                &[("A", budgets[..h].to_vec()), ("B", budgets[2..2 + h].to_vec())],
                deadline.then_some(1),
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn milp_equals_brute_force_and_respects_budgets(p in instance()) {
        let brute = brute_force(&p);
        match (solve_milp(&p), brute) {
            (Ok(plan), Some(best)) => {
                prop_assert!((plan.total_benefit - best).abs() < 1e-6, "milp {} brute {}", plan.total_benefit, best);
                prop_assert!((objective(&p, &plan.choices) - plan.total_benefit).abs() < 1e-6);
                prop_assert!(within_budgets(&p, &plan.choices));
            }
            (Err(PlanError::EmergencyUnfunded(s)), None) => prop_assert!(!s.is_empty()),
            (r, b) => prop_assert!(false, "milp {:?} vs brute {:?}", r, b),
        }
        match solve_greedy(&p) {
            Ok(plan) => {
                prop_assert!(within_budgets(&p, &plan.choices));
                prop_assert!(p.check(&plan.choices).is_ok());
                prop_assert!(plan.total_benefit <= brute.unwrap() + 1e-6);
            }
            Err(e) => prop_assert!(matches!(e, PlanError::EmergencyUnfunded(_))),
        }
    }
}
