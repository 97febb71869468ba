//! 人材プール (the pool of a 推進体制): setting one up on a bundle the prefecture leads, the
//! overview each side sees, and the national lists (総務省's 専門人材リスト) in and out: the import
//! checks every row first and writes nothing if any is wrong (each error names the row and the
//! column), matches a person already in the pool by the blind index of name + e-mail, and the
//! export has no personal columns (人材類型 and 地域, the seed's own columns, line 424–430).

use super::access::{self, PoolAccess, Side};
use super::persons::{self, PersonForm};
use crate::domain::{Field, Kind, PersonStatus};
use crate::entities::{person, pool};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::domain::BundleRole;
use tabane_core::error::Problems;
use tabane_core::service::{audit, bundles};
use tabane_core::{Ctx, Error, Result};
use tabane_tabular::{Cell, Column, FieldError, ImportReport, Schema, Source};

/// 人材プールの設定: the bundle of the 推進体制, which the acting prefecture leads.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPoolForm")]
pub struct PoolForm {
    pub bundle_id: Option<i64>,
    #[serde(default)]
    pub name: String,
    /// 地方 (「中部地方」), for 対応可能地域 「●●地方」.
    #[serde(default)]
    pub region: String,
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, f: &PoolForm) -> Result<pool::Model> {
    tabane_core::policy::can_register_deliverable(ctx)?;
    let org = ctx.org_id.ok_or(Error::NotFound)?;
    let mut p = Problems::default();
    let Some(bundle_id) = f.bundle_id else {
        p.push("bundle_id", "推進体制の束", "Bundle", "を選んでください", "is required");
        return Err(Error::Invalid(p.0));
    };
    let b = bundles::get(db, ctx, bundle_id).await?;
    if b.bundle.lead_org_id != org
        && !matches!(bundles::member_role(db, bundle_id, org).await?, Some(BundleRole::Secretariat | BundleRole::Owner))
    {
        return Err(Error::forbidden(
            "人材プールは推進体制の事務局（県）が設定します",
            "The prefecture (secretariat) sets up the pool",
        ));
    }
    if pool::Entity::find().filter(pool::Column::BundleId.eq(bundle_id)).one(db).await?.is_some() {
        return Err(Error::conflict("この推進体制には人材プールが設定済みです", "This bundle already has a pool"));
    }
    p.required("region", "地方", "Region", &f.region);
    p.into_result()?;
    let txn = db.begin().await?;
    let m = pool::ActiveModel {
        bundle_id: Set(bundle_id),
        prefecture_org_id: Set(org),
        name: Set(if f.name.trim().is_empty() { b.bundle.name.clone() } else { f.name.trim().into() }),
        region: Set(f.region.trim().into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org),
            bundle_id: Some(bundle_id),
            action: "create",
            entity: "talent_pool",
            entity_id: m.id.to_string(),
            before: None,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

/// A pool as the actor sees it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPoolRow")]
pub struct PoolRow {
    pub pool: pool::Model,
    pub side: Side,
    pub prefecture: String,
    /// People the actor sees.
    pub persons: usize,
    pub active: usize,
}

pub async fn row<C: ConnectionTrait>(db: &C, ctx: &Ctx, a: &PoolAccess) -> Result<PoolRow> {
    let (people, _) = persons::list(db, ctx, a.pool.id).await?;
    Ok(PoolRow {
        pool: a.pool.clone(),
        side: a.side,
        prefecture: super::needs::org_name(db, a.pool.prefecture_org_id).await?,
        persons: people.len(),
        active: people.iter().filter(|p| p.status == PersonStatus::Active).count(),
    })
}

pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<PoolRow>> {
    let mut out = Vec::new();
    for a in access::pools(db, ctx).await? {
        out.push(row(db, ctx, &a).await?);
    }
    Ok(out)
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<PoolRow> {
    let a = access::pool(db, ctx, id).await?;
    row(db, ctx, &a).await
}

/// Columns of 専門人材リスト as 総務省 lays it out (氏名・人材類型・対応可能地域), with the optional
/// columns a prefecture adds.
pub static SCHEMA: Schema = Schema {
    columns: &[
        Column { key: "name", header_ja: "氏名", header_en: "Name", aliases: &["name", "名前"], required: true },
        Column {
            key: "types",
            header_ja: "人材類型",
            header_en: "Talent type",
            aliases: &["types", "派遣可能な人材の類型", "類型"],
            required: true,
        },
        Column {
            key: "regions",
            header_ja: "対応可能地域",
            header_en: "Regions",
            aliases: &["regions", "地域"],
            required: true,
        },
        Column {
            key: "label", header_ja: "表示名", header_en: "Display name", aliases: &["label"], required: false
        },
        Column {
            key: "kana",
            header_ja: "ふりがな",
            header_en: "Kana",
            aliases: &["フリガナ", "kana"],
            required: false,
        },
        Column {
            key: "email",
            header_ja: "メールアドレス",
            header_en: "E-mail",
            aliases: &["メール", "email"],
            required: false,
        },
        Column {
            key: "phone",
            header_ja: "電話番号",
            header_en: "Phone",
            aliases: &["電話", "phone"],
            required: false,
        },
        Column {
            key: "fields",
            header_ja: "支援分野",
            header_en: "Fields",
            aliases: &["fields", "市町村支援業務"],
            required: false,
        },
        Column { key: "source", header_ja: "供給源", header_en: "Source", aliases: &["source"], required: false },
        Column {
            key: "engagement",
            header_ja: "任用形態",
            header_en: "Engagement",
            aliases: &["engagement"],
            required: false,
        },
    ],
};

/// What an import did.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentImportSummary")]
pub struct ImportSummary {
    pub rows: usize,
    pub inserted: usize,
    /// Rows that are a person already in the pool (same name and e-mail).
    pub matched: usize,
}

fn row_form(r: &tabane_tabular::BoundRow<'_>) -> PersonForm {
    PersonForm {
        label: r.get("label").into(),
        name: r.get("name").into(),
        kana: r.get("kana").into(),
        email: r.get("email").into(),
        phone: r.get("phone").into(),
        source: r.get("source").into(),
        engagement: r.get("engagement").into(),
        types: r.get("types").into(),
        regions: r.get("regions").into(),
        fields: r.get("fields").into(),
        status: PersonStatus::Candidate.key().into(),
        ..Default::default()
    }
}

/// Checks one row; each problem against the column it is about, in the list's own words.
fn check_row(
    report: &mut ImportReport,
    r: &tabane_tabular::BoundRow<'_>,
) -> Option<(PersonForm, persons::ValidPerson)> {
    let f = row_form(r);
    for (key, text, all) in [
        ("types", r.get("types"), Kind::ALL.iter().map(|k| k.label_ja()).collect::<Vec<_>>().join("／")),
        ("fields", r.get("fields"), Field::ALL.iter().map(|k| k.label_ja()).collect::<Vec<_>>().join("／")),
    ] {
        for v in text.split([',', '、', '，', '／', '/', '\n']).map(str::trim).filter(|v| !v.is_empty()) {
            let ok = if key == "types" { Kind::parse(v).is_some() } else { Field::parse(v).is_some() };
            if !ok {
                report.add(r.error(
                    key,
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
            report.add(r.error(key, FieldError::new("入力されていません", "is empty")));
        }
    }
    match persons::check_form(&f) {
        Ok(v) => Some((f, v)),
        Err(p) => {
            // Problems the cell checks above did not already report (供給源, 任用形態).
            for x in p.0.iter().filter(|x| matches!(x.field.as_str(), "source" | "engagement")) {
                report.add(r.error(
                    &x.field,
                    FieldError::new(x.message.ja.trim_start_matches(": ").to_string(), x.message.en.clone()),
                ));
            }
            None
        }
    }
}

/// 専門人材リストの取込 (the prefecture's staff): all rows or none.
pub async fn import<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    source: &Source<'_>,
) -> Result<ImportSummary> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let table = source.read_all().map_err(|e| Error::file(&e))?;
    let bound = SCHEMA.bind(&table).map_err(Error::Import)?;
    let mut report = ImportReport::new(bound.len());
    let mut good = Vec::new();
    for r in bound.rows() {
        if let Some(v) = check_row(&mut report, &r) {
            good.push(v);
        }
    }
    if !report.is_ok() {
        return Err(Error::Import(report));
    }
    let txn = db.begin().await?;
    let mut summary = ImportSummary { rows: good.len(), ..Default::default() };
    for (f, v) in good {
        if let Some(ix) = persons::person_index(&f.name, &f.email)?
            && person::Entity::find()
                .filter(person::Column::PoolId.eq(pool_id))
                .filter(person::Column::NameIndex.eq(ix))
                .one(&txn)
                .await?
                .is_some()
        {
            summary.matched += 1;
            continue;
        }
        persons::insert(&txn, pool_id, &f, &v).await?;
        summary.inserted += 1;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.pool.prefecture_org_id),
            bundle_id: Some(a.pool.bundle_id),
            action: "import",
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

/// 人材プール名簿 without personal columns: 表示名, 人材類型, 対応可能地域, 支援分野, 状態.
pub async fn export_rows<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    pool_id: i64,
) -> Result<(Vec<&'static str>, Vec<Vec<Cell>>)> {
    let (people, _) = persons::list(db, ctx, pool_id).await?;
    let headers = vec!["表示名", "人材類型", "対応可能地域", "支援分野", "状態"];
    let rows = people
        .into_iter()
        .map(|p| {
            vec![
                Cell::Text(p.person.label.clone()),
                Cell::Text(p.types.iter().map(|t| t.label_ja()).collect::<Vec<_>>().join("、")),
                Cell::Text(p.regions.join("、")),
                Cell::Text(p.fields.iter().map(|t| t.label_ja()).collect::<Vec<_>>().join("、")),
                Cell::Text(p.status.label_ja().into()),
            ]
        })
        .collect();
    Ok((headers, rows))
}
