//! Housing routes: HTML pages under /housing, JSON under /api/housing. Every route is declared
//! with its access class; the tenant ones have entries in the isolation matrix.

mod estate_pages;

use axum::routing::{get, post};
use tabane_web::{Access, RouteDef};

macro_rules! r {
    ($m:ident, $path:literal, $access:ident, $summary:literal, $h:expr) => {
        RouteDef { method: stringify!($m), path: $path, access: Access::$access, summary: $summary, tag: "housing", handler: $m($h) }
    };
}

pub fn routes() -> Vec<RouteDef> {
    vec![
        r!(get, "/housing", Tenant, "団地建替・移転（団地の一覧と登録）", estate_pages::home),
        r!(post, "/housing/estates", Tenant, "団地の登録（束の発注者）", estate_pages::create),
        r!(get, "/housing/estates/{id}", Tenant, "団地（住棟別諸元・入居状況・表の不一致の記録）", estate_pages::show),
        r!(post, "/housing/estates/{id}/import", Tenant, "住棟別諸元一覧・入居状況・対象世帯の取り込み（不一致は確認のうえ記録）", estate_pages::import),
        r!(get, "/api/housing/estates", Tenant, "団地の一覧", estate_pages::api_list),
        r!(post, "/api/housing/estates", Tenant, "団地の登録（bundle_id, name, address）", estate_pages::api_create),
        r!(get, "/api/housing/estates/{id}", Tenant, "団地（住棟・間取り・入居状況、?snapshot=）", estate_pages::api_get),
        r!(post, "/api/housing/estates/{id}/import", Tenant, "基本情報の取り込み（multipart: buildings, unit_types, occupancy, groups, as_of, acknowledge）", estate_pages::api_import),
    ]
}
