//! デジタル人材 (talent module) HTML pages, aimed at the demo pool of 静岡県 (河津町 IS a member:
//! pool-level reads answer without leaking, the prefecture's own steps are refused) and at
//! 下田市's records the fixture names (need, assignment, visit, grant sheet and line: refused).
//! A municipality's writes at pool level (needs, advisor sessions, grant sheets) are for itself
//! whatever `org_id` says, so they answer (NoLeak).

use super::{Entry, Expect::*};
use serde_json::json;

pub fn entries() -> Vec<Entry> {
    vec![
        ("get", "/talent", |_| "/talent".into(), None, NoLeak),
        ("get", "/talent/pools/{id}", |f| format!("/talent/pools/{}", f.a_talent_pool), None, NoLeak),
        ("get", "/talent/pools/{id}/persons", |f| format!("/talent/pools/{}/persons", f.a_talent_pool), None, NoLeak),
        (
            "post",
            "/talent/pools/{id}/persons",
            |f| format!("/talent/pools/{}/persons", f.a_talent_pool),
            Some(json!({"label": "侵入", "types": "プロデューサー", "regions": "静岡県", "status": "candidate"})),
            Refused,
        ),
        ("get", "/talent/persons/{id}", |f| format!("/talent/persons/{}", f.a_talent_person), None, NoLeak),
        (
            "post",
            "/talent/persons/{id}/reveal",
            |f| format!("/talent/persons/{}/reveal", f.a_talent_person),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/persons/{id}/check",
            |f| format!("/talent/persons/{}/check", f.a_talent_person),
            Some(json!({"as_of": "2025-09-01"})),
            Refused,
        ),
        (
            "post",
            "/talent/persons/{id}/recommend",
            |f| format!("/talent/persons/{}/recommend", f.a_talent_person),
            Some(json!({"recommended_on": "2025-09-01"})),
            Refused,
        ),
        (
            "post",
            "/talent/persons/{id}/experience",
            |f| format!("/talent/persons/{}/experience", f.a_talent_person),
            Some(
                json!({"employer_label": "侵入社", "sector": "民間企業", "from_month": "2018-04", "digital_field": "1"}),
            ),
            Refused,
        ),
        (
            "post",
            "/talent/persons/{id}/qualifications",
            |f| format!("/talent/persons/{}/qualifications", f.a_talent_person),
            Some(json!({"exam": "ITストラテジスト試験", "passed_on": "2020-12-25"})),
            Refused,
        ),
        ("get", "/talent/pools/{id}/needs", |f| format!("/talent/pools/{}/needs", f.a_talent_pool), None, NoLeak),
        (
            "post",
            "/talent/pools/{id}/needs",
            |f| format!("/talent/pools/{}/needs", f.a_talent_pool),
            Some(json!({"org_id": "A", "theme": "internal_dx", "field": "planning", "wanted_types": "プロデューサー",
                "days_per_week": "1", "form": "weekly", "period_from": "2025-10-01", "period_to": "2026-03-31",
                "description": "河津町のニーズ"})),
            NoLeak,
        ),
        ("get", "/talent/needs/{id}", |f| format!("/talent/needs/{}", f.a_talent_need), None, Refused),
        (
            "post",
            "/talent/needs/{id}/withdraw",
            |f| format!("/talent/needs/{}/withdraw", f.a_talent_need),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/needs/{id}/assign",
            |f| format!("/talent/needs/{}/assign", f.a_talent_need),
            Some(json!({"person_id": "1", "weekdays": "月", "date_from": "2025-10-01", "date_to": "2025-10-31"})),
            Refused,
        ),
        (
            "get",
            "/talent/pools/{id}/assignments",
            |f| format!("/talent/pools/{}/assignments", f.a_talent_pool),
            None,
            NoLeak,
        ),
        (
            "get",
            "/talent/assignments/{id}",
            |f| format!("/talent/assignments/{}?month=2025-09", f.a_talent_assignment),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/assignments/{id}/confirm",
            |f| format!("/talent/assignments/{}/confirm", f.a_talent_assignment),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/assignments/{id}/visits",
            |f| format!("/talent/assignments/{}/visits", f.a_talent_assignment),
            Some(json!({"visited_on": "2025-09-01", "hours": "7.75", "place": "on_site", "summary": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/talent/visits/{id}/confirm",
            |f| format!("/talent/visits/{}/confirm", f.a_talent_visit),
            None,
            Refused,
        ),
        // 下田市's monthly report asked for by 河津町: refused (its own, without `org`, answers).
        (
            "get",
            "/talent/pools/{id}/report",
            |f| format!("/talent/pools/{}/report?org={}&month=2025-09", f.a_talent_pool, f.a_org),
            None,
            Refused,
        ),
        ("get", "/talent/pools/{id}/advisors", |f| format!("/talent/pools/{}/advisors", f.a_talent_pool), None, NoLeak),
        (
            "post",
            "/talent/pools/{id}/advisors",
            |f| format!("/talent/pools/{}/advisors", f.a_talent_pool),
            Some(json!({"org_id": "A", "program": "dx_advice", "visited_on": "2025-10-01", "mode": "online",
                "hours": "2", "advisor_label": "助言者"})),
            NoLeak,
        ),
        ("get", "/talent/pools/{id}/grants", |f| format!("/talent/pools/{}/grants", f.a_talent_pool), None, NoLeak),
        (
            "post",
            "/talent/pools/{id}/grants",
            |f| format!("/talent/pools/{}/grants", f.a_talent_pool),
            Some(json!({"org_id": "A", "measure": "c", "fiscal_year": "2025"})),
            NoLeak,
        ),
        ("get", "/talent/grants/{id}", |f| format!("/talent/grants/{}", f.a_talent_grant), None, Refused),
        (
            "post",
            "/talent/grants/{id}/lines",
            |f| format!("/talent/grants/{}/lines", f.a_talent_grant),
            Some(json!({"kind": "cio_appointment", "label": "侵入", "amount": "1000000"})),
            Refused,
        ),
        (
            "post",
            "/talent/grant-lines/{id}/delete",
            |f| format!("/talent/grant-lines/{}/delete", f.a_talent_grant_line),
            None,
            Refused,
        ),
        (
            "post",
            "/talent/grants/{id}/settings",
            |f| format!("/talent/grants/{}/settings", f.a_talent_grant),
            Some(json!({"fiscal_year": "2026"})),
            Refused,
        ),
        ("post", "/talent/grants/{id}/fix", |f| format!("/talent/grants/{}/fix", f.a_talent_grant), None, Refused),
    ]
}
