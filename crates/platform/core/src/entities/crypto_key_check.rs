//! 暗号鍵の照合値 (key check): one canary per personal-data key id, written at first use, so a
//! start with a wrong or missing key is refused instead of showing undecryptable data.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "crypto_key_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// A key id (`k2026`), or `index:<id>` for the blind-index key.
    #[sea_orm(unique)]
    pub key_id: String,
    /// A fixed text sealed with the key (for the index key: its HMAC of the fixed text).
    pub canary: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
