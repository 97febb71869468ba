//! 契約と予算執行 pages and JSON.

use super::views::L;
use crate::entities::contract;
use crate::service::contracts::{self, BudgetLine, ContractForm, PAYMENT_TYPES};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use tabane_calendar::FiscalYear;
use tabane_core::error::FieldProblem;
use tabane_core::service::bundles;
use tabane_core::{Ctx, Error};
use tabane_web::api::describe::Created;
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/contracts.html")]
pub struct ContractsPage {
    pub chrome: Chrome,
    pub l: L,
    pub contracts: Vec<contract::Model>,
    pub bundles: Vec<tabane_core::entities::bundle::Model>,
    pub problems: Vec<FieldProblem>,
    pub form: ContractForm,
    pub payment_types: &'static [(&'static str, &'static str)],
}

#[derive(Template)]
#[template(path = "infra/contract.html")]
pub struct ContractPage {
    pub chrome: Chrome,
    pub l: L,
    pub c: contract::Model,
    pub contractor_name: String,
    pub budget: Vec<BudgetLine>,
    pub fiscal_year: i32,
    pub fiscal_label: String,
    pub error: Option<String>,
    pub parts: Vec<crate::entities::contract_part::Model>,
    /// The contractor and its member firms, for adding members.
    pub firms: Vec<tabane_core::entities::organisation::Model>,
    /// The actor manages the bundle (may add parts and set any owner's limit).
    pub can_manage: bool,
    /// The actor may set a limit (manager, or administrator of an owner).
    pub can_set_limit: bool,
}

impl ContractPage {
    pub fn payment_label(&self) -> &'static str {
        PAYMENT_TYPES.iter().find(|(k, _)| *k == self.c.payment_type).map(|x| x.1).unwrap_or("")
    }
    pub fn detail_label<'a>(&self, d: &'a Option<String>) -> &'a str {
        match d.as_deref() {
            Some(k) => PAYMENT_TYPES.iter().find(|(key, _)| *key == k).map(|x| x.1).unwrap_or(k),
            None => "",
        }
    }
}

async fn list_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    form: ContractForm,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        render(&ContractsPage {
            chrome: page.chrome(),
            l: L { en: page.lang.is_en() },
            contracts: contracts::list(&st.db, ctx).await?,
            bundles: bundles::list(&st.db, ctx).await?,
            problems,
            form,
            payment_types: PAYMENT_TYPES,
        }),
    )
        .into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    list_page(
        &st,
        &page,
        &i.ctx,
        ContractForm { payment_type: "mixed".into(), job_cap: "500000".into(), ..Default::default() },
        vec![],
    )
    .await
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<ContractForm>,
) -> AppResult<Response> {
    match contracts::create(&st.db, &i.ctx, &f).await {
        Ok(c) => Ok(Redirect::to(&format!("/infra/contracts/{}", c.id)).into_response()),
        Err(Error::Invalid(p)) => list_page(&st, &page, &i.ctx, f, p).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct FyQuery {
    #[serde(default)]
    pub fy: Option<i32>,
}

fn fy_of(q: &FyQuery) -> FiscalYear {
    q.fy.map(FiscalYear).unwrap_or_else(|| FiscalYear::of(crate::service::work_orders::today_jst()))
}

async fn show_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    fy: FiscalYear,
    error: Option<String>,
) -> AppResult<Response> {
    let c = contracts::find(&st.db, ctx, id).await?;
    let contractor_name =
        tabane_core::service::orgs::get(&st.db, ctx, c.contractor_org_id).await.map(|o| o.name).unwrap_or_default();
    let budget = contracts::budget(&st.db, ctx, id, fy).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let parts = contracts::parts(&st.db, ctx, id).await?;
    let mut firms = vec![];
    if let Ok(jv) = tabane_core::service::orgs::get(&st.db, ctx, c.contractor_org_id).await {
        firms = tabane_core::service::orgs::children(&st.db, ctx, jv.id).await?;
        firms.insert(0, jv);
    }
    let can_manage = bundles::get(&st.db, ctx, c.bundle_id).await?.can_manage;
    let can_set_limit = can_manage || (ctx.is_admin() && budget.iter().any(|b| Some(b.owner_org_id) == ctx.org_id));
    Ok((
        status,
        render(&ContractPage {
            chrome: page.chrome(),
            l: L { en: page.lang.is_en() },
            c,
            contractor_name,
            budget,
            fiscal_year: fy.0,
            fiscal_label: fy.label_ja(),
            error,
            parts,
            firms,
            can_manage,
            can_set_limit,
        }),
    )
        .into_response())
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<FyQuery>,
) -> AppResult<Response> {
    show_page(&st, &page, &i.ctx, id, fy_of(&q), None).await
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct LimitForm {
    pub owner_org_id: String,
    pub fiscal_year: String,
    pub limit_amount: String,
}

fn parse_limit(f: &LimitForm) -> Result<(i64, i32, i64), Error> {
    let owner = f
        .owner_org_id
        .trim()
        .parse()
        .map_err(|_| Error::invalid("owner_org_id", "管理者", "Owner", "を選んでください", "is required"))?;
    let fy = f.fiscal_year.trim().parse().map_err(|_| {
        Error::invalid(
            "fiscal_year",
            "年度",
            "Fiscal year",
            "は西暦の年（例: 2026）で入力してください",
            "must be a year like 2026",
        )
    })?;
    let amount =
        tabane_tabular::to_halfwidth_ascii(f.limit_amount.trim()).replace([',', '円'], "").parse().map_err(|_| {
            Error::invalid("limit_amount", "指示限度額", "Limit", "は円の整数で入力してください", "must be whole yen")
        })?;
    Ok((owner, fy, amount))
}

pub async fn set_limit(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<LimitForm>,
) -> AppResult<Response> {
    let result = match parse_limit(&f) {
        Ok((owner, fy, amount)) => contracts::set_limit(&st.db, &i.ctx, id, owner, fy, amount).await.map(|_| fy),
        Err(e) => Err(e),
    };
    match result {
        Ok(fy) => Ok(Redirect::to(&format!("/infra/contracts/{id}?fy={fy}")).into_response()),
        Err(e @ Error::Invalid(_)) => {
            show_page(
                &st,
                &page,
                &i.ctx,
                id,
                FiscalYear::of(crate::service::work_orders::today_jst()),
                Some(e.message(page.lang.is_en())),
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn add_part(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<contracts::PartForm>,
) -> AppResult<Response> {
    match contracts::add_part(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/infra/contracts/{id}")).into_response()),
        Err(e @ Error::Invalid(_)) => {
            show_page(
                &st,
                &page,
                &i.ctx,
                id,
                FiscalYear::of(crate::service::work_orders::today_jst()),
                Some(e.message(page.lang.is_en())),
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_add_part(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<contracts::PartForm>,
) -> AppResult<Created<crate::entities::contract_part::Model>> {
    Ok(Created(contracts::add_part(&st.db, &i.ctx, id, &f).await?))
}

pub async fn api_list(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Vec<contract::Model>>> {
    Ok(Json(contracts::list(&st.db, &i.ctx).await?))
}
pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<ContractForm>,
) -> AppResult<Created<contract::Model>> {
    Ok(Created(contracts::create(&st.db, &i.ctx, &f).await?))
}
pub async fn api_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<FyQuery>,
) -> AppResult<Json<ContractDetail>> {
    let contract = contracts::find(&st.db, &i.ctx, id).await?;
    let budget = contracts::budget(&st.db, &i.ctx, id, fy_of(&q)).await?;
    let parts = contracts::parts(&st.db, &i.ctx, id).await?;
    Ok(Json(ContractDetail { contract, budget, parts }))
}

/// A contract with its budget for the fiscal year and its parts (工区).
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct ContractDetail {
    pub contract: contract::Model,
    pub budget: Vec<crate::service::contracts::BudgetLine>,
    pub parts: Vec<crate::entities::contract_part::Model>,
}

/// A contract's budget after a change.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct BudgetAnswer {
    pub budget: Vec<crate::service::contracts::BudgetLine>,
}
pub async fn api_set_limit(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<LimitForm>,
) -> AppResult<Json<BudgetAnswer>> {
    let (owner, fy, amount) = parse_limit(&f)?;
    contracts::set_limit(&st.db, &i.ctx, id, owner, fy, amount).await?;
    Ok(Json(BudgetAnswer { budget: contracts::budget(&st.db, &i.ctx, id, FiscalYear(fy)).await? }))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/contracts", Tenant, "infra", "維持管理契約の一覧と登録", list),
        route!(post, "/infra/contracts", Tenant, "infra", "維持管理契約の登録", create),
        route!(get, "/infra/contracts/{id}", Tenant, "infra", "契約の詳細と予算執行（指示限度額）", show),
        route!(post, "/infra/contracts/{id}/limits", Tenant, "infra", "指示限度額の設定", set_limit),
        route!(
            post,
            "/infra/contracts/{id}/parts",
            Tenant,
            "infra",
            "契約の期・業務（支払方式）・構成員の追加",
            add_part
        ),
        api_route!(
            post,
            "/api/infra/contracts/{id}/parts",
            Tenant,
            "infra",
            "契約の期・業務（支払方式）・構成員の追加",
            api_add_part
        ),
        api_route!(get, "/api/infra/contracts", Tenant, "infra", "維持管理契約の一覧", api_list),
        api_route!(post, "/api/infra/contracts", Tenant, "infra", "維持管理契約の登録", api_create),
        api_route!(get, "/api/infra/contracts/{id}", Tenant, "infra", "契約と予算執行（?fy=2026）", api_get),
        api_route!(put, "/api/infra/contracts/{id}/limits", Tenant, "infra", "指示限度額の設定", api_set_limit),
    ]
}
