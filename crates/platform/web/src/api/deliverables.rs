//! 提出物 (deliverables) JSON API: the same services as the pages.

use crate::api::describe::Created;
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use tabane_core::entities::{deliverable, deliverable_instance, deliverable_submission};
use tabane_core::service::deliverables::{
    self as dv, AnchorForm, DecisionForm, DeliverableFilter, DeliverableForm, DeliverableRow, DeliverableView,
    OverdueItem, SubmitForm,
};

pub async fn list(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Query(f): Query<DeliverableFilter>,
) -> AppResult<Json<Vec<DeliverableRow>>> {
    Ok(Json(dv::list(&st.db, &info.ctx, &f, dv::today_jst()).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct OverdueQuery {
    /// Defaults to today in Japan.
    #[serde(default)]
    today: Option<chrono::NaiveDate>,
}

pub async fn overdue(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Query(q): Query<OverdueQuery>,
) -> AppResult<Json<Vec<OverdueItem>>> {
    Ok(Json(dv::overdue(&st.db, &info.ctx, q.today.unwrap_or_else(dv::today_jst)).await?))
}

pub async fn create(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Json(f): Json<DeliverableForm>,
) -> AppResult<Created<deliverable::Model>> {
    Ok(Created(dv::register(&st.db, &info.ctx, &f).await?))
}

pub async fn get(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<DeliverableView>> {
    Ok(Json(dv::get(&st.db, &info.ctx, id, dv::today_jst()).await?))
}

pub async fn set_anchor(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<AnchorForm>,
) -> AppResult<Json<deliverable::Model>> {
    Ok(Json(dv::set_anchor(&st.db, &info.ctx, id, &f).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct PeriodBody {
    #[serde(default)]
    period: String,
}

pub async fn ensure_instance(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<PeriodBody>,
) -> AppResult<Json<deliverable_instance::Model>> {
    Ok(Json(dv::ensure_instance(&st.db, &info.ctx, id, &b.period).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct SubmitBody {
    #[serde(default)]
    period: String,
    #[serde(flatten)]
    form: SubmitForm,
}

/// 提出: `period` (empty for a one-off deliverable), optional `file_id` (a file stored for the
/// bundle through `/api/files`), `note`.
pub async fn submit(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<SubmitBody>,
) -> AppResult<Created<deliverable_submission::Model>> {
    let ctx = &info.ctx;
    let d = dv::get(&st.db, ctx, id, dv::today_jst()).await?;
    tabane_core::policy::can_submit_deliverable(ctx, d.deliverable.submitter_org_id)?;
    let inst = dv::ensure_instance(&st.db, ctx, id, &b.period).await?;
    Ok(Created(dv::submit(&st.db, ctx, inst.id, &b.form).await?))
}

pub async fn decide(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(sid): Path<i64>,
    Json(f): Json<DecisionForm>,
) -> AppResult<Json<deliverable_submission::Model>> {
    Ok(Json(dv::decide(&st.db, &info.ctx, sid, &f).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ReopenBody {
    #[serde(default)]
    period: String,
    #[serde(default)]
    reason: String,
}

pub async fn reopen(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<ReopenBody>,
) -> AppResult<Json<deliverable_instance::Model>> {
    let inst = dv::instance_by_period(&st.db, &info.ctx, id, &b.period).await?;
    Ok(Json(dv::reopen_for_change(&st.db, &info.ctx, inst.id, &b.reason).await?))
}

/// 提出回の取消: `{period, reason}`.
pub async fn withdraw(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<ReopenBody>,
) -> AppResult<Json<deliverable_instance::Model>> {
    let inst = dv::instance_by_period(&st.db, &info.ctx, id, &b.period).await?;
    Ok(Json(dv::withdraw(&st.db, &info.ctx, inst.id, &b.reason).await?))
}
