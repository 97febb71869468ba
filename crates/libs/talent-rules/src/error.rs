//! 入力エラー (errors for bad input). `Display` is Japanese because staff read these messages on
//! screen; [`TalentRuleError::message_en`] gives the same in English for logs.
//!
//! Every variant names the field it is about, so a form can put the message next to it. The rules
//! never panic on input: whatever a caller passes comes back as a value or one of these.

use serde::Serialize;

/// 項目名 (the name of an input field), in Japanese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    pub ja: &'static str,
    pub en: &'static str,
}

impl Field {
    pub const fn new(ja: &'static str, en: &'static str) -> Self {
        Self { ja, en }
    }
}

/// 入力エラー (an input the rules refuse). Maps to HTTP 422 (bad value) or 409 (conflict with what
/// is already recorded) in the module: see [`TalentRuleError::is_conflict`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TalentRuleError {
    /// A yen amount, count or hours below zero.
    #[error("「{}」に負の値は入力できません（{value}）", field.ja)]
    Negative { field: Field, value: i64 },
    /// A required field left empty.
    #[error("「{}」が入力されていません", field.ja)]
    Missing { field: Field },
    /// A value that is not one of the field's choices (e.g. 人材類型 「デザイナー」).
    #[error("「{}」: 「{value}」は選択肢にありません（{}）", field.ja, choices.join("／"))]
    NotAChoice { field: Field, value: String, choices: Vec<&'static str> },
    /// A period whose end is before its start.
    #[error("「{}」の終了が開始より前です", field.ja)]
    ReversedPeriod { field: Field },
    /// A number outside its allowed range (e.g. a percentage above 100, month 13).
    #[error("「{}」は{min}〜{max}の範囲で入力してください（{value}）", field.ja)]
    OutOfRange { field: Field, value: i64, min: i64, max: i64 },
    /// A cost line that belongs to another measure than the sheet's.
    #[error("「{line}」は{sheet_measure}の経費ではありません")]
    WrongMeasure { line: String, sheet_measure: &'static str },
    /// 委託 covering several people given as one total (spec R5 (v), example A7).
    #[error("委託の人件費相当額は1人ごとに入力してください")]
    PerPersonBreakdownRequired { line: String, persons_covered: u32, amounts_given: usize },
    /// More CIO補佐官等 selected than the rule allows (line 314).
    #[error("CIO補佐官等の措置対象は1団体{max}名分までです（{period}）")]
    TooManyCioPersons { max: u32, selected: u32, period: String },
    /// Recommending a person whose latest accelerator check is not 要件充足 (spec §2.3).
    #[error("要件を満たしていないため推薦できません")]
    NotEligibleForRecommendation,
    /// A status change the lifecycle does not allow.
    #[error("「{from}」の状態では「{action}」はできません")]
    InvalidTransition { from: &'static str, action: &'static str },
    /// A joint-procurement step started before an earlier one is done (R14, line 776–784).
    #[error("「{next}」の前に「{missing}」を完了してください")]
    StepNotDone { missing: &'static str, next: &'static str },
    /// 随意契約の理由（第2号該当） marked complete with a condition undocumented (R14, line 805–814).
    #[error("随意契約の理由（第2号該当）は、2つの条件をいずれも記載してください")]
    NegotiatedGroundsMissing,
    /// Closing a position as 採用 without a job description (R13, line 348).
    #[error("ジョブディスクリプションを作成してください")]
    JobDescriptionMissing,
    /// Moving an application to 内定/採用 without 面接 recorded, under the strict setting (R13).
    #[error("面接等による選考が記録されていません")]
    InterviewMissing,
    /// Two assignments of the same person on the same weekday in overlapping periods (R11).
    #[error("{weekday}曜日は既に{municipality}への派遣が予定されています（{from}〜{to}）")]
    WeekdayClash { weekday: &'static str, municipality: String, from: String, to: String },
    /// DXアドバイザー over 5 a year under the strict setting (R8).
    #[error("DXアドバイザーの派遣は年度内原則{quota}回以内です（{fiscal_year}は{used}回利用済み）")]
    DxAdvisorQuota { quota: u32, used: u32, fiscal_year: String },
    /// 地域情報化アドバイザー: a 4th on-site visit (R9).
    #[error("地域情報化アドバイザーの現地派遣は年間{quota}回までです")]
    RegionalOnsiteQuota { quota: u32 },
    /// 地域情報化アドバイザー: online hours over the yearly total (R9).
    #[error("オンラインのみの場合は年間合計{}時間までです（残り{}時間）", hours(*quota_minutes), hours(*remaining_minutes))]
    RegionalOnlineHours { quota_minutes: u32, remaining_minutes: u32 },
    /// 地域情報化アドバイザー: an applicant that may not apply (line 624–628).
    #[error("{message_ja}")]
    RegionalApplicantNotEligible { message_ja: &'static str, message_en: &'static str },
}

impl TalentRuleError {
    /// Whether the refusal is a conflict with recorded data (HTTP 409) rather than a bad value (422).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Self::NotEligibleForRecommendation
                | Self::InvalidTransition { .. }
                | Self::JobDescriptionMissing
                | Self::StepNotDone { .. }
                | Self::NegotiatedGroundsMissing
                | Self::InterviewMissing
                | Self::WeekdayClash { .. }
                | Self::DxAdvisorQuota { .. }
                | Self::RegionalOnsiteQuota { .. }
                | Self::RegionalOnlineHours { .. }
        )
    }

    /// The Japanese message (same as `Display`).
    pub fn message_ja(&self) -> String {
        self.to_string()
    }

    /// The same message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Negative { field, value } => format!("\"{}\" cannot be negative ({value})", field.en),
            Self::Missing { field } => format!("\"{}\" is required", field.en),
            Self::NotAChoice { field, value, choices } => {
                format!("\"{}\": \"{value}\" is not one of the choices ({})", field.en, choices.join(" / "))
            }
            Self::ReversedPeriod { field } => format!("\"{}\" ends before it starts", field.en),
            Self::OutOfRange { field, value, min, max } => {
                format!("\"{}\" must be between {min} and {max} ({value})", field.en)
            }
            Self::WrongMeasure { line, sheet_measure } => {
                format!("\"{line}\" is not a cost of the sheet's measure ({sheet_measure})")
            }
            Self::PerPersonBreakdownRequired { line, persons_covered, amounts_given } => format!(
                "\"{line}\": enter the contracted staff cost per person ({persons_covered} persons, {amounts_given} amounts)"
            ),
            Self::TooManyCioPersons { max, selected, period } => {
                format!("at most {max} CIO advisers per municipality are covered ({period}); {selected} selected")
            }
            Self::NotEligibleForRecommendation => {
                "cannot recommend: the accelerator requirements are not met".to_owned()
            }
            Self::InvalidTransition { from, action } => format!("\"{action}\" is not allowed in status \"{from}\""),
            Self::StepNotDone { missing, next } => format!("finish \"{missing}\" before \"{next}\""),
            Self::NegotiatedGroundsMissing => {
                "document both conditions of the negotiated contract (Art. 167-2(1)(ii))".to_owned()
            }
            Self::JobDescriptionMissing => "write the job description first".to_owned(),
            Self::InterviewMissing => "no interview (selection) is recorded".to_owned(),
            Self::WeekdayClash { weekday, municipality, from, to } => {
                format!("{weekday}曜日 is already assigned to {municipality} ({from} to {to})")
            }
            Self::DxAdvisorQuota { quota, used, fiscal_year } => {
                format!("DX adviser visits are limited to {quota} a year ({fiscal_year}: {used} used)")
            }
            Self::RegionalOnsiteQuota { quota } => {
                format!("regional informatisation adviser: at most {quota} on-site visits a year")
            }
            Self::RegionalOnlineHours { quota_minutes, remaining_minutes } => format!(
                "online-only sessions are limited to {} hours a year ({} hours left)",
                hours(*quota_minutes),
                hours(*remaining_minutes)
            ),
            Self::RegionalApplicantNotEligible { message_en, .. } => (*message_en).to_owned(),
        }
    }
}

/// Minutes as hours the way staff write them: 600 → "10", 570 → "9.5", 45 → "0.75".
pub(crate) fn hours(minutes: u32) -> String {
    let whole = minutes / 60;
    // Hundredths of an hour, rounded half up; exact for the quarter- and half-hours used in practice.
    let frac = ((minutes % 60) * 100 + 30) / 60;
    if frac == 0 {
        whole.to_string()
    } else if frac == 100 {
        (whole + 1).to_string()
    } else {
        format!("{whole}.{frac:02}").trim_end_matches('0').to_owned()
    }
}

/// The largest yen amount one line may carry: 1兆円, far above any talent cost, low enough that
/// sums of many lines cannot overflow `i64`.
pub const MAX_YEN: i64 = 1_000_000_000_000;

/// Refuses a negative yen amount, or one above [`MAX_YEN`].
pub(crate) fn yen_amount(field: Field, value: i64) -> Result<i64, TalentRuleError> {
    if value < 0 {
        Err(TalentRuleError::Negative { field, value })
    } else if value > MAX_YEN {
        Err(TalentRuleError::OutOfRange { field, value, min: 0, max: MAX_YEN })
    } else {
        Ok(value)
    }
}

/// Refuses an empty (or blank) text.
pub(crate) fn required(field: Field, value: &str) -> Result<(), TalentRuleError> {
    if value.trim().is_empty() { Err(TalentRuleError::Missing { field }) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_written_as_staff_write_them() {
        assert_eq!(hours(600), "10");
        assert_eq!(hours(570), "9.5");
        assert_eq!(hours(30), "0.5");
        assert_eq!(hours(45), "0.75");
        assert_eq!(hours(0), "0");
    }

    #[test]
    fn messages_name_the_field_in_both_languages() {
        let e = TalentRuleError::Negative { field: Field::new("金額", "amount"), value: -1 };
        assert_eq!(e.to_string(), "「金額」に負の値は入力できません（-1）");
        assert!(e.message_en().contains("amount"));
        assert!(!e.is_conflict());
    }

    #[test]
    fn online_hours_message_matches_the_spec() {
        let e = TalentRuleError::RegionalOnlineHours { quota_minutes: 600, remaining_minutes: 30 };
        assert_eq!(e.to_string(), "オンラインのみの場合は年間合計10時間までです（残り0.5時間）");
        assert!(e.is_conflict());
    }
}
