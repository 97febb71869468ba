//! ワンストップ窓口 (spec §2.1, R1–R2): every 相談・提案 gets a 受付番号 and stays one record however
//! many departments it is routed to; only the window answers (one voice to the proposer), routed
//! departments add their 所見. Each reception shows its 回答目標日 and, open past it, how many days
//! it is late. A proposal may hold a company's know-how: it is visible to its proposer, the window
//! and the departments it is routed to only (`can_view_proposal`). Similar earlier receptions are
//! listed with the text they share (character-bigram TF-IDF, `tabane_partnership_rules::similarity`).

use super::access::{self, PlatformAccess, Side, rule_error};
use crate::domain::{self, AnswerKind, Channel, ContactKind, Status};
use crate::entities::{contact, route};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::crypto::{self, EncryptedColumn};
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_partnership_rules::contact::{Actor, ContactAction, transition};
use tabane_partnership_rules::resource::can_view_proposal;
use tabane_partnership_rules::similarity::{Document, SimilarityIndex};
use tabane_partnership_rules::turnaround::{Turnaround, TurnaroundSetting, turnaround};

pub const COLUMNS: &[EncryptedColumn] = &[EncryptedColumn {
    table: "pp_contacts",
    id_col: "id",
    col: "proposer_contact_enc",
    aad_prefix: "pp_contacts.proposer_contact:",
}];

pub fn columns() -> Vec<EncryptedColumn> {
    COLUMNS.to_vec()
}

/// 受付の登録 (the window, or a partner for its own proposal).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpContactForm")]
pub struct ContactForm {
    #[serde(default)]
    pub received_on: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub proposer_org_id: Option<i64>,
    #[serde(default)]
    pub proposer_label: String,
    /// A resident's contact (sealed).
    #[serde(default)]
    pub proposer_contact: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub fields: String,
}

/// A reception as lists show it, with its turnaround.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpContactRow")]
pub struct ContactRow {
    pub contact: contact::Model,
    pub status: Status,
    pub kind: Option<ContactKind>,
    /// 回答目標日 and where the reception stands against it.
    #[schemars(with = "serde_json::Value")]
    pub turnaround: Option<Turnaround>,
    pub departments: Vec<String>,
}

pub fn setting(a: &PlatformAccess) -> TurnaroundSetting {
    TurnaroundSetting { target_days: u32::try_from(a.platform.answer_days).unwrap_or(55), ..Default::default() }
}

async fn row<C: ConnectionTrait>(
    db: &C,
    a: &PlatformAccess,
    c: contact::Model,
    as_of: NaiveDate,
) -> Result<ContactRow> {
    let mut departments = Vec::new();
    for r in routes_of(db, c.id).await? {
        departments.push(org_name(db, r.department_org_id).await?);
    }
    Ok(ContactRow {
        turnaround: turnaround(c.received_on, c.answered_on, as_of.max(c.received_on), &setting(a)).ok(),
        status: Status::parse(&c.status).unwrap_or(Status::Received),
        kind: ContactKind::parse(&c.kind),
        departments,
        contact: c,
    })
}

pub async fn org_name<C: ConnectionTrait>(db: &C, id: i64) -> Result<String> {
    Ok(organisation::Entity::find_by_id(id).one(db).await?.map(|o| o.name).unwrap_or_default())
}

async fn routes_of<C: ConnectionTrait>(db: &C, contact_id: i64) -> Result<Vec<route::Model>> {
    Ok(route::Entity::find()
        .filter(route::Column::ContactId.eq(contact_id))
        .order_by_asc(route::Column::Id)
        .all(db)
        .await?)
}

/// Whether the actor reads this reception (`can_view_proposal`).
async fn sees<C: ConnectionTrait>(db: &C, a: &PlatformAccess, c: &contact::Model) -> Result<bool> {
    let proposer = a.org_id.is_some() && c.proposer_org_id == a.org_id;
    let routed = a.side == Side::Department
        && match a.org_id {
            Some(o) => routes_of(db, c.id).await?.iter().any(|r| r.department_org_id == o),
            None => false,
        };
    Ok(can_view_proposal(proposer, a.is_window(), routed))
}

/// 受付番号: 年度-連番 within the platform.
async fn next_number<C: ConnectionTrait>(db: &C, platform_id: i64, day: NaiveDate) -> Result<String> {
    let fy = FiscalYear::of(day);
    let prefix = format!("{}-", fy.0);
    let n = contact::Entity::find()
        .filter(contact::Column::PlatformId.eq(platform_id))
        .filter(contact::Column::ReceptionNo.starts_with(&prefix))
        .count(db)
        .await?;
    Ok(format!("{prefix}{:04}", n + 1))
}

/// The checked form: kind, channel, day (defaults: 提案, ポータル, today).
struct Valid {
    kind: ContactKind,
    channel: Channel,
    day: NaiveDate,
}

fn check(f: &ContactForm) -> Result<Valid> {
    let mut p = Problems::default();
    p.required("title", "件名", "Title", &f.title);
    p.required("body", "内容", "Body", &f.body);
    if f.title.chars().count() > 200 {
        p.push("title", "件名", "Title", "は200文字以内で入力してください", "must be 200 characters or fewer");
    }
    if f.body.chars().count() > 10_000 {
        p.push("body", "内容", "Body", "は10,000文字以内で入力してください", "is too long");
    }
    let kind = if f.kind.trim().is_empty() { Some(ContactKind::Proposal) } else { ContactKind::parse(&f.kind) };
    if kind.is_none() {
        p.push("kind", "種別", "Kind", "は相談・提案のいずれかです", "is 相談 or 提案");
    }
    let channel = if f.channel.trim().is_empty() { Some(Channel::Portal) } else { Channel::parse(&f.channel) };
    if channel.is_none() {
        p.push(
            "channel",
            "受付経路",
            "Channel",
            format!("は次のいずれかです: {}", Channel::choices_ja()),
            "is not a choice",
        );
    }
    let day = p.date("received_on", "受付日", "Received on", &f.received_on);
    p.into_result()?;
    Ok(Valid {
        kind: kind.unwrap_or(ContactKind::Proposal),
        channel: channel.unwrap_or(Channel::Portal),
        day: day.unwrap_or_else(tabane_calendar::jst::today),
    })
}

/// Writes a checked reception (the caller holds the transaction).
async fn insert<C: ConnectionTrait>(
    db: &C,
    platform_id: i64,
    f: &ContactForm,
    v: &Valid,
    proposer: Option<i64>,
    label: String,
) -> Result<contact::Model> {
    let now = Utc::now();
    let c = contact::ActiveModel {
        platform_id: Set(platform_id),
        reception_no: Set(next_number(db, platform_id, v.day).await?),
        received_on: Set(v.day),
        channel: Set(v.channel.key().into()),
        kind: Set(v.kind.key().into()),
        proposer_org_id: Set(proposer),
        proposer_label: Set(label),
        proposer_contact_enc: Set(None),
        title: Set(f.title.trim().into()),
        body: Set(f.body.trim().into()),
        fields: Set(f.fields.trim().into()),
        status: Set(Status::Received.key().into()),
        answer: Set(None),
        answer_text: Set(String::new()),
        answer_reason: Set(String::new()),
        answered_on: Set(None),
        agreed_on: Set(None),
        launched_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if f.proposer_contact.trim().is_empty() {
        return Ok(c);
    }
    let sealed = crypto::seal(&COLUMNS[0].aad(&c.id.to_string()), f.proposer_contact.trim())?;
    let mut am = c.into_active_model();
    am.proposer_contact_enc = Set(Some(sealed));
    Ok(am.update(db).await?)
}

fn change<'a>(a: &PlatformAccess, action: &'a str, c: &contact::Model) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.platform.owner_org_id),
        bundle_id: Some(a.platform.bundle_id),
        action,
        entity: "pp_contact",
        entity_id: c.id.to_string(),
        before: None,
        after: serde_json::to_value(c).ok(),
    }
}

/// 受付: the window enters any reception (face to face, phone…); a partner its own proposal.
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    platform_id: i64,
    f: &ContactForm,
) -> Result<ContactView> {
    let a = access::platform(db, ctx, platform_id).await?;
    a.require_staff()?;
    let v = check(f)?;
    let (proposer, label) = match a.side {
        Side::Secretariat => {
            let label = match f.proposer_org_id {
                Some(o) => org_name(db, o).await?,
                None => f.proposer_label.trim().to_string(),
            };
            if label.is_empty() {
                return Err(Error::invalid(
                    "proposer_label",
                    "提案者",
                    "Proposer",
                    "を入力してください",
                    "is required",
                ));
            }
            (f.proposer_org_id, label)
        }
        Side::Partner => {
            let org = a.org_id.ok_or(Error::NotFound)?;
            (Some(org), org_name(db, org).await?)
        }
        Side::Department => {
            return Err(Error::forbidden("相談・提案は窓口が受け付けます", "The one-stop window receives proposals"));
        }
    };
    let txn = db.begin().await?;
    let c = insert(&txn, platform_id, f, &v, proposer, label).await?;
    audit::record(&txn, ctx, change(&a, "create", &c)).await?;
    txn.commit().await?;
    view(db, ctx, c.id, None).await
}

/// The public intake form (signed out): a proposal with a 受付番号 as receipt.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpPublicForm")]
pub struct PublicForm {
    #[serde(default)]
    pub proposer_label: String,
    #[serde(default)]
    pub proposer_contact: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub fields: String,
}

pub async fn create_public<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    platform_id: i64,
    f: &PublicForm,
) -> Result<String> {
    let p = crate::entities::platform::Entity::find_by_id(platform_id).one(db).await?.ok_or(Error::NotFound)?;
    let form = ContactForm {
        kind: ContactKind::Proposal.key().into(),
        channel: Channel::Portal.key().into(),
        proposer_label: f.proposer_label.clone(),
        proposer_contact: f.proposer_contact.clone(),
        title: f.title.clone(),
        body: f.body.clone(),
        fields: f.fields.clone(),
        ..Default::default()
    };
    let mut v = check(&form);
    if f.proposer_label.trim().is_empty() {
        let problem = tabane_core::error::FieldProblem::new(
            "proposer_label",
            "団体名・お名前",
            "Name",
            "を入力してください",
            "is required",
        );
        v = match v {
            Err(Error::Invalid(mut ps)) => {
                ps.insert(0, problem);
                Err(Error::Invalid(ps))
            }
            _ => Err(Error::Invalid(vec![problem])),
        };
    }
    let v = v?;
    let txn = db.begin().await?;
    let c = insert(&txn, platform_id, &form, &v, None, f.proposer_label.trim().into()).await?;
    let anon = Ctx { actor: "portal".into(), system_admin: false, ..Ctx::cli() };
    audit::record(
        &txn,
        &anon,
        audit::Change {
            org_id: Some(p.owner_org_id),
            bundle_id: Some(p.bundle_id),
            action: "create",
            entity: "pp_contact",
            entity_id: c.id.to_string(),
            before: None,
            after: serde_json::to_value(&c).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(c.reception_no)
}

/// The receptions the actor sees; `overdue` keeps the unanswered ones past their 回答目標日 as of
/// `as_of` (default today).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    platform_id: i64,
    overdue: bool,
    as_of: Option<NaiveDate>,
) -> Result<(Vec<ContactRow>, PlatformAccess)> {
    let a = access::platform(db, ctx, platform_id).await?;
    let as_of = as_of.unwrap_or_else(tabane_calendar::jst::today);
    let mut out = Vec::new();
    for c in contact::Entity::find()
        .filter(contact::Column::PlatformId.eq(platform_id))
        .order_by_desc(contact::Column::ReceivedOn)
        .order_by_desc(contact::Column::Id)
        .all(db)
        .await?
    {
        if !sees(db, &a, &c).await? {
            continue;
        }
        let open = matches!(Status::parse(&c.status), Some(Status::Received | Status::Routed | Status::UnderReview));
        let r = row(db, &a, c, as_of).await?;
        let late = r.turnaround.as_ref().is_some_and(|t| t.answered_on.is_none() && as_of > t.due_on);
        if !overdue || (open && late) {
            out.push(r);
        }
    }
    Ok((out, a))
}

pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(contact::Model, PlatformAccess)> {
    let c = contact::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, c.platform_id).await?;
    if !sees(db, &a, &c).await? {
        return Err(Error::NotFound);
    }
    Ok((c, a))
}

/// 類似案件 (one earlier reception like this one, and the text they share).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpSimilar")]
pub struct Similar {
    pub id: i64,
    pub reception_no: String,
    pub title: String,
    pub score: f64,
    pub reason_ja: String,
}

/// A reception with its routes, opinions, similar cases and what the actor may do.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpContactView")]
pub struct ContactView {
    #[serde(flatten)]
    pub row: ContactRow,
    pub routes: Vec<(route::Model, String)>,
    pub similar: Vec<Similar>,
    pub is_window: bool,
    pub may_opinion: bool,
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64, as_of: Option<NaiveDate>) -> Result<ContactView> {
    let (c, a) = find(db, ctx, id).await?;
    let mut routes = Vec::new();
    for r in routes_of(db, id).await? {
        let name = org_name(db, r.department_org_id).await?;
        routes.push((r, name));
    }
    let similar = if a.is_window() || a.side == Side::Department { similar(db, &a, &c).await? } else { Vec::new() };
    let may_opinion =
        a.side == Side::Department && a.staff && routes.iter().any(|(r, _)| Some(r.department_org_id) == a.org_id);
    Ok(ContactView {
        row: row(db, &a, c, as_of.unwrap_or_else(tabane_calendar::jst::today)).await?,
        routes,
        similar,
        is_window: a.is_window(),
        may_opinion,
    })
}

/// R1: earlier receptions the actor may read, most similar first.
async fn similar<C: ConnectionTrait>(db: &C, a: &PlatformAccess, c: &contact::Model) -> Result<Vec<Similar>> {
    let all = contact::Entity::find().filter(contact::Column::PlatformId.eq(c.platform_id)).all(db).await?;
    let mut visible = Vec::new();
    for x in all {
        if x.id != c.id && sees(db, a, &x).await? {
            visible.push(x);
        }
    }
    let docs: Vec<Document> =
        visible.iter().map(|x| Document { id: x.id.to_string(), text: format!("{}\n{}", x.title, x.body) }).collect();
    let hits = SimilarityIndex::new(&docs).search(&format!("{}\n{}", c.title, c.body), None, 0.2, 5);
    Ok(hits
        .into_iter()
        .filter_map(|h| {
            let x = visible.iter().find(|x| x.id.to_string() == h.id)?;
            Some(Similar {
                id: x.id,
                reception_no: x.reception_no.clone(),
                title: x.title.clone(),
                score: h.score,
                reason_ja: h.reason_ja,
            })
        })
        .collect())
}

/// 回付 (the window): to one or more departments of the municipality.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpRouteForm")]
pub struct RouteForm {
    #[serde(default)]
    pub departments: Vec<i64>,
    #[serde(default)]
    pub routed_on: String,
}

fn actor(a: &PlatformAccess, c: &contact::Model) -> Actor {
    if a.is_window() {
        Actor::Window
    } else if a.side == Side::Department {
        Actor::RoutedDepartment
    } else {
        let _ = c;
        Actor::Proposer
    }
}

async fn step<C: ConnectionTrait>(
    db: &C,
    a: &PlatformAccess,
    c: &contact::Model,
    action: &ContactAction,
) -> Result<Status> {
    let from = domain::contact_status(&c.status, c.answer.as_deref());
    let to = transition(from, action, actor(a, c)).map_err(|e| rule_error(e, "status", "状態", "Status"))?;
    let _ = db;
    Ok(domain::status_key(to))
}

pub async fn route<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &RouteForm,
) -> Result<ContactView> {
    let (c, a) = find(db, ctx, id).await?;
    a.require_window()?;
    let mut p = Problems::default();
    let day = p.date("routed_on", "回付日", "Routed on", &f.routed_on).unwrap_or_else(tabane_calendar::jst::today);
    let mut depts = f.departments.clone();
    depts.sort_unstable();
    depts.dedup();
    for d in &depts {
        let o = organisation::Entity::find_by_id(*d).one(db).await?;
        if o.is_none_or(|o| o.parent_id != Some(a.platform.owner_org_id)) {
            p.push(
                "departments",
                "回付先",
                "Departments",
                format!("（ID {d}）は{}の部署ではありません", org_name(db, a.platform.owner_org_id).await?),
                "is not a department of the municipality",
            );
        }
    }
    p.into_result()?;
    let to = step(db, &a, &c, &ContactAction::Route { departments: depts.len() }).await?;
    let existing: Vec<i64> = routes_of(db, id).await?.iter().map(|r| r.department_org_id).collect();
    let txn = db.begin().await?;
    for d in depts.into_iter().filter(|d| !existing.contains(d)) {
        route::ActiveModel {
            contact_id: Set(id),
            department_org_id: Set(d),
            routed_on: Set(day),
            opinion: Set(String::new()),
            opinion_on: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut am = c.into_active_model();
    am.status = Set(to.key().into());
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "route", &c)).await?;
    txn.commit().await?;
    view(db, ctx, id, None).await
}

/// 所見 of a routed department (its review starts with it).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpOpinionForm")]
pub struct OpinionForm {
    #[serde(default)]
    pub opinion: String,
}

pub async fn opinion<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &OpinionForm,
) -> Result<ContactView> {
    let (c, a) = find(db, ctx, id).await?;
    a.require_staff()?;
    let mine = routes_of(db, id)
        .await?
        .into_iter()
        .find(|r| Some(r.department_org_id) == a.org_id && a.side == Side::Department);
    let Some(r) = mine else {
        return Err(Error::forbidden("所見は回付先の部署が入力します", "Only a department routed to adds an opinion"));
    };
    if f.opinion.trim().is_empty() {
        return Err(Error::invalid("opinion", "所見", "Opinion", "を入力してください", "is required"));
    }
    let txn = db.begin().await?;
    let mut am = r.into_active_model();
    am.opinion = Set(f.opinion.trim().into());
    am.opinion_on = Set(Some(tabane_calendar::jst::today()));
    am.update(&txn).await?;
    let c = if c.status == Status::Routed.key() {
        let to = step(&txn, &a, &c, &ContactAction::StartReview).await?;
        let mut am = c.into_active_model();
        am.status = Set(to.key().into());
        am.update(&txn).await?
    } else {
        c
    };
    audit::record(&txn, ctx, change(&a, "opinion", &c)).await?;
    txn.commit().await?;
    view(db, ctx, id, None).await
}

/// 回答 (the window only): 採択 | 不採択 (with its reason) | 継続協議 | 情報提供のみ.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpAnswerForm")]
pub struct AnswerForm {
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub answered_on: String,
}

pub async fn answer<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &AnswerForm,
) -> Result<ContactView> {
    let (c, a) = find(db, ctx, id).await?;
    a.require_window()?;
    let mut p = Problems::default();
    let kind = AnswerKind::parse(&f.answer);
    if kind.is_none() {
        p.push(
            "answer",
            "回答区分",
            "Answer",
            format!("は次のいずれかです: {}", AnswerKind::choices_ja()),
            "is not a choice",
        );
    }
    let day =
        p.date("answered_on", "回答日", "Answered on", &f.answered_on).unwrap_or_else(tabane_calendar::jst::today);
    if day < c.received_on {
        p.push(
            "answered_on",
            "回答日",
            "Answered on",
            "は受付日より後にしてください",
            "must not be before the day received",
        );
    }
    p.into_result()?;
    let kind = kind.ok_or(Error::NotFound)?;
    let action = ContactAction::Answer { answer: kind.rules(), text: f.text.clone(), reason: f.reason.clone() };
    let to = step(db, &a, &c, &action).await?;
    let txn = db.begin().await?;
    let mut am = c.into_active_model();
    am.status = Set(to.key().into());
    am.answer = Set(Some(kind.key().into()));
    am.answer_text = Set(f.text.trim().into());
    am.answer_reason = Set(f.reason.trim().into());
    am.answered_on = Set(Some(day));
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "answer", &c)).await?;
    txn.commit().await?;
    view(db, ctx, id, None).await
}

/// 成約 / 事業化 / 取下げ with its day.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpDayForm")]
pub struct DayForm {
    #[serde(default)]
    pub on: String,
}

pub async fn advance<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    what: &str,
    f: &DayForm,
) -> Result<ContactView> {
    let (c, a) = find(db, ctx, id).await?;
    a.require_staff()?;
    let mut p = Problems::default();
    let day = p.date("on", "日付", "Day", &f.on).unwrap_or_else(tabane_calendar::jst::today);
    p.into_result()?;
    let action = match what {
        "agree" => ContactAction::Agree,
        "launch" => ContactAction::Launch,
        _ => ContactAction::Withdraw,
    };
    let to = step(db, &a, &c, &action).await?;
    let txn = db.begin().await?;
    let mut am = c.into_active_model();
    am.status = Set(to.key().into());
    match what {
        "agree" => am.agreed_on = Set(Some(day)),
        "launch" => am.launched_on = Set(Some(day)),
        _ => {}
    }
    am.updated_at = Set(Utc::now());
    let c = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, what, &c)).await?;
    txn.commit().await?;
    view(db, ctx, id, None).await
}
