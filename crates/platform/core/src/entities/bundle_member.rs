//! 束の構成団体 (member of a bundle, with its role)
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "BundleMember")]
#[sea_orm(table_name = "bundle_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bundle_id: i64,
    pub org_id: i64,
    pub role: String,
    /// 期間 (membership period, JST days, inclusive; `None` = open): outside it the organisation
    /// has no access to the bundle's data.
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
