//! 入力エラー (errors for bad input and refusals). `Display` is Japanese because staff read these
//! messages on screen; [`ContractRuleError::message_en`] gives the same in English for logs.
//!
//! Every variant names the field it is about, so a form can put the message next to it. The rules
//! never panic on input: whatever a caller passes comes back as a value or one of these.

use crate::value::yen;
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

/// 入力エラー or 拒否 (an input the rules refuse).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractRuleError {
    /// A required field left empty.
    #[error("「{}」が入力されていません", field.ja)]
    Missing { field: Field },
    /// Text that is not a number (or has more decimals than the field keeps).
    #[error("「{}」：数値を入力してください（{input}）", field.ja)]
    NotANumber { field: Field, input: String },
    /// A quantity or amount below zero.
    #[error("「{}」に負の値は入力できません（{value}）", field.ja)]
    Negative { field: Field, value: String },
    /// A number outside its allowed range.
    #[error("「{}」は{min}〜{max}の範囲で入力してください（{value}）", field.ja)]
    OutOfRange { field: Field, value: String, min: String, max: String },
    /// A date before the date it must follow (e.g. 契約期間の終了日 before 開始日).
    #[error("「{}」が「{}」より前の日付です", field.ja, earlier.ja)]
    DateBefore { field: Field, earlier: Field },
    /// The same key twice where it must be unique (e.g. two levels with one id).
    #[error("「{}」が重複しています（{value}）", field.ja)]
    Duplicate { field: Field, value: String },
    /// A reference to something that is not defined (e.g. a record for an unknown level).
    #[error("「{}」の「{value}」は登録されていません", field.ja)]
    Unknown { field: Field, value: String },
    /// A value of the wrong kind for its field (e.g. a measurement for a 適否 level).
    #[error("「{}」は{expected}で入力してください", field.ja)]
    WrongKind { field: Field, expected: &'static str, expected_en: &'static str },
    /// A 総価 item charged job by job (seed 2413–2418: 総価 is paid on the level, not the quantity).
    #[error("「{item}」は総価契約の項目のため、作業ごとの請求はできません（要求水準の達成に基づいて支払います）")]
    LumpSumNotChargeable { field: Field, item: String },
    /// A job that would take an instruction limit below zero (指示限度額の超過).
    #[error(
        "指示限度額を超えるため指示できません（{scope}：限度額{}、指示済{}、残額{}、今回{}）",
        yen(*limit), yen(*used), yen(*remaining), yen(*requested)
    )]
    LimitExceeded { field: Field, scope: String, limit: u64, used: u64, remaining: u64, requested: u64 },
    /// A job above the per-job cap (1件あたりの上限, a setting with no source in the seed).
    #[error("1件あたりの上限額{}を超えています（{}）。別途発注を検討してください", yen(*cap), yen(*requested))]
    PerJobCapExceeded { field: Field, cap: u64, requested: u64 },
}

impl ContractRuleError {
    /// The field the message belongs to.
    pub fn field(&self) -> Field {
        match self {
            Self::Missing { field }
            | Self::NotANumber { field, .. }
            | Self::Negative { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::DateBefore { field, .. }
            | Self::Duplicate { field, .. }
            | Self::Unknown { field, .. }
            | Self::WrongKind { field, .. }
            | Self::LumpSumNotChargeable { field, .. }
            | Self::LimitExceeded { field, .. }
            | Self::PerJobCapExceeded { field, .. } => *field,
        }
    }

    /// Whether this is a refusal against recorded data (HTTP 409) rather than a bad value (422).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::LumpSumNotChargeable { .. } | Self::LimitExceeded { .. } | Self::PerJobCapExceeded { .. })
    }

    /// The same message in English, for logs and the API's `message_en`.
    pub fn message_en(&self) -> String {
        match self {
            Self::Missing { field } => format!("{} is required", field.en),
            Self::NotANumber { field, input } => format!("{}: not a number ({input})", field.en),
            Self::Negative { field, value } => format!("{} cannot be negative ({value})", field.en),
            Self::OutOfRange { field, value, min, max } => {
                format!("{} must be between {min} and {max} ({value})", field.en)
            }
            Self::DateBefore { field, earlier } => format!("{} is before {}", field.en, earlier.en),
            Self::Duplicate { field, value } => format!("{} is duplicated ({value})", field.en),
            Self::Unknown { field, value } => format!("{} \"{value}\" is not registered", field.en),
            Self::WrongKind { field, expected_en, .. } => format!("{} must be {expected_en}", field.en),
            Self::LumpSumNotChargeable { item, .. } => {
                format!("\"{item}\" is a lump-sum item: it is paid on the levels reached, not job by job")
            }
            Self::LimitExceeded { scope, limit, used, remaining, requested, .. } => format!(
                "instruction limit exceeded ({scope}: limit {limit} yen, used {used}, remaining {remaining}, requested {requested})"
            ),
            Self::PerJobCapExceeded { cap, requested, .. } => {
                format!("above the per-job cap of {cap} yen ({requested} yen); consider a separate procurement")
            }
        }
    }
}

pub type Result<T> = std::result::Result<T, ContractRuleError>;
