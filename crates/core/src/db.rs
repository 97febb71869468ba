//! Connecting to the database and running migrations.
//!
//! The same code runs on SQLite (default, embedded) and PostgreSQL. The only backend-specific
//! lines are the SQLite connection pragmas below; queries and migrations are shared.

use anyhow::Context;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

pub use crate::migration::Migrator;

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
                // 32 MB of page cache per connection (SQLite's default is 2 MB): imports and the
                // analytics walk indexes far larger than that.
                .pragma("cache_size", "-32768")
        });
        opts.max_connections(8).min_connections(1);
    } else {
        opts.max_connections(16);
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
