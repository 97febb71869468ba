//! Cached answers never outlive a change: sessions and the busy 群マネ reads are kept in memory
//! under the database's revision counters, so a change made through another app server (or a
//! service outside the web layer) is seen by the very next request. Also: a crowded map
//! viewport is answered as clusters that account for every job in it.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tabane_core::Ctx;
use tabane_core::domain::Role;
use tabane_core::service::{accounts, revisions};
use tabane_testkit::TestApp;

fn item_status(list: &Value, id: i64) -> Option<String> {
    list["items"]
        .as_array()?
        .iter()
        .find(|i| i["order"]["id"] == id)
        .map(|i| i["order"]["status"].as_str().unwrap_or("").to_string())
}

#[tokio::test]
async fn a_step_taken_on_another_server_is_seen_by_the_next_read() {
    let app = TestApp::spawn().await;
    let b = app.second_server().await;
    let pref = app.login("pref-staff").await;
    let (s, v) = pref
        .send_json("post", "/api/infra/work-orders", json!({"category": "県道 落石除去", "description": "路肩に落石", "urgency": "emergency", "lat": "34.6801", "lon": "138.9402"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();

    // Server A answers and keeps the view, the list and the map.
    let list_path = "/api/infra/work-orders?status=received";
    let map_path = "/api/infra/map?layer=orders&cluster=0";
    for _ in 0..2 {
        let (_, v) = pref.get_json(&format!("/api/infra/work-orders/{id}")).await;
        assert_eq!(v["status"], "received");
        let (_, l) = pref.get_json(list_path).await;
        assert_eq!(item_status(&l, id).as_deref(), Some("received"));
    }
    let (_, m) = pref.get_json(map_path).await;
    let status_on_map = |m: &Value| {
        m["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == id)
            .map(|f| f["properties"]["status"].clone())
    };
    assert_eq!(status_on_map(&m), Some(json!("受付")));

    // The same user instructs the job through server B.
    let (s, v) = pref
        .on(b)
        .send_json(
            "post",
            &format!("/api/infra/work-orders/{id}/step"),
            json!({"action": "instruct", "instruction": "至急除去してください"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // Server A's next answers show it.
    let (_, v) = pref.get_json(&format!("/api/infra/work-orders/{id}")).await;
    assert_eq!(v["status"], "instructed");
    let (_, l) = pref.get_json(list_path).await;
    assert_eq!(item_status(&l, id), None, "no longer 受付");
    let (_, m) = pref.get_json(map_path).await;
    assert_eq!(status_on_map(&m), Some(json!("指示")));
    let page = pref.get(&format!("/infra/work-orders/{id}")).await.text().await.unwrap();
    assert!(page.contains("至急除去してください"), "the page shows the instruction");
}

#[tokio::test]
async fn a_revoked_membership_takes_effect_at_the_next_request_on_every_server() {
    let app = TestApp::spawn().await;
    let b = app.second_server().await;
    let jv = app.login("jv-staff").await;
    let (s, l) = jv.get_json("/api/infra/work-orders").await;
    assert_eq!(s, StatusCode::OK);
    let id = l["items"][0]["order"]["id"].as_i64().expect("the JV sees the bundle's jobs");
    // Both servers have loaded (and keep) the session and the view.
    for u in [jv.on(app.addr), jv.on(b)] {
        let (s, _) = u.get_json(&format!("/api/infra/work-orders/{id}")).await;
        assert_eq!(s, StatusCode::OK);
    }
    // The membership is revoked outside the web layer (the service raises the counter itself).
    let user = accounts::find_user_by_login(&app.db, "jv-staff").await.unwrap();
    let jv_org = app.org_id("下田地域維持型JV").await;
    accounts::revoke(&app.db, &Ctx::cli(), user.id, jv_org).await.unwrap();
    for u in [jv.on(app.addr), jv.on(b)] {
        let (s, v) = u.get_json(&format!("/api/infra/work-orders/{id}")).await;
        assert!(s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN, "{s}: {v}");
        let (_, l) = u.get_json("/api/infra/work-orders").await;
        assert_eq!(l["items"].as_array().map_or(0, Vec::len), 0, "{l}");
    }
    // Granting it again is seen as quickly.
    accounts::grant(&app.db, &Ctx::cli(), user.id, jv_org, Role::Staff).await.unwrap();
    let (s, _) = jv.get_json(&format!("/api/infra/work-orders/{id}")).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn logging_out_ends_the_session_on_every_server() {
    let app = TestApp::spawn().await;
    let b = app.second_server().await;
    let pref = app.login("pref-staff").await;
    for u in [pref.on(app.addr), pref.on(b)] {
        let (s, _) = u.get_json("/api/infra/work-orders").await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, _) = pref.on(b).send_json("delete", "/api/session", json!({})).await;
    assert!(s.is_success(), "{s}");
    for u in [pref.on(app.addr), pref.on(b)] {
        let (s, _) = u.get_json("/api/infra/work-orders").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_crowded_viewport_is_answered_as_clusters_that_count_every_job() {
    let app = TestApp::spawn().await;
    let pref_org = app.org_id("静岡県").await;
    let user = accounts::find_user_by_login(&app.db, "pref-staff").await.unwrap();
    let ctx = Ctx {
        user_id: Some(user.id),
        actor: user.login.clone(),
        system_admin: false,
        org_id: Some(pref_org),
        role: Some(Role::Staff),
        bundle_id: None,
        request_id: None,
    };
    // 520 jobs on a 26 × 20 grid in an empty corner of the bundle's area.
    let n = 520;
    for i in 0..n {
        let (lat, lon) = (34.600 + (i / 26) as f64 * 0.001, 138.800 + (i % 26) as f64 * 0.001);
        let f = tabane_infra::service::work_orders::NewWorkOrder {
            category: "路面清掃".into(),
            description: format!("区画 {i}"),
            urgency: "normal".into(),
            lat: format!("{lat:.4}"),
            lon: format!("{lon:.4}"),
            ..Default::default()
        };
        tabane_infra::service::work_orders::create(&app.db, &ctx, &f).await.unwrap();
    }
    // Written outside the web layer: raise the counter as such writers must.
    revisions::bump(&app.db, revisions::DATA).await.unwrap();

    let bbox = "138.7995,34.5995,138.8255,34.6195";
    let pref = app.login("pref-staff").await;
    let (s, m) = pref.get_json(&format!("/api/infra/map?layer=orders&bbox={bbox}")).await;
    assert_eq!(s, StatusCode::OK);
    let features = m["features"].as_array().unwrap();
    assert!(features.iter().all(|f| f["properties"]["layer"] == "cluster"), "more than 500 jobs: clusters only");
    assert!(features.len() <= tabane_infra::service::map::GRID * tabane_infra::service::map::GRID);
    let total: u64 = features.iter().map(|f| f["properties"]["count"].as_u64().unwrap()).sum();
    assert_eq!(total, n, "every job in the viewport is counted once");
    let open: u64 = features.iter().map(|f| f["properties"]["open"].as_u64().unwrap()).sum();
    assert_eq!(open, n, "all are 受付, so all are open");
    for f in features {
        let b: Vec<f64> = f["properties"]["bounds"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        assert!(
            b[0] >= 138.7995 && b[2] <= 138.8255 && b[1] >= 34.5995 && b[3] <= 34.6195,
            "a cluster's bounds lie in the viewport: {b:?}"
        );
    }

    // Asked without clusters, the same viewport gives one feature per job.
    let (_, m) = pref.get_json(&format!("/api/infra/map?layer=orders&bbox={bbox}&cluster=0")).await;
    assert_eq!(m["features"].as_array().unwrap().len() as u64, n);
    // Zoomed into one cluster's bounds, the jobs come back one by one.
    let (_, m) = pref.get_json("/api/infra/map?layer=orders&bbox=138.7995,34.5995,138.8055,34.6055").await;
    let fs = m["features"].as_array().unwrap();
    assert!(!fs.is_empty() && fs.iter().all(|f| f["properties"]["layer"] == "work_order"), "{m}");

    // The city, another owner in the bundle, sees the same jobs counted; an organisation
    // outside the bundle sees none.
    let city = app.login("shimoda-staff").await;
    let (_, m) = city.get_json(&format!("/api/infra/map?layer=orders&bbox={bbox}")).await;
    let total: u64 =
        m["features"].as_array().unwrap().iter().map(|f| f["properties"]["count"].as_u64().unwrap_or(1)).sum();
    assert_eq!(total, n);
    let outsider = app.login("nagasaki-staff").await;
    let (s, m) = outsider.get_json(&format!("/api/infra/map?layer=orders&bbox={bbox}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["features"].as_array().unwrap().len(), 0, "{m}");
}
