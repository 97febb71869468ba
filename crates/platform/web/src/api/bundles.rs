use crate::api::describe::Created;
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::domain::BundleRole;
use tabane_core::entities::bundle;
use tabane_core::service::bundles::{self, BundleForm, BundleView};

pub async fn list(State(st): State<Shared>, Auth(info, _): Auth) -> AppResult<Json<Vec<bundle::Model>>> {
    Ok(Json(bundles::list(&st.db, &info.ctx).await?))
}

pub async fn get(State(st): State<Shared>, Auth(info, _): Auth, Path(id): Path<i64>) -> AppResult<Json<BundleView>> {
    Ok(Json(bundles::get(&st.db, &info.ctx, id).await?))
}

pub async fn create(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Json(f): Json<BundleForm>,
) -> AppResult<Created<bundle::Model>> {
    Ok(Created(bundles::create(&st.db, &info.ctx, &f).await?))
}

pub async fn update(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<BundleForm>,
) -> AppResult<Json<bundle::Model>> {
    Ok(Json(bundles::update(&st.db, &info.ctx, id, &f).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[schemars(rename = "MemberRoleBody")]
pub struct RoleBody {
    role: String,
    /// 参加期間: both absent keeps the member's period; given (an empty string = open), sets it.
    valid_from: Option<String>,
    valid_to: Option<String>,
}

pub async fn set_member(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path((id, org)): Path<(i64, i64)>,
    Json(b): Json<RoleBody>,
) -> AppResult<Json<BundleView>> {
    let role = BundleRole::parse(&b.role).ok_or_else(|| {
        Error::invalid(
            "role",
            "役割",
            "Role",
            "が正しくありません（owner / contractor / secretariat / observer / member）",
            "must be owner, contractor, secretariat, observer or member",
        )
    })?;
    let period = match (&b.valid_from, &b.valid_to) {
        (None, None) => None,
        (f, t) => Some(bundles::Period::parse(f.as_deref().unwrap_or(""), t.as_deref().unwrap_or(""))?),
    };
    bundles::set_member_for(&st.db, &info.ctx, id, org, role, period).await?;
    Ok(Json(bundles::get(&st.db, &info.ctx, id).await?))
}

pub async fn remove_member(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path((id, org)): Path<(i64, i64)>,
) -> AppResult<Json<BundleView>> {
    bundles::remove_member(&st.db, &info.ctx, id, org).await?;
    Ok(Json(bundles::get(&st.db, &info.ctx, id).await?))
}
