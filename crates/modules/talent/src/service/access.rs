//! 立場 (the actor's side in a pool): the prefecture (事務局, owner of the pool), a municipality
//! (構成団体) or a cooperating company (協力企業, 受注者 in the 体制 bundle). Found once per request
//! from the memberships in force. Anyone else gets `NotFound`, so a pool's existence is not
//! revealed. A municipality's own records (needs, 状況把握, grant sheets, advisor sessions) are
//! shared with the lead only: `policy::record_visible` with `Visibility::LeadOnly`.

use crate::entities::pool;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use tabane_core::domain::{BundleRole, Role, Visibility};
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Error, Result, policy};

/// The actor's side in a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentSide")]
pub enum Side {
    /// 都道府県 (事務局; or a system administrator).
    Prefecture,
    /// 市町村 (構成団体).
    Municipality,
    /// 協力企業 (sees the persons it employs and their assignments only).
    Company,
}

/// Proof that the actor may use a pool, and from which side.
#[derive(Clone, Debug)]
pub struct PoolAccess {
    pub pool: pool::Model,
    pub side: Side,
    /// The acting organisation (none for a system administrator).
    pub org_id: Option<i64>,
    pub role: Option<BundleRole>,
    /// Staff or administrator (viewers read only).
    pub staff: bool,
}

impl PoolAccess {
    /// Writes need staff (担当者以上).
    pub fn require_staff(&self) -> Result<()> {
        if self.staff {
            Ok(())
        } else {
            Err(Error::forbidden(
                "閲覧者は入力できません（担当者以上の権限が必要です）",
                "Viewers cannot enter anything; staff role needed",
            ))
        }
    }

    /// A step the prefecture's staff take (the pool, matching, assignments, recommendations).
    pub fn require_prefecture_staff(&self) -> Result<()> {
        self.require_staff()?;
        if self.side == Side::Prefecture {
            Ok(())
        } else {
            Err(Error::forbidden("この操作は県（事務局）の担当者が行います", "Only the prefecture's staff may do this"))
        }
    }

    /// A municipality's own record (need, 状況把握, grant sheet, advisor session), read by its
    /// owner and by the lead; another municipality or a company: `NotFound`.
    pub fn sees_record_of(&self, ctx: &Ctx, owner_org_id: i64) -> bool {
        policy::record_visible(ctx, owner_org_id, Visibility::LeadOnly, self.role, self.pool.prefecture_org_id)
            || self.side == Side::Prefecture
    }

    pub fn require_record_of(&self, ctx: &Ctx, owner_org_id: i64) -> Result<()> {
        if self.sees_record_of(ctx, owner_org_id) { Ok(()) } else { Err(Error::NotFound) }
    }

    /// Writing a record owned by `owner_org_id`: its owner's staff, or the prefecture's staff
    /// (代理入力 for a municipality, e.g. from a paper answer).
    pub fn require_writer_of(&self, ctx: &Ctx, owner_org_id: i64) -> Result<()> {
        self.require_record_of(ctx, owner_org_id)?;
        self.require_staff()
    }

    /// Personal fields of the pool's people: the prefecture's staff (the pool's owner and employer).
    pub fn may_read_personal(&self) -> bool {
        self.staff && self.side == Side::Prefecture
    }
}

/// The prefecture of each pool this process has loaded, for the navigation: a template cannot
/// query, and a pool's prefecture is set once and never changes, so a process-local map filled
/// by `of` (which every pool page runs before rendering) is never stale, with one server or many.
static LEADS: std::sync::OnceLock<std::sync::RwLock<std::collections::HashMap<i64, i64>>> = std::sync::OnceLock::new();

fn leads() -> &'static std::sync::RwLock<std::collections::HashMap<i64, i64>> {
    LEADS.get_or_init(Default::default)
}

/// The prefecture of a pool already loaded by this process (see `LEADS`).
pub fn known_lead(pool_id: i64) -> Option<i64> {
    leads().read().ok().and_then(|m| m.get(&pool_id).copied())
}

/// The pool and the actor's side in it, or `NotFound`.
pub async fn pool<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<PoolAccess> {
    let p = pool::Entity::find_by_id(pool_id).one(db).await?.ok_or(Error::NotFound)?;
    of(db, ctx, p).await
}

/// The side of the actor in a pool already loaded.
pub async fn of<C: ConnectionTrait>(db: &C, ctx: &Ctx, p: pool::Model) -> Result<PoolAccess> {
    if let Ok(mut m) = leads().write() {
        m.insert(p.id, p.prefecture_org_id);
    }
    let staff = ctx.system_admin || ctx.role.is_some_and(|r| r >= Role::Staff);
    let role = my_bundles(db, ctx).await?.into_iter().find(|(b, _)| *b == p.bundle_id).map(|(_, r)| r);
    let side = if ctx.system_admin || ctx.org_id == Some(p.prefecture_org_id) {
        Side::Prefecture
    } else {
        match role {
            Some(BundleRole::Secretariat | BundleRole::Owner) => Side::Prefecture,
            Some(BundleRole::Member | BundleRole::Observer) => Side::Municipality,
            Some(BundleRole::Contractor) => Side::Company,
            None => return Err(Error::NotFound),
        }
    };
    Ok(PoolAccess { pool: p, side, org_id: ctx.org_id, role, staff })
}

/// The pools the actor takes part in.
pub async fn pools<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<PoolAccess>> {
    let mut out = Vec::new();
    for p in pool::Entity::find().all(db).await? {
        if let Ok(a) = of(db, ctx, p).await {
            out.push(a);
        }
    }
    Ok(out)
}
