//! 組織間の分離 (tenant isolation matrix). For every route in the route table that touches
//! tenant data there is an entry here saying how to aim it at another organisation's data.
//! A user of that other organisation must get 403/404 and see none of the secret markers.
//! The table is read from the real router's route table, so adding a route without an entry
//! fails `every_tenant_route_has_a_matrix_entry`.

mod common;

use common::{TestApp, User};
use reqwest::StatusCode;
use serde_json::json;
use tabane::all_routes as platform_routes;
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

/// (method, route pattern, concrete path, JSON/form body, expectation)
fn matrix() -> Vec<(&'static str, &'static str, PathFn, Option<serde_json::Value>, Expect)> {
    use Expect::*;
    vec![
        ("get", "/orgs", |_| "/orgs?q=秘密".into(), None, NoLeak),
        ("get", "/orgs/new", |_| "/orgs/new".into(), None, NoLeak),
        (
            "post",
            "/orgs",
            |_| "/orgs".into(),
            Some(json!({"kind": "department", "name": "侵入", "parent_id": "A"})),
            Refused,
        ),
        ("get", "/orgs/export", |_| "/orgs/export".into(), None, NoLeak),
        ("get", "/orgs/{id}", |f| format!("/orgs/{}", f.a_dept), None, Refused),
        ("get", "/orgs/{id}/edit", |f| format!("/orgs/{}/edit", f.a_org), None, Refused),
        (
            "post",
            "/orgs/{id}",
            |f| format!("/orgs/{}", f.a_org),
            Some(json!({"kind": "municipality", "name": "乗っ取り", "lg_code": "222194"})),
            Refused,
        ),
        ("get", "/api/orgs", |_| "/api/orgs?q=秘密".into(), None, NoLeak),
        (
            "post",
            "/api/orgs",
            |_| "/api/orgs".into(),
            Some(json!({"kind": "department", "name": "侵入", "parent_id": "A"})),
            Refused,
        ),
        ("get", "/api/orgs/{id}", |f| format!("/api/orgs/{}", f.a_dept), None, Refused),
        (
            "put",
            "/api/orgs/{id}",
            |f| format!("/api/orgs/{}", f.a_dept),
            Some(json!({"kind": "department", "name": "乗っ取り", "parent_id": "A"})),
            Refused,
        ),
        ("get", "/bundles", |_| "/bundles".into(), None, NoLeak),
        ("get", "/bundles/new", |_| "/bundles/new".into(), None, NoLeak),
        ("post", "/bundles", |_| "/bundles".into(), Some(json!({"name": "Bの束", "scheme": "council"})), NoLeak),
        ("get", "/bundles/{id}", |f| format!("/bundles/{}", f.a_bundle), None, Refused),
        (
            "post",
            "/bundles/{id}",
            |f| format!("/bundles/{}", f.a_bundle),
            Some(json!({"name": "乗っ取り", "scheme": "council"})),
            Refused,
        ),
        (
            "post",
            "/bundles/{id}/members",
            |f| format!("/bundles/{}/members", f.a_bundle),
            Some(json!({"org_id": "B", "role": "owner"})),
            Refused,
        ),
        (
            "post",
            "/bundles/{id}/members/{org_id}/remove",
            |f| format!("/bundles/{}/members/{}/remove", f.a_bundle, f.a_org),
            None,
            Refused,
        ),
        ("post", "/bundles/{id}/agreement", |f| format!("/bundles/{}/agreement", f.a_bundle), None, Refused),
        ("get", "/api/bundles", |_| "/api/bundles".into(), None, NoLeak),
        (
            "post",
            "/api/bundles",
            |_| "/api/bundles".into(),
            Some(json!({"name": "Bの束", "scheme": "council"})),
            NoLeak,
        ),
        ("get", "/api/bundles/{id}", |f| format!("/api/bundles/{}", f.a_bundle), None, Refused),
        (
            "put",
            "/api/bundles/{id}",
            |f| format!("/api/bundles/{}", f.a_bundle),
            Some(json!({"name": "乗っ取り", "scheme": "council"})),
            Refused,
        ),
        (
            "put",
            "/api/bundles/{id}/members/{org_id}",
            |f| format!("/api/bundles/{}/members/{}", f.a_bundle, f.a_org),
            Some(json!({"role": "observer"})),
            Refused,
        ),
        (
            "delete",
            "/api/bundles/{id}/members/{org_id}",
            |f| format!("/api/bundles/{}/members/{}", f.a_bundle, f.a_org),
            None,
            Refused,
        ),
        ("get", "/files/{id}", |f| format!("/files/{}", f.a_file), None, Refused),
        ("post", "/api/files", |_| "/api/files".into(), None, Refused),
        ("get", "/api/files/{id}", |f| format!("/api/files/{}", f.a_file), None, Refused),
        ("get", "/users", |_| "/users".into(), None, NoLeak),
        (
            "post",
            "/users",
            |_| "/users".into(),
            Some(json!({"login": "b-new", "display_name": "B新人", "password": "b-password-123", "role": "viewer"})),
            NoLeak,
        ),
        ("post", "/users/{id}/role", |f| format!("/users/{}/role", f.a_user), Some(json!({"role": "admin"})), Refused),
        ("get", "/api/users", |_| "/api/users".into(), None, NoLeak),
        (
            "post",
            "/api/users",
            |_| "/api/users".into(),
            Some(json!({"login": "b-new2", "display_name": "B新人2", "password": "b-password-123", "role": "viewer"})),
            NoLeak,
        ),
        (
            "put",
            "/api/users/{id}/role",
            |f| format!("/api/users/{}/role", f.a_user),
            Some(json!({"role": "admin"})),
            Refused,
        ),
        // 提出物
        ("get", "/deliverables", |_| "/deliverables".into(), None, NoLeak),
        (
            "post",
            "/deliverables",
            |_| "/deliverables".into(),
            Some(json!({"bundle_id": "A_BUNDLE", "submitter_org_id": "B", "code": "X-1", "title": "侵入"})),
            Refused,
        ),
        ("get", "/deliverables/{id}", |f| format!("/deliverables/{}", f.a_deliverable), None, Refused),
        (
            "post",
            "/deliverables/{id}/anchor",
            |f| format!("/deliverables/{}/anchor", f.a_deliverable),
            Some(json!({"anchor_date": "2027-01-01"})),
            Refused,
        ),
        (
            "post",
            "/deliverables/{id}/submit",
            |f| format!("/deliverables/{}/submit", f.a_deliverable),
            Some(json!({"note": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/deliverables/{id}/reopen",
            |f| format!("/deliverables/{}/reopen", f.a_deliverable),
            Some(json!({"reason": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/deliverables/submissions/{id}/decide",
            |f| format!("/deliverables/submissions/{}/decide", f.a_submission),
            Some(json!({"decision": "approved"})),
            Refused,
        ),
        ("get", "/api/deliverables", |_| "/api/deliverables".into(), None, NoLeak),
        (
            "post",
            "/api/deliverables",
            |_| "/api/deliverables".into(),
            Some(json!({"bundle_id": "A_BUNDLE", "submitter_org_id": "B", "code": "X-1", "title": "侵入"})),
            Refused,
        ),
        ("get", "/api/deliverables/overdue", |_| "/api/deliverables/overdue?today=2099-01-01".into(), None, NoLeak),
        ("get", "/api/deliverables/{id}", |f| format!("/api/deliverables/{}", f.a_deliverable), None, Refused),
        (
            "put",
            "/api/deliverables/{id}/anchor",
            |f| format!("/api/deliverables/{}/anchor", f.a_deliverable),
            Some(json!({"anchor_date": "2027-01-01"})),
            Refused,
        ),
        (
            "post",
            "/api/deliverables/{id}/instances",
            |f| format!("/api/deliverables/{}/instances", f.a_deliverable),
            Some(json!({"period": "2027-04"})),
            Refused,
        ),
        (
            "post",
            "/api/deliverables/{id}/submit",
            |f| format!("/api/deliverables/{}/submit", f.a_deliverable),
            Some(json!({"note": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/api/deliverables/{id}/reopen",
            |f| format!("/api/deliverables/{}/reopen", f.a_deliverable),
            Some(json!({"reason": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/api/deliverables/submissions/{id}/decide",
            |f| format!("/api/deliverables/submissions/{}/decide", f.a_submission),
            Some(json!({"decision": "approved"})),
            Refused,
        ),
        ("get", "/audit", |_| "/audit".into(), None, NoLeak),
        ("get", "/audit/export", |_| "/audit/export".into(), None, NoLeak),
        ("get", "/api/audit", |_| "/api/audit".into(), None, NoLeak),
        // アンケート
        ("get", "/surveys", |_| "/surveys".into(), None, NoLeak),
        (
            "post",
            "/surveys",
            |_| "/surveys".into(),
            Some(json!({"title": "侵入アンケート", "bundle_id": "A_BUNDLE"})),
            Rejected,
        ),
        ("get", "/surveys/{id}", |f| format!("/surveys/{}", f.a_survey), None, Refused),
        (
            "post",
            "/surveys/{id}/questions",
            |f| format!("/surveys/{}/questions", f.a_survey),
            Some(json!({"code": "x", "kind": "text", "label": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/surveys/{id}/recipients",
            |f| format!("/surveys/{}/recipients", f.a_survey),
            Some(json!({"lines": "org:1,侵入"})),
            Refused,
        ),
        ("post", "/surveys/{id}/publish", |f| format!("/surveys/{}/publish", f.a_survey), None, Refused),
        ("post", "/surveys/{id}/close", |f| format!("/surveys/{}/close", f.a_survey), None, Refused),
        (
            "get",
            "/surveys/{id}/responses/{rid}",
            |f| format!("/surveys/{}/responses/{}", f.a_survey, f.a_recipient),
            None,
            Refused,
        ),
        (
            "post",
            "/surveys/{id}/responses/{rid}",
            |f| format!("/surveys/{}/responses/{}", f.a_survey, f.a_recipient),
            Some(json!({"q_class": "main"})),
            Refused,
        ),
        (
            "post",
            "/surveys/{id}/responses/{rid}/followups",
            |f| format!("/surveys/{}/responses/{}/followups", f.a_survey, f.a_recipient),
            Some(json!({"method": "phone", "outcome": "侵入"})),
            Refused,
        ),
        ("get", "/surveys/{id}/non-respondents", |f| format!("/surveys/{}/non-respondents", f.a_survey), None, Refused),
        ("get", "/surveys/{id}/results", |f| format!("/surveys/{}/results", f.a_survey), None, Refused),
        ("get", "/surveys/{id}/export", |f| format!("/surveys/{}/export?format=csv", f.a_survey), None, Refused),
        ("get", "/api/surveys", |_| "/api/surveys".into(), None, NoLeak),
        (
            "post",
            "/api/surveys",
            |_| "/api/surveys".into(),
            Some(json!({"title": "侵入アンケート", "bundle_id": "A_BUNDLE"})),
            Rejected,
        ),
        ("get", "/api/surveys/{id}", |f| format!("/api/surveys/{}", f.a_survey), None, Refused),
        (
            "post",
            "/api/surveys/{id}/questions",
            |f| format!("/api/surveys/{}/questions", f.a_survey),
            Some(json!({"code": "x", "kind": "text", "label": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/api/surveys/{id}/recipients",
            |f| format!("/api/surveys/{}/recipients", f.a_survey),
            Some(json!({"recipients": [{"subject_ref": "org:1", "label": "侵入"}]})),
            Refused,
        ),
        ("post", "/api/surveys/{id}/publish", |f| format!("/api/surveys/{}/publish", f.a_survey), None, Refused),
        ("post", "/api/surveys/{id}/close", |f| format!("/api/surveys/{}/close", f.a_survey), None, Refused),
        ("get", "/api/surveys/{id}/responses", |f| format!("/api/surveys/{}/responses", f.a_survey), None, Refused),
        (
            "get",
            "/api/surveys/{id}/responses/{rid}",
            |f| format!("/api/surveys/{}/responses/{}", f.a_survey, f.a_recipient),
            None,
            Refused,
        ),
        (
            "put",
            "/api/surveys/{id}/responses/{rid}",
            |f| format!("/api/surveys/{}/responses/{}", f.a_survey, f.a_recipient),
            Some(json!({"answers": {"class": "main"}})),
            Refused,
        ),
        (
            "post",
            "/api/surveys/{id}/responses/{rid}/followups",
            |f| format!("/api/surveys/{}/responses/{}/followups", f.a_survey, f.a_recipient),
            Some(json!({"method": "phone", "outcome": "侵入"})),
            Refused,
        ),
        (
            "get",
            "/api/surveys/{id}/non-respondents",
            |f| format!("/api/surveys/{}/non-respondents", f.a_survey),
            None,
            Refused,
        ),
        ("get", "/api/surveys/{id}/results", |f| format!("/api/surveys/{}/results", f.a_survey), None, Refused),
        // 群マネ
        ("get", "/infra", |_| "/infra".into(), None, NoLeak),
        ("get", "/infra/assets", |_| "/infra/assets?q=白浜".into(), None, NoLeak),
        (
            "post",
            "/infra/assets",
            |_| "/infra/assets".into(),
            Some(json!({"kind": "bridge", "name": "河津の橋"})),
            NoLeak,
        ),
        ("get", "/infra/assets/import", |_| "/infra/assets/import".into(), None, NoLeak),
        ("post", "/infra/assets/import", |_| "/infra/assets/import".into(), None, NoLeak),
        ("get", "/infra/assets/export", |_| "/infra/assets/export?format=geojson".into(), None, NoLeak),
        ("post", "/api/infra/assets/import", |_| "/api/infra/assets/import?filename=a.csv".into(), None, Rejected),
        ("get", "/infra/assets/{id}", |f| format!("/infra/assets/{}", f.a_asset), None, Refused),
        (
            "post",
            "/infra/assets/{id}",
            |f| format!("/infra/assets/{}", f.a_asset),
            Some(json!({"kind": "bridge", "name": "乗っ取り"})),
            Refused,
        ),
        ("get", "/infra/work-orders", |_| "/infra/work-orders".into(), None, NoLeak),
        (
            "post",
            "/infra/work-orders",
            |_| "/infra/work-orders".into(),
            Some(json!({"owner_org_id": "A", "category": "侵入", "description": "他団体の作業"})),
            Rejected,
        ),
        ("get", "/infra/work-orders/{id}", |f| format!("/infra/work-orders/{}", f.a_order), None, Refused),
        (
            "post",
            "/infra/work-orders/{id}/step",
            |f| format!("/infra/work-orders/{}/step", f.a_order),
            Some(json!({"action": "confirm"})),
            Refused,
        ),
        (
            "post",
            "/infra/work-orders/{id}/split",
            |f| format!("/infra/work-orders/{}/split", f.a_order),
            Some(json!({"other_owner_org_id": "B", "share_percent": "50"})),
            Refused,
        ),
        (
            "post",
            "/api/infra/work-orders/{id}/split",
            |f| format!("/api/infra/work-orders/{}/split", f.a_order),
            Some(json!({"other_owner_org_id": "B", "share_percent": "50"})),
            Refused,
        ),
        (
            "post",
            "/infra/work-orders/{id}/photos",
            |f| format!("/infra/work-orders/{}/photos", f.a_order),
            None,
            Refused,
        ),
        ("get", "/infra/ledger", |_| "/infra/ledger".into(), None, NoLeak),
        ("get", "/infra/ledger/export", |_| "/infra/ledger/export".into(), None, NoLeak),
        ("get", "/api/infra/assets", |_| "/api/infra/assets?q=白浜".into(), None, NoLeak),
        (
            "post",
            "/api/infra/assets",
            |_| "/api/infra/assets".into(),
            Some(json!({"kind": "bridge", "name": "河津の橋2"})),
            NoLeak,
        ),
        ("get", "/api/infra/assets/{id}", |f| format!("/api/infra/assets/{}", f.a_asset), None, Refused),
        ("get", "/api/infra/work-orders", |_| "/api/infra/work-orders".into(), None, NoLeak),
        (
            "post",
            "/api/infra/work-orders",
            |_| "/api/infra/work-orders".into(),
            Some(json!({"owner_org_id": "A", "category": "侵入", "description": "他団体の作業"})),
            Rejected,
        ),
        ("get", "/api/infra/work-orders/{id}", |f| format!("/api/infra/work-orders/{}", f.a_order), None, Refused),
        (
            "post",
            "/api/infra/work-orders/{id}/step",
            |f| format!("/api/infra/work-orders/{}/step", f.a_order),
            Some(json!({"action": "confirm"})),
            Refused,
        ),
        (
            "post",
            "/api/infra/work-orders/{id}/photos",
            |f| format!("/api/infra/work-orders/{}/photos", f.a_order),
            None,
            Refused,
        ),
        ("get", "/api/infra/ledger", |_| "/api/infra/ledger".into(), None, NoLeak),
        ("get", "/api/infra/map", |_| "/api/infra/map".into(), None, NoLeak),
        ("get", "/infra/patrols", |_| "/infra/patrols".into(), None, NoLeak),
        (
            "post",
            "/infra/patrols",
            |_| "/infra/patrols".into(),
            Some(json!({"patrol_date": "2026-11-01", "owner_ids": "A"})),
            Rejected,
        ),
        ("get", "/infra/patrols/{id}", |f| format!("/infra/patrols/{}", f.a_patrol), None, Refused),
        (
            "post",
            "/infra/patrols/{id}/findings",
            |f| format!("/infra/patrols/{}/findings", f.a_patrol),
            Some(json!({"owner_org_id": "A", "category": "x", "description": "y"})),
            Refused,
        ),
        (
            "post",
            "/infra/patrols/{id}/findings/{finding_id}/work-order",
            |f| format!("/infra/patrols/{}/findings/{}/work-order", f.a_patrol, f.a_finding),
            None,
            Refused,
        ),
        ("get", "/infra/patrol-diary", |f| format!("/infra/patrol-diary?owner={}", f.a_org), None, Refused),
        (
            "get",
            "/infra/patrol-diary/export",
            |f| format!("/infra/patrol-diary/export?owner={}", f.a_org),
            None,
            Refused,
        ),
        ("get", "/api/infra/patrols", |_| "/api/infra/patrols".into(), None, NoLeak),
        (
            "post",
            "/api/infra/patrols",
            |_| "/api/infra/patrols".into(),
            Some(json!({"patrol_date": "2026-11-01", "owner_ids": "A"})),
            Rejected,
        ),
        ("get", "/api/infra/patrols/{id}", |f| format!("/api/infra/patrols/{}", f.a_patrol), None, Refused),
        (
            "post",
            "/api/infra/patrols/{id}/findings",
            |f| format!("/api/infra/patrols/{}/findings", f.a_patrol),
            Some(json!({"owner_org_id": "A", "category": "x", "description": "y"})),
            Refused,
        ),
        (
            "post",
            "/api/infra/patrols/{id}/findings/{finding_id}/work-order",
            |f| format!("/api/infra/patrols/{}/findings/{}/work-order", f.a_patrol, f.a_finding),
            None,
            Refused,
        ),
        ("get", "/api/infra/patrol-diary", |f| format!("/api/infra/patrol-diary?owner={}", f.a_org), None, Refused),
        (
            "get",
            "/infra/work-orders/{id}/photo-ledger",
            |f| format!("/infra/work-orders/{}/photo-ledger", f.a_order),
            None,
            Refused,
        ),
        ("get", "/infra/photo-ledger", |_| "/infra/photo-ledger".into(), None, NoLeak),
        ("get", "/infra/reports/monthly", |f| format!("/infra/reports/monthly?owner={}", f.a_org), None, Refused),
        (
            "get",
            "/api/infra/reports/monthly",
            |f| format!("/api/infra/reports/monthly?owner={}", f.a_org),
            None,
            Refused,
        ),
        ("get", "/infra/contracts", |_| "/infra/contracts".into(), None, NoLeak),
        (
            "post",
            "/infra/contracts",
            |_| "/infra/contracts".into(),
            Some(
                json!({"bundle_id": "A_BUNDLE", "name": "侵入契約", "period_start": "2026-04-01", "period_end": "2027-03-31"}),
            ),
            Refused,
        ),
        ("get", "/infra/contracts/{id}", |f| format!("/infra/contracts/{}", f.a_contract), None, Refused),
        (
            "post",
            "/infra/contracts/{id}/limits",
            |f| format!("/infra/contracts/{}/limits", f.a_contract),
            Some(json!({"owner_org_id": "A", "fiscal_year": "2026", "limit_amount": "1"})),
            Refused,
        ),
        (
            "post",
            "/infra/contracts/{id}/parts",
            |f| format!("/infra/contracts/{}/parts", f.a_contract),
            Some(json!({"part": "task", "name": "侵入", "detail": "総価"})),
            Refused,
        ),
        (
            "post",
            "/api/infra/contracts/{id}/parts",
            |f| format!("/api/infra/contracts/{}/parts", f.a_contract),
            Some(json!({"part": "task", "name": "侵入", "detail": "総価"})),
            Refused,
        ),
        ("get", "/api/infra/contracts", |_| "/api/infra/contracts".into(), None, NoLeak),
        (
            "post",
            "/api/infra/contracts",
            |_| "/api/infra/contracts".into(),
            Some(
                json!({"bundle_id": "A_BUNDLE", "name": "侵入契約", "period_start": "2026-04-01", "period_end": "2027-03-31"}),
            ),
            Refused,
        ),
        ("get", "/api/infra/contracts/{id}", |f| format!("/api/infra/contracts/{}", f.a_contract), None, Refused),
        (
            "put",
            "/api/infra/contracts/{id}/limits",
            |f| format!("/api/infra/contracts/{}/limits", f.a_contract),
            Some(json!({"owner_org_id": "A", "fiscal_year": "2026", "limit_amount": "1"})),
            Refused,
        ),
        ("get", "/infra/inspections", |_| "/infra/inspections".into(), None, NoLeak),
        (
            "post",
            "/infra/inspections",
            |_| "/infra/inspections".into(),
            Some(json!({"asset_id": "A_ASSET", "inspected_on": "2025-06-01", "grade": "II"})),
            Rejected,
        ),
        ("get", "/infra/inspections/{id}", |f| format!("/infra/inspections/{}", f.a_inspection), None, Refused),
        (
            "post",
            "/infra/inspections/{id}/confirm",
            |f| format!("/infra/inspections/{}/confirm", f.a_inspection),
            Some(json!({"grade": "I"})),
            Refused,
        ),
        ("get", "/api/infra/inspections", |_| "/api/infra/inspections".into(), None, NoLeak),
        (
            "post",
            "/api/infra/inspections",
            |_| "/api/infra/inspections".into(),
            Some(json!({"asset_id": "A_ASSET", "inspected_on": "2025-06-01", "grade": "II"})),
            Rejected,
        ),
        (
            "post",
            "/api/infra/inspections/import",
            |_| "/api/infra/inspections/import?filename=r.csv".into(),
            None,
            Rejected,
        ),
        ("get", "/api/infra/inspections/overdue", |_| "/api/infra/inspections/overdue".into(), None, NoLeak),
        ("get", "/api/infra/inspections/{id}", |f| format!("/api/infra/inspections/{}", f.a_inspection), None, Refused),
        (
            "post",
            "/api/infra/inspections/{id}/confirm",
            |f| format!("/api/infra/inspections/{}/confirm", f.a_inspection),
            Some(json!({"grade": "I"})),
            Refused,
        ),
        (
            "put",
            "/api/infra/inspection-members/{id}/repair-status",
            |f| format!("/api/infra/inspection-members/{}/repair-status", f.a_inspection_member),
            Some(json!({"repair_status": "done"})),
            Refused,
        ),
        ("get", "/infra/mieruka", |_| "/infra/mieruka?scope=own&format=".into(), None, NoLeak),
        ("get", "/api/infra/mieruka", |_| "/api/infra/mieruka?scope=bundle".into(), None, NoLeak),
        (
            "post",
            "/infra/mieruka/profile",
            |_| "/infra/mieruka/profile".into(),
            Some(json!({"org_id": "A", "population": "1"})),
            Refused,
        ),
        (
            "put",
            "/api/infra/mieruka/profile",
            |_| "/api/infra/mieruka/profile".into(),
            Some(json!({"org_id": "A", "population": "1"})),
            Refused,
        ),
        ("post", "/infra/mieruka/profiles/import", |_| "/infra/mieruka/profiles/import".into(), None, Rejected),
        (
            "post",
            "/api/infra/mieruka/profiles/import",
            |_| "/api/infra/mieruka/profiles/import?filename=p.csv".into(),
            None,
            Rejected,
        ),
        ("get", "/housing", |_| "/housing".into(), None, NoLeak),
        (
            "post",
            "/housing/estates",
            |_| "/housing/estates".into(),
            Some(json!({"bundle_id": "A_BUNDLE", "name": "侵入"})),
            Refused,
        ),
        ("get", "/housing/estates/{id}", |f| format!("/housing/estates/{}", f.a_estate), None, Refused),
        ("post", "/housing/estates/{id}/import", |f| format!("/housing/estates/{}/import", f.a_estate), None, Rejected),
        ("get", "/api/housing/dashboard", |_| "/api/housing/dashboard".into(), None, NoLeak),
        (
            "post",
            "/housing/estates/{id}/deliverables",
            |f| format!("/housing/estates/{}/deliverables", f.a_estate),
            None,
            Refused,
        ),
        (
            "post",
            "/api/housing/estates/{id}/deliverables",
            |f| format!("/api/housing/estates/{}/deliverables", f.a_estate),
            None,
            Refused,
        ),
        ("get", "/api/housing/estates", |_| "/api/housing/estates".into(), None, NoLeak),
        (
            "post",
            "/api/housing/estates",
            |_| "/api/housing/estates".into(),
            Some(json!({"bundle_id": 1, "name": "侵入"})),
            Refused,
        ),
        ("get", "/api/housing/estates/{id}", |f| format!("/api/housing/estates/{}", f.a_estate), None, Refused),
        (
            "post",
            "/api/housing/estates/{id}/import",
            |f| format!("/api/housing/estates/{}/import", f.a_estate),
            None,
            Rejected,
        ),
        (
            "post",
            "/api/housing/estates/{id}/buildings",
            |f| format!("/api/housing/estates/{}/buildings", f.a_estate),
            Some(
                json!({"name": "侵入棟", "role": "new_first", "floors": 1, "types": [{"layout": "2DK", "area_m2": 50.0, "count": 1}]}),
            ),
            Refused,
        ),
        (
            "get",
            "/api/housing/estates/{id}/units",
            |f| format!("/api/housing/estates/{}/units", f.a_estate),
            None,
            Refused,
        ),
        ("get", "/housing/campaigns", |_| "/housing/campaigns".into(), None, NoLeak),
        (
            "post",
            "/housing/campaigns",
            |_| "/housing/campaigns".into(),
            Some(json!({"estate_id": "A_ESTATE", "name": "侵入"})),
            Refused,
        ),
        ("get", "/housing/campaigns/{id}", |f| format!("/housing/campaigns/{}", f.a_campaign), None, Refused),
        (
            "post",
            "/housing/campaigns/{id}",
            |f| format!("/housing/campaigns/{}", f.a_campaign),
            Some(json!({"name": "乗っ取り"})),
            Refused,
        ),
        (
            "post",
            "/housing/campaigns/{id}/buildings",
            |f| format!("/housing/campaigns/{}/buildings", f.a_campaign),
            Some(json!({"name": "侵入棟", "floors": "1", "layout1": "2DK", "area1": "50", "count1": "1"})),
            Refused,
        ),
        ("get", "/api/housing/campaigns", |_| "/api/housing/campaigns".into(), None, NoLeak),
        (
            "post",
            "/api/housing/campaigns",
            |_| "/api/housing/campaigns".into(),
            Some(json!({"estate_id": "A_ESTATE_N", "name": "侵入"})),
            Refused,
        ),
        ("get", "/api/housing/campaigns/{id}", |f| format!("/api/housing/campaigns/{}", f.a_campaign), None, Refused),
        (
            "put",
            "/api/housing/campaigns/{id}",
            |f| format!("/api/housing/campaigns/{}", f.a_campaign),
            Some(json!({"name": "乗っ取り"})),
            Refused,
        ),
        (
            "post",
            "/housing/campaigns/{id}/questionnaire",
            |f| format!("/housing/campaigns/{}/questionnaire", f.a_campaign),
            Some(json!({"depth": "2"})),
            Refused,
        ),
        (
            "post",
            "/housing/campaigns/{id}/questionnaire/apply",
            |f| format!("/housing/campaigns/{}/questionnaire/apply", f.a_campaign),
            None,
            Refused,
        ),
        (
            "post",
            "/housing/campaigns/{id}/lotteries",
            |f| format!("/housing/campaigns/{}/lotteries", f.a_campaign),
            Some(json!({"name": "侵入", "announced": "1"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/campaigns/{id}/questionnaire",
            |f| format!("/api/housing/campaigns/{}/questionnaire", f.a_campaign),
            Some(json!({"depth": 2})),
            Refused,
        ),
        (
            "post",
            "/api/housing/campaigns/{id}/questionnaire/apply",
            |f| format!("/api/housing/campaigns/{}/questionnaire/apply", f.a_campaign),
            None,
            Refused,
        ),
        (
            "post",
            "/api/housing/campaigns/{id}/lotteries",
            |f| format!("/api/housing/campaigns/{}/lotteries", f.a_campaign),
            Some(json!({"name": "侵入", "announced": "1"})),
            Refused,
        ),
        ("get", "/housing/lotteries/{id}", |f| format!("/housing/lotteries/{}", f.a_lottery), None, Refused),
        (
            "get",
            "/housing/lotteries/{id}/verify",
            |f| format!("/housing/lotteries/{}/verify", f.a_lottery),
            None,
            Refused,
        ),
        (
            "post",
            "/housing/lotteries/{id}/confirm",
            |f| format!("/housing/lotteries/{}/confirm", f.a_lottery),
            None,
            Refused,
        ),
        ("get", "/api/housing/lotteries/{id}", |f| format!("/api/housing/lotteries/{}", f.a_lottery), None, Refused),
        (
            "get",
            "/api/housing/lotteries/{id}/verify",
            |f| format!("/api/housing/lotteries/{}/verify", f.a_lottery),
            None,
            Refused,
        ),
        (
            "post",
            "/api/housing/lotteries/{id}/confirm",
            |f| format!("/api/housing/lotteries/{}/confirm", f.a_lottery),
            None,
            Refused,
        ),
        ("get", "/housing/costs", |f| format!("/housing/costs?estate={}", f.a_estate), None, Refused),
        (
            "post",
            "/housing/costs/items",
            |_| "/housing/costs/items".into(),
            Some(
                json!({"estate": "A_ESTATE", "item": "侵入", "amount": "1", "payee": "x", "paid_on": "2026-05-01", "evidence_note": "x"}),
            ),
            Refused,
        ),
        (
            "post",
            "/housing/costs/claims",
            |_| "/housing/costs/claims".into(),
            Some(json!({"estate": "A_ESTATE", "fiscal_year": "2026"})),
            Refused,
        ),
        (
            "post",
            "/housing/costs/claims/{id}/step",
            |f| format!("/housing/costs/claims/{}/step", f.a_claim),
            Some(json!({"step": "pay"})),
            Refused,
        ),
        ("get", "/housing/costs/export", |f| format!("/housing/costs/export?estate={}", f.a_estate), None, Refused),
        ("get", "/api/housing/costs", |f| format!("/api/housing/costs?estate={}", f.a_estate), None, Refused),
        (
            "post",
            "/api/housing/costs/items",
            |_| "/api/housing/costs/items".into(),
            Some(
                json!({"estate": "A_ESTATE_N", "item": "侵入", "amount": 1, "payee": "x", "paid_on": "2026-05-01", "evidence_note": "x"}),
            ),
            Refused,
        ),
        (
            "post",
            "/api/housing/costs/claims",
            |_| "/api/housing/costs/claims".into(),
            Some(json!({"estate": "A_ESTATE_N", "fiscal_year": 2026})),
            Refused,
        ),
        (
            "post",
            "/api/housing/costs/claims/{id}/step",
            |f| format!("/api/housing/costs/claims/{}/step", f.a_claim),
            Some(json!({"step": "pay"})),
            Refused,
        ),
        (
            "get",
            "/housing/reports/business",
            |f| format!("/housing/reports/business?estate={}&class=main", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/api/housing/reports/business",
            |f| format!("/api/housing/reports/business?estate={}&class=main", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/housing/reports/danchi-chosho",
            |f| format!("/housing/reports/danchi-chosho?estate={}", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/api/housing/reports/danchi-chosho",
            |f| format!("/api/housing/reports/danchi-chosho?estate={}", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/api/housing/campaigns/{id}/deadlines",
            |f| format!("/api/housing/campaigns/{}/deadlines", f.a_campaign),
            None,
            Refused,
        ),
        ("get", "/housing/cases", |_| "/housing/cases".into(), None, NoLeak),
        (
            "post",
            "/housing/cases",
            |_| "/housing/cases".into(),
            Some(json!({"estate_id": "A_ESTATE", "building": "H", "room": "1", "size": "1"})),
            Refused,
        ),
        (
            "get",
            "/housing/cases/export",
            |f| format!("/housing/cases/export?estate={}&columns=room,name", f.a_estate),
            None,
            Refused,
        ),
        ("get", "/housing/cases/{id}", |f| format!("/housing/cases/{}", f.a_case), None, Refused),
        ("post", "/housing/cases/{id}/personal", |f| format!("/housing/cases/{}/personal", f.a_case), None, Refused),
        (
            "post",
            "/housing/cases/{id}/personal/edit",
            |f| format!("/housing/cases/{}/personal/edit", f.a_case),
            Some(json!({"name": "乗っ取り"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/cases/{id}/personal/reveal",
            |f| format!("/api/housing/cases/{}/personal/reveal", f.a_case),
            None,
            Refused,
        ),
        (
            "put",
            "/api/housing/cases/{id}/personal",
            |f| format!("/api/housing/cases/{}/personal", f.a_case),
            Some(json!({"name": "乗っ取り"})),
            Refused,
        ),
        (
            "post",
            "/housing/cases/{id}/classify",
            |f| format!("/housing/cases/{}/classify", f.a_case),
            Some(json!({"class": "leave", "reason": "x"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/step",
            |f| format!("/housing/legs/{}/step", f.a_leg),
            Some(json!({"action": "cancel", "note": "x"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/unit",
            |f| format!("/housing/legs/{}/unit", f.a_leg),
            Some(json!({"unit_id": "1"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/forms/receive",
            |f| format!("/housing/legs/{}/forms/receive", f.a_leg),
            Some(json!({"issue_no": "1-1-01", "method": "in_person"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/address",
            |f| format!("/housing/legs/{}/address", f.a_leg),
            Some(json!({"address": "侵入"})),
            Refused,
        ),
        (
            "put",
            "/api/housing/legs/{id}/address",
            |f| format!("/api/housing/legs/{}/address", f.a_leg),
            Some(json!({"address": "侵入"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/referral",
            |f| format!("/housing/legs/{}/referral", f.a_leg),
            Some(json!({"company": "x", "quote": "1"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/briefing",
            |f| format!("/housing/legs/{}/briefing", f.a_leg),
            Some(json!({"briefing_on": "2027-05-20"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/extend",
            |f| format!("/housing/legs/{}/extend", f.a_leg),
            Some(json!({"reason": "illness"})),
            Refused,
        ),
        (
            "post",
            "/housing/legs/{id}/delay-cause",
            |f| format!("/housing/legs/{}/delay-cause", f.a_leg),
            Some(json!({"cause": "prefecture"})),
            Refused,
        ),
        ("get", "/api/housing/cases", |_| "/api/housing/cases".into(), None, NoLeak),
        ("get", "/housing/incidents", |_| "/housing/incidents".into(), None, NoLeak),
        (
            "get",
            "/housing/reports/monthly",
            |f| format!("/housing/reports/monthly?estate={}&month=2027-05", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/api/housing/reports/monthly",
            |f| format!("/api/housing/reports/monthly?estate={}&month=2027-05", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/housing/reports/temporary-moves",
            |f| format!("/housing/reports/temporary-moves?estate={}", f.a_estate),
            None,
            Refused,
        ),
        (
            "get",
            "/api/housing/reports/temporary-moves",
            |f| format!("/api/housing/reports/temporary-moves?estate={}", f.a_estate),
            None,
            Refused,
        ),
        (
            "post",
            "/housing/incidents",
            |_| "/housing/incidents".into(),
            Some(json!({"estate_id": "A_ESTATE", "kind": "complaint", "received_on": "2027-05-01", "summary": "侵入"})),
            Refused,
        ),
        ("get", "/housing/incidents/{id}", |f| format!("/housing/incidents/{}", f.a_incident), None, Refused),
        (
            "post",
            "/housing/incidents/{id}",
            |f| format!("/housing/incidents/{}", f.a_incident),
            Some(json!({"kind": "complaint", "received_on": "2027-05-01", "summary": "乗っ取り"})),
            Refused,
        ),
        ("get", "/api/housing/incidents", |_| "/api/housing/incidents".into(), None, NoLeak),
        (
            "post",
            "/api/housing/incidents",
            |_| "/api/housing/incidents".into(),
            Some(
                json!({"estate_id": "A_ESTATE_N", "kind": "complaint", "received_on": "2027-05-01", "summary": "侵入"}),
            ),
            Refused,
        ),
        ("get", "/api/housing/incidents/{id}", |f| format!("/api/housing/incidents/{}", f.a_incident), None, Refused),
        (
            "put",
            "/api/housing/incidents/{id}",
            |f| format!("/api/housing/incidents/{}", f.a_incident),
            Some(json!({"kind": "complaint", "received_on": "2027-05-01", "summary": "乗っ取り"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/cases",
            |_| "/api/housing/cases".into(),
            Some(json!({"estate_id": "A_ESTATE_N", "building": "H", "room": "1", "size": 1})),
            Refused,
        ),
        ("get", "/api/housing/cases/{id}", |f| format!("/api/housing/cases/{}", f.a_case), None, Refused),
        (
            "post",
            "/api/housing/cases/{id}/classify",
            |f| format!("/api/housing/cases/{}/classify", f.a_case),
            Some(json!({"class": "leave", "reason": "x"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/step",
            |f| format!("/api/housing/legs/{}/step", f.a_leg),
            Some(json!({"action": "cancel", "note": "x"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/unit",
            |f| format!("/api/housing/legs/{}/unit", f.a_leg),
            Some(json!({"unit_id": 1})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/forms/receive",
            |f| format!("/api/housing/legs/{}/forms/receive", f.a_leg),
            Some(json!({"issue_no": "1-1-01", "method": "in_person"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/referral",
            |f| format!("/api/housing/legs/{}/referral", f.a_leg),
            Some(json!({"company": "x", "quote": 1})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/briefing",
            |f| format!("/api/housing/legs/{}/briefing", f.a_leg),
            Some(json!({"briefing_on": "2027-05-20"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/extend",
            |f| format!("/api/housing/legs/{}/extend", f.a_leg),
            Some(json!({"reason": "illness"})),
            Refused,
        ),
        (
            "post",
            "/api/housing/legs/{id}/delay-cause",
            |f| format!("/api/housing/legs/{}/delay-cause", f.a_leg),
            Some(json!({"cause": "prefecture"})),
            Refused,
        ),
        ("get", "/infra/forecast", |_| "/infra/forecast".into(), None, NoLeak),
        ("get", "/api/infra/forecast", |_| "/api/infra/forecast".into(), None, NoLeak),
        ("get", "/infra/repair-plan", |f| format!("/infra/repair-plan?budget_{}=100000000", f.a_org), None, Refused),
        (
            "get",
            "/api/infra/repair-plan",
            |f| format!("/api/infra/repair-plan?budget_{}=100000000", f.a_org),
            None,
            Refused,
        ),
        (
            "post",
            "/api/infra/repair-plan",
            |_| "/api/infra/repair-plan".into(),
            Some(json!({"budgets": [{"owner_org_id": "A", "annual_budget_yen": "100000000"}]})),
            Refused,
        ),
        ("get", "/api/infra/lcc", |f| format!("/api/infra/lcc?owner={}", f.a_org), None, Refused),
        ("get", "/infra/open311", |_| "/infra/open311".into(), None, NoLeak),
        (
            "post",
            "/infra/open311/clients",
            |_| "/infra/open311/clients".into(),
            Some(json!({"bundle_id": "A_BUNDLE", "name": "侵入アプリ"})),
            Refused,
        ),
    ]
}

/// Tenant routes of `routes` that have no matrix entry.
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
    Fixture {
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

#[tokio::test]
async fn another_organisation_is_refused_on_every_tenant_route() {
    let app = TestApp::spawn().await;
    let f = fixture(&app).await;
    // B = 河津町: an administrator, not in A's bundle.
    let b = app.login("kawazu-admin").await;
    let b_org = app.org_id("河津町").await;
    let mut failures = Vec::new();
    for (method, pattern, path_fn, body, expect) in matrix() {
        let body = body.map(|b| {
            serde_json::from_str(
                &b.to_string()
                    .replace("\"A_ESTATE_N\"", &f.a_estate.to_string())
                    .replace("\"A_ESTATE\"", &format!("\"{}\"", f.a_estate)),
            )
            .unwrap()
        });
        let mut path = path_fn(&f);
        if path == "/api/files" {
            path = "/api/files".into();
        }
        let (status, text) = if pattern == "/api/files" {
            let r = b
                .post_file("/api/files", "x.pdf", b"%PDF-1.4 x".to_vec(), &[("bundle_id", &f.a_bundle.to_string())])
                .await;
            let s = r.status();
            (s, r.text().await.unwrap())
        } else {
            call(&b, method, &path, body, b_org, f.a_org, f.a_bundle, f.a_asset).await
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
