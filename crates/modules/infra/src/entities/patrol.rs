//! 道路パトロール (a patrol): who went, when, where, in what weather.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Patrol")]
#[sea_orm(table_name = "infra_patrols")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bundle_id: i64,
    /// The organisation that patrolled (the contractor or an owner).
    pub org_id: i64,
    pub patrol_date: Date,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub weather: Option<String>,
    pub vehicle: Option<String>,
    pub staff: Option<String>,
    /// Routes or assets covered, as written.
    #[sea_orm(column_type = "Text", nullable)]
    pub routes: Option<String>,
    /// Optional GPS track as a GeoJSON LineString.
    #[sea_orm(column_type = "Text", nullable)]
    pub track: Option<String>,
    /// Owners whose roads were covered (comma-separated organisation ids).
    pub owner_ids: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
