//! アンケートと抽選の画面: opening the questionnaire, applying its classes, drawing, the plan /
//! pre-lottery and result reports (printable), verification and the prefecture's confirmation.

use super::campaign_pages::campaign_page;
use crate::service::lotteries::{self, DrawForm, LotteryView};
use crate::service::questionnaire;
use crate::web::answers::{ClassesApplied, LotteryConfirmed, QuestionnaireOpened};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::Error;
use tabane_web::error::{AppError, AppResult};
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct DepthForm {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub depth: Option<u32>,
}

pub async fn open_questionnaire(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<DepthForm>,
) -> AppResult<Response> {
    match questionnaire::open(&st.db, &i.ctx, id, f.depth.unwrap_or(3)).await {
        Ok(s) => Ok(see_other(
            &format!("/housing/campaigns/{id}"),
            &format!("希望住戸アンケートを作成しました（アンケート No.{s}）。回答は紙から代理入力できます"),
        )),
        Err(e) if super::recoverable(&e) => campaign_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_open_questionnaire(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<DepthForm>,
) -> AppResult<Json<QuestionnaireOpened>> {
    let survey_id = questionnaire::open(&st.db, &i.ctx, id, f.depth.unwrap_or(3)).await?;
    Ok(Json(QuestionnaireOpened { survey_id }))
}

pub async fn apply_classes(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match questionnaire::apply_classes(&st.db, &i.ctx, id).await {
        Ok(n) => {
            Ok(see_other(&format!("/housing/campaigns/{id}"), &format!("アンケートの回答により{n}世帯を分類しました")))
        }
        Err(e) if super::recoverable(&e) => campaign_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_apply_classes(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<ClassesApplied>> {
    Ok(Json(ClassesApplied { classified: questionnaire::apply_classes(&st.db, &i.ctx, id).await? }))
}

pub async fn draw(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<DrawForm>,
) -> AppResult<Response> {
    match lotteries::draw(&st.db, &i.ctx, id, &f).await {
        Ok(v) => Ok(Redirect::to(&format!("/housing/lotteries/{}", v.lottery.id)).into_response()),
        Err(e) if super::recoverable(&e) => campaign_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_draw(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<DrawForm>,
) -> AppResult<Json<LotteryView>> {
    Ok(Json(lotteries::draw(&st.db, &i.ctx, id, &f).await?))
}

#[derive(Template)]
#[template(path = "housing/lottery.html")]
pub struct LotteryPage {
    pub chrome: Chrome,
    pub v: LotteryView,
    pub report: String,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl LotteryPage {
    pub fn label(&self, case_id: &i64) -> String {
        self.v
            .inputs
            .participants
            .iter()
            .find(|p| p.case_id == *case_id)
            .map(|p| p.label.clone())
            .unwrap_or_else(|| format!("No.{case_id}"))
    }
    pub fn labels(&self, ids: &[i64]) -> String {
        ids.iter().map(|i| self.label(i)).collect::<Vec<_>>().join("、")
    }
    pub fn unit(&self, id: &i64) -> String {
        self.v
            .inputs
            .units
            .iter()
            .find(|u| u.id == *id)
            .map(|u| format!("{}（{}）", u.label, u.layout))
            .unwrap_or_default()
    }
    pub fn wishes(&self, p: &crate::lottery::Participant) -> String {
        p.wishes
            .iter()
            .enumerate()
            .map(|(k, u)| format!("第{}希望 {}", k + 1, self.unit(u)))
            .collect::<Vec<_>>()
            .join(" / ")
    }
    pub fn show(&self, part: &str) -> bool {
        self.report.is_empty() || self.report == part
    }
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct ReportQuery {
    #[serde(default)]
    pub report: String,
}

async fn lottery_page(
    st: &Shared,
    page: &Page,
    ctx: &tabane_core::Ctx,
    id: i64,
    report: String,
    message: Option<String>,
    error: Option<Error>,
) -> AppResult<Response> {
    let status = error.as_ref().map(tabane_web::error::status_of).unwrap_or(axum::http::StatusCode::OK);
    let v = lotteries::get(&st.db, ctx, id).await?;
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((status, render(&LotteryPage { chrome: page.chrome(), v, report, message, error })).into_response())
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let report = match q.report.as_str() {
        "plan" | "result" => q.report,
        _ => String::new(),
    };
    lottery_page(&st, &page, &i.ctx, id, report, None, None).await
}

pub async fn api_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Json<LotteryView>> {
    Ok(Json(lotteries::get(&st.db, &i.ctx, id).await?))
}

pub async fn verify(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<lotteries::Verification>> {
    Ok(Json(lotteries::verify(&st.db, &i.ctx, id).await?))
}

pub async fn confirm(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match lotteries::confirm(&st.db, &i.ctx, id).await {
        Ok(n) => Ok(see_other(
            &format!("/housing/lotteries/{id}"),
            &format!("抽選結果を確定し、{n}世帯の移転先を決めました"),
        )),
        Err(e) if super::recoverable(&e) => lottery_page(&st, &page, &i.ctx, id, String::new(), None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_confirm(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<LotteryConfirmed>> {
    Ok(Json(LotteryConfirmed { assigned: lotteries::confirm(&st.db, &i.ctx, id).await? }))
}

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            post,
            "/housing/campaigns/{id}/questionnaire",
            Tenant,
            "housing",
            "希望住戸アンケートの作成（県、対象世帯と空き住戸から）",
            open_questionnaire
        ),
        route!(
            post,
            "/housing/campaigns/{id}/questionnaire/apply",
            Tenant,
            "housing",
            "アンケート結果による分類",
            apply_classes
        ),
        route!(post, "/housing/campaigns/{id}/lotteries", Tenant, "housing", "住戸抽選の実施（乱数の種を記録）", draw),
        api_route!(
            post,
            "/api/housing/campaigns/{id}/questionnaire",
            Tenant,
            "housing",
            "希望住戸アンケートの作成（depth）",
            api_open_questionnaire
        ),
        api_route!(
            post,
            "/api/housing/campaigns/{id}/questionnaire/apply",
            Tenant,
            "housing",
            "アンケート結果による分類",
            api_apply_classes
        ),
        api_route!(
            post,
            "/api/housing/campaigns/{id}/lotteries",
            Tenant,
            "housing",
            "住戸抽選の実施（name, session_date, announced, direct_uncontested, depth）",
            api_draw
        ),
        route!(
            get,
            "/housing/lotteries/{id}",
            Tenant,
            "housing",
            "抽選（計画・抽選会前の報告・結果の報告、?report=plan|result）",
            show
        ),
        route!(get, "/housing/lotteries/{id}/verify", Tenant, "housing", "抽選の再計算による確認", verify),
        route!(
            post,
            "/housing/lotteries/{id}/confirm",
            Tenant,
            "housing",
            "抽選結果の確定（県、移転先の決定）",
            confirm
        ),
        api_route!(get, "/api/housing/lotteries/{id}", Tenant, "housing", "抽選（入力・種・結果・計画）", api_get),
        api_route!(get, "/api/housing/lotteries/{id}/verify", Tenant, "housing", "抽選の再計算による確認", verify),
        api_route!(post, "/api/housing/lotteries/{id}/confirm", Tenant, "housing", "抽選結果の確定（県）", api_confirm),
    ]
}
