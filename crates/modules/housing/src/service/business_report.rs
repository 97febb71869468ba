//! 業務報告書 (the report at the end of each sub-service, §8(3)ウ): for 本移転 / 仮移転 / 住宅替 / 退去,
//! how many households, how far each got, the forms, the payments, referred movers, extensions and
//! the incidents of the estate. No personal data.

use super::access;
use crate::domain::{Classification, PaymentKind};
use crate::entities::{case, form_item, incident, leg, payment, referral};
use crate::legs::LegStatus;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use tabane_core::{Ctx, Result};

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BusinessReport {
    pub estate: String,
    pub class: Classification,
    /// Households whose move (leg) is of this kind, cancelled ones apart.
    pub households: usize,
    pub cancelled: usize,
    /// (status, count) in the order of the pipeline.
    pub by_status: Vec<(LegStatus, usize)>,
    pub first_move: Option<NaiveDate>,
    pub last_move: Option<NaiveDate>,
    pub forms_issued: usize,
    pub forms_received: usize,
    pub forms_not_in_person: usize,
    pub forms_with_defects: usize,
    pub first_payments: (usize, i64),
    pub remainders: (usize, i64),
    pub referrals: usize,
    pub extensions: usize,
    pub incidents: usize,
    /// Every move has reached 完了 (or was cancelled): the sub-service is over.
    pub finished: bool,
}

pub async fn build<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    class: Classification,
) -> Result<BusinessReport> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    let case_ids: Vec<i64> = case::Entity::find()
        .filter(case::Column::EstateId.eq(estate_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut legs = Vec::new();
    for chunk in case_ids.chunks(500) {
        legs.extend(
            leg::Entity::find()
                .filter(leg::Column::CaseId.is_in(chunk.to_vec()))
                .filter(leg::Column::Kind.eq(class.key()))
                .all(db)
                .await?,
        );
    }
    let (live, cancelled): (Vec<&leg::Model>, Vec<&leg::Model>) = legs.iter().partition(|l| l.cancelled_on.is_none());
    let ids: Vec<i64> = live.iter().map(|l| l.id).collect();
    let mut forms = Vec::new();
    let mut pays = Vec::new();
    let mut refs = Vec::new();
    for chunk in ids.chunks(500) {
        forms.extend(form_item::Entity::find().filter(form_item::Column::LegId.is_in(chunk.to_vec())).all(db).await?);
        pays.extend(payment::Entity::find().filter(payment::Column::LegId.is_in(chunk.to_vec())).all(db).await?);
        refs.extend(referral::Entity::find().filter(referral::Column::LegId.is_in(chunk.to_vec())).all(db).await?);
    }
    // Without the forms, a move with forms issued counts as 書類配布済み until it is contracted.
    let status_of = |l: &leg::Model| super::moves::milestones(l).status();
    let by_status = LegStatus::ALL
        .iter()
        .filter(|s| **s != LegStatus::Cancelled && **s != LegStatus::FormsComplete)
        .map(|s| (*s, live.iter().filter(|l| status_of(l) == *s).count()))
        .collect();
    let moves: Vec<NaiveDate> = live.iter().filter_map(|l| l.moved_on).collect();
    let sum = |k: PaymentKind| {
        let v: Vec<&payment::Model> = pays.iter().filter(|p| p.kind == k.key()).collect();
        (v.len(), v.iter().map(|p| p.amount).sum())
    };
    let incidents = incident::Entity::find().filter(incident::Column::EstateId.eq(estate_id)).all(db).await?.len();
    Ok(BusinessReport {
        estate: acc.estate.name,
        class,
        households: live.len(),
        cancelled: cancelled.len(),
        by_status,
        first_move: moves.iter().min().copied(),
        last_move: moves.iter().max().copied(),
        forms_issued: forms.len(),
        forms_received: forms.iter().filter(|f| f.received_on.is_some()).count(),
        forms_not_in_person: forms.iter().filter(|f| f.method.as_deref().is_some_and(|m| m != "in_person")).count(),
        forms_with_defects: forms.iter().filter(|f| f.defect_note.is_some()).count(),
        first_payments: sum(PaymentKind::First),
        remainders: sum(PaymentKind::Remainder),
        referrals: refs.len(),
        extensions: live.iter().filter(|l| l.extension_reason.is_some()).count(),
        incidents,
        finished: !live.is_empty() && live.iter().all(|l| l.closed_on.is_some()),
    })
}
