//! Connecting to the database and running migrations.
//!
//! The same code runs on SQLite (default, embedded) and PostgreSQL. The only backend-specific
//! lines are the SQLite connection pragmas below; queries and migrations are shared.

use anyhow::Context;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

pub use crate::migration::Migrator;

/// Connections in the pool on SQLite (one writer at a time; readers run concurrently under WAL).
pub const SQLITE_POOL: u32 = 8;
/// Connections in the pool on PostgreSQL.
pub const POSTGRES_POOL: u32 = 16;

/// The pool size `connect` gives a connection to this backend.
pub fn pool_size(backend: sea_orm::DbBackend) -> u32 {
    if backend == sea_orm::DbBackend::Sqlite { SQLITE_POOL } else { POSTGRES_POOL }
}

/// Opens a pool. SQLite gets WAL (readers do not block the writer), foreign keys, a busy
/// timeout so that concurrent requests wait for the write lock instead of failing, and a larger
/// page cache.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false).acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
                .create_if_missing(true)
                // SQLite's own 2 MB of page cache per connection. The operating system caches
                // the file as well, and under steady writes every connection's cache fills with
                // the newest pages: at 32 MB each, eight connections made a server's memory grow
                // by 150 MB in ten minutes of `scripts/soak` (and still growing).
                .pragma("cache_size", "-2048")
        });
        opts.max_connections(SQLITE_POOL).min_connections(1);
    } else {
        opts.max_connections(POSTGRES_POOL);
    }
    Database::connect(opts).await.with_context(|| format!("connecting to database {}", redact(url)))
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running database migrations")
}

/// Hides a password in a connection URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}://{}:***{}", &url[..s], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://data/t.sqlite"), "sqlite://data/t.sqlite");
    }
}
