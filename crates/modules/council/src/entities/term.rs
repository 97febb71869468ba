//! 年度の業務 (a yearly term): the contract bundle beside the committee bundle, its period
//! (契約締結日 … 業務実施期間の終了日) and the platform meeting series of its meetings.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilTerm")]
#[sea_orm(table_name = "council_terms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee_id: i64,
    pub fiscal_year: i32,
    /// 委託者・事務局 (信州暮らし推進係).
    pub client_org_id: i64,
    /// 座長 of the year (not named by the seed for 令和7年度).
    pub chair_org_id: Option<i64>,
    /// 業務委託の束 (発注者 the client, 受注者 the contractor).
    pub contract_bundle_id: i64,
    pub contractor_org_id: i64,
    /// 受託者の担当者 (line 142).
    pub contact_user_id: Option<i64>,
    pub period_start: Date,
    pub period_end: Date,
    /// ヒアリング 10件程度.
    pub hearing_target: i32,
    /// Platform meeting series (in the contract bundle) of the 研究部会 and of the 担当者打合せ.
    pub plenary_series_id: Option<i64>,
    pub working_series_id: Option<i64>,
    /// The member survey (platform survey owned by the client, shared with the committee).
    pub survey_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
