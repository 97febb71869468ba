//! 見える化 from the database: counts per owner by three indexed GROUP BY queries (bridges; the
//! confirmed bridge inspections of a round with their lineage and 補修状況; the newest grades), the municipal profiles, and the scope the
//! actor asked for (自団体 / 群 / 県内).
//!
//! The figures are aggregate statistics of the kind the guide publishes per municipality; the
//! quartile of a municipality is computed among every municipality of its class on the platform,
//! and only the aggregate (class average, quartile) of other organisations is shown.

use super::mieruka::{self, Comparison, Counts, Figures, PopClass, Profile};
use crate::entities::{asset, inspection as insp, municipal_profile as mp};
use crate::service::access;
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tabane_core::domain::{OrgKind, Role};
use tabane_core::entities::organisation as org;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

mod profiles;
pub use profiles::*;

/// Counts for every owner (or only `owners`), bridges only, for `round` (default: the newest
/// round with confirmed results; returned). `reference_year`: a bridge built in or before
/// `reference_year − 50` is 50 years old or more.
pub async fn counts_by_owner<D: ConnectionTrait>(
    db: &D,
    owners: Option<&[i64]>,
    reference_year: i32,
    round: Option<i32>,
) -> Result<(i32, HashMap<i64, Counts>)> {
    let mut out: HashMap<i64, Counts> = HashMap::new();
    let bridges = || {
        insp::Entity::find().filter(insp::Column::Status.eq("confirmed")).filter(insp::Column::AssetKind.eq("bridge"))
    };
    let round = match round {
        Some(r) => r,
        None => bridges()
            .select_only()
            .column_as(insp::Column::Round.max(), "r")
            .into_tuple::<Option<i32>>()
            .one(db)
            .await?
            .flatten()
            .unwrap_or(1),
    };
    let mut q = asset::Entity::find()
        .select_only()
        .column(asset::Column::OwnerOrgId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(
            Expr::expr(Func::sum(CaseStatement::new().case(asset::Column::YearBuilt.is_null(), 1).finally(0))),
            "unknown",
        )
        .column_as(
            Expr::expr(Func::sum(
                CaseStatement::new().case(asset::Column::YearBuilt.lte(reference_year - 50), 1).finally(0),
            )),
            "old",
        )
        .filter(asset::Column::Kind.eq("bridge"))
        .group_by(asset::Column::OwnerOrgId);
    if let Some(o) = owners {
        q = q.filter(asset::Column::OwnerOrgId.is_in(o.iter().copied()));
    }
    let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = q.into_tuple().all(db).await?;
    for (owner, n, unknown, old) in rows {
        let c = out.entry(owner).or_default();
        c.bridges = n;
        c.bridges_unknown_year = unknown.unwrap_or(0);
        c.bridges_50y = old.unwrap_or(0);
    }
    // The round: grades, repairs of its III/IV bridges, and where each came from.
    let mut q = bridges()
        .select_only()
        .columns([insp::Column::OwnerOrgId, insp::Column::PrevGrade, insp::Column::Grade, insp::Column::RepairState])
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(insp::Column::Round.eq(round))
        .group_by(insp::Column::OwnerOrgId)
        .group_by(insp::Column::PrevGrade)
        .group_by(insp::Column::Grade)
        .group_by(insp::Column::RepairState);
    if let Some(o) = owners {
        q = q.filter(insp::Column::OwnerOrgId.is_in(o.iter().copied()));
    }
    let rows: Vec<(i64, Option<i32>, Option<i32>, String, i64)> = q.into_tuple().all(db).await?;
    for (owner, prev, grade, state, n) in rows {
        out.entry(owner).or_default().add_inspections(round, prev, grade, &state, false, n);
    }
    // The newest grade of every bridge.
    let mut q = bridges()
        .select_only()
        .columns([insp::Column::OwnerOrgId, insp::Column::Grade])
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(insp::Column::IsLatest.eq(true))
        .group_by(insp::Column::OwnerOrgId)
        .group_by(insp::Column::Grade);
    if let Some(o) = owners {
        q = q.filter(insp::Column::OwnerOrgId.is_in(o.iter().copied()));
    }
    let rows: Vec<(i64, Option<i32>, i64)> = q.into_tuple().all(db).await?;
    for (owner, grade, n) in rows {
        out.entry(owner).or_default().add_latest(grade, n);
    }
    Ok((round, out))
}

fn profile_of(m: &mp::Model) -> Profile {
    Profile {
        population: m.population,
        decline_pct: m.decline_pct,
        civil_staff: m.civil_staff,
        technical_staff: m.technical_staff,
        construction_workers: m.construction_workers,
    }
}

/// Which organisations the dashboard shows.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// 自団体.
    #[default]
    Own,
    /// 群 (the bundle being worked in).
    Bundle,
    /// 県内 (the prefecture's municipalities; for the prefecture's staff).
    Prefecture,
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct Query {
    #[serde(default)]
    pub scope: Scope,
    /// 基準年 for "50 years or older" (default: this year).
    pub year: Option<i32>,
    /// 巡目 for the repair rates and the transition (default: the newest round with data).
    pub round: Option<i32>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Row {
    pub figures: Figures,
    pub comparisons: Vec<Comparison>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "MierukaDashboard")]
pub struct Dashboard {
    pub scope: Scope,
    pub scope_label: String,
    pub reference_year: i32,
    pub round: i32,
    pub rows: Vec<Row>,
    /// The scope's totals (sums of counts; rates recomputed from the sums).
    pub total: Figures,
    pub reference: &'static [mieruka::Reference],
    /// Municipalities on the platform per class (the peers of the quartiles).
    pub peers_per_class: Vec<(&'static str, usize)>,
}

impl Scope {
    /// The key in URLs and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Bundle => "bundle",
            Scope::Prefecture => "prefecture",
        }
    }
}

/// The organisations of the scope, in code order.
async fn scope_orgs<D: ConnectionTrait>(db: &D, ctx: &Ctx, scope: Scope) -> Result<(String, Vec<org::Model>)> {
    let me = ctx.org_id.ok_or(Error::NotFound)?;
    let own = org::Entity::find_by_id(me).one(db).await?.ok_or(Error::NotFound)?;
    let local = [OrgKind::Prefecture.key(), OrgKind::Municipality.key()];
    let (label, mut orgs) = match scope {
        Scope::Own => (own.name.clone(), vec![own]),
        Scope::Bundle => {
            let b = ctx.bundle_id.ok_or_else(|| {
                Error::invalid(
                    "scope",
                    "範囲",
                    "Scope",
                    "「群」を見るには、画面上部で群を選んでください",
                    "choose a bundle first",
                )
            })?;
            if !access::my_bundles(db, ctx).await?.iter().any(|(id, _)| *id == b) {
                return Err(Error::NotFound);
            }
            let name =
                tabane_core::entities::bundle::Entity::find_by_id(b).one(db).await?.map(|b| b.name).unwrap_or_default();
            let ids: Vec<i64> =
                tabane_core::service::bundle_access::members(db, b).await?.into_iter().map(|(org, _)| org).collect();
            (
                name,
                org::Entity::find()
                    .filter(org::Column::Id.is_in(ids))
                    .filter(org::Column::Kind.is_in(local))
                    .all(db)
                    .await?,
            )
        }
        Scope::Prefecture => {
            if own.kind != OrgKind::Prefecture.key() || !ctx.has_role_in(me, Role::Viewer) {
                return Err(Error::forbidden(
                    "「県内」は都道府県の職員が見る範囲です",
                    "The prefecture-wide view is for prefecture staff",
                ));
            }
            let code = own.prefecture_code.clone().unwrap_or_default();
            let mut v = org::Entity::find()
                .filter(org::Column::PrefectureCode.eq(code))
                .filter(org::Column::Kind.eq(OrgKind::Municipality.key()))
                .all(db)
                .await?;
            v.insert(0, own.clone());
            (format!("{}内", own.name), v)
        }
    };
    orgs.sort_by(|a, b| {
        (a.kind != OrgKind::Prefecture.key(), a.lg_code.clone(), a.id).cmp(&(
            b.kind != OrgKind::Prefecture.key(),
            b.lg_code.clone(),
            b.id,
        ))
    });
    Ok((label, orgs))
}

/// What every view compares with: the counts of every owner, the round, the profiles and the
/// figures of every municipality that has figures (the peers of the quartiles).
struct Basis {
    counts: HashMap<i64, Counts>,
    round: i32,
    profiles: HashMap<i64, mp::Model>,
    peers: Vec<Figures>,
}

impl Basis {
    async fn load<D: ConnectionTrait>(db: &D, year: i32, round: Option<i32>) -> Result<Basis> {
        let (round, counts) = counts_by_owner(db, None, year, round).await?;
        let profiles: HashMap<i64, mp::Model> =
            mp::Entity::find().all(db).await?.into_iter().map(|p| (p.org_id, p)).collect();
        let municipalities: Vec<(i64, String, Option<String>)> = org::Entity::find()
            .select_only()
            .columns([org::Column::Id, org::Column::Name, org::Column::LgCode])
            .filter(org::Column::Kind.eq(OrgKind::Municipality.key()))
            .into_tuple()
            .all(db)
            .await?;
        let mut b = Basis { counts, round, profiles, peers: vec![] };
        b.peers = municipalities
            .into_iter()
            .filter(|m| b.profiles.contains_key(&m.0))
            .map(|(id, n, c)| b.figures(id, n, c, true))
            .collect();
        Ok(b)
    }

    fn figures(&self, id: i64, name: String, code: Option<String>, municipality: bool) -> Figures {
        let p = self.profiles.get(&id).map(profile_of).unwrap_or_default();
        let empty = Counts::default();
        mieruka::figures(id, name, code, municipality, p, self.counts.get(&id).unwrap_or(&empty), self.round)
    }
}

/// 全国の見える化: the figures of every municipality with figures, each beside its class. Returns
/// the round used. (An operator's and the benchmark's view; tenants use [`dashboard`].)
pub async fn national<D: ConnectionTrait>(db: &D, year: i32, round: Option<i32>) -> Result<(i32, Vec<Row>)> {
    let b = Basis::load(db, year, round).await?;
    let rows = b.peers.iter().map(|f| Row { comparisons: mieruka::compare(f, &b.peers), figures: f.clone() }).collect();
    Ok((b.round, rows))
}

/// The 見える化 of the scope, every figure beside its class.
pub async fn dashboard<D: ConnectionTrait>(db: &D, ctx: &Ctx, q: &Query) -> Result<Dashboard> {
    let today = crate::service::work_orders::today_jst();
    let year = q.year.unwrap_or(chrono::Datelike::year(&today));
    let (scope_label, orgs) = scope_orgs(db, ctx, q.scope).await?;
    // Every owner is counted: the quartiles compare with the whole class.
    let b = Basis::load(db, year, q.round).await?;
    let (round, counts, profiles, peers) = (b.round, &b.counts, &b.profiles, &b.peers);
    let empty = Counts::default();
    let fig = |id: i64, name: String, code: Option<String>, municipality: bool| b.figures(id, name, code, municipality);
    let rows: Vec<Row> = orgs
        .iter()
        .map(|o| {
            let f = fig(o.id, o.name.clone(), o.lg_code.clone(), o.kind == OrgKind::Municipality.key());
            Row { comparisons: mieruka::compare(&f, peers), figures: f }
        })
        .collect();
    let mut sum = Counts::default();
    let mut profile = Profile::default();
    for o in &orgs {
        let c = counts.get(&o.id).unwrap_or(&empty);
        sum.bridges += c.bridges;
        sum.bridges_50y += c.bridges_50y;
        sum.bridges_unknown_year += c.bridges_unknown_year;
        for g in 0..4 {
            sum.latest[g] += c.latest[g];
        }
        for (r, v) in &c.round_grades {
            let e = sum.round_grades.entry(*r).or_default();
            (0..4).for_each(|g| e[g] += v[g]);
        }
        for (r, v) in &c.round_started {
            *sum.round_started.entry(*r).or_default() += v;
        }
        for (r, v) in &c.round_done {
            *sum.round_done.entry(*r).or_default() += v;
        }
        for (r, t) in &c.transitions {
            let e = sum.transitions.entry(*r).or_default();
            (0..4).for_each(|i| (0..4).for_each(|j| e[i][j] += t[i][j]));
        }
        if let Some(p) = profiles.get(&o.id).filter(|_| o.kind == OrgKind::Municipality.key()) {
            let add = |a: Option<i64>, b: Option<i64>| match (a, b) {
                (Some(x), Some(y)) => Some(x + y),
                (x, y) => x.or(y),
            };
            profile.population = add(profile.population, p.population);
            profile.civil_staff =
                add(profile.civil_staff.map(i64::from), p.civil_staff.map(i64::from)).map(|x| x as i32);
            profile.technical_staff =
                add(profile.technical_staff.map(i64::from), p.technical_staff.map(i64::from)).map(|x| x as i32);
            profile.construction_workers =
                add(profile.construction_workers.map(i64::from), p.construction_workers.map(i64::from))
                    .map(|x| x as i32);
        }
    }
    let total = mieruka::figures(0, "合計".into(), None, false, profile, &sum, round);
    let peers_per_class =
        PopClass::ALL.iter().map(|c| (c.label_ja(), peers.iter().filter(|p| p.class == Some(*c)).count())).collect();
    Ok(Dashboard {
        scope: q.scope,
        scope_label,
        reference_year: year,
        round,
        rows,
        total,
        reference: mieruka::REFERENCE,
        peers_per_class,
    })
}
