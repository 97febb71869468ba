//! Whether the acting organisation takes part in the talent module: it is the prefecture of a
//! pool or a member of a pool's bundle (navigation only; every page checks access).

use crate::entities::pool;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Result};
use tabane_web::module::BoxFuture;

pub fn takes_part<'a>(db: &'a DatabaseConnection, ctx: &'a Ctx) -> BoxFuture<'a, Result<bool>> {
    Box::pin(async move {
        let Some(org) = ctx.org_id else { return Ok(false) };
        let bundles: Vec<i64> = my_bundles(db, ctx).await?.into_iter().map(|(b, _)| b).collect();
        let any = pool::Entity::find()
            .filter(
                Condition::any().add(pool::Column::PrefectureOrgId.eq(org)).add(pool::Column::BundleId.is_in(bundles)),
            )
            .one(db)
            .await?;
        Ok(any.is_some())
    })
}
