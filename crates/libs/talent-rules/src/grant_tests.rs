use super::*;
use crate::grant_rules::default_rules;
use proptest::prelude::*;

const R6: FiscalYear = FiscalYear(2024);
const R7: FiscalYear = FiscalYear(2025);
const R8: FiscalYear = FiscalYear(2026);

fn line(label: &str, cost: Cost) -> CostLine {
    CostLine { label: label.to_owned(), cost }
}

fn part_time(amount: i64) -> Cost {
    Cost::StaffPay {
        amount,
        full_time: false,
        accelerator: false,
        main_duty_municipal_support: true,
        contributions_received: 0,
    }
}

fn contract(per_person: &[i64]) -> Cost {
    Cost::ContractStaffPay {
        persons_covered: per_person.len() as u32,
        per_person: per_person.to_vec(),
        main_duty_municipal_support: true,
    }
}

fn sheet(measure: Measure, fy: FiscalYear, applicant: Applicant, lines: Vec<CostLine>) -> GrantSheet {
    GrantSheet {
        measure,
        fiscal_year: fy,
        applicant,
        rounding: Rounding::Yen,
        contributions: ContributionTreatment::Net,
        lines,
    }
}

/// Spec R5 A1: the 静岡県 sheet of 令和7年度.
fn a1_lines() -> Vec<CostLine> {
    vec![
        line("非常勤職員X", part_time(9_000_000)),
        line("委託C社（1名）", contract(&[23_000_000])),
        line("C社 交通費", Cost::ContractOtherCosts { amount: 400_000 }),
        line("C社 通信運搬費", Cost::ContractOtherCosts { amount: 100_000 }),
        line("募集経費", Cost::Recruitment { amount: 4_200_000 }),
    ]
}

fn a(fy: FiscalYear, lines: Vec<CostLine>) -> GrantSheetResult {
    let s = sheet(Measure::TalentForMunicipalities, fy, Applicant::Prefecture, lines);
    calculate(&default_rules(), &s).unwrap()
}

/// Acceptance check 2; spec R5 A1 (line 181–209).
#[test]
fn a1_reiwa7_sheet() {
    let r = a(R7, a1_lines());
    let eligible: Vec<i64> = r.lines.iter().map(|l| l.eligible).collect();
    assert_eq!(eligible, [9_000_000, 20_000_000, 0, 0, 3_000_000]);
    assert_eq!(r.eligible_total, 32_000_000);
    assert_eq!(r.covered_amount, 22_400_000);
    // Every line says why, naming the measure, cap, rate and period.
    let c = &r.lines[1].reason_ja;
    assert!(c.contains("上限2,000万円/人"), "{c}");
    assert!(c.contains("措置率0.7"), "{c}");
    assert!(c.contains("令和11年度まで"), "{c}");
    assert!(c.contains("都道府県等による市町村支援のためのデジタル人材確保"), "{c}");
    assert!(r.lines[2].reason_ja.contains("交通費、通信運搬費等"));
    assert!(r.lines[4].reason_ja.contains("上限300万円/団体"), "{}", r.lines[4].reason_ja);
    assert!(r.lines[4].reason_ja.contains("令和7年度～令和9年度"));
}

/// Spec R5 A2: 令和10年度, reading (a) — the 300万円 募集 cap ends with 令和9年度.
#[test]
fn a2_reiwa10_recruitment_cap_back_to_one_million() {
    let r = a(FiscalYear(2028), a1_lines());
    assert_eq!(r.eligible_total, 30_000_000);
    assert_eq!(r.covered_amount, 21_000_000);
}

/// Spec R5 A2 reading (b): a notice extending 300万円 to 令和11年度 changes a row, not code.
#[test]
fn a2_reading_b_is_a_change_of_rows() {
    let mut rules = default_rules();
    rules.retain(|r| !(r.category == CostCategory::Recruitment && r.fy_from == Some(FiscalYear(2028))));
    let raise = rules.iter_mut().find(|r| r.category == CostCategory::Recruitment && r.cap == Some(3_000_000)).unwrap();
    raise.fy_to = Some(FiscalYear(2029));
    let s = sheet(Measure::TalentForMunicipalities, FiscalYear(2028), Applicant::Prefecture, a1_lines());
    let r = calculate(&rules, &s).unwrap();
    assert_eq!(r.eligible_total, 32_000_000);
    assert_eq!(r.covered_amount, 22_400_000);
}

/// Acceptance check 2 (second half); spec R5 A3: after 令和11年度 nothing, with the reason.
#[test]
fn a3_reiwa12_is_outside_the_period() {
    let r = a(FiscalYear(2030), a1_lines());
    assert_eq!(r.eligible_total, 0);
    assert_eq!(r.covered_amount, 0);
    for l in &r.lines {
        assert_eq!(l.eligible, 0);
        assert_eq!(l.reason_ja, "令和12年度は対象期間（令和11年度まで）外です");
    }
}

/// Spec R5 A4: a person whose 主な所掌事務 is 県庁内DX is excluded (line 207).
#[test]
fn a4_not_main_duty_is_excluded() {
    let mut lines = a1_lines();
    lines.push(line(
        "非常勤Z",
        Cost::StaffPay {
            amount: 6_000_000,
            full_time: false,
            accelerator: false,
            main_duty_municipal_support: false,
            contributions_received: 0,
        },
    ));
    let r = a(R7, lines);
    assert_eq!(r.lines[5].eligible, 0);
    assert_eq!(r.lines[5].reason_ja, "主な所掌事務が市町村支援業務でない人材の経費は対象外です（根拠 資料 line 207）");
    assert_eq!(r.covered_amount, 22_400_000);
}

fn accelerator_w() -> Vec<CostLine> {
    vec![line(
        "常勤アクセラレータW",
        Cost::StaffPay {
            amount: 8_500_000,
            full_time: true,
            accelerator: true,
            main_duty_municipal_support: true,
            contributions_received: 0,
        },
    )]
}

/// Spec R5 A5 and R4: a 常勤 accelerator is in A until 令和6年度, in 普通交付税 from 令和7年度.
#[test]
fn a5_full_time_accelerator_moves_to_ordinary_allocation() {
    let r6 = a(R6, accelerator_w());
    assert_eq!(r6.covered_amount, 5_950_000);
    let r7 = a(R7, accelerator_w());
    assert_eq!(r7.covered_amount, 0);
    assert!(r7.lines[0].reason_ja.contains("普通交付税"), "{}", r7.lines[0].reason_ja);
    let d = ordinary_allocation_estimate(&default_rules(), R7, 1);
    assert_eq!(d.estimate, 7_800_000);
    assert!(d.is_estimate);
    assert!(d.label_ja.starts_with("7,800,000円（目安）"), "{}", d.label_ja);
}

/// Spec R4: two accelerators in 令和7年度 → 15,600,000円（目安）; none before 令和7年度.
#[test]
fn ordinary_allocation_is_only_an_estimate() {
    let d = ordinary_allocation_estimate(&default_rules(), R7, 2);
    assert_eq!(d.estimate, 15_600_000);
    assert!(d.label_ja.contains("15,600,000円（目安）"));
    assert!(d.label_ja.contains("780万円程度"));
    let before = ordinary_allocation_estimate(&default_rules(), R6, 2);
    assert_eq!(before.estimate, 0);
    assert!(before.is_estimate);
}

/// Spec R4 ambiguity: a 常勤 non-accelerator from 令和7年度 is out of A, flagged for review.
#[test]
fn full_time_non_accelerator_is_flagged() {
    let rules = default_rules();
    let route = grant_route(&rules, R7, true, false);
    assert_eq!(route.measure, None);
    assert!(route.needs_review);
    assert_eq!(grant_route(&rules, R7, false, false).measure, Some(Measure::TalentForMunicipalities));
    assert_eq!(grant_route(&rules, R7, true, true).measure, Some(Measure::OrdinaryAllocation));
    assert_eq!(grant_route(&rules, R6, true, true).measure, Some(Measure::TalentForMunicipalities));
    assert_eq!(grant_route(&rules, FiscalYear(2030), false, false).measure, None);
}

/// Acceptance check 3; spec R5 A6: the cap is on the 対象経費, not on the 措置額.
#[test]
fn a6_cap_applies_before_the_rate() {
    let r = a(R7, vec![line("委託（1名）", contract(&[24_000_000]))]);
    assert_eq!(r.eligible_total, 20_000_000);
    assert_eq!(r.covered_amount, 14_000_000);
    assert_ne!(r.covered_amount, 16_800_000);
}

/// Spec R5 A7: three persons capped one by one; a total without breakdown is refused.
#[test]
fn a7_contract_needs_a_per_person_breakdown() {
    let r = a(R7, vec![line("委託（3名）", contract(&[15_000_000, 22_000_000, 18_000_000]))]);
    assert_eq!(r.eligible_total, 53_000_000);
    assert_eq!(r.covered_amount, 37_100_000);
    let total_only =
        Cost::ContractStaffPay { persons_covered: 3, per_person: vec![55_000_000], main_duty_municipal_support: true };
    let s = sheet(Measure::TalentForMunicipalities, R7, Applicant::Prefecture, vec![line("委託（3名）", total_only)]);
    let err = calculate(&default_rules(), &s).unwrap_err();
    assert_eq!(err.to_string(), "委託の人件費相当額は1人ごとに入力してください");
    assert!(!err.is_conflict());
}

/// Spec R5 A8: 河津町's 負担金 on its own sheet; 静岡県's cost for X net (default) or gross.
#[test]
fn a8_municipal_contribution_net_and_gross() {
    let kawazu = sheet(
        Measure::TalentForMunicipalities,
        R7,
        Applicant::Municipality,
        vec![line("静岡県への負担金（X）", Cost::MunicipalContribution { amount: 3_000_000 })],
    );
    assert_eq!(calculate(&default_rules(), &kawazu).unwrap().covered_amount, 2_100_000);
    let x = Cost::StaffPay {
        amount: 9_000_000,
        full_time: false,
        accelerator: false,
        main_duty_municipal_support: true,
        contributions_received: 3_000_000,
    };
    let mut pref = sheet(Measure::TalentForMunicipalities, R7, Applicant::Prefecture, vec![line("非常勤職員X", x)]);
    let net = calculate(&default_rules(), &pref).unwrap();
    assert_eq!((net.eligible_total, net.covered_amount), (6_000_000, 4_200_000));
    pref.contributions = ContributionTreatment::Gross;
    assert_eq!(calculate(&default_rules(), &pref).unwrap().covered_amount, 6_300_000);
}

/// Spec §9.10: a municipality's own talent costs are not in measure A.
#[test]
fn municipality_own_staff_is_not_in_measure_a() {
    let s =
        sheet(Measure::TalentForMunicipalities, R7, Applicant::Municipality, vec![line("職員", part_time(5_000_000))]);
    let r = calculate(&default_rules(), &s).unwrap();
    assert_eq!(r.covered_amount, 0);
    assert!(r.lines[0].reason_ja.contains("負担金のみ"));
}

/// Spec R5 A9: rounding of 0.7 × total.
#[test]
fn a9_rounding() {
    let mut s =
        sheet(Measure::TalentForMunicipalities, R7, Applicant::Prefecture, vec![line("X", part_time(1_234_567))]);
    assert_eq!(calculate(&default_rules(), &s).unwrap().covered_amount, 864_196);
    s.rounding = Rounding::Thousand;
    assert_eq!(calculate(&default_rules(), &s).unwrap().covered_amount, 864_000);
}

/// Spec R5: 「対象経費の合計額に0.7を乗じて」 — the sum first, then the rate.
#[test]
fn sum_before_multiplying() {
    let r = a(R7, vec![line("X", part_time(1_000_001)), line("Y", part_time(1_000_001))]);
    assert_eq!(r.covered_amount, 1_400_001);
}

fn leader(amount: i64, designated: bool, broad: bool, elementary: bool) -> Cost {
    Cost::LeaderTraining {
        amount,
        designated_leader: designated,
        in_programme: !broad,
        broad_staff: broad,
        elementary_exam: elementary,
    }
}

fn b_lines() -> Vec<CostLine> {
    vec![
        line("育成プログラム委託（指定済2名）", leader(2_000_000, true, false, false)),
        line("高度試験 受験料（2名）", leader(15_000, true, false, false)),
        line("全職員向け研修", leader(500_000, false, true, false)),
        line("初歩的な試験の受験料", leader(7_500, true, false, true)),
    ]
}

/// Spec R6 (line 235–277): 河津町, 令和7年度 → 1,410,500; 令和8年度 → 0.
#[test]
fn measure_b_dx_leader_training() {
    let s = sheet(Measure::DxLeaderTraining, R7, Applicant::Municipality, b_lines());
    let r = calculate(&default_rules(), &s).unwrap();
    assert_eq!(r.eligible_total, 2_015_000);
    assert_eq!(r.covered_amount, 1_410_500);
    assert!(r.lines[0].reason_ja.contains("上限なし") && r.lines[0].reason_ja.contains("令和7年度まで"));
    assert!(r.lines[2].reason_ja.starts_with("幅広な職員を対象とした研修"));
    let r8 =
        calculate(&default_rules(), &sheet(Measure::DxLeaderTraining, R8, Applicant::Municipality, b_lines())).unwrap();
    assert_eq!(r8.covered_amount, 0);
    assert_eq!(r8.lines[0].reason_ja, "DX推進リーダー育成の措置は令和7年度までです");
}

/// Spec R6: an accelerator's training counts only once designated a DX推進リーダー (line 266–267).
#[test]
fn measure_b_accelerator_needs_designation() {
    let v = |designated| {
        let s = sheet(
            Measure::DxLeaderTraining,
            R7,
            Applicant::Prefecture,
            vec![line("アクセラレータV 研修", leader(300_000, designated, false, false))],
        );
        calculate(&default_rules(), &s).unwrap()
    };
    let before = v(false);
    assert_eq!(before.covered_amount, 0);
    assert!(before.lines[0].reason_ja.starts_with("DX推進リーダーに指定されていません"));
    assert_eq!(v(true).covered_amount, 210_000);
}

fn cio(amount: i64, selected: bool) -> Cost {
    Cost::CioAppointment { amount, advisory_duties: true, planning_only: false, apportion: None, selected }
}

fn c_sheet(fy: FiscalYear, amounts: &[i64], selected: &[usize]) -> GrantSheet {
    let mut lines: Vec<CostLine> = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| line(&format!("CIO補佐官{}", i + 1), cio(*a, selected.contains(&i))))
        .collect();
    lines.push(line("募集経費", Cost::CioRecruitment { amount: 1_500_000 }));
    sheet(Measure::CioAdviser, fy, Applicant::Municipality, lines)
}

/// Spec R7 (line 278–320): four persons, three counted; 募集 capped at 100万円.
#[test]
fn measure_c_three_persons() {
    let amounts = [1_200_000, 4_800_000, 2_400_000, 3_600_000];
    let pre = preselect_cio_persons(&amounts, 3);
    assert_eq!(pre, [1, 2, 3]);
    let largest = calculate(&default_rules(), &c_sheet(R7, &amounts, &pre)).unwrap();
    assert_eq!(largest.eligible_total, 11_800_000);
    assert_eq!(largest.covered_amount, 8_260_000);
    let first_three = calculate(&default_rules(), &c_sheet(R7, &amounts, &[0, 1, 2])).unwrap();
    assert_eq!(first_three.covered_amount, 6_580_000);
    let err = calculate(&default_rules(), &c_sheet(R7, &amounts, &[0, 1, 2, 3])).unwrap_err();
    assert_eq!(err.to_string(), "CIO補佐官等の措置対象は1団体3名分までです（令和6～7年度）");
    let r8 = calculate(&default_rules(), &c_sheet(R8, &amounts, &pre)).unwrap();
    assert_eq!(r8.covered_amount, 0);
    assert_eq!(r8.lines[0].reason_ja, "CIO補佐官等の措置は令和7年度までです");
}

/// Spec R7: 按分 of a mixed contract (line 319–320) and the 計画策定のみ exclusion.
#[test]
fn measure_c_apportionment_and_planning_only() {
    let mixed = Cost::CioAppointment {
        amount: 6_000_000,
        advisory_duties: true,
        planning_only: false,
        apportion: Some(Apportion { percent: 60, basis: "業務日誌による助言業務の割合".into() }),
        selected: true,
    };
    let planning = Cost::CioAppointment {
        amount: 3_000_000,
        advisory_duties: true,
        planning_only: true,
        apportion: None,
        selected: true,
    };
    let s = sheet(
        Measure::CioAdviser,
        R7,
        Applicant::Municipality,
        vec![line("委託", mixed), line("計画策定委託", planning)],
    );
    let r = calculate(&default_rules(), &s).unwrap();
    assert_eq!(r.lines[0].eligible, 3_600_000);
    assert_eq!(r.lines[1].eligible, 0);
    assert_eq!(r.covered_amount, 2_520_000);
    let no_basis = Cost::CioAppointment {
        amount: 1,
        advisory_duties: true,
        planning_only: false,
        apportion: Some(Apportion { percent: 60, basis: " ".into() }),
        selected: true,
    };
    let s = sheet(Measure::CioAdviser, R7, Applicant::Municipality, vec![line("委託", no_basis)]);
    assert_eq!(calculate(&default_rules(), &s).unwrap_err().to_string(), "「按分の根拠」が入力されていません");
}

#[test]
fn bad_input_is_a_typed_error() {
    let s = sheet(Measure::TalentForMunicipalities, R7, Applicant::Prefecture, vec![line("X", part_time(-1))]);
    let e = calculate(&default_rules(), &s).unwrap_err();
    assert_eq!(e.to_string(), "「金額」に負の値は入力できません（-1）");
    assert!(e.message_en().contains("amount"));
    let s = sheet(Measure::TalentForMunicipalities, R7, Applicant::Prefecture, vec![line("X", part_time(i64::MAX))]);
    assert!(matches!(calculate(&default_rules(), &s), Err(TalentRuleError::OutOfRange { .. })));
    let s = sheet(Measure::DxLeaderTraining, R7, Applicant::Prefecture, vec![line("X", part_time(1))]);
    assert!(matches!(calculate(&default_rules(), &s), Err(TalentRuleError::WrongMeasure { .. })));
}

/// Today is 令和8年度: measure A still runs (to 令和11年度), B and C have ended (令和7年度まで).
#[test]
fn reiwa8_today() {
    let a8 = a(R8, a1_lines());
    assert_eq!(a8.covered_amount, 22_400_000);
    let b8 =
        calculate(&default_rules(), &sheet(Measure::DxLeaderTraining, R8, Applicant::Prefecture, b_lines())).unwrap();
    assert!(b8.lines.iter().all(|l| l.eligible == 0 && l.reason_ja == "DX推進リーダー育成の措置は令和7年度までです"));
    let c8 = calculate(&default_rules(), &c_sheet(R8, &[1_000_000], &[0])).unwrap();
    assert!(c8.lines.iter().all(|l| l.eligible == 0 && l.reason_ja == "CIO補佐官等の措置は令和7年度までです"));
    let w = a(R8, accelerator_w());
    assert_eq!(w.covered_amount, 0);
    assert_eq!(ordinary_allocation_estimate(&default_rules(), R8, 1).estimate, 7_800_000);
}

/// A hand-edited table with a zero denominator is refused, not divided by.
#[test]
fn broken_rules_table_is_an_error() {
    let mut rules = default_rules();
    rules[0].rate_den = 0;
    let s = sheet(Measure::TalentForMunicipalities, R7, Applicant::Prefecture, a1_lines());
    let e = calculate(&rules, &s).unwrap_err();
    assert!(e.to_string().starts_with("「ルール表の措置率」"), "{e}");
}

proptest! {
    /// Any amounts at all, however absurd, give a result or a typed error, never a panic.
    #[test]
    fn never_panics(amounts in prop::collection::vec(any::<i64>(), 0..6), fy in any::<i16>()) {
        let mut lines: Vec<CostLine> = amounts.iter().map(|a| line("X", part_time(*a))).collect();
        lines.push(line("委託", contract(&amounts)));
        lines.push(line("募集", Cost::Recruitment { amount: amounts.first().copied().unwrap_or(0) }));
        let s = sheet(Measure::TalentForMunicipalities, FiscalYear(fy.into()), Applicant::Prefecture, lines);
        let _ = calculate(&default_rules(), &s);
    }

    /// Whatever the lines, 措置額 = ⌊0.7 × Σ 対象経費⌋, no line above its request or the cap.
    #[test]
    fn covered_is_seven_tenths_of_the_capped_sum(
        amounts in prop::collection::vec(0i64..60_000_000, 0..8),
        contracts in prop::collection::vec(prop::collection::vec(0i64..60_000_000, 1..4), 0..4),
        fy in 2020i32..2032,
    ) {
        let mut lines: Vec<CostLine> = amounts.iter().map(|a| line("X", part_time(*a))).collect();
        lines.extend(contracts.iter().map(|c| line("委託", contract(c))));
        let r = a(FiscalYear(fy), lines);
        let total: i64 = r.lines.iter().map(|l| l.eligible).sum();
        prop_assert_eq!(r.eligible_total, total);
        prop_assert_eq!(r.covered_amount, total * 7 / 10);
        for l in &r.lines {
            prop_assert!(0 <= l.eligible && l.eligible <= l.requested);
        }
        for (l, a) in r.lines.iter().zip(&amounts) {
            prop_assert!(l.eligible <= 20_000_000);
            prop_assert_eq!(l.eligible, if fy <= 2029 { (*a).min(20_000_000) } else { 0 });
        }
    }

    /// The 募集 cap is per 団体: however the cost is split into lines, the total is the same.
    #[test]
    fn recruitment_cap_is_shared_by_lines(parts in prop::collection::vec(0i64..2_000_000, 1..6)) {
        let split = a(R7, parts.iter().map(|p| line("募集", Cost::Recruitment { amount: *p })).collect());
        let whole = a(R7, vec![line("募集", Cost::Recruitment { amount: parts.iter().sum() })]);
        prop_assert_eq!(split.eligible_total, whole.eligible_total);
        prop_assert!(split.eligible_total <= 3_000_000);
    }
}
