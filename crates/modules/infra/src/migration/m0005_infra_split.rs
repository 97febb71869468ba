//! Split work orders: the original job and its share of the apportionment.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_infra_split"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = Alias::new("infra_work_orders");
        m.alter_table(Table::alter().table(t.clone()).add_column(big_integer_null(Alias::new("split_of"))).take())
            .await?;
        m.alter_table(Table::alter().table(t).add_column(integer_null(Alias::new("share_percent"))).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = Alias::new("infra_work_orders");
        m.alter_table(Table::alter().table(t.clone()).drop_column(Alias::new("share_percent")).take()).await?;
        m.alter_table(Table::alter().table(t).drop_column(Alias::new("split_of")).take()).await
    }
}
