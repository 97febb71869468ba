//! Talent routes: HTML pages under /talent, JSON under /api/talent. Every route is declared with
//! its access class; the tenant ones have entries in the isolation matrix.

mod api;
mod forms;
mod grant_pages;
mod list_pages;
mod need_pages;
mod pool_pages;
mod recruitment_api;
mod recruitment_pages;
mod survey_pages;

use tabane_core::Error;
use tabane_web::RouteDef;

/// A refusal the page shows in place (bad input, not allowed, a gate).
pub(crate) fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Forbidden(_) | Error::Conflict(_))
}

pub fn routes() -> Vec<RouteDef> {
    [
        pool_pages::routes(),
        need_pages::routes(),
        grant_pages::routes(),
        api::routes(),
        recruitment_api::routes(),
        recruitment_pages::routes(),
        list_pages::routes(),
        survey_pages::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Whether the navigation shows the prefecture's own pages of a pool (募集, 状況把握): for its
/// 事務局 and a system administrator. Others would be shown links that answer 404.
pub fn shows_lead_pages(chrome: &tabane_web::views::Chrome, pool_id: &i64) -> bool {
    chrome.is_sysadmin() || crate::service::access::known_lead(*pool_id).is_some_and(|lead| chrome.is_acting_org(lead))
}
