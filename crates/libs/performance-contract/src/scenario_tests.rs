//! One month of a 静岡県・下田市 contract through every rule, as issue 18's first acceptance check
//! describes it: three levels, a plan, entered output, a failed spot check, payment under each
//! deduction setting, and the meeting agenda. The figures are invented for the test; the seed
//! prints none for this case.

use crate::level::*;
use crate::limit::*;
use crate::meeting::*;
use crate::output::*;
use crate::payment::*;
use crate::schedule::*;
use crate::value::{Quantity, YearMonth};
use chrono::NaiveDate;
use tabane_calendar::FiscalYear;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn level(id: &str, indicator: &str, target: Target) -> RequirementLevel {
    RequirementLevel {
        id: id.into(),
        indicator: indicator.into(),
        target,
        inspection_method: "道路パトロール".into(),
        frequency: Frequency { times: 1, per: Period::Month },
        quantities: vec![
            OwnerQuantity { owner: "静岡県".into(), quantity: Quantity::units(40), unit: "km".into() },
            OwnerQuantity { owner: "下田市".into(), quantity: Quantity::units(15), unit: "km".into() },
        ],
    }
}

fn record(id: &str, level: &str, owner: &str, day: u32, source: Source, observation: Observation) -> MonitoringRecord {
    MonitoringRecord {
        id: id.into(),
        level_id: level.into(),
        owner: owner.into(),
        date: d(6, day),
        source,
        observation,
        note: "県道下田松崎線 2.3km地点".into(),
    }
}

#[test]
fn a_month_of_the_shizuoka_shimoda_contract() {
    let levels = vec![
        level("L1", "建築限界内の支障物", Target::Condition("通行の支障となる支障物がない".into())),
        level("L2", "路肩の草丈（cm）", Target::AtMost(Quantity::units(30))),
        level("L3", "ポットホール深さ（cm）", Target::AtMost(Quantity::units(3))),
    ];
    validate_levels(&levels).unwrap();

    // 工程表 and the month's output.
    let schedule = vec![ScheduleLine {
        item_code: "A".into(),
        owner: "下田市".into(),
        month: YearMonth::new(2025, 6).unwrap(),
        place: "市道白浜線".into(),
        method: "肩掛式草刈機".into(),
        planned: Quantity::units(5000),
        level_id: Some("L2".into()),
        self_monitoring_on: Some(d(6, 16)),
    }];
    let actual = vec![OutputEntry {
        item_code: "A".into(),
        owner: "下田市".into(),
        month: YearMonth::new(2025, 6).unwrap(),
        quantity: Quantity::units(4600),
    }];
    let output = compare(&plan_entries(&schedule).unwrap(), &actual).unwrap();
    assert_eq!(output.rows[0].variance_milli, -400_000);

    // Monitoring: self-monitoring passes, the city's spot check fails L2.
    let records = vec![
        record("s1", "L1", "下田市", 16, Source::SelfMonitoring, Observation::Judged(true)),
        record("s2", "L2", "下田市", 16, Source::SelfMonitoring, Observation::Measured(Quantity::units(20))),
        record("x1", "L2", "下田市", 24, Source::SpotCheck, Observation::Measured(Quantity::units(45))),
        record("s3", "L3", "下田市", 16, Source::SelfMonitoring, Observation::Measured(Quantity::units(2))),
    ];
    assert_eq!(missed_self_monitoring(&schedule, &records, d(7, 1)).unwrap(), vec![]);
    let assessments: Vec<Assessment> =
        levels.iter().map(|l| assess(l, "下田市", &records, d(6, 1), d(6, 30)).unwrap()).collect();
    let statuses: Vec<Status> = assessments.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![Status::Met, Status::NotMet, Status::Met]);
    let request = improvement_request(&levels[1], &assessments[1]).unwrap();
    assert_eq!(request.evidence, vec!["x1".to_string()]);
    assert!(request.description.contains("抜き打ち確認（測定値45）：県道下田松崎線 2.3km地点"));

    // Payment under each setting.
    let items = vec![ContractItem {
        code: "A".into(),
        name: "除草・路面維持".into(),
        basis: Basis::LumpSum { installments: vec![OwnerAmount { owner: "下田市".into(), amount: 600_000 }] },
        level_ids: vec!["L1".into(), "L2".into(), "L3".into()],
    }];
    validate_item_levels(&items, &levels).unwrap();
    let pay = |deduction| {
        let s = statement(
            "下田市",
            &items,
            &UnitPriceSchedule::default(),
            &assessments,
            &[],
            PaymentSettings { deduction, ..Default::default() },
        )
        .unwrap();
        s.total_net
    };
    assert_eq!(pay(DeductionRule::None), 600_000);
    assert_eq!(pay(DeductionRule::FixedPerUnmetLevel { basis_points: 1000 }), 540_000);
    assert_eq!(pay(DeductionRule::Proportional), 400_000);

    // 指示限度額 of the city for FY2025 and the agenda.
    let limit = InstructionLimit {
        owner: "下田市".into(),
        district: None,
        period: LimitPeriod::FiscalYear(FiscalYear(2025)),
        amount: 20_000_000,
    };
    let jobs = vec![InstructedJob {
        id: "w1".into(),
        owner: "下田市".into(),
        district: None,
        instructed_on: d(6, 3),
        amount: 850_000,
    }];
    let agenda = agenda(&MeetingInput {
        month: Some(YearMonth::new(2025, 6).unwrap()),
        intake: vec![IntakeStatus { owner: "下田市".into(), received: 1, completed: 1, in_progress: 0, overdue: 0 }],
        output: output.rows.clone(),
        levels: assessments,
        budget: vec![usage(&limit, &jobs)],
        concerns: vec![],
        improvements: vec![request.title.clone()],
    })
    .unwrap();
    assert!(agenda[0].lines.contains(&"出来型 A・下田市：計画5000、実績4600、差異-400".to_string()));
    assert_eq!(agenda[1].lines, vec!["下田市・2025年度：限度額20,000,000円、指示済850,000円、残額19,150,000円"]);
    assert_eq!(
        agenda[3].lines,
        vec!["・改善要求：路肩の草丈（cm）".to_string(), "・要求水準L2（下田市）が未達：改善要求の要否".to_string()]
    );
}
