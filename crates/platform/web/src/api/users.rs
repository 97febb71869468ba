use crate::api::answers::Done;
use crate::api::describe::Created;
use crate::api::session::SessionUser;
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::service::accounts::{self, NewUser, UserRow};

pub async fn list(State(st): State<Shared>, Auth(info, _): Auth) -> AppResult<Json<Vec<UserRow>>> {
    Ok(Json(accounts::list_users(&st.db, &info.ctx).await?))
}

pub async fn create(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Json(n): Json<NewUser>,
) -> AppResult<Created<SessionUser>> {
    let u = accounts::create_user(&st.db, &info.ctx, &n).await?;
    Ok(Created(SessionUser { id: u.id, login: u.login, display_name: u.display_name }))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[schemars(rename = "UserRoleBody")]
pub struct RoleBody {
    #[serde(default)]
    role: String,
    /// Organisation (default: the acting one).
    org_id: Option<i64>,
}

pub async fn set_role(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(user_id): Path<i64>,
    Json(b): Json<RoleBody>,
) -> AppResult<Json<Done>> {
    let org = b.org_id.or(info.ctx.org_id).ok_or(Error::NotFound)?;
    crate::pages::users::apply_role(&st, &info.ctx, user_id, org, &b.role).await?;
    Ok(Json(Done::OK))
}
