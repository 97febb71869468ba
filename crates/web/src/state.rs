//! Application state shared by every handler. Sessions, rate limits and data live in the
//! database, so several servers can share one PostgreSQL behind a load balancer; the caches
//! here only hold answers that are checked against the database's revision counters on every
//! request (`tabane_core::service::revisions`).

use sea_orm::DatabaseConnection;
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
}

impl Default for WebConfig {
    fn default() -> Self {
        Self { session_hours: 12, secure_cookies: false, tile_url: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png".into(), demo: false }
    }
}

pub struct AppState {
    pub db: DatabaseConnection,
    pub files: FileStore,
    pub cfg: WebConfig,
    pub caches: Caches,
}

/// In-process caches, validated per request against the revision counters.
#[derive(Default)]
pub struct Caches {
    /// Loaded sessions, under the `auth` counter.
    pub sessions: SessionCache,
    /// Busy read answers (lists, map data, record views), under both counters.
    pub reads: ReadCache,
}

impl Caches {
    /// Caches that keep no answers (sessions are still cached): for measuring the plain path.
    pub fn without_reads() -> Self {
        Self { sessions: SessionCache::default(), reads: ReadCache::disabled() }
    }
}

pub type Shared = Arc<AppState>;
