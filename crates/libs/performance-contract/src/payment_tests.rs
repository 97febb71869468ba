use crate::error::ContractRuleError;
use crate::level::{Assessment, Status};
use crate::payment::*;
use crate::value::Quantity;
use proptest::prelude::*;

fn schedule() -> UnitPriceSchedule {
    UnitPriceSchedule {
        entries: vec![
            UnitPriceEntry {
                code: "U1".into(),
                name: "舗装補修（パッチング）".into(),
                unit: "m²".into(),
                price: 12_000,
            },
            UnitPriceEntry { code: "U2".into(), name: "倒木処理".into(), unit: "本".into(), price: 35_000 },
        ],
    }
}

/// Q4-5's 明和町 combination (seed 4364–4366): 総価 for work at a stated frequency, 単価 for work
/// the staff instruct.
fn items() -> Vec<ContractItem> {
    vec![
        ContractItem {
            code: "A".into(),
            name: "除草・路肩維持".into(),
            basis: Basis::LumpSum {
                installments: vec![
                    OwnerAmount { owner: "静岡県".into(), amount: 1_000_000 },
                    OwnerAmount { owner: "下田市".into(), amount: 400_000 },
                ],
            },
            level_ids: vec!["L1".into(), "L2".into(), "L3".into()],
        },
        ContractItem {
            code: "B".into(),
            name: "舗装補修".into(),
            basis: Basis::UnitPrice { schedule_code: "U1".into() },
            level_ids: vec![],
        },
    ]
}

fn a(level: &str, owner: &str, status: Status) -> Assessment {
    Assessment {
        level_id: level.into(),
        owner: owner.into(),
        status,
        counts: vec![],
        failures: vec![],
        checks_short_of_frequency: false,
    }
}

fn june() -> Vec<Assessment> {
    vec![a("L1", "静岡県", Status::Met), a("L2", "静岡県", Status::NotMet)] // L3: no record (未確認)
}

#[test]
fn unit_price_jobs_are_quantity_times_price_and_lump_sum_jobs_are_refused() {
    let c = charge_job(&items()[1], &schedule(), Quantity(2_500)).unwrap();
    assert_eq!(c.amount, 30_000);
    assert_eq!(c.reason, "単価契約：舗装補修（パッチング） 2.5m² × 単価12,000円 = 30,000円（円未満切り捨て）");
    let e = charge_job(&items()[0], &schedule(), Quantity::units(1)).unwrap_err();
    assert!(e.is_conflict());
    assert_eq!(
        e.to_string(),
        "「除草・路肩維持」は総価契約の項目のため、作業ごとの請求はできません（要求水準の達成に基づいて支払います）"
    );
}

#[test]
fn without_a_deduction_rule_the_lump_sum_is_paid_in_full_and_the_reason_says_why() {
    let q = vec![
        UnitQuantity { item_code: "B".into(), owner: "静岡県".into(), quantity: Quantity::units(3) },
        UnitQuantity { item_code: "B".into(), owner: "静岡県".into(), quantity: Quantity(500) },
        UnitQuantity { item_code: "B".into(), owner: "下田市".into(), quantity: Quantity::units(10) },
    ];
    let s = statement("静岡県", &items(), &schedule(), &june(), &q, PaymentSettings::default()).unwrap();
    assert_eq!(s.lines.len(), 2);
    assert_eq!((s.lines[0].gross, s.lines[0].deduction, s.lines[0].net), (1_000_000, 0, 1_000_000));
    assert!(s.lines[0].reason.contains("達成：L1／未達：L2／未確認：L3"), "{}", s.lines[0].reason);
    assert!(s.lines[0].reason.contains("減額規定なし（設定。手引きに減額の定めはありません）"));
    // 3.5 m² × 12,000円; 下田市's 10 m² are not on 静岡県's statement.
    assert_eq!(s.lines[1].gross, 42_000);
    assert_eq!((s.total_gross, s.total_deduction, s.total_net), (1_042_000, 0, 1_042_000));
}

#[test]
fn a_fixed_rate_per_unmet_level_deducts_per_level() {
    let fixed =
        PaymentSettings { deduction: DeductionRule::FixedPerUnmetLevel { basis_points: 500 }, ..Default::default() };
    let s = statement("静岡県", &items(), &schedule(), &june(), &[], fixed).unwrap();
    assert_eq!(s.lines.len(), 1);
    assert_eq!((s.lines[0].deduction, s.lines[0].net), (50_000, 950_000));
    assert!(s.lines[0].reason.contains("未達1件につき5%減額（設定）"));
    assert!(s.lines[0].reason.contains("未確認の要求水準は減額の対象としない（設定）"));

    let strict = PaymentSettings { unchecked: Unchecked::CountsAsUnmet, ..fixed };
    let s = statement("静岡県", &items(), &schedule(), &june(), &[], strict).unwrap();
    assert_eq!(s.lines[0].deduction, 100_000);
}

#[test]
fn a_proportional_rule_deducts_the_share_of_unmet_levels() {
    let p = PaymentSettings { deduction: DeductionRule::Proportional, unchecked: Unchecked::NotDeducted };
    let s = statement("静岡県", &items(), &schedule(), &june(), &[], p).unwrap();
    // 1 of 3 levels: 1,000,000 / 3 = 333,333.3 → 333,333.
    assert_eq!((s.lines[0].deduction, s.lines[0].net), (333_333, 666_667));
    assert!(s.lines[0].reason.contains("1／3"));
    // 下田市 has no assessment at all: everything 未確認, nothing deducted by default.
    let s = statement("下田市", &items(), &schedule(), &june(), &[], p).unwrap();
    assert_eq!(s.lines[0].net, 400_000);
}

#[test]
fn bad_settings_and_quantities_are_refused_by_field() {
    let over =
        PaymentSettings { deduction: DeductionRule::FixedPerUnmetLevel { basis_points: 10_001 }, ..Default::default() };
    let e = statement("静岡県", &items(), &schedule(), &[], &[], over).unwrap_err();
    assert_eq!(e.to_string(), "「減額率」は0%〜100%の範囲で入力してください（100.01%）");
    let q = vec![UnitQuantity { item_code: "A".into(), owner: "静岡県".into(), quantity: Quantity::units(1) }];
    assert!(matches!(
        statement("静岡県", &items(), &schedule(), &[], &q, PaymentSettings::default()),
        Err(ContractRuleError::LumpSumNotChargeable { .. })
    ));
    let q = vec![UnitQuantity { item_code: "Z".into(), owner: "静岡県".into(), quantity: Quantity::units(1) }];
    let e = statement("静岡県", &items(), &schedule(), &[], &q, PaymentSettings::default()).unwrap_err();
    assert_eq!(e.message_en(), "contract item \"Z\" is not registered");
    let mut bad = items();
    bad[1].basis = Basis::UnitPrice { schedule_code: "U9".into() };
    assert_eq!(validate_items(&bad, &schedule()).unwrap_err().field().ja, "単価表の項目");
    assert!(matches!(
        statement(" ", &items(), &schedule(), &[], &[], PaymentSettings::default()),
        Err(ContractRuleError::Missing { .. })
    ));
}

proptest! {
    /// Whatever the rule, the deduction never exceeds the installment, net + deduction = gross, and
    /// a month with every level met is paid in full.
    #[test]
    fn deductions_stay_within_the_installment(
        amount in 0u64..10_000_000_000,
        bp in 0u32..=10_000,
        statuses in proptest::collection::vec(0u8..3, 0..6),
        rule in 0u8..3,
        strict in any::<bool>(),
    ) {
        let ids: Vec<String> = (0..statuses.len()).map(|i| format!("L{i}")).collect();
        let item = ContractItem {
            code: "A".into(),
            name: "除草".into(),
            basis: Basis::LumpSum { installments: vec![OwnerAmount { owner: "甲市".into(), amount }] },
            level_ids: ids.clone(),
        };
        let assessments: Vec<Assessment> = statuses.iter().zip(&ids).map(|(s, id)| {
            a(id, "甲市", [Status::Met, Status::NotMet, Status::NotChecked][usize::from(*s)])
        }).collect();
        let deduction = [DeductionRule::None, DeductionRule::FixedPerUnmetLevel { basis_points: bp }, DeductionRule::Proportional][usize::from(rule)];
        let unchecked = if strict { Unchecked::CountsAsUnmet } else { Unchecked::NotDeducted };
        let s = statement("甲市", &[item], &UnitPriceSchedule::default(), &assessments, &[], PaymentSettings { deduction, unchecked }).unwrap();
        let l = &s.lines[0];
        prop_assert!(l.deduction <= l.gross);
        prop_assert_eq!(l.net + l.deduction, l.gross);
        if statuses.iter().all(|s| *s == 0) {
            prop_assert_eq!(l.net, amount);
        }
    }
}

#[test]
fn an_item_following_an_unknown_level_is_refused() {
    use crate::level::{Frequency, Period, RequirementLevel, Target};
    let level = |id: &str| RequirementLevel {
        id: id.into(),
        indicator: "草丈".into(),
        target: Target::AtMost(Quantity::units(30)),
        inspection_method: "計測".into(),
        frequency: Frequency { times: 1, per: Period::Month },
        quantities: vec![],
    };
    assert_eq!(validate_item_levels(&items(), &[level("L1"), level("L2"), level("L3")]), Ok(()));
    let e = validate_item_levels(&items(), &[level("L1"), level("L2")]).unwrap_err();
    assert_eq!(e.to_string(), "「要求水準ID」の「L3」は登録されていません");
}
