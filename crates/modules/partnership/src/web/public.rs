//! 公開ポータル (signed out): the platforms' public issues and resources, the open-data CSV of
//! public resources, and the proposal form that answers with a 受付番号. The form is CSRF-protected
//! with the login form's double-submit cookie and rate-limited per client address like Open311;
//! everything people typed is shown through askama's escaping.

use crate::entities::{issue, platform};
use crate::service::contacts::{self, PublicForm};
use crate::service::issues;
use crate::service::registrations::{self, RegistrationForm};
use crate::service::resources::{self, ResourceRow};
use askama::Template;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use sea_orm::EntityTrait;
use serde::Deserialize;
use std::net::SocketAddr;
use tabane_core::Error;
use tabane_core::service::rate_limits::{self, Limit};
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::export::{ExportFormat, file_response};
use tabane_web::middleware::Page;
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

/// Public proposals a client address may send in an hour.
const PROPOSALS_PER_HOUR: u64 = 10;

#[derive(Template)]
#[template(path = "partnership/public_issues.html")]
pub struct IssuesPage {
    pub chrome: Chrome,
    pub rows: Vec<(issue::Model, String)>,
}

#[derive(Template)]
#[template(path = "partnership/public_resources.html")]
pub struct ResourcesPage {
    pub chrome: Chrome,
    pub rows: Vec<(ResourceRow, String)>,
}

#[derive(Template)]
#[template(path = "partnership/propose.html")]
pub struct ProposePage {
    pub chrome: Chrome,
    pub platforms: Vec<platform::Model>,
    pub platform_id: i64,
    pub form: PublicForm,
    pub token: String,
    pub receipt: Option<String>,
    pub error: Option<String>,
}

impl ResourcesPage {
    pub fn category(&self, key: &str) -> &'static str {
        crate::domain::Category::parse(key).map(|c| c.label(self.chrome.l.is_en())).unwrap_or("")
    }
}

async fn platforms(st: &Shared) -> AppResult<Vec<platform::Model>> {
    Ok(platform::Entity::find().all(&st.db).await.map_err(Error::from)?)
}

pub async fn issues_page(State(st): State<Shared>, page: Page) -> AppResult<Response> {
    let mut rows = Vec::new();
    for p in platforms(&st).await? {
        let name = contacts::org_name(&st.db, p.owner_org_id).await?;
        for i in issues::public(&st.db, p.id).await? {
            rows.push((i, name.clone()));
        }
    }
    Ok(render(&IssuesPage { chrome: page.chrome(), rows }).into_response())
}

async fn public_resources(st: &Shared) -> AppResult<Vec<(ResourceRow, String)>> {
    let mut rows = Vec::new();
    for p in platforms(st).await? {
        let name = contacts::org_name(&st.db, p.owner_org_id).await?;
        for r in resources::public(&st.db, p.id).await? {
            rows.push((r, name.clone()));
        }
    }
    Ok(rows)
}

pub async fn resources_page(State(st): State<Shared>, page: Page) -> AppResult<Response> {
    Ok(render(&ResourcesPage { chrome: page.chrome(), rows: public_resources(&st).await? }).into_response())
}

/// オープンデータ: 公開 resources only, as CSV (UTF-8 with BOM).
pub async fn open_data(State(st): State<Shared>) -> AppResult<Response> {
    let rows: Vec<ResourceRow> = public_resources(&st).await?.into_iter().map(|(r, _)| r).collect();
    let (headers, cells) = resources::open_data_rows(&rows);
    file_response(ExportFormat::CsvUtf8, "partnership-resources-open-data", "地域資源", &headers, cells)
}

#[derive(Deserialize, Default)]
pub struct ProposeQuery {
    #[serde(default)]
    pub platform: Option<i64>,
}

fn with_cookie(mut r: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn propose_form(
    State(st): State<Shared>,
    page: Page,
    headers: HeaderMap,
    Query(q): Query<ProposeQuery>,
) -> AppResult<Response> {
    let ps = platforms(&st).await?;
    let id = q.platform.or(ps.first().map(|p| p.id)).unwrap_or(0);
    let (token, cookie) = token_of(&st, &page, &headers);
    let p = ProposePage {
        chrome: page.chrome(),
        platforms: ps,
        platform_id: id,
        form: PublicForm::default(),
        token,
        receipt: None,
        error: None,
    };
    Ok(with_cookie(render(&p).into_response(), cookie))
}

fn token_of(st: &Shared, page: &Page, headers: &HeaderMap) -> (String, Option<String>) {
    let chrome = page.chrome();
    if chrome.user.is_some() {
        (chrome.csrf().to_string(), None)
    } else {
        tabane_web::pages::session::signed_out_form_token(st, headers)
    }
}

/// One post of a signed-out form counted against its hourly limit per client address.
async fn within_limit(st: &Shared, headers: &HeaderMap, addr: SocketAddr, form: &str) -> tabane_core::Result<()> {
    let who = tabane_web::pages::session::client_address(&st.cfg, headers, addr);
    let key = format!("partnership:{form}:{who}");
    rate_limits::take(&st.db, &[Limit { key, max: PROPOSALS_PER_HOUR, window: Duration::hours(1) }]).await
}

#[derive(Deserialize, Default)]
pub struct ProposeForm {
    #[serde(default)]
    pub platform_id: Option<i64>,
    #[serde(flatten)]
    pub form: PublicForm,
}

pub async fn propose(
    State(st): State<Shared>,
    page: Page,
    headers: HeaderMap,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let ps = platforms(&st).await?;
    let id = f.platform_id.or(ps.first().map(|p| p.id)).unwrap_or(0);
    let (token, cookie) = token_of(&st, &page, &headers);
    let result = match within_limit(&st, &headers, addr, "propose").await {
        Ok(()) => contacts::create_public(&st.db, id, &f.form).await,
        Err(e) => Err(e),
    };
    let (status, receipt, error) = match result {
        Ok(no) => (StatusCode::OK, Some(no), None),
        Err(e @ (Error::Invalid(_) | Error::RateLimited | Error::NotFound)) => {
            (status_of(&e), None, Some(e.message(page.lang.is_en())))
        }
        Err(e) => return Err(AppError(e)),
    };
    let form = if receipt.is_some() { PublicForm::default() } else { f.form };
    let p = ProposePage { chrome: page.chrome(), platforms: ps, platform_id: id, form, token, receipt, error };
    Ok(with_cookie((status, render(&p)).into_response(), cookie))
}

#[derive(Template)]
#[template(path = "partnership/register.html")]
pub struct RegisterPage {
    pub chrome: Chrome,
    pub platforms: Vec<platform::Model>,
    pub platform_id: i64,
    pub form: RegistrationForm,
    pub token: String,
    pub done: bool,
    pub error: Option<String>,
}

pub async fn register_form(
    State(st): State<Shared>,
    page: Page,
    headers: HeaderMap,
    Query(q): Query<ProposeQuery>,
) -> AppResult<Response> {
    let ps = platforms(&st).await?;
    let id = q.platform.or(ps.first().map(|p| p.id)).unwrap_or(0);
    let (token, cookie) = token_of(&st, &page, &headers);
    let p = RegisterPage {
        chrome: page.chrome(),
        platforms: ps,
        platform_id: id,
        form: RegistrationForm::default(),
        token,
        done: false,
        error: None,
    };
    Ok(with_cookie(render(&p).into_response(), cookie))
}

#[derive(Deserialize, Default)]
pub struct RegisterFields {
    #[serde(default)]
    pub platform_id: Option<i64>,
    #[serde(flatten)]
    pub form: RegistrationForm,
}

/// 登録申請 (signed out): rate-limited like the proposal form; the password is hashed at once.
pub async fn register(
    State(st): State<Shared>,
    page: Page,
    headers: HeaderMap,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Form(f): Form<RegisterFields>,
) -> AppResult<Response> {
    let ps = platforms(&st).await?;
    let id = f.platform_id.or(ps.first().map(|p| p.id)).unwrap_or(0);
    let (token, cookie) = token_of(&st, &page, &headers);
    let result = match within_limit(&st, &headers, addr, "register").await {
        Ok(()) => registrations::apply(&st.db, id, &f.form).await.map(|_| ()),
        Err(e) => Err(e),
    };
    let (status, done, error) = match result {
        Ok(()) => (StatusCode::OK, true, None),
        Err(e @ (Error::Invalid(_) | Error::RateLimited | Error::NotFound)) => {
            (status_of(&e), false, Some(e.message(page.lang.is_en())))
        }
        Err(e) => return Err(AppError(e)),
    };
    // The password is never sent back into the form.
    let form = if done { RegistrationForm::default() } else { RegistrationForm { password: String::new(), ..f.form } };
    let p = RegisterPage { chrome: page.chrome(), platforms: ps, platform_id: id, form, token, done, error };
    Ok(with_cookie((status, render(&p)).into_response(), cookie))
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/partnership/public/issues", Public, "partnership", "公開ポータル: 地域課題", issues_page),
        route!(get, "/partnership/public/resources", Public, "partnership", "公開ポータル: 地域資源", resources_page),
        route!(
            get,
            "/partnership/public/resources.csv",
            Public,
            "partnership",
            "地域資源のオープンデータ（CSV）",
            open_data
        ),
        route!(get, "/partnership/public/propose", Public, "partnership", "公開ポータル: 提案フォーム", propose_form),
        route!(
            post,
            "/partnership/public/propose",
            Public,
            "partnership",
            "公開ポータル: 提案の送信（受付番号）",
            propose
        ),
        route!(
            get,
            "/partnership/public/register",
            Public,
            "partnership",
            "公開ポータル: 連携先の登録申請",
            register_form
        ),
        route!(post, "/partnership/public/register", Public, "partnership", "公開ポータル: 登録申請の送信", register),
    ]
}
