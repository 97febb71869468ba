//! The small JSON answers of housing's handlers, typed so that the OpenAPI document describes
//! them (the larger ones are the services' own views).

use crate::entities::{campaign, leg};
use crate::service::access::Side;
use crate::service::campaigns::FeeTable;
use crate::service::cases::CaseRow;
use crate::service::incidents::IncidentRow;
use crate::service::units::UnitRow;
use chrono::NaiveDate;
use serde::Serialize;

/// 仮移転の期間 of a move (説明日, 期間, 延長, 遅延の原因) after a change.
#[derive(Serialize, schemars::JsonSchema)]
pub struct TemporaryWindow {
    pub briefing_on: Option<NaiveDate>,
    pub temp_from: Option<NaiveDate>,
    pub temp_until: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub extension_until: Option<NaiveDate>,
    pub delay_cause: Option<String>,
}

impl From<&leg::Model> for TemporaryWindow {
    fn from(l: &leg::Model) -> Self {
        TemporaryWindow {
            briefing_on: l.temp_briefing_on,
            temp_from: l.temp_from,
            temp_until: l.temp_until,
            extension_reason: l.extension_reason.clone(),
            extension_until: l.extension_until,
            delay_cause: l.delay_cause.clone(),
        }
    }
}

/// A case's 分類 after classifying.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Classified {
    pub id: i64,
    pub classification: Option<String>,
}

/// A move's status after a step (its key and Japanese label).
#[derive(Serialize, schemars::JsonSchema)]
pub struct StepDone {
    pub status: &'static str,
    pub status_label: &'static str,
}

/// A form received: its printed number, the day and whether a defect is still open.
#[derive(Serialize, schemars::JsonSchema)]
pub struct FormReceived {
    pub issue_no: String,
    pub received_on: Option<NaiveDate>,
    pub defect_open: bool,
}

/// A mover referral and the fee it may not exceed.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Referred {
    pub id: i64,
    pub fee_cap: i64,
}

/// The questionnaire (a platform survey) opened for a campaign.
#[derive(Serialize, schemars::JsonSchema)]
pub struct QuestionnaireOpened {
    pub survey_id: i64,
}

/// How many households the questionnaire's answers classified.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ClassesApplied {
    pub classified: usize,
}

/// How many units a confirmed lottery assigned.
#[derive(Serialize, schemars::JsonSchema)]
pub struct LotteryConfirmed {
    pub assigned: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Incidents {
    pub incidents: Vec<IncidentRow>,
}

/// An estate (団地) and which side of its bundle the caller is on.
#[derive(Serialize, schemars::JsonSchema)]
pub struct EstateRow {
    pub id: i64,
    pub name: String,
    pub bundle_id: i64,
    pub side: Side,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Estates {
    pub estates: Vec<EstateRow>,
}

/// A record created, with its name.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct CampaignRow {
    pub id: i64,
    pub estate_id: i64,
    pub name: String,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Campaigns {
    pub campaigns: Vec<CampaignRow>,
}

/// A campaign and its fee table (移転料・動産移転相当額).
#[derive(Serialize, schemars::JsonSchema)]
pub struct CampaignDetail {
    pub campaign: campaign::Model,
    pub fees: FeeTable,
}

/// A destination building and its number of units.
#[derive(Serialize, schemars::JsonSchema)]
pub struct BuildingAdded {
    pub id: i64,
    pub units: i32,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Units {
    pub units: Vec<UnitRow>,
}

/// A 実費 item and the fiscal year it was booked to.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CostItemAdded {
    pub id: i64,
    pub fiscal_year: i32,
}

/// A claim (請求) and its total in yen.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ClaimMade {
    pub id: i64,
    pub total: i64,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct Cases {
    pub cases: Vec<CaseRow>,
}

/// A case created with its household.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CaseCreated {
    pub id: i64,
    pub household_id: i64,
}
