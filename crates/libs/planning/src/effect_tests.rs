use super::*;

fn hours_only(hours: f64, rate: f64) -> Costs {
    Costs { staff_hours: hours, labour_rate_yen_per_hour: rate, outsourcing_yen: 0, new_costs_yen: 0 }
}

/// Q2-8: 「例：A市がB町、C村の発注作業を代行する場合のイメージ」
/// 現状 A市100・B町100・C村100（合計300）→ 導入後 A市120・B町50・C村50（合計220）.
#[test]
fn guide_three_municipality_example_q2_8() {
    let rate = 3_000.0;
    let members = [("A市", 100.0, 120.0), ("B町", 100.0, 50.0), ("C村", 100.0, 50.0)].map(|(name, before, after)| {
        Member { name: name.into(), before: hours_only(before, rate), after: hours_only(after, rate) }
    });
    let e = estimate(&members).unwrap();
    assert_eq!(e.total_hours_before, 300.0);
    assert_eq!(e.total_hours_after, 220.0);
    assert!((e.hours_saving_rate.unwrap() - 80.0 / 300.0).abs() < 1e-12);
    assert_eq!(e.total_before_yen, 900_000);
    assert_eq!(e.total_after_yen, 660_000);
    assert_eq!(e.saving_yen, 240_000);
    // The lead (A市) works more; the members it acts for (B町, C村) work much less.
    assert_eq!(e.per_member[0].saving_yen, -60_000);
    assert_eq!(e.per_member[1].saving_yen, 150_000);
    assert_eq!(e.per_member[2].saving_yen, 150_000);
    assert!((e.saving_rate.unwrap() - 240_000.0 / 900_000.0).abs() < 1e-12);
}

/// Q2-7: 直営＋委託のトータルコスト. Sanjo's outcome had the same shape:
/// 直営分 大幅削減, 委託分 増加, 総費用 1%削減 (figures below are illustrative).
#[test]
fn total_cost_includes_outsourcing_and_new_costs() {
    let before = Costs {
        staff_hours: 4_000.0,
        labour_rate_yen_per_hour: 2_500.0,
        outsourcing_yen: 90_000_000,
        new_costs_yen: 0,
    };
    let after = Costs {
        staff_hours: 1_000.0,
        labour_rate_yen_per_hour: 2_500.0,
        outsourcing_yen: 92_000_000,
        new_costs_yen: 5_000_000,
    };
    assert_eq!(before.total_yen(), 100_000_000);
    assert_eq!(after.total_yen(), 99_500_000);
    let e = estimate(&[Member { name: "三条市".into(), before, after }]).unwrap();
    assert_eq!(e.saving_yen, 500_000);
    assert!((e.saving_rate.unwrap() - 0.005).abs() < 1e-12);
}

#[test]
fn saving_rate_is_none_without_any_cost() {
    let zero = hours_only(0.0, 0.0);
    let e = estimate(&[Member { name: "X町".into(), before: zero.clone(), after: zero }]).unwrap();
    assert_eq!(e.saving_rate, None);
    assert_eq!(e.hours_saving_rate, None);
}

#[test]
fn negative_hours_are_rejected_with_japanese_message() {
    let err = estimate(&[Member { name: "B町".into(), before: hours_only(-1.0, 1.0), after: hours_only(0.0, 1.0) }])
        .unwrap_err();
    assert!(err.to_string().contains("B町 の 直営対応時間"));
}

/// Q2-10: 過去3ヵ年の委託件数 × 3時間（見積0.5＋発注0.5＋工事監理1.0＋各活動の記録1.0）.
#[test]
fn sanjo_coordination_hours() {
    let c = sanjo_coordination(120, 3_000.0).unwrap();
    assert_eq!((c.quote_hours, c.order_hours, c.supervision_hours, c.record_hours), (60.0, 60.0, 120.0, 120.0));
    assert_eq!(c.total_hours, 360.0);
    assert_eq!(c.total_hours, 120.0 * 3.0);
    assert_eq!(c.cost_yen, 1_080_000);
}

/// Q2-10: 幹線市道 月1回, その他市道 年2回, 巡回速度 20km/h, 軽作業員2名体制.
#[test]
fn sanjo_patrol_cost() {
    let routes = [
        PatrolRoute { name: "幹線市道".into(), length_km: 50.0, frequency: PatrolFrequency::Monthly },
        PatrolRoute { name: "その他市道".into(), length_km: 300.0, frequency: PatrolFrequency::TwiceYearly },
    ];
    let p = patrol_cost(&routes, &PatrolParams::sanjo(2_000.0, 500.0)).unwrap();
    assert_eq!(p.km_per_year, 1_200.0); // 12×50 + 2×300
    assert_eq!(p.vehicle_hours, 60.0); // ÷ 20 km/h
    assert_eq!(p.person_hours, 120.0); // × 2名
    assert_eq!(p.labour_yen, 240_000);
    assert_eq!(p.vehicle_yen, 30_000);
    assert_eq!(p.total_yen, 270_000);
}

#[test]
fn park_frequencies_match_the_guide() {
    // 都市公園 週1回, 地域交流公園・その他の公園・児童遊園 月2回, 緑地 月1回.
    assert_eq!(PatrolFrequency::Weekly.times_per_year(), 52);
    assert_eq!(PatrolFrequency::TwiceMonthly.times_per_year(), 24);
    assert_eq!(PatrolFrequency::Monthly.times_per_year(), 12);
    assert_eq!(PatrolFrequency::PerYear(4).times_per_year(), 4);
}

#[test]
fn zero_patrol_speed_is_rejected() {
    let mut params = PatrolParams::sanjo(2_000.0, 0.0);
    params.speed_km_per_h = 0.0;
    assert!(patrol_cost(&[], &params).is_err());
}

/// Q2-10: 提案件数 年間1件（3年間で3件）; 積算構成 主任技師・技師A・技師B.
#[test]
fn sanjo_improvement_proposals() {
    let staff = [("主任技師", 2.0, 50_000.0), ("技師A", 3.0, 40_000.0), ("技師B", 5.0, 30_000.0)]
        .map(|(role, person_days, daily_rate_yen)| ProposalStaff { role: role.into(), person_days, daily_rate_yen });
    let p = improvement_proposals(3, &staff).unwrap();
    assert_eq!(p.proposals, 3);
    assert_eq!(p.cost_per_proposal_yen, 370_000);
    assert_eq!(p.total_yen, 1_110_000);
}
