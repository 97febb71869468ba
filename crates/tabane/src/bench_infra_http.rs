//! `tabane-bench-infra-http`: how fast are the 群マネ list/map JSON endpoints and the single
//! work-order page under load, compared with a bare handler running the same queries?
//!
//! In one run:
//! 1. a fresh SQLite database (migrations + demo), then 50,000 assets and 100,000 work orders
//!    (with their 経過 events) generated for the demo bundle (静岡県 + 下田市, the JV as
//!    contractor), bulk-inserted in one transaction;
//! 2. the real app (`tabane_web::app` with the module routes) served in this process, signed in
//!    as `pref-staff` over plain HTTP/1.1, working in the demo bundle (the switcher);
//! 3. a baseline server: a bare axum router whose handlers run the same SeaORM statements as
//!    the endpoints (no session, no middleware, no access checks, no templates) and answer JSON;
//! 4. `wrk` against both, for each endpoint, and a table of requests/s, p50 and p99 with the
//!    ratio tabane/baseline and the p99 target.
//!
//! Before the load runs it also times each statement alone on one connection and prints
//! SQLite's query plan, so a slow endpoint can be traced to its query.
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench cargo run --release --bin tabane-bench-infra-http
//! cargo run --release --bin tabane-bench-infra-http -- --duration 5 --sql "CREATE INDEX …"
//! ```
//!
//! Needs `wrk` on PATH (Debian: `apt-get install -y wrk`).

use anyhow::{Context, Result, bail, ensure};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::{Json, Router};
use chrono::{DateTime, Duration as Span, Utc};
use clap::Parser;
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Statement, TransactionTrait,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tabane_core::domain::{BundleRole, Role};
use tabane_core::entities::{bundle_member, organisation, stored_file, user};
use tabane_core::service::files::FileStore;
use tabane_core::{Ctx, db};
use tabane_infra::domain::{Status, Urgency};
use tabane_infra::entities::{
    asset, contract, resident_report, work_order as wo, work_order_event as ev, work_order_photo as photo,
};
use tabane_infra::service::map;
use tabane_infra::service::work_orders::{is_overdue, masked, today_jst};
use tabane_web::{AppState, WebConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Parser)]
#[command(
    name = "tabane-bench-infra-http",
    about = "Benchmark: 群マネ list/map JSON and the work-order page under wrk, against a bare handler running the same queries"
)]
struct Cli {
    /// Generated work orders.
    #[arg(long, default_value_t = 100_000)]
    orders: usize,
    /// Generated assets.
    #[arg(long, default_value_t = 50_000)]
    assets: usize,
    /// Seconds of each measured wrk run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Seconds of the unmeasured wrk run before each measured one (0: none).
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// wrk connections.
    #[arg(long, default_value_t = 200)]
    connections: u32,
    /// wrk threads.
    #[arg(long, default_value_t = 2)]
    threads: u32,
    /// wrk --timeout in seconds. wrk leaves requests slower than this out of the latency
    /// distribution (counted as timeouts), so it is set well above the expected p99.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Map viewport "minLon,minLat,maxLon,maxLat".
    #[arg(long, default_value = "138.93,34.66,138.96,34.69")]
    bbox: String,
    /// Work order for the single-order page (default: a demo job of 静岡県 with photos).
    #[arg(long)]
    order_id: Option<i64>,
    /// p99 target for the tabane side, in ms.
    #[arg(long, default_value_t = 50.0)]
    target_p99_ms: f64,
    /// Run ANALYZE after generating (the app itself never does).
    #[arg(long)]
    analyze: bool,
    /// Extra SQL run after generating, e.g. a candidate index (repeatable). Lets an index be
    /// measured here before it is proposed as a migration.
    #[arg(long = "sql")]
    sql: Vec<String>,
    /// Rounds per endpoint. Each round runs both servers; the side that goes first alternates
    /// from round to round, so drift on a shared machine does not always favour one side.
    #[arg(long, default_value_t = 1)]
    rounds: u32,
    /// Endpoints to load, comma-separated: list, map, order.
    #[arg(long, value_delimiter = ',', default_value = "list,map,order")]
    endpoints: Vec<String>,
    /// Raise the data revision counter this many times per second during the load runs, as
    /// writes elsewhere would, so cached answers keep being invalidated (0: never).
    #[arg(long, default_value_t = 0.0)]
    invalidate_per_sec: f64,
    /// Only generate, time the queries and print the plans; no HTTP load.
    #[arg(long)]
    no_load: bool,
    /// Working directory (default: a fresh directory under the system temporary directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the working directory instead of deleting it.
    #[arg(long)]
    keep: bool,
}

const WRK: &str = "wrk";
const PER_PAGE_API: u64 = 200; // `api::orders_list`
const MAP_MAX: u64 = map::MAX_FEATURES;
const SESSION_COOKIE: &str = "tabane_session";

// ---------------------------------------------------------------------------------------------
// Working directory

struct WorkDir {
    path: PathBuf,
    keep: bool,
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn work_dir(cli: &Cli) -> Result<WorkDir> {
    let path = match &cli.dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("tabane-bench-http-{}", std::process::id())),
    };
    if path.exists() {
        bail!("{} already exists; remove it or pass another --dir", path.display());
    }
    std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
    Ok(WorkDir { path, keep: cli.keep })
}

// ---------------------------------------------------------------------------------------------
// Data generation

/// SplitMix64: deterministic, so every run measures the same data.
struct Rng(u64);
impl Rng {
    fn u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.u64() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// The demo bundle and who is in it.
struct Demo {
    bundle: i64,
    pref: i64,
    city: i64,
    jv: i64,
    /// (user id, login) of 静岡県・下田市・JV staff.
    pref_staff: (i64, String),
    city_staff: (i64, String),
    jv_staff: (i64, String),
}

async fn find_demo(db: &DatabaseConnection) -> Result<Demo> {
    let org = |name: &'static str| async move {
        organisation::Entity::find()
            .filter(organisation::Column::Name.eq(name))
            .one(db)
            .await?
            .map(|o| o.id)
            .with_context(|| format!("demo organisation {name} not found"))
    };
    let (pref, city, jv) = (org("静岡県").await?, org("下田市").await?, org("下田地域維持型JV").await?);
    let members = bundle_member::Entity::find().all(db).await?;
    let has = |b: i64, o: i64, r: BundleRole| {
        members.iter().any(|m| m.bundle_id == b && m.org_id == o && BundleRole::parse(&m.role) == Some(r))
    };
    let mut bundles: Vec<i64> = members.iter().map(|m| m.bundle_id).collect();
    bundles.sort_unstable();
    bundles.dedup();
    let bundle = bundles
        .into_iter()
        .find(|&b| {
            has(b, pref, BundleRole::Owner) && has(b, city, BundleRole::Owner) && has(b, jv, BundleRole::Contractor)
        })
        .context("no demo bundle with 静岡県 and 下田市 as owners and the JV as contractor")?;
    let login = |l: &'static str| async move {
        user::Entity::find()
            .filter(user::Column::Login.eq(l))
            .one(db)
            .await?
            .map(|u| (u.id, u.login))
            .with_context(|| format!("demo user {l} not found"))
    };
    Ok(Demo {
        bundle,
        pref,
        city,
        jv,
        pref_staff: login("pref-staff").await?,
        city_staff: login("shimoda-staff").await?,
        jv_staff: login("jv-staff").await?,
    })
}

async fn next_id<E: EntityTrait>(db: &DatabaseConnection, col: impl ColumnTrait) -> Result<i64> {
    let row =
        db.query_one(DbBackend::Sqlite.build(E::find().select_only().column_as(col.max(), "m").as_query())).await?;
    Ok(row.and_then(|r| r.try_get::<Option<i64>>("", "m").ok().flatten()).unwrap_or(0) + 1)
}

const LAT: (f64, f64) = (34.60, 34.75);
const LON: (f64, f64) = (138.85, 139.05);

struct Generated {
    assets: usize,
    orders: usize,
    events: usize,
    first_order_id: i64,
    took: Duration,
}

/// Bulk-generates assets, work orders and their events in one transaction. Ids are given
/// explicitly (after the demo's) so that orders can point at assets and events at orders.
async fn generate(db: &DatabaseConnection, d: &Demo, n_assets: usize, n_orders: usize) -> Result<Generated> {
    let start = Instant::now();
    let mut rng = Rng(0x7A8A_4E00_2025);
    let now = Utc::now();
    let first_asset = next_id::<asset::Entity>(db, asset::Column::Id).await?;
    let first_order = next_id::<wo::Entity>(db, wo::Column::Id).await?;
    let first_event = next_id::<ev::Entity>(db, ev::Column::Id).await?;
    let txn = db.begin().await?;

    // Assets: even index → 静岡県, odd → 下田市. Remember each one's position for the orders.
    let kinds = [
        ("bridge", "橋"),
        ("appendage", "道路照明"),
        ("appendage", "標識"),
        ("pavement", "舗装区間"),
        ("road", "道路区間"),
        ("tunnel", "トンネル"),
        ("park", "公園遊具"),
        ("river", "排水施設"),
    ];
    let routes_pref = ["国道135号", "国道136号", "国道414号", "県道下田松崎線", "県道下田石廊松崎線"];
    let routes_city = ["市道白浜中央線", "市道須崎線", "市道吉佐美線", "市道蓮台寺線", "市道柿崎線"];
    let mut points = Vec::with_capacity(n_assets);
    let mut batch = Vec::with_capacity(2000);
    for i in 0..n_assets {
        let pref_owned = i % 2 == 0;
        let (kind, label) = *rng.pick(&kinds);
        let route = *rng.pick(if pref_owned { &routes_pref } else { &routes_city });
        let lat = LAT.0 + rng.f64() * (LAT.1 - LAT.0);
        let lon = LON.0 + rng.f64() * (LON.1 - LON.0);
        points.push((lat, lon));
        let created = now - Span::days(rng.below(3650) as i64);
        batch.push(asset::ActiveModel {
            id: Set(first_asset + i as i64),
            owner_org_id: Set(if pref_owned { d.pref } else { d.city }),
            kind: Set(kind.into()),
            name: Set(format!("{route} {label} {}", i / 2 + 1)),
            name_kana: Set(None),
            route_name: Set(Some(route.into())),
            lat: Set(Some(lat)),
            lon: Set(Some(lon)),
            geometry: Set(None),
            year_built: Set((rng.f64() > 0.15).then(|| 1955 + rng.below(66) as i32)),
            attributes: Set((kind == "bridge").then(|| {
                format!("{{\"橋長_m\": {:.1}, \"幅員_m\": {:.1}}}", 5.0 + rng.f64() * 60.0, 4.0 + rng.f64() * 8.0)
            })),
            external_id: Set(Some(format!("B-{:06}", i))),
            created_at: Set(created),
            updated_at: Set(created),
        });
        if batch.len() == 2000 {
            asset::Entity::insert_many(std::mem::take(&mut batch)).exec_without_returning(&txn).await?;
        }
    }
    if !batch.is_empty() {
        asset::Entity::insert_many(batch).exec_without_returning(&txn).await?;
    }

    // Work orders over both owners and every status; events as the state machine would write.
    let categories =
        ["舗装補修", "照明施設修繕", "小規模施設修繕", "除草", "倒木処理", "側溝清掃", "防護柵補修", "標識清掃"];
    let issues = ["ポットホール", "ひび割れ", "不点灯", "曲損", "土砂堆積", "落ち葉詰まり", "段差", "枝の張り出し"];
    let urgencies = [
        Urgency::Emergency,
        Urgency::Early,
        Urgency::Early,
        Urgency::Normal,
        Urgency::Normal,
        Urgency::Normal,
        Urgency::Normal,
    ];
    let sources = ["owner", "patrol", "patrol", "contractor", "resident"];
    // (status, share in percent): mostly finished jobs, as in a ledger that has run for years.
    let statuses = [
        (Status::Received, 8),
        (Status::Instructed, 10),
        (Status::InProgress, 10),
        (Status::Reported, 10),
        (Status::Confirmed, 55),
        (Status::Cancelled, 5),
        (Status::Forwarded, 2),
    ];
    let mut orders = Vec::with_capacity(1000);
    let mut events: Vec<ev::ActiveModel> = Vec::with_capacity(3000);
    let mut n_events = 0usize;
    for i in 0..n_orders {
        let id = first_order + i as i64;
        let pref_owned = i % 2 == 0;
        let (owner, staff) = if pref_owned { (d.pref, &d.pref_staff) } else { (d.city, &d.city_staff) };
        let mut r = rng.below(100);
        let status = statuses
            .iter()
            .find(|(_, share)| {
                if r < *share {
                    true
                } else {
                    r -= share;
                    false
                }
            })
            .map(|s| s.0)
            .unwrap_or(Status::Confirmed);
        let urgency = *rng.pick(&urgencies);
        let category = *rng.pick(&categories);
        // 60 % on one of the owner's assets (near it), the rest anywhere.
        let (asset_id, lat, lon) = if n_assets >= 2 && rng.below(10) < 6 {
            let k = rng.below(n_assets / 2) * 2 + usize::from(!pref_owned);
            let (la, lo) = points[k];
            (Some(first_asset + k as i64), la + (rng.f64() - 0.5) * 0.0004, lo + (rng.f64() - 0.5) * 0.0004)
        } else {
            (None, LAT.0 + rng.f64() * (LAT.1 - LAT.0), LON.0 + rng.f64() * (LON.1 - LON.0))
        };
        let received = now - Span::minutes(rng.below(3 * 365 * 24 * 60) as i64);
        let reached = |s: Status| -> bool {
            let order = [Status::Received, Status::Instructed, Status::InProgress, Status::Reported, Status::Confirmed];
            let pos = |x: Status| order.iter().position(|o| *o == x);
            matches!((pos(status), pos(s)), (Some(a), Some(b)) if a >= b)
        };
        let step = |days: i64, from: DateTime<Utc>| (from + Span::hours(1 + (days * 24).max(1))).min(now);
        let instructed_at = reached(Status::Instructed).then(|| step(1, received));
        let started_at = reached(Status::InProgress).then(|| step(2, instructed_at.unwrap_or(received)));
        let reported_at = reached(Status::Reported).then(|| step(3, started_at.unwrap_or(received)));
        let confirmed_at = reached(Status::Confirmed).then(|| step(2, reported_at.unwrap_or(received)));
        let amount = instructed_at.map(|_| 20_000 + rng.below(480_000) as i64);
        let (l, m, k) = if reported_at.is_some() {
            (Some(10_000 + rng.below(200_000) as i64), Some(rng.below(80_000) as i64), Some(12_000))
        } else {
            (None, None, None)
        };
        let due = instructed_at.map(|t| (t + Span::days(urgency.default_business_days() as i64 * 7 / 5)).date_naive());
        let updated =
            [confirmed_at, reported_at, started_at, instructed_at].into_iter().flatten().next().unwrap_or(received);
        orders.push(wo::ActiveModel {
            id: Set(id),
            bundle_id: Set(d.bundle),
            owner_org_id: Set(owner),
            contractor_org_id: Set(Some(d.jv)),
            asset_id: Set(asset_id),
            status: Set(status.key().into()),
            urgency: Set(urgency.key().into()),
            source: Set((*rng.pick(&sources)).into()),
            category: Set(category.into()),
            description: Set(format!("{category}: {}（整理番号 {id}）", rng.pick(&issues))),
            instruction: Set(instructed_at.map(|_| format!("{category}を実施してください。"))),
            lat: Set(Some(lat)),
            lon: Set(Some(lon)),
            address: Set(Some(format!("下田市{}丁目{}番", 1 + rng.below(5), 1 + rng.below(40)))),
            due_on: Set(due),
            cost_labour: Set(l),
            cost_material: Set(m),
            cost_machinery: Set(k),
            cost_other: Set(None),
            cost_total: Set(l.map(|l| l + m.unwrap_or(0) + k.unwrap_or(0))),
            instructed_amount: Set(amount),
            received_at: Set(received),
            instructed_at: Set(instructed_at),
            reported_at: Set(reported_at),
            confirmed_at: Set(confirmed_at),
            created_by: Set(Some(staff.0)),
            updated_at: Set(updated),
            ..Default::default()
        });
        let mut push = |from: Option<Status>,
                        to: Status,
                        action: &str,
                        who: &(i64, String),
                        org: i64,
                        at: DateTime<Utc>,
                        reason: Option<&str>| {
            events.push(ev::ActiveModel {
                id: Set(first_event + n_events as i64),
                work_order_id: Set(id),
                from_status: Set(from.map(|s| s.key().to_string())),
                to_status: Set(to.key().into()),
                action: Set(action.into()),
                user_id: Set(Some(who.0)),
                actor: Set(who.1.clone()),
                org_id: Set(Some(org)),
                reason: Set(reason.map(str::to_string)),
                at: Set(at),
            });
            n_events += 1;
        };
        push(None, Status::Received, "receive", staff, owner, received, None);
        match status {
            Status::Cancelled => push(
                Some(Status::Received),
                status,
                "cancel",
                staff,
                owner,
                step(1, received),
                Some("重複した通報のため"),
            ),
            Status::Forwarded => push(
                Some(Status::Received),
                status,
                "forward",
                staff,
                owner,
                step(1, received),
                Some("国の管理区間のため"),
            ),
            _ => {
                if let Some(t) = instructed_at {
                    push(Some(Status::Received), Status::Instructed, "instruct", staff, owner, t, None);
                }
                if let Some(t) = started_at {
                    push(Some(Status::Instructed), Status::InProgress, "start", &d.jv_staff, d.jv, t, None);
                }
                if let Some(t) = reported_at {
                    push(Some(Status::InProgress), Status::Reported, "report", &d.jv_staff, d.jv, t, None);
                }
                if let Some(t) = confirmed_at {
                    push(Some(Status::Reported), Status::Confirmed, "confirm", staff, owner, t, None);
                }
            }
        }
        // 28 columns × 1,000 rows and 10 × 3,000 stay under SQLite's 32,766 parameters.
        if orders.len() == 1000 {
            wo::Entity::insert_many(std::mem::take(&mut orders)).exec_without_returning(&txn).await?;
        }
        if events.len() >= 3000 {
            // Orders first: events reference them (foreign key).
            if !orders.is_empty() {
                wo::Entity::insert_many(std::mem::take(&mut orders)).exec_without_returning(&txn).await?;
            }
            ev::Entity::insert_many(std::mem::take(&mut events)).exec_without_returning(&txn).await?;
        }
    }
    if !orders.is_empty() {
        wo::Entity::insert_many(orders).exec_without_returning(&txn).await?;
    }
    if !events.is_empty() {
        ev::Entity::insert_many(events).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(Generated {
        assets: n_assets,
        orders: n_orders,
        events: n_events,
        first_order_id: first_order,
        took: start.elapsed(),
    })
}

/// A demo job of 静岡県 (so the actor is the owner and sees costs) with the most photos and
/// events and no resident report (whose reading would write an audit entry on every view).
async fn pick_order(db: &DatabaseConnection, d: &Demo, before: i64) -> Result<i64> {
    let orders = wo::Entity::find()
        .filter(wo::Column::Id.lt(before))
        .filter(wo::Column::OwnerOrgId.eq(d.pref))
        .filter(wo::Column::BundleId.eq(d.bundle))
        .all(db)
        .await?;
    let photos = photo::Entity::find().all(db).await?;
    let reports = resident_report::Entity::find().all(db).await?;
    let mut best: Option<(usize, usize, i64)> = None;
    for o in &orders {
        if reports.iter().any(|r| r.work_order_id == o.id) {
            continue;
        }
        let p = photos.iter().filter(|p| p.work_order_id == o.id).count();
        let e = ev::Entity::find().filter(ev::Column::WorkOrderId.eq(o.id)).count(db).await? as usize;
        if best.is_none_or(|b| (p, e) > (b.0, b.1)) {
            best = Some((p, e, o.id));
        }
    }
    best.map(|b| b.2).context("no demo work order of 静岡県 in the bundle")
}

// ---------------------------------------------------------------------------------------------
// The statements, built as the services build them (`work_orders::list`, `map::features`,
// `work_orders::view`), shared by the baseline and the query-plan report.

fn parse_bbox(s: &str) -> Option<(f64, f64, f64, f64)> {
    let v: Vec<f64> = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    (v.len() == 4 && v[0] <= v[2] && v[1] <= v[3]).then(|| (v[0], v[1], v[2], v[3]))
}

/// `work_orders::list` for a member of `bundles` working in `bundle`, no other filters.
fn orders_query(bundles: &[i64], bundle: i64, bbox: Option<(f64, f64, f64, f64)>) -> Select<wo::Entity> {
    let mut q =
        wo::Entity::find().filter(wo::Column::BundleId.is_in(bundles.to_vec())).filter(wo::Column::BundleId.eq(bundle));
    if let Some((x0, y0, x1, y1)) = bbox {
        q = q.filter(wo::Column::Lat.between(y0, y1)).filter(wo::Column::Lon.between(x0, x1));
    }
    q
}

fn page_query(q: Select<wo::Entity>, page: u64, per_page: u64) -> Select<wo::Entity> {
    q.order_by_desc(wo::Column::Id).offset((page - 1) * per_page).limit(per_page)
}

/// The statement `PaginatorTrait::count` sends.
fn count_statement(q: &Select<wo::Entity>) -> Statement {
    let stmt = SelectStatement::new()
        .expr(Expr::cust("COUNT(*) AS num_items"))
        .from_subquery(q.as_query().clone(), sea_orm::sea_query::Alias::new("sub_query"))
        .to_owned();
    DbBackend::Sqlite.build(&stmt)
}

// ---------------------------------------------------------------------------------------------
// Baseline server

struct Base {
    db: DatabaseConnection,
    bundles: Vec<i64>,
    bundle: i64,
    ctx: Ctx,
}

type BaseResult = std::result::Result<Json<Value>, (StatusCode, String)>;

fn internal(e: impl std::fmt::Display) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// Orders of a page with their owners' names: the statements of `work_orders::list`.
async fn base_rows(
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

async fn base_list(State(b): State<Arc<Base>>, Query(q): Query<HashMap<String, String>>) -> BaseResult {
    let page = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1u64).max(1);
    let (total, rows) = base_rows(&b, orders_query(&b.bundles, b.bundle, None), page, PER_PAGE_API).await?;
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(order, owner_name, overdue)| json!({ "order": order, "owner_name": owner_name, "overdue": overdue }))
        .collect();
    Ok(Json(json!({ "items": items, "total": total, "page": page, "per_page": PER_PAGE_API })))
}

async fn base_map(State(b): State<Arc<Base>>, Query(q): Query<HashMap<String, String>>) -> BaseResult {
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
async fn base_order(State(b): State<Arc<Base>>, UrlPath(id): UrlPath<i64>) -> BaseResult {
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

fn baseline_router(b: Arc<Base>) -> Router {
    Router::new()
        .route("/api/infra/work-orders", axum::routing::get(base_list))
        .route("/api/infra/map", axum::routing::get(base_map))
        .route("/infra/work-orders/{id}", axum::routing::get(base_order))
        .with_state(b)
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client (login, switcher, checks): one request per connection.

struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpResponse {
    fn header(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn dechunk(mut b: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").context("chunked body: no chunk size line")?;
        let line = std::str::from_utf8(&b[..eol])?;
        let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
            .with_context(|| format!("chunked body: bad size {line:?}"))?;
        b = &b[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        ensure!(b.len() >= size + 2, "chunked body: truncated");
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<HttpResponse> {
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    let io = async {
        let mut s = tokio::net::TcpStream::connect(addr).await?;
        s.write_all(req.as_bytes()).await?;
        s.write_all(body).await?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await?;
        anyhow::Ok(buf)
    };
    let raw = tokio::time::timeout(Duration::from_secs(120), io)
        .await
        .with_context(|| format!("{method} {path}: no answer in 120 s"))??;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .with_context(|| format!("{method} {path}: malformed response"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("{method} {path}: bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut r = HttpResponse { status, headers, body: raw[split + 4..].to_vec() };
    if r.header("transfer-encoding").any(|v| v.eq_ignore_ascii_case("chunked")) {
        r.body = dechunk(&r.body)?;
    }
    Ok(r)
}

/// Signs in through `POST /api/session` and chooses the bundle in the switcher, as a browser
/// user would before opening the map. Returns the session token.
async fn sign_in(addr: SocketAddr, login: &str, bundle: i64) -> Result<String> {
    let body = serde_json::to_vec(&json!({ "login": login, "password": tabane_core::demo::DEMO_PASSWORD }))?;
    let r = http(addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await?;
    ensure!(r.status == 200, "login as {login}: HTTP {}: {}", r.status, r.text());
    let prefix = format!("{SESSION_COOKIE}=");
    let token = r
        .header("set-cookie")
        .find_map(|c| c.split(';').next().and_then(|kv| kv.trim().strip_prefix(&prefix)).map(str::to_string))
        .context("login answered without a tabane_session cookie")?;
    let v: Value = serde_json::from_slice(&r.body).context("login answer is not JSON")?;
    let csrf = v["csrf_token"].as_str().context("login answer without csrf_token")?.to_string();
    let cookie = format!("{SESSION_COOKIE}={token}");
    let form = format!("bundle_id={bundle}");
    let r = http(
        addr,
        "POST",
        "/switch",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf), ("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .await?;
    ensure!(matches!(r.status, 200 | 302 | 303), "switching to bundle {bundle}: HTTP {}: {}", r.status, r.text());
    let r = http(addr, "GET", "/api/me", &[("Cookie", &cookie)], b"").await?;
    let me: Value = serde_json::from_slice(&r.body).context("/api/me is not JSON")?;
    ensure!(me["acting_bundle_id"].as_i64() == Some(bundle), "the switcher did not select bundle {bundle}: {me}");
    Ok(token)
}

// ---------------------------------------------------------------------------------------------
// wrk

#[derive(Clone, Debug, Default)]
struct WrkResult {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    non_2xx: u64,
    socket_errors: u64,
    timeouts: u64,
}

fn wrk_available() -> bool {
    Command::new(WRK).arg("-v").output().is_ok()
}

/// "1.23ms" → 1.23; wrk prints us, ms, s, m and h.
fn to_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        "h" => n * 3_600_000.0,
        _ => return None,
    })
}

fn parse_wrk(out: &str) -> Result<WrkResult> {
    let mut r = WrkResult::default();
    let (mut p50, mut p99, mut rps) = (None, None, None);
    for line in out.lines().map(str::trim) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["50%", v] => p50 = to_ms(v),
            ["99%", v] => p99 = to_ms(v),
            ["Requests/sec:", v] => rps = v.parse().ok(),
            [n, "requests", "in", ..] => r.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => r.non_2xx = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                // "connect 0, read 0, write 0, timeout 12"
                let nums: Vec<(&str, u64)> = rest
                    .chunks(2)
                    .filter_map(|c| Some((c[0], c.get(1)?.trim_end_matches(',').parse().ok()?)))
                    .collect();
                r.socket_errors = nums.iter().filter(|(k, _)| *k != "timeout").map(|(_, n)| n).sum();
                r.timeouts = nums.iter().find(|(k, _)| *k == "timeout").map(|(_, n)| *n).unwrap_or(0);
            }
            _ => {}
        }
    }
    r.p50_ms = p50.context("no 50% line in wrk's output")?;
    r.p99_ms = p99.context("no 99% line in wrk's output")?;
    r.rps = rps.context("no Requests/sec line in wrk's output")?;
    Ok(r)
}

async fn run_wrk(cli: &Cli, url: &str, cookie: &str, seconds: u64) -> Result<WrkResult> {
    let args: Vec<String> = vec![
        format!("-t{}", cli.threads),
        format!("-c{}", cli.connections),
        format!("-d{seconds}s"),
        "--timeout".into(),
        format!("{}s", cli.timeout),
        "--latency".into(),
        "-H".into(),
        format!("Cookie: {cookie}"),
        url.to_string(),
    ];
    // wrk blocks; the servers run on this runtime's workers, so wait on a blocking thread.
    let out =
        tokio::task::spawn_blocking(move || Command::new(WRK).args(&args).output()).await?.context("running wrk")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    ensure!(out.status.success(), "wrk failed ({}): {}{}", out.status, stdout, String::from_utf8_lossy(&out.stderr));
    parse_wrk(&stdout).with_context(|| format!("parsing wrk's output:\n{stdout}"))
}

/// When wrk stops, requests it gave up on may still be queued for the database pool. One more
/// request to the same URL, answered after them (the pool hands out connections in order),
/// and a short pause keep that backlog out of the next measurement.
async fn drain(addr: SocketAddr, path: &str, cookie: &str) -> Result<()> {
    let r = http(addr, "GET", path, &[("Cookie", cookie)], b"").await?;
    ensure!(r.status == 200, "{path}: HTTP {} after the load run", r.status);
    tokio::time::sleep(Duration::from_millis(500)).await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Query timings and plans (one connection, no load)

async fn plan(db: &DatabaseConnection, sql: &str) -> Result<String> {
    let rows = db.query_all(Statement::from_string(DbBackend::Sqlite, format!("EXPLAIN QUERY PLAN {sql}"))).await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String>("", "detail").ok()).collect::<Vec<_>>().join(" | "))
}

async fn time_statement(db: &DatabaseConnection, stmt: &Statement) -> Result<(f64, usize)> {
    let mut rows = db.query_all(stmt.clone()).await?.len(); // warm
    let start = Instant::now();
    let mut n = 0u32;
    while n < 5 || (start.elapsed() < Duration::from_millis(1500) && n < 200) {
        rows = db.query_all(stmt.clone()).await?.len();
        n += 1;
    }
    Ok((start.elapsed().as_secs_f64() * 1000.0 / f64::from(n), rows))
}

async fn report_queries(
    db: &DatabaseConnection,
    bundles: &[i64],
    bundle: i64,
    bbox: Option<(f64, f64, f64, f64)>,
    order_id: i64,
    pref: i64,
) -> Result<()> {
    let list = orders_query(bundles, bundle, None);
    let map = orders_query(bundles, bundle, bbox);
    let b = DbBackend::Sqlite;
    let stmts: Vec<(&str, Statement)> = vec![
        ("list: COUNT(*)", count_statement(&list)),
        ("list: page of 200, ORDER BY id DESC", b.build(page_query(list.clone(), 1, PER_PAGE_API).as_query())),
        ("map: COUNT(*) in the viewport", count_statement(&map)),
        (
            "map: located in the viewport, for clusters",
            b.build(
                map.clone()
                    .filter(wo::Column::Lat.is_not_null())
                    .select_only()
                    .columns(tabane_infra::service::map::ORDER_POINT_COLUMNS)
                    .as_query(),
            ),
        ),
        ("order: by id", b.build(wo::Entity::find_by_id(order_id).as_query())),
        (
            "order: events",
            b.build(
                ev::Entity::find().filter(ev::Column::WorkOrderId.eq(order_id)).order_by_asc(ev::Column::Id).as_query(),
            ),
        ),
        (
            "order: photos",
            b.build(
                photo::Entity::find()
                    .filter(photo::Column::WorkOrderId.eq(order_id))
                    .order_by_asc(photo::Column::Id)
                    .as_query(),
            ),
        ),
        (
            "order: resident report",
            b.build(
                resident_report::Entity::find().filter(resident_report::Column::WorkOrderId.eq(order_id)).as_query(),
            ),
        ),
        (
            "access: my bundles (twice per page view)",
            b.build(bundle_member::Entity::find().filter(bundle_member::Column::OrgId.eq(pref)).as_query()),
        ),
    ];
    println!("\nstatements alone (one connection, sequential, no load):");
    println!("  {:<52} {:>9} {:>7}  plan", "statement", "ms/query", "rows");
    for (name, stmt) in &stmts {
        let (ms, rows) = time_statement(db, stmt).await?;
        let p = plan(db, &stmt.to_string()).await?;
        println!("  {name:<52} {ms:>9.2} {rows:>7}  {p}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------

async fn serve(listener: tokio::net::TcpListener, app: Router) {
    if let Err(e) = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await {
        eprintln!("server stopped: {e}");
    }
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

struct Target {
    name: &'static str,
    path: String,
    /// Checks a 200 answer and returns a short description of it.
    check: fn(&str, &[u8]) -> Result<String>,
    /// Whether every side's description must be equal (not for the page: HTML vs JSON).
    same_answer: bool,
}

fn check_list(_: &str, body: &[u8]) -> Result<String> {
    let v: Value = serde_json::from_slice(body)?;
    let items = v["items"].as_array().context("no items")?.len();
    Ok(format!("{items} items of {} total", v["total"]))
}

fn check_map(_: &str, body: &[u8]) -> Result<String> {
    let v: Value = serde_json::from_slice(body)?;
    let features = v["features"].as_array().context("no features")?;
    let clusters: Vec<&Value> = features.iter().filter(|f| f["properties"]["layer"] == "cluster").collect();
    let in_clusters: u64 = clusters.iter().filter_map(|c| c["properties"]["count"].as_u64()).sum();
    Ok(format!("{} features ({} clusters of {in_clusters} work orders)", features.len(), clusters.len()))
}

fn check_order(content_type: &str, body: &[u8]) -> Result<String> {
    if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(body);
        ensure!(html.contains("<html") || html.contains("<!DOCTYPE") || html.contains("<!doctype"), "not an HTML page");
        Ok("HTML page".into())
    } else {
        let v: Value = serde_json::from_slice(body)?;
        Ok(format!(
            "JSON, {} events, {} photos",
            v["events"].as_array().map_or(0, Vec::len),
            v["photos"].as_array().map_or(0, Vec::len)
        ))
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    ensure!(cli.orders > 0 && cli.assets >= 2, "--orders must be at least 1 and --assets at least 2");
    let bbox =
        parse_bbox(&cli.bbox).with_context(|| format!("--bbox {:?} is not minLon,minLat,maxLon,maxLat", cli.bbox))?;
    if !cli.no_load && !wrk_available() {
        bail!(
            "the load generator `wrk` was not found on PATH; install it (Debian: apt-get install -y wrk) or pass --no-load"
        );
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let wd = work_dir(&cli)?;

    // 1. Database, demo, generated data.
    let url = format!("sqlite://{}?mode=rwc", wd.path.join("bench.sqlite").display());
    let conn = db::connect(&url).await?;
    tabane::migrate(&conn).await?;
    let files = FileStore { root: wd.path.join("files"), max_bytes: 10_000_000 };
    // Fresh personal-data keys for this throw-away database (the housing demo encrypts).
    let ring = tabane_core::crypto::Keyring::from_texts(
        &[tabane_core::crypto::Keyring::generate_key("bench")?],
        "bench",
        &tabane_core::crypto::Keyring::generate_key("bench-idx")?,
    )?;
    let ring = Arc::new(ring);
    tabane_core::crypto::verify_or_init(&conn, &ring).await?;
    tabane_core::crypto::install(ring);
    let t = Instant::now();
    tabane::load_demo(&conn, &files).await?;
    eprintln!("demo loaded in {:.1} s", t.elapsed().as_secs_f64());
    let demo = find_demo(&conn).await?;
    eprintln!("generating {} assets and {} work orders in bundle {} …", cli.assets, cli.orders, demo.bundle);
    let g = generate(&conn, &demo, cli.assets, cli.orders).await?;
    eprintln!("  {} assets, {} work orders, {} events in {:.1} s", g.assets, g.orders, g.events, g.took.as_secs_f64());
    if cli.analyze {
        let t = Instant::now();
        conn.execute_unprepared("ANALYZE").await?;
        eprintln!("ANALYZE in {:.1} s", t.elapsed().as_secs_f64());
    }
    for s in &cli.sql {
        let t = Instant::now();
        conn.execute_unprepared(s).await.with_context(|| format!("running --sql {s:?}"))?;
        eprintln!("ran {s:?} in {:.1} s", t.elapsed().as_secs_f64());
    }
    let order_id = match cli.order_id {
        Some(id) => id,
        None => pick_order(&conn, &demo, g.first_order_id).await?,
    };
    let total_orders = wo::Entity::find().count(&conn).await?;
    let total_assets = asset::Entity::find().count(&conn).await?;
    let bundles: Vec<i64> = bundle_member::Entity::find()
        .filter(bundle_member::Column::OrgId.eq(demo.pref))
        .all(&conn)
        .await?
        .into_iter()
        .map(|m| m.bundle_id)
        .collect();
    let sqlite_version = conn
        .query_one(Statement::from_string(DbBackend::Sqlite, "SELECT sqlite_version() AS v"))
        .await?
        .and_then(|r| r.try_get::<String>("", "v").ok())
        .unwrap_or_default();

    report_queries(&conn, &bundles, demo.bundle, Some(bbox), order_id, demo.pref).await?;
    if cli.no_load {
        return Ok(());
    }

    // 2. The real app.
    //    Twice: as configured, and with the read cache turned off (sessions still cached), so
    //    the table shows what the cache buys and what the plain path costs.
    let state = Arc::new(AppState {
        db: conn.clone(),
        files: files.clone(),
        cfg: WebConfig::default(),
        caches: Default::default(),
        settings: Default::default(),
    });
    let app = tabane_web::app(state, &tabane::modules());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app_addr = listener.local_addr()?;
    tokio::spawn(serve(listener, app));
    let plain = Arc::new(AppState {
        db: db::connect(&url).await?,
        files,
        cfg: WebConfig::default(),
        caches: tabane_web::state::Caches::without_reads(),
        settings: Default::default(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let plain_addr = listener.local_addr()?;
    tokio::spawn(serve(listener, tabane_web::app(plain, &tabane::modules())));
    let token = sign_in(app_addr, &demo.pref_staff.1, demo.bundle).await?;
    let cookie = format!("{SESSION_COOKIE}={token}");

    // 3. The baseline: its own pool on the same file, opened as the app opens its database.
    let base = Arc::new(Base {
        db: db::connect(&url).await?,
        bundles: bundles.clone(),
        bundle: demo.bundle,
        ctx: Ctx {
            user_id: Some(demo.pref_staff.0),
            actor: demo.pref_staff.1.clone(),
            system_admin: false,
            org_id: Some(demo.pref),
            role: Some(Role::Staff),
            bundle_id: Some(demo.bundle),
            request_id: None,
        },
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_addr = listener.local_addr()?;
    tokio::spawn(serve(listener, baseline_router(base)));

    let all_targets = [
        (
            "list",
            Target {
                name: "list JSON /api/infra/work-orders?page=1",
                path: "/api/infra/work-orders?page=1".into(),
                check: check_list,
                same_answer: true,
            },
        ),
        (
            "map",
            Target {
                name: "map JSON /api/infra/map?layer=orders&bbox",
                path: format!("/api/infra/map?layer=orders&bbox={}", cli.bbox),
                check: check_map,
                same_answer: true,
            },
        ),
        (
            "order",
            Target {
                name: "order page /infra/work-orders/{id}",
                path: format!("/infra/work-orders/{order_id}"),
                check: check_order,
                same_answer: false,
            },
        ),
    ];
    for e in &cli.endpoints {
        ensure!(all_targets.iter().any(|(k, _)| k == e), "--endpoints: unknown {e:?} (list, map, order)");
    }
    let targets: Vec<Target> =
        all_targets.into_iter().filter(|(k, _)| cli.endpoints.iter().any(|e| e == k)).map(|(_, t)| t).collect();

    // Every side must answer 200 with the same data before they are compared.
    // Then the latency of one request at a time (median of 9), the floor under any load.
    let sides = [("tabane", app_addr), ("uncached", plain_addr), ("baseline", base_addr)];
    eprintln!("checking the answers …");
    let mut solo: Vec<Vec<f64>> = Vec::new();
    for t in &targets {
        let mut alone = Vec::new();
        let mut bodies = Vec::new();
        for (side, addr) in sides {
            let r = http(addr, "GET", &t.path, &[("Cookie", &cookie)], b"").await?;
            ensure!(
                r.status == 200,
                "{side} {}: HTTP {}: {}",
                t.path,
                r.status,
                r.text().chars().take(300).collect::<String>()
            );
            let ct = r.header("content-type").next().unwrap_or("").to_string();
            let what = (t.check)(&ct, &r.body).with_context(|| format!("{side} {}", t.path))?;
            let mut times = Vec::new();
            for _ in 0..9 {
                let start = Instant::now();
                let r = http(addr, "GET", &t.path, &[("Cookie", &cookie)], b"").await?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
                ensure!(r.status == 200, "{side} {}: HTTP {}", t.path, r.status);
            }
            times.sort_by(f64::total_cmp);
            alone.push(times[times.len() / 2]);
            eprintln!(
                "  {side:<8} {:<48} {:>8} bytes  {what}; alone {:.2} ms",
                t.path,
                r.body.len(),
                alone[alone.len() - 1]
            );
            bodies.push((side, what));
        }
        // The cached and the plain app must give the same answer, and the baseline the same data.
        ensure!(
            bodies.iter().all(|(_, w)| !t.same_answer || *w == bodies[0].1),
            "{}: the sides disagree: {bodies:?}",
            t.path
        );
        solo.push(alone);
    }

    // 4. Load (optionally while another writer keeps invalidating the caches).
    let bumper = (cli.invalidate_per_sec > 0.0).then(|| {
        let db = conn.clone();
        let every = Duration::from_secs_f64(1.0 / cli.invalidate_per_sec);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = tabane_core::service::revisions::bump(&db, tabane_core::service::revisions::DATA).await
                {
                    eprintln!("invalidating: {e}");
                }
            }
        })
    });
    let mut results: Vec<(&Target, Vec<f64>, u32, Vec<WrkResult>)> = Vec::new();
    for (t, alone) in targets.iter().zip(solo) {
        for round in 1..=cli.rounds {
            let mut order: Vec<(usize, (&str, SocketAddr))> = sides.into_iter().enumerate().collect();
            if round % 2 == 0 {
                order.reverse();
            }
            let mut got: Vec<Option<WrkResult>> = vec![None, None, None];
            for (i, (side, addr)) in order {
                let url = format!("http://{addr}{}", t.path);
                if cli.warmup > 0 {
                    run_wrk(&cli, &url, &cookie, cli.warmup).await?;
                    drain(addr, &t.path, &cookie).await?;
                }
                eprintln!(
                    "wrk -t{} -c{} -d{}s --timeout {}s --latency -H \"Cookie: {SESSION_COOKIE}=…\" {url}",
                    cli.threads, cli.connections, cli.duration, cli.timeout
                );
                let r = run_wrk(&cli, &url, &cookie, cli.duration).await?;
                eprintln!(
                    "  {side}: {} requests, {:.1} req/s, p50 {:.2} ms, p99 {:.2} ms",
                    r.requests, r.rps, r.p50_ms, r.p99_ms
                );
                drain(addr, &t.path, &cookie).await?;
                got[i] = Some(r);
            }
            results.push((t, alone.clone(), round, got.into_iter().map(|r| r.expect("ran")).collect()));
        }
    }
    if let Some(b) = bumper {
        b.abort();
    }

    // 5. Report.
    println!();
    println!(
        "machine: {cores} cores ({}), SQLite {sqlite_version}",
        cpu_model().unwrap_or_else(|| "unknown CPU".into())
    );
    println!(
        "data: {total_orders} work orders, {total_assets} assets, {} events (bundle {}); single order #{order_id}",
        g.events, demo.bundle
    );
    println!("generation: {:.1} s{}", g.took.as_secs_f64(), if cli.analyze { " (+ ANALYZE)" } else { "" });
    for s in &cli.sql {
        println!("extra SQL: {s}");
    }
    println!(
        "load: wrk -t{} -c{} -d{}s --timeout {}s --latency (after a {} s warm-up), {} round(s) per endpoint, client and servers on the same machine",
        cli.threads, cli.connections, cli.duration, cli.timeout, cli.warmup, cli.rounds
    );
    println!();
    println!(
        "{:<47} {:<9} {:>9} {:>8} {:>9} {:>9} {:>9} {:>7} {:>10} {:>9}",
        "endpoint", "server", "alone ms", "requests", "req/s", "p50 ms", "p99 ms", "errors", "ratio rps", "p99 < 50"
    );
    println!("{}", "-".repeat(47 + 9 + 9 + 8 + 9 * 3 + 7 + 10 + 9 + 9));
    let err = |r: &WrkResult| r.non_2xx + r.socket_errors + r.timeouts;
    // With no completed request wrk prints a distribution of zeros: that is no measurement.
    let ms = |r: &WrkResult, v: f64| {
        if r.requests == 0 { "—".to_string() } else { format!("{v:.2}") }
    };
    let mut all_ok = true;
    for (t, alone, round, r) in &results {
        let name = if cli.rounds > 1 { format!("{} #{round}", t.name) } else { t.name.to_string() };
        let base = &r[2];
        for (i, (side, _)) in sides.iter().enumerate() {
            let a = &r[i];
            let ratio = if i < 2 && base.rps > 0.0 { format!("{:.3}", a.rps / base.rps) } else { String::new() };
            let verdict = if i == 0 {
                let ok = a.requests > 0 && a.p99_ms < cli.target_p99_ms && err(a) == 0;
                all_ok &= ok;
                if ok { "yes" } else { "NO" }
            } else {
                ""
            };
            println!(
                "{:<47} {:<9} {:>9.2} {:>8} {:>9.1} {:>9} {:>9} {:>7} {:>10} {:>9}",
                if i == 0 { name.as_str() } else { "" },
                side,
                alone[i],
                a.requests,
                a.rps,
                ms(a, a.p50_ms),
                ms(a, a.p99_ms),
                err(a),
                ratio,
                verdict
            );
        }
    }
    println!();
    if cli.invalidate_per_sec > 0.0 {
        println!(
            "during the load the data revision was raised {} times per second (a writer elsewhere): cached answers were rebuilt after each",
            cli.invalidate_per_sec
        );
    }
    println!(
        "tabane = the app as configured (sessions and busy reads cached under the revision counters, checked on every request)"
    );
    println!(
        "uncached = the same app with the read cache off (sessions still cached); baseline = bare handlers running the same statements"
    );
    println!("alone ms = median of 9 requests sent one at a time before the load (no concurrency)");
    println!("requests = completed in the {} s run; \"—\" = none completed, so no latency was measured", cli.duration);
    println!("errors = non-2xx/3xx answers + socket errors + timeouts (> {} s) reported by wrk", cli.timeout);
    println!("ratio rps = req/s ÷ baseline req/s");
    println!(
        "wrk is a closed loop: mean latency ≈ connections ÷ req/s, so p99 < {} ms at {} connections needs more than {:.0} req/s",
        cli.target_p99_ms,
        cli.connections,
        f64::from(cli.connections) / (cli.target_p99_ms / 1000.0)
    );
    println!(
        "target p99 < {} ms at {} connections (tabane side): {}",
        cli.target_p99_ms,
        cli.connections,
        if all_ok { "MET" } else { "NOT MET" }
    );
    Ok(())
}
