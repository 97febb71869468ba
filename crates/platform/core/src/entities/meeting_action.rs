//! 決定事項・宿題 (a decision, or an action item with its owner, due date and status).
use sea_orm::entity::prelude::*;
use serde::Serialize;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "MeetingAction")]
#[sea_orm(table_name = "meeting_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    /// `decision` or `action`.
    pub kind: String,
    pub text: String,
    pub owner_org_id: Option<i64>,
    pub due_date: Option<Date>,
    /// `open` or `done` (decisions are `done`).
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
