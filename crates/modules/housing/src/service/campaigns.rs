//! 移転の事業 (relocation campaigns): the dates and amounts the seed leaves to the prefecture
//! (竣工予定日, 入居開始日, 引渡し日, 「県が定める金額」) are configuration set by its staff, never code.

use super::access;
use crate::domain::Classification;
use crate::entities::campaign;
use crate::legs;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

/// 世帯人員の区分 for fees: 1人, 2人, 3人以上.
pub fn size_band(size: i32) -> &'static str {
    match size {
        ..=1 => "1",
        2 => "2",
        _ => "3+",
    }
}

/// 移転料 and 動産移転相当額 for one classification and size band (県が定める金額).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fee {
    pub class: Classification,
    pub band: String,
    pub moving_fee: i64,
    pub movables: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FeeTable {
    pub fees: Vec<Fee>,
}

impl FeeTable {
    pub fn lookup(&self, class: Classification, size: i32) -> Option<&Fee> {
        self.fees.iter().find(|f| f.class == class && f.band == size_band(size))
    }
}

pub fn fees_of(c: &campaign::Model) -> FeeTable {
    serde_json::from_str(&c.fees).unwrap_or_default()
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct CampaignForm {
    pub name: String,
    #[serde(default)]
    pub completion_planned: Option<NaiveDate>,
    #[serde(default)]
    pub move_in_start: Option<NaiveDate>,
    #[serde(default)]
    pub handover: Option<NaiveDate>,
    #[serde(default)]
    pub fees: FeeTable,
}

fn check(f: &CampaignForm) -> Result<()> {
    let mut p = Problems::default();
    p.required("name", "事業名", "Campaign name", &f.name);
    if let Some(h) = f.handover
        && let Err(r) = legs::check_handover(h)
    {
        p.push("handover", "引渡し日", "Handover date", r.ja, r.en);
    }
    for fee in &f.fees.fees {
        if fee.moving_fee < 0 || fee.movables < 0 || fee.movables > fee.moving_fee {
            p.push(
                "fees",
                "移転料",
                "Fees",
                format!(
                    "{}（{}人）：動産移転相当額は0円以上、移転料以下にしてください",
                    fee.class.label_ja(),
                    fee.band
                ),
                "movables must be between 0 and the moving fee",
            );
        }
        if !["1", "2", "3+"].contains(&fee.band.as_str()) {
            p.push(
                "fees",
                "移転料",
                "Fees",
                format!("世帯人員の区分「{}」は 1 / 2 / 3+ のいずれかです", fee.band),
                "band must be 1, 2 or 3+",
            );
        }
    }
    p.into_result()
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    f: &CampaignForm,
) -> Result<campaign::Model> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_owner_staff()?;
    check(f)?;
    let tx = db.begin().await?;
    let c = campaign::ActiveModel {
        estate_id: Set(estate_id),
        name: Set(f.name.trim().into()),
        completion_planned: Set(f.completion_planned),
        move_in_start: Set(f.move_in_start),
        handover: Set(f.handover),
        fees: Set(serde_json::to_string(&f.fees).expect("json")),
        survey_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        acc.change("create", "housing_campaign", c.id, None, Some(serde_json::json!({"name": c.name, "fees": f.fees}))),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

pub async fn update<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
    f: &CampaignForm,
) -> Result<campaign::Model> {
    let (c, acc) = get(db, ctx, campaign_id).await?;
    acc.require_owner_staff()?;
    check(f)?;
    let tx = db.begin().await?;
    let before = serde_json::json!({"name": c.name, "completion_planned": c.completion_planned, "move_in_start": c.move_in_start, "handover": c.handover, "fees": fees_of(&c)});
    let mut am: campaign::ActiveModel = c.into();
    am.name = Set(f.name.trim().into());
    am.completion_planned = Set(f.completion_planned);
    am.move_in_start = Set(f.move_in_start);
    am.handover = Set(f.handover);
    am.fees = Set(serde_json::to_string(&f.fees).expect("json"));
    let c = am.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        acc.change(
            "update",
            "housing_campaign",
            c.id,
            Some(before),
            Some(serde_json::json!({"name": c.name, "fees": f.fees})),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// The campaign with the actor's access to its estate (NotFound for anyone else).
pub async fn get<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
) -> Result<(campaign::Model, access::EstateAccess)> {
    let Some(c) = campaign::Entity::find_by_id(campaign_id).one(db).await? else { return Err(Error::NotFound) };
    let acc = access::estate_for(db, ctx, c.estate_id).await?;
    Ok((c, acc))
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<(campaign::Model, access::EstateAccess)>> {
    let mut out = Vec::new();
    for acc in access::visible_estates(db, ctx).await? {
        for c in campaign::Entity::find()
            .filter(campaign::Column::EstateId.eq(acc.estate.id))
            .order_by_asc(campaign::Column::Id)
            .all(db)
            .await?
        {
            out.push((c, acc.clone()));
        }
    }
    Ok(out)
}
