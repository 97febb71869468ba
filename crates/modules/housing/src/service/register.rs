//! 提出物の登録 (§8(3)ア・ウ, §8(10)): the plans and reports the seed requires, entered once into
//! the platform's deliverables register for the estate's bundle, with the prefecture as approver
//! and the contractor as submitter. Idempotent: entries already registered (same code) are kept.
//!
//! Due rules the seed leaves open (§3) are defaults the prefecture may change in the register:
//! monthly reports by the 10th of the next month, event reports 7 days before / after the event.
//! The plans are due 「業務着手」前; their anchor date is set in the register once known.

use super::access;
use crate::entities::estate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;
use tabane_core::entities::deliverable;
use tabane_core::service::deliverables::{self, DeliverableForm};
use tabane_core::{Ctx, Error, Result};

pub const MODULE: &str = "housing";

/// (code, title, section, needs 承諾, recurrence, due rule, anchor label)
pub const REQUIRED: &[(&str, &str, &str, bool, &str, &str, &str)] = &[
    ("HS-PLAN", "入居者移転支援業務計画書", "8(3)ア", true, "once", "", "業務着手"),
    ("HS-MONPLAN", "自主モニタリング計画書", "8(3)ア", true, "once", "", "業務着手"),
    ("HS-MONRES", "自主モニタリング結果", "8(3)ウ", false, "monthly", "next_month_start +9d", ""),
    ("HS-MONTHLY", "月次報告（書類の受取状況・移転状況等）", "8(10)", false, "monthly", "next_month_start +9d", ""),
    ("HS-BR-MAIN", "業務報告書（本移転支援業務）", "8(3)ウ", false, "once", "", "本移転支援業務の終了"),
    ("HS-BR-TEMP", "業務報告書（仮移転支援業務）", "8(3)ウ", false, "once", "", "仮移転支援業務の終了"),
    ("HS-BR-TRANSFER", "業務報告書（住宅替支援業務）", "8(3)ウ", false, "once", "", "住宅替支援業務の終了"),
    ("HS-BR-LEAVE", "業務報告書（退去者支援業務）", "8(3)ウ", false, "once", "", "退去者支援業務の終了"),
    ("HS-LOTTERY-PRE", "抽選会前の報告（実施内容・配布資料）", "8(10)(ア)", false, "per_event", "-7d", "抽選会"),
    ("HS-LOTTERY-POST", "抽選会後の報告（抽選結果）", "8(10)(ア)", false, "per_event", "+7d", "抽選会"),
];

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Registered {
    pub bundle_id: i64,
    pub created: Vec<String>,
    pub existing: Vec<String>,
}

/// Registers the seed's deliverables for the estate's bundle (the prefecture's staff only).
pub async fn register_required<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
) -> Result<Registered> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_owner_staff()?;
    let e: &estate::Model = &acc.estate;
    let contractor = tabane_core::service::bundle_access::contractor_of(db, e.bundle_id).await?.ok_or_else(|| {
        Error::conflict(
            "束に受注者（事業者）がいないため、提出者を決められません",
            "The bundle has no contractor to submit",
        )
    })?;
    let mut out = Registered { bundle_id: e.bundle_id, created: vec![], existing: vec![] };
    for (code, title, section, approval, rec, rule, anchor) in REQUIRED {
        let dup = deliverable::Entity::find()
            .filter(deliverable::Column::BundleId.eq(e.bundle_id))
            .filter(deliverable::Column::Module.eq(MODULE))
            .filter(deliverable::Column::Code.eq(*code))
            .one(db)
            .await?;
        if dup.is_some() {
            out.existing.push(title.to_string());
            continue;
        }
        let f = DeliverableForm {
            bundle_id: e.bundle_id.to_string(),
            submitter_org_id: contractor.to_string(),
            module: MODULE.into(),
            code: code.to_string(),
            title: title.to_string(),
            section_ref: section.to_string(),
            needs_approval: *approval,
            recurrence: rec.to_string(),
            due_rule: rule.to_string(),
            anchor_label: anchor.to_string(),
            ..Default::default()
        };
        deliverables::register(db, ctx, &f).await?;
        out.created.push(title.to_string());
    }
    Ok(out)
}
