//! 和暦・年度・祝日・営業日 for a date, and an optional deadline rule.

use crate::error::AppResult;
use axum::Json;
use axum::extract::Query;
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use tabane_calendar::{BusinessCalendar, DeadlineRule, FiscalYear, holiday_name, parse_date, to_wareki};
use tabane_core::Error;

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct ConvertQuery {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub business_days: String,
    #[serde(default)]
    pub rule: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Conversion {
    pub date: String,
    pub weekday: &'static str,
    pub wareki: String,
    pub wareki_short: String,
    pub fiscal_year: String,
    pub holiday: Option<&'static str>,
    pub business_day: bool,
    pub after_business_days: Option<String>,
    pub deadline: Option<String>,
    pub rule_description: Option<String>,
}

pub fn convert_date(q: &ConvertQuery) -> Result<Conversion, Error> {
    let d = parse_date(&q.date).map_err(|e| Error::invalid("date", "日付", "Date", e.message_ja(), e.message_en()))?;
    let cal = BusinessCalendar::default();
    let after = if q.business_days.trim().is_empty() {
        None
    } else {
        let n: i32 = q.business_days.trim().parse().map_err(|_| {
            Error::invalid(
                "business_days",
                "営業日数",
                "Business days",
                "は整数で入力してください",
                "must be a whole number",
            )
        })?;
        Some(cal.add_business_days(d, n).to_string())
    };
    let (deadline, rule_description) = if q.rule.trim().is_empty() {
        (None, None)
    } else {
        let r = DeadlineRule::parse(&q.rule)
            .map_err(|e| Error::invalid("rule", "期限ルール", "Deadline rule", e.to_string(), e.to_string()))?;
        (Some(r.apply(d, &cal).to_string()), Some(r.describe_ja()))
    };
    let w = to_wareki(d);
    Ok(Conversion {
        date: d.to_string(),
        weekday: ["月", "火", "水", "木", "金", "土", "日"][d.weekday().num_days_from_monday() as usize],
        wareki: w.as_ref().map(|w| w.format_ja()).unwrap_or_default(),
        wareki_short: w.as_ref().map(|w| w.format_short()).unwrap_or_default(),
        fiscal_year: FiscalYear::of(d).label_ja(),
        holiday: holiday_name(d),
        business_day: cal.is_business_day(d),
        after_business_days: after,
        deadline,
        rule_description,
    })
}

pub async fn convert(Query(q): Query<ConvertQuery>) -> AppResult<Json<Conversion>> {
    Ok(Json(convert_date(&q)?))
}
