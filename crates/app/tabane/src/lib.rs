//! Assembly of the application: the platform plus its modules. The binary, the tests and the
//! benchmarks all build the same app from here; `modules()` is the one place a module is named.

use sea_orm::DatabaseConnection;

/// mimalloc instead of glibc's allocator, for every program built on the app (the server, the
/// benchmarks, the tests). Imports and busy servers allocate on one thread and free on another
/// (a row read on the request's thread, written by the database worker); glibc's arenas make
/// that costly: a third of an import's time went to `malloc`/`free` in the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sea_orm_migration::{MigrationTrait, MigratorTrait};
use tabane_core::service::files::FileStore;
use tabane_web::{Module, RouteDef};

/// Every module of the application, in navigation order. Adding a module: its crate's
/// `module()` here, and nothing else.
pub fn modules() -> Vec<Module> {
    vec![
        tabane_infra::module(),
        tabane_housing::module(),
        tabane_council::module(),
        tabane_talent::module(),
        tabane_partnership::module(),
    ]
}

/// Platform migrations first, then each module's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        migrations_of(&modules())
    }
}

/// The platform's migrations, then those of `modules` in order.
pub fn migrations_of(modules: &[Module]) -> Vec<Box<dyn MigrationTrait>> {
    let mut all = tabane_core::migration::platform_migrations();
    for m in modules {
        all.extend((m.migrations)());
    }
    all
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    use anyhow::Context;
    Migrator::up(db, None).await.context("running database migrations")
}

/// Every route of the application (platform and modules).
pub fn all_routes() -> Vec<RouteDef> {
    tabane_web::all_routes(&modules())
}

/// Encrypted personal-data columns of the platform (personal survey answers) and of every module,
/// for `tabane rotate-keys` and key usage counts.
pub fn encrypted_columns() -> Vec<tabane_core::crypto::EncryptedColumn> {
    std::iter::once(tabane_core::service::surveys::personal::ANSWER_VALUE)
        .chain(modules().iter().flat_map(|m| (m.encrypted_columns)()))
        .collect()
}

/// Demo data of the platform and of every module.
pub async fn load_demo(
    db: &DatabaseConnection,
    files: &FileStore,
) -> tabane_core::Result<tabane_core::demo::DemoSummary> {
    let summary = tabane_core::demo::load(db).await?;
    if summary.loaded {
        for m in modules() {
            if let Some(demo) = m.demo {
                demo(db, files).await?;
            }
        }
        tabane_core::service::revisions::bump_all(db).await?;
    }
    Ok(summary)
}
