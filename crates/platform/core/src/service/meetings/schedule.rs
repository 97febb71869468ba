//! 日程 (scheduling): a meeting is created with its documents' due dates, moved (the due dates
//! follow, old and new audited), or cancelled (its documents withdrawn with the reason).

use super::{due_on, load_meeting, load_series};
use crate::context::Ctx;
use crate::entities::{
    deliverable, deliverable_instance, meeting, meeting_action, meeting_agenda_item, meeting_document,
    meeting_participant, membership,
};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use crate::service::deliverables::{Status, new_instance};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// 会議の登録・変更. The date in any form the calendar reads (令和8年5月13日, 2026-05-13); times as
/// `14:00` in JST (default 14:00–16:00); participants by organisation and user ids.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct MeetingForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub online_url: String,
    #[serde(default)]
    pub participant_org_ids: Vec<i64>,
    #[serde(default)]
    pub participant_user_ids: Vec<i64>,
}

/// 会議の中止 (the reason is required and given to the withdrawn documents).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct CancelForm {
    #[serde(default)]
    pub reason: String,
}

struct Valid {
    date: NaiveDate,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    place: Option<String>,
    online_url: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn time(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str, default: NaiveTime) -> NaiveTime {
    let t = v.trim().replace('：', ":");
    if t.is_empty() {
        return default;
    }
    NaiveTime::parse_from_str(&t, "%H:%M").unwrap_or_else(|_| {
        p.push(field, ja, en, format!("「{v}」は 14:00 の形で入力してください"), "must look like 14:00");
        default
    })
}

fn validate(f: &MeetingForm) -> Result<Valid> {
    let mut p = Problems::default();
    let date = if f.date.trim().is_empty() {
        p.push("date", "開催日", "Date", "を入力してください", "is required");
        None
    } else {
        tabane_calendar::parse_date(&f.date)
            .map_err(|e| p.push("date", "開催日", "Date", e.message_ja(), e.message_en()))
            .ok()
    };
    let two = NaiveTime::from_hms_opt(14, 0, 0).expect("valid");
    let start = time(&mut p, "start_time", "開始時刻", "Start", &f.start_time, two);
    let end = time(&mut p, "end_time", "終了時刻", "End", &f.end_time, start + chrono::TimeDelta::hours(2));
    if end <= start {
        p.push("end_time", "終了時刻", "End", "が開始時刻より後になるよう入力してください", "must be after the start");
    }
    let online_url = opt(&f.online_url);
    if online_url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
        p.push(
            "online_url",
            "オンライン会議のURL",
            "Online URL",
            "は https:// で始まるURLを入力してください",
            "must start with https://",
        );
    }
    p.into_result()?;
    let date = date.expect("checked");
    let at = |t: NaiveTime| tabane_calendar::jst::start_of(date) + (t - NaiveTime::MIN);
    Ok(Valid { date, starts_at: at(start), ends_at: at(end), place: opt(&f.place), online_url })
}

fn day_of(m: &meeting::Model) -> NaiveDate {
    tabane_calendar::jst::date_of(m.starts_at)
}

/// Participants must be organisations in the series' bundle (or the organiser) and users of them.
async fn set_participants<C: ConnectionTrait>(
    txn: &C,
    meeting_id: i64,
    allowed_orgs: &[i64],
    f: &MeetingForm,
) -> Result<()> {
    let mut p = Problems::default();
    if f.participant_org_ids.iter().any(|o| !allowed_orgs.contains(o)) {
        p.push(
            "participant_org_ids",
            "出席団体",
            "Participating organisations",
            "は会議体の構成団体から選んでください",
            "must be members of the series' bundle",
        );
    }
    let ms = membership::Entity::find()
        .filter(membership::Column::UserId.is_in(f.participant_user_ids.clone()))
        .all(txn)
        .await?;
    if f.participant_user_ids.iter().any(|u| !ms.iter().any(|m| m.user_id == *u && allowed_orgs.contains(&m.org_id))) {
        p.push(
            "participant_user_ids",
            "出席者",
            "Participants",
            "は構成団体の職員から選んでください",
            "must be staff of the members",
        );
    }
    p.into_result()?;
    meeting_participant::Entity::delete_many()
        .filter(meeting_participant::Column::MeetingId.eq(meeting_id))
        .exec(txn)
        .await?;
    let rows = f
        .participant_org_ids
        .iter()
        .map(|o| (Some(*o), None))
        .chain(f.participant_user_ids.iter().map(|u| (None, Some(*u))));
    for (org_id, user_id) in rows {
        meeting_participant::ActiveModel {
            meeting_id: Set(meeting_id),
            org_id: Set(org_id),
            user_id: Set(user_id),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// 会議の登録: the series' staff add a meeting. Its agenda starts with the items a module
/// contributes (`module_items`, e.g. infra's 受付・対応状況) and the open action items of the
/// series' earlier meetings (carried, so nothing is forgotten); in a bundle, its materials and
/// minutes get their instances with due dates from the series' rules.
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    series_id: i64,
    f: &MeetingForm,
    module_items: &[String],
) -> Result<meeting::Model> {
    let (s, owner_name) = load_series(db, ctx, series_id).await?;
    policy::can_manage_meetings(ctx, s.owner_org_id, &owner_name)?;
    let v = validate(f)?;
    let allowed = super::series_orgs(db, &s).await?;
    let txn = db.begin().await?;
    let number = meeting::Entity::find().filter(meeting::Column::SeriesId.eq(s.id)).count(&txn).await? as i32 + 1;
    let now = Utc::now();
    let title = opt(&f.title).unwrap_or_else(|| format!("第{number}回 {}", s.title));
    let m = meeting::ActiveModel {
        series_id: Set(s.id),
        number: Set(number),
        title: Set(title),
        starts_at: Set(v.starts_at),
        ends_at: Set(v.ends_at),
        place: Set(v.place),
        online_url: Set(v.online_url),
        organiser_org_id: Set(s.owner_org_id),
        status: Set("scheduled".into()),
        cancel_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_participants(&txn, m.id, &allowed, f).await?;
    // The agenda: module items, then open action items carried from earlier meetings.
    let earlier: Vec<i64> = meeting::Entity::find()
        .filter(meeting::Column::SeriesId.eq(s.id))
        .filter(meeting::Column::Id.ne(m.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let open = meeting_action::Entity::find()
        .filter(meeting_action::Column::MeetingId.is_in(earlier))
        .filter(meeting_action::Column::Kind.eq("action"))
        .filter(meeting_action::Column::Status.eq("open"))
        .order_by_asc(meeting_action::Column::Id)
        .all(&txn)
        .await?;
    let items = module_items
        .iter()
        .map(|t| (t.clone(), "module", None))
        .chain(open.iter().map(|a| (format!("（継続）{}", a.text), "carried", Some(a.id))));
    for (i, (title, source, carried)) in items.enumerate() {
        meeting_agenda_item::ActiveModel {
            meeting_id: Set(m.id),
            position: Set(i as i32 + 1),
            title: Set(title),
            source: Set(source.into()),
            carried_action_id: Set(carried),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    // The documents.
    let (materials_adjust, minutes_adjust) = super::adjusts(&s);
    let mut dues = serde_json::Map::new();
    for (role, deliverable_id, rule, adjust) in [
        ("materials", s.materials_deliverable_id, &s.materials_rule, materials_adjust),
        ("minutes", s.minutes_deliverable_id, &s.minutes_rule, minutes_adjust),
    ] {
        let Some(d) = deliverable_id else { continue };
        let due = due_on(rule, adjust, v.date);
        let inst = new_instance(&txn, d, &format!("第{number}回（会議{}）", m.id), due).await?;
        meeting_document::ActiveModel {
            meeting_id: Set(m.id),
            instance_id: Set(inst.id),
            role: Set(role.into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        dues.insert(format!("{role}_due"), serde_json::json!(due));
    }
    let mut after = serde_json::to_value(&m).unwrap_or_default();
    if let Some(o) = after.as_object_mut() {
        o.extend(dues);
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(s.owner_org_id),
            bundle_id: s.bundle_id,
            action: "create",
            entity: "meeting",
            entity_id: m.id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// The meeting's documents with their instances (for recomputing or withdrawing them).
async fn documents<C: ConnectionTrait>(
    db: &C,
    meeting_id: i64,
) -> Result<Vec<(meeting_document::Model, deliverable_instance::Model)>> {
    let docs =
        meeting_document::Entity::find().filter(meeting_document::Column::MeetingId.eq(meeting_id)).all(db).await?;
    let mut out = Vec::new();
    for d in docs {
        if let Some(i) = deliverable_instance::Entity::find_by_id(d.instance_id).one(db).await? {
            out.push((d, i));
        }
    }
    Ok(out)
}

/// 日程の変更: date, times, place, URL, title and participants. When the date moves, the due
/// date of every document not yet done follows it; the meeting's audit entry holds the old and
/// new dates and due dates, and each document's change has its own entry.
pub async fn update<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &MeetingForm,
) -> Result<meeting::Model> {
    let (m, s, owner_name) = load_meeting(db, ctx, id).await?;
    policy::can_manage_meetings(ctx, s.owner_org_id, &owner_name)?;
    if m.status == "cancelled" {
        return Err(Error::conflict("中止した会議は変更できません", "A cancelled meeting cannot be changed"));
    }
    let v = validate(f)?;
    let allowed = super::series_orgs(db, &s).await?;
    let txn = db.begin().await?;
    set_participants(&txn, m.id, &allowed, f).await?;
    let before_day = day_of(&m);
    let (materials_adjust, minutes_adjust) = super::adjusts(&s);
    let mut before_json = serde_json::to_value(&m).unwrap_or_default();
    let mut am = m.clone().into_active_model();
    if let Some(t) = opt(&f.title) {
        am.title = Set(t);
    }
    am.starts_at = Set(v.starts_at);
    am.ends_at = Set(v.ends_at);
    am.place = Set(v.place);
    am.online_url = Set(v.online_url);
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    let mut after_json = serde_json::to_value(&m).unwrap_or_default();
    for (doc, inst) in documents(&txn, m.id).await? {
        let (rule, adjust) = if doc.role == "materials" {
            (&s.materials_rule, materials_adjust)
        } else {
            (&s.minutes_rule, minutes_adjust)
        };
        let key = format!("{}_due", doc.role);
        if let Some(o) = before_json.as_object_mut() {
            o.insert(key.clone(), serde_json::json!(inst.due_date));
        }
        let due = due_on(rule, adjust, v.date);
        let done = Status::parse(&inst.status).is_some_and(Status::is_done);
        if let Some(o) = after_json.as_object_mut() {
            o.insert(key, serde_json::json!(if done { inst.due_date } else { due }));
        }
        if done || inst.due_date == due {
            continue;
        }
        let d = deliverable::Entity::find_by_id(inst.deliverable_id).one(&txn).await?.ok_or(Error::NotFound)?;
        let old = inst.clone();
        let mut ia = inst.into_active_model();
        ia.due_date = Set(due);
        let inst = ia.update(&txn).await?;
        audit::record(
            &txn,
            ctx,
            audit::Change {
                org_id: Some(d.owner_org_id),
                bundle_id: Some(d.bundle_id),
                action: "reschedule",
                entity: "deliverable_instance",
                entity_id: inst.id.to_string(),
                before: Some(serde_json::json!({ "due_date": old.due_date, "meeting_date": before_day })),
                after: Some(serde_json::json!({ "due_date": inst.due_date, "meeting_date": v.date })),
            },
        )
        .await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(s.owner_org_id),
            bundle_id: s.bundle_id,
            action: "update",
            entity: "meeting",
            entity_id: m.id.to_string(),
            before: Some(before_json),
            after: Some(after_json),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// 会議の中止: with a reason; the documents not yet done are withdrawn with it, so nothing stays
/// overdue for a meeting that will not take place.
pub async fn cancel<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &CancelForm,
) -> Result<meeting::Model> {
    let (m, s, owner_name) = load_meeting(db, ctx, id).await?;
    policy::can_manage_meetings(ctx, s.owner_org_id, &owner_name)?;
    let Some(reason) = opt(&f.reason) else {
        return Err(Error::invalid("reason", "中止の理由", "Reason", "を入力してください", "is required"));
    };
    if m.status == "cancelled" {
        return Err(Error::conflict("この会議はすでに中止されています", "This meeting is already cancelled"));
    }
    let txn = db.begin().await?;
    let before = serde_json::to_value(&m).ok();
    let mut am = m.into_active_model();
    am.status = Set("cancelled".into());
    am.cancel_reason = Set(Some(reason.clone()));
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    for (_, inst) in documents(&txn, m.id).await? {
        if Status::parse(&inst.status).is_some_and(Status::is_done) {
            continue;
        }
        let d = deliverable::Entity::find_by_id(inst.deliverable_id).one(&txn).await?.ok_or(Error::NotFound)?;
        crate::service::deliverables_flow::withdraw_in(&txn, ctx, &d, inst, format!("会議の中止：{reason}")).await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(s.owner_org_id),
            bundle_id: s.bundle_id,
            action: "cancel",
            entity: "meeting",
            entity_id: m.id.to_string(),
            before,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}
