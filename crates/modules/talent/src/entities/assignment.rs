//! 派遣 (a weekly assignment of a person to a municipality).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentAssignment")]
#[sea_orm(table_name = "talent_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    pub person_id: i64,
    pub municipality_org_id: i64,
    pub need_id: Option<i64>,
    pub mode: String,
    /// `mon,tue`.
    pub weekdays: String,
    pub date_from: Date,
    pub date_to: Date,
    pub minutes_per_day: i32,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
