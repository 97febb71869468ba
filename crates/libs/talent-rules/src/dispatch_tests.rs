use super::*;
use proptest::prelude::*;
use tabane_calendar::is_holiday;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn assignment(municipality: &str, weekdays: &[Weekday]) -> WeeklyAssignment {
    WeeklyAssignment {
        municipality: municipality.to_owned(),
        weekdays: weekdays.to_vec(),
        from: day(2025, 9, 1),
        to: day(2026, 3, 31),
    }
}

fn shimoda() -> WeeklyAssignment {
    assignment("下田市", &[Weekday::Mon, Weekday::Tue])
}

fn kawazu() -> WeeklyAssignment {
    assignment("河津町", &[Weekday::Thu, Weekday::Fri])
}

/// Acceptance check 5; spec R11: person T in September 2025.
#[test]
fn september_2025_for_person_t() {
    let s = month_plan(&shimoda(), 2025, 9).unwrap();
    let dates: Vec<u32> = s.dates.iter().map(|d| d.day()).collect();
    assert_eq!(dates, [1, 2, 8, 9, 16, 22, 29, 30]);
    let skipped: Vec<String> = s.skipped.iter().map(SkippedDay::label_ja).collect();
    assert_eq!(skipped, ["9/15 敬老の日", "9/23 秋分の日"]);
    let k = month_plan(&kawazu(), 2025, 9).unwrap();
    let dates: Vec<u32> = k.dates.iter().map(|d| d.day()).collect();
    assert_eq!(dates, [4, 5, 11, 12, 18, 19, 25, 26]);
    assert!(k.skipped.is_empty());
    let counts = monthly_counts(&[shimoda(), kawazu()], 2025, 9).unwrap();
    assert_eq!(counts, [("下田市".to_owned(), 8), ("河津町".to_owned(), 8)]);
}

/// Spec R11: October 2025 — 10/13 スポーツの日 is skipped, 7 days at 下田市.
#[test]
fn october_2025_skips_sports_day() {
    let s = month_plan(&shimoda(), 2025, 10).unwrap();
    assert_eq!(s.dates.len(), 7);
    assert_eq!(s.skipped.iter().map(SkippedDay::label_ja).collect::<Vec<_>>(), ["10/13 スポーツの日"]);
}

/// The 年末年始 closure (12/29–1/3) is skipped even where it is not a 祝日.
#[test]
fn year_end_closure_is_skipped() {
    let s = visit_dates(&shimoda(), day(2025, 12, 29), day(2026, 1, 6)).unwrap();
    // 12/29 月, 12/30 火 closed; 1/5 月, 1/6 火 worked.
    assert_eq!(s.dates, [day(2026, 1, 5), day(2026, 1, 6)]);
    assert_eq!(s.skipped.len(), 2);
    assert_eq!(s.skipped[0].reason_ja, "年末年始（閉庁）");
}

/// Acceptance check 5 (second half); spec R11: a clash on 火, none on 水, a warning on 土.
#[test]
fn clashes_and_warnings() {
    let existing = [shimoda(), kawazu()];
    let tue = check_new_assignment(&existing, &assignment("南伊豆町", &[Weekday::Tue])).unwrap_err();
    assert_eq!(tue.to_string(), "火曜日は既に下田市への派遣が予定されています（2025-09-01〜2026-03-31）");
    assert!(tue.is_conflict());
    let wed = check_new_assignment(&existing, &assignment("南伊豆町", &[Weekday::Wed])).unwrap();
    assert_eq!(wed.days_per_week, 5);
    assert!(wed.warnings.is_empty());
    let sat = check_new_assignment(&existing, &assignment("南伊豆町", &[Weekday::Sat])).unwrap();
    assert_eq!(sat.warnings, ["土曜日は開庁日ではありません"]);
}

/// Periods that do not overlap may share a weekday.
#[test]
fn same_weekday_in_later_period_is_fine() {
    let mut next_year = assignment("南伊豆町", &[Weekday::Tue]);
    next_year.from = day(2026, 4, 1);
    next_year.to = day(2027, 3, 31);
    let r = check_new_assignment(&[shimoda()], &next_year).unwrap();
    assert_eq!(r.days_per_week, 1);
}

#[test]
fn bad_input_names_the_field() {
    let mut a = shimoda();
    a.weekdays.clear();
    assert_eq!(month_plan(&a, 2025, 9).unwrap_err().to_string(), "「派遣曜日」が入力されていません");
    let mut b = shimoda();
    b.to = day(2025, 8, 1);
    assert_eq!(check_new_assignment(&[], &b).unwrap_err().to_string(), "「派遣期間」の終了が開始より前です");
    assert!(month_plan(&shimoda(), 2025, 13).is_err());
}

fn weekday() -> impl Strategy<Value = Weekday> {
    (0u32..7).prop_map(|n| Weekday::try_from(n as u8).unwrap())
}

proptest! {
    /// Every visit date is an assigned weekday inside the period and not closed; every assigned
    /// weekday of the period is either visited or skipped with a reason.
    #[test]
    fn visit_dates_cover_the_period(
        start in 0i64..4000,
        len in 0i64..120,
        days in prop::collection::vec(weekday(), 1..4),
    ) {
        let from = day(2020, 1, 1) + chrono::Duration::days(start);
        let a = WeeklyAssignment { municipality: "A市".into(), weekdays: days.clone(), from, to: from + chrono::Duration::days(len) };
        let plan = visit_dates(&a, a.from, a.to).unwrap();
        for d in &plan.dates {
            prop_assert!(days.contains(&d.weekday()) && *d >= a.from && *d <= a.to);
            prop_assert!(!is_holiday(*d) && !BusinessCalendar::is_year_end_period(*d));
        }
        let scheduled = a.from.iter_days().take_while(|d| *d <= a.to).filter(|d| days.contains(&d.weekday())).count();
        prop_assert_eq!(plan.dates.len() + plan.skipped.len(), scheduled);
    }

    /// A new assignment that passes the check shares no weekday with an overlapping one.
    #[test]
    fn accepted_assignments_never_share_a_weekday(
        a in prop::collection::vec(weekday(), 1..4),
        b in prop::collection::vec(weekday(), 1..4),
    ) {
        let first = WeeklyAssignment { municipality: "A市".into(), weekdays: a.clone(), from: day(2025, 4, 1), to: day(2026, 3, 31) };
        let second = WeeklyAssignment { municipality: "B町".into(), weekdays: b.clone(), from: day(2025, 10, 1), to: day(2026, 9, 30) };
        let shared = b.iter().any(|w| a.contains(w));
        prop_assert_eq!(check_new_assignment(&[first], &second).is_err(), shared);
    }
}
