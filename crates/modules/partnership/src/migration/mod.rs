//! 官民連携 migrations, one file per migration, named as it is applied. Append only: a new one is
//! `partnership_<NNNN>_<what>`, added at the end of this list and of the module's block in
//! `crates/app/tabane/migrations.lock`; an applied file is never edited.

use sea_orm_migration::MigrationTrait;

mod partnership_0001_partnership;
mod partnership_0002_registrations;

/// This module's migrations, in the order they are applied (after the platform's).
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(partnership_0001_partnership::Migration), Box::new(partnership_0002_registrations::Migration)]
}
