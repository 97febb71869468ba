//! 契約の構成 (part of a contract): a phase (期), a task with its payment type (業務と支払方式), or a member firm with its role (構成員と役割).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "ContractPart")]
#[sea_orm(table_name = "infra_contract_parts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// "phase", "task" or "member".
    pub part: String,
    pub name: String,
    /// For a task: lump_sum / unit_price; for a member: its role (代表者, 構成員 …).
    pub detail: Option<String>,
    /// For a member firm: the organisation.
    pub org_id: Option<i64>,
    pub start_on: Option<Date>,
    pub end_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
