//! 添付ファイル (stored file): its metadata. The bytes are where `storage` says (see
//! `service::files::storage`).
use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, schemars::JsonSchema)]
#[schemars(rename = "StoredFile")]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_org_id: i64,
    /// When set, members of this bundle may read the file too.
    pub bundle_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: Option<i64>,
    /// 共有範囲 in its bundle (`own`, `lead_only`, `bundle`; see `policy::record_visible`).
    pub visibility: String,
    /// Where the bytes are: `disk` (the data directory of the server that took the upload) or
    /// `database` (`file_blobs`). Internal, so not in the JSON.
    #[serde(skip)]
    pub storage: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
