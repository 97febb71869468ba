//! 更新番号と読み取りキャッシュ (data revisions and the read cache).
//!
//! Busy read paths (the session of every request, the 群マネ list and map, a work-order page)
//! keep their answers in memory. An answer is filed under the counters of `data_revisions` read
//! at the start of the request, *before* the data itself, and is used again only while the
//! counters are unchanged. A change raises a counter, so the next request of any app server
//! sharing the database misses and reads afresh. Reading the counters first means an answer
//! can only ever be filed under counters older than its data, never newer, so a write that
//! lands during a read cannot leave a stale answer behind.
//!
//! Who raises what:
//! - [`AUTH`]: the services that change users, memberships, bundles, organisation names and
//!   sessions (switching, logging out), in the same transaction as the change;
//! - [`DATA`]: the web layer after every state-changing request (any module), and the CLI after
//!   every command that opened the database. A process writing outside these paths must call
//!   [`bump`] itself.

use crate::entities::data_revision as rev;
use crate::error::Result;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Who may act for whom: users, memberships, bundles and their members, organisation names,
/// sessions.
pub const AUTH: &str = "auth";
/// Everything else.
pub const DATA: &str = "data";

/// The counters as read at the start of a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revisions {
    pub auth: i64,
    pub data: i64,
}

impl Revisions {
    /// A key part naming both counters, for [`ReadCache`] keys.
    pub fn stamp(&self) -> String {
        format!("a{}d{}", self.auth, self.data)
    }
}

/// Reads the counters (one small query).
pub async fn snapshot<C: ConnectionTrait>(db: &C) -> Result<Revisions> {
    let mut r = Revisions::default();
    for row in rev::Entity::find().all(db).await? {
        match row.name.as_str() {
            AUTH => r.auth = row.revision,
            DATA => r.data = row.revision,
            _ => {}
        }
    }
    Ok(r)
}

/// Raises one counter. Call it inside the transaction that makes the change.
pub async fn bump<C: ConnectionTrait>(db: &C, name: &str) -> Result<()> {
    rev::Entity::insert(rev::ActiveModel { name: Set(name.to_string()), revision: Set(1) })
        .on_conflict(OnConflict::column(rev::Column::Name).value(rev::Column::Revision, Expr::col((rev::Entity, rev::Column::Revision)).add(1)).to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Raises both counters (the CLI after a command, tools that wrote directly).
pub async fn bump_all<C: ConnectionTrait>(db: &C) -> Result<()> {
    bump(db, AUTH).await?;
    bump(db, DATA).await
}

/// Answers kept in memory under keys that include [`Revisions::stamp`]; an entry whose counters
/// have moved on is simply never asked for again. When full, the cache is emptied: entries are
/// cheap to rebuild, and a bound matters more than a clever eviction here.
pub struct ReadCache {
    entries: Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>,
    capacity: usize,
}

impl Default for ReadCache {
    fn default() -> Self {
        Self::with_capacity(4096)
    }
}

impl ReadCache {
    pub fn with_capacity(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity: capacity.max(1) }
    }

    /// A cache that keeps nothing (for measuring the uncached path).
    pub fn disabled() -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity: 0 }
    }

    pub fn get<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(key).cloned().and_then(|v| v.downcast::<T>().ok())
    }

    pub fn put<T: Any + Send + Sync>(&self, key: String, value: Arc<T>) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key, value);
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_cache_starts_again_and_a_disabled_one_keeps_nothing() {
        let c = ReadCache::with_capacity(2);
        c.put("a".into(), Arc::new(1u32));
        c.put("b".into(), Arc::new(2u32));
        assert_eq!(c.get::<u32>("a").as_deref(), Some(&1));
        c.put("c".into(), Arc::new(3u32));
        assert_eq!(c.len(), 1);
        assert_eq!(c.get::<u32>("c").as_deref(), Some(&3));
        // The wrong type is a miss, never a panic.
        assert!(c.get::<String>("c").is_none());
        let off = ReadCache::disabled();
        off.put("a".into(), Arc::new(1u32));
        assert!(off.get::<u32>("a").is_none());
    }

    #[test]
    fn the_stamp_names_both_counters() {
        assert_eq!(Revisions { auth: 3, data: 10 }.stamp(), "a3d10");
    }
}
