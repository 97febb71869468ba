//! Indexes found by the HTTP benchmark (`tabane-bench-infra-http`): the bundle's job list is
//! read newest first, and the map asks for a viewport.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_infra_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_index(
            Index::create()
                .name("ix_infra_wo_bundle_id")
                .table(a("infra_work_orders"))
                .col(a("bundle_id"))
                .col(a("id"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_wo_bundle_lat_lon")
                .table(a("infra_work_orders"))
                .col(a("bundle_id"))
                .col(a("lat"))
                .col(a("lon"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_assets_owner_lat_lon")
                .table(a("infra_assets"))
                .col(a("owner_org_id"))
                .col(a("lat"))
                .col(a("lon"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (t, i) in [
            ("infra_work_orders", "ix_infra_wo_bundle_id"),
            ("infra_work_orders", "ix_infra_wo_bundle_lat_lon"),
            ("infra_assets", "ix_infra_assets_owner_lat_lon"),
        ] {
            m.drop_index(Index::drop().name(i).table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
