//! 束 (bundle): a named group of organisations working under one scheme
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Bundle")]
#[sea_orm(table_name = "bundles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub scheme: String,
    /// 幹事 (lead organisation).
    pub lead_org_id: i64,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub description: Option<String>,
    /// 協定書 (agreement document), a stored file.
    pub agreement_file_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
