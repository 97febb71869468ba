//! 添付ファイルの中身 (a stored file's bytes) when files are kept in the database
//! (`file_storage = "database"`), so every app server on the database can serve them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "file_blobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The file (`files.id`) these are the bytes of; one row per file.
    pub file_id: i64,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
