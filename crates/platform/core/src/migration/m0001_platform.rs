//! Platform tables: organisations, users, memberships, sessions, login attempts, bundles,
//! bundle members, files and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_platform"
    }
}

fn id() -> ColumnDef {
    big_integer(Alias::new("id")).auto_increment().primary_key().take()
}
fn a(s: &str) -> Alias {
    Alias::new(s)
}
fn ts(s: &str) -> ColumnDef {
    timestamp_with_time_zone(a(s))
}
fn index(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    i.take()
}
fn fk(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("organisations"))
                .col(id())
                .col(string(a("kind")))
                .col(string(a("name")))
                .col(string_null(a("name_kana")))
                .col(string_null(a("lg_code")))
                .col(string_null(a("prefecture_code")))
                .col(big_integer_null(a("parent_id")))
                .col(date_null(a("valid_from")))
                .col(date_null(a("valid_to")))
                .col(string_null(a("address")))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("organisations", "parent_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("organisations", "ix_org_lg_code", &["lg_code"], false)).await?;
        m.create_index(index("organisations", "ix_org_parent", &["parent_id"], false)).await?;
        m.create_index(index("organisations", "ix_org_name", &["name"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("users"))
                .col(id())
                .col(string_uniq(a("login")))
                .col(string(a("display_name")))
                .col(string(a("password_hash")))
                .col(boolean(a("system_admin")))
                .col(boolean(a("active")))
                .col(ts("created_at"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("memberships"))
                .col(id())
                .col(big_integer(a("user_id")))
                .col(big_integer(a("org_id")))
                .col(string(a("role")))
                .col(ts("created_at"))
                .foreign_key(&mut fk("memberships", "user_id", "users"))
                .foreign_key(&mut fk("memberships", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("memberships", "ux_membership", &["user_id", "org_id"], true)).await?;
        m.create_index(index("memberships", "ix_membership_org", &["org_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("bundles"))
                .col(id())
                .col(string(a("name")))
                .col(string(a("scheme")))
                .col(big_integer(a("lead_org_id")))
                .col(date_null(a("period_start")))
                .col(date_null(a("period_end")))
                .col(text_null(a("description")))
                .col(big_integer_null(a("agreement_file_id")))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("bundles", "lead_org_id", "organisations"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("bundle_members"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(big_integer(a("org_id")))
                .col(string(a("role")))
                .col(ts("created_at"))
                .foreign_key(&mut fk("bundle_members", "bundle_id", "bundles"))
                .foreign_key(&mut fk("bundle_members", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("bundle_members", "ux_bundle_member", &["bundle_id", "org_id"], true)).await?;
        m.create_index(index("bundle_members", "ix_bundle_member_org", &["org_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("sessions"))
                .col(string(a("id")).primary_key())
                .col(big_integer(a("user_id")))
                .col(big_integer_null(a("acting_org_id")))
                .col(big_integer_null(a("acting_bundle_id")))
                .col(string(a("csrf_token")))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .foreign_key(&mut fk("sessions", "user_id", "users"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("login_attempts"))
                .col(id())
                .col(string(a("key")))
                .col(ts("at"))
                .col(boolean(a("success")))
                .take(),
        )
        .await?;
        m.create_index(index("login_attempts", "ix_login_attempt_key_at", &["key", "at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("files"))
                .col(id())
                .col(big_integer(a("owner_org_id")))
                .col(big_integer_null(a("bundle_id")))
                .col(string(a("file_name")))
                .col(string(a("content_type")))
                .col(big_integer(a("size_bytes")))
                .col(string(a("sha256")))
                .col(string(a("storage_key")))
                .col(big_integer_null(a("uploaded_by")))
                .col(ts("created_at"))
                .foreign_key(&mut fk("files", "owner_org_id", "organisations"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("audit_log"))
                .col(id())
                .col(ts("at"))
                .col(big_integer_null(a("user_id")))
                .col(string(a("actor")))
                .col(big_integer_null(a("org_id")))
                .col(big_integer_null(a("bundle_id")))
                .col(string(a("action")))
                .col(string(a("entity")))
                .col(string(a("entity_id")))
                .col(text_null(a("before")))
                .col(text_null(a("after")))
                .col(string_null(a("request_id")))
                .col(boolean(a("personal_read")))
                .take(),
        )
        .await?;
        m.create_index(index("audit_log", "ix_audit_org_at", &["org_id", "at"], false)).await?;
        m.create_index(index("audit_log", "ix_audit_entity", &["entity", "entity_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_log",
            "files",
            "login_attempts",
            "sessions",
            "bundle_members",
            "bundles",
            "memberships",
            "users",
            "organisations",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
