//! ヒアリング・追加調査 (a hearing). The label is non-personal; a practitioner's name, contact
//! and personal notes are sealed per field (`*_enc`, AAD `council_hearings.<field>:<id>`).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CouncilHearing")]
#[sea_orm(table_name = "council_hearings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub term_id: i64,
    /// HearingKind key.
    pub kind: String,
    /// 「実践者A（東京都⇔長野県）」
    pub label: String,
    pub subject_org_id: Option<i64>,
    #[serde(skip)]
    pub subject_name_enc: Option<String>,
    #[serde(skip)]
    pub subject_contact_enc: Option<String>,
    /// 関係する都県 (names, 「、」 separated).
    pub prefectures: String,
    pub held_on: Option<Date>,
    /// HearingMode key.
    pub mode: String,
    /// HearingStatus key.
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    #[serde(skip)]
    #[sea_orm(column_type = "Text", nullable)]
    pub notes_enc: Option<String>,
    /// Consent key.
    pub consent: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
