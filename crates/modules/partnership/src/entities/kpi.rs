//! 事業のKPI; after 締結 its target changes only through an approved change request.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpKpi")]
#[sea_orm(table_name = "pp_kpis")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    /// outcome | output.
    pub kind: String,
    pub unit: String,
    /// 目標値 (decimal text).
    pub target: Option<String>,
    /// at_least | at_most.
    pub direction: String,
    pub actual: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
