//! 世帯と移転支援の案件 (households and their cases): registration, the list (never with personal
//! fields), the case page, and the classification 本移転 / 仮移転 / 住宅替 / 退去 with its history.

use super::access::{self, EstateAccess};
use crate::domain::Classification;
use crate::entities::{building, case, case_event, household, leg};
use crate::legs::LegStatus;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit::{self, Change};
use tabane_core::{Ctx, Error, Result};

/// A household as staff enter it (the personal fields are set through `personal`).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct NewHousehold {
    pub building: String,
    pub room: String,
    #[serde(deserialize_with = "crate::forms::number")]
    pub size: i32,
    #[serde(default, deserialize_with = "crate::forms::number")]
    pub aged65: i32,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub care: bool,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub campaign_id: Option<i64>,
}

/// Writes one event of a case's history (経過) and its audit entry, in the caller's transaction.
pub(crate) async fn event<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    acc: &EstateAccess,
    case_id: i64,
    leg_id: Option<i64>,
    action: &str,
    from: Option<String>,
    to: Option<String>,
    note: Option<String>,
) -> Result<()> {
    case_event::ActiveModel {
        case_id: Set(case_id),
        leg_id: Set(leg_id),
        action: Set(action.into()),
        from_value: Set(from.clone()),
        to_value: Set(to.clone()),
        note: Set(note.clone()),
        user_id: Set(ctx.user_id),
        actor: Set(ctx.actor.clone()),
        org_id: Set(ctx.org_id),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(
        tx,
        ctx,
        Change {
            org_id: Some(acc.estate.owner_org_id),
            bundle_id: Some(acc.estate.bundle_id),
            action,
            entity: "housing_case",
            entity_id: case_id.to_string(),
            before: from.map(|f| serde_json::json!({ "value": f })),
            after: Some(serde_json::json!({ "value": to, "leg_id": leg_id, "note": note })),
        },
    )
    .await
}

pub(crate) fn new_uid() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

/// Registers a household and opens its case (status 分類前 until classified).
pub async fn create_household<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    n: &NewHousehold,
) -> Result<case::Model> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_staff()?;
    let mut p = Problems::default();
    p.required("room", "部屋番号", "Room", &n.room);
    if !(1..=20).contains(&n.size) {
        p.push("size", "世帯人員", "Household size", "は1～20人で入力してください", "must be 1–20");
    }
    if n.aged65 < 0 || n.aged65 > n.size {
        p.push(
            "aged65",
            "65歳以上の人数",
            "Members aged 65+",
            "は0人以上、世帯人員以下にしてください",
            "must be between 0 and the household size",
        );
    }
    let b = building::Entity::find()
        .filter(building::Column::EstateId.eq(estate_id))
        .filter(building::Column::Name.eq(n.building.trim()))
        .one(db)
        .await?;
    if b.is_none() {
        p.push(
            "building",
            "棟",
            "Building",
            format!("「{}」はこの団地の棟ではありません", n.building),
            "is not a building of this estate",
        );
    }
    p.into_result()?;
    let b = b.expect("checked");
    let tx = db.begin().await?;
    if let Some(c) = n.campaign_id {
        let (camp, _) = super::campaigns::get(&tx, ctx, c).await?;
        if camp.estate_id != estate_id {
            return Err(Error::NotFound);
        }
    }
    let h = household::ActiveModel {
        estate_id: Set(estate_id),
        uid: Set(new_uid()),
        unit_id: Set(None),
        building_id: Set(b.id),
        room: Set(n.room.trim().into()),
        size: Set(n.size),
        aged65: Set(n.aged65),
        care: Set(n.care),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let now = Utc::now();
    let c = case::ActiveModel {
        estate_id: Set(estate_id),
        campaign_id: Set(n.campaign_id),
        household_id: Set(h.id),
        classification: Set(None),
        status: Set(LegStatus::Planned.key().into()),
        at_risk: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    event(&tx, ctx, &acc, c.id, None, "open_case", None, Some(format!("{}棟 {}号室", b.name, h.room)), None).await?;
    tx.commit().await?;
    Ok(c)
}

/// The case with its household and the actor's access (NotFound for anyone else).
pub async fn load<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    case_id: i64,
) -> Result<(case::Model, household::Model, EstateAccess)> {
    let Some(c) = case::Entity::find_by_id(case_id).one(db).await? else { return Err(Error::NotFound) };
    let acc = access::estate_for(db, ctx, c.estate_id).await?;
    let h = household::Entity::find_by_id(c.household_id).one(db).await?.ok_or(Error::NotFound)?;
    Ok((c, h, acc))
}

/// One line of the case list: no personal field, ever.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CaseRow {
    pub id: i64,
    pub estate_id: i64,
    pub building: String,
    pub room: String,
    pub size: i32,
    pub aged65: i32,
    pub care: bool,
    pub classification: Option<Classification>,
    pub status: LegStatus,
    pub at_risk: bool,
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct CaseFilter {
    pub estate: Option<i64>,
    pub class: Option<String>,
    pub status: Option<String>,
    pub building: Option<String>,
    #[serde(default)]
    pub at_risk: Option<String>,
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, f: &CaseFilter) -> Result<Vec<CaseRow>> {
    let estates: Vec<i64> = access::visible_estates(db, ctx)
        .await?
        .into_iter()
        .map(|a| a.estate.id)
        .filter(|id| f.estate.is_none_or(|e| e == *id))
        .collect();
    let mut q = case::Entity::find().filter(case::Column::EstateId.is_in(estates.clone()));
    if let Some(c) = f.class.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(case::Column::Classification.eq(Classification::parse(c).map(|c| c.key()).unwrap_or("?")));
    }
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(case::Column::Status.eq(s));
    }
    if f.at_risk.as_deref().is_some_and(|s| !s.is_empty()) {
        q = q.filter(case::Column::AtRisk.eq(true));
    }
    let cases = q.order_by_asc(case::Column::Id).all(db).await?;
    let hids: Vec<i64> = cases.iter().map(|c| c.household_id).collect();
    let mut hs = Vec::new();
    for chunk in hids.chunks(500) {
        hs.extend(household::Entity::find().filter(household::Column::Id.is_in(chunk.to_vec())).all(db).await?);
    }
    let bs = building::Entity::find().filter(building::Column::EstateId.is_in(estates)).all(db).await?;
    Ok(cases
        .into_iter()
        .filter_map(|c| {
            let h = hs.iter().find(|h| h.id == c.household_id)?;
            let b = bs.iter().find(|b| b.id == h.building_id)?;
            if f.building.as_deref().is_some_and(|x| !x.is_empty() && x != b.name) {
                return None;
            }
            Some(CaseRow {
                id: c.id,
                estate_id: c.estate_id,
                building: b.name.clone(),
                room: h.room.clone(),
                size: h.size,
                aged65: h.aged65,
                care: h.care,
                classification: c.classification.as_deref().and_then(Classification::parse),
                status: LegStatus::parse(&c.status).unwrap_or(LegStatus::Planned),
                at_risk: c.at_risk,
            })
        })
        .collect())
}

/// 分類 (classify or re-classify). A change needs a reason; open legs are cancelled (payments
/// already made stay on record) and a new leg of the new kind is opened.
pub async fn classify<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    case_id: i64,
    class: Classification,
    reason: &str,
) -> Result<case::Model> {
    let (c, _h, acc) = load(db, ctx, case_id).await?;
    acc.require_staff()?;
    let before = c.classification.as_deref().and_then(Classification::parse);
    if before == Some(class) {
        return Err(Error::conflict(
            format!("すでに「{}」に分類されています", class.label_ja()),
            "Already in this classification",
        ));
    }
    if before.is_some() && reason.trim().is_empty() {
        return Err(Error::invalid(
            "reason",
            "変更の理由",
            "Reason",
            "分類を変更するときは理由を入力してください",
            "a reason is required to change the classification",
        ));
    }
    if c.closed_at.is_some() {
        return Err(Error::conflict("完了した案件の分類は変更できません", "A closed case cannot be reclassified"));
    }
    let tx = db.begin().await?;
    let legs =
        leg::Entity::find().filter(leg::Column::CaseId.eq(case_id)).order_by_asc(leg::Column::Seq).all(&tx).await?;
    let today = tabane_core::service::deliverables::today_jst();
    for l in legs.iter().filter(|l| l.closed_on.is_none() && l.cancelled_on.is_none()) {
        let mut am: leg::ActiveModel = l.clone().into();
        am.cancelled_on = Set(Some(today));
        am.cancel_reason = Set(Some(format!("分類の変更（{}）：{}", class.label_ja(), reason.trim())));
        am.update(&tx).await?;
    }
    let seq = legs.iter().map(|l| l.seq).max().unwrap_or(0) + 1;
    leg::ActiveModel { case_id: Set(case_id), kind: Set(class.key().into()), seq: Set(seq), ..Default::default() }
        .insert(&tx)
        .await?;
    let mut am: case::ActiveModel = c.clone().into();
    am.classification = Set(Some(class.key().into()));
    am.status = Set(LegStatus::Planned.key().into());
    am.updated_at = Set(Utc::now());
    let c = am.update(&tx).await?;
    event(
        &tx,
        ctx,
        &acc,
        case_id,
        None,
        "classify",
        before.map(|b| b.label_ja().to_string()),
        Some(class.label_ja().into()),
        Some(reason.trim().to_string()).filter(|s| !s.is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// The current leg: the newest one not cancelled.
pub async fn current_leg<D: ConnectionTrait>(db: &D, case_id: i64) -> Result<Option<leg::Model>> {
    Ok(leg::Entity::find()
        .filter(leg::Column::CaseId.eq(case_id))
        .filter(leg::Column::CancelledOn.is_null())
        .order_by_desc(leg::Column::Seq)
        .one(db)
        .await?)
}
