//! 市町村の基礎数値 (a municipality's figures for 見える化): population, decline, staff and
//! construction workers, entered or imported, one row per organisation.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "MunicipalProfile")]
#[sea_orm(table_name = "infra_municipal_profiles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    /// 基準日 of the figures.
    pub as_of: Date,
    /// 人口.
    pub population: Option<i64>,
    /// 人口減少率 2020→2050 in percent (negative: growth).
    pub decline_pct: Option<f64>,
    /// 土木部門職員数.
    pub civil_staff: Option<i32>,
    /// 技術系職員数 (技術者数).
    pub technical_staff: Option<i32>,
    /// 建設業従業者数.
    pub construction_workers: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
