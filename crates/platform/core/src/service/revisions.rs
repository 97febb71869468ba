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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Revisions {
    pub auth: i64,
    pub data: i64,
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
        .on_conflict(
            OnConflict::column(rev::Column::Name)
                .value(rev::Column::Revision, Expr::col((rev::Entity, rev::Column::Revision)).add(1))
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Raises both counters (the CLI after a command, tools that wrote directly).
pub async fn bump_all<C: ConnectionTrait>(db: &C) -> Result<()> {
    bump(db, AUTH).await?;
    bump(db, DATA).await
}

/// Answers kept in memory for the current counters only. The first request that brings newer
/// counters empties the cache (nothing filed under older ones can be used again); a request
/// that read older counters than the cache holds neither reads nor files anything. The cache
/// is bounded by entries and by bytes (as given by the caller), and answers larger than a
/// tenth of the byte bound are not kept.
pub struct ReadCache {
    inner: Mutex<Inner>,
    /// One build at a time per key *and counters*: after a change, the first request rebuilds
    /// an answer and the others that read the same counters wait for it instead of all running
    /// the same queries. Requests that read other counters cannot use that answer, so they
    /// never wait for it: under steady writes (counters moving every few milliseconds) one gate
    /// per key alone queued every reader of a busy list behind each other's slow builds, and
    /// on PostgreSQL at 1,000 connections some waited past 30 s.
    building: Mutex<HashMap<(String, Revisions), Arc<tokio::sync::Mutex<()>>>>,
    max_entries: usize,
    max_bytes: usize,
}

#[derive(Default)]
struct Inner {
    current: Revisions,
    entries: HashMap<String, (Arc<dyn Any + Send + Sync>, usize)>,
    bytes: usize,
}

impl Default for ReadCache {
    fn default() -> Self {
        Self::with_bounds(4096, 64 * 1024 * 1024)
    }
}

impl ReadCache {
    pub fn with_bounds(max_entries: usize, max_bytes: usize) -> Self {
        Self { inner: Mutex::new(Inner::default()), building: Mutex::new(HashMap::new()), max_entries, max_bytes }
    }

    /// A cache that keeps nothing (for measuring the uncached path).
    pub fn disabled() -> Self {
        Self::with_bounds(0, 0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves to newer counters (emptying the cache); false when `revs` are older than the
    /// cache's, so the caller must neither use nor file an answer.
    fn align(inner: &mut Inner, revs: &Revisions) -> bool {
        let (now, seen) = ((revs.auth, revs.data), (inner.current.auth, inner.current.data));
        if now > seen && (revs.auth >= inner.current.auth && revs.data >= inner.current.data) {
            inner.entries.clear();
            inner.bytes = 0;
            inner.current = *revs;
        }
        inner.current == *revs
    }

    pub fn get<T: Any + Send + Sync>(&self, revs: &Revisions, key: &str) -> Option<Arc<T>> {
        let mut inner = self.lock();
        if !Self::align(&mut inner, revs) {
            return None;
        }
        inner.entries.get(key).cloned().and_then(|(v, _)| v.downcast::<T>().ok())
    }

    /// Files an answer of about `bytes` bytes under the counters it was read after.
    pub fn put<T: Any + Send + Sync>(&self, revs: &Revisions, key: String, value: Arc<T>, bytes: usize) {
        if self.max_entries == 0 || bytes > self.max_bytes / 10 {
            return;
        }
        let mut inner = self.lock();
        if !Self::align(&mut inner, revs) {
            return;
        }
        if inner.entries.len() >= self.max_entries || inner.bytes + bytes > self.max_bytes {
            inner.entries.clear();
            inner.bytes = 0;
        }
        if let Some((_, old)) = inner.entries.insert(key, (value, bytes)) {
            inner.bytes -= old;
        }
        inner.bytes += bytes;
    }

    /// The answer under `key` for these counters: from memory, or built by `load` (once, while
    /// other requests for the key wait) and filed with its size in bytes.
    pub async fn get_or_load<T, F>(&self, revs: &Revisions, key: String, load: F) -> Result<Arc<T>>
    where
        T: Any + Send + Sync,
        F: AsyncFnOnce() -> Result<(T, usize)>,
    {
        if let Some(hit) = self.get::<T>(revs, &key) {
            return Ok(hit);
        }
        if self.max_entries == 0 {
            return Ok(Arc::new(load().await?.0));
        }
        let gate_key = (key.clone(), *revs);
        let gate = self.building.lock().unwrap_or_else(|p| p.into_inner()).entry(gate_key.clone()).or_default().clone();
        let _turn = gate.lock().await;
        let result = match self.get::<T>(revs, &key) {
            Some(hit) => Ok(hit),
            None => match load().await {
                Ok((v, bytes)) => {
                    let v = Arc::new(v);
                    self.put(revs, key.clone(), v.clone(), bytes);
                    Ok(v)
                }
                Err(e) => Err(e),
            },
        };
        // The last one through removes the gate (the map holds one reference, we hold one).
        let mut building = self.building.lock().unwrap_or_else(|p| p.into_inner());
        if building.get(&gate_key).is_some_and(|g| Arc::ptr_eq(g, &gate) && Arc::strong_count(g) <= 2) {
            building.remove(&gate_key);
        }
        result
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
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
        let r = Revisions { auth: 1, data: 1 };
        let c = ReadCache::with_bounds(2, 1000);
        c.put(&r, "a".into(), Arc::new(1u32), 10);
        c.put(&r, "b".into(), Arc::new(2u32), 10);
        assert_eq!(c.get::<u32>(&r, "a").as_deref(), Some(&1));
        c.put(&r, "c".into(), Arc::new(3u32), 10);
        assert_eq!(c.len(), 1);
        assert_eq!(c.get::<u32>(&r, "c").as_deref(), Some(&3));
        // The wrong type is a miss, never a panic.
        assert!(c.get::<String>(&r, "c").is_none());
        // Too large to keep (over a tenth of the bytes), and a byte bound that empties.
        c.put(&r, "big".into(), Arc::new(0u32), 101);
        assert!(c.get::<u32>(&r, "big").is_none());
        for i in 0..11 {
            c.put(&r, format!("k{i}"), Arc::new(i as u32), 100);
        }
        assert!(c.len() <= 2);
        let off = ReadCache::disabled();
        off.put(&r, "a".into(), Arc::new(1u32), 1);
        assert!(off.get::<u32>(&r, "a").is_none());
    }

    #[test]
    fn newer_counters_empty_the_cache_and_older_ones_neither_read_nor_file() {
        let c = ReadCache::default();
        let (old, new) = (Revisions { auth: 1, data: 5 }, Revisions { auth: 1, data: 6 });
        c.put(&old, "k".into(), Arc::new(1u32), 1);
        assert_eq!(c.get::<u32>(&old, "k").as_deref(), Some(&1));
        assert!(c.get::<u32>(&new, "k").is_none(), "a newer request misses");
        assert!(c.is_empty(), "and empties what was filed under older counters");
        c.put(&old, "late".into(), Arc::new(2u32), 1);
        assert!(
            c.get::<u32>(&new, "late").is_none() && c.is_empty(),
            "a late answer read before the change is not filed"
        );
        c.put(&new, "k".into(), Arc::new(3u32), 1);
        assert!(c.get::<u32>(&old, "k").is_none(), "a request with older counters never reads newer answers");
        assert_eq!(c.get::<u32>(&new, "k").as_deref(), Some(&3));
    }

    #[tokio::test]
    async fn concurrent_misses_build_an_answer_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let c = Arc::new(ReadCache::default());
        let builds = Arc::new(AtomicUsize::new(0));
        let r = Revisions { auth: 1, data: 1 };
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (c, builds) = (c.clone(), builds.clone());
                tokio::spawn(async move {
                    c.get_or_load::<u32, _>(&r, "k".into(), async || {
                        builds.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Ok((7, 4))
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(*t.await.unwrap(), 7);
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert!(c.building.lock().unwrap().is_empty(), "no gate is left behind");
    }

    /// A build for other counters never holds a request up: its answer could not be used.
    #[tokio::test]
    async fn a_build_for_other_counters_does_not_hold_a_request_up() {
        let c = Arc::new(ReadCache::default());
        let (old, new) = (Revisions { auth: 1, data: 1 }, Revisions { auth: 1, data: 2 });
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
        let slow = {
            let c = c.clone();
            tokio::spawn(async move {
                c.get_or_load::<u32, _>(&old, "k".into(), async || {
                    started_tx.send(()).unwrap();
                    release_rx.await.unwrap();
                    Ok((1, 4))
                })
                .await
                .unwrap()
            })
        };
        started_rx.await.unwrap();
        // The slow build for the older counters is still running; a request with the newer
        // counters builds its own answer at once (this await would never end otherwise).
        let v = c.get_or_load::<u32, _>(&new, "k".into(), async || Ok((2, 4))).await.unwrap();
        assert_eq!(*v, 2);
        release_tx.send(()).unwrap();
        assert_eq!(*slow.await.unwrap(), 1);
        assert_eq!(c.get::<u32>(&new, "k").as_deref(), Some(&2), "the older answer was not filed over the newer");
        assert!(c.building.lock().unwrap().is_empty(), "no gate is left behind");
    }
}
