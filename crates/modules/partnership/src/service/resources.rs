//! 地域資源データベース (spec §2.2, R8): resources offered by partners or residents, each with a
//! 公開区分 — 公開 (the public portal and the open-data CSV), 登録団体限定 (members of the platform
//! bundle), 非公開 (the 事務局 only) — and a freshness date: once the confirmation is older than the
//! platform's period (`+12m`) the entry shows 要確認 until its provider confirms it again. Who reads
//! what is `tabane_partnership_rules::resource::can_view_resource`; a refusal is a 404.

use super::access::{self, PlatformAccess};
use crate::domain::{Category, Visibility};
use crate::entities::{platform, resource};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_partnership_rules::resource::{FreshnessSetting, ResourceStatus, Viewer, can_view_resource, status_on};
use tabane_tabular::{Cell, Column, FieldError, ImportReport, Schema, Source};

/// 地域資源の登録.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpResourceForm")]
pub struct ResourceForm {
    #[serde(default)]
    pub provider_org_id: Option<i64>,
    #[serde(default)]
    pub provider_label: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub terms: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub last_confirmed_on: String,
}

/// A resource with its state on the day asked.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpResourceRow")]
pub struct ResourceRow {
    pub resource: resource::Model,
    pub visibility: Option<Visibility>,
    /// 登録 / 有効 / 要確認 / 停止 on the day.
    pub state_ja: String,
    /// 要確認になる日.
    pub stale_from: NaiveDate,
}

fn freshness(p: &platform::Model) -> FreshnessSetting {
    FreshnessSetting::parse(&p.freshness).unwrap_or_default()
}

fn recorded(r: &resource::Model) -> ResourceStatus {
    match r.status.as_str() {
        "active" => ResourceStatus::Active,
        "suspended" => ResourceStatus::Suspended,
        _ => ResourceStatus::Registered,
    }
}

pub fn state(p: &platform::Model, r: &resource::Model, on: NaiveDate) -> ResourceStatus {
    status_on(recorded(r), r.last_confirmed_on, on, &freshness(p))
}

fn row(p: &platform::Model, r: resource::Model, on: NaiveDate) -> ResourceRow {
    ResourceRow {
        visibility: Visibility::parse(&r.visibility),
        state_ja: state(p, &r, on).label_ja().into(),
        stale_from: freshness(p).stale_from(r.last_confirmed_on),
        resource: r,
    }
}

fn viewer(a: Option<&PlatformAccess>, r: &resource::Model) -> Viewer {
    match a {
        None => Viewer::Anonymous,
        Some(a) => Viewer::Organisation {
            platform_member: true,
            secretariat: a.is_window(),
            provider: a.org_id.is_some() && r.provider_org_id == a.org_id,
        },
    }
}

/// Whether `a` (None = signed out) reads `r` on `on`.
pub fn visible(p: &platform::Model, a: Option<&PlatformAccess>, r: &resource::Model, on: NaiveDate) -> bool {
    let v = Visibility::parse(&r.visibility).unwrap_or(Visibility::Private).rules();
    can_view_resource(v, state(p, r, on), viewer(a, r))
}

struct Valid {
    category: Category,
    visibility: Visibility,
    confirmed: NaiveDate,
}

fn check(p: &mut Problems, f: &ResourceForm) -> Option<Valid> {
    p.required("title", "名称", "Title", &f.title);
    let category = Category::parse(&f.category);
    if category.is_none() {
        p.push(
            "category",
            "種類",
            "Category",
            format!("は次のいずれかです: {}", Category::choices_ja()),
            "is not a choice",
        );
    }
    let visibility = match tabane_partnership_rules::resource::Visibility::parse(&f.visibility, None) {
        Ok(_) => Visibility::parse(&f.visibility),
        Err(e) => {
            p.push("visibility", "公開区分", "Visibility", e.message_ja(), e.message_en());
            None
        }
    };
    let confirmed = p.date("last_confirmed_on", "最終確認日", "Last confirmed on", &f.last_confirmed_on);
    Some(Valid {
        category: category?,
        visibility: visibility?,
        confirmed: confirmed.unwrap_or_else(tabane_calendar::jst::today),
    })
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    platform_id: i64,
    f: &ResourceForm,
    v: &Valid,
    provider: Option<i64>,
    label: String,
    status: &str,
) -> Result<resource::Model> {
    Ok(resource::ActiveModel {
        platform_id: Set(platform_id),
        provider_org_id: Set(provider),
        provider_label: Set(label),
        category: Set(v.category.key().into()),
        title: Set(f.title.trim().into()),
        description: Set(f.description.trim().into()),
        area: Set(f.area.trim().into()),
        terms: Set(f.terms.trim().into()),
        visibility: Set(v.visibility.key().into()),
        last_confirmed_on: Set(v.confirmed),
        status: Set(status.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

fn change<'a>(a: &PlatformAccess, action: &'a str, r: &resource::Model) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.platform.owner_org_id),
        bundle_id: Some(a.platform.bundle_id),
        action,
        entity: "pp_resource",
        entity_id: r.id.to_string(),
        before: None,
        after: serde_json::to_value(r).ok(),
    }
}

/// 登録: the window (有効 at once) or a partner for itself (登録, until the window confirms it).
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    platform_id: i64,
    f: &ResourceForm,
) -> Result<ResourceRow> {
    let a = access::platform(db, ctx, platform_id).await?;
    a.require_staff()?;
    let mut p = Problems::default();
    let v = check(&mut p, f);
    p.into_result()?;
    let v = v.ok_or(Error::NotFound)?;
    let (provider, label, status) = if a.is_window() {
        let label = match f.provider_org_id {
            Some(o) => super::contacts::org_name(db, o).await?,
            None => f.provider_label.trim().to_string(),
        };
        (f.provider_org_id, label, "active")
    } else {
        let o = a.org_id.ok_or(Error::NotFound)?;
        (Some(o), super::contacts::org_name(db, o).await?, "registered")
    };
    let txn = db.begin().await?;
    let r = insert(&txn, platform_id, f, &v, provider, label, status).await?;
    audit::record(&txn, ctx, change(&a, "create", &r)).await?;
    txn.commit().await?;
    Ok(row(&a.platform, r, tabane_calendar::jst::today()))
}

/// The resources the actor reads on `on` (default today).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    platform_id: i64,
    on: Option<NaiveDate>,
) -> Result<Vec<ResourceRow>> {
    let a = access::platform(db, ctx, platform_id).await?;
    let on = on.unwrap_or_else(tabane_calendar::jst::today);
    let all = resource::Entity::find()
        .filter(resource::Column::PlatformId.eq(platform_id))
        .order_by_asc(resource::Column::Id)
        .all(db)
        .await?;
    Ok(all.into_iter().filter(|r| visible(&a.platform, Some(&a), r, on)).map(|r| row(&a.platform, r, on)).collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64, on: Option<NaiveDate>) -> Result<ResourceRow> {
    let r = resource::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, r.platform_id).await?;
    let on = on.unwrap_or_else(tabane_calendar::jst::today);
    if !visible(&a.platform, Some(&a), &r, on) {
        return Err(Error::NotFound);
    }
    Ok(row(&a.platform, r, on))
}

/// 確認 (the provider or the window): fresh again from today; a 登録 entry becomes 有効 when the
/// window confirms it.
pub async fn confirm<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<ResourceRow> {
    let r = resource::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, r.platform_id).await?;
    let today = tabane_calendar::jst::today();
    if !visible(&a.platform, Some(&a), &r, today) {
        return Err(Error::NotFound);
    }
    a.require_staff()?;
    let provider = a.org_id.is_some() && r.provider_org_id == a.org_id;
    if !(a.is_window() || provider) {
        return Err(Error::forbidden(
            "確認は提供者または窓口が行います",
            "The provider or the window confirms a resource",
        ));
    }
    let txn = db.begin().await?;
    let mut am = r.clone().into_active_model();
    am.last_confirmed_on = Set(today);
    if a.is_window() && r.status == "registered" {
        am.status = Set("active".into());
    }
    let r = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "confirm", &r)).await?;
    txn.commit().await?;
    Ok(row(&a.platform, r, today))
}

/// Columns of the resource list (import and open data).
pub static SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "title", header_ja: "名称", header_en: "Title", aliases: &["title", "資源名"], required: true
        },
        Column {
            key: "category",
            header_ja: "種類",
            header_en: "Category",
            aliases: &["category", "区分"],
            required: true,
        },
        Column {
            key: "visibility",
            header_ja: "公開区分",
            header_en: "Visibility",
            aliases: &["visibility"],
            required: true,
        },
        Column {
            key: "provider",
            header_ja: "提供者",
            header_en: "Provider",
            aliases: &["provider", "提供団体"],
            required: false,
        },
        Column {
            key: "description",
            header_ja: "内容",
            header_en: "Description",
            aliases: &["description", "説明"],
            required: false,
        },
        Column { key: "area", header_ja: "地域", header_en: "Area", aliases: &["area"], required: false },
        Column {
            key: "terms",
            header_ja: "条件",
            header_en: "Terms",
            aliases: &["terms", "有償・無償"],
            required: false,
        },
        Column {
            key: "confirmed",
            header_ja: "最終確認日",
            header_en: "Last confirmed on",
            aliases: &["confirmed"],
            required: false,
        },
    ],
};

/// 取込 (the window): every row checked first, nothing written on any error.
pub async fn import<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    platform_id: i64,
    source: &Source<'_>,
) -> Result<usize> {
    let a = access::platform(db, ctx, platform_id).await?;
    a.require_window()?;
    let table = source.read_all().map_err(|e| Error::file(&e))?;
    let bound = SCHEMA.bind(&table).map_err(Error::Import)?;
    let mut report = ImportReport::new(bound.len());
    let mut good = Vec::new();
    for r in bound.rows() {
        let f = ResourceForm {
            provider_label: r.get("provider").into(),
            category: r.get("category").into(),
            title: r.get("title").into(),
            description: r.get("description").into(),
            area: r.get("area").into(),
            terms: r.get("terms").into(),
            visibility: r.get("visibility").into(),
            last_confirmed_on: r.get("confirmed").into(),
            ..Default::default()
        };
        let mut p = Problems::default();
        let v = check(&mut p, &f);
        for x in &p.0 {
            let key = match x.field.as_str() {
                "last_confirmed_on" => "confirmed",
                k => k,
            };
            let message = if x.field == "visibility" {
                // The rule's message carries the field's name; the row error names the column itself.
                let typed = r.get("visibility").trim().to_string();
                if typed.is_empty() {
                    "入力されていません".to_string()
                } else {
                    format!("「{typed}」は選択肢にありません（公開／登録団体限定／非公開）")
                }
            } else {
                format!("{}{}", x.label.ja, x.message.ja)
            };
            report.add(r.error(key, FieldError::new(message, x.message.en.clone())));
        }
        if let (true, Some(v)) = (p.0.is_empty(), v) {
            good.push((f, v));
        }
    }
    if !report.is_ok() {
        return Err(Error::Import(report));
    }
    let txn = db.begin().await?;
    let n = good.len();
    for (f, v) in good {
        insert(&txn, platform_id, &f, &v, None, f.provider_label.trim().into(), "active").await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.platform.owner_org_id),
            bundle_id: Some(a.platform.bundle_id),
            action: "import",
            entity: "pp_resource",
            entity_id: platform_id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "rows": n })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

/// 公開 resources as the public portal and the open-data CSV show them (signed out).
pub async fn public<C: ConnectionTrait>(db: &C, platform_id: i64) -> Result<Vec<ResourceRow>> {
    let p = platform::Entity::find_by_id(platform_id).one(db).await?.ok_or(Error::NotFound)?;
    let today = tabane_calendar::jst::today();
    let all = resource::Entity::find()
        .filter(resource::Column::PlatformId.eq(platform_id))
        .order_by_asc(resource::Column::Id)
        .all(db)
        .await?;
    Ok(all.into_iter().filter(|r| visible(&p, None, r, today)).map(|r| row(&p, r, today)).collect())
}

/// The open-data CSV rows (公開 only; no provider contact).
pub fn open_data_rows(rows: &[ResourceRow]) -> (Vec<&'static str>, Vec<Vec<Cell>>) {
    let headers = vec!["名称", "種類", "提供者", "内容", "地域", "条件", "最終確認日"];
    let out = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.resource.title.clone()),
                Cell::Text(Category::parse(&r.resource.category).map(|c| c.label_ja()).unwrap_or_default().into()),
                Cell::Text(r.resource.provider_label.clone()),
                Cell::Text(r.resource.description.clone()),
                Cell::Text(r.resource.area.clone()),
                Cell::Text(r.resource.terms.clone()),
                Cell::Date(r.resource.last_confirmed_on),
            ]
        })
        .collect();
    (headers, out)
}
