//! 全国地方公共団体コード (local-government code, JIS X 0402).
//!
//! Six digits: two for the prefecture (JIS X 0401), three for the municipality and a check
//! digit. Published lists contain mistakes, so every code that enters Tabane is checked here.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid 全国地方公共団体コード. Construct only through [`LgCode::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct LgCode(String);

/// Why a string is not a 全国地方公共団体コード.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LgCodeError {
    #[error("団体コードは6桁の数字です（入力: 「{0}」）")]
    Format(String),
    #[error("団体コード「{code}」の検査数字が違います（6桁目は {expected} のはずです）")]
    CheckDigit { code: String, expected: u8 },
    #[error("団体コード「{0}」の都道府県部分（先頭2桁）は01〜47です")]
    Prefecture(String),
}

impl LgCodeError {
    pub fn message_en(&self) -> String {
        match self {
            Self::Format(s) => format!("a local-government code is 6 digits (got \"{s}\")"),
            Self::CheckDigit { code, expected } => {
                format!("check digit of local-government code \"{code}\" is wrong (the 6th digit should be {expected})")
            }
            Self::Prefecture(s) => format!("the prefecture part (first two digits) of \"{s}\" must be 01-47"),
        }
    }
}

/// 検査数字: (11 − (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) mod 10.
pub fn check_digit(first_five: &[u8; 5]) -> u8 {
    let sum: u32 = first_five.iter().zip([6u32, 5, 4, 3, 2]).map(|(d, w)| u32::from(*d) * w).sum();
    ((11 - (sum % 11)) % 10) as u8
}

impl LgCode {
    /// Parses a code as a person or a spreadsheet writes it: full-width digits are accepted and
    /// a five-digit code (the check digit dropped, as some lists do) is rejected, not guessed.
    pub fn parse(input: &str) -> Result<Self, LgCodeError> {
        let ascii: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect();
        if ascii.len() != 6 || !ascii.bytes().all(|b| b.is_ascii_digit()) {
            return Err(LgCodeError::Format(input.trim().to_string()));
        }
        let d: Vec<u8> = ascii.bytes().map(|b| b - b'0').collect();
        let pref = d[0] * 10 + d[1];
        if !(1..=47).contains(&pref) {
            return Err(LgCodeError::Prefecture(ascii));
        }
        let expected = check_digit(&[d[0], d[1], d[2], d[3], d[4]]);
        if d[5] != expected {
            return Err(LgCodeError::CheckDigit { code: ascii, expected });
        }
        Ok(Self(ascii))
    }

    /// Builds the full code from the first five digits (used by generators and the demo).
    pub fn from_first_five(first_five: u32) -> Result<Self, LgCodeError> {
        let s = format!("{first_five:05}");
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        let cd = check_digit(&[d[0], d[1], d[2], d[3], d[4]]);
        Self::parse(&format!("{s}{cd}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// 都道府県コード (first two digits).
    pub fn prefecture_code(&self) -> &str {
        &self.0[..2]
    }
    /// True for the code of a prefecture itself (municipality part 000).
    pub fn is_prefecture(&self) -> bool {
        &self.0[2..5] == "000"
    }
}

impl fmt::Display for LgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl TryFrom<String> for LgCode {
    type Error = LgCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}
impl From<LgCode> for String {
    fn from(c: LgCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reference_examples_are_valid() {
        for c in ["220001", "222194", "282103", "281000", "282201", "072044", "420000"] {
            assert!(LgCode::parse(c).is_ok(), "{c}");
        }
    }

    #[test]
    fn widely_copied_wrong_iwaki_code_is_rejected_with_expected_digit() {
        let e = LgCode::parse("072041").unwrap_err();
        assert_eq!(e, LgCodeError::CheckDigit { code: "072041".into(), expected: 4 });
        assert!(e.to_string().contains("6桁目は 4"));
    }

    #[test]
    fn full_width_digits_and_format_errors() {
        assert_eq!(LgCode::parse("２２２１９４").unwrap().as_str(), "222194");
        assert!(matches!(LgCode::parse("22219"), Err(LgCodeError::Format(_))));
        assert!(matches!(LgCode::parse("48000x"), Err(LgCodeError::Format(_))));
        assert!(matches!(LgCode::parse("480001"), Err(LgCodeError::Prefecture(_))));
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_is_valid(first in 1000u32..47999) {
            let valid = LgCode::from_first_five(first).unwrap();
            let stem = &valid.as_str()[..5];
            let n_valid = (0..10).filter(|d| LgCode::parse(&format!("{stem}{d}")).is_ok()).count();
            prop_assert_eq!(n_valid, 1);
        }
    }
}
