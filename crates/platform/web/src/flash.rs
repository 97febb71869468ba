//! 完了のお知らせ (the flash message) and Post/Redirect/Get.
//!
//! A form that succeeded answers `303 See Other` to the page that shows the result, with the
//! message to show there in a short-lived cookie; that page shows it once (`Chrome::flash`,
//! in the layout) and the cookie is removed with the answer. A browser refresh then repeats
//! the harmless GET, never the step. A refused form is not redirected: it is shown again with
//! its problems and what was typed.
//!
//! The cookie holds only the message text (percent-encoded, at most [`MAX_BYTES`] bytes), never
//! anything secret; the layout escapes it like all output.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const FLASH_COOKIE: &str = "tabane_flash";
/// A message longer than this is cut (at a character boundary) before it is stored.
pub const MAX_BYTES: usize = 1024;

/// The message waiting for this request's page, if any (set by [`carry`]).
#[derive(Clone, Debug, Default)]
pub struct Flash(pub Option<String>);

/// `303 See Other` to `to`, showing `message` there once.
pub fn see_other(to: &str, message: &str) -> Response {
    let mut cut = message.len().min(MAX_BYTES);
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    let value: String = form_urlencoded::byte_serialize(&message.as_bytes()[..cut]).collect();
    let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    let cookie = format!("{FLASH_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Reads the message for this request and removes the cookie once a page has been answered
/// (a redirect passes it on to where it leads).
pub async fn carry(mut req: Request, next: Next) -> Response {
    let message = crate::middleware::cookie(req.headers(), FLASH_COOKIE).and_then(|v| decode(&v));
    let had_cookie = crate::middleware::cookie(req.headers(), FLASH_COOKIE).is_some();
    req.extensions_mut().insert(Flash(message));
    let mut res = next.run(req).await;
    if had_cookie && !res.status().is_redirection() {
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_static("tabane_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        );
    }
    res
}

fn decode(v: &str) -> Option<String> {
    let text: String = form_urlencoded::parse(format!("m={v}").as_bytes()).find(|(k, _)| k == "m")?.1.into_owned();
    let text = text.trim();
    (!text.is_empty()).then(|| text.chars().take(MAX_BYTES).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_survives_the_cookie_and_is_cut_at_a_character() {
        let r = see_other("/cases/3", "分類しました; a=b");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()[header::LOCATION], "/cases/3");
        let set = r.headers()[header::SET_COOKIE].to_str().unwrap().to_string();
        let value = set.strip_prefix("tabane_flash=").unwrap().split(';').next().unwrap();
        assert_eq!(decode(value).as_deref(), Some("分類しました; a=b"));
        let long = "あ".repeat(1000);
        let set = see_other("/", &long).headers()[header::SET_COOKIE].to_str().unwrap().to_string();
        let value = set.strip_prefix("tabane_flash=").unwrap().split(';').next().unwrap();
        assert_eq!(decode(value).unwrap().len(), 1023, "341 whole characters of 3 bytes");
        assert_eq!(decode(""), None);
    }
}
