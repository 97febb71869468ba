//! 募集の画面 (the prefecture's recruitment): the positions of a pool with the form to open one,
//! a position's pipeline board (a column per stage, each application with its stage history) with
//! the forms to add an application, move one a stage, edit the position and close it, and the
//! ジョブディスクリプション's print view (`?print=1`). Municipalities and companies get 404.

use super::forms::{self, message, ticked};
use super::recoverable;
use crate::domain::{Engagement, Kind, PositionStatus, RecruitChannel, Stage};
use crate::entities::application;
use crate::service::applications::{self, ApplicationForm, StageForm};
use crate::service::persons::{self, PersonRow};
use crate::service::recruitment::{self, CloseForm, PositionForm, PositionRow, PositionView};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use sea_orm::EntityTrait;
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_tabular::Cell;
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Print, print_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

/// 募集の登録・変更 as the form sends it (checkboxes present only when ticked).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PositionInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub job_description: String,
    #[serde(default)]
    pub engagement: String,
    #[serde(default)]
    pub types: String,
    #[serde(default)]
    pub conditions: String,
    #[serde(default)]
    pub channels: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
    #[serde(default)]
    pub step_issues: Option<String>,
    #[serde(default)]
    pub step_requirements: Option<String>,
    #[serde(default)]
    pub step_selection: Option<String>,
    #[serde(default)]
    pub step_onboarding: Option<String>,
}

impl PositionInput {
    fn form(&self) -> PositionForm {
        PositionForm {
            title: self.title.clone(),
            job_description: self.job_description.clone(),
            engagement: self.engagement.clone(),
            types: self.types.clone(),
            conditions: self.conditions.clone(),
            channels: self.channels.clone(),
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            step_issues: ticked(&self.step_issues),
            step_requirements: ticked(&self.step_requirements),
            step_selection: ticked(&self.step_selection),
            step_onboarding: ticked(&self.step_onboarding),
        }
    }

    /// The form filled with a position, for editing it.
    fn of(v: &PositionView) -> Self {
        let p = &v.row.position;
        let on = |b: bool| b.then(|| "1".to_string());
        let labels = |l: Vec<&str>| l.join(",");
        PositionInput {
            title: p.title.clone(),
            job_description: p.job_description.clone(),
            engagement: p.engagement.clone(),
            types: labels(v.row.types.iter().map(|k| k.label_ja()).collect()),
            conditions: p.conditions.clone(),
            channels: labels(v.row.channels.iter().map(|k| k.label_ja()).collect()),
            opens_on: p.opens_on.map(|d| d.to_string()).unwrap_or_default(),
            closes_on: p.closes_on.map(|d| d.to_string()).unwrap_or_default(),
            step_issues: on(p.step_issues),
            step_requirements: on(p.step_requirements),
            step_selection: on(p.step_selection),
            step_onboarding: on(p.step_onboarding),
        }
    }
}

/// 応募の登録 as the form sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ApplicationInput {
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub applied_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Template)]
#[template(path = "talent/positions.html")]
pub struct PositionsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<PositionRow>,
    pub may_write: bool,
    pub typed: PositionInput,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "talent/position.html")]
pub struct PositionPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub v: PositionView,
    pub may_write: bool,
    /// People of the pool who have not applied yet.
    pub candidates: Vec<PersonRow>,
    pub typed: PositionInput,
    pub error: Option<String>,
}

/// Choices the forms show.
pub trait Choices {
    fn lang(&self) -> tabane_web::i18n::Lang;
    fn kinds(&self) -> String {
        Kind::ALL.iter().map(|k| k.label_ja()).collect::<Vec<_>>().join("、")
    }
    fn channels_all(&self) -> String {
        RecruitChannel::ALL.iter().map(|k| k.label_ja()).collect::<Vec<_>>().join("、")
    }
    fn engagements(&self) -> &'static [Engagement] {
        Engagement::ALL
    }
    fn day(&self, d: &NaiveDate) -> String {
        forms::day(self.lang(), *d)
    }
    fn opt_day(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| forms::day(self.lang(), d)).unwrap_or_else(|| "—".into())
    }
}

impl Choices for PositionsPage {
    fn lang(&self) -> tabane_web::i18n::Lang {
        self.chrome.l
    }
}

impl Choices for PositionPage {
    fn lang(&self) -> tabane_web::i18n::Lang {
        self.chrome.l
    }
}

impl PositionsPage {
    pub fn stages(&self) -> &'static [Stage] {
        Stage::ALL
    }
    /// The shared form creates here.
    pub fn editing(&self) -> Option<i64> {
        None
    }
}

impl PositionPage {
    pub fn stages(&self) -> &'static [Stage] {
        Stage::ALL
    }
    /// The shared form edits this position.
    pub fn editing(&self) -> Option<i64> {
        Some(self.v.row.position.id)
    }
    /// A stage of the history in the reader's language.
    pub fn stage_label(&self, key: &str) -> &'static str {
        Stage::parse(key).map_or("", |s| s.label(self.chrome.l.is_en()))
    }
    pub fn open(&self) -> bool {
        self.v.row.status == PositionStatus::Open
    }
}

async fn positions_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    pool_id: i64,
    typed: PositionInput,
    e: Option<Error>,
) -> AppResult<Response> {
    let (rows, a) = recruitment::list(&st.db, ctx, pool_id).await?;
    let (status, error) = message(page, e);
    let may_write = a.require_prefecture_staff().is_ok();
    Ok((status, render(&PositionsPage { chrome: page.chrome(), pool_id, rows, may_write, typed, error }))
        .into_response())
}

pub async fn positions(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    positions_page(&st, &page, &i.ctx, id, PositionInput::default(), None).await
}

pub async fn position_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<PositionInput>,
) -> AppResult<Response> {
    match recruitment::create(&st.db, &i.ctx, id, &f.form()).await {
        Ok(v) => Ok(see_other(
            &format!("/talent/positions/{}", v.row.position.id),
            page.lang.t("募集を登録しました", "Position opened"),
        )),
        Err(e) if recoverable(&e) => positions_page(&st, &page, &i.ctx, id, f, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn position_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    typed: Option<PositionInput>,
    e: Option<Error>,
) -> AppResult<Response> {
    let v = recruitment::view(&st.db, ctx, id).await?;
    let (people, a) = persons::list(&st.db, ctx, v.row.position.pool_id).await?;
    let applied: Vec<i64> = v.applications.iter().map(|x| x.application.person_id).collect();
    let candidates = people.into_iter().filter(|p| !applied.contains(&p.person.id)).collect();
    let (status, error) = message(page, e);
    let p = PositionPage {
        chrome: page.chrome(),
        pool_id: v.row.position.pool_id,
        may_write: a.require_prefecture_staff().is_ok(),
        typed: typed.unwrap_or_else(|| PositionInput::of(&v)),
        v,
        candidates,
        error,
    };
    Ok((status, render(&p)).into_response())
}

/// The job description as rows of the print view.
fn print_rows(l: tabane_web::i18n::Lang, v: &PositionView) -> Vec<Vec<Cell>> {
    let p = &v.row.position;
    let join = |xs: Vec<&str>| xs.join("、");
    let period = format!(
        "{}〜{}",
        p.opens_on.map(|d| forms::day(l, d)).unwrap_or_default(),
        p.closes_on.map(|d| forms::day(l, d)).unwrap_or_default()
    );
    let mut rows = vec![
        ("募集名", p.title.clone()),
        ("ジョブディスクリプション", p.job_description.clone()),
        ("任用形態", v.row.engagement.map(|e| e.label_ja().to_string()).unwrap_or_default()),
        ("人材類型", join(v.row.types.iter().map(|k| k.label_ja()).collect())),
        ("勤務条件・待遇", p.conditions.clone()),
        ("募集方法", join(v.row.channels.iter().map(|k| k.label_ja()).collect())),
        ("募集期間", period),
        ("状態", v.row.status.label_ja().to_string()),
    ];
    for (i, s) in v.row.steps.iter().enumerate() {
        let mark = if s.done { "済" } else { "未了" };
        rows.push((["ステップ１", "ステップ２", "ステップ３", "ステップ４"][i], format!("{}: {mark}", s.name)));
    }
    rows.into_iter().map(|(k, v)| vec![Cell::Text(k.into()), Cell::Text(v)]).collect()
}

pub async fn position(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    print: Print,
) -> AppResult<Response> {
    if print.0 {
        let v = recruitment::view(&st.db, &i.ctx, id).await?;
        let title = page.lang.t("ジョブディスクリプション", "Job description");
        let back = format!("/talent/positions/{id}");
        let rows = print_rows(page.lang, &v);
        return Ok(print_response(page.lang, title, &v.row.position.title, &back, &["項目", "内容"], rows));
    }
    position_page(&st, &page, &i.ctx, id, None, None).await
}

pub async fn position_update(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<PositionInput>,
) -> AppResult<Response> {
    match recruitment::update(&st.db, &i.ctx, id, &f.form()).await {
        Ok(_) => {
            Ok(see_other(&format!("/talent/positions/{id}"), page.lang.t("募集を更新しました", "Position updated")))
        }
        Err(e) if recoverable(&e) => position_page(&st, &page, &i.ctx, id, Some(f), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn position_close(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> AppResult<Response> {
    match recruitment::close(&st.db, &i.ctx, id, &f).await {
        Ok(v) => Ok(see_other(&format!("/talent/positions/{id}"), v.row.status.label(page.lang.is_en()))),
        Err(e) if recoverable(&e) => position_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn application_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ApplicationInput>,
) -> AppResult<Response> {
    let form = forms::num::<i64>("person_id", "応募者", "Applicant", &f.person_id).map(|person_id| ApplicationForm {
        person_id,
        applied_on: f.applied_on.clone(),
        note: f.note.clone(),
    });
    let done = match form {
        Ok(form) => applications::apply(&st.db, &i.ctx, id, &form).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => {
            Ok(see_other(&format!("/talent/positions/{id}"), page.lang.t("応募を登録しました", "Application added")))
        }
        Err(e) if recoverable(&e) => position_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn application_stage(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<StageForm>,
) -> AppResult<Response> {
    match applications::move_stage(&st.db, &i.ctx, id, &f).await {
        Ok(m) => {
            let mut msg = format!("{}: {}", m.application.person_label, m.application.stage.label(page.lang.is_en()));
            for w in &m.warnings {
                msg.push_str(&format!("（{w}）"));
            }
            Ok(see_other(&format!("/talent/positions/{}", m.application.application.position_id), &msg))
        }
        Err(e) if recoverable(&e) => {
            // The board the form was on (the service already checked the actor may see it).
            let app =
                application::Entity::find_by_id(id).one(&st.db).await.map_err(Error::from)?.ok_or(Error::NotFound)?;
            position_page(&st, &page, &i.ctx, app.position_id, None, Some(e)).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/talent/pools/{id}/positions", Tenant, "talent", "募集の一覧（県）", positions),
        route!(post, "/talent/pools/{id}/positions", Tenant, "talent", "募集の登録（県）", position_create),
        route!(
            get,
            "/talent/positions/{id}",
            Tenant,
            "talent",
            "募集と選考状況（県、?print=1 でジョブディスクリプション）",
            position
        ),
        route!(post, "/talent/positions/{id}/update", Tenant, "talent", "募集の変更（県）", position_update),
        route!(post, "/talent/positions/{id}/close", Tenant, "talent", "募集の終了（県）", position_close),
        route!(post, "/talent/positions/{id}/applications", Tenant, "talent", "応募の登録（県）", application_create),
        route!(post, "/talent/applications/{id}/stage", Tenant, "talent", "選考段階の変更（県）", application_stage),
    ]
}
