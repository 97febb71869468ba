//! Application state shared by every handler. Nothing in it changes while the server runs:
//! sessions, rate limits and data live in the database, so several servers can share one
//! PostgreSQL behind a load balancer.

use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tabane_core::service::files::FileStore;

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
}

pub type Shared = Arc<AppState>;
