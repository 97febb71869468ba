//! The council's tables: committees, yearly terms, meetings (beside the platform's), hearings
//! with sealed personal fields, the case library and the liaison log. Every reference has its
//! named foreign key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, fk, id, index, instant};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "council_0001_council"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("council_committees"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(string(a("name")))
                .col(string(a("parent_body")))
                .col(integer(a("established_fy")))
                .col(text(a("theme")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("council_committees", "bundle_id", "bundles"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("council_terms"))
                .col(id())
                .col(big_integer(a("committee_id")))
                .col(integer(a("fiscal_year")))
                .col(big_integer(a("client_org_id")))
                .col(big_integer_null(a("chair_org_id")))
                .col(big_integer(a("contract_bundle_id")))
                .col(big_integer(a("contractor_org_id")))
                .col(big_integer_null(a("contact_user_id")))
                .col(date(a("period_start")))
                .col(date(a("period_end")))
                .col(integer(a("hearing_target")))
                .col(big_integer_null(a("plenary_series_id")))
                .col(big_integer_null(a("working_series_id")))
                .col(big_integer_null(a("survey_id")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("council_terms", "committee_id", "council_committees"))
                .foreign_key(&mut fk("council_terms", "client_org_id", "organisations"))
                .foreign_key(&mut fk("council_terms", "chair_org_id", "organisations"))
                .foreign_key(&mut fk("council_terms", "contract_bundle_id", "bundles"))
                .foreign_key(&mut fk("council_terms", "contractor_org_id", "organisations"))
                .foreign_key(&mut fk("council_terms", "contact_user_id", "users"))
                .foreign_key(&mut fk("council_terms", "plenary_series_id", "meeting_series"))
                .foreign_key(&mut fk("council_terms", "working_series_id", "meeting_series"))
                .foreign_key(&mut fk("council_terms", "survey_id", "surveys"))
                .take(),
        )
        .await?;
        m.create_index(index("council_terms", "ix_council_terms_committee", &["committee_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("council_meetings"))
                .col(id())
                .col(big_integer(a("term_id")))
                .col(string(a("kind")))
                .col(string(a("title")))
                .col(string(a("planned_label")))
                .col(date_null(a("date")))
                .col(big_integer_null(a("meeting_id")))
                .col(big_integer_null(a("precedes_id")))
                .col(string(a("mode")))
                .col(string(a("status")))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("council_meetings", "term_id", "council_terms"))
                .foreign_key(&mut fk("council_meetings", "meeting_id", "meetings"))
                .foreign_key(&mut fk("council_meetings", "precedes_id", "council_meetings"))
                .take(),
        )
        .await?;
        m.create_index(index("council_meetings", "ix_council_meetings_term", &["term_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("council_hearings"))
                .col(id())
                .col(big_integer(a("term_id")))
                .col(string(a("kind")))
                .col(string(a("label")))
                .col(big_integer_null(a("subject_org_id")))
                .col(text_null(a("subject_name_enc")))
                .col(text_null(a("subject_contact_enc")))
                .col(string(a("prefectures")))
                .col(date_null(a("held_on")))
                .col(string(a("mode")))
                .col(string(a("status")))
                .col(text(a("summary")))
                .col(text_null(a("notes_enc")))
                .col(string(a("consent")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("council_hearings", "term_id", "council_terms"))
                .foreign_key(&mut fk("council_hearings", "subject_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("council_hearings", "ix_council_hearings_term", &["term_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("council_cases"))
                .col(id())
                .col(big_integer(a("committee_id")))
                .col(big_integer(a("term_id")))
                .col(big_integer_null(a("source_hearing_id")))
                .col(string(a("category")))
                .col(string(a("prefectures")))
                .col(string(a("title")))
                .col(text(a("summary")))
                .col(string(a("visibility")))
                .col(integer(a("fiscal_year")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("council_cases", "committee_id", "council_committees"))
                .foreign_key(&mut fk("council_cases", "term_id", "council_terms"))
                .foreign_key(&mut fk("council_cases", "source_hearing_id", "council_hearings"))
                .take(),
        )
        .await?;
        m.create_index(index("council_cases", "ix_council_cases_committee", &["committee_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("council_liaison"))
                .col(id())
                .col(big_integer(a("term_id")))
                .col(date(a("held_on")))
                .col(string(a("kind")))
                .col(string(a("mode")))
                .col(text(a("topics")))
                .col(text(a("decisions")))
                .col(string_null(a("change_status")))
                .col(string_null(a("reject_reason")))
                .col(date_null(a("implemented_on")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("council_liaison", "term_id", "council_terms"))
                .take(),
        )
        .await?;
        m.create_index(index("council_liaison", "ix_council_liaison_term", &["term_id", "held_on"])).await?;
        Ok(())
    }
}
