//! 会議 pages: the series the organisation runs or takes part in with the coming meetings, a
//! series (its rules in words, its meetings, a new meeting, the calendar feed), one meeting
//! (date, participants, agenda, documents, decisions and action items, moving and cancelling),
//! its printable agenda (A4) and its `.ics`.

use crate::error::{AppError, AppResult};
use crate::filters;
use crate::flash::see_other;
use crate::middleware::{Auth, Page};
use crate::module::AgendaProviders;
use crate::state::Shared;
use crate::views::{Chrome, Rendered, render};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use tabane_core::entities::{bundle, meeting, meeting_series, organisation};
use tabane_core::error::FieldProblem;
use tabane_core::service::bundles;
use tabane_core::service::meetings::{
    self as mt, ActionForm, AgendaForm, CancelForm, DueAdjust, MeetingForm, MeetingView, SeriesForm, SeriesView,
};
use tabane_core::{Ctx, Error};

#[derive(Template)]
#[template(path = "meetings_list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub series: Vec<meeting_series::Model>,
    pub upcoming: Vec<meeting::Model>,
    pub bundles: Vec<bundle::Model>,
    pub form: SeriesForm,
    pub problems: Vec<FieldProblem>,
    /// Staff of the acting organisation may create a series.
    pub can_create: bool,
}

impl ListPage {
    pub fn kinds(&self) -> &'static [&'static str] {
        mt::KINDS
    }
    pub fn adjusts(&self) -> &'static [DueAdjust] {
        DueAdjust::ALL
    }
    pub fn series_title(&self, id: &i64) -> &str {
        self.series.iter().find(|s| s.id == *id).map(|s| s.title.as_str()).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "meeting_series.html")]
pub struct SeriesPage {
    pub chrome: Chrome,
    pub view: SeriesView,
    /// Organisations that may take part (the bundle's members in force, or the organisation).
    pub orgs: Vec<(i64, String)>,
    pub form: MeetingForm,
    pub problems: Vec<FieldProblem>,
    /// A calendar feed address just issued (shown once).
    pub feed_url: Option<String>,
}

#[derive(Template)]
#[template(path = "meeting_show.html")]
pub struct MeetingPage {
    pub chrome: Chrome,
    pub view: MeetingView,
    pub orgs: Vec<(i64, String)>,
    pub form: MeetingForm,
    pub problems: Vec<FieldProblem>,
}

impl MeetingPage {
    pub fn takes_part(&self, org: &i64) -> bool {
        self.form.participant_org_ids.contains(org)
    }
    /// A document's rule in words (「会議の7日前（営業日でない場合は前営業日）」).
    pub fn rule_text(&self, materials: bool) -> String {
        let s = &self.view.series;
        let (materials_adjust, minutes_adjust) = mt::adjusts(s);
        if materials {
            mt::rule_ja(&s.materials_rule, materials_adjust)
        } else {
            mt::rule_ja(&s.minutes_rule, minutes_adjust)
        }
    }
    pub fn role_label(&self, role: &str) -> &'static str {
        match (role, self.chrome.l.is_en()) {
            ("materials", false) => "会議資料",
            ("materials", true) => "Materials",
            (_, false) => "議事録",
            (_, true) => "Minutes",
        }
    }
}

#[derive(Template)]
#[template(path = "meeting_agenda.html")]
pub struct AgendaPrint {
    pub chrome: Chrome,
    pub view: MeetingView,
}

/// The path of a secret calendar feed.
pub fn feed_path(token: &str) -> String {
    format!("/meetings/feeds/{token}.ics")
}

/// Bad input and a step that does not fit the meeting's state are shown on the page again;
/// anything else (not allowed, not found) is the error page.
fn recoverable(e: &Error) -> bool {
    matches!(e, Error::Invalid(_) | Error::Conflict(_))
}

fn problems_of(e: Error) -> Result<Vec<FieldProblem>, AppError> {
    match e {
        Error::Invalid(p) => Ok(p),
        Error::Conflict(m) => Ok(vec![FieldProblem::new("", "", "", m.ja, m.en)]),
        e => Err(AppError(e)),
    }
}

/// A meeting form from an HTML form body: repeated `participant_org_ids` checkboxes.
fn meeting_form(body: &[u8]) -> MeetingForm {
    let mut f = MeetingForm::default();
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "title" => f.title = v.into_owned(),
            "date" => f.date = v.into_owned(),
            "start_time" => f.start_time = v.into_owned(),
            "end_time" => f.end_time = v.into_owned(),
            "place" => f.place = v.into_owned(),
            "online_url" => f.online_url = v.into_owned(),
            "participant_org_ids" => f.participant_org_ids.extend(v.trim().parse::<i64>().ok()),
            "participant_user_ids" => f.participant_user_ids.extend(v.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    f
}

/// The organisations that may take part in a series' meetings, with their names.
async fn participant_choices(st: &Shared, s: &meeting_series::Model) -> tabane_core::Result<Vec<(i64, String)>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids = mt::series_orgs(&st.db, s).await?;
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(ids.clone())).all(&st.db).await?;
    Ok(ids.into_iter().filter_map(|i| orgs.iter().find(|o| o.id == i).map(|o| (i, o.name.clone()))).collect())
}

/// A new meeting with the registered modules' agenda items (HTML and JSON).
pub async fn create_with_agenda(
    st: &Shared,
    ctx: &Ctx,
    agenda: &AgendaProviders,
    series_id: i64,
    f: &MeetingForm,
) -> tabane_core::Result<meeting::Model> {
    // The series is read once here for its bundle; `create` checks who may add a meeting.
    let s = mt::series(&st.db, ctx, series_id).await?;
    let day = tabane_calendar::parse_date(&f.date).unwrap_or_else(|_| tabane_calendar::jst::today());
    let items = agenda.items(&st.db, ctx, s.bundle_id, day).await?;
    mt::create(&st.db, ctx, series_id, f, &items).await
}

async fn list_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    form: SeriesForm,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let p = ListPage {
        chrome: page.chrome(),
        series: mt::list(&st.db, ctx).await?,
        upcoming: mt::upcoming(&st.db, ctx, tabane_calendar::jst::today()).await?,
        bundles: bundles::list(&st.db, ctx).await?,
        form,
        problems,
        can_create: tabane_core::policy::can_register_deliverable(ctx).is_ok(),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    list_page(&st, &page, &i.ctx, SeriesForm { adjust: "prev".into(), ..Default::default() }, vec![]).await
}

pub async fn series_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<SeriesForm>,
) -> AppResult<Response> {
    match mt::create_series(&st.db, &i.ctx, &f).await {
        Ok(s) => Ok(see_other(&format!("/meetings/series/{}", s.id), "会議体を登録しました")),
        Err(e) if recoverable(&e) => list_page(&st, &page, &i.ctx, f, problems_of(e)?).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn series_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    form: MeetingForm,
    problems: Vec<FieldProblem>,
    feed_url: Option<String>,
) -> AppResult<Response> {
    let view = mt::get_series(&st.db, ctx, id).await?;
    let orgs = participant_choices(st, &view.series).await?;
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&SeriesPage { chrome: page.chrome(), view, orgs, form, problems, feed_url })).into_response())
}

pub async fn series_show(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    series_page(&st, &page, &i.ctx, id, MeetingForm::default(), vec![], None).await
}

pub async fn meeting_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Extension(agenda): Extension<AgendaProviders>,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let f = meeting_form(&body);
    match create_with_agenda(&st, &i.ctx, &agenda, id, &f).await {
        Ok(m) => Ok(see_other(&format!("/meetings/{}", m.id), "会議を登録しました")),
        Err(e) if recoverable(&e) => series_page(&st, &page, &i.ctx, id, f, problems_of(e)?, None).await,
        Err(e) => Err(AppError(e)),
    }
}

/// 購読用URL: issued and shown once (a POST that renders: the secret never travels in a cookie).
pub async fn feed_create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let token = mt::ical::create_feed(&st.db, &i.ctx, id).await?;
    series_page(&st, &page, &i.ctx, id, MeetingForm::default(), vec![], Some(feed_path(&token))).await
}

fn ics(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

pub async fn series_ics(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(ics(&format!("series-{id}.ics"), mt::ical::series_ics(&st.db, &i.ctx, id).await?))
}

pub async fn meeting_ics(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(ics(&format!("meeting-{id}.ics"), mt::ical::meeting_ics(&st.db, &i.ctx, id).await?))
}

/// The secret feed (`/meetings/feeds/<token>.ics`): no session; the token is the key.
pub async fn feed(State(st): State<Shared>, Path(file): Path<String>) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError(Error::NotFound))?;
    Ok(ics("tabane.ics", mt::ical::feed(&st.db, token).await?))
}

fn form_of(v: &MeetingView) -> MeetingForm {
    let at = |t| tabane_calendar::jst::at(t);
    MeetingForm {
        title: v.meeting.title.clone(),
        date: at(v.meeting.starts_at).format("%Y-%m-%d").to_string(),
        start_time: at(v.meeting.starts_at).format("%H:%M").to_string(),
        end_time: at(v.meeting.ends_at).format("%H:%M").to_string(),
        place: v.meeting.place.clone().unwrap_or_default(),
        online_url: v.meeting.online_url.clone().unwrap_or_default(),
        participant_org_ids: v.participant_orgs.iter().map(|(o, _)| *o).collect(),
        participant_user_ids: v.participant_users.iter().map(|(u, _)| *u).collect(),
    }
}

async fn meeting_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    form: Option<MeetingForm>,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let view = mt::get(&st.db, ctx, id).await?;
    let orgs = participant_choices(st, &view.series).await?;
    let form = form.unwrap_or_else(|| form_of(&view));
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&MeetingPage { chrome: page.chrome(), view, orgs, form, problems })).into_response())
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    meeting_page(&st, &page, &i.ctx, id, None, vec![]).await
}

/// After a step on a meeting: 303 back to it with a message, or the page again with the problems.
async fn after(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    r: tabane_core::Result<()>,
    ok: &str,
    form: Option<MeetingForm>,
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(see_other(&format!("/meetings/{id}"), ok)),
        Err(e) if recoverable(&e) => meeting_page(st, page, ctx, id, form, problems_of(e)?).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn update(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let f = meeting_form(&body);
    let r = mt::update(&st.db, &i.ctx, id, &f).await.map(|_| ());
    after(&st, &page, &i.ctx, id, r, "日程を変更しました（提出期限も更新しました）", Some(f)).await
}

pub async fn cancel(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<CancelForm>,
) -> AppResult<Response> {
    let r = mt::cancel(&st.db, &i.ctx, id, &f).await.map(|_| ());
    after(&st, &page, &i.ctx, id, r, "会議を中止しました（資料・議事録の提出回は取り消しました）", None).await
}

pub async fn agenda_add(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<AgendaForm>,
) -> AppResult<Response> {
    let r = mt::add_agenda_item(&st.db, &i.ctx, id, &f).await.map(|_| ());
    after(&st, &page, &i.ctx, id, r, "議題を追加しました", None).await
}

pub async fn action_add(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    let r = mt::add_action(&st.db, &i.ctx, id, &f).await.map(|_| ());
    after(&st, &page, &i.ctx, id, r, "記録しました", None).await
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct StatusFields {
    #[serde(default)]
    status: String,
}

pub async fn action_status(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<StatusFields>,
) -> AppResult<Response> {
    match mt::set_action_status(&st.db, &i.ctx, id, &f.status).await {
        Ok(a) => Ok(see_other(&format!("/meetings/{}", a.meeting_id), "宿題の状況を更新しました")),
        Err(e) => Err(AppError(e)),
    }
}

/// The agenda to print (A4), without the site's navigation.
pub async fn agenda_print(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Rendered> {
    Ok(render(&AgendaPrint { chrome: page.chrome(), view: mt::get(&st.db, &i.ctx, id).await? }))
}

/// The meetings component's routes, HTML and JSON twins together.
pub(crate) fn routes() -> Vec<crate::routes::RouteDef> {
    use crate::api::meetings as api;
    use crate::{api_route, route};
    vec![
        route!(get, "/meetings", Tenant, "meetings", "会議（会議体と今後の会議）", list),
        route!(post, "/meetings/series", Tenant, "meetings", "会議体の登録", series_create),
        route!(get, "/meetings/series/{id}", Tenant, "meetings", "会議体（期限ルール・会議の一覧・登録）", series_show),
        route!(post, "/meetings/series/{id}/meetings", Tenant, "meetings", "会議の登録", meeting_create),
        route!(post, "/meetings/series/{id}/feed", Tenant, "meetings", "カレンダー購読用URLの発行", feed_create),
        route!(get, "/meetings/series/{id}/calendar.ics", Tenant, "meetings", "会議体の iCalendar", series_ics),
        route!(get, "/meetings/{id}", Tenant, "meetings", "会議（議題・資料・議事録・決定事項・宿題）", show),
        route!(post, "/meetings/{id}", Tenant, "meetings", "日程の変更（提出期限も更新）", update),
        route!(post, "/meetings/{id}/cancel", Tenant, "meetings", "会議の中止（提出回を取消）", cancel),
        route!(post, "/meetings/{id}/agenda", Tenant, "meetings", "議題の追加", agenda_add),
        route!(post, "/meetings/{id}/actions", Tenant, "meetings", "決定事項・宿題の記録", action_add),
        route!(post, "/meetings/actions/{id}", Tenant, "meetings", "宿題の状況", action_status),
        route!(get, "/meetings/{id}/print", Tenant, "meetings", "次第（印刷用 A4）", agenda_print),
        route!(get, "/meetings/{id}/meeting.ics", Tenant, "meetings", "会議の iCalendar", meeting_ics),
        // The secret feed: calendar programs fetch it without a session; the token is the key.
        route!(get, "/meetings/feeds/{file}", Public, "meetings", "会議体の購読用カレンダー（秘密のURL）", feed)
            .external(),
        api_route!(get, "/api/meetings/series", Tenant, "meetings", "会議体の一覧", api::series_list),
        api_route!(
            post,
            "/api/meetings/series",
            Tenant,
            "meetings",
            "会議体の登録（資料 -7d・議事録 +7d、adjust）",
            api::series_create
        ),
        api_route!(get, "/api/meetings/series/{id}", Tenant, "meetings", "会議体と会議の一覧", api::series_get),
        api_route!(post, "/api/meetings/series/{id}/meetings", Tenant, "meetings", "会議の登録", api::meeting_create),
        api_route!(
            post,
            "/api/meetings/series/{id}/feed",
            Tenant,
            "meetings",
            "カレンダー購読用URLの発行",
            api::feed_create
        ),
        api_route!(get, "/api/meetings/{id}", Tenant, "meetings", "会議", api::meeting_get),
        api_route!(put, "/api/meetings/{id}", Tenant, "meetings", "日程の変更（提出期限も更新）", api::meeting_update),
        api_route!(post, "/api/meetings/{id}/cancel", Tenant, "meetings", "会議の中止", api::meeting_cancel),
        api_route!(post, "/api/meetings/{id}/agenda", Tenant, "meetings", "議題の追加", api::agenda_add),
        api_route!(post, "/api/meetings/{id}/actions", Tenant, "meetings", "決定事項・宿題の記録", api::action_add),
        api_route!(
            put,
            "/api/meetings/actions/{id}",
            Tenant,
            "meetings",
            "宿題の状況（done / open）",
            api::action_status
        ),
    ]
}
