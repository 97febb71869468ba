//! アンケート JSON API: the same `service::surveys` functions as the pages.

use crate::api::describe::Created;
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::entities::{survey, survey_followup, survey_recipient};
use tabane_core::service::surveys::{
    self, Answers, EntrySource, NewFollowup, NewQuestion, NewRecipient, NonRespondent, Question, QuestionSummary,
    RecipientAnswers, ResponseView, SurveyForm, SurveyRow, SurveyView,
};

pub async fn list(State(st): State<Shared>, Auth(info, _): Auth) -> AppResult<Json<Vec<SurveyRow>>> {
    Ok(Json(surveys::list(&st.db, &info.ctx).await?))
}

pub async fn create(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Json(f): Json<SurveyForm>,
) -> AppResult<Created<survey::Model>> {
    Ok(Created(surveys::create(&st.db, &info.ctx, &f).await?))
}

pub async fn get(State(st): State<Shared>, Auth(info, _): Auth, Path(id): Path<i64>) -> AppResult<Json<SurveyView>> {
    Ok(Json(surveys::get(&st.db, &info.ctx, id).await?))
}

pub async fn add_question(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(q): Json<NewQuestion>,
) -> AppResult<Created<Question>> {
    Ok(Created(surveys::add_question(&st.db, &info.ctx, id, &q).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct RecipientsBody {
    recipients: Vec<NewRecipient>,
}

pub async fn add_recipients(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<RecipientsBody>,
) -> AppResult<Created<Vec<survey_recipient::Model>>> {
    Ok(Created(surveys::add_recipients(&st.db, &info.ctx, id, b.recipients).await?))
}

pub async fn publish(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<survey::Model>> {
    Ok(Json(surveys::publish(&st.db, &info.ctx, id).await?))
}

pub async fn close(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<survey::Model>> {
    Ok(Json(surveys::close(&st.db, &info.ctx, id).await?))
}

pub async fn responses(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<RecipientAnswers>>> {
    Ok(Json(surveys::answers(&st.db, &info.ctx, id).await?))
}

pub async fn response(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Json<ResponseView>> {
    Ok(Json(surveys::response(&st.db, &info.ctx, id, rid).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ResponseBody {
    answers: Answers,
    /// `self` (本人) or `proxy` (代理入力, the default).
    #[serde(default)]
    source: String,
}

pub async fn record_response(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path((id, rid)): Path<(i64, i64)>,
    Json(b): Json<ResponseBody>,
) -> AppResult<Json<survey_recipient::Model>> {
    let source = parse_source(&b.source)?;
    Ok(Json(surveys::record_response(&st.db, &info.ctx, id, rid, &b.answers, source).await?))
}

/// `self`/本人 or `proxy`/代理入力; proxy when empty, since staff type most answers.
pub fn parse_source(s: &str) -> Result<EntrySource, Error> {
    if s.trim().is_empty() {
        return Ok(EntrySource::Proxy);
    }
    EntrySource::parse(s).ok_or_else(|| {
        Error::invalid(
            "source",
            "入力者",
            "Entry source",
            "は self（本人）か proxy（代理入力）です",
            "must be self or proxy",
        )
    })
}

pub async fn record_followup(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path((id, rid)): Path<(i64, i64)>,
    Json(f): Json<NewFollowup>,
) -> AppResult<Created<survey_followup::Model>> {
    Ok(Created(surveys::record_followup(&st.db, &info.ctx, id, rid, &f).await?))
}

pub async fn non_respondents(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<NonRespondent>>> {
    Ok(Json(surveys::non_respondents(&st.db, &info.ctx, id).await?))
}

pub async fn results(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<QuestionSummary>>> {
    Ok(Json(surveys::aggregate(&st.db, &info.ctx, id).await?))
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct ProxiesBody {
    #[serde(default)]
    org_ids: Vec<i64>,
}

/// 代理入力の団体: the whole list (`{"org_ids": [..]}`); answers the list saved.
pub async fn set_proxies(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<ProxiesBody>,
) -> AppResult<Json<Vec<i64>>> {
    Ok(Json(tabane_core::service::surveys::set_proxies(&st.db, &info.ctx, id, &b.org_ids).await?))
}
