use crate::error::AppResult;
use crate::middleware::Auth;
use crate::pages::audit::AuditQuery;
use crate::state::Shared;
use axum::Json;
use axum::extract::{Query, State};
use tabane_core::entities::audit_entry;
use tabane_core::service::{Page, audit};

pub async fn list(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Page<audit_entry::Model>>> {
    Ok(Json(audit::list(&st.db, &info.ctx, &q.filter(), 100).await?))
}
