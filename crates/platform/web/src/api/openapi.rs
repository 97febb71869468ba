//! OpenAPI 3.1 document, generated from the route table so it cannot drift from the router:
//! each JSON route's parameters, body and answers come from its handler's signature (see
//! `describe`), the summary, tag and security from its entry in the table.

use super::describe::Side;
use crate::routes::{Access, RouteDef};
use aide::openapi::Operation;
use axum::Extension;
use axum::response::{IntoResponse, Response};
use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

const COMPONENTS: &str = "#/components/schemas/";

/// A generator of JSON Schema 2020-12 (the dialect of OpenAPI 3.1) whose named schemas go to
/// the document's components.
fn generator(contract: Contract) -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = COMPONENTS.into();
            s.meta_schema = None;
            s.contract = contract;
        })
        .into_generator()
}

pub fn build(routes: &[RouteDef]) -> Value {
    let (ops, inputs, outputs) = aide::generate::in_context(|ctx| {
        let mut inputs = generator(Contract::Deserialize);
        let mut outputs = generator(Contract::Serialize);
        let mut ops = Vec::new();
        for r in routes.iter().filter(|r| r.is_api()) {
            let mut op = Operation::default();
            if let Some(describe) = r.describe {
                for (side, schema) in [(Side::Input, &mut inputs), (Side::Output, &mut outputs)] {
                    std::mem::swap(&mut ctx.schema, schema);
                    describe(ctx, &mut op, side);
                    std::mem::swap(&mut ctx.schema, schema);
                }
            }
            ops.push((r, op));
        }
        outputs.subschema_for::<ErrorBody>();
        (ops, inputs.take_definitions(true), outputs.take_definitions(true))
    });
    let (schemas, renames) = merge_schemas(inputs, outputs);
    let mut paths = Map::new();
    for (r, op) in ops {
        let mut op = serde_json::to_value(&op).unwrap_or_default();
        for key in ["parameters", "requestBody"] {
            if let Some(v) = op.get_mut(key) {
                rename_refs(v, &renames);
            }
        }
        finish_operation(r, &mut op);
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    let schemas = referenced(schemas, &paths);
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Tabane (束ね) API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Log in with POST /api/session (the session cookie; send the returned csrf_token as X-CSRF-Token on every state-changing request), or send a service account's token as `Authorization: Bearer`. Errors are {code, message, request_id}." },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "tabane_session",
                             "description": "The cookie set by POST /api/session. State-changing requests (POST, PUT, DELETE) also send the session's csrf_token in the X-CSRF-Token header." },
                "token": { "type": "http", "scheme": "bearer",
                           "description": "A service account's API token: `Authorization: Bearer <token>`." }
            },
            "schemas": schemas,
        }
    })
}

/// Summary, tag, id, security, path parameters and the shared error answers of one route.
fn finish_operation(r: &RouteDef, op: &mut Value) {
    op["summary"] = json!(r.summary);
    op["tags"] = json!([r.tag]);
    op["operationId"] = json!(operation_id(r.method, r.path));
    if r.access != Access::Public {
        op["security"] = json!([{ "session": [] }, { "token": [] }]);
    }
    // `Path<i64>` and `Path<(i64, i64)>` name no parameters (a bare value has no field names):
    // the template's names are the parameters, and every id in a path is an integer.
    let params = op.as_object_mut().map(|o| o.entry("parameters").or_insert_with(|| json!([])));
    if let Some(Value::Array(params)) = params {
        for name in path_params(r.path) {
            if !params.iter().any(|p| p["in"] == "path" && p["name"] == name) {
                params.push(json!({ "name": name, "in": "path", "required": true,
                                    "schema": { "type": "integer", "format": "int64" } }));
            }
        }
        if params.is_empty() {
            op.as_object_mut().map(|o| o.remove("parameters"));
        }
    }
    let error = json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": format!("{COMPONENTS}Error") } } } });
    let responses = op.as_object_mut().map(|o| o.entry("responses").or_insert_with(|| json!({})));
    if let Some(Value::Object(responses)) = responses {
        for res in responses.values_mut() {
            if res["description"].as_str().is_none_or(str::is_empty) {
                res["description"] = json!("OK");
            }
        }
        responses.insert("4XX".into(), error.clone());
        responses.insert("5XX".into(), error);
    }
}

/// The names in a path template (`/api/bundles/{id}/members/{org_id}` → `id`, `org_id`).
pub fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// `get /api/orgs/{id}` → `get_orgs_id`: unique because method and path are.
fn operation_id(method: &str, path: &str) -> String {
    let rest = path.strip_prefix("/api/").unwrap_or(path);
    let words = rest.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    std::iter::once(method).chain(words).collect::<Vec<_>>().join("_")
}

/// One set of components from the two generators. A type read and written alike is one schema;
/// where its request form differs (defaults, fields only read), the request form is renamed
/// `<Name>Input` and every reference from the request side follows it.
fn merge_schemas(
    inputs: Map<String, Value>,
    mut outputs: Map<String, Value>,
) -> (Map<String, Value>, HashMap<String, String>) {
    let mut renames: HashMap<String, String> = HashMap::new();
    // Renaming one schema can make another that refers to it differ: repeat until none does.
    loop {
        let mut changed = false;
        for (name, schema) in &inputs {
            if renames.contains_key(name) {
                continue;
            }
            if let Some(out) = outputs.get(name) {
                let mut s = schema.clone();
                rename_refs(&mut s, &renames);
                if s != *out {
                    renames.insert(name.clone(), format!("{name}Input"));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (name, mut schema) in inputs {
        rename_refs(&mut schema, &renames);
        let name = renames.get(&name).cloned().unwrap_or(name);
        outputs.entry(name).or_insert(schema);
    }
    (outputs, renames)
}

/// The components the operations refer to, directly or through other components (a query
/// struct, say, is inlined as parameters and needs none).
fn referenced(mut schemas: Map<String, Value>, paths: &Map<String, Value>) -> Map<String, Value> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(name) = o.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix(COMPONENTS)) {
                    out.push(name.to_string());
                }
                o.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    paths.values().for_each(|p| refs(p, &mut todo));
    let mut kept = Map::new();
    while let Some(name) = todo.pop() {
        if let Some(schema) = schemas.remove(&name) {
            refs(&schema, &mut todo);
            kept.insert(name, schema);
        }
    }
    kept.sort_keys();
    kept
}

fn rename_refs(v: &mut Value, renames: &HashMap<String, String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref")
                && let Some(new) = r.strip_prefix(COMPONENTS).and_then(|n| renames.get(n))
            {
                *r = format!("{COMPONENTS}{new}");
            }
            o.values_mut().for_each(|v| rename_refs(v, renames));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rename_refs(v, renames)),
        _ => {}
    }
}

/// The body of every error answer (written by `middleware::render_errors`).
#[derive(JsonSchema)]
#[schemars(rename = "Error")]
#[allow(dead_code)]
struct ErrorBody {
    /// Stable machine-readable code (`not_found`, `invalid`, …).
    code: String,
    /// In the caller's language.
    message: String,
    /// Quote it to support: it finds the log line.
    request_id: String,
    /// `invalid`: each field and what is wrong with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<tabane_core::error::FieldProblem>>,
    /// `import`: the per-row report of a refused import.
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<tabane_tabular::ImportReport>,
}

/// The document itself, as served.
pub struct Document(Arc<Value>);

impl IntoResponse for Document {
    fn into_response(self) -> Response {
        axum::Json(&*self.0).into_response()
    }
}

impl JsonSchema for Document {
    fn schema_name() -> Cow<'static, str> {
        "OpenApiDocument".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "object", "description": "An OpenAPI 3.1 document (this one)." })
    }
}

impl aide::operation::OperationOutput for Document {
    type Inner = Value;
    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        op: &mut Operation,
    ) -> Vec<(Option<u16>, aide::openapi::Response)> {
        axum::Json::<Document>::inferred_responses(ctx, op)
    }
}

/// Serves the document built once from the mounted routes (platform and modules).
pub async fn document(Extension(doc): Extension<Arc<Value>>) -> Document {
    Document(doc)
}
