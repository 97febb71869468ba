//! 組織 (organisation): local governments, departments, companies, JVs …
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Organisation")]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub name_kana: Option<String>,
    /// 全国地方公共団体コード for local governments.
    pub lg_code: Option<String>,
    pub prefecture_code: Option<String>,
    /// The organisation a department belongs to, or the lead of a JV.
    pub parent_id: Option<i64>,
    /// Validity of the code (municipal mergers end a code).
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
