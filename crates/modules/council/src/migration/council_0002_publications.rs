//! 公開 (publication to the members): an approved revision of a meeting's materials or minutes,
//! copied into the committee bundle by the client so that the ten members can read it, with the
//! day it was published.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, fk, id, index, instant};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "council_0002_publications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("council_publications"))
                .col(id())
                .col(big_integer(a("meeting_id")))
                .col(string(a("role")))
                .col(big_integer(a("submission_id")))
                .col(big_integer(a("file_id")))
                .col(string(a("file_name")))
                .col(date(a("published_on")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("council_publications", "meeting_id", "council_meetings"))
                .foreign_key(&mut fk("council_publications", "submission_id", "deliverable_submissions"))
                .foreign_key(&mut fk("council_publications", "file_id", "files"))
                .take(),
        )
        .await?;
        m.create_index(index("council_publications", "ix_council_publications_meeting", &["meeting_id"])).await?;
        Ok(())
    }
}
