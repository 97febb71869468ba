//! Whether the acting organisation takes part in the council module: it runs a term, works on
//! one as contractor, or is a member of a committee (navigation only; every page checks access).

use crate::entities::{committee, term};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Result};
use tabane_web::module::BoxFuture;

pub fn takes_part<'a>(db: &'a DatabaseConnection, ctx: &'a Ctx) -> BoxFuture<'a, Result<bool>> {
    Box::pin(async move {
        let Some(org) = ctx.org_id else { return Ok(false) };
        let bundles: Vec<i64> = my_bundles(db, ctx).await?.into_iter().map(|(b, _)| b).collect();
        let committees: Vec<i64> = committee::Entity::find()
            .filter(committee::Column::BundleId.is_in(bundles.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let any = term::Entity::find()
            .filter(
                Condition::any()
                    .add(term::Column::ClientOrgId.eq(org))
                    .add(term::Column::ContractBundleId.is_in(bundles))
                    .add(term::Column::CommitteeId.is_in(committees)),
            )
            .one(db)
            .await?;
        Ok(any.is_some())
    })
}
