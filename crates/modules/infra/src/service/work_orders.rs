//! 作業指示 (work orders) shared in a bundle: 受付 → 指示 → 施工 → 報告 → 履行確認.
//! Any owner in the bundle instructs its own jobs; the contractor does and reports them; only
//! the owner confirms, sends back or cancels its own (liability stays with the 本来管理者).

use super::access;
use crate::domain::{Action, Phase, Side, Source, Status, Urgency, allowed, needs_reason, next_status, side_for};
use crate::entities::{asset, work_order as wo, work_order_event as ev, work_order_photo as photo};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::BusinessCalendar;
use tabane_core::domain::BundleRole;
use tabane_core::entities::{organisation, stored_file};
use tabane_core::error::Problems;
use tabane_core::service::files::{self, FileStore};
use tabane_core::service::{Page, audit};
use tabane_core::{Ctx, Error, Result};

mod split;
pub use split::*;

mod list;
pub use list::*;

mod photos;
pub use photos::*;

pub fn today_jst() -> NaiveDate {
    tabane_calendar::jst::today()
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct NewWorkOrder {
    /// Owner organisation id; default: the acting organisation.
    #[serde(default)]
    pub owner_org_id: String,
    #[serde(default)]
    pub asset_id: String,
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub address: String,
}

/// Finds the bundle a new job goes through: the one chosen in the switcher, or the only bundle
/// in which the owner is an owner and a contractor is present.
async fn resolve_bundle<D: ConnectionTrait>(db: &D, ctx: &Ctx, owner: i64) -> Result<(i64, Option<i64>)> {
    let candidates: Vec<(i64, Option<i64>)> = access::work_bundles(db, ctx)
        .await?
        .into_iter()
        .filter(|w| w.owners.contains(&owner))
        .map(|w| (w.bundle_id, Some(w.contractor)))
        .collect();
    match candidates.len() {
        1 => Ok(candidates[0]),
        0 => Err(Error::invalid(
            "owner_org_id",
            "管理者",
            "Owner",
            "と受注者がそろった束がありません（束の設定で発注者と受注者を登録してください）",
            "has no bundle with a contractor",
        )),
        _ => Err(Error::invalid(
            "owner_org_id",
            "束",
            "Bundle",
            "が複数あります。画面上部の切替で作業する束を選んでください",
            "is ambiguous: choose the bundle in the switcher",
        )),
    }
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, f: &NewWorkOrder) -> Result<wo::Model> {
    let mut p = Problems::default();
    p.required("category", "作業区分", "Category", &f.category);
    p.required("description", "内容", "Description", &f.description);
    let urgency = if f.urgency.trim().is_empty() { Some(Urgency::Normal) } else { Urgency::parse(&f.urgency) };
    if urgency.is_none() {
        p.push(
            "urgency",
            "緊急度",
            "Urgency",
            "は 緊急・早期・通常 のいずれかです",
            "must be emergency, early or normal",
        );
    }
    let (mut lat, mut lon) = super::assets::parse_point(&mut p, &f.lat, &f.lon);
    let owner = match f.owner_org_id.trim() {
        "" => ctx.org_id,
        s => s.parse().ok(),
    };
    if owner.is_none() {
        p.push("owner_org_id", "管理者", "Owner", "を選んでください", "is required");
    }
    p.into_result()?;
    let owner = owner.expect("checked");
    let (bundle_id, contractor) = resolve_bundle(db, ctx, owner).await?;
    let is_owner_staff = ctx.has_role_in(owner, tabane_core::domain::Role::Staff);
    let is_contractor_staff = contractor.is_some_and(|c| ctx.has_role_in(c, tabane_core::domain::Role::Staff));
    if !is_owner_staff && !is_contractor_staff {
        return Err(Error::forbidden(
            "作業を受け付けられるのは、管理者（発注者）または受注者の担当者です",
            "Only staff of the owner or of the contractor may register a job",
        ));
    }
    let source = if f.source.trim().is_empty() {
        if is_owner_staff { Source::Owner } else { Source::Contractor }
    } else {
        Source::parse(&f.source).ok_or_else(|| {
            Error::invalid("source", "発生源", "Source", "が正しくありません", "is not a known source")
        })?
    };
    let asset_id = match f.asset_id.trim() {
        "" => None,
        s => {
            let a = match s.parse::<i64>() {
                Ok(id) => super::assets::get(db, ctx, id).await.ok(),
                Err(_) => None,
            };
            let a: asset::Model = a.filter(|a| a.owner_org_id == owner).ok_or_else(|| {
                Error::invalid(
                    "asset_id",
                    "施設",
                    "Asset",
                    "は管理者の施設から選んでください",
                    "must be one of the owner's assets",
                )
            })?;
            if lat.is_none() {
                (lat, lon) = (a.lat, a.lon);
            }
            Some(a.id)
        }
    };
    let now = Utc::now();
    let txn = db.begin().await?;
    let w = wo::ActiveModel {
        bundle_id: Set(bundle_id),
        owner_org_id: Set(owner),
        contractor_org_id: Set(contractor),
        asset_id: Set(asset_id),
        status: Set(Status::Received.key().into()),
        urgency: Set(urgency.expect("checked").key().into()),
        source: Set(source.key().into()),
        category: Set(f.category.trim().into()),
        description: Set(f.description.trim().into()),
        instruction: Set(None),
        lat: Set(lat),
        lon: Set(lon),
        address: Set(Some(f.address.trim().to_string()).filter(|s| !s.is_empty())),
        due_on: Set(None),
        cost_labour: Set(None),
        cost_material: Set(None),
        cost_machinery: Set(None),
        cost_other: Set(None),
        cost_total: Set(None),
        instructed_amount: Set(None),
        split_of: Set(None),
        share_percent: Set(None),
        received_at: Set(now),
        instructed_at: Set(None),
        reported_at: Set(None),
        confirmed_at: Set(None),
        created_by: Set(ctx.user_id),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log_event(&txn, ctx, w.id, None, Status::Received, "receive", None).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: Some(bundle_id),
            action: "create",
            entity: "infra_work_order",
            entity_id: w.id.to_string(),
            before: None,
            after: serde_json::to_value(&w).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(w)
}

async fn log_event<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    id: i64,
    from: Option<Status>,
    to: Status,
    action: &str,
    reason: Option<String>,
) -> Result<()> {
    ev::ActiveModel {
        work_order_id: Set(id),
        from_status: Set(from.map(|s| s.key().to_string())),
        to_status: Set(to.key().into()),
        action: Set(action.into()),
        user_id: Set(ctx.user_id),
        actor: Set(ctx.actor.clone()),
        org_id: Set(ctx.org_id),
        reason: Set(reason),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

/// Loads a work order the actor may see (`NotFound` otherwise).
pub async fn find<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<wo::Model> {
    let w = wo::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if access::can_see_work_order(db, ctx, &w).await? { Ok(w) } else { Err(Error::NotFound) }
}

/// Hides costs from those who are neither owner nor contractor.
pub fn masked(ctx: &Ctx, mut w: wo::Model) -> wo::Model {
    if !access::sees_costs(ctx, &w) {
        (w.cost_labour, w.cost_material, w.cost_machinery, w.cost_other, w.cost_total, w.instructed_amount) =
            (None, None, None, None, None, None);
    }
    w
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PhotoView {
    pub id: i64,
    pub file_id: i64,
    pub phase: Phase,
    pub caption: Option<String>,
    pub file_name: String,
}

/// 通報者 (the resident who reported the job). Personal data: the owner's staff only.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ReporterView {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub service_code: String,
    pub description: Option<String>,
    pub media_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WorkOrderView {
    /// Present for the owner's staff when the job came from a resident report.
    pub reporter: Option<ReporterView>,
    /// True when there is a reporter the actor may not see (e.g. the contractor).
    pub reporter_hidden: bool,
    pub order: wo::Model,
    pub status: Status,
    pub urgency: Urgency,
    pub owner_name: String,
    pub contractor_name: Option<String>,
    pub asset_name: Option<String>,
    pub events: Vec<ev::Model>,
    pub photos: Vec<PhotoView>,
    /// Steps the actor may take now.
    pub allowed: Vec<Action>,
    pub overdue: bool,
    /// 1件あたりの上限 of the contract in force, when there is one.
    pub job_cap: Option<i64>,
    /// Above the per-job cap: to be procured separately (the link to the report is kept).
    pub over_cap: bool,
}

async fn org_name<D: ConnectionTrait>(db: &D, id: i64) -> Result<String> {
    Ok(organisation::Entity::find_by_id(id).one(db).await?.map(|o| o.name).unwrap_or_default())
}

pub fn is_overdue(w: &wo::Model, today: NaiveDate) -> bool {
    overdue(&w.status, w.due_on, today)
}

/// 期限超過: instructed or in progress, and the response deadline has passed.
pub fn overdue(status: &str, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    Status::parse(status).is_some_and(|s| matches!(s, Status::Instructed | Status::InProgress))
        && due_on.is_some_and(|d| d < today)
}

pub async fn view<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<WorkOrderView> {
    let w = find(db, ctx, id).await?;
    let status = Status::parse(&w.status).unwrap_or(Status::Received);
    let events = ev::Entity::find().filter(ev::Column::WorkOrderId.eq(id)).order_by_asc(ev::Column::Id).all(db).await?;
    let rows =
        photo::Entity::find().filter(photo::Column::WorkOrderId.eq(id)).order_by_asc(photo::Column::Id).all(db).await?;
    let files = stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(rows.iter().map(|p| p.file_id)))
        .all(db)
        .await?;
    let photos = rows
        .into_iter()
        .map(|p| PhotoView {
            file_name: files.iter().find(|f| f.id == p.file_id).map(|f| f.file_name.clone()).unwrap_or_default(),
            id: p.id,
            file_id: p.file_id,
            phase: Phase::parse(&p.phase).unwrap_or(Phase::During),
            caption: p.caption,
        })
        .collect();
    let asset_name = match w.asset_id {
        Some(a) => asset::Entity::find_by_id(a).one(db).await?.map(|a| a.name),
        None => None,
    };
    let rep = crate::entities::resident_report::Entity::find()
        .filter(crate::entities::resident_report::Column::WorkOrderId.eq(id))
        .one(db)
        .await?;
    let owner_side = access::side(ctx, &w) == Side::Owner;
    let reporter = match (&rep, owner_side) {
        (Some(r), true) => {
            // Reading a resident's identity is logged, like every read of personal data.
            audit::record_personal_read(
                db,
                ctx,
                audit::Change {
                    org_id: Some(w.owner_org_id),
                    bundle_id: Some(w.bundle_id),
                    action: "read_personal",
                    entity: "infra_resident_report",
                    entity_id: r.id.to_string(),
                    before: None,
                    after: None,
                },
            )
            .await?;
            Some(ReporterView {
                name: match (&r.last_name, &r.first_name) {
                    (None, None) => None,
                    (l, f) => Some(
                        format!("{} {}", l.clone().unwrap_or_default(), f.clone().unwrap_or_default())
                            .trim()
                            .to_string(),
                    ),
                },
                email: r.email.clone(),
                phone: r.phone.clone(),
                service_code: r.service_code.clone(),
                description: r.description.clone(),
                media_url: r.media_url.clone(),
            })
        }
        _ => None,
    };
    let job_cap = super::contracts::in_force(db, w.bundle_id, today_jst()).await?.map(|c| c.job_cap);
    let over_cap = job_cap.is_some_and(|cap| w.instructed_amount.max(w.cost_total).is_some_and(|v| v > cap));
    Ok(WorkOrderView {
        job_cap,
        over_cap,
        reporter_hidden: rep.is_some() && reporter.is_none(),
        reporter,
        status,
        urgency: Urgency::parse(&w.urgency).unwrap_or(Urgency::Normal),
        owner_name: org_name(db, w.owner_org_id).await?,
        contractor_name: match w.contractor_org_id {
            Some(c) => Some(org_name(db, c).await?),
            None => None,
        },
        asset_name,
        events,
        photos,
        allowed: allowed(status, access::side(ctx, &w)),
        overdue: is_overdue(&w, today_jst()),
        order: masked(ctx, w),
    })
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "WorkOrderStepForm")]
pub struct StepForm {
    pub action: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub instruction: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub cost_labour: String,
    #[serde(default)]
    pub cost_material: String,
    #[serde(default)]
    pub cost_machinery: String,
    #[serde(default)]
    pub cost_other: String,
    /// For 回送: another owner in the bundle (id), or empty when forwarded outside the bundle.
    #[serde(default)]
    pub forward_to: String,
    /// For 指示: 指示金額（概算）in yen.
    #[serde(default)]
    pub instructed_amount: String,
}

/// Takes one step on a work order, checking who may take it and from which status.
pub async fn step<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &StepForm,
) -> Result<wo::Model> {
    let action = Action::parse(&f.action)
        .ok_or_else(|| Error::invalid("action", "操作", "Action", "が正しくありません", "is not a known action"))?;
    let txn = db.begin().await?;
    let w = find(&txn, ctx, id).await?;
    let from = Status::parse(&w.status).unwrap_or(Status::Received);
    let side = access::side(ctx, &w);
    if side != side_for(action) {
        let who = match side_for(action) {
            Side::Owner => format!("管理者（{}）の担当者", org_name(&txn, w.owner_org_id).await?),
            _ => format!(
                "受注者（{}）の担当者",
                match w.contractor_org_id {
                    Some(c) => org_name(&txn, c).await?,
                    None => "未定".into(),
                }
            ),
        };
        return Err(Error::forbidden(
            format!("「{}」は{}が行います", action.label_ja(), who),
            format!(
                "\"{}\" is done by {}",
                action.label_en(),
                if side_for(action) == Side::Owner { "the owner's staff" } else { "the contractor's staff" }
            ),
        ));
    }
    let Some(mut to) = next_status(from, action) else {
        return Err(Error::conflict(
            format!("現在の状態「{}」では「{}」はできません", from.label_ja(), action.label_ja()),
            format!("\"{}\" is not possible while the job is \"{}\"", action.label_en(), from.label_en()),
        ));
    };
    let mut p = Problems::default();
    // A forward to a named organisation explains itself; every other such step needs a reason.
    let forwarded_to_someone = action == Action::Forward && !f.forward_to.trim().is_empty();
    if needs_reason(action) && f.reason.trim().is_empty() && !forwarded_to_someone {
        p.push("reason", "理由", "Reason", "を入力してください", "is required");
    }
    let owner_before = w.owner_org_id;
    let before = w.clone();
    let mut am: wo::ActiveModel = w.into();
    let now = Utc::now();
    match action {
        Action::Instruct => {
            p.required("instruction", "指示内容（方法）", "Instruction", &f.instruction);
            let urgency =
                if f.urgency.trim().is_empty() { Urgency::parse(&before.urgency) } else { Urgency::parse(&f.urgency) };
            match urgency {
                None => p.push(
                    "urgency",
                    "緊急度",
                    "Urgency",
                    "は 緊急・早期・通常 のいずれかです",
                    "must be emergency, early or normal",
                ),
                Some(u) => {
                    // Response deadlines come from the contract in force, else the defaults.
                    let days = match super::contracts::in_force(&txn, before.bundle_id, today_jst()).await? {
                        Some(c) => super::contracts::days_for(&c, u),
                        None => u.default_business_days(),
                    };
                    let cal = BusinessCalendar::default();
                    am.urgency = Set(u.key().into());
                    am.due_on = Set(Some(cal.add_business_days(today_jst(), days)));
                }
            }
            am.instructed_amount = Set(super::parse_yen(
                &mut p,
                "instructed_amount",
                "指示金額（概算）",
                "Instructed amount",
                &f.instructed_amount,
            ));
            am.instruction = Set(Some(f.instruction.trim().to_string()));
            am.instructed_at = Set(Some(now));
        }
        Action::Report => {
            let l = super::parse_yen(&mut p, "cost_labour", "労務費", "Labour", &f.cost_labour);
            let m = super::parse_yen(&mut p, "cost_material", "材料費", "Material", &f.cost_material);
            let k = super::parse_yen(&mut p, "cost_machinery", "機械費", "Machinery", &f.cost_machinery);
            let o = super::parse_yen(&mut p, "cost_other", "その他", "Other", &f.cost_other);
            if [l, m, k, o].iter().all(Option::is_none) {
                p.push(
                    "cost_labour",
                    "実費用",
                    "Actual cost",
                    "を入力してください（労務費・材料費・機械費・その他のいずれか）",
                    "is required",
                );
            }
            let after_photos = photo::Entity::find()
                .filter(photo::Column::WorkOrderId.eq(id))
                .filter(photo::Column::Phase.eq(Phase::After.key()))
                .count(&txn)
                .await?;
            if after_photos == 0 {
                p.push(
                    "photos",
                    "完了写真",
                    "Completion photo",
                    "を1枚以上登録してから報告してください",
                    "is needed before reporting",
                );
            }
            am.cost_labour = Set(l);
            am.cost_material = Set(m);
            am.cost_machinery = Set(k);
            am.cost_other = Set(o);
            am.cost_total = Set(Some([l, m, k, o].iter().flatten().sum()));
            am.reported_at = Set(Some(now));
        }
        Action::Confirm => am.confirmed_at = Set(Some(now)),
        Action::Forward => {
            if let Ok(target) = f.forward_to.trim().parse::<i64>() {
                let is_owner = tabane_core::service::bundles::member_role(&txn, before.bundle_id, target).await?
                    == Some(BundleRole::Owner);
                if !is_owner || target == owner_before {
                    p.push(
                        "forward_to",
                        "回送先",
                        "Forward to",
                        "は同じ束の別の管理者を選んでください",
                        "must be another owner in the bundle",
                    );
                }
                // Inside the bundle the job stays open, now with the other owner.
                am.owner_org_id = Set(target);
                am.asset_id = Set(None);
                to = Status::Received;
            }
        }
        _ => {}
    }
    p.into_result()?;
    am.status = Set(to.key().into());
    am.updated_at = Set(now);
    let after = am.update(&txn).await?;
    let reason = Some(f.reason.trim().to_string()).filter(|s| !s.is_empty());
    log_event(&txn, ctx, id, Some(from), to, action.key(), reason).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner_before),
            bundle_id: Some(after.bundle_id),
            action: action.key(),
            entity: "infra_work_order",
            entity_id: id.to_string(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}
