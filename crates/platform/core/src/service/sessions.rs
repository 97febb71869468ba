//! ログインセッション (login sessions), stored in the database so that any app server can
//! serve any request. The cookie carries a random token; the table stores only its hash.

use crate::context::Ctx;
use crate::domain::{BundleRole, Role};
use crate::entities::{bundle, bundle_member, membership, organisation, session, user};
use crate::error::{Error, Result};
use crate::service::revisions::{self, Revisions};
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An organisation the user belongs to, for the switcher.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct MembershipView {
    pub org_id: i64,
    pub org_name: String,
    pub role: Role,
}

/// A bundle the acting organisation belongs to, for the switcher.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BundleChoice {
    pub bundle_id: i64,
    pub name: String,
    pub role: BundleRole,
}

/// Everything a request needs to know about who is signed in.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SessionInfo {
    pub user_id: i64,
    pub login: String,
    pub display_name: String,
    pub csrf_token: String,
    pub memberships: Vec<MembershipView>,
    pub bundles: Vec<BundleChoice>,
    pub acting_org_name: Option<String>,
    pub acting_bundle_name: Option<String>,
    pub ctx: Ctx,
    /// Set when the request carried a service account's API token instead of a cookie: the
    /// token and the scopes every route's area is checked against.
    pub token: Option<TokenSession>,
}

/// The token part of a session built from `Authorization: Bearer`.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TokenSession {
    pub token_id: i64,
    pub scopes: crate::service::service_accounts::Scopes,
}

/// Starts a session; returns the cookie token. The first organisation the user belongs to
/// becomes the acting one.
pub async fn create<D: ConnectionTrait>(db: &D, user_id: i64, hours: i64) -> Result<String> {
    let token = random_hex(32);
    let first_org = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .order_by_asc(membership::Column::Id)
        .one(db)
        .await?
        .map(|m| m.org_id);
    let now = Utc::now();
    session::ActiveModel {
        id: Set(token_hash(&token)),
        user_id: Set(user_id),
        acting_org_id: Set(first_org),
        acting_bundle_id: Set(None),
        csrf_token: Set(random_hex(24)),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(hours)),
    }
    .insert(db)
    .await?;
    // Housekeeping: expired sessions are removed whenever someone logs in.
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(now)).exec(db).await?;
    Ok(token)
}

/// Loads a session by cookie token, reading everything afresh.
pub async fn load<D: ConnectionTrait>(db: &D, token: &str) -> Result<Option<SessionInfo>> {
    load_by_hash(db, &token_hash(token)).await
}

/// Sessions as loaded, kept per token under the [`revisions::AUTH`] counter. Every change that
/// could alter a loaded session (a membership, a user, a bundle, an organisation's name, a
/// switch, a logout) raises that counter, so revoking a membership still takes effect at the
/// next request, on every app server, while a request that changes nothing costs one read of
/// the counters instead of six queries.
#[derive(Default)]
pub struct SessionCache {
    /// token hash → (auth counter, expiry, JST day it was loaded on, the session).
    entries: std::sync::Mutex<std::collections::HashMap<String, (i64, DateTimeUtc, chrono::NaiveDate, SessionInfo)>>,
}

const SESSION_CACHE_MAX: usize = 10_000;

impl SessionCache {
    /// The session of `token`, from memory when the `auth` counter in `revs` (read before this
    /// call) is the one it was loaded under and it has not expired; otherwise from the database.
    pub async fn load<D: ConnectionTrait>(&self, db: &D, token: &str, revs: &Revisions) -> Result<Option<SessionInfo>> {
        let hash = token_hash(token);
        {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            // A session loaded on an earlier day is read again: a membership period may have
            // started or ended at midnight without any write raising the counter.
            if let Some((auth, expires_at, day, info)) = entries.get(&hash)
                && *auth == revs.auth
                && *expires_at >= Utc::now()
                && *day == tabane_calendar::jst::today()
            {
                return Ok(Some(info.clone()));
            }
        }
        let Some(s) = session::Entity::find_by_id(hash.clone()).one(db).await? else { return Ok(None) };
        let expires_at = s.expires_at;
        let Some(info) = build(db, s).await? else { return Ok(None) };
        self.put(hash, (revs.auth, expires_at, tabane_calendar::jst::today(), info.clone()), revs);
        Ok(Some(info))
    }
}

impl SessionCache {
    /// The session of a service account's API token, kept like a cookie session under the
    /// `auth` counter (revoking a token, or changing its account or membership, raises it), so
    /// that a client calling many times a second costs no more reads than a browser does.
    /// `None` when the token is not a live one (the caller counts the failure).
    pub async fn load_token<D: ConnectionTrait>(
        &self,
        db: &D,
        token: &str,
        revs: &Revisions,
    ) -> Result<Option<SessionInfo>> {
        let key = format!("token:{}", token_hash(token));
        {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((auth, expires_at, day, info)) = entries.get(&key)
                && *auth == revs.auth
                && *expires_at >= Utc::now()
                && *day == tabane_calendar::jst::today()
            {
                return Ok(Some(info.clone()));
            }
        }
        let Some(g) = crate::service::service_accounts::grant(db, token).await? else { return Ok(None) };
        let Some(info) = for_token(db, &g).await? else { return Ok(None) };
        // A token without an end is checked again at least every day anyway (see `load`).
        let expires_at = g.expires_at.unwrap_or(DateTimeUtc::MAX_UTC);
        self.put(key, (revs.auth, expires_at, tabane_calendar::jst::today(), info.clone()), revs);
        Ok(Some(info))
    }

    fn put(&self, key: String, entry: (i64, DateTimeUtc, chrono::NaiveDate, SessionInfo), revs: &Revisions) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= SESSION_CACHE_MAX {
            entries.retain(|_, (auth, exp, _, _)| *auth == revs.auth && *exp >= Utc::now());
            if entries.len() >= SESSION_CACHE_MAX {
                entries.clear();
            }
        }
        entries.insert(key, entry);
    }
}

async fn load_by_hash<D: ConnectionTrait>(db: &D, hash: &str) -> Result<Option<SessionInfo>> {
    let Some(s) = session::Entity::find_by_id(hash.to_string()).one(db).await? else { return Ok(None) };
    build(db, s).await
}

/// Everything about a session row: its user, memberships and the acting organisation's
/// bundles. Roles are read afresh here, never taken from the row.
async fn build<D: ConnectionTrait>(db: &D, s: session::Model) -> Result<Option<SessionInfo>> {
    if s.expires_at < Utc::now() {
        return Ok(None);
    }
    build_for(db, s.user_id, s.acting_org_id, s.acting_bundle_id, s.csrf_token).await
}

/// The session of a service account's token: acting for the account's organisation, in no
/// bundle, with no CSRF token (a bearer token is never sent by a browser on its own).
pub async fn for_token<D: ConnectionTrait>(
    db: &D,
    g: &crate::service::service_accounts::TokenGrant,
) -> Result<Option<SessionInfo>> {
    let info = build_for(db, g.user_id, Some(g.org_id), None, String::new()).await?;
    // The account must still be a member of its organisation (the membership is its role).
    Ok(info.filter(|i| i.ctx.org_id == Some(g.org_id)).map(|mut i| {
        i.token = Some(TokenSession { token_id: g.token_id, scopes: g.scopes.clone() });
        i
    }))
}

async fn build_for<D: ConnectionTrait>(
    db: &D,
    user_id: i64,
    acting_org_id: Option<i64>,
    acting_bundle_id: Option<i64>,
    csrf_token: String,
) -> Result<Option<SessionInfo>> {
    let Some(u) = user::Entity::find_by_id(user_id).one(db).await? else { return Ok(None) };
    if !u.active {
        return Ok(None);
    }
    let ms = membership::Entity::find()
        .filter(membership::Column::UserId.eq(u.id))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    let org_ids: Vec<i64> = ms.iter().map(|m| m.org_id).collect();
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(org_ids)).all(db).await?;
    let memberships: Vec<MembershipView> = ms
        .iter()
        .filter_map(|m| {
            let org = orgs.iter().find(|o| o.id == m.org_id)?;
            Some(MembershipView { org_id: m.org_id, org_name: org.name.clone(), role: Role::parse(&m.role)? })
        })
        .collect();
    // The acting organisation must still be one the user belongs to.
    let acting = acting_org_id.and_then(|o| memberships.iter().find(|m| m.org_id == o)).or(memberships.first());
    let bundles = match acting {
        Some(a) => bundles_of(db, a.org_id).await?,
        None => vec![],
    };
    let acting_bundle = acting_bundle_id.and_then(|b| bundles.iter().find(|c| c.bundle_id == b));
    let ctx = Ctx {
        user_id: Some(u.id),
        actor: u.login.clone(),
        system_admin: u.system_admin,
        org_id: acting.map(|a| a.org_id),
        role: acting.map(|a| a.role),
        bundle_id: acting_bundle.map(|b| b.bundle_id),
        request_id: None,
    };
    Ok(Some(SessionInfo {
        user_id: u.id,
        login: u.login,
        display_name: u.display_name,
        csrf_token,
        acting_org_name: acting.map(|a| a.org_name.clone()),
        acting_bundle_name: acting_bundle.map(|b| b.name.clone()),
        memberships,
        bundles,
        ctx,
        token: None,
    }))
}

/// Bundles an organisation is a member of, with its role in each.
pub async fn bundles_of<D: ConnectionTrait>(db: &D, org_id: i64) -> Result<Vec<BundleChoice>> {
    let ms = crate::service::bundle_access::in_force().filter(bundle_member::Column::OrgId.eq(org_id)).all(db).await?;
    let ids: Vec<i64> = ms.iter().map(|m| m.bundle_id).collect();
    let bs =
        bundle::Entity::find().filter(bundle::Column::Id.is_in(ids)).order_by_asc(bundle::Column::Name).all(db).await?;
    Ok(bs
        .into_iter()
        .filter_map(|b| {
            let role = ms.iter().find(|m| m.bundle_id == b.id).and_then(|m| BundleRole::parse(&m.role))?;
            Some(BundleChoice { bundle_id: b.id, name: b.name, role })
        })
        .collect())
}

/// Switches the acting organisation (must be one the user belongs to); clears the bundle.
pub async fn switch_org<D: TransactionTrait>(db: &D, token: &str, info: &SessionInfo, org_id: i64) -> Result<()> {
    if !info.memberships.iter().any(|m| m.org_id == org_id) {
        return Err(Error::NotFound);
    }
    let txn = db.begin().await?;
    let s = session::Entity::find_by_id(token_hash(token)).one(&txn).await?.ok_or(Error::Unauthenticated)?;
    let mut am: session::ActiveModel = s.into();
    am.acting_org_id = Set(Some(org_id));
    am.acting_bundle_id = Set(None);
    am.update(&txn).await?;
    // In the same transaction: a cached session can never outlive the change.
    revisions::bump(&txn, revisions::AUTH).await?;
    Ok(txn.commit().await?)
}

/// Chooses the bundle to work in (one the acting organisation belongs to), or none.
pub async fn switch_bundle<D: TransactionTrait>(
    db: &D,
    token: &str,
    info: &SessionInfo,
    bundle_id: Option<i64>,
) -> Result<()> {
    if let Some(b) = bundle_id
        && !info.bundles.iter().any(|c| c.bundle_id == b)
    {
        return Err(Error::NotFound);
    }
    let txn = db.begin().await?;
    let s = session::Entity::find_by_id(token_hash(token)).one(&txn).await?.ok_or(Error::Unauthenticated)?;
    let mut am: session::ActiveModel = s.into();
    am.acting_bundle_id = Set(bundle_id);
    am.update(&txn).await?;
    revisions::bump(&txn, revisions::AUTH).await?;
    Ok(txn.commit().await?)
}

/// Logs out: the session row goes, and with it (same transaction) every cached copy.
pub async fn delete<D: TransactionTrait>(db: &D, token: &str) -> Result<()> {
    let txn = db.begin().await?;
    session::Entity::delete_by_id(token_hash(token)).exec(&txn).await?;
    revisions::bump(&txn, revisions::AUTH).await?;
    Ok(txn.commit().await?)
}
