//! 打合せ・協議記録 (the liaison log): 「概ね週１回程度」 meetings with the client (R9) and the
//! consultations of seed §7, with 仕様変更承認申請 that must be approved before they are carried
//! out (R13).

use super::access::{self, TermAccess};
use crate::domain::{self, ChangeStatus, Coverage, HearingMode, LiaisonKind};
use crate::entities::liaison;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct LiaisonForm {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub decisions: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LiaisonRow {
    pub entry: liaison::Model,
    pub kind: LiaisonKind,
    pub mode: HearingMode,
    pub change_status: Option<ChangeStatus>,
}

fn row(e: liaison::Model) -> LiaisonRow {
    LiaisonRow {
        kind: LiaisonKind::parse(&e.kind).unwrap_or(LiaisonKind::Regular),
        mode: HearingMode::parse(&e.mode).unwrap_or(HearingMode::Online),
        change_status: e.change_status.as_deref().and_then(ChangeStatus::parse),
        entry: e,
    }
}

fn audit_change<'a>(
    a: &TermAccess,
    action: &'a str,
    e: &liaison::Model,
    before: Option<serde_json::Value>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.term.client_org_id),
        bundle_id: Some(a.term.contract_bundle_id),
        action,
        entity: "council_liaison",
        entity_id: e.id.to_string(),
        before,
        after: serde_json::to_value(e).ok(),
    }
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    term_id: i64,
    f: &LiaisonForm,
) -> Result<LiaisonRow> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_contract_staff()?;
    let mut p = Problems::default();
    if f.held_on.trim().is_empty() {
        p.push("held_on", "実施日", "Date", "を入力してください", "is required");
    }
    let held_on = p.date("held_on", "実施日", "Date", &f.held_on);
    let kind = if f.kind.trim().is_empty() { Some(LiaisonKind::Regular) } else { LiaisonKind::parse(&f.kind) };
    if kind.is_none() {
        p.push(
            "kind",
            "種別",
            "Kind",
            format!("は次のいずれかです: {}", LiaisonKind::choices_ja()),
            "is not one of the choices",
        );
    }
    let mode = if f.mode.trim().is_empty() { Some(HearingMode::Online) } else { HearingMode::parse(&f.mode) };
    if mode.is_none() {
        p.push(
            "mode",
            "方法",
            "Mode",
            format!("は次のいずれかです: {}", HearingMode::choices_ja()),
            "is not one of the choices",
        );
    }
    p.required("topics", "議題・内容", "Topics", &f.topics);
    p.into_result()?;
    let kind = kind.expect("checked");
    let txn = db.begin().await?;
    let e = liaison::ActiveModel {
        term_id: Set(term_id),
        held_on: Set(held_on.expect("checked")),
        kind: Set(kind.key().into()),
        mode: Set(mode.expect("checked").key().into()),
        topics: Set(f.topics.trim().into()),
        decisions: Set(f.decisions.trim().into()),
        change_status: Set((kind == LiaisonKind::ChangeRequest).then(|| ChangeStatus::Applied.key().into())),
        reject_reason: Set(None),
        implemented_on: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, audit_change(&a, "create", &e, None)).await?;
    txn.commit().await?;
    Ok(row(e))
}

pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64) -> Result<(Vec<LiaisonRow>, TermAccess)> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_contract()?;
    let rows = liaison::Entity::find()
        .filter(liaison::Column::TermId.eq(term_id))
        .order_by_asc(liaison::Column::HeldOn)
        .order_by_asc(liaison::Column::Id)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(row).collect(), a))
}

/// R9 over the term's 定例打合せ.
pub async fn coverage<C: ConnectionTrait>(db: &C, a: &TermAccess) -> Result<Coverage> {
    let days: Vec<chrono::NaiveDate> = liaison::Entity::find()
        .filter(liaison::Column::TermId.eq(a.term.id))
        .filter(liaison::Column::Kind.eq(LiaisonKind::Regular.key()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.held_on)
        .collect();
    Ok(domain::liaison_coverage(a.term.period_start, a.term.period_end, &days))
}

/// 承認・却下・実施 of a 仕様変更承認申請 (R13).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ChangeForm {
    /// approve | reject | implement
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub on: String,
}

pub async fn change_step<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &ChangeForm,
) -> Result<LiaisonRow> {
    let e = liaison::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::term(db, ctx, e.term_id).await?;
    a.require_contract_staff()?;
    let r = row(e);
    let Some(status) = r.change_status else {
        return Err(Error::conflict("仕様変更承認申請ではありません", "This is not a change request"));
    };
    let mut am = r.entry.clone().into_active_model();
    match f.step.as_str() {
        "approve" | "reject" => {
            a.require_client_staff(
                "仕様変更の承認・却下は委託者が行います".into(),
                "Only the client decides a change request",
            )?;
            if status != ChangeStatus::Applied {
                return Err(Error::conflict("この申請はすでに決定されています", "Already decided"));
            }
            if f.step == "reject" {
                if f.reason.trim().is_empty() {
                    return Err(Error::invalid("reason", "却下の理由", "Reason", "を入力してください", "is required"));
                }
                am.change_status = Set(Some(ChangeStatus::Rejected.key().into()));
                am.reject_reason = Set(Some(f.reason.trim().into()));
            } else {
                am.change_status = Set(Some(ChangeStatus::Approved.key().into()));
            }
        }
        "implement" => {
            if status != ChangeStatus::Approved {
                return Err(Error::conflict(
                    "仕様変更は委託者の承認を得てから実施してください",
                    "A change is carried out only after the client approved it",
                ));
            }
            let on = if f.on.trim().is_empty() {
                tabane_calendar::jst::today()
            } else {
                tabane_calendar::parse_date(&f.on)
                    .map_err(|e| Error::invalid("on", "実施日", "Date", e.message_ja(), e.message_en()))?
            };
            am.implemented_on = Set(Some(on));
        }
        _ => {
            return Err(Error::invalid(
                "step",
                "操作",
                "Step",
                "は approve / reject / implement のいずれかです",
                "must be approve, reject or implement",
            ));
        }
    }
    let txn = db.begin().await?;
    let before = serde_json::to_value(&r.entry).ok();
    let e = am.update(&txn).await?;
    audit::record(&txn, ctx, audit_change(&a, "change_step", &e, before)).await?;
    txn.commit().await?;
    Ok(row(e))
}
