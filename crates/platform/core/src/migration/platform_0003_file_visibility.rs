//! 共有範囲 of a stored file (table `files`) (`own`, `lead_only`, `bundle`): files already stored keep what they
//! had, which was `bundle` (every member of their bundle could read them).

use super::schema::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0003_file_visibility"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("files")).add_column(string(a("visibility")).default("bundle")).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("files")).drop_column(a("visibility")).take()).await
    }
}
