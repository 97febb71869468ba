//! WALの整理 (keeping SQLite's write-ahead log short). SQLite's automatic checkpoint copies the
//! log into the database file after commits, but it can only start the log again from the
//! beginning at a moment when no reader still uses it. Under steady load there is always a
//! reader, so the log never restarts and grows without bound (193 MB after six minutes of
//! `scripts/soak` at 1,000 connections), and every read walks a larger log index. So a server
//! on SQLite makes such a moment itself: every few seconds a passive checkpoint copies what it
//! can without stopping anyone; when the log has grown past `TRUNCATE_FRAMES`, it takes the
//! write turn and every read slot (in-flight reads finish first; new ones wait, briefly) and
//! truncates the log. PostgreSQL needs none of this.

use crate::state::AppState;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::sync::Arc;
use std::time::Duration;

/// How often the log is looked at.
const EVERY: Duration = Duration::from_secs(5);
/// Log frames (pages, 4 KiB each) past which the log is truncated: 16 MiB.
const TRUNCATE_FRAMES: i64 = 4096;

/// Runs for the life of the server (spawn it once per process, on SQLite).
pub async fn keep_short(state: Arc<AppState>) {
    if state.db.get_database_backend() != DbBackend::Sqlite {
        return;
    }
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = once(&state).await {
            tracing::warn!(error = %e, "WAL checkpoint failed; trying again later");
        }
    }
}

/// One look: a passive checkpoint, then a truncating one with no reader about if the log is long.
/// Returns the log's frames before truncation (0 when it was not truncated).
pub async fn once(state: &AppState) -> Result<i64, sea_orm::DbErr> {
    let (log, _) = checkpoint(&state.db, "PASSIVE").await?;
    if log < TRUNCATE_FRAMES {
        return Ok(0);
    }
    // A write waits for its turn, a read for its slot: the gap lasts as long as the copy of
    // what the passive checkpoint could not yet copy.
    let Ok(_turn) = state.caches.writes.turn(&state.db).await else { return Ok(0) };
    let _reads = state.caches.read_slots.take_all(&state.db).await;
    let started = std::time::Instant::now();
    let (log, done) = checkpoint(&state.db, "TRUNCATE").await?;
    tracing::debug!(frames = log, copied = done, ms = started.elapsed().as_millis() as u64, "WAL truncated");
    Ok(log.max(1))
}

/// `PRAGMA wal_checkpoint(mode)`: (frames in the log, frames copied).
async fn checkpoint(db: &DatabaseConnection, mode: &str) -> Result<(i64, i64), sea_orm::DbErr> {
    let row = db.query_one(Statement::from_string(DbBackend::Sqlite, format!("PRAGMA wal_checkpoint({mode})"))).await?;
    Ok(match row {
        Some(r) => (r.try_get_by_index::<i64>(1).unwrap_or(0), r.try_get_by_index::<i64>(2).unwrap_or(0)),
        None => (0, 0),
    })
}
