use super::*;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn minamiizu_need() -> Need {
    Need {
        location: Location {
            municipality: "南伊豆町".into(), prefecture: "静岡県".into(), region: "中部地方".into()
        },
        field: SupportField::Standardisation,
        wanted_types: vec![TalentType::ProjectManager],
        days_per_week: 1,
        period_from: day(2025, 10, 1),
        period_to: day(2026, 3, 31),
    }
}

/// Person T of spec R11: 下田市 月・火 and 河津町 木・金 — only 水 is free.
fn person_t() -> TalentProfile {
    let a = |m: &str, w: [Weekday; 2]| WeeklyAssignment {
        municipality: m.into(),
        weekdays: w.to_vec(),
        from: day(2025, 9, 1),
        to: day(2026, 3, 31),
    };
    TalentProfile {
        label: "総務 太郎".into(),
        status: TalentStatus::Active,
        types: vec![TalentType::ProjectManager],
        fields: vec![SupportField::Standardisation],
        regions: vec![RegionScope::Prefecture("静岡県".into())],
        assignments: vec![a("下田市", [Weekday::Mon, Weekday::Tue]), a("河津町", [Weekday::Thu, Weekday::Fri])],
    }
}

#[test]
fn a_fitting_person_scores_with_reasons() {
    let r = score(&minamiizu_need(), &person_t()).unwrap();
    assert!(r.eligible);
    assert_eq!(r.score, 40 + 30 + 16 + 10);
    assert_eq!(r.free_weekdays, [Weekday::Wed]);
    assert_eq!(
        r.reasons_ja,
        [
            "人材類型が一致（プロジェクトマネージャー）",
            "支援分野「標準化・クラウド化」に対応",
            "対応可能地域: 静岡県",
            "空き曜日 水（週1日の希望）",
        ]
    );
}

#[test]
fn exclusions_say_why() {
    let mut need = minamiizu_need();
    need.days_per_week = 2;
    let r = score(&need, &person_t()).unwrap();
    assert!(!r.eligible);
    assert!(r.reasons_ja.contains(&"空き曜日が1日（水）で、週2日の希望に足りません".to_owned()));
    let mut far = person_t();
    far.regions = vec![RegionScope::Prefecture("長崎県".into())];
    let r = score(&minamiizu_need(), &far).unwrap();
    assert!(!r.eligible);
    assert!(r.reasons_ja.contains(&"南伊豆町は対応可能地域外です".to_owned()));
    let mut ended = person_t();
    ended.status = TalentStatus::Ended;
    assert_eq!(score(&minamiizu_need(), &ended).unwrap().reasons_ja[0], "派遣できる状態ではありません（終了）");
}

#[test]
fn ranking_puts_eligible_and_closer_first() {
    let mut hanako = person_t();
    hanako.label = "総務 花子".into();
    hanako.types = vec![TalentType::Producer];
    hanako.regions = vec![RegionScope::Region("中部地方".into())];
    let mut local = person_t();
    local.label = "デジタル 次郎".into();
    local.regions = vec![RegionScope::Municipality("南伊豆町".into())];
    let mut far = person_t();
    far.label = "遠方".into();
    far.regions = vec![];
    let ranked = rank(&minamiizu_need(), &[far, hanako, person_t(), local]).unwrap();
    let order: Vec<&str> = ranked.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(order, ["デジタル 次郎", "総務 太郎", "総務 花子", "遠方"]);
}

/// Spec §9.3 and acceptance check 6's wording for a value not on the list.
#[test]
fn talent_types_parse_with_both_spellings() {
    assert_eq!(TalentType::parse("プロジェクトマネージャ").unwrap(), TalentType::ProjectManager);
    let e = TalentType::parse("デザイナー").unwrap_err();
    assert_eq!(
        e.to_string(),
        "「人材類型」: 「デザイナー」は選択肢にありません（プロデューサー／プロジェクトマネージャー／エンジニア・サービスデザイナー）"
    );
    assert_eq!(TalentType::parse(" ").unwrap_err().to_string(), "「人材類型」が入力されていません");
}

#[test]
fn bad_need_is_refused() {
    let mut need = minamiizu_need();
    need.days_per_week = 6;
    assert!(score(&need, &person_t()).is_err());
    need.days_per_week = 1;
    need.period_to = day(2025, 1, 1);
    assert_eq!(score(&need, &person_t()).unwrap_err().to_string(), "「ニーズの期間」の終了が開始より前です");
}

proptest! {
    /// The score stays within 0–100 and an eligible person always has a free weekday count
    /// at least the days asked for.
    #[test]
    fn score_is_bounded(days in 0u32..=5, fields in prop::collection::vec(0usize..6, 0..6), taken in prop::collection::vec(0u8..7, 0..5)) {
        let all = [
            SupportField::Planning, SupportField::Standardisation, SupportField::BprProcurement,
            SupportField::DataUse, SupportField::StaffDevelopment, SupportField::Security,
        ];
        let mut t = person_t();
        t.fields = fields.iter().map(|i| all[*i]).collect();
        t.assignments = vec![WeeklyAssignment {
            municipality: "下田市".into(),
            weekdays: taken.iter().map(|n| Weekday::try_from(*n).unwrap()).collect(),
            from: day(2025, 4, 1),
            to: day(2026, 3, 31),
        }];
        let mut need = minamiizu_need();
        need.days_per_week = days;
        let r = score(&need, &t).unwrap();
        prop_assert!(r.score <= 100);
        if r.eligible {
            prop_assert!(r.free_weekdays.len() as u32 >= days);
        }
    }
}
