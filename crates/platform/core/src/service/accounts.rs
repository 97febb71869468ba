//! 利用者と権限 (users and roles): accounts with argon2id passwords, memberships of users in
//! organisations, and login with a rate limit kept in the database (so it holds across several
//! app servers behind a load balancer).

use crate::context::Ctx;
use crate::domain::Role;
use crate::entities::{login_attempt, membership, organisation, user};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// Failed logins allowed per account, and per client address, within the window.
pub const MAX_FAILURES_PER_LOGIN: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const MIN_PASSWORD_LEN: usize = 10;

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default() // argon2id, the crate's default variant
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(anyhow::anyhow!("hashing password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// The password rules every new password meets (a self-registration checks them before storing a hash).
pub fn check_password_rules(p: &mut Problems, password: &str) {
    if password.chars().count() < MIN_PASSWORD_LEN {
        p.push(
            "password",
            "パスワード",
            "Password",
            format!("は{MIN_PASSWORD_LEN}文字以上にしてください"),
            format!("must be at least {MIN_PASSWORD_LEN} characters"),
        );
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    pub password: String,
    #[serde(default)]
    pub system_admin: bool,
    /// Role in the acting organisation (for an organisation administrator creating a user).
    #[serde(default)]
    pub role: String,
}

/// Creates a user. A system administrator (or the CLI) may create any user; an organisation
/// administrator creates users of the acting organisation, with a role in it.
pub async fn create_user<D: TransactionTrait>(db: &D, ctx: &Ctx, n: &NewUser) -> Result<user::Model> {
    let mut p = Problems::default();
    let login = n.login.trim();
    if login.is_empty() || login.len() > 64 || !login.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c)) {
        p.push(
            "login",
            "ログインID",
            "Login",
            "は半角英数字と . _ - @ の64文字以内です",
            "must be up to 64 ASCII letters, digits or . _ - @",
        );
    }
    p.required("display_name", "氏名", "Name", &n.display_name);
    check_password_rules(&mut p, &n.password);
    let role = if n.role.trim().is_empty() { None } else { Role::parse(&n.role) };
    if !n.role.trim().is_empty() && role.is_none() {
        p.push("role", "権限", "Role", "は 管理者・担当者・閲覧者 のいずれかです", "must be admin, staff or viewer");
    }
    p.into_result()?;
    if n.system_admin {
        policy::require_system_admin(ctx)?;
    }
    let grant_in = match (role, ctx.org_id) {
        (Some(r), Some(org)) => {
            policy::can_manage_users_of(ctx, org)?;
            Some((org, r))
        }
        _ => {
            policy::require_system_admin(ctx)?;
            None
        }
    };
    let txn = db.begin().await?;
    if user::Entity::find().filter(user::Column::Login.eq(login)).count(&txn).await? > 0 {
        return Err(Error::invalid("login", "ログインID", "Login", "は既に使われています", "is already taken"));
    }
    let u = user::ActiveModel {
        login: Set(login.to_string()),
        display_name: Set(n.display_name.trim().to_string()),
        password_hash: Set(hash_password(&n.password)?),
        system_admin: Set(n.system_admin),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: grant_in.map(|g| g.0),
            bundle_id: None,
            action: "create",
            entity: "user",
            entity_id: u.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&u).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    if let Some((org, r)) = grant_in {
        upsert_membership(&txn, ctx, u.id, org, r).await?;
    }
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(u)
}

pub async fn find_user_by_login<D: ConnectionTrait>(db: &D, login: &str) -> Result<user::Model> {
    user::Entity::find().filter(user::Column::Login.eq(login.trim())).one(db).await?.ok_or(Error::NotFound)
}

/// Sets a password: the user themself, a system administrator or the CLI.
pub async fn set_password<D: TransactionTrait>(db: &D, ctx: &Ctx, user_id: i64, password: &str) -> Result<()> {
    if ctx.user_id != Some(user_id) {
        policy::require_system_admin(ctx)?;
    }
    let mut p = Problems::default();
    check_password_rules(&mut p, password);
    p.into_result()?;
    let txn = db.begin().await?;
    let u = user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let mut am: user::ActiveModel = u.into();
    am.password_hash = Set(hash_password(password)?);
    am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: None,
            bundle_id: None,
            action: "set_password",
            entity: "user",
            entity_id: user_id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(())
}

async fn upsert_membership<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    user_id: i64,
    org_id: i64,
    role: Role,
) -> Result<()> {
    let existing = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::OrgId.eq(org_id))
        .one(conn)
        .await?;
    let before = existing.as_ref().map(|m| serde_json::json!({ "role": m.role }));
    match existing {
        Some(m) => {
            let mut am: membership::ActiveModel = m.into();
            am.role = Set(role.key().into());
            am.update(conn).await?;
        }
        None => {
            membership::ActiveModel {
                user_id: Set(user_id),
                org_id: Set(org_id),
                role: Set(role.key().into()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(conn)
            .await?;
        }
    }
    audit::record(
        conn,
        ctx,
        audit::Change {
            org_id: Some(org_id),
            bundle_id: None,
            action: "grant",
            entity: "membership",
            entity_id: format!("{user_id}:{org_id}"),
            before,
            after: Some(serde_json::json!({ "role": role.key() })),
        },
    )
    .await
}

/// Grants `role` in `org_id` to a user (or changes it). An organisation administrator may
/// change the roles of users already in the organisation; bringing in a user of another
/// organisation is for a system administrator, so that one tenant cannot pull another's
/// accounts (or learn which ids exist).
pub async fn grant<D: TransactionTrait>(db: &D, ctx: &Ctx, user_id: i64, org_id: i64, role: Role) -> Result<()> {
    policy::can_manage_users_of(ctx, org_id)?;
    let txn = db.begin().await?;
    user::Entity::find_by_id(user_id).one(&txn).await?.ok_or(Error::NotFound)?;
    // A service account's role follows from its scopes (see `service_accounts`): granting it
    // more here would let a token do what its scopes never said.
    let is_service = crate::entities::service_account::Entity::find()
        .filter(crate::entities::service_account::Column::UserId.eq(user_id))
        .count(&txn)
        .await?
        > 0;
    if is_service {
        return Err(Error::conflict(
            "サービスアカウントの権限は作成時の権限の範囲（スコープ）で決まり、ここでは変更できません",
            "A service account's role follows from its scopes and cannot be changed here",
        ));
    }
    if !ctx.system_admin {
        let member = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::OrgId.eq(org_id))
            .one(&txn)
            .await?;
        if member.is_none() {
            return Err(Error::NotFound);
        }
    }
    organisation::Entity::find_by_id(org_id).one(&txn).await?.ok_or(Error::NotFound)?;
    upsert_membership(&txn, ctx, user_id, org_id, role).await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(())
}

/// Removes a user's membership of an organisation.
pub async fn revoke<D: TransactionTrait>(db: &D, ctx: &Ctx, user_id: i64, org_id: i64) -> Result<()> {
    policy::can_manage_users_of(ctx, org_id)?;
    let txn = db.begin().await?;
    let m = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::OrgId.eq(org_id))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let before = serde_json::json!({ "role": m.role });
    membership::Entity::delete_by_id(m.id).exec(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org_id),
            bundle_id: None,
            action: "revoke",
            entity: "membership",
            entity_id: format!("{user_id}:{org_id}"),
            before: Some(before),
            after: None,
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(())
}

/// A user with their role in the organisation being viewed.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub system_admin: bool,
    pub active: bool,
    pub role: Option<Role>,
}

/// Users of the acting organisation (all users for a system administrator). Other
/// organisations' memberships are not shown: they are that organisation's business.
pub async fn list_users<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<UserRow>> {
    let org = ctx.org_id;
    if !ctx.system_admin {
        policy::can_manage_users_of(ctx, org.unwrap_or(-1))?;
    }
    let memberships: Vec<membership::Model> = match org {
        Some(o) => membership::Entity::find().filter(membership::Column::OrgId.eq(o)).all(db).await?,
        None => vec![],
    };
    let users = if ctx.system_admin {
        user::Entity::find().order_by_asc(user::Column::Login).all(db).await?
    } else {
        let ids: Vec<i64> = memberships.iter().map(|m| m.user_id).collect();
        user::Entity::find().filter(user::Column::Id.is_in(ids)).order_by_asc(user::Column::Login).all(db).await?
    };
    Ok(users
        .into_iter()
        .map(|u| UserRow {
            role: memberships.iter().find(|m| m.user_id == u.id).and_then(|m| Role::parse(&m.role)),
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            system_admin: u.system_admin,
            active: u.active,
        })
        .collect())
}

/// Checks a login. Failed attempts are counted per login and per client address; past the
/// limit the answer is `RateLimited` whether or not the password is right, so a guesser
/// learns nothing.
pub async fn authenticate<D: ConnectionTrait>(
    db: &D,
    login: &str,
    password: &str,
    client: &str,
) -> Result<user::Model> {
    let since = Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let key_login = format!("login:{}", login.trim().to_lowercase());
    let key_addr = format!("addr:{client}");
    let failures = |key: String| {
        login_attempt::Entity::find()
            .filter(login_attempt::Column::Key.eq(key))
            .filter(login_attempt::Column::At.gte(since))
            .filter(login_attempt::Column::Success.eq(false))
            .count(db)
    };
    if failures(key_login.clone()).await? >= MAX_FAILURES_PER_LOGIN
        || failures(key_addr.clone()).await? >= MAX_FAILURES_PER_ADDRESS
    {
        return Err(Error::RateLimited);
    }
    let found = user::Entity::find().filter(user::Column::Login.eq(login.trim())).one(db).await?;
    let ok = match &found {
        Some(u) => u.active && verify_password(password, &u.password_hash),
        None => {
            // Spend the same time as a real check so timing does not reveal which logins exist.
            let _ = verify_password(
                password,
                "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Lk7U0mPPl3ZbWy3dgYRFQhFXrjM3yV8UcNfCf1LpZ9s",
            );
            false
        }
    };
    let now = Utc::now();
    let rows = [key_login, key_addr].map(|key| login_attempt::ActiveModel {
        key: Set(key),
        at: Set(now),
        success: Set(ok),
        ..Default::default()
    });
    login_attempt::Entity::insert_many(rows).exec_without_returning(db).await?;
    match found {
        Some(u) if ok => Ok(u),
        _ => Err(Error::Unauthenticated),
    }
}
