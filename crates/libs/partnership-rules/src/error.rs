//! 入力エラー (errors for bad input). `Display` is Japanese because staff read these messages on
//! screen; [`PartnershipRuleError::message_en`] gives the same in English for logs.
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
/// is recorded) in the module: see [`PartnershipRuleError::is_conflict`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnershipRuleError {
    /// Not a number where one is needed. The wording is acceptance check 5's:
    /// 「目標値：数値を入力してください」.
    #[error("{}：数値を入力してください", field.ja)]
    NotANumber { field: Field, input: String },
    /// A count, amount or period below zero.
    #[error("「{}」に負の値は入力できません（{value}）", field.ja)]
    Negative { field: Field, value: String },
    /// A required field left empty.
    #[error("「{}」が入力されていません", field.ja)]
    Missing { field: Field },
    /// A value that is not one of the field's choices. With a row number it is the import
    /// message of acceptance check 5: 「4行目「公開区分」: 「社外秘」は選択肢にありません（公開／登録団体限定／非公開）」.
    #[error("{}「{}」: 「{value}」は選択肢にありません（{}）", row.map(|r| format!("{r}行目")).unwrap_or_default(), field.ja, choices.join("／"))]
    NotAChoice { field: Field, value: String, choices: Vec<&'static str>, row: Option<usize> },
    /// A number outside its allowed range.
    #[error("「{}」は{min}〜{max}の範囲で入力してください（{value}）", field.ja)]
    OutOfRange { field: Field, value: String, min: String, max: String },
    /// A date before the date it must follow (e.g. 回答日 before 受付日).
    #[error("「{}」が「{}」より前の日付です", field.ja, earlier.ja)]
    DateBefore { field: Field, earlier: Field },
    /// 計画 → 締結 without a KPI with a target (spec R6, seed line 434).
    #[error("KPIが設定されていないため締結できません（KPIの設定は計画段階で必須です）")]
    KpiRequired,
    /// Direct edit of a 締結済 project's KPI target, period, risk bearer or scope (spec R7, line 427).
    #[error("締結後の変更は変更管理（変更申請・承認）を通してください")]
    ChangeControlRequired { field: Field },
    /// 分担 shares that do not add up to 100 (spec R7).
    #[error("負担割合の合計が100%になりません（現在{total}%）")]
    SharesNot100 { total: u32 },
    /// A period rule that cannot be read (e.g. the freshness period 「そのうち」).
    #[error("「{}」: 「{input}」を読み取れません（例: {example}）", field.ja)]
    UnreadableRule { field: Field, input: String, example: &'static str },
    /// Matching weights that do not add up to 100 points.
    #[error("マッチングの重みの合計が100になりません（現在{total}）")]
    WeightsNot100 { total: u32 },
    /// A status change the lifecycle does not allow.
    #[error("「{from}」の状態では「{action}」はできません")]
    InvalidTransition { from: &'static str, action: &'static str },
    /// Editing a 公表 evaluation (spec R9).
    #[error("公表済みの評価は変更できません（訂正は新しい版で行ってください）")]
    PublishedReadOnly,
}

impl PartnershipRuleError {
    /// Whether the refusal is a conflict with recorded data (HTTP 409) rather than a bad value (422).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Self::KpiRequired
                | Self::ChangeControlRequired { .. }
                | Self::InvalidTransition { .. }
                | Self::PublishedReadOnly
        )
    }

    /// The Japanese message (same as `Display`).
    pub fn message_ja(&self) -> String {
        self.to_string()
    }

    /// The same message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::NotANumber { field, input } => format!("{}: enter a number (\"{input}\")", field.en),
            Self::Negative { field, value } => format!("\"{}\" cannot be negative ({value})", field.en),
            Self::Missing { field } => format!("\"{}\" is required", field.en),
            Self::NotAChoice { field, value, choices, row } => format!(
                "{}\"{}\": \"{value}\" is not one of the choices ({})",
                row.map(|r| format!("row {r}: ")).unwrap_or_default(),
                field.en,
                choices.join(" / ")
            ),
            Self::OutOfRange { field, value, min, max } => {
                format!("\"{}\" must be between {min} and {max} ({value})", field.en)
            }
            Self::DateBefore { field, earlier } => format!("\"{}\" is before \"{}\"", field.en, earlier.en),
            Self::KpiRequired => {
                "cannot sign: no KPI with a target is set (KPIs are mandatory at the planning stage)".to_owned()
            }
            Self::ChangeControlRequired { field } => {
                format!("\"{}\" can change after signing only through an approved change request", field.en)
            }
            Self::SharesNot100 { total } => format!("the bearers' shares do not add up to 100% (now {total}%)"),
            Self::UnreadableRule { field, input, example } => {
                format!("\"{}\": cannot read \"{input}\" (e.g. {example})", field.en)
            }
            Self::WeightsNot100 { total } => format!("the matching weights do not add up to 100 (now {total})"),
            Self::InvalidTransition { from, action } => format!("\"{action}\" is not allowed in status \"{from}\""),
            Self::PublishedReadOnly => {
                "a published evaluation cannot be edited (correct it with a new version)".to_owned()
            }
        }
    }
}

/// Refuses an empty (or blank) text.
pub(crate) fn required(field: Field, value: &str) -> Result<(), PartnershipRuleError> {
    if value.trim().is_empty() { Err(PartnershipRuleError::Missing { field }) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptance_5_messages() {
        let e = PartnershipRuleError::NotANumber { field: Field::new("目標値", "target"), input: "abc".into() };
        assert_eq!(e.to_string(), "目標値：数値を入力してください");
        assert!(e.message_en().contains("target"));
        assert!(!e.is_conflict());
        let e = PartnershipRuleError::NotAChoice {
            field: Field::new("公開区分", "visibility"),
            value: "社外秘".into(),
            choices: vec!["公開", "登録団体限定", "非公開"],
            row: Some(4),
        };
        assert_eq!(e.to_string(), "4行目「公開区分」: 「社外秘」は選択肢にありません（公開／登録団体限定／非公開）");
        assert_eq!(
            e.message_en(),
            "row 4: \"visibility\": \"社外秘\" is not one of the choices (公開 / 登録団体限定 / 非公開)"
        );
    }

    #[test]
    fn conflicts_are_409() {
        assert!(PartnershipRuleError::KpiRequired.is_conflict());
        assert_eq!(
            PartnershipRuleError::SharesNot100 { total: 90 }.to_string(),
            "負担割合の合計が100%になりません（現在90%）"
        );
        assert!(!PartnershipRuleError::SharesNot100 { total: 90 }.is_conflict());
    }
}
