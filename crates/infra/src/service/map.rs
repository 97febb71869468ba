//! 地図 (map data): assets and work orders as a GeoJSON FeatureCollection for Leaflet.

use super::{access, work_orders};
use crate::domain::{AssetKind, Status, Urgency};
use crate::entities::{asset, inspection};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Deserialize;
use serde_json::{Value, json};
use tabane_core::{Ctx, Result};

#[derive(Clone, Debug, Default, Deserialize)]
pub struct MapFilter {
    pub owner: Option<i64>,
    pub status: Option<String>,
    pub urgency: Option<String>,
    /// "assets", "orders" or empty for both.
    pub layer: Option<String>,
    /// Work-order category (contains).
    pub category: Option<String>,
    /// Received on or after / before (YYYY-MM-DD or 和暦).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Viewport "minLon,minLat,maxLon,maxLat": the map asks only for what it shows.
    pub bbox: Option<String>,
    /// Asset kind key (e.g. "bridge").
    pub kind: Option<String>,
}

/// At most this many features per layer in one answer; the map asks again when zoomed in.
pub const MAX_FEATURES: u64 = 5000;

fn parse_bbox(s: &str) -> Option<(f64, f64, f64, f64)> {
    let v: Vec<f64> = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    (v.len() == 4 && v[0] <= v[2] && v[1] <= v[3]).then(|| (v[0], v[1], v[2], v[3]))
}

pub async fn features<D: ConnectionTrait>(db: &D, ctx: &Ctx, f: &MapFilter) -> Result<Value> {
    let mut out = Vec::new();
    let layer = f.layer.as_deref().unwrap_or("");
    let bbox = f.bbox.as_deref().and_then(parse_bbox);
    if layer != "orders" {
        let mut q = asset::Entity::find().filter(asset::Column::Lat.is_not_null());
        if let Some((x0, y0, x1, y1)) = bbox {
            q = q.filter(asset::Column::Lat.between(y0, y1)).filter(asset::Column::Lon.between(x0, x1));
        }
        q = q.limit(MAX_FEATURES);
        if let Some(ids) = access::visible_owner_ids(db, ctx).await? {
            q = q.filter(asset::Column::OwnerOrgId.is_in(ids));
        }
        if let Some(o) = f.owner {
            q = q.filter(asset::Column::OwnerOrgId.eq(o));
        }
        if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
            q = q.filter(asset::Column::Kind.eq(k));
        }
        let assets = q.all(db).await?;
        // 健全性 of the newest confirmed inspection, for colouring by grade.
        let mut grades = std::collections::HashMap::new();
        for chunk in assets.chunks(500) {
            let rows: Vec<(i64, Option<i32>)> = inspection::Entity::find()
                .select_only()
                .columns([inspection::Column::AssetId, inspection::Column::Grade])
                .filter(inspection::Column::IsLatest.eq(true))
                .filter(inspection::Column::AssetId.is_in(chunk.iter().map(|a| a.id)))
                .into_tuple()
                .all(db)
                .await?;
            grades.extend(rows);
        }
        for a in assets {
            let (Some(lat), Some(lon)) = (a.lat, a.lon) else { continue };
            out.push(json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": { "layer": "asset", "id": a.id, "name": a.name, "kind": AssetKind::parse(&a.kind).map(|k| k.label_ja()).unwrap_or(""), "owner_org_id": a.owner_org_id, "grade": grades.get(&a.id).copied().flatten(), "url": format!("/infra/assets/{}", a.id) }
            }));
        }
    }
    if layer != "assets" {
        let date = |s: &Option<String>| s.as_deref().filter(|x| !x.trim().is_empty()).and_then(|x| tabane_calendar::parse_date(x).ok());
        let filter = work_orders::WorkOrderFilter {
            status: f.status.clone(), urgency: f.urgency.clone(), owner: f.owner, overdue: None, open: None, page: Some(1),
            category: f.category.clone(), from: date(&f.from), to: date(&f.to), bbox,
        };
        let page = work_orders::list_with(db, ctx, &filter, MAX_FEATURES, false).await?;
        for r in page.items {
            let (Some(lat), Some(lon)) = (r.order.lat, r.order.lon) else { continue };
            out.push(json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": {
                    "layer": "work_order", "id": r.order.id, "name": r.order.category, "owner": r.owner_name,
                    "status": Status::parse(&r.order.status).map(|s| s.label_ja()).unwrap_or(""),
                    "urgency": Urgency::parse(&r.order.urgency).map(|u| u.label_ja()).unwrap_or(""),
                    "open": Status::parse(&r.order.status).is_some_and(|s| s.is_open()), "overdue": r.overdue,
                    "url": format!("/infra/work-orders/{}", r.order.id)
                }
            }));
        }
    }
    Ok(json!({ "type": "FeatureCollection", "features": out }))
}
