//! `rate_events`: requests counted by `service::rate_limits`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0105_rate_events"
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
                .table(a("rate_events"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(string(a("key")))
                .col(timestamp_with_time_zone(a("at")))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_rate_events_key_at").table(a("rate_events")).col(a("key")).col(a("at")).take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_rate_events_at").table(a("rate_events")).col(a("at")).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("rate_events")).take()).await
    }
}
