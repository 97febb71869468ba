//! アドバイザー派遣 (spec §2.8, R8–R10): DXアドバイザー (年度内原則5回, 2時間以上) and
//! 地域情報化アドバイザー (現地3回, オンラインのみ10時間) per applicant and 年度, checked by the pure
//! rules before anything is written; a 6th DX visit needs an 例外理由. The applicant's record,
//! shared with the prefecture only.

use super::accelerators::rule_error;
use super::access::{self, Side};
use crate::domain::{self, AdvisorProgram, Field, Place};
use crate::entities::advisor_visit;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::advisor::{self, AdvisorVisit, QuotaPolicy, VisitMode};

/// 派遣の記録. `org_id` only when the prefecture enters it for a municipality.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct AdvisorForm {
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub visited_on: String,
    #[serde(default)]
    pub mode: String,
    /// 時間 (2.5 = 2時間30分).
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub advisor_label: String,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub exception_reason: String,
}

/// What recording answers: the visit, the warnings and the counters side by side (R10).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentAdvisorRecorded")]
pub struct Recorded {
    pub visit: Option<advisor_visit::Model>,
    pub warnings: Vec<String>,
    /// A 6th DX visit without 例外理由: nothing written, the reason is asked for.
    pub needs_exception_reason: bool,
    pub counter: String,
}

fn rule_visit(v: &advisor_visit::Model) -> AdvisorVisit {
    AdvisorVisit {
        date: v.visited_on,
        mode: if v.mode == Place::Online.key() { VisitMode::Online } else { VisitMode::OnSite },
        minutes: u32::try_from(v.minutes).unwrap_or(0),
    }
}

async fn of_applicant<C: ConnectionTrait>(db: &C, pool_id: i64, org: i64) -> Result<Vec<advisor_visit::Model>> {
    Ok(advisor_visit::Entity::find()
        .filter(advisor_visit::Column::PoolId.eq(pool_id))
        .filter(advisor_visit::Column::ApplicantOrgId.eq(org))
        .order_by_asc(advisor_visit::Column::VisitedOn)
        .all(db)
        .await?)
}

/// 「DX 5/5（原則）・地域情報化 現地 3/3」 for an applicant in a 年度.
pub fn counter(visits: &[advisor_visit::Model], fy: FiscalYear) -> String {
    let (dx, regional): (Vec<_>, Vec<_>) =
        visits.iter().partition(|v| AdvisorProgram::parse(&v.program).is_some_and(AdvisorProgram::is_dx));
    let dx: Vec<AdvisorVisit> = dx.into_iter().map(rule_visit).collect();
    let regional: Vec<AdvisorVisit> = regional.into_iter().map(rule_visit).collect();
    advisor::combined_counter_ja(&dx, &regional, fy)
}

pub async fn record<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &AdvisorForm,
) -> Result<Recorded> {
    let a = access::pool(db, ctx, pool_id).await?;
    let org = match a.side {
        Side::Municipality => ctx.org_id.ok_or(Error::NotFound)?,
        Side::Prefecture => f.org_id.or(ctx.org_id).ok_or(Error::NotFound)?,
        Side::Company => return Err(Error::NotFound),
    };
    a.require_writer_of(ctx, org)?;
    let mut p = Problems::default();
    let program = AdvisorProgram::parse(&f.program);
    if program.is_none() {
        p.push(
            "program",
            "制度",
            "Programme",
            format!("は次のいずれかです: {}", AdvisorProgram::choices_ja()),
            "is not a choice",
        );
    }
    p.required("visited_on", "派遣日", "Day", &f.visited_on);
    let day = p.date("visited_on", "派遣日", "Day", &f.visited_on);
    let mode = if f.mode.trim().is_empty() { Some(Place::OnSite) } else { Place::parse(&f.mode) };
    if mode.is_none() {
        p.push("mode", "実施形態", "Mode", format!("は次のいずれかです: {}", Place::choices_ja()), "is not a choice");
    }
    let minutes = f.hours.map(|h| (h * 60.0).round()).unwrap_or(120.0);
    if !(0.0..=1440.0).contains(&minutes) {
        p.push("hours", "時間", "Hours", "は0〜24で入力してください", "must be 0–24");
    }
    let fields = super::persons::list_field(
        &mut p,
        "fields",
        "取組分野",
        "Fields",
        &f.fields,
        Field::parse,
        Field::choices_ja(),
    );
    p.into_result()?;
    let (Some(program), Some(day), Some(mode)) = (program, day, mode) else { return Err(Error::NotFound) };
    let new = AdvisorVisit {
        date: day,
        mode: if mode == Place::Online { VisitMode::Online } else { VisitMode::OnSite },
        minutes: minutes as u32,
    };
    let mine = of_applicant(db, pool_id, org).await?;
    let same: Vec<AdvisorVisit> = mine
        .iter()
        .filter(|v| AdvisorProgram::parse(&v.program).is_some_and(|p| p.is_dx() == program.is_dx()))
        .map(rule_visit)
        .collect();
    let reason = Some(f.exception_reason.trim()).filter(|r| !r.is_empty());
    let warnings = if program.is_dx() {
        let c = advisor::check_dx_visit(&same, &new, QuotaPolicy::Principle, reason)
            .map_err(|e| rule_error(e, "exception_reason", "例外理由", "Reason"))?;
        if c.needs_exception_reason {
            let fy = FiscalYear::of(day);
            return Ok(Recorded {
                visit: None,
                warnings: c.warnings,
                needs_exception_reason: true,
                counter: counter(&mine, fy),
            });
        }
        c.warnings
    } else {
        let c = advisor::check_regional_visit(&same, &new).map_err(|e| rule_error(e, "visited_on", "派遣日", "Day"))?;
        let mut w = c.warnings;
        w.push(c.reading_note_ja.to_string());
        w
    };
    let txn = db.begin().await?;
    let v = advisor_visit::ActiveModel {
        pool_id: Set(pool_id),
        applicant_org_id: Set(org),
        program: Set(program.key().into()),
        fiscal_year: Set(FiscalYear::of(day).0),
        visited_on: Set(day),
        mode: Set(mode.key().into()),
        minutes: Set(minutes as i32),
        advisor_label: Set(f.advisor_label.trim().into()),
        fields: Set(domain::join_keys(&fields, Field::key)),
        exception_reason: Set(reason.map(str::to_string)),
        warnings: Set(warnings.join("\n")),
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
            bundle_id: Some(a.pool.bundle_id),
            action: "create",
            entity: "talent_advisor_visit",
            entity_id: v.id.to_string(),
            before: None,
            after: serde_json::to_value(&v).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    let mut all = mine;
    all.push(v.clone());
    Ok(Recorded {
        counter: counter(&all, FiscalYear::of(day)),
        visit: Some(v),
        warnings,
        needs_exception_reason: false,
    })
}

/// アドバイザー派遣実績 of one applicant: the visits and the counters of each 年度.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AdvisorSummary {
    pub org_id: i64,
    pub organisation: String,
    pub visits: Vec<advisor_visit::Model>,
    /// (年度, 「DX 5/5（原則）・地域情報化 現地 3/3」)
    pub counters: Vec<(i32, String)>,
}

/// The applicants the actor sees (the prefecture: every one with visits; a municipality: itself).
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<Vec<AdvisorSummary>> {
    let a = access::pool(db, ctx, pool_id).await?;
    let all = advisor_visit::Entity::find()
        .filter(advisor_visit::Column::PoolId.eq(pool_id))
        .order_by_asc(advisor_visit::Column::VisitedOn)
        .all(db)
        .await?;
    let mut orgs: Vec<i64> = all.iter().map(|v| v.applicant_org_id).filter(|o| a.sees_record_of(ctx, *o)).collect();
    if a.side == Side::Municipality
        && let Some(o) = a.org_id
    {
        orgs.push(o);
    }
    orgs.sort_unstable();
    orgs.dedup();
    let mut out = Vec::new();
    for o in orgs {
        let visits: Vec<advisor_visit::Model> = all.iter().filter(|v| v.applicant_org_id == o).cloned().collect();
        let mut years: Vec<i32> = visits.iter().map(|v| v.fiscal_year).collect();
        years.dedup();
        let counters = years.iter().map(|y| (*y, counter(&visits, FiscalYear(*y)))).collect();
        out.push(AdvisorSummary { org_id: o, organisation: super::needs::org_name(db, o).await?, visits, counters });
    }
    Ok(out)
}
