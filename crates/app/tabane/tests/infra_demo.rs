//! 群マネのデモ (the infra demo), as a smoke test: the module's tests live in its crate; this one
//! checks that the demo the app loads gives a new user a working 群マネ — its pages answer and
//! show the demo's own records.

use reqwest::StatusCode;
use tabane_testkit::TestApp;

#[tokio::test]
async fn the_demo_gives_a_working_infra_module() {
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    for path in ["/infra", "/infra/assets", "/infra/mieruka", "/infra/forecast", "/infra/repair-plan"] {
        let r = city.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
    let html = city.get("/infra/assets?q=白浜").await.text().await.unwrap();
    assert!(html.contains("白浜中央線"), "下田市's demo road is listed");
    let (s, v) = city.get_json("/api/infra/work-orders?page=1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["items"].as_array().is_some_and(|a| !a.is_empty()), "the demo has work orders: {v}");
}
