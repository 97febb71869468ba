//! 案件の画面の材料 (what the case page shows): the case without personal fields, its moves with
//! their forms and payments and the steps allowed now, the history, and free units to assign.

use super::cases::{self, CaseRow};
use super::moves::{self, LegView};
use super::units::{self, UnitRow};
use crate::domain::Classification;
use crate::entities::{building, campaign, case_event};
use crate::legs::LegStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use tabane_core::{Ctx, Result};

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CaseDetail {
    pub row: CaseRow,
    pub campaign: Option<(i64, String)>,
    pub legs: Vec<LegView>,
    pub events: Vec<case_event::Model>,
    pub free_units: Vec<UnitRow>,
    /// 申請口座 registered (shown as 「登録済み」; the number itself only to the prefecture).
    pub bank_registered: bool,
    pub may_write: bool,
    pub may_read_personal: bool,
    pub may_read_bank: bool,
    /// 支援期間の終わり (入居開始日 + 2か月) of the case's campaign.
    pub support_end: Option<chrono::NaiveDate>,
    /// Why the case is listed as at risk (報告事項), if it is.
    pub risk_reason: Option<String>,
}

pub async fn detail<D: ConnectionTrait>(db: &D, ctx: &Ctx, case_id: i64) -> Result<CaseDetail> {
    let (c, h, acc) = cases::load(db, ctx, case_id).await?;
    let b = building::Entity::find_by_id(h.building_id).one(db).await?;
    let camp_model = match c.campaign_id {
        Some(id) => campaign::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let support_end = camp_model.as_ref().and_then(|m| m.move_in_start).map(super::deadlines::support_end);
    let camp = camp_model.map(|c| (c.id, c.name));
    Ok(CaseDetail {
        row: CaseRow {
            id: c.id,
            estate_id: c.estate_id,
            building: b.map(|b| b.name).unwrap_or_default(),
            room: h.room.clone(),
            size: h.size,
            aged65: h.aged65,
            care: h.care,
            classification: c.classification.as_deref().and_then(Classification::parse),
            status: LegStatus::parse(&c.status).unwrap_or(LegStatus::Planned),
            at_risk: c.at_risk,
        },
        campaign: camp,
        legs: moves::leg_views(db, ctx, case_id).await?,
        events: case_event::Entity::find()
            .filter(case_event::Column::CaseId.eq(case_id))
            .order_by_asc(case_event::Column::Id)
            .all(db)
            .await?,
        free_units: units::list(db, ctx, c.estate_id, true).await?,
        bank_registered: h.bank_enc.is_some(),
        may_write: acc.require_staff().is_ok(),
        may_read_personal: acc.may_read_personal(),
        may_read_bank: acc.may_read_bank(),
        support_end,
        risk_reason: c.risk_reason.clone().filter(|_| c.at_risk),
    })
}
