//! 変更申請 (a change request of a signed project) and its decision.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpChange")]
#[sea_orm(table_name = "pp_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub kpi_id: Option<i64>,
    pub requested_by: String,
    pub requested_on: Date,
    pub reason: String,
    pub field: String,
    pub before: String,
    pub after: String,
    pub status: String,
    pub decided_on: Option<Date>,
    pub decided_by: Option<String>,
    pub rejection_reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
