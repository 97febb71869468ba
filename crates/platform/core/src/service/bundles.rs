//! 束 (bundles): organisations working together under one scheme. Data is shared between
//! organisations only through a bundle they are both members of.

use crate::context::Ctx;
use crate::domain::{BundleRole, BundleScheme};
use crate::entities::{bundle, bundle_member, organisation, stored_file};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use crate::service::bundle_access::in_force;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct BundleForm {
    pub name: String,
    pub scheme: String,
    #[serde(default)]
    pub period_start: String,
    #[serde(default)]
    pub period_end: String,
    #[serde(default)]
    pub description: String,
}

struct ValidBundle {
    name: String,
    scheme: BundleScheme,
    period_start: Option<NaiveDate>,
    period_end: Option<NaiveDate>,
    description: Option<String>,
}

fn validate(f: &BundleForm) -> Result<ValidBundle> {
    let mut p = Problems::default();
    p.required("name", "名称", "Name", &f.name);
    let scheme = BundleScheme::parse(&f.scheme);
    if scheme.is_none() {
        p.push(
            "scheme",
            "連携の方式",
            "Scheme",
            format!("は次のいずれかです: {}", BundleScheme::choices_ja()),
            "is not a known scheme",
        );
    }
    let period_start = p.date("period_start", "期間（開始）", "Period start", &f.period_start);
    let period_end = p.date("period_end", "期間（終了）", "Period end", &f.period_end);
    if let (Some(a), Some(b)) = (period_start, period_end)
        && b < a
    {
        p.push("period_end", "期間（終了）", "Period end", "が開始より前です", "is before the start");
    }
    p.into_result()?;
    Ok(ValidBundle {
        name: f.name.trim().into(),
        scheme: scheme.expect("checked"),
        period_start,
        period_end,
        description: Some(f.description.trim().to_string()).filter(|s| !s.is_empty()),
    })
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct MemberView {
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: String,
    pub role: BundleRole,
    /// 期間 (membership period, inclusive; `None` = open).
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// Whether the membership is in force today (JST): outside its period the organisation has
    /// no access to the bundle.
    pub in_force: bool,
}

/// 構成団体の期間 (a membership period): the first and last day (JST) the organisation has access.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    /// Reads the two date fields of a form (和暦 or 西暦; empty = open), naming the field at fault.
    pub fn parse(from: &str, to: &str) -> Result<Period> {
        let mut p = Problems::default();
        let period = Period {
            from: p.date("valid_from", "参加期間（開始）", "Membership from", from),
            to: p.date("valid_to", "参加期間（終了）", "Membership until", to),
        };
        if let (Some(a), Some(b)) = (period.from, period.to)
            && b < a
        {
            p.push("valid_to", "参加期間（終了）", "Membership until", "が開始より前です", "is before the start");
        }
        p.into_result()?;
        Ok(period)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BundleView {
    pub bundle: bundle::Model,
    pub scheme: BundleScheme,
    pub lead_org_name: String,
    pub members: Vec<MemberView>,
    pub agreement_file_name: Option<String>,
    /// Whether the actor may change the bundle (so the page can show the forms).
    pub can_manage: bool,
}

async fn members_of<D: ConnectionTrait>(db: &D, bundle_id: i64) -> Result<Vec<MemberView>> {
    let ms = bundle_member::Entity::find()
        .filter(bundle_member::Column::BundleId.eq(bundle_id))
        .order_by_asc(bundle_member::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = ms.iter().map(|m| m.org_id).collect();
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(ids)).all(db).await?;
    let today = tabane_calendar::jst::today();
    Ok(ms
        .into_iter()
        .filter_map(|m| {
            let o = orgs.iter().find(|o| o.id == m.org_id)?;
            Some(MemberView {
                org_id: m.org_id,
                org_name: o.name.clone(),
                org_kind: o.kind.clone(),
                role: BundleRole::parse(&m.role)?,
                valid_from: m.valid_from,
                valid_to: m.valid_to,
                in_force: Period { from: m.valid_from, to: m.valid_to }.contains(today),
            })
        })
        .collect())
}

/// Bundles the acting organisation is a member of (all for a system administrator).
pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<bundle::Model>> {
    let mut q = bundle::Entity::find().order_by_asc(bundle::Column::Name);
    if !ctx.system_admin {
        let ids: Vec<i64> = match ctx.org_id {
            Some(org) => in_force()
                .filter(bundle_member::Column::OrgId.eq(org))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.bundle_id)
                .collect(),
            None => vec![],
        };
        q = q.filter(bundle::Column::Id.is_in(ids));
    }
    Ok(q.all(db).await?)
}

/// One bundle as the actor sees it; a bundle the acting organisation is not in is `NotFound`.
pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<BundleView> {
    let b = bundle::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let members = members_of(db, id).await?;
    let ids: Vec<i64> = members.iter().filter(|m| m.in_force).map(|m| m.org_id).collect();
    if !policy::bundle_visible(ctx, &ids) {
        return Err(Error::NotFound);
    }
    let lead_org_name =
        organisation::Entity::find_by_id(b.lead_org_id).one(db).await?.map(|o| o.name).unwrap_or_default();
    let agreement_file_name = match b.agreement_file_id {
        Some(f) => stored_file::Entity::find_by_id(f).one(db).await?.map(|f| f.file_name),
        None => None,
    };
    let pairs: Vec<(i64, BundleRole)> = members.iter().filter(|m| m.in_force).map(|m| (m.org_id, m.role)).collect();
    let can_manage = policy::can_manage_bundle(ctx, &b, &pairs).is_ok();
    Ok(BundleView {
        scheme: BundleScheme::parse(&b.scheme).unwrap_or(BundleScheme::Agreement),
        bundle: b,
        lead_org_name,
        members,
        agreement_file_name,
        can_manage,
    })
}

/// The role of an organisation in a bundle, if it is a member today (used by modules).
pub async fn member_role<D: ConnectionTrait>(db: &D, bundle_id: i64, org_id: i64) -> Result<Option<BundleRole>> {
    Ok(in_force()
        .filter(bundle_member::Column::BundleId.eq(bundle_id))
        .filter(bundle_member::Column::OrgId.eq(org_id))
        .one(db)
        .await?
        .and_then(|m| BundleRole::parse(&m.role)))
}

/// Creates a bundle with the acting organisation as 幹事 and as its first member
/// (role secretariat unless given otherwise).
pub async fn create<D: TransactionTrait>(db: &D, ctx: &Ctx, f: &BundleForm) -> Result<bundle::Model> {
    policy::can_create_bundle(ctx)?;
    let v = validate(f)?;
    let lead = ctx
        .org_id
        .ok_or_else(|| Error::forbidden("組織を選んでから作成してください", "Choose an organisation first"))?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let b = bundle::ActiveModel {
        name: Set(v.name),
        scheme: Set(v.scheme.key().into()),
        lead_org_id: Set(lead),
        period_start: Set(v.period_start),
        period_end: Set(v.period_end),
        description: Set(v.description),
        agreement_file_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    bundle_member::ActiveModel {
        bundle_id: Set(b.id),
        org_id: Set(lead),
        role: Set(BundleRole::Secretariat.key().into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(lead),
            bundle_id: Some(b.id),
            action: "create",
            entity: "bundle",
            entity_id: b.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&b).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(b)
}

pub async fn update<D: TransactionTrait>(db: &D, ctx: &Ctx, id: i64, f: &BundleForm) -> Result<bundle::Model> {
    let v = validate(f)?;
    let txn = db.begin().await?;
    let view = get(&txn, ctx, id).await?;
    require_manage(ctx, &view)?;
    let before = view.bundle.clone();
    let mut am: bundle::ActiveModel = view.bundle.into();
    am.name = Set(v.name);
    am.scheme = Set(v.scheme.key().into());
    am.period_start = Set(v.period_start);
    am.period_end = Set(v.period_end);
    am.description = Set(v.description);
    am.updated_at = Set(Utc::now());
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(after.lead_org_id),
            bundle_id: Some(id),
            action: "update",
            entity: "bundle",
            entity_id: id.to_string(),
            before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
            after: Some(serde_json::to_value(&after).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(after)
}

fn require_manage(ctx: &Ctx, view: &BundleView) -> Result<()> {
    let pairs: Vec<(i64, BundleRole)> =
        view.members.iter().filter(|m| m.in_force).map(|m| (m.org_id, m.role)).collect();
    policy::can_manage_bundle(ctx, &view.bundle, &pairs)
}

/// Adds an organisation to a bundle, or changes its role (a member's period is kept).
pub async fn set_member<D: TransactionTrait>(
    db: &D,
    ctx: &Ctx,
    bundle_id: i64,
    org_id: i64,
    role: BundleRole,
) -> Result<()> {
    set_member_for(db, ctx, bundle_id, org_id, role, None).await
}

/// Adds an organisation to a bundle or changes its role, and with `Some(period)` sets the days
/// it has access (audited with the old and new period). The lead organisation's membership has
/// no end: it is the bundle's.
pub async fn set_member_for<D: TransactionTrait>(
    db: &D,
    ctx: &Ctx,
    bundle_id: i64,
    org_id: i64,
    role: BundleRole,
    period: Option<Period>,
) -> Result<()> {
    let txn = db.begin().await?;
    let view = get(&txn, ctx, bundle_id).await?;
    require_manage(ctx, &view)?;
    let org = organisation::Entity::find_by_id(org_id).one(&txn).await?;
    if org.is_none_or(|o| !policy::org_visible(ctx, &o)) {
        return Err(Error::invalid("org_id", "組織", "Organisation", "が見つかりません", "was not found"));
    }
    let existing = bundle_member::Entity::find()
        .filter(bundle_member::Column::BundleId.eq(bundle_id))
        .filter(bundle_member::Column::OrgId.eq(org_id))
        .one(&txn)
        .await?;
    if period.is_some_and(|p| p != Period::default()) && view.bundle.lead_org_id == org_id {
        return Err(Error::invalid(
            "valid_to",
            "参加期間",
            "Membership period",
            "は幹事団体には設定できません（幹事団体の期間は束の期間です）",
            "cannot be set for the lead organisation (its period is the bundle's)",
        ));
    }
    let before = existing
        .as_ref()
        .map(|m| serde_json::json!({ "role": m.role, "valid_from": m.valid_from, "valid_to": m.valid_to }));
    let after = match existing {
        Some(m) => {
            let mut am: bundle_member::ActiveModel = m.into();
            am.role = Set(role.key().into());
            if let Some(p) = period {
                am.valid_from = Set(p.from);
                am.valid_to = Set(p.to);
            }
            am.update(&txn).await?
        }
        None => {
            let p = period.unwrap_or_default();
            bundle_member::ActiveModel {
                bundle_id: Set(bundle_id),
                org_id: Set(org_id),
                role: Set(role.key().into()),
                valid_from: Set(p.from),
                valid_to: Set(p.to),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org_id),
            bundle_id: Some(bundle_id),
            action: "set_member",
            entity: "bundle_member",
            entity_id: format!("{bundle_id}:{org_id}"),
            before,
            after: Some(
                serde_json::json!({ "role": after.role, "valid_from": after.valid_from, "valid_to": after.valid_to }),
            ),
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(())
}

/// Removes an organisation from a bundle. The lead organisation cannot be removed.
pub async fn remove_member<D: TransactionTrait>(db: &D, ctx: &Ctx, bundle_id: i64, org_id: i64) -> Result<()> {
    let txn = db.begin().await?;
    let view = get(&txn, ctx, bundle_id).await?;
    require_manage(ctx, &view)?;
    if view.bundle.lead_org_id == org_id {
        return Err(Error::conflict("幹事団体は束から外せません", "The lead organisation cannot leave the bundle"));
    }
    let m = view.members.iter().find(|m| m.org_id == org_id).ok_or(Error::NotFound)?;
    bundle_member::Entity::delete_many()
        .filter(bundle_member::Column::BundleId.eq(bundle_id))
        .filter(bundle_member::Column::OrgId.eq(org_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org_id),
            bundle_id: Some(bundle_id),
            action: "remove_member",
            entity: "bundle_member",
            entity_id: format!("{bundle_id}:{org_id}"),
            before: Some(serde_json::json!({ "role": m.role.key() })),
            after: None,
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(())
}

/// Attaches the agreement document (協定書), a file already stored for this bundle.
pub async fn set_agreement<D: TransactionTrait>(db: &D, ctx: &Ctx, bundle_id: i64, file_id: i64) -> Result<()> {
    let txn = db.begin().await?;
    let view = get(&txn, ctx, bundle_id).await?;
    require_manage(ctx, &view)?;
    let before = view.bundle.agreement_file_id;
    let mut am: bundle::ActiveModel = view.bundle.into();
    am.agreement_file_id = Set(Some(file_id));
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: ctx.org_id,
            bundle_id: Some(bundle_id),
            action: "set_agreement",
            entity: "bundle",
            entity_id: bundle_id.to_string(),
            before: Some(serde_json::json!({ "agreement_file_id": before })),
            after: Some(serde_json::json!({ "agreement_file_id": file_id })),
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(())
}
