//! Login, logout, language and the organisation/bundle switcher.

use crate::error::{AppError, AppResult};
use crate::middleware::{Auth, LANG_COOKIE, LOGIN_CSRF_COOKIE, Page, SESSION_COOKIE, cookie};
use crate::module::DemoLogins;
use crate::state::Shared;
use crate::views::{self, LoginPage};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use std::net::SocketAddr;
use tabane_core::Error;
use tabane_core::service::{accounts, sessions};

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

fn random_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The CSRF token of a form shown to a signed-out visitor (a public intake form): the login
/// form's double-submit cookie, reused when the browser has one, else a new token with the
/// `Set-Cookie` value to send with the page.
pub fn signed_out_form_token(st: &Shared, headers: &HeaderMap) -> (String, Option<String>) {
    match cookie(headers, LOGIN_CSRF_COOKIE) {
        Some(t) => (t, None),
        None => {
            let t = random_token();
            let c = format!("{LOGIN_CSRF_COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict{}", secure(st));
            (t, Some(c))
        }
    }
}

/// Only same-site paths are followed after login (no open redirect).
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next.to_string() } else { "/".into() }
}

/// What the login page needs besides the form: where to go next, what was typed, the message.
struct LoginView<'a> {
    next: &'a str,
    login: &'a str,
    error: Option<String>,
    token: String,
}

fn render_login(st: &Shared, page: &Page, demo: &DemoLogins, v: LoginView<'_>) -> Response {
    let LoginView { next, login, error, token } = v;
    let demo_users = if st.cfg.demo { demo.0.to_vec() } else { vec![] };
    let view = LoginPage {
        chrome: page.chrome(),
        next: next.to_string(),
        login: login.to_string(),
        error,
        login_csrf: token.clone(),
        demo_users,
        demo_password: tabane_core::demo::DEMO_PASSWORD,
    };
    let mut r = views::render(&view).into_response();
    set_cookie(&mut r, &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}", secure(st)));
    r
}

fn secure(st: &Shared) -> &'static str {
    if st.cfg.secure_cookies { "; Secure" } else { "" }
}

fn set_cookie(r: &mut Response, v: &str) {
    if let Ok(h) = HeaderValue::from_str(v) {
        r.headers_mut().append(header::SET_COOKIE, h);
    }
}

pub async fn login_page(
    State(st): State<Shared>,
    page: Page,
    Extension(demo): Extension<DemoLogins>,
    Query(q): Query<LoginQuery>,
) -> Response {
    if page.auth.is_some() {
        return Redirect::to(&safe_next(&q.next)).into_response();
    }
    render_login(&st, &page, &demo, LoginView { next: &q.next, login: "", error: None, token: random_token() })
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
    State(st): State<Shared>,
    page: Page,
    Extension(demo): Extension<DemoLogins>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let client = client_address(&st.cfg, &headers, addr);
    match accounts::authenticate(&st.db, &f.login, &f.password, &client).await {
        Ok(user) => match sessions::create(&st.db, user.id, st.cfg.session_hours).await {
            Ok(token) => {
                let mut r = Redirect::to(&safe_next(&f.next)).into_response();
                set_cookie(
                    &mut r,
                    &format!(
                        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
                        st.cfg.session_hours * 3600,
                        secure(&st)
                    ),
                );
                set_cookie(&mut r, &format!("{LOGIN_CSRF_COOKIE}=; Path=/; Max-Age=0"));
                r
            }
            Err(e) => AppError(e).into_response(),
        },
        Err(e) => {
            let msg = match e {
                Error::RateLimited => e.message(page.lang.is_en()),
                Error::Unauthenticated => {
                    page.lang.t("ログインIDまたはパスワードが違います", "Wrong login or password").to_string()
                }
                other => return AppError(other).into_response(),
            };
            let token = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_else(random_token);
            render_login(&st, &page, &demo, LoginView { next: &f.next, login: &f.login, error: Some(msg), token })
        }
    }
}

/// The client address for rate limiting. `X-Forwarded-For` is believed only when the
/// configuration says a reverse proxy sits in front (`behind_proxy`); then the last hop it
/// added is used. Otherwise anyone could pick their own address by sending the header. IPv6
/// clients are counted by their /64 network, as one household or host usually holds a /64.
pub fn client_address(cfg: &crate::state::WebConfig, headers: &HeaderMap, addr: SocketAddr) -> String {
    let forwarded = cfg
        .behind_proxy
        .then(|| {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|s| s.trim().parse::<std::net::IpAddr>().ok())
        })
        .flatten();
    match forwarded.unwrap_or(addr.ip()) {
        std::net::IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        std::net::IpAddr::V4(v4) => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_address_counts_only_behind_a_proxy_and_ipv6_by_its_64() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7".parse().unwrap());
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let direct = crate::state::WebConfig::default();
        assert_eq!(client_address(&direct, &h, peer), "10.0.0.2", "a client cannot choose its address");
        let proxied = crate::state::WebConfig { behind_proxy: true, ..Default::default() };
        assert_eq!(client_address(&proxied, &h, peer), "198.51.100.7", "the hop the proxy added");
        let v6: SocketAddr = "[2001:db8:1:2:3:4:5:6]:443".parse().unwrap();
        assert_eq!(client_address(&direct, &HeaderMap::new(), v6), "2001:db8:1:2::/64");
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:443".parse().unwrap();
        assert_eq!(client_address(&direct, &HeaderMap::new(), mapped), "192.0.2.1");
    }
}

pub async fn logout(State(st): State<Shared>, Auth(_, token): Auth) -> AppResult<Response> {
    sessions::delete(&st.db, &token).await?;
    let mut r = Redirect::to("/login").into_response();
    set_cookie(&mut r, &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
    Ok(r)
}

pub async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let code = if code == "en" { "en" } else { "ja" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
        .map(|p| safe_next(&p))
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&back).into_response();
    set_cookie(&mut r, &format!("{LANG_COOKIE}={code}; Path=/; SameSite=Lax; Max-Age=31536000"));
    r
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct SwitchForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    bundle_id: String,
}

/// Switching organisation clears the bundle; otherwise the chosen bundle is kept.
pub async fn switch(
    State(st): State<Shared>,
    Auth(info, token): Auth,
    headers: HeaderMap,
    Form(f): Form<SwitchForm>,
) -> AppResult<Response> {
    let org = super::int(&f.org_id);
    if let Some(org) = org.filter(|o| Some(*o) != info.ctx.org_id) {
        sessions::switch_org(&st.db, &token, &info, org).await?;
    } else {
        sessions::switch_bundle(&st.db, &token, &info, super::int(&f.bundle_id)).await?;
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| r[i + 3..].to_string()))
        .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
        .map(|p| safe_next(&p))
        .unwrap_or_else(|| "/".into());
    Ok(Redirect::to(&back).into_response())
}
