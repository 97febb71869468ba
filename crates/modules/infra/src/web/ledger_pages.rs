//! 管理者別台帳 (ledger per owner): the page, its export and its JSON.

use super::l;
use super::views::L;
use crate::service::ledger::{self, Ledger};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use tabane_tabular::Cell;
use tabane_web::error::AppResult;
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

pub async fn ledger(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<tabane_web::views::Rendered> {
    let lg = ledger::for_acting_owner(&st.db, &i.ctx).await?;
    let owner_name = i.acting_org_name.clone().unwrap_or_default();
    Ok(render(&LedgerPage { chrome: page.chrome(), l: l(&page), ledger: lg, owner_name }))
}

pub async fn ledger_export(State(st): State<Shared>, Auth(i, _): Auth, fmt: Export) -> AppResult<Response> {
    let lg = ledger::for_acting_owner(&st.db, &i.ctx).await?;
    let rows = lg
        .lines
        .into_iter()
        .map(|x| {
            vec![
                Cell::Int(x.work_order_id),
                Cell::Text(x.confirmed_on),
                Cell::Text(x.category),
                Cell::Text(x.description),
                Cell::Int(x.cost_total),
            ]
        })
        .collect();
    file_response(
        fmt.or(ExportFormat::CsvUtf8),
        "infra-ledger",
        "管理者別台帳",
        &["作業番号", "履行確認日", "作業区分", "内容", "実費用（円）"],
        rows,
    )
}

pub async fn api_ledger(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Ledger>> {
    Ok(Json(ledger::for_acting_owner(&st.db, &i.ctx).await?))
}

#[derive(Template)]
#[template(path = "infra/ledger.html")]
pub struct LedgerPage {
    pub chrome: Chrome,
    pub l: L,
    pub ledger: Ledger,
    pub owner_name: String,
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/ledger", Tenant, "infra", "管理者別台帳", ledger),
        route!(get, "/infra/ledger/export", Tenant, "infra", "管理者別台帳の書き出し", ledger_export),
        api_route!(get, "/api/infra/ledger", Tenant, "infra", "管理者別台帳（履行確認済みの金額）", api_ledger),
    ]
}
