//! 督促・確認の記録 (follow-up of a recipient: 架電/訪問/文書/メール)
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "SurveyFollowup")]
#[sea_orm(table_name = "survey_followups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Denormalised so that a survey's follow-ups are read with one indexed query.
    pub survey_id: i64,
    pub recipient_id: i64,
    pub at: DateTimeUtc,
    /// `phone|visit|letter|email`.
    pub method: String,
    pub outcome: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub by_user_id: Option<i64>,
    /// Login of who followed up (kept when the user is later removed).
    pub by_actor: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
