//! セキュリティヘッダー (security headers) on every response: pages, JSON, assets, errors and
//! the 500 of a caught panic alike, because the layer sits outermost.
//!
//! The Content-Security-Policy allows scripts from this server's own files only (htmx, Leaflet
//! and `tabane.js` are embedded; there is no inline script or handler anywhere), images from
//! here, `data:` URIs (Leaflet) and the configured map-tile host. Inline `style` attributes stay
//! allowed: templates and Leaflet position elements with them, and they cannot run code.

use crate::state::WebConfig;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The header values, computed once from the configuration.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    pub fn new(cfg: &WebConfig) -> Self {
        let mut headers = vec![
            (header::CONTENT_SECURITY_POLICY, value(&content_security_policy(&cfg.tile_url))),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(
                    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()",
                ),
            ),
        ];
        // Only where the site is served over HTTPS: a plain-HTTP test server must not pin
        // browsers to HTTPS for its host.
        if cfg.secure_cookies || cfg.behind_proxy {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Self { headers }
    }

    /// (name, value) pairs, for tests and documentation.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.to_str().unwrap_or("")))
    }
}

fn value(s: &str) -> HeaderValue {
    // Built from a fixed text and an origin checked below, so it is always a valid value; a
    // tile URL with odd bytes only loses its origin, never the policy.
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"))
}

/// The policy for a tile URL template such as `https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png`.
pub fn content_security_policy(tile_url: &str) -> String {
    let tiles = tile_origin(tile_url).map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:{tiles}; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// `scheme://host[:port]` of the tile URL, or `None` when it is not an absolute http(s) URL
/// (a relative template is served from here and already allowed by `'self'`).
pub fn tile_origin(tile_url: &str) -> Option<String> {
    let (scheme, rest) = tile_url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let valid =
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    // A `{s}` subdomain template means any subdomain of the rest.
    if let Some(base) = host.strip_prefix("{s}.") {
        return valid_host(base).then(|| format!("{scheme}://*.{base}"));
    }
    valid.then(|| format!("{scheme}://{host}"))
}

fn valid_host(h: &str) -> bool {
    !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

pub async fn security_headers(State(h): State<Arc<SecurityHeaders>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    for (name, value) in &h.headers {
        res.headers_mut().insert(name.clone(), value.clone());
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tile_host_is_allowed_for_images_and_nothing_else() {
        assert_eq!(
            tile_origin("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png").as_deref(),
            Some("https://cyberjapandata.gsi.go.jp")
        );
        assert_eq!(
            tile_origin("http://tiles.example.lg.jp:8081/{z}/{x}/{y}.png").as_deref(),
            Some("http://tiles.example.lg.jp:8081")
        );
        assert_eq!(
            tile_origin("https://{s}.tile.example.jp/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.jp")
        );
        assert_eq!(tile_origin("/tiles/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_origin("javascript://x"), None);
        assert_eq!(tile_origin("https://evil.example; script-src *"), None, "no directive can be smuggled in");
        let p = content_security_policy("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png");
        assert!(p.contains("img-src 'self' data: https://cyberjapandata.gsi.go.jp;"));
        assert!(
            p.contains("script-src 'self';") && p.contains("object-src 'none'") && p.contains("frame-ancestors 'none'")
        );
    }

    #[test]
    fn hsts_only_over_https() {
        let plain = SecurityHeaders::new(&WebConfig::default());
        assert!(!plain.pairs().any(|(n, _)| n == "strict-transport-security"));
        let https = SecurityHeaders::new(&WebConfig { secure_cookies: true, ..Default::default() });
        assert!(https.pairs().any(|(n, _)| n == "strict-transport-security"));
    }
}
