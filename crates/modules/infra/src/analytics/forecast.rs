//! 劣化予測 (deterioration forecast) from the inspection records: pairs of consecutive confirmed
//! inspections of the same asset, fitted with the exponential Markov hazard model, optionally
//! with covariates (経過年数 age, 橋長 length), and each asset's probability of reaching III / IV.

use crate::entities::{asset, inspection as insp, inspection_member as mem, work_order as wo};
use crate::service::access;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use tabane_core::{Ctx, Error, Result};
use tabane_hazard::{Fit, FitOptions, Hazards, Pair};

/// 共変量 (covariates) the records provide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Covariate {
    /// 経過年数: years since the asset was built, at the earlier inspection.
    Age,
    /// 橋長・延長 (m), from the asset's attributes.
    Length,
}

impl Covariate {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "age" | "経過年数" => Some(Self::Age),
            "length" | "橋長" | "延長" => Some(Self::Length),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Self::Age => "age",
            Self::Length => "length",
        }
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Age => "経過年数",
            Self::Length => "橋長・延長",
        }
    }
    fn value(self, a: &AssetFacts, on: NaiveDate) -> Option<f64> {
        match self {
            Self::Age => a.year_built.map(|y| f64::from(chrono::Datelike::year(&on) - y)).filter(|x| *x >= 0.0),
            Self::Length => a.length_m,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct ForecastQuery {
    /// Comma-separated: age, length (empty: no covariates).
    #[serde(default)]
    pub covariates: String,
}

impl ForecastQuery {
    pub fn parse(&self) -> Result<Vec<Covariate>> {
        let mut out = Vec::new();
        for s in self.covariates.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let c = Covariate::parse(s).ok_or_else(|| {
                Error::invalid(
                    "covariates",
                    "共変量",
                    "Covariates",
                    format!("「{s}」は使えません（age・length）"),
                    "must be age and/or length",
                )
            })?;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        Ok(out)
    }
}

/// 施設ごとの劣化の見込み: the probability that an asset is in III or worse / in IV after 5 and
/// 10 years from today, from its newest confirmed grade.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AssetRisk {
    pub asset_id: i64,
    pub name: String,
    pub grade: i32,
    pub inspected_on: NaiveDate,
    pub p_iii_5y: f64,
    pub p_iii_10y: f64,
    pub p_iv_5y: f64,
    pub p_iv_10y: f64,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Forecast {
    pub pairs: usize,
    pub covariates: Vec<Covariate>,
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
    /// Per asset, most at risk first.
    pub assets: Vec<AssetRisk>,
}

struct AssetFacts {
    year_built: Option<i32>,
    length_m: Option<f64>,
}

/// The newest confirmed grade of an asset.
pub struct Latest {
    pub asset_id: i64,
    pub grade: i32,
    pub on: NaiveDate,
}

/// Pairs of consecutive confirmed inspections of the assets the actor can see: every confirmed
/// inspection with a previous one (kept on the row at write time) is a pair. A pair counts as
/// repaired when the earlier inspection's findings (or one of its members) were marked done, or
/// a job on the asset was confirmed between the two dates. With covariates, a pair whose asset
/// lacks a value (e.g. unknown year built) is left out.
pub async fn pairs_with<D: ConnectionTrait>(db: &D, ctx: &Ctx, covariates: &[Covariate]) -> Result<Vec<Pair>> {
    let visible = access::visible_owner_ids(db, ctx).await?;
    let facts = if covariates.is_empty() { HashMap::new() } else { asset_facts(db, visible.as_deref()).await? };
    pairs_in(db, visible.as_deref(), &facts, covariates).await
}

/// [`pairs_with`] for the owners `visible` (all when `None`), with the assets' facts loaded.
async fn pairs_in<D: ConnectionTrait>(
    db: &D,
    visible: Option<&[i64]>,
    facts: &HashMap<i64, AssetFacts>,
    covariates: &[Covariate],
) -> Result<Vec<Pair>> {
    let scoped = |q: sea_orm::Select<insp::Entity>| match visible {
        Some(ids) => q.filter(insp::Column::OwnerOrgId.is_in(ids.iter().copied())),
        None => q,
    };
    // Only the columns the pairs need, in no particular order: nationally 1.5 million rows.
    let rows: Vec<(i64, Option<i32>, NaiveDate, Option<i32>, NaiveDate)> = scoped(insp::Entity::find())
        .select_only()
        .columns([
            insp::Column::AssetId,
            insp::Column::PrevGrade,
            insp::Column::PrevInspectedOn,
            insp::Column::Grade,
            insp::Column::InspectedOn,
        ])
        // Only confirmed inspections have a previous one recorded; no status filter, so this is
        // one plain scan rather than an index walk with a lookup per row.
        .filter(insp::Column::PrevInspectedOn.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    // Inspections whose findings were repaired (as a whole, or a member of them).
    let mut done: HashSet<(i64, NaiveDate)> = scoped(insp::Entity::find())
        .select_only()
        .columns([insp::Column::AssetId, insp::Column::InspectedOn])
        .filter(insp::Column::Status.eq("confirmed"))
        .filter(insp::Column::RepairState.eq("done"))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let member_done: Vec<i64> = mem::Entity::find()
        .select_only()
        .column(mem::Column::InspectionId)
        .filter(mem::Column::RepairStatus.eq("done"))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    for chunk in member_done.chunks(500) {
        let rows: Vec<(i64, NaiveDate)> = insp::Entity::find()
            .select_only()
            .columns([insp::Column::AssetId, insp::Column::InspectedOn])
            .filter(insp::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        done.extend(rows);
    }
    let mut jobs: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    let jst = tabane_calendar::jst::offset();
    for j in wo::Entity::find()
        .filter(wo::Column::AssetId.is_not_null())
        .filter(wo::Column::Status.eq("confirmed"))
        .all(db)
        .await?
    {
        if let (Some(a), Some(t)) = (j.asset_id, j.confirmed_at) {
            jobs.entry(a).or_default().push(t.with_timezone(&jst).date_naive());
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for (asset, prev, prev_on, grade, on) in rows {
        let (Some(ga), Some(gb)) = (prev, grade) else { continue };
        let years = (on - prev_on).num_days() as f64 / 365.25;
        if years <= 0.0 {
            continue;
        }
        let x: Option<Vec<f64>> =
            covariates.iter().map(|c| facts.get(&asset).and_then(|f| c.value(f, prev_on))).collect();
        let Some(x) = x else { continue };
        let repaired = done.contains(&(asset, prev_on))
            || jobs.get(&asset).is_some_and(|d| d.iter().any(|d| *d > prev_on && *d <= on));
        out.push(Pair { from: ga as usize, to: gb as usize, years, covariates: x, repaired_between: repaired });
    }
    Ok(out)
}

/// The newest confirmed grade of each asset the actor can see (only confirmed inspections are
/// ever marked newest).
pub async fn latest<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<Latest>> {
    latest_in(db, access::visible_owner_ids(db, ctx).await?.as_deref()).await
}

async fn latest_in<D: ConnectionTrait>(db: &D, visible: Option<&[i64]>) -> Result<Vec<Latest>> {
    let mut q = insp::Entity::find()
        .select_only()
        .columns([insp::Column::AssetId, insp::Column::Grade, insp::Column::InspectedOn])
        .filter(insp::Column::IsLatest.eq(true));
    if let Some(ids) = visible {
        q = q.filter(insp::Column::OwnerOrgId.is_in(ids.iter().copied()));
    }
    let rows: Vec<(i64, Option<i32>, NaiveDate)> = q.order_by_asc(insp::Column::AssetId).into_tuple().all(db).await?;
    Ok(rows.into_iter().filter_map(|(asset_id, g, on)| g.map(|grade| Latest { asset_id, grade, on })).collect())
}

/// [`pairs_with`] without covariates.
pub async fn pairs<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<Pair>> {
    pairs_with(db, ctx, &[]).await
}

async fn asset_facts<D: ConnectionTrait>(db: &D, owners: Option<&[i64]>) -> Result<HashMap<i64, AssetFacts>> {
    let mut q = asset::Entity::find().select_only().columns([
        asset::Column::Id,
        asset::Column::YearBuilt,
        asset::Column::Attributes,
    ]);
    if let Some(o) = owners {
        q = q.filter(asset::Column::OwnerOrgId.is_in(o.iter().copied()));
    }
    let rows: Vec<(i64, Option<i32>, Option<String>)> = q.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, year_built, attrs)| {
            let length_m = attrs
                .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
                .and_then(|v| v["延長_m"].as_f64());
            (id, AssetFacts { year_built, length_m })
        })
        .collect())
}

pub async fn forecast<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Forecast> {
    forecast_with(db, ctx, &ForecastQuery::default()).await
}

pub async fn forecast_with<D: ConnectionTrait>(db: &D, ctx: &Ctx, q: &ForecastQuery) -> Result<Forecast> {
    let covariates = q.parse()?;
    // Who is visible and the assets' facts are read once for the pairs and the per-asset risks.
    let visible = access::visible_owner_ids(db, ctx).await?;
    let facts = if covariates.is_empty() { HashMap::new() } else { asset_facts(db, visible.as_deref()).await? };
    let pairs = pairs_in(db, visible.as_deref(), &facts, &covariates).await?;
    let latest = latest_in(db, visible.as_deref()).await?;
    let mut start = vec![0.0; 4];
    for l in &latest {
        if (1..=4).contains(&l.grade) {
            start[(l.grade - 1) as usize] += 1.0;
        }
    }
    let total: f64 = start.iter().sum();
    if total > 0.0 {
        start.iter_mut().for_each(|x| *x /= total);
    }
    let base = Forecast {
        pairs: pairs.len(),
        covariates: covariates.clone(),
        fit: None,
        message: None,
        one_year: vec![],
        years_to_iv: vec![],
        distribution: vec![start.clone()],
        assets: vec![],
    };
    if pairs.is_empty() {
        return Ok(Forecast {
            message: Some("同じ施設の確定済み点検結果が2回以上そろった組がまだありません".into()),
            ..base
        });
    }
    let opts =
        FitOptions { covariate_names: covariates.iter().map(|c| c.key().to_string()).collect(), ..Default::default() };
    let fit = match tabane_hazard::fit(&pairs, &opts) {
        Ok(f) => f,
        Err(e) => return Ok(Forecast { message: Some(e.to_string()), ..base }),
    };
    let Some(h) = fit.hazards() else {
        let reasons: Vec<String> =
            fit.not_estimated.iter().map(|(g, r)| format!("健全性{}: {r}", tabane_hazard::grade_label(*g))).collect();
        return Ok(Forecast { message: Some(reasons.join(" / ")), fit: Some(fit), ..base });
    };
    let p = h.transition(1.0);
    let one_year = (0..p.nrows()).map(|i| (0..p.ncols()).map(|j| p[(i, j)]).collect()).collect();
    let years_to_iv = (1..=3).map(|g| Some(h.expected_time_to_worst(g))).chain(std::iter::once(Some(0.0))).collect();
    let mut distribution = vec![start.clone()];
    distribution.extend(if total > 0.0 { h.distribution_after(&start, 50) } else { vec![] });
    let assets = asset_risks(db, &fit, &h, &covariates, &facts, &latest).await?;
    Ok(Forecast { fit: Some(fit), one_year, years_to_iv, distribution, assets, ..base })
}

/// Each asset's chance of being in III or worse / IV, 5 and 10 years from today: from its newest
/// grade over the time since that inspection plus the horizon; with covariates, at its own values
/// (today's age), falling back to the mean hazards where a value is missing.
async fn asset_risks<D: ConnectionTrait>(
    db: &D,
    fit: &Fit,
    mean: &Hazards,
    covariates: &[Covariate],
    facts: &HashMap<i64, AssetFacts>,
    latest: &[Latest],
) -> Result<Vec<AssetRisk>> {
    let today = crate::service::work_orders::today_jst();
    let mut names: HashMap<i64, String> = HashMap::new();
    for chunk in latest.chunks(500) {
        let rows: Vec<(i64, String)> = asset::Entity::find()
            .select_only()
            .columns([asset::Column::Id, asset::Column::Name])
            .filter(asset::Column::Id.is_in(chunk.iter().map(|l| l.asset_id)))
            .into_tuple()
            .all(db)
            .await?;
        names.extend(rows);
    }
    let mut out: Vec<AssetRisk> = latest
        .iter()
        .map(|l| {
            let own = if covariates.is_empty() {
                None
            } else {
                let x: Option<Vec<f64>> =
                    covariates.iter().map(|c| facts.get(&l.asset_id).and_then(|f| c.value(f, today))).collect();
                x.and_then(|x| fit.hazards_for(&x)).filter(|h| h.validate().is_ok())
            };
            let h = own.as_ref().unwrap_or(mean);
            let since = ((today - l.on).num_days().max(0)) as f64 / 365.25;
            let g = l.grade.clamp(1, 4) as usize;
            AssetRisk {
                asset_id: l.asset_id,
                name: names.get(&l.asset_id).cloned().unwrap_or_default(),
                grade: l.grade,
                inspected_on: l.on,
                p_iii_5y: h.prob_at_least(g, 3, since + 5.0),
                p_iii_10y: h.prob_at_least(g, 3, since + 10.0),
                p_iv_5y: h.prob_at_least(g, 4, since + 5.0),
                p_iv_10y: h.prob_at_least(g, 4, since + 10.0),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.p_iv_5y.total_cmp(&a.p_iv_5y).then(b.p_iii_5y.total_cmp(&a.p_iii_5y)).then(a.asset_id.cmp(&b.asset_id))
    });
    Ok(out)
}
