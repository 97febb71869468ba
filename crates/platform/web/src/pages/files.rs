//! File download, after the same visibility check as every other tenant record.

use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tabane_core::service::files;

pub async fn download(State(st): State<Shared>, Auth(info, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let (meta, bytes) = files::read(&st.db, &st.files, &info.ctx, id).await?;
    let mut r = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&meta.content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    // RFC 5987 so Japanese file names survive.
    let encoded: String =
        form_urlencoded::byte_serialize(meta.file_name.as_bytes()).collect::<String>().replace('+', "%20");
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename*=UTF-8''{encoded}")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    Ok(r)
}
