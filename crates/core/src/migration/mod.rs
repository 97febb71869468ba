//! Migrations: one source for SQLite and PostgreSQL, written with SeaORM's schema builder so
//! no SQL dialect appears here. Modules add their own migrations to [`Migrator`] in later issues.

use sea_orm_migration::prelude::*;

mod m0001_platform;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m0001_platform::Migration)]
    }
}
