//! 立場 (the actor's side on a platform): the 事務局 (the municipality and its one-stop window), a
//! department of the municipality (部署: sees what is routed to it), or a registered partner
//! (構成員 of the platform bundle). Anyone else gets `NotFound`. What each side may read of a
//! record is decided by the rules' policy functions (`can_view_proposal`, `can_view_resource`).

use crate::entities::platform;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use tabane_core::domain::{BundleRole, Role};
use tabane_core::entities::organisation;
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Error, Result};

/// The actor's side on a platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpSide")]
pub enum Side {
    /// 事務局: the municipality and its one-stop window (or a system administrator).
    Secretariat,
    /// 関係部署: a department of the municipality.
    Department,
    /// 連携先: a registered company, NPO, university or community group.
    Partner,
}

/// Proof that the actor may use a platform, and from which side.
#[derive(Clone, Debug)]
pub struct PlatformAccess {
    pub platform: platform::Model,
    pub side: Side,
    pub org_id: Option<i64>,
    pub staff: bool,
}

impl PlatformAccess {
    pub fn require_staff(&self) -> Result<()> {
        if self.staff {
            Ok(())
        } else {
            Err(Error::forbidden(
                "閲覧者は入力できません（担当者以上の権限が必要です）",
                "Viewers cannot enter anything",
            ))
        }
    }

    /// A step of the window (事務局): routing, answering, resources' confirmation, agreements.
    pub fn require_window(&self) -> Result<()> {
        self.require_staff()?;
        if self.side == Side::Secretariat {
            Ok(())
        } else {
            Err(Error::forbidden(
                "この操作は官民連携の窓口（事務局）が行います",
                "Only the one-stop window may do this",
            ))
        }
    }

    pub fn is_window(&self) -> bool {
        self.side == Side::Secretariat
    }
}

/// The platform and the actor's side on it, or `NotFound`.
pub async fn platform<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<PlatformAccess> {
    let p = platform::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    of(db, ctx, p).await
}

pub async fn of<C: ConnectionTrait>(db: &C, ctx: &Ctx, p: platform::Model) -> Result<PlatformAccess> {
    let staff = ctx.system_admin || ctx.role.is_some_and(|r| r >= Role::Staff);
    let side = if ctx.system_admin || ctx.org_id == Some(p.owner_org_id) || ctx.org_id == Some(p.window_org_id) {
        Side::Secretariat
    } else {
        let org = match ctx.org_id {
            Some(o) => organisation::Entity::find_by_id(o).one(db).await?,
            None => None,
        };
        if org.as_ref().is_some_and(|o| o.parent_id == Some(p.owner_org_id)) {
            Side::Department
        } else {
            let role = my_bundles(db, ctx).await?.into_iter().find(|(b, _)| *b == p.bundle_id).map(|(_, r)| r);
            match role {
                Some(BundleRole::Secretariat | BundleRole::Owner) => Side::Secretariat,
                Some(_) => Side::Partner,
                None => return Err(Error::NotFound),
            }
        }
    };
    Ok(PlatformAccess { platform: p, side, org_id: ctx.org_id, staff })
}

/// The platforms the actor takes part in.
pub async fn platforms<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<PlatformAccess>> {
    let mut out = Vec::new();
    for p in platform::Entity::find().all(db).await? {
        if let Ok(a) = of(db, ctx, p).await {
            out.push(a);
        }
    }
    Ok(out)
}

/// A rule's refusal as the platform's error: 409 for a conflict with what is recorded, else 422
/// naming the field.
pub fn rule_error(e: tabane_partnership_rules::error::PartnershipRuleError, field: &str, ja: &str, en: &str) -> Error {
    if e.is_conflict() {
        Error::conflict(e.message_ja(), e.message_en())
    } else {
        Error::invalid(field, ja, en, e.message_ja(), e.message_en())
    }
}
