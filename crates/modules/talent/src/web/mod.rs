//! Talent routes: HTML pages under /talent, JSON under /api/talent. Every route is declared with
//! its access class; the tenant ones have entries in the isolation matrix.

mod api;
mod forms;
mod grant_pages;
mod need_pages;
mod pool_pages;

use tabane_core::Error;
use tabane_web::RouteDef;

/// A refusal the page shows in place (bad input, not allowed, a gate).
pub(crate) fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Forbidden(_) | Error::Conflict(_))
}

pub fn routes() -> Vec<RouteDef> {
    [pool_pages::routes(), need_pages::routes(), grant_pages::routes(), api::routes()].into_iter().flatten().collect()
}
