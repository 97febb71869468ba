//! 会議 (meetings) JSON API: the same services as the pages.

use crate::api::describe::Created;
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::module::AgendaProviders;
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use tabane_core::entities::{meeting, meeting_action, meeting_agenda_item, meeting_series};
use tabane_core::service::meetings::{
    self as mt, ActionForm, AgendaForm, CancelForm, MeetingForm, MeetingView, SeriesForm, SeriesView,
};

pub async fn series_list(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Vec<meeting_series::Model>>> {
    Ok(Json(mt::list(&st.db, &i.ctx).await?))
}

pub async fn series_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<SeriesForm>,
) -> AppResult<Created<meeting_series::Model>> {
    Ok(Created(mt::create_series(&st.db, &i.ctx, &f).await?))
}

pub async fn series_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<SeriesView>> {
    Ok(Json(mt::get_series(&st.db, &i.ctx, id).await?))
}

/// A new meeting; the registered modules' agenda items come first.
pub async fn meeting_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Extension(agenda): Extension<AgendaProviders>,
    Path(id): Path<i64>,
    Json(f): Json<MeetingForm>,
) -> AppResult<Created<MeetingView>> {
    let m = super::super::pages::meetings::create_with_agenda(&st, &i.ctx, &agenda, id, &f).await?;
    Ok(Created(mt::get(&st.db, &i.ctx, m.id).await?))
}

pub async fn meeting_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<MeetingView>> {
    Ok(Json(mt::get(&st.db, &i.ctx, id).await?))
}

pub async fn meeting_update(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<MeetingForm>,
) -> AppResult<Json<MeetingView>> {
    mt::update(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(mt::get(&st.db, &i.ctx, id).await?))
}

pub async fn meeting_cancel(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<CancelForm>,
) -> AppResult<Json<meeting::Model>> {
    Ok(Json(mt::cancel(&st.db, &i.ctx, id, &f).await?))
}

pub async fn agenda_add(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<AgendaForm>,
) -> AppResult<Created<meeting_agenda_item::Model>> {
    Ok(Created(mt::add_agenda_item(&st.db, &i.ctx, id, &f).await?))
}

pub async fn action_add(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ActionForm>,
) -> AppResult<Created<meeting_action::Model>> {
    Ok(Created(mt::add_action(&st.db, &i.ctx, id, &f).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct StatusBody {
    #[serde(default)]
    status: String,
}

pub async fn action_status(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<StatusBody>,
) -> AppResult<Json<meeting_action::Model>> {
    Ok(Json(mt::set_action_status(&st.db, &i.ctx, id, &b.status).await?))
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct FeedUrl {
    /// The secret address to subscribe to (shown once; issuing a new one stops the old one).
    url: String,
}

pub async fn feed_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Created<FeedUrl>> {
    let token = mt::ical::create_feed(&st.db, &i.ctx, id).await?;
    Ok(Created(FeedUrl { url: super::super::pages::meetings::feed_path(&token) }))
}
