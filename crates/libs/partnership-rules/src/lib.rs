//! partnership module rules (企業・団体との連携：ワンストップ窓口・地域資源プラットフォーム・協定とKPI):
//! the pure domain rules of the partnership module, with no database and no HTTP. Specification:
//! `shared/specs/partnership.md`, derived from the seed `shared/seeds/003_741ce5ec2f8d6041.txt`
//! (「line N」 in the docs are `cat -n` lines of that seed). Messages are Japanese, as staff read
//! them; every error also has an English message and names its field.
//!
//! **The seed is machine-written and unverified** (line 9–12: 「AIが生成したものを加工」「ファクト
//! チェックは今後行う予定」), and its figures contradict each other (spec §9). So what is taken from
//! it is the *shape* and the *definitions*: every target and period is a setting whose default is
//! the seed's example, and its 「現状」 figures are data ([`kpi::Reference`]) shown only as
//! 「参考値（出典未確認）」.
//!
//! # What is here
//!
//! * [`kpi`] — the 24 KGI・KSI・KPI of 支援策①②③ (R3–R5) as a data table: name, formula (and the
//!   other reading where the seed's term is undefined), unit, period, direction, default target,
//!   データ取得方法, seed line and 現状参考値.
//! * [`kpi_eval`] — targets as settings per 年度 ([`kpi_eval::KpiSettings`]; 「abc」 → 「目標値：数値を
//!   入力してください」), exact evaluation (unrounded comparison, one decimal half up on screen),
//!   達成／未達 and 達成率 (実績÷目標, or 目標÷実績 for 以下 targets), and the API figure of acceptance check 2.
//! * [`kpi_counts`] — the measured part of each KPI from plain records: 成約率 (a)/(b), 平均期間 in
//!   days, 満足度 top-2, receptions counted once per 受付番号, projects 締結 vs 実施中, 解決率 cohort vs
//!   cumulative, 成功率, リスク顕在化率, the R5 shares (listing projects without a KPI), people, MAU.
//! * [`project_kpi`] — a project's own KPIs (target, actual, 達成), what counts as evaluated for the
//!   成功率, and 当初目標をすべて達成.
//! * [`turnaround`] — 回答目標日 and 回答所要日数 (R2): the target a setting, counted in 暦日 (the
//!   spec's reading) or 開庁日 (土日・祝日・年末年始 from `tabane-calendar`); the overdue list of
//!   acceptance check 1 (「回答目標日を1日超過」).
//! * [`similarity`] — Japanese similarity search: width folding by hand, character bigrams, TF-IDF
//!   cosine, the shared text as the reason, ties by id (R1, acceptance check 10).
//! * [`matching`] — issue → resources/proposals: text, same 分野, same 地域, past 成立 rate, with reasons.
//! * [`sroi`] — SROI against both of the seed's targets (acceptance check 9), the 支援策① pooled and
//!   支援策③ mean figures, R9 read-only 公表 evaluations, the R14 five-criteria review sheet (no total).
//! * [`governance`] — the KPI gate at 締結 (R6, acceptance check 3), change control after 締結 and the
//!   change-request lifecycle with before/after (R7, check 4), リスク分担表 shares summing to 100,
//!   early termination and the days to a substitute service (R12).
//! * [`resource`] — freshness (`+12m` by default; check 8), 公開区分 parsing with the import message
//!   of check 5, the visibility policy for resources and proposals (checks 6–7).
//! * [`reference`] — the seed's §4 figures as data with their arithmetic check, each flagged as
//!   reproducing or not (with why), for the 「参考値（出典未確認）」 column.
//! * [`contact`] — the reception lifecycle: only the window answers; 不採択 needs a reason.
//!
//! ```
//! use tabane_calendar::FiscalYear;
//! use tabane_partnership_rules::kpi::KpiId;
//! use tabane_partnership_rules::kpi_eval::{evaluate, KpiSettings, Measurement, Readings};
//!
//! // R3: 200 proposals received in 令和7年度, 60 成約, 170 decided.
//! let measured = Readings {
//!     a: Measurement::Share { part: 60, whole: 200 },
//!     b: Some(Measurement::Share { part: 60, whole: 170 }),
//! };
//! let r = evaluate(KpiId::ContractRate, measured, &KpiSettings::seed_defaults(FiscalYear(2025)));
//! assert_eq!((r.display_ja.as_str(), r.verdict_ja()), ("30.0%", "未達"));
//! assert_eq!(r.alt.unwrap().display_1dp(), "35.3");
//! ```
//!
//! # Not yet built (of the spec)
//!
//! * Everything with storage, HTTP or sessions: the tables of §2, the API and pages, the public
//!   portal and intake form, the open-data CSV writer, self-registration, 法人番号 validation,
//!   department-scoped isolation as queries (only the policy functions are here), audit.
//! * The lifecycles of issues, matches (with follow-ups), projects beyond the 締結 gate, and the
//!   deliverables of agreements (§2.3–2.5, §5); the risk-event record beyond the rate.
//! * The 「学習」 of the seed's AI matching (line 364): matching is a transparent score only.
//! * KPI figures that are plain counts of other modules' data (登録団体数 on 3/31, アワード
//!   エントリー数): they are evaluated here from a count the module supplies.
//!
//! # Readings taken where the seed is ambiguous
//!
//! Each is documented where it is applied: months = days ÷ 30.4375 (30-day reading a setting);
//! 成約率 over the 年度's cohort of proposals, 取下げ in (a)'s denominator; 成約 includes 事業化;
//! a project with no KPI evaluated is not a success; R5 shares over projects 締結 by 3/31; the
//! 支援策③ SROI as the mean of projects (the share meeting the target given separately); 解決 counted
//! to the end of the 年度; the answer target in 暦日 by default (the spec's example), 開庁日 optional.
//!
//! Figures of the seed that do not reproduce (spec §9) are tested as what they are, not forced:
//! 3.7 → 1.8カ月 is a 51.4% cut, not 「42%」; 17 of 213 is 8.0%, not 6.8%; the target 80 new
//! platform projects exceeds the 50 projects of which they are a subset (the defaults keep both,
//! as the seed's example values, for the municipality to correct).

pub mod contact;
pub mod error;
pub mod governance;
pub mod kpi;
pub mod kpi_counts;
pub mod kpi_eval;
#[cfg(test)]
mod kpi_tests;
pub mod matching;
pub mod project_kpi;
pub mod quantity;
pub mod reference;
pub mod resource;
pub mod similarity;
pub mod sroi;
mod text;
pub mod turnaround;

pub use error::{Field, PartnershipRuleError};
