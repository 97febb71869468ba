//! 更新番号 (data revision): one counter per kind of data, raised whenever that data changes.
//! Caches remember the counters they were filled under and are used only while the counters
//! are unchanged, so every app server sharing the database sees a change at once.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "data_revisions")]
pub struct Model {
    /// What the counter covers: `auth` (who may act for whom) or `data` (everything else).
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub revision: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
