//! Property tests over the whole supported range (1873–2100).

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use tabane_calendar::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Any date from 1873-01-01 (Gregorian adoption) to 2100-12-31.
fn date() -> impl Strategy<Value = NaiveDate> {
    let first = ymd(1873, 1, 1);
    let days = ymd(2100, 12, 31).signed_duration_since(first).num_days();
    (0..=days).prop_map(move |n| first + chrono::TimeDelta::days(n))
}

/// Dates around the holiday dataset, where business-day logic is most interesting.
fn recent_date() -> impl Strategy<Value = NaiveDate> {
    let first = ymd(1965, 1, 1);
    let days = ymd(2055, 12, 31).signed_duration_since(first).num_days();
    (0..=days).prop_map(move |n| first + chrono::TimeDelta::days(n))
}

fn calendar() -> impl Strategy<Value = BusinessCalendar> {
    any::<bool>().prop_map(|year_end_closure| BusinessCalendar { year_end_closure })
}

fn step() -> impl Strategy<Value = DeadlineStep> {
    let amount = -deadline_text::MAX_STEP_AMOUNT..=deadline_text::MAX_STEP_AMOUNT;
    prop_oneof![
        amount.clone().prop_map(|n| DeadlineStep::Days { n }),
        amount.clone().prop_map(|n| DeadlineStep::BusinessDays { n }),
        amount.prop_map(|n| DeadlineStep::Months { n }),
        Just(DeadlineStep::FirstOfNextMonth),
        Just(DeadlineStep::FirstOfMonth),
        Just(DeadlineStep::EndOfMonth),
    ]
}

fn rule() -> impl Strategy<Value = DeadlineRule> {
    let adjust = prop_oneof![Just(Adjust::None), Just(Adjust::NextBusinessDay), Just(Adjust::PreviousBusinessDay)];
    (proptest::collection::vec(step(), 0..5), adjust).prop_map(|(steps, adjust)| DeadlineRule { steps, adjust })
}

fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn wareki_round_trips(d in date()) {
        let w = to_wareki(d).expect("supported from 1873");
        prop_assert_eq!(from_wareki(w.era, w.year, w.month, w.day), Ok(d));
        prop_assert_eq!(w.to_date(), Ok(d));
    }

    #[test]
    fn format_ja_parses_back(d in date()) {
        let w = to_wareki(d).unwrap();
        prop_assert_eq!(parse_date(&w.format_ja()), Ok(d));
    }

    #[test]
    fn format_short_parses_back(d in date()) {
        let w = to_wareki(d).unwrap();
        prop_assert_eq!(parse_date(&w.format_short()), Ok(d));
    }

    #[test]
    fn iso_and_compact_parse_back(d in date()) {
        prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Ok(d));
        prop_assert_eq!(parse_date(&d.format("%Y%m%d").to_string()), Ok(d));
        prop_assert_eq!(parse_date(&d.format("%Y年%-m月%-d日").to_string()), Ok(d));
    }

    #[test]
    fn to_wareki_is_monotonic(a in date(), b in date()) {
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        let (we, wl) = (to_wareki(early).unwrap(), to_wareki(late).unwrap());
        prop_assert!(we.era <= wl.era);
        if we.era == wl.era {
            prop_assert!(we.year <= wl.year);
        }
        prop_assert!(we <= wl);
    }

    #[test]
    fn fiscal_year_contains_its_dates(d in date()) {
        let fy = FiscalYear::of(d);
        prop_assert!(fy.contains(d));
        prop_assert!(fy.start() <= d && d <= fy.end());
        prop_assert_eq!(FiscalYear::of(fy.start()), fy);
        prop_assert_eq!(FiscalYear::of(fy.end()), fy);
        prop_assert!(fy.label_ja().ends_with("年度"));
    }

    #[test]
    fn add_business_days_lands_on_business_days(d in recent_date(), n in -60i32..=60, cal in calendar()) {
        let r = cal.add_business_days(d, n);
        prop_assert!(cal.is_business_day(r));
        if n > 0 { prop_assert!(r > d); }
        if n < 0 { prop_assert!(r < d); }
    }

    #[test]
    fn add_business_days_is_monotonic(d in recent_date(), n1 in 1i32..=60, n2 in 1i32..=60, cal in calendar()) {
        prop_assume!(n1 != n2);
        let (lo, hi) = if n1 < n2 { (n1, n2) } else { (n2, n1) };
        prop_assert!(cal.add_business_days(d, lo) < cal.add_business_days(d, hi));
    }

    #[test]
    fn business_days_between_inverts_add(d in recent_date(), n in 1i32..=60, cal in calendar()) {
        let start = cal.next_business_day_on_or_after(d);
        let end = cal.add_business_days(start, n);
        prop_assert_eq!(cal.business_days_between(start, end), i64::from(n));
        prop_assert_eq!(cal.business_days_between(end, start), -i64::from(n));
        prop_assert_eq!(cal.add_business_days(end, -n), start);
    }

    #[test]
    fn add_months_clamps(d in date(), n in -1200i32..=1200) {
        let r = add_months(d, n);
        prop_assert!(r.day() <= d.day());
        prop_assert_eq!(month_index(r) - month_index(d), i64::from(n));
        let back = add_months(r, -n);
        prop_assert!(back <= d);
        if r.day() == d.day() {
            prop_assert_eq!(back, d);
        }
    }

    #[test]
    fn month_edges_are_consistent(d in date()) {
        let eom = end_of_month(d);
        prop_assert_eq!(eom.succ_opt().unwrap(), first_of_next_month(d));
        prop_assert_eq!(first_of_month(d).month(), d.month());
        prop_assert!(first_of_month(d) <= d && d <= eom);
    }

    #[test]
    fn deadline_text_round_trips(r in rule()) {
        let text = r.to_text();
        prop_assert_eq!(DeadlineRule::parse(&text), Ok(r.clone()), "{}", text);
        let json = serde_json::to_string(&r).unwrap();
        prop_assert_eq!(serde_json::from_str::<DeadlineRule>(&json).unwrap(), r);
    }

    #[test]
    fn adjusted_deadlines_are_business_days(d in recent_date(), r in rule(), cal in calendar()) {
        // Keep the amounts small so the result stays near the holiday dataset.
        let steps = r.steps.iter().map(|s| match *s {
            DeadlineStep::Days { n } => DeadlineStep::Days { n: n % 400 },
            DeadlineStep::BusinessDays { n } => DeadlineStep::BusinessDays { n: n % 300 },
            DeadlineStep::Months { n } => DeadlineStep::Months { n: n % 24 },
            other => other,
        }).collect();
        let result = DeadlineRule { steps, adjust: Adjust::NextBusinessDay }.apply(d, &cal);
        prop_assert!(cal.is_business_day(result));
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,20}") {
        let _ = parse_date(&s);
        let _ = DeadlineRule::parse(&s);
    }
}
