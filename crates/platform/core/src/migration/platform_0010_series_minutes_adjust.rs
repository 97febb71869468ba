//! 議事録の期限の調整 (how the minutes' due date moves off a non-business day), apart from the
//! materials': the council spec's defaults differ (R6 会議資料 前営業日, R7 議事録 翌営業日). NULL:
//! the series' one adjustment, as before.

use super::schema::a;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0010_series_minutes_adjust"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("meeting_series")).add_column(string_null(a("minutes_adjust"))).take())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("meeting_series")).drop_column(a("minutes_adjust")).take()).await
    }
}
