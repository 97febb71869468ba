//! 群マネ 性能規定 contracts: pure rules for requirement levels, their monitoring, payment, monthly
//! output, instruction limits and the monthly meeting agenda (issue 18, first step). No database,
//! no HTTP: plain values in, plain values or typed errors out.
//!
//! Source: 「群マネの手引き」 (seed 004); each rule cites its line in the module docs. Errors are
//! Japanese on screen (`Display`) and English for logs ([`ContractRuleError::message_en`]), and
//! name the field they concern; no input makes these functions panic.
//!
//! # What is here
//!
//! * [`level`] — 要求水準 per contract (指標, 目標, 点検方法, 頻度, 実施数量 per owner); whether a
//!   level is 達成／未達／未確認 from 点検, セルフモニタリング and 抜き打ち records; a shortfall as the
//!   text of an 改善要求.
//! * [`payment`] — 総価 vs 単価 per item; a 単価 job charged at 数量 × 単価 from the 単価表 and a 総価
//!   item refused job by job; the period statement where 総価 follows the levels reached under a
//!   deduction rule that is a setting (none / fixed % per unmet level / proportional; the seed
//!   prints none), each line with its reason in Japanese.
//! * [`schedule`] — the MMR's annual 工程表 rows (時期, 箇所, 実施方法, 計画出来型, セルフモニタリング
//!   予定日): the monthly plan they give, and self-monitoring dates passed without a record.
//! * [`output`] — 出来型 planned (工程表) against actual per item, owner and month, cumulative
//!   figures, totals and variance; unplanned output kept and flagged.
//! * [`limit`] — 指示限度額 per owner, optionally per 地区, per 年度 or contract term (四日市); the
//!   remaining amount and a refusal naming the limit; the per-job cap and response days as
//!   settings with no source claimed.
//! * [`meeting`] — the 月例会議 agenda ①–④ of Q5-3 from plain data.
//! * [`value`] — exact quantities (1/1000 of a unit), yen formatting, 年月.
//!
//! # Not yet built (rest of issue 18)
//!
//! Storage, routes, screens and the demo; approval of the 工程表 and 変更工程表 through the
//! deliverables register (versions are the caller's); turning a failed spot check into a work order
//! (only the 改善要求 text is here); meeting minutes and action items, and the meeting entity on the
//! platform component; contracts per owner under 共同発注 and 変更契約 records; work by JV member
//! and district (routing, per-member summary, member-count and licence rules); the STEP0–6 project
//! record; the 三条市 contract length and the Q4-3 table check in `tabane-planning`.

pub mod error;
pub mod level;
#[cfg(test)]
mod level_tests;
pub mod limit;
#[cfg(test)]
mod limit_tests;
pub mod meeting;
#[cfg(test)]
mod meeting_tests;
pub mod output;
#[cfg(test)]
mod output_tests;
pub mod payment;
#[cfg(test)]
mod payment_tests;
#[cfg(test)]
mod scenario_tests;
pub mod schedule;
#[cfg(test)]
mod schedule_tests;
pub mod value;
#[cfg(test)]
mod value_tests;

pub use error::{ContractRuleError, Field};
