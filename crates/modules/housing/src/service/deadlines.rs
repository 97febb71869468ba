//! 期限 (deadlines of a campaign, §8(5)ウ(ア)(ウ), §8(5)ア(ア), §8(10)(ア)g, §1(5)) and the
//! at-risk list.
//!
//! - アンケート説明会: 竣工予定日 `-4m`, 抽選会: `-3m`. The seed says 「約」, so these are targets
//!   that only warn.
//! - 本移転 support ends at 入居開始日 `+2m`. A 本移転 case not moved by then is at risk; the seed
//!   makes reporting it mandatory (「終了しない事由を調査し、県に報告する」). A case is listed when
//!   the end is within `threshold` days (default 30, §3) or has passed, unless a moving date on or
//!   before the end is already fixed (and the end has not passed).
//! - 引渡し日 `+3m` must fall by 令和14年3月末.
//!
//! Every date comes from `tabane_calendar` rules; nothing here does month arithmetic by hand.

use super::access::{self, EstateAccess};
use super::campaigns;
use crate::domain::Classification;
use crate::entities::{building, campaign, case, household, leg};
use crate::legs::{self, LegStatus};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use tabane_calendar::{BusinessCalendar, DeadlineRule};
use tabane_core::{Ctx, Result};

/// Days before the end of support from which a case without a fixed moving date is at risk.
pub const DEFAULT_THRESHOLD_DAYS: i64 = 30;

/// The rules, as calendar text.
pub const SURVEY_BRIEFING_RULE: &str = "-4m";
pub const LOTTERY_RULE: &str = "-3m";
pub const SUPPORT_END_RULE: &str = "+2m";
pub const HANDOVER_MOVING_RULE: &str = "+3m";

pub fn today() -> NaiveDate {
    tabane_core::service::deliverables::today_jst()
}

fn apply(rule: &str, anchor: NaiveDate) -> NaiveDate {
    DeadlineRule::parse(rule).expect("built-in rule").apply(anchor, &BusinessCalendar::new())
}

/// 本移転の支援の終わり: 入居開始日 + 2 months.
pub fn support_end(move_in_start: NaiveDate) -> NaiveDate {
    apply(SUPPORT_END_RULE, move_in_start)
}

/// One deadline of a campaign as the pages show it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Deadline {
    pub code: &'static str,
    pub label: &'static str,
    /// The rule and its anchor, e.g. 「竣工予定日 -4m」.
    pub rule: String,
    pub date: Option<NaiveDate>,
    /// 「約」: a target that only warns.
    pub target: bool,
    /// Days from today (negative: passed).
    pub days_left: Option<i64>,
    /// What is missing or wrong, if anything.
    pub warning: Option<String>,
}

/// An at-risk 本移転 case (no personal field).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RiskRow {
    pub case_id: i64,
    pub campaign_id: i64,
    pub building: String,
    pub room: String,
    pub status: LegStatus,
    pub support_end: NaiveDate,
    pub days_left: i64,
    pub move_planned_on: Option<NaiveDate>,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CampaignDeadlines {
    pub campaign_id: i64,
    pub campaign: String,
    pub today: NaiveDate,
    pub threshold_days: i64,
    pub deadlines: Vec<Deadline>,
    pub support_end: Option<NaiveDate>,
    pub at_risk: Vec<RiskRow>,
}

fn deadline(
    code: &'static str,
    label: &'static str,
    rule: &str,
    anchor_label: &str,
    anchor: Option<NaiveDate>,
    target: bool,
    today: NaiveDate,
) -> Deadline {
    let date = anchor.map(|a| apply(rule, a));
    let warning = match date {
        None => Some(format!("{anchor_label}が未設定です")),
        Some(d) if target && d < today => Some(format!("目安（約）の {d} を過ぎています")),
        _ => None,
    };
    Deadline {
        code,
        label,
        rule: format!("{anchor_label} {rule}"),
        date,
        target,
        days_left: date.map(|d| (d - today).num_days()),
        warning,
    }
}

/// The deadlines of one campaign (pure).
pub fn campaign_deadlines(c: &campaign::Model, today: NaiveDate) -> Vec<Deadline> {
    let mut v = vec![
        deadline(
            "survey_briefing",
            "アンケート説明会（竣工の約4か月前）",
            SURVEY_BRIEFING_RULE,
            "竣工予定日",
            c.completion_planned,
            true,
            today,
        ),
        deadline(
            "lottery",
            "住戸抽選会（竣工の約3か月前）",
            LOTTERY_RULE,
            "竣工予定日",
            c.completion_planned,
            true,
            today,
        ),
        deadline(
            "support_end",
            "本移転の支援期間の終わり（入居開始日の2か月後）",
            SUPPORT_END_RULE,
            "入居開始日",
            c.move_in_start,
            false,
            today,
        ),
    ];
    let mut h = deadline(
        "handover_moving",
        "引渡し後の移転期間（最低3か月）の終わり",
        HANDOVER_MOVING_RULE,
        "引渡し日",
        c.handover,
        false,
        today,
    );
    if let Some(d) = c.handover
        && let Err(r) = legs::check_handover(d)
    {
        h.warning = Some(r.ja);
    }
    v.push(h);
    v.push(Deadline {
        code: "final_moves",
        label: "現住居者の移転期限（令和14年3月）",
        rule: "令和14年3月31日".into(),
        date: Some(legs::final_move_deadline()),
        target: false,
        days_left: Some((legs::final_move_deadline() - today).num_days()),
        warning: None,
    });
    v
}

/// Whether a 本移転 leg is at risk, and why (pure).
pub fn risk_of(l: &leg::Model, end: NaiveDate, today: NaiveDate, threshold: i64) -> Option<String> {
    if l.moved_on.is_some() || l.closed_on.is_some() || l.cancelled_on.is_some() {
        return None;
    }
    let days = (end - today).num_days();
    if days < 0 {
        return Some(format!("支援期間（入居開始日の2か月後、{end}まで）を{}日過ぎても移転していません", -days));
    }
    if days > threshold {
        return None;
    }
    match l.move_planned_on {
        Some(p) if p <= end => None,
        Some(p) => Some(format!("移転予定日 {p} が支援期間の終わり（{end}）より後です")),
        None => Some(format!("支援期間の終わり（{end}）まで{days}日で、移転日が決まっていません")),
    }
}

/// The at-risk 本移転 cases of a campaign.
pub async fn at_risk<D: ConnectionTrait>(
    db: &D,
    c: &campaign::Model,
    today: NaiveDate,
    threshold: i64,
) -> Result<Vec<RiskRow>> {
    let Some(start) = c.move_in_start else { return Ok(vec![]) };
    let end = support_end(start);
    let cases = case::Entity::find()
        .filter(case::Column::CampaignId.eq(c.id))
        .filter(case::Column::ClosedAt.is_null())
        .order_by_asc(case::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for k in cases {
        let Some(l) = super::cases::current_leg(db, k.id).await? else { continue };
        if Classification::parse(&l.kind) != Some(Classification::Main) {
            continue;
        }
        let Some(reason) = risk_of(&l, end, today, threshold) else { continue };
        let h = household::Entity::find_by_id(k.household_id).one(db).await?;
        let b = match &h {
            Some(h) => building::Entity::find_by_id(h.building_id).one(db).await?,
            None => None,
        };
        out.push(RiskRow {
            case_id: k.id,
            campaign_id: c.id,
            building: b.map(|b| b.name).unwrap_or_default(),
            room: h.map(|h| h.room).unwrap_or_default(),
            status: LegStatus::parse(&k.status).unwrap_or(LegStatus::Planned),
            support_end: end,
            days_left: (end - today).num_days(),
            move_planned_on: l.move_planned_on,
            reason,
        });
    }
    Ok(out)
}

/// Stores the computed flag and reason on the cases of the campaign (a derived cache for the
/// case list's 「要注意」 filter); only rows whose value changes are written.
async fn sync_flags<D: ConnectionTrait>(db: &D, campaign_id: i64, risks: &[RiskRow]) -> Result<()> {
    let cases = case::Entity::find().filter(case::Column::CampaignId.eq(campaign_id)).all(db).await?;
    for k in cases {
        let r = risks.iter().find(|r| r.case_id == k.id).map(|r| r.reason.clone());
        if k.at_risk != r.is_some() || k.risk_reason != r {
            let mut am: case::ActiveModel = k.into();
            am.at_risk = Set(r.is_some());
            am.risk_reason = Set(r);
            am.update(db).await?;
        }
    }
    Ok(())
}

pub async fn for_campaign_model<D: ConnectionTrait>(
    db: &D,
    c: &campaign::Model,
    today: NaiveDate,
    threshold: i64,
) -> Result<CampaignDeadlines> {
    let risks = at_risk(db, c, today, threshold).await?;
    sync_flags(db, c.id, &risks).await?;
    Ok(CampaignDeadlines {
        campaign_id: c.id,
        campaign: c.name.clone(),
        today,
        threshold_days: threshold,
        deadlines: campaign_deadlines(c, today),
        support_end: c.move_in_start.map(support_end),
        at_risk: risks,
    })
}

/// The deadlines and at-risk list of one campaign the actor may see.
pub async fn for_campaign<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
    today: NaiveDate,
    threshold: Option<i64>,
) -> Result<CampaignDeadlines> {
    let (c, _) = campaigns::get(db, ctx, campaign_id).await?;
    for_campaign_model(db, &c, today, threshold.unwrap_or(DEFAULT_THRESHOLD_DAYS).clamp(0, 365)).await
}

/// The 本移転 cases at risk in an estate (every campaign).
pub async fn at_risk_in_estate<D: ConnectionTrait>(
    db: &D,
    acc: &EstateAccess,
    today: NaiveDate,
) -> Result<Vec<RiskRow>> {
    let mut out = Vec::new();
    for c in campaign::Entity::find()
        .filter(campaign::Column::EstateId.eq(acc.estate.id))
        .order_by_asc(campaign::Column::Id)
        .all(db)
        .await?
    {
        out.extend(for_campaign_model(db, &c, today, DEFAULT_THRESHOLD_DAYS).await?.at_risk);
    }
    Ok(out)
}

/// The dashboard: per visible estate, cases by status, the campaigns' deadlines and the at-risk list.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "HousingDashboard")]
pub struct Dashboard {
    pub today: NaiveDate,
    pub by_status: Vec<(LegStatus, u64)>,
    pub unclassified: u64,
    pub campaigns: Vec<CampaignDeadlines>,
    pub at_risk: Vec<RiskRow>,
}

pub async fn dashboard<D: ConnectionTrait>(db: &D, ctx: &Ctx, today: NaiveDate) -> Result<Dashboard> {
    let estates = access::visible_estates(db, ctx).await?;
    let ids: Vec<i64> = estates.iter().map(|a| a.estate.id).collect();
    let cases = case::Entity::find().filter(case::Column::EstateId.is_in(ids.clone())).all(db).await?;
    let by_status = LegStatus::ALL
        .iter()
        .map(|s| (*s, cases.iter().filter(|c| c.classification.is_some() && c.status == s.key()).count() as u64))
        .filter(|(_, n)| *n > 0)
        .collect();
    let unclassified = cases.iter().filter(|c| c.classification.is_none()).count() as u64;
    let mut campaigns_out = Vec::new();
    for c in campaign::Entity::find()
        .filter(campaign::Column::EstateId.is_in(ids))
        .order_by_asc(campaign::Column::Id)
        .all(db)
        .await?
    {
        campaigns_out.push(for_campaign_model(db, &c, today, DEFAULT_THRESHOLD_DAYS).await?);
    }
    let at_risk = campaigns_out.iter().flat_map(|c| c.at_risk.clone()).collect();
    Ok(Dashboard { today, by_status, unclassified, campaigns: campaigns_out, at_risk })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn targets_and_support_end() {
        let c = campaign::Model {
            id: 1,
            estate_id: 1,
            name: "x".into(),
            completion_planned: Some(d(2027, 6, 30)),
            move_in_start: Some(d(2027, 7, 1)),
            handover: Some(d(2032, 1, 15)),
            fees: "{}".into(),
            survey_id: None,
            created_at: chrono::Utc::now(),
        };
        let v = campaign_deadlines(&c, d(2027, 1, 1));
        assert_eq!(v[0].date, Some(d(2027, 2, 28)), "-4m from 6/30 clamps to the end of February");
        assert_eq!(v[1].date, Some(d(2027, 3, 30)));
        assert_eq!(v[2].date, Some(d(2027, 9, 1)));
        assert!(v[3].warning.as_deref().unwrap().contains("令和14年3月31日"));
        let late = campaign_deadlines(&c, d(2027, 3, 1));
        assert!(late[0].warning.as_deref().unwrap().contains("約"), "a passed target only warns");
    }

    #[test]
    fn risk_rules() {
        let mut l = leg::Model {
            id: 1,
            case_id: 1,
            kind: "main".into(),
            seq: 1,
            to_unit_id: None,
            to_address_enc: None,
            moving_fee: None,
            movables: None,
            forms_issued_on: None,
            forms_due_on: None,
            contract_on: None,
            first_paid_on: None,
            keys_on: None,
            move_planned_on: None,
            moved_on: None,
            vacated_on: None,
            nothing_left: None,
            keys_returned: None,
            remainder_paid_on: None,
            closed_on: None,
            cancelled_on: None,
            cancel_reason: None,
            temp_briefing_on: None,
            temp_from: None,
            temp_until: None,
            extension_reason: None,
            extension_until: None,
            delay_cause: None,
        };
        let end = d(2027, 9, 1);
        assert!(risk_of(&l, end, d(2027, 7, 1), 30).is_none(), "62 days left");
        assert!(risk_of(&l, end, d(2027, 8, 10), 30).unwrap().contains("移転日が決まっていません"));
        l.move_planned_on = Some(d(2027, 8, 20));
        assert!(risk_of(&l, end, d(2027, 8, 10), 30).is_none(), "a date before the end is fixed");
        assert!(risk_of(&l, end, d(2027, 9, 5), 30).unwrap().contains("過ぎても"));
        l.moved_on = Some(d(2027, 8, 20));
        assert!(risk_of(&l, end, d(2027, 9, 5), 30).is_none());
    }
}
