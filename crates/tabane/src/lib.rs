//! Assembly of the application: the platform plus its modules. The binary, the tests and the
//! benchmarks all build the same app from here, so a module is mounted in one place.

use sea_orm::DatabaseConnection;
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use tabane_core::service::files::FileStore;
use tabane_web::RouteDef;

/// Platform migrations first, then each module's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = tabane_core::migration::platform_migrations();
        all.extend(tabane_infra::migrations());
        all.extend(tabane_housing::migrations());
        all
    }
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    use anyhow::Context;
    Migrator::up(db, None).await.context("running database migrations")
}

/// Routes contributed by the modules.
pub fn module_routes() -> Vec<RouteDef> {
    let mut all = tabane_infra::routes();
    all.extend(tabane_housing::routes());
    all
}

/// Every route of the application (platform and modules).
pub fn all_routes() -> Vec<RouteDef> {
    let mut all = tabane_web::routes::platform_routes();
    all.extend(module_routes());
    all
}

/// Encrypted personal-data columns of every module, for `tabane rotate-keys` and key usage
/// counts. A module that encrypts a column must list it here, or rotation would miss it.
pub fn encrypted_columns() -> Vec<tabane_core::crypto::EncryptedColumn> {
    tabane_housing::service::personal::all_columns()
}

/// Demo data of the platform and of every module.
pub async fn load_demo(db: &DatabaseConnection, files: &FileStore) -> tabane_core::Result<tabane_core::demo::DemoSummary> {
    let summary = tabane_core::demo::load(db).await?;
    if summary.loaded {
        tabane_infra::demo::load(db, files).await?;
        tabane_housing::demo::load(db).await?;
        tabane_core::service::revisions::bump_all(db).await?;
    }
    Ok(summary)
}
