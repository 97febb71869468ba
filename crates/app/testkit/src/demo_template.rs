//! The demo, loaded once and copied for each test that wants it.
//!
//! Loading the demo (three modules, ~1,900 sealed values, argon2 hashes for every demo user)
//! was most of the time of most HTTP tests. The first test that needs it builds a template —
//! an SQLite file, or a PostgreSQL database used as `TEMPLATE` — together with the demo's
//! stored files, under a file lock; every test then gets a copy of its own. A template is
//! keyed by the state of the sources (newest modification time and number of files under
//! `crates/`, and `Cargo.lock`), the database kind and today's date (the demo is dated
//! relative to today), so a change to any of them builds a new one; older ones are removed.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tabane_core::service::files::FileStore;

/// Where templates and their lock live (shared by every test binary and process).
fn root() -> PathBuf {
    std::env::temp_dir().join("tabane-test-templates")
}

fn sources_state(dir: &Path, newest: &mut std::time::SystemTime, count: &mut u64) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "target" && n != "node_modules") {
                sources_state(&p, newest, count);
            }
        } else if let Ok(m) = e.metadata().and_then(|m| m.modified()) {
            *count += 1;
            *newest = (*newest).max(m);
        }
    }
}

/// The template's name for the current sources, database kind and day.
fn key(kind: &str) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let (mut newest, mut count) = (std::time::UNIX_EPOCH, 0);
    sources_state(&repo.join("crates"), &mut newest, &mut count);
    if let Ok(m) = std::fs::metadata(repo.join("Cargo.lock")).and_then(|m| m.modified()) {
        newest = newest.max(m);
    }
    // DefaultHasher::new() has fixed keys: the same inputs give the same name in every process.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (newest, count, tabane_calendar::jst::today().to_string()).hash(&mut h);
    format!("{kind}_{:016x}", h.finish())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let Ok(entries) = std::fs::read_dir(from) else { return };
    for e in entries.flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Loads the demo into `db` with the test keyring (as `spawn_app` installs it).
async fn load(db: &DatabaseConnection, files_root: PathBuf) {
    tabane::migrate(db).await.unwrap();
    let ring = Arc::new(tabane_core::crypto::Keyring::for_tests());
    tabane_core::crypto::verify_or_init(db, &ring).await.unwrap();
    tabane_core::crypto::install(ring);
    tabane::load_demo(db, &FileStore::disk(files_root, 2_000_000)).await.unwrap();
}

/// Builds the template `name` in `dir` (the caller holds the exclusive lock).
async fn build(dir: &Path, name: &str, pg_base: Option<&str>) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    match pg_base {
        Some(base) => {
            let admin = Database::connect(format!("{base}/postgres")).await.expect("connect to PostgreSQL");
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            let db = tabane_core::db::connect(&format!("{base}/{name}")).await.unwrap();
            load(&db, dir.join("files")).await;
            db.close().await.unwrap();
            admin.close().await.ok();
        }
        None => {
            let url = format!("sqlite://{}?mode=rwc", dir.join("demo.sqlite").display());
            let db = tabane_core::db::connect(&url).await.unwrap();
            load(&db, dir.join("files")).await;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
            db.close().await.unwrap();
        }
    }
    std::fs::write(dir.join("ready"), name).unwrap();
}

/// Removes the other templates of this kind (older sources or another day).
async fn remove_others(kind: &str, keep: &str, pg_base: Option<&str>) {
    if let Ok(entries) = std::fs::read_dir(root()) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.starts_with(&format!("{kind}_")) && n != keep && e.path().is_dir() {
                let _ = std::fs::remove_dir_all(e.path());
                if let Some(base) = pg_base
                    && let Ok(admin) = Database::connect(format!("{base}/postgres")).await
                {
                    let _ =
                        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS tabane_tpl_{n} WITH (FORCE)")).await;
                }
            }
        }
    }
}

/// Makes sure the template exists; answers its folder and (PostgreSQL) database name. Holds a
/// shared lock while the caller copies, so nobody rebuilds it underneath.
pub async fn ready(pg_base: Option<&str>) -> (PathBuf, String, std::fs::File) {
    let kind = if pg_base.is_some() { "pg" } else { "sqlite" };
    let k = key(kind);
    let dir = root().join(&k);
    let name = format!("tabane_tpl_{k}");
    std::fs::create_dir_all(root()).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root().join(format!("{kind}.lock")))
        .unwrap();
    loop {
        lock.lock_shared().unwrap();
        if dir.join("ready").exists() {
            return (dir, name, lock);
        }
        lock.unlock().unwrap();
        lock.lock().unwrap();
        if !dir.join("ready").exists() {
            remove_others(kind, &k, pg_base).await;
            build(&dir, &name, pg_base).await;
        }
        lock.unlock().unwrap();
    }
}

/// Fills a new test database (`url`, PostgreSQL database `pg_name`) and its files folder
/// `files` from the template.
pub async fn copy_into(dir: &Path, tpl: &str, sqlite_path: &Path, pg: Option<(&str, &str)>, files: &Path) {
    copy_dir(&dir.join("files"), files);
    match pg {
        Some((admin_url, name)) => {
            let admin = Database::connect(admin_url).await.expect("connect to PostgreSQL");
            let mut tries = 0;
            loop {
                // CREATE DATABASE … TEMPLATE refuses while another session is on the template
                // (another test copying at the same moment): try again shortly.
                match admin.execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {tpl}")).await {
                    Ok(_) => break,
                    Err(_) if tries < 50 => {
                        tries += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    Err(e) => panic!("copy the demo template: {e}"),
                }
            }
            admin.close().await.ok();
        }
        None => {
            std::fs::copy(dir.join("demo.sqlite"), sqlite_path).unwrap();
        }
    }
}
