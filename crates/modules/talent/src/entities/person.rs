//! デジタル人材 (a person of the pool). Personal fields are sealed; `label` is the non-personal display name.
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPerson")]
#[sea_orm(table_name = "talent_persons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pool_id: i64,
    /// 表示名 (non-personal, e.g. 「人材T」).
    pub label: String,
    /// 氏名 (sealed).
    #[serde(skip)]
    pub name_enc: Option<String>,
    /// ふりがな (sealed).
    #[serde(skip)]
    pub kana_enc: Option<String>,
    /// メール (sealed).
    #[serde(skip)]
    pub email_enc: Option<String>,
    /// 電話 (sealed).
    #[serde(skip)]
    pub phone_enc: Option<String>,
    /// 備考 (sealed).
    #[serde(skip)]
    pub notes_enc: Option<String>,
    /// Blind index of name + e-mail: the same person imported twice is one record.
    #[serde(skip)]
    pub name_index: Option<String>,
    /// 供給源 (`Source`).
    pub source: String,
    /// 任用形態 (`Engagement`).
    pub engagement: String,
    /// The 協力企業 that employs a contracted person (its staff see only their own).
    pub employer_org_id: Option<i64>,
    /// 人材類型 keys, comma-separated.
    pub types: String,
    /// 対応可能地域, one per line: 「地方:中部地方」「県:静岡県」「市町村:下田市」.
    pub regions: String,
    /// 支援分野 keys, comma-separated.
    pub fields: String,
    /// ② 主たる業務が市町村支援業務 (declared in the job description).
    pub main_duty: bool,
    /// ②の根拠.
    pub main_duty_basis: String,
    /// ①ウ judgement, when recorded.
    pub judgement_holds: Option<bool>,
    pub judged_by: String,
    pub judged_on: Option<Date>,
    pub judgement_reason: String,
    /// 自治体DXアクセラレータ: 未確認 … 任命済 (`AcceleratorStatus` key).
    pub accelerator_status: String,
    /// `PersonStatus` key.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
