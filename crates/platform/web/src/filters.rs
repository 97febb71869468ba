//! Template filters shared by the platform and the modules. A module brings them into scope
//! where its templates are declared (`use tabane_web::filters;`) and writes
//! `{{ case.status|label(chrome.l) }}`, `{{ amount|yen }}`, `{{ day|wareki(chrome.l) }}`,
//! `{{ at|jst }}`. askama passes the value and the arguments by reference or by value as it
//! sees fit, so each filter accepts both.

use crate::i18n::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use tabane_core::domain::Labelled;

/// A filter's value or argument, however many references askama put around it.
pub trait Arg<T> {
    fn get(&self) -> T;
}

macro_rules! plain_arg {
    ($($t:ty),*) => {$(
        impl Arg<$t> for $t {
            fn get(&self) -> $t {
                *self
            }
        }
    )*};
}
plain_arg!(i64, NaiveDate, DateTime<Utc>, Lang);

impl<T, U: Arg<T> + ?Sized> Arg<T> for &U {
    fn get(&self) -> T {
        (**self).get()
    }
}

/// A vocabulary value (状況, 分類, 理由 …) in the reader's language.
pub fn label<V: Labelled, L: Arg<Lang>>(v: V, _: &dyn askama::Values, l: L) -> askama::Result<&'static str> {
    Ok(v.label_in(l.get().is_en()))
}

/// An amount in yen with thousands separators: `1,234,567円`.
pub fn yen<N: Arg<i64>>(n: N, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(format!("{}円", thousands(n.get())))
}

/// A date as officials write it: `2026-04-01（令和8年4月1日）` in Japanese, the date alone in English.
pub fn wareki<D: Arg<NaiveDate>, L: Arg<Lang>>(d: D, _: &dyn askama::Values, l: L) -> askama::Result<String> {
    let d = d.get();
    Ok(match tabane_calendar::to_wareki(d) {
        Some(w) if !l.get().is_en() => format!("{}（{}）", d.format("%Y-%m-%d"), w.format_ja()),
        _ => d.format("%Y-%m-%d").to_string(),
    })
}

/// An instant in Japan Standard Time: `2026-04-01 09:30`.
pub fn jst<T: Arg<DateTime<Utc>>>(t: T, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(tabane_calendar::jst::at(t.get()).format("%Y-%m-%d %H:%M").to_string())
}

/// `1234567` → `1,234,567` (negative amounts keep their sign).
pub fn thousands(n: i64) -> String {
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
    use super::*;
    use tabane_core::domain::Role;

    #[test]
    fn filters_read_values_and_references_alike() {
        let v = askama::NO_VALUES;
        assert_eq!(label(Role::Staff, v, Lang::En).unwrap(), Role::Staff.label_en());
        assert_eq!(label(Role::Staff, v, Lang::Ja).unwrap(), Role::Staff.label_ja());
        assert_eq!(yen(1_234_567i64, v).unwrap(), "1,234,567円");
        assert_eq!(yen(-1000i64, v).unwrap(), "-1,000円");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(i64::MIN), "-9,223,372,036,854,775,808");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(wareki(d, v, Lang::Ja).unwrap(), "2026-04-01（令和8年4月1日）");
        assert_eq!(wareki(d, v, Lang::En).unwrap(), "2026-04-01");
    }
}
