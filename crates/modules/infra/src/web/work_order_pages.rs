//! 作業 (work orders): list, intake, the steps, split and photos; HTML and JSON.

use super::cached;
use super::views::L;
use super::{l, owner_choices};
use crate::domain::Action;
use crate::entities::{work_order as wo, work_order_photo};
use crate::service::access;
use crate::service::work_orders::{self, NewWorkOrder, StepForm, WorkOrderFilter, WorkOrderRow, WorkOrderView};
use askama::Template;
use axum::extract::{Multipart, Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use tabane_core::entities::organisation;
use tabane_core::error::FieldProblem;
use tabane_core::service::Page as ListPage;
use tabane_core::{Ctx, Error};
use tabane_web::api::describe::{Created, FilePart, JsonBytes, Upload};
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::{Auth, Page, Revs};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

pub async fn orders_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(f): Query<WorkOrderFilter>,
) -> AppResult<tabane_web::views::Rendered> {
    let p = work_orders::list(&st.db, &i.ctx, &f, 100).await?;
    Ok(render(&OrdersPage {
        chrome: page.chrome(),
        l: l(&page),
        page: p,
        status: f.status.unwrap_or_default(),
        overdue: f.overdue.is_some_and(|v| !v.is_empty()),
        owners: owner_choices(&st, &i.ctx).await?,
        problems: vec![],
        form: NewWorkOrder { urgency: "normal".into(), ..Default::default() },
    }))
}

pub async fn order_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(form): Form<NewWorkOrder>,
) -> AppResult<Response> {
    match work_orders::create(&st.db, &i.ctx, &form).await {
        Ok(w) => Ok(Redirect::to(&format!("/infra/work-orders/{}", w.id)).into_response()),
        Err(Error::Invalid(problems)) => {
            let p = work_orders::list(&st.db, &i.ctx, &WorkOrderFilter::default(), 100).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&OrdersPage {
                    chrome: page.chrome(),
                    l: l(&page),
                    page: p,
                    status: String::new(),
                    overdue: false,
                    owners: owner_choices(&st, &i.ctx).await?,
                    problems,
                    form,
                }),
            )
                .into_response())
        }
        Err(e) => Err(AppError(e)),
    }
}

async fn order_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    problems: Vec<tabane_core::error::FieldProblem>,
    message: Option<String>,
) -> AppResult<Response> {
    order_page_with(st, page, ctx, Revs(None), id, problems, message).await
}

async fn order_page_with(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    revs: Revs,
    id: i64,
    problems: Vec<tabane_core::error::FieldProblem>,
    message: Option<String>,
) -> AppResult<Response> {
    let v = super::cached::order_view(st, ctx, revs, id).await?;
    // The view's order carries the owner and contractor ids the side needs (masking clears only costs).
    let side = access::side(ctx, &v.order);
    let can_photo = side != crate::domain::Side::Other && v.status.is_open();
    let can_split = crate::domain::can_split(v.status, side);
    let split_targets = if can_split {
        let view = tabane_core::service::bundles::get(&st.db, ctx, v.order.bundle_id).await?;
        view.members
            .into_iter()
            .filter(|m| m.role == tabane_core::domain::BundleRole::Owner && m.org_id != v.order.owner_org_id)
            .map(|m| (m.org_id, m.org_name))
            .collect()
    } else {
        vec![]
    };
    let status =
        if problems.is_empty() && message.is_none() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        render(&OrderPage { chrome: page.chrome(), l: l(page), v, problems, message, can_photo, split_targets }),
    )
        .into_response())
}

pub async fn order_show(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    revs: Revs,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    order_page_with(&st, &page, &i.ctx, revs, id, vec![], None).await
}

pub async fn order_step(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    match work_orders::step(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/infra/work-orders/{id}")).into_response()),
        Err(Error::Invalid(problems)) => order_page(&st, &page, &i.ctx, id, problems, None).await,
        Err(e @ (Error::Forbidden(_) | Error::Conflict(_))) => {
            order_page(&st, &page, &i.ctx, id, vec![], Some(e.message(page.lang.is_en()))).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn order_split(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<work_orders::SplitForm>,
) -> AppResult<Response> {
    match work_orders::split(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/infra/work-orders/{id}")).into_response()),
        Err(Error::Invalid(problems)) => order_page(&st, &page, &i.ctx, id, problems, None).await,
        Err(e @ (Error::Forbidden(_) | Error::Conflict(_))) => {
            order_page(&st, &page, &i.ctx, id, vec![], Some(e.message(page.lang.is_en()))).await
        }
        Err(e) => Err(AppError(e)),
    }
}

/// The parts of a photo upload (`read_photo`), for the API's description.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct PhotoParts {
    file: FilePart,
    /// `before` (着手前), `during` (施工中), `after` (完了) or `document` (関係資料).
    phase: Option<String>,
    caption: Option<String>,
}

/// Reads a photo upload: `file`, `phase`, `caption`.
pub async fn read_photo(mut mp: Multipart) -> Result<(String, String, String, Vec<u8>), Error> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        Error::invalid("file", "写真", "Photo", format!("を読み取れません: {e}"), format!("could not be read: {e}"))
    };
    let (mut phase, mut caption, mut file) = (String::new(), String::new(), None);
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("photo").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            Some("phase") => phase = field.text().await.unwrap_or_default(),
            Some("caption") => caption = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| Error::invalid("file", "写真", "Photo", "を選んでください", "is required"))?;
    Ok((phase, caption, name, bytes))
}

pub async fn order_photo(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let result = match read_photo(mp).await {
        Ok((phase, caption, name, bytes)) => {
            work_orders::add_photo(&st.db, &st.files, &i.ctx, id, &phase, &caption, &name, &bytes).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/infra/work-orders/{id}")).into_response()),
        Err(Error::Invalid(problems)) => order_page(&st, &page, &i.ctx, id, problems, None).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_orders_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    revs: Revs,
    RawQuery(q): RawQuery,
    Query(f): Query<WorkOrderFilter>,
) -> AppResult<JsonBytes<ListPage<WorkOrderRow>>> {
    Ok(cached::list_json(&st, &i.ctx, revs, q.as_deref().unwrap_or(""), &f, 200).await?)
}

pub async fn api_order_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<NewWorkOrder>,
) -> AppResult<Created<wo::Model>> {
    Ok(Created(work_orders::create(&st.db, &i.ctx, &f).await?))
}

pub async fn api_order_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    revs: Revs,
    Path(id): Path<i64>,
) -> AppResult<Json<WorkOrderView>> {
    Ok(Json(cached::order_view(&st, &i.ctx, revs, id).await?))
}

pub async fn api_order_step(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StepForm>,
) -> AppResult<Json<WorkOrderView>> {
    work_orders::step(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(work_orders::view(&st.db, &i.ctx, id).await?))
}

pub async fn api_order_split(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<work_orders::SplitForm>,
) -> AppResult<Created<wo::Model>> {
    Ok(Created(work_orders::split(&st.db, &i.ctx, id, &f).await?))
}

pub async fn api_order_photo(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Upload(mp, _): Upload<PhotoParts>,
) -> AppResult<Created<work_order_photo::Model>> {
    let (phase, caption, name, bytes) = read_photo(mp).await?;
    Ok(Created(work_orders::add_photo(&st.db, &st.files, &i.ctx, id, &phase, &caption, &name, &bytes).await?))
}

#[derive(Template)]
#[template(path = "infra/orders.html")]
pub struct OrdersPage {
    pub chrome: Chrome,
    pub l: L,
    pub page: ListPage<WorkOrderRow>,
    pub status: String,
    pub overdue: bool,
    pub owners: Vec<organisation::Model>,
    pub problems: Vec<FieldProblem>,
    pub form: crate::service::work_orders::NewWorkOrder,
}

#[derive(Template)]
#[template(path = "infra/order.html")]
pub struct OrderPage {
    pub chrome: Chrome,
    pub l: L,
    pub v: WorkOrderView,
    pub problems: Vec<FieldProblem>,
    pub message: Option<String>,
    pub can_photo: bool,
    /// Other owners of the bundle this job can be split with (empty when it cannot be split).
    pub split_targets: Vec<(i64, String)>,
}

impl OrderPage {
    pub fn can(&self, a: &str) -> bool {
        self.v.allowed.iter().any(|x| x.key() == a)
    }
    pub fn action_label(&self, a: &Action) -> &'static str {
        a.label(self.l.en)
    }
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/work-orders", Tenant, "infra", "作業一覧（期限超過を含む）", orders_list),
        route!(post, "/infra/work-orders", Tenant, "infra", "作業の受付", order_create),
        route!(get, "/infra/work-orders/{id}", Tenant, "infra", "作業の詳細", order_show),
        route!(
            post,
            "/infra/work-orders/{id}/step",
            Tenant,
            "infra",
            "作業の操作（指示・着手・報告・差戻し・履行確認・取消・回送）",
            order_step
        ),
        route!(
            post,
            "/infra/work-orders/{id}/split",
            Tenant,
            "infra",
            "作業の分割（2管理者にまたがる作業の按分）",
            order_split
        ),
        api_route!(
            post,
            "/api/infra/work-orders/{id}/split",
            Tenant,
            "infra",
            "作業の分割（other_owner_org_id, share_percent）",
            api_order_split
        ),
        route!(post, "/infra/work-orders/{id}/photos", Tenant, "infra", "作業写真の登録", order_photo),
        api_route!(get, "/api/infra/work-orders", Tenant, "infra", "作業一覧", api_orders_list),
        api_route!(post, "/api/infra/work-orders", Tenant, "infra", "作業の受付", api_order_create),
        api_route!(
            get,
            "/api/infra/work-orders/{id}",
            Tenant,
            "infra",
            "作業の詳細（経過・写真・可能な操作）",
            api_order_get
        ),
        api_route!(post, "/api/infra/work-orders/{id}/step", Tenant, "infra", "作業の操作", api_order_step),
        api_route!(
            post,
            "/api/infra/work-orders/{id}/photos",
            Tenant,
            "infra",
            "作業写真の登録（multipart: file, phase, caption）",
            api_order_photo
        ),
    ]
}
