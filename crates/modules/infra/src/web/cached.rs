//! The busy reads of 群マネ kept in the read cache: the work-order list and the map data as
//! JSON bytes, a work-order view as built. An answer is filed under everything it depends on:
//! the actor (user, acting organisation, role, bundle, administrator or not), the request's
//! query, today's date (overdue flags, the contract in force) and the revision counters read at
//! the start of the request (the cache keeps answers of the current counters only), so any
//! write anywhere makes the next read go to the database.
//!
//! A view that shows a resident's identity is never cached: every such read is audited.

use crate::service::map::{self, MapFilter};
use crate::service::work_orders::{self, WorkOrderFilter, WorkOrderRow, WorkOrderView, today_jst};
use std::sync::Arc;
use tabane_core::service::Page as ListPage;
use tabane_core::{Ctx, Result};
use tabane_web::api::describe::JsonBytes;
use tabane_web::middleware::Revs;
use tabane_web::state::Shared;

/// The key of one answer for this actor (the cache itself holds answers of the current
/// revision counters only).
fn key(kind: &str, ctx: &Ctx, rest: &str) -> String {
    format!(
        "infra.{kind}|u{:?}|o{:?}|r{:?}|b{:?}|s{}|{}|{rest}",
        ctx.user_id,
        ctx.org_id,
        ctx.role.map(|r| r.key()),
        ctx.bundle_id,
        ctx.system_admin,
        today_jst()
    )
}

/// The answer serialized once and kept as bytes, typed by what it was serialized from.
/// `None` counters (no read cache for this request) always load.
async fn json_bytes<T, F>(st: &Shared, revs: Revs, key: String, load: F) -> Result<JsonBytes<T>>
where
    T: serde::Serialize + 'static,
    F: AsyncFnOnce() -> Result<T>,
{
    let to_json = |v: &T| JsonBytes::of(v).map_err(|e| tabane_core::Error::from(anyhow::Error::from(e)));
    match revs.0 {
        Some(r) => {
            let loaded = async || {
                let b = to_json(&load().await?)?;
                let n = b.len();
                Ok((b, n))
            };
            Ok(JsonBytes::cached(&*st.caches.reads.get_or_load(&r, key, loaded).await?))
        }
        None => to_json(&load().await?),
    }
}

/// `GET /api/infra/work-orders`: one page of the list.
pub async fn list_json(
    st: &Shared,
    ctx: &Ctx,
    revs: Revs,
    query: &str,
    f: &WorkOrderFilter,
    per_page: u64,
) -> Result<JsonBytes<ListPage<WorkOrderRow>>> {
    json_bytes(st, revs, key("list", ctx, &format!("{per_page}|{query}")), async || {
        work_orders::list(&st.db, ctx, f, per_page).await
    })
    .await
}

/// `GET /api/infra/map`: the GeoJSON of the viewport.
pub async fn map_json(
    st: &Shared,
    ctx: &Ctx,
    revs: Revs,
    query: &str,
    f: &MapFilter,
) -> Result<JsonBytes<map::FeatureCollection>> {
    json_bytes(st, revs, key("map", ctx, query), async || map::features(&st.db, ctx, f).await).await
}

/// A work order as its page and `GET /api/infra/work-orders/{id}` show it.
pub async fn order_view(st: &Shared, ctx: &Ctx, revs: Revs, id: i64) -> Result<WorkOrderView> {
    let key = key("order", ctx, &id.to_string());
    let Some(r) = revs.0 else { return work_orders::view(&st.db, ctx, id).await };
    if let Some(hit) = st.caches.reads.get::<WorkOrderView>(&r, &key) {
        return Ok((*hit).clone());
    }
    let v = work_orders::view(&st.db, ctx, id).await?;
    // A view showing a resident's identity is never kept: each such read is audited.
    if v.reporter.is_none() {
        // About the size of its JSON: a few hundred bytes per event and photo.
        let bytes = 2048 + 512 * (v.events.len() + v.photos.len());
        st.caches.reads.put(&r, key, Arc::new(v.clone()), bytes);
    }
    Ok(v)
}
