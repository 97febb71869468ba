//! Patrol tables (道路パトロール and its findings).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_infra_patrols"
    }
}

fn a(s: &str) -> Alias {
    Alias::new(s)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let fk = |from: &str, col: &str, to: &str| {
            ForeignKey::create()
                .name(format!("fk_{from}_{col}"))
                .from(a(from), a(col))
                .to(a(to), a("id"))
                .on_delete(ForeignKeyAction::Restrict)
                .take()
        };
        m.create_table(
            Table::create()
                .table(a("infra_patrols"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("bundle_id")))
                .col(big_integer(a("org_id")))
                .col(date(a("patrol_date")))
                .col(string_null(a("start_time")))
                .col(string_null(a("end_time")))
                .col(string_null(a("weather")))
                .col(string_null(a("vehicle")))
                .col(string_null(a("staff")))
                .col(text_null(a("routes")))
                .col(text_null(a("track")))
                .col(string(a("owner_ids")))
                .col(text_null(a("notes")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("infra_patrols", "bundle_id", "bundles"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_patrols_bundle_date")
                .table(a("infra_patrols"))
                .col(a("bundle_id"))
                .col(a("patrol_date"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("infra_patrol_findings"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("patrol_id")))
                .col(big_integer(a("owner_org_id")))
                .col(string_null(a("found_time")))
                .col(string(a("category")))
                .col(text(a("description")))
                .col(string(a("urgency")))
                .col(double_null(a("lat")))
                .col(double_null(a("lon")))
                .col(string_null(a("address")))
                .col(big_integer_null(a("work_order_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("infra_patrol_findings", "patrol_id", "infra_patrols"))
                .foreign_key(&mut fk("infra_patrol_findings", "owner_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_findings_patrol")
                .table(a("infra_patrol_findings"))
                .col(a("patrol_id"))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("infra_patrol_findings")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("infra_patrols")).to_owned()).await
    }
}
