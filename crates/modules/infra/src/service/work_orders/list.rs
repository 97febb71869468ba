//! 作業の一覧 (the list of work orders): filters, paging and the overdue rule in SQL.

use super::*;

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct WorkOrderFilter {
    pub status: Option<String>,
    pub urgency: Option<String>,
    pub owner: Option<i64>,
    /// Only jobs past their due date.
    #[serde(default)]
    pub overdue: Option<String>,
    /// Only jobs not yet finished (受付・指示・施工・報告).
    #[serde(default)]
    pub open: Option<String>,
    pub page: Option<u64>,
    /// Category contains this text.
    #[serde(default)]
    pub category: Option<String>,
    /// Received on or after / on or before these dates (JST).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Viewport (minLon, minLat, maxLon, maxLat).
    #[serde(skip)]
    pub bbox: Option<(f64, f64, f64, f64)>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WorkOrderRow {
    pub order: wo::Model,
    pub owner_name: String,
    pub overdue: bool,
}

pub async fn list<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &WorkOrderFilter,
    per_page: u64,
) -> Result<Page<WorkOrderRow>> {
    list_with(db, ctx, f, per_page, true).await
}

/// Like [`list`]; `count` false skips counting all matches (the map does not need the total).
pub async fn list_with<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &WorkOrderFilter,
    per_page: u64,
    count: bool,
) -> Result<Page<WorkOrderRow>> {
    let q = filtered(db, ctx, f).await?;
    let today = today_jst();
    let total = if count { q.clone().count(db).await? } else { 0 };
    let page = f.page.unwrap_or(1).max(1);
    let orders = q.order_by_desc(wo::Column::Id).offset((page - 1) * per_page).limit(per_page).all(db).await?;
    let owners = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(orders.iter().map(|o| o.owner_org_id)))
        .all(db)
        .await?;
    let items = orders
        .into_iter()
        .map(|o| WorkOrderRow {
            owner_name: owners.iter().find(|x| x.id == o.owner_org_id).map(|x| x.name.clone()).unwrap_or_default(),
            overdue: is_overdue(&o, today),
            order: masked(ctx, o),
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}

/// The work orders the actor may see, narrowed by the filter (unordered, unpaged).
pub async fn filtered<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &WorkOrderFilter,
) -> Result<sea_orm::Select<wo::Entity>> {
    let mut q = wo::Entity::find();
    if !ctx.system_admin {
        let bundles: Vec<i64> = access::my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect();
        q = q.filter(wo::Column::BundleId.is_in(bundles));
    }
    if let Some(b) = ctx.bundle_id {
        q = q.filter(wo::Column::BundleId.eq(b));
    }
    if let Some(s) = f.status.as_deref().and_then(Status::parse) {
        q = q.filter(wo::Column::Status.eq(s.key()));
    }
    if let Some(u) = f.urgency.as_deref().and_then(Urgency::parse) {
        q = q.filter(wo::Column::Urgency.eq(u.key()));
    }
    if let Some(o) = f.owner {
        q = q.filter(wo::Column::OwnerOrgId.eq(o));
    }
    if let Some(c) = f.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        q = q.filter(wo::Column::Category.contains(c));
    }
    let jst_midnight = tabane_calendar::jst::start_of;
    if let Some(d) = f.from {
        q = q.filter(wo::Column::ReceivedAt.gte(jst_midnight(d)));
    }
    if let Some(d) = f.to {
        q = q.filter(wo::Column::ReceivedAt.lt(jst_midnight(d + chrono::Days::new(1))));
    }
    if let Some((x0, y0, x1, y1)) = f.bbox {
        q = q.filter(wo::Column::Lat.between(y0, y1)).filter(wo::Column::Lon.between(x0, x1));
    }
    if f.open.as_deref().is_some_and(|v| !v.is_empty() && v != "0" && v != "false") {
        q = q.filter(wo::Column::Status.is_in([
            Status::Received.key(),
            Status::Instructed.key(),
            Status::InProgress.key(),
            Status::Reported.key(),
        ]));
    }
    let today = today_jst();
    if f.overdue.as_deref().is_some_and(|v| !v.is_empty() && v != "0" && v != "false") {
        q = q
            .filter(wo::Column::Status.is_in([Status::Instructed.key(), Status::InProgress.key()]))
            .filter(wo::Column::DueOn.lt(today));
    }
    Ok(q)
}
