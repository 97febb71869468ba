//! 見える化 (making the state of maintenance visible), chapter 1 of the 群マネ guide: for each
//! municipality its population and 人口規模 (population class), the decline 2020→2050, staff,
//! bridges and those 50 years or older, III/IV bridges, the 着手率 / 完了率 of the repairs of a
//! round's III/IV bridges, the round-to-round transition matrix (improved / same / worsened), and
//! construction-industry workers — each beside the class average of the guide's reference table
//! and the municipality's quartile among its class (上位25% / 中位50% / 下位25%).
//!
//! This file is pure: it turns counts (see `mieruka_data`) into figures.

use serde::Serialize;
use std::collections::BTreeMap;

/// 人口規模 (population class) as the guide groups municipalities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PopClass {
    Under5k,
    From5kTo10k,
    From10kTo30k,
    From30kTo50k,
    From50kTo100k,
    From100kTo300k,
    Over300k,
}

impl PopClass {
    pub const ALL: [PopClass; 7] = [
        Self::Under5k,
        Self::From5kTo10k,
        Self::From10kTo30k,
        Self::From30kTo50k,
        Self::From50kTo100k,
        Self::From100kTo300k,
        Self::Over300k,
    ];

    pub fn of(population: i64) -> Self {
        match population {
            p if p < 5_000 => Self::Under5k,
            p if p < 10_000 => Self::From5kTo10k,
            p if p < 30_000 => Self::From10kTo30k,
            p if p < 50_000 => Self::From30kTo50k,
            p if p < 100_000 => Self::From50kTo100k,
            p if p < 300_000 => Self::From100kTo300k,
            _ => Self::Over300k,
        }
    }

    pub fn label_ja(self) -> &'static str {
        ["5千人未満", "5千〜1万人", "1〜3万人", "3〜5万人", "5〜10万人", "10〜30万人", "30万人以上"][self as usize]
    }

    /// The guide's averages for the class (none is published for 30万人以上).
    pub fn reference(self) -> Option<&'static Reference> {
        REFERENCE.iter().find(|r| r.class == self)
    }
}

/// 人口規模別の平均 (average by population class), seed 004 chapter 1 (source: 政策研究大学院大学).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Reference {
    pub class: PopClass,
    pub class_label: &'static str,
    /// 橋梁数（建設後50年以上経過）.
    pub bridges_50y: f64,
    /// 技術者数.
    pub engineers: f64,
    /// 人口減少率 2020→2050 (%).
    pub decline_pct: f64,
    /// 修繕完了率 (%).
    pub completion_pct: f64,
    /// 建設業従業者数.
    pub construction_workers: f64,
}

macro_rules! reference {
    ($($class:ident, $label:literal, $b:literal, $e:literal, $d:literal, $c:literal, $w:literal;)*) => {
        pub static REFERENCE: &[Reference] = &[$(Reference { class: PopClass::$class, class_label: $label, bridges_50y: $b, engineers: $e, decline_pct: $d, completion_pct: $c, construction_workers: $w }),*];
    };
}

reference! {
    From100kTo300k, "10〜30万人", 139.0, 73.0, 17.0, 66.0, 4829.0;
    From50kTo100k, "5〜10万人", 105.0, 25.0, 24.0, 66.0, 2025.0;
    From30kTo50k, "3〜5万人", 94.0, 12.0, 32.0, 68.0, 1139.0;
    From10kTo30k, "1〜3万人", 64.0, 5.0, 41.0, 67.0, 586.0;
    From5kTo10k, "5千〜1万人", 40.0, 2.0, 45.0, 72.0, 304.0;
    Under5k, "5千人未満", 26.0, 1.0, 50.0, 66.0, 139.0;
}

/// What the database holds for one owner, already counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub bridges: i64,
    /// 建設年不明: never counted as young or old.
    pub bridges_unknown_year: i64,
    pub bridges_50y: i64,
    /// Bridges by 健全性 I..IV of their newest confirmed inspection.
    pub latest: [i64; 4],
    /// Per round: inspected bridges by 健全性.
    pub round_grades: BTreeMap<i32, [i64; 4]>,
    /// Per round: III/IV bridges whose repair has started (incl. done), and done.
    pub round_started: BTreeMap<i32, i64>,
    pub round_done: BTreeMap<i32, i64>,
    /// Per round R: previous grade (row) → grade in R (column).
    pub transitions: BTreeMap<i32, [[i64; 4]; 4]>,
}

impl Counts {
    /// Adds `n` bridges whose newest confirmed grade is `grade`.
    pub fn add_latest(&mut self, grade: Option<i32>, n: i64) {
        if let Some(g) = grade.filter(|g| (1..=4).contains(g)) {
            self.latest[g as usize - 1] += n;
        }
    }

    /// Adds one GROUP BY row of confirmed bridge inspections.
    pub fn add_inspections(
        &mut self,
        round: i32,
        prev: Option<i32>,
        grade: Option<i32>,
        repair_state: &str,
        is_latest: bool,
        n: i64,
    ) {
        let Some(g) = grade.filter(|g| (1..=4).contains(g)).map(|g| g as usize - 1) else { return };
        if is_latest {
            self.latest[g] += n;
        }
        self.round_grades.entry(round).or_default()[g] += n;
        if g >= 2 {
            if matches!(repair_state, "started" | "done") {
                *self.round_started.entry(round).or_default() += n;
            }
            if repair_state == "done" {
                *self.round_done.entry(round).or_default() += n;
            }
        }
        if let Some(p) = prev.filter(|p| (1..=4).contains(p)) {
            self.transitions.entry(round).or_default()[p as usize - 1][g] += n;
        }
    }
}

/// 市町村の基礎数値 as entered or imported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Profile {
    pub population: Option<i64>,
    pub decline_pct: Option<f64>,
    pub civil_staff: Option<i32>,
    pub technical_staff: Option<i32>,
    pub construction_workers: Option<i32>,
}

/// The figures of one organisation for a chosen round.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Figures {
    pub org_id: i64,
    pub name: String,
    pub lg_code: Option<String>,
    pub profile: Profile,
    pub class: Option<PopClass>,
    pub class_label: Option<&'static str>,
    pub bridges: i64,
    pub bridges_50y: i64,
    pub bridges_unknown_year: i64,
    /// Bridges with a confirmed grade, by grade I..IV (newest inspection).
    pub graded: i64,
    pub latest: [i64; 4],
    pub iii_iv: i64,
    /// III/IV among graded bridges (%).
    pub iii_iv_pct: Option<f64>,
    /// III/IV bridges of the chosen round and the 着手率 / 完了率 of their repairs (%).
    pub round_iii_iv: i64,
    pub start_pct: Option<f64>,
    pub done_pct: Option<f64>,
    /// Previous round → the chosen round, and the improved / same / worsened counts.
    pub transition: [[i64; 4]; 4],
    pub improved: i64,
    pub same: i64,
    pub worsened: i64,
}

pub fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// Improved (below the diagonal), same, worsened (above it).
pub fn movement(t: &[[i64; 4]; 4]) -> (i64, i64, i64) {
    let (mut up, mut same, mut down) = (0, 0, 0);
    for (i, row) in t.iter().enumerate() {
        for (j, n) in row.iter().enumerate() {
            match j.cmp(&i) {
                std::cmp::Ordering::Less => up += n,
                std::cmp::Ordering::Equal => same += n,
                std::cmp::Ordering::Greater => down += n,
            }
        }
    }
    (up, same, down)
}

pub fn figures(
    org_id: i64,
    name: String,
    lg_code: Option<String>,
    municipality: bool,
    profile: Profile,
    c: &Counts,
    round: i32,
) -> Figures {
    let class = profile.population.filter(|_| municipality).map(PopClass::of);
    let graded: i64 = c.latest.iter().sum();
    let iii_iv = c.latest[2] + c.latest[3];
    let rg = c.round_grades.get(&round).copied().unwrap_or_default();
    let round_iii_iv = rg[2] + rg[3];
    let transition = c.transitions.get(&round).copied().unwrap_or_default();
    let (improved, same, worsened) = movement(&transition);
    Figures {
        org_id,
        name,
        lg_code,
        class,
        class_label: class.map(PopClass::label_ja),
        bridges: c.bridges,
        bridges_50y: c.bridges_50y,
        bridges_unknown_year: c.bridges_unknown_year,
        graded,
        latest: c.latest,
        iii_iv,
        iii_iv_pct: pct(iii_iv, graded),
        round_iii_iv,
        start_pct: pct(c.round_started.get(&round).copied().unwrap_or(0), round_iii_iv),
        done_pct: pct(c.round_done.get(&round).copied().unwrap_or(0), round_iii_iv),
        transition,
        improved,
        same,
        worsened,
        profile,
    }
}

/// The measures compared with the class, in the guide's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Population,
    Bridges50y,
    Engineers,
    Decline,
    Completion,
    ConstructionWorkers,
    IiiIvShare,
}

impl Measure {
    pub const ALL: [Measure; 7] = [
        Self::Population,
        Self::Bridges50y,
        Self::Engineers,
        Self::Decline,
        Self::Completion,
        Self::ConstructionWorkers,
        Self::IiiIvShare,
    ];

    /// The key in JSON (as serialised).
    pub fn key(self) -> &'static str {
        ["population", "bridges50y", "engineers", "decline", "completion", "construction_workers", "iii_iv_share"]
            [self as usize]
    }

    pub fn label_ja(self) -> &'static str {
        [
            "人口",
            "橋梁数（建設後50年以上）",
            "技術者数",
            "人口減少率（2020→2050）",
            "修繕完了率",
            "建設業従業者数",
            "III・IVの割合",
        ][self as usize]
    }

    pub fn value(self, f: &Figures) -> Option<f64> {
        match self {
            Self::Population => f.profile.population.map(|x| x as f64),
            Self::Bridges50y => Some(f.bridges_50y as f64).filter(|_| f.bridges > 0),
            Self::Engineers => f.profile.technical_staff.map(f64::from),
            Self::Decline => f.profile.decline_pct,
            Self::Completion => f.done_pct,
            Self::ConstructionWorkers => f.profile.construction_workers.map(f64::from),
            Self::IiiIvShare => f.iii_iv_pct,
        }
    }

    pub fn reference(self, r: &Reference) -> Option<f64> {
        match self {
            Self::Bridges50y => Some(r.bridges_50y),
            Self::Engineers => Some(r.engineers),
            Self::Decline => Some(r.decline_pct),
            Self::Completion => Some(r.completion_pct),
            Self::ConstructionWorkers => Some(r.construction_workers),
            Self::Population | Self::IiiIvShare => None,
        }
    }
}

/// Where a value stands among its class: 上位25% (at or above the 75th percentile), 下位25%
/// (at or below the 25th), otherwise 中位50%. "上位" means the larger values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quartile {
    Top,
    Middle,
    Bottom,
}

impl Quartile {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Top => "上位25%",
            Self::Middle => "中位50%",
            Self::Bottom => "下位25%",
        }
    }
}

/// Percentile with linear interpolation between closest ranks (sorted input).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The quartile of `v` among `peers` (which include it). Needs two peers with different values.
pub fn quartile(v: f64, peers: &[f64]) -> Option<Quartile> {
    let mut s: Vec<f64> = peers.iter().copied().filter(|x| x.is_finite()).collect();
    s.sort_by(f64::total_cmp);
    if s.len() < 2 || s.first() == s.last() {
        return None;
    }
    let (q1, q3) = (percentile(&s, 0.25), percentile(&s, 0.75));
    Some(if v >= q3 {
        Quartile::Top
    } else if v <= q1 {
        Quartile::Bottom
    } else {
        Quartile::Middle
    })
}

/// One figure beside the class: the guide's average, the average of the class's municipalities
/// on this platform, and the quartile among them.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    pub measure: Measure,
    pub label: &'static str,
    pub value: Option<f64>,
    pub reference: Option<f64>,
    pub class_average: Option<f64>,
    pub peers: usize,
    pub quartile: Option<Quartile>,
    pub quartile_label: Option<&'static str>,
}

/// Compares `f` with `peers` (every municipality of the platform, `f` among them).
pub fn compare(f: &Figures, peers: &[Figures]) -> Vec<Comparison> {
    let class_peers: Vec<&Figures> = match f.class {
        Some(c) => peers.iter().filter(|p| p.class == Some(c)).collect(),
        None => vec![],
    };
    Measure::ALL
        .iter()
        .map(|&m| {
            let value = m.value(f);
            let vals: Vec<f64> = class_peers.iter().filter_map(|p| m.value(p)).collect();
            let class_average = (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64);
            let quartile = value.and_then(|v| quartile(v, &vals));
            Comparison {
                measure: m,
                label: m.label_ja(),
                value,
                reference: f.class.and_then(PopClass::reference).and_then(|r| m.reference(r)),
                class_average,
                peers: vals.len(),
                quartile,
                quartile_label: quartile.map(Quartile::label_ja),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_guide_boundaries() {
        assert_eq!(PopClass::of(4_999), PopClass::Under5k);
        assert_eq!(PopClass::of(5_000), PopClass::From5kTo10k);
        assert_eq!(PopClass::of(19_000), PopClass::From10kTo30k);
        assert_eq!(PopClass::of(100_000), PopClass::From100kTo300k);
        assert_eq!(PopClass::of(300_000), PopClass::Over300k);
        assert_eq!(PopClass::From10kTo30k.reference().unwrap().bridges_50y, 64.0);
        assert!(PopClass::Over300k.reference().is_none());
        assert_eq!(REFERENCE.len(), 6);
    }

    #[test]
    fn counts_and_movement() {
        let mut c = Counts::default();
        c.add_inspections(2, None, Some(1), "not_started", false, 5);
        c.add_inspections(3, Some(1), Some(2), "not_started", true, 3);
        c.add_inspections(3, Some(2), Some(1), "done", true, 1);
        c.add_inspections(3, Some(1), Some(1), "not_started", true, 1);
        c.add_inspections(3, Some(3), Some(3), "started", true, 2);
        c.add_inspections(3, Some(3), Some(4), "done", true, 1);
        c.bridges = 8;
        let f = figures(1, "A".into(), None, true, Profile { population: Some(20_000), ..Default::default() }, &c, 3);
        assert_eq!(f.latest, [2, 3, 2, 1]);
        assert_eq!((f.improved, f.same, f.worsened), (1, 3, 4));
        assert_eq!(f.round_iii_iv, 3);
        assert_eq!(f.start_pct, Some(100.0));
        assert!((f.done_pct.unwrap() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(f.iii_iv_pct, Some(37.5));
        assert_eq!(f.class, Some(PopClass::From10kTo30k));
    }

    #[test]
    fn measure_keys_are_their_json_names() {
        for m in Measure::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), m.key());
        }
    }

    #[test]
    fn quartiles() {
        let peers = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quartile(5.0, &peers), Some(Quartile::Top));
        assert_eq!(quartile(4.0, &peers), Some(Quartile::Top));
        assert_eq!(quartile(3.0, &peers), Some(Quartile::Middle));
        assert_eq!(quartile(1.0, &peers), Some(Quartile::Bottom));
        assert_eq!(quartile(1.0, &[1.0]), None);
        assert_eq!(quartile(2.0, &[2.0, 2.0]), None);
    }

    #[test]
    fn unknown_year_is_neither_young_nor_old() {
        let c = Counts { bridges: 10, bridges_unknown_year: 4, bridges_50y: 3, ..Default::default() };
        let f = figures(1, "A".into(), None, true, Profile::default(), &c, 3);
        assert_eq!((f.bridges, f.bridges_50y, f.bridges_unknown_year), (10, 3, 4));
    }
}
