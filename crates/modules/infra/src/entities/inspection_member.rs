//! 部材ごとの判定 (member-level result): 主桁, 横桁, 床版, 下部構造, 支承部 …
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "InspectionMember")]
#[sea_orm(table_name = "infra_inspection_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub member: String,
    /// 判定区分 (健全性 of the member) 1–4.
    pub judgement: Option<i32>,
    /// 変状の種類 (kind of defect).
    pub defect: Option<String>,
    /// 対策区分 (A, B, C1, C2, E1, E2, M, S1, S2), stored independently of 健全性.
    pub measure: Option<String>,
    pub photo_file_id: Option<i64>,
    /// 補修状況: 未着手 / 着手 / 完了 (not_started / started / done).
    pub repair_status: String,
    pub work_order_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
