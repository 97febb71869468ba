//! Browser assets embedded in the binary at build time (htmx and Leaflet from npm, our CSS).
//! Nothing is fetched from a CDN: municipal networks on LGWAN cannot reach one.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

macro_rules! npm {
    ($p:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../node_modules/", $p))
    };
}

/// (path under /assets/, content type, bytes)
static ASSETS: &[(&str, &str, &[u8])] = &[
    ("tabane.css", "text/css; charset=utf-8", include_bytes!("../static/tabane.css")),
    ("tabane.js", "text/javascript; charset=utf-8", include_bytes!("../static/tabane.js")),
    ("htmx.min.js", "text/javascript; charset=utf-8", npm!("htmx.org/dist/htmx.min.js")),
    ("leaflet/leaflet.js", "text/javascript; charset=utf-8", npm!("leaflet/dist/leaflet.js")),
    ("leaflet/leaflet.css", "text/css; charset=utf-8", npm!("leaflet/dist/leaflet.css")),
    ("leaflet/images/marker-icon.png", "image/png", npm!("leaflet/dist/images/marker-icon.png")),
    ("leaflet/images/marker-icon-2x.png", "image/png", npm!("leaflet/dist/images/marker-icon-2x.png")),
    ("leaflet/images/marker-shadow.png", "image/png", npm!("leaflet/dist/images/marker-shadow.png")),
    ("leaflet/images/layers.png", "image/png", npm!("leaflet/dist/images/layers.png")),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, ct, bytes)) => {
            let mut r = (*bytes).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
