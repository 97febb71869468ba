//! サービスアカウント (service accounts) and their API tokens: another system acting for one
//! organisation through `/api/*` with `Authorization: Bearer`. A service account is a user row
//! (so every tenancy rule applies to it unchanged) that cannot log in with a password; its
//! scopes say which areas it may read or write. Tokens are stored as SHA-256 hashes only.

use super::schema::{a, fk, fk_cascade, id, index, instant, instant_null, unique};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0007_service_accounts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("service_accounts"))
                .col(id())
                .col(big_integer(a("user_id")))
                .col(big_integer(a("org_id")))
                .col(string(a("name")))
                .col(string(a("scopes")))
                .col(string(a("created_by")))
                .col(instant("created_at"))
                .foreign_key(&mut fk_cascade("service_accounts", "user_id", "users"))
                .foreign_key(&mut fk("service_accounts", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(unique("service_accounts", "ux_service_accounts_user", &["user_id"])).await?;
        m.create_index(index("service_accounts", "ix_service_accounts_org", &["org_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("api_tokens"))
                .col(id())
                .col(big_integer(a("service_account_id")))
                .col(string(a("token_hash")))
                .col(string(a("hint")))
                .col(string(a("created_by")))
                .col(instant("created_at"))
                .col(instant_null("expires_at"))
                .col(instant_null("last_used_at"))
                .col(instant_null("revoked_at"))
                .col(string_null(a("revoked_by")))
                .foreign_key(&mut fk_cascade("api_tokens", "service_account_id", "service_accounts"))
                .take(),
        )
        .await?;
        m.create_index(unique("api_tokens", "ux_api_tokens_hash", &["token_hash"])).await?;
        m.create_index(index("api_tokens", "ix_api_tokens_account", &["service_account_id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("api_tokens")).take()).await?;
        m.drop_table(Table::drop().table(a("service_accounts")).take()).await
    }
}
