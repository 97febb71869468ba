//! 見える化 (visualisation) storage: each municipality's figures (population, staff, workers),
//! and on every inspection the facts the dashboard counts, kept at write time so that the
//! figures for every municipality come from one indexed GROUP BY instead of re-reading the
//! inspection history (2.2 million rows nationally).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_infra_mieruka"
    }
}

const INSPECTIONS: &str = "infra_inspections";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // SQLite adds one column per ALTER TABLE.
        for col in [
            // 施設の種類 of the inspected asset (bridges and tunnels are counted apart).
            string(a("asset_kind")).default("").take(),
            // 健全性 and date of the previous confirmed inspection of the same asset (the round
            // before): each row is then a ready-made pair for the deterioration forecast.
            integer_null(a("prev_grade")).take(),
            date_null(a("prev_inspected_on")).take(),
            // The newest confirmed inspection of its asset.
            boolean(a("is_latest")).default(false).take(),
            // 補修状況 of the findings: not_started / started / done.
            string(a("repair_state")).default("not_started").take(),
        ] {
            let mut col = col;
            m.alter_table(Table::alter().table(a(INSPECTIONS)).add_column(&mut col).take()).await?;
        }
        let db = m.get_connection();
        // Existing rows (databases created before this migration).
        db.execute_unprepared(
            "UPDATE infra_inspections SET asset_kind = COALESCE((SELECT a.kind FROM infra_assets a WHERE a.id = infra_inspections.asset_id), '')",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE infra_inspections SET \
               prev_grade = (SELECT p.grade FROM infra_inspections p WHERE p.asset_id = infra_inspections.asset_id AND p.status = 'confirmed' \
                 AND (p.inspected_on < infra_inspections.inspected_on OR (p.inspected_on = infra_inspections.inspected_on AND p.id < infra_inspections.id)) \
                 ORDER BY p.inspected_on DESC, p.id DESC LIMIT 1), \
               prev_inspected_on = (SELECT p.inspected_on FROM infra_inspections p WHERE p.asset_id = infra_inspections.asset_id AND p.status = 'confirmed' \
                 AND (p.inspected_on < infra_inspections.inspected_on OR (p.inspected_on = infra_inspections.inspected_on AND p.id < infra_inspections.id)) \
                 ORDER BY p.inspected_on DESC, p.id DESC LIMIT 1), \
               is_latest = NOT EXISTS (SELECT 1 FROM infra_inspections l WHERE l.asset_id = infra_inspections.asset_id AND l.status = 'confirmed' \
                 AND (l.inspected_on > infra_inspections.inspected_on OR (l.inspected_on = infra_inspections.inspected_on AND l.id > infra_inspections.id))) \
             WHERE status = 'confirmed'",
        )
        .await?;
        // The 見える化 reads one round (grades, repairs, transitions) and the newest grades, each
        // from its own covering index, so that every municipality's figures come from scanning
        // about a third of the inspections each.
        m.create_index(
            Index::create()
                .name("ix_infra_inspections_round")
                .table(a(INSPECTIONS))
                .col(a("status"))
                .col(a("asset_kind"))
                .col(a("round"))
                .col(a("owner_org_id"))
                .col(a("prev_grade"))
                .col(a("grade"))
                .col(a("repair_state"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_inspections_latest")
                .table(a(INSPECTIONS))
                .col(a("status"))
                .col(a("asset_kind"))
                .col(a("is_latest"))
                .col(a("owner_org_id"))
                .col(a("grade"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_infra_assets_kind_owner")
                .table(a("infra_assets"))
                .col(a("kind"))
                .col(a("owner_org_id"))
                .col(a("year_built"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("infra_municipal_profiles"))
                .col(big_integer(a("id")).auto_increment().primary_key())
                .col(big_integer(a("org_id")).unique_key())
                .col(date(a("as_of")))
                .col(big_integer_null(a("population")))
                .col(double_null(a("decline_pct")))
                .col(integer_null(a("civil_staff")))
                .col(integer_null(a("technical_staff")))
                .col(integer_null(a("construction_workers")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_infra_municipal_profiles_org")
                        .from(a("infra_municipal_profiles"), a("org_id"))
                        .to(a("organisations"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.drop_table(Table::drop().table(a("infra_municipal_profiles")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_infra_assets_kind_owner").table(a("infra_assets")).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_infra_inspections_latest").table(a(INSPECTIONS)).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_infra_inspections_round").table(a(INSPECTIONS)).to_owned()).await?;
        for c in ["repair_state", "is_latest", "prev_inspected_on", "prev_grade", "asset_kind"] {
            m.alter_table(Table::alter().table(a(INSPECTIONS)).drop_column(a(c)).take()).await?;
        }
        Ok(())
    }
}
