//! 和暦 / date parser: `parse_date` (Western, 和暦, full-width, era ligatures) and the
//! tabular date field that wraps it. A parsed date must read back from its own formats.
use tabane_calendar::{FiscalYear, parse_date, to_wareki};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(s) = std::str::from_utf8(data) else { return };
        let parsed = parse_date(s);
        // The error messages are built for every rejection shown to a person.
        if let Err(e) = &parsed {
            let _ = (e.message_ja(), e.message_en());
        }
        // The tabular field accepts everything parse_date does (and "date time" forms).
        if let Ok(d) = parsed {
            assert_eq!(tabane_tabular::parse_required_date(s), Ok(d), "{s:?}");
        } else {
            let _ = tabane_tabular::parse_optional_date(s);
        }
        let Ok(d) = parsed else { return };
        let iso = d.format("%Y-%m-%d").to_string();
        assert_eq!(parse_date(&iso), Ok(d), "{s:?} → {iso}");
        if let Some(w) = to_wareki(d) {
            assert_eq!(w.to_date(), Ok(d), "{s:?}");
            assert_eq!(parse_date(&w.format_ja()), Ok(d), "{s:?} → {}", w.format_ja());
            assert_eq!(parse_date(&w.format_short()), Ok(d), "{s:?} → {}", w.format_short());
        }
        let fy = FiscalYear::of(d);
        assert!(fy.contains(d));
        let _ = (fy.label_ja(), fy.label_en());
    });
}
