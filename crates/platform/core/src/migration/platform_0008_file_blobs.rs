//! 添付ファイルの中身をデータベースに (file bytes in the database), for several app servers on one
//! database: `files.storage` says where a file's bytes are (`disk`: under the data directory of
//! the server that took the upload, as every file stored before; `database`: in `file_blobs`),
//! and `file_blobs` holds the bytes of the files stored in the database, one row per file.

use super::schema::{a, fk_cascade, id, unique};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0008_file_blobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("files")).add_column(string(a("storage")).default("disk")).take()).await?;
        m.create_table(
            Table::create()
                .table(a("file_blobs"))
                .col(id())
                .col(big_integer(a("file_id")))
                // `bytea` on PostgreSQL, `blob` on SQLite.
                .col(ColumnDef::new(a("bytes")).blob().not_null())
                .foreign_key(&mut fk_cascade("file_blobs", "file_id", "files"))
                .take(),
        )
        .await?;
        m.create_index(unique("file_blobs", "ux_file_blobs_file", &["file_id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(a("file_blobs")).take()).await?;
        m.alter_table(Table::alter().table(a("files")).drop_column(a("storage")).take()).await
    }
}
