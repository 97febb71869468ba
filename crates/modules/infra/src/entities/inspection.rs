//! 定期点検 (periodic inspection, every 5 years by close visual inspection) of an asset, with the asset-level 健全性.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Inspection")]
#[sea_orm(table_name = "infra_inspections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub asset_id: i64,
    pub owner_org_id: i64,
    pub inspected_on: Date,
    /// 年度 (fiscal year, start year).
    pub fiscal_year: i32,
    /// 巡目 (inspection round: 1 = 2014–2018, 2 = 2019–2023, 3 = 2024–2028).
    pub round: i32,
    pub inspector: Option<String>,
    pub firm: Option<String>,
    /// 健全性 I–IV as 1–4, decided by the owner.
    pub grade: Option<i32>,
    /// "proposed" (entered by a contractor/consultant) or "confirmed" (by the owner).
    pub status: String,
    pub entered_by_org: Option<i64>,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
    /// 次回点検期限 (last + 5 years).
    pub next_due: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub remarks: Option<String>,
    pub created_at: DateTimeUtc,
    /// 施設の種類 of the asset, copied at write time (the dashboard counts bridges apart).
    pub asset_kind: String,
    /// 健全性 of the previous confirmed inspection of the same asset (normally the round before).
    pub prev_grade: Option<i32>,
    /// 点検日 of that previous inspection.
    pub prev_inspected_on: Option<Date>,
    /// The newest confirmed inspection of its asset.
    pub is_latest: bool,
    /// 補修状況 of its findings: not_started / started / done.
    pub repair_state: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
