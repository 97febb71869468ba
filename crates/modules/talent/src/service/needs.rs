//! 市町村のニーズ (spec §2.4): a municipality states what it needs (theme, field, talent type, days
//! a week, period); the record is its own, shared with the prefecture only (lead-only). The
//! prefecture matches it against the pool (`tabane_talent_rules::matching`, each suggestion with
//! its reasons) and arranges an assignment; a confirmed assignment fills the need.

use super::accelerators::rule_error;
use super::access::{self, PoolAccess, Side};
use crate::domain::{self, Field, Kind, NeedForm as Form, NeedStatus, Theme};
use crate::entities::{assignment, need, person};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::matching::{self, Location, MatchResult, Need, TalentProfile};

/// ニーズの登録. `org_id` only when the prefecture enters it for a municipality (代理入力).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct NeedForm {
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub wanted_types: String,
    #[serde(default)]
    pub days_per_week: Option<i32>,
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub period_from: String,
    #[serde(default)]
    pub period_to: String,
    #[serde(default)]
    pub description: String,
}

/// A need as lists show it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NeedRow {
    pub need: need::Model,
    pub municipality: String,
    pub theme: Option<Theme>,
    pub field: Option<Field>,
    pub wanted_types: Vec<Kind>,
    pub form: Option<Form>,
    pub status: NeedStatus,
}

pub async fn org_name<C: ConnectionTrait>(db: &C, id: i64) -> Result<String> {
    Ok(organisation::Entity::find_by_id(id).one(db).await?.map(|o| o.name).unwrap_or_default())
}

async fn row<C: ConnectionTrait>(db: &C, n: need::Model) -> Result<NeedRow> {
    Ok(NeedRow {
        municipality: org_name(db, n.owner_org_id).await?,
        theme: Theme::parse(&n.theme),
        field: Field::parse(&n.field),
        wanted_types: domain::split_keys(&n.wanted_types, Kind::parse),
        form: Form::parse(&n.form),
        status: NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Registered),
        need: n,
    })
}

fn choice<T: Copy>(
    p: &mut Problems,
    field: &str,
    ja: &str,
    en: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    all: String,
) -> Option<T> {
    if v.trim().is_empty() {
        p.push(field, ja, en, "を選んでください", "is required");
        return None;
    }
    let r = parse(v);
    if r.is_none() {
        p.push(field, ja, en, format!("は次のいずれかです: {all}"), "is not one of the choices");
    }
    r
}

/// ニーズの登録: a municipality's staff for their own organisation, or the prefecture's staff
/// for a municipality of the pool.
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &NeedForm,
) -> Result<NeedRow> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_staff()?;
    let owner = match a.side {
        Side::Municipality => ctx.org_id.ok_or(Error::NotFound)?,
        Side::Prefecture => f
            .org_id
            .or(ctx.org_id)
            .ok_or_else(|| Error::invalid("org_id", "市町村", "Municipality", "を選んでください", "is required"))?,
        Side::Company => {
            return Err(Error::forbidden("ニーズは市町村が登録します", "Needs are registered by municipalities"));
        }
    };
    let mut p = Problems::default();
    let theme = choice(&mut p, "theme", "テーマ", "Theme", &f.theme, Theme::parse, Theme::choices_ja());
    let field = choice(&mut p, "field", "支援分野", "Field", &f.field, Field::parse, Field::choices_ja());
    let types = super::persons::list_field(
        &mut p,
        "wanted_types",
        "希望する人材類型",
        "Wanted types",
        &f.wanted_types,
        Kind::parse,
        Kind::choices_ja(),
    );
    let form = if f.form.trim().is_empty() {
        Some(Form::Weekly)
    } else {
        choice(&mut p, "form", "支援の形", "Form", &f.form, Form::parse, Form::choices_ja())
    };
    let days = f.days_per_week.unwrap_or(if form == Some(Form::Spot) { 0 } else { 1 });
    if !(0..=5).contains(&days) {
        p.push("days_per_week", "週の日数", "Days a week", "は0〜5で入力してください", "must be 0 to 5");
    }
    p.required("period_from", "期間（開始）", "From", &f.period_from);
    p.required("period_to", "期間（終了）", "To", &f.period_to);
    let from = p.date("period_from", "期間（開始）", "From", &f.period_from);
    let to = p.date("period_to", "期間（終了）", "To", &f.period_to);
    if let (Some(a), Some(b)) = (from, to)
        && b < a
    {
        p.push("period_to", "期間（終了）", "To", "は開始より後にしてください", "must be after the start");
    }
    p.into_result()?;
    let (Some(theme), Some(field), Some(form), Some(from), Some(to)) = (theme, field, form, from, to) else {
        return Err(Error::NotFound);
    };
    if a.side == Side::Prefecture {
        // 代理入力 only for a member of the pool's bundle.
        let members = tabane_core::service::bundle_access::members(db, a.pool.bundle_id).await?;
        if owner != a.pool.prefecture_org_id && !members.iter().any(|(o, _)| *o == owner) {
            return Err(Error::invalid(
                "org_id",
                "市町村",
                "Municipality",
                "は推進体制の構成団体ではありません",
                "is not a member",
            ));
        }
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    let n = need::ActiveModel {
        pool_id: Set(pool_id),
        owner_org_id: Set(owner),
        theme: Set(theme.key().into()),
        field: Set(field.key().into()),
        wanted_types: Set(domain::join_keys(&types, Kind::key)),
        days_per_week: Set(days),
        form: Set(form.key().into()),
        period_from: Set(from),
        period_to: Set(to),
        description: Set(f.description.trim().into()),
        status: Set(NeedStatus::Registered.key().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change(&a, owner, "create", &n, None)).await?;
    txn.commit().await?;
    row(db, n).await
}

fn change<'a>(
    a: &PoolAccess,
    owner: i64,
    action: &'a str,
    n: &need::Model,
    before: Option<&need::Model>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(owner),
        bundle_id: Some(a.pool.bundle_id),
        action,
        entity: "talent_need",
        entity_id: n.id.to_string(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(n).ok(),
    }
}

/// The needs the actor sees: the prefecture all, a municipality its own, a company none.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<(Vec<NeedRow>, PoolAccess)> {
    let a = access::pool(db, ctx, pool_id).await?;
    let all =
        need::Entity::find().filter(need::Column::PoolId.eq(pool_id)).order_by_desc(need::Column::Id).all(db).await?;
    let mut out = Vec::new();
    for n in all.into_iter().filter(|n| a.sees_record_of(ctx, n.owner_org_id)) {
        out.push(row(db, n).await?);
    }
    Ok((out, a))
}

pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(need::Model, PoolAccess)> {
    let n = need::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::pool(db, ctx, n.pool_id).await?;
    a.require_record_of(ctx, n.owner_org_id)?;
    Ok((n, a))
}

/// A suggestion for a need: the person and the rule's score with its reasons.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentSuggestion")]
pub struct Suggestion {
    pub person_id: i64,
    #[schemars(with = "serde_json::Value")]
    pub result: MatchResult,
}

/// A need with its assignments and, for the prefecture, the suggestions.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NeedView {
    #[serde(flatten)]
    pub row: NeedRow,
    pub assignments: Vec<super::assignments::AssignmentRow>,
    pub suggestions: Vec<Suggestion>,
    pub may_arrange: bool,
    pub may_withdraw: bool,
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<NeedView> {
    let (n, a) = find(db, ctx, id).await?;
    let suggestions = if a.side == Side::Prefecture { suggest(db, &a, &n).await? } else { Vec::new() };
    let mut assignments = Vec::new();
    for x in assignment::Entity::find()
        .filter(assignment::Column::NeedId.eq(id))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?
    {
        assignments.push(super::assignments::row(db, x).await?);
    }
    let status = NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Registered);
    let open = matches!(status, NeedStatus::Registered | NeedStatus::Coordinating);
    Ok(NeedView {
        may_arrange: a.side == Side::Prefecture && a.staff && open,
        may_withdraw: a.staff && open,
        suggestions,
        assignments,
        row: row(db, n).await?,
    })
}

/// マッチング: every person of the pool ranked for the need, each with the reasons.
pub async fn suggest<C: ConnectionTrait>(db: &C, a: &PoolAccess, n: &need::Model) -> Result<Vec<Suggestion>> {
    let location = Location {
        municipality: org_name(db, n.owner_org_id).await?,
        prefecture: org_name(db, a.pool.prefecture_org_id).await?,
        region: a.pool.region.clone(),
    };
    let need = Need {
        location,
        field: Field::parse(&n.field).unwrap_or(Field::Planning).rules(),
        wanted_types: domain::split_keys(&n.wanted_types, Kind::parse).into_iter().map(Kind::rules).collect(),
        days_per_week: u32::try_from(n.days_per_week).unwrap_or(0),
        period_from: n.period_from,
        period_to: n.period_to,
    };
    let people = person::Entity::find()
        .filter(person::Column::PoolId.eq(a.pool.id))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    let mut profiles = Vec::new();
    for p in &people {
        profiles.push(TalentProfile {
            label: p.id.to_string(),
            status: crate::domain::PersonStatus::parse(&p.status)
                .unwrap_or(crate::domain::PersonStatus::Candidate)
                .rules(),
            types: domain::split_keys(&p.types, Kind::parse).into_iter().map(Kind::rules).collect(),
            fields: domain::split_keys(&p.fields, Field::parse).into_iter().map(Field::rules).collect(),
            regions: p.regions.lines().filter(|l| !l.trim().is_empty()).map(super::persons::region_scope).collect(),
            assignments: super::assignments::weekly_of(db, p.id, None).await?,
        });
    }
    let ranked = matching::rank(&need, &profiles).map_err(|e| rule_error(e, "need", "ニーズ", "Need"))?;
    Ok(ranked
        .into_iter()
        .filter_map(|mut r| {
            let id: i64 = r.label.parse().ok()?;
            r.label = people.iter().find(|p| p.id == id).map(|p| p.label.clone()).unwrap_or_default();
            Some(Suggestion { person_id: id, result: r })
        })
        .collect())
}

/// 取下げ: the owner's staff (or the prefecture's), while the need is 登録 or 調整中.
pub async fn withdraw<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<NeedRow> {
    let (n, a) = find(db, ctx, id).await?;
    a.require_writer_of(ctx, n.owner_org_id)?;
    set_status(db, ctx, &a, n, NeedStatus::Withdrawn).await
}

/// Moves a need on (取下げ, 調整中, 充足), refusing from 充足・終了・取下げ.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    a: &PoolAccess,
    n: need::Model,
    to: NeedStatus,
) -> Result<NeedRow> {
    let from = NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Registered);
    let ok = match to {
        NeedStatus::Withdrawn | NeedStatus::Coordinating => {
            matches!(from, NeedStatus::Registered | NeedStatus::Coordinating)
        }
        NeedStatus::Filled => matches!(from, NeedStatus::Registered | NeedStatus::Coordinating | NeedStatus::Filled),
        NeedStatus::Ended => from == NeedStatus::Filled,
        NeedStatus::Registered => false,
    };
    if !ok {
        return Err(Error::conflict(
            format!("「{}」のニーズは「{}」にできません", from.label_ja(), to.label_ja()),
            format!("A need that is {} cannot become {}", from.label_en(), to.label_en()),
        ));
    }
    let before = n.clone();
    let owner = n.owner_org_id;
    let mut am = n.into_active_model();
    am.status = Set(to.key().into());
    am.updated_at = Set(Utc::now());
    let n = am.update(db).await?;
    audit::record(db, ctx, change(a, owner, "status", &n, Some(&before))).await?;
    row(db, n).await
}
