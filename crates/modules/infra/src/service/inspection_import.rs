//! 点検結果の取り込み (import of bridge-level inspection results) and the inspection lineage the
//! 見える化 counts: for each confirmed inspection, the grade of the one before it on the same
//! asset (前回の健全性) and whether it is the newest (最新).
//!
//! The import is built for national volumes (720,000 bridges, 2.2 million inspections): a
//! streaming first pass checks every row and keeps only its place in the lineage, and one bad
//! row writes nothing; then a second pass writes the rows in bulk (multi-row INSERT on SQLite,
//! COPY on PostgreSQL) in one transaction, with the lineage computed in memory rather than
//! re-read.

use super::inspections::{INTERVAL_YEARS, InspectionForm, check_basics};
use crate::entities::{asset, inspection as insp};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityName, EntityTrait, IdenStatic, Iterable, QueryFilter,
    QueryOrder, QuerySelect, Value,
};
use serde_json::json;
use std::collections::HashMap;
use tabane_calendar::FiscalYear;
use tabane_core::bulk::BulkTxn;
use tabane_core::domain::Role;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_tabular::{BoundRow, Column, FieldError, ImportReport, RowError, Schema, Source};

/// Columns: 施設番号 (the asset's external id) or 施設ID, 点検日, 健全性, and optional 巡目,
/// 点検者, 点検業者, 補修状況 (未着手・着手・完了), 備考.
pub static IMPORT_SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "external_id",
            header_ja: "施設番号",
            header_en: "External id",
            aliases: &["shisetsu_bangou"],
            required: false,
        },
        Column {
            key: "asset_id", header_ja: "施設ID", header_en: "Asset id", aliases: &["asset_id"], required: false
        },
        Column {
            key: "inspected_on",
            header_ja: "点検日",
            header_en: "Inspection date",
            aliases: &["点検年月日"],
            required: true,
        },
        Column {
            key: "grade",
            header_ja: "健全性",
            header_en: "Grade",
            aliases: &["判定区分", "健全度"],
            required: true,
        },
        Column { key: "round", header_ja: "巡目", header_en: "Round", aliases: &[], required: false },
        Column { key: "inspector", header_ja: "点検者", header_en: "Inspector", aliases: &[], required: false },
        Column {
            key: "firm", header_ja: "点検業者", header_en: "Firm", aliases: &["点検会社"], required: false
        },
        Column {
            key: "repair_state",
            header_ja: "補修状況",
            header_en: "Repair status",
            aliases: &["措置状況"],
            required: false,
        },
        Column { key: "remarks", header_ja: "備考", header_en: "Remarks", aliases: &[], required: false },
    ],
};

/// 補修状況 as typed: 未着手 / 着手 / 完了 (or the stored keys); empty is 未着手.
pub fn parse_repair_state(s: &str) -> Option<&'static str> {
    match s.trim() {
        "" | "未着手" | "not_started" => Some("not_started"),
        "着手" | "着手済" | "着手済み" | "started" => Some("started"),
        "完了" | "完了済" | "完了済み" | "done" => Some("done"),
        _ => None,
    }
}

/// One confirmed inspection as the lineage sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineageRow {
    pub asset_id: i64,
    pub on: NaiveDate,
    /// Order among inspections of the same day (the id; new rows come after existing ones).
    pub seq: i64,
    pub grade: Option<i32>,
}

/// 前回 (the previous inspection of the same asset): its grade and date.
pub type Prev = Option<(Option<i32>, NaiveDate)>;

/// For each row (any order), the previous inspection of the same asset and whether the row is
/// the newest of its asset. Ties on the date go by `seq`.
pub fn lineage(rows: &[LineageRow]) -> Vec<(Prev, bool)> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&k| (rows[k].asset_id, rows[k].on, rows[k].seq));
    let mut out = vec![(None, false); rows.len()];
    for (pos, &k) in order.iter().enumerate() {
        let prev = pos
            .checked_sub(1)
            .map(|p| order[p])
            .filter(|&p| rows[p].asset_id == rows[k].asset_id)
            .map(|p| (rows[p].grade, rows[p].on));
        let latest = order.get(pos + 1).is_none_or(|&n| rows[n].asset_id != rows[k].asset_id);
        out[k] = (prev, latest);
    }
    out
}

/// Recomputes 前回の健全性 and 最新 for the confirmed inspections of these assets, writing only
/// the rows that change. Called after an inspection is created or confirmed.
pub async fn refresh_lineage<D: ConnectionTrait>(db: &D, asset_ids: &[i64]) -> Result<()> {
    for chunk in asset_ids.chunks(500) {
        let rows = insp::Entity::find()
            .filter(insp::Column::AssetId.is_in(chunk.iter().copied()))
            .filter(insp::Column::Status.eq("confirmed"))
            .order_by_asc(insp::Column::Id)
            .all(db)
            .await?;
        let keys: Vec<LineageRow> = rows
            .iter()
            .map(|r| LineageRow { asset_id: r.asset_id, on: r.inspected_on, seq: r.id, grade: r.grade })
            .collect();
        for (r, (prev, latest)) in rows.iter().zip(lineage(&keys)) {
            if (r.prev_grade, r.prev_inspected_on) != split(prev) || r.is_latest != latest {
                set_lineage(db, r.id, prev, latest).await?;
            }
        }
    }
    Ok(())
}

fn split(prev: Prev) -> (Option<i32>, Option<NaiveDate>) {
    (prev.and_then(|p| p.0), prev.map(|p| p.1))
}

async fn set_lineage<D: ConnectionTrait>(db: &D, id: i64, prev: Prev, latest: bool) -> Result<()> {
    let (g, on) = split(prev);
    insp::Entity::update_many()
        .col_expr(insp::Column::PrevGrade, Expr::value(g))
        .col_expr(insp::Column::PrevInspectedOn, Expr::value(on))
        .col_expr(insp::Column::IsLatest, Expr::value(latest))
        .filter(insp::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A checked row, ready to insert.
struct NewRow {
    asset_id: i64,
    kind: String,
    on: NaiveDate,
    round: i32,
    grade: i32,
    inspector: Option<String>,
    firm: Option<String>,
    repair_state: &'static str,
    remarks: Option<String>,
}

/// The owner's own assets, as rows name them (施設ID or 施設番号).
struct OwnAssets {
    /// (id, external id, kind)
    list: Vec<(i64, Option<String>, String)>,
    by_id: HashMap<i64, usize>,
    by_ext: HashMap<String, usize>,
}

impl OwnAssets {
    async fn load<D: ConnectionTrait>(db: &D, owner: i64) -> Result<Self> {
        let list: Vec<(i64, Option<String>, String)> = asset::Entity::find()
            .select_only()
            .columns([asset::Column::Id, asset::Column::ExternalId, asset::Column::Kind])
            .filter(asset::Column::OwnerOrgId.eq(owner))
            .into_tuple()
            .all(db)
            .await?;
        let by_id = list.iter().enumerate().map(|(k, a)| (a.0, k)).collect();
        let by_ext = list.iter().enumerate().filter_map(|(k, a)| a.1.clone().map(|e| (e, k))).collect();
        Ok(Self { list, by_id, by_ext })
    }

    /// Checks one row: the inspection to insert, or what is wrong with the row.
    fn check_row(&self, row: &BoundRow<'_>) -> std::result::Result<NewRow, Vec<RowError>> {
        let found = match (row.get("asset_id"), row.get("external_id")) {
            (id, _) if !id.is_empty() => {
                tabane_tabular::to_halfwidth_ascii(id).trim().parse::<i64>().ok().and_then(|id| self.by_id.get(&id))
            }
            (_, ext) if !ext.is_empty() => self.by_ext.get(ext.trim()),
            _ => None,
        };
        let Some(&k) = found else {
            return Err(vec![row.error(
                "external_id",
                FieldError::new(
                    "施設が見つかりません（自団体の施設の施設番号か施設IDを入力してください）",
                    "asset not found among your own assets",
                ),
            )]);
        };
        let f = InspectionForm {
            asset_id: String::new(),
            inspected_on: row.get("inspected_on").into(),
            round: row.get("round").into(),
            grade: row.get("grade").into(),
            ..Default::default()
        };
        let mut p = Problems::default();
        let (date, round, grade) = check_basics(&mut p, &f);
        let repair_state = parse_repair_state(row.get("repair_state"));
        if repair_state.is_none() {
            p.push(
                "repair_state",
                "補修状況",
                "Repair status",
                format!("「{}」は 未着手・着手・完了 のいずれかです", row.get("repair_state").trim()),
                "must be 未着手, 着手 or 完了",
            );
        }
        match (date, round, grade, repair_state) {
            (Some(on), Some(round), Some(grade), Some(repair_state)) if p.0.is_empty() => Ok(NewRow {
                asset_id: self.list[k].0,
                kind: self.list[k].2.clone(),
                on,
                round,
                grade: i32::from(grade),
                inspector: super::inspections::opt(row.get("inspector")),
                firm: super::inspections::opt(row.get("firm")),
                repair_state,
                remarks: super::inspections::opt(row.get("remarks")),
            }),
            _ => Err(p.0.iter().map(|p| row.error(&p.field, p.to_field_error())).collect()),
        }
    }
}

/// Where the `k`-th new row stands in the lineage: after every existing inspection of its day.
fn new_key(k: usize, r: &NewRow) -> LineageRow {
    LineageRow { asset_id: r.asset_id, on: r.on, seq: i64::MAX / 2 + k as i64, grade: Some(r.grade) }
}

/// The checking pass: every row, streamed, keeping only each row's place in the lineage.
fn check(source: &Source<'_>, own: &OwnAssets) -> Result<Vec<LineageRow>> {
    let mut rows = source.rows().map_err(|e| Error::file(&e))?;
    let binding = IMPORT_SCHEMA.bind_headers(rows.headers()).map_err(Error::Import)?;
    let mut report = ImportReport::new(0);
    let mut keys = Vec::new();
    let mut n = 0;
    while let Some(raw) = rows.next_row().map_err(|e| Error::file(&e))? {
        match own.check_row(&binding.row(raw)) {
            Ok(r) => keys.push(new_key(n, &r)),
            Err(errors) => errors.into_iter().for_each(|e| report.add(e)),
        }
        n += 1;
    }
    report.rows_checked = n;
    if report.is_ok() { Ok(keys) } else { Err(Error::Import(report)) }
}

/// Imports the acting owner's inspection results as confirmed. Only the owner's staff may; only
/// its own assets are found. A checking pass over `source` keeps each row's place in the
/// lineage; then, in one transaction, the lineage of the existing inspections is brought up to
/// date and a second pass writes the rows in bulk ([`tabane_core::bulk`]).
pub async fn import(db: &DatabaseConnection, ctx: &Ctx, source: &Source<'_>) -> Result<usize> {
    let owner = ctx.org_id.ok_or(Error::NotFound)?;
    if !ctx.has_role_in(owner, Role::Staff) {
        return Err(Error::forbidden(
            "点検結果を取り込めるのは施設の管理者の担当者です",
            "Only the owner's staff may import inspection results",
        ));
    }
    let own = OwnAssets::load(db, owner).await?;
    let new_keys = check(source, &own)?;
    let txn = BulkTxn::begin(db).await?;
    // The lineage of the new rows together with what the owner already has.
    // By owner only (its own index); the status is checked here, so that the planner never
    // prefers an index that starts with the status and reads every owner's rows.
    let existing: Vec<(i64, i64, NaiveDate, Option<i32>, Option<i32>, Option<NaiveDate>, bool)> = insp::Entity::find()
        .select_only()
        .columns([
            insp::Column::Id,
            insp::Column::AssetId,
            insp::Column::InspectedOn,
            insp::Column::Grade,
            insp::Column::PrevGrade,
            insp::Column::PrevInspectedOn,
            insp::Column::IsLatest,
            insp::Column::Status,
        ])
        .filter(insp::Column::OwnerOrgId.eq(owner))
        .into_tuple::<(i64, i64, NaiveDate, Option<i32>, Option<i32>, Option<NaiveDate>, bool, String)>()
        .all(&txn)
        .await?
        .into_iter()
        .filter(|r| r.7 == "confirmed")
        .map(|r| (r.0, r.1, r.2, r.3, r.4, r.5, r.6))
        .collect();
    let mut keys: Vec<LineageRow> =
        existing.iter().map(|e| LineageRow { asset_id: e.1, on: e.2, seq: e.0, grade: e.3 }).collect();
    keys.extend_from_slice(&new_keys);
    let lin = lineage(&keys);
    drop(keys);
    for (e, &(prev, latest)) in existing.iter().zip(&lin) {
        if (e.4, e.5) != split(prev) || e.6 != latest {
            set_lineage(&txn, e.0, prev, latest).await?;
        }
    }
    let new_lineage = &lin[existing.len()..];
    let now = Utc::now();
    let user = ctx.user_id;
    let columns: Vec<insp::Column> = insp::Column::iter().filter(|c| !matches!(c, insp::Column::Id)).collect();
    let names: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
    let mut inserter = txn.inserter(insp::Entity.table_name(), &names);
    let mut rows = source.rows().map_err(|e| Error::file(&e))?;
    let binding = IMPORT_SCHEMA.bind_headers(rows.headers()).map_err(Error::Import)?;
    let mut k = 0;
    let mut changed = false;
    while let Some(raw) = rows.next_row().map_err(|e| Error::file(&e))? {
        let row = binding.row(raw);
        // The same check as the first pass; a file changed in between is refused.
        let r = match own.check_row(&row) {
            Ok(r) if new_keys.get(k) == Some(&new_key(k, &r)) => r,
            Ok(_) | Err(_) => {
                changed = true;
                break;
            }
        };
        let (prev, latest) = new_lineage[k];
        k += 1;
        let values = columns.iter().map(|c| -> Value {
            match c {
                insp::Column::AssetId => r.asset_id.into(),
                insp::Column::OwnerOrgId => owner.into(),
                insp::Column::InspectedOn => r.on.into(),
                insp::Column::FiscalYear => FiscalYear::of(r.on).0.into(),
                insp::Column::Round => r.round.into(),
                insp::Column::Inspector => r.inspector.clone().into(),
                insp::Column::Firm => r.firm.clone().into(),
                insp::Column::Grade => Some(r.grade).into(),
                insp::Column::Status => "confirmed".into(),
                insp::Column::EnteredByOrg => Some(owner).into(),
                insp::Column::ConfirmedBy => user.into(),
                insp::Column::ConfirmedAt => Some(now).into(),
                insp::Column::NextDue => {
                    NaiveDate::from_ymd_opt(r.on.year() + INTERVAL_YEARS, r.on.month(), r.on.day().min(28))
                        .unwrap_or(r.on)
                        .into()
                }
                insp::Column::Remarks => r.remarks.clone().into(),
                insp::Column::CreatedAt => now.into(),
                insp::Column::AssetKind => r.kind.clone().into(),
                insp::Column::PrevGrade => split(prev).0.into(),
                insp::Column::PrevInspectedOn => split(prev).1.into(),
                insp::Column::IsLatest => latest.into(),
                insp::Column::RepairState => r.repair_state.into(),
                insp::Column::Id => Value::BigInt(None),
            }
        });
        inserter.push(values).await?;
    }
    drop(rows);
    if changed || k != new_keys.len() {
        inserter.abandon().await;
        txn.rollback().await?;
        return Err(Error::file(&tabane_tabular::TabularError::Changed));
    }
    let n = usize::try_from(inserter.finish().await?).unwrap_or(usize::MAX);
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: None,
            action: "import",
            entity: "infra_inspection",
            entity_id: "batch".into(),
            before: None,
            after: Some(json!({ "rows": n })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 6, 1).unwrap()
    }

    #[test]
    fn lineage_follows_dates_not_input_order() {
        let rows = [
            LineageRow { asset_id: 1, on: d(2025), seq: 1, grade: Some(3) },
            LineageRow { asset_id: 2, on: d(2016), seq: 2, grade: Some(1) },
            LineageRow { asset_id: 1, on: d(2015), seq: 3, grade: Some(1) },
            LineageRow { asset_id: 1, on: d(2020), seq: 4, grade: Some(2) },
        ];
        let g =
            |l: Vec<(Prev, bool)>| l.into_iter().map(|(p, latest)| (p.and_then(|p| p.0), latest)).collect::<Vec<_>>();
        assert_eq!(g(lineage(&rows)), vec![(Some(2), true), (None, true), (None, false), (Some(1), false)]);
        assert_eq!(lineage(&rows)[0].0.map(|p| p.1), Some(d(2020)));
    }

    #[test]
    fn same_day_goes_by_sequence() {
        let rows = [
            LineageRow { asset_id: 1, on: d(2020), seq: 9, grade: Some(2) },
            LineageRow { asset_id: 1, on: d(2020), seq: 5, grade: Some(1) },
        ];
        assert_eq!(lineage(&rows), vec![(Some((Some(1), d(2020))), true), (None, false)]);
    }

    #[test]
    fn repair_states_in_japanese() {
        assert_eq!(parse_repair_state(""), Some("not_started"));
        assert_eq!(parse_repair_state("着手"), Some("started"));
        assert_eq!(parse_repair_state("完了"), Some("done"));
        assert_eq!(parse_repair_state("済"), None);
    }
}
