//! アンケート (survey): a questionnaire owned by one organisation, optionally shared with a bundle
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Survey")]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 実施団体 (owner organisation): its staff manage the survey.
    pub owner_org_id: i64,
    /// When set, staff of the bundle's members may enter responses and read results.
    pub bundle_id: Option<i64>,
    /// Which module uses it (`housing`, `infra`, `general` …).
    pub module: String,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    /// `draft` | `open` | `closed`.
    pub status: String,
    /// 提出締切 (due date).
    pub due_on: Option<Date>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
