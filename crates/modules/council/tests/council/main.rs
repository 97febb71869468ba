//! 協議会・研究部会 (council module): the spec's acceptance checks (docs: ../shared/specs/council.md
//! §8), black-box through the JSON API on the demo (長野県's 信州暮らし推進係, the ten members,
//! the contractor). Checks 1–3 run on a fresh term with the spec's period (2025-06-02 … 2025-10-31)
//! so that the meetings start 日程未定, as in the spec.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_core::entities::audit_entry;
use tabane_testkit::{TestApp, User};

async fn demo_term(u: &User) -> i64 {
    let (s, v) = u.get_json("/api/council/terms").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["terms"][0]["term"]["id"].as_i64().expect("the demo term")
}

async fn view(u: &User, term: i64) -> Value {
    let (s, v) = u.get_json(&format!("/api/council/terms/{term}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn meeting(v: &Value, title: &str) -> i64 {
    v["meetings"].as_array().unwrap().iter().find(|m| m["meeting"]["title"] == title).unwrap()["meeting"]["id"]
        .as_i64()
        .unwrap()
}

fn doc<'a>(m: &'a Value, role: &str) -> &'a Value {
    m["documents"].as_array().unwrap().iter().find(|d| d["role"] == role).unwrap_or_else(|| panic!("{role} in {m}"))
}

/// A second term of the demo committee with a contract bundle of its own (the bundle is set up
/// through the platform's service as the department's administrator would; the term through
/// the API).
async fn fresh_term(app: &TestApp) -> (User, i64, Value) {
    use tabane_core::domain::{BundleRole, Role};
    use tabane_core::service::bundles;
    let c = app.login("shinshu-staff").await;
    let demo = view(&c, demo_term(&c).await).await;
    let client = demo["term"]["client_org_id"].as_i64().unwrap();
    let contractor = demo["term"]["contractor_org_id"].as_i64().unwrap();
    let admin = tabane_core::Ctx { org_id: Some(client), role: Some(Role::Admin), ..tabane_core::Ctx::cli() };
    let b = bundles::create(
        &app.db,
        &admin,
        &bundles::BundleForm { name: "試験の業務委託".into(), scheme: "agreement".into(), ..Default::default() },
    )
    .await
    .unwrap();
    bundles::set_member(&app.db, &admin, b.id, contractor, BundleRole::Contractor).await.unwrap();
    let (s, v) = c
        .send_json(
            "post",
            "/api/council/terms",
            json!({"committee_bundle_id": demo["committee"]["bundle_id"], "contract_bundle_id": b.id, "fiscal_year": 2025,
                   "period_start": "2025-06-02", "period_end": "令和7年10月31日"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["term"]["id"].as_i64().unwrap();
    (c, id, v)
}

async fn put_date(u: &User, meeting: i64, date: &str) -> (StatusCode, Value) {
    u.send_json("put", &format!("/api/council/meetings/{meeting}"), json!({"date": date})).await
}

#[tokio::test]
async fn check1_due_dates_follow_the_meeting_date_and_the_move_is_audited() {
    let app = TestApp::spawn().await;
    let (c, _term, v) = fresh_term(&app).await;
    let contract = v["term"]["contract_bundle_id"].as_i64().unwrap();
    let m = meeting(&v, "第1回研究部会");
    assert_eq!(
        v["meetings"].as_array().unwrap().iter().find(|x| x["meeting"]["id"] == m).unwrap()["status"],
        "undecided"
    );
    let (s, r) = put_date(&c, m, "2025-07-31").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(doc(&r, "materials")["due"], "2025-07-24");
    assert_eq!(doc(&r, "minutes")["due"], "2025-08-07");
    assert_eq!(register(&c, contract).await, (json!("2025-07-24"), json!("2025-08-07")));
    let (s, r) = put_date(&c, m, "令和7年7月29日").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(register(&c, contract).await, (json!("2025-07-22"), json!("2025-08-05")));
    let moved = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("reschedule"))
        .filter(audit_entry::Column::Before.contains("2025-07-24"))
        .filter(audit_entry::Column::After.contains("2025-07-22"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(moved, 1, "the materials' move is audited with both dates");
}

/// The next due dates of the 研究部会's materials and minutes in the contract's register.
async fn register(c: &User, contract: i64) -> (Value, Value) {
    let (s, l) = c.get_json(&format!("/api/deliverables?bundle_id={contract}")).await;
    assert_eq!(s, StatusCode::OK, "{l}");
    let due =
        |t: &str| l.as_array().unwrap().iter().find(|d| d["deliverable"]["title"] == t).unwrap()["next_due"].clone();
    (due("研究部会 会議資料"), due("研究部会 議事録"))
}

#[tokio::test]
async fn check2_check3_holiday_rule_and_the_warning_after_the_contract_end() {
    let app = TestApp::spawn().await;
    let (c, term, v) = fresh_term(&app).await;
    let second = meeting(&v, "第2回研究部会");
    let (s, r) = put_date(&c, second, "2025-09-30").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(doc(&r, "materials")["due"], "2025-09-22", "9/23 is 秋分の日: brought forward");
    assert_eq!(doc(&r, "minutes")["due"], "2025-10-07");
    assert!(doc(&r, "minutes")["warning"].is_null());
    let tv = view(&c, term).await;
    assert!(tv["materials_rule_ja"].as_str().unwrap().contains("7日前（営業日でない場合は前営業日）"), "{tv}");
    let (s, r) = put_date(&c, second, "2025-10-28").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(doc(&r, "minutes")["due"], "2025-11-04");
    assert_eq!(
        doc(&r, "minutes")["warning"],
        "提出期限 令和7年11月4日 が業務実施期間の終了日 令和7年10月31日 より後です"
    );
    let page = c.get(&format!("/council/terms/{term}")).await.text().await.unwrap();
    assert!(page.contains("より後です"), "the term page shows the warning");
    // R7: the minutes' default is 翌営業日. 8/4 + 7 days is 8/11 (山の日): the minutes are due
    // 8/12, while the materials (R6, 前営業日) of a 研究部会 on 8/18 are due 8/8 (8/11 again).
    let first = meeting(&v, "第1回研究部会");
    let (s, r) = put_date(&c, first, "2025-08-04").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(doc(&r, "minutes")["due"], "2025-08-12", "{r}");
    let (s, r) = put_date(&c, first, "2025-08-18").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(doc(&r, "materials")["due"], "2025-08-08", "{r}");
    let tv = view(&c, term).await;
    assert!(tv["minutes_rule_ja"].as_str().unwrap().contains("7日以内（営業日でない場合は翌営業日）"), "{tv}");
}

#[tokio::test]
async fn check4_check5_bad_dates_and_the_contractor_write_nothing() {
    let app = TestApp::spawn().await;
    let (c, _term, v) = fresh_term(&app).await;
    let m = meeting(&v, "第1回研究部会");
    let (s, _) = put_date(&c, m, "2025-07-31").await;
    assert_eq!(s, StatusCode::OK);
    let (_, before) = c.get_json(&format!("/api/council/meetings/{m}")).await;
    let audits = audit_entry::Entity::find().count(&app.db).await.unwrap();
    let (s, e) = put_date(&c, m, "令和7年13月1日").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("開催日") && msg.contains("日付「令和7年13月1日」は存在しません"), "{msg}");
    let (_, after) = c.get_json(&format!("/api/council/meetings/{m}")).await;
    assert_eq!(before, after, "meeting and due dates unchanged (same updated_at)");
    assert_eq!(audit_entry::Entity::find().count(&app.db).await.unwrap(), audits, "no audit entry");
    // R5: the 担当者打合せ before its 研究部会.
    let w = meeting(&v, "第1回担当者打合せ");
    let (s, e) = put_date(&c, w, "2025-08-01").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("担当者打合せは研究部会（令和7年7月31日）より前の日付にしてください")
    );
    let (s, r) = put_date(&c, w, "2025-07-17").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(doc(&r, "materials")["due"], "2025-07-10");
    assert_eq!(doc(&r, "minutes")["status"], "withdrawn", "no minutes are owed for an 打合せ");
    // Check 5: the contractor may not set dates.
    let k = app.login("consult-staff").await;
    let (s, e) = put_date(&k, m, "2025-07-30").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert!(e["message"].as_str().unwrap().ends_with("会議の日程は委託者（長野県）が設定します"), "{e}");
}

#[tokio::test]
async fn check6_each_prefecture_answers_for_itself_and_the_contractor_only_reads() {
    let app = TestApp::spawn().await;
    let c = app.login("shinshu-staff").await;
    let v = view(&c, demo_term(&c).await).await;
    let survey = v["term"]["survey_id"].as_i64().unwrap();
    let t = app.login("tokyo-staff").await;
    let (s, sv) = t.get_json(&format!("/api/surveys/{survey}")).await;
    assert_eq!(s, StatusCode::OK, "{sv}");
    let rid = |label: &str| {
        sv["recipients"].as_array().unwrap().iter().find(|r| r["label"] == label).unwrap()["id"].as_i64().unwrap()
    };
    assert_eq!(sv["recipients"].as_array().unwrap().len(), 10, "R11 (a): ten recipients");
    let answer = json!({"answers": {"support": "yes", "issues": "移動費"}});
    let (s, e) =
        t.send_json("put", &format!("/api/surveys/{survey}/responses/{}", rid("茨城県")), answer.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("この回答は茨城県の担当者または実施団体（長野県）が入力します"),
        "R11: {e}"
    );
    let (s, e) =
        t.send_json("put", &format!("/api/surveys/{survey}/responses/{}", rid("東京都")), answer.clone()).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let k = app.login("consult-staff").await;
    let (s, e) = k.send_json("put", &format!("/api/surveys/{survey}/responses/{}", rid("千葉県")), answer).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, r) = k.get_json(&format!("/api/surveys/{survey}/results")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
}

#[tokio::test]
async fn check7_members_and_outsiders_do_not_see_the_contract_side() {
    let app = TestApp::spawn().await;
    let c = app.login("shinshu-staff").await;
    let term = demo_term(&c).await;
    let v = view(&c, term).await;
    let (_, hs) = c.get_json(&format!("/api/council/terms/{term}/hearings")).await;
    let hearing = hs["hearings"][0]["hearing"]["id"].as_i64().unwrap();
    let materials = doc(
        v["meetings"].as_array().unwrap().iter().find(|m| m["meeting"]["title"] == "第2回研究部会").unwrap(),
        "materials",
    )["deliverable_id"]
        .as_i64()
        .unwrap();
    let shizuoka = app.login("pref-staff").await;
    for path in [
        format!("/api/council/terms/{term}/liaison"),
        format!("/api/deliverables/{materials}"),
        format!("/api/council/hearings/{hearing}"),
        format!("/council/hearings/{hearing}"),
    ] {
        let r = shizuoka.get(&path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let body = r.text().await.unwrap();
        assert!(!body.contains("実践者A") && !body.contains("定例打合せ"), "{path}: {body}");
    }
    // A member sees the committee: dates and members, not the contract's figures.
    let mv = view(&shizuoka, term).await;
    assert_eq!(mv["side"], "Member");
    assert_eq!(mv["members"].as_array().unwrap().len(), 10, "構成員 10都県");
    assert!(mv["hearings"].is_null() && mv["liaison"].is_null());
    assert!(mv["meetings"].as_array().unwrap().iter().all(|m| m["documents"].as_array().unwrap().is_empty()));
    let nagasaki = app.login("nagasaki-staff").await;
    assert_eq!(nagasaki.get(&format!("/council/terms/{term}")).await.status(), StatusCode::NOT_FOUND);
    let (s, _) = nagasaki.get_json(&format!("/api/council/terms/{term}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn check8_check9_hearing_progress_and_liaison_coverage() {
    let app = TestApp::spawn().await;
    let c = app.login("shinshu-staff").await;
    let term = demo_term(&c).await;
    for (label, on) in [("追加調査：群馬県A市", "2025-08-28"), ("追加調査：千葉県B町", "2025-09-02")]
    {
        let (s, v) = c
            .send_json(
                "post",
                &format!("/api/council/terms/{term}/hearings"),
                json!({"kind": "municipality", "label": label, "held_on": on, "mode": "online", "status": "held"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let v = view(&c, term).await;
    assert_eq!(v["hearings"]["text"], "7件／約10件（実地 5・オンライン 2）");
    assert_eq!(v["hearings"]["onsite_rate"], "71.4%");
    assert_eq!(v["hearings"]["all"], 9, "reading (b) is shown beside it");
    assert_eq!(v["liaison"]["text"], "19／22週（86.4%）");
    assert_eq!(v["liaison"]["empty"], json!(["2025-06-23", "2025-08-11", "2025-09-29"]));
    let page = c.get(&format!("/council/terms/{term}")).await.text().await.unwrap();
    assert!(page.contains("7件／約10件（実地 5・オンライン 2）") && page.contains("19／22週（86.4%）"));
}

#[tokio::test]
async fn check10_personal_data_is_sealed_audited_and_left_out_of_exports() {
    let app = TestApp::spawn().await;
    let c = app.login("shinshu-staff").await;
    let term = demo_term(&c).await;
    let (s, h) = c
        .send_json(
            "post",
            &format!("/api/council/terms/{term}/hearings"),
            json!({"kind": "practitioner", "label": "実践者H（群馬県⇔東京都）", "held_on": "R7.9.3", "mode": "onsite",
                   "status": "held", "consent": "no", "subject_name": "秘匿 花子", "subject_contact": "hanako@example.jp"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let id = h["hearing"]["id"].as_i64().unwrap();
    assert!(!h.to_string().contains("秘匿 花子"));
    let row = tabane_council::entities::hearing::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert!(row.subject_name_enc.as_deref().unwrap().starts_with("v1."));
    let leaked =
        audit_entry::Entity::find().filter(audit_entry::Column::After.contains("秘匿")).count(&app.db).await.unwrap();
    assert_eq!(leaked, 0, "the audit log holds no clear name");
    if !app.tdb.is_postgres() {
        let bytes = std::fs::read(app.tdb.url.trim_start_matches("sqlite://").split('?').next().unwrap());
        if let Ok(bytes) = bytes {
            let needle = "秘匿 花子".as_bytes();
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "no clear name in the database file");
        }
    }
    let reads = || audit_entry::Entity::find().filter(audit_entry::Column::PersonalRead.eq(true)).count(&app.db);
    let n = reads().await.unwrap();
    let (s, p) = c.send_json("post", &format!("/api/council/hearings/{id}/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["subject_name"], "秘匿 花子");
    assert_eq!(reads().await.unwrap(), n + 1, "showing it writes a personal-read entry");
    let csv = c.get(&format!("/council/terms/{term}/hearings?format=csv")).await.text().await.unwrap();
    assert!(csv.contains("実践者H（群馬県⇔東京都）") && !csv.contains("秘匿"), "{csv}");
    let csv = c.get(&format!("/council/terms/{term}/hearings?format=csv&personal=1")).await.text().await.unwrap();
    assert!(csv.contains("秘匿 花子"));
    assert_eq!(reads().await.unwrap(), n + 2, "the personal export is audited");
    // The consent gate: 掲載不可 keeps the case with the client.
    let (s, e) = c
        .send_json(
            "post",
            &format!("/api/council/terms/{term}/cases"),
            json!({"category": "practice", "title": "事例H", "visibility": "members", "source_hearing_id": id.to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap().contains("ヒアリング先の掲載同意がありません"), "{e}");
}

#[tokio::test]
async fn after_the_contract_the_contractor_writes_nothing_and_changes_wait_for_approval() {
    let app = TestApp::spawn().await;
    let c = app.login("shinshu-staff").await;
    let term = demo_term(&c).await;
    let k = app.login("consult-staff").await;
    let (s, e) = k
        .send_json(
            "post",
            &format!("/api/council/terms/{term}/liaison"),
            json!({"held_on": "2025-11-05", "topics": "報告"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("業務実施期間（令和7年10月31日まで）を過ぎているため、提出・変更はできません"),
        "{e}"
    );
    // Bad input names the field and writes nothing.
    let (s, e) = c.send_json("post", &format!("/api/council/terms/{term}/hearings"), json!({"kind": "実践者"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("表示名"), "{e}");
    // R13: a change is carried out only after approval.
    let (_, l) = c.get_json(&format!("/api/council/terms/{term}/liaison")).await;
    let change =
        l["entries"].as_array().unwrap().iter().find(|e| e["kind"] == "change_request").unwrap()["entry"]["id"]
            .as_i64()
            .unwrap();
    let step = |s: &str| json!({"step": s});
    let (s, e) = c.send_json("post", &format!("/api/council/liaison/{change}/step"), step("implement")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert!(e["message"].as_str().unwrap().contains("仕様変更は委託者の承認を得てから実施してください"), "{e}");
    let (s, e) = c.send_json("post", &format!("/api/council/liaison/{change}/step"), step("approve")).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, e) = c.send_json("post", &format!("/api/council/liaison/{change}/step"), step("implement")).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    // Exports of the liaison log and the cases.
    let r = c.get(&format!("/council/terms/{term}/liaison?format=xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = c.get(&format!("/council/terms/{term}/cases?format=cp932")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = encoding_rs::SHIFT_JIS.decode(&r.bytes().await.unwrap()).0.into_owned();
    assert!(csv.contains("週末農業と都内勤務の二拠点生活"), "{csv}");
    // Print views of the same lists: the committee and 年度 on top, dates in 和暦.
    let r = c.get(&format!("/council/terms/{term}/cases?print=1")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("事例集（近県モデル）") && page.contains("週末農業と都内勤務の二拠点生活"), "{page}");
    assert!(page.contains("令和7年度") && page.contains("印刷日"), "{page}");
    let page = c.get(&format!("/council/terms/{term}/liaison?print=1")).await.text().await.unwrap();
    assert!(page.contains("打合せ・協議記録") && page.contains("令和7年"), "{page}");
    let page = c.get(&format!("/council/terms/{term}/hearings?print=1")).await.text().await.unwrap();
    assert!(page.contains("ヒアリング・追加調査一覧"), "{page}");
    // A member prefecture prints no contract-side list.
    let t = app.login("tokyo-staff").await;
    assert_eq!(t.get(&format!("/council/terms/{term}/liaison?print=1")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(t.get(&format!("/council/terms/{term}/hearings?print=1")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_sees_the_approved_material_only_after_publication() {
    let app = TestApp::spawn().await;
    let (c, _term, v) = fresh_term(&app).await;
    let contract = v["term"]["contract_bundle_id"].as_i64().unwrap();
    let m = meeting(&v, "第1回研究部会");
    let (s, r) = put_date(&c, m, "2025-07-31").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let materials = doc(&r, "materials")["deliverable_id"].as_i64().unwrap();
    let period = doc(&r, "materials")["period"].clone();
    let k = app.login("consult-staff").await;
    // Check 4: a submission without a file is refused and no 版 is made.
    let (s, e) = k
        .send_json(
            "post",
            &format!("/api/deliverables/{materials}/submit"),
            json!({"note": "ファイルは後で送ります", "period": period}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("成果品は電子データ（ファイル）で提出してください"), "{e}");
    let (_, dv) = c.get_json(&format!("/api/deliverables/{materials}")).await;
    assert!(!dv.to_string().contains("ファイルは後で送ります"), "no 版 was made: {dv}");
    let up = k
        .post_file("/api/files", "会議資料ア.pdf", b"%PDF-1.4 draft".to_vec(), &[("bundle_id", &contract.to_string())])
        .await;
    assert_eq!(up.status(), StatusCode::CREATED);
    let file: Value = up.json().await.unwrap();
    let (s, sub) = k
        .send_json(
            "post",
            &format!("/api/deliverables/{materials}/submit"),
            json!({"file_id": file["id"], "note": "第1版", "period": period}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sub}");
    let t = app.login("tokyo-staff").await;
    let draft = t.get(&format!("/files/{}", file["id"])).await;
    assert_eq!(draft.status(), StatusCode::NOT_FOUND, "a draft stays in the contract bundle");
    let (s, e) = c.send_json("post", &format!("/api/council/meetings/{m}/publish"), json!({"role": "materials"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "not approved yet: {e}");
    let (s, d) = c
        .send_json(
            "post",
            &format!("/api/deliverables/submissions/{}/decide", sub["id"]),
            json!({"decision": "received"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, e) = k.send_json("post", &format!("/api/council/meetings/{m}/publish"), json!({"role": "materials"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the contractor does not publish: {e}");
    let (s, p) = c.send_json("post", &format!("/api/council/meetings/{m}/publish"), json!({"role": "materials"})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (s, mv) = t.get_json(&format!("/api/council/meetings/{m}")).await;
    assert_eq!(s, StatusCode::OK, "{mv}");
    assert!(mv["documents"].as_array().unwrap().is_empty(), "a member sees no register");
    let published = &mv["published"][0];
    assert_eq!(published["file_name"], "会議資料ア.pdf");
    let r = t.get(&format!("/files/{}", published["file_id"])).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 draft");
    let page = t.get(&format!("/council/meetings/{m}")).await.text().await.unwrap();
    assert!(page.contains("会議資料ア.pdf"));
}

/// 報告書 (4(3)) and 提言書案 (4(6)): versioned deliverables of the term, handed in as files,
/// due 7 days (前営業日) before the 研究部会 the client names; a member sees neither.
#[tokio::test]
async fn the_report_and_the_draft_proposal_are_versioned_deliverables_of_the_term() {
    let app = TestApp::spawn().await;
    let (c, term, v) = fresh_term(&app).await;
    let contract = v["term"]["contract_bundle_id"].as_i64().unwrap();
    let reports = v["reports"].as_array().unwrap();
    let titles: Vec<&str> = reports.iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["報告書（PowerPoint 10枚程度）", "提言書案"], "{v}");
    assert!(reports.iter().all(|r| r["due"].is_null() && r["versions"] == 0 && r["status"] == "pending"));
    let report = reports[0]["deliverable_id"].as_i64().unwrap();
    // The client names the 研究部会 (9月30日): due 9月22日, as 会議資料イ (R6: 9/23 is a holiday).
    let (s, d) = c
        .send_json(
            "put",
            &format!("/api/deliverables/{report}/anchor"),
            json!({"anchor_date": "令和7年9月30日", "anchor_label": "第2回研究部会"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["due_date"], "2025-09-22", "{d}");
    // The contractor hands in two 版; without a file nothing is made.
    let k = app.login("consult-staff").await;
    let (s, e) = k.send_json("post", &format!("/api/deliverables/{report}/submit"), json!({"note": "口頭で"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    for (n, name) in [(1, "報告書_第1版.pptx"), (2, "報告書_第2版.pptx")] {
        let up =
            k.post_file("/api/files", name, b"PK\x03\x04 pptx".to_vec(), &[("bundle_id", &contract.to_string())]).await;
        assert_eq!(up.status(), StatusCode::CREATED);
        let file: Value = up.json().await.unwrap();
        let (s, sub) = k
            .send_json(
                "post",
                &format!("/api/deliverables/{report}/submit"),
                json!({"file_id": file["id"], "note": format!("第{n}版")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sub}");
        if n == 1 {
            let (s, d) = c
                .send_json(
                    "post",
                    &format!("/api/deliverables/submissions/{}/decide", sub["id"]),
                    json!({"decision": "returned", "decision_note": "スライドの順序を見直してください"}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{d}");
        }
    }
    let (_, v) = c.get_json(&format!("/api/council/terms/{term}")).await;
    assert_eq!(v["reports"][0]["versions"], 2, "{v}");
    assert_eq!(v["reports"][0]["status_ja"], "提出済");
    let page = c.get(&format!("/council/terms/{term}")).await.text().await.unwrap();
    assert!(page.contains("報告書（PowerPoint 10枚程度）") && page.contains("令和7年9月22日"), "{page}");
    assert!(page.contains("令和7年度"), "the term's 年度 in 和暦");
    // 成果品一覧: the register as CSV and as a print view, with due date, status and 版.
    let csv = c.get(&format!("/deliverables?format=csv&bundle_id={contract}")).await.text().await.unwrap();
    let line = csv.lines().find(|l| l.contains("報告書（PowerPoint 10枚程度）")).unwrap_or_default();
    assert!(line.contains("2025-09-22") && line.contains("提出済") && line.contains(",2,"), "{csv}");
    let page = c.get(&format!("/deliverables?print=1&bundle_id={contract}")).await.text().await.unwrap();
    assert!(page.contains("成果品一覧") && page.contains("令和7年9月22日") && page.contains("提言書案"), "{page}");
    // A member prefecture sees neither (they are the contract's business until published).
    let t = app.login("tokyo-staff").await;
    let (_, mv) = t.get_json(&format!("/api/council/terms/{term}")).await;
    assert_eq!(mv["reports"], json!([]), "{mv}");
    assert_eq!(t.get(&format!("/api/deliverables/{report}")).await.status(), StatusCode::NOT_FOUND);
}

/// 会議の中止: only the client, with a reason; the meeting's documents are withdrawn (取消), so
/// nothing stays owed; a cancelled or held meeting cannot be cancelled (again).
#[tokio::test]
async fn the_client_cancels_a_meeting_and_its_documents_are_withdrawn() {
    let app = TestApp::spawn().await;
    let (c, _term, v) = fresh_term(&app).await;
    let m = meeting(&v, "第1回研究部会");
    let (s, _) = put_date(&c, m, "2025-07-31").await;
    assert_eq!(s, StatusCode::OK);
    let k = app.login("consult-staff").await;
    let (s, e) = k.send_json("post", &format!("/api/council/meetings/{m}/cancel"), json!({"reason": "台風"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = c.send_json("post", &format!("/api/council/meetings/{m}/cancel"), json!({"reason": " "})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("中止の理由"), "{e}");
    let (s, r) =
        c.send_json("post", &format!("/api/council/meetings/{m}/cancel"), json!({"reason": "台風の接近"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["meeting"]["status"], "cancelled", "{r}");
    for role in ["materials", "minutes"] {
        assert_eq!(doc(&r, role)["status"], "withdrawn", "{role}: {r}");
    }
    let (s, e) = c.send_json("post", &format!("/api/council/meetings/{m}/cancel"), json!({"reason": "再"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, e) = put_date(&c, m, "2025-08-04").await;
    assert!(s.is_client_error(), "a cancelled meeting's date is not set again: {s} {e}");
    let page = c.get(&format!("/council/meetings/{m}")).await.text().await.unwrap();
    assert!(page.contains("中止"), "{page}");
}

/// 提言 (spec §2.8): recorded by the client, moved on one stage at a time, adopted with its day
/// and meeting; the contractor and the members read, and write nothing.
#[tokio::test]
async fn a_proposal_goes_from_draft_to_adoption_one_stage_at_a_time() {
    let app = TestApp::spawn().await;
    let (c, term, _v) = fresh_term(&app).await;
    let url = format!("/api/council/terms/{term}/proposals");
    let (s, e) = c.send_json("post", &url, json!({"addressee": "prefecture", "title": " "})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["addressee", "title"], "{e}");
    let (_, none) = c.get_json(&url).await;
    assert_eq!(none, json!([]), "nothing written");
    let (s, p) = c.send_json("post", &url, json!({"addressee": "state", "title": "地方移住の税制に関する提言"})).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["stage"], "drafting");
    assert!(p["proposal"]["deliverable_id"].is_i64(), "drafted as the 4(6) 提言書案: {p}");
    let id = p["proposal"]["id"].as_i64().unwrap();
    let step = |stage: &str| json!({"stage": stage});
    let stage_url = format!("/api/council/proposals/{id}/stage");
    let (s, e) = c.send_json("post", &stage_url, step("adopted")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "no skipping: {e}");
    assert!(e["message"].as_str().unwrap().contains("「案作成中」の次の「研究部会で協議」"), "{e}");
    let k = app.login("consult-staff").await;
    let (s, _) = k.send_json("post", &stage_url, step("discussed")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for stage in ["discussed", "submitted"] {
        let (s, r) = c.send_json("post", &stage_url, step(stage)).await;
        assert_eq!(s, StatusCode::OK, "{r}");
    }
    let (s, e) = c.send_json("post", &stage_url, step("adopted")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("採択日"), "{e}");
    let (s, r) = c
        .send_json(
            "post",
            &stage_url,
            json!({"stage": "adopted", "adopted_on": "令和7年11月10日", "adopted_by": "関東地方知事会議"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["proposal"]["adopted_on"], "2025-11-10");
    assert!(r["next"].is_null());
    let (s, _) = c.send_json("post", &stage_url, step("adopted")).await;
    assert_eq!(s, StatusCode::CONFLICT, "adopted is the end");
    // A member reads it on the page, without the contract's draft link.
    let t = app.login("tokyo-staff").await;
    let page = t.get(&format!("/council/terms/{term}/proposals")).await.text().await.unwrap();
    assert!(page.contains("地方移住の税制に関する提言") && page.contains("採択（提言）"), "{page}");
    assert!(page.contains("令和7年11月10日") && !page.contains("/deliverables/"), "{page}");
}
