//! 試算の経費の行.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantLine")]
#[sea_orm(table_name = "talent_grant_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sheet_id: i64,
    pub label: String,
    /// The cost as the rules read it (`tabane_talent_rules::grant::Cost`, JSON).
    pub cost: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
