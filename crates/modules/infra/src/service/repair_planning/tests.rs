//! The planner against brute force and its time limit.

use super::*;

fn demo_like(n4: usize, n3: usize, n2: usize, years: u32, budget: u64) -> Problem {
    let one_year = vec![
        vec![0.9231, 0.0713, 0.0051, 0.0005],
        vec![0.0, 0.8607, 0.1220, 0.0173],
        vec![0.0, 0.0, 0.7788, 0.2212],
        vec![0.0, 0.0, 0.0, 1.0],
    ];
    let risk = annual_risk(&one_year, DEFAULT_UNIT_COSTS, DEFAULT_LOSS_IV);
    let mut candidates = Vec::new();
    for (g, n) in [(Grade::IV, n4), (Grade::III, n3), (Grade::II, n2)] {
        for k in 0..n {
            let cost = DEFAULT_UNIT_COSTS[g.level() as usize - 2];
            candidates.push(Candidate {
                asset_id: format!("{g:?}{k}"),
                owner_id: "1".into(),
                grade: g,
                do_nothing_benefit: -risk[g.level() as usize - 1],
                options: vec![RepairOption {
                    name: "r".into(),
                    cost_yen: cost,
                    resulting_grade: Grade::I,
                    annual_benefit: -risk[0],
                }],
            });
        }
    }
    Problem {
        horizon_years: years,
        candidates,
        budgets: [("1".to_string(), vec![budget; years as usize])].into(),
        emergency_deadline_year: Some(1),
    }
}

#[tokio::test]
async fn demo_sized_plans_come_back_quickly_within_budget() {
    let p = demo_like(19, 11, 21, 5, 420_000_000);
    let t = std::time::Instant::now();
    let (plan, _) = solve(p.clone()).await.unwrap();
    assert!(p.check(&plan.choices).is_ok());
    assert!(t.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn tight_budgets_do_not_hang_the_request() {
    // microlp's branch and bound can run for minutes on tight knapsacks of this size.
    let mut p = demo_like(1, 5, 6, 5, 11_000_000);
    for c in &mut p.candidates {
        if c.grade == Grade::IV {
            c.options[0].cost_yen = 1_000_000;
        }
    }
    let t = std::time::Instant::now();
    let (plan, solver) = solve(p.clone()).await.unwrap();
    assert_eq!(solver, "greedy");
    assert!(p.check(&plan.choices).is_ok());
    assert!(t.elapsed() < Duration::from_secs(5));
    // A tiny problem is solved exactly.
    let small = demo_like(1, 1, 2, 3, 25_000_000);
    assert_eq!(solve(small).await.unwrap().1, "milp");
}
