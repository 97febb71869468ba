//! 代理入力の団体 (organisations a survey's owner names to enter answers for recipients, e.g. the
//! PFI contractor that types in paper answers).

use super::schema::{a, fk, fk_cascade, id, unique};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0005_survey_proxies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("survey_proxies"))
                .col(id())
                .col(big_integer(a("survey_id")))
                .col(big_integer(a("org_id")))
                .foreign_key(&mut fk_cascade("survey_proxies", "survey_id", "surveys"))
                .foreign_key(&mut fk("survey_proxies", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(unique("survey_proxies", "ux_survey_proxies", &["survey_id", "org_id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("survey_proxies")).take()).await
    }
}
