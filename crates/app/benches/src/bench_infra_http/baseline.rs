//! The statements as the services build them, and the baseline server that runs them bare (no session, middleware, access checks or templates).

use super::*;

// ---------------------------------------------------------------------------------------------
// The statements, built as the services build them (`work_orders::list`, `map::features`,
// `work_orders::view`), shared by the baseline and the query-plan report.

pub(crate) fn parse_bbox(s: &str) -> Option<(f64, f64, f64, f64)> {
    let v: Vec<f64> = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    (v.len() == 4 && v[0] <= v[2] && v[1] <= v[3]).then(|| (v[0], v[1], v[2], v[3]))
}

/// `work_orders::list` for a member of `bundles` working in `bundle`, no other filters.
pub(crate) fn orders_query(bundles: &[i64], bundle: i64, bbox: Option<(f64, f64, f64, f64)>) -> Select<wo::Entity> {
    let mut q =
        wo::Entity::find().filter(wo::Column::BundleId.is_in(bundles.to_vec())).filter(wo::Column::BundleId.eq(bundle));
    if let Some((x0, y0, x1, y1)) = bbox {
        q = q.filter(wo::Column::Lat.between(y0, y1)).filter(wo::Column::Lon.between(x0, x1));
    }
    q
}

pub(crate) fn page_query(q: Select<wo::Entity>, page: u64, per_page: u64) -> Select<wo::Entity> {
    q.order_by_desc(wo::Column::Id).offset((page - 1) * per_page).limit(per_page)
}

/// The statement `PaginatorTrait::count` sends.
pub(crate) fn count_statement(q: &Select<wo::Entity>) -> Statement {
    let stmt = SelectStatement::new()
        .expr(Expr::cust("COUNT(*) AS num_items"))
        .from_subquery(q.as_query().clone(), sea_orm::sea_query::Alias::new("sub_query"))
        .to_owned();
    DbBackend::Sqlite.build(&stmt)
}

// ---------------------------------------------------------------------------------------------
// Baseline server

pub(crate) struct Base {
    pub(crate) db: DatabaseConnection,
    pub(crate) bundles: Vec<i64>,
    pub(crate) bundle: i64,
    pub(crate) ctx: Ctx,
}

pub(crate) type BaseResult = std::result::Result<Json<Value>, (StatusCode, String)>;

pub(crate) fn internal(e: impl std::fmt::Display) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// Orders of a page with their owners' names: the statements of `work_orders::list`.
pub(crate) async fn base_rows(
    b: &Base,
    q: Select<wo::Entity>,
    page: u64,
    per_page: u64,
) -> std::result::Result<(u64, Vec<(wo::Model, String, bool)>), (StatusCode, String)> {
    let total = q.clone().count(&b.db).await.map_err(internal)?;
    let orders = page_query(q, page, per_page).all(&b.db).await.map_err(internal)?;
    let owners = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(orders.iter().map(|o| o.owner_org_id)))
        .all(&b.db)
        .await
        .map_err(internal)?;
    let today = today_jst();
    Ok((
        total,
        orders
            .into_iter()
            .map(|o| {
                let name = owners.iter().find(|x| x.id == o.owner_org_id).map(|x| x.name.clone()).unwrap_or_default();
                let overdue = is_overdue(&o, today);
                (masked(&b.ctx, o), name, overdue)
            })
            .collect(),
    ))
}

pub(crate) async fn base_list(State(b): State<Arc<Base>>, Query(q): Query<HashMap<String, String>>) -> BaseResult {
    let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u64).max(1);
    let (total, rows) = base_rows(&b, orders_query(&b.bundles, b.bundle, None), page, PER_PAGE_API).await?;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(order, owner_name, overdue)| json!({ "order": order, "owner_name": owner_name, "overdue": overdue }))
        .collect();
    Ok(Json(json!({ "items": items, "total": total, "page": page, "per_page": PER_PAGE_API })))
}

pub(crate) async fn base_map(State(b): State<Arc<Base>>, Query(q): Query<HashMap<String, String>>) -> BaseResult {
    let bbox = q.get("bbox").and_then(|s| parse_bbox(s));
    // As `map::features`: more located matches than CLUSTER_ABOVE are answered as clusters.
    let located = orders_query(&b.bundles, b.bundle, bbox)
        .filter(wo::Column::Lat.is_not_null())
        .filter(wo::Column::Lon.is_not_null());
    if located.clone().count(&b.db).await.map_err(internal)? > map::CLUSTER_ABOVE {
        let rows: Vec<map::OrderRow> =
            located.select_only().columns(map::ORDER_POINT_COLUMNS).into_tuple().all(&b.db).await.map_err(internal)?;
        let points = map::order_points(rows, today_jst());
        return Ok(Json(
            json!({ "type": "FeatureCollection", "features": map::cluster(&points, bbox, map::Grid::default(), "work_order") }),
        ));
    }
    let (_, rows) = base_rows(&b, orders_query(&b.bundles, b.bundle, bbox), 1, MAP_MAX).await?;
    let features: Vec<Value> = rows
        .into_iter()
        .filter_map(|(o, owner, overdue)| {
            let (lat, lon) = (o.lat?, o.lon?);
            let status = Status::parse(&o.status);
            Some(json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": {
                    "layer": "work_order", "id": o.id, "name": o.category, "owner": owner,
                    "status": status.map(|s| s.label_ja()).unwrap_or(""),
                    "urgency": Urgency::parse(&o.urgency).map(|u| u.label_ja()).unwrap_or(""),
                    "open": status.is_some_and(|s| s.is_open()), "overdue": overdue,
                    "url": format!("/infra/work-orders/{}", o.id)
                }
            }))
        })
        .collect();
    Ok(Json(json!({ "type": "FeatureCollection", "features": features })))
}

/// The reads of `work_orders::view`: the order, its events, photos (with file names), asset,
/// resident report, the contract in force and the owner's and contractor's names.
pub(crate) async fn base_order(State(b): State<Arc<Base>>, UrlPath(id): UrlPath<i64>) -> BaseResult {
    let db = &b.db;
    let w = wo::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or((StatusCode::NOT_FOUND, "not found".into()))?;
    let events = ev::Entity::find()
        .filter(ev::Column::WorkOrderId.eq(id))
        .order_by_asc(ev::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let rows = photo::Entity::find()
        .filter(photo::Column::WorkOrderId.eq(id))
        .order_by_asc(photo::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let files = stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(rows.iter().map(|p| p.file_id)))
        .all(db)
        .await
        .map_err(internal)?;
    let photos: Vec<Value> = rows
        .iter()
        .map(|p| json!({ "id": p.id, "file_id": p.file_id, "phase": p.phase, "caption": p.caption, "file_name": files.iter().find(|f| f.id == p.file_id).map(|f| f.file_name.as_str()).unwrap_or("") }))
        .collect();
    let asset_name = match w.asset_id {
        Some(a) => asset::Entity::find_by_id(a).one(db).await.map_err(internal)?.map(|a| a.name),
        None => None,
    };
    let rep = resident_report::Entity::find()
        .filter(resident_report::Column::WorkOrderId.eq(id))
        .one(db)
        .await
        .map_err(internal)?;
    let today = today_jst();
    let job_cap = contract::Entity::find()
        .filter(contract::Column::BundleId.eq(w.bundle_id))
        .filter(contract::Column::PeriodStart.lte(today))
        .filter(contract::Column::PeriodEnd.gte(today))
        .order_by_desc(contract::Column::PeriodStart)
        .one(db)
        .await
        .map_err(internal)?
        .map(|c| c.job_cap);
    let org_name = |id: i64| async move {
        organisation::Entity::find_by_id(id).one(db).await.map(|o| o.map(|o| o.name).unwrap_or_default())
    };
    let owner_name = org_name(w.owner_org_id).await.map_err(internal)?;
    let contractor_name = match w.contractor_org_id {
        Some(c) => Some(org_name(c).await.map_err(internal)?),
        None => None,
    };
    let overdue = is_overdue(&w, today);
    Ok(Json(json!({
        "order": masked(&b.ctx, w), "events": events, "photos": photos, "asset_name": asset_name, "owner_name": owner_name,
        "contractor_name": contractor_name, "job_cap": job_cap, "has_report": rep.is_some(), "overdue": overdue,
    })))
}

pub(crate) fn baseline_router(b: Arc<Base>) -> Router {
    Router::new()
        .route("/api/infra/work-orders", axum::routing::get(base_list))
        .route("/api/infra/map", axum::routing::get(base_map))
        .route("/infra/work-orders/{id}", axum::routing::get(base_order))
        .with_state(b)
}
