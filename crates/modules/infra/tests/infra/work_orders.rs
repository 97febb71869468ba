//! 群マネ acceptance: two owners (静岡県, 下田市) and one JV share work orders through a bundle.
//! Each owner instructs and confirms only its own jobs; the JV starts and reports both; each
//! owner's ledger shows only its own confirmed cost.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tabane_testkit::{TestApp, User};

fn png() -> Vec<u8> {
    tabane_infra::demo::demo_png([10, 20, 30])
}

async fn new_job(u: &User, category: &str, lat: &str, lon: &str) -> i64 {
    let (s, v) = u.send_json("post", "/api/infra/work-orders", json!({"category": category, "description": format!("{category} の現場"), "urgency": "early", "lat": lat, "lon": lon})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn step(u: &User, id: i64, body: Value) -> (StatusCode, Value) {
    u.send_json("post", &format!("/api/infra/work-orders/{id}/step"), body).await
}

#[tokio::test]
async fn two_owners_one_contractor_each_confirms_only_its_own() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let city = app.login("shimoda-staff").await;
    let jv = app.login("jv-staff").await;

    let pref_job = new_job(&pref, "県道 舗装補修", "34.6936", "138.9736").await;
    let city_job = new_job(&city, "市道 側溝清掃", "34.6621", "138.9702").await;
    for (u, id) in [(&pref, pref_job), (&city, city_job)] {
        let (s, v) = step(u, id, json!({"action": "instruct", "instruction": "補修してください"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "instructed");
        assert!(v["order"]["due_on"].is_string(), "a due date is set from the urgency");
    }
    // The contractor cannot instruct, and an owner cannot start the work.
    let (s, v) = step(&jv, pref_job, json!({"action": "confirm"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["message"].as_str().unwrap().contains("静岡県"), "says who may do it: {v}");
    let (s, _) = step(&pref, pref_job, json!({"action": "start"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    for id in [pref_job, city_job] {
        let (s, _) = step(&jv, id, json!({"action": "start"})).await;
        assert_eq!(s, StatusCode::OK);
        // Reporting without a completion photo is refused, with the reason.
        let (s, v) = step(&jv, id, json!({"action": "report", "cost_labour": "50000"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["message"].as_str().unwrap().contains("完了写真"));
        for phase in ["before", "after"] {
            let r =
                jv.post_file(&format!("/api/infra/work-orders/{id}/photos"), "p.png", png(), &[("phase", phase)]).await;
            assert_eq!(r.status(), StatusCode::CREATED);
        }
        let (s, v) =
            step(&jv, id, json!({"action": "report", "cost_labour": "５０,０００", "cost_material": "12000"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["order"]["cost_total"], 62000);
    }

    // Each owner confirms only its own: the other's API call is refused…
    let (s, _) = step(&city, pref_job, json!({"action": "confirm"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = step(&pref, city_job, json!({"action": "confirm"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // …and the page shows no confirm button to the other owner.
    let html = city.get(&format!("/infra/work-orders/{pref_job}")).await.text().await.unwrap();
    assert!(!html.contains("id=\"confirm\""), "the city sees no confirm button on the prefecture's job");
    assert!(!html.contains("62,000円"), "nor its cost");
    let html = pref.get(&format!("/infra/work-orders/{pref_job}")).await.text().await.unwrap();
    assert!(html.contains("id=\"confirm\""));

    let (s, _) = step(&pref, pref_job, json!({"action": "confirm"})).await;
    assert_eq!(s, StatusCode::OK);
    // The city sends its job back once, then confirms.
    let (s, v) = step(&city, city_job, json!({"action": "send_back"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required: {v}");
    let (s, _) = step(&city, city_job, json!({"action": "send_back", "reason": "清掃範囲が不足"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = step(&jv, city_job, json!({"action": "report", "cost_labour": "70000"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = step(&city, city_job, json!({"action": "confirm"})).await;
    assert_eq!(s, StatusCode::OK);
    // Nothing more can happen to a confirmed job.
    let (s, v) = step(&city, city_job, json!({"action": "cancel", "reason": "x"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");

    // Ledgers: each owner sees only its own confirmed cost (the demo has confirmed jobs too).
    let (_, pl) = pref.get_json("/api/infra/ledger").await;
    let (_, cl) = city.get_json("/api/infra/ledger").await;
    let ids = |l: &Value| {
        l["lines"].as_array().unwrap().iter().map(|x| x["work_order_id"].as_i64().unwrap()).collect::<Vec<_>>()
    };
    assert!(ids(&pl).contains(&pref_job) && !ids(&pl).contains(&city_job));
    assert!(ids(&cl).contains(&city_job) && !ids(&cl).contains(&pref_job));
    let line = |l: &Value, id: i64| {
        l["lines"].as_array().unwrap().iter().find(|x| x["work_order_id"] == id).unwrap()["cost_total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(line(&pl, pref_job), 62000);
    assert_eq!(line(&cl, city_job), 70000);
    let sum: i64 = pl["lines"].as_array().unwrap().iter().map(|x| x["cost_total"].as_i64().unwrap()).sum();
    assert_eq!(pl["total"].as_i64().unwrap(), sum);

    // Every step is in the history with who did it.
    let (_, v) = city.get_json(&format!("/api/infra/work-orders/{city_job}")).await;
    let actors: Vec<&str> = v["events"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert_eq!(
        actors,
        ["shimoda-staff", "shimoda-staff", "jv-staff", "jv-staff", "shimoda-staff", "jv-staff", "shimoda-staff"]
    );
}

#[tokio::test]
async fn photos_must_be_images_and_locations_inside_japan() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let id = new_job(&pref, "照明", "34.67", "138.92").await;
    let r = pref
        .post_file(
            &format!("/api/infra/work-orders/{id}/photos"),
            "photo.png",
            b"%PDF-1.4 not a photo".to_vec(),
            &[("phase", "before")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = pref
        .post_file(&format!("/api/infra/work-orders/{id}/photos"), "photo.pdf", png(), &[("phase", "before")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "lying extension");
    let (s, v) = pref
        .send_json(
            "post",
            "/api/infra/work-orders",
            json!({"category": "x", "description": "y", "lat": "0", "lon": "0"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "lat");
    // A viewer sees jobs but cannot act.
    let viewer = app.login("pref-viewer").await;
    assert_eq!(viewer.get(&format!("/api/infra/work-orders/{id}")).await.status(), StatusCode::OK);
    let (s, _) = step(&viewer, id, json!({"action": "instruct", "instruction": "x"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_job_can_be_forwarded_to_the_other_owner_in_the_bundle() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let city = app.login("shimoda-staff").await;
    let id = new_job(&pref, "市道の穴", "34.69", "138.95").await;
    let shimoda = app.org_id("下田市").await;
    let (s, v) = step(&pref, id, json!({"action": "forward", "forward_to": shimoda.to_string()})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "received");
    assert_eq!(v["owner_name"], "下田市");
    let (s, _) = step(&city, id, json!({"action": "instruct", "instruction": "市で対応"})).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn map_and_assets_cover_both_owners_for_bundle_members() {
    let app = TestApp::spawn().await;
    let jv = app.login("jv-staff").await;
    let (_, g) = jv.get_json("/api/infra/map").await;
    let feats = g["features"].as_array().unwrap();
    assert!(feats.iter().any(|f| f["properties"]["layer"] == "asset"));
    assert!(feats.iter().any(|f| f["properties"]["layer"] == "work_order" && f["properties"]["owner"] == "静岡県"));
    assert!(feats.iter().any(|f| f["properties"]["layer"] == "work_order" && f["properties"]["owner"] == "下田市"));
    // Unknown construction year stays unknown (null), never 0.
    let (_, a) = jv.get_json("/api/infra/assets").await;
    assert!(
        a["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["year_built"].is_null() || x["year_built"].as_i64().unwrap() > 1800)
    );
    // Only the owner's staff may register its assets: the JV registers none.
    let (s, _) = jv.send_json("post", "/api/infra/assets", json!({"kind": "bridge", "name": "JVの橋"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let city = app.login("shimoda-staff").await;
    let (s, v) = city
        .send_json(
            "post",
            "/api/infra/assets",
            json!({"kind": "橋梁", "name": "新橋", "year_built": "昭和47年", "lat": "34.68", "lon": "138.94"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["year_built"], 1972);
}

#[tokio::test]
async fn contract_sets_deadlines_caps_and_shows_each_owner_its_budget() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let city = app.login("shimoda-staff").await;
    let jv = app.login("jv-staff").await;
    let (_, list) = pref.get_json("/api/infra/contracts").await;
    let cid = list[0]["id"].as_i64().unwrap();
    // A job instructed above the per-job cap (500,000) is flagged for separate procurement.
    let id = new_job(&city, "大規模な舗装打換え", "34.69", "138.95").await;
    let (s, v) =
        step(&city, id, json!({"action": "instruct", "instruction": "打換え", "instructed_amount": "750,000"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["over_cap"], true);
    assert_eq!(v["job_cap"], 500000);
    // Budget lines: the city sees only its own; the JV and the lead see both.
    let (_, b) = city.get_json(&format!("/api/infra/contracts/{cid}")).await;
    let owners: Vec<&str> = b["budget"].as_array().unwrap().iter().map(|l| l["owner_name"].as_str().unwrap()).collect();
    assert_eq!(owners, ["下田市"]);
    let line = &b["budget"][0];
    assert_eq!(line["limit_amount"], 4_000_000);
    assert!(line["instructed"].as_i64().unwrap() >= 750_000);
    assert!(line["over_cap_jobs"].as_array().unwrap().iter().any(|j| j == id));
    assert_eq!(
        line["remaining"].as_i64().unwrap(),
        4_000_000 - line["instructed"].as_i64().unwrap().max(line["confirmed"].as_i64().unwrap())
    );
    let (_, b) = jv.get_json(&format!("/api/infra/contracts/{cid}")).await;
    assert_eq!(b["budget"].as_array().unwrap().len(), 2);
    // Only the owner's administrators or the bundle's managers set limits.
    let (s, _) = city
        .send_json(
            "put",
            &format!("/api/infra/contracts/{cid}/limits"),
            json!({"owner_org_id": app.org_id("下田市").await.to_string(), "fiscal_year": "2026", "limit_amount": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let cadmin = app.login("shimoda-admin").await;
    let (s, _) = cadmin.send_json("put", &format!("/api/infra/contracts/{cid}/limits"), json!({"owner_org_id": app.org_id("下田市").await.to_string(), "fiscal_year": "2026", "limit_amount": "5,000,000"})).await;
    assert_eq!(s, StatusCode::OK);
    // Parts: phases inside the period, tasks with payment types, member firms of the JV only.
    let (_, c) = jv.get_json(&format!("/api/infra/contracts/{cid}")).await;
    let parts = c["parts"].as_array().unwrap();
    assert_eq!(parts.iter().filter(|p| p["part"] == "phase").count(), 3);
    assert!(parts.iter().any(|p| p["part"] == "task" && p["name"] == "舗装補修" && p["detail"] == "unit_price"));
    assert!(parts.iter().any(|p| p["part"] == "member" && p["name"] == "南豆建設株式会社"));
    let padmin = app.login("pref-admin").await;
    let (s, v) = padmin
        .send_json(
            "post",
            &format!("/api/infra/contracts/{cid}/parts"),
            json!({"part": "phase", "name": "第4期", "start_on": "2028-04-01", "end_on": "2029-03-31"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "outside the period: {v}");
    let (s, _) = padmin
        .send_json(
            "post",
            &format!("/api/infra/contracts/{cid}/parts"),
            json!({"part": "member", "org_id": app.org_id("河津町").await.to_string(), "detail": "代表者"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "only the JV's firms are members");
    let _ = pref;
}

#[tokio::test]
async fn monthly_report_figures_match_the_records_and_the_photo_ledger_exports() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tabane_infra::entities::work_order;
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    let owner = app.org_id("下田市").await;
    let month = tabane_infra::service::work_orders::today_jst().format("%Y-%m").to_string();
    let (s, r) = city.get_json(&format!("/api/infra/reports/monthly?month={month}")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    // Recompute from the raw records.
    let orders =
        work_order::Entity::find().filter(work_order::Column::OwnerOrgId.eq(owner)).all(&app.db).await.unwrap();
    let confirmed: Vec<_> = orders.iter().filter(|o| o.status == "confirmed").collect();
    assert_eq!(r["received"].as_u64().unwrap() as usize, orders.len());
    assert_eq!(r["confirmed"].as_u64().unwrap() as usize, confirmed.len());
    assert_eq!(r["confirmed_cost"].as_i64().unwrap(), confirmed.iter().filter_map(|o| o.cost_total).sum::<i64>());
    let mut days: Vec<f64> =
        confirmed.iter().map(|o| (o.confirmed_at.unwrap() - o.received_at).num_seconds() as f64 / 86400.0).collect();
    days.sort_by(f64::total_cmp);
    assert_eq!(r["median_days"].as_f64(), tabane_infra::service::reports::median(&days));
    // A contract's report page offers the same report as Excel (its link once lost the contract).
    let (_, contracts) = city.get_json("/api/infra/contracts").await;
    let cid = contracts[0]["id"].as_i64().unwrap();
    let html = city.get(&format!("/infra/reports/monthly?contract={cid}&month={month}")).await.text().await.unwrap();
    let html = html.replace("&#38;", "&amp;");
    let link = format!("/infra/reports/monthly?contract={cid}&amp;month={month}&amp;format=xlsx");
    assert!(
        html.contains(&link),
        "the Excel link names the contract: {}",
        html.lines().find(|l| l.contains("format=xlsx")).unwrap_or("")
    );
    let r = city.get(&link.replace("&amp;", "&")).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The city cannot read the prefecture's monthly report.
    let pref = app.org_id("静岡県").await;
    assert_eq!(city.get(&format!("/api/infra/reports/monthly?owner={pref}")).await.status(), StatusCode::NOT_FOUND);
    // The photo ledger of a reported job embeds its photos in the xlsx.
    let reported = orders.iter().find(|o| o.status == "confirmed").unwrap();
    let html = city.get(&format!("/infra/work-orders/{}/photo-ledger", reported.id)).await.text().await.unwrap();
    assert!(html.contains("写真台帳") && html.contains("完了"));
    let bytes =
        city.get(&format!("/infra/work-orders/{}/photo-ledger?format=xlsx", reported.id)).await.bytes().await.unwrap();
    let t = tabane_tabular::read_xlsx(&bytes, None).unwrap();
    assert!(
        t.rows.iter().any(|row| row.cells.iter().any(|c| c == "着手前"))
            && t.rows.iter().any(|row| row.cells.iter().any(|c| c == "完了"))
    );
    assert!(bytes.windows(9).any(|w| w == b"xl/media/"), "photos are embedded");
}

#[tokio::test]
async fn an_intersection_job_is_split_between_two_owners_with_an_exact_apportionment() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let city = app.login("shimoda-staff").await;
    let id = new_job(&pref, "交差点の舗装補修", "34.68", "138.95").await;
    let (s, _) = step(
        &pref,
        id,
        json!({"action": "instruct", "instruction": "交差点部の打換え", "instructed_amount": "300001"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let shimoda = app.org_id("下田市").await;
    // The city may not split the prefecture's job.
    let (s, _) = city
        .send_json(
            "post",
            &format!("/api/infra/work-orders/{id}/split"),
            json!({"other_owner_org_id": shimoda.to_string(), "share_percent": "60"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = pref
        .send_json(
            "post",
            &format!("/api/infra/work-orders/{id}/split"),
            json!({"other_owner_org_id": shimoda.to_string(), "share_percent": "60"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let sibling = v["id"].as_i64().unwrap();
    assert_eq!(v["split_of"], id);
    assert_eq!(v["share_percent"], 40);
    let (_, orig) = pref.get_json(&format!("/api/infra/work-orders/{id}")).await;
    let (_, sib) = city.get_json(&format!("/api/infra/work-orders/{sibling}")).await;
    assert_eq!(
        orig["order"]["instructed_amount"].as_i64().unwrap() + sib["order"]["instructed_amount"].as_i64().unwrap(),
        300001
    );
    assert_eq!(sib["owner_name"], "下田市");
    // Each owner instructs its own part.
    let (s, _) = step(&city, sibling, json!({"action": "instruct", "instruction": "市道側"})).await;
    assert_eq!(s, StatusCode::OK);
    // Bad input names the field.
    let (s, v) = pref
        .send_json(
            "post",
            &format!("/api/infra/work-orders/{id}/split"),
            json!({"other_owner_org_id": shimoda.to_string(), "share_percent": "150"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "share_percent");
}

#[tokio::test]
async fn a_photos_gps_position_prefills_a_job_without_a_location() {
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    let (s, v) = city
        .send_json(
            "post",
            "/api/infra/work-orders",
            json!({"category": "側溝清掃", "description": "場所は写真で", "address": "下田市三丁目付近"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    assert!(v["lat"].is_null());
    let jpeg = tabane_infra::service::exif_location::jpeg_with_gps(34.6790, 138.9450);
    let r = city
        .post_file(&format!("/api/infra/work-orders/{id}/photos"), "IMG_0001.jpg", jpeg, &[("phase", "before")])
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (_, v) = city.get_json(&format!("/api/infra/work-orders/{id}")).await;
    assert!((v["order"]["lat"].as_f64().unwrap() - 34.679).abs() < 1e-4, "{v}");
    assert!(v["events"].as_array().unwrap().iter().any(|e| e["action"] == "locate_from_photo"));
}
