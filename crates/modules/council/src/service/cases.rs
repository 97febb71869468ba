//! 事例集（近県モデル） (the case library, seed line 27–29): good practices, company
//! initiatives and government support, accumulated across 年度. A case drawn from a hearing is
//! shown beyond the client only with the hearing subject's consent.

use super::access::{self, Side};
use crate::domain::{CaseCategory, CaseVisibility, Consent};
use crate::entities::{case, hearing, term};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct CaseForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub prefectures: String,
    #[serde(default)]
    pub visibility: String,
    /// 元のヒアリング (its id; empty for none).
    #[serde(default)]
    pub source_hearing_id: String,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilCaseRow")]
pub struct CaseRow {
    pub case: case::Model,
    pub category: CaseCategory,
    pub visibility: CaseVisibility,
}

fn row(c: case::Model) -> CaseRow {
    CaseRow {
        category: CaseCategory::parse(&c.category).unwrap_or(CaseCategory::Practice),
        visibility: CaseVisibility::parse(&c.visibility).unwrap_or(CaseVisibility::Client),
        case: c,
    }
}

/// The consent gate: 掲載不可 or 未確認 keeps a case with the client.
pub fn check_consent(visibility: CaseVisibility, consent: Option<Consent>) -> Result<()> {
    if visibility != CaseVisibility::Client && consent.is_some_and(|c| !c.allows_sharing()) {
        return Err(Error::conflict(
            "ヒアリング先の掲載同意がありません",
            "The hearing subject has not consented to publication",
        ));
    }
    Ok(())
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    term_id: i64,
    f: &CaseForm,
) -> Result<CaseRow> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_contract_staff()?;
    let mut p = Problems::default();
    p.required("title", "事例名", "Title", &f.title);
    let category = CaseCategory::parse(&f.category);
    if category.is_none() {
        p.push(
            "category",
            "分類",
            "Category",
            format!("は次のいずれかです: {}", CaseCategory::choices_ja()),
            "is not one of the choices",
        );
    }
    let visibility = if f.visibility.trim().is_empty() {
        Some(CaseVisibility::Client)
    } else {
        CaseVisibility::parse(&f.visibility)
    };
    if visibility.is_none() {
        p.push(
            "visibility",
            "公開範囲",
            "Visibility",
            format!("は次のいずれかです: {}", CaseVisibility::choices_ja()),
            "is not one of the choices",
        );
    }
    let source_id = match f.source_hearing_id.trim() {
        "" => None,
        t => Some(t.parse::<i64>().unwrap_or(0)),
    };
    let source = match source_id {
        Some(h) => match hearing::Entity::find_by_id(h).one(db).await? {
            Some(h) if h.term_id == term_id => Some(h),
            _ => {
                p.push(
                    "source_hearing_id",
                    "元のヒアリング",
                    "Source hearing",
                    "はこの年度のヒアリングから選んでください",
                    "must be a hearing of this term",
                );
                None
            }
        },
        None => None,
    };
    p.into_result()?;
    let visibility = visibility.expect("checked");
    check_consent(visibility, source.as_ref().map(|h| Consent::parse(&h.consent).unwrap_or(Consent::Unknown)))?;
    let txn = db.begin().await?;
    let c = case::ActiveModel {
        committee_id: Set(a.committee.id),
        term_id: Set(term_id),
        source_hearing_id: Set(source.map(|h| h.id)),
        category: Set(category.expect("checked").key().into()),
        prefectures: Set(f.prefectures.trim().into()),
        title: Set(f.title.trim().into()),
        summary: Set(f.summary.trim().into()),
        visibility: Set(visibility.key().into()),
        fiscal_year: Set(a.term.fiscal_year),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.term.contract_bundle_id),
            action: "create",
            entity: "council_case",
            entity_id: c.id.to_string(),
            before: None,
            after: serde_json::to_value(&c).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row(c))
}

/// The committee's case library across 年度: all of it for the contract's sides, the shared
/// cases (構成員・公開) for a member.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64) -> Result<(Vec<CaseRow>, access::TermAccess)> {
    let a = access::term(db, ctx, term_id).await?;
    let terms: Vec<i64> = term::Entity::find()
        .filter(term::Column::CommitteeId.eq(a.committee.id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut q = case::Entity::find()
        .filter(case::Column::TermId.is_in(terms))
        .order_by_desc(case::Column::FiscalYear)
        .order_by_asc(case::Column::Id);
    if a.side == Side::Member {
        q = q.filter(case::Column::Visibility.ne(CaseVisibility::Client.key()));
    }
    Ok((q.all(db).await?.into_iter().map(row).collect(), a))
}
