//! `tabane`: the one binary. Subcommands: serve, migrate, import, export, user, demo,
//! healthcheck, default-config, generate-key, rotate-keys, backup, restore,
//! move-files-to-database.

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
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// The options every command takes, the modules' too.
#[derive(clap::Args)]
struct Global {
    /// Configuration file (TOML). Also TABANE_CONFIG.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL (overrides configuration), e.g. postgres://user@host/db. Default: embedded SQLite.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Data directory (SQLite file and uploads).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
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
    /// バックアップ: write a consistent copy of the database (SQLite snapshot, or pg_dump custom
    /// archive) and the uploaded files kept on disk to FILE, one tar archive. Works while the
    /// server runs. The personal-data keys are not in it.
    Backup { file: PathBuf },
    /// Move the bytes of the uploaded files kept on disk (<data_dir>/files) into the database,
    /// so that every app server serves them (with file_storage = "database"). Run it on the
    /// server whose data directory holds them; the disk copies are left for you to remove.
    MoveFilesToDatabase,
    /// 復元: replace the database and the files on disk with the backup in FILE. Refused (nothing written) when the
    /// configured keys do not open the backup's data, or the target is not empty without --force.
    Restore {
        file: PathBuf,
        /// Replace a database that is not empty.
        #[arg(long)]
        force: bool,
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

/// Two malloc arenas instead of glibc's eight per core. Every SQLite connection runs on a thread
/// of its own (sqlx), and each such thread got an arena of its own whose freed page-cache memory
/// was not reused by the others: under `scripts/soak` a server's memory grew twice as fast.
/// `MALLOC_ARENA_MAX` in the environment still wins (glibc reads it first).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; called before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

fn main() -> Result<()> {
    limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?
        .block_on(run_main())
}

async fn run_main() -> Result<()> {
    use clap::{CommandFactory, FromArgMatches};
    // The platform's commands, then one per module that has tools (`tabane infra …`).
    let modules = tabane::modules();
    let mut command = Cli::command();
    for m in &modules {
        if let Some(c) = &m.cli {
            command = command.subcommand((c.command)().name(m.key));
        }
    }
    let matches = command.get_matches();
    let module_command = matches
        .subcommand()
        .and_then(|(name, sub)| modules.iter().find(|m| m.key == name && m.cli.is_some()).map(|m| (m, sub)));
    let global = Global::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let sections: Vec<&str> = modules.iter().filter(|m| m.settings.is_some()).map(|m| m.key).collect();
    let (mut cfg, warnings) = Config::load(global.config.as_deref(), &sections)?;
    if let Some(u) = global.database_url {
        cfg.database_url = u;
    }
    if let Some(d) = global.data_dir {
        cfg.data_dir = d;
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&cfg.log).unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    for w in warnings {
        tracing::warn!("{w}");
    }
    if let Some((module, sub)) = module_command {
        return run_module(module, sub, cfg).await;
    }
    // Not a module's command: the platform's.
    let command = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit()).command;
    match command {
        Command::DefaultConfig => {
            let sections: Vec<String> =
                modules.iter().filter_map(|m| m.settings.as_ref().map(|s| (s.default_toml)())).collect();
            print!("{}", Config::default_toml(&sections));
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
        other => {
            let conn = open(&cfg).await?;
            let writes = !matches!(other, Command::Healthcheck { .. } | Command::Export { .. });
            let result = run(other, &cfg, &conn).await;
            // Running servers cache answers under the revision counters; whatever the command
            // wrote (even part of a batch before an error), they must read afresh.
            if writes && let Err(e) = tabane_core::service::revisions::bump_all(&conn).await {
                eprintln!("warning: running servers may show cached answers until the next change: {e}");
            }
            result
        }
    }
}

/// A module's subcommand. It opens the database only if it needs it; when it did, running
/// servers are told to read afresh afterwards, as after the platform's commands.
async fn run_module(module: &tabane_web::Module, matches: &clap::ArgMatches, cfg: Config) -> Result<()> {
    let opened: std::sync::Arc<std::sync::Mutex<Option<sea_orm::DatabaseConnection>>> = Default::default();
    let env = tabane_web::module::CliEnv {
        open: {
            let opened = opened.clone();
            Box::new(move || {
                let (cfg, opened) = (cfg.clone(), opened.clone());
                Box::pin(async move {
                    let conn = open(&cfg).await?;
                    keys::install_verified(&cfg, &conn).await?;
                    *opened.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn.clone());
                    Ok(conn)
                })
            })
        },
    };
    let cli = module.cli.as_ref().context("module without a command")?;
    let result = (cli.run)(matches, &env).await;
    let conn = opened.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(conn) = conn
        && let Err(e) = tabane_core::service::revisions::bump_all(&conn).await
    {
        eprintln!("warning: running servers may show cached answers until the next change: {e}");
    }
    result
}

pub async fn open(cfg: &Config) -> Result<sea_orm::DatabaseConnection> {
    std::fs::create_dir_all(&cfg.data_dir)
        .with_context(|| format!("creating data directory {}", cfg.data_dir.display()))?;
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
                println!(
                    "demo data loaded: {} organisations, {} users (password: {})",
                    s.organisations,
                    s.users,
                    tabane_core::demo::DEMO_PASSWORD
                );
            } else {
                println!("demo data already present");
            }
        }
        Command::MoveFilesToDatabase => {
            let store = server::file_store(cfg);
            let r = tabane_core::service::files::move_to_database(conn, &ctx, &store).await?;
            println!("データベースへ移したファイル / files moved into the database: {}", r.moved);
            for (ids, ja, en) in [
                (&r.missing, "このサーバーのディスクにないファイル", "not on this server's disk"),
                (&r.damaged, "SHA-256 が記録と一致しないファイル", "bytes differ from the recorded SHA-256"),
            ] {
                if !ids.is_empty() {
                    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                    println!("{ja} / {en} ({}): {}", ids.len(), list.join(", "));
                }
            }
            if !r.missing.is_empty() || !r.damaged.is_empty() {
                bail!("ディスクに残したファイルがあります（上記）/ some files were left on disk (above)");
            }
        }
        Command::Import { what: ImportKind::Organisations, file, encoding, sheet } => {
            // Opened here only to report a missing or unreadable file in the usual words; a CSV
            // is then streamed (twice: check, write), an xlsx read whole.
            std::fs::File::open(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("input.csv").to_string();
            let enc = match encoding {
                Enc::Auto => InputEncoding::Auto,
                Enc::Utf8 => InputEncoding::Utf8,
                Enc::Cp932 => InputEncoding::Cp932,
            };
            let source =
                tabane_tabular::Source::path(&file, enc, sheet.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
            match org_import::import(conn, &ctx, &source, &name).await {
                Ok(s) => println!("取り込み完了: {} 行（新規 {}、更新 {}）", s.rows, s.inserted, s.updated),
                Err(tabane_core::Error::Invalid(p)) if p.len() == 1 && p[0].field == "file" => {
                    bail!("{}", p[0].message.ja)
                }
                Err(tabane_core::Error::Import(report)) => {
                    eprintln!("{}", report.render_ja());
                    bail!(
                        "取り込みを中止しました: {} 件の誤りがあります。何も書き込んでいません。",
                        report.errors.len()
                    );
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Export { what, format, out } => {
            let (headers, rows): (&[&str], Vec<Vec<Cell>>) = match what {
                ExportKind::Organisations => (org_import::EXPORT_HEADERS, org_import::export_rows(conn, &ctx).await?),
                ExportKind::Audit => (
                    audit::EXPORT_HEADERS,
                    audit::export_rows(conn, &ctx, &Default::default())
                        .await?
                        .into_iter()
                        .map(|r| r.into_iter().map(Cell::Text).collect())
                        .collect(),
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
                let u = accounts::create_user(
                    conn,
                    &ctx,
                    &accounts::NewUser { login, display_name: name, password, system_admin, role: String::new() },
                )
                .await?;
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
                    _ => orgs::find_by_code(conn, &ctx, &org)
                        .await
                        .with_context(|| format!("no organisation with code {org}"))?,
                };
                let r = Role::parse(&role).context("role")?;
                accounts::grant(conn, &ctx, u.id, o.id, r).await?;
                println!("{login} is now {} of {}", r.label_ja(), o.name);
            }
        },
        Command::Serve { .. }
        | Command::DefaultConfig
        | Command::GenerateKey { .. }
        | Command::Backup { .. }
        | Command::Restore { .. } => {
            unreachable!("handled before opening the database")
        }
    }
    Ok(())
}
