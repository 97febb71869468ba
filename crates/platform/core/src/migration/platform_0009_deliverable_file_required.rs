//! 電子データで提出 (a deliverable handed in as a file): a submission of such a deliverable
//! without a file is refused (council spec §2.3, seed line 122). Existing deliverables keep
//! accepting a note alone.

use super::schema::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0009_deliverable_file_required"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(a("deliverables")).add_column(boolean(a("file_required")).default(false)).take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("deliverables")).drop_column(a("file_required")).take()).await
    }
}
