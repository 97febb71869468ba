//! 会議 (a council meeting): kind, the period it is planned for (「7月末」), the date once the
//! client fixes it and the platform meeting that then carries its documents and due dates.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilMeeting")]
#[sea_orm(table_name = "council_meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub term_id: i64,
    /// MeetingKind key.
    pub kind: String,
    pub title: String,
    /// 「7月末」
    pub planned_label: String,
    /// Null while 日程未定.
    pub date: Option<Date>,
    /// The platform meeting, created when the date is first fixed.
    pub meeting_id: Option<i64>,
    /// An 担当者打合せ points at the 研究部会 it prepares.
    pub precedes_id: Option<i64>,
    /// オンライン | 対面 | 併用
    pub mode: String,
    /// MeetingStatus key.
    pub status: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
