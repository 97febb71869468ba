//! 会議体 (a meeting series): the 研究部会 of a council, the 月例会議 of a maintenance contract. Belongs to a bundle (or to one organisation); its meetings' materials and minutes are deliverables with due rules counted from each meeting's date.
use sea_orm::entity::prelude::*;
use serde::Serialize;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "MeetingSeries")]
#[sea_orm(table_name = "meeting_series")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bundle_id: Option<i64>,
    /// 主催団体 (the organisation that runs the series and approves the minutes).
    pub owner_org_id: i64,
    pub title: String,
    /// 研究部会, 担当者打合せ, 月例会議, 推進会議 … (free text, suggestions on the form).
    pub kind: String,
    /// How a due date that is not a business day moves: `prev`, `next` or `none`.
    pub adjust: String,
    /// 会議資料の期限 (e.g. `-7d`), before the adjustment.
    pub materials_rule: String,
    /// 議事録の期限 (e.g. `+7d`).
    pub minutes_rule: String,
    /// The minutes' own adjustment when it differs from `adjust` (None: `adjust`).
    pub minutes_adjust: Option<String>,
    pub materials_deliverable_id: Option<i64>,
    pub minutes_deliverable_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
