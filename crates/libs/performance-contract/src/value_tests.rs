use crate::error::{ContractRuleError, Field};
use crate::value::{Quantity, YearMonth, signed_milli, yen};
use proptest::prelude::*;

const F: Field = Field::new("数量", "quantity");

#[test]
fn quantities_parse_full_width_and_commas_exactly() {
    assert_eq!(Quantity::parse(F, "1,234.5"), Ok(Quantity(1_234_500)));
    assert_eq!(Quantity::parse(F, "１２０．２５"), Ok(Quantity(120_250)));
    assert_eq!(Quantity::parse(F, " 7 "), Ok(Quantity::units(7)));
    assert_eq!(Quantity(120_250).to_string(), "120.25");
    assert_eq!(Quantity::units(3).to_string(), "3");
}

#[test]
fn bad_quantities_name_the_field_and_never_round() {
    assert_eq!(Quantity::parse(F, ""), Err(ContractRuleError::Missing { field: F }));
    let e = Quantity::parse(F, "1.2345").unwrap_err();
    assert_eq!(e.to_string(), "「数量」：数値を入力してください（1.2345）");
    assert_eq!(e.message_en(), "quantity: not a number (1.2345)");
    assert!(matches!(Quantity::parse(F, "-3"), Err(ContractRuleError::Negative { .. })));
    assert!(matches!(Quantity::parse(F, "abc"), Err(ContractRuleError::NotANumber { .. })));
    assert!(matches!(Quantity::parse(F, "99999999999999999999"), Err(ContractRuleError::NotANumber { .. })));
    assert!(matches!(Quantity::parse(F, ".5"), Err(ContractRuleError::NotANumber { .. })));
}

#[test]
fn unit_price_times_quantity_truncates_below_the_yen() {
    // 120.5 m² × 333円 = 40,126.5円 → 40,126円.
    assert_eq!(Quantity(120_500).times_unit_price(333), Some(40_126));
    assert_eq!(yen(1_234_567), "1,234,567円");
    assert_eq!(yen(0), "0円");
    assert_eq!(signed_milli(-1500), "-1.5");
    assert_eq!(signed_milli(2000), "+2");
}

#[test]
fn months_outside_1_to_12_are_refused() {
    assert!(YearMonth::new(2025, 13).is_err());
    assert!(YearMonth::new(2025, 0).is_err());
    assert_eq!(YearMonth::new(2025, 4).unwrap().to_string(), "2025年4月");
}

proptest! {
    #[test]
    fn printing_and_parsing_a_quantity_round_trips(milli in 0u64..10_000_000_000_000) {
        let q = Quantity(milli);
        prop_assert_eq!(Quantity::parse(F, &q.to_string()), Ok(q));
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,20}") {
        let _ = Quantity::parse(F, &s);
    }

    #[test]
    fn the_charge_is_at_most_exact_and_within_a_yen(milli in 0u64..1_000_000_000, price in 0u64..10_000_000) {
        let exact = u128::from(milli) * u128::from(price);
        let charged = u128::from(Quantity(milli).times_unit_price(price).unwrap()) * 1000;
        prop_assert!(charged <= exact && exact - charged < 1000);
    }
}
