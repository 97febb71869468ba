//! 提出物（計画書・報告書）と承諾: register with a due rule, submit, 差戻し (reason required),
//! re-submit, 承諾, change after 承諾, overdue listing, who may do what, and isolation.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_core::entities::{audit_entry, deliverable_submission};
use tabane_testkit::{TestApp, User};

/// The demo's 維持管理 bundle: 静岡県 (owner) and the JV (contractor), 下田市 (owner).
async fn maint_bundle(app: &TestApp, u: &User) -> i64 {
    let (_, bundles) = u.get_json("/api/bundles").await;
    let jv = app.org_id("下田地域維持型JV").await;
    for b in bundles.as_array().unwrap() {
        let id = b["id"].as_i64().unwrap();
        let (_, v) = u.get_json(&format!("/api/bundles/{id}")).await;
        if v["members"].as_array().unwrap().iter().any(|m| m["org_id"] == jv) {
            return id;
        }
    }
    panic!("no bundle with the JV");
}

async fn register(app: &TestApp, pref: &User, body: Value) -> (StatusCode, Value) {
    let bundle = maint_bundle(app, pref).await;
    let jv = app.org_id("下田地域維持型JV").await;
    let mut b = json!({"bundle_id": bundle.to_string(), "submitter_org_id": jv.to_string(), "module": "infra"});
    b.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    pref.send_json("post", "/api/deliverables", b).await
}

async fn audits(app: &TestApp) -> u64 {
    audit_entry::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn plan_is_sent_back_resubmitted_approved_and_reopened_for_change() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let jv = app.login("jv-staff").await;

    // Register: due 14 days after the anchor (業務着手).
    let (s, d) = register(
        &app,
        &pref,
        json!({"code": "P-1", "title": "維持管理業務計画書", "section_ref": "7(1)ウ", "needs_approval": true,
        "recurrence": "once", "due_rule": "+14d", "anchor_label": "業務着手", "anchor_date": "2027-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    assert_eq!(d["due_date"], "2027-04-15");
    assert_eq!(d["owner_org_id"], app.org_id("静岡県").await);
    // Moving the anchor recomputes the due date (instance too).
    let (s, d) =
        pref.send_json("put", &format!("/api/deliverables/{id}/anchor"), json!({"anchor_date": "令和9年5月6日"})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["due_date"], "2027-05-20");
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    assert_eq!(v["instances"][0]["instance"]["due_date"], "2027-05-20");
    assert_eq!(v["instances"][0]["status"], "pending");
    // A bad rule or a duplicate code: field named, nothing written.
    let n = audits(&app).await;
    let (s, e) = register(&app, &pref, json!({"code": "P-1", "title": "x", "due_rule": "14 days"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("期限ルール") && msg.contains("記号"), "{msg}");
    assert_eq!(audits(&app).await, n);

    // Only the submitter submits; the approver's staff or another member cannot.
    for who in ["pref-staff", "shimoda-staff"] {
        let u = app.login(who).await;
        let (s, _) = u.send_json("post", &format!("/api/deliverables/{id}/submit"), json!({"note": "代理提出"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    // Revision 1 through the page, with a file.
    let r = jv
        .post_file(&format!("/deliverables/{id}/submit"), "plan-v1.pdf", b"%PDF-1.4 plan".to_vec(), &[("note", "初版")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    let rev1 = &v["instances"][0]["submissions"][0];
    assert_eq!(rev1["submission"]["revision"], 1);
    assert_eq!(rev1["file_name"], "plan-v1.pdf");
    assert_eq!(v["instances"][0]["status"], "submitted");
    let sub1 = rev1["submission"]["id"].as_i64().unwrap();
    // The approver can read the file (it is shared in the bundle).
    let f = rev1["submission"]["file_id"].as_i64().unwrap();
    assert_eq!(pref.get(&format!("/files/{f}")).await.status(), StatusCode::OK);

    // Only the approver decides.
    let (s, _) = jv
        .send_json("post", &format!("/api/deliverables/submissions/{sub1}/decide"), json!({"decision": "approved"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // 差戻し without a reason: refused, nothing written.
    let n = audits(&app).await;
    let (s, e) = pref
        .send_json(
            "post",
            &format!("/api/deliverables/submissions/{sub1}/decide"),
            json!({"decision": "returned", "decision_note": "  "}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["message"].as_str().unwrap().contains("差戻しの理由"), "{e}");
    assert_eq!(audits(&app).await, n);
    let row = deliverable_submission::Entity::find()
        .filter(deliverable_submission::Column::Id.eq(sub1))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.decision, None);
    // The page form shows the same problem.
    let r = pref
        .post_form(
            &format!("/deliverables/submissions/{sub1}/decide"),
            &[("decision", "returned"), ("decision_note", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("差戻しの理由"));
    // With a reason.
    let (s, v) = pref
        .send_json(
            "post",
            &format!("/api/deliverables/submissions/{sub1}/decide"),
            json!({"decision": "returned", "decision_note": "工程表が不足しています"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["decision"], "returned");
    // 受理 is not for a deliverable that needs 承諾.
    let (s, v) = jv.send_json("post", &format!("/api/deliverables/{id}/submit"), json!({"note": "工程表を追加"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["revision"], 2);
    let sub2 = v["id"].as_i64().unwrap();
    let (s, _) = pref
        .send_json("post", &format!("/api/deliverables/submissions/{sub2}/decide"), json!({"decision": "received"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // An old revision cannot be decided.
    let (s, _) = pref
        .send_json("post", &format!("/api/deliverables/submissions/{sub1}/decide"), json!({"decision": "approved"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // 承諾 through the page form.
    let r = pref
        .post_form(
            &format!("/deliverables/submissions/{sub2}/decide"),
            &[("decision", "approved"), ("decision_note", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    assert_eq!(v["instances"][0]["status"], "approved");

    // After 承諾 a change needs reopening with a reason, a new revision and a new 承諾.
    let (s, _) = jv.send_json("post", &format!("/api/deliverables/{id}/submit"), json!({"note": "変更版"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, e) = jv.send_json("post", &format!("/api/deliverables/{id}/reopen"), json!({"reason": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["message"].as_str().unwrap().contains("変更の理由"));
    let r = jv.post_form(&format!("/deliverables/{id}/reopen"), &[("period", "once"), ("reason", "体制の変更")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    assert_eq!(v["instances"][0]["status"], "pending");
    assert_eq!(v["instances"][0]["instance"]["reopen_reason"], "体制の変更");
    let r = jv.post_form(&format!("/deliverables/{id}/submit"), &[("note", "変更版")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    let sub3 = &v["instances"][0]["submissions"][2]["submission"];
    assert_eq!(sub3["revision"], 3);
    let (s, _) = pref
        .send_json(
            "post",
            &format!("/api/deliverables/submissions/{}/decide", sub3["id"]),
            json!({"decision": "approved", "decision_note": "変更を承諾"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // The page shows the revisions and decisions.
    let html = pref.get(&format!("/deliverables/{id}")).await.text().await.unwrap();
    for t in ["維持管理業務計画書", "工程表が不足しています", "体制の変更", "変更を承諾", "plan-v1.pdf"]
    {
        assert!(html.contains(t), "page lacks {t}");
    }
    // Every step was audited.
    let actions: Vec<String> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.starts_with("deliverable"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["create", "set_anchor", "submit", "returned", "approved", "reopen"] {
        assert!(actions.iter().any(|x| x == a), "no audit entry {a}: {actions:?}");
    }
}

#[tokio::test]
async fn monthly_reports_and_overdue_listing() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let jv = app.login("jv-staff").await;
    // Monthly results, due the 10th of the next month; received, not approved.
    let (s, d) = register(&app, &pref, json!({"code": "M-1", "title": "自主モニタリング結果", "needs_approval": false, "recurrence": "monthly", "due_rule": "next_month_start +9d"})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let (s, e) = jv.send_json("post", &format!("/api/deliverables/{id}/instances"), json!({"period": "2027/4"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["message"].as_str().unwrap().contains("2027-04"), "{e}");
    for p in ["2027-04", "2027-05"] {
        let (s, i) = jv.send_json("post", &format!("/api/deliverables/{id}/instances"), json!({"period": p})).await;
        assert_eq!(s, StatusCode::OK, "{i}");
    }
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    assert_eq!(v["instances"][0]["instance"]["due_date"], "2027-05-10");
    assert_eq!(v["instances"][1]["instance"]["due_date"], "2027-06-10");
    // A one-off plan due 2027-05-31.
    let (_, p) = register(
        &app,
        &pref,
        json!({"code": "P-2", "title": "調査業務計画書", "needs_approval": true, "due_date": "2027-05-31"}),
    )
    .await;
    let plan = p["id"].as_i64().unwrap();

    // April is submitted and received; on 2027-06-15 May's report and the plan are overdue.
    let (s, sub) = jv
        .send_json("post", &format!("/api/deliverables/{id}/submit"), json!({"period": "2027-04", "note": "4月分"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sub}");
    let (s, _) = pref
        .send_json(
            "post",
            &format!("/api/deliverables/submissions/{}/decide", sub["id"]),
            json!({"decision": "received"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, o) = pref.get_json("/api/deliverables/overdue?today=2027-06-15").await;
    assert_eq!(s, StatusCode::OK);
    let items: Vec<(i64, String, i64)> = o
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["deliverable_id"].as_i64().unwrap(),
                i["period"].as_str().unwrap().to_string(),
                i["days_late"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(items, vec![(plan, "once".into(), 15), (id, "2027-05".into(), 5)]);
    // The contractor sees the same list; before the due dates nothing is overdue.
    let (_, o) = jv.get_json("/api/deliverables/overdue?today=2027-06-15").await;
    assert_eq!(o.as_array().unwrap().len(), 2);
    let (_, o) = jv.get_json("/api/deliverables/overdue?today=2027-05-10").await;
    assert_eq!(o.as_array().unwrap().len(), 0);
    // The register lists both.
    let (_, rows) = pref.get_json("/api/deliverables").await;
    assert_eq!(rows.as_array().unwrap().len(), 2);
    // The page and the dashboard answer.
    let html = pref.get("/deliverables").await.text().await.unwrap();
    assert!(html.contains("自主モニタリング結果") && html.contains("提出物の登録"));
    assert!(pref.get("/").await.text().await.unwrap().contains("/deliverables"));
    // A viewer cannot register.
    let viewer = app.login("pref-viewer").await;
    let (s, _) = register(&app, &viewer, json!({"code": "V-1", "title": "x"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // An HTML registration with missing fields names them and writes nothing.
    let n = audits(&app).await;
    let r = pref.post_form("/deliverables", &[("bundle_id", ""), ("code", ""), ("title", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("束") && body.contains("記号") && body.contains("名称"));
    assert_eq!(audits(&app).await, n);
}

#[tokio::test]
async fn another_organisation_cannot_see_or_change_a_deliverable() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let jv = app.login("jv-staff").await;
    let (_, d) = register(
        &app,
        &pref,
        json!({"code": "S-1", "title": "非公開の計画書", "needs_approval": true, "due_date": "2020-01-01"}),
    )
    .await;
    let id = d["id"].as_i64().unwrap();
    let (s, sub) = jv.send_json("post", &format!("/api/deliverables/{id}/submit"), json!({"note": "非公開メモ"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let sid = sub["id"].as_i64().unwrap();
    // 河津町 is not in the bundle.
    let other = app.login("kawazu-admin").await;
    for (m, p, body) in [
        ("get", format!("/api/deliverables/{id}"), json!(null)),
        ("get", format!("/deliverables/{id}"), json!(null)),
        ("put", format!("/api/deliverables/{id}/anchor"), json!({"anchor_date": "2027-01-01"})),
        ("post", format!("/api/deliverables/{id}/instances"), json!({"period": "once"})),
        ("post", format!("/api/deliverables/{id}/submit"), json!({"note": "x"})),
        ("post", format!("/api/deliverables/{id}/reopen"), json!({"reason": "x"})),
        ("post", format!("/api/deliverables/submissions/{sid}/decide"), json!({"decision": "approved"})),
    ] {
        let s = if m == "get" { other.get(&p).await.status() } else { other.send_json(m, &p, body).await.0 };
        assert!(s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN, "{m} {p}: {s}");
    }
    for p in ["/deliverables/{id}/submit", "/deliverables/{id}/reopen", "/deliverables/{id}/anchor"] {
        let r = other
            .post_form(
                &p.replace("{id}", &id.to_string()),
                &[("note", "x"), ("reason", "x"), ("anchor_date", "2027-01-01")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{p}");
    }
    let r = other.post_form(&format!("/deliverables/submissions/{sid}/decide"), &[("decision", "approved")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for p in ["/api/deliverables", "/api/deliverables/overdue?today=2099-01-01", "/deliverables", "/"] {
        let body = other.get(p).await.text().await.unwrap();
        assert!(!body.contains("非公開の計画書") && !body.contains("非公開メモ"), "{p} leaks");
    }
    // Registering into a bundle it is not in is not revealed either.
    let bundle = maint_bundle(&app, &pref).await;
    let (s, _) = other.send_json("post", "/api/deliverables", json!({"bundle_id": bundle.to_string(), "submitter_org_id": app.org_id("河津町").await.to_string(), "code": "Z", "title": "z"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Nothing changed.
    let (_, v) = pref.get_json(&format!("/api/deliverables/{id}")).await;
    assert_eq!(v["instances"][0]["status"], "submitted");
    assert_eq!(v["instances"][0]["submissions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_withdrawn_instance_is_no_longer_due_and_keeps_its_reason() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let jv = app.login("jv-staff").await;
    let (s, d) = register(
        &app,
        &pref,
        json!({"code": "W-1", "title": "第3回会議資料", "needs_approval": false, "due_date": "2027-05-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let (_, o) = pref.get_json("/api/deliverables/overdue?today=2027-05-10").await;
    assert_eq!(o.as_array().unwrap().len(), 1);
    // The contractor (the submitter) cannot withdraw it; without a reason nothing is written.
    let (s, _) = jv.send_json("post", &format!("/api/deliverables/{id}/withdraw"), json!({"reason": "中止"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let n = audits(&app).await;
    let (s, e) = pref.send_json("post", &format!("/api/deliverables/{id}/withdraw"), json!({"reason": " "})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("取消の理由"), "{e}");
    assert_eq!(audits(&app).await, n);
    // The owner withdraws it: not overdue any more, the reason shown, audited once.
    let (s, i) =
        pref.send_json("post", &format!("/api/deliverables/{id}/withdraw"), json!({"reason": "会議の中止"})).await;
    assert_eq!(s, StatusCode::OK, "{i}");
    assert_eq!((i["status"].as_str(), i["withdraw_reason"].as_str()), (Some("withdrawn"), Some("会議の中止")));
    assert_eq!(audits(&app).await, n + 1);
    let (_, o) = pref.get_json("/api/deliverables/overdue?today=2027-05-10").await;
    assert_eq!(o.as_array().unwrap().len(), 0);
    let html = pref.get(&format!("/deliverables/{id}")).await.text().await.unwrap();
    assert!(html.contains("取消") && html.contains("会議の中止"));
    // Nothing more can be handed in or withdrawn again.
    let (s, _) = jv.send_json("post", &format!("/api/deliverables/{id}/submit"), json!({"note": "遅れて"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = pref.send_json("post", &format!("/api/deliverables/{id}/withdraw"), json!({"reason": "再度"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
}
