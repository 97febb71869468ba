use super::*;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn visit(date: NaiveDate, mode: VisitMode, minutes: u32) -> AdvisorVisit {
    AdvisorVisit { date, mode, minutes }
}

/// The seed's 併用イメージ (line 699): DX ①6/9 ②7/10 ③8/10 ④9/11 ⑤10/10, here in 令和7年度.
fn kawazu_dx_r7() -> Vec<AdvisorVisit> {
    [(6, 9), (7, 10), (8, 10), (9, 11), (10, 10)].map(|(m, d)| visit(day(2025, m, d), VisitMode::OnSite, 120)).to_vec()
}

/// Acceptance check 4; spec R8: a 6th DX visit in 令和7年度 warns and needs an exception reason.
#[test]
fn sixth_dx_visit_needs_a_reason() {
    let sixth = visit(day(2025, 11, 10), VisitMode::OnSite, 120);
    let r = check_dx_visit(&kawazu_dx_r7(), &sixth, QuotaPolicy::Principle, None).unwrap();
    assert_eq!(r.number_in_year, 6);
    assert!(r.needs_exception_reason);
    assert_eq!(r.warnings, ["DXアドバイザーの派遣は年度内原則5回以内です（令和7年度は5回利用済み）"]);
    assert_eq!(r.municipal_cost_yen, 0);
    let with_reason =
        check_dx_visit(&kawazu_dx_r7(), &sixth, QuotaPolicy::Principle, Some("標準化移行の最終確認")).unwrap();
    assert!(!with_reason.needs_exception_reason);
    let strict = check_dx_visit(&kawazu_dx_r7(), &sixth, QuotaPolicy::Strict, None).unwrap_err();
    assert_eq!(strict.to_string(), "DXアドバイザーの派遣は年度内原則5回以内です（令和7年度は5回利用済み）");
    assert!(strict.is_conflict());
}

/// Spec R8: 2026-04-01 is in 令和8年度 — 1 of 5; 2025-08-10 is a Sunday — a warning only.
#[test]
fn dx_visits_count_per_fiscal_year_and_weekends_warn() {
    let april =
        check_dx_visit(&kawazu_dx_r7(), &visit(day(2026, 4, 1), VisitMode::Online, 120), QuotaPolicy::Strict, None)
            .unwrap();
    assert_eq!(april.fiscal_year, FiscalYear(2026));
    assert_eq!(april.number_in_year, 1);
    let sunday =
        check_dx_visit(&[], &visit(day(2025, 8, 10), VisitMode::OnSite, 120), QuotaPolicy::Strict, None).unwrap();
    assert_eq!(sunday.warnings, ["日曜日です"]);
    let short =
        check_dx_visit(&[], &visit(day(2025, 8, 12), VisitMode::Online, 90), QuotaPolicy::Strict, None).unwrap();
    assert_eq!(short.warnings, ["1回2時間以上が想定されています"]);
    assert_eq!(short.number_in_year, 1);
}

/// Acceptance check 4; spec R9: a 4th on-site 地域情報化 visit is refused.
#[test]
fn fourth_onsite_regional_visit_is_refused() {
    let recorded: Vec<AdvisorVisit> = [10, 11, 12].map(|d| visit(day(2025, 11, d), VisitMode::OnSite, 120)).to_vec();
    let e = check_regional_visit(&recorded, &visit(day(2025, 12, 10), VisitMode::OnSite, 120)).unwrap_err();
    assert_eq!(e.to_string(), "地域情報化アドバイザーの現地派遣は年間3回までです");
    assert!(e.is_conflict());
}

/// Acceptance check 4; spec R9: online only, 9.5 h used; +1 h refused with 残り0.5時間, +0.5 h accepted.
#[test]
fn online_hours_limit() {
    let recorded: Vec<AdvisorVisit> =
        [(6, 180), (7, 240), (8, 150)].map(|(m, min)| visit(day(2025, m, 1), VisitMode::Online, min)).to_vec();
    let e = check_regional_visit(&recorded, &visit(day(2025, 9, 1), VisitMode::Online, 60)).unwrap_err();
    assert_eq!(e.to_string(), "オンラインのみの場合は年間合計10時間までです（残り0.5時間）");
    let ok = check_regional_visit(&recorded, &visit(day(2025, 9, 1), VisitMode::Online, 30)).unwrap();
    assert_eq!(ok.online_minutes_used, 600);
    assert!(ok.reading_note_ja.contains("別々"));
}

/// Spec R9 (line 624–628): who may apply.
#[test]
fn regional_applicants() {
    let r7 = FiscalYear(2025);
    let applicant = |kind, recommended_by, joint| RegionalApplicant {
        kind,
        recommended_by,
        joint_project_with_local_government: joint,
    };
    assert!(check_regional_applicant(&applicant(RegionalApplicantKind::LocalGovernment, None, false), r7).is_ok());
    let npo = check_regional_applicant(&applicant(RegionalApplicantKind::NpoUniversityChamber, None, false), r7);
    assert_eq!(
        npo.unwrap_err().to_string(),
        "NPO・大学・商工会議所等が申請する場合は、総合通信局又は地方公共団体の推薦が必要です"
    );
    let npo_ok =
        applicant(RegionalApplicantKind::NpoUniversityChamber, Some(Recommender::BureauOfTelecommunications), false);
    assert!(check_regional_applicant(&npo_ok, r7).is_ok());
    let company = applicant(RegionalApplicantKind::LocalCompany, Some(Recommender::LocalGovernment), false);
    assert_eq!(
        check_regional_applicant(&company, r7).unwrap_err().to_string(),
        "地場企業の申請には、地方公共団体の推薦に加え、地方公共団体等と共同で事業を実施していることが必要です"
    );
    let company_ok = applicant(RegionalApplicantKind::LocalCompany, Some(Recommender::LocalGovernment), true);
    assert!(check_regional_applicant(&company_ok, r7).is_ok());
    assert!(check_regional_applicant(&company_ok, FiscalYear(2024)).is_err());
}

/// Spec R10: the seed's 併用 example shows both counters full.
#[test]
fn combined_counter() {
    let regional: Vec<AdvisorVisit> = [10, 11, 12].map(|d| visit(day(2025, 11, d), VisitMode::OnSite, 120)).to_vec();
    assert_eq!(
        combined_counter_ja(&kawazu_dx_r7(), &regional, FiscalYear(2025)),
        "DX 5/5（原則）・地域情報化 現地 3/3"
    );
}

proptest! {
    /// Under the strict setting, no sequence of accepted visits exceeds 5 in a 年度, and the online
    /// total of accepted 地域情報化 sessions never exceeds 10 hours.
    #[test]
    fn accepted_visits_stay_within_quotas(offsets in prop::collection::vec((0i64..365, 1u32..300), 0..20)) {
        let mut dx = Vec::new();
        let mut regional = Vec::new();
        for (off, minutes) in offsets {
            let v = visit(day(2025, 4, 1) + chrono::Duration::days(off), VisitMode::Online, minutes);
            if check_dx_visit(&dx, &v, QuotaPolicy::Strict, None).is_ok() {
                dx.push(v.clone());
            }
            if check_regional_visit(&regional, &v).is_ok() {
                regional.push(v);
            }
        }
        prop_assert!(dx.len() as u32 <= DX_QUOTA);
        prop_assert!(regional.iter().map(|v| v.minutes).sum::<u32>() <= REGIONAL_ONLINE_MINUTES);
    }
}
