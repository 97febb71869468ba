//! The platform's domain error. Every variant has a stable `code` (used by the JSON API and
//! shown on error pages with the request id) and a message in Japanese and English.

use serde::Serialize;
use tabane_tabular::ImportReport;

/// A bilingual message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Msg {
    pub ja: String,
    pub en: String,
}

impl Msg {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self { ja: ja.into(), en: en.into() }
    }
    pub fn get(&self, en: bool) -> &str {
        if en { &self.en } else { &self.ja }
    }
}

/// A problem with one input field: which field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FieldProblem {
    pub field: String,
    pub label: Msg,
    pub message: Msg,
}

impl FieldProblem {
    pub fn new(field: &str, label_ja: &str, label_en: &str, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.into(), label: Msg::new(label_ja, label_en), message: Msg::new(ja, en) }
    }

    /// The same problem as an import-row error: 「ラベル」+ message, as the forms show it.
    pub fn to_field_error(&self) -> tabane_tabular::FieldError {
        tabane_tabular::FieldError::new(
            format!("{}{}", self.label.ja, self.message.ja),
            format!("{} {}", self.label.en, self.message.en),
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Also returned when a record exists but belongs to another organisation: a user must not
    /// learn that it exists.
    #[error("見つかりません")]
    NotFound,
    #[error("権限がありません: {}", .0.ja)]
    Forbidden(Msg),
    #[error("入力に誤りがあります: {}", .0.iter().map(|p| format!("「{}」{}", p.label.ja, p.message.ja)).collect::<Vec<_>>().join(" / "))]
    Invalid(Vec<FieldProblem>),
    #[error("取り込みできません（{}件の誤り）。何も書き込んでいません。", .0.errors.len())]
    Import(ImportReport),
    #[error("{}", .0.ja)]
    Conflict(Msg),
    #[error("ログインが必要です")]
    Unauthenticated,
    #[error("試行回数が多すぎます。しばらく待ってから再度お試しください")]
    RateLimited,
    /// 暗号 (personal-data encryption): no keyring, a wrong key, a tampered value. Never carries
    /// key material or plaintext.
    #[error("{}", .0.ja)]
    Crypto(Msg),
    #[error("データベースの処理に失敗しました: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("内部エラー: {0}")]
    Internal(#[from] anyhow::Error),
}

const OPAQUE_JA: &str =
    "内部エラーが発生しました。詳しい内容は表示しません。お問い合わせの際はリクエストIDをお伝えください。";
const OPAQUE_EN: &str = "An internal error occurred. Details are not shown; please quote the request id.";

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A file that cannot be read as a table at all (wrong encoding, too many cells in a row, …),
    /// as the problem of the upload's `file` field.
    pub fn file(e: &tabane_tabular::TabularError) -> Self {
        Error::invalid("file", "ファイル", "File", e.to_string(), e.message_en())
    }
}

impl Error {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Forbidden(_) => "forbidden",
            Error::Invalid(_) => "invalid_input",
            Error::Import(_) => "import_rejected",
            Error::Conflict(_) => "conflict",
            Error::Unauthenticated => "unauthenticated",
            Error::RateLimited => "rate_limited",
            Error::Crypto(_) => "crypto_error",
            Error::Db(_) => "database_error",
            Error::Internal(_) => "internal_error",
        }
    }

    /// The message shown to a user. Database and internal errors are opaque: their text (SQL,
    /// driver messages, file paths) goes to the log only, and the user gets the request id.
    pub fn message(&self, en: bool) -> String {
        if matches!(self, Error::Db(_) | Error::Internal(_)) && !en {
            return OPAQUE_JA.into();
        }
        if !en {
            return self.to_string();
        }
        match self {
            Error::NotFound => "Not found".into(),
            Error::Forbidden(m) => format!("Not allowed: {}", m.en),
            Error::Invalid(ps) => format!(
                "Invalid input: {}",
                ps.iter().map(|p| format!("\"{}\" {}", p.label.en, p.message.en)).collect::<Vec<_>>().join(" / ")
            ),
            Error::Import(r) => format!("Import rejected ({} errors). Nothing was written.", r.errors.len()),
            Error::Conflict(m) => m.en.clone(),
            Error::Unauthenticated => "Please log in".into(),
            Error::RateLimited => "Too many attempts; please wait and try again".into(),
            Error::Crypto(m) => m.en.clone(),
            Error::Db(_) | Error::Internal(_) => OPAQUE_EN.into(),
        }
    }

    pub fn forbidden(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Forbidden(Msg::new(ja, en))
    }
    pub fn conflict(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Conflict(Msg::new(ja, en))
    }
    pub fn crypto(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Crypto(Msg::new(ja, en))
    }
    pub fn invalid(field: &str, label_ja: &str, label_en: &str, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldProblem::new(field, label_ja, label_en, ja, en)])
    }
}

/// Collects field problems so a form reports all of them at once.
#[derive(Default)]
pub struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn push(&mut self, field: &str, label_ja: &str, label_en: &str, ja: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldProblem::new(field, label_ja, label_en, ja, en));
    }
    pub fn required(&mut self, field: &str, label_ja: &str, label_en: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(field, label_ja, label_en, "を入力してください", "is required");
        }
    }
    /// An optional date field in any form the calendar reads (和暦 or 西暦); empty is `None`, a
    /// date that cannot be read is a problem naming the field, with the calendar's message.
    pub fn date(&mut self, field: &str, label_ja: &str, label_en: &str, value: &str) -> Option<chrono::NaiveDate> {
        if value.trim().is_empty() {
            return None;
        }
        tabane_calendar::parse_date(value)
            .map_err(|e| self.push(field, label_ja, label_en, e.message_ja(), e.message_en()))
            .ok()
    }
    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::Invalid(self.0)) }
    }
}
