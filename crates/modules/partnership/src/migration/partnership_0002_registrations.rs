//! 登録申請 (self-registration of partner organisations, approved by the window).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, id, index, instant};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "partnership_0002_registrations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("pp_registrations"))
                .col(id())
                .col(big_integer(a("platform_id")))
                .col(string(a("org_name")))
                .col(string(a("kind")))
                .col(string(a("corporate_no")))
                .col(text_null(a("contact_name_enc")))
                .col(text_null(a("email_enc")))
                .col(string(a("login")))
                .col(string(a("password_hash")))
                .col(string(a("status")))
                .col(string_null(a("decided_by")))
                .col(date_null(a("decided_on")))
                .col(big_integer_null(a("org_id")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_index(index("pp_registrations", "ix_pp_registrations_platform", &["platform_id", "status"])).await?;
        Ok(())
    }
}
