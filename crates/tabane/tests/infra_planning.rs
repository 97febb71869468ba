//! 計画ツール (planning tools) and 補修計画 over HTTP: the guide's examples reproduce, yen add up
//! exactly, budgets hold, infeasible emergencies are named, bad input names the field.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A new bridge of `login`'s organisation with a confirmed inspection of `grade`.
async fn inspected_bridge(u: &common::User, name: &str, grade: &str) -> i64 {
    let (s, b) = u.send_json("post", "/api/infra/assets", json!({"kind": "bridge", "name": name, "lat": "34.70", "lon": "138.95"})).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_i64().unwrap();
    let (s, v) = u.send_json("post", "/api/infra/inspections", json!({"asset_id": id.to_string(), "inspected_on": "2025-07-01", "grade": grade})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    id
}

fn budget_respected(v: &Value) {
    for y in v["years"].as_array().unwrap() {
        for pair in y["by_owner"].as_array().unwrap() {
            let (spend, budget) = (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap());
            assert!(spend <= budget, "year {}: {spend} > {budget}", y["year"]);
        }
        assert!(y["spend_yen"].as_u64() <= y["budget_yen"].as_u64());
    }
}

#[tokio::test]
async fn repair_plan_respects_budgets_and_names_unfundable_emergencies() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let pref_org = app.org_id("静岡県").await;
    let urgent = inspected_bridge(&pref, "緊急橋", "IV").await;

    // A comfortable budget: a plan, never above any year's budget, the IV bridge in year 1.
    let (s, v) = pref.send_json("post", "/api/infra/repair-plan", json!({"years": 5, "budgets": [{"owner_org_id": pref_org, "annual_budget_yen": "500,000,000"}]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["feasible"], true, "{v}");
    assert!(v["candidates"].as_array().unwrap().len() > 1);
    budget_respected(&v);
    let actions = v["actions"].as_array().unwrap();
    let a = actions.iter().find(|a| a["asset_id"] == urgent).expect("the IV bridge is repaired");
    assert_eq!((a["year"].as_u64(), a["grade_before"].as_i64(), a["grade_after"].as_i64()), (Some(1), Some(4), Some(1)));
    let total: u64 = actions.iter().map(|a| a["cost_yen"].as_u64().unwrap()).sum();
    assert_eq!(total, v["total_cost_yen"].as_u64().unwrap());

    // A tight budget (the same through the query-string API): still within budget every year.
    let (s, v) = pref.get_json(&format!("/api/infra/repair-plan?years=3&cost_iv=1000000&budget_{pref_org}=25000000")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    if v["feasible"] == true {
        budget_respected(&v);
    }

    // Below the emergency repairs: infeasible, and the IV items are named.
    let (s, v) = pref.send_json("post", "/api/infra/repair-plan", json!({"years": 5, "cost_iv": 20000000, "budgets": [{"owner_org_id": pref_org.to_string(), "annual_budget_yen": 1000}]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["feasible"], false);
    let sf = &v["emergency_shortfalls"][0];
    assert_eq!(sf["owner_name"], "静岡県");
    assert!(sf["unfunded"].as_array().unwrap().iter().any(|u| u[0] == urgent && u[1] == "緊急橋"), "{v}");
    assert!(v["message"].as_str().unwrap().contains("緊急橋"));
    // The page says so too.
    let html = pref.get(&format!("/infra/repair-plan?budget_{pref_org}=1000")).await.text().await.unwrap();
    assert!(html.contains("緊急橋") && html.contains("賄えません"), "{html}");

    // Bad input names the field; an owner the actor cannot see is not found.
    let (s, v) = pref.send_json("post", "/api/infra/repair-plan", json!({"years": "十年", "cost_ii": -5})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> = v["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["years", "cost_ii"], "{v}");
    assert!(v["message"].as_str().unwrap().contains("計画期間"));
    let kawazu = app.login("kawazu-admin").await;
    let shimoda = app.org_id("下田市").await;
    let (s, _) = kawazu.send_json("post", "/api/infra/repair-plan", json!({"budgets": [{"owner_org_id": shimoda, "annual_budget_yen": 1}]})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The page renders with a chart, and exports.
    let r = pref.get("/infra/repair-plan").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("補修計画"));
    let r = pref.get(&format!("/infra/repair-plan?budget_{pref_org}=500000000&format=csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("緊急橋"));
    let r = pref.get(&format!("/infra/repair-plan?budget_{pref_org}=500000000&format=xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
}

#[tokio::test]
async fn lcc_compares_preventive_and_corrective_over_fifty_years() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let (s, v) = pref.get_json("/api/infra/lcc").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c = &v["comparison"];
    for k in ["preventive", "corrective"] {
        let cum = c[k]["cumulative_cost_yen"].as_array().unwrap();
        assert_eq!(cum.len(), 51, "{k}");
        assert!(cum.windows(2).all(|w| w[1].as_f64() >= w[0].as_f64()));
    }
    assert_eq!(c["preventive"]["repair_from_grade"], 2);
    assert_eq!(c["corrective"]["repair_from_grade"], 3);
    // With the default unit costs (IV ten times II), preventive maintenance is cheaper.
    assert!(c["saving_yen"].as_f64().unwrap() > 0.0, "{v}");
    let (s, v) = pref.get_json("/api/infra/lcc?lcc_years=30&interval=0").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "interval");
}
