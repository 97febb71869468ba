//! `crypto_key_checks`: one canary per personal-data key id (see `crate::crypto::verify_or_init`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0101_crypto_key_checks"
    }
}

fn a(s: &str) -> Alias {
    Alias::new(s)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("crypto_key_checks"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string_uniq(a("key_id")))
                .col(text(a("canary")))
                .col(timestamp_with_time_zone(a("created_at")))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("crypto_key_checks")).take()).await
    }
}
