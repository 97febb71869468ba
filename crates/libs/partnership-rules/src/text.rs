//! Small formatting helpers for the Japanese text the rules show.

/// Digits grouped by three with commas: 1000000000 → 「1,000,000,000」.
pub(crate) fn grouped(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouping() {
        assert_eq!(super::grouped(1_000_000_000), "1,000,000,000");
        assert_eq!(super::grouped(215), "215");
        assert_eq!(super::grouped(-1500), "-1,500");
    }
}
