//! Open311 GeoReport v2 under `/open311/v2/` (with the FixMyStreet `servicerequestupdates`
//! extension), so existing civic-report apps can post road defects to a bundle. Responses in
//! XML or JSON by suffix; errors as the spec's error list (400/403/404).

pub mod catalogue;
pub mod clients;
pub mod format;
pub mod intake;

use crate::domain::Status;
use crate::entities::{open311_client as client, resident_report as report, work_order as wo, work_order_event as ev};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use format::{Fmt, error, list, object, split};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use tabane_core::entities::organisation;
use tabane_core::service::rate_limits::{self, Limit};
use tabane_web::middleware::RequestId;
use tabane_web::state::Shared;

fn jst() -> FixedOffset {
    tabane_calendar::jst::offset()
}
/// A date-time as the spec's examples write it: to the second, with the offset
/// (`2026-12-07T09:05:23+09:00`).
fn iso(t: DateTime<Utc>) -> String {
    t.with_timezone(&jst()).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// 429 in the spec's error list, with the wait in `Retry-After`.
fn too_many(fmt: Fmt, wait_secs: u64) -> Response {
    let mut r = error(
        fmt,
        StatusCode::TOO_MANY_REQUESTS,
        "too many requests from this client; wait and try again (リクエストが多すぎます。しばらく待ってから再度お試しください)",
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait_secs));
    r
}

/// A public read past the per-address limit of this server (`public_reads_per_minute`).
fn throttled(st: &Shared, headers: &HeaderMap, addr: SocketAddr, file: &str) -> Option<Response> {
    let fmt = split(file).map_or(Fmt::Xml, |(_, f)| f);
    let who = tabane_web::pages::session::client_address(&st.cfg, headers, addr);
    (!st.caches.public_reads.allow(&who, crate::settings::InfraSettings::of(st).public_reads_per_minute))
        .then(|| too_many(fmt, 60))
}

/// A database or internal failure: logged in full, answered in the spec's error list with an
/// opaque description and the request id (never an empty list, never the driver's text).
fn internal(fmt: Fmt, rid: &RequestId, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "Open311 request failed");
    error(fmt, StatusCode::INTERNAL_SERVER_ERROR, &format!("internal error (内部エラー); request id {}", rid.0))
}

fn open_or_closed(s: &str) -> &'static str {
    if Status::parse(s).is_some_and(|s| s.is_open()) { "open" } else { "closed" }
}

/// FixMyStreet-style detailed status for updates.
fn detailed(s: &str) -> &'static str {
    match Status::parse(s) {
        Some(Status::Received) => "OPEN",
        Some(Status::Instructed) => "ACTION_SCHEDULED",
        Some(Status::InProgress) | Some(Status::Reported) => "IN_PROGRESS",
        Some(Status::Confirmed) => "FIXED",
        Some(Status::Forwarded) => "NOT_COUNCILS_RESPONSIBILITY",
        _ => "CLOSED",
    }
}

/// The bundle a GET is about: `jurisdiction_id`, or the only bundle that has Open311 clients.
async fn jurisdiction(st: &Shared, q: &HashMap<String, String>, fmt: Fmt, rid: &RequestId) -> Result<i64, Response> {
    let served: Vec<i64> = client::Entity::find()
        .filter(client::Column::Active.eq(true))
        .all(&st.db)
        .await
        .map_err(|e| internal(fmt, rid, e))?
        .into_iter()
        .map(|c| c.bundle_id)
        .collect();
    match q.get("jurisdiction_id").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(j) => j
            .parse::<i64>()
            .ok()
            .filter(|b| served.contains(b))
            .ok_or_else(|| error(fmt, StatusCode::NOT_FOUND, &format!("jurisdiction_id {j} not found"))),
        None => {
            let mut distinct = served.clone();
            distinct.sort_unstable();
            distinct.dedup();
            match distinct.as_slice() {
                [one] => Ok(*one),
                [] => Err(error(fmt, StatusCode::NOT_FOUND, "no jurisdiction is served here")),
                _ => Err(error(fmt, StatusCode::BAD_REQUEST, "jurisdiction_id is required")),
            }
        }
    }
}

fn service_json(s: &catalogue::Service) -> Value {
    json!({ "service_code": s.code, "service_name": s.name, "description": s.description, "metadata": !s.attributes.is_empty(), "type": "realtime", "keywords": s.keywords, "group": s.group })
}

async fn request_json(st: &Shared, w: &wo::Model, r: &report::Model) -> Result<Value, sea_orm::DbErr> {
    let owner = organisation::Entity::find_by_id(w.owner_org_id).one(&st.db).await?.map(|o| o.name).unwrap_or_default();
    let notes = ev::Entity::find()
        .filter(ev::Column::WorkOrderId.eq(w.id))
        .order_by_desc(ev::Column::Id)
        .one(&st.db)
        .await?
        .and_then(|e| e.reason)
        .filter(|r| !r.starts_with("routed by"));
    let service = catalogue::find(&r.service_code);
    Ok(json!({
        "service_request_id": w.id.to_string(),
        "status": open_or_closed(&w.status),
        "status_notes": notes,
        "service_name": service.map(|s| s.name),
        "service_code": r.service_code,
        "description": r.description,
        "agency_responsible": owner,
        "service_notice": null,
        "requested_datetime": iso(r.requested_at),
        "updated_datetime": iso(w.updated_at),
        "expected_datetime": w.due_on.and_then(|d| d.and_hms_opt(17, 0, 0)).and_then(|t| t.and_local_timezone(jst()).single()).map(|t| iso(t.with_timezone(&Utc))),
        "address": r.address_string,
        "address_id": null,
        "zipcode": null,
        "lat": r.lat,
        "long": r.lon,
        "media_url": r.media_url,
    }))
}

fn parse_date(q: &HashMap<String, String>, key: &str) -> Result<Option<DateTime<Utc>>, String> {
    match q.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| format!("{key} must be ISO-8601 with an offset, e.g. 2026-04-01T00:00:00+09:00")),
    }
}

/// GET /open311/v2/{discovery|services|requests|servicerequestupdates}.{xml|json}
pub async fn get_top(
    State(st): State<Shared>,
    rid: RequestId,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = throttled(&st, &headers, addr, &file) {
        return r;
    }
    let Some((name, fmt)) = split(&file) else {
        return error(Fmt::Xml, StatusCode::NOT_FOUND, "use a .xml or .json suffix");
    };
    match name {
        "discovery" => object(
            fmt,
            "discovery",
            json!({
                "changeset": "2026-11-24T00:00:00+09:00",
                "contact": "各束の事務局（幹事団体）にお問い合わせください",
                "key_service": "API キーは束の管理者が Tabane の「群マネ > Open311」で発行します",
                "endpoints": [{ "specification": "http://wiki.open311.org/GeoReport_v2", "url": "/open311/v2", "changeset": "2026-11-24T00:00:00+09:00", "type": "production", "formats": ["text/xml", "application/json"] }],
            }),
        ),
        "services" => {
            if let Err(r) = jurisdiction(&st, &q, fmt, &rid).await {
                return r;
            }
            list(fmt, StatusCode::OK, "services", catalogue::SERVICES.iter().map(service_json).collect())
        }
        "requests" => requests(&st, &q, fmt, &rid).await.unwrap_or_else(|r| r),
        "servicerequestupdates" => updates(&st, &q, fmt, &rid).await.unwrap_or_else(|r| r),
        _ => error(fmt, StatusCode::NOT_FOUND, &format!("{name} not found")),
    }
}

async fn requests(st: &Shared, q: &HashMap<String, String>, fmt: Fmt, rid: &RequestId) -> Result<Response, Response> {
    let fail = |e: sea_orm::DbErr| internal(fmt, rid, e);
    let bundle = jurisdiction(st, q, fmt, rid).await?;
    let mut query =
        wo::Entity::find().filter(wo::Column::BundleId.eq(bundle)).filter(wo::Column::Source.eq("resident"));
    if let Some(ids) = q.get("service_request_id").filter(|s| !s.trim().is_empty()) {
        // A list of ids overrides every other filter.
        let ids: Vec<i64> = ids.split(',').filter_map(|s| s.trim().parse().ok()).collect();
        query = query.filter(wo::Column::Id.is_in(ids));
    } else {
        let (start, end) = match (parse_date(q, "start_date"), parse_date(q, "end_date")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(m), _) | (_, Err(m)) => return Ok(error(fmt, StatusCode::BAD_REQUEST, &m)),
        };
        let end = end.unwrap_or_else(Utc::now);
        let start = start.unwrap_or(end - Duration::days(90));
        query = query.filter(wo::Column::ReceivedAt.gte(start)).filter(wo::Column::ReceivedAt.lte(end));
        match q.get("status").map(String::as_str) {
            None | Some("") => {}
            Some("open") => {
                query = query.filter(wo::Column::Status.is_in(["received", "instructed", "in_progress", "reported"]))
            }
            Some("closed") => query = query.filter(wo::Column::Status.is_in(["confirmed", "cancelled", "forwarded"])),
            Some(other) => {
                return Ok(error(fmt, StatusCode::BAD_REQUEST, &format!("status must be open or closed, not {other}")));
            }
        }
        if let Some(code) = q.get("service_code").filter(|s| !s.is_empty()) {
            if catalogue::find(code).is_none() {
                return Ok(error(fmt, StatusCode::NOT_FOUND, &format!("service_code {code} not found")));
            }
            let ids: Vec<i64> = report::Entity::find()
                .filter(report::Column::ServiceCode.eq(code.as_str()))
                .all(&st.db)
                .await
                .map_err(fail)?
                .into_iter()
                .map(|r| r.work_order_id)
                .collect();
            query = query.filter(wo::Column::Id.is_in(ids));
        }
    }
    let page_size = q.get("page_size").and_then(|s| s.parse::<u64>().ok()).unwrap_or(1000).clamp(1, 1000);
    let page = q.get("page").and_then(|s| s.parse::<u64>().ok()).unwrap_or(1).max(1);
    let orders = query
        .order_by_desc(wo::Column::Id)
        .offset((page - 1) * page_size)
        .limit(page_size)
        .all(&st.db)
        .await
        .map_err(fail)?;
    let reports = report::Entity::find()
        .filter(report::Column::WorkOrderId.is_in(orders.iter().map(|o| o.id)))
        .all(&st.db)
        .await
        .map_err(fail)?;
    let mut items = Vec::new();
    for w in &orders {
        if let Some(r) = reports.iter().find(|r| r.work_order_id == w.id) {
            items.push(request_json(st, w, r).await.map_err(fail)?);
        }
    }
    Ok(list(fmt, StatusCode::OK, "service_requests", items))
}

async fn updates(st: &Shared, q: &HashMap<String, String>, fmt: Fmt, rid: &RequestId) -> Result<Response, Response> {
    let fail = |e: sea_orm::DbErr| internal(fmt, rid, e);
    let bundle = jurisdiction(st, q, fmt, rid).await?;
    let (start, end) = match (parse_date(q, "start_date"), parse_date(q, "end_date")) {
        (Ok(s), Ok(e)) => (s.unwrap_or(Utc::now() - Duration::days(90)), e.unwrap_or_else(Utc::now)),
        (Err(m), _) | (_, Err(m)) => return Ok(error(fmt, StatusCode::BAD_REQUEST, &m)),
    };
    let orders: Vec<i64> = wo::Entity::find()
        .filter(wo::Column::BundleId.eq(bundle))
        .filter(wo::Column::Source.eq("resident"))
        .all(&st.db)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|w| w.id)
        .collect();
    let events = ev::Entity::find()
        .filter(ev::Column::WorkOrderId.is_in(orders))
        .filter(ev::Column::At.gte(start))
        .filter(ev::Column::At.lte(end))
        .order_by_asc(ev::Column::Id)
        .all(&st.db)
        .await
        .map_err(fail)?;
    let items = events
        .into_iter()
        .map(|e| json!({
            "update_id": e.id.to_string(), "service_request_id": e.work_order_id.to_string(), "status": detailed(&e.to_status),
            "updated_datetime": iso(e.at), "description": e.reason.filter(|r| !r.starts_with("routed by")).unwrap_or_else(|| Status::parse(&e.to_status).map(|s| s.label_ja().to_string()).unwrap_or_default()), "media_url": null,
        }))
        .collect();
    Ok(list(fmt, StatusCode::OK, "service_request_updates", items))
}

/// GET /open311/v2/services/{code}.{fmt}
pub async fn get_service(
    State(st): State<Shared>,
    rid: RequestId,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = throttled(&st, &headers, addr, &file) {
        return r;
    }
    let Some((code, fmt)) = split(&file) else {
        return error(Fmt::Xml, StatusCode::NOT_FOUND, "use a .xml or .json suffix");
    };
    if let Err(r) = jurisdiction(&st, &q, fmt, &rid).await {
        return r;
    }
    let Some(s) = catalogue::find(code) else {
        return error(fmt, StatusCode::NOT_FOUND, &format!("service_code {code} not found"));
    };
    let attributes: Vec<Value> = s.attributes.iter().enumerate().map(|(i, a)| json!({
        "variable": true, "code": a.code, "datatype": a.datatype, "required": a.required, "datatype_description": null,
        "order": i + 1, "description": a.description,
        "values": a.values.iter().map(|(k, n)| json!({ "key": k, "name": n })).collect::<Vec<_>>(),
    })).collect();
    object(fmt, "service_definition", json!({ "service_code": s.code, "attributes": attributes }))
}

/// GET /open311/v2/requests/{id}.{fmt}
pub async fn get_request(
    State(st): State<Shared>,
    rid: RequestId,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = throttled(&st, &headers, addr, &file) {
        return r;
    }
    let Some((id, fmt)) = split(&file) else {
        return error(Fmt::Xml, StatusCode::NOT_FOUND, "use a .xml or .json suffix");
    };
    let bundle = match jurisdiction(&st, &q, fmt, &rid).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let found = async {
        let Ok(id) = id.parse::<i64>() else { return Ok(None) };
        let Some(w) = wo::Entity::find_by_id(id).filter(wo::Column::BundleId.eq(bundle)).one(&st.db).await? else {
            return Ok(None);
        };
        let Some(r) = report::Entity::find().filter(report::Column::WorkOrderId.eq(w.id)).one(&st.db).await? else {
            return Ok(None);
        };
        request_json(&st, &w, &r).await.map(Some)
    };
    match found.await {
        Ok(Some(item)) => list(fmt, StatusCode::OK, "service_requests", vec![item]),
        Ok(None) => error(fmt, StatusCode::NOT_FOUND, &format!("service_request_id {id} not found")),
        Err(e) => internal(fmt, &rid, e),
    }
}

/// GET /open311/v2/tokens/{token}.{fmt}
pub async fn get_token(
    State(st): State<Shared>,
    rid: RequestId,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    if let Some(r) = throttled(&st, &headers, addr, &file) {
        return r;
    }
    let Some((token, fmt)) = split(&file) else {
        return error(Fmt::Xml, StatusCode::NOT_FOUND, "use a .xml or .json suffix");
    };
    match report::Entity::find().filter(report::Column::Token.eq(token)).one(&st.db).await {
        Err(e) => internal(fmt, &rid, e),
        Ok(Some(r)) => list(
            fmt,
            StatusCode::OK,
            "tokens",
            vec![json!({ "service_request_id": r.work_order_id.to_string(), "token": r.token })],
        ),
        Ok(None) => error(fmt, StatusCode::NOT_FOUND, &format!("token {token} not found")),
    }
}

/// POST /open311/v2/requests.{fmt}
pub async fn post_request(
    State(st): State<Shared>,
    rid: RequestId,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(file): Path<String>,
    req: axum::extract::Request,
) -> Response {
    let Some(("requests", fmt)) = split(&file) else {
        return error(Fmt::Xml, StatusCode::NOT_FOUND, "POST requests.xml or requests.json");
    };
    let headers = req.headers().clone();
    let (params, media) = match posted_fields(req).await {
        Ok(p) => p,
        Err((status, m)) => return error(fmt, status, &m),
    };
    // A photo is checked like every upload (type by content, size) before anything is written.
    if let Some((name, bytes)) = &media
        && let Err(e) = tabane_core::service::files::check_upload(&st.files, name, bytes)
    {
        return error(fmt, StatusCode::BAD_REQUEST, &format!("media: {}", e.message(true)));
    }
    // A valid key is limited per key (an integrator may post for many residents from one
    // address); a missing or wrong key per client address, so keys cannot be guessed.
    let posted = intake::Posted { params };
    let cl = match intake::client_of(&st.db, &posted).await {
        Ok(c) => c,
        Err(e) => return internal(fmt, &rid, e),
    };
    let hour = Duration::hours(1);
    let set = crate::settings::InfraSettings::of(&st);
    let limits = if let Some(c) = &cl {
        [Limit { key: format!("open311:client:{}", c.id), max: set.open311_reports_per_hour, window: hour }]
    } else {
        let who = tabane_web::pages::session::client_address(&st.cfg, &headers, addr);
        [Limit { key: format!("open311:addr:{who}"), max: set.open311_unkeyed_posts_per_hour, window: hour }]
    };
    match rate_limits::take(&st.db, &limits).await {
        Ok(()) => {}
        Err(tabane_core::Error::RateLimited) => return too_many(fmt, 3600),
        Err(e) => return internal(fmt, &rid, e),
    }
    match accept_with_media(&st, &posted, cl, media).await {
        Ok(c) => list(
            fmt,
            StatusCode::CREATED,
            "service_requests",
            vec![json!({
                "service_request_id": c.work_order_id.to_string(), "token": c.token,
                "service_notice": "受け付けました。担当の道路管理者が確認します。", "account_id": null,
            })],
        ),
        Err(intake::Refusal::Key(m)) => error(fmt, StatusCode::FORBIDDEN, &m),
        Err(intake::Refusal::Unknown(m)) => error(fmt, StatusCode::NOT_FOUND, &m),
        Err(intake::Refusal::Bad(m)) => error(fmt, StatusCode::BAD_REQUEST, &m),
        Err(intake::Refusal::Failed(e)) => internal(fmt, &rid, e),
    }
}

/// The report and its photo in one transaction: the photo is the work order's first (着手前),
/// stored for the owner organisation, and the report's `media_url` points at it.
async fn accept_with_media(
    st: &Shared,
    posted: &intake::Posted,
    cl: Option<client::Model>,
    media: Media,
) -> Result<intake::Created, intake::Refusal> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, TransactionTrait};
    let Some((name, bytes)) = media else { return intake::accept(&st.db, posted, cl).await };
    let failed = |e: tabane_core::Error| intake::Refusal::Failed(sea_orm::DbErr::Custom(e.to_string()));
    let actor = cl.as_ref().map(|c| format!("open311:{}", c.id)).unwrap_or_default();
    let txn = st.db.begin().await.map_err(intake::Refusal::Failed)?;
    let c = intake::accept(&txn, posted, cl).await?;
    let w = wo::Entity::find_by_id(c.work_order_id).one(&txn).await.map_err(intake::Refusal::Failed)?;
    let w = w.ok_or_else(|| intake::Refusal::Failed(sea_orm::DbErr::RecordNotFound("work order".into())))?;
    let ctx = owner_ctx(&w, &actor);
    let photo =
        crate::service::work_orders::add_photo(&txn, &st.files, &ctx, w.id, "before", "通報写真", &name, &bytes)
            .await
            .map_err(failed)?;
    if let Some(r) = report::Entity::find()
        .filter(report::Column::WorkOrderId.eq(w.id))
        .one(&txn)
        .await
        .map_err(intake::Refusal::Failed)?
    {
        let mut am: report::ActiveModel = r.into();
        am.media_url = Set(Some(media_path(&c.token, photo.id)));
        am.update(&txn).await.map_err(intake::Refusal::Failed)?;
    }
    txn.commit().await.map_err(intake::Refusal::Failed)?;
    Ok(c)
}

/// The system acting for the organisation that owns a reported job (it receives the report and
/// its photo).
fn owner_ctx(w: &wo::Model, actor: &str) -> tabane_core::Ctx {
    tabane_core::Ctx {
        user_id: None,
        actor: actor.to_string(),
        system_admin: false,
        org_id: Some(w.owner_org_id),
        role: Some(tabane_core::domain::Role::Staff),
        bundle_id: None,
        request_id: None,
    }
}

/// The public address of a report's photo (Open311's `media_url`).
fn media_path(token: &str, photo_id: i64) -> String {
    format!("/open311/v2/media/{token}-{photo_id}.jpg")
}

/// A report's photo, public as the spec's `media_url` is: found by the report's token and the
/// photo's id together (neither alone), and only the photo the resident posted.
pub async fn get_media(
    State(st): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    if let Some(r) = throttled(&st, &headers, addr, &file) {
        return r;
    }
    let not_found = || error(Fmt::Json, StatusCode::NOT_FOUND, "media not found");
    let Some((token, id)) = file.strip_suffix(".jpg").and_then(|f| f.rsplit_once('-')) else { return not_found() };
    let Ok(id) = id.parse::<i64>() else { return not_found() };
    let Ok(Some(r)) = report::Entity::find().filter(report::Column::Token.eq(token)).one(&st.db).await else {
        return not_found();
    };
    if r.media_url.as_deref() != Some(media_path(token, id).as_str()) {
        return not_found();
    }
    let Ok(Some(p)) = crate::entities::work_order_photo::Entity::find_by_id(id).one(&st.db).await else {
        return not_found();
    };
    if p.work_order_id != r.work_order_id {
        return not_found();
    }
    let Ok(Some(w)) = wo::Entity::find_by_id(r.work_order_id).one(&st.db).await else { return not_found() };
    match tabane_core::service::files::read(&st.db, &st.files, &owner_ctx(&w, "open311:media"), p.file_id).await {
        Ok((f, bytes)) => {
            let mut resp = Response::new(axum::body::Body::from(bytes));
            if let Ok(v) = HeaderValue::from_str(&f.content_type) {
                resp.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            resp
        }
        Err(_) => not_found(),
    }
}

/// The posted fields, from `application/x-www-form-urlencoded` or `multipart/form-data` (as apps
/// post them). Any other body is refused in the caller's format, never as plain text.
/// A photo posted with the report (`media`): its file name and bytes.
type Media = Option<(String, Vec<u8>)>;

async fn posted_fields(req: axum::extract::Request) -> Result<(Vec<(String, String)>, Media), (StatusCode, String)> {
    use axum::extract::FromRequest;
    let kind = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let bad = |m: String| (StatusCode::BAD_REQUEST, m);
    if kind.starts_with("multipart/form-data") {
        let mut mp = axum::extract::Multipart::from_request(req, &())
            .await
            .map_err(|e| bad(format!("the multipart body cannot be read: {e}")))?;
        let (mut out, mut media) = (Vec::new(), None);
        while let Some(field) =
            mp.next_field().await.map_err(|e| bad(format!("the multipart body cannot be read: {e}")))?
        {
            let name = field.name().unwrap_or("").to_string();
            if name == "media" {
                let file = field.file_name().unwrap_or("media").to_string();
                let bytes = field.bytes().await.map_err(|e| bad(format!("media cannot be read: {e}")))?;
                media = Some((file, bytes.to_vec()));
                continue;
            }
            if field.file_name().is_some() {
                return Err(bad(format!("file part {name} is not part of the spec; post the photo as media")));
            }
            let value = field.text().await.map_err(|e| bad(format!("field {name} cannot be read: {e}")))?;
            out.push((name, value));
        }
        Ok((out, media))
    } else if kind.is_empty() || kind.starts_with("application/x-www-form-urlencoded") {
        let body = axum::body::to_bytes(req.into_body(), 1024 * 1024)
            .await
            .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "the body is larger than 1 MB".to_string()))?;
        Ok((form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect(), None))
    } else {
        Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type {kind} is not accepted; post application/x-www-form-urlencoded or multipart/form-data"
            ),
        ))
    }
}

/// This feature's routes, HTML and JSON twins together (collected by `crate::web::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/infra/open311", Tenant, "infra", "Open311 の接続先と API キー", clients::page),
        route!(post, "/infra/open311/clients", Tenant, "infra", "Open311 の API キー発行", clients::create),
        // Open311 GeoReport v2: public, as the spec intends; POST needs an api_key.
        route!(
            get,
            "/open311/v2/{file}",
            Public,
            "infra",
            "Open311: discovery / services / requests / servicerequestupdates（.xml または .json）",
            get_top
        )
        .external(),
        route!(
            post,
            "/open311/v2/{file}",
            Public,
            "infra",
            "Open311: 通報の送信（requests.xml / requests.json、api_key 必須）",
            post_request
        )
        .external(),
        route!(get, "/open311/v2/services/{file}", Public, "infra", "Open311: 通報種類の定義", get_service).external(),
        route!(
            get,
            "/open311/v2/media/{file}",
            Public,
            "infra",
            "Open311: 通報に添付された写真（media_url）",
            get_media
        )
        .external(),
        route!(get, "/open311/v2/requests/{file}", Public, "infra", "Open311: 通報の状況", get_request).external(),
        route!(get, "/open311/v2/tokens/{file}", Public, "infra", "Open311: トークンから通報番号", get_token)
            .external(),
    ]
}
