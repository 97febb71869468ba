use super::*;
use proptest::prelude::*;

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

#[test]
fn equal_split_gives_the_extra_yen_to_the_first_member() {
    assert_eq!(allocate(1_000_000, 3, &Method::equal()).unwrap(), vec![333_334, 333_333, 333_333]);
    assert_eq!(allocate(2, 3, &Method::equal()).unwrap(), vec![1, 1, 0]);
    assert_eq!(allocate(0, 3, &Method::equal()).unwrap(), vec![0, 0, 0]);
}

/// 業務量割: 想定される業務量に応じて按分.
#[test]
fn workload_split() {
    let s = allocate(9_000_000, 3, &Method::workload(vec![120.0, 50.0, 50.0])).unwrap();
    // 9,000,000 × 120/220 = 4,909,090.9…, × 50/220 = 2,045,454.5…
    assert_eq!(s, vec![4_909_091, 2_045_455, 2_045_454]);
    assert_eq!(s.iter().sum::<u64>(), 9_000_000);
}

/// 複合配分: 均等割20%＋数量割80% (道路延長 100, 200, 700 km).
#[test]
fn combined_equal_20_quantity_80() {
    let m = Method::combined([(20.0, Basis::Equal), (80.0, Basis::Quantity(vec![100.0, 200.0, 700.0]))]);
    // exact: 146,666.67 / 226,666.67 / 626,666.67; all remainders equal → member order
    assert_eq!(allocate(1_000_000, 3, &m).unwrap(), vec![146_667, 226_667, 626_666]);
    // Weights are ratios: 0.2 / 0.8 gives the same result.
    let m2 = Method::combined([(0.2, Basis::Equal), (0.8, Basis::Quantity(vec![100.0, 200.0, 700.0]))]);
    assert_eq!(allocate(1_000_000, 3, &m2).unwrap(), vec![146_667, 226_667, 626_666]);
}

#[test]
fn largest_remainder_prefers_larger_fraction_over_member_order() {
    // exact 0.2, 0.3, 0.5 of 7 = 1.4, 2.1, 3.5 → floors 1, 2, 3; one yen left → member 3 (.5)
    assert_eq!(largest_remainder(7, &[0.2, 0.3, 0.5]), vec![1, 2, 4]);
}

/// Q4-1: 代行の場合は事務費を上乗せ、持ち回りの場合は求めない.
#[test]
fn admin_fee_delegated_vs_rotating() {
    let members = names(&["A市", "B町", "C村"]);
    let items = vec![
        CostItem { name: "巡回".into(), total_yen: 6_000_000, method: Method::quantity(vec![300.0, 200.0, 100.0]) },
        CostItem { name: "全体マネジメント".into(), total_yen: 3_000_000, method: Method::equal() },
    ];
    let s = share_costs(&members, &items, Leadership::Delegated { lead: 0, fee_basis_points: 300 }).unwrap();
    assert_eq!(s.members[0].item_shares_yen, vec![3_000_000, 1_000_000]);
    assert_eq!(s.members[1].share_yen, 3_000_000);
    assert_eq!(s.members[2].share_yen, 2_000_000);
    assert_eq!(s.members[1].admin_fee_paid_yen, 90_000); // 3% of 3,000,000
    assert_eq!(s.members[2].admin_fee_paid_yen, 60_000);
    assert_eq!(s.members[0].admin_fee_paid_yen, 0);
    assert_eq!(s.members[0].admin_fee_received_yen, 150_000);
    assert_eq!(s.members[0].net_burden_yen, 3_850_000);
    assert_eq!(s.total_admin_fee_yen, 150_000);
    assert_eq!(s.members.iter().map(|m| m.net_burden_yen).sum::<i64>(), 9_000_000);

    let r = share_costs(&members, &items, Leadership::Rotating).unwrap();
    assert_eq!(r.total_admin_fee_yen, 0);
    assert!(r.members.iter().all(|m| m.net_burden_yen == m.share_yen as i64));
}

#[test]
fn admin_fee_is_truncated_to_the_yen() {
    let members = names(&["幹事市", "B町"]);
    let items = vec![CostItem { name: "x".into(), total_yen: 1_001, method: Method::quantity(vec![0.0, 1.0]) }];
    let s = share_costs(&members, &items, Leadership::Delegated { lead: 0, fee_basis_points: 250 }).unwrap();
    assert_eq!(s.members[1].admin_fee_paid_yen, 25); // 25.025 → 25
}

#[test]
fn errors_are_reported_in_japanese() {
    let e = allocate(100, 3, &Method::quantity(vec![1.0, 2.0])).unwrap_err();
    assert_eq!(e.to_string(), "費用: 按分基準の数（2）が構成団体数（3）と一致しません");
    let e = allocate(100, 2, &Method::quantity(vec![0.0, 0.0])).unwrap_err();
    assert_eq!(e.to_string(), "費用: 数量 の合計が0のため按分できません");
    assert_eq!(allocate(100, 0, &Method::equal()).unwrap_err(), SharingError::NoMembers);
    assert!(matches!(allocate(100, 2, &Method::workload(vec![-1.0, 2.0])), Err(SharingError::InvalidValue { .. })));
    let e = share_costs(&names(&["A"]), &[], Leadership::Delegated { lead: 3, fee_basis_points: 0 });
    assert_eq!(e.unwrap_err(), SharingError::LeadOutOfRange { lead: 3, members: 1 });
}

#[test]
fn zero_weight_component_may_have_zero_basis() {
    let m = Method::combined([(1.0, Basis::Equal), (0.0, Basis::Quantity(vec![0.0, 0.0]))]);
    assert_eq!(allocate(10, 2, &m).unwrap(), vec![5, 5]);
}

/// (weight, kind) where kind 0 = 均等割, 1 = 業務量割, 2 = 数量割.
fn method_strategy(n: usize) -> impl Strategy<Value = Method> {
    let component = (0.0f64..100.0, 0u8..3, prop::collection::vec(0.001f64..1e6, n));
    (1.0f64..100.0, prop::collection::vec(component, 0..4)).prop_map(move |(w0, rest)| {
        let mut parts = vec![(w0, Basis::Equal)];
        for (w, kind, values) in rest {
            parts.push((
                w,
                match kind {
                    0 => Basis::Equal,
                    1 => Basis::Workload(values),
                    _ => Basis::Quantity(values),
                },
            ));
        }
        // Put the guaranteed-positive equal part last sometimes, so order varies.
        if parts.len() > 1 && w0 > 50.0 {
            parts.rotate_left(1);
        }
        Method::combined(parts)
    })
}

/// Independent computation of the exact share for the bound check.
fn exact_shares(total: u64, n: usize, m: &Method) -> Vec<f64> {
    let wsum: f64 = m.components.iter().map(|c| c.weight).sum();
    let mut out = vec![0.0; n];
    for c in &m.components {
        for (i, o) in out.iter_mut().enumerate() {
            let frac = match &c.basis {
                Basis::Equal => 1.0 / n as f64,
                Basis::Workload(v) | Basis::Quantity(v) => v[i] / v.iter().sum::<f64>(),
            };
            *o += total as f64 * c.weight / wsum * frac;
        }
    }
    out
}

proptest! {
    #[test]
    fn shares_sum_exactly_and_stay_within_one_yen(
        total in 0u64..10_000_000_000,
        (n, method) in (1usize..30).prop_flat_map(|n| (Just(n), method_strategy(n))),
    ) {
        let shares = allocate(total, n, &method).unwrap();
        prop_assert_eq!(shares.len(), n);
        prop_assert_eq!(shares.iter().sum::<u64>(), total);
        for (s, e) in shares.iter().zip(exact_shares(total, n, &method)) {
            // largest remainder: every share is the floor or the ceiling of its exact value
            prop_assert!((*s as f64 - e).abs() < 1.0 + 1e-3, "share {} exact {}", s, e);
        }
    }

    #[test]
    fn equal_inputs_differ_by_at_most_one_yen(
        total in 0u64..10_000_000_000,
        n in 1usize..30,
        kinds in prop::collection::vec((0.0f64..100.0, 0u8..3, 0.001f64..1e6), 1..4),
    ) {
        let mut parts: Vec<(f64, Basis)> = kinds
            .into_iter()
            .map(|(w, kind, v)| (w, match kind {
                0 => Basis::Equal,
                1 => Basis::Workload(vec![v; n]),
                _ => Basis::Quantity(vec![v; n]),
            }))
            .collect();
        parts.push((1.0, Basis::Equal));
        let shares = allocate(total, n, &Method::combined(parts)).unwrap();
        prop_assert_eq!(shares.iter().sum::<u64>(), total);
        let max = *shares.iter().max().unwrap();
        let min = *shares.iter().min().unwrap();
        prop_assert!(max - min <= 1);
    }

    #[test]
    fn net_burdens_sum_to_total_with_fee(
        totals in prop::collection::vec(0u64..1_000_000_000, 0..5),
        n in 1usize..10,
        lead_seed in 0usize..100,
        bp in 0u32..2_000,
    ) {
        let members: Vec<String> = (0..n).map(|i| format!("M{i}")).collect();
        let items: Vec<CostItem> = totals
            .iter()
            .enumerate()
            .map(|(i, &t)| CostItem { name: format!("I{i}"), total_yen: t, method: Method::equal() })
            .collect();
        let lead = lead_seed % n;
        let s = share_costs(&members, &items, Leadership::Delegated { lead, fee_basis_points: bp }).unwrap();
        let total: u64 = totals.iter().sum();
        prop_assert_eq!(s.members.iter().map(|m| m.share_yen).sum::<u64>(), total);
        prop_assert_eq!(s.members.iter().map(|m| m.net_burden_yen).sum::<i64>(), total as i64);
        prop_assert_eq!(s.members[lead].admin_fee_paid_yen, 0);
    }
}
