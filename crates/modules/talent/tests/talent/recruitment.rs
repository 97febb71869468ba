//! Issue 16's three additions through the JSON API: recruitment (R13: the job description gate,
//! the missing 面接 warning, the person moved to 採用決定 … 稼働中), the 協力企業リスト import (all
//! or nothing, re-import updates) and 状況把握 through the platform survey (each municipality
//! answers for itself; the prefecture copies the answers into the status records).

use super::{cp932, pool};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tabane_testkit::{TestApp, User};

async fn new_person(p: &User, pool: i64, label: &str) -> i64 {
    let (s, v) = p
        .send_json(
            "post",
            &format!("/api/talent/pools/{pool}/persons"),
            json!({"label": label, "types": "プロデューサー", "regions": "静岡県", "status": "candidate"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["person"]["id"].as_i64().unwrap()
}

async fn person_status(p: &User, pool: i64, id: i64) -> String {
    let (_, v) = p.get_json(&format!("/api/talent/pools/{pool}/persons")).await;
    let row = v.as_array().unwrap().iter().find(|r| r["person"]["id"] == id).unwrap().clone();
    row["person"]["status"].as_str().unwrap().to_string()
}

async fn stage(p: &User, app: i64, to: &str) -> (StatusCode, Value) {
    p.send_json("post", &format!("/api/talent/applications/{app}/stage"), json!({"stage": to})).await
}

#[tokio::test]
async fn r13_the_job_description_gate_the_interview_warning_and_the_persons_status() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let base = format!("/api/talent/pools/{pool}/positions");
    // Bad input: 422 naming each field, nothing written.
    let (s, v) = p.send_json("post", &base, json!({"title": " ", "types": "デザイナー", "channels": "縁故"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let text = v.to_string();
    for want in ["募集名", "「デザイナー」は選択肢にありません", "「縁故」は選択肢にありません"]
    {
        assert!(text.contains(want), "{want} in {v}");
    }
    assert_eq!(p.get_json(&base).await.1, json!([]), "nothing written");
    let (s, pos) = p
        .send_json(
            "post",
            &base,
            json!({"title": "市町村支援デジタル人材（標準化）", "types": "プロジェクトマネージャー", "channels": "公募,リスト",
                   "engagement": "任期付職員", "opens_on": "令和8年4月1日", "closes_on": "2026-05-31", "step_issues": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{pos}");
    let id = pos["position"]["id"].as_i64().unwrap();
    assert_eq!(pos["position"]["opens_on"], "2026-04-01", "和暦 accepted");
    assert_eq!(pos["steps"][0], json!({"name": "重点課題の特定", "done": true}));
    let r = new_person(&p, pool, "応募者R").await;
    let (s, a) =
        p.send_json("post", &format!("/api/talent/positions/{id}/applications"), json!({"person_id": r})).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let a = a["application"]["id"].as_i64().unwrap();
    // 応募 → 採用 without 面接: accepted with the warning, and the person is 採用決定.
    let (s, v) = stage(&p, a, "採用").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["warnings"], json!(["面接等による選考が記録されていません"]));
    assert_eq!(v["person_status"], "hired");
    assert_eq!(v["application"]["history"][1]["warnings"], "面接等による選考が記録されていません");
    assert_eq!(person_status(&p, pool, r).await, "hired", "候補 → 選考中 → 採用決定");
    let (s, v) = stage(&p, a, "面接").await;
    assert_eq!(s, StatusCode::CONFLICT, "no way back: {v}");
    // Another applicant through 面接: no warning.
    let q = new_person(&p, pool, "応募者Q").await;
    let (_, b) =
        p.send_json("post", &format!("/api/talent/positions/{id}/applications"), json!({"person_id": q})).await;
    let b = b["application"]["id"].as_i64().unwrap();
    for to in ["書類選考", "面接", "内定"] {
        let (s, v) = stage(&p, b, to).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["warnings"], json!([]), "{to}");
    }
    let (s, v) = stage(&p, b, "辞退").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(person_status(&p, pool, q).await, "candidate", "辞退 leaves the person as is");
    // Closing as 採用 without a job description: 409, nothing changed.
    let close = format!("/api/talent/positions/{id}/close");
    let (s, v) = p.send_json("post", &close, json!({"outcome": "hired"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["message"], "ジョブディスクリプションを作成してください");
    let (_, v) = p.get_json(&format!("/api/talent/positions/{id}")).await;
    assert_eq!(v["position"]["status"], "open");
    let (s, v) = p.send_json("post", &close, json!({"outcome": "終わり"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("終了の区分"), "{v}");
    let mut form = pos["position"].clone();
    form["job_description"] = json!("管内市町村の標準化・ガバクラ移行の計画と調達を支援する");
    form["types"] = json!("プロジェクトマネージャー");
    form["channels"] = json!("公募");
    let (s, v) = p.send_json("put", &format!("/api/talent/positions/{id}"), form).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = p.send_json("post", &close, json!({"outcome": "採用で終了"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["position"]["status"], "hired");
    // 行政研修 and 配置 after the close; the person becomes 研修中, then 稼働中.
    let (_, v) = stage(&p, a, "行政研修").await;
    assert_eq!(v["person_status"], "training", "{v}");
    let (_, v) = stage(&p, a, "placed").await;
    assert_eq!(v["person_status"], "active", "{v}");
    assert_eq!(person_status(&p, pool, r).await, "active");
    let (_, v) = p.get_json(&format!("/api/talent/positions/{id}")).await;
    let count =
        |label: &str| v["pipeline"].as_array().unwrap().iter().find(|c| c["label"] == label).unwrap()["count"].clone();
    assert_eq!((count("配置"), count("辞退"), count("応募")), (json!(1), json!(1), json!(0)), "{v}");
    assert_eq!(v["applications"][0]["history"].as_array().unwrap().len(), 4, "応募, 採用, 行政研修, 配置");
    // The board and the job description's print view.
    let html = p.get(&format!("/talent/positions/{id}")).await.text().await.unwrap();
    assert!(html.contains("募集・選考状況") && html.contains("応募者R"), "{html}");
    let print = p.get(&format!("/talent/positions/{id}?print=1")).await.text().await.unwrap();
    assert!(print.contains("ガバクラ移行の計画と調達"));
    // The list page, and a bad form shown again with its problem (nothing written).
    let html = p.get(&format!("/talent/pools/{pool}/positions")).await.text().await.unwrap();
    assert!(html.contains("市町村支援デジタル人材（標準化）"), "{html}");
    let r = p.post_form(&format!("/talent/pools/{pool}/positions"), &[("title", ""), ("opens_on", "いつか")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("募集名"));
    assert_eq!(p.get_json(&base).await.1.as_array().unwrap().len(), 1);
    // The navigation shows 募集 and 状況把握 to the prefecture only.
    let overview = p.get(&format!("/talent/pools/{pool}")).await.text().await.unwrap();
    assert!(overview.contains(&format!("/talent/pools/{pool}/positions")), "{overview}");
    assert!(overview.contains("状況把握アンケートを市町村に送る"));
    let k = app.login("kawazu-admin").await;
    let theirs = k.get(&format!("/talent/pools/{pool}")).await.text().await.unwrap();
    assert!(!theirs.contains("/positions") && !theirs.contains("/status-surveys"), "{theirs}");
    assert!(theirs.contains(&format!("/talent/pools/{pool}/companies")));
    // Municipalities and the company do not see recruitment at all.
    for login in ["kawazu-admin", "shimoda-staff", "dx-partner-staff"] {
        let u = app.login(login).await;
        for path in [base.clone(), format!("/api/talent/positions/{id}"), format!("/talent/positions/{id}")] {
            assert_eq!(u.get(&path).await.status(), StatusCode::NOT_FOUND, "{login} {path}");
        }
        let (s, _) = stage(&u, a, "不採用").await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{login}");
    }
}

fn company_csv(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut s = String::from("社名,派遣可能な人材の類型,対応可能地域\r\n");
    for (a, b, c) in rows {
        s.push_str(&format!("{a},\"{b}\",{c}\r\n"));
    }
    cp932(&s)
}

async fn import(u: &User, pool: i64, body: Vec<u8>) -> (StatusCode, Value) {
    let r = u
        .client
        .post(u.url(&format!("/api/talent/pools/{pool}/companies/import?filename=companies.csv&encoding=cp932")))
        .header("x-csrf-token", &u.csrf)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_company_list_goes_in_whole_or_not_at_all_and_a_reimport_updates() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let list = format!("/api/talent/pools/{pool}/companies");
    let bad = company_csv(&[
        ("A社", "プロデューサー、プロジェクトマネージャー", "●●地方"),
        ("B社", "デザイナー", "●●県"),
        ("C社", "エンジニア・サービスデザイナー", "●●県"),
        ("D社", "プロジェクトマネージャ", ""),
    ]);
    let (s, v) = import(&p, pool, bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
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
            "3行目「派遣可能な人材の類型」: 「デザイナー」は選択肢にありません（プロデューサー／プロジェクトマネージャー／エンジニア・サービスデザイナー）",
            "5行目「対応可能地域」: 入力されていません",
        ],
        "{v}"
    );
    assert_eq!(p.get_json(&list).await.1, json!([]), "nothing written");
    // The seed's three companies (line 415–421), one of them the demo's directory company.
    let demo_company = tabane_talent::demo::COMPANY_NAME;
    let good = |b_region: &str| {
        company_csv(&[
            ("A社", "プロデューサー、プロジェクトマネージャー", "●●地方"),
            ("B社", "プロジェクトマネージャー", b_region),
            (demo_company, "プロデューサー、プロジェクトマネージャ、エンジニア・サービスデザイナー", "●●県"),
        ])
    };
    let (s, v) = import(&p, pool, good("●●県")).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"rows": 3, "inserted": 3, "updated": 0})));
    let (s, v) = import(&p, pool, good("静岡県")).await;
    assert_eq!((s, v), (StatusCode::OK, json!({"rows": 3, "inserted": 0, "updated": 3})));
    // Any side of the pool reads the list (the nation's, not personal).
    let k = app.login("kawazu-admin").await;
    let (s, v) = k.get_json(&list).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 3, "updated, not duplicated: {v}");
    let b = rows.iter().find(|r| r["company"]["name"] == "B社").unwrap();
    assert_eq!(b["regions"], json!(["静岡県"]));
    let c = rows.iter().find(|r| r["company"]["name"] == demo_company).unwrap();
    assert_eq!(c["types"].as_array().unwrap().len(), 3, "both spellings of マネージャー: {c}");
    assert_eq!(c["company"]["org_id"], app.org_id(demo_company).await, "matched to the directory by name");
    // Only the prefecture's staff import.
    let (s, _) = import(&k, pool, good("●●県")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The page's upload: a bad file is shown with its rows, a good one redirects.
    let r = p
        .post_file(
            &format!("/talent/pools/{pool}/companies/import"),
            "c.csv",
            company_csv(&[("E社", "デザイナー", "●●県")]),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("「デザイナー」は選択肢にありません"));
    let r = p
        .post_file(
            &format!("/talent/pools/{pool}/persons/import"),
            "p.csv",
            cp932("氏名,人材類型,対応可能地域\r\n画面 花子,プロデューサー,静岡県\r\n"),
            &[("encoding", "cp932")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_status_survey_is_answered_by_each_municipality_and_copied() {
    let app = TestApp::spawn().await;
    let p = app.login("pref-staff").await;
    let pool = pool(&p).await;
    let start = format!("/api/talent/pools/{pool}/status-survey");
    let (s, v) = p.send_json("post", &start, json!({})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("年度"), "{v}");
    let k = app.login("kawazu-admin").await;
    let (s, _) = k.send_json("post", &start, json!({"fiscal_year": 2027})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the prefecture's step");
    let (s, v) = p.send_json("post", &start, json!({"fiscal_year": 2027})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let survey = v["survey_id"].as_i64().unwrap();
    assert!(v["recipients"].as_i64().unwrap() >= 2, "{v}");
    let (s, v) = p.send_json("post", &start, json!({"fiscal_year": 2027})).await;
    assert_eq!(s, StatusCode::CONFLICT, "one survey a 年度: {v}");
    // 下田市 answers for itself on the platform's survey.
    let sh = app.login("shimoda-staff").await;
    let (s, sv) = sh.get_json(&format!("/api/surveys/{survey}")).await;
    assert_eq!(s, StatusCode::OK, "{sv}");
    assert_eq!(sv["survey"]["module"], "talent");
    let rid = |name: &str| {
        sv["recipients"].as_array().unwrap().iter().find(|r| r["label"] == name).unwrap()["id"].as_i64().unwrap()
    };
    let answer = json!({"answers": {"population": 18600, "dx_heads": 1, "dx_fte": 0.5, "concurrent": "yes", "progress": "ガバクラ移行中"}, "source": "self"});
    let (s, v) =
        sh.send_json("put", &format!("/api/surveys/{survey}/responses/{}", rid("下田市")), answer.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // …and not for 河津町.
    let (s, _) = sh.send_json("put", &format!("/api/surveys/{survey}/responses/{}", rid("河津町")), answer).await;
    assert!(s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND, "{s}");
    let (s, v) = k.send_json("post", &format!("{start}/{survey}/copy"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = p.send_json("post", &format!("{start}/{survey}/copy"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["fiscal_year"], 2027);
    assert_eq!(v["copied"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["copied"][0]["municipality"], "下田市");
    let missing: Vec<&str> = v["not_answered"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert!(missing.contains(&"河津町") && !missing.contains(&"下田市"), "{v}");
    let (_, rows) = p.get_json(&format!("/api/talent/pools/{pool}/statuses?fy=2027")).await;
    let rec = &rows.as_array().unwrap().iter().find(|r| r["municipality"] == "下田市").unwrap()["record"];
    assert_eq!(
        (rec["population"].clone(), rec["dx_fte_hundredths"].clone(), rec["concurrent"].clone()),
        (json!(18600), json!(50), json!(true))
    );
    let as_of = rec["as_of"].as_str().unwrap();
    assert!(("2027-04-01"..="2028-03-31").contains(&as_of), "kept inside the survey's 年度: {as_of}");
    let (_, list) = p.get_json(&format!("/api/talent/pools/{pool}/one-person-it?fy=2027")).await;
    assert!(list.as_array().unwrap().iter().any(|r| r["municipality"] == "下田市"), "{list}");
    // Copying again updates the same record.
    let (s, v) = p.send_json("post", &format!("{start}/{survey}/copy"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, again) = p.get_json(&format!("/api/talent/pools/{pool}/statuses?fy=2027")).await;
    assert_eq!(again.as_array().unwrap().len(), rows.as_array().unwrap().len());
    // The pages: the list with its counts.
    let html = p.get(&format!("/talent/pools/{pool}/status-surveys")).await.text().await.unwrap();
    assert!(html.contains("1 / "), "{html}");
    assert_eq!(k.get(&format!("/talent/pools/{pool}/status-surveys")).await.status(), StatusCode::NOT_FOUND);
}
