//! Application state shared by every handler. Sessions, rate limits and data live in the
//! database, so several servers can share one PostgreSQL behind a load balancer; the caches
//! here only hold answers that are checked against the database's revision counters on every
//! request (`tabane_core::service::revisions`).

use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::sync::Arc;
use tabane_core::service::files::FileStore;
use tabane_core::service::revisions::ReadCache;
use tabane_core::service::sessions::SessionCache;

#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Session lifetime.
    pub session_hours: i64,
    /// Mark cookies `Secure` (enable behind HTTPS).
    pub secure_cookies: bool,
    /// Map tile URL template (default: 地理院タイル 標準地図).
    pub tile_url: String,
    /// Show the demo-data banner with the demo logins.
    pub demo: bool,
    /// A reverse proxy sits in front and sets `X-Forwarded-For` (only then is it believed).
    pub behind_proxy: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            session_hours: 12,
            secure_cookies: false,
            tile_url: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png".into(),
            demo: false,
            behind_proxy: false,
        }
    }
}

pub struct AppState {
    pub db: DatabaseConnection,
    pub files: FileStore,
    pub cfg: WebConfig,
    pub caches: Caches,
    /// Each module's `[key]` configuration section, typed by the module.
    pub settings: crate::module::ModuleSettings,
}

/// In-process caches, validated per request against the revision counters.
#[derive(Default)]
pub struct Caches {
    /// Loaded sessions, under the `auth` counter.
    pub sessions: SessionCache,
    /// Busy read answers (lists, map data, record views), under both counters.
    pub reads: ReadCache,
    /// Public reads per client address on this server.
    pub public_reads: PublicLimiter,
    /// On SQLite, write requests of this server take turns.
    pub writes: WriteGate,
    /// Reads in their handlers at once, fewer than the pool's connections.
    pub read_slots: ReadSlots,
    /// The navigation each organisation is shown (see `navigation`).
    pub nav: crate::navigation::NavCache,
    /// Uses of API tokens on their way to the audit log (see `token_uses`).
    pub token_uses: crate::token_uses::TokenUseLog,
}

impl Caches {
    /// Caches that keep no answers (sessions are still cached): for measuring the plain path.
    pub fn without_reads() -> Self {
        Self {
            sessions: SessionCache::default(),
            reads: ReadCache::disabled(),
            public_reads: PublicLimiter::default(),
            writes: WriteGate::default(),
            read_slots: ReadSlots::default(),
            nav: Default::default(),
            token_uses: Default::default(),
        }
    }
}

/// 公開APIの回数制限 (public read limit): a fixed one-minute window per client address, kept
/// in memory on each server. Reads change nothing, so a per-server bound against floods is
/// enough; writes from outside (Open311 reports) are limited in the database instead
/// (`tabane_core::service::rate_limits`), where the limit holds across servers.
#[derive(Default)]
pub struct PublicLimiter {
    windows: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, u32)>>,
}

impl PublicLimiter {
    /// Counts one read from `address`; false when it is over `per_minute` (0: no limit).
    pub fn allow(&self, address: &str, per_minute: u32) -> bool {
        if per_minute == 0 {
            return true;
        }
        let now = std::time::Instant::now();
        let minute = std::time::Duration::from_secs(60);
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.len() > 100_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < minute);
            if w.len() > 100_000 {
                // A flood from very many addresses: start again rather than grow without bound.
                w.clear();
            }
        }
        let (start, n) = w.entry(address.to_string()).or_insert((now, 0));
        if now.duration_since(*start) >= minute {
            *start = now;
            *n = 0;
        }
        *n += 1;
        *n <= per_minute
    }
}

/// 書込みの順番待ち (write turns). On SQLite, one at a time: SQLite has one writer at a time,
/// and SeaORM opens every transaction with a deferred `BEGIN` (it offers no `BEGIN IMMEDIATE`): a
/// transaction that reads before it writes holds a read snapshot, and if another connection
/// commits a write in between, its first write fails at once with `SQLITE_BUSY_SNAPSHOT` (517,
/// "database is locked"), which the busy timeout cannot wait out. So the write requests of one
/// server take turns, while reads go on concurrently (WAL); SQLite serialises the writes anyway.
/// On PostgreSQL, writes run concurrently but at most half the pool at once, so that a flood of
/// writes (300 writing connections in `scripts/soak`) cannot hold every pool connection.
#[derive(Clone, Default)]
pub struct WriteGate(Arc<std::sync::OnceLock<Arc<tokio::sync::Semaphore>>>);

/// How long a write waits for its turn before it is answered "busy" (the same as SQLite's busy
/// timeout, which it replaces for requests).
const TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

impl WriteGate {
    /// Waits for this write's turn (one at a time on SQLite, half the pool on PostgreSQL). After
    /// `TURN_WAIT`, answers 503 with `Retry-After`: nothing was written.
    pub async fn turn(
        &self,
        db: &DatabaseConnection,
    ) -> Result<Option<tokio::sync::OwnedSemaphorePermit>, axum::response::Response> {
        use axum::response::IntoResponse;
        let turns = self.0.get_or_init(|| {
            let backend = db.get_database_backend();
            let n = if backend == sea_orm::DbBackend::Sqlite {
                1
            } else {
                (tabane_core::db::pool_size(backend) / 2).max(1) as usize
            };
            Arc::new(tokio::sync::Semaphore::new(n))
        });
        match tokio::time::timeout(TURN_WAIT, turns.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Some(permit)),
            _ => {
                tracing::warn!("a write waited {}s for its turn and was refused", TURN_WAIT.as_secs());
                let mut r = (axum::http::StatusCode::SERVICE_UNAVAILABLE, "混み合っています。しばらく待ってから再度お試しください（何も書き込んでいません） / Busy: nothing was written; please try again shortly").into_response();
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
                Err(r)
            }
        }
    }
}

/// 読取りの枠 (read slots). Reads in their handlers at once are bounded to two fewer than the
/// database pool's connections, so a write always finds a free connection quickly. Without the
/// bound, a thousand waiting reads queue in the pool itself, and the write whose turn it is
/// (SQLite) waits behind all of them for each of its queries while the other writes queue
/// behind it until they give up; on PostgreSQL the same queue let single reads wait beyond any
/// client's patience. A semaphore queue is first come, first served, so no read waits
/// unboundedly either. The session and the revision counters are read before the slot is taken
/// (a single short query each).
#[derive(Default)]
pub struct ReadSlots(std::sync::OnceLock<Arc<tokio::sync::Semaphore>>);

impl ReadSlots {
    fn slots(&self, db: &DatabaseConnection) -> &Arc<tokio::sync::Semaphore> {
        self.0.get_or_init(|| Arc::new(tokio::sync::Semaphore::new(Self::count(db) as usize)))
    }

    fn count(db: &DatabaseConnection) -> u32 {
        tabane_core::db::pool_size(db.get_database_backend()).saturating_sub(2).max(1)
    }

    /// Waits for a slot (the pool's size is known on first use, from the backend).
    pub async fn take(&self, db: &DatabaseConnection) -> Option<tokio::sync::OwnedSemaphorePermit> {
        // The semaphore is never closed, so acquiring fails only if it were; then run unbounded.
        self.slots(db).clone().acquire_owned().await.ok()
    }

    /// Waits until no read is in a handler and keeps it so until the permit is dropped (the
    /// WAL checkpoint's moment without readers, see `wal`).
    pub async fn take_all(&self, db: &DatabaseConnection) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.slots(db).clone().acquire_many_owned(Self::count(db)).await.ok()
    }
}

pub type Shared = Arc<AppState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_limiter_counts_per_address_and_zero_means_unlimited() {
        let l = PublicLimiter::default();
        assert!((0..3).all(|_| l.allow("a", 3)));
        assert!(!l.allow("a", 3));
        assert!(l.allow("b", 3), "another address has its own window");
        assert!((0..10).all(|_| l.allow("c", 0)));
    }
}
