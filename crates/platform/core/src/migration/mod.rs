//! Migrations: one source for SQLite and PostgreSQL, written with SeaORM's schema builder so
//! no SQL dialect appears here. Each module lists its own in `migration/mod.rs`; the app runs the
//! platform's first, then each module's, in the order `crates/app/tabane/migrations.lock` fixes.
//! New migrations use [`schema`]'s helpers.

use sea_orm_migration::prelude::*;

mod m0001_platform;
mod m0101_crypto_key_checks;
mod m0102_deliverables;
mod m0103_surveys;
mod m0104_data_revisions;
mod m0105_rate_events;
mod platform_0001_member_periods;
mod platform_0002_deliverable_withdrawal;
mod platform_0003_file_visibility;
mod platform_0004_meetings;
mod platform_0005_survey_proxies;
mod platform_0006_survey_answer_enc;
mod platform_0007_service_accounts;
mod platform_0008_file_blobs;
mod platform_0009_deliverable_file_required;
mod platform_0010_series_minutes_adjust;
pub mod schema;

/// The platform's own migrations. The binary's migrator runs these first, then each module's.
pub fn platform_migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m0001_platform::Migration),
        Box::new(m0101_crypto_key_checks::Migration),
        Box::new(m0102_deliverables::Migration),
        Box::new(m0103_surveys::Migration),
        Box::new(m0104_data_revisions::Migration),
        Box::new(m0105_rate_events::Migration),
        Box::new(platform_0001_member_periods::Migration),
        Box::new(platform_0002_deliverable_withdrawal::Migration),
        Box::new(platform_0003_file_visibility::Migration),
        Box::new(platform_0004_meetings::Migration),
        Box::new(platform_0005_survey_proxies::Migration),
        Box::new(platform_0006_survey_answer_enc::Migration),
        Box::new(platform_0007_service_accounts::Migration),
        Box::new(platform_0008_file_blobs::Migration),
        Box::new(platform_0009_deliverable_file_required::Migration),
        Box::new(platform_0010_series_minutes_adjust::Migration),
    ]
}

/// Migrator for the platform alone (used by tools that need only the core tables).
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        platform_migrations()
    }
}
