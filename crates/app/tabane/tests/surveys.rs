//! アンケート (surveys) end to end: a 希望住戸アンケート run by 下田市 and shared with the
//! maintenance bundle, whose contractor (the JV) types paper answers.

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tabane_testkit::{TestApp, User};

struct S {
    id: i64,
    r: Vec<i64>,
}

async fn bundle_id(u: &User) -> i64 {
    let (_, v) = u.get_json("/api/bundles").await;
    v.as_array().unwrap().iter().find(|b| b["name"].as_str().unwrap().contains("県・市共同発注")).unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn opts(pairs: &[(&str, &str)]) -> Value {
    Value::from(pairs.iter().map(|(k, l)| json!({"key": k, "label": l})).collect::<Vec<_>>())
}

async fn setup(app: &TestApp, owner: &User, jv: &User) -> S {
    let b = bundle_id(owner).await;
    let (s, v) = owner.send_json("post", "/api/surveys", json!({"title": "希望住戸アンケート（第1回）", "bundle_id": b.to_string(), "module": "housing", "due_on": "令和8年3月31日"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["due_on"], "2026-03-31");
    let id = v["id"].as_i64().unwrap();
    let qs = [
        json!({"code": "class", "kind": "single", "label": "移転の意向", "required": true, "options": opts(&[("main", "本移転"), ("temporary", "仮移転"), ("transfer", "住宅替"), ("leave", "退去")])}),
        json!({"code": "needs", "kind": "multiple", "label": "配慮事項", "options": opts(&[("low", "低層階希望"), ("wheelchair", "車いす"), ("care", "介助が必要")])}),
        json!({"code": "units", "kind": "ranked", "label": "希望住戸", "rank_depth": 3, "options": opts(&[("A-101", "A棟101"), ("A-102", "A棟102"), ("B-201", "B棟201"), ("B-202", "B棟202")])}),
        json!({"code": "size", "kind": "number", "label": "世帯人員", "required": true, "min": 1, "max": 10}),
        json!({"code": "parking", "kind": "yes_no", "label": "駐車場の利用"}),
        json!({"code": "note", "kind": "long_text", "label": "備考"}),
        json!({"code": "contact", "kind": "text", "label": "連絡先", "personal": true}),
    ];
    // The contractor types in the paper answers: the owner names it 代理入力.
    let jv_org = app.org_id("下田地域維持型JV").await;
    let (s, v) = owner.send_json("put", &format!("/api/surveys/{id}/proxies"), json!({"org_ids": [jv_org]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The contractor enters answers but does not design the survey.
    let (s, _) = jv.send_json("post", &format!("/api/surveys/{id}/questions"), qs[0].clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for q in &qs {
        let (s, v) = owner.send_json("post", &format!("/api/surveys/{id}/questions"), q.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    // A ranked question deeper than its options, and a duplicate code, are refused by name.
    let (s, v) = owner
        .send_json(
            "post",
            &format!("/api/surveys/{id}/questions"),
            json!({"code": "units", "kind": "ranked", "label": "x", "rank_depth": 9, "options": opts(&[("a", "a")])}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["message"].as_str().unwrap().contains("設問コード")
            && v["message"].as_str().unwrap().contains("希望順位の数"),
        "{v}"
    );

    let rec = |n: i64, label: &str| json!({"subject_ref": format!("housing_case:{n}"), "label": label, "channel": "paper", "sent_on": "2026-02-01"});
    let (s, v) = owner.send_json("post", &format!("/api/surveys/{id}/recipients"), json!({"recipients": [rec(1, "A棟 101号室"), rec(2, "A棟 102号室"), rec(3, "B棟 201号室"), rec(4, "B棟 202号室")]})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let r: Vec<i64> = v.as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
    assert_eq!(r.len(), 4);
    // Duplicates are named, and nothing of the batch is written.
    let (s, v) = owner
        .send_json(
            "post",
            &format!("/api/surveys/{id}/recipients"),
            json!({"recipients": [rec(5, "C棟"), rec(1, "A棟 101号室"), rec(5, "C棟")]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("housing_case:1 は既に回答対象です") && m.contains("housing_case:5 が一覧の中で重複"), "{m}");
    let (_, view) = owner.get_json(&format!("/api/surveys/{id}")).await;
    assert_eq!(view["recipients"].as_array().unwrap().len(), 4);
    let (s, _) =
        jv.send_json("post", &format!("/api/surveys/{id}/recipients"), json!({"recipients": [rec(9, "x")]})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Not open yet: no answers. Then publish; questions are frozen.
    let (s, _) = owner
        .send_json(
            "put",
            &format!("/api/surveys/{id}/responses/{}", r[0]),
            json!({"answers": {"class": "main", "size": 1}}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = jv.send_json("post", &format!("/api/surveys/{id}/publish"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = owner.send_json("post", &format!("/api/surveys/{id}/publish"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = owner
        .send_json(
            "post",
            &format!("/api/surveys/{id}/questions"),
            json!({"code": "late", "kind": "text", "label": "後から"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let _ = app;
    S { id, r }
}

async fn answer(u: &User, s: &S, i: usize, answers: Value) -> (StatusCode, Value) {
    u.send_json(
        "put",
        &format!("/api/surveys/{}/responses/{}", s.id, s.r[i]),
        json!({"answers": answers, "source": "proxy"}),
    )
    .await
}

#[tokio::test]
async fn a_survey_runs_from_questions_to_export() {
    let app = TestApp::spawn().await;
    let owner = app.login("shimoda-staff").await;
    let jv = app.login("jv-staff").await;
    let s = setup(&app, &owner, &jv).await;
    let id = s.id;

    let (st, v) = answer(&owner, &s, 0, json!({"class": "main", "needs": ["low"], "units": ["A-101", "A-102", "B-201"], "size": 3, "parking": true, "note": "エレベーター希望", "contact": "090-1111-2222"})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "answered");
    assert_eq!(v["entry_source"], "proxy");
    // The contractor types a paper answer (full-width digits are normalised).
    let (st, v) =
        answer(&jv, &s, 1, json!({"class": "main", "units": ["A-101", "B-201"], "size": "２", "parking": "いいえ"}))
            .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, _) =
        answer(&owner, &s, 2, json!({"class": "temporary", "needs": ["care"], "units": ["A-102"], "size": 1})).await;
    assert_eq!(st, StatusCode::OK);

    // Bad answers: every problem named with the question and the household; nothing written.
    let (st, v) = answer(&owner, &s, 3, json!({"class": "zzz", "units": ["A-101", "A-101"], "size": 11})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let m = v["message"].as_str().unwrap();
    for part in [
        "「移転の意向」：選択肢にない値です（zzz）（回答者: B棟 202号室）",
        "「希望住戸」：第2希望と第1希望が同じ",
        "「世帯人員」：10以下",
    ] {
        assert!(m.contains(part), "{part} not in {m}");
    }
    let (_, r4) = owner.get_json(&format!("/api/surveys/{id}/responses/{}", s.r[3])).await;
    assert_eq!(r4["recipient"]["status"], "pending");
    assert_eq!(r4["answers"], json!({}));
    // Staff typing a paper answer cannot call it the respondent's own entry.
    let (st, _) = owner
        .send_json(
            "put",
            &format!("/api/surveys/{id}/responses/{}", s.r[3]),
            json!({"answers": {"class": "leave", "size": 1}, "source": "self"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    // Re-answering replaces the previous answers (needs disappears), and is audited.
    let (st, _) = answer(&owner, &s, 2, json!({"class": "transfer", "units": ["B-202", "A-102"], "size": 2})).await;
    assert_eq!(st, StatusCode::OK);
    let (_, r3) = owner.get_json(&format!("/api/surveys/{id}/responses/{}", s.r[2])).await;
    assert_eq!(r3["answers"], json!({"class": "transfer", "units": ["B-202", "A-102"], "size": 2}));
    let admin = app.login("shimoda-admin").await;
    let (_, audit) = admin.get_json("/api/audit?entity=survey_recipient&action=replace_response").await;
    let entry = &audit["items"][0];
    assert!(
        entry["before"].as_str().unwrap().contains("care") && entry["after"].as_str().unwrap().contains("B-202"),
        "{entry}"
    );

    // Follow-up of the household that has not answered; the contractor may record it too.
    let (st, v) = jv
        .send_json(
            "post",
            &format!("/api/surveys/{id}/responses/{}/followups", s.r[3]),
            json!({"method": "phone", "outcome": "不在", "note": "夕方に再架電"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, _) = jv
        .send_json(
            "post",
            &format!("/api/surveys/{id}/responses/{}/followups", s.r[3]),
            json!({"method": "fax", "outcome": ""}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, nr) = owner.get_json(&format!("/api/surveys/{id}/non-respondents")).await;
    let nr = nr.as_array().unwrap();
    assert_eq!(nr.len(), 1);
    assert_eq!(nr[0]["recipient"]["label"], "B棟 202号室");
    assert_eq!(nr[0]["last_followup"]["outcome"], "不在");
    let page = owner.get(&format!("/surveys/{id}/non-respondents")).await.text().await.unwrap();
    assert!(page.contains("B棟 202号室") && page.contains("不在") && !page.contains("A棟 101号室"));

    // Aggregation: counts, ranks and the first-choice clash on A-101.
    let (_, agg) = owner.get_json(&format!("/api/surveys/{id}/results")).await;
    let by = |code: &str| agg.as_array().unwrap().iter().find(|q| q["question"]["code"] == code).unwrap().clone();
    let counts = |q: &Value| {
        q["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["key"].as_str().unwrap().to_string(), o["count"].as_u64().unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        counts(&by("class")),
        vec![("main".into(), 2), ("temporary".into(), 0), ("transfer".into(), 1), ("leave".into(), 0)]
    );
    assert_eq!(counts(&by("parking")), vec![("yes".into(), 1), ("no".into(), 1)]);
    let units = by("units");
    let ranks: Vec<(String, Vec<u64>)> = units["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().into(),
                r["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        ranks,
        vec![
            ("A-101".into(), vec![2, 0, 0]),
            ("A-102".into(), vec![0, 2, 0]),
            ("B-201".into(), vec![0, 1, 1]),
            ("B-202".into(), vec![1, 0, 0])
        ]
    );
    let clashes = units["clashes"].as_array().unwrap();
    assert_eq!(clashes.len(), 1);
    assert_eq!(clashes[0]["key"], "A-101");
    assert_eq!(clashes[0]["recipients"], json!([[s.r[0], "A棟 101号室"], [s.r[1], "A棟 102号室"]]));
    let size = by("size");
    assert_eq!(
        (size["number"]["count"].as_u64(), size["number"]["min"].as_f64(), size["number"]["max"].as_f64()),
        (Some(3), Some(2.0), Some(3.0))
    );
    assert!((size["number"]["mean"].as_f64().unwrap() - 7.0 / 3.0).abs() < 1e-9);
    let page = owner.get(&format!("/surveys/{id}/results")).await.text().await.unwrap();
    assert!(page.contains("第1希望の重複") && page.contains("A棟101"));

    // Export: personal questions are left out unless named; CP932 holds the same text.
    let csv = owner.get(&format!("/surveys/{id}/export?format=csv")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("対象,表示名,配布方法,回答状況,入力者,回答日時,移転の意向,配慮事項,希望住戸（第1希望）,希望住戸（第2希望）,希望住戸（第3希望）,世帯人員,駐車場の利用,備考\r\n"), "{text}");
    assert!(
        text.contains("housing_case:1,A棟 101号室,紙,回答済,代理入力,")
            && text.contains(",本移転,低層階希望,A棟101,A棟102,B棟201,3,はい,エレベーター希望\r\n"),
        "{text}"
    );
    assert!(!text.contains("090-1111-2222"));
    let sjis = owner.get(&format!("/surveys/{id}/export?format=cp932")).await.bytes().await.unwrap();
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!bad);
    assert_eq!(decoded, text);
    let xlsx = owner.get(&format!("/surveys/{id}/export?format=xlsx")).await.bytes().await.unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get((0, 6)), Some(&Data::String("移転の意向".into())));
    assert_eq!(range.get((1, 1)), Some(&Data::String("A棟 101号室".into())));
    assert_eq!(range.get((1, 8)), Some(&Data::String("A棟101".into())));
    assert!(
        matches!(range.get((1, 11)), Some(Data::Float(f)) if *f == 3.0) || range.get((1, 11)) == Some(&Data::Int(3)),
        "{:?}",
        range.get((1, 11))
    );
    let personal =
        owner.get(&format!("/surveys/{id}/export?format=csv&columns=label,contact")).await.text().await.unwrap();
    assert!(personal.contains("A棟 101号室,090-1111-2222"), "{personal}");
    let (_, audit) = admin.get_json("/api/audit?action=export_personal").await;
    assert_eq!(audit["total"], 1);
    assert_eq!(
        owner.get(&format!("/surveys/{id}/export?columns=nope")).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A character CP932 cannot hold is reported, not replaced.
    let (st, _) = answer(&owner, &s, 3, json!({"class": "leave", "size": 1, "note": "𠮷野家の隣"})).await;
    assert_eq!(st, StatusCode::OK);
    let r = owner.get(&format!("/surveys/{id}/export?format=cp932")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("𠮷"));
    assert_eq!(owner.get(&format!("/surveys/{id}/export?format=csv")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn pages_enter_ranked_answers_and_report_problems() {
    let app = TestApp::spawn().await;
    let owner = app.login("shimoda-staff").await;
    let jv = app.login("jv-staff").await;
    let s = setup(&app, &owner, &jv).await;
    let id = s.id;
    for p in [
        "/surveys".to_string(),
        format!("/surveys/{id}"),
        format!("/surveys/{id}/results"),
        format!("/surveys/{id}/non-respondents"),
    ] {
        let r = owner.get(&p).await;
        assert_eq!(r.status(), StatusCode::OK, "{p}");
    }
    let form = jv.get(&format!("/surveys/{id}/responses/{}", s.r[0])).await.text().await.unwrap();
    assert!(form.contains("第3希望") && form.contains("name=\"q_units\""), "{form}");
    // A blank 第2希望 with a 第3希望 chosen is refused, and the typed values stay in the form.
    let bad = jv
        .post_form(
            &format!("/surveys/{id}/responses/{}", s.r[0]),
            &[
                ("q_class", "main"),
                ("q_size", "2"),
                ("q_units", "A-101"),
                ("q_units", ""),
                ("q_units", "B-201"),
                ("source", "proxy"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.unwrap();
    assert!(body.contains("第2希望が空欄") && body.contains("A棟 101号室"), "{body}");
    let ok = jv
        .post_form(
            &format!("/surveys/{id}/responses/{}", s.r[0]),
            &[
                ("q_class", "main"),
                ("q_size", "2"),
                ("q_needs", "low"),
                ("q_needs", "care"),
                ("q_units", "A-101"),
                ("q_units", "B-201"),
                ("q_units", ""),
                ("q_parking", "yes"),
                ("source", "proxy"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let (_, r1) = owner.get_json(&format!("/api/surveys/{id}/responses/{}", s.r[0])).await;
    assert_eq!(
        r1["answers"],
        json!({"class": "main", "size": 2, "needs": ["low", "care"], "units": ["A-101", "B-201"], "parking": true})
    );
    let f = jv
        .post_form(
            &format!("/surveys/{id}/responses/{}/followups", s.r[1]),
            &[("method", "visit"), ("outcome", "辞退の意向"), ("mark", "declined")],
        )
        .await;
    assert_eq!(f.status(), StatusCode::SEE_OTHER);
    let (_, nr) = owner.get_json(&format!("/api/surveys/{id}/non-respondents")).await;
    assert_eq!(nr.as_array().unwrap().len(), 2, "declined households leave the follow-up list");
    let created = owner.post_form("/surveys", &[("title", "駐車場利用意向調査"), ("due_on", "")]).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let bad = owner.post_form("/surveys", &[("title", ""), ("due_on", "いつか")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.unwrap();
    assert!(body.contains("表題") && body.contains("提出締切"));
}

#[tokio::test]
async fn others_get_404_and_viewers_cannot_write() {
    let app = TestApp::spawn().await;
    let owner = app.login("shimoda-staff").await;
    let jv = app.login("jv-staff").await;
    let s = setup(&app, &owner, &jv).await;
    let (id, rid) = (s.id, s.r[0]);
    let other = app.login("kawazu-admin").await;
    let gets = [
        format!("/surveys/{id}"),
        format!("/surveys/{id}/responses/{rid}"),
        format!("/surveys/{id}/non-respondents"),
        format!("/surveys/{id}/results"),
        format!("/surveys/{id}/export?format=xlsx"),
        format!("/api/surveys/{id}"),
        format!("/api/surveys/{id}/responses"),
        format!("/api/surveys/{id}/responses/{rid}"),
        format!("/api/surveys/{id}/non-respondents"),
        format!("/api/surveys/{id}/results"),
    ];
    for p in &gets {
        assert_eq!(other.get(p).await.status(), StatusCode::NOT_FOUND, "{p}");
    }
    let writes = [
        ("post", format!("/api/surveys/{id}/questions"), json!({"code": "x", "kind": "text", "label": "x"})),
        (
            "post",
            format!("/api/surveys/{id}/recipients"),
            json!({"recipients": [{"subject_ref": "org:1", "label": "x"}]}),
        ),
        ("post", format!("/api/surveys/{id}/publish"), json!({})),
        ("post", format!("/api/surveys/{id}/close"), json!({})),
        ("put", format!("/api/surveys/{id}/responses/{rid}"), json!({"answers": {"class": "main", "size": 1}})),
        ("post", format!("/api/surveys/{id}/responses/{rid}/followups"), json!({"method": "phone", "outcome": "x"})),
    ];
    for (m, p, b) in &writes {
        let (st, _) = other.send_json(m, p, b.clone()).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{m} {p}");
    }
    for p in [
        format!("/surveys/{id}/questions"),
        format!("/surveys/{id}/recipients"),
        format!("/surveys/{id}/publish"),
        format!("/surveys/{id}/close"),
        format!("/surveys/{id}/responses/{rid}"),
        format!("/surveys/{id}/responses/{rid}/followups"),
    ] {
        assert_eq!(other.post_form(&p, &[("code", "x")]).await.status(), StatusCode::NOT_FOUND, "{p}");
    }
    let (_, list) = other.get_json("/api/surveys").await;
    assert_eq!(list, json!([]));

    // A viewer of a bundle member reads the results but writes nothing.
    let viewer = app.login("pref-viewer").await;
    assert_eq!(viewer.get(&format!("/api/surveys/{id}/results")).await.status(), StatusCode::OK);
    assert_eq!(viewer.get(&format!("/surveys/{id}")).await.status(), StatusCode::OK);
    for (m, p, b) in &writes {
        let (st, _) = viewer.send_json(m, p, b.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "viewer {m} {p}");
    }
    let (st, _) = viewer.send_json("post", "/api/surveys", json!({"title": "閲覧者の調査"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, r) = owner.get_json(&format!("/api/surveys/{id}/responses/{rid}")).await;
    assert_eq!(r["recipient"]["status"], "pending");
}

/// 協議会の調査: 静岡県 asks its member towns; each town answers only for itself, the owner may
/// enter for any (代理入力) and name proxies; members that do not answer read the results.
#[tokio::test]
async fn an_organisation_answers_only_for_itself_and_proxies_are_named_by_the_owner() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-admin").await;
    let (_, bundles) = pref.get_json("/api/bundles").await;
    let council = bundles.as_array().unwrap().iter().find(|b| b["name"].as_str().unwrap().contains("協議会")).unwrap()
        ["id"]
        .as_i64()
        .unwrap();
    let (kawazu_org, shimoda_org) = (app.org_id("河津町").await, app.org_id("下田市").await);
    let (s, _) = pref
        .send_json("put", &format!("/api/bundles/{council}/members/{shimoda_org}"), json!({"role": "member"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = pref
        .send_json("post", "/api/surveys", json!({"title": "人材ニーズ調査", "bundle_id": council.to_string()}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (s, _) = pref
        .send_json(
            "post",
            &format!("/api/surveys/{id}/questions"),
            json!({"code": "need", "kind": "yes_no", "label": "外部人材が必要", "required": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, r) = pref
        .send_json(
            "post",
            &format!("/api/surveys/{id}/recipients"),
            json!({"recipients": [{"subject_ref": format!("org:{kawazu_org}"), "label": "河津町"}, {"subject_ref": format!("org:{shimoda_org}"), "label": "下田市"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (rk, rs) = (r[0]["id"].as_i64().unwrap(), r[1]["id"].as_i64().unwrap());
    let (s, _) = pref.send_json("post", &format!("/api/surveys/{id}/publish"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let answer = |source: &str| json!({"answers": {"need": true}, "source": source});

    // 河津町 answers for itself, not for 下田市 (the refusal says why, in Japanese).
    let kawazu = app.login("kawazu-admin").await;
    let (s, v) = kawazu.send_json("put", &format!("/api/surveys/{id}/responses/{rk}"), answer("self")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, e) = kawazu.send_json("put", &format!("/api/surveys/{id}/responses/{rs}"), answer("proxy")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        e["message"].as_str().unwrap().contains("この回答は下田市の担当者または実施団体（静岡県）が入力します"),
        "{e}"
    );
    // Nor may it record a 督促; it reads the results.
    let (s, _) = kawazu
        .send_json(
            "post",
            &format!("/api/surveys/{id}/responses/{rs}/followups"),
            json!({"method": "phone", "outcome": "不在"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(kawazu.get(&format!("/api/surveys/{id}/results")).await.status(), StatusCode::OK);
    // The owner's staff enter for any recipient (代理入力) and follow up; a viewer enters nothing.
    let viewer = app.login("pref-viewer").await;
    let (s, e) = viewer.send_json("put", &format!("/api/surveys/{id}/responses/{rs}"), answer("proxy")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(e.to_string().contains("閲覧者"), "{e}");
    let staff = app.login("pref-staff").await;
    let (s, _) = staff
        .send_json(
            "post",
            &format!("/api/surveys/{id}/responses/{rs}/followups"),
            json!({"method": "phone", "outcome": "来週回答"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // Naming 河津町 as 代理入力 lets it enter 下田市's paper answer; a non-member cannot be named.
    let jv_org = app.org_id("下田地域維持型JV").await;
    let (s, e) = pref.send_json("put", &format!("/api/surveys/{id}/proxies"), json!({"org_ids": [jv_org]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("代理入力の団体"), "{e}");
    let (s, v) = pref.send_json("put", &format!("/api/surveys/{id}/proxies"), json!({"org_ids": [kawazu_org]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = kawazu.send_json("put", &format!("/api/surveys/{id}/responses/{rs}"), answer("proxy")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // 下田市 itself may answer again (its own answer replaces the proxy's).
    let city = app.login("shimoda-admin").await;
    let (s, v) = city.send_json("put", &format!("/api/surveys/{id}/responses/{rs}"), answer("self")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// 個人情報の回答: sealed in the database, masked in the audit log, shown to staff who open the
/// answer, and each such read is audited.
#[tokio::test]
async fn a_personal_answer_is_sealed_masked_in_the_audit_log_and_its_reads_audited() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tabane_core::entities::{audit_entry, survey_answer};
    let app = TestApp::spawn().await;
    let owner = app.login("shimoda-staff").await;
    let jv = app.login("jv-staff").await;
    let s = setup(&app, &owner, &jv).await;
    let (st, v) = answer(&owner, &s, 0, json!({"class": "main", "size": 3, "contact": "090-1111-2222"})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    // In the database: no clear value anywhere in the answers, nor in the audit log.
    let rows =
        survey_answer::Entity::find().filter(survey_answer::Column::RecipientId.eq(s.r[0])).all(&app.db).await.unwrap();
    assert_eq!(rows.iter().filter(|a| a.value_enc.is_some()).count(), 1, "the personal answer is sealed");
    assert!(
        rows.iter().all(|a| !a.value_json.contains("090") && !a.value_enc.as_deref().unwrap_or("").contains("090"))
    );
    let audit = audit_entry::Entity::find().all(&app.db).await.unwrap();
    assert!(!format!("{audit:?}").contains("090-1111-2222"), "the audit log masks it");
    assert!(format!("{audit:?}").contains("（個人情報）"));
    // Staff who open the answer see it, and the read is audited.
    let reads = |a: &[audit_entry::Model]| a.iter().filter(|e| e.action == "read_personal").count();
    let before = reads(&audit);
    let (st, r) = owner.get_json(&format!("/api/surveys/{}/responses/{}", s.id, s.r[0])).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(r["answers"]["contact"], "090-1111-2222");
    let audit = audit_entry::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(reads(&audit), before + 1);
    // The counts still include it (a text answer is only counted).
    let (_, res) = owner.get_json(&format!("/api/surveys/{}/results", s.id)).await;
    assert!(res.to_string().contains("contact"), "{res}");
}
