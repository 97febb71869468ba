//! Who takes part in 団地建替 (for the navigation): the prefecture that owns an estate, and the
//! organisations in force in the bundle an estate is worked on through (the PFI contractor).

use crate::entities::estate;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Result};
use tabane_web::module::BoxFuture;

pub fn takes_part<'a>(db: &'a DatabaseConnection, ctx: &'a Ctx) -> BoxFuture<'a, Result<bool>> {
    Box::pin(async move {
        let Some(org) = ctx.org_id else { return Ok(false) };
        let bundles: Vec<i64> = my_bundles(db, ctx).await?.into_iter().map(|(b, _)| b).collect();
        let estates = estate::Entity::find()
            .filter(
                Condition::any().add(estate::Column::OwnerOrgId.eq(org)).add(estate::Column::BundleId.is_in(bundles)),
            )
            .select_only()
            .column(estate::Column::Id);
        Ok(estates.into_tuple::<i64>().one(db).await?.is_some())
    })
}
