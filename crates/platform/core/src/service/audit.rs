//! 監査ログ (audit log): who changed what, when, for which organisation, with before/after.
//!
//! `record` takes any connection, so it runs inside the caller's transaction: a change and its
//! audit entry are written together or not at all. There is deliberately no update or delete.

use crate::context::Ctx;
use crate::entities::audit_entry;
use crate::error::Result;
use crate::policy;
use crate::service::Page;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};

/// One change to record.
pub struct Change<'a> {
    /// The organisation whose data changed (shown to that organisation's administrators).
    pub org_id: Option<i64>,
    pub bundle_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record<C: ConnectionTrait>(conn: &C, ctx: &Ctx, c: Change<'_>) -> Result<()> {
    write(conn, ctx, c, false).await
}

/// Records a read of personal data (used by modules that hold it, e.g. housing).
pub async fn record_personal_read<C: ConnectionTrait>(conn: &C, ctx: &Ctx, c: Change<'_>) -> Result<()> {
    write(conn, ctx, c, true).await
}

async fn write<C: ConnectionTrait>(conn: &C, ctx: &Ctx, c: Change<'_>, personal_read: bool) -> Result<()> {
    let row = audit_entry::ActiveModel {
        at: Set(Utc::now()),
        user_id: Set(ctx.user_id),
        actor: Set(ctx.actor.clone()),
        org_id: Set(c.org_id.or(ctx.org_id)),
        bundle_id: Set(c.bundle_id),
        action: Set(c.action.to_string()),
        entity: Set(c.entity.to_string()),
        entity_id: Set(c.entity_id),
        before: Set(c.before.map(|v| v.to_string())),
        after: Set(c.after.map(|v| v.to_string())),
        request_id: Set(ctx.request_id.clone()),
        personal_read: Set(personal_read),
        ..Default::default()
    };
    audit_entry::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: Option<u64>,
}

/// Lists entries the actor may see: a system administrator sees all, an organisation
/// administrator sees the entries of the acting organisation.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    f: &AuditFilter,
    per_page: u64,
) -> Result<Page<audit_entry::Model>> {
    policy::can_read_audit(ctx)?;
    let mut q = audit_entry::Entity::find();
    if !ctx.system_admin {
        q = q.filter(audit_entry::Column::OrgId.eq(ctx.org_id));
    }
    if let Some(e) = f.entity.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::Entity.eq(e));
    }
    if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::Action.eq(a));
    }
    if let Some(a) = f.actor.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(audit_entry::Column::Actor.eq(a));
    }
    if let Some(d) = f.from {
        q = q.filter(audit_entry::Column::At.gte(day_start(d)));
    }
    if let Some(d) = f.to {
        q = q.filter(audit_entry::Column::At.lt(day_start(d + chrono::Days::new(1))));
    }
    let total = q.clone().count(conn).await?;
    let page = f.page.unwrap_or(1).max(1);
    let items =
        q.order_by_desc(audit_entry::Column::Id).offset((page - 1) * per_page).limit(per_page).all(conn).await?;
    Ok(Page { items, total, page, per_page })
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

pub const EXPORT_HEADERS: &[&str] =
    &["ID", "日時", "操作者", "組織ID", "束ID", "操作", "対象", "対象ID", "変更前", "変更後", "リクエストID"];

/// Rows for CSV/xlsx export (all pages matching the filter, newest first).
pub async fn export_rows<C: ConnectionTrait>(conn: &C, ctx: &Ctx, f: &AuditFilter) -> Result<Vec<Vec<String>>> {
    let mut all = AuditFilter { page: Some(1), ..f.clone() };
    let mut rows = Vec::new();
    loop {
        let p = list(conn, ctx, &all, 5000).await?;
        let n = p.items.len();
        rows.extend(p.items.into_iter().map(|e| {
            vec![
                e.id.to_string(),
                e.at.to_rfc3339(),
                e.actor,
                e.org_id.map(|v| v.to_string()).unwrap_or_default(),
                e.bundle_id.map(|v| v.to_string()).unwrap_or_default(),
                e.action,
                e.entity,
                e.entity_id,
                e.before.unwrap_or_default(),
                e.after.unwrap_or_default(),
                e.request_id.unwrap_or_default(),
            ]
        }));
        if n < 5000 {
            break;
        }
        all.page = Some(all.page.unwrap_or(1) + 1);
    }
    Ok(rows)
}
