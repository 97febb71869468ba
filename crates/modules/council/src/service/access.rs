//! 立場 (the actor's side in a term): 委託者 (the client and 事務局), 受託者 (the contractor) or
//! 構成員 (a member prefecture of the committee). Found once per request from the memberships in
//! force; everything else asks the proof. Anyone else gets `NotFound`, so a term's existence is
//! not revealed.

use crate::domain::wareki;
use crate::entities::{committee, term};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use tabane_core::domain::Role;
use tabane_core::service::bundle_access::my_bundles;
use tabane_core::{Ctx, Error, Result};

/// The actor's side in a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilSide")]
pub enum Side {
    /// 委託者・事務局 (or a system administrator).
    Client,
    /// 受託者.
    Contractor,
    /// 構成員 (reads the committee's shared data only).
    Member,
}

/// Proof that the actor may see a term, and from which side.
#[derive(Clone, Debug)]
pub struct TermAccess {
    pub term: term::Model,
    pub committee: committee::Model,
    pub side: Side,
    /// Staff or administrator (viewers read only).
    pub staff: bool,
}

impl TermAccess {
    /// Contract-bundle data (drafts, hearings, the liaison log): the client and the contractor
    /// only; a member gets `NotFound`, as if it did not exist.
    pub fn require_contract(&self) -> Result<()> {
        if self.side == Side::Member { Err(Error::NotFound) } else { Ok(()) }
    }

    /// A write on the contract's side: staff of the client or of the contractor, the contractor
    /// only within the 業務実施期間 (R2, reading (a)).
    pub fn require_contract_staff(&self) -> Result<()> {
        self.require_contract()?;
        if !self.staff {
            return Err(Error::forbidden("閲覧者は入力できません", "Viewers cannot enter anything"));
        }
        if self.side == Side::Contractor && tabane_calendar::jst::today() > self.term.period_end {
            return Err(self.after_end());
        }
        Ok(())
    }

    /// The refusal after the contract's end.
    pub fn after_end(&self) -> Error {
        Error::conflict(
            format!("業務実施期間（{}まで）を過ぎているため、提出・変更はできません", wareki(self.term.period_end)),
            format!("The contract ended on {}; nothing can be submitted or changed", self.term.period_end),
        )
    }

    /// A step only the client's staff take; `what` says which, in the refusal.
    pub fn require_client_staff(&self, ja: String, en: &str) -> Result<()> {
        self.require_contract()?;
        if self.side == Side::Client && self.staff { Ok(()) } else { Err(Error::forbidden(ja, en.to_string())) }
    }

    /// Personal fields of a hearing (R14): the client's staff, and the contractor's within the period.
    pub fn may_read_personal(&self) -> bool {
        self.staff
            && match self.side {
                Side::Client => true,
                Side::Contractor => tabane_calendar::jst::today() <= self.term.period_end,
                Side::Member => false,
            }
    }
}

/// 委託者の名前 as the refusals print it: the prefecture of a department (「長野県」).
pub async fn client_label<C: ConnectionTrait>(db: &C, org_id: i64) -> Result<String> {
    tabane_core::service::orgs::local_government_name(db, org_id).await
}

/// The term and the actor's side in it, or `NotFound`.
pub async fn term<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64) -> Result<TermAccess> {
    let t = term::Entity::find_by_id(term_id).one(db).await?.ok_or(Error::NotFound)?;
    let c = committee::Entity::find_by_id(t.committee_id).one(db).await?.ok_or(Error::NotFound)?;
    of(db, ctx, t, c).await
}

/// The side of the actor in a term already loaded.
pub async fn of<C: ConnectionTrait>(db: &C, ctx: &Ctx, t: term::Model, c: committee::Model) -> Result<TermAccess> {
    let staff = ctx.system_admin || ctx.role.is_some_and(|r| r >= Role::Staff);
    let side = if ctx.system_admin || ctx.org_id == Some(t.client_org_id) {
        Side::Client
    } else {
        let mine = my_bundles(db, ctx).await?;
        let has = |b: i64| mine.iter().any(|(x, _)| *x == b);
        if ctx.org_id == Some(t.contractor_org_id) && has(t.contract_bundle_id) {
            Side::Contractor
        } else if has(c.bundle_id) {
            Side::Member
        } else {
            return Err(Error::NotFound);
        }
    };
    Ok(TermAccess { term: t, committee: c, side, staff })
}
