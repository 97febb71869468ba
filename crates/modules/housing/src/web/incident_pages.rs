//! 苦情・要望・想定外の事態の画面 (incident log): list with the 「県へ未報告」 flag, a form to
//! record one, and its page to update the action, the report to the prefecture and closing.

use crate::domain::IncidentKind;
use crate::service::incidents::{self, IncidentFilter, IncidentForm, IncidentRow};
use crate::web::answers::Incidents;
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "housing/incidents.html")]
pub struct IncidentsPage {
    pub chrome: Chrome,
    pub rows: Vec<IncidentRow>,
    pub estates: Vec<(i64, String)>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "housing/incident.html")]
pub struct IncidentPage {
    pub chrome: Chrome,
    pub r: IncidentRow,
    pub may_write: bool,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl IncidentsPage {
    pub fn kinds(&self) -> &'static [IncidentKind] {
        IncidentKind::ALL
    }
}
impl IncidentPage {
    pub fn kinds(&self) -> &'static [IncidentKind] {
        IncidentKind::ALL
    }
    pub fn d(&self, v: &Option<chrono::NaiveDate>) -> String {
        v.map(|d| d.to_string()).unwrap_or_default()
    }
    pub fn t(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
    pub fn n(&self, v: &Option<i64>) -> String {
        v.map(|x| x.to_string()).unwrap_or_default()
    }
}

async fn list_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    f: IncidentFilter,
    error: Option<Error>,
) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let rows = incidents::list(&st.db, ctx, &f).await?;
    let estates = crate::service::estates::list(&st.db, ctx)
        .await?
        .into_iter()
        .filter(|a| a.require_staff().is_ok())
        .map(|a| (a.estate.id, a.estate.name))
        .collect();
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((status, render(&IncidentsPage { chrome: page.chrome(), rows, estates, error })).into_response())
}

pub async fn list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(f): Query<IncidentFilter>,
) -> AppResult<Response> {
    list_page(&st, &page, &i.ctx, f, None).await
}

pub async fn api_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(f): Query<IncidentFilter>,
) -> AppResult<Json<Incidents>> {
    Ok(Json(Incidents { incidents: incidents::list(&st.db, &i.ctx, &f).await? }))
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<IncidentForm>,
) -> AppResult<Response> {
    match incidents::create(&st.db, &i.ctx, &f).await {
        Ok(m) => Ok(Redirect::to(&format!("/housing/incidents/{}", m.id)).into_response()),
        Err(e @ (Error::Invalid(_) | Error::Forbidden(_))) => {
            list_page(&st, &page, &i.ctx, IncidentFilter::default(), Some(e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<IncidentForm>,
) -> AppResult<Json<IncidentRow>> {
    let m = incidents::create(&st.db, &i.ctx, &f).await?;
    Ok(Json(incidents::get(&st.db, &i.ctx, m.id).await?.0))
}

async fn one_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
    error: Option<Error>,
) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let (r, acc) = incidents::get(&st.db, ctx, id).await?;
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((
        status,
        render(&IncidentPage { chrome: page.chrome(), r, may_write: acc.require_staff().is_ok(), message, error }),
    )
        .into_response())
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    one_page(&st, &page, &i.ctx, id, None, None).await
}

pub async fn api_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Json<IncidentRow>> {
    Ok(Json(incidents::get(&st.db, &i.ctx, id).await?.0))
}

pub async fn update(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<IncidentForm>,
) -> AppResult<Response> {
    match incidents::update(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/housing/incidents/{id}"), "保存しました")),
        Err(e @ (Error::Invalid(_) | Error::Forbidden(_))) => one_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_update(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<IncidentForm>,
) -> AppResult<Json<IncidentRow>> {
    incidents::update(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(incidents::get(&st.db, &i.ctx, id).await?.0))
}

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            get,
            "/housing/incidents",
            Tenant,
            "housing",
            "苦情・要望・想定外の事態の一覧（県へ未報告の緊急は表示）と記録",
            list
        ),
        route!(post, "/housing/incidents", Tenant, "housing", "苦情・要望・想定外の事態の記録", create),
        route!(get, "/housing/incidents/{id}", Tenant, "housing", "苦情等（対応・県への報告・県の指示・完了）", show),
        route!(post, "/housing/incidents/{id}", Tenant, "housing", "苦情等の更新", update),
        api_route!(get, "/api/housing/incidents", Tenant, "housing", "苦情等の一覧（?estate&open&month）", api_list),
        api_route!(
            post,
            "/api/housing/incidents",
            Tenant,
            "housing",
            "苦情等の記録（estate_id, kind, urgent, in_scope, received_on, summary, action, pref_told_on, pref_told_how, pref_instruction, closed_on, case_id）",
            api_create
        ),
        api_route!(get, "/api/housing/incidents/{id}", Tenant, "housing", "苦情等", api_get),
        api_route!(put, "/api/housing/incidents/{id}", Tenant, "housing", "苦情等の更新（全項目）", api_update),
    ]
}
