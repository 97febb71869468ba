//! 指示限度額 (instruction limit) of one owner in a contract for one fiscal year.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "InstructionLimit")]
#[sea_orm(table_name = "infra_instruction_limits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    pub owner_org_id: i64,
    pub fiscal_year: i32,
    pub limit_amount: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
