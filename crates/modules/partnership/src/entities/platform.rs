//! 公民連携プラットフォーム (a municipality's platform bundle, its one-stop window and settings).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpPlatform")]
#[sea_orm(table_name = "pp_platforms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The platform bundle: the municipality 事務局, registered partners 構成員.
    pub bundle_id: i64,
    /// The municipality.
    pub owner_org_id: i64,
    /// The one-stop window (官民連携推進室), a department of the municipality.
    pub window_org_id: i64,
    pub name: String,
    /// 回答目標日数 (setting; the seed's example 55日 ≈ 1.8カ月).
    pub answer_days: i32,
    /// 鮮度の確認周期 (`+12m`).
    pub freshness: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
