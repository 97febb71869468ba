//! アンケート (surveys): surveys, questions, recipients, follow-ups and answers. A platform
//! component reused by housing (希望住戸アンケート), infra, council and partnership.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0103_surveys"
    }
}

fn id() -> ColumnDef {
    big_integer(Alias::new("id")).auto_increment().primary_key().take()
}
fn a(s: &str) -> Alias {
    Alias::new(s)
}
fn index(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    i.take()
}
fn fk(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("surveys"))
                .col(id())
                .col(big_integer(a("owner_org_id")))
                .col(big_integer_null(a("bundle_id")))
                .col(string(a("module")))
                .col(string(a("title")))
                .col(text_null(a("description")))
                .col(string(a("status")))
                .col(date_null(a("due_on")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("surveys", "owner_org_id", "organisations"))
                .foreign_key(&mut fk("surveys", "bundle_id", "bundles"))
                .take(),
        )
        .await?;
        m.create_index(index("surveys", "ix_survey_owner", &["owner_org_id"], false)).await?;
        m.create_index(index("surveys", "ix_survey_bundle", &["bundle_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("survey_questions"))
                .col(id())
                .col(big_integer(a("survey_id")))
                .col(integer(a("position")))
                .col(string(a("code")))
                .col(string(a("kind")))
                .col(string(a("label")))
                .col(boolean(a("required")))
                .col(text(a("options_json")))
                .col(double_null(a("min_value")))
                .col(double_null(a("max_value")))
                .col(integer_null(a("rank_depth")))
                .col(boolean(a("personal")))
                .foreign_key(&mut fk("survey_questions", "survey_id", "surveys"))
                .take(),
        )
        .await?;
        m.create_index(index("survey_questions", "ux_survey_question_code", &["survey_id", "code"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("survey_recipients"))
                .col(id())
                .col(big_integer(a("survey_id")))
                .col(string(a("subject_ref")))
                .col(string(a("label")))
                .col(string(a("channel")))
                .col(date_null(a("sent_on")))
                .col(string(a("status")))
                .col(timestamp_with_time_zone_null(a("answered_at")))
                .col(big_integer_null(a("entered_by")))
                .col(string_null(a("entry_source")))
                .foreign_key(&mut fk("survey_recipients", "survey_id", "surveys"))
                .take(),
        )
        .await?;
        m.create_index(index("survey_recipients", "ux_survey_recipient_subject", &["survey_id", "subject_ref"], true))
            .await?;

        m.create_table(
            Table::create()
                .table(a("survey_followups"))
                .col(id())
                .col(big_integer(a("survey_id")))
                .col(big_integer(a("recipient_id")))
                .col(timestamp_with_time_zone(a("at")))
                .col(string(a("method")))
                .col(string(a("outcome")))
                .col(text_null(a("note")))
                .col(big_integer_null(a("by_user_id")))
                .col(string(a("by_actor")))
                .foreign_key(&mut fk("survey_followups", "survey_id", "surveys"))
                .foreign_key(&mut fk("survey_followups", "recipient_id", "survey_recipients"))
                .take(),
        )
        .await?;
        m.create_index(index("survey_followups", "ix_survey_followup_survey", &["survey_id", "recipient_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(a("survey_answers"))
                .col(id())
                .col(big_integer(a("survey_id")))
                .col(big_integer(a("recipient_id")))
                .col(big_integer(a("question_id")))
                .col(text(a("value_json")))
                .foreign_key(&mut fk("survey_answers", "survey_id", "surveys"))
                .foreign_key(&mut fk("survey_answers", "recipient_id", "survey_recipients"))
                .foreign_key(&mut fk("survey_answers", "question_id", "survey_questions"))
                .take(),
        )
        .await?;
        m.create_index(index("survey_answers", "ux_survey_answer", &["recipient_id", "question_id"], true)).await?;
        m.create_index(index("survey_answers", "ix_survey_answer_survey", &["survey_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["survey_answers", "survey_followups", "survey_recipients", "survey_questions", "surveys"] {
            m.drop_table(Table::drop().table(a(t)).to_owned()).await?;
        }
        Ok(())
    }
}
