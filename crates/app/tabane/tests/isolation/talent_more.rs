//! デジタル人材: recruitment (募集・応募), the 協力企業リスト and the 状況把握 survey, JSON and pages,
//! aimed at 静岡県's demo pool. The attacker 河津町 is a member of the pool: recruitment is the
//! prefecture's own (not found), the company list is the nation's and may be read (without
//! leaking anything), and the imports and the survey steps are the prefecture's (refused).

use super::{Entry, Expect::*};
use serde_json::json;
use tabane_testkit::TestApp;

/// 静岡県's position 「秘密の募集A」 with one application, and a 状況把握 survey of the pool:
/// [position, application, survey].
pub async fn records(app: &TestApp) -> [i64; 3] {
    let p = app.login("pref-staff").await;
    let (_, pools) = p.get_json("/api/talent/pools").await;
    let pool = pools[0]["pool"]["id"].as_i64().unwrap();
    let (s, pos) = p
        .send_json(
            "post",
            &format!("/api/talent/pools/{pool}/positions"),
            json!({"title": "秘密の募集A", "job_description": "秘密の募集Aの職務", "types": "プロデューサー"}),
        )
        .await;
    assert_eq!(s, reqwest::StatusCode::CREATED, "{pos}");
    let position = pos["position"]["id"].as_i64().unwrap();
    let (_, people) = p.get_json(&format!("/api/talent/pools/{pool}/persons")).await;
    let person = people[0]["person"]["id"].as_i64().unwrap();
    let (s, a) = p
        .send_json(
            "post",
            &format!("/api/talent/positions/{position}/applications"),
            json!({"person_id": person, "note": "秘密の募集A"}),
        )
        .await;
    assert_eq!(s, reqwest::StatusCode::CREATED, "{a}");
    let (s, sv) =
        p.send_json("post", &format!("/api/talent/pools/{pool}/status-survey"), json!({"fiscal_year": 2031})).await;
    assert_eq!(s, reqwest::StatusCode::CREATED, "{sv}");
    [position, a["application"]["id"].as_i64().unwrap(), sv["survey_id"].as_i64().unwrap()]
}

pub fn entries() -> Vec<Entry> {
    vec![
        (
            "get",
            "/api/talent/pools/{id}/positions",
            |f| format!("/api/talent/pools/{}/positions", f.a_talent_pool),
            None,
            Refused,
        ),
        (
            "post",
            "/api/talent/pools/{id}/positions",
            |f| format!("/api/talent/pools/{}/positions", f.a_talent_pool),
            Some(json!({"title": "侵入"})),
            Refused,
        ),
        (
            "get",
            "/api/talent/positions/{id}",
            |f| format!("/api/talent/positions/{}", f.a_talent_position),
            None,
            Refused,
        ),
        (
            "put",
            "/api/talent/positions/{id}",
            |f| format!("/api/talent/positions/{}", f.a_talent_position),
            Some(json!({"title": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/api/talent/positions/{id}/applications",
            |f| format!("/api/talent/positions/{}/applications", f.a_talent_position),
            Some(json!({"person_id": 1})),
            Refused,
        ),
        (
            "post",
            "/api/talent/applications/{id}/stage",
            |f| format!("/api/talent/applications/{}/stage", f.a_talent_application),
            Some(json!({"stage": "不採用"})),
            Refused,
        ),
        (
            "post",
            "/api/talent/positions/{id}/close",
            |f| format!("/api/talent/positions/{}/close", f.a_talent_position),
            Some(json!({"outcome": "closed"})),
            Refused,
        ),
        (
            "get",
            "/api/talent/pools/{id}/companies",
            |f| format!("/api/talent/pools/{}/companies", f.a_talent_pool),
            None,
            NoLeak,
        ),
        (
            "post",
            "/api/talent/pools/{id}/companies/import",
            |f| format!("/api/talent/pools/{}/companies/import?filename=x.csv", f.a_talent_pool),
            None,
            Refused,
        ),
        (
            "post",
            "/api/talent/pools/{id}/status-survey",
            |f| format!("/api/talent/pools/{}/status-survey", f.a_talent_pool),
            Some(json!({"fiscal_year": 2032})),
            Refused,
        ),
        (
            "post",
            "/api/talent/pools/{id}/status-survey/{survey_id}/copy",
            |f| format!("/api/talent/pools/{}/status-survey/{}/copy", f.a_talent_pool, f.a_talent_survey),
            Some(json!({})),
            Refused,
        ),
        (
            "get",
            "/talent/pools/{id}/positions",
            |f| format!("/talent/pools/{}/positions", f.a_talent_pool),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/pools/{id}/positions",
            |f| format!("/talent/pools/{}/positions", f.a_talent_pool),
            Some(json!({"title": "侵入"})),
            Refused,
        ),
        ("get", "/talent/positions/{id}", |f| format!("/talent/positions/{}", f.a_talent_position), None, Refused),
        (
            "post",
            "/talent/positions/{id}/update",
            |f| format!("/talent/positions/{}/update", f.a_talent_position),
            Some(json!({"title": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/talent/positions/{id}/close",
            |f| format!("/talent/positions/{}/close", f.a_talent_position),
            Some(json!({"outcome": "closed"})),
            Refused,
        ),
        (
            "post",
            "/talent/positions/{id}/applications",
            |f| format!("/talent/positions/{}/applications", f.a_talent_position),
            Some(json!({"person_id": "1"})),
            Refused,
        ),
        (
            "post",
            "/talent/applications/{id}/stage",
            |f| format!("/talent/applications/{}/stage", f.a_talent_application),
            Some(json!({"stage": "rejected"})),
            Refused,
        ),
        (
            "get",
            "/talent/pools/{id}/companies",
            |f| format!("/talent/pools/{}/companies", f.a_talent_pool),
            None,
            NoLeak,
        ),
        (
            "post",
            "/talent/pools/{id}/companies/import",
            |f| format!("/talent/pools/{}/companies/import", f.a_talent_pool),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/pools/{id}/persons/import",
            |f| format!("/talent/pools/{}/persons/import", f.a_talent_pool),
            None,
            Refused,
        ),
        (
            "get",
            "/talent/pools/{id}/status-surveys",
            |f| format!("/talent/pools/{}/status-surveys", f.a_talent_pool),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/pools/{id}/status-survey",
            |f| format!("/talent/pools/{}/status-survey", f.a_talent_pool),
            Some(json!({"fiscal_year": "2032"})),
            Refused,
        ),
        (
            "post",
            "/talent/pools/{id}/status-survey/{survey_id}/copy",
            |f| format!("/talent/pools/{}/status-survey/{}/copy", f.a_talent_pool, f.a_talent_survey),
            None,
            Refused,
        ),
    ]
}
