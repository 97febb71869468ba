//! 希望住戸アンケートと住戸抽選会: the questionnaire on the platform's survey feature, the draw
//! with a recorded seed (same inputs and seed → same result; another seed → another winner for a
//! contested unit), the audit entry, re-runs under the same name, and confirmation.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tabane_testkit::{TestApp, User};

struct Setup {
    campaign: i64,
    survey: i64,
    /// (case id, recipient id)
    cases: Vec<(i64, i64)>,
    units: Vec<(i64, String)>,
}

/// Five one- or two-person households all want the same 2DK first; a family wants the 3LDK.
async fn setup(app: &TestApp, pref: &User, pfi: &User) -> Setup {
    use tabane_housing::entities::estate;
    let estate = estate::Entity::find()
        .filter(estate::Column::Name.eq(tabane_housing::demo::ESTATE_NAME))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let (_, c) = pref
        .send_json(
            "post",
            "/api/housing/campaigns",
            json!({"estate_id": estate, "name": "抽選の試験", "completion_planned": "2027-06-30"}),
        )
        .await;
    let campaign = c["id"].as_i64().unwrap();
    let (s, b) = pref.send_json("post", &format!("/api/housing/estates/{estate}/buildings"), json!({"name": "抽選棟", "role": "new_first", "floors": 1, "types": [{"layout": "2DK", "area_m2": 52.0, "count": 3}, {"layout": "3LDK", "area_m2": 66.0, "count": 1}]})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let mut case_ids = Vec::new();
    for (room, size) in [("101", 1), ("102", 2), ("103", 1), ("104", 2), ("105", 1), ("106", 4)] {
        let (s, v) = pfi
            .send_json(
                "post",
                "/api/housing/cases",
                json!({"estate_id": estate, "building": "N", "room": room, "size": size, "campaign_id": campaign}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        case_ids.push(v["id"].as_i64().unwrap());
    }
    let (s, v) =
        pfi.send_json("post", &format!("/api/housing/campaigns/{campaign}/questionnaire"), json!({"depth": 2})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the prefecture opens the questionnaire: {v}");
    let (s, v) =
        pref.send_json("post", &format!("/api/housing/campaigns/{campaign}/questionnaire"), json!({"depth": 2})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let survey = v["survey_id"].as_i64().unwrap();
    let (_, sv) = pfi.get_json(&format!("/api/surveys/{survey}")).await;
    let rec = |case: i64| {
        sv["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["subject_ref"] == format!("housing_case:{case}"))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let cases: Vec<(i64, i64)> = case_ids.iter().map(|c| (*c, rec(*c))).collect();
    assert_eq!(sv["recipients"].as_array().unwrap().len(), 6, "one recipient per case of the campaign");
    let (_, us) = pref.get_json(&format!("/api/housing/estates/{estate}/units")).await;
    let units: Vec<(i64, String)> = us["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["building"] == "抽選棟")
        .map(|u| (u["unit"]["id"].as_i64().unwrap(), u["unit"]["layout"].as_str().unwrap().to_string()))
        .collect();
    Setup { campaign, survey, cases, units }
}

async fn answer(u: &User, s: &Setup, i: usize, class: &str, wishes: &[i64], size: i64) -> (StatusCode, Value) {
    let w: Vec<String> = wishes.iter().map(|x| x.to_string()).collect();
    u.send_json(
        "put",
        &format!("/api/surveys/{}/responses/{}", s.survey, s.cases[i].1),
        json!({"answers": {"class": class, "wishes": w, "size": size}, "source": "proxy"}),
    )
    .await
}

async fn draw(u: &User, campaign: i64, name: &str, announced: &str) -> (StatusCode, Value) {
    u.send_json(
        "post",
        &format!("/api/housing/campaigns/{campaign}/lotteries"),
        json!({"name": name, "announced": announced, "session_date": "2027-03-15"}),
    )
    .await
}

fn winner_of(v: &Value, unit: i64) -> i64 {
    v["outcome"]["draws"].as_array().unwrap().iter().find(|d| d["unit_id"] == unit).unwrap()["winner"].as_i64().unwrap()
}

#[tokio::test]
async fn the_lottery_is_reproducible_recorded_and_confirmed_by_the_prefecture() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let pfi = app.login("pfi-staff").await;
    let s = setup(&app, &pref, &pfi).await;
    let (u1, u2, family) = (s.units[0].0, s.units[1].0, s.units.iter().find(|u| u.1 == "3LDK").unwrap().0);
    // Paper answers entered by the contractor; a bad one is refused naming the question.
    let (st, v) = answer(&pfi, &s, 0, "main", &[u1, u1], 1).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    for i in 0..5 {
        let (st, v) = answer(&pfi, &s, i, "main", &[u1, u2], [1, 2, 1, 2, 1][i]).await;
        assert_eq!(st, StatusCode::OK, "{v}");
    }
    let (st, _) = answer(&pfi, &s, 5, "main", &[family], 4).await;
    assert_eq!(st, StatusCode::OK);
    let (_, nr) = pfi.get_json(&format!("/api/surveys/{}/non-respondents", s.survey)).await;
    assert_eq!(nr.as_array().map(|a| a.len()).unwrap_or(0), 0, "{nr}");
    let (st, v) =
        pfi.send_json("post", &format!("/api/housing/campaigns/{}/questionnaire/apply", s.campaign), json!({})).await;
    assert_eq!((st, v["classified"].as_i64()), (StatusCode::OK, Some(6)), "{v}");

    // Draw with the number announced at the venue.
    let (st, first) = draw(&pfi, s.campaign, "第1回", "4721").await;
    assert_eq!(st, StatusCode::OK, "{first}");
    let d101 = first["outcome"]["draws"].as_array().unwrap().iter().find(|d| d["unit_id"] == u1).unwrap();
    assert_eq!(d101["candidates"].as_array().unwrap().len(), 5, "five households wanted the same unit first");
    assert!(d101["draw_index"].is_number());
    let fam = first["outcome"]["draws"].as_array().unwrap().iter().find(|d| d["unit_id"] == family).unwrap();
    assert!(
        fam["draw_index"].is_null() && fam["winner"] == s.cases[5].0,
        "an uncontested wish is granted without a draw"
    );
    assert!(first["plan"].as_array().unwrap().iter().any(|r| r["unit_id"] == u1 && r["clash"] == true));

    // Same name, same seed: the stored result. Verification recomputes it.
    let (st, again) = draw(&pfi, s.campaign, "第1回", "4721").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(again["outcome"], first["outcome"]);
    assert_eq!(again["lottery"]["id"], first["lottery"]["id"]);
    let id = first["lottery"]["id"].as_i64().unwrap();
    let (_, ver) = pfi.get_json(&format!("/api/housing/lotteries/{id}/verify")).await;
    assert_eq!(ver["matches"], true, "{ver}");
    // Same name, another seed: refused. Same name, other inputs: refused.
    let (st, v) = draw(&pfi, s.campaign, "第1回", "9999").await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    let (st, _) = answer(&pfi, &s, 4, "main", &[u2], 1).await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = draw(&pfi, s.campaign, "第1回", "4721").await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    assert!(v.to_string().contains("別の条件"), "{v}");
    answer(&pfi, &s, 4, "main", &[u1, u2], 1).await;

    // Another seed under another name changes the winner of the contested unit (some seed in 20 does).
    let winners: std::collections::BTreeSet<i64> = {
        let mut w = std::collections::BTreeSet::from([winner_of(&first, u1)]);
        for k in 0..20 {
            let (st, v) = draw(&pfi, s.campaign, &format!("試行{k}"), &format!("{}", 1000 + k)).await;
            assert_eq!(st, StatusCode::OK, "{v}");
            w.insert(winner_of(&v, u1));
        }
        w
    };
    assert!(winners.len() > 1, "different seeds gave different winners: {winners:?}");

    // The audit log holds the inputs, the seed and the result.
    use tabane_core::entities::audit_entry;
    let e = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("lottery_draw"))
        .filter(audit_entry::Column::EntityId.eq(id.to_string()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audited");
    let after: Value = serde_json::from_str(&e.after.unwrap()).unwrap();
    assert_eq!(after["seed"], first["lottery"]["seed_hex"]);
    assert_eq!(after["inputs_hash"], first["lottery"]["inputs_hash"]);
    assert_eq!(after["inputs"]["participants"].as_array().unwrap().len(), 6);
    assert_eq!(after["result"], first["outcome"]);
    assert_eq!(after["algorithm"], "tabane-lottery-v1");

    // Only the prefecture confirms; confirming assigns the units to the winners' moves.
    let (st, _) = pfi.send_json("post", &format!("/api/housing/lotteries/{id}/confirm"), json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, v) = pref.send_json("post", &format!("/api/housing/lotteries/{id}/confirm"), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let winner = winner_of(&first, u1);
    let (_, c) = pref.get_json(&format!("/api/housing/cases/{winner}")).await;
    assert_eq!(c["legs"][0]["leg"]["to_unit_id"].as_i64(), Some(u1));
    assert!(
        c["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "assign_unit" && e["note"].as_str().unwrap_or("").contains("第1回"))
    );
    let (st, _) = pref.send_json("post", &format!("/api/housing/lotteries/{id}/confirm"), json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT);

    // The printable reports.
    let html = pref.get(&format!("/housing/lotteries/{id}?report=plan")).await.text().await.unwrap();
    assert!(html.contains("抽選計画") && html.contains("N棟 101号室"));
    let html = pref.get(&format!("/housing/lotteries/{id}?report=result")).await.text().await.unwrap();
    assert!(html.contains("抽選結果") && html.contains("単独希望"));

    // Other organisations see nothing.
    let other = app.login("kawazu-admin").await;
    assert_eq!(other.get_json(&format!("/api/housing/lotteries/{id}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(other.get_json(&format!("/api/housing/lotteries/{id}/verify")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(draw(&other, s.campaign, "侵入", "1").await.0, StatusCode::NOT_FOUND);
}
