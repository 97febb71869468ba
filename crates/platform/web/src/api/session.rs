//! API login: sets the same session cookie as the HTML login and returns the CSRF token that
//! state-changing API calls must send in `X-CSRF-Token`.

use crate::error::{AppError, AppResult};
use crate::middleware::{Auth, SESSION_COOKIE};
use crate::pages::session::client_address;
use crate::state::Shared;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;
use tabane_core::service::{accounts, sessions};

#[derive(Deserialize)]
pub struct Credentials {
    login: String,
    password: String,
}

pub async fn login(
    State(st): State<Shared>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(c): Json<Credentials>,
) -> AppResult<Response> {
    let user = accounts::authenticate(&st.db, &c.login, &c.password, &client_address(&st.cfg, &headers, addr)).await?;
    let token = sessions::create(&st.db, user.id, st.cfg.session_hours).await?;
    let info = sessions::load(&st.db, &token).await?.ok_or(AppError(tabane_core::Error::Unauthenticated))?;
    let mut r = Json(serde_json::json!({ "csrf_token": info.csrf_token, "user": { "id": info.user_id, "login": info.login, "display_name": info.display_name }, "memberships": info.memberships })).into_response();
    let secure = if st.cfg.secure_cookies { "; Secure" } else { "" };
    if let Ok(v) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

pub async fn me(Auth(info, _): Auth) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "user": { "id": info.user_id, "login": info.login, "display_name": info.display_name, "system_admin": info.ctx.system_admin },
        "acting_org_id": info.ctx.org_id, "role": info.ctx.role, "acting_bundle_id": info.ctx.bundle_id,
        "memberships": info.memberships, "bundles": info.bundles, "csrf_token": info.csrf_token, "token": info.token,
    }))
}

pub async fn logout(State(st): State<Shared>, Auth(_, token): Auth) -> AppResult<Json<serde_json::Value>> {
    sessions::delete(&st.db, &token).await?;
    Ok(Json(serde_json::json!({ "ok": true })))
}
