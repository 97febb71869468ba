//! 自治体DXアクセラレータ 要件確認 (one check, kept as made; audited).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentAcceleratorCheck")]
#[sea_orm(table_name = "talent_accelerator_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub rule_version: String,
    pub as_of: Date,
    /// 充足 | 要判断 | 不充足.
    pub result: String,
    /// ①ア months, overlapping jobs once.
    pub months: i32,
    /// The conditions that hold (「①ア 60か月」, 「②」), one per line.
    pub basis: String,
    pub message: Option<String>,
    /// The whole check as JSON (each condition with its reason).
    pub detail: String,
    pub checked_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
