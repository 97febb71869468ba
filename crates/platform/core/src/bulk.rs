//! Bulk writes for imports (一括書き込み): one transaction on a connection of its own, with rows
//! going in at the speed of the database's own loader.
//!
//! - SQLite: one prepared `INSERT … VALUES (?, …)` stepped row by row, as `sqlite3 .import`
//!   does. Through sqlx every statement is a message to the connection's worker thread and
//!   every value a boxed sea-query value converted twice: two thirds of an import went there
//!   (profiled). So the rows are stepped with rusqlite on sqlx's own connection handle, which
//!   sqlx lends out locked (`lock_handle`): the same connection, the same transaction. Values
//!   are still encoded by sqlx's own `Encode` for each type, as `sea-query-binder` does for
//!   SeaORM, so a row written here reads back exactly like one written through an entity.
//! - PostgreSQL: one `COPY … FROM STDIN` (text format) per table, fed a megabyte at a time.
//!
//! The writing runs in a task of its own, so that the database takes in one batch while the
//! import reads and checks the rows of the next.
//!
//! `COPY` needs the driver's connection, and SeaORM 1.1's `DatabaseTransaction` does not lend
//! it out. So [`BulkTxn`] begins the transaction itself, on a connection taken from the same
//! pool, and implements SeaORM's [`ConnectionTrait`]: the import's other statements (reading
//! what exists, updates, the audit entry) run through the usual entities and services on the
//! very same transaction, bound by `sea-query-binder` as SeaORM binds them.

use sea_orm::sea_query::{Value, Values};
use sea_orm::sqlx::sqlite::{LockedSqliteHandle, SqliteArgumentValue};
use sea_orm::sqlx::{self, Encode, Postgres, Sqlite};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_binder::SqlxValues;
use std::fmt::Write as _;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

/// Rows handed to the writing task at a time on SQLite.
const SQLITE_BATCH_ROWS: usize = 4096;
// One row per statement, reused: multi-row INSERTs were measured slower on 1,000,000
// organisations (0.50-0.52 x `sqlite3 .import` with 16 rows per statement, 0.56 with 32,
// against 0.61-0.66 with one): binding is the same work, and SQLite's b-tree work dominates.
/// Bytes of `COPY` text handed to the writing task at a time.
const COPY_CHUNK: usize = 1 << 20;

/// A write transaction for a bulk import. Dropped without [`BulkTxn::commit`], it rolls back.
pub struct BulkTxn {
    /// Shared with the task of an open [`Inserter`], which holds the lock while it writes.
    conn: Arc<Mutex<Conn>>,
    backend: DbBackend,
}

enum Conn {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

fn exec_err(e: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(e))
}

fn query_err(e: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(e))
}

fn custom(m: &str) -> DbErr {
    DbErr::Custom(format!("bulk import: {m}"))
}

impl BulkTxn {
    /// Begins a transaction on a connection of `db`'s pool.
    pub async fn begin(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let conn = match backend {
            DbBackend::Sqlite => Conn::Sqlite(db.get_sqlite_connection_pool().begin().await.map_err(exec_err)?),
            DbBackend::Postgres => Conn::Postgres(db.get_postgres_connection_pool().begin().await.map_err(exec_err)?),
            DbBackend::MySql => return Err(custom("MySQL is not supported")),
        };
        Ok(Self { conn: Arc::new(Mutex::new(conn)), backend })
    }

    fn into_conn(self) -> Result<Conn, DbErr> {
        Arc::try_unwrap(self.conn).map(Mutex::into_inner).map_err(|_| custom("an insert is still running"))
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        match self.into_conn()? {
            Conn::Sqlite(t) => t.commit().await,
            Conn::Postgres(t) => t.commit().await,
        }
        .map_err(exec_err)
    }

    /// Rolls back now (dropping does too, when the connection is next used).
    pub async fn rollback(self) -> Result<(), DbErr> {
        match self.into_conn()? {
            Conn::Sqlite(t) => t.rollback().await,
            Conn::Postgres(t) => t.rollback().await,
        }
        .map_err(exec_err)
    }

    /// Starts inserting rows into `table`'s `columns` (every other column takes its default,
    /// e.g. the id). The rows are written by a task of their own while the caller reads and
    /// checks the next ones; until [`Inserter::finish`], other statements on this transaction
    /// wait for it.
    pub fn inserter(&self, table: &str, columns: &[&str]) -> Inserter<'_> {
        Inserter {
            txn: self,
            target: Target { table: table.to_string(), columns: columns.join(", "), width: columns.len() },
            writer: None,
            values: Vec::new(),
            copy: Vec::new(),
            pending: 0,
        }
    }

    async fn run(&self, sql: &str, values: Vec<Value>) -> Result<ExecResult, DbErr> {
        run(&mut *self.conn.lock().await, sql, values).await
    }
}

async fn run(conn: &mut Conn, sql: &str, values: Vec<Value>) -> Result<ExecResult, DbErr> {
    let args = SqlxValues(Values(values));
    match conn {
        Conn::Sqlite(t) => sqlx::query_with(sql, args).execute(&mut **t).await.map(Into::into),
        Conn::Postgres(t) => sqlx::query_with(sql, args).execute(&mut **t).await.map(Into::into),
    }
    .map_err(exec_err)
}

#[async_trait::async_trait]
impl ConnectionTrait for BulkTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.backend
    }

    async fn execute(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.run(&stmt.sql, stmt.values.map(|v| v.0).unwrap_or_default()).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match &mut *self.conn.lock().await {
            Conn::Sqlite(t) => sqlx::Executor::execute(&mut **t, sql).await.map(Into::into),
            Conn::Postgres(t) => sqlx::Executor::execute(&mut **t, sql).await.map(Into::into),
        }
        .map_err(exec_err)
    }

    async fn query_one(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let args = SqlxValues(stmt.values.unwrap_or(Values(Vec::new())));
        match &mut *self.conn.lock().await {
            Conn::Sqlite(t) => {
                sqlx::query_with(&stmt.sql, args).fetch_optional(&mut **t).await.map(|r| r.map(Into::into))
            }
            Conn::Postgres(t) => {
                sqlx::query_with(&stmt.sql, args).fetch_optional(&mut **t).await.map(|r| r.map(Into::into))
            }
        }
        .map_err(query_err)
    }

    async fn query_all(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let args = SqlxValues(stmt.values.unwrap_or(Values(Vec::new())));
        match &mut *self.conn.lock().await {
            Conn::Sqlite(t) => sqlx::query_with(&stmt.sql, args)
                .fetch_all(&mut **t)
                .await
                .map(|rows| rows.into_iter().map(Into::into).collect()),
            Conn::Postgres(t) => sqlx::query_with(&stmt.sql, args)
                .fetch_all(&mut **t)
                .await
                .map(|rows| rows.into_iter().map(Into::into).collect()),
        }
        .map_err(query_err)
    }
}

/// The table and columns an [`Inserter`] writes.
#[derive(Clone)]
struct Target {
    table: String,
    /// The column list as SQL.
    columns: String,
    width: usize,
}

/// What the reading side hands the writing task.
enum Batch {
    /// Encoded values of `rows` rows (SQLite).
    Values { rows: usize, values: Vec<SqliteArgumentValue<'static>> },
    /// `COPY` text of some rows (PostgreSQL).
    Copy(Vec<u8>),
    /// Every row has been handed over: complete the write.
    Done,
}

/// The writing task and the way to it.
struct Writer {
    batches: mpsc::Sender<Batch>,
    task: JoinHandle<Result<u64, DbErr>>,
}

/// Rows on their way into one table; [`Inserter::finish`] writes the last of them and says how
/// many were written. Dropped without `finish` (an error on the reading side), the writing
/// task stops and the transaction is left to roll back.
pub struct Inserter<'t> {
    txn: &'t BulkTxn,
    target: Target,
    writer: Option<Writer>,
    /// Encoded values of the pending rows (SQLite).
    values: Vec<SqliteArgumentValue<'static>>,
    /// `COPY` text of the pending rows (PostgreSQL).
    copy: Vec<u8>,
    pending: usize,
}

impl Inserter<'_> {
    /// Adds one row, its values in the order of the columns.
    pub async fn push(&mut self, row: impl IntoIterator<Item = Value>) -> Result<(), DbErr> {
        let full = if self.txn.backend == DbBackend::Postgres {
            for (i, v) in row.into_iter().enumerate() {
                if i > 0 {
                    self.copy.push(b'\t');
                }
                copy_text(&v, &mut self.copy)?;
            }
            self.copy.push(b'\n');
            self.copy.len() >= COPY_CHUNK
        } else {
            let before = self.values.len();
            for v in row {
                encode_sqlite(v, &mut self.values)?;
            }
            if self.values.len() - before != self.target.width {
                return Err(custom(&format!("a row of {} needs {} values", self.target.table, self.target.width)));
            }
            self.pending + 1 == SQLITE_BATCH_ROWS
        };
        self.pending += 1;
        if full { self.hand_over().await } else { Ok(()) }
    }

    /// Writes what is pending and waits for the writing task; the number of rows written.
    pub async fn finish(mut self) -> Result<u64, DbErr> {
        self.hand_over().await?;
        let Some(w) = self.writer.take() else { return Ok(0) };
        // The task may have stopped on an error, with the channel closed: its result says why.
        let _ = w.batches.send(Batch::Done).await;
        drop(w.batches);
        w.task.await.map_err(|e| custom(&format!("the writing task failed: {e}")))?
    }

    /// Gives up: the rows handed over so far stay uncommitted (roll the transaction back), and
    /// the writing task is waited for, so that the transaction is free again.
    pub async fn abandon(mut self) {
        if let Some(w) = self.writer.take() {
            drop(w.batches);
            let _ = w.task.await;
        }
    }

    /// Hands the pending rows to the writing task, starting it if need be.
    async fn hand_over(&mut self) -> Result<(), DbErr> {
        if self.pending == 0 {
            return Ok(());
        }
        let batch = if self.txn.backend == DbBackend::Postgres {
            Batch::Copy(std::mem::replace(&mut self.copy, Vec::with_capacity(COPY_CHUNK + COPY_CHUNK / 8)))
        } else {
            let capacity = SQLITE_BATCH_ROWS * self.target.width;
            Batch::Values {
                rows: self.pending,
                values: std::mem::replace(&mut self.values, Vec::with_capacity(capacity)),
            }
        };
        self.pending = 0;
        let writer = self.writer.get_or_insert_with(|| {
            let (batches, rx) = mpsc::channel(2);
            let task = tokio::spawn(write_batches(self.txn.conn.clone(), self.target.clone(), rx));
            Writer { batches, task }
        });
        if writer.batches.send(batch).await.is_err() {
            // The task stopped on an error; its result says which.
            let w = self.writer.take().expect("just used");
            return Err(w
                .task
                .await
                .map_err(|e| custom(&format!("the writing task failed: {e}")))?
                .err()
                .unwrap_or_else(|| custom("the writing task stopped")));
        }
        Ok(())
    }
}

/// The writing task: holds the connection and writes each batch as it comes, while the reading
/// side prepares the next. On SQLite one prepared single-row INSERT stepped for each row; on
/// PostgreSQL one `COPY` for the whole table, fed a chunk at a time. Without [`Batch::Done`]
/// (the reading side gave up) nothing is completed.
async fn write_batches(conn: Arc<Mutex<Conn>>, target: Target, mut rx: mpsc::Receiver<Batch>) -> Result<u64, DbErr> {
    let mut conn = conn.lock_owned().await;
    let Target { table, columns, width } = target;
    let mut written = 0u64;
    match &mut *conn {
        Conn::Postgres(t) => {
            let mut copy = t.copy_in_raw(&format!("COPY {table} ({columns}) FROM STDIN")).await.map_err(exec_err)?;
            while let Some(batch) = rx.recv().await {
                match batch {
                    Batch::Copy(data) => {
                        if let Err(e) = copy.send(data).await {
                            let _ = copy.abort("send failed").await;
                            return Err(exec_err(e));
                        }
                    }
                    Batch::Done => return copy.finish().await.map_err(exec_err),
                    Batch::Values { .. } => break,
                }
            }
            let _ = copy.abort("the import stopped").await;
            Err(custom("the import stopped before its last row"))
        }
        Conn::Sqlite(t) => {
            let sql = insert_sql(&table, &columns, width, 1);
            while let Some(batch) = rx.recv().await {
                match batch {
                    Batch::Values { rows, values } => {
                        let mut handle = t.lock_handle().await.map_err(exec_err)?;
                        step_rows(&mut handle, &sql, width, &values)?;
                        written += rows as u64;
                    }
                    Batch::Done => return Ok(written),
                    Batch::Copy(_) => break,
                }
            }
            Err(custom("the import stopped before its last row"))
        }
    }
}

/// Inserts `values` (rows of `width`) with `sql`, prepared once for the batch, on the locked
/// connection: in its open transaction, like every other statement of the import.
fn step_rows(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &str,
    width: usize,
    values: &[SqliteArgumentValue<'_>],
) -> Result<(), DbErr> {
    use rusqlite::types::{ToSqlOutput, ValueRef};
    let failed = |e: rusqlite::Error| DbErr::Exec(RuntimeErr::Internal(format!("bulk import: {e}")));
    // SAFETY: the handle is sqlx's open connection, lent to us locked: its worker runs nothing on
    // it until `handle` is dropped, after this function. The connection made here does not close
    // the handle when dropped, and its statement is finalized (dropped) before it.
    if values.is_empty() {
        return Ok(());
    }
    let conn = unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) }.map_err(failed)?;
    let mut stmt = conn.prepare(sql).map_err(failed)?;
    for row in values.chunks(width) {
        for (i, v) in row.iter().enumerate() {
            let v = match v {
                SqliteArgumentValue::Null => ValueRef::Null,
                SqliteArgumentValue::Text(t) => ValueRef::Text(t.as_bytes()),
                SqliteArgumentValue::Blob(b) => ValueRef::Blob(b),
                SqliteArgumentValue::Double(f) => ValueRef::Real(*f),
                SqliteArgumentValue::Int(n) => ValueRef::Integer(i64::from(*n)),
                SqliteArgumentValue::Int64(n) => ValueRef::Integer(*n),
            };
            stmt.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(v)).map_err(failed)?;
        }
        stmt.raw_execute().map_err(failed)?;
    }
    drop(stmt);
    drop(conn);
    Ok(())
}

/// Encodes `v` for SQLite with sqlx's own `Encode` of its type, as `sea-query-binder` does for
/// every statement SeaORM runs.
fn encode_sqlite(v: Value, buf: &mut Vec<SqliteArgumentValue<'static>>) -> Result<(), DbErr> {
    fn put<T: Encode<'static, Sqlite>>(x: Option<T>, buf: &mut Vec<SqliteArgumentValue<'static>>) -> Result<(), DbErr> {
        let before = buf.len();
        let null = match x {
            Some(x) => x.encode(buf).map_err(|e| DbErr::Type(format!("bulk import: {e}")))?.is_null(),
            None => true,
        };
        if null {
            buf.truncate(before);
            buf.push(SqliteArgumentValue::Null);
        }
        Ok(())
    }
    match v {
        Value::Bool(b) => put(b, buf),
        Value::TinyInt(i) => put(i, buf),
        Value::SmallInt(i) => put(i, buf),
        Value::Int(i) => put(i, buf),
        Value::BigInt(i) => put(i, buf),
        Value::TinyUnsigned(i) => put(i, buf),
        Value::SmallUnsigned(i) => put(i, buf),
        Value::Unsigned(i) => put(i, buf),
        Value::BigUnsigned(i) => {
            let i = i
                .map(i64::try_from)
                .transpose()
                .map_err(|_| DbErr::Type("bulk import: an integer too large".into()))?;
            put(i, buf)
        }
        Value::Float(f) => put(f, buf),
        Value::Double(f) => put(f, buf),
        Value::String(t) => put(t.map(|t| *t), buf),
        Value::Char(c) => put(c.map(|c| c.to_string()), buf),
        Value::Bytes(b) => put(b.map(|b| *b), buf),
        Value::ChronoDate(d) => put(d.map(|d| *d), buf),
        Value::ChronoTime(t) => put(t.map(|t| *t), buf),
        Value::ChronoDateTime(t) => put(t.map(|t| *t), buf),
        Value::ChronoDateTimeUtc(t) => put(t.map(|t| *t), buf),
        Value::ChronoDateTimeLocal(t) => put(t.map(|t| *t), buf),
        Value::ChronoDateTimeWithTimeZone(t) => put(t.map(|t| *t), buf),
        Value::Json(j) => put(j.map(|j| *j), buf),
        other => Err(DbErr::Type(format!("bulk import: a value SQLite cannot take: {other:?}"))),
    }
}

/// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?)` for `rows` rows.
fn insert_sql(table: &str, cols: &str, width: usize, rows: usize) -> String {
    let one = format!("({})", vec!["?"; width].join(", "));
    let mut sql = String::with_capacity(32 + table.len() + cols.len() + rows * (one.len() + 2));
    let _ = write!(sql, "INSERT INTO {table} ({cols}) VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&one);
    }
    sql
}

/// Appends `v` in PostgreSQL's `COPY` text format: `\N` for NULL, and backslash, tab, line
/// feed and carriage return escaped.
fn copy_text(v: &Value, out: &mut Vec<u8>) -> Result<(), DbErr> {
    fn text(s: &str, out: &mut Vec<u8>) {
        for b in s.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    }
    fn float(f: f64, out: &mut Vec<u8>) {
        if f.is_nan() {
            out.extend_from_slice(b"NaN");
        } else if f.is_infinite() {
            out.extend_from_slice(if f > 0.0 { b"Infinity" } else { b"-Infinity" });
        } else {
            out.extend_from_slice(f.to_string().as_bytes());
        }
    }
    let mut s = String::new();
    match v {
        Value::Bool(Some(b)) => out.push(if *b { b't' } else { b'f' }),
        Value::TinyInt(Some(i)) => s = i.to_string(),
        Value::SmallInt(Some(i)) => s = i.to_string(),
        Value::Int(Some(i)) => s = i.to_string(),
        Value::BigInt(Some(i)) => s = i.to_string(),
        Value::TinyUnsigned(Some(i)) => s = i.to_string(),
        Value::SmallUnsigned(Some(i)) => s = i.to_string(),
        Value::Unsigned(Some(i)) => s = i.to_string(),
        Value::BigUnsigned(Some(i)) => s = i.to_string(),
        Value::Float(Some(f)) => float(f64::from(*f), out),
        Value::Double(Some(f)) => float(*f, out),
        Value::String(Some(t)) => text(t, out),
        Value::Char(Some(c)) => text(c.encode_utf8(&mut [0; 4]), out),
        Value::Json(Some(j)) => text(&j.to_string(), out),
        Value::ChronoDate(Some(d)) => s = d.format("%Y-%m-%d").to_string(),
        Value::ChronoTime(Some(t)) => s = t.format("%H:%M:%S%.6f").to_string(),
        Value::ChronoDateTime(Some(t)) => s = t.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        Value::ChronoDateTimeUtc(Some(t)) => s = t.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string(),
        Value::ChronoDateTimeWithTimeZone(Some(t)) => s = t.format("%Y-%m-%d %H:%M:%S%.6f%:z").to_string(),
        Value::ChronoDateTimeLocal(Some(t)) => s = t.format("%Y-%m-%d %H:%M:%S%.6f%:z").to_string(),
        Value::Bytes(Some(_)) => {
            return Err(DbErr::Type("bytes are not written by COPY in bulk imports".into()));
        }
        _ => out.extend_from_slice(b"\\N"),
    }
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn copy(v: Value) -> String {
        let mut out = Vec::new();
        copy_text(&v, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn copy_text_escapes_and_writes_null() {
        assert_eq!(copy(Value::String(Some(Box::new("a\tb\\c\nd\re".into())))), "a\\tb\\\\c\\nd\\re");
        assert_eq!(copy(Value::String(None)), "\\N");
        assert_eq!(copy(Value::BigInt(None)), "\\N");
        assert_eq!(copy(Value::Bool(Some(true))), "t");
        assert_eq!(copy(Value::Double(Some(0.1))), "0.1");
        assert_eq!(copy(Value::Double(Some(f64::NEG_INFINITY))), "-Infinity");
        assert_eq!(copy(Value::BigInt(Some(-42))), "-42");
    }

    #[test]
    fn copy_text_dates_and_times() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(copy(d.into()), "2026-12-07");
        let t = Utc.with_ymd_and_hms(2026, 12, 7, 9, 5, 23).unwrap();
        assert_eq!(copy(t.into()), "2026-12-07 09:05:23.000000+00");
    }

    #[test]
    fn insert_sql_lists_every_row() {
        assert_eq!(insert_sql("t", "a, b", 2, 2), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}
