//! 住民通報 (a resident report received over Open311). Name, e-mail and phone are personal data: shown to the owner only, never to the contractor.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "ResidentReport")]
#[sea_orm(table_name = "infra_resident_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub work_order_id: i64,
    pub client_id: i64,
    pub token: String,
    pub service_code: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub attributes: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub media_url: Option<String>,
    pub address_string: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub requested_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
