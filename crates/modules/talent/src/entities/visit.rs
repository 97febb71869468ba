//! 派遣実績 (one working day), confirmed by the municipality.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentVisit")]
#[sea_orm(table_name = "talent_visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub visited_on: Date,
    pub minutes: i32,
    pub place: String,
    pub field: String,
    pub summary: String,
    pub recorded_by: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
