//! 維持管理契約 (maintenance contract of a bundle): contractor, period, payment type, per-job cap, response deadlines.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Contract")]
#[sea_orm(table_name = "infra_contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bundle_id: i64,
    pub name: String,
    pub contractor_org_id: i64,
    pub period_start: Date,
    pub period_end: Date,
    /// 総価 / 単価 / 混合
    pub payment_type: String,
    /// 1件あたりの上限 (yen): a job above it is flagged for separate procurement.
    pub job_cap: i64,
    /// Business days allowed per urgency (緊急 / 早期 / 通常).
    pub days_emergency: i32,
    pub days_early: i32,
    pub days_normal: i32,
    /// Member firms and their roles, e.g. "南豆建設: 代表者（舗装・小規模修繕）".
    #[sea_orm(column_type = "Text", nullable)]
    pub members_note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
