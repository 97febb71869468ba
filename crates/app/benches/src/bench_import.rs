//! `tabane-bench-import`: how fast is the organisation importer compared with a plain
//! `sqlite3 .import` of the same file?
//!
//! Generates a CSV of N valid, distinct organisation rows (default 1,000,000) in the import
//! layout, imports it with `org_import::import` into a fresh SQLite database (parse + validate +
//! write, one transaction), then has the `sqlite3` command-line shell import the same file into
//! a table of the same shape (no validation), and prints rows/s for both and their ratio.
//!
//! ```text
//! cargo run --release --bin tabane-bench-import -- --rows 1000000
//! cargo run --release --bin tabane-bench-import -- --rows 1000000 --write-only orgs.csv   # the CSV only
//! ```

use anyhow::{Context, Result, bail, ensure};
use chrono::NaiveDate;
use clap::Parser;
use sea_orm::{EntityTrait, PaginatorTrait};
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
    parse: Duration,
    write: Duration,
    total: Duration,
}

async fn run_ours(wd: &WorkDir, n: usize) -> Result<Ours> {
    let db_path = wd.file(OUR_DB);
    let url = format!("sqlite://{}?mode=rwc", db_path.display());
    let conn = db::connect(&url).await?;
    db::migrate(&conn).await?;

    let csv = wd.file(CSV_NAME);
    let start = Instant::now();
    let bytes = std::fs::read(&csv).with_context(|| format!("reading {}", csv.display()))?;
    let table = tabane_tabular::read_file(CSV_NAME, &bytes, tabane_tabular::InputEncoding::Auto)
        .map_err(|e| anyhow::anyhow!("reading the CSV: {e}"))?;
    drop(bytes);
    let parse = start.elapsed();
    ensure!(table.rows.len() == n, "the reader returned {} rows, expected {n}", table.rows.len());

    let t = Instant::now();
    let summary = match org_import::import(&conn, &Ctx::cli(), &table, CSV_NAME).await {
        Ok(s) => s,
        Err(tabane_core::Error::Import(report)) => {
            let text = report.render_ja();
            let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
            bail!("the importer rejected the generated file ({} errors); first lines:\n{head}", report.errors.len());
        }
        Err(e) => return Err(e.into()),
    };
    let write = t.elapsed();
    let total = start.elapsed();
    drop(table);

    ensure!(summary.inserted == n && summary.updated == 0, "importer summary {summary:?}, expected {n} inserted");
    let count = organisation::Entity::find().count(&conn).await?;
    ensure!(count == n as u64, "organisations has {count} rows after the import, expected {n}");
    conn.close().await?;
    Ok(Ours { parse, write, total })
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

    eprintln!("tabane import …");
    let ours = run_ours(&wd, n).await?;
    eprintln!("sqlite3 .import …");
    let base = run_sqlite3(&wd, n)?;

    let ours_rate = rate(n, ours.total);
    let base_rate = rate(n, base);
    println!("rows: {n}");
    println!("csv: {:.1} MB", csv_bytes as f64 / 1e6);
    println!(
        "{:<60}{:>7.2} s  {:>9} rows/s",
        "tabane import (parse + validate + write, one transaction):",
        ours.total.as_secs_f64(),
        grouped(ours_rate.round() as u64)
    );
    println!(
        "  of which read/parse: {:.2} s, validate+write: {:.2} s",
        ours.parse.as_secs_f64(),
        ours.write.as_secs_f64()
    );
    println!(
        "{:<60}{:>7.2} s  {:>9} rows/s",
        "sqlite3 .import (no validation):",
        base.as_secs_f64(),
        grouped(base_rate.round() as u64)
    );
    println!("ratio (tabane / sqlite3): {:.3}", ours_rate / base_rate);
    match peak_rss_mb() {
        Some(mb) => println!("peak RSS: {mb} MB"),
        None => println!("peak RSS: unknown (no /proc/self/status)"),
    }
    Ok(())
}
