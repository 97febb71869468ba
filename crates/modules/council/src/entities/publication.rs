//! 公開 (a published document): the approved revision's file, copied into the committee bundle.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilPublication")]
#[sea_orm(table_name = "council_publications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The council meeting.
    pub meeting_id: i64,
    /// `materials` | `minutes`
    pub role: String,
    /// The approved revision.
    pub submission_id: i64,
    /// Its copy in the committee bundle.
    pub file_id: i64,
    pub file_name: String,
    pub published_on: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
