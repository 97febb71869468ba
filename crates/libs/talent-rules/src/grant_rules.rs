//! 交付税措置のルール表 (the rules table of the allocation-tax measures).
//!
//! Rates, caps and periods are **data**: a `Vec` of [`GrantRule`] rows, each with the 年度 range it
//! is valid for and the seed's own words, so that a later 総務省 notice (a new period, a new cap)
//! changes rows, not code. [`default_rules`] gives the rows read from the seed (総務省 slide deck,
//! `shared/seeds/001_f5cc01818144e846.txt`; line numbers are `cat -n` numbers).

use crate::text::{fy_ja, man_yen};
use serde::Serialize;
use tabane_calendar::FiscalYear;

/// 措置 (a measure of the local allocation tax that pays for part of a cost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Measure {
    /// A: 都道府県等による市町村支援のためのデジタル人材確保 (特別交付税, line 174–209).
    TalentForMunicipalities,
    /// B: DX推進リーダーの育成 (特別交付税, line 235–277).
    DxLeaderTraining,
    /// C: 市町村におけるCIO補佐官等としての外部人材の任用等 (特別交付税, line 278–320).
    CioAdviser,
    /// D: 普通交付税 for 常勤 accelerators from 令和7年度 (line 148–160); only ever an estimate (目安).
    OrdinaryAllocation,
}

impl Measure {
    /// 措置名 as the seed titles it.
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::TalentForMunicipalities => "都道府県等による市町村支援のためのデジタル人材確保",
            Self::DxLeaderTraining => "DX推進リーダーの育成",
            Self::CioAdviser => "CIO補佐官等の任用等",
            Self::OrdinaryAllocation => "常勤職員（自治体DXアクセラレータ）の人件費",
        }
    }

    /// 交付税の種類: 特別交付税 or 普通交付税.
    pub fn tax_ja(self) -> &'static str {
        match self {
            Self::OrdinaryAllocation => "普通交付税",
            _ => "特別交付税",
        }
    }

    /// The message for a 年度 after the measure's last one. The wording differs by measure because
    /// the spec fixes it (R5 A3, R6, R7): A speaks of its 対象期間, B and C of the measure ending.
    pub fn ended_message_ja(self, fy: FiscalYear, last: FiscalYear) -> String {
        match self {
            Self::TalentForMunicipalities | Self::OrdinaryAllocation => {
                format!("{}は対象期間（{}まで）外です", fy_ja(fy), fy_ja(last))
            }
            Self::DxLeaderTraining => format!("DX推進リーダー育成の措置は{}までです", fy_ja(last)),
            Self::CioAdviser => format!("CIO補佐官等の措置は{}までです", fy_ja(last)),
        }
    }
}

/// 経費区分 (the kind of cost a rule row applies to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum CostCategory {
    /// 人件費相当額 of 非常勤職員等 and of 委託 talent (A, line 187–189, 197–198).
    StaffPay,
    /// 常勤職員の人件費 under 現行 特別交付税 (A until 令和6年度, line 150–156).
    FullTimeStaffPay,
    /// 募集経費 of the prefecture (A, line 172–173, 200–202).
    Recruitment,
    /// 市町村の負担金 towards the prefecture's costs (A, line 190–191).
    MunicipalContribution,
    /// DX推進リーダーの育成に係る経費 (B, line 249–257).
    LeaderTraining,
    /// CIO補佐官等の任用等経費 (C ①, line 290–298).
    CioAppointment,
    /// CIO補佐官等の募集経費 (C ②, line 306–311).
    CioRecruitment,
    /// 普通交付税の単価 per accelerator (D, line 158–160).
    AcceleratorUnitCost,
}

impl CostCategory {
    /// 経費区分名.
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::StaffPay => "人件費相当額",
            Self::FullTimeStaffPay => "常勤職員の人件費",
            Self::Recruitment => "募集経費",
            Self::MunicipalContribution => "市町村の負担金",
            Self::LeaderTraining => "DX推進リーダー育成経費",
            Self::CioAppointment => "任用等経費",
            Self::CioRecruitment => "募集経費",
            Self::AcceleratorUnitCost => "単価",
        }
    }
}

/// 上限の単位: per person (人) or per organisation and 年度 (団体).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum CapUnit {
    /// /人
    PerPerson,
    /// /団体 (per 年度: spec R5 ambiguity (ii), default)
    PerOrganisation,
}

/// One row of the rules table: a measure's cost category for a range of 年度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRule {
    pub measure: Measure,
    pub category: CostCategory,
    /// First 年度 the row applies to; `None` = since before the seed (「現行」).
    pub fy_from: Option<FiscalYear>,
    /// Last 年度 (inclusive); `None` = no end stated.
    pub fy_to: Option<FiscalYear>,
    /// 措置率 as a fraction (0.7 = 7/10), kept exact so that 0.7 × yen never goes through a float.
    pub rate_num: i64,
    pub rate_den: i64,
    /// 対象経費の上限額 (cap on the eligible cost, not on the 措置額; line 182); `None` = 上限なし.
    pub cap: Option<i64>,
    pub cap_unit: CapUnit,
    /// 単価 for a per-head estimate (D only: 780万円程度, line 160).
    pub unit_price: Option<i64>,
    /// Most persons per 団体 the measure covers (C: 3名分, line 314).
    pub max_persons: Option<u32>,
    /// 根拠: seed line numbers, shown as 「根拠 資料 line …」.
    pub source_lines: String,
    /// The seed's own words for the row.
    pub seed_text: String,
}

impl GrantRule {
    /// Whether the row applies in `fy`.
    pub fn covers(&self, fy: FiscalYear) -> bool {
        self.fy_from.is_none_or(|f| f <= fy) && self.fy_to.is_none_or(|t| fy <= t)
    }

    /// 対象期間 as shown: 「令和11年度まで」, 「令和7年度～令和9年度」, 「令和7年度から」.
    pub fn period_ja(&self) -> String {
        match (self.fy_from, self.fy_to) {
            (None, Some(t)) => format!("{}まで", fy_ja(t)),
            (Some(f), Some(t)) => format!("{}～{}", fy_ja(f), fy_ja(t)),
            (Some(f), None) => format!("{}から", fy_ja(f)),
            (None, None) => "期間の定めなし".to_owned(),
        }
    }

    /// 対象期間 in the short form of the seed's footnote (line 314): 「令和6～7年度」 when both ends
    /// are in one era, else as [`GrantRule::period_ja`].
    pub fn period_short_ja(&self) -> String {
        let (Some(f), Some(t)) = (self.fy_from, self.fy_to) else { return self.period_ja() };
        let (lf, lt) = (fy_ja(f), fy_ja(t));
        // Era names are two characters (明治 … 令和).
        let era = |s: &str| s.chars().take(2).collect::<String>();
        if era(&lf) == era(&lt) {
            let to_year: String = lt.chars().skip(2).collect();
            format!("{}～{}", lf.trim_end_matches("年度"), to_year)
        } else {
            self.period_ja()
        }
    }

    /// 措置率 as shown: 「0.7」.
    pub fn rate_ja(&self) -> String {
        if self.rate_den == 10 {
            format!("0.{}", self.rate_num)
        } else {
            format!("{}/{}", self.rate_num, self.rate_den)
        }
    }

    /// 上限 as shown: 「上限2,000万円/人」, 「上限なし」.
    pub fn cap_ja(&self) -> String {
        match self.cap {
            None => "上限なし".to_owned(),
            Some(c) => {
                let unit = match self.cap_unit {
                    CapUnit::PerPerson => "人",
                    CapUnit::PerOrganisation => "団体",
                };
                format!("上限{}/{unit}", man_yen(c))
            }
        }
    }

    /// The note every output line carries: measure, cap, rate, period and seed lines.
    pub fn note_ja(&self) -> String {
        format!(
            "{}「{}」{}、{}、措置率{}、{}、根拠 資料 line {}",
            self.measure.tax_ja(),
            self.measure.name_ja(),
            self.category.name_ja(),
            self.cap_ja(),
            self.rate_ja(),
            self.period_ja(),
            self.source_lines
        )
    }
}

/// The row for (measure, category) in `fy`, if any.
pub fn find_rule(rules: &[GrantRule], measure: Measure, category: CostCategory, fy: FiscalYear) -> Option<&GrantRule> {
    rules.iter().find(|r| r.measure == measure && r.category == category && r.covers(fy))
}

/// The last 年度 of a measure over all its rows (`None` if any row is open-ended or none exist).
pub fn measure_last_year(rules: &[GrantRule], measure: Measure) -> Option<FiscalYear> {
    let mut last = None;
    for r in rules.iter().filter(|r| r.measure == measure) {
        let to = r.fy_to?;
        last = Some(last.map_or(to, |l: FiscalYear| l.max(to)));
    }
    last
}

/// The first 年度 of a measure over all its rows (`None` if any row has no start).
pub fn measure_first_year(rules: &[GrantRule], measure: Measure) -> Option<FiscalYear> {
    let mut first = None;
    for r in rules.iter().filter(|r| r.measure == measure) {
        let from = r.fy_from?;
        first = Some(first.map_or(from, |f: FiscalYear| f.min(from)));
    }
    first
}

const R6: FiscalYear = FiscalYear(2024);
const R7: FiscalYear = FiscalYear(2025);
const R9: FiscalYear = FiscalYear(2027);
const R10: FiscalYear = FiscalYear(2028);
const R11: FiscalYear = FiscalYear(2029);

#[allow(clippy::too_many_arguments)] // one argument per column of the table keeps the rows readable
fn row(
    measure: Measure,
    category: CostCategory,
    fy_from: Option<FiscalYear>,
    fy_to: Option<FiscalYear>,
    cap: Option<i64>,
    cap_unit: CapUnit,
    source_lines: &str,
    seed_text: &str,
) -> GrantRule {
    GrantRule {
        measure,
        category,
        fy_from,
        fy_to,
        // Every 特別交付税 measure in the seed is 「対象経費の合計額に0.7を乗じて得た額」
        // (line 193–195, 259–261, 300–302, 307–309).
        rate_num: 7,
        rate_den: 10,
        cap,
        cap_unit,
        unit_price: None,
        max_persons: None,
        source_lines: source_lines.to_owned(),
        seed_text: seed_text.to_owned(),
    }
}

/// The rules as the seed states them (its dates: 令和7年度 notices).
///
/// Readings taken where the seed is ambiguous (spec R5, R7, §9):
/// * 募集経費 in 令和10–11年度 goes back to 100万円/団体: the raise is 「令和７年度～令和９年度」
///   (line 173) and 「拡充期間は令和９年度まで」 (line 233–234), although the summary table
///   (line 200–205) shows no end. A notice that settles it changes the 令和10–11年度 row.
/// * The CIO補佐官等 rows start at 令和6年度: the seed describes the measure only with its
///   「3名分（令和6～7年度）」 limit (line 314); earlier years are outside what it states.
pub fn default_rules() -> Vec<GrantRule> {
    use CapUnit::*;
    use CostCategory::*;
    use Measure::*;
    let mut cio_appointment = row(
        CioAdviser,
        CioAppointment,
        Some(R6),
        Some(R7),
        None,
        PerPerson,
        "290–304, 314",
        "任用等経費：報酬等（期末手当等を含む。）／委託料等、上限なし、R7年度まで。財政措置の対象上限は３名分（令和6～７年度）",
    );
    cio_appointment.max_persons = Some(3);
    let mut unit_cost = row(
        OrdinaryAllocation,
        AcceleratorUnitCost,
        Some(R7),
        None,
        None,
        PerPerson,
        "148–160",
        "令和７年度～ 普通交付税 単価780万円程度×人数",
    );
    (unit_cost.rate_num, unit_cost.rate_den, unit_cost.unit_price) = (1, 1, Some(7_800_000));
    vec![
        row(
            TalentForMunicipalities,
            StaffPay,
            None,
            Some(R11),
            Some(20_000_000),
            PerPerson,
            "181–205",
            "非常勤職員等の人件費、民間事業者への委託費 — 人件費相当額：2,000万円/人、R11年度まで",
        ),
        row(
            TalentForMunicipalities,
            FullTimeStaffPay,
            None,
            Some(R6),
            Some(20_000_000),
            PerPerson,
            "150–156, 197–198",
            "現行 常勤職員（アクセラレータ） 特別交付税（措置率0.7）",
        ),
        row(
            TalentForMunicipalities,
            Recruitment,
            None,
            Some(R6),
            Some(1_000_000),
            PerOrganisation,
            "200–201",
            "募集経費：100万円/団体",
        ),
        row(
            TalentForMunicipalities,
            Recruitment,
            Some(R7),
            Some(R9),
            Some(3_000_000),
            PerOrganisation,
            "172–173, 200–202, 233–234",
            "募集経費にかかる特別交付税措置の上限額を引き上げ（１団体あたり１００万円→３００万円）（令和７年度～令和９年度）",
        ),
        row(
            TalentForMunicipalities,
            Recruitment,
            Some(R10),
            Some(R11),
            Some(1_000_000),
            PerOrganisation,
            "172–173, 200–205, 233–234",
            "拡充期間は令和９年度まで（令和10年度以降は100万円/団体と読む）",
        ),
        row(
            TalentForMunicipalities,
            MunicipalContribution,
            None,
            Some(R11),
            None,
            PerOrganisation,
            "184–191",
            "上記の経費の一部につき市町村の負担金が生じる場合の当該負担金",
        ),
        row(
            DxLeaderTraining,
            LeaderTraining,
            None,
            Some(R7),
            None,
            PerOrganisation,
            "249–263",
            "DX推進リーダーの育成に係る研修に要する経費、民間講座の受講料、資格取得のための受験料 等 — 上限なし、R7年度まで",
        ),
        cio_appointment,
        row(
            CioAdviser,
            CioRecruitment,
            Some(R6),
            Some(R7),
            Some(1_000_000),
            PerOrganisation,
            "306–311",
            "募集経費：市町村がCIO補佐官等として外部人材の募集を行うための経費 — 100万円、R7年度まで",
        ),
        unit_cost,
    ]
}
