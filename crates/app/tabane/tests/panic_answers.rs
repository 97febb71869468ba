//! A panic costs one request, never the server: a handler that panics answers 500 with the
//! request id (HTML for pages, JSON under /api/ and /open311/), in the task a write runs in
//! too, the panic is counted once by the hook, and the server goes on serving.
//! (A binary of its own: it panics on purpose, so it must not share a process with the tests
//! that assert no panic happened.)

use axum::routing::{get, post};
use reqwest::StatusCode;
use tabane_testkit::TestApp;
use tabane_web::{Access, RouteDef, WebConfig};

async fn boom() -> &'static str {
    panic!("a bug in a handler")
}

fn panicking_routes() -> Vec<RouteDef> {
    let def = |method, path, handler| RouteDef::new(method, path, Access::Public, "test", "test", handler);
    vec![
        def("get", "/test/panic", get(boom)),
        def("get", "/api/test/panic", get(boom)),
        // A write: it runs in a task of its own (see middleware::session); /open311/ posts
        // carry no CSRF token.
        def("post", "/open311/test/panic", post(boom)).external(),
    ]
}

#[tokio::test]
async fn a_panicking_handler_answers_500_with_the_request_id_and_the_server_lives() {
    let _ = tracing_subscriber::fmt().with_env_filter("info").with_writer(std::io::stderr).try_init();
    let app = TestApp::spawn_with_routes(WebConfig::default(), panicking_routes()).await;
    let client = app.anon();
    let before = tabane_web::panics::count();

    let r = client.get(app.url("/test/panic")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let rid = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
    assert!(r.headers().get("content-security-policy").is_some(), "security headers on a caught panic too");
    let body = r.text().await.unwrap();
    assert!(body.contains(&rid) && body.contains("内部エラー"), "{body}");
    assert!(!body.contains("a bug in a handler"), "the panic message stays in the log: {body}");

    let r = client.get(app.url("/api/test/panic")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let rid = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "internal_error");
    assert_eq!(v["request_id"], rid.as_str());

    let r = client.post(app.url("/open311/test/panic")).form(&[("a", "b")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "a panic in a write's own task");
    let rid = r.headers().get("x-request-id").unwrap().to_str().unwrap().to_string();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["request_id"], rid.as_str());

    assert_eq!(tabane_web::panics::count() - before, 3, "each panic counted (and logged) once");
    assert_eq!(
        client.get(app.url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK,
        "the server still serves"
    );
    assert_eq!(client.get(app.url("/login")).send().await.unwrap().status(), StatusCode::OK);
}
