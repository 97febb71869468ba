//! Concrete cases from the specification, through the public API only.

use chrono::Datelike;
use tabane_calendar::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn w(era: Era, year: u32, month: u32, day: u32) -> Wareki {
    Wareki { era, year, month, day }
}

#[test]
fn era_boundaries() {
    assert_eq!(to_wareki(ymd(2019, 4, 30)), Some(w(Era::Heisei, 31, 4, 30)));
    let reiwa1 = to_wareki(ymd(2019, 5, 1)).unwrap();
    assert_eq!(reiwa1, w(Era::Reiwa, 1, 5, 1));
    assert_eq!(reiwa1.format_ja(), "令和元年5月1日");
    assert_eq!(reiwa1.format_short(), "R1.5.1");
    assert_eq!(to_wareki(ymd(1989, 1, 7)), Some(w(Era::Showa, 64, 1, 7)));
    assert_eq!(to_wareki(ymd(1989, 1, 8)), Some(w(Era::Heisei, 1, 1, 8)));
    assert_eq!(to_wareki(ymd(1926, 12, 24)), Some(w(Era::Taisho, 15, 12, 24)));
    assert_eq!(to_wareki(ymd(1926, 12, 25)), Some(w(Era::Showa, 1, 12, 25)));
    assert_eq!(to_wareki(ymd(1912, 7, 29)), Some(w(Era::Meiji, 45, 7, 29)));
    assert_eq!(to_wareki(ymd(1912, 7, 30)), Some(w(Era::Taisho, 1, 7, 30)));
    assert_eq!(to_wareki(ymd(1872, 12, 31)), None);
    assert_eq!(to_wareki(ymd(2025, 4, 1)).unwrap().format_ja(), "令和7年4月1日");
}

#[test]
fn era_metadata() {
    let names: String = Era::ALL.iter().map(|e| e.name_ja()).collect();
    assert_eq!(names, "明治大正昭和平成令和");
    let initials: String = Era::ALL.iter().map(|e| e.initial()).collect();
    assert_eq!(initials, "MTSHR");
    assert_eq!(Era::Meiji.start(), ymd(1868, 1, 25));
    assert_eq!(Era::Taisho.start(), ymd(1912, 7, 30));
    assert_eq!(Era::Showa.start(), ymd(1926, 12, 25));
    assert_eq!(Era::Heisei.start(), ymd(1989, 1, 8));
    assert_eq!(Era::Reiwa.start(), ymd(2019, 5, 1));
    assert_eq!(serde_json::to_string(&Era::Reiwa).unwrap(), "\"Reiwa\"");
}

#[test]
fn from_wareki_checks_the_era() {
    assert!(from_wareki(Era::Heisei, 31, 5, 1).is_err());
    assert!(from_wareki(Era::Reiwa, 1, 4, 30).is_err());
    assert!(from_wareki(Era::Reiwa, 0, 5, 1).is_err());
    assert_eq!(from_wareki(Era::Heisei, 31, 4, 30), Ok(ymd(2019, 4, 30)));
    assert_eq!(from_wareki(Era::Reiwa, 1, 5, 1), Ok(ymd(2019, 5, 1)));
}

#[test]
fn parsing() {
    let cases = [
        ("2025-04-01", ymd(2025, 4, 1)),
        ("2025/4/1", ymd(2025, 4, 1)),
        ("2025.4.1", ymd(2025, 4, 1)),
        ("20250401", ymd(2025, 4, 1)),
        ("2025年4月1日", ymd(2025, 4, 1)),
        ("令和7年4月1日", ymd(2025, 4, 1)),
        ("令和元年5月1日", ymd(2019, 5, 1)),
        ("R7.4.1", ymd(2025, 4, 1)),
        ("R7/4/1", ymd(2025, 4, 1)),
        ("r7.4.1", ymd(2025, 4, 1)),
        ("H31.4.30", ymd(2019, 4, 30)),
        ("S64.1.7", ymd(1989, 1, 7)),
        ("平成31年4月30日", ymd(2019, 4, 30)),
        ("令和 7年 4月 1日", ymd(2025, 4, 1)),
        ("２０２５／４／１", ymd(2025, 4, 1)),
        ("令和７年４月１日", ymd(2025, 4, 1)),
        ("Ｒ７．４．１", ymd(2025, 4, 1)),
        ("  R7.4.1\t", ymd(2025, 4, 1)),
    ];
    for (s, expected) in cases {
        assert_eq!(parse_date(s), Ok(expected), "{s}");
    }
}

#[test]
fn parse_errors_explain_themselves() {
    let empty = parse_date("").unwrap_err();
    assert_eq!(empty.kind, DateParseErrorKind::Empty);

    let unknown = parse_date("abc").unwrap_err();
    assert_eq!(unknown.kind, DateParseErrorKind::UnknownFormat);
    assert_eq!(unknown.message_ja(), "日付「abc」を読み取れません（例: 2025-04-01, 令和7年4月1日, R7.4.1）");

    let impossible = parse_date("2025-02-30").unwrap_err();
    assert_eq!(impossible.kind, DateParseErrorKind::InvalidDate);
    assert_eq!(impossible.to_string(), "日付「2025-02-30」は存在しません");

    let outside = parse_date("平成32年1月1日").unwrap_err();
    assert_eq!(outside.kind, DateParseErrorKind::OutsideEra(Era::Heisei));
    assert_eq!(outside.message_ja(), "「平成32年1月1日」は平成の期間（1989年1月8日〜2019年4月30日）外です");
    assert_eq!(outside.message_en(), "\"平成32年1月1日\" is outside the Heisei era (1989-01-08 to 2019-04-30)");
    assert_eq!(parse_date("令和元年4月30日").unwrap_err().kind, DateParseErrorKind::OutsideEra(Era::Reiwa));
}

#[test]
fn fiscal_years() {
    assert_eq!(FiscalYear::of(ymd(2026, 3, 31)), FiscalYear(2025));
    assert_eq!(FiscalYear::of(ymd(2026, 4, 1)), FiscalYear(2026));
    assert_eq!(FiscalYear(2025).label_ja(), "令和7年度");
    assert_eq!(FiscalYear(2019).label_ja(), "令和元年度");
    assert_eq!(FiscalYear(2018).label_ja(), "平成30年度");
    assert_eq!(FiscalYear(2025).label_en(), "FY2025");
    assert_eq!(FiscalYear(2025).start(), ymd(2025, 4, 1));
    assert_eq!(FiscalYear(2025).end(), ymd(2026, 3, 31));
    assert!(FiscalYear(2025).contains(ymd(2026, 3, 31)));
    assert!(!FiscalYear(2025).contains(ymd(2025, 3, 31)));
    assert!(FiscalYear(2024) < FiscalYear(2025));
    assert_eq!(serde_json::to_string(&FiscalYear(2025)).unwrap(), "2025");
}

#[test]
fn holidays() {
    assert_eq!(holiday_name(ymd(2021, 7, 22)), Some("海の日"));
    assert_eq!(holiday_name(ymd(2021, 7, 23)), Some("スポーツの日"));
    // Substitute holidays and 国民の休日 carry the dataset's own names.
    assert!(holiday_name(ymd(2021, 8, 9)).unwrap().contains("振替休日"));
    assert_eq!(holiday_name_en(ymd(2021, 8, 9)), Some("Holiday in lieu"));
    assert!(is_holiday(ymd(2025, 11, 24)));
    assert_eq!(holiday_name(ymd(2026, 9, 22)), Some("休日"));
    assert_eq!(holiday_name_en(ymd(2026, 9, 22)), Some("Citizen's Holiday"));
    assert!(is_holiday(ymd(2019, 5, 1)));
    assert!(!is_holiday(ymd(2025, 4, 1)));

    let (first, last) = holiday_data_range();
    assert_eq!(first, ymd(1970, 1, 1));
    assert!(last.year() >= 2050);
    let all = holidays_between(first, last);
    assert_eq!(all.first().map(|h| h.0), Some(first));
    assert_eq!(all.last().map(|h| h.0), Some(last));
    assert!(all.iter().all(|(d, name)| holiday_name(*d) == Some(*name)));
}

#[test]
fn business_days_around_golden_week_and_year_end() {
    let cal = BusinessCalendar::default();
    // 2025: 4/29 (Tue) 昭和の日, 5/3–5/6 holidays (5/6 振替休日).
    assert_eq!(cal.add_business_days(ymd(2025, 4, 25), 1), ymd(2025, 4, 28));
    assert_eq!(cal.add_business_days(ymd(2025, 5, 2), 1), ymd(2025, 5, 7));
    // 2026: 5/1 (Fri), then 5/2–5/6 closed.
    assert_eq!(cal.add_business_days(ymd(2026, 5, 1), 1), ymd(2026, 5, 7));
    assert_eq!(cal.add_business_days(ymd(2026, 5, 7), -1), ymd(2026, 5, 1));

    // Year-end closure 12/29–1/3 on and off (2025-12-26 is a Friday).
    let closed = BusinessCalendar { year_end_closure: true };
    let open = BusinessCalendar { year_end_closure: false };
    assert_eq!(closed.add_business_days(ymd(2025, 12, 26), 1), ymd(2026, 1, 5));
    assert_eq!(open.add_business_days(ymd(2025, 12, 26), 1), ymd(2025, 12, 29));
    assert_eq!(open.add_business_days(ymd(2025, 12, 31), 1), ymd(2026, 1, 2));
    assert!(!closed.is_business_day(ymd(2026, 1, 2)));
    assert!(open.is_business_day(ymd(2026, 1, 2)));
    assert_eq!(closed.business_days_between(ymd(2025, 12, 26), ymd(2026, 1, 5)), 1);
    assert_eq!(open.business_days_between(ymd(2025, 12, 26), ymd(2026, 1, 5)), 5);
    assert_eq!(closed.previous_business_day_on_or_before(ymd(2026, 1, 3)), ymd(2025, 12, 26));
    assert_eq!(closed.next_business_day_on_or_after(ymd(2025, 12, 29)), ymd(2026, 1, 5));
}

#[test]
fn month_arithmetic() {
    assert_eq!(add_months(ymd(2025, 1, 31), 1), ymd(2025, 2, 28));
    assert_eq!(add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
    assert_eq!(add_months(ymd(2025, 7, 31), -4), ymd(2025, 3, 31));
    assert_eq!(first_of_next_month(ymd(2025, 12, 15)), ymd(2026, 1, 1));
    assert_eq!(end_of_month(ymd(2025, 2, 1)), ymd(2025, 2, 28));
}

#[test]
fn deadline_examples() {
    let cal = BusinessCalendar::default();
    let rule = |s: &str| DeadlineRule::parse(s).unwrap();

    // 会議の7日前
    assert_eq!(DeadlineRule::days_before(7).apply(ymd(2025, 6, 10), &cal), ymd(2025, 6, 3));
    assert_eq!(rule("-7d"), DeadlineRule::days_before(7));
    // 請求から40日以内
    assert_eq!(DeadlineRule::within_days(40).apply(ymd(2025, 4, 1), &cal), ymd(2025, 5, 11));
    assert_eq!(rule("+40d").describe_ja(), "40日以内");
    // 翌月1日から6か月後
    let r = rule("next_month_start +6m");
    assert_eq!(r.apply(ymd(2025, 4, 15), &cal), ymd(2025, 11, 1));
    assert_eq!(r.describe_ja(), "翌月1日から6か月後");
    // 完了の4か月前
    assert_eq!(rule("-4m").apply(ymd(2032, 3, 31), &cal), ymd(2031, 11, 30));
    assert_eq!(rule("-4m").describe_ja(), "4か月前");
    // 5営業日後
    assert_eq!(rule("+5bd"), DeadlineRule::business_days_after(5));
    assert_eq!(rule("+5bd").describe_ja(), "5営業日後");
    assert_eq!(rule("+5bd").apply(ymd(2025, 4, 25), &cal), ymd(2025, 5, 7));
    assert_eq!(rule("+3m end_of_month").apply(ymd(2025, 11, 10), &cal), ymd(2026, 2, 28));

    // adjust=next: Saturday → Monday.
    assert_eq!(rule("+4d adjust=next").apply(ymd(2025, 6, 10), &cal), ymd(2025, 6, 16));
    assert_eq!(rule("+4d").apply(ymd(2025, 6, 10), &cal), ymd(2025, 6, 14));
    assert_eq!(rule("+4d adjust=prev").apply(ymd(2025, 6, 10), &cal), ymd(2025, 6, 13));
    // Over Golden Week: 2025-05-03 (Sat, 憲法記念日) → 5/7.
    assert_eq!(rule("+2d adjust=next").apply(ymd(2025, 5, 1), &cal), ymd(2025, 5, 7));
    // Over the year-end closure: 2025-12-29 → 2026-01-05, unless the closure is off.
    assert_eq!(rule("end_of_month -2d adjust=next").apply(ymd(2025, 12, 1), &cal), ymd(2026, 1, 5));
    let open = BusinessCalendar { year_end_closure: false };
    assert_eq!(rule("end_of_month -2d adjust=next").apply(ymd(2025, 12, 1), &open), ymd(2025, 12, 29));

    assert_eq!(rule("next_month_start +6m adjust=next").to_text(), "next_month_start +6m adjust=next");
    assert!(DeadlineRule::parse("in a week").is_err());
    let json = serde_json::to_string(&rule("+3m end_of_month adjust=prev")).unwrap();
    assert_eq!(json, r#"{"steps":[{"op":"months","n":3},{"op":"end_of_month"}],"adjust":"previous_business_day"}"#);
}
