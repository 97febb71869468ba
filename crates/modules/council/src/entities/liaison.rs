//! 打合せ・協議記録 (the liaison log, seed 4(7) and 7): weekly meetings with the client,
//! consultations, questions, reports and 仕様変更承認申請 with their decision.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilLiaison")]
#[sea_orm(table_name = "council_liaison")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub term_id: i64,
    pub held_on: Date,
    /// LiaisonKind key.
    pub kind: String,
    /// HearingMode key (オンライン可).
    pub mode: String,
    #[sea_orm(column_type = "Text")]
    pub topics: String,
    #[sea_orm(column_type = "Text")]
    pub decisions: String,
    /// ChangeStatus key, for a 仕様変更承認申請 only.
    pub change_status: Option<String>,
    pub reject_reason: Option<String>,
    /// 実施日 of an approved change.
    pub implemented_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
