//! 登録申請 (a partner organisation registering itself on the portal), approved by the window
//! before the organisation and its first user exist.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpRegistration")]
#[sea_orm(table_name = "pp_registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub platform_id: i64,
    pub org_name: String,
    /// `company` | `npo` | `university` | `other`.
    pub kind: String,
    /// 法人番号 (13 digits, check digit verified), when the organisation has one.
    pub corporate_no: String,
    /// 担当者名 (sealed).
    #[serde(skip)]
    pub contact_name_enc: Option<String>,
    /// メール (sealed).
    #[serde(skip)]
    pub email_enc: Option<String>,
    pub login: String,
    /// The password's hash, as the user will have it once approved.
    #[serde(skip)]
    pub password_hash: String,
    /// `pending` | `approved` | `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_on: Option<Date>,
    pub org_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
