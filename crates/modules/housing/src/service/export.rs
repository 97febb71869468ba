//! 案件の書き出し (exporting cases): only the columns the user ticks. Personal columns are off by
//! default, need the right to read them (the bank account: the prefecture only), and an export
//! that contains any is written to the audit log with its columns, row count and format.

use super::cases::{self, CaseFilter};
use crate::entities::household;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use tabane_core::crypto;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_tabular::Cell;

/// (key, header, personal)
pub const COLUMNS: &[(&str, &str, bool)] = &[
    ("case", "案件No.", false),
    ("building", "棟", false),
    ("room", "部屋番号", false),
    ("size", "世帯人員", false),
    ("aged65", "65歳以上", false),
    ("care", "要配慮", false),
    ("class", "分類", false),
    ("status", "進捗", false),
    ("name", "氏名", true),
    ("kana", "ふりがな", true),
    ("phone", "電話", true),
    ("address", "仮住居・転居先の住所", true),
    ("care_note", "配慮事項", true),
    ("bank_account", "申請口座", true),
];

pub const DEFAULT_COLUMNS: &[&str] = &["case", "building", "room", "size", "aged65", "care", "class", "status"];

pub async fn cases<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    columns: &[String],
    format: &str,
) -> Result<(Vec<&'static str>, Vec<Vec<Cell>>)> {
    let acc = super::access::estate_for(db, ctx, estate_id).await?;
    let cols: Vec<&(&str, &str, bool)> = if columns.is_empty() {
        COLUMNS.iter().filter(|c| DEFAULT_COLUMNS.contains(&c.0)).collect()
    } else {
        let mut v = Vec::new();
        for k in columns {
            let Some(c) = COLUMNS.iter().find(|c| c.0 == k.as_str()) else {
                return Err(Error::invalid(
                    "columns",
                    "列",
                    "Columns",
                    format!("「{k}」は書き出せる列ではありません"),
                    "unknown column",
                ));
            };
            v.push(c);
        }
        v
    };
    let personal: Vec<&str> = cols.iter().filter(|c| c.2).map(|c| c.0).collect();
    if !personal.is_empty() && !acc.may_read_personal() {
        return Err(Error::forbidden("閲覧者は個人情報の列を書き出せません", "Viewers cannot export personal columns"));
    }
    if personal.contains(&"bank_account") && !acc.may_read_bank() {
        return Err(Error::forbidden(
            "申請口座の列を書き出せるのは県の担当者だけです",
            "Only the prefecture's staff may export bank accounts",
        ));
    }
    let rows = cases::list(db, ctx, &CaseFilter { estate: Some(estate_id), ..Default::default() }).await?;
    // Personal columns: the estate's households, read once, by case.
    let mut by_case: std::collections::HashMap<i64, household::Model> = std::collections::HashMap::new();
    if !personal.is_empty() {
        let hs: std::collections::HashMap<i64, household::Model> = household::Entity::find()
            .filter(household::Column::EstateId.eq(estate_id))
            .all(db)
            .await?
            .into_iter()
            .map(|h| (h.id, h))
            .collect();
        for c in crate::entities::case::Entity::find()
            .filter(crate::entities::case::Column::EstateId.eq(estate_id))
            .all(db)
            .await?
        {
            if let Some(h) = hs.get(&c.household_id) {
                by_case.insert(c.id, h.clone());
            }
        }
    }
    let open = |h: &household::Model, col: &str, v: &Option<String>| -> Result<Cell> {
        let prefix = super::personal::COLUMNS.iter().find(|c| c.col == col).expect("column").aad(&h.uid);
        Ok(match v {
            Some(s) => Cell::Text(crypto::open(&prefix, s)?),
            None => Cell::Empty,
        })
    };
    let mut out = Vec::new();
    for r in &rows {
        let h = by_case.get(&r.id);
        let mut line = Vec::new();
        for c in &cols {
            line.push(match (c.0, h) {
                ("case", _) => Cell::Int(r.id),
                ("building", _) => Cell::Text(r.building.clone()),
                ("room", _) => Cell::Text(r.room.clone()),
                ("size", _) => Cell::Int(r.size.into()),
                ("aged65", _) => Cell::Int(r.aged65.into()),
                ("care", _) => Cell::Text(if r.care { "要配慮".into() } else { String::new() }),
                ("class", _) => Cell::Text(r.classification.map(|c| c.label_ja()).unwrap_or("未分類").into()),
                ("status", _) => Cell::Text(r.status.label_ja().into()),
                ("name", Some(h)) => open(h, "name_enc", &h.name_enc)?,
                ("kana", Some(h)) => open(h, "kana_enc", &h.kana_enc)?,
                ("phone", Some(h)) => open(h, "phone_enc", &h.phone_enc)?,
                ("address", Some(h)) => open(h, "address_enc", &h.address_enc)?,
                ("care_note", Some(h)) => open(h, "care_note_enc", &h.care_note_enc)?,
                ("bank_account", Some(h)) => open(h, "bank_enc", &h.bank_enc)?,
                _ => Cell::Empty,
            });
        }
        out.push(line);
    }
    if !personal.is_empty() {
        let tx = db.begin().await?;
        audit::record_personal_read(&tx, ctx, acc.change("export_personal", "housing_estate", estate_id, None, Some(serde_json::json!({ "columns": cols.iter().map(|c| c.0).collect::<Vec<_>>(), "rows": out.len(), "format": format })))).await?;
        tx.commit().await?;
    }
    Ok((cols.iter().map(|c| c.1).collect(), out))
}
