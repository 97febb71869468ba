//! 効果測定・評価 of a project for a 年度 (SROI, economic effect); 公表 makes it read-only.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpEvaluation")]
#[sea_orm(table_name = "pp_evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub fiscal_year: i32,
    /// 貨幣換算した社会的価値の合計.
    pub value_yen: i64,
    pub investment_yen: i64,
    pub economic_effect_yen: i64,
    pub method: String,
    pub published: bool,
    pub published_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
