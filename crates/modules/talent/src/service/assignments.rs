//! 派遣 (spec §2.5, R11): a person sent to a municipality on fixed weekdays for a period. The
//! prefecture arranges it (調整中) and confirms it (確定); a weekday already taken by another of the
//! person's assignments in an overlapping period is refused naming it; visit days skip 祝日 and
//! 年末年始 (`tabane_talent_rules::dispatch`). Seen by the prefecture, the municipality it goes to
//! and the company that employs the person.

use super::accelerators::rule_error;
use super::access::{self, PoolAccess, Side};
use super::needs::{self, org_name};
use crate::domain::{self, AssignmentMode, AssignmentStatus, NeedStatus};
use crate::entities::{assignment, need, person, visit};
use chrono::{NaiveDate, Utc, Weekday};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::dispatch::{self, VisitPlan, WeeklyAssignment};

/// 派遣の登録 (the prefecture's staff). `weekdays`: 「月,火」 or `mon,tue`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AssignmentForm {
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub municipality_org_id: Option<i64>,
    #[serde(default)]
    pub need_id: Option<i64>,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub weekdays: String,
    #[serde(default)]
    pub date_from: String,
    #[serde(default)]
    pub date_to: String,
    /// 1日の時間（時間, e.g. 7.5）.
    #[serde(default)]
    pub hours_per_day: Option<f64>,
}

/// An assignment as lists show it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AssignmentRow {
    pub assignment: assignment::Model,
    pub person_label: String,
    pub municipality: String,
    /// 「月・火」
    pub weekdays_ja: String,
    pub mode: Option<AssignmentMode>,
    pub status: AssignmentStatus,
    /// 調整中 / 確定 / 実施中 / 終了 / 中止, from the status and the dates.
    pub phase_ja: String,
}

pub async fn row<C: ConnectionTrait>(db: &C, a: assignment::Model) -> Result<AssignmentRow> {
    let status = AssignmentStatus::parse(&a.status).unwrap_or(AssignmentStatus::Draft);
    let today = tabane_calendar::jst::today();
    let phase = match status {
        AssignmentStatus::Confirmed if today > a.date_to => "終了",
        AssignmentStatus::Confirmed if today >= a.date_from => "実施中",
        s => s.label_ja(),
    };
    Ok(AssignmentRow {
        person_label: person::Entity::find_by_id(a.person_id).one(db).await?.map(|p| p.label).unwrap_or_default(),
        municipality: org_name(db, a.municipality_org_id).await?,
        weekdays_ja: weekdays(&a).iter().map(|w| domain::weekday_ja(*w)).collect::<Vec<_>>().join("・"),
        mode: AssignmentMode::parse(&a.mode),
        status,
        phase_ja: phase.into(),
        assignment: a,
    })
}

fn weekdays(a: &assignment::Model) -> Vec<Weekday> {
    domain::split_keys(&a.weekdays, domain::parse_weekday)
}

async fn weekly<C: ConnectionTrait>(db: &C, a: &assignment::Model) -> Result<WeeklyAssignment> {
    Ok(WeeklyAssignment {
        municipality: org_name(db, a.municipality_org_id).await?,
        weekdays: weekdays(a),
        from: a.date_from,
        to: a.date_to,
    })
}

/// A person's assignments in force (not 中止) as the rules read them, leaving out `except`.
pub async fn weekly_of<C: ConnectionTrait>(
    db: &C,
    person_id: i64,
    except: Option<i64>,
) -> Result<Vec<WeeklyAssignment>> {
    let mut out = Vec::new();
    for a in assignment::Entity::find()
        .filter(assignment::Column::PersonId.eq(person_id))
        .filter(assignment::Column::Status.ne(AssignmentStatus::Cancelled.key()))
        .order_by_asc(assignment::Column::DateFrom)
        .all(db)
        .await?
    {
        if Some(a.id) != except {
            out.push(weekly(db, &a).await?);
        }
    }
    Ok(out)
}

/// What creating an assignment answers: the row and the rule's warnings (土曜日 etc.).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Arranged {
    #[serde(flatten)]
    pub row: AssignmentRow,
    pub warnings: Vec<String>,
    pub days_per_week: usize,
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &AssignmentForm,
) -> Result<Arranged> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let mut p = Problems::default();
    let person = match f.person_id {
        Some(id) => person::Entity::find_by_id(id).one(db).await?.filter(|x| x.pool_id == pool_id),
        None => None,
    };
    if person.is_none() {
        p.push("person_id", "人材", "Person", "を選んでください", "is required");
    }
    let need = match f.need_id {
        Some(id) => {
            Some(need::Entity::find_by_id(id).one(db).await?.filter(|n| n.pool_id == pool_id).ok_or(Error::NotFound)?)
        }
        None => None,
    };
    let municipality = f.municipality_org_id.or(need.as_ref().map(|n| n.owner_org_id));
    let members = tabane_core::service::bundle_access::members(db, a.pool.bundle_id).await?;
    match municipality {
        None => p.push("municipality_org_id", "派遣先", "Municipality", "を選んでください", "is required"),
        Some(m) if !members.iter().any(|(o, _)| *o == m) => p.push(
            "municipality_org_id",
            "派遣先",
            "Municipality",
            "は推進体制の構成団体ではありません",
            "is not a member",
        ),
        _ => {}
    }
    let mode = if f.mode.trim().is_empty() {
        Some(AssignmentMode::Prefectural)
    } else {
        let m = AssignmentMode::parse(&f.mode);
        if m.is_none() {
            p.push(
                "mode",
                "派遣の形態",
                "Mode",
                format!("は次のいずれかです: {}", AssignmentMode::choices_ja()),
                "is not one of the choices",
            );
        }
        m
    };
    let days = domain::split_keys(&f.weekdays, domain::parse_weekday);
    let bad: Vec<&str> = f
        .weekdays
        .split([',', '、', '，', '・', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty() && domain::parse_weekday(x).is_none())
        .collect();
    if !bad.is_empty() {
        p.push(
            "weekdays",
            "派遣曜日",
            "Weekdays",
            format!("「{}」は曜日ではありません", bad.join("、")),
            "is not a weekday",
        );
    }
    let from = p.date("date_from", "派遣期間（開始）", "From", &f.date_from);
    let to = p.date("date_to", "派遣期間（終了）", "To", &f.date_to);
    p.required("date_from", "派遣期間（開始）", "From", &f.date_from);
    p.required("date_to", "派遣期間（終了）", "To", &f.date_to);
    let minutes = (f.hours_per_day.unwrap_or(7.75) * 60.0).round();
    if !(1.0..=1440.0).contains(&minutes) {
        p.push("hours_per_day", "1日の時間", "Hours a day", "は0より大きく24以下で入力してください", "must be 0–24");
    }
    p.into_result()?;
    let (Some(person), Some(municipality), Some(mode), Some(from), Some(to)) = (person, municipality, mode, from, to)
    else {
        return Err(Error::NotFound);
    };
    let new = WeeklyAssignment { municipality: org_name(db, municipality).await?, weekdays: days.clone(), from, to };
    let existing = weekly_of(db, person.id, None).await?;
    let check = dispatch::check_new_assignment(&existing, &new)
        .map_err(|e| rule_error(e, "weekdays", "派遣曜日", "Weekdays"))?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let x = assignment::ActiveModel {
        pool_id: Set(pool_id),
        person_id: Set(person.id),
        municipality_org_id: Set(municipality),
        need_id: Set(need.as_ref().map(|n| n.id)),
        mode: Set(mode.key().into()),
        weekdays: Set(domain::join_keys(&days, domain::weekday_key)),
        date_from: Set(from),
        date_to: Set(to),
        minutes_per_day: Set(minutes as i32),
        status: Set(AssignmentStatus::Draft.key().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(n) = need
        && n.status == NeedStatus::Registered.key()
    {
        needs::set_status(&txn, ctx, &a, n, NeedStatus::Coordinating).await?;
    }
    audit::record(&txn, ctx, change(&a, "create", &x, None)).await?;
    txn.commit().await?;
    Ok(Arranged { row: row(db, x).await?, warnings: check.warnings, days_per_week: check.days_per_week })
}

fn change<'a>(
    a: &PoolAccess,
    action: &'a str,
    x: &assignment::Model,
    before: Option<&assignment::Model>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.pool.prefecture_org_id),
        bundle_id: Some(a.pool.bundle_id),
        action,
        entity: "talent_assignment",
        entity_id: x.id.to_string(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(x).ok(),
    }
}

/// Whether the actor sees an assignment: the prefecture, the municipality it goes to, the company
/// that employs the person.
async fn sees<C: ConnectionTrait>(db: &C, a: &PoolAccess, x: &assignment::Model) -> Result<bool> {
    Ok(match a.side {
        Side::Prefecture => true,
        Side::Municipality => a.org_id == Some(x.municipality_org_id),
        Side::Company => {
            let p = person::Entity::find_by_id(x.person_id).one(db).await?;
            a.org_id.is_some() && p.and_then(|p| p.employer_org_id) == a.org_id
        }
    })
}

pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(assignment::Model, PoolAccess)> {
    let x = assignment::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::pool(db, ctx, x.pool_id).await?;
    if !sees(db, &a, &x).await? {
        return Err(Error::NotFound);
    }
    Ok((x, a))
}

/// The assignments the actor sees in a pool.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<(Vec<AssignmentRow>, PoolAccess)> {
    let a = access::pool(db, ctx, pool_id).await?;
    let mut out = Vec::new();
    for x in assignment::Entity::find()
        .filter(assignment::Column::PoolId.eq(pool_id))
        .order_by_asc(assignment::Column::DateFrom)
        .all(db)
        .await?
    {
        if sees(db, &a, &x).await? {
            out.push(row(db, x).await?);
        }
    }
    Ok((out, a))
}

/// 確定 (the prefecture's staff): the need it answers becomes 充足.
pub async fn confirm<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<AssignmentRow> {
    move_to(db, ctx, id, AssignmentStatus::Confirmed).await
}

/// 中止 (the prefecture's staff).
pub async fn cancel<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<AssignmentRow> {
    move_to(db, ctx, id, AssignmentStatus::Cancelled).await
}

async fn move_to<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    to: AssignmentStatus,
) -> Result<AssignmentRow> {
    let (x, a) = find(db, ctx, id).await?;
    a.require_prefecture_staff()?;
    let from = AssignmentStatus::parse(&x.status).unwrap_or(AssignmentStatus::Draft);
    let ok = match to {
        AssignmentStatus::Confirmed => from == AssignmentStatus::Draft,
        AssignmentStatus::Cancelled => from != AssignmentStatus::Cancelled,
        AssignmentStatus::Draft => false,
    };
    if !ok {
        return Err(Error::conflict(
            format!("「{}」の派遣は「{}」にできません", from.label_ja(), to.label_ja()),
            format!("A {} assignment cannot become {}", from.label_en(), to.label_en()),
        ));
    }
    let txn = db.begin().await?;
    let before = x.clone();
    let need_id = x.need_id;
    let mut am = x.into_active_model();
    am.status = Set(to.key().into());
    am.updated_at = Set(Utc::now());
    let x = am.update(&txn).await?;
    if to == AssignmentStatus::Confirmed
        && let Some(n) = need_id
        && let Some(n) = need::Entity::find_by_id(n).one(&txn).await?
    {
        needs::set_status(&txn, ctx, &a, n, NeedStatus::Filled).await?;
    }
    audit::record(&txn, ctx, change(&a, to.key(), &x, Some(&before))).await?;
    txn.commit().await?;
    row(db, x).await
}

/// 月別の派遣予定と実績 of one assignment.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentMonthView")]
pub struct MonthView {
    pub year: i32,
    pub month: u32,
    pub planned: Vec<NaiveDate>,
    /// 「9/15 敬老の日」
    pub skipped: Vec<String>,
    pub visits: Vec<visit::Model>,
    pub confirmed_days: usize,
    pub hours: f64,
}

/// A month as 「2025-09」 (or 2025年9月); `None` when empty.
pub fn parse_month(p: &mut Problems, v: &str) -> Option<(i32, u32)> {
    let t = v.trim().replace(['/', '年', '.'], "-");
    let t = t.trim_end_matches('月');
    if t.is_empty() {
        return None;
    }
    match t.split_once('-').and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?))) {
        Some((y, m)) if (1..=12).contains(&m) && (1900..=2200).contains(&y) => Some((y, m)),
        _ => {
            p.push("month", "対象月", "Month", "は「2025-09」の形で入力してください", "must look like 2025-09");
            None
        }
    }
}

pub async fn month_of<C: ConnectionTrait>(db: &C, x: &assignment::Model, year: i32, month: u32) -> Result<MonthView> {
    let plan: VisitPlan = dispatch::month_plan(&weekly(db, x).await?, year, month)
        .map_err(|e| rule_error(e, "month", "対象月", "Month"))?;
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or(Error::NotFound)?;
    let last = tabane_calendar::end_of_month(first);
    let visits = visit::Entity::find()
        .filter(visit::Column::AssignmentId.eq(x.id))
        .filter(visit::Column::VisitedOn.between(first, last))
        .order_by_asc(visit::Column::VisitedOn)
        .all(db)
        .await?;
    let confirmed: Vec<&visit::Model> = visits.iter().filter(|v| v.confirmed_at.is_some()).collect();
    Ok(MonthView {
        year,
        month,
        planned: plan.dates,
        skipped: plan.skipped.iter().map(|s| s.label_ja()).collect(),
        confirmed_days: confirmed.len(),
        hours: confirmed.iter().map(|v| f64::from(v.minutes)).sum::<f64>() / 60.0,
        visits,
    })
}

/// An assignment with a month's plan and visits, and what the actor may do.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AssignmentView {
    #[serde(flatten)]
    pub row: AssignmentRow,
    pub month: MonthView,
    pub may_confirm: bool,
    pub may_log: bool,
    pub may_confirm_visits: bool,
    /// The need is the municipality's, shared with the prefecture: a company does not read it.
    pub sees_need: bool,
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64, month: &str) -> Result<AssignmentView> {
    let (x, a) = find(db, ctx, id).await?;
    let mut p = Problems::default();
    let (y, m) = parse_month(&mut p, month).unwrap_or_else(|| {
        let d = tabane_calendar::jst::today().clamp(x.date_from, x.date_to);
        (chrono::Datelike::year(&d), chrono::Datelike::month(&d))
    });
    p.into_result()?;
    let status = AssignmentStatus::parse(&x.status).unwrap_or(AssignmentStatus::Draft);
    Ok(AssignmentView {
        month: month_of(db, &x, y, m).await?,
        may_confirm: a.side == Side::Prefecture && a.staff && status == AssignmentStatus::Draft,
        may_log: a.staff && matches!(a.side, Side::Prefecture | Side::Company) && status == AssignmentStatus::Confirmed,
        may_confirm_visits: a.staff && a.side == Side::Municipality,
        sees_need: a.side != Side::Company,
        row: row(db, x).await?,
    })
}
