//! `tabane`: the one binary. Subcommands: serve, migrate, import, export, user, demo,
//! healthcheck, default-config, generate-key, rotate-keys, backup, restore.

mod backup;
mod config;
mod keys;
mod server;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use config::Config;
use std::io::Read;
use std::path::PathBuf;
use tabane_core::domain::Role;
use tabane_core::service::{accounts, audit, org_import, orgs};
use tabane_core::{Ctx, db};
use tabane_tabular::{Cell, InputEncoding, OutputEncoding};

#[derive(Parser)]
#[command(name = "tabane", version, about = "束ね Tabane — collaborative platform for Japanese local government")]
struct Cli {
    /// Configuration file (TOML). Also TABANE_CONFIG.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL (overrides configuration), e.g. postgres://user@host/db. Default: embedded SQLite.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Data directory (SQLite file and uploads).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates first).
    Serve {
        /// Load demo data (静岡県・下田市 …) before starting.
        #[arg(long)]
        demo: bool,
        /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations.
    Migrate,
    /// Import a file (CSV UTF-8/CP932 or xlsx). Nothing is written if any row is wrong.
    Import {
        #[arg(value_enum)]
        what: ImportKind,
        file: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        encoding: Enc,
        /// Sheet name for xlsx (default: the first sheet).
        #[arg(long)]
        sheet: Option<String>,
    },
    /// Export to CSV (UTF-8 with BOM, or CP932) or xlsx.
    Export {
        #[arg(value_enum)]
        what: ExportKind,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Output file (default: standard output).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Load demo data into the database.
    Demo,
    /// Check that the database (or a running server with --url) answers.
    Healthcheck {
        #[arg(long)]
        url: Option<String>,
    },
    /// Print a commented default configuration file.
    DefaultConfig,
    /// Print a fresh personal-data key ("<key_id>:<base64>") for personal_data_keys.
    GenerateKey {
        /// Key id: lower-case letters, digits, hyphens (default: k<this year>).
        #[arg(long)]
        id: Option<String>,
    },
    /// Re-encrypt personal data with the active key; prints the values left per key id.
    RotateKeys,
    /// バックアップ: write a consistent copy of the database to FILE (SQLite file, or pg_dump
    /// custom archive). Works while the server runs. The personal-data keys are not in it.
    Backup { file: PathBuf },
    /// 復元: replace the database with the backup in FILE. Refused (nothing written) when the
    /// configured keys do not open the backup's data, or the target is not empty without --force.
    Restore {
        file: PathBuf,
        /// Replace a database that is not empty.
        #[arg(long)]
        force: bool,
    },
    /// 団地建替・移転 tools.
    Housing {
        #[command(subcommand)]
        action: HousingAction,
    },
    /// 群マネ tools.
    Infra {
        #[command(subcommand)]
        action: InfraAction,
    },
}

#[derive(Subcommand)]
enum HousingAction {
    /// Erase the personal data of cases closed before a date (保存期間経過後の消去). The cases,
    /// payments and statistics stay; each erased case is audited.
    Erase {
        /// Cut-off (YYYY-MM-DD or 和暦). Default: today minus --retention-years.
        #[arg(long)]
        closed_before: Option<String>,
        /// Retention period in years when --closed-before is not given.
        #[arg(long, default_value_t = 5)]
        retention_years: i32,
        /// Count only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum InfraAction {
    /// Deterioration model (exponential Markov hazard model).
    Hazard {
        #[command(subcommand)]
        action: HazardAction,
    },
}

#[derive(Subcommand)]
enum HazardAction {
    /// Fit hazards from pairs of consecutive inspections (CSV UTF-8/CP932 or xlsx) and print
    /// θ (and β), standard errors and the log-likelihood.
    Fit {
        /// File with columns 前回健全性, 今回健全性, 間隔（年）or 前回点検日/今回点検日, 補修, covariates.
        #[arg(long)]
        pairs: PathBuf,
        /// Covariate columns, comma-separated (e.g. 塩害,交通量).
        #[arg(long, value_delimiter = ',')]
        covariates: Vec<String>,
        /// Grades with fewer pairs starting in them are not estimated.
        #[arg(long, default_value_t = 10)]
        min_pairs: usize,
        /// Print JSON (otherwise a short table).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    Organisations,
}
#[derive(Clone, Copy, ValueEnum)]
enum ExportKind {
    Organisations,
    Audit,
}
#[derive(Clone, Copy, ValueEnum)]
enum Enc {
    Auto,
    Utf8,
    Cp932,
}
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Cp932,
    Xlsx,
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user. The password is read from standard input (one line).
    Create {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        system_admin: bool,
    },
    /// Set a user's password, read from standard input (one line).
    SetPassword { login: String },
    /// Grant a role in an organisation (by 団体コード or id).
    Grant {
        login: String,
        #[arg(long)]
        org: String,
        #[arg(long, value_parser = ["admin", "staff", "viewer"])]
        role: String,
    },
}

fn read_password() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).context("reading password from standard input")?;
    Ok(s.lines().next().unwrap_or("").to_string())
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let (mut cfg, warnings) = Config::load(cli.config.as_deref())?;
    if let Some(u) = cli.database_url {
        cfg.database_url = u;
    }
    if let Some(d) = cli.data_dir {
        cfg.data_dir = d;
    }
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_new(&cfg.log).unwrap_or_else(|_| "info".into())).with_writer(std::io::stderr).init();
    for w in warnings {
        tracing::warn!("{w}");
    }
    match cli.command {
        Command::DefaultConfig => {
            print!("{}", Config::default_toml());
            Ok(())
        }
        Command::Serve { demo, listen } => {
            if let Some(l) = listen {
                cfg.listen = l;
            }
            server::serve(cfg, demo).await
        }
        Command::Healthcheck { url: Some(url) } => server::healthcheck_url(&url).await,
        // Not through `open`: a backup reads only, and a restore checks everything before it
        // writes (then migrates and raises the revision counters itself).
        Command::Backup { file } => backup::backup(&cfg, &file).await,
        Command::Restore { file, force } => backup::restore(&cfg, &file, force).await,
        Command::GenerateKey { id } => {
            let id = id.unwrap_or_else(|| format!("k{}", chrono::Local::now().format("%Y")));
            println!("{}", tabane_core::crypto::Keyring::generate_key(&id)?);
            Ok(())
        }
        Command::Infra { action: InfraAction::Hazard { action: HazardAction::Fit { pairs, covariates, min_pairs, json } } } => hazard_fit(&pairs, &covariates, min_pairs, json),
        other => {
            let conn = open(&cfg).await?;
            let writes = !matches!(other, Command::Healthcheck { .. } | Command::Export { .. });
            let result = run(other, &cfg, &conn).await;
            // Running servers cache answers under the revision counters; whatever the command
            // wrote (even part of a batch before an error), they must read afresh.
            if writes {
                if let Err(e) = tabane_core::service::revisions::bump_all(&conn).await {
                    eprintln!("warning: running servers may show cached answers until the next change: {e}");
                }
            }
            result
        }
    }
}

pub async fn open(cfg: &Config) -> Result<sea_orm::DatabaseConnection> {
    std::fs::create_dir_all(&cfg.data_dir).with_context(|| format!("creating data directory {}", cfg.data_dir.display()))?;
    let conn = db::connect(&cfg.database_url()).await?;
    tabane::migrate(&conn).await?;
    Ok(conn)
}

async fn run(cmd: Command, cfg: &Config, conn: &sea_orm::DatabaseConnection) -> Result<()> {
    let ctx = Ctx::cli();
    match cmd {
        Command::Migrate => {
            println!("migrations applied");
        }
        Command::Healthcheck { .. } => {
            conn.ping().await.context("database does not answer")?;
            println!("ok");
        }
        Command::Housing { action: HousingAction::Erase { closed_before, retention_years, dry_run } } => {
            let before = match closed_before {
                Some(s) => tabane_calendar::parse_date(&s).map_err(|e| anyhow::anyhow!("--closed-before: {e}"))?,
                None => tabane_calendar::add_months(chrono::Local::now().date_naive(), -12 * retention_years),
            };
            let r = tabane_housing::service::erase::closed(conn, &ctx, before, dry_run).await?;
            println!("{}{} 件（{} より前に完了した案件の個人情報）", if dry_run { "消去の対象（試行、書き込みなし）: " } else { "消去しました: " }, r.cases, before);
        }
        Command::RotateKeys => {
            let ring = keys::install_verified(cfg, conn).await?;
            let cols = tabane::encrypted_columns();
            let r = tabane_core::crypto::reencrypt(conn, &ctx, &ring, &cols).await?;
            let retired = tabane_core::crypto::retire_unused(conn, &ring, &cols).await?;
            println!("再暗号化: {} 件（使用中の鍵: {}）", r.reencrypted, ring.active_key_id());
            for (key, n) in &r.remaining {
                println!("{key}\t{n}");
            }
            for key in retired {
                println!("鍵 {key} は使われていません。設定から削除できます");
            }
        }
        Command::Demo => {
            keys::install_verified(cfg, conn).await?;
            let s = tabane::load_demo(conn, &server::file_store(cfg)).await?;
            if s.loaded {
                println!("demo data loaded: {} organisations, {} users (password: {})", s.organisations, s.users, tabane_core::demo::DEMO_PASSWORD);
            } else {
                println!("demo data already present");
            }
        }
        Command::Import { what: ImportKind::Organisations, file, encoding, sheet } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("input.csv").to_string();
            let enc = match encoding {
                Enc::Auto => InputEncoding::Auto,
                Enc::Utf8 => InputEncoding::Utf8,
                Enc::Cp932 => InputEncoding::Cp932,
            };
            let table = match (&sheet, name.to_ascii_lowercase().ends_with(".xlsx")) {
                (Some(s), true) => tabane_tabular::read_xlsx(&bytes, Some(s)),
                _ => tabane_tabular::read_file(&name, &bytes, enc),
            }
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            match org_import::import(conn, &ctx, &table, &name).await {
                Ok(s) => println!("取り込み完了: {} 行（新規 {}、更新 {}）", s.rows, s.inserted, s.updated),
                Err(tabane_core::Error::Import(report)) => {
                    eprintln!("{}", report.render_ja());
                    bail!("取り込みを中止しました: {} 件の誤りがあります。何も書き込んでいません。", report.errors.len());
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Export { what, format, out } => {
            let (headers, rows): (&[&str], Vec<Vec<Cell>>) = match what {
                ExportKind::Organisations => (org_import::EXPORT_HEADERS, org_import::export_rows(conn, &ctx).await?),
                ExportKind::Audit => (
                    audit::EXPORT_HEADERS,
                    audit::export_rows(conn, &ctx, &Default::default()).await?.into_iter().map(|r| r.into_iter().map(Cell::Text).collect()).collect(),
                ),
            };
            let bytes = match format {
                Format::Csv => tabane_tabular::write_csv_cells(headers, rows, OutputEncoding::Utf8Bom),
                Format::Cp932 => tabane_tabular::write_csv_cells(headers, rows, OutputEncoding::Cp932),
                Format::Xlsx => tabane_tabular::write_xlsx("export", headers, rows),
            }
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            match out {
                Some(p) => std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
            }
        }
        Command::User { action } => match action {
            UserAction::Create { login, name, system_admin } => {
                let password = read_password()?;
                let u = accounts::create_user(conn, &ctx, &accounts::NewUser { login, display_name: name, password, system_admin, role: String::new() }).await?;
                println!("created user {} (id {})", u.login, u.id);
            }
            UserAction::SetPassword { login } => {
                let u = accounts::find_user_by_login(conn, &login).await.with_context(|| format!("no user {login}"))?;
                accounts::set_password(conn, &ctx, u.id, &read_password()?).await?;
                println!("password set for {login}");
            }
            UserAction::Grant { login, org, role } => {
                let u = accounts::find_user_by_login(conn, &login).await.with_context(|| format!("no user {login}"))?;
                let o = match org.parse::<i64>() {
                    Ok(id) if org.len() != 6 => orgs::get(conn, &ctx, id).await?,
                    _ => orgs::find_by_code(conn, &ctx, &org).await.with_context(|| format!("no organisation with code {org}"))?,
                };
                let r = Role::parse(&role).context("role")?;
                accounts::grant(conn, &ctx, u.id, o.id, r).await?;
                println!("{login} is now {} of {}", r.label_ja(), o.name);
            }
        },
        Command::Serve { .. } | Command::DefaultConfig | Command::GenerateKey { .. } | Command::Infra { .. } | Command::Backup { .. } | Command::Restore { .. } => {
            unreachable!("handled before opening the database")
        }
    }
    Ok(())
}

fn hazard_fit(file: &std::path::Path, covariates: &[String], min_pairs: usize, json: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("pairs.csv");
    let table = tabane_tabular::read_file(name, &bytes, InputEncoding::Auto).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pairs = match tabane_infra::analytics::pairs::read_pairs(&table, covariates) {
        Ok(p) => p,
        Err(report) => {
            eprintln!("{}", report.render_ja());
            bail!("{} 件の誤りがあります。推定しませんでした。", report.errors.len());
        }
    };
    let opts = tabane_hazard::FitOptions { covariate_names: covariates.to_vec(), min_pairs_per_grade: min_pairs, ..Default::default() };
    let fit = tabane_hazard::fit(&pairs, &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&fit)?);
    } else {
        println!("組: {}（補修あり除外 {}、補修なしで改善 {}）  対数尤度: {:.3}", fit.pairs_used, fit.excluded_repaired, fit.improved_without_repair.len(), fit.log_likelihood);
        for (i, t) in fit.theta.iter().enumerate() {
            let se = fit.theta_std_err.get(i).copied().flatten();
            match t {
                Some(t) => println!("健全性{}: θ = {t:.5}/年（標準誤差 {}）  期待滞在 {:.1} 年", tabane_hazard::grade_label(i + 1), se.map(|s| format!("{s:.5}")).unwrap_or_else(|| "—".into()), 1.0 / t),
                None => println!("健全性{}: 推定できません", tabane_hazard::grade_label(i + 1)),
            }
        }
        for (g, why) in &fit.not_estimated {
            println!("  健全性{}: {why}", tabane_hazard::grade_label(*g));
        }
    }
    Ok(())
}
