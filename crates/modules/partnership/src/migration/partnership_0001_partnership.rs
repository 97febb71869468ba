//! 官民連携 (seed 003): the platform of a municipality with its one-stop window, receptions and
//! their routing, local resources with their 公開区分, local issues, projects (協定) with KPIs, risk
//! table, change requests and evaluations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, id, index, instant, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "partnership_0001_partnership"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("pp_platforms"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(big_integer(a("owner_org_id")))
                .col(big_integer(a("window_org_id")))
                .col(string(a("name")))
                .col(integer(a("answer_days")))
                .col(string(a("freshness")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_contacts"))
                .col(id())
                .col(big_integer(a("platform_id")))
                .col(string(a("reception_no")))
                .col(date(a("received_on")))
                .col(string(a("channel")))
                .col(string(a("kind")))
                .col(big_integer_null(a("proposer_org_id")))
                .col(string(a("proposer_label")))
                .col(string_null(a("proposer_contact_enc")))
                .col(string(a("title")))
                .col(text(a("body")))
                .col(string(a("fields")))
                .col(string(a("status")))
                .col(string_null(a("answer")))
                .col(text(a("answer_text")))
                .col(text(a("answer_reason")))
                .col(date_null(a("answered_on")))
                .col(date_null(a("agreed_on")))
                .col(date_null(a("launched_on")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_routes"))
                .col(id())
                .col(big_integer(a("contact_id")))
                .col(big_integer(a("department_org_id")))
                .col(date(a("routed_on")))
                .col(text(a("opinion")))
                .col(date_null(a("opinion_on")))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_resources"))
                .col(id())
                .col(big_integer(a("platform_id")))
                .col(big_integer_null(a("provider_org_id")))
                .col(string(a("provider_label")))
                .col(string(a("category")))
                .col(string(a("title")))
                .col(text(a("description")))
                .col(string(a("area")))
                .col(string(a("terms")))
                .col(string(a("visibility")))
                .col(date(a("last_confirmed_on")))
                .col(string(a("status")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_issues"))
                .col(id())
                .col(big_integer(a("platform_id")))
                .col(big_integer(a("owner_org_id")))
                .col(string(a("source")))
                .col(string(a("title")))
                .col(text(a("description")))
                .col(string(a("field")))
                .col(string(a("area")))
                .col(boolean(a("public")))
                .col(date(a("registered_on")))
                .col(string(a("status")))
                .col(date_null(a("solved_on")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_projects"))
                .col(id())
                .col(big_integer(a("platform_id")))
                .col(big_integer_null(a("bundle_id")))
                .col(string(a("kind")))
                .col(string(a("origin")))
                .col(big_integer_null(a("contact_id")))
                .col(string(a("title")))
                .col(big_integer_null(a("partner_org_id")))
                .col(date_null(a("signed_on")))
                .col(date_null(a("start_on")))
                .col(date_null(a("end_on")))
                .col(big_integer(a("investment_yen")))
                .col(string(a("stage")))
                .col(boolean(a("participation_plan")))
                .col(boolean(a("guideline_complete")))
                .col(date_null(a("implemented_on")))
                .col(date_null(a("ended_on")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_kpis"))
                .col(id())
                .col(big_integer(a("project_id")))
                .col(string(a("name")))
                .col(string(a("kind")))
                .col(string(a("unit")))
                .col(string_null(a("target")))
                .col(string(a("direction")))
                .col(string_null(a("actual")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_risks"))
                .col(id())
                .col(big_integer(a("project_id")))
                .col(string(a("item")))
                .col(string(a("bearer")))
                .col(text(a("response")))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_changes"))
                .col(id())
                .col(big_integer(a("project_id")))
                .col(big_integer_null(a("kpi_id")))
                .col(string(a("requested_by")))
                .col(date(a("requested_on")))
                .col(text(a("reason")))
                .col(string(a("field")))
                .col(string(a("before")))
                .col(string(a("after")))
                .col(string(a("status")))
                .col(date_null(a("decided_on")))
                .col(string_null(a("decided_by")))
                .col(string_null(a("rejection_reason")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("pp_evaluations"))
                .col(id())
                .col(big_integer(a("project_id")))
                .col(integer(a("fiscal_year")))
                .col(big_integer(a("value_yen")))
                .col(big_integer(a("investment_yen")))
                .col(big_integer(a("economic_effect_yen")))
                .col(string(a("method")))
                .col(boolean(a("published")))
                .col(date_null(a("published_on")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_index(unique("pp_platforms", "ux_pp_platforms_bundle", &["bundle_id"])).await?;
        m.create_index(unique("pp_contacts", "ux_pp_contacts_no", &["platform_id", "reception_no"])).await?;
        for (t, name, cols) in [
            ("pp_contacts", "ix_pp_contacts_received", &["platform_id", "received_on"][..]),
            ("pp_routes", "ix_pp_routes_contact", &["contact_id"][..]),
            ("pp_routes", "ix_pp_routes_department", &["department_org_id"][..]),
            ("pp_resources", "ix_pp_resources_platform", &["platform_id"][..]),
            ("pp_issues", "ix_pp_issues_platform", &["platform_id"][..]),
            ("pp_projects", "ix_pp_projects_platform", &["platform_id"][..]),
            ("pp_kpis", "ix_pp_kpis_project", &["project_id"][..]),
            ("pp_risks", "ix_pp_risks_project", &["project_id"][..]),
            ("pp_changes", "ix_pp_changes_project", &["project_id"][..]),
            ("pp_evaluations", "ix_pp_evaluations_project", &["project_id"][..]),
        ] {
            m.create_index(index(t, name, cols)).await?;
        }
        Ok(())
    }
}
