//! `tabane serve`: open the database, migrate, optionally load the demo, listen.

use crate::config::Config;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use tabane_core::service::files::{FileStore, Storage};
use tabane_web::{AppState, WebConfig};

pub async fn serve(cfg: Config, demo: bool) -> Result<()> {
    let db = crate::open(&cfg).await?;
    // Before anything reads personal data or a port is opened: a wrong key stops the start here.
    crate::keys::install_verified(&cfg, &db).await?;
    if demo {
        let s = tabane::load_demo(&db, &file_store(&cfg)).await?;
        if s.loaded {
            tracing::info!(organisations = s.organisations, users = s.users, "demo data loaded");
        }
    }
    tracing::info!(
        file_storage = cfg.file_storage.key(),
        "uploaded files are kept {}",
        match cfg.file_storage {
            Storage::Disk => "on this server's disk (one app server)",
            Storage::Database => "in the database (any number of app servers)",
        }
    );
    let modules = tabane::modules();
    let settings = tabane_web::ModuleSettings::read(&modules, &cfg.section_map())?;
    let state = Arc::new(AppState {
        db,
        files: file_store(&cfg),
        cfg: WebConfig {
            session_hours: cfg.session_hours,
            secure_cookies: cfg.secure_cookies,
            tile_url: cfg.tile_url.clone(),
            demo,
            behind_proxy: cfg.behind_proxy,
        },
        caches: Default::default(),
        settings,
    });
    // On SQLite, keep the write-ahead log from growing without bound under steady load.
    tokio::spawn(tabane_web::wal::keep_short(state.clone()));
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("listening on {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    // The first line on stdout is the URL, so scripts and tests can read it.
    println!("Tabane is listening on http://{addr}/");
    if demo {
        println!(
            "demo logins: {} (password for all: {})",
            tabane_web::module::DemoLogins::of(&modules).0.iter().map(|u| u.0).collect::<Vec<_>>().join(", "),
            tabane_core::demo::DEMO_PASSWORD
        );
    }
    let app = tabane_web::app(state, &modules);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving HTTP")
}

/// The file store of the configuration: new files go to `file_storage`; files stored on disk
/// (before, or with `disk`) are read from `<data_dir>/files`.
pub fn file_store(cfg: &Config) -> FileStore {
    FileStore { storage: cfg.file_storage, root: cfg.data_dir.join("files"), max_bytes: cfg.max_upload_mb * 1_000_000 }
}

/// `tabane healthcheck --url http://host:port/`: exits non-zero unless /healthz answers 200.
pub async fn healthcheck_url(url: &str) -> Result<()> {
    let base = url.trim_end_matches('/');
    let rest = base.strip_prefix("http://").context("only http:// URLs are supported")?;
    let (host, _) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = tokio::net::TcpStream::connect(host).await.with_context(|| format!("connecting to {host}"))?;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(format!("GET /healthz HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes()).await?;
    let mut buf = String::new();
    stream.read_to_string(&mut buf).await?;
    anyhow::ensure!(
        buf.starts_with("HTTP/1.1 200") || buf.starts_with("HTTP/1.0 200"),
        "unhealthy: {}",
        buf.lines().next().unwrap_or("")
    );
    println!("ok");
    Ok(())
}
