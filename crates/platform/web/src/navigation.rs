//! 参加に応じたナビゲーション (navigation by participation): a module is in the navigation and
//! on the dashboard only for an acting organisation that takes part in it. The modules' tests
//! run once per organisation and revision (`auth`, `data`) and JST day, kept in `NavCache`, so a
//! page view usually costs no query for it.

use crate::middleware::CurrentSession;
use crate::module::{Nav, Participation};
use crate::state::Shared;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tabane_core::service::revisions::Revisions;

type Key = (i64, i64, i64, chrono::NaiveDate);

/// The navigation entries shown to each organisation, under the revision counters.
#[derive(Default)]
pub struct NavCache(Mutex<HashMap<Key, Arc<[&'static str]>>>);

const NAV_CACHE_MAX: usize = 10_000;

impl NavCache {
    fn get(&self, k: &Key) -> Option<Arc<[&'static str]>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(k).cloned()
    }
    fn put(&self, k: Key, v: Arc<[&'static str]>) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= NAV_CACHE_MAX {
            m.clear();
        }
        m.insert(k, v);
    }
}

/// Cuts the request's navigation to the modules the acting organisation takes part in (pages
/// only). A system administrator is shown what the organisation it acts for takes part in,
/// like everyone: a module's pages assume the acting organisation has something there.
pub async fn navigation(State(st): State<Shared>, mut req: Request, next: Next) -> Response {
    let page = !req.uri().path().starts_with("/api/");
    let session = req.extensions().get::<CurrentSession>().and_then(|c| c.0.clone()).map(|(i, _)| i);
    let (Some(info), Some(nav), Some(part)) =
        (session, req.extensions().get::<Nav>().cloned(), req.extensions().get::<Participation>().cloned())
    else {
        return next.run(req).await;
    };
    if !page {
        return next.run(req).await;
    }
    let Some(org) = info.ctx.org_id else {
        req.extensions_mut().insert(nav.only(|_| false));
        return next.run(req).await;
    };
    let key = req.extensions().get::<Revisions>().map(|r| (org, r.auth, r.data, tabane_calendar::jst::today()));
    let shown = match key.and_then(|k| st.caches.nav.get(&k)) {
        Some(s) => s,
        None => {
            let s: Arc<[&'static str]> = part.shown(&st.db, &info.ctx).await.into();
            if let Some(k) = key {
                st.caches.nav.put(k, s.clone());
            }
            s
        }
    };
    req.extensions_mut().insert(nav.only(|i| shown.contains(&i.href)));
    next.run(req).await
}
