//! 暦・期限: a small tool page over the calendar library (和暦, 年度, holidays, business days).

use crate::api::calendar::{ConvertQuery, convert_date};
use crate::middleware::Page;
use crate::views::{self, CalendarPage};
use axum::extract::Query;

pub async fn show(page: Page, Query(q): Query<ConvertQuery>) -> views::Rendered {
    let (result, error) = if q.date.trim().is_empty() {
        (None, None)
    } else {
        match convert_date(&q) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e.message(page.lang.is_en()))),
        }
    };
    views::render(&CalendarPage {
        chrome: page.chrome(),
        input: q.date,
        days: q.business_days,
        rule: q.rule,
        result,
        error,
    })
}
