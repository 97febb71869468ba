//! 地域資源 (a resource offered to the community) with its 公開区分 and freshness.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpResource")]
#[sea_orm(table_name = "pp_resources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    pub provider_org_id: Option<i64>,
    pub provider_label: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub area: String,
    pub terms: String,
    /// public | members | private.
    pub visibility: String,
    pub last_confirmed_on: Date,
    /// registered | active | suspended (要確認 follows from the date).
    pub status: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
