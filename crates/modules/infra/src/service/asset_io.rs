//! 施設台帳の取り込み・書き出し (asset import and export): CSV (UTF-8 / CP932) and xlsx through
//! the platform importer, and GeoJSON. Every row is checked first (a streaming pass over a CSV);
//! one bad row writes nothing; then the rows are read again and written in bulk.
//! Imported assets belong to the acting organisation (an owner imports its own registry).

use super::{access, assets};
use crate::domain::AssetKind;
use crate::entities::asset;
use sea_orm::sea_query::Value as SqlValue;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityName, EntityTrait,
    IdenStatic, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};
use tabane_core::bulk::BulkTxn;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_tabular::{BoundRow, Cell, Column, FieldError, ImportReport, RowError, Schema, Source, Table};

pub static SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "kind", header_ja: "種類", header_en: "Kind", aliases: &["施設種別", "種別"], required: true
        },
        Column {
            key: "name", header_ja: "名称", header_en: "Name", aliases: &["施設名", "橋梁名"], required: true
        },
        Column {
            key: "name_kana",
            header_ja: "ふりがな",
            header_en: "Kana",
            aliases: &["フリガナ", "よみ"],
            required: false,
        },
        Column { key: "route_name", header_ja: "路線名", header_en: "Route", aliases: &["路線"], required: false },
        Column { key: "lat", header_ja: "緯度", header_en: "Latitude", aliases: &["lat"], required: false },
        Column { key: "lon", header_ja: "経度", header_en: "Longitude", aliases: &["lon", "lng"], required: false },
        Column {
            key: "year_built",
            header_ja: "供用・架設年",
            header_en: "Year built",
            aliases: &["架設年", "供用年", "竣工年"],
            required: false,
        },
        Column {
            key: "external_id",
            header_ja: "施設番号",
            header_en: "External id",
            aliases: &["shisetsu_bangou", "施設ID"],
            required: false,
        },
        Column {
            key: "length_m",
            header_ja: "橋長・延長（m）",
            header_en: "Length (m)",
            aliases: &["橋長", "延長", "橋長(m)", "延長(m)"],
            required: false,
        },
        Column {
            key: "width_m",
            header_ja: "幅員（m）",
            header_en: "Width (m)",
            aliases: &["幅員", "幅員(m)"],
            required: false,
        },
        Column {
            key: "geometry",
            header_ja: "形状（GeoJSON）",
            header_en: "Geometry (GeoJSON)",
            aliases: &["geometry", "形状"],
            required: false,
        },
    ],
};

pub const EXPORT_HEADERS: &[&str] = &[
    "種類",
    "名称",
    "ふりがな",
    "路線名",
    "緯度",
    "経度",
    "供用・架設年",
    "施設番号",
    "橋長・延長（m）",
    "幅員（m）",
    "形状（GeoJSON）",
];

fn attributes(length: &str, width: &str) -> std::result::Result<String, FieldError> {
    let mut m = serde_json::Map::new();
    for (k, v) in [("延長_m", length), ("幅員_m", width)] {
        if !v.trim().is_empty() {
            let n = tabane_tabular::parse_decimal(v)?;
            m.insert(k.into(), json!(n));
        }
    }
    Ok(if m.is_empty() { String::new() } else { Value::Object(m).to_string() })
}

/// Checks one row as the asset form would: the asset to insert (not yet owned), or what is
/// wrong with the row.
fn check_row(row: &BoundRow<'_>) -> std::result::Result<asset::ActiveModel, Vec<RowError>> {
    let attrs = attributes(row.get("length_m"), row.get("width_m")).map_err(|e| vec![row.error("length_m", e)])?;
    let form = assets::AssetForm {
        kind: row.get("kind").into(),
        name: row.get("name").into(),
        name_kana: row.get("name_kana").into(),
        route_name: row.get("route_name").into(),
        lat: row.get("lat").into(),
        lon: row.get("lon").into(),
        year_built: row.get("year_built").into(),
        external_id: row.get("external_id").into(),
        attributes: attrs,
        geometry: row.get("geometry").into(),
    };
    match assets::active_model(&form) {
        Ok(am) => Ok(am),
        Err(Error::Invalid(problems)) => {
            Err(problems.iter().map(|p| row.error(&p.field, p.to_field_error())).collect())
        }
        Err(e) => Err(vec![RowError::custom(row.number(), "", e.to_string(), e.message(true))]),
    }
}

/// The checking pass: every row, streamed; the number of rows, or the full report. Rows do not
/// depend on one another, so nothing is kept.
pub fn check(source: &Source<'_>) -> Result<usize> {
    let mut rows = source.rows().map_err(|e| Error::file(&e))?;
    let binding = SCHEMA.bind_headers(rows.headers()).map_err(Error::Import)?;
    let mut report = ImportReport::new(0);
    let mut n = 0;
    while let Some(raw) = rows.next_row().map_err(|e| Error::file(&e))? {
        n += 1;
        if let Err(errors) = check_row(&binding.row(raw)) {
            errors.into_iter().for_each(|e| report.add(e));
        }
    }
    report.rows_checked = n;
    if report.is_ok() { Ok(n) } else { Err(Error::Import(report)) }
}

/// Reads a GeoJSON FeatureCollection of points into the same table shape as a CSV.
pub fn geojson_table(bytes: &[u8]) -> Result<Table> {
    let bad = |m: &str| Error::invalid("file", "GeoJSON", "GeoJSON", m.to_string(), m.to_string());
    let v: Value = serde_json::from_slice(bytes).map_err(|e| bad(&format!("を読み取れません: {e}")))?;
    let feats = v["features"].as_array().ok_or_else(|| bad("は FeatureCollection ではありません"))?;
    let headers: Vec<String> = SCHEMA.columns.iter().map(|c| c.key.to_string()).collect();
    let mut rows = Vec::new();
    for (i, f) in feats.iter().enumerate() {
        let p = &f["properties"];
        let (lat, lon, geometry) = match (f["geometry"]["type"].as_str(), f["geometry"]["coordinates"].as_array()) {
            (Some("Point"), Some(c)) if c.len() >= 2 => (c[1].to_string(), c[0].to_string(), String::new()),
            (Some(_), Some(_)) => (String::new(), String::new(), f["geometry"].to_string()),
            _ => (String::new(), String::new(), String::new()),
        };
        let text = |k: &str| match &p[k] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let cells = headers
            .iter()
            .map(|h| match h.as_str() {
                "lat" => lat.clone(),
                "lon" => lon.clone(),
                "geometry" => geometry.clone(),
                k => text(k),
            })
            .collect();
        // Feature n is "row n+1" so messages read like a table with a header.
        rows.push(tabane_tabular::Row { number: i + 2, cells });
    }
    Ok(Table { headers, rows })
}

/// Columns the import writes (the id takes its default).
const INSERT_COLUMNS: [asset::Column; 13] = [
    asset::Column::OwnerOrgId,
    asset::Column::Kind,
    asset::Column::Name,
    asset::Column::NameKana,
    asset::Column::RouteName,
    asset::Column::Lat,
    asset::Column::Lon,
    asset::Column::Geometry,
    asset::Column::YearBuilt,
    asset::Column::Attributes,
    asset::Column::ExternalId,
    asset::Column::CreatedAt,
    asset::Column::UpdatedAt,
];

/// Imports assets owned by the acting organisation: a checking pass over `source`, then a
/// writing pass in one transaction, in bulk ([`tabane_core::bulk`]).
pub async fn import(db: &DatabaseConnection, ctx: &Ctx, source: &Source<'_>, name: &str) -> Result<usize> {
    let owner = ctx.org_id.ok_or(Error::NotFound)?;
    access::can_write_asset(ctx, owner)?;
    let n = check(source)?;
    let txn = BulkTxn::begin(db).await?;
    let columns: Vec<&str> = INSERT_COLUMNS.iter().map(|c| c.as_str()).collect();
    let mut inserter = txn.inserter(asset::Entity.table_name(), &columns);
    let mut rows = source.rows().map_err(|e| Error::file(&e))?;
    let binding = SCHEMA.bind_headers(rows.headers()).map_err(Error::Import)?;
    let mut report = ImportReport::new(n);
    while let Some(raw) = rows.next_row().map_err(|e| Error::file(&e))? {
        // The same check as the first pass: a file changed in between is caught here.
        match check_row(&binding.row(raw)) {
            Ok(mut am) if report.is_ok() => {
                am.owner_org_id = Set(owner);
                inserter
                    .push(INSERT_COLUMNS.iter().map(|c| am.get(*c).into_value().unwrap_or(SqlValue::String(None))))
                    .await?;
            }
            Ok(_) => {}
            Err(errors) => errors.into_iter().for_each(|e| report.add(e)),
        }
    }
    drop(rows);
    if !report.is_ok() {
        inserter.abandon().await;
        txn.rollback().await?;
        return Err(Error::Import(report));
    }
    inserter.finish().await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: None,
            action: "import",
            entity: "infra_asset",
            entity_id: "batch".into(),
            before: None,
            after: Some(json!({ "source": name, "rows": n })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

/// The acting organisation's own assets, for export.
async fn own<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<asset::Model>> {
    let owner = ctx.org_id.ok_or(Error::NotFound)?;
    Ok(asset::Entity::find()
        .filter(asset::Column::OwnerOrgId.eq(owner))
        .order_by_asc(asset::Column::Id)
        .all(db)
        .await?)
}

fn attr(a: &asset::Model, key: &str) -> Option<f64> {
    a.attributes
        .as_deref()
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        .and_then(|v| v[key].as_f64().or_else(|| v[key.replace("延長", "橋長")].as_f64()))
}

pub async fn export_rows<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<Vec<Cell>>> {
    Ok(own(db, ctx)
        .await?
        .into_iter()
        .map(|a| {
            let t = |s: &Option<String>| s.clone().map(Cell::Text).unwrap_or(Cell::Empty);
            vec![
                Cell::Text(AssetKind::parse(&a.kind).map(|k| k.label_ja()).unwrap_or("").into()),
                Cell::Text(a.name.clone()),
                t(&a.name_kana),
                t(&a.route_name),
                a.lat.map(Cell::Number).unwrap_or(Cell::Empty),
                a.lon.map(Cell::Number).unwrap_or(Cell::Empty),
                a.year_built.map(|y| Cell::Int(y.into())).unwrap_or(Cell::Empty),
                t(&a.external_id),
                attr(&a, "延長_m").map(Cell::Number).unwrap_or(Cell::Empty),
                attr(&a, "幅員_m").map(Cell::Number).unwrap_or(Cell::Empty),
                t(&a.geometry),
            ]
        })
        .collect())
}

pub async fn export_geojson<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Value> {
    let features: Vec<Value> = own(db, ctx)
        .await?
        .into_iter()
        .map(|a| json!({
            "type": "Feature",
            "geometry": match (a.geometry.as_deref().and_then(|g| serde_json::from_str::<Value>(g).ok()), a.lat, a.lon) {
                (Some(g), _, _) => g,
                (None, Some(la), Some(lo)) => json!({ "type": "Point", "coordinates": [lo, la] }),
                _ => Value::Null,
            },
            "properties": {
                "kind": a.kind, "name": a.name, "name_kana": a.name_kana, "route_name": a.route_name, "year_built": a.year_built, "external_id": a.external_id,
                "length_m": attr(&a, "延長_m"), "width_m": attr(&a, "幅員_m"),
            }
        }))
        .collect();
    Ok(json!({ "type": "FeatureCollection", "features": features }))
}
