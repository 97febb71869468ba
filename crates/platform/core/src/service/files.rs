//! 添付ファイル (files): photos and documents attached to anything. Metadata in the database
//! (`files`); the bytes where the configured [`Storage`] puts them (local disk or the database,
//! see [`storage`]). A file is readable by its owner organisation and, when it was stored for a
//! bundle, by that bundle's members as its visibility says.

use crate::context::Ctx;
use crate::domain::{BundleRole, Visibility};
use crate::entities::{bundle, bundle_member, stored_file};
use crate::error::{Error, Result};
use crate::policy;
use crate::service::audit;
use chrono::Utc;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::path::Path;

mod move_to_database;
pub mod storage;
pub use move_to_database::{Moved, move_to_database};
pub use storage::{FileStore, Storage};

/// Kinds of file the platform accepts, recognised by their content, not their name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// Office Open XML (xlsx, docx, pptx) and other zip containers.
    Zip,
    Text,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Gif => "image/gif",
            Kind::Webp => "image/webp",
            Kind::Zip => "application/zip",
            Kind::Text => "text/plain; charset=utf-8",
        }
    }
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Pdf => &["pdf"],
            Kind::Png => &["png"],
            Kind::Jpeg => &["jpg", "jpeg"],
            Kind::Gif => &["gif"],
            Kind::Webp => &["webp"],
            Kind::Zip => &["xlsx", "docx", "pptx", "zip"],
            Kind::Text => &["txt", "csv", "geojson", "json"],
        }
    }
    pub fn is_image(self) -> bool {
        matches!(self, Kind::Png | Kind::Jpeg | Kind::Gif | Kind::Webp)
    }
}

/// Recognises a file by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    let starts = |p: &[u8]| bytes.starts_with(p);
    if starts(b"%PDF-") {
        Some(Kind::Pdf)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(Kind::Gif)
    } else if bytes.len() > 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else if starts(b"PK\x03\x04") {
        Some(Kind::Zip)
    } else if !bytes.contains(&0) && (std::str::from_utf8(bytes).is_ok() || !encoding_is_binary(bytes)) {
        Some(Kind::Text)
    } else {
        None
    }
}

/// Text in CP932 is not valid UTF-8 but has no control bytes other than tab/CR/LF.
fn encoding_is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(4096).any(|b| *b < 0x09 || (*b > 0x0D && *b < 0x20))
}

/// Checks an upload: size limit, a known kind, and an extension that matches the content
/// (a PNG named .pdf is refused: the extension lies).
pub fn check_upload(store: &FileStore, file_name: &str, bytes: &[u8]) -> Result<Kind> {
    let field = |ja: String, en: String| Error::invalid("file", "ファイル", "File", ja, en);
    if bytes.is_empty() {
        return Err(field("が空です".into(), "is empty".into()));
    }
    if bytes.len() as u64 > store.max_bytes {
        let mb = store.max_bytes / 1_000_000;
        return Err(field(format!("が大きすぎます（上限 {mb} MB）"), format!("is too large (limit {mb} MB)")));
    }
    let kind = sniff(bytes).ok_or_else(|| {
        field(
            "の形式に対応していません（PDF・画像・Excel/Word・CSV/テキスト）".into(),
            "is not an accepted type (PDF, image, Office, CSV/text)".into(),
        )
    })?;
    let ext =
        Path::new(file_name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if !kind.extensions().contains(&ext.as_str()) {
        return Err(field(
            format!("「{file_name}」の拡張子が内容（{}）と一致しません", kind.content_type()),
            format!("\"{file_name}\": the extension does not match the content ({})", kind.content_type()),
        ));
    }
    Ok(kind)
}

fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.is_empty() { "file".into() } else { cleaned }
}

/// Stores an upload for the acting organisation (optionally shared with a bundle it is in, with
/// every member).
pub async fn store<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    store: &FileStore,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
    bundle_id: Option<i64>,
) -> Result<stored_file::Model> {
    store_with(db, store, ctx, file_name, bytes, bundle_id, Visibility::Bundle).await
}

/// Stores an upload shared in a bundle as far as `visibility` says (e.g. a member's needs sheet
/// for the lead only, 幹事・事務局のみ).
pub async fn store_with<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    store: &FileStore,
    ctx: &Ctx,
    file_name: &str,
    bytes: &[u8],
    bundle_id: Option<i64>,
    visibility: Visibility,
) -> Result<stored_file::Model> {
    policy::can_write(ctx)?;
    let owner = ctx
        .org_id
        .ok_or_else(|| Error::forbidden("組織を選んでからアップロードしてください", "Choose an organisation first"))?;
    let kind = check_upload(store, file_name, bytes)?;
    if let Some(b) = bundle_id {
        let is_member = crate::service::bundle_access::in_force()
            .filter(bundle_member::Column::BundleId.eq(b))
            .filter(bundle_member::Column::OrgId.eq(owner))
            .one(db)
            .await?
            .is_some();
        if !is_member {
            return Err(Error::NotFound);
        }
    }
    let mut key = [0u8; 16];
    rand::rng().fill_bytes(&mut key);
    let storage_key = hex::encode(key);
    let txn = db.begin().await?;
    let f = stored_file::ActiveModel {
        owner_org_id: Set(owner),
        bundle_id: Set(bundle_id),
        file_name: Set(safe_name(file_name)),
        content_type: Set(kind.content_type().into()),
        size_bytes: Set(bytes.len() as i64),
        sha256: Set(hex::encode(Sha256::digest(bytes))),
        storage_key: Set(storage_key),
        uploaded_by: Set(ctx.user_id),
        visibility: Set(visibility.key().into()),
        storage: Set(store.storage.key().into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    store.put(&txn, &f, bytes).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id,
            action: "upload",
            entity: "file",
            entity_id: f.id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "file_name": f.file_name, "size": f.size_bytes, "sha256": f.sha256, "visibility": f.visibility
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(f)
}

/// File metadata as the actor sees it; `NotFound` when it is neither the actor's nor shared
/// with the actor's organisation through a bundle it is in today (`policy::record_visible`).
pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<stored_file::Model> {
    let f = stored_file::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if ctx.system_admin || ctx.org_id == Some(f.owner_org_id) {
        return Ok(f);
    }
    if let (Some(b), Some(org)) = (f.bundle_id, ctx.org_id) {
        let role = crate::service::bundle_access::in_force()
            .filter(bundle_member::Column::BundleId.eq(b))
            .filter(bundle_member::Column::OrgId.eq(org))
            .one(db)
            .await?
            .and_then(|m| BundleRole::parse(&m.role));
        if role.is_some() {
            let lead = bundle::Entity::find_by_id(b).one(db).await?.map(|b| b.lead_org_id).unwrap_or_default();
            let visibility = Visibility::parse(&f.visibility).unwrap_or(Visibility::Own);
            if policy::record_visible(ctx, f.owner_org_id, visibility, role, lead) {
                return Ok(f);
            }
        }
    }
    Err(Error::NotFound)
}

/// Reads a file's bytes (after the same visibility check).
pub async fn read<D: ConnectionTrait>(
    db: &D,
    store: &FileStore,
    ctx: &Ctx,
    id: i64,
) -> Result<(stored_file::Model, Vec<u8>)> {
    let f = get(db, ctx, id).await?;
    let bytes = store.get(db, &f).await?;
    Ok((f, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> FileStore {
        FileStore::disk("/nonexistent".into(), 1000)
    }

    #[test]
    fn lying_extension_is_refused() {
        let png = b"\x89PNG\r\n\x1a\n....";
        assert!(check_upload(&store(), "photo.png", png).is_ok());
        let e = check_upload(&store(), "report.pdf", png).unwrap_err();
        assert!(e.to_string().contains("拡張子"));
    }

    #[test]
    fn too_large_and_unknown_are_refused() {
        assert!(check_upload(&store(), "a.txt", &[b'a'; 1001]).unwrap_err().to_string().contains("大きすぎます"));
        assert!(check_upload(&store(), "a.bin", &[0u8, 1, 2, 3]).is_err());
    }
}
