//! 会議の日程 (council meetings on the platform meeting component). A council meeting is
//! 日程未定 until the client fixes its date (R8: 「会議の日程については、その都度、委託者から示す」);
//! then the platform meeting is created in the term's series and its materials (`-7d`, 前営業日)
//! and minutes (`+7d`) get their due dates; moving the date moves them (the platform audits
//! both dates). Documents due after the contract's end carry the R2 warning.

use super::access::{self, Side, TermAccess};
use crate::domain::{self, MeetingKind, MeetingStatus};
use crate::entities::meeting;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::service::deliverables::Status;
use tabane_core::service::{audit, deliverables as deliverables_flow, meetings as platform_meetings};
use tabane_core::{Ctx, Error, Result};

/// 日程の設定・変更. The date in any form the calendar reads (令和7年7月31日, R7.7.31, 2025-07-31).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct DateForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub online_url: String,
}

/// A document of a meeting (会議資料 or 議事録) as the contract's sides see it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DocRow {
    pub role: String,
    pub title: String,
    pub instance_id: i64,
    pub deliverable_id: i64,
    /// The instance's period (what a submission names).
    pub period: String,
    pub due: Option<NaiveDate>,
    pub status: String,
    pub status_ja: String,
    pub done: bool,
    /// R2: 「提出期限 … が業務実施期間の終了日 … より後です」.
    pub warning: Option<String>,
}

/// A meeting as the actor sees it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct MeetingRow {
    pub meeting: meeting::Model,
    pub kind: MeetingKind,
    pub status: MeetingStatus,
    /// Empty for a member (drafts stay in the contract bundle) and while 日程未定.
    pub documents: Vec<DocRow>,
    /// The 研究部会 an 担当者打合せ prepares.
    pub precedes_title: Option<String>,
    /// Approved documents published to the members (every side sees these).
    pub published: Vec<crate::entities::publication::Model>,
}

async fn row<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    a: &TermAccess,
    m: meeting::Model,
    all: &[meeting::Model],
) -> Result<MeetingRow> {
    let mut documents = Vec::new();
    if a.side != Side::Member
        && let Some(mid) = m.meeting_id
    {
        let v = platform_meetings::get(db, ctx, mid).await?;
        for d in v.documents {
            let title = if d.role == "materials" { "会議資料" } else { "議事録" };
            documents.push(DocRow {
                title: format!("{} {}", m.title, title),
                role: d.role,
                instance_id: d.instance.id,
                period: d.instance.period.clone(),
                deliverable_id: d.deliverable_id,
                due: d.instance.due_date,
                status: d.status.key().into(),
                status_ja: d.status.label_ja().into(),
                done: d.status.is_done(),
                warning: if d.status == Status::Withdrawn {
                    None
                } else {
                    domain::due_after_end(d.instance.due_date, a.term.period_end)
                },
            });
        }
    }
    Ok(MeetingRow {
        kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Plenary),
        status: MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Undecided),
        published: super::publication::of_meeting(db, m.id).await?,
        precedes_title: m.precedes_id.and_then(|p| all.iter().find(|x| x.id == p)).map(|p| p.title.clone()),
        documents,
        meeting: m,
    })
}

/// The term's meetings, in order (研究部会 after the 担当者打合せ that prepares it).
pub async fn rows<C: ConnectionTrait>(db: &C, ctx: &Ctx, a: &TermAccess) -> Result<Vec<MeetingRow>> {
    let all = meeting::Entity::find()
        .filter(meeting::Column::TermId.eq(a.term.id))
        .order_by_asc(meeting::Column::Id)
        .all(db)
        .await?;
    let mut order: Vec<meeting::Model> = Vec::new();
    for m in all.iter().filter(|m| m.precedes_id.is_none()) {
        order.extend(all.iter().filter(|w| w.precedes_id == Some(m.id)).cloned());
        order.push(m.clone());
    }
    let mut out = Vec::new();
    for m in order {
        out.push(row(db, ctx, a, m, &all).await?);
    }
    Ok(out)
}

/// A meeting and the proof of the actor's access to its term.
pub async fn load<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(meeting::Model, TermAccess)> {
    let m = meeting::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::term(db, ctx, m.term_id).await?;
    Ok((m, a))
}

/// One meeting as the actor sees it, with its term's side.
pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(MeetingRow, TermAccess)> {
    let (m, a) = load(db, ctx, id).await?;
    let all = meeting::Entity::find().filter(meeting::Column::TermId.eq(a.term.id)).all(db).await?;
    Ok((row(db, ctx, &a, m, &all).await?, a))
}

/// R8: only the client's staff set or move a date.
async fn require_client(db: &impl ConnectionTrait, a: &TermAccess) -> Result<()> {
    if a.side == Side::Member && !a.staff {
        return Err(Error::NotFound);
    }
    if a.side == Side::Client && a.staff {
        return Ok(());
    }
    let client = access::client_label(db, a.term.client_org_id).await?;
    Err(Error::forbidden(
        format!("会議の日程は委託者（{client}）が設定します"),
        format!("Meeting dates are set by the client ({client})"),
    ))
}

/// 日程の設定・変更 (R5, R6, R7, R8): the platform meeting is created on the first date and
/// moved afterwards, in one transaction with this row. An 担当者打合せ must fall before its 研究部会.
pub async fn set_date<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &DateForm,
) -> Result<meeting::Model> {
    let (m, a) = load(db, ctx, id).await?;
    require_client(db, &a).await?;
    if m.status == MeetingStatus::Cancelled.key() {
        return Err(Error::conflict("中止した会議の日程は変えられません", "A cancelled meeting cannot be moved"));
    }
    if m.status == MeetingStatus::Held.key() {
        return Err(Error::conflict("開催済の会議の日程は変えられません", "A meeting already held cannot be moved"));
    }
    let date = match tabane_calendar::parse_date(&f.date) {
        Ok(d) => d,
        Err(e) => return Err(Error::invalid("date", "開催日", "Date", e.message_ja(), e.message_en())),
    };
    // R5: the 担当者打合せ precedes its 研究部会 (checked from whichever side moves).
    let all = meeting::Entity::find().filter(meeting::Column::TermId.eq(a.term.id)).all(db).await?;
    let pairs: Vec<(NaiveDate, NaiveDate)> = match m.precedes_id {
        Some(p) => all.iter().filter(|x| x.id == p).filter_map(|x| x.date).map(|pd| (date, pd)).collect(),
        None => {
            all.iter().filter(|x| x.precedes_id == Some(m.id)).filter_map(|x| x.date).map(|wd| (wd, date)).collect()
        }
    };
    for (working, plenary) in pairs {
        domain::working_before_plenary(working, plenary).map_err(|ja| {
            Error::invalid("date", "開催日", "Date", ja, "must be before the committee meeting it prepares")
        })?;
    }
    let kind = MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Plenary);
    let series = match kind {
        MeetingKind::Plenary => a.term.plenary_series_id,
        MeetingKind::Working => a.term.working_series_id,
    }
    .ok_or(Error::NotFound)?;
    let form = platform_meetings::MeetingForm {
        title: m.title.clone(),
        date: date.to_string(),
        start_time: f.start_time.clone(),
        end_time: f.end_time.clone(),
        online_url: f.online_url.clone(),
        ..Default::default()
    };
    let txn = db.begin().await?;
    let before = serde_json::to_value(&m).ok();
    let meeting_id = match m.meeting_id {
        Some(mid) => platform_meetings::update(&txn, ctx, mid, &form).await?.id,
        None => {
            let pm = platform_meetings::create(&txn, ctx, series, &form, &[]).await?;
            if kind == MeetingKind::Working {
                // R7: minutes are owed for 研究部会 only (4(5)); the 打合せ's are withdrawn, not left overdue.
                for d in platform_meetings::get(&txn, ctx, pm.id).await?.documents {
                    if d.role == "minutes" {
                        deliverables_flow::withdraw(
                            &txn,
                            ctx,
                            d.instance.id,
                            "担当者打合せの議事録は作成対象外（仕様4(5)は研究部会）",
                        )
                        .await?;
                    }
                }
            }
            pm.id
        }
    };
    let mut am = m.into_active_model();
    am.date = Set(Some(date));
    am.meeting_id = Set(Some(meeting_id));
    am.status = Set(MeetingStatus::Scheduled.key().into());
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.committee.bundle_id),
            action: "set_date",
            entity: "council_meeting",
            entity_id: m.id.to_string(),
            before,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// 開催済 (the client's staff), never before the meeting's date.
pub async fn mark_held<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<meeting::Model> {
    let (m, a) = load(db, ctx, id).await?;
    a.require_client_staff("開催済にできるのは委託者の担当者です".into(), "Only the client marks a meeting held")?;
    match m.date {
        Some(d) if d <= tabane_calendar::jst::today() => {}
        _ => {
            return Err(Error::conflict(
                "開催日より前に開催済にはできません",
                "A meeting cannot be held before its date",
            ));
        }
    }
    let txn = db.begin().await?;
    let before = serde_json::to_value(&m).ok();
    let mut am = m.into_active_model();
    am.status = Set(MeetingStatus::Held.key().into());
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.committee.bundle_id),
            action: "held",
            entity: "council_meeting",
            entity_id: m.id.to_string(),
            before,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// 会議の中止 (the client's staff, with a reason): the council meeting becomes 中止 and, when its
/// date was fixed, the platform meeting is cancelled with it, which withdraws its materials and
/// minutes (取消), so nothing stays owed or overdue for a meeting that will not take place. A held
/// meeting cannot be cancelled.
pub async fn cancel<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &platform_meetings::CancelForm,
) -> Result<meeting::Model> {
    let (m, a) = load(db, ctx, id).await?;
    a.require_client_staff("会議を中止できるのは委託者の担当者です".into(), "Only the client cancels a meeting")?;
    if f.reason.trim().is_empty() {
        return Err(Error::invalid("reason", "中止の理由", "Reason", "を入力してください", "is required"));
    }
    match MeetingStatus::parse(&m.status) {
        Some(MeetingStatus::Cancelled) => {
            return Err(Error::conflict("この会議はすでに中止されています", "This meeting is already cancelled"));
        }
        Some(MeetingStatus::Held) => {
            return Err(Error::conflict("開催済の会議は中止できません", "A held meeting cannot be cancelled"));
        }
        _ => {}
    }
    let txn = db.begin().await?;
    if let Some(platform_id) = m.meeting_id {
        platform_meetings::cancel(&txn, ctx, platform_id, f).await?;
    }
    let before = serde_json::to_value(&m).ok();
    let mut am = m.into_active_model();
    am.status = Set(MeetingStatus::Cancelled.key().into());
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.committee.bundle_id),
            action: "cancel",
            entity: "council_meeting",
            entity_id: m.id.to_string(),
            before,
            after: Some(serde_json::json!({ "status": m.status, "reason": f.reason.trim() })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}
