//! Infra services: each takes the acting context first.
pub mod access;
pub mod asset_io;
pub mod assets;
pub mod contracts;
pub mod exif_location;
pub mod inspection_import;
pub mod inspections;
pub mod ledger;
pub mod map;
pub mod patrols;
pub mod repair_planning;
pub mod reports;
pub mod work_orders;

use tabane_core::error::Problems;

/// 円の金額 as people type it (full-width digits, "1,234", "円", "¥"); empty is `None`. A bad
/// value is recorded against the field.
pub fn parse_yen(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<i64> {
    let t = tabane_tabular::to_halfwidth_ascii(v.trim()).replace([',', '円', '¥'], "");
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            p.push(field, ja, en, "は0以上の整数（円）で入力してください", "must be a whole number of yen, 0 or more");
            None
        }
    }
}
