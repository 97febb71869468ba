//! 地図 (map data): assets and work orders as a GeoJSON FeatureCollection for Leaflet.

use super::{access, work_orders};
use crate::domain::{AssetKind, Status, Urgency};
use crate::entities::{asset, inspection, work_order as wo};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use tabane_core::{Ctx, Result};

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
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
    /// "0" asks for every feature (up to [`MAX_FEATURES`]) instead of clusters.
    pub cluster: Option<String>,
    /// Cluster grid "columns,rows" (the map sends about one cell per 64 pixels); default
    /// [`GRID`]×[`GRID`], each at most [`MAX_GRID`].
    pub grid: Option<String>,
}

impl MapFilter {
    fn grid(&self) -> Grid {
        let v: Vec<usize> =
            self.grid.as_deref().unwrap_or("").split(',').filter_map(|x| x.trim().parse().ok()).collect();
        match v.as_slice() {
            [c, r] => Grid { cols: (*c).clamp(1, MAX_GRID), rows: (*r).clamp(1, MAX_GRID) },
            _ => Grid::default(),
        }
    }

    /// Clusters are used unless turned off, or the viewport is a street corner (zoom 18 and
    /// closer), where many records at one spot must still be reachable one by one.
    fn clusters(&self, bbox: Option<(f64, f64, f64, f64)>) -> bool {
        if bbox.is_some_and(|(x0, y0, x1, y1)| x1 - x0 < MIN_CLUSTER_SPAN && y1 - y0 < MIN_CLUSTER_SPAN) {
            return false;
        }
        !matches!(self.cluster.as_deref().map(str::trim), Some("0" | "false" | "no"))
    }
}

/// At most this many features per layer in one answer when clusters are turned off.
pub const MAX_FEATURES: u64 = 5000;

/// 集約 (clustering): a layer with more matches than this in the viewport is answered as
/// counts on a [`GRID`]×[`GRID`] grid instead of one marker per record. A hundred thousand
/// markers help nobody and would make every answer megabytes; the map zooms into a cluster
/// when it is clicked, and asks again for the new viewport.
pub const CLUSTER_ABOVE: u64 = 500;
pub const GRID: usize = 16;
pub const MAX_GRID: usize = 32;
/// A viewport narrower than this (degrees, both ways) is never clustered.
pub const MIN_CLUSTER_SPAN: f64 = 0.006;

/// The cluster grid: columns (longitude) × rows (latitude) over the viewport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub cols: usize,
    pub rows: usize,
}

impl Default for Grid {
    fn default() -> Self {
        Grid { cols: GRID, rows: GRID }
    }
}

fn parse_bbox(s: &str) -> Option<(f64, f64, f64, f64)> {
    let v: Vec<f64> = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    (v.len() == 4 && v[0] <= v[2] && v[1] <= v[3]).then(|| (v[0], v[1], v[2], v[3]))
}

/// A GeoJSON `FeatureCollection` of points.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub features: Vec<Feature>,
}

/// A GeoJSON `Feature`: a point and what it shows.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Feature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub geometry: PointGeometry,
    pub properties: Properties,
}

/// A GeoJSON `Point`: `[longitude, latitude]`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PointGeometry {
    /// Always `Point`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub coordinates: [f64; 2],
}

impl Feature {
    fn point(lon: f64, lat: f64, properties: Properties) -> Self {
        Feature { kind: "Feature", geometry: PointGeometry { kind: "Point", coordinates: [lon, lat] }, properties }
    }
}

/// What a feature is, by `layer`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum Properties {
    /// 施設: the newest confirmed 健全性 colours it.
    Asset { id: i64, name: String, kind: &'static str, owner_org_id: i64, grade: Option<i32>, url: String },
    /// 作業指示: `name` is its category.
    WorkOrder {
        id: i64,
        name: String,
        owner: String,
        status: &'static str,
        urgency: &'static str,
        open: bool,
        overdue: bool,
        url: String,
    },
    /// 集約: the records of one grid cell; `of` is the layer they belong to, `bounds` their extent
    /// `[minLon, minLat, maxLon, maxLat]`.
    Cluster { of: String, count: u64, open: u64, overdue: u64, bounds: [f64; 4] },
}

pub async fn features<D: ConnectionTrait>(db: &D, ctx: &Ctx, f: &MapFilter) -> Result<FeatureCollection> {
    let mut out = Vec::new();
    let layer = f.layer.as_deref().unwrap_or("");
    let bbox = f.bbox.as_deref().and_then(parse_bbox);
    if layer != "orders" {
        out.extend(asset_features(db, ctx, f, bbox).await?);
    }
    if layer != "assets" {
        out.extend(order_features(db, ctx, f, bbox).await?);
    }
    Ok(FeatureCollection { kind: "FeatureCollection", features: out })
}

async fn asset_features<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &MapFilter,
    bbox: Option<(f64, f64, f64, f64)>,
) -> Result<Vec<Feature>> {
    let mut q = asset::Entity::find().filter(asset::Column::Lat.is_not_null()).filter(asset::Column::Lon.is_not_null());
    if let Some((x0, y0, x1, y1)) = bbox {
        q = q.filter(asset::Column::Lat.between(y0, y1)).filter(asset::Column::Lon.between(x0, x1));
    }
    if let Some(ids) = access::visible_owner_ids(db, ctx).await? {
        q = q.filter(asset::Column::OwnerOrgId.is_in(ids));
    }
    if let Some(o) = f.owner {
        q = q.filter(asset::Column::OwnerOrgId.eq(o));
    }
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        q = q.filter(asset::Column::Kind.eq(k));
    }
    if f.clusters(bbox) && q.clone().count(db).await? > CLUSTER_ABOVE {
        let rows: Vec<(Option<f64>, Option<f64>)> =
            q.select_only().columns([asset::Column::Lat, asset::Column::Lon]).into_tuple().all(db).await?;
        let points: Vec<Point> = rows
            .into_iter()
            .filter_map(|(lat, lon)| Some(Point { lat: lat?, lon: lon?, open: false, overdue: false }))
            .collect();
        return Ok(cluster(&points, bbox, f.grid(), "asset"));
    }
    let assets = q.limit(MAX_FEATURES).all(db).await?;
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
    Ok(assets
        .into_iter()
        .filter_map(|a| {
            let (lat, lon) = (a.lat?, a.lon?);
            let properties = Properties::Asset {
                id: a.id,
                kind: AssetKind::parse(&a.kind).map(|k| k.label_ja()).unwrap_or(""),
                owner_org_id: a.owner_org_id,
                grade: grades.get(&a.id).copied().flatten(),
                url: format!("/infra/assets/{}", a.id),
                name: a.name,
            };
            Some(Feature::point(lon, lat, properties))
        })
        .collect())
}

async fn order_features<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &MapFilter,
    bbox: Option<(f64, f64, f64, f64)>,
) -> Result<Vec<Feature>> {
    let date = |s: &Option<String>| {
        s.as_deref().filter(|x| !x.trim().is_empty()).and_then(|x| tabane_calendar::parse_date(x).ok())
    };
    let filter = work_orders::WorkOrderFilter {
        status: f.status.clone(),
        urgency: f.urgency.clone(),
        owner: f.owner,
        overdue: None,
        open: None,
        page: Some(1),
        category: f.category.clone(),
        from: date(&f.from),
        to: date(&f.to),
        bbox,
    };
    if f.clusters(bbox) {
        let located = work_orders::filtered(db, ctx, &filter)
            .await?
            .filter(wo::Column::Lat.is_not_null())
            .filter(wo::Column::Lon.is_not_null());
        if located.clone().count(db).await? > CLUSTER_ABOVE {
            let rows: Vec<OrderRow> = located.select_only().columns(ORDER_POINT_COLUMNS).into_tuple().all(db).await?;
            let points = order_points(rows, work_orders::today_jst());
            return Ok(cluster(&points, bbox, f.grid(), "work_order"));
        }
    }
    let page = work_orders::list_with(db, ctx, &filter, MAX_FEATURES, false).await?;
    Ok(page
        .items
        .into_iter()
        .filter_map(|r| {
            let (lat, lon) = (r.order.lat?, r.order.lon?);
            let status = Status::parse(&r.order.status);
            let properties = Properties::WorkOrder {
                id: r.order.id,
                owner: r.owner_name,
                status: status.map(|s| s.label_ja()).unwrap_or(""),
                urgency: Urgency::parse(&r.order.urgency).map(|u| u.label_ja()).unwrap_or(""),
                open: status.is_some_and(|s| s.is_open()),
                overdue: r.overdue,
                url: format!("/infra/work-orders/{}", r.order.id),
                name: r.order.category,
            };
            Some(Feature::point(lon, lat, properties))
        })
        .collect())
}

/// The columns a job's cluster point is read from, in [`OrderRow`] order.
pub const ORDER_POINT_COLUMNS: [wo::Column; 4] =
    [wo::Column::Lat, wo::Column::Lon, wo::Column::Status, wo::Column::DueOn];
/// Latitude, longitude, status and response deadline of a job.
pub type OrderRow = (Option<f64>, Option<f64>, String, Option<NaiveDate>);

/// The cluster points of located jobs (open, overdue as of `today`).
pub fn order_points(rows: Vec<OrderRow>, today: NaiveDate) -> Vec<Point> {
    rows.into_iter()
        .filter_map(|(lat, lon, status, due)| {
            Some(Point {
                lat: lat?,
                lon: lon?,
                open: Status::parse(&status).is_some_and(|s| s.is_open()),
                overdue: work_orders::overdue(&status, due, today),
            })
        })
        .collect()
}

/// A located record, as far as a cluster needs it.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
    /// Work orders: not yet confirmed or closed.
    pub open: bool,
    /// Work orders: past the response deadline.
    pub overdue: bool,
}

/// Bins points on the grid over the viewport (or, without one, over the points'
/// extent). Each non-empty cell becomes one feature at its points' mean position, with the
/// count, the open and overdue counts and the bounds of its points (the map zooms there).
pub fn cluster(points: &[Point], bbox: Option<(f64, f64, f64, f64)>, grid: Grid, of: &str) -> Vec<Feature> {
    if points.is_empty() {
        return vec![];
    }
    let (x0, y0, x1, y1) = bbox.unwrap_or_else(|| {
        points.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |(a, b, c, d), p| {
            (a.min(p.lon), b.min(p.lat), c.max(p.lon), d.max(p.lat))
        })
    });
    let cell = |v: f64, lo: f64, hi: f64, n: usize| {
        if hi <= lo { 0 } else { (((v - lo) / (hi - lo) * n as f64).floor().max(0.0) as usize).min(n - 1) }
    };
    #[derive(Clone, Copy)]
    struct Acc {
        n: u64,
        open: u64,
        overdue: u64,
        lat: f64,
        lon: f64,
        bounds: (f64, f64, f64, f64),
    }
    let mut cells: Vec<Option<Acc>> = vec![None; grid.cols * grid.rows];
    for p in points {
        let i = cell(p.lat, y0, y1, grid.rows) * grid.cols + cell(p.lon, x0, x1, grid.cols);
        let a = cells[i].get_or_insert(Acc {
            n: 0,
            open: 0,
            overdue: 0,
            lat: 0.0,
            lon: 0.0,
            bounds: (p.lon, p.lat, p.lon, p.lat),
        });
        a.n += 1;
        a.open += u64::from(p.open);
        a.overdue += u64::from(p.overdue);
        a.lat += p.lat;
        a.lon += p.lon;
        a.bounds = (a.bounds.0.min(p.lon), a.bounds.1.min(p.lat), a.bounds.2.max(p.lon), a.bounds.3.max(p.lat));
    }
    cells
        .into_iter()
        .flatten()
        .map(|a| {
            let (lat, lon) = (a.lat / a.n as f64, a.lon / a.n as f64);
            let (count, open, overdue) = (a.n, a.open, a.overdue);
            let bounds = [a.bounds.0, a.bounds.1, a.bounds.2, a.bounds.3];
            Feature::point(lon, lat, Properties::Cluster { of: of.to_string(), count, open, overdue, bounds })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The clusters as the map receives them.
    fn cluster_json(points: &[Point], bbox: Option<(f64, f64, f64, f64)>, grid: Grid, of: &str) -> Vec<Value> {
        cluster(points, bbox, grid, of).iter().map(|f| serde_json::to_value(f).unwrap()).collect()
    }

    fn p(lat: f64, lon: f64) -> Point {
        Point { lat, lon, open: true, overdue: lat > 34.5 }
    }

    #[test]
    fn clusters_keep_every_point_once_and_stay_in_their_cells() {
        let pts: Vec<Point> =
            (0..1000).map(|i| p(34.0 + (i % 37) as f64 / 37.0, 138.0 + (i % 53) as f64 / 53.0)).collect();
        let cs = cluster_json(&pts, Some((138.0, 34.0, 139.0, 35.0)), Grid::default(), "work_order");
        assert!(cs.len() <= GRID * GRID);
        let total: u64 = cs.iter().map(|c| c["properties"]["count"].as_u64().unwrap()).sum();
        assert_eq!(total, 1000);
        let overdue: u64 = cs.iter().map(|c| c["properties"]["overdue"].as_u64().unwrap()).sum();
        assert_eq!(overdue, pts.iter().filter(|p| p.overdue).count() as u64);
        for c in &cs {
            let b: Vec<f64> =
                c["properties"]["bounds"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            let xy = c["geometry"]["coordinates"].as_array().unwrap();
            let (x, y) = (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap());
            assert!(b[0] <= x && x <= b[2] && b[1] <= y && y <= b[3], "the mean lies within the bounds");
            // A cell spans at most 1/GRID of the viewport.
            assert!(b[2] - b[0] <= 1.0 / GRID as f64 + 1e-9 && b[3] - b[1] <= 1.0 / GRID as f64 + 1e-9);
        }
    }

    #[test]
    fn points_on_the_far_edge_and_without_a_viewport_are_binned() {
        let pts = [p(35.0, 139.0), p(34.0, 138.0), p(34.0, 138.0)];
        let cs = cluster_json(&pts, Some((138.0, 34.0, 139.0, 35.0)), Grid::default(), "asset");
        assert_eq!(cs.len(), 2);
        let same = cluster_json(&[p(34.2, 138.2), p(34.2, 138.2)], None, Grid::default(), "asset");
        assert_eq!(same.len(), 1);
        assert_eq!(same[0]["properties"]["count"], 2);
        assert!(cluster_json(&[], None, Grid::default(), "asset").is_empty());
        // A 4 × 2 grid: at most eight cells, each a quarter wide and half high.
        let pts: Vec<Point> =
            (0..400).map(|i| p(34.0 + (i % 20) as f64 / 20.0, 138.0 + (i / 20) as f64 / 20.0)).collect();
        let cs = cluster_json(&pts, Some((138.0, 34.0, 139.0, 35.0)), Grid { cols: 4, rows: 2 }, "asset");
        assert_eq!(cs.len(), 8);
        assert_eq!(cs.iter().map(|c| c["properties"]["count"].as_u64().unwrap()).sum::<u64>(), 400);
    }
}
