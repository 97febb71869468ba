//! 専門人材リスト・協力企業リスト (総務省's national lists, line 409–430) as pages: the pool's
//! company list (every side of the pool reads it) and, for the prefecture's staff, the upload forms
//! of both lists. An import with any bad row writes nothing and shows every row's problem here.

use super::recoverable;
use crate::service::access;
use crate::service::companies::{self, CompanyRow};
use crate::service::pools;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tabane_core::{Ctx, Error};
use tabane_tabular::{ImportReport, Source};
use tabane_web::error::{AppError, AppResult};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "talent/companies.html")]
pub struct ListsPage {
    pub chrome: Chrome,
    pub pool_id: i64,
    pub rows: Vec<CompanyRow>,
    pub may_write: bool,
    /// Which list the shown problems are about (「協力企業リスト」).
    pub list_name: String,
    pub file_name: String,
    pub report: Option<ImportReport>,
    pub error: Option<String>,
}

/// The problems of one upload, shown on the page.
#[derive(Default)]
struct Outcome {
    list_name: String,
    file_name: String,
    report: Option<ImportReport>,
    error: Option<String>,
}

async fn lists_page(st: &Shared, page: &Page, ctx: &Ctx, pool_id: i64, o: Outcome) -> AppResult<Response> {
    let rows = companies::list(&st.db, ctx, pool_id).await?;
    let a = access::pool(&st.db, ctx, pool_id).await?;
    let failed = o.report.is_some() || o.error.is_some();
    let p = ListsPage {
        chrome: page.chrome(),
        pool_id,
        rows,
        may_write: a.require_prefecture_staff().is_ok(),
        list_name: o.list_name,
        file_name: o.file_name,
        report: o.report,
        error: o.error,
    };
    let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&p)).into_response())
}

pub async fn companies(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    lists_page(&st, &page, &i.ctx, id, Outcome::default()).await
}

#[derive(Clone, Copy)]
enum List {
    Companies,
    Persons,
}

/// Reads the upload only once the actor may import (a refusal never waits for a large file) and
/// runs the list's import.
async fn upload(st: Shared, page: Page, ctx: Ctx, pool_id: i64, req: Request, list: List) -> AppResult<Response> {
    access::pool(&st.db, &ctx, pool_id).await?.require_prefecture_staff()?;
    let list_name = match list {
        List::Companies => page.lang.t("協力企業リスト", "Company list"),
        List::Persons => page.lang.t("専門人材リスト", "Talent list"),
    }
    .to_string();
    let fail = |file_name: String, report, error: Option<String>| Outcome {
        list_name: list_name.clone(),
        file_name,
        report,
        error,
    };
    let mp = match Multipart::from_request(req, &st).await {
        Ok(mp) => mp,
        // Not a multipart form (no file chosen by a script, a wrong client): said in words.
        Err(_) => {
            let m = page.lang.t("ファイルを選んで送信してください", "Choose a file to send").to_string();
            return lists_page(&st, &page, &ctx, pool_id, fail(String::new(), None, Some(m))).await;
        }
    };
    let (name, bytes, enc) = match tabane_web::pages::orgs::read_upload(mp).await {
        Ok(v) => v,
        Err(e) => {
            let m = e.message(page.lang.is_en());
            return lists_page(&st, &page, &ctx, pool_id, fail(String::new(), None, Some(m))).await;
        }
    };
    let source = match Source::upload(&name, &bytes, enc) {
        Ok(s) => s,
        Err(e) => {
            let m = Error::file(&e).message(page.lang.is_en());
            return lists_page(&st, &page, &ctx, pool_id, fail(name, None, Some(m))).await;
        }
    };
    let done = match list {
        List::Companies => companies::import(&st.db, &ctx, pool_id, &source).await.map(|s| (s.inserted, s.updated)),
        List::Persons => pools::import(&st.db, &ctx, pool_id, &source).await.map(|s| (s.inserted, s.matched)),
    };
    match done {
        Ok((new, known)) => {
            let msg = match list {
                List::Companies => page.lang.t("社を追加、", " added, "),
                List::Persons => page.lang.t("人を追加、", " added, "),
            };
            let again = page.lang.t("件は登録済み", " already listed");
            let back = match list {
                List::Companies => format!("/talent/pools/{pool_id}/companies"),
                List::Persons => format!("/talent/pools/{pool_id}/persons"),
            };
            Ok(see_other(&back, &format!("{list_name}: {new}{msg}{known}{again}")))
        }
        Err(Error::Import(r)) => lists_page(&st, &page, &ctx, pool_id, fail(name, Some(r), None)).await,
        Err(e) if recoverable(&e) || matches!(e, Error::Invalid(_)) => {
            let m = e.message(page.lang.is_en());
            lists_page(&st, &page, &ctx, pool_id, fail(name, None, Some(m))).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn companies_import(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    upload(st, page, i.ctx.clone(), id, req, List::Companies).await
}

pub async fn persons_import(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    upload(st, page, i.ctx.clone(), id, req, List::Persons).await
}

pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::route;
    vec![
        route!(get, "/talent/pools/{id}/companies", Tenant, "talent", "協力企業リストと名簿の取込", companies),
        route!(
            post,
            "/talent/pools/{id}/companies/import",
            Tenant,
            "talent",
            "協力企業リストの取込（県、ファイル）",
            companies_import
        ),
        route!(
            post,
            "/talent/pools/{id}/persons/import",
            Tenant,
            "talent",
            "専門人材リストの取込（県、ファイル）",
            persons_import
        ),
    ]
}
