//! The spec's worked examples of R3–R5 and §4, exactly.

use crate::Field;
use crate::kpi::*;
use crate::kpi_counts::*;
use crate::kpi_eval::*;
use crate::quantity::{Decimal, Ratio};
use chrono::NaiveDate;
use proptest::prelude::*;
use tabane_calendar::FiscalYear;

const R7: FiscalYear = FiscalYear(2025);

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn settings() -> KpiSettings {
    KpiSettings::seed_defaults(R7)
}

fn contact(no: usize, kind: ContactKind, stage: ContactStage) -> ContactFacts {
    ContactFacts { reception_no: format!("2025-{no:04}"), kind, received_on: ymd(2025, 5, 1), stage, launched_on: None }
}

#[test]
fn catalogue_is_in_id_order_and_complete() {
    for (i, k) in CATALOGUE.iter().enumerate() {
        assert_eq!(k.id as usize, i, "{}", k.name_ja);
        assert!(!k.formula_ja.is_empty() && !k.data_source_ja.is_empty());
        assert!((315..=477).contains(&k.seed_line));
    }
    assert_eq!(definition(KpiId::AwardEntries).name_ja, "公民連携アワードへのエントリー数");
    // The seed's 現状 figures are data, labelled as unverified.
    let refs: Vec<_> = CATALOGUE.iter().filter_map(|k| k.reference.map(|r| (k.id, r.value.display()))).collect();
    assert_eq!(
        refs,
        [
            (KpiId::ProjectCount, "19.3".to_owned()),
            (KpiId::ContractRate, "23.7".to_owned()),
            (KpiId::MonthsToLaunch, "3.7".to_owned()),
            (KpiId::SuccessRate, "58.3".to_owned()),
            (KpiId::RiskRate, "23.7".to_owned()),
        ]
    );
    assert_eq!(Reference::LABEL_JA, "参考値（出典未確認）");
}

/// R3 成約率 and acceptance check 2's JSON figure.
#[test]
fn contract_rate_r3() {
    let mut cs = Vec::new();
    for i in 0..200 {
        let stage = match i {
            0..60 => ContactStage::Agreed,
            60..170 => ContactStage::Answered,
            _ => ContactStage::Open,
        };
        cs.push(contact(i, ContactKind::Proposal, stage));
    }
    let r = evaluate(KpiId::ContractRate, contract_rate(R7, &cs), &settings());
    assert_eq!(r.display_ja, "30.0%");
    assert_eq!(r.met, Some(false));
    assert_eq!(r.alt.unwrap().display_1dp(), "35.3");
    assert_eq!(r.alt_met, Some(false));
    assert_eq!(
        serde_json::to_string(&r.figure()).unwrap(),
        r#"{"value":30.0,"numerator":60,"denominator":200,"target":40,"met":false,"alt":35.3}"#
    );
    // Reading (b) as the value swaps them.
    let mut s = settings();
    s.set_reading(KpiId::ContractRate, Reading::B);
    let r = evaluate(KpiId::ContractRate, contract_rate(R7, &cs), &s);
    assert_eq!((r.display_ja.as_str(), r.alt.unwrap().display_1dp()), ("35.3%", "30.0".to_owned()));

    // 10 received, 4 成約, 6 不採択 → 40.0%, 達成 (以上 is inclusive).
    let cs: Vec<_> = (0..10)
        .map(|i| contact(i, ContactKind::Proposal, if i < 4 { ContactStage::Agreed } else { ContactStage::Answered }))
        .collect();
    let r = evaluate(KpiId::ContractRate, contract_rate(R7, &cs), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("40.0%", Some(true)));
}

/// R3 平均期間: 45, 60, 120 days → 75 → 2.46 → 「2.5カ月」 達成; 76 days → 2.497 達成, 30-day reading 2.53 未達.
#[test]
fn months_to_launch_r3() {
    let launched = |no: usize, received: NaiveDate, days: i64| ContactFacts {
        reception_no: format!("2025-{no:04}"),
        kind: ContactKind::Proposal,
        received_on: received,
        stage: ContactStage::Launched,
        launched_on: Some(received + chrono::TimeDelta::days(days)),
    };
    let cs = [launched(1, ymd(2025, 4, 1), 45), launched(2, ymd(2025, 4, 1), 60), launched(3, ymd(2025, 4, 1), 120)];
    let r = evaluate(KpiId::MonthsToLaunch, months_to_launch(R7, &cs), &settings());
    assert_eq!(r.value.unwrap().display_2dp(), "2.46");
    assert_eq!((r.display_ja.as_str(), r.met), ("2.5カ月（75日）", Some(true)));

    // Received 2025-04-10, launched 2025-06-25 → 76 days.
    let one = [ContactFacts { launched_on: Some(ymd(2025, 6, 25)), ..launched(4, ymd(2025, 4, 10), 0) }];
    let m = months_to_launch(R7, &one);
    assert_eq!(m.a, Measurement::MeanDays { total_days: 76, items: 1 });
    let r = evaluate(KpiId::MonthsToLaunch, m, &settings());
    assert_eq!(r.value.unwrap().tenths(), 25);
    assert!(r.value.unwrap() < Ratio::new(25, 10).unwrap());
    assert_eq!((r.display_ja.as_str(), r.met), ("2.5カ月（76日）", Some(true)));
    // 以内: 目標 ÷ 実績 = 2.5 ÷ 2.497 → 100.1%.
    assert_eq!(r.achievement.unwrap().display_1dp(), "100.1");
    let mut thirty = settings();
    thirty.month_basis = MonthBasis::ThirtyDays;
    let r = evaluate(KpiId::MonthsToLaunch, m, &thirty);
    assert_eq!((r.value.unwrap().display_2dp(), r.met), ("2.53".to_owned(), Some(false)));
}

/// R3 満足度 and R5 住民満足度 with the same answers.
#[test]
fn satisfaction_r3_r5() {
    let answers = SatisfactionCounts([30, 52, 10, 5, 3]);
    let r = evaluate(KpiId::PartnerSatisfaction, satisfaction(answers), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("82.0%", Some(true)));
    assert_eq!(r.alt.unwrap().display_1dp(), "30.0");
    let r = evaluate(KpiId::ResidentSatisfaction, resident_satisfaction(&[answers]), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("82.0%", Some(false)));
    // Pooled vs mean of projects differ when the projects differ in size.
    let r = resident_satisfaction(&[SatisfactionCounts([9, 0, 1, 0, 0]), SatisfactionCounts([1, 0, 9, 0, 0])]);
    let e = evaluate(KpiId::ResidentSatisfaction, r, &settings());
    assert_eq!(e.display_ja, "50.0%");
    let r = resident_satisfaction(&[SatisfactionCounts([90, 0, 10, 0, 0]), SatisfactionCounts([1, 0, 9, 0, 0])]);
    let e = evaluate(KpiId::ResidentSatisfaction, r, &settings());
    assert_eq!((e.display_ja.as_str(), e.alt.unwrap().display_1dp()), ("82.7%", "50.0".to_owned()));
}

/// R3 相談・提案件数: 120 相談 + 95 提案 → 215 達成; a 相談 turned 提案 counts once.
#[test]
fn contact_count_r3() {
    let mut cs: Vec<_> = (0..120).map(|i| contact(i, ContactKind::Consultation, ContactStage::Answered)).collect();
    cs.extend((120..215).map(|i| contact(i, ContactKind::Proposal, ContactStage::Open)));
    let r = evaluate(KpiId::ContactCount, contact_count(R7, &cs), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("215件", Some(true)));
    // The 相談 2025-0000 became a 提案: the module keeps one record, but a second row with the same
    // reception number (e.g. from an import) still counts once.
    cs.push(contact(0, ContactKind::Proposal, ContactStage::Open));
    assert_eq!(contact_count(R7, &cs).a, Measurement::Count(215));
}

fn project(id: usize, signed: Option<NaiveDate>) -> ProjectFacts {
    ProjectFacts {
        id: format!("P{id}"),
        kind: ProjectKind::Other,
        origin: ProjectOrigin::Window,
        signed_on: signed,
        ended_on: None,
        implemented_on: None,
        kpis_with_target: 1,
        participation_plan: true,
        guideline_complete: true,
        risk_events: vec![],
    }
}

/// R3 連携事業数: 12 signed in R6 still 実施中 + 20 signed in R7 → (a) 20 未達, (b) 32 未達.
#[test]
fn project_count_r3() {
    let mut ps: Vec<_> = (0..12).map(|i| project(i, Some(ymd(2024, 10, 1)))).collect();
    ps.extend((12..32).map(|i| project(i, Some(ymd(2025, 7, 1)))));
    // Ended before R7: not counted in (b).
    ps.push(ProjectFacts { ended_on: Some(ymd(2025, 3, 31)), ..project(99, Some(ymd(2023, 4, 1))) });
    let r = evaluate(KpiId::ProjectCount, project_count(R7, &ps), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("20件", Some(false)));
    assert_eq!((r.alt.unwrap().tenths(), r.alt_met), (320, Some(false)));
    assert_eq!(r.achievement.unwrap().display_1dp(), "40.0");
}

/// R4 解決率: 40 registered in R7, 18 解決 → (a) 45.0% 未達; cumulative 120, 66 → (b) 55.0% 達成.
#[test]
fn issue_solve_rate_r4() {
    let issue =
        |reg: NaiveDate, solved: bool| IssueFacts { registered_on: reg, solved_on: solved.then_some(ymd(2026, 2, 1)) };
    let mut is: Vec<_> = (0..40).map(|i| issue(ymd(2025, 6, 1), i < 18)).collect();
    is.extend((0..80).map(|i| issue(ymd(2024, 6, 1), i < 48)));
    // Registered after R7: in neither.
    is.push(issue(ymd(2026, 4, 1), true));
    let r = evaluate(KpiId::IssueSolveRate, issue_solve_rate(R7, &is), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("45.0%", Some(false)));
    assert_eq!((r.alt.unwrap().display_1dp(), r.alt_met), ("55.0".to_owned(), Some(true)));
}

/// R5 成功率: 12 evaluated, 9 all met → (a) 75.0% 未達; 30 KPIs, 26 met → (b) 86.7% 達成.
#[test]
fn success_rate_r5() {
    let mut ev = vec![EvaluatedKpis { met: 2, evaluated: 2 }; 9];
    ev.extend([EvaluatedKpis { met: 3, evaluated: 4 }, EvaluatedKpis { met: 1, evaluated: 2 }]);
    ev.push(EvaluatedKpis { met: 4, evaluated: 6 });
    assert_eq!(ev.iter().map(|e| e.evaluated).sum::<u32>(), 30);
    assert_eq!(ev.iter().map(|e| e.met).sum::<u32>(), 26);
    let r = evaluate(KpiId::SuccessRate, success_rate(&ev), &settings());
    assert_eq!((r.display_ja.as_str(), r.met), ("75.0%", Some(false)));
    assert_eq!((r.alt.unwrap().display_1dp(), r.alt_met), ("86.7".to_owned(), Some(true)));
}

/// R5: 20 projects, 3 with risk events of which 1 想定外 → (a) 15.0% 未達, (b) 5.0% 達成;
/// 19 of 20 with a KPI → 95.0% 未達 (the 20th listed); 18 of 20 with a participation plan → 90.0% 達成.
#[test]
fn project_shares_r5() {
    let mut ps: Vec<_> = (0..20).map(|i| project(i, Some(ymd(2025, 5, 1)))).collect();
    ps[0].risk_events.push((ymd(2025, 8, 1), true));
    ps[1].risk_events.push((ymd(2025, 9, 1), true));
    ps[1].risk_events.push((ymd(2025, 10, 1), true));
    ps[2].risk_events.push((ymd(2025, 11, 1), false));
    ps[3].risk_events.push((ymd(2026, 4, 2), false)); // next 年度: not counted
    ps[19].kpis_with_target = 0;
    ps[18].participation_plan = false;
    ps[17].participation_plan = false;
    let s = settings();
    let r = evaluate(KpiId::RiskRate, risk_rate(R7, &ps), &s);
    assert_eq!((r.display_ja.as_str(), r.met), ("15.0%", Some(false)));
    assert_eq!((r.alt.unwrap().display_1dp(), r.alt_met), ("5.0".to_owned(), Some(true)));
    assert_eq!(r.achievement.unwrap().display_1dp(), "66.7");
    let (share, missing) = kpi_set_share(R7, &ps);
    let r = evaluate(KpiId::KpiSetShare, share, &s);
    assert_eq!((r.display_ja.as_str(), r.met, missing), ("95.0%", Some(false), vec!["P19".to_owned()]));
    let r = evaluate(KpiId::ParticipationShare, participation_share(R7, &ps), &s);
    assert_eq!((r.display_ja.as_str(), r.met), ("90.0%", Some(true)));
    let r = evaluate(KpiId::GuidelineShare, guideline_share(R7, &ps), &s);
    assert_eq!((r.display_ja.as_str(), r.met), ("100.0%", Some(true)));
}

#[test]
fn counts_and_sums() {
    let s = settings();
    let effect = Field::new("経済効果", "economic effect");
    let r = evaluate(KpiId::EconomicEffect, total(effect, &[600_000_000, 400_000_000]).unwrap(), &s);
    assert_eq!((r.display_ja.as_str(), r.met), ("1,000,000,000円", Some(true)));
    assert_eq!(total(effect, &[5, -1]).unwrap_err().to_string(), "「経済効果」に負の値は入力できません（-1）");
    let hires =
        [(ymd(2024, 4, 1), Some(ymd(2025, 3, 31))), (ymd(2024, 4, 1), Some(ymd(2025, 4, 1))), (ymd(2026, 3, 31), None)];
    assert_eq!(private_hires(R7, &hires).a, Measurement::Count(2));
    let signins = [(1, ymd(2025, 5, 1)), (1, ymd(2025, 5, 20)), (2, ymd(2025, 5, 31)), (3, ymd(2025, 6, 1))];
    assert_eq!(monthly_active_users(ymd(2025, 5, 15), &signins).a, Measurement::Count(2));
    let mut lab = project(1, Some(ymd(2024, 4, 1)));
    lab.kind = ProjectKind::LivingLab;
    lab.implemented_on = Some(ymd(2025, 12, 1));
    let mut matched = project(2, Some(ymd(2025, 4, 1)));
    matched.origin = ProjectOrigin::Matching;
    let ps = [lab, matched, project(3, Some(ymd(2025, 4, 1)))];
    assert_eq!(living_lab_implemented(R7, &ps).a, Measurement::Count(1));
    assert_eq!(platform_projects(R7, &ps).a, Measurement::Count(1));
    // A 年度 beyond chrono's range: nothing in it, everything before its end, no panic.
    for fy in [FiscalYear(i32::MAX), FiscalYear(i32::MIN)] {
        assert_eq!(project_count(fy, &ps).a, Measurement::Count(0));
        let _ = (risk_rate(fy, &ps), kpi_set_share(fy, &ps), private_hires(fy, &hires));
    }
    assert_eq!(participation_share(FiscalYear(i32::MAX), &ps).a, Measurement::Share { part: 3, whole: 3 });
    // No data: no value and no verdict, never a division by zero.
    let r = evaluate(KpiId::SuccessRate, success_rate(&[]), &s);
    assert_eq!((r.value, r.met, r.display_ja.as_str(), r.verdict_ja()), (None, None, "—", "—"));
}

#[test]
fn targets_are_settings() {
    let mut s = settings();
    assert_eq!(s.get(KpiId::ContractRate).target, Decimal::integer(40));
    s.set_target(KpiId::ContractRate, "30").unwrap();
    let cs: Vec<_> = (0..10)
        .map(|i| contact(i, ContactKind::Proposal, if i < 3 { ContactStage::Agreed } else { ContactStage::Answered }))
        .collect();
    assert_eq!(evaluate(KpiId::ContractRate, contract_rate(R7, &cs), &s).met, Some(true));
    assert_eq!(s.set_target(KpiId::ContractRate, "abc").unwrap_err().to_string(), "目標値：数値を入力してください");
    assert!(s.set_target(KpiId::ContractRate, "120").is_err());
    assert!(s.set_target(KpiId::ProjectCount, "-1").is_err());
    assert_eq!(s.get(KpiId::ContractRate).target, Decimal::integer(30));
}

/// §4: the seed's figures as arithmetic checks (shown only as 参考値（出典未確認）).
#[test]
fn seed_figures_section_4() {
    let pct = |a: i128, b: i128| Ratio::new(a * 100, b).unwrap().display_1dp();
    let times = |a: i128, b: i128| Ratio::new(a, b).unwrap();
    assert_eq!(pct(213, 988), "21.6"); // line 109
    assert_eq!(pct(9, 23), "39.1"); // line 201
    assert_eq!(pct(5, 23), "21.7"); // line 201
    assert_eq!(pct(82, 378), "21.7"); // line 189
    assert_eq!(pct(37, 52), "71.2"); // line 494
    assert_eq!(times(278, 103).display_1dp(), "2.7"); // line 127
    assert_eq!(times(844, 348).display_1dp(), "2.4"); // line 130
    assert_eq!(times(334, 42).display_2dp(), "7.95"); // line 130 「約8倍」
    assert_eq!(times(427, 102).display_2dp(), "4.19"); // line 169–171
    assert_eq!(392 + 276 + 114, 782); // line 524
    assert_eq!(pct(17, 213), "8.0"); // spec §9.9: not the seed's 6.8%
    // Spec §9.6: 3.7 → 1.8カ月 is a 51.4% cut, not the 「42%短縮」 of line 273.
    assert_eq!(pct(37 - 18, 37), "51.4");
}

proptest! {
    #[test]
    fn shares_stay_between_0_and_100(part in 0i64..10_000, extra in 0i64..10_000) {
        let whole = part + extra;
        let r = evaluate(KpiId::ContractRate, Measurement::Share { part, whole }.into(), &settings());
        if let Some(v) = r.value {
            prop_assert!(v >= Ratio::integer(0) && v <= Ratio::integer(100));
        } else {
            prop_assert_eq!(whole, 0);
        }
    }

    #[test]
    fn more_successes_never_lose_the_target(part in 0i64..1000, whole in 1i64..1000) {
        prop_assume!(part < whole);
        let s = settings();
        let before = evaluate(KpiId::ContractRate, Measurement::Share { part, whole }.into(), &s).met.unwrap();
        let after = evaluate(KpiId::ContractRate, Measurement::Share { part: part + 1, whole }.into(), &s).met.unwrap();
        prop_assert!(!before || after);
    }

    #[test]
    fn decided_reading_is_never_below_received(stages in proptest::collection::vec(0u8..5, 0..60)) {
        let cs: Vec<_> = stages.iter().enumerate().map(|(i, s)| contact(i, ContactKind::Proposal, match s {
            0 => ContactStage::Open, 1 => ContactStage::Answered, 2 => ContactStage::Agreed,
            3 => ContactStage::Launched, _ => ContactStage::Withdrawn,
        })).collect();
        let r = evaluate(KpiId::ContractRate, contract_rate(R7, &cs), &settings());
        if let (Some(a), Some(b)) = (r.value, r.alt) {
            prop_assert!(b >= a);
        }
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    use chrono::Datelike;
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

proptest! {
    /// Any dates at all, in any order: every count comes back, none panics, shares stay ≤ 100%.
    #[test]
    fn counts_never_panic(
        dates in proptest::collection::vec((any_date(), proptest::option::of(any_date()), proptest::option::of(any_date())), 0..20),
        fy in any::<i32>(),
    ) {
        use chrono::Datelike;
        let fy = FiscalYear(fy);
        let contacts: Vec<_> = dates.iter().enumerate().map(|(i, (r, _, l))| ContactFacts {
            reception_no: i.to_string(), kind: ContactKind::Proposal, received_on: *r,
            stage: ContactStage::Launched, launched_on: *l,
        }).collect();
        let projects: Vec<_> = dates.iter().enumerate().map(|(i, (s, e, m))| ProjectFacts {
            signed_on: Some(*s), ended_on: *e, implemented_on: *m,
            risk_events: m.iter().map(|d| (*d, d.day() % 2 == 0)).collect(),
            ..project(i, None)
        }).collect();
        let issues: Vec<_> = dates.iter().map(|(r, s, _)| IssueFacts { registered_on: *r, solved_on: *s }).collect();
        let s = settings();
        let all = [
            (KpiId::ContactCount, contact_count(fy, &contacts)),
            (KpiId::ContractRate, contract_rate(fy, &contacts)),
            (KpiId::MonthsToLaunch, months_to_launch(fy, &contacts)),
            (KpiId::ProjectCount, project_count(fy, &projects)),
            (KpiId::RiskRate, risk_rate(fy, &projects)),
            (KpiId::KpiSetShare, kpi_set_share(fy, &projects).0),
            (KpiId::IssueSolveRate, issue_solve_rate(fy, &issues)),
        ];
        for (kpi, m) in all {
            let r = evaluate(kpi, m, &s);
            if definition(kpi).unit == Unit::Percent && let Some(v) = r.value {
                prop_assert!(v <= Ratio::integer(100), "{:?} {}", kpi, r.display_ja);
            }
        }
    }
}
