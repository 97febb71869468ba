use crate::error::ContractRuleError;
use crate::limit::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use tabane_calendar::{BusinessCalendar, FiscalYear};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn job(id: &str, owner: &str, district: Option<&str>, on: NaiveDate, amount: u64) -> InstructedJob {
    InstructedJob { id: id.into(), owner: owner.into(), district: district.map(Into::into), instructed_on: on, amount }
}

/// 四日市市 (seed 1636–1642): one limit per 地区 over a term R6.3–R7.7 that crosses fiscal years.
/// The seed's range is taken as 2024-03-01..=2025-07-31; its 「1年4か月」 cannot be reproduced from it
/// (that range is 17 calendar months), so the term is set by dates.
fn yokkaichi() -> Vec<InstructionLimit> {
    let term = LimitPeriod::Term { first: d(2024, 3, 1), last: d(2025, 7, 31) };
    vec![
        InstructionLimit {
            owner: "四日市市".into(), district: Some("北部".into()), period: term, amount: 421_000_000
        },
        InstructionLimit {
            owner: "四日市市".into(), district: Some("南部".into()), period: term, amount: 474_000_000
        },
    ]
}

#[test]
fn a_district_term_limit_counts_jobs_across_fiscal_years() {
    let jobs = vec![
        job("1", "四日市市", Some("北部"), d(2024, 3, 15), 200_000_000), // FY2023
        job("2", "四日市市", Some("北部"), d(2025, 5, 1), 200_000_000),  // FY2025
        job("3", "四日市市", Some("南部"), d(2024, 9, 1), 400_000_000),
        job("4", "四日市市", Some("北部"), d(2025, 8, 1), 999_000_000), // after the term
    ];
    let u = usage(&yokkaichi()[0], &jobs);
    assert_eq!((u.used, u.remaining), (400_000_000, 21_000_000));
    assert_eq!(u.scope, "四日市市・北部・2024-03-01〜2025-07-31");

    let ok = check_job(
        &yokkaichi(),
        &jobs,
        &job("5", "四日市市", Some("北部"), d(2025, 7, 31), 21_000_000),
        JobSettings::default(),
    )
    .unwrap();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].remaining, 0);

    let e = check_job(
        &yokkaichi(),
        &jobs,
        &job("5", "四日市市", Some("北部"), d(2025, 6, 1), 21_000_001),
        JobSettings::default(),
    )
    .unwrap_err();
    assert!(e.is_conflict());
    assert_eq!(
        e.to_string(),
        "指示限度額を超えるため指示できません（四日市市・北部・2024-03-01〜2025-07-31：限度額421,000,000円、指示済400,000,000円、残額21,000,000円、今回21,000,001円）"
    );
    assert_eq!(e.field().ja, "指示金額");
}

#[test]
fn a_job_must_fit_every_limit_it_falls_under() {
    let mut limits = yokkaichi();
    limits.push(InstructionLimit {
        owner: "四日市市".into(),
        district: None,
        period: LimitPeriod::FiscalYear(FiscalYear(2024)),
        amount: 100_000_000,
    });
    let jobs = vec![job("1", "四日市市", Some("南部"), d(2024, 9, 1), 90_000_000)];
    // 北部 has room for its term, but the city-wide FY2024 limit has only 10,000,000 left.
    let e = check_job(
        &limits,
        &jobs,
        &job("2", "四日市市", Some("北部"), d(2024, 10, 1), 20_000_000),
        JobSettings::default(),
    )
    .unwrap_err();
    assert!(matches!(e, ContractRuleError::LimitExceeded { remaining: 10_000_000, .. }));
    // Re-checking job 1 itself (an edit) does not count it twice.
    let ok = check_job(
        &limits,
        &jobs,
        &job("1", "四日市市", Some("南部"), d(2024, 9, 1), 95_000_000),
        JobSettings::default(),
    );
    assert!(ok.is_ok(), "{ok:?}");
    // Another owner's job is not limited by 四日市市's limits.
    assert_eq!(
        check_job(&limits, &jobs, &job("9", "鈴鹿市", None, d(2024, 10, 1), 1), JobSettings::default()),
        Ok(vec![])
    );
}

#[test]
fn the_per_job_cap_is_a_setting_and_refuses_with_its_amount() {
    let cap = JobSettings { per_job_cap: Some(500_000) };
    assert!(check_job(&[], &[], &job("1", "下田市", None, d(2025, 6, 1), 500_000), cap).is_ok());
    let e = check_job(&[], &[], &job("1", "下田市", None, d(2025, 6, 1), 500_001), cap).unwrap_err();
    assert_eq!(e.to_string(), "1件あたりの上限額500,000円を超えています（500,001円）。別途発注を検討してください");
    assert!(check_job(&[], &[], &job("1", "下田市", None, d(2025, 6, 1), u64::MAX), JobSettings::default()).is_ok());
}

#[test]
fn terms_are_checked_and_a_16_month_term_can_be_set() {
    let t = LimitPeriod::months_from(d(2024, 3, 1), 16).unwrap();
    assert_eq!(t, LimitPeriod::Term { first: d(2024, 3, 1), last: d(2025, 6, 30) });
    assert!(LimitPeriod::months_from(d(2024, 3, 1), 0).is_err());
    let bad = InstructionLimit {
        owner: "四日市市".into(),
        district: None,
        period: LimitPeriod::Term { first: d(2025, 1, 1), last: d(2024, 1, 1) },
        amount: 1,
    };
    assert_eq!(bad.validate().unwrap_err().to_string(), "「契約期間の終了日」が「契約期間の開始日」より前の日付です");
    assert!(check_job(&[bad], &[], &job("1", "四日市市", None, d(2024, 6, 1), 1), JobSettings::default()).is_err());
}

#[test]
fn response_days_count_business_days_and_are_bounded() {
    let cal = BusinessCalendar::new();
    let days = ResponseDays::UNSOURCED_DEFAULT;
    // Friday 2025-06-06 + 3 開庁日 = Wednesday 2025-06-11.
    assert_eq!(days.due_date(d(2025, 6, 6), Urgency::Early, &cal), Ok(d(2025, 6, 11)));
    // 緊急 0 days on a Saturday: the next 開庁日.
    assert_eq!(days.due_date(d(2025, 6, 7), Urgency::Emergency, &cal), Ok(d(2025, 6, 9)));
    let silly = ResponseDays { normal: 1000, ..days };
    assert_eq!(silly.due_date(d(2025, 6, 6), Urgency::Normal, &cal).unwrap_err().field().ja, "対応日数（通常）");
}

proptest! {
    /// However jobs are checked one after another, what check_job lets through never exceeds any
    /// limit, and the remaining amount it reports matches usage().
    #[test]
    fn accepted_jobs_never_exceed_a_limit(amounts in proptest::collection::vec((0u64..200_000_000, 0usize..2, 0i64..600), 0..40)) {
        let limits = yokkaichi();
        let mut accepted: Vec<InstructedJob> = Vec::new();
        for (i, (amount, district, offset)) in amounts.iter().enumerate() {
            let j = job(&i.to_string(), "四日市市", Some(["北部", "南部"][*district]), d(2024, 3, 1) + chrono::Duration::days(*offset), *amount);
            if check_job(&limits, &accepted, &j, JobSettings::default()).is_ok() {
                accepted.push(j);
            }
        }
        for l in &limits {
            let u = usage(l, &accepted);
            prop_assert!(u.used <= u.limit);
            prop_assert_eq!(u.used + u.remaining, u.limit);
        }
    }
}
