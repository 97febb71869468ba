//! 推進体制の記録 (one pool, one 年度): ① and ④; ② and ③ are computed.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentFramework")]
#[sea_orm(table_name = "talent_frameworks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    pub fiscal_year: i32,
    /// 会議体 | 宣言 | 協定.
    pub cooperation_kind: Option<String>,
    pub cooperation_on: Option<Date>,
    /// 協定書・宣言文 (a stored file).
    pub file_id: Option<i64>,
    /// ④ theme keys.
    pub themes: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
