//! Request pipeline, outermost first: security headers (`security`) → request id and span →
//! panic containment (`panics`) → language → session (and, for writes, the write's own task and
//! SQLite turn) → error rendering → CSRF → route access check (per route, from the route table)
//! → handler.

use crate::error::{AppError, PendingError, status_of};
use crate::i18n::Lang;
use crate::routes::{Access, RouteKind};
use crate::state::Shared;
use crate::views;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use tabane_core::Error;
use tabane_core::service::revisions::{self, Revisions};
use tabane_core::service::sessions::SessionInfo;
use tracing::Instrument;

pub const SESSION_COOKIE: &str = "tabane_session";
pub const LOGIN_CSRF_COOKIE: &str = "tabane_login_csrf";
pub const LANG_COOKIE: &str = "tabane_lang";

/// リクエストID, shown on error pages and written to the log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The signed-in user (if any) for this request, with the cookie token.
#[derive(Clone)]
pub struct CurrentSession(pub Option<(Arc<SessionInfo>, String)>);

pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Gives the request its id and its span. The span is a root (`parent: None`): it never
/// inherits whatever span the accepting thread happens to have entered. It is attached to the
/// request's future with `Instrument`, which enters it on every poll and leaves it before the
/// future yields, so it is never left entered on a worker thread while the future is parked
/// and another request runs there. (Holding `span.enter()` across `.await` did exactly that:
/// each worker thread's span stack then chained the spans of unrelated requests, until closing
/// one recursed through thousands of parents and overflowed the stack, or a span was exited on
/// another thread than it was entered on — "tried to clone a span that already closed".)
/// Work moved into another task carries the span explicitly (see `session`).
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(parent: None, "request", id = %id, method = %req.method(), path = %req.uri().path());
    let mut res = next.run(req).instrument(span).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

pub async fn language(mut req: Request, next: Next) -> Response {
    let from_query =
        req.uri().query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang="))).and_then(Lang::from_code);
    let lang = from_query
        .or_else(|| cookie(req.headers(), LANG_COOKIE).as_deref().and_then(Lang::from_code))
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    next.run(req).await
}

/// Loads the session once per request (assets and health checks skip the database). The
/// revision counters are read first, for the session cache and for handlers' read caches;
/// after a state-changing request the `data` counter is raised, whatever the module.
pub async fn session(State(state): State<Shared>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let skip = path.starts_with("/assets/") || path == "/healthz";
    if skip {
        req.extensions_mut().insert(CurrentSession(None));
        return next.run(req).await;
    }
    let revs = match revisions::snapshot(&state.db).await {
        Ok(r) => r,
        Err(e) => return failed_outside_handler(&req, &e),
    };
    let mut current = CurrentSession(None);
    if let Some(token) = bearer_token(&req) {
        // A service account's API token: only under /api/, never with the cookie as well.
        let tr = token_request(&state, &req);
        match token_session(&state, &token, tr, &revs).await {
            Ok(info) => current = CurrentSession(Some((Arc::new(info), String::new()))),
            Err(res) => return res,
        }
    } else if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        match state.caches.sessions.load(&state.db, &token, &revs).await {
            Ok(Some(mut info)) => {
                info.ctx.request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
                current = CurrentSession(Some((Arc::new(info), token)));
            }
            Ok(None) => {}
            Err(e) => return failed_outside_handler(&req, &e),
        }
    }
    req.extensions_mut().insert(current);
    let reads = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if reads {
        // Only reads may use the read caches: a write must see its own effects.
        req.extensions_mut().insert(revs);
        let _slot = state.caches.read_slots.take(&state.db).await;
        return next.run(req).await;
    }
    // A write runs to its end in a task of its own, so a client that goes away cannot stop it
    // between the handler's commit and the raise of the counter.
    let db = state.db.clone();
    let rid = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let is_json = is_machine(&req);
    // The task carries the request's span (a handle, not an entered guard): its log lines keep
    // the request id, and the span closes when the last of the request and the task is done.
    let span = tracing::Span::current();
    let gate = state.caches.writes.clone();
    let task = tokio::spawn(async move {
        // On SQLite, write requests take turns (see `WriteGate`); the turn is held until the
        // counter is raised.
        let _turn = match gate.turn(&db).await {
            Ok(turn) => turn,
            Err(busy) => return busy,
        };
        let res = next.run(req).await;
        // Refused requests (4xx) wrote nothing: bad input, no access, a forged form, a limit.
        if !res.status().is_client_error() {
            // After the handler's transaction and before the answer: the client's next read
            // already misses every cached answer, on every server.
            if let Err(e) = revisions::bump(&db, revisions::DATA).await {
                // The change itself is committed; answering 500 would invite a repeat.
                tracing::error!(error = %e, "raising the data revision after a write failed; cached reads may lag until the next write");
            }
        }
        res
    }.instrument(span));
    match task.await {
        Ok(res) => res,
        Err(e) => {
            // A panic was logged by the panic hook already; anything else (cancellation) here.
            if !e.is_panic() {
                tracing::error!(error = %e, "request task failed");
            }
            crate::panics::internal_error_response(&rid, is_json)
        }
    }
}

/// The token of `Authorization: Bearer …` on an `/api/` path (elsewhere the header is ignored:
/// pages are for people, who sign in).
fn bearer_token(req: &Request) -> Option<String> {
    if !req.uri().path().starts_with("/api/") {
        return None;
    }
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// The session of an API token: checked (failures rate-limited per client address), its use
/// recorded in the audit log in the service account's name, before the handler runs. A bad
/// token is refused here, in JSON, whatever the route: it never falls back to a cookie.
fn token_request(state: &Shared, req: &Request) -> TokenRequest {
    // Everything needed from the request is read first: a `&Request` cannot be held across
    // an await (its body is not `Sync`).
    let rid = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let client = match req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
        Some(c) => crate::pages::session::client_address(&state.cfg, req.headers(), c.0),
        None => "unknown".into(),
    };
    let method = req.method().to_string();
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    TokenRequest { rid, lang, client, method, path }
}

struct TokenRequest {
    rid: String,
    lang: Lang,
    client: String,
    method: String,
    path: String,
}

async fn token_session(
    state: &Shared,
    token: &str,
    r: TokenRequest,
    revs: &Revisions,
) -> Result<SessionInfo, Response> {
    use tabane_core::service::service_accounts;
    let refuse = |e: Error| {
        let mut res = json_error(&e, r.lang, &r.rid);
        if matches!(e, Error::Unauthenticated) {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    };
    let failed = |e: Error| {
        tracing::error!(error = %e, "checking an API token failed");
        crate::panics::internal_error_response(&r.rid, true)
    };
    // Reads first (the failure count, then the token's session, cached like a cookie's).
    service_accounts::check_failures(&state.db, &r.client).await.map_err(|e| match e {
        Error::RateLimited => refuse(e),
        other => failed(other),
    })?;
    let mut info = match state.caches.sessions.load_token(&state.db, token, revs).await {
        Ok(Some(info)) => info,
        Ok(None) => {
            // A failure is a write: on SQLite it takes its turn like any write.
            let _turn = state.caches.writes.turn(&state.db).await?;
            service_accounts::record_failure(&state.db, &r.client).await.map_err(failed)?;
            return Err(refuse(Error::Unauthenticated));
        }
        Err(e) => return Err(failed(e)),
    };
    info.ctx.request_id = Some(r.rid.clone());
    let token_id = info.token.as_ref().map(|t| t.token_id).unwrap_or_default();
    let org_id = info.ctx.org_id.unwrap_or_default();
    let u = service_accounts::TokenUse { ctx: info.ctx.clone(), token_id, org_id, method: r.method, path: r.path };
    if !state.caches.token_uses.record(&state.db, &state.caches.writes, u).await {
        return Err(crate::panics::internal_error_response(&r.rid, true));
    }
    Ok(info)
}

/// The kind of each route, by its path pattern (installed by `app`).
#[derive(Clone, Default)]
pub struct RouteKinds(pub Arc<std::collections::HashMap<&'static str, RouteKind>>);

/// The kind of the route this request matched, as the route table declares it. A request no
/// route matched (a 404) is answered in JSON under `/api/` and as a page elsewhere.
pub fn route_kind<B>(req: &axum::http::Request<B>) -> RouteKind {
    let declared = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .and_then(|m| req.extensions().get::<RouteKinds>().and_then(|k| k.0.get(m.as_str()).copied()));
    declared.unwrap_or(if req.uri().path().starts_with("/api/") { RouteKind::Api } else { RouteKind::Page })
}

/// Answered in JSON (or another machine format) rather than an HTML page.
pub fn is_machine(req: &Request) -> bool {
    route_kind(req).is_machine()
}

/// An error in the pipeline before the error renderer is reached (reading the revision
/// counters or the session): logged in full, answered opaquely with the request id.
fn failed_outside_handler(req: &Request, e: &Error) -> Response {
    tracing::error!(error = %e, "request failed before reaching its handler");
    let rid = req.extensions().get::<RequestId>().map(|r| r.0.as_str()).unwrap_or_default();
    crate::panics::internal_error_response(rid, is_machine(req))
}

const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// CSRF protection for every state-changing request. The token is taken from the
/// `X-CSRF-Token` header (htmx and API clients), the `_csrf` form field, or the `_csrf` query
/// parameter (multipart uploads). Before login, a double-submit cookie protects the login form.
pub async fn csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let signed_in = req.extensions().get::<CurrentSession>().and_then(|c| c.0.clone());
    // A request signed with an API token carries no cookie a browser would add on its own, so
    // there is nothing to forge.
    if signed_in.as_ref().is_some_and(|(info, _)| info.token.is_some()) {
        return next.run(req).await;
    }
    let expected = match signed_in {
        Some((info, _)) => Some(info.csrf_token.clone()),
        None => cookie(req.headers(), LOGIN_CSRF_COOKIE),
    };
    let path = req.uri().path().to_string();
    // Logging in through the API creates the session; nothing exists yet to forge. External
    // protocols (Open311) authenticate with a key of their own, never with cookies.
    if (path == "/api/session" && req.method() == Method::POST) || route_kind(&req) == RouteKind::External {
        return next.run(req).await;
    }
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let query_token = req.uri().query().and_then(|q| form_value(q.as_bytes(), "_csrf"));
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (req, body_token) = if header_token.is_none() && query_token.is_none() && is_form {
        let (parts, body) = req.into_parts();
        let bytes = match to_bytes(body, FORM_LIMIT).await {
            Ok(b) => b,
            Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response(),
        };
        let token = form_value(&bytes, "_csrf");
        (Request::from_parts(parts, Body::from(bytes)), token)
    } else {
        (req, None)
    };
    let given = header_token.or(query_token).or(body_token);
    match (expected, given) {
        (Some(e), Some(g)) if constant_time_eq(e.as_bytes(), g.as_bytes()) => next.run(req).await,
        _ => AppError(Error::forbidden(
            "フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてからもう一度送信してください",
            "The form expired or the request was forged. Reload the page and submit again",
        ))
        .into_response(),
    }
}

fn form_value(body: &[u8], key: &str) -> Option<String> {
    form_urlencoded::parse(body).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The access check of one route, installed from the route table.
pub async fn require_access(access: Access, kind: RouteKind, area: &'static str, req: Request, next: Next) -> Response {
    if access == Access::Public {
        return next.run(req).await;
    }
    let signed_in = req.extensions().get::<CurrentSession>().and_then(|c| c.0.clone());
    match signed_in {
        None => {
            if kind.is_machine() {
                AppError(Error::Unauthenticated).into_response()
            } else {
                let next_path =
                    req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
                Redirect::to(&format!(
                    "/login?next={}",
                    form_urlencoded::byte_serialize(next_path.as_bytes()).collect::<String>()
                ))
                .into_response()
            }
        }
        Some((info, _)) if access == Access::SystemAdmin && !info.ctx.system_admin => {
            AppError(Error::forbidden("システム管理者のみが利用できます", "System administrators only")).into_response()
        }
        Some((info, _))
            if info.token.as_ref().is_some_and(|t| {
                let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
                !t.scopes.allows(area, write)
            }) =>
        {
            AppError(Error::forbidden(
                format!("このAPIトークンには「{area}」のこの操作の権限（スコープ）がありません"),
                format!("This API token has no scope for this operation on \"{area}\""),
            ))
            .into_response()
        }
        Some(_) => next.run(req).await,
    }
}

/// The JSON answer of an error: `{code, message, request_id}`, with the field problems or the
/// import report when the error has them (the `Error` schema of the API document).
fn json_error(err: &Error, lang: Lang, rid: &str) -> Response {
    let mut body = serde_json::json!({ "code": err.code(), "message": err.message(lang.is_en()), "request_id": rid });
    match err {
        Error::Invalid(problems) => body["fields"] = serde_json::to_value(problems).unwrap_or_default(),
        Error::Import(report) => body["report"] = serde_json::to_value(report).unwrap_or_default(),
        _ => {}
    }
    (status_of(err), axum::Json(body)).into_response()
}

/// Renders a `PendingError` left by a handler: JSON for machine routes, an HTML page for pages.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let is_api = is_machine(&req);
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let rid = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
    let session = req.extensions().get::<CurrentSession>().cloned();
    let nav = req.extensions().get::<views::Nav>().cloned().unwrap_or_default();
    let res = next.run(req).await;
    let Some(PendingError(err)) = res.extensions().get::<PendingError>().cloned() else { return res };
    let status = status_of(&err);
    if is_api {
        return json_error(&err, lang, &rid);
    }
    if matches!(&*err, Error::Unauthenticated) {
        return Redirect::to("/login").into_response();
    }
    let info = session.and_then(|s| s.0).map(|(i, _)| i);
    let page = views::ErrorPage {
        chrome: views::Chrome::new(lang, info, rid, "", nav),
        status: status.as_u16(),
        code: err.code(),
        message: err.message(lang.is_en()),
    };
    (status, views::render(&page)).into_response()
}

/// Extractor: the signed-in user. Routes are access-checked before handlers run, so a
/// missing session here is a programming error reported as 401.
pub struct Auth(pub Arc<SessionInfo>, pub String);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<CurrentSession>().and_then(|c| c.0.clone()) {
            Some((info, token)) => Ok(Auth(info, token)),
            None => Err(AppError(Error::Unauthenticated)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<RequestId>().cloned().unwrap_or(RequestId(String::new())))
    }
}

/// Everything a page handler needs: language, user, request id, current path.
pub struct Page {
    pub lang: Lang,
    pub auth: Option<Arc<SessionInfo>>,
    pub rid: String,
    pub path: String,
    pub nav: views::Nav,
    /// The message of the step that redirected here (see `flash`).
    pub flash: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Page {
            lang: parts.extensions.get::<Lang>().copied().unwrap_or_default(),
            auth: parts.extensions.get::<CurrentSession>().and_then(|c| c.0.clone()).map(|(i, _)| i),
            rid: parts.extensions.get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default(),
            path: parts.uri.path().to_string(),
            nav: parts.extensions.get::<views::Nav>().cloned().unwrap_or_default(),
            flash: parts.extensions.get::<crate::flash::Flash>().and_then(|f| f.0.clone()),
        })
    }
}

impl Page {
    pub fn chrome(&self) -> views::Chrome {
        let mut c = views::Chrome::new(self.lang, self.auth.clone(), self.rid.clone(), &self.path, self.nav.clone());
        c.flash = self.flash.clone();
        c
    }
}

/// The revision counters read at the start of the request (see `session`), for handlers'
/// read caches. `None` (a path that skipped the session) means: do not cache.
#[derive(Clone, Copy, Debug)]
pub struct Revs(pub Option<Revisions>);

impl<S: Send + Sync> FromRequestParts<S> for Revs {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Revs(parts.extensions.get::<Revisions>().copied()))
    }
}
