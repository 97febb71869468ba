//! 協議会 migrations, one file per migration, named as it is applied. Append only: a new one is
//! `council_<NNNN>_<what>`, added at the end of this list and of the module's block in
//! `crates/app/tabane/migrations.lock`; an applied file is never edited.

use sea_orm_migration::MigrationTrait;

mod council_0001_council;
mod council_0002_publications;
mod council_0003_proposals;

/// This module's migrations, in the order they are applied (after the platform's).
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(council_0001_council::Migration),
        Box::new(council_0002_publications::Migration),
        Box::new(council_0003_proposals::Migration),
    ]
}
