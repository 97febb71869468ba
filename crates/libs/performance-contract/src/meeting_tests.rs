use crate::level::{Assessment, Status};
use crate::limit::LimitUse;
use crate::meeting::*;
use crate::output::OutputRow;
use crate::value::{Quantity, YearMonth};

fn june() -> YearMonth {
    YearMonth::new(2025, 6).unwrap()
}

fn input() -> MeetingInput {
    MeetingInput {
        month: Some(june()),
        intake: vec![
            IntakeStatus { owner: "静岡県".into(), received: 12, completed: 10, in_progress: 4, overdue: 1 },
            IntakeStatus { owner: "下田市".into(), received: 5, completed: 6, in_progress: 1, overdue: 0 },
        ],
        output: vec![OutputRow {
            item_code: "除草".into(),
            owner: "静岡県".into(),
            month: june(),
            planned: Quantity::units(2000),
            actual: Quantity::units(1500),
            variance_milli: -500_000,
            cumulative_planned: Quantity::units(3000),
            cumulative_actual: Quantity::units(2300),
            unplanned: false,
        }],
        levels: vec![Assessment {
            level_id: "L2".into(),
            owner: "静岡県".into(),
            status: Status::NotMet,
            counts: vec![],
            failures: vec![],
            checks_short_of_frequency: false,
        }],
        budget: vec![LimitUse {
            scope: "下田市・2025年度".into(),
            limit: 30_000_000,
            used: 12_500_000,
            remaining: 17_500_000,
        }],
        concerns: vec!["台風期の倒木対応体制".into(), "  ".into()],
        improvements: vec![],
    }
}

#[test]
fn the_agenda_has_the_four_items_of_q5_3_in_order() {
    let items = agenda(&input()).unwrap();
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "①業務実施状況の確認（2025年6月の受付状況）",
            "②実行予算について（現状までの予算執行状況）",
            "③懸念事項について",
            "④改善項目について",
        ]
    );
    assert_eq!(
        items[0].lines,
        vec![
            "静岡県：受付12件、完了10件、対応中4件、期限超過1件",
            "下田市：受付5件、完了6件、対応中1件、期限超過0件",
            "合計：受付17件、完了16件、対応中5件、期限超過1件",
            "出来型 除草・静岡県：計画2000、実績1500、差異-500",
            "要求水準 L2・静岡県：未達",
        ]
    );
    assert_eq!(items[1].lines, vec!["下田市・2025年度：限度額30,000,000円、指示済12,500,000円、残額17,500,000円"]);
    assert_eq!(items[2].lines, vec!["・台風期の倒木対応体制"]);
    // An unmet level is put on the improvements list even when nobody typed one.
    assert_eq!(items[3].lines, vec!["・要求水準L2（静岡県）が未達：改善要求の要否"]);
}

#[test]
fn empty_sections_say_so_and_a_missing_month_is_refused() {
    let empty = MeetingInput { month: Some(june()), ..Default::default() };
    let items = agenda(&empty).unwrap();
    assert_eq!(items[0].lines, vec!["（報告事項なし）"]);
    assert_eq!(items[1].lines, vec!["（指示限度額の設定なし）"]);
    assert_eq!(items[3].lines, vec!["（報告事項なし）"]);
    let e = agenda(&MeetingInput::default()).unwrap_err();
    assert_eq!(e.to_string(), "「対象月」が入力されていません");
    let mut bad = input();
    bad.intake[0].owner = String::new();
    assert_eq!(agenda(&bad).unwrap_err().field().en, "owner");
}

proptest::proptest! {
    /// Any texts and counts give four items, each with at least one line, and never a panic.
    #[test]
    fn the_agenda_always_has_four_non_empty_items(
        owners in proptest::collection::vec("\\PC{1,8}", 0..4),
        counts in proptest::collection::vec(proptest::prelude::any::<u32>(), 4),
        concerns in proptest::collection::vec("\\PC{0,12}", 0..4),
    ) {
        let input = MeetingInput {
            month: Some(june()),
            intake: owners.iter().filter(|o| !o.trim().is_empty()).map(|o| IntakeStatus {
                owner: o.clone(), received: counts[0], completed: counts[1], in_progress: counts[2], overdue: counts[3],
            }).collect(),
            concerns,
            ..Default::default()
        };
        let items = agenda(&input).unwrap();
        proptest::prop_assert_eq!(items.len(), 4);
        proptest::prop_assert!(items.iter().all(|i| !i.lines.is_empty()));
    }
}
