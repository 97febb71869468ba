//! 交付税措置のルール表の行 (rates, caps and periods as data: a later notice changes rows).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantRule")]
#[sea_orm(table_name = "talent_grant_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `Measure` (serde name).
    pub measure: String,
    /// `CostCategory` (serde name).
    pub category: String,
    pub fy_from: Option<i32>,
    pub fy_to: Option<i32>,
    pub rate_num: i64,
    pub rate_den: i64,
    pub cap: Option<i64>,
    pub cap_unit: String,
    pub unit_price: Option<i64>,
    pub max_persons: Option<i32>,
    pub source_lines: String,
    pub seed_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
