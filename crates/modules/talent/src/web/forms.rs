//! What the pages' forms send, read as text first: an empty box is "not given", a checkbox is
//! present only when ticked, and a number that is not one is refused in Japanese naming the
//! field (rather than axum's plain-text rejection).

use axum::http::StatusCode;
use tabane_core::Error;
use tabane_core::domain::BundleRole;
use tabane_web::error::status_of;
use tabane_web::middleware::Page;
use tabane_web::state::Shared;

/// Full-width digits and signs as half-width; thousands separators and 円 dropped.
fn normalise(v: &str) -> String {
    v.trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            '－' | 'ー' | '−' => Some('-'),
            ',' | '，' | '円' | ' ' | '　' => None,
            c => Some(c),
        })
        .collect()
}

/// A number typed in a box: `None` when empty, an `Invalid` naming the field when not a number.
pub fn num<T: std::str::FromStr>(field: &str, ja: &str, en: &str, v: &str) -> Result<Option<T>, Error> {
    let t = normalise(v);
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<T>().map(Some).map_err(|_| {
        Error::invalid(
            field,
            ja,
            en,
            format!(": 「{}」は数値ではありません", v.trim()),
            format!(": \"{}\" is not a number", v.trim()),
        )
    })
}

/// A comma-separated list of amounts (「10000000,8000000」; also 「、」 or 「;」 between them).
pub fn amounts(field: &str, ja: &str, en: &str, v: &str) -> Result<Vec<i64>, Error> {
    let mut out = Vec::new();
    for part in v.split([',', '、', '，', ';', '；', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        match num::<i64>(field, ja, en, part)? {
            Some(n) => out.push(n),
            None => continue,
        }
    }
    Ok(out)
}

/// A checkbox: ticked when present.
pub fn ticked(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty() && s != "0" && s != "false")
}

/// The status and the message of a refusal shown in place (200 and nothing without one).
pub fn message(page: &Page, e: Option<Error>) -> (StatusCode, Option<String>) {
    (e.as_ref().map(status_of).unwrap_or(StatusCode::OK), e.map(|e| e.message(page.lang.is_en())))
}

/// A day in the reader's language: 和暦 in Japanese (「令和7年9月1日」), ISO in English.
pub fn day(l: tabane_web::i18n::Lang, d: chrono::NaiveDate) -> String {
    if l.is_en() { d.to_string() } else { crate::domain::wareki(d) }
}

/// 年度 as officials write it (「令和7年度」; 「FY2025」 in English).
pub fn fiscal_year(l: tabane_web::i18n::Lang, y: i32) -> String {
    if l.is_en() { format!("FY{y}") } else { tabane_calendar::FiscalYear(y).label_ja() }
}

/// The municipalities (構成団体) of a pool's bundle, by name, for the prefecture's choices.
pub async fn municipalities(st: &Shared, bundle_id: i64) -> Result<Vec<(i64, String)>, Error> {
    let mut out = Vec::new();
    for (org, role) in tabane_core::service::bundle_access::members(&st.db, bundle_id).await.map_err(Error::from)? {
        if matches!(role, BundleRole::Member | BundleRole::Observer) {
            out.push((org, crate::service::needs::org_name(&st.db, org).await?));
        }
    }
    Ok(out)
}
