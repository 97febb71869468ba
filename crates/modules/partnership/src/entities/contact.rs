//! 窓口受付 (a 相談 or 提案 at the one-stop window). Visible to its proposer, the window and the departments it is routed to.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpContact")]
#[sea_orm(table_name = "pp_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    /// 受付番号 (年度-連番).
    pub reception_no: String,
    pub received_on: Date,
    pub channel: String,
    /// 相談 | 提案.
    pub kind: String,
    pub proposer_org_id: Option<i64>,
    /// 提案者名 (an organisation's name, or 「個人」 for a resident).
    pub proposer_label: String,
    /// 連絡先 of a resident proposer (sealed).
    #[serde(skip)]
    pub proposer_contact_enc: Option<String>,
    pub title: String,
    pub body: String,
    pub fields: String,
    pub status: String,
    pub answer: Option<String>,
    pub answer_text: String,
    pub answer_reason: String,
    pub answered_on: Option<Date>,
    pub agreed_on: Option<Date>,
    pub launched_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
