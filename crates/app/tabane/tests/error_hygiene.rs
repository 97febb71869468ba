//! Database and internal failures answer an opaque message with the request id: no SQL,
//! driver or file-path text reaches a client (pages, JSON, Open311), and Open311 reads answer a
//! failure as a 500 in its error-list format, never as an empty list.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use tabane_testkit::TestApp;

/// Words that would mean a driver's or the database's own text got out.
fn leaks(body: &str) -> Option<&'static str> {
    [
        "no such table",
        "relation",
        "SQL",
        "sqlx",
        "sqlite",
        "postgres",
        "Database error",
        "データベースの処理に失敗",
        "infra_resident_reports",
        "audit_log",
        "/tmp/",
        ".rs:",
    ]
    .into_iter()
    .find(|w| body.contains(w))
}

#[tokio::test]
async fn a_broken_table_answers_opaquely_everywhere() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-admin").await;
    // Break two tables under the running server, as a failed disk or a bad migration would.
    let cascade = if app.tdb.is_postgres() { " CASCADE" } else { "" };
    for table in ["audit_log", "infra_resident_reports"] {
        app.db.execute_unprepared(&format!("DROP TABLE {table}{cascade}")).await.unwrap();
    }

    let r = pref.get("/api/audit").await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let rid = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let body = r.text().await.unwrap();
    assert_eq!(leaks(&body), None, "JSON: {body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["request_id"], rid.as_str());
    assert_eq!(v["code"], "database_error");

    let r = pref.get("/audit").await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let rid = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let body = r.text().await.unwrap();
    assert_eq!(leaks(&body), None, "page: {body}");
    assert!(body.contains(&rid), "the page names the request id");

    for path in ["/open311/v2/requests.json", "/open311/v2/requests.xml"] {
        let r = app.anon().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let rid = r.headers()["x-request-id"].to_str().unwrap().to_string();
        let body = r.text().await.unwrap();
        assert_eq!(leaks(&body), None, "{path}: {body}");
        assert!(
            body.contains("error") && body.contains("500") && body.contains(&rid),
            "{path}: an error list naming the request: {body}"
        );
    }
    let form = [
        ("api_key", "tabane-demo-open311"),
        ("service_code", "road-pothole"),
        ("lat", "34.69"),
        ("long", "138.95"),
        ("attribute[danger]", "yes"),
        ("description", "穴"),
    ];
    let r = app.anon().post(app.url("/open311/v2/requests.json")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "a post that cannot be stored is not a 400");
    let body = r.text().await.unwrap();
    assert_eq!(leaks(&body), None, "Open311 post: {body}");
}
