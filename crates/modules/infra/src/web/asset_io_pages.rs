//! 施設台帳の取り込み・書き出し pages.

use crate::service::asset_io;
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_core::Error;
use tabane_tabular::{ImportReport, InputEncoding, Source};
use tabane_web::api::answers::Imported;
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/asset_import.html")]
pub struct ImportPage {
    pub chrome: Chrome,
    pub file_name: String,
    pub imported: Option<usize>,
    pub report: Option<ImportReport>,
    pub error: Option<String>,
}

/// CSV (streamed) and xlsx through the platform reader; .geojson/.json as GeoJSON.
fn read<'a>(name: &str, bytes: &'a [u8], enc: InputEncoding) -> Result<Source<'a>, Error> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".geojson") || lower.ends_with(".json") {
        asset_io::geojson_table(bytes).map(Source::table)
    } else {
        Source::upload(name, bytes, enc).map_err(|e| Error::file(&e))
    }
}

pub async fn form(page: Page) -> tabane_web::views::Rendered {
    render(&ImportPage { chrome: page.chrome(), file_name: String::new(), imported: None, report: None, error: None })
}

pub async fn submit(State(st): State<Shared>, page: Page, Auth(i, _): Auth, mp: Multipart) -> AppResult<Response> {
    let reply = |file_name: String, imported, report: Option<ImportReport>, error: Option<String>| {
        let failed = report.is_some() || error.is_some();
        let html = render(&ImportPage { chrome: page.chrome(), file_name, imported, report, error });
        if failed { (StatusCode::UNPROCESSABLE_ENTITY, html).into_response() } else { html.into_response() }
    };
    let (name, bytes, enc) = match tabane_web::pages::orgs::read_upload(mp).await {
        Ok(v) => v,
        Err(e) => return Ok(reply(String::new(), None, None, Some(e.message(page.lang.is_en())))),
    };
    let source = match read(&name, &bytes, enc) {
        Ok(s) => s,
        Err(e) => return Ok(reply(name, None, None, Some(e.message(page.lang.is_en())))),
    };
    match asset_io::import(&st.db, &i.ctx, &source, &name).await {
        Ok(n) => Ok(reply(name, Some(n), None, None)),
        Err(Error::Import(r)) => Ok(reply(name, None, Some(r), None)),
        // A CSV that turns out unreadable while it streams, shown as one read up front would be.
        Err(e) if tabane_web::pages::orgs::file_problem(&e, false).is_some() => {
            Ok(reply(name, None, None, Some(e.message(page.lang.is_en()))))
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct ExportQuery {
    #[serde(default)]
    pub format: String,
}

pub async fn export(State(st): State<Shared>, Auth(i, _): Auth, Query(q): Query<ExportQuery>) -> AppResult<Response> {
    // GeoJSON is one more form of this export; the others are the common three.
    if q.format.trim() == "geojson" {
        let v = asset_io::export_geojson(&st.db, &i.ctx).await?;
        let mut r = Json(v).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
        r.headers_mut()
            .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"assets.geojson\""));
        return Ok(r);
    }
    let rows = asset_io::export_rows(&st.db, &i.ctx).await?;
    let format = Export::parse(Some(&q.format))?.or(ExportFormat::CsvUtf8);
    file_response(format, "assets", "施設台帳", asset_io::EXPORT_HEADERS, rows)
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ApiImportQuery {
    pub filename: String,
    #[serde(default)]
    pub encoding: String,
}

pub async fn api_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<ApiImportQuery>,
    body: Bytes,
) -> AppResult<Json<Imported>> {
    let enc = InputEncoding::from_name(&q.encoding);
    let source = read(&q.filename, &body, enc)?;
    let n = asset_io::import(&st.db, &i.ctx, &source, &q.filename).await?;
    Ok(Json(Imported { imported: n }))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/assets/import", Tenant, "infra", "施設台帳の取り込み画面", form),
        route!(
            post,
            "/infra/assets/import",
            Tenant,
            "infra",
            "施設台帳の取り込み（CSV・Excel・GeoJSON、全行検査）",
            submit
        ),
        route!(get, "/infra/assets/export", Tenant, "infra", "施設台帳の書き出し（CSV・Excel・GeoJSON）", export),
        api_route!(
            post,
            "/api/infra/assets/import",
            Tenant,
            "infra",
            "施設台帳の取り込み（本文にファイル、?filename=）",
            api_import
        ),
    ]
}
