use crate::api::describe::Created;
use crate::error::AppResult;
use crate::middleware::Auth;
use crate::state::Shared;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use tabane_core::entities::organisation;
use tabane_core::service::Page;
use tabane_core::service::org_import::{self, ImportSummary};
use tabane_core::service::orgs::{self, OrgFilter, OrgForm};
use tabane_tabular::{InputEncoding, Source};

pub async fn list(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Query(f): Query<OrgFilter>,
) -> AppResult<Json<Page<organisation::Model>>> {
    Ok(Json(orgs::list(&st.db, &info.ctx, &f, 100).await?))
}

pub async fn get(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<organisation::Model>> {
    Ok(Json(orgs::get(&st.db, &info.ctx, id).await?))
}

pub async fn create(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Json(f): Json<OrgForm>,
) -> AppResult<Created<organisation::Model>> {
    Ok(Created(orgs::create(&st.db, &info.ctx, &f).await?))
}

pub async fn update(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<OrgForm>,
) -> AppResult<Json<organisation::Model>> {
    Ok(Json(orgs::update(&st.db, &info.ctx, id, &f).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ImportQuery {
    /// File name, used to tell CSV from xlsx.
    filename: String,
    #[serde(default)]
    encoding: String,
}

/// Body: the raw file bytes. `?filename=list.csv&encoding=auto|utf8|cp932`.
pub async fn import(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> AppResult<Json<ImportSummary>> {
    let enc = InputEncoding::from_name(&q.encoding);
    let source = Source::upload(&q.filename, &body, enc).map_err(|e| tabane_core::Error::file(&e))?;
    Ok(Json(org_import::import(&st.db, &info.ctx, &source, &q.filename).await?))
}
