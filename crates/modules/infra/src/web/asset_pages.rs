//! 施設台帳 (asset register): list, register, show, update; HTML and JSON.

use super::l;
use super::views::L;
use crate::entities::asset;
use crate::service::access;
use crate::service::assets::{self, AssetFilter, AssetForm};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use sea_orm::EntityTrait;
use tabane_core::entities::organisation;
use tabane_core::error::FieldProblem;
use tabane_core::service::Page as ListPage;
use tabane_core::{Ctx, Error};
use tabane_web::api::describe::Created;
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

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

pub async fn api_assets_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(f): Query<AssetFilter>,
) -> AppResult<Json<ListPage<asset::Model>>> {
    Ok(Json(assets::list(&st.db, &i.ctx, &f, 200).await?))
}

pub async fn api_asset_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<AssetForm>,
) -> AppResult<Created<asset::Model>> {
    Ok(Created(assets::create(&st.db, &i.ctx, &f).await?))
}

pub async fn api_asset_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<asset::Model>> {
    Ok(Json(assets::get(&st.db, &i.ctx, id).await?))
}

#[derive(Template)]
#[template(path = "infra/assets.html")]
pub struct AssetsPage {
    pub chrome: Chrome,
    pub l: L,
    pub page: ListPage<asset::Model>,
    pub q: String,
    pub kind: String,
    pub problems: Vec<FieldProblem>,
    pub form: crate::service::assets::AssetForm,
}

#[derive(Template)]
#[template(path = "infra/asset.html")]
pub struct AssetPage {
    pub chrome: Chrome,
    pub l: L,
    pub asset: asset::Model,
    pub owner_name: String,
    pub can_edit: bool,
    pub form: crate::service::assets::AssetForm,
    pub problems: Vec<FieldProblem>,
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/assets", Tenant, "infra", "施設台帳", assets_list),
        route!(post, "/infra/assets", Tenant, "infra", "施設の登録", asset_create),
        route!(get, "/infra/assets/{id}", Tenant, "infra", "施設の詳細", asset_show),
        route!(post, "/infra/assets/{id}", Tenant, "infra", "施設の更新", asset_update),
        api_route!(get, "/api/infra/assets", Tenant, "infra", "施設台帳", api_assets_list),
        api_route!(post, "/api/infra/assets", Tenant, "infra", "施設の登録", api_asset_create),
        api_route!(get, "/api/infra/assets/{id}", Tenant, "infra", "施設の詳細", api_asset_get),
    ]
}
