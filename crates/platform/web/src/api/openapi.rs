//! OpenAPI 3.1 document, generated from the route table so it cannot drift from the router.

use crate::routes::{Access, RouteDef};
use axum::{Extension, Json};
use serde_json::{Value, json};
use std::sync::Arc;

pub fn build(routes: &[RouteDef]) -> Value {
    let mut paths = serde_json::Map::new();
    for r in routes.iter().filter(|r| r.is_api()) {
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" } }))
            .collect();
        let mut op = json!({
            "summary": r.summary,
            "tags": [r.tag],
            "parameters": params,
            "responses": {
                "200": { "description": "OK" },
                "4XX": { "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        if r.access != Access::Public {
            op["security"] = json!([{ "session": [] }]);
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Tabane (束ね) API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Log in with POST /api/session; send the returned csrf_token as X-CSRF-Token on every state-changing request. Errors are {code, message, request_id}." },
        "paths": paths,
        "components": {
            "securitySchemes": { "session": { "type": "apiKey", "in": "cookie", "name": "tabane_session" } },
            "schemas": { "Error": { "type": "object", "required": ["code", "message", "request_id"],
                "properties": { "code": { "type": "string" }, "message": { "type": "string" }, "request_id": { "type": "string" },
                                "fields": { "type": "array" }, "report": { "type": "object" } } } }
        }
    })
}

/// Serves the document built once from the mounted routes (platform and modules).
pub async fn document(Extension(doc): Extension<Arc<Value>>) -> Json<Value> {
    Json((*doc).clone())
}
