//! JSON under /api/talent: the same service functions as the pages.

use crate::entities::{experience, pool, qualification, visit};
use crate::service::accelerators::{
    self, CheckForm, CheckOutcome, ExperienceForm, JudgementForm, QualificationForm, RecommendForm,
};
use crate::service::advisors::{self, AdvisorForm, AdvisorSummary, Recorded};
use crate::service::assignments::{self, Arranged, AssignmentForm, AssignmentRow, AssignmentView};
use crate::service::framework::{self, FrameworkForm, FrameworkView, PriorityRow, StatusForm, StatusRow};
use crate::service::grants::{self, LineForm, RuleRow, SheetForm, SheetView};
use crate::service::needs::{self, NeedForm, NeedRow, NeedView};
use crate::service::persons::{self, PersonForm, PersonRow, PersonView, Personal, StatusForm as PersonStatusForm};
use crate::service::pools::{self, ImportSummary, PoolForm, PoolRow};
use crate::service::visits::{self, MonthlyReport, VisitForm};
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

pub async fn pools_list(State(st): State<Shared>, Auth(i, _): Auth) -> J<Vec<PoolRow>> {
    Ok(Json(pools::list(&st.db, &i.ctx).await?))
}

pub async fn pool_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<PoolForm>,
) -> AppResult<Created<pool::Model>> {
    Ok(Created(pools::create(&st.db, &i.ctx, &f).await?))
}

pub async fn pool_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<PoolRow> {
    Ok(Json(pools::get(&st.db, &i.ctx, id).await?))
}

pub async fn persons_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<PersonRow>> {
    Ok(Json(persons::list(&st.db, &i.ctx, id).await?.0))
}

pub async fn person_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<PersonForm>,
) -> AppResult<Created<PersonRow>> {
    Ok(Created(persons::create(&st.db, &i.ctx, id, &f).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[schemars(rename = "TalentImportQuery")]
pub struct ImportQuery {
    /// File name, to tell CSV from xlsx.
    #[serde(default)]
    pub filename: String,
    /// auto | utf8 | cp932
    #[serde(default)]
    pub encoding: String,
}

/// Body: the file's bytes. `?filename=list.csv&encoding=auto|utf8|cp932`.
pub async fn pool_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> J<ImportSummary> {
    let name = if q.filename.trim().is_empty() { "list.csv" } else { q.filename.trim() };
    let source =
        Source::upload(name, &body, InputEncoding::from_name(&q.encoding)).map_err(|e| tabane_core::Error::file(&e))?;
    Ok(Json(pools::import(&st.db, &i.ctx, id, &source).await?))
}

pub async fn person_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<PersonView> {
    Ok(Json(persons::view(&st.db, &i.ctx, id).await?))
}

pub async fn person_reveal(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Personal> {
    Ok(Json(persons::reveal(&st.db, &i.ctx, id).await?))
}

pub async fn person_status(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<PersonStatusForm>,
) -> J<PersonRow> {
    Ok(Json(persons::set_status(&st.db, &i.ctx, id, &f).await?))
}

pub async fn person_experience(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ExperienceForm>,
) -> AppResult<Created<experience::Model>> {
    Ok(Created(accelerators::add_experience(&st.db, &i.ctx, id, &f).await?))
}

pub async fn person_qualification(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<QualificationForm>,
) -> AppResult<Created<qualification::Model>> {
    Ok(Created(accelerators::add_qualification(&st.db, &i.ctx, id, &f).await?))
}

pub async fn person_judgement(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<JudgementForm>,
) -> J<CheckOutcome> {
    Ok(Json(accelerators::record_judgement(&st.db, &i.ctx, id, &f).await?))
}

pub async fn person_check(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<CheckForm>,
) -> J<CheckOutcome> {
    Ok(Json(accelerators::run_check(&st.db, &i.ctx, id, &f).await?))
}

pub async fn person_recommend(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<RecommendForm>,
) -> J<CheckOutcome> {
    Ok(Json(accelerators::recommend(&st.db, &i.ctx, id, &f).await?))
}

pub async fn needs_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<NeedRow>> {
    Ok(Json(needs::list(&st.db, &i.ctx, id).await?.0))
}

pub async fn need_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<NeedForm>,
) -> AppResult<Created<NeedRow>> {
    Ok(Created(needs::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn need_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<NeedView> {
    Ok(Json(needs::view(&st.db, &i.ctx, id).await?))
}

pub async fn need_withdraw(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<NeedRow> {
    Ok(Json(needs::withdraw(&st.db, &i.ctx, id).await?))
}

pub async fn assignments_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> J<Vec<AssignmentRow>> {
    Ok(Json(assignments::list(&st.db, &i.ctx, id).await?.0))
}

pub async fn assignment_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<AssignmentForm>,
) -> AppResult<Created<Arranged>> {
    Ok(Created(assignments::create(&st.db, &i.ctx, id, &f).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "TalentMonthQuery")]
pub struct MonthQuery {
    /// 2025-09
    #[serde(default)]
    pub month: String,
    /// The municipality (the prefecture's reports).
    #[serde(default)]
    pub org: Option<i64>,
}

pub async fn assignment_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> J<AssignmentView> {
    Ok(Json(assignments::view(&st.db, &i.ctx, id, &q.month).await?))
}

pub async fn assignment_confirm(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<AssignmentRow> {
    Ok(Json(assignments::confirm(&st.db, &i.ctx, id).await?))
}

pub async fn assignment_cancel(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<AssignmentRow> {
    Ok(Json(assignments::cancel(&st.db, &i.ctx, id).await?))
}

pub async fn visit_log(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<VisitForm>,
) -> AppResult<Created<visit::Model>> {
    Ok(Created(visits::log(&st.db, &i.ctx, id, &f).await?))
}

pub async fn visit_confirm(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<visit::Model> {
    Ok(Json(visits::confirm(&st.db, &i.ctx, id).await?))
}

pub async fn dispatch_report(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> J<MonthlyReport> {
    Ok(Json(visits::monthly_report(&st.db, &i.ctx, id, q.org, &q.month).await?))
}

pub async fn advisors_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<AdvisorSummary>> {
    Ok(Json(advisors::list(&st.db, &i.ctx, id).await?))
}

pub async fn advisor_record(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<AdvisorForm>,
) -> J<Recorded> {
    Ok(Json(advisors::record(&st.db, &i.ctx, id, &f).await?))
}

pub async fn grants_list(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<Vec<SheetView>> {
    Ok(Json(grants::list(&st.db, &i.ctx, id).await?.0))
}

pub async fn grant_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<SheetForm>,
) -> AppResult<Created<SheetView>> {
    Ok(Created(grants::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn grant_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<SheetView> {
    Ok(Json(grants::view(&st.db, &i.ctx, id).await?))
}

pub async fn grant_update(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<SheetForm>,
) -> J<SheetView> {
    Ok(Json(grants::update(&st.db, &i.ctx, id, &f).await?))
}

pub async fn grant_line(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<LineForm>,
) -> J<SheetView> {
    Ok(Json(grants::add_line(&st.db, &i.ctx, id, &f).await?))
}

pub async fn grant_line_delete(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<SheetView> {
    Ok(Json(grants::delete_line(&st.db, &i.ctx, id).await?))
}

pub async fn grant_fix(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<SheetView> {
    Ok(Json(grants::fix(&st.db, &i.ctx, id).await?))
}

pub async fn grant_rules(State(st): State<Shared>, Auth(_i, _): Auth) -> J<Vec<RuleRow>> {
    Ok(Json(grants::rule_rows(&st.db).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[schemars(rename = "TalentYearQuery")]
pub struct YearQuery {
    /// 年度 (western year of April: 2025 = 令和7年度); default the current one.
    #[serde(default)]
    pub fy: Option<i32>,
    /// The day the checklist is read on (default today).
    #[serde(default)]
    pub today: Option<chrono::NaiveDate>,
}

fn year(q: &YearQuery) -> i32 {
    q.fy.unwrap_or_else(|| tabane_calendar::FiscalYear::of(tabane_calendar::jst::today()).0)
}

pub async fn statuses_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> J<Vec<StatusRow>> {
    Ok(Json(framework::list(&st.db, &i.ctx, id, year(&q)).await?.0))
}

pub async fn status_record(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StatusForm>,
) -> AppResult<Created<StatusRow>> {
    Ok(Created(framework::record(&st.db, &i.ctx, id, &f).await?))
}

pub async fn status_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> J<StatusRow> {
    Ok(Json(framework::get(&st.db, &i.ctx, id).await?))
}

pub async fn one_person_it(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> J<Vec<PriorityRow>> {
    Ok(Json(framework::priority(&st.db, &i.ctx, id, year(&q)).await?))
}

pub async fn framework_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> J<FrameworkView> {
    Ok(Json(framework::checklist(&st.db, &i.ctx, id, q.fy, q.today).await?))
}

pub async fn framework_put(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<FrameworkForm>,
) -> J<FrameworkView> {
    Ok(Json(framework::save(&st.db, &i.ctx, id, &f).await?))
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::api_route;
    vec![
        api_route!(get, "/api/talent/pools", Tenant, "talent", "人材プールの一覧", pools_list),
        api_route!(
            post,
            "/api/talent/pools",
            Tenant,
            "talent",
            "人材プールの設定（事務局の県、bundle_id と region）",
            pool_create
        ),
        api_route!(get, "/api/talent/pools/{id}", Tenant, "talent", "人材プール", pool_get),
        api_route!(get, "/api/talent/pools/{id}/persons", Tenant, "talent", "人材の一覧（個人情報なし）", persons_list),
        api_route!(post, "/api/talent/pools/{id}/persons", Tenant, "talent", "人材の登録（県）", person_create),
        api_route!(
            post,
            "/api/talent/pools/{id}/import",
            Tenant,
            "talent",
            "専門人材リストの取込（本文はファイル、?filename=&encoding=）",
            pool_import
        ),
        api_route!(get, "/api/talent/persons/{id}", Tenant, "talent", "人材の詳細", person_get),
        api_route!(
            post,
            "/api/talent/persons/{id}/reveal",
            Tenant,
            "talent",
            "個人情報を表示（監査記録）",
            person_reveal
        ),
        api_route!(post, "/api/talent/persons/{id}/status", Tenant, "talent", "人材の状態の変更", person_status),
        api_route!(post, "/api/talent/persons/{id}/experience", Tenant, "talent", "職歴の追加", person_experience),
        api_route!(
            post,
            "/api/talent/persons/{id}/qualifications",
            Tenant,
            "talent",
            "資格の追加",
            person_qualification
        ),
        api_route!(post, "/api/talent/persons/{id}/judgement", Tenant, "talent", "①ウの判断の記録", person_judgement),
        api_route!(
            post,
            "/api/talent/persons/{id}/accelerator-check",
            Tenant,
            "talent",
            "自治体DXアクセラレータ 要件確認",
            person_check
        ),
        api_route!(
            post,
            "/api/talent/persons/{id}/recommend",
            Tenant,
            "talent",
            "自治体DXアクセラレータの推薦",
            person_recommend
        ),
        api_route!(get, "/api/talent/pools/{id}/needs", Tenant, "talent", "ニーズの一覧", needs_list),
        api_route!(post, "/api/talent/pools/{id}/needs", Tenant, "talent", "ニーズの登録（市町村）", need_create),
        api_route!(get, "/api/talent/needs/{id}", Tenant, "talent", "ニーズと候補（マッチング）", need_get),
        api_route!(post, "/api/talent/needs/{id}/withdraw", Tenant, "talent", "ニーズの取下げ", need_withdraw),
        api_route!(get, "/api/talent/pools/{id}/assignments", Tenant, "talent", "派遣の一覧", assignments_list),
        api_route!(
            post,
            "/api/talent/pools/{id}/assignments",
            Tenant,
            "talent",
            "派遣の登録（県、曜日の重複は409）",
            assignment_create
        ),
        api_route!(
            get,
            "/api/talent/assignments/{id}",
            Tenant,
            "talent",
            "派遣と月の予定・実績（?month=2025-09）",
            assignment_get
        ),
        api_route!(
            post,
            "/api/talent/assignments/{id}/confirm",
            Tenant,
            "talent",
            "派遣の確定（県）",
            assignment_confirm
        ),
        api_route!(
            post,
            "/api/talent/assignments/{id}/cancel",
            Tenant,
            "talent",
            "派遣の中止（県）",
            assignment_cancel
        ),
        api_route!(post, "/api/talent/assignments/{id}/visits", Tenant, "talent", "派遣実績の記録", visit_log),
        api_route!(
            post,
            "/api/talent/visits/{id}/confirm",
            Tenant,
            "talent",
            "派遣実績の確認（市町村）",
            visit_confirm
        ),
        api_route!(
            get,
            "/api/talent/pools/{id}/dispatch-report",
            Tenant,
            "talent",
            "月別派遣実績表（?org=&month=2025-09）",
            dispatch_report
        ),
        api_route!(
            get,
            "/api/talent/pools/{id}/advisor-visits",
            Tenant,
            "talent",
            "アドバイザー派遣実績",
            advisors_list
        ),
        api_route!(
            post,
            "/api/talent/pools/{id}/advisor-visits",
            Tenant,
            "talent",
            "アドバイザー派遣の記録（年度の回数を確認）",
            advisor_record
        ),
        api_route!(get, "/api/talent/pools/{id}/grants", Tenant, "talent", "財政措置の試算の一覧", grants_list),
        api_route!(
            post,
            "/api/talent/pools/{id}/grants",
            Tenant,
            "talent",
            "試算の作成（measure: a|b|c, fiscal_year）",
            grant_create
        ),
        api_route!(get, "/api/talent/grants/{id}", Tenant, "talent", "試算（各行の理由と措置額）", grant_get),
        api_route!(put, "/api/talent/grants/{id}", Tenant, "talent", "試算の年度・端数処理の変更", grant_update),
        api_route!(post, "/api/talent/grants/{id}/lines", Tenant, "talent", "経費の行の追加", grant_line),
        api_route!(post, "/api/talent/grant-lines/{id}/delete", Tenant, "talent", "経費の行の削除", grant_line_delete),
        api_route!(post, "/api/talent/grants/{id}/fix", Tenant, "talent", "試算の確定", grant_fix),
        api_route!(get, "/api/talent/grant-rules", SignedIn, "talent", "交付税措置のルール表", grant_rules),
        api_route!(
            get,
            "/api/talent/pools/{id}/statuses",
            Tenant,
            "talent",
            "市町村の状況把握一覧（?fy=）",
            statuses_list
        ),
        api_route!(post, "/api/talent/pools/{id}/statuses", Tenant, "talent", "状況把握の記録", status_record),
        api_route!(get, "/api/talent/statuses/{id}", Tenant, "talent", "状況把握の記録", status_get),
        api_route!(
            get,
            "/api/talent/pools/{id}/one-person-it",
            Tenant,
            "talent",
            "1人情シス 優先支援リスト（?fy=）",
            one_person_it
        ),
        api_route!(
            get,
            "/api/talent/pools/{id}/framework",
            Tenant,
            "talent",
            "推進体制の構築状況（?fy=&today=）",
            framework_get
        ),
        api_route!(put, "/api/talent/pools/{id}/framework", Tenant, "talent", "推進体制の記録（①・④）", framework_put),
    ]
}
