//! 監査ログ pages: browse with filters, export as CSV or xlsx.

use crate::error::AppResult;
use crate::export::{Export, ExportFormat, file_response};
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, AuditPage};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tabane_core::service::audit::{self, AuditFilter, EXPORT_HEADERS};
use tabane_tabular::Cell;

/// Query as typed in the form (dates may be empty strings).
#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct AuditQuery {
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: Option<u64>,
}

impl AuditQuery {
    pub fn filter(&self) -> AuditFilter {
        let s = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
        AuditFilter {
            entity: s(&self.entity),
            action: s(&self.action),
            actor: s(&self.actor),
            from: tabane_calendar::parse_date(&self.from).ok(),
            to: tabane_calendar::parse_date(&self.to).ok(),
            page: self.page,
        }
    }
    fn base(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("entity", &self.entity)
            .append_pair("action", &self.action)
            .append_pair("actor", &self.actor)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .finish()
    }
}

pub async fn list(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Query(q): Query<AuditQuery>,
) -> AppResult<views::Rendered> {
    let result = audit::list(&st.db, &info.ctx, &q.filter(), 50).await?;
    let query_base = q.base();
    Ok(views::render(&AuditPage {
        chrome: page.chrome(),
        page: result,
        entity: q.entity,
        action: q.action,
        actor: q.actor,
        from: q.from,
        to: q.to,
        query_base,
    }))
}

pub async fn export(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    fmt: Export,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let rows = audit::export_rows(&st.db, &info.ctx, &q.filter()).await?;
    let cells = rows.into_iter().map(|r| r.into_iter().map(Cell::Text).collect()).collect();
    file_response(fmt.or(ExportFormat::CsvUtf8), "audit-log", "監査ログ", EXPORT_HEADERS, cells)
}
