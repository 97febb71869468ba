//! 提言 (the committee's proposals, spec §2.8): each addressed to the 関東地方知事会 or the 国,
//! drafted as the term's 提言書案 (4(6)) and followed 案作成中 → 研究部会で協議 → 知事会へ提出 →
//! 採択（提言）, one step at a time. The client's staff record them and move them on; the
//! contractor and the ten members read them (the committee discusses them).

use super::access::{self, TermAccess};
use crate::domain::{Addressee, ProposalStage};
use crate::entities::proposal;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

/// 提言の登録.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilProposalForm")]
pub struct ProposalForm {
    /// `governors` (関東地方知事会) or `state` (国).
    #[serde(default)]
    pub addressee: String,
    #[serde(default)]
    pub title: String,
}

/// 次の段階へ: the stage it moves to (only the next one); 採択 needs the day and the meeting.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilProposalStageForm")]
pub struct StageForm {
    #[serde(default)]
    pub stage: String,
    /// 採択日 (any form the calendar reads).
    #[serde(default)]
    pub adopted_on: String,
    /// 採択した会議 (「令和7年度 第2回 関東地方知事会議」).
    #[serde(default)]
    pub adopted_by: String,
}

/// A proposal as shown.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilProposalRow")]
pub struct ProposalRow {
    pub proposal: proposal::Model,
    pub addressee: Addressee,
    pub stage: ProposalStage,
    /// The stage it may move to next (none once adopted).
    pub next: Option<ProposalStage>,
}

fn row(p: proposal::Model) -> ProposalRow {
    let stage = ProposalStage::parse(&p.stage).unwrap_or(ProposalStage::Drafting);
    ProposalRow {
        addressee: Addressee::parse(&p.addressee).unwrap_or(Addressee::Governors),
        next: stage.next(),
        stage,
        proposal: p,
    }
}

/// The term's proposals (every side of the term reads them).
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64) -> Result<(Vec<ProposalRow>, TermAccess)> {
    let a = access::term(db, ctx, term_id).await?;
    let rows = proposal::Entity::find()
        .filter(proposal::Column::TermId.eq(term_id))
        .order_by_asc(proposal::Column::Id)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(row).collect(), a))
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    term_id: i64,
    f: &ProposalForm,
) -> Result<ProposalRow> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_client_staff("提言を登録できるのは委託者の担当者です".into(), "Only the client records proposals")?;
    let mut p = Problems::default();
    let addressee = Addressee::parse(f.addressee.trim());
    if addressee.is_none() {
        p.push(
            "addressee",
            "提言先",
            "Addressed to",
            format!("は次のいずれかです: {}", Addressee::choices_ja()),
            "must be governors or state",
        );
    }
    if f.title.trim().is_empty() {
        p.push("title", "提言の表題", "Title", "を入力してください", "is required");
    }
    p.into_result()?;
    let deliverable_id = super::reports::draft_proposal_id(db, &a).await?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let m = proposal::ActiveModel {
        term_id: Set(term_id),
        addressee: Set(addressee.expect("checked").key().into()),
        title: Set(f.title.trim().into()),
        deliverable_id: Set(deliverable_id),
        stage: Set(ProposalStage::Drafting.key().into()),
        adopted_on: Set(None),
        adopted_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(&txn, ctx, &a, "create", &m, None).await?;
    txn.commit().await?;
    Ok(row(m))
}

/// The term of a proposal the actor may read.
pub async fn term_of<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<i64> {
    let m = proposal::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    access::term(db, ctx, m.term_id).await?;
    Ok(m.term_id)
}

/// Moves a proposal to its next stage; any other stage is refused, naming the one expected.
pub async fn advance<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &StageForm,
) -> Result<ProposalRow> {
    let m = proposal::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::term(db, ctx, m.term_id).await?;
    a.require_client_staff(
        "提言の段階を進められるのは委託者の担当者です".into(),
        "Only the client moves a proposal on",
    )?;
    let current = row(m.clone());
    let Some(next) = current.next else {
        return Err(Error::conflict("採択済みの提言です", "This proposal has been adopted"));
    };
    let mut p = Problems::default();
    match ProposalStage::parse(f.stage.trim()) {
        Some(s) if s == next => {}
        _ => p.push(
            "stage",
            "段階",
            "Stage",
            format!("は「{}」の次の「{}」です", current.stage.label_ja(), next.label_ja()),
            format!("must be {} (after {})", next.label_en(), current.stage.label_en()),
        ),
    }
    let adopted_on = if next == ProposalStage::Adopted {
        let d = p.date("adopted_on", "採択日", "Adopted on", &f.adopted_on);
        if f.adopted_on.trim().is_empty() {
            p.push("adopted_on", "採択日", "Adopted on", "を入力してください", "is required");
        }
        if f.adopted_by.trim().is_empty() {
            p.push("adopted_by", "採択した会議", "Adopted by", "を入力してください", "is required");
        }
        d
    } else {
        None
    };
    p.into_result()?;
    let txn = db.begin().await?;
    let before = serde_json::to_value(&m).ok();
    let mut am = m.into_active_model();
    am.stage = Set(next.key().into());
    if next == ProposalStage::Adopted {
        am.adopted_on = Set(adopted_on);
        am.adopted_by = Set(Some(f.adopted_by.trim().into()));
    }
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    record(&txn, ctx, &a, "stage", &m, before).await?;
    txn.commit().await?;
    Ok(row(m))
}

async fn record<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    a: &TermAccess,
    action: &str,
    m: &proposal::Model,
    before: Option<serde_json::Value>,
) -> Result<()> {
    audit::record(
        db,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.committee.bundle_id),
            action,
            entity: "council_proposal",
            entity_id: m.id.to_string(),
            before,
            after: serde_json::to_value(m).ok(),
        },
    )
    .await
}
