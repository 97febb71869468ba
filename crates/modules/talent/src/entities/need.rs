//! 市町村のニーズ (a municipality's need; shared with the prefecture only).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentNeed")]
#[sea_orm(table_name = "talent_needs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    /// The municipality.
    pub owner_org_id: i64,
    pub theme: String,
    pub field: String,
    pub wanted_types: String,
    pub days_per_week: i32,
    pub form: String,
    pub period_from: Date,
    pub period_to: Date,
    pub description: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
