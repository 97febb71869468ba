//! 官民連携 (partnership module): the spec's acceptance checks (../shared/specs/partnership.md §8),
//! black-box through the JSON API and, for the public portal, signed out, on the demo (渋谷区's
//! platform, its window and departments, partners A and B).

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_core::entities::audit_entry;
use tabane_testkit::{TestApp, User};

async fn platform(u: &User) -> i64 {
    let (s, v) = u.get_json("/api/partnership/platforms").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v[0]["platform"]["id"].as_i64().expect("the demo platform")
}

async fn propose(w: &User, p: i64, title: &str, received_on: &str, proposer: Option<i64>) -> Value {
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/platforms/{p}/contacts"),
            json!({"received_on": received_on, "channel": "対面", "kind": "提案", "proposer_org_id": proposer, "proposer_label": "個人", "title": title, "body": format!("{title}の内容")}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

#[tokio::test]
async fn check1_intake_routing_and_the_overdue_list() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let c = propose(&w, p, "公園トイレの清掃協働", "2025-05-01", None).await;
    let id = c["contact"]["id"].as_i64().unwrap();
    let kodomo = app.org_id("子ども家庭部").await;
    let bousai = app.org_id("防災課").await;
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/contacts/{id}/route"),
            json!({"departments": [kodomo, bousai], "routed_on": "2025-05-02"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["turnaround"]["due_on"], "2025-06-25");
    assert_eq!(v["routes"].as_array().unwrap().len(), 2, "one record, two departments");
    let (s, v) = w.get_json(&format!("/api/partnership/platforms/{p}/contacts?overdue=1&as_of=2025-06-26")).await;
    assert_eq!(s, StatusCode::OK);
    let mine = v.as_array().unwrap().iter().find(|r| r["contact"]["id"] == id).expect("listed as overdue");
    assert_eq!(mine["turnaround"]["label_ja"], "回答目標日を1日超過");
    let (_, v) = w.get_json(&format!("/api/partnership/platforms/{p}/contacts?overdue=1&as_of=2025-06-25")).await;
    assert!(!v.as_array().unwrap().iter().any(|r| r["contact"]["id"] == id), "not yet late on the day itself");
    // A routed department adds an opinion but does not answer; the window answers.
    let d = app.login("kodomo-staff").await;
    let (s, v) =
        d.send_json("post", &format!("/api/partnership/contacts/{id}/opinion"), json!({"opinion": "協力可能"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = d
        .send_json("post", &format!("/api/partnership/contacts/{id}/answer"), json!({"answer": "採択", "text": "x"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/contacts/{id}/answer"),
            json!({"answer": "不採択", "text": "検討しました"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "不採択 needs a reason: {v}");
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/contacts/{id}/answer"),
            json!({"answer": "採択", "text": "採択します", "answered_on": "2025-06-20"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["turnaround"]["label_ja"], "50日（1.6カ月）");
}

fn kpi<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap_or_else(|| panic!("{id} in {v}"))
}

#[tokio::test]
async fn check2_kpi_figures_of_the_r3_cohort() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let (s, v) = w.get_json(&format!("/api/partnership/platforms/{p}/kpis?fy=2025")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rate = kpi(&v, "ContractRate");
    assert_eq!(
        rate["figure"],
        json!({"value": 30.0, "numerator": 60, "denominator": 200, "target": 40, "met": false, "alt": 35.3}),
        "{rate}"
    );
    assert!(rate["formula_ja"].as_str().unwrap().contains("成約"), "the formula in Japanese: {rate}");
    let months = kpi(&v, "MonthsToLaunch");
    assert_eq!(months["display_ja"], "2.5カ月（76日）");
    assert_eq!(months["figure"]["met"], true);
    // The dashboard page shows each formula.
    let page = w.get(&format!("/partnership/platforms/{p}/kpis?fy=2025")).await.text().await.unwrap();
    assert!(page.contains(rate["formula_ja"].as_str().unwrap()) && page.contains("30.0%"));
    // Partners do not read the municipality's dashboard.
    let a = app.login("partner-a").await;
    let (s, _) = a.get_json(&format!("/api/partnership/platforms/{p}/kpis?fy=2025")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn new_project(w: &User, p: i64, partner: Option<i64>) -> i64 {
    let (s, v) = w
        .send_json("post", &format!("/api/partnership/platforms/{p}/projects"), json!({"kind": "個別連携", "title": "試験の連携事業", "partner_org_id": partner, "investment_yen": 1000000}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

#[tokio::test]
async fn check3_no_signing_without_a_kpi() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let id = new_project(&w, p, None).await;
    let audits = || {
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Entity.eq("pp_project"))
            .filter(audit_entry::Column::Action.eq("sign"))
            .count(&app.db)
    };
    let before = audits().await.unwrap();
    let (s, v) = w.send_json("post", &format!("/api/partnership/projects/{id}/sign"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "KPIが設定されていないため締結できません（KPIの設定は計画段階で必須です）");
    let (_, v) = w.get_json(&format!("/api/partnership/projects/{id}")).await;
    assert_eq!(v["stage"], "planning");
    assert_eq!(audits().await.unwrap(), before, "no audit entry");
}

#[tokio::test]
async fn check4_change_management_after_signing() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let a_org = app.org_id("株式会社 まちづくりラボ（デモ）").await;
    let id = new_project(&w, p, Some(a_org)).await;
    let (s, k) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{id}/kpis"),
            json!({"name": "参加者数", "unit": "人", "target": "100"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    let kid = k["id"].as_i64().unwrap();
    let (s, _) =
        w.send_json("post", &format!("/api/partnership/projects/{id}/sign"), json!({"signed_on": "2025-07-01"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = w.send_json("put", &format!("/api/partnership/kpis/{kid}"), json!({"target": "80"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "締結後の変更は変更管理（変更申請・承認）を通してください");
    let partner = app.login("partner-a").await;
    let (s, c) = partner
        .send_json(
            "post",
            &format!("/api/partnership/projects/{id}/changes"),
            json!({"kpi_id": kid, "target": "80", "reason": "参加見込みの見直し"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (s, v) = w.send_json("post", &format!("/api/partnership/changes/{}/approve", c["id"]), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = w.get_json(&format!("/api/partnership/projects/{id}")).await;
    assert_eq!(v["kpis"][0]["kpi"]["target"], "80");
    let ledger = &v["changes"][0];
    assert_eq!((ledger["before"].as_str(), ledger["after"].as_str()), (Some("100"), Some("80")), "{ledger}");
    assert_eq!(ledger["decided_by"], "koumin-window");
    // The actual is entered at any time.
    let (s, _) = partner.send_json("put", &format!("/api/partnership/kpis/{kid}"), json!({"actual": "85"})).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn check5_bad_input_writes_nothing() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let id = new_project(&w, p, None).await;
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{id}/kpis"),
            json!({"name": "参加者数", "target": "abc"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("目標値：数値を入力してください"), "{v}");
    let (_, v) = w.get_json(&format!("/api/partnership/projects/{id}")).await;
    assert_eq!(v["kpis"], json!([]));
    let (_, before) = w.get_json(&format!("/api/partnership/platforms/{p}/resources")).await;
    let csv = "名称,種類,公開区分\r\n集会室,施設,公開\r\n会議室,施設,登録団体限定\r\n倉庫,空間,社外秘\r\n";
    let r = w
        .client
        .post(w.url(&format!("/api/partnership/platforms/{p}/resources/import?filename=r.csv")))
        .header("x-csrf-token", &w.csrf)
        .body(csv.as_bytes().to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    let lines: Vec<String> = v["report"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!("{}行目「{}」: {}", e["row"], e["column"].as_str().unwrap(), e["message_ja"].as_str().unwrap())
        })
        .collect();
    assert_eq!(lines, vec!["4行目「公開区分」: 「社外秘」は選択肢にありません（公開／登録団体限定／非公開）"]);
    let (_, after) = w.get_json(&format!("/api/partnership/platforms/{p}/resources")).await;
    assert_eq!(before.as_array().unwrap().len(), after.as_array().unwrap().len(), "no resource written");
    // A risk row whose shares do not add up.
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{id}/risks"),
            json!({"item": "需要変動", "bearer": "分担", "municipality_pct": 60, "operator_pct": 30}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("負担割合の合計が100%になりません（現在90%）"), "{v}");
    let (s, _) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{id}/risks"),
            json!({"item": "需要変動", "bearer": "分担", "municipality_pct": 60, "operator_pct": 40}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn check6_isolation_of_proposals_resources_and_agreements() {
    let app = TestApp::spawn().await;
    let a = app.login("partner-a").await;
    let p = platform(&a).await;
    let (s, mine) = a
        .send_json(
            "post",
            &format!("/api/partnership/platforms/{p}/contacts"),
            json!({"title": "A社のノウハウ提案", "body": "A社の秘密の手法"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{mine}");
    let b = app.login("partner-b").await;
    let (s, _) = b.get_json(&format!("/api/partnership/contacts/{}", mine["contact"]["id"])).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = b.get_json(&format!("/api/partnership/platforms/{p}/contacts")).await;
    assert!(!list.to_string().contains("A社の秘密の手法"));
    // Resources by 公開区分.
    let w = app.login("koumin-window").await;
    let (_, all) = w.get_json(&format!("/api/partnership/platforms/{p}/resources")).await;
    let id_of = |vis: &str| {
        all.as_array().unwrap().iter().find(|r| r["resource"]["visibility"] == vis).unwrap()["resource"]["id"]
            .as_i64()
            .unwrap()
    };
    let (members, private) = (id_of("members"), id_of("private"));
    let (s, _) = b.get_json(&format!("/api/partnership/resources/{members}")).await;
    assert_eq!(s, StatusCode::OK, "a member reads 登録団体限定");
    let (s, _) = b.get_json(&format!("/api/partnership/resources/{private}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "非公開 is the 事務局's");
    let outsider = app.login("kawazu-admin").await;
    let (s, _) = outsider.get_json(&format!("/api/partnership/resources/{members}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let r = app.anon().get(app.url(&format!("/api/partnership/resources/{members}"))).send().await.unwrap();
    assert!(matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED), "{}", r.status());
    // An agreement's KPIs are its partner's only.
    let (_, projects) = w.get_json(&format!("/api/partnership/platforms/{p}/projects")).await;
    let b_org = app.org_id("株式会社 こそだてテック（デモ）").await;
    let of_b =
        projects.as_array().unwrap().iter().find(|x| x["partner_org_id"] == b_org).unwrap()["id"].as_i64().unwrap();
    let (s, _) = a.get_json(&format!("/api/partnership/projects/{of_b}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = b.get_json(&format!("/api/partnership/projects/{of_b}")).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn check7_the_public_portal_and_open_data() {
    let app = TestApp::spawn().await;
    let anon = app.anon();
    let r = anon.get(app.url("/partnership/public/issues")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("保育施設の空き情報が保護者に届きにくい"));
    assert!(!page.contains("庁内の紙申請の削減"), "no marker of a 非公開 issue");
    let r = anon.get(app.url("/partnership/public/resources.csv")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    assert!(csv.contains("区民会館の多目的室"));
    assert!(!csv.contains("保育士OB") && !csv.contains("防災備蓄倉庫"), "公開 only: {csv}");
    // The intake form: CSRF-protected, escaped, and answered with a 受付番号.
    let r = anon.get(app.url("/partnership/public/propose")).send().await.unwrap();
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let html = r.text().await.unwrap();
    let token = html.split("name=\"_csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = anon
        .post(app.url("/partnership/public/propose"))
        .form(&[
            ("proposer_label", "住民グループ"),
            ("title", "<script>alert(1)</script>見守り"),
            ("body", "夜間の見守り"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token");
    let r = anon
        .post(app.url("/partnership/public/propose"))
        .header("cookie", &cookie)
        .form(&[
            ("_csrf", token.as_str()),
            ("proposer_label", "住民グループ"),
            ("title", "<script>alert(1)</script>見守り"),
            ("body", "夜間の見守り"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("受付番号"), "{html}");
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let page = w.get(&format!("/partnership/platforms/{p}")).await.text().await.unwrap();
    assert!(page.contains("alert(1)") && !page.contains("<script>alert"), "listed, escaped");
    let r = anon
        .post(app.url("/partnership/public/propose"))
        .header("cookie", &cookie)
        .form(&[("_csrf", token.as_str()), ("proposer_label", ""), ("title", ""), ("body", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「件名」を入力してください"));
}

#[tokio::test]
async fn check8_freshness_of_a_resource() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let (_, all) = w.get_json(&format!("/api/partnership/platforms/{p}/resources")).await;
    let id = all.as_array().unwrap().iter().find(|r| r["resource"]["last_confirmed_on"] == "2025-04-10").unwrap()["resource"]["id"].as_i64().unwrap();
    let (_, v) = w.get_json(&format!("/api/partnership/resources/{id}?as_of=2026-04-09")).await;
    assert_eq!(v["state_ja"], "有効");
    let (_, v) = w.get_json(&format!("/api/partnership/resources/{id}?as_of=2026-04-10")).await;
    assert_eq!(v["state_ja"], "要確認");
    assert_eq!(v["stale_from"], "2026-04-10");
}

#[tokio::test]
async fn check9_sroi_against_both_targets() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let id = new_project(&w, p, None).await;
    let (s, v) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{id}/evaluations"),
            json!({"fiscal_year": 2025, "value_yen": 40_000_000, "investment_yen": 15_000_000, "method": "代替費用法"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["sroi_ja"], "2.67倍：支援策①目標（3倍）未達／支援策③目標（2.5倍）達成");
    let (s, _) = w
        .send_json("post", &format!("/api/partnership/evaluations/{}/publish", v["evaluation"]["id"]), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = w
        .send_json("post", &format!("/api/partnership/evaluations/{}/publish", v["evaluation"]["id"]), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a published evaluation is read-only");
}

#[tokio::test]
async fn check10_similar_receptions_are_listed() {
    let app = TestApp::spawn().await;
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let v = propose(&w, p, "保育施設マッチングシステムの導入", "2026-05-01", None).await;
    let similar: Vec<&str> = v["similar"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert!(similar.contains(&"保育施設のマッチングシステム導入提案"), "{similar:?}");
}

#[tokio::test]
async fn a_partner_registers_itself_and_acts_once_the_window_approves() {
    let app = TestApp::spawn().await;
    let anon = app.anon();
    let r = anon.get(app.url("/partnership/public/register")).send().await.unwrap();
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let html = r.text().await.unwrap();
    let token = html.split("name=\"_csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("_csrf", token.clone())];
        all.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        anon.post(app.url("/partnership/public/register")).header("cookie", &cookie).form(&all).send()
    };
    // A 法人番号 whose check digit is wrong, a short password: 422, nothing written.
    let r = post(vec![
        ("org_name", "株式会社 新規連携（デモ）"),
        ("kind", "company"),
        ("corporate_no", "8000012050002"),
        ("contact_name", "新規 太郎"),
        ("email", "new@example.jp"),
        ("login", "new-partner"),
        ("password", "short"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(text.contains("「法人番号」") && text.contains("「パスワード」"), "{text}");
    let r = post(vec![
        ("org_name", "株式会社 新規連携（デモ）"),
        ("kind", "company"),
        ("corporate_no", "7000012050002"),
        ("contact_name", "新規 太郎"),
        ("email", "new@example.jp"),
        ("login", "new-partner"),
        ("password", "a-long-password-2026"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Nothing exists until the window approves.
    let r = anon
        .post(app.url("/api/session"))
        .json(&json!({"login": "new-partner", "password": "a-long-password-2026"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "no user before approval: {}", r.status());
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let (s, pending) = w.get_json(&format!("/api/partnership/platforms/{p}/registrations")).await;
    assert_eq!(s, StatusCode::OK, "{pending}");
    assert!(
        !pending.to_string().contains("新規 太郎") && !pending.to_string().contains("new@example.jp"),
        "contact sealed"
    );
    let id = pending[0]["id"].as_i64().unwrap();
    let partner = app.login("partner-a").await;
    let (s, _) = partner.send_json("post", &format!("/api/partnership/registrations/{id}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the window decides");
    let (s, v) = w.send_json("post", &format!("/api/partnership/registrations/{id}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let n = app.login_with("new-partner", "a-long-password-2026").await;
    let (s, v) = n.get_json("/api/partnership/platforms").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0]["side"], "Partner", "a member of the platform with the password it chose: {v}");
    let (s, _) = w.send_json("post", &format!("/api/partnership/registrations/{id}/approve"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "decided once");
}

#[tokio::test]
async fn the_public_proposal_form_is_rate_limited_per_address() {
    let app = TestApp::spawn().await;
    let anon = app.anon();
    let r = anon.get(app.url("/partnership/public/propose")).send().await.unwrap();
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let html = r.text().await.unwrap();
    let token = html.split("name=\"_csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let post = || {
        anon.post(app.url("/partnership/public/propose"))
            .header("cookie", &cookie)
            .form(&[("_csrf", token.as_str()), ("proposer_label", "住民"), ("title", "連投"), ("body", "同じ内容")])
            .send()
    };
    for n in 0..10 {
        assert_eq!(post().await.unwrap().status(), StatusCode::OK, "post {n} within the limit");
    }
    let r = post().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains("試行回数が多すぎます"));
    let w = app.login("koumin-window").await;
    let p = platform(&w).await;
    let (_, list) = w.get_json(&format!("/api/partnership/platforms/{p}/contacts")).await;
    assert_eq!(
        list.as_array().unwrap().iter().filter(|c| c["contact"]["title"] == "連投").count(),
        10,
        "the refused one wrote nothing"
    );
}

#[tokio::test]
async fn a_meeting_of_the_platform_gets_the_kpi_item_on_its_agenda() {
    use tabane_core::domain::Role;
    let app = TestApp::spawn().await;
    let ward = app.org_id("渋谷区").await;
    let admin = tabane_core::Ctx { org_id: Some(ward), role: Some(Role::Admin), ..tabane_core::Ctx::cli() };
    tabane_core::service::accounts::create_user(
        &app.db,
        &admin,
        &tabane_core::service::accounts::NewUser {
            login: "ward-admin".into(),
            display_name: "区 管理者".into(),
            password: "ward-password-2026".into(),
            system_admin: false,
            role: "admin".into(),
        },
    )
    .await
    .unwrap();
    let u = app.login_with("ward-admin", "ward-password-2026").await;
    let p = platform(&u).await;
    let (_, ps) = u.get_json("/api/partnership/platforms").await;
    let bundle = ps[0]["platform"]["bundle_id"].as_i64().unwrap();
    let (s, series) = u
        .send_json(
            "post",
            "/api/meetings/series",
            json!({"title": "官民連携推進会議", "bundle_id": bundle.to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{series}");
    let (s, m) = u
        .send_json("post", &format!("/api/meetings/series/{}/meetings", series["id"]), json!({"date": "2025-12-15"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let agenda = m["agenda"].to_string();
    assert!(
        agenda.contains("連携事業のKPI（令和7年度）") && agenda.contains("官民連携提案の成約率：30.0%"),
        "{agenda}"
    );
    let _ = p;
}
