//! 計画ツール (planning tools) and 補修計画 over HTTP: the guide's examples reproduce, yen add up
//! exactly, budgets hold, infeasible emergencies are named, bad input names the field.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tabane_testkit::TestApp;

/// A new bridge of `login`'s organisation with a confirmed inspection of `grade`.
async fn inspected_bridge(u: &tabane_testkit::User, name: &str, grade: &str) -> i64 {
    let (s, b) = u
        .send_json(
            "post",
            "/api/infra/assets",
            json!({"kind": "bridge", "name": name, "lat": "34.70", "lon": "138.95"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_i64().unwrap();
    let (s, v) = u
        .send_json(
            "post",
            "/api/infra/inspections",
            json!({"asset_id": id.to_string(), "inspected_on": "2025-07-01", "grade": grade}),
        )
        .await;
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
    let (s, v) = pref
        .send_json(
            "post",
            "/api/infra/repair-plan",
            json!({"years": 5, "budgets": [{"owner_org_id": pref_org, "annual_budget_yen": "500,000,000"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["feasible"], true, "{v}");
    assert!(v["candidates"].as_array().unwrap().len() > 1);
    budget_respected(&v);
    let actions = v["actions"].as_array().unwrap();
    let a = actions.iter().find(|a| a["asset_id"] == urgent).expect("the IV bridge is repaired");
    assert_eq!(
        (a["year"].as_u64(), a["grade_before"].as_i64(), a["grade_after"].as_i64()),
        (Some(1), Some(4), Some(1))
    );
    let total: u64 = actions.iter().map(|a| a["cost_yen"].as_u64().unwrap()).sum();
    assert_eq!(total, v["total_cost_yen"].as_u64().unwrap());

    // A tight budget (the same through the query-string API): still within budget every year.
    let (s, v) =
        pref.get_json(&format!("/api/infra/repair-plan?years=3&cost_iv=1000000&budget_{pref_org}=25000000")).await;
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
    let (s, _) = kawazu
        .send_json(
            "post",
            "/api/infra/repair-plan",
            json!({"budgets": [{"owner_org_id": shimoda, "annual_budget_yen": 1}]}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The page renders with a chart, and exports.
    let r = pref.get("/infra/repair-plan").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("補修計画"));
    let r = pref.get(&format!("/infra/repair-plan?budget_{pref_org}=450000000")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    if let Ok(dir) = std::env::var("TABANE_DUMP_HTML") {
        std::fs::write(format!("{dir}/repair-plan.html"), &html).unwrap();
    }
    assert!(html.contains("年度別の補修費と予算") && html.contains("累積補修費の推移"));
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

#[tokio::test]
async fn effect_estimate_reproduces_the_guides_300_to_220() {
    let app = TestApp::spawn().await;
    let u = app.login("shimoda-staff").await;
    // The page's example button.
    let r = u.get("/infra/tools/effect?example=1").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("300 → 220"), "{html}");
    assert!(html.contains("A市") && html.contains("26.7%"));
    // The API: A市 100→120 (it orders for the others), B町 100→50, C村 100→50.
    let m = |name: &str, b: u32, a: u32| json!({"name": name, "before_hours": b, "after_hours": a});
    let (s, v) = u.send_json("post", "/api/infra/tools/effect", json!({"labour_rate_yen_per_hour": 3000, "members": [m("A市", 100, 120), m("B町", 100, 50), m("C村", 100, 50)]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let e = &v["estimate"];
    assert_eq!((e["total_hours_before"].as_f64(), e["total_hours_after"].as_f64()), (Some(300.0), Some(220.0)));
    assert_eq!((e["total_before_yen"].as_u64(), e["total_after_yen"].as_u64()), (Some(900_000), Some(660_000)));
    assert_eq!(e["per_member"][0]["saving_yen"], -60_000, "the lead spends more");
    // 三条市の積算: 10 contracts × 3 h; 20 km monthly at 20 km/h by 2; one proposal a year for 3 years.
    let (s, v) = u
        .send_json(
            "post",
            "/api/infra/tools/effect",
            json!({"labour_rate_yen_per_hour": "3,000", "members": [m("A市", 100, 80)],
        "contracts_past_3_years": 10, "sewayaku_rate_yen_per_hour": 4000,
        "routes": [{"name": "幹線", "length_km": 20, "times_per_year": "月1"}], "worker_rate_yen_per_hour": 2500,
        "contract_years": 3, "proposal_staff": [{"role": "主任技師", "person_days": 2, "daily_rate_yen": 60000}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["coordination"]["total_hours"], 30.0);
    assert_eq!(v["coordination"]["cost_yen"], 120_000);
    assert_eq!(v["patrol"]["person_hours"], 24.0);
    assert_eq!(v["proposals"]["total_yen"], 360_000);
    // The form posts the same.
    let r = u
        .post_form(
            "/infra/tools/effect",
            &[
                ("labour_rate_yen_per_hour", "3000"),
                ("m_name", "A市"),
                ("m_before_hours", "100"),
                ("m_after_hours", "120"),
                ("m_before_out", ""),
                ("m_after_out", ""),
                ("m_new", ""),
                ("m_name", "B町"),
                ("m_before_hours", "100"),
                ("m_after_hours", "50"),
                ("m_before_out", ""),
                ("m_after_out", ""),
                ("m_new", ""),
                ("m_name", "C村"),
                ("m_before_hours", "100"),
                ("m_after_hours", "50"),
                ("m_before_out", ""),
                ("m_after_out", ""),
                ("m_new", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("300 → 220"));
    // Bad input names the field, in Japanese, on the page and in the API.
    let r = u
        .post_form(
            "/infra/tools/effect",
            &[
                ("labour_rate_yen_per_hour", "たくさん"),
                ("m_name", "A市"),
                ("m_before_hours", "100"),
                ("m_after_hours", "-3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("人件費単価") && html.contains("1行目の導入後の直営対応時間"), "{html}");
    let (s, v) = u
        .send_json(
            "post",
            "/api/infra/tools/effect",
            json!({"labour_rate_yen_per_hour": 3000, "members": [{"before_hours": 1}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "members[0].name");
    let (s, v) = u.send_json("post", "/api/infra/tools/effect", json!({"members": "A市"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["fields"][0]["field"], "body");
}

#[tokio::test]
async fn cost_sharing_adds_up_to_the_yen() {
    let app = TestApp::spawn().await;
    let u = app.login("pref-staff").await;
    let members = json!([{"name": "A市", "workload": 5, "quantity": 12.3, "population": 45678}, {"name": "B町", "workload": 3, "quantity": 7.7, "population": 12345}, {"name": "C村", "workload": 1, "quantity": 2.9, "population": 3210}]);
    for (total, method) in
        [(1_000_000u64, "equal"), (1_000_001, "quantity"), (9_999_999, "population"), (7_777_777, "workload")]
    {
        let (s, v) = u
            .send_json(
                "post",
                "/api/infra/tools/cost-sharing",
                json!({"members": members, "items": [{"name": "巡回", "total_yen": total, "method": method}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let sum: u64 =
            v["sharing"]["members"].as_array().unwrap().iter().map(|m| m["share_yen"].as_u64().unwrap()).sum();
        assert_eq!(sum, total, "{method}");
        assert_eq!(v["sum_of_shares_yen"], total);
        let it = &v["items"][0];
        assert_eq!(it["remainder_to"].as_array().unwrap().len() as u64, it["remainder_yen"].as_u64().unwrap(), "{v}");
    }
    // 1,000,000 equally among three: 333,334 + 333,333 + 333,333; the remainder yen goes to the first.
    let (_, v) = u.send_json("post", "/api/infra/tools/cost-sharing", json!({"members": members, "items": [{"name": "全体マネジメント", "total_yen": "1,000,000", "method": "equal"}]})).await;
    let shares: Vec<u64> =
        v["sharing"]["members"].as_array().unwrap().iter().map(|m| m["share_yen"].as_u64().unwrap()).collect();
    assert_eq!(shares, [333_334, 333_333, 333_333]);
    assert_eq!(v["items"][0]["remainder_to"], json!(["A市"]));
    assert!(v["rounding_rule"].as_str().unwrap().contains("最大剰余"));
    // A combination (均等割20%＋数量割80%) and a 3% fee to the lead (A市); net burdens still add up.
    let (s, v) = u.send_json("post", "/api/infra/tools/cost-sharing", json!({"members": members, "leadership": "delegated", "lead": 1, "admin_fee_percent": 3,
        "items": [{"name": "巡回", "total_yen": 12_345_679, "method": "combined", "w_equal": 20, "w_quantity": 80}, {"name": "窓口", "total_yen": 1_000_003, "method": "population"}]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ms = v["sharing"]["members"].as_array().unwrap();
    let net: i64 = ms.iter().map(|m| m["net_burden_yen"].as_i64().unwrap()).sum();
    assert_eq!(net, 13_345_682);
    assert_eq!(ms[1]["admin_fee_paid_yen"].as_u64().unwrap(), ms[1]["share_yen"].as_u64().unwrap() * 3 / 100);
    assert_eq!(ms[0]["admin_fee_received_yen"], v["sharing"]["total_admin_fee_yen"]);
    // The page shows the rule and where the remainder went.
    let r = u
        .post_form(
            "/infra/tools/cost-sharing",
            &[
                ("m_name", "A市"),
                ("m_workload", ""),
                ("m_quantity", ""),
                ("m_population", ""),
                ("m_name", "B町"),
                ("m_workload", ""),
                ("m_quantity", ""),
                ("m_population", ""),
                ("m_name", "C村"),
                ("m_workload", ""),
                ("m_quantity", ""),
                ("m_population", ""),
                ("i_name", "全体マネジメント"),
                ("i_total", "1000000"),
                ("i_method", "equal"),
                ("leadership", "rotating"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("333,334円") && html.contains("最大剰余方式") && html.contains("端数 1円をA市"), "{html}");
    // Bad input: a quantity basis that sums to zero, a lead out of range.
    let (s, v) = u.send_json("post", "/api/infra/tools/cost-sharing", json!({"members": [{"name": "A市"}, {"name": "B町"}], "items": [{"name": "巡回", "total_yen": 100, "method": "quantity"}]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("数量"), "{v}");
    let (s, v) = u.send_json("post", "/api/infra/tools/cost-sharing", json!({"members": members, "leadership": "delegated", "lead": 9, "admin_fee_percent": 3, "items": [{"name": "x", "total_yen": 100}]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "lead");
}

#[tokio::test]
async fn regional_checker_names_the_failing_rule_and_the_shortfall() {
    let app = TestApp::spawn().await;
    let u = app.login("kawazu-admin").await;
    let firm = |name: &str, town: &str, pref: &str, inv: u32| json!({"name": name, "office_kind": "本店", "municipality": town, "prefecture": pref, "investment_pct": inv});
    // 府中市: local (市内本店) investment must be 25% or more; here 20%.
    let (s, v) = u.send_json("post", "/api/infra/tools/regional", json!({"preset": "fuchu", "firms": [firm("府中建設", "府中市", "東京都", 20), firm("多摩舗装", "多摩市", "東京都", 80)]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["all_passed"], false);
    let failed: Vec<&Value> = v["checks"].as_array().unwrap().iter().filter(|c| c["passed"] == false).collect();
    assert_eq!(failed.len(), 1, "{v}");
    assert_eq!(failed[0]["kind"], "InvestmentShare");
    assert!((failed[0]["shortfall"]["Points"]["short_by"].as_f64().unwrap() - 5.0).abs() < 1e-9);
    assert!(v["failures"][0].as_str().unwrap().contains("5.0 ポイント不足"));
    // Own rules: every member local to 三条市 (consultants may be in 新潟県), 50% performed locally.
    let body = json!({"location_rule": "all", "local_municipalities": "三条市", "consultant_prefecture": "新潟県", "min_performance_pct": 50,
        "firms": [{"name": "三条建設", "municipality": "三条市", "prefecture": "新潟県", "investment_pct": 60, "performed_yen": 30_000_000},
                  {"name": "長岡コンサル", "consultant": true, "municipality": "長岡市", "prefecture": "新潟県", "investment_pct": 40, "performed_yen": 40_000_000, "performed_common_yen": 9_000_000}]});
    let (s, v) = u.send_json("post", "/api/infra/tools/regional", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["checks"][0]["passed"], true, "the consultant exception applies: {v}");
    assert_eq!(v["checks"][1]["kind"], "PerformanceShare");
    assert_eq!(v["checks"][1]["passed"], false);
    assert!(v["checks"][1]["message"].as_str().unwrap().contains("42.9%"), "{v}");
    // The page.
    let r = u
        .post_form(
            "/infra/tools/regional",
            &[
                ("preset", "fuchu"),
                ("f_name", "府中建設"),
                ("f_position", "member"),
                ("f_consultant", "no"),
                ("f_office", "head"),
                ("f_municipality", "府中市"),
                ("f_prefecture", "東京都"),
                ("f_investment", "20"),
                ("f_performed", ""),
                ("f_common", ""),
                ("f_registered", ""),
                ("f_name", "多摩舗装"),
                ("f_position", "member"),
                ("f_consultant", "no"),
                ("f_office", "head"),
                ("f_municipality", "多摩市"),
                ("f_prefecture", "東京都"),
                ("f_investment", "80"),
                ("f_performed", ""),
                ("f_common", ""),
                ("f_registered", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("不適合") && html.contains("ポイント不足"), "{html}");
    // Bad input names the row and field.
    let (s, v) = u
        .send_json(
            "post",
            "/api/infra/tools/regional",
            json!({"preset": "sanjo", "firms": [{"name": "x", "municipality": "三条市", "investment_pct": 150}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "firms[0].investment_pct");
    assert!(v["message"].as_str().unwrap().contains("1行目の出資比率"));
}

#[tokio::test]
async fn current_state_finds_the_time_limit_and_compares_with_the_class() {
    let app = TestApp::spawn().await;
    let u = app.login("kawazu-admin").await;
    let (s, v) = u.send_json("post", "/api/infra/tools/current-state", json!({"year": 2026, "retirement_age": 65,
        "bands": [{"age_from": 30, "age_to": 39, "civil_staff": 4, "engineers": 2}, {"age_from": 50, "age_to": 59, "civil_staff": 6, "engineers": 2}, {"age_from": 60, "age_to": 64, "civil_staff": 2, "engineers": 1}],
        "tasks": [{"name": "窓口", "actual": 40, "ideal": 10}, {"name": "計画策定", "actual": 10, "ideal": 40}, {"name": "発注", "actual": 50, "ideal": 50}],
        "population": 7200})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["time_limit_year"], 2041);
    assert_eq!(v["first_retirement_year"], 2027);
    assert_eq!(v["tasks"][0]["priority"], 1);
    assert_eq!(v["population_class"], "5千〜1万人");
    assert_eq!(v["indicators"][0]["class_average"], 2.0);
    assert_eq!(v["indicators"][0]["value"], 5.0);
    let r = u.get("/infra/tools/current-state").await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = u
        .post_form(
            "/infra/tools/current-state",
            &[
                ("year", "2026"),
                ("retirement_age", "65"),
                ("veteran_age", "50"),
                ("b_from", "50"),
                ("b_to", "59"),
                ("b_civil", "3"),
                ("b_eng", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("1行目の技術系職員数"));
    // The tools index links every tool.
    let html = u.get("/infra/tools").await.text().await.unwrap();
    for p in [
        "/infra/tools/effect",
        "/infra/tools/cost-sharing",
        "/infra/tools/regional",
        "/infra/tools/current-state",
        "/infra/repair-plan",
    ] {
        assert!(html.contains(p), "{p}");
    }
}
