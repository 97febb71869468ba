//! 施設 (asset). The owner (道路管理者・施設管理者) never changes because a contractor works on it.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Asset")]
#[sea_orm(table_name = "infra_assets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_org_id: i64,
    pub kind: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub route_name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Optional line or polygon as a GeoJSON geometry.
    #[sea_orm(column_type = "Text", nullable)]
    pub geometry: Option<String>,
    /// 供用/架設年; unknown is NULL, never 0.
    pub year_built: Option<i32>,
    /// Typed size attributes (橋長, 幅員, 延長 …) as a JSON object.
    #[sea_orm(column_type = "Text", nullable)]
    pub attributes: Option<String>,
    /// External id, e.g. xROAD shisetsu_bangou.
    pub external_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
