use super::cached;
use crate::entities::{asset, work_order as wo, work_order_photo};
use crate::service::assets::{self, AssetFilter, AssetForm};
use crate::service::ledger::{self, Ledger};
use crate::service::map::MapFilter;
use crate::service::work_orders::{self, NewWorkOrder, StepForm, WorkOrderFilter, WorkOrderView};
use axum::Json;
use axum::extract::{Multipart, Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use tabane_core::service::Page;
use tabane_web::error::AppResult;
use tabane_web::middleware::{Auth, Revs};
use tabane_web::state::Shared;

pub async fn assets_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(f): Query<AssetFilter>,
) -> AppResult<Json<Page<asset::Model>>> {
    Ok(Json(assets::list(&st.db, &i.ctx, &f, 200).await?))
}
pub async fn asset_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<AssetForm>,
) -> AppResult<(StatusCode, Json<asset::Model>)> {
    Ok((StatusCode::CREATED, Json(assets::create(&st.db, &i.ctx, &f).await?)))
}
pub async fn asset_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<asset::Model>> {
    Ok(Json(assets::get(&st.db, &i.ctx, id).await?))
}
pub async fn orders_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    revs: Revs,
    RawQuery(q): RawQuery,
    Query(f): Query<WorkOrderFilter>,
) -> AppResult<Response> {
    Ok(cached::list_json(&st, &i.ctx, revs, q.as_deref().unwrap_or(""), &f, 200).await?)
}
pub async fn order_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<NewWorkOrder>,
) -> AppResult<(StatusCode, Json<wo::Model>)> {
    Ok((StatusCode::CREATED, Json(work_orders::create(&st.db, &i.ctx, &f).await?)))
}
pub async fn order_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    revs: Revs,
    Path(id): Path<i64>,
) -> AppResult<Json<WorkOrderView>> {
    Ok(Json(cached::order_view(&st, &i.ctx, revs, id).await?))
}
pub async fn order_step(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StepForm>,
) -> AppResult<Json<WorkOrderView>> {
    work_orders::step(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(work_orders::view(&st.db, &i.ctx, id).await?))
}
pub async fn order_split(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<work_orders::SplitForm>,
) -> AppResult<(StatusCode, Json<wo::Model>)> {
    Ok((StatusCode::CREATED, Json(work_orders::split(&st.db, &i.ctx, id, &f).await?)))
}
pub async fn order_photo(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<(StatusCode, Json<work_order_photo::Model>)> {
    let (phase, caption, name, bytes) = super::pages::read_photo(mp).await?;
    Ok((
        StatusCode::CREATED,
        Json(work_orders::add_photo(&st.db, &st.files, &i.ctx, id, &phase, &caption, &name, &bytes).await?),
    ))
}
pub async fn ledger(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Ledger>> {
    Ok(Json(ledger::for_acting_owner(&st.db, &i.ctx).await?))
}
pub async fn map(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    revs: Revs,
    RawQuery(q): RawQuery,
    Query(f): Query<MapFilter>,
) -> AppResult<Response> {
    Ok(cached::map_json(&st, &i.ctx, revs, q.as_deref().unwrap_or(""), &f).await?)
}
