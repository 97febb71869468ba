//! 苦情・要望・想定外の事態 (§8(3)イ(ア)(イ)): a log with urgency, scope, the action taken and when
//! (and how) the prefecture was told, with its instruction.
//!
//! Urgent complaints are handled at once and 「対応の結果を速やかに県に報告する」; urgent unexpected
//! events 「直ちに県に報告する」; serious ones 「遅滞なく県に報告する」. So an urgent or serious
//! incident not yet reported is flagged, and it cannot be closed until it is.

use super::access::{self, EstateAccess};
use crate::domain::IncidentKind;
use crate::entities::{case, incident};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit::{self, Change};
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct IncidentForm {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub estate_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub case_id: Option<i64>,
    #[serde(default)]
    pub kind: String,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub urgent: bool,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub in_scope: bool,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub received_on: Option<NaiveDate>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub pref_told_on: Option<NaiveDate>,
    #[serde(default)]
    pub pref_told_how: Option<String>,
    #[serde(default)]
    pub pref_instruction: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub closed_on: Option<NaiveDate>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Why an incident is flagged: every one is reported to the prefecture (§8(3)イ, seed lines
/// 1470–1480), so each is flagged until it is. An urgent 苦情・要望 within the work is handled
/// first and its result reported; a non-urgent or out-of-scope one 「県に速やかに報告し、協議の上、
/// 対応する」; a 想定外の事態 「事業者は速やかに県に連絡し、その指示により対応する」.
pub fn flag(
    kind: Option<IncidentKind>,
    urgent: bool,
    in_scope: bool,
    pref_told_on: Option<NaiveDate>,
) -> Option<&'static str> {
    if pref_told_on.is_some() {
        return None;
    }
    Some(match (kind, urgent) {
        (Some(IncidentKind::Serious), _) => "重大な事態：遅滞なく県に報告してください",
        (Some(IncidentKind::Unexpected), true) => "緊急の想定外の事態：対応の結果を直ちに県に報告してください",
        (Some(IncidentKind::Unexpected), false) => "想定外の事態：速やかに県に連絡し、その指示により対応してください",
        (_, true) if in_scope => "緊急：対応の結果を速やかに県に報告してください",
        (_, true) => "業務範囲外：県に速やかに報告し、協議の上、対応してください",
        (_, false) => "緊急を要さない苦情・要望：県に速やかに報告し、協議の上、対応してください",
    })
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct IncidentRow {
    #[serde(flatten)]
    pub m: incident::Model,
    pub kind_label: &'static str,
    pub flag: Option<&'static str>,
}

fn row(m: incident::Model) -> IncidentRow {
    let k = IncidentKind::parse(&m.kind);
    IncidentRow {
        kind_label: k.map(|k| k.label_ja()).unwrap_or(""),
        flag: flag(k, m.urgent, m.in_scope, m.pref_told_on),
        m,
    }
}

async fn check<D: ConnectionTrait>(db: &D, estate_id: i64, f: &IncidentForm) -> Result<(IncidentKind, NaiveDate)> {
    let mut p = Problems::default();
    let kind = IncidentKind::parse(&f.kind);
    if kind.is_none() {
        p.push(
            "kind",
            "種別",
            "Kind",
            format!("は{}のいずれかです", IncidentKind::choices_ja()),
            "must be complaint, request, unexpected or serious",
        );
    }
    p.required("summary", "内容", "Summary", &f.summary);
    if f.received_on.is_none() {
        p.push("received_on", "受付日", "Received on", "を入力してください", "is required");
    }
    if let (Some(r), Some(t)) = (f.received_on, f.pref_told_on)
        && t < r
    {
        p.push(
            "pref_told_on",
            "県への報告日",
            "Reported on",
            "は受付日以降の日付にしてください",
            "must not be before the received date",
        );
    }
    if f.pref_told_on.is_some() && text(&f.pref_told_how).is_none() {
        p.push(
            "pref_told_how",
            "報告の方法",
            "How reported",
            "を入力してください（電話・メール・書面など）",
            "is required with the report date",
        );
    }
    if let (Some(r), Some(c)) = (f.received_on, f.closed_on)
        && c < r
    {
        p.push(
            "closed_on",
            "完了日",
            "Closed on",
            "は受付日以降の日付にしてください",
            "must not be before the received date",
        );
    }
    if f.closed_on.is_some()
        && let Some(why) = flag(kind, f.urgent, f.in_scope, f.pref_told_on)
    {
        p.push(
            "closed_on",
            "完了日",
            "Closed on",
            format!("は県への報告の後に入力できます（{why}）"),
            "report to the prefecture before closing",
        );
    }
    if let Some(cid) = f.case_id
        && case::Entity::find_by_id(cid).one(db).await?.filter(|c| c.estate_id == estate_id).is_none()
    {
        p.push("case_id", "案件", "Case", "はこの団地の案件ではありません", "is not a case of this estate");
    }
    p.into_result()?;
    Ok((kind.expect("checked"), f.received_on.expect("checked")))
}

fn audit_change<'a>(
    acc: &EstateAccess,
    action: &'a str,
    m: &incident::Model,
    before: Option<serde_json::Value>,
) -> Change<'a> {
    acc.change(action, "housing_incident", m.id, before, serde_json::to_value(m).ok())
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &IncidentForm,
) -> Result<incident::Model> {
    let Some(estate_id) = f.estate_id else {
        return Err(Error::invalid("estate_id", "団地", "Estate", "を選んでください", "is required"));
    };
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_staff()?;
    let (kind, received) = check(db, estate_id, f).await?;
    let tx = db.begin().await?;
    let m = incident::ActiveModel {
        estate_id: Set(estate_id),
        case_id: Set(f.case_id),
        kind: Set(kind.key().into()),
        urgent: Set(f.urgent),
        in_scope: Set(f.in_scope),
        received_on: Set(received),
        summary: Set(f.summary.trim().into()),
        action: Set(text(&f.action)),
        pref_told_on: Set(f.pref_told_on),
        pref_told_how: Set(text(&f.pref_told_how)),
        pref_instruction: Set(text(&f.pref_instruction)),
        closed_on: Set(f.closed_on),
        recorded_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, ctx, audit_change(&acc, "create", &m, None)).await?;
    tx.commit().await?;
    Ok(m)
}

pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<(IncidentRow, EstateAccess)> {
    let Some(m) = incident::Entity::find_by_id(id).one(db).await? else { return Err(Error::NotFound) };
    let acc = access::estate_for(db, ctx, m.estate_id).await?;
    Ok((row(m), acc))
}

/// Updates every field but the estate (the form carries the whole record).
pub async fn update<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &IncidentForm,
) -> Result<incident::Model> {
    let (r, acc) = get(db, ctx, id).await?;
    acc.require_staff()?;
    let (kind, received) = check(db, r.m.estate_id, f).await?;
    let before = serde_json::to_value(&r.m).ok();
    let tx = db.begin().await?;
    let mut am: incident::ActiveModel = r.m.into();
    am.case_id = Set(f.case_id);
    am.kind = Set(kind.key().into());
    am.urgent = Set(f.urgent);
    am.in_scope = Set(f.in_scope);
    am.received_on = Set(received);
    am.summary = Set(f.summary.trim().into());
    am.action = Set(text(&f.action));
    am.pref_told_on = Set(f.pref_told_on);
    am.pref_told_how = Set(text(&f.pref_told_how));
    am.pref_instruction = Set(text(&f.pref_instruction));
    am.closed_on = Set(f.closed_on);
    let m = am.update(&tx).await?;
    audit::record(&tx, ctx, audit_change(&acc, "update", &m, before)).await?;
    tx.commit().await?;
    Ok(m)
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct IncidentFilter {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub estate: Option<i64>,
    /// Only open ones (no 完了日).
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub open: bool,
    /// Received in this month (YYYY-MM).
    #[serde(default)]
    pub month: Option<String>,
}

/// The incidents the actor may see, newest first.
pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, f: &IncidentFilter) -> Result<Vec<IncidentRow>> {
    let ids: Vec<i64> = access::visible_estates(db, ctx)
        .await?
        .into_iter()
        .map(|a| a.estate.id)
        .filter(|id| f.estate.is_none_or(|e| e == *id))
        .collect();
    let mut q = incident::Entity::find().filter(incident::Column::EstateId.is_in(ids));
    if f.open {
        q = q.filter(incident::Column::ClosedOn.is_null());
    }
    if let Some((from, to)) = f.month.as_deref().and_then(month_range) {
        q = q.filter(incident::Column::ReceivedOn.gte(from)).filter(incident::Column::ReceivedOn.lte(to));
    }
    Ok(q.order_by_desc(incident::Column::ReceivedOn)
        .order_by_desc(incident::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(row)
        .collect())
}

/// The first and last day of a month given as YYYY-MM.
pub fn month_range(m: &str) -> Option<(NaiveDate, NaiveDate)> {
    let m = m.trim();
    if m.len() != 7 {
        return None;
    }
    let from = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()?;
    Some((from, tabane_calendar::end_of_month(from)))
}
