//! 定期点検: the owner decides the grade; a contractor proposes; bad input names the field.

use reqwest::StatusCode;
use serde_json::json;
use tabane_testkit::TestApp;

async fn a_bridge(app: &TestApp, owner: &str) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tabane_infra::entities::asset;
    let org = app.org_id(owner).await;
    asset::Entity::find()
        .filter(asset::Column::OwnerOrgId.eq(org))
        .filter(asset::Column::Kind.eq("bridge"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn owners_confirm_contractors_propose_and_the_rules_hold() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let jv = app.login("jv-staff").await;
    // A new bridge, never inspected (the demo's structures were inspected in 2025).
    let (s, b) = pref
        .send_json(
            "post",
            "/api/infra/assets",
            json!({"kind": "bridge", "name": "新設橋", "lat": "34.70", "lon": "138.95"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let bridge = b["id"].as_i64().unwrap();
    let _ = a_bridge(&app, "静岡県").await;

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
        (
            json!({"asset_id": bridge.to_string(), "inspected_on": "2020-06-01", "grade": "I", "members": [{"member": "床版", "measure": "Z9"}]}),
            "members",
        ),
    ] {
        let (s, v) = pref.send_json("post", "/api/infra/inspections", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["fields"][0]["field"], field, "{v}");
    }
    // An asset of another owner that the actor cannot see.
    let kawazu = app.login("kawazu-admin").await;
    let (s, _) = kawazu
        .send_json(
            "post",
            "/api/infra/inspections",
            json!({"asset_id": a_bridge(&app, "下田市").await.to_string(), "inspected_on": "2025-06-01", "grade": "I"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn results_import_checks_every_row_and_only_own_assets() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use tabane_infra::entities::{asset, inspection};
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let pref_org = app.org_id("静岡県").await;
    let city_org = app.org_id("下田市").await;
    let own: Vec<String> = asset::Entity::find()
        .filter(asset::Column::OwnerOrgId.eq(pref_org))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.external_id)
        .take(3)
        .collect();
    let other = asset::Entity::find()
        .filter(asset::Column::OwnerOrgId.eq(city_org))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .external_id
        .unwrap();
    let before = inspection::Entity::find().count(&app.db).await.unwrap();
    let post = |body: String| {
        let u = &pref;
        async move {
            let r = u
                .client
                .post(u.url("/api/infra/inspections/import?filename=r.csv"))
                .header("x-csrf-token", &u.csrf)
                .body(body)
                .send()
                .await
                .unwrap();
            let s = r.status();
            (s, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let bad = format!("施設番号,点検日,健全性\n{},R6.10.1,II\n{},R6.10.1,II\n{},2025-06-01,V\n", own[0], other, own[1]);
    let (s, v) = post(bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let rows: Vec<u64> = v["report"]["errors"].as_array().unwrap().iter().map(|e| e["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, vec![3, 4], "another owner's asset and a bad grade: {v}");
    assert_eq!(inspection::Entity::find().count(&app.db).await.unwrap(), before, "nothing written");
    let good =
        format!("施設番号,点検日,健全性,点検者\n{},R6.10.1,II,点検 太郎\n{},2019-06-01,I,点検 花子\n", own[0], own[2]);
    let (s, v) = post(good).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 2);
    let (_, list) = pref.get_json("/api/infra/inspections").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|x| x["inspection"]["round"] == 2 && x["inspection"]["status"] == "confirmed")
    );
}

#[tokio::test]
async fn the_forecast_is_fitted_from_consecutive_confirmed_inspections() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let (s, f) = pref.get_json("/api/infra/forecast").await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert!(f["pairs"].as_u64().unwrap() >= 100, "{f}");
    let fit = &f["fit"];
    assert!(fit.is_object(), "{f}");
    // Every θ is either a positive number or explained in not_estimated.
    for (i, t) in fit["theta"].as_array().unwrap().iter().enumerate() {
        assert!(
            t.as_f64().is_some_and(|x| x > 0.0)
                || fit["not_estimated"].as_array().unwrap().iter().any(|n| n[0] == i + 1),
            "{f}"
        );
    }
    if let Some(rows) = f["one_year"].as_array().filter(|r| !r.is_empty()) {
        for row in rows {
            let sum: f64 = row.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum();
            assert!((sum - 1.0).abs() < 1e-9);
        }
        assert_eq!(f["distribution"].as_array().unwrap().len(), 51);
    }
    let html = pref.get("/infra/forecast").await.text().await.unwrap();
    assert!(html.contains("劣化予測") && html.contains("<svg") || html.contains("推定"), "page renders");
    // Each asset's chance of reaching III / IV: probabilities, never falling with time, most at risk first.
    if f["fit"]["theta"].as_array().unwrap().iter().all(|t| t.is_f64()) {
        let assets = f["assets"].as_array().unwrap();
        assert!(!assets.is_empty());
        for a in assets {
            let p = |k: &str| a[k].as_f64().unwrap();
            assert!(
                (0.0..=1.0).contains(&p("p_iii_5y"))
                    && p("p_iii_5y") <= p("p_iii_10y") + 1e-12
                    && p("p_iv_5y") <= p("p_iv_10y") + 1e-12
                    && p("p_iv_5y") <= p("p_iii_5y") + 1e-12,
                "{a}"
            );
            if a["grade"].as_i64().unwrap() >= 3 {
                assert_eq!(p("p_iii_5y"), 1.0);
            }
        }
        assert!(assets.windows(2).all(|w| w[0]["p_iv_5y"].as_f64() >= w[1]["p_iv_5y"].as_f64()));
        assert!(html.contains("施設ごとの見込み") && html.contains("平均滞在年数"));
    }
    // With covariates: one β row per parameter (constant + age), and the UI shows them.
    let (s, c) = pref.get_json("/api/infra/forecast?covariates=age").await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["covariates"], json!(["age"]));
    assert!(c["fit"]["beta"].as_array().unwrap().iter().any(|b| b.as_array().is_some_and(|b| b.len() == 2)), "{c}");
    assert!(pref.get("/infra/forecast?covariates=age").await.text().await.unwrap().contains("係数 β"));
    let (s, e) = pref.get_json("/api/infra/forecast?covariates=colour").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("共変量"));
}
