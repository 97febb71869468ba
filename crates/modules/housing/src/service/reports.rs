//! 県への報告 (§8(10)): the monthly report per active sub-service, and the 建替一時転出報告書.
//!
//! The monthly report carries no personal data: cases appear by number, building and room.
//! Per sub-service (本移転 / 仮移転 / 住宅替 / 退去): the receipt status of each issued form
//! (受領 / 不備 / 未提出), moves done in the month and moving dates fixed, completed temporary
//! moves, transfer and leaving requests (classifications made in the month), the at-risk list with
//! reasons (as of the month's end) and the incidents received in the month.
//!
//! The 建替一時転出報告書 lists 仮移転 households with names and temporary addresses: opening it
//! is a personal read, audited per case; the bank account is never part of it.

use super::access::{self, EstateAccess};
use super::deadlines::{self, RiskRow};
use super::incidents::{self, IncidentFilter, IncidentRow};
use crate::domain::{Classification, FormKind};
use crate::entities::{building, campaign, case, case_event, form_item, household, leg, unit};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::Serialize;
use tabane_core::crypto;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

/// One case of a sub-service (never a name).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CaseRef {
    pub case_id: i64,
    pub building: String,
    pub room: String,
    pub date: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FormRow {
    pub case: CaseRef,
    /// Per form kind of the sub-service: 受領 / 不備 / 未提出 / — (not issued to this case).
    pub cells: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SubService {
    pub class: Classification,
    pub label: &'static str,
    pub form_kinds: Vec<&'static str>,
    pub forms: Vec<FormRow>,
    pub received: usize,
    pub defects: usize,
    pub missing: usize,
    pub moved: Vec<CaseRef>,
    pub move_fixed: Vec<CaseRef>,
    pub requests: Vec<CaseRef>,
    pub open_cases: usize,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "HousingMonthlyReport")]
pub struct MonthlyReport {
    pub estate_id: i64,
    pub estate: String,
    pub month: String,
    pub as_of: NaiveDate,
    pub subs: Vec<SubService>,
    pub at_risk: Vec<RiskRow>,
    pub incidents: Vec<IncidentRow>,
}

fn in_month(d: Option<NaiveDate>, (from, to): (NaiveDate, NaiveDate)) -> bool {
    d.is_some_and(|d| d >= from && d <= to)
}

struct Place {
    building: String,
    room: String,
}

async fn places<D: ConnectionTrait>(db: &D, estate_id: i64, cases: &[case::Model]) -> Result<Vec<(i64, Place)>> {
    let bs = building::Entity::find().filter(building::Column::EstateId.eq(estate_id)).all(db).await?;
    let hs = household::Entity::find().filter(household::Column::EstateId.eq(estate_id)).all(db).await?;
    Ok(cases
        .iter()
        .map(|c| {
            let h = hs.iter().find(|h| h.id == c.household_id);
            let b = h.and_then(|h| bs.iter().find(|b| b.id == h.building_id));
            (
                c.id,
                Place {
                    building: b.map(|b| b.name.clone()).unwrap_or_default(),
                    room: h.map(|h| h.room.clone()).unwrap_or_default(),
                },
            )
        })
        .collect())
}

pub fn parse_month(month: &str) -> Result<(NaiveDate, NaiveDate)> {
    incidents::month_range(month).ok_or_else(|| {
        Error::invalid("month", "対象月", "Month", "は 2027-05 の形で入力してください", "must look like 2027-05")
    })
}

/// The estate to report on: the given one, or the first the actor sees.
pub async fn estate<D: ConnectionTrait>(db: &D, ctx: &Ctx, estate_id: Option<i64>) -> Result<EstateAccess> {
    match estate_id {
        Some(id) => access::estate_for(db, ctx, id).await,
        None => access::visible_estates(db, ctx).await?.into_iter().next().ok_or(Error::NotFound),
    }
}

pub async fn monthly<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: Option<i64>,
    month: &str,
) -> Result<MonthlyReport> {
    let range = parse_month(month)?;
    let acc = estate(db, ctx, estate_id).await?;
    let eid = acc.estate.id;
    let cases =
        case::Entity::find().filter(case::Column::EstateId.eq(eid)).order_by_asc(case::Column::Id).all(db).await?;
    let place = places(db, eid, &cases).await?;
    let at = |case_id: i64, date: Option<NaiveDate>| {
        let p = place.iter().find(|(id, _)| *id == case_id).map(|(_, p)| p);
        CaseRef {
            case_id,
            building: p.map(|p| p.building.clone()).unwrap_or_default(),
            room: p.map(|p| p.room.clone()).unwrap_or_default(),
            date,
        }
    };
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let mut legs = Vec::new();
    for chunk in ids.chunks(500) {
        legs.extend(
            leg::Entity::find()
                .filter(leg::Column::CaseId.is_in(chunk.to_vec()))
                .filter(leg::Column::CancelledOn.is_null())
                .order_by_asc(leg::Column::CaseId)
                .all(db)
                .await?,
        );
    }
    let leg_ids: Vec<i64> = legs.iter().map(|l| l.id).collect();
    let mut forms = Vec::new();
    for chunk in leg_ids.chunks(500) {
        forms.extend(form_item::Entity::find().filter(form_item::Column::LegId.is_in(chunk.to_vec())).all(db).await?);
    }
    let mut events = Vec::new();
    for chunk in ids.chunks(500) {
        events.extend(
            case_event::Entity::find()
                .filter(case_event::Column::CaseId.is_in(chunk.to_vec()))
                .filter(case_event::Column::Action.eq("classify"))
                .all(db)
                .await?,
        );
    }
    let mut subs = Vec::new();
    for class in Classification::ALL {
        let mine: Vec<&leg::Model> = legs.iter().filter(|l| Classification::parse(&l.kind) == Some(*class)).collect();
        let requests: Vec<CaseRef> = events
            .iter()
            .filter(|e| e.to_value.as_deref() == Some(class.label_ja()) && in_month(Some(e.at.date_naive()), range))
            .map(|e| at(e.case_id, Some(e.at.date_naive())))
            .collect();
        if mine.is_empty() && requests.is_empty() {
            continue;
        }
        let kinds = FormKind::required_for(*class);
        let (mut received, mut defects, mut missing) = (0, 0, 0);
        let mut rows = Vec::new();
        for l in mine.iter().filter(|l| l.forms_issued_on.is_some()) {
            let cells = kinds
                .iter()
                .map(|k| match forms.iter().find(|f| f.leg_id == l.id && f.kind == k.key()) {
                    None => "—",
                    Some(f) if f.defect_open => {
                        defects += 1;
                        "不備"
                    }
                    Some(f) if f.received_on.is_some() => {
                        received += 1;
                        "受領"
                    }
                    Some(_) => {
                        missing += 1;
                        "未提出"
                    }
                })
                .collect();
            rows.push(FormRow { case: at(l.case_id, l.forms_due_on), cells });
        }
        subs.push(SubService {
            class: *class,
            label: class.label_ja(),
            form_kinds: kinds.iter().map(|k| k.label_ja()).collect(),
            forms: rows,
            received,
            defects,
            missing,
            moved: mine.iter().filter(|l| in_month(l.moved_on, range)).map(|l| at(l.case_id, l.moved_on)).collect(),
            move_fixed: mine
                .iter()
                .filter(|l| l.moved_on.is_none() && l.move_planned_on.is_some())
                .map(|l| at(l.case_id, l.move_planned_on))
                .collect(),
            requests,
            open_cases: mine.iter().filter(|l| l.closed_on.is_none()).count(),
        });
    }
    let as_of = range.1;
    let mut at_risk = Vec::new();
    for c in campaign::Entity::find()
        .filter(campaign::Column::EstateId.eq(eid))
        .order_by_asc(campaign::Column::Id)
        .all(db)
        .await?
    {
        at_risk.extend(deadlines::at_risk(db, &c, as_of, deadlines::DEFAULT_THRESHOLD_DAYS).await?);
    }
    let incidents = incidents::list(
        db,
        ctx,
        &IncidentFilter { estate: Some(eid), open: false, month: Some(month.trim().to_string()) },
    )
    .await?;
    Ok(MonthlyReport {
        estate_id: eid,
        estate: acc.estate.name.clone(),
        month: month.trim().to_string(),
        as_of,
        subs,
        at_risk,
        incidents,
    })
}

/// One line of the 建替一時転出報告書 (personal).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TemporaryMoveRow {
    pub case_id: i64,
    pub building: String,
    pub room: String,
    pub name: Option<String>,
    pub temp_unit: Option<String>,
    pub temp_address: Option<String>,
    pub temp_from: Option<NaiveDate>,
    pub temp_until: Option<NaiveDate>,
    pub extension_until: Option<NaiveDate>,
    pub moved_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TemporaryMoves {
    pub estate_id: i64,
    pub estate: String,
    pub rows: Vec<TemporaryMoveRow>,
}

fn open(col: &str, uid: &str, v: &Option<String>) -> Result<Option<String>> {
    let c = super::personal::COLUMNS.iter().find(|c| c.col == col).expect("column");
    v.as_deref().map(|s| crypto::open(&c.aad(uid), s)).transpose()
}

/// 建替一時転出報告書: 仮移転 households whose 仮住居 is decided, with names and addresses. Staff of
/// either side may open it (viewers: 403); one personal-read audit entry per case is written
/// before anything is decrypted. Bank accounts are never read.
pub async fn temporary_moves<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: Option<i64>,
) -> Result<TemporaryMoves> {
    let acc = estate(db, ctx, estate_id).await?;
    if !acc.may_read_personal() {
        return Err(Error::forbidden(
            "閲覧者は建替一時転出報告書（個人情報を含む）を開けません",
            "Viewers cannot open this report (personal data)",
        ));
    }
    let eid = acc.estate.id;
    let cases =
        case::Entity::find().filter(case::Column::EstateId.eq(eid)).order_by_asc(case::Column::Id).all(db).await?;
    let place = places(db, eid, &cases).await?;
    let mut picked = Vec::new();
    for c in &cases {
        let l = leg::Entity::find()
            .filter(leg::Column::CaseId.eq(c.id))
            .filter(leg::Column::Kind.eq(Classification::Temporary.key()))
            .filter(leg::Column::CancelledOn.is_null())
            .one(db)
            .await?;
        if let Some(l) = l.filter(|l| l.to_unit_id.is_some() || l.temp_from.is_some()) {
            picked.push((c.clone(), l));
        }
    }
    let tx = db.begin().await?;
    for (c, _) in &picked {
        audit::record_personal_read(
            &tx,
            ctx,
            acc.change(
                "read_personal",
                "housing_case",
                c.id,
                None,
                Some(serde_json::json!({ "fields": ["name", "address"], "report": "建替一時転出報告書" })),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let mut rows = Vec::new();
    for (c, l) in picked {
        let h = household::Entity::find_by_id(c.household_id).one(db).await?.ok_or(Error::NotFound)?;
        let p = place.iter().find(|(id, _)| *id == c.id).map(|(_, p)| p);
        let temp_unit = match l.to_unit_id {
            Some(u) => unit::Entity::find_by_id(u).one(db).await?.map(|u| u.number),
            None => None,
        };
        rows.push(TemporaryMoveRow {
            case_id: c.id,
            building: p.map(|p| p.building.clone()).unwrap_or_default(),
            room: p.map(|p| p.room.clone()).unwrap_or_default(),
            name: open("name_enc", &h.uid, &h.name_enc)?,
            temp_unit,
            temp_address: open("address_enc", &h.uid, &h.address_enc)?,
            temp_from: l.temp_from,
            temp_until: l.temp_until,
            extension_until: l.extension_until,
            moved_on: l.moved_on,
        });
    }
    Ok(TemporaryMoves { estate_id: eid, estate: acc.estate.name.clone(), rows })
}
