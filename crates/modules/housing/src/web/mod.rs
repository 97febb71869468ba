//! Housing routes: HTML pages under /housing, JSON under /api/housing. Every route is declared
//! with its access class; the tenant ones have entries in the isolation matrix.

mod answers;
mod campaign_pages;
mod case_pages;
mod cost_pages;
mod estate_pages;
mod incident_pages;
mod lottery_pages;
mod report_pages;

use tabane_core::Error;

/// A refusal the page shows in place (bad input, not allowed, a gate): re-render with the message
/// rather than an error page.
pub(crate) fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Forbidden(_) | Error::Conflict(_))
}
use tabane_web::RouteDef;

pub fn routes() -> Vec<RouteDef> {
    [
        estate_pages::routes(),
        campaign_pages::routes(),
        lottery_pages::routes(),
        cost_pages::routes(),
        case_pages::routes(),
        incident_pages::routes(),
        report_pages::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
