//! 財政措置の試算 (spec §2.9, R4–R7): a sheet per organisation, measure and 年度, its cost lines,
//! and the 措置額 computed by `tabane_talent_rules::grant::calculate` from the rules table
//! `talent_grant_rules` (rates, caps and periods are rows, so a later notice changes data, not
//! code). Each line comes back with its reason; the 普通交付税 figure is only ever a 目安. A sheet is
//! its owner's, shared with the prefecture only; 確定 is audited.

use super::accelerators::rule_error;
use super::access::{self, PoolAccess, Side};
use crate::domain::{Engagement, GrantMeasure, SheetStatus};
use crate::entities::{grant_line, grant_rule, grant_sheet, person};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::domain::OrgKind;
use tabane_core::entities::organisation;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::grant::{
    self, Applicant, Apportion, ContributionTreatment, Cost, CostLine, GrantSheet, GrantSheetResult, OrdinaryEstimate,
    Rounding,
};
use tabane_talent_rules::grant_rules::GrantRule;

fn from_name<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// The rules table as the calculator reads it.
pub async fn rules<C: ConnectionTrait>(db: &C) -> Result<Vec<GrantRule>> {
    let rows = grant_rule::Entity::find().order_by_asc(grant_rule::Column::Id).all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(GrantRule {
                measure: from_name(&r.measure)?,
                category: from_name(&r.category)?,
                fy_from: r.fy_from.map(FiscalYear),
                fy_to: r.fy_to.map(FiscalYear),
                rate_num: r.rate_num,
                rate_den: r.rate_den,
                cap: r.cap,
                cap_unit: from_name(&r.cap_unit)?,
                unit_price: r.unit_price,
                max_persons: r.max_persons.and_then(|n| u32::try_from(n).ok()),
                source_lines: r.source_lines,
                seed_text: r.seed_text,
            })
        })
        .collect())
}

/// The rules table with each row's period, rate and cap in words (for the rules page).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantRuleRow")]
pub struct RuleRow {
    pub rule: grant_rule::Model,
    pub measure_ja: String,
    pub category_ja: String,
    pub note_ja: String,
}

pub async fn rule_rows<C: ConnectionTrait>(db: &C) -> Result<Vec<RuleRow>> {
    let rows = grant_rule::Entity::find().order_by_asc(grant_rule::Column::Id).all(db).await?;
    let parsed = rules(db).await?;
    Ok(rows
        .into_iter()
        .zip(parsed)
        .map(|(rule, g)| RuleRow {
            measure_ja: g.measure.name_ja().into(),
            category_ja: g.category.name_ja().into(),
            note_ja: g.note_ja(),
            rule,
        })
        .collect())
}

/// 試算の作成・変更. `org_id` only when the prefecture draws up a municipality's sheet.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantSheetForm")]
pub struct SheetForm {
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub fiscal_year: Option<i32>,
    /// `yen` (円未満切捨て, default) | `thousand` (千円未満切捨て).
    #[serde(default)]
    pub rounding: String,
    /// `net` (default) | `gross`: the prefecture's cost net of the municipalities' 負担金 or not.
    #[serde(default)]
    pub contributions: String,
    #[serde(default)]
    pub title: String,
}

/// 経費の行. `kind`: staff_pay | contract_staff | contract_other | recruitment | contribution |
/// leader_training | cio_appointment | cio_recruitment. A 委託 of several people needs
/// `per_person` (one amount each).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantLineForm")]
pub struct LineForm {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub per_person: Vec<i64>,
    #[serde(default)]
    pub persons_covered: Option<u32>,
    #[serde(default)]
    pub full_time: bool,
    #[serde(default)]
    pub accelerator: bool,
    /// 主な所掌事務が市町村支援業務 (default yes).
    #[serde(default)]
    pub main_duty_municipal_support: Option<bool>,
    #[serde(default)]
    pub contributions_received: Option<i64>,
    #[serde(default)]
    pub designated_leader: bool,
    /// 育成プログラムに記載 (default yes).
    #[serde(default)]
    pub in_programme: Option<bool>,
    #[serde(default)]
    pub broad_staff: bool,
    #[serde(default)]
    pub elementary_exam: bool,
    /// 特別職非常勤職員の助言業務に相当 (default yes).
    #[serde(default)]
    pub advisory_duties: Option<bool>,
    #[serde(default)]
    pub planning_only: bool,
    #[serde(default)]
    pub apportion_percent: Option<u32>,
    #[serde(default)]
    pub apportion_basis: String,
    /// Counted among the (at most 3) CIO補佐官等 (default yes).
    #[serde(default)]
    pub selected: Option<bool>,
}

pub const LINE_KINDS: &[(&str, &str)] = &[
    ("staff_pay", "A 非常勤職員等の人件費"),
    ("contract_staff", "A 委託の人件費相当額（1人ごと）"),
    ("contract_other", "A 委託の人件費以外（交通費等）"),
    ("recruitment", "A 募集経費"),
    ("contribution", "A 市町村の負担金"),
    ("leader_training", "B DX推進リーダー育成経費"),
    ("cio_appointment", "C CIO補佐官等の任用等経費"),
    ("cio_recruitment", "C CIO補佐官等の募集経費"),
];

/// The form as the rules read it, or the problem naming the field.
pub fn cost_of(f: &LineForm) -> Result<Cost> {
    let mut p = Problems::default();
    if f.label.trim().is_empty() {
        p.push("label", "内容", "Label", "を入力してください", "is required");
    }
    let amount = f.amount.unwrap_or(0);
    let needs_amount = f.kind != "contract_staff" || f.per_person.is_empty();
    if needs_amount && f.amount.is_none() {
        p.push("amount", "金額", "Amount", "を入力してください", "is required");
    }
    let kinds = LINE_KINDS.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("、");
    let cost = match f.kind.trim() {
        "staff_pay" => Some(Cost::StaffPay {
            amount,
            full_time: f.full_time,
            accelerator: f.accelerator,
            main_duty_municipal_support: f.main_duty_municipal_support.unwrap_or(true),
            contributions_received: f.contributions_received.unwrap_or(0),
        }),
        "contract_staff" => {
            let per_person = if f.per_person.is_empty() { vec![amount] } else { f.per_person.clone() };
            Some(Cost::ContractStaffPay {
                persons_covered: f.persons_covered.unwrap_or(per_person.len() as u32),
                per_person,
                main_duty_municipal_support: f.main_duty_municipal_support.unwrap_or(true),
            })
        }
        "contract_other" => Some(Cost::ContractOtherCosts { amount }),
        "recruitment" => Some(Cost::Recruitment { amount }),
        "contribution" => Some(Cost::MunicipalContribution { amount }),
        "leader_training" => Some(Cost::LeaderTraining {
            amount,
            designated_leader: f.designated_leader,
            in_programme: f.in_programme.unwrap_or(true),
            broad_staff: f.broad_staff,
            elementary_exam: f.elementary_exam,
        }),
        "cio_appointment" => Some(Cost::CioAppointment {
            amount,
            advisory_duties: f.advisory_duties.unwrap_or(true),
            planning_only: f.planning_only,
            apportion: f.apportion_percent.map(|percent| Apportion { percent, basis: f.apportion_basis.trim().into() }),
            selected: f.selected.unwrap_or(true),
        }),
        "cio_recruitment" => Some(Cost::CioRecruitment { amount }),
        _ => {
            p.push("kind", "経費区分", "Kind", format!("は次のいずれかです: {kinds}"), "is not one of the kinds");
            None
        }
    };
    p.into_result()?;
    cost.ok_or(Error::NotFound)
}

/// A sheet with its lines, the result and what the actor may do.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentGrantSheetView")]
pub struct SheetView {
    pub sheet: grant_sheet::Model,
    pub organisation: String,
    pub measure: GrantMeasure,
    pub status: SheetStatus,
    pub lines: Vec<grant_line::Model>,
    /// 対象経費の合計額 and 措置額 with each line's reason.
    #[schemars(with = "serde_json::Value")]
    pub result: GrantSheetResult,
    /// 普通交付税（目安）: 常勤 accelerators of the pool × 780万円程度 (measure A sheets of the prefecture).
    #[schemars(with = "Option<serde_json::Value>")]
    pub ordinary_estimate: Option<OrdinaryEstimate>,
    pub may_write: bool,
}

fn applicant(kind: &str) -> Applicant {
    if OrgKind::parse(kind) == Some(OrgKind::Prefecture) { Applicant::Prefecture } else { Applicant::Municipality }
}

fn rule_sheet(s: &grant_sheet::Model, kind: &str, lines: &[grant_line::Model]) -> Result<GrantSheet> {
    let measure = GrantMeasure::parse(&s.measure).ok_or(Error::NotFound)?;
    Ok(GrantSheet {
        measure: measure.rules(),
        fiscal_year: FiscalYear(s.fiscal_year),
        applicant: applicant(kind),
        rounding: if s.rounding == "thousand" { Rounding::Thousand } else { Rounding::Yen },
        contributions: if s.contributions == "gross" {
            ContributionTreatment::Gross
        } else {
            ContributionTreatment::Net
        },
        lines: lines
            .iter()
            .map(|l| {
                serde_json::from_str::<Cost>(&l.cost)
                    .map(|cost| CostLine { label: l.label.clone(), cost })
                    .map_err(|e| Error::Internal(e.into()))
            })
            .collect::<Result<_>>()?,
    })
}

async fn org<C: ConnectionTrait>(db: &C, id: i64) -> Result<organisation::Model> {
    organisation::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)
}

pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(grant_sheet::Model, PoolAccess)> {
    let s = grant_sheet::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::pool(db, ctx, s.pool_id).await?;
    a.require_record_of(ctx, s.org_id)?;
    Ok((s, a))
}

async fn lines_of<C: ConnectionTrait>(db: &C, sheet_id: i64) -> Result<Vec<grant_line::Model>> {
    Ok(grant_line::Entity::find()
        .filter(grant_line::Column::SheetId.eq(sheet_id))
        .order_by_asc(grant_line::Column::Id)
        .all(db)
        .await?)
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<SheetView> {
    let (s, a) = find(db, ctx, id).await?;
    compose(db, &a, s).await
}

async fn compose<C: ConnectionTrait>(db: &C, a: &PoolAccess, s: grant_sheet::Model) -> Result<SheetView> {
    let o = org(db, s.org_id).await?;
    let lines = lines_of(db, s.id).await?;
    let table = rules(db).await?;
    let result = grant::calculate(&table, &rule_sheet(&s, &o.kind, &lines)?)
        .map_err(|e| rule_error(e, "lines", "経費の行", "Lines"))?;
    let measure = GrantMeasure::parse(&s.measure).unwrap_or(GrantMeasure::A);
    let ordinary_estimate = if measure == GrantMeasure::A && applicant(&o.kind) == Applicant::Prefecture {
        let n = person::Entity::find()
            .filter(person::Column::PoolId.eq(s.pool_id))
            .filter(person::Column::AcceleratorStatus.eq("appointed"))
            .all(db)
            .await?
            .iter()
            .filter(|p| Engagement::parse(&p.engagement).is_some_and(Engagement::full_time))
            .count();
        Some(grant::ordinary_allocation_estimate(&table, FiscalYear(s.fiscal_year), n as u32))
    } else {
        None
    };
    let status = SheetStatus::parse(&s.status).unwrap_or(SheetStatus::Draft);
    Ok(SheetView {
        organisation: o.name,
        measure,
        may_write: a.staff
            && status == SheetStatus::Draft
            && (a.org_id == Some(s.org_id) || a.side == Side::Prefecture),
        status,
        lines,
        result,
        ordinary_estimate,
        sheet: s,
    })
}

/// The sheets the actor sees in a pool (its own; the prefecture every one).
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<(Vec<SheetView>, PoolAccess)> {
    let a = access::pool(db, ctx, pool_id).await?;
    let mut out = Vec::new();
    for s in grant_sheet::Entity::find()
        .filter(grant_sheet::Column::PoolId.eq(pool_id))
        .order_by_desc(grant_sheet::Column::FiscalYear)
        .order_by_asc(grant_sheet::Column::Id)
        .all(db)
        .await?
    {
        if a.sees_record_of(ctx, s.org_id) {
            out.push(compose(db, &a, s).await?);
        }
    }
    Ok((out, a))
}

fn check_settings(p: &mut Problems, f: &SheetForm) -> (Option<i32>, &'static str, &'static str) {
    let fy = f.fiscal_year;
    if fy.is_none_or(|y| !(2000..=2100).contains(&y)) {
        p.push(
            "fiscal_year",
            "年度",
            "Fiscal year",
            "を西暦で入力してください（令和7年度は2025）",
            "is required (2025 for 令和7年度)",
        );
    }
    let rounding = match f.rounding.trim() {
        "" | "yen" | "円未満切捨て" => "yen",
        "thousand" | "千円未満切捨て" => "thousand",
        _ => {
            p.push(
                "rounding",
                "端数処理",
                "Rounding",
                "は円未満切捨て・千円未満切捨てのいずれかです",
                "is yen or thousand",
            );
            "yen"
        }
    };
    let contributions = match f.contributions.trim() {
        "" | "net" | "負担金を控除" => "net",
        "gross" | "控除しない" => "gross",
        _ => {
            p.push("contributions", "負担金の扱い", "Contributions", "は net・gross のいずれかです", "is net or gross");
            "net"
        }
    };
    (fy, rounding, contributions)
}

pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &SheetForm,
) -> Result<SheetView> {
    let a = access::pool(db, ctx, pool_id).await?;
    let owner = match a.side {
        Side::Prefecture => f.org_id.or(ctx.org_id).unwrap_or(a.pool.prefecture_org_id),
        Side::Municipality => ctx.org_id.ok_or(Error::NotFound)?,
        Side::Company => return Err(Error::NotFound),
    };
    a.require_writer_of(ctx, owner)?;
    let mut p = Problems::default();
    let measure = GrantMeasure::parse(&f.measure);
    if measure.is_none() {
        p.push(
            "measure",
            "措置",
            "Measure",
            format!("は次のいずれかです: {}", GrantMeasure::choices_ja()),
            "is a, b or c",
        );
    }
    let (fy, rounding, contributions) = check_settings(&mut p, f);
    p.into_result()?;
    let (Some(measure), Some(fy)) = (measure, fy) else { return Err(Error::NotFound) };
    let exists = grant_sheet::Entity::find()
        .filter(grant_sheet::Column::OrgId.eq(owner))
        .filter(grant_sheet::Column::Measure.eq(measure.key()))
        .filter(grant_sheet::Column::FiscalYear.eq(fy))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(Error::conflict(
            format!("{}年度の「{}」の試算は作成済みです", fy, measure.label_ja()),
            "This sheet already exists",
        ));
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    let s = grant_sheet::ActiveModel {
        pool_id: Set(pool_id),
        org_id: Set(owner),
        fiscal_year: Set(fy),
        measure: Set(measure.key().into()),
        status: Set(SheetStatus::Draft.key().into()),
        rounding: Set(rounding.into()),
        contributions: Set(contributions.into()),
        title: Set(f.title.trim().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change(&a, "create", &s, None)).await?;
    txn.commit().await?;
    compose(db, &a, s).await
}

fn change<'a>(
    a: &PoolAccess,
    action: &'a str,
    s: &grant_sheet::Model,
    before: Option<&grant_sheet::Model>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(s.org_id),
        bundle_id: Some(a.pool.bundle_id),
        action,
        entity: "talent_grant_sheet",
        entity_id: s.id.to_string(),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(s).ok(),
    }
}

fn require_draft(a: &PoolAccess, ctx: &Ctx, s: &grant_sheet::Model) -> Result<()> {
    a.require_writer_of(ctx, s.org_id)?;
    if s.status != SheetStatus::Draft.key() {
        return Err(Error::conflict("確定した試算は変更できません", "A fixed sheet cannot be changed"));
    }
    Ok(())
}

/// 年度・端数処理・負担金の扱いの変更 (作成中 only); the result is computed again.
pub async fn update<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &SheetForm,
) -> Result<SheetView> {
    let (s, a) = find(db, ctx, id).await?;
    require_draft(&a, ctx, &s)?;
    let mut p = Problems::default();
    let g = SheetForm {
        fiscal_year: f.fiscal_year.or(Some(s.fiscal_year)),
        rounding: if f.rounding.is_empty() { s.rounding.clone() } else { f.rounding.clone() },
        contributions: if f.contributions.is_empty() { s.contributions.clone() } else { f.contributions.clone() },
        ..Default::default()
    };
    let (fy, rounding, contributions) = check_settings(&mut p, &g);
    p.into_result()?;
    let txn = db.begin().await?;
    let before = s.clone();
    let mut am = s.into_active_model();
    am.fiscal_year = Set(fy.unwrap_or(before.fiscal_year));
    am.rounding = Set(rounding.into());
    am.contributions = Set(contributions.into());
    am.updated_at = Set(Utc::now());
    let s = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "update", &s, Some(&before))).await?;
    txn.commit().await?;
    compose(db, &a, s).await
}

/// 経費の追加: the whole sheet is computed with the new line first; a refusal writes nothing.
pub async fn add_line<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &LineForm,
) -> Result<SheetView> {
    let (s, a) = find(db, ctx, id).await?;
    require_draft(&a, ctx, &s)?;
    let cost = cost_of(f)?;
    let o = org(db, s.org_id).await?;
    let mut sheet = rule_sheet(&s, &o.kind, &lines_of(db, s.id).await?)?;
    sheet.lines.push(CostLine { label: f.label.trim().into(), cost: cost.clone() });
    grant::calculate(&rules(db).await?, &sheet).map_err(|e| rule_error(e, "lines", f.label.trim(), f.label.trim()))?;
    let txn = db.begin().await?;
    let line = grant_line::ActiveModel {
        sheet_id: Set(s.id),
        label: Set(f.label.trim().into()),
        cost: Set(serde_json::to_string(&cost).map_err(|e| Error::Internal(e.into()))?),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ch = change(&a, "add_line", &s, None);
    ch.after = serde_json::to_value(&line).ok();
    audit::record(&txn, ctx, ch).await?;
    txn.commit().await?;
    compose(db, &a, s).await
}

/// 経費の削除 (作成中 only).
pub async fn delete_line<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, line_id: i64) -> Result<SheetView> {
    let line = grant_line::Entity::find_by_id(line_id).one(db).await?.ok_or(Error::NotFound)?;
    let (s, a) = find(db, ctx, line.sheet_id).await?;
    require_draft(&a, ctx, &s)?;
    let txn = db.begin().await?;
    let mut ch = change(&a, "delete_line", &s, None);
    ch.before = serde_json::to_value(&line).ok();
    line.delete(&txn).await?;
    audit::record(&txn, ctx, ch).await?;
    txn.commit().await?;
    compose(db, &a, s).await
}

/// 確定 (audited with the figures of the moment).
pub async fn fix<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<SheetView> {
    let (s, a) = find(db, ctx, id).await?;
    require_draft(&a, ctx, &s)?;
    let figures = compose(db, &a, s.clone()).await?;
    let txn = db.begin().await?;
    let before = s.clone();
    let mut am = s.into_active_model();
    am.status = Set(SheetStatus::Fixed.key().into());
    am.updated_at = Set(Utc::now());
    let s = am.update(&txn).await?;
    let mut ch = change(&a, "fix", &s, Some(&before));
    ch.after = serde_json::to_value(&figures.result).ok();
    audit::record(&txn, ctx, ch).await?;
    txn.commit().await?;
    compose(db, &a, s).await
}

/// Rows of the grant sheet for print and xlsx.
pub fn sheet_rows(v: &SheetView) -> (Vec<&'static str>, Vec<Vec<tabane_tabular::Cell>>) {
    use tabane_tabular::Cell;
    let headers = vec!["内容", "計上額", "対象経費", "理由"];
    let mut rows: Vec<Vec<Cell>> = v
        .result
        .lines
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.label.clone()),
                Cell::Int(l.requested),
                Cell::Int(l.eligible),
                Cell::Text(format!("{}{}", l.reason_ja, if l.needs_review { "（要確認）" } else { "" })),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text("対象経費の合計額".into()),
        Cell::Empty,
        Cell::Int(v.result.eligible_total),
        Cell::Empty,
    ]);
    rows.push(vec![Cell::Text("措置額".into()), Cell::Empty, Cell::Int(v.result.covered_amount), Cell::Empty]);
    if let Some(e) = &v.ordinary_estimate {
        rows.push(vec![
            Cell::Text("普通交付税（目安）".into()),
            Cell::Empty,
            Cell::Int(e.estimate),
            Cell::Text(e.label_ja.clone()),
        ]);
    }
    (headers, rows)
}
