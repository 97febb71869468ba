//! Turning domain errors into responses. A handler returns `Err(AppError)`; the response
//! carries the error as an extension, and the outer middleware (`render_errors`) renders it as
//! JSON `{code, message, request_id}` under `/api/` or as an HTML page elsewhere, in the
//! user's language and with the request id, so support can find the log line.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tabane_core::Error;

#[derive(Debug)]
pub struct AppError(pub Error);

impl<E: Into<Error>> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.into())
    }
}

/// Every domain error maps to exactly one HTTP status.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Invalid(_) | Error::Import(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Error::Db(_) | Error::Internal(_) | Error::Crypto(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Carried in the response extensions until `render_errors` turns it into a body.
#[derive(Clone)]
pub struct PendingError(pub Arc<Error>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if matches!(self.0, Error::Db(_) | Error::Internal(_) | Error::Crypto(_)) {
            tracing::error!(error = %self.0, "request failed");
        }
        let mut r = status_of(&self.0).into_response();
        r.extensions_mut().insert(PendingError(Arc::new(self.0)));
        r
    }
}

pub type AppResult<T> = Result<T, AppError>;
