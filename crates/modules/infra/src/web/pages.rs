//! 群マネ pages.

use super::views::{AssetPage, AssetsPage, HomePage, L, LedgerPage, OrderPage, OrdersPage};
use crate::service::assets::{self, AssetFilter, AssetForm};
use crate::service::work_orders::{self, NewWorkOrder, StepForm, WorkOrderFilter};
use crate::service::{access, ledger};
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tabane_core::entities::organisation;
use tabane_core::{Ctx, Error};
use tabane_tabular::Cell;
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::middleware::{Auth, Page, Revs};
use tabane_web::state::Shared;
use tabane_web::views::render;

fn l(page: &Page) -> L {
    L { en: page.lang.is_en() }
}

/// Organisations that may own jobs the actor can register (own organisation first).
pub(super) async fn owner_choices(st: &Shared, ctx: &Ctx) -> Result<Vec<organisation::Model>, Error> {
    let ids = access::visible_owner_ids(&st.db, ctx).await?.unwrap_or_default();
    let mut orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(ids)).all(&st.db).await?;
    orgs.retain(|o| matches!(o.kind.as_str(), "prefecture" | "municipality" | "union"));
    orgs.sort_by_key(|o| (Some(o.id) != ctx.org_id, o.id));
    Ok(orgs)
}

pub async fn home(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<tabane_web::views::Rendered> {
    let open =
        work_orders::list(&st.db, &i.ctx, &WorkOrderFilter { open: Some("1".into()), ..Default::default() }, 1).await?;
    let overdue =
        work_orders::list(&st.db, &i.ctx, &WorkOrderFilter { overdue: Some("1".into()), ..Default::default() }, 1)
            .await?;
    let assets = assets::list(&st.db, &i.ctx, &AssetFilter::default(), 1).await?;
    Ok(render(&HomePage {
        chrome: page.chrome(),
        l: l(&page),
        tile_url: st.cfg.tile_url.clone(),
        open_count: open.total,
        overdue_count: overdue.total,
        asset_count: assets.total,
        owners: owner_choices(&st, &i.ctx).await?,
    }))
}

pub async fn assets_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(f): Query<AssetFilter>,
) -> AppResult<tabane_web::views::Rendered> {
    let p = assets::list(&st.db, &i.ctx, &f, 100).await?;
    Ok(render(&AssetsPage {
        chrome: page.chrome(),
        l: l(&page),
        page: p,
        q: f.q.unwrap_or_default(),
        kind: f.kind.unwrap_or_default(),
        problems: vec![],
        form: AssetForm { kind: "bridge".into(), ..Default::default() },
    }))
}

pub async fn asset_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(form): Form<AssetForm>,
) -> AppResult<Response> {
    match assets::create(&st.db, &i.ctx, &form).await {
        Ok(a) => Ok(Redirect::to(&format!("/infra/assets/{}", a.id)).into_response()),
        Err(Error::Invalid(problems)) => {
            let p = assets::list(&st.db, &i.ctx, &AssetFilter::default(), 100).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&AssetsPage {
                    chrome: page.chrome(),
                    l: l(&page),
                    page: p,
                    q: String::new(),
                    kind: String::new(),
                    problems,
                    form,
                }),
            )
                .into_response())
        }
        Err(e) => Err(AppError(e)),
    }
}

fn form_of(a: &crate::entities::asset::Model) -> AssetForm {
    AssetForm {
        kind: a.kind.clone(),
        name: a.name.clone(),
        name_kana: a.name_kana.clone().unwrap_or_default(),
        route_name: a.route_name.clone().unwrap_or_default(),
        lat: a.lat.map(|v| v.to_string()).unwrap_or_default(),
        lon: a.lon.map(|v| v.to_string()).unwrap_or_default(),
        year_built: a.year_built.map(|v| v.to_string()).unwrap_or_default(),
        external_id: a.external_id.clone().unwrap_or_default(),
        attributes: a.attributes.clone().unwrap_or_default(),
        geometry: String::new(),
    }
}

async fn asset_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    form: Option<AssetForm>,
    problems: Vec<tabane_core::error::FieldProblem>,
) -> AppResult<Response> {
    let a = assets::get(&st.db, ctx, id).await?;
    let owner_name =
        organisation::Entity::find_by_id(a.owner_org_id).one(&st.db).await?.map(|o| o.name).unwrap_or_default();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let form = form.unwrap_or_else(|| form_of(&a));
    Ok((
        status,
        render(&AssetPage {
            chrome: page.chrome(),
            l: l(page),
            can_edit: access::can_write_asset(ctx, a.owner_org_id).is_ok(),
            asset: a,
            owner_name,
            form,
            problems,
        }),
    )
        .into_response())
}

pub async fn asset_show(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    asset_page(&st, &page, &i.ctx, id, None, vec![]).await
}

pub async fn asset_update(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(form): Form<AssetForm>,
) -> AppResult<Response> {
    match assets::update(&st.db, &i.ctx, id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/infra/assets/{id}")).into_response()),
        Err(Error::Invalid(problems)) => asset_page(&st, &page, &i.ctx, id, Some(form), problems).await,
        Err(e) => Err(AppError(e)),
    }
}

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

pub async fn ledger(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<tabane_web::views::Rendered> {
    let lg = ledger::for_acting_owner(&st.db, &i.ctx).await?;
    let owner_name = i.acting_org_name.clone().unwrap_or_default();
    Ok(render(&LedgerPage { chrome: page.chrome(), l: l(&page), ledger: lg, owner_name }))
}

pub async fn ledger_export(State(st): State<Shared>, Auth(i, _): Auth, fmt: Export) -> AppResult<Response> {
    let lg = ledger::for_acting_owner(&st.db, &i.ctx).await?;
    let rows = lg
        .lines
        .into_iter()
        .map(|x| {
            vec![
                Cell::Int(x.work_order_id),
                Cell::Text(x.confirmed_on),
                Cell::Text(x.category),
                Cell::Text(x.description),
                Cell::Int(x.cost_total),
            ]
        })
        .collect();
    file_response(
        fmt.or(ExportFormat::CsvUtf8),
        "infra-ledger",
        "管理者別台帳",
        &["作業番号", "履行確認日", "作業区分", "内容", "実費用（円）"],
        rows,
    )
}
