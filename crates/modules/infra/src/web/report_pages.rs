//! 写真台帳 and 月報 pages: printable in the browser (print CSS) and as xlsx.

use super::views::L;
use crate::service::reports::{self, LedgerPhoto, MonthlyReport};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Image, Workbook};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::service::files;
use tabane_tabular::Cell;
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, ExportFormat, attachment, file_response};
use tabane_web::filters;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/photo_ledger.html")]
pub struct PhotoLedgerPage {
    pub chrome: Chrome,
    pub l: L,
    pub title: String,
    pub photos: Vec<LedgerPhoto>,
    pub xlsx_href: String,
}

#[derive(Template)]
#[template(path = "infra/monthly.html")]
pub struct MonthlyPage {
    pub chrome: Chrome,
    pub l: L,
    pub r: MonthlyReport,
    pub owners: Vec<tabane_core::entities::organisation::Model>,
    /// The query of this report (one owner, or a contract's bundle), for its Excel link.
    pub query: String,
}

impl MonthlyPage {
    pub fn days(&self, v: &Option<f64>) -> String {
        v.map(|d| format!("{d:.1} 日")).unwrap_or_else(|| "—".into())
    }
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct Q {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub owner: String,
    /// A contract id: the report covers the contract's bundle instead of one owner.
    #[serde(default)]
    pub contract: String,
}

fn this_month() -> String {
    crate::service::work_orders::today_jst().format("%Y-%m").to_string()
}

/// The 写真台帳 as xlsx, with the photos embedded beside their rows.
async fn ledger_xlsx(
    st: &Shared,
    ctx: &tabane_core::Ctx,
    title: &str,
    photos: &[LedgerPhoto],
) -> Result<Response, Error> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let x = |e: rust_xlsxwriter::XlsxError| Error::Internal(anyhow::anyhow!("xlsx: {e}"));
    ws.set_name("写真台帳").map_err(x)?;
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    // The title goes in the printed page header, so row 1 is the column headers (the sheet
    // reads back as a table).
    ws.set_header(format!("&C{title}"));
    for (c, h) in ["写真", "作業番号", "区分", "撮影日", "位置", "工種", "備考"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head).map_err(x)?;
    }
    ws.set_column_width(0, 34).map_err(x)?;
    for (c, w) in [(1, 10), (2, 10), (3, 12), (4, 22), (5, 18), (6, 24)] {
        ws.set_column_width(c, w).map_err(x)?;
    }
    for (i, p) in photos.iter().enumerate() {
        let row = (i + 1) as u32;
        ws.set_row_height(row, 150).map_err(x)?;
        ws.write_string_with_format(row, 0, "", &cell).map_err(x)?;
        if let Ok((_, bytes)) = files::read(&st.db, &st.files, ctx, p.file_id).await
            && let Ok(img) = Image::new_from_buffer(&bytes)
        {
            ws.insert_image_fit_to_cell(row, 0, &img, true).map_err(x)?;
        }
        ws.write_number_with_format(row, 1, p.work_order_id as f64, &cell).map_err(x)?;
        ws.write_string_with_format(row, 2, p.phase.label_ja(), &cell).map_err(x)?;
        ws.write_string_with_format(row, 3, p.taken_on.format("%Y/%m/%d").to_string(), &cell).map_err(x)?;
        ws.write_string_with_format(row, 4, &p.location, &cell).map_err(x)?;
        ws.write_string_with_format(row, 5, &p.work_item, &cell).map_err(x)?;
        ws.write_string_with_format(row, 6, &p.remarks, &cell).map_err(x)?;
    }
    let bytes = wb.save_to_buffer().map_err(x)?;
    Ok(attachment(bytes, ExportFormat::Xlsx.content_type(), "photo-ledger.xlsx"))
}

/// A photo ledger downloads as xlsx only (the photos are in the cells); `false` for the page.
fn photo_xlsx(fmt: Export) -> AppResult<bool> {
    match fmt.0 {
        None => Ok(false),
        Some(ExportFormat::Xlsx) => Ok(true),
        Some(_) => Err(AppError(Error::invalid(
            "format",
            "形式",
            "Format",
            "写真台帳は xlsx で書き出します（?format=xlsx）",
            "a photo ledger exports as xlsx only (?format=xlsx)",
        ))),
    }
}

pub async fn job_ledger(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
) -> AppResult<Response> {
    let photos = reports::photo_ledger_for_job(&st.db, &i.ctx, id).await?;
    let title = format!("写真台帳　作業 #{id}");
    if photo_xlsx(fmt)? {
        return Ok(ledger_xlsx(&st, &i.ctx, &title, &photos).await?);
    }
    Ok(render(&PhotoLedgerPage {
        chrome: page.chrome(),
        l: L { en: page.lang.is_en() },
        title,
        photos,
        xlsx_href: format!("/infra/work-orders/{id}/photo-ledger?format=xlsx"),
    })
    .into_response())
}

pub async fn month_ledger(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<Q>,
) -> AppResult<Response> {
    let month = if q.month.trim().is_empty() { this_month() } else { q.month.trim().to_string() };
    let photos = reports::photo_ledger_for_month(&st.db, &i.ctx, &month).await?;
    let title = format!("写真台帳　{month}");
    if photo_xlsx(fmt)? {
        return Ok(ledger_xlsx(&st, &i.ctx, &title, &photos).await?);
    }
    Ok(render(&PhotoLedgerPage {
        chrome: page.chrome(),
        l: L { en: page.lang.is_en() },
        title,
        photos,
        xlsx_href: format!("/infra/photo-ledger?month={month}&format=xlsx"),
    })
    .into_response())
}

fn args(i: &tabane_core::service::sessions::SessionInfo, q: &Q) -> Result<(i64, String), Error> {
    let owner = q.owner.trim().parse::<i64>().ok().or(i.ctx.org_id).ok_or(Error::NotFound)?;
    Ok((owner, if q.month.trim().is_empty() { this_month() } else { q.month.trim().to_string() }))
}

async fn report(st: &Shared, i: &tabane_core::service::sessions::SessionInfo, q: &Q) -> Result<MonthlyReport, Error> {
    let (owner, month) = args(i, q)?;
    match q.contract.trim().parse::<i64>() {
        Ok(c) => reports::monthly_for_contract(&st.db, &i.ctx, c, &month).await,
        Err(_) => reports::monthly(&st.db, &i.ctx, owner, &month).await,
    }
}

pub async fn monthly(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<Q>,
) -> AppResult<Response> {
    let r = report(&st, &i, &q).await?;
    if let Export(Some(format)) = fmt {
        let mut rows = vec![
            vec![Cell::Text("受付件数".into()), Cell::Int(r.received as i64)],
            vec![Cell::Text("履行確認件数".into()), Cell::Int(r.confirmed as i64)],
            vec![
                Cell::Text("受付から履行確認までの日数（中央値）".into()),
                r.median_days.map(Cell::Number).unwrap_or(Cell::Empty),
            ],
            vec![Cell::Text("同（90パーセンタイル）".into()), r.p90_days.map(Cell::Number).unwrap_or(Cell::Empty)],
            vec![Cell::Text("期限超過（現在）".into()), Cell::Int(r.overdue_now as i64)],
            vec![Cell::Text("履行確認済みの実費用（円）".into()), Cell::Int(r.confirmed_cost)],
        ];
        for (cat, by) in &r.by_category {
            for (status, n) in by {
                rows.push(vec![Cell::Text(format!("{cat}（{status}）")), Cell::Int(*n as i64)]);
            }
        }
        return file_response(
            format,
            &format!("monthly-{}-{}", r.owner_org_id, r.month),
            "月報",
            &["項目", "値"],
            rows,
        );
    }
    let owners = super::owner_choices(&st, &i.ctx).await?;
    // The Excel link asks for the same report: a contract's (whose owner is 0) or an owner's.
    let query = match q.contract.trim().parse::<i64>() {
        Ok(c) => format!("contract={c}&month={}", r.month),
        Err(_) => format!("owner={}&month={}", r.owner_org_id, r.month),
    };
    Ok(render(&MonthlyPage { chrome: page.chrome(), l: L { en: page.lang.is_en() }, r, owners, query }).into_response())
}

pub async fn api_monthly(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<Q>,
) -> AppResult<Json<MonthlyReport>> {
    Ok(Json(report(&st, &i, &q).await.map_err(AppError)?))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            get,
            "/infra/work-orders/{id}/photo-ledger",
            Tenant,
            "infra",
            "作業の写真台帳（印刷用、?format=xlsx）",
            job_ledger
        ),
        route!(
            get,
            "/infra/photo-ledger",
            Tenant,
            "infra",
            "月の写真台帳（?month=2026-11、?format=xlsx）",
            month_ledger
        ),
        route!(get, "/infra/reports/monthly", Tenant, "infra", "月報（管理者別、?format=xlsx|csv）", monthly),
        api_route!(
            get,
            "/api/infra/reports/monthly",
            Tenant,
            "infra",
            "月報（件数、中央値・90パーセンタイル日数、期限超過、実費用）",
            api_monthly
        ),
    ]
}
