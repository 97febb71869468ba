//! 研究部会と年度の業務 (committee and yearly term): registering a term creates its two meeting
//! series on the platform (in the contract bundle, so drafts stay between the client and the
//! contractor) and its four meetings, 日程未定 until the client fixes each date. The term page
//! gathers what is due, what is late, the hearings against the target and the weeks without
//! a liaison meeting.

use super::access::{self, Side, TermAccess};
use super::meetings::{self, MeetingRow};
use crate::domain::{self, Coverage, HearingProgress, MeetingKind, MeetingStatus};
use crate::entities::{committee, meeting, term};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::domain::BundleRole;
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::{audit, bundle_access, bundles, meetings as platform_meetings};
use tabane_core::{Ctx, Error, Result};

/// 年度の業務の登録. The committee is found by its bundle (created with the first term).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct TermForm {
    pub committee_bundle_id: i64,
    #[serde(default)]
    pub committee_name: String,
    #[serde(default)]
    pub parent_body: String,
    #[serde(default)]
    pub established_fy: Option<i32>,
    #[serde(default)]
    pub theme: String,
    pub contract_bundle_id: i64,
    pub fiscal_year: i32,
    #[serde(default)]
    pub period_start: String,
    #[serde(default)]
    pub period_end: String,
    #[serde(default)]
    pub hearing_target: Option<i32>,
    #[serde(default)]
    pub contact_user_id: Option<i64>,
}

/// Terms the actor sees, newest first, with its side in each.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TermRow {
    pub term: term::Model,
    pub committee_name: String,
    pub side: Side,
}

pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<TermRow>> {
    let mut out = Vec::new();
    let terms = term::Entity::find().order_by_desc(term::Column::FiscalYear).all(db).await?;
    for t in terms {
        let Some(c) = committee::Entity::find_by_id(t.committee_id).one(db).await? else { continue };
        if let Ok(a) = access::of(db, ctx, t, c).await {
            out.push(TermRow { committee_name: a.committee.name.clone(), side: a.side, term: a.term });
        }
    }
    Ok(out)
}

/// Registers a term (the client's staff, owner of the contract bundle and member of the
/// committee bundle); its series and meetings in the same transaction.
pub async fn create<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, f: &TermForm) -> Result<term::Model> {
    tabane_core::policy::can_register_deliverable(ctx)?;
    let org = ctx.org_id.ok_or(Error::NotFound)?;
    if bundles::member_role(db, f.committee_bundle_id, org).await?.is_none()
        || !matches!(
            bundles::member_role(db, f.contract_bundle_id, org).await?,
            Some(BundleRole::Owner | BundleRole::Secretariat)
        )
    {
        return Err(Error::NotFound);
    }
    let mut p = Problems::default();
    let start = p.date("period_start", "契約締結日", "Contract start", &f.period_start);
    let end = p.date("period_end", "業務実施期間の終了日", "Contract end", &f.period_end);
    if f.period_start.trim().is_empty() {
        p.push("period_start", "契約締結日", "Contract start", "を入力してください", "is required");
    }
    if f.period_end.trim().is_empty() {
        p.push("period_end", "業務実施期間の終了日", "Contract end", "を入力してください", "is required");
    }
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        p.push(
            "period_end",
            "業務実施期間の終了日",
            "Contract end",
            "は契約締結日より後にしてください",
            "must be after the start",
        );
    }
    let contractor = bundle_access::contractor_of(db, f.contract_bundle_id).await?;
    if contractor.is_none() {
        p.push("contract_bundle_id", "業務委託の束", "Contract bundle", "に受注者がいません", "has no contractor");
    }
    p.into_result()?;
    let (start, end, contractor) = (start.expect("checked"), end.expect("checked"), contractor.expect("checked"));
    let txn = db.begin().await?;
    let now = Utc::now();
    let c = match committee::Entity::find()
        .filter(committee::Column::BundleId.eq(f.committee_bundle_id))
        .one(&txn)
        .await?
    {
        Some(c) => c,
        None => {
            committee::ActiveModel {
                bundle_id: Set(f.committee_bundle_id),
                name: Set(Some(f.committee_name.trim()).filter(|s| !s.is_empty()).unwrap_or("研究部会").into()),
                parent_body: Set(f.parent_body.trim().into()),
                established_fy: Set(f.established_fy.unwrap_or(f.fiscal_year)),
                theme: Set(f.theme.trim().into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let series = |title: &str, kind: &str| platform_meetings::SeriesForm {
        bundle_id: f.contract_bundle_id.to_string(),
        title: title.into(),
        kind: kind.into(),
        // The spec's defaults: R6 (b) 会議資料 前営業日, R7 議事録 翌営業日.
        adjust: "prev".into(),
        materials_rule: "-7d".into(),
        minutes_rule: "+7d".into(),
        minutes_adjust: "next".into(),
        submitter_org_id: contractor.to_string(),
    };
    let plenary = platform_meetings::create_series(&txn, ctx, &series("研究部会", "研究部会")).await?;
    let working = platform_meetings::create_series(&txn, ctx, &series("担当者打合せ", "担当者打合せ")).await?;
    let t = term::ActiveModel {
        committee_id: Set(c.id),
        fiscal_year: Set(f.fiscal_year),
        client_org_id: Set(org),
        chair_org_id: Set(None),
        contract_bundle_id: Set(f.contract_bundle_id),
        contractor_org_id: Set(contractor),
        contact_user_id: Set(f.contact_user_id),
        period_start: Set(start),
        period_end: Set(end),
        hearing_target: Set(f.hearing_target.unwrap_or(10)),
        plenary_series_id: Set(Some(plenary.id)),
        working_series_id: Set(Some(working.id)),
        survey_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::reports::register(&txn, ctx, f.fiscal_year, f.contract_bundle_id, contractor).await?;
    // R5: two 研究部会 (7月末, 9月末), each prepared by an 担当者打合せ.
    for (n, label) in [(1, "7月末"), (2, "9月末")] {
        let plenary = new_meeting(&txn, t.id, MeetingKind::Plenary, format!("第{n}回研究部会"), label, None).await?;
        new_meeting(
            &txn,
            t.id,
            MeetingKind::Working,
            format!("第{n}回担当者打合せ"),
            &format!("{label}の研究部会の前"),
            Some(plenary.id),
        )
        .await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org),
            bundle_id: Some(f.contract_bundle_id),
            action: "create",
            entity: "council_term",
            entity_id: t.id.to_string(),
            before: None,
            after: serde_json::to_value(&t).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(t)
}

async fn new_meeting<C: ConnectionTrait>(
    db: &C,
    term_id: i64,
    kind: MeetingKind,
    title: String,
    label: &str,
    precedes: Option<i64>,
) -> Result<meeting::Model> {
    Ok(meeting::ActiveModel {
        term_id: Set(term_id),
        kind: Set(kind.key().into()),
        title: Set(title),
        planned_label: Set(label.into()),
        date: Set(None),
        meeting_id: Set(None),
        precedes_id: Set(precedes),
        mode: Set("オンライン".into()),
        status: Set(MeetingStatus::Undecided.key().into()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Links the member survey to the term (the client's staff).
pub async fn set_survey<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64, survey_id: i64) -> Result<()> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_client_staff("アンケートは委託者が設定します".into(), "Only the client sets the survey")?;
    let mut am: term::ActiveModel = a.term.into();
    am.survey_id = Set(Some(survey_id));
    am.update(db).await?;
    Ok(())
}

/// A document due soon or late, for the dashboard.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DueItem {
    pub meeting_title: String,
    pub title: String,
    pub due: NaiveDate,
    /// The state in Japanese (未提出 …).
    pub status: String,
    /// The state's key (`pending` …), for the page's language.
    pub status_key: String,
}

/// 年度の業務のページ (the term dashboard).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TermView {
    pub term: term::Model,
    pub committee: committee::Model,
    pub side: Side,
    pub client_name: String,
    pub contractor_name: String,
    pub contact_name: Option<String>,
    /// 構成員 (the committee bundle's members).
    pub members: Vec<String>,
    pub meetings: Vec<MeetingRow>,
    /// Contract-side figures (None for a member).
    pub hearings: Option<HearingProgress>,
    pub liaison: Option<Coverage>,
    pub due_soon: Vec<DueItem>,
    pub late: Vec<DueItem>,
    /// 報告書 and 提言書案 (contract sides only).
    pub reports: Vec<super::reports::ReportRow>,
    pub materials_rule_ja: String,
    pub minutes_rule_ja: String,
    /// R12: no designated contact person.
    pub contact_warning: Option<String>,
}

async fn name<C: ConnectionTrait>(db: &C, id: i64) -> Result<String> {
    Ok(organisation::Entity::find_by_id(id).one(db).await?.map(|o| o.name).unwrap_or_default())
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64) -> Result<TermView> {
    let a = access::term(db, ctx, term_id).await?;
    view_of(db, ctx, a).await
}

pub async fn view_of<C: ConnectionTrait>(db: &C, ctx: &Ctx, a: TermAccess) -> Result<TermView> {
    let t = &a.term;
    let mut members = Vec::new();
    for (org, role) in bundle_access::members(db, a.committee.bundle_id).await? {
        if role == BundleRole::Member {
            members.push(name(db, org).await?);
        }
    }
    let meetings = meetings::rows(db, ctx, &a).await?;
    let contract = a.side != Side::Member;
    let today = tabane_calendar::jst::today();
    let (mut due_soon, mut late) = (Vec::new(), Vec::new());
    for m in &meetings {
        for d in &m.documents {
            let Some(due) = d.due else { continue };
            if d.done {
                continue;
            }
            let item = DueItem {
                meeting_title: m.meeting.title.clone(),
                title: d.title.clone(),
                due,
                status: d.status_ja.clone(),
                status_key: d.status.clone(),
            };
            if due < today {
                late.push(item);
            } else if due <= today + chrono::Duration::days(7) {
                due_soon.push(item);
            }
        }
    }
    let reports = super::reports::rows(db, ctx, &a).await?;
    for r in &reports {
        let Some(due) = r.due else { continue };
        if r.status.is_done() {
            continue;
        }
        let item = DueItem {
            meeting_title: String::new(),
            title: r.title.clone(),
            due,
            status: r.status_ja.clone(),
            status_key: r.status.key().into(),
        };
        if due < today {
            late.push(item);
        } else if due <= today + chrono::Duration::days(7) {
            due_soon.push(item);
        }
    }
    let (materials_rule_ja, minutes_rule_ja) = match t.plenary_series_id {
        Some(s) if contract => {
            let v = platform_meetings::get_series(db, ctx, s).await?;
            (v.materials_rule_ja, v.minutes_rule_ja)
        }
        _ => (String::new(), String::new()),
    };
    let contact_name = match t.contact_user_id {
        Some(u) => tabane_core::entities::user::Entity::find_by_id(u).one(db).await?.map(|u| u.display_name),
        None => None,
    };
    Ok(TermView {
        hearings: if contract { Some(super::hearings::progress(db, &a).await?) } else { None },
        liaison: if contract { Some(super::liaison::coverage(db, &a).await?) } else { None },
        contact_warning: (contract && contact_name.is_none())
            .then(|| "受託者の担当者（業務全般を把握している担当者）が登録されていません".to_string()),
        client_name: name(db, t.client_org_id).await?,
        contractor_name: name(db, t.contractor_org_id).await?,
        contact_name,
        members,
        meetings,
        due_soon,
        late,
        reports,
        materials_rule_ja,
        minutes_rule_ja,
        side: a.side,
        committee: a.committee.clone(),
        term: a.term.clone(),
    })
}

/// 業務実施期間 in words (「令和7年6月2日～令和7年10月31日」).
pub fn period_ja(t: &term::Model) -> String {
    format!("{}～{}", domain::wareki(t.period_start), domain::wareki(t.period_end))
}
