//! バックアップと復元 (backup and restore): `tabane backup FILE` and `tabane restore FILE [--force]`.
//!
//! A backup is one tar archive ([`archive`]): the database snapshot, then the uploaded files
//! kept on disk (`<data_dir>/files`, when there is one). Files kept in the database
//! (`file_storage = "database"`) are in the snapshot. The snapshot is taken first: a file's
//! bytes are on disk before its row commits, so every file the snapshot names is in the archive.
//!
//! - SQLite: the snapshot is `VACUUM INTO` (a consistent single-file copy, taken while servers
//!   run); a restore copies it next to the database and renames it into place.
//! - PostgreSQL: the snapshot is `pg_dump --format=custom`; a restore is `pg_restore --clean
//!   --if-exists --no-owner --single-transaction`, so a failing restore leaves the target as it was.
//! - Files: a restore unpacks them beside the data directory's `files` and, once the database
//!   is in place, swaps the folders. A backup without files leaves the folder as it is; a bare
//!   SQLite file or pg_dump archive (a backup made before files were included) is still restored.
//!
//! The personal-data keys are never in a backup. Before anything is written, a restore checks
//! the backup's key canaries (`crypto_key_checks`) against the configured keys with the same
//! check the server runs at start-up ([`crypto::find_key_problem`]) and refuses a non-empty
//! target unless `--force`: a refused restore writes nothing.

use crate::config::Config;
use anyhow::{Context, Result, anyhow, bail};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, Statement};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tabane_core::crypto::{self, KeyProblem};
use tabane_core::entities::data_revision;

mod archive;

/// The table every Tabane database has (SeaORM's migration bookkeeping).
const MIGRATIONS_TABLE: &str = "seaql_migrations";
/// The table of the personal-data key canaries.
const KEY_CHECKS_TABLE: &str = "crypto_key_checks";

const REMINDER: &str = "注意: 個人情報の暗号鍵はバックアップに含まれません。鍵はデータベースとは別の場所に保管してください（同じ場所に置かないこと）。\n\
Note: the personal-data keys are NOT in the backup. Keep them apart from it (never in the same place); a restore needs the keys that were active when the backup was made.";

/// 対象のデータベース (the configured database).
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

fn target(cfg: &Config) -> Result<Target> {
    let url = cfg.database_url();
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() || path.starts_with(':') {
            bail!("an in-memory SQLite database cannot be backed up or restored");
        }
        return Ok(Target::Sqlite(PathBuf::from(path)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(url));
    }
    bail!("unsupported database URL {}", tabane_core::db::redact(&url))
}

/// バックアップ (backup): writes a consistent copy of the configured database to `file`.
/// Works while servers run. Refuses to overwrite an existing file.
pub async fn backup(cfg: &Config, file: &Path) -> Result<()> {
    if file.exists() {
        bail!(
            "ファイル {0} は既にあります。別の名前を指定してください。\nFile {0} already exists; choose another name.",
            file.display()
        );
    }
    let tmp = partial_path(file, "partial")?;
    let _cleanup = RemoveOnDrop(tmp.clone());
    let snapshot = partial_path(file, "database")?;
    let _cleanup_snapshot = RemoveOnDrop(snapshot.clone());
    let (kind, entry) = match target(cfg)? {
        Target::Sqlite(db) => {
            anyhow::ensure!(
                db.exists(),
                "データベース {0} がありません / database file {0} does not exist",
                db.display()
            );
            let conn = tabane_core::db::connect(&cfg.database_url()).await?;
            let path = snapshot.to_str().context("the backup path is not UTF-8")?;
            // VACUUM INTO writes a consistent snapshot as one file (WAL content included).
            conn.execute(Statement::from_sql_and_values(conn.get_database_backend(), "VACUUM INTO ?", [path.into()]))
                .await
                .context("VACUUM INTO")?;
            conn.close().await.ok();
            ("SQLite", archive::SQLITE_ENTRY)
        }
        Target::Postgres(url) => {
            let out = pg_tool("pg_dump", &url)
                .arg("--format=custom")
                .arg("--file")
                .arg(&snapshot)
                .output()
                .context(PG_TOOLS_MISSING)?;
            if !out.status.success() {
                bail!("pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim());
            }
            ("pg_dump custom", archive::PGDUMP_ENTRY)
        }
    };
    let files_dir = cfg.data_dir.join(archive::FILES_DIR);
    let files = archive::write(&tmp, &snapshot, entry, &files_dir)?;
    std::fs::rename(&tmp, file).with_context(|| format!("writing {}", file.display()))?;
    let size = std::fs::metadata(file)?.len();
    println!(
        "バックアップを書き出しました / backup written: {} ({size} bytes, {kind}; {files} files from {})",
        file.display(),
        files_dir.display()
    );
    println!("{REMINDER}");
    Ok(())
}

/// What a backup file is, from its first bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sqlite,
    PgDump,
    /// The backup archive: a snapshot of either kind and the files ([`archive`]).
    Archive,
}

fn kind_of(file: &Path) -> Result<Kind> {
    use std::io::Read;
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(file)
        .with_context(|| format!("reading {}", file.display()))?
        .take(512)
        .read_to_end(&mut head)?;
    match &head[..] {
        h if h.starts_with(b"SQLite format 3\0") => Ok(Kind::Sqlite),
        h if h.starts_with(b"PGDMP") => Ok(Kind::PgDump),
        h if archive::is_archive(h) => Ok(Kind::Archive),
        _ => bail!(
            "{0} は Tabane のバックアップではありません（SQLite のデータベースでも pg_dump の custom 形式でもありません）。\n\
             {0} is not a Tabane backup (neither an SQLite database nor a pg_dump custom-format archive).",
            file.display()
        ),
    }
}

/// 復元 (restore): replaces the configured database with the backup in `file`. Everything is
/// checked first (kind of file, personal-data keys, empty target unless `force`); a refusal
/// writes nothing. Servers on the database should be stopped while it runs.
pub async fn restore(cfg: &Config, backup: &Path, force: bool) -> Result<()> {
    let kind = kind_of(backup)?;
    let target = target(cfg)?;
    // 0. An archive is unpacked into the data directory (the same file system as `files`, so
    //    the folders can be swapped by renaming); the folder goes when this returns.
    let work = RemoveDirOnDrop(cfg.data_dir.join(format!(".restore-{}", std::process::id())));
    let (file, kind, files) = if kind == Kind::Archive {
        std::fs::create_dir_all(&work.0).with_context(|| format!("creating {}", work.0.display()))?;
        let u = archive::unpack(backup, &work.0)?;
        (u.db, if u.sqlite { Kind::Sqlite } else { Kind::PgDump }, u.files)
    } else {
        (backup.to_path_buf(), kind, None)
    };
    let file = file.as_path();
    // 1. The backup: of the target's kind, a Tabane database, and its key canaries.
    let canaries = match (&target, kind) {
        (Target::Sqlite(_), Kind::Sqlite) => sqlite_canaries(file).await?,
        (Target::Postgres(_), Kind::PgDump) => pg_canaries(file)?,
        (Target::Sqlite(_), Kind::PgDump) => bail!(
            "{0} は PostgreSQL のバックアップ（pg_dump）です。設定されたデータベースは SQLite です。\n\
             {0} is a PostgreSQL backup (pg_dump), but the configured database is SQLite: set --database-url.",
            backup.display()
        ),
        (Target::Postgres(_), Kind::Sqlite) => bail!(
            "{0} は SQLite のバックアップです。設定されたデータベースは PostgreSQL です。\n\
             {0} is an SQLite backup, but the configured database is PostgreSQL.",
            backup.display()
        ),
        (_, Kind::Archive) => unreachable!("unpacked above"),
    };
    // 2. The keys: the backup's data must open with the configured keys.
    check_keys(cfg, &canaries)?;
    // 3. The target: empty, or --force.
    let before = match &target {
        Target::Sqlite(path) => sqlite_contents(path).await?,
        Target::Postgres(url) => pg_contents(url).await?,
    };
    if !before.rows.is_empty() && !force {
        let list: Vec<String> = before.rows.iter().take(6).map(|(t, n)| format!("{t} {n}")).collect();
        bail!(
            "復元先のデータベースは空ではありません（{0} など）。置き換えるには --force を付けてください。何も書き込んでいません。\n\
             The target database is not empty ({0} rows …). Add --force to replace it; nothing was written.",
            list.join(", ")
        );
    }
    // 4. Write.
    let url = cfg.database_url();
    match &target {
        Target::Sqlite(path) => sqlite_replace(&url, path, file, before.exists).await?,
        Target::Postgres(url) => {
            let out = pg_tool("pg_restore", url)
                .args([
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                ])
                .arg(file)
                .output()
                .context(PG_TOOLS_MISSING)?;
            if !out.status.success() {
                bail!(
                    "pg_restore failed (the target is unchanged: one transaction): {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
        }
    }
    // 5. The files kept on disk: the backup's folder takes the place of the data directory's.
    let restored_files = match files {
        Some((dir, n)) => {
            put_files_in_place(&cfg.data_dir.join(archive::FILES_DIR), &dir, &work.0)?;
            n
        }
        None => 0,
    };
    // 6. Bring an older backup up to date and raise the revision counters above both the
    //    restored ones and those servers may have seen before, so no cached answer survives.
    let conn = tabane_core::db::connect(&url).await?;
    tabane::migrate(&conn).await?;
    raise_revisions(&conn, &before.revisions).await?;
    let after = count_rows(&conn).await?;
    conn.close().await.ok();
    println!(
        "復元しました / restored: {} → {} ({} tables, {} rows; {restored_files} files)",
        backup.display(),
        tabane_core::db::redact(&url),
        after.len(),
        after.values().sum::<i64>()
    );
    println!("{REMINDER}");
    Ok(())
}

/// The key check of start-up ([`crypto::find_key_problem`]) on the backup's canaries.
fn check_keys(cfg: &Config, canaries: &[(String, String)]) -> Result<()> {
    if canaries.is_empty() {
        return Ok(());
    }
    let problem = match crate::keys::existing_keyring(cfg)? {
        Some(ring) => crypto::find_key_problem(canaries.iter().map(|(k, c)| (k.as_str(), c.as_str())), &ring),
        None => Some(KeyProblem::Missing(canaries[0].0.clone())),
    };
    let Some(p) = problem else { return Ok(()) };
    let (ja, en) = match &p {
        KeyProblem::Missing(_) => ("が設定にありません", "is not configured"),
        KeyProblem::Mismatch(_) => ("が設定の鍵と一致しません", "does not match the configured key"),
    };
    let id = p.key_id();
    bail!(
        "復元を中止しました。何も書き込んでいません: バックアップの個人情報の暗号鍵 {id} {ja}。\
         バックアップを作成した時点で有効だった鍵（personal_data_keys と personal_data_index_key）を設定してから、もう一度実行してください。\n\
         Restore refused, nothing written: the backup's personal-data key {id} {en}. \
         Configure the keys that were active when the backup was made (personal_data_keys and personal_data_index_key), then run again."
    )
}

/// 読み取り専用の接続 (a read-only connection) to an SQLite file; `immutable` for a backup file
/// nobody writes (no locks, no -wal/-shm files created next to it).
async fn sqlite_read_only(path: &Path, immutable: bool) -> Result<DatabaseConnection> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let opts = SqliteConnectOptions::new().filename(path).read_only(true).immutable(immutable).create_if_missing(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn sqlite_canaries(file: &Path) -> Result<Vec<(String, String)>> {
    let conn = sqlite_read_only(file, true).await?;
    let check = conn.query_one(Statement::from_string(conn.get_database_backend(), "PRAGMA quick_check")).await;
    let ok = matches!(&check, Ok(Some(r)) if r.try_get_by_index::<String>(0).is_ok_and(|s| s == "ok"));
    if !ok {
        bail!("{0} は壊れた SQLite ファイルです / {0} is a damaged SQLite file", file.display());
    }
    let tables = list_tables(&conn).await?;
    if !tables.iter().any(|t| t == MIGRATIONS_TABLE) {
        bail!(
            "{0} は Tabane のデータベースではありません（{MIGRATIONS_TABLE} がありません）/ {0} is not a Tabane database",
            file.display()
        );
    }
    let mut rows = Vec::new();
    if tables.iter().any(|t| t == KEY_CHECKS_TABLE) {
        let q = format!("SELECT key_id, canary FROM {KEY_CHECKS_TABLE} ORDER BY id");
        for r in conn.query_all(Statement::from_string(conn.get_database_backend(), q)).await? {
            rows.push((r.try_get_by_index(0)?, r.try_get_by_index(1)?));
        }
    }
    conn.close().await.ok();
    Ok(rows)
}

/// The canaries of a pg_dump archive. Restoring into a scratch database would need the right to
/// create databases; instead `pg_restore --data-only --table` prints the one table's `COPY`
/// block as text, and its rows are read from that (key ids and canaries are base64url, hex and
/// `[a-z0-9:-]`, so COPY's escapes never occur in them). The archive's table of contents is
/// read first, which also proves the file is an archive pg_restore can read.
fn pg_canaries(file: &Path) -> Result<Vec<(String, String)>> {
    let list = Command::new("pg_restore").arg("--list").arg(file).output().context(PG_TOOLS_MISSING)?;
    if !list.status.success() {
        bail!(
            "{0} を pg_restore で読めません / pg_restore cannot read {0}: {1}",
            file.display(),
            String::from_utf8_lossy(&list.stderr).trim()
        );
    }
    if !String::from_utf8_lossy(&list.stdout).contains(MIGRATIONS_TABLE) {
        bail!(
            "{0} は Tabane のバックアップではありません（{MIGRATIONS_TABLE} がありません）/ {0} is not a Tabane backup",
            file.display()
        );
    }
    let out = Command::new("pg_restore")
        .args(["--data-only", "--table", KEY_CHECKS_TABLE, "--file", "-"])
        .arg(file)
        .output()
        .context(PG_TOOLS_MISSING)?;
    if !out.status.success() {
        bail!("pg_restore failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(parse_copy_block(&String::from_utf8_lossy(&out.stdout), KEY_CHECKS_TABLE, &["key_id", "canary"]))
}

/// The given columns of every row of `table`'s `COPY … FROM stdin;` block in pg_restore's text.
fn parse_copy_block(sql: &str, table: &str, wanted: &[&str; 2]) -> Vec<(String, String)> {
    let mut lines = sql.lines();
    let header = lines.by_ref().find(|l| l.starts_with("COPY ") && l.contains(&format!("{table} (")));
    let Some(header) = header else { return Vec::new() };
    let cols: Vec<&str> = header
        .split_once('(')
        .and_then(|(_, r)| r.split_once(')'))
        .map(|(c, _)| c.split(',').map(|c| c.trim().trim_matches('"')).collect())
        .unwrap_or_default();
    let (Some(a), Some(b)) = (cols.iter().position(|c| *c == wanted[0]), cols.iter().position(|c| *c == wanted[1]))
    else {
        return Vec::new();
    };
    lines
        .take_while(|l| *l != "\\.")
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f.get(a)?.to_string(), f.get(b)?.to_string()))
        })
        .collect()
}

/// What the target holds before the restore.
#[derive(Default)]
struct Contents {
    /// The database exists (SQLite: the file).
    exists: bool,
    /// Tables with rows, and how many.
    rows: Vec<(String, i64)>,
    /// The revision counters servers may have cached answers under.
    revisions: BTreeMap<String, i64>,
}

async fn sqlite_contents(path: &Path) -> Result<Contents> {
    if !path.exists() {
        return Ok(Contents::default());
    }
    if std::fs::metadata(path)?.len() == 0 {
        return Ok(Contents { exists: true, ..Default::default() });
    }
    if kind_of(path).ok() != Some(Kind::Sqlite) {
        return Ok(Contents {
            exists: true,
            rows: vec![(format!("{} (not an SQLite file)", path.display()), 1)],
            ..Default::default()
        });
    }
    let conn = sqlite_read_only(path, false).await?;
    let c = contents(&conn).await?;
    conn.close().await.ok();
    Ok(c)
}

async fn pg_contents(url: &str) -> Result<Contents> {
    let conn = tabane_core::db::connect(url).await?;
    let c = contents(&conn).await?;
    conn.close().await.ok();
    Ok(c)
}

async fn contents(conn: &DatabaseConnection) -> Result<Contents> {
    let rows: Vec<(String, i64)> = count_rows(conn).await?.into_iter().filter(|(_, n)| *n > 0).collect();
    let mut revisions = BTreeMap::new();
    if rows.iter().any(|(t, _)| t == "data_revisions") {
        for r in data_revision::Entity::find().all(conn).await? {
            revisions.insert(r.name, r.revision);
        }
    }
    Ok(Contents { exists: true, rows, revisions })
}

/// Tables of the database (SQLite's own and PostgreSQL's catalogs left out).
async fn list_tables(conn: &DatabaseConnection) -> Result<Vec<String>> {
    let q = match conn.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    let rows = conn.query_all(Statement::from_string(conn.get_database_backend(), q)).await?;
    rows.iter().map(|r| r.try_get_by_index::<String>(0).map_err(Into::into)).collect()
}

/// Rows per table.
async fn count_rows(conn: &DatabaseConnection) -> Result<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    for t in list_tables(conn).await? {
        let q = format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""));
        let n: i64 = conn
            .query_one(Statement::from_string(conn.get_database_backend(), q))
            .await?
            .map(|r| r.try_get_by_index(0))
            .transpose()?
            .unwrap_or(0);
        out.insert(t, n);
    }
    Ok(out)
}

/// Puts the SQLite backup in place of `path`: a copy next to it, synced, then one rename.
async fn sqlite_replace(url: &str, path: &Path, backup: &Path, existed: bool) -> Result<()> {
    if existed && kind_of(path).ok() == Some(Kind::Sqlite) {
        // Fold the old database's WAL into it, so removing the -wal file below loses nothing
        // if the rename were to fail, and no old WAL is ever applied to the restored file.
        let conn = tabane_core::db::connect(url).await?;
        conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.context("checkpointing the old database")?;
        conn.close().await.ok();
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = partial_path(path, "partial")?;
    let _cleanup = RemoveOnDrop(tmp.clone());
    std::fs::copy(backup, &tmp).with_context(|| format!("copying {} to {}", backup.display(), tmp.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).context("removing the old database's side files");
            }
            _ => {}
        }
    }
    std::fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).ok();
    }
    Ok(())
}

/// Sets each revision counter above both its restored value and its value before the restore.
async fn raise_revisions(conn: &DatabaseConnection, before: &BTreeMap<String, i64>) -> Result<()> {
    let mut now: BTreeMap<String, i64> =
        data_revision::Entity::find().all(conn).await?.into_iter().map(|r| (r.name, r.revision)).collect();
    for name in [tabane_core::service::revisions::AUTH, tabane_core::service::revisions::DATA] {
        now.entry(name.to_string()).or_insert(0);
    }
    for (name, v) in now {
        let next = v.max(before.get(&name).copied().unwrap_or(0)) + 1;
        data_revision::Entity::insert(data_revision::ActiveModel { name: Set(name), revision: Set(next) })
            .on_conflict(
                OnConflict::column(data_revision::Column::Name)
                    .value(data_revision::Column::Revision, Expr::value(next))
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

const PG_TOOLS_MISSING: &str = "running pg_dump / pg_restore (PostgreSQL のクライアント postgresql-client を入れてください / install postgresql-client)";

/// A PostgreSQL client tool for `url`; a password in the URL goes in `PGPASSWORD`, not on the
/// command line where `ps` would show it.
fn pg_tool(program: &str, url: &str) -> Command {
    let mut c = Command::new(program);
    let (url, password) = split_password(url);
    if let Some(p) = password {
        c.env("PGPASSWORD", p);
    }
    c.arg("--dbname").arg(url);
    c
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret` percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let (Some(s), Some(at)) = (url.find("://"), url.rfind('@')) else { return (url.to_string(), None) };
    if at < s {
        return (url.to_string(), None);
    }
    let creds = &url[s + 3..at];
    let Some((user, pass)) = creds.split_once(':') else { return (url.to_string(), None) };
    (
        format!("{}://{user}{}", &url[..s], &url[at..]),
        Some(percent_encoding::percent_decode_str(pass).decode_utf8_lossy().into_owned()),
    )
}

/// `dir/.name.<what>-<pid>`: a file next to `path` (same file system, so a rename is atomic).
fn partial_path(path: &Path, what: &str) -> Result<PathBuf> {
    let name =
        path.file_name().and_then(|n| n.to_str()).ok_or_else(|| anyhow!("{} is not a file name", path.display()))?;
    Ok(path.with_file_name(format!(".{name}.{what}-{}", std::process::id())))
}

/// Swaps the restored files folder into place of `target`: the old one is moved into `work`
/// (removed with it), and moved back if the swap fails.
fn put_files_in_place(target: &Path, restored: &Path, work: &Path) -> Result<()> {
    let old = work.join("files-before-restore");
    let had = target.exists();
    if had {
        std::fs::rename(target, &old).with_context(|| format!("moving {} aside", target.display()))?;
    }
    if let Err(e) = std::fs::rename(restored, target) {
        if had {
            std::fs::rename(&old, target).ok();
        }
        return Err(e).with_context(|| format!("putting the restored files in {}", target.display()));
    }
    Ok(())
}

/// Removes a temporary file when the operation stops early (after a rename it is gone already).
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Removes a working folder when the operation ends.
struct RemoveDirOnDrop(PathBuf);

impl Drop for RemoveDirOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url() {
        assert_eq!(
            split_password("postgres://u:s%40cret@h/db"),
            ("postgres://u@h/db".to_string(), Some("s@cret".to_string()))
        );
        assert_eq!(split_password("postgres://u:%E7%A7%98%zz%@h/db").1.as_deref(), Some("秘%zz%"));
        assert_eq!(split_password("postgres://u@h/db"), ("postgres://u@h/db".to_string(), None));
    }

    #[test]
    fn copy_blocks_are_read_by_column_name() {
        let sql = "SET x;\nCOPY public.crypto_key_checks (id, key_id, canary, created_at) FROM stdin;\n1\tka\tv1.ka.abc\t2026-01-01\n2\tindex:idx\tff00\t2026-01-01\n\\.\n";
        let rows = parse_copy_block(sql, "crypto_key_checks", &["key_id", "canary"]);
        assert_eq!(rows, vec![("ka".into(), "v1.ka.abc".into()), ("index:idx".into(), "ff00".into())]);
    }
}
