//! デジタル人材 (seed 001): the pool of each 推進体制, its people with sealed personal fields,
//! experience and exams, accelerator checks, municipal needs, weekly assignments and their visits,
//! advisor sessions, 状況把握 records, the 体制 record per 年度, and the 特別交付税 sheets with the
//! rules table they are computed from (seeded here with the seed's rows).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, id, index, instant, instant_null, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "talent_0001_talent"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("talent_pools"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(big_integer(a("prefecture_org_id")))
                .col(string(a("name")))
                .col(string(a("region")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_persons"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(string(a("label")))
                .col(string_null(a("name_enc")))
                .col(string_null(a("kana_enc")))
                .col(string_null(a("email_enc")))
                .col(string_null(a("phone_enc")))
                .col(string_null(a("notes_enc")))
                .col(string_null(a("name_index")))
                .col(string(a("source")))
                .col(string(a("engagement")))
                .col(big_integer_null(a("employer_org_id")))
                .col(string(a("types")))
                .col(text(a("regions")))
                .col(string(a("fields")))
                .col(boolean(a("main_duty")))
                .col(text(a("main_duty_basis")))
                .col(boolean_null(a("judgement_holds")))
                .col(string(a("judged_by")))
                .col(date_null(a("judged_on")))
                .col(text(a("judgement_reason")))
                .col(string(a("accelerator_status")))
                .col(string(a("status")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_experience"))
                .col(id())
                .col(big_integer(a("person_id")))
                .col(string(a("employer_label")))
                .col(string(a("sector")))
                .col(string(a("from_month")))
                .col(string_null(a("to_month")))
                .col(boolean(a("digital_field")))
                .col(text(a("description")))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_qualifications"))
                .col(id())
                .col(big_integer(a("person_id")))
                .col(string(a("exam")))
                .col(date_null(a("passed_on")))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_accelerator_checks"))
                .col(id())
                .col(big_integer(a("person_id")))
                .col(string(a("rule_version")))
                .col(date(a("as_of")))
                .col(string(a("result")))
                .col(integer(a("months")))
                .col(text(a("basis")))
                .col(text_null(a("message")))
                .col(text(a("detail")))
                .col(string(a("checked_by")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_needs"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(big_integer(a("owner_org_id")))
                .col(string(a("theme")))
                .col(string(a("field")))
                .col(string(a("wanted_types")))
                .col(integer(a("days_per_week")))
                .col(string(a("form")))
                .col(date(a("period_from")))
                .col(date(a("period_to")))
                .col(text(a("description")))
                .col(string(a("status")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_assignments"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(big_integer(a("person_id")))
                .col(big_integer(a("municipality_org_id")))
                .col(big_integer_null(a("need_id")))
                .col(string(a("mode")))
                .col(string(a("weekdays")))
                .col(date(a("date_from")))
                .col(date(a("date_to")))
                .col(integer(a("minutes_per_day")))
                .col(string(a("status")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_visits"))
                .col(id())
                .col(big_integer(a("assignment_id")))
                .col(date(a("visited_on")))
                .col(integer(a("minutes")))
                .col(string(a("place")))
                .col(string(a("field")))
                .col(text(a("summary")))
                .col(string(a("recorded_by")))
                .col(string_null(a("confirmed_by")))
                .col(instant_null("confirmed_at"))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_advisor_visits"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(big_integer(a("applicant_org_id")))
                .col(string(a("program")))
                .col(integer(a("fiscal_year")))
                .col(date(a("visited_on")))
                .col(string(a("mode")))
                .col(integer(a("minutes")))
                .col(string(a("advisor_label")))
                .col(string(a("fields")))
                .col(string_null(a("exception_reason")))
                .col(text(a("warnings")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_grant_rules"))
                .col(id())
                .col(string(a("measure")))
                .col(string(a("category")))
                .col(integer_null(a("fy_from")))
                .col(integer_null(a("fy_to")))
                .col(big_integer(a("rate_num")))
                .col(big_integer(a("rate_den")))
                .col(big_integer_null(a("cap")))
                .col(string(a("cap_unit")))
                .col(big_integer_null(a("unit_price")))
                .col(integer_null(a("max_persons")))
                .col(string(a("source_lines")))
                .col(text(a("seed_text")))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_grant_sheets"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(big_integer(a("org_id")))
                .col(integer(a("fiscal_year")))
                .col(string(a("measure")))
                .col(string(a("status")))
                .col(string(a("rounding")))
                .col(string(a("contributions")))
                .col(string(a("title")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_grant_lines"))
                .col(id())
                .col(big_integer(a("sheet_id")))
                .col(string(a("label")))
                .col(text(a("cost")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_statuses"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(big_integer(a("org_id")))
                .col(integer(a("fiscal_year")))
                .col(date(a("as_of")))
                .col(big_integer(a("population")))
                .col(integer(a("dx_heads")))
                .col(integer(a("dx_fte_hundredths")))
                .col(boolean(a("concurrent")))
                .col(string(a("progress")))
                .col(text(a("notes")))
                .col(instant("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("talent_frameworks"))
                .col(id())
                .col(big_integer(a("pool_id")))
                .col(integer(a("fiscal_year")))
                .col(string_null(a("cooperation_kind")))
                .col(date_null(a("cooperation_on")))
                .col(big_integer_null(a("file_id")))
                .col(string(a("themes")))
                .col(instant("updated_at"))
                .take(),
        )
        .await?;
        for (t, name, cols) in [
            ("talent_pools", "ux_talent_pools_bundle", &["bundle_id"][..]),
            ("talent_visits", "ux_talent_visits_day", &["assignment_id", "visited_on"][..]),
            ("talent_grant_sheets", "ux_talent_grant_sheets", &["org_id", "measure", "fiscal_year"][..]),
            ("talent_statuses", "ux_talent_statuses", &["pool_id", "org_id", "fiscal_year"][..]),
            ("talent_frameworks", "ux_talent_frameworks", &["pool_id", "fiscal_year"][..]),
        ] {
            m.create_index(unique(t, name, cols)).await?;
        }
        for (t, name, cols) in [
            ("talent_persons", "ix_talent_persons_pool", &["pool_id"][..]),
            ("talent_persons", "ix_talent_persons_index", &["name_index"][..]),
            ("talent_experience", "ix_talent_experience_person", &["person_id"][..]),
            ("talent_qualifications", "ix_talent_qualifications_person", &["person_id"][..]),
            ("talent_accelerator_checks", "ix_talent_checks_person", &["person_id"][..]),
            ("talent_needs", "ix_talent_needs_pool", &["pool_id", "owner_org_id"][..]),
            ("talent_assignments", "ix_talent_assignments_person", &["person_id"][..]),
            ("talent_assignments", "ix_talent_assignments_pool", &["pool_id", "municipality_org_id"][..]),
            ("talent_advisor_visits", "ix_talent_advisor_visits", &["pool_id", "applicant_org_id", "fiscal_year"][..]),
            ("talent_grant_lines", "ix_talent_grant_lines_sheet", &["sheet_id"][..]),
        ] {
            m.create_index(index(t, name, cols)).await?;
        }
        seed_rules(m).await
    }
}

/// The rules table starts with the seed's rows (`default_rules`); a later notice adds or edits rows.
async fn seed_rules(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for r in tabane_talent_rules::grant_rules::default_rules() {
        let insert = Query::insert()
            .into_table(a("talent_grant_rules"))
            .columns([
                a("measure"),
                a("category"),
                a("fy_from"),
                a("fy_to"),
                a("rate_num"),
                a("rate_den"),
                a("cap"),
                a("cap_unit"),
                a("unit_price"),
                a("max_persons"),
                a("source_lines"),
                a("seed_text"),
            ])
            .values_panic([
                name(serde_json::to_value(r.measure).unwrap_or_default()).into(),
                name(serde_json::to_value(r.category).unwrap_or_default()).into(),
                r.fy_from.map(|f| f.0).into(),
                r.fy_to.map(|f| f.0).into(),
                r.rate_num.into(),
                r.rate_den.into(),
                r.cap.into(),
                name(serde_json::to_value(r.cap_unit).unwrap_or_default()).into(),
                r.unit_price.into(),
                r.max_persons.map(|n| n as i32).into(),
                r.source_lines.clone().into(),
                r.seed_text.clone().into(),
            ])
            .to_owned();
        m.exec_stmt(insert).await?;
    }
    Ok(())
}
