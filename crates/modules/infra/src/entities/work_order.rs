//! 作業 (work order), shared through a bundle between an owner and the contractor.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "WorkOrder")]
#[sea_orm(table_name = "infra_work_orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bundle_id: i64,
    pub owner_org_id: i64,
    pub contractor_org_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub status: String,
    pub urgency: String,
    pub source: String,
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub instruction: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub due_on: Option<Date>,
    pub cost_labour: Option<i64>,
    pub cost_material: Option<i64>,
    pub cost_machinery: Option<i64>,
    pub cost_other: Option<i64>,
    pub cost_total: Option<i64>,
    /// 指示金額（概算）: the amount the owner expects when instructing.
    pub instructed_amount: Option<i64>,
    /// 分割元 (the job this one was split from, e.g. an intersection of two owners' roads).
    pub split_of: Option<i64>,
    /// 按分 (this owner's share of a split job, in percent).
    pub share_percent: Option<i32>,
    pub received_at: DateTimeUtc,
    pub instructed_at: Option<DateTimeUtc>,
    pub reported_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
