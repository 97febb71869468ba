//! 団地建替 migrations, one file per migration, named as it is applied. Append only: a new one is
//! `housing_<NNNN>_<what>`, added at the end of this list and of its block in
//! `crates/app/tabane/migrations.lock`; an applied file is never edited. New ones use
//! `tabane_core::migration::schema`.

use sea_orm_migration::MigrationTrait;

mod m0201_housing;

/// This module's migrations, in the order they are applied (after the platform's).
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(m0201_housing::Migration)]
}
