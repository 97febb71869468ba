//! 団地の画面 (estate pages): the list, registration, the estate overview and the master import
//! with its confirmation step. HTML and JSON call the same service functions.

use crate::service::access::Side;
use crate::service::estates::{self, ImportPreview, MasterFiles, NewEstate, Upload};
use crate::web::answers::{EstateRow, Estates, Named};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;
use tabane_core::{Ctx, Error};
use tabane_tabular::ImportReport;
use tabane_web::api::describe;
use tabane_web::error::{AppError, AppResult};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

pub(crate) fn side_label(s: Side) -> &'static str {
    match s {
        Side::Owner => "県（管理者）",
        Side::Contractor => "事業者",
        // Nobody else is given an estate (access::estate_for answers NotFound).
        Side::Other => "",
    }
}

#[derive(Template)]
#[template(path = "housing/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub estates: Vec<(i64, String, String, &'static str)>,
    pub bundles: Vec<(i64, String)>,
    pub dash: crate::service::deadlines::Dashboard,
    pub error: Option<String>,
}

async fn home_page(st: &Shared, page: &Page, ctx: &Ctx, error: Option<Error>) -> AppResult<Response> {
    let status = error.as_ref().map(tabane_web::error::status_of).unwrap_or(axum::http::StatusCode::OK);
    let error = error.map(|e| e.message(page.lang.is_en()));
    let estates = estates::list(&st.db, ctx)
        .await?
        .into_iter()
        .map(|a| (a.estate.id, a.estate.name, a.estate.address.unwrap_or_default(), side_label(a.access.side)))
        .collect();
    let ids = crate::service::access::owner_bundles(&st.db, ctx).await?;
    let mut bundles = Vec::new();
    for id in ids {
        if let Ok(b) = tabane_core::service::bundles::get(&st.db, ctx, id).await {
            bundles.push((id, b.bundle.name));
        }
    }
    let dash = crate::service::deadlines::dashboard(&st.db, ctx, crate::service::deadlines::today()).await?;
    Ok((status, render(&HomePage { chrome: page.chrome(), estates, bundles, dash, error })).into_response())
}

pub async fn home(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    home_page(&st, &page, &i.ctx, None).await
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct EstateForm {
    pub bundle_id: i64,
    pub name: String,
    #[serde(default)]
    pub address: String,
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<EstateForm>,
) -> AppResult<Response> {
    match estates::create(&st.db, &i.ctx, &NewEstate { bundle_id: f.bundle_id, name: f.name, address: f.address }).await
    {
        Ok(e) => Ok(Redirect::to(&format!("/housing/estates/{}", e.id)).into_response()),
        Err(e) if super::recoverable(&e) => home_page(&st, &page, &i.ctx, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<EstateForm>,
) -> AppResult<Json<Named>> {
    let e = estates::create(&st.db, &i.ctx, &NewEstate { bundle_id: f.bundle_id, name: f.name, address: f.address })
        .await?;
    Ok(Json(Named { id: e.id, name: e.name }))
}

pub async fn api_dashboard(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<crate::web::campaign_pages::DeadlineQuery>,
) -> AppResult<Json<crate::service::deadlines::Dashboard>> {
    let today = q.today.unwrap_or_else(crate::service::deadlines::today);
    Ok(Json(crate::service::deadlines::dashboard(&st.db, &i.ctx, today).await?))
}

pub async fn api_list(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Estates>> {
    let estates = estates::list(&st.db, &i.ctx)
        .await?
        .into_iter()
        .map(|a| EstateRow { id: a.estate.id, bundle_id: a.estate.bundle_id, side: a.side, name: a.estate.name })
        .collect();
    Ok(Json(Estates { estates }))
}

#[derive(Template)]
#[template(path = "housing/estate.html")]
pub struct EstatePage {
    pub chrome: Chrome,
    pub v: estates::EstateView,
    pub may_import: bool,
    pub as_of: String,
    pub pending: Option<ImportPreview>,
    /// Files carried into the confirmation form: (slot, file name, base64).
    pub carried: Vec<(String, String, String)>,
    pub report: Option<ImportReport>,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl EstatePage {
    pub fn pct(&self, v: &Option<i64>) -> String {
        v.map(|x| format!("{x}%")).unwrap_or_else(|| "—".into())
    }
    pub fn area(&self, v: &Option<i64>) -> String {
        v.map(crate::domain::format_area).unwrap_or_else(|| "—".into())
    }
    pub fn area_v(&self, v: &i64) -> String {
        crate::domain::format_area(*v)
    }
    pub fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

#[derive(Default)]
struct Outcome {
    pending: Option<ImportPreview>,
    carried: Vec<(String, String, String)>,
    as_of: Option<String>,
    report: Option<ImportReport>,
    message: Option<String>,
    error: Option<String>,
}

async fn estate_page(st: &Shared, page: &Page, ctx: &Ctx, id: i64, o: Outcome) -> AppResult<Response> {
    let v = estates::view(&st.db, ctx, id, None).await?;
    let may_import = v.side == Side::Owner && ctx.role.is_some_and(|r| r >= tabane_core::domain::Role::Staff);
    let failed = o.report.is_some() || o.error.is_some();
    let html = render(&EstatePage {
        chrome: page.chrome(),
        as_of: o.as_of.unwrap_or_else(|| v.snapshot.as_ref().map(|s| s.as_of.to_string()).unwrap_or_default()),
        v,
        may_import,
        pending: o.pending,
        carried: o.carried,
        report: o.report,
        message: o.message,
        error: o.error,
    });
    Ok(if failed { (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response() } else { html.into_response() })
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct EstateQuery {
    pub snapshot: Option<i64>,
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    estate_page(&st, &page, &i.ctx, id, Outcome::default()).await
}

pub async fn api_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Query(q): Query<EstateQuery>,
) -> AppResult<Json<estates::EstateView>> {
    Ok(Json(estates::view(&st.db, &i.ctx, id, q.snapshot).await?))
}

/// The import form's fields: files by slot (or carried over as base64), the date, the tick.
struct ImportForm {
    files: HashMap<String, Upload>,
    as_of: String,
    acknowledge: bool,
}

async fn read_import_form(mut mp: Multipart) -> Result<ImportForm, Error> {
    let bad = |e: String| {
        Error::invalid("file", "ファイル", "File", format!("を読み取れません: {e}"), format!("could not be read: {e}"))
    };
    let mut files = HashMap::new();
    let mut names = HashMap::new();
    let mut carried = HashMap::new();
    let (mut as_of, mut acknowledge) = (String::new(), false);
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.to_string()))? {
        let Some(name) = field.name().map(str::to_string) else { continue };
        match name.as_str() {
            "buildings" | "unit_types" | "occupancy" | "groups" => {
                let file_name = field.file_name().unwrap_or("upload.csv").to_string();
                let bytes = field.bytes().await.map_err(|e| bad(e.to_string()))?;
                if !bytes.is_empty() {
                    files.insert(name, Upload { name: file_name, bytes: bytes.to_vec() });
                }
            }
            "as_of" => as_of = field.text().await.unwrap_or_default(),
            "acknowledge" => {
                acknowledge = matches!(field.text().await.unwrap_or_default().as_str(), "1" | "true" | "on" | "yes")
            }
            n if n.ends_with("_name") => {
                names.insert(n.trim_end_matches("_name").to_string(), field.text().await.unwrap_or_default());
            }
            n if n.ends_with("_b64") => {
                carried.insert(n.trim_end_matches("_b64").to_string(), field.text().await.unwrap_or_default());
            }
            _ => {}
        }
    }
    for (slot, b64) in carried {
        if files.contains_key(&slot) {
            continue;
        }
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|e| bad(e.to_string()))?;
        files
            .insert(slot.clone(), Upload { name: names.remove(&slot).unwrap_or_else(|| format!("{slot}.csv")), bytes });
    }
    Ok(ImportForm { files, as_of, acknowledge })
}

fn master_files(mut f: ImportForm) -> Result<(MasterFiles, NaiveDate, bool), Error> {
    let as_of = tabane_calendar::parse_date(f.as_of.trim()).map_err(|_| {
        Error::invalid(
            "as_of",
            "入居状況の時点",
            "As of",
            "を日付（例：2025-06-30、令和7年6月30日）で入力してください",
            "must be a date",
        )
    })?;
    let buildings = f.files.remove("buildings").ok_or_else(|| {
        Error::invalid("buildings", "住棟別諸元一覧", "Building table", "のファイルを選んでください", "is required")
    })?;
    let occupancy = f.files.remove("occupancy").ok_or_else(|| {
        Error::invalid("occupancy", "各棟の入居状況", "Occupancy table", "のファイルを選んでください", "is required")
    })?;
    Ok((
        MasterFiles {
            buildings,
            unit_types: f.files.remove("unit_types"),
            occupancy,
            groups: f.files.remove("groups"),
        },
        as_of,
        f.acknowledge,
    ))
}

fn carry(files: &MasterFiles) -> Vec<(String, String, String)> {
    let enc = |slot: &str, u: &Upload| {
        (slot.to_string(), u.name.clone(), base64::engine::general_purpose::STANDARD.encode(&u.bytes))
    };
    let mut v = vec![enc("buildings", &files.buildings), enc("occupancy", &files.occupancy)];
    if let Some(u) = &files.unit_types {
        v.push(enc("unit_types", u));
    }
    if let Some(u) = &files.groups {
        v.push(enc("groups", u));
    }
    v
}

pub async fn import(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let en = page.lang.is_en();
    let form = match read_import_form(mp).await {
        Ok(f) => f,
        Err(e) => {
            return estate_page(&st, &page, &i.ctx, id, Outcome { error: Some(e.message(en)), ..Default::default() })
                .await;
        }
    };
    let as_of_text = form.as_of.clone();
    let (files, as_of, ack) = match master_files(form) {
        Ok(v) => v,
        Err(e) => {
            return estate_page(
                &st,
                &page,
                &i.ctx,
                id,
                Outcome { error: Some(e.message(en)), as_of: Some(as_of_text), ..Default::default() },
            )
            .await;
        }
    };
    match estates::import(&st.db, &i.ctx, id, as_of, &files, ack).await {
        Ok(p) if p.written => {
            let msg = format!(
                "{as_of} 時点の入居状況を取り込みました（{}棟、{}戸、入居{}世帯）。不一致の指摘{}件を記録しました",
                p.totals.buildings,
                p.totals.units,
                p.totals.households,
                p.findings.len()
            );
            Ok(see_other(&format!("/housing/estates/{id}"), &msg))
        }
        Ok(p) => {
            estate_page(
                &st,
                &page,
                &i.ctx,
                id,
                Outcome {
                    carried: carry(&files),
                    pending: Some(p),
                    as_of: Some(as_of.to_string()),
                    ..Default::default()
                },
            )
            .await
        }
        Err(Error::Import(r)) => {
            estate_page(
                &st,
                &page,
                &i.ctx,
                id,
                Outcome { report: Some(r), as_of: Some(as_of.to_string()), ..Default::default() },
            )
            .await
        }
        Err(e @ Error::Invalid(_)) => {
            estate_page(
                &st,
                &page,
                &i.ctx,
                id,
                Outcome { error: Some(e.message(en)), as_of: Some(as_of.to_string()), ..Default::default() },
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

/// The parts `read_import_form` reads, for the API's description.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct MasterParts {
    /// 住棟別諸元一覧 (CSV or xlsx, as each table below).
    buildings: describe::FilePart,
    unit_types: Option<describe::FilePart>,
    /// 各棟の入居状況.
    occupancy: describe::FilePart,
    groups: Option<describe::FilePart>,
    /// 入居状況の時点 (2025-06-30 or 令和7年6月30日).
    as_of: String,
    /// `1`, `true`, `on` or `yes`: write despite findings.
    acknowledge: Option<String>,
}

/// JSON: the same multipart fields; `acknowledge=1` writes despite findings. Without it and with
/// findings, answers `written: false` and the findings.
pub async fn api_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    describe::Upload(mp, _): describe::Upload<MasterParts>,
) -> AppResult<Json<ImportPreview>> {
    let (files, as_of, ack) = master_files(read_import_form(mp).await?)?;
    Ok(Json(estates::import(&st.db, &i.ctx, id, as_of, &files, ack).await?))
}

/// 提出物の登録 (the seed's plans and reports into the platform register; idempotent).
pub async fn register_deliverables(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = crate::service::register::register_required(&st.db, &i.ctx, id).await?;
    let msg = format!(
        "提出物を登録しました（新規{}件、登録済み{}件）。提出物の一覧で確認できます",
        r.created.len(),
        r.existing.len()
    );
    Ok(see_other(&format!("/housing/estates/{id}"), &msg))
}

pub async fn api_register_deliverables(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<crate::service::register::Registered>> {
    Ok(Json(crate::service::register::register_required(&st.db, &i.ctx, id).await?))
}

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/housing", Tenant, "housing", "団地建替・移転（団地の一覧と登録）", home),
        route!(post, "/housing/estates", Tenant, "housing", "団地の登録（束の発注者）", create),
        route!(get, "/housing/estates/{id}", Tenant, "housing", "団地（住棟別諸元・入居状況・表の不一致の記録）", show),
        route!(
            post,
            "/housing/estates/{id}/import",
            Tenant,
            "housing",
            "住棟別諸元一覧・入居状況・対象世帯の取り込み（不一致は確認のうえ記録）",
            import
        ),
        api_route!(
            get,
            "/api/housing/dashboard",
            Tenant,
            "housing",
            "進捗・期限・支援期間内に終わらないおそれのある本移転（?today=）",
            api_dashboard
        ),
        route!(
            post,
            "/housing/estates/{id}/deliverables",
            Tenant,
            "housing",
            "要求水準書の提出物（計画書・報告書）を提出物の一覧に登録（県、重複なし）",
            register_deliverables
        ),
        api_route!(
            post,
            "/api/housing/estates/{id}/deliverables",
            Tenant,
            "housing",
            "提出物の登録（県、重複なし）",
            api_register_deliverables
        ),
        api_route!(get, "/api/housing/estates", Tenant, "housing", "団地の一覧", api_list),
        api_route!(
            post,
            "/api/housing/estates",
            Tenant,
            "housing",
            "団地の登録（bundle_id, name, address）",
            api_create
        ),
        api_route!(
            get,
            "/api/housing/estates/{id}",
            Tenant,
            "housing",
            "団地（住棟・間取り・入居状況、?snapshot=）",
            api_get
        ),
        api_route!(
            post,
            "/api/housing/estates/{id}/import",
            Tenant,
            "housing",
            "基本情報の取り込み（multipart: buildings, unit_types, occupancy, groups, as_of, acknowledge）",
            api_import
        ),
    ]
}
