//! 群マネ tables. Written with SeaORM's schema builder: one source for SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_infra"
    }
}

fn a(s: &str) -> Alias {
    Alias::new(s)
}
fn id() -> ColumnDef {
    big_integer(a("id")).auto_increment().primary_key().take()
}
fn fk(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}
fn ix(table: &str, name: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    i.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("infra_assets"))
                .col(id())
                .col(big_integer(a("owner_org_id")))
                .col(string(a("kind")))
                .col(string(a("name")))
                .col(string_null(a("name_kana")))
                .col(string_null(a("route_name")))
                .col(double_null(a("lat")))
                .col(double_null(a("lon")))
                .col(text_null(a("geometry")))
                .col(integer_null(a("year_built")))
                .col(text_null(a("attributes")))
                .col(string_null(a("external_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("infra_assets", "owner_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(ix("infra_assets", "ix_infra_assets_owner", &["owner_org_id", "kind"])).await?;

        m.create_table(
            Table::create()
                .table(a("infra_work_orders"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(big_integer(a("owner_org_id")))
                .col(big_integer_null(a("contractor_org_id")))
                .col(big_integer_null(a("asset_id")))
                .col(string(a("status")))
                .col(string(a("urgency")))
                .col(string(a("source")))
                .col(string(a("category")))
                .col(text(a("description")))
                .col(text_null(a("instruction")))
                .col(double_null(a("lat")))
                .col(double_null(a("lon")))
                .col(string_null(a("address")))
                .col(date_null(a("due_on")))
                .col(big_integer_null(a("cost_labour")))
                .col(big_integer_null(a("cost_material")))
                .col(big_integer_null(a("cost_machinery")))
                .col(big_integer_null(a("cost_other")))
                .col(big_integer_null(a("cost_total")))
                .col(timestamp_with_time_zone(a("received_at")))
                .col(timestamp_with_time_zone_null(a("instructed_at")))
                .col(timestamp_with_time_zone_null(a("reported_at")))
                .col(timestamp_with_time_zone_null(a("confirmed_at")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("infra_work_orders", "bundle_id", "bundles"))
                .foreign_key(&mut fk("infra_work_orders", "owner_org_id", "organisations"))
                .foreign_key(&mut fk("infra_work_orders", "asset_id", "infra_assets"))
                .take(),
        )
        .await?;
        m.create_index(ix("infra_work_orders", "ix_infra_wo_bundle_status", &["bundle_id", "status"])).await?;
        m.create_index(ix("infra_work_orders", "ix_infra_wo_owner", &["owner_org_id", "confirmed_at"])).await?;

        m.create_table(
            Table::create()
                .table(a("infra_work_order_events"))
                .col(id())
                .col(big_integer(a("work_order_id")))
                .col(string_null(a("from_status")))
                .col(string(a("to_status")))
                .col(string(a("action")))
                .col(big_integer_null(a("user_id")))
                .col(string(a("actor")))
                .col(big_integer_null(a("org_id")))
                .col(text_null(a("reason")))
                .col(timestamp_with_time_zone(a("at")))
                .foreign_key(&mut fk("infra_work_order_events", "work_order_id", "infra_work_orders"))
                .take(),
        )
        .await?;
        m.create_index(ix("infra_work_order_events", "ix_infra_wo_events", &["work_order_id"])).await?;

        m.create_table(
            Table::create()
                .table(a("infra_work_order_photos"))
                .col(id())
                .col(big_integer(a("work_order_id")))
                .col(big_integer(a("file_id")))
                .col(string(a("phase")))
                .col(string_null(a("caption")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("infra_work_order_photos", "work_order_id", "infra_work_orders"))
                .foreign_key(&mut fk("infra_work_order_photos", "file_id", "files"))
                .take(),
        )
        .await?;
        m.create_index(ix("infra_work_order_photos", "ix_infra_wo_photos", &["work_order_id"])).await?;

        m.create_table(
            Table::create()
                .table(a("infra_open311_clients"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(string(a("name")))
                .col(string_uniq(a("key_hash")))
                .col(boolean(a("active")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("infra_open311_clients", "bundle_id", "bundles"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("infra_resident_reports"))
                .col(id())
                .col(big_integer_uniq(a("work_order_id")))
                .col(big_integer(a("client_id")))
                .col(string_uniq(a("token")))
                .col(string(a("service_code")))
                .col(text_null(a("attributes")))
                .col(string_null(a("email")))
                .col(string_null(a("first_name")))
                .col(string_null(a("last_name")))
                .col(string_null(a("phone")))
                .col(string_null(a("device_id")))
                .col(string_null(a("account_id")))
                .col(text_null(a("description")))
                .col(string_null(a("media_url")))
                .col(string_null(a("address_string")))
                .col(double_null(a("lat")))
                .col(double_null(a("lon")))
                .col(timestamp_with_time_zone(a("requested_at")))
                .foreign_key(&mut fk("infra_resident_reports", "work_order_id", "infra_work_orders"))
                .foreign_key(&mut fk("infra_resident_reports", "client_id", "infra_open311_clients"))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "infra_resident_reports",
            "infra_open311_clients",
            "infra_work_order_photos",
            "infra_work_order_events",
            "infra_work_orders",
            "infra_assets",
        ] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
