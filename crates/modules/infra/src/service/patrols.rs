//! 道路パトロール (patrols) and the 道路パトロール日誌 generated from them, per owner per day,
//! with no re-typing. A finding becomes a work order in one step.

use super::access;
use super::work_orders::{self, NewWorkOrder};
use crate::domain::Urgency;
use crate::entities::{patrol, patrol_finding as finding};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::domain::{BundleRole, Role};
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PatrolForm {
    pub patrol_date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub weather: String,
    #[serde(default)]
    pub vehicle: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub routes: String,
    /// Owners covered: organisation ids, comma-separated (the form sends one field per owner).
    #[serde(default)]
    pub owner_ids: String,
    #[serde(default)]
    pub notes: String,
    /// GPS track as a GeoJSON LineString (optional).
    #[serde(default)]
    pub track: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn time_field(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<String> {
    let t = tabane_tabular::to_halfwidth_ascii(v.trim()).replace('：', ":");
    if t.is_empty() {
        return None;
    }
    match chrono::NaiveTime::parse_from_str(&t, "%H:%M") {
        Ok(x) => Some(x.format("%H:%M").to_string()),
        Err(_) => {
            p.push(field, ja, en, "は 9:30 のように時:分で入力してください", "must be a time like 9:30");
            None
        }
    }
}

/// The bundle a patrol belongs to and its owners.
async fn pick_bundle<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<(i64, Vec<i64>)> {
    let usable = access::work_bundles(db, ctx).await?;
    match usable.as_slice() {
        [one] => Ok((one.bundle_id, one.owners.clone())),
        [] => Err(Error::invalid(
            "owner_ids",
            "束",
            "Bundle",
            "パトロールを記録できる束（受注者のいる束）がありません",
            "no bundle with a contractor",
        )),
        _ => Err(Error::invalid(
            "owner_ids",
            "束",
            "Bundle",
            "が複数あります。画面上部の切替で束を選んでください",
            "is ambiguous: choose the bundle in the switcher",
        )),
    }
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, f: &PatrolForm) -> Result<patrol::Model> {
    let org = ctx.org_id.ok_or(Error::NotFound)?;
    if !ctx.has_role_in(org, Role::Staff) {
        return Err(Error::forbidden(
            "パトロールを記録できるのは担当者以上です",
            "Staff role needed to record a patrol",
        ));
    }
    let (bundle_id, owners_in_bundle) = pick_bundle(db, ctx).await?;
    let mut p = Problems::default();
    let date = match tabane_calendar::parse_date(&f.patrol_date) {
        Ok(d) if d <= work_orders::today_jst() => Some(d),
        Ok(_) => {
            p.push("patrol_date", "実施日", "Date", "に未来の日付は入力できません", "cannot be in the future");
            None
        }
        Err(e) => {
            p.push("patrol_date", "実施日", "Date", e.message_ja(), e.message_en());
            None
        }
    };
    let start = time_field(&mut p, "start_time", "開始時刻", "Start", &f.start_time);
    let end = time_field(&mut p, "end_time", "終了時刻", "End", &f.end_time);
    if let (Some(a), Some(b)) = (&start, &end)
        && b < a
    {
        p.push("end_time", "終了時刻", "End", "が開始時刻より前です", "is before the start");
    }
    let owners: Vec<i64> = f.owner_ids.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    if owners.is_empty() {
        p.push("owner_ids", "対象の管理者", "Owners", "を1つ以上選んでください", "choose at least one owner");
    } else if owners.iter().any(|o| !owners_in_bundle.contains(o)) {
        p.push(
            "owner_ids",
            "対象の管理者",
            "Owners",
            "は束の管理者（発注者）から選んでください",
            "must be owners in the bundle",
        );
    }
    let track = match opt(&f.track) {
        None => None,
        Some(t) => match serde_json::from_str::<serde_json::Value>(&t) {
            Ok(v)
                if v["type"] == "LineString"
                    || v["type"] == "MultiLineString"
                    || v["geometry"]["type"] == "LineString" =>
            {
                Some(v.to_string())
            }
            _ => {
                p.push(
                    "track",
                    "GPS 軌跡",
                    "GPS track",
                    "は GeoJSON の LineString で入力してください",
                    "must be a GeoJSON LineString",
                );
                None
            }
        },
    };
    p.into_result()?;
    let txn = db.begin().await?;
    let m = patrol::ActiveModel {
        bundle_id: Set(bundle_id),
        org_id: Set(org),
        patrol_date: Set(date.expect("checked")),
        start_time: Set(start),
        end_time: Set(end),
        weather: Set(opt(&f.weather)),
        vehicle: Set(opt(&f.vehicle)),
        staff: Set(opt(&f.staff)),
        routes: Set(opt(&f.routes)),
        track: Set(track),
        owner_ids: Set(owners.iter().map(|o| o.to_string()).collect::<Vec<_>>().join(",")),
        notes: Set(opt(&f.notes)),
        created_by: Set(ctx.user_id),
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
            entity: "infra_patrol",
            entity_id: m.id.to_string(),
            before: None,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

pub fn owners_of(p: &patrol::Model) -> Vec<i64> {
    p.owner_ids.split(',').filter_map(|s| s.parse().ok()).collect()
}

/// A patrol of one of the actor's bundles (`NotFound` otherwise).
pub async fn find<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<patrol::Model> {
    let p = patrol::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if ctx.system_admin || access::my_bundles(db, ctx).await?.iter().any(|(b, _)| *b == p.bundle_id) {
        Ok(p)
    } else {
        Err(Error::NotFound)
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct FindingForm {
    pub owner_org_id: String,
    #[serde(default)]
    pub found_time: String,
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub address: String,
}

pub async fn add_finding<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    patrol_id: i64,
    f: &FindingForm,
) -> Result<finding::Model> {
    let pt = find(db, ctx, patrol_id).await?;
    if !ctx.has_role_in(pt.org_id, Role::Staff) {
        return Err(Error::forbidden(
            "発見事項を記録できるのは、そのパトロールを行った団体の担当者です",
            "Only staff of the organisation that patrolled may record findings",
        ));
    }
    let mut p = Problems::default();
    let owner = f.owner_org_id.trim().parse::<i64>().ok().filter(|o| owners_of(&pt).contains(o));
    if owner.is_none() {
        p.push(
            "owner_org_id",
            "管理者",
            "Owner",
            "はこのパトロールの対象の管理者から選んでください",
            "must be one of the patrol's owners",
        );
    }
    p.required("category", "区分", "Category", &f.category);
    p.required("description", "内容", "Description", &f.description);
    let urgency = if f.urgency.trim().is_empty() { Some(Urgency::Normal) } else { Urgency::parse(&f.urgency) };
    if urgency.is_none() {
        p.push(
            "urgency",
            "緊急度",
            "Urgency",
            "は 緊急・早期・通常 のいずれかです",
            "must be emergency, early or normal",
        );
    }
    let found_time = time_field(&mut p, "found_time", "発見時刻", "Time", &f.found_time);
    let (lat, lon) = super::assets::parse_point(&mut p, &f.lat, &f.lon);
    p.into_result()?;
    let txn = db.begin().await?;
    let m = finding::ActiveModel {
        patrol_id: Set(patrol_id),
        owner_org_id: Set(owner.expect("checked")),
        found_time: Set(found_time),
        category: Set(f.category.trim().into()),
        description: Set(f.description.trim().into()),
        urgency: Set(urgency.expect("checked").key().into()),
        lat: Set(lat),
        lon: Set(lon),
        address: Set(opt(&f.address)),
        work_order_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(m.owner_org_id),
            bundle_id: Some(pt.bundle_id),
            action: "add_finding",
            entity: "infra_patrol",
            entity_id: patrol_id.to_string(),
            before: None,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// 作業化: turns a finding into a 受付 work order of its owner (once).
pub async fn finding_to_work_order<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    patrol_id: i64,
    finding_id: i64,
) -> Result<i64> {
    let pt = find(db, ctx, patrol_id).await?;
    let fd = finding::Entity::find_by_id(finding_id)
        .filter(finding::Column::PatrolId.eq(pt.id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if let Some(w) = fd.work_order_id {
        return Err(Error::conflict(
            format!("この発見事項は作業 #{w} になっています"),
            format!("already work order #{w}"),
        ));
    }
    let ctx_in_bundle = Ctx { bundle_id: Some(pt.bundle_id), ..ctx.clone() };
    let w = work_orders::create(
        db,
        &ctx_in_bundle,
        &NewWorkOrder {
            owner_org_id: fd.owner_org_id.to_string(),
            asset_id: String::new(),
            category: fd.category.clone(),
            description: format!("【パトロール {}】{}", pt.patrol_date, fd.description),
            urgency: fd.urgency.clone(),
            source: "patrol".into(),
            lat: fd.lat.map(|v| v.to_string()).unwrap_or_default(),
            lon: fd.lon.map(|v| v.to_string()).unwrap_or_default(),
            address: fd.address.clone().unwrap_or_default(),
        },
    )
    .await?;
    let mut am: finding::ActiveModel = fd.into();
    am.work_order_id = Set(Some(w.id));
    am.update(db).await?;
    Ok(w.id)
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FindingRow {
    pub finding: finding::Model,
    pub owner_name: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PatrolView {
    pub patrol: patrol::Model,
    pub org_name: String,
    pub owner_names: Vec<(i64, String)>,
    pub findings: Vec<FindingRow>,
    pub can_record: bool,
}

async fn names<D: ConnectionTrait>(db: &D, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(ids.to_vec())).all(db).await?;
    Ok(ids.iter().map(|i| (*i, orgs.iter().find(|o| o.id == *i).map(|o| o.name.clone()).unwrap_or_default())).collect())
}

pub async fn view<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<PatrolView> {
    let pt = find(db, ctx, id).await?;
    let fs = finding::Entity::find()
        .filter(finding::Column::PatrolId.eq(id))
        .order_by_asc(finding::Column::Id)
        .all(db)
        .await?;
    let owner_names = names(db, &owners_of(&pt)).await?;
    let findings = fs
        .into_iter()
        .map(|f| FindingRow {
            owner_name: owner_names.iter().find(|(i, _)| *i == f.owner_org_id).map(|x| x.1.clone()).unwrap_or_default(),
            finding: f,
        })
        .collect();
    Ok(PatrolView {
        org_name: names(db, &[pt.org_id]).await?.remove(0).1,
        can_record: ctx.has_role_in(pt.org_id, Role::Staff),
        owner_names,
        findings,
        patrol: pt,
    })
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, limit: u64) -> Result<Vec<patrol::Model>> {
    let bundles: Vec<i64> = access::my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect();
    Ok(patrol::Entity::find()
        .filter(patrol::Column::BundleId.is_in(bundles))
        .order_by_desc(patrol::Column::PatrolDate)
        .order_by_desc(patrol::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// 道路パトロール日誌 of one owner for one day.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Diary {
    pub owner_org_id: i64,
    pub owner_name: String,
    pub date: NaiveDate,
    pub wareki: String,
    pub patrols: Vec<DiaryPatrol>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DiaryPatrol {
    pub patrol: patrol::Model,
    pub org_name: String,
    /// This owner's findings only.
    pub findings: Vec<finding::Model>,
}

/// Who may print an owner's diary: the owner itself, or the contractor / secretariat of a
/// bundle the owner is in.
async fn can_read_diary<D: ConnectionTrait>(db: &D, ctx: &Ctx, owner: i64) -> Result<bool> {
    if ctx.system_admin || ctx.org_id == Some(owner) {
        return Ok(true);
    }
    for (b, role) in access::my_bundles(db, ctx).await? {
        if matches!(role, BundleRole::Contractor | BundleRole::Secretariat)
            && tabane_core::service::bundles::member_role(db, b, owner).await? == Some(BundleRole::Owner)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

pub async fn diary<D: ConnectionTrait>(db: &D, ctx: &Ctx, owner: i64, date: NaiveDate) -> Result<Diary> {
    if !can_read_diary(db, ctx, owner).await? {
        return Err(Error::NotFound);
    }
    let bundles: Vec<i64> = if ctx.system_admin {
        tabane_core::service::bundle_access::bundles_of_org(db, owner).await?
    } else {
        access::my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect()
    };
    let patrols = patrol::Entity::find()
        .filter(patrol::Column::BundleId.is_in(bundles))
        .filter(patrol::Column::PatrolDate.eq(date))
        .order_by_asc(patrol::Column::StartTime)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for pt in patrols.into_iter().filter(|p| owners_of(p).contains(&owner)) {
        let findings = finding::Entity::find()
            .filter(finding::Column::PatrolId.eq(pt.id))
            .filter(finding::Column::OwnerOrgId.eq(owner))
            .order_by_asc(finding::Column::FoundTime)
            .order_by_asc(finding::Column::Id)
            .all(db)
            .await?;
        out.push(DiaryPatrol { org_name: names(db, &[pt.org_id]).await?.remove(0).1, patrol: pt, findings });
    }
    Ok(Diary {
        owner_org_id: owner,
        owner_name: names(db, &[owner]).await?.remove(0).1,
        date,
        wareki: tabane_calendar::to_wareki(date).map(|w| w.format_ja()).unwrap_or_default(),
        patrols: out,
    })
}
