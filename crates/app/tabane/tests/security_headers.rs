//! Security headers on every kind of response: a page, a JSON answer, an asset, errors.

use reqwest::StatusCode;
use tabane_testkit::TestApp;
use tabane_web::WebConfig;

fn check(what: &str, r: &reqwest::Response, https: bool) {
    let h = |name: &str| {
        r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("{what}: no {name}")).to_string()
    };
    let csp = h("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "img-src 'self' data: https://cyberjapandata.gsi.go.jp",
    ] {
        assert!(csp.split(';').any(|d| d.trim() == directive), "{what}: CSP lacks «{directive}»: {csp}");
    }
    assert!(
        !csp.contains("unsafe-eval") && !csp.contains("script-src 'self' 'unsafe-inline'"),
        "{what}: scripts stay strict: {csp}"
    );
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("referrer-policy"), "same-origin", "{what}");
    let pp = h("permissions-policy");
    assert!(pp.contains("camera=()") && pp.contains("microphone=()") && pp.contains("geolocation=()"), "{what}: {pp}");
    assert_eq!(r.headers().get("strict-transport-security").is_some(), https, "{what}: HSTS only over HTTPS");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::spawn_with(false).await;
    let c = app.anon();
    let page = c.get(app.url("/login")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    check("page", &page, false);
    let json = c.get(app.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(json.status(), StatusCode::OK);
    check("JSON", &json, false);
    let asset = c.get(app.url("/assets/tabane.js")).send().await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    check("asset", &asset, false);
    let missing = c.get(app.url("/assets/nothing.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    check("404", &missing, false);
    let unauth = c.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(unauth.status(), StatusCode::UNAUTHORIZED);
    check("401 JSON error", &unauth, false);
    let forged = c.post(app.url("/logout")).send().await.unwrap();
    check("refused form", &forged, false);
    let open311 = c.get(app.url("/open311/v2/discovery.xml")).send().await.unwrap();
    check("Open311", &open311, false);
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_https() {
    let app = TestApp::spawn_configured(WebConfig { secure_cookies: true, ..Default::default() }).await;
    let r = app.anon().get(app.url("/login")).send().await.unwrap();
    check("page over HTTPS", &r, true);
    let v = r.headers()["strict-transport-security"].to_str().unwrap();
    assert!(v.starts_with("max-age=31536000"), "{v}");
}
