use crate::api::describe::{Created, FilePart, Upload};
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, State};
use tabane_core::Error;
use tabane_core::domain::Visibility;
use tabane_core::entities::stored_file;
use tabane_core::service::files;

/// multipart: `file` (required), `bundle_id` (optional: share with that bundle), `visibility`
/// (optional: `bundle` — every member, the default —, `lead_only` — 幹事・事務局のみ —, or `own`).
pub async fn upload(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Upload(mut mp, _): Upload<UploadParts>,
) -> AppResult<Created<stored_file::Model>> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        Error::invalid("file", "ファイル", "File", format!("を読み取れません: {e}"), format!("could not be read: {e}"))
    };
    let mut file = None;
    let mut bundle_id = None;
    let mut visibility = Visibility::Bundle;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?));
            }
            Some("bundle_id") => bundle_id = field.text().await.ok().and_then(|t| t.trim().parse::<i64>().ok()),
            Some("visibility") => {
                let t = field.text().await.map_err(bad)?;
                visibility = Visibility::parse(&t).ok_or_else(|| {
                    Error::invalid(
                        "visibility",
                        "共有範囲",
                        "Visibility",
                        format!("は次のいずれかです: {}", Visibility::choices_ja()),
                        "must be bundle, lead_only or own",
                    )
                })?;
            }
            _ => {}
        }
    }
    let (name, bytes) =
        file.ok_or_else(|| Error::invalid("file", "ファイル", "File", "を選んでください", "is required"))?;
    Ok(Created(files::store_with(&st.db, &st.files, &info.ctx, &name, &bytes, bundle_id, visibility).await?))
}

/// The parts `upload` reads.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct UploadParts {
    file: FilePart,
    /// Share with this bundle.
    bundle_id: Option<i64>,
    /// `bundle` (every member, the default), `lead_only` (幹事・事務局のみ) or `own`.
    visibility: Option<String>,
}

pub async fn meta(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<stored_file::Model>> {
    Ok(Json(files::get(&st.db, &info.ctx, id).await?))
}
