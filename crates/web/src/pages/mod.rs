//! HTML handlers. Each one extracts the user, calls a core service and renders a template;
//! the JSON handlers in `api` call the same services.

pub mod audit;
pub mod bundles;
pub mod calendar;
pub mod dashboard;
pub mod deliverables;
pub mod files;
pub mod orgs;
pub mod session;
pub mod surveys;
pub mod users;

use crate::error::AppError;
use crate::state::Shared;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tabane_tabular::{Cell, OutputEncoding};

/// 死活監視: answers 200 when the database answers.
pub async fn health(State(st): State<Shared>) -> Response {
    match st.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, format!("database unavailable: {e}")).into_response(),
    }
}

/// Export format chosen by `?format=`: csv (UTF-8 with BOM, default), cp932, xlsx.
pub fn export_response(
    format: &str,
    base_name: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<Response, AppError> {
    let (bytes, ct, ext) = match format {
        "xlsx" => (
            tabane_tabular::write_xlsx(sheet, headers, rows).map_err(export_err)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "cp932" | "sjis" => (
            tabane_tabular::write_csv_cells(headers, rows, OutputEncoding::Cp932).map_err(export_err)?,
            "text/csv; charset=Shift_JIS",
            "csv",
        ),
        _ => (
            tabane_tabular::write_csv_cells(headers, rows, OutputEncoding::Utf8Bom).map_err(export_err)?,
            "text/csv; charset=utf-8",
            "csv",
        ),
    };
    let name = format!("{base_name}.{ext}");
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    let disposition = format!("attachment; filename=\"{}\"", name.replace('"', ""));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

fn export_err(e: tabane_tabular::ExportError) -> AppError {
    AppError(tabane_core::Error::conflict(e.to_string(), e.message_en()))
}

/// Parses an optional integer query/form value; bad text is treated as absent.
pub fn int(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}
