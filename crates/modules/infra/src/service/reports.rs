//! 月報 (monthly report) per owner or per contract, and the 写真台帳 (photo ledger) of a job or
//! of a month. Figures come straight from the work orders; nothing is re-typed.

use super::{access, work_orders};
use crate::domain::{Phase, Status};
use crate::entities::{work_order as wo, work_order_photo as photo};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::BTreeMap;
use tabane_core::entities::{organisation, stored_file};
use tabane_core::{Ctx, Error, Result};

/// A month, "2026-11".
pub fn parse_month(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = s.trim().split_once('-')?;
    let start = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    Some((start, tabane_calendar::end_of_month(start)))
}

/// The p-th percentile (0–100) by nearest rank; None for no data.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// The median (average of the middle two for an even count).
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "InfraMonthlyReport")]
pub struct MonthlyReport {
    pub owner_org_id: i64,
    pub owner_name: String,
    pub month: String,
    /// Jobs received in the month, by category and status.
    pub by_category: Vec<(String, BTreeMap<String, usize>)>,
    pub received: usize,
    pub confirmed: usize,
    /// Days from 受付 to 履行確認 of the jobs confirmed in the month.
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
    pub overdue_now: usize,
    pub confirmed_cost: i64,
}

fn jst_date(t: chrono::DateTime<Utc>) -> NaiveDate {
    tabane_calendar::jst::date_of(t)
}

/// Monthly report for one owner: the owner itself, or the contractor/secretariat of its bundle.
pub async fn monthly<D: ConnectionTrait>(db: &D, ctx: &Ctx, owner: i64, month: &str) -> Result<MonthlyReport> {
    let mut allowed = ctx.system_admin || ctx.org_id == Some(owner);
    for (b, role) in access::my_bundles(db, ctx).await? {
        if matches!(role, tabane_core::domain::BundleRole::Contractor | tabane_core::domain::BundleRole::Secretariat)
            && tabane_core::service::bundles::member_role(db, b, owner).await?.is_some()
        {
            allowed = true;
        }
    }
    if !allowed {
        return Err(Error::NotFound);
    }
    let bundles: Vec<i64> = access::my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect();
    let name = organisation::Entity::find_by_id(owner).one(db).await?.map(|o| o.name).unwrap_or_default();
    let mut q = wo::Entity::find().filter(wo::Column::OwnerOrgId.eq(owner));
    if !ctx.system_admin {
        q = q.filter(wo::Column::BundleId.is_in(bundles));
    }
    summarise(q.all(db).await?, owner, name, month)
}

/// Monthly report for a contract: every owner's jobs in the contract's bundle, for the
/// contractor and the bundle's managers; an owner sees its own jobs only.
pub async fn monthly_for_contract<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    contract_id: i64,
    month: &str,
) -> Result<MonthlyReport> {
    let c = super::contracts::find(db, ctx, contract_id).await?;
    let see_all = ctx.org_id == Some(c.contractor_org_id)
        || tabane_core::service::bundles::get(db, ctx, c.bundle_id).await?.can_manage;
    let mut q = wo::Entity::find().filter(wo::Column::BundleId.eq(c.bundle_id));
    if !see_all {
        q = q.filter(wo::Column::OwnerOrgId.eq(ctx.org_id.unwrap_or(-1)));
    }
    summarise(q.all(db).await?, 0, c.name, month)
}

fn summarise(orders: Vec<wo::Model>, owner: i64, name: String, month: &str) -> Result<MonthlyReport> {
    let (start, end) = parse_month(month).ok_or_else(|| {
        Error::invalid("month", "月", "Month", "は 2026-11 のように入力してください", "must look like 2026-11")
    })?;
    let in_month = |d: NaiveDate| d >= start && d <= end;
    let mut by_cat: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut received = 0;
    for o in orders.iter().filter(|o| in_month(jst_date(o.received_at))) {
        received += 1;
        let status = Status::parse(&o.status).map(|s| s.label_ja()).unwrap_or("").to_string();
        *by_cat.entry(o.category.clone()).or_default().entry(status).or_default() += 1;
    }
    let confirmed: Vec<&wo::Model> = orders
        .iter()
        .filter(|o| o.status == Status::Confirmed.key() && o.confirmed_at.is_some_and(|t| in_month(jst_date(t))))
        .collect();
    let mut days: Vec<f64> = confirmed
        .iter()
        .map(|o| (o.confirmed_at.expect("filtered") - o.received_at).num_seconds() as f64 / 86_400.0)
        .collect();
    days.sort_by(f64::total_cmp);
    let today = work_orders::today_jst();
    Ok(MonthlyReport {
        owner_org_id: owner,
        owner_name: name,
        month: format!("{}-{:02}", start.year(), start.month()),
        by_category: by_cat.into_iter().collect(),
        received,
        confirmed: confirmed.len(),
        median_days: median(&days),
        p90_days: percentile(&days, 90.0),
        overdue_now: orders.iter().filter(|o| work_orders::is_overdue(o, today)).count(),
        confirmed_cost: confirmed.iter().filter_map(|o| o.cost_total).sum(),
    })
}

/// One row of the 写真台帳.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LedgerPhoto {
    pub work_order_id: i64,
    pub file_id: i64,
    pub file_name: String,
    pub phase: Phase,
    pub taken_on: NaiveDate,
    pub location: String,
    pub work_item: String,
    pub remarks: String,
}

fn location(o: &wo::Model) -> String {
    match (&o.address, o.lat, o.lon) {
        (Some(a), _, _) => a.clone(),
        (None, Some(a), Some(b)) => format!("{a:.5}, {b:.5}"),
        _ => String::new(),
    }
}

/// Photos of the given work orders, in job and phase order.
async fn photos_of<D: ConnectionTrait>(db: &D, orders: &[wo::Model]) -> Result<Vec<LedgerPhoto>> {
    let rows = photo::Entity::find()
        .filter(photo::Column::WorkOrderId.is_in(orders.iter().map(|o| o.id)))
        .filter(photo::Column::Phase.ne(Phase::Document.key()))
        .order_by_asc(photo::Column::WorkOrderId)
        .order_by_asc(photo::Column::Id)
        .all(db)
        .await?;
    let files = stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(rows.iter().map(|p| p.file_id)))
        .all(db)
        .await?;
    let mut out: Vec<LedgerPhoto> = rows
        .into_iter()
        .filter_map(|p| {
            let o = orders.iter().find(|o| o.id == p.work_order_id)?;
            Some(LedgerPhoto {
                work_order_id: o.id,
                file_id: p.file_id,
                file_name: files.iter().find(|f| f.id == p.file_id).map(|f| f.file_name.clone()).unwrap_or_default(),
                phase: Phase::parse(&p.phase).unwrap_or(Phase::During),
                taken_on: jst_date(p.created_at),
                location: location(o),
                work_item: o.category.clone(),
                remarks: p.caption.unwrap_or_default(),
            })
        })
        .collect();
    let order = |ph: Phase| Phase::ALL.iter().position(|x| *x == ph).unwrap_or(0);
    out.sort_by_key(|p| (p.work_order_id, order(p.phase)));
    Ok(out)
}

/// 写真台帳 of one job (anyone who can see the job).
pub async fn photo_ledger_for_job<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<Vec<LedgerPhoto>> {
    let o = work_orders::find(db, ctx, id).await?;
    photos_of(db, &[o]).await
}

/// 写真台帳 of a month: the jobs of the acting owner (or, for a contractor, of its bundles)
/// confirmed or reported in that month.
pub async fn photo_ledger_for_month<D: ConnectionTrait>(db: &D, ctx: &Ctx, month: &str) -> Result<Vec<LedgerPhoto>> {
    let (start, end) = parse_month(month).ok_or_else(|| {
        Error::invalid("month", "月", "Month", "は 2026-11 のように入力してください", "must look like 2026-11")
    })?;
    let bundles: Vec<i64> = access::my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect();
    let is_contractor =
        access::my_bundles(db, ctx).await?.iter().any(|(_, r)| *r == tabane_core::domain::BundleRole::Contractor);
    let mut q = wo::Entity::find().filter(wo::Column::BundleId.is_in(bundles));
    if !is_contractor {
        q = q.filter(wo::Column::OwnerOrgId.eq(ctx.org_id.unwrap_or(-1)));
    }
    let orders: Vec<wo::Model> = q
        .all(db)
        .await?
        .into_iter()
        .filter(|o| {
            o.reported_at.is_some_and(|t| {
                let d = jst_date(t);
                d >= start && d <= end
            })
        })
        .collect();
    photos_of(db, &orders).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentile() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(median(&v), Some(5.5));
        assert_eq!(percentile(&v, 90.0), Some(9.0));
        assert_eq!(percentile(&v, 100.0), Some(10.0));
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(percentile(&[], 90.0), None);
    }

    #[test]
    fn months_parse() {
        assert_eq!(
            parse_month("2026-02"),
            Some((NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()))
        );
        assert_eq!(parse_month("2026-13"), None);
    }
}
