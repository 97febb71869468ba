//! ニーズと派遣の画面: a pool's needs (the municipality registers, the prefecture reads them
//! with the matching suggestions and arranges assignments), the assignments, one assignment's
//! month (planned days, holidays skipped, visits and their confirmation) and the 月別派遣実績表.

use super::forms::{self, message, num};
use super::recoverable;
use crate::domain::{Field, NeedForm as SupportForm, Place, Theme};
use crate::service::access::{self, Side};
use crate::service::assignments::{self, AssignmentForm, AssignmentRow, AssignmentView};
use crate::service::needs::{self, NeedForm, NeedRow, NeedView};
use crate::service::persons;
use crate::service::visits::{self, MonthlyReport, VisitForm};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use sea_orm::EntityTrait;
use serde::Deserialize;
use tabane_core::domain::Labelled;
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, Print, file_response, print_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "talent/needs.html")]
pub struct NeedsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<NeedRow>,
    pub may_write: bool,
    pub municipalities: Vec<(i64, String)>,
    pub typed: NeedInput,
    pub error: Option<String>,
}

impl NeedsPage {
    pub fn chosen(&self, id: &i64) -> bool {
        self.typed.org_id.trim() == id.to_string()
    }
    pub fn themes(&self) -> &'static [Theme] {
        Theme::ALL
    }
    pub fn fields(&self) -> &'static [Field] {
        Field::ALL
    }
    pub fn forms(&self) -> &'static [SupportForm] {
        SupportForm::ALL
    }
    pub fn day(&self, d: &NaiveDate) -> String {
        forms::day(self.chrome.l, *d)
    }
}

/// One matching suggestion as the need page shows it.
pub struct SuggestionLine {
    pub person_id: i64,
    pub label: String,
    pub score: u32,
    pub eligible: bool,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "talent/need.html")]
pub struct NeedPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub v: NeedView,
    pub suggestions: Vec<SuggestionLine>,
    pub error: Option<String>,
}

impl NeedPage {
    pub fn modes(&self) -> &'static [crate::domain::AssignmentMode] {
        crate::domain::AssignmentMode::ALL
    }
    pub fn day(&self, d: &NaiveDate) -> String {
        forms::day(self.chrome.l, *d)
    }
}

#[derive(Template)]
#[template(path = "talent/assignments.html")]
pub struct AssignmentsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<AssignmentRow>,
}

impl AssignmentsPage {
    pub fn day(&self, d: &NaiveDate) -> String {
        forms::day(self.chrome.l, *d)
    }
}

#[derive(Template)]
#[template(path = "talent/assignment.html")]
pub struct AssignmentPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub v: AssignmentView,
    pub month_label: String,
    pub prev: String,
    pub next: String,
    pub error: Option<String>,
}

impl AssignmentPage {
    pub fn day(&self, d: &NaiveDate) -> String {
        forms::day(self.chrome.l, *d)
    }
    pub fn hours(&self, minutes: &i32) -> String {
        format!("{:.2}", f64::from(*minutes) / 60.0)
    }
    pub fn places(&self) -> &'static [Place] {
        Place::ALL
    }
    pub fn fields(&self) -> &'static [Field] {
        Field::ALL
    }
    pub fn place(&self, key: &str) -> String {
        Place::parse(key).map(|p| p.label_in(self.chrome.l.is_en()).to_string()).unwrap_or_else(|| key.to_string())
    }
}

#[derive(Template)]
#[template(path = "talent/report.html")]
pub struct ReportPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub municipalities: Vec<(i64, String)>,
    pub org: Option<i64>,
    pub month: String,
    pub report: Option<MonthlyReport>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub error: Option<String>,
}

impl ReportPage {
    pub fn chosen(&self, id: &i64) -> bool {
        self.org == Some(*id)
    }
    /// The report's month (「令和7年9月」; 「2025-09」 in English).
    pub fn heading(&self) -> String {
        match &self.report {
            Some(r) => month_label(self.chrome.l, r.year, r.month),
            None => String::new(),
        }
    }
    pub fn query(&self) -> String {
        let org = self.org.map(|o| format!("org={o}&")).unwrap_or_default();
        format!("{org}month={}", self.month)
    }
}

/// ニーズの登録 as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NeedInput {
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub wanted_types: String,
    #[serde(default)]
    pub days_per_week: String,
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub period_from: String,
    #[serde(default)]
    pub period_to: String,
    #[serde(default)]
    pub description: String,
}

impl NeedInput {
    fn form(&self) -> Result<NeedForm, Error> {
        Ok(NeedForm {
            org_id: num("org_id", "市町村", "Municipality", &self.org_id)?,
            theme: self.theme.clone(),
            field: self.field.clone(),
            wanted_types: self.wanted_types.clone(),
            days_per_week: num("days_per_week", "週の日数", "Days a week", &self.days_per_week)?,
            form: self.form.clone(),
            period_from: self.period_from.clone(),
            period_to: self.period_to.clone(),
            description: self.description.clone(),
        })
    }
}

/// 派遣の調整 from a need's suggestion.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AssignInput {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub weekdays: String,
    #[serde(default)]
    pub date_from: String,
    #[serde(default)]
    pub date_to: String,
    #[serde(default)]
    pub hours_per_day: String,
}

/// 派遣実績の記録 as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct VisitInput {
    #[serde(default)]
    pub visited_on: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub summary: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct MonthParam {
    #[serde(default)]
    pub month: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReportParams {
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub month: String,
}

async fn needs_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    pool_id: i64,
    typed: NeedInput,
    e: Option<Error>,
) -> AppResult<Response> {
    let (rows, a) = needs::list(&st.db, ctx, pool_id).await?;
    let municipalities =
        if a.side == Side::Prefecture { forms::municipalities(st, a.pool.bundle_id).await? } else { Vec::new() };
    let (status, error) = message(page, e);
    let p = NeedsPage {
        chrome: page.chrome(),
        pool_id,
        rows,
        may_write: a.staff && a.side != Side::Company,
        municipalities,
        typed,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn needs_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    needs_page(&st, &page, &i.ctx, id, NeedInput::default(), None).await
}

pub async fn need_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<NeedInput>,
) -> AppResult<Response> {
    let result = match f.form() {
        Ok(form) => needs::create(&st.db, &i.ctx, id, &form).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!("/talent/needs/{}", r.need.id), page.lang.t("登録しました", "Registered"))),
        Err(e) if recoverable(&e) => needs_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn need_page(st: &Shared, page: &Page, ctx: &Ctx, id: i64, e: Option<Error>) -> AppResult<Response> {
    let v = needs::view(&st.db, ctx, id).await?;
    let pool_id = v.row.need.pool_id;
    let suggestions = if v.suggestions.is_empty() {
        Vec::new()
    } else {
        let (people, _) = persons::list(&st.db, ctx, pool_id).await?;
        v.suggestions
            .iter()
            .map(|s| SuggestionLine {
                person_id: s.person_id,
                label: people
                    .iter()
                    .find(|p| p.person.id == s.person_id)
                    .map(|p| p.person.label.clone())
                    .unwrap_or_else(|| s.person_id.to_string()),
                score: s.result.score,
                eligible: s.result.eligible,
                reasons: s.result.reasons_ja.clone(),
            })
            .collect()
    };
    let (status, error) = message(page, e);
    Ok((status, render(&NeedPage { chrome: page.chrome(), pool_id, v, suggestions, error })).into_response())
}

pub async fn need(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    need_page(&st, &page, &i.ctx, id, None).await
}

pub async fn need_withdraw(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match needs::withdraw(&st.db, &i.ctx, id).await {
        Ok(_) => Ok(see_other(&format!("/talent/needs/{id}"), page.lang.t("取り下げました", "Withdrawn"))),
        Err(e) if recoverable(&e) => need_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn need_assign(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<AssignInput>,
) -> AppResult<Response> {
    let (n, _) = needs::find(&st.db, &i.ctx, id).await?;
    let result = async {
        let form = AssignmentForm {
            person_id: num("person_id", "人材", "Person", &f.person_id)?,
            municipality_org_id: None,
            need_id: Some(id),
            mode: f.mode.clone(),
            weekdays: f.weekdays.clone(),
            date_from: f.date_from.clone(),
            date_to: f.date_to.clone(),
            hours_per_day: num("hours_per_day", "1日の時間", "Hours a day", &f.hours_per_day)?,
        };
        assignments::create(&st.db, &i.ctx, n.pool_id, &form).await
    }
    .await;
    match result {
        Ok(r) => {
            let mut msg = page.lang.t("派遣を登録しました（調整中）", "Assignment arranged (draft)").to_string();
            for w in &r.warnings {
                msg.push_str(&format!("　⚠ {w}"));
            }
            Ok(see_other(&format!("/talent/assignments/{}", r.row.assignment.id), &msg))
        }
        Err(e) if recoverable(&e) => need_page(&st, &page, &i.ctx, id, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn assignments_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (rows, _) = assignments::list(&st.db, &i.ctx, id).await?;
    Ok(render(&AssignmentsPage { chrome: page.chrome(), pool_id: id, rows }).into_response())
}

fn month_key(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

/// A month as officials write it (「令和7年9月」), ISO in English.
fn month_label(l: tabane_web::i18n::Lang, y: i32, m: u32) -> String {
    match NaiveDate::from_ymd_opt(y, m, 1) {
        Some(first) if !l.is_en() => {
            let w = crate::domain::wareki(first);
            w.strip_suffix("1日").map(str::to_string).unwrap_or(w)
        }
        _ => month_key(y, m),
    }
}

async fn assignment_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    month: &str,
    e: Option<Error>,
) -> AppResult<Response> {
    let v = assignments::view(&st.db, ctx, id, month).await?;
    let (y, m) = (v.month.year, v.month.month);
    let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let month_label = month_label(page.lang, y, m);
    let (status, error) = message(page, e);
    let p = AssignmentPage {
        chrome: page.chrome(),
        pool_id: v.row.assignment.pool_id,
        month_label,
        prev: month_key(py, pm),
        next: month_key(ny, nm),
        v,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn assignment(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<MonthParam>,
) -> AppResult<Response> {
    assignment_page(&st, &page, &i.ctx, id, &q.month, None).await
}

pub async fn assignment_confirm(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match assignments::confirm(&st.db, &i.ctx, id).await {
        Ok(_) => Ok(see_other(&format!("/talent/assignments/{id}"), page.lang.t("確定しました", "Confirmed"))),
        Err(e) if recoverable(&e) => assignment_page(&st, &page, &i.ctx, id, "", Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn visit_log(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<VisitInput>,
) -> AppResult<Response> {
    let result = match num("hours", "時間", "Hours", &f.hours) {
        Ok(hours) => {
            let form = VisitForm {
                visited_on: f.visited_on.clone(),
                hours,
                place: f.place.clone(),
                field: f.field.clone(),
                summary: f.summary.clone(),
            };
            visits::log(&st.db, &i.ctx, id, &form).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => Ok(see_other(
            &format!("/talent/assignments/{id}?month={}", month_key(v.visited_on.year(), v.visited_on.month())),
            page.lang.t("実績を記録しました", "Visit logged"),
        )),
        Err(e) if recoverable(&e) => {
            // Back on the month of the day typed, when it reads as a day.
            let month = f.visited_on.trim().get(..7).unwrap_or("").to_string();
            let mut p = tabane_core::error::Problems::default();
            let month = if assignments::parse_month(&mut p, &month).is_some() { month } else { String::new() };
            assignment_page(&st, &page, &i.ctx, id, &month, Some(e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn visit_confirm(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match visits::confirm(&st.db, &i.ctx, id).await {
        Ok(v) => Ok(see_other(
            &format!(
                "/talent/assignments/{}?month={}",
                v.assignment_id,
                month_key(v.visited_on.year(), v.visited_on.month())
            ),
            page.lang.t("実績を確認しました", "Visit confirmed"),
        )),
        Err(e) if recoverable(&e) => {
            let v = crate::entities::visit::Entity::find_by_id(id)
                .one(&st.db)
                .await
                .map_err(Error::from)?
                .ok_or(Error::NotFound)?;
            let month = month_key(v.visited_on.year(), v.visited_on.month());
            assignment_page(&st, &page, &i.ctx, v.assignment_id, &month, Some(e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn report(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<ReportParams>,
    fmt: Export,
    print: Print,
) -> AppResult<Response> {
    let a = access::pool(&st.db, &i.ctx, id).await?;
    let org = num::<i64>("org", "市町村", "Municipality", &q.org).ok().flatten();
    let month = if q.month.trim().is_empty() {
        let t = tabane_calendar::jst::today();
        month_key(t.year(), t.month())
    } else {
        q.month.trim().to_string()
    };
    let wanted = a.side == Side::Municipality || org.is_some();
    let (report, e) = if wanted {
        match visits::monthly_report(&st.db, &i.ctx, id, org, &month).await {
            Ok(r) => (Some(r), None),
            Err(e) if recoverable(&e) => (None, Some(e)),
            Err(e) => return Err(AppError(e)),
        }
    } else {
        (None, None)
    };
    let (headers, cells) = report.as_ref().map(visits::report_rows).unwrap_or_default();
    if let Some(r) = &report
        && (fmt.0.is_some() || print.0)
    {
        if let Export(Some(format)) = fmt {
            return file_response(format, "dispatch-report", "月別派遣実績表", &headers, cells);
        }
        let title = page.lang.t("月別派遣実績表", "Monthly dispatch report");
        let subtitle = format!("{}　{}", r.municipality, month_label(page.lang, r.year, r.month));
        let back =
            format!("/talent/pools/{id}/report?org={}&month={}", r.municipality_org_id, month_key(r.year, r.month));
        return Ok(print_response(page.lang, title, &subtitle, &back, &headers, cells));
    }
    let l = page.lang;
    let rows = cells
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| match c {
                    tabane_tabular::Cell::Date(d) => forms::day(l, d),
                    c => c.to_text(),
                })
                .collect()
        })
        .collect();
    let municipalities =
        if a.side == Side::Municipality { Vec::new() } else { forms::municipalities(&st, a.pool.bundle_id).await? };
    let (status, error) = message(&page, e);
    let p = ReportPage { chrome: page.chrome(), pool_id: id, municipalities, org, month, report, headers, rows, error };
    Ok((status, render(&p)).into_response())
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/talent/pools/{id}/needs", Tenant, "talent", "ニーズの一覧", needs_list),
        route!(post, "/talent/pools/{id}/needs", Tenant, "talent", "ニーズの登録（市町村）", need_create),
        route!(get, "/talent/needs/{id}", Tenant, "talent", "ニーズと候補（マッチング）", need),
        route!(post, "/talent/needs/{id}/withdraw", Tenant, "talent", "ニーズの取下げ", need_withdraw),
        route!(post, "/talent/needs/{id}/assign", Tenant, "talent", "ニーズへの派遣の調整（県）", need_assign),
        route!(get, "/talent/pools/{id}/assignments", Tenant, "talent", "派遣の一覧", assignments_list),
        route!(get, "/talent/assignments/{id}", Tenant, "talent", "派遣と月の予定・実績（?month=2025-09）", assignment),
        route!(post, "/talent/assignments/{id}/confirm", Tenant, "talent", "派遣の確定（県）", assignment_confirm),
        route!(post, "/talent/assignments/{id}/visits", Tenant, "talent", "派遣実績の記録", visit_log),
        route!(post, "/talent/visits/{id}/confirm", Tenant, "talent", "派遣実績の確認（市町村）", visit_confirm),
        route!(
            get,
            "/talent/pools/{id}/report",
            Tenant,
            "talent",
            "月別派遣実績表（?org=&month=、?format=xlsx・?print=1）",
            report
        ),
    ]
}
