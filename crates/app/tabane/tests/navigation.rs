//! 参加に応じたナビゲーション: each demo user is shown the modules its organisation takes part
//! in, and no other (the 「準備中」 placeholders are gone); the platform's own entries stay.

use tabane_testkit::TestApp;

#[tokio::test]
async fn each_demo_user_is_shown_the_modules_its_organisation_takes_part_in() {
    let app = TestApp::spawn().await;
    // (login, shown 群マネ, shown 団地建替)
    let expected = [
        ("pref-admin", true, false),
        ("pref-viewer", true, false),
        ("shimoda-admin", true, false),
        ("shimoda-staff", true, false),
        ("jv-staff", true, false),
        ("kawazu-admin", false, false),
        ("nagasaki-staff", false, true),
        ("nagasaki-viewer", false, true),
        ("pfi-staff", false, true),
        // The system administrator, acting for 静岡県, like 静岡県's staff.
        ("admin", true, false),
    ];
    for (login, infra, housing) in expected {
        let u = app.login(login).await;
        let html = u.get("/").await.text().await.unwrap();
        assert_eq!(html.contains("href=\"/infra\""), infra, "{login}: 群マネ");
        assert_eq!(html.contains("href=\"/housing\""), housing, "{login}: 団地建替");
        assert!(!html.contains("準備中"), "{login}: no placeholders");
        assert!(html.contains("href=\"/meetings\"") && html.contains("href=\"/deliverables\""), "{login}");
    }
}

#[tokio::test]
async fn joining_a_bundle_with_work_shows_the_module_the_same_day() {
    let app = TestApp::spawn().await;
    let kawazu = app.login("kawazu-admin").await;
    assert!(!kawazu.get("/").await.text().await.unwrap().contains("href=\"/infra\""));
    // 静岡県 adds 河津町 to the maintenance bundle (which has work orders).
    let pref = app.login("pref-admin").await;
    let (_, bundles) = pref.get_json("/api/bundles").await;
    let maint = bundles.as_array().unwrap().iter().find(|b| b["name"].as_str().unwrap().contains("維持管理")).unwrap()
        ["id"]
        .as_i64()
        .unwrap();
    let town = app.org_id("河津町").await;
    let (s, v) = pref
        .send_json("put", &format!("/api/bundles/{maint}/members/{town}"), serde_json::json!({"role": "owner"}))
        .await;
    assert_eq!(s, reqwest::StatusCode::OK, "{v}");
    assert!(kawazu.get("/").await.text().await.unwrap().contains("href=\"/infra\""));
}
