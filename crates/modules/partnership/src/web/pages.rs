//! 官民連携の画面 (signed in): the platforms, the window's reception book, a reception with its
//! routing, opinions, similar cases and answer, projects with KPIs, signing and the change log,
//! resources and the KPI dashboard. The same service functions as the JSON API.

use crate::domain::{AnswerKind, ChangeState, Kind, Origin, Stage};
use crate::entities::project;
use crate::service::access;
use crate::service::contacts::{self, AnswerForm, ContactRow, ContactView, OpinionForm, RouteForm};
use crate::service::kpis::{self, Dashboard};
use crate::service::platforms::{self, PlatformRow};
use crate::service::projects::{self, KpiForm, ProjectForm, ProjectView};
use crate::service::registrations;
use crate::service::resources::{self, ResourceRow};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use tabane_core::entities::organisation;
use tabane_core::service::bundle_access;
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Forbidden(_) | Error::Conflict(_))
}

#[derive(Template)]
#[template(path = "partnership/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub rows: Vec<PlatformRow>,
}

#[derive(Template)]
#[template(path = "partnership/platform.html")]
pub struct PlatformPage {
    pub chrome: Chrome,
    pub platform_id: i64,
    /// The municipality's side (事務局 or 部署): the KPI dashboard is in its navigation.
    pub municipal: bool,
    pub name: String,
    pub answer_days: i32,
    pub rows: Vec<ContactRow>,
    /// 登録申請 waiting for the window (empty for everyone else).
    pub registrations: Vec<crate::entities::registration::Model>,
}

#[derive(Template)]
#[template(path = "partnership/contact.html")]
pub struct ContactPage {
    pub chrome: Chrome,
    pub platform_id: i64,
    /// The municipality's side (事務局 or 部署): the KPI dashboard is in its navigation.
    pub municipal: bool,
    pub v: ContactView,
    pub departments: Vec<(i64, String)>,
    /// Still to be answered (or in 継続協議): the window's forms are shown.
    pub open: bool,
    pub error: Option<String>,
}

impl ContactPage {
    pub fn answers(&self) -> &'static [AnswerKind] {
        AnswerKind::ALL
    }
    pub fn answer_label(&self, key: &str) -> &'static str {
        AnswerKind::parse(key).map(|a| a.label(self.chrome.l.is_en())).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "partnership/projects.html")]
pub struct ProjectsPage {
    pub chrome: Chrome,
    pub platform_id: i64,
    /// The municipality's side (事務局 or 部署): the KPI dashboard is in its navigation.
    pub municipal: bool,
    pub rows: Vec<project::Model>,
    pub window: bool,
    pub partners: Vec<(i64, String)>,
    pub error: Option<String>,
}

impl ProjectsPage {
    pub fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }
    pub fn origins(&self) -> &'static [Origin] {
        Origin::ALL
    }
    pub fn stage(&self, key: &str) -> &'static str {
        Stage::parse(key).map(|s| s.label(self.chrome.l.is_en())).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "partnership/project.html")]
pub struct ProjectPage {
    pub chrome: Chrome,
    pub platform_id: i64,
    /// The municipality's side (事務局 or 部署): the KPI dashboard is in its navigation.
    pub municipal: bool,
    pub v: ProjectView,
    pub error: Option<String>,
}

impl ProjectPage {
    pub fn change_state(&self, key: &str) -> &'static str {
        ChangeState::parse(key).map(|s| s.label(self.chrome.l.is_en())).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "partnership/kpis.html")]
pub struct KpisPage {
    pub chrome: Chrome,
    pub platform_id: i64,
    /// The municipality's side (事務局 or 部署): the KPI dashboard is in its navigation.
    pub municipal: bool,
    pub year: String,
    pub d: Dashboard,
}

#[derive(Template)]
#[template(path = "partnership/resources.html")]
pub struct ResourcesPage {
    pub chrome: Chrome,
    pub platform_id: i64,
    /// The municipality's side (事務局 or 部署): the KPI dashboard is in its navigation.
    pub municipal: bool,
    pub rows: Vec<ResourceRow>,
}

pub async fn home(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    Ok(render(&HomePage { chrome: page.chrome(), rows: platforms::list(&st.db, &i.ctx).await? }).into_response())
}

pub async fn platform(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (rows, a) = contacts::list(&st.db, &i.ctx, id, false, None).await?;
    let registrations = if a.is_window() { registrations::pending(&st.db, &i.ctx, id).await? } else { Vec::new() };
    let p = PlatformPage {
        chrome: page.chrome(),
        platform_id: id,
        municipal: a.side != access::Side::Partner,
        name: a.platform.name.clone(),
        answer_days: a.platform.answer_days,
        rows,
        registrations,
    };
    Ok(render(&p).into_response())
}

/// 登録申請の承認・却下 (the window), back to the reception book.
pub async fn registration_decide(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path((id, what)): Path<(i64, String)>,
) -> AppResult<Response> {
    let r = if what == "approve" {
        registrations::approve(&st.db, &i.ctx, id).await
    } else {
        registrations::reject(&st.db, &i.ctx, id).await
    };
    let r = r.map_err(AppError)?;
    let msg = if what == "approve" {
        page.lang.t("承認しました", "Approved")
    } else {
        page.lang.t("却下しました", "Rejected")
    };
    Ok(see_other(&format!("/partnership/platforms/{}", r.platform_id), msg))
}

/// Whether the actor is on the municipality's side of a platform (the dashboard is theirs).
async fn municipal(st: &Shared, ctx: &Ctx, platform_id: i64) -> bool {
    access::platform(&st.db, ctx, platform_id).await.is_ok_and(|a| a.side != access::Side::Partner)
}

/// The municipality's departments (the window routes to them).
async fn departments(st: &Shared, municipality: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::ParentId.eq(municipality))
        .all(&st.db)
        .await
        .map_err(Error::from)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

async fn contact_page(st: &Shared, page: &Page, ctx: &Ctx, id: i64, e: Option<Error>) -> AppResult<Response> {
    let (c, a) = contacts::find(&st.db, ctx, id).await?;
    let v = contacts::view(&st.db, ctx, c.id, None).await?;
    let departments = if a.is_window() {
        let all = departments(st, a.platform.owner_org_id).await?;
        all.into_iter().filter(|(id, _)| *id != a.platform.window_org_id).collect()
    } else {
        Vec::new()
    };
    use crate::domain::Status;
    let open = matches!(v.row.status, Status::Received | Status::Routed | Status::UnderReview)
        || (v.row.status == Status::Answered && v.row.contact.answer.as_deref() == Some("continued"));
    let status = e.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    let p = ContactPage {
        chrome: page.chrome(),
        platform_id: a.platform.id,
        municipal: a.side != access::Side::Partner,
        v,
        departments,
        open,
        error: e.map(|e| e.message(page.lang.is_en())),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn contact(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    contact_page(&st, &page, &i.ctx, id, None).await
}

#[derive(Deserialize, Default)]
pub struct RouteOne {
    #[serde(default)]
    pub department: Option<i64>,
}

async fn after(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    r: tabane_core::Result<ContactView>,
    done: (&str, &str),
) -> AppResult<Response> {
    match r {
        Ok(_) => Ok(see_other(&format!("/partnership/contacts/{id}"), page.lang.t(done.0, done.1))),
        Err(e) if recoverable(&e) => contact_page(st, page, ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn route(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<RouteOne>,
) -> AppResult<Response> {
    let r = contacts::route(
        &st.db,
        &i.ctx,
        id,
        &RouteForm { departments: f.department.into_iter().collect(), routed_on: String::new() },
    )
    .await;
    after(&st, &page, &i.ctx, id, r, ("回付しました", "Routed")).await
}

pub async fn opinion(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<OpinionForm>,
) -> AppResult<Response> {
    let r = contacts::opinion(&st.db, &i.ctx, id, &f).await;
    after(&st, &page, &i.ctx, id, r, ("所見を送りました", "Opinion sent")).await
}

pub async fn answer(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let r = contacts::answer(&st.db, &i.ctx, id, &f).await;
    after(&st, &page, &i.ctx, id, r, ("回答しました", "Answered")).await
}

async fn projects_page(st: &Shared, page: &Page, ctx: &Ctx, id: i64, e: Option<Error>) -> AppResult<Response> {
    let a = access::platform(&st.db, ctx, id).await?;
    let rows = projects::list(&st.db, ctx, id).await?;
    let mut partners = Vec::new();
    if a.is_window() {
        for (o, _) in bundle_access::members(&st.db, a.platform.bundle_id).await? {
            if o != a.platform.owner_org_id {
                partners.push((o, contacts::org_name(&st.db, o).await?));
            }
        }
    }
    let status = e.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    let p = ProjectsPage {
        chrome: page.chrome(),
        platform_id: id,
        municipal: a.side != access::Side::Partner,
        rows,
        window: a.is_window() && a.staff,
        partners,
        error: e.map(|e| e.message(page.lang.is_en())),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn projects_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    projects_page(&st, &page, &i.ctx, id, None).await
}

#[derive(Deserialize, Default)]
pub struct ProjectFields {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub partner_org_id: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    #[serde(default)]
    pub investment_yen: String,
}

pub async fn project_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ProjectFields>,
) -> AppResult<Response> {
    let investment = f.investment_yen.trim().replace([',', '，'], "");
    let investment = if investment.is_empty() {
        None
    } else {
        match investment.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = Error::invalid(
                    "investment_yen",
                    "投資額（円）",
                    "Investment",
                    "は数字で入力してください",
                    "must be a number",
                );
                return projects_page(&st, &page, &i.ctx, id, Some(e)).await;
            }
        }
    };
    let form = ProjectForm {
        title: f.title,
        kind: f.kind,
        origin: f.origin,
        partner_org_id: f.partner_org_id.trim().parse().ok(),
        start_on: f.start_on,
        end_on: f.end_on,
        investment_yen: investment,
        ..Default::default()
    };
    match projects::create(&st.db, &i.ctx, id, &form).await {
        Ok(p) => Ok(see_other(&format!("/partnership/projects/{}", p.id), page.lang.t("登録しました", "Registered"))),
        Err(e) if recoverable(&e) => projects_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn project_page(st: &Shared, page: &Page, ctx: &Ctx, id: i64, e: Option<Error>) -> AppResult<Response> {
    let v = projects::view(&st.db, ctx, id).await?;
    let status = e.as_ref().map(status_of).unwrap_or(StatusCode::OK);
    let municipal = municipal(st, ctx, v.project.platform_id).await;
    let p = ProjectPage {
        chrome: page.chrome(),
        platform_id: v.project.platform_id,
        municipal,
        v,
        error: e.map(|e| e.message(page.lang.is_en())),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn project(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    project_page(&st, &page, &i.ctx, id, None).await
}

#[derive(Deserialize, Default)]
pub struct KpiFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub actual: String,
}

pub async fn kpi_add(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<KpiFields>,
) -> AppResult<Response> {
    let form =
        KpiForm { name: f.name, unit: f.unit, target: Some(f.target), actual: Some(f.actual), ..Default::default() };
    match projects::add_kpi(&st.db, &i.ctx, id, &form).await {
        Ok(_) => Ok(see_other(&format!("/partnership/projects/{id}"), page.lang.t("KPIを追加しました", "KPI added"))),
        Err(e) if recoverable(&e) => project_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct SignFields {
    #[serde(default)]
    pub signed_on: String,
}

pub async fn sign(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<SignFields>,
) -> AppResult<Response> {
    match projects::sign(&st.db, &i.ctx, id, &f.signed_on).await {
        Ok(_) => Ok(see_other(&format!("/partnership/projects/{id}"), page.lang.t("締結しました", "Signed"))),
        Err(e) if recoverable(&e) => project_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct FyQuery {
    #[serde(default)]
    pub fy: Option<i32>,
}

pub async fn kpi_dashboard(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<FyQuery>,
) -> AppResult<Response> {
    let fy =
        q.fy.filter(|y| (2000..=2100).contains(y))
            .unwrap_or_else(|| tabane_calendar::FiscalYear::of(tabane_calendar::jst::today()).0);
    let d = kpis::dashboard(&st.db, &i.ctx, id, fy).await?;
    let p = KpisPage {
        chrome: page.chrome(),
        platform_id: id,
        municipal: true,
        year: tabane_calendar::FiscalYear(fy).label_ja(),
        d,
    };
    Ok(render(&p).into_response())
}

pub async fn resources_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let rows = resources::list(&st.db, &i.ctx, id, None).await?;
    let municipal = municipal(&st, &i.ctx, id).await;
    Ok(render(&ResourcesPage { chrome: page.chrome(), platform_id: id, municipal, rows }).into_response())
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    let _ = filters::thousands;
    vec![
        route!(get, "/partnership", Tenant, "partnership", "官民連携", home),
        route!(get, "/partnership/platforms/{id}", Tenant, "partnership", "窓口受付簿", platform),
        route!(get, "/partnership/contacts/{id}", Tenant, "partnership", "受付", contact),
        route!(post, "/partnership/contacts/{id}/route", Tenant, "partnership", "回付（窓口）", route),
        route!(post, "/partnership/contacts/{id}/opinion", Tenant, "partnership", "所見（回付先の部署）", opinion),
        route!(post, "/partnership/contacts/{id}/answer", Tenant, "partnership", "回答（窓口）", answer),
        route!(get, "/partnership/platforms/{id}/projects", Tenant, "partnership", "連携事業", projects_list),
        route!(post, "/partnership/platforms/{id}/projects", Tenant, "partnership", "連携事業の登録", project_create),
        route!(get, "/partnership/projects/{id}", Tenant, "partnership", "連携事業", project),
        route!(post, "/partnership/projects/{id}/kpis", Tenant, "partnership", "KPIの追加", kpi_add),
        route!(post, "/partnership/projects/{id}/sign", Tenant, "partnership", "締結", sign),
        route!(get, "/partnership/platforms/{id}/kpis", Tenant, "partnership", "KPIダッシュボード", kpi_dashboard),
        route!(get, "/partnership/platforms/{id}/resources", Tenant, "partnership", "地域資源", resources_list),
        route!(
            post,
            "/partnership/registrations/{id}/{what}",
            Tenant,
            "partnership",
            "登録申請の承認・却下（窓口、approve|reject）",
            registration_decide
        ),
    ]
}
