//! 構成団体の期間 (membership periods): a member's access to a bundle starts and ends on these
//! days (JST, inclusive); empty means open. Existing members keep open periods.

use super::schema::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0001_member_periods"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for col in ["valid_from", "valid_to"] {
            m.alter_table(Table::alter().table(a("bundle_members")).add_column(date_null(a(col))).take()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["valid_to", "valid_from"] {
            m.alter_table(Table::alter().table(a("bundle_members")).drop_column(a(col)).take()).await?;
        }
        Ok(())
    }
}
