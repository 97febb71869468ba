//! The database side of personal-data encryption: key checks at start-up, key usage counts and
//! re-encryption with the active key (rotation).
//!
//! Rotation: add the new key to `personal_data_keys`, make it `personal_data_active_key` (new
//! writes use it, old values still open with the old key), run `tabane rotate-keys` (batches of
//! 500 rows per transaction, audited, resumable: it only touches values not yet under the active
//! key), and remove the old key once its count is 0 (`rotate-keys` then also retires its canary,
//! so the start-up check no longer asks for it).

use super::Keyring;
use crate::context::Ctx;
use crate::entities::crypto_key_check;
use crate::error::{Error, Result};
use crate::service::audit;
use chrono::Utc;
use sea_orm::sea_query::{Alias, Asterisk, Expr, OnConflict, Order, Query, SelectStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryResult, TransactionTrait, Value,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// The fixed text each key's canary seals.
const CANARY: &str = "tabane personal-data key check";
/// Rows re-encrypted per transaction.
const BATCH: u64 = 500;
/// Prefix of the index key's row in `crypto_key_checks`.
const INDEX_PREFIX: &str = "index:";

/// 暗号化列 (an encrypted column) registered by a module, so `tabane rotate-keys` and the usage
/// counts know it. The AAD of a value is `aad_prefix` followed by the row's `id_col` value, e.g.
/// `housing_households.name:` + `42`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncryptedColumn {
    pub table: &'static str,
    pub id_col: &'static str,
    pub col: &'static str,
    pub aad_prefix: &'static str,
}

impl EncryptedColumn {
    pub fn aad(&self, row_id: &str) -> String {
        format!("{}{row_id}", self.aad_prefix)
    }
}

/// What `reencrypt` did and what is left per key id (`"?"` counts values under no configured key).
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct RotationReport {
    pub reencrypted: u64,
    pub remaining: BTreeMap<String, u64>,
}

fn canary_aad(key_id: &str) -> String {
    format!("crypto_key_checks:{key_id}")
}

fn mismatch(id: &str) -> Error {
    Error::crypto(
        format!("個人情報の暗号鍵 {id} が設定と一致しません。起動を中止しました"),
        format!("Personal-data key {id} does not match the configuration. Start-up aborted"),
    )
}

fn missing(id: &str) -> Error {
    Error::crypto(
        format!(
            "個人情報の暗号鍵 {id} が設定にありません。この鍵で暗号化されたデータを読めないため、起動を中止しました"
        ),
        format!("Personal-data key {id} is not configured; data encrypted with it could not be read. Start-up aborted"),
    )
}

/// 鍵の照合 (key check at start-up). Every key id with a canary in `crypto_key_checks` must be
/// configured and open its canary (the blind-index key must give the same HMAC); otherwise the
/// caller must refuse to start rather than show undecryptable data or miss searches. The
/// active key and the index key get a canary when they have none.
pub async fn verify_or_init<C: ConnectionTrait>(db: &C, keyring: &Keyring) -> Result<()> {
    check(db, keyring).await?;
    let index_row = format!("{INDEX_PREFIX}{}", keyring.index_key_id());
    let active = keyring.active_key_id();
    for (key_id, canary) in [
        (active.to_string(), keyring.seal_with(active, &canary_aad(active), CANARY)?),
        (index_row, keyring.blind_index(CANARY)),
    ] {
        let row = crypto_key_check::ActiveModel {
            key_id: Set(key_id),
            canary: Set(canary),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        // Another server starting at the same moment may have written it first: keep theirs
        // and check it below.
        crypto_key_check::Entity::insert(row)
            .on_conflict(OnConflict::column(crypto_key_check::Column::KeyId).do_nothing().to_owned())
            .do_nothing()
            .exec_without_returning(db)
            .await?;
    }
    check(db, keyring).await
}

async fn check<C: ConnectionTrait>(db: &C, keyring: &Keyring) -> Result<()> {
    let rows = crypto_key_check::Entity::find().all(db).await?;
    match find_key_problem(rows.iter().map(|r| (r.key_id.as_str(), r.canary.as_str())), keyring) {
        None => Ok(()),
        Some(KeyProblem::Missing(id)) => Err(missing(&id)),
        Some(KeyProblem::Mismatch(id)) => Err(mismatch(&id)),
    }
}

/// 鍵の不一致 (a key problem): what the key check found wrong with one canary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyProblem {
    /// The key id of a canary (`k2026`, or `index:<id>`) is not configured.
    Missing(String),
    /// The key id is configured, but its material does not open the canary.
    Mismatch(String),
}

impl KeyProblem {
    /// The key id named by the problem, as stored in `crypto_key_checks`.
    pub fn key_id(&self) -> &str {
        match self {
            KeyProblem::Missing(id) | KeyProblem::Mismatch(id) => id,
        }
    }
}

/// The check behind [`verify_or_init`], on rows `(key_id, canary)` of `crypto_key_checks` read
/// from anywhere (the database, or a backup about to be restored). Writes nothing.
pub fn find_key_problem<'a>(
    rows: impl IntoIterator<Item = (&'a str, &'a str)>,
    keyring: &Keyring,
) -> Option<KeyProblem> {
    for (key_id, canary) in rows {
        if let Some(index_id) = key_id.strip_prefix(INDEX_PREFIX) {
            if index_id != keyring.index_key_id() {
                return Some(KeyProblem::Missing(key_id.to_string()));
            }
            if canary != keyring.blind_index(CANARY) {
                return Some(KeyProblem::Mismatch(key_id.to_string()));
            }
            continue;
        }
        if !keyring.key_ids().contains(&key_id) {
            return Some(KeyProblem::Missing(key_id.to_string()));
        }
        match keyring.open(&canary_aad(key_id), canary) {
            Ok(t) if t == CANARY => {}
            _ => return Some(KeyProblem::Mismatch(key_id.to_string())),
        }
    }
    None
}

fn prefix_of(key_id: &str) -> String {
    // Key ids are `[a-z0-9-]`, so the pattern has no LIKE wildcard but the final `%`.
    format!("{}.{key_id}.%", super::VERSION)
}

async fn scalar_count<C: ConnectionTrait>(db: &C, q: &SelectStatement) -> Result<u64> {
    let row = db.query_one(db.get_database_backend().build(q)).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0).max(0) as u64)
}

/// Values per key id in the given columns (`"?"`: values under no configured key). Configured
/// keys appear with 0 too, so an operator sees when an old key can go.
pub async fn key_usage<C: ConnectionTrait>(
    db: &C,
    keyring: &Keyring,
    columns: &[EncryptedColumn],
) -> Result<BTreeMap<String, u64>> {
    let mut out: BTreeMap<String, u64> = keyring.key_ids().into_iter().map(|k| (k.to_string(), 0)).collect();
    for c in columns {
        let base = Query::select()
            .expr(Expr::col(Asterisk).count())
            .from(Alias::new(c.table))
            .and_where(Expr::col(Alias::new(c.col)).is_not_null())
            .to_owned();
        let total = scalar_count(db, &base).await?;
        let mut known = 0;
        for k in keyring.key_ids() {
            let n =
                scalar_count(db, &base.clone().and_where(Expr::col(Alias::new(c.col)).like(prefix_of(k))).to_owned())
                    .await?;
            *out.entry(k.to_string()).or_default() += n;
            known += n;
        }
        if total > known {
            *out.entry("?".into()).or_default() += total - known;
        }
    }
    Ok(out)
}

/// A row id read generically: integer ids (the platform's) or text uids.
fn row_id(r: &QueryResult) -> Result<(Value, String)> {
    if let Ok(i) = r.try_get_by_index::<i64>(0) {
        return Ok((Value::from(i), i.to_string()));
    }
    let s: String = r.try_get_by_index(0)?;
    Ok((Value::from(s.clone()), s))
}

/// 鍵の切替 (re-encryption): every value of `columns` not under the active key is opened with
/// its old key and sealed with the active one, 500 rows per transaction, each batch audited
/// (`rotate_keys`, no values). Stops at the first value that cannot be opened, naming its row.
pub async fn reencrypt<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ctx: &Ctx,
    keyring: &Keyring,
    columns: &[EncryptedColumn],
) -> Result<RotationReport> {
    let active = keyring.active_key_id();
    let mut done = 0;
    for c in columns {
        let (table, id_col, col) = (Alias::new(c.table), Alias::new(c.id_col), Alias::new(c.col));
        loop {
            let txn = db.begin().await?;
            let q = Query::select()
                .column(id_col.clone())
                .column(col.clone())
                .from(table.clone())
                .and_where(Expr::col(col.clone()).is_not_null())
                .and_where(Expr::col(col.clone()).not_like(prefix_of(active)))
                .order_by(id_col.clone(), Order::Asc)
                .limit(BATCH)
                .to_owned();
            let rows = txn.query_all(txn.get_database_backend().build(&q)).await?;
            if rows.is_empty() {
                txn.commit().await?;
                break;
            }
            let mut from: BTreeMap<String, u64> = BTreeMap::new();
            for r in &rows {
                let (id, id_text) = row_id(r)?;
                let old: String = r.try_get_by_index(1)?;
                let plain = keyring.open(&c.aad(&id_text), &old).map_err(|e| {
                    Error::crypto(
                        format!("{}.{} (id {id_text}) を再暗号化できません: {}", c.table, c.col, e.message(false)),
                        format!("Cannot re-encrypt {}.{} (id {id_text}): {}", c.table, c.col, e.message(true)),
                    )
                })?;
                *from.entry(super::key_id_of(&old).unwrap_or("?").to_string()).or_default() += 1;
                let new = keyring.seal(&c.aad(&id_text), &plain)?;
                let u = Query::update()
                    .table(table.clone())
                    .value(col.clone(), new)
                    .and_where(Expr::col(id_col.clone()).eq(id))
                    .and_where(Expr::col(col.clone()).eq(old))
                    .to_owned();
                txn.execute(txn.get_database_backend().build(&u)).await?;
            }
            audit::record(
                &txn,
                ctx,
                audit::Change {
                    org_id: None,
                    bundle_id: None,
                    action: "rotate_keys",
                    entity: c.table,
                    entity_id: c.col.to_string(),
                    before: Some(serde_json::json!({ "keys": from })),
                    after: Some(serde_json::json!({ "key": active, "rows": rows.len() })),
                },
            )
            .await?;
            txn.commit().await?;
            done += rows.len() as u64;
        }
    }
    Ok(RotationReport { reencrypted: done, remaining: key_usage(db, keyring, columns).await? })
}

/// Removes the canaries of keys that are not active and no longer used by any registered
/// column, so the key can then be removed from the configuration. Returns the retired ids.
pub async fn retire_unused<C: ConnectionTrait>(
    db: &C,
    keyring: &Keyring,
    columns: &[EncryptedColumn],
) -> Result<Vec<String>> {
    let usage = key_usage(db, keyring, columns).await?;
    let mut retired = Vec::new();
    for row in crypto_key_check::Entity::find().all(db).await? {
        let unused = usage.get(&row.key_id).is_some_and(|n| *n == 0);
        if !row.key_id.starts_with(INDEX_PREFIX) && row.key_id != keyring.active_key_id() && unused {
            crypto_key_check::Entity::delete_many().filter(crypto_key_check::Column::Id.eq(row.id)).exec(db).await?;
            retired.push(row.key_id);
        }
    }
    Ok(retired)
}
