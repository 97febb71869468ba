//! 記録の画面 (records of a term): hearings (list, form, export, a record with its status and
//! 「個人情報を表示」), the case library and the liaison log with its week coverage and export.

use super::recoverable;
use crate::domain::{
    CaseCategory, CaseVisibility, Consent, Coverage, HearingKind, HearingMode, HearingStatus, LiaisonKind,
};
use crate::service::access::Side;
use crate::service::cases::{self, CaseForm, CaseRow};
use crate::service::hearings::{self, HearingForm, HearingRow, Personal, StatusForm};
use crate::service::liaison::{self, ChangeForm, LiaisonForm, LiaisonRow};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_tabular::Cell;
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::export::{Export, Print, file_response, print_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "council/hearings.html")]
pub struct HearingsPage {
    pub chrome: Chrome,
    pub term_id: i64,
    pub rows: Vec<HearingRow>,
    pub may_write: bool,
    pub client: bool,
    pub typed: HearingForm,
    pub error: Option<String>,
}

impl HearingsPage {
    pub fn kinds(&self) -> &'static [HearingKind] {
        HearingKind::ALL
    }
    pub fn modes(&self) -> &'static [HearingMode] {
        HearingMode::ALL
    }
    pub fn statuses(&self) -> &'static [HearingStatus] {
        HearingStatus::ALL
    }
    pub fn consents(&self) -> &'static [Consent] {
        Consent::ALL
    }
}

#[derive(Template)]
#[template(path = "council/hearing.html")]
pub struct HearingPage {
    pub chrome: Chrome,
    pub r: HearingRow,
    pub term_id: i64,
    pub may_write: bool,
    pub may_reveal: bool,
    pub personal: Option<Personal>,
    pub error: Option<String>,
}

impl HearingPage {
    pub fn statuses(&self) -> &'static [HearingStatus] {
        HearingStatus::ALL
    }
    pub fn consents(&self) -> &'static [Consent] {
        Consent::ALL
    }
    pub fn held_on(&self) -> String {
        self.r.hearing.held_on.map(|d| d.to_string()).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "council/cases.html")]
pub struct CasesPage {
    pub chrome: Chrome,
    pub term_id: i64,
    pub rows: Vec<CaseRow>,
    pub may_write: bool,
    pub hearings: Vec<(i64, String)>,
    pub error: Option<String>,
}

impl CasesPage {
    pub fn categories(&self) -> &'static [CaseCategory] {
        CaseCategory::ALL
    }
    pub fn visibilities(&self) -> &'static [CaseVisibility] {
        CaseVisibility::ALL
    }
}

#[derive(Template)]
#[template(path = "council/liaison.html")]
pub struct LiaisonPage {
    pub chrome: Chrome,
    pub term_id: i64,
    pub rows: Vec<LiaisonRow>,
    pub coverage: Coverage,
    pub may_write: bool,
    pub client: bool,
    pub error: Option<String>,
}

impl LiaisonPage {
    pub fn kinds(&self) -> &'static [LiaisonKind] {
        LiaisonKind::ALL
    }
}

fn message(page: &Page, e: Option<Error>) -> (StatusCode, Option<String>) {
    (e.as_ref().map(status_of).unwrap_or(StatusCode::OK), e.map(|e| e.message(page.lang.is_en())))
}

/// `?personal=1`: include the practitioners' names in the export (audited).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct ExportQuery {
    #[serde(default)]
    pub personal: String,
}

async fn hearings_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    term_id: i64,
    typed: HearingForm,
    e: Option<Error>,
) -> AppResult<Response> {
    let (rows, a) = hearings::list(&st.db, ctx, term_id).await?;
    let (status, error) = message(page, e);
    let p = HearingsPage {
        chrome: page.chrome(),
        term_id,
        rows,
        may_write: a.require_contract_staff().is_ok(),
        client: a.side == Side::Client && a.staff,
        typed,
        error,
    };
    Ok((status, render(&p)).into_response())
}

/// The heading of a printed list: the committee and the term (「二拠点居住等研究部会　令和7年度」).
async fn heading(st: &Shared, ctx: &Ctx, term_id: i64) -> Result<String, AppError> {
    let a = crate::service::access::term(&st.db, ctx, term_id).await?;
    Ok(format!("{}　{}", a.committee.name, tabane_calendar::FiscalYear(a.term.fiscal_year).label_ja()))
}

pub async fn hearings_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
    print: Print,
    Query(q): Query<ExportQuery>,
) -> AppResult<Response> {
    if fmt.0.is_some() || print.0 {
        let (headers, rows) = hearings::export_rows(&st.db, &i.ctx, id, q.personal == "1").await?;
        if let Export(Some(format)) = fmt {
            return file_response(format, "hearings", "ヒアリング一覧", &headers, rows);
        }
        let title = page.lang.t("ヒアリング・追加調査一覧", "Hearings and surveys");
        let back = format!("/council/terms/{id}/hearings");
        return Ok(print_response(page.lang, title, &heading(&st, &i.ctx, id).await?, &back, &headers, rows));
    }
    hearings_page(&st, &page, &i.ctx, id, HearingForm::default(), None).await
}

pub async fn api_hearings(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<HearingsAnswer>> {
    let (rows, a) = hearings::list(&st.db, &i.ctx, id).await?;
    Ok(Json(HearingsAnswer { hearings: rows, progress: hearings::progress(&st.db, &a).await? }))
}

/// The term's hearings and their progress against the target.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct HearingsAnswer {
    pub hearings: Vec<HearingRow>,
    pub progress: crate::domain::HearingProgress,
}

pub async fn hearing_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<HearingForm>,
) -> AppResult<Response> {
    match hearings::create(&st.db, &i.ctx, id, &f).await {
        Ok(r) => Ok(see_other(&format!("/council/hearings/{}", r.hearing.id), page.lang.t("記録しました", "Recorded"))),
        Err(e) if recoverable(&e) => hearings_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_hearing_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<HearingForm>,
) -> AppResult<tabane_web::api::describe::Created<HearingRow>> {
    Ok(tabane_web::api::describe::Created(hearings::create(&st.db, &i.ctx, id, &f).await?))
}

async fn hearing_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    personal: Option<Personal>,
    e: Option<Error>,
) -> AppResult<Response> {
    let (r, a) = hearings::get(&st.db, ctx, id).await?;
    let (status, error) = message(page, e);
    let p = HearingPage {
        chrome: page.chrome(),
        term_id: a.term.id,
        may_write: a.require_contract_staff().is_ok(),
        may_reveal: a.may_read_personal() && r.has_personal,
        r,
        personal,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn hearing(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    hearing_page(&st, &page, &i.ctx, id, None, None).await
}

pub async fn api_hearing(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<HearingRow>> {
    Ok(Json(hearings::get(&st.db, &i.ctx, id).await?.0))
}

pub async fn hearing_status(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    match hearings::set_status(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/council/hearings/{id}"), page.lang.t("保存しました", "Saved"))),
        Err(e) if recoverable(&e) => hearing_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_hearing_status(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StatusForm>,
) -> AppResult<Json<HearingRow>> {
    Ok(Json(hearings::set_status(&st.db, &i.ctx, id, &f).await?))
}

/// 個人情報を表示: a POST that renders directly (audited each time; never through a redirect).
pub async fn hearing_reveal(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match hearings::reveal(&st.db, &i.ctx, id).await {
        Ok((_, p)) => hearing_page(&st, &page, &i.ctx, id, Some(p), None).await,
        Err(e) if recoverable(&e) => hearing_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_hearing_reveal(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<Personal>> {
    Ok(Json(hearings::reveal(&st.db, &i.ctx, id).await?.1))
}

async fn cases_page(st: &Shared, page: &Page, ctx: &Ctx, term_id: i64, e: Option<Error>) -> AppResult<Response> {
    let (rows, a) = cases::list(&st.db, ctx, term_id).await?;
    let may_write = a.require_contract_staff().is_ok();
    let hearings = if may_write {
        hearings::list(&st.db, ctx, term_id).await?.0.into_iter().map(|r| (r.hearing.id, r.hearing.label)).collect()
    } else {
        Vec::new()
    };
    let (status, error) = message(page, e);
    Ok((status, render(&CasesPage { chrome: page.chrome(), term_id, rows, may_write, hearings, error }))
        .into_response())
}

pub async fn cases_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
    print: Print,
) -> AppResult<Response> {
    if fmt.0.is_some() || print.0 {
        let rows = cases::list(&st.db, &i.ctx, id)
            .await?
            .0
            .into_iter()
            .map(|r| {
                vec![
                    Cell::Int(r.case.fiscal_year as i64),
                    Cell::Text(r.category.label_ja().into()),
                    Cell::Text(r.case.title),
                    Cell::Text(r.case.prefectures),
                    Cell::Text(r.visibility.label_ja().into()),
                    Cell::Text(r.case.summary),
                ]
            })
            .collect();
        let headers = ["年度", "分類", "事例名", "都県", "公開範囲", "概要"];
        if let Export(Some(format)) = fmt {
            return file_response(format, "cases", "事例集", &headers, rows);
        }
        let title = page.lang.t("事例集（近県モデル）", "Case library");
        let back = format!("/council/terms/{id}/cases");
        return Ok(print_response(page.lang, title, &heading(&st, &i.ctx, id).await?, &back, &headers, rows));
    }
    cases_page(&st, &page, &i.ctx, id, None).await
}

pub async fn api_cases(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<CasesAnswer>> {
    Ok(Json(CasesAnswer { cases: cases::list(&st.db, &i.ctx, id).await?.0 }))
}

/// The term's case library (近県モデル).
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct CasesAnswer {
    pub cases: Vec<CaseRow>,
}

pub async fn case_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<CaseForm>,
) -> AppResult<Response> {
    match cases::create(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/council/terms/{id}/cases"), page.lang.t("登録しました", "Added"))),
        Err(e) if recoverable(&e) => cases_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_case_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<CaseForm>,
) -> AppResult<tabane_web::api::describe::Created<CaseRow>> {
    Ok(tabane_web::api::describe::Created(cases::create(&st.db, &i.ctx, id, &f).await?))
}

async fn liaison_page(st: &Shared, page: &Page, ctx: &Ctx, term_id: i64, e: Option<Error>) -> AppResult<Response> {
    let (rows, a) = liaison::list(&st.db, ctx, term_id).await?;
    let coverage = liaison::coverage(&st.db, &a).await?;
    let (status, error) = message(page, e);
    let p = LiaisonPage {
        chrome: page.chrome(),
        term_id,
        rows,
        coverage,
        may_write: a.require_contract_staff().is_ok(),
        client: a.side == Side::Client && a.staff,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn liaison_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
    print: Print,
) -> AppResult<Response> {
    if fmt.0.is_some() || print.0 {
        let rows = liaison::list(&st.db, &i.ctx, id)
            .await?
            .0
            .into_iter()
            .map(|r| {
                vec![
                    Cell::Date(r.entry.held_on),
                    Cell::Text(r.kind.label_ja().into()),
                    Cell::Text(r.mode.label_ja().into()),
                    Cell::Text(r.entry.topics),
                    Cell::Text(r.entry.decisions),
                    Cell::Text(r.change_status.map(|s| s.label_ja().to_string()).unwrap_or_default()),
                ]
            })
            .collect();
        let headers = ["実施日", "種別", "方法", "議題・内容", "決定事項", "承認状況"];
        if let Export(Some(format)) = fmt {
            return file_response(format, "liaison", "打合せ記録", &headers, rows);
        }
        let title = page.lang.t("打合せ・協議記録", "Liaison log");
        let back = format!("/council/terms/{id}/liaison");
        return Ok(print_response(page.lang, title, &heading(&st, &i.ctx, id).await?, &back, &headers, rows));
    }
    liaison_page(&st, &page, &i.ctx, id, None).await
}

pub async fn api_liaison(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<LiaisonAnswer>> {
    let (rows, a) = liaison::list(&st.db, &i.ctx, id).await?;
    Ok(Json(LiaisonAnswer { entries: rows, coverage: liaison::coverage(&st.db, &a).await? }))
}

/// The weekly liaison log and its week coverage.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct LiaisonAnswer {
    pub entries: Vec<LiaisonRow>,
    pub coverage: crate::domain::Coverage,
}

pub async fn liaison_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<LiaisonForm>,
) -> AppResult<Response> {
    match liaison::create(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/council/terms/{id}/liaison"), page.lang.t("記録しました", "Recorded"))),
        Err(e) if recoverable(&e) => liaison_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_liaison_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<LiaisonForm>,
) -> AppResult<tabane_web::api::describe::Created<LiaisonRow>> {
    Ok(tabane_web::api::describe::Created(liaison::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn liaison_step(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ChangeForm>,
) -> AppResult<Response> {
    match liaison::change_step(&st.db, &i.ctx, id, &f).await {
        Ok(r) => {
            Ok(see_other(&format!("/council/terms/{}/liaison", r.entry.term_id), page.lang.t("保存しました", "Saved")))
        }
        Err(e) if recoverable(&e) => {
            let term = crate::entities::liaison::Entity::find_by_id(id).one(&st.db).await.map_err(Error::from)?;
            match term {
                Some(t) => liaison_page(&st, &page, &i.ctx, t.term_id, Some(e)).await,
                None => Err(AppError(Error::NotFound)),
            }
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_liaison_step(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ChangeForm>,
) -> AppResult<Json<LiaisonRow>> {
    Ok(Json(liaison::change_step(&st.db, &i.ctx, id, &f).await?))
}

use sea_orm::EntityTrait;

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            get,
            "/council/terms/{id}/hearings",
            Tenant,
            "council",
            "ヒアリング一覧（?format=csv|cp932|xlsx, personal=1 は監査記録）",
            hearings_list
        ),
        route!(post, "/council/terms/{id}/hearings", Tenant, "council", "ヒアリングの記録", hearing_create),
        route!(get, "/council/hearings/{id}", Tenant, "council", "ヒアリング", hearing),
        route!(post, "/council/hearings/{id}/status", Tenant, "council", "ヒアリングの状況・掲載同意", hearing_status),
        route!(
            post,
            "/council/hearings/{id}/reveal",
            Tenant,
            "council",
            "ヒアリング先の個人情報を表示（監査記録）",
            hearing_reveal
        ),
        route!(
            get,
            "/council/terms/{id}/cases",
            Tenant,
            "council",
            "事例集（近県モデル）（?format=csv|cp932|xlsx）",
            cases_list
        ),
        route!(post, "/council/terms/{id}/cases", Tenant, "council", "事例の登録", case_create),
        route!(
            get,
            "/council/terms/{id}/liaison",
            Tenant,
            "council",
            "打合せ・協議記録（?format=csv|cp932|xlsx）",
            liaison_list
        ),
        route!(post, "/council/terms/{id}/liaison", Tenant, "council", "打合せ・協議の記録", liaison_create),
        route!(
            post,
            "/council/liaison/{id}/step",
            Tenant,
            "council",
            "仕様変更承認申請の承認・却下・実施",
            liaison_step
        ),
        api_route!(
            get,
            "/api/council/terms/{id}/hearings",
            Tenant,
            "council",
            "ヒアリング一覧と実施状況",
            api_hearings
        ),
        api_route!(post, "/api/council/terms/{id}/hearings", Tenant, "council", "ヒアリングの記録", api_hearing_create),
        api_route!(get, "/api/council/hearings/{id}", Tenant, "council", "ヒアリング", api_hearing),
        api_route!(
            post,
            "/api/council/hearings/{id}/status",
            Tenant,
            "council",
            "ヒアリングの状況・掲載同意",
            api_hearing_status
        ),
        api_route!(
            post,
            "/api/council/hearings/{id}/reveal",
            Tenant,
            "council",
            "ヒアリング先の個人情報（監査記録）",
            api_hearing_reveal
        ),
        api_route!(get, "/api/council/terms/{id}/cases", Tenant, "council", "事例集", api_cases),
        api_route!(post, "/api/council/terms/{id}/cases", Tenant, "council", "事例の登録", api_case_create),
        api_route!(
            get,
            "/api/council/terms/{id}/liaison",
            Tenant,
            "council",
            "打合せ・協議記録と週ごとの実施状況",
            api_liaison
        ),
        api_route!(
            post,
            "/api/council/terms/{id}/liaison",
            Tenant,
            "council",
            "打合せ・協議の記録",
            api_liaison_create
        ),
        api_route!(
            post,
            "/api/council/liaison/{id}/step",
            Tenant,
            "council",
            "仕様変更承認申請の承認・却下・実施（step, reason, on）",
            api_liaison_step
        ),
    ]
}
