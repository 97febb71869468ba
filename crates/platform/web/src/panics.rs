//! 障害の封じ込め (containing a panic). A panic is a bug, never a way to refuse input; when one
//! happens anyway it must cost one request, not the server:
//!
//! - [`install_hook`] replaces the default panic hook: the panic is logged once, through
//!   `tracing`, inside the request's span (so the line carries the request id), and counted.
//! - [`catch_panic`] (a middleware just inside the request span) turns a panicking handler or
//!   middleware into a 500 answer that names the request id, instead of a dropped connection.
//! - Tasks spawned for a request (a write's own task) are awaited by the middleware that spawned
//!   them, and a panic there arrives as a `JoinError`, answered the same way.
//!
//! What no hook can contain is a stack overflow or an abort: those are prevented at the source
//! (see `middleware::request_id` for how a request's span is carried).

use crate::middleware::RequestId;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

static PANICS: AtomicU64 = AtomicU64::new(0);
static INSTALL: Once = Once::new();

/// How many panics this process has seen since it started (any thread, caught or not).
pub fn count() -> u64 {
    PANICS.load(Ordering::SeqCst)
}

/// Installs the process-wide panic hook (idempotent). The server calls it at start-up; tests
/// call it to count panics.
pub fn install_hook() {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            // Without a subscriber (a test, a tool) the log line would go nowhere: keep the
            // standard report then.
            if !tracing::dispatcher::has_been_set() {
                return previous(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("(non-text panic payload)");
            let location =
                info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
            let thread = std::thread::current().name().unwrap_or("unnamed").to_string();
            let backtrace = std::backtrace::Backtrace::capture();
            // The current span is the request's when the panic happened while serving one, so
            // the log line carries its id.
            tracing::error!(%message, %location, %thread, %backtrace, "panic");
        }));
    });
}

/// Runs the rest of the pipeline and answers 500 with the request id if it panics. The panic
/// was already logged (and counted) by the hook; the answer only names the request.
pub async fn catch_panic(req: Request, next: Next) -> Response {
    let rid = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let is_json = crate::middleware::is_machine(&req);
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(res) => res,
        Err(_) => internal_error_response(&rid, is_json),
    }
}

/// The answer to a request that failed inside the server: no detail of the failure, only the
/// request id under which the log has it.
pub fn internal_error_response(rid: &str, is_json: bool) -> Response {
    if is_json {
        let body = serde_json::json!({
            "code": "internal_error",
            "message": "内部エラーが発生しました。お問い合わせの際はリクエストIDをお伝えください。",
            "request_id": rid,
        });
        return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response();
    }
    let rid = html_escape(rid);
    let body = format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>内部エラー</title><link rel=\"stylesheet\" href=\"/assets/tabane.css\"></head>\
         <body><main><h1>500 内部エラー</h1><p>内部エラーが発生しました。お問い合わせの際はリクエストIDをお伝えください。</p>\
         <p>An internal error occurred. Please quote the request id.</p><p>リクエストID / Request id: <code>{rid}</code></p>\
         <p><a href=\"/\">ホームへ / Home</a></p></main></body></html>"
    );
    let mut res = (StatusCode::INTERNAL_SERVER_ERROR, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

fn html_escape(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
}
