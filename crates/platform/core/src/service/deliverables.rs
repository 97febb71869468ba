//! 提出物（計画書・報告書）と承諾 (deliverables and their approval): a register of the plans
//! and reports a contractor (提出者) must hand to an owner (承諾者) within a bundle, with due
//! rules; each due submission is an instance (one for a one-off deliverable, one per month /
//! event / 年度 for recurring ones); each instance has revisions (版) and the owner's decision
//! (承諾 / 差戻し with a reason / 受理). A change after 承諾 reopens the instance until a new
//! revision is approved. Used by housing, infra and council.
//!
//! Visibility: members of the deliverable's bundle. Writes: see `policy::can_*_deliverable`.
//! The workflow (submit, decide, reopen, withdraw) is in `deliverables_flow.rs`, the reads (list, get,
//! overdue) in `deliverables_view.rs`.

use crate::context::Ctx;
use crate::entities::{bundle_member, deliverable, deliverable_instance, deliverable_submission};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Deserializer, Serialize};
use tabane_calendar::{BusinessCalendar, DeadlineRule};

pub use super::deliverables_flow::{DecisionForm, SubmitForm, decide, reopen_for_change, submit, withdraw};
pub use super::deliverables_view::{
    DeliverableFilter, DeliverableRow, DeliverableView, InstanceView, OverdueItem, SubmissionView, get, list, overdue,
};

crate::vocabulary! {
    /// 提出の頻度 (recurrence).
    Recurrence {
        Once = ("once", "一回", "Once"),
        Monthly = ("monthly", "毎月", "Monthly"),
        PerEvent = ("per_event", "都度", "Per event"),
        FiscalYear = ("fiscal_year", "毎年度", "Each fiscal year"),
    }
}

crate::vocabulary! {
    /// 提出回の状態 (instance status).
    #[schemars(rename = "DeliverableStatus")]
    Status {
        Pending = ("pending", "未提出", "Not submitted"),
        Submitted = ("submitted", "提出済", "Submitted"),
        Approved = ("approved", "承諾", "Approved"),
        Returned = ("returned", "差戻し", "Sent back"),
        Received = ("received", "受理", "Received"),
        Withdrawn = ("withdrawn", "取消", "Withdrawn"),
    }
}

impl Status {
    /// 承諾, 受理 or 取消: nothing more is due for this instance (it is never overdue).
    pub fn is_done(self) -> bool {
        matches!(self, Status::Approved | Status::Received | Status::Withdrawn)
    }

    /// 承諾 or 受理: a document was accepted (and can be reopened for a change).
    pub fn is_accepted(self) -> bool {
        matches!(self, Status::Approved | Status::Received)
    }
}

/// The period key of a one-off deliverable's single instance.
pub const ONCE: &str = "once";

/// A yes/no field that arrives as a JSON boolean or as form text ("on", "true", "1").
fn flag<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    #[derive(Deserialize, schemars::JsonSchema)]
    #[serde(untagged)]
    enum F {
        B(bool),
        S(String),
    }
    Ok(match F::deserialize(d)? {
        F::B(b) => b,
        F::S(s) => matches!(s.trim(), "on" | "true" | "1" | "yes" | "はい"),
    })
}

/// 提出物の登録 (register form). Text fields as typed; dates in any form `parse_date` reads.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct DeliverableForm {
    #[serde(default)]
    pub bundle_id: String,
    #[serde(default)]
    pub submitter_org_id: String,
    #[serde(default)]
    pub module: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub section_ref: String,
    #[serde(default, deserialize_with = "flag")]
    pub needs_approval: bool,
    /// 電子データ（ファイル）で提出: a submission without a file is refused.
    #[serde(default, deserialize_with = "flag")]
    pub file_required: bool,
    #[serde(default)]
    pub recurrence: String,
    #[serde(default)]
    pub due_rule: String,
    #[serde(default)]
    pub anchor_label: String,
    #[serde(default)]
    pub anchor_date: String,
    #[serde(default)]
    pub due_date: String,
}

/// 起算日の設定 (anchor form): the anchor date (and optionally its label).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AnchorForm {
    #[serde(default)]
    pub anchor_date: String,
    #[serde(default)]
    pub anchor_label: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn parse_rule(p: &mut Problems, text: &str) -> Option<DeadlineRule> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    DeadlineRule::parse(t)
        .map_err(|e| {
            p.push(
                "due_rule",
                "期限ルール",
                "Due rule",
                format!("が読み取れません（{e}）"),
                format!("cannot be read ({t}); e.g. +14d, -4m, next_month_start +9d"),
            )
        })
        .ok()
}

fn parse_day(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<NaiveDate> {
    p.date(field, ja, en, v)
}

/// The due date of a rule applied to an anchor (on the national business calendar).
pub fn due_from(rule: Option<&str>, anchor: Option<NaiveDate>) -> Option<NaiveDate> {
    let rule = DeadlineRule::parse(rule?).ok()?;
    Some(rule.apply(anchor?, &BusinessCalendar::new()))
}

/// The date a recurring period starts (the anchor of its due rule): the 1st of the month,
/// 4月1日 of the 年度, or the event's date. `None` when the period key is not valid.
pub fn period_start(rec: Recurrence, period: &str) -> Option<Option<NaiveDate>> {
    let p = period.trim();
    match rec {
        Recurrence::Once => (p == ONCE).then_some(None),
        Recurrence::Monthly => {
            NaiveDate::parse_from_str(&format!("{p}-01"), "%Y-%m-%d").ok().filter(|_| p.len() == 7).map(Some)
        }
        Recurrence::FiscalYear => p
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y) && p.len() == 4)
            .and_then(|y| NaiveDate::from_ymd_opt(y, 4, 1))
            .map(Some),
        Recurrence::PerEvent => {
            (!p.is_empty() && p.chars().count() <= 100 && p != ONCE).then(|| tabane_calendar::parse_date(p).ok())
        }
    }
}

/// Bundles whose deliverables the actor sees (`None`: all, for a system administrator).
pub(super) async fn visible_bundles<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Option<Vec<i64>>> {
    if ctx.system_admin {
        return Ok(None);
    }
    let Some(org) = ctx.org_id else { return Ok(Some(vec![])) };
    let ms = crate::service::bundle_access::in_force().filter(bundle_member::Column::OrgId.eq(org)).all(db).await?;
    Ok(Some(ms.into_iter().map(|m| m.bundle_id).collect()))
}

pub(super) fn scoped(ids: &Option<Vec<i64>>) -> sea_orm::Select<deliverable::Entity> {
    let q = deliverable::Entity::find();
    match ids {
        Some(ids) => q.filter(deliverable::Column::BundleId.is_in(ids.clone())),
        None => q,
    }
}

/// One deliverable the actor may see; another bundle's is `NotFound`.
pub(super) async fn load<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<deliverable::Model> {
    let ids = visible_bundles(db, ctx).await?;
    scoped(&ids).filter(deliverable::Column::Id.eq(id)).one(db).await?.ok_or(Error::NotFound)
}

/// One instance with its deliverable, scoped through the deliverable's bundle.
pub(super) async fn load_instance<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    instance_id: i64,
) -> Result<(deliverable::Model, deliverable_instance::Model)> {
    let ids = visible_bundles(db, ctx).await?;
    let mut visible = Query::select();
    visible.column(deliverable::Column::Id).from(deliverable::Entity);
    if let Some(ids) = &ids {
        visible.and_where(deliverable::Column::BundleId.is_in(ids.clone()));
    }
    let inst = deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::Id.eq(instance_id))
        .filter(deliverable_instance::Column::DeliverableId.in_subquery(visible.to_owned()))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let d =
        scoped(&ids).filter(deliverable::Column::Id.eq(inst.deliverable_id)).one(db).await?.ok_or(Error::NotFound)?;
    Ok((d, inst))
}

/// One submission, scoped through its instance and deliverable to the actor's bundles.
pub(super) async fn load_submission<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    submission_id: i64,
) -> Result<(deliverable::Model, deliverable_instance::Model, deliverable_submission::Model)> {
    let ids = visible_bundles(db, ctx).await?;
    let mut visible = Query::select();
    visible.column(deliverable::Column::Id).from(deliverable::Entity);
    if let Some(ids) = &ids {
        visible.and_where(deliverable::Column::BundleId.is_in(ids.clone()));
    }
    let instances = Query::select()
        .column(deliverable_instance::Column::Id)
        .from(deliverable_instance::Entity)
        .and_where(deliverable_instance::Column::DeliverableId.in_subquery(visible.to_owned()))
        .to_owned();
    let s = deliverable_submission::Entity::find()
        .filter(deliverable_submission::Column::Id.eq(submission_id))
        .filter(deliverable_submission::Column::InstanceId.in_subquery(instances))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let (d, i) = load_instance(db, ctx, s.instance_id).await?;
    Ok((d, i, s))
}

pub(super) fn snapshot<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// 登録: the acting organisation registers what it expects from a submitter in one of its
/// bundles, and becomes the approver. A one-off deliverable gets its instance at once.
pub async fn register<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &DeliverableForm,
) -> Result<deliverable::Model> {
    policy::can_register_deliverable(ctx)?;
    let owner = ctx.org_id.expect("checked by policy");
    let mut p = Problems::default();
    let bundle_id = f.bundle_id.trim().parse::<i64>().ok();
    if bundle_id.is_none() {
        p.push("bundle_id", "束", "Bundle", "を選んでください", "is required");
    }
    // A bundle the acting organisation is not in is not revealed.
    if let Some(b) = bundle_id
        && crate::service::bundles::member_role(db, b, owner).await?.is_none()
    {
        return Err(Error::NotFound);
    }
    let submitter = f.submitter_org_id.trim().parse::<i64>().ok();
    match (submitter, bundle_id) {
        (None, _) => p.push("submitter_org_id", "提出者", "Submitter", "を選んでください", "is required"),
        (Some(s), Some(b)) if crate::service::bundles::member_role(db, b, s).await?.is_none() => p.push(
            "submitter_org_id",
            "提出者",
            "Submitter",
            "は束の構成団体から選んでください",
            "must be a member of the bundle",
        ),
        _ => {}
    }
    p.required("code", "記号", "Code", &f.code);
    p.required("title", "名称", "Title", &f.title);
    let module = opt(&f.module).unwrap_or_else(|| "platform".into());
    let recurrence = Recurrence::parse(if f.recurrence.trim().is_empty() { "once" } else { &f.recurrence });
    if recurrence.is_none() {
        p.push(
            "recurrence",
            "提出の頻度",
            "Recurrence",
            format!("は次のいずれかです: {}", Recurrence::choices_ja()),
            "must be once, monthly, per_event or fiscal_year",
        );
    }
    let rule = parse_rule(&mut p, &f.due_rule);
    let anchor = parse_day(&mut p, "anchor_date", "起算日", "Anchor date", &f.anchor_date);
    let given_due = parse_day(&mut p, "due_date", "提出期限", "Due date", &f.due_date);
    if rule.is_some() && given_due.is_some() {
        p.push(
            "due_date",
            "提出期限",
            "Due date",
            "は期限ルールと同時に指定できません（起算日から計算します）",
            "cannot be given together with a due rule",
        );
    }
    if let (Some(b), true) = (bundle_id, !f.code.trim().is_empty()) {
        let dup = deliverable::Entity::find()
            .filter(deliverable::Column::BundleId.eq(b))
            .filter(deliverable::Column::Module.eq(module.clone()))
            .filter(deliverable::Column::Code.eq(f.code.trim()))
            .one(db)
            .await?;
        if dup.is_some() {
            p.push("code", "記号", "Code", "はこの束ですでに使われています", "is already used in this bundle");
        }
    }
    p.into_result()?;
    let recurrence = recurrence.expect("checked");
    let rule_text = rule.map(|r| r.to_text());
    let due = if recurrence == Recurrence::Once { due_from(rule_text.as_deref(), anchor).or(given_due) } else { None };
    let txn = db.begin().await?;
    let d = deliverable::ActiveModel {
        bundle_id: Set(bundle_id.expect("checked")),
        owner_org_id: Set(owner),
        submitter_org_id: Set(submitter.expect("checked")),
        module: Set(module),
        code: Set(f.code.trim().into()),
        title: Set(f.title.trim().into()),
        section_ref: Set(opt(&f.section_ref)),
        needs_approval: Set(f.needs_approval),
        file_required: Set(f.file_required),
        recurrence: Set(recurrence.key().into()),
        due_rule: Set(rule_text),
        anchor_label: Set(opt(&f.anchor_label)),
        anchor_date: Set(anchor),
        due_date: Set(due),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if recurrence == Recurrence::Once {
        new_instance(&txn, d.id, ONCE, due).await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: Some(d.bundle_id),
            action: "create",
            entity: "deliverable",
            entity_id: d.id.to_string(),
            before: None,
            after: snapshot(&d),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(d)
}

pub(super) async fn new_instance<C: ConnectionTrait>(
    conn: &C,
    deliverable_id: i64,
    period: &str,
    due: Option<NaiveDate>,
) -> Result<deliverable_instance::Model> {
    Ok(deliverable_instance::ActiveModel {
        deliverable_id: Set(deliverable_id),
        period: Set(period.into()),
        due_date: Set(due),
        status: Set(Status::Pending.key().into()),
        reopen_reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// 起算日の設定: the approver sets (or moves) the anchor date; the due date of a one-off
/// deliverable is recomputed with its rule, and so is that of its open instance.
pub async fn set_anchor<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &AnchorForm,
) -> Result<deliverable::Model> {
    let d = load(db, ctx, id).await?;
    policy::can_decide_deliverable(ctx, d.owner_org_id)?;
    let mut p = Problems::default();
    let anchor = parse_day(&mut p, "anchor_date", "起算日", "Anchor date", &f.anchor_date);
    if f.anchor_date.trim().is_empty() {
        p.push("anchor_date", "起算日", "Anchor date", "を入力してください", "is required");
    }
    p.into_result()?;
    let due = due_from(d.due_rule.as_deref(), anchor).or(d.due_date);
    let txn = db.begin().await?;
    let before = d.clone();
    let mut am = d.into_active_model();
    am.anchor_date = Set(anchor);
    if let Some(l) = opt(&f.anchor_label) {
        am.anchor_label = Set(Some(l));
    }
    if before.recurrence == Recurrence::Once.key() {
        am.due_date = Set(due);
    }
    let d = am.update(&txn).await?;
    if d.recurrence == Recurrence::Once.key() {
        for i in deliverable_instance::Entity::find()
            .filter(deliverable_instance::Column::DeliverableId.eq(d.id))
            .all(&txn)
            .await?
        {
            if !Status::parse(&i.status).is_some_and(Status::is_done) {
                let mut ia = i.into_active_model();
                ia.due_date = Set(due);
                ia.update(&txn).await?;
            }
        }
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(d.owner_org_id),
            bundle_id: Some(d.bundle_id),
            action: "set_anchor",
            entity: "deliverable",
            entity_id: d.id.to_string(),
            before: snapshot(&before),
            after: snapshot(&d),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(d)
}

/// The instance of `period` (`once`, `2027-04`, `2027`, an event date or label), created with
/// its due date when it does not exist yet. Submitter or approver staff may create it.
pub async fn ensure_instance<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    deliverable_id: i64,
    period: &str,
) -> Result<deliverable_instance::Model> {
    let d = load(db, ctx, deliverable_id).await?;
    let period = if period.trim().is_empty() && d.recurrence == Recurrence::Once.key() { ONCE } else { period.trim() };
    if let Some(i) = deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::DeliverableId.eq(d.id))
        .filter(deliverable_instance::Column::Period.eq(period))
        .one(db)
        .await?
    {
        return Ok(i);
    }
    policy::can_reopen_deliverable(ctx, d.owner_org_id, d.submitter_org_id)?;
    let rec = Recurrence::parse(&d.recurrence).unwrap_or(Recurrence::Once);
    let Some(start) = period_start(rec, period) else {
        let hint = match rec {
            Recurrence::Once => ("は once です", "must be \"once\""),
            Recurrence::Monthly => ("は 2027-04 の形で入力してください", "must look like 2027-04"),
            Recurrence::FiscalYear => {
                ("は年度の開始年（例: 2027）で入力してください", "must be the fiscal year's start year, e.g. 2027")
            }
            Recurrence::PerEvent => (
                "を入力してください（出来事の日付または名前、100文字まで）",
                "is required (the event's date or name, up to 100 characters)",
            ),
        };
        return Err(Error::invalid("period", "提出回（期間）", "Period", hint.0, hint.1));
    };
    let due = due_from(d.due_rule.as_deref(), start.or(d.anchor_date));
    let txn = db.begin().await?;
    let i = new_instance(&txn, d.id, period, due).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(d.owner_org_id),
            bundle_id: Some(d.bundle_id),
            action: "create",
            entity: "deliverable_instance",
            entity_id: i.id.to_string(),
            before: None,
            after: snapshot(&i),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(i)
}

/// An existing instance of a deliverable by period (for handlers addressing it by period).
pub async fn instance_by_period<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    deliverable_id: i64,
    period: &str,
) -> Result<deliverable_instance::Model> {
    let d = load(db, ctx, deliverable_id).await?;
    let period = if period.trim().is_empty() { ONCE } else { period.trim() };
    deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::DeliverableId.eq(d.id))
        .filter(deliverable_instance::Column::Period.eq(period))
        .one(db)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "period",
                "提出回（期間）",
                "Period",
                format!("「{period}」はまだありません"),
                format!("\"{period}\" does not exist yet"),
            )
        })
}

/// The deliverable id of a visible instance (for handlers that redirect to its page).
pub async fn instance_owner<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    instance_id: i64,
) -> Result<(i64, deliverable_instance::Model)> {
    let (d, i) = load_instance(db, ctx, instance_id).await?;
    Ok((d.id, i))
}

/// The deliverable id of a visible submission.
pub async fn deliverable_of_submission<D: ConnectionTrait>(db: &D, ctx: &Ctx, submission_id: i64) -> Result<i64> {
    Ok(load_submission(db, ctx, submission_id).await?.0.id)
}

/// Today in Japan (deadlines are Japanese calendar days).
pub fn today_jst() -> NaiveDate {
    tabane_calendar::jst::today()
}

/// The current period key of a recurrence (`2027-04`, `2027` for 年度 2027), for forms.
pub fn current_period(rec: Recurrence, today: NaiveDate) -> String {
    match rec {
        Recurrence::Once => ONCE.into(),
        Recurrence::Monthly => today.format("%Y-%m").to_string(),
        Recurrence::FiscalYear => (if today.month() >= 4 { today.year() } else { today.year() - 1 }).to_string(),
        Recurrence::PerEvent => today.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_due_dates() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(period_start(Recurrence::Monthly, "2027-04"), Some(Some(d(2027, 4, 1))));
        assert_eq!(period_start(Recurrence::Monthly, "2027-4"), None);
        assert_eq!(period_start(Recurrence::FiscalYear, "2027"), Some(Some(d(2027, 4, 1))));
        assert_eq!(period_start(Recurrence::Once, "once"), Some(None));
        assert_eq!(period_start(Recurrence::PerEvent, "説明会"), Some(None));
        assert_eq!(period_start(Recurrence::PerEvent, ""), None);
        assert_eq!(due_from(Some("+14d"), Some(d(2027, 4, 1))), Some(d(2027, 4, 15)));
        assert_eq!(due_from(Some("next_month_start +9d"), Some(d(2027, 4, 1))), Some(d(2027, 5, 10)));
        assert_eq!(due_from(None, Some(d(2027, 4, 1))), None);
        assert_eq!(current_period(Recurrence::FiscalYear, d(2028, 3, 31)), "2027");
    }
}
