//! 提言 pages and JSON: the term's proposals, recorded and moved on by the client's staff, read
//! by every side of the term.

use super::recoverable;
use crate::domain::{Addressee, ProposalStage};
use crate::service::access::Side;
use crate::service::proposals::{self, ProposalForm, ProposalRow, StageForm};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "council/proposals.html")]
pub struct ProposalsPage {
    pub chrome: Chrome,
    pub term_id: i64,
    pub rows: Vec<ProposalRow>,
    pub contract: bool,
    pub may_write: bool,
    pub error: Option<String>,
}

impl ProposalsPage {
    pub fn addressees(&self) -> &'static [Addressee] {
        Addressee::ALL
    }
    pub fn is_adoption(&self, s: &Option<ProposalStage>) -> bool {
        *s == Some(ProposalStage::Adopted)
    }
    pub fn day(&self, d: &Option<chrono::NaiveDate>) -> String {
        match d {
            Some(d) if !self.chrome.l.is_en() => crate::domain::wareki(*d),
            Some(d) => d.to_string(),
            None => String::new(),
        }
    }
}

async fn page_of(st: &Shared, page: &Page, ctx: &Ctx, term_id: i64, e: Option<Error>) -> AppResult<Response> {
    let (rows, a) = proposals::list(&st.db, ctx, term_id).await?;
    let status = e.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    let p = ProposalsPage {
        chrome: page.chrome(),
        term_id,
        rows,
        contract: a.side != Side::Member,
        may_write: a.side == Side::Client && a.staff,
        error: e.map(|e| e.message(page.lang.is_en())),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    page_of(&st, &page, &i.ctx, id, None).await
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ProposalForm>,
) -> AppResult<Response> {
    match proposals::create(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/council/terms/{id}/proposals"), page.lang.t("登録しました", "Recorded"))),
        Err(e) if recoverable(&e) => page_of(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn advance(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<StageForm>,
) -> AppResult<Response> {
    match proposals::advance(&st.db, &i.ctx, id, &f).await {
        Ok(r) => Ok(see_other(
            &format!("/council/terms/{}/proposals", r.proposal.term_id),
            page.lang.t("段階を進めました", "Moved on"),
        )),
        Err(e) if recoverable(&e) => {
            let term = proposals::term_of(&st.db, &i.ctx, id).await?;
            page_of(&st, &page, &i.ctx, term, Some(e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ProposalRow>>> {
    Ok(Json(proposals::list(&st.db, &i.ctx, id).await?.0))
}

pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ProposalForm>,
) -> AppResult<tabane_web::api::describe::Created<ProposalRow>> {
    Ok(tabane_web::api::describe::Created(proposals::create(&st.db, &i.ctx, id, &f).await?))
}

pub async fn api_advance(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<StageForm>,
) -> AppResult<Json<ProposalRow>> {
    Ok(Json(proposals::advance(&st.db, &i.ctx, id, &f).await?))
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/council/terms/{id}/proposals", Tenant, "council", "提言の一覧", list),
        route!(post, "/council/terms/{id}/proposals", Tenant, "council", "提言の登録（委託者）", create),
        route!(post, "/council/proposals/{id}/stage", Tenant, "council", "提言の段階を進める（委託者）", advance),
        api_route!(get, "/api/council/terms/{id}/proposals", Tenant, "council", "提言の一覧", api_list),
        api_route!(
            post,
            "/api/council/terms/{id}/proposals",
            Tenant,
            "council",
            "提言の登録（addressee: governors|state, title）",
            api_create
        ),
        api_route!(
            post,
            "/api/council/proposals/{id}/stage",
            Tenant,
            "council",
            "提言の段階を進める（stage、採択は adopted_on と adopted_by）",
            api_advance
        ),
    ]
}
