//! 整合性の確認 (consistency findings) across the master tables. A finding is not an error in a
//! cell: the file is readable, but two figures the seed prints disagree (「H・N～T棟 165戸」 where
//! those buildings hold 143 households). Findings are shown, must be acknowledged before the
//! import is written, and are stored with the snapshot so the disagreement stays on record.

use super::tables::{BuildingsTable, GroupsTable, OccupancyTable};
use crate::domain::{format_area, percent_half_up};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// Stable kind: occupancy_sum, occupancy_rate, occupancy_total, buildings_total, units_mismatch,
    /// building_missing, area_plausibility, group_count, group_label, group_total.
    pub code: String,
    /// What the finding is about (a building, a group label, 「計」).
    pub subject: String,
    pub message_ja: String,
    pub message_en: String,
}

fn f(code: &str, subject: &str, ja: String, en: String) -> Finding {
    Finding { code: code.into(), subject: subject.into(), message_ja: ja, message_en: en }
}

/// Figures the checks derive, shown beside the printed ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Totals {
    pub buildings: usize,
    pub units: i64,
    pub vacant: i64,
    pub households: i64,
    /// round-half-up(households ÷ units × 100).
    pub rate: Option<i64>,
    pub building_area: i64,
    pub floor_area: i64,
}

pub fn totals(b: &BuildingsTable, o: &OccupancyTable) -> Totals {
    let units: i64 = o.rows.iter().map(|r| r.units).sum();
    let households: i64 = o.rows.iter().map(|r| r.households).sum();
    Totals {
        buildings: b.buildings.len(),
        units,
        vacant: o.rows.iter().map(|r| r.vacant).sum(),
        households,
        rate: percent_half_up(households, units),
        building_area: b.buildings.iter().filter_map(|x| x.building_area).sum(),
        floor_area: b.buildings.iter().filter_map(|x| x.floor_area).sum(),
    }
}

/// Every disagreement between and within the tables.
pub fn check(b: &BuildingsTable, o: &OccupancyTable, g: Option<&GroupsTable>) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in &o.rows {
        if r.units != r.vacant + r.households {
            out.push(f(
                "occupancy_sum",
                &r.building,
                format!(
                    "{}棟：戸数{}が空き{}＋入居世帯数{}（={}）と一致しません",
                    r.building,
                    r.units,
                    r.vacant,
                    r.households,
                    r.vacant + r.households
                ),
                format!(
                    "Building {}: {} units ≠ {} vacant + {} households",
                    r.building, r.units, r.vacant, r.households
                ),
            ));
        }
        if let (Some(p), Some(c)) = (r.rate_printed, percent_half_up(r.households, r.units))
            && p != c
        {
            out.push(f(
                "occupancy_rate",
                &r.building,
                format!(
                    "{}棟：入居率{}%は入居世帯数{}÷戸数{}の四捨五入（{}%）と一致しません",
                    r.building, p, r.households, r.units, c
                ),
                format!(
                    "Building {}: printed rate {}% ≠ {} / {} rounded ({}%)",
                    r.building, p, r.households, r.units, c
                ),
            ));
        }
    }
    let t = totals(b, o);
    if let Some(p) = &o.total {
        for (label, printed, computed) in [
            ("戸数", p.units, Some(t.units)),
            ("空き", p.vacant, Some(t.vacant)),
            ("入居世帯数", p.households, Some(t.households)),
            ("入居率", p.rate, t.rate),
        ] {
            if let (Some(pv), Some(cv)) = (printed, computed)
                && pv != cv
            {
                out.push(f(
                    "occupancy_total",
                    "計",
                    format!("入居状況の計：{label}が{pv}と記載されていますが、各棟の合計は{cv}です"),
                    format!("Occupancy total: {label} printed {pv}, rows sum to {cv}"),
                ));
            }
        }
    }
    if let Some(p) = &b.total {
        let units: i64 = b.buildings.iter().map(|x| x.units()).sum();
        for (label, printed, computed, area) in [
            ("管理戸数", p.units, units, false),
            ("建築面積", p.building_area, t.building_area, true),
            ("延床面積", p.floor_area, t.floor_area, true),
        ] {
            if let Some(pv) = printed
                && pv != computed
            {
                let (ps, cs) = if area {
                    (format_area(pv), format_area(computed))
                } else {
                    (pv.to_string(), computed.to_string())
                };
                out.push(f(
                    "buildings_total",
                    "計",
                    format!("住棟別諸元一覧の計：{label}が{ps}と記載されていますが、各棟の合計は{cs}です"),
                    format!("Building table total: {label} printed {ps}, rows sum to {cs}"),
                ));
            }
        }
    }
    for x in &b.buildings {
        if let (Some(d), false) = (x.units_declared, x.unit_types.is_empty()) {
            let sum: i64 = x.unit_types.iter().map(|t| t.count).sum();
            if d != sum {
                out.push(f(
                    "units_mismatch",
                    &x.name,
                    format!("{}棟：管理戸数{}と間取り別戸数の合計{}が一致しません", x.name, d, sum),
                    format!("Building {}: {} units declared, unit types sum to {}", x.name, d, sum),
                ));
            }
        }
        match o.rows.iter().find(|r| r.building == x.name) {
            None => out.push(f(
                "building_missing",
                &x.name,
                format!("{}棟は住棟別諸元一覧にありますが、入居状況にありません", x.name),
                format!("Building {} is missing from the occupancy table", x.name),
            )),
            Some(r) if r.units != x.units() => out.push(f(
                "units_mismatch",
                &x.name,
                format!("{}棟：住棟別諸元一覧の戸数{}と入居状況の戸数{}が一致しません", x.name, x.units(), r.units),
                format!(
                    "Building {}: {} units in the building table, {} in the occupancy table",
                    x.name,
                    x.units(),
                    r.units
                ),
            )),
            Some(_) => {}
        }
        // Private floor area cannot exceed the gross floor area (E and L in the seed).
        if let Some(floor) = x.floor_area {
            let private: i64 = x.unit_types.iter().filter_map(|t| t.area_centi.map(|a| a * t.count)).sum();
            if private > floor {
                out.push(f(
                    "area_plausibility",
                    &x.name,
                    format!(
                        "{}棟：専用面積の合計{}㎡（戸数×戸当専用面積）が延床面積{}㎡を超えています",
                        x.name,
                        format_area(private),
                        format_area(floor)
                    ),
                    format!(
                        "Building {}: private area {} m² exceeds the gross floor area {} m²",
                        x.name,
                        format_area(private),
                        format_area(floor)
                    ),
                ));
            }
        }
    }
    for r in &o.rows {
        if !b.buildings.iter().any(|x| x.name == r.building) {
            out.push(f(
                "building_missing",
                &r.building,
                format!("{}棟は入居状況にありますが、住棟別諸元一覧にありません", r.building),
                format!("Building {} is in the occupancy table only", r.building),
            ));
        }
    }
    if let Some(g) = g {
        out.extend(check_groups(b, o, g));
    }
    out
}

/// The order in which building ranges are read: the building table's order (A, B, … Z, then
/// named buildings), so 「N～T」 covers N, O, P, Q, R, S, T and skips nothing that is not there.
pub fn expand_label(label: &str, order: &[String]) -> Result<Vec<String>, String> {
    let body = label.trim().trim_end_matches('棟').trim();
    let mut out = Vec::new();
    for part in body.split(['・', '、', ',']).map(|p| p.trim().trim_end_matches('棟').trim()).filter(|p| !p.is_empty())
    {
        let range = part.split_once(['～', '〜', '~']);
        match range {
            Some((from, to)) => {
                let from = from.trim().trim_end_matches('棟');
                let to = to.trim().trim_end_matches('棟');
                let (Some(i), Some(j)) = (order.iter().position(|n| n == from), order.iter().position(|n| n == to))
                else {
                    return Err(part.to_string());
                };
                if i > j {
                    return Err(part.to_string());
                }
                out.extend(order[i..=j].iter().cloned());
            }
            None => {
                if !order.iter().any(|n| n == part) {
                    return Err(part.to_string());
                }
                out.push(part.to_string());
            }
        }
    }
    Ok(out)
}

fn check_groups(b: &BuildingsTable, o: &OccupancyTable, g: &GroupsTable) -> Vec<Finding> {
    let order: Vec<String> = b.buildings.iter().map(|x| x.name.clone()).collect();
    let households = |n: &str| o.rows.iter().find(|r| r.building == n).map(|r| r.households).unwrap_or(0);
    let mut out = Vec::new();
    let mut expanded = Vec::new();
    for grp in &g.groups {
        match expand_label(&grp.label, &order) {
            Ok(names) => expanded.push((grp, names)),
            Err(part) => out.push(f(
                "group_label",
                &grp.label,
                format!("「{}」の「{}」を棟として読めません", grp.label, part),
                format!("\"{}\": cannot read \"{}\" as buildings", grp.label, part),
            )),
        }
    }
    let in_any: Vec<&String> = expanded.iter().flat_map(|(_, n)| n.iter()).collect();
    for (grp, names) in &expanded {
        let actual: i64 = names.iter().map(|n| households(n)).sum();
        if actual == grp.declared {
            continue;
        }
        let diff = grp.declared - actual;
        // Suggest the building(s) whose households close the gap, preferring ones in no group.
        let hint = order
            .iter()
            .filter(|n| !names.contains(n) && !in_any.contains(n) && households(n) == diff.abs())
            .map(|n| n.to_string())
            .collect::<Vec<_>>();
        let (hint_ja, hint_en) = match (hint.first(), diff > 0) {
            (Some(n), true) => (
                format!("{n}棟（{}世帯）を含めると一致します", households(n)),
                format!(" Adding building {n} ({} households) makes it agree.", households(n)),
            ),
            (Some(n), false) => (
                format!("{n}棟（{}世帯）を除くと一致します", households(n)),
                format!(" Removing building {n} makes it agree."),
            ),
            (None, _) => (String::new(), String::new()),
        };
        out.push(f(
            "group_count",
            &grp.label,
            format!(
                "{}：表記の棟（{}）の入居世帯は{}世帯ですが、{}戸と記載されています。{}",
                grp.label,
                names.join(", "),
                actual,
                grp.declared,
                hint_ja
            ),
            format!(
                "{}: the buildings named ({}) hold {} households, but {} is printed.{}",
                grp.label,
                names.join(", "),
                actual,
                grp.declared,
                hint_en
            ),
        ));
    }
    if let Some((_, total)) = g.total {
        let sum: i64 = g.groups.iter().map(|x| x.declared).sum();
        if sum != total {
            out.push(f(
                "group_total",
                "合計",
                format!("対象世帯の合計{total}が各区分の合計{sum}と一致しません"),
                format!("Target total {total} ≠ sum of groups {sum}"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> Vec<String> {
        ["A", "B", "C", "D", "E", "G", "H", "I", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "のぎく", "つばき"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn labels_expand_over_the_table_order() {
        assert_eq!(expand_label("A～E棟", &order()).unwrap(), vec!["A", "B", "C", "D", "E"]);
        assert_eq!(expand_label("H・N～T棟", &order()).unwrap(), vec!["H", "N", "O", "P", "Q", "R", "S", "T"]);
        assert_eq!(expand_label("のぎく・つばき", &order()).unwrap(), vec!["のぎく", "つばき"]);
        assert!(expand_label("F棟", &order()).is_err());
        assert!(expand_label("T～N棟", &order()).is_err());
    }
}
