//! デジタル人材 migrations, one file per migration, named as it is applied. Append only: a new one
//! is `talent_<NNNN>_<what>`, added at the end of this list and of the module's block in
//! `crates/app/tabane/migrations.lock`; an applied file is never edited.

use sea_orm_migration::MigrationTrait;

mod talent_0001_talent;
mod talent_0002_recruitment_companies;

/// This module's migrations, in the order they are applied (after the platform's).
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(talent_0001_talent::Migration), Box::new(talent_0002_recruitment_companies::Migration)]
}
