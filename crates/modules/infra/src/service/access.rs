//! 群マネの権限 (infra access rules), built on the platform's bundles: an organisation sees the
//! assets of the organisations it shares a bundle with, and the work orders of its bundles.
//! Decisions about steps on a work order come from `domain::side_for`.

use crate::domain::Side;
use crate::entities::work_order;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tabane_core::domain::{BundleRole, BundleScheme, Role};
use tabane_core::service::bundle_access;
use tabane_core::{Ctx, Error, Result};

pub use tabane_core::service::bundle_access::my_bundles;

/// A bundle with a contractor, as work is shared through it.
pub struct WorkBundle {
    pub bundle_id: i64,
    pub contractor: i64,
    pub owners: Vec<i64>,
}

/// The acting organisation's bundles that have a contractor (only the one chosen in the
/// switcher, if any): where jobs and patrols can be recorded.
pub async fn work_bundles<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<WorkBundle>> {
    let mut out = Vec::new();
    for (b, _) in my_bundles(db, ctx).await? {
        if ctx.bundle_id.is_some_and(|chosen| chosen != b) {
            continue;
        }
        let members = bundle_access::members(db, b).await?;
        let with = |r: BundleRole| members.iter().filter(move |m| m.1 == r).map(|m| m.0);
        if let Some(contractor) = with(BundleRole::Contractor).next() {
            out.push(WorkBundle { bundle_id: b, contractor, owners: with(BundleRole::Owner).collect() });
        }
    }
    Ok(out)
}

/// Organisations whose assets the actor may see: its own and those it shares a maintenance
/// bundle with. A 協議会 (scheme `council`: a committee, a prefecture's DX推進体制) brings its
/// members together to discuss, not to look after each other's roads and bridges, so it shares
/// no assets: without this, every municipality of a prefecture-wide council would read and
/// propose inspections on every other's facilities.
pub async fn visible_owner_ids<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Option<Vec<i64>>> {
    if ctx.system_admin {
        return Ok(None);
    }
    let Some(org) = ctx.org_id else { return Ok(Some(vec![])) };
    let mine: Vec<i64> = my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect();
    let bundles: Vec<i64> = tabane_core::entities::bundle::Entity::find()
        .filter(tabane_core::entities::bundle::Column::Id.is_in(mine))
        .filter(tabane_core::entities::bundle::Column::Scheme.ne(BundleScheme::Council.key()))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    let mut ids = bundle_access::member_orgs(db, bundles).await?;
    ids.push(org);
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

/// Registering or changing an asset: staff of its owner.
pub fn can_write_asset(ctx: &Ctx, owner_org_id: i64) -> Result<()> {
    if ctx.has_role_in(owner_org_id, Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "施設を登録・変更できるのは、その施設の管理者（所有団体）の担当者です",
            "Only staff of the asset's owner may register or change it",
        ))
    }
}

/// A work order is visible to the members of its bundle.
pub async fn can_see_work_order<D: ConnectionTrait>(db: &D, ctx: &Ctx, wo: &work_order::Model) -> Result<bool> {
    if ctx.system_admin {
        return Ok(true);
    }
    Ok(my_bundles(db, ctx).await?.iter().any(|(b, _)| *b == wo.bundle_id))
}

/// The actor's side in a work order. Viewers act on nothing.
pub fn side(ctx: &Ctx, wo: &work_order::Model) -> Side {
    if ctx.has_role_in(wo.owner_org_id, Role::Staff) {
        Side::Owner
    } else if wo.contractor_org_id.is_some_and(|c| ctx.has_role_in(c, Role::Staff)) {
        Side::Contractor
    } else {
        Side::Other
    }
}

/// Costs are the business of the owner and the contractor only.
pub fn sees_costs(ctx: &Ctx, wo: &work_order::Model) -> bool {
    ctx.system_admin
        || ctx.org_id == Some(wo.owner_org_id)
        || (wo.contractor_org_id.is_some() && ctx.org_id == wo.contractor_org_id)
}
