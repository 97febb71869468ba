//! 協力企業リスト (総務省's list of cooperating companies, line 409–421: 社名・派遣可能な人材の類型・
//! 対応可能地域) per pool. The import works as the 専門人材リスト's (`pools::import`): every row is
//! checked first, and if any is wrong nothing is written and each error names its row and column in
//! the same words; a company already listed under the same name is updated, not duplicated. The
//! list is the nation's, not personal, so every side of the pool reads it.

use super::access;
use crate::domain::{self, Kind};
use crate::entities::company;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::Serialize;
use std::collections::HashMap;
use tabane_core::domain::OrgKind;
use tabane_core::entities::organisation;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_tabular::{Column, FieldError, ImportReport, Schema, Source};

/// The columns as 総務省 lays the list out.
pub static SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "name",
            header_ja: "社名",
            header_en: "Company",
            aliases: &["name", "会社名", "企業名"],
            required: true,
        },
        Column {
            key: "types",
            header_ja: "派遣可能な人材の類型",
            header_en: "Talent types",
            aliases: &["types", "人材類型", "類型"],
            required: true,
        },
        Column {
            key: "regions",
            header_ja: "対応可能地域",
            header_en: "Regions",
            aliases: &["regions", "地域"],
            required: true,
        },
    ],
};

/// One company of the list as every side reads it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentCompanyRow")]
pub struct CompanyRow {
    pub company: company::Model,
    pub types: Vec<Kind>,
    pub regions: Vec<String>,
    /// The directory's organisation of that name, when there is one.
    pub organisation: Option<String>,
}

/// What a company import did.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentCompanyImportSummary")]
pub struct CompanyImportSummary {
    pub rows: usize,
    pub inserted: usize,
    /// Companies already listed under the same name, now updated.
    pub updated: usize,
}

struct Good {
    name: String,
    types: Vec<Kind>,
    regions: Vec<String>,
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '、', '，', '／', '/', '\n']).map(str::trim).filter(|v| !v.is_empty())
}

fn check_row(
    report: &mut ImportReport,
    r: &tabane_tabular::BoundRow<'_>,
    seen: &mut HashMap<String, usize>,
) -> Option<Good> {
    let all = Kind::ALL.iter().map(|k| k.label_ja()).collect::<Vec<_>>().join("／");
    let mut ok = true;
    let mut types = Vec::new();
    for v in split(r.get("types")) {
        match Kind::parse(v) {
            Some(k) if !types.contains(&k) => types.push(k),
            Some(_) => {}
            None => {
                ok = false;
                report.add(r.error(
                    "types",
                    FieldError::new(
                        format!("「{v}」は選択肢にありません（{all}）"),
                        format!("\"{v}\" is not one of the choices"),
                    ),
                ));
            }
        }
    }
    for key in ["name", "types", "regions"] {
        if r.get(key).trim().is_empty() {
            ok = false;
            report.add(r.error(key, FieldError::new("入力されていません", "is empty")));
        }
    }
    let name = r.get("name").trim().to_string();
    if !name.is_empty() {
        if let Some(first) = seen.get(&name) {
            ok = false;
            report.add(r.error(
                "name",
                FieldError::new(
                    format!("「{name}」は{first}行目と重複しています"),
                    format!("\"{name}\" repeats row {first}"),
                ),
            ));
        } else {
            seen.insert(name.clone(), r.number());
        }
    }
    ok.then(|| Good { name, types, regions: split(r.get("regions")).map(str::to_string).collect() })
}

/// 協力企業リストの取込 (the prefecture's staff): all rows or none; a listed name is updated.
pub async fn import<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    source: &Source<'_>,
) -> Result<CompanyImportSummary> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let table = source.read_all().map_err(|e| Error::file(&e))?;
    let bound = SCHEMA.bind(&table).map_err(Error::Import)?;
    let mut report = ImportReport::new(bound.len());
    let mut seen = HashMap::new();
    let good: Vec<Good> = bound.rows().filter_map(|r| check_row(&mut report, &r, &mut seen)).collect();
    if !report.is_ok() {
        return Err(Error::Import(report));
    }
    let txn = db.begin().await?;
    let mut summary = CompanyImportSummary { rows: good.len(), ..Default::default() };
    let now = Utc::now();
    for g in good {
        // The directory's company of exactly that name, so the list can point at a 受注者.
        let org = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(g.name.as_str()))
            .filter(organisation::Column::Kind.eq(OrgKind::Company.key()))
            .one(&txn)
            .await?
            .map(|o| o.id);
        let existing = company::Entity::find()
            .filter(company::Column::PoolId.eq(pool_id))
            .filter(company::Column::Name.eq(g.name.as_str()))
            .one(&txn)
            .await?;
        let mut am = match existing {
            Some(c) => {
                summary.updated += 1;
                c.into_active_model()
            }
            None => {
                summary.inserted += 1;
                company::ActiveModel {
                    pool_id: Set(pool_id),
                    name: Set(g.name.clone()),
                    created_at: Set(now),
                    ..Default::default()
                }
            }
        };
        am.org_id = Set(org);
        am.types = Set(domain::join_keys(&g.types, Kind::key));
        am.regions = Set(g.regions.join("\n"));
        am.updated_at = Set(now);
        am.save(&txn).await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.pool.prefecture_org_id),
            bundle_id: Some(a.pool.bundle_id),
            action: "import_companies",
            entity: "talent_pool",
            entity_id: pool_id.to_string(),
            before: None,
            after: serde_json::to_value(&summary).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// The pool's 協力企業リスト, by name (any side of the pool).
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<Vec<CompanyRow>> {
    access::pool(db, ctx, pool_id).await?;
    let mut out = Vec::new();
    for c in company::Entity::find()
        .filter(company::Column::PoolId.eq(pool_id))
        .order_by_asc(company::Column::Name)
        .all(db)
        .await?
    {
        let organisation = match c.org_id {
            Some(id) => Some(super::needs::org_name(db, id).await?),
            None => None,
        };
        out.push(CompanyRow {
            types: domain::split_keys(&c.types, Kind::parse),
            regions: c.regions.lines().map(str::to_string).collect(),
            organisation,
            company: c,
        });
    }
    Ok(out)
}
