//! 人材プールの画面: the pools the actor sees, a pool's overview (the 推進体制 checklist and the
//! 1人情シス priority list for the prefecture), the pool list of persons with its downloads and
//! print view, the registration form, and a person's page with 「個人情報を表示」, 要件確認, 推薦,
//! experience and exams.

use super::forms::{self, message, ticked};
use super::recoverable;
use crate::domain::{Engagement, Field, Kind, PersonStatus, Source};
use crate::service::accelerators::{self, CheckForm, ExperienceForm, QualificationForm, RecommendForm};
use crate::service::access::{self, Side};
use crate::service::framework::{self, FrameworkView, PriorityRow};
use crate::service::persons::{self, PersonForm, PersonRow, PersonView, Personal};
use crate::service::pools::{self, PoolRow};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, Print, file_response, print_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

/// The actor's side in words.
fn side_label(l: tabane_web::i18n::Lang, s: Side) -> &'static str {
    match s {
        Side::Prefecture => l.t("都道府県（事務局）", "Prefecture (secretariat)"),
        Side::Municipality => l.t("市町村（構成団体）", "Municipality (member)"),
        Side::Company => l.t("協力企業", "Cooperating company"),
    }
}

#[derive(Template)]
#[template(path = "talent/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub rows: Vec<PoolRow>,
}

impl HomePage {
    pub fn side(&self, s: &Side) -> &'static str {
        side_label(self.chrome.l, *s)
    }
}

#[derive(Template)]
#[template(path = "talent/pool.html")]
pub struct PoolPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub row: PoolRow,
    pub side: &'static str,
    pub framework: Option<FrameworkView>,
    pub priority: Vec<PriorityRow>,
    pub year: String,
    pub fy: i32,
    /// The prefecture's staff may send the 状況把握 survey.
    pub may_survey: bool,
}

/// `?fy=2025`: the 年度 of the checklist and the priority list (default the current one).
#[derive(Deserialize, Default)]
pub struct FyQuery {
    #[serde(default)]
    pub fy: Option<i32>,
}

impl PoolPage {
    pub fn num(&self, v: &i64) -> String {
        filters::thousands(*v)
    }
}

#[derive(Template)]
#[template(path = "talent/persons.html")]
pub struct PersonsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<PersonRow>,
    pub may_write: bool,
    pub typed: PersonInput,
    pub error: Option<String>,
}

fn labels<T: Copy>(all: &[T], ja: fn(T) -> &'static str) -> String {
    all.iter().map(|x| ja(*x)).collect::<Vec<_>>().join("、")
}

impl PersonsPage {
    pub fn kinds(&self) -> String {
        labels(Kind::ALL, Kind::label_ja)
    }
    pub fn fields(&self) -> String {
        labels(Field::ALL, Field::label_ja)
    }
    pub fn sources(&self) -> &'static [Source] {
        Source::ALL
    }
    pub fn engagements(&self) -> &'static [Engagement] {
        Engagement::ALL
    }
    pub fn statuses(&self) -> &'static [PersonStatus] {
        PersonStatus::ALL
    }
}

#[derive(Template)]
#[template(path = "talent/person.html")]
pub struct PersonPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub v: PersonView,
    pub personal: Option<Personal>,
    pub error: Option<String>,
}

impl PersonPage {
    pub fn basis(&self) -> Vec<String> {
        self.v.latest_check.as_ref().map(|c| c.basis.lines().map(str::to_string).collect()).unwrap_or_default()
    }
    pub fn passed(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| forms::day(self.chrome.l, d)).unwrap_or_default()
    }
    pub fn checked_on(&self) -> String {
        self.v.latest_check.as_ref().map(|c| forms::day(self.chrome.l, c.as_of)).unwrap_or_default()
    }
}

/// 人材の登録 as the form sends it (text; the checkbox present only when ticked).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PersonInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kana: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub engagement: String,
    #[serde(default)]
    pub types: String,
    #[serde(default)]
    pub regions: String,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub main_duty: Option<String>,
    #[serde(default)]
    pub main_duty_basis: String,
    #[serde(default)]
    pub status: String,
}

impl PersonInput {
    fn form(&self) -> PersonForm {
        PersonForm {
            label: self.label.clone(),
            name: self.name.clone(),
            kana: self.kana.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            notes: self.notes.clone(),
            source: self.source.clone(),
            engagement: self.engagement.clone(),
            employer_org_id: None,
            types: self.types.clone(),
            regions: self.regions.clone(),
            fields: self.fields.clone(),
            main_duty: ticked(&self.main_duty),
            main_duty_basis: self.main_duty_basis.clone(),
            status: self.status.clone(),
        }
    }
}

/// 職歴の追加 as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ExperienceInput {
    #[serde(default)]
    pub employer_label: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub from_month: String,
    #[serde(default)]
    pub to_month: String,
    #[serde(default)]
    pub digital_field: Option<String>,
    #[serde(default)]
    pub description: String,
}

pub async fn home(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    let rows = pools::list(&st.db, &i.ctx).await?;
    Ok(render(&HomePage { chrome: page.chrome(), rows }).into_response())
}

pub async fn pool(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<FyQuery>,
) -> AppResult<Response> {
    let row = pools::get(&st.db, &i.ctx, id).await?;
    let may_survey = access::pool(&st.db, &i.ctx, id).await?.require_prefecture_staff().is_ok();
    let fy =
        q.fy.filter(|y| (2000..=2100).contains(y))
            .unwrap_or_else(|| tabane_calendar::FiscalYear::of(tabane_calendar::jst::today()).0);
    let (framework, priority) = if row.side == Side::Prefecture {
        (
            Some(framework::checklist(&st.db, &i.ctx, id, Some(fy), None).await?),
            framework::priority(&st.db, &i.ctx, id, fy).await?,
        )
    } else {
        (None, Vec::new())
    };
    let l = page.lang;
    let p = PoolPage {
        chrome: page.chrome(),
        pool_id: id,
        side: side_label(l, row.side),
        row,
        framework,
        priority,
        year: forms::fiscal_year(l, fy),
        fy,
        may_survey,
    };
    Ok(render(&p).into_response())
}

async fn persons_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    pool_id: i64,
    typed: PersonInput,
    e: Option<Error>,
) -> AppResult<Response> {
    let (rows, a) = persons::list(&st.db, ctx, pool_id).await?;
    let (status, error) = message(page, e);
    let p = PersonsPage {
        chrome: page.chrome(),
        pool_id,
        rows,
        may_write: a.require_prefecture_staff().is_ok(),
        typed,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn persons_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
    print: Print,
) -> AppResult<Response> {
    if fmt.0.is_some() || print.0 {
        let (headers, rows) = pools::export_rows(&st.db, &i.ctx, id).await?;
        if let Export(Some(format)) = fmt {
            return file_response(format, "talent-pool", "人材プール名簿", &headers, rows);
        }
        let a = access::pool(&st.db, &i.ctx, id).await?;
        let title = page.lang.t("人材プール名簿", "Talent pool");
        let back = format!("/talent/pools/{id}/persons");
        return Ok(print_response(page.lang, title, &a.pool.name, &back, &headers, rows));
    }
    persons_page(&st, &page, &i.ctx, id, PersonInput::default(), None).await
}

pub async fn person_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<PersonInput>,
) -> AppResult<Response> {
    match persons::create(&st.db, &i.ctx, id, &f.form()).await {
        Ok(r) => Ok(see_other(&format!("/talent/persons/{}", r.person.id), page.lang.t("登録しました", "Registered"))),
        Err(e) if recoverable(&e) => persons_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn person_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    personal: Option<Personal>,
    e: Option<Error>,
) -> AppResult<Response> {
    let v = persons::view(&st.db, ctx, id).await?;
    let (status, error) = message(page, e);
    let p = PersonPage { chrome: page.chrome(), pool_id: v.row.person.pool_id, v, personal, error };
    Ok((status, render(&p)).into_response())
}

pub async fn person(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    person_page(&st, &page, &i.ctx, id, None, None).await
}

/// 個人情報を表示: a POST that renders directly (audited each time; never through a redirect).
pub async fn person_reveal(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match persons::reveal(&st.db, &i.ctx, id).await {
        Ok(p) => person_page(&st, &page, &i.ctx, id, Some(p), None).await,
        Err(e) if recoverable(&e) => person_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

/// The outcome of a check or a recommendation as the message shown after it.
fn outcome_message(page: &Page, o: &accelerators::CheckOutcome, done: (&str, &str)) -> String {
    let mut s = format!("{}: {}", page.lang.t(done.0, done.1), o.result);
    if let Some(m) = &o.message {
        s.push_str(&format!("（{m}）"));
    }
    s
}

pub async fn person_check(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<CheckForm>,
) -> AppResult<Response> {
    match accelerators::run_check(&st.db, &i.ctx, id, &f).await {
        Ok(o) => Ok(see_other(&format!("/talent/persons/{id}"), &outcome_message(&page, &o, ("要件確認", "Checked")))),
        Err(e) if recoverable(&e) => person_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn person_recommend(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<RecommendForm>,
) -> AppResult<Response> {
    match accelerators::recommend(&st.db, &i.ctx, id, &f).await {
        Ok(o) => Ok(see_other(
            &format!("/talent/persons/{id}"),
            &outcome_message(&page, &o, ("推薦しました", "Recommended")),
        )),
        Err(e) if recoverable(&e) => person_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn person_experience(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ExperienceInput>,
) -> AppResult<Response> {
    let form = ExperienceForm {
        employer_label: f.employer_label,
        sector: f.sector,
        from_month: f.from_month,
        to_month: f.to_month,
        digital_field: ticked(&f.digital_field),
        description: f.description,
    };
    match accelerators::add_experience(&st.db, &i.ctx, id, &form).await {
        Ok(_) => Ok(see_other(&format!("/talent/persons/{id}"), page.lang.t("職歴を追加しました", "Experience added"))),
        Err(e) if recoverable(&e) => person_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn person_qualification(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<QualificationForm>,
) -> AppResult<Response> {
    match accelerators::add_qualification(&st.db, &i.ctx, id, &f).await {
        Ok(_) => Ok(see_other(&format!("/talent/persons/{id}"), page.lang.t("資格を追加しました", "Exam added"))),
        Err(e) if recoverable(&e) => person_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/talent", Tenant, "talent", "人材プールの一覧", home),
        route!(get, "/talent/pools/{id}", Tenant, "talent", "人材プールの概要（県: 推進体制・1人情シス）", pool),
        route!(
            get,
            "/talent/pools/{id}/persons",
            Tenant,
            "talent",
            "人材の一覧（個人情報なし、?format=csv|cp932|xlsx・?print=1）",
            persons_list
        ),
        route!(post, "/talent/pools/{id}/persons", Tenant, "talent", "人材の登録（県）", person_create),
        route!(get, "/talent/persons/{id}", Tenant, "talent", "人材の詳細", person),
        route!(post, "/talent/persons/{id}/reveal", Tenant, "talent", "個人情報を表示（監査記録）", person_reveal),
        route!(
            post,
            "/talent/persons/{id}/check",
            Tenant,
            "talent",
            "自治体DXアクセラレータ 要件確認（県）",
            person_check
        ),
        route!(
            post,
            "/talent/persons/{id}/recommend",
            Tenant,
            "talent",
            "自治体DXアクセラレータの推薦（県）",
            person_recommend
        ),
        route!(post, "/talent/persons/{id}/experience", Tenant, "talent", "職歴の追加（県）", person_experience),
        route!(post, "/talent/persons/{id}/qualifications", Tenant, "talent", "資格の追加（県）", person_qualification),
    ]
}
