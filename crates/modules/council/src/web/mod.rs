//! Council routes: HTML pages under /council, JSON under /api/council. Every route is declared
//! with its access class; the tenant ones have entries in the isolation matrix.

mod proposal_pages;
mod record_pages;
mod term_pages;

use tabane_core::Error;
use tabane_web::RouteDef;

/// A refusal the page shows in place (bad input, not allowed, a gate).
pub(crate) fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Forbidden(_) | Error::Conflict(_))
}

pub fn routes() -> Vec<RouteDef> {
    [term_pages::routes(), record_pages::routes(), proposal_pages::routes()].into_iter().flatten().collect()
}
