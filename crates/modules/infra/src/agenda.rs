//! 月例会議の議題 (the agenda items 群マネ contributes to a meeting of a series in one of its
//! bundles): 「① 受付・対応状況」 with the previous month's figures and 「② 予算執行状況」 of the
//! contract in force, as the meeting's organiser may see them. Registered in the module manifest
//! (`Module::agenda`); the meetings component knows nothing of work orders.

use crate::domain::Status;
use crate::entities::work_order as wo;
use crate::service::{access, contracts};
use chrono::{Months, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tabane_calendar::{FiscalYear, first_of_month, jst};
use tabane_core::{Ctx, Result};
use tabane_web::module::BoxFuture;

/// The items for a meeting held on `day` in `bundle_id`; none when the bundle has no 群マネ work.
pub fn items<'a>(
    db: &'a DatabaseConnection,
    ctx: &'a Ctx,
    bundle_id: i64,
    day: NaiveDate,
) -> BoxFuture<'a, Result<Vec<String>>> {
    Box::pin(async move {
        let mut q = wo::Entity::find().filter(wo::Column::BundleId.eq(bundle_id));
        if let Some(owners) = access::visible_owner_ids(db, ctx).await? {
            q = q.filter(wo::Column::OwnerOrgId.is_in(owners));
        }
        let orders = q.all(db).await?;
        let contract = contracts::in_force(db, bundle_id, day).await?;
        if orders.is_empty() && contract.is_none() {
            return Ok(vec![]);
        }
        let this_month = first_of_month(day);
        let prev = this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month);
        let in_prev = |t| (prev..this_month).contains(&jst::date_of(t));
        let received = orders.iter().filter(|o| in_prev(o.received_at)).count();
        let confirmed = orders.iter().filter(|o| o.confirmed_at.is_some_and(in_prev)).count();
        let open: Vec<&wo::Model> =
            orders.iter().filter(|o| Status::parse(&o.status).is_some_and(|s| s.is_open())).collect();
        let overdue = open.iter().filter(|o| o.due_on.is_some_and(|d| d < day)).count();
        let mut items = vec![format!(
            "① 受付・対応状況（{}年{}月：受付 {received}件・履行確認 {confirmed}件／未完了 {}件、うち期限超過 {overdue}件）",
            prev.format("%Y"),
            prev.format("%-m"),
            open.len()
        )];
        if let Some(c) = contract {
            let fy = FiscalYear::of(day);
            let lines = contracts::budget(db, ctx, c.id, fy).await?;
            let instructed: i64 = lines.iter().map(|l| l.instructed).sum();
            let limit: i64 = lines.iter().filter_map(|l| l.limit_amount).sum();
            let rate = if limit > 0 {
                format!("、執行率 {:.1}%", instructed as f64 * 100.0 / limit as f64)
            } else {
                String::new()
            };
            items.push(format!(
                "② 予算執行状況（{}：指示額 {}／指示限度額 {}{rate}）",
                fy.label_ja(),
                crate::web::yen(instructed),
                crate::web::yen(limit)
            ));
        }
        Ok(items)
    })
}
