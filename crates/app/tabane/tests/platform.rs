//! Black-box HTTP tests of the platform: login, CSRF, rate limit, errors, audit, users,
//! bundles, files, calendar and the OpenAPI document. Most run on the small seed
//! (`tabane_testkit::seed`); those that need the prefecture or a second municipality use the demo.

use reqwest::StatusCode;
use serde_json::json;
use tabane_testkit::TestApp;

#[tokio::test]
async fn login_page_answers_in_japanese_and_wrong_password_is_explained() {
    let app = TestApp::spawn().await;
    let c = app.anon();
    let r = c.get(app.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("ログイン") && html.contains("lang=\"ja\""));
    let token = html.split("name=\"_csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = c
        .post(app.url("/login"))
        .form(&[("_csrf", token.as_str()), ("login", "pref-admin"), ("password", "wrong-password"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("ログインIDまたはパスワードが違います"));
    let r = c
        .post(app.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("login", "pref-admin"),
            ("password", tabane_core::demo::DEMO_PASSWORD),
            ("next", "/orgs"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/orgs");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("tabane_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let dash = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(dash.contains("ダッシュボード") && dash.contains("静岡県"));
}

#[tokio::test]
async fn login_is_rate_limited_per_account() {
    let (app, _) = TestApp::spawn_small().await;
    let c = app.anon();
    for _ in 0..tabane_core::service::accounts::MAX_FAILURES_PER_LOGIN {
        let r = c
            .post(app.url("/api/session"))
            .json(&json!({"login": "shimoda-staff", "password": "nope-nope-nope"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, and says why.
    let r = c
        .post(app.url("/api/session"))
        .json(&json!({"login": "shimoda-staff", "password": tabane_core::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "rate_limited");
    // Another account is not affected.
    app.login("shimoda-admin").await;
}

#[tokio::test]
async fn state_changes_without_csrf_token_are_refused() {
    let (app, _) = TestApp::spawn_small().await;
    let u = app.login("shimoda-admin").await;
    let r = u.client.post(u.url("/api/bundles")).json(&json!({"name": "x", "scheme": "council"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = u.client.post(u.url("/bundles")).form(&[("name", "x"), ("scheme", "council")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("再読み込み"));
    let r = u
        .client
        .post(u.url("/bundles"))
        .form(&[("name", "x"), ("scheme", "council"), ("_csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn errors_carry_code_message_and_request_id_in_both_languages() {
    let (app, _) = TestApp::spawn_small().await;
    let u = app.login("shimoda-admin").await;
    let r = u.get("/api/orgs/999999").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let rid = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "not_found");
    assert_eq!(v["message"], "見つかりません");
    assert_eq!(v["request_id"], rid.as_str());
    let (_, v) = u.get_json("/api/orgs/999999?lang=en").await;
    assert_eq!(v["message"], "Not found");
    let html = u.get("/orgs/999999").await.text().await.unwrap();
    assert!(html.contains("見つかりません") && html.contains("リクエストID"));
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let (app, _) = TestApp::spawn_small().await;
    let admin = app.login("admin").await;
    let (_, before) = admin.get_json("/api/audit").await;
    let (s, v) = admin
        .send_json("post", "/api/orgs", json!({"kind": "municipality", "name": "いわき市", "lg_code": "072041"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["code"], "invalid_input");
    assert_eq!(v["fields"][0]["field"], "lg_code");
    assert!(v["message"].as_str().unwrap().contains("6桁目は 4"), "{v}");
    let (_, after) = admin.get_json("/api/audit").await;
    assert_eq!(before["total"], after["total"], "no audit entry, nothing written");
    let (s, v) = admin
        .send_json(
            "post",
            "/api/orgs",
            json!({"kind": "municipality", "name": "いわき市", "lg_code": "072044", "valid_from": "令和元年5月1日"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["valid_from"], "2019-05-01");
    // The HTML form shows the problem beside the field and keeps what was typed.
    let r = admin.post_form("/orgs", &[("kind", "municipality"), ("name", "テスト町"), ("lg_code", "222195")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("6桁目は 4") && html.contains("value=\"テスト町\""));
}

#[tokio::test]
async fn every_change_is_audited_with_before_and_after() {
    let (app, _) = TestApp::spawn_small().await;
    let a = app.login("shimoda-admin").await;
    let org = app.org_id("下田市").await;
    let (s, v) = a.send_json("put", &format!("/api/orgs/{org}"), json!({"kind": "municipality", "name": "下田市", "lg_code": "222194", "address": "静岡県下田市東本郷一丁目5番18号"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, log) = a.get_json("/api/audit?entity=organisation&action=update").await;
    let e = &log["items"][0];
    assert_eq!(e["actor"], "shimoda-admin");
    assert!(e["before"].as_str().unwrap().contains("\"address\":null"));
    assert!(e["after"].as_str().unwrap().contains("東本郷"));
    // Staff cannot read the audit log; the export is a CSV with Japanese headers.
    let staff = app.login("shimoda-staff").await;
    assert_eq!(staff.get("/api/audit").await.status(), StatusCode::FORBIDDEN);
    let csv = a.get("/audit/export?format=csv").await.bytes().await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    assert!(String::from_utf8_lossy(&csv).contains("操作者"));
    // Every export reads `?format=` the same way: the three forms, and a clear refusal naming
    // the field for anything else (it was a UTF-8 CSV whatever was asked before).
    let xlsx = a.get("/audit/export?format=xlsx").await;
    assert_eq!(xlsx.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let sjis = a.get("/audit/export?format=cp932").await;
    assert_eq!(sjis.headers()["content-type"], "text/csv; charset=Shift_JIS");
    let bad = a.get("/audit/export?format=pdf").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(text.contains("形式") && text.contains("csv・cp932・xlsx"), "{text}");
}

#[tokio::test]
async fn roles_are_granted_and_revoked_with_immediate_effect() {
    let (app, _) = TestApp::spawn_small().await;
    let admin = app.login("shimoda-admin").await;
    let (s, u) = admin
        .send_json(
            "post",
            "/api/users",
            json!({"login": "new-staff", "display_name": "新任 職員", "password": "initial-pass-1", "role": "viewer"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let id = u["id"].as_i64().unwrap();
    let newbie = app.login_with("new-staff", "initial-pass-1").await;
    let (_, me) = newbie.get_json("/api/me").await;
    assert_eq!(me["role"], "viewer");
    // A viewer cannot write.
    let r = newbie.post_file("/api/files", "memo.txt", b"memo".to_vec(), &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (s, _) = admin.send_json("put", &format!("/api/users/{id}/role"), json!({"role": "staff"})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(newbie.post_file("/api/files", "memo.txt", b"memo".to_vec(), &[]).await.status(), StatusCode::CREATED);
    let (s, _) = admin.send_json("put", &format!("/api/users/{id}/role"), json!({"role": ""})).await;
    assert_eq!(s, StatusCode::OK);
    let (_, me) = newbie.get_json("/api/me").await;
    assert_eq!(me["memberships"].as_array().unwrap().len(), 0);
    assert_eq!(newbie.get("/api/users").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bundles_are_created_shared_and_switched_to() {
    let app = TestApp::spawn().await;
    let a = app.login("shimoda-admin").await;
    let (s, b) = a.send_json("post", "/api/bundles", json!({"name": "南伊豆 共同発注", "scheme": "共同発注", "period_start": "R7.4.1", "period_end": "R10.3.31"})).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_i64().unwrap();
    assert_eq!(b["period_end"], "2028-03-31");
    let kawazu = app.org_id("河津町").await;
    let k = app.login("kawazu-admin").await;
    assert_eq!(k.get(&format!("/api/bundles/{id}")).await.status(), StatusCode::NOT_FOUND);
    let (s, v) = a.send_json("put", &format!("/api/bundles/{id}/members/{kawazu}"), json!({"role": "owner"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = k.get_json(&format!("/api/bundles/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["members"].as_array().unwrap().len(), 2);
    // A member that is not the lead cannot manage the bundle.
    let (s, _) = k.send_json("put", &format!("/api/bundles/{id}"), json!({"name": "改名", "scheme": "council"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The switcher puts the bundle into the session.
    let r = k.post_form("/switch", &[("org_id", &kawazu.to_string()), ("bundle_id", &id.to_string())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, me) = k.get_json("/api/me").await;
    assert_eq!(me["acting_bundle_id"], id);
    // The lead cannot be removed.
    let shimoda = app.org_id("下田市").await;
    let (s, v) = a.send_json("delete", &format!("/api/bundles/{id}/members/{shimoda}"), json!(null)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

#[tokio::test]
async fn uploads_are_checked_by_content_size_and_extension() {
    let app = TestApp::spawn().await;
    let u = app.login("pref-staff").await;
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let r = u.post_file("/api/files", "photo.pdf", png.clone(), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["message"].as_str().unwrap().contains("拡張子"), "{v}");
    let r = u.post_file("/api/files", "big.txt", vec![b'a'; 2_000_001], &[]).await;
    assert!(r.status() == StatusCode::UNPROCESSABLE_ENTITY || r.status() == StatusCode::PAYLOAD_TOO_LARGE);
    let r = u.post_file("/api/files", "写真.png", png, &[]).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: serde_json::Value = r.json().await.unwrap();
    let dl = u.get(&format!("/files/{}", v["id"])).await;
    assert_eq!(dl.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn calendar_api_converts_era_boundaries() {
    let app = TestApp::spawn().await;
    let u = app.login("pref-viewer").await;
    let (_, v) = u.get_json("/api/calendar/convert?date=2019-04-30").await;
    assert_eq!(v["wareki"], "平成31年4月30日");
    let (_, v) = u.get_json("/api/calendar/convert?date=R1.5.1&rule=%2B40d").await;
    assert_eq!(v["date"], "2019-05-01");
    assert_eq!(v["wareki"], "令和元年5月1日");
    assert_eq!(v["deadline"], "2019-06-10");
    let (s, v) = u.get_json("/api/calendar/convert?date=平成32年1月1日").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("平成"));
}

#[tokio::test]
async fn openapi_document_lists_the_json_routes() {
    let (app, _) = TestApp::spawn_small().await;
    let v: serde_json::Value = app.anon().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["openapi"], "3.1.0");
    assert!(v["paths"]["/api/orgs"]["get"].is_object() && v["paths"]["/api/orgs"]["post"].is_object());
    assert!(v["paths"]["/api/bundles/{id}/members/{org_id}"]["delete"].is_object());
    for r in tabane::all_routes().iter().filter(|r| r.is_api()) {
        assert!(v["paths"][r.path][r.method].is_object(), "{} {}", r.method, r.path);
    }
}

#[tokio::test]
async fn assets_are_embedded_and_pages_link_no_external_host() {
    let (app, _) = TestApp::spawn_small().await;
    let c = app.anon();
    for a in ["/assets/htmx.min.js", "/assets/tabane.css", "/assets/leaflet/leaflet.js"] {
        assert_eq!(c.get(app.url(a)).send().await.unwrap().status(), StatusCode::OK, "{a}");
    }
    let u = app.login("admin").await;
    for p in ["/", "/orgs", "/bundles", "/users", "/audit", "/calendar", "/orgs/import"] {
        let html = u.get(p).await.text().await.unwrap();
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "{p} references an external host");
        assert!(html.contains("本文へ移動"), "{p} has a skip link");
    }
}
