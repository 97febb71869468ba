use crate::level::{MonitoringRecord, Observation, Source};
use crate::output::compare;
use crate::schedule::*;
use crate::value::{Quantity, YearMonth};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn line(place: &str, month: u32, planned: u64, sm: Option<NaiveDate>) -> ScheduleLine {
    ScheduleLine {
        item_code: "除草".into(),
        owner: "福島県".into(),
        month: YearMonth::new(2025, month).unwrap(),
        place: place.into(),
        method: "肩掛式草刈機".into(),
        planned: Quantity::units(planned),
        level_id: Some("L2".into()),
        self_monitoring_on: sm,
    }
}

#[test]
fn the_schedule_gives_the_monthly_plan() {
    let lines =
        vec![line("国道252号", 6, 3000, None), line("県道只見線", 6, 1200, None), line("国道252号", 7, 3000, None)];
    let plan = plan_entries(&lines).unwrap();
    let r = compare(&plan, &[]).unwrap();
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0].planned, Quantity::units(4200));
    assert_eq!(r.totals[0].planned, Quantity::units(7200));
}

#[test]
fn passed_self_monitoring_dates_without_a_record_are_listed() {
    let lines = vec![
        line("国道252号", 6, 3000, Some(d(2025, 6, 20))),
        line("県道只見線", 7, 1200, Some(d(2025, 7, 10))),
        line("国道252号", 7, 3000, Some(d(2025, 7, 25))), // not yet due on 7/20
    ];
    let records = vec![MonitoringRecord {
        id: "s1".into(),
        level_id: "L2".into(),
        owner: "福島県".into(),
        date: d(2025, 6, 24),
        source: Source::SelfMonitoring,
        observation: Observation::Measured(Quantity::units(12)),
        note: String::new(),
    }];
    let missed = missed_self_monitoring(&lines, &records, d(2025, 7, 20)).unwrap();
    assert_eq!(missed.len(), 1);
    assert_eq!((missed[0].place.as_str(), missed[0].due), ("県道只見線", d(2025, 7, 10)));
}

#[test]
fn a_row_missing_a_column_is_refused_by_field() {
    let mut l = line("国道252号", 6, 1, None);
    l.method = String::new();
    assert_eq!(validate(&[l]).unwrap_err().to_string(), "「実施方法」が入力されていません");
    let mut l = line("国道252号", 6, 1, Some(d(2025, 6, 1)));
    l.level_id = None;
    assert_eq!(validate(&[l]).unwrap_err().field().en, "requirement level id");
}
