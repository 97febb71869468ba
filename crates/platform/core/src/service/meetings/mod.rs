//! 会議 (meetings), a platform component: a series (会議体) belongs to a bundle or to one
//! organisation; each meeting has its time in JST, place or online URL, participants, ordered
//! agenda items, decisions and action items, and — in a bundle — its materials (会議資料) and
//! minutes (議事録) as deliverable instances whose due dates come from the meeting's date through
//! the series' deadline rules. Modules address meetings by series and never read these tables;
//! a module that contributes agenda items does so through the web kit's agenda provider, whose
//! text the caller passes in here.

mod record;
mod schedule;

pub use record::{ActionForm, AgendaForm, add_action, add_agenda_item, set_action_status};
pub use schedule::{CancelForm, MeetingForm, cancel, create, update};

use crate::context::Ctx;
use crate::entities::{
    bundle, deliverable_instance, meeting, meeting_action, meeting_agenda_item, meeting_document, meeting_participant,
    meeting_series, organisation, user,
};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use crate::service::bundles;
use crate::service::deliverables::{DeliverableForm, Status};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::{Adjust, BusinessCalendar, DeadlineRule};

crate::vocabulary! {
    /// 期限が営業日でない場合 (how a due date that is not a business day moves).
    DueAdjust {
        Prev = ("prev", "前営業日に繰り上げ", "Earlier business day"),
        Next = ("next", "翌営業日に繰り下げ", "Later business day"),
        Keep = ("none", "そのまま", "Unchanged"),
    }
}

impl DueAdjust {
    fn calendar(self) -> Adjust {
        match self {
            DueAdjust::Prev => Adjust::PreviousBusinessDay,
            DueAdjust::Next => Adjust::NextBusinessDay,
            DueAdjust::Keep => Adjust::None,
        }
    }
}

/// 会議体の登録 (a new series). Rules are calendar deadline rules counted from the meeting date
/// (`-7d`: seven days before); empty fields take the defaults (資料 `-7d`, 議事録 `+7d`, 前営業日).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SeriesForm {
    #[serde(default)]
    pub bundle_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub adjust: String,
    #[serde(default)]
    pub materials_rule: String,
    #[serde(default)]
    pub minutes_rule: String,
    /// The minutes' adjustment when it differs (empty: the same as `adjust`).
    #[serde(default)]
    pub minutes_adjust: String,
    /// Who hands in the materials and minutes (a member of the bundle; default the organiser).
    #[serde(default)]
    pub submitter_org_id: String,
}

/// Kinds offered on the form (free text is accepted).
pub const KINDS: &[&str] = &["研究部会", "担当者打合せ", "月例会議", "推進会議", "幹事会", "総会"];

/// A series as the actor sees it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SeriesView {
    pub series: meeting_series::Model,
    pub bundle_name: Option<String>,
    pub owner_name: String,
    pub adjust: DueAdjust,
    pub minutes_adjust: DueAdjust,
    /// The rules in words: 「会議の7日前（営業日でない場合は前営業日）」.
    pub materials_rule_ja: String,
    pub minutes_rule_ja: String,
    pub meetings: Vec<meeting::Model>,
    pub can_manage: bool,
}

/// A deliverable instance of a meeting, as shown on it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DocumentRow {
    pub role: String,
    pub deliverable_id: i64,
    pub instance: deliverable_instance::Model,
    pub status: Status,
}

/// An action item or decision with the name of the organisation responsible.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ActionRow {
    pub action: meeting_action::Model,
    pub owner_name: Option<String>,
}

/// One meeting as the actor sees it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct MeetingView {
    pub meeting: meeting::Model,
    pub series: meeting_series::Model,
    pub owner_name: String,
    pub organiser_name: String,
    /// Participating organisations and named users (名前).
    pub participant_orgs: Vec<(i64, String)>,
    pub participant_users: Vec<(i64, String)>,
    pub agenda: Vec<meeting_agenda_item::Model>,
    pub actions: Vec<ActionRow>,
    pub documents: Vec<DocumentRow>,
    pub can_manage: bool,
}

fn org_name(orgs: &[organisation::Model], id: i64) -> String {
    orgs.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default()
}

async fn name_of<C: ConnectionTrait>(db: &C, org: i64) -> Result<String> {
    Ok(organisation::Entity::find_by_id(org).one(db).await?.map(|o| o.name).unwrap_or_default())
}

/// The adjustments of a series: the materials' and the minutes'.
pub fn adjusts(s: &meeting_series::Model) -> (DueAdjust, DueAdjust) {
    let adjust = DueAdjust::parse(&s.adjust).unwrap_or(DueAdjust::Prev);
    (adjust, s.minutes_adjust.as_deref().and_then(DueAdjust::parse).unwrap_or(adjust))
}

/// The deadline rule of a series' document (`rule` plus the series' adjustment).
pub fn rule(text: &str, adjust: DueAdjust) -> Option<DeadlineRule> {
    DeadlineRule::parse(text).ok().map(|r| r.with_adjust(adjust.calendar()))
}

/// The due date of a document of a meeting held on `day`.
pub fn due_on(text: &str, adjust: DueAdjust, day: NaiveDate) -> Option<NaiveDate> {
    Some(rule(text, adjust)?.apply(day, &BusinessCalendar::new()))
}

/// The rule in words, as the page shows it: 「会議の7日前（営業日でない場合は前営業日）」.
pub fn rule_ja(text: &str, adjust: DueAdjust) -> String {
    rule(text, adjust).map(|r| format!("会議の{}", r.describe_ja())).unwrap_or_default()
}

/// A series the actor may see (`NotFound` otherwise), with whether it may manage it.
pub(crate) async fn load_series<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    id: i64,
) -> Result<(meeting_series::Model, String)> {
    let s = meeting_series::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let my_role = match (s.bundle_id, ctx.org_id) {
        (Some(b), Some(org)) => bundles::member_role(db, b, org).await?,
        _ => None,
    };
    if !policy::meeting_series_visible(ctx, s.owner_org_id, my_role) {
        return Err(Error::NotFound);
    }
    let owner = name_of(db, s.owner_org_id).await?;
    Ok((s, owner))
}

/// A series the actor may see (`NotFound` otherwise).
pub async fn series<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<meeting_series::Model> {
    Ok(load_series(db, ctx, id).await?.0)
}

/// The organisations that take part in a series: its owner first, then the bundle's members in
/// force (participants and the organisations responsible for action items come from these).
pub async fn series_orgs<C: ConnectionTrait>(db: &C, s: &meeting_series::Model) -> Result<Vec<i64>> {
    let mut ids = vec![s.owner_org_id];
    if let Some(b) = s.bundle_id {
        ids.extend(
            crate::service::bundle_access::members(db, b)
                .await?
                .into_iter()
                .map(|(o, _)| o)
                .filter(|o| *o != s.owner_org_id),
        );
    }
    Ok(ids)
}

/// Series the acting organisation runs or takes part in through a bundle in force.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<meeting_series::Model>> {
    let mut q = meeting_series::Entity::find().order_by_asc(meeting_series::Column::Id);
    if !ctx.system_admin {
        let Some(org) = ctx.org_id else { return Ok(vec![]) };
        let mine: Vec<i64> =
            crate::service::bundle_access::my_bundles(db, ctx).await?.into_iter().map(|(b, _)| b).collect();
        q = q.filter(
            sea_orm::Condition::any()
                .add(meeting_series::Column::OwnerOrgId.eq(org))
                .add(meeting_series::Column::BundleId.is_in(mine)),
        );
    }
    Ok(q.all(db).await?)
}

/// Upcoming meetings (from `from`, JST day) of the series the actor sees, soonest first.
pub async fn upcoming<C: ConnectionTrait>(db: &C, ctx: &Ctx, from: NaiveDate) -> Result<Vec<meeting::Model>> {
    let ids: Vec<i64> = list(db, ctx).await?.into_iter().map(|s| s.id).collect();
    Ok(meeting::Entity::find()
        .filter(meeting::Column::SeriesId.is_in(ids))
        .filter(meeting::Column::StartsAt.gte(tabane_calendar::jst::start_of(from)))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?)
}

pub async fn get_series<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<SeriesView> {
    let (series, owner_name) = load_series(db, ctx, id).await?;
    let bundle_name = match series.bundle_id {
        Some(b) => bundle::Entity::find_by_id(b).one(db).await?.map(|b| b.name),
        None => None,
    };
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::SeriesId.eq(id))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let (adjust, minutes_adjust) = adjusts(&series);
    Ok(SeriesView {
        can_manage: policy::can_manage_meetings(ctx, series.owner_org_id, &owner_name).is_ok(),
        materials_rule_ja: rule_ja(&series.materials_rule, adjust),
        minutes_rule_ja: rule_ja(&series.minutes_rule, minutes_adjust),
        adjust,
        minutes_adjust,
        bundle_name,
        owner_name,
        meetings,
        series,
    })
}

/// 会議体の登録: the acting organisation's staff create a series (in one of its bundles, or
/// for itself). In a bundle, its materials and minutes are registered as two per-event
/// deliverables (minutes need 承諾), so every meeting's documents are tracked and approved in the
/// deliverables register.
pub async fn create_series<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &SeriesForm,
) -> Result<meeting_series::Model> {
    policy::can_register_deliverable(ctx)?;
    let owner = ctx.org_id.expect("checked by policy");
    let mut p = Problems::default();
    p.required("title", "会議体の名称", "Title", &f.title);
    let bundle_id = match f.bundle_id.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(b) if bundles::member_role(db, b, owner).await?.is_some() => Some(b),
            _ => return Err(Error::NotFound),
        },
    };
    let adjust = if f.adjust.trim().is_empty() { Some(DueAdjust::Prev) } else { DueAdjust::parse(&f.adjust) };
    if adjust.is_none() {
        p.push(
            "adjust",
            "営業日でない場合",
            "If not a business day",
            format!("は次のいずれかです: {}", DueAdjust::choices_ja()),
            "must be prev, next or none",
        );
    }
    let minutes_adjust = match f.minutes_adjust.trim() {
        "" => None,
        t => {
            let a = DueAdjust::parse(t);
            if a.is_none() {
                p.push(
                    "minutes_adjust",
                    "議事録の期限が営業日でない場合",
                    "Minutes: if not a business day",
                    format!("は次のいずれかです: {}", DueAdjust::choices_ja()),
                    "must be prev, next or none",
                );
            }
            a
        }
    };
    let mut rule_of = |field: &str, ja: &str, en: &str, v: &str, default: &str| -> String {
        let t = if v.trim().is_empty() { default.to_string() } else { v.trim().to_string() };
        match DeadlineRule::parse(&t) {
            Ok(r) if r.adjust == Adjust::None => r.to_text(),
            Ok(_) => {
                p.push(field, ja, en, "に adjust は書けません（下の選択で指定します）", "must not carry adjust=");
                t
            }
            Err(e) => {
                p.push(field, ja, en, format!("が読み取れません（{e}）"), "cannot be read; e.g. -7d, +7d, -5bd");
                t
            }
        }
    };
    let materials_rule = rule_of("materials_rule", "会議資料の期限", "Materials due", &f.materials_rule, "-7d");
    let minutes_rule = rule_of("minutes_rule", "議事録の期限", "Minutes due", &f.minutes_rule, "+7d");
    let submitter = match f.submitter_org_id.trim() {
        "" => owner,
        t => t.parse::<i64>().unwrap_or(0),
    };
    if let Some(b) = bundle_id
        && submitter != owner
        && bundles::member_role(db, b, submitter).await?.is_none()
    {
        p.push(
            "submitter_org_id",
            "資料・議事録の作成者",
            "Prepared by",
            "は束の構成団体から選んでください",
            "must be a member of the bundle",
        );
    }
    p.into_result()?;
    let adjust = adjust.expect("checked");
    let kind = Some(f.kind.trim()).filter(|k| !k.is_empty()).unwrap_or("会議").to_string();
    let txn = db.begin().await?;
    let now = Utc::now();
    let mut s = meeting_series::ActiveModel {
        bundle_id: Set(bundle_id),
        owner_org_id: Set(owner),
        title: Set(f.title.trim().into()),
        kind: Set(kind),
        adjust: Set(adjust.key().into()),
        materials_rule: Set(materials_rule.clone()),
        minutes_rule: Set(minutes_rule.clone()),
        minutes_adjust: Set(minutes_adjust.filter(|m| *m != adjust).map(|m| m.key().into())),
        materials_deliverable_id: Set(None),
        minutes_deliverable_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(b) = bundle_id {
        let register = |code: String, title: String, rule: &str, adjust: DueAdjust, approval: bool| DeliverableForm {
            bundle_id: b.to_string(),
            submitter_org_id: submitter.to_string(),
            module: "meetings".into(),
            code,
            title,
            needs_approval: approval,
            // Materials and minutes are documents: handed in as files.
            file_required: true,
            recurrence: "per_event".into(),
            due_rule: format!("{rule} adjust={}", adjust.key()),
            anchor_label: "開催日".into(),
            ..Default::default()
        };
        let m = crate::service::deliverables::register(
            &txn,
            ctx,
            &register(format!("会議{}-資料", s.id), format!("{} 会議資料", s.title), &materials_rule, adjust, false),
        )
        .await?;
        let n = crate::service::deliverables::register(
            &txn,
            ctx,
            &register(
                format!("会議{}-議事録", s.id),
                format!("{} 議事録", s.title),
                &minutes_rule,
                minutes_adjust.unwrap_or(adjust),
                true,
            ),
        )
        .await?;
        let mut am: meeting_series::ActiveModel = s.into();
        am.materials_deliverable_id = Set(Some(m.id));
        am.minutes_deliverable_id = Set(Some(n.id));
        s = am.update(&txn).await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id,
            action: "create",
            entity: "meeting_series",
            entity_id: s.id.to_string(),
            before: None,
            after: serde_json::to_value(&s).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

/// A meeting the actor may see, with its series and the series' organisation name.
pub(crate) async fn load_meeting<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    id: i64,
) -> Result<(meeting::Model, meeting_series::Model, String)> {
    let m = meeting::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let (s, owner) = load_series(db, ctx, m.series_id).await?;
    Ok((m, s, owner))
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<MeetingView> {
    let (meeting, series, owner_name) = load_meeting(db, ctx, id).await?;
    let parts =
        meeting_participant::Entity::find().filter(meeting_participant::Column::MeetingId.eq(id)).all(db).await?;
    let actions = meeting_action::Entity::find()
        .filter(meeting_action::Column::MeetingId.eq(id))
        .order_by_asc(meeting_action::Column::Id)
        .all(db)
        .await?;
    let mut org_ids: Vec<i64> = parts.iter().filter_map(|p| p.org_id).collect();
    org_ids.extend(actions.iter().filter_map(|a| a.owner_org_id));
    org_ids.push(meeting.organiser_org_id);
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(org_ids)).all(db).await?;
    let user_ids: Vec<i64> = parts.iter().filter_map(|p| p.user_id).collect();
    let users = user::Entity::find().filter(user::Column::Id.is_in(user_ids)).all(db).await?;
    let docs = meeting_document::Entity::find()
        .filter(meeting_document::Column::MeetingId.eq(id))
        .order_by_asc(meeting_document::Column::Id)
        .all(db)
        .await?;
    let insts = deliverable_instance::Entity::find()
        .filter(deliverable_instance::Column::Id.is_in(docs.iter().map(|d| d.instance_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let documents = docs
        .iter()
        .filter_map(|d| {
            let i = insts.iter().find(|i| i.id == d.instance_id)?.clone();
            Some(DocumentRow {
                role: d.role.clone(),
                deliverable_id: i.deliverable_id,
                status: Status::parse(&i.status)?,
                instance: i,
            })
        })
        .collect();
    Ok(MeetingView {
        can_manage: policy::can_manage_meetings(ctx, series.owner_org_id, &owner_name).is_ok(),
        organiser_name: org_name(&orgs, meeting.organiser_org_id),
        participant_orgs: parts.iter().filter_map(|p| p.org_id).map(|o| (o, org_name(&orgs, o))).collect(),
        participant_users: parts
            .iter()
            .filter_map(|p| p.user_id)
            .filter_map(|u| users.iter().find(|x| x.id == u).map(|x| (u, x.display_name.clone())))
            .collect(),
        agenda: meeting_agenda_item::Entity::find()
            .filter(meeting_agenda_item::Column::MeetingId.eq(id))
            .order_by_asc(meeting_agenda_item::Column::Position)
            .all(db)
            .await?,
        actions: actions
            .into_iter()
            .map(|a| ActionRow { owner_name: a.owner_org_id.map(|o| org_name(&orgs, o)), action: a })
            .collect(),
        documents,
        owner_name,
        meeting,
        series,
    })
}

pub mod ical;
