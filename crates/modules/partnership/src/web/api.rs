//! JSON under /api/partnership: the same service functions as the pages.

use crate::entities::{change, issue, kpi, platform, project, registration, risk};
use crate::service::contacts::{
    self, AnswerForm, ContactForm, ContactRow, ContactView, DayForm, OpinionForm, RouteForm,
};
use crate::service::issues::{self, Candidate, IssueForm};
use crate::service::kpis::{self, Dashboard};
use crate::service::platforms::{self, PlatformForm, PlatformRow};
use crate::service::projects::{
    self, ChangeForm, EvaluationForm, EvaluationRow, KpiForm, ProjectForm, ProjectView, RiskForm,
};
use crate::service::registrations;
use crate::service::resources::{self, ResourceForm, ResourceRow};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use tabane_tabular::{InputEncoding, Source};
use tabane_web::api::describe::Created;
use tabane_web::error::AppResult;
use tabane_web::middleware::Auth;
use tabane_web::state::Shared;

type J<T> = AppResult<Json<T>>;

pub async fn platforms_list(State(st): State<Shared>, Auth(i, _): Auth) -> J<Vec<PlatformRow>> {
    Ok(Json(platforms::list(&st.db, &i.ctx).await?))
}

pub async fn platform_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<PlatformForm>,
) -> AppResult<Created<platform::Model>> {
    Ok(Created(platforms::create(&st.db, &i.ctx, &f).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "PpContactsQuery")]
pub struct ContactsQuery {
    /// 1: only the unanswered ones past their 回答目標日.
    #[serde(default)]
    pub overdue: Option<u8>,
    /// The day the turnaround is read on (default today).
    #[serde(default)]
    pub as_of: Option<chrono::NaiveDate>,
}

pub async fn contacts_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ContactsQuery>,
) -> J<Vec<ContactRow>> {
    Ok(Json(contacts::list(&st.db, &i.ctx, id, q.overdue == Some(1), q.as_of).await?.0))
}

pub async fn contact_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ContactForm>,
) -> AppResult<Created<ContactView>> {
    Ok(Created(contacts::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn contact_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ContactsQuery>,
) -> J<ContactView> {
    Ok(Json(contacts::view(&st.db, &i.ctx, id, q.as_of).await?))
}

pub async fn contact_route(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<RouteForm>,
) -> J<ContactView> {
    Ok(Json(contacts::route(&st.db, &i.ctx, id, &f).await?))
}

pub async fn contact_opinion(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<OpinionForm>,
) -> J<ContactView> {
    Ok(Json(contacts::opinion(&st.db, &i.ctx, id, &f).await?))
}

pub async fn contact_answer(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<AnswerForm>,
) -> J<ContactView> {
    Ok(Json(contacts::answer(&st.db, &i.ctx, id, &f).await?))
}

pub async fn contact_agree(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<DayForm>,
) -> J<ContactView> {
    Ok(Json(contacts::advance(&st.db, &i.ctx, id, "agree", &f).await?))
}

pub async fn contact_launch(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<DayForm>,
) -> J<ContactView> {
    Ok(Json(contacts::advance(&st.db, &i.ctx, id, "launch", &f).await?))
}

pub async fn contact_withdraw(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<DayForm>,
) -> J<ContactView> {
    Ok(Json(contacts::advance(&st.db, &i.ctx, id, "withdraw", &f).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "PpOnQuery")]
pub struct OnQuery {
    /// The day the state is read on (default today).
    #[serde(default)]
    pub as_of: Option<chrono::NaiveDate>,
}

pub async fn resources_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> J<Vec<ResourceRow>> {
    Ok(Json(resources::list(&st.db, &i.ctx, id, q.as_of).await?))
}

pub async fn resource_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ResourceForm>,
) -> AppResult<Created<ResourceRow>> {
    Ok(Created(resources::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn resource_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> J<ResourceRow> {
    Ok(Json(resources::get(&st.db, &i.ctx, id, q.as_of).await?))
}

pub async fn resource_confirm(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<ResourceRow> {
    Ok(Json(resources::confirm(&st.db, &i.ctx, id).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[schemars(rename = "PpImportQuery")]
pub struct ImportQuery {
    #[serde(default)]
    filename: String,
    #[serde(default)]
    encoding: String,
}

#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpImported")]
pub struct Imported {
    pub rows: usize,
}

/// Body: the file's bytes. `?filename=resources.csv&encoding=auto|utf8|cp932`.
pub async fn resources_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> J<Imported> {
    let name = if q.filename.trim().is_empty() { "resources.csv" } else { q.filename.trim() };
    let source =
        Source::upload(name, &body, InputEncoding::from_name(&q.encoding)).map_err(|e| tabane_core::Error::file(&e))?;
    Ok(Json(Imported { rows: resources::import(&st.db, &i.ctx, id, &source).await? }))
}

pub async fn issues_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<issue::Model>> {
    Ok(Json(issues::list(&st.db, &i.ctx, id).await?))
}

pub async fn issue_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<IssueForm>,
) -> AppResult<Created<issue::Model>> {
    Ok(Created(issues::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn issue_matches(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<Candidate>> {
    Ok(Json(issues::matches(&st.db, &i.ctx, id).await?))
}

pub async fn issue_solve(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<issue::Model> {
    Ok(Json(issues::solve(&st.db, &i.ctx, id, None).await?))
}

pub async fn projects_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<project::Model>> {
    Ok(Json(projects::list(&st.db, &i.ctx, id).await?))
}

pub async fn project_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ProjectForm>,
) -> AppResult<Created<project::Model>> {
    Ok(Created(projects::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn project_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<ProjectView> {
    Ok(Json(projects::view(&st.db, &i.ctx, id).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "PpSignForm")]
pub struct SignForm {
    #[serde(default)]
    pub signed_on: String,
}

pub async fn project_sign(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<SignForm>,
) -> J<ProjectView> {
    Ok(Json(projects::sign(&st.db, &i.ctx, id, &f.signed_on).await?))
}

pub async fn kpi_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<KpiForm>,
) -> AppResult<Created<kpi::Model>> {
    Ok(Created(projects::add_kpi(&st.db, &i.ctx, id, &f).await?))
}

pub async fn kpi_update(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<KpiForm>,
) -> J<kpi::Model> {
    Ok(Json(projects::update_kpi(&st.db, &i.ctx, id, &f).await?))
}

pub async fn risk_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<RiskForm>,
) -> AppResult<Created<risk::Model>> {
    Ok(Created(projects::add_risk(&st.db, &i.ctx, id, &f).await?))
}

pub async fn change_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ChangeForm>,
) -> AppResult<Created<change::Model>> {
    Ok(Created(projects::request_change(&st.db, &i.ctx, id, &f).await?))
}

pub async fn change_approve(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<change::Model> {
    Ok(Json(projects::approve_change(&st.db, &i.ctx, id).await?))
}

pub async fn evaluation_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<EvaluationForm>,
) -> AppResult<Created<EvaluationRow>> {
    Ok(Created(projects::evaluate(&st.db, &i.ctx, id, &f).await?))
}

pub async fn evaluation_publish(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<EvaluationRow> {
    Ok(Json(projects::publish_evaluation(&st.db, &i.ctx, id, None).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "PpYearQuery")]
pub struct YearQuery {
    /// 年度 (2025 = 令和7年度); default the current one.
    #[serde(default)]
    pub fy: Option<i32>,
}

pub async fn kpi_dashboard(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> J<Dashboard> {
    let fy = q.fy.unwrap_or_else(|| tabane_calendar::FiscalYear::of(tabane_calendar::jst::today()).0);
    Ok(Json(kpis::dashboard(&st.db, &i.ctx, id, fy).await?))
}

pub async fn registrations_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> J<Vec<registration::Model>> {
    Ok(Json(registrations::pending(&st.db, &i.ctx, id).await?))
}

pub async fn registration_approve(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> J<registration::Model> {
    Ok(Json(registrations::approve(&st.db, &i.ctx, id).await?))
}

pub async fn registration_reject(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> J<registration::Model> {
    Ok(Json(registrations::reject(&st.db, &i.ctx, id).await?))
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::api_route;
    vec![
        api_route!(
            get,
            "/api/partnership/platforms",
            Tenant,
            "partnership",
            "公民連携プラットフォームの一覧",
            platforms_list
        ),
        api_route!(
            post,
            "/api/partnership/platforms",
            Tenant,
            "partnership",
            "プラットフォームの設定（束の幹事、bundle_id・window_org_id）",
            platform_create
        ),
        api_route!(
            get,
            "/api/partnership/platforms/{id}/contacts",
            Tenant,
            "partnership",
            "窓口受付簿（?overdue=1&as_of=）",
            contacts_list
        ),
        api_route!(
            post,
            "/api/partnership/platforms/{id}/contacts",
            Tenant,
            "partnership",
            "相談・提案の受付",
            contact_create
        ),
        api_route!(
            get,
            "/api/partnership/contacts/{id}",
            Tenant,
            "partnership",
            "受付（回付先・類似案件・回答目標日）",
            contact_get
        ),
        api_route!(post, "/api/partnership/contacts/{id}/route", Tenant, "partnership", "回付（窓口）", contact_route),
        api_route!(
            post,
            "/api/partnership/contacts/{id}/opinion",
            Tenant,
            "partnership",
            "所見（回付先の部署）",
            contact_opinion
        ),
        api_route!(
            post,
            "/api/partnership/contacts/{id}/answer",
            Tenant,
            "partnership",
            "回答（窓口）",
            contact_answer
        ),
        api_route!(post, "/api/partnership/contacts/{id}/agree", Tenant, "partnership", "成約", contact_agree),
        api_route!(post, "/api/partnership/contacts/{id}/launch", Tenant, "partnership", "事業化", contact_launch),
        api_route!(post, "/api/partnership/contacts/{id}/withdraw", Tenant, "partnership", "取下げ", contact_withdraw),
        api_route!(
            get,
            "/api/partnership/platforms/{id}/resources",
            Tenant,
            "partnership",
            "地域資源（公開区分に応じて）",
            resources_list
        ),
        api_route!(
            post,
            "/api/partnership/platforms/{id}/resources",
            Tenant,
            "partnership",
            "地域資源の登録",
            resource_create
        ),
        api_route!(
            post,
            "/api/partnership/platforms/{id}/resources/import",
            Tenant,
            "partnership",
            "地域資源の取込（本文はファイル）",
            resources_import
        ),
        api_route!(get, "/api/partnership/resources/{id}", Tenant, "partnership", "地域資源（?as_of=）", resource_get),
        api_route!(
            post,
            "/api/partnership/resources/{id}/confirm",
            Tenant,
            "partnership",
            "地域資源の確認（提供者・窓口）",
            resource_confirm
        ),
        api_route!(get, "/api/partnership/platforms/{id}/issues", Tenant, "partnership", "地域課題", issues_list),
        api_route!(
            post,
            "/api/partnership/platforms/{id}/issues",
            Tenant,
            "partnership",
            "地域課題の登録",
            issue_create
        ),
        api_route!(
            get,
            "/api/partnership/issues/{id}/matches",
            Tenant,
            "partnership",
            "マッチング候補（理由つき）",
            issue_matches
        ),
        api_route!(post, "/api/partnership/issues/{id}/solve", Tenant, "partnership", "地域課題の解決", issue_solve),
        api_route!(
            get,
            "/api/partnership/platforms/{id}/projects",
            Tenant,
            "partnership",
            "連携事業の一覧",
            projects_list
        ),
        api_route!(
            post,
            "/api/partnership/platforms/{id}/projects",
            Tenant,
            "partnership",
            "連携事業の登録",
            project_create
        ),
        api_route!(
            get,
            "/api/partnership/projects/{id}",
            Tenant,
            "partnership",
            "連携事業（KPI・リスク分担表・変更管理台帳・評価）",
            project_get
        ),
        api_route!(post, "/api/partnership/projects/{id}/sign", Tenant, "partnership", "締結（KPI必須）", project_sign),
        api_route!(post, "/api/partnership/projects/{id}/kpis", Tenant, "partnership", "KPIの登録", kpi_create),
        api_route!(
            put,
            "/api/partnership/kpis/{id}",
            Tenant,
            "partnership",
            "KPIの更新（締結後の目標値は変更申請で）",
            kpi_update
        ),
        api_route!(
            post,
            "/api/partnership/projects/{id}/risks",
            Tenant,
            "partnership",
            "リスク分担表の行",
            risk_create
        ),
        api_route!(post, "/api/partnership/projects/{id}/changes", Tenant, "partnership", "変更申請", change_create),
        api_route!(
            post,
            "/api/partnership/changes/{id}/approve",
            Tenant,
            "partnership",
            "変更申請の承認（同時に反映）",
            change_approve
        ),
        api_route!(
            post,
            "/api/partnership/projects/{id}/evaluations",
            Tenant,
            "partnership",
            "評価（SROI・経済効果）",
            evaluation_create
        ),
        api_route!(
            post,
            "/api/partnership/evaluations/{id}/publish",
            Tenant,
            "partnership",
            "評価の公表",
            evaluation_publish
        ),
        api_route!(
            get,
            "/api/partnership/platforms/{id}/kpis",
            Tenant,
            "partnership",
            "KGI・KSI・KPI（?fy=）",
            kpi_dashboard
        ),
        api_route!(
            get,
            "/api/partnership/platforms/{id}/registrations",
            Tenant,
            "partnership",
            "登録申請（未処理）",
            registrations_list
        ),
        api_route!(
            post,
            "/api/partnership/registrations/{id}/approve",
            Tenant,
            "partnership",
            "登録申請の承認（団体・利用者・構成員を作成）",
            registration_approve
        ),
        api_route!(
            post,
            "/api/partnership/registrations/{id}/reject",
            Tenant,
            "partnership",
            "登録申請の却下",
            registration_reject
        ),
    ]
}
