//! 施設台帳 (asset registry) across owners and sectors.

use super::access;
use crate::domain::AssetKind;
use crate::entities::asset::{self, Column as C, Entity as Asset};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::{Page, audit};
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AssetForm {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub name_kana: String,
    #[serde(default)]
    pub route_name: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub year_built: String,
    #[serde(default)]
    pub external_id: String,
    /// JSON object of size attributes, e.g. {"橋長_m": 25.3}.
    #[serde(default)]
    pub attributes: String,
    /// Optional line or polygon as a GeoJSON geometry (a road segment, a park outline).
    #[serde(default)]
    pub geometry: String,
}

/// A point to show a line or polygon by: the mean of its coordinates.
pub fn representative_point(g: &serde_json::Value) -> Option<(f64, f64)> {
    fn walk(v: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
        match v.as_array() {
            Some(a) if a.len() >= 2 && a[0].is_number() => {
                if let (Some(x), Some(y)) = (a[0].as_f64(), a[1].as_f64()) {
                    out.push((y, x));
                }
            }
            Some(a) => a.iter().for_each(|x| walk(x, out)),
            None => {}
        }
    }
    let mut pts = Vec::new();
    walk(&g["coordinates"], &mut pts);
    (!pts.is_empty()).then(|| {
        (
            pts.iter().map(|p| p.0).sum::<f64>() / pts.len() as f64,
            pts.iter().map(|p| p.1).sum::<f64>() / pts.len() as f64,
        )
    })
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Parses latitude/longitude (full-width digits accepted); both or neither.
pub fn parse_point(p: &mut Problems, lat: &str, lon: &str) -> (Option<f64>, Option<f64>) {
    let num = |s: &str| tabane_tabular::to_halfwidth_ascii(s.trim()).parse::<f64>().ok();
    match (opt(lat), opt(lon)) {
        (None, None) => (None, None),
        (Some(a), Some(b)) => match (num(&a), num(&b)) {
            (Some(la), Some(lo)) if (20.0..=46.0).contains(&la) && (122.0..=154.0).contains(&lo) => {
                (Some(la), Some(lo))
            }
            _ => {
                p.push(
                    "lat",
                    "位置（緯度・経度）",
                    "Location",
                    "が日本の範囲の数値ではありません（例: 34.6797, 138.9453）",
                    "must be numbers inside Japan (e.g. 34.6797, 138.9453)",
                );
                (None, None)
            }
        },
        _ => {
            p.push(
                "lat",
                "位置（緯度・経度）",
                "Location",
                "は緯度と経度の両方を入力してください",
                "needs both latitude and longitude",
            );
            (None, None)
        }
    }
}

/// Checks a form without building anything (used by the importer for every row).
pub fn validate_form(f: &AssetForm) -> Result<()> {
    validate(f).map(|_| ())
}

/// A checked asset, not yet owned (the caller sets the owner).
pub fn active_model(f: &AssetForm) -> Result<asset::ActiveModel> {
    validate(f)
}

fn validate(f: &AssetForm) -> Result<asset::ActiveModel> {
    let mut p = Problems::default();
    let kind = AssetKind::parse(&f.kind);
    if kind.is_none() {
        p.push(
            "kind",
            "種類",
            "Kind",
            format!("は次のいずれかです: {}", AssetKind::choices_ja()),
            "is not a known kind",
        );
    }
    p.required("name", "名称", "Name", &f.name);
    let (mut lat, mut lon) = parse_point(&mut p, &f.lat, &f.lon);
    let geometry = match opt(&f.geometry) {
        None => None,
        Some(g) => match serde_json::from_str::<serde_json::Value>(&g) {
            Ok(v)
                if matches!(
                    v["type"].as_str(),
                    Some("Point" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon")
                ) =>
            {
                if lat.is_none()
                    && let Some((la, lo)) = representative_point(&v)
                {
                    (lat, lon) = (Some(la), Some(lo));
                }
                Some(v.to_string())
            }
            _ => {
                p.push(
                    "geometry",
                    "形状",
                    "Geometry",
                    "は GeoJSON のジオメトリ（Point・LineString・Polygon）で入力してください",
                    "must be a GeoJSON geometry",
                );
                None
            }
        },
    };
    let year_built = match opt(&f.year_built) {
        None => None,
        Some(y) => {
            // 和暦 years ("昭和45年") are accepted by reading them as a date on 1 January.
            let y2 = tabane_tabular::to_halfwidth_ascii(&y).trim_end_matches('年').to_string();
            let parsed = y2.parse::<i32>().ok().or_else(|| {
                tabane_calendar::parse_date(&format!("{y}1月1日")).ok().map(|d| chrono::Datelike::year(&d))
            });
            match parsed {
                Some(v) if (1800..=2100).contains(&v) => Some(v),
                _ => {
                    p.push(
                        "year_built",
                        "供用・架設年",
                        "Year built",
                        "は西暦4桁か和暦（例: 1972, 昭和47年）で入力してください。不明なら空欄",
                        "must be a year (e.g. 1972); leave empty if unknown",
                    );
                    None
                }
            }
        }
    };
    let attributes = match opt(&f.attributes) {
        None => None,
        Some(a) => match serde_json::from_str::<serde_json::Value>(&a) {
            Ok(v) if v.is_object() => Some(v.to_string()),
            _ => {
                p.push(
                    "attributes",
                    "諸元",
                    "Attributes",
                    "はJSONのオブジェクトで入力してください（例: {\"橋長_m\": 25.3}）",
                    "must be a JSON object",
                );
                None
            }
        },
    };
    p.into_result()?;
    let now = Utc::now();
    Ok(asset::ActiveModel {
        kind: Set(kind.expect("checked").key().into()),
        name: Set(f.name.trim().into()),
        name_kana: Set(opt(&f.name_kana)),
        route_name: Set(opt(&f.route_name)),
        lat: Set(lat),
        lon: Set(lon),
        geometry: Set(geometry),
        year_built: Set(year_built),
        attributes: Set(attributes),
        external_id: Set(opt(&f.external_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// Registers an asset owned by the acting organisation.
pub async fn create<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, f: &AssetForm) -> Result<asset::Model> {
    let owner = ctx.org_id.ok_or(Error::NotFound)?;
    access::can_write_asset(ctx, owner)?;
    // Contractors work on assets but never own them: liability stays with the 本来管理者.
    let org = tabane_core::entities::organisation::Entity::find_by_id(owner).one(db).await?.ok_or(Error::NotFound)?;
    if matches!(org.kind.as_str(), "company" | "jv" | "cooperative") {
        return Err(Error::forbidden(
            "施設を登録できるのは施設の管理者（地方公共団体など）です。受注者は登録できません",
            "Only the asset's owner (a public body) may register it; contractors cannot",
        ));
    }
    let mut am = validate(f)?;
    am.owner_org_id = Set(owner);
    let txn = db.begin().await?;
    let a = am.insert(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: None,
            action: "create",
            entity: "infra_asset",
            entity_id: a.id.to_string(),
            before: None,
            after: serde_json::to_value(&a).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

pub async fn update<D: TransactionTrait>(db: &D, ctx: &Ctx, id: i64, f: &AssetForm) -> Result<asset::Model> {
    let mut am = validate(f)?;
    let txn = db.begin().await?;
    let before = get(&txn, ctx, id).await?;
    access::can_write_asset(ctx, before.owner_org_id)?;
    am.id = Set(id);
    am.owner_org_id = Set(before.owner_org_id);
    am.created_at = Set(before.created_at);
    if f.geometry.trim().is_empty() {
        am.geometry = Set(before.geometry.clone());
    }
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(after.owner_org_id),
            bundle_id: None,
            action: "update",
            entity: "infra_asset",
            entity_id: id.to_string(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<asset::Model> {
    let a = Asset::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    match access::visible_owner_ids(db, ctx).await? {
        Some(ids) if !ids.contains(&a.owner_org_id) => Err(Error::NotFound),
        _ => Ok(a),
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AssetFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub owner: Option<i64>,
    pub page: Option<u64>,
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, f: &AssetFilter, per_page: u64) -> Result<Page<asset::Model>> {
    let mut q = Asset::find();
    if let Some(ids) = access::visible_owner_ids(db, ctx).await? {
        q = q.filter(C::OwnerOrgId.is_in(ids));
    }
    if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q = q.filter(
            Condition::any()
                .add(C::Name.contains(t))
                .add(C::NameKana.contains(t))
                .add(C::RouteName.contains(t))
                .add(C::ExternalId.eq(t)),
        );
    }
    if let Some(k) = f.kind.as_deref().and_then(AssetKind::parse) {
        q = q.filter(C::Kind.eq(k.key()));
    }
    if let Some(o) = f.owner {
        q = q.filter(C::OwnerOrgId.eq(o));
    }
    let total = q.clone().count(db).await?;
    let page = f.page.unwrap_or(1).max(1);
    let items = q.order_by_asc(C::Id).offset((page - 1) * per_page).limit(per_page).all(db).await?;
    Ok(Page { items, total, page, per_page })
}
