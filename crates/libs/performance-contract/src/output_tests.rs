use crate::output::*;
use crate::value::{Quantity, YearMonth};
use proptest::prelude::*;

fn ym(m: u32) -> YearMonth {
    YearMonth::new(2025, m).unwrap()
}

fn e(item: &str, owner: &str, month: u32, q: u64) -> OutputEntry {
    OutputEntry { item_code: item.into(), owner: owner.into(), month: ym(month), quantity: Quantity::units(q) }
}

#[test]
fn planned_and_actual_per_item_owner_and_month_with_totals() {
    let plan = vec![e("除草", "静岡県", 5, 1000), e("除草", "静岡県", 6, 2000), e("除草", "下田市", 6, 500)];
    let actual = vec![
        e("除草", "静岡県", 5, 800),
        e("除草", "静岡県", 6, 1500),
        e("除草", "静岡県", 6, 700), // two jobs in one month are added up
        e("倒木", "下田市", 6, 3),   // not in the plan
    ];
    let r = compare(&plan, &actual).unwrap();
    let june: Vec<_> = month_rows(&r, ym(6)).into_iter().map(|r| (r.item_code.as_str(), r.owner.as_str())).collect();
    assert_eq!(june, vec![("倒木", "下田市"), ("除草", "下田市"), ("除草", "静岡県")]);

    let k6 = r.rows.iter().find(|x| x.owner == "静岡県" && x.month == ym(6)).unwrap();
    assert_eq!((k6.planned, k6.actual, k6.variance_milli), (Quantity::units(2000), Quantity::units(2200), 200_000));
    assert_eq!((k6.cumulative_planned, k6.cumulative_actual), (Quantity::units(3000), Quantity::units(3000)));
    let extra = r.rows.iter().find(|x| x.item_code == "倒木").unwrap();
    assert!(extra.unplanned);
    let behind = r.rows.iter().find(|x| x.item_code == "除草" && x.owner == "下田市").unwrap();
    assert_eq!(behind.variance_milli, -500_000);
    assert!(!behind.unplanned);

    let kt = r.totals.iter().find(|t| t.item_code == "除草" && t.owner == "静岡県").unwrap();
    assert_eq!((kt.variance_milli, kt.progress_permille), (0, Some(1000)));
    let tt = r.totals.iter().find(|t| t.item_code == "倒木").unwrap();
    assert_eq!(tt.progress_permille, None);
}

#[test]
fn rows_without_item_or_owner_are_refused_by_field() {
    let err = compare(&[e("", "静岡県", 5, 1)], &[]).unwrap_err();
    assert_eq!(err.to_string(), "「業務項目」が入力されていません");
    let err = compare(&[], &[e("除草", " ", 5, 1)]).unwrap_err();
    assert_eq!(err.message_en(), "owner is required");
}

proptest! {
    /// Totals equal the sums of the inputs per item and owner, and the last row of each series
    /// carries the same cumulative figures.
    #[test]
    fn totals_add_up(
        plan in proptest::collection::vec((0usize..3, 0usize..2, 1u32..13, 0u64..1_000_000_000), 0..20),
        actual in proptest::collection::vec((0usize..3, 0usize..2, 1u32..13, 0u64..1_000_000_000), 0..20),
    ) {
        let items = ["除草", "清掃", "補修"];
        let owners = ["甲県", "乙市"];
        let to = |v: &[(usize, usize, u32, u64)]| v.iter().map(|(i, o, m, q)| OutputEntry {
            item_code: items[*i].into(), owner: owners[*o].into(), month: ym(*m), quantity: Quantity(*q),
        }).collect::<Vec<_>>();
        let r = compare(&to(&plan), &to(&actual)).unwrap();
        for t in &r.totals {
            let sum = |v: &[(usize, usize, u32, u64)]| v.iter().filter(|(i, o, _, _)| items[*i] == t.item_code && owners[*o] == t.owner).map(|x| x.3).sum::<u64>();
            prop_assert_eq!(t.planned.0, sum(&plan));
            prop_assert_eq!(t.actual.0, sum(&actual));
            let last = r.rows.iter().rev().find(|x| x.item_code == t.item_code && x.owner == t.owner).unwrap();
            prop_assert_eq!(last.cumulative_planned, t.planned);
            prop_assert_eq!(last.cumulative_actual, t.actual);
        }
        let variance: i128 = r.rows.iter().map(|x| x.variance_milli).sum();
        let total: i128 = r.totals.iter().map(|t| t.variance_milli).sum();
        prop_assert_eq!(variance, total);
    }
}
