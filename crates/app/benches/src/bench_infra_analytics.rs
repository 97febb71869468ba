//! `tabane-bench-infra-analytics`: the national scale of issue #4 on this machine.
//!
//! Generates 1,741 municipalities in 47 prefectures with their figures, 720,000 bridges and
//! 2,200,000 inspections (three rounds, 2014–2028, with repairs), as the CSV files each
//! municipality would upload. Then, timing each step:
//!
//! 1. imports every municipality's bridges and then its inspection results through the same
//!    service functions the import pages call (parse + full validation + one transaction each);
//! 2. has the `sqlite3` shell `.import` the same rows into the same tables (same schema and
//!    indexes, created by our migrations; no validation) in a second database — the baseline;
//! 3. computes the 見える化 for every municipality;
//! 4. reads the inspection pairs and fits the hazard model.
//!
//! ```text
//! cargo run --release -p tabane --bin tabane-bench-infra-analytics
//! cargo run --release -p tabane --bin tabane-bench-infra-analytics -- --bridges 72000 --inspections 220000
//! ```

use anyhow::{Context, Result, bail, ensure};
use chrono::{NaiveDate, Utc};
use clap::Parser;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, Statement};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tabane_core::domain::Role;
use tabane_core::entities::organisation;
use tabane_core::lgcode::LgCode;
use tabane_core::{Ctx, db};
use tabane_infra::entities::municipal_profile;
use tabane_infra::service::{asset_io, inspection_import};

#[derive(Parser)]
#[command(
    name = "tabane-bench-infra-analytics",
    about = "Benchmark: national bridges and inspections — import vs sqlite3, 見える化, hazard fit"
)]
struct Cli {
    #[arg(long, default_value_t = 720_000)]
    bridges: usize,
    #[arg(long, default_value_t = 2_200_000)]
    inspections: usize,
    #[arg(long, default_value_t = 1_741)]
    municipalities: usize,
    /// Working directory (default: a fresh directory under the system temporary directory).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the working directory.
    #[arg(long)]
    keep: bool,
}

const SQLITE3: &str = "sqlite3";

/// A deterministic generator, so runs are comparable.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n - 1)
    }
}

struct Town {
    id: i64,
    bridges: usize,
}

/// One municipality's upload: its bridges and its inspection results, as CSV.
struct Upload {
    owner: i64,
    assets_csv: Vec<u8>,
    inspections_csv: Vec<u8>,
    n_assets: usize,
    n_inspections: usize,
}

fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb / 1024)
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// Organisations and their 見える化 figures (set-up, not timed).
async fn organisations(db: &DatabaseConnection, cli: &Cli, rng: &mut Lcg) -> Result<Vec<Town>> {
    let now = Utc::now();
    let mut towns = Vec::new();
    let mut models = Vec::new();
    let mut id = 1000;
    let per_pref = cli.municipalities.div_ceil(47);
    for p in 1..=47u32 {
        id += 1;
        let code = LgCode::from_first_five(p * 1000).map_err(|e| anyhow::anyhow!(e.message_en()))?;
        models.push(organisation::ActiveModel {
            id: Set(id),
            kind: Set("prefecture".into()),
            name: Set(format!("県{p:02}")),
            lg_code: Set(Some(code.to_string())),
            prefecture_code: Set(Some(format!("{p:02}"))),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        for k in 0..per_pref {
            if towns.len() == cli.municipalities {
                break;
            }
            id += 1;
            let code =
                LgCode::from_first_five(p * 1000 + 200 + k as u32).map_err(|e| anyhow::anyhow!(e.message_en()))?;
            models.push(organisation::ActiveModel {
                id: Set(id),
                kind: Set("municipality".into()),
                name: Set(format!("市{p:02}-{k:03}")),
                lg_code: Set(Some(code.to_string())),
                prefecture_code: Set(Some(format!("{p:02}"))),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
            towns.push(Town { id, bridges: 0 });
        }
    }
    for chunk in models.chunks(500) {
        organisation::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    // Population: log-uniform 1,000–1,000,000 (roughly the national spread); the rest follows it.
    let mut profiles = Vec::new();
    let mut weights = Vec::new();
    for t in &towns {
        let pop = 10f64.powf(3.0 + 3.0 * rng.next());
        weights.push(pop.powf(0.6));
        profiles.push(municipal_profile::ActiveModel {
            org_id: Set(t.id),
            as_of: Set(NaiveDate::from_ymd_opt(2025, 1, 1).expect("date")),
            population: Set(Some(pop as i64)),
            decline_pct: Set(Some(15.0 + 40.0 * rng.next())),
            civil_staff: Set(Some((pop / 2500.0) as i32)),
            technical_staff: Set(Some((pop / 4000.0 * rng.next() * 2.0) as i32)),
            construction_workers: Set(Some((pop * 0.045) as i32)),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    for chunk in profiles.chunks(500) {
        municipal_profile::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    // Bridges in proportion to the weights, at least one each.
    let total: f64 = weights.iter().sum();
    let mut left = cli.bridges;
    for (t, w) in towns.iter_mut().zip(&weights) {
        t.bridges = (((cli.bridges - cli.municipalities) as f64 * w / total) as usize + 1).min(left);
        left -= t.bridges;
    }
    for k in 0..left {
        towns[k % cli.municipalities].bridges += 1;
    }
    Ok(towns)
}

/// The CSV each municipality uploads, plus the same rows in table layout for sqlite3.
fn generate(
    towns: &[Town],
    cli: &Cli,
    rng: &mut Lcg,
    base_assets: &mut impl Write,
    base_insp: &mut impl Write,
) -> Result<Vec<Upload>> {
    let extra_per_bridge = (cli.inspections as f64 - 3.0 * cli.bridges as f64) / cli.bridges as f64;
    let theta = [0.08, 0.15, 0.25];
    let now = Utc::now().to_rfc3339();
    let (mut asset_id, mut insp_id) = (0i64, 0i64);
    let mut out = Vec::with_capacity(towns.len());
    let mut left = cli.inspections;
    for t in towns {
        let mut a = String::from("種類,名称,路線名,緯度,経度,供用・架設年,施設番号,橋長・延長（m）\n");
        let mut i = String::from("施設番号,点検日,健全性,巡目,補修状況\n");
        let (mut na, mut ni) = (0, 0);
        for k in 0..t.bridges {
            asset_id += 1;
            let ext = format!("B{}-{k:05}", t.id);
            let year = (rng.next() > 0.25).then(|| 1940 + rng.below(80));
            let (lat, lon) = (31.0 + 14.0 * rng.next(), 130.0 + 15.0 * rng.next());
            let len = 2.0 + 200.0 * rng.next() * rng.next();
            let y = year.map(|y| y.to_string()).unwrap_or_default();
            a.push_str(&format!("橋梁,{ext}橋,市道{k},{lat:.5},{lon:.5},{y},{ext},{len:.1}\n"));
            writeln!(
                base_assets,
                "{asset_id},{},bridge,{ext}橋,,市道{k},{lat:.5},{lon:.5},,{y},\"{{\"\"延長_m\"\":{len:.1}}}\",{ext},{now},{now}",
                t.id
            )?;
            na += 1;
            // Three rounds; some bridges are inspected twice in the last round after a repair.
            let mut grade = 1 + usize::from(rng.next() > 0.6) + usize::from(rng.next() > 0.9);
            let mut prev: Option<(usize, NaiveDate)> = None;
            let rounds: &[(i32, i32)] = if rng.next() < extra_per_bridge {
                &[(2015, 1), (2020, 2), (2025, 3), (2026, 3)]
            } else {
                &[(2015, 1), (2020, 2), (2025, 3)]
            };
            for (n, &(yr, round)) in rounds.iter().enumerate() {
                if left == 0 {
                    break;
                }
                if n > 0 {
                    let mut z = 0.0;
                    while grade < 4 {
                        z += -(1.0 - rng.next()).ln() / theta[grade - 1];
                        if z > 5.0 {
                            break;
                        }
                        grade += 1;
                    }
                }
                let on = NaiveDate::from_ymd_opt(yr, 5 + rng.below(6) as u32, 1 + rng.below(28) as u32).expect("date");
                let repair =
                    if grade >= 3 && yr < 2025 { ["未着手", "着手", "完了"][rng.below(3)] } else { "未着手" };
                let key = match repair {
                    "着手" => "started",
                    "完了" => "done",
                    _ => "not_started",
                };
                let g = ["I", "II", "III", "IV"][grade - 1];
                i.push_str(&format!("{ext},{on},{g},{round},{repair}\n"));
                insp_id += 1;
                let next = NaiveDate::from_ymd_opt(yr + 5, on.month0() + 1, on.day().min(28)).expect("date");
                let latest = n + 1 == rounds.len();
                let (pg, pd) = prev.map(|p| (p.0.to_string(), p.1.to_string())).unwrap_or_default();
                writeln!(
                    base_insp,
                    "{insp_id},{asset_id},{},{on},{yr},{round},,,{grade},confirmed,{},,{now},{next},,{now},bridge,{pg},{pd},{},{key}",
                    t.id,
                    t.id,
                    i32::from(latest)
                )?;
                ni += 1;
                left -= 1;
                prev = Some((grade, on));
                if repair == "完了" {
                    grade = 1;
                }
            }
        }
        out.push(Upload {
            owner: t.id,
            assets_csv: a.into_bytes(),
            inspections_csv: i.into_bytes(),
            n_assets: na,
            n_inspections: ni,
        });
    }
    Ok(out)
}

use chrono::Datelike;

fn explain(what: &str, owner: i64, e: tabane_core::Error) -> anyhow::Error {
    match e {
        tabane_core::Error::Import(r) => anyhow::anyhow!(
            "{what} of {owner}: {:?}",
            r.errors.iter().take(3).map(|e| format!("{}行目 {} {}", e.row, e.column, e.message_ja)).collect::<Vec<_>>()
        ),
        e => anyhow::anyhow!("{what} of {owner}: {}", e.message(false)),
    }
}

fn staff(owner: i64) -> Ctx {
    Ctx {
        user_id: None,
        actor: "bench".into(),
        system_admin: false,
        org_id: Some(owner),
        role: Some(Role::Staff),
        bundle_id: None,
        request_id: None,
    }
}

/// The baseline: sqlite3 `.import` into the migrated tables of a second database.
fn sqlite3_import(db_path: &Path, table: &str, csv: &Path) -> Result<Duration> {
    let script = format!(
        "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n.import --csv {} {table}\n",
        csv.to_string_lossy()
    );
    let start = Instant::now();
    let mut child = Command::new(SQLITE3)
        .arg("-bail")
        .arg(db_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting sqlite3")?;
    child.stdin.take().context("sqlite3 stdin")?.write_all(script.as_bytes())?;
    let out = child.wait_with_output()?;
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(
        out.status.success() && stderr.trim().is_empty(),
        "sqlite3 .import {table} failed ({}):\n{stderr}",
        out.status
    );
    Ok(elapsed)
}

async fn count(db: &DatabaseConnection, table: &str) -> Result<i64> {
    let r = db
        .query_one(Statement::from_string(db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await?
        .context("count")?;
    Ok(r.try_get("", "n")?)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    ensure!(
        cli.municipalities > 0 && cli.bridges >= cli.municipalities && cli.inspections >= cli.bridges,
        "need bridges ≥ municipalities and inspections ≥ bridges"
    );
    if Command::new(SQLITE3).arg("-version").output().is_err() {
        bail!("the sqlite3 command-line shell is needed for the baseline (apt-get install sqlite3)");
    }
    let dir = match &cli.dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("tabane-bench-analytics-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let ours_path = dir.join("ours.sqlite");
    let base_path = dir.join("baseline.sqlite");
    for p in [&ours_path, &base_path] {
        let _ = std::fs::remove_file(p);
    }
    let url = |p: &Path| format!("sqlite://{}?mode=rwc", p.display());
    let ours = db::connect(&url(&ours_path)).await?;
    tabane::migrate(&ours).await?;
    let base = db::connect(&url(&base_path)).await?;
    tabane::migrate(&base).await?;
    base.close().await?;

    println!("machine: {} cores", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0));
    let mut rng = Lcg(2026);
    let t = Instant::now();
    let towns = organisations(&ours, &cli, &mut rng).await?;
    let (assets_csv, insp_csv) = (dir.join("assets.csv"), dir.join("inspections.csv"));
    let uploads = {
        let mut fa = std::io::BufWriter::new(std::fs::File::create(&assets_csv)?);
        let mut fi = std::io::BufWriter::new(std::fs::File::create(&insp_csv)?);
        let u = generate(&towns, &cli, &mut rng, &mut fa, &mut fi)?;
        fa.flush()?;
        fi.flush()?;
        u
    };
    let (n_assets, n_insp): (usize, usize) =
        (uploads.iter().map(|u| u.n_assets).sum(), uploads.iter().map(|u| u.n_inspections).sum());
    println!(
        "generated {} municipalities, {n_assets} bridges, {n_insp} inspections in {:.1} s",
        towns.len(),
        t.elapsed().as_secs_f64()
    );

    // 1. Our import: every municipality uploads its bridges, then its inspection results. Each
    // upload is CSV bytes in memory, streamed by the importer (a checking pass, then a writing
    // pass), as the import pages and the JSON API do.
    let t = Instant::now();
    for u in &uploads {
        let source = tabane_tabular::Source::csv(&u.assets_csv, tabane_tabular::InputEncoding::Utf8);
        asset_io::import(&ours, &staff(u.owner), &source, "bridges.csv")
            .await
            .map_err(|e| explain("bridges", u.owner, e))?;
    }
    let ours_assets = t.elapsed();
    let t = Instant::now();
    for u in &uploads {
        let source = tabane_tabular::Source::csv(&u.inspections_csv, tabane_tabular::InputEncoding::Utf8);
        inspection_import::import(&ours, &staff(u.owner), &source)
            .await
            .map_err(|e| explain("inspections", u.owner, e))?;
    }
    let ours_insp = t.elapsed();
    ensure!(
        count(&ours, "infra_assets").await? == n_assets as i64
            && count(&ours, "infra_inspections").await? == n_insp as i64,
        "row counts after our import"
    );
    drop(uploads);

    // 2. Baseline: sqlite3 .import of the same rows into the same (migrated) tables.
    let base_assets = sqlite3_import(&base_path, "infra_assets", &assets_csv)?;
    let base_insp = sqlite3_import(&base_path, "infra_inspections", &insp_csv)?;

    // 3. 見える化 for every municipality.
    let t = Instant::now();
    let (round, rows) = tabane_infra::analytics::mieruka_data::national(&ours, 2026, None).await?;
    let mieruka = t.elapsed();
    let bridges: i64 = rows.iter().map(|r| r.figures.bridges).sum();
    let iii_iv: i64 = rows.iter().map(|r| r.figures.iii_iv).sum();
    ensure!(bridges == n_assets as i64, "見える化 counted {bridges} bridges, expected {n_assets}");

    // 4. Pairs and the hazard fit.
    let t = Instant::now();
    let pairs = tabane_infra::analytics::forecast::pairs(&ours, &Ctx::cli()).await?;
    let read_pairs = t.elapsed();
    let t = Instant::now();
    let fit = tabane_hazard::fit(&pairs, &tabane_hazard::FitOptions::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let fitting = t.elapsed();

    let total_rows = n_assets + n_insp;
    let ours_total = ours_assets + ours_insp;
    let base_total = base_assets + base_insp;
    println!();
    println!("{:<44} {:>9} {:>14}", "step", "seconds", "rows/s");
    println!(
        "{:<44} {:>9.2} {:>14.0}",
        "import bridges (tabane, validated)",
        ours_assets.as_secs_f64(),
        rate(n_assets, ours_assets)
    );
    println!(
        "{:<44} {:>9.2} {:>14.0}",
        "import bridges (sqlite3 .import)",
        base_assets.as_secs_f64(),
        rate(n_assets, base_assets)
    );
    println!(
        "{:<44} {:>9.2} {:>14.0}",
        "import inspections (tabane, validated)",
        ours_insp.as_secs_f64(),
        rate(n_insp, ours_insp)
    );
    println!(
        "{:<44} {:>9.2} {:>14.0}",
        "import inspections (sqlite3 .import)",
        base_insp.as_secs_f64(),
        rate(n_insp, base_insp)
    );
    println!("{:<44} {:>9.2} {:>14.0}", "import all (tabane)", ours_total.as_secs_f64(), rate(total_rows, ours_total));
    println!("{:<44} {:>9.2} {:>14.0}", "import all (sqlite3)", base_total.as_secs_f64(), rate(total_rows, base_total));
    println!(
        "{:<44} {:>9.3}",
        format!("見える化, {} municipalities (round {round})", rows.len()),
        mieruka.as_secs_f64()
    );
    println!("{:<44} {:>9.2}", format!("read {} inspection pairs", pairs.len()), read_pairs.as_secs_f64());
    println!("{:<44} {:>9.3}", "hazard fit", fitting.as_secs_f64());
    println!();
    println!(
        "import rate ratio (tabane / sqlite3): bridges {:.3}, inspections {:.3}, all {:.3}  (target ≥ 0.6)",
        base_assets.as_secs_f64() / ours_assets.as_secs_f64(),
        base_insp.as_secs_f64() / ours_insp.as_secs_f64(),
        base_total.as_secs_f64() / ours_total.as_secs_f64()
    );
    println!(
        "見える化 all municipalities: {:.3} s (target < 1 s); hazard fit: {:.3} s (target < 10 s)",
        mieruka.as_secs_f64(),
        fitting.as_secs_f64()
    );
    println!(
        "bridges III/IV (latest): {iii_iv} of {bridges}; fitted θ = {:?}, log-likelihood {:.1}",
        fit.theta.iter().map(|t| t.map(|x| (x * 1e4).round() / 1e4)).collect::<Vec<_>>(),
        fit.log_likelihood
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (RSS): {mb} MB");
    }
    ours.close().await?;
    if !cli.keep && cli.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}
