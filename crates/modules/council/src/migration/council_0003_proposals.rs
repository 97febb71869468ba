//! 提言 (proposals, spec §2.8): what the committee proposes to the 関東地方知事会 or to the 国,
//! drafted as the 提言書案 deliverable and followed until it is adopted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use tabane_core::migration::schema::{a, fk, id, index, instant};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "council_0003_proposals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("council_proposals"))
                .col(id())
                .col(big_integer(a("term_id")))
                .col(string(a("addressee")))
                .col(string(a("title")))
                .col(big_integer_null(a("deliverable_id")))
                .col(string(a("stage")))
                .col(date_null(a("adopted_on")))
                .col(string_null(a("adopted_by")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("council_proposals", "term_id", "council_terms"))
                .foreign_key(&mut fk("council_proposals", "deliverable_id", "deliverables"))
                .take(),
        )
        .await?;
        m.create_index(index("council_proposals", "ix_council_proposals_term", &["term_id"])).await?;
        Ok(())
    }
}
