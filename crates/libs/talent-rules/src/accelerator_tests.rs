use super::*;
use proptest::prelude::*;

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth::new(year, month).unwrap()
}

fn digital(from: (i32, u32), to: (i32, u32)) -> Experience {
    Experience { from: ym(from.0, from.1), to: Some(ym(to.0, to.1)), digital_field: true }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn municipal_support() -> MainDuty {
    MainDuty {
        municipal_support: true,
        basis: "ジョブディスクリプション: 管内市町村のDX支援".into(),
        scheduled_days: None,
    }
}

fn input(experience: Vec<Experience>, exams: &[&str], main_duty: MainDuty) -> AcceleratorInput {
    AcceleratorInput {
        as_of: day(2025, 10, 1),
        experience,
        exams_passed: exams.iter().map(|e| (*e).to_owned()).collect(),
        judgement_c: None,
        main_duty,
    }
}

fn run(i: &AcceleratorInput) -> AcceleratorCheck {
    check(&AcceleratorRule::r7_planned(), i).unwrap()
}

/// Acceptance check 1; spec R3 E1: overlapping jobs count once — 60 months, not 72.
#[test]
fn e1_overlap_counted_once() {
    let r = run(&input(vec![digital((2018, 4), (2021, 3)), digital((2020, 4), (2023, 3))], &[], municipal_support()));
    assert_eq!(r.experience_months, 60);
    assert_eq!(r.verdict, Verdict::Met);
    assert_eq!(r.verdict.label_ja(), "充足");
    assert_eq!(r.basis, ["①ア 60か月", "②"]);
    assert_eq!(r.rule_version, "R7-planned");
    assert!(r.rule_label_ja.contains("（予定）"));
}

/// Spec R3 E2: 57 months, but an IPA 高度試験.
#[test]
fn e2_exam_instead_of_years() {
    let r = run(&input(vec![digital((2019, 10), (2024, 6))], &["プロジェクトマネージャ試験"], municipal_support()));
    assert_eq!(r.experience_months, 57);
    assert_eq!(r.cond_1a.holds, Some(false));
    assert_eq!(r.cond_1b.holds, Some(true));
    assert_eq!(r.verdict, Verdict::Met);
}

/// Acceptance check 1 (E3): 36 months and a non-高度 exam → ウ needs a judgement; not recommendable.
#[test]
fn e3_needs_judgement_and_cannot_be_recommended() {
    let mut i = input(vec![digital((2022, 10), (2025, 9))], &["基本情報技術者試験"], municipal_support());
    let r = run(&i);
    assert_eq!(r.experience_months, 36);
    assert_eq!(r.verdict, Verdict::NeedsJudgement);
    assert_eq!(r.verdict.label_ja(), "要判断");
    assert_eq!(r.message_ja.as_deref(), Some("①はウ（ア又はイと同視し得る知見）の判断が必要です"));
    let err = ensure_recommendable(&r).unwrap_err();
    assert_eq!(err.to_string(), "要件を満たしていないため推薦できません");
    assert!(err.is_conflict());
    // Once ウ is judged, the judgement decides ①.
    i.judgement_c = Some(Judgement {
        holds: true,
        judged_by: "静岡県デジタル戦略局".into(),
        judged_on: day(2025, 10, 15),
        reason: "自治体システム標準化の移行計画を3団体で主導".into(),
    });
    let judged = run(&i);
    assert_eq!(judged.verdict, Verdict::Met);
    assert!(judged.basis.contains(&"①ウ".to_owned()));
    assert!(ensure_recommendable(&judged).is_ok());
    i.judgement_c.as_mut().unwrap().holds = false;
    assert_eq!(run(&i).verdict, Verdict::NotMet);
}

/// Acceptance check 1 (E4): ② fails → 不充足 whatever ① says.
#[test]
fn e4_main_duty_not_municipal_support() {
    let duty = MainDuty { municipal_support: false, basis: String::new(), scheduled_days: Some((20, 100)) };
    let r = run(&input(vec![digital((2015, 10), (2025, 9))], &["ITストラテジスト試験"], duty));
    assert_eq!(r.experience_months, 120);
    assert_eq!(r.verdict, Verdict::NotMet);
    assert_eq!(r.message_ja.as_deref(), Some("②デジタルに関連する市町村支援業務を主たる業務としていません"));
    // Reading (b) is shown as a figure beside reading (a).
    assert!(r.cond_2.reason_ja.contains("20.0%"), "{}", r.cond_2.reason_ja);
}

/// Spec R3 E5: the boundary — 60 months passes, 59 does not.
#[test]
fn e5_boundary_of_five_years() {
    let r = run(&input(vec![digital((2020, 4), (2025, 3))], &[], municipal_support()));
    assert_eq!((r.experience_months, r.verdict), (60, Verdict::Met));
    let r = run(&input(vec![digital((2020, 4), (2025, 2))], &[], municipal_support()));
    assert_eq!((r.experience_months, r.verdict), (59, Verdict::NeedsJudgement));
}

/// Spec R3: re-checked on the recommendation day — ongoing experience may reach 60 months by then.
#[test]
fn recommendation_rechecks_as_of_its_own_day() {
    let ongoing = Experience { from: ym(2020, 4), to: None, digital_field: true };
    let mut i = input(vec![ongoing], &[], municipal_support());
    i.as_of = day(2025, 2, 1);
    let at_check = run(&i);
    assert_eq!((at_check.experience_months, at_check.verdict), (59, Verdict::NeedsJudgement));
    let rule = AcceleratorRule::r7_planned();
    assert!(check_for_recommendation(&rule, &i, day(2025, 2, 28)).is_err());
    let later = check_for_recommendation(&rule, &i, day(2025, 3, 10)).unwrap();
    assert_eq!((later.experience_months, later.as_of), (60, day(2025, 3, 10)));
}

#[test]
fn non_digital_and_future_months_do_not_count() {
    let office = Experience { from: ym(2000, 4), to: None, digital_field: false };
    let ongoing = Experience { from: ym(2021, 4), to: None, digital_field: true };
    let future = digital((2030, 1), (2031, 1));
    // 2021-04 … 2025-10 (the month of as_of) = 55 months.
    assert_eq!(digital_experience_months(&[office, ongoing, future], day(2025, 10, 1)).unwrap(), 55);
}

#[test]
fn exam_names_are_matched_with_the_seeds_spellings() {
    let rule = AcceleratorRule::r7_planned();
    assert_eq!(rule.advanced_exam("ＩＴストラテジスト試験"), Some("ITストラテジスト試験"));
    assert_eq!(rule.advanced_exam("プロジェクトマネージャー"), Some("プロジェクトマネージャ試験"));
    assert_eq!(rule.advanced_exam("システム監査技術者"), Some("システム監査技術者試験"));
    // Not on the seed's list (spec §9.9): only ウ can admit it.
    assert_eq!(rule.advanced_exam("情報処理安全確保支援士試験"), None);
    assert_eq!(rule.advanced_exam("基本情報技術者試験"), None);
}

#[test]
fn bad_input_names_the_field() {
    assert_eq!(
        YearMonth::new(2025, 13).unwrap_err().to_string(),
        "「職歴の年月」は1〜12の範囲で入力してください（13）"
    );
    let reversed = digital((2024, 4), (2023, 3));
    let e = digital_experience_months(&[reversed], day(2025, 1, 1)).unwrap_err();
    assert_eq!(e.to_string(), "「職歴の期間」の終了が開始より前です");
    let no_basis = MainDuty { municipal_support: true, basis: " ".into(), scheduled_days: None };
    let e = check(&AcceleratorRule::r7_planned(), &input(vec![], &[], no_basis)).unwrap_err();
    assert_eq!(e.to_string(), "「②の根拠」が入力されていません");
}

fn span() -> impl Strategy<Value = Experience> {
    (2000i32..2025, 1u32..=12, 0i64..80).prop_map(|(y, m, len)| {
        let start = i64::from(y) * 12 + i64::from(m) - 1;
        let end = start + len;
        Experience { from: ym(y, m), to: Some(ym((end / 12) as i32, (end % 12) as u32 + 1)), digital_field: true }
    })
}

proptest! {
    /// Merged months never exceed the sum, never fall below the longest job, ignore order.
    #[test]
    fn union_of_months(mut spans in prop::collection::vec(span(), 0..6)) {
        let as_of = day(2040, 1, 1);
        let months = digital_experience_months(&spans, as_of).unwrap() as i64;
        let lens: Vec<i64> = spans.iter().map(|e| e.to.unwrap().index() - e.from.index() + 1).collect();
        prop_assert!(months <= lens.iter().sum());
        prop_assert!(months >= lens.iter().copied().max().unwrap_or(0));
        spans.reverse();
        prop_assert_eq!(digital_experience_months(&spans, as_of).unwrap() as i64, months);
        let doubled: Vec<Experience> = spans.iter().chain(spans.iter()).cloned().collect();
        prop_assert_eq!(digital_experience_months(&doubled, as_of).unwrap() as i64, months);
    }
}
