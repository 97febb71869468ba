//! アドバイザー派遣 (a DX or 地域情報化 advisor session of an applicant).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentAdvisorVisit")]
#[sea_orm(table_name = "talent_advisor_visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    pub applicant_org_id: i64,
    pub program: String,
    pub fiscal_year: i32,
    pub visited_on: Date,
    pub mode: String,
    pub minutes: i32,
    pub advisor_label: String,
    pub fields: String,
    /// 例外理由 for a 6th DX visit (原則5回).
    pub exception_reason: Option<String>,
    /// Warnings shown when it was recorded, one per line.
    pub warnings: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
