//! Compact text form of a 期限ルール, for configuration files and admin screens.
//!
//! Whitespace-separated tokens, applied left to right:
//!
//! | token | step |
//! |---|---|
//! | `+40d`, `-7d` | calendar days (暦日) |
//! | `+5bd`, `-3bd` | business days (営業日) |
//! | `+6m`, `-4m` | months, clamped to month end (か月) |
//! | `next_month_start` (alias `first_of_next_month`) | 翌月1日 |
//! | `month_start` (alias `first_of_month`) | 月初 |
//! | `end_of_month` (alias `month_end`) | 月末 |
//! | `same_day` | no step at all (当日); only on its own |
//! | `adjust=next` / `adjust=prev` / `adjust=none` | [`Adjust`], at most once |
//!
//! The sign is optional when parsing (`7d` = `+7d`) but always written by `to_text`.
//! Amounts are limited to ±100000 so that a typo cannot produce a nonsensical rule.
//!
//! Examples: `-7d`, `+40d`, `+5bd adjust=next`, `next_month_start +6m`, `+3m end_of_month`.

use crate::deadline::{Adjust, DeadlineRule, DeadlineStep};
use crate::error::CalendarError;

/// Largest accepted amount in a step (about 270 years of days).
pub const MAX_STEP_AMOUNT: i32 = 100_000;

pub(crate) fn parse(s: &str) -> Result<DeadlineRule, CalendarError> {
    let err = |reason: String| CalendarError::InvalidRule { input: s.trim().to_owned(), reason };
    let mut steps = Vec::new();
    let mut adjust = None;
    let mut same_day = false;
    for raw in s.split_whitespace() {
        let token = raw.to_ascii_lowercase();
        if let Some(value) = token.strip_prefix("adjust=") {
            let a = match value {
                "next" => Adjust::NextBusinessDay,
                "prev" => Adjust::PreviousBusinessDay,
                "none" => Adjust::None,
                _ => {
                    return Err(err(format!("adjust の値「{value}」は next / prev / none のいずれかです")));
                }
            };
            if adjust.replace(a).is_some() {
                return Err(err("adjust が複数指定されています".to_owned()));
            }
            continue;
        }
        let step = match token.as_str() {
            "same_day" => {
                same_day = true;
                continue;
            }
            "next_month_start" | "first_of_next_month" => DeadlineStep::FirstOfNextMonth,
            "month_start" | "first_of_month" => DeadlineStep::FirstOfMonth,
            "end_of_month" | "month_end" => DeadlineStep::EndOfMonth,
            _ => amount_step(&token).map_err(|reason| err(reason.replace("{}", raw)))?,
        };
        steps.push(step);
    }
    if same_day && !steps.is_empty() {
        return Err(err("same_day は他の指定と併用できません".to_owned()));
    }
    if steps.is_empty() && !same_day {
        return Err(err("日数・月数などの指定がありません（例: -7d, +40d, +5bd, next_month_start +6m）".to_owned()));
    }
    Ok(DeadlineRule { steps, adjust: adjust.unwrap_or_default() })
}

/// `+40d` / `-5bd` / `6m`; the error reason contains `{}` where the token goes.
fn amount_step(token: &str) -> Result<DeadlineStep, String> {
    let unknown = || "不明な指定「{}」です（例: -7d, +40d, +5bd, -4m, next_month_start, end_of_month）".to_owned();
    let (number, make): (&str, fn(i32) -> DeadlineStep) = if let Some(n) = token.strip_suffix("bd") {
        (n, |n| DeadlineStep::BusinessDays { n })
    } else if let Some(n) = token.strip_suffix('d') {
        (n, |n| DeadlineStep::Days { n })
    } else if let Some(n) = token.strip_suffix('m') {
        (n, |n| DeadlineStep::Months { n })
    } else {
        return Err(unknown());
    };
    let (negative, digits) = match number.as_bytes().first() {
        Some(b'+') => (false, &number[1..]),
        Some(b'-') => (true, &number[1..]),
        _ => (false, number),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unknown());
    }
    let too_large = || format!("「{{}}」の数値が大きすぎます（上限 {MAX_STEP_AMOUNT}）");
    let value: i32 = digits.parse().map_err(|_| too_large())?;
    if value > MAX_STEP_AMOUNT {
        return Err(too_large());
    }
    Ok(make(if negative { -value } else { value }))
}

pub(crate) fn to_text(rule: &DeadlineRule) -> String {
    let mut parts: Vec<String> = rule
        .steps
        .iter()
        .map(|step| match *step {
            DeadlineStep::Days { n } => format!("{n:+}d"),
            DeadlineStep::BusinessDays { n } => format!("{n:+}bd"),
            DeadlineStep::Months { n } => format!("{n:+}m"),
            DeadlineStep::FirstOfNextMonth => "next_month_start".to_owned(),
            DeadlineStep::FirstOfMonth => "month_start".to_owned(),
            DeadlineStep::EndOfMonth => "end_of_month".to_owned(),
        })
        .collect();
    if parts.is_empty() {
        parts.push("same_day".to_owned());
    }
    match rule.adjust {
        Adjust::None => {}
        Adjust::NextBusinessDay => parts.push("adjust=next".to_owned()),
        Adjust::PreviousBusinessDay => parts.push("adjust=prev".to_owned()),
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeadlineStep::*;

    fn rule(steps: Vec<DeadlineStep>, adjust: Adjust) -> DeadlineRule {
        DeadlineRule { steps, adjust }
    }

    #[test]
    fn parses_examples() {
        assert_eq!(parse("-7d"), Ok(rule(vec![Days { n: -7 }], Adjust::None)));
        assert_eq!(parse("+40d"), Ok(rule(vec![Days { n: 40 }], Adjust::None)));
        assert_eq!(parse("40d"), Ok(rule(vec![Days { n: 40 }], Adjust::None)));
        assert_eq!(parse("+5bd"), Ok(rule(vec![BusinessDays { n: 5 }], Adjust::None)));
        assert_eq!(parse("-4m"), Ok(rule(vec![Months { n: -4 }], Adjust::None)));
        assert_eq!(parse("next_month_start +6m"), Ok(rule(vec![FirstOfNextMonth, Months { n: 6 }], Adjust::None)));
        assert_eq!(parse("+3m end_of_month"), Ok(rule(vec![Months { n: 3 }, EndOfMonth], Adjust::None)));
        assert_eq!(parse(" -7d  adjust=next "), Ok(rule(vec![Days { n: -7 }], Adjust::NextBusinessDay)));
        assert_eq!(parse("-7d adjust=prev"), Ok(rule(vec![Days { n: -7 }], Adjust::PreviousBusinessDay)));
        assert_eq!(parse("same_day adjust=next"), Ok(rule(vec![], Adjust::NextBusinessDay)));
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "   ",
            "7",
            "+d",
            "++7d",
            "7x",
            "+7days",
            "adjust=next",
            "-7d adjust=soon",
            "-7d adjust=next adjust=prev",
            "same_day +1d",
            "+100001d",
            "+99999999999d",
        ] {
            assert!(matches!(parse(s), Err(CalendarError::InvalidRule { .. })), "{s}");
        }
        let e = parse("+7x").unwrap_err().to_string();
        assert!(e.starts_with("期限ルール「+7x」を読み取れません: 不明な指定「+7x」です"), "{e}");
    }

    #[test]
    fn canonical_text() {
        assert_eq!(to_text(&rule(vec![Days { n: -7 }], Adjust::None)), "-7d");
        assert_eq!(to_text(&rule(vec![Days { n: 0 }], Adjust::None)), "+0d");
        assert_eq!(
            to_text(&rule(vec![FirstOfNextMonth, Months { n: 6 }], Adjust::NextBusinessDay)),
            "next_month_start +6m adjust=next"
        );
        assert_eq!(to_text(&rule(vec![], Adjust::None)), "same_day");
    }
}
