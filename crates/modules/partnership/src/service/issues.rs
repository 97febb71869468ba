//! 地域課題 (spec §2.3): issues registered by the municipality (from its own work, residents'
//! workshops, community groups), public ones on the portal as 提案募集中, and matched to resources
//! and proposals with a transparent score and its reasons (`tabane_partnership_rules::matching`).

use super::access::{self, PlatformAccess, rule_error};
use crate::domain::{IssueSource, IssueStatus};
use crate::entities::{issue, platform, resource};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_partnership_rules::matching::{MatchCandidate, MatchSubject, MatchWeights, match_candidates};

/// 地域課題の登録 (the window).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpIssueForm")]
pub struct IssueForm {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub registered_on: String,
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    platform_id: i64,
    f: &IssueForm,
) -> Result<issue::Model> {
    let a = access::platform(db, ctx, platform_id).await?;
    a.require_window()?;
    let mut p = Problems::default();
    p.required("title", "課題名", "Title", &f.title);
    let source =
        if f.source.trim().is_empty() { Some(IssueSource::Municipality) } else { IssueSource::parse(&f.source) };
    if source.is_none() {
        p.push(
            "source",
            "出どころ",
            "Source",
            format!("は次のいずれかです: {}", IssueSource::choices_ja()),
            "is not a choice",
        );
    }
    let day = p
        .date("registered_on", "登録日", "Registered on", &f.registered_on)
        .unwrap_or_else(tabane_calendar::jst::today);
    p.into_result()?;
    let txn = db.begin().await?;
    let i = issue::ActiveModel {
        platform_id: Set(platform_id),
        owner_org_id: Set(a.platform.owner_org_id),
        source: Set(source.unwrap_or(IssueSource::Municipality).key().into()),
        title: Set(f.title.trim().into()),
        description: Set(f.description.trim().into()),
        field: Set(f.field.trim().into()),
        area: Set(f.area.trim().into()),
        public: Set(f.public),
        registered_on: Set(day),
        status: Set(if f.public { IssueStatus::Open } else { IssueStatus::Registered }.key().into()),
        solved_on: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change(&a, "create", &i)).await?;
    txn.commit().await?;
    Ok(i)
}

fn change<'a>(a: &PlatformAccess, action: &'a str, i: &issue::Model) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.platform.owner_org_id),
        bundle_id: Some(a.platform.bundle_id),
        action,
        entity: "pp_issue",
        entity_id: i.id.to_string(),
        before: None,
        after: serde_json::to_value(i).ok(),
    }
}

/// The issues the actor reads: the municipality's side all, partners the public ones.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, platform_id: i64) -> Result<Vec<issue::Model>> {
    let a = access::platform(db, ctx, platform_id).await?;
    let all = issue::Entity::find()
        .filter(issue::Column::PlatformId.eq(platform_id))
        .order_by_desc(issue::Column::RegisteredOn)
        .all(db)
        .await?;
    Ok(all.into_iter().filter(|i| a.side != access::Side::Partner || i.public).collect())
}

/// 公開 issues on the portal (signed out).
pub async fn public<C: ConnectionTrait>(db: &C, platform_id: i64) -> Result<Vec<issue::Model>> {
    platform::Entity::find_by_id(platform_id).one(db).await?.ok_or(Error::NotFound)?;
    Ok(issue::Entity::find()
        .filter(issue::Column::PlatformId.eq(platform_id))
        .filter(issue::Column::Public.eq(true))
        .order_by_desc(issue::Column::RegisteredOn)
        .all(db)
        .await?)
}

/// 解決 (the window).
pub async fn solve<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    on: Option<NaiveDate>,
) -> Result<issue::Model> {
    let i = issue::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, i.platform_id).await?;
    a.require_window()?;
    let txn = db.begin().await?;
    let mut am = i.into_active_model();
    am.status = Set(IssueStatus::Solved.key().into());
    am.solved_on = Set(Some(on.unwrap_or_else(tabane_calendar::jst::today)));
    let i = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "solve", &i)).await?;
    txn.commit().await?;
    Ok(i)
}

/// マッチング候補 of an issue among the resources the actor reads, with reasons.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpCandidate")]
pub struct Candidate {
    pub resource_id: i64,
    pub title: String,
    #[schemars(with = "serde_json::Value")]
    pub result: MatchCandidate,
}

pub async fn matches<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<Vec<Candidate>> {
    let i = issue::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, i.platform_id).await?;
    if a.side == access::Side::Partner && !i.public {
        return Err(Error::NotFound);
    }
    let today = tabane_calendar::jst::today();
    let rs: Vec<resource::Model> = resource::Entity::find()
        .filter(resource::Column::PlatformId.eq(i.platform_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| super::resources::visible(&a.platform, Some(&a), r, today))
        .collect();
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let subject = MatchSubject {
        id: format!("issue:{}", i.id),
        text: format!("{}\n{}", i.title, i.description),
        field: opt(&i.field),
        area: opt(&i.area),
        past_matches: None,
    };
    let candidates: Vec<MatchSubject> = rs
        .iter()
        .map(|r| MatchSubject {
            id: r.id.to_string(),
            text: format!("{}\n{}", r.title, r.description),
            field: None,
            area: opt(&r.area),
            past_matches: None,
        })
        .collect();
    let found = match_candidates(&subject, &candidates, &MatchWeights::default(), 10)
        .map_err(|e| rule_error(e, "weights", "重み", "Weights"))?;
    Ok(found
        .into_iter()
        .filter_map(|m| {
            let r = rs.iter().find(|r| r.id.to_string() == m.id)?;
            Some(Candidate { resource_id: r.id, title: r.title.clone(), result: m })
        })
        .collect())
}
