//! Contracts, instruction limits, and the instructed amount on work orders.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_infra_contracts"
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
                .table(a("infra_contracts"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("bundle_id")))
                .col(string(a("name")))
                .col(big_integer(a("contractor_org_id")))
                .col(date(a("period_start")))
                .col(date(a("period_end")))
                .col(string(a("payment_type")))
                .col(big_integer(a("job_cap")))
                .col(integer(a("days_emergency")))
                .col(integer(a("days_early")))
                .col(integer(a("days_normal")))
                .col(text_null(a("members_note")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("infra_contracts", "bundle_id", "bundles"))
                .foreign_key(&mut fk("infra_contracts", "contractor_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("infra_instruction_limits"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("contract_id")))
                .col(big_integer(a("owner_org_id")))
                .col(integer(a("fiscal_year")))
                .col(big_integer(a("limit_amount")))
                .foreign_key(&mut fk("infra_instruction_limits", "contract_id", "infra_contracts"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_infra_limits")
                .table(a("infra_instruction_limits"))
                .col(a("contract_id"))
                .col(a("owner_org_id"))
                .col(a("fiscal_year"))
                .unique()
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(a("infra_work_orders")).add_column(big_integer_null(a("instructed_amount"))).take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("infra_work_orders")).drop_column(a("instructed_amount")).take()).await?;
        m.drop_table(Table::drop().table(a("infra_instruction_limits")).to_owned()).await?;
        m.drop_table(Table::drop().table(a("infra_contracts")).to_owned()).await
    }
}
