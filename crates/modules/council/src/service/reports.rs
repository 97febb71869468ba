//! 報告書と提言書案 (the report and the draft proposal, 仕様 4(3) and 4(6)): two `once`
//! deliverables of each term in the contract bundle, handed in as files (電子データ, seed line
//! 122) and approved by the client, each submission a new 版. Their due date is `-7d` (前営業日)
//! before the 研究部会 where they are shown; the seed has no meeting after 9月末 for the final
//! version (spec §9), so the client sets that anchor on the deliverable itself.

use super::access::{Side, TermAccess};
use crate::domain;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;
use tabane_core::entities::deliverable;
use tabane_core::service::deliverables::{self, DeliverableForm};
use tabane_core::{Ctx, Result};

/// The two documents: code suffix, title as the seed names it, 仕様書の項.
const DOCUMENTS: [(&str, &str, &str); 2] =
    [("4-3", "報告書（PowerPoint 10枚程度）", "4(3)"), ("4-6", "提言書案", "4(6)")];

/// A term's deliverable code: the 年度 first, since one contract bundle may carry several terms.
fn code(fiscal_year: i32, suffix: &str) -> String {
    format!("{fiscal_year}-{suffix}")
}

/// Registers the report and the draft proposal of a new term (inside its transaction).
pub async fn register<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    fiscal_year: i32,
    contract_bundle_id: i64,
    contractor_org_id: i64,
) -> Result<()> {
    for (suffix, title, section) in DOCUMENTS {
        deliverables::register(
            db,
            ctx,
            &DeliverableForm {
                bundle_id: contract_bundle_id.to_string(),
                submitter_org_id: contractor_org_id.to_string(),
                module: "council".into(),
                code: code(fiscal_year, suffix),
                title: title.into(),
                section_ref: section.into(),
                needs_approval: true,
                file_required: true,
                recurrence: "once".into(),
                due_rule: "-7d adjust=prev".into(),
                anchor_label: "提示する研究部会（委託者が設定）".into(),
                ..Default::default()
            },
        )
        .await?;
    }
    Ok(())
}

/// The term's 提言書案 (4(6)) deliverable, if registered.
pub async fn draft_proposal_id<C: ConnectionTrait>(db: &C, a: &TermAccess) -> Result<Option<i64>> {
    Ok(deliverable::Entity::find()
        .filter(deliverable::Column::BundleId.eq(a.term.contract_bundle_id))
        .filter(deliverable::Column::Module.eq("council"))
        .filter(deliverable::Column::Code.eq(code(a.term.fiscal_year, "4-6")))
        .one(db)
        .await?
        .map(|d| d.id))
}

/// One of the two documents on the term page.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilReportRow")]
pub struct ReportRow {
    pub deliverable_id: i64,
    pub section_ref: String,
    pub title: String,
    pub anchor_label: Option<String>,
    pub anchor_date: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub status: deliverables::Status,
    pub status_ja: String,
    /// 版: submissions so far.
    pub versions: usize,
    /// R2: due after the contract's end.
    pub warning: Option<String>,
}

/// The report and the draft proposal of the term, for the contract's sides (none for a member).
pub async fn rows<C: ConnectionTrait>(db: &C, ctx: &Ctx, a: &TermAccess) -> Result<Vec<ReportRow>> {
    if a.side == Side::Member {
        return Ok(Vec::new());
    }
    let codes: Vec<String> = DOCUMENTS.iter().map(|(s, _, _)| code(a.term.fiscal_year, s)).collect();
    let mut found = deliverable::Entity::find()
        .filter(deliverable::Column::BundleId.eq(a.term.contract_bundle_id))
        .filter(deliverable::Column::Module.eq("council"))
        .filter(deliverable::Column::Code.is_in(codes.clone()))
        .all(db)
        .await?;
    found.sort_by_key(|d| codes.iter().position(|c| *c == d.code));
    let today = tabane_calendar::jst::today();
    let mut out = Vec::new();
    for d in found {
        let v = deliverables::get(db, ctx, d.id, today).await?;
        let inst = v.instances.first();
        let status = inst.map(|i| i.status).unwrap_or(deliverables::Status::Pending);
        let due = inst.and_then(|i| i.instance.due_date).or(d.due_date);
        out.push(ReportRow {
            deliverable_id: d.id,
            section_ref: d.section_ref.clone().unwrap_or_default(),
            title: d.title.clone(),
            anchor_label: d.anchor_label.clone(),
            anchor_date: d.anchor_date,
            due,
            status,
            status_ja: status.label_ja().into(),
            versions: inst.map(|i| i.submissions.len()).unwrap_or(0),
            warning: domain::due_after_end(due, a.term.period_end),
        });
    }
    Ok(out)
}
