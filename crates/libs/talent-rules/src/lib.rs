//! talent module rules (都道府県のデジタル人材プール): the pure domain rules of the talent module,
//! with no database and no HTTP. Specification: `shared/specs/talent.md`, derived from the 総務省
//! slide deck `shared/seeds/001_f5cc01818144e846.txt` (「line N」 in the docs are `cat -n` lines
//! of that seed). Messages are Japanese, as staff read them; errors also give English.
//!
//! # What is here
//!
//! * [`grant_rules`] — the rules table: every 措置率, 上限 and 対象期間 of the allocation-tax
//!   measures is a row ([`grant_rules::GrantRule`]) with its 年度 range and the seed's words, so a
//!   later notice changes rows, not code. [`grant_rules::default_rules`] holds the seed's rows.
//! * [`grant`] — 措置額の試算 (spec R4–R7): measure A (市町村支援のためのデジタル人材確保, to
//!   令和11年度), B (DX推進リーダー育成, to 令和7年度), C (CIO補佐官等, to 令和7年度, 3名分), each line
//!   with its reason; which measure covers which engagement ([`grant::grant_route`]); the
//!   普通交付税 figure only as an estimate ([`grant::ordinary_allocation_estimate`], 目安).
//! * [`accelerator`] — 自治体DXアクセラレータ 要件確認 (spec R3): (①ア ∨ ①イ ∨ ①ウ) ∧ ②, months
//!   merged before counting, ウ a recorded judgement, the rule versioned (the seed says （予定）);
//!   the recommendation gate.
//! * [`dispatch`] — 週間派遣 (spec R11): weekly assignments to visit dates skipping 祝日 and
//!   年末年始 (from `tabane-calendar`), monthly counts, weekday clashes between assignments.
//! * [`advisor`] — DXアドバイザー (原則5回) and 地域情報化アドバイザー (現地3回・オンライン10時間,
//!   who may apply) quotas per 年度 (spec R8–R10).
//! * [`framework`] — 「1人情シス」 flags and priority list (spec R1); the 推進体制 checklist of the
//!   four functions with the 令和7年度 deadline (spec R2).
//! * [`matching`] — a municipality's need against pooled talent: score and reasons.
//! * [`lifecycle`] — the accelerator status (推薦 only from 要件充足) and the recruitment pipeline
//!   (R13: 面接 before 内定/採用, a job description before closing a position as 採用).
//! * [`procurement`] — 共同調達 (R14): step order, both 随意契約（第2号） conditions documented,
//!   the 規約 of a council not based on 地方自治法.
//!
//! ```
//! use tabane_calendar::FiscalYear;
//! use tabane_talent_rules::grant::*;
//! use tabane_talent_rules::grant_rules::{default_rules, Measure};
//!
//! // Spec R5 A6: a 委託 of one person at 24,000,000円 in 令和7年度. The 2,000万円 cap is on the
//! // 対象経費, so the 措置額 is 0.7 × 20,000,000 — not min(0.7 × 24,000,000, 20,000,000).
//! let sheet = GrantSheet {
//!     measure: Measure::TalentForMunicipalities,
//!     fiscal_year: FiscalYear(2025),
//!     applicant: Applicant::Prefecture,
//!     rounding: Rounding::Yen,
//!     contributions: ContributionTreatment::Net,
//!     lines: vec![CostLine {
//!         label: "委託（1名）".into(),
//!         cost: Cost::ContractStaffPay {
//!             persons_covered: 1,
//!             per_person: vec![24_000_000],
//!             main_duty_municipal_support: true,
//!         },
//!     }],
//! };
//! let result = calculate(&default_rules(), &sheet).unwrap();
//! assert_eq!(result.covered_amount, 14_000_000);
//! assert!(result.lines[0].reason_ja.contains("上限2,000万円/人"));
//! ```
//!
//! # Not yet built (of the spec)
//!
//! * The other lifecycles of §2 (talent person, need, assignment, grant sheet, advisor visit):
//!   they carry no rule beyond their arrows, so they are left to the module.
//! * The import/export of the national lists (acceptance check 6) beyond parsing a 人材類型;
//!   isolation, personal-data encryption and audit (checks 7, 10) belong to the module, not here.
//! * The 派遣実績 (visits logged and confirmed) and monthly report totals in hours and fields.
//! * The calendar helper the spec asks to add to `tabane-calendar` (§7.3, business days among
//!   weekdays in a month) is done here over [`dispatch::month_plan`] instead, without touching it.
//!
//! # Readings taken where the seed is ambiguous
//!
//! Each is a default the spec names, documented where it is applied: 募集経費 back to 100万円 in
//! 令和10–11年度 (R5 (i)); 300万円 per 団体 **per 年度** (R5 (ii)); the prefecture's cost net of the
//! municipalities' 負担金, switchable (R5 (iii)); 円未満切捨て, switchable to 千円 (R5 (iv)); a 常勤
//! non-accelerator from 令和7年度 out of measure A and flagged (R4); ② read from the job
//! description with the scheduled-days share shown (R3); 1人情シス by heads with FTE shown (R1);
//! 地域情報化 limits applied independently (R9); the 6th DX visit a warning needing a reason (R8).

pub mod accelerator;
pub mod advisor;
pub mod dispatch;
pub mod error;
pub mod framework;
pub mod grant;
pub mod grant_rules;
pub mod lifecycle;
pub mod matching;
pub mod procurement;
mod text;

pub use error::{Field, MAX_YEN, TalentRuleError};
