//! `tabane backup` / `tabane restore` through the real binary, on the database of the run
//! (SQLite, or PostgreSQL with `TABANE_TEST_DATABASE_URL`): the demo survives a round trip
//! table by table, its uploaded files come back (on disk or in the database) and a restored
//! server serves them, and the refusals (wrong or missing key, non-empty target, wrong kind of
//! file) write nothing.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tabane_testkit::TestDb;

const A: &str = "ka:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const A_OTHER: &str = "ka:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
const B: &str = "kb:AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
const IDX: &str = "idx:BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=";
const IDX_OTHER: &str = "idx:BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU=";

/// The binary on `tdb`'s database with these keys, in a clean environment (PATH kept for
/// pg_dump / pg_restore).
fn tabane(tdb: &TestDb, args: &[&str], keys: (&str, &str)) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tabane"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TABANE_LOG", "warn")
        .env("TABANE_PERSONAL_DATA_KEYS", keys.0)
        .env("TABANE_PERSONAL_DATA_INDEX_KEY", keys.1)
        .arg("--data-dir")
        .arg(&tdb.dir)
        .arg("--database-url")
        .arg(&tdb.url)
        .args(args);
    c
}

fn run(tdb: &TestDb, args: &[&str], keys: (&str, &str)) -> Output {
    tabane(tdb, args, keys).output().unwrap()
}

/// The binary on `tdb` with the test keys, keeping new files in `storage`.
fn storing(tdb: &TestDb, storage: &str, args: &[&str]) -> Command {
    let mut c = tabane(tdb, args, (A, IDX));
    c.env("TABANE_FILE_STORAGE", storage);
    c
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

async fn connect(url: &str) -> DatabaseConnection {
    Database::connect(url).await.unwrap()
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    } else {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    };
    strings(db, sql).await
}

/// Every table's row count and the SHA-256 of its rows, each column as text, ordered by all
/// columns.
async fn table_sums(url: &str) -> BTreeMap<String, (usize, String)> {
    let db = connect(url).await;
    let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    let mut out = BTreeMap::new();
    for t in tables(&db).await {
        let cols = if sqlite {
            strings(&db, &format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid")).await
        } else {
            strings(
                &db,
                &format!("SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{t}' ORDER BY ordinal_position"),
            )
            .await
        };
        let exprs: Vec<String> =
            cols.iter().map(|c| if sqlite { format!("quote(\"{c}\")") } else { format!("\"{c}\"::text") }).collect();
        let order: Vec<String> = (1..=cols.len()).map(|i| i.to_string()).collect();
        let sql = format!("SELECT {} FROM \"{t}\" ORDER BY {}", exprs.join(", "), order.join(", "));
        let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        let mut h = Sha256::new();
        for r in &rows {
            for i in 0..cols.len() {
                match r.try_get_by_index::<Option<String>>(i).unwrap() {
                    Some(v) => h.update(format!("{}:{v}\x1f", v.len())),
                    None => h.update("\x00\x1f"),
                }
            }
            h.update("\x1e");
        }
        out.insert(t, (rows.len(), hex::encode(h.finalize())));
    }
    db.close().await.unwrap();
    out
}

fn without_revisions(mut m: BTreeMap<String, (usize, String)>) -> BTreeMap<String, (usize, String)> {
    m.remove("data_revisions");
    m
}

async fn revisions(url: &str) -> Vec<(String, i64)> {
    let db = connect(url).await;
    let rows = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT name, revision FROM data_revisions ORDER BY name",
        ))
        .await
        .unwrap();
    let out = rows.iter().map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap())).collect();
    db.close().await.unwrap();
    out
}

/// The target is as fresh as it was made: no SQLite file, or a PostgreSQL database without tables.
async fn assert_untouched(dst: &TestDb) {
    if dst.is_postgres() {
        let db = connect(&dst.url).await;
        assert_eq!(tables(&db).await, Vec::<String>::new(), "a refused restore wrote tables");
        db.close().await.unwrap();
    } else {
        let files: Vec<_> = std::fs::read_dir(&dst.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(files.is_empty(), "a refused restore wrote {files:?}");
    }
}

#[tokio::test]
async fn the_demo_survives_a_round_trip_and_refusals_write_nothing() {
    let src = TestDb::new().await;
    let out = run(&src, &["demo"], (A, IDX));
    assert!(out.status.success(), "{}", text(&out));

    let file = src.dir.join("tabane.backup");
    let file_arg = file.to_str().unwrap();
    let out = run(&src, &["backup", file_arg], (A, IDX));
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(file_arg) && said.contains("bytes") && said.contains("NOT in the backup"), "{said}");
    // An existing file is never overwritten.
    let again = run(&src, &["backup", file_arg], (A, IDX));
    assert!(!again.status.success() && text(&again).contains("already exists"), "{}", text(&again));

    // Keys other than those of the backup: refused, naming the key, and nothing written.
    let dst = TestDb::new().await;
    for (keys, says) in [
        ((A_OTHER, IDX), "個人情報の暗号鍵 ka が設定の鍵と一致しません"),
        ((B, IDX), "個人情報の暗号鍵 ka が設定にありません"),
        ((A, IDX_OTHER), "個人情報の暗号鍵 index:idx が設定の鍵と一致しません"),
    ] {
        let out = run(&dst, &["restore", file_arg], keys);
        assert!(!out.status.success(), "restored with {keys:?}");
        let t = text(&out);
        assert!(t.contains(says) && t.contains("keys that were active when the backup was made"), "{t}");
        assert!(!t.contains("AgICAgIC"), "key material must not be printed: {t}");
        assert_untouched(&dst).await;
    }

    // The right keys: every table comes back row for row.
    let out = run(&dst, &["restore", file_arg], (A, IDX));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("NOT in the backup"), "{}", text(&out));
    let want = without_revisions(table_sums(&src.url).await);
    let got = table_sums(&dst.url).await;
    assert_eq!(without_revisions(got.clone()), want);
    let rows: usize = want.values().map(|(n, _)| n).sum();
    eprintln!("round trip: {} tables, {rows} rows identical", want.len());
    assert!(want.len() > 30 && want["organisations"].0 > 0 && want["housing_households"].0 > 0, "{want:?}");
    // Servers that cached answers must read afresh: the counters went up.
    let (before, after) = (revisions(&src.url).await, revisions(&dst.url).await);
    assert_eq!(before.len(), after.len());
    assert!(before.iter().zip(&after).all(|(b, a)| a.1 > b.1), "{before:?} {after:?}");

    // A target with data: refused without --force, and left exactly as it was.
    let db = connect(&dst.url).await;
    db.execute_unprepared(
        "UPDATE organisations SET name = name || '（変更）' WHERE id = (SELECT MIN(id) FROM organisations)",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    let changed = table_sums(&dst.url).await;
    let out = run(&dst, &["restore", file_arg], (A, IDX));
    assert!(!out.status.success());
    assert!(
        text(&out).contains("復元先のデータベースは空ではありません") && text(&out).contains("--force"),
        "{}",
        text(&out)
    );
    assert_eq!(table_sums(&dst.url).await, changed);
    // With --force it is replaced.
    let out = run(&dst, &["restore", file_arg, "--force"], (A, IDX));
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(without_revisions(table_sums(&dst.url).await), want);

    // The restored database serves (the start-up key check passes).
    let mut child = tabane(&dst, &["serve", "--listen", "127.0.0.1:0"], (A, IDX))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap_or("").to_string();
    let health =
        if line.contains("listening") { Some(run(&dst, &["healthcheck", "--url", &url], (A, IDX))) } else { None };
    child.kill().ok();
    let out = child.wait_with_output().unwrap();
    assert!(line.contains("listening"), "serve did not start: {line} {}", String::from_utf8_lossy(&out.stderr));
    assert!(health.unwrap().status.success());
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_named() {
    let dst = TestDb::new().await;
    let file = std::env::temp_dir().join(format!("tabane-not-a-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, "団体コード,名称\n").unwrap();
    let out = run(&dst, &["restore", file.to_str().unwrap()], (A, IDX));
    let _ = std::fs::remove_file(&file);
    assert!(!out.status.success());
    assert!(text(&out).contains("is not a Tabane backup"), "{}", text(&out));
    assert_untouched(&dst).await;
    assert!(Path::new(&dst.dir).exists());
}

/// Regular files under `dir` (0 when it does not exist).
fn files_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.map(|e| e.unwrap()).map(|e| if e.file_type().unwrap().is_dir() { files_under(&e.path()) } else { 1 }).sum()
}

/// A photo of the demo the JV stored (id, SHA-256 of its bytes, where its bytes are).
async fn a_jv_photo(url: &str) -> (i64, String, String) {
    let db = connect(url).await;
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT f.id, f.sha256, f.storage FROM files f JOIN organisations o ON o.id = f.owner_org_id \
             WHERE o.name = '下田地域維持型JV' AND f.content_type LIKE 'image/%' ORDER BY f.id",
        ))
        .await
        .unwrap()
        .expect("the demo stores the JV's photos");
    db.close().await.unwrap();
    (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap(), row.try_get_by_index(2).unwrap())
}

/// Serves `tdb` with the binary (files in `storage`), signs in as jv-staff and answers the
/// status and bytes of `/files/{id}`.
async fn served_by_a_restored_server(tdb: &TestDb, storage: &str, id: i64) -> (reqwest::StatusCode, Vec<u8>) {
    let mut child = storing(tdb, storage, &["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().rsplit(' ').next().unwrap_or("").trim_end_matches('/').to_string();
    let answer = async {
        let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let login = serde_json::json!({ "login": "jv-staff", "password": tabane_core::demo::DEMO_PASSWORD });
        let r = client.post(format!("{base}/api/session")).json(&login).send().await.unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::OK, "sign in");
        let r = client.get(format!("{base}/files/{id}")).send().await.unwrap();
        (r.status(), r.bytes().await.unwrap().to_vec())
    };
    let started = line.contains("listening");
    let result = if started { Some(answer.await) } else { None };
    child.kill().ok();
    let out = child.wait_with_output().unwrap();
    result.unwrap_or_else(|| panic!("serve did not start: {line} {}", String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn files_kept_on_disk_are_in_the_backup_and_a_restored_server_serves_them() {
    let src = TestDb::new().await;
    let out = storing(&src, "disk", &["demo"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let stored = files_under(&src.dir.join("files"));
    assert!(stored > 0, "the demo stores photos on disk");
    let (photo, sha, storage) = a_jv_photo(&src.url).await;
    assert_eq!(storage, "disk");

    let file = src.dir.join("tabane.backup");
    let out = storing(&src, "disk", &["backup", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&format!("{stored} files from")), "{}", text(&out));

    // Another machine: its own data directory, empty.
    let dst = TestDb::new().await;
    let out = storing(&dst, "disk", &["restore", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&format!("{stored} files")), "{}", text(&out));
    assert_eq!(files_under(&dst.dir.join("files")), stored, "every file came back");
    let (status, bytes) = served_by_a_restored_server(&dst, "disk", photo).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(hex::encode(Sha256::digest(&bytes)), sha, "the same photo");

    // Restoring over it again (--force) replaces the folder: a stray file does not survive.
    std::fs::write(dst.dir.join("files/stray"), b"not in the backup").unwrap();
    let out = storing(&dst, "disk", &["restore", file.to_str().unwrap(), "--force"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(files_under(&dst.dir.join("files")), stored);
    let left: Vec<_> = std::fs::read_dir(&dst.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(
        !left.iter().any(|n| n.to_string_lossy().starts_with(".restore")),
        "the working folder is removed: {left:?}"
    );
}

#[tokio::test]
async fn files_kept_in_the_database_come_with_it() {
    let src = TestDb::new().await;
    let out = storing(&src, "database", &["demo"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(files_under(&src.dir.join("files")), 0, "nothing is written to disk");
    let (photo, sha, storage) = a_jv_photo(&src.url).await;
    assert_eq!(storage, "database");

    let file = src.dir.join("tabane.backup");
    let out = storing(&src, "database", &["backup", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 files from"), "{}", text(&out));

    let dst = TestDb::new().await;
    let out = storing(&dst, "database", &["restore", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(files_under(&dst.dir.join("files")), 0);
    let (status, bytes) = served_by_a_restored_server(&dst, "database", photo).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(hex::encode(Sha256::digest(&bytes)), sha, "the same photo, from the restored database");
}

#[tokio::test]
async fn a_backup_made_before_files_were_included_still_restores() {
    // Then a backup was the bare snapshot: an SQLite file or a pg_dump custom archive.
    let src = TestDb::new().await;
    let out = run(&src, &["migrate"], (A, IDX));
    assert!(out.status.success(), "{}", text(&out));
    let file = src.dir.join("old.backup");
    if src.is_postgres() {
        let out = Command::new("pg_dump")
            .args(["--format=custom", "--dbname", &src.url, "--file"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
    } else {
        let db = connect(&src.url).await;
        db.execute_unprepared(&format!("VACUUM INTO '{}'", file.display())).await.unwrap();
        db.close().await.unwrap();
    }
    let dst = TestDb::new().await;
    let out = run(&dst, &["restore", file.to_str().unwrap()], (A, IDX));
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(without_revisions(table_sums(&dst.url).await), without_revisions(table_sums(&src.url).await));
}
