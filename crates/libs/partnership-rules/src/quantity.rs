//! 数値 (exact numbers). Rates are computed unrounded, compared with the target unrounded and
//! displayed to one decimal, half up (spec §3 preamble). Floating point would make 40.0% ≥ 40%
//! depend on the order of operations, so values are exact fractions of integers.

use crate::error::{Field, PartnershipRuleError};
use serde::{Serialize, Serializer};
use std::cmp::Ordering;

/// 有理数 (an exact fraction `num / den`, `den > 0`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    /// `num / den`; `None` when `den` is 0 (no rate can be computed: 「—」 on screen).
    pub fn new(num: i128, den: i128) -> Option<Self> {
        match den.cmp(&0) {
            Ordering::Equal => None,
            Ordering::Greater => Some(Self { num, den }),
            Ordering::Less => Some(Self { num: -num, den: -den }),
        }
    }

    pub fn integer(n: i128) -> Self {
        Self { num: n, den: 1 }
    }

    pub fn num(self) -> i128 {
        self.num
    }

    pub fn den(self) -> i128 {
        self.den
    }

    /// `self × k / d` (scaling to percent, to months…); `None` when `d` is 0.
    pub fn scale(self, k: i128, d: i128) -> Option<Self> {
        Self::new(self.num.checked_mul(k)?, self.den.checked_mul(d)?)
    }

    /// 小数第1位（四捨五入）: tenths, rounded half away from zero.
    pub fn tenths(self) -> i128 {
        self.rounded(10)
    }

    /// Hundredths, rounded half away from zero (for 「2.67倍」).
    pub fn hundredths(self) -> i128 {
        self.rounded(100)
    }

    /// `self × k`, rounded half away from zero. Whole part and remainder are scaled apart so that
    /// no intermediate overflows for any fraction this crate builds; beyond that it saturates.
    fn rounded(self, k: u128) -> i128 {
        let (n, d) = (self.num.unsigned_abs(), self.den.unsigned_abs());
        let (q, r) = (n / d, n % d);
        let frac = r.checked_mul(2 * k).map_or(k, |x| (x + d) / (2 * d));
        let v = i128::try_from(q.saturating_mul(k).saturating_add(frac)).unwrap_or(i128::MAX);
        if self.num < 0 { -v } else { v }
    }

    /// 「30.0」: one decimal, half up.
    pub fn display_1dp(self) -> String {
        fixed(self.tenths(), 1)
    }

    /// 「2.67」: two decimals, half up.
    pub fn display_2dp(self) -> String {
        fixed(self.hundredths(), 2)
    }

    /// The one-decimal display value as a JSON number (30.0).
    pub fn as_f64_1dp(self) -> f64 {
        self.tenths() as f64 / 10.0
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        // Both denominators are positive, so cross-multiplying keeps the order; when the products
        // do not fit, compare whole parts and then the remainders, which never overflows.
        match (self.num.checked_mul(other.den), other.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => cmp_fractions(self.num, self.den, other.num, other.den),
        }
    }
}

/// a/b against c/d (b, d > 0) by continued fractions: whole parts first, then the inverted remainders.
fn cmp_fractions(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    let (qa, ra) = (a.div_euclid(b), a.rem_euclid(b));
    let (qc, rc) = (c.div_euclid(d), c.rem_euclid(d));
    match qa.cmp(&qc) {
        Ordering::Equal => match (ra, rc) {
            (0, 0) => Ordering::Equal,
            (0, _) => Ordering::Less,
            (_, 0) => Ordering::Greater,
            // ra/b < rc/d  ⇔  d/rc < b/ra
            _ => cmp_fractions(d, rc, b, ra),
        },
        o => o,
    }
}

/// `units` in `10^-scale`, as text: fixed(300, 1) → "30.0", fixed(-5, 2) → "-0.05".
pub(crate) fn fixed(units: i128, scale: u32) -> String {
    let p = 10i128.pow(scale);
    let sign = if units < 0 { "-" } else { "" };
    let a = units.abs();
    if scale == 0 { format!("{sign}{a}") } else { format!("{sign}{}.{:0w$}", a / p, a % p, w = scale as usize) }
}

/// 十進数 (a decimal as typed in a setting: 「40」「2.5」「1,000」「0.5」). Kept exact so that a
/// target of 2.5カ月 is 25/10, not 2.4999….
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    units: i64,
    scale: u32,
}

/// The most decimals a setting may have; more would be noise for any KPI here.
const MAX_SCALE: u32 = 6;

impl Decimal {
    pub const fn new(units: i64, scale: u32) -> Self {
        Self { units, scale }
    }

    pub const fn integer(n: i64) -> Self {
        Self { units: n, scale: 0 }
    }

    pub fn as_ratio(self) -> Ratio {
        Ratio { num: i128::from(self.units), den: 10i128.pow(self.scale) }
    }

    /// Reads a typed number. Full-width digits, 「．」「，」 and thousands commas are accepted
    /// because staff type on Japanese keyboards; anything else is refused naming `field`.
    pub fn parse(field: Field, input: &str) -> Result<Self, PartnershipRuleError> {
        let folded: String = input
            .trim()
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                '．' => Some('.'),
                '－' | '−' => Some('-'),
                ',' | '，' => None,
                c => Some(c),
            })
            .collect();
        if folded.is_empty() {
            return Err(PartnershipRuleError::Missing { field });
        }
        let bad = || PartnershipRuleError::NotANumber { field, input: input.trim().to_owned() };
        let (neg, body) = match folded.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, folded.as_str()),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits_ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if int.is_empty() || !digits_ok(int) || !digits_ok(frac) || body.ends_with('.') {
            return Err(bad());
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() as u32 > MAX_SCALE {
            return Err(bad());
        }
        let units: i64 = format!("{int}{frac}").parse().map_err(|_| bad())?;
        let units = if neg { -units } else { units };
        Ok(Self { units, scale: frac.len() as u32 })
    }

    /// 「2.5」「40」「1000000000」 — the shortest exact form.
    pub fn display(self) -> String {
        fixed(i128::from(self.units), self.scale)
    }

    pub fn is_negative(self) -> bool {
        self.units < 0
    }
}

impl Serialize for Decimal {
    /// A whole number serialises as an integer (`"target":40`, acceptance check 2), otherwise as a float.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.scale == 0 {
            s.serialize_i64(self.units)
        } else {
            s.serialize_f64(self.units as f64 / 10f64.powi(self.scale as i32))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const F: Field = Field::new("目標値", "target");

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(Ratio::new(60, 170).unwrap().scale(100, 1).unwrap().display_1dp(), "35.3");
        assert_eq!(Ratio::new(1, 8).unwrap().scale(100, 1).unwrap().display_1dp(), "12.5");
        assert_eq!(Ratio::new(1, 16).unwrap().display_2dp(), "0.06");
        assert_eq!(Ratio::new(-1, 16).unwrap().display_2dp(), "-0.06");
        assert_eq!(Ratio::new(40, 15).unwrap().display_2dp(), "2.67");
        assert!(Ratio::new(1, 0).is_none());
    }

    #[test]
    fn parses_what_staff_type() {
        assert_eq!(Decimal::parse(F, "40").unwrap(), Decimal::integer(40));
        assert_eq!(Decimal::parse(F, "２．５").unwrap(), Decimal::new(25, 1));
        assert_eq!(Decimal::parse(F, "1,000").unwrap(), Decimal::integer(1000));
        assert_eq!(Decimal::parse(F, "2.50").unwrap(), Decimal::new(25, 1));
        assert_eq!(Decimal::parse(F, "abc").unwrap_err().to_string(), "目標値：数値を入力してください");
        assert!(Decimal::parse(F, "1.").is_err());
        assert!(Decimal::parse(F, ".5").is_err());
        assert!(Decimal::parse(F, "99999999999999999999").is_err());
        assert_eq!(Decimal::parse(F, " ").unwrap_err(), PartnershipRuleError::Missing { field: F });
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,30}") {
            let _ = Decimal::parse(F, &s);
        }

        #[test]
        fn ordering_matches_cross_products(a in -1000i128..1000, b in 1i128..1000, c in -1000i128..1000, d in 1i128..1000) {
            let x = Ratio::new(a, b).unwrap();
            let y = Ratio::new(c, d).unwrap();
            prop_assert_eq!(x.cmp(&y), (a * d).cmp(&(c * b)));
        }

        #[test]
        fn huge_values_compare_without_overflow(a in any::<i64>(), b in 1i64..i64::MAX, c in any::<i64>(), d in 1i64..i64::MAX, k in 1i128..1_000_000) {
            let big = i128::MAX / 4;
            let x = Ratio::new(i128::from(a) * k, i128::from(b) * k).unwrap();
            let y = Ratio::new(i128::from(c), i128::from(d)).unwrap();
            let expected = (i128::from(a) * i128::from(d)).cmp(&(i128::from(c) * i128::from(b)));
            prop_assert_eq!(x.cmp(&y), expected);
            prop_assert_eq!(cmp_fractions(big, 3, big - 1, 3), Ordering::Greater);
        }

        #[test]
        fn tenths_within_half(a in -100000i128..100000, b in 1i128..1000) {
            let t = Ratio::new(a, b).unwrap().tenths();
            // |t/10 − a/b| ≤ 1/20  ⇔  |t·b − 10a| ≤ b/2
            prop_assert!(2 * (t * b - 10 * a).abs() <= b);
        }
    }
}
