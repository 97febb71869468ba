//! アドバイザーと財政措置の画面: advisor sessions with their yearly counters (a session over the
//! quota asks for 例外理由 before anything is written), and the 特別交付税 sheets: the list, one
//! sheet with each line's 対象経費 and reason, 措置額 and the 普通交付税（目安）, its lines, 年度 and
//! 確定, with the xlsx and print forms.

use super::forms::{self, amounts, message, num, ticked};
use super::recoverable;
use crate::domain::{AdvisorProgram, Field, GrantMeasure, Place};
use crate::entities::grant_line;
use crate::service::access::Side;
use crate::service::advisors::{self, AdvisorForm, AdvisorSummary};
use crate::service::grants::{self, LINE_KINDS, LineForm, SheetForm, SheetView};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Response};
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
#[template(path = "talent/advisors.html")]
pub struct AdvisorsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<AdvisorSummary>,
    pub may_write: bool,
    pub municipalities: Vec<(i64, String)>,
    pub typed: AdvisorInput,
    /// The quota's warnings when the session needs 例外理由 (nothing written yet).
    pub warnings: Vec<String>,
    pub needs_reason: bool,
    pub counter: Option<String>,
    pub error: Option<String>,
}

impl AdvisorsPage {
    pub fn programs(&self) -> &'static [AdvisorProgram] {
        AdvisorProgram::ALL
    }
    pub fn places(&self) -> &'static [Place] {
        Place::ALL
    }
    pub fn field_choices(&self) -> String {
        Field::ALL.iter().map(|f| f.label_ja()).collect::<Vec<_>>().join("、")
    }
    pub fn program(&self, key: &str) -> String {
        let en = self.chrome.l.is_en();
        AdvisorProgram::parse(key).map(|p| p.label_in(en).to_string()).unwrap_or_else(|| key.to_string())
    }
    pub fn place(&self, key: &str) -> String {
        Place::parse(key).map(|p| p.label_in(self.chrome.l.is_en()).to_string()).unwrap_or_else(|| key.to_string())
    }
    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        forms::day(self.chrome.l, *d)
    }
    pub fn fy(&self, y: &i32) -> String {
        forms::fiscal_year(self.chrome.l, *y)
    }
    pub fn hours(&self, minutes: &i32) -> String {
        format!("{:.2}", f64::from(*minutes) / 60.0)
    }
    pub fn chosen(&self, id: &i64) -> bool {
        self.typed.org_id.trim() == id.to_string()
    }
}

/// アドバイザー派遣の記録 as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AdvisorInput {
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub visited_on: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub advisor_label: String,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub exception_reason: String,
}

impl AdvisorInput {
    fn form(&self) -> Result<AdvisorForm, Error> {
        Ok(AdvisorForm {
            org_id: num("org_id", "市町村", "Municipality", &self.org_id)?,
            program: self.program.clone(),
            visited_on: self.visited_on.clone(),
            mode: self.mode.clone(),
            hours: num("hours", "時間", "Hours", &self.hours)?,
            advisor_label: self.advisor_label.clone(),
            fields: self.fields.clone(),
            exception_reason: self.exception_reason.clone(),
        })
    }
}

/// What the advisors page shows besides the list.
#[derive(Default)]
struct AdvisorState {
    typed: AdvisorInput,
    warnings: Vec<String>,
    needs_reason: bool,
    counter: Option<String>,
    error: Option<Error>,
}

async fn advisors_page(st: &Shared, page: &Page, ctx: &Ctx, pool_id: i64, s: AdvisorState) -> AppResult<Response> {
    let rows = advisors::list(&st.db, ctx, pool_id).await?;
    let a = crate::service::access::pool(&st.db, ctx, pool_id).await?;
    let municipalities =
        if a.side == Side::Prefecture { forms::municipalities(st, a.pool.bundle_id).await? } else { Vec::new() };
    let (status, error) = message(page, s.error);
    let p = AdvisorsPage {
        chrome: page.chrome(),
        pool_id,
        rows,
        may_write: a.staff && a.side != Side::Company,
        municipalities,
        typed: s.typed,
        warnings: s.warnings,
        needs_reason: s.needs_reason,
        counter: s.counter,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn advisors_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    advisors_page(&st, &page, &i.ctx, id, AdvisorState::default()).await
}

pub async fn advisor_record(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<AdvisorInput>,
) -> AppResult<Response> {
    let result = match f.form() {
        Ok(form) => advisors::record(&st.db, &i.ctx, id, &form).await,
        Err(e) => Err(e),
    };
    match result {
        // Over the quota without a reason: nothing written; the form again with the warnings.
        Ok(r) if r.needs_exception_reason => {
            let s = AdvisorState {
                typed: f,
                warnings: r.warnings,
                needs_reason: true,
                counter: Some(r.counter),
                error: None,
            };
            advisors_page(&st, &page, &i.ctx, id, s).await
        }
        Ok(r) => {
            let mut msg = format!("{}（{}）", page.lang.t("記録しました", "Recorded"), r.counter);
            for w in &r.warnings {
                msg.push_str(&format!("　⚠ {w}"));
            }
            Ok(see_other(&format!("/talent/pools/{id}/advisors"), &msg))
        }
        Err(e) if recoverable(&e) => {
            advisors_page(&st, &page, &i.ctx, id, AdvisorState { typed: f, error: Some(e), ..Default::default() }).await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Template)]
#[template(path = "talent/grants.html")]
pub struct GrantsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<SheetView>,
    pub may_write: bool,
    pub municipalities: Vec<(i64, String)>,
    pub typed: SheetInput,
    pub error: Option<String>,
}

impl GrantsPage {
    pub fn measures(&self) -> &'static [GrantMeasure] {
        GrantMeasure::ALL
    }
    pub fn fy(&self, y: &i32) -> String {
        forms::fiscal_year(self.chrome.l, *y)
    }
    pub fn this_year(&self) -> i32 {
        tabane_calendar::FiscalYear::of(tabane_calendar::jst::today()).0
    }
}

/// 試算の作成・年度の変更 as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SheetInput {
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub fiscal_year: String,
    #[serde(default)]
    pub rounding: String,
}

impl SheetInput {
    fn form(&self) -> Result<SheetForm, Error> {
        Ok(SheetForm {
            org_id: num("org_id", "団体", "Organisation", &self.org_id)?,
            measure: self.measure.clone(),
            fiscal_year: num("fiscal_year", "年度", "Fiscal year", &self.fiscal_year)?,
            rounding: self.rounding.clone(),
            ..Default::default()
        })
    }
}

async fn grants_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    pool_id: i64,
    typed: SheetInput,
    e: Option<Error>,
) -> AppResult<Response> {
    let (rows, a) = grants::list(&st.db, ctx, pool_id).await?;
    let municipalities =
        if a.side == Side::Prefecture { forms::municipalities(st, a.pool.bundle_id).await? } else { Vec::new() };
    let (status, error) = message(page, e);
    let p = GrantsPage {
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

pub async fn grants_list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    grants_page(&st, &page, &i.ctx, id, SheetInput::default(), None).await
}

pub async fn grant_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<SheetInput>,
) -> AppResult<Response> {
    let result = match f.form() {
        Ok(form) => grants::create(&st.db, &i.ctx, id, &form).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => Ok(see_other(&format!("/talent/grants/{}", v.sheet.id), page.lang.t("作成しました", "Created"))),
        Err(e) if recoverable(&e) => grants_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

/// One line of a sheet with its result (the same order as the stored lines).
pub struct LineView {
    pub id: i64,
    pub label: String,
    pub requested: i64,
    pub eligible: i64,
    pub reason: String,
    pub needs_review: bool,
}

#[derive(Template)]
#[template(path = "talent/grant.html")]
pub struct GrantPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub v: SheetView,
    pub lines: Vec<LineView>,
    pub year: String,
    pub typed: LineInput,
    pub error: Option<String>,
}

impl GrantPage {
    pub fn kinds(&self) -> &'static [(&'static str, &'static str)] {
        LINE_KINDS
    }
    pub fn thousand(&self) -> bool {
        self.v.sheet.rounding == "thousand"
    }
}

/// 経費の行 as the form sends it: amounts as text, each flag present only when ticked.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LineInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub per_person: String,
    #[serde(default)]
    pub persons_covered: String,
    #[serde(default)]
    pub contributions_received: String,
    #[serde(default)]
    pub apportion_percent: String,
    #[serde(default)]
    pub apportion_basis: String,
    #[serde(default)]
    pub full_time: Option<String>,
    #[serde(default)]
    pub accelerator: Option<String>,
    #[serde(default)]
    pub main_duty_municipal_support: Option<String>,
    #[serde(default)]
    pub designated_leader: Option<String>,
    #[serde(default)]
    pub in_programme: Option<String>,
    #[serde(default)]
    pub broad_staff: Option<String>,
    #[serde(default)]
    pub elementary_exam: Option<String>,
    #[serde(default)]
    pub advisory_duties: Option<String>,
    #[serde(default)]
    pub planning_only: Option<String>,
    #[serde(default)]
    pub selected: Option<String>,
}

impl LineInput {
    fn form(&self) -> Result<LineForm, Error> {
        Ok(LineForm {
            label: self.label.clone(),
            kind: self.kind.clone(),
            amount: num("amount", "計上額", "Amount", &self.amount)?,
            per_person: amounts("per_person", "1人ごとの額", "Amounts per person", &self.per_person)?,
            persons_covered: num("persons_covered", "人数", "Persons", &self.persons_covered)?,
            full_time: ticked(&self.full_time),
            accelerator: ticked(&self.accelerator),
            main_duty_municipal_support: Some(ticked(&self.main_duty_municipal_support)),
            contributions_received: num(
                "contributions_received",
                "市町村からの負担金",
                "Contributions received",
                &self.contributions_received,
            )?,
            designated_leader: ticked(&self.designated_leader),
            in_programme: Some(ticked(&self.in_programme)),
            broad_staff: ticked(&self.broad_staff),
            elementary_exam: ticked(&self.elementary_exam),
            advisory_duties: Some(ticked(&self.advisory_duties)),
            planning_only: ticked(&self.planning_only),
            apportion_percent: num("apportion_percent", "按分率", "Apportionment", &self.apportion_percent)?,
            apportion_basis: self.apportion_basis.clone(),
            selected: Some(ticked(&self.selected)),
        })
    }

    /// The form as first shown: the flags that default to yes are ticked.
    fn first() -> LineInput {
        let yes = Some("1".to_string());
        LineInput {
            main_duty_municipal_support: yes.clone(),
            in_programme: yes.clone(),
            advisory_duties: yes.clone(),
            selected: yes,
            ..Default::default()
        }
    }
}

async fn grant_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    typed: LineInput,
    e: Option<Error>,
) -> AppResult<Response> {
    let v = grants::view(&st.db, ctx, id).await?;
    let lines = v
        .lines
        .iter()
        .zip(v.result.lines.iter())
        .map(|(m, r)| LineView {
            id: m.id,
            label: r.label.clone(),
            requested: r.requested,
            eligible: r.eligible,
            reason: r.reason_ja.clone(),
            needs_review: r.needs_review,
        })
        .collect();
    let (status, error) = message(page, e);
    let p = GrantPage {
        chrome: page.chrome(),
        pool_id: v.sheet.pool_id,
        year: forms::fiscal_year(page.lang, v.sheet.fiscal_year),
        lines,
        v,
        typed,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn grant(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
    print: Print,
) -> AppResult<Response> {
    if fmt.0.is_some() || print.0 {
        let v = grants::view(&st.db, &i.ctx, id).await?;
        let (headers, rows) = grants::sheet_rows(&v);
        if let Export(Some(format)) = fmt {
            return file_response(format, "grant-sheet", "財政措置の試算", &headers, rows);
        }
        let title = page.lang.t("財政措置の試算", "Grant sheet");
        let subtitle = format!(
            "{}　{}　{}",
            v.organisation,
            v.measure.label_ja(),
            tabane_calendar::FiscalYear(v.sheet.fiscal_year).label_ja()
        );
        return Ok(print_response(page.lang, title, &subtitle, &format!("/talent/grants/{id}"), &headers, rows));
    }
    grant_page(&st, &page, &i.ctx, id, LineInput::first(), None).await
}

pub async fn grant_line_add(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<LineInput>,
) -> AppResult<Response> {
    let result = match f.form() {
        Ok(form) => grants::add_line(&st.db, &i.ctx, id, &form).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/talent/grants/{id}"), page.lang.t("行を追加しました", "Line added"))),
        Err(e) if recoverable(&e) => grant_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn grant_line_delete(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match grants::delete_line(&st.db, &i.ctx, id).await {
        Ok(v) => {
            Ok(see_other(&format!("/talent/grants/{}", v.sheet.id), page.lang.t("行を削除しました", "Line deleted")))
        }
        Err(e) if recoverable(&e) => {
            let line =
                grant_line::Entity::find_by_id(id).one(&st.db).await.map_err(Error::from)?.ok_or(Error::NotFound)?;
            grant_page(&st, &page, &i.ctx, line.sheet_id, LineInput::first(), Some(e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn grant_settings(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<SheetInput>,
) -> AppResult<Response> {
    let result = match f.form() {
        Ok(form) => grants::update(&st.db, &i.ctx, id, &form).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/talent/grants/{id}"), page.lang.t("保存しました", "Saved"))),
        Err(e) if recoverable(&e) => grant_page(&st, &page, &i.ctx, id, LineInput::first(), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn grant_fix(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match grants::fix(&st.db, &i.ctx, id).await {
        Ok(_) => Ok(see_other(&format!("/talent/grants/{id}"), page.lang.t("確定しました", "Fixed"))),
        Err(e) if recoverable(&e) => grant_page(&st, &page, &i.ctx, id, LineInput::first(), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/talent/pools/{id}/advisors", Tenant, "talent", "アドバイザー派遣実績", advisors_list),
        route!(
            post,
            "/talent/pools/{id}/advisors",
            Tenant,
            "talent",
            "アドバイザー派遣の記録（年度の回数を確認）",
            advisor_record
        ),
        route!(get, "/talent/pools/{id}/grants", Tenant, "talent", "財政措置の試算の一覧", grants_list),
        route!(post, "/talent/pools/{id}/grants", Tenant, "talent", "試算の作成", grant_create),
        route!(
            get,
            "/talent/grants/{id}",
            Tenant,
            "talent",
            "試算（各行の理由と措置額、?format=xlsx・?print=1）",
            grant
        ),
        route!(post, "/talent/grants/{id}/lines", Tenant, "talent", "経費の行の追加", grant_line_add),
        route!(post, "/talent/grant-lines/{id}/delete", Tenant, "talent", "経費の行の削除", grant_line_delete),
        route!(post, "/talent/grants/{id}/settings", Tenant, "talent", "試算の年度・端数処理の変更", grant_settings),
        route!(post, "/talent/grants/{id}/fix", Tenant, "talent", "試算の確定", grant_fix),
    ]
}
