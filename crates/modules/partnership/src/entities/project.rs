//! 連携事業・協定 (a partnership project and its agreement).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpProject")]
#[sea_orm(table_name = "pp_projects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    /// The agreement's bundle (the municipality and its partner); its KPIs are shared only there.
    pub bundle_id: Option<i64>,
    pub kind: String,
    pub origin: String,
    pub contact_id: Option<i64>,
    pub title: String,
    pub partner_org_id: Option<i64>,
    pub signed_on: Option<Date>,
    pub start_on: Option<Date>,
    pub end_on: Option<Date>,
    pub investment_yen: i64,
    pub stage: String,
    pub participation_plan: bool,
    pub guideline_complete: bool,
    pub implemented_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
