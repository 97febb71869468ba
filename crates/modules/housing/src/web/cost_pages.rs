//! 実費と団地別調書の画面: the ledger with its claims, the 収支報告 export, the per-estate statement.

use crate::service::chosho::{self, Chosho};
use crate::service::costs::{self, ClaimStepInput, Ledger, NewItem};
use crate::web::answers::{ClaimMade, CostItemAdded};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_tabular::Cell;
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct EstateQ {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub estate: Option<i64>,
}

fn estate_of(q: Option<i64>) -> Result<i64, Error> {
    q.ok_or_else(|| Error::invalid("estate", "団地", "Estate", "を指定してください（?estate=）", "is required"))
}

#[derive(Template)]
#[template(path = "housing/costs.html")]
pub struct CostsPage {
    pub chrome: Chrome,
    pub l: Ledger,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl CostsPage {
    pub fn d(&self, v: &Option<chrono::NaiveDate>) -> String {
        v.map(|d| d.to_string()).unwrap_or_default()
    }
}

async fn costs_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    estate: i64,
    message: Option<String>,
    error: Option<Error>,
) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let l = costs::ledger(&st.db, ctx, estate, crate::service::deadlines::today()).await?;
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((status, render(&CostsPage { chrome: page.chrome(), l, message, error })).into_response())
}

/// With no estate given, the first estate the actor sees.
async fn default_estate(st: &Shared, ctx: &Ctx, q: Option<i64>) -> AppResult<i64> {
    match q {
        Some(e) => Ok(e),
        None => {
            Ok(crate::service::estates::list(&st.db, ctx).await?.first().map(|a| a.estate.id).ok_or(Error::NotFound)?)
        }
    }
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(q): Query<EstateQ>,
) -> AppResult<Response> {
    let estate = default_estate(&st, &i.ctx, q.estate).await?;
    costs_page(&st, &page, &i.ctx, estate, None, None).await
}

pub async fn api_show(State(st): State<Shared>, Auth(i, _): Auth, Query(q): Query<EstateQ>) -> AppResult<Json<Ledger>> {
    Ok(Json(costs::ledger(&st.db, &i.ctx, estate_of(q.estate)?, crate::service::deadlines::today()).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ItemForm {
    #[serde(deserialize_with = "crate::forms::number")]
    pub estate: i64,
    #[serde(flatten)]
    pub item: NewItem,
}

/// The 実費 page of an estate (where a recorded step redirects to).
fn costs_url(estate: i64) -> String {
    format!("/housing/costs?estate={estate}")
}

pub async fn add_item(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<ItemForm>,
) -> AppResult<Response> {
    match costs::add_item(&st.db, &i.ctx, f.estate, &f.item).await {
        Ok(m) => Ok(see_other(&costs_url(f.estate), &format!("「{}」を記録しました", m.item))),
        Err(e) if super::recoverable(&e) => costs_page(&st, &page, &i.ctx, f.estate, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_add_item(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<ItemForm>,
) -> AppResult<Json<CostItemAdded>> {
    let m = costs::add_item(&st.db, &i.ctx, f.estate, &f.item).await?;
    Ok(Json(CostItemAdded { id: m.id, fiscal_year: m.fiscal_year }))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ClaimForm {
    #[serde(deserialize_with = "crate::forms::number")]
    pub estate: i64,
    #[serde(deserialize_with = "crate::forms::number")]
    pub fiscal_year: i32,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub is_final: bool,
}

pub async fn claim(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<ClaimForm>,
) -> AppResult<Response> {
    match costs::claim(&st.db, &i.ctx, f.estate, f.fiscal_year, f.is_final).await {
        Ok(c) => Ok(see_other(
            &costs_url(f.estate),
            &format!("請求 No.{}（{}）を作りました", c.id, crate::domain::format_yen(c.total)),
        )),
        Err(e) if super::recoverable(&e) => costs_page(&st, &page, &i.ctx, f.estate, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_claim(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<ClaimForm>,
) -> AppResult<Json<ClaimMade>> {
    let c = costs::claim(&st.db, &i.ctx, f.estate, f.fiscal_year, f.is_final).await?;
    Ok(Json(ClaimMade { id: c.id, total: c.total }))
}

pub async fn claim_step(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ClaimStepInput>,
) -> AppResult<Response> {
    let estate = crate::entities::cost_claim::Entity::find_by_id(id)
        .one(&st.db)
        .await?
        .map(|c| c.estate_id)
        .ok_or(Error::NotFound)?;
    // The estate is checked by the service; a claim of another estate is NotFound there too.
    crate::service::access::estate_for(&st.db, &i.ctx, estate).await?;
    match costs::claim_step(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&costs_url(estate), "記録しました")),
        Err(e) if super::recoverable(&e) => costs_page(&st, &page, &i.ctx, estate, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_claim_step(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ClaimStepInput>,
) -> AppResult<Json<crate::entities::cost_claim::Model>> {
    Ok(Json(costs::claim_step(&st.db, &i.ctx, id, &f).await?))
}

/// 収支報告: the ledger as xlsx or CSV.
pub async fn export(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<EstateQ>,
) -> AppResult<Response> {
    let l = costs::ledger(&st.db, &i.ctx, estate_of(q.estate)?, crate::service::deadlines::today()).await?;
    let headers = ["年度", "項目", "金額", "支払った相手方", "支払日", "証拠書類", "金利", "請求No."];
    let rows = l
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::Int(i.fiscal_year.into()),
                Cell::Text(i.item.clone()),
                Cell::Int(i.amount),
                Cell::Text(i.payee.clone()),
                Cell::Date(i.paid_on),
                Cell::Text(i.evidence_note.clone().unwrap_or_default()),
                Cell::Int(i.interest),
                i.claim_id.map(Cell::Int).unwrap_or(Cell::Empty),
            ]
        })
        .collect();
    file_response(fmt.or(ExportFormat::Xlsx), "shushi-hokoku", "収支報告", &headers, rows)
}

#[derive(Template)]
#[template(path = "housing/chosho.html")]
pub struct ChoshoPage {
    pub chrome: Chrome,
    pub c: Chosho,
    pub estate_id: i64,
}

impl ChoshoPage {}

pub async fn chosho(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<EstateQ>,
) -> AppResult<Response> {
    let estate = default_estate(&st, &i.ctx, q.estate).await?;
    let c = chosho::build(&st.db, &i.ctx, estate).await?;
    if let Export(Some(format)) = fmt {
        let headers =
            ["分類", "世帯数", "人数", "65歳以上を含む世帯", "移転済み", "完了", "移転料 1回目", "移転料 残額"];
        let rows = c
            .lines
            .iter()
            .chain(std::iter::once(&c.total))
            .map(|l| {
                vec![
                    Cell::Text(l.class.clone()),
                    Cell::Int(l.households),
                    Cell::Int(l.persons),
                    Cell::Int(l.aged65_households),
                    Cell::Int(l.moved),
                    Cell::Int(l.closed),
                    Cell::Int(l.first_paid),
                    Cell::Int(l.remainder_paid),
                ]
            })
            .collect();
        return file_response(format, "danchi-chosho", "団地別調書", &headers, rows);
    }
    Ok(render(&ChoshoPage { chrome: page.chrome(), c, estate_id: estate }).into_response())
}

pub async fn api_chosho(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<EstateQ>,
) -> AppResult<Json<Chosho>> {
    Ok(Json(chosho::build(&st.db, &i.ctx, estate_of(q.estate)?).await?))
}

#[derive(Template)]
#[template(path = "housing/business.html")]
pub struct BusinessPage {
    pub chrome: Chrome,
    pub r: crate::service::business_report::BusinessReport,
    pub estate_id: i64,
}

impl BusinessPage {
    pub fn classes(&self) -> &'static [crate::domain::Classification] {
        crate::domain::Classification::ALL
    }
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct BusinessQ {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub estate: Option<i64>,
    #[serde(default)]
    pub class: String,
}

fn class_of(s: &str) -> Result<crate::domain::Classification, Error> {
    if s.is_empty() {
        return Ok(crate::domain::Classification::Main);
    }
    crate::domain::Classification::parse(s).ok_or_else(|| {
        Error::invalid(
            "class",
            "業務",
            "Sub-service",
            format!("は{}のいずれかです", crate::domain::Classification::choices_ja()),
            "unknown sub-service",
        )
    })
}

/// 業務報告書 of one sub-service (print, xlsx, JSON).
pub async fn business(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<BusinessQ>,
) -> AppResult<Response> {
    let estate = default_estate(&st, &i.ctx, q.estate).await?;
    let r = crate::service::business_report::build(&st.db, &i.ctx, estate, class_of(&q.class)?).await?;
    if let Export(Some(format)) = fmt {
        let mut rows = vec![
            vec![Cell::Text("対象世帯".into()), Cell::Int(r.households as i64)],
            vec![Cell::Text("提出書類 受領".into()), Cell::Int(r.forms_received as i64)],
            vec![Cell::Text("移転料 1回目（円）".into()), Cell::Int(r.first_payments.1)],
            vec![Cell::Text("移転料 残額（円）".into()), Cell::Int(r.remainders.1)],
            vec![Cell::Text("引越業者の斡旋".into()), Cell::Int(r.referrals as i64)],
        ];
        rows.extend(r.by_status.iter().map(|(s, n)| vec![Cell::Text(s.label_ja().into()), Cell::Int(*n as i64)]));
        return file_response(format, "gyomu-hokokusho", "業務報告書", &["項目", "値"], rows);
    }
    Ok(render(&BusinessPage { chrome: page.chrome(), r, estate_id: estate }).into_response())
}

pub async fn api_business(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<BusinessQ>,
) -> AppResult<Json<crate::service::business_report::BusinessReport>> {
    Ok(Json(crate::service::business_report::build(&st.db, &i.ctx, estate_of(q.estate)?, class_of(&q.class)?).await?))
}

use sea_orm::EntityTrait;

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/housing/costs", Tenant, "housing", "入居者移転支援実費（台帳・請求、?estate=）", show),
        route!(
            post,
            "/housing/costs/items",
            Tenant,
            "housing",
            "実費の記録（項目・金額・相手方・支払日・証拠書類・金利）",
            add_item
        ),
        route!(post, "/housing/costs/claims", Tenant, "housing", "実費の請求（年度1回・本移転終了時）", claim),
        route!(
            post,
            "/housing/costs/claims/{id}/step",
            Tenant,
            "housing",
            "請求の手続（収支報告・確定・請求書・支払）",
            claim_step
        ),
        route!(
            get,
            "/housing/costs/export",
            Tenant,
            "housing",
            "収支報告の書き出し（?estate&format=xlsx|csv|cp932）",
            export
        ),
        api_route!(get, "/api/housing/costs", Tenant, "housing", "実費台帳と請求（?estate=）", api_show),
        api_route!(post, "/api/housing/costs/items", Tenant, "housing", "実費の記録", api_add_item),
        api_route!(
            post,
            "/api/housing/costs/claims",
            Tenant,
            "housing",
            "実費の請求（estate, fiscal_year, is_final）",
            api_claim
        ),
        api_route!(
            post,
            "/api/housing/costs/claims/{id}/step",
            Tenant,
            "housing",
            "請求の手続（step=report|confirm|invoice|pay, on, amount）",
            api_claim_step
        ),
        route!(
            get,
            "/housing/reports/business",
            Tenant,
            "housing",
            "業務報告書（本移転・仮移転・住宅替・退去、?estate&class&format=xlsx）",
            business
        ),
        api_route!(
            get,
            "/api/housing/reports/business",
            Tenant,
            "housing",
            "業務報告書（?estate&class）",
            api_business
        ),
        route!(
            get,
            "/housing/reports/danchi-chosho",
            Tenant,
            "housing",
            "団地別調書（交付金申請用、?estate&format=xlsx）",
            chosho
        ),
        api_route!(get, "/api/housing/reports/danchi-chosho", Tenant, "housing", "団地別調書（?estate=）", api_chosho),
    ]
}
