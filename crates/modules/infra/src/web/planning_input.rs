//! 計画ツールの入力 (inputs of the planning tools): values arrive as typed text from an HTML form
//! or as JSON numbers or strings; both go through the same parsers, which name the field in
//! Japanese when a value is wrong.

use serde::{Deserialize, Deserializer};
use tabane_core::error::Problems;

/// Accepts a JSON string, number, boolean or null as text (so `"1,000"` and `1000` both work).
pub fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        serde_json::Value::Bool(b) => {
            if b {
                "on".into()
            } else {
                String::new()
            }
        }
        other => other.to_string(),
    })
}

/// A list of texts (JSON array of strings/numbers, or one comma-separated string).
pub fn lenient_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(a) => a
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        serde_json::Value::String(s) => {
            s.split([',', '、']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
        }
        _ => vec![],
    })
}

/// Form fields as sent, in order (repeated names are rows of a table).
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, k: &str) -> String {
        self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
    }
    /// The i-th value of a repeated field ("" when there are fewer).
    pub fn nth(&self, k: &str, i: usize) -> String {
        self.all(k).get(i).cloned().unwrap_or_default()
    }
    pub fn has(&self, k: &str) -> bool {
        self.0.iter().any(|(n, v)| n == k && !v.is_empty())
    }
}

fn clean(v: &str) -> String {
    tabane_tabular::to_halfwidth_ascii(v.trim()).replace([',', '円', '¥', '％', '%'], "")
}

/// A number ≥ `min` (and ≤ `max`); empty is `default` (None = required).
#[allow(clippy::too_many_arguments)]
pub fn num(
    p: &mut Problems,
    field: &str,
    ja: &str,
    en: &str,
    v: &str,
    default: Option<f64>,
    min: f64,
    max: f64,
) -> f64 {
    let t = clean(v);
    if t.is_empty() {
        return match default {
            Some(d) => d,
            None => {
                p.push(field, ja, en, "を入力してください", "is required");
                0.0
            }
        };
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= min && x <= max => x,
        _ => {
            let (lo, hi) = (fmt(min), fmt(max));
            let (rj, re) = if max == f64::MAX {
                (format!("{lo}以上"), format!("at least {lo}"))
            } else {
                (format!("{lo}以上{hi}以下"), format!("from {lo} to {hi}"))
            };
            p.push(
                field,
                ja,
                en,
                format!("は{rj}の数で入力してください（「{}」）", v.trim()),
                format!("must be a number {re}"),
            );
            default.unwrap_or(0.0)
        }
    }
}

/// A whole number in `min..=max`; empty is `default` (None = required).
#[allow(clippy::too_many_arguments)]
pub fn int(
    p: &mut Problems,
    field: &str,
    ja: &str,
    en: &str,
    v: &str,
    default: Option<i64>,
    min: i64,
    max: i64,
) -> i64 {
    let t = clean(v);
    if t.is_empty() {
        return match default {
            Some(d) => d,
            None => {
                p.push(field, ja, en, "を入力してください", "is required");
                0
            }
        };
    }
    match t.parse::<i64>() {
        Ok(x) if (min..=max).contains(&x) => x,
        _ => {
            p.push(
                field,
                ja,
                en,
                format!("は{min}以上{max}以下の整数で入力してください（「{}」）", v.trim()),
                format!("must be a whole number from {min} to {max}"),
            );
            default.unwrap_or(min)
        }
    }
}

/// 円 (whole yen ≥ 0, up to 10兆円); empty is `default` (None = required).
pub fn yen(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str, default: Option<u64>) -> u64 {
    let t = clean(v);
    if t.is_empty() {
        return match default {
            Some(d) => d,
            None => {
                p.push(field, ja, en, "を入力してください", "is required");
                0
            }
        };
    }
    match t.parse::<u64>() {
        Ok(x) if x <= 10_000_000_000_000 => x,
        _ => {
            p.push(
                field,
                ja,
                en,
                format!("は0以上の整数（円）で入力してください（「{}」）", v.trim()),
                "must be a whole number of yen, 0 or more",
            );
            default.unwrap_or(0)
        }
    }
}

fn fmt(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// 円 with separators from a fractional amount (rounded).
pub fn yen_f(x: f64) -> String {
    super::views::yen(x.round() as i64)
}

/// 円 with separators.
pub fn yen_u(x: u64) -> String {
    super::views::yen(x as i64)
}

/// Short yen for chart axes: 万円 / 億円.
pub fn yen_short(x: f64) -> String {
    if x.abs() >= 1e8 {
        format!("{:.1}億円", x / 1e8)
    } else if x.abs() >= 1e4 {
        format!("{:.0}万円", x / 1e4)
    } else {
        format!("{x:.0}円")
    }
}
