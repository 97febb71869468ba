//! 回答対象 (survey recipient): a household, organisation or user asked to answer
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "SurveyRecipient")]
#[sea_orm(table_name = "survey_recipients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    /// Module subject such as `housing_case:123`, `org:5`, `user:7`; unique within the survey.
    pub subject_ref: String,
    /// Non-personal display label (「A棟 101号室」), safe for lists and exports.
    pub label: String,
    /// 配布方法: `paper|email|screen`.
    pub channel: String,
    pub sent_on: Option<Date>,
    /// `pending|answered|declined|unreachable`.
    pub status: String,
    pub answered_at: Option<DateTimeUtc>,
    pub entered_by: Option<i64>,
    /// 本人/代理入力: `self|proxy`.
    pub entry_source: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
