//! 連携事業・協定 (spec §2.5–2.9, R6–R9): a project is planned with its KPIs and リスク分担表, may be
//! signed (締結) only with a KPI that has a target, and after that its KPI targets and risk bearers
//! change only through an approved change request — approval and change in one transaction, the
//! 変更管理台帳 keeping before and after. Evaluations give the SROI against both of the seed's
//! targets; a 公表 evaluation is read-only. A project is read by the municipality's side and by
//! its partner; another partner gets 404.

use super::access::{self, PlatformAccess, Side, rule_error};
use crate::domain::{ChangeState, Kind, Origin, Stage};
use crate::entities::{change, evaluation, kpi, project, risk};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_partnership_rules::governance::{
    self as gov, Bearer, ChangeAction, ChangeRequest, ControlledField, FieldChange,
};
use tabane_partnership_rules::kpi::Direction;
use tabane_partnership_rules::kpi_eval::KpiSettings;
use tabane_partnership_rules::project_kpi::{ProjectKpi, ProjectKpiKind};
use tabane_partnership_rules::sroi::{ValueItem, ensure_evaluation_editable, project_sroi};

/// 連携事業の登録 (the window).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpProjectForm")]
pub struct ProjectForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub partner_org_id: Option<i64>,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    #[serde(default)]
    pub investment_yen: Option<i64>,
    #[serde(default)]
    pub participation_plan: bool,
    #[serde(default)]
    pub guideline_complete: bool,
}

fn stage(p: &project::Model) -> Stage {
    Stage::parse(&p.stage).unwrap_or(Stage::Planning)
}

fn change_of<'a>(
    a: &PlatformAccess,
    action: &'a str,
    p: &project::Model,
    after: Option<serde_json::Value>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.platform.owner_org_id),
        bundle_id: Some(a.platform.bundle_id),
        action,
        entity: "pp_project",
        entity_id: p.id.to_string(),
        before: None,
        after: after.or_else(|| serde_json::to_value(p).ok()),
    }
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    platform_id: i64,
    f: &ProjectForm,
) -> Result<project::Model> {
    let a = access::platform(db, ctx, platform_id).await?;
    a.require_window()?;
    let mut p = Problems::default();
    p.required("title", "事業名", "Title", &f.title);
    let kind = Kind::parse(&f.kind);
    if kind.is_none() {
        p.push("kind", "連携形態", "Kind", format!("は次のいずれかです: {}", Kind::choices_ja()), "is not a choice");
    }
    let origin = if f.origin.trim().is_empty() { Some(Origin::Window) } else { Origin::parse(&f.origin) };
    if origin.is_none() {
        p.push("origin", "発端", "Origin", format!("は次のいずれかです: {}", Origin::choices_ja()), "is not a choice");
    }
    let start = p.date("start_on", "開始日", "Start", &f.start_on);
    let end = p.date("end_on", "終了日", "End", &f.end_on);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        p.push("end_on", "終了日", "End", "は開始日より後にしてください", "must be after the start");
    }
    if f.investment_yen.is_some_and(|y| y < 0) {
        p.push("investment_yen", "投資額", "Investment", "は0以上で入力してください", "must not be negative");
    }
    p.into_result()?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let m = project::ActiveModel {
        platform_id: Set(platform_id),
        bundle_id: Set(None),
        kind: Set(kind.unwrap_or(Kind::Other).key().into()),
        origin: Set(origin.unwrap_or(Origin::Window).key().into()),
        contact_id: Set(f.contact_id),
        title: Set(f.title.trim().into()),
        partner_org_id: Set(f.partner_org_id),
        signed_on: Set(None),
        start_on: Set(start),
        end_on: Set(end),
        investment_yen: Set(f.investment_yen.unwrap_or(0)),
        stage: Set(Stage::Planning.key().into()),
        participation_plan: Set(f.participation_plan),
        guideline_complete: Set(f.guideline_complete),
        implemented_on: Set(None),
        ended_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change_of(&a, "create", &m, None)).await?;
    txn.commit().await?;
    Ok(m)
}

fn sees(a: &PlatformAccess, p: &project::Model) -> bool {
    a.side != Side::Partner || (a.org_id.is_some() && p.partner_org_id == a.org_id)
}

pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(project::Model, PlatformAccess)> {
    let p = project::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, p.platform_id).await?;
    if !sees(&a, &p) {
        return Err(Error::NotFound);
    }
    Ok((p, a))
}

pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, platform_id: i64) -> Result<Vec<project::Model>> {
    let a = access::platform(db, ctx, platform_id).await?;
    let all = project::Entity::find()
        .filter(project::Column::PlatformId.eq(platform_id))
        .order_by_desc(project::Column::Id)
        .all(db)
        .await?;
    Ok(all.into_iter().filter(|p| sees(&a, p)).collect())
}

/// A KPI with its 達成.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpKpiRow")]
pub struct KpiRow {
    pub kpi: kpi::Model,
    pub achieved: Option<bool>,
}

/// An evaluation with its SROI verdicts.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpEvaluationRow")]
pub struct EvaluationRow {
    pub evaluation: evaluation::Model,
    /// 「2.67倍：支援策①目標（3倍）未達／支援策③目標（2.5倍）達成」
    pub sroi_ja: String,
}

/// A project with everything of it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpProjectView")]
pub struct ProjectView {
    pub project: project::Model,
    pub stage: Stage,
    pub partner: String,
    pub kpis: Vec<KpiRow>,
    pub risks: Vec<(risk::Model, String)>,
    pub changes: Vec<change::Model>,
    pub evaluations: Vec<EvaluationRow>,
    pub is_window: bool,
}

fn rule_kpi(k: &kpi::Model) -> Option<ProjectKpi> {
    ProjectKpi::from_form(
        &k.name,
        if k.kind == "output" { ProjectKpiKind::Output } else { ProjectKpiKind::Outcome },
        &k.unit,
        direction(&k.direction),
        k.target.as_deref().unwrap_or(""),
        k.actual.as_deref().unwrap_or(""),
    )
    .ok()
}

pub fn kpi_rules(kpis: &[kpi::Model]) -> Vec<ProjectKpi> {
    kpis.iter().filter_map(rule_kpi).collect()
}

fn direction(s: &str) -> Direction {
    if s == "at_most" { Direction::AtMost } else { Direction::AtLeast }
}

fn bearer(s: &str) -> Option<Bearer> {
    match s {
        "municipality" => Some(Bearer::Municipality),
        "operator" => Some(Bearer::Operator),
        "negotiation" => Some(Bearer::Negotiation),
        other => {
            let mut it = other.strip_prefix("shared:")?.split(':');
            Some(Bearer::Shared { municipality_pct: it.next()?.parse().ok()?, operator_pct: it.next()?.parse().ok()? })
        }
    }
}

pub async fn kpis_of<C: ConnectionTrait>(db: &C, project_id: i64) -> Result<Vec<kpi::Model>> {
    Ok(kpi::Entity::find().filter(kpi::Column::ProjectId.eq(project_id)).order_by_asc(kpi::Column::Id).all(db).await?)
}

pub fn sroi_of(e: &evaluation::Model) -> String {
    let items = [ValueItem {
        item: "社会的価値".into(),
        yen: e.value_yen,
        method: if e.method.is_empty() { "未記載".into() } else { e.method.clone() },
    }];
    project_sroi(&items, e.investment_yen, &KpiSettings::seed_defaults(FiscalYear(e.fiscal_year)))
        .map(|s| s.label_ja)
        .unwrap_or_else(|e| e.message_ja())
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<ProjectView> {
    let (p, a) = find(db, ctx, id).await?;
    let kpis = kpis_of(db, id)
        .await?
        .into_iter()
        .map(|k| KpiRow { achieved: rule_kpi(&k).and_then(|r| r.achieved()), kpi: k })
        .collect();
    let risks = risk::Entity::find()
        .filter(risk::Column::ProjectId.eq(id))
        .order_by_asc(risk::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let label = bearer(&r.bearer).map(|b| b.label_ja()).unwrap_or_default();
            (r, label)
        })
        .collect();
    let changes = change::Entity::find()
        .filter(change::Column::ProjectId.eq(id))
        .order_by_asc(change::Column::Id)
        .all(db)
        .await?;
    let evaluations = evaluation::Entity::find()
        .filter(evaluation::Column::ProjectId.eq(id))
        .order_by_asc(evaluation::Column::FiscalYear)
        .all(db)
        .await?
        .into_iter()
        .map(|e| EvaluationRow { sroi_ja: sroi_of(&e), evaluation: e })
        .collect();
    let partner = match p.partner_org_id {
        Some(o) => super::contacts::org_name(db, o).await?,
        None => String::new(),
    };
    Ok(ProjectView {
        stage: stage(&p),
        partner,
        kpis,
        risks,
        changes,
        evaluations,
        is_window: a.is_window(),
        project: p,
    })
}

/// KPIの登録・更新. `target` and `actual` are typed text (「abc」 → 「目標値：数値を入力してください」).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpKpiForm")]
pub struct KpiForm {
    #[serde(default)]
    pub name: String,
    /// outcome | output
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub target: Option<String>,
    /// at_least (以上, default) | at_most (以下)
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub actual: Option<String>,
}

fn parse_kpi(f: &KpiForm) -> Result<ProjectKpi> {
    let kind = if f.kind == "output" { ProjectKpiKind::Output } else { ProjectKpiKind::Outcome };
    ProjectKpi::from_form(
        &f.name,
        kind,
        &f.unit,
        direction(&f.direction),
        f.target.as_deref().unwrap_or(""),
        f.actual.as_deref().unwrap_or(""),
    )
    .map_err(|e| rule_error(e, "target", "目標値", "Target"))
}

pub async fn add_kpi<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    project_id: i64,
    f: &KpiForm,
) -> Result<kpi::Model> {
    let (p, a) = find(db, ctx, project_id).await?;
    a.require_window()?;
    let k = parse_kpi(f)?;
    if k.target.is_some() {
        gov::ensure_direct_edit(stage(&p).rules(), ControlledField::KpiTarget)
            .map_err(|e| rule_error(e, "target", "目標値", "Target"))?;
    }
    let txn = db.begin().await?;
    let m = kpi::ActiveModel {
        project_id: Set(project_id),
        name: Set(k.name.clone()),
        kind: Set(if f.kind == "output" { "output" } else { "outcome" }.into()),
        unit: Set(k.unit.clone()),
        target: Set(k.target.map(|d| d.display())),
        direction: Set(if f.direction == "at_most" { "at_most" } else { "at_least" }.into()),
        actual: Set(k.actual.map(|d| d.display())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change_of(&a, "add_kpi", &p, serde_json::to_value(&m).ok())).await?;
    txn.commit().await?;
    Ok(m)
}

/// KPIの更新: the 実績 at any time (the window or the partner); the target only before 締結.
pub async fn update_kpi<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    kpi_id: i64,
    f: &KpiForm,
) -> Result<kpi::Model> {
    let k = kpi::Entity::find_by_id(kpi_id).one(db).await?.ok_or(Error::NotFound)?;
    let (p, a) = find(db, ctx, k.project_id).await?;
    a.require_staff()?;
    let typed = KpiForm {
        name: k.name.clone(),
        unit: k.unit.clone(),
        kind: k.kind.clone(),
        direction: k.direction.clone(),
        ..f.clone()
    };
    let parsed = parse_kpi(&typed)?;
    let target_changes = f.target.is_some() && parsed.target.map(|d| d.display()) != k.target;
    if target_changes {
        if !a.is_window() {
            return Err(Error::forbidden("目標値は窓口が設定します", "The window sets targets"));
        }
        gov::ensure_direct_edit(stage(&p).rules(), ControlledField::KpiTarget)
            .map_err(|e| rule_error(e, "target", "目標値", "Target"))?;
    }
    let txn = db.begin().await?;
    let mut am = k.into_active_model();
    if target_changes {
        am.target = Set(parsed.target.map(|d| d.display()));
    }
    if f.actual.is_some() {
        am.actual = Set(parsed.actual.map(|d| d.display()));
    }
    let m = am.update(&txn).await?;
    audit::record(&txn, ctx, change_of(&a, "update_kpi", &p, serde_json::to_value(&m).ok())).await?;
    txn.commit().await?;
    Ok(m)
}

/// 締結 (R6): only from 計画 and with a KPI that has a target; a refusal writes nothing.
pub async fn sign<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64, on: &str) -> Result<ProjectView> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_window()?;
    let mut pr = Problems::default();
    let day = pr.date("signed_on", "締結日", "Signed on", on).unwrap_or_else(tabane_calendar::jst::today);
    pr.into_result()?;
    let targets: Vec<_> = kpi_rules(&kpis_of(db, id).await?).into_iter().map(|k| k.target).collect();
    gov::ensure_can_sign(stage(&p).rules(), &targets).map_err(|e| rule_error(e, "kpis", "KPI", "KPI"))?;
    let txn = db.begin().await?;
    let mut am = p.into_active_model();
    am.stage = Set(Stage::Signed.key().into());
    am.signed_on = Set(Some(day));
    am.updated_at = Set(Utc::now());
    let p = am.update(&txn).await?;
    audit::record(&txn, ctx, change_of(&a, "sign", &p, None)).await?;
    txn.commit().await?;
    view(db, ctx, id).await
}

/// リスク分担表の行. `bearer`: 行政 | 事業者 | 協議 | 分担 (with both shares).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpRiskForm")]
pub struct RiskForm {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub bearer: String,
    #[serde(default)]
    pub municipality_pct: Option<u32>,
    #[serde(default)]
    pub operator_pct: Option<u32>,
    #[serde(default)]
    pub response: String,
}

pub async fn add_risk<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &RiskForm,
) -> Result<risk::Model> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_window()?;
    gov::ensure_direct_edit(stage(&p).rules(), ControlledField::RiskBearer)
        .map_err(|e| rule_error(e, "bearer", "負担者", "Bearer"))?;
    let b = match f.bearer.trim() {
        "行政" | "municipality" => Some(Bearer::Municipality),
        "事業者" | "operator" => Some(Bearer::Operator),
        "協議" | "negotiation" => Some(Bearer::Negotiation),
        "分担" | "shared" => Some(Bearer::Shared {
            municipality_pct: f.municipality_pct.unwrap_or(0),
            operator_pct: f.operator_pct.unwrap_or(0),
        }),
        _ => None,
    };
    let problems = gov::validate_risk_table(&[gov::RiskRow { item: f.item.clone(), bearer: b }]);
    if let Some((_, e)) = problems.into_iter().next() {
        return Err(rule_error(e, "bearer", "リスク分担", "Risk allocation"));
    }
    let key = match b {
        Some(Bearer::Municipality) => "municipality".to_string(),
        Some(Bearer::Operator) => "operator".to_string(),
        Some(Bearer::Shared { municipality_pct, operator_pct }) => format!("shared:{municipality_pct}:{operator_pct}"),
        _ => "negotiation".to_string(),
    };
    let txn = db.begin().await?;
    let r = risk::ActiveModel {
        project_id: Set(id),
        item: Set(f.item.trim().into()),
        bearer: Set(key),
        response: Set(f.response.trim().into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change_of(&a, "add_risk", &p, serde_json::to_value(&r).ok())).await?;
    txn.commit().await?;
    Ok(r)
}

/// 変更申請 of a KPI target (the partner or the window).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpChangeForm")]
pub struct ChangeForm {
    pub kpi_id: Option<i64>,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn request_change<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &ChangeForm,
) -> Result<change::Model> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_staff()?;
    let k = match f.kpi_id {
        Some(k) => kpi::Entity::find_by_id(k).one(db).await?.filter(|k| k.project_id == id),
        None => None,
    }
    .ok_or_else(|| Error::invalid("kpi_id", "KPI", "KPI", "を選んでください", "is required"))?;
    let new = parse_kpi(&KpiForm { name: k.name.clone(), target: Some(f.target.clone()), ..Default::default() })?;
    let after = new.target.map(|d| d.display()).unwrap_or_default();
    let before = k.target.clone().unwrap_or_default();
    let today = tabane_calendar::jst::today();
    ChangeRequest::new(
        today,
        &f.reason,
        vec![FieldChange { field: ControlledField::KpiTarget, before: before.clone(), after: after.clone() }],
    )
    .map_err(|e| rule_error(e, "reason", "変更理由", "Reason"))?;
    let txn = db.begin().await?;
    let c = change::ActiveModel {
        project_id: Set(id),
        kpi_id: Set(Some(k.id)),
        requested_by: Set(ctx.actor.clone()),
        requested_on: Set(today),
        reason: Set(f.reason.trim().into()),
        field: Set(format!("KPI「{}」の目標値", k.name)),
        before: Set(before),
        after: Set(after),
        status: Set(ChangeState::Requested.key().into()),
        decided_on: Set(None),
        decided_by: Set(None),
        rejection_reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change_of(&a, "request_change", &p, serde_json::to_value(&c).ok())).await?;
    txn.commit().await?;
    Ok(c)
}

/// 承認 (the window): the KPI's target changes in the same transaction.
pub async fn approve_change<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    change_id: i64,
) -> Result<change::Model> {
    let c = change::Entity::find_by_id(change_id).one(db).await?.ok_or(Error::NotFound)?;
    let (p, a) = find(db, ctx, c.project_id).await?;
    a.require_window()?;
    if c.status != ChangeState::Requested.key() {
        return Err(Error::conflict("決定済みの変更申請です", "The change request is already decided"));
    }
    let today = tabane_calendar::jst::today();
    let mut req = ChangeRequest::new(
        c.requested_on,
        &c.reason,
        vec![FieldChange { field: ControlledField::KpiTarget, before: c.before.clone(), after: c.after.clone() }],
    )
    .map_err(|e| rule_error(e, "reason", "変更理由", "Reason"))?;
    req.apply(ChangeAction::Approve { decided_by: ctx.actor.clone(), decided_on: today })
        .map_err(|e| rule_error(e, "status", "状態", "Status"))?;
    let txn = db.begin().await?;
    if let Some(k) = c.kpi_id
        && let Some(k) = kpi::Entity::find_by_id(k).one(&txn).await?
    {
        let mut am = k.into_active_model();
        am.target = Set(Some(c.after.clone()));
        am.update(&txn).await?;
    }
    let mut am = c.into_active_model();
    am.status = Set(ChangeState::Approved.key().into());
    am.decided_on = Set(Some(today));
    am.decided_by = Set(Some(ctx.actor.clone()));
    let c = am.update(&txn).await?;
    audit::record(&txn, ctx, change_of(&a, "approve_change", &p, serde_json::to_value(&c).ok())).await?;
    txn.commit().await?;
    Ok(c)
}

/// 評価 of a 年度 (the window): SROI and economic effect.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpEvaluationForm")]
pub struct EvaluationForm {
    pub fiscal_year: Option<i32>,
    #[serde(default)]
    pub value_yen: Option<i64>,
    #[serde(default)]
    pub investment_yen: Option<i64>,
    #[serde(default)]
    pub economic_effect_yen: Option<i64>,
    #[serde(default)]
    pub method: String,
}

pub async fn evaluate<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &EvaluationForm,
) -> Result<EvaluationRow> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_window()?;
    let mut pr = Problems::default();
    let fy = f.fiscal_year.filter(|y| (2000..=2100).contains(y));
    if fy.is_none() {
        pr.push("fiscal_year", "年度", "Fiscal year", "を西暦で入力してください（令和7年度は2025）", "is required");
    }
    for (field, ja, v) in [
        ("value_yen", "社会的価値（円）", f.value_yen),
        ("investment_yen", "投資額（円）", f.investment_yen),
        ("economic_effect_yen", "経済効果（円）", f.economic_effect_yen),
    ] {
        if v.is_some_and(|v| v < 0) {
            pr.push(field, ja, field, "は0以上で入力してください", "must not be negative");
        }
    }
    pr.into_result()?;
    let txn = db.begin().await?;
    let e = evaluation::ActiveModel {
        project_id: Set(id),
        fiscal_year: Set(fy.unwrap_or(2025)),
        value_yen: Set(f.value_yen.unwrap_or(0)),
        investment_yen: Set(f.investment_yen.unwrap_or(p.investment_yen)),
        economic_effect_yen: Set(f.economic_effect_yen.unwrap_or(0)),
        method: Set(f.method.trim().into()),
        published: Set(false),
        published_on: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change_of(&a, "evaluate", &p, serde_json::to_value(&e).ok())).await?;
    txn.commit().await?;
    Ok(EvaluationRow { sroi_ja: sroi_of(&e), evaluation: e })
}

/// 公表 (R9): from then on the evaluation is read-only.
pub async fn publish_evaluation<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    eval_id: i64,
    on: Option<NaiveDate>,
) -> Result<EvaluationRow> {
    let e = evaluation::Entity::find_by_id(eval_id).one(db).await?.ok_or(Error::NotFound)?;
    let (p, a) = find(db, ctx, e.project_id).await?;
    a.require_window()?;
    ensure_evaluation_editable(e.published).map_err(|x| rule_error(x, "published", "公表", "Published"))?;
    let txn = db.begin().await?;
    let mut am = e.into_active_model();
    am.published = Set(true);
    am.published_on = Set(Some(on.unwrap_or_else(tabane_calendar::jst::today)));
    let e = am.update(&txn).await?;
    audit::record(&txn, ctx, change_of(&a, "publish_evaluation", &p, serde_json::to_value(&e).ok())).await?;
    txn.commit().await?;
    Ok(EvaluationRow { sroi_ja: sroi_of(&e), evaluation: e })
}
