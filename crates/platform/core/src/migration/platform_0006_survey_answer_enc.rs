//! 個人情報の回答 (answers to questions marked personal) are kept sealed with the platform's field
//! encryption in `value_enc` (`value_json` then holds `null`).

use super::schema::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0006_survey_answer_enc"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("survey_answers")).add_column(text_null(a("value_enc"))).take()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("survey_answers")).drop_column(a("value_enc")).take()).await
    }
}
