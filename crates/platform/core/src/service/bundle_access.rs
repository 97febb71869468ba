//! 束を通じた権限 (access through bundles): what every module needs to decide who may touch a
//! record that belongs to a bundle. A module finds its record and turns it into a
//! `RecordAccess` once (its own `access.rs`: "find my record → proof"); services then take the
//! proof and ask it, instead of querying memberships again for each step.

use crate::domain::{BundleRole, Role};
use crate::entities::bundle_member;
use crate::service::audit::Change;
use crate::{Ctx, Error, Result};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Select};

/// Memberships in force today (JST): the one way access decisions read bundle memberships, so
/// that an organisation outside its period (`valid_from`–`valid_to`, inclusive) has no access to
/// the bundle's data. (Showing a bundle's members to its managers reads them all, with periods.)
pub fn in_force() -> Select<bundle_member::Entity> {
    in_force_on(tabane_calendar::jst::today())
}

/// Memberships in force on `day`.
pub fn in_force_on(day: chrono::NaiveDate) -> Select<bundle_member::Entity> {
    use bundle_member::Column::{ValidFrom, ValidTo};
    bundle_member::Entity::find()
        .filter(Condition::any().add(ValidFrom.is_null()).add(ValidFrom.lte(day)))
        .filter(Condition::any().add(ValidTo.is_null()).add(ValidTo.gte(day)))
}

/// The acting organisation's side in a bundle's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum Side {
    /// Staff of the record's owner (本来管理者, 発注者: the municipality or the prefecture).
    Owner,
    /// Staff of the bundle's contractor (受注者).
    Contractor,
    /// Anyone else who may see it (another owner in the bundle, a viewer).
    Other,
}

/// Bundles the acting organisation is a member of today, with its role in each (every bundle,
/// not only the one chosen in the switcher).
pub async fn my_bundles<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<(i64, BundleRole)>> {
    let Some(org) = ctx.org_id else { return Ok(vec![]) };
    Ok(in_force()
        .filter(bundle_member::Column::OrgId.eq(org))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| Some((m.bundle_id, BundleRole::parse(&m.role)?)))
        .collect())
}

/// The role of an organisation in a bundle, if it is a member.
pub use crate::service::bundles::member_role as role_in;

/// The members of a bundle in force today, with their roles. (A plain database read: callers with their own
/// error type, such as Open311's, map the `DbErr` themselves.)
pub async fn members<D: ConnectionTrait>(db: &D, bundle_id: i64) -> std::result::Result<Vec<(i64, BundleRole)>, DbErr> {
    Ok(in_force()
        .filter(bundle_member::Column::BundleId.eq(bundle_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| Some((m.org_id, BundleRole::parse(&m.role)?)))
        .collect())
}

/// 受注者 (the contractor) of a bundle, if it has one.
pub async fn contractor_of<D: ConnectionTrait>(db: &D, bundle_id: i64) -> std::result::Result<Option<i64>, DbErr> {
    Ok(members(db, bundle_id).await?.into_iter().find(|(_, r)| *r == BundleRole::Contractor).map(|(org, _)| org))
}

/// The owners (発注者, 本来管理者) of a bundle.
pub async fn owners_of<D: ConnectionTrait>(db: &D, bundle_id: i64) -> std::result::Result<Vec<i64>, DbErr> {
    Ok(members(db, bundle_id).await?.into_iter().filter(|(_, r)| *r == BundleRole::Owner).map(|(org, _)| org).collect())
}

/// Every bundle an organisation is a member of, whoever asks (for a system administrator's
/// view of that organisation; a member's own view is [`my_bundles`]).
pub async fn bundles_of_org<D: ConnectionTrait>(db: &D, org_id: i64) -> std::result::Result<Vec<i64>, DbErr> {
    Ok(bundle_member::Entity::find()
        .filter(bundle_member::Column::OrgId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.bundle_id)
        .collect())
}

/// The members of these bundles (organisation ids, each once).
pub async fn member_orgs<D: ConnectionTrait>(db: &D, bundle_ids: Vec<i64>) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = in_force()
        .filter(bundle_member::Column::BundleId.is_in(bundle_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.org_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// A record of a bundle as the actor may use it: the proof a service takes instead of
/// re-checking memberships at every step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordAccess {
    pub bundle_id: i64,
    /// The organisation the record belongs to (audit entries are shown to its administrators).
    pub owner_org_id: i64,
    pub side: Side,
    /// The actor's role in the acting organisation.
    pub role: Role,
}

impl RecordAccess {
    /// An audit change of this record (its owner and bundle filled in).
    pub fn change<'a>(
        &self,
        action: &'a str,
        entity: &'a str,
        id: impl ToString,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Change<'a> {
        Change {
            org_id: Some(self.owner_org_id),
            bundle_id: Some(self.bundle_id),
            action,
            entity,
            entity_id: id.to_string(),
            before,
            after,
        }
    }

    /// Staff (not viewers) of either side may record work.
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

    /// The owner's staff only: configuration, approval, confirmation.
    pub fn require_owner_staff(&self) -> Result<()> {
        self.require_staff()?;
        if self.side == Side::Owner {
            Ok(())
        } else {
            Err(Error::forbidden(
                "この操作は管理者（発注者）側の担当者だけが行えます",
                "Only the owner's staff may do this",
            ))
        }
    }

    /// Personal data is for staff whose task needs it; viewers never.
    pub fn may_read_personal(&self) -> bool {
        self.role >= Role::Staff
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(side: Side, role: Role) -> RecordAccess {
        RecordAccess { bundle_id: 1, owner_org_id: 2, side, role }
    }

    #[test]
    fn viewers_record_nothing_and_only_the_owner_configures() {
        assert!(access(Side::Contractor, Role::Viewer).require_staff().is_err());
        assert!(access(Side::Contractor, Role::Staff).require_staff().is_ok());
        assert!(access(Side::Contractor, Role::Admin).require_owner_staff().is_err());
        assert!(access(Side::Owner, Role::Staff).require_owner_staff().is_ok());
        assert!(!access(Side::Owner, Role::Viewer).may_read_personal());
        let c = access(Side::Owner, Role::Staff).change("update", "thing", 7, None, None);
        assert_eq!((c.org_id, c.bundle_id, c.entity_id.as_str()), (Some(2), Some(1), "7"));
    }
}
