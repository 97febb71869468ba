//! Error types. Display is Japanese because these messages are shown to staff and residents.

use crate::wareki::{Era, GREGORIAN_START};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// 暦計算のエラー (calendar error). `Display` gives a Japanese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// 存在しない日付 (e.g. 2月30日).
    #[error("{year}年{month}月{day}日は存在しない日付です")]
    InvalidDate { year: i32, month: u32, day: u32 },
    /// 和暦の0年 — eras start at 元年 (= 1).
    #[error("{era}0年は存在しません（和暦の年は元年（1年）から始まります）")]
    EraYearZero { era: Era },
    /// 元号の期間外 (e.g. 平成31年5月1日, after 平成 ended).
    #[error("{}は{}外です", wareki_ja(*era, *year, *month, *day), era_period_ja(*era))]
    OutsideEra { era: Era, year: u32, month: u32, day: u32 },
    /// Before 明治6年1月1日 (1873-01-01), when Japan adopted the Gregorian calendar.
    #[error("明治6年（1873年）1月1日より前の日付には対応していません（太陽暦の採用前のため）")]
    BeforeGregorian,
    /// Outside the range of dates this library can represent.
    #[error("対応範囲外の日付です")]
    OutOfRange,
    /// 期限ルール (deadline rule) text that cannot be read.
    #[error("期限ルール「{input}」を読み取れません: {reason}")]
    InvalidRule { input: String, reason: String },
}

/// Why [`crate::parse_date`] rejected its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateParseErrorKind {
    /// 未入力 (nothing but whitespace).
    Empty,
    /// Not a format we recognise.
    UnknownFormat,
    /// Recognised, but the date does not exist (2025-02-30).
    InvalidDate,
    /// 和暦 date outside its era (平成32年1月1日).
    OutsideEra(Era),
    /// 和暦 year 0 (令和0年).
    EraYearZero,
    /// 明治 date before the Gregorian calendar was adopted (1873-01-01).
    BeforeGregorian,
    /// Beyond the representable range.
    OutOfRange,
}

/// 日付の読み取りエラー: the input as typed (trimmed) plus the reason.
/// `Display` gives the Japanese message ([`DateParseError::message_ja`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message_ja())]
pub struct DateParseError {
    /// The input with surrounding whitespace removed, as the person typed it.
    pub input: String,
    pub kind: DateParseErrorKind,
}

impl DateParseError {
    pub(crate) fn new(input: &str, kind: DateParseErrorKind) -> Self {
        Self { input: input.to_owned(), kind }
    }

    /// Message for the person who typed the date, in Japanese.
    pub fn message_ja(&self) -> String {
        let input = &self.input;
        match self.kind {
            DateParseErrorKind::Empty => "日付が入力されていません".to_owned(),
            DateParseErrorKind::UnknownFormat => {
                format!("日付「{input}」を読み取れません（例: 2025-04-01, 令和7年4月1日, R7.4.1）")
            }
            DateParseErrorKind::InvalidDate => format!("日付「{input}」は存在しません"),
            DateParseErrorKind::OutsideEra(era) => {
                format!("「{input}」は{}外です", era_period_ja(era))
            }
            DateParseErrorKind::EraYearZero => {
                format!("「{input}」: 和暦の年は元年（1年）から始まります")
            }
            DateParseErrorKind::BeforeGregorian => {
                format!("「{input}」: 明治6年（1873年）1月1日より前の日付には対応していません")
            }
            DateParseErrorKind::OutOfRange => format!("日付「{input}」は対応範囲外です"),
        }
    }

    /// The same message in English (for logs and English-language UIs).
    pub fn message_en(&self) -> String {
        let input = &self.input;
        match self.kind {
            DateParseErrorKind::Empty => "no date was entered".to_owned(),
            DateParseErrorKind::UnknownFormat => {
                format!("cannot read the date \"{input}\" (examples: 2025-04-01, 令和7年4月1日, R7.4.1)")
            }
            DateParseErrorKind::InvalidDate => format!("the date \"{input}\" does not exist"),
            DateParseErrorKind::OutsideEra(era) => {
                let start = iso(era.start());
                match era.end() {
                    Some(end) => format!("\"{input}\" is outside the {era:?} era ({start} to {})", iso(end)),
                    None => format!("\"{input}\" is outside the {era:?} era (from {start})"),
                }
            }
            DateParseErrorKind::EraYearZero => {
                format!("\"{input}\": era years start at 1 (元年)")
            }
            DateParseErrorKind::BeforeGregorian => {
                format!("\"{input}\": dates before 1873-01-01 (Gregorian calendar adoption) are not supported")
            }
            DateParseErrorKind::OutOfRange => {
                format!("the date \"{input}\" is out of the supported range")
            }
        }
    }

    /// Converts a [`CalendarError`] from `from_wareki` into the parse error for `input`.
    pub(crate) fn from_calendar(input: &str, err: &CalendarError) -> Self {
        let kind = match err {
            CalendarError::InvalidDate { .. } => DateParseErrorKind::InvalidDate,
            CalendarError::EraYearZero { .. } => DateParseErrorKind::EraYearZero,
            CalendarError::OutsideEra { era, .. } => DateParseErrorKind::OutsideEra(*era),
            CalendarError::BeforeGregorian => DateParseErrorKind::BeforeGregorian,
            CalendarError::OutOfRange | CalendarError::InvalidRule { .. } => DateParseErrorKind::OutOfRange,
        };
        Self::new(input, kind)
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn ja_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "平成の期間（1989年1月8日〜2019年4月30日）" — the span shown when a date falls outside its era.
pub(crate) fn era_period_ja(era: Era) -> String {
    // 明治 is only supported from the Gregorian adoption, so show the supported span.
    let start = if era == Era::Meiji { GREGORIAN_START } else { era.start() };
    match era.end() {
        Some(end) => format!("{}の期間（{}〜{}）", era.name_ja(), ja_date(start), ja_date(end)),
        None => format!("{}の期間（{}〜）", era.name_ja(), ja_date(start)),
    }
}

fn wareki_ja(era: Era, year: u32, month: u32, day: u32) -> String {
    crate::wareki::format_ja_parts(era, year, month, day)
}
