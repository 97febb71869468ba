//! 議題・決定事項・宿題 (agenda items, decisions and action items) of a meeting.

use super::load_meeting;
use crate::context::Ctx;
use crate::entities::{meeting_action, meeting_agenda_item, meeting_series};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AgendaForm {
    #[serde(default)]
    pub title: String,
}

/// 決定事項 (`kind = decision`) or 宿題 (`kind = action`, with the organisation responsible and
/// a due date, 和暦 accepted).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ActionForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner_org_id: String,
    #[serde(default)]
    pub due_date: String,
}

fn change<'a>(
    s: &meeting_series::Model,
    action: &'a str,
    entity: &'a str,
    id: i64,
    after: serde_json::Value,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(s.owner_org_id),
        bundle_id: s.bundle_id,
        action,
        entity,
        entity_id: id.to_string(),
        before: None,
        after: Some(after),
    }
}

/// 議題の追加 (at the end of the agenda).
pub async fn add_agenda_item<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    meeting_id: i64,
    f: &AgendaForm,
) -> Result<meeting_agenda_item::Model> {
    let (m, s, owner) = load_meeting(db, ctx, meeting_id).await?;
    policy::can_manage_meetings(ctx, s.owner_org_id, &owner)?;
    let mut p = Problems::default();
    p.required("title", "議題", "Agenda item", &f.title);
    p.into_result()?;
    let txn = db.begin().await?;
    let n =
        meeting_agenda_item::Entity::find().filter(meeting_agenda_item::Column::MeetingId.eq(m.id)).count(&txn).await?;
    let item = meeting_agenda_item::ActiveModel {
        meeting_id: Set(m.id),
        position: Set(n as i32 + 1),
        title: Set(f.title.trim().into()),
        source: Set("manual".into()),
        carried_action_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        change(&s, "create", "meeting_agenda_item", item.id, serde_json::to_value(&item).unwrap_or_default()),
    )
    .await?;
    txn.commit().await?;
    Ok(item)
}

/// 決定事項・宿題の記録. A 宿題 names the organisation responsible (a member of the series) and
/// may have a due date; it stays open, and is carried into the next meeting's agenda, until done.
pub async fn add_action<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    meeting_id: i64,
    f: &ActionForm,
) -> Result<meeting_action::Model> {
    let (m, s, owner) = load_meeting(db, ctx, meeting_id).await?;
    policy::can_manage_meetings(ctx, s.owner_org_id, &owner)?;
    let mut p = Problems::default();
    let kind = match f.kind.trim() {
        "" | "action" | "宿題" => "action",
        "decision" | "決定事項" => "decision",
        _ => {
            p.push("kind", "種類", "Kind", "は 決定事項 か 宿題 です", "must be decision or action");
            "action"
        }
    };
    p.required("text", "内容", "Text", &f.text);
    let owner_org = match f.owner_org_id.trim() {
        "" => None,
        t => {
            let allowed = super::series_orgs(db, &s).await?;
            match t.parse::<i64>() {
                Ok(o) if allowed.contains(&o) => Some(o),
                _ => {
                    p.push(
                        "owner_org_id",
                        "担当団体",
                        "Responsible",
                        "は会議体の構成団体から選んでください",
                        "must be a member",
                    );
                    None
                }
            }
        }
    };
    let due = p.date("due_date", "期限", "Due", f.due_date.trim());
    p.into_result()?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let a = meeting_action::ActiveModel {
        meeting_id: Set(m.id),
        kind: Set(kind.into()),
        text: Set(f.text.trim().into()),
        owner_org_id: Set(owner_org),
        due_date: Set(due),
        status: Set(if kind == "decision" { "done" } else { "open" }.into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        change(&s, "create", "meeting_action", a.id, serde_json::to_value(&a).unwrap_or_default()),
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// 宿題の完了（または再開）: `status` is `done` or `open`.
pub async fn set_action_status<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    action_id: i64,
    status: &str,
) -> Result<meeting_action::Model> {
    let a = meeting_action::Entity::find_by_id(action_id).one(db).await?.ok_or(Error::NotFound)?;
    let (_, s, _) = load_meeting(db, ctx, a.meeting_id).await?;
    policy::can_update_action(ctx, s.owner_org_id, a.owner_org_id)?;
    let status = match status.trim() {
        "done" | "完了" => "done",
        "open" | "未完了" => "open",
        _ => {
            return Err(Error::invalid(
                "status",
                "状況",
                "Status",
                "は done（完了）か open（未完了）です",
                "must be done or open",
            ));
        }
    };
    if a.kind != "action" {
        return Err(Error::conflict("決定事項には状況がありません", "A decision has no status"));
    }
    let txn = db.begin().await?;
    let before = serde_json::to_value(&a).ok();
    let mut am = a.into_active_model();
    am.status = Set(status.into());
    am.updated_at = Set(Utc::now());
    let a = am.update(&txn).await?;
    let mut c = change(&s, "update", "meeting_action", a.id, serde_json::to_value(&a).unwrap_or_default());
    c.before = before;
    audit::record(&txn, ctx, c).await?;
    txn.commit().await?;
    Ok(a)
}
