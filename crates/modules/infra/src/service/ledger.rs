//! 管理者別台帳 (per-owner ledger): confirmed amounts by month and fiscal year. Each owner sees
//! only its own jobs: the ledger is what that owner pays for.

use crate::domain::Status;
use crate::entities::work_order as wo;
use chrono::Datelike;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::BTreeMap;
use tabane_calendar::FiscalYear;
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct LedgerLine {
    pub work_order_id: i64,
    pub confirmed_on: String,
    pub category: String,
    pub description: String,
    pub cost_total: i64,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Ledger {
    pub owner_org_id: i64,
    pub lines: Vec<LedgerLine>,
    /// ("2026-04", count, total)
    pub by_month: Vec<(String, usize, i64)>,
    /// ("令和8年度", count, total)
    pub by_fiscal_year: Vec<(String, usize, i64)>,
    pub total: i64,
}

pub async fn for_acting_owner<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Ledger> {
    let owner = ctx.org_id.ok_or(Error::NotFound)?;
    let rows = wo::Entity::find()
        .filter(wo::Column::OwnerOrgId.eq(owner))
        .filter(wo::Column::Status.eq(Status::Confirmed.key()))
        .order_by_asc(wo::Column::ConfirmedAt)
        .all(db)
        .await?;
    let jst = tabane_calendar::jst::offset();
    let mut by_month: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    let mut by_fy: BTreeMap<i32, (usize, i64)> = BTreeMap::new();
    let mut lines = Vec::new();
    for r in rows {
        let Some(at) = r.confirmed_at else { continue };
        let d = at.with_timezone(&jst).date_naive();
        let cost = r.cost_total.unwrap_or(0);
        let m = by_month.entry(format!("{}-{:02}", d.year(), d.month())).or_default();
        m.0 += 1;
        m.1 += cost;
        let fy = by_fy.entry(FiscalYear::of(d).0).or_default();
        fy.0 += 1;
        fy.1 += cost;
        lines.push(LedgerLine {
            work_order_id: r.id,
            confirmed_on: d.to_string(),
            category: r.category,
            description: r.description,
            cost_total: cost,
        });
    }
    let total = lines.iter().map(|l| l.cost_total).sum();
    Ok(Ledger {
        owner_org_id: owner,
        lines,
        by_month: by_month.into_iter().map(|(k, (n, t))| (k, n, t)).collect(),
        by_fiscal_year: by_fy.into_iter().map(|(y, (n, t))| (FiscalYear(y).label_ja(), n, t)).collect(),
        total,
    })
}
