//! 自治体DXアクセラレータの要件確認 (the accelerator eligibility check; spec R3, line 129–142).
//!
//! 「次の①及び②をともに満たすこと」: eligible = (①ア ∨ ①イ ∨ ①ウ) ∧ ②.
//! The seed marks the requirements 「（予定）」 (line 129), so the rule is versioned: the numbers and
//! the exam list live in an [`AcceleratorRule`] value with an id and label, and every result names
//! the version it was checked against.

use crate::error::{Field, TalentRuleError, required};
use crate::text::iso;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// 年月 (a month, as experience rows record it: 2018-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// A month; refuses month 0 or 13 with the field's name.
    pub fn new(year: i32, month: u32) -> Result<Self, TalentRuleError> {
        if !(1..=12).contains(&month) {
            let field = Field::new("職歴の年月", "month of experience");
            return Err(TalentRuleError::OutOfRange { field, value: month.into(), min: 1, max: 12 });
        }
        Ok(Self { year, month })
    }

    /// The month containing `d`.
    pub fn of(d: NaiveDate) -> Self {
        Self { year: d.year(), month: d.month() }
    }

    /// Months since year 0, so that spans can be merged as integer ranges.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
}

/// 職歴 (one row of experience).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Experience {
    pub from: YearMonth,
    /// `None` = 現在 (counts up to the month of `as_of`).
    pub to: Option<YearMonth>,
    /// デジタル分野での実務経験 (line 133).
    pub digital_field: bool,
}

/// ①ウ 「ア又はイと同視し得る知見」の判断 (a recorded judgement; never computed, line 141).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    /// 判断結果: whether the person has knowledge equal to ア or イ.
    pub holds: bool,
    /// 判断者
    pub judged_by: String,
    /// 判断日
    pub judged_on: NaiveDate,
    /// 判断理由
    pub reason: String,
}

/// ② 主たる業務 (line 142). Reading (a), the default: declared in the job description, with its
/// basis; reading (b), the share of scheduled days at municipalities, is shown as a figure only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MainDuty {
    /// 「デジタルに関連する市町村支援業務を主たる業務として実施」 as declared.
    pub municipal_support: bool,
    /// 根拠 (e.g. the ジョブディスクリプション's wording); required when declared.
    pub basis: String,
    /// Reading (b): (days scheduled at municipalities, all scheduled working days), if known.
    pub scheduled_days: Option<(u32, u32)>,
}

/// 要件確認の入力 (what the check reads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceleratorInput {
    /// 判定基準日: the day of the check by default; re-checked on recommendation (spec R3).
    pub as_of: NaiveDate,
    pub experience: Vec<Experience>,
    /// 合格した試験 (names as written; matched against the rule's exam list and its aliases).
    pub exams_passed: Vec<String>,
    pub judgement_c: Option<Judgement>,
    pub main_duty: MainDuty,
}

/// 要件の版 (a version of the requirements).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceleratorRule {
    pub version_id: &'static str,
    pub label_ja: &'static str,
    /// ①ア: months of digital experience (5年以上 = 60, line 133–134).
    pub min_experience_months: u32,
    /// ①イ: the IPA 高度試験 (line 136–139).
    pub exams: &'static [&'static str],
}

/// The eight IPA 高度試験 named on line 136–139 (情報処理安全確保支援士 is not among them: spec §9.9).
pub const IPA_ADVANCED_EXAMS: [&str; 8] = [
    "ITストラテジスト試験",
    "システムアーキテクト試験",
    "プロジェクトマネージャ試験",
    "ネットワークスペシャリスト試験",
    "データベーススペシャリスト試験",
    "エンベデッドシステムスペシャリスト試験",
    "ITサービスマネージャ試験",
    "システム監査技術者試験",
];

impl AcceleratorRule {
    /// 令和7年度 資料の要件（予定） (line 129–142).
    pub fn r7_planned() -> Self {
        Self {
            version_id: "R7-planned",
            label_ja: "自治体DXアクセラレータの要件（予定）令和7年度資料",
            min_experience_months: 60,
            exams: &IPA_ADVANCED_EXAMS,
        }
    }

    /// The exam on the list that `name` denotes, if any. Tolerates full-width letters, a missing
    /// 「試験」 and the long vowel 「マネージャー」 (the seed spells both ways, spec §9.3).
    pub fn advanced_exam(&self, name: &str) -> Option<&'static str> {
        let key = normalise_exam(name);
        self.exams.iter().copied().find(|e| normalise_exam(e) == key)
    }
}

fn normalise_exam(name: &str) -> String {
    let half: String = name
        .trim()
        .chars()
        .map(|c| match c {
            // Full-width ASCII (ＩＴ) to half-width: the seed itself writes ＩＴストラテジスト.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let upper = half.to_uppercase();
    let no_exam = upper.strip_suffix("試験").unwrap_or(&upper);
    no_exam.replace("マネージャー", "マネージャ")
}

/// 判定結果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// 要件充足
    Met,
    /// 要判断: ① rests on ウ, not yet judged.
    NeedsJudgement,
    /// 要件不充足
    NotMet,
}

impl Verdict {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Met => "充足",
            Self::NeedsJudgement => "要判断",
            Self::NotMet => "不充足",
        }
    }
}

/// 要件ごとの判定 (one condition and why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `None` for ①ウ when no judgement is recorded.
    pub holds: Option<bool>,
    pub reason_ja: String,
}

/// 要件確認の結果.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceleratorCheck {
    pub rule_version: &'static str,
    pub rule_label_ja: &'static str,
    pub as_of: NaiveDate,
    pub verdict: Verdict,
    /// ①ア months of digital experience, overlapping jobs counted once.
    pub experience_months: u32,
    pub cond_1a: Condition,
    pub cond_1b: Condition,
    pub cond_1c: Condition,
    pub cond_2: Condition,
    /// The conditions that hold, as on the 要件確認表: 「①ア 60か月」, 「②」.
    pub basis: Vec<String>,
    /// What is missing, when not 充足.
    pub message_ja: Option<String>,
}

/// ①ア: months of digital experience up to `as_of`, periods merged before counting so that
/// overlapping jobs count once (a sum would give E1 72 months instead of 60).
pub fn digital_experience_months(experience: &[Experience], as_of: NaiveDate) -> Result<u32, TalentRuleError> {
    let now = YearMonth::of(as_of).index();
    let mut spans: Vec<(i64, i64)> = Vec::new();
    for e in experience.iter().filter(|e| e.digital_field) {
        for ym in [Some(e.from), e.to].into_iter().flatten() {
            YearMonth::new(ym.year, ym.month)?;
        }
        let from = e.from.index();
        // Experience after the assessment date has not happened yet.
        let to = e.to.map_or(now, |t| t.index()).min(now);
        if e.to.is_some_and(|t| t < e.from) {
            return Err(TalentRuleError::ReversedPeriod {
                field: Field::new("職歴の期間", "period of experience")
            });
        }
        if from <= to {
            spans.push((from, to));
        }
    }
    spans.sort_unstable();
    let mut total = 0i64;
    let mut current: Option<(i64, i64)> = None;
    for (from, to) in spans {
        current = match current {
            // Inclusive months: 2021-03 followed by 2021-04 is continuous but not overlapping,
            // and merging only overlaps keeps the count right either way.
            Some((cf, ct)) if from <= ct => Some((cf, ct.max(to))),
            Some((cf, ct)) => {
                total += ct - cf + 1;
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    if let Some((cf, ct)) = current {
        total += ct - cf + 1;
    }
    Ok(u32::try_from(total).unwrap_or(u32::MAX))
}

/// 要件確認 (runs the check). ウ is read from the recorded judgement, never computed.
pub fn check(rule: &AcceleratorRule, input: &AcceleratorInput) -> Result<AcceleratorCheck, TalentRuleError> {
    if input.main_duty.municipal_support {
        required(Field::new("②の根拠", "basis of the main duty"), &input.main_duty.basis)?;
    }
    if let Some(j) = &input.judgement_c {
        required(Field::new("①ウの判断者", "judged by"), &j.judged_by)?;
        required(Field::new("①ウの判断理由", "reason of the judgement"), &j.reason)?;
    }
    let months = digital_experience_months(&input.experience, input.as_of)?;
    let a = months >= rule.min_experience_months;
    let cond_1a = Condition {
        holds: Some(a),
        reason_ja: format!(
            "デジタル分野の実務経験 {}か月（{}時点、重複期間は1回と数える。要件 {}か月以上、資料 line 133–134）",
            months,
            iso(input.as_of),
            rule.min_experience_months
        ),
    };
    let exam = input.exams_passed.iter().find_map(|e| rule.advanced_exam(e));
    let cond_1b = Condition {
        holds: Some(exam.is_some()),
        reason_ja: match exam {
            Some(e) => format!("IPA高度試験（{e}）に合格（資料 line 136–139）"),
            None => "IPA高度試験（資料 line 136–139 の8試験）の合格がありません".to_owned(),
        },
    };
    let cond_1c = match &input.judgement_c {
        Some(j) => Condition {
            holds: Some(j.holds),
            reason_ja: format!(
                "{}が{}に{}と判断（理由: {}）",
                j.judged_by,
                iso(j.judged_on),
                if j.holds {
                    "ア又はイと同視し得る知見を有する"
                } else {
                    "ア又はイと同視し得る知見を有しない"
                },
                j.reason
            ),
        },
        None => Condition { holds: None, reason_ja: "①ウの判断は記録されていません".to_owned() },
    };
    let d = input.main_duty.municipal_support;
    let share = input.main_duty.scheduled_days.and_then(|(m, all)| crate::text::percent_1dp(m.into(), all.into()));
    let cond_2 = Condition {
        holds: Some(d),
        reason_ja: match (d, share) {
            (true, s) => format!(
                "市町村支援業務を主たる業務として実施（根拠: {}）{}",
                input.main_duty.basis,
                s.map(|s| format!("。参考: 予定勤務日のうち市町村派遣 {s}")).unwrap_or_default()
            ),
            (false, s) => format!(
                "②デジタルに関連する市町村支援業務を主たる業務としていません{}",
                s.map(|s| format!("（参考: 予定勤務日のうち市町村派遣 {s}）")).unwrap_or_default()
            ),
        },
    };
    let one = a || exam.is_some() || cond_1c.holds == Some(true);
    let (verdict, message_ja) = if !d {
        (Verdict::NotMet, Some("②デジタルに関連する市町村支援業務を主たる業務としていません".to_owned()))
    } else if one {
        (Verdict::Met, None)
    } else if cond_1c.holds.is_none() {
        (Verdict::NeedsJudgement, Some("①はウ（ア又はイと同視し得る知見）の判断が必要です".to_owned()))
    } else {
        (Verdict::NotMet, Some("①ア・イ・ウのいずれも満たしていません".to_owned()))
    };
    let mut basis = Vec::new();
    if a {
        basis.push(format!("①ア {months}か月"));
    }
    if let Some(e) = exam {
        basis.push(format!("①イ {e}"));
    }
    if cond_1c.holds == Some(true) {
        basis.push("①ウ".to_owned());
    }
    if d {
        basis.push("②".to_owned());
    }
    Ok(AcceleratorCheck {
        rule_version: rule.version_id,
        rule_label_ja: rule.label_ja,
        as_of: input.as_of,
        verdict,
        experience_months: months,
        cond_1a,
        cond_1b,
        cond_1c,
        cond_2,
        basis,
        message_ja,
    })
}

/// 推薦の可否: the prefecture may recommend only on a latest check of 要件充足 (spec §2.3, line 471).
pub fn ensure_recommendable(latest: &AcceleratorCheck) -> Result<(), TalentRuleError> {
    if latest.verdict == Verdict::Met { Ok(()) } else { Err(TalentRuleError::NotEligibleForRecommendation) }
}

/// 推薦時の再確認 (spec R3 ambiguity on `as_of`): the check is made as of the day of the check, and
/// made again as of the recommendation day; the recommendation passes only if that check is 充足.
pub fn check_for_recommendation(
    rule: &AcceleratorRule,
    input: &AcceleratorInput,
    recommended_on: NaiveDate,
) -> Result<AcceleratorCheck, TalentRuleError> {
    let at = AcceleratorInput { as_of: recommended_on, ..input.clone() };
    let result = check(rule, &at)?;
    ensure_recommendable(&result)?;
    Ok(result)
}

#[cfg(test)]
#[path = "accelerator_tests.rs"]
mod tests;
