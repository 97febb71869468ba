//! 共有範囲と参加期間 (visibility and membership periods) in the demo council, 賀茂地域 インフラ広域連携
//!協議会: 静岡県 is its lead (幹事), the towns are 構成員 (`member`). A member's lead-only record
//! is read by its owner and the lead only; outside its period a member sees nothing of the bundle
//! while its own records stay its own.

use reqwest::StatusCode;
use serde_json::json;
use tabane_testkit::{TestApp, User};

const COUNCIL: &str = "賀茂地域 インフラ広域連携協議会";

async fn council(u: &User) -> i64 {
    let (_, bundles) = u.get_json("/api/bundles").await;
    bundles.as_array().unwrap().iter().find(|b| b["name"] == COUNCIL).expect("the demo council")["id"].as_i64().unwrap()
}

async fn upload(u: &User, name: &str, bundle: i64, visibility: &str) -> (StatusCode, serde_json::Value) {
    let r = u
        .post_file(
            "/api/files",
            name,
            b"%PDF-1.4 needs".to_vec(),
            &[("bundle_id", &bundle.to_string()), ("visibility", visibility)],
        )
        .await;
    let s = r.status();
    (s, r.json().await.unwrap_or_default())
}

async fn status(u: &User, path: &str) -> StatusCode {
    u.get(path).await.status()
}

#[tokio::test]
async fn a_lead_only_record_is_read_by_its_owner_and_the_lead_not_by_another_member() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-admin").await;
    let c = council(&pref).await;
    let shimoda = app.org_id("下田市").await;
    let (s, v) = pref.send_json("put", &format!("/api/bundles/{c}/members/{shimoda}"), json!({"role": "構成員"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let kawazu = app.login("kawazu-admin").await;
    let (s, lead_only) = upload(&kawazu, "needs-kawazu.pdf", c, "lead_only").await;
    assert_eq!(s, StatusCode::CREATED, "{lead_only}");
    let (s, shared) = upload(&kawazu, "shared-kawazu.pdf", c, "bundle").await;
    assert_eq!(s, StatusCode::CREATED, "{shared}");
    let (lead_only, shared) = (lead_only["id"].as_i64().unwrap(), shared["id"].as_i64().unwrap());

    // Another member (下田市): the shared file, not the lead-only one.
    let other = app.login("shimoda-admin").await;
    assert_eq!(status(&other, &format!("/files/{shared}")).await, StatusCode::OK);
    assert_eq!(status(&other, &format!("/files/{lead_only}")).await, StatusCode::NOT_FOUND);
    assert_eq!(status(&other, &format!("/api/files/{lead_only}")).await, StatusCode::NOT_FOUND);
    // The owner and the lead's staff read both.
    for u in [&kawazu, &pref, &app.login("pref-staff").await] {
        assert_eq!(status(u, &format!("/files/{lead_only}")).await, StatusCode::OK);
        assert_eq!(status(u, &format!("/api/files/{shared}")).await, StatusCode::OK);
    }
    // Outside the council: neither.
    let jv = app.login("jv-staff").await;
    assert_eq!(status(&jv, &format!("/files/{shared}")).await, StatusCode::NOT_FOUND);
    assert_eq!(status(&jv, &format!("/files/{lead_only}")).await, StatusCode::NOT_FOUND);
    // An unknown visibility is refused, naming the field, and stores nothing.
    let (s, e) = upload(&kawazu, "x.pdf", c, "secret").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("共有範囲"), "{e}");
}

#[tokio::test]
async fn outside_its_period_a_member_sees_nothing_of_the_bundle_but_keeps_its_own() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-admin").await;
    let c = council(&pref).await;
    let shimoda = app.org_id("下田市").await;
    let member = |from: &str, to: &str| json!({"role": "member", "valid_from": from, "valid_to": to});
    let put = format!("/api/bundles/{c}/members/{shimoda}");
    let (s, v) = pref.send_json("put", &put, member("", "")).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let city = app.login("shimoda-admin").await;
    let (s, own) = upload(&city, "shimoda-own.pdf", c, "bundle").await;
    assert_eq!(s, StatusCode::CREATED, "{own}");
    let own = own["id"].as_i64().unwrap();
    let kawazu = app.login("kawazu-admin").await;
    let (_, theirs) = upload(&kawazu, "kawazu-shared.pdf", c, "bundle").await;
    let theirs = theirs["id"].as_i64().unwrap();
    assert_eq!(status(&city, &format!("/api/bundles/{c}")).await, StatusCode::OK);
    assert_eq!(status(&city, &format!("/files/{theirs}")).await, StatusCode::OK);

    // The membership ended yesterday (JST).
    let today = tabane_calendar::jst::today();
    let yesterday = (today - chrono::Days::new(1)).to_string();
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let (s, v) = pref.send_json("put", &put, member("2025-04-01", &yesterday)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let row = v["members"].as_array().unwrap().iter().find(|m| m["org_id"] == shimoda).unwrap().clone();
    assert_eq!((row["valid_to"].as_str(), row["in_force"].as_bool()), (Some(yesterday.as_str()), Some(false)));
    assert_eq!(status(&city, &format!("/api/bundles/{c}")).await, StatusCode::NOT_FOUND);
    assert_eq!(status(&city, &format!("/files/{theirs}")).await, StatusCode::NOT_FOUND);
    let (_, list) = city.get_json("/api/bundles").await;
    assert!(!list.as_array().unwrap().iter().any(|b| b["id"] == c), "{list}");
    let (s, _) = upload(&city, "late.pdf", c, "bundle").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Its own file stays its own; the lead still reads what was shared while it was a member.
    assert_eq!(status(&city, &format!("/files/{own}")).await, StatusCode::OK);
    assert_eq!(status(&pref, &format!("/files/{own}")).await, StatusCode::OK);
    // The bundle page says so to the lead.
    let html = pref.get(&format!("/bundles/{c}")).await.text().await.unwrap();
    assert!(html.contains("期間外"), "the member table marks the period");

    // Not yet started: no access either; an open period restores it.
    let (s, _) = pref.send_json("put", &put, member(&tomorrow, "")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(status(&city, &format!("/files/{theirs}")).await, StatusCode::NOT_FOUND);
    let (s, _) = pref.send_json("put", &put, member("", "")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(status(&city, &format!("/files/{theirs}")).await, StatusCode::OK);

    // Each change is audited with the old and the new period.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use tabane_core::entities::audit_entry;
    let changes = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("set_member"))
        .filter(audit_entry::Column::EntityId.eq(format!("{c}:{shimoda}")))
        .order_by_asc(audit_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(changes.len(), 4);
    let ended = &changes[1];
    assert!(format!("{:?}", ended.after).contains(&yesterday), "{ended:?}");
    assert!(format!("{:?}", changes[2].before).contains(&yesterday), "{:?}", changes[2]);

    // Bad input names the field and writes nothing; the lead's membership has no period.
    let (s, e) = pref.send_json("put", &put, member("令和7年13月1日", "")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("参加期間（開始）"), "{e}");
    let (s, e) = pref.send_json("put", &put, member("2026-04-01", "2026-03-31")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("参加期間（終了）"), "{e}");
    let pref_org = app.org_id("静岡県").await;
    let (s, _) = pref.send_json("put", &format!("/api/bundles/{c}/members/{pref_org}"), member("", &yesterday)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let after = audit_entry::Entity::find().filter(audit_entry::Column::Action.eq("set_member")).all(&app.db).await;
    assert_eq!(after.unwrap().iter().filter(|a| a.entity_id == format!("{c}:{shimoda}")).count(), 4);
}
