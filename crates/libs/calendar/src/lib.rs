//! Tabane の日本の暦ライブラリ (Japanese calendar library).
//!
//! Pure functions (no I/O at run time) for what Japanese local-government work needs:
//!
//! * 和暦 (Japanese eras): [`to_wareki`], [`from_wareki`], [`Wareki::format_ja`]
//! * 日付の解釈 (reading typed dates in Western, 和暦 and full-width forms): [`parse_date`]
//! * 年度 (fiscal year, April–March): [`FiscalYear`]
//! * 祝日 (national holidays, from the `@holiday-jp/holiday_jp` dataset): [`holiday_name`]
//! * 営業日 (business days, optionally with 年末年始閉庁): [`BusinessCalendar`]
//! * 月の加算 (month arithmetic with end-of-month clamping): [`add_months`]
//! * 期限ルール (deadline rules as data): [`DeadlineRule`]
//!
//! ```
//! use tabane_calendar::*;
//!
//! let d = parse_date("令和7年4月1日").unwrap();
//! assert_eq!(d, NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
//! assert_eq!(to_wareki(d).unwrap().format_short(), "R7.4.1");
//! assert_eq!(FiscalYear::of(d).label_ja(), "令和7年度");
//!
//! // 請求から40日以内、期限が休日なら翌営業日
//! let rule = DeadlineRule::parse("+40d adjust=next").unwrap();
//! assert_eq!(rule.describe_ja(), "40日以内（営業日でない場合は翌営業日）");
//! let due = rule.apply(d, &BusinessCalendar::default());
//! assert_eq!(due, NaiveDate::from_ymd_opt(2025, 5, 12).unwrap()); // 5/11 is a Sunday
//! ```

mod business;
mod deadline;
pub mod deadline_text;
mod error;
mod fiscal;
mod holidays;
pub mod jst;
mod months;
mod parse;
mod wareki;

pub use chrono::NaiveDate;

pub use business::BusinessCalendar;
pub use deadline::{Adjust, DeadlineRule, DeadlineStep};
pub use error::{CalendarError, DateParseError, DateParseErrorKind};
pub use fiscal::FiscalYear;
pub use holidays::{holiday_data_range, holiday_name, holiday_name_en, holidays_between, is_holiday};
pub use months::{add_months, end_of_month, first_of_month, first_of_next_month};
pub use parse::parse_date;
pub use wareki::{Era, GREGORIAN_START, Wareki, from_wareki, to_wareki};
