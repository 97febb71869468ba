//! Where file bytes live: the one interface every upload and download goes through
//! ([`FileStore::put`], [`FileStore::get`]), with two backends.
//!
//! - [`Storage::Disk`] (the default): `<data_dir>/files/<2 hex>/<32 hex>`. Simple and fast for one
//!   app server; a file is readable only on the server that took the upload.
//! - [`Storage::Database`]: the bytes in `file_blobs`, written in the same transaction as the
//!   file's metadata row, so every app server on the database serves every file, a rolled-back
//!   upload leaves nothing behind, and a database backup carries the files.
//!
//! The backend chosen applies to new files; each file records where its bytes went
//! (`files.storage`), so files stored before a change of backend stay readable where they are.

use crate::entities::{file_blob, stored_file};
use crate::error::Result;
use anyhow::Context;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where new files' bytes are written (`file_storage` in the configuration).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// The data directory of the server that takes the upload (one app server).
    #[default]
    Disk,
    /// The database every app server shares (several app servers).
    Database,
}

impl Storage {
    /// The value kept in `files.storage` and written in the configuration.
    pub fn key(self) -> &'static str {
        match self {
            Storage::Disk => "disk",
            Storage::Database => "database",
        }
    }
}

/// Where file bytes live and how large an upload may be.
#[derive(Clone, Debug)]
pub struct FileStore {
    /// The backend new files are written to.
    pub storage: Storage,
    /// The disk backend's directory (`<data_dir>/files`); files stored on disk are read from
    /// here whichever backend new files go to.
    pub root: PathBuf,
    pub max_bytes: u64,
}

impl FileStore {
    /// Files on disk under `root` (the default).
    pub fn disk(root: PathBuf, max_bytes: u64) -> FileStore {
        FileStore { storage: Storage::Disk, root, max_bytes }
    }

    /// The disk path of a file stored on disk.
    fn path(&self, storage_key: &str) -> PathBuf {
        self.root.join(storage_key.get(..2).unwrap_or("__")).join(storage_key)
    }

    /// Writes the bytes of `file`, a row just inserted in the caller's transaction `txn` with
    /// `storage` = [`FileStore::storage`]. In the database they are part of that transaction;
    /// on disk the file is written at once (a rolled-back transaction leaves an unreferenced
    /// file, never a row without bytes).
    pub async fn put<C: ConnectionTrait>(&self, txn: &C, file: &stored_file::Model, bytes: &[u8]) -> Result<()> {
        match self.storage {
            Storage::Database => {
                file_blob::ActiveModel { file_id: Set(file.id), bytes: Set(bytes.to_vec()), ..Default::default() }
                    .insert(txn)
                    .await?;
            }
            Storage::Disk => {
                let path = self.path(&file.storage_key);
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir).await.with_context(|| format!("creating {}", dir.display()))?;
                }
                tokio::fs::write(&path, bytes).await.with_context(|| format!("writing {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Reads the bytes of `file` from where they were stored (its `storage`), whatever backend
    /// new files go to now. Access must have been checked already.
    pub async fn get<C: ConnectionTrait>(&self, db: &C, file: &stored_file::Model) -> Result<Vec<u8>> {
        if file.storage == Storage::Database.key() {
            let blob = file_blob::Entity::find().filter(file_blob::Column::FileId.eq(file.id)).one(db).await?;
            let blob = blob.with_context(|| format!("the bytes of file {} are missing from file_blobs", file.id))?;
            return Ok(blob.bytes);
        }
        let path = self.path(&file.storage_key);
        let bytes = tokio::fs::read(&path).await.with_context(|| {
            format!(
                "reading {} (file {} is on the disk of the server that took the upload; \
                 several app servers need file_storage = \"database\")",
                path.display(),
                file.id
            )
        })?;
        Ok(bytes)
    }
}
