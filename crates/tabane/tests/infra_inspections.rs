//! 定期点検: the owner decides the grade; a contractor proposes; bad input names the field.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn a_bridge(app: &TestApp, owner: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tabane_infra::entities::asset;
    let org = app.org_id(owner).await;
    asset::Entity::find().filter(asset::Column::OwnerOrgId.eq(org)).filter(asset::Column::Kind.eq("bridge")).one(&app.db).await.unwrap().unwrap().id
}

#[tokio::test]
async fn owners_confirm_contractors_propose_and_the_rules_hold() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let jv = app.login("jv-staff").await;
    let bridge = a_bridge(&app, "静岡県").await;

    // Overdue: a bridge never inspected is on the owner's list.
    let (_, od) = pref.get_json("/api/infra/inspections/overdue").await;
    assert!(od.as_array().unwrap().iter().any(|x| x["asset_id"] == bridge));

    // The JV enters a proposal; it cannot confirm it; the owner does, changing the grade.
    let (s, v) = jv.send_json("post", "/api/infra/inspections", json!({"asset_id": bridge.to_string(), "inspected_on": "令和6年10月1日", "grade": "III",
        "members": [{"member": "主桁", "judgement": "III", "defect": "腐食", "measure": "C2"}, {"member": "支承部", "judgement": "", "measure": "S1"}]})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "proposed");
    assert_eq!(v["round"], 3);
    assert_eq!(v["next_due"], "2029-10-01");
    let id = v["id"].as_i64().unwrap();
    let (_, view) = pref.get_json(&format!("/api/infra/inspections/{id}")).await;
    assert_eq!(view["members"][0]["suggested_judgement"], 3, "C2 usually means III");
    assert_eq!(view["members"][0]["photo_missing"], true);
    assert_eq!(view["members"][1]["diagnosis_pending"], true);
    assert!(view["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("写真")));
    assert_eq!(view["can_confirm"], true);
    let (s, _) = jv.send_json("post", &format!("/api/infra/inspections/{id}/confirm"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = pref.send_json("post", &format!("/api/infra/inspections/{id}/confirm"), json!({"grade": "II"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["status"].as_str(), v["grade"].as_i64()), (Some("confirmed"), Some(2)));
    // The suggested grade never overwrote what the person entered (member III stays III).
    let (_, view) = pref.get_json(&format!("/api/infra/inspections/{id}")).await;
    assert_eq!(view["members"][0]["row"]["judgement"], 3);
    // Inspected within five years: no longer overdue.
    let (_, od) = pref.get_json("/api/infra/inspections/overdue").await;
    assert!(!od.as_array().unwrap().iter().any(|x| x["asset_id"] == bridge));

    // Bad input: future date, a round that does not contain the date, unknown codes.
    for (body, field) in [
        (json!({"asset_id": bridge.to_string(), "inspected_on": "2099-01-01", "grade": "I"}), "inspected_on"),
        (json!({"asset_id": bridge.to_string(), "inspected_on": "2020-06-01", "round": "1", "grade": "I"}), "round"),
        (json!({"asset_id": bridge.to_string(), "inspected_on": "2020-06-01", "grade": "V"}), "grade"),
        (json!({"asset_id": bridge.to_string(), "inspected_on": "2020-06-01", "grade": "I", "members": [{"member": "床版", "measure": "Z9"}]}), "members"),
    ] {
        let (s, v) = pref.send_json("post", "/api/infra/inspections", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["fields"][0]["field"], field, "{v}");
    }
    // An asset of another owner that the actor cannot see.
    let kawazu = app.login("kawazu-admin").await;
    let (s, _) = kawazu.send_json("post", "/api/infra/inspections", json!({"asset_id": a_bridge(&app, "下田市").await.to_string(), "inspected_on": "2025-06-01", "grade": "I"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}
