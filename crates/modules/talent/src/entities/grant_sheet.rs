//! 財政措置の試算 (a calculation sheet: one organisation, measure and 年度; shared with the prefecture only).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantSheet")]
#[sea_orm(table_name = "talent_grant_sheets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    pub org_id: i64,
    pub fiscal_year: i32,
    pub measure: String,
    pub status: String,
    /// `yen` (円未満切捨て) | `thousand`.
    pub rounding: String,
    /// `net` | `gross` (spec R5 (iii)).
    pub contributions: String,
    pub title: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
