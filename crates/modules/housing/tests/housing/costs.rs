//! 入居者移転支援実費 and the 団地別調書: the ledger with evidence, one claim per fiscal year from
//! 令和8年度 plus a final one, the prefecture fixing the amount, payment within 40 days.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use tabane_testkit::TestApp;

#[tokio::test]
async fn costs_are_claimed_once_a_year_fixed_by_the_prefecture_and_paid_within_40_days() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let pfi = app.login("pfi-staff").await;
    use tabane_housing::entities::estate;
    // A fresh estate of the same bundle: the demo estate already has its own first-year claim.
    let demo = estate::Entity::find()
        .filter(estate::Column::Name.eq(tabane_housing::demo::ESTATE_NAME))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (s, v) = pref
        .send_json("post", "/api/housing/estates", json!({"bundle_id": demo.bundle_id, "name": "実費試験団地"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let e = v["id"].as_i64().unwrap();
    let item = |item: &str, amount: i64, paid_on: &str| json!({"estate": e, "item": item, "amount": amount, "payee": "諫早運送株式会社", "paid_on": paid_on, "evidence_note": "領収書 No.101", "interest": 1200});
    // Bad input names the field and writes nothing.
    let (s, v) = pfi
        .send_json(
            "post",
            "/api/housing/costs/items",
            json!({"estate": e, "item": "引越作業", "amount": 0, "payee": "", "paid_on": "2026-10-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v.to_string().contains("金額")
            && v.to_string().contains("支払った相手方")
            && v.to_string().contains("証拠書類"),
        "{v}"
    );
    for (i, a, d) in [
        ("仮移転の引越作業", 150_000, "2026-10-01"),
        ("説明会の会場費", 20_000, "2027-02-10"),
        ("引越作業", 300_000, "2027-05-01"),
    ] {
        let (s, v) = pfi.send_json("post", "/api/housing/costs/items", item(i, a, d)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    // No claim before 令和8年度; FY2026 (April 2026 – March 2027) includes the first two items.
    let (s, _) = pfi.send_json("post", "/api/housing/costs/claims", json!({"estate": e, "fiscal_year": 2025})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, c) = pfi.send_json("post", "/api/housing/costs/claims", json!({"estate": e, "fiscal_year": 2026})).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["total"].as_i64(), Some(150_000 + 20_000 + 2 * 1200));
    let (s, _) = pfi.send_json("post", "/api/housing/costs/claims", json!({"estate": e, "fiscal_year": 2026})).await;
    assert_eq!(s, StatusCode::CONFLICT, "once per fiscal year");
    let id = c["id"].as_i64().unwrap();
    let step = |body: serde_json::Value| (id, body);
    let (_, b) = step(json!({"step": "confirm"}));
    assert_eq!(
        pref.send_json("post", &format!("/api/housing/costs/claims/{id}/step"), b).await.0,
        StatusCode::CONFLICT,
        "no confirmation before the report"
    );
    assert_eq!(
        pfi.send_json(
            "post",
            &format!("/api/housing/costs/claims/{id}/step"),
            json!({"step": "report", "on": "2027-04-20"})
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        pfi.send_json(
            "post",
            &format!("/api/housing/costs/claims/{id}/step"),
            json!({"step": "confirm", "on": "2027-06-20"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN,
        "the prefecture fixes the amount"
    );
    let (s, v) = pref
        .send_json(
            "post",
            &format!("/api/housing/costs/claims/{id}/step"),
            json!({"step": "confirm", "on": "2027-06-20", "amount": 170_000}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = pfi
        .send_json(
            "post",
            &format!("/api/housing/costs/claims/{id}/step"),
            json!({"step": "invoice", "on": "2027-06-25"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["pay_by"], "2027-08-04", "40 days after the invoice");
    let (_, l) = pref.get_json(&format!("/api/housing/costs?estate={e}")).await;
    assert_eq!(l["claims"][0]["expected_confirmation"], "2027-06-20", "report + about two months");
    let (s, _) = pref
        .send_json("post", &format!("/api/housing/costs/claims/{id}/step"), json!({"step": "pay", "on": "2027-08-01"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    // The final claim takes what is left; the ledger exports; the statement adds up.
    let (s, f) = pfi
        .send_json("post", "/api/housing/costs/claims", json!({"estate": e, "fiscal_year": 2027, "is_final": true}))
        .await;
    assert_eq!((s, f["total"].as_i64()), (StatusCode::OK, Some(301_200)));
    let r = pref.get(&format!("/housing/costs/export?estate={e}&format=csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("諫早運送株式会社"));
    let (s, ch) = pref.get_json(&format!("/api/housing/reports/danchi-chosho?estate={e}")).await;
    assert_eq!(s, StatusCode::OK, "{ch}");
    let fy: Vec<i64> = ch["costs"].as_array().unwrap().iter().map(|y| y[0].as_i64().unwrap()).collect();
    assert_eq!(fy, vec![2026, 2027]);
    assert_eq!(ch["costs"][0][3].as_i64(), Some(170_000));
    let html = pref.get(&format!("/housing/reports/danchi-chosho?estate={e}")).await.text().await.unwrap();
    assert!(html.contains("団地別調書"));
    // Others: nothing.
    let other = app.login("kawazu-admin").await;
    assert_eq!(other.get_json(&format!("/api/housing/costs?estate={e}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        other.send_json("post", &format!("/api/housing/costs/claims/{id}/step"), json!({"step": "pay"})).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_business_report_of_a_sub_service_adds_up_from_the_moves() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    use tabane_housing::entities::{estate, leg, payment};
    let e = estate::Entity::find()
        .filter(estate::Column::Name.eq(tabane_housing::demo::ESTATE_NAME))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let (s, r) = pref.get_json(&format!("/api/housing/reports/business?estate={e}&class=main")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let legs = leg::Entity::find()
        .filter(leg::Column::Kind.eq("main"))
        .filter(leg::Column::CancelledOn.is_null())
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(r["households"].as_u64(), Some(legs.len() as u64));
    let by_status: u64 = r["by_status"].as_array().unwrap().iter().map(|s| s[1].as_u64().unwrap()).sum();
    assert_eq!(by_status, legs.len() as u64, "every move counted once");
    let ids: Vec<i64> = legs.iter().map(|l| l.id).collect();
    let firsts: i64 = payment::Entity::find()
        .filter(payment::Column::Kind.eq("first"))
        .filter(payment::Column::LegId.is_in(ids))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|p| p.amount)
        .sum();
    assert_eq!(r["first_payments"][1].as_i64(), Some(firsts));
    assert!(firsts > 0);
    let html = pref.get(&format!("/housing/reports/business?estate={e}&class=main")).await.text().await.unwrap();
    assert!(html.contains("業務報告書") && html.contains("本移転"));
    let x = pref.get(&format!("/housing/reports/business?estate={e}&class=leave&format=xlsx")).await;
    assert!(x.bytes().await.unwrap().starts_with(b"PK"));
    let (s, _) = pref.get_json(&format!("/api/housing/reports/business?estate={e}&class=宇宙")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let other = app.login("kawazu-admin").await;
    assert_eq!(
        other.get_json(&format!("/api/housing/reports/business?estate={e}&class=main")).await.0,
        StatusCode::NOT_FOUND
    );
}
