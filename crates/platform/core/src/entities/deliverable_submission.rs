//! 提出 (submission): one revision of a deliverable instance and the owner's decision on it.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "DeliverableSubmission")]
#[sea_orm(table_name = "deliverable_submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instance_id: i64,
    /// 版 (revision), 1, 2, … per instance.
    pub revision: i32,
    /// The document (platform stored file), if one was attached.
    pub file_id: Option<i64>,
    pub note: Option<String>,
    pub submitted_by: Option<i64>,
    pub submitted_at: DateTimeUtc,
    /// `approved` (承諾), `returned` (差戻し), `received` (受理); empty until decided.
    pub decision: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    /// 差戻しの理由 or a remark with the decision.
    pub decision_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
