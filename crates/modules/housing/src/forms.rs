//! Lenient field readers shared by the HTML forms (every value a string, empty = absent) and
//! the JSON API (numbers and booleans as themselves).

use serde::{Deserialize, Deserializer};
use std::fmt::Display;
use std::str::FromStr;

/// Empty or missing → None; otherwise parsed from its text.
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    let v = Option::<serde_json::Value>::deserialize(d)?;
    let text = match v {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
    };
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let t = tabane_tabular::to_halfwidth_ascii(t);
    t.parse::<T>().map(Some).map_err(|e| serde::de::Error::custom(format!("「{t}」を読めません: {e}")))
}

/// A checkbox: present with "1", "on", "true" or "yes" (or JSON true) → true.
pub fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Bool(b)) => b,
        Some(serde_json::Value::String(s)) => matches!(s.trim(), "1" | "on" | "true" | "yes"),
        Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    })
}

/// A required number given as a number (JSON) or as text (forms, also inside `#[serde(flatten)]`).
pub fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr + Default,
    T::Err: Display,
{
    Ok(empty_as_none(d)?.unwrap_or_default())
}
