//! 募集と応募 (recruitment: positions, applications and each application's stage history),
//! 協力企業リスト (総務省's list of cooperating companies, imported per pool), and the
//! 状況把握アンケート of each pool and 年度 (the platform survey the statuses are copied from).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, fk, fk_cascade, id, index, instant, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "talent_0002_recruitment_companies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("talent_positions"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(big_integer(a("owner_org_id")))
                .col(string(a("title")))
                .col(text(a("job_description")))
                .col(string(a("engagement")))
                .col(string(a("types")))
                .col(text(a("conditions")))
                .col(string(a("channels")))
                .col(date_null(a("opens_on")))
                .col(date_null(a("closes_on")))
                .col(string(a("status")))
                .col(boolean(a("step_issues")))
                .col(boolean(a("step_requirements")))
                .col(boolean(a("step_selection")))
                .col(boolean(a("step_onboarding")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("talent_positions", "pool_id", "talent_pools"))
                .foreign_key(&mut fk("talent_positions", "owner_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_applications"))
                .col(id())
                .col(big_integer(a("position_id")))
                .col(big_integer(a("person_id")))
                .col(string(a("stage")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("talent_applications", "position_id", "talent_positions"))
                .foreign_key(&mut fk("talent_applications", "person_id", "talent_persons"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_application_stages"))
                .col(id())
                .col(big_integer(a("application_id")))
                .col(string(a("stage")))
                .col(date(a("moved_on")))
                .col(text(a("note")))
                .col(text(a("warnings")))
                .col(instant("created_at"))
                .foreign_key(&mut fk_cascade("talent_application_stages", "application_id", "talent_applications"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_companies"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(string(a("name")))
                .col(big_integer_null(a("org_id")))
                .col(string(a("types")))
                .col(text(a("regions")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("talent_companies", "pool_id", "talent_pools"))
                .foreign_key(&mut fk("talent_companies", "org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_status_surveys"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(integer(a("fiscal_year")))
                .col(big_integer(a("survey_id")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("talent_status_surveys", "pool_id", "talent_pools"))
                .foreign_key(&mut fk("talent_status_surveys", "survey_id", "surveys"))
                .take(),
        )
        .await?;
        for (t, name, cols) in [
            ("talent_applications", "ux_talent_applications", &["position_id", "person_id"][..]),
            ("talent_companies", "ux_talent_companies_name", &["pool_id", "name"][..]),
            ("talent_status_surveys", "ux_talent_status_surveys", &["pool_id", "fiscal_year"][..]),
        ] {
            m.create_index(unique(t, name, cols)).await?;
        }
        for (t, name, cols) in [
            ("talent_positions", "ix_talent_positions_pool", &["pool_id"][..]),
            ("talent_applications", "ix_talent_applications_person", &["person_id"][..]),
            ("talent_application_stages", "ix_talent_application_stages", &["application_id"][..]),
        ] {
            m.create_index(index(t, name, cols)).await?;
        }
        Ok(())
    }
}
