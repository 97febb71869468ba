//! 移転支援の案件 (relocation cases): every gate of a move, refusals that write nothing, and
//! the personal fields: encrypted at rest, reads audited, bank accounts for the prefecture only.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use tabane_testkit::{TestApp, User};

async fn demo_estate(app: &TestApp) -> i64 {
    use tabane_housing::entities::estate;
    estate::Entity::find()
        .filter(estate::Column::Name.eq(tabane_housing::demo::ESTATE_NAME))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A campaign with fees for one-person 本移転 and a small new building, as the prefecture sets up.
async fn setup(app: &TestApp, pref: &User) -> (i64, i64) {
    let estate = demo_estate(app).await;
    let (s, c) = pref.send_json("post", "/api/housing/campaigns", json!({"estate_id": estate, "name": "試験の本移転", "completion_planned": "2027-06-30", "move_in_start": "2027-07-01",
        "fees": {"fees": [{"class": "main", "band": "1", "moving_fee": 180000, "movables": 150001}, {"class": "main", "band": "2", "moving_fee": 200000, "movables": 160000}]}})).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (s, b) = pref.send_json("post", &format!("/api/housing/estates/{estate}/buildings"), json!({"name": "試験新築棟", "role": "new_first", "floors": 2, "types": [{"layout": "2DK", "area_m2": 55.0, "count": 4}, {"layout": "3LDK", "area_m2": 65.0, "count": 2}]})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    (estate, c["id"].as_i64().unwrap())
}

async fn new_case(u: &User, estate: i64, campaign: i64, room: &str) -> i64 {
    let (s, v) = u.send_json("post", "/api/housing/cases", json!({"estate_id": estate, "building": "H", "room": room, "size": 1, "aged65": 1, "care": true, "campaign_id": campaign})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["id"].as_i64().unwrap()
}

async fn case(u: &User, id: i64) -> Value {
    let (s, v) = u.get_json(&format!("/api/housing/cases/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

async fn step(u: &User, leg: i64, body: Value) -> (StatusCode, Value) {
    u.send_json("post", &format!("/api/housing/legs/{leg}/step"), body).await
}

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    use tabane_core::entities::audit_entry;
    use tabane_housing::entities::{form_item, payment};
    (
        audit_entry::Entity::find().count(&app.db).await.unwrap(),
        payment::Entity::find().count(&app.db).await.unwrap(),
        form_item::Entity::find().filter(form_item::Column::ReceivedOn.is_not_null()).count(&app.db).await.unwrap(),
    )
}

/// Asserts a refusal (4xx) whose message contains `needle`, and that nothing was written.
async fn refused(app: &TestApp, r: (StatusCode, Value), needle: &str, before: (u64, u64, u64)) {
    assert!(r.0.is_client_error(), "expected a refusal, got {} {}", r.0, r.1);
    assert!(r.1.to_string().contains(needle), "message should mention {needle}: {}", r.1);
    assert_eq!(counts(app).await, before, "a refusal writes nothing (no audit entry, payment or receipt)");
}

#[tokio::test]
async fn a_move_passes_every_gate_in_order_and_refusals_write_nothing() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let pfi = app.login("pfi-staff").await;
    let (estate, campaign) = setup(&app, &pref).await;
    let id = new_case(&pfi, estate, campaign, "101").await;
    let (s, v) = pfi.send_json("post", &format!("/api/housing/cases/{id}/classify"), json!({"class": "本移転"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let leg = case(&pfi, id).await["legs"][0]["leg"]["id"].as_i64().unwrap();

    let c0 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "issue_forms"})).await, "移転先の住戸が決まっていません", c0).await;
    let (_, units) = pfi.get_json(&format!("/api/housing/estates/{estate}/units")).await;
    let unit = units["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["building"] == "試験新築棟" && u["unit"]["layout"] == "2DK")
        .unwrap()["unit"]["id"]
        .as_i64()
        .unwrap();
    let (s, v) = pfi.send_json("post", &format!("/api/housing/legs/{leg}/unit"), json!({"unit_id": unit})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = step(&pfi, leg, json!({"action": "issue_forms", "on": "2027-04-01", "due_on": "2027-04-20"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let forms: Vec<(String, String)> = case(&pfi, id).await["legs"][0]["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap().to_string(), f["issue_no"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(forms.len(), 8, "退去届, 請書×2, 駐車場, 保証人, 連絡表, 鍵受領書, 移転費6枚綴り");

    // Keys: refused while any form is missing, naming them.
    let c1 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "hand_keys"})).await, "連帯保証人承諾書", c1).await;

    // A form of another household is refused.
    let other = new_case(&pfi, estate, campaign, "102").await;
    pfi.send_json("post", &format!("/api/housing/cases/{other}/classify"), json!({"class": "main"})).await;
    let other_leg = case(&pfi, other).await["legs"][0]["leg"]["id"].as_i64().unwrap();
    let unit2 = units["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["building"] == "試験新築棟" && u["unit"]["layout"] == "2DK")
        .nth(1)
        .unwrap()["unit"]["id"]
        .as_i64()
        .unwrap();
    pfi.send_json("post", &format!("/api/housing/legs/{other_leg}/unit"), json!({"unit_id": unit2})).await;
    step(&pfi, other_leg, json!({"action": "issue_forms", "on": "2027-04-01"})).await;
    let other_no = case(&pfi, other).await["legs"][0]["forms"][0]["issue_no"].as_str().unwrap().to_string();
    let c2 = counts(&app).await;
    refused(
        &app,
        pfi.send_json(
            "post",
            &format!("/api/housing/legs/{leg}/forms/receive"),
            json!({"issue_no": other_no, "method": "in_person"}),
        )
        .await,
        "別の世帯",
        c2,
    )
    .await;
    // Not in person without a reason; a guarantor count other than one.
    refused(
        &app,
        pfi.send_json(
            "post",
            &format!("/api/housing/legs/{leg}/forms/receive"),
            json!({"issue_no": forms[0].1, "method": "post"}),
        )
        .await,
        "原則対面",
        c2,
    )
    .await;
    let guarantor = forms.iter().find(|f| f.0 == "guarantor_consent").unwrap().1.clone();
    refused(
        &app,
        pfi.send_json(
            "post",
            &format!("/api/housing/legs/{leg}/forms/receive"),
            json!({"issue_no": guarantor, "method": "in_person", "guarantors": 2}),
        )
        .await,
        "連帯保証人は1名",
        c2,
    )
    .await;

    // Every form but one, then keys are still refused naming exactly the missing one.
    for (kind, no) in &forms {
        if kind == "key_receipt" {
            continue;
        }
        let body = if kind == "guarantor_consent" {
            json!({"issue_no": no, "method": "in_person", "guarantors": 1, "received_on": "2027-04-10"})
        } else {
            json!({"issue_no": no, "method": "visit", "method_reason": "高齢のため訪問", "received_on": "2027-04-10"})
        };
        let (s, v) = pfi.send_json("post", &format!("/api/housing/legs/{leg}/forms/receive"), body).await;
        assert_eq!(s, StatusCode::OK, "{kind}: {v}");
    }
    let c3 = counts(&app).await;
    let r = step(&pfi, leg, json!({"action": "hand_keys"})).await;
    refused(&app, r.clone(), "誓約書兼鍵受領書", c3).await;
    assert!(!r.1.to_string().contains("請書"), "only the missing form is named: {}", r.1);
    let key_no = forms.iter().find(|f| f.0 == "key_receipt").unwrap().1.clone();
    pfi.send_json(
        "post",
        &format!("/api/housing/legs/{leg}/forms/receive"),
        json!({"issue_no": key_no, "method": "in_person", "received_on": "2027-04-12"}),
    )
    .await;

    // Payments: first only after the contract and with an account; then keys, move, vacating.
    let c4 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "pay_first"})).await, "契約", c4).await;
    let (s, v) = step(&pfi, leg, json!({"action": "sign_contract", "on": "2027-04-15"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c5 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "pay_first", "on": "2027-04-20"})).await, "申請口座", c5).await;
    let (s, v) = pfi
        .send_json(
            "put",
            &format!("/api/housing/cases/{id}/personal"),
            json!({"bank_account": "十八親和銀行 諫早支店 普通 7654321"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = step(&pfi, leg, json!({"action": "pay_first", "on": "2027-04-20"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c6 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "pay_remainder"})).await, "退去", c6).await;
    let (s, v) = step(&pfi, leg, json!({"action": "hand_keys", "on": "2027-06-25"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c6 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "schedule_move", "on": "2032-04-01"})).await, "令和14年3月31日", c6)
        .await;
    let (s, v) = step(&pfi, leg, json!({"action": "record_move", "on": "2027-07-02"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c7 = counts(&app).await;
    refused(&app, step(&pfi, leg, json!({"action": "pay_first"})).await, "すでに記録", c7).await;
    refused(&app, step(&pfi, leg, json!({"action": "pay_remainder"})).await, "退去", c7).await;
    refused(
        &app,
        step(&pfi, leg, json!({"action": "confirm_vacated", "on": "2027-07-10", "nothing_left": true})).await,
        "鍵の返還",
        c7,
    )
    .await;
    refused(
        &app,
        step(
            &pfi,
            leg,
            json!({"action": "confirm_vacated", "on": "2027-06-30", "nothing_left": true, "keys_returned": true}),
        )
        .await,
        "前の手続の日",
        c7,
    )
    .await;
    let (s, v) = step(
        &pfi,
        leg,
        json!({"action": "confirm_vacated", "on": "2027-07-10", "nothing_left": true, "keys_returned": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = step(&pfi, leg, json!({"action": "pay_remainder", "on": "2027-07-20"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = step(&pfi, leg, json!({"action": "close", "on": "2027-07-21"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "closed");

    let c = case(&pref, id).await;
    let pays: Vec<(String, i64)> = c["legs"][0]["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap().to_string(), p["amount"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        pays,
        vec![("first".to_string(), 75_000), ("remainder".to_string(), 105_000)],
        "half of 動産移転相当額 (odd yen down), then 移転料 − first"
    );
    let events: Vec<&str> = c["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in [
        "open_case",
        "classify",
        "assign_unit",
        "issue_forms",
        "receive_form",
        "sign_contract",
        "pay_first",
        "hand_keys",
        "record_move",
        "confirm_vacated",
        "pay_remainder",
        "close",
    ] {
        assert!(events.contains(&a), "history has {a}: {events:?}");
    }

    // A referred mover above the fee is refused; the HTML page shows the refusal.
    let (s, v) = pfi
        .send_json(
            "post",
            &format!("/api/housing/legs/{other_leg}/referral"),
            json!({"company": "諫早引越センター", "quote": 180_001}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v.to_string().contains("移転料"), "{v}");
    let (s, _) = pfi
        .send_json(
            "post",
            &format!("/api/housing/legs/{other_leg}/referral"),
            json!({"company": "諫早引越センター", "quote": 150_000}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let r = pfi.post_form(&format!("/housing/legs/{other_leg}/step"), &[("action", "hand_keys")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("鍵を渡すには次の書類の受領が必要です"));
}

#[tokio::test]
async fn reclassifying_needs_a_reason_and_keeps_the_history() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let (estate, campaign) = setup(&app, &pref).await;
    let id = new_case(&pref, estate, campaign, "201").await;
    pref.send_json("post", &format!("/api/housing/cases/{id}/classify"), json!({"class": "temporary"})).await;
    let (s, v) = pref.send_json("post", &format!("/api/housing/cases/{id}/classify"), json!({"class": "leave"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = pref
        .send_json(
            "post",
            &format!("/api/housing/cases/{id}/classify"),
            json!({"class": "leave", "reason": "親族と同居するため退去を希望"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let c = case(&pref, id).await;
    assert_eq!(c["row"]["classification"], "leave");
    let legs = c["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    assert!(
        legs[0]["leg"]["cancelled_on"].is_string()
            && legs[0]["leg"]["cancel_reason"].as_str().unwrap().contains("親族と同居")
    );
    let ev = c["events"].as_array().unwrap().iter().filter(|e| e["action"] == "classify").count();
    assert_eq!(ev, 2);
    let viewer = app.login("nagasaki-viewer").await;
    let (s, _) = viewer
        .send_json("post", &format!("/api/housing/cases/{id}/classify"), json!({"class": "main", "reason": "x"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let other = app.login("pref-staff").await;
    let (s, _) = other.get_json(&format!("/api/housing/cases/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = other.get_json("/api/housing/cases").await;
    assert!(list["cases"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn personal_fields_are_ciphertext_in_the_database_and_every_read_is_audited() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let pfi = app.login("pfi-staff").await;
    let (estate, campaign) = setup(&app, &pref).await;
    let id = new_case(&pfi, estate, campaign, "305").await;
    let secrets = [
        "諫早 花子",
        "いさはや はなこ",
        "0957-22-4567",
        "諫早市永昌町 仮住居U棟",
        "車いすを使用",
        "十八親和銀行 諫早支店 普通 7654321",
    ];
    let (s, v) = pfi.send_json("put", &format!("/api/housing/cases/{id}/personal"), json!({"name": secrets[0], "kana": secrets[1], "phone": secrets[2], "address": secrets[3], "care_note": secrets[4], "bank_account": secrets[5]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The raw database holds none of them.
    let rows = app.db.query_all(Statement::from_string(app.db.get_database_backend(), "SELECT name_enc, kana_enc, phone_enc, address_enc, care_note_enc, bank_enc, name_bidx FROM housing_households")).await.unwrap();
    let mut raw = String::new();
    for r in &rows {
        for i in 0..7 {
            raw.push_str(&r.try_get_by_index::<Option<String>>(i).unwrap().unwrap_or_default());
        }
    }
    assert!(raw.contains("v1."), "values are stored encrypted");
    for s in secrets {
        assert!(!raw.contains(s), "{s} readable in the table");
    }
    if !app.tdb.is_postgres() {
        app.db.execute_unprepared("PRAGMA wal_checkpoint(FULL)").await.ok();
        let mut bytes = std::fs::read(app.tdb.dir.join("test.sqlite")).unwrap();
        bytes.extend(std::fs::read(app.tdb.dir.join("test.sqlite-wal")).unwrap_or_default());
        for s in secrets {
            assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "{s} readable in the database file");
        }
    }
    // Lists and the case page never decrypt.
    let (_, list) = pref.get_json(&format!("/api/housing/cases?estate={estate}")).await;
    let (_, detail) = pref.get_json(&format!("/api/housing/cases/{id}")).await;
    let html = pref.get(&format!("/housing/cases/{id}")).await.text().await.unwrap();
    for s in secrets {
        assert!(
            !list.to_string().contains(s) && !detail.to_string().contains(s) && !html.contains(s),
            "{s} shown without a reveal"
        );
    }

    // The prefecture reveals: everything, and the read is in the audit log first.
    use tabane_core::entities::audit_entry;
    let reads = || {
        audit_entry::Entity::find()
            .filter(audit_entry::Column::PersonalRead.eq(true))
            .filter(audit_entry::Column::EntityId.eq(id.to_string()))
    };
    assert_eq!(reads().count(&app.db).await.unwrap(), 0);
    let r = pref.post_form(&format!("/housing/cases/{id}/personal"), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(secrets[0]) && html.contains(secrets[5]), "the prefecture sees the account");
    let entry = reads().one(&app.db).await.unwrap().expect("a personal-read audit entry");
    assert_eq!((entry.entity.as_str(), entry.actor.as_str()), ("housing_case", "nagasaki-staff"));
    assert!(entry.after.unwrap().contains("bank_account"));

    // The contractor reveals: everything but the account, which shows as registered.
    let (s, v) = pfi.send_json("post", &format!("/api/housing/cases/{id}/personal/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["name"], secrets[0]);
    assert!(v["bank_account"].is_null() && v["bank_registered"] == true, "{v}");
    assert!(!v.to_string().contains("7654321"));
    let html = pfi.post_form(&format!("/housing/cases/{id}/personal"), &[]).await.text().await.unwrap();
    assert!(html.contains(secrets[0]) && !html.contains("7654321") && html.contains("登録済み"));
    assert_eq!(reads().count(&app.db).await.unwrap(), 3);

    // Viewers and other organisations read nothing, and their attempts leave no read entry.
    let viewer = app.login("nagasaki-viewer").await;
    let (s, _) = viewer.send_json("post", &format!("/api/housing/cases/{id}/personal/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let other = app.login("kawazu-admin").await;
    let (s, _) = other.send_json("post", &format!("/api/housing/cases/{id}/personal/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) =
        other.send_json("put", &format!("/api/housing/cases/{id}/personal"), json!({"name": "乗っ取り"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(reads().count(&app.db).await.unwrap(), 3);
}

#[tokio::test]
async fn exports_hold_only_the_chosen_columns_and_personal_ones_are_logged() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let pfi = app.login("pfi-staff").await;
    let (estate, campaign) = setup(&app, &pref).await;
    let id = new_case(&pfi, estate, campaign, "401").await;
    pfi.send_json(
        "put",
        &format!("/api/housing/cases/{id}/personal"),
        json!({"name": "大村 一郎", "phone": "0957-11-2222", "bank_account": "親和銀行 本店 普通 1112223"}),
    )
    .await;
    use tabane_core::entities::audit_entry;
    let exports = || audit_entry::Entity::find().filter(audit_entry::Column::Action.eq("export_personal"));
    // Default: no personal column, nothing logged.
    let body = pfi.get(&format!("/housing/cases/export?estate={estate}&format=csv")).await.text().await.unwrap();
    assert!(body.contains("部屋番号") && body.contains("401") && !body.contains("大村") && !body.contains("氏名"));
    assert_eq!(exports().count(&app.db).await.unwrap(), 0);
    // Chosen columns only; the personal one is logged.
    let r = pfi.get(&format!("/housing/cases/export?estate={estate}&format=csv&columns=room,name")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    let header = body.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert_eq!(header, "部屋番号,氏名");
    assert!(body.contains("大村 一郎") && !body.contains("0957"));
    let e = exports().one(&app.db).await.unwrap().expect("logged");
    assert!(e.personal_read && e.after.unwrap().contains("\"name\""));
    // The contractor cannot export bank accounts; the prefecture can. Viewers export no personal column.
    let r = pfi.get(&format!("/housing/cases/export?estate={estate}&columns=room,bank_account")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = pref.get(&format!("/housing/cases/export?estate={estate}&columns=room,bank_account&format=xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let viewer = app.login("nagasaki-viewer").await;
    assert_eq!(
        viewer.get(&format!("/housing/cases/export?estate={estate}&columns=name")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(viewer.get(&format!("/housing/cases/export?estate={estate}")).await.status(), StatusCode::OK);
    let other = app.login("kawazu-admin").await;
    assert_eq!(other.get(&format!("/housing/cases/export?estate={estate}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn erasure_removes_the_personal_fields_of_old_closed_cases_only() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let (estate, campaign) = setup(&app, &pref).await;
    let old = new_case(&pref, estate, campaign, "501").await;
    let open = new_case(&pref, estate, campaign, "502").await;
    for id in [old, open] {
        pref.send_json(
            "put",
            &format!("/api/housing/cases/{id}/personal"),
            json!({"name": "消去 対象", "bank_account": "銀行 支店 普通 9998887"}),
        )
        .await;
    }
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    use tabane_housing::entities::{case, household};
    let c = case::Entity::find_by_id(old).one(&app.db).await.unwrap().unwrap();
    let hid = c.household_id;
    let mut am: case::ActiveModel = c.into();
    am.closed_at = Set(Some(chrono::Utc::now() - chrono::Duration::days(6 * 366)));
    am.update(&app.db).await.unwrap();
    let cli = tabane_core::Ctx::cli();
    let cutoff = chrono::Local::now().date_naive() - chrono::Days::new(5 * 365);
    let dry = tabane_housing::service::erase::closed(&app.db, &cli, cutoff, true).await.unwrap();
    assert_eq!(dry.case_ids, vec![old]);
    assert!(
        household::Entity::find_by_id(hid).one(&app.db).await.unwrap().unwrap().name_enc.is_some(),
        "a dry run writes nothing"
    );
    let done = tabane_housing::service::erase::closed(&app.db, &cli, cutoff, false).await.unwrap();
    assert_eq!(done.cases, 1);
    let h = household::Entity::find_by_id(hid).one(&app.db).await.unwrap().unwrap();
    assert!(h.name_enc.is_none() && h.bank_enc.is_none() && h.name_bidx.is_none() && h.erased_at.is_some());
    let (_, v) = pref.send_json("post", &format!("/api/housing/cases/{open}/personal/reveal"), json!({})).await;
    assert_eq!(v["name"], "消去 対象", "an open case keeps its data");
    let (_, v) = pref.send_json("post", &format!("/api/housing/cases/{old}/personal/reveal"), json!({})).await;
    assert!(v["name"].is_null());
    let (s, _) = pref.send_json("put", &format!("/api/housing/cases/{old}/personal"), json!({"name": "復活"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let again = tabane_housing::service::erase::closed(&app.db, &cli, cutoff, false).await.unwrap();
    assert_eq!(again.cases, 0, "erased once");
    // Only an operator may erase.
    let staff = tabane_core::Ctx { system_admin: false, ..cli };
    assert!(tabane_housing::service::erase::closed(&app.db, &staff, cutoff, false).await.is_err());
}

#[tokio::test]
async fn a_transfer_needs_its_destination_address_which_is_stored_encrypted() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let (estate, campaign) = setup(&app, &pref).await;
    let id = new_case(&pref, estate, campaign, "601").await;
    pref.send_json("post", &format!("/api/housing/cases/{id}/classify"), json!({"class": "住宅替"})).await;
    let leg = case(&pref, id).await["legs"][0]["leg"]["id"].as_i64().unwrap();
    let before = counts(&app).await;
    refused(&app, step(&pref, leg, json!({"action": "issue_forms"})).await, "住宅替え先", before).await;
    let addr = "長崎県大村市 県営桜が原住宅 3-204";
    let (s, v) = pref.send_json("put", &format!("/api/housing/legs/{leg}/address"), json!({"address": addr})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = step(&pref, leg, json!({"action": "issue_forms"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rows = app
        .db
        .query_all(Statement::from_string(app.db.get_database_backend(), "SELECT to_address_enc FROM housing_legs"))
        .await
        .unwrap();
    assert!(
        rows.iter().all(|r| !r.try_get_by_index::<Option<String>>(0).unwrap().unwrap_or_default().contains("桜が原"))
    );
    let (_, v) = pref.send_json("post", &format!("/api/housing/cases/{id}/personal/reveal"), json!({})).await;
    assert_eq!(v["transfer_address"], addr);
}

#[tokio::test]
async fn the_english_case_list_shows_its_vocabulary_in_english() {
    let app = TestApp::spawn().await;
    let pfi = app.login("pfi-staff").await;
    let en = pfi.get("/housing/cases?lang=en").await.text().await.unwrap();
    let table = &en[en.find("<tbody>").expect("the case table")..];
    let table = &table[..table.find("</tbody>").unwrap()];
    for ja in ["本移転", "分類済み", "要配慮", "未分類"] {
        assert!(!table.contains(ja), "the English case list shows {ja}");
    }
    assert!(table.contains("Needs care") && table.contains("Classified"), "its English labels are shown");
    // Japanese stays the default.
    let ja = pfi.get("/housing/cases?lang=ja").await.text().await.unwrap();
    assert!(ja.contains("要配慮") && ja.contains("分類済み"));
}
