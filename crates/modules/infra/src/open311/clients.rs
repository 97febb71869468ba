//! Open311 の接続先と API キー (clients and their API keys), issued per bundle by those who
//! manage the bundle. The key is shown once; only its hash is stored.

use super::intake::{hash_key, new_key};
use crate::entities::open311_client as client;
use axum::Form;
use axum::extract::State;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::service::{audit, bundles};
use tabane_core::{Ctx, Error, Result};
use tabane_web::error::AppResult;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::render;

/// Issues a key for a bundle the actor manages. Returns the client and the key (shown once).
pub async fn issue<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    bundle_id: i64,
    name: &str,
) -> Result<(client::Model, String)> {
    let view = bundles::get(db, ctx, bundle_id).await?;
    if !view.can_manage {
        return Err(Error::forbidden(
            "API キーを発行できるのは束の幹事団体・事務局の管理者です",
            "Only the bundle's lead or secretariat administrators may issue API keys",
        ));
    }
    if name.trim().is_empty() {
        return Err(Error::invalid("name", "接続先の名称", "Client name", "を入力してください", "is required"));
    }
    let key = new_key();
    let txn = db.begin().await?;
    let c = client::ActiveModel {
        bundle_id: Set(bundle_id),
        name: Set(name.trim().into()),
        key_hash: Set(hash_key(&key)),
        active: Set(true),
        created_by: Set(ctx.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: ctx.org_id,
            bundle_id: Some(bundle_id),
            action: "issue_api_key",
            entity: "open311_client",
            entity_id: c.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "name": c.name })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((c, key))
}

/// Clients of the bundles the actor can see.
pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<(client::Model, String)>> {
    let bs = bundles::list(db, ctx).await?;
    let cs = client::Entity::find().filter(client::Column::BundleId.is_in(bs.iter().map(|b| b.id))).all(db).await?;
    Ok(cs
        .into_iter()
        .map(|c| {
            let n = bs.iter().find(|b| b.id == c.bundle_id).map(|b| b.name.clone()).unwrap_or_default();
            (c, n)
        })
        .collect())
}

#[derive(askama::Template)]
#[template(path = "infra/open311.html")]
pub struct ClientsPage {
    pub chrome: tabane_web::views::Chrome,
    pub clients: Vec<(client::Model, String)>,
    pub bundles: Vec<tabane_core::entities::bundle::Model>,
    pub new_key: Option<String>,
    pub error: Option<String>,
    pub services: &'static [super::catalogue::Service],
}

pub async fn page(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<tabane_web::views::Rendered> {
    Ok(render(&ClientsPage {
        chrome: page.chrome(),
        clients: list(&st.db, &i.ctx).await?,
        bundles: bundles::list(&st.db, &i.ctx).await?,
        new_key: None,
        error: None,
        services: super::catalogue::SERVICES,
    }))
}

#[derive(Deserialize, Serialize, schemars::JsonSchema)]
pub struct NewClient {
    pub bundle_id: String,
    pub name: String,
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<NewClient>,
) -> AppResult<tabane_web::views::Rendered> {
    let result = match f.bundle_id.trim().parse::<i64>() {
        Ok(b) => issue(&st.db, &i.ctx, b, &f.name).await,
        Err(_) => Err(Error::invalid("bundle_id", "束", "Bundle", "を選んでください", "is required")),
    };
    let (new_key, error) = match result {
        Ok((_, key)) => (Some(key), None),
        Err(e @ Error::Invalid(_)) => (None, Some(e.message(page.lang.is_en()))),
        Err(e) => return Err(e.into()),
    };
    Ok(render(&ClientsPage {
        chrome: page.chrome(),
        clients: list(&st.db, &i.ctx).await?,
        bundles: bundles::list(&st.db, &i.ctx).await?,
        new_key,
        error,
        services: super::catalogue::SERVICES,
    }))
}
