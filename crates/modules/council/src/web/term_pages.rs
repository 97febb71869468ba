//! 研究部会の画面 (terms and meetings): the list of terms, the term dashboard, a meeting with
//! its documents and the client's date form; JSON twins beside each page.

use super::recoverable;
use crate::domain::wareki;
use crate::service::access::Side;
use crate::service::meetings::{self, DateForm, MeetingRow};
use crate::service::publication::{self, PublishForm};
use crate::service::terms::{self, TermForm, TermRow, TermView};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tabane_core::Error;
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "council/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub rows: Vec<TermRow>,
}

#[derive(Template)]
#[template(path = "council/term.html")]
pub struct TermPage {
    pub chrome: Chrome,
    pub v: TermView,
    pub period: String,
}

/// 年度 as people write it: 「令和7年度」 (English: FY2025).
fn fiscal_year(chrome: &Chrome, y: i32) -> String {
    if chrome.l.t("ja", "en") == "en" { format!("FY{y}") } else { tabane_calendar::FiscalYear(y).label_ja() }
}

impl HomePage {
    pub fn fy(&self, y: &i32) -> String {
        fiscal_year(&self.chrome, *y)
    }
}

impl TermPage {
    /// A document's state in the page's language (未提出 / Not submitted …).
    pub fn doc_status(&self, key: &str) -> &'static str {
        tabane_core::service::deliverables::Status::parse(key).map(|s| s.label(self.chrome.l.is_en())).unwrap_or("")
    }
    pub fn fy(&self, y: &i32) -> String {
        fiscal_year(&self.chrome, *y)
    }
    pub fn contract(&self) -> bool {
        self.v.side != Side::Member
    }
    pub fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| self.day(&d)).unwrap_or_else(|| self.chrome.l.t("日程未定", "Date not set").to_string())
    }
    /// A date as the page writes dates: 和暦 (the Western date in English).
    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        if self.chrome.l.is_en() { d.to_string() } else { wareki(*d) }
    }
}

#[derive(Template)]
#[template(path = "council/meeting.html")]
pub struct MeetingPage {
    pub chrome: Chrome,
    pub m: MeetingRow,
    pub term_id: i64,
    pub can_set_date: bool,
    pub can_mark_held: bool,
    pub can_cancel: bool,
    /// The client may publish approved documents.
    pub client: bool,
    pub contract: bool,
    pub typed: DateForm,
    pub error: Option<String>,
}

impl MeetingPage {
    /// A document's state in the page's language (未提出 / Not submitted …).
    pub fn doc_status(&self, key: &str) -> &'static str {
        tabane_core::service::deliverables::Status::parse(key).map(|s| s.label(self.chrome.l.is_en())).unwrap_or("")
    }
    /// A due date as the page writes dates: 和暦 (the Western date in English).
    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        if self.chrome.l.is_en() { d.to_string() } else { wareki(*d) }
    }
    pub fn date(&self) -> String {
        self.m
            .meeting
            .date
            .map(|d| self.day(&d))
            .unwrap_or_else(|| self.chrome.l.t("日程未定", "Date not set").to_string())
    }
    pub fn date_value(&self) -> String {
        if self.typed.date.is_empty() {
            self.m.meeting.date.map(|d| d.to_string()).unwrap_or_default()
        } else {
            self.typed.date.clone()
        }
    }
}

pub async fn home(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    let rows = terms::list(&st.db, &i.ctx).await?;
    Ok(render(&HomePage { chrome: page.chrome(), rows }).into_response())
}

pub async fn api_terms(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<TermsAnswer>> {
    Ok(Json(TermsAnswer { terms: terms::list(&st.db, &i.ctx).await? }))
}

/// The yearly terms the acting organisation takes part in.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct TermsAnswer {
    pub terms: Vec<terms::TermRow>,
}

pub async fn api_create_term(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<TermForm>,
) -> AppResult<tabane_web::api::describe::Created<TermView>> {
    let t = terms::create(&st.db, &i.ctx, &f).await?;
    Ok(tabane_web::api::describe::Created(terms::view(&st.db, &i.ctx, t.id).await?))
}

pub async fn term(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let v = terms::view(&st.db, &i.ctx, id).await?;
    let period = terms::period_ja(&v.term);
    Ok(render(&TermPage { chrome: page.chrome(), v, period }).into_response())
}

pub async fn api_term(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Json<TermView>> {
    Ok(Json(terms::view(&st.db, &i.ctx, id).await?))
}

async fn meeting_page(
    st: &Shared,
    page: &Page,
    ctx: &tabane_core::Ctx,
    id: i64,
    typed: DateForm,
    error: Option<Error>,
) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    let (m, a) = meetings::get(&st.db, ctx, id).await?;
    let client = a.side == Side::Client && a.staff;
    let held_ok = m.meeting.date.is_some_and(|d| d <= tabane_calendar::jst::today());
    let p = MeetingPage {
        chrome: page.chrome(),
        can_set_date: client && m.status != crate::domain::MeetingStatus::Cancelled,
        can_mark_held: client && held_ok && m.status == crate::domain::MeetingStatus::Scheduled,
        can_cancel: client
            && matches!(m.status, crate::domain::MeetingStatus::Undecided | crate::domain::MeetingStatus::Scheduled),
        contract: a.side != Side::Member,
        client,
        term_id: a.term.id,
        m,
        typed,
        error: error.map(|e| e.message(page.lang.is_en())),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn meeting(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    meeting_page(&st, &page, &i.ctx, id, DateForm::default(), None).await
}

pub async fn api_meeting(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<MeetingRow>> {
    Ok(Json(meetings::get(&st.db, &i.ctx, id).await?.0))
}

pub async fn set_date(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<DateForm>,
) -> AppResult<Response> {
    match meetings::set_date(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/council/meetings/{id}"), page.lang.t("開催日を設定しました", "Date set"))),
        Err(e) if recoverable(&e) => meeting_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_set_date(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<DateForm>,
) -> AppResult<Json<MeetingRow>> {
    meetings::set_date(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(meetings::get(&st.db, &i.ctx, id).await?.0))
}

pub async fn mark_held(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match meetings::mark_held(&st.db, &i.ctx, id).await {
        Ok(_) => Ok(see_other(&format!("/council/meetings/{id}"), page.lang.t("開催済にしました", "Marked as held"))),
        Err(e) if recoverable(&e) => meeting_page(&st, &page, &i.ctx, id, DateForm::default(), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn publish(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    match publication::publish(&st.db, &st.files, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(
            &format!("/council/meetings/{id}"),
            page.lang.t("構成員に公開しました", "Published to the members"),
        )),
        Err(e) if recoverable(&e) => meeting_page(&st, &page, &i.ctx, id, DateForm::default(), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_publish(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<PublishForm>,
) -> AppResult<Json<MeetingRow>> {
    publication::publish(&st.db, &st.files, &i.ctx, id, &f).await?;
    Ok(Json(meetings::get(&st.db, &i.ctx, id).await?.0))
}

pub async fn cancel(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<tabane_core::service::meetings::CancelForm>,
) -> AppResult<Response> {
    match meetings::cancel(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/council/meetings/{id}"), page.lang.t("中止にしました", "Cancelled"))),
        Err(e) if recoverable(&e) => meeting_page(&st, &page, &i.ctx, id, DateForm::default(), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_cancel(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<tabane_core::service::meetings::CancelForm>,
) -> AppResult<Json<MeetingRow>> {
    meetings::cancel(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(meetings::get(&st.db, &i.ctx, id).await?.0))
}

pub async fn api_mark_held(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<MeetingRow>> {
    meetings::mark_held(&st.db, &i.ctx, id).await?;
    Ok(Json(meetings::get(&st.db, &i.ctx, id).await?.0))
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/council", Tenant, "council", "協議会・研究部会（年度の業務の一覧）", home),
        route!(
            get,
            "/council/terms/{id}",
            Tenant,
            "council",
            "年度の業務（会議・期限・ヒアリング・打合せの状況）",
            term
        ),
        route!(get, "/council/meetings/{id}", Tenant, "council", "会議（日程・資料・議事録の期限）", meeting),
        route!(post, "/council/meetings/{id}/date", Tenant, "council", "開催日の設定・変更（委託者）", set_date),
        route!(post, "/council/meetings/{id}/held", Tenant, "council", "開催済にする（委託者）", mark_held),
        route!(post, "/council/meetings/{id}/cancel", Tenant, "council", "会議の中止（委託者、理由つき）", cancel),
        api_route!(get, "/api/council/terms", Tenant, "council", "年度の業務の一覧", api_terms),
        api_route!(
            post,
            "/api/council/terms",
            Tenant,
            "council",
            "年度の業務の登録（committee_bundle_id, contract_bundle_id, fiscal_year, period_start, period_end, …）",
            api_create_term
        ),
        api_route!(get, "/api/council/terms/{id}", Tenant, "council", "年度の業務（ダッシュボード）", api_term),
        api_route!(get, "/api/council/meetings/{id}", Tenant, "council", "会議", api_meeting),
        api_route!(
            put,
            "/api/council/meetings/{id}",
            Tenant,
            "council",
            "開催日の設定・変更（date, start_time, end_time, online_url）",
            api_set_date
        ),
        api_route!(post, "/api/council/meetings/{id}/held", Tenant, "council", "開催済にする", api_mark_held),
        api_route!(
            post,
            "/api/council/meetings/{id}/cancel",
            Tenant,
            "council",
            "会議の中止（reason、資料・議事録は取消）",
            api_cancel
        ),
        route!(
            post,
            "/council/meetings/{id}/publish",
            Tenant,
            "council",
            "承諾済みの資料・議事録を構成員に公開（委託者）",
            publish
        ),
        api_route!(
            post,
            "/api/council/meetings/{id}/publish",
            Tenant,
            "council",
            "承諾済みの資料・議事録を構成員に公開（role: materials | minutes）",
            api_publish
        ),
    ]
}
