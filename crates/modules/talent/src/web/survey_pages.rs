//! 状況把握アンケート の画面 (the prefecture's side): the pool's status surveys per 年度 with their
//! answer counts, the button that creates and publishes one, and the copy of the answers into the
//! 状況把握 records. Municipalities answer on the platform's own survey pages (`/surveys/{id}`).

use super::forms;
use super::recoverable;
use crate::service::status_surveys::{self, StatusSurveyForm, StatusSurveyRow};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult};
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "talent/status_surveys.html")]
pub struct StatusSurveysPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<StatusSurveyRow>,
    pub may_write: bool,
    pub fy: i32,
    pub error: Option<String>,
}

impl StatusSurveysPage {
    pub fn year(&self, y: &i32) -> String {
        forms::fiscal_year(self.chrome.l, *y)
    }
}

/// The form's 年度 as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct StartInput {
    #[serde(default)]
    pub fiscal_year: String,
    #[serde(default)]
    pub due_on: String,
}

async fn surveys_page(st: &Shared, page: &Page, ctx: &Ctx, pool_id: i64, e: Option<Error>) -> AppResult<Response> {
    let rows = status_surveys::list(&st.db, ctx, pool_id).await?;
    let a = crate::service::access::pool(&st.db, ctx, pool_id).await?;
    let (status, error) = forms::message(page, e);
    let p = StatusSurveysPage {
        chrome: page.chrome(),
        pool_id,
        rows,
        may_write: a.require_prefecture_staff().is_ok(),
        fy: tabane_calendar::FiscalYear::of(tabane_calendar::jst::today()).0,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    surveys_page(&st, &page, &i.ctx, id, None).await
}

pub async fn start(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<StartInput>,
) -> AppResult<Response> {
    let done = match forms::num::<i32>("fiscal_year", "年度", "Fiscal year", &f.fiscal_year) {
        Ok(fiscal_year) => {
            status_surveys::start(&st.db, &i.ctx, id, &StatusSurveyForm { fiscal_year, due_on: f.due_on.clone() }).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(r) => Ok(see_other(
            &format!("/talent/pools/{id}/status-surveys"),
            &format!("{}: {}{}", r.title, r.recipients, page.lang.t("団体に公開しました", " municipalities asked")),
        )),
        Err(e) if recoverable(&e) => surveys_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn copy(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path((id, survey_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    match status_surveys::copy(&st.db, &i.ctx, id, survey_id).await {
        Ok(r) => {
            let l = page.lang;
            let mut msg = format!("{}{}", r.copied.len(), l.t("団体の回答を状況把握に転記しました", " answers copied"));
            if !r.not_answered.is_empty() {
                msg.push_str(&format!("（{}: {}）", l.t("未回答", "not answered"), r.not_answered.join("、")));
            }
            Ok(see_other(&format!("/talent/pools/{id}/status-surveys"), &msg))
        }
        Err(e) if recoverable(&e) => surveys_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/talent/pools/{id}/status-surveys", Tenant, "talent", "状況把握アンケート（県）", list),
        route!(
            post,
            "/talent/pools/{id}/status-survey",
            Tenant,
            "talent",
            "状況把握アンケートの作成と公開（県）",
            start
        ),
        route!(
            post,
            "/talent/pools/{id}/status-survey/{survey_id}/copy",
            Tenant,
            "talent",
            "回答を状況把握に転記（県）",
            copy
        ),
    ]
}
