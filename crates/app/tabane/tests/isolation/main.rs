//! 組織間の分離 (tenant isolation matrix). For every route in the route table that touches
//! tenant data there is an entry here saying how to aim it at another organisation's data.
//! A user of that other organisation must get 403/404 and see none of the secret markers.
//! The table is read from the real router's route table, so adding a route without an entry
//! fails `every_tenant_route_has_a_matrix_entry`.

use reqwest::StatusCode;
use serde_json::json;
use tabane::all_routes as platform_routes;
use tabane_testkit::{TestApp, User};
use tabane_web::routes::{Access, RouteDef};

/// Names that only organisation A (下田市) may see.
/// (下田市's demo assets are on 市道…; its work orders are in a bundle 河津町 is not in.)
const SECRETS: &[&str] = &[
    "秘密の部署A",
    "秘密の束A",
    "secret-a.pdf",
    "usera-secret",
    "市道",
    "白浜中央線",
    "直径約40cm",
    "伊豆 400 さ",
    "わだち掘れ",
    "県市共同発注",
    "南豆建設（代表者",
    "秘密の点検員",
    "秘密の提出物A",
    "秘密の版メモ",
    "県営 西諫早団地",
    "秘密の事業N",
    "分離棟",
    "秘密の支払先",
    "秘密のアンケートA",
    "秘密の住戸A",
    "秘密の苦情N",
    "秘密の会議体A",
    "秘密の会議A",
    "秘密の宿題A",
    "秘密の連携A",
    "秘密のヒアリングC",
    "秘密の打合せC",
    "秘密のニーズA",
    "秘密の試算A",
    "秘密の状況A",
    "秘密の助言A",
    "秘密の提案P",
    "秘密の募集A",
];

/// Ids of A's private records, created by the fixture.
struct Fixture {
    a_org: i64,
    a_dept: i64,
    a_bundle: i64,
    a_file: i64,
    a_user: i64,
    a_asset: i64,
    a_order: i64,
    a_patrol: i64,
    a_finding: i64,
    a_contract: i64,
    a_inspection: i64,
    a_inspection_member: i64,
    a_deliverable: i64,
    a_submission: i64,
    /// 長崎県's demo estate (B = 河津町 is in no housing bundle), with a campaign, a case and its move.
    a_estate: i64,
    a_campaign: i64,
    a_case: i64,
    a_leg: i64,
    a_lottery: i64,
    a_claim: i64,
    a_incident: i64,
    /// A survey of A shared with A's bundle, published, with one recipient.
    a_survey: i64,
    a_recipient: i64,
    /// A meeting series of A in A's bundle, a meeting of it and an action item.
    a_series: i64,
    a_meeting: i64,
    a_action: i64,
    /// A service account of A and its token.
    a_service_account: i64,
    a_token: i64,
    /// 長野県's demo council term (河津町 is neither a member nor the contractor), a meeting of
    /// it, and a hearing and a liaison entry added by the client.
    a_council_term: i64,
    a_council_meeting: i64,
    a_council_proposal: i64,
    a_council_hearing: i64,
    a_council_liaison: i64,
    /// 静岡県's demo talent pool (河津町 is a member), 下田市's need, grant sheet with a line,
    /// 状況把握 and advisor session added by the fixture, a person of the pool, the demo
    /// assignment to 下田市 and one of its visits.
    a_talent_pool: i64,
    a_talent_need: i64,
    a_talent_person: i64,
    a_talent_assignment: i64,
    a_talent_visit: i64,
    a_talent_grant: i64,
    a_talent_grant_line: i64,
    a_talent_status: i64,
    /// 渋谷区's demo platform (河津町 is outside it) and its records: a reception the fixture
    /// adds, a 登録団体限定 resource, an issue, a project with a KPI, a change request and an
    /// evaluation.
    a_pp_platform: i64,
    a_pp_contact: i64,
    a_pp_resource: i64,
    a_pp_issue: i64,
    a_pp_project: i64,
    a_pp_kpi: i64,
    a_pp_change: i64,
    a_pp_evaluation: i64,
    /// A pending self-registration on it.
    a_pp_registration: i64,
    /// 静岡県's position, an application to it and a 状況把握 survey of the pool (`talent_more`).
    a_talent_position: i64,
    a_talent_application: i64,
    a_talent_survey: i64,
}

#[derive(Clone, Copy)]
enum Expect {
    /// Must be refused (403 or 404).
    Refused,
    /// May answer, but must not contain any secret (lists, forms, own-organisation writes).
    NoLeak,
    /// Must fail with a client error (4xx) that reveals nothing.
    Rejected,
}

type PathFn = fn(&Fixture) -> String;

/// One matrix entry: (method, route pattern, concrete path, JSON/form body, expectation).
type Entry = (&'static str, &'static str, PathFn, Option<serde_json::Value>, Expect);

mod council;
mod housing;
mod infra;
mod partnership;
mod platform;
mod talent;
mod talent_more;
mod talent_pages;
mod visibility;

/// The whole matrix: the platform's entries, then each module's own (`isolation/<module>.rs`).
fn matrix() -> Vec<Entry> {
    [
        platform::entries(),
        infra::entries(),
        housing::entries(),
        council::entries(),
        talent::entries(),
        talent_pages::entries(),
        partnership::entries(),
        talent_more::entries(),
    ]
    .concat()
}

/// Tenant routes of `routes` that have no matrix entry.
/// 下田市's talent records (need, grant sheet and line, 状況把握, advisor session) and the demo's
/// pool, person, assignment to 下田市 and visit: [pool, need, person, assignment, visit, grant,
/// line, status].
async fn talent(app: &TestApp, a_org: i64) -> [i64; 8] {
    let a = app.login("shimoda-staff").await;
    let (_, pools) = a.get_json("/api/talent/pools").await;
    let pool = pools[0]["pool"]["id"].as_i64().unwrap();
    let base = format!("/api/talent/pools/{pool}");
    let (s, need) = a
        .send_json("post", &format!("{base}/needs"), json!({"theme": "庁内DX", "field": "データ利活用", "days_per_week": 1, "period_from": "2026-04-01", "period_to": "2027-03-31", "description": "秘密のニーズA"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{need}");
    let (s, g) = a.send_json("post", &format!("{base}/grants"), json!({"measure": "a", "fiscal_year": 2025})).await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let grant = g["sheet"]["id"].as_i64().unwrap();
    let (s, g) = a
        .send_json(
            "post",
            &format!("/api/talent/grants/{grant}/lines"),
            json!({"label": "秘密の試算A", "kind": "contribution", "amount": 1000}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{g}");
    let (s, st) = a
        .send_json(
            "post",
            &format!("{base}/statuses"),
            json!({"as_of": "2026-07-01", "population": 19000, "dx_heads": 1, "notes": "秘密の状況A"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{st}");
    let (s, v) = a
        .send_json(
            "post",
            &format!("{base}/advisor-visits"),
            json!({"program": "dx_advice", "visited_on": "2026-06-09", "advisor_label": "秘密の助言A"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let p = app.login("pref-staff").await;
    let (_, people) = p.get_json(&format!("{base}/persons")).await;
    let person = people[0]["person"]["id"].as_i64().unwrap();
    let (_, xs) = p.get_json(&format!("{base}/assignments")).await;
    let x =
        xs.as_array().unwrap().iter().find(|x| x["assignment"]["municipality_org_id"] == a_org).unwrap()["assignment"]
            ["id"]
            .as_i64()
            .unwrap();
    let (_, xv) = p.get_json(&format!("/api/talent/assignments/{x}?month=2025-09")).await;
    [
        pool,
        need["need"]["id"].as_i64().unwrap(),
        person,
        x,
        xv["month"]["visits"][0]["id"].as_i64().unwrap(),
        grant,
        g["lines"][0]["id"].as_i64().unwrap(),
        st["record"]["id"].as_i64().unwrap(),
    ]
}

/// 渋谷区's platform and records: [platform, contact, resource, issue, project, kpi, change,
/// evaluation].
async fn partnership(app: &TestApp) -> [i64; 9] {
    let w = app.login("koumin-window").await;
    let (_, ps) = w.get_json("/api/partnership/platforms").await;
    let p = ps[0]["platform"]["id"].as_i64().unwrap();
    let (s, c) = w
        .send_json(
            "post",
            &format!("/api/partnership/platforms/{p}/contacts"),
            json!({"proposer_label": "個人", "title": "秘密の提案P", "body": "秘密の提案P"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (_, rs) = w.get_json(&format!("/api/partnership/platforms/{p}/resources")).await;
    let resource =
        rs.as_array().unwrap().iter().find(|r| r["resource"]["visibility"] == "members").unwrap()["resource"]["id"]
            .as_i64()
            .unwrap();
    let (_, is) = w.get_json(&format!("/api/partnership/platforms/{p}/issues")).await;
    let (s, pr) = w
        .send_json(
            "post",
            &format!("/api/partnership/platforms/{p}/projects"),
            json!({"title": "秘密の提案P事業", "kind": "その他"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{pr}");
    let project = pr["id"].as_i64().unwrap();
    let (s, k) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{project}/kpis"),
            json!({"name": "件数", "target": "10"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    let (s, _) = w.send_json("post", &format!("/api/partnership/projects/{project}/sign"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, ch) = w
        .send_json(
            "post",
            &format!("/api/partnership/projects/{project}/changes"),
            json!({"kpi_id": k["id"], "target": "8", "reason": "見直し"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ch}");
    let (s, ev) = w
        .send_json("post", &format!("/api/partnership/projects/{project}/evaluations"), json!({"fiscal_year": 2025}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    let registration = tabane_partnership::service::registrations::apply(
        &app.db,
        p,
        &tabane_partnership::service::registrations::RegistrationForm {
            org_name: "秘密の提案P団体".into(),
            kind: "company".into(),
            contact_name: "秘密の提案P".into(),
            email: "p@example.jp".into(),
            login: "pp-applicant".into(),
            password: "a-long-password-2026".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    [
        p,
        c["contact"]["id"].as_i64().unwrap(),
        resource,
        is[0]["id"].as_i64().unwrap(),
        project,
        k["id"].as_i64().unwrap(),
        ch["id"].as_i64().unwrap(),
        ev["evaluation"]["id"].as_i64().unwrap(),
        registration,
    ]
}

fn uncovered(routes: &[RouteDef], entries: &[(&str, &str)]) -> Vec<String> {
    routes
        .iter()
        .filter(|r| r.access == Access::Tenant)
        .filter(|r| !entries.iter().any(|(m, p)| *m == r.method && *p == r.path))
        .map(|r| format!("{} {}", r.method.to_uppercase(), r.path))
        .collect()
}

fn entries() -> Vec<(&'static str, &'static str)> {
    matrix().into_iter().map(|(m, p, ..)| (m, p)).collect()
}

#[test]
fn every_tenant_route_has_a_matrix_entry() {
    let missing = uncovered(&platform_routes(), &entries());
    assert!(missing.is_empty(), "tenant routes without an isolation-matrix entry: {missing:?}");
}

#[test]
fn a_new_tenant_route_without_an_entry_is_detected() {
    let mut routes = platform_routes();
    routes.push(RouteDef::new(
        "get",
        "/api/new-module/things/{id}",
        Access::Tenant,
        "test",
        "a route someone forgot",
        axum::routing::get(|| async { "" }),
    ));
    assert_eq!(uncovered(&routes, &entries()), vec!["GET /api/new-module/things/{id}".to_string()]);
}

#[test]
fn matrix_entries_name_real_routes() {
    let routes = platform_routes();
    for (m, p) in entries() {
        assert!(routes.iter().any(|r| r.method == m && r.path == p), "matrix entry {m} {p} is not a route");
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    // A = 下田市 (shimoda-admin). It has a private department, a bundle with 静岡県 only
    // (not with 河津町), a file shared in that bundle, and a user.
    let a = app.login("shimoda-admin").await;
    let a_org = app.org_id("下田市").await;
    let (s, dept) = a
        .send_json(
            "post",
            "/api/orgs",
            json!({"kind": "department", "name": "秘密の部署A", "parent_id": a_org.to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{dept}");
    let (s, bundle) = a.send_json("post", "/api/bundles", json!({"name": "秘密の束A", "scheme": "agreement"})).await;
    assert_eq!(s, StatusCode::CREATED, "{bundle}");
    let a_bundle = bundle["id"].as_i64().unwrap();
    let pref = app.org_id("静岡県").await;
    let (s, v) = a.send_json("put", &format!("/api/bundles/{a_bundle}/members/{pref}"), json!({"role": "owner"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let r = a
        .post_file("/api/files", "secret-a.pdf", b"%PDF-1.4 secret".to_vec(), &[("bundle_id", &a_bundle.to_string())])
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let file: serde_json::Value = r.json().await.unwrap();
    let (s, u) = a
        .send_json(
            "post",
            "/api/users",
            json!({"login": "usera-secret", "display_name": "A利用者", "password": "a-password-123", "role": "staff"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tabane_infra::entities::{asset, contract, patrol, patrol_finding, work_order};
    let a_asset =
        asset::Entity::find().filter(asset::Column::OwnerOrgId.eq(a_org)).one(&app.db).await.unwrap().unwrap().id;
    let a_order = work_order::Entity::find()
        .filter(work_order::Column::OwnerOrgId.eq(a_org))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let a_finding = patrol_finding::Entity::find()
        .filter(patrol_finding::Column::OwnerOrgId.eq(a_org))
        .filter(patrol_finding::Column::WorkOrderId.is_null())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let a_patrol = patrol::Entity::find_by_id(a_finding.patrol_id).one(&app.db).await.unwrap().unwrap().id;
    let a_contract = contract::Entity::find().one(&app.db).await.unwrap().unwrap().id;
    let (s, insp) = a.send_json("post", "/api/infra/inspections", json!({"asset_id": a_asset.to_string(), "inspected_on": "2025-06-01", "grade": "II", "inspector": "秘密の点検員",
        "members": [{"member": "主桁", "judgement": "II", "defect": "腐食", "measure": "C1"}]})).await;
    assert_eq!(s, StatusCode::CREATED, "{insp}");
    let a_inspection = insp["id"].as_i64().unwrap();
    let (_, iv) = a.get_json(&format!("/api/infra/inspections/{a_inspection}")).await;
    let a_inspection_member = iv["members"][0]["row"]["id"].as_i64().unwrap();
    let a_estate = tabane_housing::entities::estate::Entity::find()
        .filter(tabane_housing::entities::estate::Column::Name.eq(tabane_housing::demo::ESTATE_NAME))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let n = app.login("nagasaki-staff").await;
    let (s, c) =
        n.send_json("post", "/api/housing/campaigns", json!({"estate_id": a_estate, "name": "秘密の事業N"})).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let a_campaign = c["id"].as_i64().unwrap();
    let (s, h) = n
        .send_json(
            "post",
            "/api/housing/cases",
            json!({"estate_id": a_estate, "building": "H", "room": "999", "size": 2, "campaign_id": a_campaign}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{h}");
    let a_case = h["id"].as_i64().unwrap();
    n.send_json("post", &format!("/api/housing/cases/{a_case}/classify"), json!({"class": "main"})).await;
    let (_, cv) = n.get_json(&format!("/api/housing/cases/{a_case}")).await;
    let a_leg = cv["legs"][0]["leg"]["id"].as_i64().unwrap();
    let (s, v) = n.send_json("post", &format!("/api/housing/estates/{a_estate}/buildings"), json!({"name": "分離棟", "role": "new_first", "floors": 1, "types": [{"layout": "2DK", "area_m2": 50.0, "count": 2}]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, q) =
        n.send_json("post", &format!("/api/housing/campaigns/{a_campaign}/questionnaire"), json!({"depth": 1})).await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let survey = q["survey_id"].as_i64().unwrap();
    let (_, sv) = n.get_json(&format!("/api/surveys/{survey}")).await;
    let rid = sv["recipients"][0]["id"].as_i64().unwrap();
    let unit = sv["questions"].as_array().unwrap().iter().find(|q| q["code"] == "wishes").unwrap()["options"][0]["key"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, v) = n
        .send_json(
            "put",
            &format!("/api/surveys/{survey}/responses/{rid}"),
            json!({"answers": {"class": "main", "wishes": [unit], "size": 2}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, lot) = n
        .send_json(
            "post",
            &format!("/api/housing/campaigns/{a_campaign}/lotteries"),
            json!({"name": "秘密の事業Nの抽選", "announced": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{lot}");
    let a_lottery = lot["lottery"]["id"].as_i64().unwrap();
    let (s, v) = n.send_json("post", "/api/housing/costs/items", json!({"estate": a_estate, "item": "秘密の実費", "amount": 1000, "payee": "秘密の支払先", "paid_on": "2028-06-01", "evidence_note": "r1"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) =
        n.send_json("post", "/api/housing/costs/claims", json!({"estate": a_estate, "fiscal_year": 2028})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let a_claim = v["id"].as_i64().unwrap();
    let (s, inc) = n.send_json("post", "/api/housing/incidents", json!({"estate_id": a_estate, "kind": "complaint", "urgent": true, "in_scope": true, "received_on": "2027-05-01", "summary": "秘密の苦情N", "case_id": a_case})).await;
    assert_eq!(s, StatusCode::OK, "{inc}");
    let a_incident = inc["id"].as_i64().unwrap();
    // A deliverable of A's bundle: 下田市 approves, 静岡県 submits (due long ago: overdue).
    let (s, d) = a.send_json("post", "/api/deliverables", json!({"bundle_id": a_bundle.to_string(), "submitter_org_id": pref.to_string(), "code": "A-1", "title": "秘密の提出物A",
        "needs_approval": true, "due_date": "2020-01-31"})).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let a_deliverable = d["id"].as_i64().unwrap();
    let p = app.login("pref-admin").await;
    let (s, sub) = p
        .send_json("post", &format!("/api/deliverables/{a_deliverable}/submit"), json!({"note": "秘密の版メモ"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sub}");
    let (s, sv) = a
        .send_json(
            "post",
            "/api/surveys",
            json!({"title": "秘密のアンケートA", "bundle_id": a_bundle.to_string(), "module": "housing"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sv}");
    let a_survey = sv["id"].as_i64().unwrap();
    let (s, v) = a.send_json("post", &format!("/api/surveys/{a_survey}/questions"), json!({"code": "class", "kind": "single", "label": "移転の意向", "options": [{"key": "main", "label": "本移転"}]})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = a
        .send_json(
            "post",
            &format!("/api/surveys/{a_survey}/recipients"),
            json!({"recipients": [{"subject_ref": "housing_case:1", "label": "秘密の住戸A"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let a_recipient = v[0]["id"].as_i64().unwrap();
    let (s, v) = a.send_json("post", &format!("/api/surveys/{a_survey}/publish"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, series) = a
        .send_json("post", "/api/meetings/series", json!({"title": "秘密の会議体A", "bundle_id": a_bundle.to_string()}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{series}");
    let a_series = series["id"].as_i64().unwrap();
    let (s, mtg) = a
        .send_json(
            "post",
            &format!("/api/meetings/series/{a_series}/meetings"),
            json!({"title": "秘密の会議A", "date": "2027-06-15"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{mtg}");
    let a_meeting = mtg["meeting"]["id"].as_i64().unwrap();
    let (s, act) =
        a.send_json("post", &format!("/api/meetings/{a_meeting}/actions"), json!({"text": "秘密の宿題A"})).await;
    assert_eq!(s, StatusCode::CREATED, "{act}");
    let a_action = act["id"].as_i64().unwrap();
    let (s, sa) =
        a.send_json("post", "/api/service-accounts", json!({"name": "秘密の連携A", "scopes": ["infra:read"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{sa}");
    let ns = app.login("shinshu-staff").await;
    let (_, terms) = ns.get_json("/api/council/terms").await;
    let a_council_term = terms["terms"][0]["term"]["id"].as_i64().unwrap();
    let (_, tv) = ns.get_json(&format!("/api/council/terms/{a_council_term}")).await;
    let a_council_meeting = tv["meetings"][0]["meeting"]["id"].as_i64().unwrap();
    let (_, ps) = ns.get_json(&format!("/api/council/terms/{a_council_term}/proposals")).await;
    let a_council_proposal = ps[0]["proposal"]["id"].as_i64().unwrap();
    let (s, h) = ns
        .send_json(
            "post",
            &format!("/api/council/terms/{a_council_term}/hearings"),
            json!({"kind": "company", "label": "秘密のヒアリングC", "mode": "online"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let (s, l) = ns
        .send_json(
            "post",
            &format!("/api/council/terms/{a_council_term}/liaison"),
            json!({"held_on": "2025-07-02", "kind": "change", "topics": "秘密の打合せC"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let t = talent(app, a_org).await;
    let pp = partnership(app).await;
    let [a_talent_position, a_talent_application, a_talent_survey] = talent_more::records(app).await;
    Fixture {
        a_pp_platform: pp[0],
        a_pp_contact: pp[1],
        a_pp_resource: pp[2],
        a_pp_issue: pp[3],
        a_pp_project: pp[4],
        a_pp_kpi: pp[5],
        a_pp_change: pp[6],
        a_pp_evaluation: pp[7],
        a_pp_registration: pp[8],
        a_talent_position,
        a_talent_application,
        a_talent_survey,
        a_talent_pool: t[0],
        a_talent_need: t[1],
        a_talent_person: t[2],
        a_talent_assignment: t[3],
        a_talent_visit: t[4],
        a_talent_grant: t[5],
        a_talent_grant_line: t[6],
        a_talent_status: t[7],
        a_council_term,
        a_council_meeting,
        a_council_proposal,
        a_council_hearing: h["hearing"]["id"].as_i64().unwrap(),
        a_council_liaison: l["entry"]["id"].as_i64().unwrap(),
        a_service_account: sa["service_account_id"].as_i64().unwrap(),
        a_token: sa["token_id"].as_i64().unwrap(),
        a_series,
        a_meeting,
        a_action,
        a_deliverable,
        a_submission: sub["id"].as_i64().unwrap(),
        a_org,
        a_dept: dept["id"].as_i64().unwrap(),
        a_bundle,
        a_file: file["id"].as_i64().unwrap(),
        a_user: u["id"].as_i64().unwrap(),
        a_asset,
        a_order,
        a_patrol,
        a_finding: a_finding.id,
        a_contract,
        a_inspection,
        a_inspection_member,
        a_estate,
        a_campaign,
        a_case,
        a_leg,
        a_lottery,
        a_claim,
        a_incident,
        a_survey,
        a_recipient,
    }
}

async fn call(
    u: &User,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
    b_org: i64,
    a_org: i64,
    a_bundle: i64,
    a_asset: i64,
) -> (StatusCode, String) {
    let fill = |v: serde_json::Value| -> serde_json::Value {
        let s = v
            .to_string()
            .replace("\"A\"", &format!("\"{a_org}\""))
            .replace("\"B\"", &format!("\"{b_org}\""))
            .replace("\"A_BUNDLE\"", &format!("\"{a_bundle}\""))
            .replace("\"A_ASSET\"", &format!("\"{a_asset}\""));
        serde_json::from_str(&s).unwrap()
    };
    let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let r = if path.starts_with("/api/files") && method == "post" {
        // Upload into A's bundle.
        u.post_file(path, "x.pdf", b"%PDF-1.4 x".to_vec(), &[("bundle_id", "A_BUNDLE")]).await
    } else if path.ends_with("/photos") {
        u.post_file(path, "x.png", b"\x89PNG\r\n\x1a\n0000".to_vec(), &[("phase", "after")]).await
    } else if path.starts_with("/api/") {
        let mut req = u.client.request(m, u.url(path)).header("x-csrf-token", &u.csrf);
        if let Some(b) = body {
            req = req.json(&fill(b));
        }
        req.send().await.unwrap()
    } else if method == "get" {
        u.get(path).await
    } else if path.ends_with("/agreement") || path == "/infra/assets/import" {
        u.post_file(path, "x.pdf", b"%PDF-1.4 x".to_vec(), &[]).await
    } else {
        let v = body.map(fill).unwrap_or(json!({}));
        let fields: Vec<(String, String)> = v
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
            .unwrap_or_default();
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        u.post_form(path, &refs).await
    };
    let status = r.status();
    let bytes = r.bytes().await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Runs every matrix entry (only the `/api/` ones with `api_only`) as `b`, an actor of B =
/// 河津町; answers the failures.
async fn probe(f: &Fixture, b: &User, b_org: i64, api_only: bool) -> Vec<String> {
    let mut failures = Vec::new();
    for (method, pattern, path_fn, body, expect) in matrix() {
        if api_only && !pattern.starts_with("/api/") {
            continue;
        }
        let body = body.map(|b| {
            serde_json::from_str(
                &b.to_string()
                    .replace("\"A_ESTATE_N\"", &f.a_estate.to_string())
                    .replace("\"A_ESTATE\"", &format!("\"{}\"", f.a_estate)),
            )
            .unwrap()
        });
        let path = path_fn(f);
        let (status, text) = if pattern == "/api/files" {
            let r = b
                .post_file("/api/files", "x.pdf", b"%PDF-1.4 x".to_vec(), &[("bundle_id", &f.a_bundle.to_string())])
                .await;
            let s = r.status();
            (s, r.text().await.unwrap())
        } else {
            call(b, method, &path, body, b_org, f.a_org, f.a_bundle, f.a_asset).await
        };
        let leaked: Vec<&&str> = SECRETS.iter().filter(|s| text.contains(**s)).collect();
        if !leaked.is_empty() {
            failures.push(format!("{method} {path}: leaked {leaked:?}"));
        }
        if let Expect::Refused = expect {
            if status != StatusCode::FORBIDDEN && status != StatusCode::NOT_FOUND {
                failures.push(format!("{method} {path}: expected 403/404, got {status}"));
            }
        } else if let Expect::Rejected = expect {
            if !status.is_client_error() {
                failures.push(format!("{method} {path}: expected a client error, got {status}"));
            }
        } else if status.is_server_error() {
            failures.push(format!("{method} {path}: server error {status}"));
        }
    }
    failures
}

#[tokio::test]
async fn another_organisation_is_refused_on_every_tenant_route() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    // B = 河津町: an administrator, not in A's bundle.
    let b = app.login("kawazu-admin").await;
    let b_org = app.org_id("河津町").await;
    let failures = probe(&f, &b, b_org, false).await;
    assert!(failures.is_empty(), "isolation failures:\n{}", failures.join("\n"));

    // And the other way round: A still sees its own records (the probes were meaningful).
    let a = app.login("shimoda-admin").await;
    assert_eq!(a.get(&format!("/orgs/{}", f.a_dept)).await.status(), StatusCode::OK);
    assert_eq!(a.get(&format!("/files/{}", f.a_file)).await.status(), StatusCode::OK);
    assert!(a.get("/audit").await.text().await.unwrap().contains("秘密の部署A"));
    assert_eq!(a.get(&format!("/infra/work-orders/{}", f.a_order)).await.status(), StatusCode::OK);
    assert!(a.get(&format!("/deliverables/{}", f.a_deliverable)).await.text().await.unwrap().contains("秘密の版メモ"));
    assert!(a.get("/infra/assets?q=市道").await.text().await.unwrap().contains("白浜中央線"));
    assert!(a.get(&format!("/surveys/{}", f.a_survey)).await.text().await.unwrap().contains("秘密の住戸A"));
}

/// The same matrix through `/api/` with a service account's token of B: a token reads and
/// writes with B's rights, never A's, whatever its scopes.
#[tokio::test]
async fn a_token_of_another_organisation_is_refused_on_every_api_route() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    let b_admin = app.login("kawazu-admin").await;
    let b_org = app.org_id("河津町").await;
    let (s, v) = b_admin
        .send_json(
            "post",
            "/api/service-accounts",
            json!({"name": "B連携", "scopes": ["platform:write", "infra:write", "housing:write"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let b = app.with_token(v["token"].as_str().unwrap());
    let (s, me) = b.get_json("/api/me").await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["acting_org_id"], b_org, "the token acts for B");
    let failures = probe(&f, &b, b_org, true).await;
    assert!(failures.is_empty(), "isolation failures with B's token:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn a_bundle_grants_access_to_its_members_only() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    // 静岡県 is in A's bundle: it sees the bundle and the file shared in it, not A's department.
    let pref = app.login("pref-admin").await;
    assert_eq!(pref.get(&format!("/api/bundles/{}", f.a_bundle)).await.status(), StatusCode::OK);
    assert_eq!(pref.get(&format!("/files/{}", f.a_file)).await.status(), StatusCode::OK);
    assert_eq!(pref.get(&format!("/api/orgs/{}", f.a_dept)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(pref.get(&format!("/api/surveys/{}", f.a_survey)).await.status(), StatusCode::OK);
    // The JV is not in A's bundle.
    let jv = app.login("jv-staff").await;
    assert_eq!(jv.get(&format!("/api/bundles/{}", f.a_bundle)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(jv.get(&format!("/files/{}", f.a_file)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(jv.get(&format!("/api/surveys/{}", f.a_survey)).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn system_admin_routes_refuse_tenant_admins() {
    let app = TestApp::spawn().await;
    let b = app.login("kawazu-admin").await;
    for r in platform_routes().iter().filter(|r| r.access == Access::SystemAdmin) {
        let path = r.path.to_string();
        let resp = if r.method == "get" { b.get(&path).await } else { b.post_form(&path, &[]).await };
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{} {}", r.method, r.path);
    }
}

#[tokio::test]
async fn signed_out_requests_are_sent_to_login_or_refused() {
    let app = TestApp::spawn().await;
    let c = app.anon();
    for r in platform_routes().iter().filter(|r| r.access != Access::Public) {
        if r.method != "get" {
            continue;
        }
        let path = r.path.replace("{id}", "1").replace("{org_id}", "1");
        let resp = c.get(app.url(&path)).send().await.unwrap();
        if path.starts_with("/api/") {
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        } else {
            assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{path}");
            assert!(resp.headers()["location"].to_str().unwrap().starts_with("/login"), "{path}");
        }
    }
}

/// The contractor sees the work, never the resident who reported it: every infra read route is
/// called as the JV and none may show the reporter's name, e-mail or phone.
#[tokio::test]
async fn the_contractor_never_sees_a_residents_identity() {
    let app = TestApp::spawn().await;
    let r = app
        .anon()
        .post(app.url("/open311/v2/requests.json"))
        .form(&[
            ("api_key", tabane_infra::demo::DEMO_OPEN311_KEY),
            ("service_code", "streetlight"),
            ("lat", "34.676"),
            ("long", "138.956"),
            ("first_name", "秘匿子"),
            ("last_name", "住民"),
            ("email", "hitoku@example.jp"),
            ("phone", "090-0000-1234"),
            ("description", "街灯が消えている"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: serde_json::Value = r.json().await.unwrap();
    let id = v[0]["service_request_id"].as_str().unwrap().to_string();
    let identity = ["秘匿子", "hitoku@example.jp", "090-0000-1234"];
    let jv = app.login("jv-staff").await;
    let month = tabane_infra::service::work_orders::today_jst().format("%Y-%m").to_string();
    let paths = [
        format!("/api/infra/work-orders/{id}"),
        format!("/infra/work-orders/{id}"),
        format!("/infra/work-orders/{id}/photo-ledger"),
        "/api/infra/work-orders".to_string(),
        "/infra/work-orders".to_string(),
        "/api/infra/map".to_string(),
        "/infra".to_string(),
        format!("/infra/photo-ledger?month={month}"),
        "/api/audit".to_string(),
        format!("/open311/v2/requests/{id}.json"),
        "/open311/v2/servicerequestupdates.xml".to_string(),
    ];
    for p in &paths {
        let body = jv.get(p).await.text().await.unwrap();
        for secret in identity {
            assert!(!body.contains(secret), "{p} shows {secret} to the contractor");
        }
    }
    // Whereas the owner it was routed to sees it.
    let (_, wo) = jv.get_json(&format!("/api/infra/work-orders/{id}")).await;
    let owner = wo["owner_name"].as_str().unwrap().to_string();
    let login = if owner == "下田市" { "shimoda-staff" } else { "pref-staff" };
    let o = app.login(login).await;
    assert!(o.get(&format!("/api/infra/work-orders/{id}")).await.text().await.unwrap().contains("hitoku@example.jp"));
}
