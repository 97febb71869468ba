//! 工事写真 (site photos: 着手前・施工中・完了) attached to a work order.

use super::*;

/// Adds a photo (着手前/施工中/完了). Only images; only the owner's or contractor's staff.
pub async fn add_photo<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    store: &FileStore,
    ctx: &Ctx,
    id: i64,
    phase: &str,
    caption: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<photo::Model> {
    let w = find(db, ctx, id).await?;
    if access::side(ctx, &w) == Side::Other {
        return Err(Error::forbidden(
            "写真を登録できるのは管理者または受注者の担当者です",
            "Only the owner's or contractor's staff may add photos",
        ));
    }
    let phase = Phase::parse(phase).ok_or_else(|| {
        Error::invalid(
            "phase",
            "区分",
            "Phase",
            "は 着手前・施工中・完了 のいずれかです",
            "must be before, during or after",
        )
    })?;
    // Photos must be images; 関係資料 (documents) may be PDF, Office or text. The platform's
    // file store checks size, type and extension either way.
    if phase != Phase::Document && !files::sniff(bytes).is_some_and(|k| k.is_image()) {
        return Err(Error::invalid(
            "file",
            "写真",
            "Photo",
            "は画像ファイル（JPEG・PNG など）を選んでください",
            "must be an image (JPEG, PNG …)",
        ));
    }
    let f = files::store(db, store, ctx, file_name, bytes, Some(w.bundle_id)).await?;
    let txn = db.begin().await?;
    // A job without a location takes the photo's EXIF position, as a prefill only.
    if w.lat.is_none()
        && let Some((lat, lon)) = super::super::exif_location::read(bytes)
    {
        let mut am: wo::ActiveModel = w.clone().into();
        am.lat = Set(Some(lat));
        am.lon = Set(Some(lon));
        am.update(&txn).await?;
        let status = Status::parse(&w.status).unwrap_or(Status::Received);
        log_event(
            &txn,
            ctx,
            id,
            Some(status),
            status,
            "locate_from_photo",
            Some(format!("写真の位置情報（EXIF）から位置を設定: {lat:.5}, {lon:.5}")),
        )
        .await?;
    }
    let p = photo::ActiveModel {
        work_order_id: Set(id),
        file_id: Set(f.id),
        phase: Set(phase.key().into()),
        caption: Set(Some(caption.trim().to_string()).filter(|s| !s.is_empty())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(w.owner_org_id),
            bundle_id: Some(w.bundle_id),
            action: "add_photo",
            entity: "infra_work_order",
            entity_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "file_id": f.id, "phase": phase.key() })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(p)
}
