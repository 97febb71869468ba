//! 会議 (meetings): due dates of materials and minutes from the meeting date through the
//! series' rule (including a holiday week), moving and cancelling a meeting, action items carried
//! to the next agenda, the iCalendar files and the secret feed, who may set dates, bad input.

use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tabane_core::entities::audit_entry;
use tabane_testkit::{TestApp, User};

async fn bundle_named(u: &User, name: &str) -> i64 {
    let (_, bundles) = u.get_json("/api/bundles").await;
    bundles.as_array().unwrap().iter().find(|b| b["name"].as_str().unwrap().contains(name)).expect(name)["id"]
        .as_i64()
        .unwrap()
}

async fn audits(app: &TestApp) -> u64 {
    audit_entry::Entity::find().count(&app.db).await.unwrap()
}

fn due(v: &Value, role: &str) -> String {
    v["documents"].as_array().unwrap().iter().find(|d| d["role"] == role).unwrap()["instance"]["due_date"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_moved_meeting_moves_its_due_dates_around_the_golden_week_and_is_a_calendar() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let council = bundle_named(&pref, "協議会").await;
    // A series with the default rules: materials 7 days before, minutes 7 days after, earlier
    // business day.
    let (s, series) = pref
        .send_json(
            "post",
            "/api/meetings/series",
            json!({"title": "研究部会", "kind": "研究部会", "bundle_id": council.to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{series}");
    let sid = series["id"].as_i64().unwrap();
    let (_, sv) = pref.get_json(&format!("/api/meetings/series/{sid}")).await;
    assert_eq!(sv["materials_rule_ja"], "会議の7日前（営業日でない場合は前営業日）");
    let html = pref.get(&format!("/meetings/series/{sid}")).await.text().await.unwrap();
    assert!(html.contains("会議の7日前（営業日でない場合は前営業日）"));

    let (s, m) = pref
        .send_json(
            "post",
            &format!("/api/meetings/series/{sid}/meetings"),
            json!({"date": "令和8年5月20日", "start_time": "14:00", "end_time": "16:00", "place": "県庁 会議室"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["meeting"]["id"].as_i64().unwrap();
    assert_eq!(m["meeting"]["title"], "第1回 研究部会");
    assert_eq!((due(&m, "materials"), due(&m, "minutes")), ("2026-05-13".into(), "2026-05-27".into()));

    // Moved to 5/13: 5/6 is 振替休日, 5/3–5/5 holidays, 5/2 a Saturday → materials due 5/1.
    let n = audits(&app).await;
    let (s, v) = pref
        .send_json("put", &format!("/api/meetings/{id}"), json!({"date": "2026-05-13", "start_time": "14:00"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((due(&v, "materials"), due(&v, "minutes")), ("2026-05-01".into(), "2026-05-20".into()));
    // The audit log holds the old and new dates: the meeting's entry and one per document.
    let entries = audit_entry::Entity::find().all(&app.db).await.unwrap();
    let moved = entries.iter().rev().find(|e| e.entity == "meeting" && e.action == "update").unwrap();
    let text = format!("{:?} {:?}", moved.before, moved.after);
    for d in ["2026-05-13", "2026-05-01", "2026-05-27", "2026-05-20"] {
        assert!(text.contains(d), "{d} in {text}");
    }
    assert_eq!(entries.iter().filter(|e| e.action == "reschedule").count(), 2);
    assert_eq!(audits(&app).await, n + 3);
    // The deliverables register shows the new due date.
    let (_, docs) = pref.get_json(&format!("/api/deliverables/{}", v["documents"][0]["deliverable_id"])).await;
    assert_eq!(docs["instances"][0]["instance"]["due_date"], "2026-05-01");
    assert_eq!(docs["instances"][0]["meeting_id"], id, "the instance points at its meeting");

    // Its .ics parses with a standard iCalendar library and carries the JST time zone.
    let r = pref.get(&format!("/meetings/{id}/meeting.ics")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = r.text().await.unwrap();
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar");
    let tz = cal.components.iter().find(|c| c.name.as_str() == "VTIMEZONE").expect("a VTIMEZONE");
    assert!(tz.properties.iter().any(|p| p.name.as_str() == "TZID" && p.val.as_str() == "Asia/Tokyo"));
    let ev = cal.components.iter().find(|c| c.name.as_str() == "VEVENT").expect("a VEVENT");
    let start = ev.properties.iter().find(|p| p.name.as_str() == "DTSTART").unwrap();
    assert_eq!(start.val.as_str(), "20260513T140000");
    assert!(
        start
            .params
            .iter()
            .any(|p| p.key.as_str() == "TZID" && p.val.as_ref().is_some_and(|v| v.as_str() == "Asia/Tokyo"))
    );
    assert!(ev.properties.iter().any(|p| p.name.as_str() == "SUMMARY" && p.val.as_str() == "第1回 研究部会"));

    // The secret feed: no session needed; a wrong token is not found.
    let (s, f) = pref.send_json("post", &format!("/api/meetings/series/{sid}/feed"), json!({})).await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    let url = f["url"].as_str().unwrap().to_string();
    let anon = app.anon();
    let r = anon.get(app.url(&url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("第1回 研究部会"));
    let r = anon.get(app.url("/meetings/feeds/0000.ics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A member town sees the meeting; the pages answer.
    let kawazu = app.login("kawazu-admin").await;
    assert_eq!(kawazu.get(&format!("/meetings/{id}")).await.status(), StatusCode::OK);
    assert!(pref.get("/meetings").await.text().await.unwrap().contains("研究部会"));
    for p in [format!("/meetings/series/{sid}"), format!("/meetings/{id}"), format!("/meetings/{id}/print")] {
        let r = pref.get(&p).await;
        assert_eq!(r.status(), StatusCode::OK, "{p}");
        assert!(r.text().await.unwrap().contains("第1回 研究部会"), "{p}");
    }
}

#[tokio::test]
async fn only_the_organiser_sets_dates_bad_input_writes_nothing_and_cancelling_withdraws_the_documents() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let maint = bundle_named(&pref, "維持管理").await;
    let (s, series) = pref
        .send_json(
            "post",
            "/api/meetings/series",
            json!({"title": "月例会議", "kind": "月例会議", "bundle_id": maint.to_string(), "adjust": "next"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{series}");
    let sid = series["id"].as_i64().unwrap();
    let (s, m) =
        pref.send_json("post", &format!("/api/meetings/series/{sid}/meetings"), json!({"date": "2027-06-15"})).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["meeting"]["id"].as_i64().unwrap();
    // 群マネ contributes its monthly items to a meeting in its bundle.
    let agenda: Vec<&str> = m["agenda"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert!(agenda[0].starts_with("① 受付・対応状況（2027年5月：受付"), "{agenda:?}");
    assert_eq!(m["agenda"][0]["source"], "module");

    // The contractor sees the meeting and cannot set its date.
    let jv = app.login("jv-staff").await;
    assert_eq!(jv.get(&format!("/api/meetings/{id}")).await.status(), StatusCode::OK);
    let (s, e) = jv.send_json("put", &format!("/api/meetings/{id}"), json!({"date": "2027-06-16"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(e.to_string().contains("会議の日程・議題は主催団体（静岡県）の担当者が設定します"), "{e}");

    // A date that does not exist: 422 naming 開催日, nothing written.
    let n = audits(&app).await;
    let (s, e) = pref.send_json("put", &format!("/api/meetings/{id}"), json!({"date": "令和7年13月1日"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("開催日") && e.to_string().contains("存在しません"), "{e}");
    let r = pref.post_form(&format!("/meetings/{id}"), &[("date", "令和7年13月1日")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("開催日"));
    assert_eq!(audits(&app).await, n);
    let (_, v) = pref.get_json(&format!("/api/meetings/{id}")).await;
    assert_eq!(v["meeting"]["updated_at"], m["meeting"]["updated_at"]);

    // An action item stays open and is carried into the next meeting's agenda.
    let (s, a) = pref.send_json("post", &format!("/api/meetings/{id}/actions"), json!({"text": "除草範囲の確認", "owner_org_id": app.org_id("下田地域維持型JV").await.to_string(), "due_date": "令和9年6月30日"})).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!((a["status"].as_str(), a["due_date"].as_str()), (Some("open"), Some("2027-06-30")));
    let (s, m2) =
        pref.send_json("post", &format!("/api/meetings/series/{sid}/meetings"), json!({"date": "2027-07-15"})).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(m2["agenda"].as_array().unwrap().iter().any(|i| i["title"] == "（継続）除草範囲の確認"), "{m2}");
    // The JV, responsible for it, marks it done.
    let (s, a) = jv.send_json("put", &format!("/api/meetings/actions/{}", a["id"]), json!({"status": "done"})).await;
    assert_eq!(s, StatusCode::OK, "{a}");

    // Cancelling needs a reason, and withdraws the meeting's documents: nothing stays overdue.
    let (s, _) = pref.send_json("post", &format!("/api/meetings/{id}/cancel"), json!({"reason": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, c) =
        pref.send_json("post", &format!("/api/meetings/{id}/cancel"), json!({"reason": "台風接近のため"})).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (_, v) = pref.get_json(&format!("/api/meetings/{id}")).await;
    for d in v["documents"].as_array().unwrap() {
        assert_eq!(d["status"], "withdrawn");
        assert!(d["instance"]["withdraw_reason"].as_str().unwrap().contains("台風接近のため"));
    }
    let (_, o) = pref.get_json("/api/deliverables/overdue?today=2027-12-01").await;
    assert!(!o.to_string().contains(&format!("（会議{id}）")), "{o}");
    let (s, _) = pref.send_json("put", &format!("/api/meetings/{id}"), json!({"date": "2027-06-20"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
}
