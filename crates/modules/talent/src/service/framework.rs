//! 推進体制 (spec §2.7, R1–R2): each municipality's 状況把握 record per 年度 (its own, shared with
//! the prefecture only), the 「1人情シス」 priority list read from them (heads by default, FTE shown
//! too), and the checklist of the four functions with the 令和7年度 deadline.

use super::accelerators::rule_error;
use super::access::{self, PoolAccess, Side};
use super::needs::org_name;
use crate::domain::{self, PersonStatus, Theme};
use crate::entities::{framework, person, status_record};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::domain::OrgKind;
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::{audit, bundle_access};
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::framework::{
    self as rules, Cooperation, CooperationKind, FrameworkChecklist, FrameworkInput, MunicipalStatus, OnePersonIt,
};

/// 状況把握の記録. `org_id` only when the prefecture records it for a municipality.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStatusRecordForm")]
pub struct StatusForm {
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub population: Option<i64>,
    #[serde(default)]
    pub dx_heads: Option<i32>,
    /// FTE (e.g. 1.0, 0.5).
    #[serde(default)]
    pub dx_fte: Option<f64>,
    #[serde(default)]
    pub concurrent: bool,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub notes: String,
}

/// A status record with its 1人情シス flags.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct StatusRow {
    pub record: status_record::Model,
    pub municipality: String,
    #[schemars(with = "serde_json::Value")]
    pub flags: OnePersonIt,
}

fn flags(r: &status_record::Model, name: &str) -> OnePersonIt {
    rules::one_person_it(&rule_status(r, name))
}

fn rule_status(r: &status_record::Model, name: &str) -> MunicipalStatus {
    MunicipalStatus {
        municipality: name.into(),
        population: u64::try_from(r.population).unwrap_or(0),
        dx_staff_heads: u32::try_from(r.dx_heads).unwrap_or(0),
        dx_staff_fte_hundredths: u32::try_from(r.dx_fte_hundredths).unwrap_or(0),
    }
}

pub async fn record<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &StatusForm,
) -> Result<StatusRow> {
    let a = access::pool(db, ctx, pool_id).await?;
    let owner = match a.side {
        Side::Municipality => ctx.org_id.ok_or(Error::NotFound)?,
        Side::Prefecture => f
            .org_id
            .ok_or_else(|| Error::invalid("org_id", "市町村", "Municipality", "を選んでください", "is required"))?,
        Side::Company => return Err(Error::NotFound),
    };
    a.require_writer_of(ctx, owner)?;
    let mut p = Problems::default();
    p.required("as_of", "把握日", "As of", &f.as_of);
    let as_of = p.date("as_of", "把握日", "As of", &f.as_of);
    match f.population {
        Some(n) if n >= 0 => {}
        _ => p.push("population", "人口", "Population", "を0以上の数で入力してください", "is required"),
    }
    match f.dx_heads {
        Some(n) if n >= 0 => {}
        _ => p.push("dx_heads", "DX推進部局の担当者数", "DX staff", "を0以上の数で入力してください", "is required"),
    }
    let fte = f.dx_fte.unwrap_or(f64::from(f.dx_heads.unwrap_or(0)));
    if !(0.0..=1000.0).contains(&fte) {
        p.push("dx_fte", "担当者（FTE）", "FTE", "は0以上で入力してください", "must be 0 or more");
    }
    p.into_result()?;
    let as_of = as_of.ok_or(Error::NotFound)?;
    let fy = FiscalYear::of(as_of).0;
    let existing = status_record::Entity::find()
        .filter(status_record::Column::PoolId.eq(pool_id))
        .filter(status_record::Column::OrgId.eq(owner))
        .filter(status_record::Column::FiscalYear.eq(fy))
        .one(db)
        .await?;
    let txn = db.begin().await?;
    let mut am = match existing.clone() {
        Some(r) => r.into_active_model(),
        None => status_record::ActiveModel {
            pool_id: Set(pool_id),
            org_id: Set(owner),
            fiscal_year: Set(fy),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    };
    am.as_of = Set(as_of);
    am.population = Set(f.population.unwrap_or(0));
    am.dx_heads = Set(f.dx_heads.unwrap_or(0));
    am.dx_fte_hundredths = Set((fte * 100.0).round() as i32);
    am.concurrent = Set(f.concurrent);
    am.progress = Set(f.progress.trim().into());
    am.notes = Set(f.notes.trim().into());
    let r = if existing.is_some() { am.update(&txn).await? } else { am.insert(&txn).await? };
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: Some(a.pool.bundle_id),
            action: if existing.is_some() { "update" } else { "create" },
            entity: "talent_status",
            entity_id: r.id.to_string(),
            before: existing.and_then(|e| serde_json::to_value(e).ok()),
            after: serde_json::to_value(&r).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    let name = org_name(db, owner).await?;
    Ok(StatusRow { flags: flags(&r, &name), municipality: name, record: r })
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<StatusRow> {
    let r = status_record::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::pool(db, ctx, r.pool_id).await?;
    a.require_record_of(ctx, r.org_id)?;
    let name = org_name(db, r.org_id).await?;
    Ok(StatusRow { flags: flags(&r, &name), municipality: name, record: r })
}

/// The status records the actor sees in a 年度.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    pool_id: i64,
    fy: i32,
) -> Result<(Vec<StatusRow>, PoolAccess)> {
    let a = access::pool(db, ctx, pool_id).await?;
    let mut out = Vec::new();
    for r in status_record::Entity::find()
        .filter(status_record::Column::PoolId.eq(pool_id))
        .filter(status_record::Column::FiscalYear.eq(fy))
        .order_by_asc(status_record::Column::OrgId)
        .all(db)
        .await?
    {
        if a.sees_record_of(ctx, r.org_id) {
            let name = org_name(db, r.org_id).await?;
            out.push(StatusRow { flags: flags(&r, &name), municipality: name, record: r });
        }
    }
    Ok((out, a))
}

/// 1人情シス 優先支援リスト (the prefecture's view): small and one-person by heads, then those
/// listed under the FTE reading only, marked as such.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPriorityRow")]
pub struct PriorityRow {
    pub org_id: i64,
    pub municipality: String,
    pub population: i64,
    pub dx_heads: i32,
    pub dx_fte: f64,
    /// Listed under the FTE reading only.
    pub fte_reading_only: bool,
}

pub async fn priority<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64, fy: i32) -> Result<Vec<PriorityRow>> {
    let (rows, a) = list(db, ctx, pool_id, fy).await?;
    if a.side != Side::Prefecture {
        return Err(Error::NotFound);
    }
    let statuses: Vec<MunicipalStatus> = rows.iter().map(|r| rule_status(&r.record, &r.municipality)).collect();
    let listed = rules::priority_list(&statuses);
    Ok(rows
        .iter()
        .filter_map(|r| {
            let e = listed.iter().find(|e| e.municipality == r.municipality)?;
            Some(PriorityRow {
                org_id: r.record.org_id,
                municipality: r.municipality.clone(),
                population: r.record.population,
                dx_heads: r.record.dx_heads,
                dx_fte: f64::from(r.record.dx_fte_hundredths) / 100.0,
                fte_reading_only: e.fte_reading_only,
            })
        })
        .collect())
}

/// ① と ④ の記録 (the prefecture's staff).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentFrameworkForm")]
pub struct FrameworkForm {
    pub fiscal_year: Option<i32>,
    /// 会議体 | 宣言 | 協定 (`council` | `declaration` | `agreement`).
    #[serde(default)]
    pub cooperation_kind: String,
    #[serde(default)]
    pub cooperation_on: String,
    #[serde(default)]
    pub file_id: Option<i64>,
    /// ④ theme keys or labels, comma-separated.
    #[serde(default)]
    pub themes: String,
}

fn cooperation_kind(s: &str) -> Option<CooperationKind> {
    match s.trim() {
        "council" | "会議体" => Some(CooperationKind::Council),
        "declaration" | "宣言" => Some(CooperationKind::Declaration),
        "agreement" | "協定" => Some(CooperationKind::Agreement),
        _ => None,
    }
}

/// The checklist of a 年度 with the counts behind it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FrameworkView {
    pub fiscal_year: i32,
    pub record: Option<framework::Model>,
    #[schemars(with = "serde_json::Value")]
    pub checklist: FrameworkChecklist,
    pub municipalities: u32,
    pub with_status: u32,
    pub active_talent: u32,
}

pub async fn save<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &FrameworkForm,
) -> Result<FrameworkView> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let mut p = Problems::default();
    let fy = f.fiscal_year.unwrap_or_else(|| FiscalYear::of(tabane_calendar::jst::today()).0);
    let kind = if f.cooperation_kind.trim().is_empty() { None } else { cooperation_kind(&f.cooperation_kind) };
    if !f.cooperation_kind.trim().is_empty() && kind.is_none() {
        p.push(
            "cooperation_kind",
            "①の枠組み",
            "Framework",
            "は会議体・宣言・協定のいずれかです",
            "is council, declaration or agreement",
        );
    }
    let on = p.date("cooperation_on", "①の日付", "Date", &f.cooperation_on);
    let themes = super::persons::list_field(
        &mut p,
        "themes",
        "④ テーマ",
        "Themes",
        &f.themes,
        Theme::parse,
        Theme::choices_ja(),
    );
    p.into_result()?;
    let existing = framework::Entity::find()
        .filter(framework::Column::PoolId.eq(pool_id))
        .filter(framework::Column::FiscalYear.eq(fy))
        .one(db)
        .await?;
    let txn = db.begin().await?;
    let mut am = match existing.clone() {
        Some(r) => r.into_active_model(),
        None => framework::ActiveModel { pool_id: Set(pool_id), fiscal_year: Set(fy), ..Default::default() },
    };
    am.cooperation_kind = Set(kind.map(|k| format!("{k:?}").to_lowercase()));
    am.cooperation_on = Set(on);
    am.file_id = Set(f.file_id);
    am.themes = Set(domain::join_keys(&themes, Theme::key));
    am.updated_at = Set(Utc::now());
    let r = if existing.is_some() { am.update(&txn).await? } else { am.insert(&txn).await? };
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.pool.prefecture_org_id),
            bundle_id: Some(a.pool.bundle_id),
            action: "framework",
            entity: "talent_framework",
            entity_id: r.id.to_string(),
            before: existing.and_then(|e| serde_json::to_value(e).ok()),
            after: serde_json::to_value(&r).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    checklist(db, ctx, pool_id, Some(fy), None).await
}

/// 推進体制の構築状況 as of `today` (default: today in Japan). The prefecture's staff only.
pub async fn checklist<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    pool_id: i64,
    fy: Option<i32>,
    today: Option<chrono::NaiveDate>,
) -> Result<FrameworkView> {
    let a = access::pool(db, ctx, pool_id).await?;
    if a.side != Side::Prefecture {
        return Err(Error::NotFound);
    }
    let today = today.unwrap_or_else(tabane_calendar::jst::today);
    let fy = fy.unwrap_or(FiscalYear::of(today).0);
    let record = framework::Entity::find()
        .filter(framework::Column::PoolId.eq(pool_id))
        .filter(framework::Column::FiscalYear.eq(fy))
        .one(db)
        .await?;
    // 管内市町村: the municipalities of the bundle (the directory's members of the 体制).
    let members = bundle_access::members(db, a.pool.bundle_id).await?;
    let ids: Vec<i64> = members.iter().map(|(o, _)| *o).collect();
    let municipalities = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .filter(organisation::Column::Kind.eq(OrgKind::Municipality.key()))
        .count(db)
        .await? as u32;
    let with_status = status_record::Entity::find()
        .filter(status_record::Column::PoolId.eq(pool_id))
        .filter(status_record::Column::FiscalYear.eq(fy))
        .count(db)
        .await? as u32;
    let active_talent = person::Entity::find()
        .filter(person::Column::PoolId.eq(pool_id))
        .filter(person::Column::Status.eq(PersonStatus::Active.key()))
        .count(db)
        .await? as u32;
    let input = FrameworkInput {
        cooperation: record.as_ref().and_then(|r| {
            Some(Cooperation {
                kind: cooperation_kind(r.cooperation_kind.as_deref()?)?,
                date: r.cooperation_on?,
                has_file: r.file_id.is_some(),
            })
        }),
        municipalities,
        municipalities_with_status: with_status.min(municipalities),
        active_talent,
        themes: record
            .as_ref()
            .map(|r| domain::split_keys(&r.themes, Theme::parse))
            .unwrap_or_default()
            .into_iter()
            .map(|t| match t {
                Theme::InternalDx => rules::Theme::InternalDx,
                Theme::JointProcurement => rules::Theme::JointProcurement,
                Theme::RegionalDx => rules::Theme::RegionalDx,
                Theme::DigitalDivide => rules::Theme::DigitalDivide,
                Theme::Other => rules::Theme::Other,
            })
            .collect(),
    };
    let checklist =
        rules::framework_checklist(&input, today).map_err(|e| rule_error(e, "framework", "推進体制", "Framework"))?;
    Ok(FrameworkView { fiscal_year: fy, record, checklist, municipalities, with_status, active_talent })
}
