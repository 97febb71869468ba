//! 現状把握 (current state, STEP0 Q0-1 and 付録【現状把握ツール】): 「職員の大量退職の時期を把握し、
//! 新たな取組に舵を切らなければいけない『タイムリミット』を把握する」; 「業務配分時間の理想と現実の
//! ギャップから、『効率化を図るべき業務項目の優先度』を把握する」; and the indicators compared
//! with the average of municipalities of the same population (見える化 reference table).

use super::planning_input::{Pairs, int, lenient, num};
use serde::{Deserialize, Serialize};
use tabane_core::Error;
use tabane_core::error::Problems;
use tabane_web::chart::{Anchor, Chart};

/// 年齢階層 (as typed).
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct BandInput {
    #[serde(default, deserialize_with = "lenient")]
    pub age_from: String,
    #[serde(default, deserialize_with = "lenient")]
    pub age_to: String,
    /// 土木部署職員数.
    #[serde(default, deserialize_with = "lenient")]
    pub civil_staff: String,
    /// うち技術系職員数.
    #[serde(default, deserialize_with = "lenient")]
    pub engineers: String,
}

/// 業務項目の配分時間 (as typed; hours or %, only the shares matter).
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct TaskInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub actual: String,
    #[serde(default, deserialize_with = "lenient")]
    pub ideal: String,
}

/// 現状把握の入力.
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct CurrentInput {
    /// 基準年 (default this year).
    #[serde(default, deserialize_with = "lenient")]
    pub year: String,
    /// 定年 (default 65).
    #[serde(default, deserialize_with = "lenient")]
    pub retirement_age: String,
    /// ベテランとみなす年齢 (default 50).
    #[serde(default, deserialize_with = "lenient")]
    pub veteran_age: String,
    #[serde(default)]
    pub bands: Vec<BandInput>,
    #[serde(default)]
    pub tasks: Vec<TaskInput>,
    /// 人口 (for the comparison).
    #[serde(default, deserialize_with = "lenient")]
    pub population: String,
    /// 建設後50年以上の橋梁数 (optional).
    #[serde(default, deserialize_with = "lenient")]
    pub bridges_50y: String,
    /// 建設業従業者数 (optional).
    #[serde(default, deserialize_with = "lenient")]
    pub construction_workers: String,
}

#[derive(Serialize, Clone, schemars::JsonSchema)]
pub struct BandRow {
    pub age_from: u32,
    pub age_to: u32,
    pub civil_staff: f64,
    pub engineers: f64,
    /// 退職が始まる年 and 全員が退職する年 of the band.
    pub retire_from_year: i32,
    pub retire_to_year: i32,
}

#[derive(Serialize, Clone, schemars::JsonSchema)]
pub struct TaskRow {
    pub name: String,
    /// 現実の配分 (%).
    pub actual_pct: f64,
    /// 理想の配分 (%).
    pub ideal_pct: f64,
    /// 現実 − 理想 (points; positive = more time than ideal).
    pub gap_points: f64,
    /// 効率化の優先度 (1 = first).
    pub priority: usize,
}

#[derive(Serialize, Clone, schemars::JsonSchema)]
pub struct IndicatorRow {
    pub indicator: String,
    pub value: f64,
    pub class_average: f64,
    /// value ÷ average.
    pub ratio: f64,
}

/// 現状把握の結果.
#[derive(Serialize, Clone, schemars::JsonSchema)]
pub struct CurrentResult {
    pub year: i32,
    pub retirement_age: u32,
    pub veteran_age: u32,
    pub bands: Vec<BandRow>,
    pub engineers_total: f64,
    pub veterans: f64,
    /// ベテランの退職が始まる年.
    pub first_retirement_year: Option<i32>,
    /// ベテランの半数が退職する年.
    pub half_retired_year: Option<i32>,
    /// タイムリミット: ベテランが全員退職する年.
    pub time_limit_year: Option<i32>,
    /// (year, engineers still employed without new hiring), next 20 years.
    pub projection: Vec<(i32, f64)>,
    pub summary: String,
    pub tasks: Vec<TaskRow>,
    /// 人口規模の区分 and the comparison, when a population was given.
    pub population_class: Option<String>,
    pub indicators: Vec<IndicatorRow>,
}

impl CurrentInput {
    /// The usual age bands, empty counts.
    pub fn blank() -> Self {
        let band = |a: &str, b: &str| BandInput { age_from: a.into(), age_to: b.into(), ..Default::default() };
        let task = |n: &str| TaskInput { name: n.into(), ..Default::default() };
        Self {
            retirement_age: "65".into(),
            veteran_age: "50".into(),
            bands: vec![band("20", "29"), band("30", "39"), band("40", "49"), band("50", "59"), band("60", "64")],
            tasks: vec![
                task("住民対応・窓口"),
                task("発注・契約・支払"),
                task("現場確認・監督"),
                task("計画策定"),
                task("点検・診断"),
                task("その他"),
            ],
            ..Default::default()
        }
    }

    pub fn from_pairs(q: &Pairs) -> Self {
        let bands = (0..q.all("b_from").len())
            .map(|i| BandInput {
                age_from: q.nth("b_from", i),
                age_to: q.nth("b_to", i),
                civil_staff: q.nth("b_civil", i),
                engineers: q.nth("b_eng", i),
            })
            .collect();
        let tasks = (0..q.all("t_name").len())
            .map(|i| TaskInput { name: q.nth("t_name", i), actual: q.nth("t_actual", i), ideal: q.nth("t_ideal", i) })
            .collect();
        Self {
            year: q.get("year"),
            retirement_age: q.get("retirement_age"),
            veteran_age: q.get("veteran_age"),
            bands,
            tasks,
            population: q.get("population"),
            bridges_50y: q.get("bridges_50y"),
            construction_workers: q.get("construction_workers"),
        }
    }

    /// Checks every field and computes the picture.
    pub fn compute(&self) -> Result<CurrentResult, Error> {
        let mut p = Problems::default();
        let this_year = chrono::Datelike::year(&crate::service::work_orders::today_jst()) as i64;
        let year = int(&mut p, "year", "基準年", "Base year", &self.year, Some(this_year), 1990, 2100) as i32;
        let retirement_age =
            int(&mut p, "retirement_age", "定年（歳）", "Retirement age", &self.retirement_age, Some(65), 50, 80)
                as u32;
        let veteran_age = int(
            &mut p,
            "veteran_age",
            "ベテランとみなす年齢（歳）",
            "Veteran age",
            &self.veteran_age,
            Some(50),
            18,
            80,
        ) as u32;
        let mut bands = Vec::new();
        for (i, b) in self.bands.iter().enumerate() {
            if b.civil_staff.trim().is_empty() && b.engineers.trim().is_empty() {
                continue;
            }
            let key = |k: &str| format!("bands[{i}].{k}");
            let lab = |ja: &str| format!("{}行目の{ja}", i + 1);
            let en = |e: &str| format!("{e} in row {}", i + 1);
            let from =
                int(&mut p, &key("age_from"), &lab("年齢（から）"), &en("Age from"), &b.age_from, None, 15, 80) as u32;
            let to = int(&mut p, &key("age_to"), &lab("年齢（まで）"), &en("Age to"), &b.age_to, None, 15, 80) as u32;
            if to < from {
                p.push(
                    &key("age_to"),
                    &lab("年齢（まで）"),
                    &en("Age to"),
                    format!("が「から」（{from}歳）より小さくなっています"),
                    "is below the lower age",
                );
            }
            let civil = num(
                &mut p,
                &key("civil_staff"),
                &lab("土木部署職員数"),
                &en("Civil-works staff"),
                &b.civil_staff,
                Some(0.0),
                0.0,
                1e6,
            );
            let eng = num(
                &mut p,
                &key("engineers"),
                &lab("技術系職員数"),
                &en("Engineers"),
                &b.engineers,
                Some(0.0),
                0.0,
                1e6,
            );
            if eng > civil && !b.civil_staff.trim().is_empty() {
                p.push(
                    &key("engineers"),
                    &lab("技術系職員数"),
                    &en("Engineers"),
                    format!("（{eng}）が土木部署職員数（{civil}）を超えています"),
                    "exceed the civil-works staff",
                );
            }
            bands.push((from, to.max(from), civil, eng));
        }
        if bands.is_empty() {
            p.push(
                "bands",
                "年齢階層別の職員数",
                "Staff by age band",
                "を1行以上入力してください",
                "need at least one row",
            );
        }
        let mut tasks = Vec::new();
        for (i, t) in self.tasks.iter().enumerate() {
            if t.actual.trim().is_empty() && t.ideal.trim().is_empty() {
                continue;
            }
            let key = |k: &str| format!("tasks[{i}].{k}");
            let a = num(
                &mut p,
                &key("actual"),
                &format!("{}行目の現実の配分", i + 1),
                &format!("Actual in row {}", i + 1),
                &t.actual,
                Some(0.0),
                0.0,
                1e6,
            );
            let b = num(
                &mut p,
                &key("ideal"),
                &format!("{}行目の理想の配分", i + 1),
                &format!("Ideal in row {}", i + 1),
                &t.ideal,
                Some(0.0),
                0.0,
                1e6,
            );
            tasks.push((
                if t.name.trim().is_empty() { format!("業務{}", i + 1) } else { t.name.trim().to_string() },
                a,
                b,
            ));
        }
        let (sa, si): (f64, f64) = (tasks.iter().map(|t| t.1).sum(), tasks.iter().map(|t| t.2).sum());
        if !tasks.is_empty() && (sa <= 0.0 || si <= 0.0) {
            p.push(
                "tasks",
                "業務配分時間",
                "Time allocation",
                "は現実・理想とも合計が0より大きくなるように入力してください",
                "need positive totals for actual and ideal",
            );
        }
        let population = (!self.population.trim().is_empty())
            .then(|| num(&mut p, "population", "人口", "Population", &self.population, None, 1.0, 1e8));
        let bridges = (!self.bridges_50y.trim().is_empty()).then(|| {
            num(&mut p, "bridges_50y", "建設後50年以上の橋梁数", "Bridges 50+ years", &self.bridges_50y, None, 0.0, 1e6)
        });
        let workers = (!self.construction_workers.trim().is_empty()).then(|| {
            num(
                &mut p,
                "construction_workers",
                "建設業従業者数",
                "Construction workers",
                &self.construction_workers,
                None,
                0.0,
                1e8,
            )
        });
        p.into_result()?;
        Ok(build(year, retirement_age, veteran_age, &bands, &tasks, population, bridges, workers))
    }
}

/// Engineers by single year of age (uniform within each band).
fn by_age(bands: &[(u32, u32, f64, f64)]) -> Vec<(u32, f64)> {
    bands.iter().flat_map(|&(a, b, _, e)| (a..=b).map(move |age| (age, e / f64::from(b - a + 1)))).collect()
}

#[allow(clippy::too_many_arguments)]
fn build(
    year: i32,
    retire: u32,
    veteran: u32,
    bands: &[(u32, u32, f64, f64)],
    tasks: &[(String, f64, f64)],
    population: Option<f64>,
    bridges: Option<f64>,
    workers: Option<f64>,
) -> CurrentResult {
    let ages = by_age(bands);
    let left_in = |k: u32| -> f64 { ages.iter().filter(|(a, _)| a + k < retire).map(|x| x.1).sum() };
    let vets: Vec<&(u32, f64)> = ages.iter().filter(|(a, n)| *a >= veteran && *n > 0.0).collect();
    let veterans: f64 = vets.iter().map(|x| x.1).sum();
    let engineers_total: f64 = bands.iter().map(|b| b.3).sum();
    let retire_year = |age: u32| year + retire.saturating_sub(age) as i32;
    let first_retirement_year = vets.iter().map(|x| x.0).max().map(retire_year);
    let time_limit_year = vets.iter().map(|x| x.0).min().map(retire_year);
    let half_retired_year = (veterans > 0.0)
        .then(|| {
            (0..=60u32)
                .find(|&k| vets.iter().filter(|(a, _)| a + k >= retire).map(|x| x.1).sum::<f64>() >= veterans / 2.0)
                .map(|k| year + k as i32)
        })
        .flatten();
    let projection = (0..=20).map(|k| (year + k as i32, left_in(k))).collect();
    let summary = match (first_retirement_year, time_limit_year) {
        (Some(f), Some(t)) => format!(
            "{veteran}歳以上の技術系職員 {:.0}人は、{f}年から退職が始まり、{}年に半数、{t}年までに全員が定年（{retire}歳）を迎えます。新たな取組に舵を切るタイムリミットは{t}年です。",
            veterans,
            half_retired_year.map(|h| h.to_string()).unwrap_or_else(|| "—".into())
        ),
        _ => format!("{veteran}歳以上の技術系職員はいません。"),
    };
    let (sa, si): (f64, f64) = (tasks.iter().map(|t| t.1).sum(), tasks.iter().map(|t| t.2).sum());
    let mut rows: Vec<TaskRow> = tasks
        .iter()
        .map(|(n, a, i)| {
            let (ap, ip) = (a / sa * 100.0, i / si * 100.0);
            TaskRow { name: n.clone(), actual_pct: ap, ideal_pct: ip, gap_points: ap - ip, priority: 0 }
        })
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&x, &y| rows[y].gap_points.total_cmp(&rows[x].gap_points));
    for (rank, &k) in order.iter().enumerate() {
        rows[k].priority = rank + 1;
    }
    // The guide's class averages, as the 見える化 uses them.
    let class = population.and_then(|pop| crate::analytics::mieruka::PopClass::of(pop as i64).reference());
    let mut indicators = Vec::new();
    if let Some(c) = class {
        let mut push = |name: &str, v: f64, avg: f64| {
            indicators.push(IndicatorRow { indicator: name.into(), value: v, class_average: avg, ratio: v / avg })
        };
        push("技術系職員数", engineers_total, c.engineers);
        if let Some(b) = bridges {
            push("建設後50年以上の橋梁数", b, c.bridges_50y);
        }
        if let Some(w) = workers {
            push("建設業従業者数", w, c.construction_workers);
        }
    }
    let population_class = match (population, class) {
        (Some(_), Some(c)) => Some(c.class_label.to_string()),
        (Some(_), None) => Some("30万人以上（参照表の範囲外）".to_string()),
        _ => None,
    };
    CurrentResult {
        year,
        retirement_age: retire,
        veteran_age: veteran,
        bands: bands
            .iter()
            .map(|&(a, b, c, e)| BandRow {
                age_from: a,
                age_to: b,
                civil_staff: c,
                engineers: e,
                retire_from_year: retire_year(b),
                retire_to_year: retire_year(a),
            })
            .collect(),
        engineers_total,
        veterans,
        first_retirement_year,
        half_retired_year,
        time_limit_year,
        projection,
        summary,
        tasks: rows,
        population_class,
        indicators,
    }
}

impl CurrentResult {
    /// 年齢階層別の職員数 (bars: civil-works staff, engineers inside).
    pub fn staff_chart(&self, en: bool) -> Option<Chart> {
        if self.bands.is_empty() {
            return None;
        }
        let (w, h, left) = (560.0, 180.0, 40.0);
        let max = self.bands.iter().map(|b| b.civil_staff.max(b.engineers)).fold(1.0, f64::max) * 1.1;
        let slot = (w - left - 10.0) / self.bands.len() as f64;
        let title = if en { "Staff by age band" } else { "年齢階層別の職員数" };
        let mut c = Chart::new("age", title, w, h + 45.0);
        for (i, b) in self.bands.iter().enumerate() {
            let x = left + i as f64 * slot;
            let (hc, he) = (b.civil_staff / max * h, b.engineers / max * h);
            let vet = b.age_from >= self.veteran_age;
            let civil = format!("{}〜{}歳 土木部署 {}人", b.age_from, b.age_to, b.civil_staff);
            let eng = format!(
                "{}〜{}歳 技術系 {}人（{}〜{}年に退職）",
                b.age_from, b.age_to, b.engineers, b.retire_from_year, b.retire_to_year
            );
            c.rect(x + slot * 0.15, 10.0 + h - hc, slot * 0.35, hc, "#90caf9", Some(civil))
                .rect(
                    x + slot * 0.5,
                    10.0 + h - he,
                    slot * 0.35,
                    he,
                    if vet { "#b71c1c" } else { "#1565c0" },
                    Some(eng),
                )
                .text(x + slot / 2.0, h + 24.0, 11, Anchor::Middle, format!("{}〜{}", b.age_from, b.age_to));
        }
        let (l1, l2) = if en {
            ("civil-works staff", "engineers (red: veterans)")
        } else {
            ("土木部署職員", "技術系職員（赤：ベテラン）")
        };
        c.swatch(left, h + 32.0, "#90caf9", l1).swatch(left + 160.0, h + 32.0, "#1565c0", l2);
        Some(c)
    }

    /// 業務配分時間：現実と理想 (horizontal paired bars).
    pub fn tasks_chart(&self, en: bool) -> Option<Chart> {
        if self.tasks.is_empty() {
            return None;
        }
        let (w, left, row) = (560.0, 150.0, 34.0);
        let h = row * self.tasks.len() as f64 + 30.0;
        let max = self.tasks.iter().map(|t| t.actual_pct.max(t.ideal_pct)).fold(1.0, f64::max);
        let scale = (w - left - 60.0) / max;
        let title = if en { "Time allocation: actual vs ideal" } else { "業務配分時間：現実と理想" };
        let mut c = Chart::new("task", title, w, h);
        for (i, t) in self.tasks.iter().enumerate() {
            let y = 5.0 + i as f64 * row;
            let (a, d) = (t.actual_pct, t.ideal_pct);
            // Task names are typed by the user: the template escapes them like any text.
            c.text(left - 6.0, y + 16.0, 12, Anchor::End, t.name.clone())
                .rect(left, y, a * scale, 12.0, "#ef6c00", Some(format!("現実 {a:.1}%")))
                .text(left + a * scale + 4.0, y + 10.0, 11, Anchor::Start, format!("{a:.1}%"))
                .rect(left, y + 14.0, d * scale, 12.0, "#2e7d32", Some(format!("理想 {d:.1}%")))
                .text(left + d * scale + 4.0, y + 24.0, 11, Anchor::Start, format!("{d:.1}%"));
        }
        let (l1, l2) = if en { ("actual", "ideal") } else { ("現実", "理想") };
        c.swatch(left, h - 14.0, "#ef6c00", l1).swatch(left + 70.0, h - 14.0, "#2e7d32", l2);
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn veterans_time_limit_and_priorities() {
        let bands = [(30, 39, 4.0, 2.0), (50, 59, 6.0, 5.0), (60, 64, 2.0, 1.0)];
        let tasks =
            [("窓口".to_string(), 40.0, 10.0), ("計画".to_string(), 10.0, 40.0), ("発注".to_string(), 50.0, 50.0)];
        let r = build(2026, 65, 50, &bands, &tasks, Some(20_000.0), Some(128.0), None);
        assert_eq!(r.first_retirement_year, Some(2027)); // the 64-year-old
        assert_eq!(r.time_limit_year, Some(2041)); // the youngest veteran (50)
        assert!((r.veterans - 6.0).abs() < 1e-9);
        assert_eq!(r.tasks[0].priority, 1); // 窓口: 30 points above the ideal
        assert_eq!(r.tasks[1].priority, 3);
        assert_eq!(r.population_class.as_deref(), Some("1〜3万人"));
        assert!((r.indicators[0].ratio - 8.0 / 5.0).abs() < 1e-9);
        assert!((r.indicators[1].ratio - 2.0).abs() < 1e-9);
        assert!(r.summary.contains("2041"));
        assert!((r.projection[0].1 - 8.0).abs() < 1e-9);
        assert!(r.projection[20].1 < r.projection[0].1);
    }
}
