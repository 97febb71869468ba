//! The OpenAPI document describes every JSON operation from its handler's own types: each has a
//! success answer with a schema that says something, its body (when the handler reads one) with
//! its media type, its path parameters, the shared error answer and, unless public, both ways
//! of signing in. (`scripts/api-check` validates the document and real answers against it with
//! third-party validators.)

use serde_json::Value;
use tabane_web::Access;

fn document() -> Value {
    tabane_web::api::openapi::build(&tabane::all_routes())
}

/// `(method, path, operation)` of every operation.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

/// The schema a `$ref` names (or the schema itself).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => resolve(doc, &doc["components"]["schemas"][name]),
        None => schema,
    }
}

/// A schema that accepts anything (`true`, `{}`, or only words) describes nothing.
fn says_something(schema: &Value) -> bool {
    match schema {
        Value::Object(o) => o.keys().any(|k| !matches!(k.as_str(), "description" | "title")),
        _ => false,
    }
}

#[test]
fn every_json_route_is_declared_with_its_description() {
    for r in tabane::all_routes().iter().filter(|r| r.is_api()) {
        assert!(r.describe.is_some(), "{} {} is a JSON route not declared with api_route!", r.method, r.path);
    }
}

#[test]
fn every_operation_answers_a_described_schema() {
    let doc = document();
    let routes = tabane::all_routes();
    assert_eq!(operations(&doc).len(), routes.iter().filter(|r| r.is_api()).count());
    for (method, path, op) in operations(&doc) {
        let ok: Vec<(&String, &Value)> =
            op["responses"].as_object().unwrap().iter().filter(|(code, _)| code.starts_with('2')).collect();
        assert_eq!(ok.len(), 1, "{method} {path}: exactly one success answer");
        let schema = &ok[0].1["content"]["application/json"]["schema"];
        assert!(says_something(resolve(&doc, schema)), "{method} {path}: the success answer has no schema: {schema}");
        let expected = if method == "post" && ok[0].0 == "201" { "201" } else { "200" };
        assert!(ok[0].0 == expected || method == "post", "{method} {path}: answers {}", ok[0].0);
        for range in ["4XX", "5XX"] {
            assert_eq!(
                op["responses"][range]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                "{method} {path}: {range} is the Error schema"
            );
        }
        assert!(op["summary"].is_string() && op["tags"][0].is_string(), "{method} {path}: summary and tag");
        assert!(op["operationId"].is_string(), "{method} {path}: operationId");
    }
    // Created records answer 201 (the handler returns `Created<T>`).
    assert!(doc["paths"]["/api/orgs"]["post"]["responses"]["201"].is_object());
    assert!(doc["paths"]["/api/orgs"]["get"]["responses"]["200"].is_object());
}

#[test]
fn bodies_are_described_where_handlers_read_them() {
    let doc = document();
    for (method, path, op) in operations(&doc) {
        let body = &op["requestBody"];
        if method == "get" || method == "delete" {
            assert!(body.is_null(), "{method} {path} reads no body");
            continue;
        }
        if method == "put" {
            assert!(body.is_object(), "{method} {path}: every PUT handler reads a body");
        }
        if let Some(content) = body["content"].as_object() {
            assert!(!content.is_empty(), "{method} {path}: a body with no media type");
            if let Some(json) = content.get("application/json") {
                assert!(says_something(resolve(&doc, &json["schema"])), "{method} {path}: the JSON body has no schema");
            }
        }
    }
    let media = |method: &str, path: &str| -> Vec<String> {
        doc["paths"][path][method]["requestBody"]["content"].as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(media("post", "/api/orgs"), ["application/json"]);
    assert_eq!(media("put", "/api/orgs/{id}"), ["application/json"]);
    // Raw bytes (an import file) and multipart uploads are described as such.
    assert_eq!(media("post", "/api/orgs/import"), ["application/octet-stream"]);
    assert_eq!(media("post", "/api/files"), ["multipart/form-data"]);
    let upload =
        resolve(&doc, &doc["paths"]["/api/files"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]);
    assert_eq!(upload["properties"]["file"]["contentMediaType"], "application/octet-stream");
    assert_eq!(upload["required"], serde_json::json!(["file"]));
    // A body read leniently (`JsonBody`) is still described by its type.
    assert!(doc["paths"]["/api/infra/tools/effect"]["post"]["requestBody"]["content"]["application/json"].is_object());
    // Query parameters come from the handler's `Query<T>`.
    let params = doc["paths"]["/api/orgs"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["in"] == "query" && p["name"] == "q"), "{params:?}");
}

#[test]
fn path_parameters_security_and_references_are_complete() {
    let doc = document();
    let routes = tabane::all_routes();
    for r in routes.iter().filter(|r| r.is_api()) {
        let op = &doc["paths"][r.path][r.method];
        for name in tabane_web::api::openapi::path_params(r.path) {
            assert!(
                op["parameters"].as_array().is_some_and(|ps| ps
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"] == name && p["required"] == true)),
                "{} {}: path parameter {name}",
                r.method,
                r.path
            );
        }
        let security = &op["security"];
        if r.access == Access::Public {
            assert!(security.is_null(), "{} {} is public", r.method, r.path);
        } else {
            assert_eq!(*security, serde_json::json!([{ "session": [] }, { "token": [] }]), "{} {}", r.method, r.path);
        }
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "tabane_session");
    assert_eq!(schemes["token"]["scheme"], "bearer");
    // Every reference names a component.
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r);
                }
                o.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r} is not a component"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} names no component");
    }
    // Two types of one name would be numbered (`Status2`), a name a generated client would keep
    // and that changes with the order of the routes: each is named instead (`#[schemars(rename)]`).
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(!name.ends_with(|c: char| c.is_ascii_digit()), "component {name}: two types share its name");
    }
    // Open311 has its own document (the GeoReport spec): it is not in this one.
    assert!(doc["paths"].as_object().unwrap().keys().all(|p| p.starts_with("/api/")));
}
