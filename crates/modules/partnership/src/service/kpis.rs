//! KGI・KSI・KPI ダッシュボード (spec §3 R3–R5): each indicator the module can measure from its
//! own records, computed by `tabane_partnership_rules` against the 年度's targets (settings whose
//! defaults are the seed's example values), with its formula in Japanese, numerator and
//! denominator, and the other reading where the seed's term allows two. Indicators measured
//! outside the module (満足度 surveys, MAU, events, awards, private hires) show 「未計測」. The seed's
//! 「現状」 figures appear only as 「参考値（出典未確認）」.

use super::access::{self, Side};
use crate::domain::{self, Kind, Origin, Stage};
use crate::entities::{contact, evaluation, issue, project, resource};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use tabane_calendar::FiscalYear;
use tabane_core::service::bundle_access;
use tabane_core::{Ctx, Error, Result};
use tabane_partnership_rules::kpi::{KpiId, Reference, definition};
use tabane_partnership_rules::kpi_counts::{self as counts, ContactFacts, ContactKind, IssueFacts, ProjectFacts};
use tabane_partnership_rules::kpi_eval::{KpiFigure, KpiSettings, Measurement, Readings, evaluate};
use tabane_partnership_rules::project_kpi;
use tabane_partnership_rules::sroi;

/// One indicator on the dashboard.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpKpiLine")]
pub struct KpiLine {
    /// `ContractRate`, `MonthsToLaunch`, …
    pub id: String,
    pub measure_ja: String,
    pub name_ja: String,
    pub formula_ja: String,
    pub alt_formula_ja: Option<String>,
    /// 「30.0%」, or 「未計測」.
    pub display_ja: String,
    pub verdict_ja: String,
    #[schemars(with = "Option<serde_json::Value>")]
    pub figure: Option<KpiFigure>,
    pub target_ja: String,
    /// 「参考値（出典未確認）: 23.7%」
    pub reference_ja: Option<String>,
}

/// The dashboard of a 年度.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpDashboard")]
pub struct Dashboard {
    pub fiscal_year: i32,
    pub kpis: Vec<KpiLine>,
}

fn line(id: KpiId, measured: Option<Readings>, settings: &KpiSettings) -> KpiLine {
    let d = definition(id);
    let setting = settings.get(id);
    let base = KpiLine {
        id: format!("{id:?}"),
        measure_ja: d.measure.label_ja().into(),
        name_ja: d.name_ja.into(),
        formula_ja: d.formula_ja.into(),
        alt_formula_ja: d.alt_formula_ja.map(str::to_string),
        display_ja: "未計測".into(),
        verdict_ja: "—".into(),
        figure: None,
        target_ja: setting.target.display(),
        reference_ja: d.reference.map(|r| format!("{}: {}", Reference::LABEL_JA, r.value.display())),
    };
    match measured {
        Some(m) => {
            let r = evaluate(id, m, settings);
            KpiLine {
                display_ja: r.display_ja.clone(),
                verdict_ja: r.verdict_ja().into(),
                figure: Some(r.figure()),
                ..base
            }
        }
        None => base,
    }
}

/// The dashboard: the municipality's side only (partners see their own agreements).
pub async fn dashboard<C: ConnectionTrait>(db: &C, ctx: &Ctx, platform_id: i64, fy: i32) -> Result<Dashboard> {
    let a = access::platform(db, ctx, platform_id).await?;
    if a.side == Side::Partner {
        return Err(Error::NotFound);
    }
    let year = FiscalYear(fy);
    let settings = KpiSettings::seed_defaults(year);
    let contacts: Vec<ContactFacts> = contact::Entity::find()
        .filter(contact::Column::PlatformId.eq(platform_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| ContactFacts {
            kind: if c.kind == "proposal" { ContactKind::Proposal } else { ContactKind::Consultation },
            stage: domain::contact_stage(&c.status),
            received_on: c.received_on,
            launched_on: c.launched_on,
            reception_no: c.reception_no,
        })
        .collect();
    let projects = project::Entity::find().filter(project::Column::PlatformId.eq(platform_id)).all(db).await?;
    let mut facts = Vec::new();
    let mut evaluated = Vec::new();
    let mut sroi_pairs = Vec::new();
    let mut effects = Vec::new();
    for p in &projects {
        let kpis = super::projects::kpis_of(db, p.id).await?;
        let rules = super::projects::kpi_rules(&kpis);
        let stage = Stage::parse(&p.stage).unwrap_or(Stage::Planning);
        facts.push(ProjectFacts {
            id: p.id.to_string(),
            kind: Kind::parse(&p.kind).unwrap_or(Kind::Other).rules(),
            origin: Origin::parse(&p.origin).unwrap_or(Origin::Window).rules(),
            signed_on: p.signed_on.filter(|_| stage.rules().is_signed()),
            ended_on: p.ended_on,
            implemented_on: p.implemented_on,
            kpis_with_target: rules.iter().filter(|k| k.target.is_some()).count() as u32,
            participation_plan: p.participation_plan,
            guideline_complete: p.guideline_complete,
            risk_events: Vec::new(),
        });
        let evals: Vec<evaluation::Model> = evaluation::Entity::find()
            .filter(evaluation::Column::ProjectId.eq(p.id))
            .filter(evaluation::Column::FiscalYear.eq(fy))
            .all(db)
            .await?;
        if !evals.is_empty() {
            evaluated.push(project_kpi::evaluated(&rules));
        }
        for e in evals {
            sroi_pairs.push((e.value_yen, e.investment_yen));
            effects.push(e.economic_effect_yen);
        }
    }
    let issues: Vec<IssueFacts> = issue::Entity::find()
        .filter(issue::Column::PlatformId.eq(platform_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| IssueFacts { registered_on: i.registered_on, solved_on: i.solved_on })
        .collect();
    let year_end = chrono::NaiveDate::from_ymd_opt(fy + 1, 3, 31).unwrap_or_default();
    let resources = resource::Entity::find().filter(resource::Column::PlatformId.eq(platform_id)).all(db).await?;
    let counted = resources
        .iter()
        .filter(|r| {
            r.created_at.date_naive() <= year_end && super::resources::state(&a.platform, r, year_end).is_counted()
        })
        .count();
    let members = bundle_access::members(db, a.platform.bundle_id).await?.len();
    let share = |ps: Vec<(i64, i64)>| ps;
    let kpi_share = counts::kpi_set_share(year, &facts).0;
    let measured: Vec<(KpiId, Option<Readings>)> = vec![
        (KpiId::ProjectCount, Some(counts::project_count(year, &facts))),
        (KpiId::PartnerSatisfaction, None),
        (KpiId::ContractRate, Some(counts::contract_rate(year, &contacts))),
        (KpiId::MonthsToLaunch, Some(counts::months_to_launch(year, &contacts))),
        (KpiId::EconomicEffect, Some(Measurement::Count(effects.iter().sum()).into())),
        (KpiId::SroiOverall, Some(sroi::sroi_overall(&share(sroi_pairs.clone())))),
        (KpiId::ContactCount, Some(counts::contact_count(year, &contacts))),
        (KpiId::PrivateHires, None),
        (KpiId::PlatformProjects, Some(counts::platform_projects(year, &facts))),
        (KpiId::IssueSolveRate, Some(counts::issue_solve_rate(year, &issues))),
        (KpiId::RegisteredOrganisations, Some(Measurement::Count(members as i64).into())),
        (KpiId::RegisteredResources, Some(Measurement::Count(counted as i64).into())),
        (KpiId::MatchLaunches, None),
        (KpiId::LivingLabImplemented, Some(counts::living_lab_implemented(year, &facts))),
        (KpiId::MonthlyActiveUsers, None),
        (KpiId::EventParticipants, None),
        (KpiId::SuccessRate, Some(counts::success_rate(&evaluated))),
        (KpiId::RiskRate, Some(counts::risk_rate(year, &facts))),
        (KpiId::KpiSetShare, Some(kpi_share)),
        (KpiId::ParticipationShare, Some(counts::participation_share(year, &facts))),
        (KpiId::ResidentSatisfaction, None),
        (KpiId::SroiPerProject, Some(sroi::sroi_per_project(&sroi_pairs))),
        (KpiId::GuidelineShare, Some(counts::guideline_share(year, &facts))),
        (KpiId::AwardEntries, None),
    ];
    Ok(Dashboard { fiscal_year: fy, kpis: measured.into_iter().map(|(id, m)| line(id, m, &settings)).collect() })
}
