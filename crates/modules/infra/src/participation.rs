//! Who takes part in 群マネ (for the navigation): an organisation with assets or work orders of
//! its own, or in a bundle with 群マネ work (work orders or a maintenance contract).

use crate::entities::{asset, contract, work_order as wo};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Result};
use tabane_web::module::BoxFuture;

pub fn takes_part<'a>(db: &'a DatabaseConnection, ctx: &'a Ctx) -> BoxFuture<'a, Result<bool>> {
    Box::pin(async move {
        let Some(org) = ctx.org_id else { return Ok(false) };
        let bundles: Vec<i64> = my_bundles(db, ctx).await?.into_iter().map(|(b, _)| b).collect();
        let own =
            asset::Entity::find().filter(asset::Column::OwnerOrgId.eq(org)).select_only().column(asset::Column::Id);
        if own.into_tuple::<i64>().one(db).await?.is_some() {
            return Ok(true);
        }
        let work = wo::Entity::find()
            .filter(
                Condition::any().add(wo::Column::OwnerOrgId.eq(org)).add(wo::Column::BundleId.is_in(bundles.clone())),
            )
            .select_only()
            .column(wo::Column::Id);
        if work.into_tuple::<i64>().one(db).await?.is_some() {
            return Ok(true);
        }
        let contracts = contract::Entity::find()
            .filter(contract::Column::BundleId.is_in(bundles))
            .select_only()
            .column(contract::Column::Id);
        Ok(contracts.into_tuple::<i64>().one(db).await?.is_some())
    })
}
