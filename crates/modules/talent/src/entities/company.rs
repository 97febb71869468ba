//! 協力企業リストの1社 (総務省's list, line 409–421): not personal data, so every side of the pool reads it.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentCompany")]
#[sea_orm(table_name = "talent_companies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    /// 社名 as the list writes it (one row per name and pool: a re-import updates it).
    pub name: String,
    /// The organisation of kind 企業 with exactly this name, if the directory has one.
    pub org_id: Option<i64>,
    /// 派遣可能な人材の類型 keys, comma-separated.
    pub types: String,
    /// 対応可能地域, one per line.
    pub regions: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
