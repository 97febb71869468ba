//! アドバイザー派遣の年間枠 (yearly quotas of the two advisor schemes; spec R8–R10).
//!
//! * DXアドバイザー (経営・財務マネジメント強化事業): 「年間原則5回以内（２時間以上／回）」 (line 554).
//!   「原則」 means an exception is possible, so by default a 6th visit is a warning that needs a
//!   reason (例外理由); [`QuotaPolicy::Strict`] refuses it instead.
//! * 地域情報化アドバイザー: 「現地派遣であれば年間3回まで、オンライン会議のみであれば合計10時間の
//!   範囲内」 (line 634), with rules on who may apply (line 624–628).
//!
//! Both count per applicant and 年度 (April–March, from `tabane-calendar`).

use crate::error::{Field, TalentRuleError, required};
use crate::text::{fy_ja, weekday_ja};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use tabane_calendar::{FiscalYear, holiday_name};

/// 実施形態.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VisitMode {
    /// 実地（現地派遣）
    OnSite,
    /// オンライン
    Online,
}

/// アドバイザー派遣 (one visit or session, already recorded or proposed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdvisorVisit {
    pub date: NaiveDate,
    pub mode: VisitMode,
    /// 時間 in minutes, so that 2.5 hours is exact.
    pub minutes: u32,
}

/// How a 「原則」 limit is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum QuotaPolicy {
    /// 原則: over the quota is a warning that needs an exception reason (default).
    #[default]
    Principle,
    /// 厳格: over the quota is refused.
    Strict,
}

/// DXアドバイザーの枠 (line 554): 5 visits a 年度, 2 hours or more each.
pub const DX_QUOTA: u32 = 5;
/// 1回2時間以上 (line 554).
pub const DX_MIN_MINUTES: u32 = 120;
/// 地域情報化アドバイザー: 現地派遣 年間3回まで (line 634).
pub const REGIONAL_ONSITE_QUOTA: u32 = 3;
/// 地域情報化アドバイザー: オンライン会議のみ 合計10時間 (line 634).
pub const REGIONAL_ONLINE_MINUTES: u32 = 600;

/// DXアドバイザー派遣の確認結果.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DxVisitCheck {
    pub fiscal_year: FiscalYear,
    /// この派遣が年度内の何回目か (1-based).
    pub number_in_year: u32,
    pub warnings: Vec<String>,
    /// Over 「原則5回」 and no 例外理由 given: the visit may not be saved until one is.
    pub needs_exception_reason: bool,
    /// 自治体の負担: always 0円, costs borne by 地方公共団体金融機構 (line 557–558).
    pub municipal_cost_yen: i64,
}

/// Checks a proposed DXアドバイザー visit against the applicant's visits already recorded (any
/// 年度; only those in the new visit's 年度 count). `exception_reason` is the 例外理由, if given.
pub fn check_dx_visit(
    recorded: &[AdvisorVisit],
    new: &AdvisorVisit,
    policy: QuotaPolicy,
    exception_reason: Option<&str>,
) -> Result<DxVisitCheck, TalentRuleError> {
    if new.minutes == 0 {
        return Err(TalentRuleError::Missing { field: Field::new("派遣時間", "duration") });
    }
    let fy = FiscalYear::of(new.date);
    let used = recorded.iter().filter(|v| fy.contains(v.date)).count() as u32;
    let mut warnings = day_warnings(new.date);
    let mut needs_exception_reason = false;
    if used >= DX_QUOTA {
        if policy == QuotaPolicy::Strict {
            return Err(TalentRuleError::DxAdvisorQuota { quota: DX_QUOTA, used, fiscal_year: fy_ja(fy) });
        }
        warnings
            .push(format!("DXアドバイザーの派遣は年度内原則{DX_QUOTA}回以内です（{}は{used}回利用済み）", fy_ja(fy)));
        match exception_reason {
            Some(r) => required(Field::new("例外理由", "reason for the exception"), r)?,
            None => needs_exception_reason = true,
        }
    }
    if new.minutes < DX_MIN_MINUTES {
        // Still counted: the seed states an expectation (想定), not a condition.
        warnings.push("1回2時間以上が想定されています".to_owned());
    }
    Ok(DxVisitCheck {
        fiscal_year: fy,
        number_in_year: used + 1,
        warnings,
        needs_exception_reason,
        municipal_cost_yen: 0,
    })
}

/// Weekend and 祝日 warnings: the seed's own example dates fall on weekends (spec §9.7), so these
/// warn and never refuse.
fn day_warnings(d: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        out.push(format!("{}曜日です", weekday_ja(d.weekday())));
    }
    if let Some(name) = holiday_name(d) {
        out.push(format!("祝日（{name}）です"));
    }
    out
}

/// 地域情報化アドバイザーの申請者の種類 (line 624–628).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RegionalApplicantKind {
    /// 地方公共団体
    LocalGovernment,
    /// NPO・大学・商工会議所等
    NpoUniversityChamber,
    /// 地場企業等 (from 令和7年度)
    LocalCompany,
}

/// 推薦者.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Recommender {
    /// 総合通信局
    BureauOfTelecommunications,
    /// 地方公共団体
    LocalGovernment,
}

/// 申請者 (who applies for a 地域情報化アドバイザー, with what support).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionalApplicant {
    pub kind: RegionalApplicantKind,
    pub recommended_by: Option<Recommender>,
    /// 地方公共団体等と共同で事業を実施していること (line 627–628).
    pub joint_project_with_local_government: bool,
}

/// The year 地場企業 became eligible: 「令和７年度より拡充」 (line 628).
const LOCAL_COMPANY_FROM: FiscalYear = FiscalYear(2025);

/// Whether `applicant` may apply in `fy` (line 624–628).
pub fn check_regional_applicant(applicant: &RegionalApplicant, fy: FiscalYear) -> Result<(), TalentRuleError> {
    let refuse = |message_ja, message_en| Err(TalentRuleError::RegionalApplicantNotEligible { message_ja, message_en });
    match applicant.kind {
        RegionalApplicantKind::LocalGovernment => Ok(()),
        RegionalApplicantKind::NpoUniversityChamber => match applicant.recommended_by {
            Some(_) => Ok(()),
            None => refuse(
                "NPO・大学・商工会議所等が申請する場合は、総合通信局又は地方公共団体の推薦が必要です",
                "an NPO, university or chamber of commerce needs a recommendation from the regional bureau or a local government",
            ),
        },
        RegionalApplicantKind::LocalCompany if fy < LOCAL_COMPANY_FROM => {
            refuse("地場企業等の申請は令和7年度からです", "local companies may apply from FY2025")
        }
        RegionalApplicantKind::LocalCompany => {
            if applicant.recommended_by == Some(Recommender::LocalGovernment)
                && applicant.joint_project_with_local_government
            {
                Ok(())
            } else {
                refuse(
                    "地場企業の申請には、地方公共団体の推薦に加え、地方公共団体等と共同で事業を実施していることが必要です",
                    "a local company needs a local government's recommendation and a joint project with a local government",
                )
            }
        }
    }
}

/// 地域情報化アドバイザー派遣の確認結果.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionalVisitCheck {
    pub fiscal_year: FiscalYear,
    /// 現地派遣の利用回数 including this one if on site.
    pub onsite_used: u32,
    /// オンラインの合計分数 including this one if online.
    pub online_minutes_used: u32,
    pub warnings: Vec<String>,
    /// The reading taken (spec R9 ambiguity): both limits apply independently.
    pub reading_note_ja: &'static str,
}

/// Checks a proposed 地域情報化アドバイザー session against the applicant's recorded ones.
///
/// *Reading (a)*, the default: ≤ 3 on-site visits and ≤ 10 hours online are separate limits even in
/// a year that has both; the seed's 「オンライン会議のみであれば」 could also mean the 10 hours apply
/// only to years with no on-site visit (reading (b)). The result says which reading was used.
pub fn check_regional_visit(
    recorded: &[AdvisorVisit],
    new: &AdvisorVisit,
) -> Result<RegionalVisitCheck, TalentRuleError> {
    if new.minutes == 0 {
        return Err(TalentRuleError::Missing { field: Field::new("派遣時間", "duration") });
    }
    let fy = FiscalYear::of(new.date);
    let in_year = || recorded.iter().filter(|v| fy.contains(v.date));
    let mut onsite = in_year().filter(|v| v.mode == VisitMode::OnSite).count() as u32;
    let mut online: u32 = in_year().filter(|v| v.mode == VisitMode::Online).map(|v| v.minutes).sum();
    match new.mode {
        VisitMode::OnSite => {
            if onsite >= REGIONAL_ONSITE_QUOTA {
                return Err(TalentRuleError::RegionalOnsiteQuota { quota: REGIONAL_ONSITE_QUOTA });
            }
            onsite += 1;
        }
        VisitMode::Online => {
            if online.saturating_add(new.minutes) > REGIONAL_ONLINE_MINUTES {
                return Err(TalentRuleError::RegionalOnlineHours {
                    quota_minutes: REGIONAL_ONLINE_MINUTES,
                    remaining_minutes: REGIONAL_ONLINE_MINUTES.saturating_sub(online),
                });
            }
            online += new.minutes;
        }
    }
    Ok(RegionalVisitCheck {
        fiscal_year: fy,
        onsite_used: onsite,
        online_minutes_used: online,
        warnings: day_warnings(new.date),
        reading_note_ja: "現地派遣（年3回）とオンライン（年10時間）の上限は別々に数えています（資料 line 634 の読み方、要確認）",
    })
}

/// 併用の表示 (spec R10, line 687–700): both counters side by side for a 年度,
/// e.g. 「DX 5/5（原則）・地域情報化 現地 3/3」.
pub fn combined_counter_ja(dx_visits: &[AdvisorVisit], regional_visits: &[AdvisorVisit], fy: FiscalYear) -> String {
    let dx = dx_visits.iter().filter(|v| fy.contains(v.date)).count();
    let onsite = regional_visits.iter().filter(|v| fy.contains(v.date) && v.mode == VisitMode::OnSite).count();
    format!("DX {dx}/{DX_QUOTA}（原則）・地域情報化 現地 {onsite}/{REGIONAL_ONSITE_QUOTA}")
}

#[cfg(test)]
#[path = "advisor_tests.rs"]
mod tests;
