//! サービスアカウント (service account): another system acting for one organisation.
use sea_orm::entity::prelude::*;
use serde::Serialize;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[sea_orm(table_name = "service_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The user row it acts as (memberships, audit actor).
    pub user_id: i64,
    pub org_id: i64,
    pub name: String,
    /// Space-separated `area:read` / `area:write` (see `service::service_accounts::Scopes`).
    pub scopes: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
