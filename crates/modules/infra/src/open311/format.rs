//! Rendering Open311 responses as XML (the spec's mandatory format) or JSON. Ids and codes are
//! always strings; dates are ISO-8601 with offset.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fmt {
    Xml,
    Json,
}

/// Splits "requests.json" into ("requests", Json).
pub fn split(file: &str) -> Option<(&str, Fmt)> {
    if let Some(stem) = file.strip_suffix(".xml") {
        Some((stem, Fmt::Xml))
    } else {
        file.strip_suffix(".json").map(|stem| (stem, Fmt::Json))
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry are dropped rather than making the document invalid.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a JSON value as XML: objects become elements, arrays repeat the element named by
/// `item` (the spec's singular names: service, request, attribute, value …).
fn write_xml(out: &mut String, name: &str, v: &Value) {
    match v {
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            let item = singular(name);
            for i in items {
                write_xml(out, item, i);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (k, v) in map {
                write_xml(out, k, v);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => out.push_str(&format!("<{name}>{}</{name}>", other)),
    }
}

fn singular(plural: &str) -> &str {
    match plural {
        "services" => "service",
        "service_requests" => "request",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        "tokens" => "token",
        "service_request_updates" => "request_update",
        _ => "item",
    }
}

/// A list response: `root` is the XML root (e.g. "services"); JSON is the bare array.
pub fn list(fmt: Fmt, status: StatusCode, root: &str, items: Vec<Value>) -> Response {
    match fmt {
        Fmt::Json => (status, axum::Json(Value::Array(items))).into_response(),
        Fmt::Xml => {
            let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            write_xml(&mut s, root, &Value::Array(items));
            xml(status, s)
        }
    }
}

/// A single-object response (discovery, service definition).
pub fn object(fmt: Fmt, root: &str, v: Value) -> Response {
    match fmt {
        Fmt::Json => axum::Json(v).into_response(),
        Fmt::Xml => {
            let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            write_xml(&mut s, root, &v);
            xml(StatusCode::OK, s)
        }
    }
}

fn xml(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
    r
}

/// The spec's error list: 400, 403 (bad api_key) or 404 (unknown resource).
pub fn error(fmt: Fmt, status: StatusCode, description: &str) -> Response {
    let item = serde_json::json!({ "code": status.as_u16().to_string(), "description": description });
    list(fmt, status, "errors", vec![item])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_format_suffix() {
        assert_eq!(split("requests.json"), Some(("requests", Fmt::Json)));
        assert_eq!(split("services.xml"), Some(("services", Fmt::Xml)));
        assert_eq!(split("requests"), None);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
