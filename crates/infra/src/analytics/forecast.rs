//! 劣化予測 (deterioration forecast) from the inspection records: pairs of consecutive confirmed
//! inspections of the same asset, fitted with the exponential Markov hazard model.

use crate::entities::{inspection as insp, inspection_member as mem, work_order as wo};
use crate::service::access;
use chrono::FixedOffset;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::BTreeMap;
use tabane_hazard::{Fit, FitOptions, Pair};
use tabane_core::{Ctx, Result};

#[derive(Clone, Debug, Serialize)]
pub struct Forecast {
    pub pairs: usize,
    pub fit: Option<Fit>,
    /// Why no model could be fitted (in Japanese), if none.
    pub message: Option<String>,
    /// One-year transition matrix (rows: from grade I..IV).
    pub one_year: Vec<Vec<f64>>,
    /// Expected years from each grade to IV.
    pub years_to_iv: Vec<Option<f64>>,
    /// Current grade distribution (latest confirmed inspection per asset) and its forecast
    /// for years 0..=50 (shares).
    pub distribution: Vec<Vec<f64>>,
}

/// Pairs of consecutive confirmed inspections of the assets the actor can see. A pair counts as
/// repaired when the earlier inspection's findings (or one of its members) were marked done, or a job on the asset was
/// confirmed between the two dates.
pub async fn pairs<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<(Vec<Pair>, Vec<i32>)> {
    let mut q = insp::Entity::find().filter(insp::Column::Status.eq("confirmed"));
    if let Some(ids) = access::visible_owner_ids(db, ctx).await? {
        q = q.filter(insp::Column::OwnerOrgId.is_in(ids));
    }
    let rows = q.order_by_asc(insp::Column::AssetId).order_by_asc(insp::Column::InspectedOn).all(db).await?;
    let done: Vec<i64> = mem::Entity::find().filter(mem::Column::RepairStatus.eq("done")).all(db).await?.into_iter().map(|m| m.inspection_id).collect();
    let jobs = wo::Entity::find().filter(wo::Column::AssetId.is_not_null()).filter(wo::Column::Status.eq("confirmed")).all(db).await?;
    let jst = FixedOffset::east_opt(9 * 3600).expect("valid offset");
    let mut by_asset: BTreeMap<i64, Vec<&insp::Model>> = BTreeMap::new();
    for r in &rows {
        by_asset.entry(r.asset_id).or_default().push(r);
    }
    let mut out = Vec::new();
    let mut latest = Vec::new();
    for (asset, list) in by_asset {
        if let Some(g) = list.last().and_then(|i| i.grade) {
            latest.push(g);
        }
        for w in list.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (Some(ga), Some(gb)) = (a.grade, b.grade) else { continue };
            let years = (b.inspected_on - a.inspected_on).num_days() as f64 / 365.25;
            if years <= 0.0 {
                continue;
            }
            let repaired = a.repair_state == "done" || done.contains(&a.id)
                || jobs.iter().any(|j| j.asset_id == Some(asset) && j.confirmed_at.is_some_and(|t| { let d = t.with_timezone(&jst).date_naive(); d > a.inspected_on && d <= b.inspected_on }));
            out.push(Pair { from: ga as usize, to: gb as usize, years, covariates: vec![], repaired_between: repaired });
        }
    }
    Ok((out, latest))
}

pub async fn forecast<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Forecast> {
    let (pairs, latest) = pairs(db, ctx).await?;
    let mut start = vec![0.0; 4];
    for g in &latest {
        if (1..=4).contains(g) {
            start[(*g - 1) as usize] += 1.0;
        }
    }
    let total: f64 = start.iter().sum();
    if total > 0.0 {
        start.iter_mut().for_each(|x| *x /= total);
    }
    let empty = |message: String| Forecast { pairs: pairs.len(), fit: None, message: Some(message), one_year: vec![], years_to_iv: vec![], distribution: vec![start.clone()] };
    if pairs.is_empty() {
        return Ok(empty("同じ施設の確定済み点検結果が2回以上そろった組がまだありません".into()));
    }
    let fit = match tabane_hazard::fit(&pairs, &FitOptions::default()) {
        Ok(f) => f,
        Err(e) => return Ok(empty(e.to_string())),
    };
    let Some(h) = fit.hazards() else {
        let reasons: Vec<String> = fit.not_estimated.iter().map(|(g, r)| format!("健全性{}: {r}", tabane_hazard::grade_label(*g))).collect();
        return Ok(Forecast { pairs: pairs.len(), message: Some(reasons.join(" / ")), fit: Some(fit), one_year: vec![], years_to_iv: vec![], distribution: vec![start] });
    };
    let p = h.transition(1.0);
    let one_year = (0..p.nrows()).map(|i| (0..p.ncols()).map(|j| p[(i, j)]).collect()).collect();
    let years_to_iv = (1..=3).map(|g| Some(h.expected_time_to_worst(g))).chain(std::iter::once(Some(0.0))).collect();
    let mut distribution = vec![start.clone()];
    distribution.extend(if total > 0.0 { h.distribution_after(&start, 50) } else { vec![] });
    Ok(Forecast { pairs: pairs.len(), fit: Some(fit), message: None, one_year, years_to_iv, distribution })
}
