//! 組織一覧の取り込み (importing the organisation list, e.g. the national list of
//! 全国地方公共団体コード). Every row is checked first; if any row is wrong nothing is written and
//! every bad row and column is reported. Good files are written in one transaction, in bulk.
//! A CSV is streamed twice (check, then write) rather than held, so a file of a million rows
//! takes memory for the codes' validity periods only.

use crate::bulk::BulkTxn;
use crate::context::Ctx;
use crate::domain::OrgKind;
use crate::entities::organisation::{Column as C, Entity as Org};
use crate::error::{Error, Result};
use crate::lgcode::LgCode;
use crate::policy;
use crate::service::audit;
use crate::service::orgs::{self, OrgForm, ValidOrg, periods_overlap};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Value;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tabane_tabular::{BoundRow, Column, FieldError, ImportReport, RowError, Schema, Source};

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

/// Columns the import writes (the id and the parent take their defaults).
const INSERT_COLUMNS: &[&str] = &[
    "kind",
    "name",
    "name_kana",
    "lg_code",
    "prefecture_code",
    "valid_from",
    "valid_to",
    "address",
    "created_at",
    "updated_at",
];

/// Checks one row as the organisation form would, or says what is wrong with it.
fn check_row(row: &BoundRow<'_>) -> std::result::Result<ValidOrg, Vec<RowError>> {
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
        Ok(v) => Ok(v),
        Err(Error::Invalid(problems)) => Err(problems
            .into_iter()
            .map(|p| {
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
                row.error(key, FieldError::new(ja, format!("{}: {}", p.label.en, p.message.en)))
            })
            .collect()),
        Err(other) => {
            tracing::error!(error = %other, row = row.number(), "organisation import: row check failed");
            Err(vec![RowError::custom(row.number(), "", other.message(false), other.message(true))])
        }
    }
}

/// The validity periods accepted so far in the file, per code, to catch two rows of one code
/// whose periods overlap. The accepted periods of a code never overlap one another, so in order
/// of their start they are also in order of their end: the ones overlapping a new period are
/// the last few starting before it ends, found without looking at the rest (a file may hold a
/// code many times; comparing each row with every earlier one would be quadratic).
#[derive(Default)]
struct Periods(BTreeMap<(u32, NaiveDate), (NaiveDate, usize)>);

impl Periods {
    /// The first row (in file order) of `code` whose period overlaps `from..=to`; if none, the
    /// period is recorded as row `row`'s.
    fn overlap_or_add(
        &mut self,
        code: &LgCode,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        row: usize,
    ) -> Option<usize> {
        let Ok(key) = code.as_str().parse::<u32>() else { return None };
        let (from, to) = (from.unwrap_or(NaiveDate::MIN), to.unwrap_or(NaiveDate::MAX));
        let first = self
            .0
            .range((key, NaiveDate::MIN)..=(key, to))
            .rev()
            .take_while(|(_, (end, _))| *end >= from)
            .map(|(_, (_, r))| *r)
            .min();
        if first.is_none() {
            self.0.insert((key, from), (to, row));
        }
        first
    }
}

/// The checking pass: every row as the form checks it, and codes whose validity periods
/// overlap inside the file. Keeps only the periods; returns the number of data rows.
fn check(source: &Source<'_>) -> Result<usize> {
    let mut rows = source.rows().map_err(|e| Error::file(&e))?;
    let binding = SCHEMA.bind_headers(rows.headers()).map_err(Error::Import)?;
    let mut report = ImportReport::new(0);
    let mut periods = Periods::default();
    let mut n = 0;
    while let Some(raw) = rows.next_row().map_err(|e| Error::file(&e))? {
        n += 1;
        let row = binding.row(raw);
        match check_row(&row) {
            Ok(v) => {
                if let Some(c) = &v.lg_code
                    && let Some(first) = periods.overlap_or_add(c, v.valid_from, v.valid_to, row.number())
                {
                    report.add(row.error(
                        "lg_code",
                        FieldError::new(
                            format!("団体コード「{c}」は{first}行目と有効期間が重なっています"),
                            format!("code \"{c}\" overlaps the validity period of row {first}"),
                        ),
                    ));
                }
            }
            Err(errors) => errors.into_iter().for_each(|e| report.add(e)),
        }
    }
    report.rows_checked = n;
    if report.is_ok() { Ok(n) } else { Err(Error::Import(report)) }
}

/// An existing organisation with a code, as rows match it.
struct Coded {
    id: i64,
    name: String,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
}

/// Existing records, keyed the way rows match them (departments never match). Only the keys
/// are read; a matched record is read whole when it is updated.
struct Existing {
    by_code: HashMap<String, Vec<Coded>>,
    by_name: HashMap<(String, String), i64>,
}

impl Existing {
    async fn load<D: ConnectionTrait>(db: &D) -> Result<Self> {
        let rows: Vec<(i64, String, String, Option<String>, Option<NaiveDate>, Option<NaiveDate>)> = Org::find()
            .select_only()
            .columns([C::Id, C::Kind, C::Name, C::LgCode, C::ValidFrom, C::ValidTo])
            .filter(C::Kind.ne(OrgKind::Department.key()))
            .into_tuple()
            .all(db)
            .await?;
        let mut by_code: HashMap<String, Vec<Coded>> = HashMap::new();
        let mut by_name = HashMap::new();
        for (id, kind, name, code, valid_from, valid_to) in rows {
            match code {
                Some(c) => by_code.entry(c).or_default().push(Coded { id, name, valid_from, valid_to }),
                None => {
                    by_name.insert((kind, name), id);
                }
            }
        }
        Ok(Self { by_code, by_name })
    }

    /// The record a checked row updates (`Ok(None)`: a new one), or why it may not be written.
    fn matching(&self, number: usize, v: &ValidOrg) -> std::result::Result<Option<i64>, RowError> {
        let Some(c) = &v.lg_code else {
            return Ok(self.by_name.get(&(v.kind.key().to_string(), v.name.clone())).copied());
        };
        let list = self.by_code.get(c.as_str()).map(Vec::as_slice).unwrap_or_default();
        if let Some(same) = list.iter().find(|o| o.valid_from == v.valid_from) {
            return Ok(Some(same.id));
        }
        match list.iter().find(|o| periods_overlap(o.valid_from, o.valid_to, v.valid_from, v.valid_to)) {
            Some(o) => {
                let mut e = RowError::custom(
                    number,
                    header_of("lg_code"),
                    format!("団体コード「{c}」は登録済みの「{}」（ID {}）と有効期間が重なっています", o.name, o.id),
                    format!("code \"{c}\" overlaps existing \"{}\" (id {})", o.name, o.id),
                );
                e.value = c.to_string();
                Err(e)
            }
            None => Ok(None),
        }
    }
}

fn insert_values(v: ValidOrg, now: DateTime<Utc>) -> [Value; 10] {
    let prefecture = v.lg_code.as_ref().map(|c| c.prefecture_code().to_string());
    [
        v.kind.key().into(),
        v.name.into(),
        v.name_kana.into(),
        v.lg_code.map(String::from).into(),
        prefecture.into(),
        v.valid_from.into(),
        v.valid_to.into(),
        v.address.into(),
        now.into(),
        now.into(),
    ]
}

/// Imports organisations: a row whose code and start date match an existing record updates it;
/// a row without a code matches an existing record of the same kind and name; all others are
/// inserted. Only a system administrator (or the CLI operator) may import the shared directory.
///
/// Two passes over `source`: the first checks every row and keeps only the codes' validity
/// periods; if any row is wrong, every error is reported and nothing is written. The second
/// reads the rows again inside one transaction, matches them against the existing records
/// (reporting every conflict, after which the transaction is rolled back) and writes them in
/// bulk ([`crate::bulk`]).
pub async fn import(db: &DatabaseConnection, ctx: &Ctx, source: &Source<'_>, name: &str) -> Result<ImportSummary> {
    policy::require_system_admin(ctx)?;
    let started = std::time::Instant::now();
    let n = check(source)?;
    let checked = started.elapsed();

    let txn = BulkTxn::begin(db).await?;
    let existing = Existing::load(&txn).await?;
    let mut rows = source.rows().map_err(|e| Error::file(&e))?;
    let binding = SCHEMA.bind_headers(rows.headers()).map_err(Error::Import)?;
    let mut report = ImportReport::new(n);
    let mut inserter = txn.inserter("organisations", INSERT_COLUMNS);
    let mut updates = Vec::new();
    let now = Utc::now();
    while let Some(raw) = rows.next_row().map_err(|e| Error::file(&e))? {
        let row = binding.row(raw);
        // The same check as the first pass: a file changed in between is caught here.
        let v = match check_row(&row) {
            Ok(v) => v,
            Err(errors) => {
                errors.into_iter().for_each(|e| report.add(e));
                continue;
            }
        };
        match existing.matching(row.number(), &v) {
            Err(e) => report.add(e),
            Ok(Some(id)) => updates.push((id, v)),
            // After an error the rest is only checked.
            Ok(None) if report.is_ok() => inserter.push(insert_values(v, now)).await?,
            Ok(None) => {}
        }
    }
    drop(rows);
    if !report.is_ok() {
        inserter.abandon().await;
        txn.rollback().await?;
        return Err(Error::Import(report));
    }
    let inserted = usize::try_from(inserter.finish().await?).unwrap_or(usize::MAX);
    let summary = ImportSummary { rows: n, inserted, updated: updates.len() };
    for (id, v) in updates {
        update(&txn, ctx, id, &v).await?;
    }
    audit::record(&txn, ctx, audit::Change {
        org_id: None, bundle_id: None, action: "import", entity: "organisation", entity_id: "batch".into(),
        before: None,
        after: Some(serde_json::json!({ "source": name, "rows": summary.rows, "inserted": summary.inserted, "updated": summary.updated })),
    }).await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    let written = started.elapsed();
    txn.commit().await?;
    tracing::info!(
        rows = n,
        check_s = checked.as_secs_f64(),
        write_s = (written - checked).as_secs_f64(),
        commit_s = (started.elapsed() - written).as_secs_f64(),
        "organisation import"
    );
    Ok(summary)
}

/// Updates an existing organisation from a row; a change the directory shows is audited.
async fn update<D: ConnectionTrait>(txn: &D, ctx: &Ctx, id: i64, v: &ValidOrg) -> Result<()> {
    let before = Org::find_by_id(id).one(txn).await?.ok_or(Error::NotFound)?;
    let mut am = orgs::active_model(v);
    am.id = Set(before.id);
    am.created_at = Set(before.created_at);
    am.parent_id = Set(before.parent_id);
    let after = am.update(txn).await?;
    if after.name != before.name
        || after.valid_to != before.valid_to
        || after.name_kana != before.name_kana
        || after.address != before.address
    {
        audit::record(
            txn,
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
    Ok(())
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
