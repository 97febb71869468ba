//! Inspection tables (定期点検 and member-level results).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_infra_inspections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        let fk = |from: &str, col: &str, to: &str| {
            ForeignKey::create()
                .name(format!("fk_{from}_{col}"))
                .from(Alias::new(from), Alias::new(col))
                .to(Alias::new(to), Alias::new("id"))
                .on_delete(ForeignKeyAction::Restrict)
                .take()
        };
        m.create_table(
            Table::create()
                .table(a("infra_inspections"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("asset_id")))
                .col(big_integer(a("owner_org_id")))
                .col(date(a("inspected_on")))
                .col(integer(a("fiscal_year")))
                .col(integer(a("round")))
                .col(string_null(a("inspector")))
                .col(string_null(a("firm")))
                .col(integer_null(a("grade")))
                .col(string(a("status")))
                .col(big_integer_null(a("entered_by_org")))
                .col(big_integer_null(a("confirmed_by")))
                .col(timestamp_with_time_zone_null(a("confirmed_at")))
                .col(date(a("next_due")))
                .col(text_null(a("remarks")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("infra_inspections", "asset_id", "infra_assets"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_inspections_asset")
                .table(a("infra_inspections"))
                .col(a("asset_id"))
                .col(a("inspected_on"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_inspections_owner")
                .table(a("infra_inspections"))
                .col(a("owner_org_id"))
                .col(a("round"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("infra_inspection_members"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("inspection_id")))
                .col(string(a("member")))
                .col(integer_null(a("judgement")))
                .col(string_null(a("defect")))
                .col(string_null(a("measure")))
                .col(big_integer_null(a("photo_file_id")))
                .col(string(a("repair_status")))
                .col(big_integer_null(a("work_order_id")))
                .foreign_key(&mut fk("infra_inspection_members", "inspection_id", "infra_inspections"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_inspection_members")
                .table(a("infra_inspection_members"))
                .col(a("inspection_id"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("infra_inspection_members")).to_owned()).await?;
        m.drop_table(Table::drop().table(Alias::new("infra_inspections")).to_owned()).await
    }
}
