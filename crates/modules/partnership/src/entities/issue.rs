//! 地域課題 (a local issue), public or internal.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpIssue")]
#[sea_orm(table_name = "pp_issues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    pub owner_org_id: i64,
    pub source: String,
    pub title: String,
    pub description: String,
    pub field: String,
    pub area: String,
    pub public: bool,
    pub registered_on: Date,
    pub status: String,
    pub solved_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
