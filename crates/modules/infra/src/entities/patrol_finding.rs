//! パトロールでの発見事項 (a finding on patrol), for one owner; it may become a work order.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PatrolFinding")]
#[sea_orm(table_name = "infra_patrol_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patrol_id: i64,
    pub owner_org_id: i64,
    pub found_time: Option<String>,
    pub category: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub urgency: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
    pub work_order_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
