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

mod baseline;
mod client;
mod data;
use baseline::*;
use client::*;
use data::*;

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
    let files = FileStore::disk(wd.path.join("files"), 10_000_000);
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
