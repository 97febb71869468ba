//! 期限ルール text form: `DeadlineRule::parse`, its canonical `to_text` (which must parse back
//! to the same rule), `describe_ja`, and applying the rule to a few anchor dates.
use tabane_calendar::{BusinessCalendar, DeadlineRule, DeadlineStep, NaiveDate};

/// Business-day steps walk day by day; beyond this many the target would spend its time
/// counting days instead of exploring the parser.
const BUSINESS_DAY_BUDGET: u32 = 2_000;

fn main() {
    let anchors = [
        NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 12, 28).unwrap(),
        NaiveDate::MIN,
        NaiveDate::MAX,
    ];
    afl::fuzz!(|data: &[u8]| {
        let Ok(s) = std::str::from_utf8(data) else { return };
        let rule = match DeadlineRule::parse(s) {
            Ok(rule) => rule,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        };
        let text = rule.to_text();
        assert_eq!(DeadlineRule::parse(&text), Ok(rule.clone()), "{s:?} → {text:?}");
        assert!(!rule.describe_ja().is_empty());
        let business_days: u32 = rule
            .steps
            .iter()
            .map(|step| match step {
                DeadlineStep::BusinessDays { n } => n.unsigned_abs(),
                _ => 0,
            })
            .sum();
        if business_days <= BUSINESS_DAY_BUDGET {
            for cal in [BusinessCalendar::default(), BusinessCalendar { year_end_closure: true }] {
                for anchor in anchors {
                    let _ = rule.apply(anchor, &cal);
                }
            }
        }
    });
}
