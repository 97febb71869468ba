//! パトロールと日誌 pages and JSON.

use super::views::L;
use crate::service::patrols::{self, Diary, FindingForm, PatrolForm, PatrolView};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::error::FieldProblem;
use tabane_core::{Ctx, Error};
use tabane_tabular::Cell;
use tabane_web::api::describe::Created;
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/patrols.html")]
pub struct PatrolsPage {
    pub chrome: Chrome,
    pub l: L,
    pub patrols: Vec<crate::entities::patrol::Model>,
    pub owners: Vec<tabane_core::entities::organisation::Model>,
    pub problems: Vec<FieldProblem>,
    pub form: PatrolForm,
    pub today: String,
}

#[derive(Template)]
#[template(path = "infra/patrol.html")]
pub struct PatrolPage {
    pub chrome: Chrome,
    pub l: L,
    pub v: PatrolView,
    pub problems: Vec<FieldProblem>,
}

#[derive(Template)]
#[template(path = "infra/diary.html")]
pub struct DiaryPage {
    pub chrome: Chrome,
    pub l: L,
    pub d: Diary,
    pub owners: Vec<tabane_core::entities::organisation::Model>,
}

/// Patrol forms send one `owner_ids` field per ticked owner; gather them into one list.
fn patrol_form(raw: &[u8]) -> PatrolForm {
    let mut f = PatrolForm::default();
    let mut owners = Vec::new();
    for (k, v) in form_urlencoded::parse(raw) {
        let v = v.into_owned();
        match k.as_ref() {
            "patrol_date" => f.patrol_date = v,
            "start_time" => f.start_time = v,
            "end_time" => f.end_time = v,
            "weather" => f.weather = v,
            "vehicle" => f.vehicle = v,
            "staff" => f.staff = v,
            "routes" => f.routes = v,
            "notes" => f.notes = v,
            "track" => f.track = v,
            "owner_ids" => owners.push(v),
            _ => {}
        }
    }
    f.owner_ids = owners.join(",");
    f
}

async fn list_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    form: PatrolForm,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        render(&PatrolsPage {
            chrome: page.chrome(),
            l: L { en: page.lang.is_en() },
            patrols: patrols::list(&st.db, ctx, 100).await?,
            owners: super::owner_choices(st, ctx).await?,
            problems,
            form,
            today: crate::service::work_orders::today_jst().to_string(),
        }),
    )
        .into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    list_page(&st, &page, &i.ctx, PatrolForm::default(), vec![]).await
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    RawForm(raw): RawForm,
) -> AppResult<Response> {
    let form = patrol_form(&raw);
    match patrols::create(&st.db, &i.ctx, &form).await {
        Ok(p) => Ok(Redirect::to(&format!("/infra/patrols/{}", p.id)).into_response()),
        Err(Error::Invalid(problems)) => list_page(&st, &page, &i.ctx, form, problems).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn patrol_page(st: &Shared, page: &Page, ctx: &Ctx, id: i64, problems: Vec<FieldProblem>) -> AppResult<Response> {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        render(&PatrolPage {
            chrome: page.chrome(),
            l: L { en: page.lang.is_en() },
            v: patrols::view(&st.db, ctx, id).await?,
            problems,
        }),
    )
        .into_response())
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    patrol_page(&st, &page, &i.ctx, id, vec![]).await
}

pub async fn add_finding(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<FindingForm>,
) -> AppResult<Response> {
    match patrols::add_finding(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/infra/patrols/{id}")).into_response()),
        Err(Error::Invalid(problems)) => patrol_page(&st, &page, &i.ctx, id, problems).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn to_work_order(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path((id, fid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let w = patrols::finding_to_work_order(&st.db, &i.ctx, id, fid).await?;
    Ok(Redirect::to(&format!("/infra/work-orders/{w}")).into_response())
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct DiaryQuery {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub date: String,
}

fn diary_args(ctx: &Ctx, q: &DiaryQuery) -> Result<(i64, chrono::NaiveDate), Error> {
    let owner = q.owner.trim().parse::<i64>().ok().or(ctx.org_id).ok_or(Error::NotFound)?;
    let date = if q.date.trim().is_empty() {
        crate::service::work_orders::today_jst()
    } else {
        tabane_calendar::parse_date(&q.date)
            .map_err(|e| Error::invalid("date", "日付", "Date", e.message_ja(), e.message_en()))?
    };
    Ok((owner, date))
}

pub async fn diary(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(q): Query<DiaryQuery>,
) -> AppResult<tabane_web::views::Rendered> {
    let (owner, date) = diary_args(&i.ctx, &q)?;
    let d = patrols::diary(&st.db, &i.ctx, owner, date).await?;
    Ok(render(&DiaryPage {
        chrome: page.chrome(),
        l: L { en: page.lang.is_en() },
        d,
        owners: super::owner_choices(&st, &i.ctx).await?,
    }))
}

pub const DIARY_HEADERS: &[&str] = &[
    "日付",
    "パトロール",
    "開始",
    "終了",
    "天候",
    "車両",
    "従事者",
    "路線",
    "発見時刻",
    "区分",
    "内容",
    "緊急度",
    "位置",
    "作業番号",
];

pub async fn diary_export(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<DiaryQuery>,
) -> AppResult<Response> {
    let (owner, date) = diary_args(&i.ctx, &q)?;
    let d = patrols::diary(&st.db, &i.ctx, owner, date).await?;
    let mut rows = Vec::new();
    for p in &d.patrols {
        let head = |c: &Option<String>| c.clone().map(Cell::Text).unwrap_or(Cell::Empty);
        let base = vec![
            Cell::Date(d.date),
            Cell::Text(p.org_name.clone()),
            head(&p.patrol.start_time),
            head(&p.patrol.end_time),
            head(&p.patrol.weather),
            head(&p.patrol.vehicle),
            head(&p.patrol.staff),
            head(&p.patrol.routes),
        ];
        if p.findings.is_empty() {
            let mut r = base.clone();
            r.extend([Cell::Empty, Cell::Text("異常なし".into()), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
            rows.push(r);
        }
        for f in &p.findings {
            let mut r = base.clone();
            r.extend([
                head(&f.found_time),
                Cell::Text(f.category.clone()),
                Cell::Text(f.description.clone()),
                Cell::Text(crate::domain::Urgency::parse(&f.urgency).map(|u| u.label_ja()).unwrap_or("").into()),
                match (f.lat, f.lon) {
                    (Some(a), Some(b)) => Cell::Text(format!("{a:.5}, {b:.5}")),
                    _ => head(&f.address),
                },
                f.work_order_id.map(Cell::Int).unwrap_or(Cell::Empty),
            ]);
            rows.push(r);
        }
    }
    file_response(
        fmt.or(ExportFormat::CsvUtf8),
        &format!("patrol-diary-{}-{}", d.owner_org_id, d.date),
        "道路パトロール日誌",
        DIARY_HEADERS,
        rows,
    )
}

// JSON

pub async fn api_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
) -> AppResult<Json<Vec<crate::entities::patrol::Model>>> {
    Ok(Json(patrols::list(&st.db, &i.ctx, 500).await?))
}
pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<PatrolForm>,
) -> AppResult<Created<crate::entities::patrol::Model>> {
    Ok(Created(patrols::create(&st.db, &i.ctx, &f).await?))
}
pub async fn api_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Json<PatrolView>> {
    Ok(Json(patrols::view(&st.db, &i.ctx, id).await?))
}
pub async fn api_add_finding(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<FindingForm>,
) -> AppResult<Created<crate::entities::patrol_finding::Model>> {
    Ok(Created(patrols::add_finding(&st.db, &i.ctx, id, &f).await?))
}
pub async fn api_to_work_order(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path((id, fid)): Path<(i64, i64)>,
) -> AppResult<Created<WorkOrderId>> {
    let work_order_id = patrols::finding_to_work_order(&st.db, &i.ctx, id, fid).await?;
    Ok(Created(WorkOrderId { work_order_id }))
}

/// The work order a finding became.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct WorkOrderId {
    pub work_order_id: i64,
}
pub async fn api_diary(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<DiaryQuery>,
) -> AppResult<Json<Diary>> {
    let (owner, date) = diary_args(&i.ctx, &q)?;
    Ok(Json(patrols::diary(&st.db, &i.ctx, owner, date).await?))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/patrols", Tenant, "infra", "パトロール一覧と記録", list),
        route!(post, "/infra/patrols", Tenant, "infra", "パトロールの記録", create),
        route!(get, "/infra/patrols/{id}", Tenant, "infra", "パトロールの詳細と発見事項", show),
        route!(post, "/infra/patrols/{id}/findings", Tenant, "infra", "発見事項の記録", add_finding),
        route!(
            post,
            "/infra/patrols/{id}/findings/{finding_id}/work-order",
            Tenant,
            "infra",
            "発見事項を作業にする",
            to_work_order
        ),
        route!(get, "/infra/patrol-diary", Tenant, "infra", "道路パトロール日誌（管理者別・日別、印刷用）", diary),
        route!(get, "/infra/patrol-diary/export", Tenant, "infra", "道路パトロール日誌の書き出し", diary_export),
        api_route!(get, "/api/infra/patrols", Tenant, "infra", "パトロール一覧", api_list),
        api_route!(post, "/api/infra/patrols", Tenant, "infra", "パトロールの記録", api_create),
        api_route!(get, "/api/infra/patrols/{id}", Tenant, "infra", "パトロールの詳細", api_get),
        api_route!(post, "/api/infra/patrols/{id}/findings", Tenant, "infra", "発見事項の記録", api_add_finding),
        api_route!(
            post,
            "/api/infra/patrols/{id}/findings/{finding_id}/work-order",
            Tenant,
            "infra",
            "発見事項を作業にする",
            api_to_work_order
        ),
        api_route!(get, "/api/infra/patrol-diary", Tenant, "infra", "道路パトロール日誌", api_diary),
    ]
}
