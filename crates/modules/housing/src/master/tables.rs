//! Reading the seed's master tables (住棟別諸元一覧・各棟の入居状況・対象世帯) from CSV or xlsx.
//!
//! The tables arrive as printed in a 要求水準書: a building with several unit types takes several
//! lines whose building cells are blank (continuation lines), the last line is 「計」, numbers carry
//! units (「907戸」「1,354.6㎡」「67%」). Every cell is checked and every error reported with its row;
//! the caller writes nothing unless the report is clean. Consistency between the tables is
//! [`super::check`]'s job.

use crate::domain::BuildingRole;
use tabane_calendar::Era;
use tabane_tabular::{BoundRow, Column, FieldError, ImportReport, Schema, Table};

/// 間取り行 (one unit-type line of a building).
#[derive(Clone, Debug, PartialEq)]
pub struct UnitTypeIn {
    pub layout: String,
    /// 戸当専用面積 in 0.01 m².
    pub area_centi: Option<i64>,
    pub count: i64,
}

/// 住棟 (one building of 住棟別諸元一覧).
#[derive(Clone, Debug, PartialEq)]
pub struct BuildingIn {
    pub row: usize,
    pub name: String,
    /// 建設年度 as printed (「昭和48」).
    pub built_wareki: Option<String>,
    /// The same fiscal year in the Western calendar.
    pub built_year: Option<i32>,
    pub structure: Option<String>,
    pub floors: Option<i32>,
    pub corridor: Option<String>,
    pub elevator: Option<bool>,
    /// 建築面積 / 延床面積 in 0.01 m².
    pub building_area: Option<i64>,
    pub floor_area: Option<i64>,
    /// 管理戸数 of the building when the table gives one figure per building.
    pub units_declared: Option<i64>,
    pub roles: Vec<BuildingRole>,
    pub unit_types: Vec<UnitTypeIn>,
}

impl BuildingIn {
    /// 管理戸数: the sum of the unit-type lines, or the declared figure.
    pub fn units(&self) -> i64 {
        if self.unit_types.is_empty() {
            self.units_declared.unwrap_or(0)
        } else {
            self.unit_types.iter().map(|t| t.count).sum()
        }
    }
}

/// The 「計」 line as printed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrintedTotals {
    pub row: usize,
    pub units: Option<i64>,
    pub vacant: Option<i64>,
    pub households: Option<i64>,
    pub rate: Option<i64>,
    pub building_area: Option<i64>,
    pub floor_area: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct BuildingsTable {
    pub buildings: Vec<BuildingIn>,
    pub total: Option<PrintedTotals>,
}

/// 各棟の入居状況 (one line).
#[derive(Clone, Debug, PartialEq)]
pub struct OccupancyIn {
    pub row: usize,
    pub building: String,
    pub units: i64,
    pub vacant: i64,
    pub households: i64,
    /// 入居率 as printed, in percent.
    pub rate_printed: Option<i64>,
}

#[derive(Clone, Debug, Default)]
pub struct OccupancyTable {
    pub rows: Vec<OccupancyIn>,
    pub total: Option<PrintedTotals>,
}

/// 対象世帯の区分 (one line of §8(4)'s table: a label such as 「H・N～T棟」 and its count).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupIn {
    pub row: usize,
    pub label: String,
    pub declared: i64,
}

#[derive(Clone, Debug, Default)]
pub struct GroupsTable {
    pub groups: Vec<GroupIn>,
    /// The 「合計」 line.
    pub total: Option<(usize, i64)>,
}

const fn col(
    key: &'static str,
    ja: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
    required: bool,
) -> Column {
    Column { key, header_ja: ja, header_en: en, aliases, required }
}

pub static BUILDINGS: Schema = Schema {
    columns: &[
        col("name", "棟番号", "Building", &["棟名", "住棟", "棟"], true),
        col("built", "建設年度", "Fiscal year built", &["建設年度(元号)", "建設年度(和暦)", "竣工(年度)"], false),
        col("built_year", "建設年度（西暦）", "Fiscal year built (Western)", &["建設年度(西暦)"], false),
        col("structure_floors", "構造・階数", "Structure and floors", &["構造・階数(原文)"], false),
        col("structure", "構造", "Structure", &[], false),
        col("floors", "階数", "Floors", &[], false),
        col("corridor", "住棟型式", "Corridor type", &["型式"], false),
        col("elevator", "エレベーター", "Elevator", &["EV"], false),
        col("units", "管理戸数", "Units", &["管理戸数(戸)", "戸数"], false),
        col("layout", "間取り", "Layout", &["住戸タイプ"], false),
        col("area", "戸当専用面積", "Private area per unit (m²)", &["戸当専用面積(㎡)", "専用面積"], false),
        col("building_area", "建築面積", "Building area (m²)", &["建築面積(㎡)"], false),
        col("floor_area", "延床面積", "Gross floor area (m²)", &["延床面積(㎡)"], false),
        col("roles", "事業上の役割", "Project role", &["役割"], false),
    ],
};

pub static UNIT_TYPES: Schema = Schema {
    columns: &[
        col("name", "棟番号", "Building", &["棟名", "住棟", "棟"], true),
        col("layout", "間取り", "Layout", &["住戸タイプ"], true),
        col("area", "戸当専用面積", "Private area per unit (m²)", &["戸当専用面積(㎡)", "専用面積"], false),
        col("units", "管理戸数", "Units", &["管理戸数(戸)", "戸数"], true),
    ],
};

pub static OCCUPANCY: Schema = Schema {
    columns: &[
        col("name", "棟番号", "Building", &["棟名", "住棟", "棟"], true),
        col("units", "戸数", "Units", &["管理戸数", "管理戸数(戸)"], true),
        col("vacant", "空き", "Vacant", &["空家", "空き戸数"], true),
        col("households", "入居世帯数", "Households", &["入居世帯", "世帯数"], true),
        col("rate", "入居率", "Occupancy rate", &[], false),
    ],
};

pub static GROUPS: Schema = Schema {
    columns: &[
        col("label", "対象棟", "Buildings", &["棟", "区分"], true),
        col("count", "戸数", "Households", &["戸数(戸)", "世帯数"], true),
    ],
};

/// A number as printed: 「907戸」「1,354.6 m²」「67%」「22世帯」, full-width digits allowed.
fn clean_number(s: &str) -> String {
    let t = tabane_tabular::to_halfwidth_ascii(s.trim()).to_string();
    t.replace([',', ' '], "")
        .trim_end_matches(['戸', '㎡', '%', '％', '人'])
        .trim_end_matches("m²")
        .trim_end_matches("世帯")
        .trim_end_matches("m2")
        .trim()
        .to_string()
}

fn err(ja: String, en: String) -> FieldError {
    FieldError::new(ja, en)
}

/// A count (整数): 「907戸」.
pub fn parse_count(s: &str) -> Result<Option<i64>, FieldError> {
    let c = clean_number(s);
    if c.is_empty() {
        return Ok(None);
    }
    c.parse::<i64>()
        .ok()
        .filter(|v| *v >= 0)
        .map(Some)
        .ok_or_else(|| err(format!("「{s}」は0以上の整数ではありません"), format!("\"{s}\" is not a whole number ≥ 0")))
}

/// An area in 0.01 m²: 「1,354.6」 → 135460. More than two decimals is refused rather than rounded.
pub fn parse_area(s: &str) -> Result<Option<i64>, FieldError> {
    let c = clean_number(s);
    if c.is_empty() {
        return Ok(None);
    }
    let bad = || {
        err(
            format!("「{s}」は面積（㎡、小数2桁まで）として読めません"),
            format!("\"{s}\" is not an area in m² (up to 2 decimals)"),
        )
    };
    let (whole, frac) = c.split_once('.').unwrap_or((&c, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    Ok(Some(w * 100 + f))
}

/// 建設年度 in 和暦: 「昭和48」「昭和48年度」「平成8年」 → (printed, 1973). A bare Western year is accepted too.
pub fn parse_wareki_year(s: &str) -> Result<Option<(String, i32)>, FieldError> {
    let t = tabane_tabular::to_halfwidth_ascii(s.trim()).to_string();
    if t.is_empty() {
        return Ok(None);
    }
    let core = t.trim_end_matches("度").trim_end_matches("年").trim_end_matches("年度");
    if let Ok(y) = core.parse::<i32>()
        && (1868..=2100).contains(&y)
    {
        return Ok(Some((t.clone(), y)));
    }
    let split = core.char_indices().find(|(_, c)| c.is_ascii_digit() || *c == '元').map(|(i, _)| i);
    if let Some(i) = split {
        let (era, num) = core.split_at(i);
        let n = if num == "元" { Some(1) } else { num.parse::<i32>().ok() };
        if let (Some(era), Some(n)) = (Era::from_name_ja(era.trim()), n)
            && n >= 1
        {
            use chrono::Datelike;
            return Ok(Some((t.clone(), era.start().year() + n - 1)));
        }
    }
    Err(err(
        format!("「{s}」は和暦の年度（例：昭和48）として読めません"),
        format!("\"{s}\" is not a Japanese-era year (e.g. 昭和48)"),
    ))
}

/// 「中耐5F」 → ("中耐", 5); 「RC造」 → ("RC造", None).
pub fn split_structure(s: &str) -> (Option<String>, Option<i32>) {
    let t = tabane_tabular::to_halfwidth_ascii(s.trim()).to_string();
    if t.is_empty() {
        return (None, None);
    }
    let stripped = t.trim_end_matches(['F', 'f', '階']);
    let digits_at = stripped.char_indices().rev().take_while(|(_, c)| c.is_ascii_digit()).last().map(|(i, _)| i);
    match digits_at {
        Some(i) if stripped.len() < t.len() => {
            (Some(stripped[..i].to_string()).filter(|x| !x.is_empty()), stripped[i..].parse().ok())
        }
        _ => (Some(t), None),
    }
}

fn is_total_label(s: &str) -> bool {
    matches!(s.trim(), "計" | "合計" | "総計" | "小計")
}

fn count_cell(report: &mut ImportReport, r: &BoundRow<'_>, key: &str) -> Option<i64> {
    report.field(r, key, parse_count(r.get(key))).flatten()
}

fn area_cell(report: &mut ImportReport, r: &BoundRow<'_>, key: &str) -> Option<i64> {
    report.field(r, key, parse_area(r.get(key))).flatten()
}

/// Reads 住棟別諸元一覧 (as printed, with continuation lines and a 計 line, or one line per building).
pub fn read_buildings(table: &Table) -> Result<BuildingsTable, ImportReport> {
    let bound = BUILDINGS.bind(table)?;
    let mut report = ImportReport::new(bound.len());
    let mut out = BuildingsTable::default();
    for r in bound.rows() {
        let name = r.get("name").trim().to_string();
        if is_total_label(&name) {
            out.total = Some(PrintedTotals {
                row: r.number(),
                units: count_cell(&mut report, &r, "units"),
                building_area: area_cell(&mut report, &r, "building_area"),
                floor_area: area_cell(&mut report, &r, "floor_area"),
                ..Default::default()
            });
            continue;
        }
        let unit_line = if bound.has("layout") && !r.get("layout").trim().is_empty() {
            let count = count_cell(&mut report, &r, "units");
            if count.is_none() {
                report.add(r.error(
                    "units",
                    FieldError::new("間取りの行には管理戸数が必要です", "A unit-type line needs its number of units"),
                ));
            }
            Some(UnitTypeIn {
                layout: r.get("layout").trim().to_string(),
                area_centi: area_cell(&mut report, &r, "area"),
                count: count.unwrap_or(0),
            })
        } else {
            None
        };
        if name.is_empty() {
            // Continuation line: another unit type of the building above.
            match (out.buildings.last_mut(), unit_line) {
                (Some(b), Some(t)) => b.unit_types.push(t),
                (None, _) => report.add(r.error(
                    "name",
                    FieldError::new("最初の行に棟番号がありません", "The first row has no building name"),
                )),
                (Some(_), None) => report.add(r.error(
                    "name",
                    FieldError::new("棟番号が空で、間取りもありません", "No building name and no unit type"),
                )),
            }
            continue;
        }
        if out.buildings.iter().any(|b| b.name == name) {
            report.add(r.error(
                "name",
                FieldError::new(format!("棟「{name}」が2回あります"), format!("Building \"{name}\" appears twice")),
            ));
            continue;
        }
        let built = report.field(&r, "built", parse_wareki_year(r.get("built"))).flatten();
        let built_year = match r.get("built_year").trim() {
            "" => built.as_ref().map(|b| b.1),
            y => report.field(
                &r,
                "built_year",
                y.parse::<i32>().map_err(|_| {
                    FieldError::new(format!("「{y}」は西暦の年ではありません"), format!("\"{y}\" is not a year"))
                }),
            ),
        };
        let (mut structure, mut floors) = split_structure(r.get("structure_floors"));
        if !r.get("structure").trim().is_empty() {
            structure = Some(r.get("structure").trim().to_string());
        }
        if !r.get("floors").trim().is_empty() {
            floors = report
                .field(&r, "floors", parse_count(r.get("floors").trim_end_matches('階')))
                .flatten()
                .map(|v| v as i32);
        }
        let elevator = match r.get("elevator").trim() {
            "" | "記載なし" => None,
            "あり" | "有" | "EVあり" | "yes" | "true" => Some(true),
            "なし" | "無" | "no" | "false" => Some(false),
            other => {
                report.add(r.error(
                    "elevator",
                    FieldError::new(
                        format!("「{other}」は「あり」「なし」のどちらでもありません"),
                        format!("\"{other}\" is neither yes nor no"),
                    ),
                ));
                None
            }
        };
        let corridor = Some(r.get("corridor").trim().to_string()).filter(|s| !s.is_empty());
        let roles = match BuildingRole::parse_list(r.get("roles")) {
            Ok(v) => v,
            Err(part) => {
                report.add(r.error(
                    "roles",
                    FieldError::new(
                        format!("役割「{part}」は使えません（{}）", BuildingRole::choices_ja()),
                        format!("Unknown role \"{part}\""),
                    ),
                ));
                vec![]
            }
        };
        let elevator = elevator.or_else(|| corridor.as_deref().filter(|c| c.contains("EVあり")).map(|_| true));
        out.buildings.push(BuildingIn {
            row: r.number(),
            name,
            built_wareki: built.map(|b| b.0),
            built_year,
            structure,
            floors,
            corridor,
            elevator,
            building_area: area_cell(&mut report, &r, "building_area"),
            floor_area: area_cell(&mut report, &r, "floor_area"),
            units_declared: if unit_line.is_some() { None } else { count_cell(&mut report, &r, "units") },
            roles,
            unit_types: unit_line.into_iter().collect(),
        });
    }
    if out.buildings.is_empty() && report.is_ok() {
        report.add(tabane_tabular::RowError::custom(
            1,
            "",
            "住棟の行が1行もありません",
            "The file has no building rows",
        ));
    }
    if report.is_ok() { Ok(out) } else { Err(report) }
}

/// Adds the lines of a separate 間取り table (normalised form) to the buildings read before.
pub fn read_unit_types(table: &Table, buildings: &mut BuildingsTable) -> Result<(), ImportReport> {
    let bound = UNIT_TYPES.bind(table)?;
    let mut report = ImportReport::new(bound.len());
    for r in bound.rows() {
        let name = r.get("name").trim();
        let count = count_cell(&mut report, &r, "units").unwrap_or(0);
        let area = area_cell(&mut report, &r, "area");
        match buildings.buildings.iter_mut().find(|b| b.name == name) {
            Some(b) => {
                b.unit_types.push(UnitTypeIn { layout: r.get("layout").trim().to_string(), area_centi: area, count })
            }
            None => report.add(r.error(
                "name",
                FieldError::new(
                    format!("棟「{name}」は住棟別諸元一覧にありません"),
                    format!("Building \"{name}\" is not in the building table"),
                ),
            )),
        }
    }
    if report.is_ok() { Ok(()) } else { Err(report) }
}

/// Reads 各棟の入居状況. A 「計」 line is kept apart for checking.
pub fn read_occupancy(table: &Table) -> Result<OccupancyTable, ImportReport> {
    let bound = OCCUPANCY.bind(table)?;
    let mut report = ImportReport::new(bound.len());
    let mut out = OccupancyTable::default();
    for r in bound.rows() {
        let name = r.get("name").trim().to_string();
        let units = count_cell(&mut report, &r, "units");
        let vacant = count_cell(&mut report, &r, "vacant");
        let households = count_cell(&mut report, &r, "households");
        let rate = count_cell(&mut report, &r, "rate");
        if is_total_label(&name) {
            out.total = Some(PrintedTotals { row: r.number(), units, vacant, households, rate, ..Default::default() });
            continue;
        }
        if name.is_empty() {
            report.add(r.error("name", FieldError::new("棟番号が空です", "Building name is empty")));
            continue;
        }
        if out.rows.iter().any(|o| o.building == name) {
            report.add(r.error(
                "name",
                FieldError::new(format!("棟「{name}」が2回あります"), format!("Building \"{name}\" appears twice")),
            ));
            continue;
        }
        for (key, v) in [("units", units), ("vacant", vacant), ("households", households)] {
            if v.is_none() && r.get(key).trim().is_empty() {
                report.add(r.error(key, FieldError::new("値が空です", "Value is empty")));
            }
        }
        out.rows.push(OccupancyIn {
            row: r.number(),
            building: name,
            units: units.unwrap_or(0),
            vacant: vacant.unwrap_or(0),
            households: households.unwrap_or(0),
            rate_printed: rate,
        });
    }
    if report.is_ok() { Ok(out) } else { Err(report) }
}

/// Reads §8(4)'s table of target buildings (「A～E棟」94 …, 「合計」382).
pub fn read_groups(table: &Table) -> Result<GroupsTable, ImportReport> {
    let bound = GROUPS.bind(table)?;
    let mut report = ImportReport::new(bound.len());
    let mut out = GroupsTable::default();
    for r in bound.rows() {
        let label = r.get("label").trim().to_string();
        let Some(count) = count_cell(&mut report, &r, "count") else {
            if r.get("count").trim().is_empty() {
                report.add(r.error("count", FieldError::new("戸数が空です", "Count is empty")));
            }
            continue;
        };
        if is_total_label(&label) || label.is_empty() {
            out.total = Some((r.number(), count));
        } else {
            out.groups.push(GroupIn { row: r.number(), label, declared: count });
        }
    }
    if report.is_ok() { Ok(out) } else { Err(report) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed() {
        assert_eq!(parse_count("907戸").unwrap(), Some(907));
        assert_eq!(parse_count("").unwrap(), None);
        assert!(parse_count("-3").is_err());
        assert_eq!(parse_area("1,354.6").unwrap(), Some(135_460));
        assert_eq!(parse_area("44.54").unwrap(), Some(4454));
        assert_eq!(parse_area("1,653.4 m²").unwrap(), Some(165_340));
        assert!(parse_area("1.234").is_err());
        assert_eq!(parse_count("67%").unwrap(), Some(67));
    }

    #[test]
    fn wareki_years() {
        assert_eq!(parse_wareki_year("昭和48").unwrap(), Some(("昭和48".into(), 1973)));
        assert_eq!(parse_wareki_year("平成8").unwrap().unwrap().1, 1996);
        assert_eq!(parse_wareki_year("昭和50年度").unwrap().unwrap().1, 1975);
        assert!(parse_wareki_year("大昔").is_err());
    }

    #[test]
    fn structures() {
        assert_eq!(split_structure("中耐5F"), (Some("中耐".into()), Some(5)));
        assert_eq!(split_structure("中耐7F"), (Some("中耐".into()), Some(7)));
        assert_eq!(split_structure("RC造"), (Some("RC造".into()), None));
    }
}
