//! Parts of a contract: phases, tasks with their payment type, member firms with their roles.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_infra_contract_parts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("infra_contract_parts"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("contract_id")))
                .col(string(a("part")))
                .col(string(a("name")))
                .col(string_null(a("detail")))
                .col(big_integer_null(a("org_id")))
                .col(date_null(a("start_on")))
                .col(date_null(a("end_on")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_infra_contract_parts_contract")
                        .from(a("infra_contract_parts"), a("contract_id"))
                        .to(a("infra_contracts"), a("id"))
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_contract_parts")
                .table(a("infra_contract_parts"))
                .col(a("contract_id"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("infra_contract_parts")).to_owned()).await
    }
}
