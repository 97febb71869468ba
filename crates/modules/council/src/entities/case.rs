//! 事例（近県モデル） (a case of the library); accumulates across 年度.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilCase")]
#[sea_orm(table_name = "council_cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub term_id: i64,
    pub source_hearing_id: Option<i64>,
    /// CaseCategory key.
    pub category: String,
    pub prefectures: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    /// CaseVisibility key.
    pub visibility: String,
    pub fiscal_year: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
