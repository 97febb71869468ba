//! 市町村の状況把握 (one municipality, one 年度; shared with the prefecture only).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStatusRecord")]
#[sea_orm(table_name = "talent_statuses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    pub org_id: i64,
    pub fiscal_year: i32,
    pub as_of: Date,
    pub population: i64,
    /// DX推進部局の担当者 (heads; 兼務 counts 1).
    pub dx_heads: i32,
    /// The same in FTE × 100.
    pub dx_fte_hundredths: i32,
    /// 兼務.
    pub concurrent: bool,
    /// 標準化の進捗.
    pub progress: String,
    pub notes: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
