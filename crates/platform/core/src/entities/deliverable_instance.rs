//! 提出回 (deliverable instance): one due submission of a deliverable — the only one of a
//! one-off deliverable (`period = "once"`), or one per month / event / fiscal year.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DeliverableInstance")]
#[sea_orm(table_name = "deliverable_instances")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub deliverable_id: i64,
    /// `once`, `2027-04` (monthly), `2027` (fiscal year), or an event date / label.
    pub period: String,
    pub due_date: Option<Date>,
    /// `pending|submitted|approved|returned|received|withdrawn`.
    pub status: String,
    /// 変更理由: why an approved deliverable was reopened for change.
    pub reopen_reason: Option<String>,
    /// 取消理由: why the instance was withdrawn (a cancelled meeting).
    pub withdraw_reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
