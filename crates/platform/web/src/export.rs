//! 書出し (exports): one reader of `?format=` for every list and report that can also be
//! downloaded as a file, and one way to answer with that file.

use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
pub use tabane_tabular::ExportFormat;
use tabane_tabular::{Cell, ExportError};

/// `?format=` as a handler receives it: `None` for the page itself (no value, an empty one or
/// `html`), otherwise the file form asked for (`csv`/`utf8`, `cp932`/`sjis`, `xlsx`). Any other
/// value is refused (422, naming the field) before the handler runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Export(pub Option<ExportFormat>);

impl Export {
    /// The form asked for, or `default` when the page itself was asked for (download-only
    /// addresses).
    pub fn or(self, default: ExportFormat) -> ExportFormat {
        self.0.unwrap_or(default)
    }

    /// Reads one `format` value (for handlers that accept one more form of their own, such as
    /// GeoJSON, and look at the raw value first).
    pub fn parse(value: Option<&str>) -> Result<Export, AppError> {
        match value.map(str::trim) {
            None | Some("") | Some("html") => Ok(Export(None)),
            Some(v) => ExportFormat::parse(v).map(|f| Export(Some(f))).ok_or_else(|| {
                AppError(tabane_core::Error::invalid(
                    "format",
                    "形式",
                    "Format",
                    "は csv・cp932・xlsx のいずれかです",
                    "must be csv, cp932 or xlsx",
                ))
            }),
        }
    }
}

/// The `format` value of a query string, if any.
pub fn format_value(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes()).find(|(k, _)| k == "format").map(|(_, v)| v.into_owned())
}

impl<S: Send + Sync> FromRequestParts<S> for Export {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Export::parse(format_value(parts.uri.query()).as_deref())
    }
}

/// A table as a downloaded file `<base_name>.<csv|xlsx>` (`sheet` names the xlsx worksheet).
/// A value the form cannot hold (a character outside CP932) is refused with 409, naming it.
pub fn file_response(
    format: ExportFormat,
    base_name: &str,
    sheet: &str,
    headers: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<Response, AppError> {
    let bytes = format.write(sheet, headers, rows).map_err(export_err)?;
    Ok(attachment(bytes, format.content_type(), &format!("{base_name}.{}", format.extension())))
}

/// Bytes as a downloaded file of this type and name.
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"{}\"", file_name.replace('"', ""));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn export_err(e: ExportError) -> AppError {
    AppError(tabane_core::Error::conflict(e.to_string(), e.message_en()))
}

/// `?print=1`: a list as a printable page (A4, no navigation) instead of the page itself, for
/// the 印刷 link beside a list's downloads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Print(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Print {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        Ok(Print(form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "print" && v != "0" && !v.is_empty())))
    }
}

#[derive(askama::Template)]
#[template(path = "print_table.html")]
struct PrintTable<'a> {
    l: crate::i18n::Lang,
    title: &'a str,
    subtitle: &'a str,
    back: &'a str,
    headers: &'a [&'a str],
    rows: Vec<Vec<String>>,
    printed_on: String,
}

/// The same table a download holds, as a printable page: dates in 和暦 (the Western date in
/// English), the title and a subtitle (the term, the period) above, the day printed below.
pub fn print_response(
    l: crate::i18n::Lang,
    title: &str,
    subtitle: &str,
    back: &str,
    headers: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Response {
    let date = |d: chrono::NaiveDate| {
        if l.is_en() {
            d.to_string()
        } else {
            tabane_calendar::to_wareki(d).map(|w| w.format_ja()).unwrap_or_else(|| d.to_string())
        }
    };
    let rows = rows
        .into_iter()
        .map(|r| r.into_iter().map(|c| if let Cell::Date(d) = c { date(d) } else { c.to_text() }).collect())
        .collect();
    let t = PrintTable { l, title, subtitle, back, headers, rows, printed_on: date(tabane_calendar::jst::today()) };
    crate::views::render(&t).into_response()
}
