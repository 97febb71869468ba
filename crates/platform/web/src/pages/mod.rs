//! HTML handlers. Each one extracts the user, calls a core service and renders a template;
//! the JSON handlers in `api` call the same services.

pub mod audit;
pub mod bundles;
pub mod calendar;
pub mod dashboard;
pub mod deliverables;
pub mod files;
pub mod meetings;
pub mod orgs;
pub mod service_accounts;
pub mod session;
pub mod surveys;
pub mod users;

use crate::state::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// 死活監視: answers 200 when the database answers.
pub async fn health(State(st): State<Shared>) -> Response {
    match st.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, format!("database unavailable: {e}")).into_response(),
    }
}

/// Parses an optional integer query/form value; bad text is treated as absent.
pub fn int(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}
