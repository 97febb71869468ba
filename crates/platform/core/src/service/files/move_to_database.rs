//! データベースへの移し替え (moving files kept on disk into the database), for a deployment that
//! goes from one app server to several: after it, every server serves the files stored before
//! the switch to `file_storage = "database"` too. `tabane move-files-to-database` runs it.

use super::storage::{FileStore, Storage};
use crate::context::Ctx;
use crate::entities::{file_blob, stored_file};
use crate::error::Result;
use crate::policy;
use crate::service::audit;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};

/// What a run did. Files whose bytes are missing here or differ from their recorded SHA-256 stay
/// on disk (and are named), so a run on the wrong server or with a damaged copy changes nothing
/// about them; run it where `<data_dir>/files` holds them.
#[derive(Debug, Default)]
pub struct Moved {
    pub moved: usize,
    pub missing: Vec<i64>,
    pub damaged: Vec<i64>,
}

/// Files are read in pages of this many rows, one file's bytes in memory at a time.
const PAGE: u64 = 500;

/// Moves the bytes of every file kept on disk into `file_blobs`, each file in a transaction of
/// its own with its audit entry (`move_to_database`). The disk copies are left in place: remove
/// them after the next backup. Operators only.
pub async fn move_to_database<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    store: &FileStore,
) -> Result<Moved> {
    policy::require_system_admin(ctx)?;
    let mut out = Moved::default();
    let mut after = 0i64;
    loop {
        let page = stored_file::Entity::find()
            .filter(stored_file::Column::Storage.eq(Storage::Disk.key()))
            .filter(stored_file::Column::Id.gt(after))
            .order_by_asc(stored_file::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for f in page {
            let Ok(bytes) = store.get(db, &f).await else {
                out.missing.push(f.id);
                continue;
            };
            if hex::encode(Sha256::digest(&bytes)) != f.sha256 {
                out.damaged.push(f.id);
                continue;
            }
            let txn = db.begin().await?;
            // Marked first: a second run at the same time waits for this row, then finds it moved.
            let marked = stored_file::Entity::update_many()
                .col_expr(stored_file::Column::Storage, Expr::value(Storage::Database.key()))
                .filter(stored_file::Column::Id.eq(f.id))
                .filter(stored_file::Column::Storage.eq(Storage::Disk.key()))
                .exec(&txn)
                .await?
                .rows_affected;
            if marked != 1 {
                txn.rollback().await?;
                continue;
            }
            file_blob::ActiveModel { file_id: Set(f.id), bytes: Set(bytes), ..Default::default() }.insert(&txn).await?;
            let (id, owner, bundle) = (f.id, f.owner_org_id, f.bundle_id);
            audit::record(
                &txn,
                ctx,
                audit::Change {
                    org_id: Some(owner),
                    bundle_id: bundle,
                    action: "move_to_database",
                    entity: "file",
                    entity_id: id.to_string(),
                    before: Some(serde_json::json!({ "storage": Storage::Disk.key() })),
                    after: Some(serde_json::json!({ "storage": Storage::Database.key() })),
                },
            )
            .await?;
            txn.commit().await?;
            out.moved += 1;
        }
    }
    Ok(out)
}
