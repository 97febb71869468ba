//! Infra routes: HTML pages under /infra, JSON under /api/infra. Every route is declared with its
//! access class; the tenant ones have entries in the isolation matrix.

mod asset_io_pages;
mod asset_pages;
mod cached;
mod contract_pages;
mod forecast_pages;
mod home_pages;
mod inspection_pages;
mod ledger_pages;
mod mieruka_pages;
mod patrol_pages;
mod planning_input;
mod planning_pages;
mod report_pages;
mod tools_checks;
mod tools_current;
mod tools_pages;
mod views;
mod work_order_pages;

use super::service::access;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tabane_core::entities::organisation;
use tabane_core::{Ctx, Error};
use tabane_web::RouteDef;
use tabane_web::middleware::Page;
use tabane_web::state::Shared;
use views::L;
pub(crate) use views::yen;

/// Every infra route: each feature declares its own (`<feature>::routes()`), Open311 its protocol.
pub fn routes() -> Vec<RouteDef> {
    [
        home_pages::routes(),
        asset_pages::routes(),
        asset_io_pages::routes(),
        work_order_pages::routes(),
        ledger_pages::routes(),
        patrol_pages::routes(),
        report_pages::routes(),
        contract_pages::routes(),
        inspection_pages::routes(),
        mieruka_pages::routes(),
        forecast_pages::routes(),
        planning_pages::routes(),
        tools_pages::routes(),
        tools_checks::routes(),
        crate::open311::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(super) fn l(page: &Page) -> L {
    L { en: page.lang.is_en() }
}

/// Organisations that may own jobs the actor can register (own organisation first).
pub(super) async fn owner_choices(st: &Shared, ctx: &Ctx) -> Result<Vec<organisation::Model>, Error> {
    let ids = access::visible_owner_ids(&st.db, ctx).await?.unwrap_or_default();
    let mut orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(ids)).all(&st.db).await?;
    orgs.retain(|o| matches!(o.kind.as_str(), "prefecture" | "municipality" | "union"));
    orgs.sort_by_key(|o| (Some(o.id) != ctx.org_id, o.id));
    Ok(orgs)
}
