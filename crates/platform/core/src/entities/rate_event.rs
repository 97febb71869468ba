//! 回数制限の記録 (rate-limit event): one row per counted request, kept in the database so a
//! limit holds across app servers. Rows older than their window are pruned as limits are
//! checked.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What is limited, e.g. `open311:client:<id>` or `open311:addr:<address>`.
    pub key: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
