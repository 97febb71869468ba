//! 募集 (a recruitment position of the prefecture, spec §2.6) with the guidebook's four steps
//! (重点課題の特定 → 人材要件の定義 → 人材の選定 → 人材の受入れ, line 489–492) as its checklist.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPosition")]
#[sea_orm(table_name = "talent_positions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    /// The prefecture that recruits (the pool's owner).
    pub owner_org_id: i64,
    pub title: String,
    /// ジョブディスクリプション (line 348); needed to close the position as 採用 (R13).
    pub job_description: String,
    /// 任用形態 key (`Engagement`), empty when not decided.
    pub engagement: String,
    /// 人材類型 keys, comma-separated.
    pub types: String,
    /// 勤務条件・待遇.
    pub conditions: String,
    /// 募集方法 keys (`RecruitChannel`), comma-separated.
    pub channels: String,
    pub opens_on: Option<Date>,
    pub closes_on: Option<Date>,
    /// `PositionStatus` key.
    pub status: String,
    /// ステップ１ 重点課題の特定.
    pub step_issues: bool,
    /// ステップ２ 人材要件の定義.
    pub step_requirements: bool,
    /// ステップ３ 人材の選定.
    pub step_selection: bool,
    /// ステップ４ 人材の受入れ.
    pub step_onboarding: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
