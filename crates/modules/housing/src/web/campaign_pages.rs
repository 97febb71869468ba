//! 事業の画面 (campaign pages): dates and the prefecture's amounts, and destination buildings.

use crate::domain::Classification;
use crate::service::campaigns::{self, CampaignForm, Fee, FeeTable};
use crate::service::units::{self, NewDestination};
use crate::web::answers::{BuildingAdded, CampaignDetail, CampaignRow, Campaigns, Units};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use tabane_core::{Ctx, Error};
use tabane_web::api::answers::CreatedId;
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

pub const BANDS: [&str; 3] = ["1", "2", "3+"];

#[derive(Template)]
#[template(path = "housing/campaigns.html")]
pub struct CampaignsPage {
    pub chrome: Chrome,
    pub rows: Vec<(crate::entities::campaign::Model, String)>,
    pub estates: Vec<(i64, String)>,
    pub error: Option<String>,
}

async fn list_page(st: &Shared, page: &Page, ctx: &Ctx, error: Option<Error>) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let rows = campaigns::list(&st.db, ctx).await?.into_iter().map(|(c, a)| (c, a.estate.name)).collect();
    let estates = crate::service::estates::list(&st.db, ctx)
        .await?
        .into_iter()
        .filter(|a| a.require_owner_staff().is_ok())
        .map(|a| (a.estate.id, a.estate.name))
        .collect();
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((status, render(&CampaignsPage { chrome: page.chrome(), rows, estates, error })).into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    list_page(&st, &page, &i.ctx, None).await
}

pub async fn api_list(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Campaigns>> {
    let campaigns = campaigns::list(&st.db, &i.ctx)
        .await?
        .into_iter()
        .map(|(c, _)| CampaignRow { id: c.id, estate_id: c.estate_id, name: c.name })
        .collect();
    Ok(Json(Campaigns { campaigns }))
}

fn date(m: &HashMap<String, String>, k: &str, ja: &str) -> Result<Option<chrono::NaiveDate>, Error> {
    match m.get(k).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => tabane_calendar::parse_date(s)
            .map(Some)
            .map_err(|_| Error::invalid(k, ja, k, "を日付で入力してください", "must be a date")),
    }
}

/// The HTML form: dates plus one moving fee and movables amount per classification and band.
fn form_of(m: &HashMap<String, String>) -> Result<CampaignForm, Error> {
    let mut fees = Vec::new();
    for c in Classification::ALL {
        for b in BANDS {
            let get = |what: &str| {
                m.get(&format!("fee_{}_{}_{}", c.key(), b, what))
                    .map(|s| s.trim().replace(',', ""))
                    .filter(|s| !s.is_empty())
            };
            match (get("moving"), get("movables")) {
                (None, None) => {}
                (Some(mv), Some(md)) => {
                    let (Ok(moving_fee), Ok(movables)) = (mv.parse::<i64>(), md.parse::<i64>()) else {
                        return Err(Error::invalid(
                            "fees",
                            "移転料",
                            "Fees",
                            format!("{}（{}人）：金額は円の整数で入力してください", c.label_ja(), b),
                            "amounts must be whole yen",
                        ));
                    };
                    fees.push(Fee { class: *c, band: b.into(), moving_fee, movables });
                }
                _ => {
                    return Err(Error::invalid(
                        "fees",
                        "移転料",
                        "Fees",
                        format!("{}（{}人）：移転料と動産移転相当額の両方を入力してください", c.label_ja(), b),
                        "enter both amounts",
                    ));
                }
            }
        }
    }
    Ok(CampaignForm {
        name: m.get("name").cloned().unwrap_or_default(),
        completion_planned: date(m, "completion_planned", "竣工予定日")?,
        move_in_start: date(m, "move_in_start", "入居開始日")?,
        handover: date(m, "handover", "引渡し日")?,
        fees: FeeTable { fees },
    })
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(m): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let r = async {
        let estate: i64 = m
            .get("estate_id")
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::invalid("estate_id", "団地", "Estate", "を選んでください", "is required"))?;
        campaigns::create(&st.db, &i.ctx, estate, &form_of(&m)?).await
    }
    .await;
    match r {
        Ok(c) => Ok(Redirect::to(&format!("/housing/campaigns/{}", c.id)).into_response()),
        Err(e) if super::recoverable(&e) => list_page(&st, &page, &i.ctx, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct ApiCampaign {
    pub estate_id: i64,
    #[serde(flatten)]
    pub form: CampaignForm,
}

pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<ApiCampaign>,
) -> AppResult<Json<CreatedId>> {
    let c = campaigns::create(&st.db, &i.ctx, f.estate_id, &f.form).await?;
    Ok(Json(CreatedId { id: c.id }))
}

pub async fn api_update(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<CampaignForm>,
) -> AppResult<Json<CreatedId>> {
    let c = campaigns::update(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(CreatedId { id: c.id }))
}

#[derive(Template)]
#[template(path = "housing/campaign.html")]
pub struct CampaignPage {
    pub chrome: Chrome,
    pub c: crate::entities::campaign::Model,
    pub estate: String,
    pub fees: FeeTable,
    pub may_edit: bool,
    pub units: Vec<units::UnitRow>,
    pub lotteries: Vec<crate::entities::lottery::Model>,
    pub may_write: bool,
    pub dl: crate::service::deadlines::CampaignDeadlines,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl CampaignPage {
    pub fn classes(&self) -> &'static [Classification] {
        Classification::ALL
    }
    pub fn bands(&self) -> [&'static str; 3] {
        BANDS
    }
    pub fn fee(&self, c: &Classification, band: &str, movables: bool) -> String {
        self.fees
            .fees
            .iter()
            .find(|f| f.class == *c && f.band == band)
            .map(|f| if movables { f.movables } else { f.moving_fee }.to_string())
            .unwrap_or_default()
    }
    pub fn d(&self, v: &Option<chrono::NaiveDate>) -> String {
        v.map(|d| d.to_string()).unwrap_or_default()
    }
    pub fn days(&self, v: &Option<i64>) -> String {
        match v {
            Some(n) if *n < 0 => format!("{}日経過", -n),
            Some(n) => format!("あと{n}日"),
            None => "—".into(),
        }
    }
}

#[derive(serde::Deserialize, Default, schemars::JsonSchema)]
pub struct DeadlineQuery {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub today: Option<chrono::NaiveDate>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub days: Option<i64>,
}

pub async fn api_deadlines(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<DeadlineQuery>,
) -> AppResult<Json<crate::service::deadlines::CampaignDeadlines>> {
    let today = q.today.unwrap_or_else(crate::service::deadlines::today);
    Ok(Json(crate::service::deadlines::for_campaign(&st.db, &i.ctx, id, today, q.days).await?))
}

pub(crate) async fn campaign_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
    error: Option<Error>,
) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let (c, acc) = campaigns::get(&st.db, ctx, id).await?;
    let units = units::list(&st.db, ctx, c.estate_id, false).await?;
    let lotteries = crate::service::lotteries::list(&st.db, ctx, id).await?;
    let dl = crate::service::deadlines::for_campaign_model(
        &st.db,
        &c,
        crate::service::deadlines::today(),
        crate::service::deadlines::DEFAULT_THRESHOLD_DAYS,
    )
    .await?;
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((
        status,
        render(&CampaignPage {
            chrome: page.chrome(),
            fees: campaigns::fees_of(&c),
            estate: acc.estate.name.clone(),
            may_edit: acc.require_owner_staff().is_ok(),
            may_write: acc.require_staff().is_ok(),
            c,
            units,
            lotteries,
            dl,
            message,
            error,
        }),
    )
        .into_response())
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    campaign_page(&st, &page, &i.ctx, id, None, None).await
}

pub async fn api_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<CampaignDetail>> {
    let (campaign, _) = campaigns::get(&st.db, &i.ctx, id).await?;
    let fees = campaigns::fees_of(&campaign);
    Ok(Json(CampaignDetail { campaign, fees }))
}

pub async fn update(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(m): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let r = async { campaigns::update(&st.db, &i.ctx, id, &form_of(&m)?).await }.await;
    match r {
        Ok(_) => Ok(see_other(&format!("/housing/campaigns/{id}"), "保存しました")),
        Err(e) if super::recoverable(&e) => campaign_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_add_building(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(estate): Path<i64>,
    Json(n): Json<NewDestination>,
) -> AppResult<Json<BuildingAdded>> {
    let b = units::add_destination(&st.db, &i.ctx, estate, &n).await?;
    Ok(Json(BuildingAdded { id: b.id, units: b.units }))
}

pub async fn api_units(State(st): State<Shared>, Auth(i, _): Auth, Path(estate): Path<i64>) -> AppResult<Json<Units>> {
    Ok(Json(Units { units: units::list(&st.db, &i.ctx, estate, false).await? }))
}

/// The page's form for a destination building: name, floors and up to four unit-type rows.
pub async fn add_building(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(campaign): Path<i64>,
    Form(m): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let r = async {
        let (c, _) = campaigns::get(&st.db, &i.ctx, campaign).await?;
        let mut types = Vec::new();
        for k in 1..=4 {
            let g = |f: &str| m.get(&format!("{f}{k}")).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            if let Some(layout) = g("layout") {
                let area = g("area").and_then(|a| a.parse::<f64>().ok()).unwrap_or(0.0);
                let count = g("count").and_then(|a| a.parse::<i32>().ok()).unwrap_or(0);
                types.push(units::TypeRow { layout, area_m2: area, count });
            }
        }
        let n = NewDestination {
            name: m.get("name").cloned().unwrap_or_default(),
            role: m.get("role").cloned().unwrap_or_else(|| "new_first".into()),
            floors: m.get("floors").and_then(|f| f.parse().ok()).unwrap_or(0),
            types,
        };
        units::add_destination(&st.db, &i.ctx, c.estate_id, &n).await
    }
    .await;
    match r {
        Ok(b) => Ok(see_other(
            &format!("/housing/campaigns/{campaign}"),
            &format!("{}（{}戸）を登録しました", b.name, b.units),
        )),
        Err(e) if super::recoverable(&e) => campaign_page(&st, &page, &i.ctx, campaign, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        api_route!(
            post,
            "/api/housing/estates/{id}/buildings",
            Tenant,
            "housing",
            "移転先の棟と住戸の登録（name, role, floors, types）",
            api_add_building
        ),
        api_route!(
            get,
            "/api/housing/estates/{id}/units",
            Tenant,
            "housing",
            "住戸の一覧（移転先の割当状況）",
            api_units
        ),
        route!(get, "/housing/campaigns", Tenant, "housing", "移転の事業の一覧と登録", list),
        route!(post, "/housing/campaigns", Tenant, "housing", "事業の登録（県）", create),
        route!(get, "/housing/campaigns/{id}", Tenant, "housing", "事業（日付・移転料・住戸）", show),
        route!(post, "/housing/campaigns/{id}", Tenant, "housing", "事業の更新（県）", update),
        route!(
            post,
            "/housing/campaigns/{id}/buildings",
            Tenant,
            "housing",
            "移転先の棟と住戸の登録（県、間取りごとの戸数から住戸番号を付番）",
            add_building
        ),
        api_route!(get, "/api/housing/campaigns", Tenant, "housing", "事業の一覧", api_list),
        api_route!(
            post,
            "/api/housing/campaigns",
            Tenant,
            "housing",
            "事業の登録（estate_id, name, 日付, fees）",
            api_create
        ),
        api_route!(get, "/api/housing/campaigns/{id}", Tenant, "housing", "事業と移転料", api_get),
        api_route!(put, "/api/housing/campaigns/{id}", Tenant, "housing", "事業の更新（県）", api_update),
        api_route!(
            get,
            "/api/housing/campaigns/{id}/deadlines",
            Tenant,
            "housing",
            "事業の期限と要注意の本移転（?today=&days=）",
            api_deadlines
        ),
    ]
}
