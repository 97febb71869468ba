//! 選考の経過 (one stage an application reached, with its date and the warnings it raised).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentApplicationStage")]
#[sea_orm(table_name = "talent_application_stages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    /// `Stage` key.
    pub stage: String,
    pub moved_on: Date,
    pub note: String,
    /// Warnings given when the stage was reached (e.g. 面接 skipped), one per line.
    pub warnings: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
