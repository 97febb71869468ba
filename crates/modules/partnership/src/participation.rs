//! Whether the acting organisation takes part in the partnership module: the municipality or its
//! departments of a platform, or a member of a platform's bundle (navigation only).

use crate::service::access;
use sea_orm::DatabaseConnection;
use tabane_core::{Ctx, Result};
use tabane_web::module::BoxFuture;

pub fn takes_part<'a>(db: &'a DatabaseConnection, ctx: &'a Ctx) -> BoxFuture<'a, Result<bool>> {
    Box::pin(async move {
        if ctx.org_id.is_none() {
            return Ok(false);
        }
        Ok(!access::platforms(db, ctx).await?.is_empty())
    })
}
