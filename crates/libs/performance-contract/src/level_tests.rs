use crate::error::ContractRuleError;
use crate::level::*;
use crate::value::Quantity;
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 大館市's example (seed 2448–2452) as a 適否 level, with 静岡県・下田市's split of 実施数量 (3719–3721).
fn clearance() -> RequirementLevel {
    RequirementLevel {
        id: "L1".into(),
        indicator: "建築限界内の支障物".into(),
        target: Target::Condition("車両の円滑な走行と歩行者の安全性を妨げないよう保持する".into()),
        inspection_method: "パトロール車からの目視".into(),
        frequency: Frequency { times: 2, per: Period::Month },
        quantities: vec![
            OwnerQuantity { owner: "静岡県".into(), quantity: Quantity::units(42), unit: "km".into() },
            OwnerQuantity { owner: "下田市".into(), quantity: Quantity::units(18), unit: "km".into() },
        ],
    }
}

fn grass() -> RequirementLevel {
    RequirementLevel {
        id: "L2".into(),
        indicator: "路肩の草丈（cm）".into(),
        target: Target::AtMost(Quantity::units(30)),
        inspection_method: "定点での計測".into(),
        frequency: Frequency { times: 1, per: Period::Month },
        quantities: vec![],
    }
}

fn rec(id: &str, level: &str, owner: &str, date: NaiveDate, source: Source, obs: Observation) -> MonitoringRecord {
    MonitoringRecord {
        id: id.into(),
        level_id: level.into(),
        owner: owner.into(),
        date,
        source,
        observation: obs,
        note: format!("{id}の所見"),
    }
}

#[test]
fn levels_are_checked_by_field() {
    assert_eq!(validate_levels(&[clearance(), grass()]), Ok(()));
    let mut l = clearance();
    l.indicator = " ".into();
    assert_eq!(l.validate().unwrap_err().to_string(), "「指標」が入力されていません");
    let mut l = clearance();
    l.quantities[1].owner = "静岡県".into();
    assert!(matches!(l.validate(), Err(ContractRuleError::Duplicate { .. })));
    let mut l = grass();
    l.frequency.times = 0;
    assert_eq!(l.validate().unwrap_err().field().en, "frequency (times)");
    assert!(matches!(validate_levels(&[grass(), grass()]), Err(ContractRuleError::Duplicate { .. })));
}

#[test]
fn a_failed_spot_check_outweighs_passing_self_monitoring() {
    let records = vec![
        rec("s1", "L1", "下田市", d(2025, 6, 3), Source::SelfMonitoring, Observation::Judged(true)),
        rec("s2", "L1", "下田市", d(2025, 6, 17), Source::SelfMonitoring, Observation::Judged(true)),
        rec("x1", "L1", "下田市", d(2025, 6, 20), Source::SpotCheck, Observation::Judged(false)),
        // Another owner's record does not count for 下田市.
        rec("k1", "L1", "静岡県", d(2025, 6, 20), Source::SpotCheck, Observation::Judged(true)),
    ];
    let a = assess(&clearance(), "下田市", &records, d(2025, 6, 1), d(2025, 6, 30)).unwrap();
    assert_eq!(a.status, Status::NotMet);
    assert_eq!(a.failures.len(), 1);
    assert_eq!(a.counts, vec![(Source::SelfMonitoring, 2), (Source::SpotCheck, 1)]);
    assert!(!a.checks_short_of_frequency);

    let k = assess(&clearance(), "静岡県", &records, d(2025, 6, 1), d(2025, 6, 30)).unwrap();
    assert_eq!(k.status, Status::Met);
    // Only an unannounced check, no scheduled one: met, but monitoring fell short of 月2回.
    assert!(k.checks_short_of_frequency);
}

#[test]
fn no_record_is_not_checked_rather_than_met() {
    let a = assess(&grass(), "下田市", &[], d(2025, 6, 1), d(2025, 6, 30)).unwrap();
    assert_eq!(a.status, Status::NotChecked);
    assert_eq!(improvement_request(&grass(), &a), None);
}

#[test]
fn measured_targets_compare_inclusively_and_mismatched_observations_are_refused() {
    let at = |v| observation_meets(&Target::AtMost(Quantity::units(30)), Observation::Measured(Quantity::units(v)));
    assert_eq!(at(30), Ok(true));
    assert_eq!(at(31), Ok(false));
    assert_eq!(
        observation_meets(&Target::AtLeast(Quantity::units(5)), Observation::Measured(Quantity::units(5))),
        Ok(true)
    );
    let records = vec![rec("r", "L2", "下田市", d(2025, 6, 3), Source::Inspection, Observation::Judged(true))];
    let e = assess(&grass(), "下田市", &records, d(2025, 6, 1), d(2025, 6, 30)).unwrap_err();
    assert_eq!(e.to_string(), "「観測値」は測定値（数値）で入力してください");
    assert_eq!(e.message_en(), "observation must be a measured value");
}

#[test]
fn a_period_ending_before_it_starts_is_refused() {
    let e = assess(&grass(), "下田市", &[], d(2025, 6, 30), d(2025, 6, 1)).unwrap_err();
    assert_eq!(e.to_string(), "「期間の終了日」が「期間の開始日」より前の日付です");
}

#[test]
fn a_shortfall_becomes_an_improvement_request_with_its_evidence() {
    let records = vec![
        rec("i1", "L2", "静岡県", d(2025, 7, 2), Source::Inspection, Observation::Measured(Quantity(45_500))),
        rec("x2", "L2", "静岡県", d(2025, 7, 9), Source::SpotCheck, Observation::Measured(Quantity::units(20))),
    ];
    let a = assess(&grass(), "静岡県", &records, d(2025, 7, 1), d(2025, 7, 31)).unwrap();
    let req = improvement_request(&grass(), &a).unwrap();
    assert_eq!(req.title, "改善要求：路肩の草丈（cm）");
    assert_eq!(req.evidence, vec!["i1".to_string()]);
    assert!(req.description.contains("目標：30以下"), "{}", req.description);
    assert!(req.description.contains("2025-07-02 点検（測定値45.5）：i1の所見"), "{}", req.description);
    assert!(req.description.contains("月1回"));
}

#[test]
fn the_frequency_counts_only_whole_periods() {
    let f = Frequency { times: 2, per: Period::Month };
    assert_eq!(expected_checks(f, d(2025, 4, 1), d(2025, 4, 30)), 2);
    assert_eq!(expected_checks(f, d(2025, 4, 1), d(2025, 4, 29)), 0);
    assert_eq!(expected_checks(f, d(2025, 4, 1), d(2026, 3, 31)), 24);
    assert_eq!(expected_checks(f, d(2025, 1, 31), d(2025, 2, 27)), 0);
    // 民法143条: a month from 1/31 ends at the end of February.
    assert_eq!(expected_checks(f, d(2025, 1, 31), d(2025, 2, 28)), 2);
    let y = Frequency { times: 1, per: Period::Year };
    assert_eq!(expected_checks(y, d(2025, 4, 1), d(2026, 3, 31)), 1);
    let w = Frequency { times: 1, per: Period::Week };
    assert_eq!(expected_checks(w, d(2025, 6, 1), d(2025, 6, 30)), 4);
}

proptest! {
    /// Adding a passing record never turns 未達 into 達成, and adding a failing one always gives 未達.
    #[test]
    fn status_follows_the_worst_record(passes in proptest::collection::vec(any::<bool>(), 0..12)) {
        let records: Vec<MonitoringRecord> = passes
            .iter()
            .enumerate()
            .map(|(i, ok)| rec(&format!("r{i}"), "L1", "下田市", d(2025, 6, 1 + i as u32), Source::SelfMonitoring, Observation::Judged(*ok)))
            .collect();
        let a = assess(&clearance(), "下田市", &records, d(2025, 6, 1), d(2025, 6, 30)).unwrap();
        let expected = if passes.is_empty() { Status::NotChecked } else if passes.iter().all(|p| *p) { Status::Met } else { Status::NotMet };
        prop_assert_eq!(a.status, expected);
        prop_assert_eq!(a.failures.len(), passes.iter().filter(|p| !**p).count());
        prop_assert_eq!(improvement_request(&clearance(), &a).is_some(), expected == Status::NotMet);
    }

    #[test]
    fn expected_checks_never_panics(a in -100_000i64..100_000, b in 0i64..5000, times in 0u32..100) {
        let from = d(2000, 1, 1) + chrono::Duration::days(a);
        let to = from + chrono::Duration::days(b);
        for per in [Period::Week, Period::Month, Period::Year] {
            let _ = expected_checks(Frequency { times, per }, from, to);
        }
    }
}
