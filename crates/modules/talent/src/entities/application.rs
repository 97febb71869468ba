//! 応募 (a person of the pool applying to a position); its stages are in `application_stage`.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentApplication")]
#[sea_orm(table_name = "talent_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub position_id: i64,
    pub person_id: i64,
    /// The current `Stage` key (the last row of the history).
    pub stage: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
