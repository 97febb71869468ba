//! The workflow of a deliverable instance: 提出 (a new revision), 承諾 / 差戻し / 受理 by the
//! approver, and 変更のための再開 after 承諾 (§8(3)ア: a change after approval needs a new
//! revision and a new 承諾). Every step writes its audit entry in the same transaction.

use super::deliverables::{Status, load_instance, load_submission, snapshot};
use crate::context::Ctx;
use crate::entities::{deliverable_instance, deliverable_submission, stored_file};
use crate::error::{Error, Result};
use crate::policy;
use crate::service::audit;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// 提出 (a revision): an optional stored file (shared in the deliverable's bundle) and a note.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SubmitForm {
    #[serde(default)]
    pub file_id: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// 判断 (decision): `approved` (承諾), `returned` (差戻し, reason required) or `received` (受理).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct DecisionForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub decision_note: String,
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// 提出: the submitter's staff hand in a new revision (1, 2, …). Not possible while the
/// instance stands approved or received: a change goes through `reopen_for_change` first.
pub async fn submit<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    instance_id: i64,
    f: &SubmitForm,
) -> Result<deliverable_submission::Model> {
    let (d, inst) = load_instance(db, ctx, instance_id).await?;
    policy::can_submit_deliverable(ctx, d.submitter_org_id)?;
    if Status::parse(&inst.status) == Some(Status::Withdrawn) {
        return Err(Error::conflict(
            "この提出回は取り消されたため、提出は不要です",
            "This instance was withdrawn; nothing is due",
        ));
    }
    if Status::parse(&inst.status).is_some_and(Status::is_done) {
        return Err(Error::conflict(
            "承諾（受理）済みです。内容を変更する場合は、先に変更の理由を添えて再提出の手続きをしてください",
            "Already approved (received). To change it, reopen it with a reason first",
        ));
    }
    if d.file_required && f.file_id.is_none() {
        return Err(Error::invalid(
            "file_id",
            "添付ファイル",
            "File",
            "：成果品は電子データ（ファイル）で提出してください",
            ": this deliverable is handed in as a file; attach one",
        ));
    }
    if let Some(fid) = f.file_id {
        // The approver must be able to read the document: it has to be shared in this bundle.
        let shared = stored_file::Entity::find()
            .filter(stored_file::Column::Id.eq(fid))
            .filter(stored_file::Column::BundleId.eq(d.bundle_id))
            .filter(stored_file::Column::OwnerOrgId.eq(d.submitter_org_id))
            .filter(stored_file::Column::Visibility.eq(crate::domain::Visibility::Bundle.key()))
            .one(db)
            .await?;
        if shared.is_none() {
            return Err(Error::invalid(
                "file_id",
                "添付ファイル",
                "File",
                "は提出者がこの束に登録したファイルを指定してください",
                "must be a file the submitter stored for this bundle",
            ));
        }
    }
    let txn = db.begin().await?;
    let last = deliverable_submission::Entity::find()
        .filter(deliverable_submission::Column::InstanceId.eq(inst.id))
        .order_by_desc(deliverable_submission::Column::Revision)
        .one(&txn)
        .await?;
    let s = deliverable_submission::ActiveModel {
        instance_id: Set(inst.id),
        revision: Set(last.map(|l| l.revision + 1).unwrap_or(1)),
        file_id: Set(f.file_id),
        note: Set(text(&f.note)),
        submitted_by: Set(ctx.user_id),
        submitted_at: Set(Utc::now()),
        decision: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ia = inst.into_active_model();
    ia.status = Set(Status::Submitted.key().into());
    ia.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(d.submitter_org_id),
            bundle_id: Some(d.bundle_id),
            action: "submit",
            entity: "deliverable_submission",
            entity_id: s.id.to_string(),
            before: None,
            after: snapshot(&s),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

/// 承諾・差戻し・受理: the approver's staff decide on the newest undecided revision.
/// 差戻し needs a reason; 承諾 is for deliverables that need approval, 受理 for the others.
pub async fn decide<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    submission_id: i64,
    f: &DecisionForm,
) -> Result<deliverable_submission::Model> {
    // Scoped through the instance's deliverable and bundle: another bundle's is NotFound.
    let (d, inst, s) = load_submission(db, ctx, submission_id).await?;
    policy::can_decide_deliverable(ctx, d.owner_org_id)?;
    let decision =
        Status::parse(&f.decision).filter(|s| matches!(s, Status::Approved | Status::Returned | Status::Received));
    let Some(decision) = decision else {
        return Err(Error::invalid(
            "decision",
            "判断",
            "Decision",
            "は 承諾・差戻し・受理 のいずれかです",
            "must be approved, returned or received",
        ));
    };
    let reason = text(&f.decision_note);
    if decision == Status::Returned && reason.is_none() {
        return Err(Error::invalid(
            "decision_note",
            "差戻しの理由",
            "Reason for sending back",
            "を入力してください",
            "is required",
        ));
    }
    if decision == Status::Approved && !d.needs_approval {
        return Err(Error::invalid(
            "decision",
            "判断",
            "Decision",
            "この提出物は承諾を要しません。受理してください",
            "this deliverable needs no approval; mark it received",
        ));
    }
    if decision == Status::Received && d.needs_approval {
        return Err(Error::invalid(
            "decision",
            "判断",
            "Decision",
            "この提出物は承諾が必要です。承諾または差戻しを選んでください",
            "this deliverable needs approval; approve it or send it back",
        ));
    }
    let newest = deliverable_submission::Entity::find()
        .filter(deliverable_submission::Column::InstanceId.eq(inst.id))
        .order_by_desc(deliverable_submission::Column::Revision)
        .one(db)
        .await?
        .map(|n| n.id);
    if s.decision.is_some() || newest != Some(s.id) || inst.status != Status::Submitted.key() {
        return Err(Error::conflict(
            "この版はすでに判断済みか、最新の版ではありません",
            "This revision has already been decided or is not the newest",
        ));
    }
    let txn = db.begin().await?;
    let before = s.clone();
    let mut sa = s.into_active_model();
    sa.decision = Set(Some(decision.key().into()));
    sa.decided_by = Set(ctx.user_id);
    sa.decided_at = Set(Some(Utc::now()));
    sa.decision_note = Set(reason);
    let s = sa.update(&txn).await?;
    let mut ia = inst.into_active_model();
    ia.status = Set(decision.key().into());
    ia.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(d.owner_org_id),
            bundle_id: Some(d.bundle_id),
            action: decision.key(),
            entity: "deliverable_submission",
            entity_id: s.id.to_string(),
            before: snapshot(&before),
            after: snapshot(&s),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

/// 変更のための再開: after 承諾 (or 受理), the submitter wants to change the document or the
/// approver finds it inappropriate. Needs a reason; the instance is pending again until a new
/// revision is approved.
pub async fn reopen_for_change<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    instance_id: i64,
    reason: &str,
) -> Result<deliverable_instance::Model> {
    let (d, inst) = load_instance(db, ctx, instance_id).await?;
    policy::can_reopen_deliverable(ctx, d.owner_org_id, d.submitter_org_id)?;
    let Some(reason) = text(reason) else {
        return Err(Error::invalid(
            "reason",
            "変更の理由",
            "Reason for the change",
            "を入力してください",
            "is required",
        ));
    };
    if Status::parse(&inst.status) == Some(Status::Withdrawn) {
        return Err(Error::conflict("取り消された提出回です", "This instance was withdrawn"));
    }
    if !Status::parse(&inst.status).is_some_and(Status::is_accepted) {
        return Err(Error::conflict(
            "承諾（受理）されていないため、そのまま再提出できます",
            "It is not approved yet; simply submit a new revision",
        ));
    }
    let txn = db.begin().await?;
    let before = inst.clone();
    let mut ia = inst.into_active_model();
    ia.status = Set(Status::Pending.key().into());
    ia.reopen_reason = Set(Some(reason));
    let inst = ia.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(d.owner_org_id),
            bundle_id: Some(d.bundle_id),
            action: "reopen",
            entity: "deliverable_instance",
            entity_id: inst.id.to_string(),
            before: snapshot(&before),
            after: snapshot(&inst),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(inst)
}

/// 提出回の取消 (withdrawal): the instance is no longer due — its meeting was cancelled, say.
/// The owner's staff withdraw it with a reason; an accepted or already withdrawn instance stays
/// as it is. The instance and its revisions are kept (audited with the reason), never deleted.
pub async fn withdraw<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    instance_id: i64,
    reason: &str,
) -> Result<deliverable_instance::Model> {
    let (d, inst) = load_instance(db, ctx, instance_id).await?;
    policy::can_decide_deliverable(ctx, d.owner_org_id)?;
    let Some(reason) = text(reason) else {
        return Err(Error::invalid(
            "reason",
            "取消の理由",
            "Reason for withdrawal",
            "を入力してください",
            "is required",
        ));
    };
    match Status::parse(&inst.status) {
        Some(Status::Withdrawn) => {
            return Err(Error::conflict("この提出回は取消済みです", "This instance is already withdrawn"));
        }
        Some(s) if s.is_accepted() => {
            return Err(Error::conflict(
                "承諾（受理）済みの提出回は取り消せません",
                "An approved or received instance cannot be withdrawn",
            ));
        }
        _ => {}
    }
    let txn = db.begin().await?;
    let inst = withdraw_in(&txn, ctx, &d, inst, reason).await?;
    txn.commit().await?;
    Ok(inst)
}

/// The withdrawal inside a caller's transaction (a platform component cancelling its meeting
/// withdraws the meeting's instances in the same transaction). No checks: the caller has made them.
pub(super) async fn withdraw_in<C: ConnectionTrait>(
    txn: &C,
    ctx: &Ctx,
    d: &crate::entities::deliverable::Model,
    inst: deliverable_instance::Model,
    reason: String,
) -> Result<deliverable_instance::Model> {
    let before = inst.clone();
    let mut ia = inst.into_active_model();
    ia.status = Set(Status::Withdrawn.key().into());
    ia.withdraw_reason = Set(Some(reason));
    let inst = ia.update(txn).await?;
    audit::record(
        txn,
        ctx,
        audit::Change {
            org_id: Some(d.owner_org_id),
            bundle_id: Some(d.bundle_id),
            action: "withdraw",
            entity: "deliverable_instance",
            entity_id: inst.id.to_string(),
            before: snapshot(&before),
            after: snapshot(&inst),
        },
    )
    .await?;
    Ok(inst)
}
