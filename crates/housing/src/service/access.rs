//! 団地の権限 (who may do what in an estate), built on the platform's bundles.
//!
//! The estate belongs to the prefecture (bundle role 発注者, 県住宅課); the PFI contractor's
//! relocation team is the bundle's 受注者. Both work on cases; the prefecture alone configures
//! the campaign (fees, dates, rules), confirms lotteries and reads bank accounts. Anyone else
//! gets 404: they must not learn that the estate exists.

use crate::entities::estate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use tabane_core::domain::{BundleRole, Role};
use tabane_core::entities::bundle_member;
use tabane_core::service::audit::Change;
use tabane_core::{Ctx, Error, Result};

/// The acting organisation's side in an estate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Side {
    /// 県 (owner of the estate).
    Owner,
    /// 事業者 (the PFI contractor).
    Contractor,
}

/// An estate as seen by the actor.
#[derive(Clone, Debug)]
pub struct EstateAccess {
    pub estate: estate::Model,
    pub side: Side,
    pub role: Role,
}

impl EstateAccess {
    /// An audit change of this estate (its owner and bundle filled in).
    pub fn change<'a>(
        &self,
        action: &'a str,
        entity: &'a str,
        id: impl ToString,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Change<'a> {
        Change {
            org_id: Some(self.estate.owner_org_id),
            bundle_id: Some(self.estate.bundle_id),
            action,
            entity,
            entity_id: id.to_string(),
            before,
            after,
        }
    }

    /// Staff of either side may record work on cases.
    pub fn require_staff(&self) -> Result<()> {
        if self.role >= Role::Staff {
            Ok(())
        } else {
            Err(Error::forbidden(
                "閲覧者は記録できません（担当者以上の権限が必要です）",
                "Viewers cannot record; staff role needed",
            ))
        }
    }

    /// The prefecture's staff only: configuration, approval, confirmation.
    pub fn require_owner_staff(&self) -> Result<()> {
        self.require_staff()?;
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

    /// Other personal fields: staff of either side (their task needs them); viewers never.
    pub fn may_read_personal(&self) -> bool {
        self.role >= Role::Staff
    }
}

fn side_of(estate: &estate::Model, org: i64, role: Option<BundleRole>) -> Option<Side> {
    match role? {
        BundleRole::Owner if estate.owner_org_id == org => Some(Side::Owner),
        BundleRole::Contractor => Some(Side::Contractor),
        _ => None,
    }
}

async fn bundle_role<D: ConnectionTrait>(db: &D, bundle_id: i64, org: i64) -> Result<Option<BundleRole>> {
    Ok(bundle_member::Entity::find()
        .filter(bundle_member::Column::BundleId.eq(bundle_id))
        .filter(bundle_member::Column::OrgId.eq(org))
        .one(db)
        .await?
        .and_then(|m| BundleRole::parse(&m.role)))
}

/// The estate if the actor's organisation is its owner or its contractor; otherwise NotFound.
pub async fn estate_for<D: ConnectionTrait>(db: &D, ctx: &Ctx, estate_id: i64) -> Result<EstateAccess> {
    let (Some(org), Some(role)) = (ctx.org_id, ctx.role) else { return Err(Error::NotFound) };
    let Some(e) = estate::Entity::find_by_id(estate_id).one(db).await? else { return Err(Error::NotFound) };
    if ctx.bundle_id.is_some_and(|b| b != e.bundle_id) {
        return Err(Error::NotFound);
    }
    let side = side_of(&e, org, bundle_role(db, e.bundle_id, org).await?).ok_or(Error::NotFound)?;
    Ok(EstateAccess { estate: e, side, role })
}

/// Estates the actor may see (in the chosen bundle, if one is chosen).
pub async fn visible_estates<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<EstateAccess>> {
    let (Some(org), Some(role)) = (ctx.org_id, ctx.role) else { return Ok(vec![]) };
    let memberships = bundle_member::Entity::find().filter(bundle_member::Column::OrgId.eq(org)).all(db).await?;
    let bundles: Vec<i64> =
        memberships.iter().map(|m| m.bundle_id).filter(|b| ctx.bundle_id.is_none_or(|c| c == *b)).collect();
    let estates = estate::Entity::find()
        .filter(estate::Column::BundleId.is_in(bundles))
        .order_by_asc(estate::Column::Id)
        .all(db)
        .await?;
    Ok(estates
        .into_iter()
        .filter_map(|e| {
            let r = memberships.iter().find(|m| m.bundle_id == e.bundle_id).and_then(|m| BundleRole::parse(&m.role));
            side_of(&e, org, r).map(|side| EstateAccess { estate: e, side, role })
        })
        .collect())
}

/// Bundles in which the actor's organisation is an owner: where it may register an estate.
pub async fn owner_bundles<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<i64>> {
    let Some(org) = ctx.org_id else { return Ok(vec![]) };
    if !ctx.role.is_some_and(|r| r >= Role::Staff) {
        return Ok(vec![]);
    }
    Ok(bundle_member::Entity::find()
        .filter(bundle_member::Column::OrgId.eq(org))
        .all(db)
        .await?
        .into_iter()
        .filter(|m| BundleRole::parse(&m.role) == Some(BundleRole::Owner))
        .map(|m| m.bundle_id)
        .filter(|b| ctx.bundle_id.is_none_or(|c| c == *b))
        .collect())
}
