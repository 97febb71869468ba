//! 提出回の取消 (withdrawing a deliverable instance, e.g. for a cancelled meeting): the reason is
//! kept on the instance; its status becomes `withdrawn`.

use super::schema::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0002_deliverable_withdrawal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(a("deliverable_instances")).add_column(string_null(a("withdraw_reason"))).take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("deliverable_instances")).drop_column(a("withdraw_reason")).take()).await
    }
}
