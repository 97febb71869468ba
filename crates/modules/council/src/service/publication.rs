//! 公開 (publishing to the members, spec §2.2): drafts stay in the contract bundle; once the
//! client has accepted (承諾 for minutes, 受理 for materials, as the platform series registers them) a meeting's materials or minutes, its staff publish the approved
//! revision, which copies its file into the committee bundle. The ten members then find it on
//! the meeting page with the day it was published.

use super::meetings;
use crate::entities::publication;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::service::deliverables;
use tabane_core::service::files::{self, FileStore};
use tabane_core::service::{audit, meetings as platform_meetings};
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PublishForm {
    /// `materials` | `minutes`
    #[serde(default)]
    pub role: String,
}

/// What a meeting has published, for every side.
pub async fn of_meeting<C: ConnectionTrait>(db: &C, meeting_id: i64) -> Result<Vec<publication::Model>> {
    Ok(publication::Entity::find()
        .filter(publication::Column::MeetingId.eq(meeting_id))
        .order_by_asc(publication::Column::Id)
        .all(db)
        .await?)
}

pub async fn publish<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    store: &FileStore,
    ctx: &Ctx,
    meeting_id: i64,
    f: &PublishForm,
) -> Result<publication::Model> {
    let (m, a) = meetings::load(db, ctx, meeting_id).await?;
    a.require_client_staff(
        "構成員への公開は委託者（事務局）が行います".into(),
        "Only the client publishes to the members",
    )?;
    if !matches!(f.role.as_str(), "materials" | "minutes") {
        return Err(Error::invalid(
            "role",
            "公開するもの",
            "Document",
            "は materials（会議資料）か minutes（議事録）です",
            "must be materials or minutes",
        ));
    }
    let not_approved = || {
        Error::conflict(
            "承諾（受理）済みの会議資料・議事録だけを公開できます",
            "Only approved documents can be published",
        )
    };
    let mid = m.meeting_id.ok_or_else(not_approved)?;
    let doc = platform_meetings::get(db, ctx, mid)
        .await?
        .documents
        .into_iter()
        .find(|d| d.role == f.role && d.status.is_accepted())
        .ok_or_else(not_approved)?;
    let dv = deliverables::get(db, ctx, doc.deliverable_id, tabane_calendar::jst::today()).await?;
    let sub = dv
        .instances
        .into_iter()
        .find(|i| i.instance.id == doc.instance.id)
        .and_then(|i| {
            i.submissions
                .into_iter()
                .rev()
                .find(|s| matches!(s.submission.decision.as_deref(), Some("approved" | "received")))
        })
        .ok_or_else(not_approved)?
        .submission;
    let Some(file_id) = sub.file_id else {
        return Err(Error::conflict("承諾（受理）された版にファイルがありません", "The approved revision has no file"));
    };
    if of_meeting(db, m.id).await?.iter().any(|p| p.submission_id == sub.id) {
        return Err(Error::conflict("この版はすでに公開しています", "This revision is already published"));
    }
    let (file, bytes) = files::read(db, store, ctx, file_id).await?;
    let copy = files::store(db, store, ctx, &file.file_name, &bytes, Some(a.committee.bundle_id)).await?;
    let txn = db.begin().await?;
    let p = publication::ActiveModel {
        meeting_id: Set(m.id),
        role: Set(f.role.clone()),
        submission_id: Set(sub.id),
        file_id: Set(copy.id),
        file_name: Set(copy.file_name.clone()),
        published_on: Set(tabane_calendar::jst::today()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.committee.bundle_id),
            action: "publish",
            entity: "council_meeting",
            entity_id: m.id.to_string(),
            before: None,
            after: serde_json::to_value(&p).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}
