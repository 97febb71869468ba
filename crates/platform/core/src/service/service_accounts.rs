//! サービスアカウントとAPIトークン (service accounts and their API tokens): another system — a
//! GIS, a 基幹系 batch, a contractor's app — acting for one organisation through `/api/*`.
//!
//! A service account is a user row that cannot log in with a password, a member of exactly one
//! organisation (担当者 when any scope writes, else 閲覧者), so every tenancy rule and policy
//! applies to it unchanged. Its scopes narrow that further by area (the platform or a module)
//! and by reading or writing; the web layer checks them against each route. A token is shown
//! once and kept as its SHA-256 hash: it is 256 random bits, so a fast hash is enough (argon2
//! is for passwords people choose). Every use is written to the audit log as the account.

use crate::context::Ctx;
use crate::domain::Role;
use crate::entities::{api_token, login_attempt, membership, service_account, user};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::accounts::{FAILURE_WINDOW_MINUTES, MAX_FAILURES_PER_ADDRESS};
use crate::service::{audit, revisions};
use chrono::{Duration, NaiveDate, Utc};
use rand::RngCore;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "tbn_";

/// The area of the platform's own routes (organisations, bundles, files, surveys, …); modules
/// are areas by their key.
pub const PLATFORM_AREA: &str = "platform";

/// スコープ (scope): one area, read only or read and write.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TokenScope")]
pub struct Scope {
    pub area: String,
    pub write: bool,
}

/// The scopes of a service account, stored as `area:read area:write …`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TokenScopes")]
pub struct Scopes(pub Vec<Scope>);

impl Scopes {
    /// Reads `area:read` / `area:write` items (space or comma separated). `None` when an item is
    /// not of that shape or names an area outside `areas`. An area named twice keeps its widest.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>, areas: &[&str]) -> Option<Scopes> {
        let mut out: Vec<Scope> = Vec::new();
        for item in items.into_iter().flat_map(|s| s.split([' ', ','])).map(str::trim).filter(|s| !s.is_empty()) {
            let (area, level) = item.split_once(':')?;
            let write = match level {
                "read" => false,
                "write" => true,
                _ => return None,
            };
            if !areas.contains(&area) {
                return None;
            }
            match out.iter_mut().find(|s| s.area == area) {
                Some(s) => s.write |= write,
                None => out.push(Scope { area: area.to_string(), write }),
            }
        }
        out.sort_by(|a, b| a.area.cmp(&b.area));
        Some(Scopes(out))
    }

    /// The stored form, as read back by [`Scopes::stored`].
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|s| format!("{}:{}", s.area, if s.write { "write" } else { "read" }))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Scopes as stored (written by this module, so any area is accepted).
    pub fn stored(s: &str) -> Scopes {
        let areas: Vec<&str> = s.split(' ').filter_map(|i| i.split_once(':').map(|(a, _)| a)).collect();
        Scopes::parse([s], &areas).unwrap_or_default()
    }

    /// May this account call a route of `area`? Writing needs a write scope; reading either.
    pub fn allows(&self, area: &str, write: bool) -> bool {
        self.0.iter().any(|s| s.area == area && (s.write || !write))
    }

    pub fn any_write(&self) -> bool {
        self.0.iter().any(|s| s.write)
    }
}

/// A new service account: a name, its scopes and, optionally, the last day its first token works.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct NewServiceAccount {
    pub name: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// 有効期限 (YYYY-MM-DD or 和暦): the token stops working after this day (JST).
    #[serde(default)]
    pub expires_on: String,
}

/// A token as issued: the secret itself is in this answer only.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct IssuedToken {
    pub service_account_id: i64,
    pub token_id: i64,
    pub token: String,
    pub expires_at: Option<DateTimeUtc>,
}

/// A service account with its tokens, for the list.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ServiceAccountView {
    pub id: i64,
    pub name: String,
    pub login: String,
    pub scopes: Scopes,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub tokens: Vec<api_token::Model>,
}

/// What a valid token grants, for building the request's acting context.
#[derive(Clone, Debug)]
pub struct TokenGrant {
    pub token_id: i64,
    pub user_id: i64,
    pub org_id: i64,
    pub scopes: Scopes,
    /// The token's last moment (None: it does not expire).
    pub expires_at: Option<DateTimeUtc>,
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    format!("{TOKEN_PREFIX}{}", hex::encode(b))
}

/// The end of `day` in JST: a token "valid until 3月31日" works all of that day.
fn end_of_jst_day(day: NaiveDate) -> DateTimeUtc {
    let next = day.succ_opt().unwrap_or(day).and_hms_opt(0, 0, 0).unwrap_or_default();
    (next - Duration::hours(9)).and_utc()
}

fn read_expiry(p: &mut Problems, value: &str) -> Option<DateTimeUtc> {
    let day = p.date("expires_on", "有効期限", "Expires on", value)?;
    if day < tabane_calendar::jst::today() {
        p.push("expires_on", "有効期限", "Expires on", "は今日以降の日付にしてください", "must be today or later");
        return None;
    }
    Some(end_of_jst_day(day))
}

/// Creates a service account of `org_id` and issues its first token. Only the organisation's
/// administrators (or a system administrator) may; `areas` are the areas that exist (the
/// platform and each module's key).
pub async fn create<D: TransactionTrait>(
    db: &D,
    ctx: &Ctx,
    org_id: i64,
    n: &NewServiceAccount,
    areas: &[&str],
) -> Result<IssuedToken> {
    policy::can_manage_service_accounts(ctx, org_id)?;
    let mut p = Problems::default();
    p.required("name", "名称", "Name", &n.name);
    if n.name.chars().count() > 100 {
        p.push("name", "名称", "Name", "は100文字以内にしてください", "must be at most 100 characters");
    }
    let scopes = Scopes::parse(n.scopes.iter().map(String::as_str), areas);
    match &scopes {
        None => p.push(
            "scopes",
            "権限の範囲",
            "Scopes",
            format!("は「領域:read」または「領域:write」です（領域: {}）", areas.join("・")),
            format!("must be area:read or area:write (areas: {})", areas.join(", ")),
        ),
        Some(s) if s.0.is_empty() => {
            p.push("scopes", "権限の範囲", "Scopes", "を一つ以上選んでください", "choose at least one")
        }
        Some(_) => {}
    }
    let expires_at = read_expiry(&mut p, &n.expires_on);
    p.into_result()?;
    let scopes = scopes.unwrap_or_default();
    let txn = db.begin().await?;
    // The login is never typed: it only has to be unique and readable in the audit log.
    let login = format!("svc-{org_id}-{}", &hash(&new_token())[..8]);
    let u = user::ActiveModel {
        login: Set(login),
        display_name: Set(n.name.trim().to_string()),
        // Not an argon2 hash: no password can ever match it.
        password_hash: Set("!service-account".into()),
        system_admin: Set(false),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let role = if scopes.any_write() { Role::Staff } else { Role::Viewer };
    membership::ActiveModel {
        user_id: Set(u.id),
        org_id: Set(org_id),
        role: Set(role.key().to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let sa = service_account::ActiveModel {
        user_id: Set(u.id),
        org_id: Set(org_id),
        name: Set(n.name.trim().to_string()),
        scopes: Set(scopes.to_stored()),
        created_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org_id),
            bundle_id: None,
            action: "create",
            entity: "service_account",
            entity_id: sa.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&sa).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    let issued = insert_token(&txn, ctx, &sa, expires_at).await?;
    revisions::bump(&txn, revisions::AUTH).await?;
    txn.commit().await?;
    Ok(issued)
}

async fn insert_token<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    sa: &service_account::Model,
    expires_at: Option<DateTimeUtc>,
) -> Result<IssuedToken> {
    let token = new_token();
    let t = api_token::ActiveModel {
        service_account_id: Set(sa.id),
        token_hash: Set(hash(&token)),
        hint: Set(token[..TOKEN_PREFIX.len() + 6].to_string()),
        created_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        ctx,
        audit::Change {
            org_id: Some(sa.org_id),
            bundle_id: None,
            action: "issue",
            entity: "api_token",
            entity_id: t.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "service_account_id": sa.id, "hint": t.hint, "expires_at": t.expires_at })),
        },
    )
    .await?;
    Ok(IssuedToken { service_account_id: sa.id, token_id: t.id, token, expires_at })
}

/// A service account the actor may manage, or `NotFound` (another organisation's is not shown).
async fn managed<C: ConnectionTrait>(conn: &C, ctx: &Ctx, id: i64) -> Result<service_account::Model> {
    let sa = service_account::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound)?;
    if !(ctx.system_admin || ctx.org_id == Some(sa.org_id)) {
        return Err(Error::NotFound);
    }
    policy::can_manage_service_accounts(ctx, sa.org_id)?;
    Ok(sa)
}

/// Issues another token for an account (to rotate: issue, switch the client, revoke the old).
pub async fn issue_token<D: TransactionTrait>(db: &D, ctx: &Ctx, id: i64, expires_on: &str) -> Result<IssuedToken> {
    let mut p = Problems::default();
    let expires_at = read_expiry(&mut p, expires_on);
    p.into_result()?;
    let txn = db.begin().await?;
    let sa = managed(&txn, ctx, id).await?;
    let issued = insert_token(&txn, ctx, &sa, expires_at).await?;
    txn.commit().await?;
    Ok(issued)
}

/// 失効 (revocation): the token stops working at once, on every app server.
pub async fn revoke_token<D: TransactionTrait>(db: &D, ctx: &Ctx, token_id: i64) -> Result<api_token::Model> {
    let txn = db.begin().await?;
    let t = api_token::Entity::find_by_id(token_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let sa = managed(&txn, ctx, t.service_account_id).await?;
    if t.revoked_at.is_some() {
        return Err(Error::conflict("このトークンは既に失効しています", "This token is already revoked"));
    }
    let mut am: api_token::ActiveModel = t.into();
    am.revoked_at = Set(Some(Utc::now()));
    am.revoked_by = Set(Some(ctx.actor.clone()));
    let t = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(sa.org_id),
            bundle_id: None,
            action: "revoke",
            entity: "api_token",
            entity_id: t.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "service_account_id": sa.id, "hint": t.hint })),
        },
    )
    .await?;
    revisions::bump(&txn, revisions::AUTH).await?;
    txn.commit().await?;
    Ok(t)
}

/// The acting organisation's service accounts with their tokens (newest first).
pub async fn list<C: ConnectionTrait>(conn: &C, ctx: &Ctx) -> Result<Vec<ServiceAccountView>> {
    let Some(org_id) = ctx.org_id else {
        // A system administrator acting for no organisation has none to list.
        return if ctx.system_admin { Ok(vec![]) } else { Err(Error::NotFound) };
    };
    policy::can_manage_service_accounts(ctx, org_id)?;
    let sas = service_account::Entity::find()
        .filter(service_account::Column::OrgId.eq(org_id))
        .order_by_desc(service_account::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = sas.iter().map(|s| s.id).collect();
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::ServiceAccountId.is_in(ids))
        .order_by_desc(api_token::Column::Id)
        .all(conn)
        .await?;
    let users = user::Entity::find().filter(user::Column::Id.is_in(sas.iter().map(|s| s.user_id))).all(conn).await?;
    Ok(sas
        .into_iter()
        .map(|s| ServiceAccountView {
            login: users.iter().find(|u| u.id == s.user_id).map(|u| u.login.clone()).unwrap_or_default(),
            tokens: tokens.iter().filter(|t| t.service_account_id == s.id).cloned().collect(),
            scopes: Scopes::stored(&s.scopes),
            id: s.id,
            name: s.name,
            created_by: s.created_by,
            created_at: s.created_at,
        })
        .collect())
}

/// Failures with tokens are counted per client address in the login-attempt table; past the
/// limit every token is refused (`RateLimited`) whether or not it is right, as logins are, so
/// guessing tokens from one address stops there.
fn failure_key(client: &str) -> String {
    format!("token-addr:{client}")
}

/// `RateLimited` when `client` has failed with tokens too often lately (a read only).
pub async fn check_failures<C: ConnectionTrait>(conn: &C, client: &str) -> Result<()> {
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Key.eq(failure_key(client)))
        .filter(login_attempt::Column::At.gte(since))
        .filter(login_attempt::Column::Success.eq(false))
        .count(conn)
        .await?;
    if failures >= MAX_FAILURES_PER_ADDRESS {
        return Err(Error::RateLimited);
    }
    Ok(())
}

/// Counts one failed token from `client` (a write).
pub async fn record_failure<C: ConnectionTrait>(conn: &C, client: &str) -> Result<()> {
    login_attempt::ActiveModel {
        key: Set(failure_key(client)),
        at: Set(Utc::now()),
        success: Set(false),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// What `token` grants, if it is a live token of an active account (reads only).
pub async fn grant<C: ConnectionTrait>(conn: &C, token: &str) -> Result<Option<TokenGrant>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(t) = api_token::Entity::find().filter(api_token::Column::TokenHash.eq(hash(token))).one(conn).await?
    else {
        return Ok(None);
    };
    if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| e < Utc::now()) {
        return Ok(None);
    }
    let Some(sa) = service_account::Entity::find_by_id(t.service_account_id).one(conn).await? else {
        return Ok(None);
    };
    let active = user::Entity::find_by_id(sa.user_id).one(conn).await?.is_some_and(|u| u.active);
    Ok(active.then(|| TokenGrant {
        token_id: t.id,
        user_id: sa.user_id,
        org_id: sa.org_id,
        scopes: Scopes::stored(&sa.scopes),
        expires_at: t.expires_at,
    }))
}

/// One use of a token, to be recorded: the request, in the account's acting context.
#[derive(Clone, Debug)]
pub struct TokenUse {
    pub ctx: Ctx,
    pub token_id: i64,
    pub org_id: i64,
    pub method: String,
    pub path: String,
}

/// Records uses of tokens in one transaction: each token's last use, and an audit entry per
/// use in the account's name. The web layer gathers the uses of concurrent requests into one
/// call (a group commit), so that many clients with tokens cost one write, not one each.
pub async fn record_uses<D: TransactionTrait>(db: &D, uses: &[TokenUse]) -> Result<()> {
    if uses.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    let mut tokens: Vec<i64> = uses.iter().map(|u| u.token_id).collect();
    tokens.sort_unstable();
    tokens.dedup();
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(api_token::Column::Id.is_in(tokens))
        .exec(&txn)
        .await?;
    for u in uses {
        audit::record(
            &txn,
            &u.ctx,
            audit::Change {
                org_id: Some(u.org_id),
                bundle_id: None,
                action: "use",
                entity: "api_token",
                entity_id: u.token_id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "method": u.method, "path": u.path })),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &[&str] = &["platform", "infra", "housing"];

    #[test]
    fn scopes_parse_and_allow() {
        let s = Scopes::parse(["infra:read", "platform:write"], AREAS).unwrap();
        assert!(s.allows("infra", false));
        assert!(!s.allows("infra", true), "read does not write");
        assert!(s.allows("platform", true) && s.allows("platform", false), "write includes read");
        assert!(!s.allows("housing", false), "an area not granted");
        assert!(s.any_write());
        assert_eq!(s.to_stored(), "infra:read platform:write");
        assert_eq!(Scopes::stored(&s.to_stored()), s);
    }

    #[test]
    fn scopes_refuse_unknown_areas_and_levels() {
        assert!(Scopes::parse(["talent:read"], AREAS).is_none());
        assert!(Scopes::parse(["infra:admin"], AREAS).is_none());
        assert!(Scopes::parse(["infra"], AREAS).is_none());
        assert_eq!(Scopes::parse(["infra:read infra:write"], AREAS).unwrap().to_stored(), "infra:write");
        assert!(!Scopes::parse(["infra:read"], AREAS).unwrap().any_write());
    }

    #[test]
    fn a_token_is_valid_through_its_last_day_in_japan() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        // 2027-04-01 00:00 JST = 2027-03-31 15:00 UTC.
        assert_eq!(end_of_jst_day(d).to_rfc3339(), "2027-03-31T15:00:00+00:00");
    }

    #[test]
    fn tokens_are_long_random_and_recognisable() {
        let (a, b) = (new_token(), new_token());
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_ne!(a, b);
        assert_ne!(hash(&a), a);
    }
}
