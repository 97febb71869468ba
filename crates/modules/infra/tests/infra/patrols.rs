//! 道路パトロール日誌: generated per owner per day from the patrol records; lists every finding
//! of that day for that owner and nothing else.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_infra::entities::{patrol, patrol_finding};
use tabane_testkit::TestApp;

#[tokio::test]
async fn the_diary_lists_exactly_that_owners_findings_of_that_day() {
    let app = TestApp::spawn().await;
    let pref = app.org_id("静岡県").await;
    let patrols = patrol::Entity::find().all(&app.db).await.unwrap();
    assert!(patrols.len() >= 2, "the demo has two patrol days");
    let pref_staff = app.login("pref-staff").await;
    for p in &patrols {
        // Independently: every finding of that day for 静岡県, from the raw records.
        let same_day: Vec<i64> = patrols.iter().filter(|x| x.patrol_date == p.patrol_date).map(|x| x.id).collect();
        let mut expected: Vec<i64> = patrol_finding::Entity::find()
            .filter(patrol_finding::Column::PatrolId.is_in(same_day))
            .filter(patrol_finding::Column::OwnerOrgId.eq(pref))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect();
        expected.sort_unstable();
        let (s, d) = pref_staff.get_json(&format!("/api/infra/patrol-diary?owner={pref}&date={}", p.patrol_date)).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        let mut got: Vec<i64> = d["patrols"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["findings"].as_array().unwrap().iter().map(|f| f["id"].as_i64().unwrap()))
            .collect();
        got.sort_unstable();
        assert_eq!(got, expected, "diary of {}", p.patrol_date);
        assert!(
            d["patrols"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p["findings"].as_array().unwrap())
                .all(|f| f["owner_org_id"] == pref)
        );
        // The printable page has one row per finding.
        let html = pref_staff
            .get(&format!("/infra/patrol-diary?owner={pref}&date={}", p.patrol_date))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(html.matches("class=\"finding\"").count(), expected.len());
        assert!(
            html.contains("道路パトロール日誌") && !html.contains("市道柿崎線 側溝"),
            "no city findings in the prefecture's diary"
        );
    }
    // The xlsx export reads back with the same findings.
    let day = patrols[0].patrol_date;
    let bytes = pref_staff
        .get(&format!("/infra/patrol-diary/export?owner={pref}&date={day}&format=xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    let table = tabane_tabular::read_xlsx(&bytes, None).unwrap();
    assert_eq!(table.headers[0], "日付");
    // The city cannot print the prefecture's diary; the JV (contractor) can.
    let city = app.login("shimoda-staff").await;
    assert_eq!(
        city.get(&format!("/api/infra/patrol-diary?owner={pref}&date={day}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let jv = app.login("jv-staff").await;
    assert_eq!(jv.get(&format!("/api/infra/patrol-diary?owner={pref}&date={day}")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_patrol_is_recorded_and_a_finding_becomes_a_job_in_one_step() {
    let app = TestApp::spawn().await;
    let jv = app.login("jv-staff").await;
    let pref = app.org_id("静岡県").await;
    let city = app.org_id("下田市").await;
    let (s, v) = jv.send_json("post", "/api/infra/patrols", json!({"patrol_date": "R8.11.1", "start_time": "８：３０", "end_time": "11:00", "weather": "晴", "owner_ids": format!("{city},{pref}")})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["start_time"], "08:30");
    let (s, f) = jv.send_json("post", &format!("/api/infra/patrols/{id}/findings"), json!({"owner_org_id": city.to_string(), "category": "舗装補修", "description": "段差", "lat": "34.68", "lon": "138.94"})).await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    let fid = f["id"].as_i64().unwrap();
    let (s, w) = jv.send_json("post", &format!("/api/infra/patrols/{id}/findings/{fid}/work-order"), json!(null)).await;
    assert_eq!(s, StatusCode::CREATED, "{w}");
    let wid = w["work_order_id"].as_i64().unwrap();
    let (_, order): (StatusCode, Value) = jv.get_json(&format!("/api/infra/work-orders/{wid}")).await;
    assert_eq!(order["order"]["source"], "patrol");
    assert_eq!(order["owner_name"], "下田市");
    // Twice is refused.
    let (s, _) = jv.send_json("post", &format!("/api/infra/patrols/{id}/findings/{fid}/work-order"), json!(null)).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // Bad input names the field.
    let (s, v) = jv
        .send_json("post", "/api/infra/patrols", json!({"patrol_date": "2099-01-01", "owner_ids": city.to_string()}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "patrol_date");
    let (s, v) = jv
        .send_json(
            "post",
            &format!("/api/infra/patrols/{id}/findings"),
            json!({"owner_org_id": app.org_id("河津町").await.to_string(), "category": "x", "description": "y"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
}
