//! 回答 (one answer of one recipient to one question)
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "SurveyAnswer")]
#[sea_orm(table_name = "survey_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Denormalised so that aggregation reads a survey's answers with one indexed query.
    pub survey_id: i64,
    pub recipient_id: i64,
    pub question_id: i64,
    /// The validated, normalised value as JSON.
    #[sea_orm(column_type = "Text")]
    pub value_json: String,
    /// A personal question's answer, sealed (`value_json` is then `null`).
    #[sea_orm(column_type = "Text", nullable)]
    #[serde(skip)]
    pub value_enc: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
