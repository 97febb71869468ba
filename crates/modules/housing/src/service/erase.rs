//! 保存期間経過後の消去 (erasure of closed cases' personal data). An operator command: the
//! encrypted personal fields and the blind index of households whose case closed before the
//! cut-off are removed; the case, its moves, payments and statistics stay, so reports and the
//! 団地別調書 still add up. Each erased case is audited. `dry_run` counts without writing.

use crate::entities::{case, household, leg};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;
use tabane_core::service::audit::{self, Change};
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct ErasureReport {
    pub cases: usize,
    pub case_ids: Vec<i64>,
    pub dry_run: bool,
}

/// Erases the personal data of cases closed before `before`. Only an operator (system
/// administrator, e.g. the CLI) may run it.
pub async fn closed<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    before: NaiveDate,
    dry_run: bool,
) -> Result<ErasureReport> {
    if !ctx.system_admin {
        return Err(Error::forbidden(
            "個人情報の消去はシステム管理者の操作です",
            "Only an operator may erase personal data",
        ));
    }
    let cutoff = before.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let cases =
        case::Entity::find().filter(case::Column::ClosedAt.lt(cutoff)).order_by_asc(case::Column::Id).all(db).await?;
    let mut report = ErasureReport { dry_run, ..Default::default() };
    let tx = db.begin().await?;
    for c in cases {
        let Some(h) = household::Entity::find_by_id(c.household_id).one(&tx).await? else { continue };
        if h.erased_at.is_some() {
            continue;
        }
        report.cases += 1;
        report.case_ids.push(c.id);
        if dry_run {
            continue;
        }
        let mut am: household::ActiveModel = h.into();
        am.name_enc = Set(None);
        am.kana_enc = Set(None);
        am.phone_enc = Set(None);
        am.address_enc = Set(None);
        am.care_note_enc = Set(None);
        am.bank_enc = Set(None);
        am.name_bidx = Set(None);
        am.erased_at = Set(Some(Utc::now()));
        am.update(&tx).await?;
        for l in leg::Entity::find()
            .filter(leg::Column::CaseId.eq(c.id))
            .filter(leg::Column::ToAddressEnc.is_not_null())
            .all(&tx)
            .await?
        {
            let mut lm: leg::ActiveModel = l.into();
            lm.to_address_enc = Set(None);
            lm.update(&tx).await?;
        }
        audit::record(
            &tx,
            ctx,
            Change {
                org_id: None,
                bundle_id: None,
                action: "erase_personal",
                entity: "housing_case",
                entity_id: c.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "closed_at": c.closed_at, "cutoff": before })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}
