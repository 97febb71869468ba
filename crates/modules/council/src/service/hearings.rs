//! ヒアリング・追加調査 (hearings, seed 4(2)): about ten with practitioners and companies,
//! additional surveys of local governments as needed; 実地 recommended, online allowed. A
//! practitioner's name, contact and personal notes are sealed per field (R14); lists, exports
//! and the dashboard never open them, and showing them writes a personal-read audit entry first.

use super::access::{self, TermAccess};
use crate::domain::{self, Consent, HearingFact, HearingKind, HearingMode, HearingProgress, HearingStatus};
use crate::entities::hearing;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::crypto::{self, EncryptedColumn};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

const T: &str = "council_hearings";

/// The sealed columns (AAD `council_hearings.<field>:<id>`), for key rotation.
pub const COLUMNS: &[EncryptedColumn] = &[
    EncryptedColumn { table: T, id_col: "id", col: "subject_name_enc", aad_prefix: "council_hearings.subject_name:" },
    EncryptedColumn {
        table: T,
        id_col: "id",
        col: "subject_contact_enc",
        aad_prefix: "council_hearings.subject_contact:",
    },
    EncryptedColumn { table: T, id_col: "id", col: "notes_enc", aad_prefix: "council_hearings.notes:" },
];

pub fn columns() -> Vec<EncryptedColumn> {
    COLUMNS.to_vec()
}

/// ヒアリングの登録. `subject_name` / `subject_contact` only for a 実践者 (a person).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct HearingForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub prefectures: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub subject_name: String,
    #[serde(default)]
    pub subject_contact: String,
    #[serde(default)]
    pub notes: String,
}

/// A hearing as lists show it (never personal fields).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct HearingRow {
    pub hearing: hearing::Model,
    pub kind: HearingKind,
    pub mode: HearingMode,
    pub status: HearingStatus,
    pub consent: Consent,
    /// Whether sealed personal fields are on file (shown as 登録済み).
    pub has_personal: bool,
}

fn row(h: hearing::Model) -> HearingRow {
    HearingRow {
        kind: HearingKind::parse(&h.kind).unwrap_or(HearingKind::Company),
        mode: HearingMode::parse(&h.mode).unwrap_or(HearingMode::Online),
        status: HearingStatus::parse(&h.status).unwrap_or(HearingStatus::Planned),
        consent: Consent::parse(&h.consent).unwrap_or(Consent::Unknown),
        has_personal: h.subject_name_enc.is_some() || h.subject_contact_enc.is_some() || h.notes_enc.is_some(),
        hearing: h,
    }
}

struct Valid {
    kind: HearingKind,
    mode: HearingMode,
    status: HearingStatus,
    consent: Consent,
    held_on: Option<chrono::NaiveDate>,
}

/// A choice field by its (field, 日本語, English) names.
struct Pick<'a> {
    field: &'a str,
    ja: &'a str,
    en: &'a str,
}

impl Pick<'_> {
    /// What was typed, or `default` when empty; a value outside `choices` is a problem.
    fn read<V: Copy>(&self, p: &mut Problems, v: &str, default: V, parse: fn(&str) -> Option<V>, choices: String) -> V {
        if v.trim().is_empty() {
            return default;
        }
        parse(v).unwrap_or_else(|| {
            p.push(self.field, self.ja, self.en, format!("は次のいずれかです: {choices}"), "is not one of the choices");
            default
        })
    }
}

const KIND: Pick = Pick { field: "kind", ja: "種別", en: "Kind" };
const MODE: Pick = Pick { field: "mode", ja: "実施方法", en: "Mode" };
const STATUS: Pick = Pick { field: "status", ja: "状況", en: "Status" };
const CONSENT: Pick = Pick { field: "consent", ja: "掲載同意", en: "Consent" };

fn validate(f: &HearingForm) -> Result<Valid> {
    let mut p = Problems::default();
    p.required("label", "表示名（個人名は書かない）", "Label (no personal names)", &f.label);
    let kind = KIND.read(&mut p, &f.kind, HearingKind::Practitioner, HearingKind::parse, HearingKind::choices_ja());
    let mode = MODE.read(&mut p, &f.mode, HearingMode::Onsite, HearingMode::parse, HearingMode::choices_ja());
    let status =
        STATUS.read(&mut p, &f.status, HearingStatus::Planned, HearingStatus::parse, HearingStatus::choices_ja());
    let consent = CONSENT.read(&mut p, &f.consent, Consent::Unknown, Consent::parse, Consent::choices_ja());
    let held_on = p.date("held_on", "実施日", "Held on", &f.held_on);
    if status.took_place() && held_on.is_none() && f.held_on.trim().is_empty() {
        p.push("held_on", "実施日", "Held on", "を入力してください（実施済のヒアリング）", "is required once held");
    }
    if kind != HearingKind::Practitioner && (!f.subject_name.trim().is_empty() || !f.subject_contact.trim().is_empty())
    {
        p.push(
            "subject_name",
            "氏名・連絡先",
            "Name and contact",
            "は実践者（個人）のヒアリングにだけ記録します",
            "are recorded for practitioners only",
        );
    }
    p.into_result()?;
    Ok(Valid { kind, mode, status, consent, held_on })
}

fn seal(col: usize, id: i64, v: &str) -> Result<Option<String>> {
    let v = v.trim();
    if v.is_empty() { Ok(None) } else { crypto::seal(&COLUMNS[col].aad(&id.to_string()), v).map(Some) }
}

/// Records a hearing (staff of the client or of the contractor within the period).
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    term_id: i64,
    f: &HearingForm,
) -> Result<HearingRow> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_contract_staff()?;
    let v = validate(f)?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let h = hearing::ActiveModel {
        term_id: Set(term_id),
        kind: Set(v.kind.key().into()),
        label: Set(f.label.trim().into()),
        subject_org_id: Set(None),
        subject_name_enc: Set(None),
        subject_contact_enc: Set(None),
        prefectures: Set(f.prefectures.trim().into()),
        held_on: Set(v.held_on),
        mode: Set(v.mode.key().into()),
        status: Set(v.status.key().into()),
        summary: Set(f.summary.trim().into()),
        notes_enc: Set(None),
        consent: Set(v.consent.key().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Sealed with the row's id in the associated data, so a value never opens in another row.
    let id = h.id;
    let mut am = h.into_active_model();
    am.subject_name_enc = Set(seal(0, id, &f.subject_name)?);
    am.subject_contact_enc = Set(seal(1, id, &f.subject_contact)?);
    am.notes_enc = Set(seal(2, id, &f.notes)?);
    let h = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.term.contract_bundle_id),
            action: "create",
            entity: "council_hearing",
            entity_id: h.id.to_string(),
            before: None,
            // The sealed fields are not copied into the log.
            after: serde_json::to_value(&h).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row(h))
}

pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, term_id: i64) -> Result<(Vec<HearingRow>, TermAccess)> {
    let a = access::term(db, ctx, term_id).await?;
    a.require_contract()?;
    let rows = hearing::Entity::find()
        .filter(hearing::Column::TermId.eq(term_id))
        .order_by_asc(hearing::Column::HeldOn)
        .order_by_asc(hearing::Column::Id)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(row).collect(), a))
}

pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(HearingRow, TermAccess)> {
    let h = hearing::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::term(db, ctx, h.term_id).await?;
    a.require_contract()?;
    Ok((row(h), a))
}

/// R3 for the dashboard.
pub async fn progress<C: ConnectionTrait>(db: &C, a: &TermAccess) -> Result<HearingProgress> {
    let facts: Vec<HearingFact> = hearing::Entity::find()
        .filter(hearing::Column::TermId.eq(a.term.id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| {
            let r = row(h);
            HearingFact { kind: r.kind, mode: r.mode, status: r.status }
        })
        .collect();
    Ok(domain::hearing_progress(&facts, a.term.hearing_target))
}

/// 状況の変更: 実施済・記録済 by either side, 確認済 by the client only, 中止 by either.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub consent: String,
}

pub async fn set_status<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &StatusForm,
) -> Result<HearingRow> {
    let (r, a) = get(db, ctx, id).await?;
    a.require_contract_staff()?;
    let mut p = Problems::default();
    let status = STATUS.read(&mut p, &f.status, r.status, HearingStatus::parse, HearingStatus::choices_ja());
    let consent = CONSENT.read(&mut p, &f.consent, r.consent, Consent::parse, Consent::choices_ja());
    let held_on = p.date("held_on", "実施日", "Held on", &f.held_on).or(r.hearing.held_on);
    if status.took_place() && held_on.is_none() {
        p.push("held_on", "実施日", "Held on", "を入力してください（実施済のヒアリング）", "is required once held");
    }
    p.into_result()?;
    if status == HearingStatus::Checked {
        a.require_client_staff(
            "確認済にできるのは委託者の担当者です".into(),
            "Only the client checks a hearing record",
        )?;
    }
    let txn = db.begin().await?;
    let before = serde_json::to_value(&r.hearing).ok();
    let mut am = r.hearing.into_active_model();
    am.status = Set(status.key().into());
    am.consent = Set(consent.key().into());
    am.held_on = Set(held_on);
    am.updated_at = Set(Utc::now());
    let h = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.term.contract_bundle_id),
            action: "status",
            entity: "council_hearing",
            entity_id: h.id.to_string(),
            before,
            after: serde_json::to_value(&h).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(row(h))
}

/// The personal fields, opened.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct Personal {
    pub subject_name: Option<String>,
    pub subject_contact: Option<String>,
    pub notes: Option<String>,
}

pub fn open(h: &hearing::Model) -> Result<Personal> {
    let id = h.id.to_string();
    let o = |i: usize, v: &Option<String>| v.as_deref().map(|s| crypto::open(&COLUMNS[i].aad(&id), s)).transpose();
    Ok(Personal {
        subject_name: o(0, &h.subject_name_enc)?,
        subject_contact: o(1, &h.subject_contact_enc)?,
        notes: o(2, &h.notes_enc)?,
    })
}

/// 個人情報を表示 (R14): the audit entry is written before anything is opened.
pub async fn reveal<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(HearingRow, Personal)> {
    let (r, a) = get(db, ctx, id).await?;
    if !a.may_read_personal() {
        return Err(Error::forbidden(
            "ヒアリング先の個人情報は委託者と業務実施期間中の受託者の担当者だけが表示できます",
            "Only the client's staff, and the contractor's during the contract, may show personal data",
        ));
    }
    audit::record_personal_read(
        db,
        ctx,
        audit::Change {
            org_id: Some(a.term.client_org_id),
            bundle_id: Some(a.term.contract_bundle_id),
            action: "read_personal",
            entity: "council_hearing",
            entity_id: r.hearing.id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    let p = open(&r.hearing)?;
    Ok((r, p))
}

/// Rows of the hearings export: the label and non-personal columns; with `personal`, the
/// practitioner's name and contact too (the client's staff only, audited as one personal read).
pub async fn export_rows<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    term_id: i64,
    personal: bool,
) -> Result<(Vec<&'static str>, Vec<Vec<tabane_tabular::Cell>>)> {
    use tabane_tabular::Cell;
    let (rows, a) = list(db, ctx, term_id).await?;
    let mut headers = vec!["実施日", "種別", "表示名", "実施方法", "都県", "状況", "掲載同意", "概要"];
    if personal {
        a.require_client_staff(
            "個人情報の列は委託者の担当者だけが出力できます".into(),
            "Only the client's staff export personal columns",
        )?;
        headers.extend(["氏名", "連絡先"]);
        audit::record_personal_read(
            db,
            ctx,
            audit::Change {
                org_id: Some(a.term.client_org_id),
                bundle_id: Some(a.term.contract_bundle_id),
                action: "export_personal",
                entity: "council_hearing",
                entity_id: format!("term:{term_id}"),
                before: None,
                after: None,
            },
        )
        .await?;
    }
    let mut out = Vec::new();
    for r in rows {
        let mut cells = vec![
            r.hearing.held_on.map(Cell::Date).unwrap_or(Cell::Empty),
            Cell::Text(r.kind.label_ja().into()),
            Cell::Text(r.hearing.label.clone()),
            Cell::Text(r.mode.label_ja().into()),
            Cell::Text(r.hearing.prefectures.clone()),
            Cell::Text(r.status.label_ja().into()),
            Cell::Text(r.consent.label_ja().into()),
            Cell::Text(r.hearing.summary.clone()),
        ];
        if personal {
            let p = open(&r.hearing)?;
            cells.push(Cell::Text(p.subject_name.unwrap_or_default()));
            cells.push(Cell::Text(p.subject_contact.unwrap_or_default()));
        }
        out.push(cells);
    }
    Ok((headers, out))
}
