//! 実績の集計 (counting the measured part of each KPI from plain records), spec R3–R5.
//!
//! Each function takes the records the module loads and returns [`Readings`] for
//! [`crate::kpi_eval::evaluate`]. Where the seed's term is undefined (成約, 事業化, 解決, 成功, 満足;
//! spec §9.12) both readings are counted; the doc of each function says which is (a).

use crate::error::{Field, PartnershipRuleError};
use crate::kpi_eval::{Measurement, Readings};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use tabane_calendar::FiscalYear;

/// 年度末 (3/31). `FiscalYear::end` panics outside chrono's range; a 年度 typed as 99999999 must
/// not, so the bounds saturate — which is also the right answer: every record is before it.
fn fy_end(fy: FiscalYear) -> NaiveDate {
    fy.0.checked_add(1).and_then(|y| NaiveDate::from_ymd_opt(y, 3, 31)).unwrap_or(if fy.0 < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// 年度初日 (4/1), saturating like [`fy_end`].
fn fy_start(fy: FiscalYear) -> NaiveDate {
    NaiveDate::from_ymd_opt(fy.0, 4, 1).unwrap_or(if fy.0 < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// 受付区分 (line 284, spec §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactKind {
    /// 相談
    Consultation,
    /// 提案
    Proposal,
}

/// 窓口受付の状態 (spec §2.1 lifecycle), reduced to what the KPIs read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactStage {
    /// 受付・回付済・検討中 (not yet answered)
    Open,
    /// 回答済（採択・不採択・継続協議・情報提供のみ）
    Answered,
    /// 成約 (agreement signed after 採択)
    Agreed,
    /// 事業化 (project started)
    Launched,
    /// 取下げ
    Withdrawn,
}

/// 窓口受付 (one reception, as the KPIs need it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFacts {
    /// 受付番号 (年度-連番): a 相談 that became a 提案 keeps it (R1), so it is counted once.
    pub reception_no: String,
    pub kind: ContactKind,
    pub received_on: NaiveDate,
    pub stage: ContactStage,
    /// 事業化日
    pub launched_on: Option<NaiveDate>,
}

/// 窓口への相談・提案件数 (line 332, R3): receptions in the 年度, each 受付番号 once.
pub fn contact_count(fy: FiscalYear, contacts: &[ContactFacts]) -> Readings {
    let numbers: BTreeSet<&str> =
        contacts.iter().filter(|c| fy.contains(c.received_on)).map(|c| c.reception_no.as_str()).collect();
    Measurement::Count(numbers.len() as i64).into()
}

/// 成約率 (line 322, R3). Cohort: 提案 received in the 年度 (a 相談 that became a 提案 is a 提案).
/// 成約 counts 成約 and 事業化 (事業化 comes after 成約). (a) ÷ all received, 取下げ included because
/// they were received; (b) ÷ decided (回答済, 成約, 事業化).
pub fn contract_rate(fy: FiscalYear, contacts: &[ContactFacts]) -> Readings {
    let cohort: Vec<&ContactFacts> =
        contacts.iter().filter(|c| c.kind == ContactKind::Proposal && fy.contains(c.received_on)).collect();
    let agreed = cohort.iter().filter(|c| matches!(c.stage, ContactStage::Agreed | ContactStage::Launched)).count();
    let decided = cohort
        .iter()
        .filter(|c| matches!(c.stage, ContactStage::Answered | ContactStage::Agreed | ContactStage::Launched))
        .count();
    Readings {
        a: Measurement::Share { part: agreed as i64, whole: cohort.len() as i64 },
        b: Some(Measurement::Share { part: agreed as i64, whole: decided as i64 }),
    }
}

/// 提案から事業化までの平均期間 (line 324, R3): mean of (事業化日 − 受付日) in calendar days over
/// proposals 事業化 in the 年度; the months come from the setting's [`crate::kpi::MonthBasis`].
pub fn months_to_launch(fy: FiscalYear, contacts: &[ContactFacts]) -> Readings {
    let (mut total, mut items) = (0i64, 0i64);
    for c in contacts {
        if let Some(launched) = c.launched_on.filter(|d| fy.contains(*d) && *d >= c.received_on) {
            total += (launched - c.received_on).num_days();
            items += 1;
        }
    }
    Measurement::MeanDays { total_days: total, items }.into()
}

/// 5段階の満足度の回答数 (R13): 満足, やや満足, どちらともいえない, やや不満, 不満.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SatisfactionCounts(pub [u32; 5]);

impl SatisfactionCounts {
    pub fn total(self) -> i64 {
        self.0.iter().map(|n| i64::from(*n)).sum()
    }

    /// 上位2つ (満足 + やや満足).
    pub fn top2(self) -> i64 {
        i64::from(self.0[0]) + i64::from(self.0[1])
    }
}

/// 満足度 (line 319, R3): (a) top-2 share, (b) 満足 only.
pub fn satisfaction(answers: SatisfactionCounts) -> Readings {
    Readings {
        a: Measurement::Share { part: answers.top2(), whole: answers.total() },
        b: Some(Measurement::Share { part: i64::from(answers.0[0]), whole: answers.total() }),
    }
}

/// 連携事業の住民満足度 (line 469, R5): (a) all projects' answers pooled; (b) the mean of each
/// project's top-2 share (projects without answers are left out of the mean).
pub fn resident_satisfaction(per_project: &[SatisfactionCounts]) -> Readings {
    let pooled = per_project.iter().fold(SatisfactionCounts::default(), |mut acc, p| {
        for (a, n) in acc.0.iter_mut().zip(p.0) {
            *a = a.saturating_add(n);
        }
        acc
    });
    let answered: Vec<_> = per_project.iter().filter(|p| p.total() > 0).collect();
    let (num, den) = mean_of_fractions(answered.iter().map(|p| (i128::from(p.top2()), i128::from(p.total()))), 100);
    Readings {
        a: Measurement::Share { part: pooled.top2(), whole: pooled.total() },
        // The mean of shares, in %, kept as one fraction ([`mean_of_fractions`]).
        b: Some(Measurement::MeanTimes { num, den }),
    }
}

/// `scale` × Σ(aᵢ/bᵢ) ÷ k as one fraction (`(0, 0)` for no items, i.e. no value).
///
/// Exact while the common denominator fits in `i128`. Many projects with unrelated denominators
/// (investments in yen) can outgrow it; then each term is taken to 10⁻¹⁸, rounded to nearest,
/// which is far below the one decimal shown and keeps (1/3 + 2/3) ÷ 2 at exactly 0.5.
pub(crate) fn mean_of_fractions(items: impl Iterator<Item = (i128, i128)>, scale: i128) -> (i128, i128) {
    let items: Vec<(i128, i128)> = items.filter(|(_, b)| *b > 0).collect();
    let k = items.len() as i128;
    if k == 0 {
        return (0, 0);
    }
    let exact = items.iter().try_fold((0i128, 1i128), |(num, den), (a, b)| {
        let num = num.checked_mul(*b)?.checked_add(a.checked_mul(den)?)?;
        let den = den.checked_mul(*b)?;
        let g = gcd(num, den);
        Some((num / g, den / g))
    });
    if let Some((num, den)) = exact
        && let (Some(n), Some(d)) = (num.checked_mul(scale), den.checked_mul(k))
    {
        return (n, d);
    }
    const UNIT: i128 = 1_000_000_000_000_000_000;
    let sum = items.iter().fold(0i128, |acc, (a, b)| {
        // a/b to 10⁻¹⁸, nearest: a and b come from i64, so a·UNIT fits in i128.
        let t = a.saturating_mul(UNIT);
        let q = (2 * t.abs() / b + 1) / 2;
        acc.saturating_add(if t < 0 { -q } else { q })
    });
    (sum.saturating_mul(scale), UNIT.saturating_mul(k))
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// 連携形態 (spec §2.5, line 17, 104, 112, 419), as the KPIs need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectKind {
    /// リビングラボ実証
    LivingLab,
    /// 包括連携協定・個別連携・共同研究・指定管理・PPP/PFI・企業版ふるさと納税・その他
    Other,
}

/// 発端 (spec §2.5 origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectOrigin {
    /// 窓口提案
    Window,
    /// マッチング
    Matching,
    /// 行政発意
    Municipality,
    /// ポータル
    Portal,
    /// リビングラボ
    LivingLab,
}

/// 連携事業 (one project, as the KPIs need it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub id: String,
    pub kind: ProjectKind,
    pub origin: ProjectOrigin,
    /// 締結日 (`None`: 構想・計画).
    pub signed_on: Option<NaiveDate>,
    /// 終了日・中途終了日.
    pub ended_on: Option<NaiveDate>,
    /// 社会実装へ移行した日 (line 400).
    pub implemented_on: Option<NaiveDate>,
    /// 目標値のあるKPIの数 (R6).
    pub kpis_with_target: u32,
    /// 住民参画計画あり (line 442–443).
    pub participation_plan: bool,
    /// ガイドラインのチェックリスト完了 (R11).
    pub guideline_complete: bool,
    /// リスク顕在化の日付と想定内か (line 228–229, 461): (occurred_on, anticipated).
    pub risk_events: Vec<(NaiveDate, bool)>,
}

impl ProjectFacts {
    /// 実施中 at any time in the 年度: signed by its end and not ended before its start.
    pub fn active_in(&self, fy: FiscalYear) -> bool {
        self.signed_on.is_some_and(|s| s <= fy_end(fy)) && self.ended_on.is_none_or(|e| e >= fy_start(fy))
    }
}

/// 連携事業数 (line 317, R3): (a) 締結 in the 年度, (b) 実施中 at any time in the 年度.
pub fn project_count(fy: FiscalYear, projects: &[ProjectFacts]) -> Readings {
    let signed = projects.iter().filter(|p| p.signed_on.is_some_and(|d| fy.contains(d))).count();
    let active = projects.iter().filter(|p| p.active_in(fy)).count();
    Readings { a: Measurement::Count(signed as i64), b: Some(Measurement::Count(active as i64)) }
}

/// プラットフォームを通じた新規連携事業創出数 (line 388, R4): 締結 in the 年度 with origin マッチング or ポータル.
pub fn platform_projects(fy: FiscalYear, projects: &[ProjectFacts]) -> Readings {
    let n = projects
        .iter()
        .filter(|p| p.signed_on.is_some_and(|d| fy.contains(d)))
        .filter(|p| matches!(p.origin, ProjectOrigin::Matching | ProjectOrigin::Portal))
        .count();
    Measurement::Count(n as i64).into()
}

/// リビングラボから社会実装へ移行した案件数 (line 400, R4).
pub fn living_lab_implemented(fy: FiscalYear, projects: &[ProjectFacts]) -> Readings {
    let n = projects
        .iter()
        .filter(|p| p.kind == ProjectKind::LivingLab && p.implemented_on.is_some_and(|d| fy.contains(d)))
        .count();
    Measurement::Count(n as i64).into()
}

/// リスク顕在化率 (line 461, R5): projects 実施中 in the 年度 with an event in the 年度 ÷ projects
/// 実施中; (a) any event, (b) 想定外 only.
pub fn risk_rate(fy: FiscalYear, projects: &[ProjectFacts]) -> Readings {
    let active: Vec<_> = projects.iter().filter(|p| p.active_in(fy)).collect();
    let with = |only_unanticipated: bool| {
        active
            .iter()
            .filter(|p| {
                p.risk_events.iter().any(|(d, anticipated)| fy.contains(*d) && !(only_unanticipated && *anticipated))
            })
            .count() as i64
    };
    let whole = active.len() as i64;
    Readings {
        a: Measurement::Share { part: with(false), whole },
        b: Some(Measurement::Share { part: with(true), whole }),
    }
}

/// The projects R5's shares are taken over: 締結 or later by the end of the 年度.
fn signed_by_end(fy: FiscalYear, projects: &[ProjectFacts]) -> Vec<&ProjectFacts> {
    projects.iter().filter(|p| p.signed_on.is_some_and(|d| d <= fy_end(fy))).collect()
}

/// 明確なKPIを設定している連携事業の割合 (line 464, R5), and the ids lacking one (imported legacy
/// projects, listed as R6 asks).
pub fn kpi_set_share(fy: FiscalYear, projects: &[ProjectFacts]) -> (Readings, Vec<String>) {
    let pop = signed_by_end(fy, projects);
    let missing: Vec<String> = pop.iter().filter(|p| p.kpis_with_target == 0).map(|p| p.id.clone()).collect();
    let part = (pop.len() - missing.len()) as i64;
    (Measurement::Share { part, whole: pop.len() as i64 }.into(), missing)
}

/// 住民参画プロセスを組み込んだ連携事業の割合 (line 466, R5).
pub fn participation_share(fy: FiscalYear, projects: &[ProjectFacts]) -> Readings {
    let pop = signed_by_end(fy, projects);
    let part = pop.iter().filter(|p| p.participation_plan).count() as i64;
    Measurement::Share { part, whole: pop.len() as i64 }.into()
}

/// ガイドラインに基づく連携事業数（全連携事業の100%） (line 474, R5, R11).
pub fn guideline_share(fy: FiscalYear, projects: &[ProjectFacts]) -> Readings {
    let pop = signed_by_end(fy, projects);
    let part = pop.iter().filter(|p| p.guideline_complete).count() as i64;
    Measurement::Share { part, whole: pop.len() as i64 }.into()
}

/// 評価したKPIの結果 (one evaluated project: how many of its initial KPI targets were met).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvaluatedKpis {
    pub met: u32,
    pub evaluated: u32,
}

/// 成功率（当初目標達成率） (line 459, R5): (a) projects with **all** initial targets met ÷ evaluated
/// projects — a project with no KPI evaluated is not a success, since nothing shows its goals were
/// met; (b) KPIs met ÷ KPIs evaluated.
pub fn success_rate(evaluations: &[EvaluatedKpis]) -> Readings {
    let all_met = evaluations.iter().filter(|e| e.evaluated > 0 && e.met >= e.evaluated).count() as i64;
    let met: i64 = evaluations.iter().map(|e| i64::from(e.met.min(e.evaluated))).sum();
    let evaluated: i64 = evaluations.iter().map(|e| i64::from(e.evaluated)).sum();
    Readings {
        a: Measurement::Share { part: all_met, whole: evaluations.len() as i64 },
        b: Some(Measurement::Share { part: met, whole: evaluated }),
    }
}

/// 地域課題 (one issue, as the solve rate needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssueFacts {
    pub registered_on: NaiveDate,
    /// 解決日
    pub solved_on: Option<NaiveDate>,
}

/// 地域課題の解決率 (line 390 「課題登録数に対する解決事例数」, R4): solved by the end of the 年度 ÷
/// registered; (a) issues registered in the 年度, (b) cumulative to its end.
pub fn issue_solve_rate(fy: FiscalYear, issues: &[IssueFacts]) -> Readings {
    let solved = |i: &&&IssueFacts| i.solved_on.is_some_and(|d| d <= fy_end(fy));
    let cohort: Vec<_> = issues.iter().filter(|i| fy.contains(i.registered_on)).collect();
    let cumulative: Vec<_> = issues.iter().filter(|i| i.registered_on <= fy_end(fy)).collect();
    Readings {
        a: Measurement::Share { part: cohort.iter().filter(solved).count() as i64, whole: cohort.len() as i64 },
        b: Some(Measurement::Share {
            part: cumulative.iter().filter(solved).count() as i64,
            whole: cumulative.len() as i64,
        }),
    }
}

/// 民間人材の採用・登用数 (line 334, R3): people in post at any time in the 年度 (from, to inclusive).
pub fn private_hires(fy: FiscalYear, hires: &[(NaiveDate, Option<NaiveDate>)]) -> Readings {
    let n = hires.iter().filter(|(from, to)| *from <= fy_end(fy) && to.is_none_or(|t| t >= fy_start(fy))).count();
    Measurement::Count(n as i64).into()
}

/// 月間アクティブユーザー数 (line 403, R4, §6): distinct signed-in users in the month of `month`
/// (portal visitors are not users and are not passed here).
pub fn monthly_active_users(month: NaiveDate, sign_ins: &[(u64, NaiveDate)]) -> Readings {
    use chrono::Datelike;
    let users: BTreeSet<u64> = sign_ins
        .iter()
        .filter(|(_, d)| d.year() == month.year() && d.month() == month.month())
        .map(|(u, _)| *u)
        .collect();
    Measurement::Count(users.len() as i64).into()
}

/// A sum of yen or people (経済効果 line 327, イベント参加者数 line 405). Each entry is refused if
/// negative, naming `field`: an entered 経済効果 or participant count below zero is a typing error.
pub fn total(field: Field, values: &[i64]) -> Result<Readings, PartnershipRuleError> {
    let mut sum = 0i64;
    for v in values {
        if *v < 0 {
            return Err(PartnershipRuleError::Negative { field, value: v.to_string() });
        }
        sum = sum.saturating_add(*v);
    }
    Ok(Measurement::Count(sum).into())
}
