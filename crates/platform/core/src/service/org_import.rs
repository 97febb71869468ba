//! 組織一覧の取り込み (importing the organisation list, e.g. the national list of
//! 全国地方公共団体コード). Every row is checked first; if any row is wrong nothing is written and
//! every bad row and column is reported. Good files are written in one transaction.

use crate::context::Ctx;
use crate::domain::OrgKind;
use crate::entities::organisation::{self, Column as C, Entity as Org};
use crate::error::{Error, Result};
use crate::lgcode::LgCode;
use crate::policy;
use crate::service::audit;
use crate::service::orgs::{self, OrgForm, ValidOrg, periods_overlap};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::Serialize;
use std::collections::HashMap;
use tabane_tabular::{Column, FieldError, ImportReport, RowError, Schema, Table};

/// Columns of an organisation file. The aliases accept the headers of the national list
/// published by 総務省 (都道府県名（漢字）, 市区町村名（漢字）, 市区町村名（カナ）).
pub static SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "lg_code",
            header_ja: "団体コード",
            header_en: "Code",
            aliases: &["全国地方公共団体コード", "地方公共団体コード", "コード", "lg_code"],
            required: false,
        },
        Column { key: "kind", header_ja: "種別", header_en: "Kind", aliases: &["区分", "kind"], required: false },
        Column {
            key: "name",
            header_ja: "名称",
            header_en: "Name",
            aliases: &["団体名", "組織名", "name"],
            required: false,
        },
        Column {
            key: "prefecture",
            header_ja: "都道府県名",
            header_en: "Prefecture",
            aliases: &["都道府県名（漢字）", "都道府県名(漢字)", "都道府県"],
            required: false,
        },
        Column {
            key: "municipality",
            header_ja: "市区町村名",
            header_en: "Municipality",
            aliases: &["市区町村名（漢字）", "市区町村名(漢字)", "市町村名"],
            required: false,
        },
        Column {
            key: "kana",
            header_ja: "ふりがな",
            header_en: "Kana",
            aliases: &["フリガナ", "カナ", "よみ", "市区町村名（カナ）", "市区町村名(カナ)"],
            required: false,
        },
        Column {
            key: "valid_from",
            header_ja: "有効開始日",
            header_en: "Valid from",
            aliases: &["開始日", "設置日"],
            required: false,
        },
        Column {
            key: "valid_to",
            header_ja: "有効終了日",
            header_en: "Valid to",
            aliases: &["終了日", "廃止日"],
            required: false,
        },
        Column { key: "address", header_ja: "所在地", header_en: "Address", aliases: &["住所"], required: false },
    ],
};

/// Export columns (the same headers, so an export can be edited and imported again).
pub const EXPORT_HEADERS: &[&str] =
    &["ID", "団体コード", "種別", "名称", "ふりがな", "有効開始日", "有効終了日", "所在地", "所属組織ID"];

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct ImportSummary {
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
}

fn header_of(key: &str) -> &'static str {
    SCHEMA.columns.iter().find(|c| c.key == key).map(|c| c.header_ja).unwrap_or("")
}

/// Checks every row of `table` and returns the organisations to write, or the full report.
pub fn check_rows(table: &Table) -> std::result::Result<Vec<(usize, ValidOrg)>, ImportReport> {
    let bound = SCHEMA.bind(table)?;
    let mut report = ImportReport::new(bound.len());
    let mut out = Vec::with_capacity(bound.len());
    // Code → (row, from, to) seen so far in this file, to catch duplicates inside the file.
    let mut seen: HashMap<String, Vec<(usize, Option<NaiveDate>, Option<NaiveDate>)>> = HashMap::new();
    for row in bound.rows() {
        let code = row.get("lg_code");
        let name = [row.get("name"), row.get("municipality"), row.get("prefecture")]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_string();
        let mut kind = row.get("kind").to_string();
        if kind.is_empty() {
            // The national list has no kind column: a code whose municipality part is 000 is a
            // prefecture, any other code a municipality.
            match LgCode::parse(code) {
                Ok(c) if c.is_prefecture() => kind = OrgKind::Prefecture.key().into(),
                Ok(_) => kind = OrgKind::Municipality.key().into(),
                Err(_) if code.is_empty() => {}
                Err(_) => kind = OrgKind::Municipality.key().into(),
            }
        }
        let form = OrgForm {
            kind,
            name,
            name_kana: row.get("kana").to_string(),
            lg_code: code.to_string(),
            parent_id: String::new(),
            valid_from: row.get("valid_from").to_string(),
            valid_to: row.get("valid_to").to_string(),
            address: row.get("address").to_string(),
        };
        match orgs::validate(&form) {
            Ok(v) => {
                if let Some(c) = &v.lg_code {
                    let entry = seen.entry(c.to_string()).or_default();
                    if let Some((first, _, _)) =
                        entry.iter().find(|(_, f, t)| periods_overlap(*f, *t, v.valid_from, v.valid_to))
                    {
                        report.add(row.error(
                            "lg_code",
                            FieldError::new(
                                format!("団体コード「{c}」は{first}行目と有効期間が重なっています"),
                                format!("code \"{c}\" overlaps the validity period of row {first}"),
                            ),
                        ));
                        continue;
                    }
                    entry.push((row.number(), v.valid_from, v.valid_to));
                }
                out.push((row.number(), v));
            }
            Err(Error::Invalid(problems)) => {
                for p in problems {
                    let key = match p.field.as_str() {
                        "name_kana" => "kana",
                        f => f,
                    };
                    // The form's messages are phrased after the field label; keep the label in.
                    let ja = if p.message.ja.starts_with('は')
                        || p.message.ja.starts_with('を')
                        || p.message.ja.starts_with('が')
                    {
                        format!("{}{}", p.label.ja, p.message.ja)
                    } else {
                        p.message.ja.clone()
                    };
                    report.add(row.error(key, FieldError::new(ja, format!("{}: {}", p.label.en, p.message.en))));
                }
            }
            Err(other) => {
                tracing::error!(error = %other, row = row.number(), "organisation import: row check failed");
                report.add(RowError::custom(row.number(), "", other.message(false), other.message(true)));
            }
        }
    }
    if report.is_ok() { Ok(out) } else { Err(report) }
}

/// Imports organisations: a row whose code and start date match an existing record updates it;
/// a row without a code matches an existing record of the same kind and name; all others are
/// inserted. Only a system administrator (or the CLI operator) may import the shared directory.
pub async fn import<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    table: &Table,
    source: &str,
) -> Result<ImportSummary> {
    policy::require_system_admin(ctx)?;
    let rows = check_rows(table).map_err(Error::Import)?;

    let txn = db.begin().await?;
    // Existing records, keyed the way rows match them.
    let existing = Org::find().filter(C::Kind.ne(OrgKind::Department.key())).all(&txn).await?;
    let mut by_code: HashMap<String, Vec<organisation::Model>> = HashMap::new();
    let mut by_name: HashMap<(String, String), organisation::Model> = HashMap::new();
    for o in existing {
        match &o.lg_code {
            Some(c) => by_code.entry(c.clone()).or_default().push(o),
            None => {
                by_name.insert((o.kind.clone(), o.name.clone()), o);
            }
        }
    }

    let mut report = ImportReport::new(rows.len());
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    for (number, v) in &rows {
        let matched = match &v.lg_code {
            Some(c) => {
                let same = by_code.get(c.as_str()).and_then(|list| list.iter().find(|o| o.valid_from == v.valid_from));
                if same.is_none()
                    && let Some(o) = by_code.get(c.as_str()).and_then(|l| {
                        l.iter().find(|o| periods_overlap(o.valid_from, o.valid_to, v.valid_from, v.valid_to))
                    })
                {
                    let mut e = RowError::custom(
                        *number,
                        header_of("lg_code"),
                        format!("団体コード「{c}」は登録済みの「{}」（ID {}）と有効期間が重なっています", o.name, o.id),
                        format!("code \"{c}\" overlaps existing \"{}\" (id {})", o.name, o.id),
                    );
                    e.value = c.to_string();
                    report.add(e);
                    continue;
                }
                same.cloned()
            }
            None => by_name.get(&(v.kind.key().to_string(), v.name.clone())).cloned(),
        };
        match matched {
            Some(before) => updates.push((before, v)),
            None => inserts.push(orgs::active_model(v)),
        }
    }
    if !report.is_ok() {
        return Err(Error::Import(report));
    }

    let summary = ImportSummary { rows: rows.len(), inserted: inserts.len(), updated: updates.len() };
    // Eleven bound values per row: 2,000 rows stay under SQLite's 32,766-parameter limit.
    let mut it = inserts.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<_> = it.by_ref().take(2000).collect();
        Org::insert_many(chunk).exec_without_returning(&txn).await?;
    }
    for (before, v) in updates {
        let mut am = orgs::active_model(v);
        am.id = Set(before.id);
        am.created_at = Set(before.created_at);
        am.parent_id = Set(before.parent_id);
        let after = am.update(&txn).await?;
        if after.name != before.name
            || after.valid_to != before.valid_to
            || after.name_kana != before.name_kana
            || after.address != before.address
        {
            audit::record(
                &txn,
                ctx,
                audit::Change {
                    org_id: Some(after.id),
                    bundle_id: None,
                    action: "import_update",
                    entity: "organisation",
                    entity_id: after.id.to_string(),
                    before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
                    after: Some(serde_json::to_value(&after).map_err(anyhow::Error::from)?),
                },
            )
            .await?;
        }
    }
    audit::record(&txn, ctx, audit::Change {
        org_id: None, bundle_id: None, action: "import", entity: "organisation", entity_id: "batch".into(),
        before: None,
        after: Some(serde_json::json!({ "source": source, "rows": summary.rows, "inserted": summary.inserted, "updated": summary.updated })),
    }).await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(summary)
}

/// Rows for export, in the import layout.
pub async fn export_rows<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<Vec<tabane_tabular::Cell>>> {
    use tabane_tabular::Cell;
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let p = orgs::list(db, ctx, &orgs::OrgFilter { page: Some(page), ..Default::default() }, 10_000).await?;
        let n = p.items.len();
        for o in p.items {
            let kind = OrgKind::parse(&o.kind).map(|k| k.label_ja().to_string()).unwrap_or(o.kind.clone());
            let text = |s: Option<String>| s.map(Cell::Text).unwrap_or(Cell::Empty);
            out.push(vec![
                Cell::Int(o.id),
                text(o.lg_code),
                Cell::Text(kind),
                Cell::Text(o.name),
                text(o.name_kana),
                o.valid_from.map(Cell::Date).unwrap_or(Cell::Empty),
                o.valid_to.map(Cell::Date).unwrap_or(Cell::Empty),
                text(o.address),
                o.parent_id.map(Cell::Int).unwrap_or(Cell::Empty),
            ]);
        }
        if n < 10_000 {
            break;
        }
        page += 1;
    }
    Ok(out)
}
