//! 団地の権限 (who may do what in an estate), built on the platform's bundles.
//!
//! The estate belongs to the prefecture (bundle role 発注者, 県住宅課); the PFI contractor's
//! relocation team is the bundle's 受注者. Both work on cases; the prefecture alone configures
//! the campaign (fees, dates, rules), confirms lotteries and reads bank accounts. Anyone else
//! gets 404: they must not learn that the estate exists.

use crate::entities::estate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use tabane_core::domain::{BundleRole, Role};
use tabane_core::{Ctx, Error, Result};

pub use tabane_core::service::bundle_access::Side;
use tabane_core::service::bundle_access::{self, RecordAccess};

/// An estate as seen by the actor: the estate and the access proof (`access.side`,
/// `access.role`, `change()`, `require_staff()` … through `Deref`).
#[derive(Clone, Debug)]
pub struct EstateAccess {
    pub estate: estate::Model,
    pub access: RecordAccess,
}

impl std::ops::Deref for EstateAccess {
    type Target = RecordAccess;
    fn deref(&self) -> &RecordAccess {
        &self.access
    }
}

impl EstateAccess {
    fn new(estate: estate::Model, side: Side, role: Role) -> Self {
        let access = RecordAccess { bundle_id: estate.bundle_id, owner_org_id: estate.owner_org_id, side, role };
        EstateAccess { estate, access }
    }

    /// The prefecture's staff only: configuration, approval, confirmation.
    pub fn require_owner_staff(&self) -> Result<()> {
        self.access.require_staff()?;
        if self.side == Side::Owner {
            Ok(())
        } else {
            Err(Error::forbidden(
                "この操作は県（団地の管理者）の担当者だけが行えます",
                "Only the prefecture's staff may do this",
            ))
        }
    }

    /// 申請口座 (bank account): the prefecture only. The contractor enters it from the paper
    /// 6-sheet set and sees 「登録済み」.
    pub fn may_read_bank(&self) -> bool {
        self.side == Side::Owner && self.role >= Role::Staff
    }
}

fn side_of(estate: &estate::Model, org: i64, role: Option<BundleRole>) -> Option<Side> {
    match role? {
        BundleRole::Owner if estate.owner_org_id == org => Some(Side::Owner),
        BundleRole::Contractor => Some(Side::Contractor),
        _ => None,
    }
}

/// The estate if the actor's organisation is its owner or its contractor; otherwise NotFound.
pub async fn estate_for<D: ConnectionTrait>(db: &D, ctx: &Ctx, estate_id: i64) -> Result<EstateAccess> {
    let (Some(org), Some(role)) = (ctx.org_id, ctx.role) else { return Err(Error::NotFound) };
    let Some(e) = estate::Entity::find_by_id(estate_id).one(db).await? else { return Err(Error::NotFound) };
    if ctx.bundle_id.is_some_and(|b| b != e.bundle_id) {
        return Err(Error::NotFound);
    }
    let side = side_of(&e, org, bundle_access::role_in(db, e.bundle_id, org).await?).ok_or(Error::NotFound)?;
    Ok(EstateAccess::new(e, side, role))
}

/// Estates the actor may see (in the chosen bundle, if one is chosen).
pub async fn visible_estates<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<EstateAccess>> {
    let (Some(org), Some(role)) = (ctx.org_id, ctx.role) else { return Ok(vec![]) };
    let memberships = bundle_access::my_bundles(db, ctx).await?;
    let bundles: Vec<i64> = memberships.iter().map(|m| m.0).filter(|b| ctx.bundle_id.is_none_or(|c| c == *b)).collect();
    let estates = estate::Entity::find()
        .filter(estate::Column::BundleId.is_in(bundles))
        .order_by_asc(estate::Column::Id)
        .all(db)
        .await?;
    Ok(estates
        .into_iter()
        .filter_map(|e| {
            let r = memberships.iter().find(|m| m.0 == e.bundle_id).map(|m| m.1);
            side_of(&e, org, r).map(|side| EstateAccess::new(e, side, role))
        })
        .collect())
}

/// Bundles in which the actor's organisation is an owner: where it may register an estate.
pub async fn owner_bundles<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<i64>> {
    if ctx.org_id.is_none() || ctx.role.is_none_or(|r| r < Role::Staff) {
        return Ok(vec![]);
    }
    Ok(bundle_access::my_bundles(db, ctx)
        .await?
        .into_iter()
        .filter(|m| m.1 == BundleRole::Owner)
        .map(|m| m.0)
        .filter(|b| ctx.bundle_id.is_none_or(|c| c == *b))
        .collect())
}
