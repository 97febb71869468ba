//! API login: sets the same session cookie as the HTML login and returns the CSRF token that
//! state-changing API calls must send in `X-CSRF-Token`.

use crate::api::answers::Done;
use crate::api::describe::WithHeaders;
use crate::error::{AppError, AppResult};
use crate::middleware::{Auth, SESSION_COOKIE};
use crate::pages::session::client_address;
use crate::state::Shared;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use tabane_core::domain::Role;
use tabane_core::service::sessions::{BundleChoice, MembershipView};
use tabane_core::service::{accounts, sessions};

#[derive(Deserialize, schemars::JsonSchema)]
pub struct Credentials {
    login: String,
    password: String,
}

/// Who a session belongs to.
#[derive(Serialize, schemars::JsonSchema)]
pub struct SessionUser {
    pub id: i64,
    pub login: String,
    pub display_name: String,
}

/// The answer to a login: the token to send as `X-CSRF-Token` on state-changing requests.
#[derive(Serialize, schemars::JsonSchema)]
pub struct LoginAnswer {
    pub csrf_token: String,
    pub user: SessionUser,
    pub memberships: Vec<MembershipView>,
}

pub async fn login(
    State(st): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(c): Json<Credentials>,
) -> AppResult<WithHeaders<Json<LoginAnswer>>> {
    let user = accounts::authenticate(&st.db, &c.login, &c.password, &client_address(&st.cfg, &headers, addr)).await?;
    let token = sessions::create(&st.db, user.id, st.cfg.session_hours).await?;
    let info = sessions::load(&st.db, &token).await?.ok_or(AppError(tabane_core::Error::Unauthenticated))?;
    let mut cookie = HeaderMap::new();
    let secure = if st.cfg.secure_cookies { "; Secure" } else { "" };
    if let Ok(v) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")) {
        cookie.insert(header::SET_COOKIE, v);
    }
    Ok(WithHeaders(
        cookie,
        Json(LoginAnswer {
            csrf_token: info.csrf_token,
            user: SessionUser { id: info.user_id, login: info.login, display_name: info.display_name },
            memberships: info.memberships,
        }),
    ))
}

/// The signed-in user's session: where they act, in which bundle, and the CSRF token.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Me {
    pub user: MeUser,
    pub acting_org_id: Option<i64>,
    pub role: Option<Role>,
    pub acting_bundle_id: Option<i64>,
    pub memberships: Vec<MembershipView>,
    pub bundles: Vec<BundleChoice>,
    pub csrf_token: String,
    /// Set when the request carried a service account's API token: the token and its scopes.
    pub token: Option<tabane_core::service::sessions::TokenSession>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct MeUser {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub system_admin: bool,
}

pub async fn me(Auth(info, _): Auth) -> Json<Me> {
    Json(Me {
        user: MeUser {
            id: info.user_id,
            login: info.login.clone(),
            display_name: info.display_name.clone(),
            system_admin: info.ctx.system_admin,
        },
        acting_org_id: info.ctx.org_id,
        role: info.ctx.role,
        acting_bundle_id: info.ctx.bundle_id,
        memberships: info.memberships.clone(),
        bundles: info.bundles.clone(),
        csrf_token: info.csrf_token.clone(),
        token: info.token.clone(),
    })
}

pub async fn logout(State(st): State<Shared>, Auth(_, token): Auth) -> AppResult<Json<Done>> {
    sessions::delete(&st.db, &token).await?;
    Ok(Json(Done::OK))
}
