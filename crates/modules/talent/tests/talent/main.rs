//! デジタル人材 (talent module): the spec's acceptance checks (../shared/specs/talent.md §8),
//! black-box through the JSON API on the demo (静岡県's pool, 下田市 and 河津町 among its members,
//! the cooperating company). The rules' worked examples are unit tests in `tabane-talent-rules`;
//! here they are reached through the API, the database and the audit log.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_core::entities::audit_entry;
use tabane_testkit::{TestApp, User};

mod recruitment;

async fn pool(u: &User) -> i64 {
    let (s, v) = u.get_json("/api/talent/pools").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v[0]["pool"]["id"].as_i64().expect("the demo pool")
}

async fn person(u: &User, pool: i64, label_prefix: &str) -> i64 {
    let (s, v) = u.get_json(&format!("/api/talent/pools/{pool}/persons")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["label"].as_str().unwrap().starts_with(label_prefix))
        .unwrap_or_else(|| panic!("{label_prefix} in {v}"))["person"]["id"]
        .as_i64()
        .unwrap()
}

async fn sheet(u: &User, pool: i64, org: &str, measure: &str, fy: i64) -> Value {
    let (s, v) = u.get_json(&format!("/api/talent/pools/{pool}/grants")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array()
        .unwrap()
        .iter()
        .find(|x| x["organisation"] == org && x["sheet"]["measure"] == measure && x["sheet"]["fiscal_year"] == fy)
        .unwrap_or_else(|| panic!("{org} {measure} {fy} in {v}"))
        .clone()
}

#[tokio::test]
async fn check1_accelerator_eligibility_and_the_recommendation_gate() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let check = |label: &'static str| {
        let p = &p;
        async move {
            let id = person(p, pool, label).await;
            let (s, v) = p.send_json("post", &format!("/api/talent/persons/{id}/accelerator-check"), json!({})).await;
            assert_eq!(s, StatusCode::OK, "{v}");
            (id, v)
        }
    };
    let (_, e1) = check("E1").await;
    assert_eq!(e1["result"], "充足");
    assert_eq!(e1["basis"], json!(["①ア 60か月", "②"]), "overlapping jobs counted once: {e1}");
    let (_, e2) = check("E2").await;
    assert_eq!(e2["result"], "充足", "{e2}");
    let (e3_id, e3) = check("E3").await;
    assert_eq!(e3["result"], "要判断");
    assert_eq!(e3["message"], "①はウ（ア又はイと同視し得る知見）の判断が必要です");
    let (_, e4) = check("E4").await;
    assert_eq!(e4["result"], "不充足");
    assert_eq!(e4["message"], "②デジタルに関連する市町村支援業務を主たる業務としていません");
    let (_, e5) = check("E5").await;
    assert_eq!(e5["result"], "充足", "2020-04…2025-03 is 60 months: {e5}");
    let (s, v) = p.send_json("post", &format!("/api/talent/persons/{e3_id}/recommend"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "要件を満たしていないため推薦できません");
    // ウ is a recorded judgement: once recorded, E3 is 充足 and may be recommended.
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/persons/{e3_id}/judgement"),
            json!({"holds": true, "judged_by": "県 デジタル戦略課長", "judged_on": "2025-10-15", "reason": "自治体システム標準化の実務を主導"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"], "充足");
    let (s, v) = p.send_json("post", &format!("/api/talent/persons/{e3_id}/recommend"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "推薦済");
    let checks = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("talent_person"))
        .filter(audit_entry::Column::Action.eq("accelerator_check"))
        .count(&app.db)
        .await
        .unwrap();
    assert!(checks >= 7, "every check is audited ({checks})");
    // A municipality neither checks nor recommends.
    let k = app.login("kawazu-admin").await;
    let (s, _) = k.send_json("post", &format!("/api/talent/persons/{e3_id}/accelerator-check"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn check2_grant_a1_and_its_period() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let a1 = sheet(&p, pool, "静岡県", "a", 2025).await;
    let id = a1["sheet"]["id"].as_i64().unwrap();
    let (s, v) = p.get_json(&format!("/api/talent/grants/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"]["eligible_total"], 32_000_000);
    assert_eq!(v["result"]["covered_amount"], 22_400_000);
    let lines = v["result"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|l| !l["reason_ja"].as_str().unwrap().is_empty()), "each line has its reason");
    assert_eq!(lines[1]["eligible"], 20_000_000, "the 2,000万円 cap is on the 対象経費");
    assert!(v["ordinary_estimate"]["label_ja"].as_str().unwrap().contains("目安") || v["ordinary_estimate"].is_null());
    // The same sheet moved to 令和12年度.
    let (s, v) = p.send_json("put", &format!("/api/talent/grants/{id}"), json!({"fiscal_year": 2030})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"]["covered_amount"], 0);
    assert!(v.to_string().contains("令和12年度は対象期間（令和11年度まで）外です"), "{v}");
    // 令和8年度 in the demo: measure A still runs.
    let r8 = sheet(&p, pool, "静岡県", "a", 2026).await;
    assert_eq!(r8["result"]["covered_amount"], 22_400_000);
    // 確定 is audited and freezes the sheet.
    let (s, _) = p.send_json("post", &format!("/api/talent/grants/{}/fix", r8["sheet"]["id"]), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/grants/{}/lines", r8["sheet"]["id"]),
            json!({"label": "追加", "kind": "recruitment", "amount": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

#[tokio::test]
async fn check3_the_cap_is_on_the_eligible_cost_and_a_contract_needs_one_amount_a_person() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let (s, v) = p
        .send_json("post", &format!("/api/talent/pools/{pool}/grants"), json!({"measure": "a", "fiscal_year": 2027}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["sheet"]["id"].as_i64().unwrap();
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/grants/{id}/lines"),
            json!({"label": "委託（1名）", "kind": "contract_staff", "amount": 24_000_000}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"]["covered_amount"], 14_000_000, "0.7 × min(24,000,000, 20,000,000), never 16,800,000");
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/grants/{id}/lines"),
            json!({"label": "委託（3名）", "kind": "contract_staff", "amount": 55_000_000, "persons_covered": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["message"].as_str().unwrap().contains("委託の人件費相当額は1人ごとに入力してください"), "{v}");
    let (_, v) = p.get_json(&format!("/api/talent/grants/{id}")).await;
    assert_eq!(v["lines"].as_array().unwrap().len(), 1, "nothing written");
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/grants/{id}/lines"),
            json!({"label": "委託（3名）", "kind": "contract_staff", "per_person": [15_000_000, 22_000_000, 18_000_000]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["result"]["covered_amount"], 14_000_000 + 37_100_000);
    // A line of another measure, or a bad kind, is refused naming it.
    let (s, v) = p
        .send_json("post", &format!("/api/talent/grants/{id}/lines"), json!({"label": "x", "kind": "fee", "amount": 1}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("経費区分"), "{v}");
}

async fn advisor_count(u: &User, pool: i64) -> usize {
    let (_, v) = u.get_json(&format!("/api/talent/pools/{pool}/advisor-visits")).await;
    v[0]["visits"].as_array().map(|a| a.len()).unwrap_or(0)
}

#[tokio::test]
async fn check4_advisor_quotas() {
    let app = TestApp::spawn().await;
    let k = app.login("kawazu-admin").await;
    let pool = pool(&k).await;
    assert_eq!(advisor_count(&k, pool).await, 8, "the demo's five DX and three on-site sessions of 令和7年度");
    let (_, v) = k.get_json(&format!("/api/talent/pools/{pool}/advisor-visits")).await;
    assert!(v.to_string().contains("DX 5/5（原則）・地域情報化 現地 3/3"), "{v}");
    let path = format!("/api/talent/pools/{pool}/advisor-visits");
    let (s, v) =
        k.send_json("post", &path, json!({"program": "dx_advice", "visited_on": "2025-11-10", "hours": 2})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["needs_exception_reason"], true);
    assert!(
        v["warnings"].to_string().contains("DXアドバイザーの派遣は年度内原則5回以内です（令和7年度は5回利用済み）"),
        "{v}"
    );
    assert_eq!(advisor_count(&k, pool).await, 8, "nothing written without a reason");
    let (s, v) = k
        .send_json("post", &path, json!({"program": "dx_advice", "visited_on": "2025-11-10", "hours": 2, "exception_reason": "標準化移行の期限対応"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["visit"]["id"].is_i64());
    let (s, v) = k
        .send_json(
            "post",
            &path,
            json!({"program": "regional", "visited_on": "2025-12-10", "mode": "実地", "hours": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "地域情報化アドバイザーの現地派遣は年間3回までです");
    assert_eq!(advisor_count(&k, pool).await, 9);
    // Online only (下田市, entered by the prefecture): 3h + 4h + 2.5h, then 1h too many, 0.5h fits.
    let p = app.login("pref-staff").await;
    let shimoda = app.org_id("下田市").await;
    for h in [3.0, 4.0, 2.5] {
        let (s, v) = p.send_json("post", &path, json!({"org_id": shimoda, "program": "regional", "visited_on": "2025-10-01", "mode": "オンライン", "hours": h})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = p
        .send_json(
            "post",
            &path,
            json!({"org_id": shimoda, "program": "regional", "visited_on": "2025-10-02", "mode": "online", "hours": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "オンラインのみの場合は年間合計10時間までです（残り0.5時間）");
    let (s, v) = p.send_json("post", &path, json!({"org_id": shimoda, "program": "regional", "visited_on": "2025-10-02", "mode": "online", "hours": 0.5})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn check5_weekly_dispatch_skips_holidays_and_refuses_a_clash() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let shimoda = app.org_id("下田市").await;
    let (s, v) = p.get_json(&format!("/api/talent/pools/{pool}/dispatch-report?org={shimoda}&month=2025-09")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["planned_days"], 8, "{v}");
    let skipped = v["lines"][0][1]["skipped"].to_string();
    assert!(skipped.contains("9/15 敬老の日") && skipped.contains("9/23 秋分の日"), "{skipped}");
    assert_eq!(v["confirmed_days"], 6);
    let (_, oct) = p.get_json(&format!("/api/talent/pools/{pool}/dispatch-report?org={shimoda}&month=2025-10")).await;
    assert_eq!(oct["planned_days"], 7, "10/13 スポーツの日 skipped");
    let t = person(&p, pool, "人材T").await;
    let minamiizu = app.org_id("南伊豆町").await;
    let new = |day: &str| json!({"person_id": t, "municipality_org_id": minamiizu, "weekdays": day, "date_from": "2025-10-01", "date_to": "2026-03-31"});
    let path = format!("/api/talent/pools/{pool}/assignments");
    let (s, v) = p.send_json("post", &path, new("火")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "火曜日は既に下田市への派遣が予定されています（2025-09-01〜2026-03-31）");
    let (s, v) = p.send_json("post", &path, new("水")).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["days_per_week"], 5);
    let (s, v) = p.send_json("post", &path, json!({"person_id": t, "municipality_org_id": minamiizu, "weekdays": "土", "date_from": "2025-10-01", "date_to": "2026-03-31"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["warnings"], json!(["土曜日は開庁日ではありません"]));
    // The municipality confirms a logged day; the prefecture cannot confirm for it.
    let a = v["assignment"]["id"].as_i64().unwrap();
    let (s, _) = p.send_json("post", &format!("/api/talent/assignments/{a}/confirm"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, visit) = p
        .send_json(
            "post",
            &format!("/api/talent/assignments/{a}/visits"),
            json!({"visited_on": "2025-10-04", "hours": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{visit}");
    let (s, _) = p.send_json("post", &format!("/api/talent/visits/{}/confirm", visit["id"]), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) =
        p.send_json("post", &format!("/api/talent/assignments/{a}/visits"), json!({"visited_on": "2026-05-01"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "outside the period: {v}");
}

fn cp932(text: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
}

#[tokio::test]
async fn check6_a_bad_import_writes_nothing_and_names_each_row() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let count = || async { p.get_json(&format!("/api/talent/pools/{pool}/persons")).await.1.as_array().unwrap().len() };
    let before = count().await;
    let csv = "氏名,人材類型,対応可能地域\r\n総務 花子,プロデューサー,●●地方\r\n総務 太郎,デザイナー,●●県\r\nデジタル 次郎,エンジニア・サービスデザイナー,●●県\r\n取込 四郎,プロジェクトマネージャ,\r\n";
    let r = p
        .client
        .post(p.url(&format!("/api/talent/pools/{pool}/import?filename=list.csv&encoding=cp932")))
        .header("x-csrf-token", &p.csrf)
        .body(cp932(csv))
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
    assert_eq!(
        lines,
        vec![
            "3行目「人材類型」: 「デザイナー」は選択肢にありません（プロデューサー／プロジェクトマネージャー／エンジニア・サービスデザイナー）",
            "5行目「対応可能地域」: 入力されていません",
        ],
        "{v}"
    );
    assert_eq!(count().await, before, "nothing written");
    // The good file goes in; the same file again matches by name and e-mail instead of duplicating.
    let good = "氏名,メールアドレス,人材類型,対応可能地域\r\n取込 花子,hanako2@example.jp,プロデューサー,中部地方\r\n取込 太郎,taro2@example.jp,プロジェクトマネージャ,静岡県\r\n";
    for expect in [json!({"rows": 2, "inserted": 2, "matched": 0}), json!({"rows": 2, "inserted": 0, "matched": 2})] {
        let r = p
            .client
            .post(p.url(&format!("/api/talent/pools/{pool}/import?filename=list.csv&encoding=cp932")))
            .header("x-csrf-token", &p.csrf)
            .body(cp932(good))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap(), expect);
    }
    assert_eq!(count().await, before + 2);
}

#[tokio::test]
async fn check7_isolation_between_municipalities_prefectures_and_companies() {
    let app = TestApp::spawn().await;
    let s = app.login("shimoda-staff").await;
    let pool = pool(&s).await;
    let (st, need) = s
        .send_json(
            "post",
            &format!("/api/talent/pools/{pool}/needs"),
            json!({"theme": "庁内DX", "field": "データ利活用", "days_per_week": 1, "period_from": "2026-04-01", "period_to": "2027-03-31", "description": "下田市の内部事情"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{need}");
    let (st, grant) = s
        .send_json("post", &format!("/api/talent/pools/{pool}/grants"), json!({"measure": "a", "fiscal_year": 2025}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{grant}");
    let (st, status) = s
        .send_json(
            "post",
            &format!("/api/talent/pools/{pool}/statuses"),
            json!({"as_of": "2025-07-01", "population": 19000, "dx_heads": 1, "notes": "下田市の内部事情"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{status}");
    let k = app.login("kawazu-admin").await;
    for path in [
        format!("/api/talent/needs/{}", need["need"]["id"]),
        format!("/api/talent/grants/{}", grant["sheet"]["id"]),
        format!("/api/talent/statuses/{}", status["record"]["id"]),
    ] {
        let (st, v) = k.get_json(&path).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{path}: {v}");
    }
    let (_, list) = k.get_json(&format!("/api/talent/pools/{pool}/needs")).await;
    assert!(!list.to_string().contains("下田市の内部事情"), "河津町 lists only its own needs");
    // The prefecture (lead) reads them.
    let p = app.login("pref-staff").await;
    let (st, _) = p.get_json(&format!("/api/talent/needs/{}", need["need"]["id"])).await;
    assert_eq!(st, StatusCode::OK);
    // Another prefecture does not see the pool at all.
    let n = app.login("nagasaki-staff").await;
    let (st, _) = n.get_json(&format!("/api/talent/pools/{pool}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, v) = n.get_json("/api/talent/pools").await;
    assert_eq!(v, json!([]));
    // The company sees the person it employs only.
    let c = app.login("dx-partner-staff").await;
    let (st, v) = c.get_json(&format!("/api/talent/pools/{pool}/persons")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let labels: Vec<&str> = v.as_array().unwrap().iter().map(|p| p["person"]["label"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["人材J（エンジニア）"]);
    let t = person(&p, pool, "人材T").await;
    let (st, _) = c.get_json(&format!("/api/talent/persons/{t}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn check8_the_one_person_it_list() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    for (name, pop, heads, fte) in [
        ("伊東市", 48_000, 1, 1.0),
        ("東伊豆町", 50_000, 0, 0.0),
        ("松崎町", 50_001, 1, 1.0),
        ("西伊豆町", 12_000, 2, 1.0),
    ] {
        let org = app.org_id(name).await;
        let (s, v) = p
            .send_json(
                "post",
                &format!("/api/talent/pools/{pool}/statuses"),
                json!({"org_id": org, "as_of": "2027-06-01", "population": pop, "dx_heads": heads, "dx_fte": fte}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = p.get_json(&format!("/api/talent/pools/{pool}/one-person-it?fy=2027")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let got: Vec<(String, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["municipality"].as_str().unwrap().to_string(), r["fte_reading_only"].as_bool().unwrap()))
        .collect();
    let mut want = vec![("伊東市".to_string(), false), ("東伊豆町".to_string(), false), ("西伊豆町".to_string(), true)];
    want.sort();
    let mut got = got;
    got.sort();
    assert_eq!(got, want);
    let k = app.login("kawazu-admin").await;
    let (s, _) = k.get_json(&format!("/api/talent/pools/{pool}/one-person-it?fy=2027")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the prefecture's list");
}

#[tokio::test]
async fn check9_the_framework_checklist() {
    use tabane_core::domain::{BundleRole, OrgKind, Role};
    use tabane_core::service::bundles;
    let app = TestApp::spawn().await;
    let pref = app.org_id("静岡県").await;
    let admin = tabane_core::Ctx {
        org_id: Some(pref),
        role: Some(Role::Admin),
        system_admin: false,
        ..tabane_core::Ctx::cli()
    };
    let b = bundles::create(
        &app.db,
        &admin,
        &bundles::BundleForm { name: "試験の推進体制".into(), scheme: "council".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let pool = tabane_talent::service::pools::create(
        &app.db,
        &admin,
        &tabane_talent::service::pools::PoolForm {
            bundle_id: Some(b.id),
            name: "試験".into(),
            region: "中部地方".into(),
        },
    )
    .await
    .unwrap();
    let cli = tabane_core::Ctx::cli();
    for i in 0..35u32 {
        let o = tabane_core::demo::org(
            &app.db,
            &cli,
            OrgKind::Municipality,
            &format!("試験町{i}"),
            "しけんちょう",
            Some(22401 + i),
            None,
        )
        .await
        .unwrap();
        bundles::set_member(&app.db, &admin, b.id, o.id, BundleRole::Member).await.unwrap();
        if i < 30 {
            let m = tabane_core::Ctx {
                org_id: Some(o.id),
                role: Some(Role::Staff),
                system_admin: false,
                ..tabane_core::Ctx::cli()
            };
            tabane_talent::service::framework::record(
                &app.db,
                &m,
                pool.id,
                &tabane_talent::service::framework::StatusForm {
                    as_of: "2025-08-01".into(),
                    population: Some(8000),
                    dx_heads: Some(1),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
    }
    let p = app.login("pref-staff").await;
    let (s, v) = p.get_json(&format!("/api/talent/pools/{}/framework?fy=2025&today=2026-03-01", pool.id)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v.to_string().contains("② 状況把握 30/35（85.7%）"), "{v}");
    assert!(v["checklist"]["overdue_message_ja"].is_null());
    let (_, v) = p.get_json(&format!("/api/talent/pools/{}/framework?fy=2025&today=2026-04-01", pool.id)).await;
    assert_eq!(
        v["checklist"]["overdue_message_ja"], "令和7年度中（令和8年3月31日まで）の構築が求められています",
        "{v}"
    );
}

#[tokio::test]
async fn check10_personal_fields_are_sealed_their_reads_audited_and_left_out_of_the_list() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/pools/{pool}/persons"),
            json!({"label": "人材S", "name": "秘匿 翔子", "email": "shoko@example.jp", "types": "プロデューサー", "regions": "静岡県", "status": "active"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(!v.to_string().contains("秘匿"));
    let id = v["person"]["id"].as_i64().unwrap();
    let row = tabane_talent::entities::person::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert!(row.name_enc.as_deref().unwrap().starts_with("v1."));
    let leaked =
        audit_entry::Entity::find().filter(audit_entry::Column::After.contains("秘匿")).count(&app.db).await.unwrap();
    assert_eq!(leaked, 0);
    if !app.tdb.is_postgres()
        && let Ok(bytes) = std::fs::read(app.tdb.url.trim_start_matches("sqlite://").split('?').next().unwrap())
    {
        let needle = "秘匿 翔子".as_bytes();
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "no clear name in the database file");
    }
    let reads = || audit_entry::Entity::find().filter(audit_entry::Column::PersonalRead.eq(true)).count(&app.db);
    let n = reads().await.unwrap();
    let (s, v) = p.send_json("post", &format!("/api/talent/persons/{id}/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["name"], "秘匿 翔子");
    assert_eq!(reads().await.unwrap(), n + 1, "the read is audited");
    let k = app.login("kawazu-admin").await;
    let (s, _) = k.send_json("post", &format!("/api/talent/persons/{id}/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let r = p.get(&format!("/talent/pools/{pool}/persons?format=csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(text.contains("人材類型") && text.contains("対応可能地域") && text.contains("人材S"));
    assert!(!text.contains("秘匿") && !text.contains("@example.jp"), "no personal columns");
}

#[tokio::test]
async fn a_need_is_matched_arranged_confirmed_and_filled() {
    let app = TestApp::spawn().await;
    let mi = app.org_id("南伊豆町").await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let (_, needs) = p.get_json(&format!("/api/talent/pools/{pool}/needs")).await;
    let need = needs.as_array().unwrap().iter().find(|n| n["need"]["owner_org_id"] == mi).unwrap()["need"]["id"]
        .as_i64()
        .unwrap();
    let (s, v) = p.get_json(&format!("/api/talent/needs/{need}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let top = &v["suggestions"][0];
    assert_eq!(top["result"]["eligible"], true, "{v}");
    assert!(top["result"]["reasons_ja"].to_string().contains("支援分野「データ利活用」に対応"), "{top}");
    let (s, a) = p
        .send_json("post", &format!("/api/talent/pools/{pool}/assignments"), json!({"person_id": top["person_id"], "need_id": need, "weekdays": "水", "date_from": "2025-09-01", "date_to": "2026-03-31"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (_, v) = p.get_json(&format!("/api/talent/needs/{need}")).await;
    assert_eq!(v["status"], "coordinating");
    let (s, _) =
        p.send_json("post", &format!("/api/talent/assignments/{}/confirm", a["assignment"]["id"]), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = p.get_json(&format!("/api/talent/needs/{need}")).await;
    assert_eq!(v["status"], "filled");
    // Bad input names the field, in Japanese, and writes nothing.
    let s2 = app.login("shimoda-staff").await;
    let (s, v) = s2
        .send_json(
            "post",
            &format!("/api/talent/pools/{pool}/needs"),
            json!({"theme": "宇宙開発", "field": "", "period_from": "2026-13-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("「テーマ」") && m.contains("「支援分野」") && m.contains("「期間（開始）」"), "{m}");
}
