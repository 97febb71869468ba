//! `tabane-bench-import`: how fast is the organisation importer compared with a plain
//! `sqlite3 .import` (and `psql \copy`) of the same file, and how much memory does it take?
//!
//! Generates a CSV of N valid, distinct organisation rows (default 1,000,000) in the import
//! layout, imports it with `org_import::import` from the file into a fresh SQLite database
//! (streamed: a checking pass, then a writing pass in one transaction), then has the `sqlite3`
//! command-line shell import the same file into a table of the same shape (no validation), and
//! prints rows/s for both, their ratio, and the importer's peak resident memory.
//!
//! With `--pg-url`, the same is done on PostgreSQL: our import into a scratch database
//! (created and dropped), and `psql \copy` of the same file into a table of the same shape.
//!
//! ```text
//! cargo run --release --bin tabane-bench-import -- --rows 1000000
//! cargo run --release --bin tabane-bench-import -- --rows 1000000 --pg-url postgres://postgres@127.0.0.1:5432
//! cargo run --release --bin tabane-bench-import -- --rows 1000000 --write-only orgs.csv   # the CSV only
//! ```

use anyhow::{Context, Result, bail, ensure};
use chrono::NaiveDate;
use clap::Parser;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tabane_core::entities::organisation;
use tabane_core::lgcode::LgCode;
use tabane_core::service::org_import;
use tabane_core::{Ctx, db};

#[derive(Parser)]
#[command(name = "tabane-bench-import", about = "Benchmark: organisation import vs. sqlite3 .import of the same CSV")]
struct Cli {
    /// Number of generated rows.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Working directory (CSV and database files). Default: a fresh directory under the system
    /// temporary directory.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the working files instead of deleting them at the end.
    #[arg(long)]
    keep: bool,
    /// Only write the generated CSV to FILE and stop (no import, no baseline): the input of
    /// scripts/faults.
    #[arg(long, value_name = "FILE")]
    write_only: Option<PathBuf>,
    /// Also compare on PostgreSQL: the server's URL (a scratch database is created on it and
    /// dropped at the end), e.g. postgres://postgres@127.0.0.1:5432
    #[arg(long, value_name = "URL")]
    pg_url: Option<String>,
}

const SQLITE3: &str = "sqlite3";
const CSV_NAME: &str = "bench.csv";
const OUR_DB: &str = "bench.sqlite";
const BASELINE_DB: &str = "baseline.sqlite";
const BASELINE_TABLE: &str = "t";

/// Import-layout headers (the Japanese headers of `org_import::SCHEMA`).
const HEADERS: [&str; 7] = ["団体コード", "種別", "名称", "ふりがな", "有効開始日", "有効終了日", "所在地"];

/// Removes the working files when dropped (also on error), unless asked to keep them.
struct WorkDir {
    path: PathBuf,
    /// True when this program created the directory: then the whole directory goes; otherwise
    /// only the files this program wrote.
    created: bool,
    keep: bool,
}

impl WorkDir {
    fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    fn our_files(&self) -> Vec<PathBuf> {
        let mut v = vec![self.file(CSV_NAME)];
        for db in [OUR_DB, BASELINE_DB] {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                v.push(self.file(&format!("{db}{suffix}")));
            }
        }
        v
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept working files in {}", self.path.display());
            return;
        }
        if self.created {
            let _ = std::fs::remove_dir_all(&self.path);
        } else {
            for f in self.our_files() {
                let _ = std::fs::remove_file(f);
            }
        }
    }
}

fn prepare_dir(cli: &Cli) -> Result<WorkDir> {
    let (path, explicit) = match &cli.dir {
        Some(d) => (d.clone(), true),
        None => (std::env::temp_dir().join(format!("tabane-bench-{}", std::process::id())), false),
    };
    let created = !path.exists();
    if !explicit && !created {
        bail!("{} already exists; pass --dir to choose another directory", path.display());
    }
    std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
    let wd = WorkDir { path, created, keep: cli.keep };
    // Fresh databases every run, even in a reused directory.
    for f in wd.our_files() {
        match std::fs::remove_file(&f) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", f.display())),
        }
    }
    Ok(wd)
}

/// The five-digit stems of valid municipal codes: prefecture 01–47, municipal part 001–999
/// (000 is the prefecture itself and is left out so that every row is a 市区町村).
fn stems() -> Vec<u32> {
    (1..=47u32).flat_map(|p| (1..=999u32).map(move |m| p * 1000 + m)).collect()
}

/// Writes `n` rows. Row i uses stem `i % stems` in validity period `i / stems`; period k runs
/// from (1900+5k)-04-01 to (1905+5k)-03-31, so the periods of one code touch but never
/// overlap and every (code, period) is distinct. Every other row writes its dates in 和暦.
fn generate_csv(path: &Path, n: usize) -> Result<u64> {
    let stems = stems();
    let codes: Vec<String> = stems
        .iter()
        .map(|&s| LgCode::from_first_five(s).map(|c| c.to_string()))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("generating codes: {e}"))?;
    let periods = n.div_ceil(codes.len()).max(1);
    // Each period's dates, in both notations, computed once.
    let mut dates = Vec::with_capacity(periods);
    for k in 0..periods {
        let y = 1900 + 5 * i32::try_from(k)?;
        let from = NaiveDate::from_ymd_opt(y, 4, 1).context("date out of range")?;
        let to = NaiveDate::from_ymd_opt(y + 5, 3, 31).context("date out of range")?;
        let wa = |d: NaiveDate| -> Result<(String, String)> {
            let w = tabane_calendar::to_wareki(d).with_context(|| format!("no 和暦 for {d}"))?;
            Ok((w.format_ja(), w.format_short()))
        };
        let (from_ja, _) = wa(from)?;
        let (_, to_short) = wa(to)?;
        dates.push([from.format("%Y-%m-%d").to_string(), to.format("%Y/%-m/%-d").to_string(), from_ja, to_short]);
    }

    let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    writeln!(w, "{}", HEADERS.join(","))?;
    for i in 0..n {
        let code = &codes[i % codes.len()];
        let d = &dates[i / codes.len()];
        // Western ("1900-04-01", "1905/3/31") or 和暦 ("明治33年4月1日", "M38.3.31").
        let (from, to) = if i % 2 == 0 { (&d[0], &d[1]) } else { (&d[2], &d[3]) };
        writeln!(w, "{code},市区町村,第{i}市,だい{i}し,{from},{to},テスト県テスト市{i}番地")?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

struct Ours {
    total: Duration,
    /// Peak resident memory during the import, in MB (`None` when it cannot be measured).
    peak_rss_mb: Option<u64>,
}

/// Our import of the CSV file into the database at `url` (migrated here, not timed): the
/// importer streams the file itself, as `tabane import organisations FILE` does.
async fn run_ours(wd: &WorkDir, url: &str, n: usize) -> Result<Ours> {
    let conn = db::connect(url).await?;
    db::migrate(&conn).await?;
    let csv = wd.file(CSV_NAME);
    let source = tabane_tabular::Source::csv_file(&csv, tabane_tabular::InputEncoding::Auto);
    let rss_reset = reset_peak_rss();
    let start = Instant::now();
    let summary = match org_import::import(&conn, &Ctx::cli(), &source, CSV_NAME).await {
        Ok(s) => s,
        Err(tabane_core::Error::Import(report)) => {
            let text = report.render_ja();
            let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
            bail!("the importer rejected the generated file ({} errors); first lines:\n{head}", report.errors.len());
        }
        Err(e) => return Err(e.into()),
    };
    let total = start.elapsed();
    let peak_rss_mb = if rss_reset { peak_rss_mb() } else { None };

    ensure!(summary.inserted == n && summary.updated == 0, "importer summary {summary:?}, expected {n} inserted");
    let count = organisation::Entity::find().count(&conn).await?;
    ensure!(count == n as u64, "organisations has {count} rows after the import, expected {n}");
    conn.close().await?;
    Ok(Ours { total, peak_rss_mb })
}

fn sqlite3_available() -> bool {
    Command::new(SQLITE3)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Single-quoted SQL / dot-command argument.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `sqlite3 .import` of the same CSV into a fresh database: WAL and synchronous=NORMAL as our
/// connection uses, the seven CSV columns (the implicit rowid plays the part of our id) and the
/// indexes our `organisations` table keeps on those columns (ix_org_lg_code, ix_org_name).
/// `.import` runs in one transaction. The whole child process is timed.
fn run_sqlite3(wd: &WorkDir, n: usize) -> Result<Duration> {
    let db_path = wd.file(BASELINE_DB);
    let csv = wd.file(CSV_NAME);
    let script = format!(
        "PRAGMA journal_mode=WAL;\n\
         PRAGMA synchronous=NORMAL;\n\
         CREATE TABLE {t}(lg_code TEXT, kind TEXT, name TEXT, name_kana TEXT, valid_from TEXT, valid_to TEXT, address TEXT);\n\
         CREATE INDEX ix_org_lg_code ON {t}(lg_code);\n\
         CREATE INDEX ix_org_name ON {t}(name);\n\
         .import --csv --skip 1 {csv} {t}\n",
        t = BASELINE_TABLE,
        csv = quote(&csv.to_string_lossy()),
    );
    let start = Instant::now();
    let mut child = Command::new(SQLITE3)
        .arg("-bail")
        .arg(&db_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting sqlite3")?;
    child.stdin.take().context("sqlite3 stdin")?.write_all(script.as_bytes())?;
    let out = child.wait_with_output()?;
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(out.status.success() && stderr.trim().is_empty(), "sqlite3 .import failed ({}):\n{stderr}", out.status);

    let out = Command::new(SQLITE3)
        .arg(&db_path)
        .arg(format!("SELECT count(*) FROM {BASELINE_TABLE};"))
        .output()
        .context("running sqlite3 for the row count")?;
    ensure!(out.status.success(), "sqlite3 count failed: {}", String::from_utf8_lossy(&out.stderr));
    let count: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().context("parsing sqlite3's row count")?;
    ensure!(count == n as u64, "sqlite3's table has {count} rows after .import, expected {n}");
    Ok(elapsed)
}

/// Resets this process's peak resident memory to its current value (Linux: writing 5 to
/// `/proc/self/clear_refs`), so that the peak read afterwards is the import's own. False if the
/// kernel does not allow it.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// 1234567 → "1,234,567".
fn grouped(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    // The importer logs its passes (check, write, commit) at info: TABANE_LOG=info shows them.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("TABANE_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    ensure!(cli.rows > 0, "--rows must be at least 1");
    let max_rows = stems().len() * 200; // periods up to the year 2900
    ensure!(cli.rows <= max_rows, "--rows is limited to {max_rows}");
    if let Some(path) = &cli.write_only {
        let bytes = generate_csv(path, cli.rows)?;
        eprintln!("wrote {} rows ({:.1} MB) to {}", grouped(cli.rows as u64), bytes as f64 / 1e6, path.display());
        return Ok(());
    }
    if !sqlite3_available() {
        bail!(
            "the sqlite3 command-line shell was not found on PATH; it is needed for the baseline (e.g. apt-get install sqlite3)"
        );
    }
    let wd = prepare_dir(&cli)?;
    let n = cli.rows;

    eprintln!("generating {} rows in {} …", grouped(n as u64), wd.path.display());
    let t = Instant::now();
    let csv_bytes = generate_csv(&wd.file(CSV_NAME), n)?;
    eprintln!("  {:.1} MB in {:.2} s", csv_bytes as f64 / 1e6, t.elapsed().as_secs_f64());

    eprintln!("tabane import (SQLite) …");
    let url = format!("sqlite://{}?mode=rwc", wd.file(OUR_DB).display());
    let ours = run_ours(&wd, &url, n).await?;
    eprintln!("sqlite3 .import …");
    let base = run_sqlite3(&wd, n)?;

    println!("rows: {n}");
    println!("csv: {:.1} MB", csv_bytes as f64 / 1e6);
    print_pair(
        n,
        ("tabane import, SQLite (check pass + write pass, one transaction):", ours.total),
        ("sqlite3 .import (no validation):", base),
    );
    println!("ratio (tabane / sqlite3): {:.3}  (goal ≥ 0.5)", base.as_secs_f64() / ours.total.as_secs_f64());
    match ours.peak_rss_mb {
        Some(mb) => println!("peak RSS of the import: {mb} MB  (goal ≤ 300)"),
        None => println!("peak RSS of the import: unknown (no /proc/self/clear_refs or status)"),
    }

    if let Some(server) = &cli.pg_url {
        let scratch = format!("tabane_bench_import_{}", std::process::id());
        let admin = sea_orm::Database::connect(with_database(server, "postgres")).await?;
        admin.execute_unprepared(&format!("CREATE DATABASE {scratch}")).await?;
        let result = run_postgres(&wd, &with_database(server, &scratch), n).await;
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")).await?;
        admin.close().await?;
        let (ours, base) = result?;
        print_pair(
            n,
            ("tabane import, PostgreSQL (check pass + COPY pass, one transaction):", ours.total),
            ("psql \\copy (no validation):", base),
        );
        println!("ratio (tabane / psql \\copy): {:.3}", base.as_secs_f64() / ours.total.as_secs_f64());
        if let Some(mb) = ours.peak_rss_mb {
            println!("peak RSS of the PostgreSQL import: {mb} MB");
        }
    }
    Ok(())
}

fn print_pair(n: usize, ours: (&str, Duration), base: (&str, Duration)) {
    for (label, d) in [ours, base] {
        println!("{label:<72}{:>7.2} s  {:>9} rows/s", d.as_secs_f64(), grouped(rate(n, d).round() as u64));
    }
}

/// `postgres://user@host:port` (any database path replaced) with `/db`.
fn with_database(url: &str, db: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find(['/', '?']).map_or(url.len(), |i| after_scheme + i);
    format!("{}/{db}", &url[..end])
}

/// On PostgreSQL: first the baseline, `psql \copy` of the same file into a table of the same
/// shape as the SQLite baseline's (an identity key standing for our id, the seven CSV columns as
/// text, indexes on the code and the name), then our import. A checkpoint before each, so that
/// neither pays for the other's WAL. Both in the scratch database at `url`.
async fn run_postgres(wd: &WorkDir, url: &str, n: usize) -> Result<(Ours, Duration)> {
    let conn = db::connect(url).await?;
    conn.execute_unprepared(&format!(
        "CREATE TABLE {t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, lg_code text, kind text, name text, \
         name_kana text, valid_from text, valid_to text, address text);\n\
         CREATE INDEX ix_t_lg_code ON {t}(lg_code);\n\
         CREATE INDEX ix_t_name ON {t}(name);",
        t = BASELINE_TABLE
    ))
    .await?;
    let checkpoint = async || {
        // Needs superuser rights; without them the runs are still comparable, only noisier.
        let _ = conn.execute_unprepared("CHECKPOINT").await;
    };
    checkpoint().await;
    eprintln!("psql \\copy …");
    let csv = wd.file(CSV_NAME);
    let start = Instant::now();
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c"])
        .arg(format!(
            "\\copy {BASELINE_TABLE} (lg_code, kind, name, name_kana, valid_from, valid_to, address) FROM {} WITH (FORMAT csv, HEADER true)",
            quote(&csv.to_string_lossy())
        ))
        .output()
        .context("running psql (is the PostgreSQL client installed?)")?;
    let base = start.elapsed();
    ensure!(out.status.success(), "psql \\copy failed: {}", String::from_utf8_lossy(&out.stderr));
    let row = conn
        .query_one(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT count(*) AS n FROM {BASELINE_TABLE}"),
        ))
        .await?
        .context("count")?;
    let count: i64 = row.try_get("", "n")?;
    ensure!(count == n as i64, "psql's table has {count} rows after \\copy, expected {n}");
    checkpoint().await;
    conn.close().await?;
    eprintln!("tabane import (PostgreSQL) …");
    let ours = run_ours(wd, url, n).await?;
    Ok((ours, base))
}
