//! 団地別調書 (the per-estate statement for the grant application, §8(9)): households by
//! classification and how far their moves have gone, the moving fees paid, and the actual costs
//! by fiscal year. No personal data.

use super::access;
use super::cases::{self, CaseFilter};
use crate::domain::{Classification, PaymentKind};
use crate::entities::{cost_claim, cost_item, leg, payment};
use crate::legs::LegStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use tabane_core::{Ctx, Result};

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct ClassLine {
    pub class: String,
    pub households: i64,
    pub persons: i64,
    pub aged65_households: i64,
    pub moved: i64,
    pub closed: i64,
    pub first_paid: i64,
    pub remainder_paid: i64,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Chosho {
    pub estate: String,
    pub lines: Vec<ClassLine>,
    pub total: ClassLine,
    /// (fiscal year, Σ amount, Σ interest, claimed (confirmed) amount)
    pub costs: Vec<(i32, i64, i64, i64)>,
}

pub async fn build<D: ConnectionTrait>(db: &D, ctx: &Ctx, estate_id: i64) -> Result<Chosho> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    let rows = cases::list(db, ctx, &CaseFilter { estate: Some(estate_id), ..Default::default() }).await?;
    let case_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut legs = Vec::new();
    for chunk in case_ids.chunks(500) {
        legs.extend(leg::Entity::find().filter(leg::Column::CaseId.is_in(chunk.to_vec())).all(db).await?);
    }
    let leg_ids: Vec<i64> = legs.iter().map(|l| l.id).collect();
    let mut pays = Vec::new();
    for chunk in leg_ids.chunks(500) {
        pays.extend(payment::Entity::find().filter(payment::Column::LegId.is_in(chunk.to_vec())).all(db).await?);
    }
    let mut lines: Vec<ClassLine> =
        Classification::ALL.iter().map(|c| ClassLine { class: c.label_ja().into(), ..Default::default() }).collect();
    lines.push(ClassLine { class: "未分類".into(), ..Default::default() });
    for r in &rows {
        let idx = r
            .classification
            .map(|c| Classification::ALL.iter().position(|x| *x == c).expect("known"))
            .unwrap_or(Classification::ALL.len());
        let l = &mut lines[idx];
        l.households += 1;
        l.persons += i64::from(r.size);
        l.aged65_households += i64::from(r.aged65 > 0);
        l.moved += i64::from(matches!(
            r.status,
            LegStatus::Moved | LegStatus::Vacated | LegStatus::RemainderPaid | LegStatus::Closed
        ));
        l.closed += i64::from(r.status == LegStatus::Closed);
        for lg in legs.iter().filter(|lg| lg.case_id == r.id) {
            for p in pays.iter().filter(|p| p.leg_id == lg.id) {
                if p.kind == PaymentKind::First.key() {
                    l.first_paid += p.amount;
                } else {
                    l.remainder_paid += p.amount;
                }
            }
        }
    }
    let mut total = ClassLine { class: "計".into(), ..Default::default() };
    for l in &lines {
        total.households += l.households;
        total.persons += l.persons;
        total.aged65_households += l.aged65_households;
        total.moved += l.moved;
        total.closed += l.closed;
        total.first_paid += l.first_paid;
        total.remainder_paid += l.remainder_paid;
    }
    let items = cost_item::Entity::find().filter(cost_item::Column::EstateId.eq(estate_id)).all(db).await?;
    let claims = cost_claim::Entity::find().filter(cost_claim::Column::EstateId.eq(estate_id)).all(db).await?;
    let mut years: Vec<i32> = items.iter().map(|i| i.fiscal_year).collect();
    years.sort_unstable();
    years.dedup();
    let costs = years
        .into_iter()
        .map(|y| {
            let it = items.iter().filter(|i| i.fiscal_year == y);
            let confirmed: i64 = claims.iter().filter(|c| c.fiscal_year == y).filter_map(|c| c.confirmed_amount).sum();
            (y, it.clone().map(|i| i.amount).sum(), it.map(|i| i.interest).sum(), confirmed)
        })
        .collect();
    Ok(Chosho { estate: acc.estate.name, lines, total, costs })
}
