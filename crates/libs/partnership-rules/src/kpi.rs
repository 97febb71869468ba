//! KGI・KSI・KPI の定義と判定 (KPI definitions, targets as settings, achievement), spec R3–R5,
//! seed lines 315–335 (支援策①), 386–406 (支援策②), 457–477 (支援策③).
//!
//! The seed is machine-written and unverified (line 9–12), so nothing here is a constant of the
//! law: every target is a [`KpiSetting`] per municipality and 年度 whose default is the seed's
//! example, and every 「現状」 figure is a [`Reference`] shown as 「参考値（出典未確認）」.
//! Where the seed leaves a term undefined (spec §9.12), both readings are computed: the one the
//! setting picks is the value, the other is `alt`.

use crate::quantity::{Decimal, Ratio};
use serde::Serialize;

/// 支援策 (support measure) of the seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SupportMeasure {
    /// 支援策①：官民連携推進体制の整備 (line 266)
    Organisation,
    /// 支援策②：地域資源情報プラットフォームの構築 (line 337)
    Platform,
    /// 支援策③：公民連携ガイドラインの策定と評価制度の確立 (line 408)
    Guideline,
}

impl SupportMeasure {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Organisation => "支援策①",
            Self::Platform => "支援策②",
            Self::Guideline => "支援策③",
        }
    }
}

/// 指標の種類 (KGI・KSI・KPI; the KPIs split into アウトカム and アウトプット, line 326, 331).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tier {
    /// KGI（最終目標指標）
    Kgi,
    /// KSI（成功要因指標）
    Ksi,
    /// KPI アウトカム指標
    Outcome,
    /// KPI アウトプット指標
    Output,
}

/// 単位 (unit of the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// 件・団体・人・名 — a count with its counter word.
    Count(&'static str),
    /// %
    Percent,
    /// カ月 (from days; see [`MonthBasis`])
    Months,
    /// 円
    Yen,
    /// 倍 (SROI)
    Times,
}

/// 集計期間 (the period a figure covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Period {
    /// 年度 (April–March; 「年間」 = 年度, spec §3).
    FiscalYear,
    /// 3月31日時点 (a stock at the end of the 年度).
    FiscalYearEnd,
    /// 月 (月間アクティブユーザー数).
    Month,
}

/// 目標の向き: 以上 (at least) or 以下 (at most). Both are inclusive: 40.0% meets 「40%以上」.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// 以上
    AtLeast,
    /// 以下（以内）
    AtMost,
}

impl Direction {
    pub fn met(self, value: Ratio, target: Ratio) -> bool {
        match self {
            Self::AtLeast => value >= target,
            Self::AtMost => value <= target,
        }
    }
}

/// 月数の換算 (how days become months; spec §3: "Months" = days ÷ 30.4375, the 30-day reading noted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum MonthBasis {
    /// 365.25 ÷ 12 = 30.4375日 = 487/16日.
    #[default]
    AverageMonth,
    /// 30日.
    ThirtyDays,
}

impl MonthBasis {
    /// Days per month as a fraction (numerator, denominator).
    pub(crate) fn days_per_month(self) -> (i128, i128) {
        match self {
            Self::AverageMonth => (487, 16),
            Self::ThirtyDays => (30, 1),
        }
    }
}

/// 指標 (the KPIs the seed names, in its order). SROI appears twice, with different targets
/// (3倍, line 329; 2.5倍, line 471) — spec §9.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum KpiId {
    /// 企業・団体との連携事業数 (line 317)
    ProjectCount,
    /// 連携事業に対する企業・団体・住民の満足度 (line 319)
    PartnerSatisfaction,
    /// 官民連携提案の成約率 (line 322)
    ContractRate,
    /// 提案から事業化までの平均期間 (line 324)
    MonthsToLaunch,
    /// 連携により創出された経済効果 (line 327)
    EconomicEffect,
    /// 連携事業がもたらした社会的価値（SROI）支援策① (line 329)
    SroiOverall,
    /// 官民連携ワンストップ窓口への相談・提案件数 (line 332)
    ContactCount,
    /// 民間人材の採用・登用数 (line 334)
    PrivateHires,
    /// プラットフォームを通じた新規連携事業創出数 (line 388)
    PlatformProjects,
    /// 地域課題の解決率 (line 390)
    IssueSolveRate,
    /// プラットフォーム登録企業・団体数 (line 393)
    RegisteredOrganisations,
    /// 地域資源データベース登録件数 (line 395)
    RegisteredResources,
    /// マッチングによる新規事業・サービス創出数 (line 398)
    MatchLaunches,
    /// リビングラボでの実証から社会実装へ移行した案件数 (line 400)
    LivingLabImplemented,
    /// プラットフォーム月間アクティブユーザー数 (line 403)
    MonthlyActiveUsers,
    /// オープンイノベーションイベント参加者数 (line 405)
    EventParticipants,
    /// 連携事業の成功率（当初目標達成率） (line 459)
    SuccessRate,
    /// 連携事業のリスク顕在化率 (line 461)
    RiskRate,
    /// 明確なKPIを設定している連携事業の割合 (line 464)
    KpiSetShare,
    /// 住民参画プロセスを組み込んだ連携事業の割合 (line 466)
    ParticipationShare,
    /// 連携事業の住民満足度 (line 469)
    ResidentSatisfaction,
    /// 連携事業の社会的投資収益率（SROI）支援策③ (line 471)
    SroiPerProject,
    /// ガイドラインに基づく連携事業数 (line 474)
    GuidelineShare,
    /// 公民連携アワードへのエントリー数 (line 476)
    AwardEntries,
}

/// 現状（参考値）: a 「現状平均」 figure of the seed. Shown only with [`Reference::LABEL_JA`]: the
/// seed's sources are unchecked (line 9–12) and its figures recur for unrelated things (spec §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub value: Decimal,
    pub seed_line: u32,
}

impl Reference {
    pub const LABEL_JA: &'static str = "参考値（出典未確認）";
    pub const LABEL_EN: &'static str = "reference value (source unverified)";
}

/// 指標の定義 (one row of the seed's target sheet, as data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiDefinition {
    pub id: KpiId,
    pub measure: SupportMeasure,
    pub tier: Tier,
    pub name_ja: &'static str,
    pub name_en: &'static str,
    /// 算定式 (a): the reading used unless the setting picks (b).
    pub formula_ja: &'static str,
    /// 算定式 (b), where the seed's words allow another reading (spec §9.12).
    pub alt_formula_ja: Option<&'static str>,
    pub unit: Unit,
    pub period: Period,
    pub direction: Direction,
    /// The seed's target, the default of the setting.
    pub default_target: Decimal,
    /// データ取得方法 as the seed gives it.
    pub data_source_ja: &'static str,
    /// `cat -n` line of the target in the seed.
    pub seed_line: u32,
    /// 現状平均 (参考値), when the seed gives one.
    pub reference: Option<Reference>,
}

const fn d(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

const fn r(units: i64, scale: u32, seed_line: u32) -> Option<Reference> {
    Some(Reference { value: Decimal::new(units, scale), seed_line })
}

#[allow(clippy::too_many_arguments)]
const fn def(
    id: KpiId,
    measure: SupportMeasure,
    tier: Tier,
    names: (&'static str, &'static str),
    formulas: (&'static str, Option<&'static str>),
    unit: Unit,
    period: Period,
    target: (Direction, Decimal),
    data_source_ja: &'static str,
    seed_line: u32,
    reference: Option<Reference>,
) -> KpiDefinition {
    KpiDefinition {
        id,
        measure,
        tier,
        name_ja: names.0,
        name_en: names.1,
        formula_ja: formulas.0,
        alt_formula_ja: formulas.1,
        unit,
        period,
        direction: target.0,
        default_target: target.1,
        data_source_ja,
        seed_line,
        reference,
    }
}

use Direction::{AtLeast, AtMost};
use KpiId as K;
use Period::{FiscalYear as Fy, FiscalYearEnd, Month};
use SupportMeasure::{Guideline, Organisation, Platform};
use Tier::{Kgi, Ksi, Outcome, Output};

/// 指標一覧 (the seed's three target sheets as data, in its order, which is [`KpiId`]'s order).
#[rustfmt::skip]
pub const CATALOGUE: [KpiDefinition; 24] = [
    def(K::ProjectCount, Organisation, Kgi, ("企業・団体との連携事業数", "partnership projects"),
        ("年度内に締結した連携事業の件数", Some("年度内のいずれかの時点で実施中だった連携事業の件数")),
        Unit::Count("件"), Fy, (AtLeast, d(50, 0)), "官民連携推進室による連携事業データベースから集計", 317, r(193, 1, 317)),
    def(K::PartnerSatisfaction, Organisation, Kgi, ("連携事業に対する企業・団体・住民の満足度", "satisfaction of partners and residents"),
        ("年1回のアンケートで「満足」「やや満足」と回答した割合（5段階の上位2つ）", Some("「満足」と回答した割合")),
        Unit::Percent, Fy, (AtLeast, d(80, 0)), "連携相手および受益者へのアンケート調査（年1回実施）", 319, None),
    def(K::ContractRate, Organisation, Ksi, ("官民連携提案の成約率", "proposal contract rate"),
        ("年度内に受け付けた提案のうち成約に至った件数 ÷ 年度内に受け付けた提案の件数", Some("成約件数 ÷ 回答済みまたは成約の提案件数")),
        Unit::Percent, Fy, (AtLeast, d(40, 0)), "提案管理システムによる成約率の集計・分析", 322, r(237, 1, 322)),
    def(K::MonthsToLaunch, Organisation, Ksi, ("提案から事業化までの平均期間", "mean time from proposal to launch"),
        ("年度内に事業化した提案の（事業化日 − 受付日）の平均（月数）", None),
        Unit::Months, Fy, (AtMost, d(25, 1)), "提案管理システムによる所要期間の集計・分析", 324, r(37, 1, 324)),
    def(K::EconomicEffect, Organisation, Outcome, ("連携により創出された経済効果", "economic effect"),
        ("年度内の評価に入力された経済効果（産業連関分析等）の合計", None),
        Unit::Yen, Fy, (AtLeast, d(1_000_000_000, 0)), "連携事業の経済波及効果分析（産業連関分析等）", 327, None),
    def(K::SroiOverall, Organisation, Outcome, ("連携事業がもたらした社会的価値（SROI）", "SROI (all projects)"),
        ("貨幣換算した社会的価値の合計 ÷ 投資額の合計", None),
        Unit::Times, Fy, (AtLeast, d(3, 0)), "社会的投資収益率（SROI）分析", 329, None),
    def(K::ContactCount, Organisation, Output, ("官民連携ワンストップ窓口への相談・提案件数", "contacts at the one-stop window"),
        ("年度内に受け付けた相談・提案の件数（受付番号ごとに1件。相談から提案になったものも1件）", None),
        Unit::Count("件"), Fy, (AtLeast, d(200, 0)), "窓口相談記録システムからの集計", 332, None),
    def(K::PrivateHires, Organisation, Output, ("民間人材の採用・登用数", "private-sector hires"),
        ("年度内に在職した民間人材（任期付・兼業含む）の人数", None),
        Unit::Count("名"), Fy, (AtLeast, d(10, 0)), "人事課データベースからの集計", 334, None),
    def(K::PlatformProjects, Platform, Kgi, ("プラットフォームを通じた新規連携事業創出数", "new projects through the platform"),
        ("年度内に締結した連携事業のうち、発端がマッチングまたはポータルのものの件数", None),
        Unit::Count("件"), Fy, (AtLeast, d(80, 0)), "プラットフォーム上の連携プロジェクトデータの集計", 388, None),
    def(K::IssueSolveRate, Platform, Kgi, ("地域課題の解決率", "local issue solve rate"),
        ("年度内に登録した課題のうち年度末までに解決した件数 ÷ 年度内に登録した課題の件数", Some("年度末までの累計：解決件数 ÷ 登録件数")),
        Unit::Percent, Fy, (AtLeast, d(50, 0)), "プラットフォーム上の課題・解決事例データの分析", 390, None),
    def(K::RegisteredOrganisations, Platform, Ksi, ("プラットフォーム登録企業・団体数", "registered organisations"),
        ("3月31日時点のプラットフォーム構成団体数", None),
        Unit::Count("団体"), FiscalYearEnd, (AtLeast, d(1000, 0)), "プラットフォームのユーザーデータベースから集計", 393, None),
    def(K::RegisteredResources, Platform, Ksi, ("地域資源データベース登録件数", "registered resources"),
        ("3月31日時点で有効または要確認の地域資源の件数", None),
        Unit::Count("件"), FiscalYearEnd, (AtLeast, d(3000, 0)), "データベース管理システムからの集計", 395, None),
    def(K::MatchLaunches, Platform, Outcome, ("マッチングによる新規事業・サービス創出数", "services launched from matches"),
        ("成立したマッチングから生まれた事業のうち年度内に事業化したものの件数", None),
        Unit::Count("件"), Fy, (AtLeast, d(30, 0)), "プラットフォーム上の事業化報告データの集計", 398, None),
    def(K::LivingLabImplemented, Platform, Outcome, ("リビングラボでの実証から社会実装へ移行した案件数", "living-lab pilots implemented"),
        ("リビングラボ実証の事業のうち年度内に社会実装へ移行したものの件数", None),
        Unit::Count("件"), Fy, (AtLeast, d(15, 0)), "リビングラボ運営報告書からの集計・分析", 400, None),
    def(K::MonthlyActiveUsers, Platform, Output, ("プラットフォーム月間アクティブユーザー数", "monthly active users"),
        ("その月にログインした利用者の人数（ポータルの閲覧者は含まない）", None),
        Unit::Count("人"), Month, (AtLeast, d(5000, 0)), "プラットフォームのアクセス解析データ", 403, None),
    def(K::EventParticipants, Platform, Output, ("オープンイノベーションイベント参加者数", "event participants"),
        ("年度内のイベント参加者数の合計", None),
        Unit::Count("人"), Fy, (AtLeast, d(2000, 0)), "イベント管理システムからの参加者データ集計", 405, None),
    def(K::SuccessRate, Guideline, Kgi, ("連携事業の成功率（当初目標達成率）", "success rate (initial targets met)"),
        ("当初のKPI目標をすべて達成した事業数 ÷ 評価した事業数", Some("達成したKPIの数 ÷ 評価したKPIの数")),
        Unit::Percent, Fy, (AtLeast, d(80, 0)), "連携事業評価データベースによる分析", 459, r(583, 1, 459)),
    def(K::RiskRate, Guideline, Kgi, ("連携事業のリスク顕在化率", "risk occurrence rate"),
        ("年度内にリスクが顕在化した事業数 ÷ 年度内に実施中だった事業数", Some("想定外のリスクが顕在化した事業数 ÷ 年度内に実施中だった事業数")),
        Unit::Percent, Fy, (AtMost, d(10, 0)), "事業実施報告書からのリスク事象分析", 461, r(237, 1, 461)),
    def(K::KpiSetShare, Guideline, Ksi, ("明確なKPIを設定している連携事業の割合", "share of projects with KPIs"),
        ("目標値のあるKPIが1つ以上ある事業数 ÷ 締結済みの事業数", None),
        Unit::Percent, Fy, (AtLeast, d(100, 0)), "事業計画書審査によるKPI設定状況確認", 464, None),
    def(K::ParticipationShare, Guideline, Ksi, ("住民参画プロセスを組み込んだ連携事業の割合", "share with resident participation"),
        ("住民参画計画のある事業数 ÷ 締結済みの事業数", None),
        Unit::Percent, Fy, (AtLeast, d(90, 0)), "事業計画書における住民参画計画の確認", 466, None),
    def(K::ResidentSatisfaction, Guideline, Outcome, ("連携事業の住民満足度", "residents' satisfaction per project"),
        ("受益者アンケートの上位2つの回答数の合計 ÷ 回答数の合計（全事業を合算）", Some("事業ごとの上位2つの割合の平均")),
        Unit::Percent, Fy, (AtLeast, d(85, 0)), "事業ごとの受益者アンケート調査", 469, None),
    def(K::SroiPerProject, Guideline, Outcome, ("連携事業の社会的投資収益率（SROI）", "SROI per project"),
        ("事業ごとのSROI（社会的価値 ÷ 投資額）の平均", Some("目標以上の事業の割合")),
        Unit::Times, Fy, (AtLeast, d(25, 1)), "標準化されたSROI測定フレームワークによる分析", 471, None),
    def(K::GuidelineShare, Guideline, Output, ("ガイドラインに基づく連携事業数", "projects following the guideline"),
        ("ガイドラインのチェックリストが完了している事業数 ÷ 全連携事業数", None),
        Unit::Percent, Fy, (AtLeast, d(100, 0)), "連携事業データベースからの集計・分析", 474, None),
    def(K::AwardEntries, Guideline, Output, ("公民連携アワードへのエントリー数", "award entries"),
        ("年度内のエントリー件数", None),
        Unit::Count("件"), Fy, (AtLeast, d(50, 0)), "アワード応募管理システムからの集計", 476, None),
];

/// The definition of `id` (the catalogue has every [`KpiId`]).
pub fn definition(id: KpiId) -> &'static KpiDefinition {
    // The catalogue is in declaration order; the test `catalogue_is_in_id_order` keeps it so.
    &CATALOGUE[id as usize]
}
