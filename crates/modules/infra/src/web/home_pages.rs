//! 群マネの概要（地図と作業の件数）and its map data.

use super::cached;
use super::views::L;
use super::{l, owner_choices};
use crate::service::assets::{self, AssetFilter};
use crate::service::map::{FeatureCollection, MapFilter};
use crate::service::work_orders::{self, WorkOrderFilter};
use askama::Template;
use axum::extract::{Query, RawQuery, State};
use tabane_core::entities::organisation;
use tabane_web::api::describe::JsonBytes;
use tabane_web::error::AppResult;
use tabane_web::middleware::{Auth, Page, Revs};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

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

pub async fn api_map(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    revs: Revs,
    RawQuery(q): RawQuery,
    Query(f): Query<MapFilter>,
) -> AppResult<JsonBytes<FeatureCollection>> {
    Ok(cached::map_json(&st, &i.ctx, revs, q.as_deref().unwrap_or(""), &f).await?)
}

#[derive(Template)]
#[template(path = "infra/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub l: L,
    pub tile_url: String,
    pub open_count: u64,
    pub overdue_count: u64,
    pub asset_count: u64,
    pub owners: Vec<organisation::Model>,
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra", Tenant, "infra", "群マネ（地図と作業の概要）", home),
        api_route!(get, "/api/infra/map", Tenant, "infra", "地図用 GeoJSON（施設と作業）", api_map),
    ]
}
