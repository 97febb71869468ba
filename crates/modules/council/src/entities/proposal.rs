//! 提言 (a proposal of the committee) and how far it has come.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilProposal")]
#[sea_orm(table_name = "council_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub term_id: i64,
    /// 提言先: `governors` (関東地方知事会) | `state` (国).
    pub addressee: String,
    pub title: String,
    /// The 提言書案 deliverable it is drafted as (4(6)).
    pub deliverable_id: Option<i64>,
    /// 案作成中 → 研究部会で協議 → 知事会へ提出 → 採択.
    pub stage: String,
    pub adopted_on: Option<Date>,
    /// The meeting that adopted it (「令和7年度 第2回 関東地方知事会議」).
    pub adopted_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
