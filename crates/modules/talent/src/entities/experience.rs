//! 職歴 (a row of experience).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentExperience")]
#[sea_orm(table_name = "talent_experience")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub employer_label: String,
    /// 民間企業 | 地方公共団体 | その他.
    pub sector: String,
    /// YYYY-MM.
    pub from_month: String,
    /// YYYY-MM, or none = 現在.
    pub to_month: Option<String>,
    /// デジタル分野の実務経験.
    pub digital_field: bool,
    pub description: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
