//! 特別交付税 措置額の試算 (the special-allocation-tax calculator) and the 普通交付税 estimate.
//!
//! 措置額 = 0.7 × Σ min(対象経費, 上限) per measure and 年度 (「対象経費の合計額に0.7を乗じて得た
//! 額」, line 193–195, 259–261, 300–302). Three things the seed fixes and a naive calculator gets
//! wrong, each tested:
//! * the cap is on the **対象経費**, not on the 措置額 (column 「対象経費の上限額」, line 182);
//! * the sum is taken **before** multiplying by 0.7;
//! * each measure has **its own period** (A to 令和11年度, B and C to 令和7年度; spec §9.8).
//!
//! Every output line carries its reason in Japanese, naming the measure, cap, rate, period and
//! the seed lines, because the prefecture's 市町村課 asks why a figure is what it is.

use crate::error::{Field, TalentRuleError, required, yen_amount};
use crate::grant_rules::{CapUnit, CostCategory, GrantRule, Measure, find_rule, measure_first_year, measure_last_year};
use crate::text::{fy_ja, man_yen, yen};
use serde::Serialize;
use tabane_calendar::FiscalYear;

/// 申請団体の種類 (who draws up the sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Applicant {
    /// 都道府県
    Prefecture,
    /// 連携中枢都市等 playing the prefecture's supporting role (line 187)
    CoreCity,
    /// 市町村
    Municipality,
}

/// 端数処理 of the 措置額 (not stated in the seed; spec R5 (iv)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Rounding {
    /// 円未満切捨て (default)
    #[default]
    Yen,
    /// 千円未満切捨て
    Thousand,
}

/// Whether the prefecture's 対象経費 for a person is net of the municipalities' 負担金 for them
/// (spec R5 (iii); the seed is silent). Net is the default so the same yen is not counted twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ContributionTreatment {
    #[default]
    Net,
    Gross,
}

/// 按分 (apportionment) of a CIO補佐官等 contract that mixes advice and other work (line 319–320).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Apportion {
    /// 按分率 in percent (0–100).
    pub percent: u32,
    /// 按分の根拠: why this share is advice.
    pub basis: String,
}

/// 経費 (one cost as entered), by the kind of cost; each kind belongs to one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Cost {
    /// A: 人件費 of a person the prefecture employs (line 187–189).
    StaffPay {
        amount: i64,
        /// 常勤 (full-time post), declared by the user.
        full_time: bool,
        /// 自治体DXアクセラレータ (appointed).
        accelerator: bool,
        /// 主な所掌事務が市町村支援業務 (line 207).
        main_duty_municipal_support: bool,
        /// 市町村の負担金 received for this person (spec R5 (iii)).
        contributions_received: i64,
    },
    /// A: 委託 talent, the 人件費相当額 one amount per person (spec R5 (v)).
    ContractStaffPay { persons_covered: u32, per_person: Vec<i64>, main_duty_municipal_support: bool },
    /// A: 委託's costs other than the talent's 人件費 (交通費、通信運搬費等, line 208).
    ContractOtherCosts { amount: i64 },
    /// A: 募集経費, including the part of a 委託's 事業運営経費 equal to 募集経費 (line 209).
    Recruitment { amount: i64 },
    /// A: a municipality's 負担金 towards the prefecture's costs (line 190–191).
    MunicipalContribution { amount: i64 },
    /// B: DX推進リーダー育成経費 (line 249–257), with the flags the exclusions need (line 266–273).
    LeaderTraining {
        amount: i64,
        /// DX推進リーダーに指定済 (line 273).
        designated_leader: bool,
        /// 育成プログラムに記載 (line 269).
        in_programme: bool,
        /// 幅広な職員を対象 (line 269).
        broad_staff: bool,
        /// 初歩的な試験の受験料 (line 251); which exams are 初歩的 the user decides.
        elementary_exam: bool,
    },
    /// C ①: 任用等経費 of one CIO補佐官等 (line 290–298).
    CioAppointment {
        amount: i64,
        /// 全庁的・横断的にDX推進を図る「特別職非常勤職員の助言業務」に相当 (line 316–317).
        advisory_duties: bool,
        /// 単なる各種計画策定の業務委託 (line 319).
        planning_only: bool,
        apportion: Option<Apportion>,
        /// Chosen as one of the (at most 3) persons counted (spec R7: the user selects).
        selected: bool,
    },
    /// C ②: 募集経費 (line 306–311).
    CioRecruitment { amount: i64 },
}

impl Cost {
    fn measure(&self) -> Measure {
        match self {
            Self::StaffPay { .. }
            | Self::ContractStaffPay { .. }
            | Self::ContractOtherCosts { .. }
            | Self::Recruitment { .. }
            | Self::MunicipalContribution { .. } => Measure::TalentForMunicipalities,
            Self::LeaderTraining { .. } => Measure::DxLeaderTraining,
            Self::CioAppointment { .. } | Self::CioRecruitment { .. } => Measure::CioAdviser,
        }
    }

    /// 計上額 (the amount as entered, before any rule).
    fn requested(&self) -> i64 {
        match self {
            Self::ContractStaffPay { per_person, .. } => per_person.iter().fold(0i64, |a, b| a.saturating_add(*b)),
            Self::StaffPay { amount, .. }
            | Self::ContractOtherCosts { amount }
            | Self::Recruitment { amount }
            | Self::MunicipalContribution { amount }
            | Self::LeaderTraining { amount, .. }
            | Self::CioAppointment { amount, .. }
            | Self::CioRecruitment { amount } => *amount,
        }
    }
}

/// 経費の行 (a labelled cost line of a sheet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostLine {
    /// 人名 or 内容, e.g. 「非常勤職員X」.
    pub label: String,
    pub cost: Cost,
}

/// 算定資料（試算） (a calculation sheet): one measure, one 年度, one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantSheet {
    pub measure: Measure,
    pub fiscal_year: FiscalYear,
    pub applicant: Applicant,
    pub rounding: Rounding,
    pub contributions: ContributionTreatment,
    pub lines: Vec<CostLine>,
}

/// 行の算定結果 (one line's result).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantLineResult {
    pub label: String,
    /// 計上額
    pub requested: i64,
    /// 対象経費 after exclusions and caps
    pub eligible: i64,
    /// 理由 (Japanese)
    pub reason_ja: String,
    /// 要確認: the result rests on a reading of an ambiguous seed passage.
    pub needs_review: bool,
}

/// 算定結果 (the sheet's result).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantSheetResult {
    pub measure: Measure,
    pub fiscal_year: FiscalYear,
    pub lines: Vec<GrantLineResult>,
    /// 対象経費の合計額
    pub eligible_total: i64,
    /// 措置額 (amount covered by the special allocation tax), after [`Rounding`].
    pub covered_amount: i64,
}

const CONTRACT_STAFF: Field = Field::new("委託の人件費相当額", "contracted staff cost");
const APPORTION_BASIS: Field = Field::new("按分の根拠", "basis of the apportionment");

/// 措置額の試算 (calculates a sheet). Bad input is refused as a whole before anything is computed,
/// so a caller that stores results writes nothing on error.
pub fn calculate(rules: &[GrantRule], sheet: &GrantSheet) -> Result<GrantSheetResult, TalentRuleError> {
    validate(rules, sheet)?;
    let fy = sheet.fiscal_year;
    let ended = measure_period_message(rules, sheet.measure, fy);
    let mut lines = Vec::with_capacity(sheet.lines.len());
    // Remaining per-organisation cap per category: 募集経費 caps are per 団体 and 年度, shared by lines.
    let mut org_cap_used: Vec<(CostCategory, i64)> = Vec::new();
    // 対象経費 summed per 措置率: the seed's rows all use 0.7, but a table may one day differ.
    let mut by_rate: Vec<((i64, i64), i64)> = Vec::new();
    for line in &sheet.lines {
        let requested = line.cost.requested();
        let (eligible, reason_ja, needs_review, rule) = match &ended {
            Some(msg) => (0, msg.clone(), false, None),
            None => line_rule(rules, sheet, line, &mut org_cap_used),
        };
        if let Some(r) = rule.filter(|_| eligible > 0) {
            let key = (r.rate_num, r.rate_den);
            match by_rate.iter_mut().find(|(k, _)| *k == key) {
                Some((_, sum)) => *sum = sum.saturating_add(eligible),
                None => by_rate.push((key, eligible)),
            }
        }
        lines.push(GrantLineResult { label: line.label.clone(), requested, eligible, reason_ja, needs_review });
    }
    let eligible_total = lines.iter().fold(0i64, |a, l| a.saturating_add(l.eligible));
    // The sum is multiplied once (「対象経費の合計額に0.7を乗じて」), never line by line.
    let exact: i64 = by_rate
        .iter()
        .map(|((num, den), sum)| (*sum as i128 * *num as i128).div_euclid(*den as i128) as i64)
        .fold(0, i64::saturating_add);
    let covered_amount = match sheet.rounding {
        Rounding::Yen => exact,
        Rounding::Thousand => exact - exact.rem_euclid(1_000),
    };
    Ok(GrantSheetResult { measure: sheet.measure, fiscal_year: fy, lines, eligible_total, covered_amount })
}

fn validate(rules: &[GrantRule], sheet: &GrantSheet) -> Result<(), TalentRuleError> {
    // A table edited by hand must not divide by zero or pay more than the cost.
    for r in rules {
        if r.rate_den <= 0 || r.rate_num < 0 || (r.rate_den != 1 && r.rate_num > r.rate_den) {
            let field = Field::new("ルール表の措置率", "rate in the rules table");
            return Err(TalentRuleError::OutOfRange { field, value: r.rate_num, min: 0, max: r.rate_den.max(0) });
        }
    }
    let amount = Field::new("金額", "amount");
    for line in &sheet.lines {
        if line.cost.measure() != sheet.measure {
            return Err(TalentRuleError::WrongMeasure {
                line: line.label.clone(),
                sheet_measure: sheet.measure.name_ja(),
            });
        }
        match &line.cost {
            Cost::ContractStaffPay { persons_covered, per_person, .. } => {
                if *persons_covered as usize != per_person.len() {
                    return Err(TalentRuleError::PerPersonBreakdownRequired {
                        line: line.label.clone(),
                        persons_covered: *persons_covered,
                        amounts_given: per_person.len(),
                    });
                }
                for a in per_person {
                    yen_amount(CONTRACT_STAFF, *a)?;
                }
            }
            Cost::StaffPay { amount: a, contributions_received, .. } => {
                yen_amount(amount, *a)?;
                yen_amount(Field::new("市町村の負担金", "municipal contribution"), *contributions_received)?;
            }
            Cost::CioAppointment { amount: a, apportion, .. } => {
                yen_amount(amount, *a)?;
                if let Some(ap) = apportion {
                    let pct = Field::new("按分率", "apportionment percentage");
                    if ap.percent > 100 {
                        return Err(TalentRuleError::OutOfRange {
                            field: pct,
                            value: ap.percent.into(),
                            min: 0,
                            max: 100,
                        });
                    }
                    required(APPORTION_BASIS, &ap.basis)?;
                }
            }
            other => {
                yen_amount(amount, other.requested())?;
            }
        }
    }
    // C: at most 3 persons (line 314), refused rather than silently dropping one (spec R7).
    let selected = sheet.lines.iter().filter(|l| matches!(l.cost, Cost::CioAppointment { selected: true, .. })).count();
    if let Some(rule) = find_rule(rules, Measure::CioAdviser, CostCategory::CioAppointment, sheet.fiscal_year)
        && let Some(max) = rule.max_persons
        && selected as u32 > max
    {
        return Err(TalentRuleError::TooManyCioPersons {
            max,
            selected: selected as u32,
            period: rule.period_short_ja(),
        });
    }
    Ok(())
}

/// `Some(message)` when `fy` is outside every row of the measure.
fn measure_period_message(rules: &[GrantRule], measure: Measure, fy: FiscalYear) -> Option<String> {
    if let Some(last) = measure_last_year(rules, measure)
        && fy > last
    {
        return Some(measure.ended_message_ja(fy, last));
    }
    if let Some(first) = measure_first_year(rules, measure)
        && fy < first
    {
        return Some(format!("{}は資料に記載の対象期間（{}から）外です", fy_ja(fy), fy_ja(first)));
    }
    None
}

type LineOutcome<'r> = (i64, String, bool, Option<&'r GrantRule>);

fn excluded<'r>(reason: impl Into<String>) -> LineOutcome<'r> {
    (0, reason.into(), false, None)
}

/// One line's 対象経費 and reason.
fn line_rule<'r>(
    rules: &'r [GrantRule],
    sheet: &GrantSheet,
    line: &CostLine,
    org_cap_used: &mut Vec<(CostCategory, i64)>,
) -> LineOutcome<'r> {
    let fy = sheet.fiscal_year;
    let measure = sheet.measure;
    let by_prefecture = matches!(sheet.applicant, Applicant::Prefecture | Applicant::CoreCity);
    let prefecture_only = "この経費を計上できるのは都道府県（連携中枢都市等を含む）です。市町村が計上できるのは、その経費の一部につき生じた負担金のみです（根拠 資料 line 184–191）";
    let not_main_duty = "主な所掌事務が市町村支援業務でない人材の経費は対象外です（根拠 資料 line 207）";
    let find = |category| find_rule(rules, measure, category, fy);
    let no_row = |category: CostCategory| {
        excluded(format!("{}の{}は{}の対象外です", fy_ja(fy), category.name_ja(), measure.name_ja()))
    };
    match &line.cost {
        Cost::StaffPay { amount, full_time, accelerator, main_duty_municipal_support, contributions_received } => {
            if !by_prefecture {
                return excluded(prefecture_only);
            }
            if !main_duty_municipal_support {
                return excluded(not_main_duty);
            }
            let category = if *full_time { CostCategory::FullTimeStaffPay } else { CostCategory::StaffPay };
            let Some(rule) = find(category) else {
                if *full_time {
                    return full_time_moved(rules, fy, *accelerator);
                }
                return no_row(category);
            };
            let (base, net_note) = match sheet.contributions {
                ContributionTreatment::Net if *contributions_received > 0 => {
                    let net = (amount - contributions_received).max(0);
                    (net, format!("市町村の負担金{}を差し引いた{}。", yen(*contributions_received), yen(net)))
                }
                _ => (*amount, String::new()),
            };
            let (eligible, cap_note) = per_person_cap(rule, base);
            let reason = format!("{}{}{}（{}）", rule.category.name_ja(), net_note, cap_note, rule.note_ja());
            (eligible, reason, false, Some(rule))
        }
        Cost::ContractStaffPay { per_person, main_duty_municipal_support, .. } => {
            if !by_prefecture {
                return excluded(prefecture_only);
            }
            if !main_duty_municipal_support {
                return excluded(not_main_duty);
            }
            let Some(rule) = find(CostCategory::StaffPay) else { return no_row(CostCategory::StaffPay) };
            let parts: Vec<(i64, String)> = per_person.iter().map(|a| per_person_cap(rule, *a)).collect();
            let eligible = parts.iter().map(|p| p.0).sum();
            let notes: Vec<&str> = parts.iter().map(|p| p.1.as_str()).collect();
            let reason =
                format!("委託の人件費相当額（{}名）: {}（{}）", per_person.len(), notes.join("／"), rule.note_ja());
            (eligible, reason, false, Some(rule))
        }
        Cost::ContractOtherCosts { .. } => excluded(
            "民間事業者への委託の場合、デジタル人材の人件費以外（交通費、通信運搬費等）に要した経費は対象外です（募集経費に相当する経費は「募集経費」として計上してください。根拠 資料 line 208–209）",
        ),
        Cost::Recruitment { amount } | Cost::CioRecruitment { amount } => {
            let category = match line.cost {
                Cost::Recruitment { .. } => CostCategory::Recruitment,
                _ => CostCategory::CioRecruitment,
            };
            if category == CostCategory::Recruitment && !by_prefecture {
                return excluded(prefecture_only);
            }
            if category == CostCategory::CioRecruitment && by_prefecture {
                return excluded("CIO補佐官等の措置の対象団体は市町村です（根拠 資料 line 288）");
            }
            let Some(rule) = find(category) else { return no_row(category) };
            let (eligible, note) = per_organisation_cap(rule, *amount, org_cap_used);
            (eligible, format!("{}{}（{}）", category.name_ja(), note, rule.note_ja()), false, Some(rule))
        }
        Cost::MunicipalContribution { amount } => {
            if by_prefecture {
                return excluded(
                    "負担金は負担した市町村の算定資料に計上します（都道府県の対象経費は負担金を差し引いた額です。根拠 資料 line 190–191）",
                );
            }
            let Some(rule) = find(CostCategory::MunicipalContribution) else {
                return no_row(CostCategory::MunicipalContribution);
            };
            (*amount, format!("市町村の負担金{}（{}）", yen(*amount), rule.note_ja()), false, Some(rule))
        }
        Cost::LeaderTraining { amount, designated_leader, in_programme, broad_staff, elementary_exam } => {
            if *broad_staff {
                return excluded("幅広な職員を対象とした研修に係る経費は対象外です（根拠 資料 line 269）");
            }
            if !in_programme {
                return excluded("育成プログラム上に記載の無い研修に係る経費は対象外です（根拠 資料 line 269）");
            }
            if !designated_leader {
                return excluded("DX推進リーダーに指定されていません（根拠 資料 line 266–267, 273）");
            }
            if *elementary_exam {
                return excluded("初歩的な資格試験の受験料は対象外です（根拠 資料 line 250–251）");
            }
            let Some(rule) = find(CostCategory::LeaderTraining) else {
                return no_row(CostCategory::LeaderTraining);
            };
            (*amount, format!("{}（{}）", yen(*amount), rule.note_ja()), false, Some(rule))
        }
        Cost::CioAppointment { amount, advisory_duties, planning_only, apportion, selected } => {
            if by_prefecture {
                return excluded("CIO補佐官等の措置の対象団体は市町村です（根拠 資料 line 288）");
            }
            if *planning_only {
                return excluded("単なる各種計画策定の業務委託は対象外です（根拠 資料 line 319）");
            }
            if !advisory_duties {
                return excluded(
                    "全庁的・横断的にDX推進を図る「特別職非常勤職員の助言業務」に相当する業務ではありません（根拠 資料 line 316–317）",
                );
            }
            if !selected {
                return excluded("措置対象の3名に選択されていません（根拠 資料 line 314）");
            }
            let Some(rule) = find(CostCategory::CioAppointment) else {
                return no_row(CostCategory::CioAppointment);
            };
            let (eligible, note) = match apportion {
                Some(ap) => {
                    let part = (*amount as i128 * ap.percent as i128 / 100) as i64;
                    (part, format!("{}の{}%を按分（根拠: {}）= {}", yen(*amount), ap.percent, ap.basis, yen(part)))
                }
                None => (*amount, yen(*amount)),
            };
            (eligible, format!("任用等経費 {}（{}）", note, rule.note_ja()), false, Some(rule))
        }
    }
}

/// 常勤 staff from 令和7年度: accelerators go to 普通交付税 (D); others are a reading (spec R4).
fn full_time_moved<'r>(rules: &[GrantRule], fy: FiscalYear, accelerator: bool) -> LineOutcome<'r> {
    let route = grant_route(rules, fy, true, accelerator);
    (0, route.reason_ja, route.needs_review, None)
}

/// min(amount, cap per person), with the text saying which.
fn per_person_cap(rule: &GrantRule, amount: i64) -> (i64, String) {
    match rule.cap {
        Some(cap) if amount > cap => (cap, format!("{}のうち上限{}までの{}", yen(amount), man_yen(cap), yen(cap))),
        _ => (amount, yen(amount)),
    }
}

/// The per-organisation cap shared by all lines of the category on the sheet, filled in line order.
fn per_organisation_cap(rule: &GrantRule, amount: i64, used: &mut Vec<(CostCategory, i64)>) -> (i64, String) {
    let Some(cap) = rule.cap.filter(|_| rule.cap_unit == CapUnit::PerOrganisation) else {
        return (amount, yen(amount));
    };
    let slot = match used.iter().position(|(c, _)| *c == rule.category) {
        Some(i) => i,
        None => {
            used.push((rule.category, 0));
            used.len() - 1
        }
    };
    let remaining = (cap - used[slot].1).max(0);
    let eligible = amount.min(remaining);
    used[slot].1 += eligible;
    let note = if eligible == amount {
        yen(amount)
    } else if eligible == 0 {
        format!("{}: 上限{}/団体に達しているため0円", yen(amount), man_yen(cap))
    } else {
        format!("{}のうち上限{}/団体までの{}", yen(amount), man_yen(cap), yen(eligible))
    };
    (eligible, note)
}

/// どの交付税措置か (which grant applies to an engagement; spec R4, line 148–168).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRoute {
    /// `None` when neither measure covers the person.
    pub measure: Option<Measure>,
    pub reason_ja: String,
    /// The seed does not settle this case (a 常勤 non-accelerator from 令和7年度).
    pub needs_review: bool,
}

/// Which measure covers the 人件費 of a person by 常勤/非常勤・委託 and accelerator status in `fy`.
pub fn grant_route(rules: &[GrantRule], fy: FiscalYear, full_time: bool, accelerator: bool) -> GrantRoute {
    let a = Measure::TalentForMunicipalities;
    if !full_time {
        return match find_rule(rules, a, CostCategory::StaffPay, fy) {
            Some(r) => GrantRoute {
                measure: Some(a),
                reason_ja: format!("非常勤職員・業務委託は{}", r.note_ja()),
                needs_review: false,
            },
            None => GrantRoute {
                measure: None,
                reason_ja: a.ended_message_ja(fy, measure_last_year(rules, a).unwrap_or(fy)),
                needs_review: false,
            },
        };
    }
    if let Some(r) = find_rule(rules, a, CostCategory::FullTimeStaffPay, fy) {
        return GrantRoute {
            measure: Some(a),
            reason_ja: format!("常勤職員は現行{}", r.note_ja()),
            needs_review: false,
        };
    }
    let d = find_rule(rules, Measure::OrdinaryAllocation, CostCategory::AcceleratorUnitCost, fy);
    match (accelerator, d) {
        (true, Some(d)) => GrantRoute {
            measure: Some(Measure::OrdinaryAllocation),
            reason_ja: format!(
                "{}から常勤職員（アクセラレータ）の人件費は普通交付税（単価{}程度×人数、目安）の対象で、特別交付税の対象外です（根拠 資料 line {}）",
                d.fy_from.map(fy_ja).unwrap_or_default(),
                man_yen(d.unit_price.unwrap_or(0)),
                d.source_lines
            ),
            needs_review: false,
        },
        (false, Some(_)) => GrantRoute {
            measure: None,
            reason_ja: "令和7年度から常勤職員は普通交付税（アクセラレータ）の対象となり、アクセラレータでない常勤職員が特別交付税に残るかは資料に記載がありません。対象外として計算しています（要確認、根拠 資料 line 148–168, 188）".to_owned(),
            needs_review: true,
        },
        (_, None) => GrantRoute { measure: None, reason_ja: format!("{}の常勤職員の人件費に該当する措置がルール表にありません", fy_ja(fy)), needs_review: true },
    }
}

/// 普通交付税（目安） (the ordinary-allocation estimate; spec R4). Never an amount owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrdinaryEstimate {
    pub fiscal_year: FiscalYear,
    pub accelerators: u32,
    /// 目安額 (estimate), 0 when the measure does not apply in the 年度.
    pub estimate: i64,
    /// Always true: this figure is 目安 (an estimate), shown as such.
    pub is_estimate: bool,
    /// 「15,600,000円（目安）」 or why there is none.
    pub label_ja: String,
}

/// 単価780万円程度 × 人数 for 常勤 accelerators (line 158–160).
pub fn ordinary_allocation_estimate(rules: &[GrantRule], fy: FiscalYear, accelerators: u32) -> OrdinaryEstimate {
    let row = find_rule(rules, Measure::OrdinaryAllocation, CostCategory::AcceleratorUnitCost, fy);
    let (estimate, label_ja) = match row.and_then(|r| r.unit_price.map(|p| (r, p))) {
        Some((r, price)) => {
            let total = price.saturating_mul(accelerators.into());
            (
                total,
                format!(
                    "{}（目安）: 単価{}程度×{}人（根拠 資料 line {}）",
                    yen(total),
                    man_yen(price),
                    accelerators,
                    r.source_lines
                ),
            )
        }
        None => (0, format!("{}は普通交付税の対象外です（常勤職員は特別交付税で算定）", fy_ja(fy))),
    };
    OrdinaryEstimate { fiscal_year: fy, accelerators, estimate, is_estimate: true, label_ja }
}

/// CIO補佐官等 pre-selection when more persons than the limit are appointed: the `max` largest
/// 任用等経費 (spec R7 default; the seed is silent, the user may change the choice). Returns
/// indices into `amounts` in ascending order; ties keep the earlier appointment.
pub fn preselect_cio_persons(amounts: &[i64], max: u32) -> Vec<usize> {
    let mut order: Vec<usize> = (0..amounts.len()).collect();
    order.sort_by(|&a, &b| amounts[b].cmp(&amounts[a]).then(a.cmp(&b)));
    order.truncate(max as usize);
    order.sort_unstable();
    order
}

#[cfg(test)]
#[path = "grant_tests.rs"]
mod tests;
