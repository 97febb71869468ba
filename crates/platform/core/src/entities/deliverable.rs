//! 提出物 (deliverable): a plan or report a contractor (submitter) must hand to an owner
//! (approver) within a bundle, with its due rule.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Deliverable")]
#[sea_orm(table_name = "deliverables")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bundle_id: i64,
    /// 承諾者 (approver): the organisation the deliverable is submitted to.
    pub owner_org_id: i64,
    /// 提出者 (submitter).
    pub submitter_org_id: i64,
    /// Module that uses it ("housing", "infra", "council", …).
    pub module: String,
    pub code: String,
    pub title: String,
    /// 根拠条項 (e.g. `8(3)ア`).
    pub section_ref: Option<String>,
    /// 承諾が必要 (true) or 受理 only (false).
    pub needs_approval: bool,
    /// 電子データで提出: every submission must carry a file.
    pub file_required: bool,
    /// `once|monthly|per_event|fiscal_year`.
    pub recurrence: String,
    /// 期限ルール (calendar deadline rule text, e.g. `+14d`, `-4m`).
    pub due_rule: Option<String>,
    /// 起算日の名前 (e.g. 「業務着手」).
    pub anchor_label: Option<String>,
    pub anchor_date: Option<Date>,
    /// Due date of a one-off deliverable (computed from the rule and anchor, or given).
    pub due_date: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
