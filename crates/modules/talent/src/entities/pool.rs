//! 推進体制 (the prefecture–municipality DX framework bundle) and its 人材プール.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPool")]
#[sea_orm(table_name = "talent_pools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The 体制 bundle: the prefecture 事務局, every municipality 構成団体.
    pub bundle_id: i64,
    /// The prefecture that owns the pool.
    pub prefecture_org_id: i64,
    pub name: String,
    /// 地方 of the prefecture (「中部地方」), for matching 対応可能地域.
    pub region: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
