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
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
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

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub scope: Scope,
    /// 基準年 for "50 years or older" (default: this year).
    pub year: Option<i32>,
    /// 巡目 for the repair rates and the transition (default: the newest round with data).
    pub round: Option<i32>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub figures: Figures,
    pub comparisons: Vec<Comparison>,
}

#[derive(Clone, Debug, Serialize)]
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

/// 基礎数値 as typed in a form or a file row.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProfileForm {
    /// The municipality's id (default: the acting organisation); a number or a string.
    #[serde(default, deserialize_with = "string_or_number")]
    pub org_id: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub population: String,
    #[serde(default)]
    pub decline_pct: String,
    #[serde(default)]
    pub civil_staff: String,
    #[serde(default)]
    pub technical_staff: String,
    #[serde(default)]
    pub construction_workers: String,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    })
}

fn number(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str, allow_negative_fraction: bool) -> Option<f64> {
    let t = tabane_tabular::to_halfwidth_ascii(v.trim()).replace([',', '%', '人'], "");
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && (allow_negative_fraction || (x >= 0.0 && x.fract() == 0.0)) => Some(x),
        _ => {
            let (mja, men) = if allow_negative_fraction {
                ("は数値（%）で入力してください", "must be a number (percent)")
            } else {
                ("は0以上の整数で入力してください", "must be a whole number, 0 or more")
            };
            p.push(field, ja, en, mja, men);
            None
        }
    }
}

/// Checks a form; the date defaults to today.
pub fn check_profile(f: &ProfileForm, today: NaiveDate) -> std::result::Result<(NaiveDate, Profile), Problems> {
    let mut p = Problems::default();
    let as_of = if f.as_of.trim().is_empty() {
        Some(today)
    } else {
        match tabane_calendar::parse_date(&f.as_of) {
            Ok(d) => Some(d),
            Err(e) => {
                p.push("as_of", "基準日", "Reference date", e.message_ja(), e.message_en());
                None
            }
        }
    };
    let population = number(&mut p, "population", "人口", "Population", &f.population, false).map(|x| x as i64);
    let decline_pct = number(&mut p, "decline_pct", "人口減少率", "Population decline", &f.decline_pct, true);
    let civil_staff = number(&mut p, "civil_staff", "土木部門職員数", "Civil-engineering staff", &f.civil_staff, false)
        .map(|x| x as i32);
    let technical_staff =
        number(&mut p, "technical_staff", "技術系職員数", "Technical staff", &f.technical_staff, false)
            .map(|x| x as i32);
    let construction_workers = number(
        &mut p,
        "construction_workers",
        "建設業従業者数",
        "Construction workers",
        &f.construction_workers,
        false,
    )
    .map(|x| x as i32);
    match as_of {
        Some(d) if p.0.is_empty() => {
            Ok((d, Profile { population, decline_pct, civil_staff, technical_staff, construction_workers }))
        }
        _ => Err(p),
    }
}

/// Whether the actor may set the figures of `target`: its own staff, or the staff of the
/// prefecture it belongs to (a coordinator with twenty municipalities).
pub async fn may_edit<D: ConnectionTrait>(db: &D, ctx: &Ctx, target: &org::Model) -> Result<bool> {
    if ctx.has_role_in(target.id, Role::Staff) {
        return Ok(true);
    }
    let Some(me) = ctx.org_id else { return Ok(false) };
    let own = org::Entity::find_by_id(me).one(db).await?;
    Ok(own.is_some_and(|o| {
        o.kind == OrgKind::Prefecture.key()
            && o.prefecture_code.is_some()
            && o.prefecture_code == target.prefecture_code
            && ctx.has_role_in(me, Role::Staff)
    }))
}

pub(crate) async fn upsert<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    target: &org::Model,
    as_of: NaiveDate,
    p: &Profile,
) -> Result<mp::Model> {
    let existing = mp::Entity::find().filter(mp::Column::OrgId.eq(target.id)).one(db).await?;
    let before = existing.as_ref().and_then(|e| serde_json::to_value(e).ok());
    let mut am: mp::ActiveModel = match existing {
        Some(e) => e.into(),
        None => mp::ActiveModel { org_id: Set(target.id), ..Default::default() },
    };
    am.as_of = Set(as_of);
    am.population = Set(p.population);
    am.decline_pct = Set(p.decline_pct);
    am.civil_staff = Set(p.civil_staff);
    am.technical_staff = Set(p.technical_staff);
    am.construction_workers = Set(p.construction_workers);
    am.updated_at = Set(Utc::now());
    let m = am.save(db).await?;
    let m: mp::Model = m.try_into().map_err(|e: sea_orm::DbErr| Error::Internal(e.into()))?;
    audit::record(
        db,
        ctx,
        audit::Change {
            org_id: Some(target.id),
            bundle_id: None,
            action: "update",
            entity: "infra_municipal_profile",
            entity_id: m.id.to_string(),
            before,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    Ok(m)
}

/// Sets a municipality's figures (見える化の基礎数値).
pub async fn set_profile<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &ProfileForm,
) -> Result<mp::Model> {
    let id = match f.org_id.trim() {
        "" => ctx.org_id.ok_or(Error::NotFound)?,
        v => v.parse::<i64>().map_err(|_| {
            Error::invalid("org_id", "団体", "Organisation", "の指定が正しくありません", "is not a valid id")
        })?,
    };
    let target = org::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if !may_edit(db, ctx, &target).await? {
        return Err(Error::NotFound);
    }
    let (as_of, p) = check_profile(f, crate::service::work_orders::today_jst()).map_err(|p| Error::Invalid(p.0))?;
    let txn = db.begin().await?;
    let m = upsert(&txn, ctx, &target, as_of, &p).await?;
    txn.commit().await?;
    Ok(m)
}

/// The figures of the acting organisation, if set.
pub async fn own_profile<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Option<mp::Model>> {
    let Some(me) = ctx.org_id else { return Ok(None) };
    Ok(mp::Entity::find().filter(mp::Column::OrgId.eq(me)).one(db).await?)
}

/// 基礎数値の取り込み: 団体コード (6 digits, or 5 without the check digit), 基準日, 人口,
/// 人口減少率, 土木部門職員数, 技術系職員数, 建設業従業者数. Every row is checked (the code must be an
/// organisation the actor may edit) before anything is written.
pub static PROFILE_SCHEMA: tabane_tabular::Schema = tabane_tabular::Schema {
    columns: &[
        tabane_tabular::Column {
            key: "lg_code",
            header_ja: "団体コード",
            header_en: "LG code",
            aliases: &["地方公共団体コード", "lg_code"],
            required: true,
        },
        tabane_tabular::Column {
            key: "as_of",
            header_ja: "基準日",
            header_en: "Reference date",
            aliases: &[],
            required: false,
        },
        tabane_tabular::Column {
            key: "population",
            header_ja: "人口",
            header_en: "Population",
            aliases: &[],
            required: false,
        },
        tabane_tabular::Column {
            key: "decline_pct",
            header_ja: "人口減少率",
            header_en: "Population decline",
            aliases: &["人口減少率（2020→2050）"],
            required: false,
        },
        tabane_tabular::Column {
            key: "civil_staff",
            header_ja: "土木部門職員数",
            header_en: "Civil-engineering staff",
            aliases: &[],
            required: false,
        },
        tabane_tabular::Column {
            key: "technical_staff",
            header_ja: "技術系職員数",
            header_en: "Technical staff",
            aliases: &["技術者数"],
            required: false,
        },
        tabane_tabular::Column {
            key: "construction_workers",
            header_ja: "建設業従業者数",
            header_en: "Construction workers",
            aliases: &[],
            required: false,
        },
    ],
};

pub async fn import_profiles<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    table: &tabane_tabular::Table,
) -> Result<usize> {
    use tabane_tabular::{FieldError, ImportReport};
    let bound = PROFILE_SCHEMA.bind(table).map_err(Error::Import)?;
    let today = crate::service::work_orders::today_jst();
    let locals = org::Entity::find()
        .filter(org::Column::Kind.is_in([OrgKind::Prefecture.key(), OrgKind::Municipality.key()]))
        .all(db)
        .await?;
    let mut report = ImportReport::new(bound.len());
    let mut ok = Vec::new();
    for row in bound.rows() {
        let code = tabane_tabular::to_halfwidth_ascii(row.get("lg_code")).trim().to_string();
        let target = locals
            .iter()
            .find(|o| o.lg_code.as_deref().is_some_and(|c| c == code || (code.len() == 5 && c.starts_with(&code))));
        let Some(target) = target else {
            report.add(row.error(
                "lg_code",
                FieldError::new(
                    format!("団体コード「{code}」の団体が見つかりません"),
                    "no organisation with this code",
                ),
            ));
            continue;
        };
        if !may_edit(db, ctx, target).await? {
            report.add(row.error(
                "lg_code",
                FieldError::new(
                    format!("{}の数値は登録できません（自団体か、県の職員なら県内の市町村のみ）", target.name),
                    "you may not set this organisation's figures",
                ),
            ));
            continue;
        }
        let f = ProfileForm {
            org_id: target.id.to_string(),
            as_of: row.get("as_of").into(),
            population: row.get("population").into(),
            decline_pct: row.get("decline_pct").into(),
            civil_staff: row.get("civil_staff").into(),
            technical_staff: row.get("technical_staff").into(),
            construction_workers: row.get("construction_workers").into(),
        };
        match check_profile(&f, today) {
            Ok((as_of, p)) => ok.push((target.clone(), as_of, p)),
            Err(problems) => {
                for p in problems.0 {
                    report.add(row.error(&p.field, p.to_field_error()));
                }
            }
        }
    }
    if !report.is_ok() {
        return Err(Error::Import(report));
    }
    let txn = db.begin().await?;
    for (target, as_of, p) in &ok {
        upsert(&txn, ctx, target, *as_of, p).await?;
    }
    txn.commit().await?;
    Ok(ok.len())
}
