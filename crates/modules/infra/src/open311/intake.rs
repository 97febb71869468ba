//! 住民通報の受付 (taking in a resident report): check the API key, the service and the
//! location, route the point to the right owner, and create a 受付 work order — in one
//! transaction.

use super::catalogue::{self, Service};
use crate::domain::{Source, Status, Urgency};
use crate::entities::{
    asset, open311_client as client, resident_report as report, work_order as wo, work_order_event as ev,
};
use chrono::Utc;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use sha2::{Digest, Sha256};
use tabane_core::entities::bundle;
use tabane_core::service::bundle_access;

pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub fn new_key() -> String {
    let mut b = [0u8; 24];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Why a request was refused, in the spec's terms.
#[derive(Debug)]
pub enum Refusal {
    /// 403: missing or unknown api_key.
    Key(String),
    /// 404: unknown service_code, jurisdiction or token.
    Unknown(String),
    /// 400: anything else.
    Bad(String),
    /// 500: the database failed; the client learns nothing of it but the request id.
    Failed(sea_orm::DbErr),
}

pub struct Posted {
    pub params: Vec<(String, String)>,
}

/// The fields of a posted report once checked: what [`accept`] stores. Built by
/// [`Posted::request`] without touching the database.
#[derive(Debug, Clone)]
pub struct Request<'p> {
    pub service: &'static Service,
    /// WGS84 (lat, long), both within range.
    pub point: Option<(f64, f64)>,
    pub address: Option<&'p str>,
    /// At most 4000 characters.
    pub description: Option<&'p str>,
    /// The service's attributes that were given, as `{code: [values…]}`; every value is one of
    /// the attribute's listed values when it has a list.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// `attribute[danger]=yes`: the work order becomes an emergency.
    pub danger: bool,
}

impl Posted {
    /// Decodes an `application/x-www-form-urlencoded` body (POST requests.json / .xml) into
    /// its pairs, in order, exactly as the handler's `Form<Vec<(String, String)>>` extractor
    /// does (both use `form_urlencoded::parse`: `+` is a space, bad `%` escapes are kept as
    /// written, invalid UTF-8 becomes U+FFFD). Never fails.
    pub fn from_form(body: &[u8]) -> Posted {
        Posted { params: form_urlencoded::parse(body).into_owned().collect() }
    }

    /// The checks on the posted fields that need no database, in the order [`accept`] makes
    /// them after the api_key and jurisdiction checks: service_code, lat/long, a location,
    /// the description's length and the service's attributes.
    pub fn request(&self) -> Result<Request<'_>, Refusal> {
        let code = self.get("service_code").ok_or_else(|| Refusal::Bad("service_code is required".into()))?;
        let service =
            catalogue::find(code).ok_or_else(|| Refusal::Unknown(format!("service_code {code} not found")))?;
        let point = match (self.get("lat"), self.get("long")) {
            (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(la), Ok(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => Some((la, lo)),
                _ => return Err(Refusal::Bad("lat and long must be WGS84 decimal degrees".into())),
            },
            (None, None) => None,
            _ => return Err(Refusal::Bad("both lat and long are required".into())),
        };
        let address = self.get("address_string");
        if point.is_none() && address.is_none() && self.get("address_id").is_none() {
            return Err(Refusal::Bad("a location is required: lat and long, address_string or address_id".into()));
        }
        let description = self.get("description");
        if description.is_some_and(|d| d.chars().count() > 4000) {
            return Err(Refusal::Bad("description is limited to 4000 characters".into()));
        }
        let mut attributes = serde_json::Map::new();
        for a in service.attributes {
            let vals = self.attribute(a.code);
            if a.required && vals.is_empty() {
                return Err(Refusal::Bad(format!("attribute[{}] is required", a.code)));
            }
            for v in &vals {
                if !a.values.is_empty() && !a.values.iter().any(|(k, _)| k == v) {
                    return Err(Refusal::Bad(format!("attribute[{}] has no value {v}", a.code)));
                }
            }
            if !vals.is_empty() {
                attributes.insert(a.code.into(), serde_json::json!(vals));
            }
        }
        let danger = self.attribute("danger").contains(&"yes");
        Ok(Request { service, point, address, description, attributes, danger })
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
    /// attribute[code]=v and attribute[code][]=v (multi-value).
    pub fn attribute(&self, code: &str) -> Vec<&str> {
        let single = format!("attribute[{code}]");
        let multi = format!("attribute[{code}][]");
        self.params.iter().filter(|(k, _)| *k == single || *k == multi).map(|(_, v)| v.as_str()).collect()
    }
}

/// Distance in metres between two WGS84 points (haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_000.0;
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

/// Radius within which the nearest asset of the service's kind decides the owner.
pub const ROUTING_RADIUS_M: f64 = 300.0;

/// The owner a point belongs to: the owner of the nearest asset of the right kind within the
/// radius; otherwise the bundle's lead (幹事), who triages.
pub async fn route<C: ConnectionTrait>(
    c: &C,
    bundle_id: i64,
    service: &Service,
    point: Option<(f64, f64)>,
) -> Result<(i64, &'static str), sea_orm::DbErr> {
    let owners = bundle_access::owners_of(c, bundle_id).await?;
    if let Some((lat, lon)) = point {
        // A bounding box a little larger than the radius keeps the query on the index-sized set.
        let dlat = ROUTING_RADIUS_M / 111_000.0 * 1.2;
        let dlon = dlat / lat.to_radians().cos().max(0.1);
        let near = asset::Entity::find()
            .filter(asset::Column::OwnerOrgId.is_in(owners.clone()))
            .filter(asset::Column::Kind.is_in(service.asset_kinds.iter().map(|k| k.key())))
            .filter(asset::Column::Lat.between(lat - dlat, lat + dlat))
            .filter(asset::Column::Lon.between(lon - dlon, lon + dlon))
            .all(c)
            .await?;
        let best = near
            .iter()
            .filter_map(|a| Some((distance_m((lat, lon), (a.lat?, a.lon?)), a)))
            .filter(|(d, _)| *d <= ROUTING_RADIUS_M)
            .min_by(|x, y| x.0.total_cmp(&y.0));
        if let Some((_, a)) = best {
            return Ok((a.owner_org_id, "nearest_asset"));
        }
    }
    let lead = bundle::Entity::find_by_id(bundle_id).one(c).await?.map(|b| b.lead_org_id).unwrap_or_default();
    Ok((lead, "secretariat"))
}

pub struct Created {
    pub work_order_id: i64,
    pub token: String,
    pub routed_by: &'static str,
}

/// The active client the posted `api_key` belongs to, if any.
pub async fn client_of<C: ConnectionTrait>(db: &C, p: &Posted) -> Result<Option<client::Model>, sea_orm::DbErr> {
    let Some(key) = p.get("api_key") else { return Ok(None) };
    client::Entity::find()
        .filter(client::Column::KeyHash.eq(hash_key(key)))
        .filter(client::Column::Active.eq(true))
        .one(db)
        .await
}

/// Takes in a report posted with the key of `cl` (from [`client_of`]).
pub async fn accept<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    p: &Posted,
    cl: Option<client::Model>,
) -> Result<Created, Refusal> {
    let db_err = Refusal::Failed;
    p.get("api_key").ok_or_else(|| Refusal::Key("api_key is required".into()))?;
    let cl = cl.ok_or_else(|| Refusal::Key("api_key is not valid".into()))?;
    if let Some(j) = p.get("jurisdiction_id")
        && j != cl.bundle_id.to_string()
    {
        return Err(Refusal::Unknown(format!("jurisdiction_id {j} is not served by this api_key")));
    }
    let Request { service, point, address, description, attributes: attrs, danger } = p.request()?;
    let txn = db.begin().await.map_err(db_err)?;
    let (owner, routed_by) = route(&txn, cl.bundle_id, service, point).await.map_err(db_err)?;
    let contractor = bundle_access::contractor_of(&txn, cl.bundle_id).await.map_err(db_err)?;
    let now = Utc::now();
    let w = wo::ActiveModel {
        bundle_id: Set(cl.bundle_id),
        owner_org_id: Set(owner),
        contractor_org_id: Set(contractor),
        asset_id: Set(None),
        status: Set(Status::Received.key().into()),
        urgency: Set(if danger { Urgency::Emergency } else { Urgency::Normal }.key().into()),
        source: Set(Source::Resident.key().into()),
        category: Set(service.category.into()),
        description: Set(format!(
            "【住民通報】{}{}",
            service.name,
            description.map(|d| format!("：{d}")).unwrap_or_default()
        )),
        instruction: Set(None),
        lat: Set(point.map(|x| x.0)),
        lon: Set(point.map(|x| x.1)),
        address: Set(address.map(str::to_string)),
        due_on: Set(None),
        cost_labour: Set(None),
        cost_material: Set(None),
        cost_machinery: Set(None),
        cost_other: Set(None),
        cost_total: Set(None),
        instructed_amount: Set(None),
        split_of: Set(None),
        share_percent: Set(None),
        received_at: Set(now),
        instructed_at: Set(None),
        reported_at: Set(None),
        confirmed_at: Set(None),
        created_by: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    ev::ActiveModel {
        work_order_id: Set(w.id),
        from_status: Set(None),
        to_status: Set(Status::Received.key().into()),
        action: Set("receive".into()),
        user_id: Set(None),
        actor: Set(format!("open311:{}", cl.name)),
        org_id: Set(None),
        reason: Set(Some(format!("routed by {routed_by}"))),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    let token = new_key();
    report::ActiveModel {
        work_order_id: Set(w.id),
        client_id: Set(cl.id),
        token: Set(token.clone()),
        service_code: Set(service.code.into()),
        attributes: Set(Some(serde_json::Value::Object(attrs).to_string())),
        email: Set(p.get("email").map(str::to_string)),
        first_name: Set(p.get("first_name").map(str::to_string)),
        last_name: Set(p.get("last_name").map(str::to_string)),
        phone: Set(p.get("phone").map(str::to_string)),
        device_id: Set(p.get("device_id").map(str::to_string)),
        account_id: Set(p.get("account_id").map(str::to_string)),
        description: Set(description.map(str::to_string)),
        media_url: Set(p.get("media_url").map(str::to_string)),
        address_string: Set(address.map(str::to_string)),
        lat: Set(point.map(|x| x.0)),
        lon: Set(point.map(|x| x.1)),
        requested_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(db_err)?;
    txn.commit().await.map_err(db_err)?;
    Ok(Created { work_order_id: w.id, token, routed_by })
}

#[cfg(test)]
mod tests {
    use super::{Posted, Refusal};

    #[test]
    fn a_form_body_decodes_into_the_request_fields() {
        let p = Posted::from_form("api_key=k&service_code=road-pothole&lat=34.69&long=138.95&attribute[danger]=yes&attribute%5Bsize%5D=small&description=%E7%A9%B4+%E3%81%82%E3%82%8A".as_bytes());
        assert_eq!(p.get("api_key"), Some("k"));
        let r = p.request().unwrap();
        assert_eq!(r.service.code, "road-pothole");
        assert_eq!(r.point, Some((34.69, 138.95)));
        assert_eq!(r.description, Some("穴 あり"));
        assert!(r.danger);
        assert_eq!(serde_json::Value::Object(r.attributes).to_string(), r#"{"danger":["yes"],"size":["small"]}"#);
    }

    #[test]
    fn bad_fields_are_refused_in_order() {
        let refusal = |body: &str| match Posted::from_form(body.as_bytes()).request() {
            Err(Refusal::Bad(m) | Refusal::Unknown(m) | Refusal::Key(m)) => m,
            Err(Refusal::Failed(e)) => panic!("no database is used here: {e}"),
            Ok(r) => panic!("accepted {r:?}"),
        };
        assert_eq!(refusal("lat=1"), "service_code is required");
        assert_eq!(refusal("service_code=nope"), "service_code nope not found");
        assert_eq!(refusal("service_code=drain&lat=91&long=0"), "lat and long must be WGS84 decimal degrees");
        assert_eq!(refusal("service_code=drain&lat=NaN&long=0"), "lat and long must be WGS84 decimal degrees");
        assert_eq!(refusal("service_code=drain&lat=1"), "both lat and long are required");
        assert_eq!(refusal("service_code=drain"), "a location is required: lat and long, address_string or address_id");
        assert_eq!(refusal("service_code=guardrail&address_id=1"), "attribute[danger] is required");
        assert_eq!(
            refusal("service_code=guardrail&address_id=1&attribute[danger][]=maybe"),
            "attribute[danger] has no value maybe"
        );
        let long = format!("service_code=drain&address_id=1&description={}", "あ".repeat(4001));
        assert_eq!(refusal(&long), "description is limited to 4000 characters");
    }

    #[test]
    fn distance_of_one_hundredth_degree_latitude_is_about_1_1_km() {
        let d = super::distance_m((34.68, 138.94), (34.69, 138.94));
        assert!((d - 1112.0).abs() < 5.0, "{d}");
    }
}
