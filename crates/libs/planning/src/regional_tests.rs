use super::presets;
use super::*;

fn office(kind: OfficeKind, municipality: &str, prefecture: &str) -> Office {
    Office { kind, municipality: municipality.into(), prefecture: prefecture.into() }
}

fn member(name: &str, offices: Vec<Office>, investment_pct: f64) -> Firm {
    Firm {
        name: name.into(),
        position: Position::Member,
        is_consultant: false,
        offices,
        investment_pct,
        performed: vec![],
        registered_in: vec![],
        track_records: vec![],
    }
}

/// Q3-7 三条市（嵐北・大島地区）: 建設会社・造園会社・電気工事会社は市内, コンサルは市外（県内）.
fn sanjo_jv() -> Vec<Firm> {
    let mut firms = vec![
        member("建設会社甲", vec![office(OfficeKind::HeadOffice, "三条市", "新潟県")], 40.0),
        member("造園会社乙", vec![office(OfficeKind::SalesOffice, "三条市", "新潟県")], 20.0),
        member("電気工事会社丙", vec![office(OfficeKind::HeadOffice, "三条市", "新潟県")], 20.0),
        member("コンサル丁", vec![office(OfficeKind::SalesOffice, "新潟市", "新潟県")], 20.0),
    ];
    firms[3].is_consultant = true;
    firms
}

#[test]
fn sanjo_consultant_may_be_from_within_the_prefecture() {
    let checks = evaluate(&sanjo_jv(), &presets::sanjo());
    assert!(all_passed(&checks), "{checks:?}");
}

#[test]
fn sanjo_fails_and_names_the_out_of_area_members() {
    let mut firms = sanjo_jv();
    firms[3].offices = vec![office(OfficeKind::HeadOffice, "千代田区", "東京都")];
    firms[1].offices = vec![office(OfficeKind::HeadOffice, "燕市", "新潟県")];
    let checks = evaluate(&firms, &presets::sanjo());
    assert!(!checks[0].passed);
    let Some(Shortfall::Members(failing)) = &checks[0].shortfall else { panic!("{checks:?}") };
    let names: Vec<&str> = failing.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["造園会社乙", "コンサル丁"]);
    assert!(
        checks[0].message.starts_with("所在地要件: 2 社が要件を満たしていません: 造園会社乙（三条市内（本店・営業所）")
    );
}

/// Q4-3 東京都府中市: 都内（本店又は支店）, １社以上は市内（本店）, 市内企業の合計出資比率25％以上.
#[test]
fn fuchu_investment_shortfall_is_reported_in_points() {
    let firms = vec![
        member("府中建設", vec![office(OfficeKind::HeadOffice, "府中市", "東京都")], 20.0),
        member("多摩舗装", vec![office(OfficeKind::Branch, "府中市", "東京都")], 30.0),
        member("都心土木", vec![office(OfficeKind::HeadOffice, "新宿区", "東京都")], 50.0),
    ];
    let checks = evaluate(&firms, &presets::fuchu());
    assert!(checks[0].passed, "{checks:?}"); // all in 東京都
    assert!(checks[1].passed); // one 府中市 head office
    let c = &checks[2];
    assert!(!c.passed);
    // 多摩舗装 has only a branch in the city, which does not count as 市内企業（本店）.
    assert_eq!(c.message, "地元企業の出資比率が 20.0% で、要件 25% に 5.0 ポイント不足（地元企業: 府中市内（本店））");
    let Some(Shortfall::Points { short_by, .. }) = c.shortfall else { panic!() };
    assert!((short_by - 5.0).abs() < 1e-9);
}

#[test]
fn fuchu_needs_at_least_one_city_head_office() {
    let firms = vec![
        member("多摩舗装", vec![office(OfficeKind::Branch, "府中市", "東京都")], 50.0),
        member("横浜土木", vec![office(OfficeKind::HeadOffice, "横浜市", "神奈川県")], 50.0),
    ];
    let checks = evaluate(&firms, &presets::fuchu());
    assert!(!checks[0].passed);
    assert_eq!(checks[1].shortfall, Some(Shortfall::Count { actual: 0, required: 1 }));
    assert!(checks[1].message.ends_with("要件 1 社以上に 1 社不足"));
}

#[test]
fn investment_must_total_100_percent() {
    let firms = vec![member("府中建設", vec![office(OfficeKind::HeadOffice, "府中市", "東京都")], 90.0)];
    let c = &evaluate(&firms, &presets::fuchu())[2];
    assert_eq!(c.message, "出資比率の合計が 90.0% で、100% になっていません");
}

/// Q4-3 三重県明和町: 50％以上の金額を町内企業（本店）が履行, 共通業務・巡回業務を除く, 再委託含む.
#[test]
fn meiwa_performance_share_excludes_common_and_patrol() {
    let mut prime = member("県外総合建設", vec![office(OfficeKind::HeadOffice, "津市", "三重県")], 100.0);
    prime.performed = vec![(Task::Common, 10_000_000), (Task::Maintenance, 21_000_000)];
    let mut sub = member("町内工務店", vec![office(OfficeKind::HeadOffice, "明和町", "三重県")], 0.0);
    sub.position = Position::Subcontractor;
    sub.performed = vec![(Task::Repair, 19_000_000), (Task::Patrol, 5_000_000)];
    let checks = evaluate(&[prime.clone(), sub.clone()], &presets::meiwa());
    // 19 / (21 + 19) = 47.5%; counting patrol would have given 24/45 = 53.3%.
    assert_eq!(
        checks[0].message,
        "地元企業の履行割合が 47.5% で、要件 50% に 2.5 ポイント不足\
         （地元企業: 明和町内（本店）、対象金額 40,000,000 円、共通業務・巡回業務を除く）"
    );
    sub.performed.push((Task::Maintenance, 2_000_000));
    prime.performed[1].1 = 19_000_000;
    let checks = evaluate(&[prime, sub], &presets::meiwa());
    assert!(checks[0].passed, "{checks:?}"); // 21 / 40 = 52.5%
}

/// Q4-4 橿原市・大和高田市・明日香村すべてで入札参加資格.
#[test]
fn registration_in_all_municipalities() {
    let mut a = member("橿原測量", vec![office(OfficeKind::HeadOffice, "橿原市", "奈良県")], 60.0);
    a.registered_in = vec!["橿原市".into(), "大和高田市".into(), "明日香村".into()];
    let mut b = member("大和設計", vec![office(OfficeKind::HeadOffice, "奈良市", "奈良県")], 40.0);
    b.registered_in = vec!["橿原市".into()];
    let checks = evaluate(&[a, b], &presets::kashihara_yamatotakada_asuka());
    assert_eq!(
        checks[0].shortfall,
        Some(Shortfall::Members(vec![("大和設計".into(), vec!["大和高田市".into(), "明日香村".into()])]))
    );
    assert_eq!(checks[0].message, "入札参加資格: 1 社が要件を満たしていません: 大和設計（大和高田市・明日香村）");
}

/// Q4-4 島根県益田市ほか: 域内業者（本店）1者以上, 過去10年の域内橋梁点検実績 1者以上.
#[test]
fn masuda_track_record_window() {
    let area = vec!["益田市".to_string(), "X町".to_string()];
    let mut a = member("益田コンサル", vec![office(OfficeKind::HeadOffice, "益田市", "島根県")], 50.0);
    let b = member("広島技研", vec![office(OfficeKind::HeadOffice, "広島市", "広島県")], 50.0);
    a.track_records = vec![TrackRecord {
        municipality: "X町".into(),
        prefecture: "島根県".into(),
        field: "橋梁点検".into(),
        year: 2016,
    }];
    let checks = evaluate(&[a.clone(), b.clone()], &presets::masuda_area(area.clone(), 2025));
    assert!(all_passed(&checks), "{checks:?}");
    a.track_records[0].year = 2014; // outside 2015..
    let checks = evaluate(&[a, b], &presets::masuda_area(area, 2025));
    assert!(checks[0].passed);
    assert_eq!(checks[1].shortfall, Some(Shortfall::Count { actual: 0, required: 1 }));
    assert!(checks[1].message.contains("2015年度以降に域内（益田市・X町）の橋梁点検の受注実績"));
}

#[test]
fn hasami_requires_both_registrations_and_a_prefectural_record() {
    let mut a = member("波佐見建設", vec![office(OfficeKind::HeadOffice, "波佐見町", "長崎県")], 100.0);
    a.registered_in = vec!["波佐見町".into(), "東彼杵町".into()];
    a.track_records = vec![TrackRecord {
        municipality: "佐世保市".into(),
        prefecture: "長崎県".into(),
        field: "橋梁点検".into(),
        year: 2020,
    }];
    assert!(all_passed(&evaluate(&[a.clone()], &presets::hasami_higashisonogi())));
    a.registered_in.pop();
    assert!(!all_passed(&evaluate(&[a], &presets::hasami_higashisonogi())));
}

#[test]
fn subcontractors_are_not_checked_for_location() {
    let mut firms = sanjo_jv();
    let mut sub = member("県外下請", vec![office(OfficeKind::HeadOffice, "高崎市", "群馬県")], 0.0);
    sub.position = Position::Subcontractor;
    firms.push(sub);
    assert!(all_passed(&evaluate(&firms, &presets::sanjo())));
}

#[test]
fn empty_jv_fails_all_quorum() {
    let checks = evaluate(&[], &presets::odate());
    assert!(!checks[0].passed);
    assert_eq!(checks[0].message, "所在地要件: 構成員がいません");
}
