//! 提出物の一覧と詳細 (reading deliverables): the register with status and overdue flags,
//! the overdue instances, and one deliverable with its instances, revisions and decisions.

use super::deliverables::{Recurrence, Status, load, scoped, visible_bundles};
use crate::context::Ctx;
use crate::entities::{bundle, deliverable, deliverable_instance, deliverable_submission, organisation, stored_file};
use crate::error::Result;
use crate::policy;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use tabane_calendar::DeadlineRule;

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct DeliverableFilter {
    #[serde(default)]
    pub bundle_id: Option<String>,
    #[serde(default)]
    pub module: Option<String>,
}

/// A line of the register.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DeliverableRow {
    pub deliverable: deliverable::Model,
    pub bundle_name: String,
    pub owner_name: String,
    pub submitter_name: String,
    /// Status of the earliest instance still open (or of the last one when all are done).
    pub status: Option<Status>,
    /// Earliest due date among open instances.
    pub next_due: Option<NaiveDate>,
    /// Instances past their due date without 承諾/受理.
    pub overdue: usize,
    /// 版: the revisions of the instance whose status is shown.
    pub versions: i32,
    /// The decision on its latest revision (承諾, 差戻し, 受理), if any.
    pub last_decision: Option<Status>,
}

fn is_overdue(i: &deliverable_instance::Model, today: NaiveDate) -> bool {
    i.due_date.is_some_and(|d| d < today) && !Status::parse(&i.status).is_some_and(Status::is_done)
}

async fn names<D: ConnectionTrait>(
    db: &D,
    org_ids: Vec<i64>,
    bundle_ids: Vec<i64>,
) -> Result<(Vec<organisation::Model>, Vec<bundle::Model>)> {
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(org_ids)).all(db).await?;
    let bundles = bundle::Entity::find().filter(bundle::Column::Id.is_in(bundle_ids)).all(db).await?;
    Ok((orgs, bundles))
}

fn name_of(orgs: &[organisation::Model], id: i64) -> String {
    orgs.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default()
}

/// 提出物の一覧: deliverables of the actor's bundles, with status and overdue flags as of `today`.
pub async fn list<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &DeliverableFilter,
    today: NaiveDate,
) -> Result<Vec<DeliverableRow>> {
    let ids = visible_bundles(db, ctx).await?;
    let mut q = scoped(&ids)
        .order_by_asc(deliverable::Column::BundleId)
        .order_by_asc(deliverable::Column::Module)
        .order_by_asc(deliverable::Column::Code);
    if let Some(b) = f.bundle_id.as_deref().and_then(|s| s.trim().parse::<i64>().ok()) {
        q = q.filter(deliverable::Column::BundleId.eq(b));
    }
    if let Some(m) = f.module.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q = q.filter(deliverable::Column::Module.eq(m));
    }
    let ds = q.all(db).await?;
    let inst = deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::DeliverableId.is_in(ds.iter().map(|d| d.id).collect::<Vec<_>>()))
        .order_by_asc(deliverable_instance::Column::DueDate)
        .order_by_asc(deliverable_instance::Column::Id)
        .all(db)
        .await?;
    let subs = deliverable_submission::Entity::find()
        .filter(deliverable_submission::Column::InstanceId.is_in(inst.iter().map(|i| i.id).collect::<Vec<_>>()))
        .order_by_asc(deliverable_submission::Column::Revision)
        .all(db)
        .await?;
    let org_ids = ds.iter().flat_map(|d| [d.owner_org_id, d.submitter_org_id]).collect();
    let (orgs, bundles) = names(db, org_ids, ds.iter().map(|d| d.bundle_id).collect()).await?;
    Ok(ds
        .into_iter()
        .map(|d| {
            let mine: Vec<&deliverable_instance::Model> = inst.iter().filter(|i| i.deliverable_id == d.id).collect();
            let open: Vec<&&deliverable_instance::Model> =
                mine.iter().filter(|i| !Status::parse(&i.status).is_some_and(Status::is_done)).collect();
            let shown = open.first().map(|i| **i).or(mine.last().copied());
            let status = shown.and_then(|i| Status::parse(&i.status));
            let last = shown.and_then(|i| subs.iter().rfind(|s| s.instance_id == i.id));
            DeliverableRow {
                bundle_name: bundles.iter().find(|b| b.id == d.bundle_id).map(|b| b.name.clone()).unwrap_or_default(),
                owner_name: name_of(&orgs, d.owner_org_id),
                submitter_name: name_of(&orgs, d.submitter_org_id),
                status,
                next_due: open.iter().filter_map(|i| i.due_date).min(),
                overdue: mine.iter().filter(|i| is_overdue(i, today)).count(),
                versions: last.map(|s| s.revision).unwrap_or(0),
                last_decision: last.and_then(|s| s.decision.as_deref()).and_then(Status::parse),
                deliverable: d,
            }
        })
        .collect())
}

/// An overdue instance.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct OverdueItem {
    pub deliverable_id: i64,
    pub code: String,
    pub title: String,
    pub instance_id: i64,
    pub period: String,
    pub due_date: NaiveDate,
    pub status: Status,
    pub days_late: i64,
}

/// 期限超過: instances of the actor's bundles whose due date is before `today` without an
/// approved or received revision, most overdue first.
pub async fn overdue<D: ConnectionTrait>(db: &D, ctx: &Ctx, today: NaiveDate) -> Result<Vec<OverdueItem>> {
    let ids = visible_bundles(db, ctx).await?;
    let ds = scoped(&ids).all(db).await?;
    let open: Vec<&str> = Status::ALL.iter().filter(|s| !s.is_done()).map(|s| s.key()).collect();
    let inst = deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::DeliverableId.is_in(ds.iter().map(|d| d.id).collect::<Vec<_>>()))
        .filter(deliverable_instance::Column::DueDate.lt(today))
        .filter(deliverable_instance::Column::Status.is_in(open))
        .order_by_asc(deliverable_instance::Column::DueDate)
        .order_by_asc(deliverable_instance::Column::Id)
        .all(db)
        .await?;
    Ok(inst
        .into_iter()
        .filter_map(|i| {
            let d = ds.iter().find(|d| d.id == i.deliverable_id)?;
            let due = i.due_date?;
            Some(OverdueItem {
                deliverable_id: d.id,
                code: d.code.clone(),
                title: d.title.clone(),
                instance_id: i.id,
                period: i.period,
                due_date: due,
                status: Status::parse(&i.status)?,
                days_late: (today - due).num_days(),
            })
        })
        .collect())
}

/// A revision as shown: the submission and its file's name.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SubmissionView {
    pub submission: deliverable_submission::Model,
    pub file_name: Option<String>,
    /// The newest revision of its instance (the only one that can be decided).
    pub latest: bool,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct InstanceView {
    pub instance: deliverable_instance::Model,
    pub status: Status,
    pub overdue: bool,
    pub submissions: Vec<SubmissionView>,
    /// The meeting this instance belongs to (its materials or minutes), if any.
    pub meeting_id: Option<i64>,
}

/// One deliverable with its instances, revisions and decisions, and what the actor may do.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DeliverableView {
    pub deliverable: deliverable::Model,
    pub recurrence: Recurrence,
    pub bundle_name: String,
    pub owner_name: String,
    pub submitter_name: String,
    /// The due rule in words (「14日以内」).
    pub rule_ja: Option<String>,
    pub instances: Vec<InstanceView>,
    pub can_submit: bool,
    pub can_decide: bool,
}

pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64, today: NaiveDate) -> Result<DeliverableView> {
    let d = load(db, ctx, id).await?;
    let inst = deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::DeliverableId.eq(d.id))
        .order_by_asc(deliverable_instance::Column::Id)
        .all(db)
        .await?;
    let subs = deliverable_submission::Entity::find()
        .filter(deliverable_submission::Column::InstanceId.is_in(inst.iter().map(|i| i.id).collect::<Vec<_>>()))
        .order_by_asc(deliverable_submission::Column::Revision)
        .all(db)
        .await?;
    let file_ids: Vec<i64> = subs.iter().filter_map(|s| s.file_id).collect();
    let files = stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(file_ids))
        .filter(stored_file::Column::BundleId.eq(d.bundle_id))
        .all(db)
        .await?;
    let (orgs, bundles) = names(db, vec![d.owner_org_id, d.submitter_org_id], vec![d.bundle_id]).await?;
    let meetings = crate::entities::meeting_document::Entity::find()
        .filter(
            crate::entities::meeting_document::Column::InstanceId.is_in(inst.iter().map(|i| i.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let instances = inst
        .into_iter()
        .map(|i| {
            let mine: Vec<&deliverable_submission::Model> = subs.iter().filter(|s| s.instance_id == i.id).collect();
            let last = mine.iter().map(|s| s.revision).max();
            InstanceView {
                status: Status::parse(&i.status).unwrap_or(Status::Pending),
                overdue: is_overdue(&i, today),
                submissions: mine
                    .into_iter()
                    .map(|s| SubmissionView {
                        file_name: s
                            .file_id
                            .and_then(|f| files.iter().find(|x| x.id == f))
                            .map(|f| f.file_name.clone()),
                        latest: Some(s.revision) == last,
                        submission: s.clone(),
                    })
                    .collect(),
                meeting_id: meetings.iter().find(|m| m.instance_id == i.id).map(|m| m.meeting_id),
                instance: i,
            }
        })
        .collect();
    Ok(DeliverableView {
        recurrence: Recurrence::parse(&d.recurrence).unwrap_or(Recurrence::Once),
        bundle_name: bundles.first().map(|b| b.name.clone()).unwrap_or_default(),
        owner_name: name_of(&orgs, d.owner_org_id),
        submitter_name: name_of(&orgs, d.submitter_org_id),
        rule_ja: d.due_rule.as_deref().and_then(|r| DeadlineRule::parse(r).ok()).map(|r| r.describe_ja()),
        instances,
        can_submit: policy::can_submit_deliverable(ctx, d.submitter_org_id).is_ok(),
        can_decide: policy::can_decide_deliverable(ctx, d.owner_org_id).is_ok(),
        deliverable: d,
    })
}
