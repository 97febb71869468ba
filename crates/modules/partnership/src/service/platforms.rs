//! 公民連携プラットフォーム: set up on a bundle the municipality leads, with its one-stop window
//! (a department of the municipality) and the settings the seed leaves open (回答目標日数, the
//! freshness period of resources).

use super::access::{self, Side};
use crate::entities::platform;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::{audit, bundles};
use tabane_core::{Ctx, Error, Result};
use tabane_partnership_rules::resource::FreshnessSetting;
use tabane_partnership_rules::turnaround::TurnaroundSetting;

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpPlatformForm")]
pub struct PlatformForm {
    pub bundle_id: Option<i64>,
    pub window_org_id: Option<i64>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub answer_days: String,
    #[serde(default)]
    pub freshness: String,
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &PlatformForm,
) -> Result<platform::Model> {
    let org = ctx.org_id.ok_or(Error::NotFound)?;
    if !(ctx.system_admin || ctx.is_admin()) {
        return Err(Error::forbidden(
            "プラットフォームは自治体の管理者が設定します",
            "An administrator of the municipality sets up the platform",
        ));
    }
    let mut p = Problems::default();
    let Some(bundle_id) = f.bundle_id else {
        p.push("bundle_id", "プラットフォームの束", "Bundle", "を選んでください", "is required");
        return Err(Error::Invalid(p.0));
    };
    let b = bundles::get(db, ctx, bundle_id).await?;
    if b.bundle.lead_org_id != org {
        return Err(Error::forbidden(
            "プラットフォームは束の幹事（自治体）が設定します",
            "The bundle's lead sets up the platform",
        ));
    }
    let window = match f.window_org_id {
        Some(w) => {
            organisation::Entity::find_by_id(w).one(db).await?.filter(|o| o.parent_id == Some(org) || o.id == org)
        }
        None => None,
    };
    if window.is_none() {
        p.push(
            "window_org_id",
            "ワンストップ窓口",
            "Window",
            "は自治体の部署を選んでください",
            "must be a department of the municipality",
        );
    }
    let days =
        if f.answer_days.trim().is_empty() { Ok(55) } else { TurnaroundSetting::parse_target_days(&f.answer_days) };
    if let Err(e) = &days {
        p.push("answer_days", "回答目標日数", "Answer target", e.message_ja(), e.message_en());
    }
    let freshness = if f.freshness.trim().is_empty() { "+12m".to_string() } else { f.freshness.trim().to_string() };
    if let Err(e) = FreshnessSetting::parse(&freshness) {
        p.push("freshness", "鮮度の確認周期", "Freshness", e.message_ja(), e.message_en());
    }
    if platform::Entity::find().filter(platform::Column::BundleId.eq(bundle_id)).one(db).await?.is_some() {
        p.push(
            "bundle_id",
            "プラットフォームの束",
            "Bundle",
            "には既にプラットフォームがあります",
            "already has a platform",
        );
    }
    p.into_result()?;
    let txn = db.begin().await?;
    let m = platform::ActiveModel {
        bundle_id: Set(bundle_id),
        owner_org_id: Set(org),
        window_org_id: Set(window.map(|w| w.id).unwrap_or(org)),
        name: Set(if f.name.trim().is_empty() { b.bundle.name.clone() } else { f.name.trim().into() }),
        answer_days: Set(days.unwrap_or(55) as i32),
        freshness: Set(freshness),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org),
            bundle_id: Some(bundle_id),
            action: "create",
            entity: "pp_platform",
            entity_id: m.id.to_string(),
            before: None,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// A platform as the actor sees it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpPlatformRow")]
pub struct PlatformRow {
    pub platform: platform::Model,
    pub side: Side,
    pub municipality: String,
}

pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<PlatformRow>> {
    let mut out = Vec::new();
    for a in access::platforms(db, ctx).await? {
        out.push(PlatformRow {
            municipality: super::contacts::org_name(db, a.platform.owner_org_id).await?,
            side: a.side,
            platform: a.platform,
        });
    }
    Ok(out)
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<PlatformRow> {
    let a = access::platform(db, ctx, id).await?;
    Ok(PlatformRow {
        municipality: super::contacts::org_name(db, a.platform.owner_org_id).await?,
        side: a.side,
        platform: a.platform,
    })
}

/// 推進会議の議題 (agenda of a meeting of the platform bundle): the 年度's KPIs that are not met.
pub async fn agenda<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    bundle_id: i64,
    day: chrono::NaiveDate,
) -> Result<Vec<String>> {
    let Some(p) = platform::Entity::find().filter(platform::Column::BundleId.eq(bundle_id)).one(db).await? else {
        return Ok(Vec::new());
    };
    let fy = tabane_calendar::FiscalYear::of(day).0;
    let Ok(d) = super::kpis::dashboard(db, ctx, p.id, fy).await else { return Ok(Vec::new()) };
    let lines: Vec<String> = d
        .kpis
        .iter()
        .filter(|k| k.figure.is_some())
        .map(|k| format!("{}：{}（目標 {}）{}", k.name_ja, k.display_ja, k.target_ja, k.verdict_ja))
        .collect();
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![format!("連携事業のKPI（{}）: {}", tabane_calendar::FiscalYear(fy).label_ja(), lines.join(" / "))])
}
