//! JSON under /api/talent for recruitment (募集・応募), the 協力企業リスト and the 状況把握
//! survey: the same service functions as their pages.

use crate::service::applications::{self, ApplicationForm, ApplicationRow, Moved, StageForm};
use crate::service::companies::{self, CompanyImportSummary, CompanyRow};
use crate::service::recruitment::{self, CloseForm, PositionForm, PositionRow, PositionView};
use crate::service::status_surveys::{self, CopyResult, StatusSurveyForm, StatusSurveyRow};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use tabane_tabular::{InputEncoding, Source};
use tabane_web::api::describe::Created;
use tabane_web::error::AppResult;
use tabane_web::middleware::Auth;
use tabane_web::state::Shared;

use super::api::ImportQuery;

type J<T> = AppResult<Json<T>>;

pub async fn positions_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<PositionRow>> {
    Ok(Json(recruitment::list(&st.db, &i.ctx, id).await?.0))
}

pub async fn position_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<PositionForm>,
) -> AppResult<Created<PositionView>> {
    Ok(Created(recruitment::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn position_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<PositionView> {
    Ok(Json(recruitment::view(&st.db, &i.ctx, id).await?))
}

pub async fn position_update(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<PositionForm>,
) -> J<PositionView> {
    Ok(Json(recruitment::update(&st.db, &i.ctx, id, &f).await?))
}

pub async fn position_close(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<CloseForm>,
) -> J<PositionView> {
    Ok(Json(recruitment::close(&st.db, &i.ctx, id, &f).await?))
}

pub async fn application_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ApplicationForm>,
) -> AppResult<Created<ApplicationRow>> {
    Ok(Created(applications::apply(&st.db, &i.ctx, id, &f).await?))
}

pub async fn application_stage(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StageForm>,
) -> J<Moved> {
    Ok(Json(applications::move_stage(&st.db, &i.ctx, id, &f).await?))
}

pub async fn companies_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<CompanyRow>> {
    Ok(Json(companies::list(&st.db, &i.ctx, id).await?))
}

/// Body: the file's bytes. `?filename=companies.csv&encoding=auto|utf8|cp932`.
pub async fn companies_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> J<CompanyImportSummary> {
    let name = if q.filename.trim().is_empty() { "companies.csv" } else { q.filename.trim() };
    let source =
        Source::upload(name, &body, InputEncoding::from_name(&q.encoding)).map_err(|e| tabane_core::Error::file(&e))?;
    Ok(Json(companies::import(&st.db, &i.ctx, id, &source).await?))
}

pub async fn status_survey_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StatusSurveyForm>,
) -> AppResult<Created<StatusSurveyRow>> {
    Ok(Created(status_surveys::start(&st.db, &i.ctx, id, &f).await?))
}

pub async fn status_survey_copy(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path((id, survey_id)): Path<(i64, i64)>,
) -> J<CopyResult> {
    Ok(Json(status_surveys::copy(&st.db, &i.ctx, id, survey_id).await?))
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::api_route;
    vec![
        api_route!(get, "/api/talent/pools/{id}/positions", Tenant, "talent", "募集の一覧（県）", positions_list),
        api_route!(post, "/api/talent/pools/{id}/positions", Tenant, "talent", "募集の登録（県）", position_create),
        api_route!(get, "/api/talent/positions/{id}", Tenant, "talent", "募集と選考状況（県）", position_get),
        api_route!(put, "/api/talent/positions/{id}", Tenant, "talent", "募集の変更（県）", position_update),
        api_route!(
            post,
            "/api/talent/positions/{id}/applications",
            Tenant,
            "talent",
            "応募の登録（県）",
            application_create
        ),
        api_route!(
            post,
            "/api/talent/applications/{id}/stage",
            Tenant,
            "talent",
            "選考段階の変更（面接なしは警告）",
            application_stage
        ),
        api_route!(
            post,
            "/api/talent/positions/{id}/close",
            Tenant,
            "talent",
            "募集の終了（outcome: hired|closed、採用はジョブディスクリプションが必要）",
            position_close
        ),
        api_route!(get, "/api/talent/pools/{id}/companies", Tenant, "talent", "協力企業リスト", companies_list),
        api_route!(
            post,
            "/api/talent/pools/{id}/companies/import",
            Tenant,
            "talent",
            "協力企業リストの取込（本文はファイル、?filename=&encoding=）",
            companies_import
        ),
        api_route!(
            post,
            "/api/talent/pools/{id}/status-survey",
            Tenant,
            "talent",
            "状況把握アンケートの作成と公開（県、fiscal_year）",
            status_survey_create
        ),
        api_route!(
            post,
            "/api/talent/pools/{id}/status-survey/{survey_id}/copy",
            Tenant,
            "talent",
            "状況把握アンケートの回答を状況把握に転記（県）",
            status_survey_copy
        ),
    ]
}
