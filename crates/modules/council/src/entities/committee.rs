//! 研究部会 (the committee): a body of the 知事会 made of its members, as a bundle.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilCommittee")]
#[sea_orm(table_name = "council_committees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The committee bundle (構成員 1都9県).
    pub bundle_id: i64,
    pub name: String,
    /// 提言先 (関東地方知事会): a label, not a tenant.
    pub parent_body: String,
    /// 設置年度 (2021 = 令和3年度).
    pub established_fy: i32,
    #[sea_orm(column_type = "Text")]
    pub theme: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
