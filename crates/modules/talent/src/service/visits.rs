//! 派遣実績 (spec §2.5, §5): each working day logged by the prefecture or the employing company,
//! confirmed (確認) by the municipality; the 月別派遣実績表 per municipality puts the plan (days
//! skipped for 祝日 named) beside what was confirmed.

use super::access::{self, Side};
use super::assignments::{self, AssignmentRow, MonthView};
use super::needs::org_name;
use crate::domain::{AssignmentStatus, Field, Place};
use crate::entities::{assignment, visit};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

/// 実績の記録 (one working day).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentVisitForm")]
pub struct VisitForm {
    #[serde(default)]
    pub visited_on: String,
    /// 時間 (e.g. 7.5); default the assignment's hours a day.
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub summary: String,
}

fn change<'a>(owner: i64, bundle: i64, action: &'a str, v: &visit::Model) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(owner),
        bundle_id: Some(bundle),
        action,
        entity: "talent_visit",
        entity_id: v.id.to_string(),
        before: None,
        after: serde_json::to_value(v).ok(),
    }
}

/// Logs a day: the prefecture's staff, or the employing company's, on a confirmed assignment
/// within its period; one entry per day.
pub async fn log<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    assignment_id: i64,
    f: &VisitForm,
) -> Result<visit::Model> {
    let (x, a) = assignments::find(db, ctx, assignment_id).await?;
    a.require_staff()?;
    if a.side == Side::Municipality {
        return Err(Error::forbidden(
            "実績は県または派遣元の企業が記録し、市町村が確認します",
            "The prefecture or the employer logs visits; the municipality confirms them",
        ));
    }
    if x.status != AssignmentStatus::Confirmed.key() {
        return Err(Error::conflict("確定していない派遣には実績を記録できません", "The assignment is not confirmed"));
    }
    let mut p = Problems::default();
    p.required("visited_on", "派遣日", "Day", &f.visited_on);
    let day = p.date("visited_on", "派遣日", "Day", &f.visited_on);
    if let Some(d) = day
        && (d < x.date_from || d > x.date_to)
    {
        p.push(
            "visited_on",
            "派遣日",
            "Day",
            format!("は派遣期間（{}〜{}）の中の日にしてください", x.date_from, x.date_to),
            "must be within the assignment's period",
        );
    }
    let minutes = f.hours.map(|h| (h * 60.0).round()).unwrap_or(f64::from(x.minutes_per_day));
    if !(1.0..=1440.0).contains(&minutes) {
        p.push("hours", "時間", "Hours", "は0より大きく24以下で入力してください", "must be 0–24");
    }
    let place = if f.place.trim().is_empty() { Some(Place::OnSite) } else { Place::parse(&f.place) };
    if place.is_none() {
        p.push("place", "実施形態", "Place", format!("は次のいずれかです: {}", Place::choices_ja()), "is not a choice");
    }
    let field = if f.field.trim().is_empty() { None } else { Field::parse(&f.field) };
    if !f.field.trim().is_empty() && field.is_none() {
        p.push("field", "支援分野", "Field", format!("は次のいずれかです: {}", Field::choices_ja()), "is not a choice");
    }
    p.into_result()?;
    let (Some(day), Some(place)) = (day, place) else { return Err(Error::NotFound) };
    let taken = visit::Entity::find()
        .filter(visit::Column::AssignmentId.eq(x.id))
        .filter(visit::Column::VisitedOn.eq(day))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(Error::conflict(format!("{day} の実績は記録済みです"), format!("{day} is already logged")));
    }
    let txn = db.begin().await?;
    let v = visit::ActiveModel {
        assignment_id: Set(x.id),
        visited_on: Set(day),
        minutes: Set(minutes as i32),
        place: Set(place.key().into()),
        field: Set(field.map(|f| f.key().to_string()).unwrap_or_default()),
        summary: Set(f.summary.trim().into()),
        recorded_by: Set(ctx.actor.clone()),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change(x.municipality_org_id, a.pool.bundle_id, "log", &v)).await?;
    txn.commit().await?;
    Ok(v)
}

/// 確認 by the municipality's staff (the assignment's 派遣先).
pub async fn confirm<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, visit_id: i64) -> Result<visit::Model> {
    let v = visit::Entity::find_by_id(visit_id).one(db).await?.ok_or(Error::NotFound)?;
    let (x, a) = assignments::find(db, ctx, v.assignment_id).await?;
    a.require_staff()?;
    let the_municipality = a.side == Side::Municipality && a.org_id == Some(x.municipality_org_id);
    if !(the_municipality || ctx.system_admin) {
        return Err(Error::forbidden("実績の確認は派遣先の市町村が行います", "The municipality confirms visits"));
    }
    if v.confirmed_at.is_some() {
        return Err(Error::conflict("この実績は確認済みです", "Already confirmed"));
    }
    let txn = db.begin().await?;
    let mut am = v.into_active_model();
    am.confirmed_by = Set(Some(ctx.actor.clone()));
    am.confirmed_at = Set(Some(Utc::now()));
    let v = am.update(&txn).await?;
    audit::record(&txn, ctx, change(x.municipality_org_id, a.pool.bundle_id, "confirm", &v)).await?;
    txn.commit().await?;
    Ok(v)
}

/// 月別派遣実績表 of one municipality: each assignment there with its plan and confirmed days.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentMonthlyReport")]
pub struct MonthlyReport {
    pub municipality_org_id: i64,
    pub municipality: String,
    pub year: i32,
    pub month: u32,
    pub lines: Vec<(AssignmentRow, MonthView)>,
    pub planned_days: usize,
    pub confirmed_days: usize,
    pub confirmed_hours: f64,
}

/// `org`: the municipality (a municipality may ask for its own only; default its own).
pub async fn monthly_report<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    pool_id: i64,
    org: Option<i64>,
    month: &str,
) -> Result<MonthlyReport> {
    let a = access::pool(db, ctx, pool_id).await?;
    let org = match (a.side, org) {
        (Side::Municipality, Some(o)) if Some(o) != a.org_id => return Err(Error::NotFound),
        (Side::Municipality, _) => a.org_id.ok_or(Error::NotFound)?,
        (_, Some(o)) => o,
        (_, None) => {
            return Err(Error::invalid("org", "市町村", "Municipality", "を選んでください", "is required"));
        }
    };
    let mut p = Problems::default();
    let ym = assignments::parse_month(&mut p, month);
    if month.trim().is_empty() {
        p.push("month", "対象月", "Month", "を入力してください", "is required");
    }
    p.into_result()?;
    let (year, month) = ym.ok_or(Error::NotFound)?;
    let mut lines = Vec::new();
    for x in assignment::Entity::find()
        .filter(assignment::Column::PoolId.eq(pool_id))
        .filter(assignment::Column::MunicipalityOrgId.eq(org))
        .filter(assignment::Column::Status.eq(AssignmentStatus::Confirmed.key()))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?
    {
        if a.side == Side::Company {
            // A company reads the lines of the persons it employs only.
            let (ok, _) = match assignments::find(db, ctx, x.id).await {
                Ok(v) => (true, Some(v)),
                Err(_) => (false, None),
            };
            if !ok {
                continue;
            }
        }
        let m = assignments::month_of(db, &x, year, month).await?;
        if m.planned.is_empty() && m.visits.is_empty() && m.skipped.is_empty() {
            continue;
        }
        lines.push((assignments::row(db, x).await?, m));
    }
    Ok(MonthlyReport {
        municipality_org_id: org,
        municipality: org_name(db, org).await?,
        year,
        month,
        planned_days: lines.iter().map(|(_, m)| m.planned.len()).sum(),
        confirmed_days: lines.iter().map(|(_, m)| m.confirmed_days).sum(),
        confirmed_hours: lines.iter().map(|(_, m)| m.hours).sum(),
        lines,
    })
}

/// Rows of the report for print and xlsx: one per planned, skipped or logged day.
pub fn report_rows(r: &MonthlyReport) -> (Vec<&'static str>, Vec<Vec<tabane_tabular::Cell>>) {
    use tabane_tabular::Cell;
    let headers = vec!["人材", "派遣日", "予定", "実績（時間）", "確認", "内容"];
    let mut out = Vec::new();
    for (row, m) in &r.lines {
        for d in &m.planned {
            let v = m.visits.iter().find(|v| v.visited_on == *d);
            out.push(vec![
                Cell::Text(row.person_label.clone()),
                Cell::Date(*d),
                Cell::Text("予定".into()),
                v.map(|v| Cell::Text(format!("{:.2}", f64::from(v.minutes) / 60.0))).unwrap_or(Cell::Empty),
                Cell::Text(match v {
                    Some(v) if v.confirmed_at.is_some() => "確認済".into(),
                    Some(_) => "未確認".into(),
                    None => String::new(),
                }),
                Cell::Text(v.map(|v| v.summary.clone()).unwrap_or_default()),
            ]);
        }
        for s in &m.skipped {
            out.push(vec![
                Cell::Text(row.person_label.clone()),
                Cell::Text(s.clone()),
                Cell::Text("休日のため派遣なし".into()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
        }
    }
    (headers, out)
}
