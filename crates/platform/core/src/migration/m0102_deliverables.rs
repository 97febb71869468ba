//! 提出物 (deliverables): the register, its instances (one per due submission) and the
//! submissions with the owner's decisions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0102_deliverables"
    }
}

fn a(s: &str) -> Alias {
    Alias::new(s)
}
fn id() -> ColumnDef {
    big_integer(a("id")).auto_increment().primary_key().take()
}
fn fk(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("deliverables"))
                .col(id())
                .col(big_integer(a("bundle_id")))
                .col(big_integer(a("owner_org_id")))
                .col(big_integer(a("submitter_org_id")))
                .col(string(a("module")))
                .col(string(a("code")))
                .col(string(a("title")))
                .col(string_null(a("section_ref")))
                .col(boolean(a("needs_approval")))
                .col(string(a("recurrence")))
                .col(string_null(a("due_rule")))
                .col(string_null(a("anchor_label")))
                .col(date_null(a("anchor_date")))
                .col(date_null(a("due_date")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("deliverables", "bundle_id", "bundles"))
                .foreign_key(&mut fk("deliverables", "owner_org_id", "organisations"))
                .foreign_key(&mut fk("deliverables", "submitter_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("deliverables", "ix_deliverables_bundle", &["bundle_id", "module", "code"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("deliverable_instances"))
                .col(id())
                .col(big_integer(a("deliverable_id")))
                .col(string(a("period")))
                .col(date_null(a("due_date")))
                .col(string(a("status")))
                .col(text_null(a("reopen_reason")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("deliverable_instances", "deliverable_id", "deliverables"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "deliverable_instances",
            "ix_deliverable_instances_period",
            &["deliverable_id", "period"],
            true,
        ))
        .await?;
        m.create_index(index("deliverable_instances", "ix_deliverable_instances_due", &["due_date", "status"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(a("deliverable_submissions"))
                .col(id())
                .col(big_integer(a("instance_id")))
                .col(integer(a("revision")))
                .col(big_integer_null(a("file_id")))
                .col(text_null(a("note")))
                .col(big_integer_null(a("submitted_by")))
                .col(timestamp_with_time_zone(a("submitted_at")))
                .col(string_null(a("decision")))
                .col(big_integer_null(a("decided_by")))
                .col(timestamp_with_time_zone_null(a("decided_at")))
                .col(text_null(a("decision_note")))
                .foreign_key(&mut fk("deliverable_submissions", "instance_id", "deliverable_instances"))
                .foreign_key(&mut fk("deliverable_submissions", "file_id", "files"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "deliverable_submissions",
            "ix_deliverable_submissions_rev",
            &["instance_id", "revision"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["deliverable_submissions", "deliverable_instances", "deliverables"] {
            m.drop_table(Table::drop().table(a(t)).take()).await?;
        }
        Ok(())
    }
}
