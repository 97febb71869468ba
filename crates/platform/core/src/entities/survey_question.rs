//! 設問 (survey question)
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "SurveyQuestion")]
#[sea_orm(table_name = "survey_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub position: i32,
    /// Stable code, unique within the survey (answer maps and export columns use it).
    pub code: String,
    /// `text|long_text|number|date|single|multiple|ranked|yes_no`.
    pub kind: String,
    pub label: String,
    pub required: bool,
    /// JSON list of `{key, label}` (choice kinds only).
    #[sea_orm(column_type = "Text")]
    pub options_json: String,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// 第N希望まで (ranked only).
    pub rank_depth: Option<i32>,
    /// 個人情報 (answers are personal data): left out of exports unless asked for.
    pub personal: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
