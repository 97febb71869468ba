//! SROI（社会的投資収益率）と評価 (evaluation scoring), spec R5, R9, R14, §2.9; seed lines 329–330,
//! 435–436, 471–472, 236–254.
//!
//! The seed has two SROI targets, 3倍 (支援策①, line 329) and 2.5倍 (支援策③, line 471), never
//! reconciled (spec §9.4): a project's SROI is judged against both, and both come from the
//! [`KpiSettings`] of the 年度, so a municipality that settles on one sets the other equal.

use crate::error::{Field, PartnershipRuleError, required};
use crate::kpi::KpiId;
use crate::kpi_counts::mean_of_fractions;
use crate::kpi_eval::{KpiSettings, Measurement, Readings};
use crate::quantity::Ratio;
use serde::Serialize;

/// 貨幣換算した社会的価値の項目 (sroi_value_items[]: item, yen, method; spec §2.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueItem {
    pub item: String,
    pub yen: i64,
    /// 換算方法 (e.g. 代替費用法): SROI without its method cannot be checked, so it is required.
    pub method: String,
}

const ITEM: Field = Field::new("社会的価値の項目", "value item");
const ITEM_YEN: Field = Field::new("社会的価値（円）", "social value (yen)");
const METHOD: Field = Field::new("換算方法", "valuation method");
const INVESTMENT: Field = Field::new("投資額", "investment");

/// 1兆円: far above any project, low enough that sums of many items cannot overflow.
pub const MAX_YEN: i64 = 1_000_000_000_000;

fn yen(field: Field, v: i64) -> Result<i64, PartnershipRuleError> {
    if v < 0 {
        Err(PartnershipRuleError::Negative { field, value: v.to_string() })
    } else if v > MAX_YEN {
        Err(PartnershipRuleError::OutOfRange { field, value: v.to_string(), min: "0".into(), max: MAX_YEN.to_string() })
    } else {
        Ok(v)
    }
}

/// 事業のSROI (one project's SROI and its verdicts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectSroi {
    pub value_yen: i64,
    pub investment_yen: i64,
    /// value ÷ investment, unrounded; `None` with no investment.
    pub ratio: Option<Ratio>,
    /// 支援策① (3倍, line 329) 達成
    pub meets_overall: Option<bool>,
    /// 支援策③ (2.5倍, line 471) 達成
    pub meets_per_project: Option<bool>,
    /// 「2.67倍：支援策①目標（3倍）未達／支援策③目標（2.5倍）達成」 (acceptance check 9).
    pub label_ja: String,
}

/// SROI = Σ monetised social value ÷ investment (R5; acceptance check 9).
pub fn project_sroi(
    items: &[ValueItem],
    investment_yen: i64,
    settings: &KpiSettings,
) -> Result<ProjectSroi, PartnershipRuleError> {
    let mut value = 0i64;
    for i in items {
        required(ITEM, &i.item)?;
        required(METHOD, &i.method)?;
        value += yen(ITEM_YEN, i.yen)?;
    }
    let investment = yen(INVESTMENT, investment_yen)?;
    let ratio = Ratio::new(i128::from(value), i128::from(investment));
    let overall = settings.get(KpiId::SroiOverall);
    let per_project = settings.get(KpiId::SroiPerProject);
    let meets_overall = ratio.map(|r| overall.direction.met(r, overall.target.as_ratio()));
    let meets_per_project = ratio.map(|r| per_project.direction.met(r, per_project.target.as_ratio()));
    let verdict = |m: Option<bool>| if m == Some(true) { "達成" } else { "未達" };
    let label_ja = match ratio {
        Some(r) => format!(
            "{}倍：支援策①目標（{}倍）{}／支援策③目標（{}倍）{}",
            r.display_2dp(),
            overall.target.display(),
            verdict(meets_overall),
            per_project.target.display(),
            verdict(meets_per_project)
        ),
        None => "投資額が0円のためSROIを算定できません".to_owned(),
    };
    Ok(ProjectSroi { value_yen: value, investment_yen: investment, ratio, meets_overall, meets_per_project, label_ja })
}

/// 支援策① SROI (line 329): Σ value ÷ Σ investment over the 年度's evaluations.
pub fn sroi_overall(projects: &[(i64, i64)]) -> Readings {
    let value = projects.iter().fold(0i64, |a, (v, _)| a.saturating_add(*v));
    let investment = projects.iter().fold(0i64, |a, (_, i)| a.saturating_add(*i));
    Measurement::Times { value_yen: value, investment_yen: investment }.into()
}

/// 支援策③ SROI (line 471): (a) the mean of each project's SROI (projects without investment are
/// left out, their ratio does not exist). The spec's other reading, the share of projects at or
/// above the target, is [`sroi_share_meeting`]: it is a percentage, not a 倍率, so it is not `alt`.
pub fn sroi_per_project(projects: &[(i64, i64)]) -> Readings {
    let (num, den) =
        mean_of_fractions(projects.iter().filter(|(_, i)| *i > 0).map(|(v, i)| (i128::from(*v), i128::from(*i))), 1);
    Measurement::MeanTimes { num, den }.into()
}

/// 目標以上の事業の割合: projects whose SROI meets the 支援策③ target ÷ projects with an investment.
pub fn sroi_share_meeting(projects: &[(i64, i64)], settings: &KpiSettings) -> Measurement {
    let s = settings.get(KpiId::SroiPerProject);
    let with: Vec<Ratio> = projects.iter().filter_map(|(v, i)| Ratio::new(i128::from(*v), i128::from(*i))).collect();
    let meeting = with.iter().filter(|r| s.direction.met(**r, s.target.as_ratio())).count();
    Measurement::Share { part: meeting as i64, whole: with.len() as i64 }
}

/// 評価の編集可否 (R9, line 436): a 公表 evaluation is read-only; corrections go to a new version.
pub fn ensure_evaluation_editable(published: bool) -> Result<(), PartnershipRuleError> {
    if published { Err(PartnershipRuleError::PublishedReadOnly) } else { Ok(()) }
}

/// 優先度の評価項目 (R14, line 236–254): the seed's five criteria, offered as an optional review
/// sheet for proposals. The seed gives no weights, so there is deliberately no total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReviewSheet {
    /// 即効性・波及効果 (line 240)
    pub speed_and_reach: u8,
    /// 実現可能性 (line 243)
    pub feasibility: u8,
    /// 費用対効果 (line 246)
    pub cost_effectiveness: u8,
    /// 公平性・持続可能性 (line 249)
    pub fairness_sustainability: u8,
    /// 客観的根拠の有無 (line 252)
    pub evidence: u8,
}

impl ReviewSheet {
    pub const CRITERIA_JA: [&'static str; 5] =
        ["即効性・波及効果", "実現可能性", "費用対効果", "公平性・持続可能性", "客観的根拠の有無"];

    /// Each score 1–5; the field named in the error is the criterion.
    pub fn new(scores: [u8; 5]) -> Result<Self, PartnershipRuleError> {
        const FIELDS: [Field; 5] = [
            Field::new("即効性・波及効果", "speed and reach"),
            Field::new("実現可能性", "feasibility"),
            Field::new("費用対効果", "cost-effectiveness"),
            Field::new("公平性・持続可能性", "fairness and sustainability"),
            Field::new("客観的根拠の有無", "evidence"),
        ];
        for (field, s) in FIELDS.iter().zip(scores) {
            if !(1..=5).contains(&s) {
                return Err(PartnershipRuleError::OutOfRange {
                    field: *field,
                    value: s.to_string(),
                    min: "1".into(),
                    max: "5".into(),
                });
            }
        }
        let [a, b, c, d, e] = scores;
        Ok(Self { speed_and_reach: a, feasibility: b, cost_effectiveness: c, fairness_sustainability: d, evidence: e })
    }

    /// The five scores in the seed's order, each with its name; no total (R14).
    pub fn scores(&self) -> [(&'static str, u8); 5] {
        let s = [
            self.speed_and_reach,
            self.feasibility,
            self.cost_effectiveness,
            self.fairness_sustainability,
            self.evidence,
        ];
        let mut out = [("", 0); 5];
        for (i, v) in s.into_iter().enumerate() {
            out[i] = (Self::CRITERIA_JA[i], v);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi_eval::evaluate;
    use proptest::prelude::*;
    use tabane_calendar::FiscalYear;

    fn settings() -> KpiSettings {
        KpiSettings::seed_defaults(FiscalYear(2025))
    }

    fn item(yen: i64) -> ValueItem {
        ValueItem { item: "見守りによる救急搬送の減少".into(), yen, method: "代替費用法".into() }
    }

    /// R5 SROI examples and acceptance check 9.
    #[test]
    fn r5_and_acceptance_9() {
        let s = settings();
        let p = project_sroi(&[item(40_000_000)], 15_000_000, &s).unwrap();
        assert_eq!(p.label_ja, "2.67倍：支援策①目標（3倍）未達／支援策③目標（2.5倍）達成");
        let p = project_sroi(&[item(30_000_000), item(15_000_000)], 15_000_000, &s).unwrap();
        assert_eq!((p.meets_overall, p.meets_per_project), (Some(true), Some(true)));
        assert_eq!(p.ratio.unwrap().display_2dp(), "3.00");
        let p = project_sroi(&[item(36_000_000)], 15_000_000, &s).unwrap();
        assert_eq!(p.label_ja, "2.40倍：支援策①目標（3倍）未達／支援策③目標（2.5倍）未達");
        let p = project_sroi(&[item(1)], 0, &s).unwrap();
        assert_eq!((p.ratio, p.meets_overall), (None, None));
    }

    #[test]
    fn kpi_figures() {
        let s = settings();
        let projects = [(40_000_000, 15_000_000), (45_000_000, 15_000_000), (36_000_000, 15_000_000)];
        let r = evaluate(KpiId::SroiOverall, sroi_overall(&projects), &s);
        assert_eq!((r.display_ja.as_str(), r.met), ("2.69倍", Some(false)));
        let r = evaluate(KpiId::SroiPerProject, sroi_per_project(&projects), &s);
        assert_eq!((r.display_ja.as_str(), r.met), ("2.69倍", Some(true)));
        let m = sroi_share_meeting(&projects, &s);
        assert_eq!(m, Measurement::Share { part: 2, whole: 3 });
        // Pooled and mean differ when investments differ.
        let uneven = [(10_000_000, 1_000_000), (1_000_000, 1_000_000)];
        let pooled = evaluate(KpiId::SroiOverall, sroi_overall(&uneven), &s);
        let mean = evaluate(KpiId::SroiPerProject, sroi_per_project(&uneven), &s);
        assert_eq!((pooled.display_ja.as_str(), mean.display_ja.as_str()), ("5.50倍", "5.50倍"));
        let uneven = [(10_000_000, 1_000_000), (1_000_000, 9_000_000)];
        let pooled = evaluate(KpiId::SroiOverall, sroi_overall(&uneven), &s);
        let mean = evaluate(KpiId::SroiPerProject, sroi_per_project(&uneven), &s);
        assert_eq!((pooled.display_ja.as_str(), mean.display_ja.as_str()), ("1.10倍", "5.06倍"));
    }

    #[test]
    fn bad_input() {
        let s = settings();
        let e = project_sroi(&[item(-5)], 1, &s).unwrap_err();
        assert_eq!(e.to_string(), "「社会的価値（円）」に負の値は入力できません（-5）");
        let e = project_sroi(&[ValueItem { method: " ".into(), ..item(5) }], 1, &s).unwrap_err();
        assert_eq!(e.to_string(), "「換算方法」が入力されていません");
        assert_eq!(e.message_en(), "\"valuation method\" is required");
        assert!(project_sroi(&[], -1, &s).is_err());
        assert_eq!(
            ensure_evaluation_editable(true).unwrap_err().to_string(),
            "公表済みの評価は変更できません（訂正は新しい版で行ってください）"
        );
        assert!(ensure_evaluation_editable(false).is_ok());
        assert_eq!(
            ReviewSheet::new([1, 2, 6, 4, 5]).unwrap_err().to_string(),
            "「費用対効果」は1〜5の範囲で入力してください（6）"
        );
        let r = ReviewSheet::new([5, 4, 3, 2, 1]).unwrap();
        assert_eq!(r.scores()[4], ("客観的根拠の有無", 1));
    }

    /// Unrelated investments outgrow an exact common denominator; the mean stays right to display.
    #[test]
    fn mean_of_many_projects() {
        let primes = [999_999_937i64, 999_999_929, 999_999_893, 999_999_883, 999_999_797, 999_999_761];
        let projects: Vec<(i64, i64)> =
            (0..60).map(|i| (primes[i % 6] * 3 + i as i64, primes[(i * 5) % 6] - i as i64)).collect();
        let r = evaluate(KpiId::SroiPerProject, sroi_per_project(&projects), &settings());
        assert_eq!(r.display_ja, "3.00倍");
        let thirds = [(1, 3), (2, 3)];
        let (n, d) = mean_of_fractions(thirds.iter().map(|(a, b)| (*a, *b)), 1);
        assert_eq!(Ratio::new(n, d).unwrap(), Ratio::new(1, 2).unwrap());
    }

    proptest! {
        #[test]
        fn mean_lies_between_min_and_max(projects in proptest::collection::vec((0i64..MAX_YEN, 1i64..MAX_YEN), 1..80)) {
            let m = sroi_per_project(&projects).a;
            let Measurement::MeanTimes { num, den } = m else { unreachable!() };
            let mean = Ratio::new(num, den).unwrap();
            let ratios: Vec<Ratio> = projects.iter().map(|(v, i)| Ratio::new(i128::from(*v), i128::from(*i)).unwrap()).collect();
            let (lo, hi) = (*ratios.iter().min().unwrap(), *ratios.iter().max().unwrap());
            // The fallback is within 10⁻¹⁸ of the exact mean: at one decimal it stays within [min, max].
            prop_assert!(mean.tenths() >= lo.tenths() && mean.tenths() <= hi.tenths());
        }

        #[test]
        fn sroi_never_panics(v in -10i64..MAX_YEN * 2, i in -10i64..MAX_YEN * 2) {
            let _ = project_sroi(&[item(v)], i, &settings());
        }
    }
}
